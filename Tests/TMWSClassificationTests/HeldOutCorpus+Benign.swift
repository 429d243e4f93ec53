import Foundation
import TMWSCore

/// Benign notes for the held-out corpus: what the older rules flagged wrongly (public keys,
/// public addresses, integrity hashes and image digests, documented example tokens,
/// test-fixture ids, empty templates, references) and ordinary engineering notes in English,
/// Japanese, Chinese and Korean.
extension HeldOutCorpus {
    struct Benign {
        var structure: String
        var text: String
    }

    static let bitcoinAddresses = [
        "18ZaVcAT9uahY1jsgF4MQSE7TiZrCjgR3v", "33GAbYwiEegkaAr49QVYP5kod15Y7pQtF7", "1PikPrMeM5w8jpQsshvhKQLouWtRNtLC6k",
        "3GZt1ikXqwmz9z7AiG54wEUr9PdE8h5wmy", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ]

    static func base64(_ count: Int, _ random: inout SplitMix64) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return String((0..<count).map { _ in letters[random.next(64)] })
    }

    static var benign: [Benign] {
        var random = SplitMix64(seed: 0xBE_2026)
        var notes: [Benign] = []
        func add(_ structure: String, _ text: String) { notes.append(Benign(structure: structure, text: text)) }
        for index in 0..<12 {
            let ed = "AAAAC3NzaC1lZDI1NTE5AAAAI" + base64(43, &random)
            let rsa = "AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + base64(300, &random)
            add("public-key", "ssh-ed25519 \(ed) ops@bastion-\(index)")
            add("public-key", "authorized_keys:\nssh-rsa \(rsa) deploy@ci")
            add("public-key", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\(base64(44, &random))\n-----END PUBLIC KEY-----")
            add("public-key", "[Peer]\nPublicKey = \(base64(43, &random))=\nAllowedIPs = 10.8.0.\(index + 2)/32")
            add("public-key", "age recipient: age1\(String((0..<58).map { _ in Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")[random.next(32)] }))")
            add("address", "Send the refund to 0x\(hex(40, &random)) on mainnet.")
            add("address", "BTC donations: \(bitcoinAddresses[index % bitcoinAddresses.count])")
            add("address", "ウォレットアドレスは 0x\(hex(40, &random)) です")
            add("digest", "image: ghcr.io/acme/api@sha256:\(hex(64, &random))")
            add("digest", "\"integrity\": \"sha512-\(base64(86, &random))==\"")
            add("digest", "<script src=\"https://cdn.acme.io/app.js\" integrity=\"sha384-\(base64(64, &random))\" crossorigin=\"anonymous\"></script>")
            add("digest", "Pinned the base image to docker.io/library/node@sha256:\(hex(64, &random))")
            add("digest", "commit \(hex(40, &random))\nAuthor: Dev <dev@acme.io>")
            add("fixture", "Test fixture: customer cus_\(token(14, &random)) pays with pm_card_visa, intent pi_\(token(24, &random)).")
            add("fixture", "{\"id\": \"evt_\(token(24, &random))\", \"type\": \"charge.succeeded\", \"object\": \"event\"}")
            add("fixture", "user_id: \(UUID().uuidString.lowercased())\nrequest_id: \(hex(32, &random))")
        }
        for example in [
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "From the docs: Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "Stripe's docs use sk_test_4eC39HqLyjWDarjtT1zdp7dc in every example.",
            "curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:",
            "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
            "The jwt.io sample eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c decodes to John Doe.",
        ] { add("example", example) }
        for template in [
            "# .env.example\nDB_HOST=localhost\nDB_PASSWORD=\nAPI_KEY=\nSECRET_KEY=\"\"\nAWS_REGION=us-east-1",
            "DATABASE_PASSWORD=\nREDIS_URL=redis://localhost:6379/0",
            "password: \"\"\ntoken: ''\nregion: eu-west-1",
            "API_TOKEN=changeme\nLOG_LEVEL=debug",
            "API_KEY=your-api-key-here",
            "SECRET_KEY=<generate with openssl rand -hex 32>",
            "password: ~\nusername: admin",
            "STRIPE_SECRET=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
            "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "[client]\npassword =\nuser = backup",
            "| Variable | Required | Default |\n|---|---|---|\n| DB_PASSWORD | yes | |\n| API_TOKEN | no | |",
        ] { add("empty-template", template) }
        for reference in [
            "password: ${DB_PASSWORD}", "token: {{ secrets.NPM_TOKEN }}", "\"password\": process.env.DB_PASSWORD,",
            "password = os.environ[\"DB_PASSWORD\"]", "DB_PASSWORD=op://prod/db/password", "secret: vault:secret/data/app#password",
            "set API_KEY=%ACME_API_KEY%", "valueFrom:\n  secretKeyRef:\n    name: db\n    key: password",
            "password: !secret db_password", "client = acme.Client(api_key=os.environ[\"ACME_KEY\"])", "login(user, password)",
            "Authorization: Bearer $TOKEN", "Authorization: Bearer <token>", "curl -H \"Authorization: Bearer ${GITHUB_TOKEN}\" https://api.github.com",
            "docker run -e DB_PASSWORD -p 5432:5432 postgres:16", "psql -h db.internal -U app --password", "mysql -u root -p",
            "kubectl create secret generic db --from-literal=password=$DB_PASS", "aws secretsmanager get-secret-value --secret-id prod/db",
            "Server=db;Database=app;Trusted_Connection=True;", "Host=pg;Username=app;Password=;", "https://api.acme.io/v1/items?page=2&limit=50",
            "Cookie: theme=dark; lang=ja", "X-Request-Id: \(UUID().uuidString)", "password_hash = bcrypt.hashpw(password, salt)",
            "| Field | Type | Notes |\n|---|---|---|\n| password | string | hashed with argon2id |\n| token | string | expires in 15 min |",
            "api_key: sk-...", "password: ENC[AES256_GCM,data:abc,iv:def]", "if password == confirm_password:", "PASSWORD_MIN_LENGTH=12",
            "SECRET_KEY_FILE=/run/secrets/key", "TOKEN_URL=https://auth.acme.io/token", "token = request.headers[\"Authorization\"]",
            "password = input(\"Password: \")", "password = getpass.getpass()", "keytool -list -keystore app.jks -storepass changeit",
            "| Name | Token | Expires |\n|---|---|---|\n| CI | (in vault) | 2026-01-01 |", "mysql -u root -p production",
            "密码：见附件", "密码：待定", "パスワード：別紙参照", "パスワード：口頭で伝える", "密码：口头告知", "パスワード：後日連絡", "密码：稍后发送",
            "비밀번호: 별도 전달", "비밀번호: 미정", "密码：私聊", "비밀번호: 없음", "密码：同上", "密码：保密", "pin the dependency to 1.2.3",
            "docker run -p 8080:80 nginx", "ssh -p 2222 user@host", "psql -p 5433 -U app", "{\"key\": \"Content-Type\", \"value\": \"application/json\"}",
            "<property name=\"password.length\" value=\"12\"/>", "<input type=\"password\" name=\"password\" autocomplete=\"current-password\">",
            "placeholder=\"Enter your password\"", "password_confirmation: Password confirmation", "Secret Santa is on Friday",
            "ENV API_KEY=\"\"", "token = get_secret(\"acme/token\")", "secret_name = \"prod/db/password\"", "public_key = \"\(base64(44, &random))\"",
        ] { add("reference", reference) }
        for advice in [
            "The password is required for login.", "Tokens are signed with HS256 and expire in 15 minutes.", "The password is stored in 1Password.",
            "Reset the token from the admin page if it leaks.", "The API key is read from the environment at startup.",
            "Use a passphrase of at least four words.", "Password must be at least 12 characters.", "The secret is rotated every 90 days.",
            "If the token is expired, the client refreshes it.", "The password is the same as the one in the vault.",
            "パスワードは必須です。", "パスワードやAPIキーはリポジトリに置かず、すべてVaultから実行時に読み込む。", "トークンはヘッダーで送る。", "パスワードは8文字以上にしてください。", "トークンは15分で失効します。", "パスワードは定期的に変更すること。",
            "APIキーは環境変数から読み込む。", "パスワードは前と同じです。", "秘密鍵はHSMに保存されている。", "パスワードは田中さんが知っています。",
            "密码是必填项。", "密码长度至少12位。", "令牌每小时刷新一次。", "密钥存放在 KMS 中。", "口令由管理员重置。",
            "비밀번호는 필수입니다.", "비밀번호는 8자 이상이어야 합니다.", "토큰은 15분 후 만료됩니다.", "API 키는 환경 변수에서 읽습니다.",
            "비밀번호는 관리자에게 문의하세요.", "La contraseña debe tener al menos 12 caracteres.", "Das Passwort wird im Tresor gespeichert.",
            "Le mot de passe est obligatoire.", "A senha é obrigatória.", "password reset link expires in 24h", "The token: see the wiki",
            "API key: stored in 1Password", "The secret is out", "Token is valid for 15 minutes", "password is 12 characters long", "PIN is 4 digits",
            "パスワードは上記の通りです", "パスワードは別途共有します", "パスワードはSlackで共有", "パスワードを忘れた場合は管理者に連絡",
            "トークンの期限が切れたら再発行", "비밀번호 찾기 기능을 추가했습니다", "비밀번호 변경 화면은 설정 메뉴에 있습니다", "密码在 1Password 里",
            "密码由运维管理", "the password is in the safe", "La contraseña está en el gestor", "Das Passwort ist im Tresor",
            "Le mot de passe est dans le coffre", "A senha está no cofre", "Merge pull request #42 from acme/fix-token-refresh",
        ] { add("advice", advice) }
        for note in [
            "Deploys go through staging first; production only after the canary is green.", "p99 latency dropped from 12 ms to 6 ms after the index.",
            "We moved the cron job to 03:00 UTC to avoid the backup window.", "Release v2.4.19 was tagged at a9b1c3d.",
            "Use `git rebase -i` to squash the fixup commits before merging.", "The sync engine retries with exponential backoff capped at 60 s.",
            "Meeting with the payments team moved to Thursday 14:00 JST.", "Port 8765 is the default for tmws serve.",
            "東京オフィスの設計レビューは毎週木曜日。", "障害対応の手順書は Confluence にある。", "本番デプロイは金曜日を避ける。",
            "キャッシュの TTL を 300 秒に変更した。", "ログは 30 日で削除される。", "新しいエンドポイントは /v2/memories です。",
            "数据库迁移在周五晚上进行。", "缓存命中率提高到了 95%。", "请在合并前运行全部测试。", "新版本修复了同步冲突的问题。",
            "배포는 스테이징을 먼저 거칩니다.", "캐시 만료 시간을 5분으로 줄였습니다.", "테스트를 모두 통과해야 병합할 수 있습니다.",
            "로그는 30일 후 삭제됩니다.", "GET /v1/memories?limit=20&cursor=eyJpZCI6MTIzfQ returns the next page.",
            "npm install left-pad@1.3.0 --save-exact", "docker compose up -d db cache", "kubectl rollout restart deployment/api -n prod",
            "SELECT id, title FROM memories WHERE scope = 'PROJECT' LIMIT 10;", "Server=db;Database=app;User Id=app;Integrated Security=true;",
            "func login(user: String, password: String) async throws -> Session", "let token = try await auth.refresh(session)",
            "The key insight: batching writes cut lock contention in half.", "Our secret sauce is the conflict resolution order.",
        ] { add("note", note) }
        for note in engineeringNotes { add("note", note) }
        for (structure, text) in publicAndTemplates { add(structure, text) }
        for file in configurationFiles { add("config-file", file) }
        return notes
    }

    /// Notes about secrets, configuration and commands that hold none (code, references,
    /// settings, advice in four languages).
    static let engineeringNotes: [String] = [
        "Run `swift test --filter Foo` before pushing.",
        "Auth flow: POST /login with {\"email\", \"password\"} returns a JWT; refresh via /token.",
        "The `password` column is bcrypt-hashed; see UserStore.swift.",
        "Set `API_TOKEN` in GitHub secrets, not in .env.",
        "token: the CI token lives in Vault at secret/ci/token",
        "The default admin password is set on first boot.",
        "key: value pairs are parsed by the config loader",
        "Use `export TOKEN=$(gh auth token)` to get a token.",
        "passwordless sudo is configured for deploy",
        "The session cookie is HttpOnly and Secure.",
        "The secret_key_base is generated by `rails secret`.",
        "Use `openssl rand -base64 32` to create a secret.",
        "client_secret must be sent in the body, not the query.",
        "token limit is 4096 per request",
        "Tokens per second: 35",
        "PIN code length: 6",
        "パスワードは12文字以上で、記号を含めること",
        "トークンは Authorization ヘッダーで送る",
        "密码是 admin 的生日",
        "비밀번호는 Slack DM으로 보냈습니다",
        "rate_limit_tokens=100",
        "TOKEN_BUCKET_SIZE=50",
        "max_token_length=512",
        "session_timeout=30m",
        "auth_mode=oauth",
        "AUTH_PROVIDER=google",
        "secret_scanning: enabled",
        "password_reset_url: https://acme.io/reset",
        "PASSWORD_HASHER=argon2",
        "TOKEN_ALGORITHM=RS256",
        "JWT_SECRET_KEY_PATH=/etc/jwt.key",
        "private: true",
        "token_endpoint_auth_method: client_secret_basic",
        "ssh_key_name: deploy",
        "keyFile: /etc/ssl/key.pem",
        "tls: { cert: x, key: y }",
        "private_key: ${PRIVATE_KEY}",
        "password: '{{ vault_db_password }}'",
        "password: <%= ENV['DB_PASSWORD'] %>",
        "token: !!binary |",
        "password_regex: ^(?=.*[A-Z]).{12,}$",
        "echo $CR_PAT | docker login ghcr.io -u USERNAME --password-stdin",
        "mysql -h db -u app -p$MYSQL_PASSWORD",
        "id: 123e4567-e89b-12d3-a456-426614174000",
        "user 550e8400-e29b-41d4-a716-446655440000 signed in",
        "Twilio test SID AC00000000000000000000000000000000",
        "Slack's docs show xoxb-not-a-real-token-this-will-not-work",
        "The API returns {\"token_type\": \"Bearer\", \"expires_in\": 3600}",
        "password strength meter uses zxcvbn",
        "Added a password visibility toggle to the login form",
        "The key rotation job runs nightly at 02:00",
        "Keys are stored in the macOS Keychain under \"tmws\"",
        "APIキーの再発行手順をドキュメントに追加した",
        "トークンの有効期限を 1時間 から 15分 に短縮",
        "秘密鍵のパーミッションは 600 にする",
        "密码输入框加了显示/隐藏按钮",
        "令牌过期时间改为 15 分钟",
        "비밀번호 정책을 12자 이상으로 변경했습니다",
        "토큰 만료 시간은 1시간입니다",
        "ssh-copy-id -i ~/.ssh/id_ed25519.pub deploy@10.0.0.5",
        "git remote set-url origin git@github.com:acme/app.git",
        "pip install --index-url https://pypi.acme.io/simple acme-sdk",
        "\"passwordRules\": \"minlength: 12; required: lower; required: upper; required: digit;\"",
        "autocomplete=\"new-password\"",
        "kubectl get secret db -o jsonpath='{.data.password}' | base64 -d",
        "vault kv get -field=password secret/db",
        "op read \"op://Private/db/password\"",
        "aws ssm get-parameter --name /prod/db/password --with-decryption",
    ]

    /// Public keys in other formats (JWK, minisign, VAPID), onion and Solana addresses, lockfile
    /// and LFS digests, more documented examples and fixture ids, templates' names for values.
    static let publicAndTemplates: [(String, String)] = [
        (
            "public-key",
            "{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\",\"e\":\"AQAB\",\"kid\":\"2011-04-29\"}"
        ),
        ("public-key", "untrusted comment: minisign public key 6F9A2B\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"),
        ("address", "Onion service: duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion"),
        ("public-key", "GPG fingerprint: 4AEE 18F8 3AFD EB23 B3B4 8E2E 0D4B 2DB5 1A1A 4F0E"),
        ("address", "Solana wallet address: 7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"),
        ("digest", "golang.org/x/net v0.17.0 h1:pVaXccu2ozPjCXewfr1S7xza/zcXTity9cCdXQYSjIM="),
        ("digest", "checksum = \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\""),
        ("digest", "pip install requests==2.31.0 --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"),
        ("digest", "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"),
        ("example", "The GitHub docs use ghp_16C7e42F292c6912E7710c838347Ae178B4a as the sample token."),
        ("example", "Mailgun sample key: key-3ax6xnjp29jd6fds4gc373sgvjxteol0"),
        ("fixture", "account acct_1032D82eZvKYlo2C connected"),
        ("fixture", "braintree nonce fake-valid-nonce"),
        ("fixture", "AKIA0000000000000000 is what the test fixture uses"),
        ("empty-template", "SECRET_KEY=REPLACE_ME"),
        ("empty-template", "API_KEY=INSERT_KEY_HERE"),
        ("empty-template", "password: __DB_PASSWORD__"),
        ("empty-template", "token: \"%%TOKEN%%\""),
        ("empty-template", "api_key = \"@@API_KEY@@\""),
        ("empty-template", "PASSWORD={PASSWORD}"),
        ("empty-template", "client_secret: [CLIENT_SECRET]"),
        ("note", "input_tokens: 1200, output_tokens: 350"),
        ("note", "Token usage: 12,345"),
        ("note", "token: 128k"),
        ("note", "context window: 200k tokens"),
        ("note", "Added tokenizer.json to the repo"),
        ("empty-template", "DB_PASSWORD=  # set in CI"),
        ("empty-template", "<add key=\"ApiKey\" value=\"\" />"),
        ("reference", "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}"),
        ("note", "The private key never leaves the HSM."),
        ("note", "secret-scanning alerts are on for every repo"),
        ("public-key", "ssh_authorized_keys:\n  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkKjt7mXb7vRkUaFkvQ4C0fkDLtJGxHP7w6k0bSa5iL deploy"),
        ("public-key", "public_key: \"RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\""),
        ("public-key", "\"publicKey\": \"BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U\""),
        ("public-key", "VAPID public key BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U"),
        ("example", "Firebase web config apiKey: \"AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe\""),
        ("fixture", "kid: 8a2f1c3d-4e5b-6a7c-8d9e-0f1a2b3c4d5e"),
        ("fixture", "nonce: 9f2b3c4d5e6f7a8b"),
        ("reference", "csrf_token: {{ csrf_token() }}"),
        ("url-query", "state=af0ifjsldkj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
    ]

    /// Whole configuration files and code without a secret: Compose, a GitHub workflow, a
    /// Kubernetes deployment, package.json and its lockfile, nginx, Django settings, Terraform,
    /// an HTTP request, Swift, a README's table of variables.
    static let configurationFiles: [String] = [
        "version: \"3.9\"\nservices:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    environment:\n      - DATABASE_URL=postgres://app@db:5432/app\n      - REDIS_URL=redis://cache:6379/0\n      - LOG_LEVEL=info\n      - JWT_ISSUER=https://auth.acme.io\n      - SESSION_TTL=3600\n    ports:\n      - \"8080:8080\"\n    depends_on: [db, cache]\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_DB: app\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.acme.io/api@sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: api, key: token}\n          resources:\n            limits: {cpu: \"500m\", memory: 256Mi}\n",
        "\"node_modules/jsonwebtoken\": {\n  \"version\": \"9.0.2\",\n  \"resolved\": \"https://registry.npmjs.org/jsonwebtoken/-/jsonwebtoken-9.0.2.tgz\",\n  \"integrity\": \"sha512-PRp66vJ865SSqOlgqS8hujT5U4AOgMfhrwYIuIhfKaoSCZcirrmASQr8CX7cUg+RMih+hgznrjp99o+W4pJLHQ==\",\n  \"dependencies\": { \"jws\": \"^3.2.2\", \"lodash.includes\": \"^4.3.0\" }\n}\n",
        "server {\n    listen 443 ssl http2;\n    server_name api.acme.io;\n    ssl_certificate     /etc/ssl/certs/acme.pem;\n    ssl_certificate_key /etc/ssl/private/acme.key;\n    location / {\n        proxy_pass http://127.0.0.1:8080;\n        proxy_set_header Authorization $http_authorization;\n        proxy_set_header X-Real-IP $remote_addr;\n    }\n}\n",
        "{\n  \"name\": \"@acme/web\",\n  \"version\": \"2.3.1\",\n  \"private\": true,\n  \"scripts\": { \"build\": \"vite build\", \"test\": \"vitest run\", \"lint\": \"eslint .\" },\n  \"dependencies\": { \"react\": \"^18.2.0\", \"jsonwebtoken\": \"^9.0.2\", \"bcryptjs\": \"^2.4.3\" },\n  \"devDependencies\": { \"vite\": \"^5.0.0\", \"typescript\": \"~5.3.0\" }\n}\n",
        "## Configuration\n\n| Variable | Description | Default |\n|---|---|---|\n| `API_TOKEN` | Token for the Acme API (create one in Settings → Tokens) | — |\n| `DB_PASSWORD` | Password of the `app` database user | — |\n| `SESSION_SECRET` | Secret used to sign session cookies; at least 32 bytes | — |\n\nSet them in `.env` (see `.env.example`) or in your shell:\n\n```sh\nexport API_TOKEN=...\nexport DB_PASSWORD=...\n```\n",
        "POST /v1/memories HTTP/1.1\nHost: localhost:8765\nContent-Type: application/json\nAuthorization: Bearer $TMWS_TOKEN\nX-Request-Id: 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f\n\n{\"content\": \"Deploys go through staging first.\", \"scope\": \"PROJECT\", \"tags\": [\"deploy\"]}\n",
        "import os\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nDEBUG = False\nALLOWED_HOSTS = [\"api.acme.io\"]\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"NAME\": \"app\", \"USER\": \"app\", \"PASSWORD\": os.getenv(\"DB_PASSWORD\"), \"HOST\": \"db\"}}\nAUTH_PASSWORD_VALIDATORS = [{\"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\", \"OPTIONS\": {\"min_length\": 12}}]\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nPASSWORD_HASHERS = [\"django.contrib.auth.hashers.Argon2PasswordHasher\"]\n",
        "struct Credentials: Codable {\n    var username: String\n    var password: String\n    var apiKey: String?\n}\nfunc login(_ credentials: Credentials) async throws -> Session {\n    let token = try await client.post(\"/login\", body: credentials)\n    keychain.set(token.accessToken, forKey: \"access_token\")\n    return Session(token: token)\n}\n",
        "resource \"aws_db_instance\" \"app\" {\n  engine            = \"postgres\"\n  instance_class    = \"db.t3.micro\"\n  username          = \"app\"\n  password          = random_password.db.result\n  manage_master_user_password = false\n}\nresource \"random_password\" \"db\" {\n  length  = 32\n  special = true\n}\nvariable \"api_token\" {\n  type      = string\n  sensitive = true\n}\n",
        "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n      contents: read\n    steps:\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n          registry-url: https://registry.npmjs.org\n      - run: npm ci\n      - run: npm test\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::123456789012:role/ci\n          aws-region: eu-west-1\n",
    ]
}
