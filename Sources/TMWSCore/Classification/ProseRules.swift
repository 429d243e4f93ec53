/// Tier 3: secrets written in sentences, in English and Japanese. A cue word makes even a
/// short, low-entropy value count ("my wifi password is sunshine").
extension PatternRule {
    /// Cue words of the CJK rules (Japanese, Chinese, Korean).
    static let cjkCues =
        #"(?:パスワード|暗証番号|PIN(?:コード)?|パスコード|合言葉|API\s?キー|アクセストークン|トークン|シークレット|秘密鍵|認証コード|パスフレーズ|ログイン情報|密码|密碼|口令|密钥|密鑰|令牌|비밀번호|암호|토큰|API\s?키|인증\s?코드)"#
    static let cjkKeywords = [
        "パスワード", "暗証番号", "pin", "パスコード", "合言葉", "apiキー", "トークン", "シークレット", "秘密鍵", "認証コード",
        "パスフレーズ", "ログイン情報", "密码", "密碼", "口令", "密钥", "密鑰", "令牌", "비밀번호", "암호", "토큰", "api키", "api 키", "인증",
    ]
    /// What may follow a value introduced by は/が/는: a copula, a closing bracket, the end of
    /// the sentence, or a verb of setting. Not で+verb or を: 「bcrypt でハッシュ化」 is advice.
    static let cjkValueEnd =
        #"(?=\s*(?:[」』"'）)\]]|です|でした|だ(?!け)|。|、|$|\n|に(?:変更|設定|なっ|更新)|で(?:す|、)|입니다|이에요|예요|이다|야|\.|,|;|!|！|\(|（))"#

    static let prose: [PatternRule] = proseRules.enumerated().map { index, rule in
        var rule = rule
        // The first three expressions find their ASCII cue at a word boundary (`\b(?:password|…)`,
        // `\s+(?:password|…)`): see `keywordsStartWords`.
        rule.keywordsStartWords = index <= 2
        return rule
    }

