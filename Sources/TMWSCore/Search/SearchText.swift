import Foundation

/// Text as the full-text indexes see it, shared by the local store (SQLite FTS5) and the hub
/// (PostgreSQL full text), so a word or a Japanese phrase finds the same memories in both.
///
/// Full-text tokenizers split on spaces and punctuation, which Japanese and Chinese do not
/// use between words. So every run of CJK characters is indexed as its overlapping bigrams
/// plus its last character (`東京の設計` → `東京 京の の設 設計 計`); a query run becomes the
/// phrase of its bigrams, which matches the same characters in a row. Every other character
/// is left to the index's own tokenizer.
package enum SearchText {
    /// What a query asks for, before it is written in an index's query syntax.
    package enum Term: Hashable, Sendable {
        /// A word; `prefix` when written `word*`.
        case word(String, prefix: Bool)
        /// Characters in a row, as the phrase of their bigrams (`[]` never; one character:
        /// any bigram it starts).
        case phrase([String])
        /// A single bigram of a kanji compound, as a term of its own.
        case bigram(String)
    }

    /// The text to index for some content.
    package static func indexText(_ content: String) -> String {
        // ASCII has nothing to normalise and no CJK runs: it is indexed as it is.
        if content.utf8.allSatisfy({ $0 < 0x80 }) { return content }
        let text = normalized(content)
        var output = String.UnicodeScalarView()
        output.reserveCapacity(text.unicodeScalars.count + 16)
        var run: [Unicode.Scalar] = []

        func flushRun() {
            guard !run.isEmpty else { return }
            output.append(" ")
            if run.count > 1 {
                for index in 0..<(run.count - 1) {
                    output.append(run[index])
                    output.append(run[index + 1])
                    output.append(" ")
                }
            }
            output.append(run[run.count - 1])
            output.append(" ")
            run.removeAll(keepingCapacity: true)
        }

        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                run.append(scalar)
            } else {
                flushRun()
                output.append(scalar)
            }
        }
        flushRun()
        return String(output)
    }

    /// The terms of a query: as written (`splittingRuns` false: a CJK run is one phrase), or
    /// split into content words (`splittingRuns` true: particles and other kana-only stretches
    /// dropped, a katakana word one phrase, a kanji compound its bigrams as separate terms).
    package static func terms(_ text: String, splittingRuns: Bool) -> [Term] {
        var terms: [Term] = []
        var word = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []

        func flushWord(prefix: Bool) {
            guard !word.isEmpty else { return }
            terms.append(.word(String(word), prefix: prefix))
            word.removeAll()
        }
        func flushRun() {
            guard !run.isEmpty else { return }
            if splittingRuns { terms += contentTerms(of: run) } else { terms.append(phrase(run)) }
            run.removeAll()
        }

        for scalar in normalized(text).unicodeScalars {
            if isCJK(scalar) {
                flushWord(prefix: false)
                run.append(scalar)
            } else if isWordCharacter(scalar) {
                flushRun()
                word.append(scalar)
            } else {
                flushRun()
                flushWord(prefix: scalar == "*")
            }
        }
        flushRun()
        flushWord(prefix: false)
        return terms
    }

    /// The kinds of characters a CJK run is split by into content words.
    private enum RunClass { case hiragana, katakana, han, hangul }

    private static func runClass(_ scalar: Unicode.Scalar) -> RunClass {
        switch scalar.value {
        case 0x3040...0x309F: .hiragana
        case 0x30A0...0x30FF, 0x31F0...0x31FF: .katakana
        case 0xAC00...0xD7AF: .hangul
        default: .han  // ideographs and 々 〆 〇
        }
    }

    /// The content words of one CJK run.
    private static func contentTerms(of run: [Unicode.Scalar]) -> [Term] {
        var segments: [(RunClass, [Unicode.Scalar])] = []
        for scalar in run {
            let kind = runClass(scalar)
            if let last = segments.last, last.0 == kind {
                segments[segments.count - 1].1.append(scalar)
            } else {
                segments.append((kind, [scalar]))
            }
        }
        // A run of kana only (a word written in hiragana) is kept whole.
        let content = segments.filter { $0.0 != .hiragana }
        guard !content.isEmpty else { return [phrase(run)] }
        var terms: [Term] = []
        for (kind, segment) in content {
            if segment.count == 1 {
                terms.append(phrase(segment))
            } else if kind == .han {
                terms += (0..<(segment.count - 1)).map { .bigram(String(String.UnicodeScalarView([segment[$0], segment[$0 + 1]]))) }
            } else {
                terms.append(phrase(segment))
            }
        }
        return terms
    }

    private static func phrase(_ run: [Unicode.Scalar]) -> Term {
        if run.count == 1 { return .phrase([String(String.UnicodeScalarView(run))]) }
        return .phrase((0..<(run.count - 1)).map { String(String.UnicodeScalarView([run[$0], run[$0 + 1]])) })
    }

    /// NFKC (full-width letters, half-width kana and ligatures to their plain forms).
    ///
    /// Foundation's NFKC is slow on Linux, so text made only of characters that NFKC leaves
    /// alone skips it: ASCII, common Japanese punctuation, kana, CJK ideographs and Hangul
    /// syllables have no compatibility mapping and no combining marks compose with them.
    /// Anything else (full-width forms, the ideographic space, combining marks) goes to Foundation.
    package static func normalized(_ text: String) -> String {
        text.unicodeScalars.allSatisfy(isStableUnderNFKC) ? text : text.precomposedStringWithCompatibilityMapping
    }

    private static func isStableUnderNFKC(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x7F,  // ASCII
            0x3001...0x3002, 0x300C...0x300F,  // 、。「」『』
            0x3041...0x3096,  // Hiragana (without the combining sound marks 3099/309A)
            0x30A1...0x30FA, 0x30FC,  // Katakana and ー
            0x3400...0x4DBF, 0x4E00...0x9FFF,  // CJK ideographs (not the F900 compatibility block)
            0xAC00...0xD7A3:  // Hangul syllables
            true
        default:
            false
        }
    }

    /// What `unicode61` keeps inside a token: letters, numbers and private-use characters.
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .privateUse, .nonspacingMark, .spacingMark:
            true
        default:
            false
        }
    }

    /// Han, kana and Hangul: scripts written without spaces between words.
    package static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3005...0x3007,  // 々 〆 〇
            0x3040...0x309F,  // Hiragana
            0x30A0...0x30FF,  // Katakana (with ー)
            0x31F0...0x31FF,  // Katakana phonetic extensions
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0x20000...0x3134F:  // CJK extensions B–G
            true
        default:
            false
        }
    }
}
