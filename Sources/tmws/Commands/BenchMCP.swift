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
            """
    )

    @Option(help: ArgumentHelp("Memories in the store before measuring.", valueName: "n"))
    var memories = 10_000

    @Option(help: ArgumentHelp("Calls of each tool to time.", valueName: "n"))
    var calls = 500

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var memories: Int
        var storeMemoryMilliseconds: LatencySummary
        var searchMemoriesMilliseconds: LatencySummary

        enum CodingKeys: String, CodingKey {
            case memories
            case storeMemoryMilliseconds = "store_memory_ms"
            case searchMemoriesMilliseconds = "search_memories_ms"
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

        let process = Process()
        // This very binary, wherever it was started from (argv[0] is a bare name when tmws
        // was found on PATH, and resolving it against the working directory finds nothing).
        process.executableURL = URL(fileURLWithPath: ThisExecutable.path)
        process.arguments = ["mcp"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMWS_HOME": directory.path]) { $1 }
        process.currentDirectoryURL = directory
        let input = Pipe(), output = Pipe()
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
            let content = corpus.item(memories + index).content.replacingOccurrences(of: "\"", with: "'")
            stores.append(try roundTrip("tools/call", #"{"name":"store_memory","arguments":{"content":"\#(content)"}}"#))
            let query = SyntheticCorpus.queries[index % SyntheticCorpus.queries.count]
            searches.append(try roundTrip("tools/call", #"{"name":"search_memories","arguments":{"query":"\#(query)"}}"#))
        }
        let report = Report(memories: memories, storeMemoryMilliseconds: LatencySummary(stores), searchMemoriesMilliseconds: LatencySummary(searches))
        if global.json {
            try Terminal.printJSON(report)
            return
        }
        var table = TextTable("ROUND TRIP (ms)", "P50", "P95", "P99", "SAMPLES")
        table.append(latencyRow("store_memory", report.storeMemoryMilliseconds))
        table.append(latencyRow("search_memories", report.searchMemoriesMilliseconds))
        print(table.render())
        print("\nmemories in the store: \(memories)")
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
