"""Flask application: Keystone v3, Nova v2/v2.1, ECS v1 and the /__emulator admin API."""

import hashlib
import json
import math
import re
import socket
import time
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from . import auth
from . import statemachine as sm
from .core import (ECS_BAD_REQUEST, ECS_FLAVOR_NOT_FOUND, ECS_JOB_NOT_FOUND, ECS_SERVER_NOT_FOUND,
                   Emulator, iso_keystone, iso_ms, iso_us, iso_z, new_request_id)
from .errors import AUTH_REQUIRED, GATEWAY_BODIES, ApiError, error_body, nova_body
from .faults import FaultError
from .seed import AVAILABILITY_ZONE, DEFAULT_REGION

FAULT_KEY = "ecs_emulator.fault"
MIN_VERSION = (2, 1)
MAX_VERSION = (2, 60)
NOVA_JSON_TYPES = ("application/json", "application/vnd.openstack.compute+json")
LENIENT_TYPES = ("", "text/plain")
NOVA_ERROR_TYPE = "application/json; charset=UTF-8"
# webob's HTML 404, what Nova answers for a URL none of its routes match
NOVA_HTML_404 = ("<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n"
                 "  The resource could not be found.<br /><br />\n\n\n\n </body>\n</html>")
MV_FORMAT = re.compile(r"^([1-9][0-9]*)\.([1-9][0-9]*|0)$")


class ProjectIdConverter(BaseConverter):
    """Nova's default [api] project_id_regex: a project id segment is hex (and dashes)."""

    regex = r"[0-9a-f\-]+"


def server_sort_key(doc):
    return (doc["created"], doc["id"])


def json_response(body, status=200, headers=None):
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def empty_response(status):
    resp = Response(b"", status=status, mimetype="application/json")
    resp.headers["Content-Length"] = "0"
    return resp


def emulator():
    return g.emu


def base_url():
    return request.host_url.rstrip("/")


def style_for_path(path):
    if path.startswith("/v3"):
        return "keystone"
    if path.startswith("/v1/"):
        return "ecs"
    if path.startswith("/__emulator"):
        return "plain"
    return "nova"


def auth_kind():
    if request.headers.get("X-Auth-Token"):
        return "token"
    if request.headers.get("Authorization", "").lstrip().startswith("SDK-HMAC"):
        return "aksk"
    return "none"


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
    }


# --------------------------------------------------------------------------- helpers


def read_body():
    data = request.get_data(cache=True)
    if len(data) > emulator().config["max_body_bytes"]:
        raise ApiError(413, "Request is too large.", style=style_for_path(request.path))
    return data


def read_json(style):
    """Parse the JSON body like Nova does (style picks the error shape)."""
    raw_type = request.headers.get("Content-Type")
    if raw_type is not None and request.mimetype not in LENIENT_TYPES + NOVA_JSON_TYPES:
        if style == "nova":
            raise ApiError(415, "Unsupported Content-Type")
        raise ApiError(400, "Unsupported Content-Type %s" % request.mimetype, style=style, code=ECS_BAD_REQUEST)
    data = read_body()
    try:
        if not data:
            raise ValueError("empty body")
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        if style == "nova":
            raise ApiError(400, "Malformed request body") from exc
        if style == "keystone":
            raise ApiError(400, "Expecting to find valid JSON in request body.", style="keystone") from exc
        raise ApiError(400, "Invalid request body: not valid JSON.", style=style, code=ECS_BAD_REQUEST) from exc


def parse_limit(style="nova"):
    value = request.args.get("limit")
    if value is None:
        return None
    try:
        limit = int(value)
    except ValueError as exc:
        raise ApiError(400, "limit param must be an integer", style=style, code=ECS_BAD_REQUEST) from exc
    if limit < 0:
        raise ApiError(400, "limit param must be positive", style=style, code=ECS_BAD_REQUEST)
    return limit


