"""Version documents and microversion negotiation."""

import pytest
import requests

from emulator_helpers import WEB1


def test_version_documents(emu):
    root = requests.get(emu.base_url + "/", timeout=10)
    assert root.status_code == 200
    ids = dict((v["id"], v) for v in root.json()["versions"])
    assert ids["v2.1"]["version"] == "2.60" and ids["v2.1"]["min_version"] == "2.1"
    for path in ("/v2.1/", "/v2.1", "/v2/"):
        resp = requests.get(emu.base_url + path, timeout=10, allow_redirects=False)
        assert resp.status_code == 200, path
        doc = resp.json()["version"]
        assert doc["version"] == "2.60" and doc["min_version"] == "2.1"


@pytest.mark.parametrize("header,value,expected", [
    ("X-OpenStack-Nova-API-Version", "2.47", "2.47"),
    ("X-OpenStack-Nova-API-Version", "latest", "2.60"),
    ("X-OpenStack-Nova-API-Version", "2.1", "2.1"),
    ("OpenStack-API-Version", "compute 2.9", "2.9"),
    ("OpenStack-API-Version", "compute latest", "2.60"),
])
def test_microversion_is_echoed(api, header, value, expected):
    resp = api.get("/servers/" + WEB1, headers={header: value})
    assert resp.status_code == 200
    assert resp.headers["X-OpenStack-Nova-API-Version"] == expected
    assert resp.headers["OpenStack-API-Version"] == "compute " + expected
    assert "X-OpenStack-Nova-API-Version" in resp.headers["Vary"]


def test_default_microversion_is_2_1(api):
    resp = api.get("/servers/" + WEB1)
    assert resp.headers["X-OpenStack-Nova-API-Version"] == "2.1"
    server = resp.json()["server"]
    assert "locked" not in server


@pytest.mark.parametrize("value", ["2.61", "3.0", "1.9", "2.0", "abc", "2", "2.x", "2.01a"])
def test_bad_microversion_is_406(api, value):
    resp = api.get("/servers/" + WEB1, mv=value)
    assert resp.status_code == 406
    body = resp.json()
    assert list(body) == ["notAcceptable"] and body["notAcceptable"]["code"] == 406


def test_flavor_shape_switches_at_2_47(api, emu):
    old = api.get("/servers/" + WEB1, mv="2.46").json()["server"]["flavor"]
    assert old == {"id": "s6.medium.2", "links": [
        {"href": "%s/%s/flavors/s6.medium.2" % (emu.base_url, emu.info["project_id"]), "rel": "bookmark"}]}
    new = api.get("/servers/" + WEB1, mv="2.47").json()["server"]["flavor"]
    assert new == {"original_name": "s6.medium.2", "vcpus": 1, "ram": 2048, "disk": 0, "ephemeral": 0, "swap": 0,
                   "extra_specs": {}}


def test_locked_field_from_2_9(api):
    assert "locked" not in api.get("/servers/" + WEB1, mv="2.8").json()["server"]
    assert api.get("/servers/" + WEB1, mv="2.9").json()["server"]["locked"] is False


def test_v2_and_v21_both_serve_compute(api, emu):
    for prefix in ("/v2/", "/v2.1/"):
        url = emu.base_url + prefix + emu.info["project_id"] + "/servers/" + WEB1
        resp = requests.get(url, headers={"X-Auth-Token": api.token}, timeout=10)
        assert resp.status_code == 200
        assert resp.json()["server"]["links"][0]["href"].startswith(emu.base_url + prefix)
