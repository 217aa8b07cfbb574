"""Version documents and microversion negotiation."""

import pytest
import requests

from emulator_helpers import WEB1

# Real Nova's behaviour (tests/nova/FINDINGS.md): pinned under the nova profile.
pytestmark = pytest.mark.profile("nova")


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


@pytest.mark.parametrize("value", ["2.61", "3.0", "1.9", "2.0"])
def test_out_of_range_microversion_is_406_and_echoed(api, value):
    resp = api.get("/servers/" + WEB1, mv=value)
    assert resp.status_code == 406
    assert resp.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert resp.json() == {"computeFault": {"code": 406, "message": "Version %s is not supported by the API. "
                                                                    "Minimum is 2.1 and maximum is 2.60." % value}}
    assert resp.headers["X-OpenStack-Nova-API-Version"] == value  # Nova echoes the refused version
    assert resp.headers["OpenStack-API-Version"] == "compute " + value


@pytest.mark.parametrize("header,value", [
    ("X-OpenStack-Nova-API-Version", "abc"), ("X-OpenStack-Nova-API-Version", "2"),
    ("X-OpenStack-Nova-API-Version", "2.x"), ("X-OpenStack-Nova-API-Version", "2.01a"),
    ("X-OpenStack-Nova-API-Version", "LATEST"), ("X-OpenStack-Nova-API-Version", "compute 2.47"),
    ("OpenStack-API-Version", "compute 2.x"),
])
def test_malformed_microversion_is_400(api, header, value):
    resp = api.get("/servers/" + WEB1, headers={header: value})
    assert resp.status_code == 400
    version = value.split()[-1] if header == "OpenStack-API-Version" else value
    assert resp.json() == {"badRequest": {"code": 400, "message": "API Version String %s is of invalid format. "
                                                                  "Must be of format MajorNum.MinorNum." % version}}
    assert "X-OpenStack-Nova-API-Version" not in resp.headers


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


def test_legacy_v2_ignores_microversions(api, emu):
    url = emu.base_url + "/v2/" + emu.info["project_id"] + "/servers/" + WEB1
    for value in ("2.47", "9.9", "junk"):
        resp = requests.get(url, headers={"X-Auth-Token": api.token, "X-OpenStack-Nova-API-Version": value}, timeout=10)
        assert resp.status_code == 200
        assert "X-OpenStack-Nova-API-Version" not in resp.headers and "OpenStack-API-Version" not in resp.headers
        assert "id" in resp.json()["server"]["flavor"] and "locked" not in resp.json()["server"]


def test_urls_without_project_id(api, emu):
    base = emu.base_url + "/v2.1"
    resp = requests.get(base + "/servers/" + WEB1, headers={"X-Auth-Token": api.token}, timeout=10)
    assert resp.status_code == 200
    server = resp.json()["server"]
    assert server["links"][0]["href"] == base + "/servers/" + WEB1
    assert server["links"][1]["href"] == emu.base_url + "/servers/" + WEB1
    assert server["flavor"]["links"][0]["href"] == emu.base_url + "/flavors/s6.medium.2"
    resp = requests.post(base + "/servers/%s/action" % WEB1, json={"resize": {"flavorRef": "s6.large.2"}},
                         headers={"X-Auth-Token": api.token}, timeout=10)
    assert resp.status_code == 202
    flavors = requests.get(base + "/flavors/detail", headers={"X-Auth-Token": api.token}, timeout=10).json()["flavors"]
    assert flavors[0]["links"][0]["href"].startswith(base + "/flavors/")
    # a project-id segment that is not hex matches no route: webob's HTML 404
    resp = requests.get(emu.base_url + "/v2.1/not-a-project/servers/" + WEB1, headers={"X-Auth-Token": api.token},
                        timeout=10)
    assert resp.status_code == 404 and resp.headers["Content-Type"].startswith("text/html")
    assert "<title>404 Not Found</title>" in resp.text


def test_request_ids_and_401_like_keystonemiddleware(api, emu):
    resp = requests.get(api.compute + "/servers", timeout=10)
    assert resp.status_code == 401
    assert resp.json() == {"error": {"code": 401, "title": "Unauthorized",
                                     "message": "The request you have made requires authentication."}}
    assert resp.headers["WWW-Authenticate"] == 'Keystone uri="%s/v3"' % emu.base_url
    ids = set()
    for resp in (resp, api.get("/servers/" + WEB1), api.get("/servers/nope"), api.get("/nothing")):
        assert resp.headers["x-openstack-request-id"] == resp.headers["x-compute-request-id"]
        ids.add(resp.headers["x-openstack-request-id"])
    assert len(ids) == 4
