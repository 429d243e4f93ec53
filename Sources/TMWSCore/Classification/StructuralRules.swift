/// Tier 2: secrets recognised by their structure rather than a vendor prefix. Private keys
/// are found whole by `PrivateKeyBlocks`, which is code rather than an expression.
extension PatternRule {
    /// Words that make an identifier name a secret (`DB_PASSWORD`, `"api_key"`); the match
    /// starts at the word, so the expression does not try every position of every identifier.
    static let secretKeyWord =
        #"(?:passw(?:or)?d|passphrase|pass(?![A-Za-z])|pwd|psk|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?key|credentials?|signing[_-]?key|encryption[_-]?key|master[_-]?key|session(?:[_-]?(?:id|key|token|secret))?(?![A-Za-z]))"#

    /// Key suffixes that describe a secret's settings, not the secret (`password_min_length`).
    static let settingSuffixes = [
        "length", "len", "min", "max", "expiry", "expires", "expiration", "ttl", "timeout", "url", "uri", "endpoint",
        "path", "file", "type", "name", "id", "count", "size", "policy", "format", "header", "field", "prefix",
        "hint", "label", "required", "enabled", "rotation", "age", "version", "algorithm", "hash", "salt_rounds", "rate", "store",
        "storage", "duration", "mode", "manager", "provider", "strategy", "backend", "driver", "cookie", "samesite", "secure",
    ]

