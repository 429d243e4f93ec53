import Foundation

/// Private keys found whole: a finding must cover the entire secret, or redaction replaces
/// the BEGIN line and stores the key body (the bug this file exists for). Four shapes:
/// a PEM block from BEGIN to its END line, a PuTTY key file to its MAC line, the string value
/// of a JSON `"private_key"` (GCP service-account files), and a key body pasted without its
/// BEGIN/END lines, recognised by what its first bytes decode to.
enum PrivateKeyBlocks {
    static let rules: [ScannerRule] = [
        ScannerRule("private_key", .structural, find: pemBlocks),
        ScannerRule("private_key", .structural, find: puttyKeys),
        ScannerRule("private_key", .structural, find: jsonPrivateKeyValues),
        ScannerRule("private_key", .structural, find: armorlessBodies),
    ]

    private static let begin = Array("-----begin".utf8)
    private static let end = Array("-----end".utf8)
    private static let privateKey = Array("private key".utf8)

    /// `-----BEGIN … PRIVATE KEY-----` to the end of the matching `-----END …-----`, or, when
    /// the END line is missing, over the body that follows.
    static func pemBlocks(_ scan: ScanText) -> [Range<Int>] {
        let lowered = scan.lowered.bytes
        guard scan.lowered.contains(privateKey) else { return [] }
        var ranges: [Range<Int>] = []
        var resumeAt = 0
        for start in scan.lowered.offsets(of: begin) where start >= resumeAt {
            // The label: up to 100 of [ A-Z0-9_-] and then five dashes.
            var index = start + begin.count
            let labelStart = index
            while index < lowered.count, index - labelStart < 110, lowered[index] != 0x0A,
                !(lowered[index] == 0x2D && index + 4 < lowered.count && lowered[index..<index + 5].allSatisfy { $0 == 0x2D })
            {
                index += 1
            }
            let label = lowered[labelStart..<index]
            guard label.count < 110, contains(label, privateKey) else { continue }
            while index < lowered.count, lowered[index] == 0x2D { index += 1 }
            let stop = findEnd(lowered, from: index) ?? extendBody(lowered, from: index)
            ranges.append(start..<stop)
            resumeAt = stop
        }
        return ranges
    }

    /// The offset after the END line's closing dashes (or after its label when they are missing).
    private static func findEnd(_ bytes: [UInt8], from offset: Int) -> Int? {
        let limit = min(bytes.count, offset + 65_536)
        var index = offset
        while index + end.count <= limit {
            if bytes[index] == 0x2D, bytes[index..<index + end.count].elementsEqual(end) {
                var stop = index + end.count
                while stop < bytes.count, bytes[stop] != 0x0A, bytes[stop] != 0x22, bytes[stop] != 0x5C, stop - index < 120 {
                    stop += 1
                    if stop >= 5, bytes[stop - 5..<stop].allSatisfy({ $0 == 0x2D }), bytes[stop - 6] != 0x2D { break }
                }
                return stop
            }
            index += 1
        }
        return nil
    }

