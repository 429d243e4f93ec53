import Foundation

/// Secrets of providers no format lists, found by shape: a short vendor prefix followed by a
/// long generated run (`dp.st.…`, `NRAK-…`, `sntrys_…`), and a generated-looking value shortly
/// after a cue word in any language ("Пароль: …", "密码是 …", "API-Schlüssel lautet …").
enum GenericSecretRules {
    static let rules: [ScannerRule] =
        [
            ScannerRule("vendor_token", .structural, find: vendorTokens),
            ScannerRule("secret_after_cue", .prose, find: CueWordNet.find),
        ] + EntropyRules.rules

    /// First parts that name a hash, an id or a build artefact, not a vendor.
    static let identifierPrefixes: Set<String> = [
        "sha", "sha1", "sha224", "sha256", "sha384", "sha512", "md5", "blake2b", "blake3", "crc32", "git", "commit", "rev",
        "revision", "build", "run", "job", "trace", "span", "req", "request", "id", "uuid", "ulid", "etag", "pod", "node",
        "container", "image", "digest", "checksum", "hash", "release", "tag", "branch", "version", "cache", "chunk", "main",
        "vendor", "bundle", "index", "module", "file", "tmp", "temp", "ref", "refs", "origin", "feature", "fix", "bugfix",
        "hotfix", "arn", "data", "msg", "message", "event", "order", "invoice", "txn", "user", "usr", "acct", "account",
    ]

    static func isTokenByte(_ byte: UInt8) -> Bool {
        ByteClass.isAlnum(byte) || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x2B || byte == 0x2F
    }

    private static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x5F || byte == 0x2D || byte == 0x2E }

    /// `prefix[_.-](part[_.-])?body`: a 2–12 letter-led prefix, at most one short second
    /// part, and a body of 20+ characters that looks generated.
    static func vendorTokens(_ scan: ScanText) -> [Range<Int>] {
        guard scan.lowered.longestTokenRun >= 24 else { return [] }
        let bytes = scan.bytes
        var ranges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard isTokenByte(bytes[index]) else {
                index += 1
                continue
            }
            var stop = index
            while stop < bytes.count, isTokenByte(bytes[stop]) { stop += 1 }
            defer { index = stop + 1 }
            let previous = index > 0 ? bytes[index - 1] : 0x20
            guard stop - index >= 24, ByteClass.isUpper(bytes[index]) || ByteClass.isLower(bytes[index]),
                previous != 0x2F, previous != 0x40, previous != 0x2E, previous != 0x5C
            else { continue }
            // Trailing sentence punctuation is not part of the token.
            var end = stop
            while end > index, bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D || bytes[end - 1] == 0x5F { end -= 1 }
            if let bodyStart = bodyStart(bytes, index..<end), isGeneratedBody(bytes, bodyStart..<end, separator: bytes[bodyStart - 1]) {
                let prefix = String(decoding: bytes[index..<bodyStart - 1], as: UTF8.self).lowercased()
                let first = prefix.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).first.map(String.init) ?? prefix
                if !identifierPrefixes.contains(first), !Placeholders.isDocumentedExample(String(decoding: bytes[index..<end], as: UTF8.self)) {
                    ranges.append(index..<end)
                }
            }
        }
        return ranges
    }

    /// Where the body starts: after a prefix of 2–12 alphanumerics (a letter first) and at most
    /// one more part of 1–8, each ended by `_`, `-` or `.`.
    private static func bodyStart(_ bytes: [UInt8], _ token: Range<Int>) -> Int? {
        var index = token.lowerBound
        var parts = 0
        var candidate: Int?
        while parts < 2 {
            let partStart = index
            while index < token.upperBound, ByteClass.isAlnum(bytes[index]) { index += 1 }
            let length = index - partStart
            guard index < token.upperBound, isSeparator(bytes[index]), length >= (parts == 0 ? 2 : 1), length <= (parts == 0 ? 12 : 8)
            else { break }
            index += 1
            candidate = index
            parts += 1
            // A body that starts right here and is long enough: prefer the shorter prefix
            // unless the next part is short and followed by a separator too (`dp.st.`).
            if token.upperBound - index >= 20 {
                var lookahead = index
                while lookahead < token.upperBound, ByteClass.isAlnum(bytes[lookahead]) { lookahead += 1 }
                if !(lookahead - index <= 8 && lookahead < token.upperBound && isSeparator(bytes[lookahead])) { break }
            }
        }
        guard let start = candidate, token.upperBound - start >= 20 else { return nil }
        return start
    }

    private static func isGeneratedBody(_ bytes: [UInt8], _ body: Range<Int>, separator: UInt8) -> Bool {
        let slice = bytes[body]
        let profile = Randomness.Profile(slice)
        let compact = slice.filter { !isSeparator($0) }
        // Hex bodies: commit hashes, digests and UUIDs behind a name are ids; only a `_`
        // prefix (`sntryu_`, `pul_`) marks a vendor token.
        if compact.allSatisfy(ByteClass.isHex) {
            return separator == 0x5F && compact.count >= 32 && !slice.contains(0x2D)
        }
        if profile.upper > 0, profile.lower > 0 { return Randomness.looksGenerated(slice) }
        // One case only: judge the longest part, so `worker-7d9f8b6c5d-x2kqp` (a pod) is not taken.
        var longest = slice[slice.startIndex..<slice.startIndex]
        var partStart = slice.startIndex
        for position in slice.indices where isSeparator(slice[position]) || position == slice.endIndex - 1 {
            let partEnd = isSeparator(slice[position]) ? position : position + 1
            if partEnd - partStart > longest.count { longest = slice[partStart..<partEnd] }
            partStart = position + 1
        }
        return longest.count >= 16 && Randomness.looksGenerated(longest)
    }
}
