"""ECS native API: v1 resize + jobs, resize_flavors."""

import time

import requests

from emulator_helpers import APP1, DB1, M1_SMALL, WEB1, settled


def v1(api, method, path, body=None, **kw):
    return api.session.request(method, api.ecs + path, json=body, headers=api.headers(), timeout=10, **kw)


def wait_job(api, job_id, timeout=10):
    statuses = []
    deadline = time.monotonic() + timeout
    while True:
        job = v1(api, "GET", "/jobs/" + job_id).json()
        if not statuses or statuses[-1] != job["status"]:
            statuses.append(job["status"])
        if job["status"] in ("SUCCESS", "FAIL"):
            return statuses, job
        assert time.monotonic() < deadline, statuses
        time.sleep(0.005)


def test_v1_resize_job_success_no_verify(api, emu):
    emu.admin.config(time_scale=0.05)
    resp = v1(api, "POST", "/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "c7.xlarge.2"}})
    assert resp.status_code == 200
    job_id = resp.json()["job_id"]
    seen, _srv = api.wait(WEB1, settled("ACTIVE"))
    assert seen[0][0] == "RESIZE" and all(s[0] != "VERIFY_RESIZE" for s in seen)
    statuses, job = wait_job(api, job_id)
    assert statuses[-1] == "SUCCESS" and set(statuses) <= {"INIT", "RUNNING", "SUCCESS"}
    assert job["job_type"] == "resizeServer" and job["job_id"] == job_id
    assert job["entities"]["server_id"] == WEB1 and job["entities"]["sub_jobs_total"] == 1
    assert job["entities"]["sub_jobs"][0]["status"] == "SUCCESS"
    assert job["begin_time"] and job["end_time"] and job["error_code"] is None and job["fail_reason"] is None
    assert api.server(WEB1)["flavor"]["original_name"] == "c7.xlarge.2"
    # stopped server stays stopped
    resp = v1(api, "POST", "/cloudservers/%s/resize" % DB1, {"resize": {"flavorRef": "s6.xlarge.2"}, "dry_run": False})
    _statuses, job = wait_job(api, resp.json()["job_id"])
    srv = api.server(DB1)
    assert job["status"] == "SUCCESS" and srv["status"] == "SHUTOFF" and srv["flavor"]["original_name"] == "s6.xlarge.2"


def test_v1_resize_running_job_status(api, emu):
    emu.admin.config(time_scale=0.5)
    job_id = v1(api, "POST", "/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.large.2"}}).json()["job_id"]
    job = v1(api, "GET", "/jobs/" + job_id).json()
    assert job["status"] in ("INIT", "RUNNING") and job["end_time"] == ""


def test_v1_dry_run_changes_nothing(api, emu):
    resp = v1(api, "POST", "/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.large.2"}, "dry_run": True})
    assert resp.status_code == 200 and resp.json() == {"job_id": None}
    assert emu.admin.server(WEB1)["op"] is None
    resp = v1(api, "POST", "/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "nope"}, "dry_run": True})
    assert resp.status_code == 400


def test_v1_sold_out_job_fails(api, emu):
    emu.admin.sold_out("s6.xlarge.2", True)
    job_id = v1(api, "POST", "/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.xlarge.2"}}).json()["job_id"]
    _statuses, job = wait_job(api, job_id)
    assert job["status"] == "FAIL" and job["error_code"] and "No valid host" in job["fail_reason"]
    srv = api.server(WEB1)
    assert srv["status"] == "ACTIVE" and srv["flavor"]["original_name"] == "s6.medium.2"


