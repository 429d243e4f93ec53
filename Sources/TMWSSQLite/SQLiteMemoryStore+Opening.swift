import Foundation
import GRDB
import TMWSCore

/// Opening a store: connecting, migrating, and keeping the search index in step with its definition.
extension SQLiteMemoryStore {
    /// Opens (creating if needed) and migrates the database, blocking the calling thread
    /// while another process holds a new file's lock (tests and benchmarks; servers use
    /// ``open(configuration:clock:)``).
    ///
    /// - Throws: `TMWSError` (`storage`) when the file cannot be opened, is not a SQLite
    ///   database, or is corrupted.
    package init(configuration: Configuration, clock: any WallClock = SystemClock()) throws {
        let deadline = ContinuousClock.now + configuration.busyTimeout
        var attempt = 0
        while true {
            attempt += 1
            if let opened = try Self.connect(configuration, deadline: deadline) {
                self.init(configuration: configuration, clock: clock, pool: opened.pool, deviceID: opened.deviceID)
                return
            }
            Thread.sleep(forTimeInterval: Self.retryDelay(attempt))
        }
    }

    /// Opens (creating if needed) and migrates the database without blocking a thread of
    /// Swift's concurrency pool while waiting for another process.
    ///
    /// - Throws: `TMWSError` (`storage`) when the file cannot be opened, is not a SQLite
    ///   database, or is corrupted.
    package static func open(configuration: Configuration, clock: any WallClock = SystemClock()) async throws -> SQLiteMemoryStore {
        let deadline = ContinuousClock.now + configuration.busyTimeout
        var attempt = 0
        while true {
            attempt += 1
            if let opened = try connect(configuration, deadline: deadline) {
                return SQLiteMemoryStore(configuration: configuration, clock: clock, pool: opened.pool, deviceID: opened.deviceID)
            }
            try await Task.sleep(for: .seconds(retryDelay(attempt)))
        }
    }

    private init(configuration: Configuration, clock: any WallClock, pool: DatabasePool, deviceID: String) {
        self.configuration = configuration
        self.clock = clock
        self.pool = pool
        self.deviceID = deviceID
    }

    private static func retryDelay(_ attempt: Int) -> Double { min(0.2, 0.005 * Double(attempt)) }

    /// One attempt to open the database; `nil` when another process holds the lock and the
    /// deadline has not passed (try again).
    ///
    /// Switching a new file to WAL needs an exclusive lock that SQLite's busy handler does
    /// not wait for, so processes opening one new database at the same moment can get
    /// SQLITE_BUSY here (seen with two `tmws mcp` started together).
    private static func connect(_ configuration: Configuration, deadline: ContinuousClock.Instant) throws -> (pool: DatabasePool, deviceID: String)? {
        var config = GRDB.Configuration()
        let timeout = configuration.busyTimeout.components
        config.busyMode = .timeout(Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18)
        config.prepareDatabase { db in
            // WAL with synchronous=NORMAL: commits survive a crash of the process; only an
            // OS crash or power loss can lose the last transactions, never corrupt the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleted rows and freed pages are overwritten with zeros, so a deleted memory's
            // text does not linger in free space of the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Reading pages through a memory map instead of a read() per page halved the cost
            // of joining search hits to their rows on a 100,000-memory store.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
            BM25.register(db)
            ArchivedText.register(db)
        }
        DatabaseFiles.restrict(configuration.path)
        defer { DatabaseFiles.restrict(configuration.path) }
        do {
            let opened = try DatabasePool(path: configuration.path, configuration: config)
            try Schema.migrate(opened)
            let deviceID = try opened.write { db in try prepareMeta(db) }
            return (opened, deviceID)
        } catch let error as DatabaseError {
            let busy = error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
            guard busy, ContinuousClock.now < deadline else { throw openError(error, path: configuration.path) }
            return nil
        }
    }

    /// Creates the device id on first use and rebuilds the search index when the
    /// indexing transform changed since it was built.
    private static func prepareMeta(_ db: Database) throws -> String {
        if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fts_version'") != indexVersion {
            try rebuildSearchIndex(db)
        }
        if let id = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'device_id'") {
            return id
        }
        let id = UUID().uuidString.lowercased()
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('device_id', ?)", arguments: [id])
        return id
    }

    /// The newest migration this build applies (`tmws version --json` reports it).
    package static var schemaVersion: String { Schema.migrator.migrations.last ?? "none" }

    /// Identifies the index's definition and text transform together.
    static var indexVersion: String {
        "\(FTSText.version)-\(Schema.searchIndexDefinition.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 })"
    }

    /// Recreates the search indexes (default and archive) with the current definition and
    /// fills them from `memory` and `memory_archive`.
    static func rebuildSearchIndex(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS memory_fts")
        try db.execute(sql: Schema.searchIndexDefinition)
        try db.execute(sql: "DROP TABLE IF EXISTS archive_fts")
        try db.execute(sql: Schema.archiveIndexDefinition)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT m.seq, m.archived, \(MemoryRow.content) FROM memory m WHERE m.deleted = 0 AND m.evicted = 0")
        let insert = try db.cachedStatement(sql: "INSERT INTO memory_fts(rowid, body) VALUES (?, ?)")
        let insertArchived = try db.cachedStatement(sql: "INSERT INTO archive_fts(rowid, body) VALUES (?, ?)")
        while let row = try rows.next() {
            try (row[1] as Bool ? insertArchived : insert).execute(arguments: [row[0] as Int64, FTSText.indexText(row[2])])
        }
        try db.execute(
            sql: "INSERT INTO meta(key, value) VALUES ('fts_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [indexVersion]
        )
    }

    private static func openError(_ error: DatabaseError, path: String) -> TMWSError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            TMWSError(.storage, "the database \(path) is not a SQLite database or is corrupted")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            TMWSError(.io, "cannot open the database \(path) for writing (check the permissions of the file and its folder)")
        default:
            storageError(error)
        }
    }
}
