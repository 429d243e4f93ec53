import Foundation
import TMWSCore

/// A deterministic generator of note-like memories in English and Japanese, with tags,
/// namespaces and scopes, for benchmarks and tests. The same seed gives the same corpus
/// on every machine.
package struct SyntheticCorpus: Sendable {
    /// One generated memory, as raw input.
    package struct Item: Sendable, Hashable {
        package var content: String
        package var scope: MemoryScope
        package var namespace: Namespace
        package var tags: [String]
        package var importance: Double
    }

    package var seed: UInt64

    package init(seed: UInt64 = 0x7D3A_5EED) {
        self.seed = seed
    }

    /// `count` items; item `i` is the same whatever `count` is.
    package func items(_ count: Int) -> [Item] {
        (0..<count).map(item)
    }

    /// The item at `index`.
    package func item(_ index: Int) -> Item {
        // Seed each item from a hash of (seed, index): seeding with seed + index × the
        // generator's own increment would make item i+1's stream item i's shifted by one.
        var mixer = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        var random = SplitMix64(seed: mixer.next())
        let japanese = random.next(100) < 30
        let sentenceCount = 1 + random.next(4)
        var sentences: [String] = []
        for _ in 0..<sentenceCount {
            sentences.append(japanese ? Self.japaneseSentence(&random) : Self.englishSentence(&random))
        }
        let scopeRoll = random.next(100)
        let scope: MemoryScope = scopeRoll < 60 ? .project : scopeRoll < 80 ? .global : scopeRoll < 95 ? .private : .shared
        var tags = Set<String>()
        for _ in 0..<(1 + random.next(3)) {
            tags.insert(Self.tags[random.next(Self.tags.count)])
        }
        return Item(
            content: sentences.joined(separator: japanese ? "" : " "),
            scope: scope,
            namespace: try! Namespace(validating: Self.projects[random.next(Self.projects.count)]),
            tags: tags.sorted(),
            importance: Double(random.next(101)) / 100
        )
    }

    /// The item as one JSONL import line.
    package func jsonLine(_ index: Int) -> String {
        let item = item(index)
        let object: [String: JSONValue] = [
            "content": .string(item.content), "scope": .string(item.scope.rawValue),
            "namespace": .string(item.namespace.rawValue), "tags": .array(item.tags.map(JSONValue.string)),
            "importance": .number(item.importance),
        ]
        return String(decoding: try! JSONEncoder.tmws().encode(object), as: UTF8.self)
    }

    /// A fixed set of queries that exercise words, prefixes, phrases and Japanese.
    package static let queries: [String] = [
        "postgres", "migration", "deploy kubernetes", "auth*", "cache invalidation", "retry backoff",
        "rate limit", "swift concurrency", "index", "flaky test", "release checklist", "token rotation",
        "logging", "benchmark latency", "schema", "graphql", "websocket reconnect", "docker image",
        "feature flag", "code review", "monitor*", "sqlite wal", "timeout", "oncall runbook",
        "データベース", "認証", "設計", "キャッシュ", "デプロイ手順", "テスト", "レビュー", "障害対応",
        "性能", "移行", "ログ", "設定ファイル", "API設計", "kubernetes クラスタ", "postgres 移行", "why did we choose",
    ]

    static let projects = [
        "github.com-acme-api", "github.com-acme-web", "github.com-acme-mobile", "gitlab.com-infra-terraform",
        "github.com-oss-swift-nio-fork", "payments-service", "search-platform", "data-pipeline", "design-system",
        "internal-tools", "ml-experiments", "docs-site", "auth-gateway", "billing", "notifications",
        "analytics", "edge-proxy", "ios-app", "android-app", "cli-tools",
    ]

    static let tags = [
        "decision", "convention", "bug", "howto", "architecture", "performance", "security", "testing",
        "deploy", "database", "frontend", "backend", "ops", "api", "review", "incident", "idea", "todo",
    ]

    // Sentences are built from parts, so a 100,000-memory corpus has tens of thousands of
    // distinct subjects and each component word appears in a few percent of memories, as in
    // a real team's notes, rather than a handful of phrases repeated everywhere.
    static let components = [
        "postgres", "kubernetes", "auth", "billing", "search", "webhook", "graphql", "websocket", "docker",
        "sqlite", "redis", "kafka", "terraform", "nginx", "grafana", "prometheus", "s3", "cdn", "dns",
        "oauth", "jwt", "cron", "ci", "payments", "invoice", "checkout", "cart", "inventory", "catalog",
        "notification", "email", "sms", "push", "analytics", "etl", "warehouse", "reporting", "audit",
        "session", "login", "signup", "profile", "settings", "upload", "thumbnail", "video", "chat",
        "feed", "timeline", "recommendation", "ranking", "geocoding", "maps", "pricing", "tax", "refund",
        "subscription", "trial", "onboarding", "localization", "accessibility", "swift", "android", "ios",
    ]
    static let nouns = [
        "migration", "deploy", "service", "cache", "index", "schema", "endpoint", "client", "worker",
        "queue", "retry policy", "rate limit", "timeout", "config", "dashboard", "alert", "runbook",
        "test suite", "pipeline", "release", "rollback", "feature flag", "connection pool", "backfill",
        "cleanup job", "health check", "load test", "memory leak", "race condition", "log format",
    ]
    static let modifiers = [
        "the", "our", "the new", "the legacy", "the staging", "the production", "the nightly", "the shared",
        "the internal", "the public", "every", "the v2", "the async", "the batch", "the regional",
    ]
    static let englishVerbs = [
        "should use", "broke because of", "was fixed by", "needs", "depends on", "got slower after",
        "is documented in", "must not bypass", "was replaced by", "works better with", "conflicts with",
        "was rewritten to use", "now requires", "stopped using", "is blocked on",
    ]
    static let englishObjects = [
        "a connection pool of {n}", "exponential backoff capped at {n} seconds", "the new staging cluster",
        "an idempotency key per request", "a composite index on tenant and created_at", "the shared config loader",
        "a canary at {n} percent", "the read replica", "a circuit breaker", "batched writes of {n} rows",
        "the vendor SDK upgrade", "a nightly vacuum", "the async job queue", "a stricter lint rule",
        "ticket OPS-{n}", "the fix in PR #{n}", "a {n} ms budget", "the retry header", "a dedicated worker pool",
        "structured logging", "the token rotation script", "the release checklist", "a schema check in CI",
    ]
    static let englishTails = [
        "We agreed on this in the weekly sync.", "See the postmortem for details.",
        "Ask the platform team before changing it.", "This halved p95 latency.",
        "Remember to update the runbook.", "Why did we choose this? Simpler operations.",
        "Measured on the staging environment.", "Revisit after the next release.",
        "Benchmark latency improved after this.", "Flaky test fixed as a side effect.",
        "Code review caught it before release.", "Monitoring alerts now cover it.",
    ]

    static let japaneseComponents = [
        "データベース", "認証サービス", "キャッシュ", "デプロイ手順", "テスト環境", "コードレビュー", "障害対応",
        "性能測定", "ログ出力", "設定ファイル", "API設計", "kubernetes クラスタ", "postgres の接続", "検索インデックス",
        "リリース作業", "決済処理", "通知機能", "請求書", "在庫管理", "ユーザー登録", "権限管理", "監視ダッシュボード",
        "バッチ処理", "画像アップロード", "メール配信", "セッション管理", "翻訳ファイル", "移行スクリプト",
    ]
    static let japaneseBodies = [
        "は来週までに見直す必要がある", "では必ずステージングで確認すること", "の設計方針をチームで合意した",
        "でタイムアウトが頻発している", "は接続プールを使うと安定する", "の手順書を更新した",
        "はレビューを二人以上に依頼する", "で性能が二倍に改善した", "は本番環境で直接変更しない",
        "の原因はリトライ設定だった", "の移行は段階的に進める", "ではログの形式を統一する",
        "のテストが不安定なので調査中", "は担当者の承認が必要", "の障害は設定ミスが原因だった",
    ]

    static func englishSentence(_ random: inout SplitMix64) -> String {
        let subject = "\(modifiers[random.next(modifiers.count)]) \(components[random.next(components.count)]) \(nouns[random.next(nouns.count)])"
        let object = englishObjects[random.next(englishObjects.count)]
            .replacingOccurrences(of: "{n}", with: String(5 + random.next(4000)))
        let sentence = "\(subject.prefix(1).uppercased())\(subject.dropFirst()) \(englishVerbs[random.next(englishVerbs.count)]) \(object)."
        return random.next(2) == 0 ? sentence + " " + englishTails[random.next(englishTails.count)] : sentence
    }

    static func japaneseSentence(_ random: inout SplitMix64) -> String {
        japaneseComponents[random.next(japaneseComponents.count)] + japaneseBodies[random.next(japaneseBodies.count)] + "。"
    }
}
