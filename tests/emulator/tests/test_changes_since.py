"""``changes-since`` on ``GET servers/detail`` as upstream Nova 34 does it (tests/nova/FINDINGS.md, "changes-since"),
under every profile (OTC documents the same parameter, native_openstack_nova_apis/lifecycle_management/
listing_ecs_details.rst); the per-project rate limit and its throttle answers; the durations with Nova's proportions."""

import calendar
import time

import pytest
import requests

from ecs_emulator import statemachine as sm
from ecs_emulator.cli import build_parser
from emulator_helpers import DB1, WEB1, WEB2, settled

PROFILES = ("nova", "otc", "otc-swiss")


def iso(seconds, fraction=False):
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    if fraction:
        text += ".%06d" % int(round((seconds % 1) * 1e6))
    return text


def listed(api, since, **params):
    resp = api.get("/servers/detail", mv="2.9", params=dict(params, **{"changes-since": since}))
    assert resp.status_code == 200, resp.text
    return dict((s["id"], s) for s in resp.json()["servers"])


def epoch(updated):
    return calendar.timegm(time.strptime(updated, "%Y-%m-%dT%H:%M:%SZ"))


@pytest.mark.parametrize("profile", PROFILES)
def test_servers_updated_at_or_after_the_time_are_listed_the_others_not(api, emu, profile):
    emu.admin.config(profile=profile)
    servers = listed(api, "2000-01-01T00:00:00Z")
    assert set(servers) >= {WEB1, WEB2, DB1}
    updated = servers[WEB1]["updated"]
    # `updated` shows whole seconds, cut: a listing since that very second lists the server (Nova's >=)
    assert WEB1 in listed(api, updated)
    assert WEB1 not in listed(api, iso(epoch(updated) + 1))
    assert listed(api, iso(time.time() + 5)) == {}
    # a change lists it again, with the change
    since = iso(time.time() - 0.5, fraction=True)
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202
    changed = listed(api, since)
    assert set(changed) == {WEB1} and changed[WEB1]["status"] == "RESIZE"


