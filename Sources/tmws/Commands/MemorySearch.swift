import ArgumentParser
import Foundation
import TMWSCore

/// `tmws memory search`.
struct MemorySearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search by words and by meaning, best match first, with scores.",
        discussion: """
            With an embedding model installed ('tmws models install') the default mode is hybrid: \
            the memories nearest in meaning (multilingual-e5-small: a question in other words, or in \
            Japanese or Chinese, finds its note) fused with the word matches; --mode lexical or \
            vector picks one. Memories written since the last 'tmws serve' or 'tmws reindex' run \
            may still wait for their vectors: they are found by words meanwhile, and the count is \
            reported.

            Words match their stems ('deploys' finds 'deploy'); 'auth*' matches by prefix; Japanese and \
            other text without spaces matches anywhere in a memory. Memories with every word come first; \
            when none has them all, memories with any of them are returned, ranked by BM25.

            With hybrid mode on (TMWS_HYBRID_MODE_ENABLED=true) and the node enrolled ('tmws cloud \
            enroll'), --strategy also asks the hub for GLOBAL memories within hybrid.cloud_timeout_ms: \
            local_first asks only when the local store has fewer than --limit; cloud_first puts the \
            hub's first; hybrid fuses both by rank. Each result says where it came from; when the hub \
            is slow or down the local results are printed and the fallback is reported.

            --max-tokens fits the answer (the JSON an agent reads) in about that many tokens, \
            estimated without any model's vocabulary: the best results that fit, in order; a long \
            content is cut and ends in …[trimmed]; the answer's budget says how many were left out. \
            --compact cuts each content to its first line.
            """
    )

    @Argument(help: ArgumentHelp("What to look for.", valueName: "query"))
    var query: String

    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("The most results (1–1000; default search.default_limit, 10).", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("local_first, cloud_first or hybrid (default hybrid.search_strategy, local_first).", valueName: "strategy"))
    var strategy: String?

    @Option(
        help: ArgumentHelp(
            "lexical (words), vector (meaning) or hybrid (both fused); default hybrid when an embedding model is installed.",
            valueName: "mode"))
    var mode: String?

    @Option(help: ArgumentHelp("Fit the answer in about this many tokens (200–1,000,000).", valueName: "n"))
    var maxTokens: Int?

    @Flag(help: "Cut each content to its first line.")
    var compact = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let budget = try maxTokens.map(TokenBudget.init(maxTokens:))
        let context = try AppContext(options: global)
        if try context.cloud() != nil {
            return try await routed(context, budget: budget)
        }
        if let strategy { _ = try SearchStrategy(parsing: strategy) }
        let filter = try filters.filter()
        let request = SearchRequest(
            query: query, filter: filter, limit: limit ?? context.configuration.searchLimit, mode: try mode.map(SearchMode.init(parsing:)))
        let service = try await context.openService(searching: true)
        let outcome = try await service.searchOutcome(request)
        let hits = outcome.hits
        try await service.flushAccesses()
        if let note = outcome.note, request.mode != nil {
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }
        if let pending = outcome.pendingEmbeddings, pending > 0, !global.json {
            FileHandle.standardError.write(Data("\(pending) memories are still waiting for their vectors (found by words only meanwhile)\n".utf8))
        }
        let results = SearchResults(outcome).fitting(budget, compact: compact)
        if global.json {
            // Full precision: BM25 gives words found in most memories of a small store scores
            // near zero (FTS5 floors a negative IDF at 1e-6), and rounding would flatten them.
            return try Terminal.printJSON(results)
        }
        if hits.isEmpty {
            print("no matches")
        } else {
            print(MemoryFormatting.table(results.results.map(\.memory), scores: results.results.map(\.score)))
        }
        if let hint = results.budget?.hint { FileHandle.standardError.write(Data((hint + "\n").utf8)) }
    }

    /// A search that may ask the hub.
    func routed(_ context: AppContext, budget: TokenBudget?) async throws {
        let strategy = try self.strategy.map(SearchStrategy.init(parsing:)) ?? context.configuration.searchStrategy
        let request = SearchRequest(
            query: query, filter: try filters.filter(), limit: limit ?? context.configuration.searchLimit,
            mode: try mode.map(SearchMode.init(parsing:)))
        let service = try await context.openService(searching: true)
        let results = try await context.hybridSearch(service).search(request, strategy: strategy).fitting(budget, compact: compact)
        try await service.flushAccesses()
        if results.fellBack {
            FileHandle.standardError.write(Data("the hub did not answer in time: local results only\n".utf8))
        }
        if global.json { return try Terminal.printJSON(results) }
        guard !results.results.isEmpty else { return print("no matches") }
        var table = TextTable("ID", "SOURCE", "SCOPE", "SCORE", "CONTENT")
        for hit in results.results {
            let text = hit.content.replacingOccurrences(of: "\n", with: " ")
            table.append([
                hit.id.description, hit.source.rawValue, hit.scope.rawValue, String(format: "%.3f", hit.score),
                text.count > 60 ? String(text.prefix(59)) + "…" : text,
            ])
        }
        print(table.render())
        if let hint = results.budget?.hint { FileHandle.standardError.write(Data((hint + "\n").utf8)) }
    }
}
