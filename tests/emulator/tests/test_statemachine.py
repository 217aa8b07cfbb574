"""The resize/confirm/revert/stop/start state machine, auto-confirm, rollback, instance actions."""

import time

import pytest
import requests

from emulator_helpers import DB1, WEB1, WEB2, settled

# Real Nova's behaviour (tests/nova/FINDINGS.md): pinned under the nova profile.
pytestmark = pytest.mark.profile("nova")

SLOW = {"resize_prep": 1, "resize_migrating": 1, "resize_migrated": 1, "resize_finish": 1, "confirm": 1,
        "revert": 2, "stop": 1, "start": 1, "rollback": 2, "action_error_lag": 1.5}


def slow(emu, scale=0.1):
    emu.admin.config(time_scale=scale, durations=SLOW)


def is_subsequence(seen, expected):
    it = iter(expected)
    return all(any(s == e for e in it) for s in seen)


def test_resize_running_server_full_cycle_with_confirm(api, emu):
    slow(emu)
    before = emu.admin.server(WEB1)
    resp = api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    assert resp.status_code == 202 and resp.content == b""
    request_id = resp.headers["x-openstack-request-id"]
    assert resp.headers["x-compute-request-id"] == request_id and request_id.startswith("req-")
    flavors = {}

    def note(srv):
        flavors.setdefault((srv["status"], srv["OS-EXT-STS:task_state"]), set()).add(srv["flavor"]["original_name"])
        return srv["status"] == "VERIFY_RESIZE"

    seen, srv = api.wait(WEB1, note)
    expected = [("RESIZE", "resize_prep"), ("RESIZE", "resize_migrating"), ("RESIZE", "resize_migrated"),
                ("RESIZE", "resize_finish"), ("VERIFY_RESIZE", None)]
    assert is_subsequence(seen, expected), seen
    # like Nova: the new flavor shows from resize_finish on, still in RESIZE
    assert flavors[("RESIZE", "resize_migrating")] == {"s6.medium.2"}
    assert flavors[("RESIZE", "resize_finish")] == {"s6.large.2"}
    assert srv["progress"] == 0
    assert ("RESIZE", "resize_prep") in seen and ("RESIZE", "resize_migrating") in seen
    assert srv["OS-EXT-STS:vm_state"] == "resized" and srv["OS-EXT-STS:power_state"] == 1
    assert srv["flavor"]["original_name"] == "s6.large.2"
    raw = emu.admin.server(WEB1)
    assert raw["old_flavor"] == "s6.medium.2" and raw["flavor"] == "s6.large.2"
    assert raw["updated"] > before["updated"]
    resp = api.action(WEB1, {"confirmResize": None})
    assert resp.status_code == 204
    assert api.server(WEB1)["status"] == "VERIFY_RESIZE"
    seen, srv = api.wait(WEB1, settled("ACTIVE"))
    assert srv["flavor"]["original_name"] == "s6.large.2" and srv["OS-EXT-STS:vm_state"] == "active"
    assert emu.admin.server(WEB1)["old_flavor"] is None
    # the action log
    actions = api.get("/servers/%s/os-instance-actions" % WEB1).json()["instanceActions"]
    assert [a["action"] for a in actions] == ["confirmResize", "resize", "create"]
    resize = [a for a in actions if a["action"] == "resize"][0]
    assert resize["request_id"] == request_id and resize["instance_uuid"] == WEB1
    for key in ("user_id", "project_id", "start_time", "message"):
        assert key in resize
    # a project member sees no events before 2.51
    assert "events" not in api.get("/servers/%s/os-instance-actions/%s" % (WEB1, request_id)).json()["instanceAction"]
    detail = api.get("/servers/%s/os-instance-actions/%s" % (WEB1, request_id), mv="2.51").json()["instanceAction"]
    events = [e["event"] for e in detail["events"]]  # newest first
    assert events == ["compute_finish_resize", "compute_resize_instance", "compute_prep_resize", "cold_migrate",
                      "conductor_migrate_server"]
    assert all(e["result"] == "Success" and e["finish_time"] for e in detail["events"])
    assert all(set(e) == {"event", "start_time", "finish_time", "result"} for e in detail["events"])
    resp = api.get("/servers/%s/os-instance-actions/req-nope" % WEB1)
    assert resp.status_code == 404 and resp.json() == {"itemNotFound": {"code": 404, "message": "Action req-nope not found"}}


