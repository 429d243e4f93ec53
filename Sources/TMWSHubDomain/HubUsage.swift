import Foundation
import TMWSCore

/// What the hub stores, by tenant, and what it costs a month: `tmws hub usage`, the roadmap's
/// monthly cost report (phase 6, «コスト分析とレポート»).
package struct HubUsageReport: Sendable, Encodable {
    package var generatedAt: Date
    package var prices: StoragePrices
    /// The database's tables as stored: heap, indexes and TOAST (every tenant together).
    package var tables: [TableStorage]
    package var tenants: [TenantUsage]

    package init(generatedAt: Date, prices: StoragePrices, tables: [TableStorage], tenants: [TenantUsage]) {
        (self.generatedAt, self.prices, self.tables, self.tenants) = (generatedAt, prices, tables, tenants)
    }

    enum CodingKeys: String, CodingKey {
        case prices, tables, tenants
        case generatedAt = "generated_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ISO8601.string(from: generatedAt), forKey: .generatedAt)
        try container.encode(prices, forKey: .prices)
        try container.encode(tables, forKey: .tables)
        try container.encode(tenants, forKey: .tenants)
    }
}

/// Prices per GiB-month of each storage tier (the operator's own). The default is a list price of
/// managed PostgreSQL storage for both: the cold tier is a table of the same database, cheaper
/// by its compression and its missing search index, not by its medium; give it its own price
/// when its tablespace sits on cheaper disks.
package struct StoragePrices: Sendable, Hashable, Encodable {
    package var hotPerGiBMonth: Double
    package var coldPerGiBMonth: Double

    package static let standard = StoragePrices(hot: 0.115, cold: 0.115)

    /// - Throws: `invalid_input` for a price that is negative or not a number.
    package init(hotPerGiBMonth: Double, coldPerGiBMonth: Double) throws {
        guard hotPerGiBMonth.isFinite, coldPerGiBMonth.isFinite, hotPerGiBMonth >= 0, coldPerGiBMonth >= 0 else {
            throw TMWSError(.invalidInput, "a price per GiB-month is a number of 0 or more", field: "price")
        }
        self.init(hot: hotPerGiBMonth, cold: coldPerGiBMonth)
    }

    private init(hot: Double, cold: Double) {
        (hotPerGiBMonth, coldPerGiBMonth) = (hot, cold)
    }

    enum CodingKeys: String, CodingKey {
        case hotPerGiBMonth = "hot_per_gib_month"
        case coldPerGiBMonth = "cold_per_gib_month"
    }

    /// The estimated monthly cost of storing these bytes.
    package func monthlyCost(hotBytes: Int64, coldBytes: Int64) -> Double {
        let gib = Double(1 << 30)
        return Double(max(hotBytes, 0)) / gib * hotPerGiBMonth + Double(max(coldBytes, 0)) / gib * coldPerGiBMonth
    }
}

/// One table as PostgreSQL stores it.
package struct TableStorage: Sendable, Hashable, Encodable {
    package var table: String
    package var rows: Int64
    package var heapBytes: Int64
    package var indexBytes: Int64
    package var toastBytes: Int64

    package init(table: String, rows: Int64, heapBytes: Int64, indexBytes: Int64, toastBytes: Int64) {
        (self.table, self.rows, self.heapBytes, self.indexBytes, self.toastBytes) = (table, rows, heapBytes, indexBytes, toastBytes)
    }

    package var totalBytes: Int64 { heapBytes + indexBytes + toastBytes }

    enum CodingKeys: String, CodingKey {
        case table, rows
        case heapBytes = "heap_bytes"
        case indexBytes = "index_bytes"
        case toastBytes = "toast_bytes"
        case totalBytes = "total_bytes"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(table, forKey: .table)
        try container.encode(rows, forKey: .rows)
        try container.encode(heapBytes, forKey: .heapBytes)
        try container.encode(indexBytes, forKey: .indexBytes)
        try container.encode(toastBytes, forKey: .toastBytes)
        try container.encode(totalBytes, forKey: .totalBytes)
    }
}

