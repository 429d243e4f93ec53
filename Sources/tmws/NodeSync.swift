import Foundation
import TMWSCore
import TMWSHost
import TMWSSQLite
import TMWSSync

/// This node's sync, for `tmws sync`, the MCP sync tools and `tmws serve`'s sync service.
///
/// What must outlive a process is kept in the database's ``SyncSettings``: offline by hand
/// or by itself after repeated failures, paused, the failures in a row, the last success and
/// the last error.
struct NodeSync: SyncControl {
    let context: AppContext
    let store: SQLiteMemoryStore

    func status() async throws -> SyncStatusReport {
        let settings = try await store.syncSettings()
        var report = SyncStatusReport(
            hybridMode: context.configuration.hybridEnabled,
            enrolled: try CloudEnrollment.load(home: context.configuration.home) != nil,
            offline: settings.offline != nil, offlineReason: settings.offline.map { $0 == .automatic ? "automatic" : "manual" },
            paused: settings.paused,
            pending: try await store.pendingEventCount(), quarantined: try await store.quarantinedEvents().count,
            conflicts: try await store.conflicts().count, cursor: try await store.syncCursor(),
            lastSuccess: settings.lastSuccess.map(ISO8601.string(from:)), consecutiveFailures: settings.failures, lastError: settings.lastError
        )
        (report.sealedRefused, report.lastSealedRefusal) = (settings.sealedRefused, settings.lastSealedRefusal)
        (report.pullRefused, report.lastPullRefusal) = (settings.pullRefused, settings.lastPullRefusal)
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

    /// This process's metrics of a run (its outcome is kept by ``SyncSettings/record(_:machine:at:)``).
    func observe(_ outcome: SyncRunner.Outcome) async {
        switch outcome.ending {
        case .resting: break
        case .finished, .failed:
            let succeeded = outcome.ending == .finished
            Telemetry.syncAttempt(succeeded: succeeded)
            Telemetry.cloudConnection("sync", succeeded: succeeded)
        }
        Telemetry.incident(.blockedSensitivePush, count: outcome.report.quarantined)
        if let pending = try? await store.pendingEventCount(), let conflicts = try? await store.conflicts().count {
            Telemetry.outbox(pending: pending, conflicts: conflicts)
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
        let settings = try await store.syncSettings()
        if settings.paused {
            throw TMWSError(.configuration, "sync is paused: tmws sync resume")
        }
        if settings.offline == .manual {
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
        var machine = SyncStateMachine(settings: settings, cursor: try await store.syncCursor(), now: .zero)
        let outcome = await runner(try KeyAccess.transport(context, store: store, cloud: cloud)).runOnce(
            &machine, now: { clock.now - start }, progress: progress)
        let (snapshot, at) = (machine, Date())
        let kept = try await store.changeSyncSettings { $0.record(outcome, machine: snapshot, at: at) }
        await observe(outcome)
        var report = SyncNowReport(
            pushed: outcome.report.pushed, pulled: outcome.report.pulled, refused: outcome.report.refused,
            quarantined: outcome.report.quarantined, conflicts: try await store.conflicts().count, pending: try await store.pendingEventCount(),
            cursor: machine.cursor, problem: outcome.problem, offline: kept.offline != nil, refusals: outcome.refusals
        )
        report.pulledRefused = outcome.pulledRefused
        if outcome.pulledRefused > 0 { report.lastPullRefusal = kept.lastPullRefusal }
        (report.sealedWaiting, report.sealedWaitingReason) = try await sealedWaiting()
        return report
    }

    func setOffline(_ offline: Bool) async throws {
        try await store.changeSyncSettings { settings in
            settings.offline = offline ? .manual : nil
            if !offline { settings.failures = 0 }
        }
        // A sync service in this process picks the change up now.
        store.syncWrites.signal()
    }

    func conflicts() async throws -> [SyncConflict] {
        try await store.conflicts()
    }

    /// The tenant's other devices by origin id, as the hub names them (`laptop (ann)`); asked
    /// only with hybrid mode on, and empty when the hub does not answer.
    func deviceNames() async -> [String: String] {
        guard let cloud = try? context.cloud(), let known = try? await cloud.deviceNames() else { return [:] }
        var names: [String: String] = [:]
        for device in known.devices where device.origin != store.deviceID { names[device.origin] = "\(device.name) (\(device.userName))" }
        return names
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
