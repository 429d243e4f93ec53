import CTMWSE5
import Foundation
import TMWSCore

/// multilingual-e5-small, run by the engine in `CTMWSE5` over the 4-bit model file that
/// `tmws models install` puts in `$TMWS_HOME/models`.
///
/// One model serves every thread (it is read-only once open). Texts longer than the model's
/// 512 tokens are cut into windows whose vectors are averaged, weighted by their tokens; past
/// ``maximumWindows`` windows the rest of a text is not read.
package final class E5Model: @unchecked Sendable {
    /// The id stored with every vector this model makes.
    package static let modelID = "multilingual-e5-small-q4"
    /// The file's name under `$TMWS_HOME/models`.
    package static let fileName = "multilingual-e5-small-q4.bin"
    /// At most this many 510-token windows of a text are embedded (about 3,000 words).
    package static let maximumWindows = 8

    private let handle: OpaquePointer
    package let dimension: Int
    private let maximumTokens: Int
    private let bos: Int32
    private let eos: Int32

    /// Opens and checks a model file.
    ///
    /// - Throws: `invalid_input` naming the problem (a missing file, another format, a size
    ///   that does not add up), never a crash on a damaged file.
    package init(path: String) throws {
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = tmws_e5_open(path, &error, error.count) else {
            let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TMWSError(.configuration, "cannot load the embedding model \(path): \(message)", field: "embedding.model_path")
        }
        self.handle = handle
        dimension = Int(tmws_e5_dimension(handle))
        maximumTokens = Int(tmws_e5_max_tokens(handle))
        bos = Int32(tmws_e5_bos(handle))
        eos = Int32(tmws_e5_eos(handle))
    }

    deinit {
        tmws_e5_close(handle)
    }

    /// The content token ids of `text` (no `<s>`, `</s>`).
    package func tokenize(_ text: String) -> [Int32] {
        var utf8 = Array(text.utf8)
        utf8.append(0)
        var capacity = utf8.count + 8
        while true {
            var ids = [Int32](repeating: 0, count: capacity)
            let count = utf8.withUnsafeBufferPointer { bytes in
                bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
                    tmws_e5_tokenize(handle, text, bytes.count - 1, &ids, Int32(capacity))
                }
            }
            if count < 0 { return [] }
            if Int(count) <= capacity { return Array(ids.prefix(Int(count))) }
            capacity = Int(count)
        }
    }

    /// The text as the model reads it: e5 was trained with these prefixes.
    package static func prefixed(_ text: String, as role: EmbeddingRole) -> String {
        (role == .query ? "query: " : "passage: ") + text
    }

    /// L2-normalised vectors of `texts`, in order, computed on up to `threads` threads at once.
    /// Runs on the calling thread (and others it starts): call it off the cooperative pool.
    package func embed(_ texts: [String], as role: EmbeddingRole, threads: Int = 1) -> [[Float]] {
        // Each text's windows: (text index, ids with <s> and </s>).
        var windows: [(text: Int, ids: [Int32])] = []
        let width = maximumTokens - 2
        for (index, text) in texts.enumerated() {
            let ids = tokenize(Self.prefixed(text, as: role))
            var start = 0
            var made = 0
            repeat {
                let end = min(start + width, ids.count)
                windows.append((index, [bos] + ids[start..<end] + [eos]))
                start = end
                made += 1
            } while start < ids.count && made < Self.maximumWindows
        }
        // Batches of windows up to ~2,048 tokens (the weights are read once per batch), and at
        // least one per thread, so every thread has work.
        let total = windows.reduce(0) { $0 + $1.ids.count }
        let budget = max(1, min(2048, (total + threads - 1) / max(1, threads)))
        var batches: [[Int]] = [[]]
        var tokens = 0
        for (index, window) in windows.enumerated() {
            if tokens + window.ids.count > budget, !batches[batches.count - 1].isEmpty {
                batches.append([])
                tokens = 0
            }
            batches[batches.count - 1].append(index)
            tokens += window.ids.count
        }
        let output = Output(count: max(1, windows.count * dimension))
        let pooled = output.floats
        let (allWindows, allBatches, dimension) = (windows, batches, dimension)
        let lanes = max(1, min(threads, batches.count))
        let next = NextBatch()
        Self.run(lanes: lanes, background: role == .passage) {
            let pooled = output.floats
            while let batch = next.take(below: allBatches.count) {
                let members = allBatches[batch]
                let ids = members.flatMap { allWindows[$0].ids }
                let lengths = members.map { Int32(allWindows[$0].ids.count) }
                var out = [Float](repeating: 0, count: members.count * dimension)
                let status = tmws_e5_encode(self.handle, ids, lengths, Int32(members.count), &out)
                precondition(status == 0, "tmws_e5_encode refused ids the tokenizer made")
                for (slot, window) in members.enumerated() {
                    for i in 0..<dimension { pooled[window * dimension + i] = out[slot * dimension + i] }
                }
            }
        }
        var vectors = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: texts.count)
        var weights = [Float](repeating: 0, count: texts.count)
        for (index, window) in windows.enumerated() {
            let weight = Float(window.ids.count - 2)
            weights[window.text] += weight
            for i in 0..<dimension { vectors[window.text][i] += weight * pooled[index * dimension + i] }
        }
        return vectors.map { vector in
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? vector.map { $0 / norm } : vector
        }
    }

    /// Runs `work` on `lanes` threads and waits for them. Background work (embedding stored
    /// memories) runs on threads of their own under Linux's idle policy (`SCHED_IDLE`; nice 19
    /// where refused), so the writes and searches it runs beside take a core the moment they
    /// want one; a query's embedding runs at full priority.
    private static func run(lanes: Int, background: Bool, _ work: @escaping @Sendable () -> Void) {
        guard background else {
            DispatchQueue.concurrentPerform(iterations: lanes) { _ in work() }
            return
        }
        let done = DispatchGroup()
        for _ in 0..<lanes {
            done.enter()
            let thread = Thread {
                // Only this thread, which ends with the work, is lowered.
                _ = tmws_e5_background_thread()
                work()
                done.leave()
            }
            thread.start()
        }
        done.wait()
    }

    /// Whether the engine runs its AVX2 kernels here.
    package static var usesAVX2: Bool { tmws_e5_uses_avx2() != 0 }

    /// Each batch writes its own windows' rows of one buffer.
    private final class Output: @unchecked Sendable {
        let floats: UnsafeMutableBufferPointer<Float>
        init(count: Int) { floats = .allocate(capacity: count) }
        deinit { floats.deallocate() }
    }

    private final class NextBatch: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        func take(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
