import Crypto
import Foundation
import TMWSCore
import TMWSCrypto
import Testing

@testable import TMWSKeys

/// The device keystore: what it writes, how each provider opens it, and that no key material
/// reaches an error message.
@Suite struct KeystoreTests {
    static func home() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aPassphraseProtectedKeystoreOpensOnlyWithItsPassphrase() throws {
        let keystore = DeviceKeystore(home: try Self.home())
        let keys = DeviceKeyPair()
        try keystore.save(keys, device: "device-1", provider: .passphrase("correct horse battery staple"))
        let attributes = try FileManager.default.attributesOfItem(atPath: keystore.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: keystore.path, encoding: .utf8)
        let privateBase64 = Data(keys.rawRepresentation).base64EncodedString()
        #expect(!text.contains(privateBase64) && !text.contains(Data(keys.rawRepresentation.prefix(32)).base64EncodedString()))
        #expect(text.contains("\"scrypt\"") && text.contains("\"passphrase\""))

        let opened = try keystore.open { .passphrase("correct horse battery staple") }
        #expect(opened.rawRepresentation == keys.rawRepresentation)
        #expect(try keystore.publicKeys() == keys.publicKeys)
        do {
            _ = try keystore.open { .passphrase("wrong horse") }
            Issue.record("a wrong passphrase opened the keystore")
        } catch let error as TMWSError {
            #expect(error.code == .configuration && error.message.contains("passphrase does not open"))
            #expect(!error.message.contains("wrong horse"))
        }
        #expect(throws: TMWSError.self) { try keystore.open { .command("echo") } }
    }

    @Test func aKeyCommandProvidesTheKeyLikeACredentialHelper() throws {
        let home = try Self.home()
        let helper = home + "/helper.sh"
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        try "#!/bin/sh\n[ \"$1\" = get ] && echo \(key)\n".write(toFile: helper, atomically: true, encoding: .utf8)
        // Run through sh: executing a file just written can fail with ETXTBSY while another test
        // thread forks.
        let command = "/bin/sh " + helper
        let keystore = DeviceKeystore(home: home)
        let keys = DeviceKeyPair()
        try keystore.save(keys, device: "device-2", provider: .command(command))
        #expect(try keystore.open { .command(command) }.rawRepresentation == keys.rawRepresentation)
        // A helper that fails, or prints something that is not a 32-byte key, opens nothing and
        // says so without echoing what it printed.
        #expect(throws: TMWSError.self) { try keystore.open { .command("false") } }
        do {
            _ = try keystore.open { .command("echo not-a-key-c2VjcmV0") }
            Issue.record("a malformed key opened the keystore")
        } catch let error as TMWSError {
            #expect(!error.message.contains("c2VjcmV0"))
        }
    }

    @Test func unprotectedKeysAreOnlyWhatTheUserChose() throws {
        let keystore = DeviceKeystore(home: try Self.home())
        let keys = DeviceKeyPair()
        try keystore.save(keys, device: "device-3", provider: .unprotected)
        #expect(try keystore.status().provider == "unprotected")
        // No provider is asked for.
        #expect(try keystore.open { throw TMWSError(.configuration, "not asked") }.rawRepresentation == keys.rawRepresentation)
    }

