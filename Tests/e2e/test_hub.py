"""The hub end to end: `tmws hub dev` as the README starts it (a real PostgreSQL 15, TLS 1.3,
migrations), administration with `tmws hub admin`, devices enrolled over HTTPS, and the
attacks a device of another tenant, a revoked device, a web page or an old TLS client can try."""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import pytest

from hubtools import admin, call, context, enroll_node, hub_log, node, psql, start_hub, stop_hub
from serving import BINARY, start_server, stop_server


@pytest.fixture(scope="module")
def hub():
    info = start_hub()
    yield info
    stop_hub(info)


def tenant_with_device(hub, name):
    tenant = admin(hub, "create-tenant", name)
    admin(hub, "create-user", "--tenant", name, "ann")
    admin(hub, "create-team", "--tenant", name, "core")
    admin(hub, "add-member", "--tenant", name, "core", "ann")
    token = admin(hub, "enroll-token", "--tenant", name, "--user", "ann")["token"]
    status, enrolled = call(hub, "POST", "/v1/enroll", {"token": token, "device_name": "laptop"})
    assert status == 201, enrolled
    memory_id = str(uuid.uuid4())
    user_id = enrolled["identity"]["user_id"]
    psql(hub, f"""INSERT INTO tmws.memories (tenant_id, memory_id, scope, owner_user_id, namespace, version, hlc,
              origin_device, content, created_at) VALUES ('{tenant["tenant_id"]}', '{memory_id}', 'GLOBAL', '{user_id}',
              'p', 1, 1, 'laptop', '{name} keeps its postgres backups for thirty days', now())""")
    return {"tenant": tenant["tenant_id"], "token": token, "credential": enrolled["credential"],
            "identity": enrolled["identity"], "memory": memory_id}


@pytest.fixture(scope="module")
def tenants(hub):
    return tenant_with_device(hub, "acme"), tenant_with_device(hub, "globex")


def test_dev_prints_one_json_line_and_psql_accepts_the_url(hub):
    assert set(hub) >= {"hub_url", "ca_file", "database_url"}
    assert hub["hub_url"].startswith("https://127.0.0.1:")
    assert psql(hub, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "TLSv1.3"
    data = os.path.join(hub["directory"], "pgdata")
    with open(os.path.join(data, "postgresql.conf")) as conf:
        settings = conf.read()
    assert "ssl = on" in settings and "ssl_min_protocol_version = 'TLSv1.3'" in settings
    with open(os.path.join(data, "pg_hba.conf")) as hba:
        rules = [line.split() for line in hba if line.strip() and not line.startswith("#")]
    assert {rule[0] for rule in rules} == {"hostssl", "hostnossl"}
    assert all(rule[-1] == "reject" for rule in rules if rule[0] == "hostnossl")
    status, body = call(hub, "GET", "/health")
    assert status == 200 and body == {"status": "ok"}


def test_identity_comes_from_the_credential(hub, tenants):
    acme, globex = tenants
    status, identity = call(hub, "GET", "/v1/identity", credential=acme["credential"])
    assert status == 200
    assert identity["tenant_id"] == acme["tenant"] and identity["tenant_name"] == "acme"
    assert [team["name"] for team in identity["teams"]] == ["core"]
    status, teams = call(hub, "GET", "/v1/teams", credential=globex["credential"])
    assert status == 200 and [team["name"] for team in teams["teams"]] == ["core"]
    assert teams["teams"][0]["id"] != identity["teams"][0]["id"]


def test_a_device_of_another_tenant_sees_nothing_of_it(hub, tenants):
    acme, globex = tenants
    status, memory = call(hub, "GET", f"/v1/memories/{acme['memory']}", credential=acme["credential"])
    assert status == 200 and "acme keeps" in memory["content"]
    status, problem = call(hub, "GET", f"/v1/memories/{acme['memory']}", credential=globex["credential"])
    assert status == 404 and "acme" not in json.dumps(problem)
    for credential, own, other in ((acme["credential"], "acme", "globex"), (globex["credential"], "globex", "acme")):
        status, results = call(hub, "POST", "/v1/search", {"query": "postgres backups"}, credential=credential)
        assert status == 200 and results["count"] == 1
        assert results["results"][0]["memory"]["content"].startswith(own)
        assert results["results"][0]["source"] == "hub"
        status, results = call(hub, "POST", "/v1/search", {"query": other}, credential=credential)
        assert status == 200 and results["count"] == 0
    # A body naming the other tenant changes nothing: the tenant comes from the credential.
    status, results = call(hub, "POST", "/v1/search", {"query": "postgres", "tenant_id": acme["tenant"]},
                           credential=globex["credential"])
    assert status == 200 and all(not r["memory"]["content"].startswith("acme") for r in results["results"])


def test_credentials_are_checked_and_tokens_are_single_use(hub, tenants):
    acme, globex = tenants
    for bad in ("", "garbage", acme["credential"][:-1] + ("0" if acme["credential"][-1] != "0" else "1"),
                # acme's device id and secret under globex's tenant id
                "tmwsd_" + globex["tenant"] + acme["credential"][6 + 36:]):
        status, problem = call(hub, "GET", "/v1/identity", credential=bad or None)
        assert status == 401, bad
        assert problem["type"].endswith("/unauthorized")
    status, _ = call(hub, "POST", "/v1/enroll", {"token": acme["token"], "device_name": "again"})
    assert status == 401
    audit = psql(hub, f"SELECT string_agg(action, ',' ORDER BY seq) FROM tmws.audit_log WHERE tenant_id = '{acme['tenant']}'")
    assert audit == "create-tenant,create-user,create-team,add-member,enroll-token,enroll"
    assert acme["credential"] not in psql(hub, "SELECT string_agg(details || object_id, ' ') FROM tmws.audit_log")


def test_a_revoked_device_is_refused(hub):
    device = tenant_with_device(hub, "initech")
    assert call(hub, "GET", "/v1/identity", credential=device["credential"])[0] == 200
    admin(hub, "revoke-device", "--tenant", "initech", device["identity"]["device_id"])
    status, _ = call(hub, "GET", "/v1/identity", credential=device["credential"])
    assert status == 401


def test_web_pages_and_non_json_bodies_are_refused(hub, tenants):
    acme, _ = tenants
    status, problem = call(hub, "GET", "/v1/identity", credential=acme["credential"], headers={"Origin": "https://evil.example"})
    assert status == 403
    request = urllib.request.Request(hub["hub_url"] + "/v1/search", data=b'{"query":"x"}', method="POST")
    request.add_header("Content-Type", "text/plain")
    request.add_header("Authorization", "Bearer " + acme["credential"])
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, context=context(hub), timeout=10)
    assert error.value.code == 415


