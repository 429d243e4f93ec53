#!/usr/bin/env python3
"""Writes Benchmarks/paraphrase/distractors.jsonl: the memories that surround the answers of the
paraphrase retrieval set (Benchmarks/paraphrase/pairs.jsonl), half English, half Japanese.

They are meant to look like the rest of a developer's memory store: a wide mix of notes from
61 template families per language (code facts, library APIs and versions, settings,
schema notes, shell and editor tips, customers, vendors, colleagues, one-off meetings,
office facts, computer-science and domain facts, talks, ideas; and personal notes: recipes,
restaurants, trips, purchases, friends, hobbies, books, films, games, health habits, money,
trivia, sports, shopping, family, pets, balcony garden, languages, music, tickets, gifts,
repairs, courses), each with several phrasings and many slot values. Fixed seed: the same
file on every run.

The rule of the set is that no distractor answers any pair query. The pairs ask about a long
list of team facts (the release and deploy process, outages and their causes, conventions,
tools, owners, schedules, limits, office rules...) and personal facts (doctors, allergies,
family dates, places stayed, routes, sizes, favourite things...). BLOCKED below lists those
topics, read off every pair; no family writes about any of them. Bug, incident and decision
notes are rare and about clearly unrelated features. A distractor may share words or a domain
with a query, as in a real store, but never holds what the query asks for.

scripts/check-paraphrase-set.py checks that no distractor is a near-copy of a pair memory; the
semantic review (which distractors come nearest each query under an embedding model, read by
hand) is described in Benchmarks/paraphrase/README.md.

Usage: python3 scripts/make-paraphrase-distractors.py [COUNT_PER_LANGUAGE]   (default 2600)"""
import json, os, random, re, sys, zlib

SEED = 20240611
PER_LANG = int(sys.argv[1]) if len(sys.argv) > 1 else 2600
rng = random.Random(SEED)
pick = rng.choice

# Topics the pairs ask about (one line per group of pairs); no family below writes about them.
BLOCKED = """
release/ship process, app-store submission, deploys, rollbacks, urgent fixes, code freeze, release weekdays, canaries
outages and their causes: nightly/cron jobs failing, checkout/cart page, login, duplicate e-mails, worker memory leak,
  Android crashes, flaky tests, search relevance after upgrades, stale staging data, disks filling up, post-mortems
credentials, secrets, passwords, API keys, VPN, bastion access to production, 2FA, SSO, certificates, cipher suites
conventions: branch names, commit messages, merge strategy, force pushes, PR size and approvals, review speed and prefixes,
  TODO markers, naming of tables/metrics/files/env vars/translation keys/namespaces, REST URLs, JSON key case, API
  errors/timestamps/versioning/pagination/deprecation, Go error handling, function length, tabs/spaces, formatters,
  linters and lint suppression, TypeScript strictness, SQL style, comment language, money types, dates in the DB,
  soft deletes, id generation, optimistic locking, foreign keys, bulk deletes, code owners, definition of done
tools and platforms: runtimes and language versions (Node, Python, Java, Ruby, Flutter, MySQL, iOS/Android minimums),
  JS date libraries, Excel/PDF generation, report fonts, brand colours, icons, product fonts, base images, Docker image
  size, CI duration and secrets, Jenkins, Terraform state, Kubernetes, replicas, regions, backups, failover, pooling,
  Redis, Kafka/RabbitMQ, Sidekiq queues, gRPC/protobuf, ClickHouse/BigQuery, monitoring, dashboards, alerting,
  paging/escalation, on-call and its allowance, exception tracking, load tests, E2E tools, crash analysis, A/B tests,
  search suggestions, Japanese tokenisation, feature flags, GraphQL, ORMs, monorepo, Svelte site, design system
limits and settings: ports, timeouts, retries, webhooks, rate limits, upload size and types, cache TTL, health checks,
  log retention, token lifetimes, image compression, video delivery, push-notification length, loading indicators
product rules: plans and plan changes, trials, subscription cancellation, coupons, points, stock allocation, carriers,
  returns, invoices, consumption tax, payments and test cards, SMS, postcodes, holidays, eras, character width, CSV
  encoding, addresses, maps keys, currencies, unsubscribes, support desk, personal-data retention and deletion
people and process: owners of billing/onboarding/roadmap/design system/Kubernetes/security/GDPR, schema approvals,
  retros, sprint planning, stand-ups, weekly dev meetings, design reviews, 1:1s, evaluations, hiring steps, training,
  team size, hackathons, study groups, company trips, team drinks, tech blog, external talks, OSS contributions,
  monthly reports, offshore/translation/legal vendors, estimation, test pyramid, coverage, accessibility, browsers
office and HR: expenses, attendance, vacation, working hours, remote work and allowances, working abroad, office days,
  seats and lockers, meeting-room booking, entry cards, fire drills, health checks, laptops, monitors, test devices,
  business trips (trains, hotels), conference and book budgets, phishing, confidential documents, domains, spam
personal: parking, dentist, ramen in Osaka, wife's sizes and days off, passport, medicine and food allergies, back pain,
  parents' wifi, remote-work cafe, gifts to parents, blood type, gym closing days, Kyoto/Hokkaido/Kanazawa/Hakone stays,
  curry, plumber, airport trains, frequent-flyer numbers, room sizes, car inspection/tyres/oil/parking, cat food and
  vaccines, dog walks, wine, bike insurance and registration, residence card, school start and daycare pick-up times,
  spare key, marathon and swimming goals, gluten-free cake, deposit, anniversary, hiking near Tokyo, donabe rice,
  teachers, wool laundry, recycling and bulky rubbish, sci-fi novels, nieces' and nephews' birthdays, 24 h pharmacy,
  routes to relatives, airline and train seats, tax documents, coffee order, farewell-dinner venues, piano lessons,
  watering plants, children's height, pancakes, cherry blossoms, sunscreen, suitcase lock, mother's birthday, udon,
  soba, sushi reservations, children's lessons and favourite characters, ward-office hours, residence certificates,
  furusato nozei, sake, tea, wife's favourite flower, New Year cards, eye doctor, glasses, check-up results, hay fever,
  weight, manga artists, films to watch, miso soup, gyoza, electricity and internet contracts, phone upgrades,
  movers, suits, bonsai, household-budget apps, NISA, grandmother's anniversary, neighbours, neighbourhood duties,
  camping gear, fishing spots, hairdresser, landlord
"""


def some(items, k):
    return rng.sample(items, k)


def fixed(key, options):
    """The same choice for the same key on every call, so that two notes about one thing (a
    restaurant's closing day, a colleague's team, a setting's value) never disagree."""
    return options[zlib.crc32(key.encode("utf-8")) % len(options)]


def fixed_int(key, low, high):
    return low + zlib.crc32(key.encode("utf-8")) % (high - low + 1)


SUBJECTS = []


def subject(key, limit=1):
    """Marks the note being written as being about key: a family writes at most limit notes about
    one key (one note per fact, one per customer...), as a real store holds each fact about once.
    Returns None, so that `subject(key) or f"..."` marks a note and gives its text."""
    SUBJECTS.append((key, limit))


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
JA_WEEKDAYS = ["月", "火", "水", "木", "金"]
MONTHS_JA = [f"{m}月" for m in range(1, 13)]


def date_en():
    return f"{pick(MONTHS)} {rng.randint(1, 28)}"


def date_ja():
    return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def date_en_in(months):
    """A date in one of the given months (1-12), for things that happen in a season."""
    return f"{MONTHS[pick(months) - 1]} {rng.randint(1, 28)}"


def date_ja_in(months):
    return f"{pick(months)}月{rng.randint(1, 28)}日"


def date_range():
    m, d = rng.randrange(12), rng.randint(1, 20)
    days = rng.randint(3, 20)
    m2, d2 = (m, d + days) if d + days <= 28 else ((m + 1) % 12, d + days - 28)
    return m, d, m2, d2


def date_range_en():
    m, d, m2, d2 = date_range()
    return f"{MONTHS[m]} {d}", f"{MONTHS[m2]} {d2}"


def date_range_ja():
    m, d, m2, d2 = date_range()
    return f"{m + 1}月{d}日", f"{m2 + 1}月{d2}日"


def clock():
    return f"{rng.randint(9, 18)}:{pick(['00', '15', '30', '45'])}"


def clock_ja():
    h, m = rng.randint(9, 18), pick([0, 15, 30, 45])
    return f"{h}時" if m == 0 else f"{h}時{m}分"


def yen(low, high, step=100):
    return f"¥{rng.randint(low, high) * step:,}"


def yen_ja(low, high, step=100):
    return f"{rng.randint(low, high) * step:,}円"


def versions():
    major, minor = rng.randint(1, 9), rng.randint(0, 20)
    if rng.random() < 0.3:
        return f"{major}.{minor}.{rng.randint(0, 9)}", f"{major + 1}.0.{rng.randint(0, 3)}"
    return f"{major}.{minor}.{rng.randint(0, 9)}", f"{major}.{minor + rng.randint(1, 4)}.{rng.randint(0, 9)}"


def cap(s):
    return s[:1].upper() + s[1:]


PEOPLE = ["Alex", "Bea", "Chen", "Daniela", "Emeka", "Fatima", "Goran", "Ines", "Jonas", "Kofi", "Leila", "Marco",
          "Nadia", "Oskar", "Paula", "Quentin", "Rafael", "Sione", "Tariq", "Ugo", "Vera", "Wen", "Xavier", "Yara",
          "Zoltan", "Ayumi", "Daisuke", "Haruka", "Ryo", "Sho", "Mei", "Takumi", "Naoko", "Kaito", "Rin", "Bruno",
          "Clara", "Dev", "Elif", "Finn", "Greta", "Hamid", "Ivo", "Jana", "Kasia", "Luca", "Mateo", "Nils"]
JA_NAMES = ["渡辺", "中村", "小川", "加藤", "吉田", "山口", "松本", "井上", "木村", "清水", "山崎", "池田", "阿部",
            "橋本", "石川", "前田", "藤田", "後藤", "岡田", "長谷川", "村上", "近藤", "石井", "坂本", "遠藤", "青木",
            "藤井", "西村", "福田", "太田", "三浦", "藤原", "岡本", "松田", "中川", "佐々木", "菅原", "野口", "大野",
            "平野", "上田", "杉山", "千葉", "久保", "増田", "小野", "原", "内田"]


def person():
    return pick(PEOPLE)


def ja_person():
    return pick(JA_NAMES) + "さん"


COMPONENTS = ["label printer service", "warehouse scanner app", "survey builder", "shift planner", "recipe catalogue",
              "kiosk app", "fleet tracker", "floor plan editor", "quiz engine", "course player", "seed catalogue",
              "delivery slot planner", "store locator", "quote generator", "asset registry", "venue seat map",
              "menu planner", "photo contest app", "ferry timetable app", "museum audio guide", "library lending app",
              "greenhouse monitor", "cooking class sign-up", "tour booking page", "volunteer sign-up form",
              "barcode lookup", "weather widget", "sales forecast notebook"]
JA_COMPONENTS = ["アンケート作成画面", "シフト表アプリ", "配車システム", "物件一覧", "求人一覧", "イベント申込フォーム",
                 "抽選機能", "間取り図エディタ", "見積もりシミュレーター", "資産台帳", "倉庫スキャナアプリ",
                 "ラベル印刷サービス", "レシピ一覧", "店舗マップ", "座席表ビューア", "学習コース画面", "クイズ機能",
                 "種苗カタログ", "天気ウィジェット", "温室モニター", "フェリー時刻表アプリ", "美術館の音声ガイド",
                 "図書貸出アプリ", "料理教室の申込画面", "見学ツアー予約", "ボランティア募集フォーム", "献立プランナー",
                 "写真コンテストアプリ"]
COMPANIES = ["Hoshino Logistics", "Brightwave Schools", "Kestrel Foods", "Nordlys Clinics", "Marlow & Finch",
             "Sakura Mobility", "Tidewater Books", "Ironbark Farms", "Lumen Studios", "Aoba Realty",
             "Pelican Air Cargo", "Greenfield Council", "Seto Ferries", "Kumo Museums", "Harbor Kitchen Co."]
JA_COMPANIES = ["星野ロジスティクス", "あおば学園", "北斗フーズ", "みなと建設", "さくらモビリティ", "東雲書店",
                "緑ヶ丘クリニック", "ひかり不動産", "大河運輸", "つばさ工務店", "瀬戸内フェリー", "くも美術館",
                "いろは農園", "はるかぜ観光"]
TEAMS = ["the warehouse squad", "the learning team", "the field apps team", "the growth pod", "the internal tools crew",
         "the logistics team", "the partner team", "the farm sensors group"]
JA_TEAMS = ["物流チーム", "教育サービス班", "現場アプリ班", "グロース班", "社内ツール班", "店舗支援チーム",
            "農業IoT班"]
CITIES_EN = ["Nagoya", "Fukuoka", "Sendai", "Hiroshima", "Yokohama", "Kobe", "Niigata", "Takamatsu", "Shizuoka"]
CITIES_JA = ["名古屋", "福岡", "仙台", "広島", "横浜", "神戸", "新潟", "高松", "静岡"]


# ============================================================================ English, work

CODE_FACTS = [
    ("slugify()", "utils/text.py", "strips accents before lowercasing but leaves kana and kanji untouched"),
    ("chunked()", "utils/iter.py", "yields the last chunk even when it is shorter than the requested size"),
    ("normalize_sku()", "catalog/sku.py", "uppercases and drops dashes, so AB-12 and ab12 end up as the same SKU"),
    ("pickColor()", "charts/palette.ts", "cycles through eight colours, so a ninth series looks like the first one"),
    ("mergeIntervals()", "shifts/intervals.go", "treats touching intervals such as 9–12 and 12–15 as one"),
    ("haversine()", "fleet/geo.py", "takes degrees and returns kilometres, not metres"),
    ("deepMerge()", "config/merge.js", "replaces arrays instead of concatenating them"),
    ("Weekday.fromIndex()", "planner/Weekday.kt", "counts Monday as 0, unlike java.util.Calendar"),
    ("truncate_label()", "printer/labels.py", "cuts at 28 characters, and the ellipsis counts as one of them"),
    ("SeatMap.render()", "venue/SeatMap.swift", "draws from the stage outwards, so row A ends up at the bottom of the image"),
    ("bucket_ages()", "survey/stats.py", "puts everyone aged 65 and over into a single bucket"),
    ("shuffle_questions()", "quiz/engine.py", "keeps the first question in place because it is the consent question"),
    ("simplify_track()", "fleet/track.py", "drops GPS points closer than 15 m to the previous one"),
    ("formatArea()", "floorplan/units.ts", "shows tsubo to Japanese users and square metres to everyone else"),
    ("scoreLead()", "crm/scoring.rb", "caps the score at 100 and ignores visits older than 90 days"),
    ("parse_yield()", "recipes/parse.py", "understands '4 servings' and '4人分' but not 'serves four'"),
    ("nextSlot()", "delivery/slots.go", "skips any slot that starts within 90 minutes of now"),
    ("thumbnail_grid()", "catalog/grid.py", "always builds a 3×3 grid and pads missing pictures with grey tiles"),
    ("wordCount()", "editor/stats.ts", "counts a whole URL as a single word"),
    ("dedupe_contacts()", "crm/dedupe.py", "matches on phone number first and only then on the e-mail address"),
    ("germination_days()", "seeds/data.py", "returns a (min, max) tuple, never a single number"),
    ("BarcodeReader.decode()", "scanner/Barcode.kt", "returns null for EAN-8 codes unless the lenient flag is set"),
    ("clampZoom()", "floorplan/zoom.ts", "stops at 800 % because the wall hatching turns to noise beyond that"),
    ("split_name()", "crm/names.py", "assumes the family name comes first when the input has no space"),
    ("tideAt()", "ferry/tides.ts", "interpolates linearly between the published high and low tides"),
    ("wall_length()", "floorplan/geometry.py", "measures along the centre line of a wall, not its inner face"),
    ("ticketCode()", "events/codes.ts", "leaves out 0, O, 1 and I so that codes can be read out over the phone"),
    ("frames_to_timecode()", "video/tc.py", "assumes 30 fps unless the clip says otherwise"),
    ("servings_scale()", "recipes/scale.py", "rounds eggs up to whole eggs but leaves grams as they are"),
    ("sunrise()", "greenhouse/sun.py", "uses the greenhouse's own coordinates, not the city centre's"),
    ("seat_label()", "venue/labels.py", "skips row I because it is too easy to confuse with row 1"),
    ("photo_score()", "contest/judging.py", "averages the judges' marks after dropping the highest and the lowest"),
    ("estimate_minutes()", "tours/route.py", "assumes a walking speed of 4 km/h plus two minutes per stop"),
    ("unit_price()", "menu/cost.py", "works per 100 g for solids and per 100 ml for liquids"),
    ("stopName()", "ferry/stops.ts", "falls back to the romanised name when the English one is missing"),
    ("loanDue()", "library/loans.kt", "adds fourteen days and then moves the date off any closing day"),
    ("fill_shift_gaps()", "shifts/fill.py", "prefers people who have worked the fewest weekend shifts this month"),
    ("sensor_label()", "greenhouse/labels.py", "names sensors by bed and height, e.g. B3-low"),
    ("resizeCanvas()", "floorplan/canvas.ts", "keeps the plan centred instead of anchored to the top left"),
    ("guess_category()", "catalog/guess.py", "looks only at the first three words of the product name"),
]


def en_code_fact():
    f, path, fact = pick(CODE_FACTS)
    subject(f, 2)
    return pick([
        f"{f} in {path} {fact}.",
        f"Note: `{f}` ({path}) {fact}.",
        f"Careful with {f}: it {fact}. It lives in {path}.",
        f"{person()} pointed out that {f} {fact}; see {path}.",
        f"Gotcha in {path}: {f} {fact}.",
    ])


LIB_FACTS = [
    "pandas: merge(..., validate='one_to_one') raises as soon as a key repeats",
    "numpy: argsort is only stable with kind='stable'",
    "Polars: pl.col('x').over('g') is the window version of a groupby-transform",
    "Kotlin: buildList { } reads better than a mutable list followed by toList()",
    "Swift: Array(repeating:count:) with a class instance puts the same object in every slot",
    "SQLite: ON CONFLICT ... DO UPDATE only works when a unique index covers the conflict columns",
    "PostgreSQL: generate_series over dates is the easiest way to fill the gaps in a daily chart",
    "jq: -r prints strings without the surrounding quotes",
    "ffmpeg: -ss placed before -i seeks quickly but less precisely",
    "Pillow: Image.thumbnail works in place and keeps the aspect ratio",
    "Leaflet: custom marker icons need an explicit iconSize or they render at 0×0",
    "D3: d3.timeFormat('%V') gives ISO week numbers",
    "Chart.js: set maintainAspectRatio: false or the canvas ignores the container height",
    "CSS: aspect-ratio: 1 on an image replaces the old padding-top trick",
    "Go: strings.Cut returns the part before, the part after and a found flag",
    "Rust: Vec::retain_mut lets you modify items while filtering them",
    "Bash: ${var:-fallback} also kicks in when the variable is set but empty",
    "SwiftUI: the .task modifier is cancelled automatically when the view goes away",
    "pytest: -k 'not slow' deselects tests by a name expression",
    "git: log -S'some text' finds the commit that added or removed that text",
    "Express: error middleware must take four arguments, otherwise it is treated as ordinary middleware",
    "Matplotlib: constrained_layout=True fixes overlapping axis labels",
    "RSpec: let! is evaluated eagerly, let lazily",
    "SQL: COUNT(col) skips NULLs while COUNT(*) counts every row",
    "Python: itertools.pairwise gives overlapping pairs (a, b), (b, c)",
    "Python: lstrip strips a set of characters, not a prefix; removeprefix is what you usually want",
    "TypeScript: satisfies checks a value against a type without widening it",
    "Three.js: the y axis points up, unlike in most CAD files",
    "Kotlin: the use extension closes the stream even when the block throws",
    "JavaScript: Array.prototype.at(-1) returns the last element",
    "JavaScript: Intl.NumberFormat with notation 'compact' prints 1.2K and 3.4M",
    "PostgreSQL: DISTINCT ON keeps the first row of each group according to ORDER BY",
    "CSS: gap works for flexbox too, not just grid",
    "Go: printing a time.Duration gives strings like 1h30m0s",
    "Python: functools.cache on a method keeps every instance alive",
    "Swift: a defer block runs when the scope ends, in reverse order of declaration",
    "pandas: read_csv with dtype=str keeps leading zeros in codes like 00123",
    "Kotlin: data class copy() is shallow, so nested lists are shared",
    "SQLite: ALTER TABLE can add a column but could not drop one until fairly recently",
    "Leaflet: fitBounds takes a padding option, which keeps markers away from the edges",
    "Python: enumerate takes a start argument, so enumerate(rows, 1) numbers from one",
    "CSS: position: sticky does nothing if a parent has overflow: hidden",
    "Swift: String.count counts grapheme clusters, so a flag emoji counts as one",
    "numpy: np.isclose is what you want for comparing floats, not ==",
    "D3: scaleBand().padding(0.2) is the quick way to get gaps between bars",
    "Go: a slice of a slice shares the backing array until append has to grow it",
]


def en_lib_api():
    fact = pick(LIB_FACTS)
    subject(fact, 2)
    return pick([
        f"TIL: {fact}.",
        f"{fact}.",
        f"Noticed while working on the {pick(COMPONENTS)} — {fact}.",
        f"Reminder to self: {fact}.",
    ])


LIBS = ["lodash", "pydantic", "SwiftNIO", "Alamofire", "Jackson", "pandas", "numpy", "Django", "Express", "Flask",
        "Pillow", "OkHttp", "Retrofit", "Vite", "pytest", "RSpec", "Chart.js", "D3", "Three.js", "Leaflet",
        "ImageMagick", "libxml2", "Polars", "FastAPI", "Matplotlib", "SciPy", "Ktor", "Lottie", "Kingfisher",
        "SnapKit", "Gson", "Zod", "Vue", "Tailwind CSS", "Bootstrap", "htmx", "ReportLab", "shapely", "pyproj"]
UPGRADE_NOTES = ["no code changes were needed", "two deprecated calls had to be replaced",
                 "a snapshot test needed regenerating", "start-up got noticeably faster",
                 "it drops support for the old plugin interface", "the bundle grew by 12 kB",
                 "one transitive package disappeared", "a warning about implicit conversions is now an error",
                 "memory use went down by about a tenth", "a few default styles changed a little",
                 "the type stubs finally match the runtime"]


def lib_version_of(comp, lib):
    """The version of lib that comp uses, the same in every note."""
    key = comp + "/" + lib
    return f"{fixed_int(key + 'a', 1, 9)}.{fixed_int(key + 'b', 0, 20)}.{fixed_int(key + 'c', 0, 9)}"


def en_lib_version():
    lib, comp = pick(LIBS), pick(COMPONENTS)
    subject(comp + "/" + lib)
    v = lib_version_of(comp, lib)
    return pick([
        f"The {comp} uses {lib} {v}.",
        f"The {comp} is on {lib} {v}; {fixed(comp + lib, PEOPLE)} set it up.",
        f"{lib} {v} came in with the {comp} rewrite in {fixed(comp, MONTHS)}.",
        f"Checked on {date_en()}: the {comp} runs {lib} {v}.",
    ])


def en_upgrade():
    lib, comp = pick(LIBS), pick(COMPONENTS)
    subject(comp + "/" + lib)
    old, new = versions()
    return pick([
        f"Upgraded {lib} from {old} to {new} in the {comp}; {pick(UPGRADE_NOTES)}.",
        f"{person()} moved the {comp} to {lib} {new} on {date_en()}; {pick(UPGRADE_NOTES)}.",
        f"{lib} {old} → {new} in the {comp}: {pick(UPGRADE_NOTES)}.",
    ])


SETTING_GROUPS = {
    "print": (["label printer service", "quote generator", "asset registry"], ["ラベル印刷サービス", "見積もりシミュレーター", "資産台帳"]),
    "images": (["recipe catalogue", "photo contest app", "seed catalogue"], ["レシピ一覧", "写真コンテストアプリ", "種苗カタログ"]),
    "tables": (["survey builder", "asset registry", "sales forecast notebook"], ["アンケート作成画面", "資産台帳", "求人一覧"]),
    "plans": (["floor plan editor"], ["間取り図エディタ"]),
    "maps": (["store locator", "fleet tracker", "tour booking page"], ["店舗マップ", "配車システム", "見学ツアー予約"]),
    "quiz": (["quiz engine", "course player"], ["クイズ機能", "学習コース画面"]),
    "slots": (["delivery slot planner", "cooking class sign-up", "shift planner"], ["シフト表アプリ", "料理教室の申込画面", "見学ツアー予約"]),
    "scan": (["warehouse scanner app", "barcode lookup", "library lending app"], ["倉庫スキャナアプリ", "図書貸出アプリ"]),
    "seats": (["venue seat map"], ["座席表ビューア"]),
    "charts": (["sales forecast notebook", "greenhouse monitor", "weather widget"], ["温室モニター", "天気ウィジェット"]),
    "sensors": (["greenhouse monitor"], ["温室モニター"]),
    "tides": (["ferry timetable app"], ["フェリー時刻表アプリ"]),
}
# setting: (values, group, numeric)
SETTINGS = {
    "PRINT_DPI": (["203", "300", "600"], "print", True), "LABEL_FONT_PT": (["7", "8", "9", "10"], "print", True),
    "THUMB_WIDTH": (["160", "240", "320", "480"], "images", True), "PHOTO_GRID": (["3", "4", "5"], "images", True),
    "PREVIEW_ROWS": (["20", "50", "100", "200"], "tables", True), "MAX_COLUMNS": (["12", "24", "40", "64"], "tables", True),
    "GRID_SNAP_CM": (["1", "5", "10"], "plans", True), "WALL_THICKNESS_CM": (["10", "12", "15"], "plans", True),
    "DEFAULT_ZOOM": (["12", "14", "16"], "maps", True), "GPS_INTERVAL_S": (["5", "15", "30", "60"], "maps", True),
    "SHUFFLE_ANSWERS": (["true", "false"], "quiz", False), "PASS_MARK": (["60", "70", "80"], "quiz", True),
    "SLOT_MINUTES": (["30", "60", "120"], "slots", True), "SCAN_BEEP": (["on", "off"], "scan", False),
    "SEAT_GAP_PX": (["2", "4", "6"], "seats", True), "CHART_POINTS": (["90", "180", "365"], "charts", True),
    "HUMIDITY_WARN": (["75", "80", "85"], "sensors", True), "TIDE_SOURCE": (["jma", "local-gauge"], "tides", False),
}
SETTING_SOURCES = ["config/app.toml", "settings.json next to the binary", "the admin panel", "config/defaults.yml",
                   "the per-tenant settings table", "the kiosk's local .ini file"]
EFFECTS = ["nobody remembers why it has that value", "changes show up without a restart",
           "a change needs the app to be reopened", "most customers never touch it",
           "the pilot customers asked for that value"]
NUMERIC_EFFECTS = ["raising it mostly makes the page heavier", "lowering it makes the output look coarse"]


def en_config():
    key = pick(list(SETTINGS))
    values, group, numeric = SETTINGS[key]
    comp = pick(SETTING_GROUPS[group][0])
    subject(comp + key)
    val, src = fixed(comp + key, values), fixed(comp + key, SETTING_SOURCES)
    effect = pick(EFFECTS + NUMERIC_EFFECTS) if numeric else pick(EFFECTS)
    return pick([
        f"The {comp} reads {key} from {src}; it defaults to {val}, and {effect}.",
        f"{key} for the {comp} is {val} everywhere except the pilot tenants; {effect}.",
        f"{key}={val} in the {comp} ({src}).",
    ])


SCHEMA = [
    ("shipments.carrier_ref", "is NULL for store pickups"),
    ("survey_answers.value", "is stored as text even for numeric questions"),
    ("seeds.sow_from", "holds a month number from 1 to 12, not a date"),
    ("shifts.break_minutes", "only covers the unpaid part of the break"),
    ("quiz_attempts.score", "is a whole-number percentage"),
    ("floor_plans.scale", "means pixels per centimetre"),
    ("assets.location_code", "follows building-floor-room, e.g. B2-3-14"),
    ("recipes.yield_text", "keeps whatever the author typed; the parsed number is in yield_n"),
    ("vehicles.odometer_km", "is only updated when a driver ends a trip"),
    ("venues.capacity", "counts standing places too"),
    ("courses.duration", "is minutes of video, not study time"),
    ("delivery_slots.zone", "still uses the old zone letters A–F"),
    ("quotes.valid_until", "is inclusive"),
    ("stores.opening_hours", "holds the hours for each weekday as one JSON document"),
    ("ferry_runs.weather_hold", "is set by hand by the harbour office"),
    ("labels.template_id", "points at label_templates, and 0 means the built-in default"),
    ("survey_questions.position", "goes up in steps of 10 so questions can be inserted without renumbering"),
    ("scans.device_serial", "is empty for scans typed in by hand"),
    ("tours.language", "holds two-letter codes, except for 'zh-Hant'"),
    ("greenhouse_readings.temp_c", "is an integer in tenths of a degree"),
    ("menu_items.allergens", "is a bit mask; the meaning of each bit is in allergens.md"),
    ("photos.taken_at", "comes from EXIF and is missing for screenshots"),
    ("contest_entries.category", "was free text until 2022 and is a fixed list since"),
    ("loans.returned_at", "stays NULL for items written off as lost"),
    ("tour_stops.dwell_minutes", "is a planning guess, not measured"),
    ("seed_lots.germination_rate", "comes from the supplier's test, not ours"),
    ("vehicles.plate", "keeps the kana character, e.g. 品川 300 さ 12-34"),
    ("volunteers.availability", "is a seven-character string, one letter per weekday"),
    ("sensors.installed_on", "is the date the sensor was first seen, not when it was mounted"),
    ("quiz_questions.difficulty", "runs from 1 to 5 and was set by hand"),
    ("cooking_classes.max_seats", "excludes the instructor's assistant"),
    ("ferry_runs.vessel", "refers to the ship, not the route"),
]


