# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run playbooks the way users do (ansible-playbook in a subprocess) and read back every task result."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COLLECTIONS = os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO, '.cache', 'collections')
BIN = os.path.dirname(sys.executable)


class PlaybookRun(object):
    """What one ansible-playbook run did: exit code, output, and the recorded task results."""

    def __init__(self, rc, stdout, stderr, results):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.results = results

    def task(self, name, host=None):
        """The last recorded result of the task called `name` (optionally on `host`)."""
        found = [r for r in self.results if r['task'] == name and (host is None or r['host'] == host)]
        if not found:
            raise AssertionError('task %r not in results: %r\n%s\n%s' % (name, [r['task'] for r in self.results], self.stdout, self.stderr))
        return found[-1]['result']

    def outcome(self, name, host=None):
        found = [r for r in self.results if r['task'] == name and (host is None or r['host'] == host)]
        return found[-1]['outcome'] if found else None

    def __repr__(self):
        return 'PlaybookRun(rc=%s)\nSTDOUT:\n%s\nSTDERR:\n%s' % (self.rc, self.stdout, self.stderr)


def ansible_env(extra=None):
    """Environment for ansible subprocesses: the collection on the path, the venv's interpreter, results recorded."""
    env = dict(os.environ)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS,
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_CALLBACK_PLUGINS': os.path.join(HERE, 'callback_plugins'),
        'ANSIBLE_CALLBACKS_ENABLED': 'record_results',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'PATH': BIN + os.pathsep + env.get('PATH', ''),
    })
    env.update(extra or {})
    return env


def run_playbook(tmp_path, tasks=None, playbook=None, extra_vars=None, env=None, args=(), timeout=600,
                 hosts='localhost', module_defaults=None, inventory=None, cwd=None):
    """Write a playbook (from `tasks` or a full `playbook` list) into tmp_path and run it with ansible-playbook."""
    tmp_path = str(tmp_path)
    if playbook is None:
        play = dict(name='test', hosts=hosts, gather_facts=False, tasks=tasks)
        if module_defaults:
            play['module_defaults'] = module_defaults
        playbook = [play]
    book = os.path.join(tmp_path, 'playbook.yml')
    with open(book, 'w') as handle:
        yaml.safe_dump(playbook, handle, sort_keys=False)
    results_file = os.path.join(tmp_path, 'results-%d.json' % len(os.listdir(tmp_path)))
    cmd = [os.path.join(BIN, 'ansible-playbook'), book, '-i', inventory or 'localhost,', '-c', 'local']
    if extra_vars:
        vars_file = os.path.join(tmp_path, 'extra-vars.json')
        with open(vars_file, 'w') as handle:
            json.dump(extra_vars, handle)
        cmd += ['-e', '@' + vars_file]
    cmd += list(args)
    run_env = ansible_env(dict(env or {}, ECS_TEST_RESULTS=results_file))
    proc = subprocess.run(cmd, env=run_env, cwd=cwd or tmp_path, capture_output=True, text=True, timeout=timeout, check=False)
    results = []
    if os.path.exists(results_file):
        with open(results_file) as handle:
            results = json.load(handle)
    return PlaybookRun(proc.returncode, proc.stdout, proc.stderr, results)


def connection_vars(info):
    """Module options that reach the emulator with Keystone password auth, from its ready-file dict."""
    return dict(
        auth=dict(
            auth_url=info['auth_url'],
            username=info['username'],
            password=info['password'],
            user_domain_name=info['user_domain_name'],
            project_name=info['project_name'],
        ),
        region_name=info['region'],
    )


