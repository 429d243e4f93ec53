"""The hub for the end-to-end tests: `tmws hub dev` started as the README starts it, its
administration, HTTPS calls, and nodes (the real binary, each in its own TMWS_HOME)."""
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from serving import BINARY


def start_hub(*extra):
    """`tmws hub dev` in a new directory: its JSON line, with the process and directory."""
    # Under /tmp with this prefix: PostgreSQL runs as the postgres user when we are root and
    # must reach the directory, and scripts/test removes any such directory a crash leaves.
    directory = tempfile.mkdtemp(prefix="tmws-pg-test-hub-", dir="/tmp")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
    # Output goes to files, not pipes: a pipe nobody reads fills up (the hub logs every failed
    # database connection while PostgreSQL restarts) and blocks the hub mid-shutdown.
    stdout = open(os.path.join(directory, "hub.out"), "w+")
    stderr = open(os.path.join(directory, "hub.err"), "w+")
    process = subprocess.Popen([BINARY, "hub", "dev", "--dir", directory, "--port", "0", *extra], env=env,
                               stdout=stdout, stderr=stderr, text=True)
    deadline = time.time() + 120
    line = ""
    while not line.endswith("\n"):
        stdout.seek(0)
        line = stdout.readline()
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            stderr.seek(0)
            raise RuntimeError("tmws hub dev did not start: " + stderr.read())
        time.sleep(0.05)
    info = json.loads(line)
    info["directory"] = directory
    info["process"] = process
    # Nodes protect their device keys with a passphrase (enrollment refuses to go on without
    # a key provider).
    info["env"] = dict(env, TMWS_KEY_PASSPHRASE="e2e device-key passphrase")
    info["stderr"] = stderr
    return info


def start_tenant_hub(tenant, *users, hub_arguments=()):
    """`start_hub` (with `hub_arguments`) and a tenant with its users created."""
    info = start_hub(*hub_arguments)
    admin(info, "create-tenant", tenant)
    for user in users:
        admin(info, "create-user", "--tenant", tenant, user)
    return info


def hub_log(info):
    """What the hub wrote to stderr so far (for assertion messages)."""
    info["stderr"].seek(0)
    return info["stderr"].read()[-4000:]


def stop_hub(info):
    process, directory = info["process"], info["directory"]
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("tmws hub dev did not stop on SIGTERM: " + hub_log(info))
    shutil.rmtree(directory, ignore_errors=True)


def admin(hub, *arguments):
    result = subprocess.run([BINARY, "hub", "admin", *arguments, "--database-url", hub["database_url"], "--json"],
                            env=hub["env"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def context(hub):
    ctx = ssl.create_default_context(cafile=hub["ca_file"])
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx


def call(hub, method, path, body=None, credential=None, headers=None, ctx=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(hub["hub_url"] + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if credential:
        request.add_header("Authorization", "Bearer " + credential)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, context=ctx or context(hub), timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def psql(hub, sql):
    result = subprocess.run(["psql", hub["database_url"], "-At", "-c", sql], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def node(hub, home, *arguments, hybrid=False, check=True, env_extra=None, stdin_text=None):
    env = dict(hub["env"], TMWS_HOME=home, **(env_extra or {}))
    if hybrid:
        env["TMWS_HYBRID_MODE_ENABLED"] = "true"
    result = subprocess.run([BINARY, *arguments], env=env, capture_output=True, text=True, timeout=60, cwd=home,
                            **({"input": stdin_text} if stdin_text is not None else {"stdin": subprocess.DEVNULL}))
    if check:
        assert result.returncode == 0, result.stderr
    return result


def enroll_node(hub, tenant, user="ann"):
    home = tempfile.mkdtemp(prefix="tmws-node-")
    token = admin(hub, "enroll-token", "--tenant", tenant, "--user", user)["token"]
    # The token from the environment: on the command line it would show in ps.
    node(hub, home, "cloud", "enroll", "--hub", hub["hub_url"], "--ca", hub["ca_file"], env_extra={"TMWS_ENROLL_TOKEN": token})
    return home
