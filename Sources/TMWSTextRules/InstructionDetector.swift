import Foundation

/// What an instruction aimed at agents asks for.
package enum InstructionKind: String, Sendable, Hashable, CaseIterable {
    case runsCode = "runs_code"  // (a)
    case movesData = "moves_data"  // (b) fetch from or send to a URL / off the machine
    case changesRules = "changes_rules"  // (c)
    case disablesChecks = "disables_checks"  // (d)
}

/// Flags memory notes that tell the agent reading them to do something dangerous, in English,
/// Japanese or both. Shared memories sync to a whole team, so such a note spreads an attack;
/// notes that only mention the same commands, report an attack or forbid it must pass.
///
/// A sentence counts when it addresses the reader (an imperative, a request or obligation, a
/// Japanese request ending or 命令形, a modal on "agent", an item under a checklist header, or an
/// "Assistant:" anywhere in the note) and holds a rule's act that it does not prohibit, or a safety
/// step it tells the reader to skip. Quoted text is set aside first,
/// because reports and policies quote attacks; code is kept, because attacks hide in it.
package struct InstructionDetector: Sendable {
    package init() {}

    /// The kinds of directive found in `text`, sorted by rawValue, each once; empty when the note only informs.
    package func kinds(in text: String) -> [InstructionKind] {
        let sentences = Self.sentences(of: text)
        // "agents: honor onSessionStart" after the block it means: a note that names its reader
        // anywhere speaks to it throughout.
        let addressed = sentences.contains { $0.hasAny(Self.vocatives) }
        var directive: [Bool] = []
        var orderedFences = Set<Int>()
        var checklist = false
        for (index, sentence) in sentences.enumerated() {
            // Items under "起動時チェックリスト:" or "Before each session:" are steps to carry out.
            let listed = checklist && sentence.fence == nil && sentence.startsListItem
            let orders = !sentence.isReport && (addressed || listed || sentence.isDirective)
            if sentence.fence == nil, sentence.bytes.last == 0x3A {
                checklist = sentence.isDirective || sentence.hasAny(Self.checklistCues)
            }
            // A table whose header reads "| step | command |" lists steps, one a row.
            if sentence.fence == nil, sentence.bytes.first == 0x7C, index == 0 || sentences[index - 1].bytes.first != 0x7C {
                checklist = sentence.hasAny(Self.checklistCues) || sentence.hasAny(Self.tableCues)
            }
            directive.append(orders)
            if orders, let fence = sentence.fence { orderedFences.insert(fence) }
            // "Paste this into ci.yml:" hands the reader the fence that follows.
            if orders, sentence.fence == nil, index + 1 < sentences.count, let next = sentences[index + 1].fence {
                orderedFences.insert(next)
            }
        }
        var found = Set<InstructionKind>()
        for (index, sentence) in sentences.enumerated() where !sentence.isReport {
            let orders = directive[index] || sentence.fence.map(orderedFences.contains) == true
            for rule in Self.rules where (orders || rule.standalone) && !found.contains(rule.kind) {
                if sentence.matches(rule) { found.insert(rule.kind) }
            }
            if orders, sentence.installsTyposquat { found.insert(.runsCode) }
            if sentence.opensWithRoleMarker { found.insert(.changesRules) }
        }
        return found.sorted { $0.rawValue < $1.rawValue }
    }
}

extension InstructionDetector {
    /// One sentence or code line as UTF-8 bytes, with its clauses and English words.
    struct Sentence {
        let bytes: [UInt8]
        let fence: Int?
        /// Byte offsets where clauses start (commas, semicolons, dashes, 、, brackets); the first is 0.
        let clauses: [Int]
        let words: [(start: Int, end: Int, text: String)]
        let wordStarts: [Int]
        /// Where each byte value occurs, and the positions of the terms looked up so far: every
        /// rule looks for its terms, and many share them (guards, negations), so a long note is
        /// scanned once per byte value, not once per rule and term.
        private let byteIndex: [[Int32]]
        let found = FoundTerms()

        final class FoundTerms {
            var positions: [[UInt8]: [Int]] = [:]
            var guarded: Bool?
        }

