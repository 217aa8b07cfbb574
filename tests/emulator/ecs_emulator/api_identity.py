"""Keystone v3 (`/v3`): version document, token issue (password, token), validation and revocation."""

import hashlib

from flask import Blueprint, request

from . import auth
from .core import iso_keystone
from .errors import AUTH_REQUIRED, ApiError
from .httputil import base_url, emulator, empty_response, json_response, read_json
from .seed import DEFAULT_REGION

identity = Blueprint("identity", __name__, url_prefix="/v3")


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
                           service("identity", "keystone", base + "/v3")]
        if emulator().features["keystone_ecs_service"]:  # a plain OpenStack catalog has no ECS service
            body["catalog"].append(service("ecs", "ecs", "%s/v1/%s" % (base, pid)))
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
