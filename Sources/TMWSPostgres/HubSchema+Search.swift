extension HubSchema {
    /// A GLOBAL search as one statement: the device authenticated and the tenant and user set
    /// inside it, then the search (8).
    static let searchFunctionMigrations: [Migration] = [
        Migration(version: 8, name: "a GLOBAL search authenticates its device and searches in one statement", sql: searchFunction)
    ]

    /// Migration 8: `tmws.search_global`, run by the runtime role (security invoker: every
    /// row it reads passes the row-level security policies, as any query of the hub does).
    ///
    /// A search used to take two transactions (authenticate, then search) of four round trips
    /// each; as one statement in an implicit transaction it takes one. It sets the tenant
    /// first (the device row is read under row-level security, like everything else), checks
    /// the credential's digest (compared as digests of digests, so the time taken does not
    /// depend on how much of a guess matches), refuses a revoked device, then sets the user
    /// and searches: every word first, then any word. A refused credential raises `TM401`,
    /// whichever check failed; `set_config(…, true)` ends with the statement's transaction.
    static let searchFunction = """
        CREATE FUNCTION tmws.search_global(
            p_tenant uuid, p_device uuid, p_digest bytea, p_every text, p_some text, p_limit integer
        ) RETURNS TABLE (
            memory_id uuid, namespace text, content text, tags text[], importance double precision, metadata text,
            agent_id text, version integer, hlc bigint, origin_device text, created_at double precision,
            expires_at double precision, rank double precision
        )
        LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = pg_catalog
        AS $$
        #variable_conflict use_column
        DECLARE
            v_user uuid;
            v_digest bytea;
            v_query text;
        BEGIN
            PERFORM set_config('tmws.tenant_id', p_tenant::text, true);
            PERFORM set_config('tmws.user_id', '', true);
            SELECT d.user_id, d.credential_sha256 INTO v_user, v_digest
            FROM tmws.devices d WHERE d.tenant_id = p_tenant AND d.device_id = p_device AND d.revoked_at IS NULL;
            IF v_user IS NULL OR p_digest IS NULL OR sha256(v_digest) IS DISTINCT FROM sha256(p_digest) THEN
                RAISE EXCEPTION 'unauthorized' USING ERRCODE = 'TM401';
            END IF;
            PERFORM set_config('tmws.user_id', v_user::text, true);
            UPDATE tmws.devices d SET last_seen_at = now()
            WHERE d.tenant_id = p_tenant AND d.device_id = p_device AND (d.last_seen_at IS NULL OR d.last_seen_at < now() - interval '1 minute');
            FOREACH v_query IN ARRAY ARRAY[p_every, p_some] LOOP
                CONTINUE WHEN v_query = '';
                RETURN QUERY
                    SELECT m.memory_id, m.namespace, m.content, m.tags, m.importance, m.metadata::text, m.agent_id, m.version, m.hlc,
                           m.origin_device, extract(epoch FROM m.created_at)::float8, extract(epoch FROM m.expires_at)::float8,
                           ts_rank(m.search, q)::float8
                    FROM tmws.memories m, to_tsquery('simple', v_query) AS q
                    WHERE m.scope = 'GLOBAL' AND NOT m.deleted AND (m.expires_at IS NULL OR m.expires_at > now()) AND m.search @@ q
                    ORDER BY 13 DESC, m.hlc DESC LIMIT p_limit;
                EXIT WHEN FOUND OR v_query = p_some;
            END LOOP;
        END $$;
        REVOKE ALL ON FUNCTION tmws.search_global(uuid, uuid, bytea, text, text, integer) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION tmws.search_global(uuid, uuid, bytea, text, text, integer) TO {runtime};
        """
}
