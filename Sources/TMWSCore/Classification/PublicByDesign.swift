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
        if isStripeObjectID(value) { return true }
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
        "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "your_auth_token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
    ]

    /// The jwt.io example's first two parts: its signature varies with the example's secret.
    static let jwtExampleHeadAndBody = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"

    /// Stripe object ids (`cus_…`, `pi_…`, `ch_…`): ids of test fixtures and records, not
    /// credentials. Stripe writes them as a lower-case prefix and a base62 body; a token that
    /// merely starts with such letters (`Ch_7Q~…`, an Azure client secret) is not one.
    static func isStripeObjectID(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let underscore = bytes.firstIndex(of: 0x5F), (8...64).contains(bytes.count - underscore - 1),
            bytes[(underscore + 1)...].allSatisfy({ ByteClass.isDigit($0) || ByteClass.isLower($0) || ByteClass.isUpper($0) || $0 == 0x5F })
        else { return false }
        return stripeObjectPrefixes.contains(String(decoding: bytes[..<underscore], as: UTF8.self))
    }

    static let stripeObjectPrefixes: Set<String> = [
        "cus", "acct", "cn", "ic", "sku", "qt", "pi", "ch", "pm", "sub", "in", "prod", "price", "evt", "seti", "txn", "re", "po", "src", "tok", "card", "ba",
        "ii",
        "il", "si", "cs", "plan", "cbtxn", "dp", "du", "tr", "py", "fee", "file", "link", "promo", "coupon", "sched", "req",
    ]

    /// `0x` and 40 hex digits: an Ethereum address (a private key has 64).
    static func isEthereumAddress(_ bytes: [UInt8]) -> Bool {
        bytes.count == 42 && bytes[0] == 0x30 && (bytes[1] == 0x78 || bytes[1] == 0x58) && bytes[2...].allSatisfy(ByteClass.isHex)
    }

    /// A Bitcoin address: bech32 `bc1…`/`tb1…`, or base58check with version 0x00 or 0x05.
    static func isBitcoinAddress(_ value: String) -> Bool {
        let lower = value.lowercased()
        if lower.hasPrefix("bc1") || lower.hasPrefix("tb1"), (42...62).contains(value.count),
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

extension PublicByDesign {
    /// Whether the value at `range` (UTF-16, in `units`) is public by design: the token that
    /// holds it is a public key, an address, a digest, an integrity string, a documented
    /// example or a fixture's id, or it sits in an OpenSSH public key line or a PEM block of
    /// public material. Judged per finding, so a text with no finding costs nothing.
    static func contains(_ range: NSRange, in units: [UInt16], lowered: ByteText) -> Bool {
        guard range.length > 0, range.location + range.length <= units.count else { return false }
        var start = range.location
        while start > 0, isTokenUnit(units[start - 1]) { start -= 1 }
        var end = range.location + range.length
        while end < units.count, isTokenUnit(units[end]) { end += 1 }
        if end > start {
            var tokenEnd = end
            while tokenEnd > start + 1, [0x2E, 0x2C, 0x3B, 0x29].contains(units[tokenEnd - 1]) { tokenEnd -= 1 }
            let token = String(decoding: units[start..<tokenEnd], as: UTF16.self)
            if tokenEnd - start >= 8, isPublic(token) || token.hasPrefix(jwtExampleHeadAndBody) { return true }
            if let at = token.byteOffset(of: "@sha256:") ?? token.byteOffset(of: "@sha512:"), range.location >= start + at {
                return true
            }
            // The token after a key type word: `ssh-ed25519 AAAA…`.
            var previousEnd = start
            while previousEnd > 0, units[previousEnd - 1] == 0x20 { previousEnd -= 1 }
            var previousStart = previousEnd
            while previousStart > 0, isTokenUnit(units[previousStart - 1]) { previousStart -= 1 }
            if previousEnd > previousStart, previousEnd < start {
                let previous = String(decoding: units[previousStart..<previousEnd], as: UTF16.self)
                if keyTypes.contains(previous) || previous.hasPrefix("ecdsa-sha2-") { return true }
            }
        }
        // Inside a PEM block of public material.
        for marker in publicBlockMarkers where lowered.contains(marker.begin) {
            for hit in lowered.offsets(of: marker.begin) where lowered.utf16Offset(hit) <= range.location {
                let ends = lowered.offsets(of: marker.end)
                if let close = ends.first(where: { $0 > hit }), lowered.utf16Offset(close) >= range.location + range.length - 1 { return true }
            }
        }
        return false
    }

    static let keyTypes: Set<String> = ["ssh-ed25519", "ssh-rsa", "ssh-dss", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"]

    static let publicBlockMarkers: [(begin: [UInt8], end: [UInt8])] = [
        "PUBLIC KEY-----", "PGP PUBLIC KEY BLOCK-----", "CERTIFICATE-----", "RSA PUBLIC KEY-----", "SSH2 PUBLIC KEY ----",
    ].map { (Array(("begin " + $0.lowercased()).utf8), Array(("end " + $0.lowercased()).utf8)) }

    private static func isTokenUnit(_ unit: UInt16) -> Bool {
        unit > 0x20 && unit < 0x7F && unit != 0x22 && unit != 0x27 && unit != 0x60 && unit != 0x3C && unit != 0x3E && unit != 0x28
            && unit != 0x5B && unit != 0x5D && unit != 0x7B && unit != 0x7D && unit != 0x3D
    }
}
