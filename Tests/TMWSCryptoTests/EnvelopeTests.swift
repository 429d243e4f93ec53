import Crypto
import Foundation
import TMWSCore
import TMWSCrypto
import Testing

/// A team of devices made in memory: the membership log, the keys, sealed events.
struct TeamFixture {
    let tenant = UUID()
    let team: UUID
    var devices: [UUID: DeviceKeyPair] = [:]
    var users: [UUID: (name: String, devices: [UUID])] = [:]
    var entries: [MembershipEntry] = []
    var keys: [Int: TeamKey] = [:]

    /// A team created by `admin` with one device.
    init(admin: String = "alice") throws {
        let user = UUID()
        let device = UUID()
        let pair = DeviceKeyPair()
        devices[device] = pair
        users[user] = (admin, [device])
        keys[1] = TeamKey()
        let entry = try MembershipEntry.creation(
            tenant: tenant, teamName: "core", user: user, userName: admin, device: .init(id: device, name: "\(admin)-laptop", keys: pair.publicKeys),
            key: keys[1]!, at: "2026-12-01T00:00:00.000Z", signing: pair.signing
        )
        team = entry.team
        entries = [entry]
    }

    var state: TeamState { get throws { try MembershipLog.verify(entries, tenant: tenant, team: team) } }

    func user(_ name: String) -> UUID { users.first { $0.value.name == name }!.key }

    func device(of name: String) -> UUID { users[user(name)]!.devices[0] }

    /// `signer` (an admin's name) adds `name` with one new device.
    mutating func add(_ name: String, role: String = "member", by signer: String = "alice") throws {
        let user = UUID()
        let device = UUID()
        let pair = DeviceKeyPair()
        devices[device] = pair
        users[user] = (name, [device])
        let state = try self.state
        let entry = MembershipEntry(
            tenant: tenant, team: team, teamName: "core", seq: entries.count, previous: state.head, action: .add, user: user, userName: name,
            role: role, devices: [.init(id: device, name: "\(name)-laptop", keys: pair.publicKeys)], epoch: state.epoch, keyCommitment: nil,
            signer: self.device(of: signer), at: "2026-12-01T00:00:00.000Z"
        )
        entries.append(try entry.signed(with: devices[self.device(of: signer)]!.signing))
    }

    /// `cutoff`: the removal's cut-off on the hybrid clock (`nil`: an entry made before entries carried one).
    mutating func remove(_ name: String, by signer: String = "alice", cutoff: Int64? = nil) throws {
        let state = try self.state
        let key = TeamKey()
        keys[state.epoch + 1] = key
        let entry = MembershipEntry(
            tenant: tenant, team: team, teamName: "core", seq: entries.count, previous: state.head, action: .remove, user: user(name),
            userName: name, role: "member", devices: [], epoch: state.epoch + 1,
            keyCommitment: key.commitment(tenant: tenant, team: team, epoch: state.epoch + 1), signer: device(of: signer),
            at: "2026-12-01T00:00:00.000Z", cutoff: cutoff
        )
        entries.append(try entry.signed(with: devices[device(of: signer)]!.signing))
    }

    func author(_ name: String) -> MemoryEnvelope.Author {
        MemoryEnvelope.Author(device: device(of: name), signing: devices[device(of: name)]!.signing)
    }

    func event(_ content: String, memory: MemoryID = MemoryID(uuid: UUID()), version: Int = 1) -> ChangeEvent {
        let fields = Memory(
            id: memory, tenantID: "default", namespace: .fallback, scope: .shared, content: content, tags: ["marker"], importance: 0.5,
            metadata: ["k": .string("v")], agentID: "cli", createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            updatedAt: HybridTimestamp(rawValue: 42 << 16), version: version, originDevice: "local-device", expiresAt: nil, accessCount: 0,
            accessedAt: nil, archived: false, deleted: false, team: team.uuidString.lowercased()
        )
        return ChangeEvent.forWrite(fields, previous: nil, eventID: UUID().uuidString.lowercased(), device: "local-device")!
    }

