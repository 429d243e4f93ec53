extension HubSchema {
    /// Devices bound to the id they write on their changes, and each tenant's key for the
    /// cursors its devices see (6).
    static let deviceMigrations: [Migration] = [
        Migration(
            version: 6, name: "each device bound to the origin id its changes carry",
            sql: """
                -- The id a node writes as the author of its changes (its local device id). Bound by
                -- the device's first push and unique in the tenant, so one device cannot write
                -- changes in another's name.
                ALTER TABLE tmws.devices ADD COLUMN origin_device text
                    CHECK (origin_device IS NULL OR origin_device ~ '^[A-Za-z0-9._:-]{1,64}$');
                CREATE UNIQUE INDEX devices_by_origin ON tmws.devices (tenant_id, origin_device);
                GRANT UPDATE (origin_device) ON tmws.devices TO {runtime};

                -- Random per tenant (each existing row gets its own): cursors are sealed with it, so
                -- a device never sees the hub-wide transaction ids they stand for.
                ALTER TABLE tmws.tenants ADD COLUMN cursor_key bytea NOT NULL
                    DEFAULT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex');
                """),
        Migration(version: 7, name: "row-level security evaluated once per query, a search index for GLOBAL rows only", sql: searchMigration),
    ]

    /// Migration 7. The policies call `tmws.current_tenant()` and `tmws.current_user_id()`
    /// through a sub-select, so PostgreSQL evaluates each once per query (an init plan)
    /// instead of once per row: with `SET search_path` the functions are not inlined, and a
    /// search matching 1,200 rows paid about 6 ms for it. The full-text index covers only live
    /// GLOBAL rows (the only ones searched) and keeps its pending list small (256 kB, not 4 MB:
    /// every search scans it). JIT compilation, which a search starts once the table is large
    /// and which costs 20–60 ms, is turned off for the database when the owner may.
    static var searchMigration: String {
        let member = { (table: String) in
            """
            EXISTS (SELECT 1 FROM tmws.team_members m
                    WHERE m.tenant_id = \(table).tenant_id AND m.team_id = \(table).team_id
                      AND m.user_id = (SELECT tmws.current_user_id()) AND m.removed_at IS NULL)
            """
        }
        let tenants = tenantTables.map { table in
            """
            ALTER POLICY tenant_isolation ON tmws.\(table)
                USING (tenant_id = (SELECT tmws.current_tenant())) WITH CHECK (tenant_id = (SELECT tmws.current_tenant()));
            """
        }
        let visibility = ["memories", "change_log"].map { table in
            """
            ALTER POLICY team_visibility ON tmws.\(table)
                USING (scope = 'GLOBAL' OR \(member(table))) WITH CHECK (scope = 'GLOBAL' OR \(member(table)));
            """
        }
        let members = ["team_log", "team_keys", "team_epochs"].map { table in
            "ALTER POLICY members_only ON tmws.\(table) USING (\(member(table))) WITH CHECK (\(member(table)));"
        }
        return (tenants + visibility + members).joined(separator: "\n") + """

            CREATE INDEX memories_global_search ON tmws.memories USING gin (search) WITH (gin_pending_list_limit = 256)
                WHERE scope = 'GLOBAL' AND NOT deleted;
            DROP INDEX tmws.memories_search;
            DO $$
            BEGIN
                EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'jit stays as configured: the owner role does not own the database';
            END $$;
            """
    }
}
