import ArgumentParser
import Foundation
import TMWSCore

/// `tmws memory pin` and `unpin`.
struct MemoryPin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep memories forever: never expired, archived or evicted.",
        discussion: """
            A pin removes the memory's expiry and replicates like any edit: a pinned GLOBAL or SHARED \
            memory is kept on every device. 'tmws memory unpin' undoes it (the expiry does not come back).
            """
    )
    @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String]
    @OptionGroup var global: GlobalOptions

    func run() async throws { try await Self.pin(ids, true, global) }

    static func pin(_ ids: [String], _ pinned: Bool, _ global: GlobalOptions) async throws {
        let parsed = try ids.map { try MemoryID(parsing: $0) }
        let context = try AppContext(options: global)
        let changed = try await context.openService().pin(parsed, pinned, by: context.caller)
        let word = pinned ? "pinned" : "unpinned"
        if global.json { return try Terminal.printJSON([word: changed.map(\.id)]) }
        print("\(word) \(changed.count) of \(Set(parsed).count) memories")
        if changed.count < Set(parsed).count { print("the others were \(word) already") }
    }
}

struct MemoryUnpin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpin", abstract: "Unpin memories (their expiry does not come back).")
    @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String]
    @OptionGroup var global: GlobalOptions

    func run() async throws { try await MemoryPin.pin(ids, false, global) }
}

/// `tmws memory history`.
struct MemoryHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a memory's supersession chain, oldest first.",
        discussion: """
            The memories it replaced, itself, and the memories that replace it. A superseded memory \
            stays with its provenance and leaves default search; 'tmws memory unsupersede ID' brings \
            it back.
            """
    )
    @Argument(help: ArgumentHelp("A memory's id.", valueName: "id")) var id: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let id = try MemoryID(parsing: id)
        let context = try AppContext(options: global)
        let chain = try await context.openService().history(id)
        if global.json { return try Terminal.printJSON(HistoryResult(memories: chain)) }
        var table = TextTable("", "ID", "SUPERSEDES", "AGENT", "DEVICE", "UPDATED", "CONTENT")
        for memory in chain {
            table.append([
                memory.id == id ? "*" : "", memory.id.description, memory.supersedes?.description ?? "-", memory.agentID, memory.originDevice,
                ISO8601.string(from: memory.updatedAt.date), TextTable.excerpt(memory.content),
            ])
        }
        print(table.render())
    }
}

/// `tmws memory unsupersede`.
struct MemoryUnsupersede: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsupersede",
        abstract: "Undo a supersession: the replaced memory comes back to search.",
        discussion: """
            Given the newer memory, it stops superseding the older one; given the older one, every \
            memory that supersedes it lets go. Replicates like any edit.
            """
    )
    @Argument(help: ArgumentHelp("Either memory's id.", valueName: "id")) var id: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let id = try MemoryID(parsing: id)
        let context = try AppContext(options: global)
        let changed = try await context.openService().unsupersede(id, by: context.caller)
        if global.json { return try Terminal.printJSON(["changed": changed.map(\.id)]) }
        for memory in changed { print("\(memory.id) no longer supersedes anything (version \(memory.version))") }
    }
}

