import Crypto
import Foundation
import TMWSCore

/// A secret the hub hands out once — a device credential or an enrollment token — in the
/// form `<kind>_<tenant uuid>_<id uuid>_<64 hex digits>`. The hub keeps only the SHA-256 of
/// the secret part; the tenant and id in the clear let it find the row under row-level
/// security (tenant set first) without any function that bypasses it. A wrong tenant or id
/// finds nothing; a wrong secret fails the constant-time comparison.
package struct HubSecret: Sendable, Hashable {
    package enum Kind: String, Sendable {
        case device = "tmwsd"
        case enrollment = "tmwse"
    }

    package let kind: Kind
    package let tenantID: UUID
    package let id: UUID
    let secret: [UInt8]

    /// A new random secret.
    package init(kind: Kind, tenantID: UUID, id: UUID) {
        var generator = SystemRandomNumberGenerator()
        self.kind = kind
        self.tenantID = tenantID
        self.id = id
        secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Parses the text a client sent; `nil` for anything malformed (the caller answers 401).
    package init?(parsing text: some StringProtocol, kind: Kind) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3 + 1, parts[0] == kind.rawValue,
            let tenant = UUID(uuidString: String(parts[1])), let id = UUID(uuidString: String(parts[2])),
            parts[3].utf8.count == 64, let bytes = Hex.decode(String(parts[3]))
        else { return nil }
        self.kind = kind
        tenantID = tenant
        self.id = id
        secret = bytes
    }

    /// The text given to the client, once.
    package var text: String {
        "\(kind.rawValue)_\(tenantID.uuidString.lowercased())_\(id.uuidString.lowercased())_\(Hex.encode(secret))"
    }

    /// What the hub stores.
    package var digest: [UInt8] { Array(SHA256.hash(data: secret)) }

    /// Compares with a stored digest in constant time.
    package func matches(_ stored: [UInt8]) -> Bool {
        let mine = digest
        guard stored.count == mine.count else { return false }
        var difference: UInt8 = 0
        for index in mine.indices { difference |= mine[index] ^ stored[index] }
        return difference == 0
    }
}
