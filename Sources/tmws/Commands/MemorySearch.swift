import ArgumentParser
import TMWSCore

/// `tmws memory search`.
struct MemorySearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search, best match first, with scores.",
        discussion: """
            Words match their stems ('deploys' finds 'deploy'); 'auth*' matches by prefix; Japanese and \
            other text without spaces matches anywhere in a memory. Memories with every word come first; \
            when none has them all, memories with any of them are returned, ranked by BM25.
            """
    )

    @Argument(help: ArgumentHelp("What to look for.", valueName: "query"))
    var query: String

    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("The most results (1–1000; default search.default_limit, 10).", valueName: "n"))
    var limit: Int?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let filter = try filters.filter()
        let context = try AppContext(options: global)
        let request = SearchRequest(query: query, filter: filter, limit: limit ?? context.configuration.searchLimit)
        let service = try await context.openService()
        let hits = try await service.search(request)
        try await service.flushAccesses()
        if global.json {
            // Full precision: BM25 gives words found in most memories of a small store scores
            // near zero (FTS5 floors a negative IDF at 1e-6), and rounding would flatten them.
            try Terminal.printJSON(SearchResults(hits))
        } else if hits.isEmpty {
            print("no matches")
        } else {
            print(MemoryFormatting.table(hits.map(\.memory), scores: hits.map(\.score)))
        }
    }
}
