import ArgumentParser
import TMWSCore

/// `tmws memory get`.
struct MemoryGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one memory.")

    @Argument(help: ArgumentHelp("The memory's id.", valueName: "id"))
    var id: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let id = try MemoryID(parsing: id)
        let context = try AppContext(options: global)
        let memory = try await context.openService().get(id)
        if global.json {
            try Terminal.printJSON(memory)
        } else {
            print(MemoryFormatting.detail(memory))
        }
    }
}
