# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the real-Nova suite: one upstream Nova per session (tests/nova/nova_server.py).

The Nova process runs with the Python of the Nova venv named by ECS_NOVA_PYTHON
(scripts/nova.sh builds it); without that variable every test here fails, saying so, unless
ALLOW_SKIP names nova (a developer's switch, see scripts/common.sh), when they are skipped.
Nova's database cannot be reset between tests, so tests boot their own servers
(``make_server``) or read the current state of the seeded ones (``seeded``,
which first finishes whatever a previous test left pending).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import subprocess
import sys
import time
import uuid

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SERVER_SCRIPT = os.path.join(HERE, 'nova_server.py')
NOVA_PYTHON = os.environ.get('ECS_NOVA_PYTHON')
# Seconds each fake-driver resize/power step takes. FINDINGS.md was measured with 1.0.
STEP_DELAY = float(os.environ.get('ECS_NOVA_STEP_DELAY', '0.5'))
READY_TIMEOUT = float(os.environ.get('ECS_NOVA_READY_TIMEOUT', '120'))
OBSERVATIONS = os.path.join(REPO, '.cache', 'nova-observations.json')

# The integration helpers (run_playbook, ...) are shared with tests/integration.
sys.path.insert(0, os.path.join(REPO, 'tests', 'integration'))

SEEDED = {  # name: (flavor, status) as nova_server.py boots them
    'web-1': ('s6.medium.2', 'ACTIVE'),
    'web-2': ('s6.medium.2', 'ACTIVE'),
    'db-1': ('s6.medium.2', 'SHUTOFF'),
    'app-1': ('m1.small', 'ACTIVE'),
}
STEADY = ('ACTIVE', 'SHUTOFF', 'VERIFY_RESIZE', 'ERROR')


class NovaProcess(object):
    """nova_server.py in a subprocess; `info` is its ready file."""

    def __init__(self, python, workdir, step_delay=STEP_DELAY):
        self.python = python
        self.workdir = str(workdir)
        self.step_delay = step_delay
        self.ready_file = os.path.join(self.workdir, 'nova-ready.json')
        self.stderr_path = os.path.join(self.workdir, 'nova-server.stderr')
        self.proc = None
        self.info = None
        self.started_in = None

    def start(self, timeout=READY_TIMEOUT):
        tmp = os.path.join(self.workdir, 'tmp')
        os.makedirs(tmp, exist_ok=True)
        env = dict(os.environ, TMPDIR=tmp, OS_NOVA_DISABLE_EVENTLET_PATCHING='1', PYTHONUNBUFFERED='1')
        # Nova's venv must not see the project venv's packages.
        for var in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV'):
            env.pop(var, None)
        cmd = [self.python, SERVER_SCRIPT, '--port', '0', '--ready-file', self.ready_file,
               '--step-delay', str(self.step_delay)]
        t0 = time.monotonic()
        with open(self.stderr_path, 'wb') as err:
            self.proc = subprocess.Popen(cmd, cwd=self.workdir, env=env, stdout=subprocess.PIPE,
                                         stderr=err, stdin=subprocess.DEVNULL)
        deadline = t0 + timeout
        while not os.path.exists(self.ready_file):
            if self.proc.poll() is not None:
                self._fail('nova_server.py exited with %s before it was ready' % self.proc.returncode)
            if time.monotonic() > deadline:
                self.stop()
                self._fail('nova_server.py was not ready within %.0f s' % timeout)
            time.sleep(0.1)
        self.started_in = time.monotonic() - t0
        with open(self.ready_file) as handle:
            self.info = json.load(handle)
        self.info['started_in'] = round(self.started_in, 2)
        return self.info

    def _fail(self, why):
        pytest.fail('%s; its stderr (%s) ends with:\n%s' % (why, self.stderr_path, self.stderr_tail()), pytrace=False)

    def stderr_tail(self, lines=60):
        try:
            with open(self.stderr_path, 'rb') as handle:
                text = handle.read().decode('utf-8', 'replace')
        except OSError:
            return ''
        return '\n'.join(text.splitlines()[-lines:])

    def rss_mb(self):
        try:
            with open('/proc/%d/status' % self.proc.pid) as handle:
                for line in handle:
                    if line.startswith('VmRSS:'):
                        return int(line.split()[1]) // 1024
        except (OSError, AttributeError):
            return None
        return None

    def stop(self, timeout=30):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class NovaClient(object):
    """Raw HTTP against the Nova API, as one user, with an optional default microversion."""

    def __init__(self, info, token, microversion=None, timeout=15):
        self.info = info
        self.base = info['compute_url']
        self.timeout = timeout
        self.microversion = microversion
        self.http = requests.Session()
        self.http.headers['X-Auth-Token'] = token

    def headers(self, microversion=None):
        mv = microversion or self.microversion
        return {'X-OpenStack-Nova-API-Version': mv} if mv else {}

    def request(self, method, path, microversion=None, **kwargs):
        kwargs.setdefault('timeout', self.timeout)
        url = path if path.startswith('http') else self.base + path
        return self.http.request(method, url, headers=self.headers(microversion), **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body, **kwargs):
        return self.request('POST', path, json=body, **kwargs)

    # -- servers --------------------------------------------------------
    def find(self, name):
        resp = self.get('/servers/detail?name=%s' % ('^%s$' % re.escape(name)))
        resp.raise_for_status()
        found = [s for s in resp.json()['servers'] if s['name'] == name]
        assert len(found) == 1, 'expected one server named %r, got %r' % (name, found)
        return found[0]['id']

    def server(self, server_id, microversion=None):
        resp = self.get('/servers/%s' % server_id, microversion=microversion)
        assert resp.status_code == 200, resp.text
        return resp.json()['server']

    def action(self, server_id, body, microversion=None):
        return self.post('/servers/%s/action' % server_id, body, microversion=microversion)

    @staticmethod
    def state(server):
        """(status, task_state, vm_state, power_state, flavor) of a server document."""
        flavor = server['flavor']
        return (server['status'], server['OS-EXT-STS:task_state'], server['OS-EXT-STS:vm_state'],
                server['OS-EXT-STS:power_state'], flavor.get('id', flavor.get('original_name')))

    def trace(self, server_id, until, timeout=60, interval=0.05, microversion=None):
        """Poll until `until(server)` holds; the list of distinct states seen, with seconds since the call."""
        t0 = time.monotonic()
        seen = []
        while True:
            server = self.server(server_id, microversion=microversion)
            state = self.state(server)
            if not seen or seen[-1][1:] != state:
                seen.append((round(time.monotonic() - t0, 2),) + state)
            if until(server):
                return seen
            if time.monotonic() - t0 > timeout:
                raise AssertionError('server %s: condition not met within %ss; seen %r' % (server_id, timeout, seen))
            time.sleep(interval)

    def wait(self, server_id, status, task_state=None, timeout=60):
        seen = self.trace(server_id, lambda s: s['status'] == status and s['OS-EXT-STS:task_state'] == task_state
                          or s['status'] == 'ERROR', timeout=timeout)
        server = self.server(server_id)
        assert server['status'] == status, 'server %s ended %s, not %s: %r (fault %r)' % (
            server_id, server['status'], status, seen, server.get('fault'))
        return server

    def settle(self, server_id, timeout=60):
        """Let a running task finish and confirm a pending resize; the settled server."""
        self.trace(server_id, lambda s: s['status'] in STEADY and s['OS-EXT-STS:task_state'] is None, timeout=timeout)
        server = self.server(server_id)
        if server['status'] == 'VERIFY_RESIZE':
            resp = self.action(server_id, {'confirmResize': None})
            assert resp.status_code == 204, resp.text
            self.trace(server_id, lambda s: s['status'] in ('ACTIVE', 'SHUTOFF', 'ERROR') and s['OS-EXT-STS:task_state'] is None,
                       timeout=timeout)
            server = self.server(server_id)
        return server

    def boot(self, name, flavor, stopped=False, timeout=60):
        body = {'server': {'name': name, 'imageRef': self.info['image_id'], 'flavorRef': flavor,
                           'networks': [{'uuid': self.info['network_id']}]}}
        resp = self.post('/servers', body, microversion='2.37')
        assert resp.status_code == 202, resp.text
        server_id = resp.json()['server']['id']
        self.wait(server_id, 'ACTIVE', timeout=timeout)
        if stopped:
            resp = self.action(server_id, {'os-stop': None})
            assert resp.status_code == 202, resp.text
            self.wait(server_id, 'SHUTOFF', timeout=timeout)
        return server_id

    def delete(self, server_id):
        return self.request('DELETE', '/servers/%s' % server_id)

    def actions(self, server_id, microversion=None):
        resp = self.get('/servers/%s/os-instance-actions' % server_id, microversion=microversion)
        assert resp.status_code == 200, resp.text
        return resp.json()['instanceActions']

    def instance_action(self, server_id, request_id, microversion=None):
        resp = self.get('/servers/%s/os-instance-actions/%s' % (server_id, request_id), microversion=microversion)
        assert resp.status_code == 200, resp.text
        return resp.json()['instanceAction']


def skip_allowed(name):
    """True when ALLOW_SKIP (comma-separated check names, a developer's switch; CI never sets it) names `name`."""
    return name in [part.strip() for part in os.environ.get('ALLOW_SKIP', '').split(',')]


@pytest.fixture(scope='session')
def nova_process(tmp_path_factory):
    if not NOVA_PYTHON:
        why = ('ECS_NOVA_PYTHON is not set: the real-Nova suite needs the Nova venv that scripts/nova.sh '
               'builds and names in ECS_NOVA_PYTHON; run it with `make nova`')
        if skip_allowed('nova'):
            pytest.skip('%s (skipped: ALLOW_SKIP=%s)' % (why, os.environ['ALLOW_SKIP']))
        pytest.fail('%s (on a developer machine, ALLOW_SKIP=nova skips these tests instead)' % why, pytrace=False)
    if not os.access(NOVA_PYTHON, os.X_OK):
        pytest.fail('ECS_NOVA_PYTHON=%s is not an executable' % NOVA_PYTHON, pytrace=False)
    proc = NovaProcess(NOVA_PYTHON, tmp_path_factory.mktemp('nova'))
    try:
        proc.start()
        _SUMMARY.append('real Nova %s (%s) ready in %.1f s, %s MB RSS, step delay %s s' % (
            proc.info.get('nova_version'), proc.info['compute_url'], proc.started_in, proc.rss_mb(), proc.step_delay))
        yield proc
    finally:
        if proc.proc is not None and proc.proc.poll() is None:
            _SUMMARY.append('real Nova: %s MB RSS at the end of the session' % proc.rss_mb())
        proc.stop()


_SUMMARY = []


def pytest_terminal_summary(terminalreporter):
    for line in _SUMMARY:
        terminalreporter.write_line(line)


@pytest.fixture(scope='session')
def nova(nova_process):
    """The ready-file dict of the running Nova (compute_url, token, admin_token, servers, flavors, ...)."""
    return nova_process.info


@pytest.fixture(scope='session')
def nova_api(nova):
    """NovaClient as the project member (`demo`), no microversion header."""
    return NovaClient(nova, nova['token'])


@pytest.fixture(scope='session')
def nova_admin(nova):
    """NovaClient as `admin` of the same project."""
    return NovaClient(nova, nova['admin_token'])


@pytest.fixture
def seeded(nova, nova_api):
    """The seeded servers (name -> id), each settled: no task running, nothing pending, power state as seeded.

    Flavors are not reset (a resize back would take seconds); read the current one.
    """
    for name, (_flavor, status) in SEEDED.items():
        server_id = nova['servers'][name]
        server = nova_api.settle(server_id)
        if server['status'] != status:
            action = {'ACTIVE': 'os-start', 'SHUTOFF': 'os-stop'}[status]
            resp = nova_api.action(server_id, {action: None})
            assert resp.status_code == 202, resp.text
            nova_api.wait(server_id, status)
    return dict(nova['servers'])


@pytest.fixture
def make_server(nova_api):
    """make_server(flavor, stopped=False, prefix='t') boots a fresh server with a unique name: (name, id).

    Servers are not deleted afterwards (a DELETE takes most of a second; the quota is 1000 instances).
    """
    def _make(flavor, stopped=False, prefix='t'):
        name = '%s-%s' % (prefix, uuid.uuid4().hex[:8])
        return name, nova_api.boot(name, flavor, stopped=stopped)
    return _make


_OBSERVED = {}


@pytest.fixture(scope='session')
def observations(nova):
    """A dict tests record what they saw into; written to .cache/nova-observations.json at the end."""
    _OBSERVED['_meta'] = {'nova_version': nova.get('nova_version'), 'step_delay': nova.get('step_delay')}
    yield _OBSERVED
    try:
        os.makedirs(os.path.dirname(OBSERVATIONS), exist_ok=True)
        with open(OBSERVATIONS, 'w') as handle:
            json.dump(_OBSERVED, handle, indent=1, sort_keys=True, default=str)
    except OSError:
        pass


@pytest.fixture
def record(request, observations):
    """record(value) or record(key, value): keep an observation under the test's name."""
    name = request.node.name

    def _record(key, value=None):
        if value is None:
            key, value = 'observed', key
        observations.setdefault(name, {})[key] = value
    return _record
