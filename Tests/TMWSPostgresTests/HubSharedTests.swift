import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSCrypto
import TMWSHubDomain
import TMWSPostgres
import Testing

/// The hub's side of SHARED memories against a real PostgreSQL: teams made and changed only
/// through verified, signed log entries; sealed changes taken only from a member's device,
/// signed by it, under the team's current epoch; plaintext SHARED changes refused.
@Suite(.serialized) struct HubSharedTests {
    static let logger = Logger(label: "test")

    struct Device {
        var authenticated: AuthenticatedDevice
        var keys: DeviceKeyPair
        var name: String
    }

    /// Tenant `name` with users ann, bob and carol, one device each (with registered keys).
    static func devices(_ running: TestCluster.Running, _ store: HubStore) async throws -> [String: Device] {
        let tenant = "shared-\(UUID().uuidString.prefix(8))"
        var tokens: [String: String] = [:]
        try await withConnection(running.owner) { db in
            let admin = HubAdmin(connection: db, logger: logger)
            _ = try await admin.createTenant(name: tenant)
            for user in ["ann", "bob", "carol"] {
                _ = try await admin.createUser(tenant: tenant, name: user)
                tokens[user] = try await admin.enrollToken(tenant: tenant, user: user).token
            }
        }
        var devices: [String: Device] = [:]
        for (user, token) in tokens {
            let keys = DeviceKeyPair()
            let (credential, _) = try await store.enroll(
                token: token, deviceName: user + "-laptop", agreementKey: keys.publicKeys.agreement, signingKey: keys.publicKeys.signing
            )
            devices[user] = Device(authenticated: try await store.authenticate(credential), keys: keys, name: user)
        }
        return devices
    }

    static func entry(
        _ state: TeamState?, by signer: Device, team: UUID, action: MembershipEntry.Action, about user: Device, epoch: Int,
        commitment: [UInt8]? = nil, role: String = "member", devices: [Device]? = nil
    ) throws -> MembershipEntry {
        try MembershipEntry(
            tenant: signer.authenticated.tenantID, team: team, teamName: state?.name ?? "core", seq: (state?.seq ?? -1) + 1,
            previous: state?.head ?? MembershipEntry.genesis, action: action, user: user.authenticated.userID, userName: user.name, role: role,
            devices: (devices ?? [user]).map { .init(id: $0.authenticated.deviceID, name: $0.name + "-laptop", keys: $0.keys.publicKeys) },
            epoch: epoch, keyCommitment: commitment, signer: signer.authenticated.deviceID, at: "2026-12-01T00:00:00.000Z",
            cutoff: action == .remove || action == .rotateKeys ? HybridTimestamp.wall(Date()).rawValue | 0xFFFF : nil
        ).signed(with: signer.keys.signing)
    }

    static func wrap(_ key: TeamKey, to device: Device, team: UUID, epoch: Int) throws -> TeamChange.Wrap {
        TeamChange.Wrap(
            device: device.authenticated.deviceID, epoch: epoch,
            wrapped: try key.wrapped(
                to: device.keys.publicKeys, device: device.authenticated.deviceID, tenant: device.authenticated.tenantID, team: team, epoch: epoch
            )
        )
    }

    /// A SHARED memory's create, written on device `device` (each pushing device names its own).
    static func event(_ content: String, team: UUID, device: String = "laptop") throws -> ChangeEvent {
        var memory = try HubSyncTests.memory(content, scope: .shared)
        memory.team = team.uuidString.lowercased()
        return try #require(ChangeEvent.forWrite(memory, previous: nil, eventID: UUID().uuidString.lowercased(), device: device))
    }

    static func seal(_ event: ChangeEvent, by device: Device, team: UUID, epoch: Int, key: TeamKey) throws -> ChangeEvent {
        try MemoryEnvelope.seal(
            event, tenant: device.authenticated.tenantID, team: team, epoch: epoch, key: key,
            author: .init(device: device.authenticated.deviceID, signing: device.keys.signing), log: nil
        )
    }