def en_schema_fact():
    col, fact = pick(SCHEMA)
    subject(col, 2)
    return pick([
        f"{col} {fact}.",
        f"Schema note: {col} {fact}.",
        f"Easy to forget when writing reports: {col} {fact}.",
        f"{person()} reminded me that {col} {fact}.",
    ])


CLI_TIPS = [
    "`rsync -avhn` first: the n makes it a dry run",
    "`column -t -s,` turns a small CSV into an aligned table in the terminal",
    "in tmux, the prefix followed by z zooms the current pane",
    "`git worktree add ../other some-branch` gives a second checkout without cloning again",
    "`xargs -P 4` runs four commands at a time",
    "`find . -newer marker` lists files changed since the marker file was touched",
    "`sort | uniq -c | sort -rn` is still the quickest frequency count",
    "`python3 -m http.server --bind 127.0.0.1` serves the current folder only to this machine",
    "`watch -n 5 cmd` reruns a command every five seconds",
    "`pbpaste | jq .` pretty-prints JSON straight from the clipboard",
    "`fc` opens the previous command in the editor",
    "`cd -` jumps back to the previous directory",
    "`diff <(sort a.txt) <(sort b.txt)` compares two unsorted lists",
    "`say done` at the end of a long command tells me when it finishes",
    "ctrl-r searches the shell history; press it again for older matches",
    "`tar -tzf file.tgz | head` peeks inside an archive without extracting it",
    "`ffprobe -hide_banner clip.mp4` shows a video's streams and duration",
    "`exiftool -all= photo.jpg` strips the metadata from a photo",
    "`sqlite3 app.db .schema` prints the schema of a SQLite file",
    "`caffeinate -d` keeps the Mac awake during a long copy",
    "`open -a Preview *.png` opens all screenshots in one Preview window",
    "`git stash -p` stashes only the hunks you pick",
    "`less +F` follows a file like tail -f but lets you scroll back with ctrl-c",
    "`mdls -name kMDItemWhereFroms file` shows where a download came from",
    "`pandoc notes.md -o notes.docx` turns Markdown into a Word file",
    "`git log --oneline --graph --all` draws the branch history in the terminal",
    "`git blame -w -C` ignores whitespace and follows lines moved from other files",
    "`jq -c '.[]' file.json` prints one compact object per line",
    "`csvcut -c name,city` picks columns out of a CSV by name",
    "`cal -3` shows last, this and next month in the terminal",
    "`ssh-keygen -lf key.pub` prints a key's fingerprint",
    "`convert in.png -resize 50% out.png` halves an image with ImageMagick",
    "`shuf -n 20 file` picks twenty random lines",
    "`comm -12 a b` prints the lines two sorted files have in common",
    "`nl -ba file` numbers every line, blank ones included",
    "`zcat log.gz | grep foo` searches a gzipped file without unpacking it",
    "`tee out.txt` saves a command's output and still shows it",
    "`paste -sd, file` joins all lines with commas",
    "`mktemp -d` gives a fresh temporary folder for experiments",
    "`pdfunite a.pdf b.pdf out.pdf` merges PDFs",
    "`qpdf --decrypt` removes the open password from a PDF you already know the password of",
    "`say -v Kyoko こんにちは` reads Japanese aloud on a Mac",
    "`time make` shows how long a command took",
    "`history | grep rsync` finds that long rsync command from last week",
    "`wc -l *.csv` counts the rows of every CSV at once",
]


def en_cli_tip():
    tip = pick(CLI_TIPS)
    subject(tip)
    return pick([f"Shell: {tip}.", f"{cap(tip)}.", f"Handy: {tip}.", f"From {person()}: {tip}."])


EDITOR_TIPS = [
    ("VS Code", "Cmd+Shift+L selects every occurrence of the current word"),
    ("VS Code", "Cmd+K Cmd+0 folds every block in the file"),
    ("VS Code", "Alt+click adds another cursor"),
    ("VS Code", "Cmd+P then @ jumps to a symbol in the current file"),
    ("VS Code", "the Remote - SSH extension opens a folder on a server as if it were local"),
    ("IntelliJ", "pressing Shift twice opens Search Everywhere"),
    ("IntelliJ", "Local History brought back a file I had never committed"),
    ("Xcode", "Cmd+Shift+J reveals the current file in the navigator"),
    ("Xcode", "Cmd+Ctrl+E renames a symbol within its scope"),
    ("vim", "ciw changes the word under the cursor"),
    ("vim", "* searches forward for the word under the cursor"),
    ("vim", "gv reselects the last visual selection"),
    ("Android Studio", "Cmd+Shift+A finds any action by name"),
    ("Sublime Text", "Cmd+D adds the next match to the selection"),
    ("Emacs", "M-x occur lists every line matching a regexp"),
    ("iTerm2", "Cmd+Shift+H shows the paste history"),
    ("Figma", "Shift+A wraps the selection in an auto layout frame"),
    ("Obsidian", "Cmd+O with a new name creates the note on the spot"),
    ("VS Code", "Ctrl+` toggles the built-in terminal"),
    ("VS Code", "Cmd+Shift+O lists the symbols of the current file"),
    ("VS Code", "F12 goes to the definition, Shift+F12 lists the references"),
    ("VS Code", "Cmd+D picks the next occurrence to edit at once"),
    ("IntelliJ", "Cmd+E shows the recently opened files"),
    ("IntelliJ", "Alt+Enter offers quick fixes for whatever is under the cursor"),
    ("Xcode", "Cmd+Shift+O opens any file or symbol by name"),
    ("vim", ":%s/old/new/gc replaces with a confirmation for each match"),
    ("vim", "ctrl-o jumps back to the previous cursor position"),
    ("Excel", "Ctrl+; types today's date into the cell"),
    ("Google Sheets", "Ctrl+Shift+V pastes values only"),
    ("Slack", "Cmd+K jumps to any channel or person"),
]


def en_editor_tip():
    app, tip = pick(EDITOR_TIPS)
    subject(tip)
    return pick([f"{app}: {tip}.", f"{app} shortcut worth keeping: {tip}.", f"{app} tip from {person()}: {tip}."])


PLANS = ["Starter", "Team", "Business", "Enterprise", "Education"]
FEATURE_ASKS = ["an export API", "a Japanese UI", "bulk edit", "custom fields", "offline mode", "a dark theme",
                "more label sizes", "a printable summary", "per-site permissions", "a calendar view", "Excel import"]


def en_customer():
    co = pick(COMPANIES)
    feature = pick(FEATURE_ASKS)
    return pick([
        lambda: subject(co + "/seats") or f"{co} has {fixed_int(co, 5, 900)} seats on the {fixed(co, PLANS)} plan; their contact is {fixed(co, PEOPLE)}.",
        lambda: subject(co + "/" + feature) or f"{co} mostly uses the {fixed(co, COMPONENTS)} and asked for {feature} in {pick(MONTHS)}.",
        lambda: subject(co + "/city") or f"{co} is based in {fixed(co, CITIES_EN)}; {fixed(co + 'visits', PEOPLE)} visits them about once a quarter.",
        lambda: subject(co + "/" + feature) or f"{co} wants {feature} before they roll the {fixed(co, COMPONENTS)} out to more sites.",
    ])()


VENDORS = ["the weather provider", "the CRM", "the ticketing tool", "the calendar provider", "the e-signature service",
           "the fleet GPS feed", "the school portal", "the seed supplier's catalogue feed", "the ferry operator's API",
           "the museum ticketing system", "the printer vendor's cloud API", "the tide data service"]
QUIRKS = ["starts pages at 0 but reports the last page 1-based",
          "silently truncates fields longer than 255 characters", "rejects requests without a User-Agent",
          "reorders fields between versions, so never parse by position",
          "needs an Accept header even for DELETE", "returns booleans as the strings 'Y' and 'N'",
          "uses 202 for things that already finished", "swaps latitude and longitude in the bulk endpoint",
          "sends empty strings instead of null", "sends times in JST without saying so",
          "puts the total count in a header instead of the body"]


def en_vendor():
    vendor, quirk = pick(VENDORS), pick(QUIRKS)
    subject(vendor + quirk)
    return pick([
        f"Quirk: {vendor} {quirk}.",
        f"Watch out, {vendor} {quirk}; {person()} lost an afternoon to it.",
        f"Vendor note: {vendor} {quirk}.",
    ])


BACKGROUNDS = ["six years of logistics software", "teaching maths at a high school", "a PhD in soil science",
               "running a small design studio", "ferry scheduling at a shipping company", "game development in Osaka",
               "data work at a supermarket chain", "embedded firmware for printers", "museum exhibition design",
               "a bakery of their own"]
LANGUAGES = ["Portuguese and Japanese", "Korean", "Spanish and French", "Mandarin", "Turkish and German",
             "Vietnamese", "Polish", "Arabic and French", "Tagalog", "Italian"]


def en_people():
    p = person()
    t1 = fixed(p + "team", TEAMS)
    t2 = fixed(p + "old", [t for t in TEAMS if t != t1])
    return pick([
        lambda: subject(p + "/joined") or f"{p} joined {t1} in {fixed(p, MONTHS)}; before that: {fixed(p, BACKGROUNDS)}.",
        lambda: subject(p + "/lang") or f"{p} speaks {fixed(p, LANGUAGES)}, which helps on calls with {pick(COMPANIES)}.",
        lambda: subject(p + "/contact") or f"{p} is the main contact at {fixed(p, COMPANIES)} for the {fixed(p, COMPONENTS)}.",
        lambda: subject(p + "/moved") or f"{p} moved from {t2} to {t1} in {fixed(p, MONTHS)}.",
        lambda: subject(p + "/knows") or f"{p} knows the {fixed(p, COMPONENTS)} data model best; {fixed(p + 'hw', PEOPLE)} knows the {fixed(p, ['printers', 'scanners', 'kiosks', 'sensors'])}.",
        lambda: subject(p + "/contact") or f"{p} used to work at {fixed(p, COMPANIES)}, so ask them how things look from the customer's side.",
    ])()


ROOMS = ["Kaede", "Momiji", "Sora", "Umi", "Yama", "Hoshi"]
BRING = ["the pilot numbers", "printed mock-ups", "two test scanners", "the signed NDA", "sample labels",
         "the floor plans on A3", "a tablet with the demo build", "the price sheet"]


def en_meeting():
    co = pick(COMPANIES)
    return pick([
        lambda: subject(co + "/kickoff") or f"Kick-off with {co} on {fixed(co, MONTHS)} {fixed_int(co, 1, 28)} at {fixed(co, ['10:00', '13:30', '15:00', '16:30'])}, room {pick(ROOMS)}; bring {pick(BRING)}.",
        lambda: subject(co + "/workshop") or "The {} workshop moved from {} to {}; {} will resend the invite.".format(co, *date_range_en(), person()),
        lambda: subject(co + "/demo", 2) or f"Demo of the {pick(COMPONENTS)} for {co}: {date_en()}, {clock()}, at their office in {fixed(co, CITIES_EN)}.",
        lambda: subject(co + "/interview", 2) or f"Interview with {co} staff about the {pick(COMPONENTS)}: {date_en()} {clock()}, {person()} takes notes.",
        lambda: subject(co + "/lunch") or f"Lunch with {fixed(co, PEOPLE)} from {co} on {date_en()} to talk about next year's contract.",
    ])()


OUTCOMES = ["we drop the legacy XML import at the end of the quarter", "the pilot with two warehouses continues",
            "offline mode is postponed to the second half", "field names in the export stay as they are",
            "we buy the scanner hardware instead of renting it", "the kiosk app gets a simpler home screen",
            "reports older than five years move to the archive view", "the quiz engine gets a timer option",
            "we stop accepting fax orders", "the survey builder gets conditional questions next quarter",
            "the store locator drops its list view", "the fleet tracker will show fuel use per route",
            "the quote generator keeps manual discounts", "the ferry app shows weather holds on its home screen",
            "the seed catalogue gets a regional sowing calendar", "the venue seat map gets a colour legend for price bands"]


def en_outcome():
    comp, feature, fixed_outcome = pick(PUBLIC_COMPONENTS + COMPONENTS), pick(FEATURE_ASKS), pick(OUTCOMES)
    out = pick([
        lambda: subject(fixed_outcome) or fixed_outcome,
        lambda: subject(comp + feature) or f"the {comp} gets {feature} next quarter",
        lambda: subject(comp + feature) or f"we put off {feature} for the {comp} until next year",
    ])()
    p1, p2 = some(PEOPLE, 2)
    return pick([
        f"Outcome of the {pick(['product sync', 'partner call', 'steering meeting', 'customer workshop'])} on {date_en()}: {out}.",
        f"{p1} and {p2} agreed that {out}.",
        f"Agreed with {pick(COMPANIES)}: {out}.",
    ])


KNOWN_ISSUES = [
    ("floor plan editor", "snapping ignores rotated walls", "place the wall first and rotate it afterwards"),
    ("label printer service", "product names longer than two lines overlap the barcode", "switch to the wide label template"),
    ("survey builder", "dragging a question onto the last page puts it on the first", "use the 'move to page' menu"),
    ("shift planner", "the week header shows the wrong weekdays when weeks start on Sunday", "keep weeks starting on Monday"),
    ("warehouse scanner app", "the beep is silent when the phone is in manner mode", "turn on vibration feedback"),
    ("quote generator", "copying a quote keeps the old expiry date", "set the date again after copying"),
    ("course player", "subtitles drift by a second after a long pause", "reload the page"),
    ("ferry timetable app", "the widget shows yesterday's last sailing until the app is opened", "open the app once"),
    ("asset registry", "the spreadsheet view hides the purchase price of leased items", "use the detail page"),
    ("venue seat map", "seat numbers overlap at small zoom levels", "zoom in past 60 %"),
    ("photo contest app", "portrait photos show sideways in the admin preview", "judges use the full-size view"),
    ("museum audio guide", "the next track starts before the previous one fades out", "tap pause between rooms"),
]


def en_known_issue():
    comp, issue, work = pick(KNOWN_ISSUES)
    subject(issue)
    return pick([
        f"Known issue in the {comp}: {issue}. Workaround: {work}.",
        f"{cap(comp)}: {issue}; for now, {work}.",
        f"{person()} reported on {date_en()} that in the {comp} {issue}; until it is fixed, {work}.",
    ])


HARDWARE = ["my laptop", "an M2 Mac mini", "a Raspberry Pi 5", "the office NAS", "a 4-core cloud machine"]
DATASETS = ["2023 visitor survey export", "store list from the franchise office", "seed supplier catalogue",
            "delivery zone table", "ferry ridership sheet", "course completion export", "greenhouse sensor dump",
            "asset inventory from the audit", "museum visitor count sheet", "recipe import from the old site",
            "volunteer sign-up list since 2020", "photo contest entries", "tour bookings export", "label template catalogue",
            "shift history of the pilot stores", "library loans sample"]


MAP_COMPONENTS = ["store locator", "fleet tracker", "ferry timetable app", "tour booking page", "venue seat map"]
DEVICES = ["my laptop", "an old iPad", "a Pixel 6a", "the kiosk tablet", "an iPhone SE"]


def en_measurement():
    ds, hw = pick(DATASETS), pick(HARDWARE)
    comp, dev = pick(MAP_COMPONENTS), pick(DEVICES)
    return pick([
        lambda: subject(ds + hw) or f"The {ds} loads in {fixed_int(ds + hw, 2, 90)} s on {hw}.",
        lambda: subject("pdf" + hw) or f"Rendering one floor plan to PDF takes about {fixed_int(hw, 2, 40)} s on {hw}.",
        lambda: subject(comp + dev) or f"The {comp} draws {fixed_int(comp + dev, 2, 200) * 100:,} markers at {fixed_int(dev + comp, 20, 60)} fps on {dev}.",
        lambda: subject("labels" + hw) or f"Printing {rng.randint(50, 500)} labels takes the {pick(['Zebra', 'Brother', 'Epson'])} printer about {rng.randint(2, 20)} minutes.",
    ])()


FIELDS = ["notes", "category", "comment", "region", "contact name", "source"]


def en_dataset():
    ds, field = pick(DATASETS), pick(FIELDS)
    rows = f"{fixed_int(ds, 3, 900) * 100:,}"
    return pick([
        lambda: subject(ds + field) or f"The {ds} has {rows} rows; the {field} column is free text.",
        lambda: subject(ds + field) or f"{cap(ds)}: {rows} rows, about {fixed_int(ds + field, 2, 40)} % with an empty {field}.",
        lambda: subject(ds + "/where") or f"The {ds} lives in the team drive under data/raw/{fixed_int(ds, 2019, 2024)}/.",
        lambda: subject(ds + "/clean") or f"{fixed(ds, PEOPLE)} cleaned up the {ds} in {fixed(ds, MONTHS)}; the original is kept next to it.",
    ])()


TASKS = [("regenerate the icon font", "npm run icons"), ("update the country list", "python3 tools/countries.py"),
         ("render the diagrams", "make diagrams"), ("rebuild the font subset for the kiosk", "make glyphs"),
         ("compile the e-mail templates", "make mjml"), ("refresh the demo screenshots", "npm run screenshots"),
         ("recompute the sitemap", "rake sitemap:refresh"), ("rebuild the offline map tiles", "make tiles"),
         ("refresh the seed catalogue photos", "make seeds"), ("re-encode the tutorial videos", "tools/encode.sh"),
         ("regenerate the sample floor plans", "make plans"), ("import the quiz question bank", "python3 tools/quiz_import.py"),
         ("rebuild the label previews", "make previews")]


def en_howto():
    task, cmd = pick(TASKS)
    subject(task)
    return pick([
        f"To {task}, run `{cmd}` from the repository root; it takes about {fixed_int(task, 1, 25)} minutes.",
        f"{cap(task)}: `{cmd}`, then commit the output; {fixed(task, PEOPLE)} wrote the script.",
        f"`{cmd}` is how we {task}.",
    ])


CS_FACTS = [
    "Bloom filters can give false positives but never false negatives",
    "HyperLogLog estimates distinct counts in a few kilobytes with an error of about 1–2 %",
    "Little's law says the items in a system equal the arrival rate times the time each one spends there",
    "Amdahl's law says the serial part caps the speed-up, however many cores you add",
    "a grow-only CRDT counter keeps one counter per replica and sums them",
    "B-trees favour reads, LSM trees favour writes",
    "a consistent-hash ring moves only about 1/n of the keys when a node joins",
    "reservoir sampling picks k items uniformly from a stream of unknown length",
    "Levenshtein distance counts insertions, deletions and substitutions; Damerau also counts swaps",
    "Benford's law says that in many real data sets about 30 % of numbers start with 1",
    "a Merkle tree lets two sides find differing blocks by comparing hashes from the top down",
    "Dijkstra's algorithm fails with negative edge weights; Bellman–Ford copes with them",
    "Conway's law says systems mirror the communication structure of the teams that build them",
    "Goodhart's law says a measure that becomes a target stops being a good measure",
    "Hyrum's law says that with enough users, every observable behaviour ends up depended on",
    "the Fisher–Yates shuffle is only uniform if j is drawn from 0..i inclusive",
    "quadtrees split space into four cells recursively, which is handy for clustering map pins",
    "a skip list gets O(log n) search from random levels instead of rebalancing",
    "the CAP theorem only bites during a network partition",
    "Huffman coding gives the shortest codes to the most frequent symbols",
    "a Kalman filter blends a prediction with a noisy measurement, weighted by how much each is trusted",
    "a Voronoi diagram gives each point the region closer to it than to any other point",
    "the travelling salesman problem has no known fast exact solution, but 2-opt gets close quickly",
    "k-means needs k chosen up front, while DBSCAN finds the number of clusters itself",
    "a ring buffer overwrites the oldest item when it is full",
    "Zipf's law says the second most common word appears about half as often as the first",
    "the Nyquist rate is twice the highest frequency you want to capture",
    "Brooks's law says adding people to a late software project makes it later",
    "the Collatz conjecture is still unproven, even though it holds for every number anyone has checked",
    "public-key signatures prove who wrote a message; encryption hides what it says",
]


def en_cs():
    fact = pick(CS_FACTS)
    subject(fact, 2)
    return pick([f"{cap(fact)}.", f"CS note: {fact}.", f"Re-learned today: {fact}.",
                 f"{person()} explained over lunch that {fact}.", f"Worth remembering for the {pick(COMPONENTS)}: {fact}."])


CONFS = ["PyCon JP", "RubyKaigi", "iOSDC", "DroidKaigi", "JSConf JP", "Kotlin Fest", "FOSDEM", "Go Conference",
         "SciPy Japan", "Data Engineering Study"]
TALKS = [("Polars lazy frames", "most of the speed-up came from never materialising intermediate tables"),
         ("offline-first apps", "wrong clocks on phones caused more trouble than flaky networks"),
         ("Ruby's new parser", "error messages got much friendlier for beginners"),
         ("Compose performance", "most recompositions came from unstable lambda parameters"),
         ("SwiftData migrations", "lightweight migrations cover renames but not type changes"),
         ("WebGPU", "compute shaders are usable from the browser now, with some care"),
         ("type hints at scale", "they typed the most-imported modules first and left the rest for later"),
         ("barcode scanning on cheap phones", "autofocus matters more than camera resolution"),
         ("print CSS", "paged media support is still patchy outside Chromium"),
         ("geospatial indexes", "H3 cells made their delivery-zone maths much simpler"),
         ("teaching programming to kids", "get something moving on the screen in the first five minutes"),
         ("sensor data in agriculture", "most of the work was cleaning gaps from flaky radio links"),
         ("Rust in embedded printers", "the borrow checker caught real bugs in their buffer handling"),
         ("SQLite in production", "one writer at a time is fine for far more sites than people think"),
         ("maps on low-end phones", "vector tiles saved more data than they cost in CPU"),
         ("kana input on the web", "composition events are where most input bugs hide"),
         ("learning apps for adults", "streaks help for about six weeks, then reminders matter more"),
         ("museum apps", "visitors open the app at the door and never again unless it works offline"),
         ("printing from the browser", "page-break rules still behave differently in every engine"),
         ("seat maps", "SVG with one element per seat stays fast up to about 20,000 seats"),
         ("ferry timetables", "most riders only ever look at the next two departures"),
         ("recipe parsing", "ingredient lines are easier to parse with a small grammar than with a model"),
         ("barcode formats", "GS1 DataMatrix is slowly replacing EAN-13 on pharmacy products")]


def en_talk():
    conf = pick(CONFS)
    topic, take = pick(TALKS)
    subject(topic, 2)
    return pick([
        f"{conf} talk on {topic}: {take}.",
        f"Notes from {conf} ({topic}): {take}.",
        f"{person()} summarised the {conf} talk about {topic}: {take}.",
    ])


SOURCES = ["phones", "tablets", "QR codes on posters", "the partner newsletter", "search engines", "a shared link in LINE"]
TOP_FEATURES = ["the printable summary", "the map view", "filters by region", "the favourites list", "CSV download",
                "the photo upload", "the weekly calendar"]


PUBLIC_COMPONENTS = ["store locator", "seed catalogue", "recipe catalogue", "tour booking page", "ferry timetable app",
                     "museum audio guide", "course player", "photo contest app", "volunteer sign-up form",
                     "cooking class sign-up", "library lending app", "quiz engine", "weather widget"]


def en_analytics():
    comp = pick(PUBLIC_COMPONENTS)
    a = rng.randint(80, 4000)
    return pick([
        f"In {pick(MONTHS)}, {rng.randint(12, 88)} % of {comp} visits came from {pick(SOURCES)}.",
        f"The {comp} had {a:,} weekly users in {pick(MONTHS)}, up from {int(a * rng.uniform(0.5, 0.95)):,}.",
        f"Most-used part of the {comp} in {pick(MONTHS)}: {pick(TOP_FEATURES)}.",
    ])


DOMAIN_FACTS = [
    "a standard EUR pallet is 1200 × 800 mm, while the Japanese T11 pallet is 1100 × 1100 mm",
    "JAN codes are EAN-13, and a 45 or 49 prefix means a Japanese registration",
    "a 40-foot container counts as two TEU",
    "under FOB, the seller's risk ends once the goods are on board",
    "first-expiry-first-out beats first-in-first-out for food with best-before dates",
    "tomato seeds stay viable for about four years if kept cool and dry",
    "a ship's gross tonnage measures volume, not weight",
    "one jō in a Japanese floor plan is roughly 1.62 m²",
    "one tsubo is about 3.3 m², or two tatami mats",
    "Zebra printers speak ZPL, while most cheap receipt printers speak ESC/POS",
    "a barcode needs a quiet zone of about ten times its narrowest bar on each side",
    "most greenhouse vegetables do best at 60–80 % relative humidity",
    "completion rates of free online courses usually stay below 15 %",
    "survey answers get noticeably sloppier after about twelve minutes",
    "museum audio guides are usually kept under two minutes per stop",
    "most ferries in the Seto Inland Sea carry cars on the lower deck only",
    "in Japanese property listings, 2LDK means two bedrooms plus a living-dining-kitchen",
    "Japanese seed packets list sowing times for warm, middle and cold regions separately",
    "a thermal label fades in sunlight within months; thermal-transfer labels last for years",
    "most tour groups walk at about two thirds of a single person's pace",
    "school textbooks in Japan are revised on a four-year cycle",
    "a typical delivery van in Tokyo manages 80 to 120 drops a day",
]


def en_domain():
    fact = pick(DOMAIN_FACTS)
    subject(fact, 2)
    return pick([f"Domain note: {fact}.", f"{cap(fact)}.", f"Good to know: {fact}.",
                 f"{person()} mentioned that {fact}."])


IDEAS = ["a browser extension that hides view counts", "a tiny app that tells me which train car stops nearest the exit",
         "printing seed packets straight from the catalogue", "a quiz mode for learning kanji radicals",
         "a shared fridge inventory for the flat", "a ferry delay bot for the family group chat",
         "using the scanner app for the pantry at home", "turning floor plans into furniture shopping lists",
         "a weekly digest of customer feature requests", "a label template for freezer bags with dates",
         "a map of every public piano in the city", "an audio guide for the neighbourhood shrine",
         "a board-game score keeper that remembers house rules", "a plant-care calendar that reads the weather",
         "a receipt scanner that splits shared bills", "a shortcut that turns a photo of a whiteboard into tidy notes",
         "an Anki deck generated from my own notes", "a bot that posts the office lunch menu", "a tide clock for the harbour office",
         "a museum map that shows where the queues are", "a recipe scaler that understands Japanese units",
         "a tiny site listing quiet study spots in libraries", "an audio diary that transcribes itself",
         "a sensor that tells me when the rice bin is nearly empty", "a seat-map widget for small theatres",
         "a game that teaches kids to read bus timetables", "a CLI that renames photos by the place they were taken",
         "a map of drinking fountains in the city", "a shared shopping list that sorts itself by supermarket aisle",
         "a kanji handwriting checker for the tablet", "a weekly e-mail of the birds seen in the park",
         "a tiny label template designer for the office printer", "a quiz generator from my own notes",
         "a browser tab that shows tomorrow's ferry weather", "a seat picker for small concert halls",
         "a timer that nudges me to stand up during calls"]


def en_idea():
    idea = pick(IDEAS)
    subject(idea)
    return pick([f"Idea: {idea}.", f"Side-project idea: {idea}.", f"Maybe one day: {idea}.",
                 f"{person()} and I joked about {idea}; might actually be useful."])


DOCS = ["the pilot summary", "the price sheet", "sample labels", "the user guide draft", "the survey results",
        "the signed order form", "the floor plan samples", "the photo release forms"]


def en_reminder():
    return pick([
        f"Reminder: ask {person()} for the {pick(COMPONENTS)} sample files before {date_en()}.",
        f"To do: archive the old {pick(COMPONENTS)} design notes by {date_en()}.",
        f"Renew {pick(VENDORS)} contract before {date_en()}; {person()} has the quote.",
        f"Send {pick(COMPANIES)} {pick(DOCS)} by {date_en()}.",
        f"Follow up with {person()} about the {pick(COMPONENTS)} mock-ups on {pick(WEEKDAYS)}.",
    ])


FLOORS = ["2nd", "3rd", "4th", "5th"]


def en_office():
    f1 = fixed("microwave", FLOORS)
    facts = [
        f"The colour printer on the {fixed('printer', FLOORS)} floor jams on A3; use the one by the kitchen.",
        f"The office fridge is cleared every {fixed('fridge', WEEKDAYS)} at 17:00, so label your food.",
        f"Courier pickup at reception is at {fixed('courier', ['15:00', '15:30', '16:00', '16:30'])} on weekdays.",
        "The coffee machine needs descaling when the orange light comes on; the tablets are in the drawer below.",
        "Spare umbrellas are in the stand by the lift; bring them back the next day.",
        "Lost property goes to the reception desk and is kept for a month.",
        f"The shredder bin is emptied on {fixed('shredder', WEEKDAYS)}s.",
        f"Parcels for staff wait at reception until {fixed_int('parcels', 17, 19)}:00.",
        f"The kitchen dishwasher starts at {fixed_int('dishwasher', 14, 17)}:00; load it before then.",
        f"Flip charts and markers are in the cupboard next to room {fixed('flipcharts', ROOMS)}.",
        f"The projector in room {fixed('projector', ROOMS)} needs the USB-C adapter from its drawer.",
        f"Outgoing post leaves the mail room at {fixed_int('post', 14, 16)}:00; stamps are in the blue box.",
        f"The {f1}-floor microwave is slow, the one on the {fixed('microwave2', [f for f in FLOORS if f != f1])} is fine.",
        "The water dispenser's hot tap has a child lock: push and turn.",
        f"The phone charger cables in the {fixed('lounge', FLOORS)}-floor lounge are USB-C only.",
        "Used toner cartridges go in the box next to the copier, not in the bin.",
        "Office snacks are restocked on Mondays; the rice crackers go first.",
        "The blinds on the west side jam if you pull them at an angle.",
        f"Reception closes at {fixed_int('reception', 18, 20)}:00; after that, deliveries go to the building's front desk.",
        "The whiteboard markers with the green cap are the permanent ones; don't use them on the boards.",
        "The label printer by the post tray takes 24 mm tape.",
        "The first-aid kit is in the kitchen, top cupboard on the left.",
        "The standing desks on the window side have a memory button; position 2 is the tall setting.",
        "Coat hooks by the entrance fill up in winter; the rack in the storeroom has more.",
    ]
    fact = pick(facts)
    subject(fact)
    return pick([f"From {person()} at reception: {fact[0].lower()}{fact[1:]}", f"Office note: {fact}", fact, fact])


