import GRDB
import TMWSCore

/// The one writer of a memory's row, its tags and its full-text index entry. Local writes
/// and remote changes both go through it, so the three can never drift apart.
enum MemoryRowWriter {
    /// Inserts a new row for `memory`, with its tags and index entry; returns the row number.
    static func insert(_ memory: Memory, in db: Database) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO memory(id, tenant_id, namespace, scope, content, importance, metadata, agent_id,
                                   created_at, updated_hlc, version, origin_device, expires_at, classification, team_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                memory.id.description, memory.tenantID, memory.namespace.rawValue, memory.scope.rawValue, memory.content,
                memory.importance, MemoryRow.encodeMetadata(memory.metadata), memory.agentID,
                MemoryRow.millis(memory.createdAt), memory.updatedAt.rawValue, memory.version, memory.originDevice,
                memory.expiresAt.map(MemoryRow.millis), MemoryRow.encodeClassification(memory.classification), memory.team,
            ]
        )
        let seq = db.lastInsertedRowID
        try insertTags(memory.tags, atRow: seq, in: db)
        try index(memory.content, atRow: seq, in: db)
        return seq
    }

    /// Rewrites the row at `seq`, which holds `old` (live or a tombstone), to the live
    /// `memory`: every replicated column, then the tags and the index entry where they changed.
    static func rewrite(_ old: Memory, atRow seq: Int64, to memory: Memory, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE memory SET namespace = ?, scope = ?, content = ?, importance = ?, metadata = ?, agent_id = ?,
                    created_at = ?, updated_hlc = ?, version = ?, origin_device = ?, expires_at = ?, classification = ?,
                    team_id = ?, deleted = 0
                WHERE seq = ?
                """
        ).execute(
            arguments: [
                memory.namespace.rawValue, memory.scope.rawValue, memory.content, memory.importance,
                MemoryRow.encodeMetadata(memory.metadata), memory.agentID, MemoryRow.millis(memory.createdAt),
                memory.updatedAt.rawValue, memory.version, memory.originDevice, memory.expiresAt.map(MemoryRow.millis),
                MemoryRow.encodeClassification(memory.classification), memory.team, seq,
            ]
        )
        // A tombstone has neither tags nor an index entry.
        if old.deleted || memory.content != old.content {
            if !old.deleted { try removeFromIndex(old.content, atRow: seq, in: db) }
            try index(memory.content, atRow: seq, in: db)
        }
        if old.deleted || memory.tags != old.tags {
            if !old.deleted { try deleteTags(atRow: seq, in: db) }
            try insertTags(memory.tags, atRow: seq, in: db)
        }
    }

    /// Turns the row at `seq`, which holds the live `old`, into `tombstone`: the text leaves
    /// the row, the index and the tags.
    static func bury(_ old: Memory, atRow seq: Int64, as tombstone: Memory, in db: Database) throws {
        try removeFromIndex(old.content, atRow: seq, in: db)
        try deleteTags(atRow: seq, in: db)
        try db.cachedStatement(
            sql: """
                UPDATE memory SET content = '', metadata = '{}', deleted = 1, version = ?, updated_hlc = ?, agent_id = ?,
                    origin_device = ?, classification = NULL
                WHERE seq = ?
                """
        ).execute(arguments: [tombstone.version, tombstone.updatedAt.rawValue, tombstone.agentID, tombstone.originDevice, seq])
    }

    /// Removes the row at `seq` (holding the live `memory`) with its tags and index entry.
    static func remove(_ memory: Memory, atRow seq: Int64, in db: Database) throws {
        try removeFromIndex(memory.content, atRow: seq, in: db)
        try deleteTags(atRow: seq, in: db)
        try db.cachedStatement(sql: "DELETE FROM memory WHERE seq = ?").execute(arguments: [seq])
    }

    static func index(_ content: String, atRow seq: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO memory_fts(rowid, body) VALUES (?, ?)").execute(arguments: [seq, FTSText.indexText(content)])
    }

    /// Removes a row's entry from the contentless index (which needs the text it was indexed with).
    static func removeFromIndex(_ content: String, atRow seq: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO memory_fts(memory_fts, rowid, body) VALUES ('delete', ?, ?)")
            .execute(arguments: [seq, FTSText.indexText(content)])
    }

    private static func insertTags(_ tags: [String], atRow seq: Int64, in db: Database) throws {
        guard !tags.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO memory_tag(tag, memory_seq) VALUES (?, ?)")
        for tag in tags {
            try statement.execute(arguments: [tag, seq])
        }
    }

    private static func deleteTags(atRow seq: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM memory_tag WHERE memory_seq = ?").execute(arguments: [seq])
    }
}
