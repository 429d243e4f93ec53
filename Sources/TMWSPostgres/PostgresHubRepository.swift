import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain

/// The hub's storage in PostgreSQL: each transaction authenticated and scoped
/// to the device's tenant (``HubDatabase``), row-level security under every statement. The
/// rules are the domain's (``HubSync``); this is SQL only.
package struct PostgresHubRepository: HubRepository {
    let database: HubDatabase
    let logger: Logger

    package init(database: HubDatabase, logger: Logger) {
        (self.database, self.logger) = (database, logger)
    }

    package func transaction<T: Sendable>(
        credential: String, _ body: @escaping @Sendable (PostgresHubTransaction) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await database.withDevice(credential: credential) { device, db in
            try await body(PostgresHubTransaction(device: device, db: db, logger: logger))
        }
    }

    package func transaction<T: Sendable>(
        as device: AuthenticatedDevice, _ body: @escaping @Sendable (PostgresHubTransaction) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await database.withTenant(device.context) { db in
            try await body(PostgresHubTransaction(device: device, db: db, logger: logger))
        }
    }
}

/// One transaction's statements, on its connection (push and pull here, teams in +Teams).
package struct PostgresHubTransaction: HubSyncTransaction, HubTeamTransaction {
    package let device: AuthenticatedDevice
    let db: PostgresConnection
    let logger: Logger

    /// Advisory locks, taken in one sorted order so two batches never deadlock.
    package func lock(memories memoryIDs: [String]) async throws {
        try await db.query(
            """
            SELECT pg_advisory_xact_lock(key) FROM (
                SELECT DISTINCT hashtextextended(id, 7201) AS key FROM unnest(\(memoryIDs)::text[]) AS id ORDER BY key
            ) AS locks
            """,
            logger: logger
        )
    }

    /// Bound only if unbound and no other device of the tenant carries it.
    package func bindOrigin(claiming claimed: String?) async throws -> String? {
        if let claimed, ChangeEvent.refusal(ofDevice: claimed) == nil {
            try await db.query(
                """
                UPDATE tmws.devices SET origin_device = \(claimed) WHERE device_id = \(device.deviceID) AND origin_device IS NULL
                  AND NOT EXISTS (SELECT 1 FROM tmws.devices AS other WHERE other.origin_device = \(claimed))
                """,
                logger: logger
            )
        }
        var bound: String?
        for try await origin in try await db.query(
            "SELECT origin_device FROM tmws.devices WHERE device_id = \(device.deviceID)", logger: logger
        ).decode(String?.self) {
            bound = origin
        }
        return bound
    }

    /// Each team's epoch and the user's membership, the teams whose current key the device
    /// holds (a device revoked from a team, or never added, has none whatever its user's
    /// membership), and the device's registered keys.
    package func sealedFacts(teams: Set<String>) async throws -> HubPushRules.SealedFacts {
        var epochs: [String: (epoch: Int?, member: Bool)] = [:]
        for try await (team, epoch, member) in try await db.query(
            """
            SELECT t.team_id::text, t.epoch, EXISTS (SELECT 1 FROM tmws.team_members m WHERE m.team_id = t.team_id
                                                      AND m.user_id = \(device.userID) AND m.removed_at IS NULL)
            FROM tmws.teams t WHERE t.team_id::text = ANY(\(Array(teams))::text[])
            """,
            logger: logger
        ).decode((String, Int?, Bool).self) {
            epochs[team] = (epoch, member)
        }
        var current: Set<String> = []
        for try await team in try await db.query(
            """
            SELECT k.team_id::text FROM tmws.team_keys k JOIN tmws.teams t ON t.tenant_id = k.tenant_id AND t.team_id = k.team_id
            WHERE k.device_id = \(device.deviceID) AND k.epoch = t.epoch AND k.team_id::text = ANY(\(Array(teams))::text[])
            """,
            logger: logger
        ).decode(String.self) {
            current.insert(team)
        }
        var keys: DevicePublicKeys?
        for try await (agreement, signing) in try await db.query(
            "SELECT agreement_key, signing_key FROM tmws.devices WHERE device_id = \(device.deviceID)", logger: logger
        ).decode((ByteBuffer?, ByteBuffer?).self) {
            if let agreement, let signing { keys = DevicePublicKeys(agreement: Array(buffer: agreement), signing: Array(buffer: signing)) }
        }
        return HubPushRules.SealedFacts(teams: epochs, currentKey: current, deviceKeys: keys)
    }

    /// Row-locked for the transaction.
    package func heldVersions(_ memoryIDs: [String]) async throws -> [String: PushBatch.Held] {
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

    package func loggedEvents(_ ids: [String]) async throws -> Set<String> {
        var logged: Set<String> = []
        for try await id in try await db.query(
            "SELECT event_id::text FROM tmws.change_log WHERE event_id = ANY(\(ids)::uuid[])", logger: logger
        ).decode(String.self) {
            logged.insert(id)
        }
        return logged
    }

    /// The last change logged for each memory (changes of one memory are logged under its
    /// lock, so in order).
    package func latestEvents(_ memoryIDs: Set<String>) async throws -> [String: ChangeEvent] {
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
    package func write(_ batch: PushBatch) async throws {
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

    /// The order names the table's column: a bare `ORDER BY committed_xid` would sort by the
    /// output column of that name, the transaction id as *text*, where "1000" comes before
    /// "999" and the cursor jumps past every change in between.
    package func changes(after cursor: SyncCursor, limit: Int, _ body: (SyncCursor, String) throws -> Bool) async throws {
        for try await (transaction, sequence, payload) in try await db.query(
            """
            SELECT log.committed_xid::text AS xid_text, log.seq, log.payload::text FROM tmws.change_log AS log
            WHERE (log.committed_xid, log.seq) > (\(String(cursor.transaction))::xid8, \(cursor.sequence))
              AND log.committed_xid < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY log.committed_xid, log.seq
            LIMIT \(limit)
            """,
            logger: logger
        ).decode((String, Int64, String).self) {
            guard try body(SyncCursor(transaction: UInt64(transaction) ?? 0, sequence: sequence), payload) else { break }
        }
    }

    package func cursorSecret() async throws -> [UInt8] {
        var found: [UInt8] = []
        for try await key in try await db.query(
            "SELECT cursor_key FROM tmws.tenants WHERE tenant_id = \(device.tenantID)", logger: logger
        ).decode(ByteBuffer.self) {
            found = Array(buffer: key)
        }
        return found
    }
}
