/// Values that look like secrets but are not: template references, masks, and the example
/// keys printed in vendors' documentation.
enum Placeholders {
    /// Keys published in documentation as examples (AWS, Stripe).
    static let documentedExamples: Set<String> = [
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    ]

    static func isDocumentedExample(_ value: String) -> Bool {
        documentedExamples.contains(value) || value.hasSuffix("EXAMPLE") || value.hasSuffix("EXAMPLEKEY") || PublicByDesign.documentedExamples.contains(value)
            || isMaskedTail(value)
    }

    /// A format's prefix with a mask for its body (`sk_test_xxxxxxxx…`, `ghp_************`):
    /// eight or more of one mask character making half the value.
    static func isMaskedTail(_ value: String) -> Bool {
        guard let last = value.last, "xX*0•.".contains(last) else { return false }
        let run = value.reversed().prefix { $0 == last }.count
        return run >= 8 && run * 2 >= value.count
    }

    /// Words that stand for a value in documentation rather than being one.
    static let words: Set<String> = [
        "password", "passwd", "pass", "secret", "token", "apikey", "api_key", "key", "changeme", "change_me",
        "example", "sample", "dummy", "placeholder", "redacted", "none", "null", "nil", "undefined", "empty",
        "xxx", "xxxx", "xxxxx", "xxxxxx", "xxxxxxxx", "your_password", "yourpassword", "your-password", "mypassword",
        "my_password", "user", "username", "pwd", "true", "false", "todo", "tbd", "foo", "bar", "baz", "test",
        "notasecret", "hidden", "masked", "secret_value", "your_token", "your-token", "your_api_key", "your-api-key",
        "パスワード", "秘密",
    ]

    /// An upper-case name standing for a value: `REPLACE_ME`, `__DB_PASSWORD__`, `@@API_KEY@@`,
    /// `[CLIENT_SECRET]`, `{PASSWORD}`, `%%TOKEN%%` (wrapped, or snake case with a word of a template).
    static func isTemplateName(_ value: String) -> Bool {
        // Bytes, and out at the first lower-case letter: this runs on every judged value.
        let bytes = Array(value.utf8)
        guard bytes.count >= 2, !bytes.contains(where: ByteClass.isLower) else { return false }
        func isWrapper(_ byte: UInt8) -> Bool { "_%@{}[]<>#".utf8.contains(byte) }
        var lower = 0
        var upper = bytes.count
        while lower < upper, isWrapper(bytes[lower]) { lower += 1 }
        while upper > lower, isWrapper(bytes[upper - 1]) { upper -= 1 }
        let name = bytes[lower..<upper]
        guard name.count >= 2, name.allSatisfy({ ByteClass.isUpper($0) || ByteClass.isDigit($0) || $0 == 0x5F || $0 == 0x2D }),
            name.contains(where: ByteClass.isUpper)
        else { return false }
        if name.count < bytes.count { return true }
        let parts = name.split(whereSeparator: { $0 == 0x5F || $0 == 0x2D })
        return parts.count > 1 && parts.contains { templateParts.contains(String(decoding: $0, as: UTF8.self)) }
    }

    static let templateParts: Set<String> = [
        "REPLACE", "CHANGE", "ME", "YOUR", "INSERT", "ENTER", "PUT", "TODO", "SECRET", "TOKEN", "PASSWORD", "PASS", "KEY", "HERE", "API", "VALUE",
        "SET", "FILL", "IN", "DB", "ACCESS", "PRIVATE", "CLIENT", "AUTH", "PLACEHOLDER", "EXAMPLE", "DUMMY", "FIXME", "TBD",
    ]

    /// `%s`, `%d`, `%(name)s`, `%VAR%`: a format directive or a Windows variable, not a value
    /// that happens to start with `%`.
    static func isFormatDirective(_ value: String) -> Bool {
        guard value.hasPrefix("%") else { return false }
        return value.count <= 3 || value.hasPrefix("%(") || value.hasPrefix("%{")
            || (value.hasSuffix("%") && value.dropFirst().dropLast().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// Whether a candidate value is a placeholder: `${X}`, `$X`, `{{ x }}`, `<x>`, `%s`, `****`,
    /// `xxxx`, `[REDACTED…]`, a reference such as `os.getenv(…)`, or a placeholder word.
    static func isPlaceholder(_ raw: String) -> Bool {
        let value = raw.trimmingQuotes
        if value.isEmpty { return true }
        let lower = value.lowercased()
        if words.contains(lower) || lower.hasPrefix("redacted:") || raw.containsBytes("[REDACTED:") { return true }
        if value.hasPrefix("${") || value.hasPrefix("$(") || value.hasPrefix("{{") || value.hasPrefix("<")
            || isFormatDirective(value) || value.hasPrefix("[redacted") || value.hasPrefix("[REDACTED")
        {
            return true
        }
        if value.hasPrefix("$"), value.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { return true }
        if isTemplateName(value) { return true }
        let distinct = Set(lower)
        if distinct.count == 1, let only = distinct.first, "*x•.-_#0?".contains(only) { return true }
        if lower.hasPrefix("your") || lower.hasPrefix("<your") || lower.hasSuffix("-here") || lower.hasSuffix("_here") {
            return true
        }
        for reference in ["getenv(", "environ", "process.env", "env(", "secrets.", "vault(", "keychain", "os.getenv", "config."] {
            if lower.hasPrefix(reference) || lower.containsBytes(reference + "[") || lower.hasPrefix("env.") { return true }
        }
        return false
    }
}

extension String {
    /// Quotes, brackets and punctuation around a value (built once: a set literal in the
    /// getter was rebuilt, and its characters hashed, on every call).
    static let quoteCharacters: Set<Character> = ["\"", "'", "`", "“", "”", "「", "」", "『", "』", "(", ")", "[", "]", "{", "}", ",", ";", "。", "、"]

    /// Without surrounding quotes, backticks and trailing punctuation.
    var trimmingQuotes: String {
        var scalars = Substring(self)
        let quotes = String.quoteCharacters
        while let first = scalars.first, quotes.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, quotes.contains(last) || last == "." {
            scalars.removeLast()
        }
        return String(scalars)
    }
}
