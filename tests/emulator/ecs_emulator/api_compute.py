"""Nova (`/v2`, `/v2.1`, with or without the project id): servers, actions, instance actions,
flavors; the version documents; what Nova answers for a URL no route matches."""

import calendar
import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, g, request
from werkzeug.routing import BaseConverter

from .errors import ApiError
from .httputil import (MAX_VERSION, MIN_VERSION, base_url, emulator, empty_response, json_response, microversion,
                       next_link, paginate, read_json)
from .reqauth import authenticate
from .views import render_action, render_flavor, render_server

# webob's HTML 404, what Nova answers for a URL none of its routes match
NOVA_HTML_404 = ("<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n"
                 "  The resource could not be found.<br /><br />\n\n\n\n </body>\n</html>")

compute = Blueprint("compute", __name__, url_prefix='/<any(v2, "v2.1"):api>/<nova_project:project_id>')
versions = Blueprint("versions", __name__)


class ProjectIdConverter(BaseConverter):
    """Nova's default [api] project_id_regex: a project id segment is hex (and dashes)."""

    regex = r"[0-9a-f\-]+"


# Nova's [api] max_limit (1000 by default; nova/api/openstack/common.py caps limit to it) and OTC's
# "a maximum of 1,000 ECSs are returned" (listing_ecs_details.rst, limit)
MAX_LIMIT = 1000


@compute.url_value_preprocessor
def _compute_values(_endpoint, values):
    g.api = values.pop("api")
    g.project_id = values.pop("project_id", None)
    g.url_project = g.project_id is not None


@compute.before_request
def _compute_auth():
    authenticate(g.project_id, "nova")
    version = microversion()
    g.mv = version or MIN_VERSION
    g.mv_header = version is not None


def version_doc(vid, status):
    base = base_url()
    path = "v2" if vid == "v2.0" else "v2.1"
    return {"id": vid, "status": status, "version": "%d.%d" % MAX_VERSION,
            "min_version": "%d.%d" % MIN_VERSION, "updated": "2013-07-23T11:33:21Z",
            "links": [{"rel": "self", "href": "%s/%s/" % (base, path)},
                      {"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.compute+json;version=2.1"}]}


@versions.route("/", methods=["GET"])
def root_versions():
    return json_response({"versions": [version_doc("v2.0", "SUPPORTED"), version_doc("v2.1", "CURRENT")]})


@versions.route('/<any(v2, "v2.1"):api>/', methods=["GET"], strict_slashes=False)
def api_version(api):
    if api == "v2":
        return json_response({"version": version_doc("v2.0", "SUPPORTED")})
    return json_response({"version": version_doc("v2.1", "CURRENT")})


# ----------------------------------------------------------------- servers


def _server_or_404(server_id):
    emu = emulator()
    doc = emu.server_doc(server_id)
    if doc is None or doc["project_id"] != g.project_id:
        raise ApiError(404, "Instance %s could not be found." % server_id)
    return doc


@compute.route("/servers/<server_id>", methods=["GET"])
def get_server(server_id):
    g.server_id = server_id
    doc = _server_or_404(server_id)
    return json_response({"server": render_server(doc, emulator().state_of(doc), g.mv)})


# ISO 8601 as Nova's date-time format check takes it (oslo_utils.timeutils.parse_isotime, iso8601): a date, optionally
# a time (seconds and fractions optional), optionally a zone; without a zone the time is UTC.
_ISO_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
                       r"(Z|[+-]\d{2}(?::?\d{2})?)?$")


def parse_changes_since(text):
    """Epoch seconds of a ``changes-since`` value; Nova's 400 for anything that is no ISO 8601 time
    (tests/nova/FINDINGS.md, "changes-since")."""
    match = _ISO_TIME.match(text.strip())
    invalid = ApiError(400, "Invalid input for query parameters changes-since. Value: %s. '%s' is not a 'date-time'"
                       % (text, text))
    if not match:
        raise invalid
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        seconds = calendar.timegm((int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), 0, 0, 0))
        if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31 and int(hour or 0) < 24 and int(minute or 0) < 60
                and int(second or 0) < 61):
            raise ValueError(text)
    except (ValueError, OverflowError) as exc:
        raise invalid from exc
    if fraction:
        seconds += float("0." + fraction)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 3600 + (int(digits[2:4]) * 60 if len(digits) > 2 else 0)
        seconds -= sign * offset
    return seconds


