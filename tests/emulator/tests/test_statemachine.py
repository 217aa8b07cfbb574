"""The resize/confirm/revert/stop/start state machine, auto-confirm, rollback, instance actions."""

import time

from emulator_helpers import DB1, WEB1, WEB2, settled

SLOW = {"resize_prep": 1, "resize_migrating": 1, "resize_migrated": 1, "resize_finish": 1, "confirm": 1,
        "revert": 2, "stop": 1, "start": 1, "rollback": 2}


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
    seen, srv = api.wait(WEB1, settled("VERIFY_RESIZE"))
    expected = [("RESIZE", "resize_prep"), ("RESIZE", "resize_migrating"), ("RESIZE", "resize_migrated"),
                ("RESIZE", "resize_finish"), ("VERIFY_RESIZE", None)]
    assert is_subsequence(seen, expected), seen
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
    assert [a["action"] for a in actions] == ["confirmResize", "resize"]
    resize = [a for a in actions if a["action"] == "resize"][0]
    assert resize["request_id"] == request_id and resize["instance_uuid"] == WEB1
    for key in ("user_id", "project_id", "start_time", "message"):
        assert key in resize
    detail = api.get("/servers/%s/os-instance-actions/%s" % (WEB1, request_id)).json()["instanceAction"]
    events = [e["event"] for e in detail["events"]]
    assert events == ["compute_prep_resize", "compute_resize_instance", "compute_finish_resize"]
    assert all(e["result"] == "Success" and e["finish_time"] and e["traceback"] is None for e in detail["events"])
    assert api.get("/servers/%s/os-instance-actions/req-nope" % WEB1).status_code == 404


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


def test_revert_stopped_server_passes_verify_resize_powering_off(api, emu):
    slow(emu)
    api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    api.wait(DB1, settled("VERIFY_RESIZE"))
    assert api.action(DB1, {"revertResize": None}).status_code == 202
    seen, srv = api.wait(DB1, settled("SHUTOFF"))
    assert seen == [("REVERT_RESIZE", "resize_reverting"), ("VERIFY_RESIZE", "powering-off"), ("SHUTOFF", None)]
    assert srv["flavor"]["original_name"] == "s6.large.2" and srv["OS-EXT-STS:power_state"] == 4


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
    assert actions == ["start", "stop"]


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
    assert ("VERIFY_RESIZE", None) not in seen and seen[0][0] == "RESIZE"
    assert srv["flavor"]["original_name"] == "s6.medium.2" and "fault" not in srv
    action = api.get("/servers/%s/os-instance-actions/%s" % (WEB1, request_id)).json()["instanceAction"]
    errors = [e for e in action["events"] if e["result"] == "Error"]
    assert len(errors) == 1 and "No valid host was found" in errors[0]["details"]
    assert "No valid host was found" in errors[0]["traceback"]
    assert action["message"] == "Error"
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
