import Foundation
import TMWSCore
import TMWSSync
import Testing

/// Every transition of the sync state machine.
@Suite struct SyncStateMachineTests {
    static let configuration = SyncStateMachine.Configuration(
        interval: .seconds(300), debounce: .seconds(2), batchSize: 2, pullLimit: 10, initialBackoff: .seconds(1),
        maximumBackoff: .seconds(8), offlineAfterFailures: 3
    )

    func event(_ content: String) throws -> ChangeEvent {
        let memory = Memory(
            id: MemoryID.generate(at: .now), tenantID: "local", namespace: try Namespace(validating: "p"), scope: .global, content: content,
            tags: [], importance: 0.5, metadata: [:], agentID: "cli", createdAt: .now, updatedAt: HybridTimestamp(millis: 1, counter: 0),
            version: 1, originDevice: "d", expiresAt: nil, accessCount: 0, accessedAt: nil, archived: false, deleted: false
        )
        return ChangeEvent.forWrite(memory, previous: nil, eventID: UUID().uuidString, device: "d")!
    }

    @Test func aCyclePushesBatchByBatchThenPullsPageByPage() throws {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: nil)
        let (a, b, c) = (try event("a"), try event("b"), try event("c"))
        #expect(machine.handle(.tick(now: .seconds(0), force: false)) == .loadOutbox(limit: 2))
        #expect(machine.handle(.outboxLoaded([a, b])) == .push([a, b]))
        #expect(machine.handle(.pushed(taken: [a.eventID, b.eventID], refused: [])) == .acknowledge([a.eventID, b.eventID], thenLoad: 2))
        #expect(machine.handle(.outboxLoaded([c])) == .push([c]))
        #expect(machine.handle(.pushed(taken: [c.eventID], refused: [])) == .acknowledge([c.eventID], thenLoad: 2))
        #expect(machine.handle(.outboxLoaded([])) == .pull(cursor: nil, limit: 10))
        #expect(machine.handle(.pulled(count: 10, cursor: "v1.5.1", hasMore: true)) == .pull(cursor: "v1.5.1", limit: 10))
        var report = SyncStateMachine.Report()
        report.pushed = 3
        report.pulled = 13
        report.pages = 2
        #expect(machine.handle(.pulled(count: 3, cursor: "v1.9.4", hasMore: false)) == .finished(report))
        #expect(machine.cursor == "v1.9.4")
        // Idle: the next cycle waits for the interval.
        machine.scheduleNext(after: .seconds(10))
        #expect(machine.handle(.tick(now: .seconds(100), force: false)) == .none)
        #expect(machine.handle(.tick(now: .seconds(310), force: false)) == .loadOutbox(limit: 2))
    }

    @Test func refusedEventsStayQueuedAndDoNotBlockTheRest() throws {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: "v1.1.1")
        let (conflict, next) = (try event("conflict"), try event("next"))
        _ = machine.handle(.tick(now: .zero, force: true))
        _ = machine.handle(.outboxLoaded([conflict]))
        #expect(machine.handle(.pushed(taken: [], refused: [conflict.eventID])) == .acknowledge([], thenLoad: 3))
        // The outbox still holds the refused event first: it is skipped this cycle.
        #expect(machine.handle(.outboxLoaded([conflict, next])) == .push([next]))
        _ = machine.handle(.pushed(taken: [next.eventID], refused: []))
        #expect(machine.handle(.outboxLoaded([conflict])) == .pull(cursor: "v1.1.1", limit: 10))
        var report = SyncStateMachine.Report()
        report.pushed = 1
        report.refused = 1
        report.pages = 1
        #expect(machine.handle(.pulled(count: 0, cursor: "v1.1.1", hasMore: false)) == .finished(report))
    }

    /// Issue 18: a hub answering `has_more` with empty pages kept a node pulling for ever
    /// (41,737 requests in 120 s).
    @Test func aHubThatAlwaysHasMoreCannotKeepANodePulling() throws {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: "v1.1.1")
        _ = machine.handle(.tick(now: .zero, force: true))
        #expect(machine.handle(.outboxLoaded([])) == .pull(cursor: "v1.1.1", limit: 10))
        // The same cursor again, "more": the cycle ends.
        guard case .finished = machine.handle(.pulled(count: 0, cursor: "v1.1.1", hasMore: true)) else {
            Issue.record("a page that did not move the cursor must end the cycle")
            return
        }
        // A cursor that moves for ever ends at the page cap.
        var capped = Self.configuration
        capped.maximumPullPages = 5
        var endless = SyncStateMachine(configuration: capped, hybridMode: true, cursor: nil)
        _ = endless.handle(.tick(now: .zero, force: true))
        var action = endless.handle(.outboxLoaded([]))
        var requests = 0
        while case .pull = action, requests < 100 {
            requests += 1
            action = endless.handle(.pulled(count: 0, cursor: "v1.\(requests).0", hasMore: true))
        }
        #expect(requests == 5)
        guard case .finished = action else {
            Issue.record("the cycle must finish at the cap")
            return
        }
    }

    @Test func aLocalWriteBringsTheNextCycleForwardDebounced() {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: nil)
        machine.scheduleNext(after: .zero)
        #expect(machine.handle(.localWrite(now: .seconds(5))) == .none)
        #expect(machine.handle(.tick(now: .seconds(6), force: false)) == .none)
        #expect(machine.handle(.tick(now: .seconds(7), force: false)) == .loadOutbox(limit: 2))
    }

    @Test func failuresBackOffWithJitterThenGoOffline() {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: nil)
        _ = machine.handle(.tick(now: .zero, force: false))
        #expect(machine.handle(.failed(now: .seconds(10), jitter: 1)) == .backOff(until: .seconds(11)))
        #expect(machine.handle(.tick(now: .seconds(10.5), force: false)) == .none)
        #expect(machine.handle(.tick(now: .seconds(11), force: false)) == .loadOutbox(limit: 2))
        // Doubled, and jitter 0 halves it.
        #expect(machine.handle(.failed(now: .seconds(20), jitter: 0)) == .backOff(until: .seconds(21)))
        _ = machine.handle(.tick(now: .seconds(21), force: false))
        var report = SyncStateMachine.Report()
        report.failures = 3
        #expect(machine.handle(.failed(now: .seconds(30), jitter: 1)) == .goOffline(report))
        #expect(machine.isOffline && !machine.mayUseNetwork)
        #expect(machine.handle(.tick(now: .seconds(37), force: false)) == .none)
        // Offline by itself, the timer probes the hub every maximumBackoff (8 s here).
        #expect(machine.handle(.tick(now: .seconds(38), force: false)) == .loadOutbox(limit: 2))
        #expect(
            machine.handle(.failed(now: .seconds(38), jitter: 1))
                == .goOffline(
                    {
                        var r = report
                        r.failures = 4
                        return r
                    }()))
        #expect(machine.handle(.tick(now: .seconds(40), force: false)) == .none)
        // A manual sync still tries after going offline by itself, and success resets the count.
        #expect(machine.handle(.tick(now: .seconds(40), force: true)) == .loadOutbox(limit: 2))
        _ = machine.handle(.outboxLoaded([]))
        _ = machine.handle(.pulled(count: 0, cursor: "v1.0.0", hasMore: false))
        #expect(machine.consecutiveFailures == 0 && !machine.isOffline)
    }

    @Test func failuresKeptAcrossProcessesStartTheMachineOfflineByItself() {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: nil, failures: 3, now: .seconds(5))
        #expect(machine.isOffline && machine.state == .offline(manual: false))
        #expect(machine.handle(.tick(now: .seconds(5), force: false)) == .loadOutbox(limit: 2), "it probes at once")
        machine = SyncStateMachine(configuration: Self.configuration, hybridMode: true, cursor: nil, failures: 2)
        #expect(!machine.isOffline && machine.consecutiveFailures == 2)
        #expect(machine.handle(.tick(now: .zero, force: false)) == .loadOutbox(limit: 2))
        var report = SyncStateMachine.Report()
        report.failures = 3
        #expect(machine.handle(.failed(now: .zero, jitter: 1)) == .goOffline(report))
    }

    @Test func theBackoffDoublesUpToItsCap() {
        var configuration = Self.configuration
        configuration.offlineAfterFailures = 100
        var machine = SyncStateMachine(configuration: configuration, hybridMode: true, cursor: nil)
        var waits: [Duration] = []
        for round in 0..<6 {
            let now = Duration.seconds(round * 100)
            _ = machine.handle(.tick(now: now, force: true))
            if case .backOff(let until) = machine.handle(.failed(now: now, jitter: 1)) { waits.append(until - now) }
        }
        #expect(waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
    }

    @Test func manualOfflinePauseAndHybridModeOffStopEverything() {
        var machine = SyncStateMachine(configuration: Self.configuration, hybridMode: false, cursor: nil)
        #expect(machine.handle(.tick(now: .zero, force: true)) == .none)
        #expect(!machine.mayUseNetwork)
        _ = machine.handle(.hybridModeChanged(enabled: true))
        _ = machine.handle(.pauseChanged(paused: true))
        #expect(machine.handle(.tick(now: .zero, force: true)) == .none)
        _ = machine.handle(.pauseChanged(paused: false))
        _ = machine.handle(.offlineChanged(offline: true))
        #expect(machine.handle(.tick(now: .zero, force: true)) == .none, "offline by hand: even a manual sync waits")
        _ = machine.handle(.offlineChanged(offline: false))
        #expect(machine.handle(.tick(now: .zero, force: false)) == .loadOutbox(limit: 2))
        _ = machine.handle(.shutdown)
        #expect(machine.handle(.tick(now: .zero, force: true)) == .none)
        // Outcomes that arrive in the wrong state change nothing.
        #expect(machine.handle(.pushed(taken: ["x"], refused: [])) == .none)
        #expect(machine.handle(.pulled(count: 1, cursor: "v1.1.1", hasMore: false)) == .none)
        #expect(machine.handle(.failed(now: .zero, jitter: 0)) == .none)
    }
}