def test_old_tls_a_wrong_ca_and_plaintext_are_refused(hub):
    host, port = hub["hub_url"].removeprefix("https://").split(":")
    old = ssl.create_default_context(cafile=hub["ca_file"])
    old.maximum_version = ssl.TLSVersion.TLSv1_2
    with pytest.raises(urllib.error.URLError) as error:
        call(hub, "GET", "/health", ctx=old)
    assert "PROTOCOL_VERSION" in str(error.value.reason)
    with pytest.raises(urllib.error.URLError) as error:
        call(hub, "GET", "/health", ctx=ssl.create_default_context())
    assert isinstance(error.value.reason, ssl.SSLCertVerificationError)
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.settimeout(5)
        try:
            answer = connection.recv(100)
        except (ConnectionResetError, socket.timeout):
            answer = b""
        assert not answer.startswith(b"HTTP/1.1 200")


def test_the_openapi_document_lists_every_route(hub):
    status, document = call(hub, "GET", "/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.1")
    assert sorted(document["paths"]) == sorted(["/health", "/openapi.json", "/v1/enroll", "/v1/identity", "/v1/teams",
                                                "/v1/memories/{id}", "/v1/search", "/v1/sync/push", "/v1/sync/pull",
                                                "/v1/teams/{team}", "/v1/teams/{team}/log", "/v1/users/{user}/devices",
                                                "/v1/device/keys", "/v1/rollout", "/metrics", "/v1/devices"])


