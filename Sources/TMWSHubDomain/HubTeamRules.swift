import Foundation
import TMWSCore
import TMWSCrypto

/// The hub's rules for a team's log: every entry verified with the whole chain, the keys an
/// entry may carry, what a new entry must hold that older ones did not.
package enum HubTeamRules {
    /// A new team's id must be the one its first entry derives; `acceptingLegacyID` for the
    /// log of a team the hub holds already.
    package static func verified(_ entries: [MembershipEntry], _ device: AuthenticatedDevice, acceptingLegacyID: Bool = false) throws -> TeamState {
        do {
            return try MembershipLog.verify(entries, tenant: device.tenantID, team: entries[0].team, acceptingLegacyID: acceptingLegacyID)
        } catch let failure as CryptoFailure {
            throw TMWSError(.invalidInput, failure.description, field: "entry")
        }
    }

    /// What keys an entry may carry: the creator's for epoch 1; the added devices' at the
    /// current epoch; the remaining devices' for a new epoch (every one of them, by an admin's
    /// removal or an admin's rotation); the rotating device's own, at any epoch it had. Nothing
    /// else, so no member replaces another device's keys or wraps one at an older epoch.
    package static func checkWraps(_ change: TeamChange, state: TeamState, before: TeamState?) throws {
        let entry = change.entry
        let allowed: Set<UUID>
        let newEpoch: Int?
        let startsEpoch = before.map { state.epoch == $0.epoch + 1 } ?? (entry.action == .create)
        switch entry.action {
        case .create, .add: (allowed, newEpoch) = (Set(entry.devices.map(\.id)), entry.action == .create ? 1 : nil)
        case .remove: (allowed, newEpoch) = (Set(state.devices.map(\.id)), state.epoch)
        case .rotateKeys: (allowed, newEpoch) = startsEpoch ? (Set(state.devices.map(\.id)), state.epoch) : ([entry.signer], nil)
        }
        for wrap in change.keys {
            let ownOlder = entry.action == .rotateKeys && wrap.device == entry.signer && (1...state.epoch).contains(wrap.epoch)
            guard allowed.contains(wrap.device), wrap.epoch == state.epoch || ownOlder,
                let data = Data(base64Encoded: wrap.wrapped), (33...256).contains(data.count)
            else { throw TMWSError(.invalidInput, "a wrapped key is only for the devices this entry adds or keeps, at the team's epoch", field: "keys") }
        }

        if let newEpoch {
            let devices = Set(state.devices.map(\.id))
            guard Set(change.keys.filter { $0.epoch == newEpoch }.map(\.device)) == devices else {
                throw TMWSError(.invalidInput, "a new epoch's key is wrapped to every device of the team", field: "keys")
            }
            guard newEpoch == 1 || change.previousKey.flatMap({ Data(base64Encoded: $0) }) != nil else {
                throw TMWSError(.invalidInput, "a new epoch carries the previous epoch's key sealed under it", field: "previous_key")
            }
        }
    }

    /// A new team's name: 1 to 200 characters on one line, as signed.
    package static func name(of entry: MembershipEntry) throws -> String {
        let name = try HubInputRules.name(entry.teamName, of: "team")
        guard name == entry.teamName else { throw TMWSError(.invalidInput, "a team name is signed as it is, without spaces around it", field: "name") }
        return name
    }

    /// What entries made before carried optionally, a new one must: a removal or a key
    /// rotation ends tenures at a cut-off on the hybrid clock.
    package static func checkNew(_ entry: MembershipEntry) throws {
        if entry.action == .remove || entry.action == .rotateKeys {
            guard let cutoff = entry.cutoff, cutoff > 0 else {
                throw TMWSError(.invalidInput, "a removal or key rotation carries its cut-off (update tmws on this device)", field: "entry")
            }
        }
    }
}
