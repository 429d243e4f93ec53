import Crypto
import Foundation

/// A team's key for one epoch: 32 random bytes, wrapped with HPKE to every device of the
/// team, committed to in the membership log, and chained to the previous epoch's key so
/// current members can read history.
package struct TeamKey: Sendable {
    package let key: SymmetricKey

    package init() { key = SymmetricKey(size: .bits256) }

    init(bytes: some Collection<UInt8>) throws {
        guard bytes.count == 32 else { throw CryptoFailure.decryptionFailed }
        key = SymmetricKey(data: Array(bytes))
    }

    var bytes: [UInt8] { key.withUnsafeBytes { Array($0) } }

    /// The suite: X25519 KEM, HKDF-SHA256, AES-256-GCM (HPKE base mode; the membership log's
    /// signed commitment authenticates the key, since base mode does not).
    static let suite = HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)

    static func binding(_ label: String, tenant: UUID, team: UUID, epoch: Int, device: UUID? = nil) -> [UInt8] {
        var writer = ByteWriter(label)
        writer.uuid(tenant)
        writer.uuid(team)
        writer.u32(epoch)
        if let device { writer.uuid(device) }
        return writer.bytes
    }

    /// What the membership log records for an epoch: SHA-256 over the key and where it
    /// belongs. A device accepts an unwrapped key only if it matches, so a hub that wraps a
    /// key of its own choosing to a device is caught.
    package func commitment(tenant: UUID, team: UUID, epoch: Int) -> [UInt8] {
        Array(SHA256.hash(data: Self.binding("tmws/v1/team-key-commitment", tenant: tenant, team: team, epoch: epoch) + bytes))
    }

    /// The key sealed to one device (HPKE encapsulated key, then ciphertext).
    package func wrapped(to recipient: DevicePublicKeys, device: UUID, tenant: UUID, team: UUID, epoch: Int) throws -> [UInt8] {
        let info = Self.binding("tmws/v1/team-key", tenant: tenant, team: team, epoch: epoch, device: device)
        var sender = try HPKE.Sender(recipientKey: try recipient.agreementKey(), ciphersuite: Self.suite, info: Data(info))
        let ciphertext = try sender.seal(bytes, authenticating: info)
        return Array(sender.encapsulatedKey) + Array(ciphertext)
    }

    /// Opens a wrap made for this device and checks it against the log's commitment.
    package static func unwrap(
        _ wrapped: [UInt8], with keys: DeviceKeyPair, device: UUID, tenant: UUID, team: UUID, epoch: Int, commitment: [UInt8]
    ) throws -> TeamKey {
        guard wrapped.count > 32 else { throw CryptoFailure.decryptionFailed }
        let info = binding("tmws/v1/team-key", tenant: tenant, team: team, epoch: epoch, device: device)
        let key: TeamKey
        do {
            var recipient = try HPKE.Recipient(
                privateKey: keys.agreement, ciphersuite: suite, info: Data(info), encapsulatedKey: Data(wrapped[0..<32])
            )
            key = try TeamKey(bytes: try recipient.open(wrapped[32...], authenticating: info))
        } catch {
            throw CryptoFailure.decryptionFailed
        }
        guard key.commitment(tenant: tenant, team: team, epoch: epoch) == commitment else {
            throw CryptoFailure.keyCommitmentMismatch(epoch: epoch)
        }
        return key
    }

    /// The previous epoch's key sealed under this one (Keybase's chain): who holds the
    /// newest key can walk back to every older one.
    package func sealing(previous: TeamKey, tenant: UUID, team: UUID, epoch: Int) throws -> [UInt8] {
        let aad = Self.binding("tmws/v1/previous-team-key", tenant: tenant, team: team, epoch: epoch)
        return Array(try AES.GCM.seal(previous.bytes, using: key, authenticating: aad).combined!)
    }

    /// The key of `epoch - 1`, from what ``sealing(previous:tenant:team:epoch:)`` made.
    package func openPrevious(_ sealed: [UInt8], tenant: UUID, team: UUID, epoch: Int, commitment: [UInt8]) throws -> TeamKey {
        let aad = Self.binding("tmws/v1/previous-team-key", tenant: tenant, team: team, epoch: epoch)
        let previous: TeamKey
        do {
            previous = try TeamKey(bytes: try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key, authenticating: aad))
        } catch {
            throw CryptoFailure.decryptionFailed
        }
        guard previous.commitment(tenant: tenant, team: team, epoch: epoch - 1) == commitment else {
            throw CryptoFailure.keyCommitmentMismatch(epoch: epoch - 1)
        }
        return previous
    }
}
