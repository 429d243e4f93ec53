import Foundation
import TMWSCore

/// A held-out-style corpus for «parse, then judge» (issue 18 item 10): secrets in wrappers the
/// rules were not written for — HTTP request dumps, command lines, configuration files of
/// common tools, connection strings in several dialects, provider tokens passed as arguments
/// in code, wallet keys, prose in English, Japanese, Chinese and Korean — and benign notes of
/// the kinds that used to be flagged. Every value is generated here or made up; none is real.
enum HeldOutCorpus {
    struct Case {
        /// The structure the secret sits in (the per-structure table's row).
        var structure: String
        var text: String
        /// The secret as written in `text`.
        var secret: String
    }

    // MARK: values

    static let alnum = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func password(_ random: inout SplitMix64) -> String {
        let symbols = Array("!#%&*+-=?@^_~")
        var letters = (0..<(9 + random.next(6))).map { _ in alnum[random.next(alnum.count)] }
        letters[random.next(letters.count)] = symbols[random.next(symbols.count)]
        letters[random.next(letters.count)] = Character(String(random.next(10)))
        return String(letters)
    }

    static func token(_ length: Int, _ random: inout SplitMix64) -> String {
        String((0..<length).map { _ in alnum[random.next(alnum.count)] })
    }

    static func hex(_ length: Int, _ random: inout SplitMix64) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<length).map { _ in digits[random.next(16)] })
    }

    static let passphraseWords = [
        "correct", "horse", "battery", "staple", "purple", "monkey", "dishwasher", "orbit", "velvet", "lantern",
        "marble", "cactus", "tundra", "pickle", "harbor", "walnut", "glacier", "meadow", "copper", "falcon",
    ]
    static func passphrase(_ random: inout SplitMix64) -> String {
        (0..<(3 + random.next(3))).map { _ in passphraseWords[random.next(passphraseWords.count)] }.joined(separator: " ")
    }

    static let kanaWords = ["さくらもち", "ひまわりばたけ", "あおいうみ", "もみじがり", "ねこやなぎ", "かざぐるま"]
    static let hanziWords = ["芝麻开门", "青山绿水", "月光宝盒", "长城万里"]
    static let hangulWords = ["사과나무", "푸른하늘", "별빛바다", "무지개다리"]

    /// A provider token with its format's checksum, generated from the format's own pattern.
    static func providerToken(_ random: inout SplitMix64) -> String {
        let formats = CredentialFormat.all.filter {
            [
                "github_token", "stripe_secret_key", "slack_token", "openai_api_key", "anthropic_api_key",
                "google_api_key", "gitlab_token", "npm_token", "sendgrid_api_key", "huggingface_token",
            ].contains($0.type)
        }
        let format = formats[random.next(formats.count)]
        return format.pattern.sample(using: &random)
    }

    /// Generated with the standard's checksums (base58check, BIP-39); random, never funded.
    static let wifKeys = [
        "5JybUf2nHQJng1nLBQGReB5wRQPvvrQkRAxTFvGKoB3Q4XRvdcL", "KzhrEsnEA8x5WBxf3TjAN5dJSW9ZZEryQ1VJ4oHgaw2o7cvurD94",
        "5KEvXr3tZ2soRZhTXmfaN8LXBpodkXLGYdFzV2NwyAEjweXvb2N", "L3rn77eengvmCc711j7yX66WYoQodBfDYAp7xno3nKMQUSJbYG6N",
        "5J1TGJ5a1Zw671ri8erzaEjqQ3tT1pzjKjrYk2Xa7GAg25xprPt", "L1QuzVk1ZB5kZesobiJqmBEuSsC8RWityVWVVmxL4hvYL2USzFNF",
    ]
    static let mnemonics = [
        "muffin reason giraffe job absent film room under account casual pioneer addict",
        "include april lens gorilla burden copper receive hedgehog erode labor gas prefer",
        "scrub brisk ginger report poem ethics tongue spare slight economy topple myself item also boring",
        "wet crush journey base rough curious dismiss pluck broken scheme lottery return dismiss throw idea practice dilemma blind",
        "clean candy distance couple spring impulse exchange laptop silver observe marine couple escape popular youth mail ladder prosper march never color",
        "dice rabbit science vehicle section divert label shell stadium home volume repair cause extra panda fresh salon snake cement manual forget hood aware again",
    ]
    static let ethereumKeys = [
        "0x3f3b00305159a890350d8f29e2badaca80c798d9b3b7aaced58e87b68eed0ecc", "0a831bc13811a12e48539a6987817bf684341b20e88112fa64fd3e41f3b9a628",
        "0x4d4b37df9e9021dccb40871cee5b2a9a65fbd1a2320ea33f7ba9bb2571604d64",
    ]

    // MARK: secrets

    /// Templates: the structure, and the text around `{S}`.
    static let templates: [(String, String)] = [
        ("http-header", "GET /v2/orders HTTP/1.1\nHost: api.acme.io\nAuthorization: Bearer {S}\nAccept: application/json"),
        ("http-header", "POST /hooks HTTP/1.1\nHost: hooks.acme.io\nX-Acme-Signature-Key: {S}\nContent-Type: application/json\n\n{\"ok\":true}"),
        ("http-header", "> GET /api/v1/items HTTP/2\n> Host: internal.acme.io\n> X-Api-Key: {S}\n> User-Agent: curl/8.5.0"),
        ("http-header", "Proxy-Authorization: Token {S}"),
        ("http-header", "Request headers:\n  Private-Token: {S}\n  Accept: */*"),
        ("cli-flag", "acme-cli deploy --api-token {S} --region eu-west-1"),
        ("cli-flag", "vault login -method=userpass username=ops password={S}"),
        ("cli-flag", "pg_dump --dbname=app --password={S} > dump.sql"),
        ("cli-flag", "./bin/sync --client-secret \"{S}\" --dry-run"),
        ("cli-flag", "Invoke-RestMethod -Uri $u -Password {S}"),
        ("cli-flag", "redis-cli -h cache.internal --pass {S} ping"),
        ("env-prefix", "ACME_TOKEN={S} ./scripts/release.sh --prod"),
        ("env-prefix", "docker run -e DB_PASSWORD={S} -p 5432:5432 postgres:16"),
        ("env-prefix", "PGPASSWORD={S} psql -h db.internal -U app"),
        ("dotenv", "# .env.production\nAPP_ENV=production\nSTRIPE_SECRET={S}\nLOG_LEVEL=info"),
        ("dotenv", "SMTP_PASS={S}"),
        ("ini", "[client]\nuser = backup\npassword = {S}\nhost = db.internal"),
        ("ini", "# ~/.pgpass style notes\n[remote \"origin\"]\n\ttoken = {S}"),
        ("ini", "# terraform.tfvars\nregion = \"eu-west-1\"\ndb_admin_password = \"{S}\""),
        ("yaml", "# docker-compose.yml\nservices:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {S}"),
        ("yaml", "spring:\n  mail:\n    host: smtp.acme.io\n    password: '{S}'"),
        ("yaml", "# ~/.config/gh/hosts.yml\ngithub.com:\n    oauth_token: {S}\n    user: ops"),
        ("json", "{\"auths\": {\"registry.acme.io\": {\"identitytoken\": \"{S}\"}}}"),
        ("json", "{\n  \"name\": \"svc\",\n  \"credentials\": {\n    \"client_secret\": \"{S}\"\n  }\n}"),
        ("json", "settings.json: { \"sonar.token\": \"{S}\" }"),
        ("xml", "<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>{S}</password>\n</server>"),
        ("xml", "<connection host=\"db\" user=\"app\" password=\"{S}\" />"),
        ("xml", "<add name=\"Api\" apiSecret=\"{S}\" />"),
        ("url-userinfo", "amqps://worker:{S}@mq.acme.io:5671/vhost"),
        ("url-userinfo", "git clone https://ci-bot:{S}@git.acme.io/acme/app.git"),
        ("url-query", "https://api.acme.io/v1/report?format=csv&access_token={S}"),
        ("url-query", "wss://stream.acme.io/feed?apikey={S}&channel=prices"),
        ("connection-string", "Data Source=sql01;Initial Catalog=Sales;User ID=app;Password={S};Encrypt=True"),
        ("connection-string", "DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey={S};EndpointSuffix=core.windows.net"),
        ("connection-string", "Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd={S};"),
        ("connection-string", "Host=pg.internal;Port=5432;Username=app;Password={S};SSL Mode=Require"),
        ("call-argument", "client = acme.Client(api_key=\"{S}\", timeout=30)"),
        ("call-argument", "const octo = new Octokit({ auth: \"{S}\" });"),
        ("call-argument", "conn = psycopg2.connect(host=\"db\", user=\"app\", password=\"{S}\")"),
        ("call-argument", "let api = AcmeAPI(token: \"{S}\")"),
        ("call-argument", "requests.get(url, auth=(\"svc\", \"{S}\"))"),
        ("call-argument", "sdk.setApiKey(\"{S}\");"),
        ("markdown-table", "| env | user | password |\n|---|---|---|\n| staging | app | {S} |"),
        ("markdown-table", "| Service | Token |\n| --- | --- |\n| CI | {S} |"),
        ("prose-cue", "FYI the staging db password is {S} until Friday."),
        ("prose-cue", "Note to self: wifi passphrase → {S}"),
        ("prose-cue", "(use {S} as the password)"),
        ("prose-cue", "本番DBのパスワードは {S} です。"),
        ("prose-cue", "管理画面のトークン：{S}"),
        ("prose-cue", "测试环境的密码是 {S}，不要外传。"),
        ("prose-cue", "API 令牌：{S}"),
        ("prose-cue", "스테이징 서버 비밀번호는 {S} 입니다."),
        ("prose-cue", "관리자 토큰: {S}"),
        ("prose-cue", "La contraseña del NAS es {S}"),
        ("prose-cue", "Das Passwort für den Router lautet {S}"),
        ("http-header", "Set-Cookie: auth_token={S}; Path=/; HttpOnly"),
        ("url-query", "POST /oauth/token\n\ngrant_type=password&username=bob&password={S}"),
        ("cli-flag", "sqlcmd -S db -U sa -P '{S}'"),
        ("cli-flag", "ssh-keygen -t ed25519 -N '{S}' -f deploy_key"),
        ("cli-flag", "echo '{S}' | docker login -u ci --password-stdin registry.acme.io"),
        ("cli-flag", "gh secret set DEPLOY_KEY --body \"{S}\""),
        ("ini", "# redis.conf\nbind 127.0.0.1\nrequirepass {S}"),
        ("call-argument", "define('DB_PASSWORD', '{S}');"),
        ("connection-string", "sqlplus scott/{S}@orcl"),
        ("connection-string", "jdbc:oracle:thin:scott/{S}@db:1521:orcl"),
        ("env-prefix", "host1 ansible_ssh_pass={S}"),
        ("prose-cue", "our wifi key is {S}"),
        ("prose-cue", "WiFi: acme-guest / {S}"),
        ("prose-cue", "the new password will be {S}"),
        ("prose-cue", "password has been changed to {S}"),
        ("prose-cue", "密码改成了 {S}"),
        ("json", "args: [\"--token\", \"{S}\"]"),
        ("yaml", "environment:\n  - POSTGRES_PASSWORD={S}"),
        ("ini", "provider \"aws\" {\n  region     = \"eu-west-1\"\n  secret_key = \"{S}\"\n}"),
        ("cli-flag", "$pw = ConvertTo-SecureString \"{S}\" -AsPlainText -Force"),
        ("cli-flag", "net user bob {S} /add"),
        ("cli-flag", "echo \"bob:{S}\" | chpasswd"),
        ("json", "{\"key\": \"X-API-KEY\", \"value\": \"{S}\", \"type\": \"text\"}"),
        ("connection-string", "db.internal:5432:app:app:{S}"),
        ("cli-flag", "mosquitto_pub -h mq -u dev -P {S} -t x -m y"),
        ("cli-flag", "smbclient //srv/share -U bob%{S}"),
        ("cli-flag", "npm config set //registry.npmjs.org/:_authToken {S}"),
        ("cli-flag", "git config --global github.token {S}"),
        ("prose-cue", "wifi密码 {S}"),
        ("prose-cue", "와이파이 비번 {S}"),
        ("prose-cue", "la contraseña es «{S}»"),
        ("xml", "<entry key=\"password\">{S}</entry>"),
        ("xml", "<property name=\"password\" value=\"{S}\"/>"),
        ("call-argument", "const config = { apiKey: \"{S}\" }"),
        ("ini", "password := \"{S}\""),
        ("http-header", "Cookie: PHPSESSID={S}; theme=dark"),
        ("http-header", "Cookie: ASP.NET_SessionId={S}"),
        ("ini", "setx ACME_API_KEY \"{S}\""),
        ("ini", "ENV DB_PASSWORD {S}"),
    ]

    static var secrets: [Case] {
        var random = SplitMix64(seed: 0x18_0A)
        var cases: [Case] = []
        for round in 0..<4 {
            for (structure, template) in templates {
                let secret: String
                switch (round + cases.count) % 3 {
                case 0: secret = password(&random)
                case 1: secret = providerToken(&random)
                default: secret = token(20 + random.next(20), &random)
                }
                cases.append(Case(structure: structure, text: template.replacingOccurrences(of: "{S}", with: secret), secret: secret))
            }
        }
        // Passphrases of words: the cue judges them, not their entropy.
        for _ in 0..<4 {
            let phrase = passphrase(&random)
            cases.append(Case(structure: "prose-cue", text: "the password is \(phrase)", secret: phrase))
            cases.append(Case(structure: "yaml", text: "backup:\n  passphrase: \(phrase)", secret: phrase))
        }
        for word in kanaWords {
            cases.append(Case(structure: "prose-cue", text: "パスワードは\(word)です", secret: word))
            cases.append(Case(structure: "prose-cue", text: "Wi-Fiのパスワードは「\(word)」", secret: word))
        }
        for word in hanziWords { cases.append(Case(structure: "prose-cue", text: "口令是\(word)", secret: word)) }
        for word in hangulWords { cases.append(Case(structure: "prose-cue", text: "비밀번호는 \(word) 입니다", secret: word)) }
        for word in ["hunter2", "changeme", "sunshine", "letmein99"] {
            cases.append(Case(structure: "prose-cue", text: "(use \(word) as the password)", secret: word))
        }
        for (text, secret) in proseVariants { cases.append(Case(structure: "prose-cue", text: text, secret: secret)) }
        // Wallet keys.
        for key in wifKeys { cases.append(Case(structure: "token", text: "cold wallet backup: \(key)", secret: key)) }
        for phrase in mnemonics { cases.append(Case(structure: "word-list", text: "restore with\n\(phrase)\n(do not share)", secret: phrase)) }
        for key in ethereumKeys {
            cases.append(Case(structure: "prose-cue", text: "MetaMask private key: \(key)", secret: key))
            cases.append(Case(structure: "prose-cue", text: "ウォレットの秘密鍵は \(key) です", secret: key))
        }
        // SSNs written without dashes, after a cue.
        for ssn in ["219451234", "536221234", "401 55 7788"] {
            cases.append(Case(structure: "prose-cue", text: "Employee SSN \(ssn) on the W-2 form", secret: ssn))
        }
        return cases
    }

    /// Phrasings of the prose net in Chinese, Korean, Japanese and English that the templates do not use.
    static let proseVariants: [(String, String)] = [
        ("패스워드는 Hk7wq2Lp9 입니다", "Hk7wq2Lp9"),
        ("金鑰：Hk7wq2Lp9zXc", "Hk7wq2Lp9zXc"),
        ("a palavra-passe é Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("le jeton est Hk7wq2Lp9zXc", "Hk7wq2Lp9zXc"),
        ("Zugangsdaten: admin / Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("服务器的root密码为Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("数据库账号：admin，密码：Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("WiFi 名称 acme，密码 12345678", "12345678"),
        ("初始密码是 123456", "123456"),
        ("请把密码改为 Hk7wq2Lp9zX", "Hk7wq2Lp9zX"),
        ("비밀번호는 Hk7wq2Lp9입니다", "Hk7wq2Lp9"),
        ("와이파이 비밀번호는 12345678이에요", "12345678"),
        ("암호는 sunshine2024", "sunshine2024"),
        ("API 키: Hk7wq2Lp9zXc", "Hk7wq2Lp9zXc"),
        ("계정: admin / 비밀번호: Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("PWは Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("パスは Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("my PIN's 4512", "4512"),
        ("password was reset to Hk7wq2Lp9", "Hk7wq2Lp9"),
        ("The passphrase I chose: purple monkey dishwasher", "purple monkey dishwasher"),
        ("security answer: Fluffy2010", "Fluffy2010"),
        ("the safe code is 2931", "2931"),
        ("Password for bob@acme.io is Hk7wq2Lp9", "Hk7wq2Lp9"),
    ]

    /// Encodings and disguises: base32, base85, base64 five deep, spaced out, split by a comma.
    static var disguised: [Case] {
        var random = SplitMix64(seed: 0xD15)
        var cases: [Case] = []
        for _ in 0..<3 {
            let inner = "password=\(password(&random))"
            cases.append(Case(structure: "encoded", text: "blob \(base32(inner))", secret: base32(inner)))
            let b85 = base85(inner)
            cases.append(Case(structure: "encoded", text: "payload: \(b85) end", secret: b85))
            var nested = providerToken(&random)
            for _ in 0..<5 { nested = Data(nested.utf8).base64EncodedString() }
            cases.append(Case(structure: "encoded", text: "data \(nested)", secret: nested))
            let github = CredentialFormat.all.first { $0.type == "github_token" }!.pattern.sample(using: &random)
            let spaced = github.map(String.init).joined(separator: " ")
            cases.append(Case(structure: "encoded", text: "t: \(spaced)", secret: spaced))
            let cut = github.index(github.startIndex, offsetBy: 14)
            let split = "\"\(github[..<cut])\", \"\(github[cut...])\""
            cases.append(Case(structure: "encoded", text: "parts = [\(split)]", secret: split))
        }
        return cases
    }

    static func base32(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in text.utf8 {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while output.count % 8 != 0 { output += "=" }
        return output
    }

    /// Python's `base64.b85encode` (RFC 1924 alphabet).
    static func base85(_ text: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~")
        var bytes = Array(text.utf8)
        let padding = (4 - bytes.count % 4) % 4
        bytes += [UInt8](repeating: 0, count: padding)
        var output: [Character] = []
        for chunk in stride(from: 0, to: bytes.count, by: 4) {
            var number = bytes[chunk..<chunk + 4].reduce(0) { $0 << 8 | Int($1) }
            var five: [Character] = []
            for _ in 0..<5 {
                five.insert(alphabet[number % 85], at: 0)
                number /= 85
            }
            output += five
        }
        return String(output.dropLast(padding))
    }
}