    func seal(_ event: ChangeEvent, by name: String = "alice", epoch: Int? = nil, log: EnvelopeHeader.LogHead? = nil) throws -> ChangeEvent {
        let epoch = try epoch ?? state.epoch
        let state = try self.state
        return try MemoryEnvelope.seal(
            event, tenant: tenant, team: team, epoch: epoch, key: keys[epoch]!, author: author(name),
            log: log ?? EnvelopeHeader.LogHead(seq: state.seq, hex: state.head)
        )
    }

    func open(_ event: ChangeEvent, keys: [Int: TeamKey]? = nil) async throws -> ChangeEvent {
        let state = try self.state
        let keys = keys ?? self.keys
        return try await MemoryEnvelope.open(
            event, tenant: tenant,
            key: { epoch in
                guard let key = keys[epoch] else { throw CryptoFailure.noKey(team: "core", epoch: epoch) }
                return key
            },
            authors: { device, epoch, clock in state.authors(device, at: epoch, clock: clock) }
        )
    }
}

@Suite struct EnvelopeTests {
    @Test func aSealedEventOpensToTheSameFieldsAndHoldsNoPlaintext() async throws {
        let team = try TeamFixture()
        let event = team.event("the deploy key rotates every Tuesday MARKER-7f3a")
        let sealed = try team.seal(event)
        #expect(sealed.memory == nil)
        let wire = String(decoding: sealed.jsonBytes(), as: UTF8.self)
        #expect(!wire.contains("MARKER-7f3a") && !wire.contains("marker") && !wire.contains("Tuesday"))
        let reread = try ChangeEvent.decode(sealed.jsonBytes())
        let opened = try await team.open(reread)
        #expect(opened.memory == event.memory)
        #expect(opened.sealed == sealed.sealed && opened.team == team.team.uuidString.lowercased())
    }

    @Test func aSharedMemorysVectorTravelsInsideTheEnvelopeOnly() async throws {
        let team = try TeamFixture()
        var event = team.event("release steps for the team")
        let values = (0..<384).map { Float(sin(Double($0))) }
        event.vector = MemoryVector(model: "multilingual-e5-small-q4", floats: values)
        let sealed = try team.seal(event)
        #expect(sealed.vector == nil)
        let wire = String(decoding: sealed.jsonBytes(), as: UTF8.self)
        #expect(!wire.contains("vector") && !wire.contains("e5-small"))
        let opened = try await team.open(try ChangeEvent.decode(sealed.jsonBytes()))
        #expect(opened.vector == event.vector)
        #expect(opened.refusal(receivedAt: Date()) == nil)
        // An envelope without one (as every one sealed before vectors existed) opens without.
        let plain = try await team.open(try team.seal(team.event("no vector here")))
        #expect(plain.vector == nil && plain.memory?.content == "no vector here")
    }

    @Test func paddingHidesTheExactLength() throws {
        let team = try TeamFixture()
        let short = try team.seal(team.event(String(repeating: "a", count: 600)))
        let longer = try team.seal(team.event(String(repeating: "b", count: 700)))
        #expect(short.sealed!.ciphertext.count == longer.sealed!.ciphertext.count)
    }

    @Test func tamperedCiphertextHeaderKeyOrSignatureIsRejected() async throws {
        let team = try TeamFixture()
        let sealed = try team.seal(team.event("tamper target"))
        func flipping(_ path: WritableKeyPath<SealedEnvelope, String>, at index: Int) -> ChangeEvent {
            var event = sealed
            var bytes = Array(Data(base64Encoded: event.sealed![keyPath: path])!)
            bytes[index] ^= 0x01
            event.sealed![keyPath: path] = Data(bytes).base64EncodedString()
            return event
        }
        for (path, index) in [
            (\SealedEnvelope.ciphertext, 40), (\SealedEnvelope.wrappedKey, 20), (\SealedEnvelope.signature, 5), (\SealedEnvelope.header, 112),
        ] {
            await #expect(throws: CryptoFailure.self) { try await team.open(flipping(path, at: index)) }
        }
        // Only the key, not the signature, changed: the signature still covers it.
        var resigned = sealed
        resigned.sealed!.epoch = 2
        await #expect(throws: CryptoFailure.headerMismatch("epoch")) { try await team.open(resigned) }
    }

