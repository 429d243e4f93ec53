/// Bounds on what a memory may hold. Plain values with documented defaults.
public struct MemoryLimits: Sendable, Hashable {
    /// The most characters (grapheme clusters) a memory's content may have. Default 100,000.
    public var maximumContentLength: Int
    /// The most tags on one memory. Default 32.
    public var maximumTagCount: Int
    /// The most characters in one tag. Default 64.
    public var maximumTagLength: Int
    /// The most bytes of metadata once encoded as JSON. Default 16,384.
    public var maximumMetadataBytes: Int

    public static let ttlDays: ClosedRange<Int> = 1...3650
    public static let importance: ClosedRange<Double> = 0...1

    public init(
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