    /// A team made by `founder`'s device (epoch 1, its key wrapped to that device).
    static func team(by founder: Device, named name: String = "core", on store: HubStore) async throws -> (team: UUID, key: TeamKey, state: TeamState) {
        let key = TeamKey()
        let tenant = founder.authenticated.tenantID
        let create = try MembershipEntry.creation(
            tenant: tenant, teamName: name, user: founder.authenticated.userID, userName: founder.name,
            device: .init(id: founder.authenticated.deviceID, name: founder.name + "-laptop", keys: founder.keys.publicKeys), key: key,
            at: "2026-12-01T00:00:00.000Z", signing: founder.keys.signing
        )
        let team = create.team
        let document = try await store.createTeam(
            TeamChange(entry: create, keys: [try wrap(key, to: founder, team: team, epoch: 1)], previousKey: nil), as: founder.authenticated
        )
        return (team, key, try MembershipLog.verify(document.log, tenant: tenant, team: team))
    }

    @Test func sealedChangesAreTakenOnlyFromMembersUnderTheCurrentEpoch() async throws {
        try await HubSyncTests.withStore { running, store in
            let people = try await Self.devices(running, store)
            let (ann, bob, carol) = (people["ann"]!, people["bob"]!, people["carol"]!)
            let tenant = ann.authenticated.tenantID
            // A team made by ann's device; bob added by it.
            let (team, first, created) = try await Self.team(by: ann, on: store)
            var state = created
            var document: TeamDocument
            // Bob cannot add himself; carol's device, not in the team, cannot either.
            let selfAdded = try Self.entry(state, by: bob, team: team, action: .add, about: bob, epoch: 1)
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(team, TeamChange(entry: selfAdded, keys: [], previousKey: nil), as: bob.authenticated)
            }
            // Keys that are not the ones bob's device registered are refused.
            var impostor = bob
            impostor.keys = DeviceKeyPair()
            let wrongKeys = try Self.entry(state, by: ann, team: team, action: .add, about: bob, epoch: 1, devices: [impostor])
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(team, TeamChange(entry: wrongKeys, keys: [], previousKey: nil), as: ann.authenticated)
            }
            let addBob = try Self.entry(state, by: ann, team: team, action: .add, about: bob, epoch: 1)
            document = try await store.appendTeamEntry(
                team, TeamChange(entry: addBob, keys: [try Self.wrap(first, to: bob, team: team, epoch: 1)], previousKey: nil), as: ann.authenticated
            )
            state = try MembershipLog.verify(document.log, tenant: tenant, team: team)
            #expect(try await store.team(team, as: bob.authenticated).keys.map(\.epoch) == [1])
            await #expect(throws: TMWSError.self) { try await store.team(team, as: carol.authenticated) }

            // Sealed by ann: taken. In plaintext, by an outsider, or signed by another device: refused.
            let note = try Self.event("team note", team: team)
            let plaintext = try Self.event("team note in clear", team: team)
            let fromCarol = try Self.seal(try Self.event("carol's note", team: team, device: "carols-laptop"), by: carol, team: team, epoch: 1, key: first)
            let annSignedBobPushes = try Self.seal(try Self.event("ann's words", team: team), by: ann, team: team, epoch: 1, key: first)
            let results = try await store.sync.push([try Self.seal(note, by: ann, team: team, epoch: 1, key: first), plaintext], as: ann.authenticated)
            #expect(results.map(\.status) == [.applied, .rejected])
            #expect(try await store.sync.push([fromCarol], as: carol.authenticated).first?.reason?.contains("not a member") == true)
            #expect(try await store.sync.push([annSignedBobPushes], as: bob.authenticated).first?.status == .rejected)
            // An unsealed delete of the SHARED memory is refused too.
            var memory = try HubSyncTests.memory("team note", scope: .shared)
            memory.id = note.memoryID
            let tombstone = memory.tombstone(at: HybridTimestamp(rawValue: note.clock.rawValue + 1), by: "cli")
            let delete = try #require(ChangeEvent.forWrite(tombstone, previous: memory, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            var unsealedDelete = delete
            unsealedDelete.team = nil
            #expect(try await store.sync.push([unsealedDelete], as: ann.authenticated).first?.status == .rejected)

