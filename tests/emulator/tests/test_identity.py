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
    assert new != token and resp.json()["token"]["methods"] == ["token", "password"]
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


# ------------------------------------------------------------------ application credentials

APPCRED_ID = "5e8b2d1c0f9a4e7b8c6d5a4b3c2d1e0f"
OTHER_DOMAIN = "OTC00000000001000000999"


def seed_appcred_users(emu, **extra):
    """The demo user with two application credentials, and a namesake in another domain with one of the same name."""
    demo = {"id": seed.DEFAULT_USER_ID, "name": "demo", "password": seed.DEFAULT_PASSWORD,
            "project_id": seed.DEFAULT_PROJECT_ID,
            "application_credentials": [dict({"id": APPCRED_ID, "name": "ansible", "secret": "appcred-secret-1",
                                              "description": "for the playbooks"}, **extra),
                                        {"name": "expired", "secret": "appcred-secret-2", "expires_at": time.time() - 60}]}
    other = {"id": "a" * 32, "name": "demo", "password": "other-pw", "domain_name": OTHER_DOMAIN, "project_name": "other",
             "application_credentials": [{"name": "ansible", "secret": "other-secret"}]}
    emu.admin.seed(users=[demo, other])


def appcred_body(**credential):
    return {"auth": {"identity": {"methods": ["application_credential"], "application_credential": credential}}}


def test_application_credential_by_id_or_by_name_and_user(emu):
    seed_appcred_users(emu)
    bodies = [
        appcred_body(id=APPCRED_ID, secret="appcred-secret-1"),
        appcred_body(name="ansible", secret="appcred-secret-1", user={"id": seed.DEFAULT_USER_ID}),
        appcred_body(name="ansible", secret="appcred-secret-1", user={"name": "demo", "domain": {"name": "Default"}}),
        appcred_body(name="ansible", secret="appcred-secret-1", user={"name": "demo", "domain": {"id": "default"}}),
        # by id, a user given with it is ignored: the credential's owner is the user (keystone LP#2148477)
        appcred_body(id=APPCRED_ID, secret="appcred-secret-1", user={"id": "a" * 32}),
    ]
    for body in bodies:
        resp = post_token(emu, body)
        assert resp.status_code == 201, (body, resp.text)
        token = resp.json()["token"]
        assert token["methods"] == ["application_credential"]
        assert token["application_credential"] == {"id": APPCRED_ID, "name": "ansible", "restricted": True}
        assert (token["user"]["id"], token["project"]["id"]) == (seed.DEFAULT_USER_ID, seed.DEFAULT_PROJECT_ID)
        assert any(s["type"] == "compute" for s in token["catalog"])
        servers = requests.get(emu.info["compute_url"] + "/servers", timeout=10,
                               headers={"X-Auth-Token": resp.headers["X-Subject-Token"]})
        assert servers.status_code == 200 and servers.json()["servers"]
    # the namesake's credential of the same name in the other domain is another one
    resp = post_token(emu, appcred_body(name="ansible", secret="other-secret", user={"name": "demo", "domain": {"name": OTHER_DOMAIN}}))
    assert resp.status_code == 201 and resp.json()["token"]["user"]["id"] == "a" * 32


def test_application_credential_refused(emu):
    seed_appcred_users(emu)
    refused = [
        appcred_body(id=APPCRED_ID, secret="wrong"),                                   # wrong secret
        appcred_body(id=APPCRED_ID),                                                     # no secret
        appcred_body(id="0" * 32, secret="appcred-secret-1"),                            # unknown id
        appcred_body(name="expired", secret="appcred-secret-2", user={"id": seed.DEFAULT_USER_ID}),  # expired
        appcred_body(name="ansible", secret="appcred-secret-1", user={"id": "a" * 32}),  # another user's credential
        appcred_body(name="ansible", secret="other-secret", user={"name": "demo", "domain": {"name": "Default"}}),
        appcred_body(name="nope", secret="appcred-secret-1", user={"id": seed.DEFAULT_USER_ID}),
    ]
    scoped = appcred_body(id=APPCRED_ID, secret="appcred-secret-1")
    scoped["auth"]["scope"] = {"project": {"id": seed.DEFAULT_PROJECT_ID}}  # "You are not allowed to request a scope"
    for body in refused + [scoped]:
        resp = post_token(emu, body)
        assert resp.status_code == 401, (body, resp.text)
        assert resp.json()["error"]["message"] == "The request you have made requires authentication."
        assert "X-Subject-Token" not in resp.headers
    malformed = [
        appcred_body(secret="appcred-secret-1"),                                         # neither id nor name
        appcred_body(name="ansible", secret="appcred-secret-1"),                         # a name needs the user
        appcred_body(name="ansible", secret="appcred-secret-1", user={"name": "demo"}),  # a user name needs its domain
        {"auth": {"identity": {"methods": ["application_credential"]}}},
    ]
    for body in malformed:
        assert post_token(emu, body).status_code == 400, body


