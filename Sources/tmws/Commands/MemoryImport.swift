import ArgumentParser
import Foundation
import Synchronization
import TMWSCore

/// `tmws memory import`.
struct MemoryImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import memories from a JSONL file (one JSON object per line).",
        discussion: """
            Each line is a memory as 'tmws memory export' writes it, or just {"content": "..."} with \
            optional scope, namespace, tags, importance, metadata, ttl_days, id and created_at. \
            Every line is checked before anything is written: one bad line imports nothing and names \
            the line. Lines are then written in batches, each batch all-or-nothing. Lines whose id \
            already exists are skipped, so importing an export twice adds nothing.
            """
    )

    @Argument(help: ArgumentHelp("The JSONL file ('-': standard input).", valueName: "file"))
    var file: String

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Memories per transaction.", valueName: "n"))
    var batchSize = 1000

    @Flag(help: "Store sensitive data in lines that ask for SHARED or GLOBAL as [REDACTED:type] instead of refusing the import.")
    var redact = false

    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var lines: Int
        var imported: Int
        var skipped: Int
        var seconds: Double
    }

    func run() async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw TMWSError(.invalidInput, "cannot read \(file): no such file or not readable", field: "file")
            }
            data = contents
        }
        let bytes = [UInt8](data)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
        let counted = lines.filter { !$0.isEmpty }.count

        let context = try AppContext(options: global)
        let service = try await context.openService()
        let bar = Mutex(ProgressBar(total: counted))
        let start = ContinuousClock.now
        let outcome = try await service.importLines(lines, batchSize: batchSize, redact: redact, by: context.caller) { done in
            bar.withLock { $0.update(done) }
        }
        bar.withLock { $0.finish() }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let output = Output(lines: counted, imported: outcome.imported, skipped: outcome.skipped, seconds: seconds)
        if global.json {
            try Terminal.printJSON(output)
        } else {
            let rate = seconds > 0 ? Int(Double(outcome.imported) / seconds) : outcome.imported
            print("imported \(outcome.imported) memories, skipped \(outcome.skipped) already present, in \(String(format: "%.2f", seconds)) s (\(rate)/s)")
        }
    }
}
