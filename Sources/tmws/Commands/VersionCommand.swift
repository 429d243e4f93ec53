import ArgumentParser

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
            try Terminal.printJSON(Output(version: TMWSCommand.version, schema: "v1-memories"))
        } else {
            print("tmws \(TMWSCommand.version)")
        }
    }
}
