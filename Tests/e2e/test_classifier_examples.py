"""Roadmap 6.3's first step end to end: a scope a person chose becomes a learning example on
every write path (CLI, import, REST, MCP), and never its text."""
import asyncio
import json
import os
import tempfile
import urllib.request

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from serving import BINARY, database_rows, environment, start_server, stop_server
import subprocess


def run(home, *arguments):
    result = subprocess.run([BINARY, *arguments], env=environment(home), cwd=home, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return result


def counts(home):
    report = json.loads(run(home, "classifier", "examples", "--json").stdout)
    return {f'{c["scope"]}/{c["source"]}': c["count"] for c in report["counts"]}


def test_every_write_path_records_the_scopes_people_choose():
    with tempfile.TemporaryDirectory() as home:
        # CLI: against the suggestion (GLOBAL), a correction.
        memory = run(home, "memory", "add", "--scope", "PROJECT", "In general, best practice: keep functions short").stdout.strip()
        assert counts(home) == {"PROJECT/correction": 1}
        # Import: a line with a scope.
        path = os.path.join(home, "lines.jsonl")
        with open(path, "w") as file:
            file.write(json.dumps({"content": "In general, best practice: always pin dependency versions", "scope": "GLOBAL"}) + "\n")
            file.write(json.dumps({"content": "The deploy script of this repo lives in ops/"}) + "\n")
        run(home, "memory", "import", path)
        assert counts(home) == {"PROJECT/correction": 1, "GLOBAL/confirmation": 1}
        # Update: a person moves it.
        run(home, "memory", "update", memory, "--scope", "GLOBAL")
        assert counts(home)["GLOBAL/update"] == 1

        process, url = start_server(home)
        try:
            request = urllib.request.Request(url + "/v1/memories", method="POST", headers={"Content-Type": "application/json"},
                                             data=json.dumps({"content": "The billing service in this repo retries charges",
                                                              "scope": "PROJECT"}).encode())
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 201

            async def mcp():
                async with streamable_http_client(url + "/mcp") as (read, write, _):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        stored = await session.call_tool(
                            "store_memory", {"content": "In general, best practice: prefer composition over inheritance", "scope": "PROJECT"})
                        assert not stored.isError
                        plain = await session.call_tool("store_memory", {"content": "In general, write the test first"})
                        assert not plain.isError
            asyncio.run(mcp())
        finally:
            stop_server(process)
        assert counts(home) == {"PROJECT/correction": 2, "PROJECT/confirmation": 1, "GLOBAL/confirmation": 1, "GLOBAL/update": 1}
        # No text in the examples, and they can be removed.
        assert database_rows(home, "SELECT count(*) FROM scope_example WHERE CAST(features AS TEXT) LIKE '%billing%'") == [(0,)]
        listed = json.loads(run(home, "classifier", "examples", "--list", "--json").stdout)
        assert "billing" not in json.dumps(listed)
        key = listed["examples"][0]["key"]
        assert json.loads(run(home, "classifier", "examples", "--remove", str(key), "--json").stdout)["removed"] == 1
        assert json.loads(run(home, "classifier", "examples", "--clear", "--json").stdout)["removed"] == 4


def test_train_deploy_behind_the_gate_and_roll_back():
    import random
    rng = random.Random(11)
    topics = ["error handling", "naming", "code review", "testing", "logging", "caching", "retries", "timeouts", "migrations", "branching"]
    places = ["ops/deploy.sh", "src/billing", "the staging cluster", "docs/runbook.md", "the nightly job", "infra/terraform"]

    def lines(count, noisy=False):
        out = []
        for index in range(count):
            if index % 2 == 0:
                text, scope = f"Generally, the best practice for {rng.choice(topics)} is to keep it simple and explicit, case {index}", "GLOBAL"
            else:
                text, scope = f"In this repo, the {rng.choice(['billing', 'deploy', 'search'])} code lives in {rng.choice(places)}, note {index}", "PROJECT"
            if noisy:
                scope = rng.choice(["GLOBAL", "PROJECT"])
            out.append(json.dumps({"content": text, "scope": scope}))
        return "\n".join(out) + "\n"

    with tempfile.TemporaryDirectory() as home:
        path = os.path.join(home, "good.jsonl")
        with open(path, "w") as file:
            file.write(lines(120))
        run(home, "memory", "import", path)
        trained = json.loads(run(home, "classifier", "train", "--json").stdout)
        assert trained["version"] == 1 and trained["accuracy"] > 0.95 and trained["features"] > 0
        assert json.loads(run(home, "classifier", "deploy", "1", "--json").stdout)["live"] == 1
        classified = json.loads(run(home, "classify", "Generally, the best practice for logging is to be explicit", "--json").stdout)
        assert any("scope model v1" in reason for reason in classified["reasons"]), classified
        # The detector still decides secrets, whatever the model.
        secret = json.loads(run(home, "classify", "Generally, the deploy key is AKIAQ3EGRFOB4NDL3XYZ", "--json").stdout)
        assert secret["scope"] == "PRIVATE"

        # Noisy labels: a weak model, refused by the gate.
        noisy = os.path.join(home, "noisy.jsonl")
        with open(noisy, "w") as file:
            file.write(lines(300, noisy=True))
        run(home, "memory", "import", noisy)
        assert json.loads(run(home, "classifier", "train", "--json").stdout)["version"] == 2
        refused = subprocess.run([BINARY, "classifier", "deploy", "2"], env=environment(home), cwd=home, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 1 and "not deployed" in refused.stderr
        status = json.loads(run(home, "classifier", "status", "--json").stdout)
        assert status["live"] == 1 and [m["version"] for m in status["models"]] == [1, 2]
        agreement = json.loads(run(home, "classifier", "eval", "--since", "30d", "--json").stdout)
        assert agreement["examples"] == 420 and 0 <= agreement["agreement_rate"] <= 1
        # Rollback: the rules again.
        assert json.loads(run(home, "classifier", "rollback", "--json").stdout)["live"] is None
        classified = json.loads(run(home, "classify", "Generally, the best practice for logging is to be explicit", "--json").stdout)
        assert not any("scope model" in reason for reason in classified["reasons"])
