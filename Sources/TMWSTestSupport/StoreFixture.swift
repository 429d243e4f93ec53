import Foundation
import TMWSCore
import TMWSSQLite

/// A real SQLite store in a temporary directory, with a test clock and a service over it.
package struct StoreFixture: Sendable {
    package let directory: TemporaryDirectory
    package let clock: TestClock
    package let store: SQLiteMemoryStore
    package var service: MemoryService

    package static let namespace = try! Namespace(validating: "test-project")

    /// Opens a new, empty store (with `cache`: what it holds of GLOBAL memories; `dedup`: what
    /// writes do with duplicates, and with `off` pulled copies are not folded either).
    package init(limits: MemoryLimits = MemoryLimits(), cache: CachePolicy = CachePolicy(), dedup: DedupPolicy = .report) throws {
        directory = TemporaryDirectory()
        clock = TestClock()
        var configuration = SQLiteMemoryStore.Configuration(path: directory.file("tmws.db"), cache: cache)
        configuration.foldsPulledDuplicates = dedup != .off
        store = try SQLiteMemoryStore(configuration: configuration, clock: clock)
        service = MemoryService(
            store: store, validator: MemoryValidator(limits: limits), clock: clock, defaultNamespace: Self.namespace
        )
        service.dedup = dedup
    }

    /// Another store (its own connection pool) on the same file, as a second process would have.
    package func reopen() throws -> SQLiteMemoryStore {
        try SQLiteMemoryStore(configuration: .init(path: directory.file("tmws.db")), clock: clock)
    }

    /// Adds a memory with defaults for everything but the content.
    @discardableResult
    package func add(
        _ content: String, scope: MemoryScope = .project, tags: [String] = [], importance: Double = 0.5,
        namespace: Namespace? = nil, ttlDays: Int? = nil
    ) async throws -> Memory {
        try await service.add(
            .init(content: content, scope: scope, namespace: namespace, tags: tags, importance: importance, ttlDays: ttlDays),
            by: .cli
        )
    }
}
