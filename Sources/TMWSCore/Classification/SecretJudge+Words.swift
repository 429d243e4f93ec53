/// The judge's word lists: what follows a cue in advice, what a template or a reference
/// looks like, which callees fetch a secret rather than take one.
extension SecretJudge {
    static let scriptStops: [String] = [
        "文字", "以上", "以下", "必須", "必要", "不要", "任意", "変更", "設定", "管理", "保存", "暗号化", "ハッシュ", "定期", "禁止", "推奨", "同じ",
        "共通", "別途", "不明", "未定", "秘密", "非公開", "大文字", "小文字", "記号", "数字", "英数", "桁", "なし", "無し", "平文", "忘れ", "初期",
        "デフォルト", "ランダム", "自動", "環境変数", "有効", "無効", "期限", "発行", "再発行", "失効", "漏洩", "共有", "個別", "長さ", "複雑", "強力",
        "安全", "危険", "後で", "別の", "至少", "位", "必须", "需要", "不能", "加密", "存储", "明文", "修改", "设置", "相同", "随机", "默认", "过期",
        "有效", "无效", "安全", "泄露", "保密", "重置", "长度", "字符", "复杂", "必填", "필수", "변경", "설정", "이상", "이하", "자리", "암호화", "저장",
        "동일", "랜덤", "기본", "없음", "비밀", "관리", "대문자", "소문자", "특수문자", "숫자", "만료", "재설정", "유출", "공유", "안전", "길이", "복잡",
        "何", "どこ", "これ", "それ", "あれ", "什么", "哪", "这", "那", "뭐", "무엇", "어디", "이것", "그것", "前回", "以前", "同上", "上記", "下記",
        "ます", "ない", "する", "した", "して", "ている", "された", "되어", "합니다", "했습니다", "하세요",
        "见", "見", "参照", "参考", "참고", "请", "請", "联系", "連絡", "문의", "同上", "待定", "未定", "미정", "保密", "別紙", "口頭", "口头", "告知",
        "後日", "稍后", "发送", "送信", "私聊", "별도", "나중", "전달", "없음", "不明", "未知", "なし", "無", "空白", "省略", "略", "秘密",
        "担当", "本人", "各自", "ユーザー", "管理者", "用户", "사용자", "관리자", "メール", "邮件", "메일", "チャット", "슬랙", "Slack",
    ]

    /// Particles and verb endings that mark a clause, not a phrase chosen as a password.
    static let scriptParticles: Set<Character> = ["を", "が", "は", "へ", "的", "了", "在", "和", "用", "을", "를", "에"]

    static let grammarWords: Set<String> = [
        "the", "a", "an", "to", "of", "in", "on", "for", "with", "by", "at", "from", "is", "are", "was", "were", "be", "been",
        "must", "should", "can", "could", "will", "would", "not", "no", "and", "or", "but", "see", "use", "our", "your", "their",
        "this", "that", "these", "those", "it", "its", "we", "you", "they", "he", "she", "i", "my", "me", "do", "does", "did",
        "has", "have", "had", "than", "then", "there", "here", "what", "which", "who", "how", "when", "where", "why", "if",
        "la", "le", "les", "el", "los", "das", "der", "die", "ist", "es", "est", "de", "du", "des", "und", "et", "y", "o",
        "um", "uma", "é", "since", "until", "after", "before", "because", "every", "each", "all", "any", "only", "just", "now",
        "already", "too", "very", "again", "yet", "so", "as", "via", "per", "into", "onto", "about", "like",
    ]

