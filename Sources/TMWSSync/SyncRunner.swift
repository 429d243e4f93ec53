import TMWSCore

/// Performs the state machine's actions with a store and a transport: the thin service
/// around ``SyncStateMachine``.
public struct SyncRunner: Sendable {
    public typealias Store = ChangeOutbox & SyncCursorStore & SyncQuarantine & SyncConflictStore

    public let store: any Store
    public let transport: any SyncTransport
    /// The second line of defence: run on every outgoing event.
    public let policy: ScopePolicy
    /// Concurrent edits of memories at least this important are kept as conflicts.
    public let conflictThreshold: Double

    public init(store: any Store, transport: any SyncTransport, policy: ScopePolicy = ScopePolicy(), conflictThreshold: Double = 0.7) {
        self.store = store
        self.transport = transport
        self.policy = policy
        self.conflictThreshold = conflictThreshold
    }

    /// What one run did, for `tmws sync now`.
    public struct Outcome: Sendable {
        public var report: SyncStateMachine.Report
        /// Why the run stopped early (the hub unreachable, an error), or `nil`.
        public var problem: String?
        public var offline: Bool
        /// Reasons the hub gave for the events it refused (no content).
        public var refusals: [String]
    }

    /// Told the events pushed and pulled so far in a run (for a progress bar).
    public typealias Progress = @Sendable (_ pushed: Int, _ pulled: Int) -> Void

    /// Runs one full cycle now (a manual sync): push everything pending, then pull
    /// everything new. `now` reads the caller's monotonic clock; `jitter` gives 0...1.
    public func runOnce(
        _ machine: inout SyncStateMachine, now: () -> Duration, jitter: () -> Double = { Double.random(in: 0...1) },
        progress: Progress? = nil
    ) async -> Outcome {
        await perform(machine.handle(.tick(now: now(), force: true)), on: &machine, now: now, jitter: jitter, progress: progress)
    }

    /// Performs `first` and every action that follows, until the machine rests (a cycle
    /// finished, a back-off, offline, or nothing to do).
    public func perform(
        _ first: SyncStateMachine.Action, on machine: inout SyncStateMachine, now: () -> Duration,
        jitter: () -> Double = { Double.random(in: 0...1) }, progress: Progress? = nil
    ) async -> Outcome {
        var action = first
        var refusals: [String] = []
        var (pushed, pulled) = (0, 0)
        while true {
            do {
                switch action {
                case .none:
                    return Outcome(report: .init(), problem: machine.isOffline ? "offline" : nil, offline: machine.isOffline, refusals: refusals)
                case .loadOutbox(let limit):
                    action = machine.handle(.outboxLoaded(try await store.pendingEvents(limit: limit)))
                case .push(let batch):
                    // Every outgoing event is checked again; a hit never leaves the machine.
                    var clean: [ChangeEvent] = []
                    var quarantined: [String] = []
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
                    let results = clean.isEmpty ? [] : try await transport.push(clean)
                    guard results.count == clean.count else { throw TMWSError(.io, "the hub answered \(results.count) results for \(clean.count) events") }
                    refusals += results.filter { !$0.taken }.map { "\($0.eventID): \($0.status)\($0.reason.map { " (\($0))" } ?? "")" }
                    for (event, result) in zip(clean, results) {
                        guard let other = result.concurrentWith, SyncConflict.isKept(event, other, threshold: conflictThreshold) else { continue }
                        try await store.recordConflict(local: event, remote: other)
                    }
                    pushed += results.count
                    progress?(pushed, pulled)
                    action = machine.handle(.pushed(
                        taken: results.filter(\.taken).map(\.eventID), refused: results.filter { !$0.taken }.map(\.eventID),
                        quarantined: quarantined
                    ))
                case .acknowledge(let ids, let limit):
                    try await store.acknowledge(ids)
                    action = machine.handle(.outboxLoaded(try await store.pendingEvents(limit: limit)))
                case .pull(let cursor, let limit):
                    let page = try await transport.pull(cursor: cursor, limit: limit)
                    _ = try await store.applyRemote(page.events, cursor: page.nextCursor, conflictThreshold: conflictThreshold)
                    pulled += page.events.count
                    progress?(pushed, pulled)
                    action = machine.handle(.pulled(count: page.events.count, cursor: page.nextCursor, hasMore: page.hasMore))
                case .finished(let report):
                    machine.scheduleNext(after: now())
                    return Outcome(report: report, problem: nil, offline: false, refusals: refusals)
                case .backOff, .goOffline:
                    return Outcome(report: .init(), problem: "the hub could not be reached", offline: machine.isOffline, refusals: refusals)
                }
            } catch {
                let problem = (error as? TMWSError)?.message ?? "sync failed"
                let next = machine.handle(.failed(now: now(), jitter: jitter()))
                var report = SyncStateMachine.Report()
                report.failures = machine.consecutiveFailures
                if case .goOffline(let offlineReport) = next { report = offlineReport }
                return Outcome(report: report, problem: problem, offline: machine.isOffline, refusals: refusals)
            }
        }
    }
}