/// `tmws memory dedup`.
struct MemoryDedup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Find duplicate memories in the store, and fold exact ones together.",
        discussion: """
            Compares memories of the same scope, namespace and team: exact duplicates (the same text \
            once case, width, spacing and closing punctuation are set aside) and near duplicates \
            (MinHash over words and CJK character pairs, then the overlap measured exactly). Pairs \
            whose numbers, negations or a few words differ are listed as possible contradictions.

            With --dry-run nothing changes. Without it, each exact duplicate is deleted and its tags \
            and importance folded into the oldest copy; near duplicates and contradictions are only \
            listed (supersede or delete them by hand). New writes are checked as they come \
            (memory.dedup = off | report | merge).
            """
    )
    @Flag(name: .customLong("dry-run"), help: "Report only; change nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Only this namespace.", valueName: "namespace")) var namespace: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try AppContext(options: global)
        let service = try await context.openService()
        var filter = MemoryFilter(namespace: try namespace.map { try Namespace(validating: $0) })
        filter.includeSuperseded = false
        let report = try await service.findDuplicates(filter: filter)
        var removed: [MemoryID] = []
        if !dryRun { removed = try await service.foldExactDuplicates(report, by: context.caller) }
        if global.json { return try Terminal.printJSON(DedupOutput(report: report, dryRun: dryRun, removed: removed)) }
        print("\(report.memories) memories compared")
        print("exact duplicates: \(report.exactGroups.count) groups, \(report.exactGroups.reduce(0) { $0 + $1.count - 1 }) extra copies")
        for group in report.exactGroups { print("  " + group.map(\.description).joined(separator: " = ")) }
        print("near duplicates: \(report.near.count) pairs")
        for pair in report.near { print("  \(pair.a) ~ \(pair.b) (similarity \(String(format: "%.2f", pair.similarity)))") }
        print("possible contradictions: \(report.contradictions.count) pairs")
        for pair in report.contradictions { print("  \(pair.a) vs \(pair.b) (\(pair.reason ?? "changed"))") }
        if dryRun {
            print("dry run: nothing changed")
        } else {
            print("deleted \(removed.count) exact copies (their tags kept on the oldest)")
        }
    }

    struct DedupOutput: Encodable {
        var report: DuplicateReport
        var dryRun: Bool
        var removed: [MemoryID]
        enum CodingKeys: String, CodingKey {
            case report, removed
            case dryRun = "dry_run"
        }
    }
}

/// `tmws review`.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Settle GLOBAL and SHARED memories held as instructions aimed at agents.",
        discussion: """
            A GLOBAL or SHARED memory reaches every agent of the tenant. One that tells agents to run \
            commands, fetch from or send to URLs, change their own rules or turn off checks is held \
            as unreviewed: searches mark it 'reviewed: false' with who wrote it, on every device \
            (each device's own detector decides; none trusts another's verdict). 'accept' marks it \
            reviewed on this device; 'reject' deletes it everywhere.
            """,
        subcommands: [List.self, Accept.self, Reject.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List memories held for review, newest first.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let page = try await context.openService().pendingReviews(limit: MemoryService.maximumLimit)
            if global.json { return try Terminal.printJSON(MemoryPageResult(page)) }
            guard !page.memories.isEmpty else { return print("nothing to review") }
            var table = TextTable("ID", "SCOPE", "FOUND", "AGENT", "DEVICE", "CONTENT")
            for memory in page.memories {
                table.append([
                    memory.id.description, memory.scope.rawValue, (memory.review?.kinds ?? []).map(\.rawValue).joined(separator: ","),
                    memory.agentID, memory.originDevice, TextTable.excerpt(memory.content),
                ])
            }
            print(table.render())
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept memories held for review (on this device).")
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String]
        @OptionGroup var global: GlobalOptions

        func run() async throws { try await ReviewCommand.settle(ids, accept: true, global) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject memories held for review: they are deleted on every device.")
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String]
        @OptionGroup var global: GlobalOptions

        func run() async throws { try await ReviewCommand.settle(ids, accept: false, global) }
    }

    static func settle(_ ids: [String], accept: Bool, _ global: GlobalOptions) async throws {
        let parsed = try ids.map { try MemoryID(parsing: $0) }
        let context = try AppContext(options: global)
        let service = try await context.openService()
        var settled: [Memory] = []
        for id in parsed { settled.append(try await service.review(id, accept: accept, by: context.caller)) }
        if global.json { return try Terminal.printJSON([accept ? "accepted" : "rejected": settled.map(\.id)]) }
        for memory in settled { print(accept ? "accepted \(memory.id)" : "rejected \(memory.id): deleted") }
    }
}
