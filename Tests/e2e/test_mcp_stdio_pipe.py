"""End-to-end: `tmws mcp` fed a pipe that closes right after the requests, as scripts do.
Every request read before the end of input is answered; malformed lines get JSON-RPC errors."""
import json
import subprocess
import tempfile

from serving import BINARY, environment

INITIALIZE = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "pipe", "version": "1"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def run(lines):
    """Writes the lines, closes stdin, and returns the JSON messages printed."""
    with tempfile.TemporaryDirectory() as home:
        data = b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)
        result = subprocess.run([BINARY, "mcp"], input=data, env=environment(home), cwd=home,
                                capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.decode().splitlines() if line.strip()]


def test_every_request_before_the_end_of_input_is_answered():
    calls = [{"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {
        "name": "store_memory", "arguments": {"content": "piped note %d" % i}}} for i in range(1, 9)]
    calls.append({"jsonrpc": "2.0", "id": "list", "method": "tools/list"})
    for _ in range(3):
        replies = run([INITIALIZE, INITIALIZED, *calls])
        assert sorted(str(reply.get("id")) for reply in replies) == sorted(["0"] + [str(c["id"]) for c in calls])
        assert all("result" in reply for reply in replies), replies


def test_malformed_lines_get_errors_with_a_null_id():
    replies = run([
        INITIALIZE, INITIALIZED,
        b"this is not json",
        b'{"jsonrpc": "2.0", "id": {"nested": 1}, "method": "tools/list"}',
        b'{"jsonrpc": "2.0", "id": [1, 2], "method": "tools/list"}',
        b'{"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {"x": "\xff\xfe"}}',
        {"jsonrpc": "2.0", "id": 8, "method": "tools/list"},
    ])
    errors = [reply for reply in replies if "error" in reply]
    assert [error["id"] for error in errors] == [None, None, None, None]
    assert [error["error"]["code"] for error in errors] == [-32700, -32600, -32600, -32700]
    assert "UTF-8" in errors[3]["error"]["message"]
    assert {reply["id"] for reply in replies if "result" in reply} == {0, 8}
