import TMWSCore

/// What the console shows and changes of this node besides its memories: sync, conflicts,
/// the quarantine, teams and the roadmap's metrics.
///
/// The executable provides it, since it alone wires the hub, the keys and the metrics
/// registry; a server without one answers these routes with `configuration` errors.
package protocol NodeConsole: Sendable {
    /// Sync now, offline, conflicts and their resolution (the same as the MCP sync tools).
    var sync: any SyncControl { get }
    /// Hybrid mode and why, the hub and its latency, the sync report and the rollout decision.
    func overview() async throws -> any Encodable & Sendable
    /// This device's id (as conflicts name their sides' devices).
    var deviceID: String { get }
    /// The tenant's other devices by id, as the hub names them; empty when it is not asked.
    func deviceNames() async -> [String: String]
    /// Pauses or resumes all sync (writes keep working and wait in the outbox).
    func setPaused(_ paused: Bool) async throws
    /// Outgoing changes the second check stopped: finding types, never values.
    func quarantine() async throws -> [QuarantinedEvent]
    /// The teams this device knows: members, devices and key fingerprints, the key epoch.
    func teams() async throws -> any Encodable & Sendable
    /// The roadmap's six metrics against their targets, now and as sampled since the start.
    func roadmapMetrics() async throws -> any Encodable & Sendable
}
