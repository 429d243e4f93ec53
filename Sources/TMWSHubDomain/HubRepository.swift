import Foundation
import TMWSCore

/// The hub's storage: transactions, each scoped to one authenticated device's tenant. What a
/// transaction can do is said by the protocols the hub's services ask of it
/// (``HubSyncTransaction``, ``HubTeamTransaction``); they hold no rule, the services decide.
/// The PostgreSQL adapter implements them with SQL, the tests with dictionaries.
package protocol HubRepository: Sendable {
    associatedtype Transaction: HubTransaction

    /// Runs `body` in one transaction as the holder of `credential`, authenticated inside it.
    ///
    /// - Throws: `unauthorized` for a credential that is malformed, unknown, wrong or revoked
    ///   (without saying which); ``HubDataRefusal`` when storage refused the data.
    func transaction<T: Sendable>(credential: String, _ body: @escaping @Sendable (Transaction) async throws -> T) async throws -> T
    /// The same for a device already authenticated.
    func transaction<T: Sendable>(as device: AuthenticatedDevice, _ body: @escaping @Sendable (Transaction) async throws -> T) async throws -> T
}

/// One transaction of ``HubRepository``.
package protocol HubTransaction {
    /// The device the transaction acts as.
    var device: AuthenticatedDevice { get }
}

/// What the hub's push and pull (``HubSync``) ask of a transaction.
package protocol HubSyncTransaction: HubTransaction {
    /// Takes these memories for the rest of the transaction: a second push of one of them
    /// waits until this one ends (so a batch retried while its first copy is still being
    /// applied finds its events logged).
    func lock(memories: [String]) async throws
    /// The origin id this device's changes carry: bound to `claimed` by its first push when no
    /// other device of the tenant carries it; `nil` while unbound.
    func bindOrigin(claiming claimed: String?) async throws -> String?
    /// What deciding sealed changes of these teams (lowercased ids) needs to know.
    func sealedFacts(teams: Set<String>) async throws -> HubPushRules.SealedFacts
    /// The held versions of these memories the device can see (a SHARED one of a team its
    /// user is not in is not there).
    func heldVersions(_ memoryIDs: [String]) async throws -> [String: PushBatch.Held]
    /// Which of these events (lowercased ids) the change log holds.
    func loggedEvents(_ eventIDs: [String]) async throws -> Set<String>
    /// The change that made each memory's current version.
    func latestEvents(_ memoryIDs: Set<String>) async throws -> [String: ChangeEvent]
    /// Writes what a batch decided: each memory's final version, then the events it took,
    /// logged in the batch's order.
    func write(_ batch: PushBatch) async throws
    /// The tenant's logged changes after `cursor` that the device may read, oldest first and
    /// never one that could still be followed by an earlier one (see ``SyncCursor``), each
    /// as stored; `body` answers whether to go on.
    func changes(after cursor: SyncCursor, limit: Int, _ body: (SyncCursor, String) throws -> Bool) async throws
    /// The tenant's secret for sealing cursors (at least 16 bytes).
    func cursorSecret() async throws -> [UInt8]
}

/// Storage refused a statement's data (PostgreSQL: a data exception, an integrity violation,
/// a program limit): the caller can tell which input it was.
package struct HubDataRefusal: Error, SafelyDescribedError {
    package var code: String

    package init(code: String) {
        self.code = code
    }

    package var safeDescription: String { "the hub database refused the data (SQLSTATE \(code))" }
}