def _list_servers(detail):
    emu = emulator()
    name_filter = request.args.get("name")
    name = None
    if name_filter is not None:
        try:
            name = re.compile(name_filter).search
        except re.error:
            return json_response({"servers": []})
    status_filter = request.args.get("status")
    statuses = {status_filter.upper()} if status_filter is not None else None
    # tags (a comma-separated list, every one present) from 2.26; before it Nova drops the parameter
    # (listing_ecs_details.rst: tags, "Queries ECSs with tags containing the specified value"; tags in
    # the document "supported in microversion 2.26 and later")
    tags = [t for t in request.args.get("tags", "").split(",") if t] if g.mv >= (2, 26) else []
    # changes-since: the servers updated at or after the time, deleted ones as DELETED (Nova 34; OTC documents the
    # same parameter, native_openstack_nova_apis/lifecycle_management/listing_ecs_details.rst)
    since = request.args.get("changes-since")
    since = parse_changes_since(since) if since is not None else None
    items = emu.list_servers(g.project_id, name=name, statuses=statuses, tags=tags, changes_since=since)
    page, more = paginate(items, key=lambda item: item[0]["id"], max_limit=MAX_LIMIT)
    body = {"servers": [render_server(doc, state, g.mv, detail) for doc, state in page]}
    if more and page:
        body["servers_links"] = next_link("servers", page[-1][0]["id"])
    return json_response(body)


@compute.route("/servers", methods=["GET"])
def list_servers():
    return _list_servers(False)


@compute.route("/servers/detail", methods=["GET"])
def list_servers_detail():
    return _list_servers(True)


def _schema_error(field, value, problem):
    """Nova's JSON-schema error text: the value as str(), the problem as jsonschema words it (repr)."""
    return ApiError(400, "Invalid input for field/attribute %s. Value: %s. %s" % (field, value, problem))


def _validate_resize(arg, dedicated_hosts):
    """Nova's resize schema; OTC adds ``dedicated_host_id`` (change_history.rst 2018-03-30).
    Returns ``{"flavorRef": <id>, "dedicated_host_id": <id or None>}``."""
    if not isinstance(arg, dict):
        raise _schema_error("resize", arg, "%r is not of type 'object'" % (arg,))
    if "flavorRef" not in arg:
        raise _schema_error("resize", arg, "'flavorRef' is a required property")
    known = ("flavorRef", "OS-DCF:diskConfig") + (("dedicated_host_id",) if dedicated_hosts else ())
    extra = sorted(k for k in arg if k not in known)
    if extra:
        raise _schema_error("resize", arg, "Additional properties are not allowed (%r was unexpected)" % extra[0])
    ref = arg["flavorRef"]
    if isinstance(ref, bool) or not isinstance(ref, (str, int)):
        raise _schema_error("flavorRef", ref, "%r is not of type 'string', 'integer'" % (ref,))
    ref = str(ref)
    if not ref:
        raise _schema_error("flavorRef", ref, "'' should be non-empty")
    if arg.get("OS-DCF:diskConfig") not in (None, "AUTO", "MANUAL"):
        value = arg["OS-DCF:diskConfig"]
        raise _schema_error("OS-DCF:diskConfig", value, "%r is not one of ['AUTO', 'MANUAL']" % (value,))
    host = arg.get("dedicated_host_id")
    if host is not None and (not isinstance(host, str) or not host):
        raise _schema_error("dedicated_host_id", host, "%r is not a non-empty string" % (host,))
    if "/" in ref:
        # Nova takes an id only (a URI is "Flavor <uri> could not be found."); the ECS documentation
        # says "flavor id or flavor URI", so the emulator keeps accepting a URI (its last segment).
        ref = urlsplit(ref).path.rstrip("/").rsplit("/", 1)[-1]
    return {"flavorRef": ref, "dedicated_host_id": host}


