import Foundation
import Logging
import MCP
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// MCP over standard input and output, one JSON-RPC message per line.
///
/// The SDK's `StdioTransport` polls a non-blocking stdin with 10 ms sleeps, which adds about
/// 10 ms to every round trip (measured, reference swift-packages.md §1). This transport reads
/// stdin with blocking reads on one dedicated thread instead, so a request is handled as soon
/// as its line arrives.
///
/// It also keeps JSON-RPC's promises that the SDK's loop does not:
/// - every request read before the end of input is answered before the stream ends (the SDK
///   answers requests in detached tasks and stops when its input ends);
/// - a line that is not valid UTF-8 or not JSON gets a parse error with `id: null`, and a
///   request whose id is not a string, a number or null gets an `Invalid Request` error,
///   instead of an error under an invented id or silence.
package actor StdioLineTransport: Transport {
    package nonisolated let logger: Logger
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let inFlight = InFlight()
    private var reader: Thread?
    /// How long the end of input waits for answers still being computed. Default 60 s.
    private let drainTimeout: Duration

    package init(logger: Logger = Logger(label: "tmws.mcp.stdio"), drainTimeout: Duration = .seconds(60)) {
        self.logger = logger
        self.drainTimeout = drainTimeout
        (messages, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    package func connect() async throws {
        guard reader == nil else { return }
        let continuation = self.continuation
        let inFlight = self.inFlight
        let timeout = drainTimeout
        // A thread, not a task: a blocking read must not hold one of the few cooperative threads.
        let thread = Thread {
            while let line = Self.readLine() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                switch Self.check(line) {
                case .forward(let isRequest):
                    if isRequest { inFlight.begin() }
                    continuation.yield(Data(line))
                case .reject(let error):
                    Self.write(Data(error.utf8))
                }
            }
            // End of input: answer what was asked, then end the stream.
            inFlight.waitUntilIdle(timeout: timeout)
            continuation.finish()
        }
        thread.name = "tmws-mcp-stdin"
        thread.start()
        reader = thread
    }

    package func disconnect() async {
        continuation.finish()
    }

    package func send(_ data: Data) async throws {
        Self.write(data)
        if Self.isResponse(data) { inFlight.end() }
    }

    package func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }

    // MARK: - Lines

    /// Standard input as a C stream, read only by the reader thread.
    nonisolated(unsafe) private static let input = fdopen(STDIN_FILENO, "r")

    /// One line of standard input as bytes, without its newline; `nil` at the end of input.
    private static func readLine() -> [UInt8]? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, input)
        guard count >= 0, let buffer else { return nil }
        var bytes = Array(UnsafeRawBufferPointer(start: buffer, count: count).bindMemory(to: UInt8.self))
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }

    private static let writeLock = Mutex(())

    private static func write(_ data: Data) {
        var line = data
        line.append(UInt8(ascii: "\n"))
        writeLock.withLock { _ in FileHandle.standardOutput.write(line) }
    }

    enum Check: Equatable {
        /// A message for the server; `isRequest` when it expects an answer.
        case forward(isRequest: Bool)
        /// Not a usable message: the error line to answer with.
        case reject(String)
    }

    /// What to do with one input line.
    static func check(_ line: [UInt8]) -> Check {
        guard String(validating: line, as: UTF8.self) != nil else {
            return .reject(errorLine(code: -32700, message: "Parse error: the message is not valid UTF-8"))
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) else {
            return .reject(errorLine(code: -32700, message: "Parse error: the message is not valid JSON"))
        }
        if let batch = json as? [Any] {
            // Batches are the SDK's to answer; each request in one counts.
            let requests = batch.compactMap { $0 as? [String: Any] }.filter { $0["method"] != nil && $0["id"] != nil }
            return batch.isEmpty ? .reject(errorLine(code: -32600, message: "Invalid Request: empty batch")) : .forward(isRequest: !requests.isEmpty)
        }
        guard let object = json as? [String: Any] else {
            return .reject(errorLine(code: -32600, message: "Invalid Request: a message must be a JSON object"))
        }
        if let id = object["id"], !(id is String), !(id is NSNull), !isInteger(id) {
            return .reject(errorLine(code: -32600, message: "Invalid Request: id must be a string, a number or null"))
        }
        return .forward(isRequest: object["method"] is String && object["id"] != nil && !(object["id"] is NSNull))
    }

    private static func isInteger(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        // JSONSerialization reports booleans as NSNumber too ("c").
        return String(cString: number.objCType) != "c" && number.doubleValue.rounded() == number.doubleValue
    }

    static func errorLine(code: Int, message: String) -> String {
        #"{"jsonrpc":"2.0","id":null,"error":{"code":\#(code),"message":"\#(message)"}}"#
    }

    /// Whether an outgoing message answers a request (it has an id and no method).
    ///
    /// The SDK writes keys in sorted order, so a response starts `{"error":` or
    /// `{"id":…,"jsonrpc":"2.0","result":`; reading that prefix spares parsing a whole search
    /// result (JSONSerialization on Linux cost about 1 ms per round trip). Anything else is parsed.
    static func isResponse(_ data: Data) -> Bool {
        if data.starts(with: errorPrefix) { return true }
        if data.starts(with: idPrefix), let marker = data.prefix(160).range(of: versionMarker) {
            let rest = data[marker.upperBound...]
            if rest.starts(with: resultKey) { return true }
            if rest.starts(with: methodKey) { return false }
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) else { return false }
        if let batch = json as? [Any] { return batch.contains { isResponseObject($0) } }
        return isResponseObject(json)
    }

    private static let errorPrefix = Data(#"{"error":"#.utf8)
    private static let idPrefix = Data(#"{"id":"#.utf8)
    private static let versionMarker = Data(#""jsonrpc":"2.0","#.utf8)
    private static let resultKey = Data(#""result":"#.utf8)
    private static let methodKey = Data(#""method":"#.utf8)

    private static func isResponseObject(_ json: Any) -> Bool {
        guard let object = json as? [String: Any] else { return false }
        return object["method"] == nil && object["id"] != nil && (object["result"] != nil || object["error"] != nil)
    }
}

/// Requests read but not answered yet, so the end of input can wait for their answers.
final class InFlight: Sendable {
    private let count = Mutex(0)
    private let idle = DispatchSemaphore(value: 0)
    private let waiting = Mutex(false)

    func begin() {
        count.withLock { $0 += 1 }
    }

    func end() {
        let now = count.withLock { value -> Int in
            value = max(0, value - 1)
            return value
        }
        if now == 0, waiting.withLock({ $0 }) { idle.signal() }
    }

    /// Blocks the calling thread until every request is answered, or `timeout` passes.
    func waitUntilIdle(timeout: Duration) {
        waiting.withLock { $0 = true }
        while count.withLock({ $0 }) > 0 {
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            if idle.wait(timeout: .now() + seconds) == .timedOut { return }
        }
    }
}
