import Foundation
import TMWSCore

/// `tmws bench hygiene`: the duplicate check and the instruction detector scored on labelled
/// sets (`Benchmarks/dedup/pairs.jsonl`, `Benchmarks/agent-instructions/examples.jsonl`),
/// per language.
package enum HygieneBenchmark {
    /// Precision and recall of one predicted label.
    package struct Score: Sendable, Encodable, Hashable {
        package var truePositives = 0
        package var falsePositives = 0
        package var falseNegatives = 0
        package var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        package var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }

        mutating func count(predicted: Bool, actual: Bool) {
            switch (predicted, actual) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, true): falseNegatives += 1
            case (false, false): break
            }
        }

        enum CodingKeys: String, CodingKey {
            case precision, recall
            case truePositives = "true_positives"
            case falsePositives = "false_positives"
            case falseNegatives = "false_negatives"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(truePositives, forKey: .truePositives)
            try container.encode(falsePositives, forKey: .falsePositives)
            try container.encode(falseNegatives, forKey: .falseNegatives)
            try container.encode((precision * 1000).rounded() / 1000, forKey: .precision)
            try container.encode((recall * 1000).rounded() / 1000, forKey: .recall)
        }
    }

    /// The duplicate check on one language's pairs: exact duplicates, duplicates of either
    /// kind (what a write answers with or merges), and contradictions (suggested supersessions).
    package struct DedupReport: Sendable, Encodable, Hashable {
        package var pairs = 0
        package var exact = Score()
        package var duplicates = Score()
        package var contradictions = Score()
        /// Predicted label by actual label.
        package var confusion: [String: [String: Int]] = [:]
    }

    /// The instruction detector on one language's notes.
    package struct DetectorReport: Sendable, Encodable, Hashable {
        package var instructions = 0
        package var caught = 0
        package var benign = 0
        package var flagged = 0
        package var missedIDs: [String] = []
        package var flaggedIDs: [String] = []
        package var catchRate: Double { Double(caught) / Double(max(1, instructions)) }
        package var falsePositiveRate: Double { Double(flagged) / Double(max(1, benign)) }

        enum CodingKeys: String, CodingKey {
            case instructions, caught, benign, flagged
            case catchRate = "catch_rate"
            case falsePositiveRate = "false_positive_rate"
            case missedIDs = "missed_ids"
            case flaggedIDs = "flagged_ids"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(instructions, forKey: .instructions)
            try container.encode(caught, forKey: .caught)
            try container.encode(benign, forKey: .benign)
            try container.encode(flagged, forKey: .flagged)
            try container.encode((catchRate * 1000).rounded() / 1000, forKey: .catchRate)
            try container.encode((falsePositiveRate * 1000).rounded() / 1000, forKey: .falsePositiveRate)
            try container.encode(missedIDs, forKey: .missedIDs)
            try container.encode(flaggedIDs, forKey: .flaggedIDs)
        }
    }

    /// Scores the duplicate check on a JSON-lines file of `{id, lang, label, a, b}`.
    package static func dedup(_ file: URL) throws -> [String: DedupReport] {
        var reports: [String: DedupReport] = [:]
        for object in try lines(file) {
            guard case .string(let lang)? = object["lang"], case .string(let label)? = object["label"],
                case .string(let a)? = object["a"], case .string(let b)? = object["b"]
            else { throw TMWSError(.invalidInput, "\(file.lastPathComponent): each line needs lang, label, a and b") }
            let predicted =
                switch Resemblance(Shingles(b), to: Shingles(a)) {
                case .exact: "exact"
                case .near: "near"
                case .contradiction: "contradiction"
                case .distinct: "distinct"
                }
            var report = reports[lang, default: DedupReport()]
            report.pairs += 1
            report.exact.count(predicted: predicted == "exact", actual: label == "exact")
            let duplicate: Set<String> = ["exact", "near"]
            report.duplicates.count(predicted: duplicate.contains(predicted), actual: duplicate.contains(label))
            report.contradictions.count(predicted: predicted == "contradiction", actual: label == "contradiction")
            report.confusion[predicted, default: [:]][label, default: 0] += 1
            reports[lang] = report
        }
        return reports
    }

    /// Scores the instruction detector on a JSON-lines file of `{id, lang, label, text}`
    /// (`label`: `instruction` or `benign`).
    ///
    /// - Parameter only: which ids to score (default: all).
    package static func instructions(
        _ file: URL, detector: InstructionDetector = InstructionDetector(), only: (String) -> Bool = { _ in true }
    ) throws -> [String: DetectorReport] {
        var reports: [String: DetectorReport] = [:]
        for object in try lines(file) {
            guard case .string(let id)? = object["id"], case .string(let lang)? = object["lang"],
                case .string(let label)? = object["label"], case .string(let text)? = object["text"]
            else { throw TMWSError(.invalidInput, "\(file.lastPathComponent): each line needs id, lang, label and text") }
            guard only(id) else { continue }
            let flagged = !detector.kinds(in: text).isEmpty
            var report = reports[lang, default: DetectorReport()]
            if label == "instruction" {
                report.instructions += 1
                if flagged { report.caught += 1 } else { report.missedIDs.append(id) }
            } else {
                report.benign += 1
                if flagged {
                    report.flagged += 1
                    report.flaggedIDs.append(id)
                }
            }
            reports[lang] = report
        }
        return reports
    }

    static func lines(_ file: URL) throws -> [[String: JSONValue]] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).map { line in
            try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8))
        }
    }
}
