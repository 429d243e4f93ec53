import Foundation
import TMWSCore

/// What sealing and opening need from the node: its identity on the hub, its signing key,
/// and the team keys and authors of each team's verified membership log.
package protocol TeamKeyring: Sendable {
    var tenant: UUID { get }
    /// This device, for signing what it seals.
    func author() async throws -> MemoryEnvelope.Author
    /// The team's current epoch and its key (a SHARED write is sealed under it).
    func sealingKey(team: UUID) async throws -> (epoch: Int, key: TeamKey)
    func key(team: UUID, epoch: Int) async throws -> TeamKey
    /// The keys `device` signed with in the team at `epoch` (newest first), for a change with
    /// hybrid clock `clock`; empty if it was not a device of the team then, or its tenure
    /// ended before `clock`.
    func authors(team: UUID, device: UUID, epoch: Int, clock: Int64) async throws -> [DevicePublicKeys]
    /// The team a SHARED memory that names none goes to (the node's only team), or `nil`.
    func defaultTeam() async throws -> UUID?
    /// Where this device's verified log of the team ends (sealed into the header).
    func logHead(team: UUID) async throws -> EnvelopeHeader.LogHead?
    /// The keyring's checks of an envelope that opened (signed by a device of the team): its
    /// author's log head against this device's log, its author against its origin device.
    /// Throws a ``CryptoFailure`` to refuse it.
    func admit(_ header: EnvelopeHeader) async throws
    /// Drops what is cached of the team's log (a signature that did not verify may be by keys
    /// rotated since).
    func invalidate(team: UUID) async
}

extension TeamKeyring {
    package func logHead(team: UUID) async throws -> EnvelopeHeader.LogHead? { nil }
    package func admit(_ header: EnvelopeHeader) async throws {}
    package func invalidate(team: UUID) async {}
}

