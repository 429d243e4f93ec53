import Foundation
import Logging
import NIOCore
import PostgresNIO
import TMWSCore
import TMWSHubDomain
import TMWSPostgres
import Testing

/// GLOBAL search on the hub, through HubStore as the runtime role: English and Japanese
/// written without spaces, query text that is tsquery syntax, and another tenant's memories.
@Suite(.serialized) struct HubSearchTests {
    static let logger = Logger(label: "test")

    /// A tenant with a device and these GLOBAL memories; returns the device.
    static func tenant(_ running: TestCluster.Running, _ store: HubStore, contents: [String]) async throws -> AuthenticatedDevice {
        let token = try await withConnection(running.owner) { db in
            let admin = HubAdmin(connection: db, logger: logger)
            let name = "search-\(UUID().uuidString.prefix(8))"
            let tenant = try await admin.createTenant(name: name)
            let user = try await admin.createUser(tenant: name, name: "ann")
            try await db.query(
                """
                INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc, origin_device, content,
                                           search_text, created_at)
                SELECT \(tenant), gen_random_uuid(), 'GLOBAL', \(user), 'p', 1, n, 'x', c, s, now()
                FROM unnest(\(contents)::text[], \(contents.map(SearchText.indexText))::text[]) WITH ORDINALITY AS t(c, s, n)
                """,
                logger: logger
            )
            return try await admin.enrollToken(tenant: name, user: "ann").token
        }
        let (credential, _) = try await store.enroll(token: token, deviceName: "laptop", agreementKey: nil, signingKey: nil)
        return try await store.authenticate(credential)
    }

    @Test func japaneseQuestionsAndEnglishWordsFindTheirNotes() async throws {
        let running = try await TestCluster.shared.start()
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            let store = HubStore(database: database, logger: Self.logger)
            let notes = [
                "バックアップは毎日午前3時に取得している",
                "監査ログでレート制限が起きたときは、まずトークンのローテーションを確認する",
                "Deploys go through the staging cluster first",
                "東京リージョンのデータベースは読み取り専用レプリカを二台持つ",
            ]
            let device = try await Self.tenant(running, store, contents: notes)
            let other = try await Self.tenant(running, store, contents: ["バックアップは別テナントの秘密の手順"])
            func top(_ query: String, as who: AuthenticatedDevice = device) async throws -> String? {
                try await store.searchGlobal(query, limit: 5, as: who).first?.memory.content
            }
            #expect(try await top("バックアップはいつ取る？") == notes[0])
            #expect(try await top("監査ログでレート制限が起きたときの対処方法") == notes[1])
            #expect(try await top("staging cluster") == notes[2])
            #expect(try await top("データベース") == notes[3])
            #expect(try await top("東京") == notes[3])
            #expect(try await top("バックアップ", as: other) == "バックアップは別テナントの秘密の手順")
            // tsquery syntax in a query is plain text: it searches, or (no word in it) is refused
            // as bad input; it is never a database error or an injection.
            for hostile in ["a & !b | (c", "'; DROP TABLE x; --", "back\\slash 'quote'", "<-> :* &", "***"] {
                do {
                    _ = try await store.searchGlobal(hostile, limit: 5, as: device)
                } catch let error as TMWSError {
                    #expect(error.code == .invalidInput, "\(hostile): \(error)")
                }
            }
            #expect(try await store.searchGlobal("'; DROP TABLE x; --", limit: 5, as: device).isEmpty)
            await #expect(throws: TMWSError.self) { try await store.searchGlobal("  ", limit: 5, as: device) }
            await #expect(throws: TMWSError.self) { try await store.searchGlobal("x", limit: 0, as: device) }
            group.cancelAll()
        }
    }
}
