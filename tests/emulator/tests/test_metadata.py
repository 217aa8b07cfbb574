"""Server metadata (the Nova-compatible metadata API), under every profile.

Sources: Nova 34's server_metadata controller and schema (nova/api/openstack/compute/
server_metadata.py, schemas/server_metadata.py, parameter_types.metadata, compute/api.py
update_instance_metadata), and OTC's native_openstack_nova_apis/metadata_management/*.rst
(keys: at most 255 characters of A-Z a-z 0-9 - _ : .; values: at most 255 characters).
"""

import pytest
import requests

from emulator_helpers import DB1, WEB1, settled

NOVA_KEY = "^[a-zA-Z0-9-_:. ]{1,255}$"
OTC_KEY = "^[A-Za-z0-9_:.-]{1,255}$"


def meta(api, method, server_id, key=None, body=None):
    path = "/servers/%s/metadata" % server_id + ("/" + key if key is not None else "")
    return api.session.request(method, api.compute + path, json=body, headers=api.headers(), timeout=10)


def nova_error(resp):
    body = resp.json()
    assert len(body) == 1, body
    (name, inner), = body.items()
    assert inner["code"] == resp.status_code
    return resp.status_code, name, inner["message"]


@pytest.fixture(params=["nova", "otc", "otc-swiss"])
def profile(request, emu):
    emu.admin.config(profile=request.param)
    return request.param


def test_metadata_round_trip(api, profile):
    assert meta(api, "GET", WEB1).json() == {"metadata": {}}
    resp = meta(api, "POST", WEB1, body={"metadata": {"ecs_ops:restart": "after-resize"}})
    assert resp.status_code == 200 and resp.json() == {"metadata": {"ecs_ops:restart": "after-resize"}}
    resp = meta(api, "POST", WEB1, body={"metadata": {"b": "2"}})  # merges
    assert resp.json() == {"metadata": {"ecs_ops:restart": "after-resize", "b": "2"}}
    assert api.server(WEB1)["metadata"] == {"ecs_ops:restart": "after-resize", "b": "2"}
    assert meta(api, "GET", WEB1, "ecs_ops:restart").json() == {"meta": {"ecs_ops:restart": "after-resize"}}
    resp = meta(api, "PUT", WEB1, "c", {"meta": {"c": "3"}})
    assert resp.status_code == 200 and resp.json() == {"meta": {"c": "3"}}
    mismatch = (400, "badRequest", "Request body and URI mismatch")
    assert nova_error(meta(api, "PUT", WEB1, "c", {"meta": {"d": "4"}})) == mismatch
    resp = meta(api, "DELETE", WEB1, "b")
    assert resp.status_code == 204 and resp.content == b""
    not_found = (404, "itemNotFound", "Metadata item was not found")
    assert nova_error(meta(api, "GET", WEB1, "b")) == not_found
    assert nova_error(meta(api, "DELETE", WEB1, "b")) == not_found
    resp = meta(api, "PUT", WEB1, body={"metadata": {"only": "this"}})  # replaces everything
    assert resp.status_code == 200 and meta(api, "GET", WEB1).json() == {"metadata": {"only": "this"}}
    assert nova_error(meta(api, "GET", "nope")) == (404, "itemNotFound", "Instance nope could not be found.")


def test_metadata_schema_and_limits(api, profile):
    pattern = NOVA_KEY if profile == "nova" else OTC_KEY
    ok_value = "v" * 255
    assert meta(api, "POST", WEB1, body={"metadata": {"k" * 255: ok_value}}).status_code == 200
    cases = [
        ({"metadata": {"k": "v" * 256}}, "Invalid input for field/attribute k. Value: %s. '%s' is too long"
         % ("v" * 256, "v" * 256)),
        ({"metadata": {"k": 1}}, "Invalid input for field/attribute k. Value: 1. 1 is not of type 'string'"),
        ({"metadata": {"": "v"}}, "Invalid input for field/attribute metadata. Value: {'': 'v'}. '' does not match "
                                  "any of the regexes: '%s'" % pattern),
        ({"metadata": {"bad key!": "v"}}, "Invalid input for field/attribute metadata. Value: {'bad key!': 'v'}. "
                                          "'bad key!' does not match any of the regexes: '%s'" % pattern),
        ({"metadata": "x"}, "Invalid input for field/attribute metadata. Value: x. 'x' is not of type 'object'"),
        ({}, "'metadata' is a required property"),
        ({"metadata": {}, "x": 1}, "Additional properties are not allowed ('x' was unexpected)"),
    ]
    for body, message in cases:
        assert nova_error(meta(api, "POST", WEB1, body=body)) == (400, "badRequest", message), body
    assert nova_error(meta(api, "PUT", WEB1, "a", {"meta": {"a": "1", "b": "2"}}))[2].endswith("has too many properties")
    assert nova_error(meta(api, "PUT", WEB1, "a", {"meta": {}}))[2].endswith("{} should be non-empty")
    # real Nova reads the '-' of '9-_' as a hyphen: '@' is refused (tests/nova); so does OTC
    assert meta(api, "POST", WEB1, body={"metadata": {"a@b": "v"}}).status_code == 400
    # a key with a space: Nova's regex allows it, OTC's documented character set does not
    resp = meta(api, "POST", WEB1, body={"metadata": {"with space": "v"}})
    assert resp.status_code == (200 if profile == "nova" else 400)
    expected = {"k" * 255: ok_value}
    if profile == "nova":
        expected["with space"] = "v"
    assert meta(api, "GET", WEB1).json()["metadata"] == expected


