"""End-to-end encryption of SHARED memories against `tmws hub dev` (real PostgreSQL, real
HTTPS): teams made and changed by nodes, memories exchanged through the hub, and what the hub
and its database hold (no plaintext), what an outsider and a removed member get (nothing
readable), and what a tampering database or a forged membership entry achieves (refusal)."""
import base64
import json
import os
import subprocess
import tempfile
import time
import random
import uuid

import pytest

from hubtools import BINARY, admin, enroll_node, node, psql, start_hub, stop_hub

PG_DUMP = "/usr/lib/postgresql/15/bin/pg_dump"


def marker(word):
    """A word no other memory holds, plain enough for the classifier (no high-entropy token)."""
    return f"{word}{random.randint(100000, 999999)}quokka"


@pytest.fixture(scope="module")
def hub():
    info = start_hub()
    yield info
    stop_hub(info)


@pytest.fixture(scope="module")
def people(hub):
    admin(hub, "create-tenant", "shared-co")
    for user in ("ann", "bob", "carol", "dave"):
        admin(hub, "create-user", "--tenant", "shared-co", user)
    homes = {user: enroll_node(hub, "shared-co", user) for user in ("ann", "bob", "carol", "dave")}
    return homes


def tmws(hub, home, *arguments, check=True):
    return node(hub, home, *arguments, hybrid=True, check=check)


def tmws_json(hub, home, *arguments):
    return json.loads(tmws(hub, home, *arguments, "--json").stdout)


def sync(hub, home, env_extra=None):
    """`tmws sync now --json`; it exits 1 exactly when something was refused."""
    result = node(hub, home, "sync", "now", "--json", hybrid=True, check=False, env_extra=env_extra)
    summary = json.loads(result.stdout)
    assert result.returncode == (1 if summary["refused"] or summary["pulled_refused"] else 0), result.stderr
    return summary


def fingerprint(hub, home):
    """What the member's device shows, to be compared by the admin (`tmws keys export-public`)."""
    return tmws_json(hub, home, "keys", "export-public")["fingerprint"]


def invite(hub, home, team):
    """`tmws team invite TEAM --json` on an admin's device: {"code", "team"}."""
    return tmws_json(hub, home, "team", "invite", team)


def listed(hub, home):
    """`tmws team list --json` as (id, name, role, confirmed, conflicts_with) rows (a
    conflicts_with that is not set may be left out)."""
    return [(t["id"], t["name"], t["role"], t["confirmed"], t.get("conflicts_with"))
            for t in tmws_json(hub, home, "team", "list")["teams"]]


def join(hub, home, code, team):
    """`tmws team join CODE` on a member's device: the name now stands for the team there."""
    joined = tmws_json(hub, home, "team", "join", code)
    assert joined["id"] == team
    return joined


def found(hub, home, text):
    hits = tmws_json(hub, home, "memory", "search", text)
    return [(hit.get("memory") or hit)["content"] for hit in hits["results"]]