def test_every_phase_of_a_resize_is_in_the_next_listing_since_the_previous_one(api, emu):
    """A client that lists with changes-since = the time of its previous listing sees every change a read of the
    server sees: each task_state change updates the server."""
    emu.admin.config(time_scale=0.3)
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202
    phases, since = [], iso(time.time() - 1.0, fraction=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        began = time.time()
        doc = listed(api, since).get(WEB1)
        if doc is not None:
            phase = (doc["status"], doc["OS-EXT-STS:task_state"])
            if not phases or phases[-1] != phase:
                phases.append(phase)
            if phase == ("VERIFY_RESIZE", None):
                break
        since = iso(began - 0.05, fraction=True)
        time.sleep(0.01)
    assert phases[0] == ("RESIZE", "resize_prep") and phases[-1] == ("VERIFY_RESIZE", None)
    assert ("RESIZE", "resize_migrating") in phases and ("RESIZE", "resize_finish") in phases


@pytest.mark.parametrize("value, listed_web1", [
    ("2000-01-01", True),                   # a date alone
    ("2000-01-01T01:00:00+01:00", True),    # a zone
    ("2000-01-01T00:00:00", True),          # no zone: UTC
    ("2099-01-01T00:00:00.5Z", False),
    ("2099-01-01T00:00:00-05:00", False),
])
def test_iso_8601_forms(api, emu, value, listed_web1):
    assert (WEB1 in listed(api, value)) is listed_web1


@pytest.mark.parametrize("value", ["garbage", "1600000000", "2026-13-01T00:00:00Z", "2026-12-01T25:00:00"])
def test_a_value_that_is_no_time_is_nova_s_400(api, emu, value):
    resp = api.get("/servers/detail", params={"changes-since": value})
    assert resp.status_code == 400
    assert resp.json()["badRequest"]["message"] == (
        "Invalid input for query parameters changes-since. Value: %s. '%s' is not a 'date-time'" % (value, value))


@pytest.mark.parametrize("profile", PROFILES)
def test_a_deleted_server_is_listed_as_deleted_only_with_changes_since(api, emu, profile):
    emu.admin.config(profile=profile)
    since = iso(time.time() - 1)
    emu.admin.delete_server(WEB2)
    doc = listed(api, since)[WEB2]
    assert doc["status"] == "DELETED" and doc["OS-EXT-STS:vm_state"] == "deleted"
    assert doc["OS-EXT-STS:task_state"] is None and doc["OS-EXT-STS:power_state"] == 0
    assert epoch(doc["updated"]) >= epoch(since + "Z")
    plain = api.get("/servers/detail").json()["servers"]
    assert WEB2 not in [s["id"] for s in plain]
    assert api.get("/servers/" + WEB2).status_code == 404
    assert WEB2 not in listed(api, iso(time.time() + 2))
    assert [s["id"] for s in emu.admin.servers()].count(WEB2) == 0


def test_changes_since_pages_with_limit_and_marker_and_the_next_link_keeps_it(api, emu):
    since = "2000-01-01T00:00:00Z"
    first = api.get("/servers/detail", params={"changes-since": since, "limit": 2}).json()
    assert len(first["servers"]) == 2 and "changes-since=" + since in first["servers_links"][0]["href"]
    params = {"changes-since": since, "limit": 1000, "marker": first["servers"][-1]["id"]}
    rest = api.get("/servers/detail", params=params).json()["servers"]
    assert len(first["servers"]) + len(rest) == len(api.get("/servers/detail").json()["servers"])


# -- per-project rate limit ------------------------------------------------------------------------------------------

def burst(url, headers, count=8):
    return [requests.get(url, headers=headers, timeout=10) for _i in range(count)]


def test_a_project_limit_is_shared_by_every_token_and_access_key_of_the_project(api, emu):
    emu.admin.rate_limit(3, per="project")
    assert emu.admin.rate_limit(3, per="project") == {"rps": 3.0, "per": "project", "answer": "429", "retry_after": True}
    url = api.compute + "/flavors"
    tokens = [emu.token() for _i in range(3)]
    answers = [requests.get(url, headers={"X-Auth-Token": tokens[i % 3]}, timeout=10) for i in range(9)]
    assert 429 in [r.status_code for r in answers]  # three tokens, one bucket
    time.sleep(1.2)
    signed = requests.get(url, headers=emu.signed_headers("GET", url), timeout=10)
    assert signed.status_code == 200
    answers = [requests.get(url, headers={"X-Auth-Token": tokens[0]}, timeout=10) for _i in range(4)]
    answers.append(requests.get(url, headers=emu.signed_headers("GET", url), timeout=10))
    assert 429 in [r.status_code for r in answers]
    limited = [r for r in answers if r.status_code == 429][0]
    assert limited.json()["overLimit"]["retryAfter"] == limited.headers["Retry-After"]
    assert limited.headers["Content-Type"].startswith("application/json")
    # per token: each token its own bucket
    emu.admin.rate_limit(3, per="token")
    for token in tokens:
        assert all(r.status_code == 200 for r in burst(url, {"X-Auth-Token": token}, 3))
    log = emu.admin.requests()
    assert any(r["fault"] == "rate_limit" for r in log)


@pytest.mark.parametrize("profile, status", [("otc", 429), ("otc-swiss", 503)])
def test_over_a_project_limit_v1_answers_common_1503_or_with_answer_202_common_0024(api, emu, profile, status):
    emu.admin.config(profile=profile)
    url = api.ecs + "/cloudservers/resize_flavors?source_flavor_id=s6.small.1"
    emu.admin.rate_limit(2, per="project")
    limited = [r for r in burst(url, api.headers(), 6) if r.status_code != 200]
    assert limited and all(r.status_code == status and r.json()["error"]["code"] == "Common.1503" for r in limited)
    assert "the request rate of this project is over its limit" in limited[0].json()["error"]["message"]
    emu.admin.rate_limit(2, per="project", answer="202")
    throttled = [r for r in burst(url, api.headers(), 6) if r.json().get("error")]
    assert throttled and all(r.status_code == 202 and r.json()["error"]["code"] == "Common.0024" for r in throttled)
    # the Nova-compatible API keeps Nova's overLimit
    assert 429 in [r.status_code for r in burst(api.compute + "/flavors", api.headers(), 6)]


def test_a_limit_without_retry_after(api, emu):
    emu.admin.rate_limit(2, per="project", retry_after=False)
    limited = [r for r in burst(api.compute + "/flavors", api.headers(), 6) if r.status_code == 429]
    assert limited and all("Retry-After" not in r.headers and "retryAfter" not in r.json()["overLimit"] for r in limited)


@pytest.mark.parametrize("body, problem", [
    ({"rps": 5, "per": "region"}, "per must be one of token, project"),
    ({"rps": 5, "answer": "418"}, "answer must be one of 429, 202"),
    ({"rps": 5, "retry_after": "yes"}, "retry_after must be true or false"),
    ({"rps": 0}, "rps must be a positive number or null"),
])
def test_bad_rate_limits_are_refused(emu, body, problem):
    resp = requests.post(emu.info["admin_url"] + "/rate_limit", json=body, timeout=10)
    assert resp.status_code == 400 and problem in resp.text


# -- Nova's proportions ----------------------------------------------------------------------------------------------

def test_nova_durations_have_real_novas_proportions():
    three = sm.nova_durations(3)
    assert three["resize_migrating"] == pytest.approx(3.05) and three["resize_finish"] == pytest.approx(3.03)
    assert three["confirm"] == pytest.approx(3.15) and three["resize_migrated"] < 0.1 and three["resize_prep"] < 1
    assert sm.nova_durations(10)["resize_prep"] == three["resize_prep"]  # scheduling does not depend on the step
    assert set(three) == set(sm.DEFAULT_DURATIONS)
    with pytest.raises(ValueError):
        sm.nova_durations(0)
    args = build_parser().parse_args(["serve", "--nova-step", "3"])
    assert args.nova_step == 3.0


def test_the_actions_as_stored_tell_when_each_phase_ended(api, emu):
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    actions = emu.admin.actions(WEB1)
    resize = [a for a in actions if a["action"] == "resize"][0]
    finish = [e for e in resize["events"] if e["event"] == "compute_finish_resize"][0]
    assert finish["finish"] <= time.time() and finish["start"] < finish["finish"]
    assert len(emu.admin.actions()) >= len(actions)


def test_a_fault_can_match_the_query_string_too(api, emu):
    emu.admin.fault(route=r"/servers/detail$", query="changes-since", kind="body", status=400,
                    body='{"badRequest": {"code": 400, "message": "no"}}')
    assert api.get("/servers/detail").status_code == 200
    assert api.get("/servers/detail", params={"changes-since": "2000-01-01"}).status_code == 400
    assert api.get("/servers/detail", params={"changes-since": "2000-01-01"}).status_code == 200
