import Foundation
import TMWSCore
import Testing

/// Issue item 5, first half: secrets disguised so a plain scan misses them — split by white
/// space, split URLs, armourless key bodies, nested encodings, look-alike letters, escapes.
@Suite struct EvasionTests {
    static let detector = SensitiveDataDetector()
    static let token = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"

    static func types(_ text: String) -> Set<String> { Set(detector.scan(text).map(\.type)) }

    static func scalars(_ text: String, _ finding: SensitiveFinding) -> String {
        let all = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(all[finding.start..<finding.end]))
    }

    @Test(arguments: ["\n", " ", "\r\n", "\n    ", "\" +\n    \"", "\\\n"])
    func aTokenSplitByWhiteSpaceIsFoundWhole(_ gap: String) {
        for cut in [2, 3, 8, 20, 33] {
            let index = Self.token.index(Self.token.startIndex, offsetBy: cut)
            let text = "the bot uses \(Self.token[..<index])\(gap)\(Self.token[index...]) for pushes"
            let finding = Self.detector.scan(text).first { $0.type == "github_token" }
            #expect(finding != nil, "split at \(cut) by \(gap.debugDescription)")
            if let finding {
                let covered = Self.scalars(text, finding)
                #expect(covered.hasPrefix(String(Self.token[..<index])) && covered.hasSuffix(String(Self.token[index...])))
            }
        }
    }

    @Test func otherFormatsSplitByALineBreakAreFound() {
        let samples = [
            ("aws_access_key_id", "AKIAQ3EGRF\nOB4NDL3XYZ"),
            ("slack_token", "xoxb-1234567890123-1234567890123-AbCdEfGh\nIjKlMnOpQrStUvWx"),
            ("stripe_secret_key", "sk_live_51HqLy\njWDarjtT1zdp7dcAbCdEf"),
        ]
        for (type, text) in samples {
            #expect(Self.types("key: \(text)").contains(type), "\(type)")
        }
    }

    @Test func aBareRandomSecretHardWrappedOverTwoLinesIsFoundWhole() {
        let text = "prod creds\nwJalrXUtnFEMI/K7MDENG/\nbPxRfiCYzQ8mT3vR9w\nthanks"
        let finding = Self.detector.scan(text).first { $0.type == "high_entropy_string" }
        #expect(finding.map { Self.scalars(text, $0) } == "wJalrXUtnFEMI/K7MDENG/\nbPxRfiCYzQ8mT3vR9w")
    }

    @Test func aDatabaseURLWithItsPasswordSplitByALineBreakIsFound() {
        #expect(Self.types("DATABASE_URL=postgres://app:s3cr3t\nPW-2024@db.internal:5432/app").contains("url_with_password"))
        #expect(Self.types("mongodb+srv://svc:Zq8mT3v\r\nR9wX2pL@cluster0.mongodb.net/prod").contains("url_with_password"))
        // A port before a line break is not a password.
        #expect(!Self.types("open http://localhost:8080\nalice@acme-corp.com").contains("url_with_password"))
    }

    @Test func aPrivateKeyBodyWithoutItsBeginAndEndLinesIsFound() {
        var random = SplitMix64(seed: 0xB0D7)
        for (label, start) in SecretFixtures.bodyStarts {
            let body = SecretFixtures.body(start: start, length: 320, lineWidth: label.hasPrefix("OPENSSH") ? 70 : 64, &random)
            #expect(Self.types("the key body, headers stripped:\n\(body)\nend").contains("private_key"), "\(label)")
            let oneLine = body.replacingOccurrences(of: "\n", with: "")
            #expect(Self.types("key=\(oneLine)").contains("private_key"), "\(label) on one line")
        }
    }

    @Test func certificateAndPublicKeyBodiesAreNotPrivateKeys() {
        var random = SplitMix64(seed: 0xCE27)
        for start in ["MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"] {
            let body = SecretFixtures.body(start: start, length: 320, &random)
            #expect(!Self.types(body).contains("private_key"))
        }
    }

    @Test func base64NestedThreeDeepIsDecoded() {
        var text = Self.token
        for depth in 1...3 {
            text = Data(text.utf8).base64EncodedString()
            #expect(Self.types("blob: \(text)").contains("github_token"), "depth \(depth)")
        }
    }

    @Test(arguments: [
        ("gһp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "github_token"),  // Cyrillic һ
        ("ghр_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "github_token"),  // Cyrillic р
        ("АKIAQ3EGRFOB4NDL3XYZ", "aws_access_key_id"),  // Cyrillic А
        ("AKΙAQ3EGRFOB4NDL3XYZ", "aws_access_key_id"),  // Greek Ι
        ("ｇｈｐ＿aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "github_token"),  // full width
        ("DB_РASSWORD=hunter2x", "secret_assignment"),  // Cyrillic Р in the key
        ("g\u{332}h\u{332}p\u{332}_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "github_token"),  // combining low lines
        ("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678\u{336}9", "github_token"),  // a strike-through mark
        ("sk\u{2010}proj\u{2010}Ab3_Cd5-Ef7Ab3_Cd5-Ef7Ab3_Cd5-Ef7Ab3_Cd5-Ef7Ab3_Cd5", "openai_api_key"),  // Unicode hyphens
    ])
    func lookAlikeLettersAreReadAsLatin(_ text: String, _ type: String) {
        #expect(Self.types("token \(text) here").contains(type))
    }

    @Test func russianAndGreekProseIsNotRewritten() {
        #expect(Self.types("Развёртывание идёт через staging, потом prod.").isEmpty)
        #expect(Self.types("Η ανάπτυξη γίνεται πρώτα στο staging.").isEmpty)
    }

    @Test(arguments: [
        #"\u0067hp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"#,
        #"\u{67}hp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"#,
        #"\x67\x68\x70_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"#,
        "&#x67;hp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "&#103;&#104;&#112;_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        #"\U00000067hp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"#,
        #"\147\150\160_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"#,
    ])
    func escapedCharactersAreDecoded(_ text: String) {
        let wrapped = "const t = \"\(text)\";"
        let finding = Self.detector.scan(wrapped).first { $0.type == "github_token" }
        #expect(finding != nil)
        // The finding covers the escapes as written, so redaction removes them.
        if let finding {
            #expect(Self.scalars(wrapped, finding) == text)
        }
    }

    @Test func everyEvasionIsRedactedForACloudScope() throws {
        let classifier = ScopeClassifier()
        let texts = [
            "uses ghp_aBcDeFgHiJkLmN\noPqRsTuVwXyZ0123456789 now",
            "gһp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            #"t = "\u0067hp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789""#,
            "postgres://app:s3cr3t\nPW-2024@db.internal/app",
        ]
        for text in texts {
            let (_, stored) = try classifier.classify(text, explicitScope: .global, redact: true)
            #expect(!stored.contains("0123456789") && !stored.contains("PW-2024"))
            #expect(classifier.detector.scan(stored).isEmpty)
        }
    }
}
