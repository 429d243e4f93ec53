import Foundation
import TMWSCore

/// `tmws bench classify`: throughput and per-memory latency of the scope classifier on a
/// mixed corpus of short notes, ~2 KB memories and ~8 KB memories, some holding secrets.
package struct ClassifyBenchmark: Sendable {
    package struct Report: Sendable, Codable {
        package var memories: Int
        package var bytes: Int
        package var megabytesPerSecond: Double
        package var allMilliseconds: LatencySummary
        package var shortMilliseconds: LatencySummary
        package var twoKilobyteMilliseconds: LatencySummary
        package var eightKilobyteMilliseconds: LatencySummary
        package var sensitive: Int
        package var rules: Int

        enum CodingKeys: String, CodingKey {
            case memories, bytes, sensitive, rules
            case megabytesPerSecond = "megabytes_per_second"
            case allMilliseconds = "all_ms"
            case shortMilliseconds = "short_ms"
            case twoKilobyteMilliseconds = "two_kb_ms"
            case eightKilobyteMilliseconds = "eight_kb_ms"
        }
    }

    /// Memories of each kind. Default 1,000.
    package var memoriesPerKind: Int
    package var corpus: SyntheticCorpus

    package init(memoriesPerKind: Int = 1000, corpus: SyntheticCorpus = SyntheticCorpus()) {
        self.memoriesPerKind = memoriesPerKind
        self.corpus = corpus
    }

    /// A memory of about `bytes` UTF-8 bytes, starting at corpus item `index`; every tenth
    /// holds a credential in a sentence.
    package func memory(bytes: Int, index: Int, random: inout SplitMix64) -> String {
        var text = ""
        var item = index
        while text.utf8.count < bytes {
            text += corpus.item(item).content + "\n"
            item += 1
        }
        if index % 10 == 0 {
            let format = CredentialFormat.all[random.next(CredentialFormat.all.count)]
            text += "The deploy bot uses \(format.pattern.sample(using: &random)) for now."
        }
        return text
    }

    package func run(classifier: ScopeClassifier = ScopeClassifier()) throws -> Report {
        var random = SplitMix64(seed: corpus.seed)
        let short = (0..<memoriesPerKind).map { index in
            index % 10 == 0 ? memory(bytes: 1, index: index, random: &random) : corpus.item(index).content
        }
        let twoKB = (0..<memoriesPerKind).map { memory(bytes: 2048, index: 10_000 + $0 * 7, random: &random) }
        let eightKB = (0..<max(1, memoriesPerKind / 4)).map { memory(bytes: 8192, index: 50_000 + $0 * 29, random: &random) }

        let clock = ContinuousClock()
        var sensitive = 0
        func measure(_ memories: [String]) throws -> [Duration] {
            try memories.map { text in
                let start = clock.now
                let result = try classifier.classify(text)
                let elapsed = clock.now - start
                if result.sensitive { sensitive += 1 }
                return elapsed
            }
        }
        // Warm up: compile the regular expressions and fault in the tables.
        _ = try classifier.classify(twoKB[0])
        let shortSamples = try measure(short)
        let twoSamples = try measure(twoKB)
        let eightSamples = try measure(eightKB)
        let all = shortSamples + twoSamples + eightSamples
        let bytes = (short + twoKB + eightKB).reduce(0) { $0 + $1.utf8.count }
        let seconds = all.reduce(0) { $0 + LatencySummary.milliseconds($1) } / 1000
        return Report(
            memories: all.count,
            bytes: bytes,
            megabytesPerSecond: seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0,
            allMilliseconds: LatencySummary(all),
            shortMilliseconds: LatencySummary(shortSamples),
            twoKilobyteMilliseconds: LatencySummary(twoSamples),
            eightKilobyteMilliseconds: LatencySummary(eightSamples),
            sensitive: sensitive,
            rules: SensitiveDataDetector.findingTypes.count
        )
    }
}
