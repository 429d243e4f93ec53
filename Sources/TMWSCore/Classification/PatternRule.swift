import Foundation

/// A detector rule written as a regular expression, for the tiers that need context or
/// validation: structural secrets, prose, personal data.
struct PatternRule: Sendable {
    let type: String
    let tier: SensitiveFinding.Tier
    /// Lower-case literals of which one must appear before the regex runs; empty: always run.
    let keywords: [String]
    let regex: NSRegularExpression
    /// Which capture group holds the value; the finding covers it.
    enum Value: Sendable {
        /// The whole match.
        case whole
        /// One group.
        case group(Int)
        /// The first group from this index on that took part in the match (alternatives).
        case firstMatched(from: Int)
    }

    let value: Value
    /// Further checks on the value (checksums, placeholders); `false` drops the match.
    let accept: @Sendable (String) -> Bool
    /// A check on capture group 1 (the key of an assignment), when the rule has one.
    let acceptKey: (@Sendable (String) -> Bool)?

    init(
        _ type: String, _ tier: SensitiveFinding.Tier, keywords: [String], _ pattern: String, value: Value = .whole,
        caseInsensitive: Bool = false, acceptKey: (@Sendable (String) -> Bool)? = nil,
        accept: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.type = type
        self.tier = tier
        self.keywords = keywords
        // The patterns are constants of this module; one that does not compile is a programming error.
        self.regex = try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        self.value = value
        self.accept = accept
        self.acceptKey = acceptKey
    }
}

extension PatternRule {
    /// Tier 1 formats as rules: the regex comes from the format, the value is the whole match.
    init(_ format: CredentialFormat) {
        self.type = format.type
        self.tier = .credential
        self.keywords = format.keywords
        self.regex = try! NSRegularExpression(pattern: format.pattern.regex)
        self.value = .whole
        self.acceptKey = nil
        let validate = format.validate
        self.accept = { value in
            !Placeholders.isDocumentedExample(value) && (validate?(value) ?? true)
        }
    }
}
