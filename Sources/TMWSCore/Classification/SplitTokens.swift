import Foundation

/// Credential tokens broken by a space or a line break (`ghp_aBcD⏎EfGh…`), by a hard wrap or
/// on purpose. Where a distinctive prefix starts a run too short for its format, the next
/// runs are joined across the gap and the format is tried on the joined token; the finding
/// covers every piece.
enum SplitTokens {
    struct Found {
        var type: String
        var range: Range<Int>
    }

    /// The credential rules that start with a literal prefix, with their prefixes.
    private static let candidates: [(rule: PatternRule, minimumLength: Int)] = SensitiveDataDetector.rules
        .filter { $0.tier == .credential && !$0.keywords.isEmpty }
        .map { ($0, $0.minimumTokenRun) }

    /// The candidates' prefixes by their first (lower-case) byte, so one pass over the text's
    /// token starts finds every prefix at once.
    private static let byFirstByte: [[(keyword: [UInt8], candidate: Int)]] = {
        // An array indexed by the byte: a dictionary's hashing cost more than the rest of the
        // pass when measured (every token start looks itself up).
        var table = [[(keyword: [UInt8], candidate: Int)]](repeating: [], count: 256)
        for (index, entry) in candidates.enumerated() {
            for keyword in entry.rule.keywords where !keyword.isEmpty {
                table[Int(keyword[0])].append((keyword, index))
            }
        }
        return table
    }()

    /// Whether `bytes` start with a credential format's literal prefix (`ghp_`, `sk-`, `AKIA`):
    /// pieces are joined again only when the joined token can be one.
    static func startsWithCredentialPrefix(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        let lowered = bytes.prefix(16).map { ByteClass.isUpper($0) ? $0 | 0x20 : $0 }
        return byFirstByte[Int(lowered[0])].contains { entry in lowered.starts(with: entry.keyword) }
            || first == 0x65 && lowered.starts(with: Array("eyj".utf8))
    }

    static func find(_ scan: ScanText) -> [Found] {
        let bytes = scan.bytes
        let lowered = scan.lowered.bytes
        var found: [Found] = []
        var start = 0
        while start < bytes.count {
            // Token starts only; a run that reaches no gap cannot be split.
            guard isTokenByte(bytes[start]), start == 0 || !isTokenByte(bytes[start - 1]) else {
                start += 1
                continue
            }
            let end = runEnd(bytes, from: start)
            defer { start = end }
            let entries = byFirstByte[Int(lowered[start])]
            guard end < bytes.count, !entries.isEmpty, ByteClass.isSpace(bytes[end]) || bytes[end] == 0x22 || bytes[end] == 0x27 || bytes[end] == 0x5C
            else { continue }
            for (keyword, index) in entries {
                // The prefix whole in this run, or cut inside it (`gh⏎p_…`): then the next run
                // must be long enough to be the token's body.
                let prefixWhole = end - start >= keyword.count && lowered[start..<start + keyword.count].elementsEqual(keyword)
                let prefixCut = !prefixWhole && end - start >= 2 && keyword.starts(with: lowered[start..<end])
                guard prefixWhole || prefixCut else { continue }
                let (rule, minimumLength) = candidates[index]
                var pieces: [Range<Int>] = [start..<end]
                var length = pieces[0].count
                guard length < minimumLength else { continue }
                if prefixCut {
                    guard let next = nextPiece(bytes, after: end), next.count >= 8 else { continue }
                }
                // Join no more than the format needs, so the words after a token stay.
                while length < minimumLength, pieces.count < 8, let next = nextPiece(bytes, after: pieces[pieces.count - 1].upperBound) {
                    pieces.append(next)
                    length += next.count
                }
                guard pieces.count > 1 else { continue }
                let joined = String(decoding: pieces.flatMap { bytes[$0] }, as: UTF8.self)
                let whole = NSRange(location: 0, length: (joined as NSString).length)
                guard let match = rule.regex.firstMatch(in: joined, options: [.anchored], range: whole),
                    match.range.length > pieces[0].count, rule.accept((joined as NSString).substring(with: match.range))
                else { continue }
                // Map the match's end back to the pieces.
                var remaining = match.range.length
                var matchEnd = start
                for piece in pieces {
                    if remaining <= piece.count {
                        matchEnd = piece.lowerBound + remaining
                        break
                    }
                    remaining -= piece.count
                    matchEnd = piece.upperBound
                }
                found.append(Found(type: rule.type, range: start..<matchEnd))
            }
        }
        return found
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        ByteClass.isBase64(byte) || byte == 0x2E || byte == 0x3D || byte == 0x7E
    }

    private static func runEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
        return index
    }

    /// The next run after a short gap of white space (and string-concatenation quotes and
    /// `+`, as in `"ghp_aBc" +⏎ "dEf"`), or nil.
    private static func nextPiece(_ bytes: [UInt8], after end: Int) -> Range<Int>? {
        var index = end
        var sawSpace = false
        while index < bytes.count, index - end <= 12 {
            let byte = bytes[index]
            if ByteClass.isSpace(byte) {
                sawSpace = true
            } else if byte == 0x22 || byte == 0x27 || byte == 0x2B || byte == 0x5C {
                // Quotes and a plus of a concatenation, a shell's line-continuing backslash.
            } else {
                break
            }
            index += 1
        }
        guard sawSpace, index < bytes.count, index - end <= 12, isTokenByte(bytes[index]) else { return nil }
        let stop = runEnd(bytes, from: index)
        return index..<stop
    }
}
