import Foundation

/// Turns text into what the FTS5 index sees, and queries into FTS5 expressions.
///
/// FTS5's `unicode61` tokenizer splits on spaces and punctuation, which Japanese and
/// Chinese do not use between words. So every run of CJK characters is rewritten as its
/// overlapping bigrams plus its last character (`東京の設計` → `東京 京の の設 設計 計`);
/// a query run becomes the phrase of its bigrams, which matches the same characters in a row.
/// Every other character reaches `unicode61` unchanged.
///
/// English words go through FTS5's Porter stemmer, so `deployment` finds `deployments`
/// and `deploying`. Plain terms keep search cheap: a prefix term makes FTS5 merge the
/// posting lists of every word with that prefix across the whole index (measured: 3.6 ms
/// per query at 100,000 memories before any ranking), so prefixes are used only when asked
/// for with `word*`.
///
/// The index is contentless, so removing a row needs exactly the text it was indexed with:
/// a change to this transform must bump ``version`` so the store rebuilds the index.
/// (A change to the index's definition in `Schema` rebuilds it too.)
enum FTSText {
    /// The version of the transform the index was built with.
    static let version = "1"

    /// The text to index for some content.
    static func indexText(_ content: String) -> String {
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

    /// A query as FTS5 expressions: every term required, and any term enough.
    /// `nil` when the query has no searchable word.
    ///
    /// Terms are quoted, so FTS5 syntax in the query (`AND`, `NEAR`, `:`, `^`) is plain text;
    /// a trailing `*` on a word makes it a prefix search.
    ///
    /// In the "any" form a Japanese or Chinese run is split into its content words: particles
    /// and other kana-only stretches are dropped, a katakana word stays one phrase, and a
    /// kanji compound gives its bigrams as separate terms. So a question such as
    /// 「バックアップはいつ取る？」 finds the note that says バックアップ … 取得, ranked by BM25
    /// over the words it shares, while an exact phrase still matches the "all" form first.
    static func query(_ text: String) -> (all: String, any: String)? {
        let normalizedText = normalized(text)
        let terms = queryTerms(normalizedText, splittingRuns: false)
        guard !terms.isEmpty else { return nil }
        var seen = Set<String>()
        let anyTerms = queryTerms(normalizedText, splittingRuns: true).filter { seen.insert($0).inserted }
        return (terms.joined(separator: " AND "), (anyTerms.isEmpty ? terms : anyTerms).joined(separator: " OR "))
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

    /// The terms of one CJK run for the "any" form (see ``query(_:)``).
    private static func contentTerms(of run: [Unicode.Scalar]) -> [String] {
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
        var terms: [String] = []
        for (kind, segment) in content {
            if segment.count == 1 {
                terms.append("\"\(String(String.UnicodeScalarView(segment)))\"*")
            } else if kind == .han {
                terms += (0..<(segment.count - 1)).map { "\"\(String(String.UnicodeScalarView([segment[$0], segment[$0 + 1]])))\"" }
            } else {
                terms.append(phrase(segment))
            }
        }
        return terms
    }

    /// The phrase of a run's bigrams: the same characters in a row (a single character: any
    /// bigram it starts).
    private static func phrase(_ run: [Unicode.Scalar]) -> String {
        if run.count == 1 { return "\"\(String(String.UnicodeScalarView(run)))\"*" }
        let bigrams = (0..<(run.count - 1)).map { String(String.UnicodeScalarView([run[$0], run[$0 + 1]])) }
        return "\"\(bigrams.joined(separator: " "))\""
    }

    private static func queryTerms(_ text: String, splittingRuns: Bool) -> [String] {
        var terms: [String] = []
        var word = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []

        func flushWord(prefix: Bool) {
            guard !word.isEmpty else { return }
            let quoted = "\"\(String(word))\""
            if prefix && word.count >= 4 {
                // FTS5 stems the prefix itself (`deploy*` becomes `deploi*`, which misses the
                // stem `deploy` of `deployment`); the prefix one letter shorter covers that.
                let shorter = "\"\(String(String.UnicodeScalarView(word.dropLast())))\""
                terms.append("(\(quoted)* OR \(shorter)*)")
            } else if prefix {
                terms.append(quoted + "*")
            } else {
                terms.append(quoted)
            }
            word.removeAll()
        }
        func flushRun() {
            guard !run.isEmpty else { return }
            if splittingRuns { terms += contentTerms(of: run) } else { terms.append(phrase(run)) }
            run.removeAll()
        }

        for scalar in text.unicodeScalars {
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

    /// NFKC (full-width letters, half-width kana and ligatures to their plain forms).
    ///
    /// Foundation's NFKC is slow on Linux, so text made only of characters that NFKC leaves
    /// alone skips it: ASCII, common Japanese punctuation, kana, CJK ideographs and Hangul
    /// syllables have no compatibility mapping and no combining marks compose with them.
    /// Anything else (full-width forms, the ideographic space, combining marks) goes to Foundation.
    static func normalized(_ text: String) -> String {
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
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
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
