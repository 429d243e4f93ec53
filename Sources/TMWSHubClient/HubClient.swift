import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization
import TMWSCore
import TMWSTLS

/// Where a node reaches its hub, and how it knows the hub is the right one: TLS 1.3, the
/// certificate signed by the pinned CA (never the system's trust store), and optionally the
/// hub's public key pinned too.
package struct HubEndpoint: Sendable, Hashable {
    package var url: URL
    package var caFile: String
    package var pin: PublicKeyPin?

    package init(url: String, caFile: String, pin: PublicKeyPin?) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), parsed.host != nil else {
            throw TMWSError(.invalidInput, "the hub URL must look like https://host:port", field: "hub")
        }
        guard scheme == "https" else {
            throw TMWSError(.invalidInput, "the hub is reached over HTTPS only (got \(scheme)://)", field: "hub")
        }
        self.url = parsed
        self.caFile = caFile
        self.pin = pin
    }

    var host: String { url.host ?? "" }
    var port: Int { url.port ?? 443 }
}

/// A minimal HTTPS/1.1 client for the hub: TLS 1.3 against the pinned CA, the public-key pin
/// (when set) checked after each connection's handshake and before any byte of a request —
/// so a credential never reaches a server that fails either check. Connections are kept
/// alive and reused (a few idle ones, each for at most ``idleLifetime``, well inside the
/// hub's idle timeout), so a node pays the TCP and TLS handshakes once, not per request.
package final class HubClient: Sendable {
    package struct Response: Sendable {
        package var status: Int
        package var body: Data
    }

    package let endpoint: HubEndpoint
    let context: NIOSSLContext
    let group: any EventLoopGroup
    /// Idle connections, newest last, with when each went idle.
    let idle = Mutex<[(channel: any Channel, since: ContinuousClock.Instant)]>([])
    /// The largest response accepted.
    static let maximumBodyBytes = 8 << 20
    /// How many idle connections are kept, and for how long (the hub closes a connection idle
    /// for 30 s by default).
    static let maximumIdle = 4
    static let idleLifetime: Duration = .seconds(15)

    package init(endpoint: HubEndpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.endpoint = endpoint
        self.group = group
        do {
            context = try NIOSSLContext(configuration: try TLSPolicy.client(caFile: endpoint.caFile))
        } catch let error as TLSSetupError {
            throw TMWSError(.configuration, error.description, field: "ca")
        }
    }

    deinit {
        for (channel, _) in idle.withLock({ $0 }) { channel.close(promise: nil) }
    }

    /// Sends one request and returns the response, or fails within `timeout`.
    ///
    /// - Parameter credential: sent as `Authorization: Bearer …`.
    package func send(
        _ method: HTTPMethod, _ path: String, json body: Data? = nil, credential: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> Response {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: endpoint.url.path.trimmingSuffix("/") + path)
        head.headers.add(name: "Host", value: endpoint.port == 443 ? endpoint.host : "\(endpoint.host):\(endpoint.port)")
        head.headers.add(name: "User-Agent", value: "tmws")
        head.headers.add(name: "Accept", value: "application/json")
        if let credential { head.headers.add(name: "Authorization", value: "Bearer \(credential)") }
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        } else if method == .POST {
            head.headers.add(name: "Content-Length", value: "0")
        }
        let deadline = ContinuousClock.now + timeout
        // A kept-alive connection the hub closed meanwhile fails before any answer: the
        // request goes again once, on a new connection.
        if let reused = takeIdle() {
            do {
                return try await exchange(head, body, on: reused, deadline: deadline, timeout: timeout)
            } catch let failure as Exchange.Failure where failure.beforeAnswer {
                // fall through to a new connection
            } catch {
                throw Self.describe((error as? Exchange.Failure)?.error ?? error, endpoint)
            }
        }
        do {
            let channel = try await connect(timeout: timeout)
            return try await exchange(head, body, on: channel, deadline: deadline, timeout: timeout)
        } catch {
            throw Self.describe((error as? Exchange.Failure)?.error ?? error, endpoint)
        }
    }

    /// An idle connection still open and young enough, if any (older ones are closed).
    private func takeIdle() -> (any Channel)? {
        let now = ContinuousClock.now
        while let (channel, since) = idle.withLock({ $0.popLast() }) {
            if channel.isActive, now - since < Self.idleLifetime { return channel }
            channel.close(promise: nil)
        }
        return nil
    }

    private func putIdle(_ channel: any Channel) {
        let evicted: (any Channel)? = idle.withLock { idle in
            idle.append((channel, .now))
            return idle.count > Self.maximumIdle ? idle.removeFirst().channel : nil
        }
        evicted?.close(promise: nil)
    }

    /// A new connection, its TLS handshake done and the pin checked.
    private func connect(timeout: Duration) async throws -> any Channel {
        let loop = group.next()
        let handshake = loop.makePromise(of: Void.self)
        let exchange = Exchange(pin: endpoint.pin, handshake: handshake)
        let isIPAddress = endpoint.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        let sslContext = context
        let host = endpoint.host
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(min(Self.timeAmount(timeout), .seconds(10)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // With an IP address, NIOSSL checks the certificate against it (no SNI).
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: sslContext, serverHostname: isIPAddress ? nil : host)
                    )
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(exchange)
                }
            }
        let timer = loop.scheduleTask(in: Self.timeAmount(timeout)) {
            handshake.fail(TMWSError(.io, "the hub at \(self.endpoint.url.absoluteString) did not answer within \(timeout)"))
        }
        defer { timer.cancel() }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: endpoint.port).get()
        } catch {
            handshake.fail(error)  // no connection: the handshake never comes (a promise is never left open)
            throw error
        }
        do {
            try await handshake.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return channel
    }

    /// One request on `channel`; the connection goes back to the idle ones if the hub keeps it.
    private func exchange(_ head: HTTPRequestHead, _ body: Data?, on channel: any Channel, deadline: ContinuousClock.Instant, timeout: Duration) async throws
        -> Response
    {
        let promise = channel.eventLoop.makePromise(of: Exchange.Answer.self)
        let remaining = max(deadline - .now, .milliseconds(1))
        let timer = channel.eventLoop.scheduleTask(in: Self.timeAmount(remaining)) {
            promise.fail(TMWSError(.io, "the hub at \(self.endpoint.url.absoluteString) did not answer within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        // A connection closed meanwhile never reaches the handler: its write fails instead.
        channel.writeAndFlush(Exchange.Request(head: head, body: body, promise: promise)).whenFailure { error in
            promise.fail(Exchange.Failure(error: error, beforeAnswer: true))
        }
        let answer: Exchange.Answer
        do {
            answer = try await promise.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        if answer.keepAlive, channel.isActive { putIdle(channel) } else { channel.close(promise: nil) }
        return answer.response
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// JSON in, JSON out; a problem+json answer becomes a typed error with the hub's detail.
    package func call<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<String>.none, credential: String? = nil,
        timeout: Duration = .seconds(10), as: Response.Type
    ) async throws -> Response {
        try await call(method, path, json: try body.map { try JSONEncoder.tmws().encode($0) }, credential: credential, timeout: timeout, as: Response.self)
    }

    /// ``call(_:_:body:credential:timeout:as:)`` with a body already written as JSON.
    package func call<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, json data: Data?, credential: String? = nil, timeout: Duration = .seconds(10),
        as: Response.Type
    ) async throws -> Response {
        let body = try await callForBody(method, path, json: data, credential: credential, timeout: timeout)
        do {
            return try JSONDecoder().decode(Response.self, from: body)
        } catch {
            throw TMWSError(.io, "the hub's answer to \(path) is not what this tmws expects")
        }
    }

    /// A successful answer's body; a problem+json answer becomes a typed error with the hub's detail.
    package func callForBody(
        _ method: HTTPMethod, _ path: String, json data: Data?, credential: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> Data {
        let response = try await send(method, path, json: data, credential: credential, timeout: timeout)
        guard (200..<300).contains(response.status) else {
            let detail = (try? JSONDecoder().decode(ProblemDetail.self, from: response.body))?.detail ?? "HTTP \(response.status)"
            let code: TMWSError.Code =
                switch response.status {
                case 401: .unauthorized
                case 403: .forbidden
                case 404: .notFound
                case 400, 413, 415: .invalidInput
                default: .io
                }
            throw TMWSError(code, "the hub answered \(response.status): \(detail)")
        }
        return response.body
    }

    /// TLS failures, said plainly.
    static func describe(_ error: any Error, _ endpoint: HubEndpoint) -> TMWSError {
        if let error = error as? TMWSError { return error }
        let text = String(describing: error)
        let what: String
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            what = "its certificate is not signed by the pinned CA (\(endpoint.caFile)) or does not name \(endpoint.host)"
        } else if text.contains("PROTOCOL_VERSION") || text.contains("UNSUPPORTED_PROTOCOL") {
            what = "it does not speak TLS 1.3"
        } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("unexpectedEOF") {
            what = "it did not answer with TLS (is it a plain HTTP server?)"
        } else if text.contains("connectionRefused") || text.contains("Connection refused") {
            what = "nothing listens there"
        } else if text.contains("connectTimeout") {
            what = "the connection timed out"
        } else {
            what = text
        }
        return TMWSError(.io, "cannot reach the hub at \(endpoint.url.absoluteString): \(what)")
    }
}

/// The `detail` of an application/problem+json answer.
struct ProblemDetail: Decodable {
    var detail: String?
}

/// Drives a kept-alive connection: waits for the TLS handshake and checks the pin (nothing
/// is written before), then sends each request it is given and collects its response, one at
/// a time.
final class Exchange: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Request
    typealias OutboundOut = HTTPClientRequestPart

    /// A request to send, and where its answer goes.
    struct Request {
        var head: HTTPRequestHead
        var body: Data?
        var promise: EventLoopPromise<Answer>
    }

    struct Answer: Sendable {
        var response: HubClient.Response
        /// Whether the hub keeps the connection open for another request.
        var keepAlive: Bool
    }

    /// A failure of the connection; `beforeAnswer` when no byte of an answer had arrived (a
    /// kept-alive connection the hub closed meanwhile: safe to send again on a new one).
    struct Failure: Error {
        var error: any Error
        var beforeAnswer: Bool
    }

    let pin: PublicKeyPin?
    let handshake: EventLoopPromise<Void>
    private var current: EventLoopPromise<Answer>?
    private var answered = false
    private var status = 0
    private var keepAlive = true
    private var received = ByteBuffer()

    init(pin: PublicKeyPin?, handshake: EventLoopPromise<Void>) {
        self.pin = pin
        self.handshake = handshake
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            if let pin {
                let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
                let actual = certificate.flatMap { try? $0.toDERBytes() }.flatMap { try? PublicKeyPin(certificateDER: $0) }
                guard actual == pin else {
                    handshake.fail(TMWSError(.io, "the hub's public key does not match the pinned \(pin): refusing to send anything"))
                    context.close(promise: nil)
                    return
                }
            }
            handshake.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard current == nil else {
            request.promise.fail(Failure(error: TMWSError(.io, "a request is already under way on this connection"), beforeAnswer: true))
            return
        }
        (current, answered, status, keepAlive) = (request.promise, false, 0, true)
        received.clear()
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        answered = true
        switch unwrapInboundIn(data) {
        case .head(let response):
            status = Int(response.status.code)
            keepAlive = response.isKeepAlive
        case .body(var buffer):
            guard received.readableBytes + buffer.readableBytes <= HubClient.maximumBodyBytes else {
                fail(TMWSError(.io, "the hub's answer is larger than \(HubClient.maximumBodyBytes) bytes"))
                context.close(promise: nil)
                return
            }
            received.writeBuffer(&buffer)
        case .end:
            let answer = Answer(response: HubClient.Response(status: status, body: Data(received.readableBytesView)), keepAlive: keepAlive)
            let promise = current
            current = nil
            received.clear()
            promise?.succeed(answer)
        }
    }

    private func fail(_ error: any Error) {
        let promise = current
        current = nil
        promise?.fail(Failure(error: error, beforeAnswer: !answered))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        handshake.fail(error)
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let closed = TMWSError(.io, "the hub closed the connection before answering")
        handshake.fail(closed)
        fail(closed)
        context.fireChannelInactive()
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
