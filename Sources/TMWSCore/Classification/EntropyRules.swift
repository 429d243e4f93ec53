import Foundation

/// How random a run of characters looks: the measure behind the generic rules, which must
/// catch secrets no format lists without taking commit hashes, digests, ULIDs or identifiers.
enum Randomness {
    /// Shannon entropy in bits per character.
    static func entropy(_ bytes: ArraySlice<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        return counts.reduce(0) { sum, count in
            count == 0 ? sum : sum - Double(count) / total * log2(Double(count) / total)
        }
    }

    struct Profile {
        var upper = 0, lower = 0, digits = 0, symbols = 0, vowels = 0, transitions = 0
        var letters: Int { upper + lower }
        var isHex = true

        init(_ bytes: ArraySlice<UInt8>) {
            var previous = -1
            for byte in bytes {
                let kind: Int
                if ByteClass.isUpper(byte) {
                    upper += 1
                    kind = 0
                } else if ByteClass.isLower(byte) {
                    lower += 1
                    kind = 1
                } else if ByteClass.isDigit(byte) {
                    digits += 1
                    kind = 2
                } else {
                    symbols += 1
                    kind = 3
                }
                if !ByteClass.isHex(byte) { isHex = false }
                if "aeiouAEIOU".utf8.contains(byte) { vowels += 1 }
                // Changes between letters of either case and digits; separators of words
                // (`user_settings_v2`) are not counted.
                if kind < 3 {
                    if previous >= 0, previous != kind { transitions += 1 }
                    previous = kind
                }
            }
        }
    }

    /// Whether a run of 16 or more characters looks generated rather than written: letters
    /// and digits mixed often (or both cases mixed evenly), few vowels (words have ~40 %,
    /// random letters ~20 %), and enough entropy. Hex runs are left to the callers.
    static func looksGenerated(_ bytes: ArraySlice<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 16 else { return false }
        let profile = Profile(bytes)
        let vowelRatio = profile.letters == 0 ? 0 : Double(profile.vowels) / Double(profile.letters)
        let changesOften = Double(profile.transitions) >= 0.3 * Double(count)
        guard entropy(bytes) >= (count >= 32 ? 3.6 : 3.2) else { return false }
        if profile.digits > 0, profile.letters > 0 {
            return vowelRatio < 0.3 || (changesOften && vowelRatio < 0.38)
        }
        // No digits: both cases mixed evenly, as random letters are and camelCase is not.
        guard profile.upper >= 3, profile.lower >= 3, count >= 24 else { return false }
        let upperRatio = Double(profile.upper) / Double(profile.letters)
        return upperRatio > 0.25 && upperRatio < 0.75 && vowelRatio < 0.3
    }
}

/// Long standalone base64-alphabet strings that look random, with no cue word: AWS secret
/// access keys (40 characters of `[A-Za-z0-9+/]`) and secrets of any provider written bare.
/// Hex (commit hashes, digests), encoded text (decoded and rescanned instead), binary blobs
/// (images, archives: magic numbers and zero runs) and named digests stay benign.
enum EntropyRules {
    static let rules: [ScannerRule] = [ScannerRule("high_entropy_string", .structural, find: find)]

    /// Base64 of well-known file headers: PNG, JPEG, GIF, WebP/RIFF, PDF, gzip, zip, XML, SVG.
    private static let magic = ["iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR", "JVBERi", "H4sI", "UEsDB", "PD94", "PHN2Zy"].map { Array($0.utf8) }
    /// Words before a run that name it a digest or a public value.
    static let digestWords = ["sha", "md5", "digest", "hash", "checksum", "integrity", "etag", "fingerprint", "blake", "crc"].map { Array($0.utf8) }

