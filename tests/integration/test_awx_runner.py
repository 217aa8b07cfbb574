# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX path: a job run through ansible-runner with a private data directory, the way an AWX job
template runs, the credential injected exactly as AWX injects it (awx_injection.py):

- AWX's built-in OpenStack credential: its clouds.yaml (cloud "devstack", `domain_name`, never
  `user_domain_name`) named by OS_CLIENT_CONFIG_FILE, for a user of an OTC-like account domain
  (never "Default"), with `cloud: devstack` in the playbook and without it;
- the same user through OS_* variables with OS_DOMAIN_NAME;
- the custom credential types shipped in extensions/awx/ (password + region, AK/SK, a temporary AK/SK with
  its security token), rendered from their YAML as AWX renders them.
Assertions on the job events and on the emulator (the job worked in the account's project, as its user).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os
import subprocess
import sys

import pytest
import yaml

from awx_injection import inject_custom, inject_openstack
from credentials_corpus import (
    OTC_AK, OTC_DOMAIN, OTC_PASSWORD, OTC_PROJECT, OTC_PROJECT_ID, OTC_SECURITY_TOKEN, OTC_SK, OTC_TEMP_AK, OTC_TEMP_SK, OTC_USER,
    OTC_USER_ID, USERS,
)
from helpers import BIN, COLLECTIONS, REPO

CREDENTIAL_TYPES = os.path.join(REPO, 'extensions', 'awx', 'credential_types')
SERVER = 'otc-web-1'  # a server of the account's project only: the job can only see it as that project


def playbook(cloud=None):
    """What the AWX job template runs (the project's playbook); the credential is not in it."""
    play = {
        'name': 'Resize through AWX',
        'hosts': 'localhost',
        'gather_facts': False,
        'tasks': [
            {'name': 'Resize %s' % SERVER, 'ecs_ops.compute.ecs_resize': {'server': SERVER, 'flavor': 's6.large.2'},
             'register': 'resized'},
            {'name': 'Report', 'ansible.builtin.debug': {'msg': '{{ resized.server.name }} is on {{ resized.flavor.name }}'}},
        ],
    }
    if cloud:
        play['module_defaults'] = {'group/ecs_ops.compute.ecs': {'cloud': cloud}}
    return [play]


def write(path, data, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    os.chmod(path, mode)


def seed_account(emu):
    emu.admin.seed(users=USERS, servers=[{'name': SERVER, 'flavor': 's6.medium.2', 'status': 'ACTIVE', 'project_id': OTC_PROJECT_ID}])


def run_job(tmp_path, credential_env, cloud=None, extra_args=()):
    """ansible-runner run on a private data directory laid out as AWX lays it out; the job's events and stdout."""
    pdd = str(tmp_path / 'pdd')
    write(os.path.join(pdd, 'project', 'resize.yml'), playbook(cloud), mode=0o644)
    write(os.path.join(pdd, 'inventory', 'hosts'),
          'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    envvars = {'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCALHOST_WARNING': 'false'}
    envvars.update(credential_env)
    write(os.path.join(pdd, 'env', 'envvars'), envvars)
    write(os.path.join(pdd, 'env', 'settings'), {'job_timeout': 300, 'suppress_ansible_output': True})
    if extra_args:
        write(os.path.join(pdd, 'env', 'cmdline'), ' '.join(extra_args))
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'HW_')))
    env['PATH'] = BIN + os.pathsep + os.environ.get('PATH', '')
    env.pop('ANSIBLE_COLLECTIONS_PATH', None)  # the job gets it from env/envvars, as in AWX
    proc = subprocess.run([os.path.join(BIN, 'ansible-runner'), 'run', pdd, '-p', 'resize.yml', '--ident', 'job1'],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    artifacts = os.path.join(pdd, 'artifacts', 'job1')
    with open(os.path.join(artifacts, 'stdout')) as handle:
        stdout = handle.read()
    with open(os.path.join(artifacts, 'status')) as handle:
        status = handle.read().strip()
    events = []
    for path in sorted(glob.glob(os.path.join(artifacts, 'job_events', '*.json'))):
        with open(path) as handle:
            events.append(json.load(handle))
    events.sort(key=lambda e: e.get('counter', 0))
    return Job(proc, status, stdout, events)


class Job(object):
    def __init__(self, proc, status, stdout, events):
        self.proc, self.status, self.stdout, self.events = proc, status, stdout, events

    def resize_events(self):
        return [e for e in self.events if e['event'].startswith('runner_on_')
                and e.get('event_data', {}).get('task') == 'Resize %s' % SERVER]

    def failure(self):
        failed = [e for e in self.resize_events() if e['event'] == 'runner_on_failed']
        return failed[-1]['event_data']['res'].get('msg') if failed else None

    def __repr__(self):
        return 'Job(%s, rc=%s)\n%s\n%s' % (self.status, self.proc.returncode, self.stdout[-3000:], self.proc.stderr[-2000:])


def assert_resized(job, emu, secrets):
    assert job.proc.returncode == 0 and job.status == 'successful', job
    resize = job.resize_events()
    assert [e['event'] for e in resize] == ['runner_on_start', 'runner_on_ok'], [e['event'] for e in resize]
    result = resize[-1]['event_data']['res']
    assert result['changed'] is True
    assert (result['server']['name'], result['flavor']['name']) == (SERVER, 's6.large.2')
    assert resize[-1]['event_data']['resolved_action'] == 'ecs_ops.compute.ecs_resize'
    stats = [e for e in job.events if e['event'] == 'playbook_on_stats'][-1]['event_data']
    assert stats['changed'] == {'localhost': 1} and not stats['failures']
    # No secret in any event, nor in stdout: the credential's secrets, any token issued.
    secrets = set(s for s in secrets if s)
    secrets |= set(doc['id'] for doc in emu.emulator.store.list('token'))
    texts = {'stdout': job.stdout}
    texts.update(('event %s (%s)' % (e['counter'], e['event']), json.dumps(e)) for e in job.events)
    leaks = [(where, secret[:6] + '...') for where, text in texts.items() for secret in secrets if secret in text]
    assert not leaks, leaks


def tokens_of(emu):
    return [(doc['user_id'], doc['domain_name'], (doc.get('project') or {}).get('id')) for doc in emu.emulator.store.list('token')]


# ------------------------------------------------------------------ AWX's built-in OpenStack credential

AWX_OPENSTACK_INPUTS = {'username': OTC_USER, 'password': OTC_PASSWORD, 'project': OTC_PROJECT, 'domain': OTC_DOMAIN}


@pytest.mark.parametrize('extra_inputs, cloud', [
    ({}, 'devstack'),                                                   # the injector's minimum: domain_name only
    ({'project_domain_name': OTC_DOMAIN, 'region': 'eu-de', 'verify_ssl': False}, 'devstack'),
    ({'region': 'eu-de'}, None),                                         # no cloud option: the only cloud of the file
])
def test_builtin_openstack_credential_account_domain(tmp_path, emu, extra_inputs, cloud):
    seed_account(emu)
    inputs = dict(AWX_OPENSTACK_INPUTS, host=emu.info['auth_url'], **extra_inputs)
    env, path = inject_openstack(inputs, str(tmp_path / 'pdd'))
    with open(path) as handle:
        injected = yaml.safe_load(handle)
    auth = injected['clouds']['devstack']['auth']
    assert 'user_domain_name' not in auth and auth['domain_name'] == OTC_DOMAIN  # what AWX writes, the cause of the 401s
    job = run_job(tmp_path, env, cloud=cloud)
    assert_resized(job, emu, [OTC_PASSWORD])
    assert set(tokens_of(emu)) == {(OTC_USER_ID, OTC_DOMAIN, OTC_PROJECT_ID)}


def test_os_domain_name_in_the_environment(tmp_path, emu):
    seed_account(emu)
    env = {'OS_AUTH_URL': emu.info['auth_url'], 'OS_USERNAME': OTC_USER, 'OS_PASSWORD': OTC_PASSWORD,
           'OS_PROJECT_NAME': OTC_PROJECT, 'OS_DOMAIN_NAME': OTC_DOMAIN, 'OS_REGION_NAME': 'eu-de'}
    job = run_job(tmp_path, env)
    assert_resized(job, emu, [OTC_PASSWORD])
    assert set(tokens_of(emu)) == {(OTC_USER_ID, OTC_DOMAIN, OTC_PROJECT_ID)}


# ------------------------------------------------------------------ the custom credential types of extensions/awx

def credential_type(name):
    with open(os.path.join(CREDENTIAL_TYPES, name)) as handle:
        return yaml.safe_load(handle)


def test_custom_type_otc_password(tmp_path, emu):
    seed_account(emu)
    ctype = credential_type('otc_password.yml')
    assert ctype['kind'] == 'cloud' and set(ctype) >= {'inputs', 'injectors'}
    inputs = {'auth_url': emu.info['auth_url'], 'username': OTC_USER, 'password': OTC_PASSWORD, 'domain': OTC_DOMAIN,
              'project_name': OTC_PROJECT, 'region': 'eu-de'}
    env, args = inject_custom(ctype, inputs, str(tmp_path / 'pdd'))
    assert env['OS_CLOUD'] == 'otc' and os.path.isfile(env['OS_CLIENT_CONFIG_FILE'])
    with open(env['OS_CLIENT_CONFIG_FILE']) as handle:
        cloud = yaml.safe_load(handle)['clouds']['otc']
    assert cloud['verify'] is True  # insecure left out: AWX makes it false, so TLS is verified
    job = run_job(tmp_path, env, extra_args=args)
    assert_resized(job, emu, [OTC_PASSWORD])
    assert set(tokens_of(emu)) == {(OTC_USER_ID, OTC_DOMAIN, OTC_PROJECT_ID)}


def test_custom_type_otc_password_quotes_any_password(tmp_path, emu):
    password = 'p@ss: "word" # {{ not jinja }} \\ end'
    emu.admin.seed(users=[dict(USERS[0], password=password)],
                   servers=[{'name': SERVER, 'flavor': 's6.medium.2', 'status': 'ACTIVE', 'project_id': OTC_PROJECT_ID}])
    inputs = {'auth_url': emu.info['auth_url'], 'username': OTC_USER, 'password': password, 'domain': OTC_DOMAIN,
              'project_name': OTC_PROJECT, 'region': 'eu-de', 'insecure': True}
    env, args = inject_custom(credential_type('otc_password.yml'), inputs, str(tmp_path / 'pdd'))
    with open(env['OS_CLIENT_CONFIG_FILE']) as handle:
        cloud = yaml.safe_load(handle)['clouds']['otc']
    assert (cloud['auth']['password'], cloud['verify']) == (password, False)
    job = run_job(tmp_path, env, extra_args=args)
    assert_resized(job, emu, [password])


def aksk_inputs(emu, **extra):
    inputs = {'access_key': OTC_AK, 'secret_key': OTC_SK, 'project_id': OTC_PROJECT_ID, 'region': 'eu-de',
              'compute_endpoint': emu.info['base_url']}
    inputs.update(extra)
    return inputs


def test_custom_type_otc_aksk(tmp_path, emu):
    seed_account(emu)
    env, args = inject_custom(credential_type('otc_aksk.yml'), aksk_inputs(emu), str(tmp_path / 'pdd'))
    assert (env['HW_ACCESS_KEY'], env['HW_SECURITY_TOKEN'], env['HW_CLOUD_DOMAIN']) == (OTC_AK, '', 'otc.t-systems.com')
    emu.admin.clear_requests()
    job = run_job(tmp_path, env, extra_args=args)
    assert_resized(job, emu, [OTC_SK])
    compute = [r for r in emu.admin.requests() if r.get('path', '').startswith('/v2')]
    assert compute and set(r.get('auth') for r in compute) == {'aksk'}, compute
    assert not tokens_of(emu)


def test_custom_type_otc_aksk_with_security_token(tmp_path, emu):
    """A temporary access key: the emulator refuses its requests unless X-Security-Token carries its token, signed."""
    seed_account(emu)
    inputs = aksk_inputs(emu, access_key=OTC_TEMP_AK, secret_key=OTC_TEMP_SK, security_token=OTC_SECURITY_TOKEN)
    env, args = inject_custom(credential_type('otc_aksk.yml'), inputs, str(tmp_path / 'pdd'))
    assert env['HW_SECURITY_TOKEN'] == OTC_SECURITY_TOKEN
    emu.admin.clear_requests()
    job = run_job(tmp_path, env, extra_args=args)
    assert_resized(job, emu, [OTC_TEMP_SK, OTC_SECURITY_TOKEN])
    compute = [r for r in emu.admin.requests() if r.get('path', '').startswith('/v2')]
    assert compute and set(r.get('auth') for r in compute) == {'aksk'}, compute
    assert not tokens_of(emu)
