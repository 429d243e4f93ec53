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
            sentence on standard error). An exact duplicate of a stored memory (same scope and \
            namespace) stores nothing and prints the stored memory's id; near duplicates and \
            memories the new one may contradict are named on standard error (memory.dedup).
            """
    )

    @Argument(help: ArgumentHelp("The text to remember ('-' or absent: read standard input).", valueName: "content"))
    var content: String?

    @OptionGroup var fields: MemoryFieldOptions
    @Option(help: ArgumentHelp("The team of a SHARED memory, by name or id (implies --scope SHARED; default: the node's only team).", valueName: "team"))
    var team: String?

    @Option(help: ArgumentHelp("The id of a memory this one replaces: it stays, out of default search ('tmws memory history').", valueName: "id"))
    var supersedes: String?

    @Flag(name: .customLong("pin"), help: "Keep it forever: never expires, never archived or evicted (not with --ttl-days).")
    var pin = false

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
        input.supersedes = try supersedes.map { try MemoryID(parsing: $0, field: "supersedes") }
        input.pinned = pin
        let service = try await context.openService()
        let outcome = try await service.addChecked(input, by: context.caller)
        let memory = outcome.memory
        MemoryFormatting.printClassificationNotes(memory.classification)
        for note in outcome.notes { Terminal.printNote("note: \(note)") }
        if let review = memory.review, review.isPending {
            Terminal.printNote(
                "note: held for review: it reads as an instruction to agents (\(review.kinds.map(\.rawValue).joined(separator: ", "))); 'tmws review accept \(memory.id)' once you have checked it"
            )
        }
        let stored = outcome.duplicateOf == nil && outcome.mergedInto == nil ? "stored" : "kept"
        if global.json {
            try Terminal.printJSON(outcome)
        } else if Terminal.stdoutIsTerminal {
            print("\(stored) \(memory.id) (\(memory.scope.rawValue), namespace \(memory.namespace))")
        } else {
            // For scripts: ID=$(tmws memory add …) captures the id alone.
            print(memory.id)
            Terminal.printNote("\(stored) \(memory.id) (\(memory.scope.rawValue), namespace \(memory.namespace))")
        }
    }
}