def paginate(items, key, style="nova"):
    """Apply marker/limit; returns (page, more)."""
    marker = request.args.get("marker")
    limit = parse_limit(style)
    if marker is not None:
        ids = [key(i) for i in items]
        if marker not in ids:
            raise ApiError(400, "marker [%s] not found" % marker, style=style, code=ECS_BAD_REQUEST)
        items = items[ids.index(marker) + 1:]
    if limit is not None:
        return items[:limit], len(items) > limit
    return items, False


def next_link(collection, last_id):
    args = request.args.to_dict(flat=True)
    args["marker"] = last_id
    query = "&".join("%s=%s" % (k, v) for k, v in sorted(args.items()))
    return [{"rel": "next", "href": "%s%s?%s" % (base_url(), request.path, query), "collection": collection}]


def microversion():
    """The requested microversion as Nova parses it (the legacy /v2 API ignores the headers)."""
    if g.get("api") == "v2":
        return None
    value = None
    header = request.headers.get("OpenStack-API-Version")
    if header:
        for part in header.split(","):
            words = part.split()
            if len(words) == 2 and words[0].lower() == "compute":
                value = words[1]
    if value is None:
        value = request.headers.get("X-OpenStack-Nova-API-Version")
    if value is None:
        return MIN_VERSION
    value = value.strip()
    if value == "latest":
        return MAX_VERSION
    match = MV_FORMAT.match(value)
    if match is None:
        raise ApiError(400, "API Version String %s is of invalid format. Must be of format MajorNum.MinorNum." % value)
    version = (int(match.group(1)), int(match.group(2)))
    if not MIN_VERSION <= version <= MAX_VERSION:
        g.mv_echo = value  # Nova echoes the refused version in its headers
        raise ApiError(406, "Version %s is not supported by the API. Minimum is %d.%d and maximum is %d.%d."
                       % (value, MIN_VERSION[0], MIN_VERSION[1], MAX_VERSION[0], MAX_VERSION[1]))
    return version


def decoded_headers():
    out = {}
    for key, value in request.headers.items():
        try:
            value = value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        out[key.lower()] = value
    return out


def raw_path():
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw:
        return request.path
    if "://" in raw.split("?", 1)[0]:
        raw = urlsplit(raw).path
    return raw.split("?", 1)[0] or "/"


def authenticate(project_id, style):
    """Token or AK/SK authentication for a project-scoped call; sets g.principal."""
    emu = emulator()
    token = request.headers.get("X-Auth-Token")
    if token:
        doc = emu.validate_token(token)
        if doc is None or not doc.get("project"):
            raise ApiError(401, AUTH_REQUIRED, style="keystone")
        if project_id is None:  # a Nova URL without project id: the token's project
            project_id = g.project_id = doc["project"]["id"]
        if doc["project"]["id"] != project_id:
            if style == "nova":
                raise ApiError(400, "Malformed request URL: URL's project_id '%s' doesn't match Context's "
                               "project_id '%s'" % (project_id, doc["project"]["id"]))
            raise ApiError(403, "The project in the URL does not match the token's project.", style="ecs",
                           code="Ecs.0002")
        g.principal = {"user_id": doc["user_id"], "project_id": project_id, "key": token,
                       "admin": bool(doc.get("admin"))}
        return
    if auth_kind() == "aksk":
        headers = decoded_headers()
        try:
            access_key = auth.verify(request.method, raw_path(), request.query_string.decode("latin-1"), headers,
                                     request.get_data(cache=True),
                                     lambda ak: (emu.credential(ak) or {}).get("secret_key"), emu.now())
        except auth.SignatureError as exc:
            raise ApiError(401, "Incorrect IAM authentication information: %s" % exc, style="apig",
                           code="APIGW.0301") from exc
        cred = emu.credential(access_key)
        user = emu.find_user(user_id=cred["user_id"])
        header_project = headers.get("x-project-id")
        if project_id is None:
            project_id = g.project_id = header_project
        if not header_project or header_project != project_id or user is None or user["project_id"] != project_id:
            raise ApiError(401, "Incorrect IAM authentication information: X-Project-Id missing or not "
                           "matching the project", style="apig", code="APIGW.0301")
        g.principal = {"user_id": user["id"], "project_id": project_id, "key": access_key,
                       "admin": bool(user.get("admin"))}
        return
    raise ApiError(401, AUTH_REQUIRED, style="keystone")


