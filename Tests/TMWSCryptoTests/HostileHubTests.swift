import Crypto
import Foundation
import TMWSCore
import TMWSHubClient
import TMWSTLS
import Testing

@testable import TMWSCrypto

/// Issue 19: what a malicious hub (or a removed member colluding with one, or another member)
/// cannot do to SHARED memories, played against the verifier, the envelope and the keyring.
@Suite struct HostileHubTests {
    // MARK: 1. Teams certify themselves

    @Test func aTeamIDNamesItsFirstEntrySoAHubCannotServeAnotherTeamUnderIt() throws {
        var team = try TeamFixture()
        try team.add("bob")
        #expect(team.team == team.entries[0].derivedTeam)
        #expect(try team.state.members.count == 2)
        // The hub makes its own «core»: a genesis it signs itself, bob's real device added. It
        // gets another id; served under the real id, it is refused.
        let hubKeys = DeviceKeyPair()
        let hubDevice = UUID()
        let key = TeamKey()
        var fake = try MembershipEntry.creation(
            tenant: team.tenant, teamName: "core", user: UUID(), userName: "alice",
            device: .init(id: hubDevice, name: "alice-laptop", keys: hubKeys.publicKeys),
            key: key, at: "2026-12-01T00:00:00.000Z", signing: hubKeys.signing
        )
        #expect(fake.team != team.team)
        #expect(try MembershipLog.verify([fake], tenant: team.tenant, team: fake.team).name == "core")
        fake.team = team.team
        fake.keyCommitment = MembershipEntry.hex(key.commitment(tenant: team.tenant, team: team.team, epoch: 1))
        fake = try fake.signed(with: hubKeys.signing)
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify([fake], tenant: team.tenant, team: team.team) }
        // An id chosen freely (how teams were made before) is taken only where it was trusted before.
        var legacy = team.entries[0]
        legacy.team = UUID()
        legacy.keyCommitment = MembershipEntry.hex(team.keys[1]!.commitment(tenant: team.tenant, team: legacy.team, epoch: 1))
        legacy = try legacy.signed(with: team.devices[team.device(of: "alice")]!.signing)
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify([legacy], tenant: team.tenant, team: legacy.team) }
        #expect(try MembershipLog.verify([legacy], tenant: team.tenant, team: legacy.team, acceptingLegacyID: true).epoch == 1)
    }

    @Test func anInviteCodeRoundTripsAndRefusesAnythingElse() throws {
        let team = try TeamFixture()
        let invite = TeamInvite(try team.state)
        let parsed = try TeamInvite(parsing: invite.description)
        let head = try team.state.head
        #expect(parsed == invite && parsed.matches(head))
        for bad in [
            "", "tmws-team-1:", "tmws-team-1:\(team.team):0:zz", "tmws-team-1:\(team.team):-1:" + String(repeating: "a", count: 32),
            "tmws-team-2:\(team.team):0:" + String(repeating: "a", count: 32), String(repeating: "x", count: 10_000),
        ] {
            #expect(throws: TMWSError.self) { try TeamInvite(parsing: bad) }
        }
    }

    // MARK: 3. Ended tenures

    @Test func aRemovedDeviceCannotWriteAfterItsCutOffAtAnyEpoch() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        let cutoff = HybridTimestamp(millis: 1_800_000_000_000, counter: 0xFFFF).rawValue
        try team.remove("bob", cutoff: cutoff)
        // Bob's device keeps epoch 1's key. What it signs stamped after the cut-off is refused;
        // what it wrote before still opens.
        var late = team.event("written after the removal")
        late.clock = HybridTimestamp(rawValue: cutoff + 1)
        var early = team.event("written before the removal")
        early.clock = HybridTimestamp(rawValue: cutoff - 1)
        await #expect(throws: CryptoFailure.unknownAuthor) { try await team.open(try team.seal(late, by: "bob", epoch: 1)) }
        #expect(try await team.open(try team.seal(early, by: "bob", epoch: 1)).memory?.content == "written before the removal")
        // Alice, still a member, is not cut off.
        #expect(try await team.open(try team.seal(late, by: "alice", epoch: 2)).memory?.content == "written after the removal")
    }

    /// A rotation entry of `name`'s device to `fresh`, starting the next epoch or not.
    static func rotation(_ team: TeamFixture, _ name: String, to fresh: DeviceKeyPair, newEpoch: Bool, cutoff: Int64) throws -> (MembershipEntry, TeamKey) {
        let device = team.device(of: name)
        let old = team.devices[device]!
        let state = try team.state
        let next = TeamKey()
        let entry = try MembershipEntry(
            tenant: team.tenant, team: team.team, teamName: "core", seq: team.entries.count, previous: state.head, action: .rotateKeys,
            user: team.user(name), userName: name, role: state.members[team.user(name)]!.role,
            devices: [.init(id: device, name: "\(name)-laptop", keys: fresh.publicKeys)], epoch: newEpoch ? state.epoch + 1 : state.epoch,
            keyCommitment: newEpoch ? next.commitment(tenant: team.tenant, team: team.team, epoch: state.epoch + 1) : nil, signer: device,
            at: "2026-12-01T00:00:00.000Z", cutoff: cutoff
        ).signed(with: old.signing)
        return (entry, next)
    }

    @Test func anAdminsRotationStartsAnEpochAMembersKeepsItAndBothEndTheOldKeys() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        let cutoff = HybridTimestamp(millis: 1_800_000_000_000, counter: 0xFFFF).rawValue
        // A member cannot start an epoch (its wraps to the others could be garbage, and the
        // team would be cut off its own key).
        let (memberNewEpoch, _) = try Self.rotation(team, "bob", to: DeviceKeyPair(), newEpoch: true, cutoff: cutoff)
        #expect(throws: CryptoFailure.self) { try MembershipLog.verify(team.entries + [memberNewEpoch], tenant: team.tenant, team: team.team) }
        // A member's rotation keeps the epoch; its old keys sign nothing stamped after it.
        let bob = team.device(of: "bob")
        let bobsOld = team.devices[bob]!
        let bobsNew = DeviceKeyPair()
        let (memberRotation, _) = try Self.rotation(team, "bob", to: bobsNew, newEpoch: false, cutoff: cutoff)
        team.entries.append(memberRotation)
        team.devices[bob] = bobsNew
        var state = try team.state
        #expect(state.epoch == 1)
        #expect(state.authors(bob, at: 1, clock: cutoff + 1) == [bobsNew.publicKeys])
        #expect(state.authors(bob, at: 1, clock: cutoff) == [bobsNew.publicKeys, bobsOld.publicKeys])
        // An admin's rotation starts the next epoch; its old keys get nothing of it.
        let alice = team.device(of: "alice")
        let alicesOld = team.devices[alice]!
        let alicesNew = DeviceKeyPair()
        let (adminRotation, next) = try Self.rotation(team, "alice", to: alicesNew, newEpoch: true, cutoff: cutoff + 10)
        team.entries.append(adminRotation)
        team.devices[alice] = alicesNew
        team.keys[2] = next
        state = try team.state
        #expect(state.epoch == 2)
        #expect(state.authors(alice, at: 2) == [alicesNew.publicKeys])
        #expect(state.authors(alice, at: 1, clock: cutoff + 11).isEmpty)
        #expect(throws: CryptoFailure.self) {
            try TeamKey.unwrap(
                try next.wrapped(to: alicesNew.publicKeys, device: alice, tenant: team.tenant, team: team.team, epoch: 2), with: alicesOld, device: alice,
                tenant: team.tenant, team: team.team, epoch: 2, commitment: state.commitments[2]!
            )
        }
    }

    @Test func aRemovalMadeBeforeCutOffsEndsTheTenureWhenItWasSigned() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        try team.remove("bob")  // signed at 2026-12-01T00:00:00.000Z, no cut-off
        let signed = HybridTimestamp.wall(ISO8601.date(from: "2026-12-01T00:00:00.000Z")!).rawValue
        var late = team.event("after the removal")
        late.clock = HybridTimestamp(rawValue: signed + (1 << 16))
        await #expect(throws: CryptoFailure.unknownAuthor) { try await team.open(try team.seal(late, by: "bob", epoch: 1)) }
    }

    // MARK: 5. Smaller

    @Test func smallOrderAgreementKeysAreRefused() throws {
        // The points of order 1, 2, 4 and 8 and their non-canonical encodings (RFC 7748 §6.1).
        let smallOrder = [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ]
        let signing = Data(DeviceKeyPair().publicKeys.signing).base64EncodedString()
        for hex in smallOrder {
            let bytes = try #require(MembershipLog.bytes(hex))
            #expect(!DevicePublicKeys.isUsableAgreementKey(bytes), "\(hex) was taken")
            #expect(throws: CryptoFailure.self) { try DevicePublicKeys(agreementBase64: Data(bytes).base64EncodedString(), signingBase64: signing) }
        }
        #expect(DevicePublicKeys.isUsableAgreementKey(DeviceKeyPair().publicKeys.agreement))
    }

    @Test func twoMembersOfOneNameAreNeverTakenForEachOther() throws {
        var team = try TeamFixture()
        try team.add("bob")
        try team.add("bob")
        let state = try team.state
        #expect(state.members(named: "bob").count == 2)
        let one = try #require(state.members(named: "bob").first)
        #expect(state.members(named: one.user.uuidString).map(\.user) == [one.user])
    }

    @Test func theHeaderCarriesTheAuthorsLogHeadAndFormatOneIsStillRead() throws {
        let team = try TeamFixture()
        let sealed = try team.seal(team.event("with a log head"))
        let header = try EnvelopeHeader(parsing: Array(Data(base64Encoded: sealed.sealed!.header)!))
        let head = try team.state.head
        #expect(header.log?.seq == 0 && header.log?.matches(head) == true)
        #expect(header.bytes.count == EnvelopeHeader.byteCount)
        let old = try MemoryEnvelope.seal(
            team.event("format 1"), tenant: team.tenant, team: team.team, epoch: 1, key: team.keys[1]!, author: team.author("alice"), log: nil
        )
        let oldHeader = try EnvelopeHeader(parsing: Array(Data(base64Encoded: old.sealed!.header)!))
        #expect(oldHeader.log == nil && oldHeader.bytes.count == 129)
    }

    // MARK: 4 and 5. The keyring: forks, held-back logs, authors writing as another device

    /// A keyring for `name`'s device over `team`'s log as a document (no hub is asked while
    /// the document is fresh).
    static func keyring(_ team: TeamFixture, for name: String, origin: String = "bobs-node") async throws -> (HubTeamKeyring, HubTeamKeyring.Records) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-hostile-\(UUID().uuidString)")
        let certificates = DevCertificates(directory: directory)
        try certificates.createIfMissing()
        let endpoint = try HubEndpoint(url: "https://127.0.0.1:9", caFile: certificates.path(.caCertificate), pin: nil)
        let device = team.device(of: name)
        let keys = team.devices[device]!
        let identity = HubIdentity(
            tenantID: team.tenant.uuidString, tenantName: "t", userID: team.user(name).uuidString, userName: name, deviceID: device.uuidString,
            deviceName: "\(name)-laptop", teams: []
        )
        let records = HubTeamKeyring.Records.inMemory()
        let keyring = try HubTeamKeyring(
            identity: identity, confirmedTeams: [team.team], cloud: HubCloud(client: try HubClient(endpoint: endpoint), credential: "x"),
            records: records, origin: origin, unlock: { keys }
        )
        let state = try team.state
        let wrap = try team.keys[state.epoch]!.wrapped(to: keys.publicKeys, device: device, tenant: team.tenant, team: team.team, epoch: state.epoch)
        _ = try await keyring.accept(
            TeamDocument(
                team: team.team.uuidString.lowercased(), name: "core", epoch: state.epoch, log: team.entries,
                keys: [.init(epoch: state.epoch, wrapped: Data(wrap).base64EncodedString())], links: []
            ),
            team: team.team
        )
        return (keyring, records)
    }

    static func header(_ event: ChangeEvent) throws -> EnvelopeHeader {
        try EnvelopeHeader(parsing: Array(Data(base64Encoded: event.sealed!.header)!))
    }

    @Test func aForkedLogIsNoticedWithoutStoppingTheTeam() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        let (keyring, records) = try await Self.keyring(team, for: "bob")
        // Alice's node was shown another entry 1 (the hub forked the log between them).
        var forkedTeam = team
        forkedTeam.entries.removeLast()
        try forkedTeam.add("carol")
        let honest = try team.seal(team.event("same log"))
        try await keyring.admit(try Self.header(honest))
        _ = try await keyring.sealingKey(team: team.team)
        let forked = try team.seal(team.event("forked log"), log: EnvelopeHeader.LogHead(seq: 1, hex: try forkedTeam.state.head))
        await #expect(throws: CryptoFailure.self) { try await keyring.admit(try Self.header(forked)) }
        #expect(try await records.get("team_fork." + team.team.uuidString.lowercased()) != nil)
        // One member's claim (true or a lie) does not stop the others sealing.
        _ = try await keyring.sealingKey(team: team.team)
        try await keyring.clearAlarms(team.team)
        #expect(try await records.get("team_fork." + team.team.uuidString.lowercased()) == nil)
    }

    @Test func aMemberSeenUnderANewerEpochStopsSealingUnderTheOldKey() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        let (keyring, records) = try await Self.keyring(team, for: "bob")
        _ = try await keyring.sealingKey(team: team.team)
        // The hub withholds a removal from bob's node; alice seals under epoch 2. Her signature
        // verifies (a current member), and bob's node holds no key for epoch 2.
        try await records.set("team_epoch_seen." + team.team.uuidString.lowercased(), "2")
        await #expect(throws: (any Error).self) { try await keyring.sealingKey(team: team.team) }
    }

    @Test func anAuthorWritesAsOneOriginDeviceAndNeverAsThisNode() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        try team.add("carol")
        let (keyring, _) = try await Self.keyring(team, for: "bob", origin: "bobs-node")
        func sealed(by name: String, origin: String) throws -> EnvelopeHeader {
            var event = team.event("from \(origin)")
            event.device = origin
            return try Self.header(try team.seal(event, by: name))
        }
        try await keyring.admit(try sealed(by: "alice", origin: "alices-node"))
        try await keyring.admit(try sealed(by: "alice", origin: "alices-node"))
        // Alice writing as another node than before, anyone as this node: refused.
        await #expect(throws: CryptoFailure.self) { try await keyring.admit(try sealed(by: "alice", origin: "carols-node")) }
        await #expect(throws: CryptoFailure.self) { try await keyring.admit(try sealed(by: "carol", origin: "bobs-node")) }
        try await keyring.admit(try sealed(by: "carol", origin: "carols-node"))
        // No one pins another author's origin: carol, seen first, keeps hers.
        await #expect(throws: CryptoFailure.self) { try await keyring.admit(try sealed(by: "carol", origin: "alices-node")) }
    }
}
