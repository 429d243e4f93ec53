import ArgumentParser
import TMWSCore

/// `tmws memory prune`.
struct MemoryPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove expired memories and the tombstones of deleted local memories.",
        discussion: "Expired memories are already invisible; prune frees their space. --dry-run only counts."
    )

    @Flag(name: .customLong("dry-run"), help: "Report what would be removed without removing it.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var dryRun: Bool
        var expired: Int
        var expiredIDs: [MemoryID]
        var tombstones: Int

        enum CodingKeys: String, CodingKey {
            case expired, tombstones
            case dryRun = "dry_run"
            case expiredIDs = "expired_ids"
        }
    }

    func run() async throws {
        let context = try AppContext(options: global)
        let outcome = try await context.openService().prune(dryRun: dryRun, by: context.caller)
        if global.json {
            try Terminal.printJSON(Output(dryRun: dryRun, expired: outcome.expired.count, expiredIDs: outcome.expired, tombstones: outcome.tombstones))
        } else {
            let verb = dryRun ? "would remove" : "removed"
            print("\(verb) \(outcome.expired.count) expired memories and \(outcome.tombstones) tombstones")
        }
    }
}
