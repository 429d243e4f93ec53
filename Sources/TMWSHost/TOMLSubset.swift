/// A value in a TOML configuration file.
package enum TOMLValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    /// Text from the environment or a flag, which has no types: read as the setting's type.
    /// (A quoted string in the file is `.string`, and a number setting refuses it.)
    case unparsed(String)

    var typeName: String {
        switch self {
        case .string: "a string"
        case .unparsed: "text"
        case .integer: "an integer"
        case .float: "a number"
        case .boolean: "a boolean"
        case .array: "an array"
        }
    }
}

/// A parser for the part of TOML 1.0 a configuration file needs: comments, `[table]`
/// headers, bare, quoted and dotted keys, strings (basic and literal), integers, floats,
/// booleans and one-line arrays. Anything else is reported with its line number.
///
/// (The TOML package mirrored here depends on a package that is not, so it cannot be used.)
package enum TOMLSubset {
    /// A syntax error at a line of the file.
    package struct SyntaxError: Error, Hashable, CustomStringConvertible {
        package var line: Int
        package var reason: String
        package var description: String { "line \(line): \(reason)" }
    }

    /// Parses a document into a flat map from dotted keys (`memory.max_content_chars`) to values.
    ///
    /// - Throws: ``SyntaxError`` for the first line that is not valid.
    package static func parse(_ text: String) throws -> [String: TOMLValue] {
        try parseLocated(text).mapValues(\.value)
    }

    /// Like ``parse(_:)``, with the line each key was set on (for errors about its value).
    package static func parseLocated(_ text: String) throws -> [String: (value: TOMLValue, line: Int)] {
        var result: [String: (value: TOMLValue, line: Int)] = [:]
        var table: [String] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var scanner = Scanner(Array(rawLine.unicodeScalars), line: lineNumber)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                if scanner.peek == "[" { throw scanner.error("arrays of tables ([[…]]) are not supported") }
                table = try scanner.key()
                scanner.skipSpaces()
                try scanner.expect("]")
                scanner.skipSpaces()
                guard scanner.atEndOrComment else { throw scanner.error("unexpected text after the table header") }
                continue
            }
            let key = (table + (try scanner.key())).joined(separator: ".")
            scanner.skipSpaces()
            try scanner.expect("=")
            scanner.skipSpaces()
            let value = try scanner.value()
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw scanner.error("unexpected text after the value of '\(key)'") }
            guard result[key] == nil else { throw scanner.error("'\(key)' is defined twice") }
            result[key] = (value, lineNumber)
        }
        return result
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        let line: Int
        var index = 0

        init(_ scalars: [Unicode.Scalar], line: Int) {
            // Tolerate Windows line endings.
            self.scalars = scalars.last == "\r" ? Array(scalars.dropLast()) : scalars
            self.line = line
        }

        var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
        var atEndOrComment: Bool { peek == nil || peek == "#" }

        mutating func advance() { index += 1 }

        mutating func skipSpaces() {
            while peek == " " || peek == "\t" { advance() }
        }

        func error(_ reason: String) -> SyntaxError { SyntaxError(line: line, reason: reason) }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            guard peek == scalar else { throw error("expected '\(scalar)'") }
            advance()
        }

        /// A dotted key: bare parts (`A-Za-z0-9_-`) or quoted ones.
        mutating func key() throws -> [String] {
            var parts: [String] = []
            repeat {
                skipSpaces()
                if peek == "\"" || peek == "'" {
                    parts.append(try string())
                } else {
                    var part = String.UnicodeScalarView()
                    while let scalar = peek,
                        ("a"..."z").contains(scalar)
                            || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == "-" || ("0"..."9").contains(scalar)
                    {
                        part.append(scalar)
                        advance()
                    }
                    guard !part.isEmpty else { throw error("expected a key") }
                    parts.append(String(part))
                }
                skipSpaces()
            } while peek == "."
                && {
                    advance()
                    return true
                }()
            return parts
        }

        mutating func value() throws -> TOMLValue {
            switch peek {
            case "\"", "'":
                return .string(try string())
            case "[":
                advance()
                var items: [TOMLValue] = []
                skipSpaces()
                while peek != "]" {
                    items.append(try value())
                    skipSpaces()
                    if peek == "," {
                        advance()
                        skipSpaces()
                    } else if peek != "]" {
                        throw error("expected ',' or ']' in an array (arrays must fit on one line)")
                    }
                }
                advance()
                return .array(items)
            case nil:
                throw error("a value is missing")
            default:
                var token = ""
                while let scalar = peek, scalar != " ", scalar != "\t", scalar != ",", scalar != "]", scalar != "#" {
                    token.unicodeScalars.append(scalar)
                    advance()
                }
                if token == "true" { return .boolean(true) }
                if token == "false" { return .boolean(false) }
                let digits = token.replacingOccurrences(of: "_", with: "")
                if let integer = Int(digits) { return .integer(integer) }
                if let float = Double(digits), digits.contains(where: { ".eE".contains($0) }) { return .float(float) }
                throw error("'\(token.prefix(40))' is not a valid value (strings need quotes)")
            }
        }

        mutating func string() throws -> String {
            let quote = peek!
            advance()
            if peek == quote, index + 1 < scalars.count, scalars[index + 1] == quote {
                throw error("multi-line strings are not supported")
            }
            var output = String.UnicodeScalarView()
            while let scalar = peek, scalar != quote {
                advance()
                guard quote == "\"", scalar == "\\" else {
                    output.append(scalar)
                    continue
                }
                guard let escaped = peek else { break }
                advance()
                switch escaped {
                case "\"": output.append("\"")
                case "\\": output.append("\\")
                case "n": output.append("\n")
                case "t": output.append("\t")
                case "r": output.append("\r")
                case "b": output.append("\u{8}")
                case "f": output.append("\u{C}")
                case "u", "U":
                    let length = escaped == "u" ? 4 : 8
                    guard index + length <= scalars.count,
                        let code = UInt32(String(String.UnicodeScalarView(scalars[index..<index + length])), radix: 16),
                        let unicode = Unicode.Scalar(code)
                    else { throw error("invalid \\\(escaped) escape") }
                    index += length
                    output.append(unicode)
                default:
                    throw error("invalid escape '\\\(escaped)'")
                }
            }
            guard peek == quote else { throw error("unterminated string") }
            advance()
            return String(output)
        }
    }
}
