import Foundation
import TMWSCore
import TMWSCrypto
import TMWSHost
import TMWSHubClient
import TMWSKeys
import TMWSSQLite

#if canImport(Glibc)
    import Glibc
#endif

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

    /// Opens the device keys (asking the provider). A key file that says it is unprotected
    /// while this node has a key provider configured is refused: someone swapped in keys of
    /// their own (an unprotected file has nothing to authenticate it).
    static func unlock(_ context: AppContext) throws -> DeviceKeyPair {
        let keystore = keystore(context)
        if (try? keystore.status())?.provider == "unprotected", configuredProvider(context) != nil {
            throw TMWSError(
                .configuration,
                "\(keystore.path) holds unprotected keys but this node has a key provider (\(configuredProvider(context) ?? "")) configured: "
                    + "the file may have been replaced; check it, or make new keys with 'tmws keys rotate-device'"
            )
        }
        return try keystore.open { try provider(context, creating: false) }
    }

    /// The provider this node is configured with, if any (never a prompt).
    static func configuredProvider(_ context: AppContext) -> String? {
        if let command = context.configuration.keyCommand, !command.isEmpty { return "keys.command" }
        if let passphrase = ProcessInfo.processInfo.environment["TMWS_KEY_PASSPHRASE"], !passphrase.isEmpty { return "TMWS_KEY_PASSPHRASE" }
        return nil
    }

    /// The keyring over the enrolled hub, with what it keeps across runs (pins, epochs seen,
    /// forks, authors' origins) in the node's sync settings.
    static func keyring(_ context: AppContext, store: SQLiteMemoryStore, enrollment: CloudEnrollment, cloud: HubCloud) throws -> HubTeamKeyring {
        let records = HubTeamKeyring.Records(
            get: { key in try await store.syncSetting(key) }, set: { key, value in try await store.setSyncSetting(key, value) })
        let keystore = keystore(context)
        return try HubTeamKeyring(
            identity: enrollment.identity, confirmedTeams: enrollment.confirmed.values.compactMap(UUID.init(uuidString:)), cloud: cloud,
            records: records, origin: store.deviceID, hybridClock: { try await store.storedClock() }, unlock: { try unlock(context) },
            stored: { try? keystore.publicKeys() }
        )
    }

    /// The transport sync uses: the hub, with SHARED memories sealed and opened.
    static func transport(_ context: AppContext, store: SQLiteMemoryStore, cloud: HubCloud) throws -> any SyncTransport {
        guard let enrollment = try CloudEnrollment.load(home: context.configuration.home) else { return cloud }
        let keyring = try keyring(context, store: store, enrollment: enrollment, cloud: cloud)
        return SealingTransport(base: cloud, keyring: keyring, holding: store) { _, reason in
            // Never applied; kept for `sync status` (the reason names no content).
            Telemetry.incident(.signatureFailure)
            _ = try? await store.changeSyncSettings { settings in
                settings.sealedRefused += 1
                settings.lastSealedRefusal = reason
            }
        }
    }

    /// A team's id by name or id: a name this node confirmed (it created the team or joined
    /// it with an invite code), else an id as given (ids certify themselves). A name only the
    /// hub's list knows is refused: the hub could have put a team of its own under it.
    ///
    /// `confirmedOnly`: an id too must be of a confirmed team (what a write names: a team id
    /// certifies who made the team, not that this device meant to write for it).
    static func team(_ text: String, in enrollment: CloudEnrollment, confirmedOnly: Bool = false) throws -> String {
        let wanted = text.trimmingCharacters(in: .whitespaces)
        if let id = enrollment.confirmed[wanted] { return id }
        if let id = UUID(uuidString: wanted) {
            let lowered = id.uuidString.lowercased()
            guard confirmedOnly, !enrollment.confirmed.values.contains(lowered) else { return lowered }
            throw TMWSError(
                .refused,
                "team \(lowered) is not confirmed on this device: join it with the invite code one of its admins prints ('tmws team invite')",
                field: "team"
            )
        }
        if enrollment.identity.teams.contains(where: { $0.name == wanted }) {
            throw TMWSError(
                .refused,
                "team \(wanted.truncatedForMessage) is not confirmed on this device: ask one of its admins for the invite code "
                    + "('tmws team invite \(wanted.truncatedForMessage)') and run 'tmws team join CODE'",
                field: "team"
            )
        }
        throw TMWSError(.notFound, "no team \(wanted.truncatedForMessage) known to this node (tmws team list shows them)", field: "team")
    }
}