            // Bob reads it; carol's pull holds nothing of the team.
            let bobsPage = try await HubSyncTests.settledPull(store, bob.authenticated, count: 1)
            let pulled = try #require(try bobsPage.events().first)
            #expect(pulled.sealed != nil && pulled.memory == nil)
            let opened = try await MemoryEnvelope.open(
                pulled, tenant: tenant, key: { _ in first }, authors: { device, epoch, clock in state.authors(device, at: epoch, clock: clock) }
            )
            #expect(opened.memory?.content == "team note")
            #expect(try await store.sync.pull(after: .start, limit: 100, as: carol.authenticated).payloads.isEmpty)

            // Bob removed: epoch 2, its key to ann only, epoch 1's sealed under it.
            let second = TeamKey()
            let removeBob = try Self.entry(
                state, by: ann, team: team, action: .remove, about: bob, epoch: 2, commitment: second.commitment(tenant: tenant, team: team, epoch: 2),
                devices: []
            )
            // Without a key for every remaining device, or without the previous key, refused.
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(team, TeamChange(entry: removeBob, keys: [], previousKey: nil), as: ann.authenticated)
            }
            document = try await store.appendTeamEntry(
                team,
                TeamChange(
                    entry: removeBob, keys: [try Self.wrap(second, to: ann, team: team, epoch: 2)],
                    previousKey: try second.sealing(previous: first, tenant: tenant, team: team, epoch: 2)
                ),
                as: ann.authenticated
            )
            #expect(document.epoch == 2 && document.links.map(\.epoch) == [2])
            await #expect(throws: TMWSError.self) { try await store.team(team, as: bob.authenticated) }
            // Under the old epoch: refused. Under the new one: taken, and bob pulls nothing new.
            let late = try Self.event("after bob left", team: team)
            let old = try await store.sync.push([try Self.seal(late, by: ann, team: team, epoch: 1, key: first)], as: ann.authenticated)
            #expect(old.first?.status == .rejected && old.first?.reason?.contains("epoch") == true)
            #expect(
                try await store.sync.push([try Self.seal(late, by: ann, team: team, epoch: 2, key: second)], as: ann.authenticated).first?.status == .applied)
            _ = try await HubSyncTests.settledPull(store, ann.authenticated, count: 2)
            #expect(try await store.sync.pull(after: bobsPage.nextCursor, limit: 100, as: bob.authenticated).payloads.isEmpty)

            // The database holds no plaintext of either memory.
            let stored = try await withConnection(running.owner) { db in
                try await db.query(
                    "SELECT coalesce(content, '') || ' ' || payload::text FROM tmws.memories m JOIN tmws.change_log l USING (tenant_id, memory_id) WHERE m.tenant_id = \(tenant)",
                    logger: Self.logger
                ).decode(String.self).collect()
            }
            #expect(stored.count == 2 && stored.allSatisfy { !$0.contains("team note") && !$0.contains("after bob left") })
        }
    }
}

