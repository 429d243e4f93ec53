import Foundation
import TMWSCore

/// Secrets built for the tests: key bodies with the DER or OpenSSH headers real keys start
/// with and random bytes after them (no real key is ever committed), and helpers to check
/// that a redacted text keeps no piece of a secret.
enum SecretFixtures {
    static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func base64(_ count: Int, _ random: inout SplitMix64) -> String {
        String((0..<count).map { _ in base64Alphabet[random.next(64)] })
    }

    /// The first letters of real key bodies: PKCS#1 RSA, SEC1 EC, PKCS#8 ed25519 and RSA,
    /// OpenSSH (ed25519), encrypted PKCS#8.
    static let bodyStarts: [(label: String, start: String)] = [
        ("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA"),
        ("EC PRIVATE KEY", "MHcCAQEEII9qGNfiydJTCTdH3ykuxSwjtvrkb1nQqIwy"),
        ("PRIVATE KEY", "MC4CAQAwBQYDK2VwBCIEICm9PDtuK2TRk4LW"),
        ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ"),
        ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"),
        ("ENCRYPTED PRIVATE KEY", "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAh"),
    ]

    /// A key body of about `length` letters in lines of 64 (70 for OpenSSH).
    static func body(start: String, length: Int, lineWidth: Int = 64, _ random: inout SplitMix64) -> String {
        let letters = start + base64(max(0, length - start.count), &random)
        var lines: [String] = []
        var rest = Substring(letters)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(lineWidth)))
            rest = rest.dropFirst(lineWidth)
        }
        return lines.joined(separator: "\n")
    }

    /// A whole PEM block for each kind.
    static func pemBlocks(seed: UInt64 = 0x9E3) -> [(label: String, pem: String)] {
        var random = SplitMix64(seed: seed)
        return bodyStarts.map { label, start in
            let width = label.hasPrefix("OPENSSH") ? 70 : 64
            let body = body(start: start, length: label.hasPrefix("RSA") ? 1580 : 300, lineWidth: width, &random)
            return (label, "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----")
        }
    }

    /// A GCP service-account JSON file; its `private_key` value is the secret.
    static func serviceAccount(seed: UInt64 = 0x6C9) -> (json: String, privateKey: String) {
        var random = SplitMix64(seed: seed)
        let body = body(start: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", length: 1600, &random)
        let key = "-----BEGIN PRIVATE KEY-----\\n" + body.replacingOccurrences(of: "\n", with: "\\n") + "\\n-----END PRIVATE KEY-----\\n"
        let json = """
            {
              "type": "service_account",
              "project_id": "acme-prod",
              "private_key_id": "3f786850e387550fdab836ed7e6dc881de23001b",
              "private_key": "\(key)",
              "client_email": "deployer@acme-prod.iam.gserviceaccount.com",
              "client_id": "109876543210987654321",
              "token_uri": "https://oauth2.googleapis.com/token"
            }
            """
        return (json, key)
    }

    /// The pieces of a secret a redaction must not keep: every run of 10 characters of its
    /// letters, digits and `+/=`, escaped line breaks removed.
    static func pieces(of secret: String) -> [String] {
        let cleaned = secret.replacingOccurrences(of: "\\n", with: "\n")
        let runs = cleaned.split { !($0.isASCII && ($0.isLetter || $0.isNumber || "+/=_-".contains($0))) }
        var pieces: [String] = []
        for run in runs where run.count >= 10 {
            let characters = Array(run)
            for start in stride(from: 0, through: characters.count - 10, by: 5) {
                pieces.append(String(characters[start..<start + 10]))
            }
        }
        return pieces
    }

    /// Whether any piece of `secret` is still in `text`; header words such as BEGIN or
    /// PRIVATE are not pieces, since runs of 10 need letters beyond them.
    static func leaks(_ secret: String, in text: String) -> Bool {
        pieces(of: secret).contains { text.contains($0) }
    }
}
