"""ECS native API (`/v1/<project_id>`): resize and batch stop/start with jobs, jobs, target flavors,
metadata. Served under the otc profiles; under ``nova`` every `/v1` path answers like Nova (300
Multiple Choices) and `/v2.1/<project_id>/resize_flavors` like an unknown Nova URL (404)."""

import re

from flask import Blueprint, g, request

from .api_compute import compute, metadata_problem, nova_unrouted
from .core import ECS_BAD_REQUEST
from .errors import ecs_error
from .httputil import emulator, json_response, paginate, read_json
from .reqauth import authenticate
from .views import render_ecs_flavor, render_ecs_server, render_job

ecs = Blueprint("ecs", __name__, url_prefix="/v1/<project_id>")

# GET cloudservers/detail (apis_recommended/lifecycle_management/listing_details_about_ecss.rst):
# "Each page contains 25 ECSs by default, and a maximum of 1,000 ECSs are returned."
V1_DEFAULT_LIMIT = 25
V1_MAX_LIMIT = 1000
# The same page, status: "When an ECS is in an intermediate state, the statuses that can be obtained are as follows"
V1_STATUS_MATCHES = {
    "ACTIVE": {"ACTIVE", "REBOOT", "HARD_REBOOT", "REBUILD", "MIGRATING", "RESIZE"},
    "SHUTOFF": {"SHUTOFF", "RESIZE", "REBUILD"},
    "ERROR": {"ERROR", "REBUILD"},
    "VERIFY_RESIZE": {"VERIFY_RESIZE", "REVERT_RESIZE"},
}

BATCH_ACTIONS = ("os-stop", "os-start")
STOP_TYPES = ("SOFT", "HARD")


@ecs.url_value_preprocessor
def _ecs_values(_endpoint, values):
    g.project_id = values.pop("project_id")


@ecs.before_request
def _ecs_auth():
    if not emulator().features["ecs_api"]:
        return nova_unrouted()
    authenticate(g.project_id, "ecs")
    return None


def bad_request(message):
    return ecs_error(ECS_BAD_REQUEST, message)


def resize_flavors(project_id):
    """GET resize_flavors (querying_the_target_flavors_to_which_an_ecs_flavor_can_be_changed.rst)."""
    args = request.args
    flavors = emulator().resize_flavors(project_id, args.get("instance_uuid"), args.get("source_flavor_id"),
                                        args.get("source_flavor_name"), args.get("sort_key", "flavorid"),
                                        args.get("sort_dir", "asc"))
    page, _more = paginate(flavors, key=lambda f: f["id"], style="ecs")
    return json_response({"flavors": [render_ecs_flavor(f, project_id) for f in page]})


def _v1_int(name, default, minimum):
    value = request.args.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise bad_request("Invalid parameter: %s must be an integer greater than or equal to %d." % (name, minimum))
    return number


def fuzzy_name(text):
    """The name filter of cloudservers/detail: "fuzzy-matched", a period matches any single character but
    \\n and \\r (the page's Range); anything else literally (choice), case-sensitive (choice)."""
    pattern = re.compile("".join("[^\n\r]" if c == "." else re.escape(c) for c in text))
    return pattern.search


@ecs.route("/cloudservers/detail", methods=["GET"])
def v1_list_servers():
    """GET cloudservers/detail (listing_details_about_ecss.rst): ``offset`` the page number (1 is the first,
    0 the same as 1), ``limit`` (25 by default, at most 1,000), filters ``name``, ``status``, ``tags`` (the
    server's tags contain the value; a comma-separated list: all of them, choice); ``count`` the number of
    servers matching, on every page."""
    offset = _v1_int("offset", 1, 0) or 1
    limit = min(_v1_int("limit", V1_DEFAULT_LIMIT, 0) or V1_DEFAULT_LIMIT, V1_MAX_LIMIT)
    name = request.args.get("name")
    status = request.args.get("status")
    statuses = V1_STATUS_MATCHES.get(status.upper(), {status.upper()}) if status else None
    tags = [t for t in request.args.get("tags", "").split(",") if t]
    items = emulator().list_servers(g.project_id, name=fuzzy_name(name) if name else None, statuses=statuses, tags=tags)
    page = items[(offset - 1) * limit:offset * limit]
    return json_response({"count": len(items), "servers": [render_ecs_server(doc, state) for doc, state in page]})


@ecs.route("/cloudservers/resize_flavors", methods=["GET"])
def v1_resize_flavors():
    return resize_flavors(g.project_id)


@compute.route("/resize_flavors", methods=["GET"])
def v21_resize_flavors():
    """The path the reference page prints (/v2.1/{project_id}/resize_flavors); Nova has no such route."""
    if not emulator().features["ecs_api"]:
        return nova_unrouted()
    return resize_flavors(g.project_id)


