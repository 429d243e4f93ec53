import ArgumentParser
import Foundation
import TMWSCore
import TMWSCrypto
import TMWSHost
import TMWSHubClient
import TMWSTLS

/// `tmws cloud`: this node's link to a hub.
struct CloudCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "Enroll this node with a hub and see its state.",
        discussion: """
            PRIVATE and PROJECT memories never leave this machine. GLOBAL and SHARED ones are written \
            locally first; with hybrid mode on (TMWS_HYBRID_MODE_ENABLED=true or hybrid.enabled in \
            config.toml) and the node enrolled, searches can also ask the hub. With hybrid mode off the \
            node opens no network connection at all.
            """,
        subcommands: [Enroll.self, Status.self, Leave.self]
    )

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll this device with a hub using a one-time token.",
            discussion: """
                The hub is reached over TLS 1.3 only, trusting only the CA in --ca (copied into the data \
                directory); --pin also pins the hub's public key (sha256/<base64>, as curl's \
                --pinnedpubkey), checked before anything is sent. The device credential is stored in \
                cloud.json (mode 0600) and never printed.

                Enrolling makes this device's keys for SHARED memories (X25519 and Ed25519) and registers \
                their public halves with the hub. The private keys are kept in keys/device.json (mode \
                0600), encrypted under a key from keys.command (TMWS_KEY_COMMAND), else a passphrase \
                stretched with scrypt (TMWS_KEY_PASSPHRASE, or asked on a terminal); \
                --unprotected-keys stores them as they are.
                """
        )

        @Option(help: ArgumentHelp("The hub's URL, https://host:port.", valueName: "url")) var hub: String
        @Option(
            help: ArgumentHelp(
                "The one-time token from 'tmws hub admin enroll-token'; '-' reads it from standard input. Default: TMWS_ENROLL_TOKEN. On the command line it shows in ps.",
                valueName: "token"
            ))
        var token: String?
        @Option(help: ArgumentHelp("The CA that signed the hub's certificate (PEM).", valueName: "file")) var ca: String
        @Option(help: ArgumentHelp("The hub's public-key pin, sha256/<base64>.", valueName: "pin")) var pin: String?
        @Option(help: ArgumentHelp("This device's name (default: the host name).", valueName: "name")) var name: String?
        @Flag(help: "Keep the device's private keys without a passphrase or key command (file mode 0600 only).")
        var unprotectedKeys = false
        @OptionGroup var global: GlobalOptions

        /// The token: `--token` (`-` for standard input), else `TMWS_ENROLL_TOKEN`. Other
        /// users see a process's arguments in `ps`, never its environment or its input.
        func enrollmentToken() throws -> String {
            let text: String?
            switch token {
            case "-"?: text = readLine(strippingNewline: true)
            case let given?:
                FileHandle.standardError.write(Data("note: a token on the command line shows in ps; TMWS_ENROLL_TOKEN or --token - keep it out\n".utf8))
                text = given
            case nil: text = ProcessInfo.processInfo.environment["TMWS_ENROLL_TOKEN"]
            }
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw TMWSError(.invalidInput, "give the enrollment token: TMWS_ENROLL_TOKEN=… or --token - (standard input)", field: "token")
            }
            return text.trimmingCharacters(in: .whitespaces)
        }

        func run() async throws {
            let context = try AppContext(options: global)
            let home = context.configuration.home
            let pin = try self.pin.map { text in
                do { return try PublicKeyPin(parsing: text) } catch let error as TLSSetupError {
                    throw TMWSError(.invalidInput, error.description, field: "pin")
                }
            }
            let endpoint = try HubEndpoint(url: hub, caFile: ca, pin: pin)
            guard let caPEM = FileManager.default.contents(atPath: ca) else {
                throw TMWSError(.invalidInput, "cannot read the CA file \(ca)", field: "ca")
            }
            let token = try enrollmentToken()
            let deviceName = name ?? ProcessInfo.processInfo.hostName
            // The key provider is settled before the hub is asked: a missing passphrase spends no token.
            let provider = try KeyAccess.provider(context, creating: true, unprotected: unprotectedKeys)
            let keys = DeviceKeyPair()
            let (credential, identity) = try await HubCloud.enroll(
                client: try HubClient(endpoint: endpoint), token: token, deviceName: deviceName, keys: keys.publicKeys
            )
            try KeyAccess.keystore(context).save(keys, device: identity.deviceID, provider: provider)
            let enrollment = CloudEnrollment(
                hubURL: endpoint.url.absoluteString, pin: pin?.description, credential: credential, identity: identity,
                enrolledAt: ISO8601.string(from: Date())
            )
            try enrollment.save(home: home, caPEM: caPEM)
            if global.json {
                try Terminal.printJSON(CloudStatus(enrollment: enrollment, hybridEnabled: context.configuration.hybridEnabled, reachable: true))
            } else {
                print("enrolled \(identity.deviceName) as \(identity.userName) in \(identity.tenantName) (device \(identity.deviceID))")
                if !context.configuration.hybridEnabled {
                    print("hybrid mode is off: set TMWS_HYBRID_MODE_ENABLED=true (or hybrid.enabled = true) to use the hub")
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether this node is enrolled, with which hub, tenant, user and device, and whether the hub answers.",
            discussion: "The hub is asked only when hybrid mode is on; otherwise reachability is 'not checked'."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            guard let enrollment = try CloudEnrollment.load(home: context.configuration.home) else {
                if global.json {
                    return try Terminal.printJSON(CloudStatus(enrollment: nil, hybridEnabled: context.configuration.hybridEnabled, reachable: nil))
                }
                return print(
                    "not enrolled (tmws cloud enroll --hub URL --token T --ca FILE); hybrid mode \(context.configuration.hybridEnabled ? "on" : "off")")
            }
            var reachable: Bool?
            var problem: String?
            if let cloud = try context.cloud() {
                do {
                    _ = try await cloud.identity(timeout: .milliseconds(max(context.configuration.cloudTimeoutMilliseconds, 2000)))
                    reachable = true
                } catch let error as TMWSError {
                    reachable = false
                    problem = error.message
                }
            }
            var status = CloudStatus(enrollment: enrollment, hybridEnabled: context.configuration.hybridEnabled, reachable: reachable)
            status.problem = problem
            if global.json { return try Terminal.printJSON(status) }
            var table = TextTable("", "")
            table.append(["enrolled", "yes"])
            table.append(["hub", enrollment.hubURL + (enrollment.pin.map { " (pinned \($0))" } ?? "")])
            let identity = enrollment.identity
            table.append(["tenant", "\(identity.tenantName) (\(identity.tenantID))"])
            table.append(["user", "\(identity.userName) (\(identity.userID))"])
            table.append(["device", "\(identity.deviceName) (\(identity.deviceID))"])
            table.append(["hybrid mode", context.configuration.hybridEnabled ? "on" : "off"])
            table.append(["reachable", reachable.map { $0 ? "yes" : "no: \(problem ?? "")" } ?? "not checked (hybrid mode off)"])
            print(table.render())
        }
    }

    struct Leave: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget this node's enrollment (the credential and the hub's CA); the hub keeps the device until revoked."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            try CloudEnrollment.remove(home: context.configuration.home)
            if global.json { return try Terminal.printJSON(["enrolled": false]) }
            print("enrollment removed; ask the hub's administrator to revoke the device")
        }
    }
}

/// `tmws cloud status --json`. Never holds the credential.
struct CloudStatus: Encodable {
    var enrolled: Bool
    var hub: String?
    var pin: String?
    var identity: HubIdentity?
    var hybridMode: Bool
    /// `nil`: not checked (hybrid mode off or not enrolled).
    var reachable: Bool?
    var problem: String?

    init(enrollment: CloudEnrollment?, hybridEnabled: Bool, reachable: Bool?) {
        enrolled = enrollment != nil
        hub = enrollment?.hubURL
        pin = enrollment?.pin
        identity = enrollment?.identity
        hybridMode = hybridEnabled
        self.reachable = reachable
    }

    enum CodingKeys: String, CodingKey {
        case enrolled, hub, pin, identity, reachable, problem
        case hybridMode = "hybrid_mode"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enrolled, forKey: .enrolled)
        try container.encode(hub, forKey: .hub)
        try container.encode(pin, forKey: .pin)
        try container.encode(identity, forKey: .identity)
        try container.encode(hybridMode, forKey: .hybridMode)
        try container.encode(reachable, forKey: .reachable)
        try container.encode(problem, forKey: .problem)
    }
}
