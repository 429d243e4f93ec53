import Foundation
import Logging
import PostgresNIO
import TMWSCore
import TMWSHubDomain

extension HubStore {
    /// The rollout decision for the device's user (`GET /v1/rollout`).
    package func rolloutDecision(as device: AuthenticatedDevice) async throws -> RolloutDecision {
        try await database.withTenant(device.context) { db in
            try await HubRollout.read(db, logger: logger).decision(for: device.userID.uuidString.lowercased())
        }
    }
}

/// Reading and changing a tenant's rollout (users are named by id in the rule, as the
/// canary hashes ids: a rename changes nothing).
enum HubRollout {
    static func read(_ db: PostgresConnection, logger: Logger) async throws -> Rollout {
        var rollout = Rollout()
        for try await (enabled, percent, scope, interval, all) in try await db.query(
            "SELECT hybrid_enabled, percent, default_scope, sync_interval_s, rollback_all FROM tmws.rollout", logger: logger
        ).decode((Bool, Int, String, Int, Bool).self) {
            rollout = Rollout(
                hybridEnabled: enabled, percent: percent, defaultScope: MemoryScope(rawValue: scope) ?? .project, syncIntervalSeconds: interval,
                rollbackAll: all
            )
        }
        for try await (user, beta, rolledBack) in try await db.query(
            "SELECT user_id::text, beta, rolled_back FROM tmws.rollout_users", logger: logger
        ).decode((String, Bool, Bool).self) {
            if beta { rollout.beta.insert(user) }
            if rolledBack { rollout.rolledBack.insert(user) }
        }
        return rollout
    }
}

extension HubAdmin {
    /// A tenant's rollout with its users' names, for `tmws hub rollout status`.
    package struct RolloutStatus: Encodable, Sendable {
        package var tenant: String
        package var rollout: Rollout
        package var beta: [String]
        package var rolledBack: [String]
        /// How many of the tenant's users hybrid mode is on for now.
        package var enabledUsers: Int
        package var users: Int

        enum CodingKeys: String, CodingKey {
            case tenant, beta, users
            case hybridEnabled = "hybrid_enabled"
            case percent
            case defaultScope = "default_scope"
            case syncInterval = "sync_interval_s"
            case rollbackAll = "rollback_all"
            case rolledBack = "rolled_back"
            case enabledUsers = "enabled_users"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tenant, forKey: .tenant)
            try container.encode(rollout.hybridEnabled, forKey: .hybridEnabled)
            try container.encode(rollout.percent, forKey: .percent)
            try container.encode(rollout.defaultScope, forKey: .defaultScope)
            try container.encode(rollout.syncIntervalSeconds, forKey: .syncInterval)
            try container.encode(rollout.rollbackAll, forKey: .rollbackAll)
            try container.encode(beta, forKey: .beta)
            try container.encode(rolledBack, forKey: .rolledBack)
            try container.encode(enabledUsers, forKey: .enabledUsers)
            try container.encode(users, forKey: .users)
        }
    }

    /// What one change does: settings (nil fields stay) or a user's flags.
    package enum RolloutChange: Sendable {
        case settings(hybridEnabled: Bool?, percent: Int?, defaultScope: MemoryScope?, syncIntervalSeconds: Int?)
        case beta(user: String, on: Bool)
        case rollback(user: String)
        case rollbackAll
        /// Undoes rollback-all and every user's rollback.
        case restore

        var action: String {
            switch self {
            case .settings: "rollout-set"
            case .beta(_, let on): on ? "rollout-beta-add" : "rollout-beta-remove"
            case .rollback: "rollout-rollback-user"
            case .rollbackAll: "rollout-rollback-all"
            case .restore: "rollout-restore"
            }
        }
    }

    package func rolloutStatus(tenant: String) async throws -> RolloutStatus {
        let tenantID = try await resolveTenant(tenant)
        return try await run {
            try await HubDatabase.withTenant(TenantContext(tenantID: tenantID, userID: nil), on: connection, logger: logger) { db in
                let rollout = try await HubRollout.read(db, logger: logger)
                var names: [String: String] = [:]
                for try await (id, name) in try await db.query("SELECT user_id::text, name FROM tmws.users", logger: logger).decode((String, String).self) {
                    names[id] = name
                }
                return RolloutStatus(
                    tenant: Self.text(tenantID), rollout: rollout, beta: rollout.beta.map { names[$0] ?? $0 }.sorted(),
                    rolledBack: rollout.rolledBack.map { names[$0] ?? $0 }.sorted(),
                    enabledUsers: names.keys.filter { rollout.decision(for: $0).enabled }.count, users: names.count
                )
            }
        }
    }

    /// Changes the rollout of a tenant, audited (no user names in the record: ids only).
    package func changeRollout(tenant: String, _ wanted: RolloutChange) async throws -> RolloutStatus {
        let change = wanted
        let tenantID = try await resolveTenant(tenant)
        var userID: UUID?
        switch change {
        case .beta(let user, _), .rollback(let user): userID = try await resolve("users", "user_id", user, in: tenantID, what: "user")
        case .settings(_, let percent, _, let interval): try HubInputRules.checkRollout(percent: percent, syncIntervalSeconds: interval)
        default: break
        }
        let user = userID ?? UUID()
        try await self.change(tenantID) { db in
            try await db.query("INSERT INTO tmws.rollout (tenant_id) VALUES (\(tenantID)) ON CONFLICT DO NOTHING", logger: logger)
            var details = ""
            switch change {
            case .settings(let enabled, let percent, let scope, let interval):
                try await db.query(
                    """
                    UPDATE tmws.rollout SET hybrid_enabled = coalesce(\(enabled), hybrid_enabled), percent = coalesce(\(percent), percent),
                        default_scope = coalesce(\(scope?.rawValue), default_scope), sync_interval_s = coalesce(\(interval), sync_interval_s),
                        updated_at = now()
                    """,
                    logger: logger
                )
                details = [
                    enabled.map { "hybrid:\($0)" }, percent.map { "percent:\($0)" }, scope.map { "default_scope:\($0.rawValue)" },
                    interval.map { "sync_interval_s:\($0)" },
                ].compactMap { $0 }.joined(separator: ",")
            case .beta(_, let on):
                try await db.query(
                    """
                    INSERT INTO tmws.rollout_users (tenant_id, user_id, beta) VALUES (\(tenantID), \(user), \(on))
                    ON CONFLICT (tenant_id, user_id) DO UPDATE SET beta = excluded.beta
                    """,
                    logger: logger
                )
                details = "user:\(Self.text(user))"
            case .rollback:
                try await db.query(
                    """
                    INSERT INTO tmws.rollout_users (tenant_id, user_id, rolled_back) VALUES (\(tenantID), \(user), true)
                    ON CONFLICT (tenant_id, user_id) DO UPDATE SET rolled_back = true
                    """,
                    logger: logger
                )
                details = "user:\(Self.text(user))"
            case .rollbackAll:
                try await db.query("UPDATE tmws.rollout SET rollback_all = true, updated_at = now()", logger: logger)
            case .restore:
                try await db.query("UPDATE tmws.rollout SET rollback_all = false, updated_at = now()", logger: logger)
                try await db.query("UPDATE tmws.rollout_users SET rolled_back = false", logger: logger)
            }
            try await audit(db, tenantID, change.action, "tenant:\(Self.text(tenantID))", details: details)
        }
        return try await rolloutStatus(tenant: Self.text(tenantID))
    }
}
