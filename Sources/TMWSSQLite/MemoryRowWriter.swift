import Foundation
import GRDB
import TMWSCore

/// The one writer of a memory's row, its tags and its full-text index entry. Local writes
/// and remote changes both go through it, so the three can never drift apart.
enum MemoryRowWriter {
    /// Inserts a new row for `memory`, with its tags and index entry; returns the row number.
    /// The memory's review is decided here (``MemoryReview``), so every write path gets one.
    static func insert(_ memory: inout Memory, in db: Database) throws -> Int64 {
        memory.review = MemoryReview.after(memory, previous: nil)
        try db.cachedStatement(
            sql: """
                INSERT INTO memory(id, tenant_id, namespace, scope, content, importance, metadata, agent_id,
                                   created_at, updated_hlc, version, origin_device, expires_at, classification, team_id,
                                   supersedes, pinned, review, review_kinds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                memory.id.description, memory.tenantID, memory.namespace.rawValue, memory.scope.rawValue, memory.content,
                memory.importance, MemoryRow.encodeMetadata(memory.metadata), memory.agentID,
                MemoryRow.millis(memory.createdAt), memory.updatedAt.rawValue, memory.version, memory.originDevice,
                memory.expiresAt.map(MemoryRow.millis), MemoryRow.encodeClassification(memory.classification), memory.team,
                memory.supersedes?.description, memory.pinned, memory.review?.state.rawValue, MemoryRow.encodeKinds(memory.review),
            ]
        )
        let seq = db.lastInsertedRowID
        try insertTags(memory.tags, atRow: seq, in: db)
        try index(memory.content, atRow: seq, in: db)
        return seq
    }

    /// Rewrites the row at `seq`, which holds `old` (live, archived, evicted or a tombstone),
    /// to the live `memory`: every replicated column, then the tags and the index entry where
    /// they changed. An archived memory comes back from the archive; an evicted one is held again.
    static func rewrite(_ old: Memory, atRow seq: Int64, to memory: inout Memory, in db: Database) throws {
        memory.review = MemoryReview.after(memory, previous: old)
        try db.cachedStatement(
            sql: """
                UPDATE memory SET namespace = ?, scope = ?, content = ?, importance = ?, metadata = ?, agent_id = ?,
                    created_at = ?, updated_hlc = ?, version = ?, origin_device = ?, expires_at = ?, classification = ?,
                    team_id = ?, supersedes = ?, pinned = ?, review = ?, review_kinds = ?,
                    deleted = 0, archived = 0, evicted = 0, evicted_digest = NULL
                WHERE seq = ?
                """
        ).execute(
            arguments: [
                memory.namespace.rawValue, memory.scope.rawValue, memory.content, memory.importance,
                MemoryRow.encodeMetadata(memory.metadata), memory.agentID, MemoryRow.millis(memory.createdAt),
                memory.updatedAt.rawValue, memory.version, memory.originDevice, memory.expiresAt.map(MemoryRow.millis),
                MemoryRow.encodeClassification(memory.classification), memory.team, memory.supersedes?.description, memory.pinned,
                memory.review?.state.rawValue, MemoryRow.encodeKinds(memory.review), seq,
            ]
        )
        // A tombstone and an evicted row have neither tags nor an index entry.
        let bare = old.deleted || old.evicted
        if bare || old.archived || memory.content != old.content {
            if !bare { try removeFromIndex(old, atRow: seq, in: db) }
            try index(memory.content, atRow: seq, in: db)
        }
        if bare || memory.tags != old.tags {
            if !bare { try deleteTags(atRow: seq, in: db) }
            try insertTags(memory.tags, atRow: seq, in: db)
        }
    }

    /// Turns the row at `seq`, which holds `old` (live, archived or evicted), into `tombstone`:
    /// the text leaves the row, the index and the tags.
    static func bury(_ old: Memory, atRow seq: Int64, as tombstone: Memory, in db: Database) throws {
        if !old.evicted {
            try removeFromIndex(old, atRow: seq, in: db)
            try deleteTags(atRow: seq, in: db)
        }
        try db.cachedStatement(
            sql: """
                UPDATE memory SET content = '', metadata = '{}', deleted = 1, archived = 0, evicted = 0, evicted_digest = NULL, version = ?,
                    updated_hlc = ?, agent_id = ?, origin_device = ?, classification = NULL, supersedes = NULL, pinned = 0,
                    review = NULL, review_kinds = NULL
                WHERE seq = ?
                """
        ).execute(arguments: [tombstone.version, tombstone.updatedAt.rawValue, tombstone.agentID, tombstone.originDevice, seq])
    }

    /// Lets go of a held GLOBAL memory's text (the hot cache): the row is replaced by a small
    /// one that keeps its identity, scope, version and read counts, so later changes and
    /// deletes still merge; the text, tags, metadata and index entry go. Replacing the row
    /// (not blanking it in place) frees whole pages as old memories go, and new rows reuse
    /// them, so a node's file stays the size of what it holds.
    static func evict(_ old: Memory, atRow seq: Int64, in db: Database) throws {
        try removeFromIndex(old, atRow: seq, in: db)
        try deleteTags(atRow: seq, in: db)
        try db.cachedStatement(sql: "DELETE FROM memory WHERE seq = ?").execute(arguments: [seq])
        try db.cachedStatement(
            sql: """
                INSERT INTO memory(id, tenant_id, namespace, scope, content, importance, metadata, agent_id, created_at, updated_hlc,
                                   version, origin_device, expires_at, access_count, accessed_at, team_id, classification,
                                   supersedes, evicted, evicted_digest)
                VALUES (?, ?, ?, ?, '', ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                """
        ).execute(
            arguments: [
                old.id.description, old.tenantID, old.namespace.rawValue, old.scope.rawValue, old.importance, old.agentID,
                MemoryRow.millis(old.createdAt), old.updatedAt.rawValue, old.version, old.originDevice, old.expiresAt.map(MemoryRow.millis),
                old.accessCount, old.accessedAt.map(MemoryRow.millis), old.team, MemoryRow.encodeClassification(old.classification),
                old.supersedes?.description, digest(of: old),
            ]
        )
    }

    /// A newer version of an evicted memory, pulled: the row follows it without its text.
    static func followEvicted(_ memory: Memory, atRow seq: Int64, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE memory SET namespace = ?, scope = ?, importance = ?, agent_id = ?, created_at = ?, updated_hlc = ?,
                    version = ?, origin_device = ?, expires_at = ?, team_id = ?, classification = ?, supersedes = ?, pinned = ?,
                    deleted = 0, evicted_digest = ?
                WHERE seq = ?
                """
        ).execute(
            arguments: [
                memory.namespace.rawValue, memory.scope.rawValue, memory.importance, memory.agentID, MemoryRow.millis(memory.createdAt),
                memory.updatedAt.rawValue, memory.version, memory.originDevice, memory.expiresAt.map(MemoryRow.millis), memory.team,
                MemoryRow.encodeClassification(memory.classification), memory.supersedes?.description, memory.pinned,
                digest(of: memory), seq,
            ]
        )
    }

    /// What an evicted row keeps of `memory`'s text (see ``EvictedDigest``).
    static func digest(of memory: Memory) -> String {
        EvictedDigest.of(content: memory.content, tags: memory.tags, metadata: MemoryRow.encodeMetadata(memory.metadata))
    }

    /// Moves a live memory's text into the archive: compressed, and indexed in `archive_fts`
    /// instead of the default index.
    static func archive(_ old: Memory, atRow seq: Int64, at now: Date, in db: Database) throws {
        try removeFromIndex(old, atRow: seq, in: db)
        try db.cachedStatement(sql: "INSERT INTO memory_archive(memory_seq, content, archived_at) VALUES (?, ?, ?)")
            .execute(arguments: [seq, Data(ArchivedText.compress(old.content)), MemoryRow.millis(now)])
        try db.cachedStatement(sql: "INSERT INTO archive_fts(rowid, body) VALUES (?, ?)").execute(arguments: [seq, FTSText.indexText(old.content)])
        try db.cachedStatement(sql: "UPDATE memory SET content = '', archived = 1 WHERE seq = ?").execute(arguments: [seq])
    }

    /// Brings an archived memory's text back into its row and the default index.
    static func unarchive(_ old: Memory, atRow seq: Int64, in db: Database) throws {
        try removeFromIndex(old, atRow: seq, in: db)
        try db.cachedStatement(sql: "UPDATE memory SET content = ?, archived = 0 WHERE seq = ?").execute(arguments: [old.content, seq])
        try index(old.content, atRow: seq, in: db)
    }

    /// Removes the row at `seq` (holding the live `memory`) with its tags and index entry.
    static func remove(_ memory: Memory, atRow seq: Int64, in db: Database) throws {
        if !memory.evicted {
            try removeFromIndex(memory, atRow: seq, in: db)
            try deleteTags(atRow: seq, in: db)
        }
        try db.cachedStatement(sql: "DELETE FROM memory WHERE seq = ?").execute(arguments: [seq])
    }

    static func index(_ content: String, atRow seq: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO memory_fts(rowid, body) VALUES (?, ?)").execute(arguments: [seq, FTSText.indexText(content)])
        try file(content, atRow: seq, in: db)
    }

    /// Files a text held in its row under its MinHash keys (the duplicate check's index);
    /// ``unfile(_:atRow:in:)`` takes the same text's keys out again.
    static func file(_ content: String, atRow seq: Int64, in db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO memory_band(band, memory_seq) VALUES (?, ?)")
        for key in MinHash.keys(of: Shingles(content)) {
            try statement.execute(arguments: [key, seq])
        }
    }

    static func unfile(_ content: String, atRow seq: Int64, in db: Database) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM memory_band WHERE band = ? AND memory_seq = ?")
        for key in MinHash.keys(of: Shingles(content)) {
            try statement.execute(arguments: [key, seq])
        }
    }

    /// Removes a live or archived row's entry from its contentless index (which needs the
    /// text it was indexed with); an archived row's compressed text goes with it.
    static func removeFromIndex(_ memory: Memory, atRow seq: Int64, in db: Database) throws {
        if memory.archived {
            try db.cachedStatement(sql: "INSERT INTO archive_fts(archive_fts, rowid, body) VALUES ('delete', ?, ?)")
                .execute(arguments: [seq, FTSText.indexText(memory.content)])
            try db.cachedStatement(sql: "DELETE FROM memory_archive WHERE memory_seq = ?").execute(arguments: [seq])
        } else {
            try db.cachedStatement(sql: "INSERT INTO memory_fts(memory_fts, rowid, body) VALUES ('delete', ?, ?)")
                .execute(arguments: [seq, FTSText.indexText(memory.content)])
            try unfile(memory.content, atRow: seq, in: db)
        }
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