@compute.route("/servers/<server_id>/action", methods=["POST"])
def server_action(server_id):
    emu = emulator()
    g.server_id = server_id
    body = read_json("nova")
    if not isinstance(body, dict) or len(body) != 1:
        raise ApiError(400, "Malformed request body")
    action, arg = next(iter(body.items()))
    if action not in ("resize", "confirmResize", "revertResize", "os-stop", "os-start"):
        raise ApiError(400, "There is no such action: %s" % action)
    g.action = action
    if action == "resize":
        arg = _validate_resize(arg, emu.features["dedicated_hosts"])
    emu.server_action(g.project_id, server_id, action, arg, g.principal, g.request_id)
    return empty_response(204 if action == "confirmResize" else 202)


@compute.route("/servers/<server_id>/os-instance-actions", methods=["GET"])
def list_instance_actions(server_id):
    g.server_id = server_id
    _server_or_404(server_id)
    emu = emulator()
    now = emu.now()
    records = sorted(emu.actions(server_id), key=lambda r: r["start"], reverse=True)
    return json_response({"instanceActions": [render_action(r, g.mv, False, now) for r in records]})


@compute.route("/servers/<server_id>/os-instance-actions/<request_id>", methods=["GET"])
def get_instance_action(server_id, request_id):
    g.server_id = server_id
    _server_or_404(server_id)
    emu = emulator()
    record = emu.action(request_id)
    if record is None or record["server_id"] != server_id:
        raise ApiError(404, "Action %s not found" % request_id)
    return json_response({"instanceAction": render_action(record, g.mv, True, emu.now(), g.principal.get("admin"))})

# ----------------------------------------------------------------- server metadata


def metadata_problem(items, field, key_pattern):
    """Nova's metadata schema (parameter_types.metadata) as a jsonschema error text, or None.

    ``key_pattern``: (shown, matched) for Nova's key regex or OTC's documented one (profiles.py);
    values are strings of at most 255 characters."""
    shown, matched = key_pattern
    for key, value in items.items():
        if not re.search(matched, key):
            return ("Invalid input for field/attribute %s. Value: %s. %r does not match any of the regexes: %r"
                    % (field, items, key, shown))
        if not isinstance(value, str):
            return "Invalid input for field/attribute %s. Value: %s. %r is not of type 'string'" % (key, value, value)
        if len(value) > 255:
            return "Invalid input for field/attribute %s. Value: %s. %r is too long" % (key, value, value)
    return None


def _metadata_body(wrapper):
    """The object under ``wrapper`` ("metadata" or "meta") of a Nova metadata request, schema-checked."""
    body = read_json("nova")
    if not isinstance(body, dict):
        raise ApiError(400, "%r is not of type 'object'" % (body,))
    if wrapper not in body:
        raise ApiError(400, "'%s' is a required property" % wrapper)
    extra = sorted(k for k in body if k != wrapper)
    if extra:
        raise ApiError(400, "Additional properties are not allowed (%r was unexpected)" % extra[0])
    items = body[wrapper]
    if not isinstance(items, dict):
        raise _schema_error(wrapper, items, "%r is not of type 'object'" % (items,))
    if wrapper == "meta" and len(items) != 1:
        problem = "should be non-empty" if not items else "has too many properties"
        raise _schema_error(wrapper, items, "%r %s" % (items, problem))
    problem = metadata_problem(items, wrapper, emulator().features["metadata_key"])
    if problem:
        raise ApiError(400, problem)
    return items


@compute.route("/servers/<server_id>/metadata", methods=["GET"])
def list_metadata(server_id):
    g.server_id = server_id
    return json_response({"metadata": emulator().metadata(g.project_id, server_id)})


