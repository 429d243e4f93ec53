import ArgumentParser
import Foundation
import TMWSBench
import TMWSCore
import TMWSHost
import TMWSSQLite
import TMWSSync

/// `tmws bench mcp`: round trips through a real `tmws mcp` process over stdio.
struct BenchMCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Benchmark MCP round trips (store_memory, search_memories) over stdio.",
        discussion: """
            Fills a temporary store with --memories synthetic memories, starts 'tmws mcp' on it as a child \
            process, and times each request from writing its line to reading its response (p50/p95/p99).

            With --hybrid, the node is then enrolled with a hub of its own on this machine (its own \
            PostgreSQL) and measured in --rounds rounds, each of three configurations one after the other: \
            hybrid mode off; on, with the hub reachable; and on with the hub unreachable (its address then \
            leads nowhere). Each configuration's samples are pooled over the rounds, so the machine's drift \
            over the run weighs on all three alike. The roadmap's rule: turning hybrid mode on costs the \
            local path under 10 %.

            With --embedding, the configured embedding model (the built-in one after 'tmws models install') \
            is measured the same way against embedding.provider = off: with searches in their default mode \
            (hybrid: each query is embedded) and with lexical searches, which shows what the model's \
            background work costs the write path apart from the queries' own embedding. Before each \
            configuration the store's backlog is embedded, as on a node that has caught up.
            """
    )

    @Flag(help: "Also measure with hybrid mode on, with a reachable hub and with an unreachable one (starts its own PostgreSQL and hub).")
    var hybrid = false

    @Option(help: ArgumentHelp("Memories in the store before measuring.", valueName: "n"))
    var memories = 10_000

    @Option(help: ArgumentHelp("Calls of each tool to time (per configuration and round with --hybrid).", valueName: "n"))
    var calls = 500

    @Flag(help: "Also measure with the configured embedding model running, against none (see above).")
    var embedding = false

    @Option(help: ArgumentHelp("With --hybrid or --embedding: rounds of the three configurations.", valueName: "n"))
    var rounds = 5

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var memories: Int
        var storeMemoryMilliseconds: LatencySummary
        var searchMemoriesMilliseconds: LatencySummary
        /// With `--hybrid`: the same calls with hybrid mode on, by configuration.
        var hybrid: [Configuration]?
        /// With `--embedding`: the same calls with the embedding model running, by configuration.
        var embedding: [Configuration]?
        /// With `--hybrid` or `--embedding`: the rounds each configuration's samples were pooled over.
        var rounds: Int?

        enum CodingKeys: String, CodingKey {
            case memories, hybrid, embedding, rounds
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
        guard memories >= 0, calls >= 1, rounds >= 1 else {
            throw ValidationError("--memories must be 0 or more, --calls and --rounds at least 1")
        }
        guard !(hybrid && embedding) else { throw ValidationError("--hybrid and --embedding are measured in separate runs") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-bench-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMemoryStore(configuration: .init(path: directory.appendingPathComponent("tmws.db").path))
        let service = MemoryService(store: store, defaultNamespace: try Namespace(validating: "bench"))
        let corpus = SyntheticCorpus()
        _ = try await service.importLines((0..<memories).map { Array(corpus.jsonLine($0).utf8)[...] }, by: Caller(agentID: "bench"))
        // With an embedding model configured, the store starts as a running node's would: its
        // memories embedded, so what is timed is each write's own (background) embedding. The
        // child runs on a home of its own: it is told the model this command found.
        let configuration = try AppContext(options: global).configuration
        let embedder = try EmbeddingWiring.embedder(configuration)
        let model = embedder.map { _ in Self.embeddingEnvironment(configuration) } ?? ["TMWS_EMBEDDING_PROVIDER": "off"]
        func catchUp() async throws {
            guard let embedder else { return }
            let loop = EmbeddingLoop(embedder: embedder, vectors: store, clock: ContinuousClock())
            while try await loop.step().taken > 0 {}
        }
        try await catchUp()

        let (stores, searches) = try Self.measure(home: directory, calls: calls, first: memories, corpus: corpus, environment: model)
        var report = Report(memories: memories, storeMemoryMilliseconds: LatencySummary(stores), searchMemoriesMilliseconds: LatencySummary(searches))
        if embedding {
            guard embedder != nil else {
                throw TMWSError(.configuration, "--embedding needs an embedding model: run 'tmws models install' or set embedding.provider")
            }
            var (off, on, onLexical) = (Samples(), Samples(), Samples())
            var next = memories + calls
            func measure(_ environment: [String: String], searchMode: String? = nil) throws -> ([Duration], [Duration]) {
                defer { next += calls }
                return try Self.measure(home: directory, calls: calls, first: next, corpus: corpus, environment: environment, searchMode: searchMode)
            }
            for _ in 0..<rounds {
                off.add(try measure(["TMWS_EMBEDDING_PROVIDER": "off"]))
                try await catchUp()
                on.add(try measure(model))
                try await catchUp()
                onLexical.add(try measure(model, searchMode: "lexical"))
                try await catchUp()
            }
            report.storeMemoryMilliseconds = LatencySummary(off.stores)
            report.searchMemoriesMilliseconds = LatencySummary(off.searches)
            report.embedding = [("model on, default searches", on), ("model on, lexical searches", onLexical)].map {
                Self.configuration($0, ($1.stores, $1.searches), off: report)
            }
            report.rounds = rounds
        }
        if hybrid {
            let measured = try await Self.hybridRounds(home: directory, calls: calls, rounds: rounds, first: memories + calls, corpus: corpus)
            // Hybrid mode off as measured in the rounds, beside the other two.
            report.storeMemoryMilliseconds = LatencySummary(measured.off.stores)
            report.searchMemoriesMilliseconds = LatencySummary(measured.off.searches)
            report.hybrid = [("hybrid on, hub reachable", measured.reachable), ("hybrid on, hub unreachable", measured.unreachable)].map {
                Self.configuration($0, ($1.stores, $1.searches), off: report)
            }
            report.rounds = rounds
        }
        if global.json {
            try Terminal.printJSON(report)
            return
        }
        var table = TextTable("ROUND TRIP (ms)", "P50", "P95", "P99", "SAMPLES")
        table.append(latencyRow("store_memory", report.storeMemoryMilliseconds))
        table.append(latencyRow("search_memories", report.searchMemoriesMilliseconds))
        let compared = (report.hybrid ?? []) + (report.embedding ?? [])
        for configuration in compared {
            table.append(latencyRow("store_memory, \(configuration.name)", configuration.storeMemoryMilliseconds))
            table.append(latencyRow("search_memories, \(configuration.name)", configuration.searchMemoriesMilliseconds))
        }
        print(table.render())
        let baseline = report.hybrid == nil ? "no embedding model" : "hybrid mode off"
        for configuration in compared {
            print(
                String(
                    format: "%@: store p50 ×%.2f, search p50 ×%.2f against %@", configuration.name, configuration.storeCost,
                    configuration.searchCost, baseline))
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

    /// Round trips of one configuration, pooled over the rounds.
    struct Samples: Sendable {
        var stores: [Duration] = []
        var searches: [Duration] = []

        mutating func add(_ measured: ([Duration], [Duration])) {
            stores += measured.0
            searches += measured.1
        }
    }

    /// The node enrolled with a hub of its own, then measured in rounds of three: hybrid mode
    /// off, on while the hub runs, and on with the hub's address leading nowhere.
    static func hybridRounds(
        home: URL, calls: Int, rounds: Int, first: Int, corpus: SyntheticCorpus
    ) async throws -> (off: Samples, reachable: Samples, unreachable: Samples) {
        let on = ["TMWS_HYBRID_MODE_ENABLED": "true"]
        return try await BenchHubFixture.run { fixture, _, port in
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
            let file = home.appendingPathComponent("cloud.json")
            let enrollment = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
            func hub(_ url: Any?) throws {
                var changed = enrollment
                changed["hub_url"] = url
                try JSONSerialization.data(withJSONObject: changed).write(to: file)
            }
            var (off, reachable, unreachable) = (Samples(), Samples(), Samples())
            var next = first
            func measure(_ environment: [String: String]) throws -> ([Duration], [Duration]) {
                defer { next += calls }
                return try Self.measure(home: home, calls: calls, first: next, corpus: corpus, environment: environment)
            }
            for _ in 0..<rounds {
                off.add(try measure([:]))
                try hub(enrollment["hub_url"])
                reachable.add(try measure(on))
                // A blackholed address (TEST-NET-1, RFC 5737).
                try hub("https://192.0.2.1:443")
                unreachable.add(try measure(on))
            }
            try hub(enrollment["hub_url"])
            return (off, reachable, unreachable)
        }
    }

    /// The embedding settings of `configuration` for a child on another home.
    static func embeddingEnvironment(_ configuration: TMWSConfiguration) -> [String: String] {
        let settings = configuration.embedding
        var environment = ["TMWS_EMBEDDING_PROVIDER": settings.provider.rawValue, "TMWS_EMBEDDING_API_KEY_ENV": settings.apiKeyVariable]
        switch settings.provider {
        case .auto, .builtin: environment["TMWS_EMBEDDING_MODEL_PATH"] = EmbeddingWiring.modelPath(configuration)
        case .ollama, .openai, .off: break
        }
        environment["TMWS_EMBEDDING_URL"] = settings.url
        environment["TMWS_EMBEDDING_MODEL"] = settings.model
        return environment
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
        home directory: URL, calls: Int, first: Int, corpus: SyntheticCorpus, environment: [String: String] = [:], searchMode: String? = nil
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
            let mode = searchMode.map { #","mode":"\#($0)""# } ?? ""
            searches.append(try roundTrip("tools/call", #"{"name":"search_memories","arguments":{"query":"\#(query)"\#(mode)}}"#))
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
