import Foundation
import TMWSCore

/// `tmws bench local`: builds a store of `memories` synthetic memories and measures adds,
/// bulk import, search and get. The caller supplies the store, so the same loop measures
/// any ``MemoryStore``.
package struct LocalBenchmark: Sendable {
    /// What one run measured.
    package struct Report: Sendable, Codable {
        package var memories: Int
        package var singleAddMilliseconds: LatencySummary
        package var importPerSecond: Double
        package var importSeconds: Double
        package var searchMilliseconds: LatencySummary
        /// Each query's latency and hit count, to see which kinds of query cost what.
        package var searchByQuery: [QueryReport]
        package var searchQueries: Int
        package var averageHitsPerSearch: Double
        package var getMilliseconds: LatencySummary
        package var databaseBytes: Int64
        package var bytesPerMemory: Double
        package var peakMemoryBytes: Int64

        enum CodingKeys: String, CodingKey {
            case memories
            case singleAddMilliseconds = "single_add_ms"
            case importPerSecond = "import_memories_per_second"
            case importSeconds = "import_seconds"
            case searchMilliseconds = "search_ms"
            case searchByQuery = "search_by_query"
            case searchQueries = "search_queries"
            case averageHitsPerSearch = "average_hits_per_search"
            case getMilliseconds = "get_ms"
            case databaseBytes = "database_bytes"
            case bytesPerMemory = "bytes_per_memory"
            case peakMemoryBytes = "peak_memory_bytes"
        }
    }

    /// One query of the fixed set.
    package struct QueryReport: Sendable, Codable {
        package var query: String
        package var milliseconds: LatencySummary
        package var hits: Int

        enum CodingKeys: String, CodingKey {
            case query, hits
            case milliseconds = "ms"
        }
    }

    package var memories: Int
    /// Single adds measured after the import. Default 1,000.
    package var singleAdds: Int
    /// How many times each query of the fixed set runs. Default 5.
    package var searchRounds: Int
    /// Gets measured. Default 1,000.
    package var gets: Int
    package var corpus: SyntheticCorpus

    package init(memories: Int, singleAdds: Int = 1000, searchRounds: Int = 5, gets: Int = 1000, corpus: SyntheticCorpus = SyntheticCorpus()) {
        self.memories = memories
        self.singleAdds = singleAdds
        self.searchRounds = searchRounds
        self.gets = gets
        self.corpus = corpus
    }

    /// Runs the benchmark.
    ///
    /// - Parameters:
    ///   - service: a service over an empty store.
    ///   - databaseBytes: the store's size on disk, once everything is written.
    ///   - progress: called with a short description of each phase.
    package func run(
        service: MemoryService, databaseBytes: () async throws -> Int64, progress: (String) -> Void = { _ in }
    ) async throws -> Report {
        let clock = ContinuousClock()
        let caller = Caller(agentID: "bench")

        progress("import \(memories) memories")
        let lines = (0..<memories).map { Array(corpus.jsonLine($0).utf8)[...] }
        let importStart = clock.now
        let outcome = try await service.importLines(lines, batchSize: 1000, by: caller)
        let importDuration = clock.now - importStart
        precondition(outcome.imported == memories, "the benchmark corpus must import completely")

        progress("\(singleAdds) single adds")
        var addSamples: [Duration] = []
        var ids: [MemoryID] = []
        for index in 0..<singleAdds {
            let item = corpus.item(memories + index)
            let start = clock.now
            let memory = try await service.add(
                .init(content: item.content, scope: item.scope, namespace: item.namespace, tags: item.tags, importance: item.importance),
                by: caller
            )
            addSamples.append(clock.now - start)
            ids.append(memory.id)
        }

        progress("search: \(SyntheticCorpus.queries.count) queries × \(searchRounds)")
        var searchSamples: [Duration] = []
        var samplesByQuery = [[Duration]](repeating: [], count: SyntheticCorpus.queries.count)
        var hitsByQuery = [Int](repeating: 0, count: SyntheticCorpus.queries.count)
        for _ in 0..<searchRounds {
            for (index, query) in SyntheticCorpus.queries.enumerated() {
                let start = clock.now
                let results = try await service.search(SearchRequest(query: query, limit: 10))
                let elapsed = clock.now - start
                searchSamples.append(elapsed)
                samplesByQuery[index].append(elapsed)
                hitsByQuery[index] = results.count
            }
        }
        let hits = hitsByQuery.reduce(0, +) * searchRounds

        progress("\(gets) gets")
        let sample = try await service.list(ListRequest(limit: min(1000, max(1, memories)))).memories.map(\.id) + ids
        var random = SplitMix64(seed: corpus.seed)
        var getSamples: [Duration] = []
        for _ in 0..<gets where !sample.isEmpty {
            let id = sample[random.next(sample.count)]
            let start = clock.now
            _ = try await service.get(id)
            getSamples.append(clock.now - start)
        }

        let bytes = try await databaseBytes()
        let total = memories + singleAdds
        let importSeconds = LatencySummary.milliseconds(importDuration) / 1000
        return Report(
            memories: memories,
            singleAddMilliseconds: LatencySummary(addSamples),
            importPerSecond: importSeconds > 0 ? Double(memories) / importSeconds : 0,
            importSeconds: importSeconds,
            searchMilliseconds: LatencySummary(searchSamples),
            searchByQuery: SyntheticCorpus.queries.indices.map {
                QueryReport(query: SyntheticCorpus.queries[$0], milliseconds: LatencySummary(samplesByQuery[$0]), hits: hitsByQuery[$0])
            },
            searchQueries: searchSamples.count,
            averageHitsPerSearch: searchSamples.isEmpty ? 0 : Double(hits) / Double(searchSamples.count),
            getMilliseconds: LatencySummary(getSamples),
            databaseBytes: bytes,
            bytesPerMemory: total > 0 ? Double(bytes) / Double(total) : 0,
            peakMemoryBytes: Self.peakResidentBytes()
        )
    }

    /// The process's peak resident set size.
    package static func peakResidentBytes() -> Int64 {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Int64(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Int64(usage.ru_maxrss)  // bytes on Darwin
        #endif
    }
}