# --------------------------------------------------------------------------- views: rendering


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


# --------------------------------------------------------------------------- blueprints

compute = Blueprint("compute", __name__, url_prefix='/<any(v2, "v2.1"):api>/<nova_project:project_id>')
ecs = Blueprint("ecs", __name__, url_prefix="/v1/<project_id>")
identity = Blueprint("identity", __name__, url_prefix="/v3")
admin = Blueprint("admin", __name__, url_prefix="/__emulator")
versions = Blueprint("versions", __name__)


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


@ecs.url_value_preprocessor
def _ecs_values(_endpoint, values):
    g.project_id = values.pop("project_id")


@ecs.before_request
def _ecs_auth():
    authenticate(g.project_id, "ecs")


# ----------------------------------------------------------------- versions


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


# ----------------------------------------------------------------- identity


def identity_version():
    return {"version": {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
                        "links": [{"rel": "self", "href": base_url() + "/v3/"}],
                        "media-types": [{"base": "application/json",
                                         "type": "application/vnd.openstack.identity-v3+json"}]}}


@identity.route("", methods=["GET"])
@identity.route("/", methods=["GET"])
def v3_root():
    return json_response(identity_version())


def _domain_filter(domain):
    if not isinstance(domain, dict):
        raise ApiError(400, "Invalid domain.", style="keystone")
    if domain.get("id"):
        return {"domain_id": domain["id"]}
    if domain.get("name"):
        return {"domain_name": domain["name"]}
    raise ApiError(400, "Either id or name must be provided for domain.", style="keystone")


def _password_user(identity_doc):
    emu = emulator()
    password = identity_doc.get("password")
    user_spec = password.get("user") if isinstance(password, dict) else None
    if not isinstance(user_spec, dict):
        raise ApiError(400, "Invalid input for field 'identity/password/user'.", style="keystone")
    if user_spec.get("id"):
        user = emu.find_user(user_id=str(user_spec["id"]))
    elif user_spec.get("name"):
        if "domain" not in user_spec:
            raise ApiError(400, "Expecting to find domain in user.", style="keystone")
        user = emu.find_user(name=user_spec["name"], **_domain_filter(user_spec["domain"]))
    else:
        raise ApiError(400, "Either id or name must be provided for user.", style="keystone")
    if user is None or user_spec.get("password") != user["password"]:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    return user


def _scoped_project(body, user, default_project_id):
    emu = emulator()
    scope = body["auth"].get("scope")
    if scope is None or scope == "unscoped":
        return emu.get_project(default_project_id) if default_project_id else None
    if not isinstance(scope, dict) or not isinstance(scope.get("project"), dict):
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    spec = scope["project"]
    if spec.get("id"):
        project = emu.get_project(str(spec["id"]))
    elif spec.get("name"):
        if "domain" not in spec:
            raise ApiError(400, "Expecting to find domain in project.", style="keystone")
        project = emu.find_project(spec["name"], **_domain_filter(spec["domain"]))
    else:
        raise ApiError(400, "Either id or name must be provided for project.", style="keystone")
    if project is None or project["id"] != user["project_id"]:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    return project


