"""Cloud profiles nova | otc | otc-swiss: selection, statuses on the Nova-compatible API, dedicated
hosts, flow control answers, the token catalog.

OTC pages are cited relative to api-ref/source/ of opentelekomcloud-docs/elastic-cloud-server.
"""

import requests

import pytest

from ecs_emulator.testing import run_emulator
from emulator_helpers import DB1, WEB1, settled

SLOW = {"resize_prep": 1, "resize_migrating": 1, "resize_migrated": 1, "resize_finish": 1, "confirm": 1,
        "revert": 2, "stop": 1, "start": 1, "rollback": 2, "action_error_lag": 1.5}
DEH = "459a2b9d-804a-4745-ab19-a113bb1b4ddc"


def track(api, server_id, until):
    """Poll until ``until(server)``; returns the distinct (status, task_state, vm_state, power_state) seen."""
    seen = []

    def note(srv):
        key = (srv["status"], srv["OS-EXT-STS:task_state"], srv["OS-EXT-STS:vm_state"], srv["OS-EXT-STS:power_state"])
        if not seen or seen[-1] != key:
            seen.append(key)
        return until(srv)

    api.wait(server_id, note)
    return seen


def test_profile_is_a_config_key_and_reset_restores_it(emu):
    assert emu.admin.config()["profile"] == "otc" and emu.info["profile"] == "otc"
    assert emu.admin.config(profile="otc-swiss")["profile"] == "otc-swiss"
    bad = requests.post(emu.info["admin_url"] + "/config", json={"profile": "aws"}, timeout=10)
    assert bad.status_code == 400 and "nova, otc, otc-swiss" in bad.json()["error"]
    emu.admin.reset()
    assert emu.admin.config()["profile"] == "otc"


def test_run_emulator_profile_and_catalog():
    """A plain OpenStack catalog has no ECS service; OTC's lists it."""
    with run_emulator(time_scale=0.01, profile="nova") as emu:
        assert emu.admin.config()["profile"] == "nova" and emu.info["profile"] == "nova"
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": emu.info["username"], "domain": {"name": emu.info["user_domain_name"]},
            "password": emu.info["password"]}}}}}
        catalog = requests.post(emu.info["auth_url"] + "/auth/tokens", json=body, timeout=10).json()["token"]["catalog"]
        assert sorted(s["type"] for s in catalog) == ["compute", "identity"]
        emu.admin.config(profile="otc")
        catalog = requests.post(emu.info["auth_url"] + "/auth/tokens", json=body, timeout=10).json()["token"]["catalog"]
        assert sorted(s["type"] for s in catalog) == ["compute", "ecs", "identity"]
        emu.admin.reset()
        assert emu.admin.config()["profile"] == "nova"  # the startup profile


@pytest.mark.parametrize("profile", ["otc", "otc-swiss"])
def test_otc_running_server_shows_stopped_during_resize(api, emu, profile):
    """appendix/ecs_statuses.rst lists RESIZE only under vm_state stopped; the Nova-compatible resize
    page: "For a running ECS, the system will automatically stop the ECS, copy the ECS data to the
    target node ..., and then restart the ECS." It comes back running in VERIFY_RESIZE, then ACTIVE."""
    emu.admin.config(profile=profile, time_scale=0.15, durations=SLOW)
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202
    seen = track(api, WEB1, settled("VERIFY_RESIZE"))
    resizing = [s for s in seen if s[0] == "RESIZE"]
    assert [s[1] for s in resizing][:2] == ["resize_prep", "resize_migrating"], seen
    assert all(s[2] == "stopped" and s[3] == 4 for s in resizing), seen
    assert seen[-1] == ("VERIFY_RESIZE", None, "resized", 1)
    assert api.action(WEB1, {"confirmResize": None}).status_code == 204
    _seen, srv = api.wait(WEB1, settled("ACTIVE"))
    assert srv["OS-EXT-STS:vm_state"] == "active" and srv["flavor"]["original_name"] == "s6.large.2"


