import Foundation
import TMWSBench
import TMWSCore
import Testing

/// The duplicate check and the instruction detector on the project's labelled sets
/// (`Benchmarks/dedup`, `Benchmarks/agent-instructions`), per language. The floors are the
/// bars this release meets, so a change that makes either worse fails here; the exact figures
/// are `tmws bench hygiene`'s.
@Suite struct HygieneSetTests {
    static let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Benchmarks").standardized

    @Test func duplicatesAndContradictionsOnTheLabelledPairs() throws {
        let reports = try HygieneBenchmark.dedup(Self.benchmarks.appendingPathComponent("dedup/pairs.jsonl"))
        #expect(Set(reports.keys) == ["en", "ja"])
        for (lang, report) in reports.sorted(by: { $0.key < $1.key }) {
            print("dedup \(lang): \(report.confusion)")
            print(
                "dedup \(lang): exact P \(report.exact.precision) R \(report.exact.recall); duplicates P \(report.duplicates.precision) R \(report.duplicates.recall); contradictions P \(report.contradictions.precision) R \(report.contradictions.recall)"
            )
            #expect(report.exact.precision == 1 && report.exact.recall == 1, "\(lang)")
            #expect(report.duplicates.precision >= 0.9 && report.duplicates.recall >= 0.6, "\(lang)")
            #expect(report.contradictions.precision >= 0.5 && report.contradictions.recall >= 0.75, "\(lang)")
        }
    }

    @Test func instructionsAimedAtAgentsOnTheLabelledNotes() throws {
        let reports = try HygieneBenchmark.instructions(Self.benchmarks.appendingPathComponent("agent-instructions/examples.jsonl"))
        #expect(Set(reports.keys) == ["en", "ja"])
        for (lang, report) in reports.sorted(by: { $0.key < $1.key }) {
            print("instructions \(lang): caught \(report.caught)/\(report.instructions), flagged \(report.flagged)/\(report.benign)")
            // The set the detector was written against: a regression floor, not its real rate
            // (held-out figures are in the closing notes and `tmws bench hygiene`).
            #expect(report.catchRate >= 0.95 && report.falsePositiveRate <= 0.02, "\(lang): missed \(report.missedIDs), flagged \(report.flaggedIDs)")
        }
    }

    /// Sets written blind by other authors: `heldout.jsonl` (since used for tuning) and
    /// `heldout-c.jsonl`, whose even-numbered items were never used for anything but scoring.
    /// The floors sit below what this release measures there, to catch a regression.
    @Test func instructionsAimedAtAgentsOnTheHeldOutNotes() throws {
        let sets = ["agent-instructions/heldout.jsonl", "agent-instructions/heldout-c.jsonl"]
        for set in sets {
            let reports = try HygieneBenchmark.instructions(Self.benchmarks.appendingPathComponent(set))
            for (lang, report) in reports.sorted(by: { $0.key < $1.key }) {
                print("\(set) \(lang): caught \(report.caught)/\(report.instructions), flagged \(report.flagged)/\(report.benign)")
                #expect(report.catchRate >= 0.75 && report.falsePositiveRate <= 0.06, "\(set) \(lang)")
            }
        }
        let blind = try HygieneBenchmark.instructions(
            Self.benchmarks.appendingPathComponent("agent-instructions/heldout-c.jsonl"),
            only: { id in (Int(id.split(separator: "-").last ?? "") ?? 1) % 2 == 0 })
        for (lang, report) in blind.sorted(by: { $0.key < $1.key }) {
            print("blind half of heldout-c \(lang): caught \(report.caught)/\(report.instructions), flagged \(report.flagged)/\(report.benign)")
            #expect(report.catchRate >= 0.7 && report.falsePositiveRate <= 0.1, "\(lang)")
        }
    }
}