KEYBOARDS = ["HHKB Hybrid", "Keychron K3", "Realforce R3", "Apple Magic Keyboard", "Logitech MX Keys Mini"]
HEADSETS = ["Jabra Evolve2 65", "AirPods Pro", "Sony WH-1000XM5", "Shure MV7 with earbuds"]
MICE = ["Logitech MX Master 3S", "a Magic Trackpad", "an Elecom trackball", "a Razer Basilisk"]


CAMERAS = ["a Logitech C920", "an Elgato Facecam", "the built-in camera", "an Anker PowerConf C200"]
STANDS = ["a Rain Design mStand", "a folding aluminium stand", "a pile of O'Reilly books", "a Bestand riser"]


def en_gear():
    return pick([
        lambda: subject("cam") or f"Webcam: {fixed('cam', CAMERAS)}; looks best with the desk lamp at {fixed_int('lamp', 3, 8) * 10} %.",
        lambda: subject("stand") or f"Laptop stand: {fixed('stand', STANDS)}, and keyboard slot {fixed_int('tablet', 1, 3)} for the tablet.",
        lambda: (lambda k: subject(k) or f"{person()} swears by the {k}; tried it for a day, {pick(['too loud', 'lovely', 'keys too deep', 'would buy'])}.")(pick(KEYBOARDS)),
        lambda: subject("kb") or f"My keyboard is a {fixed('kb', KEYBOARDS)}; Bluetooth slot {fixed_int('slot', 1, 4)} is the work Mac.",
        lambda: subject("headset") or f"Headset for calls: {fixed('headset', HEADSETS)}; people say the mic sounds better with noise reduction off.",
        lambda: subject("mouse") or f"Mouse: {fixed('mouse', MICE)}, side button mapped to 'back'.",
        lambda: subject("hub") or f"The USB-C hub that works with the external SSD is the {fixed('hub', ['Anker 7-in-1', 'CalDigit mini', 'Satechi slim'])} one.",
        lambda: subject("lamp") or f"Desk lamp timer is set to switch off at {fixed_int('lamp', 19, 23)}:00.",
        lambda: (lambda x: subject(x) or f"Bought a spare {x} for the office drawer on {date_en()}.")(pick(['USB-C cable', 'charger', 'keyboard', 'mouse'])),
    ])()


STYLE_NOTES = ["in Kotlin, sealed classes for results read better than nullable pairs",
               "Python records as dataclasses, not bare dicts", "Swift classes final unless made for subclassing",
               "no IDs in CSS selectors", "CSS spacing from the scale, not raw pixels",
               "shell scripts start with set -euo pipefail", "SwiftUI previews for every reusable view",
               "Kotlin extension functions next to the type they extend", "Python pathlib over os.path",
               "CSS custom properties for colours instead of repeated hex values", "one React component per file"]


def en_style():
    note = pick(STYLE_NOTES)
    subject(note)
    return pick([f"Style preference: {note}.", f"{person()} likes {note}."])


LESSONS = ["print the actual bytes before blaming the parser", "check which settings file was really loaded",
           "bisect instead of guessing", "reproduce with realistic data sizes before optimising",
           "write down the hypothesis before changing any code", "compare against a clean checkout first",
           "the slow part was the serialisation, not the query", "half the weirdness came from a stale build folder",
           "draw the state diagram on paper before touching the reducer", "read the vendor's sample code line by line",
           "turn the feature off and see if the problem goes away", "check the time zone of every timestamp in the data",
           "make the failing case smaller until it fits on one screen", "look at the actual request in the network tab",
           "ask whether the data or the code changed", "a fresh pair of eyes finds it in ten minutes",
           "a failing test that reproduces the bug usually makes the cause obvious", "rubber-duck it out loud"]


def en_lesson():
    lesson = pick(LESSONS)
    subject(lesson, 3)
    return pick([f"Lesson from the {pick(COMPONENTS)}: {lesson}.", f"Debugging note ({person()}): {lesson}."])


# ============================================================================ English, personal

DISHES = [("banana bread", ["ripe bananas", "brown butter", "walnuts"], "bake", 55),
          ("shakshuka", ["tomatoes", "eggs", "cumin"], "simmer", 20),
          ("lasagna", ["ragù", "béchamel", "parmesan"], "bake", 45),
          ("granola", ["oats", "honey", "almonds"], "toast", 25),
          ("hummus", ["chickpeas", "tahini", "lemon"], "blend", 5),
          ("focaccia", ["flour", "olive oil", "rosemary"], "bake", 22),
          ("tomato soup", ["tomatoes", "garlic", "basil"], "simmer", 30),
          ("chili", ["beans", "beef", "smoked paprika"], "simmer", 90),
          ("overnight oats", ["oats", "yogurt", "berries"], "chill", 480),
          ("roast chicken", ["lemon", "thyme", "garlic"], "roast", 75),
          ("lemon cookies", ["butter", "sugar", "lemon zest"], "bake", 12),
          ("ratatouille", ["aubergine", "courgette", "peppers"], "stew", 50),
          ("carbonara", ["guanciale", "egg yolks", "pecorino"], "toss", 3),
          ("guacamole", ["avocados", "lime", "coriander"], "mash", 5),
          ("mushroom risotto", ["arborio", "porcini", "white wine"], "stir", 18),
          ("apple crumble", ["apples", "oats", "cinnamon"], "bake", 35),
          ("tortilla española", ["potatoes", "eggs", "onion"], "fry", 25),
          ("pad thai", ["rice noodles", "tamarind", "peanuts"], "stir-fry", 6),
          ("minestrone", ["beans", "pasta", "celery"], "simmer", 40),
          ("teriyaki salmon", ["salmon", "mirin", "soy sauce"], "pan-fry", 8)]


def en_recipe():
    name, ings, method, minutes = pick(DISHES)
    a, b, c = ings
    x = pick(ings)
    return pick([
        lambda: subject(name + "/recipe") or f"{cap(name)}: {a}, {b} and {c}; {method} for {minutes} minutes.",
        lambda: subject(name + "/mine") or f"My {name}: {method} {minutes} minutes, and don't skimp on the {fixed(name, ings)}.",
        lambda: subject(name + "/many") or f"{cap(name)} for {fixed_int(name, 4, 8)} people: double the {fixed(name + 'x', ings)}, same {minutes} minutes.",
        lambda: subject(name + "/tip") or f"{person()}'s tip for {name}: use more {x} than the recipe says.",
    ])()


PLACES_FOOD = [("Pizzeria Da Isa", "Nakameguro", "margherita"), ("Taco Loco", "Shimokitazawa", "al pastor tacos"),
               ("Bangkok Kitchen", "Ebisu", "green curry"), ("Pho Saigon", "Koenji", "beef pho"),
               ("Brooklyn Burgers", "Shibuya", "cheeseburger"), ("Torikizoku", "Ikebukuro", "yakitori"),
               ("Okonomiyaki Kiji", "Marunouchi", "okonomiyaki"), ("Bagel Club", "Kichijoji", "salmon bagel"),
               ("Dim Sum House", "Yokohama Chinatown", "har gow"), ("Falafel Brothers", "Roppongi", "falafel wrap"),
               ("Seoul Table", "Shin-Okubo", "sundubu"), ("Bistro Lune", "Kagurazaka", "duck confit"),
               ("Tonkatsu Tatsu", "Ueno", "pork loin katsu"), ("Monja Kondo", "Tsukishima", "mentaiko monja"),
               ("Tempura Kitahachi", "Kichijoji", "tempura set"), ("Kitchen Maru", "Jimbocho", "omurice")]
VERDICTS = ["excellent", "fine but pricey", "worth the wait", "a bit too salty", "small portions", "great value"]


def en_restaurant():
    name, area, dish = pick(PLACES_FOOD)
    return pick([
        lambda: subject(name + "/visit", 2) or f"{name} in {area}: the {dish} was {pick(VERDICTS)}; about {yen(12, 60)} a head.",
        lambda: subject(name + "/again") or f"Try {name} ({area}) again — {person()} liked the {dish}.",
        lambda: subject(name + "/visit", 2) or f"Lunch at {name}, {area}: {dish}, {yen(9, 25)}, {pick(VERDICTS)}.",
        lambda: subject(name + "/info") or f"{name} ({area}) is {fixed(name, ['cash only', 'closed on Mondays', 'busy at noon, fine after 13:30', 'card only'])}; the {dish} is the thing to order.",
    ])()


TRIPS = [("Fukuoka", ["the yatai stalls by the river close early on Sundays", "Dazaifu is 30 minutes away by train"]),
         ("Nagoya", ["book the castle tour online", "miso katsu near Osu is worth the queue"]),
         ("Sendai", ["the gyutan place near the station has a long queue at noon", "Matsushima makes an easy half-day trip"]),
         ("Seoul", ["a T-money card works on buses and the subway", "many palaces close on Mondays or Tuesdays"]),
         ("Taipei", ["the night market is best after 21:00", "an EasyCard covers the MRT and buses"]),
         ("Lisbon", ["tram 28 is packed, walk instead", "the pastéis in Belém are worth the trip"]),
         ("Hiroshima", ["the ferry to Miyajima runs every 15 minutes", "the peace museum needs at least two hours"]),
         ("Matsumoto", ["the castle opens at 8:30 and is quiet early", "the old town closes early on weekdays"]),
         ("Nikko", ["the shrines are crowded after 10:00", "the bus to Lake Chuzenji is slow at weekends"]),
         ("Kamakura", ["the Enoden is packed on weekends", "rent a locker at the station and walk"]),
         ("Nagasaki", ["Glover Garden is open late in summer", "the trams take exact change or IC cards"]),
         ("Takayama", ["the morning market winds down before noon", "the old streets are lovely before 9:00"]),
         ("Naoshima", ["book the Chichu museum slot online", "the ferry from Uno is the easiest way over"]),
         ("Singapore", ["hawker centres are the best value", "bring a jacket for the air-conditioning"]),
         ("Ise", ["most shops on Okage Yokocho close at 17:00", "visit the outer shrine first"])]
HOTELS = {"Fukuoka": "Hotel Il Palazzo", "Nagoya": "the Nagoya Prince", "Sendai": "Hotel Metropolitan Sendai",
          "Seoul": "a guesthouse in Bukchon", "Taipei": "Hotel Proverbs", "Lisbon": "a flat in Alfama",
          "Hiroshima": "Hotel Granvia", "Matsumoto": "Hotel Buena Vista", "Singapore": "a small hotel in Tiong Bahru"}


def en_trip():
    city, tips = pick(TRIPS)
    tip = pick(tips)
    out = [lambda: subject(tip) or f"{city} trip ({fixed(city, MONTHS)}): {tip}.",
           lambda: subject(tip) or f"Note for next time in {city}: {tip}.",
           lambda: subject(tips[0]) or subject(tips[1]) or f"{city}: {tips[0]}; also, {tips[1]}."]
    if city in HOTELS:
        out.append(lambda: subject(city + "/hotel") or f"In {city} we stayed at {HOTELS[city]}: {fixed(city, ['fine, nothing special', 'great location', 'small rooms but spotless', 'noisy on the street side'])}.")
    return pick(out)()


ITEMS = ["a cordless vacuum", "noise-cancelling headphones", "a desk chair", "a blender", "an air purifier",
         "a folding umbrella", "a standing desk", "a label maker", "a cast-iron pan", "a kettle", "a rice cooker",
         "a robot vacuum", "a bread maker", "an e-reader", "a tripod", "a humidifier"]
SHOPS = ["Yodobashi", "Bic Camera", "Muji", "Nitori", "Tokyu Hands", "Amazon", "Loft"]


def en_purchase():
    item = pick(ITEMS)
    shop = fixed(item, SHOPS)
    price = f"¥{fixed_int(item, 20, 900) * 100:,}"
    return pick([
        lambda: subject(item + "/bought") or f"Bought {item} at {shop} on {fixed(item, MONTHS)} {fixed_int(item, 1, 28)} for {price}; warranty until {fixed_int(item, 2025, 2029)}.",
        lambda: subject(item + "/manual") or f"The manual for {item} is a PDF in Documents/Manuals.",
        lambda: subject(item + "/receipt") or f"{cap(item)} from {shop}: the receipt is in the blue folder, {price}.",
        lambda: subject(item + "/compare") or "Compared prices for {}: {} {}, {} {}.".format(item, *[x for s in some(SHOPS, 2) for x in (s, yen(20, 400))]),
    ])()


FRIEND_FACTS = ["she just started a job at a bakery", "he is learning the cello", "they adopted a rescue rabbit",
                "she runs a small pottery studio", "he moved back from Berlin", "they are expecting twins in spring",
                "he quit his job to study architecture", "she started a podcast about old trains", "they bought a kei car",
                "he's opening a coffee stand in Kamakura", "she is writing a guidebook about Shikoku"]
AREAS = ["Setagaya", "Kawasaki", "Mitaka", "Urawa", "Chiba", "Kichijoji", "Yokohama", "Funabashi"]


def en_friend():
    p = person()
    return pick([
        lambda: subject(p + "/flat") or f"{p}'s new flat is in {fixed(p, AREAS)}; {fixed(p, FRIEND_FACTS)}.",
        lambda: subject(p + "/news") or f"Catch-up with {p}: {fixed(p, FRIEND_FACTS)}.",
        lambda: subject(p + "/news") or f"Heard from {p}: {fixed(p, FRIEND_FACTS)}.",
        lambda: (lambda q: subject(p + "/wedding") or subject(q + "/wedding") or f"{p} and {q} are getting married in {fixed(p + q, MONTHS)}, in {fixed(p + q, CITIES_EN)}.")(pick(PEOPLE)),
    ])()


ACTIVITIES = [("Futsal", "indoor shoes"), ("Bouldering", "chalk"), ("Pottery class", "an apron"),
              ("Choir practice", "the score folder"), ("Badminton", "a spare racket grip"), ("Yoga", "a towel"),
              ("Life drawing", "charcoal and a board clip"), ("Tennis", "a cap"), ("Calligraphy class", "newspaper to practise on"),
              ("Go club", "nothing, the boards are there"), ("Photo walk", "a spare battery"), ("Sourdough workshop", "a jar for the starter")]


def en_hobby():
    act, thing = pick(ACTIVITIES)
    return pick([
        lambda: subject(act + "/when") or f"{act} on {fixed(act, WEEKDAYS)}s at {fixed_int(act, 18, 20)}:{fixed(act, ['00', '30'])}, ¥{fixed_int(act, 5, 30) * 100:,} per session.",
        lambda: subject(act + "/bring") or f"{act}: bring {thing}, and pay at the desk.",
        lambda: subject(act + "/with", 2) or f"{act} this week with {person()}; next time bring {thing}.",
        lambda: subject(act + "/signed") or f"Signed up for {act.lower()} for {fixed(act, ['three', 'six', 'ten'])} sessions from {date_en()}.",
    ])()


RECS = [("podcast", "Hard Fork"), ("podcast", "Darknet Diaries"), ("board game", "Wingspan"), ("board game", "Azul"),
        ("podcast", "Rebuild"), ("board game", "Codenames"), ("album", "Kind of Blue"), ("album", "Pet Sounds"),
        ("board game", "Ticket to Ride"), ("podcast", "99% Invisible"), ("app", "Merlin Bird ID"), ("album", "Blue Train"),
        ("app", "Anki"), ("board game", "Cascadia"), ("podcast", "The Rest Is History"), ("board game", "Splendor"),
        ("album", "Random Access Memories"), ("app", "Forest"), ("podcast", "Lex Fridman"), ("board game", "Carcassonne"),
        ("album", "Abbey Road"), ("app", "Libby"), ("podcast", "Radiolab"), ("board game", "The Crew")]


REC_VERDICTS = {"podcast": ["really good", "not for me", "good for the commute"],
                "board game": ["really good", "not for me", "fun with four people"],
                "album": ["really good", "not for me", "good for the commute"],
                "app": ["really useful", "not for me", "deleted it after a week"]}


def en_rec():
    kind, title = pick(RECS)
    subject(title)
    return pick([f"{person()} recommended the {kind} '{title}'.",
                 f"'{title}' ({kind}) — {person()} says it's great.",
                 f"Tried the {kind} '{title}' that {person()} mentioned: {pick(REC_VERDICTS[kind])}."])


APPLIANCES = ["Air conditioner", "Range hood", "Water purifier", "Dryer", "Dehumidifier", "Air purifier"]


def en_household():
    appliance = pick(APPLIANCES)
    facts = [
        (appliance, f"{appliance} filter replaced on {date_en()}; the next one is due in {fixed_int(appliance, 2, 12)} months."),
        ("fuse", f"The fuse box is {fixed('fuse', ['behind the coat rack', 'in the hall cupboard', 'above the front door'])}."),
        ("meter", f"The water meter is {fixed('meter', ['under the sink', 'in the cupboard outside the front door'])}."),
        ("gas", f"The gas shut-off valve is {fixed('gas', ['on the balcony', 'in the meter box by the door'])}."),
        ("smoke", f"Smoke alarm battery changed on {date_en()}."),
        ("bulb", f"The hallway light takes an {fixed('bulb', ['E17', 'E26'])} LED bulb, {fixed('bulb', ['warm white', 'daylight'])}."),
        ("heater", f"The water heater was serviced on {date_en()}; the technician's card is on the fridge."),
        ("fan", "The bathroom fan makes a rattle when the window is open; nothing is broken."),
        ("tablets", "The toilet cleaning tablets are under the bathroom sink; one a week."),
        ("breaker", "The breaker for the kitchen trips if the kettle and the microwave run together."),
        ("kettle", f"Descaled the kettle with citric acid on {date_en()}."),
        ("drain", "The balcony drain gets clogged with leaves in November; check it after storms."),
        ("batteries", f"Spare {fixed('batteries', ['AA', 'AAA'])} batteries are in the drawer under the TV."),
        ("intercom", "The intercom volume knob is on its left side, not the back."),
        ("hotwater", "The hot water temperature is set to 42 °C on the panel in the kitchen."),
        ("window", "The window in the small room whistles in strong wind; close it fully."),
        ("remote", "The air conditioner remote needs new batteries when the display fades."),
        ("mould", "Mould behind the bedroom wardrobe: keep it a few centimetres off the wall."),
        ("floor", "The floor heating panel is on the wall by the dining table; 3 is plenty."),
        ("curtains", f"Curtains washed on {date_en()}; they go in the net bag."),
        ("ice", "The fridge's ice maker needs filtered water only."),
        ("dehumidifier", "The dehumidifier tank fills in about a day in June."),
        ("lint", "The washing machine's lint filter is behind the small door at the bottom front."),
        ("tap", "The kitchen tap drips if it's not turned fully to the left."),
        ("burner", f"Gas stove burner caps were soaked and cleaned on {date_en()}."),
        ("entrance", "The entrance light is on a motion sensor; the override switch is inside the shoe cupboard."),
        ("inlets", "The ventilation inlets in the bedroom should stay open, even in winter."),
        ("rice", "The rice bin is under the counter next to the fridge."),
        ("kit", "The emergency kit is in the hall cupboard: water, torch, radio and a power bank."),
        ("partition", "The balcony partition can be broken through in an emergency; keep it clear."),
    ]
    key, text = pick(facts)
    subject(key)
    return text


BOOKS = [("Sapiens", "history"), ("Thinking, Fast and Slow", "psychology"), ("The Pragmatic Programmer", "programming"),
         ("Atomic Habits", "self-help"), ("The Remains of the Day", "literary fiction"), ("Kitchen", "Japanese fiction"),
         ("Convenience Store Woman", "Japanese fiction"), ("The Devotion of Suspect X", "mystery"),
         ("Educated", "memoir"), ("The Design of Everyday Things", "design"), ("Salt Fat Acid Heat", "cookbook"),
         ("Shoe Dog", "business memoir"), ("The Old Man and the Sea", "classic"), ("Team Topologies", "management"),
         ("A Philosophy of Software Design", "programming"), ("The Great Passage", "Japanese fiction"),
         ("Factfulness", "non-fiction"), ("The Housekeeper and the Professor", "Japanese fiction")]


def en_book():
    title, genre = pick(BOOKS)
    return pick([
        lambda: subject(title + "/read") or f"Reading {title} ({genre}); {pick(['slow start, picks up after chapter 3', 'lots to underline', 'good for the train', 'a bit repetitive'])}.",
        lambda: subject(title + "/done") or f"Finished {title} on {date_en()}: {pick(['solid', 'overrated', 'better than expected', 'would reread parts of it'])}.",
        lambda: subject(title + "/lent") or f"{person()} lent me {title}; give it back by {pick(MONTHS)}.",
        lambda: subject(title + "/hold") or f"Library hold on {title} ({genre}), pick up at the branch by {date_en()}.",
    ])()


FILMS = [("Drive My Car", 2021), ("Shoplifters", 2018), ("Spirited Away", 2001), ("Past Lives", 2023),
         ("The Grand Budapest Hotel", 2014), ("Oppenheimer", 2023), ("Your Name", 2016), ("Paddington 2", 2017),
         ("Amélie", 2001), ("Whiplash", 2014), ("Tampopo", 1985), ("Seven Samurai", 1954), ("Godzilla Minus One", 2023),
         ("Everything Everywhere All at Once", 2022), ("Tokyo Story", 1953), ("The Boy and the Heron", 2023),
         ("Parasite", 2019), ("Departures", 2008), ("Porco Rosso", 1992), ("The Intouchables", 2011),
         ("Mad Max: Fury Road", 2015), ("La La Land", 2016), ("Rashomon", 1950), ("Little Forest", 2014),
         ("The Secret Life of Walter Mitty", 2013), ("Coco", 2017), ("Anatomy of a Fall", 2023), ("Top Gun: Maverick", 2022)]


def en_film():
    film, year = pick(FILMS)
    subject(film)
    return pick([
        f"Watched {film} ({year}) on {date_en()}: {pick(['beautiful', 'too long', 'loved the soundtrack', 'fell asleep halfway', 'better the second time'])}.",
        f"Saw {film} at {pick(['Toho Cinemas Hibiya', 'the Shinjuku Piccadilly', 'the Meguro Cinema'])}; {pick(['great on a big screen', 'the kids liked it', 'slow but worth it'])}.",
        f"Watched {film} at home on {pick(['Netflix', 'Amazon Prime', 'U-NEXT'])}; {pick(['the kids liked it', 'slow but worth it', 'the subtitles were poor'])}.",
        f"{film}: watched it with {person()}, who had seen it three times already.",
    ])


HEALTH_NOTES = [
    "Magnesium before bed seems to help with the calf cramps.",
    "Foam roller on the outer thigh after long walks, two minutes a side.",
    "The watch reminds me to stand every 45 minutes; keep it on.",
    "A heat pack on the left shoulder for ten minutes helps after long calls.",
    "Sleep is worse after a heavy dinner late; eat before 20:00 on weekdays.",
    "Keep caffeine to two cups a day.",
    "Cold showers in summer only; in winter they just make me miserable.",
    "The 10-minute body scan in the meditation app works best right after lunch.",
    "Foam earplugs for sleeping in hotels; the silicone ones fall out.",
    "Morning stretch: cat-cow, hip flexors, hamstrings, five minutes in total.",
    "Tetanus booster was in 2022, good for ten years.",
    "Knee: no deep squats for now, says the physio.",
    "Screen top at eye level, elbows at 90 degrees.",
    "Headaches usually mean I skipped lunch or slept less than six hours.",
    "Walking meetings on Fridays: thirty minutes round the park.",
    "The bedroom sleeps best at 18–20 °C.",
    "Ginger sweets help with motion sickness on ferries.",
    "Lunchtime walk of 20 minutes makes the afternoon slump much milder.",
    "Blue-light filter on the phone from 21:00.",
    "Protein at breakfast keeps me from snacking before lunch.",
    "Plank: up to 90 seconds now, from 40 in spring.",
    "The standing desk at 105 cm is right for me, the chair at 46 cm.",
    "Too much screen time before bed shows up as restless sleep on the watch.",
    "Sauna once a week on Sundays; drink a lot afterwards.",
    "Ankle sprain from futsal healed in about three weeks; tape it for games.",
]


def en_health():
    facts = [(t, t) for t in HEALTH_NOTES] + [
        ("sleep", f"Sleep last week averaged {rng.randint(5, 7)} h {rng.randint(0, 55)} min; better on nights without screens after 23:00."),
        ("hr", f"Resting heart rate around {rng.randint(52, 72)} bpm this month."),
        ("steps", f"Steps: about {rng.randint(4, 12)},{rng.randint(100, 999)} a day on average in {pick(MONTHS)}."),
        ("knee", f"Physio for the left knee: {fixed('knee', ['wall sits', 'step-downs', 'clamshells', 'heel raises'])}, {fixed_int('knee', 2, 4)} sets, every other day."),
        ("wrist", "Wrist stretches every hour on heavy typing days; the right wrist aches otherwise."),
        ("flu", f"Flu shot done on {date_en_in([10, 11, 12])} at the clinic near the station."),
        ("vitd", "Vitamin D in winter, one tablet with breakfast."),
        ("coffee", "No coffee after 14:00 — sleep is noticeably better."),
        ("eyes", "For screen-tired eyes: every 20 minutes, look far away for 20 seconds."),
    ]
    key, text = pick(facts)
    subject(key)
    return text


SUBS = [("Netflix", 1490), ("Spotify", 980), ("iCloud 200 GB", 450), ("NHK", 1100), ("YouTube Premium", 1280),
        ("Audible", 1500), ("Nintendo Switch Online", 306), ("the newspaper app", 2000)]


def en_money():
    svc, price = pick(SUBS)
    p = person()
    return pick([
        lambda: subject(svc) or f"Subscription: {svc} ¥{price:,} a month, charged on the {fixed_int(svc, 1, 28)}th.",
        lambda: (lambda what: subject(what) or f"I owe {p} {yen(10, 150)} for the {what}.")(pick(['concert tickets', 'taxi', 'birthday present we shared', 'karaoke', 'train tickets', 'barbecue'])),
        lambda: (lambda what: subject(what) or f"{p} owes me {yen(10, 150)} for the {what}.")(pick(['Airbnb', 'dinner', 'rental car', 'museum tickets', 'groceries', 'ski lift passes'])),
        lambda: subject(p + "/wedding") or f"Budget for {p}'s wedding gift: ¥{fixed_int(p, 1, 5) * 10000:,}.",
        lambda: (lambda c: subject(c + "/split") or f"Split the {c} weekend four ways: {yen(80, 400)} each.")(pick(CITIES_EN)),
        lambda: subject("transfer") or f"Transfers to other banks cost ¥{fixed('fee', [110, 145, 220])} after the first {fixed_int('fee', 3, 10)} free ones each month.",
    ])()


TRIVIA = ["octopuses have three hearts and blue blood", "honey from Egyptian tombs was still edible",
          "Mount Fuji last erupted in 1707", "the Seto Ohashi bridge carries both road and rail",
          "bananas are berries but strawberries are not", "a day on Venus is longer than its year",
          "Tokyo Skytree is 634 m tall, a pun on the old province name Musashi",
          "Lake Biwa is about four million years old", "wombats produce cube-shaped droppings",
          "the Eiffel Tower grows about 15 cm in summer heat", "sharks are older than trees",
          "sound travels about four times faster in water than in air", "the dot over an i is called a tittle",
          "Oxford University is older than the Aztec Empire",
          "Cleopatra lived closer in time to the Moon landing than to the building of the Great Pyramid",
          "a group of flamingos is called a flamboyance", "the first Shinkansen ran in 1964",
          "Venus is the only planet that spins clockwise", "an ostrich's eye is bigger than its brain",
          "Japan has more vending machines per person than any other country", "the Great Wall is not visible from the Moon",
          "a jiffy is an actual unit of time, 1/100 of a second in electronics", "koalas sleep up to 20 hours a day",
          "Tokyo's Yamanote line loop is 34.5 km long", "there are more possible chess games than atoms in the observable universe",
          "the Japanese archipelago has over 100 active volcanoes", "lightning is about five times hotter than the Sun's surface",
          "the shortest war in history lasted under an hour", "hot water can freeze faster than cold water under some conditions",
          "a blue whale's heart is about the size of a small car", "the word 'robot' comes from a Czech play from 1920",
          "Nintendo started out making playing cards in 1889", "the Seikan Tunnel was the world's longest railway tunnel until 2016",
          "honeybees can recognise human faces", "the first emoji set was made in Japan in 1999",
          "Saturn would float in a big enough bathtub", "Antarctica is technically a desert",
          "the Eiffel Tower was meant to stand for only 20 years", "a teaspoon of neutron star would weigh about a billion tonnes",
          "the Pacific is wider than the Moon", "Japan's oldest company, Kongō Gumi, was founded in 578",
          "there is a town in Norway called Hell", "sloths can hold their breath longer than dolphins",
          "the Hiragana alphabet has 46 basic characters", "the speed of light is about 300,000 km per second",
          "crows can remember human faces for years", "the Amazon river has no bridges across it",
          "the shortest commercial flight, in Scotland, takes under two minutes", "Mount Everest grows a few millimetres a year",
          "peanuts are legumes, not nuts", "a day on Mars is about 40 minutes longer than ours",
          "Tokyo Station's red-brick building opened in 1914"]


def en_trivia():
    t = pick(TRIVIA)
    subject(t)
    return pick([f"Fun fact: {t}.", f"Pub quiz material: {t}.", f"{person()} told me that {t}.", f"{cap(t)}."])


