/// Bounds on what a memory may hold. Plain values with documented defaults.
package struct MemoryLimits: Sendable, Hashable {
    /// The most characters (grapheme clusters) a memory's content may have. Default 100,000.
    package var maximumContentLength: Int
    /// The most tags on one memory. Default 32.
    package var maximumTagCount: Int
    /// The most characters in one tag. Default 64.
    package var maximumTagLength: Int
    /// The most bytes of metadata once encoded as JSON. Default 16,384.
    package var maximumMetadataBytes: Int

    package static let ttlDays: ClosedRange<Int> = 1...3650
    package static let importance: ClosedRange<Double> = 0...1

    package init(
        maximumContentLength: Int = 100_000,
        maximumTagCount: Int = 32,
        maximumTagLength: Int = 64,
        maximumMetadataBytes: Int = 16_384
    ) {
        self.maximumContentLength = maximumContentLength
        self.maximumTagCount = maximumTagCount
        self.maximumTagLength = maximumTagLength
        self.maximumMetadataBytes = maximumMetadataBytes
    }
}