    static let structural: [PatternRule] = [
        PatternRule(
            "jwt", .structural, keywords: ["eyj"],
            #"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}={0,2}\.eyJ[A-Za-z0-9_-]{10,}={0,2}\.[A-Za-z0-9_-]{10,}={0,2}"#),
        // The user may be empty (`redis://:pass@host`), and the password may be broken by one
        // line break; a port before a line break (`host:8080⏎alice@…`) is not a password.
        PatternRule(
            "url_with_password", .structural, keywords: ["://"],
            #"[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/@"'<>]{0,100}:([^\s@/"'<>]{1,200}(?:\r?\n[^\s@/"'<>:]{1,200})?)@[A-Za-z0-9.\[\]-]"#,
            value: .group(1),
            accept: { value in
                guard !Placeholders.isPlaceholder(value) else { return false }
                let lines = value.split(whereSeparator: \.isNewline)
                return lines.count == 1 || !lines[0].allSatisfy(\.isNumber)
            }),
        // Keys in a URL's query: `?key=…`, `&token=…`, `api_key=…`, signed-URL signatures.
        PatternRule(
            "url_query_secret", .structural,
            keywords: ["key=", "token=", "secret=", "password=", "passwd=", "pwd=", "sig=", "signature=", "auth=", "jwt=", "session="],
            #"[?&;](?:[A-Za-z0-9_.-]*(?:api[_-]?key|apikey|key|token|secret|password|passwd|pwd|auth)|sig|signature|x-amz-signature|x-goog-signature|x-amz-security-token|jwt|session|sessionid|sid)=([^&\s#"'<>]{6,})"#,
            value: .group(1), caseInsensitive: true,
            accept: { value in
                let decoded = value.removingPercentEncoding ?? value
                return !Placeholders.isPlaceholder(decoded) && !ProseStopValues.words.contains(decoded.lowercased()) && decoded.lowercased() != "value"
            }),
        PatternRule(
            "authorization_header", .structural, keywords: ["authorization", "bearer", "basic "],
            #"(?:authorization\s*[:=]\s*["']?\s*(?:basic|bearer|token|digest)|\bbearer)\s+([A-Za-z0-9._~+/=-]{8,})"#,
            value: .group(1), caseInsensitive: true, accept: { !Placeholders.isPlaceholder($0) && $0.count >= 8 }),
        // "Basic <base64 of user:password>" without the header name.
        PatternRule(
            "authorization_header", .structural, keywords: ["basic "],
            #"\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"#,
            value: .group(1), caseInsensitive: true, accept: { EncodedCredentials.isUserAndPassword(base64: $0) }),
        // KEY=value, KEY: value, "key": "value", key = 'value', export KEY=value, --password=value
        PatternRule(
            "secret_assignment", .structural,
            keywords: ["pass", "pwd", "psk", "secret", "token", "key", "credential", "session"],
            #"\#(secretKeyWord)([A-Za-z0-9_.-]*)\\?["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:\\?"([^"\n\\]{1,300})|\\?'([^'\n\\]{1,300})|([^\s"',;}{\]\[\\]{1,300}))"#,
            value: .firstMatched(from: 2), caseInsensitive: true, window: (before: 80, after: 360),
            windowFilter: { text, end in text.assignmentFollows(from: end) },
            acceptKey: { suffix in
                // Group 1 is what follows the secret word in the key: `_min_length` in password_min_length.
                // A plural (`MAX_TOKENS=4096`) counts secrets rather than holding one.
                let lower = suffix.lowercased()
                return lower != "s" && !settingSuffixes.contains { lower.hasSuffix($0) }
            },
            accept: AssignedValue.isSecretLike),
        // <password>…</password>, <ns:clientSecret>…</ns:clientSecret> (XML and HTML-ish configs).
        PatternRule(
            "secret_assignment", .structural, keywords: ["pass", "pwd", "secret", "token", "key", "credential"],
            #"<(?:[A-Za-z0-9_-]+:)?[A-Za-z0-9_.-]*\#(secretKeyWord)([A-Za-z0-9_.-]*)(?:\s[^>]*)?>([^<\n]{3,300})</"#,
            value: .group(2), caseInsensitive: true, window: (before: 60, after: 400),
            windowFilter: { text, end in text.elementCloses(from: end) },
            acceptKey: { suffix in !settingSuffixes.contains { suffix.lowercased().hasSuffix($0) } },
            accept: AssignedValue.isSecretLike),
        // name/value pairs: Kubernetes `env:` entries, ECS task definitions.
        PatternRule(
            "secret_assignment", .structural, keywords: ["value"],
            #"\bname["']?\s*:\s*["']?[A-Za-z0-9_.-]*\#(secretKeyWord)([A-Za-z0-9_.-]*)["']?\s*,?\s*(?:\n\s*-?\s*)?["']?value["']?\s*:\s*["']?([^\s"',}]{3,300})"#,
            value: .group(2), caseInsensitive: true,
            acceptKey: { suffix in !settingSuffixes.contains { suffix.lowercased().hasSuffix($0) } },
            accept: AssignedValue.isSecretLike),
        // .NET appSettings: <add key="ApiKey" value="…"/>.
        PatternRule(
            "secret_assignment", .structural, keywords: ["value="],
            #"\bkey\s*=\s*"[^"\n]*?\#(secretKeyWord)([A-Za-z0-9_.-]*)"\s+value\s*=\s*"([^"\n]{3,300})""#,
            value: .group(2), caseInsensitive: true,
            acceptKey: { suffix in !settingSuffixes.contains { suffix.lowercased().hasSuffix($0) } },
            accept: AssignedValue.isSecretLike),
        // docker login -u x -p SECRET (and podman, helm, oras, buildah).
        PatternRule(
            "command_line_password", .structural, keywords: ["login"],
            #"\b(?:docker|podman|helm|oras|buildah)\s+(?:registry\s+)?login\b[^\n]*?\s-p\s+["']?([^\s"'-][^\s"']*)"#,
            value: .group(1), window: (before: 40, after: 300),
            windowFilter: { text, end in text.precededByWord(["docker", "podman", "helm", "oras", "buildah", "registry"], before: end) },
            accept: { !Placeholders.isPlaceholder($0) }),
        // mysql -pX, sshpass -p X, --password X, --token X, curl -u user:X.
        PatternRule(
            "command_line_password", .structural,
            keywords: [
                "mysql", "sshpass", "--password", "--token", "--api-key", "--secret", "--auth-token", "--access-token", "curl",
                "identified",
            ],
            #"(?:\b(?i:identified\s+(?:with\s+\S+\s+)?by)\s+'([^'\n]{3,128})'|\b(?:mysql|mysqldump|mysqladmin)\b[^\n]*?\s-p([^\s-][^\s]*)|\bsshpass\s+-p\s*([^\s]+)|--(?:password|token|api-key|secret|auth-token|access-token)[= ]["']?([^\s"'-][^\s"']*)|\bcurl\b[^\n]*?\s(?:-u|--user)\s*["']?[^\s:"']*:([^\s"']+))"#,
            value: .firstMatched(from: 1), window: (before: 2, after: 400), accept: { !Placeholders.isPlaceholder($0) }),
        // The whole data block (every indented line under `data:`/`stringData:`), with `kind:
        // Secret` before it or after it (`kubectl get -o yaml` sorts `data` first), or the
        // JSON object of `"data"`.
        PatternRule(
            "kubernetes_secret", .structural, keywords: ["kind: secret", "kind:secret", "\"kind\": \"secret\"", "\"kind\":\"secret\""],
            #"kind:[ \t]*Secret\b[\s\S]{0,2000}?(?:\b|(?<=\\n))(?:data|stringData):[ \t]*(?:(?:\n|\\n)[ \t]+\S(?:(?!\\n)[^\n])*)+|(?:\b|(?<=\\n))(?:data|stringData):[ \t]*(?:(?:\n|\\n)[ \t]+\S(?:(?!\\n)[^\n])*)+(?=[\s\S]{0,2000}?kind:[ \t]*Secret\b)|"kind"\s*:\s*"Secret"[\s\S]{0,2000}?"(?:data|stringData)"\s*:\s*\{[^}]*\}|"(?:data|stringData)"\s*:\s*\{[^}]*\}(?=[\s\S]{0,2000}?"kind"\s*:\s*"Secret")"#
        ),
        // A seed in an otpauth URL, or named in a sentence near a TOTP/2FA word, upper case or
        // in the lower-case groups of four that authenticator apps show.
        PatternRule(
            "totp_seed", .structural,
            keywords: ["otpauth://", "totp", "2fa", "mfa", "otp", "authenticator", "two-factor", "two factor", "2-step", "二段階", "2段階", "二要素", "ワンタイム"],
            #"otpauth://[ht]otp/[^\s]*[?&]secret=([A-Z2-7a-z]{16,})|(?:totp|2fa|mfa|otp|authenticator|two[- ]factor|2-step|二段階認証|2段階認証|二要素|ワンタイム)[^\n]{0,60}?(?:secret|seed|key|code|シークレット|キー|シード)[^\n]{0,40}?(?:[:=は]|\bis\b|→|->)?\s*["'「]?([A-Z2-7]{16,}+|[A-Z2-7]{4}(?:[ -][A-Z2-7]{4}){3,}+)"#,
            value: .firstMatched(from: 1), caseInsensitive: true, window: (before: 0, after: 400),
            accept: { value in value.contains { "234567".contains($0) } }),
        PatternRule(
            "recovery_codes", .structural,
            keywords: ["recovery code", "backup code", "リカバリーコード", "バックアップコード", "復旧コード", "recovery key"],
            #"(?:recovery|backup|2fa|復旧|リカバリー|バックアップ)\s*(?:codes?|keys?|コード)[^\n]{0,30}?(?:[:：は→]|\bare\b|\bis\b)\s*((?:[A-Za-z0-9]{4,10}(?:-[A-Za-z0-9]{4,10})?[\s,、]+){1,15}[A-Za-z0-9]{4,10}(?:-[A-Za-z0-9]{4,10})?)"#,
            value: .group(1), caseInsensitive: true, accept: { value in value.contains(where: \.isNumber) }),
    ]
}

/// Whether the value of a secret-named assignment is a secret rather than code or a reference.
enum AssignedValue {
    /// Type names that follow a secret-named field in code (`password: String`).
    static let typeNames: Set<String> = [
        "string", "str", "int", "bool", "boolean", "bytes", "data", "optional", "secretstr", "securestring", "text",
        "varchar", "char", "any", "object", "number", "uuid", "none", "null", "nil", "true", "false", "required",
    ]

