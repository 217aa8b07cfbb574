"""AK/SK (SDK-HMAC-SHA256) verification against PyPI's huaweicloudsdkcore signer."""

import json
import random
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from ecs_emulator import auth

from emulator_helpers import WEB1


def sdk_signed(emu, method, resource_path, query=None, body=None, headers=None, ak=None, sk=None):
    """Sign with huaweicloudsdkcore; returns (url, headers, body) ready for requests."""
    host = urlsplit(emu.base_url).netloc
    header_params = {"X-Project-Id": emu.info["project_id"]}
    if body is not None:
        header_params["Content-Type"] = "application/json;charset=UTF-8"
    header_params.update(headers or {})
    data = json.dumps(body).encode("utf-8") if body is not None else b""
    req = SdkRequest(method=method, schema="http", host=host, resource_path=resource_path,
                     query_params=list(query or []), header_params=header_params, body=data)
    creds = SimpleNamespace(ak=ak or emu.info["access_key"], sk=sk or emu.info["secret_key"])
    req = Signer(creds).sign(req)
    return "http://%s%s" % (host, req.uri), dict(req.header_params), data


def send(method, url, headers, data):
    return requests.request(method, url, headers=headers, data=data or None, timeout=10)


def pid_path(emu, suffix, api="v2.1"):
    return "/%s/%s%s" % (api, emu.info["project_id"], suffix)


def test_sdk_signed_requests_are_accepted(emu):
    cases = [
        ("GET", pid_path(emu, "/servers/detail"), [], None, 200),
        ("GET", pid_path(emu, "/servers/detail"), [("name", "web"), ("status", "ACTIVE")], None, 200),
        ("GET", pid_path(emu, "/servers"),
         [("b", "2"), ("a", "x y"), ("a", "1"), ("empty", ""), ("u", "h\u00e9llo/=&~*")], None, 200),
        ("GET", pid_path(emu, "/servers/na\u00efve id with space"), [], None, 404),
        ("GET", pid_path(emu, "/servers/a+b~c"), [], None, 404),
        ("GET", pid_path(emu, "/flavors/detail", api="v2"), [("limit", 3)], None, 200),
        ("GET", "/v1/%s/cloudservers/resize_flavors" % emu.info["project_id"],
         [("instance_uuid", WEB1), ("sort_key", "memory_mb"), ("sort_dir", "desc"), ("limit", 2)], None, 200),
        ("POST", pid_path(emu, "/servers/%s/action" % WEB1), [], {"os-stop": None}, 202),
    ]
    for method, path, query, body, status in cases:
        url, headers, data = sdk_signed(emu, method, path, query, body)
        resp = send(method, url, headers, data)
        assert resp.status_code == status, (path, query, resp.status_code, resp.text)
    log = [r for r in emu.admin.requests() if r["auth"] == "aksk"]
    assert len(log) == len(cases)


def test_many_random_sdk_signed_requests(emu):
    rnd = random.Random(20240531)
    alphabet = "abcXYZ019 -_.~!*'()/%+=&\u00e9\u4e2d"
    for _round in range(40):
        query = []
        for _q in range(rnd.randint(0, 4)):
            key = rnd.choice(["name", "status", "marker_x", "k", "k", "z z"])
            query.append((key, "".join(rnd.choice(alphabet) for _c in range(rnd.randint(0, 8)))))
        segment = "".join(rnd.choice(alphabet.replace("/", "").replace("%", "")) for _c in range(rnd.randint(1, 10)))
        method = rnd.choice(["GET", "POST"])
        if method == "GET":
            path, body, ok = pid_path(emu, "/servers/" + segment), None, 404
        else:
            path, ok = pid_path(emu, "/servers/%s/action" % segment), 404
            body = {"resize": {"flavorRef": "s6.large.2", "OS-DCF:diskConfig": rnd.choice(["AUTO", "MANUAL"])}}
            query = []
        url, headers, data = sdk_signed(emu, method, path, query, body)
        resp = send(method, url, headers, data)
        assert resp.status_code == ok, (method, path, query, resp.text)


