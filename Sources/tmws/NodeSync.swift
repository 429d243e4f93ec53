import Foundation
import TMWSCore
import TMWSHost
import TMWSSQLite
import TMWSSync

/// This node's sync, for `tmws sync` and the MCP sync tools.
struct NodeSync: SyncControl {
    let context: AppContext
    let store: SQLiteMemoryStore

    func status() async throws -> SyncStatusReport {
        SyncStatusReport(
            hybridMode: context.configuration.hybridEnabled,
            enrolled: try CloudEnrollment.load(home: context.configuration.home) != nil,
            offline: try await store.syncSetting("offline") == "true", paused: try await store.syncSetting("paused") == "true",
            pending: try await store.pendingEventCount(), quarantined: try await store.quarantinedEvents().count,
            cursor: try await store.syncCursor()
        )
    }

    func syncNow() async throws -> SyncNowReport {
        guard context.configuration.hybridEnabled else {
            throw TMWSError(.configuration, "hybrid mode is off: set TMWS_HYBRID_MODE_ENABLED=true (or hybrid.enabled = true) to sync")
        }
        guard let cloud = try context.cloud() else {
            throw TMWSError(.configuration, "this node is not enrolled with a hub: tmws cloud enroll --hub URL --token T --ca FILE")
        }
        if try await store.syncSetting("paused") == "true" {
            throw TMWSError(.configuration, "sync is paused: tmws sync resume")
        }
        if try await store.syncSetting("offline") == "true" {
            throw TMWSError(.configuration, "offline mode is on: tmws sync offline off")
        }
        var machine = SyncStateMachine(hybridMode: true, cursor: try await store.syncCursor())
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await SyncRunner(store: store, transport: cloud).runOnce(&machine, now: { clock.now - start })
        return SyncNowReport(
            pushed: outcome.report.pushed, pulled: outcome.report.pulled, refused: outcome.report.refused,
            quarantined: outcome.report.quarantined, pending: try await store.pendingEventCount(), cursor: machine.cursor,
            problem: outcome.problem, refusals: outcome.refusals
        )
    }

    func setOffline(_ offline: Bool) async throws {
        try await store.setSyncSetting("offline", offline ? "true" : nil)
    }
}
