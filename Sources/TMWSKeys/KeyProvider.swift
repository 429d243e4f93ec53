import Crypto
import CryptoExtras
import Foundation
import TMWSCore
import TMWSCrypto

/// Where the key that protects a device's private keys comes from (DESIGN §6, «Key
/// management»). The keystore file holds the device keys sealed with AES-256-GCM under it.
package enum KeyProvider: Sendable, Hashable {
    /// A passphrase (from `TMWS_KEY_PASSPHRASE` or a prompt), stretched with scrypt.
    case passphrase(String)
    /// An external command, in the spirit of git credential helpers: run with `get`, it
    /// prints the base64 of a 32-byte key on standard output (any KMS, Vault or password
    /// manager can stand behind it).
    case command(String)
    /// No protection: the keys lie in the file as they are (mode 0600). Only by explicit choice.
    case unprotected

    package var name: String {
        switch self {
        case .passphrase: "passphrase"
        case .command: "command"
        case .unprotected: "unprotected"
        }
    }
}

/// The scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB; the cost OWASP names for scrypt).
/// Files made before format 2 used N = 2^15; they are opened, then saved again at this cost.
struct ScryptCost: Codable, Hashable {
    var logN: Int
    var r: Int
    var p: Int

    static let standard = ScryptCost(logN: 17, r: 8, p: 1)
    /// The least a format 2 file may ask for.
    static let minimumLogN = 17
}

