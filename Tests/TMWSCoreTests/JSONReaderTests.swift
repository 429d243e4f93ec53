import Foundation
import TMWSCore
import Testing

/// The reader sync uses for change events: strict JSON, and the same events `Codable` reads.
@Suite struct JSONReaderTests {
    func event(content: String, metadata: [String: JSONValue], classification: ClassificationRecord?, base: Bool) throws -> ChangeEvent {
        var memory = Memory(
            id: MemoryID.generate(at: Date(timeIntervalSince1970: 1_767_225_600)), tenantID: "t", namespace: try Namespace(validating: "proj-x"),
            scope: .global, content: content, tags: ["a", "日本語"], importance: 0.75, metadata: metadata, agentID: "claude-code",
            createdAt: Date(timeIntervalSince1970: 1_767_225_600), updatedAt: HybridTimestamp(millis: 1_767_225_600_123, counter: 7),
            version: 3, originDevice: "dev-1", expiresAt: Date(timeIntervalSince1970: 1_800_000_000), accessCount: 0, accessedAt: nil,
            archived: false, deleted: false, classification: classification
        )
        let previous = memory
        memory.version = 4
        memory.updatedAt = HybridTimestamp(rawValue: memory.updatedAt.rawValue + 1)
        return try #require(ChangeEvent.forWrite(memory, previous: base ? previous : nil, eventID: UUID().uuidString, device: "dev-2"))
    }

    @Test func readsTheEventsCodableReads() throws {
        let classification = ClassificationRecord(
            automaticScope: .global, overridden: true, confidence: 0.8, reasons: ["universal knowledge"], warnings: [],
            findingTypes: ["email"], knowledgeType: .universal, redacted: false
        )
        let events = [
            try event(content: "plain", metadata: [:], classification: nil, base: false),
            try event(
                content: "quotes \" backslash \\ tab \t newline \n emoji 🎉 nul-free \u{7F} 日本語のメモ",
                metadata: ["n": .number(3), "f": .number(0.25), "deep": .object(["list": .array([.bool(true), .null, .string("x")])])],
                classification: classification, base: true
            ),
        ]
        for event in events {
            let bytes = event.jsonBytes()
            #expect(try ChangeEvent.decode(bytes) == event)
            #expect(try ChangeEvent.decode(bytes) == (try JSONDecoder().decode(ChangeEvent.self, from: Data(bytes))))
            // Pretty-printed and reordered by JSONSerialization: still the same event.
            let reshaped = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(bytes)), options: [.prettyPrinted])
            #expect(try ChangeEvent.decode(reshaped).eventID == event.eventID)
        }
        // 64-bit clock readings survive exactly (a Double would round them).
        #expect(try ChangeEvent.decode(events[0].jsonBytes()).clock == events[0].clock)
    }

    @Test func escapesAndNumbersFollowRFC8259() throws {
        #expect(try JSONReader.parse(Array(#"  "a\u00e9\ud83d\ude00\/\b\f\n\r\t"  "#.utf8)) == .string("aé😀/\u{8}\u{c}\n\r\t"))
        #expect(
            try JSONReader.parse(Array("[0, -1, 9223372036854775807, 1.5e3, -0.25]".utf8))
                == .array([.integer(0), .integer(-1), .integer(.max), .double(1500), .double(-0.25)]))
        #expect(try JSONReader.parse(Array("18446744073709551616".utf8)) == .double(18_446_744_073_709_551_616))
        #expect(try JSONReader.parse(Array(#"{"a":{"b":[]},"c":{}}"#.utf8)) == .object(["a": .object(["b": .array([])]), "c": .object([:])]))
    }

    @Test func refusesWhatIsNotJSON() {
        let bad = [
            "", "{", "[1,]", "{\"a\":1,}", "{a:1}", "'x'", "01", "1.", ".5", "1e", "-", "+1", "tru", "nul", "[1 2]",
            "\"unterminated", "\"tab\tinside\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "{} {}", "1e999", "NaN", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ]
        for text in bad {
            #expect(throws: JSONReader.SyntaxError.self, "\(text.prefix(20))") { try JSONReader.parse(Array(text.utf8)) }
        }
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func aWrongFieldIsNamedNeverEchoed() throws {
        let secret = "hunter2-do-not-echo"
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(try event(content: "x", metadata: [:], classification: nil, base: true).jsonBytes())) as? [String: Any])
        object["version"] = secret
        let error = try #require(throws: TMWSError.self) { try ChangeEvent.decode(try JSONSerialization.data(withJSONObject: object)) }
        #expect(error.code == .invalidInput && error.message.contains("version") && !error.message.contains(secret))
        object["version"] = 4
        object["memory"] = nil
        #expect(throws: TMWSError.self) { try ChangeEvent.decode(try JSONSerialization.data(withJSONObject: object)) }
        object["v"] = 2
        #expect(throws: TMWSError.self) { try ChangeEvent.decode(try JSONSerialization.data(withJSONObject: object)) }
    }
}
