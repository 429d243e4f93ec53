import Foundation

/// A credential format written once and used twice: compiled to a regular expression for
/// detection, and run backwards to generate valid samples for the tests (like gitleaks'
/// reggen), so a rule and its true positives cannot drift apart.
package struct TokenPattern: Sendable {
    /// A character class of a token's body.
    package enum CharacterClass: Sendable, Hashable {
        case base62, hexLower, hex, digits, upper, upperDigits, lowerDigits, letters
        case word  // A-Z a-z 0-9 _
        case wordDash  // A-Z a-z 0-9 _ -
        case base64  // A-Z a-z 0-9 + /
        case base32Upper  // A-Z 2-7
        case bech32  // the bech32 data alphabet, upper case
        case custom(regex: String, alphabet: String)

        var regex: String {
            switch self {
            case .base62: "[A-Za-z0-9]"
            case .hexLower: "[0-9a-f]"
            case .hex: "[0-9a-fA-F]"
            case .digits: "[0-9]"
            case .upper: "[A-Z]"
            case .upperDigits: "[A-Z0-9]"
            case .lowerDigits: "[a-z0-9]"
            case .letters: "[A-Za-z]"
            case .word: "[A-Za-z0-9_]"
            case .wordDash: "[A-Za-z0-9_-]"
            case .base64: "[A-Za-z0-9+/]"
            case .base32Upper: "[A-Z2-7]"
            case .bech32: "[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]"
            case .custom(let regex, _): regex
            }
        }

        package var alphabet: [Character] {
            let lower = "abcdefghijklmnopqrstuvwxyz"
            let upper = lower.uppercased()
            let digits = "0123456789"
            switch self {
            case .base62: return Array(upper + lower + digits)
            case .hexLower: return Array("0123456789abcdef")
            case .hex: return Array("0123456789abcdefABCDEF")
            case .digits: return Array(digits)
            case .upper: return Array(upper)
            case .upperDigits: return Array(upper + digits)
            case .lowerDigits: return Array(lower + digits)
            case .letters: return Array(upper + lower)
            case .word: return Array(upper + lower + digits + "_")
            case .wordDash: return Array(upper + lower + digits + "_-")
            case .base64: return Array(upper + lower + digits + "+/")
            case .base32Upper: return Array(upper + "234567")
            case .bech32: return Array("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")
            case .custom(_, let alphabet): return Array(alphabet)
            }
        }
    }

    /// One piece of a format.
    package enum Segment: Sendable {
        case literal(String)
        case oneOf([String])
        case characters(CharacterClass, Int, Int)

        static func characters(_ characterClass: CharacterClass, _ count: Int) -> Segment {
            .characters(characterClass, count, count)
        }
    }

    package let segments: [Segment]

    package init(_ segments: [Segment]) {
        self.segments = segments
    }

    /// The regular expression, bounded so a token is never matched inside a longer one.
    var regex: String {
        var body = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                body += NSRegularExpression.escapedPattern(for: text)
            case .oneOf(let options):
                body += "(?:" + options.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + ")"
            case .characters(let characterClass, let minimum, let maximum):
                body += characterClass.regex + (minimum == maximum ? "{\(minimum)}" : "{\(minimum),\(maximum)}")
            }
        }
        return "(?<![A-Za-z0-9_])" + body + "(?![A-Za-z0-9_])"
    }

    /// A valid sample; `lengthBias` 0 picks minimum lengths, 1 maximum ones, and anything
    /// between picks randomly.
    package func sample(using random: inout SplitMix64, lengthBias: Double? = nil) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .literal(let text):
                output += text
            case .oneOf(let options):
                output += options[random.next(options.count)]
            case .characters(let characterClass, let minimum, let maximum):
                let count: Int
                switch lengthBias {
                case 0?: count = minimum
                case 1?: count = min(maximum, minimum + 200)
                default: count = minimum + random.next(min(maximum, minimum + 60) - minimum + 1)
                }
                let alphabet = characterClass.alphabet
                for _ in 0..<count {
                    output.append(alphabet[random.next(alphabet.count)])
                }
            }
        }
        return output
    }

    /// The length of the shortest token the pattern matches.
    var minimumLength: Int {
        segments.reduce(0) { total, segment in
            switch segment {
            case .literal(let text): total + text.count
            case .oneOf(let options): total + (options.map(\.count).min() ?? 0)
            case .characters(_, let minimum, _): total + minimum
            }
        }
    }

    /// The first literal or option, the part a "wrong prefix" near miss changes.
    var leadingLiteral: String? {
        switch segments.first {
        case .literal(let text)?: text
        case .oneOf(let options)?: options.first
        default: nil
        }
    }
}
