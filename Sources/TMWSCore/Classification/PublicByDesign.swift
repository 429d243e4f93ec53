import Crypto
import Foundation

/// Values that look random but are public by design or are identifiers: public keys and
/// addresses, digests and integrity strings, documented examples, test fixtures' ids.
/// (Facts: shared/reference/secret-detection.md §A.8.)
enum PublicByDesign {
    /// Public whoever owns the key: such a value is never a secret, whatever names it.
    static func isPublic(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count >= 8 else { return false }
        let lower = value.lowercased()
        for prefix in publicPrefixes where lower.hasPrefix(prefix) { return true }
        if value.hasPrefix("AAAAC3NzaC1lZDI1NTE5") || value.hasPrefix("AAAAB3NzaC1yc2E") || value.hasPrefix("AAAAE2VjZHNhLXNoYTItbmlzdHA") { return true }
        // Subresource Integrity and lockfile integrity: sha256-/sha384-/sha512- then base64.
        for prefix in ["sha256-", "sha384-", "sha512-", "sha1-"] where lower.hasPrefix(prefix) && bytes.count > prefix.count + 20 { return true }
        // Content digests: sha256:<64 hex>, with or without an image name before `@`.
        if let colon = lower.firstIndex(of: ":"), ["sha256", "sha512", "sha1", "md5", "sha384", "blake3"].contains(where: { lower[..<colon].hasSuffix($0) }),
            lower[lower.index(after: colon)...].allSatisfy(\.isHexDigit)
        {
            return true
        }
        if isEthereumAddress(bytes) || isBitcoinAddress(value) { return true }
        if lower.hasPrefix("age1"), bytes.count == 62 { return true }
        if isStripeObjectID(lower) { return true }
        if documentedExamples.contains(value) { return true }
        return false
    }

    /// Identifier shapes: with a key that names a secret they may still be one (a Heroku key is
    /// a UUID, an old GitHub token 40 hex), so only weak keys and bare values drop them.
    static func isIdentifier(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        if bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D,
            bytes.enumerated().allSatisfy({ $0.offset == 8 || $0.offset == 13 || $0.offset == 18 || $0.offset == 23 || ByteClass.isHex($0.element) })
        {
            return true
        }
        if (7...40).contains(bytes.count), bytes.allSatisfy({ ByteClass.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }) { return true }
        return false
    }

    static let publicPrefixes: [String] = [
        "ssh-ed25519 ", "ssh-rsa ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-ed25519@", "sk-ecdsa-sha2-", "-----begin public key",
        "-----begin pgp public key", "-----begin certificate", "-----begin ssh2 public key", "-----begin rsa public key", "npub1",
    ]

    /// Documentation examples and well-known test values (AWS, jwt.io, Stripe, Twilio, Slack).
    static let documentedExamples: Set<String> = [
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx", "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        "pk_test_6pRNASCoBOKtIshFeQd4XMUh", "sk_test_26PHem9AhJZvU623DfE1x4sd", "rk_test_26PHem9AhJZvU623DfE1x4sd",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "xoxb-not-a-real-token-this-will-not-work",
        "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "your_auth_token",
    ]

    /// The jwt.io example's first two parts: its signature varies with the example's secret.
    static let jwtExampleHeadAndBody = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"

    /// Stripe object ids (`cus_…`, `pi_…`, `ch_…`): ids of test fixtures and records, not credentials.
    static func isStripeObjectID(_ lower: String) -> Bool {
        guard let underscore = lower.firstIndex(of: "_") else { return false }
        let prefix = lower[..<underscore]
        return ["cus", "pi", "ch", "pm", "sub", "in", "prod", "price", "evt", "seti", "txn", "re", "po", "src", "tok", "card", "ba", "ii",
                "il", "si", "cs", "plan", "cbtxn", "dp", "du", "tr", "py", "fee", "file", "link", "promo", "coupon", "sched", "req"]
            .contains(String(prefix))
    }

    /// `0x` and 40 hex digits: an Ethereum address (a private key has 64).
    static func isEthereumAddress(_ bytes: [UInt8]) -> Bool {
        bytes.count == 42 && bytes[0] == 0x30 && (bytes[1] == 0x78 || bytes[1] == 0x58) && bytes[2...].allSatisfy(ByteClass.isHex)
    }

