"""A fleet through the listings: addresses and tags in server documents, the Nova ``tags`` filter and
page cap, and ECS's ``GET /v1/<project_id>/cloudservers/detail`` (offset pages, count, filters)."""

import time

import pytest

from ecs_emulator.seed import DEFAULT_NETWORK, fleet
from emulator_helpers import WEB1

FIXED = {"addr": "192.168.0.11", "type": "fixed", "network": "vpc-1"}
FLOATING = {"addr": "80.158.1.11", "type": "floating", "network": "vpc-1"}
V6 = {"addr": "2001:db8::11", "type": "fixed", "network": "vpc-1"}


def names(resp):
    assert resp.status_code == 200, resp.text
    return sorted(s["name"] for s in resp.json()["servers"])


def v1(api, **params):
    return api.get("/cloudservers/detail", base=api.ecs, params=params)


def test_nova_document_shows_addresses_and_tags_from_2_26(api, emu):
    emu.admin.seed(servers=[{"id": "net-1", "name": "net-1", "flavor": "s6.medium.2", "tags": ["env=prod", "backup"],
                             "addresses": [FIXED, FLOATING, V6, "10.9.9.9"]}])
    doc = api.server("net-1", mv="2.26")
    vpc = doc["addresses"]["vpc-1"]
    assert [(a["addr"], a["version"], a["OS-EXT-IPS:type"]) for a in vpc] == [
        ("192.168.0.11", 4, "fixed"), ("80.158.1.11", 4, "floating"), ("2001:db8::11", 6, "fixed")]
    assert vpc[0]["OS-EXT-IPS-MAC:mac_addr"] == vpc[1]["OS-EXT-IPS-MAC:mac_addr"]  # the floating IP is on that port
    assert set(vpc[0]) == {"addr", "version", "OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"}
    assert doc["addresses"][DEFAULT_NETWORK][0]["addr"] == "10.9.9.9"
    assert doc["tags"] == ["env=prod", "backup"]
    assert "tags" not in api.server("net-1", mv="2.25")
    assert api.server(WEB1)["addresses"] == {}  # the default seed has no addresses


def test_nova_tags_filter_from_2_26_all_of_them(api, emu):
    emu.admin.seed(servers=[{"name": "a", "flavor": "s6.medium.2", "tags": ["env=prod", "role=web"]},
                            {"name": "b", "flavor": "s6.medium.2", "tags": ["env=prod"]},
                            {"name": "c", "flavor": "s6.medium.2", "tags": ["env=test", "role=web"]}])
    assert names(api.get("/servers/detail", mv="2.26", params={"tags": "env=prod"})) == ["a", "b"]
    assert names(api.get("/servers/detail", mv="2.60", params={"tags": "env=prod,role=web"})) == ["a"]
    assert names(api.get("/servers/detail", mv="2.26", params={"tags": "env"})) == []  # a whole tag, not a key
    # before 2.26 Nova drops the parameter: every server
    assert len(api.get("/servers/detail", mv="2.25", params={"tags": "env=prod"}).json()["servers"]) == 7


def test_seeded_addresses_and_tags_are_checked_and_can_be_patched(api, emu):
    for bad in ({"addresses": ["not-an-ip"]}, {"addresses": [{"addr": "10.0.0.1", "type": "public"}]},
                {"addresses": "10.0.0.1"}, {"tags": "env=prod"}, {"tags": [""]}):
        with pytest.raises(AssertionError, match="400"):
            emu.admin.seed(servers=[dict(name="bad", flavor="s6.medium.2", **bad)])
    view = emu.admin.set_server(WEB1, addresses=[FIXED], tags=["env=stage"])
    assert view["tags"] == ["env=stage"] and view["addresses"][0]["addr"] == "192.168.0.11"
    doc = api.server(WEB1)
    assert doc["tags"] == ["env=stage"] and doc["addresses"]["vpc-1"][0]["addr"] == "192.168.0.11"


def test_a_page_holds_at_most_1000_servers_and_links_the_next(api, emu):
    started = time.monotonic()
    emu.admin.seed(servers=fleet(1000, prefix="big"))
    assert time.monotonic() - started < 30
    first = api.get("/servers/detail", params={"limit": 5000})
    body = first.json()
    assert len(body["servers"]) == 1000 and body["servers_links"][0]["rel"] == "next"
    rest = api.get("/servers/detail", params={"limit": 5000, "marker": body["servers"][-1]["id"]}).json()
    assert len(rest["servers"]) == 4 and "servers_links" not in rest  # 1004 with the default seed
    assert len(api.get("/servers/detail").json()["servers"]) == 1000  # no limit: the cap too
    page = v1(api, limit=5000).json()
    assert page["count"] == 1004 and len(page["servers"]) == 1000
    assert len(v1(api, limit=5000, offset=2).json()["servers"]) == 4


