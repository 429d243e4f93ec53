import Foundation
import TMWSCore

/// The data directory (`TMWS_HOME`): created on first use with mode 0700.
package enum HomeDirectory {
    /// Makes sure `path` is a directory this process can write to.
    ///
    /// - Throws: `TMWSError` (`io`) saying what is wrong and where.
    ///   A home that does not exist yet is made only inside a folder that does: a typo in
    ///   `TMWS_HOME` must not silently create a whole tree and show an empty store. A relative
    ///   path is refused (it would name another home in every working directory).
    package static func prepare(_ path: String) throws {
        let manager = FileManager.default
        guard path.hasPrefix("/") else {
            throw TMWSError(.io, "TMWS_HOME must be an absolute path, not \(path.truncatedForMessage)")
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw TMWSError(.io, "TMWS_HOME \(path) exists but is not a directory")
            }
        } else {
            let parent = (path as NSString).deletingLastPathComponent
            guard manager.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw TMWSError(.io, "TMWS_HOME \(path) cannot be made: its parent \(parent) is not an existing folder (a typo?)")
            }
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch {
                throw TMWSError(.io, "cannot create TMWS_HOME \(path): \(reason(error))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw TMWSError(.io, "TMWS_HOME \(path) is not writable")
        }
        // access() says yes to root even on read-only mounts; a real file settles it.
        let probe = path + "/.write-test-\(getpid())"
        guard manager.createFile(atPath: probe, contents: nil) else {
            throw TMWSError(.io, "TMWS_HOME \(path) is not writable")
        }
        try? manager.removeItem(atPath: probe)
    }

    /// `~/.tmws`, from `HOME`.
    package static func defaultPath(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.tmws"
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey]
        if let posix = underlying as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        if let nsError = underlying as? NSError, nsError.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(nsError.code)))
        }
        return "permission denied or not a directory"
    }
}
