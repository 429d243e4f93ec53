/// The structures a value can sit in, as the structure parser names them. A finding reports
/// the structure it came from, so a miss or a false positive can be traced to the parser
/// (which structure) or to the judge (which rule).
enum TextStructure: String, Sendable, CaseIterable {
    case dotenv
    /// `key = value` in INI, TOML, `.properties` and HCL files.
    case ini
    case yaml
    case json
    /// `<x password="…">`, `<add key="…" value="…"/>`, `<password>…</password>`.
    case xml
    /// `Authorization: Bearer …`, `X-Api-Key: …`, `Cookie: …`.
    case httpHeader = "http-header"
    case urlUserinfo = "url-userinfo"
    case urlQuery = "url-query"
    /// `Server=db;User Id=sa;Password=…;`.
    case connectionString = "connection-string"
    /// `--password …`, `--token=…`, `-u user:…`.
    case cliFlag = "cli-flag"
    /// `API_KEY=… ./deploy.sh`, `docker run -e KEY=…`.
    case envPrefix = "env-prefix"
    /// `Client(api_key="…")`, `setToken("…")`, `login("svc", "…")`.
    case callArgument = "call-argument"
    case markdownTable = "markdown-table"
    /// A cue in a sentence, in any supported language: "the password is …", 「パスワードは…」.
    case proseCue = "prose-cue"
    /// A token on its own, known by its format or its shape.
    case token
    /// A PEM block or a bare key body.
    case pemBlock = "pem-block"
    /// Words of a wallet's seed phrase.
    case wordList = "word-list"
    /// Personal data in running text.
    case text

    /// The structure the older rules report, by their finding type.
    static func of(type: String, tier: SensitiveFinding.Tier) -> TextStructure {
        switch type {
        case "url_with_password": .urlUserinfo
        case "url_query_secret": .urlQuery
        case "authorization_header": .httpHeader
        case "secret_assignment": .dotenv
        case "command_line_password": .cliFlag
        case "kubernetes_secret": .yaml
        case "private_key": .pemBlock
        case "seed_phrase": .wordList
        case "secret_in_prose", "secret_after_cue", "credential_pair", "totp_seed", "recovery_codes": .proseCue
        default: tier == .personal ? .text : .token
        }
    }
}
