"""Staged rollout and rollback drills against `tmws hub dev`: the canary bucket is the same in
every process (and equals an independent SHA-256 computation), `tmws hub rollout` changes who
syncs, a rolled-back node stays local-only without losing anything, and `restore` flushes what
waited."""
import hashlib
import json
import subprocess
import uuid

import pytest

from hubtools import BINARY, admin, enroll_node, node, psql, start_hub, stop_hub


@pytest.fixture(scope="module")
def hub():
    info = start_hub()
    yield info
    stop_hub(info)


def rollout(hub, *arguments):
    result = subprocess.run([BINARY, "hub", "rollout", *arguments, "--database-url", hub["database_url"], "--json"],
                            env=hub["env"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def buckets(ids):
    result = subprocess.run([BINARY, "hub", "rollout", "bucket", "--stdin", "--json"], input="\n".join(ids) + "\n",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_canary_of_ten_thousand_users_is_the_same_in_two_processes_and_near_the_percentage():
    # Fixed ids, so the share is a fact of the rule and not of a random draw.
    ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"tmws-user-{i}")) for i in range(10_000)]
    first, second = buckets(ids), buckets(ids)
    assert first == second
    assert [entry["user"] for entry in first] == ids
    # The same as SHA-256 of the id, as an integer, mod 100, computed here independently.
    assert [entry["bucket"] for entry in first] == [int(hashlib.sha256(i.encode()).hexdigest(), 16) % 100 for i in ids]
    for percent in (10, 50):
        share = sum(1 for entry in first if entry["bucket"] < percent) / 100
        assert abs(share - percent) <= 1, (percent, share)


@pytest.fixture(scope="module")
def tenant(hub):
    admin(hub, "create-tenant", "rollout-co")
    for user in ("ann", "bob"):
        admin(hub, "create-user", "--tenant", "rollout-co", user)
    return {user: enroll_node(hub, "rollout-co", user) for user in ("ann", "bob")}


def sync(hub, home, check=True):
    return node(hub, home, "sync", "now", "--json", hybrid=True, check=check)


def write(hub, home, text):
    node(hub, home, "memory", "add", text, "--scope", "GLOBAL", hybrid=True)


def pending(hub, home):
    return json.loads(node(hub, home, "sync", "status", "--json", hybrid=True).stdout)["pending"]


def test_rollback_all_makes_every_node_local_only_and_restore_flushes_what_waited(hub, tenant):
    status = rollout(hub, "status", "--tenant", "rollout-co")
    assert status["percent"] == 100 and status["enabled_users"] == 2
    write(hub, tenant["ann"], "first note before the rollback")
    assert json.loads(sync(hub, tenant["ann"]).stdout)["pushed"] == 1

    assert rollout(hub, "rollback-all", "--tenant", "rollout-co")["rollback_all"] is True
    for text in ("written while rolled back, one", "written while rolled back, two"):
        write(hub, tenant["ann"], text)
    refused = sync(hub, tenant["ann"], check=False)
    assert refused.returncode != 0 and "local-only" in refused.stderr and "everyone rolled back" in refused.stderr
    assert pending(hub, tenant["ann"]) == 2
    # Nothing of it reached the hub, and searches stay local.
    assert psql(hub, "SELECT count(*) FROM tmws.change_log WHERE payload::text LIKE '%while rolled back%'") == "0"
    refused = sync(hub, tenant["bob"], check=False)
    assert refused.returncode != 0 and "local-only" in refused.stderr

    assert rollout(hub, "restore", "--tenant", "rollout-co")["rollback_all"] is False
    assert json.loads(sync(hub, tenant["ann"]).stdout)["pushed"] == 2
    assert pending(hub, tenant["ann"]) == 0
    pulled = json.loads(sync(hub, tenant["bob"]).stdout)
    assert pulled["pulled"] >= 3
    actions = psql(hub, "SELECT string_agg(action, ',' ORDER BY seq) FROM tmws.audit_log WHERE action LIKE 'rollout-%'")
    assert actions == "rollout-rollback-all,rollout-restore"


def test_a_bucket_is_of_the_users_id_whether_named_by_id_or_name(hub, tenant):
    # Issue 18: `bucket ann` hashed the name, while every other rollout command takes names.
    user_id = json.loads(node(hub, tenant["ann"], "cloud", "status", "--json").stdout)["identity"]["user_id"]
    named = rollout(hub, "bucket", "ann", "--tenant", "rollout-co")
    assert named == {"user": user_id, "name": "ann", "bucket": int(hashlib.sha256(user_id.encode()).hexdigest(), 16) % 100}
    assert buckets([user_id]) == [{"user": user_id, "bucket": named["bucket"]}]
    result = subprocess.run([BINARY, "hub", "rollout", "bucket", "ann"], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "--tenant" in result.stderr


def test_a_user_rollback_the_canary_and_beta_users(hub, tenant):
    rollout(hub, "rollback", "bob", "--tenant", "rollout-co")
    write(hub, tenant["bob"], "bob's note while he is rolled back")
    refused = sync(hub, tenant["bob"], check=False)
    assert refused.returncode != 0 and "this user rolled back" in refused.stderr
    sync(hub, tenant["ann"])  # ann is not affected
    rollout(hub, "restore", "--tenant", "rollout-co")
    assert json.loads(sync(hub, tenant["bob"]).stdout)["pushed"] == 1

    # A canary of 0 %: nobody but beta users.
    status = rollout(hub, "set-percent", "0", "--tenant", "rollout-co")
    assert status["percent"] == 0 and status["enabled_users"] == 0
    refused = sync(hub, tenant["ann"], check=False)
    assert refused.returncode != 0 and "canary bucket" in refused.stderr
    status = rollout(hub, "beta", "add", "ann", "--tenant", "rollout-co")
    assert status["beta"] == ["ann"] and status["enabled_users"] == 1
    sync(hub, tenant["ann"])
    rollout(hub, "beta", "remove", "ann", "--tenant", "rollout-co")
    status = rollout(hub, "set", "--percent", "100", "--sync-interval", "120", "--tenant", "rollout-co")
    assert status["enabled_users"] == 2 and status["sync_interval_s"] == 120
    # Bad values change nothing.
    bad = subprocess.run([BINARY, "hub", "rollout", "set-percent", "101", "--tenant", "rollout-co", "--database-url", hub["database_url"]],
                         env=hub["env"], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "0 to 100" in bad.stderr
    assert rollout(hub, "status", "--tenant", "rollout-co")["percent"] == 100