    static func isSecretLike(_ raw: String) -> Bool {
        let value = raw.trimmingQuotes
        if value.count < 3 || Placeholders.isPlaceholder(value) || Placeholders.isDocumentedExample(value) { return false }
        let lower = value.lowercased()
        if typeNames.contains(lower) || ProseStopValues.words.contains(lower) { return false }
        // Code rather than a value: calls (`getenv(…)`, but not `P@ss(w0rd)`), and dotted
        // paths such as self.password or config.db.password.
        if let paren = value.firstIndex(of: "("), paren > value.startIndex,
            value[..<paren].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
        {
            return false
        }
        if value.contains("."),
            value.split(separator: ".").allSatisfy({ part in
                !part.isEmpty && part.first!.isLetter && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            })
        {
            return false
        }
        if value.allSatisfy(\.isNumber), value.count < 4 { return false }
        // Table rules and separators (`|---|---|`), not a value.
        if !value.contains(where: { $0.isLetter || $0.isNumber }), value.contains(where: { "|-=:_".contains($0) }),
            value.allSatisfy({ "|-=:_ ".contains($0) })
        {
            return false
        }
        // Paths and routes (`/callback?code=…`, `./certs`, `~/.ssh`) name where a value is.
        if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") || value.hasPrefix("../") { return false }
        return true
    }
}
