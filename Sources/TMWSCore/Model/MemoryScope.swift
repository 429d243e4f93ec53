/// Where a memory lives and who can read it (DESIGN §1).
///
/// `PRIVATE` and `PROJECT` never leave this machine; `SHARED` (end-to-end encrypted,
/// one team) and `GLOBAL` (the tenant's cross-project knowledge) sync through the hub.
package enum MemoryScope: String, Sendable, Codable, CaseIterable, Hashable {
    case `private` = "PRIVATE"
    case project = "PROJECT"
    case shared = "SHARED"
    case global = "GLOBAL"

    /// The safe default: local, visible to agents of this project on this machine.
    package static let `default`: MemoryScope = .project

    /// Whether memories of this scope are synchronised through the cloud hub.
    package var isCloud: Bool {
        switch self {
        case .private, .project: false
        case .shared, .global: true
        }
    }

    /// Whether memories of this scope stay on this machine only.
    package var isLocal: Bool { !isCloud }

    /// Parses a scope name, case-insensitively (`global`, `GLOBAL`, ` Global `).
    ///
    /// - Throws: `TMWSError.invalidScope` for anything that is not one of the four scopes.
    package init(parsing text: String) throws {
        let normalized = text.trimmedWhitespace.uppercased()
        guard let scope = MemoryScope(rawValue: normalized) else {
            throw TMWSError.invalidScope(text)
        }
        self = scope
    }
}
