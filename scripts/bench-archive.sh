#!/usr/bin/env bash
# The node archive's figures (the README's benchmark table): 100,000 PROJECT memories archived,
# searched and restored, with the file's size and its largest tables after each step.
# Usage: BIN=.build/release/tmws bash scripts/bench-archive.sh   (needs sqlite3 and bc)
set -euo pipefail
BIN=${BIN:-.build/release/tmws}
export TMWS_HOME=$(mktemp -d /tmp/tmws-archive-XXXX)
python3 - <<'PY'
import json, os, random
rng = random.Random(3)
words = "deploy staging canary rollback cache index queue worker billing ledger shard replica backup restore audit token".split()
with open(os.environ["TMWS_HOME"] + "/p.jsonl", "w") as f:
    for i in range(100000):
        f.write(json.dumps({"content": f"Project note {i:06d}: " + " ".join(rng.choice(words) for _ in range(30)), "scope": "PROJECT", "namespace": "bench"}) + "\n")
PY
t() { local s=$(date +%s.%N); "$@"; echo "  ($(echo "$(date +%s.%N) - $s" | bc) s)" >&2; }
tables() { sqlite3 $TMWS_HOME/tmws.db "SELECT CASE WHEN name LIKE 'memory_fts%' THEN 'memory_fts' WHEN name LIKE 'archive_fts%' THEN 'archive_fts' ELSE name END AS t, sum(pgsize)/1000000.0 FROM dbstat GROUP BY t ORDER BY 2 DESC LIMIT 6" | tr '\n' ' '; echo; }
echo "== import"; t $BIN memory import $TMWS_HOME/p.jsonl
sz() { sqlite3 $TMWS_HOME/tmws.db "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null; sqlite3 $TMWS_HOME/tmws.db "SELECT page_count*page_size, freelist_count*page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size"; }
echo "db bytes, free bytes: $(sz)"; tables
echo "== search before (default index)"; t $BIN memory search "canary rollback" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])"
echo "== dry run"; t $BIN archive run --older-than-days 0 --dry-run --json
echo "== archive run"; t $BIN archive run --older-than-days 0 --json
echo "db bytes, free bytes: $(sz)"; tables
echo "== vacuum after archive"; sqlite3 $TMWS_HOME/tmws.db "VACUUM"; echo "db bytes, free bytes: $(sz)"; tables
echo "== search after (default index: nothing)"; t $BIN memory search "canary rollback" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])"
echo "== search --include-archived"; t $BIN memory search "canary rollback" --include-archived --json | python3 -c "import json,sys; print(json.load(sys.stdin)['count'])"
echo "== restore --all"; t $BIN archive restore --all --json
echo "db bytes, free bytes: $(sz)"; tables
echo "== vacuum"; sqlite3 $TMWS_HOME/tmws.db "VACUUM"; echo "db bytes, free bytes: $(sz)"; tables
echo "== doctor"; t $BIN doctor --json | python3 -c "import json,sys; d=json.load(sys.stdin); print(all(c['ok'] for c in d['checks']))"
rm -rf $TMWS_HOME
