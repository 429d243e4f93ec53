import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
/// Tests use one as `TMWS_HOME`, never the user's own.
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init(prefix: String = "tmws-test") {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// A path inside the directory.
    package func file(_ name: String) -> String {
        path + "/" + name
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
