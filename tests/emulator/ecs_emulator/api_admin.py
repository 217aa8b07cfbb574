"""The admin API (`/__emulator`, no auth, never faulted nor logged): state, seed, config, faults."""

import json

from flask import Blueprint, request

from .errors import ApiError
from .faults import FaultError
from .httputil import base_url, emulator, empty_response, json_response
from .seed import DEFAULT_REGION

admin = Blueprint("admin", __name__, url_prefix="/__emulator")


def info_for(emu, base):
    from . import seed as seeds  # pylint: disable=import-outside-toplevel
    pid = seeds.DEFAULT_PROJECT_ID
    return {
        "base_url": base,
        "auth_url": base + "/v3",
        "compute_url": base + "/v2.1/" + pid,
        "ecs_url": base + "/v1/" + pid,
        "project_id": pid,
        "project_name": seeds.DEFAULT_PROJECT_NAME,
        "user_domain_name": seeds.DEFAULT_DOMAIN_NAME,
        "project_domain_name": seeds.DEFAULT_DOMAIN_NAME,
        "username": seeds.DEFAULT_USERNAME,
        "password": seeds.DEFAULT_PASSWORD,
        "access_key": seeds.DEFAULT_ACCESS_KEY,
        "secret_key": seeds.DEFAULT_SECRET_KEY,
        "region": DEFAULT_REGION,
        "admin_url": base + "/__emulator",
        "state_file": emu.store.path,
        "profile": emu.profile,
    }


def admin_json():
    data = request.get_data(cache=True)
    if not data:
        return {}
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "body is not valid JSON", style="plain") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "body must be a JSON object", style="plain")
    return body


def admin_bad(exc):
    return ApiError(400, str(exc), style="plain")


@admin.route("", methods=["GET"])
@admin.route("/", methods=["GET"])
@admin.route("/info", methods=["GET"])
def admin_info():
    return json_response(info_for(emulator(), base_url()))


@admin.route("/reset", methods=["POST"])
def admin_reset():
    emu = emulator()
    try:
        emu.reset(admin_json().get("seed", "default"), config=emu.startup_config)
    except ValueError as exc:
        raise admin_bad(exc) from exc
    return json_response({"reset": True})


@admin.route("/seed", methods=["POST"])
def admin_seed():
    body = admin_json()
    try:
        servers = emulator().seed(body.get("flavors"), body.get("servers"), body.get("users"))
    except (ValueError, TypeError, KeyError) as exc:
        raise admin_bad(exc) from exc
    return json_response({"servers": servers})


@admin.route("/config", methods=["GET", "POST", "PATCH"])
def admin_config():
    emu = emulator()
    if request.method == "GET":
        return json_response(emu.config)
    try:
        return json_response(emu.set_config(admin_json()))
    except ValueError as exc:
        raise admin_bad(exc) from exc


@admin.route("/servers", methods=["GET"])
def admin_servers():
    emu = emulator()
    return json_response({"servers": [emu.admin_view(d["id"]) for d in emu.store.list("server")]})


@admin.route("/servers/<server_id>", methods=["GET", "PATCH", "DELETE"])
def admin_server(server_id):
    emu = emulator()
    if request.method == "DELETE":
        if not emu.delete_server(server_id):
            raise ApiError(404, "no server %s" % server_id, style="plain")
        return empty_response(204)
    if request.method == "PATCH":
        try:
            view = emu.patch_server(server_id, admin_json())
        except (ValueError, TypeError) as exc:
            raise admin_bad(exc) from exc
    else:
        view = emu.admin_view(server_id)
    if view is None:
        raise ApiError(404, "no server %s" % server_id, style="plain")
    return json_response(view)


@admin.route("/flavors/<flavor_id>/sold_out", methods=["POST"])
def admin_sold_out(flavor_id):
    body = admin_json()
    az = body.get("az")
    if az is not None and (not isinstance(az, str) or not az):
        raise ApiError(400, "az must be a non-empty string (an availability zone) or null", style="plain")
    return json_response(emulator().set_sold_out(flavor_id, body.get("sold_out", True), az=az))


@admin.route("/faults", methods=["GET", "POST", "DELETE"])
def admin_faults():
    emu = emulator()
    if request.method == "DELETE":
        emu.faults.clear()
        return empty_response(204)
    if request.method == "POST":
        body = admin_json()
        try:
            rule = emu.faults.add(route=body.get("route", ".*"), method=body.get("method"),
                                  kind=body.get("kind", "500"), count=body.get("count", 1),
                                  retry_after=body.get("retry_after"), delay=body.get("delay"),
                                  status=body.get("status"), body=body.get("body"), content_type=body.get("content_type"),
                                  query=body.get("query"), rate=body.get("rate"), seed=body.get("seed"),
                                  kinds=body.get("kinds"))
        except FaultError as exc:
            raise admin_bad(exc) from exc
        return json_response(rule, 201)
    return json_response({"faults": emu.faults.list()})


@admin.route("/rate_limit", methods=["GET", "POST"])
def admin_rate_limit():
    emu = emulator()
    if request.method == "POST":
        body = admin_json()
        rps = body.get("rps")
        if rps is not None and (isinstance(rps, bool) or not isinstance(rps, (int, float)) or rps <= 0):
            raise ApiError(400, "rps must be a positive number or null", style="plain")
        if not isinstance(body.get("retry_after", True), bool):
            raise ApiError(400, "retry_after must be true or false", style="plain")
        try:
            emu.rate.set(rps, per=body.get("per", "token"), answer=body.get("answer", "429"),
                         retry_after=body.get("retry_after", True))
        except FaultError as exc:
            raise admin_bad(exc) from exc
    return json_response(emu.rate.settings())


@admin.route("/actions", methods=["GET"])
def admin_actions():
    """The instance actions as stored (epoch times, every event with its start and finish), optionally of one server:
    when each server really went through each phase (tests/bench measures how late a client saw it)."""
    emu = emulator()
    server_id = request.args.get("server_id")
    records = emu.actions(server_id) if server_id else emu.store.list("action")
    return json_response({"actions": records})


@admin.route("/requests", methods=["GET", "DELETE"])
def admin_requests():
    emu = emulator()
    if request.method == "DELETE":
        emu.log.clear()
        return empty_response(204)
    return json_response({"requests": emu.log.entries()})


@admin.route("/tokens/expire", methods=["POST"])
def admin_expire_tokens():
    emulator().expire_tokens()
    return json_response({"expired": True})


@admin.route("/users/<user>/password", methods=["POST"])
def admin_user_password(user):
    """The user's password changes (by name or id) and the user's tokens are revoked, as Keystone's
    change_password does."""
    password = admin_json().get("password")
    if not isinstance(password, str) or not password:
        raise ApiError(400, "password must be a non-empty string", style="plain")
    try:
        changed = emulator().change_password(user, password)
    except KeyError as exc:
        raise ApiError(404, "no user %s" % user, style="plain") from exc
    return json_response({"user": changed["name"], "revoked_tokens": changed["revoked_tokens"]})


@admin.route("/stats", methods=["GET"])
def admin_stats():
    return json_response({"stats": emulator().log.stats()})
