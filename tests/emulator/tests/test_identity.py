"""Keystone v3 password/token auth, scoping, catalog, expiry."""

import time

import requests

from ecs_emulator import seed


def auth_body(user, password, scope=None, methods=("password",)):
    body = {"auth": {"identity": {"methods": list(methods), "password": {"user": dict(user, password=password)}}}}
    if scope is not None:
        body["auth"]["scope"] = scope
    return body


def post_token(emu, body):
    return requests.post(emu.info["auth_url"] + "/auth/tokens", json=body, timeout=10)


def test_version_document(emu):
    for path in ("/v3", "/v3/"):
        resp = requests.get(emu.base_url + path, timeout=10)
        assert resp.status_code == 200
        assert resp.json()["version"]["id"].startswith("v3")


def test_password_by_name_and_domain_name_scoped_by_project_id(emu):
    info = emu.info
    resp = post_token(emu, auth_body({"name": "demo", "domain": {"name": "Default"}}, info["password"],
                                     {"project": {"id": info["project_id"]}}))
    assert resp.status_code == 201
    assert resp.headers["X-Subject-Token"]
    token = resp.json()["token"]
    assert token["methods"] == ["password"]
    assert token["project"] == {"id": info["project_id"], "name": "demo-project",
                                "domain": {"id": "default", "name": "Default"}}
    assert token["user"]["name"] == "demo"
    assert token["expires_at"].endswith("Z") and token["issued_at"] < token["expires_at"]
    compute = [s for s in token["catalog"] if s["type"] == "compute"][0]
    assert compute["name"] == "nova"
    interfaces = dict((e["interface"], e) for e in compute["endpoints"])
    assert set(interfaces) == {"public", "internal", "admin"}
    assert interfaces["public"]["url"] == info["compute_url"]
    assert interfaces["public"]["region_id"] == "eu-de" and interfaces["public"]["region"] == "eu-de"
    assert any(s["type"] == "identity" for s in token["catalog"])
    servers = requests.get(info["compute_url"] + "/servers", headers={"X-Auth-Token": resp.headers["X-Subject-Token"]},
                           timeout=10)
    assert servers.status_code == 200


def test_password_by_user_id_and_domain_id_scoped_by_project_name(emu):
    resp = post_token(emu, auth_body({"id": seed.DEFAULT_USER_ID}, seed.DEFAULT_PASSWORD,
                                     {"project": {"name": "demo-project", "domain": {"id": "default"}}}))
    assert resp.status_code == 201
    resp = post_token(emu, auth_body({"name": "demo", "domain": {"id": "default"}}, seed.DEFAULT_PASSWORD,
                                     {"project": {"name": "demo-project", "domain": {"name": "Default"}}}))
    assert resp.status_code == 201


def test_unscoped_request_gets_default_project(emu):
    resp = post_token(emu, auth_body({"name": "demo", "domain": {"name": "Default"}}, seed.DEFAULT_PASSWORD))
    assert resp.status_code == 201
    assert resp.json()["token"]["project"]["id"] == seed.DEFAULT_PROJECT_ID


def test_wrong_credentials_are_401_in_keystone_shape(emu):
    cases = [
        auth_body({"name": "demo", "domain": {"name": "Default"}}, "wrong"),
        auth_body({"name": "nobody", "domain": {"name": "Default"}}, seed.DEFAULT_PASSWORD),
        auth_body({"name": "demo", "domain": {"name": "Other"}}, seed.DEFAULT_PASSWORD),
        auth_body({"id": "nope"}, seed.DEFAULT_PASSWORD),
        auth_body({"name": "demo", "domain": {"name": "Default"}}, seed.DEFAULT_PASSWORD,
                  {"project": {"id": "0" * 32}}),
        auth_body({"name": "demo", "domain": {"name": "Default"}}, seed.DEFAULT_PASSWORD,
                  {"project": {"name": "demo-project", "domain": {"name": "Other"}}}),
    ]
    for body in cases:
        resp = post_token(emu, body)
        assert resp.status_code == 401, body
        assert resp.json() == {"error": {"code": 401, "title": "Unauthorized",
                                         "message": "The request you have made requires authentication."}}
        assert "X-Subject-Token" not in resp.headers


