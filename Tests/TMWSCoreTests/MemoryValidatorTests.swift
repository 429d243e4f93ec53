import Foundation
import TMWSCore
import Testing

@Suite struct MemoryValidatorTests {
    let validator = MemoryValidator(limits: MemoryLimits(maximumContentLength: 20))
    let now = Date(timeIntervalSince1970: 1_767_225_600)
    let namespace = try! Namespace(validating: "p")

    func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as TMWSError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func contentRules() {
        #expect(message { _ = try validator.validateContent("") } == "content is empty or only whitespace")
        #expect(message { _ = try validator.validateContent(" \n\t ") } == "content is empty or only whitespace")
        #expect(message { _ = try validator.validateContent("a\u{0}b") } == "content contains a NUL character")
        #expect(
            message { _ = try validator.validateContent(String(repeating: "x", count: 21)) }
                == "content is 21 characters long; the limit is 20 (memory.max_content_chars)")
        #expect(message { _ = try validator.validateContent(String(repeating: "x", count: 20)) } == nil)
    }

    @Test func theLimitCountsCharactersNotBytes() {
        // 20 Japanese characters are 60 UTF-8 bytes and still within a 20-character limit.
        #expect(message { _ = try validator.validateContent(String(repeating: "記", count: 20)) } == nil)
    }

    @Test func errorsNeverEchoContent() {
        let secret = "hunter2-" + String(repeating: "s", count: 30)
        let text = message { _ = try validator.validateContent(secret) }
        #expect(text?.contains("hunter2") == false)
    }

    @Test func importanceMustBeWithinZeroAndOne() {
        #expect(message { _ = try validator.validateImportance(-0.01) } == "importance must be between 0 and 1, got -0.01")
        #expect(message { _ = try validator.validateImportance(1.5) } == "importance must be between 0 and 1, got 1.5")
        #expect(message { _ = try validator.validateImportance(.nan) } != nil)
        #expect(message { _ = try validator.validateImportance(0) } == nil)
        #expect(message { _ = try validator.validateImportance(1) } == nil)
    }

    @Test func ttlMustBeOneToThreeThousandSixHundredFiftyDays() throws {
        #expect(message { _ = try validator.expiry(ttlDays: 0, from: now) } == "ttl_days must be between 1 and 3650, got 0")
        #expect(message { _ = try validator.expiry(ttlDays: 3651, from: now) } == "ttl_days must be between 1 and 3650, got 3651")
        #expect(try validator.expiry(ttlDays: 1, from: now) == now.addingTimeInterval(86_400))
        #expect(try validator.expiry(ttlDays: 3650, from: now) == now.addingTimeInterval(3650 * 86_400))
    }

    @Test func tagsAreTrimmedDeduplicatedAndSorted() throws {
        #expect(try validator.validateTags([" b", "a", "b "]) == ["a", "b"])
        #expect(message { _ = try validator.validateTags([""]) } == "a tag is empty")
        #expect(message { _ = try validator.validateTags(["a,b"]) } == "a tag contains a comma or a control character")
        #expect(message { _ = try validator.validateTags((0..<33).map { "t\($0)" }) } == "at most 32 tags are allowed, got 33")
    }

    @Test func metadataWithNULIsRejected() {
        #expect(message { _ = try validator.validateMetadata(["k": .string("a\u{0}")]) } == "metadata contains a NUL character")
    }
}

@Suite struct MemoryImportLineTests {
    let validator = MemoryValidator()
    let namespace = try! Namespace(validating: "p")
    let now = Date(timeIntervalSince1970: 1_767_225_600)

    @Test func aMinimalLineTakesTheDefaults() throws {
        let line = try MemoryImportLine.decode(Array(#"{"content": "hello"}"#.utf8))
        let draft = try line.draft(validator: validator, defaultScope: .project, defaultNamespace: namespace, now: now)
        #expect(draft.content == "hello")
        #expect(draft.scope == .project)
        #expect(draft.namespace == namespace)
        #expect(draft.id == nil)
    }

    @Test func invalidUTF8AndMalformedJSONAreNamed() {
        #expect(throws: TMWSError.self) { try MemoryImportLine.decode([0x7B, 0xFF, 0x7D]) }
        let error = #expect(throws: TMWSError.self) { try MemoryImportLine.decode(Array(#"{"content": 5}"#.utf8)) }
        #expect(error?.message == "it is not a JSON object of a memory ('content' has the wrong type)")
    }

    @Test func anEscapedNULInJSONIsStillRejected() throws {
        let line = try MemoryImportLine.decode(Array(#"{"content": "a\u0000b"}"#.utf8))
        #expect(throws: TMWSError.self) {
            try line.draft(validator: validator, defaultScope: .project, defaultNamespace: namespace, now: now)
        }
    }
}
