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

    /// A tenant with a device and these GLOBAL memories; returns the device, its credential
    /// and the tenant's name.
    static func tenant(
        _ running: TestCluster.Running, _ store: HubStore, contents: [String]
    ) async throws -> (device: AuthenticatedDevice, credential: String, tenant: String) {
        let name = "search-\(UUID().uuidString.prefix(8))"
        let token = try await withConnection(running.owner) { db in
            let admin = HubAdmin(connection: db, logger: logger)
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
        return (try await store.authenticate(credential), credential, name)
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
            let (device, credential, _) = try await Self.tenant(running, store, contents: notes)
            let (other, otherCredential, _) = try await Self.tenant(running, store, contents: ["バックアップは別テナントの秘密の手順"])
            // Both ways of searching (authenticated first, or inside the search's one
            // statement) find the same memories in the same order.
            func top(_ query: String, as who: AuthenticatedDevice = device) async throws -> String? {
                let found = try await store.searchGlobal(query, limit: 5, as: who)
                let inOne = try await store.searchGlobal(query, limit: 5, credential: who == device ? credential : otherCredential)
                #expect(found.map(\.memory.id) == inOne.map(\.memory.id) && found.map(\.score) == inOne.map(\.score), "\(query)")
                return found.first?.memory.content
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

    /// The one-statement search refuses, alike, every credential that is not a live device's:
    /// a wrong secret, one tenant's device named under another tenant, a malformed text and a
    /// revoked device. A refused search reads nothing.
    @Test func theOneStatementSearchRefusesEveryCredentialButALiveDevicesAlike() async throws {
        let running = try await TestCluster.shared.start()
        let database = try await HubDatabase.connect(url: running.runtime, maximumConnections: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.client.run() }
            let store = HubStore(database: database, logger: Self.logger)
            let (_, credential, tenant) = try await Self.tenant(running, store, contents: ["rotate the signing keys every quarter"])
            let (other, _, _) = try await Self.tenant(running, store, contents: ["another tenant's note"])
            #expect(try await store.searchGlobal("signing keys", limit: 5, credential: credential).count == 1)
            let parts = credential.split(separator: "_").map(String.init)
            let wrongSecret = parts[0...2].joined(separator: "_") + "_" + String(repeating: "0", count: 64)
            let otherTenant = [parts[0], other.tenantID.uuidString.lowercased(), parts[2], parts[3]].joined(separator: "_")
            let otherDevice = [parts[0], parts[1], other.deviceID.uuidString.lowercased(), parts[3]].joined(separator: "_")
            for refused in [wrongSecret, otherTenant, otherDevice, "tmwsd_garbage", credential + "0", ""] {
                do {
                    _ = try await store.searchGlobal("signing keys", limit: 5, credential: refused)
                    Issue.record("a search with a refused credential answered")
                } catch let error as TMWSError {
                    #expect(error.code == .unauthorized && error == HubErrors.unauthorized(), "\(error)")
                }
            }
            try await withConnection(running.owner) { db in
                try await HubAdmin(connection: db, logger: Self.logger).revokeDevice(tenant: tenant, device: parts[2])
            }
            await #expect(throws: HubErrors.unauthorized()) { try await store.searchGlobal("signing keys", limit: 5, credential: credential) }
            group.cancelAll()
        }
    }
}
