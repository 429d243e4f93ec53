import GRDB
import TMWSCore

/// The versioned schema of the local database. Migrations only ever get appended.
enum Schema {
    /// The full-text index. Contentless: the text lives once, in `memory.content`; rows are
    /// removed with the 'delete' command and the same indexed text (see `FTSText`). When
    /// this or `FTSText.version` changes, opening a database rebuilds the index.
    static let searchIndexDefinition = """
        CREATE VIRTUAL TABLE memory_fts USING fts5(
            body, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
        )
        """

    /// The index of archived memories: the same definition as ``searchIndexDefinition``, so a
    /// search with archived memories included ranks both alike.
    static var archiveIndexDefinition: String {
        searchIndexDefinition.replacingOccurrences(of: "memory_fts", with: "archive_fts")
    }

    /// Migrates the database, safely when several processes open a new file at once.
    ///
    /// GRDB reads which migrations are applied before it opens each migration's transaction,
    /// so two processes can both try to apply the same one. The loser's transaction rolls
    /// back; it then finds the schema complete, or tries again.
    static func migrate(_ pool: DatabasePool) throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try migrator.migrate(pool)
                return
            } catch let error as DatabaseError {
                if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
                if attempt >= 3 { throw error }
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-memories") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE memory (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        tenant_id TEXT NOT NULL,
                        namespace TEXT NOT NULL,
                        scope TEXT NOT NULL CHECK (scope IN ('PRIVATE', 'PROJECT', 'SHARED', 'GLOBAL')),
                        content TEXT NOT NULL,
                        importance REAL NOT NULL CHECK (importance BETWEEN 0 AND 1),
                        metadata TEXT NOT NULL,
                        agent_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_hlc INTEGER NOT NULL,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        origin_device TEXT NOT NULL,
                        expires_at INTEGER,
                        access_count INTEGER NOT NULL DEFAULT 0,
                        accessed_at INTEGER,
                        archived INTEGER NOT NULL DEFAULT 0,
                        deleted INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX memory_by_namespace ON memory(namespace, id);
                    CREATE INDEX memory_by_expiry ON memory(expires_at) WHERE expires_at IS NOT NULL;

                    -- Tags are a relation, never a joined string.
                    CREATE TABLE memory_tag (
                        tag TEXT NOT NULL,
                        memory_seq INTEGER NOT NULL REFERENCES memory(seq) ON DELETE CASCADE,
                        PRIMARY KEY (tag, memory_seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX memory_tag_by_memory ON memory_tag(memory_seq);

                    \(searchIndexDefinition);

                    -- Sync events for SHARED and GLOBAL memories, written with the change itself.
                    CREATE TABLE outbox (
                        seq INTEGER PRIMARY KEY,
                        event_id TEXT NOT NULL UNIQUE,
                        memory_id TEXT NOT NULL,
                        operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
                        version INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        payload TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );

                    -- Append-only and hash-chained; never content.
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        memory_id TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        namespace TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        details TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2-classification") { db in
            // How each memory's scope was chosen: JSON of ClassificationRecord, never content.
            try db.execute(sql: "ALTER TABLE memory ADD COLUMN classification TEXT")
        }
        migrator.registerMigration("v3-sync-quarantine") { db in
            // Outgoing events the second check stopped. The payload stays on this machine only.
            try db.execute(
                sql: """
                    CREATE TABLE sync_quarantine (
                        event_id TEXT PRIMARY KEY,
                        memory_id TEXT NOT NULL,
                        finding_types TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        quarantined_at INTEGER NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v4-sync-conflicts") { db in
            // Concurrent versions kept for the user (SyncConflict): one open conflict per
            // memory, each side a change event's JSON.
            try db.execute(
                sql: """
                    CREATE TABLE sync_conflict (
                        memory_id TEXT PRIMARY KEY,
                        local_payload TEXT NOT NULL,
                        remote_payload TEXT NOT NULL,
                        detected_at INTEGER NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v5-shared-teams") { db in
            // The team a SHARED memory belongs to (a hub team's id); NULL for every other scope,
            // and for a SHARED memory written before the node knew a team.
            try db.execute(sql: "ALTER TABLE memory ADD COLUMN team_id TEXT")
            // The newest team epoch a pulled version of it was sealed under (older ones are refused).
            try db.execute(sql: "ALTER TABLE memory ADD COLUMN team_epoch INTEGER")
            // Pulled SHARED changes this device has no key for yet, opened after a later pull.
            try db.execute(
                sql: """
                    CREATE TABLE sync_sealed_waiting (
                        event_id TEXT PRIMARY KEY,
                        payload TEXT NOT NULL,
                        held_at INTEGER NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v6-archive-and-cache") { db in
            // A pinned memory is never archived or evicted.
            try db.execute(sql: "ALTER TABLE memory ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")
            // A GLOBAL memory the hot cache let go: the row keeps its identity, scope and
            // version (so pulled changes and deletes still merge correctly), not its text, tags
            // or index entry. The hub holds the rest.
            try db.execute(sql: "ALTER TABLE memory ADD COLUMN evicted INTEGER NOT NULL DEFAULT 0")
            // For an evicted memory: the digest of the text it let go (EvictedDigest), which the
            // hub's copy of the same version must match to be held again.
            try db.execute(sql: "ALTER TABLE memory ADD COLUMN evicted_digest TEXT")
            // The text of an archived memory (`memory.archived = 1`, `content = ''`),
            // compressed (ArchivedText), and its own index, out of the default search.
            try db.execute(
                sql: """
                    CREATE TABLE memory_archive (
                        memory_seq INTEGER PRIMARY KEY REFERENCES memory(seq) ON DELETE CASCADE,
                        content BLOB NOT NULL,
                        archived_at INTEGER NOT NULL
                    );
                    \(archiveIndexDefinition);
                    -- The hot cache never evicts a memory with a pending event, and a pulled
                    -- change looks for one: both by memory.
                    CREATE INDEX outbox_by_memory ON outbox(memory_id);
                    -- Evicted rows are never listed by namespace (every query of held memories
                    -- says evicted = 0): the index leaves them out.
                    DROP INDEX memory_by_namespace;
                    CREATE INDEX memory_by_namespace ON memory(namespace, id) WHERE evicted = 0;
                    """)
        }
        migrator.registerMigration("v7-scope-examples") { db in
            // Scopes people chose (ScopeExample): the label, the classifier's suggestion and the
            // text's hashed features (little-endian UInt32s), never the text.
            try db.execute(
                sql: """
                    CREATE TABLE scope_example (
                        seq INTEGER PRIMARY KEY,
                        memory_id TEXT,
                        label TEXT NOT NULL,
                        suggested TEXT NOT NULL,
                        source TEXT NOT NULL,
                        features BLOB NOT NULL,
                        recorded_at INTEGER NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v8-vectors") { db in
            // Embeddings (int8 values and a scale), one per memory and model. A vector belongs
            // to the text it was made from: a change of text, a delete, the archive or the hot
            // cache letting a memory go removes it (the embedding loop makes a new one).
            // `vector_change` lists every vector added or removed, so a process's in-memory
            // index catches up with other processes' writes by reading only what changed.
            try db.execute(
                sql: """
                    CREATE TABLE memory_vector (
                        memory_seq INTEGER PRIMARY KEY,
                        model TEXT NOT NULL,
                        scale REAL NOT NULL,
                        vector BLOB NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('local', 'peer'))
                    );
                    CREATE TABLE vector_change (seq INTEGER PRIMARY KEY AUTOINCREMENT, memory_seq INTEGER NOT NULL);
                    CREATE TRIGGER memory_vector_added AFTER INSERT ON memory_vector
                        BEGIN INSERT INTO vector_change (memory_seq) VALUES (new.memory_seq); END;
                    CREATE TRIGGER memory_vector_replaced AFTER UPDATE ON memory_vector
                        BEGIN INSERT INTO vector_change (memory_seq) VALUES (new.memory_seq); END;
                    CREATE TRIGGER memory_vector_removed AFTER DELETE ON memory_vector
                        BEGIN INSERT INTO vector_change (memory_seq) VALUES (old.memory_seq); END;
                    CREATE TRIGGER memory_vector_stale AFTER UPDATE OF content, deleted, archived, evicted ON memory
                        WHEN new.content IS NOT old.content OR new.deleted != 0 OR new.archived != 0 OR new.evicted != 0
                        BEGIN DELETE FROM memory_vector WHERE memory_seq = new.seq; END;
                    CREATE TRIGGER memory_vector_gone AFTER DELETE ON memory
                        BEGIN DELETE FROM memory_vector WHERE memory_seq = old.seq; END;
                    """)
        }
        migrator.registerMigration("v9-hygiene") { db in
            // The memory a memory replaces (replicated), and the review of an instruction aimed
            // at agents in a GLOBAL or SHARED memory (local: this node's own detector decides).
            // `memory_band` files every held text under its MinHash keys (MinHash), for the
            // duplicate check on write; a text's keys leave with it, made again from the text.
            try db.execute(
                sql: """
                    ALTER TABLE memory ADD COLUMN supersedes TEXT;
                    ALTER TABLE memory ADD COLUMN review TEXT CHECK (review IN ('unreviewed', 'accepted'));
                    ALTER TABLE memory ADD COLUMN review_kinds TEXT;
                    CREATE INDEX memory_by_supersedes ON memory(supersedes) WHERE supersedes IS NOT NULL;
                    CREATE INDEX memory_by_review ON memory(review) WHERE review IS NOT NULL;
                    CREATE TABLE memory_band (
                        band INTEGER NOT NULL,
                        memory_seq INTEGER NOT NULL,
                        PRIMARY KEY (band, memory_seq)
                    ) WITHOUT ROWID;
                    -- `pinned` now replicates (and a pinned memory never expires); the pins
                    -- made before were this node's alone ('tmws cache pin'): they become holds.
                    ALTER TABLE memory ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
                    UPDATE memory SET held = 1, pinned = 0 WHERE pinned = 1;
                    """)
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, content, scope FROM memory WHERE deleted = 0 AND evicted = 0 AND archived = 0")
            let detector = InstructionDetector()
            while let row = try rows.next() {
                let (seq, content, scope): (Int64, String, String) = (row[0], row[1], row[2])
                try MemoryRowWriter.file(content, atRow: seq, in: db)
                guard scope == "GLOBAL" || scope == "SHARED" else { continue }
                let kinds = detector.kinds(in: content)
                guard !kinds.isEmpty else { continue }
                try db.execute(
                    sql: "UPDATE memory SET review = 'unreviewed', review_kinds = ? WHERE seq = ?",
                    arguments: [kinds.map(\.rawValue).joined(separator: ","), seq])
            }
        }
        return migrator
    }
}