def en_sports():
    return pick([
        lambda: subject("baseball", 3) or f"Swallows vs Giants at Jingu on {date_en_in([4, 5, 6, 7, 8, 9])}, {rng.randint(17, 18)}:00; outfield seats, {yen(20, 45)} each.",
        lambda: subject("tennis", 2) or f"Tennis with {person()} on {pick(WEEKDAYS)}: lost {pick(['4–6, 6–3, 5–7', '3–6, 4–6', '6–7, 6–4, 4–6'])}; backhand still breaks down under pressure.",
        lambda: subject("league") or f"Badminton league: we finished {fixed('league', ['2nd', '3rd', '5th', '6th'])} out of {fixed_int('league', 8, 14)} teams.",
        lambda: subject("ski") or f"Ski trip to {fixed('ski', ['Hakuba', 'Naeba', 'Zao', 'Nozawa Onsen', 'Gala Yuzawa'])} in {fixed('ski', ['January', 'February', 'March'])}; rent boots there, bring goggles.",
        lambda: subject("sumo") or "The January, May and September sumo tournaments are at the Kokugikan; tickets go on sale about a month before.",
        lambda: subject("football", 2) or f"Watched the {pick(['Japan', 'Kawasaki Frontale', 'Urawa Reds', 'FC Tokyo'])} match at a sports bar in {pick(['Shibuya', 'Shinjuku', 'Ebisu'])} with {person()}.",
        lambda: subject("kit") or f"Futsal team kit: home {fixed('kit', ['navy', 'green', 'red'])}, away white.",
        lambda: subject("rugby") or f"Rugby: {pick(['Japan vs Wales', 'Japan vs Ireland', 'Tokyo Sungoliath vs Saitama Wild Knights'])} at {pick(['Chichibunomiya', 'the National Stadium'])}; went with {person()}.",
        lambda: subject("pingpong") or f"Table tennis at the community centre: {fixed('pingpong', ['¥300', '¥400'])} for two hours, bring your own bat.",
        lambda: subject("bowling") or f"Bowling night with the team: best game {rng.randint(120, 190)}.",
        lambda: subject("bleague", 2) or f"B.League: {pick(['Alvark Tokyo', 'Chiba Jets', 'Kawasaki Brave Thunders'])} game on {date_en_in([10, 11, 12, 1, 2, 3, 4])}, courtside seats were worth it.",
        lambda: subject("golf") or f"Golf practice range near the station: {fixed('golf', ['¥1,500', '¥2,000'])} for 100 balls; the left-handed bays are at the far end.",
        lambda: subject("climb") or f"Climbing grade log: sent my first {fixed('climb', ['5.10a', '5.10b', '6a+', 'V3'])} on {date_en()}.",
        lambda: subject("racket") or "Tennis racket restrung at 24 kg; it felt too loose at 22.",
        lambda: subject("ekiden") or f"Watched the Hakone Ekiden on TV on {fixed('ekiden', ['January 2', 'January 3'])}; {fixed('ekiden', ['Aoyama', 'Komazawa', 'Chuo'])} won.",
        lambda: subject("shuttles") or f"Badminton shuttles: the {fixed('shuttles', ['Yonex Aerosensa 20', 'Yonex Aerosensa 30'])} last longest.",
        lambda: subject("pitch") or "Futsal: the league's indoor pitch at Toyosu is fine, the one at Shinagawa has slippery corners.",
    ])()


GROCERIES = ["dish soap", "eggs", "tofu", "AA batteries", "printer paper", "kitchen roll", "natto", "olive oil",
             "toothpaste", "coffee beans", "tissues", "bin bags", "soy milk", "frozen edamame", "cling film", "rice vinegar"]


def en_shopping():
    a, b, c = some(GROCERIES, 3)
    item = pick(ITEMS)
    return pick([
        lambda: subject("+".join(sorted([a, b, c]))) or f"Shopping list: {a}, {b}, {c}.",
        lambda: subject("+".join(sorted([a, b]))) or f"Out of {a} and {b}; pick them up on the way home.",
        lambda: subject(item) or f"Wishlist: {item} — wait for the {fixed(item, ['summer', 'winter', 'Black Friday'])} sale.",
        lambda: subject("+".join(sorted([a, b, c]))) or f"Costco run on {date_en()} with {person()}: {a}, {b}, {c}.",
    ])()


RELATIVES = ["my brother Ken", "my cousin Aki", "Uncle Hiroshi", "my sister-in-law Yumi", "my brother-in-law Taro"]


def en_family():
    rel = pick(RELATIVES)
    return pick([
        lambda: subject(rel + "/moved") or f"{cap(rel)} moved to {fixed(rel, CITIES_EN)} for work in {fixed(rel, MONTHS)}.",
        lambda: subject("dad") or f"Dad started growing {fixed('dad', ['blueberries', 'chillies', 'strawberries', 'figs'])} on his balcony; he sends photos every week.",
        lambda: (lambda place: subject(place) or f"The kids want to visit {place} during the {pick(['spring', 'summer', 'winter'])} holidays.")(pick(['the Sumida aquarium', 'the science museum in Ueno', 'Legoland Nagoya', 'the railway museum in Omiya'])),
        lambda: subject("sportsday") or f"Sports day at the kids' school is on {date_en_in([5, 6, 9, 10])}; bring a picnic sheet and hats.",
        lambda: subject(rel + "/wedding") or f"{cap(rel)} is getting married in {fixed(rel + 'w', MONTHS)}, in {fixed(rel + 'w', CITIES_EN)}.",
        lambda: subject("gw") or f"Golden Week plan: {fixed('gw', ['two nights in Nagano', 'stay home and paint the balcony', 'visit the grandparents', 'a day at the zoo'])}.",
        lambda: subject("mum") or f"Mum is visiting from {' to '.join(date_range_en())}.",
    ])()


PETS = [("Kinako", "rabbit", ["nails trimmed every six weeks", "loves dried papaya as a treat", "shedding heavily in spring"]),
        ("Pip", "budgie", ["cage cleaned on Sundays", "learned to whistle the doorbell tune", "likes millet sprays"]),
        ("Kame", "turtle", ["the UV lamp is replaced every six months", "hibernation is skipped indoors", "basks most mornings"]),
        ("Goldie", "goldfish", ["rinse the filter sponge in tank water, not tap water", "turns five this year"]),
        ("Mugi", "hamster", ["bedding changed every Saturday", "the wheel squeaks, oil it", "is most active after 22:00"]),
        ("Kinako", "rabbit", ["hates the sound of the vacuum", "the hay rack needs refilling every evening", "chewed the sofa leg, put a guard on it"]),
        ("Pip", "budgie", ["the cuttlebone is replaced monthly", "hates the colour red", "sleeps better with the cage half covered"]),
        ("Kame", "turtle", ["the water filter is cleaned every two weeks", "grew 2 cm this year", "likes dried shrimp far too much"]),
        ("Goldie", "goldfish", ["the tank light is on a timer, 8:00 to 20:00", "the new plant in the tank is anubias"])]


def en_pet():
    name, kind, facts = pick(PETS)
    fact = pick(facts)
    return pick([
        lambda: subject(fact) or f"{name} the {kind}: {fact}.",
        lambda: subject(fact) or f"{name} ({kind}) — {fact}.",
        lambda: subject(name + "/sitter") or f"{person()} will look after {name} the {kind} while we're away, {' to '.join(date_range_en())}.",
    ])()


PLANTS = ["basil", "shiso", "cherry tomatoes", "mint", "lemon balm", "strawberries", "chillies", "parsley", "rosemary",
          "morning glories", "sunflowers"]


def en_garden():
    pl = pick(PLANTS)
    return pick([
        lambda: subject(pl + "/planted") or f"Planted {pl} on the balcony on {date_en_in([3, 4, 5])}.",
        lambda: subject(pl + "/pinch") or f"{cap(pl)}: pinch off the flower buds to keep the leaves coming.",
        lambda: subject(pl + "/harvest", 2) or f"Harvested {rng.randint(3, 40)} {pl} on {date_en_in([6, 7, 8, 9])}.",
        lambda: subject(pl + "/feed") or f"Liquid fertiliser for the {pl} every two weeks from {fixed(pl, ['April', 'May', 'June'])}.",
        lambda: subject(pl + "/stake") or f"The {pl} seedlings need a stake at about 30 cm.",
        lambda: subject(pl + "/aphids") or f"Aphids on the {pl}; a soapy water spray sorted them out.",
    ])()


PHRASES = [("Korean", "얼마예요?", "how much is it?"), ("Korean", "감사합니다", "thank you (polite)"),
           ("Korean", "화장실 어디예요?", "where is the toilet?"), ("Spanish", "¿Me pone un café?", "could I have a coffee?"),
           ("Spanish", "Estoy aprendiendo", "I'm learning"), ("French", "Je voudrais", "I would like"),
           ("French", "Ça marche", "that works / OK"), ("Italian", "Il conto, per favore", "the bill, please"),
           ("Portuguese", "Obrigado", "thank you (said by a man)"), ("Korean", "잘 먹겠습니다", "said before eating"),
           ("Korean", "천천히 말해 주세요", "please speak slowly"), ("Korean", "괜찮아요", "it's fine / no problem"),
           ("Spanish", "Se me olvidó", "I forgot (it slipped my mind)"), ("Spanish", "¿Qué tal?", "how's it going?"),
           ("French", "Il fait beau", "the weather is nice"), ("French", "Je n'en sais rien", "I have no idea"),
           ("Italian", "Magari!", "if only! / I wish"), ("German", "Feierabend", "the end of the working day"),
           ("German", "Na ja", "well... / oh well"), ("Portuguese", "Saudade", "a longing for something absent"),
           ("Japanese", "お疲れさまです", "the all-purpose greeting between colleagues"),
           ("Japanese", "よろしくお願いします", "roughly 'I'm counting on you', said after a request"),
           ("Korean", "화이팅", "go for it / you can do it"), ("Spanish", "Ojalá", "hopefully")]


def en_language():
    lang, ph, meaning = pick(PHRASES)
    end = "" if meaning.endswith(("?", ")")) else "."
    return pick([lambda: subject(ph) or f"{lang}: {ph} = {meaning}{end}",
                 lambda: subject(ph) or f"{lang} phrase to remember: {ph}, meaning {meaning}{end}",
                 lambda: subject(lang + "/streak") or f"Duolingo {lang} streak: {rng.randint(10, 400)} days."])()


STRINGS = ['Elixir', "D'Addario", 'Martin']


def en_guitar():
    song = pick(['Blackbird', 'Wonderwall', 'Hotel California', 'Sukiyaki', 'Let It Be'])
    return pick([
        lambda: subject("change", 2) or f"Guitar: practise the {pick(['F to C', 'G to D', 'Bm to G', 'Am to E'])} change at {rng.randint(60, 110)} bpm.",
        lambda: subject(song) or f"Learning '{song}' — capo on {fixed_int(song, 1, 5)}.",
        lambda: subject("strings") or f"New strings on {date_en()} ({fixed('strings', STRINGS)} light).",
        lambda: subject("picking") or "Fingerpicking pattern for the intro: thumb on 6 and 4, index on 3, middle on 2.",
        lambda: subject("barre") or "Barre chords buzz less with the thumb lower on the neck.",
        lambda: subject("truss") or f"The {fixed('guitar', ['Yamaha FG', 'Martin D-10', 'Taylor GS Mini'])} needs its truss rod checked before summer.",
        lambda: subject("practice") or "Practice log: 20 minutes a day works better than two hours on Sunday.",
        lambda: subject("tuner") or "The tuner app's calibration is set to 440 Hz.",
    ])()


ARTISTS = ["Hoshino Gen", "Official HIGE DANdism", "Perfume", "YOASOBI", "King Gnu", "Aimyon", "Ado", "Vaundy"]
VENUES = ["Tokyo Dome", "the Budokan", "Saitama Super Arena", "Zepp DiverCity", "Yokohama Arena"]
SHOWS = [("a Monet exhibition", "the National Museum of Western Art"), ("teamLab Planets", "Toyosu"),
         ("a dinosaur exhibition", "the National Museum of Nature and Science"), ("the Ghibli Museum", "Mitaka"),
         ("a Hokusai exhibition", "the Sumida Hokusai Museum")]


def en_tickets():
    show, place = pick(SHOWS)
    artist = pick(ARTISTS)
    return pick([
        lambda: subject(artist + "/tickets") or f"Tickets for {artist} at {fixed(artist, VENUES)} on {date_en()}: block {pick('ABCDEF')}, row {rng.randint(1, 40)}.",
        lambda: subject(artist + "/lottery") or f"{artist} ticket lottery results come out on {date_en()}.",
        lambda: subject(show + "/until") or f"{cap(show)} at {place} until {date_en()}; book a time slot online.",
        lambda: subject(show + "/went") or f"Went to {show} at {place} with {person()}; {pick(['crowded but good', 'go on a weekday', 'the shop is worth a look'])}.",
    ])()


GIFTS = ["a good pair of chopsticks", "a Kindle", "a pour-over coffee set", "a plant in a nice pot", "a board game",
         "a Moleskine and a pen", "a bath-salt set", "a furoshiki", "a cooking class voucher", "a book on ceramics"]


def en_gift():
    p = person()
    return pick([
        lambda: subject(p + "/idea") or f"Gift idea for {p}: {fixed(p, GIFTS)}; {p} mentioned it in {fixed(p, MONTHS)}.",
        lambda: subject(p + "/got") or f"Got {p} {fixed(p + 'got', GIFTS)} for their birthday; a hit.",
        lambda: subject(p + "/farewell") or f"Farewell present for {p} from the team: {pick(GIFTS)}, everyone puts in {yen(5, 20)}.",
        lambda: subject(p + "/house") or f"Housewarming at {p}'s on {date_en()}: bring {pick(GIFTS)}.",
    ])()


GAMES = ["Tears of the Kingdom", "Pokémon Scarlet", "Splatoon 3", "Elden Ring", "Animal Crossing", "Stardew Valley",
         "Mario Kart 8", "Tetris 99", "Hades", "Baldur's Gate 3"]
SERIES = [("Shōgun", "Disney+"), ("The Bear", "Disney+"), ("Severance", "Apple TV+"), ("Midnight Diner", "Netflix"),
          ("Queer Eye", "Netflix"), ("The Great British Bake Off", "Netflix"), ("Only Murders in the Building", "Disney+")]


def en_games_tv():
    show, service = pick(SERIES)
    game = pick(GAMES)
    return pick([
        lambda: subject(game + "/done") or f"Finished {game} main story in about {fixed_int(game, 20, 140)} hours.",
        lambda: subject(show) or f"Watching {show} on {service}; up to episode {rng.randint(2, 10)}.",
        lambda: subject(game + "/with") or f"{game} with {person()} on {pick(WEEKDAYS)} night — {pick(['lost every round', 'finally beat the boss', 'fun with four players'])}.",
        lambda: subject(game + "/again") or f"Started {game} again from a fresh save.",
    ])()


def en_diy():
    text = pick([
        "The bedroom door hinge squeaked; a drop of oil fixed it.",
        f"Wall plugs for the bookshelf: {pick(['6 mm', '8 mm'])} plugs with {pick(['4×35', '5×40'])} screws.",
        "The balcony light switch is the one nearest the window.",
        f"Touch-up paint for the hallway: {pick(['Kansai Paint', 'Asahipen'])}, colour {pick(['ivory', 'off-white', 'warm grey'])}.",
        f"The IKEA {pick(['KALLAX', 'BILLY', 'MALM', 'HEMNES'])} needs the 4 mm Allen key; it's in the tool box.",
        f"Fixed the wobbly {pick(['table', 'chair', 'stool'])} with felt pads on {date_en()}.",
        "The sliding door sticks in summer; a bit of candle wax on the rail helps.",
        "Replaced the shower head with a water-saving one; the old one is in the box on the top shelf.",
        "Picture hooks for plasterboard hold up to 3 kg; the big mirror needs a proper anchor.",
        "Re-glued the loose tile edge in the entrance with the white adhesive from the hardware store.",
        f"The door closer on the front door was adjusted on {date_en()}; the screw on top sets the speed.",
        "Shoji paper replaced in the small room: iron-on type, much easier than glue.",
        "Cable ties and the label maker tidied the mess behind the TV.",
        "Fixed the drawer runner in the kitchen: the plastic clip had popped out.",
        "The wobbly balcony chair needs a new rubber foot, size 22 mm.",
        "Silicone sealant in the bathroom: use the mould-resistant one, white.",
        "The bookshelf in the study is anchored to the wall stud with two L-brackets.",
        "Sanded and oiled the wooden cutting board; oil it again every few months.",
        "Replaced the fridge door seal; ordered by the model number on the inside label.",
        "Put anti-tip straps on the tall wardrobe in the bedroom for earthquakes.",
        "Magnetic catches on the cupboard doors stop them swinging open.",
    ])
    subject(text[:24])
    return text


COURSES = ["the machine learning course on Coursera", "calligraphy basics", "Spanish A2 online", "data visualisation with D3",
           "bookkeeping basics", "photography composition", "Korean for beginners", "an intro to UX research",
           "music theory for guitarists", "a watercolour course", "the statistics refresher on Khan Academy",
           "product management basics", "a sourdough baking course"]


def en_course():
    course = pick(COURSES)
    return pick([
        lambda: subject(course + "/quiz") or f"Online course, {course}: week {rng.randint(1, 10)} quiz due {pick(WEEKDAYS)}.",
        lambda: subject(course + "/half") or f"Halfway through {course}; about {fixed_int(course, 2, 6)} hours a week.",
        lambda: subject(course + "/cert") or f"Certificate for {course} is saved in Documents/Certificates.",
    ])()


DAYTRIP_PLACES = ["Kawagoe", "Enoshima", "Chichibu", "Mito", "Kamakura", "Yokosuka", "Sawara", "Kawaguchiko", "Odawara"]


def en_daytrip():
    place = pick(DAYTRIP_PLACES)
    return pick([
        lambda: subject(place) or f"Went to {place} with {person()} on {date_en()}: {pick(['worth it', 'too crowded', 'lovely weather', 'too much walking for the kids'])}.",
        lambda: subject(place) or f"Day trip idea for {pick(MONTHS)}: {place}.",
        lambda: subject("Kawagoe") or f"Day trip idea: Kawagoe — the old warehouse street, best {pick(['on a weekday', 'before 10:00'])}.",
        lambda: subject("Enoshima") or "Day trip idea: Enoshima; the escalators up the island are worth the small fee.",
        lambda: subject("Chichibu") or f"Chichibu in {pick(['spring', 'autumn'])}: the limited express from Ikebukuro takes 80 minutes.",
        lambda: subject("Mito") or "Mito's Kairakuen has plum trees in February and March.",
        lambda: subject("Ashikaga") or "Ashikaga Flower Park: wisteria in late April, go after dark for the lights.",
        lambda: subject("Yokohama") or "Yokohama Chinatown and the harbour walk make an easy half day.",
        lambda: subject("Kawaguchiko") or "Kawaguchiko: the retro bus loops round the lake and stops at every viewpoint.",
    ])()


BIRDS = ["a kingfisher", "a grey heron", "a Japanese white-eye", "a bull-headed shrike", "a great egret", "a black kite",
         "a pair of mandarin ducks", "a varied tit", "a Daurian redstart", "a little grebe", "an oriental turtle dove",
         "a pair of great crested grebes", "a Eurasian wren", "a blue rock thrush"]
BIRD_SPOTS = ["Shakujii Park", "the Tama river bank", "Yoyogi Park", "Kasai Rinkai Park", "Mizumoto Park",
              "Inokashira Park", "the Meiji Shrine forest", "Shinobazu Pond", "the Yatsu tidal flat"]


def en_birding():
    b1, b2 = some(BIRDS, 2)
    spot = pick(BIRD_SPOTS)
    return pick([
        lambda: subject(b1 + spot) or f"Saw {b1} at {spot} on {date_en()}.",
        lambda: subject(b1 + spot) or subject(b2 + spot) or f"Bird log, {spot}: {b1} and {b2}.",
        lambda: subject(b1 + "/season") or f"{cap(spot)} is good for {b1} in {pick(['winter', 'spring', 'autumn'])}; go early in the morning.",
        lambda: subject(b1 + "/new") or f"New for the list: {b1}, at {spot}.",
        lambda: subject(b1 + spot) or f"{person()} spotted {b1} near {spot}; bring the 8×42 binoculars next time.",
    ])()


KITCHEN_TIPS = [
    "salt aubergine for 20 minutes before frying and it soaks up less oil",
    "rest a steak for about as long as it cooked",
    "freeze ginger and grate it straight from the freezer",
    "a spoon of mayonnaise in the egg mixture keeps tamagoyaki soft",
    "toast whole spices in a dry pan before grinding them",
    "loosen a sauce with pasta water, not more oil",
    "wash leeks after slicing them, not before",
    "a splash of vinegar keeps poached eggs together",
    "grate cold butter into the flour for flaky pastry",
    "soak dried shiitake overnight in the fridge for the deepest flavour",
    "a paper towel in the salad box keeps the leaves crisp",
    "a banana in the paper bag ripens avocados faster",
    "onions sting less when the knife is really sharp",
    "pat chicken dry before roasting and the skin crisps up",
    "frozen bread toasts fine straight from the freezer",
    "lemon juice stops apple slices from browning",
    "don't crowd the pan when browning mince",
    "press tofu for 15 minutes before stir-frying",
    "a little sugar in tomato sauce takes the edge off sour tins",
    "grated daikon takes the heat off very spicy dishes",
    "a damp towel under the chopping board stops it sliding",
    "cook garlic gently; burnt garlic turns the whole dish bitter",
    "salt pasta water properly, it's the only chance to season the pasta itself",
    "freeze leftover tomato paste in spoonfuls on baking paper",
    "let meat come to room temperature before grilling",
    "sesame seeds taste twice as good after a minute in a dry pan",
    "cooked rice freezes well in flat portions wrapped in cling film",
    "a pinch of baking soda softens dried chickpeas faster",
    "cut cake with a hot, dry knife",
    "add the soy sauce last so it doesn't burn",
]


def en_kitchen():
    tip = pick(KITCHEN_TIPS)
    subject(tip)
    return pick([f"Kitchen tip: {tip}.", f"{cap(tip)}.", f"{person()}'s kitchen tip: {tip}.",
                 f"Learned at the cooking class: {tip}."])


NEARBY = [("the bakery by the station", ["sells out of melon pan by 10:00", "bakes a second batch of baguettes at 15:00"]),
          ("the hardware store on the shopping street", ["sells screws by the piece", "sharpens kitchen knives for ¥800"]),
          ("the tofu shop", ["is closed on Wednesdays", "sells fresh soy milk in glass bottles"]),
          ("the greengrocer", ["marks everything down after 18:00", "gets peaches from Yamanashi in July"]),
          ("the second-hand bookshop", ["buys paperbacks back for ¥10–50", "has a shelf of old railway timetables"]),
          ("the dry cleaner", ["takes three days for coats", "does small repairs like buttons for free"]),
          ("the butcher", ["has croquettes for ¥90, fresh around 16:00", "minces meat to order"]),
          ("the post office", ["opens at 9:00 on weekdays and the ATM runs until 21:00", "sells boxes in four sizes"]),
          ("the stationery shop", ["stocks Hobonichi refills", "prints business cards in two days"]),
          ("the sento", ["opens at 15:00 and costs ¥520", "has a sauna for an extra ¥300"]),
          ("the Japanese sweet shop", ["makes mame daifuku on Saturdays only", "sells kashiwa mochi in early May"]),
          ("the watch repair shop", ["changes a battery in ten minutes", "is run by a man who has been there 40 years"]),
          ("the fishmonger", ["fillets fish for free if you ask", "has the best prices on Saturday afternoon"]),
          ("the rice shop", ["polishes rice to order", "delivers 10 kg bags within the ward"]),
          ("the shoe repair stand at the station", ["replaces heels while you wait", "closes at 19:00"]),
          ("the photo studio", ["takes ID photos in five minutes", "prints from a USB stick"]),
          ("the tailor on the corner", ["shortens trousers in two days", "only takes cash"]),
          ("the library branch", ["has a quiet study room upstairs", "lends out board games too"])]


def en_nearby():
    shop, facts = pick(NEARBY)
    fact = pick(facts)
    return pick([lambda: subject(fact) or f"{cap(shop)} {fact}.", lambda: subject(fact) or f"Good to know: {shop} {fact}.",
                 lambda: subject(fact) or f"Found out that {shop} {fact}.",
                 lambda: subject(facts[0]) or subject(facts[1]) or f"{cap(shop)}: {facts[0]}; also {facts[1]}."])()


# (note, months it can happen in)
WEATHER = [("the rainy season started on {d} this year", [6]), ("first day over 35 °C this summer: {d}", [7, 8]),
           ("typhoon on {d}: trains stopped in the afternoon, the balcony plants survived", [8, 9, 10]),
           ("the first snow in the city this winter was on {d}, gone by noon", [12, 1, 2]),
           ("a yellow sand haze on {d}; kept the windows shut", [3, 4, 5]),
           ("a huge thunderstorm on {d} cut the power for ten minutes", [6, 7, 8, 9]),
           ("the rainy season ended on {d}, earlier than usual", [7]),
           ("the first cold north wind of autumn came on {d}", [10, 11]), ("hail the size of peas on {d}", [5, 6]),
           ("the hottest night of the year: 29 °C at midnight on {d}", [7, 8]),
           ("a small earthquake on {d}, about shindo 3 here; nothing fell", list(range(1, 13))),
           ("a double rainbow over the river on {d}", list(range(1, 13)))]


def en_weather():
    w, months = pick(WEATHER)
    subject(w)
    return cap(w.format(d=date_en_in(months))) + "."


ARTICLES = [("a post on writing good error messages", "say what happened, why, and what to do next"),
            ("an essay on four-day weeks", "the trial firms mostly kept the output and lost the meetings"),
            ("a long read about Japanese vending machines", "there is roughly one for every 30 people"),
            ("an article on sleep and memory", "the deep sleep early in the night matters most for facts"),
            ("a piece about the history of the QR code", "it was invented at Denso Wave for tracking car parts"),
            ("a blog post on naming things in UI copy", "verbs on buttons, nouns on headings"),
            ("an interview with a ferry captain", "fog is worse than wind for keeping to the timetable"),
            ("a newsletter about seed saving", "tomatoes come true from seed, most squash does not"),
            ("an article on habit tracking", "tracking fewer habits made people stick to more of them"),
            ("a post about the Shinkansen cleaning crews", "they turn a train around in seven minutes"),
            ("a long read about the Tokyo water supply", "leak rates are under 3 %, among the lowest anywhere"),
            ("an essay on reading on paper versus screens", "people remember the order of events better on paper"),
            ("a piece on why bread goes stale", "starch recrystallises fastest at fridge temperature"),
            ("an article on standing desks", "switching position often helps more than standing all day")]


def en_article():
    what, take = pick(ARTICLES)
    subject(what)
    return pick([f"Read {what}: {take}.", f"From {what} — {take}.", f"{person()} sent me {what}; the gist: {take}."])


PHOTO_TIPS = ["night street shots: ISO 3200, f/1.8, 1/60 s handheld", "the 35 mm lens is sharpest at f/5.6",
              "for birds, shutter at 1/1000 s or faster", "shoot fireworks on a tripod at f/8 and 2–4 seconds",
              "overcast days are best for portraits", "use the histogram, not the screen, to judge exposure outdoors",
              "turn off image stabilisation on a tripod", "the golden hour in December starts around 15:30",
              "bracket three exposures for interiors with bright windows", "clean the sensor before long trips",
              "RAW + JPEG only when the card has room", "a polariser kills reflections on shop windows",
              "focus a third of the way into a landscape", "leave space in front of a moving subject"]


def en_photo():
    tip = pick(PHOTO_TIPS)
    subject(tip)
    return pick([f"Photo note: {tip}.", f"Camera: {tip}.", f"From the photo walk: {tip}."])


QUOTES = [("Make it work, make it right, make it fast.", "Kent Beck"),
          ("Simple things should be simple, complex things should be possible.", "Alan Kay"),
          ("The best time to plant a tree was 20 years ago. The second best time is now.", "a proverb"),
          ("If you can't explain it simply, you don't understand it well enough.", "attributed to Einstein"),
          ("Weeks of coding can save you hours of planning.", "an old joke"),
          ("Perfect is the enemy of good.", "Voltaire"), ("Fall seven times, stand up eight.", "a Japanese proverb"),
          ("What gets measured gets managed.", "Peter Drucker, supposedly"),
          ("Strong opinions, weakly held.", "Paul Saffo"), ("The map is not the territory.", "Alfred Korzybski"),
          ("Slow is smooth, smooth is fast.", "a military saying"), ("Writing is thinking.", "David McCullough"),
          ("Done is better than perfect.", "a poster in the office"), ("Every expert was once a beginner.", "Helen Hayes")]


def en_quote():
    q, who = pick(QUOTES)
    subject(q)
    return pick([f"Quote I liked: \u201c{q}\u201d — {who}.", f"\u201c{q}\u201d ({who})", f"Saving this one: \u201c{q}\u201d — {who}."])


ALBUMS = [("Norah Jones", "Come Away with Me"), ("Ryuichi Sakamoto", "async"), ("Tatsuro Yamashita", "For You"),
          ("Bill Evans", "Waltz for Debby"), ("Radiohead", "In Rainbows"), ("Mariya Takeuchi", "Variety"),
          ("Hiroshi Yoshimura", "Music for Nine Postcards"), ("Fleetwood Mac", "Rumours"), ("Joni Mitchell", "Blue"),
          ("Cornelius", "Point"), ("Khruangbin", "Con Todo El Mundo"), ("Nujabes", "Modal Soul"),
          ("Vampire Weekend", "Father of the Bride"), ("Haruomi Hosono", "Hosono House")]


