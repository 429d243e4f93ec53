import Foundation

/// Finds secrets and personal data in a text, in three tiers (DESIGN §4): distinctive
/// credential formats, structural secrets, and a prose net in English and Japanese; plus
/// personal data. It is pure computation: nothing is ever sent anywhere to verify a candidate.
///
/// The text is normalised first (NFKC, invisible characters removed), and base64, hex and
/// percent-encoded segments are decoded and scanned again, so an encoded secret is found
/// too. Findings carry a type and a range in the original text, never the value.
public struct SensitiveDataDetector: Sendable {
    /// How many times encoded segments inside encoded segments are decoded.
    public var maximumDecodeDepth: Int

    public init(maximumDecodeDepth: Int = 2) {
        self.maximumDecodeDepth = maximumDecodeDepth
    }

    /// Every rule, tier 1 first.
    static let rules: [PatternRule] = CredentialFormat.all.map(PatternRule.init) + PatternRule.structural
        + PatternRule.prose + PatternRule.personal

    /// The finding types the detector can report.
    public static var findingTypes: [String] {
        var seen = Set<String>()
        return rules.map(\.type).filter { seen.insert($0).inserted }
    }

    /// Scans a text.
    public func scan(_ text: String) -> [SensitiveFinding] {
        let normalized = NormalizedText(text)
        return scan(normalized, bytes: ByteText(normalized.text))
    }

    /// Scans an already normalised text whose bytes were already prepared.
    func scan(_ normalized: NormalizedText, bytes: ByteText) -> [SensitiveFinding] {
        var findings = scan(normalized.text, bytes: bytes, depth: 0).map { found -> SensitiveFinding in
            let range = normalized.originalRange(found.range)
            return SensitiveFinding(type: found.type, tier: found.tier, start: range.start, end: range.end)
        }
        findings.sort { ($0.start, $0.end, $0.type) < ($1.start, $1.end, $1.type) }
        // One finding per type and range.
        var unique: [SensitiveFinding] = []
        for finding in findings where unique.last != finding {
            unique.append(finding)
        }
        return unique
    }

    /// A finding in the scanned (normalised or decoded) text, as a UTF-16 range.
    struct RawFinding {
        var type: String
        var tier: SensitiveFinding.Tier
        var range: NSRange
    }

    func scan(_ text: String, bytes lowered: ByteText, depth: Int) -> [RawFinding] {
        let nsText = text as NSString
        let whole = NSRange(location: 0, length: nsText.length)
        var findings: [RawFinding] = []
        for rule in Self.rules where rule.mayMatch(lowered) {
            let matches = rule.ranges(in: lowered, length: whole.length).flatMap {
                rule.regex.matches(in: text, options: [.withTransparentBounds, .withoutAnchoringBounds], range: $0)
            }
            for match in matches {
                guard let valueRange = Self.valueRange(of: match, for: rule) else { continue }
                let value = nsText.substring(with: valueRange)
                if let acceptKey = rule.acceptKey, match.range(at: 1).location != NSNotFound,
                    !acceptKey(nsText.substring(with: match.range(at: 1)))
                {
                    continue
                }
                guard rule.accept(value) else { continue }
                findings.append(RawFinding(type: rule.type, tier: rule.tier, range: valueRange))
            }
        }
        if depth < maximumDecodeDepth {
            for segment in EncodedSegments.find(in: text, gates: lowered) {
                // A secret inside an encoded segment is reported over the whole segment.
                for inner in scan(segment.decoded, bytes: ByteText(segment.decoded), depth: depth + 1) {
                    findings.append(RawFinding(type: inner.type, tier: inner.tier, range: segment.range))
                }
            }
        }
        return findings
    }

    /// Time spent in each rule over `texts` (after normalisation), slowest first: what
    /// `tmws bench classify --by-rule` prints, to find the rule to optimise.
    public func ruleCosts(_ texts: [String]) -> [(type: String, milliseconds: Double, ran: Int)] {
        let clock = ContinuousClock()
        var costs: [String: (Duration, Int)] = [:]
        for original in texts {
            let text = NormalizedText(original).text
            let lowered = ByteText(text)
            let whole = NSRange(location: 0, length: (text as NSString).length)
            for rule in Self.rules {
                let start = clock.now
                var ran = 0
                if rule.mayMatch(lowered) {
                    for range in rule.ranges(in: lowered, length: whole.length) {
                        _ = rule.regex.matches(in: text, options: [.withTransparentBounds, .withoutAnchoringBounds], range: range)
                    }
                    ran = 1
                }
                let previous = costs[rule.type] ?? (.zero, 0)
                costs[rule.type] = (previous.0 + (clock.now - start), previous.1 + ran)
            }
            let start = clock.now
            _ = EncodedSegments.find(in: text, gates: lowered)
            let previous = costs["(encoded segments)"] ?? (.zero, 0)
            costs["(encoded segments)"] = (previous.0 + (clock.now - start), previous.1 + 1)
        }
        return costs.map { (type: $0.key, milliseconds: Double($0.value.0.components.attoseconds) / 1e15 + Double($0.value.0.components.seconds) * 1000, ran: $0.value.1) }
            .sorted { $0.milliseconds > $1.milliseconds }
    }

    private static func valueRange(of match: NSTextCheckingResult, for rule: PatternRule) -> NSRange? {
        switch rule.value {
        case .whole:
            return match.range
        case .group(let index):
            let range = match.range(at: index)
            return range.location == NSNotFound ? nil : range
        case .firstMatched(let start):
            for index in start..<match.numberOfRanges where match.range(at: index).location != NSNotFound {
                return match.range(at: index)
            }
            return nil
        }
    }
}

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
