import Foundation

/// The hub's schema, as numbered migrations run by the owner role (`tmws hub migrate`).
///
/// Every tenant table carries `tenant_id`, and every primary key and unique constraint of a
/// tenant table includes it, so the schema can be distributed by tenant (Citus). Row-level
/// security is enabled **and forced** on each: a restrictive policy for every command keeps
/// every row to the tenant named by `tmws.tenant_id`, which the hub sets per transaction with
/// `set_config(…, true)` from the authenticated device; permissive per-command policies then
/// grant what the runtime role may do. SHARED memories are visible only to members of their
/// team (`tmws.user_id`). With no tenant set, every query sees nothing.
///
/// The runtime role (`{runtime}`, checked to be a plain role before it is granted anything)
/// owns nothing, cannot bypass RLS, and has no TRUNCATE, REFERENCES or TRIGGER.
enum HubSchema {
    struct Migration: Sendable {
        let version: Int
        let name: String
        /// SQL with `{runtime}` standing for the runtime role's quoted name.
        let sql: String
    }

    /// Tables that hold tenant rows: each has RLS enabled and forced, and a restrictive policy.
    static let tenantTables = firstTables + ["team_log", "team_keys", "team_epochs", "rollout", "rollout_users"]

    /// The tables migration 1 made (later migrations isolate the tables they add themselves).
    static let firstTables = [
        "tenants", "users", "teams", "team_members", "devices", "enrollment_tokens", "memories", "change_log", "audit_log",
    ]

    /// `ENABLE` and `FORCE` row-level security and the restrictive tenant policy, for each table.
    static func tenantIsolation(_ tables: [String]) -> String {
        tables.map { table in
            """
            ALTER TABLE tmws.\(table) ENABLE ROW LEVEL SECURITY;
            ALTER TABLE tmws.\(table) FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON tmws.\(table) AS RESTRICTIVE FOR ALL
                USING (tenant_id = tmws.current_tenant()) WITH CHECK (tenant_id = tmws.current_tenant());
            """
        }.joined(separator: "\n")
    }

    /// The restrictive policy that shows a SHARED row only to members of its team.
    static func teamVisibility(_ table: String) -> String {
        let member = """
            scope = 'GLOBAL' OR EXISTS (
                    SELECT 1 FROM tmws.team_members m
                    WHERE m.tenant_id = \(table).tenant_id AND m.team_id = \(table).team_id AND m.user_id = tmws.current_user_id())
            """
        return "CREATE POLICY team_visibility ON tmws.\(table) AS RESTRICTIVE FOR ALL USING (\(member)) WITH CHECK (\(member));"
    }

    /// Whether the request's user is a current member of the row's team.
    static func isMember(_ table: String) -> String {
        """
        EXISTS (SELECT 1 FROM tmws.team_members m
                WHERE m.tenant_id = \(table).tenant_id AND m.team_id = \(table).team_id
                  AND m.user_id = tmws.current_user_id() AND m.removed_at IS NULL)
        """
    }

    /// Every migration, in order.
    static let migrations = firstMigrations + teamAndRolloutMigrations + deviceMigrations + searchFunctionMigrations + usageMigrations + coldMigrations