def en_music():
    artist, album = pick(ALBUMS)
    subject(album)
    return pick([f"On repeat this week: {album} by {artist}.", f"{artist} — {album}: good for focused work.",
                 f"Bought {album} ({artist}) on vinyl at {pick(['Disk Union', 'Tower Records', 'a second-hand shop in Koenji'])}.",
                 f"{person()} got me into {artist}; start with {album}."])


# ============================================================================ Japanese, work

JA_CODE_FACTS = [
    ("slugify()", "utils/text.py", "小文字にする前にアクセント記号を落とすが、かなや漢字はそのまま残す"),
    ("chunked()", "utils/iter.py", "最後のかたまりが指定サイズに満たなくてもそのまま返す"),
    ("normalize_sku()", "catalog/sku.py", "大文字にしてハイフンを消すので、AB-12 と ab12 が同じ品番になる"),
    ("pickColor()", "charts/palette.ts", "8色を順番に使い回すので、9本目の系列が1本目と同じ色になる"),
    ("mergeIntervals()", "shifts/intervals.go", "9〜12時と12〜15時のように接している区間を一つにまとめる"),
    ("haversine()", "fleet/geo.py", "引数を度で受け取り、結果をメートルではなくキロメートルで返す"),
    ("deepMerge()", "config/merge.js", "配列を連結せずに丸ごと置き換える"),
    ("Weekday.fromIndex()", "planner/Weekday.kt", "java.util.Calendar と違って月曜を0として数える"),
    ("truncate_label()", "printer/labels.py", "28文字で切り、末尾の「…」も1文字に数える"),
    ("SeatMap.render()", "venue/SeatMap.swift", "舞台側から描くので、A列が画像の一番下に来る"),
    ("bucket_ages()", "survey/stats.py", "65歳以上をひとまとめの区分にする"),
    ("shuffle_questions()", "quiz/engine.py", "同意確認の設問だけは先頭に固定したまま並べ替える"),
    ("simplify_track()", "fleet/track.py", "直前の点から15m以内の位置情報を間引く"),
    ("formatArea()", "floorplan/units.ts", "日本のユーザーには坪、それ以外には平方メートルで面積を出す"),
    ("scoreLead()", "crm/scoring.rb", "点数を100で頭打ちにし、90日より前の訪問は数えない"),
    ("parse_yield()", "recipes/parse.py", "「4人分」は読めるが「四人前」は読めない"),
    ("nextSlot()", "delivery/slots.go", "今から90分以内に始まる枠を飛ばす"),
    ("thumbnail_grid()", "catalog/grid.py", "必ず3×3のマス目を作り、足りない分を灰色のタイルで埋める"),
    ("wordCount()", "editor/stats.ts", "URL をまるごと1語として数える"),
    ("dedupe_contacts()", "crm/dedupe.py", "まず電話番号で突き合わせ、メールアドレスは二番目に見る"),
    ("germination_days()", "seeds/data.py", "一つの数ではなく必ず（最短, 最長）の組を返す"),
    ("BarcodeReader.decode()", "scanner/Barcode.kt", "寛容モードを有効にしない限り EAN-8 で null を返す"),
    ("clampZoom()", "floorplan/zoom.ts", "壁のハッチングが潰れないよう拡大を800%で止める"),
    ("split_name()", "crm/names.py", "空白のない入力を「姓が先」とみなす"),
    ("tideAt()", "ferry/tides.ts", "公表されている満潮と干潮のあいだを直線で補間する"),
    ("wall_length()", "floorplan/geometry.py", "壁の内側ではなく中心線で長さを測る"),
    ("ticketCode()", "events/codes.ts", "電話で読み上げやすいよう 0・O・1・I を使わない"),
    ("frames_to_timecode()", "video/tc.py", "クリップに指定がなければ30fpsとみなす"),
    ("servings_scale()", "recipes/scale.py", "卵だけは個数に切り上げ、グラムはそのままにする"),
    ("sunrise()", "greenhouse/sun.py", "市の中心ではなく温室そのものの緯度経度で計算する"),
    ("seat_label()", "venue/labels.py", "数字の1と紛らわしいので I 列を飛ばす"),
    ("photo_score()", "contest/judging.py", "審査員の点数から最高点と最低点を除いて平均する"),
    ("estimate_minutes()", "tours/route.py", "時速4kmで歩き、立ち寄り先ごとに二分足して計算する"),
    ("unit_price()", "menu/cost.py", "固形物は100gあたり、液体は100mlあたりで計算する"),
    ("stopName()", "ferry/stops.ts", "英語名がなければローマ字表記の名前を使う"),
    ("loanDue()", "library/loans.kt", "十四日足したうえで、休館日に当たれば次の開館日にずらす"),
    ("fill_shift_gaps()", "shifts/fill.py", "今月の週末勤務が一番少ない人から優先して埋める"),
    ("sensor_label()", "greenhouse/labels.py", "センサーを畝と高さで名付ける（例：B3-low）"),
    ("resizeCanvas()", "floorplan/canvas.ts", "図面を左上ではなく中央に合わせたまま大きさを変える"),
    ("guess_category()", "catalog/guess.py", "商品名の最初の三語だけを見て分類する"),
]


def ja_code_fact():
    f, path, fact = pick(JA_CODE_FACTS)
    subject(f, 2)
    return pick([
        f"{path} の {f} は{fact}。",
        f"メモ：{f}（{path}）は{fact}。",
        f"{f} の落とし穴：{fact}。場所は {path}。",
        f"{ja_person()}に教わった：{f} は{fact}。",
        f"要注意：{path} の {f} は{fact}。",
    ])


JA_LIB_FACTS = [
    "pandas：merge に validate='one_to_one' を付けると、キーが重複した時点で例外になる",
    "numpy：argsort は kind='stable' を付けないと安定ソートにならない",
    "Polars：pl.col('x').over('g') が groupby-transform に当たる窓関数",
    "Kotlin：可変リストを作って toList() するより buildList { } の方が読みやすい",
    "Swift：Array(repeating:count:) にクラスのインスタンスを渡すと全要素が同じオブジェクトになる",
    "SQLite：ON CONFLICT ... DO UPDATE は対象の列に一意インデックスがないと動かない",
    "PostgreSQL：日付の generate_series を使うと日別グラフの欠けた日を埋めやすい",
    "jq：-r を付けると文字列が引用符なしで出る",
    "ffmpeg：-ss を -i の前に置くとシークは速いが精度は落ちる",
    "Pillow：Image.thumbnail は元の画像をその場で書き換え、縦横比は保つ",
    "Leaflet：独自アイコンのマーカーは iconSize を指定しないと0×0で描かれる",
    "D3：d3.timeFormat('%V') で ISO 週番号が取れる",
    "Chart.js：maintainAspectRatio: false にしないとキャンバスが親要素の高さを無視する",
    "CSS：画像に aspect-ratio: 1 を指定すれば昔の padding-top の小技は要らない",
    "Go：strings.Cut は前半・後半・見つかったかどうかの三つを返す",
    "Rust：Vec::retain_mut なら絞り込みながら要素を書き換えられる",
    "Bash：${var:-fallback} は変数が空文字のときにも効く",
    "SwiftUI：.task はビューが消えると自動でキャンセルされる",
    "pytest：-k 'not slow' で名前の式に合うテストを外せる",
    "git：log -S'文字列' でその文字列を足したり消したりしたコミットが見つかる",
    "Express：エラー用ミドルウェアは引数を四つ取らないと普通のミドルウェア扱いになる",
    "Matplotlib：constrained_layout=True で軸ラベルの重なりが直る",
    "RSpec：let! はすぐに、let は遅延して評価される",
    "SQL：COUNT(列) は NULL を数えないが、COUNT(*) は全行を数える",
    "Python：itertools.pairwise で (a, b), (b, c) と重なった組が作れる",
    "Python：lstrip は接頭辞ではなく文字の集合を削るので、たいてい removeprefix の方が正しい",
    "TypeScript：satisfies を使うと型を広げずに値を検査できる",
    "Three.js：y軸が上向きで、多くのCADデータとは向きが違う",
    "Kotlin：use はブロックの中で例外が出てもストリームを閉じてくれる",
    "JavaScript：Array.prototype.at(-1) で最後の要素が取れる",
    "PostgreSQL：DISTINCT ON は ORDER BY の順でグループごとの先頭行を残す",
    "CSS：gap はグリッドだけでなく flexbox でも使える",
    "Go：time.Duration をそのまま出力すると「1h30m0s」の形になる",
    "Python：メソッドに functools.cache を付けるとインスタンスが解放されなくなる",
    "Swift：defer は宣言と逆の順番で、スコープを抜けるときに実行される",
    "pandas：read_csv に dtype=str を渡せば 00123 のようなコードの先頭の0が消えない",
    "Kotlin：data class の copy() は浅いコピーなので、中のリストは共有される",
    "Leaflet：fitBounds に padding を渡すとマーカーが端に寄りすぎない",
    "Python：enumerate(rows, 1) とすれば1から番号を振れる",
    "CSS：親要素に overflow: hidden があると position: sticky が効かない",
    "Swift：String.count は書記素クラスタを数えるので、国旗の絵文字も1になる",
    "numpy：浮動小数点の比較は == ではなく np.isclose を使う",
    "D3：棒グラフの間隔は scaleBand().padding(0.2) で手早く空けられる",
    "Go：スライスの部分スライスは、append で拡張が起きるまで元の配列を共有する",
]


def ja_lib_api():
    fact = pick(JA_LIB_FACTS)
    subject(fact, 2)
    return pick([
        f"今日知った。{fact}。",
        f"{fact}。",
        f"{pick(JA_COMPONENTS)}の作業中に気づいた。{fact}。",
        f"覚え書き：{fact}。",
    ])


JA_UPGRADE_NOTES = ["コード修正は要らなかった", "非推奨の呼び出しを二か所直した", "スナップショットテストを作り直した",
                    "起動が目に見えて速くなった", "古いプラグイン方式が使えなくなった", "バンドルが12kB増えた",
                    "暗黙の型変換の警告がエラーになった", "メモリ使用量が一割ほど減った", "既定のスタイルが少し変わった",
                    "依存パッケージが一つ減った"]


def ja_lib_version():
    lib, comp = pick(LIBS), pick(JA_COMPONENTS)
    subject(comp + "/" + lib)
    v = lib_version_of(comp, lib)
    return pick([
        f"{comp}は {lib} {v} を使っている。",
        f"{comp}の {lib} は {v}。入れたのは{fixed(comp + lib, JA_NAMES)}さん。",
        f"{fixed(comp, MONTHS_JA)}の{comp}作り直しで {lib} が {v} になった。",
        f"{date_ja()}時点で、{comp}の {lib} は {v}。",
    ])


def ja_upgrade():
    lib, comp = pick(LIBS), pick(JA_COMPONENTS)
    subject(comp + "/" + lib)
    old, new = versions()
    return pick([
        f"{comp}の {lib} を {old} から {new} に上げた。{pick(JA_UPGRADE_NOTES)}。",
        f"{ja_person()}が{date_ja()}に{comp}を {lib} {new} へ移行、{pick(JA_UPGRADE_NOTES)}。",
        f"{comp}：{lib} {old} → {new}。{pick(JA_UPGRADE_NOTES)}。",
    ])


JA_SETTING_SOURCES = ["config/app.toml", "実行ファイル横の settings.json", "管理画面の詳細設定", "config/defaults.yml",
                      "テナントごとの設定テーブル", "キオスク端末のローカル .ini"]
JA_NUMERIC_EFFECTS = ["上げるとページが重くなる", "下げると出力が粗く見える"]
JA_EFFECTS = ["なぜこの値なのか誰も覚えていない",
              "再起動なしで反映される", "変えたらアプリを開き直す必要がある", "ほとんどの顧客は触らない",
              "試験導入先の要望でこの値にした"]


def ja_config():
    key = pick(list(SETTINGS))
    values, group, numeric = SETTINGS[key]
    comp = pick(SETTING_GROUPS[group][1])
    subject(comp + key)
    val, src = fixed(comp + key, values), fixed(comp + key, JA_SETTING_SOURCES)
    effect = pick(JA_EFFECTS + JA_NUMERIC_EFFECTS) if numeric else pick(JA_EFFECTS)
    return pick([
        f"{comp}は {key} を{src}から読む。既定値は {val} で、{effect}。",
        f"{comp}の {key} は試験導入先以外すべて {val}。{effect}。",
        f"{comp}：{key}={val}（{src}）。",
    ])


JA_SCHEMA = [
    ("shipments.carrier_ref", "店頭受け取りのときは NULL"),
    ("survey_answers.value", "数値の設問でも文字列で入っている"),
    ("seeds.sow_from", "日付ではなく1〜12の月の番号"),
    ("shifts.break_minutes", "休憩のうち無給の分だけ"),
    ("quiz_attempts.score", "百分率の整数"),
    ("floor_plans.scale", "1センチあたりのピクセル数"),
    ("assets.location_code", "「棟-階-部屋」の形式（例：B2-3-14）"),
    ("recipes.yield_text", "作者が入力したままの文字列で、数値にした値は yield_n のほう"),
    ("vehicles.odometer_km", "運転手が乗務を終えたときにしか更新されない"),
    ("venues.capacity", "立ち見の人数も含んだ数"),
    ("courses.duration", "学習時間ではなく動画の長さ（分）"),
    ("delivery_slots.zone", "いまだに昔のA〜Fの区域記号"),
    ("quotes.valid_until", "その日を含む"),
    ("stores.opening_hours", "曜日ごとの営業時間をまとめて一つのJSONで持っている"),
    ("ferry_runs.weather_hold", "港の事務所が手で立てるフラグ"),
    ("labels.template_id", "label_templates の行を指し、0は組み込みのひな形"),
    ("survey_questions.position", "10刻みなので、振り直さずに間へ設問を挟める"),
    ("scans.device_serial", "手入力したスキャンでは空"),
    ("tours.language", "二文字のコードだが、'zh-Hant' だけは例外"),
    ("greenhouse_readings.temp_c", "0.1度単位の整数"),
    ("menu_items.allergens", "ビットの組み合わせで、各ビットの意味は allergens.md にある"),
    ("photos.taken_at", "EXIF から取るので、スクリーンショットでは空"),
    ("contest_entries.category", "2022年までは自由記述で、それ以降は決まった選択肢"),
    ("loans.returned_at", "紛失扱いにした本では NULL のまま"),
    ("tour_stops.dwell_minutes", "計画上の目安で、実測ではない"),
    ("seed_lots.germination_rate", "自社ではなく仕入れ先の試験結果"),
    ("vehicles.plate", "ひらがなも含めて持つ（例：品川 300 さ 12-34）"),
    ("volunteers.availability", "曜日ごとに一文字、計七文字の文字列"),
    ("sensors.installed_on", "取り付けた日ではなく最初にデータが届いた日"),
    ("quiz_questions.difficulty", "1〜5で、手で付けた値"),
    ("cooking_classes.max_seats", "講師の助手を含まない人数"),
    ("ferry_runs.vessel", "航路ではなく船そのものを指す"),
]


def ja_schema_fact():
    col, fact = pick(JA_SCHEMA)
    subject(col, 2)
    return pick([
        f"{col} は{fact}。",
        f"スキーマのメモ：{col} は{fact}。",
        f"集計のときに忘れがち。{col} は{fact}。",
        f"{ja_person()}いわく、{col} は{fact}。",
    ])


JA_CLI_TIPS = [
    "`rsync -avhn` でまず試す（n でドライランになる）",
    "`column -t -s,` で小さなCSVを端末できれいな表にできる",
    "tmux はプレフィックスのあと z で今のペインを最大化",
    "`git worktree add ../other ブランチ名` でクローンし直さずに二つ目の作業ツリーが持てる",
    "`xargs -P 4` で四つずつ並列に実行できる",
    "`find . -newer marker` で目印のファイル以降に変わったものが一覧できる",
    "出現回数を数えるなら今でも `sort | uniq -c | sort -rn` が一番早い",
    "`python3 -m http.server --bind 127.0.0.1` で今のフォルダを自分のマシンだけに公開できる",
    "`watch -n 5 コマンド` で五秒ごとに実行し直せる",
    "`pbpaste | jq .` でクリップボードのJSONを整形して見られる",
    "`fc` で直前のコマンドをエディタで開ける",
    "`cd -` で一つ前のディレクトリに戻れる",
    "`diff <(sort a.txt) <(sort b.txt)` で並んでいない二つのリストを比べられる",
    "長いコマンドの最後に `say done` を付けると終わったら声で教えてくれる",
    "ctrl-r で履歴を検索、もう一度押すとさらに古い候補",
    "`tar -tzf file.tgz | head` で展開せずに中身を覗ける",
    "`ffprobe -hide_banner clip.mp4` で動画のストリームと長さが見られる",
    "`exiftool -all= photo.jpg` で写真のメタデータを消せる",
    "`sqlite3 app.db .schema` で SQLite のスキーマが出る",
    "`caffeinate -d` で長いコピーの間 Mac をスリープさせない",
    "`open -a Preview *.png` でスクショをまとめてプレビューで開ける",
    "`git stash -p` で選んだ部分だけ退避できる",
    "`less +F` は tail -f のように追いかけつつ、ctrl-c で遡って読める",
    "`pandoc notes.md -o notes.docx` で Markdown を Word に変換できる",
    "`git log --oneline --graph --all` でブランチの歴史を端末に図で出せる",
    "`git blame -w -C` なら空白の違いを無視し、別ファイルから移した行も追える",
    "`jq -c '.[]' file.json` で一行に一つずつ詰めたオブジェクトが出る",
    "`csvcut -c name,city` でCSVの列を名前で抜き出せる",
    "`cal -3` で先月・今月・来月のカレンダーを端末に出せる",
    "`ssh-keygen -lf key.pub` で鍵の指紋が表示される",
    "`convert in.png -resize 50% out.png` で画像を半分の大きさにできる",
    "`shuf -n 20 file` でランダムに二十行選べる",
    "`comm -12 a b` で並べ替え済みの二つのファイルに共通する行が出る",
    "`nl -ba file` で空行も含めて全行に番号を振れる",
    "`zcat log.gz | grep foo` で gzip を展開せずに検索できる",
    "`tee out.txt` で出力を保存しつつ画面にも出せる",
    "`paste -sd, file` で全行をカンマでつなげる",
    "`mktemp -d` で実験用の一時フォルダがすぐ作れる",
    "`pdfunite a.pdf b.pdf out.pdf` でPDFを結合できる",
    "`say -v Kyoko こんにちは` で Mac に日本語を読み上げさせられる",
    "`time make` で処理にかかった時間がわかる",
    "`history | grep rsync` で先週打った長い rsync コマンドが見つかる",
    "`wc -l *.csv` で全部のCSVの行数をまとめて数えられる",
]


def ja_cli_tip():
    tip = pick(JA_CLI_TIPS)
    subject(tip)
    return pick([f"シェル：{tip}。", f"{tip}。", f"便利：{tip}。", f"{ja_person()}から：{tip}。"])


JA_EDITOR_TIPS = [
    ("VS Code", "Cmd+Shift+L でカーソル位置の単語をすべて選択"),
    ("VS Code", "Cmd+K Cmd+0 でファイル内のブロックを全部たたむ"),
    ("VS Code", "Alt+クリックでカーソルを増やせる"),
    ("VS Code", "Cmd+P のあと @ でファイル内のシンボルへ飛べる"),
    ("VS Code", "Remote - SSH 拡張でサーバー上のフォルダを手元のように開ける"),
    ("IntelliJ", "Shift を二回押すと Search Everywhere が開く"),
    ("IntelliJ", "ローカル履歴から、コミットしていなかったファイルを取り戻せた"),
    ("Xcode", "Cmd+Shift+J で今のファイルをナビゲータ上に表示"),
    ("Xcode", "Cmd+Ctrl+E でスコープ内のシンボル名をまとめて変更"),
    ("vim", "ciw でカーソル下の単語を書き換え"),
    ("vim", "* でカーソル下の単語を前方検索"),
    ("vim", "gv で直前の選択範囲を選び直す"),
    ("Android Studio", "Cmd+Shift+A でどんな操作も名前から探せる"),
    ("Sublime Text", "Cmd+D で次の一致を選択に追加"),
    ("iTerm2", "Cmd+Shift+H で貼り付け履歴が出る"),
    ("Figma", "Shift+A で選択中の要素をオートレイアウトの枠で囲める"),
    ("Obsidian", "Cmd+O に新しい名前を打てばその場でノートができる"),
    ("VS Code", "Ctrl+` で内蔵ターミナルの表示を切り替え"),
    ("VS Code", "Cmd+Shift+O で今のファイルのシンボル一覧"),
    ("VS Code", "F12 で定義へ、Shift+F12 で参照の一覧"),
    ("VS Code", "Cmd+D で次の出現箇所も選んで同時に編集"),
    ("IntelliJ", "Cmd+E で最近開いたファイルの一覧"),
    ("IntelliJ", "Alt+Enter でカーソル位置の修正候補が出る"),
    ("Xcode", "Cmd+Shift+O でファイルでもシンボルでも名前で開ける"),
    ("vim", ":%s/old/new/gc で一件ずつ確認しながら置換"),
    ("vim", "ctrl-o で直前のカーソル位置に戻れる"),
    ("Excel", "Ctrl+; でセルに今日の日付が入る"),
    ("Google スプレッドシート", "Ctrl+Shift+V で値だけを貼り付け"),
    ("Slack", "Cmd+K でチャンネルや人にすぐ飛べる"),
]


def ja_editor_tip():
    app, tip = pick(JA_EDITOR_TIPS)
    subject(tip)
    return pick([f"{app}：{tip}。", f"{app}の覚えておきたい操作：{tip}。", f"{ja_person()}に教わった {app} の技：{tip}。"])


JA_FEATURE_ASKS = ["書き出し用のAPI", "英語の画面", "一括編集", "独自項目", "オフライン対応", "ダークテーマ",
                   "ラベルのサイズ追加", "印刷用のまとめページ", "拠点ごとの閲覧制限", "カレンダー表示", "Excelからの取り込み"]


def ja_customer():
    co, feature = pick(JA_COMPANIES), pick(JA_FEATURE_ASKS)
    return pick([
        lambda: subject(co + "/seats") or f"{co}は{fixed_int(co, 5, 900)}席を契約中、窓口は{fixed(co, JA_NAMES)}さん。",
        lambda: subject(co + "/" + feature) or f"{co}は主に{fixed(co, JA_COMPONENTS)}を使っていて、{pick(MONTHS_JA)}に{feature}の要望をもらった。",
        lambda: subject(co + "/city") or f"{co}の本社は{fixed(co, CITIES_JA)}。{fixed(co + 'visits', JA_NAMES)}さんが四半期に一度くらい訪問している。",
        lambda: subject(co + "/" + feature) or f"{co}は、{feature}ができたら{fixed(co, JA_COMPONENTS)}をほかの拠点にも広げたいとのこと。",
    ])()


JA_VENDORS = ["気象データの提供元", "CRM", "チケット管理ツール", "カレンダー連携先", "電子契約サービス", "車両GPSの配信元",
              "学校ポータル", "種苗会社のカタログ配信", "フェリー会社のAPI", "美術館のチケットシステム", "プリンタメーカーのクラウドAPI",
              "潮位データのサービス"]
JA_QUIRKS = ["ページ番号は0始まりなのに最終ページだけ1始まり",
             "255文字を超える項目を黙って切り詰める", "User-Agent のないリクエストを拒否する",
             "版ごとに項目の順番が変わる", "真偽値を 'Y' と 'N' の文字列で返す",
             "一括エンドポイントだけ緯度と経度が逆", "null の代わりに空文字を送ってくる",
             "時刻を日本時間で返すのにその旨をどこにも書いていない", "総件数を本文ではなくヘッダで返す"]


def ja_vendor():
    vendor, quirk = pick(JA_VENDORS), pick(JA_QUIRKS)
    subject(vendor + quirk)
    return pick([f"注意：{vendor}は{quirk}。",
                 f"{vendor}の癖：{quirk}。{ja_person()}が半日溶かした。",
                 f"連携先メモ：{vendor}は{quirk}。"])


JA_BACKGROUNDS = ["物流系のソフト開発を六年", "高校の数学の先生", "土壌学の博士課程", "小さなデザイン事務所の経営",
                  "海運会社での運航ダイヤ作り", "大阪のゲーム会社", "スーパーのデータ分析", "プリンタの組み込みソフト",
                  "美術館の展示デザイン", "自分のパン屋"]
JA_LANGS = ["ポルトガル語", "韓国語", "スペイン語とフランス語", "中国語", "ドイツ語", "ベトナム語", "ポーランド語", "イタリア語"]


def ja_people():
    a = pick(JA_NAMES)
    t1 = fixed(a + "team", JA_TEAMS)
    t2 = fixed(a + "old", [t for t in JA_TEAMS if t != t1])
    return pick([
        lambda: subject(a + "/joined") or f"{a}さんは{fixed(a, MONTHS_JA)}に{t1}へ加わった。前職は{fixed(a, JA_BACKGROUNDS)}。",
        lambda: subject(a + "/lang") or f"{a}さんは{fixed(a, JA_LANGS)}が話せるので、{pick(JA_COMPANIES)}との打ち合わせで頼りになる。",
        lambda: subject(a + "/contact") or f"{fixed(a, JA_COMPANIES)}側の{fixed(a, JA_COMPONENTS)}の窓口は{a}さん。",
        lambda: subject(a + "/moved") or f"{a}さんは{fixed(a, MONTHS_JA)}に{t2}から{t1}へ異動した。",
        lambda: subject(a + "/knows") or f"{fixed(a, JA_COMPONENTS)}のデータ構造は{a}さん、{fixed(a, ['プリンタ', 'スキャナ', 'キオスク端末', 'センサー'])}まわりは{fixed(a + 'hw', JA_NAMES)}さんが詳しい。",
        lambda: subject(a + "/contact") or f"{a}さんは以前{fixed(a, JA_COMPANIES)}にいたので、お客さん側の事情を聞くならこの人。",
    ])()


JA_ROOMS = ["楓", "紅葉", "空", "海", "山", "星"]
JA_BRING = ["試験導入の数字", "印刷したモックアップ", "検証用のスキャナ二台", "署名済みの秘密保持契約書", "ラベルの見本",
            "A3の間取り図", "デモ版を入れたタブレット", "価格表"]


def ja_meeting():
    co = pick(JA_COMPANIES)
    d1, d2 = date_range_ja()
    return pick([
        lambda: subject(co + "/kickoff") or f"{co}とのキックオフは{fixed_int(co, 1, 12)}月{fixed_int(co, 1, 28)}日{fixed(co, ['10時', '13時半', '15時', '16時半'])}から、会議室「{pick(JA_ROOMS)}」。{pick(JA_BRING)}を持参。",
        lambda: subject(co + "/workshop") or f"{co}とのワークショップは{d1}から{d2}に変更。招待は{ja_person()}が送り直す。",
        lambda: subject(co + "/demo", 2) or f"{co}向けの{pick(JA_COMPONENTS)}のデモ：{date_ja()}{clock_ja()}、先方の{fixed(co, CITIES_JA)}の事務所で。",
        lambda: subject(co + "/interview", 2) or f"{co}の現場の方への聞き取り（{pick(JA_COMPONENTS)}について）は{date_ja()}{clock_ja()}から、記録係は{ja_person()}。",
        lambda: subject(co + "/lunch") or f"{date_ja()}、{co}の{fixed(co, JA_NAMES)}さんとランチ。来年度の契約の話。",
    ])()


JA_OUTCOMES = ["古い XML 取り込みは四半期末で終了", "倉庫二か所での試験運用は続行", "オフライン対応は下期に延期",
               "書き出しの項目名は今のまま", "スキャナはレンタルではなく購入", "キオスク端末のホーム画面を簡素化",
               "五年より前の帳票は保管庫ビューへ移す", "FAX 注文の受付をやめる", "アンケートに条件分岐の設問を来期追加",
               "店舗マップの一覧表示は廃止", "配車システムで経路ごとの燃費を出す", "見積もりの手入力値引きは残す",
               "フェリーアプリのトップに欠航情報を出す", "種苗カタログに地域別の種まき暦を載せる", "座席表に価格帯ごとの色分けの凡例を付ける"]


def ja_outcome():
    comp, feature, fixed_outcome = pick(JA_PUBLIC_COMPONENTS + JA_COMPONENTS), pick(JA_FEATURE_ASKS), pick(JA_OUTCOMES)
    out = pick([
        lambda: subject(fixed_outcome) or fixed_outcome,
        lambda: subject(comp + feature) or f"{comp}に来期{feature}を入れる",
        lambda: subject(comp + feature) or f"{comp}の{feature}は来年に見送り",
    ])()
    a, b = some(JA_NAMES, 2)
    return pick([
        f"{date_ja()}の{pick(['企画会議', '取引先との打ち合わせ', '運営会議', '顧客ワークショップ'])}の結論：{out}。",
        f"{a}さんと{b}さんで合意：{out}。",
        f"{pick(JA_COMPANIES)}と合意：{out}。",
    ])


JA_KNOWN_ISSUES = [
    ("間取り図エディタ", "回転させた壁にはスナップが効かない", "壁を置いてから回転させる"),
    ("ラベル印刷サービス", "商品名が三行になるとバーコードに重なる", "幅広のラベルひな形に切り替える"),
    ("アンケート作成画面", "設問を最後のページへドラッグすると先頭ページに入る", "「ページへ移動」メニューを使う"),
    ("シフト表アプリ", "週の始まりを日曜にすると見出しの曜日がずれる", "月曜始まりのまま使う"),
    ("倉庫スキャナアプリ", "マナーモードだと読み取り音が鳴らない", "バイブでの通知をオンにする"),
    ("見積もりシミュレーター", "見積もりを複製すると古い有効期限が残る", "複製後に日付を入れ直す"),
    ("学習コース画面", "長く一時停止すると字幕が一秒ずれる", "ページを再読み込みする"),
    ("フェリー時刻表アプリ", "アプリを開くまでウィジェットに前日の最終便が出る", "一度アプリを開く"),
    ("資産台帳", "表形式の画面でリース品の購入価格が見えない", "詳細ページで確認する"),
    ("座席表ビューア", "縮小すると座席番号が重なる", "60%以上に拡大して見る"),
    ("写真コンテストアプリ", "縦向きの写真が管理画面のプレビューで横になる", "審査は原寸表示で行う"),
    ("美術館の音声ガイド", "前の音声が消える前に次が流れ出す", "部屋を移るときに一時停止を押す"),
]


