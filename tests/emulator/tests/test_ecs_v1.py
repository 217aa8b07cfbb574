"""ECS native API under the otc profiles: resize with a job, jobs with sub-jobs, batch stop/start,
error codes, dry run, resize_flavors.

Pages cited are in opentelekomcloud-docs/elastic-cloud-server (Swiss: -docs-swiss), api-ref/source/.
"""

import time

import pytest
import requests

from emulator_helpers import APP1, DB1, M1_SMALL, WEB1, WEB2, settled

STATE_MESSAGE = "The ECS status does not meet requirements. Make the ECS in the required status and try again."


def v1(api, method, path, body=None, **kw):
    return api.session.request(method, api.ecs + path, json=body, headers=api.headers(kw.pop("headers", None)),
                               timeout=10, **kw)


def resize(api, server_id, flavor, **extra):
    body = {"resize": dict({"flavorRef": flavor}, **extra.pop("resize_extra", {}))}
    body.update(extra)
    return v1(api, "POST", "/cloudservers/%s/resize" % server_id, body)


def wait_job(api, job_id, timeout=10):
    statuses = []
    deadline = time.monotonic() + timeout
    while True:
        resp = v1(api, "GET", "/jobs/" + job_id)
        assert resp.status_code == 200, resp.text
        job = resp.json()
        if not statuses or statuses[-1] != job["status"]:
            statuses.append(job["status"])
        if job["status"] in ("SUCCESS", "FAIL"):
            return statuses, job
        assert time.monotonic() < deadline, statuses
        time.sleep(0.005)


def error_of(resp):
    body = resp.json()
    assert set(body) == {"error"} and body["error"]["message"], body
    return resp.status_code, body["error"]["code"]


def assert_untouched(emu, server_id, flavor):
    raw = emu.admin.server(server_id)
    assert raw["op"] is None and raw["flavor"] == flavor and raw["task_state"] is None


def test_resize_stopped_server_job_success(api, emu):
    """otc: a stopped server is resized, stays stopped, no VERIFY_RESIZE; the job and its sub-job succeed."""
    emu.admin.config(time_scale=0.05)
    resp = resize(api, DB1, "s6.xlarge.2", dry_run=False)
    assert resp.status_code == 200 and set(resp.json()) == {"job_id"}
    job_id = resp.json()["job_id"]
    seen, srv = api.wait(DB1, settled("SHUTOFF"))
    assert seen[0][0] == "RESIZE" and all(s[0] != "VERIFY_RESIZE" for s in seen)
    assert srv["flavor"]["original_name"] == "s6.xlarge.2" and srv["OS-EXT-STS:power_state"] == 4
    statuses, job = wait_job(api, job_id)
    assert statuses[-1] == "SUCCESS" and set(statuses) <= {"INIT", "RUNNING", "SUCCESS"}
    # querying_job_execution_status.rst: the fields of the job and of its sub-jobs
    assert set(job) == {"status", "entities", "job_id", "job_type", "begin_time", "end_time", "error_code",
                        "fail_reason"}
    assert job["job_type"] == "resizeServer" and job["job_id"] == job_id
    assert job["begin_time"] and job["end_time"] and job["error_code"] is None and job["fail_reason"] is None
    entities = job["entities"]
    assert entities["server_id"] == DB1 and entities["sub_jobs_total"] == 1
    sub = entities["sub_jobs"][0]
    assert set(sub) == {"status", "entities", "job_id", "job_type", "begin_time", "end_time", "error_code",
                        "fail_reason"}
    assert sub["status"] == "SUCCESS" and sub["entities"] == {"server_id": DB1} and sub["job_id"] != job_id
    assert sub["error_code"] is None and sub["fail_reason"] is None


def test_job_is_running_then_done(api, emu):
    emu.admin.config(time_scale=0.5)
    job_id = resize(api, DB1, "s6.xlarge.2").json()["job_id"]
    job = v1(api, "GET", "/jobs/" + job_id).json()
    assert job["status"] in ("INIT", "RUNNING") and job["end_time"] == ""
    assert job["entities"]["sub_jobs"][0]["status"] in ("INIT", "RUNNING")