/// The device's key file, `$TMWS_HOME/keys/device.json` (mode 0600 in a 0700 directory).
///
/// Holds the device's hub id and public keys in clear, and its private keys sealed under the
/// provider's key, or in clear when the user chose ``KeyProvider/unprotected``. The sealing
/// authenticates everything else the file says (format 2): the device, the provider, the salt
/// and scrypt cost, and the public halves, so an edit of any of them (say, public keys of an
/// attacker's for `tmws keys export-public` to print) makes the file fail to open. Opening
/// also checks the public halves against the private keys (an unprotected file included).
/// No key material is ever printed, logged or put in an error.
package struct DeviceKeystore: Sendable {
    package let path: String

    package init(home: String) {
        path = home + "/keys/device.json"
    }

    private init(path: String) {
        self.path = path
    }

    /// Where new keys wait while a rotation moves the device's teams to them: if the rotation
    /// stops part-way, running it again finishes with the same keys.
    package var pending: DeviceKeystore { DeviceKeystore(path: path + ".pending") }

    /// Makes the pending keys the device's keys.
    package func commit(_ pending: DeviceKeystore) throws {
        guard rename(pending.path, path) == 0 else { throw TMWSError(.io, "cannot replace \(path)") }
    }

    struct File: Codable {
        var format = 2
        var provider: String
        var device: String
        var agreementKey: String
        var signingKey: String
        var created: String
        var salt: String?
        var scrypt: ScryptCost?
        /// The sealed private keys (AES-GCM combined), or the raw ones for `unprotected`.
        var privateKeys: String

        enum CodingKeys: String, CodingKey {
            case format, provider, device, created, salt, scrypt
            case agreementKey = "agreement_key"
            case signingKey = "signing_key"
            case privateKeys = "private_keys"
        }
    }

    /// What `tmws keys status` shows: nothing secret.
    package struct Status: Sendable, Encodable {
        package var exists: Bool
        package var provider: String?
        package var device: String?
        package var fingerprint: String?
        package var created: String?
        package var path: String
    }

    package var exists: Bool { FileManager.default.fileExists(atPath: path) }

    package func status() throws -> Status {
        guard exists else { return Status(exists: false, path: path) }
        let file = try read()
        let keys = try? publicKeys()
        return Status(exists: true, provider: file.provider, device: file.device, fingerprint: keys?.fingerprint, created: file.created, path: path)
    }

    /// The public halves, readable without the provider.
    package func publicKeys() throws -> DevicePublicKeys {
        let file = try read()
        return try DevicePublicKeys(agreementBase64: file.agreementKey, signingBase64: file.signingKey)
    }

    /// The device id the keys were made for.
    package func device() throws -> String { try read().device }

    /// The public halves, checked against the private keys (which the provider opens): what
    /// `tmws keys export-public` prints for an admin to compare.
    package func verifiedPublicKeys(_ provider: () throws -> KeyProvider) throws -> DevicePublicKeys {
        try open(provider).publicKeys
    }

    /// What the sealed private keys are bound to (format 2): every other field that matters.
    static func associatedData(_ file: File) -> [UInt8] {
        guard file.format >= 2 else { return Array(("tmws/v1/keystore/" + file.device).utf8) }
        var data: [UInt8] = []
        for field in [
            "tmws/v2/keystore", file.device, file.provider, file.salt ?? "", file.scrypt.map { "\($0.logN)/\($0.r)/\($0.p)" } ?? "",
            file.agreementKey, file.signingKey,
        ] {
            let bytes = Array(field.utf8)
            data += withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { Array($0) } + bytes
        }
        return data
    }

    /// Writes new keys for `device`, replacing any there were.
    package func save(_ keys: DeviceKeyPair, device: String, provider: KeyProvider) throws {
        try save(keys, device: device, provider: provider, created: ISO8601.string(from: Date()))
    }

    private func save(_ keys: DeviceKeyPair, device: String, provider: KeyProvider, created: String) throws {
        let publicKeys = keys.publicKeys
        var file = File(
            provider: provider.name, device: device, agreementKey: Data(publicKeys.agreement).base64EncodedString(),
            signingKey: Data(publicKeys.signing).base64EncodedString(), created: created, privateKeys: ""
        )
        if case .unprotected = provider {
            file.privateKeys = Data(keys.rawRepresentation).base64EncodedString()
        } else {
            var salt: [UInt8]?
            if case .passphrase = provider {
                salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
                file.salt = Data(salt!).base64EncodedString()
                file.scrypt = .standard
            }
            let key = try Self.protectionKey(provider, salt: salt, cost: file.scrypt)
            let sealed = try AES.GCM.seal(keys.rawRepresentation, using: key, authenticating: Self.associatedData(file))
            file.privateKeys = sealed.combined!.base64EncodedString()
        }
        try write(file)
    }

    /// The device's private keys, opened with the provider the file names.
    ///
    /// - Parameter provider: the provider to use; a passphrase or command is needed unless
    ///   the file is unprotected.
    /// - Throws: `configuration` when no key file exists, the provider does not match, or the
    ///   passphrase or command gives the wrong key (the message says which, never the key).
    package func open(_ provider: () throws -> KeyProvider) throws -> DeviceKeyPair {
        let file = try read()
        guard let raw = Data(base64Encoded: file.privateKeys), (1...2).contains(file.format) else { throw damaged() }
        if file.provider == "unprotected" { return try checked(try DeviceKeyPair(rawRepresentation: raw), against: file) }
        if file.format >= 2, file.provider == "passphrase", (file.scrypt?.logN ?? 0) < ScryptCost.minimumLogN { throw damaged() }
        let provider = try provider()
        guard provider.name == file.provider else {
            throw TMWSError(.configuration, "the device keys are protected by a \(file.provider), not a \(provider.name): \(Self.howTo(file.provider))")
        }
        let salt = try file.salt.map { text in
            guard let salt = Data(base64Encoded: text) else { throw damaged() }
            return Array(salt)
        }
        let key = try Self.protectionKey(provider, salt: salt, cost: file.scrypt)
        let keys: DeviceKeyPair
        do {
            let opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: raw), using: key, authenticating: Self.associatedData(file))
            keys = try DeviceKeyPair(rawRepresentation: opened)
        } catch {
            throw TMWSError(
                .configuration,
                (provider.name == "passphrase" ? "the passphrase does not open the device keys" : "the key command's key does not open the device keys")
                    + " (or \(path) was changed since it was written)"
            )
        }
        _ = try checked(keys, against: file)
        // A file from before format 2: saved again, bound whole and at today's scrypt cost.
        if file.format < 2 { try save(keys, device: file.device, provider: provider, created: file.created) }
        return keys
    }

    /// The keys, if the public halves the file shows are theirs.
    private func checked(_ keys: DeviceKeyPair, against file: File) throws -> DeviceKeyPair {
        guard Data(keys.publicKeys.agreement).base64EncodedString() == file.agreementKey,
            Data(keys.publicKeys.signing).base64EncodedString() == file.signingKey
        else {
            throw TMWSError(.configuration, "\(path) shows public keys that are not this device's (the file was changed); do not share them")
        }
        return keys
    }

    static func howTo(_ provider: String) -> String {
        switch provider {
        case "passphrase": "set TMWS_KEY_PASSPHRASE or run from a terminal to be asked"
        case "command": "set keys.command in the configuration (or TMWS_KEY_COMMAND)"
        default: "enroll again to make new keys"
        }
    }

    private func damaged() -> TMWSError {
        TMWSError(.configuration, "\(path) is damaged; make new device keys with 'tmws keys rotate-device'")
    }

    static func protectionKey(_ provider: KeyProvider, salt: [UInt8]?, cost: ScryptCost?) throws -> SymmetricKey {
        switch provider {
        case .passphrase(let passphrase):
            guard !passphrase.isEmpty else { throw TMWSError(.configuration, "the key passphrase is empty") }
            let cost = cost ?? .standard
            guard let salt, salt.count >= 16, (10...22).contains(cost.logN), (1...16).contains(cost.r), (1...4).contains(cost.p) else {
                throw TMWSError(.configuration, "the key file's scrypt parameters are out of range")
            }
            do {
                return try KDF.Scrypt.deriveKey(
                    from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: 1 << cost.logN, blockSize: cost.r, parallelism: cost.p
                )
            } catch {
                // BoringSSL refuses some combinations (N ≥ 2^(16·r)) and costs above its memory limit.
                throw TMWSError(.configuration, "the key file's scrypt parameters cannot be used")
            }
        case .command(let command):
            return try KeyCommand(command).key()
        case .unprotected:
            throw TMWSError(.configuration, "unprotected keys need no key")
        }
    }

    func read() throws -> File {
        guard exists else {
            throw TMWSError(.configuration, "this node has no device keys (\(path)): 'tmws cloud enroll' makes them, or 'tmws keys rotate-device'")
        }
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw damaged()
        }
    }

    private func write(_ file: File) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: try encoder.encode(file), attributes: [.posixPermissions: 0o600]) else {
            throw TMWSError(.io, "cannot write \(path)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw TMWSError(.io, "cannot write \(path)")
        }
    }
}

/// An external key command: `sh -c "<command> get"`, whose standard output is the base64 of
/// a 32-byte key. Its standard error passes through to the user; its output is never shown.
struct KeyCommand {
    let command: String

    init(_ command: String) { self.command = command }

    func key() throws -> SymmetricKey {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " get"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TMWSError(.configuration, "the key command could not be started")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TMWSError(.configuration, "the key command failed (exit status \(process.terminationStatus))")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(base64Encoded: text), key.count == 32 else {
            throw TMWSError(.configuration, "the key command must print the base64 of a 32-byte key")
        }
        return SymmetricKey(data: key)
    }
}
