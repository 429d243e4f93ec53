import ArgumentParser
import Foundation
import TMWSCore

/// `tmws archive`: old, rarely read PROJECT memories moved out of the default search.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move old, rarely read PROJECT memories out of the default search, compressed, and bring them back.",
        discussion: """
            A PROJECT memory created, changed and last read more than archive.older_than_days ago (default 90) and read \
            at most archive.max_reads times (default 2), and not pinned, moves to the archive: its text is compressed and \
            indexed apart, out of the default search. Nothing is deleted. 'memory search' and 'memory list' find archived \
            memories with --include-archived; reading one by id ('memory get'), or updating it, brings it back; 'restore' \
            brings back some or all. 'tmws serve' runs the archive every archive.interval_h hours (default 24; 0 never).
            """,
        subcommands: [Run.self, List.self, Restore.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive the memories the policy selects (--dry-run only counts them).")
        @Option(help: ArgumentHelp("Days since a memory was created, last changed and last read (default: archive.older_than_days).", valueName: "days"))
        var olderThanDays: Int?
        @Option(help: ArgumentHelp("The most reads an archived memory may have had (default: archive.max_reads).", valueName: "count"))
        var maxReads: Int?
        @Flag(help: "Say what would move, and move nothing.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let configured = context.configuration.archivePolicy
            let policy = try LocalArchivePolicy(
                olderThanDays: olderThanDays ?? configured.olderThanDays, maximumReads: maxReads ?? configured.maximumReads)
            let store = try await context.openStore()
            let started = ContinuousClock.now
            let outcome = try await store.archive(policy, dryRun: dryRun)
            let seconds = (ContinuousClock.now - started).seconds
            if global.json { return try Terminal.printJSON(RunResult(outcome, policy: policy, dryRun: dryRun, seconds: seconds)) }
            let text = HubUsageCommand.bytes(Int64(outcome.textBytes))
            if dryRun {
                print("would archive \(outcome.memories) memories (\(text) of text)")
            } else {
                print(
                    "archived \(outcome.memories) memories in \(String(format: "%.1f", seconds)) s: \(text) of text stored in "
                        + HubUsageCommand.bytes(Int64(outcome.storedBytes)))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List archived memories (ids, sizes and dates; never their text).")
        @Option(help: ArgumentHelp("At most this many (1-1000).", valueName: "n")) var limit = 50
        @Option(help: ArgumentHelp("The next_cursor of the previous page.", valueName: "id")) var cursor: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1-1000") }
        }

        func run() async throws {
            let after = try cursor.map { text in
                do { return try MemoryID(parsing: text) } catch {
                    throw TMWSError(.invalidInput, "malformed cursor: pass the next_cursor of the previous page", field: "cursor")
                }
            }
            let store = try await AppContext(options: global).openStore()
            let page = try await store.archived(limit: limit, after: after)
            let size = try await store.archiveSize()
            let next = page.count == limit ? page.last?.id.description : nil
            if global.json { return try Terminal.printJSON(ListResult(page: page, size: size, nextCursor: next)) }
            print("\(size.memories) archived memories, \(HubUsageCommand.bytes(Int64(size.storedBytes))) compressed")
            var table = TextTable("ID", "NAMESPACE", "CREATED", "ARCHIVED", "READS", "STORED")
            for entry in page {
                table.append([
                    entry.id.description, entry.namespace.rawValue, ISO8601.string(from: entry.createdAt),
                    ISO8601.string(from: entry.archivedAt), String(entry.accessCount), "\(entry.storedBytes) B",
                ])
            }
            if !page.isEmpty { print(table.render()) }
            if let next { print("more: --cursor \(next)") }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring archived memories back into the default search, by id or all.")
        @Flag(help: "Every archived memory.") var all = false
        @Argument(help: ArgumentHelp("Memory ids.", valueName: "id")) var ids: [String] = []
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("give memory ids, or --all") }
        }

        func run() async throws {
            let parsed = try ids.map { try MemoryID(parsing: $0) }
            let store = try await AppContext(options: global).openStore()
            let started = ContinuousClock.now
            let restored = all ? try await store.restoreAll() : try await store.restore(parsed)
            let seconds = (ContinuousClock.now - started).seconds
            if global.json { return try Terminal.printJSON(RestoreResult(restored: restored, seconds: seconds)) }
            print("restored \(restored) memories in \(String(format: "%.1f", seconds)) s")
            if !all, restored < Set(parsed).count { print("\(Set(parsed).count - restored) of the ids were not archived") }
        }
    }

    struct RunResult: Encodable {
        var dryRun: Bool
        var memories: Int
        var textBytes: Int
        var storedBytes: Int
        var olderThanDays: Int
        var maxReads: Int
        var seconds: Double

        init(_ outcome: LocalArchiveOutcome, policy: LocalArchivePolicy, dryRun: Bool, seconds: Double) {
            self.dryRun = dryRun
            memories = outcome.memories
            textBytes = outcome.textBytes
            storedBytes = outcome.storedBytes
            olderThanDays = policy.olderThanDays
            maxReads = policy.maximumReads
            self.seconds = seconds
        }

        enum CodingKeys: String, CodingKey {
            case memories, seconds
            case dryRun = "dry_run"
            case textBytes = "text_bytes"
            case storedBytes = "stored_bytes"
            case olderThanDays = "older_than_days"
            case maxReads = "max_reads"
        }
    }

    struct ListResult: Encodable {
        struct Entry: Encodable {
            var id: String
            var namespace: String
            var createdAt: String
            var archivedAt: String
            var reads: Int
            var storedBytes: Int

            enum CodingKeys: String, CodingKey {
                case id, namespace, reads
                case createdAt = "created_at"
                case archivedAt = "archived_at"
                case storedBytes = "stored_bytes"
            }
        }

        var archived: [Entry]
        var total: Int
        var totalStoredBytes: Int
        var nextCursor: String?

        init(page: [ArchivedMemory], size: (memories: Int, storedBytes: Int), nextCursor: String?) {
            archived = page.map {
                Entry(
                    id: $0.id.description, namespace: $0.namespace.rawValue, createdAt: ISO8601.string(from: $0.createdAt),
                    archivedAt: ISO8601.string(from: $0.archivedAt), reads: $0.accessCount, storedBytes: $0.storedBytes)
            }
            total = size.memories
            totalStoredBytes = size.storedBytes
            self.nextCursor = nextCursor
        }

        enum CodingKeys: String, CodingKey {
            case archived, total
            case totalStoredBytes = "total_stored_bytes"
            case nextCursor = "next_cursor"
        }
    }

    struct RestoreResult: Encodable {
        var restored: Int
        var seconds: Double
    }
}
