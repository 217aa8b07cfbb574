"""Authentication of a request: Keystone token or AK/SK signature (sets g.principal)."""

from urllib.parse import urlsplit

from flask import g, request

from . import auth
from .core import ECS_PROJECT_MISMATCH
from .errors import AUTH_REQUIRED, ApiError, ecs_error
from .httputil import emulator


def auth_kind():
    if request.headers.get("X-Auth-Token"):
        return "token"
    if request.headers.get("Authorization", "").lstrip().startswith("SDK-HMAC"):
        return "aksk"
    return "none"


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
            raise ecs_error(ECS_PROJECT_MISMATCH)
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
