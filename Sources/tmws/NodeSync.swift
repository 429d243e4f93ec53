import Foundation
import TMWSCore
import TMWSHost
import TMWSSQLite
import TMWSSync

/// This node's sync, for `tmws sync`, the MCP sync tools and `tmws serve`'s sync service.
///
/// What must outlive a process is kept in the database's sync settings: offline by hand
/// (`offline` = `true`) or by itself after repeated failures (`offline` = `auto`), the
/// failures in a row, the last success and the last error.
struct NodeSync: SyncControl {
    let context: AppContext
    let store: SQLiteMemoryStore

    func status() async throws -> SyncStatusReport {
        let offline = try await store.syncSetting("offline")
        var report = SyncStatusReport(
            hybridMode: context.configuration.hybridEnabled,
            enrolled: try CloudEnrollment.load(home: context.configuration.home) != nil,
            offline: offline != nil, offlineReason: offline.map { $0 == "auto" ? "automatic" : "manual" },
            paused: try await store.syncSetting("paused") == "true",
            pending: try await store.pendingEventCount(), quarantined: try await store.quarantinedEvents().count,
            conflicts: try await store.conflicts().count, cursor: try await store.syncCursor(),
            lastSuccess: try await store.syncSetting("last_success"),
            consecutiveFailures: Int(try await store.syncSetting("failures") ?? "") ?? 0,
            lastError: try await store.syncSetting("last_error")
        )
        report.sealedRefused = Int(try await store.syncSetting("sealed_refused") ?? "") ?? 0
        report.lastSealedRefusal = try await store.syncSetting("sealed_refused_last")
        report.pullRefused = Int(try await store.syncSetting("pull_refused") ?? "") ?? 0
        report.lastPullRefusal = try await store.syncSetting("pull_refused_last")
        report.forkedTeams = try await store.syncSettings(withPrefix: "team_fork.").keys.sorted()
        (report.sealedWaiting, report.sealedWaitingReason) = try await sealedWaiting()
        return report
    }

    /// Pulled SHARED changes waiting for a key, and why: this device's keys are locked (no
    /// key provider in this process; never a prompt here), or it has no key for their team
    /// yet. Names no content.
    func sealedWaiting() async throws -> (Int, String?) {
        let count = try await store.heldEvents().count
        guard count > 0 else { return (0, nil) }
        let keystore = KeyAccess.keystore(context)
        let provider = (try? keystore.status())?.provider
        let configured =
            ProcessInfo.processInfo.environment["TMWS_KEY_PASSPHRASE"].map { !$0.isEmpty } == true
            || context.configuration.keyCommand.map { !$0.isEmpty } == true
        if keystore.exists, provider != "unprotected", !configured {
            return (
                count,
                "this device's keys are locked: set TMWS_KEY_PASSPHRASE, or keys.command (TMWS_KEY_COMMAND) to a key helper, in the environment that syncs (tmws serve, the MCP client's server entry)"
            )
        }
        return (count, "this device holds no key for their team yet: an admin adds it with 'tmws team add-member TEAM USER'")
    }

    func runner(_ transport: any SyncTransport) -> SyncRunner {
        SyncRunner(store: store, transport: transport, conflictThreshold: context.configuration.conflictImportance)
    }

    /// A state machine as this node's settings leave it: the cursor, manual offline, and the
    /// failures so far (at the threshold it starts offline by itself).
    func machine(configuration: SyncStateMachine.Configuration = .init(), now: Duration) async throws -> SyncStateMachine {
        SyncStateMachine(
            configuration: configuration, hybridMode: true, cursor: try await store.syncCursor(),
            offline: try await store.syncSetting("offline") == "true", failures: Int(try await store.syncSetting("failures") ?? "") ?? 0,
            now: now
        )
    }

