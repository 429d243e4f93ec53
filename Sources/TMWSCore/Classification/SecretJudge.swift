import Foundation

/// Judges a value the structure parser found: by the key that owns it (`KeyLexicon`), its
/// shape, and what it is not — a placeholder, a reference to a variable or a secret store,
/// an empty value, a public-by-design format, a documented example.
enum SecretJudge {
    struct Verdict {
        var type: String
        var tier: SensitiveFinding.Tier
        var rule: String
        var range: Range<Int>
    }

    static func judge(_ candidate: ValueCandidate, in scan: ScanText) -> Verdict? {
        let bytes = scan.bytes
        var range = candidate.value
        while range.count > 0, bytes[range.upperBound - 1] == 0x20 || bytes[range.upperBound - 1] == 0x09 { range = range.lowerBound..<range.upperBound - 1 }
        while range.count > 0, bytes[range.lowerBound] == 0x20 { range = range.lowerBound + 1..<range.upperBound }
        guard range.count >= 2, range.count <= 1024 else { return nil }
        let key = candidate.key.map { bytes[$0] } ?? []
        var strength = candidate.isFlagPassword ? .strong : KeyLexicon.strength(of: key)
        var rule = candidate.isFlagPassword ? "command-password" : "key-lexicon"
        switch candidate.structure {
        case .urlUserinfo:
            strength = .strong
            rule = "url-password"
        case .httpHeader:
            let name = String(decoding: key, as: UTF8.self).lowercased()
            if ["authorization", "proxy-authorization", "authentication"].contains(name) {
                // The credential after its scheme word.
                if let space = bytes[range].firstIndex(of: 0x20) {
                    let scheme = String(decoding: bytes[range.lowerBound..<space], as: UTF8.self).lowercased()
                    if scheme == "basic" || scheme == "bearer" || scheme == "token" || scheme == "digest" || scheme.count <= 16 {
                        range = space + 1..<range.upperBound
                        while range.count > 0, bytes[range.lowerBound] == 0x20 { range = range.lowerBound + 1..<range.upperBound }
                    }
                }
                strength = .strong
                rule = "header-credential"
            } else if name == "cookie" || name == "set-cookie" {
                return nil  // its pairs are judged one by one (`session=…`)
            } else if strength < .strong,
                [
                    "x-api-key", "api-key", "apikey", "private-token", "x-vault-token", "x-auth-token", "x-access-token",
                    "x-goog-api-key", "ocp-apim-subscription-key", "x-functions-key", "x-amz-security-token",
                ].contains(name)
            {
                strength = .strong
            }
        case .callArgument:
            // `get_secret("acme/token")`, `os.getenv("API_KEY")`: a getter's argument names a secret.
            let words = KeyLexicon.split(key)
            if words.contains(where: { getterWords.contains($0) }) { return nil }
            // A client, a login or a signature takes its secret as an argument: judge the value by shape.
            if strength == .none, words.contains(where: { clientWords.contains($0) }) || key.first.map(ByteClass.isUpper) == true { strength = .weak }
        case .proseCue:
            rule = "cue-value"
            var cue = Array(key).map { $0 | (ByteClass.isUpper($0) ? 0x20 : 0) }
            if cue.count > 3, cue.last == 0x73, cue[0] < 0x80 { cue.removeLast() }  // tokens, passwords
            if ProseCues.weakCues.contains(cue) || cue.elementsEqual("パス".utf8) { strength = .weak } else { strength = .strong }
            if cue == Array("pin".utf8) || cue == Array("pin code".utf8) || cue == Array("code pin".utf8) || cue.elementsEqual("暗証番号".utf8)
                || ProseCues.codeCues.contains(cue)
            {
                let value = bytes[range]
                guard value.count >= 3, value.count <= 12, value.allSatisfy(ByteClass.isDigit) else { return nil }
                return Verdict(type: "secret_in_prose", tier: .prose, rule: "cue-pin", range: range)
            }
        default:
            break
        }
        guard strength >= .weak else { return nil }
        let raw = String(decoding: bytes[range], as: UTF8.self)
        if isNotAValue(raw, structure: candidate.structure, strength: strength) { return nil }
        // `credentials: Credentials`, `token: Token`: a parameter and its type.
        if !key.isEmpty, raw.count == key.count, raw.lowercased() == String(decoding: key, as: UTF8.self).lowercased(), raw.first?.isUppercase == true {
            return nil
        }
        let (type, tier) = kind(of: candidate.structure)
        let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count == 3, words[1] == "/", candidate.structure == .proseCue || candidate.structure == .markdownTable {
            // `WiFi: acme-guest / sunshine2024`: a name and its password.
            let secret = words[2]
            let secretStart = range.upperBound - secret.utf8.count
            if let verdict = single(
                String(secret), bytes[secretStart..<range.upperBound], strength: .strong, structure: candidate.structure, rule: "cue-pair",
                followedByWords: false)
            {
                return Verdict(type: type, tier: tier, rule: verdict, range: secretStart..<range.upperBound)
            }
            return nil
        }
        if words.count > 1 {
            guard candidate.mayHoldSpaces, candidate.structure != .httpHeader else { return nil }
            if strength == .strong, isPassphrase(words) {
                return Verdict(type: type, tier: tier, rule: "cue-passphrase", range: range)
            }
            // Judge the first word alone ("the password is hunter2 for staging"); a plain word
            // followed by more words is a sentence going on ("tokens are signed with HS256").
            let first = words[0]
            if first.allSatisfy({ $0.isLetter }), first.count < 16 { return nil }
            let firstRange = range.lowerBound..<range.lowerBound + first.utf8.count
            guard let verdict = single(String(first), bytes[firstRange], strength: strength, structure: candidate.structure, rule: rule, followedByWords: true)
            else { return nil }
            return Verdict(type: type, tier: tier, rule: verdict, range: firstRange)
        }
        guard let verdict = single(raw, bytes[range], strength: strength, structure: candidate.structure, rule: rule, followedByWords: false) else {
            return nil
        }
        return Verdict(type: type, tier: tier, rule: verdict, range: range)
    }