def ja_known_issue():
    comp, issue, work = pick(JA_KNOWN_ISSUES)
    subject(issue)
    return pick([
        f"{comp}の既知の問題：{issue}。回避策は「{work}」。",
        f"{comp}は{issue}。当面は{work}ことで対応。",
        f"{date_ja()}に{ja_person()}から報告：{comp}で{issue}。直るまでは{work}。",
    ])


JA_HARDWARE = ["自分のノートPC", "M2 の Mac mini", "Raspberry Pi 5", "事務所のNAS", "4コアのクラウドマシン"]
JA_DATASETS = ["2023年の来場者アンケート", "フランチャイズ本部からの店舗一覧", "種苗会社のカタログ", "配達区域の表",
               "フェリーの乗船者数の表", "コース修了者の書き出し", "温室センサーの記録", "棚卸しの資産一覧",
               "美術館の入館者数", "旧サイトから移したレシピ", "2020年以降のボランティア登録", "写真コンテストの応募作",
               "見学ツアーの予約の書き出し", "ラベルのひな形一覧", "試験店舗のシフト履歴", "図書貸出の抜き取りデータ"]


def ja_measurement():
    ds, hw = pick(JA_DATASETS), pick(JA_HARDWARE)
    comp = pick(['店舗マップ', '配車システム', 'フェリー時刻表アプリ', '見学ツアー予約', '座席表ビューア'])
    dev = pick(['自分のノートPC', '古いiPad', 'Pixel 6a', 'キオスクのタブレット', 'iPhone SE'])
    return pick([
        lambda: subject(ds + hw) or f"{ds}の読み込みは{hw}で{fixed_int(ds + hw, 2, 90)}秒。",
        lambda: subject("pdf" + hw) or f"間取り図一枚のPDF化は{hw}でおよそ{fixed_int(hw, 2, 40)}秒。",
        lambda: subject(comp + dev) or f"{comp}は{dev}で{fixed_int(comp + dev, 2, 200) * 100:,}個のピンを{fixed_int(dev + comp, 20, 60)}fpsで描ける。",
        lambda: subject("labels" + hw) or f"ラベル{rng.randint(50, 500)}枚の印刷は{pick(['Zebra', 'ブラザー', 'エプソン'])}のプリンタで約{rng.randint(2, 20)}分。",
    ])()


JA_FIELDS = ["備考", "分類", "コメント", "地域", "担当者名", "出典"]


def ja_dataset():
    ds, field = pick(JA_DATASETS), pick(JA_FIELDS)
    rows = f"{fixed_int(ds, 3, 900) * 100:,}"
    return pick([
        lambda: subject(ds + field) or f"{ds}は{rows}行。「{field}」の列は自由記述。",
        lambda: subject(ds + field) or f"{ds}：{rows}行のうち約{fixed_int(ds + field, 2, 40)}%は「{field}」が空。",
        lambda: subject(ds + "/where") or f"{ds}はチームドライブの data/raw/{fixed_int(ds, 2019, 2024)}/ に置いてある。",
        lambda: subject(ds + "/clean") or f"{ds}は{fixed(ds, MONTHS_JA)}に{fixed(ds, JA_NAMES)}さんが整えた。元のファイルも隣に残してある。",
    ])()


JA_TASKS = [("アイコンフォントの作り直し", "npm run icons"), ("国名リストの更新", "python3 tools/countries.py"),
            ("構成図の書き出し", "make diagrams"), ("キオスク用フォントのサブセット作成", "make glyphs"),
            ("メールテンプレートのコンパイル", "make mjml"), ("デモ用スクリーンショットの撮り直し", "npm run screenshots"),
            ("サイトマップの再計算", "rake sitemap:refresh"), ("オフライン地図タイルの生成", "make tiles"),
            ("種苗カタログの写真の差し替え", "make seeds"), ("チュートリアル動画の再エンコード", "tools/encode.sh"),
            ("見本の間取り図の作り直し", "make plans"), ("クイズの問題集の取り込み", "python3 tools/quiz_import.py"),
            ("ラベルのプレビュー画像の更新", "make previews")]


def ja_howto():
    task, cmd = pick(JA_TASKS)
    subject(task)
    return pick([
        f"{task}は、リポジトリ直下で `{cmd}` を実行。{fixed_int(task, 1, 25)}分ほどかかる。",
        f"{task}：`{cmd}` のあと出力をコミットする。スクリプトを書いたのは{fixed(task, JA_NAMES)}さん。",
        f"{task}は `{cmd}` でできる。",
    ])


JA_CS_FACTS = [
    "ブルームフィルタは偽陽性はあり得るが偽陰性はない",
    "HyperLogLog は数キロバイトで異なり数を推定でき、誤差は1〜2%ほど",
    "リトルの法則によると、系の中の件数は到着率と滞在時間の積になる",
    "アムダールの法則によると、コアをいくら足しても逐次部分が速度向上の上限を決める",
    "増えるだけの CRDT カウンタは複製ごとにカウンタを持って合計する",
    "B木は読み込み向き、LSM木は書き込み向き",
    "コンシステントハッシュはノードが一つ増えてもキーの約1/nしか移動しない",
    "リザーバサンプリングで長さのわからないストリームから k 件を一様に選べる",
    "レーベンシュタイン距離は挿入・削除・置換を数え、ダメラウ版は入れ替えも数える",
    "ベンフォードの法則によると、現実の数値データでは約30%が1から始まる",
    "マークル木を使うと、上からハッシュを比べて違うブロックだけを見つけられる",
    "ダイクストラ法は負の重みに対応できず、ベルマン–フォード法なら扱える",
    "コンウェイの法則によると、システムは作った組織のコミュニケーション構造に似る",
    "グッドハートの法則によると、指標が目標になると良い指標ではなくなる",
    "ハイラムの法則によると、利用者が十分に多ければ、観測できる振る舞いはすべて誰かに依存される",
    "フィッシャー–イェーツのシャッフルは j を 0..i の範囲から選ばないと偏る",
    "四分木は空間を再帰的に四つに分けるので、地図のピンをまとめるのに向いている",
    "スキップリストは平衡化の代わりにランダムな段数で O(log n) の探索を実現する",
    "CAP定理が効いてくるのはネットワーク分断が起きたときだけ",
    "ハフマン符号は出現頻度の高い記号ほど短い符号を割り当てる",
    "カルマンフィルタは予測と雑音のある観測を、それぞれの信頼度で重み付けして混ぜる",
    "ボロノイ図は各点に、ほかのどの点よりもその点に近い領域を割り当てる",
    "巡回セールスマン問題に速い厳密解法は知られていないが、2-opt でかなり良い解にすぐ届く",
    "k-means は k を先に決める必要があり、DBSCAN はクラスタ数を自分で見つける",
    "リングバッファは満杯になると一番古い要素を上書きする",
    "ジップの法則によると、二番目に多い単語の出現数は一番目のおよそ半分",
    "ナイキスト周波数の考え方では、取りたい最高周波数の二倍でサンプリングする",
    "ブルックスの法則によると、遅れているプロジェクトに人を足すとさらに遅れる",
    "コラッツ予想は、調べた数ではすべて成り立っているのにまだ証明されていない",
    "公開鍵の署名は誰が書いたかを示し、暗号化は中身を隠す",
]


def ja_cs():
    fact = pick(JA_CS_FACTS)
    subject(fact, 2)
    return pick([f"{fact}。", f"情報科学メモ：{fact}。", f"今日おさらいしたこと：{fact}。",
                 f"昼ごはんのときに{ja_person()}が教えてくれた。{fact}。", f"{pick(JA_COMPONENTS)}で役に立ちそう：{fact}。"])


JA_TALKS = [("Polars の遅延評価", "速くなった理由の大半は途中の表を作らないことだった"),
            ("オフラインファーストのアプリ", "不安定な回線よりスマホの時計のずれの方が厄介だった"),
            ("Ruby の新しいパーサー", "初心者向けのエラーメッセージがずっと親切になった"),
            ("Compose の性能", "再コンポーズの大半は不安定なラムダ引数が原因だった"),
            ("SwiftData のマイグレーション", "軽量マイグレーションは名前の変更には効くが型の変更には効かない"),
            ("WebGPU", "ブラウザからコンピュートシェーダーが実用的に使えるようになった"),
            ("大規模コードへの型ヒント", "よく import されるモジュールから先に型を付けていった"),
            ("安いスマホでのバーコード読み取り", "解像度よりオートフォーカスの方が効く"),
            ("印刷用CSS", "ページメディアへの対応は Chromium 以外だとまだまばら"),
            ("地理空間インデックス", "H3 のセルで配達区域の計算がずっと簡単になった"),
            ("子ども向けプログラミング教室", "最初の五分で画面の何かを動かすのが大事"),
            ("農業のセンサーデータ", "作業の大半は不安定な無線で抜けたデータの穴埋めだった"),
            ("組み込みプリンタでの Rust", "借用チェッカーがバッファ処理の本物のバグを見つけた"),
            ("本番での SQLite", "書き込みが一度に一つでも困らないサイトは思ったよりずっと多い"),
            ("安いスマホでの地図", "ベクタータイルはCPU負荷の割に通信量を大きく減らせた"),
            ("Web でのかな入力", "入力のバグの多くは変換中のイベントに潜んでいる"),
            ("大人向けの学習アプリ", "連続記録が効くのは六週間ほどで、その後は通知の方が大事"),
            ("美術館アプリ", "入口で一度開いたきり、オフラインで動かないと二度と開かれない"),
            ("ブラウザからの印刷", "改ページの指定はいまだにエンジンごとに挙動が違う"),
            ("座席表", "座席ごとに一つの SVG 要素でも二万席くらいまでは速い"),
            ("フェリーの時刻表", "利用者が見るのはほぼ次の二便だけ"),
            ("レシピの解析", "材料の行はモデルより小さな文法で解析する方が楽"),
            ("バーコードの規格", "薬の箱では GS1 データマトリックスが少しずつ EAN-13 に取って代わっている")]


def ja_talk():
    conf = pick(CONFS)
    topic, take = pick(JA_TALKS)
    subject(topic, 2)
    return pick([
        f"{conf}の「{topic}」の発表：{take}。",
        f"{conf}メモ（{topic}）：{take}。",
        f"{ja_person()}が{conf}の{topic}の話をまとめてくれた。要点は、{take}。",
    ])


JA_SOURCES = ["スマホ", "タブレット", "ポスターのQRコード", "取引先のメールマガジン", "検索エンジン", "LINEで共有されたリンク"]
JA_TOP_FEATURES = ["印刷用のまとめ", "地図表示", "地域での絞り込み", "お気に入り一覧", "CSVダウンロード", "写真の投稿",
                   "週間カレンダー"]


JA_PUBLIC_COMPONENTS = ["店舗マップ", "種苗カタログ", "レシピ一覧", "見学ツアー予約", "フェリー時刻表アプリ", "美術館の音声ガイド",
                        "学習コース画面", "写真コンテストアプリ", "ボランティア募集フォーム", "料理教室の申込画面", "図書貸出アプリ",
                        "クイズ機能", "天気ウィジェット"]


def ja_analytics():
    comp = pick(JA_PUBLIC_COMPONENTS)
    a = rng.randint(80, 4000)
    return pick([
        f"{pick(MONTHS_JA)}の{comp}へのアクセスは{rng.randint(12, 88)}%が{pick(JA_SOURCES)}経由。",
        f"{comp}の週間利用者は{pick(MONTHS_JA)}に{a:,}人、前は{int(a * rng.uniform(0.5, 0.95)):,}人だった。",
        f"{pick(MONTHS_JA)}に{comp}で一番使われたのは{pick(JA_TOP_FEATURES)}。",
    ])


JA_DOMAIN_FACTS = [
    "ユーロパレットは1200×800mm、日本のT11型は1100×1100mm",
    "JANコードは EAN-13 と同じで、先頭が45か49なら日本で登録されたもの",
    "40フィートコンテナは2TEUと数える",
    "FOB条件では、貨物が船に積まれた時点で売り手の危険負担が終わる",
    "賞味期限のある食品は、先入れ先出しより期限の近い順に出す方がいい",
    "トマトの種は涼しく乾いた場所なら四年ほど発芽力を保つ",
    "船の総トン数は重さではなく容積を表す",
    "間取り図の一畳はおよそ1.62平方メートル",
    "一坪は約3.3平方メートル、畳二枚分",
    "Zebra のプリンタは ZPL、安いレシートプリンタはたいてい ESC/POS で話す",
    "バーコードの左右には一番細いバーの十倍ほどの余白が要る",
    "温室の野菜の多くは相対湿度60〜80%でよく育つ",
    "無料のオンライン講座の修了率はたいてい15%を下回る",
    "アンケートは十二分を過ぎたあたりから回答が雑になる",
    "美術館の音声ガイドは一か所二分以内に収めるのが普通",
    "瀬戸内のフェリーの多くは車を下の甲板にだけ載せる",
    "物件情報の2LDKは、寝室二つにリビング・ダイニング・キッチン",
    "種袋の種まき時期は暖地・中間地・寒冷地に分けて書いてある",
    "感熱ラベルは日光で数か月のうちに薄れるが、熱転写ラベルは何年ももつ",
    "団体ツアーの歩く速さは一人で歩くときの三分の二くらい",
    "日本の教科書はおおむね四年ごとに改訂される",
    "都内の配送バンは一日に80〜120軒ほど回る",
]


def ja_domain():
    fact = pick(JA_DOMAIN_FACTS)
    subject(fact, 2)
    return pick([f"業界メモ：{fact}。", f"{fact}。", f"覚えておくと便利：{fact}。",
                 f"{ja_person()}によると、{fact}。"])


JA_IDEAS = ["再生回数を隠すブラウザ拡張", "出口に一番近い車両を教えてくれる小さなアプリ", "種苗カタログから種袋をそのまま印刷する機能",
            "漢字の部首を覚えるクイズモード", "シェアハウスの冷蔵庫の在庫共有", "家族のグループLINEにフェリーの遅れを流すボット",
            "スキャナアプリを家の食品庫の管理に使う", "間取り図から家具の買い物リストを作る", "顧客要望の週次ダイジェスト",
            "冷凍用の袋に貼る日付入りラベル", "街なかのストリートピアノの地図", "近所の神社の音声ガイド",
            "ハウスルールを覚えてくれるボードゲームの点数表", "天気予報を読んでくれる植物の世話カレンダー",
            "割り勘まで計算してくれるレシート読み取り", "ホワイトボードの写真をきれいなメモにするショートカット",
            "自分のメモから Anki の単語帳を自動で作る", "社食のメニューを毎朝流すボット", "港の事務所向けの潮位時計",
            "行列の場所がわかる美術館の地図", "「大さじ」「合」も理解するレシピの分量換算", "図書館の静かな席をまとめたサイト",
            "自動で文字起こしされる音声日記", "米びつが空になりそうだと知らせるセンサー", "小劇場向けの座席表ウィジェット",
            "子どもがバスの時刻表を読めるようになるゲーム", "撮った場所で写真の名前を付け直すCLI",
            "街なかの水飲み場の地図", "スーパーの売り場順に並び替わる買い物リスト", "タブレット用の漢字の書き順チェッカー",
            "公園で見た野鳥の週報メール", "事務所のプリンタ用の小さなラベルデザイナー", "自分のメモから問題を作るクイズ生成",
            "翌日のフェリーの天気を出すブラウザのタブ", "小さなホール向けの座席選び", "通話中に立ち上がるよう促すタイマー"]


def ja_idea():
    idea = pick(JA_IDEAS)
    subject(idea)
    return pick([f"アイデア：{idea}。", f"個人開発のネタ：{idea}。", f"いつか作りたい：{idea}。",
                 f"{ja_person()}と冗談で話した「{idea}」、案外使えるかも。"])


JA_DOCS = ["試験導入のまとめ", "価格表", "ラベルの見本", "利用ガイドの下書き", "アンケート結果", "署名済みの注文書",
           "間取り図の見本", "写真の使用許諾書"]


def ja_reminder():
    return pick([
        f"{date_ja()}までに{ja_person()}から{pick(JA_COMPONENTS)}のサンプルをもらう。",
        f"やること：{pick(JA_COMPONENTS)}の古い設計メモを{date_ja()}までに整理。",
        f"{pick(JA_VENDORS)}の契約を{date_ja()}までに更新。見積もりは{ja_person()}が持っている。",
        f"{pick(JA_COMPANIES)}に{pick(JA_DOCS)}を{date_ja()}までに送る。",
        f"{pick(JA_WEEKDAYS)}曜に{ja_person()}へ{pick(JA_COMPONENTS)}のモックアップの件を確認する。",
    ])


JA_FLOORS = ["2階", "3階", "4階", "5階"]


def ja_office():
    f1 = fixed("microwave", JA_FLOORS)
    facts = [
        f"{fixed('printer', JA_FLOORS)}のカラー複合機はA3だと紙詰まりする。給湯室の横のを使う。",
        f"事務所の冷蔵庫は毎週{fixed('fridge', JA_WEEKDAYS)}曜の17時に片付けられる。名前を書いておくこと。",
        f"受付での宅配便の集荷は平日{fixed('courier', ['15時', '15時半', '16時', '16時半'])}。",
        "コーヒーマシンはオレンジのランプが点いたら洗浄。洗浄剤は下の引き出し。",
        "貸し傘はエレベーター横の傘立てに。翌日には戻す。",
        "落とし物は受付で一か月預かってくれる。",
        f"シュレッダーのごみは毎週{fixed('shredder', JA_WEEKDAYS)}曜に回収される。",
        f"社員宛ての荷物は受付で{fixed_int('parcels', 17, 19)}時まで預かり。",
        f"給湯室の食洗機は{fixed_int('dishwasher', 14, 17)}時に回る。それまでに入れておく。",
        f"フリップチャートとマーカーは会議室「{fixed('flipcharts', JA_ROOMS)}」の隣の棚。",
        f"会議室「{fixed('projector', JA_ROOMS)}」のプロジェクターは引き出しの USB-C アダプタが要る。",
        f"郵便は{fixed_int('post', 14, 16)}時に出る。切手は青い箱の中。",
        f"{f1}の電子レンジは遅い。{fixed('microwave2', [f for f in JA_FLOORS if f != f1])}のは普通。",
        "ウォーターサーバーのお湯はチャイルドロック付き。押しながら回す。",
        f"{fixed('lounge', JA_FLOORS)}のラウンジの充電ケーブルは USB-C だけ。",
        "使い終わったトナーはゴミ箱ではなくコピー機の横の回収箱へ。",
        "事務所のおやつは月曜に補充される。せんべいから先になくなる。",
        "西側のブラインドは斜めに引くと引っかかる。",
        f"受付は{fixed_int('reception', 18, 20)}時まで。そのあとの配達はビルの総合受付へ。",
        "キャップが緑のマーカーは油性。ホワイトボードには使わない。",
        "郵便トレーの横のラベルプリンタは24mm幅のテープ。",
        "救急箱は給湯室の左上の戸棚。",
        "窓側のスタンディングデスクには記憶ボタンがあり、2番が高い位置。",
        "冬は入口のコート掛けが埋まる。倉庫のラックにも掛けられる。",
    ]
    fact = pick(facts)
    subject(fact)
    return pick([f"受付の{ja_person()}より：{fact}", f"事務所メモ：{fact}", fact, fact])


JA_CAMERAS = ["Logitech の C920", "Elgato の Facecam", "内蔵カメラ", "Anker の PowerConf C200"]
JA_STANDS = ["Rain Design の mStand", "折りたたみのアルミスタンド", "積み上げたオライリー本", "Bestand の台"]


def ja_gear():
    return pick([
        lambda: subject("cam") or f"ウェブカメラは{fixed('cam', JA_CAMERAS)}。デスクライトを{fixed_int('lamp', 3, 8) * 10}%にすると映りがいい。",
        lambda: subject("stand") or f"ノートPCスタンドは{fixed('stand', JA_STANDS)}。キーボードの{fixed_int('tablet', 1, 3)}番はタブレット用。",
        lambda: (lambda k: subject(k) or f"{ja_person()}が絶賛していた {k} を一日借りた。{pick(['音がうるさい', 'すごく良い', 'キーが深すぎる', '買ってもいい'])}。")(pick(KEYBOARDS)),
        lambda: subject("kb") or f"キーボードは {fixed('kb', KEYBOARDS)}。Bluetooth の{fixed_int('slot', 1, 4)}番が仕事用の Mac。",
        lambda: subject("headset") or f"通話用のヘッドセットは {fixed('headset', HEADSETS)}。ノイズ低減を切った方が声がきれいだと言われる。",
        lambda: subject("mouse") or f"マウスは {fixed('mouse', ['Logitech MX Master 3S', 'Magic Trackpad', 'エレコムのトラックボール', 'Razer Basilisk'])}、サイドボタンに「戻る」を割り当て。",
        lambda: subject("hub") or f"外付けSSDで問題なく使えるUSB-Cハブは {fixed('hub', ['Anker の7-in-1', 'CalDigit の mini', 'Satechi の薄型'])}。",
        lambda: subject("lamp") or f"デスクライトのタイマーは{fixed_int('lamp', 19, 23)}時に消える設定。",
        lambda: (lambda x: subject(x) or f"{date_ja()}、事務所の引き出し用に予備の{x}を買った。")(pick(['USB-Cケーブル', '充電器', 'キーボード', 'マウス'])),
    ])()


JA_STYLE_NOTES = ["Kotlin の結果型は null 許容のペアより sealed class の方が読みやすい", "Python のレコードは辞書ではなく dataclass で",
                  "Swift のクラスは継承を前提にしない限り final", "CSS のセレクタに ID を使わない",
                  "CSS の余白は生のピクセルではなくスケールから取る", "シェルスクリプトは set -euo pipefail で始める",
                  "再利用するビューには SwiftUI のプレビューを付ける", "Kotlin の拡張関数は拡張する型の近くに置く",
                  "Python は os.path より pathlib", "CSS の色は同じ16進数を繰り返さずカスタムプロパティで",
                  "React のコンポーネントは一ファイルに一つ"]


def ja_style():
    note = pick(JA_STYLE_NOTES)
    subject(note)
    return pick([f"書き方の好み：{note}。", f"{ja_person()}の好み：{note}。"])


JA_LESSONS = ["パーサーを疑う前に実際のバイト列を出す", "本当に読み込まれた設定ファイルを確かめる",
              "当て推量より二分探索", "最適化の前に現実的な量のデータで再現する",
              "コードを触る前に仮説を書き出す", "まずきれいなチェックアウトと比べる",
              "遅いのはクエリではなくシリアライズだった", "妙な挙動の半分は古いビルドフォルダのせいだった",
              "reducer を触る前に状態遷移図を紙に描く", "連携先のサンプルコードを一行ずつ読む",
              "まず機能を切って問題が消えるか見る", "データの時刻がどのタイムゾーンかを全部確かめる",
              "再現するケースを一画面に収まるまで小さくする", "ネットワークタブで実際のリクエストを見る",
              "変わったのはデータかコードかを先に問う", "別の人に見てもらうと十分で見つかる",
              "バグを再現する失敗テストができれば、原因はたいてい見えてくる", "声に出して説明してみる"]


def ja_lesson():
    lesson = pick(JA_LESSONS)
    subject(lesson, 3)
    return pick([f"{pick(JA_COMPONENTS)}での教訓：{lesson}。", f"調査メモ（{ja_person()}）：{lesson}。"])


# ============================================================================ Japanese, personal

JA_DISHES = [("肉じゃが", ["じゃがいも", "牛こま", "玉ねぎ"], "煮る", 25), ("親子丼", ["鶏もも", "卵", "三つ葉"], "煮る", 8),
             ("筑前煮", ["れんこん", "ごぼう", "鶏肉"], "煮る", 30), ("豚の生姜焼き", ["豚ロース", "生姜", "醤油"], "焼く", 6),
             ("茶碗蒸し", ["卵", "銀杏", "えび"], "蒸す", 15), ("ポテトサラダ", ["じゃがいも", "きゅうり", "ハム"], "和える", 10),
             ("さばの味噌煮", ["さば", "生姜", "砂糖"], "煮る", 15), ("ひじき煮", ["ひじき", "油揚げ", "にんじん"], "煮る", 20),
             ("お好み焼き", ["キャベツ", "山芋", "豚バラ"], "焼く", 12), ("かぼちゃの煮物", ["かぼちゃ", "みりん", "醤油"], "煮る", 15),
             ("鶏の唐揚げ", ["鶏もも", "にんにく", "片栗粉"], "揚げる", 5), ("ハンバーグ", ["合いびき肉", "玉ねぎ", "パン粉"], "焼く", 12),
             ("麻婆豆腐", ["豆腐", "豆板醤", "ひき肉"], "煮る", 8), ("きんぴらごぼう", ["ごぼう", "にんじん", "ごま油"], "炒める", 7),
             ("ぶり大根", ["ぶり", "大根", "生姜"], "煮る", 30), ("冷やし中華", ["中華麺", "きゅうり", "錦糸卵"], "和える", 5),
             ("鮭のホイル焼き", ["鮭", "しめじ", "バター"], "焼く", 15), ("キャロットラペ", ["にんじん", "レモン", "オリーブオイル"], "和える", 3)]


def ja_recipe():
    name, ings, method, minutes = pick(JA_DISHES)
    a, b, c = ings
    return pick([
        lambda: subject(name + "/recipe") or f"{name}：{a}、{b}、{c}。{minutes}分{method}。",
        lambda: subject(name + "/mine") or f"うちの{name}は{fixed(name, ings)}多め、{minutes}分ほど{method}のがコツ。",
        lambda: subject(name + "/many") or f"{name}を{fixed_int(name, 4, 8)}人分作るときは{fixed(name + 'x', ings)}を倍に、時間は同じ{minutes}分。",
        lambda: subject(name + "/tip") or f"{ja_person()}に教わった{name}のコツ：{pick(ings)}をレシピより多めに入れる。",
    ])()


JA_FOOD_PLACES = [("ピッツェリア・ダ・イーサ", "中目黒", "マルゲリータ"), ("タコス屋ロコ", "下北沢", "タコス"),
                  ("バンコク食堂", "恵比寿", "グリーンカレー"), ("フォー・サイゴン", "高円寺", "牛肉のフォー"),
                  ("鳥貴", "池袋", "焼き鳥"), ("天ぷら喜多八", "吉祥寺", "天ぷら定食"), ("點心樓", "横浜中華街", "小籠包"),
                  ("洋食キッチン丸", "神保町", "オムライス"), ("とんかつ多津", "上野", "ロースかつ"),
                  ("韓国食堂ソウル", "新大久保", "スンドゥブ"), ("ビストロ・リュンヌ", "神楽坂", "鴨のコンフィ"),
                  ("もんじゃ近どう", "月島", "明太もちもんじゃ"), ("串揚げ千", "浅草", "串揚げのおまかせ"),
                  ("ブルックリン・バーガー", "渋谷", "チーズバーガー")]
JA_VERDICTS = ["最高", "まあまあ", "並ぶ価値あり", "ちょっと塩辛い", "量が少なめ", "コスパがいい"]


def ja_restaurant():
    name, area, dish = pick(JA_FOOD_PLACES)
    return pick([
        lambda: subject(name + "/visit", 2) or f"{area}の「{name}」、{dish}が{pick(JA_VERDICTS)}。一人{yen_ja(12, 60)}くらい。",
        lambda: subject(name + "/again") or f"{ja_person()}おすすめの「{name}」（{area}）、次は{dish}を頼む。",
        lambda: subject(name + "/visit", 2) or f"{area}の「{name}」でランチ。{dish}、{yen_ja(9, 25)}、{pick(JA_VERDICTS)}。",
        lambda: subject(name + "/info") or f"「{name}」（{area}）は{fixed(name, ['現金のみ', '月曜定休', '昼は混むが13時半を過ぎれば空く', 'カードのみ'])}。頼むなら{dish}。",
    ])()


JA_TRIPS = [("福岡", ["川沿いの屋台は日曜は早じまい", "太宰府までは電車で30分"]),
            ("名古屋", ["城のガイドツアーはネットで予約", "大須の味噌カツは並ぶ価値あり"]),
            ("仙台", ["駅近くの牛タン屋は昼に行列", "松島は半日で回れる"]),
            ("ソウル", ["T-money はバスにも地下鉄にも使える", "古宮は月曜か火曜が休みのところが多い"]),
            ("台北", ["夜市は21時過ぎが一番", "悠遊カードでMRTもバスも乗れる"]),
            ("広島", ["宮島行きのフェリーは15分おき", "平和記念資料館は最低二時間みておく"]),
            ("松本", ["城は8時半に開き、朝のうちは空いている", "中町通りの店は平日は早く閉まる"]),
            ("日光", ["10時を過ぎると社寺が混む", "中禅寺湖へのバスは週末だと遅い"]),
            ("伊勢", ["おかげ横丁は17時で閉まる店が多い", "外宮から先にお参りする"]),
            ("鎌倉", ["週末の江ノ電は満員", "駅のコインロッカーに荷物を預けて歩く"]),
            ("長崎", ["夏はグラバー園が夜まで開いている", "路面電車は交通系ICが使える"]),
            ("高山", ["朝市は昼前に店じまい", "古い町並みは9時前が静か"]),
            ("直島", ["地中美術館は時間指定をネットで予約", "宇野からのフェリーが一番楽"]),
            ("シンガポール", ["ホーカーセンターが一番安くておいしい", "冷房が強いので上着を持っていく"]),
            ("リスボン", ["28番の路面電車は混むので歩く", "ベレンのエッグタルトはわざわざ行く価値あり"])]
