import Foundation

/// A detector rule written as a regular expression, for the tiers that need context or
/// validation: structural secrets, prose, personal data.
struct PatternRule: Sendable {
    let type: String
    let tier: SensitiveFinding.Tier
    /// Lower-case literals of which one must appear before the regex runs; empty: always run.
    let keywords: [[UInt8]]
    /// The fewest digits in one separated run (see `ByteText.longestDigitGroupRun`) a match needs.
    let minimumDigits: Int
    /// The fewest digits in the whole text a match needs.
    let minimumTotalDigits: Int
    /// The shortest run of token characters a match needs (credential formats; a cheap gate).
    let minimumTokenRun: Int
    /// When set, the expression runs only in windows around keyword hits (UTF-16 units before
    /// and after), instead of over the whole text: the expensive rules cost what their
    /// neighbourhoods cost, not what the memory's length costs.
    let window: (before: Int, after: Int)?
    /// A byte-level check of a keyword hit before a window is opened for it (byte offset of
    /// the hit's end): most hits of common words can be ruled out without a regular expression.
    let windowFilter: (@Sendable (ByteText, Int) -> Bool)?
    /// Whether the expression's cues start at a word boundary (`\b(?:password|…)`), so that
    /// keyword hits inside a word can be skipped before any window is opened.
    var keywordsStartWords = false

    /// The ranges to run the expression over.
    func ranges(in text: ByteText, length: Int) -> [NSRange] {
        guard let window else { return [NSRange(location: 0, length: length)] }
        var starts: [Int] = []
        for keyword in keywords {
            var hits = text.offsets(of: keyword)
            if keywordsStartWords, let first = keyword.first, ByteClass.isLower(first) {
                // The expression starts its cue at a word boundary: a hit inside a word
                // (`bypass`, `compass`) cannot start a match, so no window is opened for it.
                hits = hits.filter { $0 == 0 || !(ByteClass.isLower(text.bytes[$0 - 1]) || ByteClass.isDigit(text.bytes[$0 - 1])) }
            }
            if let windowFilter {
                hits = hits.filter { windowFilter(text, $0 + keyword.count) }
            }
            starts += hits.map(text.utf16Offset)
        }
        starts.sort()
        var ranges: [NSRange] = []
        for start in starts {
            let lower = max(0, start - window.before)
            let upper = min(length, start + window.after)
            if let last = ranges.last, lower <= last.location + last.length {
                ranges[ranges.count - 1].length = max(last.location + last.length, upper) - last.location
            } else {
                ranges.append(NSRange(location: lower, length: upper - lower))
            }
        }
        return ranges
    }

    /// Whether the rule can match the text at all, by its cheap gates.
    func mayMatch(_ text: ByteText) -> Bool {
        text.longestDigitGroupRun >= minimumDigits && text.digitCount >= minimumTotalDigits
            && text.longestTokenRun >= minimumTokenRun
            && (type != "iban" || text.hasIBANStart)
            && (keywords.isEmpty || text.containsAny(keywords))
    }
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
        caseInsensitive: Bool = false, minimumDigits: Int = 0, minimumTotalDigits: Int = 0, window: (before: Int, after: Int)? = nil,
        windowFilter: (@Sendable (ByteText, Int) -> Bool)? = nil, acceptKey: (@Sendable (String) -> Bool)? = nil,
        accept: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.type = type
        self.tier = tier
        self.keywords = keywords.map { Array($0.utf8) }
        self.minimumDigits = minimumDigits
        self.minimumTotalDigits = minimumTotalDigits
        self.minimumTokenRun = 0
        self.window = window
        self.windowFilter = windowFilter
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
        self.keywords = format.keywords.map { Array($0.utf8) }
        self.minimumDigits = 0
        self.minimumTotalDigits = 0
        self.minimumTokenRun = format.pattern.minimumLength
        self.window = nil
        self.windowFilter = nil
        self.regex = try! NSRegularExpression(pattern: format.pattern.regex)
        self.value = .whole
        self.acceptKey = nil
        let validate = format.validate
        self.accept = { value in
            !Placeholders.isDocumentedExample(value) && (validate?(value) ?? true)
        }
    }
}