def test_own_signer_matches_sdk(emu):
    url = emu.info["compute_url"] + "/servers/detail?status=ACTIVE&name=web"
    headers = emu.signed_headers("GET", url)
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    # the same canonical request as the SDK for a fixed date
    sdk_url, sdk_headers, _data = sdk_signed(emu, "GET", pid_path(emu, "/servers/detail"),
                                             [("status", "ACTIVE"), ("name", "web")],
                                             headers={"X-Sdk-Date": "20240101T000000Z"})
    own = auth.sign(emu.info["access_key"], emu.info["secret_key"], "GET", sdk_url,
                    {"X-Project-Id": emu.info["project_id"]}, sdk_date="20240101T000000Z")
    assert own["Authorization"] == sdk_headers["Authorization"]


def tampered(emu):
    path = pid_path(emu, "/servers/%s/action" % WEB1)
    url, headers, data = sdk_signed(emu, "POST", path, [("x", "1")], {"os-stop": None})
    out = {}
    sig = headers["Authorization"]
    flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    out["signature"] = (url, dict(headers, Authorization=flipped), data)
    out["query"] = (url.replace("x=1", "x=2"), headers, data)
    out["body"] = (url, headers, json.dumps({"os-start": None}).encode())
    out["path"] = (url.replace(WEB1, WEB1[:-1] + "9"), headers, data)
    out["project"] = (url, dict(headers, **{"X-Project-Id": "f" * 32}), data)
    no_date = dict(headers)
    del no_date["X-Sdk-Date"]
    out["missing-date"] = (url, no_date, data)
    out["no-authorization"] = (url, dict((k, v) for k, v in headers.items() if k != "Authorization"), data)
    out["garbled-authorization"] = (url, dict(headers, Authorization="SDK-HMAC-SHA256 nonsense"), data)
    return out


@pytest.mark.parametrize("case", ["signature", "query", "body", "path", "project", "missing-date",
                                  "no-authorization", "garbled-authorization"])
def test_tampered_requests_are_rejected(emu, case):
    url, headers, data = tampered(emu)[case]
    resp = send("POST", url, headers, data)
    assert resp.status_code == 401, (case, resp.text)
    state = emu.admin.server(WEB1)
    assert state["status"] == "ACTIVE" and state["op"] is None


def test_wrong_keys_skew_and_missing_project_header(emu):
    path = pid_path(emu, "/servers")
    for kwargs in ({"ak": "UNKNOWNAK"}, {"sk": "wrong-secret"}):
        url, headers, data = sdk_signed(emu, "GET", path, **kwargs)
        assert send("GET", url, headers, data).status_code == 401
    old = time.strftime(auth.DATE_FORMAT, time.gmtime(time.time() - 16 * 60))
    url, headers, data = sdk_signed(emu, "GET", path, headers={"X-Sdk-Date": old})
    assert send("GET", url, headers, data).status_code == 401
    future = time.strftime(auth.DATE_FORMAT, time.gmtime(time.time() + 16 * 60))
    url, headers, data = sdk_signed(emu, "GET", path, headers={"X-Sdk-Date": future})
    assert send("GET", url, headers, data).status_code == 401
    recent = time.strftime(auth.DATE_FORMAT, time.gmtime(time.time() - 10 * 60))
    url, headers, data = sdk_signed(emu, "GET", path, headers={"X-Sdk-Date": recent})
    assert send("GET", url, headers, data).status_code == 200
    # no X-Project-Id at all: signed correctly, but the project is not identified
    host = urlsplit(emu.base_url).netloc
    req = SdkRequest(method="GET", schema="http", host=host, resource_path=path, query_params=[], header_params={},
                     body=b"")
    req = Signer(SimpleNamespace(ak=emu.info["access_key"], sk=emu.info["secret_key"])).sign(req)
    resp = requests.get("http://%s%s" % (host, req.uri), headers=req.header_params, timeout=10)
    assert resp.status_code == 401
    assert resp.json()["error_code"] == "APIGW.0301"


# ------------------------------------------------------------------ temporary access keys and their security token

TEMP_AK = "TEMPAK00000000000001"
TEMP_SK = "temporary-secret-key-000000000000000000001"
TEMP_TOKEN = "gAAAAABsecurity-token-of-the-temporary-key-0001"