JA_HOTELS = {"福岡": "ホテル イル・パラッツォ", "名古屋": "名古屋プリンスホテル", "仙台": "ホテルメトロポリタン仙台",
             "ソウル": "北村の小さなゲストハウス", "台北": "ホテル・プロバーブ台北", "広島": "ホテルグランヴィア広島",
             "松本": "ホテルブエナビスタ", "シンガポール": "ティオンバルの小さなホテル"}


def ja_trip():
    city, tips = pick(JA_TRIPS)
    tip = pick(tips)
    out = [lambda: subject(tip) or f"{city}旅行（{fixed(city, MONTHS_JA)}）メモ：{tip}。",
           lambda: subject(tip) or f"次に{city}へ行くなら：{tip}。",
           lambda: subject(tips[0]) or subject(tips[1]) or f"{city}：{tips[0]}。あと、{tips[1]}。"]
    if city in JA_HOTELS:
        out.append(lambda: subject(city + "/hotel") or f"{city}では{JA_HOTELS[city]}に泊まった。{fixed(city, ['可もなく不可もなく', '立地が最高', '部屋は狭いが清潔', '通り側の部屋はうるさい'])}。")
    return pick(out)()


JA_ITEMS = ["コードレス掃除機", "ノイズキャンセリングのヘッドホン", "ワークチェア", "ミキサー", "空気清浄機",
            "折りたたみ傘", "スタンディングデスク", "ラベルライター", "鉄のフライパン", "電気ケトル", "炊飯器",
            "ロボット掃除機", "ホームベーカリー", "電子書籍リーダー", "三脚", "加湿器"]
JA_SHOPS = ["ヨドバシ", "ビックカメラ", "無印良品", "ニトリ", "ハンズ", "ロフト", "Amazon"]


def ja_purchase():
    item = pick(JA_ITEMS)
    shop = fixed(item, JA_SHOPS)
    price = f"{fixed_int(item, 20, 900) * 100:,}円"
    s1, s2 = some(JA_SHOPS, 2)
    return pick([
        lambda: subject(item + "/bought") or f"{fixed_int(item, 1, 12)}月{fixed_int(item, 1, 28)}日に{shop}で{item}を{price}で購入、保証は{fixed_int(item, 2025, 2029)}年まで。",
        lambda: subject(item + "/manual") or f"{item}の説明書はPDFで「書類/説明書」フォルダに入れた。",
        lambda: subject(item + "/receipt") or f"{shop}で買った{item}のレシートは青いファイルに。{price}。",
        lambda: subject(item + "/compare") or f"{item}の値段比較：{s1}は{yen_ja(20, 400)}、{s2}は{yen_ja(20, 400)}。",
    ])()


JA_FRIEND_FACTS = ["パン屋で働き始めた", "チェロを習っている", "保護うさぎを迎えた", "小さな陶芸教室を開いた",
                   "ベルリンから戻ってきた", "春に双子が生まれる予定", "会社を辞めて建築の勉強を始めた",
                   "古い電車のポッドキャストを始めた", "軽自動車を買った", "鎌倉でコーヒースタンドを開く",
                   "四国のガイドブックを書いている"]
JA_AREAS = ["世田谷", "川崎", "三鷹", "浦和", "千葉", "吉祥寺", "横浜", "船橋"]


def ja_friend():
    p = ja_person()
    return pick([
        lambda: subject(p + "/flat") or f"{p}の新居は{fixed(p, JA_AREAS)}。{fixed(p, JA_FRIEND_FACTS)}らしい。",
        lambda: subject(p + "/news") or f"{p}と久しぶりに会った。{fixed(p, JA_FRIEND_FACTS)}とのこと。",
        lambda: subject(p + "/news") or f"{p}から連絡：{fixed(p, JA_FRIEND_FACTS)}。",
        lambda: (lambda q: subject(p + "/wedding") or subject(q + "/wedding") or f"{p}と{q}が{fixed(p + q, MONTHS_JA)}に{fixed(p + q, CITIES_JA)}で結婚式を挙げる。")(ja_person()),
    ])()


JA_ACTIVITIES = [("フットサル", "室内履き"), ("ボルダリング", "チョーク"), ("陶芸教室", "エプロン"), ("合唱の練習", "楽譜のファイル"),
                 ("バドミントン", "替えのグリップテープ"), ("ヨガ", "タオル"), ("クロッキー会", "木炭とカルトン"),
                 ("テニス", "帽子"), ("書道教室", "練習用の新聞紙"), ("囲碁クラブ", "何も要らない（碁盤はある）"),
                 ("写真散歩", "予備のバッテリー"), ("パン作り教室", "酵母を入れる瓶")]


def ja_hobby():
    act, thing = pick(JA_ACTIVITIES)
    return pick([
        lambda: subject(act + "/when") or f"{act}は毎週{fixed(act, JA_WEEKDAYS)}曜の{fixed_int(act, 18, 20)}時{fixed(act, ['', '半'])}から、一回{fixed_int(act, 5, 30) * 100:,}円。",
        lambda: subject(act + "/bring") or f"{act}の持ち物：{thing}。支払いは受付で。",
        lambda: subject(act + "/with", 2) or f"今週の{act}は{ja_person()}と。次は{thing}を忘れずに。",
        lambda: subject(act + "/signed") or f"{act}に{fixed(act, ['三', '六', '十'])}回分申し込んだ。初回は{date_ja()}。",
    ])()


JA_RECS = [("ポッドキャスト", "Rebuild"), ("ボードゲーム", "カタン"), ("ボードゲーム", "ito"),
           ("ポッドキャスト", "ゆる言語学ラジオ"), ("アルバム", "Kind of Blue"), ("ボードゲーム", "ごきぶりポーカー"),
           ("ボードゲーム", "ウイングスパン"), ("ポッドキャスト", "COTEN RADIO"), ("アプリ", "Anki"),
           ("アルバム", "FANTASMA"), ("ボードゲーム", "ドミニオン"), ("アプリ", "Merlin Bird ID"),
           ("ボードゲーム", "スプレンダー"), ("アルバム", "Random Access Memories"), ("アプリ", "Forest"),
           ("ポッドキャスト", "ゆるコンピュータ科学ラジオ"), ("ボードゲーム", "カルカソンヌ"), ("アルバム", "Abbey Road"),
           ("アプリ", "Libby"), ("ポッドキャスト", "ドングリFM"), ("ボードゲーム", "ザ・クルー"), ("アルバム", "空洞です")]


JA_REC_VERDICTS = {"ポッドキャスト": ["かなり良い", "自分には合わなかった", "通勤にちょうどいい"],
                   "ボードゲーム": ["かなり良い", "自分には合わなかった", "四人だと盛り上がる"],
                   "アルバム": ["かなり良い", "自分には合わなかった", "通勤にちょうどいい"],
                   "アプリ": ["かなり便利", "自分には合わなかった", "一週間で消した"]}


def ja_rec():
    kind, title = pick(JA_RECS)
    subject(title)
    return pick([f"{ja_person()}に{kind}の「{title}」を勧められた。",
                 f"{kind}「{title}」、{ja_person()}いわく最高とのこと。",
                 f"{ja_person()}が言っていた{kind}「{title}」を試した。{pick(JA_REC_VERDICTS[kind])}。"])


JA_APPLIANCES = ["エアコン", "換気扇", "浄水器", "乾燥機", "除湿機", "空気清浄機"]


JA_HOUSE_NOTES = [
    "窓を開けると浴室の換気扇がカタカタ鳴るが、故障ではない。",
    "電気ケトルと電子レンジを同時に使うと台所のブレーカーが落ちる。",
    "11月はベランダの排水口が落ち葉で詰まる。台風のあとは確認。",
    "インターホンの音量つまみは裏ではなく左側面にある。",
    "給湯温度は台所のパネルで42度に設定。",
    "強風の日は小さい部屋の窓がピューピュー鳴る。きっちり閉める。",
    "寝室のたんすの裏にカビ。壁から数センチ離しておく。",
    "床暖房のパネルはダイニングテーブル横の壁。3で十分。",
    "冷蔵庫の製氷機には浄水だけを入れる。",
    "6月は除湿機のタンクが一日でいっぱいになる。",
    "トイレの洗浄剤は洗面台の下、週に一つ。",
    "洗濯機の糸くずフィルターは正面下の小さな扉の奥。",
    "台所の蛇口は左いっぱいまで回さないと水がぽたぽた垂れる。",
    "玄関の照明は人感センサー。常時点灯のスイッチは下駄箱の中。",
    "寝室の給気口は冬でも開けておく。",
    "米びつは冷蔵庫の横のカウンターの下。",
    "非常用の袋は廊下の収納：水、懐中電灯、ラジオ、モバイルバッテリー。",
    "ベランダの隔て板は非常時に破って避難できるので物を置かない。",
    "網戸は夏の前にブラシで洗う。",
    "エアコンのリモコンは表示が薄くなったら電池交換。",
]


def ja_household():
    appliance = pick(JA_APPLIANCES)
    facts = [(t, t) for t in JA_HOUSE_NOTES] + [
        (appliance, f"{appliance}のフィルターを{date_ja()}に交換、次は{fixed_int(appliance, 2, 12)}か月後。"),
        ("fuse", f"ブレーカーは{fixed('fuse', ['玄関のコート掛けの裏', '廊下の収納', '玄関ドアの上'])}にある。"),
        ("meter", f"水道メーターは{fixed('meter', ['シンクの下', '玄関の外のメーターボックス'])}。"),
        ("gas", f"ガスの元栓は{fixed('gas', ['ベランダ', '玄関脇のメーターボックス'])}にある。"),
        ("smoke", f"火災報知器の電池を{date_ja()}に交換。"),
        ("bulb", f"廊下の照明は{fixed('bulb', ['E17', 'E26'])}口金のLED電球、{fixed('bulb', ['電球色', '昼白色'])}。"),
        ("heater", f"給湯器の点検は{date_ja()}に済んだ。業者の名刺は冷蔵庫に貼ってある。"),
        ("kettle", f"{date_ja()}にクエン酸で電気ケトルの水あかを落とした。"),
        ("batteries", f"予備の{fixed('batteries', ['単三', '単四'])}電池はテレビ台の引き出し。"),
        ("curtains", f"{date_ja()}にカーテンを洗濯。洗濯ネットに入れる。"),
        ("burner", f"{date_ja()}にガスコンロのバーナーキャップをつけ置き洗いした。"),
    ]
    key, text = pick(facts)
    subject(key)
    return text


JA_BOOKS = [("博士の愛した数式", "小説"), ("コンビニ人間", "小説"), ("容疑者Xの献身", "ミステリー"), ("キッチン", "小説"),
            ("サピエンス全史", "歴史"), ("ファスト&スロー", "心理学"), ("達人プログラマー", "プログラミング"),
            ("火花", "小説"), ("舟を編む", "小説"), ("蜜蜂と遠雷", "小説"), ("夜は短し歩けよ乙女", "小説"),
            ("ファクトフルネス", "ノンフィクション"), ("センス・オブ・ワンダー", "エッセイ"), ("塩と脂と酸と熱", "料理"),
            ("チームトポロジー", "組織論"), ("深夜特急", "紀行")]


def ja_book():
    title, genre = pick(JA_BOOKS)
    return pick([
        lambda: subject(title + "/read") or f"『{title}』（{genre}）を読んでいる。{pick(['出だしは遅いが三章から面白い', '線を引きたいところが多い', '電車で読むのにちょうどいい', 'ちょっと繰り返しが多い'])}。",
        lambda: subject(title + "/done") or f"{date_ja()}に『{title}』を読み終えた。{pick(['良かった', '期待ほどではなかった', '思ったより面白かった', '一部は読み返したい'])}。",
        lambda: subject(title + "/lent") or f"{ja_person()}に『{title}』を借りた。{pick(MONTHS_JA)}までに返す。",
        lambda: subject(title + "/hold") or f"図書館で予約した『{title}』が届いた。{date_ja()}までに受け取り。",
    ])()


JA_FILMS = [("ドライブ・マイ・カー", 2021), ("万引き家族", 2018), ("千と千尋の神隠し", 2001), ("パスト ライブス", 2023),
            ("グランド・ブダペスト・ホテル", 2014), ("オッペンハイマー", 2023), ("君の名は。", 2016), ("パディントン2", 2017),
            ("アメリ", 2001), ("セッション", 2014), ("タンポポ", 1985), ("七人の侍", 1954), ("ゴジラ-1.0", 2023),
            ("東京物語", 1953), ("君たちはどう生きるか", 2023), ("カメラを止めるな！", 2017),
            ("パラサイト 半地下の家族", 2019), ("おくりびと", 2008), ("紅の豚", 1992), ("最強のふたり", 2011),
            ("マッドマックス 怒りのデス・ロード", 2015), ("ラ・ラ・ランド", 2016), ("羅生門", 1950), ("リトル・フォレスト", 2014),
            ("LIFE!", 2013), ("リメンバー・ミー", 2017), ("落下の解剖学", 2023), ("トップガン マーヴェリック", 2022)]


def ja_film():
    film, year = pick(JA_FILMS)
    subject(film)
    return pick([
        f"{date_ja()}に『{film}』（{year}年）を観た。{pick(['映像がきれい', '長すぎた', '音楽が良かった', '途中で寝てしまった', '二回目の方が良かった'])}。",
        f"『{film}』を{pick(['TOHOシネマズ日比谷', '新宿ピカデリー', '目黒シネマ'])}で観た。{pick(['大画面で観てよかった', '子どもも楽しんでいた', '地味だけど観る価値あり'])}。",
        f"『{film}』を家で{pick(['Netflix', 'Amazonプライム', 'U-NEXT'])}で観た。{pick(['子どもも楽しんでいた', '地味だけど観る価値あり', '字幕がいまいちだった'])}。",
        f"『{film}』を{ja_person()}と観た。向こうはもう三回目だった。",
    ])


JA_HEALTH_NOTES = [
    "寝る前のマグネシウムでふくらはぎのつりが減った気がする。",
    "長く歩いた日は太ももの外側をフォームローラーで左右二分ずつ。",
    "時計の「45分ごとに立つ」通知は切らずにおく。",
    "長い通話のあとは左肩をホットパックで十分温めると楽になる。",
    "平日は夕食を20時までに。遅くて重い夕食だと眠りが浅い。",
    "カフェインは一日二杯まで。",
    "冷水シャワーは夏だけ。冬はつらいだけだった。",
    "瞑想アプリの十分間のボディスキャンは昼食後すぐが一番効く。",
    "ホテルで寝るときはスポンジの耳栓。シリコンのは外れる。",
    "朝のストレッチ：キャットアンドカウ、股関節、もも裏で計五分。",
    "破傷風の追加接種は2022年、十年もつ。",
    "ひざのため、しばらく深いスクワットはしない（理学療法士の指示）。",
    "画面の上端は目の高さ、ひじは90度。",
    "頭痛がするのはたいてい昼を抜いたか、六時間寝ていない日。",
    "金曜の打ち合わせは公園を30分歩きながら。",
    "寝室は18〜20度が一番よく眠れる。",
    "フェリーの酔い止めにはしょうがの飴が効く。",
    "昼休みに20分歩くと午後の眠気がかなりましになる。",
    "スマホは21時からブルーライトを抑える設定。",
    "朝食にたんぱく質をとると昼前の間食が減る。",
    "プランクは春の40秒から90秒まで延びた。",
    "スタンディングデスクは105cm、椅子は46cmがちょうどいい。",
    "寝る前に画面を見すぎると、時計の記録で眠りが浅いのがわかる。",
    "日曜はサウナ。あとで水をたくさん飲む。",
    "フットサルでひねった足首は三週間ほどで治った。試合のときはテーピング。",
]


def ja_health():
    facts = [(t, t) for t in JA_HEALTH_NOTES] + [
        ("sleep", f"先週の睡眠は平均{rng.randint(5, 7)}時間{rng.randint(0, 55)}分。23時以降に画面を見なかった日はよく眠れた。"),
        ("hr", f"今月の安静時心拍数はだいたい{rng.randint(52, 72)}。"),
        ("steps", f"{pick(MONTHS_JA)}の歩数は一日平均{rng.randint(4, 12)},{rng.randint(100, 999)}歩。"),
        ("knee", f"左ひざのリハビリ：{fixed('knee', ['ウォールシット', '段差の下り', 'クラムシェル', 'かかと上げ'])}を{fixed_int('knee', 2, 4)}セット、一日おき。"),
        ("wrist", "タイピングが多い日は一時間ごとに手首のストレッチ。やらないと右手首が痛む。"),
        ("flu", f"インフルエンザの予防接種を{date_ja_in([10, 11, 12])}に駅前の内科で受けた。"),
        ("vitd", "冬はビタミンDを朝食と一緒に一錠。"),
        ("coffee", "コーヒーは14時まで。それ以降飲まないと明らかによく眠れる。"),
        ("eyes", "目が疲れたら、20分ごとに20秒遠くを見る。"),
    ]
    key, text = pick(facts)
    subject(key)
    return text


def ja_money():
    svc, price = pick(SUBS)
    svc = {"the newspaper app": "新聞アプリ", "iCloud 200 GB": "iCloud 200GB"}.get(svc, svc)
    p = ja_person()
    return pick([
        lambda: subject(svc) or f"定額サービス：{svc}は月{price:,}円、毎月{fixed_int(svc, 1, 28)}日に引き落とし。",
        lambda: (lambda what: subject(what) or f"{p}に{yen_ja(10, 150)}借りている（{what}）。")(pick(['コンサートのチケット', 'タクシー代', '二人で買ったプレゼント', 'カラオケ代', '新幹線の切符', 'バーベキュー代'])),
        lambda: (lambda what: subject(what) or f"{p}に{what}の分の{yen_ja(10, 150)}を立て替えた。")(pick(['民泊', '食事', 'レンタカー', '美術館のチケット', '食材', 'リフト券'])),
        lambda: subject(p + "/wedding") or f"{p}の結婚祝いの予算は{fixed_int(p, 1, 5)}万円。",
        lambda: (lambda c: subject(c + "/split") or f"{c}での週末旅行は四人で割り勘、一人{yen_ja(80, 400)}。")(pick(CITIES_JA)),
        lambda: subject("transfer") or f"他行への振込手数料は{fixed('fee', [110, 145, 220])}円、月{fixed_int('fee', 3, 10)}回までは無料。",
    ])()


JA_TRIVIA = ["タコには心臓が三つあって血は青い", "エジプトの墓から出た蜂蜜はまだ食べられた", "富士山が最後に噴火したのは1707年",
             "瀬戸大橋は道路と鉄道の両方が通る", "バナナは植物学的にはベリーだが、イチゴは違う", "金星では一日の方が一年より長い",
             "東京スカイツリーの634mは旧国名「武蔵」にかけている", "琵琶湖はおよそ四百万年前からある", "ウォンバットのフンは立方体",
             "エッフェル塔は夏の暑さで15cmほど伸びる", "サメは木よりも古くから地球にいる", "水中では音が空気中の約四倍の速さで伝わる",
             "オックスフォード大学はアステカ帝国より古い", "クレオパトラはピラミッド建設より月面着陸の方が時代的に近い",
             "フラミンゴの群れは英語で flamboyance と呼ぶ", "最初の新幹線が走ったのは1964年",
             "金星は自転の向きがほかの惑星と逆", "ダチョウは目玉の方が脳より大きい",
             "日本は人口あたりの自動販売機の数が世界一多い", "万里の長城は月からは見えない", "コアラは一日に20時間ほど眠る",
             "山手線は一周34.5km", "チェスの可能な棋譜の数は観測できる宇宙の原子の数より多い", "日本には活火山が100以上ある",
             "雷は太陽の表面より五倍ほど熱い", "史上最短の戦争は一時間もかからずに終わった", "条件によってはお湯の方が水より早く凍る",
             "シロナガスクジラの心臓は小型車ほどの大きさ", "「ロボット」という言葉は1920年のチェコの戯曲から",
             "任天堂は1889年に花札の製造から始まった", "青函トンネルは2016年まで世界最長の鉄道トンネルだった",
             "ミツバチは人の顔を見分けられる", "最初の絵文字は1999年に日本で作られた", "土星は大きな浴槽があれば水に浮く",
             "南極は分類上は砂漠", "エッフェル塔はもともと20年で取り壊す予定だった",
             "中性子星の物質は小さじ一杯で約十億トンある", "太平洋の幅は月の直径より広い", "日本最古の会社・金剛組の創業は578年",
             "ノルウェーには Hell という名前の町がある", "ナマケモノはイルカより長く息を止められる", "光は一秒に約30万km進む",
             "カラスは人の顔を何年も覚えている", "アマゾン川には橋が一本もかかっていない", "エベレストは毎年数ミリずつ高くなっている",
             "ピーナッツは豆の仲間でナッツではない", "火星の一日は地球より約40分長い", "東京駅の赤れんが駅舎は1914年に開業した",
             "世界一短い定期便はスコットランドにあり、二分かからない"]


def ja_trivia():
    t = pick(JA_TRIVIA)
    subject(t)
    return pick([f"豆知識：{t}。", f"飲み会で使えるネタ：{t}。", f"{ja_person()}に聞いた話。{t}らしい。", f"{t}。"])


def ja_sports():
    return pick([
        lambda: subject("baseball", 3) or f"{date_ja_in([4, 5, 6, 7, 8, 9])}、神宮でヤクルト対巨人。{rng.randint(17, 18)}時開始、外野席で一枚{yen_ja(20, 45)}。",
        lambda: subject("tennis", 2) or f"{pick(JA_WEEKDAYS)}曜に{ja_person()}とテニス。{pick(['4-6, 6-3, 5-7', '3-6, 4-6', '6-7, 6-4, 4-6'])}で負け。追い込まれるとバックハンドが崩れる。",
        lambda: subject("league") or f"バドミントンのリーグ戦は{fixed_int('league', 8, 14)}チーム中{fixed_int('leaguepos', 2, 7)}位だった。",
        lambda: subject("ski") or f"{fixed('ski', ['1月', '2月', '3月'])}に{fixed('ski', ['白馬', '苗場', '蔵王', '野沢温泉', 'ガーラ湯沢'])}へスキー。ブーツは現地で借り、ゴーグルは持参。",
        lambda: subject("sumo") or "1月・5月・9月場所は両国国技館。チケットは一か月ほど前に発売。",
        lambda: subject("football", 2) or f"{pick(['日本代表', '川崎フロンターレ', '浦和レッズ', 'FC東京'])}の試合を{pick(['渋谷', '新宿', '恵比寿'])}のスポーツバーで{ja_person()}と観た。",
        lambda: subject("kit") or f"フットサルチームのユニフォームはホームが{fixed('kit', ['紺', '緑', '赤'])}、アウェイが白。",
        lambda: subject("rugby") or f"ラグビー：{pick(['日本対ウェールズ', '日本対アイルランド', '東京サンゴリアス対埼玉ワイルドナイツ'])}を{pick(['秩父宮', '国立競技場'])}で{ja_person()}と観戦。",
        lambda: subject("pingpong") or f"公民館の卓球は二時間{fixed('pingpong', ['300円', '400円'])}、ラケットは持参。",
        lambda: subject("bowling") or f"チームでボウリング。ベストは{rng.randint(120, 190)}。",
        lambda: subject("bleague", 2) or f"Bリーグ：{date_ja_in([10, 11, 12, 1, 2, 3, 4])}の{pick(['アルバルク東京', '千葉ジェッツ', '川崎ブレイブサンダース'])}戦、コートサイド席は値段だけの価値あり。",
        lambda: subject("golf") or f"駅近くの打ちっぱなしは100球で{fixed('golf', ['1,500円', '2,000円'])}。左打ち用の打席は一番奥。",
        lambda: subject("climb") or f"クライミングの記録：{date_ja()}に初めて{fixed('climb', ['5.10a', '5.10b', '6a+', 'V3'])}を完登。",
        lambda: subject("racket") or "テニスのガットは24kgで張り直し。22kgだとゆるすぎた。",
        lambda: subject("ekiden") or f"{fixed('ekiden', ['1月2日', '1月3日'])}は箱根駅伝をテレビで。優勝は{fixed('ekiden', ['青山学院', '駒澤', '中央'])}。",
        lambda: subject("shuttles") or f"バドミントンのシャトルは{fixed('shuttles', ['ヨネックスのエアロセンサ20', 'ヨネックスのエアロセンサ30'])}が一番長もちする。",
        lambda: subject("pitch") or "フットサルリーグの豊洲のコートは問題なし、品川は四隅が滑る。",
    ])()


JA_GROCERIES = ["食器用洗剤", "卵", "豆腐", "単三電池", "コピー用紙", "キッチンペーパー", "納豆", "オリーブオイル", "歯みがき粉",
                "コーヒー豆", "ティッシュ", "ラップ", "豆乳", "冷凍枝豆", "米酢", "ごま油"]


def ja_shopping():
    a, b, c = some(JA_GROCERIES, 3)
    item = pick(JA_ITEMS)
    return pick([
        lambda: subject("+".join(sorted([a, b, c]))) or f"買い物リスト：{a}、{b}、{c}。",
        lambda: subject("+".join(sorted([a, b]))) or f"{a}と{b}が切れた。帰りに買う。",
        lambda: subject(item) or f"ほしいもの：{item}。{fixed(item, ['夏', '冬', 'ブラックフライデー'])}のセールまで待つ。",
        lambda: subject("+".join(sorted([a, b, c]))) or f"{date_ja()}に{ja_person()}とコストコ：{a}、{b}、{c}。",
    ])()


JA_RELATIVES = ["兄の健", "いとこの亜紀", "叔父の浩", "義姉の由美", "義弟の太郎"]


def ja_family():
    rel = pick(JA_RELATIVES)
    return pick([
        lambda: subject(rel + "/moved") or f"{rel}が{fixed(rel, MONTHS_JA)}に仕事で{fixed(rel, CITIES_JA)}へ引っ越した。",
        lambda: subject("dad") or f"父がベランダで{fixed('dad', ['ブルーベリー', '唐辛子', 'いちご', 'いちじく'])}を育て始めた。毎週写真が送られてくる。",
        lambda: (lambda place: subject(place) or f"子どもたちは{pick(['春', '夏', '冬'])}休みに{place}へ行きたいそう。")(pick(['すみだ水族館', '上野の科学博物館', '名古屋のレゴランド', '大宮の鉄道博物館'])),
        lambda: subject("sportsday") or f"子どもの学校の運動会は{date_ja_in([5, 6, 9, 10])}。レジャーシートと帽子を持っていく。",
        lambda: subject(rel + "/wedding") or f"{rel}が{fixed(rel + 'w', MONTHS_JA)}に{fixed(rel + 'w', CITIES_JA)}で結婚式。",
        lambda: subject("gw") or f"ゴールデンウィークの予定：{fixed('gw', ['長野で二泊', '家でベランダのペンキ塗り', '祖父母の家へ', '動物園で一日'])}。",
        lambda: subject("mum") or f"母が{'から'.join(date_range_ja())}まで泊まりに来る。",
    ])()


JA_PETS = [("きなこ", "うさぎ", ["爪切りは六週間ごと", "おやつは乾燥パパイヤが好き", "春は毛がよく抜ける"]),
           ("ピー", "セキセイインコ", ["ケージの掃除は日曜", "玄関チャイムの音を真似するようになった", "粟の穂が好き"]),
           ("カメ吉", "亀", ["紫外線ライトは半年ごとに交換", "室内飼いなので冬眠はさせない", "朝はたいてい甲羅干し"]),
           ("金ちゃん", "金魚", ["ろ過スポンジは水道水ではなく水槽の水ですすぐ", "今年で五歳"]),
           ("むぎ", "ハムスター", ["床材は毎週土曜に交換", "回し車がきしむので油をさす", "22時過ぎから活発になる"]),
           ("きなこ", "うさぎ", ["掃除機の音が大嫌い", "牧草入れは毎晩補充", "ソファの脚をかじるのでガードを付けた"]),
           ("ピー", "セキセイインコ", ["ボレー粉は月に一度入れ替える", "赤い色が苦手", "ケージに半分布をかけるとよく眠る"]),
           ("カメ吉", "亀", ["水槽のろ過器は二週間ごとに掃除", "今年2cm大きくなった", "乾燥えびが好きすぎる"]),
           ("金ちゃん", "金魚", ["水槽の照明はタイマーで8時から20時", "水槽に入れた新しい水草はアヌビアス"])]


def ja_pet():
    name, kind, facts = pick(JA_PETS)
    fact = pick(facts)
    return pick([
        lambda: subject(fact) or f"{kind}の{name}：{fact}。",
        lambda: subject(fact) or f"{name}（{kind}）メモ：{fact}。",
        lambda: subject(name + "/sitter") or f"{'から'.join(date_range_ja())}まで留守の間、{name}（{kind}）の世話は{ja_person()}に頼んだ。",
    ])()


JA_PLANTS = ["バジル", "大葉", "ミニトマト", "ミント", "レモンバーム", "いちご", "唐辛子", "パセリ", "ローズマリー", "朝顔", "ひまわり"]


def ja_garden():
    pl = pick(JA_PLANTS)
    return pick([
        lambda: subject(pl + "/planted") or f"{date_ja_in([3, 4, 5])}にベランダで{pl}を植えた。",
        lambda: subject(pl + "/pinch") or f"{pl}は花芽を摘むと葉がよく出る。",
        lambda: subject(pl + "/harvest", 2) or f"{date_ja_in([6, 7, 8, 9])}に{pl}を{rng.randint(3, 40)}個収穫。",
        lambda: subject(pl + "/feed") or f"{pl}には{fixed(pl, ['4月', '5月', '6月'])}から二週間おきに液体肥料。",
        lambda: subject(pl + "/stake") or f"{pl}の苗は30cmくらいで支柱を立てる。",
        lambda: subject(pl + "/aphids") or f"{pl}にアブラムシ。薄めた石けん水のスプレーで落ち着いた。",
    ])()


