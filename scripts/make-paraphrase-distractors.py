#!/usr/bin/env python3
"""Writes Benchmarks/paraphrase/distractors.jsonl: the memories that surround the answers of the
paraphrase retrieval set (Benchmarks/paraphrase/pairs.jsonl), half English, half Japanese, in
the same domains (engineering notes, team facts, personal notes), from templates with many
slots and a fixed seed, so that the file is the same on every run.

The templates keep away from the topics the pairs ask about (the release process, on-call,
credentials, conventions the pairs state, the personal facts they hold...): a distractor may
share words with a query, as a real store would, but never answers it.
scripts/check-paraphrase-set.py checks that none is a near-copy of a pair's memory.

Usage: python3 scripts/make-paraphrase-distractors.py [COUNT_PER_LANGUAGE]   (default 2700)"""
import json, os, random, sys

SEED = 20240607
PER_LANG = int(sys.argv[1]) if len(sys.argv) > 1 else 2700
rng = random.Random(SEED)
pick = rng.choice


def some(items, k):
    return rng.sample(items, k)


# ----------------------------------------------------------------------------- English slots

COMPONENTS = [
    "report builder", "CSV importer", "tag autocomplete", "org chart page", "calendar sync", "inventory forecaster",
    "label printer service", "warehouse scanner app", "survey builder", "referral tracker", "shift planner",
    "recipe catalogue", "data catalog", "timesheet exporter", "partner portal", "kiosk app", "fleet tracker",
    "event ingester", "rules engine", "pricing calculator", "quote generator", "asset registry", "badge printer",
    "telemetry collector", "ticket triage bot", "sitemap generator", "quiz engine", "course player",
    "reservation engine", "delivery slot planner", "barcode lookup", "weather widget", "spam filter",
    "document OCR", "voice transcription", "chat widget", "floor plan editor", "lead scoring job",
    "sales forecast notebook", "course catalogue", "store locator", "room acoustics simulator", "seed catalogue",
]
PROJECTS = ["OPS", "WEB", "APP", "DATA", "CORE", "LAB", "MKT", "FLT", "WH", "EDU"]
PEOPLE = ["Alex", "Bea", "Chen", "Daniela", "Emeka", "Fatima", "Goran", "Ines", "Jonas", "Kofi", "Leila", "Marco",
          "Nadia", "Oskar", "Paula", "Quentin", "Rafael", "Sione", "Tariq", "Ugo", "Vera", "Wen", "Xavier", "Yara",
          "Zoltan", "Ayumi", "Daisuke", "Haruka", "Ryo", "Sho", "Mei", "Takumi", "Naoko", "Kaito", "Rin", "Bruno",
          "Clara", "Dev", "Elif", "Finn", "Greta", "Hamid", "Ivo", "Jana", "Kasia", "Luca", "Mateo", "Nils"]