/// The hub transport with SHARED memories sealed on the way out and opened on the way in;
/// everything else passes through untouched.
///
/// Events are sealed when they are pushed, not when they are queued: the epoch key is the
/// one current at the push (the hub refuses an older one), so a change queued before a
/// member left is still sent, under the key the leaver never gets.
package struct SealingTransport: SyncTransport {
    package let base: any SyncTransport
    package let keyring: any TeamKeyring
    /// Where pulled changes wait that this device has no key for yet.
    package let holding: (any SealedHolding)?
    /// Told each pulled event that was refused (no content): the reason and its event id.
    package let refused: @Sendable (_ eventID: String, _ reason: String) async -> Void
    let retries = HeldRetries()

    package init(
        base: any SyncTransport, keyring: any TeamKeyring, holding: (any SealedHolding)? = nil,
        refused: @escaping @Sendable (String, String) async -> Void = { _, _ in }
    ) {
        self.base = base
        self.keyring = keyring
        self.holding = holding
        self.refused = refused
    }

    /// When held changes were last tried (the store lets one go when it applies it).
    actor HeldRetries {
        var last: ContinuousClock.Instant?

        func due() -> Bool {
            let now = ContinuousClock.now
            guard last.map({ now - $0 > .seconds(60) }) ?? true else { return false }
            last = now
            return true
        }
    }

    package func push(_ stored: [OutboxEvent]) async throws -> [PushResult] {
        var outgoing: [OutboxEvent] = []
        var local: [Int: PushResult] = [:]
        let events = stored.map(\.event)
        for (index, event) in events.enumerated() {
            guard event.isShared else {
                outgoing.append(stored[index])
                continue
            }
            do {
                outgoing.append(OutboxEvent(try await seal(event)))
            } catch let failure as CryptoFailure {
                local[index] = PushResult(eventID: event.eventID, status: .rejected, reason: failure.description)
            } catch let error as TMWSError where error.code != .io {
                local[index] = PushResult(eventID: event.eventID, status: .rejected, reason: error.message)
            }
        }
        var answers = outgoing.isEmpty ? [] : try await base.push(outgoing)[...]
        var outcomes: [PushResult] = []
        // The epoch each SHARED memory the hub took was sealed under: this node refuses older
        // ones for it from now on (a removed device keeps its last epoch's key).
        var floors: [MemoryID: Int] = [:]
        var sent = outgoing[...]
        for index in events.indices {
            if let outcome = local[index] {
                outcomes.append(outcome)
                continue
            }
            guard var outcome = answers.popFirst(), let pushed = sent.popFirst()?.event else {
                throw TMWSError(.io, "the hub answered fewer results than events")
            }
            if outcome.status == .applied || outcome.status == .duplicate, let epoch = pushed.sealed?.epoch {
                floors[pushed.memoryID] = max(floors[pushed.memoryID] ?? 0, epoch)
            }
            // For a SHARED change, the version it met counts only if it opens (sealed by a
            // member): a conflict kept from anything else would carry text the hub chose.
            if events[index].isShared, let met = outcome.concurrentWith {
                outcome.concurrentWith = met.sealed == nil ? nil : try? await open(met)
            }
            outcomes.append(outcome)
        }
        if let holding, !floors.isEmpty { try await holding.raiseEpochFloors(floors) }
        return outcomes
    }

    package func pull(cursor: String?, limit: Int) async throws -> PullOutcome {
        var page = try await base.pull(cursor: cursor, limit: limit)
        var opened: [ChangeEvent] = []
        var waiting: [ChangeEvent] = []
        if let holding, await retries.due() {
            // Changes held before, tried again now and then (an admin may have added this
            // device): the store lets one go when it applies it; one refused now goes at once.
            var refused: [String] = []
            let held = try await holding.heldEvents()
            for (event, result) in zip(held, try await openAll(held)) {
                switch await classify(event, result, into: &waiting) {
                case .opened(let event): opened.append(event)
                case .refused: refused.append(event.eventID)
                case .waiting: break
                }
            }
            try await holding.release(refused)
            waiting = []
        }
        let sealed = page.events.filter { $0.sealed != nil || $0.isShared }
        var results = try await openAll(sealed)[...]
        opened.reserveCapacity(opened.count + page.events.count)
        for event in page.events {
            guard event.sealed != nil || event.isShared else {
                opened.append(event)
                continue
            }
            if case .opened(let event) = await classify(event, results.removeFirst(), into: &waiting) { opened.append(event) }
        }
        if let holding, !waiting.isEmpty { try await holding.hold(waiting) }
        page.events = opened
        return page
    }

    /// Opens events on every core, in order (the first alone, so the team's keys are fetched
    /// once). A failure of the network or the hub is thrown; a ``CryptoFailure`` is the event's
    /// result.
    func openAll(_ events: [ChangeEvent]) async throws -> [Result<ChangeEvent, CryptoFailure>] {
        func one(_ event: ChangeEvent) async throws -> Result<ChangeEvent, CryptoFailure> {
            do {
                return .success(try await open(event))
            } catch let failure as CryptoFailure {
                return .failure(failure)
            }
        }
        guard let first = events.first else { return [] }
        var results = [try await one(first)]
        let rest = Array(events.dropFirst())
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, rest.count >= 16 else {
            for event in rest { results.append(try await one(event)) }
            return results
        }
        let size = (rest.count + cores - 1) / cores
        let chunks = stride(from: 0, to: rest.count, by: size).map { Array(rest[$0..<min($0 + size, rest.count)]) }
        var opened = [[Result<ChangeEvent, CryptoFailure>]](repeating: [], count: chunks.count)
        try await withThrowingTaskGroup(of: (Int, [Result<ChangeEvent, CryptoFailure>]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask {
                    var chunkResults: [Result<ChangeEvent, CryptoFailure>] = []
                    for event in chunk { chunkResults.append(try await one(event)) }
                    return (index, chunkResults)
                }
            }
            for try await (index, chunkResults) in group { opened[index] = chunkResults }
        }
        return results + opened.flatMap { $0 }
    }

    enum Opening {
        case opened(ChangeEvent)
        /// A fault of the event itself: never applied (it stays out of this node, and the
        /// cursor moves on).
        case refused
        /// This device has no usable key for it yet.
        case waiting
    }

    private func classify(_ event: ChangeEvent, _ result: Result<ChangeEvent, CryptoFailure>, into waiting: inout [ChangeEvent]) async -> Opening {
        switch result {
        case .success(let opened):
            return .opened(opened)
        case .failure(.noKey) where holding != nil:
            waiting.append(event)
            return .waiting
        case .failure(let failure):
            await refused(event.eventID, failure.description)
            return .refused
        }
    }

    func seal(_ event: ChangeEvent) async throws -> ChangeEvent {
        var team = try event.team.map { try UUID.parsing($0, "team") }
        if team == nil { team = try await keyring.defaultTeam() }
        guard let team else {
            throw TMWSError(
                .invalidInput, "SHARED memory \(event.memoryID) has no team and cannot be sent: give it one (tmws memory update \(event.memoryID) --team TEAM)",
                field: "team"
            )
        }
        let (epoch, key) = try await keyring.sealingKey(team: team)
        return try MemoryEnvelope.seal(
            event, tenant: keyring.tenant, team: team, epoch: epoch, key: key, author: try await keyring.author(),
            log: try await keyring.logHead(team: team)
        )
    }

    func open(_ event: ChangeEvent) async throws -> ChangeEvent {
        guard event.sealed != nil, let team = event.team.flatMap(UUID.init(uuidString:)) else {
            throw CryptoFailure.headerMismatch("a SHARED change arrived without its envelope")
        }
        // A failure of this device's own keys or of the team's log is not the event's fault:
        // it waits (``CryptoFailure/noKey(team:epoch:)``) rather than being refused for good.
        func waiting<T>(_ epoch: Int, _ body: () async throws -> T) async throws -> T {
            do {
                return try await body()
            } catch is CryptoFailure {
                throw CryptoFailure.noKey(team: team.uuidString.lowercased(), epoch: epoch)
            } catch let error as TMWSError where error.code == .configuration {
                // This device's keys are locked (no passphrase or key command here): the change
                // waits until they are not; `sync status` says why.
                throw CryptoFailure.noKey(team: team.uuidString.lowercased(), epoch: epoch)
            }
        }
        func opening() async throws -> ChangeEvent {
            try await MemoryEnvelope.open(
                event, tenant: keyring.tenant, key: { epoch in try await waiting(epoch) { try await keyring.key(team: team, epoch: epoch) } },
                authors: { device, epoch, clock in
                    try await waiting(epoch) { try await keyring.authors(team: team, device: device, epoch: epoch, clock: clock) }
                }
            )
        }
        let opened: ChangeEvent
        do {
            opened = try await opening()
        } catch CryptoFailure.badSignature {
            // Once more with the log fetched again: the author may have rotated its keys
            // within the epoch after this device cached the log.
            await keyring.invalidate(team: team)
            opened = try await opening()
        }
        // The header only (the envelope was checked whole as it opened).
        try await keyring.admit(try EnvelopeHeader(parsing: Array(try Data(base64Checked: event.sealed?.header ?? ""))))
        return opened
    }
}
