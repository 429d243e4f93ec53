/// What a key (or a cue word) says about the value it owns, in the languages memories are
/// written in: English, Japanese, Chinese, Korean, and the common European ones.
///
/// A key is split into words (`DB_PASSWORD`, `dbPassword`, `db.password`, `db-password`);
/// the last word is the head noun, so `password_min_length` is about a length and
/// `public_key` about a public key. Non-ASCII keys are matched as written.
enum KeyLexicon {
    enum Strength: Int, Comparable {
        /// Names something that is not a secret (`public_key`, `token_url`, `secret_name`).
        case negative
        /// Says nothing about secrets.
        case none
        /// Often a secret, often not (`key`, `auth`, `pin`, `code`): the value must look like one.
        case weak
        /// Names a secret (`password`, `api_key`, `秘密鍵`): any real value is one.
        case strong

        static func < (lhs: Strength, rhs: Strength) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Words, lower case, that name a secret wherever they stand in a key.
    static let strongWords: Set<String> = [
        "password", "passwd", "passwort", "passphrase", "passcode", "pwd", "secret", "secrets", "token", "apikey", "credential",
        "credentials", "creds", "psk", "privatekey", "clientsecret", "accesskey", "secretkey", "signingkey", "encryptionkey",
        "masterkey", "authkey", "authtoken", "accesstoken", "refreshtoken", "bearer", "authorization", "sessionid",
        "sessionkey", "sessiontoken", "mnemonic", "seedphrase", "contraseña", "contrasena", "senha", "kennwort", "motdepasse",
        "wachtwoord", "hasło", "haslo", "lösenord", "salasana", "parola", "şifre", "sifre", "heslo", "jelszó", "пароль",
        "токен", "dbpass", "sig", "signature", "sas", "sharedaccesskey", "accountkey", "webhooksecret", "privkey", "wif",
        "pin", "pincode", "otp", "totp", "backupcode", "recoverycode", "passwd1", "pass", "pw", "pword", "dsn", "connectionstring",
        "apitoken", "apisecret", "appsecret", "appkey", "consumersecret", "licensekey", "xapikey", "xauthtoken", "apikeys",
        "phpsessid", "jsessionid", "sess", "sessid", "connectsid", "authcookie", "remembertoken", "xsessiontoken",
        "requirepass", "masterauth", "rpcpassword", "authpass", "passwd", "storepass", "keypass", "passin", "passout",
    ]

    /// Non-ASCII secret words, matched anywhere in the key or cue.
    static let strongScripts: [[UInt8]] = [
        "パスワード", "暗証番号", "秘密鍵", "トークン", "シークレット", "パスフレーズ", "合言葉", "パスコード", "認証コード", "APIキー", "apiキー",
        "アクセスキー", "密码", "密碼", "口令", "密钥", "密鑰", "令牌", "秘钥", "私钥", "私鑰", "助记词", "助記詞", "비밀번호", "비번", "암호", "토큰",
        "api키", "API키", "인증코드", "개인키", "시드", "패스워드", "金鑰", "秘鑰", "palavra-passe", "contraseña", "senha", "пароль", "Пароль", "токен", "Токен", "Passwort",
        "mot de passe",
    ].map { Array($0.utf8) }

    /// Words that may name a secret: the value must look like one too.
    static let weakWords: Set<String> = [
        "key", "keys", "auth", "code", "clave", "schlüssel", "schluessel", "cle", "clé", "hash", "salt", "seed", "private",
        "access", "session", "hmac", "jwt", "webhook", "license", "cookie", "ключ", "鍵", "キー", "키",
    ]

