import Foundation
import NIOCore
import NIOTLS
import NIOHTTP1
import NIOPosix
import NIOSSL
import TMWSCore
import TMWSTLS

/// Where a node reaches its hub, and how it knows the hub is the right one: TLS 1.3, the
/// certificate signed by the pinned CA (never the system's trust store), and optionally the
/// hub's public key pinned too.
public struct HubEndpoint: Sendable, Hashable {
    public var url: URL
    public var caFile: String
    public var pin: PublicKeyPin?

    public init(url: String, caFile: String, pin: PublicKeyPin?) throws {
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

/// A minimal HTTPS/1.1 client for the hub: one connection per request, TLS 1.3 against the
/// pinned CA, the public-key pin (when set) checked after the handshake and before any byte
/// of the request — so a credential never reaches a server that fails either check.
public struct HubClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
    }

    public let endpoint: HubEndpoint
    let context: NIOSSLContext
    let group: any EventLoopGroup
    /// The largest response accepted.
    static let maximumBodyBytes = 8 << 20

    public init(endpoint: HubEndpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.endpoint = endpoint
        self.group = group
        do {
            context = try NIOSSLContext(configuration: try TLSPolicy.client(caFile: endpoint.caFile))
        } catch let error as TLSSetupError {
            throw TMWSError(.configuration, error.description, field: "ca")
        }
    }

    /// Sends one request and returns the response, or fails within `timeout`.
    ///
    /// - Parameter credential: sent as `Authorization: Bearer …`.
    public func send(
        _ method: HTTPMethod, _ path: String, json body: Data? = nil, credential: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> Response {
        let loop = group.next()
        let promise = loop.makePromise(of: Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: endpoint.url.path.trimmingSuffix("/") + path)
        head.headers.add(name: "Host", value: endpoint.port == 443 ? endpoint.host : "\(endpoint.host):\(endpoint.port)")
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "User-Agent", value: "tmws")
        head.headers.add(name: "Accept", value: "application/json")
        if let credential { head.headers.add(name: "Authorization", value: "Bearer \(credential)") }
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        } else if method == .POST {
            head.headers.add(name: "Content-Length", value: "0")
        }
        let exchange = Exchange(head: head, body: body, pin: endpoint.pin, promise: promise)
        let isIPAddress = endpoint.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        let sslContext = context
        let host = endpoint.host
        let timeoutAmount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(min(timeoutAmount, .seconds(10)))
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
        let timer = loop.scheduleTask(in: timeoutAmount) {
            promise.fail(TMWSError(.io, "the hub at \(endpoint.url.absoluteString) did not answer within \(timeout)"))
        }
        let connected = bootstrap.connect(host: host, port: endpoint.port)
        connected.whenFailure { promise.fail(Self.describe($0, endpoint)) }
        defer { timer.cancel() }
        do {
            let response = try await promise.futureResult.get()
            if let channel = try? await connected.get() { _ = try? await channel.close().get() }
            return response
        } catch {
            if let channel = try? await connected.get() { _ = try? await channel.close().get() }
            throw Self.describe(error, endpoint)
        }
    }

    /// JSON in, JSON out; a problem+json answer becomes a typed error with the hub's detail.
    public func call<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<String>.none, credential: String? = nil,
        timeout: Duration = .seconds(10), as: Response.Type
    ) async throws -> Response {
        try await call(method, path, json: try body.map { try JSONEncoder.tmws().encode($0) }, credential: credential, timeout: timeout, as: Response.self)
    }

    /// ``call(_:_:body:credential:timeout:as:)`` with a body already written as JSON.
    public func call<Response: Decodable>(
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
    public func callForBody(
        _ method: HTTPMethod, _ path: String, json data: Data?, credential: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> Data {
        let response = try await send(method, path, json: data, credential: credential, timeout: timeout)
        guard (200..<300).contains(response.status) else {
            let detail = (try? JSONDecoder().decode(ProblemDetail.self, from: response.body))?.detail ?? "HTTP \(response.status)"
            let code: TMWSError.Code = switch response.status {
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

/// Drives one request on a connection: waits for the TLS handshake, checks the pin, sends
/// the request, collects the response.
final class Exchange: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Never
    typealias OutboundOut = HTTPClientRequestPart

    let head: HTTPRequestHead
    let body: Data?
    let pin: PublicKeyPin?
    let promise: EventLoopPromise<HubClient.Response>
    private var status = 0
    private var received = ByteBuffer()

    init(head: HTTPRequestHead, body: Data?, pin: PublicKeyPin?, promise: EventLoopPromise<HubClient.Response>) {
        self.head = head
        self.body = body
        self.pin = pin
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            if let pin {
                let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
                let actual = certificate.flatMap { try? $0.toDERBytes() }.flatMap { try? PublicKeyPin(certificateDER: $0) }
                guard actual == pin else {
                    promise.fail(TMWSError(.io, "the hub's public key does not match the pinned \(pin): refusing to send anything"))
                    context.close(promise: nil)
                    return
                }
            }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if let body { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response):
            status = Int(response.status.code)
        case .body(var buffer):
            guard received.readableBytes + buffer.readableBytes <= HubClient.maximumBodyBytes else {
                promise.fail(TMWSError(.io, "the hub's answer is larger than \(HubClient.maximumBodyBytes) bytes"))
                context.close(promise: nil)
                return
            }
            received.writeBuffer(&buffer)
        case .end:
            promise.succeed(HubClient.Response(status: status, body: Data(received.readableBytesView)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(TMWSError(.io, "the hub closed the connection before answering"))
        context.fireChannelInactive()
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
