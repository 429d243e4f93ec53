import Foundation
import TMWSCore

/// A deterministic generator of note-like memories in English and Japanese, with tags,
/// namespaces and scopes, for benchmarks and tests. The same seed gives the same corpus
/// on every machine.
public struct SyntheticCorpus: Sendable {
    /// One generated memory, as raw input.
    public struct Item: Sendable, Hashable {
        public var content: String
        public var scope: MemoryScope
        public var namespace: Namespace
        public var tags: [String]
        public var importance: Double
    }

    public var seed: UInt64

    public init(seed: UInt64 = 0x7D3A_5EED) {
        self.seed = seed
    }

    /// `count` items; item `i` is the same whatever `count` is.
    public func items(_ count: Int) -> [Item] {
        (0..<count).map(item)
    }

    /// The item at `index`.
    public func item(_ index: Int) -> Item {
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
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
    public func jsonLine(_ index: Int) -> String {
        let item = item(index)
        let object: [String: JSONValue] = [
            "content": .string(item.content), "scope": .string(item.scope.rawValue),
            "namespace": .string(item.namespace.rawValue), "tags": .array(item.tags.map(JSONValue.string)),
            "importance": .number(item.importance),
        ]
        return String(decoding: try! JSONEncoder.tmws().encode(object), as: UTF8.self)
    }

    /// A fixed set of queries that exercise words, prefixes, phrases and Japanese.
    public static let queries: [String] = [
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

    static let englishSubjects = [
        "the postgres migration", "our kubernetes deploy", "the auth service", "cache invalidation",
        "the retry backoff", "the rate limit", "swift concurrency in the sync engine", "the search index",
        "a flaky test in CI", "the release checklist", "token rotation", "structured logging",
        "benchmark latency", "the schema change", "the graphql gateway", "websocket reconnect logic",
        "the docker image", "the feature flag rollout", "code review", "the monitoring dashboard",
        "sqlite wal mode", "the request timeout", "the oncall runbook", "the billing webhook",
    ]
    static let englishVerbs = [
        "should use", "broke because of", "was fixed by", "needs", "depends on", "got slower after",
        "is documented in", "must not bypass", "was replaced by", "works better with",
    ]
    static let englishObjects = [
        "a connection pool of 20", "exponential backoff capped at 30 seconds", "the new staging cluster",
        "an idempotency key per request", "a composite index on tenant and created_at", "the shared config loader",
        "a canary at 5 percent", "the read replica", "a circuit breaker", "batched writes of 1000 rows",
        "the vendor SDK upgrade", "a nightly vacuum", "the async job queue", "a stricter lint rule",
    ]
    static let englishTails = [
        "We agreed on this in the weekly sync.", "See the postmortem for details.",
        "Ask the platform team before changing it.", "This halved p95 latency.",
        "Remember to update the runbook.", "Why did we choose this? Simpler operations.",
        "Measured on the staging environment.", "Revisit after the next release.",
    ]

    static let japaneseSubjects = [
        "データベースの移行", "認証サービス", "キャッシュの無効化", "デプロイ手順", "テスト環境",
        "コードレビュー", "障害対応の手順", "性能測定", "ログ出力", "設定ファイル", "API設計",
        "kubernetes クラスタ", "postgres の接続", "検索インデックス", "リリース作業",
    ]
    static let japaneseBodies = [
        "は来週までに見直す必要がある", "では必ずステージングで確認すること", "の設計方針をチームで合意した",
        "でタイムアウトが頻発している", "は接続プールを使うと安定する", "の手順書を更新した",
        "はレビューを二人以上に依頼する", "で性能が二倍に改善した", "は本番環境で直接変更しない",
        "の原因はリトライ設定だった",
    ]

    static func englishSentence(_ random: inout SplitMix64) -> String {
        let subject = englishSubjects[random.next(englishSubjects.count)]
        let sentence = "\(subject.prefix(1).uppercased())\(subject.dropFirst()) \(englishVerbs[random.next(englishVerbs.count)]) \(englishObjects[random.next(englishObjects.count)])."
        return random.next(2) == 0 ? sentence + " " + englishTails[random.next(englishTails.count)] : sentence
    }

    static func japaneseSentence(_ random: inout SplitMix64) -> String {
        japaneseSubjects[random.next(japaneseSubjects.count)] + japaneseBodies[random.next(japaneseBodies.count)] + "。"
    }
}

/// A small, fast, seedable generator (SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
