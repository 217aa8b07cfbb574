"""Authentication of a request: Keystone token or AK/SK signature (sets g.principal)."""

import hmac
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


def _check_security_token(cred, headers, now):
    """A temporary access key needs its security token in X-Security-Token, signed and equal, until it expires.

    Sources: OTC ECS user guide ``umn/source/instances/managing_my_ecss/obtaining_metadata_and_passing_user_data/
    obtaining_ecs_details_using_metadata.rst`` ("When using temporary AKs and SKs, add 'X-Security-Token'
    in the message header"), IAM ``apis/access_key_management/obtaining_a_temporary_ak_sk.rst`` (the token and
    the expiry), huaweicloudsdkcore ``Credentials.sign_request`` (the header is added before signing).
    A permanent key ignores the header (choice).
    """
    token = cred.get("security_token")
    if not token:
        return
    reason = None
    signed = (auth.parse_authorization(headers.get("authorization")) or (None, []))[1]
    if cred.get("expires_at") is not None and cred["expires_at"] <= now:
        reason = "the temporary access key has expired"
    elif "x-security-token" not in headers:
        reason = "X-Security-Token is missing (a temporary access key needs its security token)"
    elif "x-security-token" not in signed:
        reason = "X-Security-Token must be a signed header"
    elif not hmac.compare_digest(headers["x-security-token"].strip().encode("utf-8"), token.encode("utf-8")):
        reason = "X-Security-Token does not belong to this access key"
    if reason:
        raise ApiError(401, "Incorrect IAM authentication information: %s" % reason, style="apig", code="APIGW.0301")


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
        _check_security_token(cred, headers, emu.now())
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