@pytest.mark.parametrize("profile", ["otc", "otc-swiss"])
def test_running_server_is_refused_without_mode(api, emu, profile):
    """modifying_the_specifications_of_an_ecs.rst (eu-de): "You can modify the ECS specifications only
    when the ECS is stopped." -> Ecs.0100 (appendix/error_codes.rst), nothing changes. Swiss: only
    with mode withStopServer."""
    emu.admin.config(profile=profile)
    resp = resize(api, WEB1, "s6.large.2")
    assert error_of(resp) == (400, "Ecs.0100") and resp.json()["error"]["message"] == STATE_MESSAGE
    assert_untouched(emu, WEB1, "s6.medium.2")


def test_mode_is_swiss_only(api, emu):
    resp = resize(api, WEB1, "s6.large.2", resize_extra={"mode": "withStopServer"})
    assert error_of(resp) == (400, "Ecs.0005") and "resize.mode" in resp.json()["error"]["message"]
    assert_untouched(emu, WEB1, "s6.medium.2")
    emu.admin.config(profile="otc-swiss")
    resp = resize(api, WEB1, "s6.large.2", resize_extra={"mode": "stopFirst"})
    assert error_of(resp) == (400, "Ecs.0005") and "withStopServer" in resp.json()["error"]["message"]


def test_swiss_with_stop_server_stops_resizes_starts(api, emu):
    """Swiss modifying_the_specifications_of_an_ecs.rst, mode withStopServer: "The system automatically
    stops the ECS, modifies ECS specifications, and starts the ECS after the modification is
    complete." Statuses as appendix/ecs_statuses.rst lists them (RESIZE only under vm_state stopped)."""
    emu.admin.config(profile="otc-swiss", time_scale=0.2, durations={"stop": 1, "start": 1, "resize_prep": 1,
                                                                     "resize_migrating": 1, "resize_finish": 1})
    resp = resize(api, WEB1, "c7.large.2", resize_extra={"mode": "withStopServer"})
    assert resp.status_code == 200
    seen = []

    def note(srv):
        key = (srv["status"], srv["OS-EXT-STS:task_state"], srv["OS-EXT-STS:vm_state"], srv["OS-EXT-STS:power_state"])
        if not seen or seen[-1] != key:
            seen.append(key)
        return srv["status"] == "ACTIVE" and srv["OS-EXT-STS:task_state"] is None and len(seen) > 1

    _seen, srv = api.wait(WEB1, note)
    assert seen[0] == ("ACTIVE", "powering-off", "active", 1), seen
    resizing = [s for s in seen if s[0] == "RESIZE"]
    assert resizing and all(s[2] == "stopped" and s[3] == 4 for s in resizing), seen
    assert ("SHUTOFF", "powering-on", "stopped", 4) in seen and "VERIFY_RESIZE" not in [s[0] for s in seen]
    assert seen[-1] == ("ACTIVE", None, "active", 1)
    assert srv["flavor"]["original_name"] == "c7.large.2"
    _statuses, job = wait_job(api, resp.json()["job_id"])
    assert job["status"] == "SUCCESS"
    # a stopped server with the mode is resized and stays stopped
    job_id = resize(api, DB1, "s6.xlarge.2", resize_extra={"mode": "withStopServer"}).json()["job_id"]
    _statuses, job = wait_job(api, job_id)
    srv = api.server(DB1)
    assert job["status"] == "SUCCESS" and srv["status"] == "SHUTOFF" and srv["flavor"]["original_name"] == "s6.xlarge.2"


def test_swiss_with_stop_server_sold_out_comes_back_running(api, emu):
    emu.admin.config(profile="otc-swiss")
    emu.admin.sold_out("c7.large.2", True)
    job_id = resize(api, WEB1, "c7.large.2", resize_extra={"mode": "withStopServer"}).json()["job_id"]
    _statuses, job = wait_job(api, job_id)
    assert job["status"] == "FAIL" and job["error_code"] == "Ecs.0319"
    srv = api.server(WEB1)
    assert srv["status"] == "ACTIVE" and srv["OS-EXT-STS:task_state"] is None
    assert srv["flavor"]["original_name"] == "s6.medium.2"


