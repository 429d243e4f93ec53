import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates for a hub on one machine (`tmws hub dev-certs`, `tmws hub dev`, the tests):
/// a local CA that signs nothing else, and server certificates for the hub and for
/// PostgreSQL, valid for `localhost` and `127.0.0.1`. Keys are P-256, written mode 0600.
package struct DevCertificates: Sendable {
    /// The file names inside the directory.
    package enum File: String, CaseIterable, Sendable {
        case caCertificate = "ca.crt"
        case caKey = "ca.key"
        case hubCertificate = "hub.crt"
        case hubKey = "hub.key"
        case postgresCertificate = "postgres.crt"
        case postgresKey = "postgres.key"

        var isSecret: Bool { rawValue.hasSuffix(".key") }
    }

    package let directory: URL

    package init(directory: URL) {
        self.directory = directory
    }

    package func path(_ file: File) -> String {
        directory.appendingPathComponent(file.rawValue).path
    }

    /// Whether every file is present.
    package var exist: Bool {
        File.allCases.allSatisfy { FileManager.default.fileExists(atPath: path($0)) }
    }

    /// Makes the CA and both server certificates unless they already exist.
    ///
    /// - Parameter validDays: how long the certificates are valid. Default 365.
    /// - Returns: `true` when new files were written.
    @discardableResult
    package func createIfMissing(validDays: Int = 365, now: Date = Date()) throws -> Bool {
        if exist { return false }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(Double(validDays) * 86_400)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("TMWS development")
            CommonName("TMWS development CA")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(caKey.publicKey))
            },
            issuerPrivateKey: .init(caKey)
        )
        try write(ca.serializeAsPEM().pemString, to: .caCertificate)
        try write(caKey.pemRepresentation, to: .caKey)

        for (name, certificate, key) in [("TMWS hub", File.hubCertificate, File.hubKey), ("TMWS PostgreSQL", .postgresCertificate, .postgresKey)] {
            let serverKey = P256.Signing.PrivateKey()
            let server = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
                subject: try DistinguishedName {
                    OrganizationName("TMWS development")
                    CommonName(name)
                },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: .init(caKey.publicKey)).keyIdentifier)
                },
                issuerPrivateKey: .init(caKey)
            )
            try write(server.serializeAsPEM().pemString, to: certificate)
            try write(serverKey.pemRepresentation, to: key)
        }
        return true
    }

    private func write(_ text: String, to file: File) throws {
        let target = path(file)
        guard
            FileManager.default.createFile(
                atPath: target, contents: Data((text.hasSuffix("\n") ? text : text + "\n").utf8),
                attributes: [.posixPermissions: file.isSecret ? 0o600 : 0o644]
            )
        else {
            throw TLSSetupError("cannot write \(target)")
        }
        // createFile keeps an existing file's mode: set it again.
        try FileManager.default.setAttributes([.posixPermissions: file.isSecret ? 0o600 : 0o644], ofItemAtPath: target)
    }
}

/// A TLS set-up problem, with a message that names the file or setting (never key material).
package struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