def dump(hub):
    result = subprocess.run([PG_DUMP, hub["database_url"]], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def team(hub, people):
    created = tmws_json(hub, people["ann"], "team", "create", "core")
    assert created["epoch"] == 1 and [m["name"] for m in created["members"]] == ["ann"]
    # Without a fingerprint to compare, nothing is added: the keys come from the hub.
    unchecked = tmws(hub, people["ann"], "team", "add-member", "core", "bob", check=False)
    assert unchecked.returncode != 0 and "fingerprint" in unchecked.stderr
    wrong = tmws(hub, people["ann"], "team", "add-member", "core", "bob", "--fingerprint", "0000 1111", check=False)
    assert wrong.returncode != 0 and "no offered device has that fingerprint" in wrong.stderr
    added = tmws_json(hub, people["ann"], "team", "add-member", "core", "bob", "--fingerprint", fingerprint(hub, people["bob"]))
    assert {m["name"] for m in added["members"]} == {"ann", "bob"}
    tmws_json(hub, people["ann"], "team", "add-member", "core", "dave", "--fingerprint", fingerprint(hub, people["dave"]))
    # The hub lists the team to its members, but its name stands for it on a member's device
    # only once that device joins with the code an admin gives out of band.
    for user in ("bob", "dave"):
        assert listed(hub, people[user]) == [(created["id"], "core", "member", False, None)]
    refused = tmws(hub, people["bob"], "memory", "add", "before joining", "--team", "core", check=False)
    assert refused.returncode != 0 and "not confirmed on this device" in refused.stderr and "tmws team join" in refused.stderr
    code = invite(hub, people["ann"], "core")
    assert code["team"] == created["id"] and code["code"].startswith("tmws-team-1:" + created["id"] + ":")
    for user in ("bob", "dave"):
        join(hub, people[user], code["code"], created["id"])
        # Every member's node knows its team (and so the default team) once it joined.
        assert listed(hub, people[user]) == [(created["id"], "core", "member", True, None)]
    return created["id"]


def test_two_members_exchange_a_shared_memory_and_the_hub_holds_no_plaintext(hub, people, team):
    word = marker("Marker")
    stored = tmws_json(hub, people["ann"], "memory", "add", f"the release train leaves at noon {word}",
                       "--team", "core", "--tag", "tag-" + word, "--metadata", json.dumps({"note": "meta-" + word}))
    assert stored["scope"] == "SHARED" and stored["team"] == team
    # Naming the team is choosing SHARED: no "the classifier suggested …" warning (issue 18).
    assert not any("classifier suggested" in w for w in stored["classification"]["warnings"]), stored["classification"]
    assert sync(hub, people["ann"])["pushed"] == 1
    assert sync(hub, people["bob"])["pulled"] >= 1
    assert found(hub, people["bob"], word) == [f"the release train leaves at noon {word}"]
    got = tmws_json(hub, people["bob"], "memory", "get", stored["id"])
    assert got["tags"] == ["tag-" + word] and got["metadata"] == {"note": "meta-" + word} and got["team"] == team

    # A node of the same tenant outside the team: nothing in sync, nothing in search.
    carol = sync(hub, people["carol"])
    assert carol.get("problem") is None
    assert found(hub, people["carol"], word) == []
    assert tmws(hub, people["carol"], "memory", "get", stored["id"], check=False).returncode != 0

    # The hub's database holds the ciphertext only: no marker anywhere in a full dump.
    text = dump(hub)
    assert stored["id"] in text  # the row is there...
    assert word not in text  # ...but not its content, tags or metadata
    assert "release train" not in text

    # An edit travels sealed too, and a delete (signed, so only a member can make one).
    tmws(hub, people["bob"], "memory", "update", stored["id"], "--content", f"the release train leaves at one {word}")
    sync(hub, people["bob"])
    sync(hub, people["ann"])
    assert found(hub, people["ann"], word) == [f"the release train leaves at one {word}"]
    assert word not in dump(hub)


def test_a_removed_member_reads_nothing_new_and_the_others_read_old_and_new(hub, people, team):
    old = marker("Old")
    tmws(hub, people["ann"], "memory", "add", f"before the change {old}", "--team", "core")
    sync(hub, people["ann"])
    sync(hub, people["bob"])
    assert found(hub, people["bob"], old)

    removed = tmws_json(hub, people["ann"], "team", "remove-member", "core", "bob")
    assert removed["epoch"] == 2 and {m["name"] for m in removed["members"]} == {"ann", "dave"}
    new = marker("New")
    tmws(hub, people["ann"], "memory", "add", f"after the change {new}", "--team", "core")
    sync(hub, people["ann"])

    # The removed member's node: no new memory, no team, no key for the new epoch.
    sync(hub, people["bob"])
    assert found(hub, people["bob"], new) == []
    shown = tmws(hub, people["bob"], "team", "show", team, check=False)
    assert shown.returncode != 0 and "not a member" in shown.stderr
    # What it already held stays with it: that cannot be taken back.
    assert found(hub, people["bob"], old)

    # A remaining member who joined in epoch 1 reads both (epoch 1 through the key chain).
    sync(hub, people["dave"])
    assert found(hub, people["dave"], old) and found(hub, people["dave"], new)
    # The new epoch's key was wrapped to ann and dave only.
    devices = psql(hub, f"SELECT count(*) FROM tmws.team_keys WHERE team_id = '{team}' AND epoch = 2")
    assert devices == "2"


def test_tampered_or_swapped_ciphertext_is_refused_by_every_reader(hub, people, team):
    first, second = marker("Swapfirst"), marker("Swapsecond")
    a = tmws_json(hub, people["ann"], "memory", "add", f"first {first}", "--team", "core")
    b = tmws_json(hub, people["ann"], "memory", "add", f"second {second}", "--team", "core")
    c = tmws_json(hub, people["ann"], "memory", "add", "third, to be tampered with", "--team", "core")
    d = tmws_json(hub, people["ann"], "memory", "add", "fourth, its signature replaced", "--team", "core")
    e = tmws_json(hub, people["ann"], "memory", "add", "fifth, its header edited", "--team", "core")
    sync(hub, people["ann"])
    # The database (or anyone holding it) moves A's sealed fields into B's change, and flips
    # a byte of C's ciphertext, before any other member pulls them.
    psql(hub, f"""UPDATE tmws.change_log SET payload = jsonb_set(payload, '{{sealed}}',
                  (SELECT payload->'sealed' FROM tmws.change_log WHERE memory_id = '{a["id"]}'))
                  WHERE memory_id = '{b["id"]}'""")
    def edit(memory_id, field, index):
        sealed = json.loads(psql(hub, f"SELECT payload->'sealed' FROM tmws.change_log WHERE memory_id = '{memory_id}'"))
        raw = bytearray(base64.b64decode(sealed[field]))
        raw[index] ^= 1
        psql(hub, f"""UPDATE tmws.change_log SET payload = jsonb_set(payload, '{{sealed,{field}}}',
                      to_jsonb('{base64.b64encode(bytes(raw)).decode()}'::text)) WHERE memory_id = '{memory_id}'""")
    edit(c["id"], "ciphertext", 20)
    edit(d["id"], "signature", 10)
    edit(e["id"], "header", 60)  # inside the version field
    before = tmws_json(hub, people["dave"], "sync", "status")
    sync(hub, people["dave"])
    assert found(hub, people["dave"], first) == [f"first {first}"]
    assert found(hub, people["dave"], second) == []
    for tampered in (c, d, e):
        assert tmws(hub, people["dave"], "memory", "get", tampered["id"], check=False).returncode != 0
    after = tmws_json(hub, people["dave"], "sync", "status")
    assert after["sealed_refused"] == (before.get("sealed_refused") or 0) + 4
    assert after["last_sealed_refusal"] and "fourth" not in after["last_sealed_refusal"]


def test_a_forged_membership_entry_is_rejected_by_clients(hub, people):
    # A team of its own (the forged entry stays in its log for good).
    team = tmws_json(hub, people["ann"], "team", "create", "forgery-" + uuid.uuid4().hex[:8])["id"]
    # The database appends an entry that adds a device of its own to the team.
    last = json.loads(psql(hub, f"SELECT entry FROM tmws.team_log WHERE team_id = '{team}' ORDER BY seq DESC LIMIT 1"))
    seq = int(psql(hub, f"SELECT max(seq) FROM tmws.team_log WHERE team_id = '{team}'")) + 1
    forged = dict(last, seq=seq, action="add", user_name="mallory", role="member", key_commitment=None,
                  devices=[{"id": str(uuid.uuid4()), "name": "hub", "agreement_key": last["devices"][0]["agreement_key"] if last["devices"] else
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "signing_key": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}])
    psql(hub, f"""INSERT INTO tmws.team_log (tenant_id, team_id, seq, entry, hash)
                  SELECT tenant_id, team_id, {seq}, '{json.dumps(forged)}', 'forged' FROM tmws.teams WHERE team_id = '{team}'""")
    shown = tmws(hub, people["ann"], "team", "show", team, check=False)
    assert shown.returncode != 0 and "membership log is not valid" in shown.stderr
    # Nothing is wrapped to anyone while the log does not verify.
    added = tmws(hub, people["ann"], "team", "add-member", team, "carol", check=False)
    assert added.returncode != 0 and "membership log is not valid" in added.stderr


def test_a_device_enrolled_later_reads_the_team_once_an_admin_adds_it(hub, people, team):
    word = marker("Later")
    tmws(hub, people["ann"], "memory", "add", f"written before dave's second device {word}", "--team", "core")
    sync(hub, people["ann"])
    # Dave enrolls another device: his user is a member, so the hub serves the team's changes,
    # but no team key was wrapped to this device yet. They wait instead of being lost.
    second = enroll_node(hub, "shared-co", "dave")
    waiting = sync(hub, second)
    assert found(hub, second, word) == []
    assert waiting["sealed_waiting"] >= 1 and "no key for their team" in waiting["sealed_waiting_reason"]
    # In text mode, add-member says what to run on the member's devices.
    added = tmws(hub, people["ann"], "team", "add-member", "core", "dave", "--fingerprint", fingerprint(hub, second)).stdout
    line = next(line for line in added.splitlines() if line.startswith("on each of their devices: tmws team join "))
    join(hub, second, line.rsplit(" ", 1)[1], team)
    sync(hub, second)
    assert found(hub, second, word) == [f"written before dave's second device {word}"]

    # The device is lost: revoking it alone starts a new epoch without it; dave stays.
    device = tmws_json(hub, second, "cloud", "status")["identity"]["device_id"]
    revoked = tmws_json(hub, people["ann"], "team", "remove-member", "core", "dave", "--device", device)
    dave = next(m for m in revoked["members"] if m["name"] == "dave")
    assert device not in [d["id"] for d in dave["devices"]] and dave["devices"]
    after = marker("Afterrevoke")
    tmws(hub, people["ann"], "memory", "add", f"after the laptop was lost {after}", "--team", "core")
    sync(hub, people["ann"])
    sync(hub, second)
    sync(hub, people["dave"])
    assert found(hub, second, after) == []
    assert found(hub, people["dave"], after) == [f"after the laptop was lost {after}"]
    # Dave is still a member, but the revoked device's writes are refused by the hub.
    tmws(hub, second, "memory", "add", "from the lost laptop", "--team", "core")
    pushed = sync(hub, second)
    assert pushed["pushed"] == 0 and pushed["refused"] == 1
    assert any("not a device of team" in reason for reason in pushed["refusals"])


def test_locked_keys_say_what_waits_and_why(hub, people, team):
    # Issue 18 (dave: bob left the team above): without the passphrase a teammate's memory waited unopened while sync said
    # "pushed 0, pulled 0", and the author's node blamed a missing team key.
    word = marker("Locked")
    tmws(hub, people["ann"], "memory", "add", f"the staging freeze starts friday {word}", "--team", "core")
    sync(hub, people["ann"])
    locked = {"TMWS_KEY_PASSPHRASE": ""}
    summary = sync(hub, people["dave"], env_extra=locked)
    assert summary["sealed_waiting"] >= 1 and "locked" in summary["sealed_waiting_reason"], summary
    text = node(hub, people["dave"], "sync", "now", hybrid=True, check=False, env_extra=locked)
    assert "wait unopened" in text.stderr and "TMWS_KEY_PASSPHRASE" in text.stderr
    status = json.loads(node(hub, people["dave"], "sync", "status", "--json", env_extra=locked).stdout)
    assert status["sealed_waiting"] >= 1 and "locked" in status["sealed_waiting_reason"]
    # With the key provider back, the change opens.
    assert sync(hub, people["dave"])["sealed_waiting"] == 0
    assert found(hub, people["dave"], word) == [f"the staging freeze starts friday {word}"]
    # The author's node, locked, says the keys are locked, not that a team key is missing.
    tmws(hub, people["ann"], "memory", "add", f"and ends monday {word}", "--team", "core")
    pushed = node(hub, people["ann"], "sync", "now", hybrid=True, check=False, env_extra=locked)
    assert pushed.returncode != 0 and "key provider" in pushed.stderr and "holds no key" not in pushed.stderr, pushed.stderr
    sync(hub, people["ann"])


def test_a_member_of_another_team_reads_nothing_of_this_one(hub, people, team):
    word = marker("Otherteam")
    tmws(hub, people["ann"], "memory", "add", f"core team only {word}", "--team", "core")
    sync(hub, people["ann"])
    other = tmws_json(hub, people["carol"], "team", "create", "ops")
    assert other["id"] != team
    sync(hub, people["carol"])
    assert found(hub, people["carol"], word) == []
    # Nor can carol's device fetch core's keys.
    shown = tmws(hub, people["carol"], "team", "show", team, check=False)
    assert shown.returncode != 0


def test_a_rotated_device_key_keeps_reading_and_writing(hub, people, team):
    before = tmws_json(hub, people["dave"], "keys", "status")
    assert before["exists"] and before["provider"] == "passphrase"
    rotated = tmws_json(hub, people["dave"], "keys", "rotate-device")
    after = tmws_json(hub, people["dave"], "keys", "export-public")
    assert rotated["fingerprint"] == after["fingerprint"] != before["fingerprint"]
    # Dave is a member, not an admin: his rotation kept the epoch, and says an admin re-keys.
    assert rotated["rekey_needed"] == [team]
    epoch = tmws_json(hub, people["ann"], "team", "show", "core")["epoch"]
    rekeyed = tmws_json(hub, people["ann"], "team", "rekey", "core")
    assert rekeyed["epoch"] == epoch + 1
    members = {m["name"]: m for m in tmws_json(hub, people["ann"], "team", "show", "core")["members"]}
    assert after["fingerprint"] in [d["fingerprint"] for d in members["dave"]["devices"]]
    # Dave's new key signs; ann accepts it. Ann's new memory opens with dave's new key.
    word = marker("Rotated")
    tmws(hub, people["dave"], "memory", "add", f"written after the rotation {word}", "--team", "core")
    sync(hub, people["dave"])
    sync(hub, people["ann"])
    assert found(hub, people["ann"], word) == [f"written after the rotation {word}"]
    reply = marker("Reply")
    tmws(hub, people["ann"], "memory", "add", f"answered {reply}", "--team", "core")
    sync(hub, people["ann"])
    sync(hub, people["dave"])
    assert found(hub, people["dave"], reply) == [f"answered {reply}"]
    # The key file never holds a private key in clear.
    text = open(os.path.join(people["dave"], "keys", "device.json")).read()
    assert '"private_keys"' in text and oct(os.stat(os.path.join(people["dave"], "keys", "device.json")).st_mode & 0o777) == "0o600"
