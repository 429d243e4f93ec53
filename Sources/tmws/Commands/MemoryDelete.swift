import ArgumentParser
import TMWSCore

/// `tmws memory delete`.
struct MemoryDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a memory.",
        discussion: "Its content is erased at once; a tombstone (id and version) stays so the deletion can sync."
    )

    @Argument(help: ArgumentHelp("The memory's id.", valueName: "id"))
    var id: String

    @Option(name: .customLong("expected-version"), help: ArgumentHelp("Fail unless the stored version is this one.", valueName: "n"))
    var expectedVersion: Int?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let id = try MemoryID(parsing: id)
        let context = try AppContext(options: global)
        let tombstone = try await context.openService().delete(id, expectedVersion: expectedVersion, by: context.caller)
        if global.json {
            try Terminal.printJSON(DeleteResult(tombstone))
        } else {
            print("deleted \(tombstone.id)")
        }
    }
}
