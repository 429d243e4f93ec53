/// Cues in sentences, in English, Japanese, Chinese, Korean and the common European languages:
/// a secret word, a few words naming what it is for, an introducer ("is", は, 是, 는, lautet,
/// est, é, `:`), then a value; and the reverse, "use X as the password". The value may be a
/// passphrase of ordinary words («correct horse battery staple», 「さくらもち」): the cue
/// judges it, not its entropy.
enum ProseCues {
    /// ASCII cue words (lower case), found at word starts.
    static let asciiCues: [[UInt8]] = [
        "password", "passwd", "passcode", "passphrase", "pass phrase", "pwd", "pw", "pin", "pin code", "secret", "token",
        "api key", "access key", "secret key", "private key", "contraseña", "clave", "senha", "mot de passe", "passwort",
        "kennwort", "wachtwoord", "parola", "code pin", "door code", "gate code", "alarm code", "garage code", "safe code", "lock code",
        "entry code", "access code", "security answer", "secret answer", "palavra-passe", "senha do", "jeton", "zugangsdaten", "wifi key", "wi-fi key",
        "wlan key", "network key", "wpa key", "wifi", "wi-fi",
        "wlan",
    ].map { Array($0.utf8) }

    /// Codes that are digits (a door's, a safe's): judged like a PIN.
    static let codeCues: Set<[UInt8]> = Set(
        ["door code", "gate code", "alarm code", "garage code", "safe code", "lock code", "entry code", "access code"]
            .map { Array($0.utf8) })

    /// Cues that are common words: their value must look like a secret, not merely be a word.
    static let weakCues: Set<[UInt8]> = Set(["clave", "token", "secret", "wifi", "wi-fi", "wlan", "jeton"].map { Array($0.utf8) })

    static let scriptCues: [[UInt8]] = [
        "パスワード", "暗証番号", "パスコード", "パスフレーズ", "合言葉", "秘密鍵", "トークン", "APIキー", "シークレット", "認証コード",
        "密码", "密碼", "口令", "密钥", "密鑰", "令牌", "私钥", "暗号", "비밀번호", "비번", "암호", "토큰", "개인키", "пароль", "Пароль",
        "アクセスキー", "シークレットキー", "API 키", "API키", "액세스 키", "시크릿 키", "비밀 키", "パス", "패스워드", "金鑰", "秘鑰",
    ].map { Array($0.utf8) }

    /// Introducing words after an ASCII cue, in the languages the cues are in.
    static let introducerWords: Set<String> = [
        "is", "was", "are", "were", "becomes", "became", "es", "era", "sera", "será", "est", "c'est", "ist", "lautet", "war",
        "é", "e", "será", "=", ":", "->", "→", "-", "–", "—", "=>", "reads", "stays", "it's", "be", "'s", "’s",
    ]

    /// Whether a word starting with this byte can be an introducer, a verb of setting or a
    /// colon-ended label (any word can end in `:`, so only bytes no word starts with are out).
    private static func mayIntroduce(_ byte: UInt8) -> Bool { byte != 0x28 && byte != 0x5B && byte != 0x7B }

    private static let followers: [[UInt8]] = [
        "now", "set", "changed", "reset", "updated", "rotated", "to", "still", "just", "simply", "literally",
        "actually",
    ].map { Array($0.utf8) }

    /// Words after a cue that make the sentence about the secret's rules, not its value.
    static let settingWords: Set<String> = [
        "policy", "policies", "rules", "rule", "requirements", "requirement", "length", "format", "strength", "complexity", "reset", "recovery",
        "manager", "field", "fields", "hint", "prompt", "expiry", "expiration", "lifetime", "ttl", "rotation", "history", "hash", "hashing",
        "storage", "validation", "criteria", "regex", "pattern", "minimum", "maximum", "min", "max", "settings", "setting", "type", "types",
    ]

    /// Words that may sit between a cue and its introducer ("password for the guest wifi is").
    static let fillerLimit = 6