    @Test func ciphertextMovedToAnotherRowVersionOrTeamDoesNotOpen() async throws {
        let team = try TeamFixture()
        let first = try team.seal(team.event("first memory"))
        let second = try team.seal(team.event("second memory"))
        var swapped = second
        swapped.sealed = first.sealed
        await #expect(throws: CryptoFailure.headerMismatch("memory")) { try await team.open(swapped) }
        var replayed = first
        replayed.version = 2
        await #expect(throws: CryptoFailure.headerMismatch("version")) { try await team.open(replayed) }
        var moved = first
        moved.team = UUID().uuidString.lowercased()
        await #expect(throws: CryptoFailure.headerMismatch("team")) { try await team.open(moved) }
        var otherDevice = first
        otherDevice.device = "someone-else"
        await #expect(throws: CryptoFailure.headerMismatch("device")) { try await team.open(otherDevice) }
    }

    @Test func anotherTeamsKeyDoesNotOpenAndAnOutsiderCannotSign() async throws {
        var team = try TeamFixture()
        let sealed = try team.seal(team.event("team only"))
        await #expect(throws: CryptoFailure.decryptionFailed) { try await team.open(sealed, keys: [1: TeamKey()]) }
        // Signed by a device the log does not know.
        let outsider = MemoryEnvelope.Author(device: UUID(), signing: .init())
        let forged = try MemoryEnvelope.seal(
            team.event("forged"), tenant: team.tenant, team: team.team, epoch: 1, key: team.keys[1]!, author: outsider, log: nil
        )
        await #expect(throws: CryptoFailure.unknownAuthor) { try await team.open(forged) }
        // A removed member's device cannot sign for later epochs.
        try team.add("bob")
        try team.remove("bob")
        let late = try team.seal(team.event("after bob left"), by: "bob", epoch: 2)
        await #expect(throws: CryptoFailure.unknownAuthor) { try await team.open(late) }
    }

    @Test func aTeamKeyWrapsToADeviceAndIsCheckedAgainstTheCommitment() throws {
        let team = try TeamFixture()
        let device = team.device(of: "alice")
        let pair = team.devices[device]!
        let commitment = team.keys[1]!.commitment(tenant: team.tenant, team: team.team, epoch: 1)
        let wrapped = try team.keys[1]!.wrapped(to: pair.publicKeys, device: device, tenant: team.tenant, team: team.team, epoch: 1)
        let opened = try TeamKey.unwrap(wrapped, with: pair, device: device, tenant: team.tenant, team: team.team, epoch: 1, commitment: commitment)
        #expect(opened.commitment(tenant: team.tenant, team: team.team, epoch: 1) == commitment)
        // A key the hub chose itself, wrapped correctly, fails the commitment.
        let hubs = try TeamKey().wrapped(to: pair.publicKeys, device: device, tenant: team.tenant, team: team.team, epoch: 1)
        #expect(throws: CryptoFailure.keyCommitmentMismatch(epoch: 1)) {
            try TeamKey.unwrap(hubs, with: pair, device: device, tenant: team.tenant, team: team.team, epoch: 1, commitment: commitment)
        }
        // Wrapped for another epoch or device: does not open.
        #expect(throws: CryptoFailure.decryptionFailed) {
            try TeamKey.unwrap(wrapped, with: pair, device: device, tenant: team.tenant, team: team.team, epoch: 2, commitment: commitment)
        }
        let previous = try TeamKey().sealing(previous: team.keys[1]!, tenant: team.tenant, team: team.team, epoch: 2)
        #expect(throws: CryptoFailure.decryptionFailed) {
            try team.keys[1]!.openPrevious(previous, tenant: team.tenant, team: team.team, epoch: 2, commitment: commitment)
        }
    }
}

@Suite struct MembershipLogTests {
    @Test func aValidLogGivesMembersEpochsAndAuthors() throws {
        var team = try TeamFixture()
        try team.add("bob")
        try team.add("carol", role: "admin")
        try team.add("dave", by: "carol")
        try team.remove("bob", by: "carol")
        let state = try team.state
        #expect(state.epoch == 2)
        #expect(Set(state.members.values.map(\.name)) == ["alice", "carol", "dave"])
        #expect(state.author(team.device(of: "bob"), at: 1) != nil)
        #expect(state.author(team.device(of: "bob"), at: 2) == nil)
        #expect(state.devices.count == 3)
    }

