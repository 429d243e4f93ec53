"""The learned scope suggestion's figures (issue 22): a correction set of English and Japanese
notes in several styles, each with the scope a person would choose, imported with that scope
(so each becomes a correction or a confirmation of the rules), then `tmws classifier train`:
the rules' and the model's accuracy on the same held-out examples, the training time and the
model's size.

Usage: TMWS_BINARY=.build/release/tmws python3 scripts/bench-classifier.py [COUNT]
(SHARED needs a team, so the set is GLOBAL against PROJECT.)"""
import json, os, random, subprocess, sys, tempfile, time

BINARY = os.path.abspath(os.environ.get("TMWS_BINARY", ".build/release/tmws"))
COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
rng = random.Random(22)

topics_en = ["error handling", "naming", "code review", "unit tests", "logging", "caching", "retries", "timeouts", "database migrations",
             "feature flags", "dependency updates", "API versioning", "pagination", "input validation", "time zones", "secrets rotation"]
advice_en = ["keep it explicit", "fail fast and say why", "prefer small steps", "measure before optimising", "write the test first",
             "make it idempotent", "log ids, never payloads", "document the why, not the what", "version every contract"]
topics_ja = ["エラー処理", "命名", "コードレビュー", "単体テスト", "ログ", "キャッシュ", "リトライ", "タイムアウト", "マイグレーション", "機能フラグ"]
advice_ja = ["明示的に書く", "早く失敗して理由を示す", "小さく進める", "最適化の前に計測する", "テストを先に書く", "冪等にする"]
components = ["billing", "search", "deploy", "auth", "invoice", "ingest", "notifier", "scheduler"]
places = ["ops/deploy.sh", "src/billing/retry.swift", "the staging cluster", "docs/runbook.md", "the nightly job", "infra/terraform/main.tf",
          "Makefile", "scripts/release", ".github/workflows/ci.yml"]
components_ja = ["請求", "検索", "デプロイ", "認証", "通知", "取り込み"]

def global_note():
    style = rng.randrange(6)
    t, a = rng.choice(topics_en), rng.choice(advice_en)
    tj, aj = rng.choice(topics_ja), rng.choice(advice_ja)
    return [
        f"In general, for {t}: {a}.",
        f"- {t.capitalize()}: {a} (applies to any codebase)",
        f"Q: what is a good rule for {t}? A: {a}.",
        f"{tj}の一般的なベストプラクティス：{aj}。",
        f"一般に、{tj}では{aj}のがよい。",
        f"Rule of thumb for {t} ({tj}): {a} / {aj}",
    ][style]

def project_note():
    style = rng.randrange(6)
    c, p = rng.choice(components), rng.choice(places)
    cj = rng.choice(components_ja)
    return [
        f"In this repo, the {c} code lives in {p}.",
        f"- {c}: run `make {c}` before pushing; the config is in {p}",
        f"Q: where is our {c} deploy? A: {p}, owned by this project.",
        f"このリポジトリの{cj}の処理は {p} にある。",
        f"{cj}サービスのステージング設定は {p} を見ること。",
        f"Note for this project ({cj}): the {c} job reads {p} at start-up",
    ][style]

lines = []
for index in range(COUNT):
    if index % 2 == 0:
        lines.append({"content": global_note() + f" #{index}", "scope": "GLOBAL"})
    else:
        lines.append({"content": project_note() + f" #{index}", "scope": "PROJECT"})

with tempfile.TemporaryDirectory() as home:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
    env["TMWS_HOME"] = home
    def run(*arguments):
        result = subprocess.run([BINARY, *arguments], env=env, cwd=home, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout
    path = os.path.join(home, "set.jsonl")
    with open(path, "w") as file:
        for line in lines:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
    run("memory", "import", path)
    counts = json.loads(run("classifier", "examples", "--json"))
    started = time.time()
    trained = json.loads(run("classifier", "train", "--json"))
    elapsed = time.time() - started
    size = os.path.getsize(os.path.join(home, "models", f"scope-v{trained['version']}.json"))
    print(json.dumps({"examples": counts, "held_out": trained["evaluation"]["examples"], "rules_accuracy": trained["rules_accuracy"],
                      "model_accuracy": trained["accuracy"], "training_seconds": trained["training_seconds"],
                      "train_command_seconds": round(elapsed, 2), "model_file_bytes": size, "features": trained["features"],
                      "per_label": trained["evaluation"]["per_label"]}, indent=1, ensure_ascii=False))