    static func candidates(_ scan: ScanText) -> [ValueCandidate] {
        let bytes = scan.bytes
        let lowered = scan.lowered.bytes
        var found: [ValueCandidate] = []
        // Each cue the text holds, at its hits that start a word (memchr, not a walk over every word).
        var strongCuePresent = false
        for cue in asciiCues where scan.lowered.contains(cue) {
            if !weakCues.contains(cue) { strongCuePresent = true }
            for index in scan.lowered.offsets(of: cue) where index == 0 || !ByteClass.isAlnum(lowered[index - 1]) {
                var end = index + cue.count
                if end < lowered.count, lowered[end] == 0x73 { end += 1 }
                if end < lowered.count, ByteClass.isAlnum(lowered[end]) || lowered[end] == 0x5F { continue }
                // A cue in backticks or quotes names a field (`password` column), not a secret.
                if index > 0, end < lowered.count, lowered[index - 1] == 0x60 || lowered[index - 1] == 0x22 || lowered[index - 1] == 0x27,
                    lowered[end] == lowered[index - 1]
                {
                    continue
                }
                if let value = asciiIntroduced(after: end, in: bytes, lowered: lowered) {
                    found.append(ValueCandidate(structure: .proseCue, key: index..<end, value: value, mayHoldSpaces: true))
                }
            }
        }
        if !scan.lowered.isASCII {
            for cue in scriptCues where scan.lowered.contains(cue) {
                for hit in scan.lowered.offsets(of: cue) {
                    if let value = scriptIntroduced(after: hit + cue.count, in: bytes) {
                        found.append(ValueCandidate(structure: .proseCue, key: hit..<hit + cue.count, value: value, mayHoldSpaces: true))
                    }
                }
            }
            // A Latin cue word before a Japanese, Chinese or Korean introducer: 「WiFiのpasswordは…」.
        }
        // "use X as the password" needs a strong cue in the text: most texts have none.
        if strongCuePresent { found += reversed(scan) }
        return found
    }

    /// After an ASCII cue: up to a few filler words, an introducer, then the value.
    private static func asciiIntroduced(after start: Int, in bytes: [UInt8], lowered: [UInt8]) -> Range<Int>? {
        var index = start
        var words = 0
        var previousWord = ""
        while index < bytes.count, index - start < 80 {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            guard index < bytes.count, bytes[index] != 0x0A else { return nil }
            // A CJK introducer straight after a Latin cue (`PIN は 4512`, `password是…`).
            if bytes[index] >= 0xE0 { return scriptIntroduced(after: index, in: bytes) }
            var stop = index
            while stop < bytes.count, !ByteClass.isSpace(bytes[stop]) { stop += 1 }
            // Introducers are short: a longer word is a filler, read without making a string.
            let word = stop - index <= 8 && mayIntroduce(lowered[index]) ? String(decoding: lowered[index..<stop], as: UTF8.self) : "-filler-"
            // A comparison (`password == confirm`) is code, not a value.
            if word.hasPrefix("==") || word.hasPrefix("!=") || word.hasPrefix("===") { return nil }
            if word == ":" || word == "=" || word.hasPrefix(":") || word.hasPrefix("=") {
                // `password:hunter2` or `password : hunter2`
                var valueStart = index + 1
                if word.hasPrefix(":="), word.count > 2 { valueStart = index + 2 }
                if word.count > 1, !word.hasPrefix(":=") { return value(from: valueStart, in: bytes) }
                return value(from: stop, in: bytes)
            }
            if word.hasSuffix(":"), word.count > 1, words < fillerLimit {
                if settingWords.contains(String(word.dropLast())) { return nil }
                return value(from: stop, in: bytes)
            }
            // "has been changed to", "was reset to": `to` after a verb of setting.
            let afterSetting = word == "to" && ["changed", "set", "reset", "updated", "rotated", "switched", "moved"].contains(previousWord)
            if introducerWords.contains(word) || afterSetting {
                var next = stop
                // "is now", "is set to", "was changed to", "is:".
                for word in followers {
                    var probe = next
                    while probe < bytes.count, bytes[probe] == 0x20 { probe += 1 }
                    if probe + word.count <= bytes.count, bytes[probe..<probe + word.count].map({ $0 | 0x20 }) == word,
                        probe + word.count == bytes.count || bytes[probe + word.count] == 0x20
                    {
                        next = probe + word.count
                    }
                }
                return value(from: next, in: bytes)
            }
            // "password policy:", "token length is": the sentence is about the secret's settings.
            let bare = word.hasSuffix(":") ? String(word.dropLast()) : word
            if settingWords.contains(bare) { return nil }
            words += 1
            previousWord = word
            if words > fillerLimit { return nil }
            // A sentence ends before an introducer came: no value.
            if stop > index, [0x2E, 0x3F, 0x21, 0x3B].contains(bytes[stop - 1]) { return nil }
            index = stop
        }
        return nil
    }

