# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors raised by the client, and the parser for every error body shape a cloud sends."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

TAG_RE = re.compile(r'<[^>]+>')
SPACE_RE = re.compile(r'\s+')
MAX_DETAIL = 300


class EcsError(Exception):
    """Base of every error the collection reports to the user as one sentence."""

    def __init__(self, message, **details):
        super(EcsError, self).__init__(message)
        self.message = message
        self.details = details


class ApiError(EcsError):
    """The cloud answered with an HTTP error status."""

    def __init__(self, status, code=None, message=None, request_id=None, retry_after=None, method=None, url=None):
        self.status = status
        self.code = code
        self.api_message = message
        self.request_id = request_id
        self.retry_after = retry_after
        self.method = method
        self.url = url
        text = 'HTTP %s' % status
        if code not in (None, '', status):
            text += ' %s' % code
        if message:
            text += ': %s' % message
        if method and url:
            text += ' (%s %s)' % (method, url)
        super(ApiError, self).__init__(text, status=status, code=code, request_id=request_id)


class TransportError(EcsError):
    """No HTTP answer at all: connection refused or dropped, TLS failure, timeout."""


class AmbiguousRequestError(EcsError):
    """A state-changing request may or may not have been carried out (no answer, or a gateway error)."""


class AuthError(EcsError):
    """Authentication failed or the credentials are not allowed to do this."""


class NotOfferedError(EcsError):
    """The cloud does not offer this call (plain OpenStack answering an ECS-only path with a version page or a 404)."""


class ResizeError(EcsError):
    """The resize could not be done or did not end as asked; details say what the cloud showed."""


def _clip(text):
    text = SPACE_RE.sub(' ', TAG_RE.sub(' ', text)).strip()
    if len(text) > MAX_DETAIL:
        text = text[:MAX_DETAIL - 3] + '...'
    return text


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds only; HTTP dates are treated as unknown)."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    return max(0.0, seconds)


def parse_error_body(status, text, content_type=None):
    """Return (code, message) from any error body: Nova, ECS native, Keystone, plain text or HTML."""
    text = text or ''
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    body = None
    if text.strip()[:1] in ('{', '['):
        try:
            body = json.loads(text)
        except ValueError:
            body = None
    if isinstance(body, dict) and body:
        return _parse_json_error(status, body)
    if not text.strip():
        return None, None
    is_html = 'html' in (content_type or '').lower() or text.lstrip()[:1] == '<'
    if is_html:
        title = re.search(r'<title>(.*?)</title>', text, re.IGNORECASE | re.DOTALL)
        return None, _clip(title.group(1) if title else text)
    return None, _clip(text)


def _parse_json_error(status, body):
    # ECS native and Keystone: {"error": {"code": ..., "message": ...}}
    error = body.get('error')
    if isinstance(error, dict):
        return error.get('code'), _clip(str(error.get('message') or error.get('title') or ''))
    # ECS native (flat): {"error_code": ..., "error_msg": ...}
    if 'error_code' in body or 'error_msg' in body:
        return body.get('error_code'), _clip(str(body.get('error_msg') or ''))
    # Nova: one key whose name varies ({"badRequest": {"code": 400, "message": ...}})
    if len(body) == 1:
        name, inner = list(body.items())[0]
        if isinstance(inner, dict) and ('message' in inner or 'code' in inner):
            return name, _clip(str(inner.get('message') or ''))
    for key in ('message', 'msg', 'detail', 'description'):
        if isinstance(body.get(key), str):
            return body.get('code'), _clip(body[key])
    return None, _clip(json.dumps(body))
