"""Request plumbing shared by every API: fault injection (WSGI middleware and canned answers), the
rate limiter, request ids, microversion headers, the request log and the error handlers."""

import math
import socket
import time

from flask import Response, g, request
from werkzeug.exceptions import HTTPException

from . import auth
from .api_compute import nova_unrouted
from .core import ECS_BAD_REQUEST, new_request_id
from .errors import ECS_ERRORS, GATEWAY_BODIES, ApiError, ecs_body, error_body, nova_body
from .faults import CANNED_KINDS
from .httputil import NOVA_ERROR_TYPE, base_url, json_response, style_for_path
from .reqauth import auth_kind

FAULT_KEY = "ecs_emulator.fault"


class FaultMiddleware:
    """Applies injected faults that need the raw connection (drop, drop_after, delay)."""

    def __init__(self, wsgi_app, emu):
        self.wsgi_app = wsgi_app
        self.emu = emu

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/__emulator"):
            return self.wsgi_app(environ, start_response)
        rule = self.emu.faults.take(environ.get("REQUEST_METHOD", "GET"), path, environ.get("QUERY_STRING", ""))
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


def on_ecs_api(emu):
    """The request is for the ECS native API (/v1) of a profile that serves it."""
    return request.path.startswith("/v1/") and emu.features["ecs_api"]


def rate_limited(emu, retry, ecs_status, what="credential", answer="429"):
    """Over the rate limit: on /v1 of an OTC profile the API gateway's Common.1503 (appendix/error_codes.rst:
    HTTP 429 on eu-de, 503 in the Swiss region), or with ``answer`` "202" its flow-control answer Common.0024
    (HTTP 202 with the error body, no job); elsewhere Nova's overLimit 429 (nova/api/openstack/wsgi.py ``Fault``:
    413 and 429 become ``overLimit`` with ``retryAfter`` from the Retry-After header; Nova itself has no limiter,
    this is the shape a limiter in front of it gets). Retry-After: the IAM reference's status codes
    (identity-access-management appendix/status_codes.rst, 429); the ECS pages do not mention it."""
    headers = {"Retry-After": str(retry)} if retry is not None else {}
    if on_ecs_api(emu):
        if answer == "202":
            return json_response(ecs_body("Common.0024", emu.features["flow_limit_message"]), 202, headers=headers)
        message = ECS_ERRORS["Common.1503"][1] % ("the request rate of this %s is over its limit" % what)
        return json_response(ecs_body("Common.1503", message), ecs_status, headers=headers)
    body = nova_body(429, "This request was rate-limited.")
    if retry is not None:
        body["overLimit"]["retryAfter"] = str(retry)
    headers["Content-Type"] = NOVA_ERROR_TYPE
    return json_response(body, 429, headers=headers)


def rate_key(emu, per):
    """The bucket of this request: its token or access key, or with ``per`` "project" the project they belong to
    (every token and access key of a project share one); requests without credentials share one."""
    token = request.headers.get("X-Auth-Token")
    parsed = None if token else auth.parse_authorization(request.headers.get("Authorization"))
    if per == "project":
        if token:
            doc = emu.validate_token(token)
            if doc and doc.get("project"):
                return "project:" + doc["project"]["id"]
        elif parsed:
            cred = emu.credential(parsed[0]) or {}
            user = emu.find_user(user_id=cred.get("user_id")) if cred.get("user_id") else None
            if user:
                return "project:" + user["project_id"]
    if token:
        return token
    return "ak:" + parsed[0] if parsed else "anonymous"


def fault_response(rule, emu):
    kind = rule["kind"]
    style = style_for_path(request.path)
    if kind == "body":  # any answer a broken cloud or gateway could give
        return Response(rule["body"], status=rule["status"], mimetype=rule["content_type"])
    if kind == "throttle_202":
        # appendix/error_codes.rst: Common.0024, HTTP 202, "Flow limit exceeded." (Swiss: "exceeds
        # flow over limit"); no job id, nothing is done
        return json_response(ecs_body("Common.0024", emu.features["flow_limit_message"]), 202)
    if kind == "429":
        retry_after = rule.get("retry_after")
        if on_ecs_api(emu):
            return rate_limited(emu, int(math.ceil(retry_after)) if retry_after is not None else None, 429)
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(int(math.ceil(retry_after)))
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


def install(app, emu):
    """Register the request hooks and error handlers on ``app`` and wrap it in the fault middleware."""

    @app.before_request
    def _begin():
        g.emu = emu
        g.request_id = new_request_id()
        path = request.path
        if path.startswith("/__emulator"):
            g.admin = True
            return None
        rule = request.environ.get(FAULT_KEY)
        if rule is not None and rule["kind"] in CANNED_KINDS:
            g.fault = rule["kind"]
            return fault_response(rule, emu)
        if emu.rate.rps is not None:
            per = emu.rate.per
            retry = emu.rate.check(rate_key(emu, per), time.monotonic())
            if retry is not None:
                g.fault = "rate_limit"
                return rate_limited(emu, retry if emu.rate.retry_after else None, emu.features["api_flow_control_status"],
                                    what="project" if per == "project" else "credential", answer=emu.rate.answer)
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
        if style == "ecs" and status in (404, 405) and not emu.features["ecs_api"]:
            return nova_unrouted()  # plain Nova has no /v1: its version discovery app answers 300
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

    app.wsgi_app = FaultMiddleware(app.wsgi_app, emu)
