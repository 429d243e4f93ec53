import Crypto
import Foundation

/// How hybrid mode is rolled out to a tenant's users (the roadmap's phase 5): a hub-wide
/// switch, a canary percentage, beta users who are always in, users rolled back, and a
/// rollback of everyone; with the default scope and sync interval nodes should use.
package struct Rollout: Sendable, Hashable, Codable {
    package var hybridEnabled: Bool
    /// 0–100: users whose ``bucket(of:)`` is below it are in the canary.
    package var percent: Int
    package var defaultScope: MemoryScope
    package var syncIntervalSeconds: Int
    package var rollbackAll: Bool
    package var beta: Set<String>
    package var rolledBack: Set<String>

    package init(
        hybridEnabled: Bool = true, percent: Int = 100, defaultScope: MemoryScope = .project, syncIntervalSeconds: Int = 300,
        rollbackAll: Bool = false, beta: Set<String> = [], rolledBack: Set<String> = []
    ) {
        (self.hybridEnabled, self.percent, self.defaultScope, self.syncIntervalSeconds) = (hybridEnabled, percent, defaultScope, syncIntervalSeconds)
        (self.rollbackAll, self.beta, self.rolledBack) = (rollbackAll, beta, rolledBack)
    }

    /// A user's canary bucket, 0–99: SHA-256 of the id (UTF-8, as given), read as one
    /// big-endian integer, modulo 100. The same on every machine and every run — unlike the
    /// roadmap's `hash(user_id) % 100`, which Python salts per process.
    package static func bucket(of userID: String) -> Int {
        var remainder = 0
        for byte in SHA256.hash(data: Array(userID.utf8)) { remainder = (remainder * 256 + Int(byte)) % 100 }
        return remainder
    }

    /// Whether hybrid mode is on for a user, and why (in the order the rules apply).
    package func decision(for userID: String) -> RolloutDecision {
        let bucket = Self.bucket(of: userID)
        func decided(_ enabled: Bool, _ reason: String) -> RolloutDecision {
            RolloutDecision(enabled: enabled, reason: reason, bucket: bucket, defaultScope: defaultScope, syncIntervalSeconds: syncIntervalSeconds)
        }
        if rollbackAll { return decided(false, "everyone rolled back on the hub") }
        if rolledBack.contains(userID) { return decided(false, "this user rolled back on the hub") }
        if !hybridEnabled { return decided(false, "hybrid mode off on the hub") }
        if beta.contains(userID) { return decided(true, "beta user") }
        if bucket < percent { return decided(true, "canary bucket \(bucket) < \(percent) %") }
        return decided(false, "canary bucket \(bucket) ≥ \(percent) %")
    }
}

/// What a node is told: whether to sync, why, and the settings to use.
package struct RolloutDecision: Sendable, Hashable, Codable {
    package var enabled: Bool
    package var reason: String
    package var bucket: Int
    package var defaultScope: MemoryScope
    package var syncIntervalSeconds: Int

    package init(enabled: Bool, reason: String, bucket: Int, defaultScope: MemoryScope, syncIntervalSeconds: Int) {
        (self.enabled, self.reason, self.bucket, self.defaultScope, self.syncIntervalSeconds) = (enabled, reason, bucket, defaultScope, syncIntervalSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case enabled, reason, bucket
        case defaultScope = "default_scope"
        case syncIntervalSeconds = "sync_interval_s"
    }
}
