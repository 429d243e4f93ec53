import Crypto
import Foundation

/// A device's two key pairs: X25519 for receiving team keys (HPKE) and Ed25519 for signing
/// what it writes and the membership entries it makes. The private halves never leave the
/// node's keystore.
package struct DeviceKeyPair: Sendable {
    package let agreement: Curve25519.KeyAgreement.PrivateKey
    package let signing: Curve25519.Signing.PrivateKey

    package init(agreement: Curve25519.KeyAgreement.PrivateKey = .init(), signing: Curve25519.Signing.PrivateKey = .init()) {
        self.agreement = agreement
        self.signing = signing
    }

    /// From the 64 bytes ``rawRepresentation`` gives.
    package init(rawRepresentation raw: some Collection<UInt8>) throws {
        let bytes = Array(raw)
        guard bytes.count == 64 else { throw CryptoFailure.invalidLog("a device key pair is 64 bytes") }
        agreement = try .init(rawRepresentation: bytes[0..<32])
        signing = try .init(rawRepresentation: bytes[32..<64])
    }

    /// Agreement key then signing key, 32 bytes each: what the keystore encrypts.
    package var rawRepresentation: [UInt8] { Array(agreement.rawRepresentation) + Array(signing.rawRepresentation) }

    package var publicKeys: DevicePublicKeys {
        DevicePublicKeys(agreement: Array(agreement.publicKey.rawRepresentation), signing: Array(signing.publicKey.rawRepresentation))
    }
}

/// The public halves of a device's keys, as the hub and the membership log hold them.
package struct DevicePublicKeys: Sendable, Hashable {
    package var agreement: [UInt8]
    package var signing: [UInt8]

    package init(agreement: [UInt8], signing: [UInt8]) {
        self.agreement = agreement
        self.signing = signing
    }

    /// Base64 forms, checked to be 32-byte Curve25519 keys, the agreement key not a point of
    /// small order (``isUsableAgreementKey(_:)``).
    package init(agreementBase64: String, signingBase64: String) throws {
        guard let agreement = Data(base64Encoded: agreementBase64), agreement.count == 32,
            let signing = Data(base64Encoded: signingBase64), signing.count == 32,
            (try? Curve25519.Signing.PublicKey(rawRepresentation: signing)) != nil
        else { throw CryptoFailure.invalidLog("a device public key is 32 bytes of base64") }
        guard Self.isUsableAgreementKey(Array(agreement)) else {
            throw CryptoFailure.invalidLog("a device's agreement key is a point of small order (no secret can be agreed with it)")
        }
        self.init(agreement: Array(agreement), signing: Array(signing))
    }

    /// Whether a 32-byte X25519 public key agrees a secret: a point of small order (the zero
    /// point, one, and the others of order 2, 4 or 8, in any encoding) gives the all-zero
    /// shared secret whatever the other side's key, so a team key wrapped to it would be
    /// readable by anyone. RFC 7748 §6.1 names the check.
    package static func isUsableAgreementKey(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32, let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes) else { return false }
        // swift-crypto does not check the result (CryptoKit does not either): the clamped
        // scalar is a multiple of 8, so a small-order point gives all zeros, and only it does.
        guard let secret = try? Curve25519.KeyAgreement.PrivateKey().sharedSecretFromKeyAgreement(with: key) else { return false }
        return secret.withUnsafeBytes { $0.contains { $0 != 0 } }
    }

    /// A short, comparable name for the pair: the first 16 bytes of SHA-256 over both keys,
    /// as hex in groups of four (what a person compares across two screens).
    package var fingerprint: String {
        let digest = Array(SHA256.hash(data: agreement + signing)).prefix(16)
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        return stride(from: 0, to: hex.count, by: 4).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 4)])
        }.joined(separator: " ")
    }

    func signingKey() throws -> Curve25519.Signing.PublicKey {
        try Curve25519.Signing.PublicKey(rawRepresentation: signing)
    }

    func agreementKey() throws -> Curve25519.KeyAgreement.PublicKey {
        try Curve25519.KeyAgreement.PublicKey(rawRepresentation: agreement)
    }
}