def token_body(doc):
    base = base_url()
    region = DEFAULT_REGION
    body = {"methods": doc["methods"], "expires_at": iso_keystone(doc["expires_at"]),
            "issued_at": iso_keystone(doc["issued_at"]), "audit_ids": [hashlib.md5(
                doc["id"].encode("utf-8")).hexdigest()[:22]],  # nosec - not security relevant
            "user": {"id": doc["user_id"], "name": doc["user_name"], "password_expires_at": None,
                     "domain": {"id": doc["domain_id"], "name": doc["domain_name"]}}}
    project = doc.get("project")
    if project:
        pid = project["id"]
        body["project"] = {"id": pid, "name": project["name"],
                           "domain": {"id": project["domain_id"], "name": project["domain_name"]}}
        body["is_domain"] = False
        body["roles"] = [{"id": "0c6a1f0a1c2b4c7e9d3f5a7b9c1d3e5f", "name": "member"},
                         {"id": "1d7b2a1b2d3c4d8f0e4a6b8c0d2e4f6a", "name": "reader"}]

        def service(stype, name, url):
            endpoints = [{"id": hashlib.md5((stype + iface).encode("utf-8")).hexdigest(),  # nosec
                          "interface": iface, "region": region, "region_id": region, "url": url}
                         for iface in ("public", "internal", "admin")]
            return {"type": stype, "name": name, "id": hashlib.md5(stype.encode("utf-8")).hexdigest(),  # nosec
                    "endpoints": endpoints}

        body["catalog"] = [service("compute", "nova", "%s/v2.1/%s" % (base, pid)),
                           service("identity", "keystone", base + "/v3"),
                           service("ecs", "ecs", "%s/v1/%s" % (base, pid))]
    return {"token": body}


@identity.route("/auth/tokens", methods=["POST"])
def issue_token():
    emu = emulator()
    body = read_json("keystone")
    try:
        identity_doc = body["auth"]["identity"]
        methods = identity_doc["methods"]
        if not isinstance(methods, list) or not methods:
            raise TypeError("methods")
    except (KeyError, TypeError) as exc:
        raise ApiError(400, "Invalid input for field 'auth/identity/methods'.", style="keystone") from exc
    if "password" in methods:
        user = _password_user(identity_doc)
        default_project = user["project_id"]
    elif "token" in methods:
        spec = identity_doc.get("token")
        old = emu.validate_token(str(spec.get("id"))) if isinstance(spec, dict) else None
        if old is None:
            raise ApiError(401, AUTH_REQUIRED, style="keystone")
        user = emu.find_user(user_id=old["user_id"])
        if user is None:
            raise ApiError(401, AUTH_REQUIRED, style="keystone")
        default_project = (old.get("project") or {}).get("id")
    else:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    project = _scoped_project(body, user, default_project)
    token_id = auth.new_token_id()
    doc = emu.issue_token(user, project, [m for m in methods if m in ("password", "token")], token_id)
    return json_response(token_body(doc), 201, headers={"X-Subject-Token": token_id})


@identity.route("/auth/tokens", methods=["GET", "HEAD", "DELETE"])
def check_token():
    emu = emulator()
    caller = request.headers.get("X-Auth-Token")
    if not caller or emu.validate_token(caller) is None:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    subject_id = request.headers.get("X-Subject-Token", "")
    subject = emu.validate_token(subject_id)
    if subject is None:
        raise ApiError(404, "Could not find token: %s" % subject_id[:8], style="keystone")
    if request.method == "DELETE":
        subject["expires_at"] = emu.now() - 1
        emu.store.put("token", subject_id, subject)
        return empty_response(204)
    if request.method == "HEAD":
        return empty_response(200)
    return json_response(token_body(subject), headers={"X-Subject-Token": subject_id})


# ----------------------------------------------------------------- compute: servers


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


def _list_servers(detail):
    emu = emulator()
    now = emu.now()
    items = []
    name_filter = request.args.get("name")
    pattern = None
    if name_filter is not None:
        try:
            pattern = re.compile(name_filter)
        except re.error:
            return json_response({"servers": []})
    status_filter = request.args.get("status")
    for doc in sorted(emu.servers(g.project_id), key=server_sort_key, reverse=True):
        if pattern is not None and not pattern.search(doc["name"]):
            continue
        state = emu.state_of(doc, now)
        if status_filter is not None and state["status"] != status_filter.upper():
            continue
        items.append((doc, state))
    page, more = paginate(items, key=lambda item: item[0]["id"])
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


