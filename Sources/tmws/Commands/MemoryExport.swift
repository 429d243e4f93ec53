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
            PRIVATE memories are left out unless --include-private is given. Deleted and expired \
            memories are never exported. The output imports back with 'tmws memory import'.
            """
    )

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp(
            "Write to this file (mode 0600, replaced only when the export is complete; '-' is standard output). An existing target must be a regular file.",
            valueName: "file"))
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
        // A backup holds archived memories too, with their text.
        var filter = MemoryFilter(namespace: try namespace.map(Namespace.init(validating:)), includeArchived: true)
        filter.includeSuperseded = true
        if !includePrivate {
            filter.scopes = Set(MemoryScope.allCases.filter { $0 != .private })
        }
        let context = try AppContext(options: global)
        let store = try await context.openStore()
        let target = output == "-" ? nil : output
        let file = try target.map(ExportFile.init(replacing:))
        let handle = file?.handle ?? FileHandle.standardOutput
        let count = Mutex(0)
        do {
            try await store.forEachMemory(filter: filter) { memories in
                var chunk = Data()
                for memory in memories {
                    chunk.append(contentsOf: memory.jsonBytes())
                    chunk.append(UInt8(ascii: "\n"))
                }
                handle.write(chunk)
                count.withLock { $0 += memories.count }
            }
            try file?.commit()
        } catch {
            file?.discard()
            throw error
        }
        let summary = Summary(exported: count.withLock { $0 }, file: target, includesPrivate: includePrivate)
        if let target {
            if global.json {
                try Terminal.printJSON(summary)
            } else {
                print("exported \(summary.exported) memories to \(target)")
            }
        } else {
            Terminal.printNote("exported \(summary.exported) memories\(includePrivate ? "" : " (PRIVATE left out)")")
        }
    }
}

/// The file an export writes: a new 0600 file beside the target, renamed over it once the
/// export is complete, so a failed export leaves the old file, and never written through a
/// symlink, a FIFO or a device (as root, renaming over `/dev/stdout` replaced it).
struct ExportFile {
    let target: String
    let temporary: String
    let handle: FileHandle

    /// - Throws: `TMWSError` (`invalid_input`) when the target exists and is not a regular
    ///   file; (`io`) when the folder cannot be written.
    init(replacing target: String) throws {
        var info = stat()
        if lstat(target, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw TMWSError(
                .invalidInput,
                "\(target) exists and is not a regular file (a link, a FIFO, a device or a folder); refusing to replace it; use -o - for standard output",
                field: "output"
            )
        }
        let url = URL(fileURLWithPath: target)
        var template = Array((url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".tmws-export-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw TMWSError(.io, "cannot write \(target): \(String(cString: strerror(errno)))", field: "output")
        }
        fchmod(descriptor, 0o600)
        self.target = target
        self.temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Flushes the file and puts it in the target's place.
    func commit() throws {
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw TMWSError(.io, "cannot write \(target): \(reason)", field: "output")
        }
    }

    func discard() {
        try? handle.close()
        unlink(temporary)
    }
}
