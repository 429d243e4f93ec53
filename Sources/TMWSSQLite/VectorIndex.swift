import CTMWSScan
import Foundation
import GRDB
import Synchronization
import TMWSCore

/// One model's vectors in memory, back to back, for a brute-force scan (`tmws_scan_i8`: about
/// 1 ms per 100,000 vectors of 384 values with AVX2).
///
/// The index follows the database, not this process's writes: before each scan it reads the
/// `vector_change` rows past the last one it saw (other processes write too) and reloads only
/// those memories' vectors; a model change, or a gap in the change list, reloads everything.
final class VectorIndex: Sendable {
    struct Entries {
        var model: String?
        var lastChange: Int64 = -1
        var dimension = 0
        var seqs: [Int64] = []
        var scales: [Float] = []
        var values: [Int8] = []
        var positions: [Int64: Int] = [:]

        mutating func reset(model: String) {
            self = Entries()
            self.model = model
        }

        mutating func remove(_ seq: Int64) {
            guard let position = positions.removeValue(forKey: seq) else { return }
            let last = seqs.count - 1
            if position != last {
                seqs[position] = seqs[last]
                scales[position] = scales[last]
                let from = last * dimension
                let to = position * dimension
                for i in 0..<dimension { values[to + i] = values[from + i] }
                positions[seqs[position]] = position
            }
            seqs.removeLast()
            scales.removeLast()
            values.removeLast(dimension)
        }

        mutating func put(_ seq: Int64, scale: Float, bytes: [UInt8]) {
            if dimension == 0 { dimension = bytes.count }
            guard bytes.count == dimension else { return }
            if let position = positions[seq] {
                scales[position] = scale
                for i in 0..<dimension { values[position * dimension + i] = Int8(bitPattern: bytes[i]) }
                return
            }
            positions[seq] = seqs.count
            seqs.append(seq)
            scales.append(scale)
            values.append(contentsOf: bytes.lazy.map { Int8(bitPattern: $0) })
        }
    }

    private let entries = Mutex(Entries())

    /// Brings the index up to date with the database for `model`.
    func refresh(_ db: Database, model: String) throws {
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(seq) FROM vector_change")) ?? 0
        let (current, known) = entries.withLock { ($0.lastChange, $0.model) }
        if known == model, current == last { return }
        let first = try Int64.fetchOne(db.cachedStatement(sql: "SELECT min(seq) FROM vector_change")) ?? 0
        if known != model || current < first - 1 || current > last {
            // Everything again: another model, or changes this index never saw were pruned.
            var fresh = Entries()
            fresh.model = model
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT memory_seq, scale, vector FROM memory_vector WHERE model = ?"), arguments: [model])
            while let row = try rows.next() {
                fresh.put(row[0], scale: Float(row[1] as Double), bytes: [UInt8](row[2] as Data))
            }
            fresh.lastChange = last
            entries.withLock { $0 = fresh }
            return
        }
        let changed = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT DISTINCT memory_seq FROM vector_change WHERE seq > ? AND seq <= ?"), arguments: [current, last])
        var rows: [Int64: (Float, [UInt8])] = [:]
        for chunk in stride(from: 0, to: changed.count, by: 500) {
            let part = Array(changed[chunk..<min(chunk + 500, changed.count)])
            for row in try Row.fetchAll(
                db,
                sql: "SELECT memory_seq, scale, vector FROM memory_vector WHERE model = ? AND memory_seq IN (\(SQLiteMemoryStore.placeholders(part.count)))",
                arguments: StatementArguments([model]) + StatementArguments(part))
            {
                rows[row[0]] = (Float(row[1] as Double), [UInt8](row[2] as Data))
            }
        }
        entries.withLock { entries in
            for seq in changed {
                if let (scale, bytes) = rows[seq] { entries.put(seq, scale: scale, bytes: bytes) } else { entries.remove(seq) }
            }
            entries.lastChange = last
        }
    }

    /// The `limit` best (seq, cosine) pairs for `query`, among `allowed` when given.
    func nearest(_ query: MemoryVector, limit: Int, allowed: Set<Int64>?) -> [(seq: Int64, similarity: Double)] {
        entries.withLock { entries in
            guard entries.dimension == query.dimension, !entries.seqs.isEmpty else { return [] }
            var scores = [Float](repeating: 0, count: entries.seqs.count)
            entries.values.withUnsafeBufferPointer { values in
                entries.scales.withUnsafeBufferPointer { scales in
                    query.values.withUnsafeBufferPointer { q in
                        tmws_scan_i8(
                            values.baseAddress, scales.baseAddress, Int64(entries.seqs.count), Int32(entries.dimension), q.baseAddress,
                            query.scale, &scores)
                    }
                }
            }
            // A bounded selection: keep the best `limit` seen so far, sorted.
            var best: [(seq: Int64, similarity: Double)] = []
            best.reserveCapacity(limit + 1)
            var floor = -Float.infinity
            for index in scores.indices where scores[index] > floor || best.count < limit {
                let seq = entries.seqs[index]
                if let allowed, !allowed.contains(seq) { continue }
                let score = Double(scores[index])
                let at = best.firstIndex { $0.similarity < score || ($0.similarity == score && $0.seq < seq) } ?? best.count
                best.insert((seq, score), at: at)
                if best.count > limit { best.removeLast() }
                if best.count == limit { floor = Float(best[limit - 1].similarity) }
            }
            return best
        }
    }

    /// Cosine similarities to the given memories (those with a vector).
    func similarities(_ query: MemoryVector, seqs: [Int64]) -> [Int64: Double] {
        entries.withLock { entries in
            guard entries.dimension == query.dimension else { return [:] }
            var result: [Int64: Double] = [:]
            for seq in seqs {
                guard let position = entries.positions[seq] else { continue }
                var dot: Int32 = 0
                let base = position * entries.dimension
                for i in 0..<entries.dimension { dot &+= Int32(entries.values[base + i]) * Int32(query.values[i]) }
                result[seq] = Double(Float(dot) * entries.scales[position] * query.scale)
            }
            return result
        }
    }

    var count: Int { entries.withLock { $0.seqs.count } }
}
