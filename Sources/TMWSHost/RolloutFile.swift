import Foundation
import TMWSCore

/// The hub's last rollout decision for this node's user, kept in `$TMWS_HOME/rollout.json`
/// so every process (searches included) knows whether the node is local-only.
package struct RolloutFile: Codable, Sendable, Hashable {
    package var decision: RolloutDecision
    package var fetchedAt: String

    package init(decision: RolloutDecision, fetchedAt: String) {
        self.decision = decision
        self.fetchedAt = fetchedAt
    }

    enum CodingKeys: String, CodingKey {
        case decision
        case fetchedAt = "fetched_at"
    }

    static func path(_ home: String) -> String { home + "/rollout.json" }

    /// The last decision, or `nil` when none was fetched (or the file is unreadable).
    package static func load(home: String) -> RolloutFile? {
        guard let data = FileManager.default.contents(atPath: path(home)) else { return nil }
        return try? JSONDecoder().decode(RolloutFile.self, from: data)
    }

    package func save(home: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try CloudEnrollment.writePrivately(try encoder.encode(self), to: Self.path(home))
    }
}
