#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A text's UTF-8 bytes with ASCII letters lower-cased, for fast keyword tests.
///
/// `String.contains(_:)` goes through Foundation's locale-aware search on Linux and took
/// 80 % of the classifier's time when measured; `memchr` and `memcmp` on bytes do the job here.
struct ByteText {
    let bytes: [UInt8]
    /// How many ASCII digits the text holds (cheap gate for card, phone and IBAN rules).
    let digitCount: Int
    /// The longest run of characters a credential can be made of (ASCII letters, digits and
    /// `_-.+/=~:@%`): a format longer than this cannot be in the text.
    let longestTokenRun: Int
    /// The longest run of base64 characters, and of hex digits.
    let longestBase64Run: Int
    let longestHexRun: Int
    /// The most digits in one run where single spaces or dashes may separate digits
    /// (`4111 1111-1111`): a card needs 12, a phone number 8, an SSN 9.
    let longestDigitGroupRun: Int
    /// Whether two upper-case letters and two digits start a word somewhere (an IBAN's start).
    let hasIBANStart: Bool
    /// The longest run of lower-case letters, digits and the separators of a word list
    /// (space, comma, line break, `.`, `)`): a seed phrase of 12 words needs 47.
    let longestWordListRun: Int
    private let utf16Prefix: [Int]
    /// Which byte pairs occur (a 64 Kbit set): a keyword with a pair the text lacks is absent,
    /// decided without a search. Japanese keywords share their lead bytes with most of a
    /// Japanese text, so searching by first byte alone stopped every three bytes.
    private let pairs: [UInt64]

