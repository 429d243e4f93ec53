import ArgumentParser
import Foundation
import TMWSCore
import TMWSHubDomain
import TMWSPostgres

/// `tmws hub archive`: the cold tier of GLOBAL memories.
struct HubArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move GLOBAL memories nobody changed or read in a long time to the cold tier, and back (on the hub's host, as the owner role).",
        discussion: """
            The cold tier is a table of compressed batches in the hub's database: out of every search index, still read \
            by id (GET /v1/memories/ID), exported with 'export', brought back with 'restore', and brought back by itself \
            when a node pushes a change to one. Every move is in the tenant's audit log (counts and bytes, no text).
            """,
        subcommands: [Run.self, Restore.self, Export.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive a tenant's GLOBAL memories not changed or read for --older-than-days, when the tenant is over its budget."
        )
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Option(help: ArgumentHelp("Archive only above this much stored (memories and change log): 500MB, 100GiB, 1TiB, or bytes.", valueName: "size"))
        var budget = "100GiB"
        @Option(help: ArgumentHelp("Days a memory must have gone unchanged and unread on the hub.", valueName: "days"))
        var olderThanDays = ArchivePolicy.standard.minimumAgeDays
        @Flag(help: "Say what would move, and move nothing.") var dryRun = false
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            let policy = try ArchivePolicy(budgetBytes: try ByteSize.parse(budget), minimumAgeDays: olderThanDays)
            let report = try await database.withConnection { try await HubAdmin(connection: $0).archive(tenant: tenant, policy: policy, dryRun: dryRun) }
            if database.json { return try Terminal.printJSON(report) }
            let stored = "\(HubUsageCommand.bytes(report.storedBytes)) stored, budget \(HubUsageCommand.bytes(report.budgetBytes))"
            guard report.overBudget else { return print("\(stored): under budget, nothing to archive (\(report.candidates) memories are old enough)") }
            if report.dryRun {
                return print("\(stored): would archive \(report.candidates) memories (\(HubUsageCommand.bytes(report.hotBytes)) in the hot table)")
            }
            print(
                "\(stored): archived \(report.moved) of \(report.candidates) memories in \(report.batches) batches; "
                    + "\(HubUsageCommand.bytes(report.hotBytes)) hot became \(HubUsageCommand.bytes(report.coldBytes)) cold, "
                    + "\(HubUsageCommand.bytes(report.bytesSaved)) saved")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring memories back from the cold tier, by id or all of a tenant's.")
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @Flag(help: "Every memory of the tenant's cold tier.") var all = false
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String] = []
        @OptionGroup var database: HubDatabaseOptions

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("give memory ids, or --all") }
        }

        func run() async throws {
            let parsed = try ids.map { text in
                guard let id = UUID(uuidString: text) else { throw TMWSError(.invalidInput, "a memory id is a UUID", field: "id") }
                return id
            }
            let restored = try await database.withConnection {
                try await HubAdmin(connection: $0).restore(tenant: tenant, ids: all ? nil : parsed)
            }
            if database.json { return try Terminal.printJSON(["restored": restored]) }
            print("restored \(restored) memories")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every memory of a tenant's cold tier, one JSON object a line (the rows as stored, memory text included)."
        )
        @Option(help: ArgumentHelp("The tenant (name or id).", valueName: "tenant")) var tenant: String
        @OptionGroup var database: HubDatabaseOptions

        func run() async throws {
            let count = try await database.withConnection {
                try await HubAdmin(connection: $0).exportCold(tenant: tenant) { line in
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                }
            }
            FileHandle.standardError.write(Data("exported \(count) memories\n".utf8))
        }
    }
}

/// A size as an operator writes it: bytes, or a number with B, KB, MB, GB, TB (powers of 1000)
/// or KiB, MiB, GiB, TiB (powers of 1024).
enum ByteSize {
    static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        let scale: Double? =
            switch unit {
            case "", "B": 1
            case "KB": 1e3
            case "MB": 1e6
            case "GB": 1e9
            case "TB": 1e12
            case "KIB": 1024
            case "MIB": 1_048_576
            case "GIB": 1_073_741_824
            case "TIB": 1_099_511_627_776
            default: nil
            }
        guard let number = Double(digits), let scale, number >= 0, number * scale < 9e18 else {
            throw TMWSError(.invalidInput, "a size is a number of bytes, or with KB, MB, GB, TB, KiB, MiB, GiB or TiB (for example 100GB)", field: "budget")
        }
        return Int64((number * scale).rounded())
    }
}