    /// The finding type a structure's secrets are reported as.
    static func kind(of structure: TextStructure) -> (String, SensitiveFinding.Tier) {
        switch structure {
        case .urlUserinfo: ("url_with_password", .structural)
        case .urlQuery: ("url_query_secret", .structural)
        case .httpHeader: ("authorization_header", .structural)
        case .cliFlag: ("command_line_password", .structural)
        case .proseCue: ("secret_in_prose", .prose)
        default: ("secret_assignment", .structural)
        }
    }

    /// One value: with a strong key, any real value; with a weak one, only a value that looks
    /// like a password or a generated token.
    private static func single(
        _ raw: String, _ bytes: ArraySlice<UInt8>, strength: KeyLexicon.Strength, structure: TextStructure, rule: String, followedByWords: Bool
    ) -> String? {
        var value = raw
        if structure == .proseCue { value = value.trimmingQuotes }
        if value.unicodeScalars.contains(where: { $0.value >= 0x3000 }) {
            // CJK: a word or phrase after a cue (「さくらもち」), judged by what advice looks like.
            if value.unicodeScalars.contains(where: \.isASCII) { return ProseStopValues.isJapaneseSecretLike(value) ? rule : nil }
            return strength == .strong && isScriptPassphrase(value) ? "cue-passphrase" : nil
        }
        guard value.count >= 3 else { return nil }
        let lower = value.lowercased()
        // `alg=RS256`: another pair, found and judged on its own.
        if let equals = value.firstIndex(of: "="), equals > value.startIndex, value[value.index(after: equals)...].contains(where: { $0 != "=" }),
            value[..<equals].count <= 24, value[..<equals].allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" || $0 == "." })
        {
            return nil
        }
        // A sentence saying the password is `changeme` states a real, weak password.
        if structure == .proseCue, strength == .strong, proseOnlySecrets.contains(lower) { return rule }
        if authSchemes.contains(lower) { return nil }
        if lower.containsBytes("://") || ProseStopValues.isQuantity(value) { return nil }
        if strength == .strong {
            guard AssignedValue.isSecretLike(value) else { return nil }
            if structure == .proseCue || followedByWords {
                // A word of a sentence: not an algorithm, a stop word, or an identifier-like name.
                let letters = lower.split(whereSeparator: { !$0.isLetter }).map(String.init)
                if !letters.isEmpty, letters.allSatisfy(CueWordNet.technicalWords.contains) { return nil }
                // Words joined by hyphens that say how a secret is kept (`bcrypt-hashed`), not what it is.
                if letters.count > 1, !value.contains(where: \.isNumber),
                    letters.contains(where: { CueWordNet.technicalWords.contains($0) || ProseStopValues.words.contains($0) || proseStops.contains($0) })
                {
                    return nil
                }
                if proseStops.contains(lower) { return nil }
                if followedByWords, !value.contains(where: { $0.isNumber || !$0.isLetter }), value.count < 4 { return nil }
            }
            if value.allSatisfy(\.isNumber), value.count < 4 { return nil }
            return rule
        }
        // Weak key: the value must look like a secret by itself; after a cue in a sentence,
        // letters with digits are enough («la clave del wifi es sol2024»).
        if CueWordNet.isSecretValue(bytes, value) || Randomness.looksGenerated(bytes) { return "key-and-shape" }
        if structure == .proseCue || structure == .callArgument, value.count >= 6, value.contains(where: \.isNumber), value.contains(where: \.isLetter),
            !(value.first?.isNumber ?? true)
        {
            return "key-and-shape"
        }
        // A provider's secret passed to its client: 32+ hex digits or a long generated run.
        if structure == .callArgument, bytes.count >= 32, bytes.allSatisfy(ByteClass.isHex), bytes.contains(where: ByteClass.isDigit),
            bytes.contains(where: { ByteClass.isLower($0) || ByteClass.isUpper($0) })
        {
            return "key-and-shape"
        }
        return nil
    }