        init(_ text: String, fence: Int?) {
            self.fence = fence
            let raw = Array(text.utf8)
            bytes = InstructionDetector.correctTypos(raw)
            var starts = [0]
            var tick = false
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x60 { tick.toggle() }
                if !tick {
                    let next = i + 1 < bytes.count ? bytes[i + 1] : 0x20
                    // A spaced hyphen is a dash: "scanning blocks pushes - turn it off".
                    let dash = b == 0x2D && i > 0 && bytes[i - 1] == 0x20 && next == 0x20
                    // Link text (`[install guide](…)`) names a page; it opens no clause.
                    let linkText = b == 0x5B && Self.closesLink(bytes, from: i)
                    if !linkText && (b == 0x2C || b == 0x3B || b == 0x28 || b == 0x29 || b == 0x5B || b == 0x5D || (b == 0x3A && next == 0x20) || dash) {
                        starts.append(i + 1)
                    } else if b == 0xE3, next == 0x80, i + 2 < bytes.count, bytes[i + 2] == 0x81 {  // 、
                        starts.append(i + 3)
                    } else if b == 0xE2, next == 0x80, i + 2 < bytes.count, bytes[i + 2] == 0x94 || bytes[i + 2] == 0x93 {  // — –
                        starts.append(i + 3)
                    }
                }
                i += 1
            }
            clauses = starts
            var found: [(Int, Int, String)] = []
            var start: Int?
            for (j, b) in bytes.enumerated() {
                let wordy = Term.isWordByte(b) || b == 0x27
                if wordy, start == nil { start = j }
                if !wordy, let s = start {
                    found.append((s, j, String(decoding: bytes[s..<j], as: UTF8.self)))
                    start = nil
                }
            }
            if let s = start { found.append((s, bytes.count, String(decoding: bytes[s...], as: UTF8.self))) }
            // A bare "-" (a list marker or a dash) is not a word: "- stop writing …" opens with "stop".
            words = found.map { (start: $0.0, end: $0.1, text: Self.trimmingQuotesAndDashes($0.2)) }.filter { !$0.text.isEmpty }
            wordStarts = words.map(\.start)
            var index = [[Int32]](repeating: [], count: 256)
            for (offset, byte) in bytes.enumerated() { index[Int(byte)].append(Int32(offset)) }
            byteIndex = index
        }

        /// The word without leading or trailing `'` and `-` (CharacterSet's trimming is slow on
        /// the thousands of words of a long note).
        static func trimmingQuotesAndDashes(_ word: String) -> String {
            let bytes = Array(word.utf8)
            var start = 0
            var end = bytes.count
            while start < end, bytes[start] == 0x27 || bytes[start] == 0x2D { start += 1 }
            while end > start, bytes[end - 1] == 0x27 || bytes[end - 1] == 0x2D { end -= 1 }
            return start == 0 && end == bytes.count ? word : String(decoding: bytes[start..<end], as: UTF8.self)
        }

        /// Whether the `[` at `i` closes as `](` within a short span: a markdown link.
        static func closesLink(_ bytes: [UInt8], from i: Int) -> Bool {
            var j = i + 1
            while j + 1 < bytes.count, j - i < 120, bytes[j] != 0x5B {
                if bytes[j] == 0x5D { return bytes[j + 1] == 0x28 }
                j += 1
            }
            return false
        }

        /// Every start of `term` in the sentence, honouring word edges.
        func positions(of term: Term) -> [Int] {
            let t = term.bytes
            guard !t.isEmpty, t.count <= bytes.count else { return [] }
            let key = t + [term.wordStart ? 1 : 0, term.wordEnd ? 1 : 0]
            if let known = found.positions[key] { return known }
            var hits: [Int] = []
            let last = bytes.count - t.count
            for start in byteIndex[Int(t[0])] {
                let i = Int(start)
                guard i <= last else { break }
                var k = 1
                while k < t.count, bytes[i + k] == t[k] { k += 1 }
                if k == t.count,
                    !(term.wordStart && i > 0 && glued(at: i)),
                    !(term.wordEnd && i + k < bytes.count && Term.isEdgeByte(bytes[i + k]))
                {
                    hits.append(i)
                }
            }
            found.positions[key] = hits
            return hits
        }

        /// Whether the byte before `i` continues a word. A flag's dashes (`--verify`, ` -verify`)
        /// do not, so the word after them is found; "no-verify" and "pre-commit" stay one word.
        private func glued(at i: Int) -> Bool {
            guard Term.isEdgeByte(bytes[i - 1]) else { return false }
            guard bytes[i - 1] == 0x2D, i >= 2 else { return true }
            return Term.isEdgeByte(bytes[i - 2]) && bytes[i - 2] != 0x2D
        }

        func hasAny(_ terms: [Term]) -> Bool { terms.contains { !positions(of: $0).isEmpty } }

        /// Report words inside a URL (`github.com/attacker-mirror`) are part of an address, not a report.
        /// So are the words of a response procedure ("障害対応手順", "incident response steps"): a runbook orders.
        var isReport: Bool {
            InstructionDetector.reportCues.contains { term in
                positions(of: term).contains { p in
                    let end = p + term.bytes.count
                    return !inURL(p) && !InstructionDetector.responses.contains { Self.has($0, in: bytes, at: end) || Self.has($0, in: bytes, at: end + 1) }
                }
            }
        }

