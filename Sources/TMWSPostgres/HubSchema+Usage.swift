extension HubSchema {
    /// Each tenant's size for the hub's gauges (9).
    static let usageMigrations: [Migration] = [
        Migration(version: 9, name: "each tenant's size for the hub's gauges", sql: tenantStorageFunction)
    ]

    /// Migration 9: `tmws.tenant_storage()`, the one cross-tenant read the runtime role may
    /// make: per tenant, its memories and the bytes of its memories and change log — counts
    /// only, never a row. Security definer (the owner, who reads across tenants for the
    /// administration), so its result does not depend on the caller's tenant. It sums the sizes
    /// of the large columns as stored (`pg_column_size` of a value kept out of line reads only
    /// its pointer) plus a row's fixed part, so it reads the tables' pages but none of their
    /// out-of-line values: an estimate within a few percent of `tmws hub usage`'s exact figure,
    /// for gauges read every hour.
    static let tenantStorageFunction = """
        CREATE FUNCTION tmws.tenant_storage() RETURNS TABLE (tenant_id uuid, memories bigint, stored_bytes bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
        AS $$
            SELECT t.tenant_id, coalesce(m.rows, 0)::bigint, (coalesce(m.bytes, 0) + coalesce(l.bytes, 0))::bigint
            FROM tmws.tenants t
            LEFT JOIN (
                SELECT tenant_id, count(*) AS rows,
                       sum(120 + coalesce(pg_column_size(x.content), 0) + coalesce(pg_column_size(x.search_text), 0)
                               + pg_column_size(x.tags) + pg_column_size(x.metadata) + coalesce(pg_column_size(x.classification), 0)
                               + coalesce(pg_column_size(x.header), 0) + coalesce(pg_column_size(x.ciphertext), 0)
                               + pg_column_size(x.namespace) + pg_column_size(x.origin_device) + pg_column_size(x.agent_id)) AS bytes
                FROM tmws.memories x GROUP BY 1
            ) m ON m.tenant_id = t.tenant_id
            LEFT JOIN (SELECT tenant_id, sum(80 + pg_column_size(x.payload)) AS bytes FROM tmws.change_log x GROUP BY 1) l
                   ON l.tenant_id = t.tenant_id
        $$;
        REVOKE ALL ON FUNCTION tmws.tenant_storage() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION tmws.tenant_storage() TO {runtime};
        """
}
