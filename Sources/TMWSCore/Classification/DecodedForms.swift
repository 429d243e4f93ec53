import Foundation

/// Disguises the base64/hex/percent decoder does not undo, each turned back into text the
/// detector scans again: base32 and base85 (Ascii85 and RFC 1924) encodings, a token with a
/// space (or another separator) between every character, and a token cut into quoted pieces
/// joined by commas or pluses (`"ghp_aBc", "dEf…"`) or cut by a comma inside (`ghp_aBc,dEf…`).
enum DecodedForms {
    typealias Segment = EncodedSegments.Segment

    static func find(in text: String, bytes: [UInt8], gates: ByteText) -> [Segment] {
        var segments: [Segment] = []
        if bytes.count >= 16 { segments += encodedTokens(bytes, gates: gates) }
        if bytes.count >= 24 { segments += spacedOut(bytes, gates: gates) }
        if gates.contains([0x2C]) || gates.contains([0x2B]) { segments += joinedPieces(bytes, gates: gates) }
        return segments
    }

    private static func segment(_ range: Range<Int>, _ decoded: String, _ gates: ByteText) -> Segment {
        let start = gates.utf16Offset(range.lowerBound)
        return Segment(range: NSRange(location: start, length: gates.utf16Offset(range.upperBound) - start), decoded: decoded)
    }

    // MARK: base32 and base85

    /// Runs of 16+ printable characters without spaces that decode as base32 or base85 to text.
    static func encodedTokens(_ bytes: [UInt8], gates: ByteText) -> [Segment] {
        var segments: [Segment] = []
        var index = 0
        while index < bytes.count {
            guard ByteClass.isGraphic(bytes[index]), bytes[index] != 0x22, bytes[index] != 0x27 else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, ByteClass.isGraphic(bytes[end]), bytes[end] != 0x22, bytes[end] != 0x27 { end += 1 }
            defer { index = end }
            guard end - index >= 16 else { continue }
            var token = bytes[index..<end]
            var range = index..<end
            // Ascii85 in Adobe's brackets.
            if token.starts(with: [0x3C, 0x7E]), token.count > 4, token.suffix(2).elementsEqual([0x7E, 0x3E]) {
                token = token.dropFirst(2).dropLast(2)
                if let decoded = ascii85(token) { segments.append(segment(range, decoded, gates)) }
                continue
            }
            while let last = token.last, last == 0x2E || last == 0x2C || last == 0x29 || last == 0x3B, !isBase32Token(token) {
                token = token.dropLast()
                range = range.lowerBound..<range.upperBound - 1
            }
            if isBase32Token(token), let decoded = base32(token) {
                segments.append(segment(range, decoded, gates))
                continue
            }
            // Base85 mixes symbols in; base64 and plain words do not hold these.
            guard token.count >= 20, token.contains(where: { "!#$%&()*;<>?@^`{|}~".utf8.contains($0) }) else { continue }
            if let decoded = base85(token) ?? ascii85(token) { segments.append(segment(range, decoded, gates)) }
        }
        return segments
    }

    private static func isBase32Token(_ token: ArraySlice<UInt8>) -> Bool {
        let body = token.prefix { $0 != 0x3D }
        guard body.count >= 16, token.dropFirst(body.count).allSatisfy({ $0 == 0x3D }) else { return false }
        return body.allSatisfy { ByteClass.isUpper($0) || ($0 >= 0x32 && $0 <= 0x37) }
    }

    /// RFC 4648 base32 (upper case, padding optional) to printable text.
    static func base32(_ token: ArraySlice<UInt8>) -> String? {
        var output: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in token where byte != 0x3D {
            let value: Int
            if ByteClass.isUpper(byte) { value = Int(byte - 0x41) } else { value = Int(byte - 0x32) + 26 }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return printable(output)
    }

    /// RFC 1924 / Python `b85encode` alphabet.
    private static let base85Values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~".utf8)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    static func base85(_ token: ArraySlice<UInt8>) -> String? {
        var values: [Int] = []
        for byte in token {
            guard byte < 128, base85Values[Int(byte)] >= 0 else { return nil }
            values.append(Int(base85Values[Int(byte)]))
        }
        return decode85(values)
    }

    /// Ascii85 (`!` to `u`, `z` for four zero bytes).
    static func ascii85(_ token: ArraySlice<UInt8>) -> String? {
        var values: [Int] = []
        for byte in token where !ByteClass.isSpace(byte) {
            if byte == 0x7A {
                values += [0, 0, 0, 0, 0]
                continue
            }
            guard byte >= 0x21, byte <= 0x75 else { return nil }
            values.append(Int(byte - 0x21))
        }
        return decode85(values)
    }