JA_PHRASES = [("英語", "rule of thumb", "目安、経験則"), ("英語", "touch base", "軽く連絡を取り合う"),
              ("英語", "a long shot", "望みは薄いが試す価値はある"), ("韓国語", "얼마예요?", "いくらですか"),
              ("韓国語", "감사합니다", "ありがとうございます"), ("韓国語", "잘 먹겠습니다", "いただきます"),
              ("スペイン語", "¿Me pone un café?", "コーヒーをください"), ("スペイン語", "Estoy aprendiendo", "勉強中です"),
              ("フランス語", "Ça marche", "それでいい、了解"), ("イタリア語", "Il conto, per favore", "お会計をお願いします"),
              ("英語", "on the same page", "認識がそろっている"), ("英語", "ballpark figure", "ざっくりした見積もり"),
              ("英語", "heads-up", "前もっての一言、注意喚起"), ("英語", "bite the bullet", "嫌なことを覚悟してやる"),
              ("英語", "low-hanging fruit", "すぐに取れる成果"), ("英語", "circle back", "あとで改めて話を戻す"),
              ("韓国語", "천천히 말해 주세요", "ゆっくり話してください"), ("韓国語", "괜찮아요", "大丈夫です"),
              ("韓国語", "화이팅", "がんばれ"), ("スペイン語", "¿Qué tal?", "元気？調子はどう？"), ("スペイン語", "Ojalá", "そうだといいな"),
              ("フランス語", "Il fait beau", "いい天気"), ("ドイツ語", "Feierabend", "仕事終わり、終業後の時間"),
              ("ポルトガル語", "Saudade", "ここにないものを恋しく思う気持ち")]


def ja_language():
    lang, ph, meaning = pick(JA_PHRASES)
    end = "" if meaning.endswith("？") else "。"
    return pick([lambda: subject(ph) or f"{lang}：{ph} ＝ {meaning}{end}",
                 lambda: subject(ph) or f"覚えたい{lang}の表現：{ph}（{meaning}）。",
                 lambda: subject(lang + "/streak") or f"Duolingo の{lang}、{rng.randint(10, 400)}日連続。"])()


def ja_guitar():
    song = pick(['ブラックバード', '小さな恋のうた', '丸の内サディスティック', '上を向いて歩こう', 'ホテル・カリフォルニア'])
    facts = [
        ("change", f"ギター：{pick(['F→C', 'G→D', 'Bm→G', 'Am→E'])}の持ち替えをテンポ{rng.randint(60, 110)}で練習。"),
        (song, f"「{song}」を練習中、カポは{fixed_int(song, 1, 5)}フレット。"),
        ("strings", f"{date_ja()}に弦を張り替えた（{fixed('strings', ['エリクサー', 'ダダリオ', 'マーチン'])}のライトゲージ）。"),
        ("truss", f"{fixed('guitar', ['ヤマハのFG', 'マーチンのD-10', 'テイラーのGS Mini'])}は夏前にネックの反りを見てもらう。"),
        ("picking", "イントロのアルペジオ：親指で6弦と4弦、人差し指で3弦、中指で2弦。"),
        ("barre", "セーハは親指をネックの低めに置くとビビりが減る。"),
        ("practice", "練習は日曜に二時間より毎日20分の方が身につく。"),
        ("tuner", "チューナーアプリの基準音は440Hz。"),
        ("capo", "カポを付けたら必ずチューニングし直す。"),
    ]
    key, text = pick(facts)
    subject(key, 2 if key == "change" else 1)
    return text


JA_ARTISTS = ["星野源", "Official髭男dism", "Perfume", "YOASOBI", "King Gnu", "あいみょん", "Ado", "Vaundy"]
JA_VENUES = ["東京ドーム", "日本武道館", "さいたまスーパーアリーナ", "Zepp DiverCity", "横浜アリーナ"]
JA_SHOWS = [("モネ展", "国立西洋美術館"), ("チームラボプラネッツ", "豊洲"), ("恐竜展", "国立科学博物館"),
            ("ジブリ美術館", "三鷹"), ("北斎展", "すみだ北斎美術館")]


def ja_tickets():
    show, place = pick(JA_SHOWS)
    artist = pick(JA_ARTISTS)
    return pick([
        lambda: subject(artist + "/tickets") or f"{artist}の{fixed(artist, JA_VENUES)}公演は{date_ja()}。{pick('ABCDEF')}ブロック{rng.randint(1, 40)}列。",
        lambda: subject(artist + "/lottery") or f"{artist}のチケット抽選の結果発表は{date_ja()}。",
        lambda: subject(show + "/until") or f"{place}の{show}は{date_ja()}まで。入場は時間指定の予約制。",
        lambda: subject(show + "/went") or f"{ja_person()}と{place}の{show}へ。{pick(['混んでいたが良かった', '行くなら平日', 'ショップも見る価値あり'])}。",
    ])()


JA_GIFTS = ["いいお箸", "Kindle", "ハンドドリップのセット", "おしゃれな鉢の観葉植物", "ボードゲーム", "ノートとペン",
            "入浴剤のセット", "風呂敷", "料理教室のチケット", "焼き物の本"]


def ja_gift():
    p = ja_person()
    return pick([
        lambda: subject(p + "/idea") or f"{p}へのプレゼント候補：{fixed(p, JA_GIFTS)}。{fixed(p, MONTHS_JA)}に欲しいと言っていた。",
        lambda: subject(p + "/got") or f"{p}の誕生日に{fixed(p + 'got', JA_GIFTS)}を贈った。喜んでくれた。",
        lambda: subject(p + "/farewell") or f"{p}の送別の品はチームから{pick(JA_GIFTS)}、一人{yen_ja(5, 20)}ずつ。",
        lambda: subject(p + "/house") or f"{date_ja()}は{p}の新居祝い。{pick(JA_GIFTS)}を持っていく。",
    ])()


JA_GAMES = ["ティアーズ オブ ザ キングダム", "ポケモン スカーレット", "スプラトゥーン3", "エルデンリング", "あつまれ どうぶつの森",
            "スターデューバレー", "マリオカート8", "テトリス99", "ドラクエ3リメイク", "桃太郎電鉄"]
JA_SERIES = [("SHOGUN 将軍", "Disney+"), ("一流シェフのファミリーレストラン", "Disney+"), ("セヴェランス", "Apple TV+"),
             ("深夜食堂", "Netflix"), ("クィア・アイ", "Netflix"), ("地面師たち", "Netflix"), ("VIVANT", "U-NEXT")]


def ja_games_tv():
    show, service = pick(JA_SERIES)
    game = pick(JA_GAMES)
    return pick([
        lambda: subject(game + "/done") or f"{game}のメインストーリーを約{fixed_int(game, 20, 140)}時間でクリア。",
        lambda: subject(show) or f"{service}で「{show}」を見ている。いま第{rng.randint(2, 10)}話。",
        lambda: subject(game + "/with") or f"{pick(JA_WEEKDAYS)}曜の夜に{ja_person()}と{game}。{pick(['全敗', 'やっとボスを倒した', '四人だと盛り上がる'])}。",
        lambda: subject(game + "/again") or f"{game}を最初からやり直し始めた。",
    ])()


def ja_diy():
    text = pick([
        "寝室のドアの蝶番がきしんでいたので、油を一滴さしたら直った。",
        f"本棚の壁付けは{fixed('plugs', ['6mm', '8mm'])}のアンカーに{fixed('screws', ['4×35', '5×40'])}のビス。",
        "ベランダの電気のスイッチは窓に一番近いもの。",
        f"廊下の補修用ペンキは{fixed('paint', ['関西ペイント', 'アサヒペン'])}の{fixed('paint', ['アイボリー', 'オフホワイト', 'ウォームグレー'])}。",
        f"IKEA の {pick(['KALLAX', 'BILLY', 'MALM', 'HEMNES'])} は4mmの六角レンチで組む。工具箱に入っている。",
        f"{date_ja()}、がたつく{pick(['テーブル', '椅子', 'スツール'])}の脚にフェルトを貼って直した。",
        "夏は引き戸が重くなる。レールにろうそくのロウを塗ると滑りがよくなる。",
        "シャワーヘッドを節水型に交換。古いのは一番上の棚の箱の中。",
        "石膏ボード用のフックは3kgまで。大きな鏡にはちゃんとしたアンカーが要る。",
        "玄関のタイルの浮きをホームセンターの白い接着剤で直した。",
        f"{date_ja()}に玄関ドアのドアクローザーを調整。上のねじで閉まる速さが変わる。",
        "小部屋の障子をアイロンで貼るタイプに張り替えた。のりより断然楽。",
        "テレビの裏の配線を結束バンドとラベルライターで整理した。",
        "台所の引き出しのレールを直した。樹脂の留め具が外れていただけ。",
        "ベランダの椅子のがたつきは脚のゴムキャップ（22mm）を替えれば直る。",
        "浴室のコーキングは防カビタイプの白を使う。",
        "書斎の本棚はL字金具二つで壁の下地に固定してある。",
        "木のまな板をやすりがけしてオイルを塗った。数か月ごとに塗り直す。",
        "冷蔵庫のドアパッキンを交換。内側のラベルの型番で注文した。",
        "地震対策で寝室の背の高いたんすに転倒防止ベルトを付けた。",
        "戸棚の扉にマグネットキャッチを付けたら勝手に開かなくなった。",
    ])
    subject(re.sub(r"[0-9]+月[0-9]+日[、に]*", "", text)[:8])
    return text


JA_COURSES = ["Coursera の機械学習講座", "書道の基礎", "オンラインのスペイン語A2", "D3でのデータ可視化", "簿記の基礎",
              "写真の構図", "初心者向け韓国語", "UXリサーチ入門", "ギタリストのための音楽理論", "水彩画講座",
              "統計のおさらい講座", "プロダクトマネジメントの基礎", "天然酵母パン講座"]


def ja_course():
    course = pick(JA_COURSES)
    return pick([
        lambda: subject(course + "/quiz") or f"オンライン講座「{course}」：第{rng.randint(1, 10)}週の小テストは{pick(JA_WEEKDAYS)}曜締め切り。",
        lambda: subject(course + "/half") or f"「{course}」は半分まで来た。週{fixed_int(course, 2, 6)}時間くらい。",
        lambda: subject(course + "/cert") or f"「{course}」の修了証は「書類/修了証」フォルダに保存。",
    ])()


JA_DAYTRIP_PLACES = ["川越", "江の島", "秩父", "水戸", "鎌倉", "横須賀", "佐原", "河口湖", "小田原"]


def ja_daytrip():
    place = pick(JA_DAYTRIP_PLACES)
    return pick([
        lambda: subject(place) or f"{date_ja()}に{ja_person()}と{place}へ。{pick(['行ってよかった', '混みすぎ', '天気に恵まれた', '子どもには歩く距離が長すぎた'])}。",
        lambda: subject(place) or f"{pick(MONTHS_JA)}の日帰り候補：{place}。",
        lambda: subject("川越") or f"日帰りの候補：川越。蔵造りの町並みは{pick(['平日', '10時前'])}が狙い目。",
        lambda: subject("江の島") or "日帰りの候補：江の島。島の上まで行くエスカーは少しお金を払う価値あり。",
        lambda: subject("秩父") or f"{pick(['春', '秋'])}の秩父：池袋から特急で80分。",
        lambda: subject("水戸") or "水戸の偕楽園は2月から3月が梅の見ごろ。",
        lambda: subject("足利") or "あしかがフラワーパークの藤は4月下旬、夜のライトアップがおすすめ。",
        lambda: subject("横浜") or "横浜中華街から港沿いを歩けば半日でちょうどいい。",
        lambda: subject("河口湖") or "河口湖：レトロバスが湖を一周して展望スポットごとに停まる。",
    ])()


JA_BIRDS = ["カワセミ", "アオサギ", "メジロ", "モズ", "ダイサギ", "トビ", "オシドリのつがい", "ヤマガラ", "ジョウビタキ",
            "カイツブリ", "キジバト", "カンムリカイツブリ", "ミソサザイ", "イソヒヨドリ"]
JA_BIRD_SPOTS = ["石神井公園", "多摩川の河川敷", "代々木公園", "葛西臨海公園", "水元公園", "井の頭公園", "明治神宮の森",
                 "不忍池", "谷津干潟"]


def ja_birding():
    b1, b2 = some(JA_BIRDS, 2)
    spot = pick(JA_BIRD_SPOTS)
    return pick([
        lambda: subject(b1 + spot) or f"{date_ja()}、{spot}で{b1}を見た。",
        lambda: subject(b1 + spot) or subject(b2 + spot) or f"野鳥の記録（{spot}）：{b1}と{b2}。",
        lambda: subject(b1 + "/season") or f"{spot}は{pick(['冬', '春', '秋'])}の{b1}が狙い目。朝早く行く。",
        lambda: subject(b1 + "/new") or f"観察リストに追加：{b1}（{spot}）。",
        lambda: subject(b1 + spot) or f"{ja_person()}が{spot}の近くで{b1}を見つけた。次は8倍の双眼鏡を持っていく。",
    ])()


JA_KITCHEN_TIPS = [
    "なすは揚げる前に塩をふって20分おくと油を吸いにくい",
    "ステーキは焼いたのと同じくらいの時間休ませる",
    "生姜は冷凍して、凍ったまますりおろす",
    "卵焼きの卵液にマヨネーズを少し入れるとふんわりする",
    "スパイスは挽く前に乾いたフライパンで炒る",
    "ソースをのばすならオイルを足すよりパスタのゆで汁",
    "長ねぎは切ってから洗う",
    "ポーチドエッグはお湯に酢を少し入れるとまとまる",
    "パイ生地は冷たいバターをすりおろして粉に混ぜる",
    "干ししいたけは冷蔵庫で一晩かけて戻すと一番おいしい",
    "葉物は保存容器にキッチンペーパーを敷くとシャキッと保てる",
    "アボカドはバナナと一緒に紙袋に入れると早く熟す",
    "よく切れる包丁なら玉ねぎが目にしみにくい",
    "鶏肉は焼く前に水気をふくと皮がパリッとする",
    "冷凍したパンは凍ったまま焼いて大丈夫",
    "りんごはレモン汁をかけると変色しない",
    "ひき肉を炒めるときはフライパンに詰め込みすぎない",
    "豆腐は炒める前に15分水切りする",
    "酸っぱいトマト缶には砂糖をひとつまみ",
    "辛すぎる料理には大根おろしを添えると和らぐ",
    "まな板の下にぬれ布巾を敷くと滑らない",
    "にんにくは弱火で。焦がすと料理全体が苦くなる",
    "パスタのゆで湯にはしっかり塩を入れる。麺に味を付ける唯一の機会",
    "余ったトマトペーストはクッキングシートの上に小分けにして冷凍する",
    "肉は焼く前に常温に戻しておく",
    "ごまは乾いたフライパンで一分炒ると香りが倍になる",
    "ご飯は平たく小分けにしてラップで包めば冷凍できる",
    "ひよこ豆は重曹をひとつまみ入れると早く柔らかくなる",
    "ケーキは温めて水気をふいた包丁で切る",
    "醤油は焦げないよう最後に入れる",
]


def ja_kitchen():
    tip = pick(JA_KITCHEN_TIPS)
    subject(tip)
    return pick([f"台所の知恵：{tip}。", f"{tip}。", f"{ja_person()}に教わった料理のコツ：{tip}。",
                 f"料理教室で習った：{tip}。"])


JA_NEARBY = [("駅前のパン屋", ["メロンパンが10時には売り切れる", "15時にバゲットの二回目が焼き上がる"]),
             ("商店街の金物屋", ["ねじを一本から売ってくれる", "包丁研ぎを800円でやってくれる"]),
             ("豆腐屋", ["水曜定休", "瓶入りのできたて豆乳を売っている"]),
             ("八百屋", ["18時を過ぎると全品値引き", "7月は山梨の桃が入る"]),
             ("古本屋", ["文庫を10〜50円で買い取ってくれる", "古い鉄道の時刻表の棚がある"]),
             ("クリーニング店", ["コートだと三日かかる", "ボタン付けくらいの直しは無料"]),
             ("肉屋", ["コロッケが一個90円で、16時ごろが揚げたて", "注文すればその場でひき肉にしてくれる"]),
             ("郵便局", ["平日は9時から、ATMは21時まで", "箱を四種類の大きさで売っている"]),
             ("文房具屋", ["ほぼ日手帳のリフィルを置いている", "名刺を二日で刷ってくれる"]),
             ("銭湯", ["15時開店で520円", "サウナは別料金で300円"]),
             ("和菓子屋", ["豆大福は土曜だけ", "5月の初めに柏餅が並ぶ"]),
             ("時計屋", ["電池交換は十分で終わる", "四十年続くおじいさんの店"]),
             ("魚屋", ["頼めば無料で三枚におろしてくれる", "土曜の午後が一番安い"]),
             ("米屋", ["注文に合わせて精米してくれる", "10kgの袋を区内なら配達してくれる"]),
             ("駅の靴修理", ["かかとの交換は待っている間に終わる", "19時まで"]),
             ("写真館", ["証明写真を五分で撮ってくれる", "USBメモリから印刷できる"]),
             ("角の仕立て屋", ["ズボンの裾上げは二日", "現金のみ"]),
             ("図書館の分館", ["二階に静かな自習室がある", "ボードゲームも貸してくれる"])]


def ja_nearby():
    shop, facts = pick(JA_NEARBY)
    fact = pick(facts)
    return pick([lambda: subject(fact) or f"{shop}は{fact}。", lambda: subject(fact) or f"覚えておく：{shop}は{fact}。",
                 lambda: subject(fact) or f"近所の{shop}、{fact}らしい。",
                 lambda: subject(facts[0]) or subject(facts[1]) or f"{shop}：{facts[0]}。それと、{facts[1]}。"])()


JA_WEATHER = [("今年の梅雨入りは{d}", [6]), ("この夏はじめての35度超えは{d}", [7, 8]),
              ("{d}は台風で午後から電車が止まった。ベランダの鉢は無事", [8, 9, 10]), ("この冬の初雪は{d}、昼には消えた", [12, 1, 2]),
              ("{d}は黄砂で空が霞んでいた。窓は閉めておいた", [3, 4, 5]), ("{d}のひどい雷雨で十分ほど停電した", [6, 7, 8, 9]),
              ("今年の梅雨明けは{d}、例年より早い", [7]), ("{d}に木枯らし一号", [10, 11]), ("{d}に豆粒くらいのひょうが降った", [5, 6]),
              ("{d}は一年で一番暑い夜で、深夜0時でも29度", [7, 8]),
              ("{d}に小さな地震。このあたりは震度3くらいで、何も落ちなかった", list(range(1, 13))),
              ("{d}、川の上に二重の虹が出た", list(range(1, 13)))]


def ja_weather():
    w, months = pick(JA_WEATHER)
    subject(w)
    return w.format(d=date_ja_in(months)) + "。"


JA_ARTICLES = [("わかりやすいエラーメッセージの書き方の記事", "何が起きたか・なぜか・次に何をすればいいかを書く"),
               ("週休三日制についてのエッセイ", "試した会社の多くは成果を保ったまま会議だけが減った"),
               ("日本の自動販売機についての長い記事", "だいたい30人に一台ある"),
               ("睡眠と記憶についての記事", "事実の記憶には夜の前半の深い眠りが一番効く"),
               ("QRコードの歴史の記事", "自動車部品を追跡するためにデンソーウェーブが考案した"),
               ("画面の文言の付け方についてのブログ", "ボタンには動詞、見出しには名詞"),
               ("フェリーの船長へのインタビュー", "時刻どおりに走るうえでは風より霧の方が厄介"),
               ("種の自家採種についてのニュースレター", "トマトは親と同じ性質が出るが、カボチャはたいてい出ない"),
               ("習慣の記録についての記事", "記録する習慣を減らした方が、続く習慣は増えた"),
               ("新幹線の清掃チームの記事", "折り返しの車内清掃は七分で終わる"),
               ("東京の水道についての長い記事", "漏水率は3%未満で世界でもかなり低い"),
               ("紙と画面での読書についてのエッセイ", "出来事の順番は紙で読んだ方がよく覚えている"),
               ("パンが固くなる理由の記事", "でんぷんの再結晶は冷蔵庫の温度で一番早く進む"),
               ("スタンディングデスクの記事", "立ちっぱなしより姿勢をこまめに変える方が効く")]


def ja_article():
    what, take = pick(JA_ARTICLES)
    subject(what)
    return pick([f"{what}を読んだ。要は、{take}。", f"{what}より：{take}。", f"{ja_person()}が送ってくれた{what}。要点は、{take}。"])


JA_PHOTO_TIPS = ["夜の街角は ISO 3200、f/1.8、1/60秒で手持ち", "35mmのレンズは f/5.6 が一番シャープ",
                 "野鳥はシャッター速度1/1000秒以上", "花火は三脚で f/8、2〜4秒", "人物は曇りの日が一番きれいに撮れる",
                 "屋外では画面ではなくヒストグラムで露出を見る", "三脚のときは手ぶれ補正を切る", "12月のゴールデンアワーは15時半ごろから",
                 "明るい窓のある室内は三段階の露出で撮っておく", "長い旅行の前にセンサーを掃除する",
                 "RAW+JPEG はカードに余裕があるときだけ", "ショーウィンドウの映り込みは偏光フィルターで消える",
                 "風景は手前から三分の一あたりにピントを合わせる", "動く被写体は進む方向に空間を空ける"]


def ja_photo():
    tip = pick(JA_PHOTO_TIPS)
    subject(tip)
    return pick([f"写真メモ：{tip}。", f"カメラ：{tip}。", f"写真散歩で教わった：{tip}。"])


JA_QUOTES = [("動かせ、正しくせよ、速くせよ。", "ケント・ベック"), ("簡単なことは簡単に、複雑なことは可能に。", "アラン・ケイ"),
             ("木を植えるのに一番いい時期は20年前、二番目は今。", "ことわざ"), ("七転び八起き。", "ことわざ"),
             ("完璧は善の敵。", "ヴォルテール"), ("測定できるものは管理できる。", "ドラッカー（とされる）"),
             ("強い意見を、ゆるく持つ。", "ポール・サッフォ"), ("地図は土地そのものではない。", "コージブスキー"),
             ("ゆっくりは滑らか、滑らかは速い。", "軍隊の言い回し"), ("書くことは考えること。", "デイヴィッド・マカルー"),
             ("完璧を目指すより、まず終わらせろ。", "事務所のポスター"), ("どんな達人もかつては初心者だった。", "ヘレン・ヘイズ"),
             ("急がば回れ。", "ことわざ"), ("初心忘るべからず。", "世阿弥")]


def ja_quote():
    q, who = pick(JA_QUOTES)
    subject(q)
    return pick([f"好きな言葉：「{q}」（{who}）", f"「{q}」—{who}", f"メモしておく：「{q}」（{who}）"])


JA_ALBUMS = [("ノラ・ジョーンズ", "Come Away with Me"), ("坂本龍一", "async"), ("山下達郎", "FOR YOU"),
             ("ビル・エヴァンス", "Waltz for Debby"), ("Radiohead", "In Rainbows"), ("竹内まりや", "VARIETY"),
             ("吉村弘", "Music for Nine Postcards"), ("フリートウッド・マック", "噂"), ("ジョニ・ミッチェル", "Blue"),
             ("Cornelius", "Point"), ("クルアンビン", "Con Todo El Mundo"), ("Nujabes", "Modal Soul"),
             ("くるり", "ワルツを踊れ"), ("細野晴臣", "HOSONO HOUSE")]


def ja_music():
    artist, album = pick(JA_ALBUMS)
    subject(album)
    return pick([f"今週よく聴いている：{artist}の『{album}』。", f"{artist}『{album}』は集中したいときにいい。",
                 f"{pick(['ディスクユニオン', 'タワーレコード', '高円寺の中古屋'])}で{artist}の『{album}』をレコードで買った。",
                 f"{ja_person()}の影響で{artist}を聴き始めた。まずは『{album}』から。"])


# ============================================================================ generation

# (family, weight): a family's share of the notes of its language is its weight over the total; the
# weights are note counts, each at most 100 and at most 80 % of the different subjects the family can write about.
EN_FAMILIES = [
    (en_code_fact, 64), (en_lib_api, 70), (en_lib_version, 100), (en_upgrade, 100), (en_config, 32), (en_schema_fact, 51),
    (en_cli_tip, 34), (en_editor_tip, 23), (en_customer, 100), (en_vendor, 86), (en_people, 100), (en_meeting, 78),
    (en_outcome, 100), (en_known_issue, 9), (en_measurement, 90), (en_dataset, 78), (en_howto, 10), (en_cs, 48),
    (en_talk, 36), (en_analytics, 100), (en_domain, 35), (en_idea, 28), (en_reminder, 100), (en_office, 19), (en_gear, 12),
    (en_style, 8), (en_lesson, 43),
    (en_recipe, 57), (en_restaurant, 44), (en_trip, 25), (en_purchase, 51), (en_friend, 50), (en_hobby, 38), (en_rec, 17),
    (en_household, 28), (en_book, 51), (en_film, 22), (en_health, 26), (en_money, 21), (en_trivia, 39), (en_sports, 15),
    (en_shopping, 100), (en_family, 14), (en_pet, 24), (en_garden, 52), (en_language, 24), (en_guitar, 10), (en_tickets, 18),
    (en_gift, 31), (en_games_tv, 29), (en_diy, 18), (en_course, 31), (en_daytrip, 8),
    (en_birding, 100), (en_kitchen, 24), (en_nearby, 26),
    (en_weather, 9), (en_article, 11), (en_photo, 11), (en_quote, 11), (en_music, 11),
]
JA_FAMILIES = [
    (ja_code_fact, 64), (ja_lib_api, 70), (ja_lib_version, 100), (ja_upgrade, 100), (ja_config, 32), (ja_schema_fact, 51),
    (ja_cli_tip, 34), (ja_editor_tip, 23), (ja_customer, 100), (ja_vendor, 86), (ja_people, 100), (ja_meeting, 78),
    (ja_outcome, 100), (ja_known_issue, 9), (ja_measurement, 90), (ja_dataset, 78), (ja_howto, 10), (ja_cs, 48),
    (ja_talk, 36), (ja_analytics, 100), (ja_domain, 35), (ja_idea, 28), (ja_reminder, 100), (ja_office, 19), (ja_gear, 12),
    (ja_style, 8), (ja_lesson, 43),
    (ja_recipe, 57), (ja_restaurant, 44), (ja_trip, 25), (ja_purchase, 51), (ja_friend, 50), (ja_hobby, 38), (ja_rec, 17),
    (ja_household, 28), (ja_book, 51), (ja_film, 22), (ja_health, 26), (ja_money, 21), (ja_trivia, 39), (ja_sports, 15),
    (ja_shopping, 100), (ja_family, 14), (ja_pet, 24), (ja_garden, 52), (ja_language, 24), (ja_guitar, 10), (ja_tickets, 18),
    (ja_gift, 31), (ja_games_tv, 29), (ja_diy, 18), (ja_course, 31), (ja_daytrip, 8),
    (ja_birding, 100), (ja_kitchen, 24), (ja_nearby, 26),
    (ja_weather, 9), (ja_article, 11), (ja_photo, 11), (ja_quote, 11), (ja_music, 11),
]


def quotas(families, count):
    """Notes per family, in proportion to the weights, summing to count."""
    total = sum(w for _, w in families)
    raw = [count * w / total for _, w in families]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[: count - sum(out)]:
        out[i] += 1
    return out


WORD = re.compile(r"[a-z]+")
CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff]+")
SAME = 0.85


NAME_WORDS = {w.lower() for w in PEOPLE + MONTHS + WEEKDAYS} | {w.lower() + "s" for w in WEEKDAYS}


def signature(text):
    """Letter words and CJK bigrams of a note, leaving out numbers, people's names, months and
    weekdays, to spot near-repeats."""
    for name in JA_NAMES:
        text = text.replace(name + "さん", "")
    text = re.sub(r"\d+(月|日|曜)?", " ", text)
    units = set(WORD.findall(text.lower())) - NAME_WORDS
    for run in CJK.findall(text):
        units |= {run[i : i + 2] for i in range(len(run) - 1)} or {run}
    return units


def generate(families, count, seen):
    """Distinct notes, each family filling its quota. A note is skipped when its text is already
    in seen, when its family has written enough about its subject, or when it shares SAME or more
    of its words with a note of the same family (the same fact with another name or number only),
    so that every note says something of its own."""
    out = []
    for (func, _), quota in zip(families, quotas(families, count)):
        kept, used, attempts = [], {}, 0
        while len(kept) < quota:
            attempts += 1
            if attempts > quota * 400:
                sys.exit(f"{func.__name__}: only {len(kept)} distinct notes of {quota}; add slots")
            SUBJECTS.clear()
            text = func()
            if text in seen or any(used.get(key, 0) >= limit for key, limit in SUBJECTS):
                continue
            sig = signature(text)
            if any(len(sig & s) >= SAME * len(sig | s) for s in kept):
                continue
            seen.add(text)
            kept.append(sig)
            for key, _ in SUBJECTS:
                used[key] = used.get(key, 0) + 1
            out.append(text)
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Benchmarks", "paraphrase", "distractors.jsonl")
    pairs_path = os.path.join(root, "Benchmarks", "paraphrase", "pairs.jsonl")
    seen = set()
    if os.path.exists(pairs_path):
        with open(pairs_path, encoding="utf-8") as f:
            seen |= {json.loads(line)["memory"] for line in f if line.strip()}
    en = generate(EN_FAMILIES, PER_LANG, seen)
    ja = generate(JA_FAMILIES, PER_LANG, seen)
    rows = [("en", t) for t in en] + [("ja", t) for t in ja]
    rng.shuffle(rows)
    with open(path, "w", encoding="utf-8") as f:
        for n, (lang, text) in enumerate(rows, 1):
            f.write(json.dumps({"id": f"d-{n:05d}", "lang": lang, "memory": text}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} distractors ({len(en)} en from {len(EN_FAMILIES)} families, "
          f"{len(ja)} ja from {len(JA_FAMILIES)} families) to {os.path.relpath(path, root)}")


if __name__ == "__main__":
    main()
