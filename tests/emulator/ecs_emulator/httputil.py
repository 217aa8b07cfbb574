"""Shared HTTP helpers of the API modules: responses, request bodies, pagination, microversions."""

import json
import re

from flask import Response, g, request

from .core import ECS_BAD_REQUEST, ECS_EMPTY_BODY
from .errors import ApiError, ecs_error

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 60)
NOVA_JSON_TYPES = ("application/json", "application/vnd.openstack.compute+json")
LENIENT_TYPES = ("", "text/plain")
NOVA_ERROR_TYPE = "application/json; charset=UTF-8"
MV_FORMAT = re.compile(r"^([1-9][0-9]*)\.([1-9][0-9]*|0)$")


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
    if not data and style == "ecs":
        raise ecs_error(ECS_EMPTY_BODY)
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


def paginate(items, key, style="nova", max_limit=None):
    """Apply marker/limit (at most ``max_limit`` items, also without a limit); returns (page, more)."""
    marker = request.args.get("marker")
    limit = parse_limit(style)
    if max_limit is not None:
        limit = min(limit, max_limit) if limit else max_limit
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
