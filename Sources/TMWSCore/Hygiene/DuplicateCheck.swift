/// What a new memory is to one already stored: the same text, a restatement of it, a
/// change of one of its facts (a number, a negation, a switch turned the other way), or
/// something else. Only the first two are duplicates; a contradiction is *suggested* as a
/// supersession and never acted on alone.
package enum Resemblance: Sendable, Hashable {
    case exact
    case near(similarity: Double)
    case contradiction(similarity: Double, reason: String)
    case distinct

    /// How two memories' texts relate.
    package init(_ new: Shingles, to old: Shingles) {
        if new.normalised == old.normalised {
            self = .exact
            return
        }
        let similarity = new.similarity(to: old)
        if similarity >= DuplicateCheck.contradictionThreshold, let reason = DuplicateCheck.conflict(new, old) {
            self = .contradiction(similarity: similarity, reason: reason)
        } else if similarity >= DuplicateCheck.nearThreshold {
            self = .near(similarity: similarity)
        } else {
            self = .distinct
        }
    }
}

/// The rule set behind ``Resemblance``: token overlap (Jaccard over ``Shingles``) and the
/// differences that turn a restatement into a changed fact.
package enum DuplicateCheck {
    /// Token overlap from which two texts restate one fact.
    package static let nearThreshold = 0.5
    /// Token overlap from which a changed number, negation or switch is a contradiction
    /// (below it, the two are about different things).
    package static let contradictionThreshold = 0.5
    /// Token overlap from which swapping a few words for others (a tool, a place, a day)
    /// changes the fact rather than its wording.
    static let substitutionThreshold = 0.6
    static let maximumSubstitution = 3

    /// What turns `new` against `old`, or `nil` when nothing does.
    static func conflict(_ new: Shingles, _ old: Shingles) -> String? {
        let added = new.tokens.subtracting(old.tokens)
        let removed = old.tokens.subtracting(new.tokens)
        if added.contains(where: hasDigit) || removed.contains(where: hasDigit) {
            // A number, version, port, date or size changed (not only moved).
            let newNumbers = new.tokens.filter(hasDigit)
            let oldNumbers = old.tokens.filter(hasDigit)
            if newNumbers != oldNumbers { return "a number changed" }
        }
        if negated(new) != negated(old) { return "a negation changed" }
        for (on, off) in switches.lazy.map({ (Shingles.stem($0), Shingles.stem($1)) })
        where (added.contains(on) && removed.contains(off)) || (added.contains(off) && removed.contains(on)) {
            return "\(on)/\(off) changed"
        }
        if !added.isEmpty, !removed.isEmpty, added.count <= maximumSubstitution, removed.count <= maximumSubstitution,
            new.similarity(to: old) >= substitutionThreshold
        {
            return "a value changed"
        }
        return nil
    }

    /// Of two copies of one text, the one every device keeps: the older, then the lower id.
    package static func survivor(_ a: Memory, _ b: Memory) -> Memory {
        (a.createdAt, a.id) <= (b.createdAt, b.id) ? a : b
    }

    static func hasDigit(_ token: String) -> Bool {
        token.unicodeScalars.contains { $0.properties.numericType == .decimal }
    }

    /// Whether the text says no (an odd count of negations: "not … no longer" is still no).
    static func negated(_ text: Shingles) -> Bool {
        var count = text.tokens.intersection(negations).count
        for marker in japaneseNegations + ["n't", "n’t"] where text.normalised.contains(marker) { count += 1 }
        return count % 2 == 1
    }

    /// Whole words; "n't" is looked for in the text (the tokens split it off).
    static let negations: Set<String> = ["not", "no", "never", "cannot", "without", "nor"]
    /// None contains another, so a negation counts once.
    static let japaneseNegations = ["ない", "ません", "なかった", "なし", "無し", "不要", "禁止"]
    static let switches: [(String, String)] = [
        ("enable", "disable"), ("enabled", "disabled"), ("on", "off"), ("true", "false"), ("yes", "no"), ("allow", "deny"),
        ("allowed", "denied"), ("always", "never"), ("required", "optional"), ("sync", "async"), ("public", "private"),
        ("有効", "無効"), ("必須", "任意"), ("許可", "拒否"), ("オン", "オフ"),
    ]
}

/// What the node does with a near duplicate on write (`memory.dedup`); exact duplicates are
/// always answered with the memory already stored, unless this is `off`.
package enum DedupPolicy: String, Sendable, Hashable, CaseIterable {
    /// Store everything as written.
    case off
    /// Store a near duplicate, and name the memory it resembles in the answer.
    case report
    /// Fold a near duplicate into the memory it resembles (its text, the union of tags).
    case merge
}