TEAMS = ["the warehouse squad", "the learning team", "the data platform group", "the field apps team",
         "the growth pod", "the internal tools crew", "the logistics team", "the partner team"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def date_en():
    return f"{pick(MONTHS)} {rng.randint(1, 28)}"


def date_range():
    """Two month indexes and days in order, a few days to a few weeks apart."""
    m, d = rng.randrange(12), rng.randint(1, 20)
    days = rng.randint(3, 25)
    m2, d2 = (m, d + days) if d + days <= 28 else ((m + 1) % 12, d + days - 28)
    return m, d, m2, d2


def date_range_en():
    m, d, m2, d2 = date_range()
    return f"{MONTHS[m]} {d}", f"{MONTHS[m2]} {d2}"


def date_range_ja():
    m, d, m2, d2 = date_range()
    return f"{m + 1}月{d}日", f"{m2 + 1}月{d2}日"


def ticket():
    return f"{pick(PROJECTS)}-{rng.randint(100, 4999)}"


SYMPTOMS = ["a crash", "wrong totals", "an empty result page", "a 500 on save", "stale numbers", "a double submit",
            "garbled umlauts", "a race on startup", "missing rows", "a frozen progress bar", "a broken sort order",
            "an infinite redirect", "a slow first paint", "truncated labels", "wrong week numbers",
            "a blank preview", "an off-screen dialog", "a negative quantity", "a duplicated header row",
            "a stuck 'processing' state"]
CONDITIONS = ["when the list is empty", "for people with very long names", "on the first day of a month",
              "after a browser tab is restored", "when two people edit the same record", "with more than 10,000 items",
              "on leap days", "in dark mode", "right after midnight", "when the locale is Turkish",
              "on slow networks", "after a partial import", "when a column header has trailing spaces",
              "on tablets in landscape", "when the name contains an emoji"]
CAUSES = ["an unguarded optional", "a shared mutable formatter", "an off-by-one in the window bounds",
          "a cached value that outlived its owner", "integer division where a float was needed",
          "a regular expression that was too greedy", "a listener registered twice", "a stale config value",
          "a copy-paste of the wrong constant", "locale-sensitive string comparison", "an unawaited promise",
          "a missing uniqueness check", "a mutable default argument", "a shadowed variable in a closure",
          "a lookup table built before the data arrived"]


def en_bugfix():
    return pick([
        f"Fixed {pick(SYMPTOMS)} in the {pick(COMPONENTS)} {pick(CONDITIONS)}. Root cause: {pick(CAUSES)} ({ticket()}).",
        f"{ticket()}: the {pick(COMPONENTS)} showed {pick(SYMPTOMS)} {pick(CONDITIONS)}; it was {pick(CAUSES)}.",
        f"Bug in the {pick(COMPONENTS)}: {pick(SYMPTOMS)} {pick(CONDITIONS)}. {pick(PEOPLE)} traced it to {pick(CAUSES)} and patched it on {date_en()}.",
    ])


SETTING_KEYS = ["MAX_BATCH", "WORKER_COUNT", "SAMPLE_RATE", "CHUNK_SIZE", "PREVIEW_LIMIT", "SCAN_INTERVAL",
                "EXPORT_DIR", "LOCALE_FALLBACK", "MAX_COLUMNS", "QUEUE_DEPTH", "THUMB_WIDTH", "POLL_SECONDS"]
SETTING_SOURCES = ["config/app.toml", "the Helm values file", "settings.json next to the binary", "the admin panel",
                   "config/defaults.yml", "an environment variable", "the per-tenant settings table"]
EFFECTS = ["raising it mostly costs memory", "lowering it makes imports slower but steadier",
           "nobody remembers why it was set that way", "changes apply without a restart",
           "it needs a restart to take effect", "setting it to zero disables the feature entirely"]


def en_config():
    key = pick(SETTING_KEYS)
    val = pick(["8", "16", "32", "250", "1000", "0.2", "5", "60", "ja-JP", "/var/tmp/out"])
    return pick([
        f"The {pick(COMPONENTS)} reads {key} from {pick(SETTING_SOURCES)}; it defaults to {val}, and {pick(EFFECTS)}.",
        f"{key} in the {pick(COMPONENTS)} is {val} on every tenant except the pilot ones; {pick(EFFECTS)}.",
    ])


LIBS = ["lodash", "pydantic", "SwiftNIO", "Alamofire", "Jackson", "pandas", "numpy", "Spring Boot", "Rails", "Django",
        "Express", "Flask", "Pillow", "OkHttp", "Retrofit", "Vite", "Jest", "pytest", "RSpec", "Chart.js", "D3",
        "Three.js", "Leaflet", "ffmpeg", "ImageMagick", "zlib", "libxml2", "Kotlin coroutines", "Polars", "FastAPI"]
UPGRADE_NOTES = ["no code changes were needed", "two deprecated calls had to be replaced",
                 "a snapshot test needed regenerating", "cold start got noticeably faster",
                 "it drops support for the old plugin interface", "the bundle grew by 12 kB",
                 "one transitive package disappeared", "a warning about implicit conversions is now an error",
                 "memory use went down by about a tenth"]


def version():
    return f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"


def versions():
    """An older and a newer version of the same package."""
    major, minor = rng.randint(1, 9), rng.randint(0, 20)
    if rng.random() < 0.3:
        return f"{major}.{minor}.{rng.randint(0, 9)}", f"{major + 1}.0.{rng.randint(0, 3)}"
    return f"{major}.{minor}.{rng.randint(0, 9)}", f"{major}.{minor + rng.randint(1, 4)}.{rng.randint(0, 9)}"


def yen(low, high):
    return f"¥{rng.randint(low, high) * 100:,}"


def en_upgrade():
    return pick([
        "Upgraded {} from {} to {} in the {}; {}.".format(pick(LIBS), *versions(), pick(COMPONENTS), pick(UPGRADE_NOTES)),
        f"{pick(PEOPLE)} moved the {pick(COMPONENTS)} to {pick(LIBS)} {version()} on {date_en()} — {pick(UPGRADE_NOTES)}.",
    ])


DECISIONS = [
    ("WebSockets", "polling every few seconds", "the polling load was most of our traffic"),
    ("SQLite files per tenant", "one shared JSON blob", "exports of a single tenant became trivial"),
    ("a state machine", "a pile of boolean fields", "impossible combinations kept showing up"),
    ("presigned object-storage links", "streaming files through the app", "large downloads tied up workers"),
    ("server-side rendering", "a client-only bundle", "the first page took too long on old phones"),
    ("one scheduler table", "ad-hoc timers in each process", "timers were lost on every redeploy"),
    ("Rust", "C", "the parser kept hitting memory-safety bugs"),
    ("CSV with a header row", "fixed-width text files", "partners kept miscounting columns"),
    ("a vendored copy of the parser", "the upstream package", "upstream had been unmaintained for two years"),
    ("Markdown", "a WYSIWYG editor", "pasted formatting broke the layout"),
    ("a single wide events table", "one table per event kind", "adding an event kind needed no migration"),
    ("a print stylesheet", "a separate printable page", "the two kept drifting apart"),
    ("OpenTelemetry traces", "hand-written timing logs", "the timing logs never agreed with each other"),
]


def en_decision():
    a, b, why = pick(DECISIONS)
    return pick([
        f"Decided on {date_en()}: the {pick(COMPONENTS)} will use {a} rather than {b}, mainly because {why}.",
        f"{pick(TEAMS).capitalize()} chose {a} over {b} for the {pick(COMPONENTS)} — {why}.",
    ])


def en_handover():
    p1, p2 = some(PEOPLE, 2)
    return pick([
        "{} is away from {} to {}; questions about the {} go to {} meanwhile.".format(p1, *date_range_en(), pick(COMPONENTS), p2),
        f"{p1} handed the {pick(COMPONENTS)} over to {p2} in {pick(MONTHS)}; the old notes are in {p1}'s folder.",
        "Ask {0} about the {2} internals; {1} knows why it was built that way.".format(p1, p2, pick(COMPONENTS)),
    ])


HARDWARE = ["a 4-core laptop", "two c6g.large machines", "the old bare-metal box", "a single 8 GB container",
            "the shared test server", "an M2 Mac mini", "a Raspberry Pi 5"]


def en_benchmark():
    return pick([
        f"Measured on {date_en()}: the {pick(COMPONENTS)} handled {rng.randint(40, 4000)} requests a second, p95 {rng.randint(8, 900)} ms, on {pick(HARDWARE)}.",
        f"The {pick(COMPONENTS)} processes a {rng.randint(10, 900)} MB file in {rng.randint(3, 240)} seconds on {pick(HARDWARE)}.",
    ])


TASKS = [("rebuild the docs site", "make docs"), ("regenerate the icon font", "npm run icons"),
         ("update the country list", "python3 tools/countries.py"), ("render the diagrams", "make diagrams"),
         ("rebuild the font subset for the kiosk", "make glyphs"),
         ("compile the email templates", "make mjml"), ("bump the copyright year", "tools/copyright --year"),
         ("refresh the demo screenshots", "npm run screenshots"), ("recompute the sitemap", "rake sitemap:refresh"),
         ("rebuild the offline map tiles", "make tiles"), ("refresh the seed catalogue photos", "make seeds"),
         ("re-encode the tutorial videos", "tools/encode.sh")]


def en_howto():
    task, cmd = pick(TASKS)
    return pick([
        f"To {task}, run `{cmd}` from the repository root; it takes about {rng.randint(1, 25)} minutes.",
        f"{task.capitalize()}: `{cmd}`, then commit the output; {pick(PEOPLE)} wrote the script.",
    ])


INCIDENT_CAUSES = ["a bad translation file with an unescaped quote", "an exhausted thread pool",
                   "clock skew on one host", "a typo in the routing table", "a retry storm from an old client",
                   "a schema mismatch between two services", "an oversized payload from a partner",
                   "a deadlock between two batch jobs", "a missing locale header", "a leap-day date calculation",
                   "a half-finished data backfill", "a partner sending the same file twice"]
FOLLOWUPS = ["add a guard and an alert", "write a regression test", "document the manual recovery",
             "ask the partner for checksums", "split the job in two", "add a dry-run mode"]


def en_incident():
    return pick([
        f"{date_en()}: the {pick(COMPONENTS)} was degraded for {rng.randint(4, 180)} minutes after {pick(INCIDENT_CAUSES)}. Follow-up: {pick(FOLLOWUPS)}.",
        f"Post-incident note ({date_en()}): {pick(INCIDENT_CAUSES)} took the {pick(COMPONENTS)} down; owner of the follow-up is {pick(PEOPLE)}.",
    ])


STYLE_RULES = {
    "Kotlin": ["prefer sealed classes for results", "no `!!` outside tests", "extension functions live next to their type"],
    "Python": ["type hints on every public function", "dataclasses instead of bare dicts for records",
               "no mutable default arguments"],
    "Swift": ["prefer value types for models", "mark classes final unless designed for subclassing",
              "keep extensions grouped by protocol"],
    "Go tests": ["table-driven with named cases", "t.Parallel() unless the test touches globals",
                 "golden files live in testdata/"],
    "shell scripts": ["start with set -euo pipefail", "quote every expansion", "no bashisms in files named .sh"],
    "CSS": ["one component per file", "no IDs in selectors", "use the spacing scale, never raw pixels"],
    "Rust": ["no unwrap in library code", "clippy pedantic in CI", "errors via thiserror enums"],
    "test names": ["read as a sentence", "say the condition and the outcome", "no numbers like test1"],
}


def en_style():
    lang = pick(list(STYLE_RULES))
    return pick([
        f"{lang}: {pick(STYLE_RULES[lang])}.",
        f"Style note for {lang} — {pick(STYLE_RULES[lang])}; {pick(PEOPLE)} raised it in a code walkthrough.",
    ])


def en_infra():
    return pick([
        f"The {pick(COMPONENTS)} runs {rng.randint(1, 12)} workers on {pick(HARDWARE)}; peak memory is about {rng.randint(1, 24)} GB.",
        f"The {pick(COMPONENTS)} keeps its files on the {pick(['nfs-02', 'archive', 'scratch', 'media', 'cold'])} volume, about {rng.randint(20, 900)} GB so far.",
    ])


COMPANIES = ["Hoshino Logistics", "Brightwave Schools", "Kestrel Foods", "Nordlys Clinics", "Marlow & Finch",
             "Sakura Mobility", "Tidewater Books", "Quartz Dental", "Ironbark Farms", "Lumen Studios",
             "Aoba Realty", "Pelican Air Cargo", "Greenfield Council", "Orbit Fitness"]
PLANS = ["Starter", "Team", "Business", "Enterprise", "Education"]


def en_customer():
    return pick([
        f"{pick(COMPANIES)} has {rng.randint(5, 900)} seats on the {pick(PLANS)} plan; their contact is {pick(PEOPLE)}.",
        f"{pick(COMPANIES)} mostly uses the {pick(COMPONENTS)} and asked for {pick(['an export API', 'SAML', 'a Japanese UI', 'bulk edit', 'custom fields', 'offline mode'])} in {pick(MONTHS)}.",
    ])


OUTCOMES = ["we drop the legacy XML import at the end of the quarter", "the pilot with two warehouses continues",
            "the offline mode is postponed to next half", "field names in the export stay as they are",
            "we buy the scanner hardware instead of renting", "the kiosk app gets a simpler home screen",
            "reports older than five years move to the archive view", "the quiz engine gets a timer option",
            "the partner portal keeps the old login page until summer", "we stop supporting fax orders"]


def en_meeting():
    return pick([
        f"Outcome of the {pick(['product sync', 'partner call', 'steering meeting', 'design crit', 'customer workshop'])} on {date_en()}: {pick(OUTCOMES)}.",
        f"{pick(PEOPLE)} and {pick(PEOPLE)} agreed that {pick(OUTCOMES)}.",
    ])


VENDORS = ["the HR system", "the weather provider", "the geocoder", "the CRM", "the ticketing tool",
           "the calendar provider", "the bank feed", "the school portal", "the e-signature service", "the fleet GPS feed"]
QUIRKS = ["returns 200 with an error body when the token is wrong", "starts pages at 0 but reports the last page 1-based",
          "silently truncates fields longer than 255 characters", "rejects requests without a User-Agent",
          "caps batch calls at 50 items", "reorders fields between versions, so never parse by position",
          "needs an Accept header even for DELETE", "returns booleans as the strings 'Y' and 'N'",
          "uses 202 for things that already finished", "swaps latitude and longitude in the bulk endpoint",
          "sends empty strings instead of null"]


def en_vendor():
    return pick([
        f"Quirk: {pick(VENDORS)} {pick(QUIRKS)}.",
        f"Watch out, {pick(VENDORS)} {pick(QUIRKS)}; {pick(PEOPLE)} lost an afternoon to it.",
    ])


LESSONS = ["print the actual bytes before blaming the parser", "check which config file was really loaded",
           "bisect instead of guessing", "reproduce with production-sized data before optimising",
           "read the vendor changelog before upgrading anything", "a green test that never ran is worse than a red one",
           "write down the hypothesis before changing code", "compare against a clean checkout first",
           "the slow part was the serialisation, not the query", "half the weirdness came from a stale build directory"]


def en_lesson():
    return pick([f"Lesson from the {pick(COMPONENTS)}: {pick(LESSONS)}.",
                 f"Debugging note ({pick(PEOPLE)}): {pick(LESSONS)}."])


def en_reminder():
    return pick([
        f"Reminder: ask {pick(PEOPLE)} for the {pick(COMPONENTS)} sample files before {date_en()}.",
        f"To do: archive the old {pick(COMPONENTS)} wiki pages by {date_en()}.",
        f"Renew the {pick(VENDORS)} contract before {date_en()}; {pick(PEOPLE)} has the quote.",
    ])


# English, personal

DISHES = [("banana bread", ["ripe bananas", "brown butter", "walnuts"], "bake", 55),
          ("shakshuka", ["tomatoes", "eggs", "cumin"], "simmer", 20), ("lasagna", ["ragù", "béchamel", "parmesan"], "bake", 45),
          ("granola", ["oats", "honey", "almonds"], "toast", 25), ("hummus", ["chickpeas", "tahini", "lemon"], "blend", 5),
          ("focaccia", ["flour", "olive oil", "rosemary"], "bake", 22), ("tomato soup", ["tomatoes", "garlic", "basil"], "simmer", 30),
          ("chili", ["beans", "beef", "smoked paprika"], "simmer", 90), ("overnight oats", ["oats", "yogurt", "berries"], "chill", 480),
          ("roast chicken", ["lemon", "thyme", "garlic"], "roast", 75), ("lemon cookies", ["butter", "sugar", "lemon zest"], "bake", 12),
          ("ratatouille", ["aubergine", "courgette", "peppers"], "stew", 50)]


def en_recipe():
    name, ings, method, minutes = pick(DISHES)
    a, b, c = ings
    return pick([
        f"{name.capitalize()}: {a}, {b} and {c}; {method} for {minutes} minutes.",
        f"My {name}: {method} {minutes} minutes, and don't skimp on the {pick(ings)}.",
    ])


PLACES_FOOD = [("Pizzeria Da Isa", "Nakameguro", "margherita"), ("Taco Loco", "Shimokitazawa", "al pastor tacos"),
               ("Bangkok Kitchen", "Ebisu", "green curry"), ("Pho Saigon", "Koenji", "beef pho"),
               ("Brooklyn Burgers", "Shibuya", "cheeseburger"), ("Torikizoku", "Ikebukuro", "yakitori"),
               ("Okonomiyaki Kiji", "Marunouchi", "okonomiyaki"), ("Bagel Club", "Kichijoji", "salmon bagel"),
               ("Dim Sum House", "Yokohama Chinatown", "har gow"), ("Falafel Brothers", "Roppongi", "falafel wrap")]


def en_restaurant():
    name, area, dish = pick(PLACES_FOOD)
    return pick([
        f"{name} in {area}: the {dish} was {pick(['excellent', 'fine but pricey', 'worth the wait', 'too salty'])}; about {yen(12, 60)} a head.",
        f"Try {name} ({area}) again — {pick(PEOPLE)} liked the {dish}.",
    ])


TRIPS = [("Fukuoka", "the yatai stalls by the river close early on Sundays"), ("Nagoya", "book the castle tour online"),
         ("Sendai", "the gyutan place near the station has a long queue at noon"),
         ("Seoul", "a T-money card works on buses and the subway"), ("Taipei", "the night market is best after 21:00"),
         ("Lisbon", "tram 28 is packed, walk instead"), ("Vienna", "museums are free on the first Sunday"),
         ("Hiroshima", "the ferry to Miyajima runs every 15 minutes"), ("Matsumoto", "rent bikes at the station"),
         ("Nikko", "the shrines are crowded after 10:00")]


def en_trip():
    city, tip = pick(TRIPS)
    return pick([f"{city} trip ({pick(MONTHS)}): {tip}.", f"Note for next time in {city}: {tip}."])


ITEMS = ["a cordless vacuum", "noise-cancelling headphones", "a desk chair", "a blender", "an air purifier",
         "a folding umbrella", "a standing desk", "a label maker", "a cast-iron pan", "a kettle"]
SHOPS = ["Yodobashi", "Bic Camera", "Muji", "Nitori", "Tokyu Hands", "Amazon", "Loft"]


def en_purchase():
    return pick([
        f"Bought {pick(ITEMS)} at {pick(SHOPS)} on {date_en()} for {yen(20, 900)}; warranty until {rng.randint(2025, 2029)}.",
        f"Returned {pick(ITEMS)} to {pick(SHOPS)}; refund should arrive within {rng.randint(3, 14)} days.",
    ])


FRIEND_FACTS = ["she just started a job at a bakery", "he is learning the cello", "they adopted a rescue dog",
                "she runs a small pottery studio", "he moved back from Berlin", "they are expecting twins in spring"]


def en_friend():
    return pick([
        f"{pick(PEOPLE)}'s new flat is in {pick(['Setagaya', 'Kawasaki', 'Mitaka', 'Urawa', 'Chiba'])}; {pick(FRIEND_FACTS)}.",
        f"Catch-up with {pick(PEOPLE)}: {pick(FRIEND_FACTS)}.",
    ])


ACTIVITIES = ["Futsal", "Bouldering", "Pottery class", "Choir practice", "Badminton", "Yoga", "Life drawing"]


def en_hobby():
    return pick([
        f"{pick(ACTIVITIES)} on {pick(WEEKDAYS)}s at {rng.randint(18, 20)}:{pick(['00', '30'])}, {yen(5, 30)} per session.",
        f"{pick(ACTIVITIES)}: bring {pick(['indoor shoes', 'a towel', 'your own apron', 'a water bottle'])}, and pay at the desk.",
    ])


RECS = [("podcast", "Hard Fork"), ("podcast", "Darknet Diaries"), ("board game", "Wingspan"), ("board game", "Azul"),
        ("podcast", "Rebuild"), ("board game", "Codenames"), ("album", "Kind of Blue")]


def en_rec():
    kind, title = pick(RECS)
    return f"{pick(PEOPLE)} recommended the {kind} '{title}'."


APPLIANCES = ["Air conditioner", "Range hood", "Water purifier", "Dryer", "Dehumidifier"]


def en_household():
    return pick([
        f"{pick(APPLIANCES)} filter replaced on {date_en()}; the next one is due in {rng.randint(2, 12)} months.",
        f"The {pick(['fuse box', 'water meter', 'gas shut-off valve', 'router'])} is {pick(['behind the coat rack', 'in the hall cupboard', 'under the sink', 'on the balcony'])}.",
    ])


# ----------------------------------------------------------------------------- Japanese slots

JA_COMPONENTS = ["アンケート機能", "人気ランキング", "お知らせ一覧", "マイページ", "商品詳細画面", "お気に入り機能",
                 "レコメンド", "チャット機能", "会員ランク", "ギフト機能", "ニュース配信", "タイムライン", "注文履歴",
                 "スタンプカード", "アバター設定", "売上グラフ", "シフト管理", "配車システム", "物件一覧", "求人一覧",
                 "イベント申込", "抽選機能", "チケット発券", "音声入力", "天気ウィジェット", "間取り図エディタ",
                 "見積もりシミュレーター", "予約リマインダー", "在室表示", "資産台帳"]
JA_PEOPLE = ["伊藤", "渡辺", "中村", "小川", "加藤", "吉田", "山口", "松本", "井上", "木村", "林", "清水", "山崎",
             "池田", "阿部", "橋本", "石川", "前田", "藤田", "後藤", "岡田", "長谷川", "村上", "近藤", "石井",
             "坂本", "遠藤", "青木", "藤井", "西村", "福田", "太田", "三浦", "藤原", "岡本", "松田", "中川"]
JA_TEAMS = ["物流チーム", "教育サービス班", "データ基盤グループ", "現場アプリ班", "グロース班", "社内ツール班"]


def ja_date():
    return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def ja_person():
    return pick(JA_PEOPLE) + "さん"


JA_SYMPTOMS = ["画面が真っ白になる", "合計がずれる", "同じ行が二重に出る", "保存で500が返る", "古い数字が残る",
               "並び順が崩れる", "無限にリダイレクトする", "ラベルが途中で切れる", "週番号が一つずれる",
               "読み込み中のまま止まる", "数量がマイナスになる", "プレビューが空になる"]
JA_CONDITIONS = ["一覧が空のとき", "名前がとても長い人だけ", "月初の一日に", "タブを復元した直後に",
                 "二人が同じデータを同時に編集すると", "一万件を超えると", "うるう日に", "ダークモードで",
                 "日付が変わった直後に", "回線が遅い環境で", "途中まで取り込んだあとに", "横向きのタブレットで"]
JA_CAUSES = ["オプショナルのチェック漏れ", "使い回していた日付フォーマッタ", "範囲の境界の一つずれ",
             "寿命を過ぎたメモ化の値", "整数同士の割り算", "欲張りすぎた正規表現", "二重に登録されたリスナー",
             "古い設定値の読み込み", "別の定数のコピペ", "ロケール依存の文字列比較", "await の付け忘れ",
             "重複チェックの抜け"]


def ja_bugfix():
    return pick([
        f"{pick(JA_COMPONENTS)}で{pick(JA_CONDITIONS)}{pick(JA_SYMPTOMS)}不具合を修正。原因は{pick(JA_CAUSES)}だった。",
        f"{pick(JA_COMPONENTS)}：{pick(JA_CONDITIONS)}{pick(JA_SYMPTOMS)}件、{ja_person()}が{pick(JA_CAUSES)}を突き止めて{ja_date()}に直した。",
        f"{ticket()} {pick(JA_COMPONENTS)}の{pick(JA_SYMPTOMS)}問題。{pick(JA_CAUSES)}が原因、修正済み。",
    ])


JA_SETTING_SOURCES = ["config/app.toml", "Helm の values", "管理画面の詳細設定", "テナントごとの設定テーブル",
                      "環境変数"]
JA_EFFECTS = ["上げるとメモリを食う", "下げると取り込みは遅いが安定する", "なぜこの値なのか誰も覚えていない",
              "再起動なしで反映される", "反映には再起動が必要", "0 にすると機能ごと無効になる"]


def ja_config():
    return pick([
        f"{pick(JA_COMPONENTS)}は {pick(SETTING_KEYS)} を{pick(JA_SETTING_SOURCES)}から読む。既定値は {pick(['8', '16', '250', '1000', '0.2', '60'])}、{pick(JA_EFFECTS)}。",
        f"{pick(SETTING_KEYS)} はパイロット先以外すべて {pick(['4', '32', '500', '0.5'])}。{pick(JA_EFFECTS)}。",
    ])


JA_UPGRADE_NOTES = ["コード修正は不要だった", "非推奨の呼び出しを二か所直した", "スナップショットテストを作り直した",
                    "起動が目に見えて速くなった", "古いプラグイン方式が使えなくなった", "バンドルが12kB増えた",
                    "暗黙の型変換の警告がエラーになった"]


def ja_upgrade():
    return pick([
        "{}の {} を {} から {} に上げた。{}。".format(pick(JA_COMPONENTS), pick(LIBS), *versions(), pick(JA_UPGRADE_NOTES)),
        f"{ja_person()}が{ja_date()}に {pick(LIBS)} {version()} へ移行、{pick(JA_UPGRADE_NOTES)}。",
    ])


JA_DECISIONS = [
    ("WebSocket", "数秒おきのポーリング", "ポーリングがトラフィックの大半を占めていたから"),
    ("テナントごとの SQLite", "共有の JSON 一つ", "一社分の書き出しが簡単になるから"),
    ("状態遷移表", "真偽値のフラグの山", "ありえない組み合わせが何度も出たから"),
    ("署名付きURLでの直接ダウンロード", "アプリ経由の中継", "大きなファイルでワーカーが詰まったから"),
    ("サーバーサイドレンダリング", "クライアントだけの描画", "古い端末で最初の表示が遅すぎたから"),
    ("Markdown", "WYSIWYG エディタ", "貼り付けた書式でレイアウトが崩れたから"),
    ("横長のイベント表一つ", "種類ごとの表", "種類を足すたびの移行が要らなくなるから"),
    ("印刷用スタイルシート", "印刷専用の別ページ", "二つの内容がずれていく一方だったから"),
]


def ja_decision():
    a, b, why = pick(JA_DECISIONS)
    return pick([
        f"{ja_date()}決定：{pick(JA_COMPONENTS)}は{b}ではなく{a}にする。{why}。",
        f"{pick(JA_TEAMS)}は{pick(JA_COMPONENTS)}で{a}を採用、{b}はやめた。{why}。",
    ])


def ja_handover():
    a, b = some(JA_PEOPLE, 2)
    return pick([
        "{}さんは{}から{}まで不在。その間の{}の質問は{}さんへ。".format(a, *date_range_ja(), pick(JA_COMPONENTS), b),
        f"{pick(JA_COMPONENTS)}の担当は{pick(MONTHS_JA)}に{a}さんから{b}さんへ引き継いだ。",
        f"{pick(JA_COMPONENTS)}の内部実装は{a}さん、作られた経緯は{b}さんが詳しい。",
    ])


MONTHS_JA = [f"{m}月" for m in range(1, 13)]
JA_HARDWARE = ["4コアのノートPC", "古い物理サーバー", "8GBのコンテナ一つ", "共用の検証機", "M2 の Mac mini",
               "Raspberry Pi 5"]


def ja_benchmark():
    return pick([
        f"{ja_date()}計測：{pick(JA_COMPONENTS)}は{pick(JA_HARDWARE)}で毎秒{rng.randint(40, 4000)}件、p95 は{rng.randint(8, 900)}ミリ秒。",
        f"{pick(JA_COMPONENTS)}は{rng.randint(10, 900)}MBのファイルを{pick(JA_HARDWARE)}で{rng.randint(3, 240)}秒かけて処理する。",
    ])


JA_TASKS = [("ドキュメントサイトの再生成", "make docs"), ("アイコンフォントの作り直し", "npm run icons"),
            ("国名リストの更新", "python3 tools/countries.py"), ("構成図の書き出し", "make diagrams"),
            ("メールテンプレートのコンパイル", "make mjml"), ("デモ用スクリーンショットの撮り直し", "npm run screenshots"),
            ("サイトマップの再計算", "rake sitemap:refresh"), ("オフライン地図タイルの生成", "make tiles"),
            ("チュートリアル動画の再エンコード", "tools/encode.sh")]


def ja_howto():
    task, cmd = pick(JA_TASKS)
    return pick([
        f"{task}は、リポジトリ直下で `{cmd}` を実行。{rng.randint(1, 25)}分ほどかかる。",
        f"{task}：`{cmd}` のあと出力をコミットする。スクリプトを書いたのは{ja_person()}。",
    ])


JA_INCIDENT_CAUSES = ["引用符がエスケープされていない言語ファイル", "スレッドプールの枯渇", "一台だけの時計ずれ",
                      "ルーティング表の打ち間違い", "古いクライアントからの再送の嵐", "サービス間のスキーマ不一致",
                      "取引先からの巨大なペイロード", "夜間処理どうしのデッドロック", "途中で止まったデータ移行",
                      "同じファイルの二重送信"]


def ja_incident():
    return pick([
        f"{ja_date()}、{pick(JA_INCIDENT_CAUSES)}のせいで{pick(JA_COMPONENTS)}が{rng.randint(4, 180)}分ほど不安定だった。",
        f"振り返りメモ：{pick(JA_COMPONENTS)}停止の原因は{pick(JA_INCIDENT_CAUSES)}。再発防止は{ja_person()}が担当。",
    ])


JA_STYLE = ["Kotlin では結果型に sealed class を使う", "Python の公開関数には型ヒントを必ず付ける",
            "シェルスクリプトは set -euo pipefail で始める", "CSS のセレクタに ID を使わない",
            "Rust のライブラリでは unwrap しない", "テスト名は条件と結果が読める文にする",
            "Swift のモデルは値型を優先する", "Go のテストはテーブル駆動で各ケースに名前を付ける"]


def ja_style():
    return pick([f"書き方メモ：{pick(JA_STYLE)}。", f"{ja_person()}の指摘：{pick(JA_STYLE)}こと。"])


def ja_infra():
    return pick([
        f"{pick(JA_COMPONENTS)}は{pick(JA_HARDWARE)}上でワーカー{rng.randint(1, 12)}本、ピーク時メモリは{rng.randint(1, 24)}GB前後。",
        f"{pick(JA_COMPONENTS)}のファイルは {pick(['nfs-02', 'archive', 'scratch', 'media'])} ボリュームに置いてあり、今{rng.randint(20, 900)}GB。",
    ])


JA_COMPANIES = ["星野ロジスティクス", "あおば学園", "北斗フーズ", "みなと歯科", "さくらモビリティ", "東雲書店",
                "緑ヶ丘クリニック", "ひかり不動産", "大河運輸", "つばさ保育園"]


def ja_customer():
    return pick([
        f"{pick(JA_COMPANIES)}は{rng.randint(5, 900)}席を契約中、窓口は{ja_person()}。",
        f"{pick(JA_COMPANIES)}は主に{pick(JA_COMPONENTS)}を使っていて、{pick(MONTHS_JA)}に{pick(['一括編集', 'SAML 連携', '英語画面', '独自項目', 'オフライン対応'])}の要望をもらった。",
    ])


JA_OUTCOMES = ["古い XML 取り込みは四半期末で終了", "倉庫二か所での試験運用は続行", "オフライン対応は下期に延期",
               "書き出しの項目名は今のまま", "スキャナはレンタルではなく購入", "キオスク端末のホーム画面を簡素化",
               "五年より前の帳簿は保管庫ビューへ移す", "FAX 注文の受付をやめる"]


def ja_meeting():
    return pick([
        f"{ja_date()}の{pick(['企画会議', '取引先との打ち合わせ', '運営会議', '顧客ワークショップ'])}の結論：{pick(JA_OUTCOMES)}。",
        f"{ja_person()}と{ja_person()}で合意：{pick(JA_OUTCOMES)}。",
    ])


JA_VENDORS = ["人事システム", "気象データ提供元", "ジオコーダ", "CRM", "電子契約サービス", "車両GPSの配信元",
              "銀行明細の連携先", "学校ポータル"]
JA_QUIRKS = ["トークンが間違っていても200でエラー本文を返す", "ページ番号は0始まりなのに最終ページだけ1始まり",
             "255文字を超える項目を黙って切り詰める", "User-Agent のないリクエストを拒否する",
             "一括呼び出しは50件が上限", "版ごとに項目の順番が変わる", "真偽値を 'Y' と 'N' の文字列で返す",
             "一括エンドポイントだけ緯度と経度が逆", "null の代わりに空文字を送ってくる"]


def ja_vendor():
    return pick([f"注意：{pick(JA_VENDORS)}は{pick(JA_QUIRKS)}。",
                 f"{pick(JA_VENDORS)}の癖：{pick(JA_QUIRKS)}。{ja_person()}が半日溶かした。"])


JA_LESSONS = ["パーサーを疑う前に実際のバイト列を出す", "本当に読み込まれた設定ファイルを確かめる",
              "当て推量より二分探索", "最適化の前に本番規模のデータで再現する",
              "一度も走っていない緑のテストは赤より悪い", "コードを触る前に仮説を書き出す",
              "遅いのはクエリではなくシリアライズだった", "妙な挙動の半分は古いビルドディレクトリのせいだった"]


def ja_lesson():
    return pick([f"{pick(JA_COMPONENTS)}での教訓：{pick(JA_LESSONS)}。", f"調査メモ（{ja_person()}）：{pick(JA_LESSONS)}。"])


def ja_reminder():
    return pick([
        f"{ja_date()}までに{ja_person()}から{pick(JA_COMPONENTS)}のサンプルをもらう。",
        f"やること：{pick(JA_COMPONENTS)}の古い設計メモを{ja_date()}までに整理。",
        f"{pick(JA_VENDORS)}の契約を{ja_date()}までに更新。見積もりは{ja_person()}が持っている。",
    ])


# Japanese, personal

JA_DISHES = [("肉じゃが", ["じゃがいも", "牛こま", "玉ねぎ"], "煮る", 25), ("親子丼", ["鶏もも", "卵", "三つ葉"], "煮る", 8),
             ("筑前煮", ["れんこん", "ごぼう", "鶏肉"], "煮る", 30), ("豚の生姜焼き", ["豚ロース", "生姜", "醤油"], "焼く", 6),
             ("茶碗蒸し", ["卵", "銀杏", "えび"], "蒸す", 15), ("ポテトサラダ", ["じゃがいも", "きゅうり", "ハム"], "和える", 10),
             ("さばの味噌煮", ["さば", "生姜", "砂糖"], "煮る", 15), ("ひじき煮", ["ひじき", "油揚げ", "にんじん"], "煮る", 20),
             ("お好み焼き", ["キャベツ", "山芋", "豚バラ"], "焼く", 12), ("かぼちゃの煮物", ["かぼちゃ", "みりん", "醤油"], "煮る", 15)]


def ja_recipe():
    name, ings, method, minutes = pick(JA_DISHES)
    a, b, c = ings
    return pick([f"{name}：{a}、{b}、{c}。{minutes}分{method}。",
                 f"うちの{name}は{pick(ings)}多め、{minutes}分ほど{method}のがコツ。"])


JA_FOOD_PLACES = [("ピッツェリア・ダ・イーサ", "中目黒", "マルゲリータ"), ("タコス屋ロコ", "下北沢", "タコス"),
                  ("バンコク食堂", "恵比寿", "グリーンカレー"), ("フォー・サイゴン", "高円寺", "牛肉のフォー"),
                  ("鳥貴", "池袋", "焼き鳥"), ("喜多八", "吉祥寺", "天ぷら定食"), ("點心樓", "横浜中華街", "小籠包"),
                  ("洋食キッチン丸", "神保町", "オムライス"), ("とんかつ多津", "上野", "ロースかつ")]


def ja_restaurant():
    name, area, dish = pick(JA_FOOD_PLACES)
    return pick([
        f"{area}の「{name}」、{dish}が{pick(['最高', 'まあまあ', '並ぶ価値あり', 'ちょっと塩辛い'])}。一人{rng.randint(12, 60) * 100}円くらい。",
        f"{ja_person()}おすすめの「{name}」（{area}）、次は{dish}を頼む。",
    ])


JA_TRIPS = [("福岡", "川沿いの屋台は日曜早じまい"), ("名古屋", "城のガイドツアーはネット予約"),
            ("仙台", "駅近くの牛タン屋は昼に行列"), ("ソウル", "T-money はバスにも地下鉄にも使える"),
            ("台北", "夜市は21時過ぎが一番"), ("広島", "宮島行きのフェリーは15分おき"),
            ("松本", "駅でレンタサイクルを借りる"), ("日光", "10時を過ぎると社寺が混む"), ("伊勢", "おかげ横丁は17時で閉まる店が多い")]


def ja_trip():
    city, tip = pick(JA_TRIPS)
    return pick([f"{city}旅行（{pick(MONTHS_JA)}）メモ：{tip}。", f"次に{city}へ行くなら：{tip}。"])


JA_ITEMS = ["コードレス掃除機", "ノイズキャンセリングのヘッドホン", "ワークチェア", "ミキサー", "空気清浄機",
            "折りたたみ傘", "スタンディングデスク", "ラベルライター", "鉄のフライパン", "電気ケトル"]
JA_SHOPS = ["ヨドバシ", "ビックカメラ", "無印良品", "ニトリ", "ハンズ", "ロフト"]


def ja_purchase():
    return pick([
        f"{ja_date()}に{pick(JA_SHOPS)}で{pick(JA_ITEMS)}を{rng.randint(20, 900) * 100}円で購入、保証は{rng.randint(2025, 2029)}年まで。",
        f"{pick(JA_ITEMS)}を{pick(JA_SHOPS)}に返品。返金は{rng.randint(3, 14)}日以内。",
    ])


JA_FRIEND_FACTS = ["パン屋で働き始めた", "チェロを習っている", "保護犬を迎えた", "小さな陶芸教室を開いた",
                   "ベルリンから戻ってきた", "春に双子が生まれる予定"]


def ja_friend():
    return pick([
        f"{ja_person()}の新居は{pick(['世田谷', '川崎', '三鷹', '浦和', '千葉'])}。{pick(JA_FRIEND_FACTS)}らしい。",
        f"{ja_person()}と久しぶりに会った。{pick(JA_FRIEND_FACTS)}とのこと。",
    ])


JA_ACTIVITIES = ["フットサル", "ボルダリング", "陶芸教室", "合唱の練習", "バドミントン", "ヨガ", "クロッキー会"]


def ja_hobby():
    return pick([
        f"仕事帰りの{pick(JA_ACTIVITIES)}は毎週{pick(['月', '火', '水', '木', '金'])}曜の{rng.randint(18, 20)}時から、一回{rng.randint(5, 30) * 100}円。",
        f"自分の{pick(JA_ACTIVITIES)}の持ち物：{pick(['室内履き', 'タオル', 'エプロン', '水筒'])}。受付で支払う。",
    ])


JA_RECS = [("ポッドキャスト", "Rebuild"), ("ボードゲーム", "カタン"), ("ボードゲーム", "ito"),
           ("ポッドキャスト", "ゆる言語学ラジオ"), ("アルバム", "Kind of Blue"), ("ボードゲーム", "ごきぶりポーカー")]


def ja_rec():
    kind, title = pick(JA_RECS)
    return f"{ja_person()}に{kind}の「{title}」を勧められた。"


JA_APPLIANCES = ["エアコン", "換気扇", "浄水器", "乾燥機", "除湿機"]


def ja_household():
    return pick([
        f"{pick(JA_APPLIANCES)}のフィルターを{ja_date()}に交換、次は{rng.randint(2, 12)}か月後。",
        f"{pick(['ブレーカー', '水道メーター', 'ガスの元栓', 'ルーター'])}は{pick(['玄関のコート掛けの裏', '廊下の収納', 'シンクの下', 'ベランダ'])}にある。",
    ])


# ----------------------------------------------------------------------------- generation

EN_FAMILIES = [(en_bugfix, 14), (en_config, 6), (en_upgrade, 7), (en_decision, 5), (en_handover, 5), (en_benchmark, 5),
               (en_howto, 4), (en_incident, 6), (en_style, 4), (en_infra, 4), (en_customer, 4), (en_meeting, 4),
               (en_vendor, 4), (en_lesson, 3), (en_reminder, 3),
               (en_recipe, 4), (en_restaurant, 4), (en_trip, 3), (en_purchase, 4), (en_friend, 3), (en_hobby, 3),
               (en_rec, 2), (en_household, 3)]
JA_FAMILIES = [(ja_bugfix, 14), (ja_config, 6), (ja_upgrade, 7), (ja_decision, 5), (ja_handover, 5), (ja_benchmark, 5),
               (ja_howto, 4), (ja_incident, 6), (ja_style, 3), (ja_infra, 4), (ja_customer, 4), (ja_meeting, 4),
               (ja_vendor, 4), (ja_lesson, 3), (ja_reminder, 3),
               (ja_recipe, 4), (ja_restaurant, 4), (ja_trip, 3), (ja_purchase, 4), (ja_friend, 3), (ja_hobby, 3),
               (ja_rec, 2), (ja_household, 3)]


def generate(families, count):
    funcs = [f for f, _ in families]
    weights = [w for _, w in families]
    seen, out = set(), []
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > count * 50:
            sys.exit(f"only {len(out)} distinct memories from the templates; add slots")
        text = rng.choices(funcs, weights)[0]()
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Benchmarks", "paraphrase", "distractors.jsonl")
    en = generate(EN_FAMILIES, PER_LANG)
    ja = generate(JA_FAMILIES, PER_LANG)
    rows = [("en", t) for t in en] + [("ja", t) for t in ja]
    rng.shuffle(rows)
    with open(path, "w", encoding="utf-8") as f:
        for n, (lang, text) in enumerate(rows, 1):
            f.write(json.dumps({"id": f"d-{n:05d}", "lang": lang, "memory": text}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} distractors ({len(en)} en, {len(ja)} ja) to {os.path.relpath(path, root)}")


if __name__ == "__main__":
    main()
