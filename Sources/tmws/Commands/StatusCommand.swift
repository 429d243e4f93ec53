import ArgumentParser
import Foundation
import TMWSCore
import TMWSHost
import TMWSSQLite

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `tmws status`: one screen on this node's hybrid mode, its hub, its sync, and the roadmap's
/// six metrics against their targets.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Hybrid mode and why, the hub, sync health, and the roadmap's metrics against their targets.",
        discussion:
            "The metrics come from a running 'tmws serve' (its /metrics since it started; --metrics-url, and TMWS_ACCESS_TOKEN when the server has one); without one they show as not available. The hub is asked only with hybrid mode on and this node not rolled back."
    )

    @Option(name: .customLong("metrics-url"), help: ArgumentHelp("Where the running 'tmws serve' exports its metrics.", valueName: "url"))
    var metricsURL = "http://127.0.0.1:8765/metrics"

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable, Sendable {
        struct Hybrid: Encodable, Sendable {
            var on: Bool
            var reason: String
            var configured: Bool
            var rollout: RolloutDecision?
            var rolloutFetchedAt: String?

            enum CodingKeys: String, CodingKey {
                case on, reason, configured, rollout
                case rolloutFetchedAt = "rollout_fetched_at"
            }
        }

        struct Hub: Encodable, Sendable {
            var enrolled: Bool
            var url: String?
            var reachable: Bool?
            var latencyMs: Double?
            var detail: String

            enum CodingKeys: String, CodingKey {
                case enrolled, url, reachable, detail
                case latencyMs = "latency_ms"
            }
        }

        var hybrid: Hybrid
        var hub: Hub
        var sync: SyncStatusReport
        var cache: CacheCommand.StatusResult
        var archive: Archive
        var metrics: [RoadmapMetric]
        var metricsSource: String?

        struct Archive: Encodable, Sendable {
            var memories: Int
            var storedBytes: Int

            enum CodingKeys: String, CodingKey {
                case memories
                case storedBytes = "stored_bytes"
            }
        }

        enum CodingKeys: String, CodingKey {
            case hybrid, hub, sync, cache, archive, metrics
            case metricsSource = "metrics_source"
        }
    }

    func run() async throws {
        let context = try AppContext(options: global)
        let store = try await context.openStore()
        let scraped = await Self.scrape(metricsURL, node: store.deviceID)
        let report = try await Self.report(context, store: store, metrics: scraped, source: scraped == nil ? nil : metricsURL)
        if global.json { return try Terminal.printJSON(report) }
        let (on, reason, hub, sync, archived, metrics) = (
            report.hybrid.on, report.hybrid.reason, report.hub, report.sync, report.archive, report.metrics
        )
        let cache = try await store.cacheStatus()
        print("hybrid mode  \(on ? "ON" : "OFF") — \(reason)")
        print("hub          \(hub.url ?? "-") \(hub.detail)\(hub.latencyMs.map { " (\(Int($0)) ms)" } ?? "")")
        var table = TextTable("SYNC", "")
        table.append(["pending events", String(sync.pending)])
        table.append(["quarantined", String(sync.quarantined)])
        table.append(["conflicts", String(sync.conflicts)])
        table.append(["last success", sync.lastSuccess ?? "(never)"])
        table.append(["failures in a row", String(sync.consecutiveFailures)])
        if let lastError = sync.lastError { table.append(["last error", lastError]) }
        if sync.sealedWaiting > 0 { table.append(["SHARED waiting", "\(sync.sealedWaiting): \(sync.sealedWaitingReason ?? "no key yet")"]) }
        if sync.pullRefused > 0 { table.append(["pulled, refused", "\(sync.pullRefused) (last: \(sync.lastPullRefusal ?? "?"))"]) }
        print(table.render())
        for line in CacheCommand.Status.lines(cache) { print(line) }
        print("archive: \(archived.memories) PROJECT memories (\(HubUsageCommand.bytes(Int64(archived.storedBytes))) compressed)")
        var metricsTable = TextTable("METRIC", "NOW", "TARGET", "")
        for metric in metrics {
            metricsTable.append([metric.name, metric.display, metric.target, metric.state])
        }
        print(metricsTable.render())
        if report.metricsSource == nil { print("(metrics: no tmws serve of this data directory answered at \(metricsURL))") }
    }

    /// This node's status: `metrics` is a Prometheus text of this node's server (`nil`: not
    /// available). Asks the hub (3 s at most) when hybrid mode is on for this node. The cache
    /// and archive are read here unless the caller already has them.
    static func report(
        _ context: AppContext, store: SQLiteMemoryStore, metrics text: String?, source: String?, cache: CacheStatus? = nil,
        archived: (memories: Int, storedBytes: Int)? = nil
    ) async throws -> Report {
        let home = context.configuration.home
        let sync = try await NodeSync(context: context, store: store).status()
        let rollout = RolloutFile.load(home: home)
        let configured = context.configuration.hybridEnabled
        let enrollment = try CloudEnrollment.load(home: home)

        var reason: String
        var on = false
        if !configured {
            reason = "off in the configuration (TMWS_HYBRID_MODE_ENABLED / hybrid.enabled)"
        } else if enrollment == nil {
            reason = "on in the configuration, but this node is not enrolled with a hub"
        } else if let decision = rollout?.decision, !decision.enabled {
            reason = "rolled back on the hub: \(decision.reason)"
        } else {
            on = true
            reason =
                rollout.map { decision in
                    "on: " + decision.decision.reason + (decision.decision.reason.contains("bucket") ? "" : " (canary bucket \(decision.decision.bucket))")
                } ?? "on (no rollout decision fetched yet)"
        }
        if on, sync.offline { reason += "; offline (\(sync.offlineReason ?? "manual"))" }
        if on, sync.paused { reason += "; sync paused" }

        var hub = Report.Hub(enrolled: enrollment != nil, url: enrollment?.hubURL, detail: "not enrolled")
        if enrollment != nil {
            if on, let cloud = try context.cloud() {
                let clock = ContinuousClock()
                let started = clock.now
                do {
                    _ = try await cloud.identity(timeout: .seconds(3))
                    let elapsed = clock.now - started
                    hub.reachable = true
                    hub.latencyMs = (Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000).rounded()
                    hub.detail = "answers"
                } catch {
                    hub.reachable = false
                    hub.detail = "does not answer: \(TMWSError.safeMessage(for: error))"
                }
            } else {
                hub.detail = "not asked (hybrid mode is off for this node)"
            }
        }

        let cache = if let cache { cache } else { try await store.cacheStatus() }
        let archived = if let archived { archived } else { try await store.archiveSize() }
        let metrics = RoadmapMetric.evaluate(text.map(PrometheusText.init(parsing:)))
        return Report(
            hybrid: .init(on: on, reason: reason, configured: configured, rollout: rollout?.decision, rolloutFetchedAt: rollout?.fetchedAt),
            hub: hub, sync: sync, cache: .init(cache), archive: .init(memories: archived.memories, storedBytes: archived.storedBytes),
            metrics: metrics, metricsSource: source
        )
    }

    /// The server's metrics text, or `nil` when none answers within two seconds, or the one
    /// that answers serves another data directory (its `X-TMWS-Node` is another device's).
    static func scrape(_ url: String, node: String) async -> String? {
        guard let url = URL(string: url), ["http", "https"].contains(url.scheme ?? "") else { return nil }
        var request = URLRequest(url: url, timeoutInterval: 2)
        if let token = ProcessInfo.processInfo.environment["TMWS_ACCESS_TOKEN"], !token.isEmpty {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse, http.statusCode == 200, http.value(forHTTPHeaderField: "X-TMWS-Node") == node
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Samples of a Prometheus text exposition: name, labels, value.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []

    init(parsing text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let head = line[..<space]
            var name = String(head)
            var labels: [String: String] = [:]
            if let open = head.firstIndex(of: "{"), head.hasSuffix("}") {
                name = String(head[..<open])
                let inside = head[head.index(after: open)..<head.index(before: head.endIndex)]
                for pair in inside.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
    }

    func sum(_ name: String, where predicate: ([String: String]) -> Bool = { _ in true }) -> Double {
        samples.filter { $0.name == name && predicate($0.labels) }.reduce(0) { $0 + $1.value }
    }
}

/// One of the roadmap's six metrics, since the server started, against its target.
struct RoadmapMetric: Encodable, Sendable {
    var name: String
    var value: Double?
    var target: String
    /// `ok`, `ALERT`, or `n/a` (no data).
    var state: String
    var display: String

    enum CodingKeys: String, CodingKey {
        case name, value, target, state, display
    }

    /// JSON has no infinity (a p95 beyond the last bucket): such a value is written as `null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value.flatMap { $0.isFinite ? $0 : nil }, forKey: .value)
        try container.encode(target, forKey: .target)
        try container.encode(state, forKey: .state)
        try container.encode(display, forKey: .display)
    }

    static func evaluate(_ text: PrometheusText?) -> [RoadmapMetric] {
        func ratio(_ part: Double, _ whole: Double) -> Double? { whole > 0 ? part / whole : nil }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "-" }
        func metric(_ name: String, _ value: Double?, _ target: String, display: String, ok: (Double) -> Bool) -> RoadmapMetric {
            RoadmapMetric(name: name, value: value, target: target, state: value.map { ok($0) ? "ok" : "ALERT" } ?? "n/a", display: display)
        }
        let requests = text?.sum("hb_requests") ?? 0
        let errors = text?.sum("hb_requests") { $0["http_response_status_code"]?.hasPrefix("5") == true } ?? 0
        var p95: Double?
        if let text {
            // Nearest bucket bound at or above the 95th percentile of all requests so far.
            var buckets: [Double: Double] = [:]
            for sample in text.samples where sample.name == "http_server_request_duration_bucket" {
                let bound = sample.labels["le"].flatMap { $0 == "+Inf" ? Double.infinity : Double($0) } ?? .infinity
                buckets[bound, default: 0] += sample.value
            }
            if let total = buckets[.infinity], total > 0 {
                p95 = buckets.keys.sorted().first { buckets[$0]! >= 0.95 * total }
            }
        }
        let sync = ratio(text?.sum("tmws_sync_successes_total") ?? 0, text?.sum("tmws_sync_attempts_total") ?? 0)
        let cloud = ratio(text?.sum("tmws_cloud_connection_successes_total") ?? 0, text?.sum("tmws_cloud_connection_attempts_total") ?? 0)
        let fallback = ratio(text?.sum("tmws_local_fallbacks_total") ?? 0, text?.sum("tmws_hybrid_searches_total") ?? 0)
        let incidents = text.map { $0.sum("tmws_security_incidents_total") }
        return [
            metric("API response time (p95)", p95, "< 500 ms", display: p95.map { $0.isInfinite ? "> 5 s" : "≤ \(Int($0 * 1000)) ms" } ?? "-") { $0 <= 0.5 },
            metric("sync success", sync, "≥ 95 %", display: percent(sync)) { $0 >= 0.95 },
            metric("error rate", ratio(errors, requests), "< 2 %", display: percent(ratio(errors, requests))) { $0 < 0.02 },
            metric("cloud connections", cloud, "≥ 99 %", display: percent(cloud)) { $0 >= 0.99 },
            metric("local fallbacks", fallback, "< 20 %", display: percent(fallback)) { $0 < 0.2 },
            metric("security incidents", incidents, "0", display: incidents.map { String(Int($0)) } ?? "-") { $0 == 0 },
        ]
    }
}
