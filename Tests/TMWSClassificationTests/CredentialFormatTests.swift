import Foundation
import TMWSCore
import Testing

/// Tier 1, gitleaks-style: for every format, true positives (one written by hand, the rest
/// generated from the format) that must be found, and near misses that must not be.
@Suite struct CredentialFormatTests {
    static let detector = SensitiveDataDetector()

    static func found(_ text: String) -> Set<String> {
        Set(detector.scan(text).map(\.type))
    }

    /// Written by hand, one per format.
    static let handWritten: [String: String] = [
        "aws_access_key_id": "AKIAQ3EGRFOB4NDL3XYZ",
        "aws_bedrock_api_key": "ABSK" + String(repeating: "QmVkcm9ja0FQSUtleS1hYmNk", count: 5),
        "google_api_key": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
        "google_oauth_client_secret": "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",
        "google_oauth_access_token": "ya29.a0AfH6SMBx3VzQm7kP2rT9wY1nC4eF6gH8jK0lM2oQ4sU6",
        "azure_ad_client_secret": "abc8Q~Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0f",
        "azure_storage_account_key": "AccountKey=" + String(repeating: "Zm9vYmFy", count: 10) + "aGVsbG==",
        "digitalocean_token": "dop_v1_" + String(repeating: "0123456789abcdef", count: 4),
        "alibaba_access_key_id": "LTAI5tQ8Z3xW9vK2mN7pR4sT",
        "cloudflare_origin_ca_key": "v1.0-" + String(repeating: "a1b2c3", count: 4) + "-" + String(repeating: "f", count: 6)
            + String(repeating: "0123456789", count: 14),
        "heroku_api_key": "HRKU-AA" + String(repeating: "Zq3_x9-Lm", count: 6) + "Ab3x",
        "supabase_token": "sbp_" + String(repeating: "a1b2c3d4e5", count: 4),
        "databricks_token": "dapi0123456789abcdef0123456789abcdef",
        "github_token": "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "github_fine_grained_token": "github_pat_11ABCDEFG0" + String(repeating: "aZ9_", count: 18),
        "gitlab_token": "glpat-xYz12_AbC-345dEfGhIj",
        "gitlab_runner_registration_token": "GR1348941xYz12_AbC-345dEfGhIj",
        "atlassian_api_token": "ATATT3xFfGF0" + String(repeating: "Ab3-_9=z", count: 22) + "Ab3x",
        "linear_api_key": "lin_api_" + String(repeating: "Ab3Cd5Ef7G", count: 4),
        "slack_token": "xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "slack_app_token": "xapp-1-A0123456789-1234567890123-" + String(repeating: "0a1b2c3d", count: 8),
        "slack_webhook_url": "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/aBcDeFgHiJkLmNoPqRsTuVwX",
        "microsoft_teams_webhook_url":
            "https://acme.webhook.office.com/webhookb2/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0@1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809/IncomingWebhook/0123456789abcdef0123456789abcdef/9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0",
        "discord_bot_token": "MTA4NzY1NDMyMTA5ODc2NTQz.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0",
        "telegram_bot_token": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw4",
        "sendgrid_api_key": "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",
        "mailgun_api_key": "key-0123456789abcdef0123456789abcdef",
        "mailchimp_api_key": "0123456789abcdef0123456789abcdef-us12",
        "twilio_api_key": "SK0123456789abcdef0123456789abcdef",
        "openai_api_key": "sk-proj-" + String(repeating: "Ab3_Cd5-Ef7", count: 8),
        "openai_legacy_api_key": "sk-AbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrSt",
        "anthropic_api_key": "sk-ant-api03-" + String(repeating: "Xk9_mQ2-pL", count: 9) + "Zq3AA",
        "huggingface_token": "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
        "groq_api_key": "gsk_" + String(repeating: "Ab3Cd5Ef7Gh9Jk1L", count: 3) + "Mn2P",
        "xai_api_key": "xai-" + String(repeating: "Ab3Cd5Ef7G", count: 8),
        "perplexity_api_key": "pplx-" + String(repeating: "Ab3Cd5Ef7Gh9Jk1L", count: 3),
        "replicate_api_token": "r8_" + String(repeating: "Ab3_Cd5-E", count: 4) + "f",
        "openrouter_api_key": "sk-or-v1-" + String(repeating: "0123456789abcdef", count: 4),
        "langsmith_api_key": "lsv2_pt_0123456789abcdef0123456789abcdef_0123456789",
        "pinecone_api_key": "pcsk_4Xy7Zq_" + String(repeating: "Ab3Cd5Ef7", count: 7),
        "stripe_secret_key": "sk_live_51HqLyjWDarjtT1zdp7dcAbCdEf",
        "shopify_token": "shpat_0123456789abcdefABCDEF0123456789",
        "square_token": "sq0atp-AbCdEfGhIjKlMnOpQrStUv",
        "vault_token": "hvs." + String(repeating: "CAESIAbCdEf_-", count: 8),
        "terraform_cloud_token": "AbCdEfGhIjKlMn.atlasv1." + String(repeating: "Ab3_Cd5-Ef7=", count: 5) + "Gh",
        "doppler_token": "dp.pt." + String(repeating: "Ab3Cd5Ef7G", count: 4) + "h9J",
        "pulumi_access_token": "pul-" + String(repeating: "0123456789", count: 4),
        "postman_api_key": "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
        "notion_token": "ntn_12345678901" + String(repeating: "Ab3Cd5Ef7", count: 3) + "Gh9Jk1L2",
        "sentry_token": "sntryu_" + String(repeating: "0123456789abcdef", count: 4),
        "grafana_service_account_token": "glsa_" + String(repeating: "Ab3Cd5Ef", count: 4) + "_0a1b2c3d",
        "grafana_cloud_token": "glc_" + String(repeating: "eyJvIjoiMTIzIiwibiI6InN0YWNr", count: 2),
        "onepassword_secret_key": "A3-ABC123-DEF456-GHI78-JKL90-MNO12-PQR34",
        "onepassword_service_account_token": "ops_eyJ" + String(repeating: "zaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIs", count: 6),
        "npm_token": "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "pypi_token": "pypi-AgEIcHlwaS5vcmc" + String(repeating: "CJDYwNDk0ZjQ3", count: 5),
        "docker_hub_token": "dckr_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0",
        "age_secret_key": "AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE",
        "discord_webhook_url": "https://discord.com/api/webhooks/123456789012345678/" + String(repeating: "Xk9_mQ2-pL", count: 6) + "AbCdEf",
        "twitter_bearer_token": "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F",
        "airtable_token": "patAbC123dEf456gH." + String(repeating: "0123456789abcdef", count: 4),
        "plaid_access_token": "access-sandbox-3f4b2c1d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "brevo_api_key": "xkeysib-" + String(repeating: "0123456789abcdef", count: 4) + "-AbCdEfGh12345678",
    ]

