"""Starting the real `tmws` binary for the end-to-end tests, each in its own TMWS_HOME."""
import os
import re
import sqlite3
import subprocess
import time

BINARY = os.path.abspath(os.environ.get(
    "TMWS_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "tmws")))


def environment(home, **extra):
    """The caller's environment without TMWS_* settings, with TMWS_HOME set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
    env["TMWS_HOME"] = home
    env.update(extra)
    return env


def start_server(home, *arguments, **extra_env):
    """Runs `tmws serve --port 0` and returns (process, base URL)."""
    process = subprocess.Popen([BINARY, "serve", "--port", "0", *arguments], env=environment(home, **extra_env),
                               cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 10
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError("tmws serve did not start")


def stop_server(process):
    process.terminate()
    assert process.wait(timeout=10) == 0, "tmws serve did not stop cleanly on SIGTERM"


def database_rows(home, sql):
    """Rows of the node's database, read with a second connection."""
    with sqlite3.connect(os.path.join(home, "tmws.db")) as connection:
        return connection.execute(sql).fetchall()
