extension HubSchema {
    /// Each tenant's size for the hub's gauges (9).
    static let usageMigrations: [Migration] = [
        Migration(version: 9, name: "each tenant's size for the hub's gauges", sql: tenantStorageFunction)
    ]

    /// Migration 9: `tmws.tenant_storage()`, the one cross-tenant read the runtime role may
    /// make: per tenant, its memories and the bytes of its memories and change log — counts
    /// only, never a row. Security definer (the owner, who reads across tenants for the
    /// administration), so its result does not depend on the caller's tenant; it reads every
    /// row of both tables, so the hub calls it every few minutes, not per request.
    static let tenantStorageFunction = """
        CREATE FUNCTION tmws.tenant_storage() RETURNS TABLE (tenant_id uuid, memories bigint, stored_bytes bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
        AS $$
            SELECT t.tenant_id, coalesce(m.rows, 0)::bigint, (coalesce(m.bytes, 0) + coalesce(l.bytes, 0))::bigint
            FROM tmws.tenants t
            LEFT JOIN (SELECT tenant_id, count(*) AS rows, sum(pg_column_size(x.*)) AS bytes FROM tmws.memories x GROUP BY 1) m
                   ON m.tenant_id = t.tenant_id
            LEFT JOIN (SELECT tenant_id, sum(pg_column_size(x.*)) AS bytes FROM tmws.change_log x GROUP BY 1) l
                   ON l.tenant_id = t.tenant_id
        $$;
        REVOKE ALL ON FUNCTION tmws.tenant_storage() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION tmws.tenant_storage() TO {runtime};
        """
}