    /// Head nouns of keys about a secret's settings, location or public half.
    static let negativeHeads: Set<String> = [
        "id", "ids", "name", "names", "type", "types", "url", "urls", "uri", "endpoint", "path", "file", "files", "dir", "length",
        "len", "min", "max", "expiry", "expires", "expiration", "exp", "ttl", "timeout", "header", "headers", "field", "prefix",
        "hint", "label", "format", "version", "algorithm", "alg", "count", "size", "policy", "enabled", "required", "rotation",
        "fingerprint", "placeholder", "example", "sample", "location", "ref", "arn", "provider", "manager", "store", "strategy",
        "mode", "backend", "schema", "env", "var", "variable", "kind", "pattern", "regex", "input", "description", "help",
        "message", "error", "prompt", "rules", "cost", "rounds", "iterations", "issuer", "audience", "scope", "scopes", "age",
        "days", "hours", "minutes", "seconds", "flag", "flags", "class", "method", "mask", "masked", "hashed", "attempts",
        "retries", "limit", "lifetime", "duration", "validity", "source", "sources", "bucket", "region", "host", "port", "user",
        "username", "login", "email", "mount", "volume", "map", "annotation", "list", "index", "hash",
        "reset", "changed", "updated", "created", "at", "on", "date", "time", "display", "title", "text", "style", "width",
        "color", "column", "table", "query", "param", "params", "parameter", "option", "options", "setting", "settings",
        "config", "storage", "vault", "keychain", "command", "cmd", "script", "usage", "strength", "complexity", "entropy",
        "generator", "len", "chars", "digits", "policy", "rule", "callback", "redirect", "audience", "aud", "iss",
        "validator", "validators", "validation", "hasher", "hashers", "backends", "helper", "helpers", "handler", "handlers", "class",
        "classes", "module", "modules", "plugin", "plugins", "factory", "service", "client", "middleware", "view", "views", "form", "model",
    ]

    /// Words that make any key public or a reference, wherever they stand.
    static let negativeWords: Set<String> = [
        "public", "pub", "publishable", "pubkey", "publickey", "recipient", "address", "addr", "fingerprint", "digest",
        "checksum", "integrity", "sha", "sha1", "sha256", "sha512", "md5", "commit", "uuid", "example", "dummy", "fake",
        "mock", "placeholder", "hint", "policy", "format", "length", "csrf", "xsrf", "nonce", "ref", "arn", "path", "file",
        "url", "uri", "name", "id", "challenge", "state",
    ]

    /// The key's strength: the strongest word in it, unless its head noun or any word is negative.
    static func strength(of key: ArraySlice<UInt8>) -> Strength {
        guard !key.isEmpty, key.count <= 64 else { return .none }
        let words = split(key)
        var best = Strength.none
        if key.contains(where: { $0 >= 0x80 }) {
            for word in strongScripts where contains(key, word) { best = .strong }
        }
        guard let head = words.last else { return best }
        var compact = ""
        for word in words { compact += word }
        // A secret named by the whole key or its last two words (`ASP.NET_SessionId`,
        // `PHPSESSID`) before the negative words: a session id is a credential.
        if strongWords.contains(compact) || words.count > 1 && ["sessionid", "sessiontoken", "sessionkey"].contains(words.suffix(2).joined()) {
            return .strong
        }
        if words.contains(where: { negativeWords.contains($0) }) { return .negative }
        for (index, word) in words.enumerated() {
            if strongWords.contains(word) {
                // `pass`, `pw`, `pin` and `sig` count only as whole words; they sit inside others.
                best = .strong
            } else if index + 1 < words.count, strongWords.contains(word + words[index + 1]) {
                best = .strong  // api key, access token, private key across two words
            } else if weakWords.contains(word), best < .weak {
                best = .weak
            }
        }
        if best == .none, words.count > 1, strongWords.contains(words.suffix(2).joined()) { best = .strong }
        if best > .none, negativeHeads.contains(head), !strongWords.contains(head) {
            // `api_key` ends in key (negative head alone) but `key` pairs with `api`: keep it.
            let lastTwo = words.suffix(2).joined()
            if !(strongWords.contains(lastTwo)) { return .negative }
        }
        return best
    }

    /// Lower-case words of a key: split at `_ - . space /`, at case changes (`dbPassword`)
    /// and at non-ASCII; brackets and quotes dropped.
    static func split(_ key: ArraySlice<UInt8>) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousLower = false
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in key {
            if ByteClass.isUpper(byte) {
                if previousLower { flush() }
                current.append(byte | 0x20)
                previousLower = false
            } else if ByteClass.isLower(byte) || ByteClass.isDigit(byte) || byte >= 0x80 {
                current.append(byte)
                previousLower = ByteClass.isLower(byte)
            } else {
                flush()
                previousLower = false
            }
        }
        flush()
        // Digits alone (`password2`) do not make a word of their own.
        return words.map { word in
            var trimmed = Substring(word)
            while let last = trimmed.last, last.isASCII, last.isNumber, trimmed.count > 1 { trimmed.removeLast() }
            return String(trimmed)
        }
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
