# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: start the emulator, run playbooks/demo.yml against it, print what happened to each server.

The emulator keeps its state in .cache/demo/state.sqlite, so a second run starts
from where the first one ended and shows the idempotent case. Exit status 0 when
every server ended as playbooks/vars/demo.yml expects, 1 otherwise.
Delete .cache/demo (or run `make clean`) to start over.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(REPO, '.cache', 'demo')
STATE = os.path.join(CACHE, 'state.sqlite')
READY = os.path.join(CACHE, 'ready.json')
REPORT = os.path.join(CACHE, 'report.json')
EXTRA_VARS = os.path.join(CACHE, 'extra-vars.json')
EMULATOR_LOG = os.path.join(CACHE, 'emulator.log')
SCENARIO = os.path.join(REPO, 'playbooks', 'vars', 'demo.yml')
BIN = os.path.dirname(sys.executable)
# Resizes take ~5 s of emulated time at scale 1; 0.2 keeps the whole demo around 20 s.
TIME_SCALE = '0.2'

OUTCOME_TEXT = {
    'resized': 'resized + confirmed',
    'unchanged': 'unchanged (already on target)',
    'rolled_back': 'rolled back by the cloud',
    'reverted': 'reverted (health check failed)',
    'pending': 'left pending confirmation',
}


def say(text=''):
    print(text, flush=True)


def admin(info, method, path, body=None):
    """Call the emulator's admin API (no authentication)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(info['admin_url'] + path, data=data, method=method,
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


def servers_by_name(info):
    return {s['name']: s for s in admin(info, 'GET', '/servers')['servers']}


def start_emulator():
    """Start `ecs-emulator serve` in the background; return (process, ready-file dict)."""
    if os.path.exists(READY):
        os.unlink(READY)
    log = open(EMULATOR_LOG, 'w')
    proc = subprocess.Popen(
        [os.path.join(BIN, 'ecs-emulator'), 'serve', '--host', '127.0.0.1', '--port', '0',
         '--ready-file', READY, '--state', STATE, '--time-scale', TIME_SCALE],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)  # our Ctrl-C must not kill it before we stop it ourselves
    log.close()
    deadline = time.monotonic() + 30
    while not os.path.exists(READY):
        if proc.poll() is not None:
            raise RuntimeError('the emulator exited (%s); see %s' % (proc.returncode, EMULATOR_LOG))
        if time.monotonic() > deadline:
            raise RuntimeError('the emulator did not start within 30 s; see %s' % EMULATOR_LOG)
        time.sleep(0.05)
    with open(READY) as handle:
        return proc, json.load(handle)


def stop_process(proc, sig):
    """Send `sig`, give the process 10 s to end, then kill it."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop_emulator(proc):
    stop_process(proc, signal.SIGTERM)


def seed(info, scenario):
    """Add the demo's servers and mark its sold-out flavors (only what is missing: a rerun changes nothing)."""
    existing = servers_by_name(info)
    missing = [s for s in scenario['demo_seed']['servers'] if s['name'] not in existing]
    if missing:
        admin(info, 'POST', '/seed', {'servers': missing})
    for flavor in scenario['demo_seed'].get('sold_out', []):
        admin(info, 'POST', '/flavors/%s/sold_out' % flavor, {'sold_out': True})
    return bool(missing)


