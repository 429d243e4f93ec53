import Foundation
import GRDB
import TMWSCore

/// The node's sync settings: the typed record (``SyncSettings``) and the keyed records the
/// team keyring keeps (pins, forks, authors' origins), all in `meta` under `sync.`.
extension SQLiteMemoryStore: SyncSettingsStore {
    package func syncSettings() async throws -> SyncSettings {
        try await read { db, _ in try Self.syncSettings(in: db) }
    }

    package func syncWatch() async throws -> SyncWatch {
        try await read { db, _ in
            let writes = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.outbox_writes'") ?? 0
            return SyncWatch(settings: try Self.syncSettings(in: db), outboxWrites: writes)
        }
    }

    @discardableResult
    package func changeSyncSettings(_ change: @escaping @Sendable (inout SyncSettings) -> Void) async throws -> SyncSettings {
        try await write { db, _ in
            let before = try Self.syncSettings(in: db)
            var after = before
            change(&after)
            guard after != before else { return after }
            let stored = after.stored
            let upsert = try db.cachedStatement(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            let remove = try db.cachedStatement(sql: "DELETE FROM meta WHERE key = ?")
            for key in SyncSettings.keys {
                if let value = stored[key] {
                    try upsert.execute(arguments: ["sync." + key, value])
                } else {
                    try remove.execute(arguments: ["sync." + key])
                }
            }
            return after
        }
    }

    static func syncSettings(in db: Database) throws -> SyncSettings {
        var fields: [String: String] = [:]
        let keys = StatementArguments(SyncSettings.keys.map { "sync." + $0 })
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key IN (\(placeholders(SyncSettings.keys.count)))", arguments: keys) {
            fields[String((row[0] as String).dropFirst(5))] = row[1]
        }
        return SyncSettings(stored: fields)
    }

    /// A keyed sync record (the team keyring's), by its key: `nil` when unset.
    package func syncSetting(_ key: String) async throws -> String? {
        try await read { db, _ in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["sync." + key]) }
    }

    /// The sync settings whose keys start with `prefix`, by key (without the prefix).
    package func syncSettings(withPrefix prefix: String) async throws -> [String: String] {
        try await read { db, _ in
            var found: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", arguments: [prefix.utf8.count + 5, "sync." + prefix]
            ) {
                let key: String = row[0]
                found[String(key.dropFirst(5 + prefix.count))] = row[1]
            }
            return found
        }
    }

    package func setSyncSetting(_ key: String, _ value: String?) async throws {
        try await write { db, _ in
            if let value {
                try db.execute(
                    sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: ["sync." + key, value]
                )
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: ["sync." + key])
            }
        }
    }

}
