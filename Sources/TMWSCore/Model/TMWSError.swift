/// The errors TMWS reports to its callers.
///
/// Each error has a stable ``code`` for scripts and a one-line ``description`` for people.
/// Descriptions never contain memory content, tag values from content or secrets: only
/// identifiers, limits and the names of the fields at fault.
package struct TMWSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable category.
    package enum Code: String, Sendable, Hashable {
        case invalidInput = "invalid_input"
        /// The classifier refused a cloud scope for sensitive data (field `scope`).
        case refused = "refused"
        case notFound = "not_found"
        case versionConflict = "version_conflict"
        case configuration = "configuration"
        /// No valid credential (the hub: missing, unknown or revoked device credential).
        case unauthorized = "unauthorized"
        /// A valid credential that may not do this.
        case forbidden = "forbidden"
        case storage = "storage"
        case io = "io"
    }

    /// The category of the error.
    package var code: Code
    /// A one-line, human-readable explanation that is safe to log.
    package var message: String
    /// The input field the error is about, when there is one (`content`, `scope`, …).
    package var field: String?
    /// For a refusal, the kinds of sensitive data found (never the values).
    package var findingTypes: [String] = []

    package init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    package var description: String { message }

    /// Whether the error is the caller's fault (bad input, unknown id) rather than the machine's.
    package var isCallerError: Bool {
        switch code {
        case .invalidInput, .refused, .notFound, .versionConflict, .configuration, .unauthorized, .forbidden: true
        case .storage, .io: false
        }
    }
}

extension TMWSError {
    static func invalid(_ field: String, _ message: String) -> TMWSError {
        TMWSError(.invalidInput, message, field: field)
    }

    /// An unknown scope name. The name is echoed because it is a keyword, not content,
    /// but it is shortened so a pasted paragraph cannot end up in a log.
    package static func invalidScope(_ text: String) -> TMWSError {
        .invalid("scope", "unknown scope '\(text.truncatedForMessage)'; expected one of PRIVATE, PROJECT, SHARED, GLOBAL")
    }

    /// No live memory has this id (it never existed, was deleted or has expired).
    package static func memoryNotFound(_ id: MemoryID) -> TMWSError {
        TMWSError(.notFound, "memory \(id) not found", field: "id")
    }

    /// The caller read an older version than the one stored.
    package static func versionConflict(id: MemoryID, expected: Int, actual: Int) -> TMWSError {
        TMWSError(
            .versionConflict,
            "version conflict: memory \(id) is at version \(actual), but version \(expected) was expected; read it again and retry",
            field: "expected_version"
        )
    }
}

/// An error whose description never holds input, keys or content, so it may be shown and
/// logged as it is.
package protocol SafelyDescribedError: Error {
    var safeDescription: String { get }
}

extension TMWSError {
    /// A one-line message for any error that is safe to show and log: a `TMWSError`'s own
    /// message, a decoding error's summary (key names, never values), and for anything else
    /// only its type — an arbitrary error's description can hold the input it choked on.
    package static func safeMessage(for error: any Error) -> String {
        switch error {
        case let error as TMWSError: error.message
        case let error as DecodingError: "malformed input (\(error.summary))"
        case let error as any SafelyDescribedError: error.safeDescription
        default: "an unexpected error occurred (\(String(describing: type(of: error)).truncatedForMessage))"
        }
    }
}

extension String {
    /// At most 16 characters of a keyword-like value, for error messages: enough to recognise
    /// a typo, too short to carry a pasted secret.
    package var truncatedForMessage: String {
        let printable = String(unicodeScalars.filter { !$0.properties.generalCategory.isControl })
        return printable.count > 16 ? String(printable.prefix(16)) + "…" : printable
    }
}

extension Unicode.GeneralCategory {
    var isControl: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
