import Foundation
import TMWSCore
import TMWSCrypto

/// What the hub takes as a name, a device's keys, a role or a rollout setting: one rule for
/// each, whichever door (a device's request, an operator's command) it comes in by.
package enum HubInputRules {
    /// A tenant's, user's, team's or device's name, trimmed: 1 to 200 characters on one line,
    /// with no control character (an operator's terminal prints these names); a UUID only
    /// where an id can never be mistaken for it (`allowingUUID`).
    package static func name(_ text: String, of what: String, field: String = "name", allowingUUID: Bool = true) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let oneLine = !name.unicodeScalars.contains {
            [.control, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory)
        }
        guard (1...200).contains(name.count), oneLine, allowingUUID || UUID(uuidString: name) == nil else {
            throw TMWSError(.invalidInput, "a \(what) name is 1 to 200 characters on one line\(allowingUUID ? "" : ", and not a UUID")", field: field)
        }
        return name
    }

    /// A device's public keys, where given: 32 bytes each, and an agreement key that can agree
    /// a secret (not a point of small order, which would make every key wrapped to it public).
    package static func checkDeviceKeys(agreement: [UInt8]?, signing: [UInt8]?) throws {
        for (key, field) in [(agreement, "agreement_key"), (signing, "signing_key")] {
            if let key, key.count != 32 { throw TMWSError(.invalidInput, "\(field) must be a 32-byte public key (base64)", field: field) }
        }
        if let agreement, !DevicePublicKeys.isUsableAgreementKey(agreement) {
            throw TMWSError(.invalidInput, "agreement_key is a point of small order: no secret can be agreed with it", field: "agreement_key")
        }
    }

    /// A team member's role.
    package static func checkRole(_ role: String) throws {
        guard ["admin", "member"].contains(role) else { throw TMWSError(.invalidInput, "role must be admin or member", field: "role") }
    }

    /// A tenant's rollout settings, where given.
    package static func checkRollout(percent: Int?, syncIntervalSeconds interval: Int?) throws {
        if let percent, !(0...100).contains(percent) { throw TMWSError(.invalidInput, "the percentage is 0 to 100", field: "percent") }
        if let interval, !(1...86_400).contains(interval) {
            throw TMWSError(.invalidInput, "the sync interval is 1 to 86400 seconds", field: "sync_interval_s")
        }
    }
}