def _validate_resize(arg):
    if not isinstance(arg, dict):
        raise _schema_error("resize", arg, "%r is not of type 'object'" % (arg,))
    if "flavorRef" not in arg:
        raise _schema_error("resize", arg, "'flavorRef' is a required property")
    extra = sorted(k for k in arg if k not in ("flavorRef", "OS-DCF:diskConfig"))
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
    if "/" in ref:
        # Nova takes an id only (a URI is "Flavor <uri> could not be found."); the ECS documentation
        # says "flavor id or flavor URI", so the emulator keeps accepting a URI (its last segment).
        ref = urlsplit(ref).path.rstrip("/").rsplit("/", 1)[-1]
    return ref


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
        arg = _validate_resize(arg)
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


# ----------------------------------------------------------------- compute: flavors


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


# ----------------------------------------------------------------- ECS native

RESIZE_SORT_KEYS = {"flavorid": "id", "id": "id", "name": "name", "memory_mb": "ram", "ram": "ram",
                    "vcpus": "vcpus", "root_gb": "disk", "disk": "disk"}


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


def resize_flavors(project_id):
    emu = emulator()
    args = request.args
    source = None
    if args.get("instance_uuid"):
        doc = emu.server_doc(args["instance_uuid"])
        if doc is None or doc["project_id"] != project_id:
            raise ApiError(404, "Instance[%s] could not be found." % args["instance_uuid"], style="ecs",
                           code=ECS_SERVER_NOT_FOUND)
        source = emu.flavor(emu.state_of(doc)["flavor_id"])
    elif args.get("source_flavor_id"):
        source = emu.flavor(args["source_flavor_id"])
    elif args.get("source_flavor_name"):
        source = next((f for f in emu.flavors() if f["name"] == args["source_flavor_name"]), None)
    else:
        raise ApiError(400, "One of instance_uuid, source_flavor_id and source_flavor_name is required.",
                       style="ecs", code=ECS_BAD_REQUEST)
    if source is None:
        raise ApiError(400, "The source flavor could not be found.", style="ecs", code=ECS_FLAVOR_NOT_FOUND)
    sort_key = args.get("sort_key", "flavorid")
    sort_dir = args.get("sort_dir", "asc")
    if sort_key not in RESIZE_SORT_KEYS or sort_dir not in ("asc", "desc"):
        raise ApiError(400, "Invalid sort_key or sort_dir.", style="ecs", code=ECS_BAD_REQUEST)
    field = RESIZE_SORT_KEYS[sort_key]
    targets = [f for f in emu.flavors()
               if f["id"] != source["id"] and f["disk"] >= source["disk"] and not (source["disk"] > 0 and f["disk"] == 0)]
    targets.sort(key=lambda f: (f[field], f["id"]), reverse=sort_dir == "desc")
    page, _more = paginate(targets, key=lambda f: f["id"], style="ecs")
    return json_response({"flavors": [render_ecs_flavor(f, project_id) for f in page]})


@ecs.route("/cloudservers/resize_flavors", methods=["GET"])
def v1_resize_flavors():
    return resize_flavors(g.project_id)


@compute.route("/resize_flavors", methods=["GET"])
def v21_resize_flavors():
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


# ----------------------------------------------------------------- admin


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
    return json_response(emulator().set_sold_out(flavor_id, body.get("sold_out", True)))


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
                                  status=body.get("status"), body=body.get("body"), content_type=body.get("content_type"))
        except FaultError as exc:
            raise admin_bad(exc) from exc
        return json_response(rule, 201)
    return json_response({"faults": emu.faults.list()})


