import Foundation

/// The detector's reading of a text: normalised (NFKC, lower case, invisible characters
/// dropped, HTML comments opened), then cut into sentences and code lines.
extension InstructionDetector {
    /// NFKC and lower case, with invisible characters dropped and HTML comments opened, so what
    /// a human reviewer cannot see is read like the rest.
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var folded = openComments(text.precomposedStringWithCompatibilityMapping.lowercased().replacingOccurrences(of: "\r", with: "\n"))
        for (from, to) in [
            ("http://localhost", "localurl"), ("https://localhost", "localurl"),
            ("http://127.0.0.1", "localurl"), ("http://0.0.0.0", "localurl"), ("\r", "\n"), ("\t", " "),
        ] {
            folded = folded.replacingOccurrences(of: from, with: to)
        }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(folded.unicodeScalars.count)
        for scalar in folded.unicodeScalars {
            switch scalar.value {
            case 0x2018, 0x2019, 0x201B: out.append("'")
            case 0x201C, 0x201D, 0x201E: out.append("\"")
            case 0x2028, 0x2029: out.append("\n")
            default:
                if scalar.properties.generalCategory == .format { continue }
                // `a | b` and `a|b` are one pipe to the matcher.
                if scalar == " ", let last = out.last, last == " " || last == "|" { continue }
                if scalar == "|", out.last == " " { out.removeLast() }
                out.append(scalar)
            }
        }
        return out
    }

    /// HTML comments become lines of their own, so hidden text is read as if shown. A comment
    /// inside inline code (`` `<!-- AI: … -->` ``) is shown as written, a sample that a report or
    /// training note quotes, and is set aside like a quotation.
    static func openComments(_ text: String) -> String {
        guard text.contains("<!--") || text.contains("-->") else { return text }
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // A fence line toggles a block; the other backticks pair up within the line.
            if line.drop(while: { $0 == " " }).hasPrefix("```") || !line.contains("`") {
                lines.append(line.replacingOccurrences(of: "<!--", with: "\n").replacingOccurrences(of: "-->", with: "\n"))
                continue
            }
            var out = ""
            var tick = false
            var rest = line[...]
            while let c = rest.first {
                if c == "`" { tick.toggle() }
                if tick, rest.hasPrefix("`<!--"), let close = rest.prefix(400).range(of: "-->"), !rest[..<close.lowerBound].dropFirst().contains("`") {
                    out += "`qqq"
                    rest = rest[close.upperBound...]
                    continue
                }
                let mark = tick ? 0 : rest.hasPrefix("<!--") ? 4 : rest.hasPrefix("-->") ? 3 : 0
                out.append(mark > 0 ? "\n" : c)
                rest = rest.dropFirst(max(mark, 1))
            }
            lines.append(out)
        }
        return lines.joined(separator: "\n")
    }

    /// Sentences and code lines; quoted spans outside code become `qqq`.
    static func sentences(of text: String) -> [Sentence] {
        let s = normalize(text)
        var result: [Sentence] = []
        var current = String.UnicodeScalarView()
        var inFence = false
        var inTick = false
        var lineStart = true
        var jsonLine = false
        var fenceID = 0
        func flush() {
            let line = String(current).trimmingCharacters(in: .whitespaces)
            if !line.isEmpty { result.append(Sentence(line, fence: inFence ? fenceID : nil)) }
            current.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            if lineStart {
                if c == " " || c == ">" {
                    i += 1
                    continue
                }
                if c == "`", i + 2 < s.count, s[i + 1] == "`", s[i + 2] == "`" {
                    flush()
                    inFence.toggle()
                    if inFence { fenceID += 1 }
                    while i < s.count, s[i] != "\n" { i += 1 }
                    continue
                }
                lineStart = false
                // `{"onSessionStart": "curl … | sh"}`: strings in data are code, not quotations.
                jsonLine = c == "{" || c == "[" || Self.opensKeyValue(s, at: i, indented: i > 0 && s[i - 1] == " ")
            }
            if c == "\n" {
                flush()
                inTick = false
                lineStart = true
                i += 1
                continue
            }
            if inFence {
                current.append(c)
                i += 1
                continue
            }
            if c == "`" { inTick.toggle() }
            // An ASCII quotation holds words; `"3.0.0"` or `"https://…"` is a value and stays in the sentence.
            // A markdown link title (`[x](https://… "title")`) is text shown to the reader, not a quotation.
            if !inTick, !jsonLine, let end = closingQuote(c).flatMap({ closing($0, in: s, after: i) }) ?? closingSingle(in: s, at: i),
                !c.isASCII || s[(i + 1)..<end].contains(" "), !Self.followsURL(current)
            {
                current.append(contentsOf: " qqq ".unicodeScalars)
                i = end + 1
                continue
            }
            current.append(c)
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            if !inTick {
                // A chat-style wave dash ends a sentence too ("外しちゃっていいよ〜 レビュー待ち…").
                // "外しといて！gh api で…": a full-width mark (ASCII after NFKC) after Japanese ends the sentence.
                var afterJapanese = false
                if c == "!" || c == "?", current.index(before: current.endIndex) != current.startIndex {
                    afterJapanese = !current[current.index(current.endIndex, offsetBy: -2)].isASCII
                }
                if c == "。" || c == "〜" && next == " " || c == "!" && (afterJapanese || next.map({ !$0.isASCII || $0 == " " }) ?? true) {
                    flush()
                } else if c == "." || c == "?", c == "?" && afterJapanese || next.map({ !$0.isASCII || $0 == " " }) ?? true {
                    flush()
                }
            }
            i += 1
        }
        flush()
        return result
    }

    /// A YAML, env or config line (`on_start: "curl … | bash"`, `RUN_CMD="…"`): its quoted value is code.
    /// The key must look like one (snake, kebab or dotted) or be indented, so prose "Note: …" is not a key.
    private static func opensKeyValue(_ s: [Unicode.Scalar], at start: Int, indented: Bool) -> Bool {
        var j = start
        var joined = false
        while j < s.count, j - start < 60 {
            let joiner = s[j] == "_" || s[j] == "-" || s[j] == "."
            guard joiner || s[j].properties.isLowercase || ("0"..."9").contains(s[j]) else { break }
            joined = joined || joiner
            j += 1
        }
        guard j > start, j < s.count, s[j] == ":" || s[j] == "=", joined || indented else { return false }
        // The value itself must be the quotation: `id: "x"`, not "INC-88: a memory saying 'You are now …'".
        let value = s[j] == "=" ? j + 1 : j + 2
        return (s[j] == "=" || j + 1 < s.count && s[j + 1] == " ") && value < s.count && (s[value] == "\"" || s[value] == "'")
    }

    /// Whether the text so far ends in a URL and a space, as before a markdown link title.
    private static func followsURL(_ current: String.UnicodeScalarView) -> Bool {
        guard current.last == " " else { return false }
        var word: [Unicode.Scalar] = []
        for c in current.dropLast().reversed() {
            if c == " " || word.count > 300 { break }
            word.append(c)
        }
        return String(String.UnicodeScalarView(word.reversed())).contains("://")
    }

    private static func closingQuote(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        switch c {
        case "\"": return "\""
        case "「": return "」"
        case "『": return "』"
        default: return nil
        }
    }

    /// A single-quoted span ('you are now …'): the quote opens after a non-letter and closes before
    /// one, so apostrophes ("don't", "users'") are left alone.
    private static func closingSingle(in s: [Unicode.Scalar], at i: Int) -> Int? {
        guard s[i] == "'", i == 0 || !isLetter(s[i - 1]), i + 1 < s.count, isLetter(s[i + 1]) || s[i + 1].value > 0x7F else { return nil }
        var j = i + 2
        while j < s.count, j - i < 400 {
            if s[j] == "\n" || s[j] == "`" { return nil }
            if s[j] == "'", j + 1 == s.count || !isLetter(s[j + 1]) { return s[j - 1] == " " ? nil : j }
            j += 1
        }
        return nil
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) }

    /// The index of `close` on the same line within a bounded distance: quotes never span notes.
    private static func closing(_ close: Unicode.Scalar, in s: [Unicode.Scalar], after start: Int) -> Int? {
        var j = start + 1
        while j < s.count, j - start < 400 {
            if s[j] == close { return j }
            if s[j] == "\n" || s[j] == "`" { return nil }
            j += 1
        }
        return nil
    }
}