def test_dry_run_validates_without_acting(api, emu):
    """dry_run: "If the check is successful, the system returns status code 202"; otherwise the
    error the real request would get. Nothing changes, no job."""
    resp = resize(api, DB1, "s6.xlarge.2", dry_run=True)
    assert resp.status_code == 202 and resp.json() == {}
    assert_untouched(emu, DB1, "s6.large.2")
    emu.admin.seed(servers=[{"id": "deh-dry", "name": "deh-dry", "flavor": "s6.medium.2", "status": "SHUTOFF",
                             "dedicated_host_id": "deh-0001"}])
    emu.admin.set_server(WEB2, locked=True)
    cases = [(WEB1, "s6.large.2", (400, "Ecs.0100")), (DB1, "nope", (400, "Ecs.0029")),
             (DB1, "s6.large.2", (400, "Ecs.0810")), (WEB2, "s6.large.2", (400, "Ecs.0605")),
             ("deh-dry", "s6.large.2", (400, "Ecs.0803")), ("nope", "s6.large.2", (404, "Ecs.0114"))]
    for server_id, flavor, expected in cases:
        assert error_of(resize(api, server_id, flavor, dry_run=True)) == expected, (server_id, flavor)
    assert resize(api, "deh-dry", "s6.large.2", dry_run=True,
                  resize_extra={"dedicated_host_id": "deh-0001"}).status_code == 202
    for server_id, flavor in ((DB1, "s6.large.2"), (WEB1, "s6.medium.2"), ("deh-dry", "s6.medium.2")):
        assert_untouched(emu, server_id, flavor)


def test_sold_out_job_fails_with_sub_job_cause(api, emu):
    """A sold-out flavor: accepted, the server goes back; the job and its sub-job FAIL with Ecs.0319
    (appendix: insufficient capacity), the cause in sub_jobs[].entities.errorcode_message."""
    emu.admin.sold_out("s6.xlarge.2", True)
    job_id = resize(api, DB1, "s6.xlarge.2").json()["job_id"]
    _statuses, job = wait_job(api, job_id)
    message = "Insufficient resources for this flavor. Try another flavor."
    assert job["status"] == "FAIL" and job["error_code"] == "Ecs.0319" and job["fail_reason"] == message
    sub = job["entities"]["sub_jobs"][0]
    assert sub["status"] == "FAIL" and sub["error_code"] == "Ecs.0319"
    assert sub["entities"] == {"server_id": DB1, "errorcode_message": message}
    srv = api.server(DB1)
    assert srv["status"] == "SHUTOFF" and srv["flavor"]["original_name"] == "s6.large.2"


def test_sold_out_per_availability_zone(api, emu):
    """cond:operation:az ("az(status)" per AZ) overrides cond:operation:status (region-wide) in that AZ
    (flavor_management/listing_flavor_details_and_extended_information.rst)."""
    emu.admin.seed(servers=[{"id": "az2-srv", "name": "az2", "flavor": "s6.medium.2", "status": "SHUTOFF",
                             "availability_zone": "eu-de-02"}])
    assert api.server("az2-srv")["OS-EXT-AZ:availability_zone"] == "eu-de-02"
    emu.admin.sold_out("s6.xlarge.2", True, az="eu-de-02")
    flavors = v1(api, "GET", "/cloudservers/resize_flavors", params={"instance_uuid": "az2-srv"}).json()["flavors"]
    specs = [f for f in flavors if f["id"] == "s6.xlarge.2"][0]["extra_specs"]
    assert specs["cond:operation:status"] == "normal" and specs["cond:operation:az"] == "eu-de-02(sellout)"
    _statuses, job = wait_job(api, resize(api, "az2-srv", "s6.xlarge.2").json()["job_id"])
    assert job["status"] == "FAIL" and job["error_code"] == "Ecs.0319"
    assert api.server("az2-srv")["flavor"]["original_name"] == "s6.medium.2"
    # DB1 is in eu-de-01, where the flavor is on sale
    _statuses, job = wait_job(api, resize(api, DB1, "s6.xlarge.2").json()["job_id"])
    assert job["status"] == "SUCCESS"
    # region-wide sold out, but normal in one AZ
    emu.admin.sold_out("c7.xlarge.2", True)
    emu.admin.sold_out("c7.xlarge.2", False, az="eu-de-02")
    _statuses, job = wait_job(api, resize(api, "az2-srv", "c7.xlarge.2").json()["job_id"])
    assert job["status"] == "SUCCESS"
    # seeded in the documented format; empty parentheses are invalid and ignored
    emu.admin.seed(flavors=[{"id": "c7.2xlarge.2", "vcpus": 8, "ram": 16384, "extra_specs": {
        "cond:operation:status": "normal", "cond:operation:az": "eu-de-01(sellout), eu-de-03()"}}])
    flavors = v1(api, "GET", "/cloudservers/resize_flavors", params={"source_flavor_id": "s6.small.1"}).json()["flavors"]
    specs = [f for f in flavors if f["id"] == "c7.2xlarge.2"][0]["extra_specs"]
    assert specs["cond:operation:az"] == "eu-de-01(sellout)" and specs["cond:operation:status"] == "normal"
    _statuses, job = wait_job(api, resize(api, DB1, "c7.2xlarge.2").json()["job_id"])
    assert job["status"] == "FAIL"