    private static let proseRules: [PatternRule] = [
        PatternRule(
            "secret_in_prose", .prose,
            keywords: [
                "pass", "pin ", "pin:", "pin=", "pw", "secret", "token", "api key", "access key", "recovery code", "backup code",
                "2fa code", "door code", "alarm code", "gate code", "garage code", "login", "credential", "security answer", "combination",
            ],
            #"\b(?:wi-?fi password|password|passwd|passcode|passphrase|pass phrase|pass|pwd|pw|pin(?: code| number)?|secret(?: key)?|api key|access key|access token|auth token|token|login|credentials?|security answer|recovery code|backup code|2fa code|door code|alarm code|gate code|garage code|safe combination|lock combination)\b(?:\s+(?:for|of|to|on|at|in)\s+(?:the\s+|my\s+|our\s+|a\s+)?[\w.@-]+(?:\s+[\w.@-]+){0,3}?)?\s*(?:is now|has been changed to|changed to|is set to|was set to|set to|will be|is|was|are|=>|=|:|->|→|\||(?<=\s)[-–—](?=\s))\s*[:=]?\s*["'“「(]?([^\s"'”」)]{3,128})"#,
            value: .group(1), caseInsensitive: true, window: (before: 24, after: 280),
            // From the keyword's last byte: "pin " ends in the space " is" starts with.
            windowFilter: { text, end in text.valueIntroducerFollows(from: end - 1) },
            accept: ProseStopValues.isSecretLike),
        // "log in with password P@$$w0rd!", "use token abc123": no introducer, so the value
        // must hold a digit, a symbol or a capital after its first letter.
        PatternRule(
            "secret_in_prose", .prose, keywords: ["password", "passphrase", "passcode", "pin ", "pwd", "token", "api key", "secret"],
            #"\b(?:with|using|use|via|login\s+\S+)\s+(?:the\s+|my\s+)?(?:password|passphrase|passcode|pin|pwd|token|api key|secret)\s+["'“「]?([^\s"'”」]{3,128})"#,
            value: .group(1), caseInsensitive: true, window: (before: 16, after: 160),
            windowFilter: { text, end in text.precededByWord(["with", "using", "use", "via", "login"], before: end) },
            accept: { value in
                ProseStopValues.isSecretLike(value) && value.dropFirst().contains { !$0.isLetter || $0.isUppercase }
            }),
        // A value in brackets right after the cue: "password (hunter2)", パスワード（hunter2）, 【…】.
        PatternRule(
            "secret_in_prose", .prose,
            keywords: ["password", "passcode", "pin", "token", "api key", "secret", "パスワード", "暗証番号", "パスコード", "トークン", "apiキー", "密码", "비밀번호"],
            #"(?:\b(?:password|passcode|passphrase|pin|token|api key|secret)\b|パスワード|暗証番号|パスコード|トークン|API\s?キー|密码|密碼|비밀번호)\s*[(\[【「『]\s*([^\s()\[\]【】「」『』]{3,128})\s*[)\]】」』]"#,
            value: .group(1), caseInsensitive: true, window: (before: 16, after: 160),
            windowFilter: { text, end in text.bracketFollows(from: end) }, accept: ProseStopValues.isSecretLike),
        // 「パスワード：…」, 密码是…, 비밀번호: …: an operator-like introducer, any value end.
        PatternRule(
            "secret_in_prose", .prose, keywords: cjkKeywords,
            #"\#(cjkCues)\s*(?::|=|→|->|=>|是|为|為)\s*[:=]?\s*[「『"']?\s*([^\s「」『』"'。、，]{2,128})"#,
            value: .group(1), caseInsensitive: true, window: (before: 8, after: 160),
            windowFilter: { text, end in text.cjkIntroducerFollows(from: end) }, accept: ProseStopValues.isJapaneseSecretLike),
        // 「パスワードは hunter2 です」, 비밀번호는 hunter2 입니다: a topic particle, then a value that
        // ends the clause (see `cjkValueEnd`).
        PatternRule(
            "secret_in_prose", .prose, keywords: cjkKeywords,
            #"\#(cjkCues)\s*(?:は|が|는|은|이|가)\s*(?:「([^」\n]{1,128})」|『([^』\n]{1,128})』|["']?([\x21-\x7E&&[^"'「」]]{2,128}?)["']?\#(cjkValueEnd))"#,
            value: .firstMatched(from: 1), caseInsensitive: true, window: (before: 8, after: 160),
            windowFilter: { text, end in text.cjkIntroducerFollows(from: end) }, accept: ProseStopValues.isJapaneseSecretLike),
        // 「パスワードを hunter2 に変更した」: を…に with a verb of setting.
        PatternRule(
            "secret_in_prose", .prose, keywords: cjkKeywords,
            #"\#(cjkCues)\s*を\s*[「『"']?\s*([^\s「」『』"'。、]{2,128}?)\s*[」』"']?\s*に(?:変更|設定|更新|した|する|しま)"#,
            value: .group(1), caseInsensitive: true, window: (before: 8, after: 160),
            windowFilter: { text, end in text.cjkIntroducerFollows(from: end) }, accept: ProseStopValues.isJapaneseSecretLike),
        // A passphrase of words after a colon ("GPG passphrase: correct horse battery staple"):
        // the rest of the line, when it has three or more words and starts with no stop word.
        PatternRule(
            "secret_in_prose", .prose, keywords: ["passphrase", "pass phrase", "パスフレーズ", "合言葉"],
            #"(?:\bpass ?phrase\b|パスフレーズ|合言葉)[^\n:=：]{0,40}[:=]\s*["'「]?([^\n"'」]{8,120})"#,
            value: .group(1), caseInsensitive: true,
            accept: { value in
                let words = value.split(separator: " ").map { $0.lowercased() }
                guard words.count >= 3, let first = words.first else { return false }
                // Advice starts with an article, a modal or a reference, not with a word of the phrase.
                let adviceStarts: Set<String> = [
                    "the", "a", "an", "must", "should", "see", "is", "are", "will", "can", "needs",
                    "required", "stored", "in", "at", "from", "use", "ask", "check", "not", "no", "never",
                    "always", "only", "min", "minimum", "choose", "pick", "generate", "rotate", "same", "it",
                ]
                return !adviceStarts.contains(first) && !Placeholders.isPlaceholder(String(first))
            }),
        // A wallet's seed phrase named in a sentence: 12 to 24 lower-case words after the cue.
        PatternRule(
            "seed_phrase", .structural,
            keywords: [
                "seed phrase", "recovery phrase", "mnemonic", "secret phrase", "wallet seed", "wallet words", "backup phrase",
                "seed words", "シードフレーズ", "リカバリーフレーズ", "助记词", "助記詞", "복구 구문", "시드 구문",
            ],
            #"(?:seed (?:phrase|words)|recovery phrase|mnemonic(?: phrase)?|secret (?:recovery )?phrase|wallet (?:seed|words)|backup phrase|シードフレーズ|リカバリーフレーズ|助记词|助記詞|복구 구문|시드 구문)[^\n]{0,40}?(?:[:：=]|\bis\b|\bare\b|は|是|→|-)?\s*["'「]?((?:[a-z]{3,8}[ ,]+){11,23}[a-z]{3,8})\b"#,
            value: .group(1), caseInsensitive: true, window: (before: 0, after: 400),
            accept: { value in
                let words = value.split(whereSeparator: { $0 == " " || $0 == "," })
                return Set(words).count >= words.count / 2
            }),
        // "the login is admin / hunter2", "creds: deploy:S3cret", 「ログインは admin / pass1234」.
        PatternRule(
            "credential_pair", .prose,
            keywords: ["login", "log-in", "credential", "creds", "account", "ログイン", "認証情報", "アカウント", "user/pass", "username/password"],
            #"(?:\b(?:login|log-?in|credentials?|creds|account|user(?:name)?\s*/\s*pass(?:word)?)\b|ログイン(?:情報)?|認証情報|アカウント)[^\n]{0,30}?(?:\bis\b|\bare\b|:|=|は|→|->)\s*["'「]?([^\s/|:"'「」\[\]]{1,64})\s*(?:/|\||:)\s*([^\s"'」<]{3,128})"#,
            value: .group(2), caseInsensitive: true, window: (before: 8, after: 240),
            windowFilter: { text, end in text.valueIntroducerFollows(from: end, within: 40) || text.nonASCIIFollows(from: end) },
            accept: { value in
                let trimmed = value.trimmingQuotes
                // Both cases or a non-letter: "OAuth / SAML" and "docs/auth" are not pairs.
                // "Account: acme / Region: eu-west-1" pairs labels, not a user and a password.
                guard ProseStopValues.isSecretLike(trimmed), !trimmed.contains("/"), !value.hasSuffix(":") else { return false }
                let mixedCase = trimmed.contains(where: \.isUppercase) && trimmed.contains(where: \.isLowercase)
                return trimmed.contains { !$0.isLetter } || mixedCase && trimmed.count >= 6
            }),
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
        "see", "ask", "check", "edit", "use", "write", "read-only", "todo", "tbd", "pending", "n/a", "omitted", "none.",
        "argon2id", "argon2i", "argon2d", "sha256", "sha-256", "sha512", "sha-512", "sha1", "md5", "hmac", "aes", "aes-256",
        "aes-256-gcm", "rsa", "ed25519", "pbkdf2-sha256", "oauth", "oauth2", "saml", "oidc", "jwt", "totp", "ldap", "sso",
    ]

