import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tmws_bm25(memory_fts)`: Okapi BM25 with Lucene's IDF, `log(1 + (N − n + 0.5) / (n + 0.5))`,
/// which stays positive. FTS5's own `bm25()` uses `log((N − n + 0.5) / (n + 0.5))` and floors
/// it at 1e-6, so on a small store a word found in half the memories or more counts for
/// nothing and scores print as `1e-06`. Higher is better (FTS5's is negative).
///
/// Parameters as FTS5's and Lucene's defaults: k1 = 1.2, b = 0.75, one column.
///
/// `tmws_bm25(memory_fts, 'coverage')` is the share of the query's IDF a row matches (1: every
/// word; a rare word outweighs a common one). Both calls in one statement share the statistics.
enum BM25 {
    static let functionName = "tmws_bm25"

    /// Registers the function on a connection (called for every connection the pool opens).
    static func register(_ db: Database) {
        let api = FTS5.api(db)
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), functionName, nil, rank, nil)
    }

    /// The per-query document frequencies, kept as FTS5 auxiliary data: `[phraseCount, N, avgdl, idf…]`.
    private static let rank: fts5_extension_function = { api, fts, context, argumentCount, _ in
        guard let api, let fts else { return sqlite3_result_null(context) }
        let functions = api.pointee
        var idf = functions.xGetAuxdata(fts, 0)?.assumingMemoryBound(to: Double.self)
        if idf == nil {
            idf = statistics(functions, fts)
            guard idf != nil else { return sqlite3_result_error(context, "tmws_bm25: cannot read the index statistics", -1) }
            _ = functions.xSetAuxdata(fts, idf, { free($0) })
        }
        guard let idf else { return sqlite3_result_null(context) }
        let phraseCount = Int(idf[0])
        let averageLength = idf[2]

        var instances: Int32 = 0
        guard functions.xInstCount(fts, &instances) == SQLITE_OK else { return sqlite3_result_error(context, "tmws_bm25", -1) }
        var length: Int32 = 0
        _ = functions.xColumnSize(fts, -1, &length)
        let k1 = 1.2
        let b = 0.75
        let norm = k1 * (1 - b + b * Double(length) / max(averageLength, 1))
        // Called once per matching row: the term frequencies live on the stack, not the heap.
        let score = withUnsafeTemporaryAllocation(of: Double.self, capacity: max(phraseCount, 1)) { frequencies in
            frequencies.initialize(repeating: 0)
            for index in 0..<instances {
                var phrase: Int32 = 0
                var column: Int32 = 0
                var offset: Int32 = 0
                if functions.xInst(fts, index, &phrase, &column, &offset) == SQLITE_OK, Int(phrase) < phraseCount {
                    frequencies[Int(phrase)] += 1
                }
            }
            if argumentCount > 0 {
                var matched = 0.0
                var total = 0.0
                for phrase in 0..<phraseCount {
                    total += idf[3 + phrase]
                    if frequencies[phrase] > 0 { matched += idf[3 + phrase] }
                }
                return total > 0 ? matched / total : 1
            }
            var score = 0.0
            for phrase in 0..<phraseCount where frequencies[phrase] > 0 {
                let tf = frequencies[phrase]
                score += idf[3 + phrase] * tf * (k1 + 1) / (tf + norm)
            }
            return score
        }
        sqlite3_result_double(context, score)
    }

    /// Counts, once per query, the rows and tokens of the index and the rows that hold each
    /// phrase, and turns them into IDFs. The buffer is `malloc`ed: FTS5 frees it with the query.
    private static func statistics(_ functions: Fts5ExtensionApi, _ fts: OpaquePointer) -> UnsafeMutablePointer<Double>? {
        var rows: sqlite3_int64 = 0
        var tokens: sqlite3_int64 = 0
        guard functions.xRowCount(fts, &rows) == SQLITE_OK, functions.xColumnTotalSize(fts, -1, &tokens) == SQLITE_OK else { return nil }
        let phraseCount = Int(functions.xPhraseCount(fts))
        guard let buffer = malloc(MemoryLayout<Double>.stride * (3 + phraseCount))?.assumingMemoryBound(to: Double.self) else { return nil }
        buffer[0] = Double(phraseCount)
        buffer[1] = Double(rows)
        buffer[2] = rows > 0 ? Double(tokens) / Double(rows) : 0
        for phrase in 0..<phraseCount {
            var hits: sqlite3_int64 = 0
            let code = functions.xQueryPhrase(fts, Int32(phrase), &hits) { _, _, counter in
                counter?.assumingMemoryBound(to: sqlite3_int64.self).pointee += 1
                return SQLITE_OK
            }
            guard code == SQLITE_OK else {
                free(buffer)
                return nil
            }
            let n = Double(hits)
            let total = Double(rows)
            buffer[3 + phrase] = log(1 + (total - n + 0.5) / (n + 0.5))
        }
        return buffer
    }
}
