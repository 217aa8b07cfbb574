# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's EXAMPLES run against the emulator, so that the documentation cannot rot.

The convention the examples follow (docs/releasing.md):
- They are written for a real cloud (Open Telekom Cloud values: auth URL, domain, region) and use
  server and flavor names of the emulator's default seed (web-1, web-2, db-1, app-1; s6.*, c7.*, m1.*),
  which are realistic OTC names.
- Connection options (cloud, auth, auth_type, region_name, compute_endpoint, ...) may appear in a task
  or in a block's module_defaults; the test removes them and gives the emulator's connection through
  play-level module_defaults for group/ecs_ops.compute.ecs instead.
- Tasks of other collections (a health check with ansible.builtin.uri, ...) are replaced by a debug
  task with the same name and conditions: they would talk to hosts that do not exist here.
- Each top-level example runs on a freshly reset emulator, for real (no check mode): an example that
  only makes sense after another one is written as one block.
- Every task of this collection in the examples must run and succeed (outcome `ok`): one skipped by its
  `when` (say, no flavor found to resize to) or failing under `ignore_errors` shows nothing, so it fails here.
- The targets of health_check (a module that talks to the servers' services, not to the cloud) are
  pointed at the emulator: a tcp target at its port, an http target at a URL of it that answers 200.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import copy
import os
import re

import pytest
import yaml

from ecs_emulator import seed

from helpers import REPO, connection_vars, run_playbook

MODULES_DIR = os.path.join(REPO, 'plugins', 'modules')
PREFIX = 'ecs_ops.compute.'
CONNECTION_OPTIONS = {'cloud', 'auth', 'auth_type', 'region_name', 'compute_endpoint', 'interface',
                      'validate_certs', 'ca_cert', 'cacert'}
TASK_BLOCKS = ('block', 'rescue', 'always')
# keywords kept when a task of another collection is replaced
KEPT_KEYWORDS = ('name', 'when', 'register', 'loop', 'loop_control', 'vars', 'tags', 'changed_when')


def module_names():
    return sorted(os.path.splitext(n)[0] for n in os.listdir(MODULES_DIR) if n.endswith('.py') and n != '__init__.py')


def examples_of(name):
    with open(os.path.join(MODULES_DIR, name + '.py')) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'EXAMPLES' for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError('%s has no EXAMPLES' % name)


def action_of(task):
    """(action name, its options) of a task, or (None, None) for a block."""
    for key, value in task.items():
        if key in TASK_BLOCKS:
            return None, None
        if key.startswith(PREFIX) or '.' in key or key in module_names():
            return key, value
    raise AssertionError('cannot find the action of %r' % task)


def is_ours(action):
    return action.startswith(PREFIX) or action in module_names()


def strip_connection(options):
    return dict((k, v) for k, v in (options or {}).items() if k not in CONNECTION_OPTIONS)


def adapt(task, seen):
    """The task as it runs against the emulator (see the module docstring)."""
    task = copy.deepcopy(task)
    defaults = task.get('module_defaults')
    if defaults:
        defaults = dict((k, strip_connection(v) if 'ecs_ops.compute' in k or k in module_names() else v)
                        for k, v in defaults.items())
        defaults = dict((k, v) for k, v in defaults.items() if v)
        if defaults:
            task['module_defaults'] = defaults
        else:
            del task['module_defaults']
    if any(key in task for key in TASK_BLOCKS):
        for key in TASK_BLOCKS:
            if key in task:
                task[key] = [adapt(t, seen) for t in task[key]]
        return task
    action, options = action_of(task)
    if not is_ours(action):
        kept = dict((k, v) for k, v in task.items() if k in KEPT_KEYWORDS)
        kept['ansible.builtin.debug'] = {'msg': 'example task %s not run against the emulator' % action}
        return kept
    task[action] = strip_connection(options)
    seen.append(task)
    return task


def point_at_the_emulator(options, info):
    """health_check's targets, aimed at the emulator instead of services that do not exist here."""
    host, port = info['base_url'].split('//', 1)[1].rsplit(':', 1)
    for target in options.get('targets') or []:
        if target.get('kind') == 'tcp':
            target.update(host=host, port=int(port))
        else:
            target.update(url=info['admin_url'] + '/info', status=[200])


def literal(value):
    return isinstance(value, str) and '{{' not in value


@pytest.mark.parametrize('module', module_names())
def test_examples_run_against_the_emulator(module, emu, tmp_path):
    examples = examples_of(module)
    assert isinstance(examples, list) and examples, '%s: EXAMPLES is not a task list' % module
    servers = {s[1] for s in seed.DEFAULT_SERVERS} | {s[0] for s in seed.DEFAULT_SERVERS}
    flavors = {f[0] for f in seed.ECS_FLAVORS} | {f[0] for f in seed.OPENSTACK_FLAVORS} | {f[1] for f in seed.OPENSTACK_FLAVORS}
    reset = {'name': 'Reset the emulator', 'ansible.builtin.uri': {
        'url': emu.info['admin_url'] + '/reset', 'method': 'POST', 'body_format': 'json', 'body': {'seed': 'default'}}}
    # resets restore the emulator's startup config; the examples need no realistic durations
    fast = {'name': 'Fast emulator', 'ansible.builtin.uri': {
        'url': emu.info['admin_url'] + '/config', 'method': 'POST', 'body_format': 'json', 'body': {'time_scale': 0.02}}}
    tasks, ours = [], []
    for example in examples:
        seen = []
        tasks += [reset, fast, adapt(example, seen)]
        ours += seen
        for task in seen:
            options = task[action_of(task)[0]]
            if action_of(task)[0] in ('health_check', PREFIX + 'health_check'):
                point_at_the_emulator(options, emu.info)
            if literal(options.get('server')):
                assert options['server'] in servers, '%s example %r: server %r is not in the emulator seed' % (
                    module, task.get('name'), options['server'])
            if literal(options.get('flavor')) and not re.match(r'^https?://', options['flavor']):
                assert options['flavor'] in flavors, '%s example %r: flavor %r is not in the emulator seed' % (
                    module, task.get('name'), options['flavor'])
    assert ours, '%s: no example uses the module' % module

    run = run_playbook(tmp_path, tasks=tasks,
                       module_defaults={'group/ecs_ops.compute.ecs': connection_vars(emu.info)})
    assert run.rc == 0, run
    for task in ours:
        name = task.get('name')
        assert name, '%s: every example task needs a name' % module
        assert run.outcome(name) == 'ok', '%s example %r: %s (every example task must run and succeed)\n%r' % (
            module, name, run.outcome(name), run)
