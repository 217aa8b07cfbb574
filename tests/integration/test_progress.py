# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress while a module waits: each new phase of a server shown from -v on while the task runs, in
ansible-playbook's output and as job events of an ansible-runner (AWX) job."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os
import re
import subprocess
import sys
from datetime import datetime

import yaml

from helpers import BIN, COLLECTIONS, connection_vars, run_playbook

PHASE_LINE = re.compile(r'^(web-1): ([A-Z_]+(?:/[a-z_-]+)?), (\d+) s$')


def resize_task(info, name='Resize web-1', **args):
    return {'name': name, 'ecs_ops.compute.ecs_resize_batch': dict(connection_vars(info), flavor='s6.large.2',
                                                                   servers=[{'server': 'web-1'}], **args)}


def phase_lines(text):
    return [m.groups() for m in (PHASE_LINE.match(line.strip()) for line in text.splitlines()) if m]


def test_phase_lines_at_v_and_none_at_the_default_verbosity(emu, tmp_path):
    emu.admin.config(durations={'resize_migrating': 30.0})  # ~3 s at the tests' time scale
    quiet = run_playbook(tmp_path, tasks=[resize_task(emu.info)])
    assert quiet.rc == 0, quiet
    assert phase_lines(quiet.stdout) == [], quiet.stdout

    emu.admin.reset(seed='default')
    emu.admin.config(time_scale=0.1, durations={'resize_migrating': 30.0})
    verbose = run_playbook(tmp_path, tasks=[resize_task(emu.info)], args=['-v'])
    assert verbose.rc == 0, verbose
    phases = [phase for _server, phase, _elapsed in phase_lines(verbose.stdout)]
    # what the server showed, in order, each phase once, from the start to the end of the resize
    assert phases[0] == 'ACTIVE' and phases[-1] == 'ACTIVE', phases
    assert 'RESIZE/resize_migrating' in phases and 'VERIFY_RESIZE' in phases, phases
    assert phases.index('RESIZE/resize_migrating') < phases.index('VERIFY_RESIZE')
    assert all(a != b for a, b in zip(phases, phases[1:])), phases
    elapsed = [int(e) for _server, _phase, e in phase_lines(verbose.stdout)]
    assert elapsed == sorted(elapsed) and elapsed[-1] >= 3, elapsed
    # shown before the task's result
    assert verbose.stdout.index('web-1: RESIZE/resize_migrating') < verbose.stdout.index('changed: [localhost]')


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))


def created(event):
    return datetime.fromisoformat(event['created'])


def test_ansible_runner_job_gets_the_progress_lines_as_events_while_the_task_runs(emu, tmp_path):
    """An AWX job shows the phases of a 20 s resize as they happen, not when the task ends."""
    emu.admin.config(durations={'resize_migrating': 180.0})  # 18 s at the tests' time scale
    pdd = str(tmp_path / 'pdd')
    write(os.path.join(pdd, 'project', 'resize.yml'),
          [{'name': 'Resize through AWX', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [resize_task(emu.info)]}])
    write(os.path.join(pdd, 'inventory', 'hosts'), 'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    write(os.path.join(pdd, 'env', 'envvars'), {'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS, 'ANSIBLE_NOCOLOR': '1',
                                                'ANSIBLE_LOCALHOST_WARNING': 'false'})
    write(os.path.join(pdd, 'env', 'settings'), {'job_timeout': 300, 'suppress_ansible_output': True})
    write(os.path.join(pdd, 'env', 'cmdline'), '-v')
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    env.pop('ANSIBLE_COLLECTIONS_PATH', None)
    proc = subprocess.run([os.path.join(BIN, 'ansible-runner'), 'run', pdd, '-p', 'resize.yml', '--ident', 'job1'],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    artifacts = os.path.join(pdd, 'artifacts', 'job1')
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    events = []
    for path in glob.glob(os.path.join(artifacts, 'job_events', '*.json')):
        with open(path) as handle:
            events.append(json.load(handle))
    events.sort(key=lambda e: e['counter'])
    task = [e for e in events if e['event'] in ('runner_on_start', 'runner_on_ok') and e['event_data'].get('task') == 'Resize web-1']
    assert [e['event'] for e in task] == ['runner_on_start', 'runner_on_ok'], [e['event'] for e in events]
    start, end = task
    progress = [e for e in events if e['event'] == 'verbose' and phase_lines(e.get('stdout', ''))]
    phases = [phase_lines(e['stdout'])[0][1] for e in progress]
    assert 'RESIZE/resize_migrating' in phases and 'VERIFY_RESIZE' in phases, phases
    # every progress event came between the start and the end of the task...
    assert all(start['counter'] < e['counter'] < end['counter'] for e in progress), [(e['counter'], e['stdout']) for e in progress]
    # ...and when it happened: the disk copy was reported at least 10 s before the task ended, the end of it later
    migrating = progress[phases.index('RESIZE/resize_migrating')]
    verify = progress[phases.index('VERIFY_RESIZE')]
    assert (created(end) - created(migrating)).total_seconds() > 10, (migrating['created'], end['created'])
    assert (created(verify) - created(migrating)).total_seconds() > 10, (migrating['created'], verify['created'])
