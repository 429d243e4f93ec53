"""End-to-end: the official Python MCP client drives `tmws mcp` over stdio.

Run by scripts/test with the pinned `mcp` package in a virtual environment under .build/.
Each test gets its own temporary TMWS_HOME.
"""
import asyncio
import json
import uuid
import os
import subprocess
import tempfile

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BINARY = os.environ.get("TMWS_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "tmws"))
SECRET = "AKIAQ3EGRFOB4NDL3XYZ"


def server(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
    env["TMWS_HOME"] = home
    return StdioServerParameters(command=os.path.abspath(BINARY), args=["mcp"], env=env, cwd=home)


async def call(session, name, arguments):
    result = await session.call_tool(name, arguments)
    text = result.content[0].text
    return result.isError, (text if result.isError else json.loads(text)), result.structuredContent


def run(coroutine):
    return asyncio.run(coroutine)


def test_tools_round_trip():
    async def scenario():
        with tempfile.TemporaryDirectory() as home:
            async with stdio_client(server(home)) as (read, write):
                async with ClientSession(read, write) as session:
                    info = await session.initialize()
                    assert info.serverInfo.name == "tmws"
                    tools = {tool.name for tool in (await session.list_tools()).tools}
                    assert {"store_memory", "search_memories", "get_memory", "update_memory", "delete_memory",
                            "list_memories", "classify_scope", "get_memory_stats", "set_memory_ttl",
                            "prune_expired_memories"} <= tools

                    error, stored, structured = await call(session, "store_memory", {
                        "content": "Deploys go through the staging cluster first", "tags": ["deploy"], "importance": 0.8})
                    assert not error, stored
                    assert stored["scope"] == "PROJECT" and stored["version"] == 1
                    assert structured["id"] == stored["id"]
                    memory_id = stored["id"]

                    await call(session, "store_memory", {"content": "staging staging staging: the staging gate"})
                    error, found, _ = await call(session, "search_memories", {"query": "staging"})
                    assert not error and found["count"] == 2
                    scores = [hit["score"] for hit in found["results"]]
                    assert scores == sorted(scores, reverse=True)

                    error, got, _ = await call(session, "get_memory", {"id": memory_id})
                    assert got["content"] == "Deploys go through the staging cluster first"

                    error, updated, _ = await call(session, "update_memory", {
                        "id": memory_id, "content": "Deploys go through staging, then a canary", "expected_version": 1})
                    assert not error and updated["version"] == 2
                    error, stale, _ = await call(session, "update_memory", {"id": memory_id, "content": "x", "expected_version": 1})
                    assert error and "version conflict" in stale

                    error, deleted, _ = await call(session, "delete_memory", {"id": memory_id})
                    assert not error and deleted["deleted"] is True
                    error, gone, _ = await call(session, "get_memory", {"id": memory_id})
                    assert error and "not found" in gone

                    error, stats, _ = await call(session, "get_memory_stats", {})
                    assert stats["total"] == 1 and stats["tombstones"] == 1
    run(scenario())


def test_secrets_are_refused_for_the_cloud_and_kept_private_otherwise():
    async def scenario():
        with tempfile.TemporaryDirectory() as home:
            async with stdio_client(server(home)) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    error, message, _ = await call(session, "store_memory", {"content": f"deploy key {SECRET}", "scope": "GLOBAL"})
                    assert error
                    assert "aws_access_key_id" in message and SECRET not in message
                    error, stored, _ = await call(session, "store_memory", {"content": f"deploy key {SECRET}"})
                    assert not error and stored["scope"] == "PRIVATE"
                    error, classified, _ = await call(session, "classify_scope", {"content": "my wifi password is Pa55word!"})
                    assert classified["scope"] == "PRIVATE"
                    assert "Pa55word" not in json.dumps(classified)
    run(scenario())


def test_malformed_arguments_are_tool_errors():
    async def scenario():
        with tempfile.TemporaryDirectory() as home:
            async with stdio_client(server(home)) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    cases = [
                        ("store_memory", {"content": 5}, "'content' must be a string"),
                        ("store_memory", {}, "'content' is required"),
                        ("store_memory", {"content": "x", "importance": 7}, "importance must be between 0 and 1"),
                        ("store_memory", {"content": "x", "scope": "PUBLIC"}, "unknown scope"),
                        ("store_memory", {"content": "x", "colour": "red"}, "unknown argument 'colour'"),
                        ("get_memory", {"id": "nope"}, "malformed memory id"),
                        ("search_memories", {"query": "   "}, "query is empty"),
                        ("set_memory_ttl", {"id": "0192f8e4-7b2a-7c3d-8e4f-5a6b7c8d9e0f", "ttl_days": 0}, "ttl_days must be between 1 and 3650"),
                    ]
                    for name, arguments, expected in cases:
                        error, message, _ = await call(session, name, arguments)
                        assert error, (name, arguments)
                        assert expected in message, (name, message)
                    error, stats, _ = await call(session, "get_memory_stats", {})
                    assert stats["total"] == 0
    run(scenario())


def test_two_mcp_processes_writing_at_once_lose_nothing():
    async def writer(home, index):
        async with stdio_client(server(home)) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                for item in range(50):
                    error, stored, _ = await call(session, "store_memory", {"content": f"writer {index} note {item}"})
                    assert not error, stored

    async def scenario():
        with tempfile.TemporaryDirectory() as home:
            await asyncio.gather(writer(home, 0), writer(home, 1))
            stats = json.loads(subprocess.run([os.path.abspath(BINARY), "memory", "stats", "--json"],
                                              env={**os.environ, "TMWS_HOME": home}, capture_output=True, check=True).stdout)
            assert stats["total"] == 100
    run(scenario())


def test_sync_tools_report_and_switch_offline_mode():
    async def scenario():
        with tempfile.TemporaryDirectory() as home:
            async with stdio_client(server(home)) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    await call(session, "store_memory", {"content": "GLOBAL knowledge: prefer small pull requests",
                                                         "scope": "GLOBAL"})
                    error, status, _ = await call(session, "sync_status", {})
                    assert not error and status["hybrid_mode"] is False and status["enrolled"] is False
                    assert status["pending"] == 1 and status["offline"] is False
                    error, status, _ = await call(session, "set_offline_mode", {"offline": True})
                    assert not error and status["offline"] is True
                    error, message, _ = await call(session, "sync_now", {})
                    assert error and "hybrid mode is off" in message
                    error, message, _ = await call(session, "set_offline_mode", {})
                    assert error and "offline" in message
                    error, conflicts, _ = await call(session, "list_conflicts", {})
                    assert not error and conflicts == {"count": 0, "conflicts": []}
                    error, message, _ = await call(session, "resolve_conflict", {"id": str(uuid.uuid4()), "keep": "local"})
                    assert error and "no conflict" in message
                    error, message, _ = await call(session, "resolve_conflict", {"id": str(uuid.uuid4()), "keep": "both"})
                    assert error and "keep" in message
    run(scenario())