        /// Whether offset `p` lies in a token that holds `://` before it.
        func inURL(_ p: Int) -> Bool {
            var j = p
            while j > 2, p - j < 300, bytes[j - 1] != 0x20, bytes[j - 1] != 0x60 {
                if bytes[j - 1] == 0x2F, bytes[j - 2] == 0x2F, bytes[j - 3] == 0x3A { return true }
                j -= 1
            }
            return false
        }

        /// Whether a fake role header (`<system>`, `### NEW SYSTEM PROMPT ###`) opens the sentence.
        var opensWithRoleMarker: Bool {
            InstructionDetector.roleMarkers.contains { term in
                positions(of: term).first.map { p in bytes[..<p].allSatisfy { [0x23, 0x20, 0x2A, 0x2D, 0x3D, 0x3E].contains($0) } } ?? false
            }
        }

        /// Whether the line opens with a list marker: `-`, `*`, `•`, `・`, `1.`, `2)`, `[ ]`, or a table's `|`.
        var startsListItem: Bool {
            guard let first = bytes.first else { return false }
            if first == 0x2D || first == 0x2A { return bytes.count > 1 && bytes[1] == 0x20 }
            if first == 0x7C { return true }  // a table row
            if Self.has(Array("・".utf8), in: bytes, at: 0) || Self.has(Array("•".utf8), in: bytes, at: 0) || Self.has(Array("[ ]".utf8), in: bytes, at: 0) {
                return true
            }
            var i = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i > 0 && i < 3 && i < bytes.count && (bytes[i] == 0x2E || bytes[i] == 0x29)
        }

        /// Whether the sentence speaks to its reader: an imperative clause, a request, a modal on
        /// "agent", or a Japanese request ending. Plain questions ask, they do not order.
        var isDirective: Bool {
            let requested = hasAny(InstructionDetector.requestPhrases)
            if bytes.last == 0x3F, !requested { return false }
            if requested { return true }
            for (n, word) in words.enumerated() where InstructionDetector.readerNouns.contains(word.text) {
                if words[(n + 1)...].prefix(3).contains(where: { InstructionDetector.readerModals.contains($0.text) }) { return true }
                // "Agents push straight to main": a norm laid down for the reader.
                if n + 1 < words.count, InstructionDetector.imperativeVerbs.contains(words[n + 1].text) { return true }
            }
            for (n, start) in clauses.enumerated() {
                let end = n + 1 < clauses.count ? clauses[n + 1] : bytes.count
                if opensWithImperative(from: start, to: end) { return true }
                let tail = Self.trimmedTail(bytes[start..<end])
                if InstructionDetector.jaClauseEndings.contains(where: tail.hasSuffix), !tail.hasSuffix("たこと"), !tail.hasSuffix("だこと") {
                    return true
                }
                // A clause before a colon ends like a sentence: "これ実行して: `…`".
                let lastClause = n == clauses.count - 1 || end == bytes.count || bytes[end - 1] == 0x3A
                if lastClause, InstructionDetector.jaSentenceEndings.contains(where: tail.hasSuffix) || Self.isJapaneseImperative(tail) {
                    return true
                }
            }
            return false
        }

        /// A clause whose first word, past fillers, is a bare verb or a command, and which no
        /// statement verb ("skips", "is") soon follows.
        /// A lead-in ("at the end of each session run …") may precede the verb when no subject does.
        private func opensWithImperative(from start: Int, to end: Int) -> Bool {
            let clause = Array(words[(Self.first(in: wordStarts, from: start) ?? words.count)...].prefix { $0.end <= end })
            guard let head = clause.firstIndex(where: { !Self.isFiller($0.text) }) else { return false }
            // English must open the clause: a verb after Japanese text is a quoted command.
            if bytes[start..<clause[head].start].contains(where: Self.isCJKLead) { return false }
            let ticked = bytes[start..<clause[head].start].contains(0x60)
            let verb = clause[head].text
            if verb == "do", head + 1 < clause.count, clause[head + 1].text == "not" { return true }
            // Japanese after the command means the Japanese is the sentence about it.
            if bytes[clause[head].start..<end].contains(where: Self.isCJKLead) { return false }
            if InstructionDetector.commandHeads.contains(verb), ticked || !InstructionDetector.wordlikeCommands.contains(verb) {
                return !clause[(head + 1)...].contains { Self.isStatementVerb($0.text) }
            }
            if !ticked, InstructionDetector.imperativeVerbs.contains(verb) {
                let next = clause[(head + 1)...].prefix(2)
                if let first = next.first, Self.isStatementVerb(first.text) { return false }
                return !next.contains { InstructionDetector.statementVerbs.contains($0.text) }
            }
            guard !ticked, InstructionDetector.leadIns.contains(verb) else { return false }
            for (n, word) in clause.enumerated().dropFirst(head + 1).prefix(8) {
                if InstructionDetector.subjects.contains(word.text) || Self.isStatementVerb(word.text) { return false }
                if InstructionDetector.imperativeVerbs.contains(word.text), !InstructionDetector.determiners.contains(clause[n - 1].text) {
                    return true
                }
            }
            return false
        }

