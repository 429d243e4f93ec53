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

    /// A set written blind (its author saw neither the detector nor the set above).
    @Test func instructionsAimedAtAgentsOnTheHeldOutNotes() throws {
        let reports = try HygieneBenchmark.instructions(Self.benchmarks.appendingPathComponent("agent-instructions/heldout.jsonl"))
        for (lang, report) in reports.sorted(by: { $0.key < $1.key }) {
            print("held-out instructions \(lang): caught \(report.caught)/\(report.instructions), flagged \(report.flagged)/\(report.benign)")
            print("held-out \(lang) missed: \(report.missedIDs)")
            print("held-out \(lang) flagged: \(report.flaggedIDs)")
        }
    }
}
