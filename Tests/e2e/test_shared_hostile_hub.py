"""SHARED memories against a hub that lies (`tmws hub dev`, real PostgreSQL, real HTTPS): the
tests play the attacker through direct writes to the hub's database, as anyone holding it
could, and check what the nodes do. A hub that lists another team under a team's name gets
no write for it (a name stands for the team the device confirmed, by creating it or joining
with an invite code); a hub that holds back a removal from a member gets no write sealed
under the old key once a member has been seen writing under the newer one."""
import uuid

import pytest

from hubtools import admin, enroll_node, psql, start_hub, stop_hub
from test_shared import fingerprint, invite, join, listed, marker, sync, tmws, tmws_json


@pytest.fixture(scope="module")
def hub():
    info = start_hub()
    yield info
    stop_hub(info)


@pytest.fixture
def people(hub):
    """Ann, bob, carol and mallory, one device each, in a tenant of the test's own (what one
    test leaves queued or doctored stays out of the next)."""
    tenant = "hostile-" + uuid.uuid4().hex[:8]
    admin(hub, "create-tenant", tenant)
    users = ("ann", "bob", "carol", "mallory")
    for user in users:
        admin(hub, "create-user", "--tenant", tenant, user)
    homes = {user: enroll_node(hub, tenant, user) for user in users}
    homes["tenant"] = tenant
    return homes


def user_id(hub, home):
    return tmws_json(hub, home, "cloud", "status")["identity"]["user_id"]


def hub_rows(hub, table, memory_id):
    """The team ids of the hub's rows of `table` for a memory (ids only: nothing readable)."""
    text = psql(hub, f"SELECT coalesce(team_id::text, '') FROM tmws.{table} WHERE memory_id = '{memory_id}'")
    return text.splitlines() if text else []


def substitute(hub, people):
    """Ann's team, joined by bob; mallory's team (she stands in for keys the hub controls),
    with bob's devices added on the hub's word; then the database lists mallory's team to
    bob under the real team's name (moving the real one out of the way of the unique name)
    and hides the real team from him. Returns the name, the real team's id and mallory's."""
    name = "alpha-" + uuid.uuid4().hex[:6]
    real = tmws_json(hub, people["ann"], "team", "create", name)["id"]
    tmws_json(hub, people["ann"], "team", "add-member", name, "bob", "--fingerprint", fingerprint(hub, people["bob"]))
    join(hub, people["bob"], invite(hub, people["ann"], name)["code"], real)
    fake = tmws_json(hub, people["mallory"], "team", "create", "mallory-" + uuid.uuid4().hex[:6])["id"]
    tmws_json(hub, people["mallory"], "team", "add-member", fake, "bob", "--trust-hub-keys")
    assert fake != real
    bob = user_id(hub, people["bob"])
    psql(hub, f"""UPDATE tmws.teams SET name = 'hidden-{name}' WHERE team_id = '{real}';
                  UPDATE tmws.teams SET name = '{name}' WHERE team_id = '{fake}';
                  UPDATE tmws.team_members SET removed_at = now() WHERE team_id = '{real}' AND user_id = '{bob}'""")
    return name, real, fake


def test_a_team_the_hub_substitutes_under_a_confirmed_name_gets_no_write(hub, people):
    name, real, fake = substitute(hub, people)

    # Bob's device flags the team the hub lists under the name: not the one it confirmed.
    assert listed(hub, people["bob"]) == [(fake, name, "member", False, real)]

    # A write to the name is for the team bob's device confirmed, whatever the hub lists.
    word = marker("Substituted")
    stored = tmws_json(hub, people["bob"], "memory", "add", f"the vault moves tonight {word}", "--team", name)
    assert stored["scope"] == "SHARED" and stored["team"] == real
    # So is a SHARED write that names no team: the default is the one team confirmed here.
    default = tmws_json(hub, people["bob"], "memory", "add", f"the vault keys are with ann {word}", "--scope", "SHARED")
    assert default["scope"] == "SHARED" and default["team"] == real
    summary = sync(hub, people["bob"])
    # The hub hides the real team from bob, so nothing can be sealed to it: refused here,
    # and certainly not sent to mallory's team.
    assert summary["pushed"] == 0 and summary["refused"] == 2, summary
    # Refused by bob's node, before sending: it cannot fetch the real team's log to seal to it.
    assert all("no such team, or this device's user is not a member" in reason for reason in summary["refusals"]), summary["refusals"]
    for memory in (stored, default):
        assert all(team == real for team in hub_rows(hub, "memories", memory["id"]))
        assert all(team == real for team in hub_rows(hub, "change_log", memory["id"]))
        assert psql(hub, f"""SELECT count(*) FROM tmws.memories WHERE team_id = '{fake}' AND memory_id = '{memory["id"]}'""") == "0"
        assert psql(hub, f"""SELECT count(*) FROM tmws.change_log WHERE team_id = '{fake}'
                             AND (memory_id = '{memory["id"]}' OR payload::text LIKE '%{memory["id"]}%')""") == "0"


def test_a_new_device_takes_no_team_name_from_the_hubs_list(hub, people):
    name, real, fake = substitute(hub, people)
    # A new device of bob's, enrolled while the hub lists mallory's team under the name, and
    # added to it on the hub's word; it never joined anything. The name stands for no team
    # there, so a write to it is refused, and the hub's list is not shown as confirmed.
    fresh = enroll_node(hub, people["tenant"], "bob")
    tmws_json(hub, people["mallory"], "team", "add-member", fake, "bob", "--trust-hub-keys")
    refused = tmws(hub, fresh, "memory", "add", "from the new laptop", "--team", name, check=False)
    assert refused.returncode != 0 and "not confirmed" in refused.stderr, refused.stderr
    assert listed(hub, fresh) == [(fake, name, "member", False, None)]


