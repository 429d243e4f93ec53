/// The detector's word lists. Terms are lower case after NFKC; a term made of ASCII letters must
/// start and end at word edges, `*` at its end lets it run on ("instruct*"), other terms
/// (Japanese, flags, paths) match anywhere. Spaces around `|` are gone before matching.
extension InstructionDetector {
    static let imperativeVerbs: Set<String> = [
        "run", "execute", "exec", "install", "reinstall", "add", "set", "put", "use", "open", "send", "post", "upload", "paste", "mirror",
        "copy", "push", "pull", "fetch", "download", "load", "get", "replace", "remove", "delete", "drop", "disable", "enable", "turn",
        "skip", "ignore", "disregard", "forget", "treat", "follow", "obey", "comment", "mark", "edit", "modify", "change", "update", "write",
        "append", "insert", "include", "save", "store", "keep", "leave", "strip", "hide", "tell", "say", "answer", "reply", "report",
        "respond", "pretend", "act", "roleplay", "become", "merge", "approve", "commit", "pass", "pin", "retry", "rewrite", "override",
        "grant", "give", "make", "create", "clone", "resolve", "point", "configure", "switch", "export", "print", "echo", "start", "launch",
        "spawn", "invoke", "call", "hit", "ping", "register", "read", "look", "search", "grab", "collect", "gather", "check", "clear",
        "wipe", "erase", "purge", "bypass", "suppress", "silence", "mute", "deactivate", "uninstall", "exclude", "allow", "trust", "accept",
        "continue", "proceed", "do", "try", "submit", "forward", "share", "embed", "inject", "patch", "deploy", "publish", "tag", "force",
        "carry", "apply", "stop", "avoid", "mirror", "include", "auto-approve", "auto-merge", "sign", "archive", "bundle", "upgrade",
        "downgrade", "reset", "restart", "kill", "rerun", "re-run", "redo", "zip", "tar", "compress", "pipe", "attach", "swap",
        "substitute", "post", "email", "message", "dm", "notify", "inform", "lie", "claim", "pretend", "impersonate", "obey",
        "overwrite", "unset", "unpin", "pin", "bump", "wrap", "comment-out", "commit", "amend", "rebase", "squash", "revert", "reply",
        "respond", "add", "flip", "toggle", "lower", "raise", "increase", "decrease", "loosen", "relax", "widen", "whitelist",
        "allowlist", "greenlight", "rubber-stamp", "self-approve", "auto-merge", "merge", "ship", "release", "cut", "schedule",
        "persist", "copy-paste", "dump", "extract", "exfil", "harvest", "scrape", "crawl", "browse", "visit", "navigate", "query",
        "poll", "retrieve", "pull", "sync", "propagate", "replicate", "duplicate", "spread", "insert", "prepend", "replace",
        "route", "redirect", "proxy", "tunnel", "expose", "open", "serve", "host", "listen", "connect", "login", "log", "sign", "chmod", "chown", "sudo",
        "curl", "wget", "pip", "pip3", "npm", "npx", "git", "docker",
        "bash", "sh", "ssh", "nc", "iex", "powershell", "gh", "crontab", "printenv", "mark", "move", "rename", "disable",
        "re-read", "reread", "ensure", "end", "finish", "begin", "prefix", "close", "assume", "write", "never", "don't", "dont", "exfiltrate", "leak", "pipe",
        "source", "fix", "be", "go", "acknowledge", "dismiss", "empty", "truncate", "loosen", "weaken", "strip", "mail",
    ]

    /// Words an imperative clause may start with before its verb.
    static let fillers: Set<String> = [
        "please", "pls", "plz", "kindly", "just", "also", "always", "then", "and", "so", "now", "first", "simply", "immediately",
        "silently", "quickly", "btw", "ok", "okay", "hey", "hi", "oh", "important", "note", "tip", "todo", "psst", "ps", "finally",
        "next", "afterwards", "additionally", "from", "on", "forward", "going", "secretly", "quietly", "definitely", "really", "still",
        "automatically", "again", "again", "thanks", "but", "or", "urgent", "required", "mandatory", "step", "nb", "reminder", "action",
        "item", "items", "ai", "agent", "agents", "assistant", "claude", "llm", "bot", "dear", "hello", "yo",
    ]

    /// Commands that stand for an imperative when a clause starts with them.
    static let commandHeads: Set<String> = [
        "curl", "wget", "pip", "pip3", "npm", "npx", "yarn", "pnpm", "git", "sudo", "rm", "chmod", "chown", "docker", "bash", "sh",
        "python", "python3", "node", "ssh", "nc", "iex", "powershell", "brew", "gh", "crontab", "export", "echo", "cat", "history",
        "printenv", "env", "iwr", "scp", "rsync", "sftp", "rclone",
    ]

