import Foundation
import TMWSBench
import TMWSCore
import Testing

/// The false-positive budget: ordinary memories that must not be flagged. The roadmap asks
/// for under 5 %; we hold the detector to under 2 %.
@Suite struct BenignCorpusTests {
    static let handWritten: [String] = [
        "Deploys go through the staging cluster first; production only after the canary is green.",
        "We agreed to use UUIDv7 ids everywhere so rows sort by creation time.",
        "The password must be at least 12 characters and is hashed with argon2id.",
        "Reset the password from the admin page, never by editing the database.",
        "The API key is read from the environment variable OPENAI_API_KEY at startup.",
        "Tokens expire after 15 minutes; the refresh token lasts 30 days.",
        "Store secrets in 1Password, not in the repository.",
        "The secret is injected by the CI runner, never committed.",
        "パスワードは定期的に変更すること。",
        "APIキーは環境変数から読み込む。ハードコードしないこと。",
        "トークンの有効期限は15分です。",
        "認証コードの再送は1分に1回まで。",
        "Fixed in commit 3f786850e387550fdab836ed7e6dc881de23001b; see the PR for details.",
        "Release v2.4.19 was tagged at a9b1c3d.",
        "The image digest is sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.",
        "Request id 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f failed with a 502.",
        "export API_KEY=${API_KEY}",
        "password: <your-password-here>",
        "token: {{ secrets.GITHUB_TOKEN }}",
        "DB_PASSWORD=********",
        "api_key: \"YOUR_API_KEY\"",
        "password = os.getenv(\"DB_PASSWORD\")",
        "let password = try keychain.read(account: user)",
        "if password.count < 12 { throw ValidationError.tooShort }",
        "guard let token = request.headers.bearerToken else { return .unauthorized }",
        "func rotate(token: String) async throws",
        "password_min_length = 12",
        "token_expiry_seconds: 900",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkKjt7mXb7vRkUaFkvQ4C0fkDLtJGxHP7w6k0bSa5iL alice@laptop",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
        "AKIAIOSFODNN7EXAMPLE is the example key from the AWS docs.",
        "Use https://example.com/api/v1/memories?limit=10 for paging.",
        "postgres://app@localhost:5432/app is the local default.",
        "The p95 latency went from 12.4 ms to 6.1 ms after adding the index.",
        "Meeting moved to 2026-12-03 14:00 JST.",
        "The build number is 20261129.4 and the version 0.1.0.",
        "Port 8765 is the default for tmws serve.",
        "Swift 6.3.1 on Debian 12 with 2 cores.",
        "We keep the workflow simple: branch, PR, review, merge.",
        "Ticket OPS-4211 tracks the DNS migration.",
        "The base64 of the logo is iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "integrity sha512-Q3rYk1l6bG9vZ3VzX2hhc2hfdmFsdWVfZm9yX3BhY2thZ2VfbG9ja19maWxl+/AAAA==",
        "The key insight: batching writes cut lock contention in half.",
        "Our secret sauce is the sync engine's conflict resolution.",
        "PIN entry uses a numeric keypad on mobile.",
        "The login page shows a captcha after 5 failures.",
        "東京オフィスの設計レビューは毎週木曜日。",
        "障害対応の手順書は Confluence にある。",
        "The hash of the empty string is e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.",
        "Coordinates 35.6812, 139.7671 are Tokyo Station.",
        "The order number 1234-5678-9012 is not a card.",
        "Call the on-call phone via PagerDuty, not directly.",
        "Contact the team at platform@acme-corp.com for access.",
        "Send reports to noreply@github.com style addresses only.",
        "Use the key-value store for session data.",
        "SK-1234 is a SKU, not a key.",
        "The Authorization header carries a bearer token.",
        "Use mysql -u root -p and type the password at the prompt.",
        "kind: Secret objects should be created by the operator, not by hand.",
        "Enable TOTP two-factor authentication for all admins.",
        "Store your recovery codes in a safe place.",
        // Identifiers that look random, for the generic and entropy rules.
        "Event 01ARZ3NDEKTSV4RRFFQ69G5FAV was replayed twice.",
        "kubectl logs api-7d9f8b6c5-x2kqp shows the panic.",
        "pod notification-service-worker-7d9f8b6c5d-x2kqp restarted at 03:12.",
        "Role arn:aws:iam::123456789012:role/deploy-bot can assume it.",
        "Bucket arn:aws:s3:::acme-logs-123456789012/prod keeps 90 days.",
        "\"integrity\": \"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\"",
        "resolved \"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz#sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ9gGP5YYYCUzyAbjl7ZCfr5kzT8dMvaMH6GqQL8a3DfGTfdg==\"",
        "Thumbnail data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL",
        "Request 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f and 3b241101-e2bb-4255-8caf-4136c566a962 both failed.",
        "The SRI hash is sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=.",
        "AbstractSingletonProxyFactoryBean2Configuration is the class to change.",
        "Renamed the key to user_settings_v2 in the cache.",
        "GitHub Actions run 7291823412 passed; artifact main-3f786850e387550f.js uploaded.",
        "パスワードは bcrypt でハッシュ化すること。",
        "パスワードは argon2id でハッシュ化して保存する。",
        "パスワードは PBKDF2 を使って保存する。",
        "トークンは JWT で発行し、署名は RS256 を使う。",
        "密码应该使用 bcrypt 加密存储。",
        "비밀번호는 bcrypt 로 해시해야 합니다.",
        "password hashing uses argon2id with 64 MiB memory and 3 iterations.",
        "Tokens are signed with HS256 and expire in 15 minutes.",
        "Log in with password authentication disabled; keys only.",
        "The login page for users/admins is at /auth/login.",
        "token expiry: 2026-12-03T14:00:00Z",
        "Download https://github.com/acme/rocket/releases/download/v2.4.19/rocket-linux-x86_64.tar.gz and verify it.",
        // Code, commands and notes around secrets without one (labels, references, ids in URLs).
        "let config = Configuration(host: \"localhost\", port: 5432, username: \"app\", password: ProcessInfo.processInfo.environment[\"DB_PASSWORD\"] ?? \"\")",
        "docker run -e POSTGRES_PASSWORD=$POSTGRES_PASSWORD postgres:16",
        "The token bucket refills 10 tokens per second.",
        "Set `secret_key_base` via rails credentials:edit.",
        "OAuth2 client credentials flow: POST /oauth/token with grant_type=client_credentials",
        "export PATH=$HOME/.local/bin:$PATH",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "Use `openssl rand -base64 32` to generate a secret.",
        "The API returns {\"token\": \"<jwt>\", \"expires_in\": 3600}",
        "Sentry DSN https://3f786850e387550fdab836ed7e6dc881@o123456.ingest.sentry.io/4504",
        "Base64 of 'hello world' is aGVsbG8gd29ybGQ=",
        "S3 key: uploads/2024/11/30/report-final-v2.pdf",
        "Cache key: user:42:profile:v3",
        "Primary key is (tenant_id, id).",
        "API key rotation happens every 90 days via the rotate-keys job.",
        "The JWT secret is loaded from Vault path secret/data/api/jwt.",
        "The password field uses type=password and autocomplete=current-password.",
        "Token: see 1Password item 'Prod API'",
        "Password: (ask Bob)",
        "Secret: in 1Password",
        "token: `${{ secrets.GH_TOKEN }}`",
        "password_hash = bcrypt.hashpw(pw, bcrypt.gensalt())",
        "token = jwt.encode(payload, key, algorithm='HS256')",
        "const token = await getToken();",
        "api_key = request.headers.get('X-API-Key')",
        "password = input('Password: ')",
        "docker login -u user --password-stdin < token.txt",
        "We use 2FA with TOTP apps like Google Authenticator; the seed is shown once as a QR code.",
        "Our backup codes are printed and stored in the safe.",
        "Account: acme-prod / Region: us-east-1",
        "Account ID: 123456789012 / alias acme",
        "パスワードを忘れた場合は管理者に連絡すること",
        "トークンの有効期限は 15m、リフレッシュトークンは 30d",
        "APIキーの形式は sk- で始まる",
        "The key is `user_id` plus `created_at`.",
        "Login: use SSO via Okta; no local accounts.",
        "Rotate the secret every 90d; last rotated 2026-11-01.",
        "Session cookie name: __Host-session; SameSite=Lax",
        "curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com",
        "kubectl create secret generic db --from-literal=password=$(cat pw.txt)",
        "Use git rev-parse HEAD to get 3f786850e387550fdab836ed7e6dc881de23001b.",
        "Docker image acme/api:sha-3f786850 deployed to prod-eu-west-1.",
        "Terraform state bucket tfstate-acme-prod-7d9f8b6c5 in eu-west-1.",
        "The feature flag key is new-checkout-flow-2024.",
        "Grafana dashboard uid: aBcD3fGh1jKl, panel id 12.",
        "Firebase project acme-web-9f3k2, app id 1:123456789012:web:3f786850e387550f",
        "The webhook signing secret lives in STRIPE_WEBHOOK_SECRET.",
        "Password reset emails link to /reset?token=<token> and expire in 1h.",
        "npm token is configured in ~/.npmrc via NPM_TOKEN env var.",
        "GitHub Actions: permissions: contents: read, id-token: write",
        "Snowflake account locator xy12345.eu-central-1",
        "The MongoDB ObjectId 507f1f77bcf86cd799439011 is the admin user.",
        "YouTube video id dQw4w9WgXcQ and playlist PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI",
        "Google Drive file https://drive.google.com/file/d/1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvW/view",
        "Notion page https://www.notion.so/acme/Runbook-3f786850e387550fdab836ed7e6dc881",
        "Figma https://www.figma.com/file/AbCdEf1234567890GhIjKl/Design-System",
        "Tailwind class bg-gradient-to-r from-indigo-500 via-purple-500 to-pink-500",
        "Swift mangled name $s4main3FooV3baryyF",
        "Azure resource /subscriptions/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/resourceGroups/rg-prod",
        "wasm hash QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG on IPFS",
        "bitcoin tx 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
        "ETH address 0x742d35Cc6634C0532925a3b844Bc454e4438f44e",
        "SRI: sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC",
        // Code, configuration and notes about secrets, with none in them.
        "func login(username: String, password: String) async throws -> Session",
        "def authenticate(self, token: str) -> bool:\n    return hmac.compare_digest(token, self.expected_token)",
        "const { data: session } = await supabase.auth.getSession();",
        "if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil {",
        "SELECT id, email FROM users WHERE password_hash IS NOT NULL;",
        "ALTER TABLE api_keys ADD COLUMN key_prefix text NOT NULL;",
        "resource \"aws_secretsmanager_secret\" \"db\" {\n  name = \"prod/db/password\"\n}",
        "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}",
        "- uses: actions/checkout@v4\n  with:\n    token: ${{ secrets.PAT }}",
        "FROM node:20-alpine\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc",
        "spring:\n  datasource:\n    password: ${DB_PASSWORD:}",
        "auth:\n  jwt:\n    secret: ${JWT_SECRET}\n    expiry: 15m",
        "let key = SymmetricKey(size: .bits256)",
        "let hash = SHA256.hash(data: Data(password.utf8))",
        "token = secrets.token_urlsafe(32)",
        "crypto.randomBytes(32).toString('hex')",
        "const apiKey = process.env.OPENAI_API_KEY ?? ''",
        "export const SESSION_COOKIE = '__Host-sid';",
        "@Column(name = \"password\", nullable = false) private String password;",
        "private static final String TOKEN_HEADER = \"X-Auth-Token\";",
        "keychain.set(token, forKey: \"refreshToken\")",
        "UserDefaults.standard.string(forKey: \"apiKey\")",
        "git commit -m 'Rotate API key handling; tokens now expire after 1h'",
        "npm install jsonwebtoken@9.0.2 bcryptjs@2.4.3",
        "pip install passlib[bcrypt]==1.7.4 python-jose[cryptography]",
        "assert response.json()[\"token_type\"] == \"bearer\"",
        "headers = {\"Authorization\": f\"Bearer {token}\"}",
        "curl -H \"Authorization: Bearer ${API_TOKEN}\" https://api.example.com/v1/me",
        "kubectl get secret db-creds -o jsonpath='{.data.password}' | base64 -d",
        "openssl genpkey -algorithm ed25519 -out key.pem",
        "ssh-keygen -t ed25519 -C \"alice@acme.com\" -f ~/.ssh/id_ed25519",
        "The Swift package uses swift-crypto 3.8.0 and swift-nio-ssl 2.27.0.",
        "Migration 20241130123456_add_password_reset_tokens.rb",
        "Branch feature/PROJ-1234-rotate-secrets merged into main.",
        "The secretKey in the test fixture is 'test-secret' on purpose.",
        "SessionID is a UUIDv7: 0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f",
        "Password policy: min 12 chars, 1 upper, 1 digit, 1 symbol.",
        "Auth flow: /login → /callback?code=...&state=... → /session",
        "Error: invalid_grant (refresh token expired)",
        "HTTP 401 when the X-Api-Key header is missing.",
        "password_reset_token_ttl = 3600",
        "MAX_TOKENS=4096",
        "token_count: 1532 of 8192",
        "LLM context window: 200k tokens; output tokens: 8k",
        "The tokenizer splits 'unbelievable' into 3 tokens.",
        "Passwordless login via magic links (expires in 10m).",
        "We use Argon2id(m=65536, t=3, p=4) for password hashing.",
        "AES-256-GCM with a 96-bit nonce; keys rotate every 30 days.",
        "JWT: alg=RS256, kid=2024-11, iss=https://auth.acme.com",
        "ed25519 public key fingerprint SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
        "Vault path: secret/data/prod/api (kv v2)",
        "1Password item: 'Prod DB' in the Infra vault",
        "The test uses password 'password' and user 'user'.",
        "Example: curl -u user:password https://httpbin.org/basic-auth/user/password",
        "Set PGPASSWORD in your shell, never in scripts.",
        "secret scanning: gitleaks v8.21.2 with the default config",
        "API keys look like sk_live_... and must never be logged.",
        "Use `gh auth token` to print the current token.",
        "認証にはJWTを使い、署名鍵は KMS で管理する。",
        "パスワードリセットのトークンは24時間で失効。",
        "アクセストークンの形式: Bearer <token>",
        "APIキーは .env に書き、リポジトリにはコミットしない。",
        "密钥存放在 KMS 中，不要写进代码。",
        "토큰은 Redis에 저장하고 TTL은 1시간입니다.",
    ]

