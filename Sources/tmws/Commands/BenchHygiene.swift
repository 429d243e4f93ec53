import ArgumentParser
import Foundation
import TMWSBench
import TMWSCore

/// `tmws bench hygiene`.
struct BenchHygiene: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hygiene",
        abstract: "Score the duplicate check and the instruction detector on labelled sets.",
        discussion: """
            Duplicates: JSON lines of {lang, label, a, b} with label exact, near, contradiction or \
            distinct (Benchmarks/dedup/pairs.jsonl); reports precision and recall of exact duplicates, \
            of duplicates of either kind, and of contradictions (suggested supersessions), per language.

            Instructions aimed at agents: JSON lines of {id, lang, label, text} with label instruction \
            or benign (Benchmarks/agent-instructions/*.jsonl); reports the catch rate, the \
            false-positive rate and the detector's time per note, per language.
            """
    )

    @Option(help: ArgumentHelp("Labelled pairs for the duplicate check.", valueName: "file"))
    var dedup = "Benchmarks/dedup/pairs.jsonl"

    @Option(name: .customLong("instructions"), help: ArgumentHelp("Labelled notes for the instruction detector (repeatable).", valueName: "file"))
    var instructions: [String] = [
        "Benchmarks/agent-instructions/examples.jsonl", "Benchmarks/agent-instructions/heldout.jsonl", "Benchmarks/agent-instructions/heldout-c.jsonl",
    ]

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var dedup: [String: HygieneBenchmark.DedupReport]
        var instructions: [String: [String: HygieneBenchmark.DetectorReport]]
        var detectorMicrosecondsPerNote: Double

        enum CodingKeys: String, CodingKey {
            case dedup, instructions
            case detectorMicrosecondsPerNote = "detector_us_per_note"
        }
    }

    func run() async throws {
        for path in [dedup] + instructions where !FileManager.default.fileExists(atPath: path) {
            throw TMWSError(.invalidInput, "no such file: \(path) (run from the repository, or pass --dedup / --instructions)")
        }
        let dedupReports = try HygieneBenchmark.dedup(URL(fileURLWithPath: dedup))
        var detectorReports: [String: [String: HygieneBenchmark.DetectorReport]] = [:]
        let clock = ContinuousClock()
        var notes = 0
        var elapsed = Duration.zero
        for path in instructions {
            let started = clock.now
            let reports = try HygieneBenchmark.instructions(URL(fileURLWithPath: path))
            elapsed += clock.now - started
            notes += reports.values.reduce(0) { $0 + $1.instructions + $1.benign }
            detectorReports[(path as NSString).lastPathComponent] = reports
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let report = Report(dedup: dedupReports, instructions: detectorReports, detectorMicrosecondsPerNote: seconds * 1e6 / Double(max(1, notes)))
        if global.json { return try Terminal.printJSON(report) }

        func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
        var table = TextTable("DUPLICATES", "PAIRS", "EXACT P/R", "EITHER P/R", "CONTRADICTION P/R")
        for (lang, r) in dedupReports.sorted(by: { $0.key < $1.key }) {
            table.append([
                lang, String(r.pairs), "\(percent(r.exact.precision)) / \(percent(r.exact.recall))",
                "\(percent(r.duplicates.precision)) / \(percent(r.duplicates.recall))",
                "\(percent(r.contradictions.precision)) / \(percent(r.contradictions.recall))",
            ])
        }
        print(table.render())
        print("")
        var detector = TextTable("INSTRUCTIONS", "LANG", "CAUGHT", "CATCH RATE", "FLAGGED BENIGN", "FALSE POSITIVES")
        for (file, reports) in detectorReports.sorted(by: { $0.key < $1.key }) {
            for (lang, r) in reports.sorted(by: { $0.key < $1.key }) {
                detector.append([
                    file, lang, "\(r.caught)/\(r.instructions)", percent(r.catchRate), "\(r.flagged)/\(r.benign)", percent(r.falsePositiveRate),
                ])
            }
        }
        print(detector.render())
        print("\ndetector: \(String(format: "%.1f", report.detectorMicrosecondsPerNote)) µs per note")
    }
}
