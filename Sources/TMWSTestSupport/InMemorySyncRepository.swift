import Foundation
import Synchronization
import TMWSCore
import TMWSHubDomain

/// One tenant's hub sync storage in memory, for running the hub's real push and pull rules
/// (``HubSync``) without a database: what the PostgreSQL adapter keeps in its tables, kept in
/// dictionaries. Transactions run one at a time and commit all or nothing.
///
/// It holds GLOBAL memories only: no team has a membership log here, so every sealed change
/// is refused by the rules (the PostgreSQL tests cover SHARED).
package final class InMemorySyncRepository: HubRepository, Sendable {
    package struct State: Sendable {
        package var held: [String: PushBatch.Held] = [:]
        package var latest: [String: ChangeEvent] = [:]
        package var log: [(position: SyncCursor, eventID: String, payload: String)] = []
        package var logged: Set<String> = []
        /// Each device's bound origin id.
        package var origins: [UUID: String] = [:]
        var transactions: UInt64 = 0
    }

    package let tenantID: UUID
    package let state = Mutex(State())
    private let devices: Mutex<[String: AuthenticatedDevice]> = Mutex([:])
    private let serial = AsyncSerial()

    package init(tenantID: UUID = UUID()) {
        self.tenantID = tenantID
    }

    /// A new device of the tenant and its credential.
    package func enroll() -> (credential: String, device: AuthenticatedDevice) {
        let credential = HubSecret(kind: .device, tenantID: tenantID, id: UUID()).text
        return (credential, enroll(credential: credential))
    }

    /// A device of the tenant for a credential made elsewhere (of this tenant).
    @discardableResult
    package func enroll(credential: String) -> AuthenticatedDevice {
        let secret = HubSecret(parsing: credential, kind: .device)!
        precondition(secret.tenantID == tenantID, "a credential of this tenant")
        let device = AuthenticatedDevice(tenantID: tenantID, userID: UUID(), deviceID: secret.id)
        devices.withLock { $0[credential] = device }
        return device
    }

    package func transaction<T: Sendable>(credential: String, _ body: @escaping @Sendable (Transaction) async throws -> T) async throws -> T {
        guard let device = devices.withLock({ $0[credential] }) else { throw HubErrors.unauthorized() }
        return try await transaction(as: device, body)
    }

    package func transaction<T: Sendable>(as device: AuthenticatedDevice, _ body: @escaping @Sendable (Transaction) async throws -> T) async throws -> T {
        try await serial.run {
            let transaction = Transaction(device: device, state: state.withLock { $0 })
            let result = try await body(transaction)
            state.withLock { $0 = transaction.state }
            return result
        }
    }

    /// A transaction's view: a copy of the state, kept if the transaction ends without error.
    package final class Transaction: HubSyncTransaction, @unchecked Sendable {
        package let device: AuthenticatedDevice
        var state: State

        init(device: AuthenticatedDevice, state: State) {
            self.device = device
            self.state = state
            self.state.transactions += 1
        }

        package func lock(memories: [String]) async throws {}  // transactions run one at a time

        package func bindOrigin(claiming claimed: String?) async throws -> String? {
            if let claimed, ChangeEvent.refusal(ofDevice: claimed) == nil, state.origins[device.deviceID] == nil,
                !state.origins.values.contains(claimed)
            {
                state.origins[device.deviceID] = claimed
            }
            return state.origins[device.deviceID]
        }

        package func sealedFacts(teams: Set<String>) async throws -> HubPushRules.SealedFacts {
            HubPushRules.SealedFacts(teams: [:], currentKey: [], deviceKeys: nil)
        }

        package func heldVersions(_ memoryIDs: [String]) async throws -> [String: PushBatch.Held] {
            state.held.filter { memoryIDs.contains($0.key) }
        }

        package func loggedEvents(_ eventIDs: [String]) async throws -> Set<String> {
            state.logged.intersection(eventIDs)
        }

        package func latestEvents(_ memoryIDs: Set<String>) async throws -> [String: ChangeEvent] {
            state.latest.filter { memoryIDs.contains($0.key) }
        }

        package func write(_ batch: PushBatch) async throws {
            for final in batch.finalVersions {
                let id = final.event.memoryID.description
                var held = batch.held[id]!
                (held.inDatabase, held.event) = (true, nil)
                state.held[id] = held
                state.latest[id] = final.event
            }
            for event in batch.applied {
                let position = SyncCursor(transaction: state.transactions, sequence: Int64(state.log.count + 1))
                state.log.append((position, event.eventID.lowercased(), String(decoding: event.jsonBytes(), as: UTF8.self)))
                state.logged.insert(event.eventID.lowercased())
            }
        }

        package func changes(after cursor: SyncCursor, limit: Int, _ body: (SyncCursor, String) throws -> Bool) async throws {
            let after = state.log.drop { ($0.position.transaction, $0.position.sequence) <= (cursor.transaction, cursor.sequence) }
            for entry in after.prefix(limit) {
                guard try body(entry.position, entry.payload) else { return }
            }
        }

        package func cursorSecret() async throws -> [UInt8] { Array(repeating: 7, count: 32) }
    }
}

/// Runs bodies one at a time, in the order they asked.
final class AsyncSerial: Sendable {
    private let state = Mutex<(busy: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func run<T>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if now { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiting.isEmpty {
                    state.busy = false
                    return nil
                }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}
