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
    proc = subprocess.run(cmd, env=run_env, cwd=cwd or tmp_path, capture_output=True, text=True, timeout=timeout)
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
