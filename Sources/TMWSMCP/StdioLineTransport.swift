import Foundation
import Logging
import MCP

/// MCP over standard input and output, one JSON-RPC message per line.
///
/// The SDK's `StdioTransport` polls a non-blocking stdin with 10 ms sleeps, which adds about
/// 10 ms to every round trip (measured, reference swift-packages.md §1). This transport reads
/// stdin with blocking reads on one dedicated thread instead, so a request is handled as soon
/// as its line arrives.
public actor StdioLineTransport: Transport {
    public nonisolated let logger: Logger
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var reader: Thread?

    public init(logger: Logger = Logger(label: "tmws.mcp.stdio")) {
        self.logger = logger
        (messages, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    public func connect() async throws {
        guard reader == nil else { return }
        let continuation = self.continuation
        // A thread, not a task: a blocking read must not hold one of the few cooperative threads.
        let thread = Thread {
            while let line = readLine(strippingNewline: true) {
                if line.isEmpty { continue }
                continuation.yield(Data(line.utf8))
            }
            continuation.finish()
        }
        thread.name = "tmws-mcp-stdin"
        thread.start()
        reader = thread
    }

    public func disconnect() async {
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        var line = data
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardOutput.write(line)
    }

    public func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }
}