@pytest.mark.profile("nova")
def test_nova_running_server_stays_active_during_resize(api, emu):
    """Nova 34 (tests/nova/FINDINGS.md section 1): vm_state stays active during RESIZE."""
    emu.admin.config(time_scale=0.15, durations=SLOW)
    api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    seen = track(api, WEB1, settled("VERIFY_RESIZE"))
    resizing = [s for s in seen if s[0] == "RESIZE"]
    assert resizing and all(s[2] == "active" and s[3] == 1 for s in resizing), seen


def test_otc_sold_out_rollback_of_a_running_server(api, emu):
    emu.admin.config(time_scale=0.15, durations=SLOW)
    emu.admin.sold_out("s6.large.2", True, az="eu-de-01")
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202
    seen = track(api, WEB1, settled("ACTIVE"))
    assert seen[0] == ("RESIZE", "resize_prep", "stopped", 4) and seen[-1] == ("ACTIVE", None, "active", 1)
    assert "VERIFY_RESIZE" not in [s[0] for s in seen]
    assert api.server(WEB1)["flavor"]["original_name"] == "s6.medium.2"


def test_otc_revert_of_a_stopped_server_goes_straight_to_shutoff(api, emu):
    """OTC's status table has no row for vm_state resized + powering-off (Nova's VERIFY_RESIZE on the
    way back to SHUTOFF): under otc the revert goes REVERT_RESIZE -> SHUTOFF."""
    emu.admin.config(time_scale=0.15, durations=SLOW)
    api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    api.wait(DB1, settled("VERIFY_RESIZE"))
    assert api.action(DB1, {"revertResize": None}).status_code == 202
    seen = track(api, DB1, settled("SHUTOFF"))
    assert [s[0] for s in seen] == ["REVERT_RESIZE", "SHUTOFF"], seen
    assert api.server(DB1)["flavor"]["original_name"] == "s6.large.2"


@pytest.mark.parametrize("profile, status", [("otc", "UNKNOWN"), ("nova", "RESIZE")])
def test_status_maps(api, emu, profile, status):
    """OTC: "If the status is not included in Table 4, the status is UNKNOWN." (active + resize_prep
    is not in it); Nova maps it to RESIZE."""
    emu.admin.config(profile=profile)
    emu.admin.set_server(WEB1, task_state="resize_prep")
    assert api.server(WEB1)["status"] == status