/// Rows and the bytes of their values (PostgreSQL's `pg_column_size`, after compression).
package struct RowsAndBytes: Sendable, Hashable, Encodable {
    package var rows: Int64
    package var bytes: Int64

    package init(rows: Int64, bytes: Int64) {
        (self.rows, self.bytes) = (rows, bytes)
    }

    package static let zero = RowsAndBytes(rows: 0, bytes: 0)

    package static func + (lhs: Self, rhs: Self) -> Self { RowsAndBytes(rows: lhs.rows + rhs.rows, bytes: lhs.bytes + rhs.bytes) }
}

/// One tenant's share of the hub.
package struct TenantUsage: Sendable, Hashable, Encodable {
    package var tenantID: UUID
    package var name: String
    /// Memories by scope (`GLOBAL`, `SHARED`), tombstones included.
    package var scopes: [String: RowsAndBytes]
    /// The tenant's rows in each table.
    package var tables: [String: RowsAndBytes]
    /// Rows written in the last 7 and 30 days (memories made, changes logged, audit records).
    package var last7Days: RowsAndBytes
    package var last30Days: RowsAndBytes
    /// The tenant's share of the database as stored (heap, indexes, TOAST), by its rows' share
    /// of each table's bytes.
    package var hotBytes: Int64
    /// Bytes in the cold tier.
    package var coldBytes: Int64
    package var monthlyCost: Double

    package init(
        tenantID: UUID, name: String, scopes: [String: RowsAndBytes], tables: [String: RowsAndBytes], last7Days: RowsAndBytes,
        last30Days: RowsAndBytes, hotBytes: Int64, coldBytes: Int64, monthlyCost: Double
    ) {
        (self.tenantID, self.name, self.scopes, self.tables) = (tenantID, name, scopes, tables)
        (self.last7Days, self.last30Days, self.hotBytes, self.coldBytes, self.monthlyCost) = (last7Days, last30Days, hotBytes, coldBytes, monthlyCost)
    }

    enum CodingKeys: String, CodingKey {
        case name, scopes, tables
        case tenantID = "tenant_id"
        case last7Days = "last_7_days"
        case last30Days = "last_30_days"
        case hotBytes = "hot_bytes"
        case coldBytes = "cold_bytes"
        case monthlyCost = "estimated_monthly_cost"
    }

    /// A tenant's usage from its rows in each table and the tables as stored: each table's
    /// stored bytes are shared out by the tenant's part of the table's row bytes, the cold
    /// tier's (`coldTables`) priced as cold.
    package static func apportioned(
        tenantID: UUID, name: String, scopes: [String: RowsAndBytes], tables: [String: RowsAndBytes], everyone: [String: RowsAndBytes],
        stored: [TableStorage], coldTables: Set<String>, last7Days: RowsAndBytes, last30Days: RowsAndBytes, prices: StoragePrices
    ) -> TenantUsage {
        var (hot, cold): (Int64, Int64) = (0, 0)
        for table in stored {
            guard let mine = tables[table.table], let all = everyone[table.table], all.bytes > 0 else { continue }
            let share = Int64((Double(mine.bytes) / Double(all.bytes) * Double(table.totalBytes)).rounded())
            if coldTables.contains(table.table) { cold += share } else { hot += share }
        }
        let coldBytes = cold
        return TenantUsage(
            tenantID: tenantID, name: name, scopes: scopes, tables: tables, last7Days: last7Days, last30Days: last30Days, hotBytes: hot,
            coldBytes: coldBytes, monthlyCost: prices.monthlyCost(hotBytes: hot, coldBytes: coldBytes)
        )
    }
}

/// One tenant's size as the hub's gauges show it (from every row, without reading any).
package struct TenantStorage: Sendable, Hashable {
    package var tenantID: UUID
    package var memories: Int64
    /// The bytes of its memories and its change log as stored (after compression).
    package var storedBytes: Int64

    package init(tenantID: UUID, memories: Int64, storedBytes: Int64) {
        (self.tenantID, self.memories, self.storedBytes) = (tenantID, memories, storedBytes)
    }
}
