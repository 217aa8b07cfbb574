"""Server action preconditions, error shapes, and bad input (4xx, never 500, no state change)."""

import json
import random

import pytest
import requests

from emulator_helpers import APP1, DB1, M1_LARGE, M1_MEDIUM, M1_TINY, WEB1, settled

# Real Nova's behaviour (tests/nova/FINDINGS.md): pinned under the nova profile.
pytestmark = pytest.mark.profile("nova")


def only_key(resp):
    body = resp.json()
    assert len(body) == 1, body
    key = list(body)[0]
    assert body[key]["code"] == resp.status_code
    return key, body[key]["message"]


def assert_untouched(emu, server_id, status="ACTIVE", flavor=None):
    raw = emu.admin.server(server_id)
    assert raw["status"] == status and raw["op"] is None
    if flavor:
        assert raw["flavor"] == flavor
    return raw


def test_flavor_ref_as_url_is_accepted(api, emu):
    # Nova 34 refuses a URI ("Flavor <uri> could not be found."); the ECS docs accept one: kept.
    ref = emu.info["compute_url"] + "/flavors/s6.large.2"
    assert api.action(WEB1, {"resize": {"flavorRef": ref}}).status_code == 202
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    assert emu.admin.server(WEB1)["flavor"] == "s6.large.2"


def test_flavor_ref_as_uuid(api):
    assert api.action(APP1, {"resize": {"flavorRef": M1_MEDIUM}}).status_code == 202
    _seen, srv = api.wait(APP1, settled("VERIFY_RESIZE"))
    assert srv["flavor"]["original_name"] == "m1.medium"


@pytest.mark.parametrize("server,flavor,message", [
    (WEB1, "nope", "Flavor nope could not be found."),
    (WEB1, "m1.medium", "Flavor m1.medium could not be found."),  # a name is not an id
    (WEB1, " s6.large.2", "Flavor  s6.large.2 could not be found."),  # not stripped
    (WEB1, "s6.medium.2", "When resizing, instances must change flavor!"),
    (APP1, M1_TINY, "Flavor's disk is smaller than the minimum size specified in image metadata. "
                    "Flavor disk is 1073741824 bytes, minimum size is 21474836480 bytes."),
    (APP1, "s6.large.2", "Server disk was unable to be resized because: Resize to zero disk flavor is not allowed."),
])
def test_resize_flavor_errors_are_400(api, emu, server, flavor, message):
    resp = api.action(server, {"resize": {"flavorRef": flavor}})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert only_key(resp) == ("badRequest", message)
    assert_untouched(emu, server)


def test_schema_messages_like_nova(api):
    cases = [
        ({"resize": {}}, "Invalid input for field/attribute resize. Value: {}. 'flavorRef' is a required property"),
        ({"resize": {"flavorRef": ""}}, "Invalid input for field/attribute flavorRef. Value: . '' should be non-empty"),
        ({"resize": {"flavorRef": "s6.large.2", "foo": 1}},
         "Invalid input for field/attribute resize. Value: {'flavorRef': 's6.large.2', 'foo': 1}. "
         "Additional properties are not allowed ('foo' was unexpected)"),
        ({"resize": {"flavorRef": None}},
         "Invalid input for field/attribute flavorRef. Value: None. None is not of type 'string', 'integer'"),
        ({"resize": "s6.large.2"},
         "Invalid input for field/attribute resize. Value: s6.large.2. 's6.large.2' is not of type 'object'"),
        ({"bogusAction": None}, "There is no such action: bogusAction"),
    ]
    for body, message in cases:
        resp = api.action(WEB1, body)
        assert resp.status_code == 400 and only_key(resp) == ("badRequest", message)


def test_disk_shrink_below_current_but_not_boot_disk_rolls_back(api, emu):
    # app-1 was booted on m1.small (20 GiB); on m1.large (80) a resize to m1.medium (40) is accepted,
    # then refused by the compute (libvirt: "Unable to resize disk down."): a cloud-side rollback.
    emu.admin.set_server(APP1, flavor=M1_LARGE)
    # 0.2 s each for resize_prep and the rollback: a poller on a loaded machine still sees them
    emu.admin.config(durations={"resize_prep": 20, "rollback": 20})
    resp = api.action(APP1, {"resize": {"flavorRef": M1_MEDIUM}})
    assert resp.status_code == 202
    seen, srv = api.wait(APP1, lambda s: s["status"] == "ACTIVE" and s["OS-EXT-STS:task_state"] is None)
    assert [s for s in seen if s[0] == "VERIFY_RESIZE"] == [] and ("RESIZE", "resize_prep") in seen
    assert srv["flavor"]["original_name"] == "m1.large"
    request_id = resp.headers["x-openstack-request-id"]
    action = api.get("/servers/%s/os-instance-actions/%s" % (APP1, request_id), mv="2.51").json()["instanceAction"]
    while action["message"] is None:  # "Error" shortly after the server is back
        action = api.get("/servers/%s/os-instance-actions/%s" % (APP1, request_id), mv="2.51").json()["instanceAction"]
    results = dict((e["event"], e["result"]) for e in action["events"])
    assert results == {"conductor_migrate_server": "Success", "cold_migrate": "Success",
                       "compute_prep_resize": "Success", "compute_resize_instance": "Error"}