    init(_ text: String) {
        var bytes = Array(text.utf8)
        var digits = 0
        var token = 0
        var base64 = 0
        var hex = 0
        var digitGroup = 0
        var longestToken = 0
        var longestBase64 = 0
        var longestHex = 0
        var longestDigitGroup = 0
        var ibanStart = false
        var wordList = 0
        var longestWordList = 0
        func isUpperAt(_ index: Int) -> Bool { index < bytes.count && bytes[index] >= 0x41 && bytes[index] <= 0x5A }
        func isDigitAt(_ index: Int) -> Bool { index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        for index in bytes.indices {
            let byte = bytes[index]
            if !ibanStart, isUpperAt(index), isUpperAt(index + 1), isDigitAt(index + 2), isDigitAt(index + 3) {
                ibanStart = index == 0 || !(bytes[index - 1] >= 0x41 && bytes[index - 1] <= 0x5A)
            }
            if byte >= 0x30 && byte <= 0x39 {
                digitGroup += 1
                longestDigitGroup = max(longestDigitGroup, digitGroup)
            } else if (byte == 0x20 || byte == 0x2D) && index > 0 && isDigitAt(index - 1) && isDigitAt(index + 1) {
                // A single separator between digits keeps the group going.
            } else {
                digitGroup = 0
            }
            let isUpper = byte >= 0x41 && byte <= 0x5A
            let isLower = byte >= 0x61 && byte <= 0x7A
            let isDigit = byte >= 0x30 && byte <= 0x39
            if isUpper { bytes[index] = byte | 0x20 } else if isDigit { digits += 1 }
            let isBase64 = isUpper || isLower || isDigit || byte == 0x2B || byte == 0x2F || byte == 0x5F || byte == 0x2D || byte == 0x3D
            let isHex = isDigit || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
            let isToken = isBase64 || byte == 0x2E || byte == 0x7E || byte == 0x3A || byte == 0x40 || byte == 0x25
            token = isToken ? token + 1 : 0
            wordList = isLower || isDigit || byte == 0x20 || byte == 0x2C || byte == 0x0A || byte == 0x2E || byte == 0x29 ? wordList + 1 : 0
            longestWordList = max(longestWordList, wordList)
            base64 = isBase64 ? base64 + 1 : 0
            hex = isHex ? hex + 1 : 0
            longestToken = max(longestToken, token)
            longestBase64 = max(longestBase64, base64)
            longestHex = max(longestHex, hex)
        }
        var pairs = [UInt64](repeating: 0, count: 1024)
        if bytes.count > 1 {
            for index in 1..<bytes.count {
                let pair = Int(bytes[index - 1]) << 8 | Int(bytes[index])
                pairs[pair >> 6] |= 1 << UInt64(pair & 63)
            }
        }
        self.pairs = pairs
        self.bytes = bytes
        self.digitCount = digits
        // For non-ASCII text: the UTF-16 offset at each byte offset (lead bytes of 2- and
        // 3-byte sequences count one unit, of 4-byte sequences two).
        if bytes.contains(where: { $0 >= 0x80 }) {
            var prefix = [Int](repeating: 0, count: bytes.count + 1)
            var units = 0
            for (index, byte) in bytes.enumerated() {
                prefix[index] = units
                if byte < 0x80 || byte >= 0xC0 && byte < 0xF0 { units += 1 } else if byte >= 0xF0 { units += 2 }
            }
            prefix[bytes.count] = units
            utf16Prefix = prefix
        } else {
            utf16Prefix = []
        }
        self.longestTokenRun = longestToken
        self.longestBase64Run = longestBase64
        self.longestHexRun = longestHex
        self.longestDigitGroupRun = longestDigitGroup
        self.hasIBANStart = ibanStart
        self.longestWordListRun = longestWordList
    }

    /// Whether the lower-cased text contains `needle` (given in lower case).
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= bytes.count else { return false }
        for index in 1..<max(1, needle.count) {
            let pair = Int(needle[index - 1]) << 8 | Int(needle[index])
            if pairs[pair >> 6] & (1 << UInt64(pair & 63)) == 0 { return false }
        }
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                guard let base = haystack.baseAddress, let first = pattern.first, let patternBase = pattern.baseAddress else { return false }
                var offset = 0
                let last = haystack.count - pattern.count
                while offset <= last {
                    guard let found = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, patternBase, pattern.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }

    func containsAny(_ needles: [[UInt8]]) -> Bool {
        needles.contains(where: contains)
    }

    /// Every byte offset where `needle` starts.
    func offsets(of needle: [UInt8]) -> [Int] {
        guard let first = needle.first, needle.count <= bytes.count else { return [] }
        var found: [Int] = []
        bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                guard let base = haystack.baseAddress, let patternBase = pattern.baseAddress else { return }
                var offset = 0
                let last = haystack.count - pattern.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return }
                    let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, patternBase, pattern.count) == 0 { found.append(position) }
                    offset = position + 1
                }
            }
        }
        return found
    }

    /// Whether, from `offset`, the rest of an identifier, an optional quote and spaces lead to
    /// an assignment operator (`=`, `:`): `password_min = `, `api_key": `.
    func assignmentFollows(from offset: Int) -> Bool {
        var index = offset
        func isIdentifier(_ byte: UInt8) -> Bool {
            byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39 || byte == 0x5F || byte == 0x2E || byte == 0x2D
        }
        while index < bytes.count, isIdentifier(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == 0x5C { index += 1 }  // an escaped quote: {\"password\": …}
        if index < bytes.count, bytes[index] == 0x22 || bytes[index] == 0x27 { index += 1 }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index < bytes.count && (bytes[index] == 0x3D || bytes[index] == 0x3A)
    }

    /// Whether the rest of an XML element name and its `>` follow (`password>`, `Secret attr="x">`).
    func elementCloses(from offset: Int) -> Bool {
        var index = offset
        while index < bytes.count, index - offset < 80, bytes[index] != 0x3C, bytes[index] != 0x0A {
            if bytes[index] == 0x3E { return true }
            index += 1
        }
        return false
    }

    /// Whether a verb or operator that introduces a value (`is`, `was`, `are`, `=`, `:`, `->`,
    /// `to`) follows within `distance` bytes of `offset`, as a prose cue needs.
    func valueIntroducerFollows(from offset: Int, within distance: Int = 90) -> Bool {
        let end = min(bytes.count, offset + distance)
        guard offset < end else { return false }
        var index = offset
        while index < end {
            let byte = bytes[index]
            if byte == 0x3D || byte == 0x3A || byte == 0x7C { return true }
            if byte == 0x20, index + 3 < bytes.count {
                let a = bytes[index + 1]
                let b = bytes[index + 2]
                let c = bytes[index + 3]
                if a == 0x69 && b == 0x73 && (c == 0x20 || c == 0x3A) { return true }  // " is"
                if a == 0x74 && b == 0x6F && c == 0x20 { return true }  // " to"
                if index + 4 < bytes.count, bytes[index + 4] == 0x20 || bytes[index + 4] == 0x3A,
                    (a == 0x77 && b == 0x61 && c == 0x73) || (a == 0x61 && b == 0x72 && c == 0x65)
                {
                    return true  // " was", " are"
                }
            }
            if byte == 0x2D, index + 1 < end, bytes[index + 1] == 0x3E { return true }  // "->"
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x86, bytes[index + 2] == 0x92 { return true }  // "→"
            // "–", "—"
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x93 || bytes[index + 2] == 0x94 { return true }
            if byte == 0x2D, index > 0, bytes[index - 1] == 0x20, index + 1 < bytes.count, bytes[index + 1] == 0x20 { return true }  // " - "
            index += 1
        }
        return false
    }

    /// Whether one of `words` (lower case) ends, as a word, just before the keyword hit that
    /// ends at `end` (white space and `the`/`my` may sit between).
    func precededByWord(_ words: [String], before end: Int) -> Bool {
        let start = max(0, end - 40)
        let window = String(decoding: bytes[start..<end], as: UTF8.self)
        return words.contains { window.containsBytes($0 + " ") }
    }

    /// Whether a bracket (`(`, `[`, 【, 「, 『, full-width forms are NFKC'd) follows the hit after spaces.
    func bracketFollows(from offset: Int) -> Bool {
        var index = offset
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == 0x28 || bytes[index] == 0x5B { return true }
        return bytes[index] == 0xE3 && index + 2 < bytes.count && bytes[index + 1] == 0x80 && [0x90, 0x8C, 0x8E].contains(bytes[index + 2])
    }

    /// Whether, after spaces, a CJK cue is followed by a particle or a symbol (not by more
    /// ASCII letters: the `pin` of "pinned" opens no window).
    func cjkIntroducerFollows(from offset: Int) -> Bool {
        var index = offset
        while index < bytes.count, index - offset < 4, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        return byte >= 0x80 || byte == 0x3A || byte == 0x3D || byte == 0x2D
    }

    /// Whether a non-ASCII character (a Japanese particle such as は) follows within two bytes.
    func nonASCIIFollows(from offset: Int) -> Bool {
        offset < bytes.count && bytes[offset] >= 0x80 || offset + 1 < bytes.count && bytes[offset + 1] >= 0x80
    }

    /// The UTF-16 offset of a byte offset (regular expressions work in UTF-16).
    func utf16Offset(_ byteOffset: Int) -> Int {
        guard !isASCII else { return byteOffset }
        return utf16Prefix[min(byteOffset, utf16Prefix.count - 1)]
    }

    var isASCII: Bool { utf16Prefix.isEmpty }
}

extension String {
    /// Whether the string holds `needle`, compared as UTF-8 bytes. `String.contains(_: String)`
    /// goes through Foundation's locale-aware search on Linux: measured, it was 30 % of the
    /// judge's time on a text of many cues.
    func containsBytes(_ needle: String) -> Bool {
        byteOffset(of: needle) != nil
    }

    /// The UTF-8 offset of the first (or last) occurrence of `needle`.
    func byteOffset(of needle: String, backwards: Bool = false) -> Int? {
        var haystack = self
        var pattern = needle
        return haystack.withUTF8 { hay in
            pattern.withUTF8 { needle in
                guard !needle.isEmpty else { return 0 }
                guard needle.count <= hay.count else { return nil }
                let last = hay.count - needle.count
                var start = backwards ? last : 0
                while backwards ? start >= 0 : start <= last {
                    if hay[start] == needle[0] {
                        var index = 1
                        while index < needle.count, hay[start + index] == needle[index] { index += 1 }
                        if index == needle.count { return start }
                    }
                    start += backwards ? -1 : 1
                }
                return nil
            }
        }
    }
}