    /// A Bitcoin address: bech32 `bc1…`/`tb1…`, or base58check with version 0x00 or 0x05.
    static func isBitcoinAddress(_ value: String) -> Bool {
        let lower = value.lowercased()
        if (lower.hasPrefix("bc1") || lower.hasPrefix("tb1")), (42...62).contains(value.count),
            lower.dropFirst(3).allSatisfy({ "qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains($0) })
        {
            return true
        }
        guard (26...35).contains(value.count), value.first == "1" || value.first == "3",
            let decoded = Base58.decodeChecked(value), decoded.count == 21
        else { return false }
        return decoded[0] == 0x00 || decoded[0] == 0x05
    }
}

/// Base58 (Bitcoin's alphabet) with the double-SHA-256 checksum of base58check.
enum Base58 {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    static func decode(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        for byte in text.utf8 {
            guard byte < 128, values[Int(byte)] >= 0 else { return nil }
            var carry = Int(values[Int(byte)])
            for index in result.indices.reversed() {
                carry += Int(result[index]) * 58
                result[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                result.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        let zeros = text.utf8.prefix { $0 == 0x31 }.count
        return [UInt8](repeating: 0, count: zeros) + result
    }

    /// The payload of a base58check string whose last four bytes are its checksum.
    static func decodeChecked(_ text: String) -> [UInt8]? {
        guard let bytes = decode(text), bytes.count > 4 else { return nil }
        let payload = Array(bytes.dropLast(4))
        let digest = Array(SHA256.hash(data: Array(SHA256.hash(data: payload))))
        return Array(digest.prefix(4)) == Array(bytes.suffix(4)) ? payload : nil
    }

    static func encodeChecked(_ payload: [UInt8]) -> String {
        let digest = Array(SHA256.hash(data: Array(SHA256.hash(data: payload))))
        let bytes = payload + digest.prefix(4)
        var digits: [Int] = []
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += digits[index] << 8
                digits[index] = carry % 58
                carry /= 58
            }
            while carry > 0 {
                digits.append(carry % 58)
                carry /= 58
            }
        }
        let zeros = bytes.prefix { $0 == 0 }.count
        return String(repeating: "1", count: zeros) + String(decoding: digits.reversed().map { alphabet[$0] }, as: UTF8.self)
    }
}

extension PublicByDesign {
    /// The UTF-16 ranges of public-by-design values in a text: OpenSSH public key lines, PEM
    /// public key and certificate blocks, digests after `@` or `sha256:`, integrity strings,
    /// addresses and documented examples. A finding inside one is dropped.
    static func spans(in scan: ScanText) -> [NSRange] {
        let bytes = scan.bytes
        var spans: [Range<Int>] = []
        var index = 0
        var previousToken: Range<Int>?
        while index < bytes.count {
            guard isTokenByte(bytes[index]) else { index += 1; continue }
            var end = index
            while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
            var token = index..<end
            while token.count > 1, [0x2E, 0x2C, 0x3B, 0x29].contains(bytes[token.upperBound - 1]) { token = token.lowerBound..<token.upperBound - 1 }
            let text = String(decoding: bytes[token], as: UTF8.self)
            if let previous = previousToken, ["ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                                              "sk-ssh-ed25519@openssh.com"].contains(String(decoding: bytes[previous], as: UTF8.self)) {
                spans.append(previous.lowerBound..<token.upperBound)
            } else if token.count >= 8, isPublic(text) || text.hasPrefix(jwtExampleHeadAndBody) {
                spans.append(token)
            } else if let at = text.range(of: "@sha256:") ?? text.range(of: "@sha512:") {
                spans.append(token.lowerBound + text.utf8.distance(from: text.startIndex, to: at.lowerBound)..<token.upperBound)
            } else if text.hasPrefix("sha256:") || text.hasPrefix("sha512:") {
                spans.append(token)
            }
            previousToken = token
            index = end
        }
        // PEM blocks of public material.
        for marker in ["-----BEGIN PUBLIC KEY-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN CERTIFICATE-----", "-----BEGIN RSA PUBLIC KEY-----",
                       "---- BEGIN SSH2 PUBLIC KEY ----"] where scan.lowered.contains(Array(marker.lowercased().utf8)) {
            for hit in scan.lowered.offsets(of: Array(marker.lowercased().utf8)) {
                let endMarker = Array(marker.replacingOccurrences(of: "BEGIN", with: "END").lowercased().utf8)
                var stop = hit + marker.utf8.count
                while stop + endMarker.count <= bytes.count, !scan.lowered.bytes[stop..<stop + endMarker.count].elementsEqual(endMarker) { stop += 1 }
                spans.append(hit..<min(bytes.count, stop + endMarker.count))
            }
        }
        return spans.map(scan.utf16Range)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        ByteClass.isGraphic(byte) && byte != 0x22 && byte != 0x27 && byte != 0x60 && byte != 0x3C && byte != 0x3E && byte != 0x28 && byte != 0x5B
            && byte != 0x5D && byte != 0x7B && byte != 0x7D && byte != 0x3D
    }
}
