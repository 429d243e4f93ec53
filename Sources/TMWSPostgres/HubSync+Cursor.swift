import Crypto
import Foundation
import PostgresNIO
import TMWSCore
import TMWSHubDomain

/// Cursors as devices see them: opaque. A ``SyncCursor`` names a hub-wide transaction id and
/// sequence number, so a new tenant's first cursor would tell it how busy every other tenant
/// is. Devices get it sealed with AES-GCM under a key of their tenant's (made at random per
/// tenant by migration 6), as `c1.<base64url>`: unreadable, and unforgeable across tenants.
/// (Using one key for both the nonce's HMAC and AES-GCM is deliberate and sound here: the
/// HMAC output is only ever used as a nonce.)
/// A plain `v1.` cursor from a node of an earlier version is still read.
extension HubStore {
    /// The cursor a device passed, opened; `.start` for none.
    ///
    /// - Throws: `invalid_input` for a cursor that is not one this tenant's hub made.
    package func openCursor(_ text: String?, as device: AuthenticatedDevice) async throws -> SyncCursor {
        guard let text else { return .start }
        guard text.hasPrefix("c1.") else { return try SyncCursor(parsing: text) }
        let malformed = TMWSError(.invalidInput, "malformed cursor: pass the next_cursor of the previous pull, or none to start", field: "cursor")
        guard let sealed = Data(base64URLEncoded: String(text.dropFirst(3))), sealed.count == 12 + 16 + 16,
            let box = try? AES.GCM.SealedBox(combined: sealed),
            let plain = try? AES.GCM.open(box, using: try await cursorKey(device), authenticating: Self.cursorContext(device))
        else { throw malformed }
        let bytes = Array(plain)
        let transaction = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let sequence = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard sequence <= UInt64(Int64.max) else { throw malformed }
        return SyncCursor(transaction: transaction, sequence: Int64(sequence))
    }

    /// A cursor sealed for the device's tenant.
    package func sealCursor(_ cursor: SyncCursor, as device: AuthenticatedDevice) async throws -> String {
        var plain: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { plain.append(UInt8(truncatingIfNeeded: cursor.transaction >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { plain.append(UInt8(truncatingIfNeeded: UInt64(cursor.sequence) >> UInt64(shift))) }
        // The nonce is derived from the position (as in AES-GCM-SIV): one position is always
        // the same text, so a node can tell a cursor that did not move; a nonce repeats only
        // with its plaintext, which reveals nothing more than that.
        let key = try await cursorKey(device)
        let nonce = try AES.GCM.Nonce(data: Array(HMAC<SHA256>.authenticationCode(for: plain, using: key)).prefix(12))
        let box = try AES.GCM.seal(plain, using: key, nonce: nonce, authenticating: Self.cursorContext(device))
        return "c1." + box.combined!.base64URLEncodedString()
    }

    static func cursorContext(_ device: AuthenticatedDevice) -> Data {
        Data(("tmws cursor v1 " + device.tenantID.uuidString.lowercased()).utf8)
    }

    private func cursorKey(_ device: AuthenticatedDevice) async throws -> SymmetricKey {
        let material = try await database.withTenant(device.context) { db -> [UInt8]? in
            var found: [UInt8]?
            for try await key in try await db.query(
                "SELECT cursor_key FROM tmws.tenants WHERE tenant_id = \(device.tenantID)", logger: logger
            ).decode(ByteBuffer.self) {
                found = Array(buffer: key)
            }
            return found
        }
        guard let material, material.count >= 16 else { throw TMWSError(.storage, "the tenant has no cursor key (run tmws hub migrate)") }
        return SymmetricKey(data: SHA256.hash(data: material))
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
