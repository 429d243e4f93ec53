import ArgumentParser
import Foundation
import TMWSCore
import TMWSCrypto
import TMWSHost
import TMWSHubClient
import TMWSKeys

/// `tmws keys`: this device's keys for SHARED memories.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "This device's keys for end-to-end encrypted SHARED memories.",
        discussion: """
            Each device has an X25519 key (team keys are wrapped to it) and an Ed25519 key (it signs what the device writes and the membership entries it makes), made at enrollment. The private halves are in keys/device.json (mode 0600) under the data directory, encrypted under a key from keys.command (TMWS_KEY_COMMAND: '<command> get' prints the base64 of a 32-byte key, as git credential helpers do), else a passphrase stretched with scrypt (TMWS_KEY_PASSPHRASE, or asked on a terminal). No key is ever printed, logged or put in an error.
            """,
        subcommands: [Status.self, RotateDevice.self, ExportPublic.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether this device has keys, how they are protected, and their fingerprint.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let status = try KeyAccess.keystore(context).status()
            if global.json { return try Terminal.printJSON(status) }
            guard status.exists else { return print("no device keys (\(status.path)); 'tmws cloud enroll' makes them") }
            var table = TextTable("KEY", "VALUE")
            table.append(["file", status.path])
            table.append(["protected by", status.provider ?? "?"])
            table.append(["device", status.device ?? "?"])
            table.append(["fingerprint", status.fingerprint ?? "?"])
            table.append(["created", status.created ?? "?"])
            print(table.render())
        }
    }

    struct ExportPublic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-public", abstract: "Print this device's public keys and fingerprint (to compare with what an admin sees).",
            discussion:
                "The keys are opened first (the passphrase or key command is needed) and the public halves printed are the private keys' own, so an edited key file cannot make this print someone else's keys."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let keystore = KeyAccess.keystore(context)
            let keys = try keystore.verifiedPublicKeys { try KeyAccess.provider(context, creating: false) }
            let export = PublicExport(
                device: try keystore.device(), agreementKey: Data(keys.agreement).base64EncodedString(),
                signingKey: Data(keys.signing).base64EncodedString(), fingerprint: keys.fingerprint
            )
            if global.json { return try Terminal.printJSON(export) }
            print("device       \(export.device)\nagreement    \(export.agreementKey)\nsigning      \(export.signingKey)\nfingerprint  \(export.fingerprint)")
        }
    }

    struct RotateDevice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-device",
            abstract: "Make new keys for this device and move every team to them.",
            discussion:
                "The new keys are saved first (keys/device.json.pending, protected like the old ones); then, for each team (those the hub lists and those this device confirmed or pinned), an entry signed with the old key names the new one; on an admin's device it starts a new epoch whose key is wrapped to every device, on a member's device the current key is wrapped to the new keys (an admin's 'tmws team rekey' then starts the epoch that keeps the old keys from reading anything new); then the hub gets the new public keys and the new file replaces the old one. If it stops part-way, run it again: it finishes with the same keys. Needs the hub. --unprotected-keys stores the new keys without protection."
        )
        @Flag(help: "Keep the new private keys without a passphrase or key command (file mode 0600 only).")
        var unprotectedKeys = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let session = try await TeamSession(global)
            let keystore = KeyAccess.keystore(session.context)
            let pending = keystore.pending
            // New keys are kept before any team names them; a rotation that stopped part-way
            // resumes with the same keys.
            let fresh: DeviceKeyPair
            if pending.exists {
                fresh = try pending.open { try KeyAccess.provider(session.context, creating: false) }
            } else {
                let provider = try KeyAccess.provider(session.context, creating: true, unprotected: unprotectedKeys)
                fresh = DeviceKeyPair()
                try pending.save(fresh, device: session.enrollment.identity.deviceID, provider: provider)
            }
            // Every team this device may be in: the hub's list, and those it confirmed or
            // pinned itself (a hub that leaves one out must not keep the old keys valid there).
            let listed = try await session.refreshIdentity().compactMap { UUID(uuidString: $0.id) }
            let pinned = try await session.store.syncSettings(withPrefix: "team.").keys.compactMap(UUID.init(uuidString:))
            let teams = Set(listed + pinned + session.enrollment.confirmed.values.compactMap(UUID.init(uuidString:)))
            var rekeyNeeded: [UUID] = []
            for id in teams.sorted(by: { $0.uuidString < $1.uuidString }) {
                do {
                    if try await !session.keyring.rotate(id, to: fresh, name: session.enrollment.identity.deviceName) { rekeyNeeded.append(id) }
                } catch let error as TMWSError where error.code == .notFound || error.code == .forbidden {
                    // A team made by an administrator has no log, or one this device left: nothing to move.
                    continue
                }
            }
            try await session.cloud.registerKeys(fresh.publicKeys)
            try keystore.commit(pending)
            let waiting = rekeyNeeded.map { $0.uuidString.lowercased() }
            if global.json {
                return try Terminal.printJSON(RotationReport(fingerprint: fresh.publicKeys.fingerprint, teams: teams.count, rekeyNeeded: waiting))
            }
            print("new device keys \(fresh.publicKeys.fingerprint), moved \(teams.count) team(s)")
            if !waiting.isEmpty {
                print(
                    "in \(waiting.count) team(s) this device is not an admin: the old keys read nothing written after an admin runs 'tmws team rekey' (\(waiting.joined(separator: ", ")))"
                )
            }
        }
    }
}

struct RotationReport: Encodable {
    var fingerprint: String
    var teams: Int
    /// Teams where this device is a member, not an admin: its rotation kept the epoch.
    var rekeyNeeded: [String]

    enum CodingKeys: String, CodingKey {
        case fingerprint, teams
        case rekeyNeeded = "rekey_needed"
    }
}

struct PublicExport: Encodable {
    var device: String
    var agreementKey: String
    var signingKey: String
    var fingerprint: String

    enum CodingKeys: String, CodingKey {
        case device, fingerprint
        case agreementKey = "agreement_key"
        case signingKey = "signing_key"
    }
}