def test_resize_stopped_server_stays_stopped(api, emu):
    resp = api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    assert resp.status_code == 202
    _seen, srv = api.wait(DB1, settled("VERIFY_RESIZE"))
    assert srv["OS-EXT-STS:power_state"] == 4 and srv["flavor"]["original_name"] == "s6.xlarge.2"
    assert api.action(DB1, {"confirmResize": None}).status_code == 204
    _seen, srv = api.wait(DB1, settled("SHUTOFF"))
    assert srv["flavor"]["original_name"] == "s6.xlarge.2" and srv["OS-EXT-STS:power_state"] == 4


def test_revert_running_server(api, emu):
    slow(emu)
    api.action(WEB1, {"resize": {"flavorRef": "c7.large.2"}})
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    resp = api.action(WEB1, {"revertResize": None})
    assert resp.status_code == 202 and resp.content == b""
    seen, srv = api.wait(WEB1, settled("ACTIVE"))
    assert seen[0] == ("REVERT_RESIZE", "resize_reverting")
    assert srv["flavor"]["original_name"] == "s6.medium.2" and srv["OS-EXT-STS:power_state"] == 1


def test_revert_shows_the_old_flavor_early(api, emu):
    slow(emu)
    api.action(WEB1, {"resize": {"flavorRef": "c7.large.2"}})
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    assert api.action(WEB1, {"revertResize": None}).status_code == 202
    seen = []

    def note(srv):
        seen.append((srv["status"], srv["flavor"]["original_name"], "progress" in srv))
        return srv["status"] == "ACTIVE"

    api.wait(WEB1, note)
    reverting = [flavor for status, flavor, _p in seen if status == "REVERT_RESIZE"]
    assert reverting[-1] == "s6.medium.2" and reverting.count("s6.medium.2") > reverting.count("c7.large.2")
    assert not any(p for status, _f, p in seen if status == "REVERT_RESIZE")  # no progress in REVERT_RESIZE


def test_revert_stopped_server_passes_verify_resize_powering_off(api, emu):
    slow(emu)
    api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    api.wait(DB1, settled("VERIFY_RESIZE"))
    assert api.action(DB1, {"revertResize": None}).status_code == 202
    powers = set()

    def note(srv):
        powers.add(srv["OS-EXT-STS:power_state"])
        return settled("SHUTOFF")(srv)

    seen, srv = api.wait(DB1, note)
    assert seen == [("REVERT_RESIZE", "resize_reverting"), ("VERIFY_RESIZE", "powering-off"), ("SHUTOFF", None)]
    assert srv["flavor"]["original_name"] == "s6.large.2" and powers == {4}  # shut down throughout, as in Nova
    assert "progress" not in srv


def test_stop_and_start(api, emu):
    slow(emu)
    assert api.action(WEB1, {"os-stop": None}).status_code == 202
    seen, srv = api.wait(WEB1, settled("SHUTOFF"))
    assert seen == [("ACTIVE", "powering-off"), ("SHUTOFF", None)]
    assert srv["OS-EXT-STS:power_state"] == 4
    assert api.action(WEB1, {"os-start": None}).status_code == 202
    seen, srv = api.wait(WEB1, settled("ACTIVE"))
    assert seen == [("SHUTOFF", "powering-on"), ("ACTIVE", None)]
    actions = [a["action"] for a in api.get("/servers/%s/os-instance-actions" % WEB1).json()["instanceActions"]]
    assert actions == ["start", "stop", "create"]


def test_auto_confirm_window(api, emu):
    emu.admin.config(confirm_window=0.5)
    api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    _seen, srv = api.wait(WEB1, settled("ACTIVE"), timeout=5)
    assert srv["flavor"]["original_name"] == "s6.large.2"
    # off by default: stays in VERIFY_RESIZE
    emu.admin.config(confirm_window=None)
    api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    api.wait(DB1, settled("VERIFY_RESIZE"))
    time.sleep(0.6)
    assert api.server(DB1)["status"] == "VERIFY_RESIZE"


