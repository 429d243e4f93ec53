import Crypto
import Foundation
import TMWSCore

/// The fixed binary header of a sealed memory version: the associated data of both
/// encryptions and part of what the author signs. The hub keeps it in clear (it routes by
/// team and epoch); a node rebuilds it from the event it arrived in and refuses any
/// difference, so ciphertext cannot be moved to another memory, version, team, tenant,
/// epoch or author.
///
/// Layout (big-endian, 149 bytes): `"TMWS"`, format u8, suite u16, tenant, team and memory
/// ids (16 bytes each), version u64, epoch u32, author device id (16), the first 16 bytes of
/// SHA-256 of the event's origin device, hybrid clock u64, scope u8, operation u8, padded
/// plaintext length u32, the first 16 bytes of SHA-256 of the event id and the version
/// the change was made on (so a hub can neither invent nor hide a concurrent edit), then the
/// author's view of the team's membership log: the sequence number u32 of its last entry and
/// the first 16 bytes of that entry's hash (so a reader notices a log the hub forked or held
/// back). Format 1 (129 bytes, without the log head) is still read.
package struct EnvelopeHeader: Sendable, Hashable {
    package static let format: UInt8 = 2
    /// HPKE(X25519, HKDF-SHA256, AES-256-GCM) team keys, AES-256-GCM content keys, Ed25519.
    package static let suite: UInt16 = 1
    package static let byteCount = 149
    static let formatOneByteCount = 129

    /// Where the author's membership log ended when it sealed: the last entry's sequence
    /// number and the first 16 bytes of its hash.
    package struct LogHead: Sendable, Hashable {
        package var seq: Int
        package var hash: [UInt8]

        package init(seq: Int, hash: [UInt8]) {
            self.seq = seq
            self.hash = hash
        }

        /// From a verified state's head (hex).
        package init?(seq: Int, hex: String) {
            guard let bytes = MembershipLog.bytes(hex) else { return nil }
            self.init(seq: seq, hash: Array(bytes.prefix(16)))
        }

        /// Whether `hex` (a full entry hash) is the entry this head names.
        package func matches(_ hex: String) -> Bool { MembershipLog.bytes(hex).map { Array($0.prefix(16)) == hash } ?? false }
    }

    package var tenant: UUID
    package var team: UUID
    package var memory: UUID
    package var version: Int
    package var epoch: Int
    package var author: UUID
    package var origin: [UInt8]
    package var clock: Int64
    package var operation: ChangeEvent.Operation
    package var paddedLength: Int
    package var base: [UInt8]
    /// The author's log head (`nil` in a format 1 header).
    package var log: LogHead?

    package static func origin(of device: String) -> [UInt8] { Array(Array(SHA256.hash(data: Array(device.utf8))).prefix(16)) }

    /// What binds the event's id and base version: 16 bytes of SHA-256 over them.
    static func base(of event: ChangeEvent) -> [UInt8] {
        var writer = ByteWriter("tmws/v1/base")
        writer.text(event.eventID.lowercased())
        writer.u64(event.baseVersion ?? 0)
        writer.u64(UInt64(bitPattern: event.baseClock?.rawValue ?? 0))
        writer.text(event.baseDevice ?? "")
        return Array(Array(SHA256.hash(data: writer.bytes)).prefix(16))
    }

    static let operations: [ChangeEvent.Operation] = [.create, .update, .delete]

    package var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.raw(Array("TMWS".utf8))
        writer.u8(log == nil ? 1 : Self.format)
        writer.u16(Self.suite)
        writer.uuid(tenant)
        writer.uuid(team)
        writer.uuid(memory)
        writer.u64(version)
        writer.u32(epoch)
        writer.uuid(author)
        writer.raw(origin)
        writer.u64(UInt64(bitPattern: clock))
        writer.u8(2)  // SHARED
        writer.u8(UInt8(Self.operations.firstIndex(of: operation)!))
        writer.u32(paddedLength)
        writer.raw(base)
        if let log {
            writer.u32(log.seq)
            writer.raw(log.hash)
        }
        return writer.bytes
    }

    init(
        tenant: UUID, team: UUID, memory: UUID, version: Int, epoch: Int, author: UUID, origin: [UInt8], clock: Int64,
        operation: ChangeEvent.Operation, paddedLength: Int, base: [UInt8], log: LogHead?
    ) {
        (self.tenant, self.team, self.memory, self.version, self.epoch) = (tenant, team, memory, version, epoch)
        (self.author, self.origin, self.clock, self.operation, self.paddedLength) = (author, origin, clock, operation, paddedLength)
        (self.base, self.log) = (base, log)
    }

    package init(parsing bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount || bytes.count == Self.formatOneByteCount else { throw CryptoFailure.malformedHeader }
        var reader = ByteReader(bytes)
        let format = bytes.count == Self.byteCount ? Self.format : 1
        guard Array(try reader.take(4)) == Array("TMWS".utf8), try reader.integer(1) == UInt64(format),
            try reader.integer(2) == UInt64(Self.suite)
        else { throw CryptoFailure.malformedHeader }
        tenant = try reader.uuid()
        team = try reader.uuid()
        memory = try reader.uuid()
        let version = try reader.integer(8)
        let epoch = try reader.integer(4)
        guard version <= UInt64(Int32.max) else { throw CryptoFailure.malformedHeader }
        (self.version, self.epoch) = (Int(version), Int(epoch))
        author = try reader.uuid()
        origin = Array(try reader.take(16))
        clock = Int64(bitPattern: try reader.integer(8))
        guard try reader.integer(1) == 2, let operation = Self.operations[safe: Int(try reader.integer(1))] else {
            throw CryptoFailure.malformedHeader
        }
        self.operation = operation
        paddedLength = Int(try reader.integer(4))
        base = Array(try reader.take(16))
        if format == Self.format {
            let seq = try reader.integer(4)
            guard seq <= UInt64(Int32.max) else { throw CryptoFailure.malformedHeader }
            log = LogHead(seq: Int(seq), hash: Array(try reader.take(16)))
        } else {
            log = nil
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Sealing and opening SHARED change events (DESIGN §6): a fresh AES-256-GCM key per memory
/// version encrypts the fields (padded to a size bucket), the team's epoch key wraps that
/// key, both with the header as associated data, and the author's Ed25519 key signs
/// `"tmws/v1/sig" ‖ header ‖ SHA-256(ciphertext) ‖ wrapped key`. A delete is sealed too (no
/// fields), so only a member can delete.
package enum MemoryEnvelope {
    /// Who seals: the device's hub id and its signing key.
    package struct Author: Sendable {
        package var device: UUID
        package var signing: Curve25519.Signing.PrivateKey

        package init(device: UUID, signing: Curve25519.Signing.PrivateKey) {
            self.device = device
            self.signing = signing
        }
    }

    /// The size a plaintext of `count` bytes is padded to (with its 4-byte length): 256 bytes,
    /// then powers of two up to 64 KiB, then whole multiples of 64 KiB. The hub learns a
    /// memory's size only to that bucket.
    static func bucket(_ count: Int) -> Int {
        let needed = count + 4
        if needed > 65_536 { return (needed + 65_535) / 65_536 * 65_536 }
        var size = 256
        while size < needed { size *= 2 }
        return size
    }

    static func signed(header: [UInt8], ciphertext: [UInt8], wrappedKey: [UInt8]) -> [UInt8] {
        var writer = ByteWriter("tmws/v1/sig")
        writer.raw(header)
        writer.raw(SHA256.hash(data: ciphertext))
        writer.raw(wrappedKey)
        return writer.bytes
    }

    /// The event as it goes to the hub: its fields replaced by a sealed envelope for `team`
    /// at `epoch`. Clear fields (ids, versions, clocks, the origin device, the team) stay.
    package static func seal(
        _ event: ChangeEvent, tenant: UUID, team: UUID, epoch: Int, key: TeamKey, author: Author, log: EnvelopeHeader.LogHead?
    ) throws -> ChangeEvent {
        let fields = event.memory.map { $0.jsonBytes() } ?? []
        // The vector, if any, follows the fields inside the envelope (its own length first): a
        // vector can be turned back into text, so the hub never sees it. Readers that know no
        // vector stop at the fields' length; the zero padding reads as "no vector".
        let vector = event.memory == nil ? [] : event.vector?.jsonBytes() ?? []
        var padded = ByteWriter()
        padded.u32(UInt32(fields.count))
        padded.raw(fields)
        if !vector.isEmpty {
            padded.u32(UInt32(vector.count))
            padded.raw(vector)
        }
        let size = bucket(fields.count + (vector.isEmpty ? 0 : 4 + vector.count))
        padded.raw(repeatElement(0, count: size - padded.bytes.count))
        let header = EnvelopeHeader(
            tenant: tenant, team: team, memory: event.memoryID.uuid, version: event.version, epoch: epoch, author: author.device,
            origin: EnvelopeHeader.origin(of: event.device), clock: event.clock.rawValue, operation: event.operation, paddedLength: size,
            base: EnvelopeHeader.base(of: event), log: log
        ).bytes
        let contentKey = SymmetricKey(size: .bits256)
        let ciphertext = Array(try AES.GCM.seal(padded.bytes, using: contentKey, authenticating: header).combined!)
        let wrappedKey = Array(
            try AES.GCM.seal(contentKey.withUnsafeBytes { Array($0) }, using: key.key, authenticating: Array("tmws/v1/content-key".utf8) + header)
                .combined!
        )
        let signature = try author.signing.signature(for: signed(header: header, ciphertext: ciphertext, wrappedKey: wrappedKey))
        var sealed = event
        sealed.memory = nil
        sealed.vector = nil
        sealed.team = team.uuidString.lowercased()
        sealed.sealed = SealedEnvelope(
            epoch: epoch, header: Data(header).base64EncodedString(), wrappedKey: Data(wrappedKey).base64EncodedString(),
            ciphertext: Data(ciphertext).base64EncodedString(), signature: Data(signature).base64EncodedString()
        )
        return sealed
    }

    /// The parts of a sealed event, checked against its clear fields (but not yet against any
    /// key): what the hub checks on push and a node first on pull.
    package struct Parts: Sendable {
        package var header: EnvelopeHeader
        package var headerBytes: [UInt8]
        package var wrappedKey: [UInt8]
        package var ciphertext: [UInt8]
        package var signature: [UInt8]

        package init(_ event: ChangeEvent, tenant: UUID) throws {
            guard let sealed = event.sealed else { throw CryptoFailure.malformedHeader }
            headerBytes = Array(try Data(base64Checked: sealed.header))
            header = try EnvelopeHeader(parsing: headerBytes)
            wrappedKey = Array(try Data(base64Checked: sealed.wrappedKey))
            ciphertext = Array(try Data(base64Checked: sealed.ciphertext))
            signature = Array(try Data(base64Checked: sealed.signature))
            func require(_ holds: Bool, _ field: String) throws { if !holds { throw CryptoFailure.headerMismatch(field) } }
            try require(header.tenant == tenant, "tenant")
            try require(event.team.flatMap(UUID.init(uuidString:)) == header.team, "team")
            try require(header.memory == event.memoryID.uuid, "memory")
            try require(header.version == event.version, "version")
            try require(header.epoch == sealed.epoch, "epoch")
            try require(header.origin == EnvelopeHeader.origin(of: event.device), "device")
            try require(header.clock == event.clock.rawValue, "clock")
            try require(header.operation == event.operation, "operation")
            try require(header.base == EnvelopeHeader.base(of: event), "base version")
            try require(event.memory == nil, "plaintext beside the envelope")
            // Nonce (12) and tag (16) around the padded plaintext; the 32-byte key likewise.
            try require(ciphertext.count == header.paddedLength + 28 && wrappedKey.count == 60, "length")
        }

        /// Whether the author's signature holds.
        package func verify(_ author: DevicePublicKeys) -> Bool {
            guard let key = try? author.signingKey() else { return false }
            return key.isValidSignature(signature, for: MemoryEnvelope.signed(header: headerBytes, ciphertext: ciphertext, wrappedKey: wrappedKey))
        }
    }

    /// The event with its fields back (and its envelope kept), after every check: the header matches the event, the
    /// author (a device of the team at that epoch, per `author`) signed it, and both
    /// decryptions authenticate.
    package static func open(
        _ event: ChangeEvent, tenant: UUID, key: (_ epoch: Int) async throws -> TeamKey,
        authors: (_ device: UUID, _ epoch: Int, _ clock: Int64) async throws -> [DevicePublicKeys]
    ) async throws -> ChangeEvent {
        let parts = try Parts(event, tenant: tenant)
        let keys = try await authors(parts.header.author, parts.header.epoch, parts.header.clock)
        guard !keys.isEmpty else { throw CryptoFailure.unknownAuthor }
        guard keys.contains(where: parts.verify) else { throw CryptoFailure.badSignature }
        let teamKey = try await key(parts.header.epoch)
        let padded: [UInt8]
        do {
            let contentKey = try AES.GCM.open(
                try AES.GCM.SealedBox(combined: parts.wrappedKey), using: teamKey.key,
                authenticating: Array("tmws/v1/content-key".utf8) + parts.headerBytes
            )
            padded = Array(
                try AES.GCM.open(
                    try AES.GCM.SealedBox(combined: parts.ciphertext), using: SymmetricKey(data: contentKey),
                    authenticating: parts.headerBytes))
        } catch {
            throw CryptoFailure.decryptionFailed
        }
        var reader = ByteReader(padded)
        let length = Int(try reader.integer(4))
        guard length <= padded.count - 4 else { throw CryptoFailure.decryptionFailed }
        // The envelope stays on the opened event: a node applies a change to a SHARED memory
        // only if it arrived sealed (a hub cannot overwrite one in clear).
        var opened = event
        if event.operation == .delete {
            guard length == 0 else { throw CryptoFailure.decryptionFailed }
        } else {
            let memory: ReplicatedMemory
            do {
                memory = try ReplicatedMemory.decode(padded[4..<4 + length])
            } catch {
                throw CryptoFailure.decryptionFailed
            }
            guard memory.scope == .shared else { throw CryptoFailure.headerMismatch("scope") }
            opened.memory = memory
            // A vector after the fields; one this node cannot read is left out (the memory is
            // embedded here instead), never a reason to refuse the change.
            opened.vector = nil
            var rest = ByteReader(Array(padded[(4 + length)...]))
            if let count = try? Int(rest.integer(4)), count > 0, count <= padded.count - 8 - length,
                let bytes = try? rest.take(count), let vector = try? MemoryVector.decode(bytes)
            {
                opened.vector = vector
            }
        }
        return opened
    }
}