def test_two_hub_processes_serve_one_database(hub, tenants):
    acme, _ = tenants
    certs = os.path.join(hub["directory"], "certs")
    second = subprocess.Popen([BINARY, "hub", "serve", "--port", "0", "--database-url", hub["runtime_database_url"],
                               "--tls-cert", os.path.join(certs, "hub.crt"), "--tls-key", os.path.join(certs, "hub.key")],
                              env=hub["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = second.stdout.readline()
        assert "listening on https://" in line, second.stderr.read()
        other = dict(hub, hub_url=line.split("listening on ")[1].strip())
        status, memory = call(other, "GET", f"/v1/memories/{acme['memory']}", credential=acme["credential"])
        assert status == 200 and memory["id"] == acme["memory"]
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0


def test_idle_connections_beyond_the_cap_cannot_lock_out_health(hub):
    # Issue 18: 21,000 idle TCP connections exhausted the hub's descriptors and /health went
    # silent. Here a hub capped at 16 connections, closing a silent one after 2 s, is flooded
    # with 60 that never send a byte (nor a TLS hello); /health still answers.
    certs = os.path.join(hub["directory"], "certs")
    capped = subprocess.Popen([BINARY, "hub", "serve", "--port", "0", "--database-url", hub["runtime_database_url"],
                               "--tls-cert", os.path.join(certs, "hub.crt"), "--tls-key", os.path.join(certs, "hub.key"),
                               "--max-connections", "16", "--idle-timeout", "2"],
                              env=hub["env"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    idle = []
    try:
        line = capped.stdout.readline()
        assert "listening on https://" in line
        url = line.split("listening on ")[1].strip()
        port = int(url.rsplit(":", 1)[1])
        for _ in range(60):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        started = time.monotonic()
        status, health = call(dict(hub, hub_url=url), "GET", "/health", timeout=30)
        assert status == 200, health
        assert time.monotonic() - started < 25
        # The silent connections were closed by the server, not kept for ever.
        idle[0].settimeout(10)
        assert idle[0].recv(1) == b""
    finally:
        for connection in idle:
            connection.close()
        capped.send_signal(signal.SIGTERM)
        assert capped.wait(timeout=30) == 0


def test_push_and_pull_over_https(hub, tenants):
    acme, globex = tenants
    memory_id, event_id = str(uuid.uuid4()), str(uuid.uuid4())
    event = {"v": 1, "event_id": event_id, "operation": "create", "memory_id": memory_id, "version": 1, "hlc": 1 << 20,
             "device": "laptop", "memory": {"tenant_id": "local", "namespace": "p", "scope": "GLOBAL",
                                            "content": "pushed over https: rotate the staging certificates monthly",
                                            "tags": ["ops"], "importance": 0.7, "metadata": {}, "agent_id": "cli",
                                            "created_at": "2026-11-30T12:00:00.000Z", "expires_at": None, "classification": None}}
    status, pushed = call(hub, "POST", "/v1/sync/push", {"events": [event, event]}, credential=acme["credential"])
    assert status == 200 and [r["status"] for r in pushed["results"]] == ["applied", "duplicate"]
    status, page = call(hub, "GET", "/v1/sync/pull?limit=1000", credential=acme["credential"])
    assert status == 200 and event_id in [e["event_id"] for e in page["events"]] and page["next_cursor"].startswith("c1.")
    status, after = call(hub, "GET", "/v1/sync/pull?cursor=" + page["next_cursor"], credential=acme["credential"])
    assert status == 200 and after["events"] == []
    status, theirs = call(hub, "GET", "/v1/sync/pull", credential=globex["credential"])
    assert status == 200 and event_id not in [e["event_id"] for e in theirs["events"]]
    status, found = call(hub, "POST", "/v1/search", {"query": "staging certificates"}, credential=acme["credential"])
    assert [r["memory"]["id"] for r in found["results"]] == [memory_id]
    status, problem = call(hub, "GET", "/v1/sync/pull?cursor=garbage", credential=acme["credential"])
    assert status == 400 and "cursor" in problem["detail"]
    # Cursors are opaque and sealed for their tenant (issue 18): no hub-wide transaction id
    # shows, and another tenant's device cannot use one.
    xid = psql(hub, "SELECT committed_xid::text FROM tmws.change_log ORDER BY committed_xid DESC LIMIT 1")
    assert xid not in page["next_cursor"]
    status, problem = call(hub, "GET", "/v1/sync/pull?cursor=" + page["next_cursor"], credential=globex["credential"])
    assert status == 400 and "cursor" in problem["detail"]


def test_usage_reports_each_tenants_storage_and_cost(hub, tenants):
    acme, globex = tenants

    def usage(*arguments):
        result = subprocess.run([BINARY, "hub", "usage", *arguments, "--database-url", hub["database_url"]],
                                env=hub["env"], capture_output=True, text=True, timeout=60)
        return result

    def report(*arguments):
        result = usage(*arguments, "--json")
        assert result.returncode == 0, result.stderr
        return {tenant["name"]: tenant for tenant in json.loads(result.stdout)["tenants"]}, result.stdout

    before, _ = report()
    memory_id = str(uuid.uuid4())
    event = {"v": 1, "event_id": str(uuid.uuid4()), "operation": "create", "memory_id": memory_id, "version": 1, "hlc": 1 << 21,
             "device": "laptop", "memory": {"tenant_id": "local", "namespace": "p", "scope": "GLOBAL",
                                            "content": "usage: the nightly report runs at two " + str(uuid.uuid4()) * 20,
                                            "tags": [], "importance": 0.5, "metadata": {}, "agent_id": "cli",
                                            "created_at": "2026-11-30T12:00:00.000Z", "expires_at": None, "classification": None}}
    status, _ = call(hub, "POST", "/v1/sync/push", {"events": [event]}, credential=acme["credential"])
    assert status == 200
    after, raw = report("--hot-price", "100")

    def rows(usage, kind, name):
        return usage[kind].get(name, {}).get("rows", 0)

    assert rows(after["acme"], "scopes", "GLOBAL") == rows(before["acme"], "scopes", "GLOBAL") + 1
    assert rows(after["globex"], "scopes", "GLOBAL") == rows(before["globex"], "scopes", "GLOBAL")
    assert rows(after["acme"], "tables", "change_log") == rows(before["acme"], "tables", "change_log") + 1
    assert after["acme"]["last_7_days"]["rows"] >= 2  # the memory and its logged change
    assert after["acme"]["hot_bytes"] > 0 and after["globex"]["hot_bytes"] > 0
    assert abs(after["acme"]["estimated_monthly_cost"] - after["acme"]["hot_bytes"] / 2**30 * 100) < 1e-6
    assert {"memories", "change_log", "audit_log"} <= {table["table"] for table in json.loads(raw)["tables"]}
    # Nothing of a memory's text in the report; one tenant by name; a bad price is refused.
    assert "nightly report" not in raw
    one, _ = report("--tenant", "globex")
    assert list(one) == ["globex"]
    bad = usage("--hot-price", "-1")
    assert bad.returncode != 0 and "price" in bad.stderr
    text = usage()
    assert text.returncode == 0 and "acme" in text.stdout and "PER MONTH" in text.stdout


def test_archive_moves_old_unread_memories_out_of_search_and_back(hub):
    cold = tenant_with_device(hub, "coldco")
    psql(hub, f"UPDATE tmws.memories SET updated_at = now() - interval '400 days' WHERE memory_id = '{cold['memory']}'")

    def archive(*arguments, check=True):
        result = subprocess.run([BINARY, "hub", "archive", *arguments, "--database-url", hub["database_url"]],
                                env=hub["env"], capture_output=True, text=True, timeout=60)
        assert not check or result.returncode == 0, result.stderr
        return result

    dry = json.loads(archive("run", "--tenant", "coldco", "--budget", "1", "--dry-run", "--json").stdout)
    assert dry["over_budget"] and dry["candidates"] == 1 and dry["moved"] == 0
    assert json.loads(archive("run", "--tenant", "coldco", "--json").stdout)["over_budget"] is False  # 100GiB by default
    ran = json.loads(archive("run", "--tenant", "coldco", "--budget", "100B", "--json").stdout)
    assert ran["moved"] == 1 and ran["batches"] == 1 and ran["cold_bytes"] > 0
    status, found = call(hub, "POST", "/v1/search", {"query": "postgres backups"}, credential=cold["credential"])
    assert status == 200 and found["results"] == []
    status, read = call(hub, "GET", "/v1/memories/" + cold["memory"], credential=cold["credential"])
    assert status == 200 and "thirty days" in read["content"]
    exported = archive("export", "--tenant", "coldco")
    assert cold["memory"] in exported.stdout and "exported 1 memories" in exported.stderr
    bad = archive("run", "--tenant", "coldco", "--budget", "lots", check=False)
    assert bad.returncode != 0 and "size" in bad.stderr
    assert archive("restore", "--tenant", "coldco", check=False).returncode != 0  # ids or --all
    assert json.loads(archive("restore", "--tenant", "coldco", "--all", "--json").stdout) == {"restored": 1}
    status, found = call(hub, "POST", "/v1/search", {"query": "postgres backups"}, credential=cold["credential"])
    assert [hit["memory"]["id"] for hit in found["results"]] == [cold["memory"]]


def hub_pin(hub):
    certificate = os.path.join(hub["directory"], "certs", "hub.crt")
    key = subprocess.run(["openssl", "x509", "-in", certificate, "-pubkey", "-noout"], capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=key, capture_output=True, check=True).stdout
    digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=der, capture_output=True, check=True).stdout
    import base64
    return "sha256/" + base64.b64encode(digest).decode()


@pytest.fixture(scope="module")
def enrolled(hub, tenants):
    acme, _ = tenants
    home = tempfile.mkdtemp(prefix="tmws-node-")
    token = admin(hub, "enroll-token", "--tenant", "acme", "--user", "ann")["token"]
    # The pin as `tmws hub dev` and `tmws hub pin` print it (and openssl computes it); the
    # token on standard input, out of ps.
    pin = node(hub, home, "hub", "pin", os.path.join(hub["directory"], "certs", "hub.crt")).stdout.strip()
    assert pin == hub_pin(hub) == hub["pin"]
    node(hub, home, "cloud", "enroll", "--hub", hub["hub_url"], "--token", "-", "--ca", hub["ca_file"],
         "--pin", pin, "--name", "node-a", stdin_text=token + "\n")
    yield home
    shutil.rmtree(home, ignore_errors=True)


def test_a_node_enrolls_and_keeps_its_credential_private(hub, enrolled):
    cloud = os.path.join(enrolled, "cloud.json")
    assert oct(os.stat(cloud).st_mode & 0o777) == "0o600"
    with open(cloud) as file:
        credential = json.load(file)["credential"]
    status = json.loads(node(hub, enrolled, "cloud", "status", "--json", hybrid=True).stdout)
    assert status["enrolled"] and status["reachable"]
    assert status["identity"]["tenant_name"] == "acme" and status["identity"]["user_name"] == "ann"
    assert status["identity"]["device_name"] == "node-a" and status["pin"].startswith("sha256/")
    for arguments in (("cloud", "status"), ("cloud", "status", "--json")):
        result = node(hub, enrolled, *arguments, hybrid=True)
        assert credential not in result.stdout + result.stderr


def test_a_wrong_pin_or_ca_refuses_before_sending_the_token(hub, tenants):
    home = tempfile.mkdtemp(prefix="tmws-node-")
    try:
        token = admin(hub, "enroll-token", "--tenant", "acme", "--user", "ann")["token"]
        wrong_pin = "sha256/" + "A" * 43 + "="
        result = node(hub, home, "cloud", "enroll", "--hub", hub["hub_url"], "--token", token, "--ca", hub["ca_file"],
                      "--pin", wrong_pin, check=False)
        assert result.returncode == 1 and "public key does not match" in result.stderr
        other_ca = os.path.join(home, "other")
        subprocess.run([BINARY, "hub", "dev-certs", "--out", other_ca], check=True, capture_output=True)
        result = node(hub, home, "cloud", "enroll", "--hub", hub["hub_url"], "--token", token,
                      "--ca", os.path.join(other_ca, "ca.crt"), check=False)
        assert result.returncode == 1 and "not signed by the pinned CA" in result.stderr
        result = node(hub, home, "cloud", "enroll", "--hub", hub["hub_url"].replace("https", "http"), "--token", token,
                      "--ca", hub["ca_file"], check=False)
        assert result.returncode == 1 and "HTTPS only" in result.stderr
        # The token was never sent, so it still enrolls a device.
        node(hub, home, "cloud", "enroll", "--hub", hub["hub_url"], "--token", token, "--ca", hub["ca_file"])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_search_strategies_merge_local_and_hub_results(hub, enrolled):
    node(hub, enrolled, "memory", "add", "local runbook: postgres failover drill", "--scope", "GLOBAL")
    for strategy in ("local_first", "cloud_first", "hybrid"):
        results = json.loads(node(hub, enrolled, "memory", "search", "postgres", "--strategy", strategy, "--json",
                                  hybrid=True).stdout)
        sources = {hit["source"] for hit in results["results"]}
        assert results["fell_back"] is False
        assert "local" in sources and "hub" in sources, (strategy, results)
        assert all("globex" not in hit["memory"]["content"] for hit in results["results"])
    cloud_first = json.loads(node(hub, enrolled, "memory", "search", "postgres", "--strategy", "cloud_first", "--json",
                                  hybrid=True).stdout)
    assert cloud_first["results"][0]["source"] == "hub"
    # Enough local results: local_first does not ask the hub at all.
    local = json.loads(node(hub, enrolled, "memory", "search", "postgres", "--strategy", "local_first", "--limit", "1",
                            "--json", hybrid=True).stdout)
    assert local["asked_hub"] is False and local["results"][0]["source"] == "local"
    # One shape whether the hub is asked or not (issue 18): results[].memory.id.
    plain = json.loads(node(hub, enrolled, "memory", "search", "postgres", "--json").stdout)
    for answer in (plain, local, cloud_first):
        assert all({"id", "content", "scope"} <= set(hit["memory"]) for hit in answer["results"]), answer


def test_rest_search_takes_a_strategy(hub, enrolled):
    process, url = start_server(enrolled, TMWS_HYBRID_MODE_ENABLED="true")
    try:
        def search(body):
            request = urllib.request.Request(url + "/v1/search", data=json.dumps(body).encode(), method="POST")
            request.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read())
        status, results = search({"query": "postgres", "strategy": "cloud_first"})
        assert status == 200 and results["asked_hub"] and results["results"][0]["source"] == "hub"
        status, problem = search({"query": "postgres", "strategy": "sideways"})
        assert status == 400 and "strategy" in problem["detail"]
    finally:
        stop_server(process)


def test_a_global_memory_written_on_one_node_reaches_the_other_and_no_other_tenant(hub, enrolled):
    second = enroll_node(hub, "acme")
    stranger = enroll_node(hub, "globex")
    try:
        added = node(hub, enrolled, "memory", "add", "release trains leave every second Thursday", "--scope", "GLOBAL")
        memory_id = added.stdout.strip()
        # With hybrid mode off, sync refuses and sends nothing.
        refused = node(hub, enrolled, "sync", "now", check=False)
        assert refused.returncode == 1 and "hybrid mode is off" in refused.stderr
        pushed = json.loads(node(hub, enrolled, "sync", "now", "--json", hybrid=True).stdout)
        assert pushed["pushed"] >= 1 and pushed["pending"] == 0 and pushed.get("problem") is None
        pulled = json.loads(node(hub, second, "sync", "now", "--json", hybrid=True).stdout)
        assert pulled["pulled"] >= 1 and pulled["cursor"].startswith("c1.")
        # Searchable on the second node offline (hybrid mode off: local store only).
        found = json.loads(node(hub, second, "memory", "search", "release trains", "--json").stdout)
        assert [hit["memory"]["id"] for hit in found["results"]] == [memory_id]
        # A second sync pulls nothing new and pushes nothing.
        again = json.loads(node(hub, second, "sync", "now", "--json", hybrid=True).stdout)
        assert again["pulled"] == 0 and again["pushed"] == 0
        status = json.loads(node(hub, second, "sync", "status", "--json").stdout)
        assert status["cursor"] == again["cursor"] and status["pending"] == 0 and status["enrolled"]
        # Offline and paused: writes wait, nothing is sent; back on, they flush in order.
        node(hub, second, "sync", "offline", "on")
        written = node(hub, second, "memory", "add", "written while offline: freeze deploys on Fridays", "--scope", "GLOBAL").stdout.strip()
        blocked = node(hub, second, "sync", "now", hybrid=True, check=False)
        assert blocked.returncode == 1 and "offline mode is on" in blocked.stderr
        assert json.loads(node(hub, second, "sync", "status", "--json").stdout)["pending"] == 1
        node(hub, second, "sync", "offline", "off")
        node(hub, second, "sync", "pause")
        assert "paused" in node(hub, second, "sync", "now", hybrid=True, check=False).stderr
        node(hub, second, "sync", "resume")
        flushed = json.loads(node(hub, second, "sync", "now", "--json", hybrid=True).stdout)
        # Its own change coming back from the hub is not counted as pulled (issue 18).
        assert flushed["pushed"] == 1 and flushed["pulled"] == 0, flushed
        node(hub, enrolled, "sync", "now", hybrid=True)
        found = json.loads(node(hub, enrolled, "memory", "search", "freeze deploys", "--json").stdout)
        assert [hit["memory"]["id"] for hit in found["results"]] == [written]
        # Another tenant's node pulls none of it.
        node(hub, stranger, "sync", "now", hybrid=True)
        assert json.loads(node(hub, stranger, "memory", "search", "release trains", "--json").stdout)["count"] == 0
        # PRIVATE and PROJECT memories never reach the hub.
        node(hub, enrolled, "memory", "add", "project-only note about release trains", "--scope", "PROJECT")
        assert json.loads(node(hub, enrolled, "sync", "now", "--json", hybrid=True).stdout)["pushed"] == 0
    finally:
        shutil.rmtree(second, ignore_errors=True)
        shutil.rmtree(stranger, ignore_errors=True)


def test_the_runtime_role_cannot_break_the_owners_backups(hub):
    # Issue 18: as the runtime role, `SELECT lo_create(0)` made the owner's pg_dump fail.
    made = subprocess.run(["psql", hub["runtime_database_url"], "-At", "-c", "SELECT lo_create(0)"],
                          capture_output=True, text=True, timeout=30)
    assert made.returncode != 0 and "permission denied" in made.stderr
    dump = subprocess.run(["/usr/lib/postgresql/15/bin/pg_dump", hub["database_url"]], capture_output=True, text=True, timeout=120)
    assert dump.returncode == 0, dump.stderr


def test_a_peers_poison_events_are_rejected_one_by_one(hub, tenants):
    # Issue 18: a clock near 2^63, a version at 2^31-1, a date in year one, a 9.45 MB content
    # and a delete of a memory the hub never held each harmed every node of the tenant.
    acme, _ = tenants
    def event(**changes):
        memory = {"tenant_id": "local", "namespace": "p", "scope": "GLOBAL", "content": "Prefer rebase for feature branches",
                  "tags": [], "importance": 0.5, "metadata": {}, "agent_id": "cli",
                  "created_at": "2026-11-30T12:00:00.000Z", "expires_at": None, "classification": None}
        fields = changes.pop("memory", {})
        if fields is not None:
            memory.update(fields)
        base = {"v": 1, "event_id": str(uuid.uuid4()), "operation": "create", "memory_id": str(uuid.uuid4()), "version": 1,
                "hlc": 1 << 20, "device": "laptop", "memory": memory if fields is not None else None}
        base.update(changes)
        return base
    good = event()
    batch = [good, event(hlc=(1 << 63) - 1), event(operation="update", memory_id=good["memory_id"], version=2147483647, base_version=1),
             event(memory={"created_at": "0001-01-01T00:00:00Z"}), event(memory={"content": "x" * 9_450_000}),
             event(operation="delete", version=2, base_version=1, memory=None), {"v": 1, "event_id": str(uuid.uuid4()), "hlc": "soon"}]
    status, pushed = call(hub, "POST", "/v1/sync/push", {"events": batch}, credential=acme["credential"])
    assert status == 200, pushed
    # The delete of a memory the hub never held changes and logs nothing; it is taken (a node
    # that deleted a memory before its create was sent queues the delete alone).
    assert [r["status"] for r in pushed["results"]] == ["applied"] + ["rejected"] * 4 + ["duplicate", "rejected"]
    assert "nothing to delete" in pushed["results"][5]["reason"]
    logged = psql(hub, f"SELECT count(*) FROM tmws.change_log WHERE memory_id = '{batch[5]['memory_id']}'")
    assert logged == "0"
    assert "x" * 40 not in json.dumps(pushed)
    # The memory's next edit is applied: nothing of the batch is stuck.
    edit = event(operation="update", memory_id=good["memory_id"], version=2, base_version=1, hlc=(1 << 20) + 1,
                 base_hlc=1 << 20, base_device="laptop")
    status, pushed = call(hub, "POST", "/v1/sync/push", {"events": [edit]}, credential=acme["credential"])
    assert status == 200 and [r["status"] for r in pushed["results"]] == ["applied"], pushed


def test_an_outgoing_secret_is_quarantined_not_sent(hub, enrolled):
    import sqlite3
    # An event with a secret in the outbox, as an older classifier (or a bug) could have let
    # through: the second check must stop it before it leaves the machine.
    secret = "ghp_" + "R7dXk2mQ9vLp4sTz8WcY1nBf6HjE3uKa0GqV"
    event_id, memory_id = str(uuid.uuid4()), str(uuid.uuid4())
    event = {"v": 1, "event_id": event_id, "operation": "create", "memory_id": memory_id, "version": 1, "hlc": 1 << 20,
             "device": "node-a", "memory": {"tenant_id": "local", "namespace": "p", "scope": "GLOBAL",
                                            "content": "the deploy token is " + secret, "tags": [], "importance": 0.5,
                                            "metadata": {}, "agent_id": "cli", "created_at": "2026-11-30T12:00:00.000Z",
                                            "expires_at": None, "classification": None}}
    with sqlite3.connect(os.path.join(enrolled, "tmws.db")) as db:
        db.execute("INSERT INTO outbox(event_id, memory_id, operation, version, hlc, payload, created_at) VALUES (?, ?, 'create', 1, ?, ?, 0)",
                   (event_id, memory_id, 1 << 20, json.dumps(event)))
    result = node(hub, enrolled, "sync", "now", "--json", hybrid=True)
    summary = json.loads(result.stdout)
    assert summary["quarantined"] == 1 and summary["pending"] == 0
    assert secret not in result.stdout + result.stderr
    listed = node(hub, enrolled, "sync", "quarantine", "--json")
    quarantine = json.loads(listed.stdout)
    assert [e["event_id"] for e in quarantine["events"]] == [event_id]
    assert "github" in ",".join(quarantine["events"][0]["finding_types"]).lower() or quarantine["events"][0]["finding_types"]
    assert secret not in listed.stdout
    assert psql(hub, f"SELECT count(*) FROM tmws.change_log WHERE event_id = '{event_id}'") == "0"


def test_serve_syncs_by_itself_after_a_write(hub, tenants):
    home = enroll_node(hub, "acme")
    process, url = start_server(home, TMWS_HYBRID_MODE_ENABLED="true", TMWS_SYNC_INTERVAL_S="1")
    try:
        request = urllib.request.Request(url + "/v1/memories", method="POST", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"content": "served nodes sync on their own: canary first",
                                                          "scope": "GLOBAL"}).encode())
        with urllib.request.urlopen(request, timeout=10) as response:
            memory_id = json.loads(response.read())["id"]
        deadline = time.time() + 20
        while time.time() < deadline:
            if psql(hub, f"SELECT count(*) FROM tmws.change_log WHERE memory_id = '{memory_id}'") == "1":
                break
            time.sleep(0.5)
        assert psql(hub, f"SELECT count(*) FROM tmws.change_log WHERE memory_id = '{memory_id}'") == "1"
    finally:
        stop_server(process)
        shutil.rmtree(home, ignore_errors=True)


