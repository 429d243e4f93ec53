import Foundation

/// What this node's sync keeps across processes, as one record: read whole and changed in
/// one transaction (``SyncSettingsStore``), never key by key.
package struct SyncSettings: Sendable, Hashable {
    /// Why the node does not talk to the hub, when it does not.
    package enum Offline: String, Sendable, Hashable {
        /// Turned off by hand (`tmws sync offline on`): stays off until turned on by hand.
        case manual = "true"
        /// After repeated failures: the first success ends it.
        case automatic = "auto"
    }

    package var offline: Offline?
    /// Paused by hand (`tmws sync pause`): no sync at all, even a probe.
    package var paused = false
    /// Failures since the last success, and the last one's message (never content).
    package var failures = 0
    package var lastError: String?
    /// When a sync last finished without error.
    package var lastSuccess: Date?
    /// Pulled changes this node refused, and why the last one was (ids and the rule only).
    package var pullRefused = 0
    package var lastPullRefusal: String?
    /// Pulled SHARED changes refused by the sealing layer, and why the last one was.
    package var sealedRefused = 0
    package var lastSealedRefusal: String?

    package init() {}

    /// The record's fields as text by key (a missing key is a default field): the form a
    /// store keeps them in.
    package var stored: [String: String] {
        var fields: [String: String] = [:]
        fields["offline"] = offline?.rawValue
        fields["paused"] = paused ? "true" : nil
        fields["failures"] = failures > 0 ? String(failures) : nil
        fields["last_error"] = lastError
        fields["last_success"] = lastSuccess.map(ISO8601.string(from:))
        fields["pull_refused"] = pullRefused > 0 ? String(pullRefused) : nil
        fields["pull_refused_last"] = lastPullRefusal
        fields["sealed_refused"] = sealedRefused > 0 ? String(sealedRefused) : nil
        fields["sealed_refused_last"] = lastSealedRefusal
        return fields
    }

    /// Every key of ``stored``, set or not.
    package static let keys = [
        "offline", "paused", "failures", "last_error", "last_success", "pull_refused", "pull_refused_last", "sealed_refused", "sealed_refused_last",
    ]

    /// The record from what a store kept; text it cannot read is a default field.
    package init(stored fields: [String: String]) {
        offline = fields["offline"].flatMap(Offline.init(rawValue:))
        paused = fields["paused"] == "true"
        failures = max(0, fields["failures"].flatMap { Int($0) } ?? 0)
        lastError = fields["last_error"]
        lastSuccess = fields["last_success"].flatMap(ISO8601.date(from:))
        pullRefused = max(0, fields["pull_refused"].flatMap { Int($0) } ?? 0)
        lastPullRefusal = fields["pull_refused_last"]
        sealedRefused = max(0, fields["sealed_refused"].flatMap { Int($0) } ?? 0)
        lastSealedRefusal = fields["sealed_refused_last"]
    }
}

/// What a sync service reads between wakes, in one read: the settings, and how many writes
/// have queued sync events so far (in any process; it only grows).
package struct SyncWatch: Sendable, Hashable {
    package var settings: SyncSettings
    package var outboxWrites: Int64

    package init(settings: SyncSettings, outboxWrites: Int64) {
        self.settings = settings
        self.outboxWrites = outboxWrites
    }
}

/// Where a node keeps its ``SyncSettings``.
package protocol SyncSettingsStore: Sendable {
    func syncSettings() async throws -> SyncSettings
    func syncWatch() async throws -> SyncWatch
    /// Changes the settings in one transaction: `change` gets the record as stored, and the
    /// record it leaves is stored and returned.
    @discardableResult
    func changeSyncSettings(_ change: @escaping @Sendable (inout SyncSettings) -> Void) async throws -> SyncSettings
}
