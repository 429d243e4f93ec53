"""End-to-end: the official Python MCP client drives /mcp of `tmws serve` over streamable HTTP."""
import asyncio
import json
import socket
import tempfile
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from mcp import ClientSession
from mcp.types import Implementation
from mcp.client.streamable_http import streamable_http_client

from serving import database_rows, start_server, stop_server


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
            stop_server(process)


def test_each_client_gets_its_own_session_and_identity():
    """Two clients at once: each initialises (no 'already initialized'), writes under its own name."""
    async def client(url, name, content):
        async with streamable_http_client(url + "/mcp") as (read, write, session_id):
            async with ClientSession(read, write, client_info=Implementation(name=name, version="1")) as session:
                await session.initialize()
                assert session_id()
                stored = await session.call_tool("store_memory", {"content": content})
                assert not stored.isError, stored.content[0].text
                return session_id(), json.loads(stored.content[0].text)["id"]

    async def both(url):
        return await asyncio.gather(client(url, "agent-one", "first client's note"),
                                    client(url, "agent-two", "second client's note"))

    with tempfile.TemporaryDirectory() as home:
        process, url = start_server(home)
        try:
            (session_one, id_one), (session_two, id_two) = asyncio.run(both(url))
            assert session_one != session_two
            agents = dict(database_rows(home, "SELECT id, agent_id FROM memory"))
            assert agents == {id_one: "agent-one", id_two: "agent-two"}
        finally:
            stop_server(process)


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def test_a_newer_protocol_version_is_answered_with_the_servers_own():
    """MCP version negotiation: a client offering a version the server does not know gets the
    server's latest in the answer, not an error."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2099-01-01", "capabilities": {}, "clientInfo": {"name": "future", "version": "9"}}}
    with tempfile.TemporaryDirectory() as home:
        process, url = start_server(home)
        try:
            status, headers, body = post(url + "/mcp", json.dumps(initialize).encode(),
                                         dict(MCP_HEADERS, **{"MCP-Protocol-Version": "2099-01-01"}))
            assert status == 200, body
            text = body.decode()
            payload = json.loads(text[text.index("{"):text.rindex("}") + 1])
            assert payload["id"] == 1 and payload["result"]["protocolVersion"] < "2099-01-01"
            assert headers.get("mcp-session-id")
        finally:
            stop_server(process)


def test_a_huge_body_to_mcp_is_413():
    """A 50 MB body is refused with 413 as soon as it passes the limit, not read in full."""
    with tempfile.TemporaryDirectory() as home:
        process, url = start_server(home)
        try:
            parts = urlsplit(url)
            with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
                connection.sendall(("POST /mcp HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                    "Accept: application/json, text/event-stream\r\nContent-Length: %d\r\n\r\n"
                                    % (parts.netloc, 50 * 1024 * 1024)).encode())
                try:
                    for _ in range(4):
                        connection.sendall(b"a" * (1024 * 1024))
                except OSError:
                    pass  # the server may stop reading once it has answered
                status_line = connection.makefile("rb").readline().decode()
            assert status_line.split()[1] == "413", status_line
            assert urllib.request.urlopen(url + "/health", timeout=10).status == 200
        finally:
            stop_server(process)
