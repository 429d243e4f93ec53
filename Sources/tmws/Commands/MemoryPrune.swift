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

    func run() async throws {
        let context = try AppContext(options: global)
        let outcome = try await context.openService().prune(dryRun: dryRun, by: context.caller)
        if global.json {
            try Terminal.printJSON(PruneResult(outcome, dryRun: dryRun))
        } else {
            let verb = dryRun ? "would remove" : "removed"
            print("\(verb) \(outcome.expired.count) expired memories and \(outcome.tombstones) tombstones")
        }
    }
}
