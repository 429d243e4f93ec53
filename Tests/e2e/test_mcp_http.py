"""End-to-end: the official Python MCP client drives /mcp of `tmws serve` over streamable HTTP."""
import asyncio
import json
import os
import re
import subprocess
import tempfile
import time

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

BINARY = os.environ.get("TMWS_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "tmws"))


def start_server(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
    env["TMWS_HOME"] = home
    process = subprocess.Popen([os.path.abspath(BINARY), "serve", "--port", "0"], env=env, cwd=home,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 10
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return process, match.group(1)
    process.kill()
    raise RuntimeError("tmws serve did not start")


def test_tools_over_streamable_http():
    async def scenario(url):
        async with streamable_http_client(url + "/mcp") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = {tool.name for tool in (await session.list_tools()).tools}
                assert "store_memory" in tools and "search_memories" in tools
                stored = await session.call_tool("store_memory", {"content": "HTTP transport works for agents"})
                assert not stored.isError
                memory_id = json.loads(stored.content[0].text)["id"]
                found = await session.call_tool("search_memories", {"query": "transport"})
                assert json.loads(found.content[0].text)["count"] == 1
                got = await session.call_tool("get_memory", {"id": memory_id})
                assert json.loads(got.content[0].text)["content"] == "HTTP transport works for agents"
                refused = await session.call_tool("store_memory", {"content": "key AKIAQ3EGRFOB4NDL3XYZ", "scope": "GLOBAL"})
                assert refused.isError and "aws_access_key_id" in refused.content[0].text
                malformed = await session.call_tool("store_memory", {"content": ["not", "text"]})
                assert malformed.isError and "'content' must be a string" in malformed.content[0].text

    with tempfile.TemporaryDirectory() as home:
        process, url = start_server(home)
        try:
            asyncio.run(scenario(url))
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0, "tmws serve did not stop cleanly on SIGTERM"
