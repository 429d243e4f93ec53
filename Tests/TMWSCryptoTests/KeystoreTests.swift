import Foundation
import TMWSCore
import TMWSCrypto
import TMWSKeys
import Testing

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
}
