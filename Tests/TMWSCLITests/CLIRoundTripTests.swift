import Foundation
import TMWSTestSupport
import Testing

@Suite struct CLIRoundTripTests {
    @Test func addGetListSearchUpdateDeleteRoundTripAsJSON() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)

        let added = try cli.run([
            "memory", "add", "Staging deploys need a green canary", "--tag", "deploy", "--tag", "ops",
            "--importance", "0.8", "--scope", "global", "--namespace", "Acme-API", "--json",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let memory = try added.json()
        let id = try #require(memory["id"] as? String)
        #expect(memory["scope"] as? String == "GLOBAL")
        #expect(memory["namespace"] as? String == "acme-api")
        #expect(memory["tags"] as? [String] == ["deploy", "ops"])
        #expect(memory["version"] as? Int == 1)

        _ = try cli.run(["memory", "add", "canary canary canary: the canary gate blocks deploys", "--json"])
        _ = try cli.run(["memory", "add", "unrelated lunch note", "--json"])

        let got = try cli.run(["memory", "get", id, "--json"]).json()
        #expect(got["content"] as? String == "Staging deploys need a green canary")
        #expect(got["access_count"] as? Int == 1)

        let listed = try cli.run(["memory", "list", "--json"]).json()
        #expect(listed["count"] as? Int == 3)
        #expect((listed["memories"] as? [[String: Any]])?.first?["content"] as? String == "unrelated lunch note")

        let searched = try cli.run(["memory", "search", "canary", "--json"]).json()
        let results = try #require(searched["results"] as? [[String: Any]])
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(results.count == 2)
        #expect(scores.count == 2)
        #expect(scores == scores.sorted(by: >))
        #expect((results[0]["memory"] as? [String: Any])?["content"] as? String == "canary canary canary: the canary gate blocks deploys")

        let updated = try cli.run([
            "memory", "update", id, "--content", "Staging deploys need two green canaries",
            "--expected-version", "1", "--json",
        ])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(try updated.json()["version"] as? Int == 2)

        let stale = try cli.run(["memory", "update", id, "--content", "late", "--expected-version", "1"])
        #expect(stale.status == 1)
        #expect(stale.stderr == "tmws: error: version conflict: memory \(id) is at version 2, but version 1 was expected; read it again and retry\n")

        let deleted = try cli.run(["memory", "delete", id, "--json"]).json()
        #expect(deleted["deleted"] as? Bool == true)
        #expect(deleted["version"] as? Int == 3)

        let gone = try cli.run(["memory", "get", id])
        #expect(gone.status == 1)
        #expect(gone.stderr == "tmws: error: memory \(id) not found\n")

        let stats = try cli.run(["memory", "stats", "--json"]).json()
        #expect(stats["total"] as? Int == 2)
        #expect(stats["tombstones"] as? Int == 1)
        #expect(stats["audit_records"] as? Int == 5)
        #expect(stats["outbox_pending"] as? Int == 1)  // the delete of the GLOBAL memory supersedes its create and update
    }

    @Test func readableOutputIsATable() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        _ = try cli.run(["memory", "add", "東京オフィスの設計レビュー", "--tag", "review"])
        let search = try cli.run(["memory", "search", "設計"])
        #expect(search.status == 0)
        #expect(search.stdout.hasPrefix("SCORE  ID"))
        #expect(search.stdout.contains("東京オフィスの設計レビュー"))
        let none = try cli.run(["memory", "search", "nothing-like-this"])
        #expect(none.stdout == "no matches\n")
    }

    @Test func contentCanComeFromStandardInput() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let added = try cli.run(["memory", "add", "--json"], stdin: Data("line one\nline two\n".utf8))
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try added.json()["content"] as? String == "line one\nline two\n")
    }

    @Test func listPagesWithTheCursor() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let lines = (0..<7).map { #"{"content": "note \#($0)"}"# }.joined(separator: "\n")
        _ = try cli.run(["memory", "import", "-"], stdin: Data(lines.utf8))
        var cursor: String?
        var seen: [String] = []
        repeat {
            let page = try cli.run(["memory", "list", "--limit", "3", "--json"] + (cursor.map { ["--cursor", $0] } ?? [])).json()
            seen += (page["memories"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(seen.count == 7)
        #expect(Set(seen).count == 7)
    }

    @Test func ttlExpiryAndPrune() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let lines = """
            {"content": "already expired", "expires_at": "2020-01-01T00:00:00Z"}
            {"content": "still valid", "ttl_days": 30}
            """
        let imported = try cli.run(["memory", "import", "-", "--json"], stdin: Data(lines.utf8)).json()
        #expect(imported["imported"] as? Int == 2)
        #expect(try cli.run(["memory", "search", "expired", "--json"]).json()["count"] as? Int == 0)
        #expect(try cli.run(["memory", "stats", "--json"]).json()["total"] as? Int == 1)
        let dry = try cli.run(["memory", "prune", "--dry-run", "--json"]).json()
        #expect(dry["expired"] as? Int == 1)
        let pruned = try cli.run(["memory", "prune", "--json"]).json()
        #expect(pruned["expired"] as? Int == 1)
        #expect(try cli.run(["memory", "stats", "--json"]).json()["expired"] as? Int == 0)
        #expect(try cli.run(["doctor"]).status == 0)
    }

    @Test func exportLeavesOutPrivateAndImportsBack() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        _ = try cli.run(["memory", "add", "public knowledge", "--scope", "GLOBAL"])
        _ = try cli.run(["memory", "add", "project detail"])
        _ = try cli.run(["memory", "add", "my private note", "--scope", "PRIVATE"])

        let exported = try cli.run(["memory", "export"])
        #expect(exported.status == 0)
        let lines = exported.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(!exported.stdout.contains("my private note"))
        #expect(exported.stderr == "exported 2 memories (PRIVATE left out)\n")

        let all = try cli.run(["memory", "export", "--include-private", "--output", home.file("all.jsonl"), "--json"]).json()
        #expect(all["exported"] as? Int == 3)
        let attributes = try FileManager.default.attributesOfItem(atPath: home.file("all.jsonl"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let otherHome = TemporaryDirectory()
        let other = CLIRunner(home: otherHome.path)
        let first = try other.run(["memory", "import", home.file("all.jsonl"), "--json"]).json()
        #expect(first["imported"] as? Int == 3)
        let again = try other.run(["memory", "import", home.file("all.jsonl"), "--json"]).json()
        #expect(again["imported"] as? Int == 0)
        #expect(again["skipped"] as? Int == 3)
        let source = try cli.run(["memory", "export", "--include-private"]).stdout
        let copy = try other.run(["memory", "export", "--include-private"]).stdout
        // Same ids, content, scopes and creation times (access counts and devices differ).
        func essentials(_ jsonl: String) throws -> [String] {
            try jsonl.split(separator: "\n").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return ["id", "content", "scope", "namespace", "created_at"].map { "\(object[$0] ?? "")" }.joined(separator: "|")
            }
        }
        #expect(try essentials(source) == essentials(copy))
    }

    @Test func configurationPrecedenceReachesTheCLI() throws {
        let home = TemporaryDirectory()
        try "[project]\nnamespace = \"from-file\"\n".write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
        let cli = CLIRunner(home: home.path)
        #expect(try cli.run(["memory", "add", "a", "--json"]).json()["namespace"] as? String == "from-file")
        let fromEnv = try cli.run(["memory", "add", "b", "--json"], extraEnvironment: ["TMWS_NAMESPACE": "from-env"])
        #expect(try fromEnv.json()["namespace"] as? String == "from-env")
        let fromFlag = try cli.run(["memory", "add", "c", "--namespace", "from-flag", "--json"], extraEnvironment: ["TMWS_NAMESPACE": "from-env"])
        #expect(try fromFlag.json()["namespace"] as? String == "from-flag")

        let doctor = try cli.run(["doctor", "--json"], extraEnvironment: ["TMWS_NAMESPACE": "from-env"]).json()
        let settings = try #require(doctor["configuration"] as? [[String: Any]])
        let namespace = settings.first { $0["key"] as? String == "project.namespace" }
        #expect(namespace?["value"] as? String == "from-env")
        #expect(namespace?["source"] as? String == "environment")
        #expect(doctor["ok"] as? Bool == true)
    }

    @Test func theNamespaceIsDetectedFromTheGitRemote() throws {
        let home = TemporaryDirectory()
        let repo = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: repo.file(".git"), withIntermediateDirectories: true)
        try "[remote \"origin\"]\n\turl = https://github.com/Acme/Rocket.git\n".write(toFile: repo.file(".git/config"), atomically: true, encoding: .utf8)
        let cli = CLIRunner(home: home.path, workingDirectory: repo.path)
        #expect(try cli.run(["memory", "add", "x", "--json"]).json()["namespace"] as? String == "github.com-acme-rocket")
    }

    @Test func versionAndHelp() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        let version = try cli.run(["version", "--json"])
        #expect(version.status == 0)
        #expect(try version.json()["version"] as? String == "0.1.0")
        let help = try cli.run(["memory", "add", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--ttl-days"))
    }
}
