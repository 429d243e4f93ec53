import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The database's files on disk — `tmws.db`, `-wal`, `-shm` — which hold every memory in
/// clear and must be readable by their owner only, whatever the umask.
package enum DatabaseFiles {
    /// The database file and its WAL and shared-memory companions.
    package static func paths(of database: String) -> [String] {
        [database, database + "-wal", database + "-shm"]
    }

    /// Narrows the mode of the existing files to 0600. Called before the database opens and
    /// again once it has (SQLite creates new `-wal` and `-shm` files with the database file's
    /// mode, so from then on they are born 0600). Only `chmod`: opening and closing the file
    /// here would drop the POSIX locks SQLite holds on it in this process.
    static func restrict(_ database: String) {
        for path in paths(of: database) {
            var info = stat()
            // lstat: a symlink's target is not ours to change.
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else { continue }
            if info.st_mode & 0o077 != 0 { chmod(path, 0o600) }
        }
    }

    /// The files (and the folder) that other users can read or write, as `path (mode 0644)`.
    package static func exposed(database: String, home: String) -> [String] {
        ([home] + paths(of: database)).compactMap { path in
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
            return "\(path) (mode \(String(info.st_mode & 0o777, radix: 8)))"
        }
    }
}
