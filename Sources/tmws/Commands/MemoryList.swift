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

    @OptionGroup var global: GlobalOptions

    struct Output: Encodable {
        var memories: [Memory]
        var nextCursor: String?
        var count: Int

        enum CodingKeys: String, CodingKey {
            case memories, count
            case nextCursor = "next_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(memories, forKey: .memories)
            try container.encode(count, forKey: .count)
            try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page
        }
    }

    func run() async throws {
        let request = ListRequest(filter: try filters.filter(), limit: limit, cursor: cursor)
        let context = try AppContext(options: global)
        let page = try await context.openService().list(request)
        if global.json {
            try Terminal.printJSON(Output(memories: page.memories, nextCursor: page.nextCursor, count: page.memories.count))
            return
        }
        if page.memories.isEmpty {
            print("no memories")
            return
        }
        print(MemoryFormatting.table(page.memories))
        if let next = page.nextCursor {
            print("\nmore: tmws memory list --cursor \(next)")
        }
    }
}
