import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// What the hub does as its runtime role: authenticate devices, enroll them, and read GLOBAL
/// memories — every query in a transaction scoped to the caller's tenant (``HubDatabase``).
package struct HubStore: Sendable {
    package let database: HubDatabase
    let logger: Logger
    /// GLOBAL memories read since the last ``flushReads()`` (what the cold tier's "not read"
    /// means), kept in memory so a read never waits on a write.
    let reads = HubReads()

    package init(database: HubDatabase, logger: Logger = Logger(label: "tmws.hub.store")) {
        self.database = database
        self.logger = logger
    }

    package static func unauthorized() -> TMWSError { HubErrors.unauthorized() }

    // MARK: - Devices

    /// The device a credential belongs to; `unauthorized` for anything else (malformed,
    /// unknown, wrong secret, revoked), without saying which.
    package func authenticate(_ credential: String) async throws -> AuthenticatedDevice {
        try await database.withDevice(credential: credential) { device, _ in device }
    }

    /// Turns a one-time enrollment token into a device and its credential (returned once,
    /// stored only as a digest). The token is spent in the same transaction.
    package func enroll(token: String, deviceName: String, agreementKey: [UInt8]?, signingKey: [UInt8]?) async throws
        -> (credential: String, identity: HubIdentity)
    {
        let name = try HubInputRules.name(deviceName, of: "device", field: "device_name")
        try HubInputRules.checkDeviceKeys(agreement: agreementKey, signing: signingKey)
        guard let token = HubSecret(parsing: token, kind: .enrollment) else {
            throw TMWSError(.unauthorized, "unknown, used or expired enrollment token")
        }
        let deviceID = UUID()
        let credential = HubSecret(kind: .device, tenantID: token.tenantID, id: deviceID)
        let userID = try await database.withTenant(TenantContext(tenantID: token.tenantID, userID: nil)) { db -> UUID? in
            let spent = try await db.query(
                """
                UPDATE tmws.enrollment_tokens SET used_at = now(), device_id = \(deviceID)
                WHERE token_id = \(token.id) AND used_at IS NULL AND expires_at > now() AND token_sha256 = \(ByteBuffer(bytes: token.digest))
                RETURNING user_id
                """,
                logger: logger
            ).decode(UUID.self)
            var user: UUID?
            for try await id in spent { user = id }
            guard let user else { return nil }
            try await db.query(
                """
                INSERT INTO tmws.devices (tenant_id, device_id, user_id, name, credential_sha256, agreement_key, signing_key)
                VALUES (\(token.tenantID), \(deviceID), \(user), \(name), \(ByteBuffer(bytes: credential.digest)),
                        \(agreementKey.map { ByteBuffer(bytes: $0) }), \(signingKey.map { ByteBuffer(bytes: $0) }))
                """,
                logger: logger
            )
            try await HubAudit.append(
                db, tenant: token.tenantID, actor: "device:\(deviceID.uuidString.lowercased())", action: "enroll",
                object: "user:\(user.uuidString.lowercased())", details: "", logger: logger
            )
            return user
        }
        guard let userID else { throw TMWSError(.unauthorized, "unknown, used or expired enrollment token") }
        let identity = try await identity(of: AuthenticatedDevice(tenantID: token.tenantID, userID: userID, deviceID: deviceID))
        return (credential.text, identity)
    }

    package func identity(of device: AuthenticatedDevice) async throws -> HubIdentity {
        try await database.withTenant(device.context) { db in
            var identity: HubIdentity?
            for try await (tenantName, userName, deviceName) in try await db.query(
                """
                SELECT t.name, u.name, d.name FROM tmws.devices d
                JOIN tmws.users u ON u.tenant_id = d.tenant_id AND u.user_id = d.user_id
                JOIN tmws.tenants t ON t.tenant_id = d.tenant_id
                WHERE d.device_id = \(device.deviceID)
                """,
                logger: logger
            ).decode((String, String, String).self) {
                identity = HubIdentity(
                    tenantID: device.tenantID.lowercasedString, tenantName: tenantName, userID: device.userID.lowercasedString,
                    userName: userName, deviceID: device.deviceID.lowercasedString, deviceName: deviceName, teams: []
                )
            }
            guard var identity else { throw Self.unauthorized() }
            for try await (id, name, role) in try await db.query(
                """
                SELECT t.team_id, t.name, m.role FROM tmws.team_members m
                JOIN tmws.teams t ON t.tenant_id = m.tenant_id AND t.team_id = m.team_id
                WHERE m.user_id = \(device.userID) AND m.removed_at IS NULL ORDER BY t.name
                """,
                logger: logger
            ).decode((UUID, String, String).self) {
                identity.teams.append(.init(id: id.lowercasedString, name: name, role: role))
            }
            return identity
        }
    }

    // MARK: - GLOBAL memories

    static let memoryColumns = """
        memory_id, namespace, content, tags, importance, metadata::text, agent_id, version, hlc, origin_device,
        extract(epoch FROM created_at)::float8, extract(epoch FROM expires_at)::float8
        """

    typealias MemoryRow = (UUID, String, String, [String], Double, String, String, Int, Int64, String, Double, Double?)

    static func memory(_ row: MemoryRow) -> CloudMemory {
        let metadata = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(row.5.utf8))) ?? [:]
        return CloudMemory(
            id: row.0, namespace: row.1, content: row.2, tags: row.3, importance: row.4, metadata: metadata, agentID: row.6,
            version: row.7, hlc: row.8, originDevice: row.9, createdAt: Date(timeIntervalSince1970: row.10),
            expiresAt: row.11.map(Date.init(timeIntervalSince1970:))
        )
    }

    /// One live GLOBAL memory of the caller's tenant.
    package func globalMemory(_ id: UUID, as device: AuthenticatedDevice) async throws -> CloudMemory {
        let found = try await database.withTenant(device.context) { db in
            var found: CloudMemory?
            for try await row in try await db.query(
                """
                SELECT \(unescaped: Self.memoryColumns) FROM tmws.memories
                WHERE memory_id = \(id) AND scope = 'GLOBAL' AND NOT deleted AND (expires_at IS NULL OR expires_at > now())
                """,
                logger: logger
            ).decode(MemoryRow.self) {
                found = Self.memory(row)
            }
            // Not in the hot table: perhaps in the cold tier, read where it lies.
            if found == nil {
                for try await row in try await db.query(
                    """
                    SELECT \(unescaped: Self.memoryColumns) FROM tmws.cold_memories c, jsonb_array_elements(c.rows) e,
                           jsonb_populate_record(NULL::tmws.memories, e.value) AS m
                    WHERE c.memory_ids @> ARRAY[\(id)]::uuid[] AND e.value->>'memory_id' = \(id.lowercasedString)
                      AND m.tenant_id = c.tenant_id AND m.scope = 'GLOBAL' AND NOT m.deleted AND (m.expires_at IS NULL OR m.expires_at > now())
                    """,
                    logger: logger
                ).decode(MemoryRow.self) {
                    found = Self.memory(row)
                }
            }
            return found
        }
        guard let found else { throw TMWSError(.notFound, "no GLOBAL memory \(id.uuidString.lowercased()) in this tenant") }
        reads.record([found.id], tenant: device.tenantID)
        return found
    }

    /// GLOBAL memories of the caller's tenant matching `query` (PostgreSQL full text, every
    /// word first, then any word), best first.
    package func searchGlobal(_ query: String, limit: Int, as device: AuthenticatedDevice) async throws -> [(memory: CloudMemory, score: Double)] {
        let (every, some) = try Self.searchExpressions(query, limit: limit)
        let hits = try await database.withTenant(device.context) { db in
            for expression in [every, some] where !expression.isEmpty {
                let hits = try await Self.hits(
                    of: try await db.query(
                        """
                        SELECT \(unescaped: Self.memoryColumns), ts_rank(search, q)::float8 FROM tmws.memories, to_tsquery('simple', \(expression)) AS q
                        WHERE scope = 'GLOBAL' AND NOT deleted AND (expires_at IS NULL OR expires_at > now()) AND search @@ q
                        ORDER BY 13 DESC, hlc DESC LIMIT \(limit)
                        """,
                        logger: logger
                    ))
                if !hits.isEmpty || expression == some { return hits }
            }
            return []
        }
        reads.record(hits.map(\.memory.id), tenant: device.tenantID)
        return hits
    }

    /// The same for the holder of `credential`, authenticated inside the search's one
    /// statement (``HubSchema/searchFunction``): one round trip to the database, not eight.
    /// `unauthorized` for a credential that is malformed, unknown, wrong or revoked.
    package func searchGlobal(_ query: String, limit: Int, credential: String) async throws -> [(memory: CloudMemory, score: Double)] {
        guard let secret = HubSecret(parsing: credential, kind: .device) else { throw Self.unauthorized() }
        let (every, some) = try Self.searchExpressions(query, limit: limit)
        let logger = self.logger
        let hits = try await database.withoutTransaction { db in
            try await Self.hits(
                of: try await db.query(
                    """
                    SELECT * FROM tmws.search_global(\(secret.tenantID), \(secret.id), \(ByteBuffer(bytes: secret.digest)), \(every), \(some), \(limit)::integer)
                    """,
                    logger: logger
                ))
        }
        reads.record(hits.map(\.memory.id), tenant: secret.tenantID)
        return hits
    }

    /// A query's tsquery expressions: every word, then any word.
    static func searchExpressions(_ query: String, limit: Int) throws -> (every: String, some: String) {
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 1000 else {
            throw TMWSError(.invalidInput, "query must be 1 to 1,000 characters", field: "query")
        }
        guard (1...100).contains(limit) else { throw TMWSError(.invalidInput, "limit must be between 1 and 100", field: "limit") }
        let every = Self.tsquery(SearchText.terms(text, splittingRuns: false), joiner: " & ")
        let some = Self.tsquery(SearchText.terms(text, splittingRuns: true), joiner: " | ")
        guard !every.isEmpty else { throw TMWSError(.invalidInput, "the query has no searchable words", field: "query") }
        return (every, some)
    }

    /// Search hits from rows of ``memoryColumns`` and a rank.
    static func hits(of rows: PostgresRowSequence) async throws -> [(memory: CloudMemory, score: Double)] {
        var hits: [(memory: CloudMemory, score: Double)] = []
        for try await row in rows.decode((UUID, String, String, [String], Double, String, String, Int, Int64, String, Double, Double?, Double).self) {
            hits.append((Self.memory((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11)), row.12))
        }
        return hits
    }

    /// Terms in PostgreSQL's tsquery syntax, every lexeme quoted (so no query text is syntax):
    /// a prefix word as `'word':*`, a CJK phrase as its bigrams followed by one another.
    static func tsquery(_ terms: [SearchText.Term], joiner: String) -> String {
        func lexeme(_ text: String) -> String {
            "'" + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        }
        var seen = Set<String>()
        return terms.map { term -> String in
            switch term {
            case .word(let word, let prefix): return lexeme(word) + (prefix ? ":*" : "")
            case .phrase(let bigrams):
                if bigrams.count == 1, bigrams[0].unicodeScalars.count == 1 { return lexeme(bigrams[0]) + ":*" }
                return bigrams.count == 1 ? lexeme(bigrams[0]) : "(" + bigrams.map(lexeme).joined(separator: " <-> ") + ")"
            case .bigram(let bigram): return lexeme(bigram)
            }
        }
        .filter { seen.insert($0).inserted }
        .joined(separator: joiner)
    }
}

