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