    /// After a CJK cue (or a Latin cue followed by CJK): a particle or colon, then the value.
    static func scriptIntroduced(after start: Int, in bytes: [UInt8]) -> Range<Int>? {
        var index = start
        var skipped = 0
        while index < bytes.count, skipped < 10 {
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
            guard index < bytes.count else { return nil }
            for introducer in scriptIntroducers
            where index + introducer.count <= bytes.count
                && bytes[index..<index + introducer.count].elementsEqual(introducer)
            {
                return value(from: index + introducer.count, in: bytes, script: true)
            }
            if bytes[index] == 0x3A || bytes[index] == 0x3D { return value(from: index + 1, in: bytes, script: true) }
            // No introducer: a password-like Latin value right after the cue (`wifi密码 12345678`).
            if skipped == 0, index > start, ByteClass.isGraphic(bytes[index]) {
                var end = index
                while end < bytes.count, ByteClass.isGraphic(bytes[end]) { end += 1 }
                let word = bytes[index..<end]
                guard word.count >= 4, word.contains(where: ByteClass.isDigit) || word.contains(where: { !ByteClass.isAlnum($0) }) else { return nil }
                return value(from: index, in: bytes, script: true)
            }
            // The cue's own suffixes and a short name between (`パスワード（本番）は`) are skipped;
            // sentence punctuation ends the search.
            if bytes[index] == 0x0A || isSentenceEnd(bytes, index) { return nil }
            index += bytes[index] >= 0xF0 ? 4 : bytes[index] >= 0xE0 ? 3 : bytes[index] >= 0xC0 ? 2 : 1
            skipped += 1
        }
        return nil
    }

    static let scriptIntroducers: [[UInt8]] = ["は", "が", "：", "＝", "改成了", "改为了", "设置为", "设为", "設為", "改成", "改为", "是", "为", "為", "는", "은", "→"]
        .map { Array($0.utf8) }

    /// 。 ！ ？ and the ideographic comma.
    static func isSentenceEnd(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard index + 2 < bytes.count, bytes[index] == 0xE3, bytes[index + 1] == 0x80 else { return false }
        return bytes[index + 2] == 0x82 || bytes[index + 2] == 0x81
    }

