import Foundation
import Logging
import TMWSCore
import TMWSHubDomain
import TMWSTLS
import Testing

@testable import TMWSPostgres

#if canImport(Glibc)
    import Glibc
#endif

/// The hub reaches PostgreSQL only over TLS 1.3 verified against its pinned CA; anything
/// else is refused at once, with an error that says why.
@Suite(.serialized) struct DatabaseTLSTests {
    @Test func urlsThatWouldNotVerifyAreRefused() throws {
        for url in [
            "postgresql://u:p@127.0.0.1:5432/tmws?sslmode=require&sslrootcert=/ca.crt",
            "postgresql://u:p@127.0.0.1:5432/tmws?sslmode=prefer&sslrootcert=/ca.crt",
            "postgresql://u:p@127.0.0.1:5432/tmws?sslmode=disable",
            "postgresql://u:p@127.0.0.1:5432/tmws",
            "mysql://u:p@127.0.0.1/tmws?sslrootcert=/ca.crt",
            "postgresql://u:p@127.0.0.1:5432/?sslrootcert=/ca.crt",
        ] {
            #expect(throws: TMWSError.self, "\(url)") { try DatabaseURL(parsing: url) }
        }
        let parsed = try DatabaseURL(parsing: "postgresql://tmws_app:p%40ss@db.example:6543/tmws?sslrootcert=/etc/tmws/ca.crt")
        #expect(parsed.password == "p@ss" && parsed.port == 6543 && parsed.host == "db.example")
        #expect(!parsed.description.contains("p@ss") && !parsed.description.contains("p%40ss"))
        #expect(try DatabaseURL(parsing: parsed.urlString).password == "p@ss")
    }

    @Test func aCertificateFromAnotherCAIsRefusedQuickly() async throws {
        let running = try await TestCluster.shared.start()
        let other = TemporaryDirectoryForCertificates()
        try other.certificates.createIfMissing()
        var url = running.runtime
        url.rootCertificate = other.certificates.path(.caCertificate)
        let started = ContinuousClock.now
        let error = await #expect(throws: TMWSError.self) { try await url.connect() }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(error?.message.contains("not signed by the pinned CA") == true, "\(error?.message ?? "")")
    }

    @Test func aServerWithoutTLSIsRefused() async throws {
        // A server that answers PostgreSQL's SSLRequest with 'N' (no TLS).
        let listener = try PlaintextPostgres()
        defer { listener.stop() }
        let other = TemporaryDirectoryForCertificates()
        try other.certificates.createIfMissing()
        let url = DatabaseURL(
            host: "127.0.0.1", port: listener.port, username: "u", password: "p", database: "tmws",
            rootCertificate: other.certificates.path(.caCertificate)
        )
        let error = await #expect(throws: TMWSError.self) { try await url.connect() }
        #expect(error?.message.contains("does not offer TLS") == true, "\(error?.message ?? "")")
    }

    @Test func aServerThatStopsAtTLS12IsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-pg-test-\(UUID().uuidString)")
        let cluster = LocalCluster(
            directory: directory, logger: Logger(label: "test"),
            extraSettings: "ssl_min_protocol_version = 'TLSv1.2'\nssl_max_protocol_version = 'TLSv1.2'"
        )
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        // The roles are created over TLS 1.3 by the cluster itself, so this one fails there.
        let error = await #expect(throws: TMWSError.self) { _ = try await cluster.start() }
        #expect(error?.message.contains("TLS 1.3") == true, "\(error?.message ?? "")")
    }
}

/// A directory for a second, unrelated CA.
final class TemporaryDirectoryForCertificates: Sendable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-certs-\(UUID().uuidString)")
    var certificates: DevCertificates { DevCertificates(directory: url) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A TCP listener that refuses TLS the way a PostgreSQL server without SSL does.
final class PlaintextPostgres: @unchecked Sendable {
    let socketFD: Int32
    let port: Int
    private let thread: Thread

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listen(fd, 4)
        socketFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var request = [UInt8](repeating: 0, count: 8)
                _ = read(client, &request, 8)
                var answer: UInt8 = UInt8(ascii: "N")
                _ = write(client, &answer, 1)
                close(client)
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }
}
