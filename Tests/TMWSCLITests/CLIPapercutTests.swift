import Foundation
import TMWSTestSupport
import Testing

/// What a newcomer tripped over in the first hour: output scripts can use, hints that keep
/// what was asked, messages that say what happened.
@Suite struct CLIPapercutTests {
    static let token = "ghp_" + "R7dXk2mQ9vLp4sTz8WcY1nBf6HjE3uKa0GqV"

    @Test func addPrintsTheIdAloneWhenPiped() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let added = try cli.run(["memory", "add", "a note for a script"])
        #expect(added.status == 0)
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 36 && !id.contains(" "), "\(added.stdout)")
        #expect(added.stderr.contains("stored \(id)"))
        #expect(try cli.run(["memory", "get", id]).status == 0)
    }

    @Test func theNextPageHintKeepsTheFilters() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        for index in 0..<3 { _ = try cli.run(["memory", "add", "tagged \(index)", "--tag", "deploy"]) }
        _ = try cli.run(["memory", "add", "untagged"])
        let page = try cli.run(["memory", "list", "--tag", "deploy", "--limit", "2"])
        let hint = try #require(page.stdout.split(separator: "\n").first { $0.hasPrefix("more: ") })
        #expect(hint.contains("tmws memory list --tag deploy --limit 2 --cursor "), "\(hint)")
        let cursor = try #require(hint.split(separator: " ").last.map(String.init))
        let next = try cli.run(["memory", "list", "--tag", "deploy", "--limit", "2", "--cursor", cursor, "--json"]).json()
        #expect(next["count"] as? Int == 1)
    }

    /// Every hub command explains itself: a command whose options clash (two groups naming
    /// the same flag) fails its own validation and prints no help at all.
    @Test(arguments: [
        ["hub", "serve"], ["hub", "dev"], ["hub", "usage"], ["hub", "archive", "run"], ["hub", "archive", "restore"], ["hub", "archive", "export"],
        ["hub", "admin", "list"], ["hub", "rollout", "status"], ["hub", "migrate"], ["sync", "now"], ["cloud", "enroll"],
    ])
    func everyHubCommandHasItsHelp(command: [String]) throws {
        let home = TemporaryDirectory()
        let result = try CLIRunner(home: home.path).run(command + ["--help"])
        #expect(result.status == 0 && result.stdout.contains("USAGE: tmws \(command.joined(separator: " "))"), "\(command): \(result.stderr)")
    }

    /// Help is wrapped by ArgumentParser at 80 columns: a paragraph must be one line in the
    /// source (or it breaks raggedly) and an example must fit, or it wraps mid-command.
    @Test(arguments: [
        ["--help"], ["memory", "add", "--help"], ["memory", "import", "--help"], ["memory", "search", "--help"],
        ["memory", "update", "--help"], ["memory", "export", "--help"], ["serve", "--help"], ["mcp", "--help"],
        ["classify", "--help"], ["doctor", "--help"], ["bench", "local", "--help"], ["bench", "mcp", "--help"],
    ])
    func helpTextIsNotWrappedMidExampleOrMidSentence(arguments: [String]) throws {
        let home = TemporaryDirectory()
        let help = try CLIRunner(home: home.path).run(arguments).stdout
        let discussion = help.components(separatedBy: "\nUSAGE:").first ?? help
        let lines = discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            #expect(line.count <= 80, "\(arguments): \(line)")
            // An indented example followed straight by unindented text is an example that wrapped.
            if line.hasPrefix("  "), index + 1 < lines.count {
                let next = lines[index + 1]
                #expect(next.isEmpty || next.hasPrefix("  "), "\(arguments): '\(line)' wraps into '\(next)'")
            }
        }
        // A line that the next line's first word would have fitted on is a hard line break in
        // the source, inside a paragraph.
        for (index, line) in lines.enumerated() where index + 1 < lines.count && !line.hasPrefix("  ") {
            let next = lines[index + 1]
            if !line.isEmpty, !next.isEmpty, !next.hasPrefix("  "), !line.hasSuffix(":"), !line.hasPrefix("OVERVIEW:") {
                let word = next.split(separator: " ").first.map(String.init) ?? next
                #expect(line.count + 1 + word.count >= 80, "\(arguments): a line ends early: '\(line)'")
            }
        }
    }

    @Test func theVersionIsTheSameEverywhere() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let flag = try cli.run(["--version"]).stdout
        let command = try cli.run(["version"]).stdout
        #expect(flag == command && flag == "tmws 0.1.0\n")
        let json = try cli.run(["version", "--json"]).json()
        #expect(json["version"] as? String == "0.1.0")
        #expect(json["schema"] as? String == "v9-hygiene")
    }

    @Test func redactionAndOverridesAreSaid() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let redacted = try cli.run(["memory", "add", "staging key \(Self.token) for the bot", "--scope", "GLOBAL", "--redact"])
        #expect(redacted.status == 0)
        #expect(redacted.stderr.contains("redacted before storing: github_token"), "\(redacted.stderr)")
        #expect(!redacted.stderr.contains(Self.token) && !redacted.stdout.contains(Self.token))

        let id = try cli.run(["memory", "add", "release checklist"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let moved = try cli.run(["memory", "update", id, "--scope", "GLOBAL"])
        #expect(moved.status == 0)
        #expect(moved.stderr.contains("warning: stored as GLOBAL as asked"), "\(moved.stderr)")
    }

    @Test func importCanRedactInsteadOfRefusing() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let line = Data(#"{"content": "deploy token \#(Self.token)", "scope": "GLOBAL", "tags": ["bot"]}"#.utf8 + [0x0A])
        let refused = try cli.run(["memory", "import", "-"], stdin: line)
        #expect(refused.status == 1 && refused.stderr.contains("line 1"))
        let imported = try cli.run(["memory", "import", "-", "--redact", "--json"], stdin: line)
        #expect(imported.status == 0, "\(imported.stderr)")
        let export = try cli.run(["memory", "export"]).stdout
        #expect(export.contains("[REDACTED:github_token]") && !export.contains(Self.token))
    }

    @Test func aBusyPortIsExplained() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        // Hold a port with a listening socket of our own.
        let socket = try ListeningSocket()
        let result = try cli.run(["serve", "--port", String(socket.port)])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot listen on 127.0.0.1 port \(socket.port): Address already in use"), "\(result.stderr)")
        #expect(result.stderr.contains("--port"))
    }

    /// The CLI's --json answers in the same forms as REST and MCP.
    @Test func jsonResultsHaveOneFormEverywhere() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let id = try cli.run(["memory", "add", "shared form note", "--ttl-days", "1"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let search = try cli.run(["memory", "search", "shared", "--json"]).json()
        // No embedding model in this home: lexical, and each hit says which ranking found it.
        #expect(Set(search.keys) == ["count", "results", "mode"])
        #expect(search["mode"] as? String == "lexical")
        let hit = try #require((search["results"] as? [[String: Any]])?.first)
        #expect(Set(hit.keys) == ["score", "memory", "found_by"])
        #expect(Set(try cli.run(["memory", "list", "--json"]).json().keys) == ["memories", "count", "next_cursor"])
        let classified = try cli.run(["classify", "my wifi password is Tr0ub4dor&3", "--json"]).json()
        for key in ["scope", "auto_scope", "findings", "field_findings", "redacted", "knowledge_type", "reasons"] {
            #expect(classified[key] != nil, "classify --json lacks \(key)")
        }
        #expect(((classified["findings"] as? [[String: Any]])?.first?["tier"]) != nil)
        #expect(Set(try cli.run(["memory", "prune", "--dry-run", "--json"]).json().keys) == ["dry_run", "expired", "expired_ids", "tombstones"])
        #expect(Set(try cli.run(["memory", "delete", id, "--json"]).json().keys) == ["id", "deleted", "version"])
    }
}

/// A TCP socket listening on a free loopback port, closed on deinit.
final class ListeningSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0, listen(descriptor, 1) == 0 else {
            close(descriptor)
            throw CLIRunner.CLIError("cannot listen")
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