    /// The value from `start`: a quoted string, or words up to the clause's end.
    static func value(from start: Int, in bytes: [UInt8], script: Bool = false) -> Range<Int>? {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x3A || bytes[index] == 0x3D { index += 1 }
        guard index < bytes.count, bytes[index] != 0x0A else { return nil }
        if let quoted = StructureParser.quotedValue(from: index, in: bytes) { return quoted.isEmpty ? nil : quoted }
        // 「…」『…』“…”
        for (open, close) in brackets where index + open.count <= bytes.count && bytes[index..<index + open.count].elementsEqual(open) {
            var end = index + open.count
            while end + close.count <= bytes.count, end - index < 400, bytes[end] != 0x0A {
                if bytes[end..<end + close.count].elementsEqual(close) { return index + open.count..<end }
                end += 1
            }
            return nil
        }
        var end = index
        if bytes[index] >= 0x80 {
            // A CJK value runs to a copula, a particle or punctuation.
            while end < bytes.count, end - index < 90, bytes[end] >= 0x80, !endsScriptValue(bytes, end) {
                end += bytes[end] >= 0xF0 ? 4 : bytes[end] >= 0xE0 ? 3 : 2
            }
            // 「APIキーはリポジトリに置かず」: a word a particle makes an object of a verb, not a
            // value (but です, でした start with the particle's letter and end a value).
            let startsCopula = copulas.contains { end + $0.count <= bytes.count && bytes[end..<end + $0.count].elementsEqual($0) }
            if !startsCopula, objectParticles.contains(where: { end + $0.count <= bytes.count && bytes[end..<end + $0.count].elementsEqual($0) }) {
                return nil
            }
            return end > index ? index..<min(end, bytes.count) : nil
        }
        // ASCII words to the clause's end: `. ` `,` `;` `!` `?` `)` a line break, or non-ASCII.
        var wordCount = 0
        while end < bytes.count, wordCount < 8 {
            var stop = end
            while stop < bytes.count, isLatinWordByte(bytes[stop]) { stop += 1 }
            var trimmedStop = stop
            while trimmedStop > end, [0x2E, 0x2C, 0x3B, 0x21, 0x3F, 0x29, 0x5D, 0x22, 0x27].contains(bytes[trimmedStop - 1]) { trimmedStop -= 1 }
            guard trimmedStop > end else { break }
            wordCount += 1
            let clauseEnds = trimmedStop < stop || stop >= bytes.count || bytes[stop] != 0x20
            end = trimmedStop
            if clauseEnds { break }
            var next = stop
            while next < bytes.count, bytes[next] == 0x20 { next += 1 }
            guard next < bytes.count, isLatinWordByte(bytes[next]) else { break }
            // Keep the words apart: the judge sees them with their spaces.
            let probe = next
            var probeEnd = probe
            while probeEnd < bytes.count, isLatinWordByte(bytes[probeEnd]) { probeEnd += 1 }
            let word = String(decoding: bytes[probe..<probeEnd], as: UTF8.self).lowercased()
            if clauseBreakers.contains(word) { break }
            end = next
        }
        guard end > index else { return nil }
        if script {
            // 「秘密鍵は HSM に保存」: a Latin word that a particle makes an object, not a value.
            var next = end
            while next < bytes.count, bytes[next] == 0x20 { next += 1 }
            for particle in objectParticles where next + particle.count <= bytes.count && bytes[next..<next + particle.count].elementsEqual(particle) {
                return nil
            }
        }
        return index..<end
    }

    private static let articles: [[UInt8]] = ["the ", "my ", "our ", "a ", "your ", "an "].map { Array($0.utf8) }
    private static let verbsBeforeValue: [[UInt8]] = ["use", "using", "with", "set", "try", "enter", "type", "chose", "picked", "pick", "choose", "used"]
        .map { Array($0.utf8) }

    static let copulas: [[UInt8]] = ["です", "でした", "でしょう", "だ", "입니다", "이에요", "예요", "이다", "야", "요"].map { Array($0.utf8) }

    static let objectParticles: [[UInt8]] = ["に", "で", "を", "へ", "と", "から", "まで", "より", "로", "으로", "에", "을", "를", "中", "里"].map { Array($0.utf8) }

    /// Printable ASCII and the two-byte UTF-8 of accented Latin letters (obrigatória, Schlüssel):
    /// a Latin word goes on through them; a CJK character (a three-byte lead) ends it.
    static func isLatinWordByte(_ byte: UInt8) -> Bool {
        ByteClass.isGraphic(byte) || (byte >= 0x80 && byte < 0xE0)
    }

