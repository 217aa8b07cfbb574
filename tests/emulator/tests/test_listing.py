"""Server and flavor reads, filters and pagination."""

import pytest

from emulator_helpers import APP1, DB1, M1_SMALL, WEB1, WEB2

# Real Nova's behaviour (tests/nova/FINDINGS.md): pinned under the nova profile.
pytestmark = pytest.mark.profile("nova")

SERVER_FIELDS = {"id", "name", "status", "OS-EXT-STS:vm_state", "OS-EXT-STS:task_state",
                 "OS-EXT-STS:power_state", "updated", "created", "flavor", "links", "tenant_id",
                 "user_id", "metadata"}


def test_get_server_fields(api, emu):
    srv = api.server(WEB1)
    assert SERVER_FIELDS <= set(srv)
    assert srv["status"] == "ACTIVE" and srv["OS-EXT-STS:vm_state"] == "active"
    assert srv["OS-EXT-STS:task_state"] is None and srv["OS-EXT-STS:power_state"] == 1
    assert srv["tenant_id"] == emu.info["project_id"]
    assert srv["locked"] is False and "fault" not in srv
    assert srv["updated"].endswith("Z") and srv["created"].endswith("Z")
    db1 = api.server(DB1)
    assert db1["status"] == "SHUTOFF" and db1["OS-EXT-STS:power_state"] == 4
    assert db1["OS-EXT-STS:vm_state"] == "stopped"


def test_unknown_server_404(api):
    resp = api.get("/servers/does-not-exist")
    assert resp.status_code == 404
    assert resp.json() == {"itemNotFound": {"code": 404, "message": "Instance does-not-exist could not be found."}}


def test_error_server_has_fault(api, emu):
    emu.admin.set_server(WEB2, status="ERROR", fault="disk exploded")
    srv = api.server(WEB2)
    assert srv["status"] == "ERROR" and srv["OS-EXT-STS:vm_state"] == "error"
    assert srv["fault"]["message"] == "disk exploded" and srv["fault"]["code"] == 500 and srv["fault"]["created"]
    emu.admin.set_server(WEB2, status="ACTIVE")
    assert "fault" not in api.server(WEB2)


def test_servers_list_and_detail(api):
    short = api.get("/servers").json()["servers"]
    assert {s["name"] for s in short} == {"web-1", "web-2", "db-1", "app-1"}
    assert all(set(s) == {"id", "name", "links"} for s in short)
    detail = api.get("/servers/detail").json()["servers"]
    assert len(detail) == 4 and all(SERVER_FIELDS <= set(s) for s in detail)


def test_name_filter_is_unanchored_regex(api, emu):
    emu.admin.seed(servers=[{"name": "web-10", "flavor": "s6.small.1", "status": "ACTIVE"},
                            {"name": "myweb-1", "flavor": "s6.small.1", "status": "SHUTOFF"}])

    def names(query):
        return sorted(s["name"] for s in api.get("/servers/detail", params=query).json()["servers"])

    assert names({"name": "web-1"}) == ["myweb-1", "web-1", "web-10"]
    assert names({"name": "^web-1$"}) == ["web-1"]
    assert names({"name": r"^web\-1"}) == ["web-1", "web-10"]
    assert names({"name": "w.b-2"}) == ["web-2"]
    resp = api.get("/servers/detail", params={"name": "([unclosed"})
    assert resp.status_code in (200, 400)
    if resp.status_code == 200:
        assert resp.json()["servers"] == []
    assert names({"status": "SHUTOFF"}) == ["db-1", "myweb-1"]
    assert names({"status": "shutoff", "name": "^my"}) == ["myweb-1"]
    assert names({"status": "VERIFY_RESIZE"}) == []


def test_server_pagination(api):
    first = api.get("/servers/detail", params={"limit": 2}).json()
    assert len(first["servers"]) == 2 and first["servers_links"][0]["rel"] == "next"
    marker = first["servers"][-1]["id"]
    rest = api.get("/servers/detail", params={"limit": 2, "marker": marker}).json()
    ids = [s["id"] for s in first["servers"] + rest["servers"]]
    assert sorted(ids) == sorted([WEB1, WEB2, DB1, APP1])
    assert api.get("/servers", params={"marker": "nope"}).status_code == 400
    assert api.get("/servers", params={"limit": "x"}).status_code == 400
    assert api.get("/servers", params={"limit": "-1"}).status_code == 400


def test_flavors(api, emu):
    detail = api.get("/flavors/detail").json()["flavors"]
    by_name = dict((f["name"], f) for f in detail)
    for name in ("s6.small.1", "s6.medium.2", "s6.large.2", "s6.xlarge.2", "s6.2xlarge.2", "c7.large.2",
                 "c7.xlarge.2", "m6.large.8", "m1.tiny", "m1.small", "m1.medium", "m1.large"):
        assert name in by_name
    assert by_name["s6.xlarge.2"]["id"] == "s6.xlarge.2"
    assert by_name["s6.xlarge.2"]["vcpus"] == 4 and by_name["s6.xlarge.2"]["ram"] == 8192
    assert by_name["m1.small"]["id"] == M1_SMALL and by_name["m1.small"]["disk"] == 20
    for flavor in detail:
        for key in ("id", "name", "vcpus", "ram", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap",
                    "os-flavor-access:is_public", "links"):
            assert key in flavor
    short = api.get("/flavors").json()["flavors"]
    assert all(set(f) == {"id", "name", "links"} for f in short)
    one = api.get("/flavors/s6.large.2").json()["flavor"]
    assert one["ram"] == 4096 and one["links"][0]["href"] == emu.info["compute_url"] + "/flavors/s6.large.2"
    missing = api.get("/flavors/nope")
    assert missing.status_code == 404 and "itemNotFound" in missing.json()
    page = api.get("/flavors/detail", params={"limit": 5}).json()
    nxt = api.get("/flavors/detail", params={"limit": 5, "marker": page["flavors"][-1]["id"]}).json()
    assert len(page["flavors"]) == 5 and "flavors_links" in page
    assert not {f["id"] for f in page["flavors"]} & {f["id"] for f in nxt["flavors"]}
