import Foundation

/// Finds signs that a memory is about one project: file paths, code, the project's own
/// namespace or repository name, localhost and internal host names, stack traces.
/// Markdown bullets and headings are prose, not code.
package struct ProjectContextDetector: Sendable {
    /// What the memory is checked against.
    package struct Context: Sendable, Hashable {
        package var namespace: Namespace?
        /// The repository's name (`tmws` for `github.com-apto-as-tmws`), when known.
        package var repositoryName: String?

        package init(namespace: Namespace? = nil, repositoryName: String? = nil) {
            self.namespace = namespace
            self.repositoryName = repositoryName
        }
    }

    package init() {}

    /// Each signal: its reason, lower-case keywords of which one must appear (a cheap gate
    /// before the regular expression runs), and the expression.
    private static let signals: [(reason: String, keywords: [[UInt8]], regex: NSRegularExpression)] = [
        (
            "mentions a file path", ["/"],
            #"(?:^|[\s(`'"])(?:\.{1,2}/|~/|/)?(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+\.(?:swift|py|ts|tsx|js|jsx|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|m|mm|scala|sql|sh|yaml|yml|toml|json|xml|gradle|proto|md|env|lock|cfg|ini|conf)\b"#
        ),
        (
            "contains code",
            [
                "```", ";", "{", "=>", "::", "->", "func ", "def ", "class ", "struct ", "import ", "\nlet ", "\nvar ", "\nconst ", "fn ", "#include",
                "\nreturn ",
            ],
            #"(?m)^```|^\s*(?:func|def|class|struct|enum|import|package|public|private|let|var|const|fn|impl|return|#include)\s+\S+.*[({:;=]\s*$|[;{]\s*$|=>|::|->\s*\w+\s*\{"#
        ),
        (
            "mentions localhost or an internal host",
            ["localhost", "127.0.0.1", "0.0.0.0", "10.", "192.168.", "172.", ".internal", ".local", ".corp", ".lan", ".intranet"],
            #"\blocalhost\b|\b127\.0\.0\.1\b|\b0\.0\.0\.0\b|\b(?:10|192\.168|172\.(?:1[6-9]|2[0-9]|3[01]))\.[0-9]{1,3}\.[0-9]{1,3}(?:\.[0-9]{1,3})?\b|\b[a-z0-9-]+\.(?:internal|local|corp|lan|intranet)\b"#
        ),
        (
            "contains a stack trace",
            ["traceback", "\n at ", "\n  at ", "\n    at ", "\n\tat ", "file \"", "fatal error", "#0 ", "#1 ", "panic:", "exception in"],
            #"Traceback \(most recent call last\)|^\s+at [\w.$<>]+\([\w.]+:\d+\)|File "[^"]+", line \d+|Fatal error: |^#\d+\s+0x[0-9a-f]+|panic: |Exception in thread"#
        ),
        (
            "names this repository",
            [
                "this repo", "this codebase", "this project", "this service", "this app", "our repo", "our codebase", "our project", "our service", "our app",
                "the current repo", "the current project", "このプロジェクト", "このリポジトリ", "本プロジェクト", "当プロジェクト",
            ], #"\b(?:this|our|the current) (?:repo|repository|codebase|project|service|app)\b|このプロジェクト|このリポジトリ|本プロジェクト|当プロジェクト"#
        ),
    ].map { ($0.0, $0.1.map { Array($0.utf8) }, try! NSRegularExpression(pattern: $0.2, options: [.caseInsensitive, .anchorsMatchLines])) }

    /// The reasons the text is tied to the project; empty when it is not.
    package func reasons(in text: String, context: Context) -> [String] {
        reasons(in: text, bytes: ByteText(text), context: context)
    }

    func reasons(in text: String, bytes: ByteText, context: Context) -> [String] {
        let whole = NSRange(location: 0, length: (text as NSString).length)
        var reasons = Self.signals.compactMap { signal in
            bytes.containsAny(signal.keywords) && signal.regex.firstMatch(in: text, range: whole) != nil ? signal.reason : nil
        }
        if let namespace = context.namespace, namespace != .fallback, namespace.rawValue.count >= 3,
            bytes.contains(Array(namespace.rawValue.utf8))
        {
            reasons.append("names the project namespace")
        } else if let name = context.repositoryName?.lowercased(), name.count >= 3, bytes.contains(Array(name.utf8)),
            text.range(of: "\\b\(NSRegularExpression.escapedPattern(for: name))\\b", options: [.regularExpression, .caseInsensitive]) != nil
        {
            reasons.append("names the repository")
        }
        return reasons
    }
}