def _object(body):
    if not isinstance(body, dict):
        raise bad_request("Invalid request body: a JSON object is required.")
    return body


@ecs.route("/cloudservers/<server_id>/resize", methods=["POST"])
def v1_resize(server_id):
    emu = emulator()
    g.server_id = server_id
    g.action = "resize"
    body = _object(read_json("ecs"))
    extra = sorted(k for k in body if k not in ("resize", "dry_run"))
    if extra:
        raise bad_request("Invalid request body: unknown parameter %s." % extra[0])
    resize = body.get("resize")
    if not isinstance(resize, dict):
        raise bad_request("Invalid request body: resize is required and must be an object.")
    allowed = ["flavorRef"]
    if emu.features["resize_modes"]:
        allowed.append("mode")
    if emu.features["dedicated_hosts"]:
        allowed.append("dedicated_host_id")
    extra = sorted(k for k in resize if k not in allowed)
    if extra:
        raise bad_request("Invalid request body: resize.%s is not supported." % extra[0])
    ref = resize.get("flavorRef")
    if not isinstance(ref, str) or not ref.strip():
        raise bad_request("Invalid request body: resize.flavorRef is required.")
    mode = resize.get("mode")
    if mode is not None and mode not in emu.features["resize_modes"]:
        raise bad_request("Invalid request body: resize.mode must be one of %s."
                          % ", ".join(emu.features["resize_modes"]))
    host = resize.get("dedicated_host_id")
    if host is not None and (not isinstance(host, str) or not host):
        raise bad_request("Invalid request body: resize.dedicated_host_id must be a non-empty string.")
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise bad_request("Invalid request body: dry_run must be a boolean.")
    job_id = emu.v1_resize(g.project_id, server_id, ref.strip(), dry_run, g.principal, g.request_id,
                           mode=mode, dedicated_host_id=host)
    if job_id is None:
        # dry_run: "If the check is successful, the system returns status code 202." (no job)
        return json_response({}, 202)
    return json_response({"job_id": job_id})


@ecs.route("/cloudservers/action", methods=["POST"])
def v1_batch_action():
    """Batch stop / start: {"os-stop": {"type": "SOFT"|"HARD", "servers": [{"id": ...}]}} or
    {"os-start": {"servers": [...]}} -> {"job_id"}."""
    body = _object(read_json("ecs"))
    if len(body) != 1 or next(iter(body)) not in BATCH_ACTIONS:
        raise bad_request("Invalid request body: exactly one of %s is required." % ", ".join(BATCH_ACTIONS))
    action, arg = next(iter(body.items()))
    g.action = action
    if not isinstance(arg, dict):
        raise bad_request("Invalid request body: %s must be an object." % action)
    allowed = ("servers", "type") if action == "os-stop" else ("servers",)
    extra = sorted(k for k in arg if k not in allowed)
    if extra:
        raise bad_request("Invalid request body: %s.%s is not supported." % (action, extra[0]))
    if action == "os-stop" and arg.get("type", "SOFT") not in STOP_TYPES:
        raise bad_request("Invalid request body: os-stop.type must be SOFT or HARD.")
    servers = arg.get("servers")
    if (not isinstance(servers, list) or not servers
            or not all(isinstance(s, dict) and isinstance(s.get("id"), str) and s["id"] for s in servers)):
        raise bad_request("Invalid request body: %s.servers must be a non-empty list of {\"id\": <ECS id>}." % action)
    ids = [s["id"] for s in servers]
    if len(ids) == 1:
        g.server_id = ids[0]
    job_id = emulator().v1_batch_power(g.project_id, action, ids, g.principal, g.request_id)
    return json_response({"job_id": job_id})


@ecs.route("/jobs/<job_id>", methods=["GET"])
def v1_job(job_id):
    return json_response(render_job(emulator().job_view(g.project_id, job_id)))


@ecs.route("/cloudservers/<server_id>/metadata", methods=["POST"])
def v1_update_metadata(server_id):
    """apis_recommended/metadata_management/updating_ecs_metadata.rst: add or update items."""
    emu = emulator()
    g.server_id = server_id
    body = _object(read_json("ecs"))
    items = body.get("metadata")
    if set(body) != {"metadata"} or not isinstance(items, dict):
        raise bad_request("Invalid request body: metadata is required and must be an object.")
    problem = metadata_problem(items, "metadata", emu.features["metadata_key"])
    if problem:
        raise bad_request(problem)
    return json_response({"metadata": emu.set_metadata(g.project_id, server_id, items, style="ecs")})