def seed_temporary(emu, **extra):
    emu.admin.seed(users=[{"id": "9b1e7c3d5f2a4e6b8c0d1e2f3a4b5c6d", "name": "demo", "password": "demo-secret-pw",
                           "project_id": emu.info["project_id"], "access_key": emu.info["access_key"],
                           "secret_key": emu.info["secret_key"],
                           "temporary_credentials": [dict({"access_key": TEMP_AK, "secret_key": TEMP_SK,
                                                           "security_token": TEMP_TOKEN}, **extra)]}])


def sdk_signed_temporary(emu, method, resource_path, security_token=TEMP_TOKEN, sk=TEMP_SK, query=None):
    """huaweicloudsdkcore's own way with a temporary key: BasicCredentials(...).with_security_token().sign_request()."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    host = urlsplit(emu.base_url).netloc
    req = SdkRequest(method=method, schema="http", host=host, resource_path=resource_path, query_params=list(query or []),
                     header_params={}, body=b"")
    creds = BasicCredentials(TEMP_AK, sk, emu.info["project_id"])
    if security_token is not None:
        creds = creds.with_security_token(security_token)
    req = creds.sign_request(req)
    return "http://%s%s" % (host, req.uri), dict(req.header_params)


def test_temporary_key_with_its_signed_security_token_is_accepted(emu):
    seed_temporary(emu, expires_at=time.time() + 900)
    url, headers = sdk_signed_temporary(emu, "GET", pid_path(emu, "/servers/detail"))
    assert headers["X-Security-Token"] == TEMP_TOKEN and "x-security-token" in headers["Authorization"]
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 200 and resp.json()["servers"]
    # the same key on /v1, and a permanent key still works without any security token
    url, headers = sdk_signed_temporary(emu, "GET", "/v1/%s/cloudservers/resize_flavors" % emu.info["project_id"],
                                        query=[("source_flavor_id", "s6.small.1")])
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 200 and resp.json()["flavors"], resp.text
    url, headers, data = sdk_signed(emu, "GET", pid_path(emu, "/servers"))
    assert send("GET", url, headers, data).status_code == 200


@pytest.mark.parametrize("case", ["missing", "unsigned", "wrong", "other-key's", "expired", "wrong-secret"])
def test_temporary_key_refused(emu, case):
    seed_temporary(emu, expires_at=time.time() - 1 if case == "expired" else None)
    path = pid_path(emu, "/servers/detail")
    if case == "missing":
        url, headers = sdk_signed_temporary(emu, "GET", path, security_token=None)
    elif case == "unsigned":  # signed without it, then the header added: not part of the signature
        url, headers = sdk_signed_temporary(emu, "GET", path, security_token=None)
        headers["X-Security-Token"] = TEMP_TOKEN
    elif case == "wrong":
        url, headers = sdk_signed_temporary(emu, "GET", path, security_token=TEMP_TOKEN + "x")
    elif case == "other-key's":
        url, headers = sdk_signed_temporary(emu, "GET", path, security_token="gAAAAABanother-key-token")
    elif case == "wrong-secret":
        url, headers = sdk_signed_temporary(emu, "GET", path, sk="not-the-temporary-secret")
    else:
        url, headers = sdk_signed_temporary(emu, "GET", path)
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 401, (case, resp.text)
    body = resp.json()
    assert body["error_code"] == "APIGW.0301"
    expected = {"missing": "X-Security-Token is missing", "unsigned": "X-Security-Token must be a signed header",
                "wrong": "does not belong to this access key", "other-key's": "does not belong to this access key",
                "expired": "the temporary access key has expired", "wrong-secret": "signature mismatch"}[case]
    assert expected in body["error_msg"], body
    assert TEMP_TOKEN not in resp.text and TEMP_SK not in resp.text


def test_seeding_a_temporary_key_needs_all_three_parts(emu):
    for bad in ({"access_key": "A", "secret_key": "S"}, {"access_key": "A", "security_token": "T"},
                {"access_key": "A", "secret_key": "S", "security_token": "T", "expires_at": "soon"}):
        resp = requests.post(emu.info["admin_url"] + "/seed", timeout=10, json={"users": [
            {"name": "u", "password": "p", "temporary_credentials": [bad]}]})
        assert resp.status_code == 400, bad
