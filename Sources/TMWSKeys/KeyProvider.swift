import Crypto
import CryptoExtras
import Foundation
import TMWSCore
import TMWSCrypto

/// Where the key that protects a device's private keys comes from (DESIGN §6, «Key
/// management»). The keystore file holds the device keys sealed with AES-256-GCM under it.
public enum KeyProvider: Sendable, Hashable {
    /// A passphrase (from `TMWS_KEY_PASSPHRASE` or a prompt), stretched with scrypt.
    case passphrase(String)
    /// An external command, in the spirit of git credential helpers: run with `get`, it
    /// prints the base64 of a 32-byte key on standard output (any KMS, Vault or password
    /// manager can stand behind it).
    case command(String)
    /// No protection: the keys lie in the file as they are (mode 0600). Only by explicit choice.
    case unprotected

    public var name: String {
        switch self {
        case .passphrase: "passphrase"
        case .command: "command"
        case .unprotected: "unprotected"
        }
    }
}

/// The scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about a third of a second here).
struct ScryptCost: Codable, Hashable {
    var logN: Int
    var r: Int
    var p: Int

    static let standard = ScryptCost(logN: 15, r: 8, p: 1)
}

/// The device's key file, `$TMWS_HOME/keys/device.json` (mode 0600 in a 0700 directory).
///
/// Holds the device's hub id and public keys in clear, and its private keys sealed under the
/// provider's key (with the device id as associated data), or in clear when the user chose
/// ``KeyProvider/unprotected``. No key material is ever printed, logged or put in an error.
public struct DeviceKeystore: Sendable {
    public let path: String

    public init(home: String) {
        path = home + "/keys/device.json"
    }

    private init(path: String) {
        self.path = path
    }

    /// Where new keys wait while a rotation moves the device's teams to them: if the rotation
    /// stops part-way, running it again finishes with the same keys.
    public var pending: DeviceKeystore { DeviceKeystore(path: path + ".pending") }

    /// Makes the pending keys the device's keys.
    public func commit(_ pending: DeviceKeystore) throws {
        guard rename(pending.path, path) == 0 else { throw TMWSError(.io, "cannot replace \(path)") }
    }

    struct File: Codable {
        var format = 1
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
    public struct Status: Sendable, Encodable {
        public var exists: Bool
        public var provider: String?
        public var device: String?
        public var fingerprint: String?
        public var created: String?
        public var path: String
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    public func status() throws -> Status {
        guard exists else { return Status(exists: false, path: path) }
        let file = try read()
        let keys = try? publicKeys()
        return Status(exists: true, provider: file.provider, device: file.device, fingerprint: keys?.fingerprint, created: file.created, path: path)
    }

    /// The public halves, readable without the provider.
    public func publicKeys() throws -> DevicePublicKeys {
        let file = try read()
        return try DevicePublicKeys(agreementBase64: file.agreementKey, signingBase64: file.signingKey)
    }

    /// The device id the keys were made for.
    public func device() throws -> String { try read().device }

    /// Writes new keys for `device`, replacing any there were.
    public func save(_ keys: DeviceKeyPair, device: String, provider: KeyProvider) throws {
        let publicKeys = keys.publicKeys
        var file = File(
            provider: provider.name, device: device, agreementKey: Data(publicKeys.agreement).base64EncodedString(),
            signingKey: Data(publicKeys.signing).base64EncodedString(), created: ISO8601.string(from: Date()), privateKeys: ""
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
            let sealed = try AES.GCM.seal(keys.rawRepresentation, using: key, authenticating: Array(("tmws/v1/keystore/" + device).utf8))
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
    public func open(_ provider: () throws -> KeyProvider) throws -> DeviceKeyPair {
        let file = try read()
        guard let raw = Data(base64Encoded: file.privateKeys) else { throw damaged() }
        if file.provider == "unprotected" { return try DeviceKeyPair(rawRepresentation: raw) }
        let provider = try provider()
        guard provider.name == file.provider else {
            throw TMWSError(.configuration, "the device keys are protected by a \(file.provider), not a \(provider.name): \(Self.howTo(file.provider))")
        }
        let salt = try file.salt.map { text in
            guard let salt = Data(base64Encoded: text) else { throw damaged() }
            return Array(salt)
        }
        let key = try Self.protectionKey(provider, salt: salt, cost: file.scrypt)
        do {
            let opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: raw), using: key, authenticating: Array(("tmws/v1/keystore/" + file.device).utf8))
            return try DeviceKeyPair(rawRepresentation: opened)
        } catch {
            throw TMWSError(
                .configuration,
                provider.name == "passphrase" ? "the passphrase does not open the device keys" : "the key command's key does not open the device keys"
            )
        }
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
            guard let salt, (10...20).contains(cost.logN), (1...16).contains(cost.r), (1...4).contains(cost.p) else {
                throw TMWSError(.configuration, "the key file's scrypt parameters are out of range")
            }
            return try KDF.Scrypt.deriveKey(
                from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: 1 << cost.logN, blockSize: cost.r, parallelism: cost.p
            )
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
