import Crypto

/// A finding made by a scanner that knows its structure and rule itself.
struct ScannedFinding {
    var type: String
    var tier: SensitiveFinding.Tier
    var range: Range<Int>
    var structure: TextStructure
    var rule: String
}

/// Cryptocurrency wallets' secrets, known by their checksums rather than by a cue: BIP-39
/// seed phrases (12 to 24 words of the standard's list whose last word carries a SHA-256
/// checksum) and WIF private keys (base58check with version 0x80 or 0xEF). An Ethereum
/// private key is 64 hex digits like any digest, so only a cue judges it (`SecretJudge`).
enum WalletKeys {
    static func find(_ scan: ScanText) -> [ScannedFinding] {
        var found: [ScannedFinding] = []
        if scan.lowered.longestTokenRun >= 51 { found += wifKeys(scan.bytes) }  // (and 111 for xprv)
        if scan.lowered.longestWordListRun >= 12 * 3 + 11 { found += seedPhrases(scan.bytes) }
        return found
    }

    /// 51 (uncompressed, `5…`) or 52 (compressed, `K…`/`L…`; testnet `9…`/`c…`) base58 characters
    /// whose base58check payload is a version byte, 32 key bytes and an optional 0x01.
    static func wifKeys(_ bytes: [UInt8]) -> [ScannedFinding] {
        var found: [ScannedFinding] = []
        var index = 0
        while index < bytes.count {
            // Alphanumeric runs; only those of exactly 51 or 52 base58 letters are decoded.
            guard ByteClass.isAlnum(bytes[index]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, ByteClass.isAlnum(bytes[end]) { end += 1 }
            defer { index = end + 1 }
            if end - index == 111, bytes[index + 1...index + 3].elementsEqual("prv".utf8), "xyzt".utf8.contains(bytes[index]),
                let payload = Base58.decodeChecked(String(decoding: bytes[index..<end], as: UTF8.self)), payload.count == 78
            {
                // A BIP-32 extended private key (xprv/yprv/zprv/tprv): a whole wallet's keys.
                found.append(ScannedFinding(type: "wallet_private_key", tier: .credential, range: index..<end, structure: .token, rule: "bip32-checksum"))
                continue
            }
            guard end - index == 51 || end - index == 52, index == 0 || bytes[index - 1] != 0x5F, end == bytes.count || bytes[end] != 0x5F,
                bytes[index..<end].allSatisfy(isBase58),
                "5KL9c".utf8.contains(bytes[index]),
                let payload = Base58.decodeChecked(String(decoding: bytes[index..<end], as: UTF8.self)),
                payload.first == 0x80 || payload.first == 0xEF, payload.count == 33 || (payload.count == 34 && payload[33] == 0x01)
            else { continue }
            found.append(ScannedFinding(type: "wallet_private_key", tier: .credential, range: index..<end, structure: .token, rule: "wif-checksum"))
        }
        return found
    }

    private static func isBase58(_ byte: UInt8) -> Bool {
        ByteClass.isAlnum(byte) && byte != 0x30 && byte != 0x4F && byte != 0x49 && byte != 0x6C
    }

    /// Runs of 12, 15, 18, 21 or 24 list words (separated by spaces, commas, line breaks or
    /// list numbers) whose checksum holds. One pass over the bytes through a pointer: this runs
    /// on every memory, and a word costs a table look-up.
    static func seedPhrases(_ bytes: [UInt8]) -> [ScannedFinding] {
        // Two steps: runs of 12+ words shaped like list words (3 to 8 lower-case letters, only
        // separators between) are found by arithmetic; only inside those are words looked up.
        // Prose breaks such runs at every short word (a, to, of, is), so look-ups are rare.
        var found: [ScannedFinding] = []
        var shaped: [Range<Int>] = []
        func lookUp() {
            defer { shaped.removeAll(keepingCapacity: true) }
            guard shaped.count >= 12 else { return }
            var values: [Int] = []
            var ranges: [Range<Int>] = []
            for range in shaped + [0..<0] {
                if !range.isEmpty, let value = bytes.withUnsafeBufferPointer({ BIP39Words.value(UnsafeBufferPointer(rebasing: $0[range])) }) {
                    values.append(value)
                    ranges.append(range)
                } else {
                    if values.count >= 12 { found += checkedPhrases(values, ranges) }
                    values.removeAll(keepingCapacity: true)
                    ranges.removeAll(keepingCapacity: true)
                }
            }
        }
        let count = bytes.count
        var index = 0
        while index <= count {
            // Past the end counts as a breaking byte, so the last run is looked up too.
            let byte = index < count ? bytes[index] : 0x00
            if byte >= 0x61 && byte <= 0x7A {
                var end = index + 1
                while end < count, bytes[end] >= 0x61 && bytes[end] <= 0x7A { end += 1 }
                let length = end - index
                let next = end < count ? bytes[end] : 0x20
                let previous = index > 0 ? bytes[index - 1] : 0x20
                // A whole word: not inside an identifier (`fooBar`, `a_b`, `x2`) or a non-ASCII word.
                let isolated =
                    !(next >= 0x41 && next <= 0x5A) && !(next >= 0x30 && next <= 0x39) && next < 0x80
                    && !(previous >= 0x41 && previous <= 0x5A) && previous < 0x80 && previous != 0x5F
                if length >= 3, length <= 8, isolated {
                    shaped.append(index..<end)
                } else if !shaped.isEmpty {
                    lookUp()
                }
                index = end
            } else if byte == 0x20 || byte == 0x0A || byte == 0x2C || byte == 0x09 || byte == 0x0D || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E
                || byte == 0x29
            {
                // Separators and list numbering (`1. abandon 2. ability`) keep a run going.
                index += 1
            } else {
                if !shaped.isEmpty { lookUp() }
                index += 1
            }
        }
        return found
    }

    /// The phrases in a run of list words whose checksums hold, longest first.
    private static func checkedPhrases(_ values: [Int], _ ranges: [Range<Int>]) -> [ScannedFinding] {
        var found: [ScannedFinding] = []
        var start = 0
        while start + 12 <= values.count {
            var matched = 0
            for length in [24, 21, 18, 15, 12] where start + length <= values.count && checksumHolds(Array(values[start..<start + length])) {
                matched = length
                break
            }
            if matched > 0 {
                found.append(
                    ScannedFinding(
                        type: "seed_phrase", tier: .credential, range: ranges[start].lowerBound..<ranges[start + matched - 1].upperBound,
                        structure: .wordList, rule: "bip39-checksum"))
                start += matched
            } else {
                start += 1
            }
        }
        return found
    }

    /// BIP-39: the words' bits are the entropy followed by the first `words / 3` bits of its SHA-256.
    static func checksumHolds(_ values: [Int]) -> Bool {
        let totalBits = values.count * 11
        let checksumBits = values.count / 3
        let entropyBits = totalBits - checksumBits
        var bits: [UInt8] = []
        bits.reserveCapacity(totalBits)
        for value in values {
            for shift in stride(from: 10, through: 0, by: -1) { bits.append(UInt8((value >> shift) & 1)) }
        }
        var entropy = [UInt8](repeating: 0, count: entropyBits / 8)
        for bit in 0..<entropyBits where bits[bit] == 1 { entropy[bit / 8] |= 0x80 >> UInt8(bit % 8) }
        let hash = Array(SHA256.hash(data: entropy))
        for bit in 0..<checksumBits {
            let expected = (hash[bit / 8] >> UInt8(7 - bit % 8)) & 1
            if expected != bits[entropyBits + bit] { return false }
        }
        return true
    }
}

/// Numbers that are personal data only when labelled: a US social security number written
/// without dashes (`SSN 123456789`), which plain nine-digit numbers are not.
enum LabelledNumbers {
    static let cues: [[UInt8]] = ["ssn", "social security", "社会保障番号", "社会保障号", "사회보장번호", "seguro social", "sécurité sociale"].map { Array($0.utf8) }