def test_sold_out_flavor_rolls_back(api, emu):
    slow(emu)
    emu.admin.sold_out("s6.xlarge.2", True)
    resp = api.action(WEB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    assert resp.status_code == 202
    request_id = resp.headers["x-openstack-request-id"]
    assert api.server(WEB1)["status"] == "RESIZE"
    seen, srv = api.wait(WEB1, settled("ACTIVE"))
    # like Nova: the scheduler refuses it during resize_prep; never resize_migrating nor VERIFY_RESIZE
    assert seen == [("RESIZE", "resize_prep"), ("ACTIVE", None)]
    assert srv["flavor"]["original_name"] == "s6.medium.2" and "fault" not in srv
    path = "/servers/%s/os-instance-actions/%s" % (WEB1, request_id)
    # right at the flip the action may not say "Error" yet (Nova: up to ~0.4 s later)
    assert api.get(path, mv="2.51").json()["instanceAction"]["message"] is None
    time.sleep(0.16)
    action = api.get(path, mv="2.60").json()["instanceAction"]
    assert action["message"] == "Error"
    # a project member sees the failed events (2.51+), never the reason (details/traceback: admins only)
    assert sorted((e["event"], e["result"]) for e in action["events"]) == [
        ("cold_migrate", "Error"), ("conductor_migrate_server", "Error")]
    assert all("details" not in e and "traceback" not in e for e in action["events"])
    assert "events" not in api.get(path).json()["instanceAction"]  # 2.1: no events at all
    # a stopped server goes back to SHUTOFF
    resp = api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    seen, srv = api.wait(DB1, settled("SHUTOFF"))
    assert ("VERIFY_RESIZE", None) not in seen and srv["flavor"]["original_name"] == "s6.large.2"
    emu.admin.sold_out("s6.xlarge.2", False)
    assert api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}}).status_code == 202
    api.wait(DB1, settled("VERIFY_RESIZE"))


def test_delete_mid_resize_then_404(api, emu):
    slow(emu, 0.2)
    api.action(WEB2, {"resize": {"flavorRef": "s6.large.2"}})
    assert api.server(WEB2)["status"] == "RESIZE"
    emu.admin.delete_server(WEB2)
    assert api.get("/servers/" + WEB2).status_code == 404
    assert api.action(WEB2, {"confirmResize": None}).status_code == 404


def test_admin_lock_and_error_views(api, emu):
    view = emu.admin.set_server(WEB1, locked=True)
    assert view["locked"] is True
    assert api.server(WEB1)["locked"] is True
    slow(emu, 0.2)
    api.action(WEB2, {"resize": {"flavorRef": "s6.large.2"}})
    raw = emu.admin.server(WEB2)
    assert raw["phase"] == "resize_prep" and raw["new_flavor"] == "s6.large.2" and raw["op"] == "resize"
    assert raw["old_flavor"] is None and raw["flavor"] == "s6.medium.2"


def test_admin_user_sees_tracebacks_but_no_reason_up_to_2_60(api, emu):
    # Nova shows the reason text ("details") to admins from 2.84 only; ECS stops at 2.60. The traceback
    # (admins only) lists the frames without the exception message.
    emu.admin.seed(users=[{"name": "boss", "password": "pw-boss", "admin": True}])
    user = {"name": "boss", "password": "pw-boss", "domain": {"name": "Default"}}
    resp = requests.post(emu.info["auth_url"] + "/auth/tokens", json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": user}},
        "scope": {"project": {"id": emu.info["project_id"]}}}}, timeout=10)
    admin_headers = {"X-Auth-Token": resp.headers["X-Subject-Token"]}
    emu.admin.sold_out("s6.xlarge.2", True)
    request_id = api.action(WEB1, {"resize": {"flavorRef": "s6.xlarge.2"}}).headers["x-openstack-request-id"]
    api.wait(WEB1, settled("ACTIVE"))
    time.sleep(0.02)
    url = api.compute + "/servers/%s/os-instance-actions/%s" % (WEB1, request_id)
    action = requests.get(url, headers=dict(admin_headers, **{"X-OpenStack-Nova-API-Version": "2.60"}),
                          timeout=10).json()["instanceAction"]
    assert all(e["result"] == "Error" and e["traceback"] and "details" not in e for e in action["events"])
    assert not any("No valid host" in e["traceback"] for e in action["events"])
    old = requests.get(url, headers=admin_headers, timeout=10).json()["instanceAction"]  # admins: events at 2.1
    assert len(old["events"]) == 2 and all("host" not in e for e in old["events"])
    wider = requests.get(url, headers=dict(admin_headers, **{"X-OpenStack-Nova-API-Version": "2.62"}), timeout=10)
    assert wider.status_code == 406  # the ECS maximum is 2.60


def test_default_durations_follow_nova_proportions(emu):
    durations = emu.admin.config()["durations"]
    resize = [durations[k] for k in ("resize_prep", "resize_migrating", "resize_migrated", "resize_finish")]
    assert max(resize) == durations["resize_migrating"] > sum(resize) / 2  # the disk copy is the long phase
    assert durations["resize_migrated"] < 0.1  # a hand-over most pollers never see
    assert durations["rollback"] <= durations["resize_prep"] + durations["resize_migrating"]