def test_metadata_quota(api, profile):
    """Nova's metadata_items quota (default 128): over it 403 forbidden."""
    items = {"k%03d" % i: "v" for i in range(128)}
    assert meta(api, "PUT", WEB1, body={"metadata": items}).status_code == 200
    assert nova_error(meta(api, "POST", WEB1, body={"metadata": {"one-more": "v"}})) == (
        403, "forbidden", "Maximum number of metadata items exceeds 128")
    assert len(meta(api, "GET", WEB1).json()["metadata"]) == 128


def test_metadata_writes_need_an_unlocked_server_in_a_writable_vm_state(api, emu, profile):
    """Nova's update/delete_instance_metadata: locked -> 409; vm_state other than active, paused,
    suspended, stopped -> 409, whatever the task (tests/nova: writable during RESIZE); OTC's pages:
    "An ECS must be in active, stopped, paused, or suspended state". Reads always work."""
    assert meta(api, "POST", DB1, body={"metadata": {"marker": "1"}}).status_code == 200
    emu.admin.set_server(WEB1, locked=True)
    assert nova_error(meta(api, "POST", WEB1, body={"metadata": {"a": "1"}})) == (
        409, "conflictingRequest", "Instance %s is locked" % WEB1)
    emu.admin.set_server(WEB1, locked=False)
    emu.admin.config(time_scale=0.05, durations={"resize_prep": 10})  # 0.5 s of resize_prep
    assert api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}}).status_code == 202
    assert meta(api, "POST", DB1, body={"metadata": {"during": "resize"}}).status_code == 200
    assert api.server(DB1)["status"] == "RESIZE"
    api.wait(DB1, settled("VERIFY_RESIZE"))
    assert meta(api, "GET", DB1, "marker").json() == {"meta": {"marker": "1"}}
    assert nova_error(meta(api, "DELETE", DB1, "marker")) == (
        409, "conflictingRequest", "Cannot 'delete metadata' instance %s while it is in vm_state resized" % DB1)
    assert nova_error(meta(api, "PUT", DB1, "x", {"meta": {"x": "1"}})) == (
        409, "conflictingRequest", "Cannot 'update metadata' instance %s while it is in vm_state resized" % DB1)
    assert api.action(DB1, {"confirmResize": None}).status_code == 204
    api.wait(DB1, settled("SHUTOFF"))
    assert meta(api, "DELETE", DB1, "marker").status_code == 204
    assert meta(api, "GET", DB1).json() == {"metadata": {"during": "resize"}}


def test_native_metadata_update(api, emu):
    """apis_recommended/metadata_management/updating_ecs_metadata.rst (otc profiles; plain Nova: 300)."""
    url = api.ecs + "/cloudservers/%s/metadata" % WEB1
    resp = requests.post(url, json={"metadata": {"a": "1"}}, headers=api.headers(), timeout=10)
    assert resp.status_code == 200 and resp.json() == {"metadata": {"a": "1"}}
    resp = requests.post(url, json={"metadata": {"b": "2"}}, headers=api.headers(), timeout=10)
    assert resp.json() == {"metadata": {"a": "1", "b": "2"}}
    resp = requests.post(url, json={"metadata": {"bad key": "2"}}, headers=api.headers(), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0005"
    emu.admin.set_server(WEB1, locked=True)
    resp = requests.post(url, json={"metadata": {"c": "3"}}, headers=api.headers(), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0605"
    resp = requests.post(api.ecs + "/cloudservers/nope/metadata", json={"metadata": {"c": "3"}},
                         headers=api.headers(), timeout=10)
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "Ecs.0114"
    emu.admin.config(profile="nova")
    assert requests.post(url, json={"metadata": {"c": "3"}}, headers=api.headers(), timeout=10).status_code == 300