def test_dedicated_host_server(api, emu):
    """A server on a DeH: os:scheduler_hints in the server document (native_openstack_nova_apis/
    lifecycle_management/querying_details_about_an_ecs.rst, "only available in DeH scenarios");
    resizing it needs its dedicated_host_id (change_history.rst 2018-03-30, both resize APIs; Swiss
    appendix Ecs.0803)."""
    emu.admin.seed(servers=[{"id": "deh-1", "name": "deh-1", "flavor": "s6.medium.2", "status": "SHUTOFF",
                             "dedicated_host_id": DEH},
                            {"id": "deh-2", "name": "deh-2", "flavor": "s6.medium.2", "status": "ACTIVE",
                             "dedicated_host_id": DEH}])
    srv = api.server("deh-1")
    assert srv["os:scheduler_hints"] == {"tenancy": ["dedicated"], "dedicated_host_id": [DEH]}
    assert "os:scheduler_hints" not in api.server(WEB1)
    url = api.ecs + "/cloudservers/deh-1/resize"
    resp = requests.post(url, json={"resize": {"flavorRef": "s6.large.2"}}, headers=api.headers(), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0803"
    assert resp.json()["error"]["message"] == ("When modifying the specifications of an ECS created on a DeH, "
                                               "specify the DeH.")
    resp = requests.post(url, json={"resize": {"flavorRef": "s6.large.2", "dedicated_host_id": "other-deh"}},
                         headers=api.headers(), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0005"
    resp = requests.post(url, json={"resize": {"flavorRef": "s6.large.2", "dedicated_host_id": DEH}},
                         headers=api.headers(), timeout=10)
    assert resp.status_code == 200 and resp.json()["job_id"]
    _seen, srv = api.wait("deh-1", lambda s: s["status"] == "SHUTOFF" and s["flavor"]["original_name"] == "s6.large.2")
    # a server not on a DeH: a dedicated_host_id is refused
    resp = requests.post(api.ecs + "/cloudservers/%s/resize" % DB1,
                         json={"resize": {"flavorRef": "s6.xlarge.2", "dedicated_host_id": DEH}},
                         headers=api.headers(), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0005"
    # the Nova-compatible resize (topic 0028714261 in the same change history entry)
    resp = api.action("deh-2", {"resize": {"flavorRef": "s6.large.2"}})
    assert resp.status_code == 400 and resp.json()["badRequest"]["message"].startswith("When modifying")
    assert emu.admin.server("deh-2")["op"] is None
    assert api.action("deh-2", {"resize": {"flavorRef": "s6.large.2", "dedicated_host_id": DEH}}).status_code == 202
    api.wait("deh-2", settled("VERIFY_RESIZE"))


@pytest.mark.profile("nova")
def test_nova_has_no_dedicated_hosts(api, emu):
    emu.admin.seed(servers=[{"id": "deh-1", "name": "deh-1", "flavor": "s6.medium.2", "status": "ACTIVE",
                             "dedicated_host_id": DEH}])
    assert "os:scheduler_hints" not in api.server("deh-1")
    resp = api.action("deh-1", {"resize": {"flavorRef": "s6.large.2", "dedicated_host_id": DEH}})
    assert resp.status_code == 400
    assert "Additional properties are not allowed ('dedicated_host_id' was unexpected)" in resp.json()["badRequest"]["message"]
    assert api.action("deh-1", {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202


@pytest.mark.parametrize("profile, message", [("otc", "Flow limit exceeded."), ("otc-swiss", "exceeds flow over limit")])
def test_throttle_202_fault(api, emu, profile, message):
    """appendix/error_codes.rst: Common.0024 is answered with HTTP 202 and an error body (eu-de
    "Flow limit exceeded.", Swiss "exceeds flow over limit"); no job, nothing is done."""
    emu.admin.config(profile=profile)
    rule = emu.admin.fault(route=r"/resize$", method="POST", kind="throttle_202")
    assert rule["kind"] == "throttle_202"
    url = api.ecs + "/cloudservers/%s/resize" % DB1
    resp = requests.post(url, json={"resize": {"flavorRef": "s6.xlarge.2"}}, headers=api.headers(), timeout=10)
    assert resp.status_code == 202
    assert resp.json() == {"error": {"code": "Common.0024", "message": message, "details": []}}
    raw = emu.admin.server(DB1)
    assert raw["op"] is None and raw["flavor"] == "s6.large.2"
    assert [r["fault"] for r in emu.admin.requests() if r["path"].endswith("/resize")] == ["throttle_202"]
    resp = requests.post(url, json={"resize": {"flavorRef": "s6.xlarge.2"}}, headers=api.headers(), timeout=10)
    assert resp.status_code == 200 and resp.json()["job_id"]


@pytest.mark.parametrize("profile, status", [("otc", 429), ("otc-swiss", 503)])
def test_rate_limit_on_v1_is_common_1503(api, emu, profile, status):
    """appendix/error_codes.rst: Common.1503 "Api flow control Error because %s." is HTTP 429 (eu-de),
    503 in the Swiss appendix; the Nova-compatible API keeps Nova's 429 overLimit."""
    emu.admin.config(profile=profile)
    emu.admin.rate_limit(2)
    url = api.ecs + "/cloudservers/resize_flavors?source_flavor_id=s6.small.1"
    answers = [requests.get(url, headers=api.headers(), timeout=10) for _i in range(6)]
    limited = [r for r in answers if r.status_code != 200]
    assert answers[0].status_code == 200 and limited
    for resp in limited:
        assert resp.status_code == status and resp.json()["error"]["code"] == "Common.1503"
        assert resp.json()["error"]["message"].startswith("Api flow control Error because ")
        assert int(resp.headers["Retry-After"]) >= 1
    nova = [api.get("/flavors") for _i in range(6)]
    assert {r.status_code for r in nova} <= {200, 429} and 429 in {r.status_code for r in nova}
    assert "overLimit" in [r for r in nova if r.status_code == 429][0].json()
    emu.admin.rate_limit(None)
    emu.admin.fault(route=r"/resize_flavors$", kind="429", retry_after=2)
    resp = requests.get(url, headers=api.headers(), timeout=10)
    assert resp.status_code == 429 and resp.json()["error"]["code"] == "Common.1503"
    assert resp.headers["Retry-After"] == "2"
