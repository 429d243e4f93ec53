/// Tier 1 of the sensitive-data detector: credential formats distinctive enough to need no
/// context (DESIGN §4, reference secret-detection.md A.5). No entropy or stop-word filter
/// applies here; only documented example keys are let through.
package struct CredentialFormat: Sendable {
    /// The finding type, e.g. `github_token`.
    package let type: String
    /// Lower-case literals of which one must appear before the regex runs (a prefilter).
    package let keywords: [String]
    package let pattern: TokenPattern
    /// A checksum or structure check on the matched text; failing it drops the match.
    package let validate: (@Sendable (String) -> Bool)?

    init(_ type: String, keywords: [String], _ segments: [TokenPattern.Segment], validate: (@Sendable (String) -> Bool)? = nil) {
        self.type = type
        self.keywords = keywords
        self.pattern = TokenPattern(segments)
        self.validate = validate
    }
}

extension CredentialFormat {
    /// Every distinctive format, grouped as in the reference table.
    package static let all: [CredentialFormat] =
        cloud + versionControl + chat + ai + payments + infrastructure + registries + keys
        + structuredBodies

    static let cloud: [CredentialFormat] = [
        .init(
            "aws_access_key_id", keywords: ["akia", "asia", "abia", "acca"],
            [.oneOf(["AKIA", "ASIA", "ABIA", "ACCA"]), .characters(.base32Upper, 16)]),
        .init(
            "aws_bedrock_api_key", keywords: ["absk"],
            [.literal("ABSK"), .characters(.base64, 109, 269)]),
        .init("google_api_key", keywords: ["aiza"], [.literal("AIza"), .characters(.wordDash, 35)]),
        .init("google_oauth_client_secret", keywords: ["gocspx-"], [.literal("GOCSPX-"), .characters(.wordDash, 28)]),
        .init("google_oauth_access_token", keywords: ["ya29."], [.literal("ya29."), .characters(.wordDash, 30, 300)]),
        .init(
            "azure_ad_client_secret", keywords: ["q~"],
            [
                .characters(.custom(regex: "[A-Za-z0-9_~.]", alphabet: "abcdefghijkABCDEFGH0123456789_~."), 3),
                .characters(.digits, 1), .literal("Q~"),
                .characters(.custom(regex: "[A-Za-z0-9_~.-]", alphabet: "abcdefghijkLMNOPQRSTU0123456789_~.-"), 31, 34),
            ]),
        .init(
            "azure_storage_account_key", keywords: ["accountkey="],
            [.literal("AccountKey="), .characters(.base64, 86), .literal("==")]),
        .init(
            "digitalocean_token", keywords: ["dop_v1_", "doo_v1_", "dor_v1_"],
            [.oneOf(["dop_v1_", "doo_v1_", "dor_v1_"]), .characters(.hexLower, 64)]),
        .init("alibaba_access_key_id", keywords: ["ltai"], [.literal("LTAI"), .characters(.base62, 20)]),
        .init(
            "cloudflare_origin_ca_key", keywords: ["v1.0-"],
            [.literal("v1.0-"), .characters(.hexLower, 24), .literal("-"), .characters(.hexLower, 146)]),
        .init("heroku_api_key", keywords: ["hrku-"], [.literal("HRKU-AA"), .characters(.wordDash, 58)]),
        .init(
            "supabase_token", keywords: ["sbp_", "sb_secret_"],
            [.oneOf(["sbp_", "sb_secret_"]), .characters(.lowerDigits, 40)]),
        .init("databricks_token", keywords: ["dapi"], [.literal("dapi"), .characters(.hexLower, 32)]),
    ]

