"""Metrics and rollback drills with a running node (`tmws serve`) and `tmws hub dev`: both
export Prometheus text at /metrics under their access rules; the metrics the alert rules use
appear; turning hybrid mode off in the configuration file stops the node's traffic to the hub
within one sync interval; rollback-all makes the running node local-only and restore flushes
what waited."""
import json
import shutil
import tempfile
import os
import re
import ssl
import time
import urllib.request

import pytest

from hubtools import admin, call, enroll_node, psql, start_hub, stop_hub
from serving import start_server, stop_server


@pytest.fixture(scope="module")
def hub():
    # The tenants' sizes read every second (the default is every 5 minutes).
    info = start_hub("--usage-interval", "1")
    yield info
    stop_hub(info)


@pytest.fixture(scope="module")
def monitoring(hub):
    """A tenant, and a device credential the scraper uses."""
    admin(hub, "create-tenant", "metrics-co")
    admin(hub, "create-user", "--tenant", "metrics-co", "ann")
    admin(hub, "create-user", "--tenant", "metrics-co", "prometheus")
    token = admin(hub, "enroll-token", "--tenant", "metrics-co", "--user", "prometheus")["token"]
    status, enrolled = call(hub, "POST", "/v1/enroll", {"token": token, "device_name": "scraper"})
    assert status == 201
    return enrolled["credential"]


def scrape(url, headers=None, context=None):
    request = urllib.request.Request(url + "/metrics", headers=headers or {})
    with urllib.request.urlopen(request, timeout=10, context=context) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        return response.read().decode()


