import Foundation
import TMWSCore

// The hub's value types: who a request acts as, where a pull stands, what it returns.

/// Who a request acts as, derived by the hub from the authenticated device, never from
/// anything the client sends.
package struct TenantContext: Sendable, Hashable {
    package var tenantID: UUID
    package var userID: UUID?

    package init(tenantID: UUID, userID: UUID?) {
        self.tenantID = tenantID
        self.userID = userID
    }
}

/// An authenticated device: who a hub request acts as.
package struct AuthenticatedDevice: Sendable, Hashable {
    package var tenantID: UUID
    package var userID: UUID
    package var deviceID: UUID

    package var context: TenantContext { TenantContext(tenantID: tenantID, userID: userID) }

    package init(tenantID: UUID, userID: UUID, deviceID: UUID) {
        (self.tenantID, self.userID, self.deviceID) = (tenantID, userID, deviceID)
    }
}

/// A position in a tenant's change log: the committing transaction's id and the row's
/// sequence number, written `v1.<xid>.<seq>`.
///
/// A plain sequence number would skip changes: sequence numbers are taken when a row is
/// inserted, so a transaction that inserted earlier (a lower number) can commit after one
/// that inserted later, and a reader that already moved past the later number never sees
/// it. Pull therefore returns only rows whose transaction id is below the oldest transaction
/// still running (`pg_snapshot_xmin`): those transactions have all ended, so no row can ever
/// appear behind the cursor. Order is (transaction id, sequence number).
package struct SyncCursor: Sendable, Hashable, CustomStringConvertible {
    package var transaction: UInt64
    package var sequence: Int64

    package static let start = SyncCursor(transaction: 0, sequence: 0)

    package init(transaction: UInt64, sequence: Int64) {
        self.transaction = transaction
        self.sequence = sequence
    }

    package init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let transaction = UInt64(parts[1]), let sequence = Int64(parts[2]), sequence >= 0 else {
            throw TMWSError(.invalidInput, "malformed cursor: pass the next_cursor of the previous pull, or none to start", field: "cursor")
        }
        self.init(transaction: transaction, sequence: sequence)
    }

    package var description: String { "v1.\(transaction).\(sequence)" }
}

/// A page of pulled changes.
package struct PullPage: Sendable {
    /// Each event's JSON as the change log holds it: the hub sends it on as it is.
    package var payloads: [String]
    package var nextCursor: SyncCursor
    package var hasMore: Bool

    package init(payloads: [String], nextCursor: SyncCursor, hasMore: Bool) {
        (self.payloads, self.nextCursor, self.hasMore) = (payloads, nextCursor, hasMore)
    }

    /// The events, read from their JSON.
    package func events() throws -> [ChangeEvent] {
        try payloads.map { try ChangeEvent.decode($0.utf8) }
    }
}

/// The hub's errors that say nothing about why (a credential's fault is never told apart).
package enum HubErrors {
    package static func unauthorized() -> TMWSError {
        TMWSError(.unauthorized, "missing, unknown or revoked device credential")
    }
}
