import TMWSCore

/// Performs the state machine's actions with a store and a transport: the thin service
/// around ``SyncStateMachine``.
package struct SyncRunner: Sendable {
    package typealias Store = ChangeOutbox & SyncCursorStore & SyncQuarantine & SyncConflictStore

    package let store: any Store
    package let transport: any SyncTransport
    /// The second line of defence: run on every outgoing event.
    package let policy: ScopePolicy
    /// Concurrent edits of memories at least this important are kept as conflicts.
    package let conflictThreshold: Double

    package init(store: any Store, transport: any SyncTransport, policy: ScopePolicy = ScopePolicy(), conflictThreshold: Double = 0.7) {
        self.store = store
        self.transport = transport
        self.policy = policy
        self.conflictThreshold = conflictThreshold
    }

    /// What one run did, for `tmws sync now`.
    package struct Outcome: Sendable {
        /// How a run ended.
        package enum Ending: Sendable, Hashable {
            /// A full cycle: everything pending pushed, everything new pulled.
            case finished
            /// Nothing was due; `offline` when the node is offline (by hand or by itself).
            case resting(offline: Bool)
            /// Stopped early: the hub unreachable, or an error (the message names no content).
            case failed(String)
        }

        package var ending: Ending
        package var report: SyncStateMachine.Report
        /// Whether the node is offline after the run.
        package var offline: Bool
        /// What to tell the user when the run did not finish: the failure, or `offline`.
        package var problem: String? {
            switch ending {
            case .finished, .resting(offline: false): nil
            case .resting(offline: true): "offline"
            case .failed(let message): message
            }
        }
        /// Reasons the hub gave for the events it refused (no content).
        package var refusals: [String]
        /// Pulled events this node refused (out of bounds, or touching a memory it holds in a
        /// local scope or never held): counted by the store, never applied.
        package var pulledRefused = 0
    }

    /// Told the events pushed and pulled so far in a run (for a progress bar).
    package typealias Progress = @Sendable (_ pushed: Int, _ pulled: Int) -> Void

    /// Runs one full cycle now (a manual sync): push everything pending, then pull
    /// everything new. `now` reads the caller's monotonic clock; `jitter` gives 0...1.
    package func runOnce(
        _ machine: inout SyncStateMachine, now: () -> Duration, jitter: () -> Double = { Double.random(in: 0...1) },
        progress: Progress? = nil
    ) async -> Outcome {
        await perform(machine.handle(.tick(now: now(), force: true)), on: &machine, now: now, jitter: jitter, progress: progress)
    }

    /// Pushes in flight: at most the batch the machine asked for and the one after it.
    ///
    /// The next batch goes out before the machine asks for it only when none of its memories
    /// is in the batch in flight (so per memory the outbox order holds) and the second check
    /// finds nothing in it; when the machine then asks for exactly those events, the push
    /// already made answers. Otherwise it is pushed again when asked for: the hub answers
    /// `duplicate` for what it already has.
    struct Pushes {
        var group: ThrowingTaskGroup<(Int, [PushResult]), any Error>
        let transport: any SyncTransport
        var next = 0
        var finished: [Int: [PushResult]] = [:]
        /// The batch sent ahead, and its token.
        var ahead: (events: [OutboxEvent], token: Int)?

        init(group: ThrowingTaskGroup<(Int, [PushResult]), any Error>, transport: any SyncTransport) {
            self.group = group
            self.transport = transport
        }

        /// The token of the push already made for exactly these events, or `nil`. A batch sent
        /// ahead that the machine does not ask for (it put a rejected event first) is settled
        /// here: its conflicts are kept, and its events go again when asked for.
        mutating func sentAhead(_ batch: [ChangeEvent], conflictThreshold: Double, store: any SyncRunner.Store) async throws -> Int? {
            guard let ahead else { return nil }
            self.ahead = nil
            if ahead.events.map(\.event.eventID) == batch.map(\.eventID) { return ahead.token }
            for (event, result) in zip(ahead.events.map(\.event), try await results(of: ahead.token)) {
                guard let other = result.concurrentWith, SyncConflict.isKept(event, other, threshold: conflictThreshold) else { continue }
                try await store.recordConflict(local: event, remote: other)
            }
            return nil
        }

        mutating func send(_ events: [OutboxEvent]) -> Int {
            next += 1
            let (token, transport) = (next, transport)
            if !events.isEmpty { group.addTask { (token, try await transport.push(events)) } }
            return token
        }

        mutating func results(of token: Int) async throws -> [PushResult] {
            while finished[token] == nil {
                guard let (done, results) = try await group.next() else { throw CancellationError() }
                finished[done] = results
            }
            return finished.removeValue(forKey: token)!
        }
    }

    /// Reads the batch after `batch` and sends it ahead when it may go (see ``Pushes``).
    private func sendAhead(after batch: [ChangeEvent], inFlight: [ChangeEvent], pushes: inout Pushes) async throws {
        guard pushes.ahead == nil, !inFlight.isEmpty else { return }
        let next = try await store.pendingEvents(after: batch.last!.eventID, limit: batch.count)
        let busy = Set(inFlight.map(\.memoryID))
        guard !next.isEmpty, next.allSatisfy({ !busy.contains($0.event.memoryID) }) else { return }
        let policy = self.policy
        guard await next.parallelMap({ $0.event.sensitiveFindings(policy: policy) }).allSatisfy({ $0 == nil }) else { return }
        pushes.ahead = (next, pushes.send(next))
    }

    /// Performs `first` and every action that follows, until the machine rests (a cycle
    /// finished, a back-off, offline, or nothing to do).
    package func perform(
        _ first: SyncStateMachine.Action, on machine: inout SyncStateMachine, now: () -> Duration,
        jitter: () -> Double = { Double.random(in: 0...1) }, progress: Progress? = nil
    ) async -> Outcome {
        await withThrowingTaskGroup(of: (Int, [PushResult]).self) { group in
            var pushes = Pushes(group: group, transport: transport)
            defer { pushes.group.cancelAll() }
            return await perform(first, on: &machine, pushes: &pushes, now: now, jitter: jitter, progress: progress)
        }
    }

    private func perform(
        _ first: SyncStateMachine.Action, on machine: inout SyncStateMachine, pushes: inout Pushes, now: () -> Duration,
        jitter: () -> Double, progress: Progress?
    ) async -> Outcome {
        var action = first
        var refusals: [String] = []
        var (pushed, pulled, pulledRefused) = (0, 0, 0)
        var wholeBatchTaken = false
        // The outbox's events as stored, by id: what the machine's batches are sent as.
        var stored: [String: OutboxEvent] = [:]
        func loaded(_ events: [OutboxEvent]) -> [ChangeEvent] {
            for event in events { stored[event.event.eventID] = event }
            return events.map(\.event)
        }
        func outcome(_ ending: Outcome.Ending, _ report: SyncStateMachine.Report = .init()) -> Outcome {
            Outcome(ending: ending, report: report, offline: machine.isOffline, refusals: refusals, pulledRefused: pulledRefused)
        }
        while true {
            do {
                switch action {
                case .none:
                    return outcome(.resting(offline: machine.isOffline))
                case .loadOutbox(let limit):
                    action = machine.handle(.outboxLoaded(loaded(try await store.pendingEvents(limit: limit))))
                case .push(let batch):
                    var clean: [ChangeEvent] = []
                    var quarantined: [String] = []
                    let token: Int
                    if let sent = try await pushes.sentAhead(batch, conflictThreshold: conflictThreshold, store: store) {
                        // Checked and sent while the previous batch was at the hub.
                        (clean, token) = (batch, sent)
                    } else {
                        // Every outgoing event is checked again; a hit never leaves the machine.
                        let policy = self.policy
                        let findings = await batch.parallelMap { $0.sensitiveFindings(policy: policy) }
                        for (event, findings) in zip(batch, findings) {
                            if let findings {
                                try await store.quarantine(event.eventID, findingTypes: findings)
                                quarantined.append(event.eventID)
                            } else {
                                clean.append(event)
                            }
                        }
                        token = pushes.send(clean.map { stored[$0.eventID] ?? OutboxEvent($0) })
                    }
                    // While the hub works on this batch, the next one is read, checked and sent.
                    try await sendAhead(after: batch, inFlight: clean, pushes: &pushes)
                    let results = clean.isEmpty ? [] : try await pushes.results(of: token)
                    guard results.count == clean.count else { throw TMWSError(.io, "the hub answered \(results.count) results for \(clean.count) events") }
                    // Named by memory (what the user can act on), then the event.
                    refusals += zip(clean, results).filter { !$1.taken }.map { event, result in
                        "memory \(event.memoryID) (event \(result.eventID)): \(result.status)\(result.reason.map { " (\($0))" } ?? "")"
                    }
                    for (event, result) in zip(clean, results) {
                        guard let other = result.concurrentWith, SyncConflict.isKept(event, other, threshold: conflictThreshold) else { continue }
                        try await store.recordConflict(local: event, remote: other)
                    }
                    pushed += results.count
                    wholeBatchTaken = quarantined.isEmpty && results.allSatisfy(\.taken)
                    progress?(pushed, pulled)
                    action = machine.handle(
                        .pushed(
                            taken: results.filter(\.taken).map(\.eventID), refused: results.filter { !$0.taken }.map(\.eventID),
                            quarantined: quarantined
                        ))
                case .acknowledge(let ids, let limit):
                    try await store.acknowledge(ids)
                    stored = [:]  // what was sent is gone from the outbox: only the next batch is kept
                    // With the whole batch taken, the outbox now starts with the batch sent ahead.
                    if wholeBatchTaken, let ahead = pushes.ahead, ahead.events.count == limit {
                        action = machine.handle(.outboxLoaded(loaded(ahead.events)))
                    } else {
                        action = machine.handle(.outboxLoaded(loaded(try await store.pendingEvents(limit: limit))))
                    }
                case .pull(let cursor, let limit):
                    let page = try await transport.pull(cursor: cursor, limit: limit)
                    let applied = try await store.applyRemote(page.events, cursor: page.nextCursor, conflictThreshold: conflictThreshold)
                    pulledRefused += applied.filter { $0 == .refused }.count
                    // Pulled means changed here: this node's own pushes coming back are stale.
                    let taken = applied.filter { $0 == .applied }.count
                    pulled += taken
                    progress?(pushed, pulled)
                    action = machine.handle(.pulled(count: taken, cursor: page.nextCursor, hasMore: page.hasMore))
                case .finished(let report):
                    machine.scheduleNext(after: now())
                    return outcome(.finished, report)
                case .backOff, .goOffline:
                    return outcome(.failed("the hub could not be reached"))
                }
            } catch {
                let problem = (error as? TMWSError)?.message ?? "sync failed"
                let next = machine.handle(.failed(now: now(), jitter: jitter()))
                var report = SyncStateMachine.Report()
                report.failures = machine.consecutiveFailures
                if case .goOffline(let offlineReport) = next { report = offlineReport }
                return outcome(.failed(problem), report)
            }
        }
    }
}
