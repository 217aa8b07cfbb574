"""ECS native API (`/v1/<project_id>`): resize and batch stop/start with jobs, jobs, target flavors,
metadata. Served under the otc profiles; under ``nova`` every `/v1` path answers like Nova (300
Multiple Choices) and `/v2.1/<project_id>/resize_flavors` like an unknown Nova URL (404)."""

from flask import Blueprint, g, request

from .api_compute import compute, metadata_problem, nova_unrouted
from .core import ECS_BAD_REQUEST
from .errors import ecs_error
from .httputil import emulator, json_response, paginate, read_json
from .reqauth import authenticate
from .views import render_ecs_flavor, render_job

ecs = Blueprint("ecs", __name__, url_prefix="/v1/<project_id>")

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
