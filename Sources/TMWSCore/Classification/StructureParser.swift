/// A value the structure parser found, with the key that owns it and the structure it sat in.
struct ValueCandidate {
    var structure: TextStructure
    /// The owner's byte range: a key, a header name, a flag, a table column, a callee, a cue.
    var key: Range<Int>?
    /// The value's byte range, without its quotes.
    var value: Range<Int>
    /// Whether the value may hold spaces (a line's rest, a quoted string, a table cell).
    var mayHoldSpaces: Bool = false
    /// Whether the structure itself says the value is a password (a command's password flag,
    /// `user/password@` of Oracle), whatever its key says.
    var isFlagPassword: Bool = false
}

/// Finds key/value structures in any text with one pass over its bytes and no regular
/// expression: every `=` and `:` is read as a possible assignment (the key before it, the
/// value after it), and the bytes around them tell which structure it belongs to (dotenv,
/// INI, YAML, JSON, XML attributes, HTTP headers, URL queries, connection strings, flags,
/// call arguments). URLs' user-info, space-separated flags, positional call arguments and
/// Markdown tables have passes of their own. The judge (`SecretJudge`) decides; this only finds.
enum StructureParser {
    static func candidates(_ scan: ScanText) -> [ValueCandidate] {
        let bytes = scan.bytes
        var found: [ValueCandidate] = []
        var index = 0
        var hasPipe = false
        var hasParen = false
        var hasDash = false
        var hasScheme = false
        var currentLineStart = 0
        var namedOwner: Range<Int>?
        var colons = 0
        var spaces = 0
        while index <= bytes.count {
            guard index < bytes.count else {
                if colons == 4, spaces == 0, let line = pgpassLine(currentLineStart..<index, in: bytes) { found.append(line) }
                break
            }
            switch bytes[index] {
            case 0x0A:
                if colons == 4, spaces == 0, let line = pgpassLine(currentLineStart..<index, in: bytes) { found.append(line) }
                currentLineStart = index + 1
                colons = 0
                spaces = 0
            case 0x20: spaces += 1
            case 0x3D, 0x3A:
                if bytes[index] == 0x3A { colons += 1 }
                if var candidate = pair(at: index, in: bytes, lineStart: currentLineStart) {
                    // A name/value pair (`{"key": "X-Api-Key", "value": "…"}`, `- name: DB_PASS⏎ value: …`,
                    // `<entry key="password">…</entry>`): the value belongs to the name.
                    if let key = candidate.key, let owner = namedOwner, candidate.value.lowerBound - owner.upperBound < 200,
                        valueWords.contains(where: { $0.elementsEqual(bytes[key].lazy.map { $0 | 0x20 }) })
                    {
                        candidate.key = owner
                        namedOwner = nil
                    } else if let key = candidate.key, nameWords.contains(where: { $0.elementsEqual(bytes[key].lazy.map { $0 | 0x20 }) }),
                        KeyLexicon.strength(of: bytes[candidate.value]) == .strong
                    {
                        namedOwner = candidate.value
                        if let content = elementContent(after: candidate.value.upperBound, in: bytes) {
                            found.append(ValueCandidate(structure: .xml, key: candidate.value, value: content, mayHoldSpaces: true))
                        }
                    }
                    found.append(candidate)
                }
                if bytes[index] == 0x3A, index + 2 < bytes.count, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F { hasScheme = true }
            case 0x7C: hasPipe = true
            case 0x28: hasParen = true
            case 0x2D: hasDash = true
            default: break
            }
            index += 1
        }
        if hasScheme { found += userinfo(bytes) }
        if hasDash { found += spacedFlags(bytes) }
        if hasParen { found += positionalArguments(bytes) }
        if hasPipe { found += tableCells(bytes) }
        found += spacedConfig(bytes)
        found += commandPasswords(bytes, lowered: scan.lowered)
        return found
    }

    static let nameWords: [[UInt8]] = ["key", "name", "id", "property", "param", "parameter", "field", "variable", "header", "label"].map { Array($0.utf8) }
    static let valueWords: [[UInt8]] = ["value", "val", "defaultvalue", "secretvalue", "content", "data"].map { Array($0.utf8) }

