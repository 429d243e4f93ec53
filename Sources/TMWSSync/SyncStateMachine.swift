import TMWSCore

/// The node's sync logic as a pure state machine, shaped like postgres-nio's connection
/// state machines: it is told what happened (an ``Event``) and answers what to do next
/// (an ``Action``); a thin service performs the actions with the store and the hub client and
/// feeds the outcomes back. No I/O, no clock of its own: time comes in with the events.
///
/// One cycle: load pending outbox events → push them in order, batch by batch (the outbox is
/// ordered, so per memory too) → when the outbox is empty, pull from the cursor until the
/// hub has nothing more → apply each page with its cursor → idle until the next interval, or
/// soon after a local write (debounced). A failure backs off exponentially with jitter up to
/// a cap; after `offlineAfterFailures` in a row the node goes offline and only a manual sync
/// or `offline off` brings it back. Paused, offline by hand, or hybrid mode off: nothing moves.
package struct SyncStateMachine: Sendable {
    package struct Configuration: Sendable, Hashable {
        /// Between cycles. Default 300 s, the roadmap's beta value.
        package var interval: Duration
        /// How soon after a local write to a cloud scope a cycle starts. Default 2 s.
        package var debounce: Duration
        /// Events per push. Default ``SyncLimits/maximumPushEvents`` (500), the most the hub
        /// takes at once (a batch of large memories goes as several requests).
        package var batchSize: Int
        /// Events per pull. Default 500.
        package var pullLimit: Int
        /// First back-off, doubled per failure up to `maximumBackoff`. Defaults 1 s and 300 s.
        package var initialBackoff: Duration
        package var maximumBackoff: Duration
        /// Failures in a row before going offline by itself. Default 5.
        package var offlineAfterFailures: Int
        /// The most pages one cycle pulls; the next cycle goes on from the cursor. Default
        /// 2,000 (a million events at the default page size): a hub that always answers "more"
        /// cannot keep a node pulling for ever.
        package var maximumPullPages = 2_000

        package init(
            interval: Duration = .seconds(300), debounce: Duration = .seconds(2), batchSize: Int = SyncLimits.maximumPushEvents, pullLimit: Int = 500,
            initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(300), offlineAfterFailures: Int = 5
        ) {
            self.interval = interval
            self.debounce = debounce
            self.batchSize = batchSize
            self.pullLimit = pullLimit
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.offlineAfterFailures = offlineAfterFailures
        }
    }

    /// What happened. `now` is a reading of the service's monotonic clock.
    package enum Event: Sendable, Hashable {
        /// The service's timer fired (or a manual `sync now` asked for a cycle: `force`).
        case tick(now: Duration, force: Bool)
        /// A write to a cloud scope was committed locally.
        case localWrite(now: Duration)
        /// The outbox's pending events, oldest first (at most `batchSize`).
        case outboxLoaded([ChangeEvent])
        /// The hub answered a push: the events it is done with (applied, duplicate, or lost to a
        /// concurrent version), and the ones it rejected, which stay queued; `quarantined` are
        /// the ones the node's second check stopped before sending (already out of the outbox).
        case pushed(taken: [String], refused: [String], quarantined: [String] = [])
        /// A pulled page was applied locally with its cursor.
        case pulled(count: Int, cursor: String, hasMore: Bool)
        /// The hub could not be reached or answered with an error.
        case failed(now: Duration, jitter: Double)
        case hybridModeChanged(enabled: Bool)
        case pauseChanged(paused: Bool)
        case offlineChanged(offline: Bool)
        case shutdown
    }

    /// What to do next.
    package enum Action: Sendable, Hashable {
        case none
        /// Read up to `limit` pending events from the outbox.
        case loadOutbox(limit: Int)
        /// Push these events in this order; then report ``Event/pushed(taken:refused:quarantined:)``.
        case push([ChangeEvent])
        /// Acknowledge taken events in the outbox, then load the next batch.
        case acknowledge([String], thenLoad: Int)
        /// Pull from this cursor (`nil`: the start); apply the page and its cursor in one
        /// transaction; then report ``Event/pulled(count:cursor:hasMore:)``.
        case pull(cursor: String?, limit: Int)
        /// A cycle ended: the summary for `sync status` and the caller of `sync now`.
        case finished(Report)
        /// Wait until then before trying again.
        case backOff(until: Duration)
        /// Too many failures: offline until told otherwise.
        case goOffline(Report)
    }

    /// What one cycle did.
    package struct Report: Sendable, Hashable {
        package var pushed = 0
        package var pulled = 0
        /// Pages pulled in the cycle.
        package var pages = 0
        /// Events the hub rejected, still queued.
        package var refused = 0
        /// Events the node's second check stopped: in quarantine, never sent.
        package var quarantined = 0
        package var failures = 0

        package init() {}
    }

    package enum State: Sendable, Hashable {
        /// Waiting for the next cycle, due at `next`.
        case idle(next: Duration)
        case loading(Report)
        case pushing(Report, batch: Int)
        case pulling(Report)
        case backingOff(until: Duration)
        /// Offline: by hand (`manual`: only `offline off` ends it), or after too many failures
        /// (a manual sync still tries, and the timer probes every `maximumBackoff`).
        case offline(manual: Bool)
        case stopped
    }

    package private(set) var state: State
    package private(set) var paused = false
    package private(set) var hybridMode: Bool
    package private(set) var consecutiveFailures = 0
    package private(set) var cursor: String?
    let configuration: Configuration
    /// Events the hub refused in this cycle: skipped when loading, so they do not block the rest.
    private var refusedThisCycle: Set<String> = []

    /// When an automatically offline node tries the hub again (each `maximumBackoff`).
    private var probeAt: Duration = .zero

    /// - Parameters:
    ///   - offline: offline by hand (`sync offline on`).
    ///   - failures: failures in a row so far (kept across processes by the caller); at
    ///     `offlineAfterFailures` or more the machine starts offline by itself and probes now.
    package init(
        configuration: Configuration = Configuration(), hybridMode: Bool, cursor: String?, offline: Bool = false, failures: Int = 0,
        now: Duration = .zero
    ) {
        self.configuration = configuration
        self.hybridMode = hybridMode
        self.cursor = cursor
        consecutiveFailures = failures
        probeAt = now
        if offline {
            state = .offline(manual: true)
        } else if failures >= configuration.offlineAfterFailures {
            state = .offline(manual: false)
        } else {
            state = .idle(next: now)
        }
    }

    /// Whether anything may leave the node now.
    package var mayUseNetwork: Bool {
        guard hybridMode, !paused else { return false }
        switch state {
        case .offline, .stopped: return false
        default: return true
        }
    }

    package var isOffline: Bool {
        if case .offline = state { return true }
        return false
    }

    package mutating func handle(_ event: Event) -> Action {
        switch event {
        case .shutdown:
            state = .stopped
            return .none
        case .hybridModeChanged(let enabled):
            hybridMode = enabled
            return .none
        case .pauseChanged(let value):
            paused = value
            return .none
        case .offlineChanged(let offline):
            if offline {
                state = .offline(manual: true)
            } else if state == .offline(manual: true) {
                // Back online by hand. Offline by itself ends only with a success.
                consecutiveFailures = 0
                state = .idle(next: .zero)
            }
            return .none
        case .tick(let now, let force):
            return tick(now: now, force: force)
        case .localWrite(let now):
            if case .idle(let next) = state, next > now + configuration.debounce {
                state = .idle(next: now + configuration.debounce)
            }
            return .none
        case .outboxLoaded(let events):
            guard case .loading(let report) = state else { return .none }
            let batch = events.filter { !refusedThisCycle.contains($0.eventID) }
            if batch.isEmpty {
                state = .pulling(report)
                return .pull(cursor: cursor, limit: configuration.pullLimit)
            }
            state = .pushing(report, batch: batch.count)
            return .push(batch)
        case .pushed(let taken, let refused, let quarantined):
            guard case .pushing(var report, _) = state else { return .none }
            consecutiveFailures = 0
            report.pushed += taken.count
            report.refused += refused.count
            report.quarantined += quarantined.count
            refusedThisCycle.formUnion(refused)
            state = .loading(report)
            // Load past the rejected ones, which stay queued (a later push may carry them).
            return .acknowledge(taken, thenLoad: configuration.batchSize + refusedThisCycle.count)
        case .pulled(let count, let newCursor, let hasMore):
            guard case .pulling(var report) = state else { return .none }
            consecutiveFailures = 0
            report.pulled += count
            report.pages += 1
            // "More" is believed only from a page that moved the cursor, and for at most
            // `maximumPullPages` pages: a hub answering "more" for ever ends the cycle instead.
            let advanced = newCursor != cursor
            cursor = newCursor
            if hasMore, advanced, report.pages < configuration.maximumPullPages {
                state = .pulling(report)
                return .pull(cursor: cursor, limit: configuration.pullLimit)
            }
            state = .idle(next: .zero)  // the service sets the next due time with the next tick
            refusedThisCycle = []
            return .finished(report)
        case .failed(let now, let jitter):
            guard isBusy else { return .none }
            consecutiveFailures += 1
            refusedThisCycle = []
            if consecutiveFailures >= configuration.offlineAfterFailures {
                state = .offline(manual: false)
                probeAt = now + configuration.maximumBackoff
                var report = Report()
                report.failures = consecutiveFailures
                return .goOffline(report)
            }
            let until = now + backoff(jitter: jitter)
            state = .backingOff(until: until)
            return .backOff(until: until)
        }
    }

    /// Capped exponential back-off; `jitter` in 0...1 spreads retries between half and all of it.
    func backoff(jitter: Double) -> Duration {
        let exponent = min(max(consecutiveFailures - 1, 0), 20)
        let full = min(configuration.initialBackoff * (1 << exponent), configuration.maximumBackoff)
        return full * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }

    var isBusy: Bool {
        switch state {
        case .loading, .pushing, .pulling: true
        default: false
        }
    }

    private mutating func tick(now: Duration, force: Bool) -> Action {
        guard hybridMode, !paused, state != .stopped else { return .none }
        switch state {
        case .offline(manual: false) where force || now >= probeAt:
            // A manual sync tries once even after the node went offline by itself, and so
            // does the timer every `maximumBackoff`: the first success brings it back.
            break
        case .offline, .loading, .pushing, .pulling:
            return .none
        case .backingOff(let until) where !force && now < until:
            return .none
        case .idle(let next) where !force && now < next:
            return .none
        default:
            break
        }
        state = .loading(Report())
        refusedThisCycle = []
        return .loadOutbox(limit: configuration.batchSize)
    }

    /// When a tick next does something without an event first: `nil` while only an event can
    /// wake it (offline by hand, paused, hybrid mode off, stopped); now while a cycle runs.
    package func nextDue(now: Duration) -> Duration? {
        guard hybridMode, !paused else { return nil }
        switch state {
        case .idle(let next): return next
        case .backingOff(let until): return until
        case .offline(manual: false): return probeAt
        case .offline(manual: true), .stopped: return nil
        case .loading, .pushing, .pulling: return now
        }
    }

    /// Called by the service after a cycle: the next one is due an interval later.
    package mutating func scheduleNext(after now: Duration) {
        if case .idle = state { state = .idle(next: now + configuration.interval) }
    }
}
