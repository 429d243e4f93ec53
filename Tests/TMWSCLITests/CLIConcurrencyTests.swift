import Foundation
import TMWSTestSupport
import Testing

@Suite struct CLIConcurrencyTests {
    /// Four processes, each adding 500 memories in 500 separate transactions, at the same time.
    @Test func fourProcessesAddingFiveHundredEachLoseNothing() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        var processes: [Process] = []
        for writer in 0..<4 {
            let file = home.file("writer-\(writer).jsonl")
            let lines = (0..<500).map {
                #"{"content": "writer \#(writer) memory \#($0) about concurrency", "scope": "\#($0 % 2 == 0 ? "GLOBAL" : "PROJECT")"}"#
            }
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            processes.append(try cli.start(["memory", "import", file, "--batch-size", "1"], stderrPath: file + ".err"))
        }
        for (writer, process) in processes.enumerated() {
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: home.file("writer-\(writer).jsonl.err"), encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "writer \(writer): \(errors)")
        }
        let stats = try cli.run(["memory", "stats", "--json"]).json()
        #expect(stats["total"] as? Int == 2000)
        #expect(stats["audit_records"] as? Int == 2000)
        #expect(stats["outbox_pending"] as? Int == 1000)
        let doctor = try cli.run(["doctor", "--json"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        let checks = try #require(try doctor.json()["checks"] as? [[String: Any]])
        #expect(checks.count == 7)
        #expect(checks.allSatisfy { $0["ok"] as? Bool == true })
        #expect(try cli.run(["memory", "search", "concurrency", "--limit", "1000", "--json"]).json()["count"] as? Int == 1000)
    }

    /// Separate `tmws memory add` processes, as several editor windows would run them.
    @Test func parallelAddCommandsLoseNothing() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        var processes: [Process] = []
        for index in 0..<24 {
            processes.append(try cli.start(["memory", "add", "parallel add \(index)"], stderrPath: home.file("add-\(index).err")))
        }
        for (index, process) in processes.enumerated() {
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: home.file("add-\(index).err"), encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "add \(index): \(errors)")
        }
        #expect(try cli.run(["memory", "stats", "--json"]).json()["total"] as? Int == 24)
    }
}
