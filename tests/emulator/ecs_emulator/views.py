"""Rendering: the documents of servers, flavors, instance actions and ECS jobs as the APIs show them."""

import hashlib

from flask import g

from . import statemachine as sm
from .core import ECS_SERVER_NOT_FOUND, iso_ms, iso_us, iso_z
from .httputil import base_url, emulator
from .seed import AVAILABILITY_ZONE


def url_prefix(project_id):
    """The project part of response links: Nova's links follow the URL form of the request."""
    return "/" + project_id if g.get("url_project", True) else ""


def render_flavor(flavor, detail, mv, project_id):
    base = base_url()
    pid = url_prefix(project_id)
    links = [{"rel": "self", "href": "%s/%s%s/flavors/%s" % (base, g.get("api", "v2.1"), pid, flavor["id"])},
             {"rel": "bookmark", "href": "%s%s/flavors/%s" % (base, pid, flavor["id"])}]
    out = {"id": flavor["id"], "name": flavor["name"], "links": links}
    if mv >= (2, 55):
        out["description"] = None
    if not detail:
        return out
    out.update({
        "vcpus": flavor["vcpus"], "ram": flavor["ram"], "disk": flavor["disk"],
        "swap": flavor["swap"] or "",
        "OS-FLV-EXT-DATA:ephemeral": flavor["ephemeral"],
        "OS-FLV-DISABLED:disabled": False,
        "rxtx_factor": 1.0,
        "os-flavor-access:is_public": flavor["is_public"],
    })
    return out


def render_server(doc, state, mv, detail=True):
    emu = emulator()
    base = base_url()
    pid = doc["project_id"]
    sid = doc["id"]
    prefix = url_prefix(pid)
    links = [{"rel": "self", "href": "%s/%s%s/servers/%s" % (base, g.get("api", "v2.1"), prefix, sid)},
             {"rel": "bookmark", "href": "%s%s/servers/%s" % (base, prefix, sid)}]
    if not detail:
        return {"id": sid, "name": doc["name"], "links": links}
    fid = state["flavor_id"]
    if mv >= (2, 47):
        flavor = emu.flavor(fid) or {"name": fid, "vcpus": 0, "ram": 0, "disk": 0, "ephemeral": 0, "swap": 0}
        flavor_view = {"original_name": flavor["name"], "vcpus": flavor["vcpus"], "ram": flavor["ram"],
                       "disk": flavor["disk"], "ephemeral": flavor["ephemeral"], "swap": flavor["swap"],
                       "extra_specs": dict(flavor.get("extra_specs") or {})}
    else:
        flavor_view = {"id": fid, "links": [{"href": "%s%s/flavors/%s" % (base, prefix, fid), "rel": "bookmark"}]}
    server = {
        "id": sid,
        "name": doc["name"],
        "status": state["status"],
        "tenant_id": pid,
        "user_id": doc["user_id"],
        "metadata": doc.get("metadata") or {},
        "hostId": host_id(pid),
        "image": "",
        "flavor": flavor_view,
        "created": iso_z(doc["created"]),
        "updated": iso_z(state["updated"]),
        "addresses": {},
        "accessIPv4": "",
        "accessIPv6": "",
        "links": links,
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": AVAILABILITY_ZONE,
        "config_drive": "",
        "key_name": None,
        "OS-SRV-USG:launched_at": iso_us(doc["created"]),
        "OS-SRV-USG:terminated_at": None,
        "OS-EXT-STS:vm_state": state["vm_state"],
        "OS-EXT-STS:task_state": state["task_state"],
        "OS-EXT-STS:power_state": state["power_state"],
        "os-extended-volumes:volumes_attached": [],
        "security_groups": [{"name": "default"}],
    }
    if state["status"] in sm.PROGRESS_STATUSES:
        server["progress"] = state.get("progress") or 0
    if mv >= (2, 9):
        server["locked"] = bool(doc.get("locked"))
    if mv >= (2, 19):
        server["description"] = None
    if mv >= (2, 26):
        server["tags"] = []
    if state["vm_state"] == "error" and doc.get("fault"):
        server["fault"] = doc["fault"]
    return server