/// The hub's audit log: append-only, hash-chained per tenant, no memory text, no secrets.
enum HubAudit {
    static func append(
        _ db: PostgresConnection, tenant: UUID, actor: String, action: String, object: String, details: String, logger: Logger
    ) async throws {
        // Appends to one tenant's chain are serialised by a transaction-scoped advisory lock.
        try await db.query("SELECT pg_advisory_xact_lock(hashtextextended(\(tenant.uuidString.lowercased()), 7))", logger: logger)
        var last: (Int64, String) = (0, AuditRecord.genesisHash)
        for try await row in try await db.query(
            "SELECT seq, hash FROM tmws.audit_log WHERE tenant_id = \(tenant) ORDER BY seq DESC LIMIT 1", logger: logger
        ).decode((Int64, String).self) {
            last = row
        }
        let sequence = last.0 + 1
        let at = Date()
        let atText = ISO8601.string(from: at)
        let material = [String(sequence), tenant.uuidString.lowercased(), atText, actor, action, object, details, last.1].joined(separator: "\n")
        let hash = Hex.encode(SHA256.hash(data: Data(material.utf8)))
        try await db.query(
            """
            INSERT INTO tmws.audit_log (tenant_id, seq, at, actor, action, object_id, details, previous_hash, hash)
            VALUES (\(tenant), \(sequence), \(at), \(actor), \(action), \(object), \(details), \(last.1), \(hash))
            """,
            logger: logger
        )
    }
}

