import Foundation
import TMWSCore

/// Detects the project namespace of a working directory like the original TMWS:
/// `TMWS_NAMESPACE` (handled by the configuration), else the git remote, else the git
/// root's name, else a hash of the directory.
///
/// It reads `.git/config` directly instead of running `git`, so it costs microseconds.
package struct NamespaceDetector: Sendable {
    package init() {}

    /// The namespace for `directory` and how it was found.
    package func detect(in directory: String) -> (namespace: Namespace, reason: String) {
        if let root = gitRoot(from: directory) {
            if let url = remoteURL(gitDirectory: gitDirectory(root: root)), let namespace = Namespace.fromGitRemote(url) {
                return (namespace, "git remote of \(root)")
            }
            if let namespace = Namespace.sanitized(from: URL(fileURLWithPath: root).lastPathComponent) {
                return (namespace, "git root \(root)")
            }
        }
        return (Namespace.fromDirectory(path: directory), "hash of \(directory)")
    }

    /// The name of the git repository holding `directory` (its root folder's name), if any.
    package func repositoryName(in directory: String) -> String? {
        gitRoot(from: directory).map { URL(fileURLWithPath: $0).lastPathComponent }
    }

    /// The nearest directory at or above `directory` that holds `.git`.
    func gitRoot(from directory: String) -> String? {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) {
                return url.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// `.git` itself, or the directory a worktree's `.git` file points to.
    func gitDirectory(root: String) -> String {
        let dotGit = root + "/.git"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory), !isDirectory.boolValue,
            let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir:") })
        {
            let path = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
            let resolved = path.hasPrefix("/") ? path : root + "/" + path
            // A worktree's config lives in the main repository: <main>/.git/worktrees/<name> → <main>/.git
            let components = resolved.components(separatedBy: "/worktrees/")
            return components.count > 1 ? components[0] : resolved
        }
        return dotGit
    }

    /// The URL of remote `origin`, else of the first remote in the config file.
    func remoteURL(gitDirectory: String) -> String? {
        guard let text = try? String(contentsOfFile: gitDirectory + "/config", encoding: .utf8) else { return nil }
        var section = ""
        var urls: [(remote: String, url: String)] = []
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                section = line
            } else if section.hasPrefix("[remote \""), line.hasPrefix("url") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "url" {
                    let name = section.dropFirst("[remote \"".count).prefix { $0 != "\"" }
                    urls.append((String(name), parts[1].trimmingCharacters(in: .whitespaces)))
                }
            }
        }
        return (urls.first { $0.remote == "origin" } ?? urls.first)?.url
    }
}
