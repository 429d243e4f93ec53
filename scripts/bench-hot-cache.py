"""Roadmap phase 6 figures (the README's benchmark table): a 200,000-memory GLOBAL tenant on `tmws hub dev`; a node's first pull and size in
`all` and `hot` (budget 20,000) mode; search p50/p95 for a held and an evicted memory with the hub 50 ms away."""
# Usage (after `swift build -c release` and `scripts/test`, which makes .build/venv-e2e):
#   TMWS_BINARY=.build/release/tmws N=200000 .build/venv-e2e/bin/python scripts/bench-hot-cache.py
import asyncio, http.client, json, os, random, shutil, statistics, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))
from hubtools import admin, enroll_node, node, start_hub, stop_hub
from serving import BINARY, start_server, stop_server

N = int(os.environ.get("N", "200000"))
WORDS = "deploy staging canary rollback cache index queue worker billing ledger shard replica backup restore audit token".split()

def size(home):
    total = 0
    for name in ("tmws.db", "tmws.db-wal"):
        path = os.path.join(home, name)
        if os.path.exists(path): total += os.path.getsize(path)
    return total

def timed(fn):
    start = time.time(); result = fn(); return result, time.time() - start

def lnode(hub, home, *arguments, hybrid=False, env_extra=None):
    env = dict(hub["env"], TMWS_HOME=home, **(env_extra or {}))
    if hybrid: env["TMWS_HYBRID_MODE_ENABLED"] = "true"
    result = subprocess.run([BINARY, *arguments], env=env, capture_output=True, text=True, timeout=3000, cwd=home, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return result

def pull_all(hub, home, env):
    pulled = 0
    while True:
        out = json.loads(lnode(hub, home, "sync", "now", "--json", hybrid=True, env_extra=env).stdout)
        pulled += out["pulled"]
        if out["pulled"] == 0 or not out.get("has_more", False): 
            out2 = json.loads(lnode(hub, home, "sync", "now", "--json", hybrid=True, env_extra=env).stdout)
            pulled += out2["pulled"]
            if out2["pulled"] == 0: return pulled

class DelayProxy:
    def __init__(self, target_port, delay):
        self.target_port, self.delay = target_port, delay
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()
        self.ready.wait()
    def run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self.handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
    async def pipe(self, reader, writer):
        try:
            while True:
                data = await reader.read(65536)
                if not data: break
                await asyncio.sleep(self.delay)
                writer.write(data); await writer.drain()
        except Exception: pass
        finally:
            try: writer.close()
            except Exception: pass
    async def handle(self, reader, writer):
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        await asyncio.gather(self.pipe(reader, upstream_writer), self.pipe(upstream_reader, writer))

def percentiles(samples):
    samples = sorted(samples)
    return round(statistics.median(samples), 2), round(samples[int(len(samples) * 0.95) - 1], 2)

hub = start_hub()
homes = []
try:
    admin(hub, "create-tenant", "big"); admin(hub, "create-user", "--tenant", "big", "ann")
    writer = enroll_node(hub, "big")
    homes.append(writer)
    path = os.path.join(writer, "notes.jsonl")
    rng = random.Random(7)
    with open(path, "w") as f:
        for i in range(N):
            words = " ".join(rng.choice(WORDS) for _ in range(24))
            f.write(json.dumps({"content": f"Inventory item {i:06d}: the {rng.choice(WORDS)} service notes {words}", "scope": "GLOBAL"}) + "\n")
    _, t = timed(lambda: lnode(hub, writer, "memory", "import", path))
    print(f"writer: imported {N} in {t:.1f} s", flush=True)
    _, t = timed(lambda: pull_all(hub, writer, {}))
    print(f"writer: pushed in {t:.1f} s", flush=True)
    results = {}
    for mode in os.environ.get("MODES", "all hot").split():
        env = {"TMWS_CACHE_MODE": mode, "TMWS_CACHE_MAX_MEMORIES": "20000"}
        home = enroll_node(hub, "big")
        homes.append(home)
        pulled, t = timed(lambda: pull_all(hub, home, env))
        status = json.loads(node(hub, home, "cache", "status", "--json", env_extra=env).stdout)
        subprocess.run(["sqlite3", os.path.join(home, "tmws.db"), "PRAGMA wal_checkpoint(TRUNCATE);"], capture_output=True)
        results[mode] = {"first_pull_s": round(t, 1), "pulled": pulled, "db_bytes": size(home), "held": status["held_memories"],
                         "evicted": status["evicted_memories"], "held_bytes": status["held_bytes"]}
        print(mode, results[mode], flush=True)
        import sqlite3
        with sqlite3.connect(os.path.join(home, "tmws.db")) as c:
            print(mode, "db composition (MB):", c.execute("SELECT name, round(sum(pgsize)/1e6, 1) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6").fetchall(), flush=True)
        if mode == "hot": hot_home, hot_env = home, env
    # Search with the hub 50 ms away (25 ms each way).
    proxy = DelayProxy(int(hub["hub_url"].rsplit(":", 1)[1].strip("/")), 0.025)
    cloud = os.path.join(hot_home, "cloud.json")
    data = json.load(open(cloud)); data["hub_url"] = f"https://127.0.0.1:{proxy.port}"  # the same hub, through the delaying proxy; json.dump(data, open(cloud, "w"))
    os.chmod(cloud, 0o600)
    process, url = start_server(hot_home, TMWS_HYBRID_MODE_ENABLED="true", TMWS_KEY_PASSPHRASE=hub["env"]["TMWS_KEY_PASSPHRASE"],
                                TMWS_SYNC_INTERVAL_S="86400", **hot_env)
    try:
        connection = http.client.HTTPConnection(url.split("//")[1])
        def search(q):
            start = time.perf_counter()
            connection.request("POST", "/v1/search", json.dumps({"query": q, "limit": 5}), {"Content-Type": "application/json"})
            body = json.loads(connection.getresponse().read())
            return (time.perf_counter() - start) * 1000, body
        held = [int(m) for m in subprocess.run(["sqlite3", os.path.join(hot_home, "tmws.db"),
                 "SELECT substr(content, 16, 6) FROM memory WHERE evicted = 0 AND deleted = 0 AND scope = 'GLOBAL' LIMIT 300"],
                 capture_output=True, text=True).stdout.split()]
        for _ in range(20): search(f"item {held[0]:06d}")
        from collections import Counter
        hot_samples, evicted_samples, sources = [], [], {"hot": Counter(), "evicted": Counter()}
        import sqlite3
        with sqlite3.connect(os.path.join(hot_home, "tmws.db")) as c:
            evicted_ids = {r[0] for r in c.execute("SELECT id FROM memory WHERE evicted = 1")}
        # Which item each evicted id is: from the writer's database (it holds them all).
        with sqlite3.connect(os.path.join(writer, "tmws.db")) as c:
            evicted_items = [int(r[1][15:21]) for r in c.execute("SELECT id, content FROM memory WHERE scope = 'GLOBAL'") if r[0] in evicted_ids]
        rng.shuffle(evicted_items)
        evicted_items = evicted_items[:200]
        with sqlite3.connect(os.path.join(hot_home, "tmws.db")) as c:
            composition = c.execute("SELECT name, round(sum(pgsize)/1e6, 1) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6").fetchall()
        print("hot db composition (MB):", composition)
        for i in range(200):
            ms, body = search(f"item {held[i % len(held)]:06d}"); hot_samples.append(ms)
            sources["hot"][(body.get("asked_hub"), body["results"][0]["source"] if body.get("results") else None)] += 1
            ms, body = search(f"item {evicted_items[i % len(evicted_items)]:06d}"); evicted_samples.append(ms)
            top = body["results"][0] if body.get("results") else None
            sources["evicted"][(body.get("asked_hub"), body.get("fell_back"), top["source"] if top else None,
                                bool(top) and f"{evicted_items[i % len(evicted_items)]:06d}" in top["memory"]["content"])] += 1
        print("hot (held) p50/p95 ms", percentiles(hot_samples), sources["hot"])
        print("evicted (hub 50 ms away) p50/p95 ms", percentiles(evicted_samples), sources["evicted"])
        print(json.dumps(results))
    finally:
        stop_server(process)
finally:
    stop_hub(hub)
    for home in homes:
        shutil.rmtree(home, ignore_errors=True)