    static func find(_ scan: ScanText) -> [ScannedFinding] {
        guard scan.lowered.longestDigitGroupRun >= 9 else { return [] }
        let lowered = scan.lowered
        var found: [ScannedFinding] = []
        for cue in cues where lowered.contains(cue) {
            for hit in lowered.offsets(of: cue) {
                if hit > 0, ByteClass.isLower(lowered.bytes[hit - 1]) { continue }
                var index = hit + cue.count
                let limit = min(lowered.bytes.count, index + 48)
                while index < limit, !ByteClass.isDigit(lowered.bytes[index]), lowered.bytes[index] != 0x0A { index += 1 }
                var end = index
                var digits = 0
                while end < lowered.bytes.count,
                    ByteClass.isDigit(lowered.bytes[end])
                        || (lowered.bytes[end] == 0x20 && digits > 0 && end + 1 < lowered.bytes.count && ByteClass.isDigit(lowered.bytes[end + 1]))
                {
                    if ByteClass.isDigit(lowered.bytes[end]) { digits += 1 }
                    end += 1
                }
                guard digits == 9, end == lowered.bytes.count || !ByteClass.isAlnum(lowered.bytes[end]) else { continue }
                let number = String(decoding: lowered.bytes[index..<end].filter(ByteClass.isDigit), as: UTF8.self)
                let formatted = "\(number.prefix(3))-\(number.dropFirst(3).prefix(2))-\(number.suffix(4))"
                guard SocialSecurityNumber.isValid(formatted) else { continue }
                found.append(ScannedFinding(type: "us_ssn", tier: .personal, range: index..<end, structure: .proseCue, rule: "ssn-after-cue"))
            }
        }
        return found
    }
}