    /// The text of the element whose start tag holds `index`: `<entry key="password">…</entry>`.
    static func elementContent(after index: Int, in bytes: [UInt8]) -> Range<Int>? {
        var position = index
        while position < bytes.count, position - index < 200, bytes[position] != 0x3E, bytes[position] != 0x3C, bytes[position] != 0x0A { position += 1 }
        guard position < bytes.count, bytes[position] == 0x3E, position > 0, bytes[position - 1] != 0x2F else { return nil }
        let start = position + 1
        var end = start
        while end < bytes.count, end - start < 400, bytes[end] != 0x3C, bytes[end] != 0x0A { end += 1 }
        guard end < bytes.count, bytes[end] == 0x3C, end > start else { return nil }
        return start..<end
    }

    // MARK: - Assignments around `=` and `:`

    static func isKeyByte(_ byte: UInt8) -> Bool {
        ByteClass.isAlnum(byte) || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x5B || byte == 0x5D || byte >= 0x80
    }

    /// The key/value pair whose operator is at `op`, if the bytes around it make one.
    private static func pair(at op: Int, in bytes: [UInt8], lineStart: Int) -> ValueCandidate? {
        let byte = bytes[op]
        let next = op + 1 < bytes.count ? bytes[op + 1] : 0
        let previous = op > 0 ? bytes[op - 1] : 0
        var valueStart = op + 1
        var keyEnd = op
        if byte == 0x3D {
            // `==`, `!=`, `<=`, `>=` compare; `=>` and `:=` assign.
            if next == 0x3D || previous == 0x3D || previous == 0x21 || previous == 0x3C || previous == 0x3E { return nil }
            if next == 0x3E { valueStart = op + 2 }
            if previous == 0x3A || previous == 0x2B { keyEnd = op - 1 }
        } else {
            // `://` (a URL), `::` (a path or an IPv6 address), `:=` (handled at the `=`).
            if next == 0x2F || next == 0x3A || previous == 0x3A || next == 0x3D { return nil }
            // A time or a port (`14:00`, `host:8080`).
            if ByteClass.isDigit(previous), ByteClass.isDigit(next) { return nil }
        }
        // The key: a quoted string or an identifier, ending at most a few spaces before the operator.
        var end = keyEnd
        while end > 0, end - keyEnd > -4, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let spacedOperator = end < keyEnd
        var quote: UInt8 = 0
        var keyStart = end
        if end > 0, bytes[end - 1] == 0x22 || bytes[end - 1] == 0x27 {
            quote = bytes[end - 1]
            var start = end - 1
            while start > 0, end - start < 66, bytes[start - 1] != quote, bytes[start - 1] != 0x0A { start -= 1 }
            guard start > 0, bytes[start - 1] == quote else { return nil }
            keyStart = start
            end -= 1
        } else {
            while keyStart > 0, end - keyStart < 64, isKeyByte(bytes[keyStart - 1]) { keyStart -= 1 }
            // Non-ASCII keys stop at the sentence's punctuation and particles are kept: the
            // lexicon looks for its words anywhere in the key.
        }
        var keyRange = keyStart..<end
        guard !keyRange.isEmpty else { return nil }
        // A type annotation before `=` (`let apiKey: String = "…"`, `val token: String = …`):
        // the name before the colon is the key.
        if byte == 0x3D, quote == 0, keyStart > 1 {
            var colon = keyStart
            while colon > 0, bytes[colon - 1] == 0x20 { colon -= 1 }
            if colon > 0, bytes[colon - 1] == 0x3A {
                var nameEnd = colon - 1
                while nameEnd > 0, bytes[nameEnd - 1] == 0x20 { nameEnd -= 1 }
                var nameStart = nameEnd
                while nameStart > 0, nameEnd - nameStart < 64, isKeyByte(bytes[nameStart - 1]) { nameStart -= 1 }
                if nameStart < nameEnd { keyRange = nameStart..<nameEnd }
            }
        }
        // A declaration's colon (`struct Credentials: Codable`, `var password: String`)
        // introduces a type, not a value.
        if byte == 0x3A, quote == 0, keyStart > lineStart, isDeclaration(bytes[lineStart..<keyStart]) { return nil }
        // Flags: `--password=…`.
        var flag = false
        while keyRange.lowerBound < keyRange.upperBound, bytes[keyRange.lowerBound] == 0x2D {
            keyRange = keyRange.lowerBound + 1..<keyRange.upperBound
            flag = true
        }
        guard !keyRange.isEmpty else { return nil }
        // Declaring words before a key are few (`export`, `- `, `set -x`): a long prefix is prose.
        let initial = quote == 0 && !flag && keyStart - lineStart <= 40 && isLineInitial(bytes[lineStart..<keyStart])
        // The value.
        var start = valueStart
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        guard start < bytes.count, bytes[start] != 0x0A, bytes[start] != 0x0D else { return nil }
        var value: Range<Int>
        var spaces = false
        let quotedLine = keyStart > 0 && (bytes[keyStart - 1] == 0x22 || bytes[keyStart - 1] == 0x27)
        let header =
            byte == 0x3A && isHeaderName(bytes[keyRange])
            && (initial || quote != 0 || quotedLine || isAuthorization(bytes[keyRange]))
        if let quoted = quotedValue(from: start, in: bytes) {
            value = quoted
            spaces = true
        } else if header || initial && (byte == 0x3A || spacedOperator) {
            value = start..<lineEnd(from: start, in: bytes, stopAtQuote: quote != 0 || quotedLine)
            value = trimmed(value, in: bytes, comments: true)
            spaces = true
        } else {
            // A nested structure (`= [{"NAME": …}]`, `: {`) holds pairs of its own.
            if bytes[start] == 0x5B || bytes[start] == 0x7B { return nil }
            var stop = start
            while stop < bytes.count, !endsUnquoted(bytes[stop]) { stop += 1 }
            value = trimmed(start..<stop, in: bytes, comments: false)
        }
        guard !value.isEmpty else { return nil }
        let structure: TextStructure
        let outer = quote != 0 ? keyStart - 1 : keyStart
        let before = outer > 0 ? bytes[outer - 1] : 0x0A
        if flag {
            structure = .cliFlag
        } else if header {
            structure = .httpHeader
        } else if quote != 0 {
            structure =
                inside(open: 0x3C, close: 0x3E, before: keyStart, lineStart: lineStart, in: bytes)
                ? .xml
                : inside(open: 0x28, close: 0x29, before: keyStart, lineStart: lineStart, in: bytes) ? .callArgument : .json
        } else if before == 0x3F || before == 0x26 {
            structure = .urlQuery
        } else if before == 0x3B {
            structure = .connectionString
        } else if value.upperBound < bytes.count, bytes[value.upperBound] == 0x3B, byte == 0x3D, !spaces {
            structure = .connectionString
        } else if inside(open: 0x3C, close: 0x3E, before: keyStart, lineStart: lineStart, in: bytes) {
            structure = .xml
        } else if inside(open: 0x28, close: 0x29, before: keyStart, lineStart: lineStart, in: bytes) {
            structure = .callArgument
        } else if byte == 0x3A {
            structure = .yaml
        } else if initial {
            structure = spacedOperator ? .ini : (followedByCommand(value.upperBound, in: bytes) ? .envPrefix : .dotenv)
        } else {
            structure = .envPrefix
        }
        return ValueCandidate(structure: structure, key: keyRange, value: value, mayHoldSpaces: spaces)
    }