    static var formats: [CredentialFormat] { CredentialFormat.all }

    @Test func everyFormatHasAHandWrittenTruePositive() {
        let missing = Set(Self.formats.map(\.type)).subtracting(Self.handWritten.keys)
        #expect(missing.isEmpty, "no hand-written sample for \(missing.sorted())")
        #expect(Self.formats.count >= 45)
    }

    /// The hand-written sample and three generated ones (shortest, longest, random length).
    static func truePositives(_ format: CredentialFormat) -> [String] {
        // Seeded from the type's bytes (FNV-1a), not `hashValue`: Swift seeds string hashing per
        // process, and a test whose samples change from run to run fails only now and then.
        let seed = format.type.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        var random = SplitMix64(seed: seed)
        return [handWritten[format.type]].compactMap { $0 } + [
            format.pattern.sample(using: &random, lengthBias: 0),
            format.pattern.sample(using: &random, lengthBias: 1),
            format.pattern.sample(using: &random),
        ]
    }

    @Test(arguments: CredentialFormat.all.map(\.type))
    func truePositivesAreFound(_ type: String) throws {
        let format = try #require(Self.formats.first { $0.type == type })
        for sample in Self.truePositives(format) {
            #expect(Self.found(sample).contains(type), "\(type) missed its sample")
        }
    }

