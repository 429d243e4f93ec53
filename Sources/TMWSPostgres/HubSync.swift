import Foundation
import Logging
import Metrics
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain

extension HubStore {

    /// Applies a batch of change events in one transaction, idempotent by event id, with a
    /// result per event. The hub checks every event again: only GLOBAL memories are taken in
    /// plaintext (SHARED ones need end-to-end encryption), and content with sensitive data is
    /// refused (the node's classifier should have stopped it first).
    ///
    /// ``SyncMerge`` decides each event against the hub's version, exactly as every node does,
    /// so all of them keep the same winner. A change that loses is answered `conflict` and not
    /// logged (the winner already is); a concurrent one, won or lost, comes back with the
    /// version it met so the node can keep the conflict. The batch is decided in memory, in
    /// order, and written with a fixed number of statements whatever its size.
    package func push(_ events: [ChangeEvent], as device: AuthenticatedDevice) async throws -> [PushResult] {
        guard events.count <= SyncLimits.maximumPushEvents else {
            throw TMWSError(.invalidInput, "at most \(SyncLimits.maximumPushEvents) events per push, got \(events.count)", field: "events")
        }
        // The events' checks (bounds, then the classifier, on every core), before the transaction.
        let now = Date()
        let refusals = await events.parallelMap { HubPushRules.refusal(of: $0, receivedAt: now) }
        let sensitive = refusals.filter { $0?.hasPrefix("sensitive data") == true }.count
        if sensitive > 0 { Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "blocked_sensitive_push")]).increment(by: sensitive) }
        let outOfBounds = refusals.count { $0 != nil } - sensitive
        if outOfBounds > 0 { Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "refused_event")]).increment(by: outOfBounds) }
        do {
            return try await apply(events, refusals, as: device)
        } catch is HubDatabase.DataRefusal where events.count > 1 {
            // One event the database refuses is answered `rejected`, never a failed batch:
            // the batch again, one event a transaction, to find it.
            var results: [PushResult] = []
            for (event, refusal) in zip(events, refusals) {
                do {
                    results += try await apply([event], [refusal], as: device)
                } catch is HubDatabase.DataRefusal {
                    results.append(PushResult(eventID: event.eventID, status: .rejected, reason: "the hub's database refused this event's data"))
                }
            }
            return results
        } catch is HubDatabase.DataRefusal {
            return [PushResult(eventID: events[0].eventID, status: .rejected, reason: "the hub's database refused this event's data")]
        }
    }

    /// One push in one transaction.
    private func apply(_ events: [ChangeEvent], _ refusals: [String?], as device: AuthenticatedDevice) async throws -> [PushResult] {
        let memoryIDs = Array(Set(events.map { $0.memoryID.description })).sorted()
        return try await database.withTenant(device.context) { db in
            // One push at a time per memory: a batch sent again while its first copy is still
            // being applied (the node was killed, or timed out, and retried) waits here, then
            // finds its events logged and answers `duplicate`. Taken in one sorted order, so
            // two batches never deadlock.
            try await db.query(
                """
                SELECT pg_advisory_xact_lock(key) FROM (
                    SELECT DISTINCT hashtextextended(id, 7201) AS key FROM unnest(\(memoryIDs)::text[]) AS id ORDER BY key
                ) AS locks
                """,
                logger: logger
            )
            let origin = try await origin(of: device, claimed: events.first?.device, on: db)
            let refusals = try await sealedRefusals(
                events,
                zip(events, refusals).map { event, refusal in
                    refusal ?? (event.device == origin ? nil : "device must be this device's own id, the one its changes carry")
                }, as: device, on: db
            )
            var batch = PushBatch(held: try await heldVersions(memoryIDs, on: db), logged: try await loggedEvents(events, on: db))
            let results = zip(events, refusals).map { event, refusal in batch.decide(event, refusal: refusal) }
            // Refused by the batch's own rules (a change of a memory the hub does not hold or
            // the pusher cannot see, under another team, or mixing sealed and clear): counted.
            let bound = results.count { $0.status == .rejected } - refusals.count { $0 != nil }
            if bound > 0 { Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "refused_change")]).increment(by: bound) }
            let met = try await latestEvents(batch.needingTheirLatest, on: db)
            try await write(batch, as: device, on: db)
            return results.map { result in
                var result = result
                if let pending = batch.concurrentWith[result.eventID] { result.concurrentWith = pending ?? met[batch.memoryOf[result.eventID]!] }
                return result
            }
        }
    }

    /// The hub's versions of these memories, locked for the transaction.
    private func heldVersions(_ memoryIDs: [String], on db: PostgresConnection) async throws -> [String: PushBatch.Held] {
        var held: [String: PushBatch.Held] = [:]
        // A SHARED row of a team the device's user is not in is not seen here (row-level
        // security): a change to it finds no memory, and a create under its id is refused by
        // the primary key, so neither says which team holds it.
        for try await (id, version, hlc, origin, deleted, shared, team) in try await db.query(
            """
            SELECT memory_id::text, version, hlc, origin_device, deleted, scope = 'SHARED', team_id::text FROM tmws.memories
            WHERE memory_id = ANY(\(memoryIDs)::uuid[]) FOR UPDATE
            """,
            logger: logger
        ).decode((String, Int, Int64, String, Bool, Bool, String?).self) {
            held[id] = PushBatch.Held(
                version: version, replica: ReplicaVersion(clock: HybridTimestamp(rawValue: hlc), device: origin, deleted: deleted), inDatabase: true,
                shared: shared, team: team?.lowercased()
            )
        }
        return held
    }

    /// The events of the batch the change log already holds.
    private func loggedEvents(_ events: [ChangeEvent], on db: PostgresConnection) async throws -> Set<String> {
        let ids = events.map { $0.eventID.lowercased() }
        var logged: Set<String> = []
        for try await id in try await db.query(
            "SELECT event_id::text FROM tmws.change_log WHERE event_id = ANY(\(ids)::uuid[])", logger: logger
        ).decode(String.self) {
            logged.insert(id)
        }
        return logged
    }

    /// The change that made the hub's current version of each memory: the last one logged for
    /// it (changes of one memory are logged under its lock, so in order).
    private func latestEvents(_ memoryIDs: Set<String>, on db: PostgresConnection) async throws -> [String: ChangeEvent] {
        guard !memoryIDs.isEmpty else { return [:] }
        var latest: [String: ChangeEvent] = [:]
        for try await (id, payload) in try await db.query(
            """
            SELECT DISTINCT ON (memory_id) memory_id::text, payload::text FROM tmws.change_log
            WHERE memory_id = ANY(\(Array(memoryIDs))::uuid[]) ORDER BY memory_id, seq DESC
            """,
            logger: logger
        ).decode((String, String).self) {
            latest[id] = try ChangeEvent.decode(Data(payload.utf8))
        }
        return latest
    }

    /// Writes what the batch decided: each memory's final version (new rows inserted, held
    /// ones updated), then the change log in the batch's order — at most four statements,
    /// each over arrays, whatever the batch's size.
    private func write(_ batch: PushBatch, as device: AuthenticatedDevice, on db: PostgresConnection) async throws {
        guard !batch.applied.isEmpty else { return }
        var inserts = MemoryRows()
        var updates = MemoryRows()
        var sealedInserts = SealedRows()
        var sealedUpdates = SealedRows()
        var tombstones: (ids: [UUID], versions: [Int], clocks: [Int64], devices: [String]) = ([], [], [], [])
        for final in batch.finalVersions {
            if final.event.sealed != nil, final.event.operation != .delete {
                if final.inDatabase { sealedUpdates.append(final.event) } else { sealedInserts.append(final.event) }
                continue
            }
            // A live version, or the tombstone of a memory this batch created (its row needs
            // the fields of the version it replaces).
            if let fields = final.event.memory ?? (final.inDatabase ? nil : final.lastFields) {
                if final.inDatabase { updates.append(final.event, fields) } else { inserts.append(final.event, fields) }
            } else if final.inDatabase {
                tombstones.ids.append(final.event.memoryID.uuid)
                tombstones.versions.append(final.event.version)
                tombstones.clocks.append(final.event.clock.rawValue)
                tombstones.devices.append(final.event.device)
            }
        }
        if !inserts.ids.isEmpty {
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, deleted,
                                           content, search_text, tags, importance, metadata, agent_id, created_at, expires_at, classification)
                SELECT \(device.tenantID), r.id, 'GLOBAL', \(device.userID), r.ns, r.v, r.h, r.d, r.del, r.c, NULLIF(r.s, ''),
                       r.t::text[], r.imp, r.m::jsonb, r.a, r.cr::timestamptz,
                       NULLIF(r.ex, '')::timestamptz, NULLIF(r.cl, '')::jsonb
                FROM unnest(\(inserts.ids)::uuid[], \(inserts.namespaces)::text[], \(inserts.versions)::integer[], \(inserts.clocks)::bigint[],
                            \(inserts.devices)::text[], \(inserts.deleted)::boolean[], \(inserts.contents)::text[], \(inserts.searchTexts)::text[],
                            \(inserts.tags)::text[], \(inserts.importances)::double precision[], \(inserts.metadata)::text[],
                            \(inserts.agents)::text[], \(inserts.created)::text[], \(inserts.expires)::text[], \(inserts.classifications)::text[])
                     AS r(id, ns, v, h, d, del, c, s, t, imp, m, a, cr, ex, cl)
                """,
                logger: logger
            )
        }
        if !updates.ids.isEmpty {
            try await db.query(
                """
                UPDATE tmws.memories AS mem SET scope = 'GLOBAL', team_id = NULL, key_epoch = NULL, header = NULL, ciphertext = NULL,
                    namespace = r.ns, version = r.v, hlc = r.h, origin_device = r.d, deleted = r.del, content = r.c,
                    search_text = NULLIF(r.s, ''), tags = r.t::text[], importance = r.imp,
                    metadata = r.m::jsonb, agent_id = r.a, expires_at = NULLIF(r.ex, '')::timestamptz, classification = NULLIF(r.cl, '')::jsonb,
                    updated_at = now()
                FROM unnest(\(updates.ids)::uuid[], \(updates.namespaces)::text[], \(updates.versions)::integer[], \(updates.clocks)::bigint[],
                            \(updates.devices)::text[], \(updates.deleted)::boolean[], \(updates.contents)::text[], \(updates.searchTexts)::text[],
                            \(updates.tags)::text[], \(updates.importances)::double precision[], \(updates.metadata)::text[],
                            \(updates.agents)::text[], \(updates.expires)::text[], \(updates.classifications)::text[])
                     AS r(id, ns, v, h, d, del, c, s, t, imp, m, a, ex, cl)
                WHERE mem.memory_id = r.id
                """,
                logger: logger
            )
        }
        if !sealedInserts.ids.isEmpty {
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, team_id, owner_user_id, namespace, version, hlc, origin_device, deleted,
                                           content, created_at, key_epoch, header, ciphertext)
                SELECT \(device.tenantID), r.id, 'SHARED', r.tm, \(device.userID), '', r.v, r.h, r.d, false, NULL, now(), r.e,
                       decode(r.hd, 'base64'), decode(r.ct, 'base64')
                FROM unnest(\(sealedInserts.ids)::uuid[], \(sealedInserts.teams)::uuid[], \(sealedInserts.versions)::integer[],
                            \(sealedInserts.clocks)::bigint[], \(sealedInserts.devices)::text[], \(sealedInserts.epochs)::integer[],
                            \(sealedInserts.headers)::text[], \(sealedInserts.ciphertexts)::text[])
                     AS r(id, tm, v, h, d, e, hd, ct)
                """,
                logger: logger
            )
        }
        if !sealedUpdates.ids.isEmpty {
            try await db.query(
                """
                UPDATE tmws.memories AS mem SET scope = 'SHARED', team_id = r.tm, namespace = '', version = r.v, hlc = r.h, origin_device = r.d,
                    deleted = false, content = NULL, search_text = NULL, tags = '{}', metadata = '{}', classification = NULL, agent_id = '',
                    key_epoch = r.e, header = decode(r.hd, 'base64'), ciphertext = decode(r.ct, 'base64'), updated_at = now()
                FROM unnest(\(sealedUpdates.ids)::uuid[], \(sealedUpdates.teams)::uuid[], \(sealedUpdates.versions)::integer[],
                            \(sealedUpdates.clocks)::bigint[], \(sealedUpdates.devices)::text[], \(sealedUpdates.epochs)::integer[],
                            \(sealedUpdates.headers)::text[], \(sealedUpdates.ciphertexts)::text[])
                     AS r(id, tm, v, h, d, e, hd, ct)
                WHERE mem.memory_id = r.id
                """,
                logger: logger
            )
        }
        if !tombstones.ids.isEmpty {
            try await db.query(
                """
                UPDATE tmws.memories AS mem SET deleted = true, content = CASE WHEN mem.scope = 'SHARED' THEN NULL ELSE '' END,
                    search_text = NULL, tags = '{}', metadata = '{}', header = NULL, ciphertext = NULL,
                    classification = NULL, version = r.v, hlc = r.h, origin_device = r.d, updated_at = now()
                FROM unnest(\(tombstones.ids)::uuid[], \(tombstones.versions)::integer[], \(tombstones.clocks)::bigint[], \(tombstones.devices)::text[])
                     AS r(id, v, h, d)
                WHERE mem.memory_id = r.id
                """,
                logger: logger
            )
        }
        let applied = batch.applied
        try await db.query(
            """
            INSERT INTO tmws.change_log (tenant_id, event_id, memory_id, operation, version, hlc, device_id, payload, scope, team_id)
            SELECT \(device.tenantID), r.e, r.m, r.o, r.v, r.h, \(device.deviceID), r.p::jsonb,
                   CASE WHEN r.tm = '' THEN 'GLOBAL' ELSE 'SHARED' END, NULLIF(r.tm, '')::uuid
            FROM unnest(\(applied.map { UUID(uuidString: $0.eventID)! })::uuid[], \(applied.map(\.memoryID.uuid))::uuid[],
                        \(applied.map(\.operation.rawValue))::text[], \(applied.map(\.version))::integer[], \(applied.map(\.clock.rawValue))::bigint[],
                        \(applied.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })::text[],
                        \(applied.map { $0.sealed == nil ? "" : $0.team ?? "" })::text[])
                 WITH ORDINALITY AS r(e, m, o, v, h, p, tm, n)
            ORDER BY r.n
            """,
            logger: logger
        )
    }

    /// The tenant's changes after `cursor` that this device may read, oldest first (see
    /// ``SyncCursor`` for why no change is ever skipped). The order names the table's column:
    /// a bare `ORDER BY committed_xid` would sort by the output column of that name, the
    /// transaction id as *text*, where "1000" comes before "999" and the cursor jumps past
    /// every change in between.
    package func pull(after cursor: SyncCursor, limit: Int, as device: AuthenticatedDevice) async throws -> PullPage {
        guard (1...SyncLimits.maximumPullEvents).contains(limit) else {
            throw TMWSError(.invalidInput, "limit must be between 1 and \(SyncLimits.maximumPullEvents)", field: "limit")
        }
        return try await database.withTenant(device.context) { db in
            var payloads: [String] = []
            var bytes = 0
            var last = cursor
            var more = false
            for try await (transaction, sequence, payload) in try await db.query(
                """
                SELECT log.committed_xid::text AS xid_text, log.seq, log.payload::text FROM tmws.change_log AS log
                WHERE (log.committed_xid, log.seq) > (\(String(cursor.transaction))::xid8, \(cursor.sequence))
                  AND log.committed_xid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY log.committed_xid, log.seq
                LIMIT \(limit + 1)
                """,
                logger: logger
            ).decode((String, Int64, String).self) {
                // A page ends at `limit` events or after `maximumPullBytes` of them, so a page
                // of large memories stays well inside what a client takes in one answer.
                guard payloads.count < limit, bytes < SyncLimits.maximumPullBytes else {
                    more = true
                    break
                }
                last = SyncCursor(transaction: UInt64(transaction) ?? 0, sequence: sequence)
                // A change larger than any valid event (logged before the hub checked bounds)
                // is passed over, never sent: it would make every node's pull fail for good.
                guard payload.utf8.count <= SyncLimits.maximumEventBytes else {
                    Counter(label: "tmws_security_incidents_total", dimensions: [("kind", "oversized_logged_event")]).increment()
                    continue
                }
                bytes += payload.utf8.count
                payloads.append(payload)
            }
            return PullPage(payloads: payloads, nextCursor: last, hasMore: more)
        }
    }
}
