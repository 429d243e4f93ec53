extension HubSchema {
    /// The cold tier of GLOBAL memories, and when each was last read on the hub (10).
    static let coldMigrations: [Migration] = [
        Migration(version: 10, name: "a cold tier for GLOBAL memories not read in a long time", sql: coldTier)
    ]

    /// Migration 10.
    ///
    /// The cold tier is a table of batches, not files: a batch holds up to a thousand memories'
    /// rows as one `jsonb` value, which PostgreSQL compresses (TOAST) and keeps out of line; it is
    /// in no search index (only the batch's ids are indexed, to read or restore one by id), is
    /// backed up, replicated and isolated by row-level security like every other table, and is
    /// restored in the same transaction as a change that needs the memory back. Segment files
    /// in a directory would need their own backup, their own tenant isolation and a two-phase
    /// move between the database and the file system.
    ///
    /// The runtime role reads batches (a read by id) and rewrites one when a pushed change
    /// brings a memory back (an update, never a delete: it deletes nothing anywhere). The
    /// owner archives, restores and exports (`tmws hub archive`).
    static let coldTier = """
        ALTER TABLE tmws.memories ADD COLUMN read_at timestamptz;
        CREATE TABLE tmws.cold_memories (
            tenant_id uuid NOT NULL REFERENCES tmws.tenants (tenant_id),
            batch_id uuid NOT NULL,
            archived_at timestamptz NOT NULL DEFAULT now(),
            memory_ids uuid[] NOT NULL,
            rows jsonb NOT NULL,
            hot_bytes bigint NOT NULL,
            PRIMARY KEY (tenant_id, batch_id)
        );
        CREATE INDEX cold_memories_ids ON tmws.cold_memories USING gin (memory_ids);
        ALTER TABLE tmws.cold_memories ENABLE ROW LEVEL SECURITY;
        ALTER TABLE tmws.cold_memories FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON tmws.cold_memories AS RESTRICTIVE FOR ALL
            USING (tenant_id = (SELECT tmws.current_tenant())) WITH CHECK (tenant_id = (SELECT tmws.current_tenant()));
        CREATE POLICY cold_read ON tmws.cold_memories FOR SELECT TO {runtime} USING (true);
        CREATE POLICY cold_bring_back ON tmws.cold_memories FOR UPDATE TO {runtime} USING (true) WITH CHECK (true);
        GRANT SELECT ON tmws.cold_memories TO {runtime};
        GRANT UPDATE (memory_ids, rows, hot_bytes) ON tmws.cold_memories TO {runtime};
        """

    /// The columns of a memory's row, in the order the cold tier's `jsonb` rows are read back
    /// (the generated search column is not stored there).
    static let memoryColumns = """
        tenant_id, memory_id, scope, team_id, owner_user_id, namespace, version, hlc, origin_device, deleted, content, search_text, tags,
        importance, metadata, agent_id, created_at, expires_at, classification, key_epoch, header, ciphertext, updated_at, read_at
        """
}
