import Foundation
import GRDB
import TMWSCore
import TMWSSQLite
import TMWSTestSupport
import Testing

/// Tags and metadata leave the machine with a memory, so they are classified like content,
/// on every write path of the service (add, update, import).
@Suite struct FieldClassificationTests {
    static let token = "ghp_" + "R7dXk2mQ9vLp4sTz8WcY1nBf6HjE3uKa0GqV"
    static let password = "Tr0ub4dor&3-horse"

    /// Everything the database holds about memories and their sync events, as text.
    func databaseText(_ fixture: StoreFixture) async throws -> String {
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        return try await pool.read { db in
            let memories = try Row.fetchAll(db, sql: "SELECT content, metadata FROM memory").map(\.description)
            let tags = try String.fetchAll(db, sql: "SELECT tag FROM memory_tag")
            let outbox = try String.fetchAll(db, sql: "SELECT payload FROM outbox")
            let audit = try Row.fetchAll(db, sql: "SELECT details FROM audit_log").map(\.description)
            return (memories + tags + outbox + audit).joined(separator: "\n")
        }
    }

    static let sensitiveFields: [(tags: [String], metadata: [String: JSONValue], type: String)] = [
        ([token], [:], "github_token"),
        (["deploy"], ["token": .string(token)], "github_token"),
        (["deploy"], ["password": .string(password)], "secret_assignment"),
        (["deploy"], ["db": .object(["credentials": .object(["password": .string(password)])])], "secret_assignment"),
        (["deploy"], ["notes": .array([.string("ok"), .string("my wifi password is \(password)")])], "secret_in_prose"),
        (["deploy"], [token: .string("a key that is itself a secret")], "github_token"),
        (["deploy"], ["card": .number(4_111_111_111_111_111)], "credit_card"),
        (["deploy"], ["url": .string("postgres://app:\(password)@db.internal:5432/app")], "url_with_password"),
    ]

    @Test func secretsInTagsOrMetadataAreRefusedInCloudScopes() async throws {
        let fixture = try StoreFixture()
        for (tags, metadata, type) in Self.sensitiveFields {
            for scope in [MemoryScope.global, .shared] {
                await #expect {
                    try await fixture.service.add(
                        .init(content: "Deploy checklist for the release", scope: scope, tags: tags, metadata: metadata), by: .cli)
                } throws: { error in
                    let error = try #require(error as? TMWSError)
                    return error.code == .refused && error.field == "scope" && error.message.contains(type) && !error.message.contains(Self.password)
                }
            }
        }
        #expect(try await fixture.service.statistics().total == 0)
        let text = try await databaseText(fixture)
        #expect(!text.contains(Self.token) && !text.contains(Self.password))
        #expect(text.contains("refused"))
    }

    @Test func secretsInTagsOrMetadataMakeAMemoryPrivate() async throws {
        let fixture = try StoreFixture()
        for (tags, metadata, type) in Self.sensitiveFields {
            for scope in [nil, MemoryScope.project] {
                let memory = try await fixture.service.add(
                    .init(content: "In general, best practice: deploy small changes", scope: scope, tags: tags, metadata: metadata), by: .cli)
                #expect(memory.scope == .private, "\(type)")
                #expect(memory.classification?.findingTypes.contains(type) == true, "\(type)")
            }
        }
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") } == 0)
    }

    @Test func redactionCoversTagsAndMetadata() async throws {
        let fixture = try StoreFixture()
        for (tags, metadata, type) in Self.sensitiveFields {
            let memory = try await fixture.service.add(
                .init(content: "Deploy checklist for the release", scope: .global, tags: tags, metadata: metadata, redact: true), by: .cli)
            #expect(memory.scope == .global, "\(type)")
            #expect(memory.classification?.redacted == true)
            let stored = String(decoding: try JSONEncoder().encode(memory), as: UTF8.self)
            #expect(!stored.contains(Self.token) && !stored.contains(Self.password) && !stored.contains("4111111111111111"), "\(type): \(stored)")
            #expect(stored.contains("[REDACTED:"), "\(type)")
        }
        let text = try await databaseText(fixture)
        #expect(!text.contains(Self.token) && !text.contains(Self.password) && !text.contains("4111111111111111"))
    }

    @Test func updatesClassifyTheFieldsTheyChange() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.add("Deploy checklist for the release", scope: .global)
        await #expect(throws: TMWSError.self) {
            try await fixture.service.update(memory.id, .init(metadata: ["api_key": .string(Self.token)]), by: .cli)
        }
        await #expect(throws: TMWSError.self) {
            try await fixture.service.update(memory.id, .init(tags: [Self.token]), by: .cli)
        }
        #expect(try await fixture.service.get(memory.id).version == 1)

        // Moving a memory whose metadata holds a secret into the cloud is refused too.
        let local = try await fixture.service.add(
            .init(content: "Deploy checklist", scope: .private, metadata: ["password": .string(Self.password)]), by: .cli)
        await #expect(throws: TMWSError.self) {
            try await fixture.service.update(local.id, .init(scope: .global), by: .cli)
        }
        let redacted = try await fixture.service.update(local.id, .init(scope: .global, redact: true), by: .cli)
        #expect(redacted.scope == .global)
        #expect(redacted.metadata["password"] != .string(Self.password))

        // A secret added to a local memory's metadata makes it PRIVATE.
        let project = try await fixture.add("Deploy checklist", scope: .project)
        let changed = try await fixture.service.update(project.id, .init(metadata: ["token": .string(Self.token)]), by: .cli)
        #expect(changed.scope == .private)
        let text = try await databaseText(fixture)
        #expect(!(try await outboxPayloads(fixture)).contains(Self.password))
        #expect(text.contains("[REDACTED:"))
    }

    func outboxPayloads(_ fixture: StoreFixture) async throws -> String {
        let pool = try DatabasePool(path: fixture.directory.file("tmws.db"))
        return try await pool.read { db in try String.fetchAll(db, sql: "SELECT payload FROM outbox").joined() }
    }

    @Test func importClassifiesTagsAndMetadata() async throws {
        let fixture = try StoreFixture()
        let lines = [
            #"{"content": "Deploy checklist", "scope": "GLOBAL", "metadata": {"auth": {"token": "\#(Self.token)"}}}"#
        ].map { ArraySlice(Array($0.utf8)) }
        await #expect {
            try await fixture.service.importLines(lines, by: .cli)
        } throws: { error in
            (error as? TMWSError)?.message.contains("line 1") == true && (error as? TMWSError)?.message.contains("github_token") == true
        }
        let privateLines = [#"{"content": "Deploy checklist", "tags": ["\#(Self.token)"]}"#].map { ArraySlice(Array($0.utf8)) }
        _ = try await fixture.service.importLines(privateLines, by: .cli)
        let page = try await fixture.service.list(ListRequest(filter: MemoryFilter(), limit: 10))
        #expect(page.memories.map(\.scope) == [.private])
        #expect(try await outboxPayloads(fixture).isEmpty)
    }

    @Test func ordinaryTagsAndMetadataChangeNothing() async throws {
        let fixture = try StoreFixture()
        let memory = try await fixture.service.add(
            .init(
                content: "Deploy checklist for the release", scope: .global, tags: ["deploy", "checklist", "token-rotation"],
                metadata: [
                    "source": .string("runbook"), "ticket": .string("OPS-4211"), "password_min_length": .number(12),
                    "commit": .string("3f786850e387550fdab836ed7e6dc881de23001b"),
                ]),
            by: .cli)
        #expect(memory.scope == .global)
        #expect(memory.classification?.findingTypes == [])
    }
}
