import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TMWSCore
import TMWSCrypto
import TMWSHost
import TMWSHubClient
import TMWSKeys
import TMWSSQLite

/// How this node reaches its device keys and its teams: the key provider from the
/// configuration or the environment, the keystore in `$TMWS_HOME/keys`, and the keyring over
/// the enrolled hub.
enum KeyAccess {
    /// The provider for the device keys: `keys.command`, else `TMWS_KEY_PASSPHRASE`, else a
    /// prompt on a terminal; `unprotected` only when asked for.
    static func provider(_ context: AppContext, creating: Bool, unprotected: Bool = false) throws -> KeyProvider {
        if unprotected { return .unprotected }
        if let command = context.configuration.keyCommand, !command.isEmpty { return .command(command) }
        if let passphrase = ProcessInfo.processInfo.environment["TMWS_KEY_PASSPHRASE"], !passphrase.isEmpty { return .passphrase(passphrase) }
        if isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 {
            let first = prompt(creating ? "New passphrase for this device's keys: " : "Passphrase for this device's keys: ")
            if creating, prompt("Again: ") != first { throw TMWSError(.invalidInput, "the passphrases differ") }
            return .passphrase(first)
        }
        throw TMWSError(
            .configuration,
            "the device keys need a key provider: set TMWS_KEY_PASSPHRASE, set keys.command (TMWS_KEY_COMMAND) to a key helper, "
                + "or run from a terminal to be asked"
                + (creating ? "; --unprotected-keys stores them without protection (mode 0600)" : "")
        )
    }

    private static func prompt(_ text: String) -> String {
        guard let line = getpass(text) else { return "" }
        return String(cString: line)
    }

    static func keystore(_ context: AppContext) -> DeviceKeystore { DeviceKeystore(home: context.configuration.home) }

    /// Opens the device keys (asking the provider).
    static func unlock(_ context: AppContext) throws -> DeviceKeyPair {
        try keystore(context).open { try provider(context, creating: false) }
    }

    /// The keyring over the enrolled hub, with pins kept in the node's sync settings.
    static func keyring(_ context: AppContext, store: SQLiteMemoryStore, enrollment: CloudEnrollment, cloud: HubCloud) throws -> HubTeamKeyring {
        let pins = HubTeamKeyring.Pins(
            load: { team in try await store.syncSetting("team." + team.uuidString.lowercased()).flatMap(MembershipLog.Pin.init) },
            save: { team, pin in try await store.setSyncSetting("team." + team.uuidString.lowercased(), pin.description) }
        )
        let keystore = keystore(context)
        return try HubTeamKeyring(
            identity: enrollment.identity, cloud: cloud, pins: pins, unlock: { try unlock(context) }, stored: { try? keystore.publicKeys() }
        )
    }

    /// The transport sync uses: the hub, with SHARED memories sealed and opened.
    static func transport(_ context: AppContext, store: SQLiteMemoryStore, cloud: HubCloud) throws -> any SyncTransport {
        guard let enrollment = try CloudEnrollment.load(home: context.configuration.home) else { return cloud }
        let keyring = try keyring(context, store: store, enrollment: enrollment, cloud: cloud)
        return SealingTransport(base: cloud, keyring: keyring, holding: store) { _, reason in
            // Never applied; kept for `sync status` (the reason names no content).
            Telemetry.incident(.signatureFailure)
            try? await store.setSyncSetting("sealed_refused_last", reason)
            let count = Int((try? await store.syncSetting("sealed_refused")) ?? nil ?? "") ?? 0
            try? await store.setSyncSetting("sealed_refused", String(count + 1))
        }
    }

    /// A team of the enrollment by name or id (as the enrollment last saw its teams).
    static func team(_ text: String, in enrollment: CloudEnrollment) throws -> HubIdentity.Team {
        let wanted = text.trimmingCharacters(in: .whitespaces)
        guard let team = enrollment.identity.teams.first(where: { $0.name == wanted || $0.id == wanted.lowercased() }) else {
            throw TMWSError(.notFound, "no team \(wanted.truncatedForMessage) known to this node (tmws team list refreshes the list)", field: "team")
        }
        return team
    }
}