def free_port():
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def run_playbook(info, open_port, closed_port):
    extra_vars = {
        'demo_auth': {
            'auth_url': info['auth_url'],
            'username': info['username'],
            'password': info['password'],
            'user_domain_name': info['user_domain_name'],
            'project_name': info['project_name'],
        },
        'demo_region': info['region'],
        'demo_open_port': open_port,
        'demo_closed_port': closed_port,
        'demo_health_url': info['admin_url'] + '/info',
        'demo_report_file': REPORT,
    }
    # The password goes through a file only we can read, never on a command line or the screen.
    fd = os.open(EXTRA_VARS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as handle:
        json.dump(extra_vars, handle)
    env = dict(os.environ)
    env.setdefault('ANSIBLE_COLLECTIONS_PATH', os.path.join(REPO, '.cache', 'collections'))
    env.update({
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'PATH': BIN + os.pathsep + env.get('PATH', ''),
    })
    cmd = [os.path.join(BIN, 'ansible-playbook'), os.path.join(REPO, 'playbooks', 'demo.yml'),
           '-i', 'localhost,', '-c', 'local', '-e', '@' + EXTRA_VARS]
    proc = subprocess.Popen(cmd, env=env, cwd=REPO)
    try:
        return proc.wait()
    except BaseException:
        stop_playbook(proc)
        raise
    finally:
        os.unlink(EXTRA_VARS)


def descendants(pid):
    """Pids of every process below `pid` (Linux /proc; ansible's workers start sessions of their own)."""
    children = {}
    for entry in os.listdir('/proc') if os.path.isdir('/proc') else []:
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as handle:
                    children.setdefault(int(handle.read().rsplit(')', 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop_playbook(proc):
    """Interrupt ansible-playbook like Ctrl-C does, then make sure none of its workers is left behind."""
    workers = descendants(proc.pid)
    stop_process(proc, signal.SIGINT)
    for pid in workers:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def ensure_collection():
    """Outside `make demo`: make the collection importable as ecs_ops.compute, as `make collection` does."""
    if os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        return
    subprocess.run([os.path.join(REPO, 'scripts', 'collection-link')], check=True, stdout=subprocess.DEVNULL)


def table(rows):
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append('  '.join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append('  '.join('-' * w for w in widths))
    return '\n'.join(lines)


def summarize(scenario, before, after, report):
    """Print one line per server; return True when every server ended as expected."""
    by_server = {r['server']: r for r in report}
    rows = [('server', 'before', 'after', 'outcome', 'as expected')]
    all_ok = True
    for item in scenario['demo_servers']:
        name = item['server']
        expect = scenario['demo_expect'][name]
        was, now, rec = before.get(name, {}), after.get(name, {}), by_server.get(name)
        outcome = rec['outcome'] if rec else 'no result (see the play above)'
        ok = (rec is not None and outcome in expect['outcome']
              and now.get('flavor') == expect['flavor'] and now.get('status') == expect['status'])
        all_ok = all_ok and ok
        verdict = 'yes' if ok else 'NO (expected %s, %s %s)' % (
            ' or '.join(expect['outcome']), expect['flavor'], expect['status'])
        rows.append((name,
                     '%s %s' % (was.get('flavor', '?'), was.get('status', '?')),
                     '%s %s' % (now.get('flavor', '?'), now.get('status', '?')),
                     OUTCOME_TEXT.get(outcome, outcome),
                     verdict))
    say(table(rows))
    return all_ok


def main():
    # Stopped by SIGTERM (CI timeout, kill): unwind through `finally` so the emulator is stopped too.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    os.makedirs(CACHE, exist_ok=True)
    ensure_collection()
    with open(SCENARIO) as handle:
        scenario = yaml.safe_load(handle)
    new_state = not os.path.exists(STATE)
    proc = None
    listener = None
    try:
        proc, info = start_emulator()
        say('ecs-emulator running at %s (state: %s%s)' % (
            info['base_url'], os.path.relpath(STATE, REPO), ', new' if new_state else ', kept from the last run'))
        if seed(info, scenario):
            say('seeded: %s; sold out: %s' % (
                ', '.join(s['name'] for s in scenario['demo_seed']['servers']),
                ', '.join(scenario['demo_seed'].get('sold_out', []))))
        before = servers_by_name(info)
        # web-1's "service": a port that accepts connections while the play runs.
        listener = socket.socket()
        listener.bind(('127.0.0.1', 0))
        listener.listen(64)
        if os.path.exists(REPORT):
            os.unlink(REPORT)
        say('\nRunning playbooks/demo.yml: batch-1 (its flavor is sold out) and api-1 (its health check fails)'
            '\nare expected to fail below; the table at the end says whether everything went as expected.\n')
        rc = run_playbook(info, listener.getsockname()[1], free_port())
        after = servers_by_name(info)
        report = []
        if os.path.exists(REPORT):
            with open(REPORT) as handle:
                report = json.load(handle)
        say('\nWhat happened to each server:\n')
        ok = summarize(scenario, before, after, report)
        if rc != 0:
            say('\nansible-playbook exited with %s' % rc)
            ok = False
        if ok:
            say('\nEverything went as expected. Run `make demo` again: the resized servers stay as they are ("unchanged").'
                '\nStart over with `rm -rf .cache/demo`.')
        else:
            say('\nSomething did not go as expected (see above; the emulator log is %s).'
                % os.path.relpath(EMULATOR_LOG, REPO))
        return 0 if ok else 1
    except KeyboardInterrupt:
        say('\ninterrupted')
        return 130
    except Exception as exc:  # pylint: disable=broad-except
        say('demo failed: %s' % exc)
        return 1
    finally:
        if listener is not None:
            listener.close()
        stop_emulator(proc)


if __name__ == '__main__':
    sys.exit(main())
