import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The TLS rules for everything that leaves a machine: TLS 1.3 only, the peer verified
/// against one pinned CA (never the system's trust store), and optionally a public-key pin.
package enum TLSPolicy {
    /// A client configuration that trusts only the CA in `caFile` and refuses anything
    /// below TLS 1.3. NIOSSL's own default would accept TLS 1.0 and the system's roots.
    package static func client(caFile: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .certificates(try certificates(caFile, what: "CA file"))
        configuration.additionalTrustRoots = []
        return configuration
    }

    /// A server configuration (TLS 1.3 only) from a certificate chain and key in PEM files.
    package static func server(certificateFile: String, keyFile: String) throws -> TLSConfiguration {
        let chain = try certificates(certificateFile, what: "certificate file")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw TLSSetupError("cannot read the private key in \(keyFile): is it a PEM private key?")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        return configuration
    }

    static func certificates(_ file: String, what: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw TLSSetupError("the \(what) \(file) does not exist or cannot be read")
        }
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(file)
            guard !certificates.isEmpty else { throw TLSSetupError("the \(what) \(file) holds no certificate") }
            return certificates
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError("the \(what) \(file) is not a PEM certificate")
        }
    }
}

/// A public-key pin in the form `sha256/<base64 of SHA-256 of the SubjectPublicKeyInfo>`,
/// as HPKP and curl's `--pinnedpubkey` write it.
package struct PublicKeyPin: Sendable, Hashable, CustomStringConvertible {
    package let digest: [UInt8]

    package init(parsing text: String) throws {
        let prefix = "sha256/"
        guard text.hasPrefix(prefix), let digest = Data(base64Encoded: String(text.dropFirst(prefix.count))), digest.count == 32 else {
            throw TLSSetupError("a pin is sha256/ followed by the base64 SHA-256 of the public key (44 characters); got '\(text.prefix(60))'")
        }
        self.digest = Array(digest)
    }

    package init(certificatePEM: String) throws {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.publicKey)
        digest = Array(SHA256.hash(data: serializer.serializedBytes))
    }

    /// The pin of a DER-encoded certificate (as NIOSSL hands the peer's certificate over).
    package init(certificateDER: [UInt8]) throws {
        let certificate = try Certificate(derEncoded: certificateDER)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.publicKey)
        digest = Array(SHA256.hash(data: serializer.serializedBytes))
    }

    package var description: String { "sha256/" + Data(digest).base64EncodedString() }
}
