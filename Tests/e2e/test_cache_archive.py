"""Roadmap phase 6 on the node, end to end with the real binary: the archive of old, rarely read
PROJECT memories (`tmws archive`), and the hot cache (`cache.mode = hot`) against `tmws hub dev`."""
import json
import os
import shutil
import subprocess
import tempfile
import urllib.request

import pytest

from hubtools import enroll_node, node, start_hub, stop_hub
from serving import BINARY, database_rows, environment, start_server, stop_server


def run(home, *arguments, check=True, **env):
    result = subprocess.run([BINARY, *arguments], env=environment(home, **env), cwd=home, capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def ids(answer):
    return [hit["memory"]["id"] for hit in answer["results"]]


def test_archive_moves_rarely_read_memories_out_of_search_compressed_and_back():
    home = tempfile.mkdtemp(prefix="tmws-archive-")
    try:
        kept = run(home, "memory", "add", "--scope", "PROJECT", "The obsidian build uses ccache on CI").stdout.strip()
        old = [run(home, "memory", "add", "--scope", "PROJECT", f"Obsidian release note {index}: " + "lorem ipsum " * 50).stdout.strip()
               for index in range(3)]
        for _ in range(3):
            run(home, "memory", "get", kept)  # read three times: more than archive.max_reads
        dry = json.loads(run(home, "archive", "run", "--older-than-days", "0", "--dry-run", "--json").stdout)
        assert dry["dry_run"] and dry["memories"] == 3 and dry["stored_bytes"] == 0
        done = json.loads(run(home, "archive", "run", "--older-than-days", "0", "--json").stdout)
        assert done["memories"] == 3 and 0 < done["stored_bytes"] < done["text_bytes"]
        # The text is compressed in the file: no row of `memory` holds it any more.
        assert database_rows(home, "SELECT count(*) FROM memory WHERE content LIKE '%lorem ipsum%'") == [(0,)]

        assert ids(json.loads(run(home, "memory", "search", "obsidian", "--json").stdout)) == [kept]
        found = json.loads(run(home, "memory", "search", "obsidian release", "--include-archived", "--json").stdout)
        assert set(ids(found)) == set(old)
        assert all(hit["memory"]["archived"] for hit in found["results"])
        listed = json.loads(run(home, "memory", "list", "--include-archived", "--json").stdout)
        assert len(listed["memories"]) == 4
        archive = json.loads(run(home, "archive", "list", "--json").stdout)
        assert sorted(entry["id"] for entry in archive["archived"]) == sorted(old) and archive["total"] == 3
        assert "lorem" not in json.dumps(archive)

        # A read by id brings one back; restore brings back the rest; doctor finds all whole.
        assert json.loads(run(home, "memory", "get", old[0], "--json").stdout)["archived"] is False
        restored = json.loads(run(home, "archive", "restore", "--all", "--json").stdout)
        assert restored["restored"] == 2
        assert set(ids(json.loads(run(home, "memory", "search", "obsidian release", "--json").stdout))) == set(old)
        doctor = json.loads(run(home, "doctor", "--json").stdout)
        assert all(check["ok"] for check in doctor["checks"]), doctor
        # Bad input: a clear error, nothing changed.
        bad = run(home, "archive", "restore", check=False)
        assert bad.returncode == 2 and "--all" in bad.stderr
        bad = run(home, "archive", "run", "--older-than-days", "-3", check=False)
        assert bad.returncode != 0
        assert json.loads(run(home, "status", "--json").stdout)["archive"]["memories"] == 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_the_rest_api_and_mcp_take_include_archived():
    home = tempfile.mkdtemp(prefix="tmws-archive-")
    process = None
    try:
        memory = run(home, "memory", "add", "--scope", "PROJECT", "The basalt service pages on-call twice").stdout.strip()
        run(home, "archive", "run", "--older-than-days", "0")
        process, url = start_server(home)

        def post(body):
            request = urllib.request.Request(url + "/v1/search", data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        assert post({"query": "basalt"})["count"] == 0
        assert [hit["memory"]["id"] for hit in post({"query": "basalt", "include_archived": True})["results"]] == [memory]
        with urllib.request.urlopen(url + "/v1/memories?include_archived=true", timeout=10) as response:
            assert [m["id"] for m in json.loads(response.read())["memories"]] == [memory]
        try:
            urllib.request.urlopen(url + "/v1/memories?include_archived=maybe", timeout=10)
            raise AssertionError("a malformed flag was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == 400 and "include_archived" in json.loads(error.read())["detail"]
        with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
            metrics = response.read().decode()
        assert "tmws_archive_memories 1" in metrics and "tmws_cache_held_memories" in metrics
    finally:
        if process:
            stop_server(process)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def hub():
    info = start_hub()
    yield info
    stop_hub(info)


def test_a_hot_node_holds_a_bounded_slice_and_finds_the_rest_through_the_hub(hub):
    from hubtools import admin
    admin(hub, "create-tenant", "hotco")
    admin(hub, "create-user", "--tenant", "hotco", "ann")
    writer = enroll_node(hub, "hotco")
    reader = enroll_node(hub, "hotco")
    hot = {"TMWS_CACHE_MODE": "hot", "TMWS_CACHE_MAX_MEMORIES": "10", "TMWS_CACHE_HOT_READS": "2"}
    try:
        path = os.path.join(writer, "notes.jsonl")
        with open(path, "w") as file:
            for index in range(40):
                file.write(json.dumps({"content": f"Pumice runbook step {index:03d}: drain the queue", "scope": "GLOBAL"}) + "\n")
        node(hub, writer, "memory", "import", path)
        assert json.loads(node(hub, writer, "sync", "now", "--json", hybrid=True).stdout)["pending"] == 0

        pulled = json.loads(node(hub, reader, "sync", "now", "--json", hybrid=True, env_extra=hot).stdout)
        assert pulled["pulled"] == 40
        status = json.loads(node(hub, reader, "cache", "status", "--json", env_extra=hot).stdout)
        assert status["mode"] == "hot" and status["held_memories"] <= 10 and status["evicted_memories"] >= 30
        assert not status["over_budget"]
        # Offline (hybrid off), the held slice is still found, and only it.
        offline = json.loads(node(hub, reader, "memory", "search", "pumice", "--limit", "100", "--json", env_extra=hot).stdout)
        assert len(offline["results"]) == status["held_memories"]
        # Through the hub, the evicted rest is found too.
        step = "Pumice runbook step 000"
        routed = json.loads(node(hub, reader, "memory", "search", step, "--json", hybrid=True, env_extra=hot).stdout)
        assert routed["asked_hub"] and routed["results"][0]["source"] == "hub"
        evicted = routed["results"][0]["memory"]["id"]
        # A read by id of an evicted memory says how to hold it.
        missing = node(hub, reader, "memory", "get", evicted, check=False, env_extra=hot)
        assert missing.returncode == 1 and "tmws cache warm" in missing.stderr
        # A second miss makes it hot (cache.hot_reads = 2): it is held again, found offline.
        node(hub, reader, "memory", "search", step, "--json", hybrid=True, env_extra=hot)
        again = json.loads(node(hub, reader, "memory", "search", step, "--json", env_extra=hot).stdout)
        assert ids(again)[:1] == [evicted]
        status = json.loads(node(hub, reader, "cache", "status", "--json", env_extra=hot).stdout)
        assert status["misses"] >= 2 and status["hit_rate"] is not None and status["held_memories"] <= 10
        # warm, pin, evict by hand.
        other = json.loads(node(hub, reader, "memory", "search", "Pumice runbook step 001", "--json", hybrid=True,
                                env_extra=hot).stdout)["results"][0]["memory"]["id"]
        warmed = json.loads(node(hub, reader, "cache", "warm", other, "--json", hybrid=True, env_extra=hot).stdout)
        assert warmed["warmed"] == 1
        assert json.loads(node(hub, reader, "cache", "pin", other, "--json", env_extra=hot).stdout)["pinned"] == 1
        assert json.loads(node(hub, reader, "cache", "evict", other, "--json", env_extra=hot).stdout)["evicted"] == 0
        assert json.loads(node(hub, reader, "cache", "unpin", other, "--json", env_extra=hot).stdout)["unpinned"] == 1
        assert json.loads(node(hub, reader, "cache", "evict", other, "--json", env_extra=hot).stdout)["evicted"] == 1
        # warm needs the hub: a clear error without it.
        refused = node(hub, reader, "cache", "warm", other, check=False, env_extra=hot)
        assert refused.returncode == 1 and "hybrid mode" in refused.stderr
        # Later changes and deletes of evicted memories still arrive.
        node(hub, writer, "memory", "delete", other)
        node(hub, writer, "sync", "now", hybrid=True)
        node(hub, reader, "sync", "now", hybrid=True, env_extra=hot)
        assert database_rows(reader, f"SELECT deleted FROM memory WHERE id = '{other}'") == [(1,)]
        report = json.loads(node(hub, reader, "status", "--json", env_extra=hot).stdout)
        assert report["cache"]["mode"] == "hot"
        doctor = json.loads(node(hub, reader, "doctor", "--json", env_extra=hot).stdout)
        assert all(check["ok"] for check in doctor["checks"]), doctor
    finally:
        shutil.rmtree(writer, ignore_errors=True)
        shutil.rmtree(reader, ignore_errors=True)
