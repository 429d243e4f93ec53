import ArgumentParser
import Foundation
import TMWSBench
import TMWSCore
import TMWSSQLite

/// `tmws bench …`: measurements, never assertions.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure TMWS on this machine.",
        subcommands: [
            BenchLocal.self, BenchClassify.self, BenchMCP.self, BenchHub.self, BenchSync.self, BenchCorpus.self, BenchRetrieval.self,
            BenchHygiene.self,
        ]
    )
}

/// A table row: a name and its latency percentiles in milliseconds.
func latencyRow(_ name: String, _ summary: LatencySummary) -> [String] {
    [name, String(format: "%.3f", summary.p50), String(format: "%.3f", summary.p95), String(format: "%.3f", summary.p99), String(summary.count)]
}

/// `tmws bench local`.
struct BenchLocal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Benchmark the local SQLite store on a synthetic corpus.",
        discussion: """
            Builds a temporary database (deleted afterwards) from a deterministic corpus of English and \
            Japanese notes, then reports bulk import throughput, single-add, search and get latency \
            (p50/p95/p99), database bytes per memory and peak memory. Build with -c release for real numbers.
            """
    )

    @Option(help: ArgumentHelp("Memories to import before measuring.", valueName: "n"))
    var memories = 10_000

    @Option(name: .customLong("single-adds"), help: ArgumentHelp("Single adds to time.", valueName: "n"))
    var singleAdds = 1000

    @Option(name: .customLong("search-rounds"), help: ArgumentHelp("Times each of the fixed queries runs.", valueName: "n"))
    var searchRounds = 5

    @Option(help: ArgumentHelp("Write the JSON report to this file too.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The duplicate check on single adds: off, report (the default, as 'memory.dedup') or merge.", valueName: "policy"))
    var dedup = "report"

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard DedupPolicy(rawValue: dedup) != nil else { throw ValidationError("--dedup must be off, report or merge") }
        guard memories >= 0, singleAdds >= 1, searchRounds >= 1 else {
            throw ValidationError("--memories must be 0 or more; --single-adds and --search-rounds at least 1")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMemoryStore(configuration: .init(path: directory.appendingPathComponent("tmws.db").path))
        var service = MemoryService(store: store, defaultNamespace: try Namespace(validating: "bench"))
        service.dedup = DedupPolicy(rawValue: dedup) ?? .report
        // The corpus has SHARED notes: they go to a team of the benchmark's own (nothing syncs).
        service.defaultTeam = "00000000-0000-4000-8000-00000000be0c"
        let benchmark = LocalBenchmark(memories: memories, singleAdds: singleAdds, searchRounds: searchRounds)
        let report = try await benchmark.run(
            service: service,
            databaseBytes: {
                try await store.checkpoint()
                return store.fileSize()
            },
            progress: { phase in
                if !global.json { Terminal.printNote("… \(phase)") }
            }
        )
        if let output {
            try JSONEncoder.tmws(pretty: true).encode(report).write(to: URL(fileURLWithPath: output))
        }
        if global.json {
            try Terminal.printJSON(report)
            return
        }
        let row = latencyRow
        var table = TextTable("OPERATION (ms)", "P50", "P95", "P99", "SAMPLES")
        table.append(row("single add", report.singleAddMilliseconds))
        table.append(row("search", report.searchMilliseconds))
        table.append(row("get", report.getMilliseconds))
        print(table.render())
        print(
            """

            memories:          \(report.memories)
            import:            \(Int(report.importPerSecond)) memories/s (\(String(format: "%.2f", report.importSeconds)) s)
            hits per search:   \(String(format: "%.1f", report.averageHitsPerSearch))
            database:          \(report.databaseBytes) bytes (\(Int(report.bytesPerMemory)) bytes/memory)
            peak memory:       \(report.peakMemoryBytes / 1_048_576) MiB
            """)
    }
}

/// `tmws bench corpus`: the benchmark's synthetic memories as JSONL, to try imports or
/// search on a realistic database of your own.
struct BenchCorpus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Print the deterministic synthetic corpus as JSONL (importable with 'tmws memory import -')."
    )

    @Option(help: ArgumentHelp("How many memories.", valueName: "n"))
    var memories = 10_000

    func validate() throws {
        guard memories >= 0 else { throw ValidationError("--memories must be 0 or more") }
    }

    func run() async throws {
        let corpus = SyntheticCorpus()
        var chunk = ""
        for index in 0..<memories {
            chunk += corpus.jsonLine(index) + "\n"
            if chunk.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        FileHandle.standardOutput.write(Data(chunk.utf8))
    }
}

/// `tmws bench classify`.
struct BenchClassify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Benchmark the scope classifier on short, 2 KB and 8 KB memories.",
        discussion: "Reports throughput (MB/s) and per-memory latency p50/p95/p99. Build with -c release for real numbers."
    )

    @Option(name: .customLong("memories"), help: ArgumentHelp("Memories of each size (8 KB: a quarter of this).", valueName: "n"))
    var memoriesPerKind = 1000

    @Flag(name: .customLong("by-rule"), help: "Also print the time each detector rule takes on the 2 KB memories.")
    var byRule = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard memoriesPerKind >= 1 else { throw ValidationError("--memories must be at least 1") }
    }

    func run() async throws {
        let benchmark = ClassifyBenchmark(memoriesPerKind: memoriesPerKind)
        if byRule {
            var random = SplitMix64(seed: 1)
            let texts = (0..<memoriesPerKind).map { benchmark.memory(bytes: 2048, index: 10_000 + $0 * 7, random: &random) }
            var table = TextTable("RULE", "TOTAL ms", "RAN ON")
            for cost in SensitiveDataDetector().ruleCosts(texts).prefix(25) {
                table.append([cost.type, String(format: "%.1f", cost.milliseconds), String(cost.ran)])
            }
            Terminal.printNote(table.render() + "\n")
        }
        let report = try benchmark.run()
        if global.json {
            try Terminal.printJSON(report)
            return
        }
        let row = latencyRow
        var table = TextTable("MEMORIES (ms)", "P50", "P95", "P99", "SAMPLES")
        table.append(row("short notes", report.shortMilliseconds))
        table.append(row("2 KB", report.twoKilobyteMilliseconds))
        table.append(row("8 KB", report.eightKilobyteMilliseconds))
        table.append(row("all", report.allMilliseconds))
        print(table.render())
        print(
            """

            throughput:  \(String(format: "%.1f", report.megabytesPerSecond)) MB/s over \(report.bytes) bytes
            sensitive:   \(report.sensitive) of \(report.memories) memories
            rules:       \(report.rules) finding types
            """)
    }
}