    /// Verb forms that make a clause a statement about its subject, not an order.
    static let statementVerbs: Set<String> = [
        "is", "are", "was", "were", "has", "have", "had", "does", "did", "can", "will", "would", "could", "should", "may", "might",
        "needs", "means", "failed", "hung", "broke", "works", "went", "got", "became", "isn't", "aren't", "wasn't", "doesn't", "didn't",
    ]

    /// Phrases that put any sentence into the reader's hands.
    static let requestPhrases = [
        "you should", "you must", "you need to", "you have to", "you'll", "you will", "you may", "you can", "you are to", "you're to",
        "you are allowed", "you're allowed", "you have permission", "you are permitted", "you're permitted", "you never need", "you don't need",
        "you do not need", "you are free", "feel free",
        "make sure", "be sure", "remember to", "don't forget", "do not forget", "i need you", "i want you", "we need you", "we want you",
        "would you", "could you", "can you", "will you", "it'd be great", "it would be great", "would be great if", "would appreciate",
        "i'd appreciate", "would be nice", "please", "pls", "plz", "kindly", "action item", "your only job", "your job", "your task",
        "no need to", "there's no need", "don't bother", "from now on", "going forward", "henceforth", "今後", "これからは", "is fine to", "it's fine to",
        "small favour", "small favor", "be a dear", "it'd be nice", "be nice if", "would be ideal", "grateful if", "whoever reads", "for the assistant to",
        "for the agent to", "for the ai to", "for claude to", "for the bot to",
        // A reminder label makes what follows a to-do for whoever reads the note next.
        "remember:", "reminder:", "note to self:", "note for future me", "note to future me",
        // A recommended fix is what the reader will run: "`chmod -R 777 /var` fixes it".
        "fixes it", "fixes this", "solves it", "solves this", "does the trick", "the fix is to",
        "whoever picks", "whoever opens",
        // Obligations put on anyone, the reader included ("the assistant is expected to …").
        "must", "should", "need to", "needs to", "has to", "have to", "ought to", "is required to", "are required to", "is expected to",
        "are expected to", "is supposed to", "are supposed to", "is to be", "are to be",
        // Permission granted in passing ("it is completely fine, and in fact preferred, to …").
        "fine to", "ok to", "okay to", "preferred", "completely fine", "perfectly fine", "totally fine", "acceptable to",
        "ください", "下さい", "くだしあ", "くらさい", "いただけ", "いただく", "頂け", "頂く", "もらえ", "お願い", "ほしい", "欲しい", "頼む", "せよ", "しなさい",
    ].map { Term($0) }

    /// Fake role headers. They speak for the system only where they open a line or sentence;
    /// mid-sentence ("strips lines starting with [SYSTEM]") they are being talked about.
    static let roleMarkers = [
        "<system>", "[system]", "【system】", "<|system|>", "<|im_start|>", "new system prompt", "updated system prompt", "新しいシステムプロンプト",
    ].map { Term($0) }

    /// Readers an order can be addressed to; followed closely by a modal they make it one.
    static let readerNouns: Set<String> = ["agent", "agents", "assistant", "assistants", "ai", "llm", "llms", "claude", "model", "bot", "copilot"]
    static let readerModals: Set<String> = [
        "should", "must", "shall", "needs", "will", "may", "can", "never", "always", "mustn't", "shouldn't", "cannot", "can't",
        "do", "does", "don't", "doesn't",
    ]

    /// Ways of addressing the agent by name; what follows them is meant for it.
    static let vocatives = [
        "assistant:", "agent:", "ai:", "llm:", "claude:", "agents:", "copilot:", "note to any ai", "note to the ai", "note to any agent",
        "note to the agent", "note to the assistant", "note to ai", "any ai reading", "any agent reading", "if you are an llm",
        "if you are an ai", "if you're an ai", "if you are an agent", "if you're an llm", "ai agents working", "for the ai", "for the agent",
        "for any ai", "for agents", "for bots", "for ai agents", "hey claude", "hi claude", "hi assistant", "hey assistant", "dear assistant", "dear ai",
        "to the ai", "assistant,",
        "claude,", "agent,", "エージェントへ", "エージェントさん", "エージェント各位", "エージェント向け", "ai 向け", "ai向け",
        "アシスタントへ", "アシスタントさん", "アシスタント、", "claudeへ", "claudeさん", "claude、", "llm の場合", "llmの場合",
        "このメモを読んだエージェント", "メモを読んだエージェント", "を読んだエージェント", "を読んでいるエージェント", "を読んだ ai", "ai は", "aiは", "aiへ", "ai へ", "エージェント専用", "アシスタント専用", "assistant-only",
        "agent-only", "ai-only", "agents only", "エージェントのみ", "えーじぇんとへ", "エージェント:", "エージェント、",
        "agent へ",
        // Fake system or tool messages inside a note are written for the agent, not the user.
        "<tool_call", "<tool_use", "<function_call", "<tool_result", "[system notice]", "system notice:", "システム通知", "【system", "【システム",
    ].map { Term($0) }

