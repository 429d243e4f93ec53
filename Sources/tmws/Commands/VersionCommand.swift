import ArgumentParser
import TMWSSQLite

/// `tmws version`.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var version: String
        var schema: String
    }

    func run() async throws {
        if global.json {
            try Terminal.printJSON(Output(version: TMWSCommand.version, schema: SQLiteMemoryStore.schemaVersion))
        } else {
            print("tmws \(TMWSCommand.version)")
        }
    }
}
