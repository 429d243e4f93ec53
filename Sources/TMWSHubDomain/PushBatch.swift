import Foundation
import TMWSCore

/// One push, decided in memory before anything is written: each event against the version
/// held before it (the hub's, or an earlier event's of the same batch).
package struct PushBatch: Sendable {
    package struct Held: Sendable {
        package var version: Int
        package var replica: ReplicaVersion
        /// Whether the memories table has a row for it (else only this batch made it).
        package var inDatabase: Bool
        /// The batch's event that made this version (`nil`: the hub's, from before the batch).
        package var event: ChangeEvent?
        /// The fields of the last live version this batch wrote, for a tombstone's new row.
        package var lastFields: ReplicatedMemory?
        /// Whether the memory is SHARED on the hub (it changes only by sealed events).
        package var shared = false
        /// A SHARED memory's team (lowercased id): it stays in it.
        package var team: String?

        package init(
            version: Int, replica: ReplicaVersion, inDatabase: Bool, event: ChangeEvent? = nil, lastFields: ReplicatedMemory? = nil,
            shared: Bool = false, team: String? = nil
        ) {
            (self.version, self.replica, self.inDatabase, self.event, self.lastFields) = (version, replica, inDatabase, event, lastFields)
            (self.shared, self.team) = (shared, team)
        }
    }

    package struct Final: Sendable {
        package var event: ChangeEvent
        package var inDatabase: Bool
        package var lastFields: ReplicatedMemory?
    }

    package var held: [String: Held]
    package let logged: Set<String>
    package var seen: Set<String> = []
    /// The events taken, in order.
    package var applied: [ChangeEvent] = []
    /// For concurrent events: the batch's event they met, or `nil` when they met the hub's
    /// version (its event is read from the log).
    package var concurrentWith: [String: ChangeEvent?] = [:]
    package var memoryOf: [String: String] = [:]

    package init(held: [String: Held], logged: Set<String>) {
        self.held = held
        self.logged = logged
    }

    package mutating func decide(_ event: ChangeEvent, refusal: String?) -> PushResult {
        if let refusal { return PushResult(eventID: event.eventID, status: .rejected, reason: refusal) }
        let eventKey = event.eventID.lowercased()
        if logged.contains(eventKey) || seen.contains(eventKey) { return PushResult(eventID: event.eventID, status: .duplicate) }
        let id = event.memoryID.description
        let current = held[id]
        if current == nil, event.operation == .delete {
            // Nothing to delete, and nothing is logged (a device cannot delete ids it never
            // saw on other devices). Taken, not refused: a node whose memory was created and
            // deleted before its create was ever sent queues the delete alone (the delete
            // supersedes the create), and a refused event would stay queued for good.
            return PushResult(eventID: event.eventID, status: .duplicate, reason: "nothing to delete: the hub holds no such memory")
        }
        if current == nil, event.operation != .create {
            return PushResult(
                eventID: event.eventID, status: .rejected, reason: "no such memory on the hub (an \(event.operation.rawValue) needs its create first)"
            )
        }
        if let current {
            // Sealed or not for good, and in one team for good (the node's rule too: a
            // member of two teams cannot move a memory between them, nor a GLOBAL one in).
            if current.shared, event.sealed == nil {
                return PushResult(eventID: event.eventID, status: .rejected, reason: "a SHARED memory changes only by sealed (end-to-end encrypted) events")
            }
            if !current.shared, event.sealed != nil {
                return PushResult(eventID: event.eventID, status: .rejected, reason: "a GLOBAL memory never takes a sealed change (store a new SHARED memory)")
            }
            if current.shared, current.team != event.team?.lowercased() {
                return PushResult(eventID: event.eventID, status: .rejected, reason: "a SHARED memory stays in the team it was made in")
            }
        }
        let decision = SyncMerge.decide(event, current: current?.replica)
        if decision.concurrent {
            concurrentWith[event.eventID] = .some(current?.event)
            memoryOf[event.eventID] = id
        }
        switch decision {
        case .same:
            return PushResult(eventID: event.eventID, status: .duplicate)
        case .keepCurrent:
            return PushResult(eventID: event.eventID, status: .conflict, currentVersion: current?.version)
        case .takeIncoming:
            seen.insert(eventKey)
            applied.append(event)
            held[id] = Held(
                version: event.version, replica: event.replicaVersion, inDatabase: current?.inDatabase ?? false, event: event,
                lastFields: event.memory ?? current?.lastFields, shared: event.sealed != nil, team: event.sealed == nil ? nil : event.team?.lowercased()
            )
            return PushResult(eventID: event.eventID, status: .applied)
        }
    }

    /// Memories whose concurrent events met the hub's version from before the batch.
    package var needingTheirLatest: Set<String> {
        Set(concurrentWith.compactMap { eventID, met in met == nil ? memoryOf[eventID] : nil })
    }

    /// The version each memory the batch changed ends at.
    package var finalVersions: [Final] {
        held.values.compactMap { held in
            held.event.map { Final(event: $0, inDatabase: held.inDatabase, lastFields: held.lastFields) }
        }.sorted { $0.event.memoryID.description < $1.event.memoryID.description }
    }
}