def host_id(project_id):
    return hashlib.sha224((project_id + "emulated-host-1").encode("utf-8")).hexdigest()


def render_action(record, mv, with_events, now, admin=False):
    """An instance action as Nova shows it: a project member sees the events only from 2.51,
    never their traceback or details (the reason of a failure): those are admin-only (details 2.84+)."""
    done = now >= record["end"]
    out = {"action": record["action"], "instance_uuid": record["server_id"], "request_id": record["request_id"],
           "user_id": record["user_id"], "project_id": record["project_id"],
           "start_time": iso_us(record["start"]),
           "message": "Error" if (done and record.get("failed")) else None}
    if mv >= (2, 58):
        out["updated_at"] = iso_us(min(now, record["end"]))
    if with_events and (admin or mv >= (2, 51)):
        events = []
        for ev in sm.visible_events(record["events"], now):
            item = {"event": ev["event"], "start_time": iso_us(ev["start"]),
                    "finish_time": iso_us(ev["finish"]) if ev["finish"] is not None else None,
                    "result": ev["result"]}
            if admin:
                item["traceback"] = None
                if ev["result"] == "Error":  # frames only, like Nova's (the reason is in details, 2.84+)
                    exc_name = "ResizeError" if ev["details"] == sm.DISK_DOWN else "NoValidHost"
                    item["traceback"] = ("  File \"nova/compute/manager.py\", line 1, in %s\n"
                                         "    raise exception.%s\n" % (ev["event"], exc_name))
            if mv >= (2, 62):
                item["hostId"] = host_id(record["project_id"])
                if admin:
                    item["host"] = "emulated-host-1"
            if admin and mv >= (2, 84):
                item["details"] = ev["details"]
            events.append(item)
        out["events"] = events
    return out


def render_job(job, now, server_exists):
    status = sm.job_status(job, now)
    error_code = fail_reason = None
    if status in ("INIT", "RUNNING") and not server_exists:
        status, error_code, fail_reason = "FAIL", ECS_SERVER_NOT_FOUND, "The server was deleted."
    elif status == "FAIL":
        error_code, fail_reason = job["error_code"], job["fail_reason"]
    ended = status in ("SUCCESS", "FAIL")
    end_time = iso_ms(min(now, job["end"])) if ended else ""
    sub = {"status": status, "job_id": job["sub_job_id"], "job_type": "resizeServer",
           "begin_time": iso_ms(job["begin"]), "end_time": end_time, "error_code": error_code,
           "fail_reason": fail_reason, "entities": {"server_id": job["server_id"]}}
    return {"status": status, "job_id": job["job_id"], "job_type": "resizeServer",
            "begin_time": iso_ms(job["begin"]), "end_time": end_time, "error_code": error_code,
            "fail_reason": fail_reason,
            "entities": {"server_id": job["server_id"], "sub_jobs_total": 1, "sub_jobs": [sub]}}


def render_ecs_flavor(flavor, project_id):
    base = base_url()
    return {
        "id": flavor["id"], "name": flavor["name"], "vcpus": str(flavor["vcpus"]), "ram": flavor["ram"],
        "disk": str(flavor["disk"]), "swap": str(flavor["swap"] or ""),
        "OS-FLV-EXT-DATA:ephemeral": flavor["ephemeral"], "OS-FLV-DISABLED:disabled": False,
        "rxtx_factor": 1, "rxtx_quota": None, "rxtx_cap": None,
        "os-flavor-access:is_public": flavor["is_public"],
        "links": [{"rel": "self", "href": "%s/v1/%s/flavors/%s" % (base, project_id, flavor["id"]), "type": None},
                  {"rel": "bookmark", "href": "%s/%s/flavors/%s" % (base, project_id, flavor["id"]), "type": None}],
        "extra_specs": dict({"ecs:performancetype": "normal",
                             "cond:operation:status": "sellout" if flavor["sold_out"] else "normal"},
                            **(flavor.get("extra_specs") or {})),
    }