    /// Words that follow a cue in advice and are never the value.
    static let proseStops: Set<String> = [
        "whatever", "something", "anything", "nothing", "everything", "unchanged", "rotated", "mandatory", "secret", "private",
        "confidential", "sensitive", "random", "long", "complex", "strong", "weak", "simple", "easy", "hard", "obvious",
        "written", "attached", "below", "above", "inside", "elsewhere", "somewhere", "there", "here", "in", "on", "at", "also",
        "again", "still", "being", "getting", "going", "coming", "set", "sent", "taped", "printed", "posted", "pinned", "stuck",
        "ignored", "irrelevant", "temporary", "permanent", "fixed", "static", "dynamic", "unique", "shared", "personal",
        "per-user", "per-env", "per-environment", "out", "up", "down", "off", "gone", "broken", "working", "fine", "okay", "ok",
        "expired", "expiring", "valid", "invalid", "wrong", "right", "correct", "incorrect", "same", "different", "empty", "blank",
        "unknown", "known", "needed", "required", "optional", "missing", "leaked", "compromised", "exposed", "revoked",
        // Spanish, French, German, Portuguese advice
        "obligatoire", "obligatorio", "obligatoria", "obrigatória", "obrigatoria", "obrigatório", "erforderlich", "pflicht", "requis", "requise",
        "requerido", "requerida", "necesario", "necesaria", "necessário", "nécessaire", "vacío", "vide", "leer", "gespeichert", "almacenado",
        "almacenada", "stocké", "guardado", "guardada", "secreto", "secreta", "geheim", "sicher", "seguro", "segura", "sûr", "fuerte", "fort",
        "stark", "incorrecto", "incorrecta", "falsch", "inválido", "inválida", "invalide", "ungültig", "caducado", "expiré", "abgelaufen",
        // column headers of tables about secrets
        "expires", "expiry", "expiration", "created", "updated", "owner", "notes", "note", "description", "status", "value", "type",
        "name", "scope", "scopes", "environment", "service", "username", "host", "default", "example", "comment", "comments", "date",
        "rotation", "purpose", "usage", "location", "where", "who", "team", "system",
        "korrekt", "correcto", "correcta", "faux", "vrai", "nuevo", "nueva", "nouveau", "neu", "neue", "alt", "ancien", "antiguo",
    ]

    static let templateWords: Set<String> = [
        "enc", "changeme", "change-me", "change_me", "changeit", "secret", "password", "example", "xxx", "your-secret", "replace-me",
        "replace_me", "replaceme", "fixme", "tbd", "todo", "dummy", "sample", "test", "testing", "placeholder", "default", "insert-here",
        "set-me", "setme", "fill-me", "fillme", "required",
    ]

    static let referencePrefixes: [String] = [
        "vault:", "op://", "arn:aws:secretsmanager", "arn:aws:ssm", "secretsmanager:", "ssm:", "ssm://", "sops:", "enc[", "!ref", "!secret",
        "!vault", "!sub", "!!", "!env", "!include", "!import", "!join", "!getatt", "!findinmap", "!importvalue", "!select", "!split", "${", "$(", "#{", "{{",
        "{%", "<%", "@microsoft.keyvault", "keyvault:", "gcp:", "gsm:", "secret://", "k8s:",
        "env:", "env.", "process.env", "os.environ", "os.getenv", "system.getenv", "environment.", "env[", "env(", "getenv(", "secrets.",
        "settings.", "config.", "params.", "self.", "this.", "ctx.", "context.", "vars.", "var.", "local.", "data.", "module.", "input.",
        "file:", "@file", "azurekeyvault", "akv:", "doppler:", "infisical:", "bw:", "lpass:", "pass:", "keychain:", "cred:", "credential:",
        "sm://", "projects/", "aws-sm:", "[redacted", "<redacted", "(redacted", "***", "•••", "…", "...", "ref+", "hunter2-placeholder",
    ]

    static let referenceMarkers: [String] = [
        "...", "…", "****", "[\"", "['", "{{", "${", "secretkeyref", "valuefrom", "secretref", "key_vault_secret", "getsecret", "get_secret(", "fromsecret",
        "keyring.get",
    ]

    /// Template words that are real values when a sentence states them.
    static let proseOnlySecrets: Set<String> = ["changeme", "change_me", "changeit", "letmein", "welcome1", "password1", "admin123", "qwerty123"]

    static let authSchemes: Set<String> = ["bearer", "basic", "token", "digest", "negotiate", "ntlm", "apikey", "hmac"]

    static let getterWords: Set<String> = [
        "get", "getenv", "fetch", "read", "load", "lookup", "retrieve", "resolve", "find", "delete", "remove", "rotate", "revoke",
        "hash", "verify", "check", "validate", "compare", "describe", "list", "env", "environ", "vault", "ref",
        "require", "import", "include", "getattr", "has", "exists", "contains", "log", "print", "println", "printf",
        "i18n", "t", "translate", "localized", "nslocalizedstring",
    ]

    static let clientWords: Set<String> = [
        "client", "api", "sdk", "auth", "login", "signin", "authenticate", "connect", "credentials", "credential", "bot", "init",
        "initialize", "configure", "setup", "sign", "hmac", "createhmac", "encrypt", "decrypt", "cipher", "basicauth", "session",
    ]

    /// The reference prefixes by their first byte: a value is compared with the few that can match.
    static let referencePrefixesByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for prefix in referencePrefixes { table[Int(prefix.utf8.first!)].append(Array(prefix.utf8)) }
        return table
    }()
}