def test_application_credential_token_ends_with_the_credential(emu):
    seed_appcred_users(emu, expires_at=time.time() + 3600)
    resp = post_token(emu, appcred_body(id=APPCRED_ID, secret="appcred-secret-1"))
    assert resp.status_code == 201
    token = resp.json()["token"]
    ends = emu.emulator.store.get("token", resp.headers["X-Subject-Token"])["expires_at"]
    assert abs(ends - (time.time() + 3600)) < 60, token["expires_at"]


def test_application_credential_token_cannot_be_rescoped(emu):
    seed_appcred_users(emu)
    token = post_token(emu, appcred_body(id=APPCRED_ID, secret="appcred-secret-1")).headers["X-Subject-Token"]
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token}},
                     "scope": {"project": {"id": seed.DEFAULT_PROJECT_ID}}}}
    resp = post_token(emu, body)
    assert resp.status_code == 403
    assert "Using an application credential token to create a scoped token is not allowed." in resp.json()["error"]["message"]
    del body["auth"]["scope"]  # without a scope: a new token, still of the application credential
    resp = post_token(emu, body)
    assert resp.status_code == 201
    assert resp.json()["token"]["application_credential"]["id"] == APPCRED_ID
    assert resp.json()["token"]["methods"] == ["token", "application_credential"]


def test_list_and_show_application_credentials_of_the_token_user(emu):
    seed_appcred_users(emu)
    token = emu.token()
    url = emu.info["auth_url"] + "/users/%s/application_credentials" % seed.DEFAULT_USER_ID
    resp = requests.get(url, headers={"X-Auth-Token": token}, timeout=10)
    assert resp.status_code == 200
    creds = resp.json()["application_credentials"]
    assert [c["name"] for c in creds] == ["ansible", "expired"]
    ansible = creds[0]
    assert (ansible["id"], ansible["project_id"], ansible["unrestricted"], ansible["expires_at"], ansible["description"]) == (
        APPCRED_ID, seed.DEFAULT_PROJECT_ID, False, None, "for the playbooks")
    assert ansible["links"]["self"] == url + "/" + APPCRED_ID
    assert "secret" not in resp.text and "appcred-secret" not in resp.text
    assert resp.json()["links"] == {"self": url, "previous": None, "next": None}
    named = requests.get(url, params={"name": "expired"}, headers={"X-Auth-Token": token}, timeout=10).json()
    assert [c["name"] for c in named["application_credentials"]] == ["expired"]
    one = requests.get(url + "/" + APPCRED_ID, headers={"X-Auth-Token": token}, timeout=10)
    assert one.status_code == 200 and one.json()["application_credential"] == ansible
    assert requests.get(url + "/" + "0" * 32, headers={"X-Auth-Token": token}, timeout=10).status_code == 404
    # no token: 401; another user's credentials: 403
    assert requests.get(url, timeout=10).status_code == 401
    other = emu.info["auth_url"] + "/users/%s/application_credentials" % ("a" * 32)
    resp = requests.get(other, headers={"X-Auth-Token": token}, timeout=10)
    assert resp.status_code == 403 and "identity:list_application_credentials" in resp.json()["error"]["message"]


def test_seeding_an_application_credential_needs_a_name_and_a_secret(emu):
    for bad in ({"name": "x"}, {"secret": "s"}, {"name": "x", "secret": "s", "expires_at": "tomorrow"},
                {"name": "x", "secret": "s", "project_id": "f" * 32}):
        resp = requests.post(emu.info["admin_url"] + "/seed", timeout=10, json={"users": [
            {"name": "u", "password": "p", "application_credentials": [bad]}]})
        assert resp.status_code == 400, bad


# ------------------------------------------------------------------ token rescoping

def test_rescoped_token_keeps_the_expiry_and_methods_of_the_token_it_came_from(emu):
    emu.admin.seed(users=[{"name": "multi", "password": "pw-multi", "project_name": "multi-project"}])
    first = post_token(emu, auth_body({"name": "multi", "domain": {"name": "Default"}}, "pw-multi"))
    assert first.status_code == 201
    old_id = first.headers["X-Subject-Token"]
    project = first.json()["token"]["project"]
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": old_id}},
                     "scope": {"project": {"name": "multi-project", "domain": {"name": "Default"}}}}}
    resp = post_token(emu, body)
    assert resp.status_code == 201
    token = resp.json()["token"]
    assert token["methods"] == ["token", "password"]
    assert token["project"]["id"] == project["id"] and token["user"]["name"] == "multi"
    assert token["expires_at"] == first.json()["token"]["expires_at"]
    # a project the user has no role on: 401
    body["auth"]["scope"] = {"project": {"id": seed.DEFAULT_PROJECT_ID}}
    assert post_token(emu, body).status_code == 401
    # an expired token cannot be exchanged
    emu.admin.expire_tokens()
    body["auth"]["scope"] = {"project": {"id": project["id"]}}
    assert post_token(emu, body).status_code == 401