@compute.route("/servers/<server_id>/metadata", methods=["POST", "PUT"])
def update_metadata(server_id):
    """POST merges (200, like Nova; "should be 201"), PUT replaces all items."""
    g.server_id = server_id
    items = _metadata_body("metadata")
    new = emulator().set_metadata(g.project_id, server_id, items, replace=request.method == "PUT")
    return json_response({"metadata": new})


@compute.route("/servers/<server_id>/metadata/<key>", methods=["GET"])
def show_metadata_item(server_id, key):
    g.server_id = server_id
    return json_response({"meta": emulator().metadata(g.project_id, server_id, key)})


@compute.route("/servers/<server_id>/metadata/<key>", methods=["PUT"])
def update_metadata_item(server_id, key):
    g.server_id = server_id
    items = _metadata_body("meta")
    if key not in items:
        raise ApiError(400, "Request body and URI mismatch")
    emulator().set_metadata(g.project_id, server_id, items)
    return json_response({"meta": items})


@compute.route("/servers/<server_id>/metadata/<key>", methods=["DELETE"])
def delete_metadata_item(server_id, key):
    g.server_id = server_id
    emulator().delete_metadata(g.project_id, server_id, key)
    return empty_response(204)


# ----------------------------------------------------------------- flavors


def _flavor_list(detail):
    emu = emulator()
    flavors = emu.flavors()
    try:
        min_ram = int(request.args.get("minRam", 0))
        min_disk = int(request.args.get("minDisk", 0))
    except ValueError as exc:
        raise ApiError(400, "Invalid minRam or minDisk filter") from exc
    flavors = [f for f in flavors if f["ram"] >= min_ram and f["disk"] >= min_disk]
    page, more = paginate(flavors, key=lambda f: f["id"])
    body = {"flavors": [render_flavor(f, detail, g.mv, g.project_id) for f in page]}
    if more and page:
        body["flavors_links"] = next_link("flavors", page[-1]["id"])
    return json_response(body)


@compute.route("/flavors", methods=["GET"])
def list_flavors():
    return _flavor_list(False)


@compute.route("/flavors/detail", methods=["GET"])
def list_flavors_detail():
    return _flavor_list(True)


@compute.route("/flavors", methods=["POST"])
def create_flavor():
    raise ApiError(403, "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.")


@compute.route("/flavors/<flavor_id>", methods=["PUT", "DELETE"])
def manage_flavor(flavor_id):
    del flavor_id
    rule = "update" if request.method == "PUT" else "delete"
    raise ApiError(403, "Policy doesn't allow os_compute_api:os-flavor-manage:%s to be performed." % rule)


@compute.route("/flavors/<flavor_id>", methods=["GET"])
def get_flavor(flavor_id):
    flavor = emulator().flavor(flavor_id)
    if flavor is None:
        raise ApiError(404, "Flavor %s could not be found." % flavor_id)
    return json_response({"flavor": render_flavor(flavor, True, g.mv, g.project_id)})


def nova_unrouted():
    """A URL no route matches. Under /v2 and /v2.1 Nova answers webob's 404 (HTML, or JSON when
    only JSON is accepted; Nova has no 405); anything else reaches Nova's version discovery app,
    which answers 300 Multiple Choices for any path and method."""
    path = request.path
    if path == "/v2" or path.startswith(("/v2/", "/v2.1")):
        accept = request.headers.get("Accept", "*/*")
        if "application/json" in accept and "html" not in accept and "*/*" not in accept:
            return json_response({"message": "The resource could not be found.<br /><br />\n\n\n",
                                  "code": "404 Not Found", "title": "Not Found"}, 404)
        return Response(NOVA_HTML_404, status=404, content_type="text/html; charset=UTF-8")
    base = base_url()
    choices = []
    for vid, status, prefix, media in (("v2.0", "DEPRECATED", "/v2", "version=2"),
                                       ("v2.1", "CURRENT", "/v2.1", "version=2.1")):
        choices.append({"id": vid, "status": status, "links": [{"rel": "self", "href": base + prefix + path}],
                        "media-types": [{"base": "application/json",
                                         "type": "application/vnd.openstack.compute+json;" + media}]})
    return json_response({"choices": choices}, 300)
