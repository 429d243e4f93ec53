/// One piece of sensitive data found in a text: its type and where it is — never its value.
package struct SensitiveFinding: Sendable, Hashable, Codable {
    /// Which detector tier found it.
    package enum Tier: String, Sendable, Hashable, Codable {
        /// A distinctive credential format (`ghp_…`, `AKIA…`).
        case credential
        /// A structural secret: PEM keys, JWTs, URLs with passwords, secret-named assignments.
        case structural
        /// A secret written in a sentence ("my wifi password is …", 「パスワードは…です」).
        case prose
        /// Personal data: payment cards, IBANs, SSNs, phone numbers, personal e-mail addresses.
        case personal
    }

    /// The finding type, e.g. `aws_access_key_id`, `private_key`, `credit_card`.
    package var type: String
    package var tier: Tier
    /// Start offset in Unicode scalars (code points) of the original text.
    package var start: Int
    /// End offset (exclusive) in Unicode scalars of the original text.
    package var end: Int
    /// The structure the value sat in (`dotenv`, `json`, `url-userinfo`, `prose-cue`, `token`;
    /// see `TextStructure`), prefixed `encoded/` when it was found inside a decoded segment.
    /// Names only, never a value; nil in findings made by callers.
    package var structure: String?
    /// The rule that judged the value (`key-lexicon`, `cue-passphrase`, `format:github_token`).
    package var rule: String?

    package init(type: String, tier: Tier, start: Int, end: Int, structure: String? = nil, rule: String? = nil) {
        self.type = type
        self.tier = tier
        self.start = start
        self.end = end
        self.structure = structure
        self.rule = rule
    }
}
