import Foundation
import TMWSCore
import TMWSHubDomain
import Testing

/// One rule for each name, key, role and setting the hub takes, whichever door it comes in by
/// (a device's enrollment or key rotation, an operator's command, a team's signed first entry).
@Suite struct HubInputRulesTests {
    @Test func namesAreOneLineWithoutControlsAndTrimmed() throws {
        #expect(try HubInputRules.name("  laptop  ", of: "device") == "laptop")
        #expect(try HubInputRules.name("開発チーム", of: "team") == "開発チーム")
        for bad in ["", "   ", String(repeating: "a", count: 201), "two\nlines", "a\u{2028}b", "bell\u{7}", "\u{1b}[31mred", "nul\u{0}"] {
            #expect(throws: TMWSError.self, "\(bad.debugDescription)") { try HubInputRules.name(bad, of: "user") }
        }
        // An operator names things by name or id: a name that reads as an id would shadow one.
        let id = UUID().uuidString
        #expect(try HubInputRules.name(id, of: "device") == id)
        #expect(throws: TMWSError.self) { try HubInputRules.name(id, of: "user", allowingUUID: false) }
    }

    @Test func deviceKeysAre32BytesAndAgreeASecret() throws {
        let good = Array(repeating: UInt8(9), count: 32)
        try HubInputRules.checkDeviceKeys(agreement: good, signing: good)
        try HubInputRules.checkDeviceKeys(agreement: nil, signing: nil)
        #expect(throws: TMWSError.self) { try HubInputRules.checkDeviceKeys(agreement: Array(good.prefix(31)), signing: good) }
        #expect(throws: TMWSError.self) { try HubInputRules.checkDeviceKeys(agreement: good, signing: good + [0]) }
        // Points of small order: every key wrapped to them would be readable by anyone.
        var one = Array(repeating: UInt8(0), count: 32)
        one[0] = 1
        for small in [Array(repeating: UInt8(0), count: 32), one] {
            #expect(throws: TMWSError.self) { try HubInputRules.checkDeviceKeys(agreement: small, signing: good) }
        }
    }

    @Test func rolesAndRolloutSettingsHaveTheirRanges() throws {
        try HubInputRules.checkRole("admin")
        try HubInputRules.checkRole("member")
        #expect(throws: TMWSError.self) { try HubInputRules.checkRole("owner") }
        try HubInputRules.checkRollout(percent: 0, syncIntervalSeconds: 86_400)
        try HubInputRules.checkRollout(percent: nil, syncIntervalSeconds: nil)
        #expect(throws: TMWSError.self) { try HubInputRules.checkRollout(percent: 101, syncIntervalSeconds: nil) }
        #expect(throws: TMWSError.self) { try HubInputRules.checkRollout(percent: nil, syncIntervalSeconds: 0) }
    }
}
