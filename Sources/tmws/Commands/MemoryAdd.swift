import ArgumentParser
import TMWSCore

/// `tmws memory add`.
struct MemoryAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store a new memory.",
        discussion: """
            The content is the argument, or standard input when the argument is '-' or absent.

            Examples:
              tmws memory add "Deploys go through staging first" --tag deploy
              git log -1 --format=%B | tmws memory add --scope PRIVATE
              ID=$(tmws memory add "a note")

            Prints the new id (on a terminal, a sentence with it; piped, the id alone, and the \
            sentence on standard error).
            """
    )

    @Argument(help: ArgumentHelp("The text to remember ('-' or absent: read standard input).", valueName: "content"))
    var content: String?

    @OptionGroup var fields: MemoryFieldOptions
    @Option(help: ArgumentHelp("The team of a SHARED memory, by name or id (implies --scope SHARED; default: the node's only team).", valueName: "team"))
    var team: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if content == nil || content == "-", Terminal.stdinIsTerminal {
            throw ValidationError("give the content as an argument or on standard input")
        }
    }

    func run() async throws {
        let text: String
        if let content, content != "-" {
            text = content
        } else {
            text = try Terminal.readStandardInput()
        }
        let context = try AppContext(options: global)
        var input = MemoryService.NewMemory(
            content: text,
            scope: try fields.parsedScope(),
            namespace: try fields.parsedNamespace(),
            tags: fields.tags,
            importance: fields.importance,
            ttlDays: fields.ttlDays,
            metadata: try fields.parsedMetadata() ?? [:],
            redact: fields.redact
        )
        input.team = team
        let service = try await context.openService()
        let memory = try await service.add(input, by: context.caller)
        MemoryFormatting.printClassificationNotes(memory.classification)
        if global.json {
            try Terminal.printJSON(memory)
        } else if Terminal.stdoutIsTerminal {
            print("stored \(memory.id) (\(memory.scope.rawValue), namespace \(memory.namespace))")
        } else {
            // For scripts: ID=$(tmws memory add …) captures the id alone.
            print(memory.id)
            Terminal.printNote("stored \(memory.id) (\(memory.scope.rawValue), namespace \(memory.namespace))")
        }
    }
}