def value(text, name, **labels):
    """The sum of a metric's samples whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(key) == wanted for key, wanted in labels.items()):
            total += float(match.group(3))
    return total


def post(url, body):
    request = urllib.request.Request(url + "/v1/memories", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_for(predicate, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


def logged(hub, memory_id):
    return psql(hub, f"SELECT count(*) FROM tmws.change_log WHERE memory_id = '{memory_id}'") == "1"


def test_metrics_a_runtime_flag_and_a_rollback_drill(hub, monitoring):
    home = enroll_node(hub, "metrics-co")
    config = os.path.join(home, "config.toml")
    with open(config, "w") as file:
        file.write("[hybrid]\nenabled = true\nsync_interval_s = 1\n")
    hub_context = ssl.create_default_context(cafile=hub["ca_file"])
    hub_auth = {"Authorization": "Bearer " + monitoring}
    process, url = start_server(home, TMWS_KEY_PASSPHRASE="e2e device-key passphrase")
    try:
        first = post(url, {"content": "metrics drill: deploys freeze on Fridays", "scope": "GLOBAL"})
        assert wait_for(lambda: logged(hub, first["id"]))
        # The run is counted when it ends, a moment after the hub logged its push.
        assert wait_for(lambda: value(scrape(url), "tmws_sync_successes_total") >= 1)
        node_metrics = scrape(url)
        assert value(node_metrics, "tmws_sync_attempts_total") >= 1
        assert value(node_metrics, "tmws_sync_successes_total") >= 1
        assert value(node_metrics, "tmws_cloud_connection_successes_total", kind="rollout") >= 1
        assert value(node_metrics, "hb_requests", http_route="/v1/memories", http_response_status_code="201") == 1
        assert value(node_metrics, "http_server_request_duration_count", http_route="/v1/memories") == 1
        assert "tmws_outbox_pending_events 0" in node_metrics
        assert "drill" not in node_metrics and first["id"] not in node_metrics

        # `tmws status`: one screen for a person, and its JSON for scripts.
        from hubtools import node
        status = json.loads(node(hub, home, "status", "--metrics-url", url + "/metrics", "--json").stdout)
        assert status["hybrid"]["on"] is True and status["hybrid"]["rollout"]["enabled"] is True
        assert status["hub"]["reachable"] is True and status["sync"]["pending"] == 0
        states = {metric["name"]: metric["state"] for metric in status["metrics"]}
        assert states["sync success"] == "ok" and states["cloud connections"] == "ok" and states["security incidents"] == "ok"
        assert states["API response time (p95)"] == "ok" and states["local fallbacks"] == "n/a"
        screen = node(hub, home, "status", "--metrics-url", url + "/metrics").stdout
        assert "hybrid mode  ON" in screen and "sync success" in screen
        print(screen)
        # Another data directory's status does not take this server's numbers for its own.
        stranger = tempfile.mkdtemp(prefix="tmws-other-")
        other = json.loads(node(hub, stranger, "status", "--metrics-url", url + "/metrics", "--json").stdout)
        assert other.get("metrics_source") is None
        shutil.rmtree(stranger, ignore_errors=True)

        # The hub's /metrics answers authenticated devices only, and counts the refused ones.
        status, _ = call(hub, "GET", "/metrics")
        assert status == 401
        hub_metrics = scrape(hub["hub_url"], hub_auth, hub_context)
        assert value(hub_metrics, "tmws_security_incidents_total", kind="authentication_failure") >= 1
        assert value(hub_metrics, "hb_requests", http_route="/v1/sync/push") >= 1
        assert value(hub_metrics, "hb_requests", http_route="/v1/rollout") >= 1
        # Each tenant's size, labelled by its id; a device sees its own tenant's and no other's.
        ours = admin(hub, "list", "--tenant", "metrics-co")["tenant"]["id"].lower()
        admin(hub, "create-tenant", "other-co")
        theirs = admin(hub, "list", "--tenant", "other-co")["tenant"]["id"].lower()
        assert wait_for(lambda: value(scrape(hub["hub_url"], hub_auth, hub_context), "tmws_hub_tenant_memories", tenant=ours) >= 1)
        sized = scrape(hub["hub_url"], hub_auth, hub_context)
        assert value(sized, "tmws_hub_tenant_stored_bytes", tenant=ours) > 0
        assert theirs not in sized and 'tenant="' + ours + '"' in sized

        # Rollback drill: every node local-only within an interval; nothing lost on restore.
        admin_rollout = ["rollout", "rollback-all", "--tenant", "metrics-co"]
        import subprocess
        from hubtools import BINARY
        def rollout(*arguments):
            result = subprocess.run([BINARY, "hub", "rollout", *arguments, "--database-url", hub["database_url"], "--json"],
                                    env=hub["env"], capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
        rollout(*admin_rollout[1:])
        time.sleep(2.5)
        held = post(url, {"content": "metrics drill: written while rolled back", "scope": "GLOBAL"})
        time.sleep(3)
        assert not logged(hub, held["id"])
        assert value(scrape(url), "tmws_outbox_pending_events") == 1
        rollout("restore", "--tenant", "metrics-co")
        assert wait_for(lambda: logged(hub, held["id"]))

        # Hybrid mode turned off in the file at run time: no request reaches the hub after one
        # interval (the hub's own count of this tenant's requests stops moving).
        with open(config, "w") as file:
            file.write("[hybrid]\nenabled = false\nsync_interval_s = 1\n")
        time.sleep(2.5)
        before = value(scrape(hub["hub_url"], hub_auth, hub_context), "hb_requests", http_route="/v1/rollout")
        post(url, {"content": "metrics drill: written with hybrid mode off", "scope": "GLOBAL"})
        time.sleep(4)
        after = value(scrape(hub["hub_url"], hub_auth, hub_context), "hb_requests", http_route="/v1/rollout")
        assert after == before
        assert value(scrape(url), "tmws_outbox_pending_events") == 1
        offline = json.loads(node(hub, home, "status", "--metrics-url", url + "/metrics", "--json").stdout)
        assert offline["hybrid"]["on"] is False and "configuration" in offline["hybrid"]["reason"]
        assert offline["hub"].get("reachable") is None and "not asked" in offline["hub"]["detail"]
    finally:
        stop_server(process)