    /// Identifiers that look random but are not secrets.
    static func generated(_ count: Int) -> [String] {
        var random = SplitMix64(seed: 0xB3_9161)
        let hex = Array("0123456789abcdef")
        func hexString(_ length: Int) -> String { String((0..<length).map { _ in hex[random.next(16)] }) }
        var memories: [String] = []
        for index in 0..<count {
            switch index % 10 {
            case 6:
                memories.append("Pod api-\(hexString(9))-\(String((0..<5).map { _ in Array("bcdfghjklmnpqrstvwxz2456789")[random.next(27)] })) was evicted.")
            case 7: memories.append("Assumed arn:aws:iam::\(100_000_000_000 + random.next(899_999_999_999)):role/ci-\(random.next(100)) for the deploy.")
            case 8: memories.append("Event \(ulid(&random)) was processed twice.")
            case 9: memories.append("\"integrity\": \"sha512-\(Data((0..<64).map { _ in UInt8(random.next(256)) }).base64EncodedString())\"")
            case 0: memories.append("Reverted \(hexString(40)) because it broke the nightly build.")
            case 1: memories.append("Trace id \(UUID().uuidString.lowercased()) shows the retry loop.")
            case 2: memories.append("Pinned the base image to sha256:\(hexString(64)).")
            case 3: memories.append("Cherry-pick \(hexString(7)) and \(hexString(7)) onto release/\(2 + random.next(3)).\(random.next(20)).")
            case 4: memories.append("Latency p99 was \(random.next(900) + 100) ms on \(2020 + random.next(7))-\(10 + random.next(3))-\(10 + random.next(18)).")
            default: memories.append("ETag \"\(hexString(32))\" changes on every deploy.")
            }
        }
        return memories
    }

    /// A ULID: 26 characters of Crockford base32.
    static func ulid(_ random: inout SplitMix64) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return "01" + String((0..<24).map { _ in alphabet[random.next(32)] })
    }

    static var corpus: [String] {
        handWritten + generated(180) + SyntheticCorpus().items(300).map(\.content)
    }

    @Test func falsePositivesStayUnderTwoPercent() {
        let detector = SensitiveDataDetector()
        let corpus = Self.corpus
        #expect(corpus.count >= 500)
        var flagged: [(String, [String])] = []
        for memory in corpus {
            let types = detector.scan(memory).map(\.type)
            if !types.isEmpty { flagged.append((String(memory.prefix(60)), types)) }
        }
        let rate = Double(flagged.count) / Double(corpus.count)
        print("benign corpus: \(corpus.count) memories, \(flagged.count) flagged (\(String(format: "%.2f", rate * 100)) %)")
        for (memory, types) in flagged { print("  flagged \(types): \(memory)") }
        #expect(rate < 0.02, "false-positive rate \(rate)")
    }
}
