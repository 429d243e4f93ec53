import ArgumentParser
import Foundation
import TMWSCore
import TMWSHubDomain
import TMWSPostgres

/// `tmws hub usage`: the hub's storage by tenant and its estimated monthly cost.
struct HubUsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Report what each tenant stores on the hub and what it costs a month (on the hub's host, as the owner role).",
        discussion: """
            For every table: its rows, heap, indexes and TOAST as PostgreSQL stores them. For every tenant (or the one \
            named): its memories by scope, its rows and their bytes in each table, what it wrote in the last 7 and \
            30 days, its share of the stored bytes (each table's size shared out by the tenant's part of its row \
            bytes), and an estimated monthly cost at the given prices per GiB-month. Reads every row once: run it \
            daily or monthly, not in a loop.
            """
    )

    @Option(help: ArgumentHelp("Report this tenant only (name or id).", valueName: "tenant")) var tenant: String?
    @Option(help: ArgumentHelp("Price of hot storage (PostgreSQL) per GiB-month.", valueName: "amount"))
    var hotPrice = StoragePrices.standard.hotPerGiBMonth
    @Option(help: ArgumentHelp("Price of cold storage per GiB-month.", valueName: "amount"))
    var coldPrice = StoragePrices.standard.coldPerGiBMonth
    @OptionGroup var database: HubDatabaseOptions

    func run() async throws {
        let prices = try StoragePrices(hotPerGiBMonth: hotPrice, coldPerGiBMonth: coldPrice)
        let report = try await database.withConnection { try await HubAdmin(connection: $0).usage(tenant: tenant, prices: prices) }
        if database.json { return try Terminal.printJSON(report) }
        var tables = TextTable("TABLE", "ROWS", "HEAP", "INDEXES", "TOAST", "TOTAL")
        for table in report.tables where table.totalBytes > 0 {
            tables.append([table.table, String(table.rows)] + [table.heapBytes, table.indexBytes, table.toastBytes, table.totalBytes].map(Self.bytes))
        }
        print(tables.render())
        var tenants = TextTable("TENANT", "GLOBAL", "SHARED", "STORED", "LAST 7 DAYS", "LAST 30 DAYS", "PER MONTH")
        for usage in report.tenants {
            let scope = { (name: String) in usage.scopes[name].map { "\($0.rows) (\(Self.bytes($0.bytes)))" } ?? "0" }
            tenants.append([
                usage.name, scope("GLOBAL"), scope("SHARED"), Self.bytes(usage.hotBytes + usage.coldBytes), "+" + Self.bytes(usage.last7Days.bytes),
                "+" + Self.bytes(usage.last30Days.bytes), String(format: "%.4f", usage.monthlyCost),
            ])
        }
        print("\n" + tenants.render())
        print(String(format: "\nprices per GiB-month: hot %.4f, cold %.4f", prices.hotPerGiBMonth, prices.coldPerGiBMonth))
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