def test_errors_in_ecs_shape(api, emu):
    """Codes, HTTP statuses and messages of appendix/error_codes.rst; the body {"error": {"code",
    "message", "details"}} of common_parameters/job_request_results/responses_jobs.rst."""
    cases = [
        ("/cloudservers/nope/resize", {"resize": {"flavorRef": "s6.large.2"}}, 404, "Ecs.0114"),
        ("/cloudservers/%s/resize" % DB1, {"resize": {"flavorRef": "nope"}}, 400, "Ecs.0029"),
        ("/cloudservers/%s/resize" % DB1, {"resize": {"flavorRef": "s6.large.2"}}, 400, "Ecs.0810"),
        ("/cloudservers/%s/resize" % DB1, {"resize": {}}, 400, "Ecs.0005"),
        ("/cloudservers/%s/resize" % DB1, {"resize": {"flavorRef": "s6.xlarge.2"}, "dry_run": "yes"}, 400, "Ecs.0005"),
        ("/cloudservers/%s/resize" % DB1, {"resize": {"flavorRef": "s6.xlarge.2", "x": 1}}, 400, "Ecs.0005"),
        ("/cloudservers/%s/resize" % DB1, {"resize": {"flavorRef": "s6.xlarge.2"}, "x": 1}, 400, "Ecs.0005"),
        ("/cloudservers/%s/resize" % WEB1, {"resize": {"flavorRef": "s6.large.2"}}, 400, "Ecs.0100"),
    ]
    for path, body, status, code in cases:
        resp = v1(api, "POST", path, body)
        assert error_of(resp) == (status, code), (path, body, resp.text)
        assert resp.json()["error"]["details"] == []
    messages = {"Ecs.0114": "The ECS does not exist.", "Ecs.0029": "The flavor does not exist.",
                "Ecs.0810": "The ECS flavor is the same as the target flavor."}
    for path, body, _status, code in cases[:3]:
        assert v1(api, "POST", path, body).json()["error"]["message"] == messages[code]
    headers = dict(api.headers(), **{"Content-Type": "application/json"})
    resp = requests.post(api.ecs + "/cloudservers/%s/resize" % DB1, data="{", timeout=10, headers=headers)
    assert error_of(resp) == (400, "Ecs.0005")
    resp = requests.post(api.ecs + "/cloudservers/%s/resize" % DB1, data="", timeout=10, headers=headers)
    assert error_of(resp) == (400, "Common.0002")
    assert resp.json()["error"]["message"] == "The request body cannot be left blank."
    emu.admin.set_server(DB1, locked=True)
    resp = resize(api, DB1, "s6.xlarge.2")
    assert error_of(resp) == (400, "Ecs.0605") and resp.json()["error"]["message"] == "ECS locked."
    emu.admin.set_server(DB1, locked=False)
    # an operation in progress: "The commands are being executed. Try again later." 501 Ecs.0603
    emu.admin.config(time_scale=1.0)
    assert resize(api, DB1, "s6.xlarge.2").status_code == 200
    resp = resize(api, DB1, "c7.xlarge.2")
    assert error_of(resp) == (501, "Ecs.0603")
    emu.admin.config(time_scale=0.01)
    # querying_job_execution_status.rst + appendix: an unknown job id is 400 Common.0011
    resp = v1(api, "GET", "/jobs/nope")
    assert error_of(resp) == (400, "Common.0011") and resp.json()["error"]["message"] == "Failed to query system tasks."
    # an unknown /v1 path: the API gateway's answer
    resp = v1(api, "GET", "/nope")
    assert resp.status_code == 404 and resp.json()["error_code"] == "APIGW.0101"