    /// Words that mark a sentence as a report, a quoted sample or training material.
    static let reportCues = [
        "post-mortem", "postmortem", "post mortem", "red-team", "red team", "redteam", "injection", "injected", "attack*", "phishing",
        "malicious", "spam", "fixture set", "regression fixture", "flagged", "example of", "for example", "sample", "classified as", "we found", "was found",
        "we caught",
        "threat model", "threat-model", "training", "slide", "someone", "a memory that reads", "a note saying", "ポストモーテム",
        "インシデント", "攻撃", "事例", "事故", "障害", "レッドチーム", "研修", "誤検知", "検出器", "サンプル", "スパム", "紛れ込",
        "悪意", "フィッシング", "インジェクション", "乗っ取", "の例", "例:",
    ].map { Term($0) }

    /// Words after a report cue that make it a procedure for handling one (`isReport`).
    static let responses: [[UInt8]] = ["対応", "response", "時の対応", "発生時"].map { Array($0.utf8) }

    /// Headers whose list items are steps for the reader.
    static let checklistCues = [
        "checklist", "steps", "rules", "todo", "to do", "to-do", "onboarding", "setup", "runbook", "procedure", "before", "every session",
        "on start", "startup", "routine", "ルール", "チェックリスト", "手順", "やること", "起動時", "作業前", "セットアップ", "毎回", "ルーティン",
    ].map { Term($0) }

    /// Table headers whose rows are steps.
    static let tableCues = ["step", "command", "コマンド"].map { Term($0) }

    /// Openers of a lead-in phrase that an imperative verb may follow without a comma.
    static let leadIns: Set<String> = [
        "at", "on", "in", "after", "before", "during", "when", "whenever", "once", "upon", "every", "each", "if", "while", "for",
    ]
    static let subjects: Set<String> = [
        "we", "they", "i", "he", "she", "it", "you", "someone", "nobody", "ci", "team", "people", "everyone", "this", "that", "which",
    ]
    static let determiners: Set<String> = [
        "the", "a", "an", "to", "of", "our", "your", "their", "its", "this", "that", "will", "can", "should", "must", "may", "would",
        "could", "might", "did", "does",
    ]

    /// A safety step kept in place ("agents must ask before any push --force"): the act is guarded.
    static let guards = [
        "ask before", "asks before", "ask first", "confirm before", "confirmation before", "approval before", "require approval",
        "requires approval", "with approval", "only after", "deny rule", "deny list", "確認が入る", "確認を取って", "承認を得て",
        "確認してから", "承認が必要", "deny ルール", "承認後", "承認があれば", "許可があれば", "承認を得", "許可を得", "承認された場合", "許可された場合",
    ].map { Term($0) }

    /// A condition ("only with", "only after") that, followed closely by one of `approvals`, guards a sentence.
    static let conditions = ["only with", "only after", "only if", "only when", "only once", "only upon", "unless", "until"].map { Term($0) }
    static let approvals = [
        "approv*", "consent*", "permission", "sign-off", "signs off", "signed off", "sign off", "go-ahead", "confirms", "confirmed", "explicitly asks",
        "explicitly requests",
    ].map { Term($0) }

    /// Prohibitions placed after the act ("`npm install -g` is blocked on CI").
    static let postNegators = [
        "blocked", "forbidden", "prohibited", "not allowed", "disallowed", "rejected", "denied", "banned", "not permitted", "never allowed",
        "never permitted", "never ok", "not ok", "off-limits", "off limits",
    ].map { Term($0) }

    /// Commands that read as English words ("history", "export") open an imperative only in code.
    static let wordlikeCommands: Set<String> = ["history", "export", "echo", "cat", "env", "bash", "sh", "python", "python3", "node", "set"]

    /// Prohibitions placed before the act they forbid.
    static let negators: Set<String> = [
        "never", "don't", "dont", "not", "no", "mustn't", "shouldn't", "cannot", "can't", "cant", "won't", "without", "avoid", "refrain",
        "nobody", "forbidden", "prohibited", "disallowed", "banned", "needn't", "stop", "quit", "cease", "instead", "rather", "neither", "nor", "isn't",
        "aren't",
    ]

