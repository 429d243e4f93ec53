import Crypto
import Foundation
import Metrics
import TMWSCore

/// The hub's push and pull, over any storage (``HubRepository``): the order of the checks,
/// the batch decided in memory, the page's bounds, the cursor devices see.
package struct HubSync<Repository: HubRepository>: Sendable where Repository.Transaction: HubSyncTransaction {
    package let repository: Repository

    package init(repository: Repository) {
        self.repository = repository
    }

    // MARK: - Push

    /// Applies a batch of change events in one transaction, idempotent by event id, with a
    /// result per event, as the holder of `credential` (authenticated in the same transaction).
    ///
    /// The hub checks every event again: only GLOBAL memories are taken in plaintext (SHARED
    /// ones need end-to-end encryption), and content with sensitive data is refused (the node's
    /// classifier should have stopped it first). ``SyncMerge`` decides each event against the
    /// hub's version, exactly as every node does, so all of them keep the same winner. A change
    /// that loses is answered `conflict` and not logged (the winner already is); a concurrent
    /// one, won or lost, comes back with the version it met so the node can keep the conflict.
    package func push(_ events: [ChangeEvent], credential: String) async throws -> [PushResult] {
        try await push(events) { body in try await repository.transaction(credential: credential, body) }
    }

    /// The same for a device already authenticated.
    package func push(_ events: [ChangeEvent], as device: AuthenticatedDevice) async throws -> [PushResult] {
        try await push(events) { body in try await repository.transaction(as: device, body) }
    }

    private typealias Opening = @Sendable (@escaping @Sendable (Repository.Transaction) async throws -> [PushResult]) async throws -> [PushResult]

    private func push(_ events: [ChangeEvent], opening: Opening) async throws -> [PushResult] {
        guard events.count <= SyncLimits.maximumPushEvents else {
            throw TMWSError(.invalidInput, "at most \(SyncLimits.maximumPushEvents) events per push, got \(events.count)", field: "events")
        }
        // The events' own checks (bounds, then the classifier, on every core), before storage.
        let now = Date()
        let refusals = await events.parallelMap { HubPushRules.refusal(of: $0, receivedAt: now) }
        let results = try await push(events, refusals, opening: opening)
        // Counted once the hub has answered (so only for an authenticated device's events).
        let sensitive = refusals.count { $0?.hasPrefix("sensitive data") == true }
        Self.incidents("blocked_sensitive_push", sensitive)
        Self.incidents("refused_event", refusals.count { $0 != nil } - sensitive)
        return results
    }

    private func push(_ events: [ChangeEvent], _ refusals: [String?], opening: Opening) async throws -> [PushResult] {
        do {
            return try await opening { transaction in try await Self.apply(events, refusals, in: transaction) }
        } catch is HubDataRefusal where events.count > 1 {
            // One event storage refuses is answered `rejected`, never a failed batch: the
            // batch again, one event a transaction, to find it.
            var results: [PushResult] = []
            for (event, refusal) in zip(events, refusals) {
                do {
                    results += try await opening { transaction in try await Self.apply([event], [refusal], in: transaction) }
                } catch is HubDataRefusal {
                    results.append(Self.refusedByStorage(event))
                }
            }
            return results
        } catch is HubDataRefusal {
            return [Self.refusedByStorage(events[0])]
        }
    }

    private static func refusedByStorage(_ event: ChangeEvent) -> PushResult {
        PushResult(eventID: event.eventID, status: .rejected, reason: "the hub's database refused this event's data")
    }

    /// One push in one transaction: every event decided in memory, in order, then written at once.
    private static func apply(_ events: [ChangeEvent], _ refusals: [String?], in transaction: Repository.Transaction) async throws -> [PushResult] {
        let memoryIDs = Array(Set(events.map { $0.memoryID.description })).sorted()
        try await transaction.lock(memories: memoryIDs)
        let origin = try await transaction.bindOrigin(claiming: events.first?.device)
        var refusals = zip(events, refusals).map { event, refusal in
            refusal ?? (event.device == origin ? nil : "device must be this device's own id, the one its changes carry")
        }
        let teams = Set(events.compactMap { $0.sealed == nil ? nil : $0.team?.lowercased() })
        if !teams.isEmpty {
            let facts = try await transaction.sealedFacts(teams: teams)
            refusals = zip(events, refusals).map { event, refusal in
                refusal ?? HubPushRules.sealedRefusal(of: event, facts: facts, as: transaction.device)
            }
        }
        var batch = PushBatch(
            held: try await transaction.heldVersions(memoryIDs), logged: try await transaction.loggedEvents(events.map { $0.eventID.lowercased() })
        )
        let results = zip(events, refusals).map { event, refusal in batch.decide(event, refusal: refusal) }
        // Refused by the batch's own rules (a change of a memory the hub does not hold or the
        // pusher cannot see, under another team, or mixing sealed and clear): counted.
        incidents("refused_change", results.count { $0.status == .rejected } - refusals.count { $0 != nil })
        let met = try await transaction.latestEvents(batch.needingTheirLatest)
        if !batch.applied.isEmpty { try await transaction.write(batch) }
        return results.map { result in
            var result = result
            if let pending = batch.concurrentWith[result.eventID] { result.concurrentWith = pending ?? batch.memoryOf[result.eventID].flatMap { met[$0] } }
            return result
        }
    }

    // MARK: - Pull

    /// A page of the tenant's changes after the cursor a device sent (`nil`: from the start),
    /// with the cursor of its end sealed for the device: one transaction, authenticated in it.
    package func pull(cursor: String?, limit: Int, credential: String) async throws -> (page: PullPage, cursor: String) {
        try await repository.transaction(credential: credential) { transaction in
            let page = try await Self.pull(after: try await Self.openCursor(cursor, in: transaction), limit: limit, in: transaction)
            return (page, try await Self.sealCursor(page.nextCursor, in: transaction))
        }
    }

    /// A page after an open cursor, for a device already authenticated.
    package func pull(after cursor: SyncCursor, limit: Int, as device: AuthenticatedDevice) async throws -> PullPage {
        try await repository.transaction(as: device) { transaction in try await Self.pull(after: cursor, limit: limit, in: transaction) }
    }

    /// A page ends at `limit` events or after ``SyncLimits/maximumPullBytes`` of them, so a page
    /// of large memories stays well inside what a client takes in one answer.
    private static func pull(after cursor: SyncCursor, limit: Int, in transaction: Repository.Transaction) async throws -> PullPage {
        guard (1...SyncLimits.maximumPullEvents).contains(limit) else {
            throw TMWSError(.invalidInput, "limit must be between 1 and \(SyncLimits.maximumPullEvents)", field: "limit")
        }
        var payloads: [String] = []
        var bytes = 0
        var last = cursor
        var more = false
        try await transaction.changes(after: cursor, limit: limit + 1) { position, payload in
            guard payloads.count < limit, bytes < SyncLimits.maximumPullBytes else {
                more = true
                return false
            }
            last = position
            // A change larger than any valid event (logged before the hub checked bounds) is
            // passed over, never sent: it would make every node's pull fail for good.
            guard payload.utf8.count <= SyncLimits.maximumEventBytes else {
                incidents("oversized_logged_event", 1)
                return true
            }
            bytes += payload.utf8.count
            payloads.append(payload)
            return true
        }
        return PullPage(payloads: payloads, nextCursor: last, hasMore: more)
    }

    // MARK: - Cursors

    // Cursors as devices see them: opaque. A ``SyncCursor`` names a hub-wide transaction id and
    // sequence number, so a new tenant's first cursor would tell it how busy every other tenant
    // is. Devices get it sealed with AES-GCM under a key of their tenant's, as `c1.<base64url>`:
    // unreadable, and unforgeable across tenants. (Using one key for both the nonce's HMAC and
    // AES-GCM is deliberate and sound here: the HMAC output is only ever used as a nonce.)
    // A plain `v1.` cursor from a node of an earlier version is still read.

    /// The cursor a device passed, opened; `.start` for none.
    ///
    /// - Throws: `invalid_input` for a cursor that is not one this tenant's hub made.
    package func openCursor(_ text: String?, as device: AuthenticatedDevice) async throws -> SyncCursor {
        try await repository.transaction(as: device) { transaction in try await Self.openCursor(text, in: transaction) }
    }

    /// A cursor sealed for the device's tenant.
    package func sealCursor(_ cursor: SyncCursor, as device: AuthenticatedDevice) async throws -> String {
        try await repository.transaction(as: device) { transaction in try await Self.sealCursor(cursor, in: transaction) }
    }

    private static func openCursor(_ text: String?, in transaction: Repository.Transaction) async throws -> SyncCursor {
        guard let text else { return .start }
        guard text.hasPrefix("c1.") else { return try SyncCursor(parsing: text) }
        let malformed = TMWSError(.invalidInput, "malformed cursor: pass the next_cursor of the previous pull, or none to start", field: "cursor")
        let device = transaction.device
        guard let sealed = Data(base64URLEncoded: String(text.dropFirst(3))), sealed.count == 12 + 16 + 16,
            let box = try? AES.GCM.SealedBox(combined: sealed),
            let plain = try? AES.GCM.open(box, using: try await cursorKey(transaction), authenticating: cursorContext(device))
        else { throw malformed }
        let bytes = Array(plain)
        let transactionID = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let sequence = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard sequence <= UInt64(Int64.max) else { throw malformed }
        return SyncCursor(transaction: transactionID, sequence: Int64(sequence))
    }

    private static func sealCursor(_ cursor: SyncCursor, in transaction: Repository.Transaction) async throws -> String {
        var plain: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { plain.append(UInt8(truncatingIfNeeded: cursor.transaction >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { plain.append(UInt8(truncatingIfNeeded: UInt64(cursor.sequence) >> UInt64(shift))) }
        // The nonce is derived from the position (as in AES-GCM-SIV): one position is always
        // the same text, so a node can tell a cursor that did not move; a nonce repeats only
        // with its plaintext, which reveals nothing more than that.
        let key = try await cursorKey(transaction)
        let nonce = try AES.GCM.Nonce(data: Array(HMAC<SHA256>.authenticationCode(for: plain, using: key)).prefix(12))
        let box = try AES.GCM.seal(plain, using: key, nonce: nonce, authenticating: cursorContext(transaction.device))
        return "c1." + box.combined!.base64URLEncodedString()
    }

    private static func cursorContext(_ device: AuthenticatedDevice) -> Data {
        Data(("tmws cursor v1 " + device.tenantID.uuidString.lowercased()).utf8)
    }

    private static func cursorKey(_ transaction: Repository.Transaction) async throws -> SymmetricKey {
        let material = try await transaction.cursorSecret()
        guard material.count >= 16 else { throw TMWSError(.storage, "the tenant has no cursor key (run tmws hub migrate)") }
        return SymmetricKey(data: SHA256.hash(data: material))
    }

    private static func incidents(_ kind: String, _ count: Int) {
        if count > 0 { Counter(label: "tmws_security_incidents_total", dimensions: [("kind", kind)]).increment(by: count) }
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