    static func find(_ scan: ScanText) -> [Range<Int>] {
        guard scan.lowered.longestBase64Run >= 12 else { return [] }
        let bytes = scan.bytes
        // Inside an armoured block (certificates, public keys: private ones have their own rule).
        let begins = scan.lowered.offsets(of: Array("-----begin".utf8))
        let ends = begins.isEmpty ? [] : scan.lowered.offsets(of: Array("-----end".utf8))
        func insideBlock(_ offset: Int) -> Bool {
            guard let begin = begins.last(where: { $0 < offset }) else { return false }
            return ends.first(where: { $0 > begin }).map { $0 > offset } ?? true
        }
        var ranges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard isRunByte(bytes[index]) else {
                index += 1
                continue
            }
            var stop = index
            while stop < bytes.count, isRunByte(bytes[stop]) { stop += 1 }
            var end = stop
            while end < bytes.count, end - stop < 2, bytes[end] == 0x3D { end += 1 }
            defer { index = end + 1 }
            var runEnd = stop
            while runEnd > index, bytes[runEnd - 1] == 0x2D || bytes[runEnd - 1] == 0x5F { runEnd -= 1 }
            let run = bytes[index..<runEnd]
            // Part of a longer token (`sha512-…`, `key_…`, a URL path) is judged by other rules.
            if index > 0, isJoiner(bytes[index - 1]) || end < bytes.count && isJoiner(bytes[end]) { continue }
            // A run hard-wrapped at a line end: judged joined with the next line's run when that
            // run is the whole of its line.
            if end == stop, run.count >= 12, let (tail, tailEnd) = wrappedTail(bytes, after: runEnd), run.count + tail.count >= 24 {
                let joined = Array(run) + Array(tail)
                if !insideBlock(index), !insideURL(bytes, index), !isDERStructure(run),
                    !(index > 0 && isJoiner(bytes[index - 1])),
                    isCandidate(joined[...], padded: false, context: scan.lowered, at: index)
                {
                    ranges.append(index..<tailEnd)
                    end = tailEnd
                    continue
                }
            }
            // Unpadded generated runs from 24 characters (Vercel-style tokens); padded ones from
            // 32, since 16-byte digests (Content-MD5, ETags) are 24 with `==`.
            guard (end > stop ? 32 : 24)...1024 ~= run.count, !insideBlock(index), !isDERStructure(run), !insideURL(bytes, index),
                isCandidate(run, padded: end > stop, context: scan.lowered, at: index)
            else { continue }
            ranges.append(index..<(end > stop ? end : runEnd))
        }
        return ranges
    }

    /// The next line's run when the line is nothing else (after indentation), and its end.
    private static func wrappedTail(_ bytes: [UInt8], after end: Int) -> (ArraySlice<UInt8>, Int)? {
        var index = end
        if index < bytes.count, bytes[index] == 0x0D { index += 1 }
        guard index < bytes.count, bytes[index] == 0x0A else { return nil }
        index += 1
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        let start = index
        while index < bytes.count, isRunByte(bytes[index]) { index += 1 }
        guard index - start >= 4, index == bytes.count || bytes[index] == 0x0A || bytes[index] == 0x0D else { return nil }
        return (bytes[start..<index], index)
    }

    /// Whether the run is part of a URL (a `://` earlier in the same white-space token): path
    /// segments there are file, video and page ids; secrets in URLs are found by the user-info,
    /// query and webhook rules.
    private static func insideURL(_ bytes: [UInt8], _ offset: Int) -> Bool {
        var index = offset - 1
        while index >= 2, offset - index < 2048, !ByteClass.isSpace(bytes[index]), bytes[index] != 0x22, bytes[index] != 0x28 {
            if bytes[index] == 0x2F, bytes[index - 1] == 0x2F, bytes[index - 2] == 0x3A { return true }
            index -= 1
        }
        return false
    }

    /// Words before a run that name it an id.
    static let identifierWords = ["playlist", "video", "uid", "guid", "objectid", "address", "wallet", "ipfs", "cid", "tx "].map { Array($0.utf8) }

    /// Base64 of a DER SEQUENCE (certificates, public keys): structured, not a bare secret.
    static func isDERStructure(_ run: ArraySlice<UInt8>) -> Bool {
        guard run.count >= 8, let der = Data(base64Encoded: String(decoding: run.prefix(8), as: UTF8.self)).map(Array.init) else { return false }
        return der[0] == 0x30 && (der[1] < 0x80 ? der[2] == 0x30 || der[2] == 0x02 : der[1] >= 0x81 && der[1] <= 0x83)
    }

    /// Standard and URL-safe base64 (`-`, `_` too: Cloudflare-style tokens carry them).
    private static func isRunByte(_ byte: UInt8) -> Bool {
        ByteClass.isAlnum(byte) || byte == 0x2B || byte == 0x2F || byte == 0x2D || byte == 0x5F
    }

    /// Characters that glue a run to a longer token.
    private static func isJoiner(_ byte: UInt8) -> Bool {
        byte == 0x3A || byte == 0x40 || byte == 0x25
    }

    static func isCandidate(_ run: ArraySlice<UInt8>, padded: Bool, context: ByteText, at offset: Int) -> Bool {
        if Placeholders.isDocumentedExample(String(decoding: run, as: UTF8.self)) { return false }
        // A named prefix (`sha512-…`, `pod-…`): digests and ids, or the vendor rule's to judge.
        if let separator = run.firstIndex(where: { $0 == 0x2D || $0 == 0x5F }), separator - run.startIndex <= 12 {
            let first = String(decoding: run[run.startIndex..<separator], as: UTF8.self).lowercased()
            if GenericSecretRules.identifierPrefixes.contains(first) || digestWords.contains(where: { first.utf8.starts(with: $0) }) { return false }
        }
        let profile = Randomness.Profile(run)
        guard profile.upper > 0, profile.lower > 0, profile.digits > 0, !profile.isHex else { return false }
        if magic.contains(where: { run.starts(with: $0) }) { return false }
        // Zero bytes: runs of A in binary structures (SSH public keys start with AAAA).
        if run.starts(with: Array("AAAA".utf8)) || contains(run, Array("AAAAAAAA".utf8)) { return false }
        // Paths: slashes between mostly lower-case segments (random base64 is half capitals).
        if run.filter({ $0 == 0x2F }).count >= 2, profile.upper * 7 < profile.letters { return false }
        guard Randomness.looksGenerated(run) else { return false }
        // Encoded text is decoded and rescanned by the detector, not taken as a secret here.
        if EncodedSegments.decodeBase64(String(decoding: run, as: UTF8.self) + (padded ? "=" : "")) != nil { return false }
        // A digest named just before it.
        let before = context.bytes[max(0, offset - 40)..<offset]
        if digestWords.contains(where: { contains(before, $0) }) || identifierWords.contains(where: { contains(before, $0) }) { return false }
        // 0x-prefixed hex (Ethereum addresses in their mixed-case checksum form).
        if run.starts(with: Array("0x".utf8)), run.dropFirst(2).allSatisfy(ByteClass.isHex) { return false }
        return true
    }

    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
