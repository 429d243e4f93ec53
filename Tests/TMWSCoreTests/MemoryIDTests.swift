import Foundation
import TMWSCore
import TMWSTestSupport
import Testing

@Suite struct MemoryIDTests {
    @Test func generatedIDsAreVersion7WithTheRFCVariant() {
        let id = MemoryID.generate(at: Date())
        #expect(id.version == 7)
        let variant = id.uuid.uuid.8 >> 6
        #expect(variant == 0b10)
        #expect(id.description == id.description.lowercased())
    }

    @Test func idsSortByCreationTime() {
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let ids = (0..<50).map { MemoryID.generate(at: start.addingTimeInterval(Double($0) * 0.002)) }
        #expect(ids == ids.sorted())
        #expect(ids.map(\.description) == ids.map(\.description).sorted())
    }

    @Test func theTimestampIsTheFirst48Bits() throws {
        let date = Date(timeIntervalSince1970: 1_767_225_600.123)
        let id = MemoryID.generate(at: date)
        let hex = id.description.replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(hex, radix: 16) == 1_767_225_600_123)
    }

    @Test(arguments: ["", "nope", "01a22504-88f9-7a84-aa7d", "01a22504-88f9-7a84-aa7d-31d16f62da98x", "{01a22504-88f9-7a84-aa7d-31d16f62da98}"])
    func malformedIDsAreRejected(_ text: String) {
        #expect(throws: TMWSError.self) { try MemoryID(parsing: text) }
    }

    @Test func theTextFormIsFoundationsInLowerCase() {
        for _ in 0..<100 {
            let uuid = UUID()
            #expect(MemoryID(uuid: uuid).description == uuid.uuidString.lowercased())
        }
    }

    @Test func upperCaseIDsParseToTheCanonicalForm() throws {
        let id = try MemoryID(parsing: "01A22504-88F9-7A84-AA7D-31D16F62DA98")
        #expect(id.description == "01a22504-88f9-7a84-aa7d-31d16f62da98")
    }
}

@Suite struct MemoryScopeTests {
    @Test func cloudScopesAreSharedAndGlobalOnly() {
        #expect(MemoryScope.allCases.filter(\.isCloud) == [.shared, .global])
        #expect(MemoryScope.allCases.filter(\.isLocal) == [.private, .project])
        #expect(MemoryScope.default == .project)
    }

    @Test func scopesParseCaseInsensitively() throws {
        #expect(try MemoryScope(parsing: "global") == .global)
        #expect(try MemoryScope(parsing: " Private ") == .private)
    }

    @Test func anUnknownScopeNamesTheChoices() {
        let error = #expect(throws: TMWSError.self) { try MemoryScope(parsing: "PUBLIC") }
        #expect(error?.message == "unknown scope 'PUBLIC'; expected one of PRIVATE, PROJECT, SHARED, GLOBAL")
        #expect(error?.code == .invalidInput)
    }
}

@Suite struct HybridTimestampTests {
    @Test func readingsIncreaseEvenWhenTheWallClockStepsBack() throws {
        let clock = TestClock()
        var last: HybridTimestamp?
        var readings: [HybridTimestamp] = []
        for step in [0.0, 0.0, -5.0, 0.001, 10.0, -20.0] {
            clock.advance(by: step)
            let next = try HybridTimestamp.next(after: last, now: clock.now())
            readings.append(next)
            last = next
        }
        #expect(readings == readings.sorted())
        #expect(Set(readings).count == readings.count)
    }

    @Test func aLaterWallClockResetsTheCounter() throws {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let first = try HybridTimestamp.next(after: nil, now: now)
        let second = try HybridTimestamp.next(after: first, now: now)
        #expect(second.counter == 1)
        let third = try HybridTimestamp.next(after: second, now: now.addingTimeInterval(1))
        #expect(third.counter == 0)
        #expect(third.millis == first.millis + 1000)
    }
}

@Suite struct ISO8601Tests {
    @Test func everyMillisecondSurvivesARoundTrip() {
        for millis in stride(from: Int64(1_767_225_600_000), to: 1_767_225_602_000, by: 1) {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let text = ISO8601.string(from: date)
            let parsed = ISO8601.date(from: text)
            #expect(parsed.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == millis, "\(text)")
        }
        #expect(ISO8601.string(from: Date(timeIntervalSince1970: 1_767_225_600.5)) == "2026-01-01T00:00:00.500Z")
        // Agrees with Foundation to the second across leap years, month ends and before 1970
        // (Foundation truncates the milliseconds of binary fractions, the reason for ours).
        let foundation = Date.ISO8601FormatStyle()
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &random)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let ours = ISO8601.string(from: date)
            #expect(ours.prefix(19) == foundation.format(date).prefix(19), "\(millis)")
            #expect(Int(ours.dropFirst(20).prefix(3)) == Int(((millis % 1000) + 1000) % 1000), "\(millis)")
        }
        #expect(ISO8601.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(ISO8601.date(from: "2026-01-01") == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(ISO8601.date(from: "yesterday") == nil)
    }
}
