/// Tier 3: secrets written in sentences, in English and Japanese. A cue word makes even a
/// short, low-entropy value count ("my wifi password is sunshine").
extension PatternRule {
    static let prose: [PatternRule] = [
        PatternRule("secret_in_prose", .prose,
                    keywords: ["pass", "pin ", "pin:", "pin=", "secret", "token", "api key", "access key", "recovery code", "backup code",
                               "2fa code", "door code", "alarm code", "login", "credential", "security answer", "combination"],
                    #"\b(?:wi-?fi password|password|passcode|passphrase|pass phrase|pin(?: code| number)?|secret(?: key)?|api key|access key|access token|auth token|token|login|credentials?|security answer|recovery code|backup code|2fa code|door code|alarm code|safe combination|lock combination)\b(?:\s+(?:for|of|to|on)\s+(?:the\s+|my\s+|our\s+)?[\w.@-]+(?:\s+[\w.@-]+)?)?\s*(?:is now|has been changed to|changed to|set to|is|was|are|=|:|->)\s*[:=]?\s*["'“「]?([^\s"'”」]{3,128})"#,
                    value: .group(1), caseInsensitive: true, window: (before: 24, after: 280),
                    windowFilter: { text, end in text.valueIntroducerFollows(from: end) },
                    accept: ProseStopValues.isSecretLike),
        PatternRule("secret_in_prose", .prose,
                    keywords: ["パスワード", "暗証番号", "pin", "パスコード", "合言葉", "apiキー", "トークン", "シークレット", "秘密鍵", "認証コード", "パスフレーズ", "ログイン情報"],
                    #"(?:パスワード|暗証番号|PIN(?:コード)?|パスコード|合言葉|API\s?キー|アクセストークン|トークン|シークレット|秘密鍵|認証コード|パスフレーズ|ログイン情報)\s*(?:は|が|を|:|=|→)\s*[:=]?\s*[「『"']?\s*([^\s「」『』"'。、]{2,128}?)\s*(?:[」』"']|です|だ|。|、|$|\s|に(?:変更|設定))"#,
                    value: .group(1), caseInsensitive: true, window: (before: 8, after: 160), accept: ProseStopValues.isJapaneseSecretLike),
    ]
}

/// Words that follow "password is …" in ordinary notes without being a password.
enum ProseStopValues {
    static let words: Set<String> = [
        "the", "a", "an", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these",
        "those", "there", "here", "not", "no", "yes", "and", "or", "but", "if", "then", "so", "to", "of", "in", "on",
        "at", "by", "for", "from", "with", "without", "into", "onto", "as", "we", "you", "they", "he", "she", "i",
        "our", "your", "their", "my", "me", "us", "them", "his", "her", "all", "any", "some", "each", "every",
        "stored", "saved", "kept", "held", "managed", "handled", "generated", "rotated", "required", "needed",
        "optional", "missing", "wrong", "incorrect", "invalid", "valid", "expired", "expiring", "reset", "changed",
        "hashed", "encrypted", "salted", "masked", "hidden", "shown", "displayed", "logged", "printed", "sent",
        "shared", "leaked", "exposed", "compromised", "revoked", "disabled", "enabled", "set", "unset", "empty",
        "blank", "too", "very", "strong", "weak", "long", "short", "secure", "insecure", "same", "different", "new",
        "old", "current", "default", "available", "unavailable", "configured", "defined", "located", "found",
        "read", "loaded", "fetched", "passed", "provided", "injected", "mounted", "specified", "documented",
        "described", "explained", "checked", "validated", "verified", "used", "unused", "needs", "must", "should",
        "will", "can", "cannot", "could", "would", "may", "might", "only", "also", "still", "just", "now", "never",
        "always", "sometimes", "usually", "automatically", "manually", "securely", "properly", "correctly", "case",
        "sensitive", "case-sensitive", "forgotten", "lost", "known", "unknown", "correct", "right", "ok", "fine",
        "good", "bad", "better", "worse", "different", "separate", "per", "via", "through", "stored.", "rotated.",
        "expired.", "required.", "correct.", "wrong.", "above", "below", "attached", "included", "excluded",
        "what", "which", "who", "where", "when", "why", "how", "field", "fields", "input", "prompt", "dialog",
        "screen", "page", "form", "policy", "rules", "requirements", "length", "format", "entropy", "manager",
        "vault", "keychain", "1password", "bitwarden", "lastpass", "env", "environment", "variable", "file",
        "store", "storage", "database", "table", "column", "hash", "bcrypt", "argon2", "scrypt", "pbkdf2",
        "authentication", "authorization", "login", "logout", "session", "cookie", "header", "request", "response",
        "endpoint", "api", "service", "server", "client", "user", "users", "account", "accounts", "admin",
        "expiry", "expiration", "lifetime", "ttl", "days", "hours", "minutes", "seconds", "weeks", "months",
        "refresh", "refreshed", "renewed", "issued", "created", "deleted", "removed", "added", "updated",
        "try", "await", "let", "var", "val", "const", "self", "this", "new", "return", "nullable", "optional",
    ]

    /// The same tests as an assignment's value: not a placeholder, a stop word, a type name or code.
    static func isSecretLike(_ raw: String) -> Bool {
        AssignedValue.isSecretLike(raw)
    }

    /// A Japanese cue's value must hold at least one ASCII letter, digit or symbol:
    /// 「パスワードは定期的に変更する」 is advice, 「パスワードは hunter2 です」 is a secret.
    static func isJapaneseSecretLike(_ raw: String) -> Bool {
        let value = raw.trimmingQuotes
        guard value.unicodeScalars.contains(where: { $0.isASCII && !$0.properties.isWhitespace }) else { return false }
        return value.count >= 2 && !Placeholders.isPlaceholder(value) && !words.contains(value.lowercased())
    }
}