    /// A quoted value starting at `start` (`"…"`, `'…'`, `` `…` ``, or `\"…\"` inside a
    /// string), without its quotes, on one line.
    static func quotedValue(from start: Int, in bytes: [UInt8]) -> Range<Int>? {
        var open = start
        var escaped = false
        if bytes[open] == 0x5C, open + 1 < bytes.count, bytes[open + 1] == 0x22 || bytes[open + 1] == 0x27 {
            open += 1
            escaped = true
        }
        let quote = bytes[open]
        guard quote == 0x22 || quote == 0x27 || quote == 0x60 else { return nil }
        var index = open + 1
        while index < bytes.count, index - open < 4096, bytes[index] != 0x0A {
            if bytes[index] == 0x5C {
                if escaped, index + 1 < bytes.count, bytes[index + 1] == quote { return open + 1..<index }
                index += 2
                continue
            }
            if bytes[index] == quote { return open + 1..<index }
            index += 1
        }
        return nil
    }

    /// Bytes that end an unquoted value inside a line.
    static func endsUnquoted(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x27, 0x60, 0x2C, 0x3B, 0x26, 0x29, 0x7D, 0x5D, 0x3C, 0x3E, 0x7C: true
        default: false
        }
    }

    static func lineStart(before index: Int, in bytes: [UInt8]) -> Int {
        var start = index
        while start > 0, index - start < 400, bytes[start - 1] != 0x0A { start -= 1 }
        return start
    }

    static func lineEnd(from index: Int, in bytes: [UInt8], stopAtQuote: Bool = false) -> Int {
        var end = index
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D, !(stopAtQuote && (bytes[end] == 0x22 || bytes[end] == 0x27)) { end += 1 }
        return end
    }

    /// Without surrounding white space, a trailing `,` or `;`, and (for a line's rest) a
    /// trailing comment (` # …`, ` // …`).
    static func trimmed(_ range: Range<Int>, in bytes: [UInt8], comments: Bool) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        if comments {
            var index = lower + 1
            while index + 1 < upper {
                if bytes[index] == 0x20, bytes[index + 1] == 0x23 || (bytes[index + 1] == 0x2F && index + 2 < upper && bytes[index + 2] == 0x2F) {
                    upper = index
                    break
                }
                index += 1
            }
        }
        while upper > lower, [0x20, 0x09, 0x2C, 0x3B, 0x0D].contains(bytes[upper - 1]) { upper -= 1 }
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        return lower..<upper
    }

    /// Whether what precedes a key on its line leaves it the line's first word: indentation,
    /// a list marker, or a declaring word (`export`, `ENV`, `set -x`, `let`, `const`).
    static func isLineInitial(_ prefix: ArraySlice<UInt8>) -> Bool {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in prefix {
            if byte == 0x20 || byte == 0x09 {
                if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current = []
                }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words.allSatisfy { declaringWords.contains($0.lowercased()) }
    }

    static let declaringWords: Set<String> = [
        "-", "*", "+", ">", "export", "set", "-x", "setx", "env", "$env:", "declare", "local", "readonly", "const", "let", "var",
        "val", "private", "public", "static", "final", "string", "def", "my", "our", "#", "//", "-gx", "-g", "-e", "arg",
    ]

    /// HTTP header names that carry credentials, and any `X-…` header with a secret word.
    static func isHeaderName(_ key: ArraySlice<UInt8>) -> Bool {
        let lower = String(decoding: key, as: UTF8.self).lowercased()
        if [
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token",
            "x-access-token", "private-token", "x-vault-token", "x-goog-api-key", "ocp-apim-subscription-key", "x-functions-key",
            "x-hub-signature", "x-csrf-token", "x-amz-security-token", "authentication",
        ].contains(lower) {
            return true
        }
        return lower.hasPrefix("x-") && lower.contains("-")
    }

    static func isAuthorization(_ key: ArraySlice<UInt8>) -> Bool {
        let lower = String(decoding: key, as: UTF8.self).lowercased()
        return lower == "authorization" || lower == "proxy-authorization"
    }

    static let declarationKeywords: Set<String> = [
        "struct", "class", "enum", "protocol", "extension", "actor", "interface", "type", "func", "let", "var", "val", "case",
        "fn", "def", "lateinit", "readonly", "const", "mut", "pub", "override", "fileprivate", "internal", "open", "data",
    ]

    /// Whether the words before a key end in a declaring keyword (`struct`, `var`, `let`).
    static func isDeclaration(_ prefix: ArraySlice<UInt8>) -> Bool {
        var end = prefix.endIndex
        while end > prefix.startIndex, prefix[end - 1] == 0x20 || prefix[end - 1] == 0x09 { end -= 1 }
        var start = end
        while start > prefix.startIndex, ByteClass.isAlnum(prefix[start - 1]) { start -= 1 }
        guard start < end, end - start <= 12 else { return false }
        return declarationKeywords.contains(String(decoding: prefix[start..<end], as: UTF8.self))
    }

    /// Whether an unclosed `open` precedes `index` on its line (an attribute inside a tag, an
    /// argument inside a call).
    static func inside(open: UInt8, close: UInt8, before index: Int, lineStart: Int, in bytes: [UInt8]) -> Bool {
        var depth = 0
        var position = index - 1
        while position >= lineStart, position >= 0, index - position <= 400 {
            if bytes[position] == close {
                depth += 1
            } else if bytes[position] == open {
                if depth == 0 { return true }
                depth -= 1
            }
            position -= 1
        }
        return false
    }

    /// Whether another word (a command) follows a `KEY=value` on its line.
    private static func followedByCommand(_ end: Int, in bytes: [UInt8]) -> Bool {
        var index = end
        while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        return index > end && index < bytes.count && bytes[index] != 0x0A && bytes[index] != 0x23
    }
}