    /// Keeps what a run did for `sync status` and the next process.
    func record(_ outcome: SyncRunner.Outcome, machine: SyncStateMachine) async throws {
        if outcome.problem != "offline" {
            Telemetry.syncAttempt(succeeded: outcome.problem == nil)
            Telemetry.cloudConnection("sync", succeeded: outcome.problem == nil)
        }
        Telemetry.incident(.blockedSensitivePush, count: outcome.report.quarantined)
        Telemetry.outbox(pending: try await store.pendingEventCount(), conflicts: try await store.conflicts().count)
        if outcome.problem == nil {
            try await store.setSyncSetting("last_success", ISO8601.string(from: Date()))
            try await store.setSyncSetting("failures", nil)
            try await store.setSyncSetting("last_error", nil)
            if try await store.syncSetting("offline") == "auto" { try await store.setSyncSetting("offline", nil) }
        } else if outcome.problem != "offline" {
            try await store.setSyncSetting("failures", String(machine.consecutiveFailures))
            try await store.setSyncSetting("last_error", outcome.problem)
            if machine.state == .offline(manual: false), try await store.syncSetting("offline") == nil {
                try await store.setSyncSetting("offline", "auto")
            }
        }
    }

    func syncNow() async throws -> SyncNowReport {
        try await syncNow(progress: nil)
    }

    func syncNow(progress: SyncRunner.Progress?) async throws -> SyncNowReport {
        guard context.configuration.hybridEnabled else {
            throw TMWSError(.configuration, "hybrid mode is off: set TMWS_HYBRID_MODE_ENABLED=true (or hybrid.enabled = true) to sync")
        }
        guard let cloud = try context.cloud(ignoringRollout: true) else {
            throw TMWSError(.configuration, "this node is not enrolled with a hub: tmws cloud enroll --hub URL --token T --ca FILE")
        }
        if try await store.syncSetting("paused") == "true" {
            throw TMWSError(.configuration, "sync is paused: tmws sync resume")
        }
        if try await store.syncSetting("offline") == "true" {
            throw TMWSError(.configuration, "offline mode is on: tmws sync offline off")
        }
        // The hub's staged rollout: a user it has rolled back stays local-only, losing nothing.
        if let decision = await context.fetchRollout(cloud), !decision.enabled {
            throw TMWSError(
                .configuration,
                "local-only: \(decision.reason); \(try await store.pendingEventCount()) changes wait in the outbox and go out when the hub lets this node in again"
            )
        }
        let clock = ContinuousClock()
        let start = clock.now
        var machine = try await machine(now: .zero)
        let outcome = await runner(try KeyAccess.transport(context, store: store, cloud: cloud)).runOnce(
            &machine, now: { clock.now - start }, progress: progress)
        try await record(outcome, machine: machine)
        var report = SyncNowReport(
            pushed: outcome.report.pushed, pulled: outcome.report.pulled, refused: outcome.report.refused,
            quarantined: outcome.report.quarantined, conflicts: try await store.conflicts().count, pending: try await store.pendingEventCount(),
            cursor: machine.cursor, problem: outcome.problem, offline: try await store.syncSetting("offline") != nil, refusals: outcome.refusals
        )
        report.pulledRefused = outcome.pulledRefused
        if outcome.pulledRefused > 0 { report.lastPullRefusal = try await store.syncSetting("pull_refused_last") }
        (report.sealedWaiting, report.sealedWaitingReason) = try await sealedWaiting()
        return report
    }

    func setOffline(_ offline: Bool) async throws {
        try await store.setSyncSetting("offline", offline ? "true" : nil)
        if !offline { try await store.setSyncSetting("failures", nil) }
    }

    func conflicts() async throws -> [SyncConflict] {
        try await store.conflicts()
    }

    func resolveConflict(_ id: MemoryID, keep: SyncConflict.Choice, content: String?, by caller: Caller) async throws -> ConflictResolution {
        guard let conflict = try await store.conflicts().first(where: { $0.memoryID == id }) else {
            throw TMWSError(.notFound, "no conflict is kept for memory \(id) (tmws sync conflicts lists them)", field: "id")
        }
        let service = context.service(store)
        let current: Memory
        do {
            current = try await service.get(id)
        } catch let error as TMWSError where error.code == .notFound {
            // Deleted since: a delete wins over every edit, so there is nothing left to keep.
            try await store.removeConflict(id)
            return ConflictResolution(id: id.description, kept: "deleted", version: nil, written: false)
        }
        guard let change = try conflict.change(keeping: keep, mergedContent: content, current: current) else {
            try await store.removeConflict(id)
            return ConflictResolution(id: id.description, kept: keep.rawValue, version: current.version, written: false)
        }
        let updated = try await service.update(id, change, by: caller)
        try await store.removeConflict(id)
        return ConflictResolution(id: id.description, kept: keep.rawValue, version: updated.version, written: true)
    }
}
