"""Fault injection, rate limiting, the request log and stats."""

import json
import time

import pytest
import requests

from emulator_helpers import WEB1, settled


@pytest.mark.parametrize("kind", ["500", "502", "503", "504"])
def test_server_error_faults(api, emu, kind):
    emu.admin.fault(route=r"/servers/[^/]+$", method="GET", kind=kind, count=2)
    for _attempt in range(2):
        resp = api.get("/servers/" + WEB1)
        assert resp.status_code == int(kind)
        assert resp.headers["x-openstack-request-id"].startswith("req-")
    if kind == "500":
        assert "computeFault" in resp.json()
    else:
        assert resp.headers["Content-Type"].startswith(("text/html", "text/plain"))
    assert api.get("/servers/" + WEB1).status_code == 200
    assert api.get("/flavors").status_code == 200


def test_fault_method_filter_and_no_state_change(api, emu):
    emu.admin.fault(route=r"/action$", method="POST", kind="503", count=1)
    assert api.get("/servers/" + WEB1).status_code == 200
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 503
    assert emu.admin.server(WEB1)["op"] is None
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202


def test_429_fault_with_retry_after(api, emu):
    emu.admin.fault(route="/servers", kind="429", count=1, retry_after=3)
    resp = api.get("/servers/detail")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"
    assert resp.json()["overLimit"]["code"] == 429
    assert api.get("/servers/detail").status_code == 200


def test_delay_fault(api, emu):
    emu.admin.fault(route="/flavors", kind="delay", delay=0.3)
    start = time.monotonic()
    assert api.get("/flavors").status_code == 200
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    api.get("/flavors")
    assert time.monotonic() - start < 0.3


def test_drop_before_processing(api, emu):
    emu.admin.fault(route=r"/action$", kind="drop")
    with pytest.raises(requests.ConnectionError):
        api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    assert emu.admin.server(WEB1)["op"] is None
    assert emu.admin.server(WEB1)["status"] == "ACTIVE"
    dropped = [r for r in emu.admin.requests() if r.get("fault") == "drop"]
    assert len(dropped) == 1 and dropped[0]["status"] is None


def test_drop_after_processing_changes_state(api, emu):
    emu.admin.fault(route=r"/action$", method="POST", kind="drop_after")
    with pytest.raises(requests.ConnectionError):
        api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    raw = emu.admin.server(WEB1)
    assert raw["op"] == "resize" or raw["status"] == "VERIFY_RESIZE"
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    assert emu.admin.server(WEB1)["flavor"] == "s6.large.2"
    entry = [r for r in emu.admin.requests() if r.get("fault") == "drop_after"][0]
    assert entry["status"] == 202 and entry["action"] == "resize"
    # a retry now conflicts, as on a real cloud
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 409


def test_faults_listing_and_clearing(api, emu):
    emu.admin.fault(route="/flavors", kind="500", count=5)
    assert len(emu.admin.faults()) == 1
    emu.admin.clear_faults()
    assert emu.admin.faults() == []
    assert api.get("/flavors").status_code == 200
    bad = requests.post(emu.info["admin_url"] + "/faults", json={"kind": "teapot"}, timeout=10)
    assert bad.status_code == 400
    bad = requests.post(emu.info["admin_url"] + "/faults", json={"route": "([", "kind": "500"}, timeout=10)
    assert bad.status_code == 400


def test_admin_routes_are_not_faulted(emu):
    emu.admin.fault(route=".*", kind="500", count=3)
    assert emu.admin.config()["time_scale"] == 0.01
    assert len(emu.admin.faults()) == 1


def test_rate_limit_per_token(api, emu):
    emu.admin.rate_limit(5)
    statuses = [api.get("/flavors").status_code for _i in range(12)]
    assert 429 in statuses and statuses[0] == 200
    limited = api.get("/flavors")
    if limited.status_code == 429:
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["overLimit"]["code"] == 429
    # another token has its own bucket
    other = requests.get(api.compute + "/flavors", headers={"X-Auth-Token": emu.token()}, timeout=10)
    assert other.status_code == 200
    emu.admin.rate_limit(None)
    assert all(api.get("/flavors").status_code == 200 for _i in range(10))


def test_request_log_contents_and_no_secrets(api, emu):
    emu.admin.clear_requests()
    api.get("/servers/" + WEB1)
    api.action(WEB1, {"os-stop": None})
    url = emu.info["compute_url"] + "/servers/detail?name=web"
    requests.get(url, headers=emu.signed_headers("GET", url), timeout=10)
    requests.get(emu.info["compute_url"] + "/servers", timeout=10)
    log = emu.admin.requests()
    assert [r["auth"] for r in log] == ["none", "token", "token", "aksk", "none"]
    assert [r["status"] for r in log] == [201, 200, 202, 200, 401]
    for entry in log:
        for key in ("seq", "ts", "method", "path", "query", "status", "auth", "action", "server_id"):
            assert key in entry
    assert log[2]["action"] == "os-stop" and log[2]["server_id"] == WEB1 and log[2]["method"] == "POST"
    assert log[1]["action"] is None and log[1]["server_id"] == WEB1
    assert log[3]["query"] == "name=web"
    text = json.dumps(log)
    for secret in (api.token, emu.info["password"], emu.info["secret_key"], "Signature"):
        assert secret not in text
    assert all("/__emulator" not in r["path"] for r in log)
    assert emu.admin.count("POST", r"/action$") == 1
    assert emu.admin.count("GET", r"/servers") == 3
    stats = emu.admin.stats()
    assert any(s["route"].endswith("/servers/<server_id>/action") and s["status"] == 202 for s in stats)
    emu.admin.clear_requests()
    assert emu.admin.requests() == []


