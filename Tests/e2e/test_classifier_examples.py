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
