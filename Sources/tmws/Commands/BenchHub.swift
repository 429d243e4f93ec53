import ArgumentParser
import Foundation
import PostgresNIO
import TMWSBench
import TMWSCore
import TMWSHubClient
import TMWSHubDomain
import TMWSPostgres

/// `tmws bench hub`: the hub's GLOBAL search, in-process and over HTTPS.
struct BenchHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Benchmark the hub's GLOBAL search at N cloud memories (starts its own PostgreSQL).",
        discussion: """
            Starts a PostgreSQL cluster in a temporary directory (removed afterwards), loads --memories \
            GLOBAL memories of the synthetic corpus into one tenant, enrolls a device, and times \
            authenticated searches: in-process as the hub's API runs them (HubStore: one statement that \
            authenticates the device, sets the tenant and searches), in-process in two steps \
            (authenticate, then a tenant-scoped search transaction: the way before 0.20, for \
            comparison), and over HTTPS through the hub (TLS 1.3, a kept-alive connection, as a node \
            makes them). Reports p50/p95/p99 in milliseconds.
            """
    )

    @Option(help: ArgumentHelp("GLOBAL memories in the hub before measuring.", valueName: "n"))
    var memories = 10_000

    @Option(help: ArgumentHelp("Searches to time on each path.", valueName: "n"))
    var searches = 500

    @Flag(name: .long, help: "Print machine-readable JSON instead of a table.")
    var json = false

    struct Report: Encodable {
        var memories: Int
        var inProcess: LatencySummary
        var twoSteps: LatencySummary
        var https: LatencySummary

        enum CodingKeys: String, CodingKey {
            case memories
            case inProcess = "in_process_search_ms"
            case twoSteps = "in_process_two_steps_search_ms"
            case https = "https_search_ms"
        }
    }

    func run() async throws {
        let memories = self.memories
        let (inProcess, twoSteps, https) = try await BenchHubFixture.run { owner, tenant, user in
            let contents = SyntheticCorpus().items(memories).map(\.content)
            let indexTexts = contents.map(SearchText.indexText)
            try await owner.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content,
                                           search_text, created_at)
                SELECT \(tenant), gen_random_uuid(), 'GLOBAL', \(user), 'bench', 1, n, 'bench', c, s, now()
                FROM unnest(\(contents)::text[], \(indexTexts)::text[]) WITH ORDINALITY AS t(c, s, n)
                """,
                logger: HubLogging.quiet("tmws.bench")
            )
            try await owner.query("ANALYZE tmws.memories", logger: HubLogging.quiet("tmws.bench"))
        } body: { fixture, store, port in
            try await measure(store: store, port: port, caFile: fixture.caFile, token: try await fixture.enrollToken())
        }

        let report = Report(
            memories: memories, inProcess: LatencySummary(inProcess), twoSteps: LatencySummary(twoSteps), https: LatencySummary(https))
        if json { return try Terminal.printJSON(report) }
        var table = TextTable("GLOBAL SEARCH (ms)", "P50", "P95", "P99", "SAMPLES")
        table.append(latencyRow("in-process", report.inProcess))
        table.append(latencyRow("in-process, two steps", report.twoSteps))
        table.append(latencyRow("over HTTPS", report.https))
        print("\(memories) GLOBAL memories in one tenant")
        print(table.render())
    }

    /// Times `searches` authenticated searches in-process (one statement, then two steps),
    /// then over HTTPS.
    private func measure(store: HubStore, port: Int, caFile: String, token: String) async throws -> ([Duration], [Duration], [Duration]) {
        let (credential, _) = try await store.enroll(token: token, deviceName: "bench", agreementKey: nil, signingKey: nil)
        let queries = SyntheticCorpus.queries
        let clock = ContinuousClock()
        var (inProcess, twoSteps): ([Duration], [Duration]) = ([], [])
        for index in 0..<searches {
            let started = clock.now
            _ = try await store.searchGlobal(queries[index % queries.count], limit: 10, credential: credential)
            inProcess.append(clock.now - started)
        }
        for index in 0..<searches {
            let started = clock.now
            let device = try await store.authenticate(credential)
            _ = try await store.searchGlobal(queries[index % queries.count], limit: 10, as: device)
            twoSteps.append(clock.now - started)
        }
        let client = try HubClient(endpoint: try HubEndpoint(url: "https://127.0.0.1:\(port)", caFile: caFile, pin: nil))
        let cloud = HubCloud(client: client, credential: credential)
        var https: [Duration] = []
        for index in 0..<searches {
            let started = clock.now
            _ = try await cloud.searchGlobal(queries[index % queries.count], limit: 10, timeout: .seconds(10))
            https.append(clock.now - started)
        }
        return (inProcess, twoSteps, https)
    }
}
