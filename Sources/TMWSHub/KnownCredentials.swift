import Crypto
import Foundation
import Synchronization

/// Credentials that authenticated a moment ago, by digest: a route that authenticates inside
/// its work's transaction reads a body only for one of these, and authenticates any other
/// credential first, alone. A stranger's request is thus refused before its body is read or
/// anything in it is checked, while a device's steady stream of pushes costs one transaction
/// each. Being known only lets the body be read: the work's transaction authenticates again,
/// so a device revoked within ``lifetime`` is refused there.
final class KnownCredentials: Sendable {
    /// How long a credential stays known after it authenticated.
    let lifetime: Duration
    /// The most credentials kept; past it the oldest half is forgotten.
    let capacity: Int
    private let known = Mutex<[SHA256Digest: ContinuousClock.Instant]>([:])

    init(lifetime: Duration = .seconds(60), capacity: Int = 10_000) {
        (self.lifetime, self.capacity) = (lifetime, capacity)
    }

    func contains(_ credential: String) -> Bool {
        let key = SHA256.hash(data: Data(credential.utf8))
        let now = ContinuousClock.now
        return known.withLock { known in
            guard let until = known[key] else { return false }
            if until < now { known[key] = nil }
            return until >= now
        }
    }

    func insert(_ credential: String) {
        let key = SHA256.hash(data: Data(credential.utf8))
        let until = ContinuousClock.now + lifetime
        known.withLock { known in
            if known.count >= capacity {
                let oldest = known.sorted { $0.value < $1.value }.prefix(capacity / 2).map(\.key)
                for key in oldest { known[key] = nil }
            }
            known[key] = until
        }
    }
}