    /// Words that end a value's clause: what follows is about the value, not part of it.
    static let clauseBreakers: Set<String> = [
        "for", "and", "but", "on", "in", "at", "so", "because", "until", "since", "when", "if", "or", "from", "to", "(", "-",
        "—", "–", "which", "that", "please", "then", "now", "y", "et", "und", "e", "para", "pour", "für",
    ]

    private static let brackets: [([UInt8], [UInt8])] = [("「", "」"), ("『", "』"), ("“", "”"), ("【", "】"), ("（", "）")]
        .map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static let scriptValueEnds: [[UInt8]] = [
        "です", "でした", "だ", "。", "、", "！", "？", "」", "）", "입니다", "이에요", "예요", "이야", "이다", "야", "요", "，", "的", "了", "吗",
        // (Not から or まで: a value can end in か or ま before です, as かざぐるまです does.)
        "に", "を", "で", "と", "なので", "이고", "라고", "로", "으로",
    ].map { Array($0.utf8) }

    static func endsScriptValue(_ bytes: [UInt8], _ index: Int) -> Bool {
        for end in scriptValueEnds where index + end.count <= bytes.count && bytes[index..<index + end.count].elementsEqual(end) {
            return true
        }
        return false
    }

    /// "use X as the password", "(use hunter2 as the password)", "X is the password",
    /// 「X をパスワードに」.
    static func reversed(_ scan: ScanText) -> [ValueCandidate] {
        let lowered = scan.lowered
        var found: [ValueCandidate] = []
        // One search for " as ", then the article and the cue by bytes: " as " is a common
        // word, so nothing is allocated for the hits that lead to no cue.
        let bytes = lowered.bytes
        // (Searched as "as " with the space before checked: memchr on a space stops at every word.)
        for asHit in lowered.offsets(of: Array("as ".utf8)) where asHit > 0 && bytes[asHit - 1] == 0x20 {
            let hit = asHit - 1
            var after = hit + 4
            for article in articles where after + article.count <= bytes.count && bytes[after..<after + article.count].elementsEqual(article) {
                after += article.count
                break
            }
            guard let cue = asciiCues.first(where: { after + $0.count <= bytes.count && bytes[after..<after + $0.count].elementsEqual($0) }),
                !weakCues.contains(cue)
            else { continue }
            // Back to "use", "using", "with", "set", "try", "enter", "type" within a few words.
            var wordEnd = hit
            var words = 0
            while wordEnd > 0, words < 6 {
                var wordStart = wordEnd
                while wordStart > 0, bytes[wordStart - 1] != 0x20, bytes[wordStart - 1] != 0x28, bytes[wordStart - 1] != 0x0A { wordStart -= 1 }
                if verbsBeforeValue.contains(where: { $0.elementsEqual(bytes[wordStart..<wordEnd]) }) {
                    var valueStart = wordEnd
                    while valueStart < hit, bytes[valueStart] == 0x20 { valueStart += 1 }
                    if valueStart < hit {
                        found.append(ValueCandidate(structure: .proseCue, key: after..<after + cue.count, value: valueStart..<hit, mayHoldSpaces: true))
                    }
                    break
                }
                words += 1
                if wordStart == 0 || bytes[wordStart - 1] != 0x20 { break }
                wordEnd = wordStart - 1
            }
        }
        for marker in [
            " is the password", " is my password", " is our password", " is the passphrase", " is the pin", " is the passcode", " is the wifi password",
        ]
        where lowered.contains(Array(marker.utf8)) {
            for hit in lowered.offsets(of: Array(marker.utf8)) {
                var start = hit
                while start > 0, ByteClass.isGraphic(lowered.bytes[start - 1]) { start -= 1 }
                if start < hit {
                    found.append(ValueCandidate(structure: .proseCue, key: hit + 8..<hit + marker.utf8.count, value: start..<hit, mayHoldSpaces: false))
                }
            }
        }
        return found
    }
}