    /// Without an END line: base64 lines, `Proc-Type:`/`DEK-Info:` headers and escaped line
    /// breaks (`\n` in JSON) after the BEGIN line, up to a blank line or other text.
    private static func extendBody(_ bytes: [UInt8], from offset: Int) -> Int {
        var index = offset
        var lastContent = offset
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A, index + 1 < bytes.count, bytes[index + 1] == 0x0A { break }
            let allowed = ByteClass.isBase64(byte) || byte == 0x3D || ByteClass.isSpace(byte) || byte == 0x5C || byte == 0x3A || byte == 0x2C
            guard allowed else { break }
            if !ByteClass.isSpace(byte) { lastContent = index + 1 }
            index += 1
        }
        return lastContent
    }

    /// `PuTTY-User-Key-File-N:` to the end of its `Private-MAC:` line, or to the first blank line.
    static func puttyKeys(_ scan: ScanText) -> [Range<Int>] {
        let lowered = scan.lowered.bytes
        var ranges: [Range<Int>] = []
        for start in scan.lowered.offsets(of: Array("putty-user-key-file-".utf8)) {
            let limit = min(lowered.count, start + 16_384)
            var stop = start
            var lineStart = start
            var index = start
            while index < limit {
                if lowered[index] == 0x0A {
                    let line = lowered[lineStart..<index]
                    if line.starts(with: Array("private-mac:".utf8)) {
                        stop = index
                        break
                    }
                    if line.allSatisfy(ByteClass.isSpace), index > start { break }
                    lineStart = index + 1
                }
                stop = index + 1
                index += 1
            }
            ranges.append(start..<stop)
        }
        return ranges
    }

    /// The whole string value of a JSON `"private_key"` (a GCP service-account file holds the
    /// PEM there with escaped line breaks): everything between its quotes.
    static func jsonPrivateKeyValues(_ scan: ScanText) -> [Range<Int>] {
        let bytes = scan.bytes
        var ranges: [Range<Int>] = []
        for hit in scan.lowered.offsets(of: Array("private_key\"".utf8)) {
            var index = hit + 12
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            guard index < bytes.count, bytes[index] == 0x3A else { continue }
            index += 1
            while index < bytes.count, ByteClass.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == 0x22 else { continue }
            let valueStart = index + 1
            index = valueStart
            while index < bytes.count, bytes[index] != 0x22, bytes[index] != 0x0A {
                index += bytes[index] == 0x5C ? 2 : 1
            }
            let value = String(decoding: bytes[valueStart..<min(index, bytes.count)], as: UTF8.self)
            guard value.count >= 16, !Placeholders.isPlaceholder(value) else { continue }
            ranges.append(valueStart..<min(index, bytes.count))
        }
        return ranges
    }

    private static let openSSHMagic = Array("b3BlbnNzaC1rZXktdjE".utf8)

    /// A key body without its BEGIN/END lines: a base64 run of 60+ characters, possibly over
    /// several lines, whose first bytes are a DER private key (`SEQUENCE { INTEGER 0|1|3 …`,
    /// or an encrypted PKCS#8 header) or the `openssh-key-v1` magic. Certificates and public
    /// keys start with a nested SEQUENCE instead, so they are not taken.
    static func armorlessBodies(_ scan: ScanText) -> [Range<Int>] {
        guard scan.lowered.longestBase64Run >= 19 else { return [] }
        let bytes = scan.bytes
        var ranges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let startsRun = index == 0 || !ByteClass.isBase64(bytes[index - 1])
            guard startsRun, byte == 0x4D || byte == 0x62 else {
                index += 1
                continue
            }
            let (stop, letters) = base64Run(bytes, from: index)
            if letters >= 60, isPrivateKeyBody(bytes, from: index) {
                ranges.append(index..<stop)
                index = stop
            } else {
                index += 1
            }
        }
        return ranges
    }

    /// The end of a base64 run that may continue over line breaks (real or `\n`-escaped,
    /// with indentation or quotes around them), and how many base64 letters it holds.
    private static func base64Run(_ bytes: [UInt8], from start: Int) -> (end: Int, letters: Int) {
        var index = start
        var end = start
        var letters = 0
        while index < bytes.count {
            if ByteClass.isBase64(bytes[index]) || bytes[index] == 0x3D {
                letters += 1
                index += 1
                end = index
                continue
            }
            // A line break (optionally escaped, quoted or indented) inside the body.
            var next = index
            var sawBreak = false
            while next < bytes.count, next - index < 12 {
                let byte = bytes[next]
                if byte == 0x0A || byte == 0x0D {
                    sawBreak = true
                } else if byte == 0x5C, next + 1 < bytes.count, bytes[next + 1] == 0x6E {
                    sawBreak = true
                    next += 1
                } else if !(byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x2B || byte == 0x2C) {
                    break
                }
                next += 1
            }
            guard sawBreak, next < bytes.count, ByteClass.isBase64(bytes[next]), bytes[next] != 0x2D else { break }
            index = next
        }
        return (end, letters)
    }

    private static func isPrivateKeyBody(_ bytes: [UInt8], from start: Int) -> Bool {
        if bytes.count - start >= openSSHMagic.count, bytes[start..<start + openSSHMagic.count].elementsEqual(openSSHMagic) {
            return true
        }
        // Decode the first 40 letters (30 bytes), skipping line breaks.
        var prefix: [UInt8] = []
        var index = start
        while index < bytes.count, prefix.count < 40 {
            if ByteClass.isBase64(bytes[index]) { prefix.append(bytes[index]) }
            index += 1
        }
        guard prefix.count == 40, let der = Data(base64Encoded: String(decoding: prefix, as: UTF8.self)).map(Array.init) else {
            return false
        }
        guard der[0] == 0x30 else { return false }
        var offset: Int
        switch der[1] {
        case 0..<0x80: offset = 2
        case 0x81: offset = 3
        case 0x82: offset = 4
        case 0x83: offset = 5
        default: return false
        }
        if der[offset] == 0x02, der[offset + 1] == 0x01, [0x00, 0x01, 0x03].contains(der[offset + 2]) { return true }
        // Encrypted PKCS#8: SEQUENCE { SEQUENCE { OID pbes2 | pkcs12-pbe … } … }.
        let pbes2: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05]
        let pkcs12: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C]
        return der[offset] == 0x30 && (contains(der[...], pbes2) || contains(der[...], pkcs12))
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
