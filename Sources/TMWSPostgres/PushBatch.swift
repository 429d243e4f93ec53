import Foundation
import TMWSCore

/// One push, decided in memory before anything is written: each event against the version
/// held before it (the hub's, or an earlier event's of the same batch).
struct PushBatch {
    struct Held {
        var version: Int
        var replica: ReplicaVersion
        /// Whether the memories table has a row for it (else only this batch made it).
        var inDatabase: Bool
        /// The batch's event that made this version (`nil`: the hub's, from before the batch).
        var event: ChangeEvent?
        /// The fields of the last live version this batch wrote, for a tombstone's new row.
        var lastFields: ReplicatedMemory?
        /// Whether the memory is SHARED on the hub (it changes only by sealed events).
        var shared = false
        /// A SHARED memory's team (lowercased id): it stays in it.
        var team: String?
    }

    struct Final {
        var event: ChangeEvent
        var inDatabase: Bool
        var lastFields: ReplicatedMemory?
    }

    var held: [String: Held]
    let logged: Set<String>
    var seen: Set<String> = []
    /// The events taken, in order.
    var applied: [ChangeEvent] = []
    /// For concurrent events: the batch's event they met, or `nil` when they met the hub's
    /// version (its event is read from the log).
    var concurrentWith: [String: ChangeEvent?] = [:]
    var memoryOf: [String: String] = [:]

    init(held: [String: Held], logged: Set<String>) {
        self.held = held
        self.logged = logged
    }

    mutating func decide(_ event: ChangeEvent, refusal: String?) -> PushResult {
        if let refusal { return PushResult(eventID: event.eventID, status: .rejected, reason: refusal) }
        let eventKey = event.eventID.lowercased()
        if logged.contains(eventKey) || seen.contains(eventKey) { return PushResult(eventID: event.eventID, status: .duplicate) }
        let id = event.memoryID.description
        let current = held[id]
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
    var needingTheirLatest: Set<String> {
        Set(concurrentWith.compactMap { eventID, met in met == nil ? memoryOf[eventID] : nil })
    }

    /// The version each memory the batch changed ends at.
    var finalVersions: [Final] {
        held.values.compactMap { held in
            held.event.map { Final(event: $0, inDatabase: held.inDatabase, lastFields: held.lastFields) }
        }.sorted { $0.event.memoryID.description < $1.event.memoryID.description }
    }
}

/// SHARED memory rows as column arrays: routing fields, the header and the ciphertext
/// (base64; decoded by PostgreSQL).
struct SealedRows {
    var ids: [UUID] = [], teams: [UUID] = [], versions: [Int] = [], clocks: [Int64] = [], devices: [String] = [], epochs: [Int] = []
    var headers: [String] = [], ciphertexts: [String] = []

    mutating func append(_ event: ChangeEvent) {
        guard let sealed = event.sealed, let team = event.team.flatMap(UUID.init(uuidString:)) else { return }
        ids.append(event.memoryID.uuid)
        teams.append(team)
        versions.append(event.version)
        clocks.append(event.clock.rawValue)
        devices.append(event.device)
        epochs.append(sealed.epoch)
        headers.append(sealed.header)
        ciphertexts.append(sealed.ciphertext)
    }
}

/// Memory rows as column arrays, for one statement over `unnest`. Empty text stands for SQL
/// NULL in the optional columns; each row's tags travel as a PostgreSQL array literal.
struct MemoryRows {
    var ids: [UUID] = [], namespaces: [String] = [], versions: [Int] = [], clocks: [Int64] = [], devices: [String] = []
    var deleted: [Bool] = [], contents: [String] = [], searchTexts: [String] = [], tags: [String] = [], importances: [Double] = []
    var metadata: [String] = [], agents: [String] = [], created: [String] = [], expires: [String] = [], classifications: [String] = []

    mutating func append(_ event: ChangeEvent, _ fields: ReplicatedMemory) {
        let deleted = event.operation == .delete
        ids.append(event.memoryID.uuid)
        namespaces.append(fields.namespace.rawValue)
        versions.append(event.version)
        clocks.append(event.clock.rawValue)
        devices.append(event.device)
        self.deleted.append(deleted)
        contents.append(deleted ? "" : fields.content)
        searchTexts.append(deleted ? "" : SearchText.indexText(fields.content))
        tags.append(Self.arrayLiteral(deleted ? [] : fields.tags))
        importances.append(fields.importance)
        var writer = JSONWriter(capacity: 64)
        writer.value(.object(deleted ? [:] : fields.metadata))
        metadata.append(String(decoding: writer.bytes, as: UTF8.self))
        agents.append(fields.agentID)
        created.append(ISO8601.string(from: fields.createdAt))
        expires.append(fields.expiresAt.map(ISO8601.string(from:)) ?? "")
        classifications.append(deleted ? "" : fields.classification.map { String(decoding: $0.jsonBytes(), as: UTF8.self) } ?? "")
    }

    /// `{"a","b"}`: every element quoted, `"` and `\` escaped with a backslash.
    static func arrayLiteral(_ elements: [String]) -> String {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }
}