    /// The same tests as an assignment's value: not a placeholder, a stop word, a type name or code.
    static func isSecretLike(_ raw: String) -> Bool {
        AssignedValue.isSecretLike(raw) && !isQuantity(raw.trimmingQuotes)
    }

    /// A number with a unit (`15m`, `30d`, `256bit`): a setting, not a value. A bare number
    /// stays a candidate (PINs).
    static func isQuantity(_ value: String) -> Bool {
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 5 else { return false }
        let unit = value.dropFirst(digits.count).lowercased()
        return ["ms", "s", "m", "h", "d", "w", "y", "mo", "min", "kb", "mb", "gb", "tb", "bit", "bits", "px", "%", "x", "k"].contains(unit)
    }

    /// A Japanese cue's value must hold at least one ASCII letter, digit or symbol:
    /// 「パスワードは定期的に変更する」 is advice, 「パスワードは hunter2 です」 is a secret.
    static func isJapaneseSecretLike(_ raw: String) -> Bool {
        let value = raw.trimmingQuotes
        // Mostly ASCII: 「パスワード: 8文字以上」 is a rule about passwords, 「さくら2024」 a password.
        let ascii = value.unicodeScalars.filter { $0.isASCII && !$0.properties.isWhitespace }.count
        guard ascii > 0, ascii * 2 >= value.unicodeScalars.count else { return false }
        return value.count >= 2 && !Placeholders.isPlaceholder(value) && !words.contains(value.lowercased()) && !isQuantity(value)
    }
}