extension HubSharedTests {
    @Test func entriesCannotCrashTheHubOrReachOtherDevicesKeys() async throws {
        try await HubSyncTests.withStore { running, store in
            let people = try await Self.devices(running, store)
            let (ann, bob) = (people["ann"]!, people["bob"]!)
            let tenant = ann.authenticated.tenantID
            let (team, first, created) = try await Self.team(by: ann, on: store)
            var state = created
            var document: TeamDocument
            // Numbers out of range are refused before any signature is checked (no trap).
            var negative = try Self.entry(state, by: ann, team: team, action: .add, about: bob, epoch: 1)
            negative.epoch = -1
            negative = try negative.signed(with: ann.keys.signing)
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(team, TeamChange(entry: negative, keys: [], previousKey: nil), as: ann.authenticated)
            }
            let addBob = try Self.entry(state, by: ann, team: team, action: .add, about: bob, epoch: 1)
            document = try await store.appendTeamEntry(
                team, TeamChange(entry: addBob, keys: [try Self.wrap(first, to: bob, team: team, epoch: 1)], previousKey: nil), as: ann.authenticated
            )
            state = try MembershipLog.verify(document.log, tenant: tenant, team: team)
            // Bob rotates his own keys but also sends ann a key: refused, ann's key stays hers.
            var rotated = bob
            rotated.keys = DeviceKeyPair()
            let rotation = try Self.entry(state, by: bob, team: team, action: .rotateKeys, about: bob, epoch: 1, devices: [rotated])
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(
                    team,
                    TeamChange(entry: rotation, keys: [try Self.wrap(TeamKey(), to: ann, team: team, epoch: 1)], previousKey: nil),
                    as: bob.authenticated
                )
            }
            // An addition may not carry keys for devices it does not add either.
            var carol = people["carol"]!
            carol.name = "carol"
            let addCarol = try Self.entry(state, by: ann, team: team, action: .add, about: carol, epoch: 1)
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(
                    team,
                    TeamChange(entry: addCarol, keys: [try Self.wrap(TeamKey(), to: bob, team: team, epoch: 1)], previousKey: nil),
                    as: ann.authenticated
                )
            }
            #expect(try await store.team(team, as: ann.authenticated).keys.count == 1)

            // Bob's device revoked (bob stays a member): its sealed writes are refused from now on.
            let second = TeamKey()
            let revoke = try Self.entry(
                state, by: ann, team: team, action: .remove, about: bob, epoch: 2, commitment: second.commitment(tenant: tenant, team: team, epoch: 2),
                devices: [bob]
            )
            // An admin removing themselves works too (later); here ann revokes bob's device.
            document = try await store.appendTeamEntry(
                team,
                TeamChange(
                    entry: revoke, keys: [try Self.wrap(second, to: ann, team: team, epoch: 2)],
                    previousKey: try second.sealing(previous: first, tenant: tenant, team: team, epoch: 2)
                ),
                as: ann.authenticated
            )
            state = try MembershipLog.verify(document.log, tenant: tenant, team: team)
            let bobsWrite = try Self.seal(
                try Self.event("from a revoked laptop", team: team, device: "bobs-laptop"), by: bob, team: team, epoch: 2, key: second)
            let answer = try await store.sync.push([bobsWrite], as: bob.authenticated)
            #expect(answer.first?.status == .rejected && answer.first?.reason != nil)

            // The last admin cannot leave; with another admin, one can, and the answer is the team before.
            let addCarolAdmin = try Self.entry(state, by: ann, team: team, action: .add, about: carol, epoch: 2, role: "admin")
            document = try await store.appendTeamEntry(
                team, TeamChange(entry: addCarolAdmin, keys: [try Self.wrap(second, to: carol, team: team, epoch: 2)], previousKey: nil),
                as: ann.authenticated
            )
            state = try MembershipLog.verify(document.log, tenant: tenant, team: team)
            let third = TeamKey()
            let annLeaves = try Self.entry(
                state, by: ann, team: team, action: .remove, about: ann, epoch: 3, commitment: third.commitment(tenant: tenant, team: team, epoch: 3),
                role: "admin", devices: []
            )
            document = try await store.appendTeamEntry(
                team,
                TeamChange(
                    entry: annLeaves, keys: [try Self.wrap(third, to: carol, team: team, epoch: 3)],
                    previousKey: try third.sealing(previous: second, tenant: tenant, team: team, epoch: 3)
                ),
                as: ann.authenticated
            )
            #expect(document.epoch == 3)
            await #expect(throws: TMWSError.self) { try await store.team(team, as: ann.authenticated) }
            #expect(try await store.team(team, as: carol.authenticated).keys.map(\.epoch) == [2, 3])
        }
    }

    // MARK: - Issue 19: what the hub refuses for every node

    @Test func aMemoryStaysInItsTeamAndSealedOrNotAndTeamsCertifyThemselves() async throws {
        try await HubSyncTests.withStore { running, store in
            let people = try await Self.devices(running, store)
            let (ann, carol) = (people["ann"]!, people["carol"]!)
            let tenant = ann.authenticated.tenantID
            let (alpha, alphaKey, _) = try await Self.team(by: ann, named: "alpha", on: store)
            let (beta, betaKey, _) = try await Self.team(by: ann, named: "beta", on: store)
            let (gamma, gammaKey, _) = try await Self.team(by: carol, named: "gamma", on: store)
            let note = try Self.event("alpha's note", team: alpha)
            #expect(
                try await store.sync.push([try Self.seal(note, by: ann, team: alpha, epoch: 1, key: alphaKey)], as: ann.authenticated).first?.status == .applied
            )

            // Changes of alpha's memory under another team: ann (in both) moving it to beta;
            // carol (never in alpha) deleting, rewriting or re-creating it under her gamma.
            var memory = try HubSyncTests.memory("alpha's note", scope: .shared)
            memory.id = note.memoryID
            memory.team = alpha.uuidString.lowercased()
            func change(_ content: String?, team: UUID, device: String) throws -> ChangeEvent {
                var next = memory
                next.version = 2
                next.updatedAt = HybridTimestamp(rawValue: note.clock.rawValue + 1)
                if let content { next.content = content } else { next = memory.tombstone(at: next.updatedAt, by: "cli") }
                var event = try #require(ChangeEvent.forWrite(next, previous: memory, eventID: UUID().uuidString.lowercased(), device: device))
                event.team = team.uuidString.lowercased()
                return event
            }
            let moved = try Self.seal(try change("moved to beta", team: beta, device: "laptop"), by: ann, team: beta, epoch: 1, key: betaKey)
            let movedAnswer = try await store.sync.push([moved], as: ann.authenticated)
            #expect(movedAnswer.first?.status == .rejected && movedAnswer.first?.reason?.contains("stays in the team") == true)
            // Answered exactly as for a memory that does not exist: a delete is taken with
            // nothing to delete (and nothing logged), an update refused; neither names a team.
            let absent = MemoryID.generate(at: Date())
            for (attack, expected) in [
                (try change(nil, team: gamma, device: "carols-laptop"), PushResult.Status.duplicate),
                (try change("carol's words", team: gamma, device: "carols-laptop"), .rejected),
            ] {
                var elsewhere = attack
                elsewhere.memoryID = absent
                elsewhere.eventID = UUID().uuidString.lowercased()
                let answer = try await store.sync.push([try Self.seal(attack, by: carol, team: gamma, epoch: 1, key: gammaKey)], as: carol.authenticated)
                let baseline = try await store.sync.push([try Self.seal(elsewhere, by: carol, team: gamma, epoch: 1, key: gammaKey)], as: carol.authenticated)
                #expect(answer.first?.status == expected && answer.first?.reason == baseline.first?.reason)
                #expect(answer.first?.reason?.contains(alpha.uuidString.lowercased()) != true)
            }
            var recreate = try Self.event("carol's create", team: gamma, device: "carols-laptop")
            recreate.memoryID = note.memoryID
            let recreated = try await store.sync.push([try Self.seal(recreate, by: carol, team: gamma, epoch: 1, key: gammaKey)], as: carol.authenticated)
            #expect(recreated.first?.status == .rejected)
            let row = try await withConnection(running.owner) { db in
                try await db.query(
                    "SELECT team_id, version, deleted FROM tmws.memories WHERE tenant_id = \(tenant) AND memory_id = \(note.memoryID.uuid)", logger: Self.logger
                ).decode((UUID, Int, Bool).self).collect()
            }
            #expect(row.count == 1 && row[0].0 == alpha && row[0].1 == 1 && row[0].2 == false)

            // A GLOBAL memory never takes a sealed change.
            let global = try HubSyncTests.memory("Prefer small commits", scope: .global)
            let globalCreate = try #require(ChangeEvent.forWrite(global, previous: nil, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            #expect(try await store.sync.push([globalCreate], as: ann.authenticated).first?.status == .applied)
            var sealedGlobal = global
            sealedGlobal.scope = .shared
            sealedGlobal.version = 2
            sealedGlobal.team = alpha.uuidString.lowercased()
            sealedGlobal.updatedAt = HybridTimestamp(rawValue: global.updatedAt.rawValue + 1)
            let intoShared = try #require(ChangeEvent.forWrite(sealedGlobal, previous: global, eventID: UUID().uuidString.lowercased(), device: "laptop"))
            let answer = try await store.sync.push([try Self.seal(intoShared, by: ann, team: alpha, epoch: 1, key: alphaKey)], as: ann.authenticated)
            #expect(answer.first?.status == .rejected && answer.first?.reason?.contains("GLOBAL") == true)

            // A team whose id its first entry does not derive (one the hub could pass off as
            // another's), a removal without its cut-off, and a key of small order: refused.
            let key = TeamKey()
            let id = UUID()
            let chosen = try MembershipEntry(
                tenant: tenant, team: id, teamName: "chosen", seq: 0, previous: MembershipEntry.genesis, action: .create, user: ann.authenticated.userID,
                userName: "ann", role: "admin", devices: [.init(id: ann.authenticated.deviceID, name: "ann-laptop", keys: ann.keys.publicKeys)], epoch: 1,
                keyCommitment: key.commitment(tenant: tenant, team: id, epoch: 1), signer: ann.authenticated.deviceID, at: "2026-12-01T00:00:00.000Z"
            ).signed(with: ann.keys.signing)
            await #expect(throws: TMWSError.self) {
                try await store.createTeam(
                    TeamChange(entry: chosen, keys: [try Self.wrap(key, to: ann, team: id, epoch: 1)], previousKey: nil), as: ann.authenticated)
            }
            let bob = people["bob"]!
            var (_, _, state) = try await Self.team(by: ann, named: "delta", on: store)
            let delta = state.team
            let deltaKey = try #require(try await Self.addAndKey(bob, to: &state, by: ann, on: store))
            let next = TeamKey()
            var removal = try Self.entry(
                state, by: ann, team: delta, action: .remove, about: bob, epoch: 2, commitment: next.commitment(tenant: tenant, team: delta, epoch: 2),
                devices: []
            )
            removal.cutoff = nil
            removal = try removal.signed(with: ann.keys.signing)
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(
                    delta,
                    TeamChange(
                        entry: removal, keys: [try Self.wrap(next, to: ann, team: delta, epoch: 2)],
                        previousKey: try next.sealing(previous: deltaKey, tenant: tenant, team: delta, epoch: 2)
                    ),
                    as: ann.authenticated
                )
            }
            // A member (not an admin) starting an epoch by a rotation, its wraps to the others
            // unverifiable (garbage would cut the team off its key): refused; so is a
            // member's rotation that re-wraps another device's key at an older epoch.
            var rotated = bob
            rotated.keys = DeviceKeyPair()
            let garbageKey = TeamKey()
            let takeover = try Self.entry(
                state, by: bob, team: delta, action: .rotateKeys, about: bob, epoch: 2,
                commitment: garbageKey.commitment(tenant: tenant, team: delta, epoch: 2), devices: [rotated]
            )
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(
                    delta,
                    TeamChange(
                        entry: takeover,
                        keys: [try Self.wrap(garbageKey, to: ann, team: delta, epoch: 2), try Self.wrap(garbageKey, to: rotated, team: delta, epoch: 2)],
                        previousKey: try garbageKey.sealing(previous: deltaKey, tenant: tenant, team: delta, epoch: 2)
                    ),
                    as: bob.authenticated
                )
            }
            let inEpoch = try Self.entry(state, by: bob, team: delta, action: .rotateKeys, about: bob, epoch: 1, devices: [rotated])
            await #expect(throws: TMWSError.self) {
                try await store.appendTeamEntry(
                    delta,
                    TeamChange(entry: inEpoch, keys: [try Self.wrap(TeamKey(), to: ann, team: delta, epoch: 1)], previousKey: nil),
                    as: bob.authenticated
                )
            }
            #expect(try await store.team(delta, as: ann.authenticated).keys.count == 1)
            await #expect(throws: TMWSError.self) {
                try await store.registerKeys(agreement: [UInt8](repeating: 0, count: 32), signing: ann.keys.publicKeys.signing, as: ann.authenticated)
            }
        }
    }

    /// Adds `member` to the team in `state` (signed by `admin`), returning the epoch's key.
    static func addAndKey(_ member: Device, to state: inout TeamState, by admin: Device, on store: HubStore) async throws -> TeamKey? {
        let document = try await store.team(state.team, as: admin.authenticated)
        guard let wrapped = document.keys.first.flatMap({ Data(base64Encoded: $0.wrapped) }) else { return nil }
        let key = try TeamKey.unwrap(
            Array(wrapped), with: admin.keys, device: admin.authenticated.deviceID, tenant: state.tenant, team: state.team, epoch: 1,
            commitment: state.commitments[1]!
        )
        let add = try Self.entry(state, by: admin, team: state.team, action: .add, about: member, epoch: 1)
        let after = try await store.appendTeamEntry(
            state.team, TeamChange(entry: add, keys: [try Self.wrap(key, to: member, team: state.team, epoch: 1)], previousKey: nil), as: admin.authenticated
        )
        state = try MembershipLog.verify(after.log, tenant: state.tenant, team: state.team)
        return key
    }
}