extension UUID {
    /// The lower-case form every TMWS interface writes.
    package var lowercasedString: String { uuidString.lowercased() }
}

// Push and pull: the domain's rules (``HubSync``) over PostgreSQL.
extension HubStore: HubService {
    package var repository: PostgresHubRepository { PostgresHubRepository(database: database, logger: logger) }
    package var sync: HubSync<PostgresHubRepository> { HubSync(repository: repository) }

    package func tenantStorage() async throws -> [TenantStorage] {
        let logger = self.logger
        return try await database.withoutTransaction { db in
            var sizes: [TenantStorage] = []
            for try await (tenant, memories, bytes) in try await db.query(
                "SELECT tenant_id, memories, stored_bytes FROM tmws.tenant_storage()", logger: logger
            ).decode((UUID, Int64, Int64).self) {
                sizes.append(TenantStorage(tenantID: tenant, memories: memories, storedBytes: bytes))
            }
            return sizes
        }
    }

    package func push(_ events: [ChangeEvent], credential: String) async throws -> [PushResult] {
        try await sync.push(events, credential: credential)
    }

    package func pull(cursor: String?, limit: Int, credential: String) async throws -> (page: PullPage, cursor: String) {
        try await sync.pull(cursor: cursor, limit: limit, credential: credential)
    }
}
