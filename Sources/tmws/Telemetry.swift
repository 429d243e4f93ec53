import Foundation
import Metrics
import Prometheus
import Synchronization
import TMWSCore

/// The process's metrics in Prometheus text format (`/metrics` on `tmws serve` and the hub),
/// through swift-metrics: Hummingbird's request metrics per route, and TMWS's own below.
///
/// Labels carry only bounded values (route templates, tool names, error codes, incident
/// kinds): never memory content, ids or anything a caller typed.
enum Telemetry {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Makes swift-metrics report into ``registry`` (once per process).
    static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            // The roadmap's alert is at 500 ms: buckets around it.
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
            ]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// The text a scrape gets.
    static func render() -> [UInt8] { registry.emitToBuffer() }

    // MARK: - TMWS's metrics (names shared with deploy/prometheus/tmws-alerts.yml)

    /// A sync run: attempted, and succeeded or not.
    static func syncAttempt(succeeded: Bool) {
        Counter(label: "tmws_sync_attempts_total").increment()
        if succeeded { Counter(label: "tmws_sync_successes_total").increment() }
    }

    /// A request to the hub (`kind`: `sync`, `search`, `rollout`).
    static func cloudConnection(_ kind: String, succeeded: Bool) {
        Counter(label: "tmws_cloud_connection_attempts_total", dimensions: [("kind", kind)]).increment()
        if succeeded { Counter(label: "tmws_cloud_connection_successes_total", dimensions: [("kind", kind)]).increment() }
    }

    /// Vectors the embedding loop made and kept.
    static func embedded(_ count: Int) {
        Counter(label: "tmws_embeddings_total").increment(by: Int64(count))
    }

    /// A batch the embedding provider failed (the loop tries again later).
    static func embeddingFailed() {
        Counter(label: "tmws_embedding_failures_total").increment()
    }

    /// A search that wanted the hub and answered from the local store alone.
    static func localFallback() {
        Counter(label: "tmws_local_fallbacks_total").increment()
    }

    /// Searches that could have asked the hub (the fallback rate's denominator).
    static func hybridSearch() {
        Counter(label: "tmws_hybrid_searches_total").increment()
    }

    /// The events waiting in the outbox, and the conflicts kept.
    /// The hot cache: what is held and evicted, and the hub's answers held here or not.
    static func cache(_ status: CacheStatus, archived: Int) {
        Gauge(label: "tmws_cache_held_memories").record(status.heldMemories)
        Gauge(label: "tmws_cache_held_bytes").record(status.heldBytes)
        Gauge(label: "tmws_cache_evicted_memories").record(status.evictedMemories)
        Gauge(label: "tmws_cache_hits").record(status.hits)
        Gauge(label: "tmws_cache_misses").record(status.misses)
        Gauge(label: "tmws_cache_hit_ratio").record(status.hitRate ?? 0)
        Gauge(label: "tmws_archive_memories").record(archived)
    }

    static func outbox(pending: Int, conflicts: Int) {
        Gauge(label: "tmws_outbox_pending_events").record(pending)
        Gauge(label: "tmws_sync_conflicts").record(conflicts)
    }

    /// Kinds of security incident: each one is worth a look.
    enum Incident: String {
        case blockedSensitivePush = "blocked_sensitive_push"
        case rlsDenial = "rls_denial"
        case authenticationFailure = "authentication_failure"
        case signatureFailure = "signature_failure"
        /// Another device's vectors did not match their memories' text (``PeerVectorCheck``).
        case peerVectorMismatch = "peer_vector_mismatch"
    }

    static func incident(_ kind: Incident, count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: "tmws_security_incidents_total", dimensions: [("kind", kind.rawValue)]).increment(by: count)
    }

    /// An MCP tool call: its latency, and its error code when it failed.
    @Sendable static func mcpTool(_ tool: String, _ duration: Duration, _ errorCode: String?) {
        Timer(label: "tmws_mcp_tool_duration_seconds", dimensions: [("tool", tool)]).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
        if let errorCode { error(errorCode) }
    }

    /// An error answered to a caller, by its code (a fixed set).
    static func error(_ code: String) {
        Counter(label: "tmws_errors_total", dimensions: [("code", code)]).increment()
    }
}