def test_verify_resize_server_is_refused(api, emu):
    assert api.action(WEB1, {"resize": {"flavorRef": "s6.large.2"}}).status_code == 202
    api.wait(WEB1, settled("VERIFY_RESIZE"))
    assert error_of(resize(api, WEB1, "c7.large.2")) == (400, "Ecs.0100")


def test_project_mismatch_is_ecs_0023(api, emu):
    emu.admin.seed(users=[{"name": "other", "password": "pw-other", "project_name": "other-project"}])
    info = emu.info
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "other", "domain": {"name": info["user_domain_name"]}, "password": "pw-other"}}}}}
    token = requests.post(info["auth_url"] + "/auth/tokens", json=body, timeout=10).headers["X-Subject-Token"]
    resp = requests.get(api.ecs + "/cloudservers/resize_flavors?source_flavor_id=s6.small.1",
                        headers={"X-Auth-Token": token}, timeout=10)
    assert error_of(resp) == (400, "Ecs.0023")
    assert resp.json()["error"]["message"] == "project_id in token mismatches with project_id in url."


def test_batch_stop_and_start_with_sub_jobs(api, emu):
    """stopping_ecss_in_a_batch.rst / starting_ecss_in_a_batch.rst: {"job_id"}, one sub-job per server
    (querying_job_execution_status.rst); a server that cannot be stopped fails its sub-job only."""
    emu.admin.config(time_scale=0.2)  # 0.2 s to stop or start
    resp = v1(api, "POST", "/cloudservers/action", {"os-stop": {"type": "HARD", "servers": [{"id": WEB1}, {"id": DB1}]}})
    assert resp.status_code == 200 and set(resp.json()) == {"job_id"}
    seen, _srv = api.wait(WEB1, settled("SHUTOFF"))
    assert ("ACTIVE", "powering-off") in seen
    statuses, job = wait_job(api, resp.json()["job_id"])
    assert job["job_type"] == "batchStopServer" and job["status"] == "FAIL"
    assert "server_id" not in job["entities"] and job["entities"]["sub_jobs_total"] == 2
    subs = {s["entities"]["server_id"]: s for s in job["entities"]["sub_jobs"]}
    assert subs[WEB1]["status"] == "SUCCESS" and subs[WEB1]["job_type"] == "stopServer"
    assert "errorcode_message" not in subs[WEB1]["entities"]
    # DB1 was already stopped: its sub-job fails (a choice: Ecs.0100, the state error)
    assert subs[DB1]["status"] == "FAIL" and subs[DB1]["error_code"] == "Ecs.0100"
    assert subs[DB1]["entities"]["errorcode_message"] == STATE_MESSAGE
    assert job["error_code"] == "Ecs.0100" and job["fail_reason"] == STATE_MESSAGE
    resp = v1(api, "POST", "/cloudservers/action", {"os-start": {"servers": [{"id": WEB1}, {"id": DB1}]}})
    _seen, srv = api.wait(DB1, settled("ACTIVE"))
    _statuses, job = wait_job(api, resp.json()["job_id"])
    assert job["status"] == "SUCCESS" and job["job_type"] == "batchStartServer"
    assert [s["status"] for s in job["entities"]["sub_jobs"]] == ["SUCCESS", "SUCCESS"]
    assert api.server(WEB1)["status"] == "ACTIVE" and srv["OS-EXT-STS:power_state"] == 1
    # default type SOFT; a locked server's sub-job fails with Ecs.0605
    emu.admin.set_server(WEB2, locked=True)
    resp = v1(api, "POST", "/cloudservers/action", {"os-stop": {"servers": [{"id": WEB2}]}})
    _statuses, job = wait_job(api, resp.json()["job_id"])
    assert job["status"] == "FAIL" and job["error_code"] == "Ecs.0605"
    assert "server_id" not in job["entities"]  # a batch job names its servers in the sub-jobs only
    assert api.server(WEB2)["status"] == "ACTIVE"


