import Foundation

/// The prose net's language-independent half: a cue word for a secret in any of many
/// languages, then, within a few words and before the sentence ends, a value that looks
/// generated or password-like. It needs no introducer ("is", 「は」, "→"), so phrasings the
/// regular-expression rules do not list are still caught; the value test keeps ordinary
/// words, versions, paths, ids and algorithm names out.
enum CueWordNet {
    /// Cue words, lower case (ASCII letters are lower-cased in `ByteText`; other scripts are
    /// listed as written). ASCII cues must stand as words.
    static let cues: [[UInt8]] = [
        "password", "passwd", "passcode", "passphrase", "pwd", "pw", "secret", "token", "apikey", "api key", "key",
        "credential", "creds", "contraseña", "clave", "senha", "mot de passe", "passwort", "kennwort", "schlüssel",
        "wachtwoord", "hasło", "haslo", "lösenord", "salasana", "parola", "şifre", "sifre", "heslo", "jelszó",
        "mật khẩu", "sandi", "geheim", "пароль", "Пароль", "ключ", "Ключ", "токен", "Токен", "секрет", "Секрет",
        "κωδικός", "Κωδικός", "סיסמה", "كلمة المرور", "पासवर्ड", "密码", "密碼", "口令", "密钥", "密鑰", "令牌",
        "秘钥", "비밀번호", "암호", "토큰", "パスワード", "暗証番号", "トークン", "シークレット", "秘密鍵", "鍵", "キー", "root", "admin",
    ].map { Array($0.utf8) }

    static let weakCues: Set<[UInt8]> = Set(["key", "clave", "ключ", "Ключ", "鍵", "キー", "sandi", "geheim", "secret", "root", "admin"].map { Array($0.utf8) })

    /// Words between a cue and a value that make the value an identifier, not a secret.
    static let blockers: Set<String> = [
        "commit", "sha", "hash", "digest", "id", "uuid", "version", "build", "issue", "ticket", "pr", "port", "line",
        "rev", "fingerprint", "checksum", "length", "size", "format", "ttl", "expiry", "name", "file", "path",
        "header", "field", "env", "variable", "example", "public", "pubkey", "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
    ]

    /// Algorithm, encoding and unit words that carry digits without being values.
    static let technicalWords: Set<String> = [
        "sha", "aes", "rsa", "gcm", "cbc", "ctr", "hs", "rs", "es", "ps", "ed", "x", "p", "md", "blake", "argon", "id",
        "i", "d", "pbkdf", "scrypt", "bcrypt", "hmac", "chacha", "poly", "utf", "base", "ipv", "http", "https", "tls",
        "ssl", "oauth", "v", "k", "s", "ec", "ms", "kb", "mb", "gb", "tb", "bit", "bits", "byte", "bytes", "px", "am",
        "pm", "utc", "jst", "gmt", "t", "z", "q", "rc", "beta", "alpha", "x25519", "curve", "secp", "r", "nistp",
        "h", "m", "min", "days", "sec", "char", "chars", "characters", "digits", "fips", "pkcs", "rfc", "iso", "owasp",
    ]

