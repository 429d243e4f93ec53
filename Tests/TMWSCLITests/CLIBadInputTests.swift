import Foundation
import TMWSTestSupport
import Testing

/// Every bad input gets a one-line message on stderr, exit code 1, and changes nothing.
@Suite struct CLIBadInputTests {
    /// A home with two memories, and a way to see that nothing changed.
    struct Fixture {
        let home = TemporaryDirectory()
        let cli: CLIRunner
        let id: String

        init() throws {
            cli = CLIRunner(home: home.path)
            id = try cli.run(["memory", "add", "an existing memory", "--scope", "GLOBAL", "--json"]).json()["id"] as! String
            _ = try cli.run(["memory", "add", "another one"])
        }

        /// Everything a write could change: every memory (with access counts), the audit log
        /// size and the outbox size.
        func snapshot() throws -> String {
            let export = try cli.run(["memory", "export", "--include-private"]).stdout
            let stats = try cli.run(["memory", "stats", "--json"]).json()
            return export + "\(stats["audit_records"] ?? "-")/\(stats["outbox_pending"] ?? "-")/\(stats["total"] ?? "-")"
        }

        /// Runs a command that must fail with `message`, exit code 1, and no change.
        func expectRejected(
            _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], message: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let before = try snapshot()
            let result = try cli.run(arguments, stdin: stdin, extraEnvironment: environment)
            #expect(result.status == 1, "\(arguments)", sourceLocation: sourceLocation)
            #expect(result.stderr == "tmws: error: \(message)\n", sourceLocation: sourceLocation)
            #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
            #expect(try snapshot() == before, "\(arguments) changed the store", sourceLocation: sourceLocation)
        }
    }

    @Test func emptyOrWhitespaceContent() throws {
        let fixture = try Fixture()
        try fixture.expectRejected(["memory", "add", ""], message: "content is empty or only whitespace")
        try fixture.expectRejected(["memory", "add", "  \n\t "], message: "content is empty or only whitespace")
        try fixture.expectRejected(["memory", "add"], stdin: Data(), message: "content is empty or only whitespace")
        try fixture.expectRejected(["memory", "update", fixture.id, "--content", " "], message: "content is empty or only whitespace")
    }

    @Test func contentOverTheSizeLimit() throws {
        let fixture = try Fixture()
        let tooLong = Data(String(repeating: "a", count: 100_001).utf8)
        try fixture.expectRejected(
            ["memory", "add"], stdin: tooLong,
            message: "content is 100001 characters long; the limit is 100000 (memory.max_content_chars)"
        )
        try fixture.expectRejected(
            ["memory", "add", "eleven char"], environment: ["TMWS_MAX_CONTENT_CHARS": "10"],
            message: "content is 11 characters long; the limit is 10 (memory.max_content_chars)"
        )
        #expect(try fixture.cli.run(["memory", "add"], stdin: Data(String(repeating: "a", count: 100_000).utf8)).status == 0)
    }

    @Test func unknownScope() throws {
        let fixture = try Fixture()
        let message = "unknown scope 'PUBLIC'; expected one of PRIVATE, PROJECT, SHARED, GLOBAL"
        try fixture.expectRejected(["memory", "add", "text", "--scope", "PUBLIC"], message: message)
        try fixture.expectRejected(["memory", "update", fixture.id, "--scope", "PUBLIC"], message: message)
        try fixture.expectRejected(["memory", "list", "--scope", "PUBLIC"], message: message)
    }

    @Test func importanceOutsideZeroToOne() throws {
        let fixture = try Fixture()
        try fixture.expectRejected(["memory", "add", "text", "--importance", "1.5"], message: "importance must be between 0 and 1, got 1.5")
        try fixture.expectRejected(["memory", "add", "text", "--importance=-0.5"], message: "importance must be between 0 and 1, got -0.5")
        try fixture.expectRejected(["memory", "update", fixture.id, "--importance", "2"], message: "importance must be between 0 and 1, got 2.0")
    }

    @Test func ttlOutsideOneToThreeThousandSixHundredFifty() throws {
        let fixture = try Fixture()
        try fixture.expectRejected(["memory", "add", "text", "--ttl-days", "0"], message: "ttl_days must be between 1 and 3650, got 0")
        try fixture.expectRejected(["memory", "add", "text", "--ttl-days", "3651"], message: "ttl_days must be between 1 and 3650, got 3651")
        try fixture.expectRejected(["memory", "update", fixture.id, "--ttl-days", "99999"], message: "ttl_days must be between 1 and 3650, got 99999")
    }

    @Test func malformedAndUnknownIDs() throws {
        let fixture = try Fixture()
        let malformed = "malformed memory id 'not-an-id': expected a UUID such as 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f"
        try fixture.expectRejected(["memory", "get", "not-an-id"], message: malformed)
        try fixture.expectRejected(["memory", "update", "not-an-id", "--content", "x"], message: malformed)
        try fixture.expectRejected(["memory", "delete", "not-an-id"], message: malformed)
        let unknown = "0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f"
        try fixture.expectRejected(["memory", "get", unknown], message: "memory \(unknown) not found")
        try fixture.expectRejected(["memory", "update", unknown, "--content", "x"], message: "memory \(unknown) not found")
        try fixture.expectRejected(["memory", "delete", unknown], message: "memory \(unknown) not found")
    }

    @Test func invalidNamespaces() throws {
        let fixture = try Fixture()
        try fixture.expectRejected(["memory", "add", "text", "--namespace", "../etc"], message: "invalid namespace '../etc': it contains '/'")
        try fixture.expectRejected(["memory", "add", "text", "--namespace", "a..b"], message: "invalid namespace 'a..b': it contains '..'")
        try fixture.expectRejected(["memory", "add", "text", "--namespace", ""], message: "invalid namespace '': it is empty")
        try fixture.expectRejected(
            ["memory", "add", "text", "--namespace", "my project"],
            message: "invalid namespace 'my project': only a-z, 0-9, '.', '_' and '-' are allowed"
        )
        let long = String(repeating: "n", count: 129)
        try fixture.expectRejected(
            ["memory", "add", "text", "--namespace", long],
            message: "invalid namespace '\(String(repeating: "n", count: 16))…': it is longer than 128 characters"
        )
        try fixture.expectRejected(
            ["memory", "add", "text"], environment: ["TMWS_NAMESPACE": "a/b"],
            message: "TMWS_NAMESPACE: project.namespace: invalid namespace 'a/b': it contains '/'"
        )
    }

    @Test func invalidUTF8AndNULBytes() throws {
        let fixture = try Fixture()
        try fixture.expectRejected(["memory", "add"], stdin: Data([0x61, 0xFF, 0xFE, 0x62]), message: "standard input is not valid UTF-8")
        try fixture.expectRejected(["memory", "add"], stdin: Data("a\u{0}b".utf8), message: "content contains a NUL character")
        try fixture.expectRejected(
            ["memory", "import", "-"], stdin: Data([0x7B, 0x22, 0xFF, 0x22, 0x7D]), message: "line 1: it is not valid UTF-8"
        )
        try fixture.expectRejected(
            ["memory", "import", "-"], stdin: Data((#"{"content": "fine"}"# + "\n" + #"{"content": "nul \u0000 here"}"#).utf8),
            message: "line 2: content contains a NUL character"
        )
    }

    @Test func invalidUTF8InAnArgument() throws {
        let fixture = try Fixture()
        let before = try fixture.snapshot()
        // Process takes Swift strings, so let the shell put the raw byte 0xFF into argv.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #""$0" memory add "$(printf 'bad \377 byte')""#, CLIRunner.binaryPath]
        process.environment = ["TMWS_HOME": fixture.home.path, "PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(stderr == "tmws: error: argument 3 is not valid UTF-8\n")
        #expect(try fixture.snapshot() == before)
    }

    @Test func aBadImportLineImportsNothing() throws {
        let fixture = try Fixture()
        let lines = (0..<5).map { #"{"content": "line \#($0)"}"# } + [#"{"content": "bad", "scope": "PUBLIC"}"#]
        try fixture.expectRejected(
            ["memory", "import", "-", "--batch-size", "2"], stdin: Data(lines.joined(separator: "\n").utf8),
            message: "line 6: unknown scope 'PUBLIC'; expected one of PRIVATE, PROJECT, SHARED, GLOBAL"
        )
        try fixture.expectRejected(
            ["memory", "import", "-"], stdin: Data("not json\n".utf8), message: "line 1: it is not a JSON object of a memory (malformed JSON)")
        try fixture.expectRejected(
            ["memory", "import", fixture.home.file("missing.jsonl")], message: "cannot read \(fixture.home.file("missing.jsonl")): no such file or not readable"
        )
    }

    @Test func aCorruptedConfigFile() throws {
        let fixture = try Fixture()
        let before = try fixture.snapshot()
        let config = fixture.home.file("config.toml")
        try "[memory\nmax_content_chars = 5\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try fixture.cli.run(["memory", "add", "text"])
        #expect(result.status == 1)
        #expect(result.stderr == "tmws: error: the config file \(config) is not valid TOML: line 1: expected ']'\n")
        let doctor = try fixture.cli.run(["doctor"])
        #expect(doctor.status == 1)
        #expect(doctor.stderr == result.stderr)
        try FileManager.default.removeItem(atPath: config)
        #expect(try fixture.snapshot() == before)
    }

    @Test func anUnusableHome() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))

        let notDirectory = try CLIRunner(home: file, workingDirectory: directory.path).run(["memory", "add", "text"])
        #expect(notDirectory.status == 1)
        #expect(notDirectory.stderr == "tmws: error: TMWS_HOME \(file) exists but is not a directory\n")

        let below = try CLIRunner(home: file + "/sub", workingDirectory: directory.path).run(["memory", "add", "text"])
        #expect(below.status == 1)
        #expect(below.stderr == "tmws: error: TMWS_HOME \(file)/sub cannot be made: its parent \(file) is not an existing folder (a typo?)\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")

        // A typo in a parent folder makes no tree (issue 18), and a relative home is refused.
        let typo = try CLIRunner(home: directory.file("tmsw") + "/home", workingDirectory: directory.path).run(["memory", "add", "text"])
        #expect(typo.status == 1 && typo.stderr.contains("is not an existing folder"), "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("tmsw")))
        let relative = try CLIRunner(home: "relative-home", workingDirectory: directory.path).run(["memory", "add", "text"])
        #expect(relative.status == 1 && relative.stderr.contains("absolute path"), "\(relative.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("relative-home")))
    }

    @Test(.enabled(if: getuid() != 0, "root can write to read-only directories, so only a normal user can see this refusal"))
    func aReadOnlyHome() throws {
        let directory = TemporaryDirectory()
        let home = directory.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o500])
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: home) }
        let result = try CLIRunner(home: home).run(["memory", "add", "text"])
        #expect(result.status == 1)
        #expect(result.stderr == "tmws: error: TMWS_HOME \(home) is not writable\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty)
    }

    @Test func aCorruptedDatabase() throws {
        let home = TemporaryDirectory()
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: home.file("tmws.db")))
        let result = try CLIRunner(home: home.path).run(["memory", "list"])
        #expect(result.status == 1)
        #expect(result.stderr == "tmws: error: the database \(home.file("tmws.db")) is not a SQLite database or is corrupted\n")
    }

    @Test func usageErrorsExitWithTwo() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        for arguments in [["memory", "frobnicate"], ["memory", "get"], ["memory", "add", "x", "--importance", "high"], ["--no-such-flag"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("Error:") || result.stderr.contains("Usage:"), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.file("tmws.db")))
    }
}
