"""Rendering: the documents of servers, flavors, instance actions and ECS jobs as the APIs show them."""

import hashlib

from flask import g

from . import flavor_rules
from . import statemachine as sm
from .core import iso_ms, iso_us, iso_z
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
        "addresses": render_addresses(doc, "nova"),
        "accessIPv4": "",
        "accessIPv6": "",
        "links": links,
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": doc.get("availability_zone") or AVAILABILITY_ZONE,
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
        # "supported in microversion 2.26 and later" (listing_ecs_details.rst, Table 4)
        server["tags"] = list(doc.get("tags") or [])
    if state["vm_state"] == "error" and doc.get("fault"):
        server["fault"] = doc["fault"]
    if doc.get("dedicated_host_id") and emu.features["dedicated_hosts"]:
        # OTC (native_openstack_nova_apis/lifecycle_management/querying_details_about_an_ecs.rst,
        # Table 11): "only available in DeH scenarios"; tenancy and dedicated_host_id are arrays
        server["os:scheduler_hints"] = {"tenancy": ["dedicated"], "dedicated_host_id": [doc["dedicated_host_id"]]}
    return server


def render_addresses(doc, api):
    """``addresses`` of a server document: ``{network: [address, ...]}``. Nova
    (native_openstack_nova_apis/lifecycle_management/listing_ecs_details.rst, Table 7): ``addr``,
    ``version`` (integer), ``OS-EXT-IPS:type``, ``OS-EXT-IPS-MAC:mac_addr``; ECS /v1
    (apis_recommended/lifecycle_management/listing_details_about_ecss.rst, Table 5 and example):
    ``version`` a string, and ``OS-EXT-IPS:port_id``."""
    out = {}
    for item in doc.get("addresses") or []:
        entry = {"addr": item["addr"], "version": item["version"] if api == "nova" else str(item["version"]),
                 "OS-EXT-IPS-MAC:mac_addr": item["mac"], "OS-EXT-IPS:type": item["type"]}
        if api == "ecs":
            entry["OS-EXT-IPS:port_id"] = item["port_id"]
        out.setdefault(item["network"], []).append(entry)
    return out


def render_ecs_server(doc, state):
    """A server as GET /v1/<project_id>/cloudservers/detail lists it
    (apis_recommended/lifecycle_management/listing_details_about_ecss.rst, Table 4 and the example):
    no microversions; ``flavor`` with ``id``, ``name`` and the sizes as strings; ``tags`` and ``locked``
    always; ``fault`` null unless the server is in error; ``progress`` as in the Nova document."""
    emu = emulator()
    fid = state["flavor_id"]
    flavor = emu.flavor(fid) or {"name": fid, "vcpus": 0, "ram": 0, "disk": 0}
    server = {
        "fault": doc["fault"] if state["vm_state"] == "error" and doc.get("fault") else None,
        "id": doc["id"],
        "name": doc["name"],
        "addresses": render_addresses(doc, "ecs"),
        "flavor": {"disk": str(flavor["disk"]), "vcpus": str(flavor["vcpus"]), "ram": str(flavor["ram"]),
                   "id": fid, "name": flavor["name"]},
        "accessIPv4": "",
        "accessIPv6": "",
        "status": state["status"],
        "image": {"id": ""},
        "hostId": host_id(doc["project_id"]),
        "updated": iso_z(state["updated"]),
        "created": iso_z(doc["created"]),
        "metadata": doc.get("metadata") or {},
        "tags": list(doc.get("tags") or []),
        "description": "",
        "locked": bool(doc.get("locked")),
        "config_drive": "",
        "tenant_id": doc["project_id"],
        "user_id": doc["user_id"],
        "os-extended-volumes:volumes_attached": [],
        "OS-EXT-STS:task_state": state["task_state"],
        "OS-EXT-STS:power_state": state["power_state"],
        "OS-EXT-STS:vm_state": state["vm_state"],
        "OS-EXT-SRV-ATTR:host": "emulated-host-1",
        "OS-EXT-SRV-ATTR:instance_name": "instance-" + doc["id"][:8],
        "OS-EXT-SRV-ATTR:hypervisor_hostname": "emulated-host-1",
        "OS-DCF:diskConfig": "MANUAL",
        "OS-EXT-AZ:availability_zone": doc.get("availability_zone") or AVAILABILITY_ZONE,
        "os:scheduler_hints": {},
        "OS-SRV-USG:launched_at": iso_us(doc["created"]),
        "OS-SRV-USG:terminated_at": "",
        "host_status": "UP",
        "sys_tags": [],
        "security_groups": [{"name": "default"}],
    }
    if state["status"] in sm.PROGRESS_STATUSES:
        server["progress"] = state.get("progress") or 0
    if doc.get("dedicated_host_id"):
        server["os:scheduler_hints"] = {"tenancy": ["dedicated"], "dedicated_host_id": [doc["dedicated_host_id"]]}
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


def render_job(view):
    """A job as querying_job_execution_status.rst shows it (``view`` from Emulator.job_view):
    ``entities.sub_jobs[]`` with their own status and entities; a failed sub-job's cause in
    ``entities.errorcode_message``."""
    subs = []
    for sub in view["subs"]:
        entities = {"server_id": sub["server_id"]}
        if sub["status"] == "FAIL":
            entities["errorcode_message"] = sub["fail_reason"]
        subs.append({"status": sub["status"], "entities": entities, "job_id": sub["job_id"],
                     "job_type": sub["job_type"], "begin_time": iso_ms(sub["begin"]),
                     "end_time": iso_ms(sub["end"]) if sub["end"] is not None else "",
                     "error_code": sub["error_code"], "fail_reason": sub["fail_reason"]})
    entities = {"sub_jobs_total": len(subs), "sub_jobs": subs}
    if view.get("server_id"):
        entities = dict({"server_id": view["server_id"]}, **entities)
    return {"status": view["status"], "entities": entities, "job_id": view["job_id"], "job_type": view["job_type"],
            "begin_time": iso_ms(view["begin"]),
            "end_time": iso_ms(view["end"]) if view["end"] is not None else "",
            "error_code": view["error_code"], "fail_reason": view["fail_reason"]}


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
        "extra_specs": ecs_extra_specs(flavor),
    }


def ecs_extra_specs(flavor):
    """The flavor's extra_specs with its availability: ``cond:operation:status`` region-wide and,
    when an AZ differs, ``cond:operation:az`` (listing_flavor_details_and_extended_information.rst)."""
    specs = dict({"ecs:performancetype": "normal"}, **(flavor.get("extra_specs") or {}))
    specs["cond:operation:status"] = "sellout" if flavor["sold_out"] else "normal"
    if flavor.get("az_status"):
        specs["cond:operation:az"] = flavor_rules.format_az_status(flavor["az_status"])
    return specs