    static func find(_ scan: ScanText) -> [Range<Int>] {
        let lowered = scan.lowered.bytes
        var ranges: [Range<Int>] = []
        func examine(_ cue: [UInt8], at hit: Int) {
            var end = hit + cue.count
            if cue[0] < 0x80 {
                if end < lowered.count, lowered[end] == 0x73 { end += 1 }  // plural s
                if end < lowered.count, ByteClass.isLower(lowered[end]) { return }
            }
            // Inside a template reference (`${{ secrets.NPM_TOKEN }}`, `{{ .Values.token }}`): a name.
            var back = hit
            while back > 0, hit - back < 48, lowered[back - 1] != 0x0A, lowered[back - 1] != 0x7D {
                // `{{`, `${`, `{%`, `#{`: a template's opening, not a JSON object's brace.
                if lowered[back - 1] == 0x7B, back >= 2, [0x7B, 0x24, 0x23].contains(lowered[back - 2]) || lowered[back] == 0x7B || lowered[back] == 0x25 {
                    return
                }
                back -= 1
            }
            // `-----BEGIN PUBLIC KEY-----`: armour, whose private kinds have their own rule.
            if end + 5 <= lowered.count, lowered[end..<end + 5].allSatisfy({ $0 == 0x2D }) { return }
            // `[REDACTED:url_with_password]`: a redaction marker names a type, not a secret.
            if end < lowered.count, lowered[end] == 0x5D { return }
            // "key" and its translations are common words: their value must follow at once.
            // A cue standing as a word of prose ("password sunshine2024"), not inside an
            // identifier (`$POSTGRES_PASSWORD postgres:16`), may take a plainer value.
            let standsAlone = (hit == 0 || ByteClass.isSpace(lowered[hit - 1])) && end < lowered.count && lowered[end] == 0x20
            // A cue that names an assignment (`DB_PASSWORD=`) owns only its own line: an empty
            // template's next line is another key's value.
            var operatorIndex = end
            while operatorIndex < lowered.count, StructureParser.isKeyByte(lowered[operatorIndex]), lowered[operatorIndex] < 0x80 { operatorIndex += 1 }
            // Inside an identifier, the whole identifier is the key: `PASSWORD_MIN_LENGTH`
            // names a setting, and its suffix is not the value.
            if operatorIndex > end, cue[0] < 0x80 {
                var identifierStart = hit
                while identifierStart > 0, lowered[identifierStart - 1] < 0x80, StructureParser.isKeyByte(lowered[identifierStart - 1]) { identifierStart -= 1 }
                if KeyLexicon.strength(of: scan.bytes[identifierStart..<operatorIndex]) == .negative { return }
                end = operatorIndex
            }
            if operatorIndex < lowered.count, lowered[operatorIndex] == 0x22 || lowered[operatorIndex] == 0x27 { operatorIndex += 1 }
            while operatorIndex < lowered.count, lowered[operatorIndex] == 0x20 { operatorIndex += 1 }
            let assignment = operatorIndex < lowered.count && (lowered[operatorIndex] == 0x3D || lowered[operatorIndex] == 0x3A)
            if let value = value(after: end, in: scan, reach: weakCues.contains(cue) ? 2 : 6, standsAlone: standsAlone, lineOnly: assignment) {
                ranges.append(value)
            }
        }
        // ASCII-led cues start a word: look them up at word starts only, by first byte.
        for index in lowered.indices where ByteClass.isLower(lowered[index]) && (index == 0 || !ByteClass.isLower(lowered[index - 1])) {
            for cue in asciiCuesByFirstByte[lowered[index]] ?? []
            where index + cue.count <= lowered.count && lowered[index..<index + cue.count].elementsEqual(cue) {
                examine(cue, at: index)
            }
        }
        if !scan.lowered.isASCII {
            for cue in cues where cue[0] >= 0x80 && scan.lowered.contains(cue) {
                for hit in scan.lowered.offsets(of: cue) { examine(cue, at: hit) }
            }
        }
        return ranges
    }

    private static let asciiCuesByFirstByte: [UInt8: [[UInt8]]] = Dictionary(grouping: cues.filter { $0[0] < 0x80 }, by: { $0[0] })

