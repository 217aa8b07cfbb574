# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every error the collection raises, in one tree, and the parser for every error body shape a cloud sends.

    EcsError                   one sentence for the user (+ `status`, `code`, `result`)
    +-- InputError             the options cannot work as given; nothing was sent
    +-- CredentialsError       the settings do not make usable credentials; nothing was sent
    +-- NotFoundError          the server or flavor the user named does not exist
    +-- ApiError               the cloud answered with an error (an HTTP error status, or a 2xx carrying an error body)
    +-- TransportError         no answer at all: connection refused or dropped, TLS failure, timeout
    +-- AmbiguousRequestError  a state-changing request may or may not have been carried out
    +-- AuthError              authentication failed, or the credentials may not do this
    +-- NotOfferedError        the cloud does not offer this call (plain OpenStack and the ECS-only paths)
    +-- ResizeError            the resize could not be done or did not end as asked; `result` says what the cloud showed
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

TAG_RE = re.compile(r'<[^>]+>')
SPACE_RE = re.compile(r'\s+')
MAX_DETAIL = 300

# Cloud codes that mean "not now, the request was not carried out" (OTC appendix/error_codes.rst):
# Common.0024 "Flow limit exceeded" comes with HTTP 202 and no job; Common.1503 with 429.
THROTTLE_CODES = ('Common.0024', 'Common.1503')

# What to do about the documented codes a resize meets (OTC appendix/error_codes.rst).
CODE_ADVICE = {
    'Common.0024': 'the cloud throttles this project; retry later',
    'Common.1503': 'the cloud throttles this project; retry later',
    'Ecs.0029': 'the flavor does not exist in this region: check the name with ecs_ops.compute.ecs_flavor_info',
    'Ecs.0030': 'the account is frozen: contact the cloud provider',
    'Ecs.0100': 'the server is not in a state that allows this: see its status with ecs_ops.compute.ecs_server_info',
    'Ecs.0114': 'the server does not exist (any more)',
    'Ecs.0614': 'the server does not exist (any more)',
    'Ecs.0319': 'the cloud has no capacity for this flavor now: choose another flavor or availability zone, or retry later',
    'Ecs.0603': 'the server is busy with another operation: retry later',
    'Ecs.0605': 'the server is locked: unlock it first',
    'Ecs.0803': 'the server runs on a dedicated host: set dedicated_host_id',
}


class EcsError(Exception):
    """Base of every error the collection reports to the user as one sentence.

    `status` is the HTTP status and `code` the cloud's error code where the error comes from an answer;
    `result` is the module result to return with the failure (what the cloud showed), if any."""

    def __init__(self, message, status=None, code=None, result=None):
        super(EcsError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.result = result


class InputError(EcsError):
    """The options (or a list of servers) cannot be worked on as given; nothing was sent."""


class CredentialsError(EcsError):
    """The settings given do not make a usable set of credentials; the message says what is missing."""


class NotFoundError(EcsError):
    """The server or flavor the user named does not exist."""


class ApiError(EcsError):
    """The cloud answered with an error: an HTTP error status, or a 2xx answer that carries an error body."""

    def __init__(self, status, code=None, message=None, request_id=None, retry_after=None, method=None, url=None):
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
        super(ApiError, self).__init__(text, status=status, code=code)

    @property
    def throttled(self):
        """Whether the answer says "not now" (the cloud did not act on the request)."""
        return (self.status == 429 or (self.status == 413 and self.retry_after is not None)
                or str(self.code) in THROTTLE_CODES)

    @property
    def advice(self):
        """What to do about this error, when the cloud's code is one the documentation explains; else None."""
        return CODE_ADVICE.get(str(self.code)) if self.code else None


class TransportError(EcsError):
    """No HTTP answer at all: connection refused or dropped, TLS failure, timeout."""


class AmbiguousRequestError(EcsError):
    """A state-changing request may or may not have been carried out (no answer, or a gateway error)."""


class AuthError(EcsError):
    """Authentication failed or the credentials are not allowed to do this."""


class NotOfferedError(EcsError):
    """The cloud does not offer this call (plain OpenStack answering an ECS-only path with a version page or a 404)."""


class ResizeError(EcsError):
    """The resize could not be done or did not end as asked; `result` says what the cloud showed."""


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


def error_in_body(body):
    """(code, message) when a successful (2xx) answer's JSON body is an ECS error document, else None.

    OTC answers a throttled job request with HTTP 202 and {"error": {"code": "Common.0024", ...}} instead
    of {"job_id": ...} (common_parameters/job_request_results/responses_jobs.rst, appendix/error_codes.rst).
    Job documents carry error_code/fail_reason of the job itself and are not errors of the request."""
    error = body.get('error') if isinstance(body, dict) else None
    if isinstance(error, dict) and (error.get('code') or error.get('message')):
        return error.get('code'), _clip(str(error.get('message') or ''))
    return None


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
