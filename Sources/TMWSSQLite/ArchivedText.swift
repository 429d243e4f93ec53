import CZlib
import Foundation
import GRDB

/// An archived memory's text, compressed with zlib (deflate) in the format
/// `[1][length: UInt32 little-endian][zlib stream]`.
///
/// The text lives compressed in `memory_archive`; reads see it through the SQL function
/// `tmws_inflate(blob)`, so every query that selects ``MemoryRow/columns`` returns an
/// archived memory's text as if it were stored in `memory.content`.
enum ArchivedText {
    static let functionName = "tmws_inflate"
    private static let format: UInt8 = 1
    /// A memory's text is far smaller (see `MemoryLimits`); anything claiming more
    /// than this is not ours.
    private static let maximumLength = 64 * 1024 * 1024

    static func compress(_ text: String) -> [UInt8] {
        let source = Array(text.utf8)
        var bound = compressBound(uLong(source.count))
        var output = [UInt8](repeating: 0, count: 5 + Int(bound))
        output[0] = format
        withUnsafeBytes(of: UInt32(source.count).littleEndian) { output.replaceSubrange(1..<5, with: $0) }
        let status = output.withUnsafeMutableBufferPointer { buffer in
            source.withUnsafeBufferPointer { input in
                compress2(buffer.baseAddress! + 5, &bound, input.baseAddress, uLong(source.count), 6)
            }
        }
        // compress2 only fails for lack of memory or a buffer smaller than compressBound.
        precondition(status == Z_OK, "zlib compress2 failed (\(status))")
        output.removeSubrange((5 + Int(bound))...)
        return output
    }

    /// The text, or `nil` when `bytes` is not a compressed text of this format.
    static func decompress(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 5, bytes[0] == format else { return nil }
        let length = Int(UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24)
        guard length <= maximumLength else { return nil }
        var output = [UInt8](repeating: 0, count: max(1, length))
        var produced = uLong(length)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            bytes.withUnsafeBufferPointer { input in
                uncompress(buffer.baseAddress, &produced, input.baseAddress! + 5, uLong(bytes.count - 5))
            }
        }
        guard status == Z_OK, Int(produced) == length else { return nil }
        return String(decoding: output.prefix(length), as: UTF8.self)
    }

    /// Registers `tmws_inflate(blob)` on a connection; a blob that does not decompress is an error.
    static func register(_ db: Database) {
        db.add(function: inflate)
    }

    private static let inflate = DatabaseFunction(functionName, argumentCount: 1, pure: true) { values in
        guard let blob = Data.fromDatabaseValue(values[0]) else { return nil }
        guard let text = decompress([UInt8](blob)) else {
            throw DatabaseError(message: "an archived memory's text does not decompress; run 'tmws doctor'")
        }
        return text
    }
}