def test_batch_action_errors(api, emu):
    cases = [{}, {"os-stop": None}, {"os-stop": {"servers": []}}, {"os-stop": {"servers": [{"id": ""}]}},
             {"os-stop": {"servers": [WEB1]}}, {"os-stop": {"type": "SOFTLY", "servers": [{"id": WEB1}]}},
             {"os-start": {"type": "HARD", "servers": [{"id": DB1}]}}, {"reboot": {"servers": [{"id": WEB1}]}},
             {"os-stop": {"servers": [{"id": WEB1}]}, "os-start": {"servers": [{"id": DB1}]}}]
    for body in cases:
        assert error_of(v1(api, "POST", "/cloudservers/action", body)) == (400, "Ecs.0005"), body
    resp = v1(api, "POST", "/cloudservers/action", {"os-stop": {"servers": [{"id": WEB1}, {"id": "nope"}]}})
    assert error_of(resp) == (404, "Ecs.0114") and "nope" in resp.json()["error"]["message"]
    assert emu.admin.server(WEB1)["op"] is None  # the whole request was refused


def test_failed_job_when_the_server_is_deleted(api, emu):
    emu.admin.config(time_scale=1.0)
    job_id = resize(api, DB1, "s6.xlarge.2").json()["job_id"]
    emu.admin.delete_server(DB1)
    job = v1(api, "GET", "/jobs/" + job_id).json()
    assert job["status"] == "FAIL" and job["error_code"] == "Ecs.0114"
    assert job["entities"]["sub_jobs"][0]["entities"]["errorcode_message"] == "The ECS does not exist."


def test_resize_flavors(api, emu):
    flavors = v1(api, "GET", "/cloudservers/resize_flavors", params={"instance_uuid": WEB1}).json()["flavors"]
    ids = [f["id"] for f in flavors]
    assert "s6.medium.2" not in ids and "s6.large.2" in ids and ids == sorted(ids)
    for flavor in flavors:
        for key in ("id", "name", "vcpus", "ram", "disk", "extra_specs", "links", "os-flavor-access:is_public"):
            assert key in flavor
        assert isinstance(flavor["vcpus"], str) and isinstance(flavor["disk"], str)
    # disk filter: from m1.small (20 GiB) only flavors with >= 20 GiB
    resp = v1(api, "GET", "/cloudservers/resize_flavors", params={"instance_uuid": APP1})
    ids = [f["id"] for f in resp.json()["flavors"]]
    names = [f["name"] for f in emu.app.emulator.flavors() if f["id"] in ids]
    assert sorted(names) == ["m1.large", "m1.medium"]
    by_id = v1(api, "GET", "/cloudservers/resize_flavors", params={"source_flavor_id": M1_SMALL}).json()["flavors"]
    by_name = v1(api, "GET", "/cloudservers/resize_flavors", params={"source_flavor_name": "m1.small"}).json()["flavors"]
    assert [f["id"] for f in by_id] == [f["id"] for f in by_name] == ids
    # the path the page prints (/v2.1/{project_id}/resize_flavors)
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
    assert sold["extra_specs"]["cond:operation:status"] == "sellout" and "cond:operation:az" not in sold["extra_specs"]
    for params, expected in (({}, (400, "Ecs.0005")), ({"instance_uuid": "nope"}, (404, "Ecs.0114")),
                             ({"source_flavor_id": "nope"}, (400, "Ecs.0029")),
                             ({"source_flavor_id": "s6.small.1", "sort_key": "bogus"}, (400, "Ecs.0005")),
                             ({"source_flavor_id": "s6.small.1", "marker": "bogus"}, (400, "Ecs.0005"))):
        assert error_of(v1(api, "GET", "/cloudservers/resize_flavors", params=params)) == expected, params


