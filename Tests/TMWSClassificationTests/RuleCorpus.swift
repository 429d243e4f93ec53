import Foundation
import TMWSCore

/// True positives and near misses for the structural, prose and personal-data rules:
/// one hand-written true positive each, more generated from the rule's shape, and near
/// misses (wrong length, wrong checksum, placeholders, look-alikes).
enum RuleCorpus {
    struct Rule: Sendable {
        var type: String
        var handWritten: String
        var generate: @Sendable (inout SplitMix64) -> String
        var nearMisses: [String]
    }

    static func pick<T>(_ options: [T], _ random: inout SplitMix64) -> T { options[random.next(options.count)] }
    static func chars(_ alphabet: String, _ count: Int, _ random: inout SplitMix64) -> String {
        let letters = Array(alphabet)
        return String((0..<count).map { _ in letters[random.next(letters.count)] })
    }
    static let alnum = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

    /// A Luhn-valid number with the given prefix and length.
    static func luhnNumber(prefix: String, length: Int, _ random: inout SplitMix64) -> String {
        var digits = prefix.compactMap(\.wholeNumberValue)
        while digits.count < length - 1 { digits.append(random.next(10)) }
        for check in 0...9 where luhn(digits + [check]) { return (digits + [check]).map(String.init).joined() }
        return ""
    }

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            let value = index % 2 == 1 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return sum % 10 == 0
    }

    /// A valid IBAN for the country with the given BBAN.
    static func iban(country: String, bban: String) -> String {
        let rearranged = bban + country + "00"
        var remainder = 0
        for character in rearranged {
            if let digit = character.wholeNumberValue {
                remainder = (remainder * 10 + digit) % 97
            } else {
                remainder = (remainder * 100 + Int(character.asciiValue!) - 55) % 97
            }
        }
        let check = 98 - remainder
        return country + (check < 10 ? "0" : "") + String(check) + bban
    }

    static func grouped(_ text: String, by size: Int, separator: String) -> String {
        stride(from: 0, to: text.count, by: size).map { start in
            let from = text.index(text.startIndex, offsetBy: start)
            let to = text.index(from, offsetBy: min(size, text.count - start))
            return String(text[from..<to])
        }.joined(separator: separator)
    }

    static let rules: [Rule] = [
        Rule(
            type: "private_key",
            handWritten: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
            generate: { r in
                "-----BEGIN \(pick(["RSA ", "EC ", "DSA ", "ENCRYPTED ", ""], &r))PRIVATE KEY-----\nMII\(chars(alnum, 40, &r))\n-----END PRIVATE KEY-----"
            },
            nearMisses: [
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----",
                "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
                "Generate a private key with ssh-keygen -t ed25519 and keep it off the hub.",
            ]),
        Rule(
            type: "jwt",
            handWritten: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            generate: { r in "eyJ\(chars(alnum, 20, &r)).eyJ\(chars(alnum, 30, &r)).\(chars(alnum + "-_", 43, &r))" },
            nearMisses: [
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.abc", "eyJhbGciOiJIUzI1NiJ9.payload.signature-here",
                "abJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ]),
        Rule(
            type: "url_with_password",
            handWritten: "postgres://app:s3cr3tPW@db.example.com:5432/app",
            generate: { r in
                "\(pick(["postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https"], &r))://\(chars("abcdefgh", 5, &r)):\(chars(alnum + "!", 12, &r))@\(chars("abcdefgh", 6, &r)).example.net/x"
            },
            nearMisses: [
                "postgres://app@db.example.com/app", "postgres://user:${DB_PASSWORD}@db/app",
                "https://example.com/path?user=alice", "postgres://user:password@localhost/app",
            ]),
        Rule(
            type: "authorization_header",
            handWritten: "curl -H 'Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c9b8a' https://api.example.com",
            generate: { r in "Authorization: \(pick(["Basic", "Bearer", "Token"], &r)) \(chars(alnum, 24, &r))" },
            nearMisses: ["Authorization: Bearer <token>", "Authorization: Bearer ${TOKEN}", "Send the Authorization header with a bearer token."]),
        Rule(
            type: "secret_assignment",
            handWritten: "DB_PASSWORD=hunter2x",
            generate: { r in
                let key = pick(["DB_PASSWORD", "api_key", "CLIENT_SECRET", "auth_token", "SECRET_KEY_BASE", "aws_secret_access_key", "passwd"], &r)
                let value = chars(alnum, 6 + r.next(20), &r)
                return pick(["\(key)=\(value)", "\"\(key)\": \"\(value)\"", "\(key): \(value)", "export \(key)='\(value)'", "\(key) = \"\(value)\""], &r)
            },
            nearMisses: [
                "DB_PASSWORD=${DB_PASSWORD}", "password_min_length = 12", "api_key: <your-api-key>",
                "password = os.getenv(\"DB_PASSWORD\")", "token: {{ secrets.GITHUB_TOKEN }}", "password: String",
                "let password = credentials.password", "secret: ********",
            ]),
        Rule(
            type: "command_line_password",
            handWritten: "mysql -u root -pS3cretPass123 production",
            generate: { r in
                pick(
                    [
                        "mysql -h db -u app -p\(chars(alnum, 10, &r)) app", "sshpass -p \(chars(alnum, 10, &r)) ssh deploy@host",
                        "pg_dump --password=\(chars(alnum, 12, &r)) app",
                    ], &r)
            },
            nearMisses: ["mysql -u root -p production", "sshpass -p $SSHPASS ssh host", "mysql -u root -P 3306 -h db"]),
        Rule(
            type: "kubernetes_secret",
            handWritten: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMg==\n",
            generate: { r in
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \(chars("abcdef", 6, &r))\nstringData:\n  \(chars("abcdef", 5, &r)): \(chars(alnum, 12, &r))\n"
            },
            nearMisses: [
                "apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: fast\n", "kind: Secret objects are mounted as files.",
                "apiVersion: v1\nkind: Service\nspec:\n  ports: [80]\n",
            ]),
        Rule(
            type: "totp_seed",
            handWritten: "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME",
            generate: { r in
                pick(
                    [
                        "otpauth://totp/X:y?secret=\(chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32, &r))",
                        "TOTP secret: \(chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, &r))",
                    ], &r)
            },
            nearMisses: ["otpauth://totp/ACME:alice?issuer=ACME", "Enable TOTP for every admin account.", "TOTP secret: SHORT"]),
        Rule(
            type: "recovery_codes",
            handWritten: "GitHub recovery codes: 4f2a1-9bc3e 7d8e2-1a4b6 0c9f3-5e7d2",
            generate: { r in
                "Backup codes: \((0..<4).map { _ in chars("abcdef0123456789", 5, &r) + "-" + chars("abcdef0123456789", 5, &r) }.joined(separator: " "))"
            },
            nearMisses: ["Store your recovery codes somewhere safe.", "Backup codes: see 1Password", "recovery codes: none yet"]),
        Rule(
            type: "secret_in_prose",
            handWritten: "my wifi password is Pa55word!",
            generate: { r in
                let value = chars(alnum, 4 + r.next(8), &r)
                return pick(
                    [
                        "the wifi password is \(value)", "Our door code is \(r.next(9000) + 1000)", "パスワードは \(value) です",
                        "暗証番号は\(r.next(9000) + 1000)です", "the API key for staging is \(value)", "PIN: \(r.next(9000) + 1000)",
                        "The new password for the NAS is now \(value)", "トークンは「\(value)」",
                    ], &r)
            },
            nearMisses: [
                "The password is stored in the vault.", "パスワードは定期的に変更すること", "Reset the password via the admin page.",
                "The token is required for every request.", "PIN is 4 digits",
            ]),
        Rule(
            type: "url_query_secret",
            handWritten: "https://maps.example.com/api?key=8f3k29d7x0q1z5&zoom=3",
            generate: { r in
                "https://\(chars("abcdefgh", 6, &r)).example.net/v1/x?\(pick(["key", "api_key", "token", "access_token", "sig", "apikey"], &r))=\(chars(alnum, 16 + r.next(20), &r))&page=2"
            },
            nearMisses: [
                "https://example.com/api/v1/memories?limit=10", "https://maps.example.com/api?key=${MAPS_KEY}",
                "GET /export?token=<token>", "https://example.com/?key=value",
            ]),
        Rule(
            type: "credential_pair",
            handWritten: "the login is admin / Hunter22",
            generate: { r in
                let user = chars("abcdefghijk", 5, &r)
                let password = chars(alnum, 8, &r) + String(r.next(10))
                return pick(
                    [
                        "login: \(user) / \(password)", "staging creds: \(user):\(password)", "ログインは \(user) / \(password)",
                        "the credentials are \(user) | \(password)",
                    ], &r)
            },
            nearMisses: [
                "The login page for users/admins is at /auth/login.", "login: OAuth / SAML",
                "credentials are in 1Password / Vault", "Use login: admin / password",
            ]),
        Rule(
            type: "vendor_token",
            handWritten: "newrelic NRAK-7Q2ZK9X4M1P8R3T6V0W5Y2B4C7D",
            generate: { r in
                "\(pick(["dp.st.", "NRAK-", "sntrys_", "pk_live_", "pat-na1-", "zpka_", "tskey-auth-", "PMAT-"], &r))\(chars(alnum, 24 + r.next(20), &r))\(r.next(10))"
            },
            nearMisses: [
                "kubectl logs api-7d9f8b6c5-x2kqp", "sha512-Q3rYk1l6bG9vZ3VzX2hhc2hfdmFsdWVfZm9yX3BhY2thZ2Vf",
                "pod notification-service-worker-7d9f8b6c5d-x2kqp restarted", "get_UserAccountSettingsForOrganization",
            ]),
        Rule(
            type: "secret_after_cue",
            handWritten: "Das Passwort lautet Hk7wq2Lp9",
            generate: { r in
                let value = chars(alnum, 10, &r) + "Q7"
                return pick(
                    [
                        "Пароль от сервера: \(value)", "La contraseña del router es \(value)", "le mot de passe wifi c'est \(value)",
                        "I put the deploy token here so I don't lose it \(value)xZ9kWq3", "数据库的密码就是 \(value)",
                    ], &r)
            },
            nearMisses: [
                "パスワードは bcrypt でハッシュ化すること", "The key insight: batching writes cut contention.",
                "token expiry: 2026-12-03T14:00:00Z", "password hashing uses argon2id with 64 MiB",
            ]),
        Rule(
            type: "high_entropy_string",
            handWritten: "prod: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mT3vR9w",
            generate: { r in "aws: \(chars(alnum + "+/", 40, &r))" },
            nearMisses: [
                "Reverted 3f786850e387550fdab836ed7e6dc881de23001b", "AbstractSingletonProxyFactoryBean2Configuration",
                "integrity sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "Event 01ARZ3NDEKTSV4RRFFQ69G5FAV",
            ]),
        Rule(
            type: "encoded_credentials",
            handWritten: "ZGVwbG95OlpxOG1UM3ZSOXdYMg== is the basic auth for deploy",
            generate: { r in Data("\(chars("abcdefgh", 6, &r)):\(chars(alnum, 12, &r))".utf8).base64EncodedString() },
            nearMisses: ["aHR0cHM6Ly9leGFtcGxlLmNvbS9hcGk=", "dXNlcjpwYXNzd29yZA==", "SGVsbG8sIHdvcmxkISBIb3cgYXJlIHlvdT8="]),
        Rule(
            type: "seed_phrase",
            handWritten: "wallet seed phrase: abandon ability able about above absent absorb abstract absurd abuse access accident",
            generate: { r in
                let words = [
                    "legal", "winner", "thank", "year", "wave", "sausage", "worth", "useful", "letter", "advice", "cage", "above",
                    "zoo", "wrong", "gravity", "orange", "vault", "total", "scene", "ripple", "humble", "doctor", "credit", "bronze",
                ]
                let phrase = (0..<(12 + 3 * r.next(5))).map { _ in pick(words, &r) }.joined(separator: " ")
                return pick(["my recovery phrase is \(phrase)", "mnemonic: \(phrase)", "シードフレーズは \(phrase)"], &r)
            },
            nearMisses: [
                "Write the seed phrase on paper and keep it offline.", "The mnemonic is shown once during setup.",
                "recovery phrase: see the safe",
            ]),
        Rule(
            type: "wallet_private_key",
            handWritten: "cold wallet WIF: 5JybUf2nHQJng1nLBQGReB5wRQPvvrQkRAxTFvGKoB3Q4XRvdcL",
            generate: { r in pick(["backup: ", "import key ", "WIF "], &r) + pick(HeldOutCorpus.wifKeys, &r) },
            nearMisses: [
                "5JybUf2nHQJng1nLBQGReB5wRQPvvrQkRAxTFvGKoB3Q4XRvdcM", "BTC: 18ZaVcAT9uahY1jsgF4MQSE7TiZrCjgR3v",
                "KzhrEsnEA8x5WBxf3TjAN5dJSW9ZZEryQ1VJ4oHgaw2o7cvurD95",
            ]),
        Rule(
            type: "credit_card",
            handWritten: "card 4012 8888 8888 1881 exp 12/30",
            generate: { r in
                let (prefix, length) = pick([("4", 16), ("51", 16), ("2221", 16), ("37", 15), ("6011", 16), ("3530", 16), ("4", 19), ("62", 18)], &r)
                let number = luhnNumber(prefix: prefix, length: length, &r)
                return pick([number, grouped(number, by: 4, separator: " "), grouped(number, by: 4, separator: "-")], &r)
            },
            nearMisses: ["4012 8888 8888 1882", "4012-8888 8888-1881", "1234 5678 9012 3456", "0000 0000 0000 0000", "order 98765432109876"]),
        Rule(
            type: "iban",
            handWritten: "IBAN GB82 WEST 1234 5698 7654 32",
            generate: { r in
                let (country, length) = pick([("DE", 18), ("FR", 23), ("NL", 14), ("GB", 18), ("ES", 20)], &r)
                let bban = country == "NL" || country == "GB" ? chars("ABCDEFGH", 4, &r) + chars("0123456789", length - 4, &r) : chars("0123456789", length, &r)
                let value = iban(country: country, bban: bban)
                return pick([value, grouped(value, by: 4, separator: " ")], &r)
            },
            nearMisses: ["GB82 WEST 1234 5698 7654 33", "GB82WEST12345698765", "XX82WEST12345698765432"]),
        Rule(
            type: "us_ssn",
            handWritten: "SSN 536-22-1234",
            generate: { r in "\(100 + r.next(565))-\(10 + r.next(89))-\(1000 + r.next(8999))" },
            nearMisses: ["000-12-3456", "666-12-3456", "123-00-4567", "900-12-3456", "123-45-0000"]),
        Rule(
            type: "phone_number",
            handWritten: "call me at 090-1234-5678",
            generate: { r in
                pick(
                    [
                        "+1 415 \(100 + r.next(899)) \(1000 + r.next(8999))", "+81 90-\(1000 + r.next(8999))-\(1000 + r.next(8999))",
                        "080\(10_000_000 + r.next(89_999_999))", "(212) 555-\(1000 + r.next(8999))", "03-\(1000 + r.next(8999))-\(1000 + r.next(8999))",
                    ], &r)
            },
            nearMisses: ["version 1.2.3", "on 2024-01-15", "ticket OPS-1234", "port 8080", "+1"]),
        Rule(
            type: "personal_email",
            handWritten: "mail alice.smith@gmail.com for the keys",
            generate: { r in
                "\(chars("abcdefghij", 6, &r)).\(chars("klmnop", 4, &r))@\(pick(["gmail.com", "yahoo.co.jp", "outlook.com", "icloud.com", "docomo.ne.jp", "proton.me"], &r))"
            },
            nearMisses: ["noreply@github.com", "team@acme-corp.com", "alice@gmail", "@gmail.com"]),
    ]
}