    @Test func aMissingOrDamagedKeystoreSaysWhatToDo() throws {
        let keystore = DeviceKeystore(home: try Self.home())
        #expect(try keystore.status().exists == false)
        #expect(throws: TMWSError.self) { try keystore.open { .passphrase("x") } }
        try FileManager.default.createDirectory(atPath: (keystore.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "{not json".write(toFile: keystore.path, atomically: true, encoding: .utf8)
        do {
            _ = try keystore.open { .passphrase("x") }
            Issue.record("a damaged keystore opened")
        } catch let error as TMWSError {
            #expect(error.message.contains("damaged") && error.message.contains("rotate-device"))
        }
    }

    // MARK: - Issue 19: the key file is bound whole

    /// Reads the key file as JSON, lets `edit` change it, and writes it back.
    static func edit(_ keystore: DeviceKeystore, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: keystore.path))) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: keystore.path))
    }

    @Test func aKeyFileWithAnotherDevicesPublicKeysOrALowerCostDoesNotOpen() throws {
        let passphrase = KeyProvider.passphrase("correct horse battery staple")
        let attacker = DeviceKeyPair().publicKeys
        // Someone who can write the file swaps in public keys of their own, for export-public
        // to print and an admin to trust; or lowers the scrypt cost; or names another provider.
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("agreement key", { $0["agreement_key"] = Data(attacker.agreement).base64EncodedString() }),
            ("signing key", { $0["signing_key"] = Data(attacker.signing).base64EncodedString() }),
            ("scrypt cost", { $0["scrypt"] = ["logN": 17, "r": 1, "p": 1] }),
            ("salt", { $0["salt"] = Data(repeating: 7, count: 16).base64EncodedString() }),
            ("device", { $0["device"] = "another-device" }),
        ]
        for (what, change) in edits {
            let keystore = DeviceKeystore(home: try Self.home())
            try keystore.save(DeviceKeyPair(), device: "device-4", provider: passphrase)
            try Self.edit(keystore, change)
            #expect(throws: TMWSError.self, "an edited \(what) still opened") { try keystore.open { passphrase } }
            #expect(throws: TMWSError.self, "an edited \(what) still exported") { try keystore.verifiedPublicKeys { passphrase } }
        }
        // The cost a new file is written with, and the least one is read at.
        let keystore = DeviceKeystore(home: try Self.home())
        try keystore.save(DeviceKeyPair(), device: "device-5", provider: passphrase)
        #expect(try keystore.read().scrypt?.logN == 17)
        try Self.edit(keystore) { $0["scrypt"] = ["logN": 15, "r": 8, "p": 1] }
        #expect(throws: TMWSError.self) { try keystore.open { passphrase } }
        // Unprotected keys have nothing to seal them, but their public halves must be theirs.
        let unprotected = DeviceKeystore(home: try Self.home())
        try unprotected.save(DeviceKeyPair(), device: "device-6", provider: .unprotected)
        try Self.edit(unprotected) { $0["signing_key"] = Data(attacker.signing).base64EncodedString() }
        #expect(throws: TMWSError.self) { try unprotected.open { .unprotected } }
    }

    @Test func aKeyFileFromBeforeIsOpenedAndSavedAgainBoundAndAtTheNewCost() throws {
        // Format 1, as the previous version wrote it: N = 2^15, only the device id bound.
        let keystore = DeviceKeystore(home: try Self.home())
        let keys = DeviceKeyPair()
        let salt = [UInt8](repeating: 3, count: 16)
        let cost = ScryptCost(logN: 15, r: 8, p: 1)
        let key = try DeviceKeystore.protectionKey(.passphrase("old file"), salt: salt, cost: cost)
        let sealed = try AES.GCM.seal(keys.rawRepresentation, using: key, authenticating: Array("tmws/v1/keystore/device-7".utf8))
        var file = DeviceKeystore.File(
            provider: "passphrase", device: "device-7", agreementKey: Data(keys.publicKeys.agreement).base64EncodedString(),
            signingKey: Data(keys.publicKeys.signing).base64EncodedString(), created: "2026-01-01T00:00:00.000Z",
            salt: Data(salt).base64EncodedString(), scrypt: cost, privateKeys: sealed.combined!.base64EncodedString()
        )
        file.format = 1
        try FileManager.default.createDirectory(atPath: (keystore.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONEncoder().encode(file).write(to: URL(fileURLWithPath: keystore.path))

        #expect(try keystore.open { .passphrase("old file") }.rawRepresentation == keys.rawRepresentation)
        let upgraded = try keystore.read()
        #expect(upgraded.format == 2 && upgraded.scrypt?.logN == 17 && upgraded.created == "2026-01-01T00:00:00.000Z")
        #expect(try keystore.open { .passphrase("old file") }.rawRepresentation == keys.rawRepresentation)
    }
}
