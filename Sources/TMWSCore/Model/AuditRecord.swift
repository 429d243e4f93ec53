import Crypto
import Foundation

/// One entry of the append-only, hash-chained audit log: who did what to which memory,
/// and when. It never holds memory content, tags or secrets.
package struct AuditRecord: Sendable, Hashable, Codable {
    /// What happened.
    package enum Action: String, Sendable, Hashable, Codable {
        case create, update, delete, prune
        /// A write refused because sensitive content was headed for a cloud scope.
        case refuse
        /// An outgoing sync event the second check stopped (finding types in the details).
        case quarantine
        /// A person accepted a memory held for review.
        case accept
    }

    /// Position in the log, from 1.
    package var sequence: Int64
    /// Milliseconds since 1970 (whole, so the hash is exact).
    package var atMillis: Int64
    package var actor: String
    package var action: Action
    package var memoryID: MemoryID
    package var scope: MemoryScope
    package var namespace: Namespace
    package var version: Int
    /// Names of the changed fields and similar facts, never values.
    package var details: [String]
    /// The hash of the previous record (64 zeros for the first).
    package var previousHash: String
    /// SHA-256 over the previous hash and this record's fields.
    package var hash: String

    /// The previous hash of the first record.
    package static let genesisHash = String(repeating: "0", count: 64)

    /// Builds a record and computes its hash.
    package init(
        sequence: Int64, atMillis: Int64, actor: String, action: Action, memoryID: MemoryID,
        scope: MemoryScope, namespace: Namespace, version: Int, details: [String], previousHash: String
    ) {
        self.sequence = sequence
        self.atMillis = atMillis
        self.actor = actor
        self.action = action
        self.memoryID = memoryID
        self.scope = scope
        self.namespace = namespace
        self.version = version
        self.details = details
        self.previousHash = previousHash
        self.hash = ""
        self.hash = computedHash()
    }

    /// The hash this record's fields produce; a stored hash that differs means tampering.
    package func computedHash() -> String {
        let fields = [
            previousHash, String(sequence), String(atMillis), actor, action.rawValue, memoryID.description,
            scope.rawValue, namespace.rawValue, String(version), details.joined(separator: ","),
        ]
        // Fields are joined with a separator no field can contain (actors and details are
        // validated identifiers), so two different records never hash the same input.
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return Hex.encode(digest)
    }

    enum CodingKeys: String, CodingKey {
        case sequence, actor, action, scope, namespace, version, details, hash
        case atMillis = "at_millis"
        case memoryID = "memory_id"
        case previousHash = "previous_hash"
    }
}

/// Checks a sequence of audit records for breaks in the chain.
package struct AuditChainVerifier: Sendable {
    /// The first problem found, or `nil` when the chain is intact.
    package private(set) var problem: String?
    private var expectedPrevious = AuditRecord.genesisHash
    private var expectedSequence: Int64 = 1
    /// Records checked so far.
    package private(set) var count = 0

    package init() {}

    /// Checks the next record; after the first problem, further records are ignored.
    package mutating func check(_ record: AuditRecord) {
        guard problem == nil else { return }
        count += 1
        if record.sequence != expectedSequence {
            problem = "audit record \(record.sequence): expected sequence \(expectedSequence) (a record is missing)"
        } else if record.previousHash != expectedPrevious {
            problem = "audit record \(record.sequence): previous hash does not match record \(record.sequence - 1)"
        } else if record.computedHash() != record.hash {
            problem = "audit record \(record.sequence): hash does not match its fields (modified)"
        }
        expectedPrevious = record.hash
        expectedSequence = record.sequence + 1
    }
}
