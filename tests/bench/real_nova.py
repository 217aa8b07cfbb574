# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's real-Nova scenario (issue 18): one resize + confirm against upstream Nova 34 (tests/nova/nova_server.py,
the fake virt driver sleeping STEP seconds per step), through ansible-playbook (ecs_resize), openstacksdk with its
defaults and the OpenStack CLI, interleaved.

What a tool costs beyond the cloud's own work is measured against a poller that reads the server every 50 ms in the
bench process (as admin, through the URL without project id, so its requests are told apart in Nova's access log):

    server-side = (VERIFY_RESIZE first seen - start of the resize action) + (ACTIVE first seen - start of confirmResize)
    overhead    = wall time of what the user runs - server-side
    overhead after the first answer = the same, from the moment Nova answered the tool's first request (for comparison:
                  without the start of the process; the issue's target is on the overhead above)

The starts are Nova's own (os-instance-actions `start_time`, microseconds, UTC). A tool's status reads are the
`GET /v2.1/<project>/servers/<id>` and `servers/detail` lines of Nova's access log while it ran (the poller reads
`/v2.1/servers/<id>`, without the project id).
"""

from __future__ import annotations

import calendar
import json
import os
import re
import subprocess
import threading
import time
from datetime import datetime

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NOVA_SERVER = os.path.join(REPO, 'tests', 'nova', 'nova_server.py')
SOURCE, TARGET = 's6.medium.2', 's6.large.2'
POLL = 0.05
CLI_POLL = 5.0


class NovaBenchError(Exception):
    pass


def nova_python():
    """The Nova venv's python (scripts/nova.sh builds it on first use; NOVA_VENV_ONLY=1 stops there)."""
    proc = subprocess.run([os.path.join(REPO, 'scripts', 'nova.sh')], env=dict(os.environ, NOVA_VENV_ONLY='1'), cwd=REPO,
                          capture_output=True, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines or not os.access(lines[-1], os.X_OK):
        raise NovaBenchError('the Nova venv could not be built (scripts/nova.sh): %s' % (proc.stdout + proc.stderr)[-2000:])
    return lines[-1]


def epoch_of(nova_time):
    """Seconds since the epoch of Nova's `2026-12-01T13:35:09.869237` (UTC, no zone)."""
    parsed = datetime.strptime(nova_time.split('+')[0].rstrip('Z'), '%Y-%m-%dT%H:%M:%S.%f')
    return calendar.timegm(parsed.timetuple()) + parsed.microsecond / 1e6


class RealNova(object):
    """nova_server.py in a subprocess with its access log on stderr; the admin's session for seeding and polling."""

    def __init__(self, python, workdir, step_delay):
        self.workdir = workdir
        self.step_delay = step_delay
        self.ready = os.path.join(workdir, 'nova-%s.json' % step_delay)
        self.log_path = os.path.join(workdir, 'nova-%s.stderr' % step_delay)
        tmp = os.path.join(workdir, 'nova-tmp-%s' % step_delay)
        os.makedirs(tmp, exist_ok=True)
        env = dict(os.environ, TMPDIR=tmp, OS_NOVA_DISABLE_EVENTLET_PATCHING='1', PYTHONUNBUFFERED='1', ECS_NOVA_ACCESS_LOG='1')
        for var in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV'):
            env.pop(var, None)
        self.log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen([python, NOVA_SERVER, '--port', '0', '--ready-file', self.ready, '--step-delay', str(step_delay)],
                                     cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while not os.path.exists(self.ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise NovaBenchError('nova_server.py did not start (see %s)' % self.log_path)
            time.sleep(0.2)
        with open(self.ready) as handle:
            self.info = json.load(handle)
        self.admin = requests.Session()
        self.admin.headers['X-Auth-Token'] = self.info['admin_token']

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

    def access_log_size(self):
        return os.path.getsize(self.log_path)

    def access_lines(self, since):
        with open(self.log_path, 'rb') as handle:
            handle.seek(since)
            text = handle.read().decode('utf-8', 'replace')
        return [line for line in text.splitlines() if line.startswith('nova-api ')]

    def server(self, server_id):
        resp = self.admin.get('%s/servers/%s' % (self.info['compute_url_no_project'], server_id), timeout=30)
        resp.raise_for_status()
        return resp.json()['server']

    def boot(self, name):
        demo = requests.Session()
        demo.headers.update({'X-Auth-Token': self.info['token'], 'X-OpenStack-Nova-API-Version': '2.37'})
        body = {'server': {'name': name, 'imageRef': self.info['image_id'], 'flavorRef': self.info['flavors'][SOURCE],
                           'networks': [{'uuid': self.info['network_id']}]}}
        resp = demo.post(self.info['compute_url'] + '/servers', json=body, timeout=30)
        if resp.status_code != 202:
            raise NovaBenchError('boot %s: %s %s' % (name, resp.status_code, resp.text[:500]))
        server_id = resp.json()['server']['id']
        deadline = time.monotonic() + 120
        while self.server(server_id)['status'] != 'ACTIVE':
            if time.monotonic() > deadline:
                raise NovaBenchError('server %s did not become ACTIVE' % name)
            time.sleep(0.2)
        return server_id

    def action_starts(self, server_id):
        resp = self.admin.get('%s/servers/%s/os-instance-actions' % (self.info['compute_url'], server_id), timeout=30)
        resp.raise_for_status()
        starts = {}
        for action in resp.json()['instanceActions']:  # newest first
            starts.setdefault(action['action'], epoch_of(action['start_time']))
        return starts


class Poller(threading.Thread):
    """Reads the server every 50 ms; `seen` is the list of (time, status, task_state, flavor) at each change."""

    def __init__(self, nova, server_id):
        super(Poller, self).__init__(daemon=True)
        self.nova = nova
        self.server_id = server_id
        self.seen = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            server = self.nova.server(self.server_id)
            now = time.time()
            flavor = server['flavor'].get('id') or server['flavor'].get('original_name')
            state = (server['status'], server['OS-EXT-STS:task_state'], flavor)
            if not self.seen or self.seen[-1][1:] != state:
                self.seen.append((now,) + state)
            self.done.wait(POLL)

    def first(self, status, after=0.0, flavor=None):
        for when, seen_status, task, seen_flavor in self.seen:
            if when >= after and seen_status == status and task is None and (flavor is None or seen_flavor == flavor):
                return when
        return None


def read_times(lines, project_id):
    """When the tool read the server (Nova's access log: GETs of one server or of the listing, with the project id)."""
    pattern = re.compile(r'^nova-api ([\d.]+) "GET /v2(?:\.1)?/%s/servers/(detail|[0-9a-f-]{36})[ ?]' % re.escape(project_id))
    return [float(match.group(1)) for match in (pattern.search(line) for line in lines) if match]


def first_answer(lines, project_id):
    """When the tool's first request was answered (Nova logs a request when it has answered it)."""
    pattern = re.compile(r'^nova-api ([\d.]+) "[A-Z]+ /v[0-9.]+/%s/' % re.escape(project_id))
    times = [float(match.group(1)) for match in (pattern.search(line) for line in lines) if match]
    return min(times) if times else None


def confirm_time(lines, project_id):
    pattern = re.compile(r'^nova-api ([\d.]+) "POST /v2(?:\.1)?/%s/servers/[0-9a-f-]{36}/action' % re.escape(project_id))
    times = [float(match.group(1)) for match in (pattern.search(line) for line in lines) if match]
    return times[-1] if times else None


def measure(nova, tool, run_tool):
    """Boot a fresh server, run `run_tool(name)` (returns the wall seconds) with the poller, and compute the overhead."""
    name = 'bench-%s-%d' % (tool, int(time.time() * 1000) % 10 ** 8)
    server_id = nova.boot(name)
    poller = Poller(nova, server_id)
    poller.start()
    time.sleep(0.2)
    mark = nova.access_log_size()
    try:
        wall = run_tool(name)
        ended = time.time()
    finally:
        time.sleep(0.3)  # the poller sees the end of a tool that did not wait for it
        poller.done.set()
        poller.join(10)
    lines = nova.access_lines(mark)  # before the bench's own read of the instance actions
    starts = nova.action_starts(server_id)
    verify = poller.first('VERIFY_RESIZE', after=starts.get('resize', 0))
    active = poller.first('ACTIVE', after=starts.get('confirmResize', 0), flavor=nova.info['flavors'][TARGET])
    if None in (verify, active) or 'resize' not in starts or 'confirmResize' not in starts:
        raise NovaBenchError('%s: the poller did not see the resize and its confirmation: %s, actions %s' % (tool, poller.seen, starts))
    server_side = (verify - starts['resize']) + (active - starts['confirmResize'])
    reads = read_times(lines, nova.info['project_id'])
    first = first_answer(lines, nova.info['project_id'])
    confirmed = confirm_time(lines, nova.info['project_id'])
    after = [t for t in reads if t >= active]
    # a tool whose last read came before the poller's saw ACTIVE no later than the poller
    active_late = (min(after) - active) if after else (0.0 if reads else None)
    return dict(wall=round(wall, 3), server_side=round(server_side, 3), overhead_wall=round(wall - server_side, 3),
                # the same from the tool's first answer on: without the start of the process (interpreter, imports,
                # ansible-playbook's own start) and whatever it did before its first request
                overhead_after_first=round(ended - first - server_side, 3) if first else None,
                status_reads=len(reads), requests=len([line for line in lines if '/v2.1/servers/' not in line]),
                reads_per_second=round(len(reads) / server_side, 2) if server_side > 0 else None,
                # how late the tool saw the two ends (VERIFY_RESIZE: until its confirmResize; ACTIVE: until its next read)
                late_verify=round(confirmed - verify, 3) if confirmed else None,
                late_active=round(active_late, 3) if active_late is not None else None,
                phases=[(round(entry[0] - starts['resize'], 2),) + tuple(entry[1:]) for entry in poller.seen])


def ecs_resize_runner(nova, workdir, playbook_bin, env):
    """ansible-playbook with one ecs_resize task, token auth (the harness's Keystone stand-in takes `user:project`)."""
    import yaml

    def run(name):
        task = {'name': 'resize', 'ecs_ops.compute.ecs_resize': {
            'server': name, 'flavor': TARGET, 'auth_type': 'token',
            'auth': {'token': nova.info['token']}, 'compute_endpoint': nova.info['compute_url']}}
        book = os.path.join(workdir, 'nova-play.yml')
        with open(book, 'w') as handle:
            yaml.safe_dump([dict(hosts='localhost', gather_facts=False, tasks=[task])], handle, sort_keys=False)
        start = time.monotonic()
        proc = subprocess.run([playbook_bin, book, '-i', 'localhost,', '-c', 'local'], env=env, cwd=workdir,
                              capture_output=True, text=True, timeout=600, check=False)
        wall = time.monotonic() - start
        if proc.returncode != 0:
            raise NovaBenchError('ecs_resize on real Nova failed: %s' % (proc.stdout + proc.stderr)[-2000:])
        return wall
    return run


def sdk_runner(nova, peer_python, sdk_script):
    def run(name):
        info = os.path.join(os.path.dirname(nova.ready), 'sdk-nova.json')
        with open(info, 'w') as handle:
            json.dump(dict(auth_type='admin_token', token=nova.info['token'], endpoint=nova.info['compute_url']), handle)
        start = time.monotonic()
        proc = subprocess.run([peer_python, sdk_script, info, name, TARGET], capture_output=True, text=True, timeout=600, check=False)
        wall = time.monotonic() - start
        if proc.returncode != 0:
            raise NovaBenchError('openstacksdk on real Nova failed: %s' % proc.stderr[-2000:])
        return wall
    return run


def cli_runner(nova, openstack_bin):
    """`openstack server resize --wait`, `server resize confirm`, then `server list` every 5 s until ACTIVE (what a user
    must do: confirm has no --wait), with the token and endpoint of the harness (auth type admin_token)."""
    env = dict(os.environ, OS_AUTH_TYPE='admin_token', OS_TOKEN=nova.info['token'], OS_ENDPOINT=nova.info['compute_url'])
    for key in ('OS_CLOUD', 'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_PROJECT_ID'):
        env.pop(key, None)

    def call(*args):
        proc = subprocess.run((openstack_bin,) + args, env=env, capture_output=True, text=True, timeout=600, check=False)
        if proc.returncode != 0:
            raise NovaBenchError('openstack %s failed on real Nova: %s' % (' '.join(args), proc.stderr[-1500:]))
        return proc.stdout.strip()

    def run(name):
        start = time.monotonic()
        call('server', 'resize', '--flavor', TARGET, '--wait', name)
        call('server', 'resize', 'confirm', name)
        while call('server', 'list', '--name', '^%s$' % re.escape(name), '--no-name-lookup', '-f', 'value', '-c', 'Status') != 'ACTIVE':
            time.sleep(CLI_POLL)
        return time.monotonic() - start
    return run
