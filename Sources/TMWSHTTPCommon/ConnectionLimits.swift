import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// What keeps idle connections from exhausting a server (issue 18: 21,000 idle TCP connections
/// reached the hub's file-descriptor limit and `/health` stopped answering, with no credential).
///
/// A connection that sends no complete request head for `idleTimeout` is closed: that one
/// timer bounds an idle keep-alive, a TLS handshake that never finishes and headers sent a
/// byte at a time (Hummingbird's connection state handler counts time from the last complete
/// request part, not from raw bytes). At most `maximumConnections` are open at once; further
/// ones wait in the kernel's backlog and are accepted as others close, so a flood of idle
/// connections delays a real request by at most about `idleTimeout`, never locks it out.
package struct ConnectionLimits: Sendable, Hashable {
    /// Default 4,096 (lowered to fit the process's file-descriptor limit).
    package var maximumConnections: Int
    /// Default 30 s.
    package var idleTimeout: Duration

    package init(maximumConnections: Int = 4_096, idleTimeout: Duration = .seconds(30)) {
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
    }

    /// The HTTP/1.1 server with the idle timeout.
    package var http1: HTTPServerBuilder {
        .http1(
            configuration: .init(
                idleTimeout: .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)))
    }

    /// The cap, after raising the soft file-descriptor limit towards the hard one: room for the
    /// connections and 256 descriptors more (database pool, files, the listening socket).
    package func connectionCap(logger: Logger) -> MaximumAvailableConnections {
        var limit = rlimit()
        var cap = maximumConnections
        #if canImport(Glibc)
            if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
                let wanted = rlim_t(maximumConnections + 256)
                if limit.rlim_cur < wanted {
                    limit.rlim_cur = min(wanted, limit.rlim_max)
                    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
                    _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
                }
                cap = max(16, min(maximumConnections, Int(limit.rlim_cur) - 256))
                if cap < maximumConnections {
                    logger.warning("connection cap lowered to fit the file-descriptor limit", metadata: ["cap": "\(cap)", "nofile": "\(limit.rlim_cur)"])
                }
            }
        #endif
        return MaximumAvailableConnections(cap, logger: logger)
    }
}