    /// Three to eight ordinary words with no word of a sentence's grammar among them:
    /// «correct horse battery staple», not «stored in the vault».
    static func isPassphrase(_ words: [Substring]) -> Bool {
        guard (3...8).contains(words.count) else { return false }
        for (position, word) in words.enumerated() {
            let lower = word.lowercased().trimmingQuotes
            guard !lower.isEmpty, lower.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "'" }) else { return false }
            if grammarWords.contains(lower) || CueWordNet.technicalWords.contains(lower) || KeyLexicon.negativeHeads.contains(lower) { return false }
            // The first word may be an ordinary one («correct horse battery staple») when three follow.
            if position > 0 || words.count < 4, proseStops.contains(lower) || ProseStopValues.words.contains(lower) { return false }
        }
        return true
    }

    /// A CJK value after a cue, if it is not a phrase of advice (必須, 8文字以上, 定期的に変更).
    static func isScriptPassphrase(_ value: String) -> Bool {
        let count = value.count
        guard (2...20).contains(count) else { return false }
        if scriptStops.contains(where: { value.containsBytes($0) }) { return false }
        // Kana-only words hold particles' letters (もみじがり); a clause mixes in kanji or hangul.
        let kanaOnly = value.unicodeScalars.allSatisfy { (0x3041...0x30FF).contains($0.value) }
        if !kanaOnly, value.contains(where: { scriptParticles.contains($0) }) { return false }
        return true
    }

    /// What a value is not: a placeholder, a reference, a boolean, a public-by-design format.
    static func isNotAValue(_ raw: String, structure: TextStructure, strength: KeyLexicon.Strength) -> Bool {
        let value = raw.trimmingQuotes
        if value.isEmpty { return true }
        let lower = value.lowercased()
        if structure == .proseCue, proseOnlySecrets.contains(lower) { return false }
        // A call (`get_secret(`, `keyring.get_password(`): code that fetches the value.
        if let paren = raw.firstIndex(of: "("), paren > raw.startIndex {
            let callee = raw[..<paren]
            let codeLike = !callee.contains(where: \.isNumber) || callee.contains("_") || callee.contains(".")
            if callee.count >= 3, codeLike, callee.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) { return true }
        }
        if Placeholders.isPlaceholder(value) || Placeholders.isDocumentedExample(value) { return true }
        // `changeme` is a template's value in a structure, but a sentence that says the
        // password is changeme states a real (weak) password.
        if structure != .proseCue, templateWords.contains(lower) { return true }
        if let first = lower.utf8.first, referencePrefixesByFirstByte[Int(first)].contains(where: { lower.utf8.starts(with: $0) }) { return true }
        let rawLower = raw.lowercased()
        for marker in referenceMarkers where rawLower.containsBytes(marker) { return true }
        if value.hasPrefix("%"), value.hasSuffix("%"), value.count > 2 { return true }
        if value.hasPrefix("$"), value.count > 1, let second = value.dropFirst().first, second == "{" || second == "(" || second == "_" || second.isUppercase,
            value.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || "_{}():-".contains($0) })
        {
            return true
        }
        if ["true", "false", "yes", "no", "on", "off", "null", "nil", "none", "undefined", "n/a", "-", "..."].contains(lower) { return true }
        if PublicByDesign.isPublic(value) { return true }
        // A version or a range of versions (`^9.0.2`, `~5.3`, `>=1.2.0`, `v2.4.19`).
        if isVersion(value) { return true }
        // A type (`String?`, `Optional<String>`, `[UInt8]`, `Codable`) or a YAML key on the next line (`name:`).
        if isTypeName(value) || value.hasSuffix(":") && value.dropLast().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) { return true }
        if strength < .strong, PublicByDesign.isIdentifier(value) { return true }
        return false
    }

    /// Whether the key that owns the value at `range` (the identifier before `=` or `:` just
    /// before it) names something public or a setting (`PublicKey = …`, `token_url: …`).
    static func ownerIsNegative(_ range: NSRange, in units: [UInt16]) -> Bool {
        var index = range.location
        var steps = 0
        // From inside a token (a rule may start a value a few letters in) back to its start.
        while index > 0, steps < 8, units[index - 1] < 0x80, ByteClass.isAlnum(UInt8(units[index - 1])) {
            index -= 1
            steps += 1
        }
        steps = 0
        while index > 0, steps < 4, units[index - 1] == 0x20 || units[index - 1] == 0x22 || units[index - 1] == 0x27 {
            index -= 1
            steps += 1
        }
        guard index > 0, units[index - 1] == 0x3D || units[index - 1] == 0x3A else { return false }
        index -= 1
        while index > 0, units[index - 1] == 0x20 || units[index - 1] == 0x22 || units[index - 1] == 0x27 { index -= 1 }
        var start = index
        while start > 0, index - start < 64, units[start - 1] < 0x80, StructureParser.isKeyByte(UInt8(units[start - 1])) { start -= 1 }
        guard start < index else { return false }
        let key = units[start..<index].map { UInt8($0) }
        if KeyLexicon.strength(of: key[...]) == .negative { return true }
        // A JSON Web Key's public members (`"n"`, `"e"`, `"x"`, `"y"`) in a key with no private `"d"`.
        if key.count == 1, [0x6E, 0x65, 0x78, 0x79].contains(key[0]) {
            let text = String(decoding: units, as: UTF16.self)
            return text.contains("\"kty\"") && !text.contains("\"d\"")
        }
        return false
    }

    /// Whether "public key" (or 公開鍵, 公钥, 공개 키, pubkey) names the value: on its line or
    /// the line before, within a few words, with no private or secret word between.
    static func followsPublicKeyLabel(_ range: NSRange, in units: [UInt16]) -> Bool {
        let start = max(0, range.location - 80)
        guard start < range.location else { return false }
        let before = String(decoding: units[start..<range.location], as: UTF16.self).lowercased()
        let labels = ["public key", "public_key", "publickey", "pubkey", "公開鍵", "公钥", "公鑰", "공개 키", "공개키"]
        guard let labelEnd = labels.compactMap({ label in before.byteOffset(of: label, backwards: true).map { $0 + label.utf8.count } }).max() else {
            return false
        }
        let between = String(decoding: Array(before.utf8)[labelEnd...], as: UTF8.self)
        return !between.containsBytes("private") && !between.containsBytes("secret") && !between.containsBytes("秘密")
            && between.filter({ $0 == "\n" }).count <= 1
    }

    static func isVersion(_ value: String) -> Bool {
        var body = Substring(value)
        while let first = body.first, "^~<>=v".contains(first) { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.count <= 4
            && parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "x" || $0 == "*") } }
    }

    /// A type in a declaration: a known type name, optional, generic or an array of one.
    static func isTypeName(_ value: String) -> Bool {
        var name = Substring(value)
        while let last = name.last, last == "?" || last == "!" || last == "," || last == "{" || last == ";" { name = name.dropLast() }
        if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
        if let angle = name.firstIndex(of: "<"), name.hasSuffix(">") { name = name[..<angle] }
        let lower = name.lowercased()
        return AssignedValue.typeNames.contains(lower) || declaredTypes.contains(lower)
    }

    static let declaredTypes: Set<String> = [
        "codable", "decodable", "encodable", "hashable", "equatable", "sendable", "identifiable", "error", "record", "int64", "int32",
        "uint8", "double", "float", "date", "url", "uuid", "dictionary", "array", "set", "map", "list", "vec", "option", "result",
        "securestring", "secretstr", "secretstring", "bytearray", "char[]", "interface", "protocol", "struct", "class", "enum", "void",
        "unknown", "never", "undefined", "null", "bigint", "symbol", "readonly", "partial", "record<string", "zod", "z.string()",
    ]

    /// `confirm_password`, `user_token:`: a snake_case name in code, not a value.
    static func isCodeIdentifier(_ raw: String) -> Bool {
        var value = Substring(raw)
        while let last = value.last, last == ":" || last == ")" || last == "," || last == ";" { value = value.dropLast() }
        return value.contains("_") && value.count >= 4 && value.first?.isLetter == true
            && value.allSatisfy { ($0.isASCII && $0.isLowercase) || $0 == "_" || $0 == "." || ($0.isASCII && $0.isNumber) }
            && value.filter(\.isNumber).count <= 2
    }

}
