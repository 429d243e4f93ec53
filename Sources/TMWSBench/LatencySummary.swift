/// Percentiles of a set of measured durations, in milliseconds.
package struct LatencySummary: Sendable, Hashable, Codable {
    package var count: Int
    package var p50: Double
    package var p95: Double
    package var p99: Double
    package var max: Double

    /// Summarises samples (nearest-rank percentiles).
    package init(_ samples: [Duration]) {
        let sorted = samples.map(Self.milliseconds).sorted()
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((q * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        count = sorted.count
        p50 = rank(0.50)
        p95 = rank(0.95)
        p99 = rank(0.99)
        max = sorted.last ?? 0
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
