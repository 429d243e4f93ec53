import Foundation
import TMWSTestSupport
import Testing

@Suite struct CLIClassificationTests {
    static let secret = "AKIAQ3EGRFOB4NDL3XYZ"

    @Test func aSecretWithAGlobalScopeIsRefusedAndWithoutAScopeLandsInPrivate() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let refused = try cli.run(["memory", "add", "deploy with key \(Self.secret)", "--scope", "GLOBAL"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "tmws: error: GLOBAL refused: the memory contains sensitive data (aws_access_key_id); use PRIVATE, or redact it (--redact, or \"redact\": true)\n"
        )
        #expect(!refused.stdout.contains(Self.secret) && !refused.stderr.contains(Self.secret))
        #expect(try cli.run(["memory", "stats", "--json"]).json()["total"] as? Int == 0)

        let stored = try cli.run(["memory", "add", "deploy with key \(Self.secret)", "--json"]).json()
        #expect(stored["scope"] as? String == "PRIVATE")
        let classification = try #require(stored["classification"] as? [String: Any])
        #expect(classification["finding_types"] as? [String] == ["aws_access_key_id"])
        #expect(try cli.run(["memory", "stats", "--json"]).json()["outbox_pending"] as? Int == 0)

        // The refusal and the decision are audited, with finding types and never the key.
        let database = home.file("tmws.db")
        let audit = try Self.query(database, "SELECT action || ' ' || details FROM audit_log ORDER BY seq")
        #expect(audit == ["refuse refused,findings:aws_access_key_id", "create scope:auto,findings:aws_access_key_id"])
        #expect(try Self.query(database, "SELECT count(*) FROM audit_log WHERE details LIKE '%AKIA%'") == ["0"])
    }

    @Test func redactionStoresOnlyTheRedactedText() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let stored = try cli.run(["memory", "add", "staging key \(Self.secret) for the deploy bot", "--scope", "GLOBAL", "--redact", "--json"])
        #expect(stored.status == 0, "\(stored.stderr)")
        let memory = try stored.json()
        #expect(memory["scope"] as? String == "GLOBAL")
        #expect(memory["content"] as? String == "staging key [REDACTED:aws_access_key_id] for the deploy bot")
        let exported = try cli.run(["memory", "export", "--include-private"]).stdout
        #expect(!exported.contains(Self.secret))
    }

    @Test func anUpdateCannotMoveASecretToTheCloud() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let id = try #require(try cli.run(["memory", "add", "harmless note", "--scope", "GLOBAL", "--json"]).json()["id"] as? String)
        let refused = try cli.run(["memory", "update", id, "--content", "now with \(Self.secret)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("GLOBAL refused"))
        #expect(try cli.run(["memory", "get", id, "--json"]).json()["content"] as? String == "harmless note")
    }

    @Test func aSecretInAnImportWithACloudScopeImportsNothing() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let lines = #"{"content": "fine"}"# + "\n" + #"{"content": "key \#(Self.secret)", "scope": "SHARED"}"#
        let result = try cli.run(["memory", "import", "-"], stdin: Data(lines.utf8))
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "tmws: error: line 2: SHARED refused: the memory contains sensitive data (aws_access_key_id); use PRIVATE, or redact it (--redact, or \"redact\": true)\n"
        )
        #expect(try cli.run(["memory", "stats", "--json"]).json()["total"] as? Int == 0)
    }

    @Test func classifyJSONLinesReportsEveryFieldAndNeverAValue() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let input = [
            #"{"id": "a", "content": "my wifi password is Pa55word!"}"#,
            #"{"id": "b", "content": "key \#(Self.secret)", "scope": "GLOBAL"}"#,
            #"{"id": "c", "content": "Lunch is at noon.", "scope": "GLOBAL"}"#,
            #"{"id": "d", "content": "パスワードは hunter2 です"}"#,
        ].joined(separator: "\n")
        let result = try cli.run(["classify", "--jsonl"], stdin: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("Pa55word") && !result.stdout.contains(Self.secret) && !result.stdout.contains("hunter2"))
        let lines = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 4)
        let keys: Set<String> = [
            "id", "scope", "auto_scope", "overridden", "sensitive", "findings", "knowledge_type", "project_specific", "confidence", "reasons", "warnings",
        ]
        #expect(keys.isSubset(of: Set(lines[0].keys)))
        #expect(lines[0]["scope"] as? String == "PRIVATE")
        #expect((lines[0]["findings"] as? [[String: Any]])?.first?["type"] as? String == "secret_in_prose")
        #expect((lines[0]["findings"] as? [[String: Any]])?.first?["start"] as? Int == 20)
        #expect((lines[0]["findings"] as? [[String: Any]])?.first?["end"] as? Int == 29)
        #expect(lines[1]["error"] as? String != nil)
        #expect(lines[1]["auto_scope"] as? String == "PRIVATE")
        #expect(lines[2]["scope"] as? String == "GLOBAL")
        #expect(lines[2]["overridden"] as? Bool == true)
        #expect((lines[2]["warnings"] as? [String])?.count == 1)
        #expect(lines[3]["sensitive"] as? Bool == true)
    }

    @Test func classifyATextAndItsExitCodes() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let safe = try cli.run(["classify", "Lunch is at noon.", "--json"])
        #expect(safe.status == 0)
        #expect(try safe.json()["scope"] as? String == "PROJECT")
        let fromStdin = try cli.run(["classify", "--json"], stdin: Data("DB_PASSWORD=hunter2x".utf8))
        #expect(try fromStdin.json()["scope"] as? String == "PRIVATE")
        let refused = try cli.run(["classify", "DB_PASSWORD=hunter2x", "--scope", "GLOBAL"])
        #expect(refused.status == 1)
        let malformed = try cli.run(["classify", "--jsonl"], stdin: Data("not json\n".utf8))
        #expect(malformed.status == 1)
        #expect(malformed.stdout.contains("\"error\""))
    }

    static func query(_ database: String, _ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }
}