    /// Japanese negation, after the act it negates.
    static let jaNegators = [
        "ない", "ません", "ず", "禁止", "不可", "なし", "無し", "不要", "いらない", "ダメ", "だめ", "いけ", "避け", "べからず", "するな",
        "言うな", "送るな", "必要はありません", "必要ありません", "必要はない", "必要ない", "必要は", "ぬ", "なく", "やめて",
    ].map { Term($0) }.sorted { $0.bytes.count > $1.bytes.count }

    /// Sentence endings that ask the reader to act; the first group may also end a clause.
    static let jaClauseEndings = [
        "ください", "下さい", "くだしあ", "くらさい", "こと", "ように", "せよ", "しろ", "なさい", "てよい", "でよい", "ていい", "てもいい",
        "てかまいません", "て構いません", "てかまわない", "て構わない", "てok", "なくていい", "なくてよい", "いいから", "必要はありません",
        "必要はない", "不要", "お願いします", "助かります", "嬉しいです", "うれしいです", "いただけますか", "いただけませんか", "でしょうか",
        "もらえますか", "ましょう", "てくれ", "ほしい", "欲しい", "いいです", "よいです", "okです",
        // Obligation (べき, 必要がある, なければならない) and suggestion (ばいい, ほうがいい) speak to the reader too.
        "べき", "べきだ", "べきです", "べきである", "べし", "ばいい", "ばよい", "といい", "でok", "でいい", "ちゃって", "ちゃえ", "ておけ",
        "ほうがいい", "方がいい", "ほうがよい", "方がよい", "必要がある", "必要があります", "なければならない", "なければなりません",
        "ないといけない", "ないといけません", "なくてはならない", "ねばならない", "ものとする", "ものとします", "こととする", "こととします",
        "いいよ", "よいよ", "いいぞ", "嬉しい", "うれしい", "ありがたい", "ありがたいです",
        "助かる", "願います", "よろしく", "幸いです", "幸い", "で大丈夫", "て大丈夫", "で大丈夫です", "て大丈夫です", "とする", "とします", "で解決", "で直る", "で直ります", "で治る", "でいける", "でいけます", "いらない", "要らない",
        "いりません", "要りません",
    ]
    /// The second group is the prohibitive (言うな, 消すな), whose act the negation check then reads.
    static let jaSentenceEndings = ["て", "で", "てね", "でね", "てな", "とけ", "といて", "ておく", "でおく", "ok", "ね", "るな", "うな", "すな", "くな", "つな", "むな", "ぐな", "ぶな"]

    /// Nouns and stems that end like a plain imperative (see `isJapaneseImperative`).
    static let jaImperativeDecoys = [
        "ところ", "ころ", "いろ", "ごろ", "これ", "それ", "あれ", "どれ", "流れ", "恐れ", "遅れ", "漏れ", "忘れ", "汚れ", "外れ", "崩れ", "壊れ", "切れ",
        "晴れ", "慣れ", "離れ", "訪れ", "乱れ", "疲れ", "入れ", "揺れ", "隠れ", "触れ", "荒れ", "生まれ", "取れ", "連れ", "生れ", "答え", "考え", "例え", "支え", "備え", "教え", "覚え", "構え", "消え", "見え",
        "増え", "越え",
        "超え", "替え", "換え", "向け", "付け", "受け", "分け", "掛け", "明け", "助け", "任せ", "寄せ", "載せ", "知らせ", "合わせ",
    ]

    /// Japanese verb stems that switch a safety step off; negating them keeps the step.
    static let jaDisableStems: [[UInt8]] = ["切ら", "外さ", "無効", "止め", "飛ばさ", "スキップ", "消さ", "省略", "省か", "オフに", "削除", "無視"]
        .map { Array($0.utf8) }

    /// Words that make a control the setting of an act, not its object (see `isSetting`).
    static let enSettings: Set<String> = ["during", "while", "in"]
    static let jaSettings: [[UInt8]] = ["中", "時", "の間", "実行時", "のとき", "の時"].map { Array($0.utf8) }

    /// Purpose clauses ("飛ばしたいときは"): the act is the goal of a how-to, not an order.
    static let jaPurposes: [[UInt8]] = ["たいとき", "たい場合", "するには", "たいなら"].map { Array($0.utf8) }

    /// Look like negations but are not: 必ず is "always", polite requests and permissions end in ません.
    static let jaDecoys: [[UInt8]] = [
        "必ず", "まず", "いずれ", "ずっと", "はず", "少な", "危な", "ないし", "ませんか", "ないでしょうか", "ないか", "いただけない", "なければ", "なくては", "ないといけ", "ねばなら",
        "もらえない", "くれない", "かまいません", "構いません", "かまわない", "構わない", "差し支え", "関係なく", "ではありません", "ではない", "じゃない",
    ].map { Array($0.utf8) }
}