    @Test func aForgedOrReorderedEntryIsRejected() throws {
        var team = try TeamFixture()
        try team.add("bob")
        // The hub adds a device of its own, signed by a key it made.
        let hubKey = DeviceKeyPair()
        let hubDevice = UUID()
        let state = try team.state
        let forged = try MembershipEntry(
            tenant: team.tenant, team: team.team, teamName: "core", seq: 2, previous: state.head, action: .add, user: UUID(), userName: "mallory",
            role: "member", devices: [.init(id: hubDevice, name: "hub", keys: hubKey.publicKeys)], epoch: 1, keyCommitment: nil,
            signer: hubDevice, at: "2026-12-01T00:00:00.000Z"
        ).signed(with: hubKey.signing)
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(team.entries + [forged], tenant: team.tenant, team: team.team) }
        // Claiming an admin's device as signer without its key.
        var claimed = forged
        claimed.signer = team.device(of: "alice")
        claimed = try claimed.signed(with: hubKey.signing)
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(team.entries + [claimed], tenant: team.tenant, team: team.team) }
        // A member who is not an admin cannot add anyone.
        var byMember = team
        #expect(throws: CryptoFailure.self) {
            try byMember.add("eve", by: "bob")
            _ = try byMember.state
        }
        // An entry edited after signing, or entries out of order.
        var edited = team.entries
        edited[1].role = "admin"
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(edited, tenant: team.tenant, team: team.team) }
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify([team.entries[1], team.entries[0]], tenant: team.tenant, team: team.team) }
        // Another team's log.
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(team.entries, tenant: team.tenant, team: UUID()) }
    }

    @Test func aRewrittenHistoryIsRejectedAgainstThePin() throws {
        var team = try TeamFixture()
        try team.add("bob")
        let pin = MembershipLog.Pin(seq: 1, hash: try team.state.head)
        _ = try MembershipLog.verify(team.entries, tenant: team.tenant, team: team.team, pinned: pin)
        // The hub serves a log where bob's entry was replaced by another valid one.
        var other = team
        other.entries.removeLast()
        try other.add("bob")
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(other.entries, tenant: team.tenant, team: team.team, pinned: pin) }
        // Or a log cut short.
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify([team.entries[0]], tenant: team.tenant, team: team.team, pinned: pin) }
    }

    @Test func aRemovalWithoutANewEpochKeyIsRejected() throws {
        var team = try TeamFixture()
        try team.add("bob")
        try team.remove("bob")
        var entries = team.entries
        entries[2].keyCommitment = nil
        entries[2] = try entries[2].signed(with: team.devices[team.device(of: "alice")]!.signing)
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(entries, tenant: team.tenant, team: team.team) }
    }
}

@Suite struct RotationTests {
    @Test func writesSignedBeforeAKeyRotationStillOpen() async throws {
        var team = try TeamFixture()
        let before = try team.seal(team.event("signed with the first signing key"))
        // Alice's device rotates its keys within epoch 1.
        let device = team.device(of: "alice")
        let old = team.devices[device]!
        let fresh = DeviceKeyPair()
        let state = try team.state
        let rotation = try MembershipEntry(
            tenant: team.tenant, team: team.team, teamName: "core", seq: team.entries.count, previous: state.head, action: .rotateKeys,
            user: team.user("alice"), userName: "alice", role: "admin", devices: [.init(id: device, name: "alice-laptop", keys: fresh.publicKeys)],
            epoch: 1, keyCommitment: nil, signer: device, at: "2026-12-01T00:00:00.000Z"
        ).signed(with: old.signing)
        team.entries.append(rotation)
        team.devices[device] = fresh
        let after = try team.seal(team.event("signed with the new signing key"))
        #expect(try await team.open(before).memory?.content == "signed with the first signing key")
        #expect(try await team.open(after).memory?.content == "signed with the new signing key")
        #expect(try team.state.authors(device, at: 1).count == 2)
    }
}
