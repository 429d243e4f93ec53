import ArgumentParser
import TMWSCore

/// `tmws memory list`.
struct MemoryList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List memories, newest first, one page at a time.",
        discussion: "Pass the printed next cursor to --cursor for the following page."
    )

    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("Memories per page (1–1000).", valueName: "n"))
    var limit = 50

    @Option(help: ArgumentHelp("The next_cursor of the previous page.", valueName: "cursor"))
    var cursor: String?

    @Option(
        help: ArgumentHelp(
            "With --json: fit the page in about this many tokens (200–1,000,000); the next page starts after the last memory shown.", valueName: "n"))
    var maxTokens: Int?

    @Flag(help: "With --json: cut each content to its first line.")
    var compact = false

    @OptionGroup var global: GlobalOptions

    /// This command line again, with the next page's cursor instead of this one's.
    static func nextPageCommand(cursor: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--cursor" {
                skipNext = true
                continue
            }
            if argument.hasPrefix("--cursor=") { continue }
            kept.append(argument)
        }
        return (["tmws"] + kept + ["--cursor", cursor]).map(Self.shellQuoted).joined(separator: " ")
    }

    private static func shellQuoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./=:@,+".unicodeScalars.contains($0))
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    func run() async throws {
        let budget = try maxTokens.map(TokenBudget.init(maxTokens:))
        let request = ListRequest(filter: try filters.filter(), limit: limit, cursor: cursor)
        let context = try AppContext(options: global)
        let page = try await context.openService().list(request)
        if global.json {
            try Terminal.printJSON(MemoryPageResult(page).fitting(budget, compact: compact))
            return
        }
        if page.memories.isEmpty {
            print("no memories")
            return
        }
        print(MemoryFormatting.table(page.memories))
        if let next = page.nextCursor {
            print("\nmore: \(Self.nextPageCommand(cursor: next))")
        }
    }
}