def test_quota_exceeded_on_resize_is_403(api, emu):
    emu.admin.config(quota={"cores": 6})  # used: 1 + 1 + 2 + 1 = 5 cores
    resp = api.action(WEB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    assert resp.status_code == 403
    assert only_key(resp) == ("forbidden", "Quota exceeded for cores: Requested 3, but already used 5 of 6 cores")
    assert_untouched(emu, WEB1)
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202


def test_unknown_server_is_404(api):
    resp = api.action("no-such-server", {"resize": {"flavorRef": "s6.large.2"}})
    assert resp.status_code == 404
    assert only_key(resp) == ("itemNotFound", "Instance no-such-server could not be found.")


def test_locked_server_is_409(api, emu):
    emu.admin.set_server(WEB1, locked=True)
    for body in ({"resize": {"flavorRef": "s6.large.2"}}, {"os-stop": None}):
        resp = api.action(WEB1, body)
        assert resp.status_code == 409
        assert only_key(resp) == ("conflictingRequest", "Instance %s is locked" % WEB1)
    emu.admin.set_server(WEB1, locked=False)
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202


def test_wrong_state_is_409(api, emu):
    for action in ("confirmResize", "revertResize"):
        resp = api.action(WEB1, {action: None})
        assert resp.status_code == 409
        assert only_key(resp) == ("conflictingRequest",
                                  "Cannot '%s' instance %s while it is in vm_state active" % (action, WEB1))
    resp = api.action(DB1, {"os-stop": None})
    assert resp.status_code == 409 and "vm_state stopped" in only_key(resp)[1]
    resp = api.action(WEB1, {"os-start": None})
    assert resp.status_code == 409 and "Cannot 'start' instance" in only_key(resp)[1]
    emu.admin.config(time_scale=0.2)
    api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    resp = api.action(WEB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    assert resp.status_code == 409
    assert only_key(resp)[1] == "Cannot 'resize' instance %s while it is in task_state resize_prep" % WEB1
    emu.admin.config(time_scale=0.01)
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    resp = api.action(WEB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    assert resp.status_code == 409
    assert only_key(resp)[1] == "Cannot 'resize' instance %s while it is in vm_state resized" % WEB1
    emu.admin.set_server(DB1, status="ERROR")
    resp = api.action(DB1, {"resize": {"flavorRef": "s6.xlarge.2"}})
    assert resp.status_code == 409 and "vm_state error" in only_key(resp)[1]


def test_double_confirm_while_confirming(api, emu):
    api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    emu.admin.config(time_scale=1.0)
    assert api.action(WEB1, {"confirmResize": None}).status_code == 204
    for action in ("confirmResize", "revertResize"):
        resp = api.action(WEB1, {action: None})
        assert resp.status_code == 400
        assert only_key(resp) == ("badRequest", "Instance has not been resized.")


BAD_BODIES = [
    ("malformed json", b"{not json", "application/json", 400),
    ("empty body", b"", "application/json", 400),
    ("json list", b"[]", "application/json", 400),
    ("two actions", json.dumps({"os-stop": None, "resize": {"flavorRef": "s6.large.2"}}).encode(),
     "application/json", 400),
    ("unknown action", json.dumps({"reboot": {"type": "SOFT"}}).encode(), "application/json", 400),
    ("null flavorRef", json.dumps({"resize": {"flavorRef": None}}).encode(), "application/json", 400),
    ("missing flavorRef", json.dumps({"resize": {}}).encode(), "application/json", 400),
    ("empty flavorRef", json.dumps({"resize": {"flavorRef": ""}}).encode(), "application/json", 400),
    ("bool flavorRef", json.dumps({"resize": {"flavorRef": True}}).encode(), "application/json", 400),
    ("resize not object", json.dumps({"resize": "s6.large.2"}).encode(), "application/json", 400),
    ("extra property", json.dumps({"resize": {"flavorRef": "s6.large.2", "x": 1}}).encode(), "application/json", 400),
    ("bad utf-8", b"\xff\xfe{", "application/json", 400),
    ("wrong content type", json.dumps({"os-stop": None}).encode(), "application/xml", 415),
]


@pytest.mark.parametrize("name,data,ctype,status", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_action_bodies(api, emu, name, data, ctype, status):
    resp = requests.post(api.compute + "/servers/%s/action" % WEB1, data=data,
                         headers={"X-Auth-Token": api.token, "Content-Type": ctype}, timeout=10)
    assert resp.status_code == status, (name, resp.text)
    key, _message = only_key(resp)
    assert key == {400: "badRequest", 415: "badMediaType"}[status]
    assert "Traceback" not in resp.text
    assert_untouched(emu, WEB1, flavor="s6.medium.2")


def test_text_plain_content_type_is_read_as_json_like_nova(api):
    resp = requests.post(api.compute + "/servers/%s/action" % WEB1, data=json.dumps({"os-stop": None}),
                         headers={"X-Auth-Token": api.token, "Content-Type": "text/plain"}, timeout=10)
    assert resp.status_code == 202


def test_huge_body_is_413(api, emu):
    body = json.dumps({"resize": {"flavorRef": "s6.large.2", "pad": "x" * 70000}}).encode()
    resp = requests.post(api.compute + "/servers/%s/action" % WEB1, data=body,
                         headers={"X-Auth-Token": api.token, "Content-Type": "application/json"}, timeout=10)
    assert resp.status_code == 413
    assert only_key(resp)[0] == "overLimit"
    assert_untouched(emu, WEB1)
    emu.admin.config(max_body_bytes=1024)
    resp = api.action(WEB1, {"resize": {"flavorRef": "s6.large.2", "OS-DCF:diskConfig": "AUTO" + " " * 2000}})
    assert resp.status_code == 413


def test_unknown_paths_and_methods(api, emu):
    # Nova: webob's HTML 404 for any unrouted URL (no 405), JSON when only JSON is accepted
    for resp in (api.get("/nothing/here"), requests.get(api.compute + "/servers/%s/action" % WEB1,
                                                        headers=api.headers(), timeout=10)):
        assert resp.status_code == 404 and resp.headers["Content-Type"] == "text/html; charset=UTF-8"
        assert "<title>404 Not Found</title>" in resp.text and "X-OpenStack-Nova-API-Version" not in resp.headers
    resp = api.get("/nothing/here", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.json()["code"] == "404 Not Found"
    # outside the APIs: Nova's version discovery answers 300 for any path
    resp = requests.get(emu.base_url + "/totally/unknown", timeout=10)
    assert resp.status_code == 300 and [c["id"] for c in resp.json()["choices"]] == ["v2.0", "v2.1"]
    # flavor management is a policy refusal for a project member
    resp = requests.delete(api.compute + "/flavors/s6.large.2", headers=api.headers(), timeout=10)
    assert resp.status_code == 403
    assert only_key(resp) == ("forbidden", "Policy doesn't allow os_compute_api:os-flavor-manage:delete to be performed.")
    resp = api.post("/flavors", {"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 1}})
    assert resp.status_code == 403 and "os-flavor-manage:create" in only_key(resp)[1]
    # plain Nova has no ECS API: any /v1 path reaches the version discovery app (FINDINGS section 5)
    for path in ("/nope", "/cloudservers/resize_flavors?source_flavor_id=s6.small.1", "/jobs/x"):
        resp = requests.get(emu.info["ecs_url"] + path, headers=api.headers(), timeout=10)
        assert resp.status_code == 300 and [c["id"] for c in resp.json()["choices"]] == ["v2.0", "v2.1"]
    resp = requests.post(emu.info["ecs_url"] + "/cloudservers/%s/resize" % WEB1, json={"resize": {"flavorRef": "x"}},
                         timeout=10)
    assert resp.status_code == 300
    # and /v2.1/<project_id>/resize_flavors is an unknown Nova URL: webob's HTML 404
    resp = api.get("/resize_flavors", params={"instance_uuid": WEB1})
    assert resp.status_code == 404 and resp.headers["Content-Type"] == "text/html; charset=UTF-8"
    for resp in (api.get("/servers/x"), requests.get(emu.base_url + "/zzz", timeout=10)):
        assert resp.headers["x-openstack-request-id"].startswith("req-")


def test_random_bodies_never_500(api, emu):
    rnd = random.Random(7)
    atoms = [None, True, 0, -1, 1.5, "", "s6.large.2", "x" * 300, [], {}, "\u00e9", "../../etc"]
    keys = ["resize", "confirmResize", "revertResize", "os-stop", "os-start", "flavorRef", "", "x"]

    def value(depth):
        if depth > 2 or rnd.random() < 0.5:
            return rnd.choice(atoms)
        if rnd.random() < 0.5:
            return [value(depth + 1) for _i in range(rnd.randint(0, 3))]
        return dict((rnd.choice(keys), value(depth + 1)) for _i in range(rnd.randint(0, 3)))

    statuses = set()
    for _round in range(60):
        body = value(0)
        resp = api.session.post(api.compute + "/servers/%s/action" % rnd.choice([WEB1, DB1, "nope"]),
                                data=json.dumps(body), headers=dict(api.headers(), **{"Content-Type": "application/json"}),
                                timeout=10)
        assert resp.status_code < 500, (body, resp.text)
        statuses.add(resp.status_code)
        assert "Traceback" not in resp.text
    assert 400 in statuses
