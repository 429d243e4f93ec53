import Foundation

/// The text a duplicate check compares: what two memories share once case, width, spacing,
/// emphasis and closing punctuation are set aside, and the words (CJK: character pairs) each
/// is made of. Deterministic and versioned by ``MinHash/bandingVersion``: stores keep keys
/// made from it.
package struct Shingles: Sendable, Hashable {
    /// NFKC, lower case, one space between words, without `*`/`~` emphasis, surrounding
    /// quotes or closing punctuation: equal for exact duplicates.
    package let normalised: String
    /// Words (letters and digits, with inner `.`, `-`, `_`, `/`, `:`; English ones without
    /// the commonest function words and with a plural or tense ending cut) and, in Chinese,
    /// Japanese and Korean text, each character but kana's and each pair of neighbours but
    /// two of hiragana (particles and endings: polite and plain forms compare alike).
    package let tokens: Set<String>

    package init(_ content: String) {
        normalised = Self.normalise(content)
        tokens = Self.tokens(of: normalised)
    }

    /// The share of tokens the two have in common (Jaccard), 1 for two empty texts.
    package func similarity(to other: Shingles) -> Double {
        if tokens.isEmpty && other.tokens.isEmpty { return normalised == other.normalised ? 1 : 0 }
        let common = tokens.intersection(other.tokens).count
        return Double(common) / Double(tokens.count + other.tokens.count - common)
    }

    static func normalise(_ content: String) -> String {
        // NFKC; the second pass composes what Foundation's compatibility mapping leaves apart on
        // Linux (ｸﾞ becomes ク and a combining mark, not グ).
        // Text of ASCII, kana, kanji and Hangul only needs neither (and is most of what is
        // written): it is folded without Foundation's mappings, which cost more than the rest.
        let folded =
            content.unicodeScalars.allSatisfy(Self.isStableUnderNFKC)
            ? content.lowercased() : content.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(folded.unicodeScalars.count)
        var space = false
        for scalar in folded.unicodeScalars {
            if scalar.isASCII ? (scalar == " " || (0x09...0x0D).contains(scalar.value)) : (scalar.properties.isWhitespace || scalar == "\u{3000}") {
                space = !scalars.isEmpty
                continue
            }
            if scalar == "*" || scalar == "~" || (!scalar.isASCII && scalar.properties.isDefaultIgnorableCodePoint) { continue }
            if space { scalars.append(" ") }
            space = false
            scalars.append(scalar)
        }
        scalars = Self.withoutLooseMarks(scalars)
        let quotes: Set<Unicode.Scalar> = ["\"", "'", "`", "「", "」", "『", "』", "“", "”", "‘", "’"]
        let closing: Set<Unicode.Scalar> = [".", "!", "?", "。", "、", ",", ";", ":", " "]  // after NFKC: full-width ones too
        while let last = scalars.last, closing.contains(last) || quotes.contains(last) { scalars.removeLast() }
        while let first = scalars.first, quotes.contains(first) || first == " " { scalars.removeFirst() }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    /// Without what does not change the words: a space beside Chinese or Japanese text (which
    /// has none between words) and `_` emphasis (`_note_`, `__note__`; `snake_case` keeps its).
    static func withoutLooseMarks(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        func isEdge(_ index: Int) -> Bool { index < 0 || index >= scalars.count || scalars[index] == " " || scalars[index] == "_" }
        var kept: [Unicode.Scalar] = []
        kept.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "_" {
                // Part of a run that touches a space or an end on one side: emphasis.
                var start = index
                while start > 0, scalars[start - 1] == "_" { start -= 1 }
                var end = index
                while end + 1 < scalars.count, scalars[end + 1] == "_" { end += 1 }
                if isEdge(start - 1) || isEdge(end + 1) { continue }
            }
            if scalar == " ", let previous = kept.last, index + 1 < scalars.count,
                isCJK(previous) || isCJKPunctuation(previous) || isCJK(scalars[index + 1]) || isCJKPunctuation(scalars[index + 1])
            {
                continue
            }
            kept.append(scalar)
        }
        return kept
    }

    static func isCJKPunctuation(_ scalar: Unicode.Scalar) -> Bool { (0x3000...0x303F).contains(scalar.value) }

    static func tokens(of normalised: String) -> Set<String> {
        var tokens = Set<String>()
        var word = String.UnicodeScalarView()
        var previousCJK: Unicode.Scalar?
        let joiners: Set<Unicode.Scalar> = [".", "-", "_", "/", ":"]
        let scalars = Array(normalised.unicodeScalars)
        func endWord() {
            defer { word = String.UnicodeScalarView() }
            guard !word.isEmpty else { return }
            let text = String(word)
            guard !stopWords.contains(text) else { return }
            tokens.insert(stem(text))
        }
        for (index, scalar) in scalars.enumerated() {
            if isCJK(scalar) {
                endWord()
                if let previousCJK, !(isHiragana(previousCJK) && isHiragana(scalar)) {
                    var pair = String.UnicodeScalarView()
                    pair.append(previousCJK)
                    pair.append(scalar)
                    tokens.insert(String(pair))
                }
                if !isKana(scalar) { tokens.insert(String(Character(scalar))) }
                previousCJK = scalar
                continue
            }
            previousCJK = nil
            if isWordScalar(scalar) {
                word.append(scalar)
            } else if joiners.contains(scalar), !word.isEmpty, index + 1 < scalars.count, isWordScalar(scalars[index + 1]), !isCJK(scalars[index + 1]) {
                word.append(scalar)
            } else {
                endWord()
            }
        }
        endWord()
        return tokens
    }

    /// An English word without a plural or tense ending (`-s`, `-es`, `-ed`, `-ing`): enough
    /// for "uses" and "used" to meet; other words stay as they are.
    package static func stem(_ word: String) -> String {
        guard word.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else { return word }
        for suffix in ["ing", "ed", "es", "s"] where word.utf8.count > suffix.utf8.count + 2 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count))
        }
        return word
    }

    static let stopWords: Set<String> = [
        "the", "a", "an", "to", "of", "in", "on", "at", "for", "and", "or", "is", "are", "be", "was", "were", "it", "this", "that",
        "with", "by", "as", "from", "into", "we", "our", "you", "your", "use", "used", "using", "should", "must",
    ]

    /// Whether NFKC leaves the character as it is: ASCII, hiragana and katakana without
    /// the voicing marks, unified kanji, Hangul syllables and the commonest CJK punctuation.
    static func isStableUnderNFKC(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0xA0, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC...0x30FE, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0x3001...0x3002, 0x3005,
            0x300C...0x300F:
            true
        default: false
        }
    }

    /// A letter or digit (ASCII answered without Unicode's property tables).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) || (0x30...0x39).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    static func isHiragana(_ scalar: Unicode.Scalar) -> Bool { (0x3040...0x309F).contains(scalar.value) }
    static func isKana(_ scalar: Unicode.Scalar) -> Bool { (0x3040...0x30FF).contains(scalar.value) }

    /// Han, kana and Hangul: scripts written without spaces between words.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xAC00...0xD7AF, 0x20000...0x2FA1F: true
        default: false
        }
    }
}
