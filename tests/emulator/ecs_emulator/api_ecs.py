"""ECS native API (`/v1/<project_id>`): resize with a job, jobs, target flavors."""

from flask import Blueprint, g, request

from .core import ECS_BAD_REQUEST, ECS_JOB_NOT_FOUND
from .errors import ApiError
from .httputil import emulator, json_response, paginate, read_json
from .reqauth import authenticate
from .views import render_ecs_flavor, render_job

ecs = Blueprint("ecs", __name__, url_prefix="/v1/<project_id>")


@ecs.url_value_preprocessor
def _ecs_values(_endpoint, values):
    g.project_id = values.pop("project_id")


@ecs.before_request
def _ecs_auth():
    authenticate(g.project_id, "ecs")


def resize_flavors(project_id):
    """GET resize_flavors (also served by Nova's blueprint as /v2.1/<project_id>/resize_flavors)."""
    args = request.args
    flavors = emulator().resize_flavors(project_id, args.get("instance_uuid"), args.get("source_flavor_id"),
                                        args.get("source_flavor_name"), args.get("sort_key", "flavorid"),
                                        args.get("sort_dir", "asc"))
    page, _more = paginate(flavors, key=lambda f: f["id"], style="ecs")
    return json_response({"flavors": [render_ecs_flavor(f, project_id) for f in page]})


@ecs.route("/cloudservers/resize_flavors", methods=["GET"])
def v1_resize_flavors():
    return resize_flavors(g.project_id)


@ecs.route("/cloudservers/<server_id>/resize", methods=["POST"])
def v1_resize(server_id):
    emu = emulator()
    g.server_id = server_id
    g.action = "resize"
    body = read_json("ecs")
    resize = body.get("resize") if isinstance(body, dict) else None
    ref = resize.get("flavorRef") if isinstance(resize, dict) else None
    if not isinstance(ref, str) or not ref.strip():
        raise ApiError(400, "Invalid request body: resize.flavorRef is required.", style="ecs", code=ECS_BAD_REQUEST)
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise ApiError(400, "Invalid request body: dry_run must be a boolean.", style="ecs", code=ECS_BAD_REQUEST)
    job_id = emu.v1_resize(g.project_id, server_id, ref.strip(), dry_run, g.principal, g.request_id)
    return json_response({"job_id": job_id})


@ecs.route("/jobs/<job_id>", methods=["GET"])
def v1_job(job_id):
    emu = emulator()
    job = emu.job(job_id)
    if job is None or job["project_id"] != g.project_id:
        raise ApiError(404, "Job %s does not exist." % job_id, style="ecs", code=ECS_JOB_NOT_FOUND)
    exists = emu.server_doc(job["server_id"]) is not None
    return json_response(render_job(job, emu.now(), exists))
