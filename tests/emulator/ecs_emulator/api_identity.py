"""Keystone v3 (`/v3`): version document, token issue (password, token, application credential), validation and
revocation, a user's application credentials."""

import hashlib

from flask import Blueprint, request

from . import auth
from .core import iso_keystone, iso_us
from .errors import AUTH_REQUIRED, ApiError
from .httputil import base_url, emulator, empty_response, json_response, read_json
from .seed import DEFAULT_REGION

ROLES = [{"id": "0c6a1f0a1c2b4c7e9d3f5a7b9c1d3e5f", "name": "member"},
         {"id": "1d7b2a1b2d3c4d8f0e4a6b8c0d2e4f6a", "name": "reader"}]

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
    if doc.get("application_credential"):
        body["application_credential"] = dict(doc["application_credential"])
    project = doc.get("project")
    if project:
        pid = project["id"]
        body["project"] = {"id": pid, "name": project["name"],
                           "domain": {"id": project["domain_id"], "name": project["domain_name"]}}
        body["is_domain"] = False
        body["roles"] = [dict(role) for role in ROLES]

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


def _application_credential(identity_doc):
    """The application credential and its user (keystone ``auth/core.py`` ``_lookup_app_cred``): by id (a user given
    with it is ignored: the credential's owner is used), or by name with the user (id, or name and domain)."""
    emu = emulator()
    spec = identity_doc.get("application_credential")
    if not isinstance(spec, dict):
        raise ApiError(400, "Invalid input for field 'identity/application_credential'.", style="keystone")
    if spec.get("id"):
        cred = emu.application_credential(str(spec["id"]))
    elif spec.get("name"):
        user_spec = spec.get("user")
        if not isinstance(user_spec, dict):
            raise ApiError(400, "Expecting to find user in application credential.", style="keystone")
        if user_spec.get("id"):
            owner = emu.find_user(user_id=str(user_spec["id"]))
        elif user_spec.get("name"):
            if "domain" not in user_spec:
                raise ApiError(400, "Expecting to find domain in user.", style="keystone")
            owner = emu.find_user(name=user_spec["name"], **_domain_filter(user_spec["domain"]))
        else:
            raise ApiError(400, "Either id or name must be provided for user.", style="keystone")
        cred = next((c for c in emu.application_credentials(owner["id"]) if c["name"] == spec["name"]), None) if owner else None
    else:
        raise ApiError(400, "Expecting to find name or ID in application credential.", style="keystone")
    # a wrong secret, an unknown or expired credential: 401 (keystone application_credential/backends/sql.py)
    if cred is None or spec.get("secret") != cred["secret"] or \
            (cred["expires_at"] is not None and cred["expires_at"] <= emu.now()):
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    user = emu.find_user(user_id=cred["user_id"])
    project = emu.get_project(cred["project_id"])
    if user is None or project is None:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    return cred, user, project


def _token_method(body, identity_doc):
    """The token method: the token it names (valid, not expired) and what the new token inherits from it
    (keystone ``auth/plugins/token.py``: its methods, its expiry, its application credential)."""
    emu = emulator()
    spec = identity_doc.get("token")
    old = emu.validate_token(str(spec.get("id"))) if isinstance(spec, dict) else None
    if old is None:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    user = emu.find_user(user_id=old["user_id"])
    if user is None:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    if old.get("application_credential") and body["auth"].get("scope"):
        raise ApiError(403, "You are not authorized to perform the requested action: Using an application credential "
                       "token to create a scoped token is not allowed.", style="keystone")
    return old, user


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
    expires_at = app_cred = None
    if "application_credential" in methods:
        if "scope" in body["auth"]:  # "You are not allowed to request a scope" (api-ref): ApplicationCredentialAuthError
            raise ApiError(401, AUTH_REQUIRED, style="keystone")
        app_cred, user, project = _application_credential(identity_doc)
        token_methods, expires_at = ["application_credential"], app_cred["expires_at"]
    elif "password" in methods:
        user = _password_user(identity_doc)
        project = _scoped_project(body, user, user["project_id"])
        token_methods = ["password"]
    elif "token" in methods:
        old, user = _token_method(body, identity_doc)
        project = _scoped_project(body, user, (old.get("project") or {}).get("id"))
        token_methods = ["token"] + [m for m in old["methods"] if m != "token"]
        expires_at, app_cred = old["expires_at"], old.get("application_credential")
    else:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    token_id = auth.new_token_id()
    doc = emu.issue_token(user, project, token_methods, token_id, expires_at=expires_at, application_credential=app_cred)
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


# ------------------------------------------------------------------ application credentials of a user

def _owner_token(user_id, action):
    """The caller's token, which must belong to ``user_id`` (keystone's policy rule ``owner``) or an admin."""
    doc = emulator().validate_token(request.headers.get("X-Auth-Token") or "")
    if doc is None:
        raise ApiError(401, AUTH_REQUIRED, style="keystone")
    if doc["user_id"] != user_id and not doc.get("admin"):
        raise ApiError(403, "You are not authorized to perform the requested action: %s." % action, style="keystone")
    return doc


def _application_credential_view(cred):
    """An application credential as keystone shows it (never the secret)."""
    return {"id": cred["id"], "name": cred["name"], "description": cred.get("description"),
            "expires_at": iso_us(cred["expires_at"]) if cred["expires_at"] is not None else None,
            "project_id": cred["project_id"], "roles": [dict(role, domain_id=None) for role in ROLES],
            "access_rules": [], "unrestricted": cred["unrestricted"],
            "links": {"self": "%s/v3/users/%s/application_credentials/%s" % (base_url(), cred["user_id"], cred["id"])}}


@identity.route("/users/<user_id>/application_credentials", methods=["GET"])
def list_application_credentials(user_id):
    _owner_token(user_id, "identity:list_application_credentials")
    creds = emulator().application_credentials(user_id)
    name = request.args.get("name")
    if name is not None:
        creds = [c for c in creds if c["name"] == name]
    return json_response({"application_credentials": [_application_credential_view(c) for c in creds],
                          "links": {"self": "%s/v3/users/%s/application_credentials" % (base_url(), user_id),
                                    "previous": None, "next": None}})


@identity.route("/users/<user_id>/application_credentials/<credential_id>", methods=["GET"])
def show_application_credential(user_id, credential_id):
    _owner_token(user_id, "identity:get_application_credential")
    cred = emulator().application_credential(credential_id)
    if cred is None or cred["user_id"] != user_id:
        raise ApiError(404, "Could not find Application Credential: %s." % credential_id, style="keystone")
    return json_response({"application_credential": _application_credential_view(cred)})
