"""Shared helpers of the emulator test suite (ids of the default seed, a small API client)."""

import time

import requests

from ecs_emulator import seed

WEB1 = seed.DEFAULT_SERVERS[0][0]
WEB2 = seed.DEFAULT_SERVERS[1][0]
DB1 = seed.DEFAULT_SERVERS[2][0]
APP1 = seed.DEFAULT_SERVERS[3][0]
M1_SMALL = seed.OPENSTACK_FLAVORS[1][0]
M1_MEDIUM = seed.OPENSTACK_FLAVORS[2][0]
M1_TINY = seed.OPENSTACK_FLAVORS[0][0]
M1_LARGE = seed.OPENSTACK_FLAVORS[3][0]


class Api:
    """A tiny authenticated client for the tests."""

    def __init__(self, emu):
        self.emu = emu
        self.info = emu.info
        self.compute = emu.info["compute_url"]
        self.ecs = emu.info["ecs_url"]
        self.session = requests.Session()
        self._token = None

    @property
    def token(self):
        if self._token is None:
            self._token = self.emu.token()
        return self._token

    def headers(self, mv=None, extra=None):
        out = {"X-Auth-Token": self.token}
        if mv:
            out["X-OpenStack-Nova-API-Version"] = mv
        out.update(extra or {})
        return out

    def get(self, path, mv=None, base=None, **kw):
        return self.session.get((base or self.compute) + path, headers=self.headers(mv, kw.pop("headers", None)),
                                timeout=30, **kw)

    def post(self, path, body=None, base=None, **kw):
        return self.session.post((base or self.compute) + path, json=body,
                                 headers=self.headers(kw.pop("mv", None), kw.pop("headers", None)), timeout=30, **kw)

    def action(self, server_id, body, **kw):
        return self.post("/servers/%s/action" % server_id, body, **kw)

    def server(self, server_id, mv="2.60"):
        resp = self.get("/servers/" + server_id, mv=mv)
        assert resp.status_code == 200, resp.text
        return resp.json()["server"]

    def wait(self, server_id, predicate, timeout=10.0, interval=0.005):
        """Poll until predicate(server) is true; returns the list of (status, task_state) seen."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            srv = self.server(server_id)
            key = (srv["status"], srv["OS-EXT-STS:task_state"])
            if not seen or seen[-1] != key:
                seen.append(key)
            if predicate(srv):
                return seen, srv
            if time.monotonic() > deadline:
                raise AssertionError("timeout waiting; seen %s" % seen)
            time.sleep(interval)


def settled(status):
    return lambda s: s["status"] == status and s["OS-EXT-STS:task_state"] is None
