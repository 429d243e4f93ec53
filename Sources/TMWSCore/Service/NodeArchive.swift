import Foundation

/// Which memories the node's archive takes (roadmap 6.2): PROJECT memories read at most
/// ``maximumReads`` times, created, last changed and last read more than ``olderThanDays``
/// days ago, and not pinned. Archived memories leave the default search, their text is
/// compressed, and nothing is ever deleted: a read by id, an update or a restore brings one back.
package struct LocalArchivePolicy: Sendable, Hashable {
    /// Default 90.
    package var olderThanDays: Int
    /// Default 2.
    package var maximumReads: Int

    /// 0 takes every memory read few enough times, whatever its age.
    package static let days: ClosedRange<Int> = 0...36_500
    package static let reads: ClosedRange<Int> = 0...1_000_000

    /// - Throws: `invalid_input` for a value out of ``days`` or ``reads``.
    package init(olderThanDays: Int = 90, maximumReads: Int = 2) throws {
        guard Self.days.contains(olderThanDays) else {
            throw TMWSError(.invalidInput, "the archive's age must be \(Self.days.lowerBound)–\(Self.days.upperBound) days", field: "older_than_days")
        }
        guard Self.reads.contains(maximumReads) else {
            throw TMWSError(.invalidInput, "the archive's read count must be \(Self.reads.lowerBound)–\(Self.reads.upperBound)", field: "max_reads")
        }
        self.olderThanDays = olderThanDays
        self.maximumReads = maximumReads
    }

    /// Memories created, changed and read before this moment are old enough.
    package func cutoff(now: Date) -> Date {
        now.addingTimeInterval(-Double(olderThanDays) * 86_400)
    }
}

/// What an archive run moved (or, dry, would move).
package struct LocalArchiveOutcome: Sendable, Hashable {
    package var memories = 0
    /// The memories' text, in UTF-8 bytes.
    package var textBytes = 0
    /// The same text compressed, as stored (0 for a dry run).
    package var storedBytes = 0

    package init(memories: Int = 0, textBytes: Int = 0, storedBytes: Int = 0) {
        self.memories = memories
        self.textBytes = textBytes
        self.storedBytes = storedBytes
    }
}

/// One archived memory, as `tmws archive list` shows it: never its text.
package struct ArchivedMemory: Sendable, Hashable {
    package var id: MemoryID
    package var namespace: Namespace
    package var createdAt: Date
    package var archivedAt: Date
    package var accessCount: Int
    /// The compressed text's size.
    package var storedBytes: Int

    package init(id: MemoryID, namespace: Namespace, createdAt: Date, archivedAt: Date, accessCount: Int, storedBytes: Int) {
        self.id = id
        self.namespace = namespace
        self.createdAt = createdAt
        self.archivedAt = archivedAt
        self.accessCount = accessCount
        self.storedBytes = storedBytes
    }
}

/// The node's archive, as a store keeps it.
package protocol MemoryArchive: Sendable {
    /// Moves (or, with `dryRun`, counts) the memories `policy` selects.
    func archive(_ policy: LocalArchivePolicy, dryRun: Bool) async throws -> LocalArchiveOutcome
    /// Archived memories by id, the most recently created first, after `cursor` (an id from the last page).
    func archived(limit: Int, after cursor: MemoryID?) async throws -> [ArchivedMemory]
    /// Brings these memories back (ids not archived are passed over); returns how many came back.
    func restore(_ ids: [MemoryID]) async throws -> Int
    /// Brings every archived memory back; returns how many came back.
    func restoreAll() async throws -> Int
    /// How many memories are archived and their compressed size.
    func archiveSize() async throws -> (memories: Int, storedBytes: Int)
}