@admin.route("/rate_limit", methods=["GET", "POST"])
def admin_rate_limit():
    emu = emulator()
    if request.method == "POST":
        rps = admin_json().get("rps")
        if rps is not None and (isinstance(rps, bool) or not isinstance(rps, (int, float)) or rps <= 0):
            raise ApiError(400, "rps must be a positive number or null", style="plain")
        emu.rate.set(rps)
    return json_response({"rps": emu.rate.rps})


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


@admin.route("/stats", methods=["GET"])
def admin_stats():
    return json_response({"stats": emulator().log.stats()})


# --------------------------------------------------------------------------- app factory


class FaultMiddleware:
    """Applies injected faults that need the raw connection (drop, drop_after, delay)."""

    def __init__(self, wsgi_app, emu):
        self.wsgi_app = wsgi_app
        self.emu = emu

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/__emulator"):
            return self.wsgi_app(environ, start_response)
        rule = self.emu.faults.take(environ.get("REQUEST_METHOD", "GET"), path)
        if rule is None:
            return self.wsgi_app(environ, start_response)
        environ[FAULT_KEY] = rule
        kind = rule["kind"]
        if kind == "delay":
            time.sleep(rule["delay"])
        elif kind == "drop":
            self.emu.log.add({"ts": time.time(), "method": environ.get("REQUEST_METHOD"), "path": path,
                              "query": environ.get("QUERY_STRING", ""), "status": None,
                              "auth": _environ_auth_kind(environ), "action": None, "server_id": None,
                              "request_id": None, "fault": "drop"}, route="<dropped>")
            self._drop(environ)
        elif kind == "drop_after":
            result = self.wsgi_app(environ, lambda status, headers, exc_info=None: (lambda data: None))
            try:
                for _chunk in result:
                    pass
            finally:
                if hasattr(result, "close"):
                    result.close()
            self._drop(environ)
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _drop(environ):
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise ConnectionAbortedError("connection dropped by fault injection")


def _environ_auth_kind(environ):
    if environ.get("HTTP_X_AUTH_TOKEN"):
        return "token"
    if environ.get("HTTP_AUTHORIZATION", "").lstrip().startswith("SDK-HMAC"):
        return "aksk"
    return "none"


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


def fault_response(rule):
    kind = rule["kind"]
    style = style_for_path(request.path)
    if kind == "body":  # any answer a broken cloud or gateway could give
        return Response(rule["body"], status=rule["status"], mimetype=rule["content_type"])
    if kind == "429":
        headers = {}
        if rule.get("retry_after") is not None:
            headers["Retry-After"] = str(int(math.ceil(rule["retry_after"])))
        body = nova_body(429, "This request was rate-limited.")
        body["overLimit"]["retryAfter"] = headers.get("Retry-After", "0")
        headers["Content-Type"] = NOVA_ERROR_TYPE
        return json_response(body, 429, headers=headers)
    status = int(kind)
    if status in GATEWAY_BODIES:
        mimetype, text = GATEWAY_BODIES[status]
        return Response(text, status=status, mimetype=mimetype)
    message = ("Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the "
               "Nova API log if possible.\n<class 'nova.exception.EmulatedFault'>")
    resp = json_response(error_body(500, message, style if style != "keystone" else "nova", "Ecs.0000"), 500)
    if style in ("nova", "keystone"):
        resp.headers["Content-Type"] = NOVA_ERROR_TYPE
    return resp


