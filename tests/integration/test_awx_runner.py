# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX path: a job run through ansible-runner with a private data directory, the way an AWX
job template runs, credentials injected the way AWX's OpenStack credential type does it
(a clouds.yaml named by OS_CLIENT_CONFIG_FILE, cloud "devstack"); assertions on the job events."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os
import subprocess
import sys

import yaml

from helpers import BIN, COLLECTIONS

# What the AWX job template would run (the project's playbook); the credential is not in it.
PLAYBOOK = [{
    'name': 'Resize through AWX',
    'hosts': 'localhost',
    'gather_facts': False,
    'module_defaults': {'group/ecs_ops.compute.ecs': {'cloud': 'devstack'}},
    'tasks': [
        {'name': 'Resize web-1', 'ecs_ops.compute.ecs_resize': {'server': 'web-1', 'flavor': 's6.large.2'},
         'register': 'resized'},
        {'name': 'Report', 'ansible.builtin.debug': {'msg': '{{ resized.server.name }} is on {{ resized.flavor.name }}'}},
    ],
}]


def write(path, data, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    os.chmod(path, mode)


def private_data_dir(tmp_path, info):
    pdd = str(tmp_path / 'pdd')
    # AWX's OpenStack credential: a clouds.yaml in the job's private dir, OS_CLIENT_CONFIG_FILE names it.
    clouds = os.path.join(pdd, 'env', 'clouds.yaml')
    write(clouds, {'clouds': {'devstack': {
        'auth': {'auth_url': info['auth_url'], 'username': info['username'], 'password': info['password'],
                 'user_domain_name': info['user_domain_name'], 'project_name': info['project_name']},
        'region_name': info['region'],
    }}})
    write(os.path.join(pdd, 'project', 'resize.yml'), PLAYBOOK, mode=0o644)
    write(os.path.join(pdd, 'inventory', 'hosts'),
          'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    write(os.path.join(pdd, 'env', 'envvars'), {
        'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS,
        'OS_CLIENT_CONFIG_FILE': clouds,
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
    })
    write(os.path.join(pdd, 'env', 'settings'), {'job_timeout': 300, 'suppress_ansible_output': True})
    return pdd


def job_events(artifacts):
    events = []
    for path in sorted(glob.glob(os.path.join(artifacts, 'job_events', '*.json'))):
        with open(path) as handle:
            events.append(json.load(handle))
    return sorted(events, key=lambda e: e.get('counter', 0))


def test_awx_style_run_reports_change_and_leaks_no_secret(emu, tmp_path):
    info = emu.info
    pdd = private_data_dir(tmp_path, info)
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    env.pop('ANSIBLE_COLLECTIONS_PATH', None)  # the job gets it from env/envvars, as in AWX
    proc = subprocess.run([os.path.join(BIN, 'ansible-runner'), 'run', pdd, '-p', 'resize.yml', '--ident', 'job1'],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    artifacts = os.path.join(pdd, 'artifacts', 'job1')
    with open(os.path.join(artifacts, 'stdout')) as handle:
        stdout = handle.read()
    assert proc.returncode == 0, (proc.stdout, proc.stderr, stdout)
    with open(os.path.join(artifacts, 'status')) as handle:
        assert handle.read().strip() == 'successful'

    events = job_events(artifacts)
    assert events, 'no job events in %s' % artifacts
    resize = [e for e in events if e['event'].startswith('runner_on_')
              and e.get('event_data', {}).get('task') == 'Resize web-1']
    assert [e['event'] for e in resize] == ['runner_on_start', 'runner_on_ok'], [e['event'] for e in resize]
    result = resize[-1]['event_data']['res']
    assert result['changed'] is True
    assert result['flavor']['name'] == 's6.large.2'
    assert resize[-1]['event_data']['resolved_action'] == 'ecs_ops.compute.ecs_resize'
    stats = [e for e in events if e['event'] == 'playbook_on_stats'][-1]['event_data']
    assert stats['changed'] == {'localhost': 1} and not stats['failures']

    # No secret in any event, nor in stdout: the password, the AK/SK secret, any token issued.
    secrets = {info['password'], info['secret_key']}
    secrets |= {doc['id'] for doc in emu.emulator.store.list('token')}
    assert len(secrets) > 2, 'the run should have obtained a token'
    texts = {'stdout': stdout}
    texts.update(('event %s (%s)' % (e['counter'], e['event']), json.dumps(e)) for e in events)
    leaks = [(where, secret[:6] + '...') for where, text in texts.items() for secret in secrets if secret in text]
    assert not leaks, leaks