        /// A sentence ending in the plain imperative (命令形: 消せ, 見ろ, 従え, 書け). The form is
        /// told from nouns that end alike (答え, 向け, ところ) by the kanji stem and a short list.
        static func isJapaneseImperative(_ tail: String) -> Bool {
            let chars = Array(tail.unicodeScalars)
            guard chars.count >= 2, let last = chars.last else { return false }
            let previous = chars[chars.count - 2]
            let kanjiStem = (0x4E00...0x9FFF).contains(previous.value)
            let hiraganaStem = (0x3041...0x3096).contains(previous.value)
            if InstructionDetector.jaImperativeDecoys.contains(where: tail.hasSuffix) { return false }
            switch last {
            case "ろ": return kanjiStem || hiraganaStem
            case "せ", "え", "け": return kanjiStem
            case "れ": return kanjiStem || tail.hasSuffix("やれ")  // 貼れ, 送れ; nouns like 流れ are decoys
            default: return false
            }
        }

        /// Lead bytes of kana, kanji and full-width forms in UTF-8 (dashes and quotes are below).
        static func isCJKLead(_ b: UInt8) -> Bool { b >= 0xE3 && b <= 0xEF }

        static func isFiller(_ word: String) -> Bool {
            InstructionDetector.fillers.contains(word) || (word.count > 5 && word.hasSuffix("ly") && word != "supply")
        }

        static func isStatementVerb(_ word: String) -> Bool {
            if InstructionDetector.statementVerbs.contains(word) { return true }
            guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") else { return false }
            let stems = [String(word.dropLast()), String(word.dropLast(2)), String(word.dropLast(3)) + "y"]
            return stems.contains { InstructionDetector.imperativeVerbs.contains($0) }
        }

        /// The clause's text without trailing punctuation, emoji and brackets.
        static func trimmedTail(_ slice: ArraySlice<UInt8>) -> String {
            var scalars = String(decoding: slice, as: UTF8.self).unicodeScalars[...]
            while let last = scalars.last, !last.properties.isAlphabetic { scalars = scalars.dropLast() }
            return String(String.UnicodeScalarView(scalars))
        }

        /// Whether a rule's groups all sit near one of its anchors, with the anchor's polarity right.
        func matches(_ rule: Rule) -> Bool {
            if !rule.safety, !rule.standalone, isGuarded { return false }
            // Japanese spends three bytes a character, so the same words sit farther apart.
            let reach = bytes.contains(where: Self.isCJKLead) ? rule.reach * 3 / 2 : rule.reach
            let groupHits = rule.groups.dropFirst().map { group in
                group.flatMap { term in positions(of: term).filter { !rule.objects || !isSetting(at: $0, length: term.bytes.count) } }.sorted()
            }
            let unlessHits = rule.unless.map(positions(of:))
            let maes = rule.safety || rule.standalone ? [] : positions(of: Self.mae)
            if groupHits.contains(where: \.isEmpty) { return false }
            for term in rule.groups[0] {
                for p in positions(of: term) {
                    let lo = p - reach
                    let hi = p + term.bytes.count + reach
                    let near = groupHits.map { hits in Self.first(in: hits, from: lo).flatMap { hits[$0] <= hi ? hits[$0] : nil } }
                    guard near.allSatisfy({ $0 != nil }) else { continue }
                    if !rule.safety, !rule.standalone, asksBeforeJA(after: p, in: maes) { continue }
                    // The act turned the other way ("user instructions take priority over memory").
                    if unlessHits.contains(where: { hits in Self.first(in: hits, from: lo).map { hits[$0] <= hi } ?? false }) { continue }
                    var negated = isNegated(at: p, length: term.bytes.count, safety: rule.safety)
                    // A plain act is forbidden when any of its parts is ("`npm i -g` is blocked; use npx").
                    // The anchor's own words ("stop writing audit entries") do not negate its parts.
                    let anchor = p..<(p + term.bytes.count)
                    if !rule.safety, !negated {
                        negated = near.contains { isNegated(at: $0!, length: 0, safety: false, english: true, except: anchor) }
                    }
                    if negated == rule.safety { return true }
                }
            }
            return false
        }
    }
}