def create_app(emu=None, **kwargs):
    """Build the Flask app; ``kwargs`` go to :class:`Emulator` when ``emu`` is None."""
    emu = emu if emu is not None else Emulator(**kwargs)
    app = Flask("ecs_emulator")
    app.extensions["ecs_emulator"] = emu
    app.emulator = emu
    app.url_map.strict_slashes = False

    @app.before_request
    def _begin():
        g.emu = emu
        g.request_id = new_request_id()
        path = request.path
        if path.startswith("/__emulator"):
            g.admin = True
            return None
        rule = request.environ.get(FAULT_KEY)
        if rule is not None and rule["kind"] in ("500", "502", "503", "504", "429", "body"):
            g.fault = rule["kind"]
            return fault_response(rule)
        key = request.headers.get("X-Auth-Token")
        if not key:
            parsed = auth.parse_authorization(request.headers.get("Authorization"))
            key = "ak:" + parsed[0] if parsed else "anonymous"
        retry = emu.rate.check(key, time.monotonic())
        if retry is not None:
            g.fault = "rate_limit"
            body = nova_body(429, "This request was rate-limited.")
            body["overLimit"]["retryAfter"] = str(retry)
            return json_response(body, 429, headers={"Retry-After": str(retry)})
        length = request.content_length
        if length is not None and length > emu.config["max_body_bytes"]:
            resp = json_response(error_body(413, "Request is too large.", style_for_path(path), ECS_BAD_REQUEST), 413)
            resp.headers["Connection"] = "close"
            return resp
        return None

    @app.after_request
    def _finish(resp):
        request_id = g.get("request_id") or new_request_id()
        resp.headers["x-openstack-request-id"] = request_id
        resp.headers["x-compute-request-id"] = request_id
        version = g.get("mv_echo") or ("%d.%d" % g.mv if g.get("mv_header") else None)
        if version is not None:
            resp.headers["OpenStack-API-Version"] = "compute " + version
            resp.headers["X-OpenStack-Nova-API-Version"] = version
            resp.headers["Vary"] = "OpenStack-API-Version, X-OpenStack-Nova-API-Version"
        if not g.get("admin"):
            rule = request.environ.get(FAULT_KEY)
            view_args = request.view_args or {}
            emu.log.add({
                "ts": time.time(), "method": request.method, "path": request.path,
                "query": request.query_string.decode("latin-1"), "status": resp.status_code,
                "auth": auth_kind(), "action": g.get("action"),
                "server_id": g.get("server_id") or view_args.get("server_id"),
                "request_id": request_id,
                "fault": g.get("fault") or (rule["kind"] if rule else None),
            }, route=request.url_rule.rule if request.url_rule is not None else "<unmatched>")
        return resp

    @app.errorhandler(ApiError)
    def _api_error(exc):
        headers = dict(exc.headers)
        if exc.status == 401 and exc.style == "keystone" and not request.path.startswith("/v3"):
            # keystonemiddleware in front of Nova/ECS tells where to authenticate
            headers["WWW-Authenticate"] = 'Keystone uri="%s/v3"' % base_url()
        resp = json_response(exc.body(g.get("request_id")), exc.status, headers=headers)
        if exc.style == "nova":
            resp.headers["Content-Type"] = NOVA_ERROR_TYPE
        return resp

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        status = exc.code or 500
        path = request.path
        style = style_for_path(path)
        if status == 404:
            message = "The resource could not be found."
        elif status == 405:
            message = "The method %s is not allowed for this resource." % request.method
        else:
            message = exc.description or exc.name
        if style == "ecs" and status in (404, 405):
            body = error_body(status, "The API does not exist or has not been published in the environment",
                              "apig", "APIGW.0101", g.get("request_id"))
        elif style == "nova" and status in (404, 405):
            return nova_unrouted()
        else:
            body = error_body(status, message, style, ECS_BAD_REQUEST)
        headers = {}
        if status == 405 and getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(exc.valid_methods)
        return json_response(body, status, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.error("unexpected error on %s %s: %r", request.method, request.path, exc, exc_info=exc)
        message = ("Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the "
                   "Nova API log if possible.")
        return json_response(error_body(500, message, style_for_path(request.path), "Ecs.0000"), 500)

    app.url_map.converters["nova_project"] = ProjectIdConverter
    for blueprint in (versions, identity, compute, ecs, admin):
        app.register_blueprint(blueprint)
    # Nova also serves every compute URL without the project id (the token's project is used)
    app.register_blueprint(compute, url_prefix='/<any(v2, "v2.1"):api>', name="compute_no_project")
    app.wsgi_app = FaultMiddleware(app.wsgi_app, emu)
    return app
