extension HubSchema {
    /// End-to-end encrypted teams (4) and the staged rollout (5).
    static let teamAndRolloutMigrations: [Migration] = [
        Migration(
            version: 4, name: "teams with signed membership logs, wrapped epoch keys, sealed SHARED memories",
            sql: """
                -- Teams made by a device (tmws team create) carry a membership log and an epoch;
                -- teams made by an administrator without one have no epoch and take no SHARED writes.
                ALTER TABLE tmws.teams ADD COLUMN epoch integer CHECK (epoch >= 1);
                -- An epoch only moves forward: going back would reopen writes under a key a removed
                -- member holds.
                CREATE FUNCTION tmws.team_epoch_only_grows() RETURNS trigger
                    LANGUAGE plpgsql SET search_path = pg_catalog
                    AS $$ BEGIN
                        IF OLD.epoch IS NOT NULL AND (NEW.epoch IS NULL OR NEW.epoch < OLD.epoch) THEN
                            RAISE EXCEPTION 'a team''s epoch only moves forward';
                        END IF;
                        RETURN NEW;
                    END $$;
                REVOKE ALL ON FUNCTION tmws.team_epoch_only_grows() FROM PUBLIC;
                CREATE TRIGGER teams_epoch_forward BEFORE UPDATE ON tmws.teams
                    FOR EACH ROW EXECUTE FUNCTION tmws.team_epoch_only_grows();
                -- A removed member's row stays (history); only current members see the team's rows.
                ALTER TABLE tmws.team_members ADD COLUMN removed_at timestamptz;

                -- The membership log: each entry as the signed JSON the devices verify, hash-chained.
                CREATE TABLE tmws.team_log (
                    tenant_id uuid NOT NULL,
                    team_id uuid NOT NULL,
                    seq integer NOT NULL CHECK (seq >= 0),
                    entry text NOT NULL,
                    hash text NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, team_id, seq),
                    FOREIGN KEY (tenant_id, team_id) REFERENCES tmws.teams (tenant_id, team_id)
                );
                CREATE FUNCTION tmws.team_log_is_append_only() RETURNS trigger
                    LANGUAGE plpgsql SET search_path = pg_catalog
                    AS $$ BEGIN RAISE EXCEPTION 'the membership log is append-only'; END $$;
                REVOKE ALL ON FUNCTION tmws.team_log_is_append_only() FROM PUBLIC;
                CREATE TRIGGER team_log_no_update BEFORE UPDATE OR DELETE ON tmws.team_log
                    FOR EACH ROW EXECUTE FUNCTION tmws.team_log_is_append_only();

                -- Each epoch's team key, HPKE-sealed to one device (the hub cannot open it).
                CREATE TABLE tmws.team_keys (
                    tenant_id uuid NOT NULL,
                    team_id uuid NOT NULL,
                    epoch integer NOT NULL CHECK (epoch >= 1),
                    device_id uuid NOT NULL,
                    wrapped bytea NOT NULL CHECK (length(wrapped) BETWEEN 33 AND 256),
                    PRIMARY KEY (tenant_id, team_id, epoch, device_id),
                    FOREIGN KEY (tenant_id, team_id) REFERENCES tmws.teams (tenant_id, team_id)
                );
                -- Each epoch's key sealed under the next one's, so members reach older epochs.
                CREATE TABLE tmws.team_epochs (
                    tenant_id uuid NOT NULL,
                    team_id uuid NOT NULL,
                    epoch integer NOT NULL CHECK (epoch >= 2),
                    previous_key bytea NOT NULL CHECK (length(previous_key) BETWEEN 33 AND 256),
                    PRIMARY KEY (tenant_id, team_id, epoch),
                    FOREIGN KEY (tenant_id, team_id) REFERENCES tmws.teams (tenant_id, team_id)
                );
                \(HubSchema.tenantIsolation(["team_log", "team_keys", "team_epochs"]))

                -- Only current members see a team's log and keys, and SHARED rows.
                CREATE POLICY members_only ON tmws.team_log AS RESTRICTIVE FOR ALL USING (\(HubSchema.isMember("team_log"))) WITH CHECK (\(HubSchema.isMember("team_log")));
                CREATE POLICY members_only ON tmws.team_keys AS RESTRICTIVE FOR ALL USING (\(HubSchema.isMember("team_keys"))) WITH CHECK (\(HubSchema.isMember("team_keys")));
                CREATE POLICY members_only ON tmws.team_epochs AS RESTRICTIVE FOR ALL USING (\(HubSchema.isMember("team_epochs"))) WITH CHECK (\(HubSchema.isMember("team_epochs")));
                DROP POLICY team_visibility ON tmws.memories;
                DROP POLICY team_visibility ON tmws.change_log;
                CREATE POLICY team_visibility ON tmws.memories AS RESTRICTIVE FOR ALL
                    USING (scope = 'GLOBAL' OR \(HubSchema.isMember("memories"))) WITH CHECK (scope = 'GLOBAL' OR \(HubSchema.isMember("memories")));
                CREATE POLICY team_visibility ON tmws.change_log AS RESTRICTIVE FOR ALL
                    USING (scope = 'GLOBAL' OR \(HubSchema.isMember("change_log"))) WITH CHECK (scope = 'GLOBAL' OR \(HubSchema.isMember("change_log")));

                CREATE POLICY team_log_read ON tmws.team_log FOR SELECT TO {runtime} USING (true);
                CREATE POLICY team_log_append ON tmws.team_log FOR INSERT TO {runtime} WITH CHECK (true);
                CREATE POLICY team_keys_read ON tmws.team_keys FOR SELECT TO {runtime} USING (true);
                CREATE POLICY team_keys_add ON tmws.team_keys FOR INSERT TO {runtime} WITH CHECK (true);
                CREATE POLICY team_keys_rewrap ON tmws.team_keys FOR UPDATE TO {runtime} USING (true) WITH CHECK (true);
                CREATE POLICY team_epochs_read ON tmws.team_epochs FOR SELECT TO {runtime} USING (true);
                CREATE POLICY team_epochs_add ON tmws.team_epochs FOR INSERT TO {runtime} WITH CHECK (true);
                -- Devices create teams and apply verified log entries to the membership table.
                CREATE POLICY teams_create ON tmws.teams FOR INSERT TO {runtime} WITH CHECK (true);
                CREATE POLICY teams_rotate ON tmws.teams FOR UPDATE TO {runtime} USING (true) WITH CHECK (true);
                CREATE POLICY team_members_add ON tmws.team_members FOR INSERT TO {runtime} WITH CHECK (true);
                CREATE POLICY team_members_change ON tmws.team_members FOR UPDATE TO {runtime} USING (true) WITH CHECK (true);

                GRANT SELECT, INSERT ON tmws.team_log, tmws.team_epochs TO {runtime};
                GRANT SELECT, INSERT ON tmws.team_keys TO {runtime};
                GRANT UPDATE (wrapped) ON tmws.team_keys TO {runtime};
                GRANT INSERT ON tmws.teams TO {runtime};
                GRANT UPDATE (epoch) ON tmws.teams TO {runtime};
                GRANT INSERT ON tmws.team_members TO {runtime};
                GRANT UPDATE (role, removed_at) ON tmws.team_members TO {runtime};
                GRANT UPDATE (agreement_key, signing_key) ON tmws.devices TO {runtime};
                """),
        Migration(
            version: 5, name: "staged rollout of hybrid mode: flags, canary, beta users, rollbacks",
            sql: """
                -- Per tenant; no row means hybrid mode on for everyone (the state before rollouts).
                -- Written by the administrator (tmws hub rollout); devices only read their decision.
                CREATE TABLE tmws.rollout (
                    tenant_id uuid PRIMARY KEY REFERENCES tmws.tenants (tenant_id),
                    hybrid_enabled boolean NOT NULL DEFAULT true,
                    percent integer NOT NULL DEFAULT 100 CHECK (percent BETWEEN 0 AND 100),
                    default_scope text NOT NULL DEFAULT 'PROJECT' CHECK (default_scope IN ('PRIVATE', 'PROJECT', 'SHARED', 'GLOBAL')),
                    sync_interval_s integer NOT NULL DEFAULT 300 CHECK (sync_interval_s BETWEEN 1 AND 86400),
                    rollback_all boolean NOT NULL DEFAULT false,
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE TABLE tmws.rollout_users (
                    tenant_id uuid NOT NULL,
                    user_id uuid NOT NULL,
                    beta boolean NOT NULL DEFAULT false,
                    rolled_back boolean NOT NULL DEFAULT false,
                    PRIMARY KEY (tenant_id, user_id),
                    FOREIGN KEY (tenant_id, user_id) REFERENCES tmws.users (tenant_id, user_id)
                );
                \(HubSchema.tenantIsolation(["rollout", "rollout_users"]))
                CREATE POLICY rollout_read ON tmws.rollout FOR SELECT TO {runtime} USING (true);
                CREATE POLICY rollout_users_read ON tmws.rollout_users FOR SELECT TO {runtime} USING (true);
                GRANT SELECT ON tmws.rollout, tmws.rollout_users TO {runtime};
                """),
    ]
}
