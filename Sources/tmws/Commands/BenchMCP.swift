import ArgumentParser
import Foundation
import TMWSBench
import TMWSCore
import TMWSSQLite

/// `tmws bench mcp`: round trips through a real `tmws mcp` process over stdio.
struct BenchMCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Benchmark MCP round trips (store_memory, search_memories) over stdio.",
        discussion: """
            Fills a temporary store with --memories synthetic memories, starts 'tmws mcp' on it as a child \
            process, and times each request from writing its line to reading its response (p50/p95/p99).

            With --hybrid, the same node is measured three times in one run: hybrid mode off; on, enrolled \
            with a hub of its own on this machine (its own PostgreSQL; reachable); and on with that hub \
            unreachable (its address then leads nowhere). The roadmap's rule: turning hybrid mode on costs \
            the local path under 10 %.
            """
    )

    @Flag(help: "Also measure with hybrid mode on, with a reachable hub and with an unreachable one (starts its own PostgreSQL and hub).")
    var hybrid = false

    @Option(help: ArgumentHelp("Memories in the store before measuring.", valueName: "n"))
    var memories = 10_000

    @Option(help: ArgumentHelp("Calls of each tool to time.", valueName: "n"))
    var calls = 500

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var memories: Int
        var storeMemoryMilliseconds: LatencySummary
        var searchMemoriesMilliseconds: LatencySummary
        /// With `--hybrid`: the same calls with hybrid mode on, by configuration.
        var hybrid: [Configuration]?

        enum CodingKeys: String, CodingKey {
            case memories, hybrid
            case storeMemoryMilliseconds = "store_memory_ms"
            case searchMemoriesMilliseconds = "search_memories_ms"
        }
    }

    struct Configuration: Encodable {
        var name: String
        var storeMemoryMilliseconds: LatencySummary
        var searchMemoriesMilliseconds: LatencySummary
        /// p50 against hybrid mode off.
        var storeCost: Double
        var searchCost: Double

        enum CodingKeys: String, CodingKey {
            case name
            case storeMemoryMilliseconds = "store_memory_ms"
            case searchMemoriesMilliseconds = "search_memories_ms"
            case storeCost = "store_p50_vs_off"
            case searchCost = "search_p50_vs_off"
        }
    }

    func validate() throws {
        guard memories >= 0, calls >= 1 else { throw ValidationError("--memories must be 0 or more and --calls at least 1") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-bench-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMemoryStore(configuration: .init(path: directory.appendingPathComponent("tmws.db").path))
        let service = MemoryService(store: store, defaultNamespace: try Namespace(validating: "bench"))
        let corpus = SyntheticCorpus()
        _ = try await service.importLines((0..<memories).map { Array(corpus.jsonLine($0).utf8)[...] }, by: Caller(agentID: "bench"))

        var (stores, searches) = try Self.measure(home: directory, calls: calls, first: memories, corpus: corpus)
        var report = Report(memories: memories, storeMemoryMilliseconds: LatencySummary(stores), searchMemoriesMilliseconds: LatencySummary(searches))
        if hybrid {
            let configurations = try await Self.hybridConfigurations(home: directory, calls: calls, first: memories + calls, corpus: corpus)
            // Hybrid mode off is measured again last, and both runs count: the machine's drift
            // over the run does not favour either side.
            let (moreStores, moreSearches) = try Self.measure(home: directory, calls: calls, first: memories + 4 * calls, corpus: corpus)
            stores += moreStores
            searches += moreSearches
            report.storeMemoryMilliseconds = LatencySummary(stores)
            report.searchMemoriesMilliseconds = LatencySummary(searches)
            report.hybrid = configurations.map { name, measured in Self.configuration(name, measured, off: report) }
        }
        if global.json {
            try Terminal.printJSON(report)
            return
        }
        var table = TextTable("ROUND TRIP (ms)", "P50", "P95", "P99", "SAMPLES")
        table.append(latencyRow("store_memory", report.storeMemoryMilliseconds))
        table.append(latencyRow("search_memories", report.searchMemoriesMilliseconds))
        for configuration in report.hybrid ?? [] {
            table.append(latencyRow("store_memory, \(configuration.name)", configuration.storeMemoryMilliseconds))
            table.append(latencyRow("search_memories, \(configuration.name)", configuration.searchMemoriesMilliseconds))
        }
        print(table.render())
        for configuration in report.hybrid ?? [] {
            print(
                String(
                    format: "%@: store p50 ×%.2f, search p50 ×%.2f against hybrid mode off", configuration.name, configuration.storeCost,
                    configuration.searchCost))
        }
        print("\nmemories in the store: \(memories)")
    }

    /// The node enrolled with a hub of its own, measured with hybrid mode on while the hub
    /// runs, then with the hub's address leading nowhere.
    static func configuration(_ name: String, _ measured: ([Duration], [Duration]), off: Report) -> Configuration {
        let (stores, searches) = (LatencySummary(measured.0), LatencySummary(measured.1))
        return Configuration(
            name: name, storeMemoryMilliseconds: stores, searchMemoriesMilliseconds: searches,
            storeCost: stores.p50 / max(off.storeMemoryMilliseconds.p50, 0.000_001),
            searchCost: searches.p50 / max(off.searchMemoriesMilliseconds.p50, 0.000_001)
        )
    }

    static func hybridConfigurations(home: URL, calls: Int, first: Int, corpus: SyntheticCorpus) async throws -> [(String, ([Duration], [Duration]))] {
        let on = ["TMWS_HYBRID_MODE_ENABLED": "true"]
        let reachable = try await BenchHubFixture.run { fixture, _, port in
            let enroll = try Self.runTool(
                [
                    "cloud", "enroll", "--hub", "https://127.0.0.1:\(port)", "--token", try await fixture.enrollToken(), "--ca", fixture.caFile,
                    "--name", "bench-node", "--unprotected-keys",
                ],
                home: home
            )
            guard enroll == 0 else { throw TMWSError(.io, "tmws cloud enroll failed (exit \(enroll))") }
            // As an enrolled node runs: synced (its GLOBAL memories pulled) before it is used.
            // (Exit 1: the synthetic SHARED memories have no team and are refused; the pull ran.)
            let synced = try Self.runTool(["sync", "now"], home: home, environment: on, quiet: true)
            guard synced == 0 || synced == 1 else { throw TMWSError(.io, "tmws sync now failed (exit \(synced))") }
            return try Self.measure(home: home, calls: calls, first: first, corpus: corpus, environment: on)
        }
        // The hub's address now leads nowhere: a blackholed address (TEST-NET-1, RFC 5737).
        let file = home.appendingPathComponent("cloud.json")
        var enrollment = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        enrollment["hub_url"] = "https://192.0.2.1:443"
        try JSONSerialization.data(withJSONObject: enrollment).write(to: file)
        let unreachable = try Self.measure(home: home, calls: calls, first: first + calls, corpus: corpus, environment: on)
        return [("hybrid on, hub reachable", reachable), ("hybrid on, hub unreachable", unreachable)]
    }

    /// Runs this binary with `arguments` in `home`; its exit status.
    static func runTool(_ arguments: [String], home: URL, environment: [String: String] = [:], quiet: Bool = false) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ThisExecutable.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["TMWS_HOME": home.path]) { $1 }) { $1 }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0, !quiet {
            FileHandle.standardError.write(Data("tmws \(arguments.first ?? "") \(arguments.dropFirst().first ?? ""): ".utf8) + said.prefix(2000))
        }
        return process.terminationStatus
    }

    /// `calls` store_memory and search_memories round trips through a `tmws mcp` on `home`.
    static func measure(
        home directory: URL, calls: Int, first: Int, corpus: SyntheticCorpus, environment: [String: String] = [:]
    ) throws -> ([Duration], [Duration]) {
        let process = Process()
        // This very binary, wherever it was started from (argv[0] is a bare name when tmws
        // was found on PATH, and resolving it against the working directory finds nothing).
        process.executableURL = URL(fileURLWithPath: ThisExecutable.path)
        process.arguments = ["mcp"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["TMWS_HOME": directory.path]) { $1 }) { $1 }
        process.currentDirectoryURL = directory
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let reader = LineReader(handle: output.fileHandleForReading)
        let clock = ContinuousClock()
        var nextID = 0
        func roundTrip(_ method: String, _ params: String) throws -> Duration {
            nextID += 1
            let line = #"{"jsonrpc":"2.0","id":\#(nextID),"method":"\#(method)","params":\#(params)}"# + "\n"
            let start = clock.now
            input.fileHandleForWriting.write(Data(line.utf8))
            guard let response = reader.next(), response.contains(#""id":\#(nextID)"#) else {
                throw TMWSError(.io, "tmws mcp did not answer request \(nextID)")
            }
            return clock.now - start
        }
        _ = try roundTrip("initialize", #"{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}"#)
        input.fileHandleForWriting.write(Data((#"{"jsonrpc":"2.0","method":"notifications/initialized"}"# + "\n").utf8))
        var stores: [Duration] = []
        var searches: [Duration] = []
        for index in 0..<calls {
            let content = corpus.item(first + index).content.replacingOccurrences(of: "\"", with: "'")
            stores.append(try roundTrip("tools/call", #"{"name":"store_memory","arguments":{"content":"\#(content)"}}"#))
            // Every other query finds nothing here (what an agent asks about something it never
            // wrote down): the case where a local-first search would ask the hub.
            let query = index.isMultiple(of: 2) ? SyntheticCorpus.queries[index / 2 % SyntheticCorpus.queries.count] : "zqxj\(index)vwk"
            searches.append(try roundTrip("tools/call", #"{"name":"search_memories","arguments":{"query":"\#(query)"}}"#))
        }
        return (stores, searches)
    }
}

/// Reads lines from a pipe, blocking.
private final class LineReader {
    let handle: FileHandle
    var buffer = Data()

    init(handle: FileHandle) {
        self.handle = handle
    }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

}

/// The running executable: `/proc/self/exe` on Linux, else `argv[0]` as given or on PATH.
enum ThisExecutable {
    static var path: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let first = CommandLine.arguments[0]
        if first.contains("/") { return URL(fileURLWithPath: first).resolvingSymlinksInPath().path }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(first)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return first
    }
}
