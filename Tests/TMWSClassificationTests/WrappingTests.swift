import Foundation
import TMWSCore
import Testing

/// Every true positive must still be found wherever a memory might carry it: in English and
/// Japanese prose, JSON, env, YAML, code, Markdown fences, quotes, brackets, base64 and URL
/// encoding, and with invisible characters pasted in.
@Suite struct WrappingTests {
    static let detector = SensitiveDataDetector()

    static let wrappers: [(name: String, wrap: @Sendable (String) -> String)] = [
        ("English prose", { "Note for later: \($0) — rotate it after the release." }),
        ("Japanese prose", { "メモ：\($0) を来週までに更新すること。" }),
        ("JSON", { #"{"note": "\#($0)", "ok": true}"# }),
        ("env", { "NOTE_VALUE=\($0)\nOTHER=1" }),
        ("YAML", { "notes:\n  - value: \($0)\n" }),
        ("code", { "let note = \"\($0)\"\nprint(note)" }),
        ("Markdown fence", { "```\n\($0)\n```" }),
        ("double quotes", { "\"\($0)\"" }),
        ("single quotes", { "'\($0)'" }),
        ("brackets", { "[\($0)]" }),
        ("parentheses", { "(\($0))" }),
        ("base64", { Data($0.utf8).base64EncodedString() }),
        (
            "URL encoding",
            { text in
                text.unicodeScalars.map { scalar in
                    scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar)
                        ? String(scalar) : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
                }.joined()
            }
        ),
        (
            "stringified JSON",
            { text in
                #"{"body": "{\"note\": \"\#(text.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n"))\"}"}"#
            }
        ),
        ("XML element", { "<config><note>\($0)</note></config>" }),
        ("shell export", { "export NOTE='\($0)'" }),
        ("Markdown table", { "| key | value |\n|---|---|\n| note | \($0) |" }),
        ("YAML block scalar", { "note: |\n  \($0.replacingOccurrences(of: "\n", with: "\n  "))\n" }),
        ("full-width brackets", { "メモ「\($0)」を共有" }),
        ("Chinese prose", { "备注：\($0)，请尽快更换。" }),
        ("Korean prose", { "메모: \($0) 를 다음 주까지 교체할 것." }),
        ("HTML entity", { text in escapingMiddleLetter(text) { "&#x\(String($0.value, radix: 16));" } }),
        ("unicode escape", { text in escapingMiddleLetter(text) { String(format: "\\u%04x", $0.value) } }),
        (
            "look-alike letter",
            { text in
                let lookAlikes: [Character: Character] = ["a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х"]
                guard let index = text.firstIndex(where: { lookAlikes[$0] != nil }) else { return text }
                var changed = text
                changed.replaceSubrange(index...index, with: String(lookAlikes[text[index]]!))
                return changed
            }
        ),
        (
            "zero-width characters",
            { text in
                let middle = text.index(text.startIndex, offsetBy: text.count / 2)
                return "\u{200B}" + text[..<middle] + "\u{200B}" + text[middle...]
            }
        ),
    ]

    /// The text with its middle ASCII letter or digit written as an escape.
    static func escapingMiddleLetter(_ text: String, _ escape: (Unicode.Scalar) -> String) -> String {
        let scalars = Array(text.unicodeScalars)
        let middle = scalars.count / 2
        guard
            let index = (middle..<scalars.count).first(where: { scalars[$0].isASCII && scalars[$0].properties.isAlphabetic })
                ?? (0..<middle).last(where: { scalars[$0].isASCII && scalars[$0].properties.isAlphabetic })
        else { return text }
        var output = String.UnicodeScalarView(scalars[..<index])
        output.append(contentsOf: escape(scalars[index]).unicodeScalars)
        output.append(contentsOf: scalars[(index + 1)...])
        return String(output)
    }

    /// Two true positives per rule: the hand-written one and one generated.
    static var truePositives: [(type: String, sample: String)] {
        var random = SplitMix64(seed: 0xFEED)
        var samples: [(String, String)] = []
        for format in CredentialFormat.all {
            samples.append((format.type, CredentialFormatTests.handWritten[format.type]!))
            samples.append((format.type, format.pattern.sample(using: &random)))
        }
        for rule in RuleCorpus.rules {
            samples.append((rule.type, rule.handWritten))
            samples.append((rule.type, rule.generate(&random)))
        }
        return samples
    }

    @Test(arguments: wrappers.map(\.name))
    func truePositivesSurviveWrapping(_ name: String) throws {
        let wrap = try #require(Self.wrappers.first { $0.name == name }).wrap
        var missed: [String] = []
        for (type, sample) in Self.truePositives {
            let wrapped = wrap(sample)
            if !Self.detector.scan(wrapped).map(\.type).contains(type) {
                missed.append(type)
            }
        }
        #expect(missed.isEmpty, "\(name): missed \(missed)")
    }

    @Test func findingsPointAtTheOriginalText() {
        let text = "東京の\u{200B}メモ：キーは ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 です"
        let finding = Self.detector.scan(text).first { $0.type == "github_token" }
        let scalars = Array(text.unicodeScalars)
        let value = finding.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        #expect(value == "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")
    }

    @Test func fullWidthSecretsAreNormalizedFirst() {
        let fullWidth = "ＡＫＩＡＱ３ＥＧＲＦＯＢ４ＮＤＬ３ＸＹＺ"
        #expect(Self.detector.scan("キー：\(fullWidth)").map(\.type).contains("aws_access_key_id"))
    }
}
