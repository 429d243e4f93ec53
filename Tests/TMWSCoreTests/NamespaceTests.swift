import TMWSCore
import Testing

@Suite struct NamespaceTests {
    @Test func validNamespacesAreLowerCased() throws {
        #expect(try Namespace(validating: "My-Project_2.0").rawValue == "my-project_2.0")
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("a/b", "it contains '/'"),
        ("..", "it contains '..'"),
        ("a..b", "it contains '..'"),
        (".", "it is '.'"),
        ("has space", "only a-z, 0-9, '.', '_' and '-' are allowed"),
        ("日本語", "only a-z, 0-9, '.', '_' and '-' are allowed"),
        (String(repeating: "a", count: 129), "it is longer than 128 characters"),
    ])
    func invalidNamespacesAreRejectedWithTheRule(_ text: String, _ reason: String) {
        let error = #expect(throws: TMWSError.self) { try Namespace(validating: text) }
        #expect(error?.message.hasSuffix(reason) == true)
        #expect(error?.field == "namespace")
    }

    @Test func exactly128CharactersIsAllowed() throws {
        #expect(try Namespace(validating: String(repeating: "a", count: 128)).rawValue.count == 128)
    }

    @Test(arguments: [
        ("git@github.com:Apto-AS/TMWS.git", "github.com-apto-as-tmws"),
        ("https://github.com/apple/swift-nio.git", "github.com-apple-swift-nio"),
        ("https://user:secret@gitlab.example.com/group/sub/repo", "gitlab.example.com-group-sub-repo"),
        ("ssh://git@host:2222/a/b.git", "host-2222-a-b"),
    ])
    func gitRemotesBecomeNamespacesWithoutCredentials(_ url: String, _ expected: String) {
        #expect(Namespace.fromGitRemote(url)?.rawValue == expected)
    }

    @Test func sanitizingNeverProducesDotDotOrSlashes() {
        #expect(Namespace.sanitized(from: "../../etc/passwd")?.rawValue == "etc-passwd")
        #expect(Namespace.sanitized(from: "a....b")?.rawValue == "a.b")
        #expect(Namespace.sanitized(from: "///") == nil)
    }

    @Test func directoryNamespacesDifferForTheSameBaseName() {
        let one = Namespace.fromDirectory(path: "/home/a/src")
        let two = Namespace.fromDirectory(path: "/home/b/src")
        #expect(one != two)
        #expect(one.rawValue.hasPrefix("src-"))
        #expect(throws: Never.self) { try Namespace(validating: one.rawValue) }
    }
}