    /// Tenants, devices, GLOBAL memories and sync (1–3).
    static let firstMigrations: [Migration] = [
        Migration(
            version: 1, name: "tenants, devices, memories, change log, audit log, row-level security",
            sql: """
                CREATE SCHEMA tmws;
                REVOKE ALL ON SCHEMA tmws FROM PUBLIC;
                GRANT USAGE ON SCHEMA tmws TO {runtime};

                -- The request's identity, set per transaction by the hub. An unset or empty value is
                -- NULL, and NULL matches no row: fail closed. A malformed value fails the cast.
                CREATE FUNCTION tmws.current_tenant() RETURNS uuid
                    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog
                    AS $$ SELECT nullif(current_setting('tmws.tenant_id', true), '')::uuid $$;
                CREATE FUNCTION tmws.current_user_id() RETURNS uuid
                    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog
                    AS $$ SELECT nullif(current_setting('tmws.user_id', true), '')::uuid $$;
                REVOKE ALL ON FUNCTION tmws.current_tenant() FROM PUBLIC;
                REVOKE ALL ON FUNCTION tmws.current_user_id() FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION tmws.current_tenant() TO {runtime};
                GRANT EXECUTE ON FUNCTION tmws.current_user_id() TO {runtime};

                CREATE TABLE tmws.tenants (
                    tenant_id uuid PRIMARY KEY,
                    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                -- Distributed deployments make this a reference table; names are unique hub-wide.
                CREATE UNIQUE INDEX tenants_name ON tmws.tenants (lower(name));

                CREATE TABLE tmws.users (
                    tenant_id uuid NOT NULL REFERENCES tmws.tenants (tenant_id),
                    user_id uuid NOT NULL,
                    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, user_id),
                    UNIQUE (tenant_id, name)
                );

                CREATE TABLE tmws.teams (
                    tenant_id uuid NOT NULL REFERENCES tmws.tenants (tenant_id),
                    team_id uuid NOT NULL,
                    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, team_id),
                    UNIQUE (tenant_id, name)
                );

                CREATE TABLE tmws.team_members (
                    tenant_id uuid NOT NULL,
                    team_id uuid NOT NULL,
                    user_id uuid NOT NULL,
                    role text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
                    added_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, team_id, user_id),
                    FOREIGN KEY (tenant_id, team_id) REFERENCES tmws.teams (tenant_id, team_id) ON DELETE CASCADE,
                    FOREIGN KEY (tenant_id, user_id) REFERENCES tmws.users (tenant_id, user_id) ON DELETE CASCADE
                );
                CREATE INDEX team_members_by_user ON tmws.team_members (tenant_id, user_id);

                -- A device's credential is a random secret; only its SHA-256 is stored.
                CREATE TABLE tmws.devices (
                    tenant_id uuid NOT NULL,
                    device_id uuid NOT NULL,
                    user_id uuid NOT NULL,
                    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    credential_sha256 bytea NOT NULL CHECK (length(credential_sha256) = 32),
                    agreement_key bytea,
                    signing_key bytea,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    last_seen_at timestamptz,
                    revoked_at timestamptz,
                    PRIMARY KEY (tenant_id, device_id),
                    FOREIGN KEY (tenant_id, user_id) REFERENCES tmws.users (tenant_id, user_id)
                );

                CREATE TABLE tmws.enrollment_tokens (
                    tenant_id uuid NOT NULL,
                    token_id uuid NOT NULL,
                    user_id uuid NOT NULL,
                    token_sha256 bytea NOT NULL CHECK (length(token_sha256) = 32),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    expires_at timestamptz NOT NULL,
                    used_at timestamptz,
                    device_id uuid,
                    PRIMARY KEY (tenant_id, token_id),
                    FOREIGN KEY (tenant_id, user_id) REFERENCES tmws.users (tenant_id, user_id)
                );

                -- Cloud memories. GLOBAL: plaintext, searchable here. SHARED: opaque ciphertext
                -- and the header fields routing needs (the encryption issue fills them).
                CREATE TABLE tmws.memories (
                    tenant_id uuid NOT NULL,
                    memory_id uuid NOT NULL,
                    scope text NOT NULL CHECK (scope IN ('GLOBAL', 'SHARED')),
                    team_id uuid,
                    owner_user_id uuid NOT NULL,
                    namespace text NOT NULL,
                    version integer NOT NULL CHECK (version >= 1),
                    hlc bigint NOT NULL,
                    origin_device text NOT NULL,
                    deleted boolean NOT NULL DEFAULT false,
                    content text,
                    tags text[] NOT NULL DEFAULT '{}',
                    importance double precision NOT NULL DEFAULT 0.5 CHECK (importance BETWEEN 0 AND 1),
                    metadata jsonb NOT NULL DEFAULT '{}',
                    agent_id text NOT NULL DEFAULT '',
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz,
                    classification jsonb,
                    key_epoch integer,
                    header bytea,
                    ciphertext bytea,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(content, ''))) STORED,
                    PRIMARY KEY (tenant_id, memory_id),
                    FOREIGN KEY (tenant_id, team_id) REFERENCES tmws.teams (tenant_id, team_id),
                    CHECK (scope = 'SHARED' OR (team_id IS NULL AND ciphertext IS NULL AND header IS NULL)),
                    CHECK (scope = 'GLOBAL' OR (team_id IS NOT NULL AND content IS NULL))
                );
                CREATE INDEX memories_search ON tmws.memories USING gin (search);
                CREATE INDEX memories_by_tenant ON tmws.memories (tenant_id, hlc DESC);

                -- The per-tenant change log the sync engine pulls from.
                CREATE TABLE tmws.change_log (
                    tenant_id uuid NOT NULL,
                    seq bigint GENERATED ALWAYS AS IDENTITY,
                    event_id uuid NOT NULL,
                    memory_id uuid NOT NULL,
                    operation text NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
                    version integer NOT NULL,
                    hlc bigint NOT NULL,
                    device_id uuid NOT NULL,
                    committed_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    payload jsonb NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, seq),
                    UNIQUE (tenant_id, event_id)
                );

                -- Append-only and hash-chained per tenant; no memory text, no secrets.
                CREATE TABLE tmws.audit_log (
                    tenant_id uuid NOT NULL,
                    seq bigint NOT NULL,
                    at timestamptz NOT NULL DEFAULT now(),
                    actor text NOT NULL,
                    action text NOT NULL,
                    object_id text NOT NULL,
                    details text NOT NULL DEFAULT '',
                    previous_hash text NOT NULL,
                    hash text NOT NULL,
                    PRIMARY KEY (tenant_id, seq)
                );
                CREATE FUNCTION tmws.audit_log_is_append_only() RETURNS trigger
                    LANGUAGE plpgsql SET search_path = pg_catalog
                    AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
                REVOKE ALL ON FUNCTION tmws.audit_log_is_append_only() FROM PUBLIC;
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON tmws.audit_log
                    FOR EACH ROW EXECUTE FUNCTION tmws.audit_log_is_append_only();

                -- Row-level security: enabled and forced on every tenant table, with one restrictive
                -- tenant policy for every command (USING and WITH CHECK), written by tenantIsolation().
                \(HubSchema.tenantIsolation(HubSchema.firstTables))

                -- What the runtime role may do, command by command (a restrictive policy alone grants nothing).
                CREATE POLICY tenant_read ON tmws.tenants FOR SELECT TO {runtime} USING (true);
                CREATE POLICY users_read ON tmws.users FOR SELECT TO {runtime} USING (true);
                CREATE POLICY teams_read ON tmws.teams FOR SELECT TO {runtime} USING (true);
                CREATE POLICY team_members_read ON tmws.team_members FOR SELECT TO {runtime} USING (true);

                CREATE POLICY devices_read ON tmws.devices FOR SELECT TO {runtime} USING (true);
                CREATE POLICY devices_enroll ON tmws.devices FOR INSERT TO {runtime} WITH CHECK (true);
                CREATE POLICY devices_touch ON tmws.devices FOR UPDATE TO {runtime} USING (true) WITH CHECK (true);

                CREATE POLICY tokens_read ON tmws.enrollment_tokens FOR SELECT TO {runtime} USING (true);
                CREATE POLICY tokens_use ON tmws.enrollment_tokens FOR UPDATE TO {runtime}
                    USING (used_at IS NULL) WITH CHECK (used_at IS NOT NULL);

                -- GLOBAL: the whole tenant. SHARED: members of the row's team only.
                \(HubSchema.teamVisibility("memories"))
                CREATE POLICY memories_read ON tmws.memories FOR SELECT TO {runtime} USING (true);
                CREATE POLICY memories_insert ON tmws.memories FOR INSERT TO {runtime} WITH CHECK (true);
                CREATE POLICY memories_update ON tmws.memories FOR UPDATE TO {runtime} USING (true) WITH CHECK (true);

                CREATE POLICY change_log_read ON tmws.change_log FOR SELECT TO {runtime} USING (true);
                CREATE POLICY change_log_append ON tmws.change_log FOR INSERT TO {runtime} WITH CHECK (true);

                CREATE POLICY audit_read ON tmws.audit_log FOR SELECT TO {runtime} USING (true);
                CREATE POLICY audit_append ON tmws.audit_log FOR INSERT TO {runtime} WITH CHECK (true);

                -- What the runtime role may do: exactly the commands its policies allow.
                GRANT SELECT ON tmws.tenants, tmws.users, tmws.teams, tmws.team_members TO {runtime};
                GRANT SELECT, INSERT ON tmws.devices TO {runtime};
                GRANT UPDATE (last_seen_at) ON tmws.devices TO {runtime};
                GRANT SELECT ON tmws.enrollment_tokens TO {runtime};
                GRANT UPDATE (used_at, device_id) ON tmws.enrollment_tokens TO {runtime};
                GRANT SELECT, INSERT, UPDATE ON tmws.memories TO {runtime};
                GRANT SELECT, INSERT ON tmws.change_log, tmws.audit_log TO {runtime};
                """),
        Migration(
            version: 2, name: "memories searched by their script-aware index text",
            sql: """
                -- Japanese and Chinese are written without spaces: writers store SearchText.indexText
                -- (CJK runs as bigrams) in search_text, and the full-text vector is built from it.
                ALTER TABLE tmws.memories ADD COLUMN search_text text;
                DROP INDEX tmws.memories_search;
                ALTER TABLE tmws.memories DROP COLUMN search;
                ALTER TABLE tmws.memories ADD COLUMN search tsvector
                    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_text, content, ''))) STORED;
                CREATE INDEX memories_search ON tmws.memories USING gin (search);
                """),
        Migration(
            version: 3, name: "change log readable by cursor, SHARED changes only by their team",
            sql: """
                -- Pull reads by (committed_xid, seq) below the snapshot's xmin: see HubSync.
                CREATE INDEX change_log_by_cursor ON tmws.change_log (tenant_id, committed_xid, seq);
                ALTER TABLE tmws.change_log ADD COLUMN scope text NOT NULL DEFAULT 'GLOBAL' CHECK (scope IN ('GLOBAL', 'SHARED'));
                ALTER TABLE tmws.change_log ADD COLUMN team_id uuid;
                \(HubSchema.teamVisibility("change_log"))
                """),
    ]
}

