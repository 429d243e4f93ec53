import Foundation

extension Array where Element: Sendable {
    /// `map` over every core, in order: the array is cut into a few chunks per core, each
    /// mapped by a child task. For CPU-bound work on hundreds of elements (classifying a
    /// batch of change events); a short array is mapped in place.
    package func parallelMap<T: Sendable>(minimumChunk: Int = 32, _ transform: @escaping @Sendable (Element) -> T) async -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, count >= minimumChunk * 2 else { return map(transform) }
        let chunkSize = Swift.max(minimumChunk, (count + cores - 1) / cores)
        let chunks = stride(from: 0, to: count, by: chunkSize).map { Array(self[$0..<Swift.min($0 + chunkSize, count)]) }
        return await withTaskGroup(of: (Int, [T]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask { (index, chunk.map(transform)) }
            }
            var results = [[T]](repeating: [], count: chunks.count)
            for await (index, mapped) in group { results[index] = mapped }
            return results.flatMap { $0 }
        }
    }
}
