import Foundation

/// Where a sentence asks for a person's approval or forbids the act: a guarded or negated
/// act is a policy, not an order.
extension InstructionDetector.Sentence {
    /// A risky act allowed only behind a person's approval ("ask before", "only with the user's
    /// explicit approval", "only after the release manager signs off") is a policy, not an order.
    var isGuarded: Bool {
        if let known = found.guarded { return known }
        let guarded = checkGuarded()
        found.guarded = guarded
        return guarded
    }

    private func checkGuarded() -> Bool {
        if hasAny(InstructionDetector.guards) { return true }
        let approvals = InstructionDetector.approvals.flatMap(positions(of:)).sorted()
        guard !approvals.isEmpty else { return false }
        return InstructionDetector.conditions.contains { term in
            positions(of: term).contains { p in Self.first(in: approvals, from: p).map { approvals[$0] - p <= 50 } ?? false }
        }
    }

    /// Whether the term at `p` names when or where, not what: "during tests", "in CI", "テスト中", "CI 実行時".
    func isSetting(at p: Int, length: Int) -> Bool {
        let end = p + length
        for after in InstructionDetector.jaSettings
        where Self.has(after, in: bytes, at: end) || end < bytes.count && bytes[end] == 0x20 && Self.has(after, in: bytes, at: end + 1) {
            return true
        }
        // "everything in tests/" is a path: the tests themselves.
        guard end >= bytes.count || bytes[end] != 0x2F, let n = Self.first(in: wordStarts, from: p), words[n].start == p, n > 0 else { return false }
        let previous = words[n - 1].text == "the" && n > 1 ? words[n - 2].text : words[n - 1].text
        return InstructionDetector.enSettings.contains(previous)
    }

    /// "force-push する前は必ずユーザーに確認": a confirmation after 前 guards the act, like "ask before".
    func asksBeforeJA(after p: Int, in maes: [Int]) -> Bool {
        guard let n = Self.first(in: maes, from: p + 1) else { return false }
        return Self.jaAsks.contains { Self.find($0, in: bytes, from: maes[n], to: min(bytes.count, maes[n] + 40)) }
    }
    static let mae = InstructionDetector.Term("前")
    static let jaAsks: [[UInt8]] = ["確認し", "確認を", "承認を", "許可を", "了承を", "一声", "連絡し", "相談し"].map { Array($0.utf8) }

    /// The index of the first value at or after `lo` in a sorted array.
    static func first(in sorted: [Int], from lo: Int) -> Int? {
        var a = 0
        var b = sorted.count
        while a < b {
            let m = (a + b) / 2
            if sorted[m] < lo { a = m + 1 } else { b = m }
        }
        return a < sorted.count ? a : nil
    }

    /// English prohibitions come before the act, Japanese ones after it, both within the clause.
    /// A safety step counts as skipped only when the negation is close and not itself negated
    /// ("never merge without review" is a policy, not an order to skip review).
    func isNegated(at p: Int, length: Int, safety: Bool, english: Bool = false, except: Range<Int> = 0..<0) -> Bool {
        // Bounded windows keep a long clause of repeated acts linear.
        let index = max(0, (Self.first(in: clauses, from: p + 1) ?? clauses.count) - 1)
        let start = max(clauses[index], p - 160)
        let end = min(index + 1 < clauses.count ? clauses[index + 1] : bytes.count, p + length + 120)
        let from = Self.first(in: wordStarts, from: start) ?? words.count
        let before = words[from...].prefix { $0.end <= p }
        // "To skip the slow tests locally, set …" names a goal; the order is the next clause.
        if !safety, index == 0, clauses.count > 1, start == 0, before.first?.text == "to" { return true }
        if !safety, InstructionDetector.jaPurposes.contains(where: { Self.find($0, in: bytes, from: p + length, to: end) }) { return true }
        let negs = before.indices.filter { InstructionDetector.negators.contains(before[$0].text) && !except.contains(before[$0].start) }
        if !safety, InstructionDetector.postNegators.contains(where: { Self.find($0.bytes, in: bytes, from: p + 1, to: end) }) {
            return true
        }
        if let last = negs.last {
            if !safety { return true }
            let gap = before[(last + 1)...]
            if negs.count == 1, gap.count <= 3, gap.allSatisfy({ Self.gapWords.contains($0.text) }) { return true }
        }
        if english { return false }
        let after = jaNegations(from: p + length, to: max(end, p + length))
        guard let first = after.first else { return false }
        // "チェックは切らないこと" negates the switching off, so the check stays.
        if safety, InstructionDetector.jaDisableStems.contains(where: { Self.find($0, in: bytes, from: p + length, to: first) }) {
            return false
        }
        return !safety || (first - (p + length) <= 24 && after.count == 1)
    }

    static let gapWords: Set<String> = [
        "to", "for", "the", "a", "an", "any", "reason", "running", "run", "waiting", "wait", "need", "needs", "asking", "spend", "time",
        "bother", "with", "it", "them", "on", "doing", "do", "be", "being", "ever", "even", "tell", "let", "user", "users",
    ]

    /// Offsets of Japanese negations in a range, longest match first, skipping 必ず and kin.
    private func jaNegations(from start: Int, to end: Int) -> [Int] {
        var found: [Int] = []
        var i = start
        outer: while i < end {
            for decoy in InstructionDetector.jaDecoys where Self.has(decoy, in: bytes, at: i) {
                i += decoy.count
                continue outer
            }
            for neg in InstructionDetector.jaNegators where Self.has(neg.bytes, in: bytes, at: i) {
                found.append(i)
                i += neg.bytes.count
                continue outer
            }
            i += 1
        }
        return found
    }

    static func find(_ t: [UInt8], in b: [UInt8], from start: Int, to end: Int) -> Bool {
        var i = start
        while i + t.count <= end {
            if has(t, in: b, at: i) { return true }
            i += 1
        }
        return false
    }

    static func has(_ t: [UInt8], in b: [UInt8], at i: Int) -> Bool {
        guard i + t.count <= b.count else { return false }
        for k in 0..<t.count where b[i + k] != t[k] { return false }
        return true
    }

    /// `pip install reqeusts`: a package one or two edits from a popular one.
    var installsTyposquat: Bool {
        let managers: Set<String> = ["pip", "pip3", "npm", "yarn", "pnpm", "gem", "cargo", "uv", "poetry"]
        for (n, word) in words.enumerated() where ["install", "i", "add"].contains(word.text) && n > 0 && managers.contains(words[n - 1].text) {
            for candidate in words[(n + 1)...].prefix(6) where !candidate.text.hasPrefix("-") && candidate.text.count >= 5 {
                // "reqeusts-toolbelt2" borrows a popular name for its first part.
                let head = String(candidate.text.split(separator: "-").first ?? "")
                let name = head.count >= 5 ? head : candidate.text
                if InstructionDetector.popularPackages.contains(name) { continue }
                if InstructionDetector.popularPackages.contains(where: { InstructionDetector.distance(name, $0) <= ($0.count >= 7 ? 2 : 1) }) {
                    return true
                }
            }
        }
        return false
    }
}
