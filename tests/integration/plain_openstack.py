# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A pass-through HTTP proxy in front of the emulator that hides the ECS-only calls, as plain OpenStack would.

The emulator's fault injection has no 404 kind, and a 404 of a route is what "this cloud has no such call"
looks like; so the tests point compute_endpoint at this proxy, which answers 404 (Nova's itemNotFound shape)
for every /v1/ path and for .../resize_flavors, and forwards everything else unchanged.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json
import re
import threading

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HIDDEN = re.compile(r'^/v1/|/resize_flavors(\?|$)')
HOP_HEADERS = {'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host'}


def _handler(upstream, hidden, seen):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):  # quiet
            pass

        def _relay(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length else None
            seen.append((self.command, self.path))
            if hidden.search(self.path):
                payload = json.dumps({'itemNotFound': {'code': 404, 'message': 'The resource could not be found.'}}).encode()
                self.send_response(404)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_HEADERS)
            answer = requests.request(self.command, upstream + self.path, headers=headers, data=body, timeout=60)
            payload = answer.content
            self.send_response(answer.status_code)
            for key, value in answer.headers.items():
                if key.lower() not in HOP_HEADERS:
                    self.send_header(key, value)
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _relay

    return Handler


class PlainProxy(object):
    """What plain_openstack() yields: base_url, compute_url (/v2.1/<project_id> through the proxy), seen requests."""

    def __init__(self, server, info, seen):
        self.server = server
        self.base_url = 'http://127.0.0.1:%d' % server.server_address[1]
        self.compute_url = '%s/v2.1/%s' % (self.base_url, info['project_id'])
        self.seen = seen


@contextlib.contextmanager
def plain_openstack(info, hidden=HIDDEN):
    """Run the proxy in a thread for the emulator described by `info` (its ready-file dict)."""
    seen = []
    server = ThreadingHTTPServer(('127.0.0.1', 0), _handler(info['base_url'].rstrip('/'), hidden, seen))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield PlainProxy(server, info, seen)
    finally:
        server.shutdown()
        server.server_close()