    /// Near misses made from the format: one character too short, a wrong first character,
    /// one character too long (fixed-length formats), and a forbidden character in the body.
    static func nearMisses(_ format: CredentialFormat) -> [String] {
        var random = SplitMix64(seed: 0xBAD5EED)
        let segments = format.pattern.segments
        var misses: [String] = []
        func render(_ segments: [TokenPattern.Segment]) -> String {
            TokenPattern(segments).sample(using: &random, lengthBias: 0)
        }
        // Too short: the last variable part one below its minimum.
        if let index = segments.lastIndex(where: { if case .characters(_, let minimum, _) = $0 { minimum > 1 } else { false } }),
            case .characters(let characterClass, let minimum, _) = segments[index]
        {
            var shorter = segments
            shorter[index] = .characters(characterClass, minimum - 1, minimum - 1)
            misses.append(render(shorter))
        }
        // Wrong prefix or separator: the first literal with its first character replaced.
        if case .literal? = segments.first ?? nil, case .literal(let text) = segments[0] {
            misses.append(wrongFirst(text) + String(render(segments).dropFirst(text.count)))
        } else if let index = segments.firstIndex(where: { if case .literal = $0 { true } else { false } }),
            case .literal(let text) = segments[index]
        {
            var changed = segments
            changed[index] = .literal(wrongFirst(text))
            misses.append(render(changed))
        } else if case .oneOf(let options)? = segments.first ?? nil {
            let sample = render(segments)
            if let option = options.first(where: { sample.hasPrefix($0) }) {
                misses.append(wrongFirst(option) + String(sample.dropFirst(option.count)))
            }
        }
        // Too long: a fixed-length last part with one more character.
        if case .characters(let characterClass, let minimum, let maximum)? = segments.last, minimum == maximum {
            var longer = segments
            longer[longer.count - 1] = .characters(characterClass, minimum + 1, minimum + 1)
            misses.append(render(longer))
        }
        // A forbidden character in the middle of the longest variable part.
        let sample = render(segments)
        let middle = sample.index(sample.startIndex, offsetBy: sample.count * 2 / 3)
        misses.append(String(sample[..<middle]) + "\u{00A7}" + String(sample[middle...]))
        return misses
    }

    private static func wrongFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        let replacement: Character = first == "Q" ? "Z" : (first.isUppercase ? "Q" : (first.isNumber ? "x" : "q"))
        return String(replacement) + text.dropFirst()
    }

    @Test(arguments: CredentialFormat.all.map(\.type))
    func nearMissesAreNotFound(_ type: String) throws {
        let format = try #require(Self.formats.first { $0.type == type })
        let misses = Self.nearMisses(format)
        #expect(misses.count >= 3, "\(type) has only \(misses.count) near misses")
        for miss in misses {
            #expect(!Self.found(miss).contains(type), "\(type) matched a near miss of \(miss.count) characters")
        }
    }

    /// A Stripe object id (`ch_…`, `pi_…`: lower-case prefix, base62 body) is public; a secret
    /// that merely starts with the same letters is not one (CI once drew `Ch_7Q~…`, an Azure
    /// client secret, and the Stripe rule dropped it).
    @Test func tokensThatStartLikeStripeObjectIDsAreStillFound() {
        for secret in ["Ch_7Q~_2LT~ajb2RPefhcfa7S2gi00bh4Pbh289b", "ba_4Q~.edecNeM368fORU2g.k8kkPk-iiL.Si", "pi_9Q~kR-5.8e2Q8h~i_dSbQ2bge5bb6e5.i4Q0."] {
            #expect(Self.found(secret).contains("azure_ad_client_secret"), "\(secret)")
        }
        for id in ["ch_3MmlLrLkdIwHu7ix0snN0B15", "pi_3MtwBwLkdIwHu7ix28a3tqPa", "cus_NffrFeUfNV2Hib"] {
            #expect(Self.found("charge \(id) settled").isEmpty, "\(id)")
        }
    }

    /// A UUID is an id, never a card number: one in about 7,000 random UUIDs starts with 16
    /// digits that pass Luhn. (The convergence test found it: a node whose device id was such a
    /// UUID had every change it made quarantined, as the id travels in each event.)
    @Test func uuidsAreNeverCardNumbers() {
        for id in ["61441965-8189-4425-9027-a583c88c1f63", "64827171-0200-4960-86ca-9164cfa6dc11", "27197818-1243-4fad-98e8-a1749e2f1b12"] {
            #expect(Self.detector.scan(id).isEmpty, "\(id)")
            #expect(Self.detector.scan("device \(id) pushed").isEmpty, "\(id)")
        }
        var random = SplitMix64(seed: 0x00C0_FFEE)
        var flagged: [String] = []
        for _ in 0..<20_000 {
            let id = MemoryID.generate(at: Date(timeIntervalSince1970: Double(random.next() % 2_000_000_000)), using: &random).description
            let digitsFirst = String(id.prefix(23).map { $0.isHexDigit && !$0.isNumber ? "7" : $0 }) + id.dropFirst(23)
            for text in [id, digitsFirst] where !Self.detector.scan(text).isEmpty { flagged.append(text) }
        }
        #expect(flagged.isEmpty, "\(flagged.prefix(5))")
        // A card written with dashes is still one, and so is one joined to a word or a date.
        for text in ["card 4111-1111-1111-1111 expires 12/29", "4242424242424242-visa", "4111-1111-1111-1111-1225"] {
            #expect(Self.found(text).contains("credit_card"), "\(text)")
        }
    }

    @Test func documentedExampleKeysAreNotSecrets() {
        for example in ["AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"] {
            #expect(Self.found(example).isEmpty, "\(example)")
        }
    }
}
