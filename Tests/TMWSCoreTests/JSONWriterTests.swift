import Foundation
import TMWSCore
import Testing

@Suite struct JSONWriterTests {
    static let classification = ClassificationRecord(
        automaticScope: .private, overridden: true, confidence: 0.875, reasons: ["a \"reason\"", "二つ目"],
        warnings: [], findingTypes: ["aws_access_key", "password_assignment"], knowledgeType: .universal, redacted: true
    )

    func memory(content: String, metadata: [String: JSONValue], importance: Double, expires: Date?) throws -> Memory {
        Memory(
            id: MemoryID.generate(at: .now), tenantID: "local", namespace: try Namespace(validating: "p"), scope: .global,
            content: content, tags: ["b", "a \"quoted\""], importance: importance, metadata: metadata, agentID: "cli",
            createdAt: Date(timeIntervalSince1970: 1_767_225_600.123), updatedAt: HybridTimestamp(millis: 1_767_225_600_124, counter: 3),
            version: 7, originDevice: "device", expiresAt: expires, accessCount: 2, accessedAt: nil, archived: false, deleted: false,
            classification: expires == nil ? nil : Self.classification
        )
    }

    @Test(arguments: [0.0, 0.5, 0.123456789])
    func changeEventsMatchJSONEncoder(importance: Double) throws {
        let created = try memory(content: "new \"text\" 日本語", metadata: ["k": .number(1)], importance: importance, expires: nil)
        var updated = try memory(content: "edited", metadata: [:], importance: importance, expires: Date(timeIntervalSince1970: 1_800_000_000))
        updated.version = 8
        var moved = updated
        moved.scope = .private
        let events = [
            ChangeEvent.forWrite(created, previous: nil, eventID: "e1", device: "laptop"),
            ChangeEvent.forWrite(updated, previous: created, eventID: "e2", device: "laptop"),
            ChangeEvent.forWrite(moved, previous: updated, eventID: "e3", device: "desk \"top\""),
        ]
        #expect(events.map { $0?.operation } == [.create, .update, .delete])
        for event in events.compactMap({ $0 }) {
            let expected = try JSONEncoder.tmws().encode(event)
            #expect(String(decoding: event.jsonBytes(), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            #expect(try ChangeEvent.decode(event.jsonData()).jsonBytes() == event.jsonBytes())
        }
        let record = Self.classification
        #expect(String(decoding: record.jsonBytes(), as: UTF8.self) == String(decoding: try JSONEncoder.tmws().encode(record), as: UTF8.self))
    }

    @Test(arguments: [0.0, 0.5, 1.0, 0.123456789, 1e-7])
    func theFastWriterMatchesJSONEncoder(importance: Double) throws {
        let samples = [
            try memory(content: "plain", metadata: [:], importance: importance, expires: nil),
            try memory(
                content: "quotes \" backslash \\ slash / newline \n tab \t control \u{1} \u{1f} bell \u{8} feed \u{c} 日本語 😀 \u{2028}",
                metadata: ["z": .array([.number(1), .number(2.5), .null, .bool(true)]), "a": .object(["nested": .string("x")])],
                importance: importance, expires: Date(timeIntervalSince1970: 1_800_000_000)
            ),
        ]
        for sample in samples {
            let expected = try JSONEncoder.tmws().encode(sample)
            #expect(String(decoding: sample.jsonBytes(), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test(arguments: [0.0, 2.5, 1e-6, 3.1415926535, 12.000001])
    func searchAndPageResultsMatchJSONEncoder(score: Double) throws {
        let memories = [
            try memory(content: "one", metadata: [:], importance: 0.5, expires: nil),
            try memory(content: "two \"quoted\"", metadata: ["k": .string("v")], importance: 1, expires: nil),
        ]
        let search = SearchResults(memories.map { SearchHit(memory: $0, score: score) })
        #expect(String(decoding: search.jsonBytes(), as: UTF8.self) == String(decoding: try JSONEncoder.tmws().encode(search), as: UTF8.self))
        for cursor in [nil, "0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f"] {
            let page = MemoryPageResult(MemoryPage(memories: memories, nextCursor: cursor))
            #expect(String(decoding: page.jsonBytes(), as: UTF8.self) == String(decoding: try JSONEncoder.tmws().encode(page), as: UTF8.self))
        }
        let empty = SearchResults([])
        #expect(String(decoding: empty.jsonBytes(), as: UTF8.self) == String(decoding: try JSONEncoder.tmws().encode(empty), as: UTF8.self))
    }
}
