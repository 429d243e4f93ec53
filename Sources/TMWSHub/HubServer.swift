import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import TMWSCore
import TMWSHTTPCommon
import TMWSHubDomain
import TMWSTLS

/// The hub's HTTPS server: TLS 1.3 only, the routes of ``HubAPI``.
package enum HubServer {
    /// An application (a swift-service-lifecycle `Service`) serving `api` over TLS.
    ///
    /// - Parameter onRunning: called with the bound port once the server listens.
    ///   - limits: the connection cap and idle timeout (``ConnectionLimits``).
    package static func application(
        api: HubAPI, host: String, port: Int, certificateFile: String, keyFile: String, limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void
    ) throws -> some ApplicationProtocol {
        let tls: TLSConfiguration
        do {
            tls = try TLSPolicy.server(certificateFile: certificateFile, keyFile: keyFile)
        } catch let error as TLSSetupError {
            throw TMWSError(.configuration, error.description)
        }
        return Application(
            router: api.router(),
            server: try .tls(limits.http1, tlsConfiguration: tls),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "tmws-hub", backlog: 1024,
                availableConnectionsDelegate: limits.connectionCap(logger: logger)
            ),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
