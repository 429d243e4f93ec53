import TMWSCore

/// Why a sealed memory, a team key or a membership log was not accepted. The messages name
/// what failed and never hold key material or plaintext.
package enum CryptoFailure: Error, Sendable, Hashable, CustomStringConvertible, SafelyDescribedError {
    /// The header is not one this build writes (length, magic, format or suite).
    case malformedHeader
    /// The header does not describe the row it arrived in (moved between memories, teams,
    /// tenants, versions, epochs or authors).
    case headerMismatch(String)
    /// The author's signature does not verify.
    case badSignature
    /// The author is not a device of the team at that epoch.
    case unknownAuthor
    /// Authenticated decryption failed (tampered ciphertext or wrapped key, or the wrong key).
    case decryptionFailed
    /// This device holds no key for the team at that epoch.
    case noKey(team: String, epoch: Int)
    /// A team key does not match the commitment the membership log holds for its epoch.
    case keyCommitmentMismatch(epoch: Int)
    /// The membership log is not a valid chain of signed entries.
    case invalidLog(String)

    package var description: String {
        switch self {
        case .malformedHeader: "the sealed memory's header is malformed"
        case .headerMismatch(let field): "the sealed memory's header does not match its row (\(field))"
        case .badSignature: "the author's signature does not verify"
        case .unknownAuthor: "the author is not a device of the team at that epoch (or wrote after its tenure ended)"
        case .decryptionFailed: "the sealed memory does not decrypt (tampered, or the wrong key)"
        case .noKey(let team, let epoch): "this device holds no key for team \(team) at epoch \(epoch)"
        case .keyCommitmentMismatch(let epoch): "the team key for epoch \(epoch) does not match the membership log"
        case .invalidLog(let reason): "the team's membership log is not valid: \(reason)"
        }
    }

    package var safeDescription: String { description }

    /// As the error every interface reports.
    package var error: TMWSError { TMWSError(.refused, description) }
}
