import ArgumentParser
import TMWSCore

/// `tmws memory update`.
struct MemoryUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a memory; its version increases by one.",
        discussion: """
            Only the fields given change; --tag replaces the whole tag set. With --expected-version the \
            update fails (exit 1) when someone else changed the memory since you read that version.
            """
    )

    @Argument(help: ArgumentHelp("The memory's id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The new text ('-': read standard input).", valueName: "text"))
    var content: String?

    @OptionGroup var fields: MemoryFieldOptions

    @Flag(name: .customLong("clear-tags"), help: "Remove every tag.")
    var clearTags = false

    @Flag(name: .customLong("no-ttl"), help: "Remove the expiry.")
    var noTTL = false

    @Option(name: .customLong("expected-version"), help: ArgumentHelp("Fail unless the stored version is this one.", valueName: "n"))
    var expectedVersion: Int?

    @Option(help: ArgumentHelp("The team of a SHARED memory, by name or id (implies --scope SHARED; default: the node's only team).", valueName: "team"))
    var team: String?

    @Option(help: ArgumentHelp("The id of a memory this one replaces: it stays, out of default search.", valueName: "id"))
    var supersedes: String?

    @Flag(name: .customLong("no-supersedes"), help: "End this memory's supersession: the memory it replaced comes back.")
    var noSupersedes = false

    @Flag(name: .customLong("pin"), help: "Pin it: never expires (the expiry is removed), never archived or evicted.")
    var pin = false

    @Flag(name: .customLong("unpin"), help: "Unpin it.")
    var unpin = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if clearTags && !fields.tags.isEmpty {
            throw ValidationError("--clear-tags and --tag cannot be combined")
        }
        if supersedes != nil && noSupersedes { throw ValidationError("--supersedes and --no-supersedes cannot be combined") }
        if pin && unpin { throw ValidationError("--pin and --unpin cannot be combined") }
    }

    func run() async throws {
        let id = try MemoryID(parsing: id)
        let newContent = try content.map { $0 == "-" ? try Terminal.readStandardInput() : $0 }
        var change = MemoryService.Change(
            content: newContent,
            scope: try fields.parsedScope(),
            namespace: try fields.parsedNamespace(),
            tags: clearTags ? [] : (fields.tags.isEmpty ? nil : fields.tags),
            importance: fields.importance,
            ttlDays: fields.ttlDays,
            clearTTL: noTTL,
            metadata: try fields.parsedMetadata(),
            expectedVersion: expectedVersion,
            redact: fields.redact
        )
        let context = try AppContext(options: global)
        change.team = team
        if let supersedes {
            change.supersedes = .some(try MemoryID(parsing: supersedes, field: "supersedes"))
        } else if noSupersedes {
            change.supersedes = .some(nil)
        }
        change.pinned = pin ? true : unpin ? false : nil
        let memory = try await context.openService().update(id, change, by: context.caller)
        if change.content != nil || change.scope != nil || change.tags != nil || change.metadata != nil {
            MemoryFormatting.printClassificationNotes(memory.classification)
        }
        if global.json {
            try Terminal.printJSON(memory)
        } else {
            print("updated \(memory.id) to version \(memory.version)")
        }
    }
}
