import Crypto
import Foundation

/// The project a memory belongs to, such as `github.com-apple-swift-nio`.
///
/// A namespace is 1–128 characters from `a-z`, `0-9`, `.`, `_` and `-`; it is never
/// `.` or `..` and never contains `/`, so it is safe in paths, URLs and SQL `LIKE`
/// patterns alike.
package struct Namespace: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The longest namespace accepted.
    package static let maximumLength = 128

    /// The validated text.
    package let rawValue: String

    /// Validates a namespace given by a user (flag, environment, file). Upper case is
    /// folded to lower case and surrounding spaces are trimmed; nothing else is changed.
    ///
    /// - Throws: `TMWSError` (`invalid_input`, field `namespace`) explaining the first rule broken.
    package init(validating text: String) throws {
        func reject(_ reason: String) -> TMWSError {
            TMWSError(.invalidInput, "invalid namespace '\(text.truncatedForMessage)': \(reason)", field: "namespace")
        }
        // One pass over the bytes: this runs for every imported line.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var disallowed = false
        for byte in text.trimmedWhitespace.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"):
                bytes.append(byte)
            default:
                bytes.append(byte)
                disallowed = true
            }
        }
        guard !bytes.isEmpty else { throw reject("it is empty") }
        let value = String(decoding: bytes, as: UTF8.self)
        guard value.count <= Self.maximumLength else {
            throw reject("it is longer than \(Self.maximumLength) characters")
        }
        guard !bytes.contains(UInt8(ascii: "/")) else { throw reject("it contains '/'") }
        guard !zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }) else {
            throw reject("it contains '..'")
        }
        guard value != "." else { throw reject("it is '.'") }
        guard !disallowed else { throw reject("only a-z, 0-9, '.', '_' and '-' are allowed") }
        self.rawValue = value
    }

    /// Makes a namespace from detected text (a git remote, a directory name): lower-cased,
    /// each run of other characters becomes one `-`, and the result is cut to 128 characters.
    /// Returns `nil` when nothing usable is left.
    package static func sanitized(from text: String) -> Namespace? {
        var output = ""
        var lastWasDash = false
        for scalar in text.lowercased().unicodeScalars {
            if isAllowed(scalar) && scalar != "-" {
                output.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                output.append("-")
                lastWasDash = true
            }
        }
        while output.contains("..") {
            output = output.replacingOccurrences(of: "..", with: ".")
        }
        let trimmed = output.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        return try? Namespace(validating: String(trimmed.prefix(maximumLength)))
    }

    /// The namespace for a remote URL such as `git@github.com:Org/Repo.git`:
    /// host and path without credentials, scheme or `.git` (`github.com-org-repo`).
    package static func fromGitRemote(_ url: String) -> Namespace? {
        var text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        if let schemeEnd = text.range(of: "://") {
            text = String(text[schemeEnd.upperBound...])
        }
        if let at = text.lastIndex(of: "@") {
            text = String(text[text.index(after: at)...])
        }
        if text.hasSuffix(".git") {
            text = String(text.dropLast(4))
        }
        return sanitized(from: text)
    }

    /// The fallback namespace for a working directory outside any repository:
    /// its base name and a short hash of the full path, so two `src` folders differ.
    package static func fromDirectory(path: String) -> Namespace {
        let digest = SHA256.hash(data: Data(path.utf8))
        let hex = Hex.encode(digest.prefix(4))
        let base = path.split(separator: "/").last.map(String.init) ?? "root"
        let prefix = sanitized(from: base)?.rawValue.prefix(100) ?? "dir"
        return Namespace(uncheckedRawValue: "\(prefix)-\(hex)")
    }

    /// The namespace used when nothing else is known.
    package static let fallback = Namespace(uncheckedRawValue: "default")

    private init(uncheckedRawValue: String) {
        self.rawValue = uncheckedRawValue
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    package var description: String { rawValue }

    package static func < (lhs: Namespace, rhs: Namespace) -> Bool { lhs.rawValue < rhs.rawValue }

    package init(from decoder: any Decoder) throws {
        try self.init(validating: decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