    /// The first value-like token in the 64 bytes after a cue, before the sentence ends.
    private static func value(after start: Int, in scan: ScanText, reach: Int, standsAlone: Bool, lineOnly: Bool = false) -> Range<Int>? {
        let bytes = scan.bytes
        var limit = min(bytes.count, start + 64)
        if lineOnly, let newline = bytes[start..<limit].firstIndex(of: 0x0A) { limit = newline }
        var index = start
        var tokensSeen = 0
        while index < limit {
            let byte = bytes[index]
            // The sentence ends: a blank line, 。, or a full stop before a space.
            if byte == 0x0A, index + 1 < bytes.count, bytes[index + 1] == 0x0A { return nil }
            if byte == 0xE3, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x82 { return nil }
            guard isValueByte(byte) else {
                index += 1
                continue
            }
            var stop = index
            while stop < bytes.count, isValueByte(bytes[stop]) { stop += 1 }
            var trimmed = index..<stop
            while trimmed.count > 0, ":=.,;!?".utf8.contains(bytes[trimmed.upperBound - 1]) { trimmed = trimmed.lowerBound..<trimmed.upperBound - 1 }
            while trimmed.count > 0, ":=-".utf8.contains(bytes[trimmed.lowerBound]) { trimmed = trimmed.lowerBound + 1..<trimmed.upperBound }
            if trimmed.count > 0 {
                let lowered = scan.lowered.bytes[trimmed]
                if trimmed.count <= 20, blockerBytes.contains(where: { $0.elementsEqual(lowered) }) { return nil }
                // Near the cue any password-like value; further on only a generated one.
                if trimmed.count >= 8, tokensSeen < reach || trimmed.count >= 16, mayBeSecret(bytes[trimmed]) {
                    let word = String(decoding: bytes[trimmed], as: UTF8.self)
                    if tokensSeen < reach, isSecretValue(bytes[trimmed], word, rightAfterCue: standsAlone && tokensSeen == 0) { return trimmed }
                    if trimmed.count >= 16, isSecretValue(bytes[trimmed], word), Randomness.looksGenerated(bytes[trimmed]) { return trimmed }
                }
                tokensSeen += 1
            }
            if stop > index, bytes[stop - 1] == 0x2E, stop < bytes.count, bytes[stop] == 0x20 { return nil }
            index = stop
        }
        return nil
    }

    private static let blockerBytes = blockers.map { Array($0.utf8) }

    /// A cheap test on bytes before the string checks: a digit with a letter, or both cases.
    private static func mayBeSecret(_ bytes: ArraySlice<UInt8>) -> Bool {
        var letter = false
        var digit = false
        var upper = false
        var lower = false
        for byte in bytes {
            if ByteClass.isDigit(byte) {
                digit = true
            } else if ByteClass.isUpper(byte) {
                upper = true
                letter = true
            } else if ByteClass.isLower(byte) {
                lower = true
                letter = true
            }
        }
        return letter && digit || upper && lower
    }

    /// ASCII that can be part of a value; quotes, brackets and non-ASCII end it.
    private static func isValueByte(_ byte: UInt8) -> Bool {
        guard ByteClass.isGraphic(byte) else { return false }
        return !"\"'`()[]{}<>,".utf8.contains(byte)
    }

    /// `rightAfterCue`: the value follows the cue at once ("password sunshine2024"), so
    /// letters with digits are enough.
    static func isSecretValue(_ bytes: ArraySlice<UInt8>, _ word: String, rightAfterCue: Bool = false) -> Bool {
        guard bytes.count >= 8, bytes.count <= 256 else { return false }
        let first = bytes[bytes.startIndex]
        if "/~$%#@&*".utf8.contains(first) || word.hasPrefix("./") || word.containsBytes("://") { return false }
        if word.contains("@"), let at = word.firstIndex(of: "@"), word[at...].contains(".") { return false }
        if Placeholders.isPlaceholder(word) || Placeholders.isDocumentedExample(word) || ProseStopValues.words.contains(word.lowercased()) {
            return false
        }
        if EntropyRules.isDERStructure(bytes) { return false }
        let profile = Randomness.Profile(bytes)
        // Dates, times, versions and sizes: a digit first and few letters, or dotted numbers.
        let body = first == 0x76 || first == 0x56 ? bytes.dropFirst() : bytes
        if let lead = body.first, ByteClass.isDigit(lead), profile.letters <= 2 || body.contains(0x2E) { return false }
        // Algorithm and unit names with digits (argon2id, aes-256-gcm, sha256).
        let words = word.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        if !words.isEmpty, words.allSatisfy(technicalWords.contains) { return false }
        let strongSymbols = bytes.filter { ByteClass.isGraphic($0) && !ByteClass.isAlnum($0) && !"-_./:".utf8.contains($0) }.count
        let complex =
            profile.letters > 0 && profile.digits > 0 && (profile.upper > 0 || strongSymbols > 0)
            || profile.upper > 0 && profile.lower > 0 && strongSymbols > 0
        if bytes.count < 16 { return complex || rightAfterCue && profile.letters > 0 && profile.digits > 0 }
        if profile.isHex, profile.digits > 0, profile.letters > 0 { return true }
        return Randomness.looksGenerated(bytes) || complex && Randomness.entropy(bytes) >= 3
    }
}
