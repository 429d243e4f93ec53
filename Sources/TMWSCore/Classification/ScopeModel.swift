import Foundation

/// The learned scope suggestion (roadmap 6.3): multinomial naive Bayes over ``ScopeFeatures``,
/// trained on the examples people's choices made (``ScopeExample``). Small, written here, and
/// consulted only where the sensitive-data detector found nothing: the detector always wins.
package struct ScopeModel: Sendable, Hashable, Codable {
    /// Numbered from 1 on this node, in training order.
    package var version: Int
    package var labels: [MemoryScope]
    package var logPriors: [Double]
    /// log P(feature | label) for every feature seen in training, one value per label.
    package var logLikelihoods: [UInt32: [Float]]
    /// Below this posterior the rules decide. Default 0.8.
    package var minimumConfidence: Double
    package var trainedOn: Int

    enum CodingKeys: String, CodingKey {
        case version, labels
        case logPriors = "log_priors"
        case logLikelihoods = "log_likelihoods"
        case minimumConfidence = "minimum_confidence"
        case trainedOn = "trained_on"
    }

    /// Trains with Laplace smoothing (`alpha`).
    package static func train(_ examples: [ScopeExample], version: Int, alpha: Double = 1, minimumConfidence: Double = 0.8) -> ScopeModel {
        let labels = Array(Set(examples.map(\.label))).sorted { $0.rawValue < $1.rawValue }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var documents = [Int](repeating: 0, count: labels.count)
        var totals = [Double](repeating: 0, count: labels.count)
        var counts: [UInt32: [Double]] = [:]
        for example in examples {
            let label = index[example.label]!
            documents[label] += 1
            for feature in example.features {
                counts[feature, default: [Double](repeating: 0, count: labels.count)][label] += 1
                totals[label] += 1
            }
        }
        let vocabulary = Double(max(1, counts.count))
        var likelihoods: [UInt32: [Float]] = [:]
        likelihoods.reserveCapacity(counts.count)
        for (feature, perLabel) in counts {
            likelihoods[feature] = perLabel.indices.map { Float(log((perLabel[$0] + alpha) / (totals[$0] + alpha * vocabulary))) }
        }
        let total = Double(max(1, examples.count))
        return ScopeModel(
            version: version, labels: labels, logPriors: documents.map { log(Double(max($0, 1)) / total) }, logLikelihoods: likelihoods,
            minimumConfidence: minimumConfidence, trainedOn: examples.count)
    }

    /// The most likely scope and its posterior probability; `nil` for a model with no labels.
    package func predict(_ features: [UInt32]) -> (scope: MemoryScope, confidence: Double)? {
        guard !labels.isEmpty else { return nil }
        var scores = logPriors
        for feature in features {
            guard let values = logLikelihoods[feature] else { continue }
            for index in scores.indices { scores[index] += Double(values[index]) }
        }
        let best = scores.indices.max { scores[$0] < scores[$1] }!
        let sum = scores.reduce(0) { $0 + exp($1 - scores[best]) }
        return (labels[best], 1 / sum)
    }

    /// The suggestion for a text, when the model is sure enough.
    package func suggest(_ text: String) -> (scope: MemoryScope, confidence: Double)? {
        guard let prediction = predict(ScopeFeatures.hashed(text)), prediction.confidence >= minimumConfidence else { return nil }
        return prediction
    }
}

/// How a model (or the rules) did on held-out examples.
package struct ScopeEvaluation: Sendable, Hashable, Codable {
    package struct PerLabel: Sendable, Hashable, Codable {
        package var scope: MemoryScope
        package var precision: Double
        package var recall: Double
        package var support: Int
    }

    package var examples: Int
    package var accuracy: Double
    package var perLabel: [PerLabel]
    /// `labels` in order; `confusion[actual][predicted]`.
    package var labels: [MemoryScope]
    package var confusion: [[Int]]

    enum CodingKeys: String, CodingKey {
        case examples, accuracy, labels, confusion
        case perLabel = "per_label"
    }

    /// Scores `predict` on `examples` (its label against what it predicts).
    package static func score(_ examples: [ScopeExample], predict: (ScopeExample) -> MemoryScope) -> ScopeEvaluation {
        let labels = MemoryScope.allCases.filter { scope in examples.contains { $0.label == scope } }
        let all = MemoryScope.allCases
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: all.count), count: all.count)
        var correct = 0
        for example in examples {
            let predicted = predict(example)
            if predicted == example.label { correct += 1 }
            confusion[all.firstIndex(of: example.label)!][all.firstIndex(of: predicted)!] += 1
        }
        let perLabel = labels.map { scope -> PerLabel in
            let index = all.firstIndex(of: scope)!
            let truePositives = confusion[index][index]
            let predicted = confusion.reduce(0) { $0 + $1[index] }
            let actual = confusion[index].reduce(0, +)
            return PerLabel(
                scope: scope, precision: predicted == 0 ? 0 : Double(truePositives) / Double(predicted),
                recall: actual == 0 ? 0 : Double(truePositives) / Double(actual), support: actual)
        }
        return ScopeEvaluation(
            examples: examples.count, accuracy: examples.isEmpty ? 0 : Double(correct) / Double(examples.count), perLabel: perLabel,
            labels: all, confusion: confusion)
    }
}

/// Training's rules: a stratified held-out split that training never sees, and the roadmap's
/// deploy gate.
package enum ScopeTraining {
    /// The roadmap's bar: a model is deployed only above this accuracy.
    package static let roadmapThreshold = 0.95

    /// About a fifth of each label's examples, chosen by a hash of their keys, held out; the
    /// rest trains. An example's side never changes as others are added or removed, so a model
    /// trained earlier is never evaluated on what it trained on.
    package static func split(_ examples: [(key: Int64, example: ScopeExample)]) -> (train: [ScopeExample], test: [ScopeExample]) {
        var train: [ScopeExample] = []
        var test: [ScopeExample] = []
        for (key, example) in examples {
            if mix(key) % 5 == 0 { test.append(example) } else { train.append(example) }
        }
        return (train, test)
    }

    /// What the classifier answers for an example with `model` live: the model where it is
    /// sure enough, the rules' suggestion (as recorded) elsewhere.
    package static func answer(_ model: ScopeModel?, _ example: ScopeExample) -> MemoryScope {
        guard let model, let prediction = model.predict(example.features), prediction.confidence >= model.minimumConfidence else {
            return example.suggested
        }
        return prediction.scope
    }

    private static func mix(_ key: Int64) -> UInt64 {
        var value = UInt64(bitPattern: key) &+ 0x9E37_79B9_7F4A_7C15
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// Why a candidate may not be deployed, or `nil`: its accuracy must be above `threshold`
    /// (never below the roadmap's unless configured so) and not below the live model's on the
    /// same held-out split.
    package static func refusal(candidate: Double, live: Double?, threshold: Double) -> String? {
        if candidate <= threshold {
            return String(format: "accuracy %.3f is not above the deploy threshold %.2f", candidate, threshold)
        }
        if let live, candidate < live {
            return String(format: "accuracy %.3f is below the live model's %.3f on the same held-out examples", candidate, live)
        }
        return nil
    }
}