extension HubSchema {
    /// Splits a migration into statements at each `;` outside quotes, dollar-quoted bodies and
    /// comments (postgres-nio speaks the extended protocol: one statement per query).
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var index = sql.startIndex
        var dollarTag: String?
        var inQuote = false
        while index < sql.endIndex {
            let character = sql[index]
            if let tag = dollarTag {
                if sql[index...].hasPrefix(tag) {
                    current += tag
                    index = sql.index(index, offsetBy: tag.count)
                    dollarTag = nil
                    continue
                }
            } else if inQuote {
                if character == "'" { inQuote = false }
            } else if character == "'" {
                inQuote = true
            } else if character == "-", sql[index...].hasPrefix("--") {
                // A comment runs to the end of the line.
                while index < sql.endIndex, sql[index] != "\n" { index = sql.index(after: index) }
                continue
            } else if character == "$", let close = sql[sql.index(after: index)...].firstIndex(of: "$"),
                sql[sql.index(after: index)..<close].allSatisfy({ $0.isLetter || $0 == "_" })
            {
                let tag = String(sql[index...close])
                current += tag
                index = sql.index(after: close)
                dollarTag = tag
                continue
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
                index = sql.index(after: index)
                continue
            }
            current.append(character)
            index = sql.index(after: index)
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}
