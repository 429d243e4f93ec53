import Foundation
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// `tmws hub usage`: what each tenant stores and what it costs (the shares and the cost are
/// the domain's ``TenantUsage``; here only the reading).
extension HubAdmin {
    /// Every table of the hub as stored, and each tenant's rows in them; one tenant when named.
    ///
    /// Reads every row of the tenant-scoped tables once (`pg_column_size` over each row): a
    /// report to run monthly or daily, not per request; about a second per million rows here.
    package func usage(tenant: String? = nil, prices: StoragePrices = .standard) async throws -> HubUsageReport {
        var only: UUID?
        if let tenant { only = try await resolveTenant(tenant) }
        return try await run {
            let stored = try await tableStorage()
            var everyone: [String: RowsAndBytes] = [:]
            var byTenant: [UUID: [String: RowsAndBytes]] = [:]
            for table in try await tenantTables() {
                for try await (id, rows, bytes) in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT tenant_id, count(*), coalesce(sum(pg_column_size(t.*)), 0)::bigint FROM tmws.\(table) t GROUP BY 1"),
                    logger: logger
                ).decode((UUID, Int64, Int64).self) {
                    let counted = RowsAndBytes(rows: rows, bytes: bytes)
                    everyone[table, default: .zero] = everyone[table, default: .zero] + counted
                    byTenant[id, default: [:]][table] = counted
                }
            }
            var scopes: [UUID: [String: RowsAndBytes]] = [:]
            for try await (id, scope, rows, bytes) in try await connection.query(
                "SELECT tenant_id, scope, count(*), coalesce(sum(pg_column_size(m.*)), 0)::bigint FROM tmws.memories m GROUP BY 1, 2",
                logger: logger
            ).decode((UUID, String, Int64, Int64).self) {
                scopes[id, default: [:]][scope] = RowsAndBytes(rows: rows, bytes: bytes)
            }
            let (week, month) = (try await written(days: 7), try await written(days: 30))
            var usage: [TenantUsage] = []
            for summary in try await tenants() where only == nil || summary.id == only {
                usage.append(
                    TenantUsage.apportioned(
                        tenantID: summary.id, name: summary.name, scopes: scopes[summary.id] ?? [:], tables: byTenant[summary.id] ?? [:],
                        everyone: everyone, stored: stored, coldTables: ["cold_memories"], last7Days: week[summary.id] ?? .zero,
                        last30Days: month[summary.id] ?? .zero, prices: prices
                    ))
            }
            return HubUsageReport(generatedAt: Date(), prices: prices, tables: stored, tenants: usage)
        }
    }

    /// The hub's tables as PostgreSQL stores them.
    func tableStorage() async throws -> [TableStorage] {
        var tables: [TableStorage] = []
        for try await (name, rows, heap, indexes, toast) in try await connection.query(
            """
            SELECT c.relname::text, greatest(c.reltuples, 0)::bigint, pg_relation_size(c.oid), pg_indexes_size(c.oid),
                   CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'tmws' AND c.relkind = 'r' ORDER BY 1
            """,
            logger: logger
        ).decode((String, Int64, Int64, Int64, Int64).self) {
            tables.append(TableStorage(table: name, rows: rows, heapBytes: heap, indexBytes: indexes, toastBytes: toast))
        }
        return tables
    }

    /// The tables whose rows belong to a tenant (named by the catalog, and plain names only:
    /// they are written into the statements above).
    func tenantTables() async throws -> [String] {
        var tables: [String] = []
        for try await name in try await connection.query(
            """
            SELECT c.table_name::text FROM information_schema.columns c JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'tmws' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1
            """,
            logger: logger
        ).decode(String.self) where name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) {
            tables.append(name)
        }
        return tables
    }

    /// What each tenant wrote in the last `days` days: memories made, changes logged, audit records.
    func written(days: Int) async throws -> [UUID: RowsAndBytes] {
        var written: [UUID: RowsAndBytes] = [:]
        let since = "\(days) days"
        for try await (id, rows, bytes) in try await connection.query(
            """
            SELECT tenant_id, count(*), coalesce(sum(size), 0)::bigint FROM (
                SELECT tenant_id, pg_column_size(m.*) AS size FROM tmws.memories m WHERE m.created_at > now() - \(since)::interval
                UNION ALL
                SELECT tenant_id, pg_column_size(l.*) FROM tmws.change_log l WHERE l.recorded_at > now() - \(since)::interval
                UNION ALL
                SELECT tenant_id, pg_column_size(a.*) FROM tmws.audit_log a WHERE a.at > now() - \(since)::interval
            ) AS recent GROUP BY 1
            """,
            logger: logger
        ).decode((UUID, Int64, Int64).self) {
            written[id] = RowsAndBytes(rows: rows, bytes: bytes)
        }
        return written
    }
}
