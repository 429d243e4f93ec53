import Foundation
import TMWSCore
import Testing

@Suite struct JSONWriterTests {
    func memory(content: String, metadata: [String: JSONValue], importance: Double, expires: Date?) throws -> Memory {
        Memory(
            id: MemoryID.generate(at: .now), tenantID: "local", namespace: try Namespace(validating: "p"), scope: .global,
            content: content, tags: ["b", "a \"quoted\""], importance: importance, metadata: metadata, agentID: "cli",
            createdAt: Date(timeIntervalSince1970: 1_767_225_600.123), updatedAt: HybridTimestamp(millis: 1_767_225_600_124, counter: 3),
            version: 7, originDevice: "device", expiresAt: expires, accessCount: 2, accessedAt: nil, archived: false, deleted: false
        )
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
}
