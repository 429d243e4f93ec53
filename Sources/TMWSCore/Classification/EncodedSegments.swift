import Foundation

/// Base64, hex and percent-encoded runs that decode to text.
enum EncodedSegments {
    struct Segment {
        var range: NSRange
        var decoded: String
    }

    private static let percent = try! NSRegularExpression(pattern: #"[^\s%]*(?:%[0-9A-Fa-f]{2}[^\s%]*)+"#)

    static func find(in text: String, gates: ByteText) -> [Segment] {
        var segments: [Segment] = []
        if gates.longestBase64Run >= 12 || gates.longestHexRun >= 20 {
            segments += scanRuns(text, gates: gates)
        }
        if gates.contains([0x25]) {
            let nsText = text as NSString
            for match in percent.matches(in: text, range: NSRange(location: 0, length: nsText.length)) {
                let candidate = nsText.substring(with: match.range)
                if let decoded = candidate.removingPercentEncoding, decoded != candidate {
                    segments.append(Segment(range: match.range, decoded: decoded))
                }
            }
        }
        return segments
    }

    /// Base64 runs (at least 12 characters, mixed case, with a digit or `+/=`) and hex runs
    /// (at least 20 digits), found with one pass over the bytes instead of two regular expressions.
    private static func scanRuns(_ text: String, gates: ByteText) -> [Segment] {
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var start = 0
        var index = 0
        func isBase64(_ byte: UInt8) -> Bool {
            byte >= 0x41 && byte <= 0x5A || byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39
                || byte == 0x2B || byte == 0x2F || byte == 0x5F || byte == 0x2D
        }
        func isHex(_ byte: UInt8) -> Bool {
            byte >= 0x30 && byte <= 0x39 || byte >= 0x41 && byte <= 0x46 || byte >= 0x61 && byte <= 0x66
        }
        while index <= bytes.count {
            if index < bytes.count, isBase64(bytes[index]) {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, end - index < 2, bytes[end] == 0x3D { end += 1 }
            let run = bytes[start..<index]
            if run.count >= 12 {
                let range = NSRange(location: gates.utf16Offset(start), length: gates.utf16Offset(end) - gates.utf16Offset(start))
                let candidate = String(decoding: bytes[start..<end], as: UTF8.self)
                if run.count >= 20, run.count % 2 == 0, run.allSatisfy(isHex), let decoded = decodeHex(candidate) {
                    segments.append(Segment(range: range, decoded: decoded))
                } else if let decoded = decodeBase64(candidate) {
                    segments.append(Segment(range: range, decoded: decoded))
                }
            }
            index = end > index ? end : index + 1
            start = index
        }
        return segments
    }

    /// Standard or URL-safe base64, padded or not, that decodes to mostly printable UTF-8.
    static func decodeBase64(_ candidate: String) -> String? {
        // Words, paths and identifiers are valid base64 too; real encodings mix cases and digits.
        guard candidate.contains(where: \.isNumber) || candidate.contains("=") || candidate.contains("+") || candidate.contains("/"),
            candidate.contains(where: \.isUppercase), candidate.contains(where: \.isLowercase)
        else { return nil }
        var standard = String(decoding: candidate.utf8.map { $0 == 0x2D ? 0x2B : $0 == 0x5F ? 0x2F : $0 }, as: UTF8.self)
        while standard.utf8.count % 4 != 0 { standard += "=" }
        guard let data = Data(base64Encoded: standard) else { return nil }
        return printableText(data)
    }

    static func decodeHex(_ candidate: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(candidate.utf8.count / 2)
        var iterator = candidate.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexValue(high), let l = hexValue(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return printableText(Data(bytes))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x37
        case 0x61...0x66: byte - 0x57
        default: nil
        }
    }

    /// UTF-8 text with at most 5 % control characters (binary data is not rescanned).
    private static func printableText(_ data: Data) -> String? {
        guard data.count >= 6, let text = String(validating: data, as: UTF8.self) else { return nil }
        let controls = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }.count
        return controls * 20 <= text.unicodeScalars.count ? text : nil
    }
}
