import ArgumentParser
import Foundation
import Synchronization
import TMWSCore

/// `tmws memory export`.
struct MemoryExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write memories as JSONL, one per line, oldest first.",
        discussion: """
            PRIVATE memories are left out unless --include-private is given. Deleted and expired
            memories are never exported. The output imports back with 'tmws memory import'.
            """
    )

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (created with mode 0600) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("include-private"), help: "Include PRIVATE memories.")
    var includePrivate = false

    @Option(help: ArgumentHelp("Only this namespace.", valueName: "name"))
    var namespace: String?

    @OptionGroup var global: GlobalOptions

    struct Summary: Encodable {
        var exported: Int
        var file: String?
        var includesPrivate: Bool

        enum CodingKeys: String, CodingKey {
            case exported, file
            case includesPrivate = "includes_private"
        }
    }

    func run() async throws {
        var filter = MemoryFilter(namespace: try namespace.map(Namespace.init(validating:)))
        if !includePrivate {
            filter.scopes = Set(MemoryScope.allCases.filter { $0 != .private })
        }
        let context = try AppContext(options: global)
        let store = try context.openStore()
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                let opened = FileHandle(forWritingAtPath: output)
            else {
                throw TMWSError(.io, "cannot write \(output)", field: "output")
            }
            handle = opened
        } else {
            handle = FileHandle.standardOutput
        }
        let count = Mutex(0)
        try await store.forEachMemory(filter: filter) { memories in
            var chunk = Data()
            for memory in memories {
                chunk.append(contentsOf: memory.jsonBytes())
                chunk.append(UInt8(ascii: "\n"))
            }
            handle.write(chunk)
            count.withLock { $0 += memories.count }
        }
        if output != nil {
            try handle.close()
        }
        let summary = Summary(exported: count.withLock { $0 }, file: output, includesPrivate: includePrivate)
        if output != nil {
            if global.json {
                try Terminal.printJSON(summary)
            } else {
                print("exported \(summary.exported) memories to \(output!)")
            }
        } else {
            Terminal.printNote("exported \(summary.exported) memories\(includePrivate ? "" : " (PRIVATE left out)")")
        }
    }
}