class CloudView(object):
    """Reads the cloud through its public API (as a user would), to check what a playbook left behind."""

    def __init__(self, info):
        import requests
        self.info = info
        self.http = requests.Session()
        self.login()

    def login(self):
        info = self.info
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': info['username'], 'password': info['password'], 'domain': {'name': info['user_domain_name']}}}},
            'scope': {'project': {'id': info['project_id']}}}}
        answer = self.http.post(info['auth_url'] + '/auth/tokens', json=body, timeout=10)
        answer.raise_for_status()
        self.http.headers['X-Auth-Token'] = answer.headers['X-Subject-Token']

    def get(self, url):
        answer = self.http.get(url, timeout=10)
        if answer.status_code == 401:  # tokens expired by a test: log in again
            self.login()
            answer = self.http.get(url, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def servers(self):
        return self.get(self.info['compute_url'] + '/servers/detail')['servers']

    def server(self, name_or_id):
        for server in self.servers():
            if name_or_id in (server['id'], server['name']):
                return server
        raise AssertionError('no server %r' % name_or_id)

    def action(self, name_or_id, body):
        server_id = self.server(name_or_id)['id']
        return self.http.post('%s/servers/%s/action' % (self.info['compute_url'], server_id), json=body, timeout=10)

    def wait_for(self, name_or_id, status, timeout=30, task_state=None):
        """Wait until the server shows status/task_state. Reads the admin API, which the request log leaves out,
        so that the counts a test asserts are the module's own."""
        import time
        server_id = self.server(name_or_id)['id']
        deadline = time.time() + timeout
        while True:
            answer = self.http.get('%s/servers/%s' % (self.info['admin_url'], server_id), timeout=10, verify=self.http.verify)
            answer.raise_for_status()
            raw = answer.json()
            if raw['status'] == status and raw.get('task_state') == task_state:
                return raw
            if time.time() > deadline:
                raise AssertionError('server %s is %s/%s, not %s' % (name_or_id, raw['status'], raw.get('task_state'), status))
            time.sleep(0.05)


def flavor_id(server):
    """The flavor id a server document shows (microversion < 2.47)."""
    return server['flavor']['id']


def count_actions(log, action, server_id=None, accepted_only=True):
    """How many POSTs of `action` the emulator's request log holds (accepted ones only, unless told otherwise)."""
    return len([r for r in log if r.get('action') == action and r.get('method') == 'POST'
                and (server_id is None or r.get('server_id') == server_id)
                and (not accepted_only or (r.get('status') or 0) < 400)])


def descendants(pid):
    """Pids of every process below `pid` (ansible's workers start new sessions, so killpg misses them)."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
        except (IOError, OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(proc):
    """kill -9 a process and everything it started, as a crashed controller would end."""
    import signal
    victims = [proc.pid] + descendants(proc.pid)
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    proc.wait()


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    import socket
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def start_emulator(port, state, ready, time_scale=1.0):
    """ecs-emulator in a subprocess on `port` with the SQLite `state` file; (process, ready-file dict)."""
    import time
    if os.path.exists(ready):
        os.unlink(ready)
    proc = subprocess.Popen([os.path.join(BIN, 'ecs-emulator'), 'serve', '--port', str(port), '--state', state,
                             '--ready-file', ready, '--time-scale', str(time_scale)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while not os.path.exists(ready):
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise AssertionError('emulator did not start')
        time.sleep(0.05)
    with open(ready) as handle:
        return proc, json.load(handle)


def start_playbook(tmp_path, tasks, name='playbook.yml'):
    """ansible-playbook started in the background on a playbook written from `tasks`; (process, results file).
    Read the results with read_results() once it has ended."""
    tmp_path = str(tmp_path)
    book = os.path.join(tmp_path, name)
    with open(book, 'w') as handle:
        yaml.safe_dump([dict(name='test', hosts='localhost', gather_facts=False, tasks=tasks)], handle, sort_keys=False)
    results_file = book + '.results.json'
    out = open(book + '.out', 'w')
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), book, '-i', 'localhost,', '-c', 'local'],
                            env=ansible_env(dict(ECS_TEST_RESULTS=results_file)), cwd=tmp_path,
                            stdout=out, stderr=subprocess.STDOUT)
    out.close()
    return proc, results_file


def finish_playbook(proc, results_file, timeout=600):
    """Wait for a playbook of start_playbook(); its PlaybookRun (stdout and stderr together in stdout)."""
    proc.wait(timeout=timeout)
    results = []
    if os.path.exists(results_file):
        with open(results_file) as handle:
            results = json.load(handle)
    with open(results_file[:-len('.results.json')] + '.out') as handle:
        output = handle.read()
    return PlaybookRun(proc.returncode, output, '', results)


def start_runner_job(tmp_path, tasks, envvars, ident='job1'):
    """ansible-runner started in the background on a private data directory laid out as AWX lays it out (the
    credential in env/envvars, as AWX injects it); finish_runner_job() reads the job back."""
    pdd = os.path.join(str(tmp_path), 'pdd-' + ident)
    for sub in ('project', 'inventory', 'env'):
        os.makedirs(os.path.join(pdd, sub), exist_ok=True)
    with open(os.path.join(pdd, 'project', 'job.yml'), 'w') as handle:
        yaml.safe_dump([dict(name=ident, hosts='localhost', gather_facts=False, tasks=tasks)], handle, sort_keys=False)
    with open(os.path.join(pdd, 'inventory', 'hosts'), 'w') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    settings = {'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCALHOST_WARNING': 'false'}
    settings.update(envvars)
    with open(os.path.join(pdd, 'env', 'envvars'), 'w') as handle:
        yaml.safe_dump(settings, handle)
    with open(os.path.join(pdd, 'env', 'settings'), 'w') as handle:
        yaml.safe_dump({'job_timeout': 600, 'suppress_ansible_output': True}, handle)
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'HW_', 'ANSIBLE_')))
    env['PATH'] = BIN + os.pathsep + os.environ.get('PATH', '')
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-runner'), 'run', pdd, '-p', 'job.yml', '--ident', ident],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, pdd, ident


def finish_runner_job(job, timeout=600):
    """(PlaybookRun of the job's task results, the job's events) once the job of start_runner_job() has ended."""
    import glob
    proc, pdd, ident = job
    out, err = proc.communicate(timeout=timeout)
    artifacts = os.path.join(pdd, 'artifacts', ident)
    with open(os.path.join(artifacts, 'stdout')) as handle:
        stdout = handle.read()
    events = []
    for path in sorted(glob.glob(os.path.join(artifacts, 'job_events', '*.json'))):
        with open(path) as handle:
            events.append(json.load(handle))
    events.sort(key=lambda e: e.get('counter', 0))
    results = [dict(task=e['event_data'].get('task'), host=e['event_data'].get('host'), result=e['event_data'].get('res', {}),
                    outcome={'runner_on_ok': 'ok', 'runner_on_failed': 'ignored' if e['event_data'].get('ignore_errors') else 'failed'}[e['event']])
               for e in events if e['event'] in ('runner_on_ok', 'runner_on_failed')]
    return PlaybookRun(proc.returncode, stdout + out, err, results), events