def test_v1_detail_pages_by_offset_25_by_default_with_the_count(api, emu):
    emu.admin.seed(servers=fleet(56, prefix="web"))
    default = v1(api).json()
    assert default["count"] == 60 and len(default["servers"]) == 25
    pages = [v1(api, limit=20, offset=n).json() for n in (1, 2, 3, 4)]
    assert [len(p["servers"]) for p in pages] == [20, 20, 20, 0]
    assert all(p["count"] == 60 for p in pages)
    ids = [s["id"] for p in pages for s in p["servers"]]
    assert len(set(ids)) == 60
    assert [s["id"] for s in v1(api, limit=20, offset=0).json()["servers"]] == ids[:20]  # 0 is the first page too
    # newest first, as the Nova listing
    assert [s["id"] for s in api.get("/servers/detail").json()["servers"]] == ids
    for params in ({"limit": "x"}, {"offset": "-1"}, {"limit": "-5"}):
        resp = v1(api, **params)
        assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0005", params


def test_v1_detail_document(api, emu):
    emu.admin.seed(servers=[{"id": "v1-doc", "name": "v1-doc", "flavor": "s6.large.2", "status": "SHUTOFF",
                             "availability_zone": "eu-de-02", "tags": ["env=prod"], "metadata": {"role": "db"},
                             "locked": True, "addresses": [FIXED, FLOATING]}])
    doc = next(s for s in v1(api).json()["servers"] if s["id"] == "v1-doc")
    assert doc["flavor"] == {"id": "s6.large.2", "name": "s6.large.2", "vcpus": "2", "ram": "4096", "disk": "0"}
    assert doc["status"] == "SHUTOFF" and doc["OS-EXT-STS:vm_state"] == "stopped" and doc["OS-EXT-STS:power_state"] == 4
    assert doc["OS-EXT-STS:task_state"] is None and doc["locked"] is True and doc["fault"] is None
    assert doc["OS-EXT-AZ:availability_zone"] == "eu-de-02" and doc["tags"] == ["env=prod"]
    assert doc["metadata"] == {"role": "db"} and "progress" not in doc
    vpc = doc["addresses"]["vpc-1"]
    assert [(a["addr"], a["version"], a["OS-EXT-IPS:type"]) for a in vpc] == [("192.168.0.11", "4", "fixed"),
                                                                              ("80.158.1.11", "4", "floating")]
    assert all(a["OS-EXT-IPS:port_id"] and a["OS-EXT-IPS-MAC:mac_addr"] for a in vpc)
    assert doc["created"].endswith("Z") and doc["updated"].endswith("Z")
    web1 = next(s for s in v1(api).json()["servers"] if s["id"] == WEB1)
    assert web1["progress"] == 0 and web1["tags"] == [] and web1["locked"] is False


def test_v1_detail_filters(api, emu):
    emu.admin.seed(servers=[{"name": "web-10", "flavor": "s6.medium.2", "tags": ["env=prod", "role=web"]},
                            {"name": "webx1", "flavor": "s6.medium.2", "tags": ["env=prod"]},
                            {"name": "my.web", "flavor": "s6.medium.2", "status": "SHUTOFF"}])
    assert names(v1(api, name="web-1")) == ["web-1", "web-10"]  # fuzzy: a part of the name
    assert names(v1(api, name="web.1")) == ["web-1", "web-10", "webx1"]  # a period is any character
    assert names(v1(api, name="^web")) == []  # not a regular expression
    assert names(v1(api, tags="env=prod")) == ["web-10", "webx1"]
    assert names(v1(api, tags="env=prod,role=web")) == ["web-10"]
    assert names(v1(api, status="SHUTOFF")) == ["db-1", "my.web"]
    assert v1(api, status="SHUTOFF", name="my").json()["count"] == 1


def test_v1_status_filter_counts_intermediate_states(api, emu):
    """listing_details_about_ecss.rst, status: an ECS in an intermediate state is found under ACTIVE (REBOOT,
    HARD_REBOOT, REBUILD, MIGRATING, RESIZE), SHUTOFF (RESIZE, REBUILD), VERIFY_RESIZE (REVERT_RESIZE)."""
    emu.admin.set_server(WEB1, vm_state="stopped", task_state="resize_migrating")  # OTC: RESIZE
    assert api.server(WEB1)["status"] == "RESIZE"
    assert "web-1" in names(v1(api, status="ACTIVE")) and "web-1" in names(v1(api, status="SHUTOFF"))
    assert names(v1(api, status="RESIZE")) == ["web-1"]
    assert "web-1" not in names(api.get("/servers/detail", params={"status": "ACTIVE"}))


@pytest.mark.profile("nova")
def test_v1_detail_is_not_there_on_plain_nova(api):
    resp = v1(api)
    assert resp.status_code == 300 and "choices" in resp.json()
