import Foundation

/// A labelled example for learning the scope suggestion (roadmap 6.3): a scope a person chose
/// explicitly, with the classifier's suggestion and the text's hashed features. The text itself
/// is never kept: a deleted memory's words do not live on in its example.
package struct ScopeExample: Sendable, Hashable {
    package enum Source: String, Sendable, Hashable, CaseIterable {
        /// An explicit scope on add or import, against the suggestion.
        case correction
        /// An explicit scope on add or import that agrees with the suggestion (so every class
        /// has examples).
        case confirmation
        /// A later scope change by update.
        case update
    }

    package var memoryID: MemoryID?
    package var label: MemoryScope
    package var suggested: MemoryScope
    package var source: Source
    /// ``ScopeFeatures/hashed(_:)`` of the content, sorted.
    package var features: [UInt32]

    package init(memoryID: MemoryID?, label: MemoryScope, suggested: MemoryScope, source: Source, features: [UInt32]) {
        self.memoryID = memoryID
        self.label = label
        self.suggested = suggested
        self.source = source
        self.features = features
    }

    /// The example a decided write makes, or `nil` when it makes none: the scope was not
    /// chosen by a person, the sensitive-data detector found something (the detector decides
    /// those, never a model), or it is PRIVATE and the user has not opted in for this node.
    static func learnable(
        content: String, classification: ScopeClassification, explicit: Bool, source: Source?, learnPrivate: Bool
    ) -> ScopeExample? {
        guard explicit, !classification.sensitive, !classification.redacted else { return nil }
        guard classification.scope != .private || learnPrivate else { return nil }
        let source =
            source ?? (classification.scope == classification.automaticScope ? .confirmation : .correction)
        return ScopeExample(
            memoryID: nil, label: classification.scope, suggested: classification.automaticScope, source: source,
            features: ScopeFeatures.hashed(content))
    }
}

/// Counts of recorded examples, for `tmws classifier examples`.
package struct ScopeExampleCount: Sendable, Hashable {
    package var label: MemoryScope
    package var source: ScopeExample.Source
    package var count: Int

    package init(label: MemoryScope, source: ScopeExample.Source, count: Int) {
        self.label = label
        self.source = source
        self.count = count
    }
}

/// Where a node keeps its examples (the SQLite store, written in the same transaction as the
/// write that made them).
package protocol ScopeExampleStore: Sendable {
    func scopeExampleCounts() async throws -> [ScopeExampleCount]
    /// Every example with its key, oldest first.
    func scopeExamples() async throws -> [(key: Int64, recordedAt: Date, example: ScopeExample)]
    /// Removes these examples (or, with `nil`, every one); returns how many went.
    func removeScopeExamples(_ keys: [Int64]?) async throws -> Int
}

/// Text features for the scope model: lower-cased words and adjacent word pairs, and for
/// Japanese and Chinese runs their character bigrams, hashed (FNV-1a) into 2^20 buckets.
/// Hashing keeps the model small and the text out of the examples.
package enum ScopeFeatures {
    package static let buckets: UInt32 = 1 << 20

    package static func hashed(_ text: String) -> [UInt32] {
        var features: [UInt32] = []
        var words: [String] = []
        var word = ""
        var cjk: [Unicode.Scalar] = []
        func endWord() {
            if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        func endRun() {
            if cjk.count == 1 { features.append(hash("c:" + String(cjk[0]))) }
            for index in cjk.indices.dropLast() {
                features.append(hash("c:" + String(cjk[index]) + String(cjk[index + 1])))
            }
            cjk.removeAll()
        }
        for scalar in text.lowercased().unicodeScalars {
            if SearchText.isCJK(scalar) {
                endWord()
                cjk.append(scalar)
            } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                endRun()
                word.unicodeScalars.append(scalar)
            } else {
                endWord()
                endRun()
            }
        }
        endWord()
        endRun()
        for (index, current) in words.enumerated() {
            features.append(hash("w:" + current))
            if index > 0 { features.append(hash("b:" + words[index - 1] + " " + current)) }
        }
        return features.sorted()
    }

    static func hash(_ text: String) -> UInt32 {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 { value = (value ^ UInt32(byte)) &* 16_777_619 }
        return value % buckets
    }
}