    private static func decode85(_ values: [Int]) -> String? {
        guard values.count % 5 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = Array(values[index..<min(index + 5, values.count)])
            let padded = chunk + [Int](repeating: 84, count: 5 - chunk.count)
            var number = 0
            for value in padded { number = number * 85 + value }
            guard number <= 0xFFFF_FFFF else { return nil }
            let four = [UInt8(number >> 24 & 0xFF), UInt8(number >> 16 & 0xFF), UInt8(number >> 8 & 0xFF), UInt8(number & 0xFF)]
            output += four.prefix(chunk.count - 1)
            index += 5
        }
        return printable(output)
    }

    /// Printable ASCII text of 8 bytes or more (a secret's text, not binary).
    private static func printable(_ output: [UInt8]) -> String? {
        guard output.count >= 8, output.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }) else { return nil }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: spaced out

    /// `g h p _ a B c …`: 16+ single characters (ASCII or not: `パ ス ワ ー ド`), each followed by
    /// the same separator; a spaced-out sentence's own spaces show as three in a row.
    static func spacedOut(_ bytes: [UInt8], gates: ByteText) -> [Segment] {
        var segments: [Segment] = []
        var index = 0
        /// The length of the character at `position` if it is printable: ASCII graphic, or a whole UTF-8 sequence.
        func characterLength(_ position: Int) -> Int {
            guard position < bytes.count else { return 0 }
            let byte = bytes[position]
            let length = ByteClass.isGraphic(byte) ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0
            return position + length <= bytes.count ? length : 0
        }
        while index + 3 < bytes.count {
            let first = characterLength(index)
            guard first > 0, index + first + 1 < bytes.count else {
                index += 1
                continue
            }
            let separator = bytes[index + first]
            let second = characterLength(index + first + 1)
            // One comparison first: in ordinary text a separator is rarely followed by one
            // character and the same separator again.
            guard second > 0, index + first + 1 + second < bytes.count, bytes[index + first + 1 + second] == separator, isSeparator(separator),
                first > 1 || bytes[index] != separator,
                index == 0 || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x0A || bytes[index - 1] == 0x3A || bytes[index - 1] == 0x22
            else {
                index += first
                continue
            }
            var characters: [UInt8] = []
            var count = 0
            var position = index
            while true {
                let length = characterLength(position)
                guard length > 0, length > 1 || bytes[position] != separator else { break }
                characters += bytes[position..<position + length]
                count += 1
                let after = position + length
                guard after < bytes.count, bytes[after] == separator else {
                    position = after
                    break
                }
                if separator == 0x20, after + 3 < bytes.count, bytes[after + 1] == 0x20, bytes[after + 2] == 0x20, characterLength(after + 3) > 0 {
                    characters.append(0x20)
                    position = after + 3
                    continue
                }
                guard characterLength(after + 1) > 0 else {
                    position = after
                    break
                }
                position = after + 1
            }
            // 16 Latin characters, or 8 when CJK ones are among them (each says more).
            if count >= 16 || count >= 8 && characters.contains(where: { $0 >= 0xE0 }) {
                var end = position
                while end > index, bytes[end - 1] == separator || ByteClass.isSpace(bytes[end - 1]) { end -= 1 }
                segments.append(segment(index..<end, String(decoding: characters, as: UTF8.self), gates))
            }
            // Past the run either way: a shorter run inside it is shorter still.
            index = max(position, index + 1)
        }
        return segments
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x2C || byte == 0x7C || byte == 0x2F || byte == 0x5F || byte == 0x3A || byte == 0x2A
    }

    // MARK: pieces

    /// Quoted pieces joined by `,` or `+` (`"ghp_aBc", "dEf…"`, `'sk-' + 'proj…'`), and a token
    /// cut by commas inside (`ghp_aBcDe,FgHiJ…`): the pieces joined, when they start with a
    /// credential format's prefix (the joined text of any JSON array would be scanned otherwise).
    static func joinedPieces(_ bytes: [UInt8], gates: ByteText) -> [Segment] {
        var segments: [Segment] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 || byte == 0x27, let first = StructureParser.quotedValue(from: index, in: bytes), isPiece(bytes[first]) {
                var pieces = [first]
                var end = first.upperBound + 1
                while pieces.count < 12 {
                    var next = end
                    var joiner = false
                    while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x2C || bytes[next] == 0x2B || bytes[next] == 0x0A || bytes[next] == 0x09 {
                        if bytes[next] == 0x2C || bytes[next] == 0x2B { joiner = true }
                        next += 1
                    }
                    guard joiner, next < bytes.count, bytes[next] == bytes[index], let piece = StructureParser.quotedValue(from: next, in: bytes),
                        isPiece(bytes[piece])
                    else { break }
                    pieces.append(piece)
                    end = piece.upperBound + 1
                }
                let joined = pieces.flatMap { bytes[$0] }
                if pieces.count >= 2, joined.count >= 16, pieces.contains(where: { $0.count >= 6 }), SplitTokens.startsWithCredentialPrefix(joined[...]) {
                    segments.append(segment(first.lowerBound..<pieces[pieces.count - 1].upperBound, String(decoding: joined, as: UTF8.self), gates))
                }
                index = end
                continue
            }
            // A comma inside a token: letters or digits on both sides, no space.
            if byte == 0x2C, index > 0, index + 1 < bytes.count, isPieceByte(bytes[index - 1]), isPieceByte(bytes[index + 1]) {
                var start = index
                while start > 0, isPieceByte(bytes[start - 1]) { start -= 1 }
                var end = index + 1
                var commas = 1
                while end < bytes.count, isPieceByte(bytes[end]) || (bytes[end] == 0x2C && end + 1 < bytes.count && isPieceByte(bytes[end + 1]) && commas < 6) {
                    if bytes[end] == 0x2C { commas += 1 }
                    end += 1
                }
                let joined = bytes[start..<end].filter { $0 != 0x2C }
                // Numbers with thousands separators and lists of words are not tokens.
                if joined.count >= 20, SplitTokens.startsWithCredentialPrefix(joined[...]) {
                    segments.append(segment(start..<end, String(decoding: joined, as: UTF8.self), gates))
                }
                index = end
                continue
            }
            index += 1
        }
        return segments
    }

    private static func isPieceByte(_ byte: UInt8) -> Bool {
        ByteClass.isAlnum(byte) || byte == 0x5F || byte == 0x2D
    }

    private static func isPiece(_ piece: ArraySlice<UInt8>) -> Bool {
        piece.count >= 2 && piece.count <= 200 && piece.allSatisfy { ByteClass.isGraphic($0) }
    }
}