def counting_listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    return server


def connections(server):
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except socket.timeout:
            return count
        count += 1
        connection.close()


def test_with_hybrid_mode_off_the_node_opens_no_connection(hub, enrolled):
    listener = counting_listener()
    try:
        cloud = os.path.join(enrolled, "cloud.json")
        with open(cloud) as file:
            saved = json.load(file)
        moved = dict(saved, hub_url="https://127.0.0.1:%d" % listener.getsockname()[1])
        with open(cloud, "w") as file:
            json.dump(moved, file)
        node(hub, enrolled, "memory", "search", "postgres", "--strategy", "cloud_first")
        node(hub, enrolled, "cloud", "status")
        assert connections(listener) == 0
        # With hybrid mode on, the same search tries the (now silent) hub, falls back within the
        # time budget, and says so.
        started = time.time()
        result = node(hub, enrolled, "memory", "search", "postgres", "--strategy", "hybrid", "--json", hybrid=True)
        assert time.time() - started < 10
        assert json.loads(result.stdout)["fell_back"] is True and "local results only" in result.stderr
        assert connections(listener) >= 1
        with open(cloud, "w") as file:
            json.dump(saved, file)
    finally:
        listener.close()


def test_shutdown_stops_the_hub_and_postgres(hub, tenants):
    process = hub["process"]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, hub_log(hub)
    deadline = time.time() + 10
    while os.path.exists(os.path.join(hub["directory"], "pgdata", "postmaster.pid")) and time.time() < deadline:
        time.sleep(0.2)
    assert not os.path.exists(os.path.join(hub["directory"], "pgdata", "postmaster.pid"))
