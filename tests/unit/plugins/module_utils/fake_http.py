# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake HTTP session for the compute API's unit tests: answers each request with a function of
(method, path, query, body) and records what was sent."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import json

try:
    from urllib.parse import parse_qs, urlsplit
except ImportError:  # pragma: no cover
    from urlparse import parse_qs, urlsplit  # type: ignore

Sent = collections.namedtuple('Sent', 'method path query body headers')


class Answer(object):
    """A response: a JSON body (or none), Content-Type and a request id, and any further headers."""

    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self.text = json.dumps(body) if body is not None else ''
        self.headers = dict({'Content-Type': 'application/json', 'x-openstack-request-id': 'req-1'}, **(headers or {}))


class FakeSession(object):
    """`answer(method, path, query, body)` gives the response; `sent` lists each request (query values: the first)."""

    def __init__(self, answer):
        self.answer = answer
        self.headers = {}
        self.sent = []

    def request(self, method, url, data=None, headers=None, timeout=None, verify=None, cert=None):
        parts = urlsplit(url)
        query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
        body = json.loads(data) if data else None
        self.sent.append(Sent(method, parts.path, query, body, dict(headers or {})))
        return self.answer(method, parts.path, query, body)