def targets(api, source):
    resp = v1(api, "GET", "/cloudservers/resize_flavors", params={"source_flavor_id": source})
    assert resp.status_code == 200, resp.text
    return [f["id"] for f in resp.json()["flavors"]]


def test_resize_flavors_follow_the_family_rules(api, emu):
    """User guide (umn/source/service_overview/ecs_types_and_specifications/ecs_specifications/):
    GPU only within the instance type, large-memory only within the family, D2 and ultra-high I/O
    not at all."""
    assert targets(api, "p2s.2xlarge.8") == ["p2s.4xlarge.8"]
    assert targets(api, "pi2.2xlarge.4") == []
    assert targets(api, "e3.7xlarge.12") == ["e3.14xlarge.12"]
    assert targets(api, "d2.xlarge.8") == []
    assert targets(api, "i3.2xlarge.4") == []
    general = targets(api, "s6.medium.2")
    assert "s6.large.2" in general and "c7.large.2" in general
    assert not [f for f in general if f.split(".")[0] in ("p2s", "pi2", "e3", "d2", "i3")]


@pytest.mark.parametrize("profile, codes", [("otc", ("Ecs.0005", "Ecs.0005", "Ecs.0005")),
                                            ("otc-swiss", ("Ecs.0804", "Ecs.0805", "Ecs.0804"))])
def test_resize_outside_the_family_rules_is_refused(api, emu, profile, codes):
    """eu-de's appendix has no code for it (Ecs.0005, invalid parameters); the Swiss one has Ecs.0804
    (cannot be switched to the target flavor) and Ecs.0805 (large-memory to general computing)."""
    emu.admin.config(profile=profile)
    emu.admin.seed(servers=[{"id": "gpu-1", "name": "gpu-1", "flavor": "p2s.2xlarge.8", "status": "SHUTOFF"},
                            {"id": "mem-1", "name": "mem-1", "flavor": "e3.7xlarge.12", "status": "SHUTOFF"},
                            {"id": "d2-1", "name": "d2-1", "flavor": "d2.xlarge.8", "status": "SHUTOFF"}])
    assert error_of(resize(api, "gpu-1", "s6.large.2")) == (400, codes[0])
    assert error_of(resize(api, "mem-1", "s6.large.2")) == (400, codes[1])
    resp = resize(api, "d2-1", "s6.large.2")
    assert error_of(resp) == (400, codes[2])
    assert resp.json()["error"]["message"] == "D2 ECSs do not support specification modification."
    assert error_of(resize(api, DB1, "p2s.2xlarge.8")) == (400, codes[0])
    _statuses, job = wait_job(api, resize(api, "gpu-1", "p2s.4xlarge.8").json()["job_id"])
    assert job["status"] == "SUCCESS"
    # the Nova-compatible resize applies the same rules (Nova's error shape)
    resp = api.action(WEB1, {"resize": {"flavorRef": "e3.7xlarge.12"}})
    assert resp.status_code == 400 and "badRequest" in resp.json()


def test_job_stored_by_an_older_emulator_is_still_served(api, emu):
    """A --state file written before sub-job lists existed: its resize job reads as one sub-job."""
    now = emu.emulator.now()
    emu.emulator.store.put("job", "0ld", {"job_id": "0ld", "server_id": DB1, "project_id": emu.project_id,
                                          "begin": now - 10, "end": now - 5, "failed": True, "sub_job_id": "5ub",
                                          "error_code": "Ecs.1000", "fail_reason": "No valid host was found."})
    job = v1(api, "GET", "/jobs/0ld").json()
    assert job["status"] == "FAIL" and job["error_code"] == "Ecs.1000" and job["entities"]["server_id"] == DB1
    assert [(s["job_id"], s["status"]) for s in job["entities"]["sub_jobs"]] == [("5ub", "FAIL")]