def test_malformed_auth_requests_are_400(emu):
    url = emu.info["auth_url"] + "/auth/tokens"
    assert requests.post(url, data="{nope", headers={"Content-Type": "application/json"}, timeout=10).status_code == 400
    assert requests.post(url, json={"auth": {}}, timeout=10).status_code == 400
    resp = post_token(emu, auth_body({"name": "demo"}, seed.DEFAULT_PASSWORD))
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 400


def test_token_rescope_validate_and_revoke(emu):
    token = emu.token()
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token}},
                     "scope": {"project": {"id": seed.DEFAULT_PROJECT_ID}}}}
    resp = post_token(emu, body)
    assert resp.status_code == 201
    new = resp.headers["X-Subject-Token"]
    assert new != token and resp.json()["token"]["methods"] == ["token"]
    check = requests.get(emu.info["auth_url"] + "/auth/tokens",
                         headers={"X-Auth-Token": token, "X-Subject-Token": new}, timeout=10)
    assert check.status_code == 200 and check.json()["token"]["project"]["id"] == seed.DEFAULT_PROJECT_ID
    gone = requests.delete(emu.info["auth_url"] + "/auth/tokens",
                           headers={"X-Auth-Token": token, "X-Subject-Token": new}, timeout=10)
    assert gone.status_code == 204
    assert requests.get(emu.info["compute_url"] + "/servers", headers={"X-Auth-Token": new},
                        timeout=10).status_code == 401
    bad = dict(body)
    bad["auth"] = {"identity": {"methods": ["token"], "token": {"id": "bogus"}}}
    assert post_token(emu, bad).status_code == 401


def test_missing_unknown_and_expired_tokens_get_401(emu):
    url = emu.info["compute_url"] + "/servers/detail"
    assert requests.get(url, timeout=10).status_code == 401
    resp = requests.get(url, headers={"X-Auth-Token": "gAAAAABnotatoken"}, timeout=10)
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == 401
    token = emu.token()
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=10).status_code == 200
    emu.admin.expire_tokens()
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=10).status_code == 401
    v1 = emu.info["ecs_url"] + "/cloudservers/resize_flavors?source_flavor_id=s6.small.1"
    assert requests.get(v1, headers={"X-Auth-Token": token}, timeout=10).status_code == 401
    assert requests.get(url, headers={"X-Auth-Token": emu.token()}, timeout=10).status_code == 200


def test_token_ttl_config(emu):
    emu.admin.config(token_ttl=0.5)
    token = emu.token()
    url = emu.info["compute_url"] + "/servers"
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=10).status_code == 200
    time.sleep(0.6)
    assert requests.get(url, headers={"X-Auth-Token": token}, timeout=10).status_code == 401


def test_project_mismatch_and_seeded_users(emu):
    emu.admin.seed(users=[{"name": "other", "password": "pw-other", "project_name": "other-project",
                           "access_key": "OTHERAK", "secret_key": "other-sk"}])
    body = auth_body({"name": "other", "domain": {"name": "Default"}}, "pw-other",
                     {"project": {"name": "other-project", "domain": {"name": "Default"}}})
    resp = post_token(emu, body)
    assert resp.status_code == 201
    token = resp.headers["X-Subject-Token"]
    other_project = resp.json()["token"]["project"]["id"]
    assert other_project != seed.DEFAULT_PROJECT_ID
    # the other project has no servers; the demo project is not reachable with this token
    resp = requests.get(emu.base_url + "/v2.1/%s/servers" % other_project, headers={"X-Auth-Token": token}, timeout=10)
    assert resp.status_code == 200 and resp.json() == {"servers": []}
    resp = requests.get(emu.info["compute_url"] + "/servers", headers={"X-Auth-Token": token}, timeout=10)
    assert resp.status_code in (400, 401, 403)
    assert "badRequest" in resp.json()
