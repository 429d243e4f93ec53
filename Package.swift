// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "tmws",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tmws", targets: ["tmws"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The domain: memory types, scopes, validation, the store protocol. No I/O.
        .target(
            name: "TMWSCore",
            dependencies: ["TMWSTextRules", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Text rules that read every word of every write, pure and re-exported by TMWSCore: the
        // detector of instructions aimed at agents and the duplicate check's shingles and
        // MinHash. Built optimised even in debug builds, like the C kernels: the tests write
        // 100 KB notes by the hundred.
        .target(name: "TMWSTextRules", swiftSettings: [.unsafeFlags(["-O"])]),
        // zlib from the system (Debian: zlib1g-dev), for the archive's compressed text.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Numeric kernels in C, built optimised even in debug builds (the tests embed for real):
        // the e5 encoder, and the node's int8 vector scan. No I/O but the model file's mapping.
        .target(name: "CTMWSE5", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "CTMWSScan", cSettings: [.unsafeFlags(["-O2"])]),
        // Embedding providers: the built-in multilingual-e5-small engine, Ollama, and any
        // OpenAI-compatible `/v1/embeddings` endpoint.
        .target(
            name: "TMWSEmbedding",
            dependencies: ["TMWSCore", "CTMWSE5"]
        ),
        // The local store: SQLite through GRDB (WAL, migrations, FTS5, outbox, audit chain,
        // the compressed archive and the hot cache).
        .target(
            name: "TMWSSQLite",
            dependencies: [
                "TMWSCore", "CZlib", "CTMWSScan", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // End-to-end encryption for SHARED memories: envelopes, team keys, the membership log
        // and the transport that seals and opens. Pure: no I/O.
        .target(
            name: "TMWSCrypto",
            dependencies: ["TMWSCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Key storage: the device keystore file and its key providers (scrypt passphrase,
        // external command, or none by explicit choice).
        .target(
            name: "TMWSKeys",
            dependencies: [
                "TMWSCore", "TMWSCrypto", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The host machine: configuration file, environment, git namespace detection.
        .target(
            name: "TMWSHost",
            dependencies: ["TMWSCore"]
        ),
        // MCP: the memory tools for agents, and a stdio transport that does not poll.
        .target(
            name: "TMWSMCP",
            dependencies: [
                "TMWSCore", .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What the local server and the hub share: problem+json errors, bearer tokens, JSON
        // responses, serving an OpenAPI document.
        .target(
            name: "TMWSHTTPCommon",
            dependencies: [
                "TMWSCore", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // HTTP: the local REST API (Hummingbird) and its OpenAPI document.
        .target(
            name: "TMWSHTTP",
            dependencies: [
                "TMWSCore", "TMWSHTTPCommon", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("openapi.json")]
        ),
        // TLS: configurations (TLS 1.3 only, a pinned CA, an optional public-key pin) and the
        // development certificates (a local CA, hub and PostgreSQL server certificates).
        .target(
            name: "TMWSTLS",
            dependencies: [
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The hub's domain: its value types, its rules for pushed changes and team logs, and
        // the service its API asks (implemented by the PostgreSQL adapter). No I/O.
        .target(
            name: "TMWSHubDomain",
            dependencies: [
                "TMWSCore", "TMWSCrypto", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The hub's database: PostgreSQL through postgres-nio (migrations, row-level security,
        // tenant-scoped transactions) and a development cluster from the installed binaries.
        .target(
            name: "TMWSPostgres",
            dependencies: [
                "TMWSCore", "TMWSCrypto", "TMWSHubDomain", "TMWSTLS", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The hub: the HTTPS API in front of PostgreSQL (device authentication, enrollment,
        // GLOBAL reads and search) and its OpenAPI document.
        .target(
            name: "TMWSHub",
            dependencies: [
                "TMWSCore", "TMWSCrypto", "TMWSHTTPCommon", "TMWSHubDomain", "TMWSTLS", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("hub-openapi.json")]
        ),
        // The node's side of the hub: an HTTPS client held to TLS 1.3, the pinned CA and an
        // optional public-key pin.
        .target(
            name: "TMWSHubClient",
            dependencies: [
                "TMWSCore", "TMWSCrypto", "TMWSTLS", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Sync: the node's sync logic as a pure state machine (events in, actions out).
        .target(
            name: "TMWSSync",
            dependencies: ["TMWSCore"]
        ),
        // Benchmarks: a deterministic synthetic corpus and the measurement loops.
        .target(
            name: "TMWSBench",
            dependencies: ["TMWSCore"]
        ),
        // The executable: the only place that wires the adapters together.
        .executableTarget(
            name: "tmws",
            dependencies: [
                "TMWSCore", "TMWSSQLite", "TMWSHost", "TMWSBench", "TMWSMCP", "TMWSHTTP", "TMWSPostgres", "TMWSHubDomain", "TMWSHub", "TMWSTLS",
                "TMWSHubClient", "TMWSSync", "TMWSEmbedding",
                "TMWSCrypto", "TMWSKeys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "TMWSTestSupport",
            dependencies: ["TMWSCore", "TMWSSQLite", "TMWSHubDomain"]
        ),
        .testTarget(
            name: "TMWSEmbedTests",
            dependencies: [
                "TMWSCore", "TMWSEmbedding", "TMWSSync", "TMWSTestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TMWSCoreTests", dependencies: ["TMWSCore", "TMWSTestSupport"]),
        .testTarget(
            name: "TMWSSQLiteTests",
            dependencies: ["TMWSCore", "TMWSSQLite", "TMWSSync", "TMWSBench", "TMWSTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "TMWSCryptoTests", dependencies: ["TMWSCore", "TMWSCrypto", "TMWSKeys", "TMWSHubClient", "TMWSTLS", "TMWSTestSupport"]),
        .testTarget(name: "TMWSHostTests", dependencies: ["TMWSCore", "TMWSHost", "TMWSTestSupport"]),
        .testTarget(name: "TMWSCLITests", dependencies: ["tmws", "TMWSTestSupport"]),
        .testTarget(
            name: "TMWSHTTPTests",
            dependencies: [
                "TMWSCore", "TMWSHTTP", "TMWSTestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "TMWSMCPTests", dependencies: ["TMWSCore", "TMWSMCP", "TMWSTestSupport", .product(name: "MCP", package: "swift-sdk")]
        ),
        .testTarget(name: "TMWSClassificationTests", dependencies: ["TMWSCore", "TMWSBench"]),
        .testTarget(
            name: "TMWSSyncTests",
            dependencies: ["TMWSCore", "TMWSHubDomain", "TMWSSync", "TMWSSQLite", "TMWSTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TMWSHubTests",
            dependencies: [
                "TMWSCore", "TMWSCrypto", "TMWSHubDomain", "TMWSHub", "TMWSTestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "TMWSPostgresTests",
            dependencies: [
                "TMWSCore", "TMWSCrypto", "TMWSHubDomain", "TMWSPostgres", "TMWSTLS", "TMWSTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Compiler settings for every target of this package (not its dependencies): existentials
// are written `any P`, as the next language mode requires, and `TMWS_WARNINGS_AS_ERRORS=1`
// (set by `scripts/test`) turns every warning into an error, so none lands.
let warningsAsErrors = Context.environment["TMWS_WARNINGS_AS_ERRORS"] == "1"
for target in package.targets where target.type != .system && !target.name.hasPrefix("CTMWS") {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    if warningsAsErrors { settings.append(.unsafeFlags(["-warnings-as-errors"])) }
    target.swiftSettings = settings
}