def test_reset_clears_everything(api, emu):
    emu.admin.fault(route="/flavors", kind="500", count=9)
    emu.admin.rate_limit(1)
    emu.admin.config(time_scale=3.0)
    token = api.token
    emu.admin.reset("empty")
    assert emu.admin.faults() == [] and emu.admin.config()["time_scale"] == 0.01
    assert requests.get(api.compute + "/servers", headers={"X-Auth-Token": token}, timeout=10).status_code == 401
    fresh = emu.token()
    resp = requests.get(api.compute + "/servers", headers={"X-Auth-Token": fresh}, timeout=10)
    assert resp.json() == {"servers": []}
    assert requests.get(api.compute + "/flavors", headers={"X-Auth-Token": fresh}, timeout=10).json() == {"flavors": []}
    emu.admin.seed(flavors=[{"id": "f1", "name": "tiny", "vcpus": 1, "ram": 512, "disk": 0}],
                   servers=[{"id": "srv-x", "name": "x", "flavor": "f1", "status": "SHUTOFF", "locked": True}])
    headers = {"X-Auth-Token": fresh, "X-OpenStack-Nova-API-Version": "2.9"}
    srv = requests.get(api.compute + "/servers/srv-x", headers=headers, timeout=10)
    assert srv.json()["server"]["status"] == "SHUTOFF" and srv.json()["server"]["locked"] is True


def test_random_faults_are_reproducible_per_seed_and_hit_about_the_rate(api, emu):
    def fates(seed):
        emu.admin.clear_faults()
        emu.admin.clear_requests()
        emu.admin.fault(route=r"/servers/[^/]+$", method="GET", kind="random", rate=0.2, seed=seed, count=1000,
                        kinds=["502", "503"])
        statuses = [api.get("/servers/" + WEB1).status_code for _n in range(200)]
        return statuses, emu.admin.faults()[0]["injected"]

    first, injected = fates("s1")
    again, dummy = fates("s1")
    other, dummy = fates("s2")
    assert first == again and first != other
    faulted = [s for s in first if s != 200]
    assert set(faulted) == {502, 503} and 20 <= len(faulted) <= 60, len(faulted)
    # the rule lists what it injected, and the log names each fault's kind
    assert [i["kind"] for i in injected] == [str(s) for s in faulted]
    # requests the draw spares go on to the next rule
    assert api.get("/flavors").status_code == 200


def test_random_fault_count_ends_the_rule_and_bad_rules_are_refused(api, emu):
    emu.admin.fault(route=r"/servers/[^/]+$", method="GET", kind="random", rate=1.0, seed=7, count=2, kinds=["drop"])
    for _n in range(2):
        with pytest.raises(requests.ConnectionError):
            api.get("/servers/" + WEB1)
    assert api.get("/servers/" + WEB1).status_code == 200
    assert emu.admin.faults() == []
    assert [e["fault"] for e in emu.admin.requests() if e["path"].endswith(WEB1)] == ["drop", "drop", None]
    for bad in ({"rate": 0}, {"rate": 2}, {"rate": 0.1, "kinds": ["nope"]}, {"rate": 0.1, "kinds": ["delay"]}):
        resp = requests.post(emu.info["admin_url"] + "/faults", json=dict(kind="random", seed=1, **bad), timeout=10)
        assert resp.status_code == 400, bad


def test_random_drop_after_changes_state_then_drops(api, emu):
    emu.admin.fault(route=r"/action$", method="POST", kind="random", rate=1.0, seed=1, count=1, kinds=["drop_after"])
    with pytest.raises(requests.ConnectionError):
        api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    assert emu.admin.server(WEB1)["op"] is not None


def test_password_change_revokes_the_users_tokens(emu):
    url = emu.info["compute_url"] + "/servers"
    token = emu.token()
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=10).status_code == 200
    answer = emu.admin.change_password(emu.info["username"], "a-new-secret")
    assert answer == {"user": emu.info["username"], "revoked_tokens": 1}
    # keystone's change_password persists a revocation event for the user: the old token is refused
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=10).status_code == 401
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": emu.info["username"], "domain": {"name": emu.info["user_domain_name"]}, "password": None}}}}}
    body["auth"]["identity"]["password"]["user"]["password"] = emu.info["password"]
    assert requests.post(emu.info["auth_url"] + "/auth/tokens", json=body, timeout=10).status_code == 401
    body["auth"]["identity"]["password"]["user"]["password"] = "a-new-secret"
    assert requests.post(emu.info["auth_url"] + "/auth/tokens", json=body, timeout=10).status_code == 201
    resp = requests.post(emu.info["admin_url"] + "/users/nobody/password", json={"password": "x"}, timeout=10)
    assert resp.status_code == 404
