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
        try await HubDatabase.lockMemories(memoryIDs, on: db, logger: logger)
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
    /// A memory in the cold tier is brought back first, so a change to it is decided against
    /// it like any other (a node that holds a memory the hub archived is never refused for it).
    package func heldVersions(_ memoryIDs: [String]) async throws -> [String: PushBatch.Held] {
        var held = try await hotVersions(memoryIDs)
        let missing = memoryIDs.filter { held[$0] == nil }
        if !missing.isEmpty, try await bringBack(missing) > 0 {
            held.merge(try await hotVersions(missing)) { _, new in new }
        }
        return held
    }

    private func hotVersions(_ memoryIDs: [String]) async throws -> [String: PushBatch.Held] {
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

    /// Moves these memories from the cold tier back into the hot table, in one statement:
    /// their rows as they were, and their batches without them. How many came back.
    func bringBack(_ memoryIDs: [String]) async throws -> Int {
        let columns = HubSchema.memoryColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        // Brought back means wanted: read now, so the next archive run does not move it again.
        let values = columns.map { $0 == "read_at" ? "now()" : "m." + $0 }.joined(separator: ", ")
        var restored = 0
        for try await count in try await db.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH back AS (
                        SELECT c.tenant_id, c.batch_id, e.value AS row FROM tmws.cold_memories c, jsonb_array_elements(c.rows) e
                        WHERE c.memory_ids && $1::uuid[] AND e.value->>'memory_id' = ANY($2::text[])
                    ), restored AS (
                        INSERT INTO tmws.memories (\(columns.joined(separator: ", ")))
                        SELECT \(values) FROM back, jsonb_populate_record(NULL::tmws.memories, back.row) AS m
                        WHERE m.tenant_id = back.tenant_id
                        ON CONFLICT DO NOTHING RETURNING memory_id
                    ), emptied AS (
                        UPDATE tmws.cold_memories c SET
                            rows = coalesce((SELECT jsonb_agg(e.value) FROM jsonb_array_elements(c.rows) e
                                             WHERE NOT e.value->>'memory_id' = ANY($2::text[])), '[]'::jsonb),
                            memory_ids = ARRAY(SELECT unnest(c.memory_ids) EXCEPT SELECT unnest($1::uuid[])),
                            hot_bytes = c.hot_bytes * cardinality(ARRAY(SELECT unnest(c.memory_ids) EXCEPT SELECT unnest($1::uuid[])))
                                        / greatest(cardinality(c.memory_ids), 1)
                        WHERE c.batch_id IN (SELECT batch_id FROM back) RETURNING 1
                    )
                    SELECT count(*)::int FROM restored
                    """,
                binds: try Self.binds(memoryIDs)
            ),
            logger: logger
        ).decode(Int.self) {
            restored = count
        }
        return restored
    }

    static func binds(_ memoryIDs: [String]) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(memoryIDs.compactMap(UUID.init(uuidString:)))
        binds.append(memoryIDs.map { $0.lowercased() })
        return binds
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