def test_v1_errors_in_ecs_shape(api, emu):
    cases = [
        ("/cloudservers/nope/resize", {"resize": {"flavorRef": "s6.large.2"}}, 404, "Ecs.0114"),
        ("/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "nope"}}, 400, "Ecs.0009"),
        ("/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.medium.2"}}, 400, "Ecs.0810"),
        ("/cloudservers/%s/resize" % WEB1, {"resize": {}}, 400, "Ecs.0005"),
        ("/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.large.2"}, "dry_run": "yes"}, 400, "Ecs.0005"),
    ]
    for path, body, status, code in cases:
        resp = v1(api, "POST", path, body)
        assert resp.status_code == status, (path, body, resp.text)
        assert resp.json()["error"]["code"] == code and resp.json()["error"]["message"]
    resp = requests.post(api.ecs + "/cloudservers/%s/resize" % WEB1, data="{", timeout=10,
                         headers=dict(api.headers(), **{"Content-Type": "application/json"}))
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "Ecs.0005"
    emu.admin.set_server(WEB1, locked=True)
    resp = v1(api, "POST", "/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.large.2"}})
    assert resp.status_code == 409 and resp.json()["error"]["code"].startswith("Ecs.")
    resp = v1(api, "GET", "/jobs/nope")
    assert resp.status_code == 404 and resp.json()["error"]["code"].startswith("Ecs.")
    assert emu.admin.server(WEB1)["op"] is None


def test_resize_flavors(api, emu):
    flavors = v1(api, "GET", "/cloudservers/resize_flavors", params={"instance_uuid": WEB1}).json()["flavors"]
    ids = [f["id"] for f in flavors]
    assert "s6.medium.2" not in ids and "s6.large.2" in ids and ids == sorted(ids)
    for flavor in flavors:
        for key in ("id", "name", "vcpus", "ram", "disk", "extra_specs", "links", "os-flavor-access:is_public"):
            assert key in flavor
    # disk filter: from m1.small (20 GiB) only flavors with >= 20 GiB
    resp = v1(api, "GET", "/cloudservers/resize_flavors", params={"instance_uuid": APP1})
    ids = [f["id"] for f in resp.json()["flavors"]]
    names = [f["name"] for f in emu.app.emulator.flavors() if f["id"] in ids]
    assert sorted(names) == ["m1.large", "m1.medium"]
    by_id = v1(api, "GET", "/cloudservers/resize_flavors", params={"source_flavor_id": M1_SMALL}).json()["flavors"]
    by_name = v1(api, "GET", "/cloudservers/resize_flavors", params={"source_flavor_name": "m1.small"}).json()["flavors"]
    assert [f["id"] for f in by_id] == [f["id"] for f in by_name] == ids
    alias = api.get("/resize_flavors", params={"instance_uuid": WEB1}).json()["flavors"]
    assert [f["id"] for f in alias] == [f["id"] for f in flavors]
    # sorting and paging
    desc = v1(api, "GET", "/cloudservers/resize_flavors",
              params={"source_flavor_id": "s6.small.1", "sort_key": "memory_mb", "sort_dir": "desc"}).json()["flavors"]
    rams = [f["ram"] for f in desc]
    assert rams == sorted(rams, reverse=True)
    page1 = v1(api, "GET", "/cloudservers/resize_flavors",
               params={"source_flavor_id": "s6.small.1", "sort_key": "vcpus", "limit": 3}).json()["flavors"]
    page2 = v1(api, "GET", "/cloudservers/resize_flavors",
               params={"source_flavor_id": "s6.small.1", "sort_key": "vcpus", "limit": 3,
                       "marker": page1[-1]["id"]}).json()["flavors"]
    assert len(page1) == 3 and not {f["id"] for f in page1} & {f["id"] for f in page2}
    emu.admin.sold_out("s6.large.2", True)
    flavors = v1(api, "GET", "/cloudservers/resize_flavors", params={"instance_uuid": WEB1}).json()["flavors"]
    sold = [f for f in flavors if f["id"] == "s6.large.2"][0]
    assert sold["extra_specs"]["cond:operation:status"] == "sellout"
    for params, status in (({}, 400), ({"instance_uuid": "nope"}, 404), ({"source_flavor_id": "nope"}, 400),
                           ({"source_flavor_id": "s6.small.1", "sort_key": "bogus"}, 400),
                           ({"source_flavor_id": "s6.small.1", "marker": "bogus"}, 400)):
        resp = v1(api, "GET", "/cloudservers/resize_flavors", params=params)
        assert resp.status_code == status and resp.json()["error"]["code"].startswith("Ecs.")
