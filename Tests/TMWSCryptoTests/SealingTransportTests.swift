import Crypto
import Foundation
import Synchronization
import TMWSCore
import TMWSCrypto
import Testing

/// The sealing transport over a page the test writes: order kept across cores, tampered
/// changes refused, changes without a key held, everything else passed through.
@Suite struct SealingTransportTests {
    /// A keyring over a ``TeamFixture``: only the epochs in `keys`.
    struct Keyring: TeamKeyring {
        let team: TeamFixture
        let keys: [Int: TeamKey]
        var tenant: UUID { team.tenant }

        func author() async throws -> MemoryEnvelope.Author { team.author("alice") }
        func sealingKey(team: UUID) async throws -> (epoch: Int, key: TeamKey) { (1, self.team.keys[1]!) }
        func key(team: UUID, epoch: Int) async throws -> TeamKey {
            guard let key = keys[epoch] else { throw CryptoFailure.noKey(team: "core", epoch: epoch) }
            return key
        }
        func authors(team: UUID, device: UUID, epoch: Int, clock: Int64) async throws -> [DevicePublicKeys] {
            try self.team.state.authors(device, at: epoch, clock: clock)
        }
        func defaultTeam() async throws -> UUID? { team.team }
    }

    /// Serves one page; remembers what was pushed.
    final class Page: SyncTransport, @unchecked Sendable {
        let events: [ChangeEvent]
        init(_ events: [ChangeEvent]) { self.events = events }
        /// Judged by the bytes that would go on the wire: a SHARED change must be sealed in them.
        func push(_ events: [OutboxEvent]) async throws -> [PushResult] {
            try events.map { try ChangeEvent.decode($0.json) }.map {
                PushResult(eventID: $0.eventID, status: $0.sealed == nil && $0.isShared ? .rejected : .applied, reason: nil)
            }
        }
        func pull(cursor: String?, limit: Int) async throws -> PullOutcome { PullOutcome(events: events, nextCursor: "c", hasMore: false) }
    }

    final class Holding: SealedHolding, @unchecked Sendable {
        let held = Mutex<[ChangeEvent]>([])
        func hold(_ events: [ChangeEvent]) async throws { held.withLock { $0 += events } }
        func heldEvents() async throws -> [ChangeEvent] { held.withLock { $0 } }
        func release(_ eventIDs: [String]) async throws { held.withLock { $0.removeAll { eventIDs.contains($0.eventID) } } }
    }

    @Test func aMixedPageOpensInOrderRefusesTamperingAndHoldsWhatHasNoKey() async throws {
        var team = try TeamFixture()
        try team.add("bob")
        try team.remove("bob")  // epoch 2
        var page: [ChangeEvent] = []
        var expected: [String] = []
        for index in 0..<120 {
            if index % 10 == 3 {
                // GLOBAL: passes through untouched.
                var memory = team.event("global \(index)")
                memory.memory?.scope = .global
                memory.team = nil
                page.append(memory)
                expected.append(memory.eventID)
            } else if index == 50 {
                var tampered = try team.seal(team.event("tampered \(index)"), epoch: 1)
                tampered.sealed!.signature = Data(repeating: 1, count: 64).base64EncodedString()
                page.append(tampered)
            } else if index == 77 {
                page.append(try team.seal(team.event("under epoch 2, no key here \(index)"), epoch: 2))
            } else {
                let sealed = try team.seal(team.event("shared \(index)"), epoch: 1)
                page.append(sealed)
                expected.append(sealed.eventID)
            }
        }
        let refusals = Mutex<[String]>([])
        let holding = Holding()
        let transport = SealingTransport(
            base: Page(page), keyring: Keyring(team: team, keys: [1: team.keys[1]!]), holding: holding,
            refused: { id, _ in refusals.withLock { $0.append(id) } }
        )
        let pulled = try await transport.pull(cursor: nil, limit: 500)
        #expect(pulled.events.map(\.eventID) == expected)
        #expect(pulled.events.allSatisfy { $0.memory != nil })
        #expect(pulled.events.filter { $0.sealed != nil }.allSatisfy { $0.memory?.content.hasPrefix("shared") == true })
        #expect(refusals.withLock { $0 } == [page[50].eventID])
        #expect(try await holding.heldEvents().map(\.eventID) == [page[77].eventID])

        // Once the key is there, the held change opens on a later pull (a new transport: the
        // retry is due).
        let later = SealingTransport(base: Page([]), keyring: Keyring(team: team, keys: team.keys), holding: holding)
        let reopened = try await later.pull(cursor: "c", limit: 500)
        #expect(reopened.events.map(\.eventID) == [page[77].eventID])
    }

    @Test func sharedChangesGoOutSealedAndOthersUntouched() async throws {
        let team = try TeamFixture()
        let shared = team.event("team only text")
        var global = team.event("for the tenant")
        global.memory?.scope = .global
        global.team = nil
        let page = Page([])
        let transport = SealingTransport(base: page, keyring: Keyring(team: team, keys: team.keys))
        let outcomes = try await transport.push([OutboxEvent(shared), OutboxEvent(global)])
        #expect(outcomes.map(\.status) == [.applied, .applied])
    }
}