def test_a_removal_the_hub_holds_back_stops_writes_sealed_under_the_old_key(hub, people):
    name = "core-" + uuid.uuid4().hex[:6]
    team = tmws_json(hub, people["ann"], "team", "create", name)["id"]
    for user in ("bob", "carol"):
        tmws_json(hub, people["ann"], "team", "add-member", name, user, "--fingerprint", fingerprint(hub, people[user]))
    code = invite(hub, people["ann"], name)["code"]
    for user in ("bob", "carol"):
        join(hub, people[user], code, team)
    # Bob's node pins the log as it is now (epoch 1).
    sync(hub, people["bob"])

    removed = tmws_json(hub, people["ann"], "team", "remove-member", name, "carol")
    assert removed["epoch"] == 2
    # Ann writes under epoch 2 before the hub starts lying (her node has seen the removal).
    word = marker("Heldback")
    ann = tmws_json(hub, people["ann"], "memory", "add", f"the new door code is on the wiki {word}", "--team", name)
    assert sync(hub, people["ann"])["pushed"] == 1
    assert psql(hub, f"SELECT key_epoch FROM tmws.memories WHERE memory_id = '{ann['id']}'") == "2"

    # The database hides the removal from bob: the log ends before it, the team is back at
    # epoch 1, and epoch 2's keys and link are gone (kept aside to be put back).
    seq = psql(hub, f"SELECT max(seq) FROM tmws.team_log WHERE team_id = '{team}'")
    psql(hub, f"""ALTER TABLE tmws.team_log DISABLE TRIGGER team_log_no_update;
                  ALTER TABLE tmws.teams DISABLE TRIGGER teams_epoch_forward;
                  CREATE TABLE public.held_log AS SELECT * FROM tmws.team_log WHERE team_id = '{team}' AND seq = {seq};
                  CREATE TABLE public.held_keys AS SELECT * FROM tmws.team_keys WHERE team_id = '{team}' AND epoch = 2;
                  CREATE TABLE public.held_epochs AS SELECT * FROM tmws.team_epochs WHERE team_id = '{team}' AND epoch = 2;
                  DELETE FROM tmws.team_log WHERE team_id = '{team}' AND seq = {seq};
                  DELETE FROM tmws.team_keys WHERE team_id = '{team}' AND epoch = 2;
                  DELETE FROM tmws.team_epochs WHERE team_id = '{team}' AND epoch = 2;
                  UPDATE tmws.teams SET epoch = 1 WHERE team_id = '{team}';
                  ALTER TABLE tmws.teams ENABLE TRIGGER teams_epoch_forward;
                  ALTER TABLE tmws.team_log ENABLE TRIGGER team_log_no_update""")
    shown = tmws_json(hub, people["bob"], "team", "show", name)
    assert shown["epoch"] == 1 and "carol" in [m["name"] for m in shown["members"]]

    # Bob pulls ann's change: signed by a member under epoch 2, it waits unopened, and bob's
    # node now knows the log it is served is behind.
    pulled = sync(hub, people["bob"])
    assert pulled["sealed_waiting"] >= 1, pulled

    # Bob's write is not sealed under epoch 1's key (which carol holds): refused, kept.
    mine = tmws_json(hub, people["bob"], "memory", "add", f"and the alarm code too {word}", "--team", name)
    refused = sync(hub, people["bob"])
    assert refused["pushed"] == 0 and refused["refused"] == 1, refused
    assert any("serves this device its log only to epoch 1" in reason for reason in refused["refusals"]), refused["refusals"]
    assert hub_rows(hub, "change_log", mine["id"]) == [] and hub_rows(hub, "memories", mine["id"]) == []
    # Still refused on the next try while the hub serves the old log.
    again = sync(hub, people["bob"])
    assert again["pushed"] == 0 and again["refused"] == 1, again
    assert hub_rows(hub, "change_log", mine["id"]) == []

    # The database serves the whole log again: bob's change goes out, under epoch 2.
    psql(hub, f"""ALTER TABLE tmws.team_log DISABLE TRIGGER team_log_no_update;
                  INSERT INTO tmws.team_log SELECT * FROM public.held_log;
                  INSERT INTO tmws.team_keys SELECT * FROM public.held_keys;
                  INSERT INTO tmws.team_epochs SELECT * FROM public.held_epochs;
                  UPDATE tmws.teams SET epoch = 2 WHERE team_id = '{team}';
                  DROP TABLE public.held_log, public.held_keys, public.held_epochs;
                  ALTER TABLE tmws.team_log ENABLE TRIGGER team_log_no_update""")
    sent = sync(hub, people["bob"])
    assert sent["pushed"] == 1 and sent["refused"] == 0, sent
    assert psql(hub, f"SELECT key_epoch FROM tmws.memories WHERE memory_id = '{mine['id']}'") == "2"
    assert hub_rows(hub, "change_log", mine["id"]) == [team]
    # And ann's change, which waited, opens now.
    assert tmws_json(hub, people["bob"], "memory", "get", ann["id"])["team"] == team
