import Foundation
import Synchronization
import TMWSCore
import TMWSHTTP
import TMWSHost
import TMWSHubClient
import TMWSSQLite

/// The console's view of this node (``NodeConsole``), wired by `tmws serve`: the same
/// reports as `tmws status`, `tmws sync` and `tmws team show`.
struct ConsoleNode: NodeConsole {
    let context: AppContext
    let store: SQLiteMemoryStore
    let history = MetricHistory()

    var sync: any SyncControl { NodeSync(context: context, store: store) }
    var deviceID: String { store.deviceID }

    func deviceNames() async -> [String: String] {
        await NodeSync(context: context, store: store).deviceNames()
    }

    func overview() async throws -> any Encodable & Sendable {
        // The cache and archive are read once, for the gauges and the report alike.
        let (cache, archived) = (try await store.cacheStatus(), try await store.archiveSize())
        let text = String(decoding: try await Self.metricsText(store, cache: cache, archived: archived.memories), as: UTF8.self)
        return try await StatusCommand.report(context, store: store, metrics: text, source: "this server", cache: cache, archived: archived)
    }

    func setPaused(_ paused: Bool) async throws {
        try await store.changeSyncSettings { $0.paused = paused }
        store.syncWrites.signal()
    }

    func quarantine() async throws -> [QuarantinedEvent] {
        try await store.quarantinedEvents()
    }

    func teams() async throws -> any Encodable & Sendable {
        let home = context.configuration.home
        guard let enrollment = try CloudEnrollment.load(home: home) else {
            return TeamsView(enrolled: false, detail: "this node is not enrolled with a hub: tmws cloud enroll", teams: [])
        }
        guard context.configuration.hybridEnabled else {
            // No network with hybrid mode off: the teams as last fetched, without members.
            return TeamsView(
                enrolled: true, detail: "hybrid mode is off: the teams as last fetched, members not asked",
                teams: enrollment.identity.teams.map { TeamsView.Entry(id: $0.id, name: $0.name, role: $0.role) })
        }
        let cloud = try AppContext.hubCloud(enrollment, home: home)
        let keyring = try KeyAccess.keyring(context, store: store, enrollment: enrollment, cloud: cloud)
        var teams: [TeamsView.Entry] = []
        for team in enrollment.identity.teams {
            var entry = TeamsView.Entry(id: team.id, name: team.name, role: team.role)
            do {
                guard let id = UUID(uuidString: team.id) else { throw TMWSError(.invalidInput, "the hub named a team by a malformed id") }
                // Verified: the membership log's signatures are checked as `tmws team show` does.
                entry.verified = TeamView(try await keyring.refresh(id))
            } catch {
                entry.error = TMWSError.safeMessage(for: error)
            }
            teams.append(entry)
        }
        return TeamsView(enrolled: true, detail: nil, teams: teams)
    }

    func roadmapMetrics() async throws -> any Encodable & Sendable {
        let text = String(decoding: try await Self.metricsText(store), as: UTF8.self)
        let metrics = RoadmapMetric.evaluate(PrometheusText(parsing: text))
        return MetricsView(metrics: metrics, samples: history.record(metrics.map { $0.value.flatMap { $0.isFinite ? $0 : nil } }, at: Date()))
    }

    /// This process's metrics, with the outbox and cache gauges read now (what `/metrics` serves).
    static func metricsText(_ store: SQLiteMemoryStore, cache: CacheStatus? = nil, archived: Int? = nil) async throws -> [UInt8] {
        Telemetry.outbox(pending: try await store.pendingEventCount(), conflicts: try await store.conflicts().count)
        let cache = if let cache { cache } else { try await store.cacheStatus() }
        let archived = if let archived { archived } else { try await store.archiveSize().memories }
        Telemetry.cache(cache, archived: archived)
        return Telemetry.render()
    }
}

/// The roadmap's metrics as the console last sampled them: one sample every 5 s at most, the
/// last 120 kept (ten minutes of a console left open).
final class MetricHistory: Sendable {
    struct Sample: Encodable, Sendable {
        var at: String
        var values: [Double?]
    }

    private let samples = Mutex<[(Date, [Double?])]>([])

    func record(_ values: [Double?], at now: Date) -> [Sample] {
        samples.withLock { samples in
            if let last = samples.last, now.timeIntervalSince(last.0) < 5 {
                samples[samples.count - 1].1 = values
            } else {
                samples.append((now, values))
                if samples.count > 120 { samples.removeFirst(samples.count - 120) }
            }
            return samples.map { Sample(at: ISO8601.string(from: $0.0), values: $0.1) }
        }
    }
}

struct MetricsView: Encodable, Sendable {
    var metrics: [RoadmapMetric]
    var samples: [MetricHistory.Sample]
}

struct TeamsView: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        var id: String
        var name: String
        var role: String
        var verified: TeamView?
        var error: String?
    }

    var enrolled: Bool
    var detail: String?
    var teams: [Entry]
}