    static let versionControl: [CredentialFormat] = [
        .init(
            "github_token", keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
            [.oneOf(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]), .characters(.base62, 36, 251)]),
        .init("github_fine_grained_token", keywords: ["github_pat_"], [.literal("github_pat_"), .characters(.word, 82)]),
        .init(
            "gitlab_token", keywords: ["glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-", "glimt-", "glptt-", "glagent-", "gloas-"],
            [
                .oneOf(["glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-", "glimt-", "glptt-", "glagent-", "gloas-"]),
                .characters(.wordDash, 20, 300),
            ]),
        .init("gitlab_runner_registration_token", keywords: ["gr1348941"], [.literal("GR1348941"), .characters(.wordDash, 20, 40)]),
        .init(
            "atlassian_api_token", keywords: ["atatt3"],
            [.literal("ATATT3"), .characters(.custom(regex: "[A-Za-z0-9_=-]", alphabet: "ABCDEFabcdef0123456789_=-"), 186)]),
        .init("linear_api_key", keywords: ["lin_api_"], [.literal("lin_api_"), .characters(.base62, 40)]),
    ]

    static let chat: [CredentialFormat] = [
        .init(
            "slack_token", keywords: ["xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-"],
            [
                .oneOf(["xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-"]), .characters(.digits, 10, 13),
                .literal("-"), .characters(.custom(regex: "[A-Za-z0-9-]", alphabet: "abcdefABCDEF0123456789-"), 20, 200),
            ]),
        .init(
            "slack_app_token", keywords: ["xapp-"],
            [
                .literal("xapp-"), .characters(.digits, 1), .literal("-"), .characters(.upperDigits, 9, 15), .literal("-"),
                .characters(.digits, 10, 15), .literal("-"), .characters(.lowerDigits, 32, 80),
            ]),
        .init(
            "slack_webhook_url", keywords: ["hooks.slack.com"],
            [
                .literal("hooks.slack.com/"), .oneOf(["services/", "workflows/", "triggers/"]),
                .characters(.custom(regex: "[A-Za-z0-9_/+-]", alphabet: "ABCDEFGHT0123456789abcdef/"), 40, 200),
            ]),
        .init(
            "microsoft_teams_webhook_url", keywords: ["webhook.office.com"],
            [
                .literal("webhook.office.com/webhookb2/"),
                .characters(.custom(regex: "[A-Za-z0-9@/_-]", alphabet: "abcdef0123456789-@/"), 60, 300),
            ]),
        .init(
            "discord_webhook_url", keywords: ["/api/webhooks/"],
            [
                .oneOf(["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"]), .characters(.digits, 17, 20), .literal("/"),
                .characters(.wordDash, 60, 70),
            ]),
        .init(
            "discord_bot_token", keywords: [],
            [
                .oneOf(["M", "N", "O"]), .characters(.wordDash, 23, 25), .literal("."), .characters(.wordDash, 6),
                .literal("."), .characters(.wordDash, 27, 38),
            ]),
        .init(
            "telegram_bot_token", keywords: [":aa"],
            [.characters(.digits, 8, 10), .literal(":AA"), .characters(.wordDash, 33)]),
        .init(
            "sendgrid_api_key", keywords: ["sg."],
            [.literal("SG."), .characters(.wordDash, 22), .literal("."), .characters(.wordDash, 43)]),
        .init("mailgun_api_key", keywords: ["key-"], [.literal("key-"), .characters(.hexLower, 32)]),
        .init(
            "mailchimp_api_key", keywords: ["-us"],
            [.characters(.hexLower, 32), .literal("-us"), .characters(.digits, 1, 2)]),
        .init("twilio_api_key", keywords: ["sk"], [.literal("SK"), .characters(.hexLower, 32)]),
    ]

    static let ai: [CredentialFormat] = [
        .init(
            "openai_api_key", keywords: ["sk-proj-", "sk-svcacct-", "sk-admin-"],
            [.oneOf(["sk-proj-", "sk-svcacct-", "sk-admin-"]), .characters(.wordDash, 40, 300)]),
        .init(
            "openai_legacy_api_key", keywords: ["t3blbkfj"],
            [.literal("sk-"), .characters(.base62, 20), .literal("T3BlbkFJ"), .characters(.base62, 20)]),
        .init(
            "anthropic_api_key", keywords: ["sk-ant-"],
            [.oneOf(["sk-ant-api03-", "sk-ant-admin01-"]), .characters(.wordDash, 93), .literal("AA")]),
        .init("huggingface_token", keywords: ["hf_", "api_org_"], [.oneOf(["hf_", "api_org_"]), .characters(.base62, 34)]),
        .init("groq_api_key", keywords: ["gsk_"], [.literal("gsk_"), .characters(.base62, 52)]),
        .init("xai_api_key", keywords: ["xai-"], [.literal("xai-"), .characters(.base62, 80)]),
        .init("perplexity_api_key", keywords: ["pplx-"], [.literal("pplx-"), .characters(.base62, 48)]),
        .init("replicate_api_token", keywords: ["r8_"], [.literal("r8_"), .characters(.wordDash, 37)]),
        .init("openrouter_api_key", keywords: ["sk-or-v1-"], [.literal("sk-or-v1-"), .characters(.hexLower, 64)]),
        .init(
            "langsmith_api_key", keywords: ["lsv2_"],
            [.oneOf(["lsv2_pt_", "lsv2_sk_"]), .characters(.hexLower, 32), .literal("_"), .characters(.hexLower, 10)]),
        .init(
            "pinecone_api_key", keywords: ["pcsk_"],
            [.literal("pcsk_"), .characters(.base62, 4, 12), .literal("_"), .characters(.base62, 63)]),
    ]

    static let payments: [CredentialFormat] = [
        .init(
            "stripe_secret_key", keywords: ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"],
            [.oneOf(["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"]), .characters(.base62, 10, 247)]),
        .init(
            "shopify_token", keywords: ["shpat_", "shpca_", "shppa_", "shpss_"],
            [.oneOf(["shpat_", "shpca_", "shppa_", "shpss_"]), .characters(.hex, 32)]),
        .init(
            "square_token", keywords: ["sq0atp-", "sq0csp-", "eaaa"],
            [.oneOf(["sq0atp-", "sq0csp-", "EAAA"]), .characters(.wordDash, 22, 60)]),
    ]

    static let infrastructure: [CredentialFormat] = [
        .init("vault_token", keywords: ["hvs.", "hvb."], [.oneOf(["hvs.", "hvb."]), .characters(.wordDash, 90, 300)]),
        .init(
            "terraform_cloud_token", keywords: [".atlasv1."],
            [.characters(.base62, 14), .literal(".atlasv1."), .characters(.custom(regex: "[A-Za-z0-9_=-]", alphabet: "abcdefABCDEF0123456789_-"), 60, 70)]),
        .init("doppler_token", keywords: ["dp.pt."], [.literal("dp.pt."), .characters(.base62, 43)]),
        .init("pulumi_access_token", keywords: ["pul-"], [.literal("pul-"), .characters(.hexLower, 40)]),
        .init(
            "postman_api_key", keywords: ["pmak-"],
            [.literal("PMAK-"), .characters(.hexLower, 24), .literal("-"), .characters(.hexLower, 34)]),
        .init("notion_token", keywords: ["ntn_"], [.literal("ntn_"), .characters(.digits, 11), .characters(.base62, 35)]),
        .init("sentry_token", keywords: ["sntryu_"], [.literal("sntryu_"), .characters(.hexLower, 64)]),
        .init(
            "grafana_service_account_token", keywords: ["glsa_"],
            [.literal("glsa_"), .characters(.base62, 32), .literal("_"), .characters(.hexLower, 8)]),
        .init("grafana_cloud_token", keywords: ["glc_"], [.literal("glc_"), .characters(.base64, 32, 400)]),
        .init(
            "onepassword_secret_key", keywords: ["a3-"],
            [
                .literal("A3-"), .characters(.upperDigits, 6), .literal("-"), .characters(.upperDigits, 6), .literal("-"),
                .characters(.upperDigits, 5), .literal("-"), .characters(.upperDigits, 5), .literal("-"),
                .characters(.upperDigits, 5), .literal("-"), .characters(.upperDigits, 5),
            ]),
        .init("onepassword_service_account_token", keywords: ["ops_eyj"], [.literal("ops_eyJ"), .characters(.base64, 250, 1000)]),
    ]

    static let registries: [CredentialFormat] = [
        .init("npm_token", keywords: ["npm_"], [.literal("npm_"), .characters(.base62, 36)]),
        .init(
            "pypi_token", keywords: ["pypi-age"],
            [.oneOf(["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"]), .characters(.wordDash, 50, 300)]),
        .init(
            "docker_hub_token", keywords: ["dckr_"],
            [.oneOf(["dckr_pat_", "dckr_oat_"]), .characters(.wordDash, 27, 32)]),
    ]

    /// Formats whose body the generic nets reject on purpose (runs of `A`, hex or UUID bodies
    /// behind a `-` prefix look like ids), so they are listed here.
    static let structuredBodies: [CredentialFormat] = [
        .init(
            "twitter_bearer_token", keywords: ["aaaaaaaaaaaaaaaaaaaa"],
            [.literal("AAAAAAAAAAAAAAAAAAAA"), .characters(.custom(regex: "[A-Za-z0-9%]", alphabet: "ABCDEFGHabcdefgh0123456789%"), 60, 140)]),
        .init(
            "airtable_token", keywords: ["pat"],
            [.literal("pat"), .characters(.base62, 14), .literal("."), .characters(.hexLower, 64)]),
        .init(
            "plaid_access_token", keywords: ["access-sandbox-", "access-development-", "access-production-"],
            [
                .literal("access-"), .oneOf(["sandbox-", "development-", "production-"]), .characters(.hexLower, 8), .literal("-"),
                .characters(.hexLower, 4), .literal("-"), .characters(.hexLower, 4), .literal("-"), .characters(.hexLower, 4),
                .literal("-"), .characters(.hexLower, 12),
            ]),
        .init(
            "brevo_api_key", keywords: ["xkeysib-", "xsmtpsib-"],
            [.oneOf(["xkeysib-", "xsmtpsib-"]), .characters(.hexLower, 64), .literal("-"), .characters(.base62, 16)]),
    ]

    static let keys: [CredentialFormat] = [
        .init("age_secret_key", keywords: ["age-secret-key-1"], [.literal("AGE-SECRET-KEY-1"), .characters(.bech32, 58)])
    ]
}
