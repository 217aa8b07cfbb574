# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every way users keep credentials reaches the cloud: a no-op ecs_resize through ansible-playbook per auth path
(password, application credential, a token as it is or exchanged at Keystone, AK/SK, a temporary AK/SK with its
security token), and the clear error for a wrong secret, an expired token and missing variables."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess

import pytest
import requests
import yaml

from credentials_corpus import (
    DEMO_APPCRED_ID, DEMO_APPCRED_NAME, DEMO_APPCRED_SECRET, DEMO_SECURITY_TOKEN, DEMO_TEMP_AK, DEMO_TEMP_SK, demo_user,
)
from helpers import BIN, ansible_env, connection_vars, run_playbook

SERVER = 'web-1'
FLAVOR = 's6.medium.2'  # web-1 already runs on it: every run is a no-op


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No OS_*/HW_* variables of the machine running the tests leak into the playbooks."""
    for key in list(os.environ):
        if key.startswith(('OS_', 'HW_')):
            monkeypatch.delenv(key)


def resize_task(**connection):
    args = dict(server=SERVER, flavor=FLAVOR)
    args.update(connection)
    return [{'name': 'resize', 'ecs_ops.compute.ecs_resize': args}]


def assert_noop(run):
    result = run.task('resize')
    assert run.rc == 0, run
    assert result['changed'] is False, run
    assert run.outcome('resize') == 'ok'
    return result


def assert_fails(run, *fragments):
    assert run.rc != 0, run
    assert run.outcome('resize') == 'failed', run
    msg = run.task('resize')['msg']
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def password_env(info):
    return {
        'OS_AUTH_URL': info['auth_url'], 'OS_USERNAME': info['username'], 'OS_PASSWORD': info['password'],
        'OS_PROJECT_NAME': info['project_name'], 'OS_USER_DOMAIN_NAME': info['user_domain_name'], 'OS_REGION_NAME': info['region'],
    }


def aksk_env(info, secret_key=None):
    return {
        'HW_ACCESS_KEY': info['access_key'], 'HW_SECRET_KEY': secret_key or info['secret_key'],
        'HW_PROJECT_ID': info['project_id'], 'HW_REGION_NAME': info['region'],
        'OS_COMPUTE_ENDPOINT': info['base_url'] if 'base_url' in info else info['compute_url'],
    }


def new_token(info):
    body = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': info['username'], 'password': info['password'], 'domain': {'name': info['user_domain_name']}}}},
        'scope': {'project': {'id': info['project_id']}}}}
    answer = requests.post(info['auth_url'] + '/auth/tokens', json=body, timeout=10)
    answer.raise_for_status()
    return answer.headers['X-Subject-Token']


def request_log(info):
    answer = requests.get(info['admin_url'] + '/requests', timeout=10)
    answer.raise_for_status()
    return answer.json()['requests']


def clear_log(info):
    requests.delete(info['admin_url'] + '/requests', timeout=10).raise_for_status()


def compute_auth_kinds(info):
    """The auth kinds the compute/ECS API calls were made with, and whether a token was asked for."""
    log = request_log(info)
    kinds = set(r.get('auth') for r in log if r.get('path', '').startswith(('/v2', '/v1')))
    token_calls = [r for r in log if r.get('path', '').startswith('/v3/auth/tokens') and r.get('method') == 'POST']
    return kinds, len(token_calls)


def write_yaml(path, data):
    with open(str(path), 'w') as handle:
        yaml.safe_dump(data, handle)
    return str(path)


# ------------------------------------------------------------------ the auth paths

def test_password_via_options(tmp_path, emu):
    run = run_playbook(tmp_path, resize_task(**connection_vars(emu.info)))
    assert_noop(run)
    assert compute_auth_kinds(emu.info) == ({'token'}, 1)


def test_clouds_yaml_in_cwd_with_secure_yaml(tmp_path, emu):
    info = emu.info
    entry = connection_vars(info)
    password = entry['auth'].pop('password')
    write_yaml(tmp_path / 'clouds.yaml', {'clouds': {'emulator': dict(entry, interface='public')}})
    write_yaml(tmp_path / 'secure.yaml', {'clouds': {'emulator': {'auth': {'password': password}}}})
    run = run_playbook(tmp_path, resize_task(cloud='emulator'), cwd=str(tmp_path))
    assert_noop(run)


def test_clouds_yaml_from_os_client_config_file_and_os_cloud(tmp_path, emu):
    info = emu.info
    config = write_yaml(tmp_path / 'elsewhere.yaml', {'clouds': {
        'other': {'auth': {'auth_url': 'http://127.0.0.1:9/v3'}},
        'emulator': dict(connection_vars(info), auth_type='v3password'),
    }})
    run = run_playbook(tmp_path, resize_task(), env={'OS_CLIENT_CONFIG_FILE': config, 'OS_CLOUD': 'emulator'})
    assert_noop(run)


def test_environment_only(tmp_path, emu):
    run = run_playbook(tmp_path, resize_task(), env=password_env(emu.info))
    assert_noop(run)


def test_module_defaults_group_with_environment_fallback(tmp_path, emu):
    info = emu.info
    env = password_env(info)
    del env['OS_PASSWORD']
    run = run_playbook(tmp_path, resize_task(), env=env,
                       module_defaults={'group/ecs_ops.compute.ecs': {'auth': {'password': info['password']}}})
    assert_noop(run)


def test_token_and_compute_endpoint(tmp_path, emu):
    info = emu.info
    token = new_token(info)
    clear_log(info)
    run = run_playbook(tmp_path, resize_task(auth={'token': token}, compute_endpoint=info['compute_url']))
    assert_noop(run)
    assert compute_auth_kinds(info) == ({'token'}, 0)


def test_token_from_environment(tmp_path, emu):
    info = emu.info
    run = run_playbook(tmp_path, resize_task(), env={'OS_TOKEN': new_token(info), 'OS_COMPUTE_ENDPOINT': info['compute_url']})
    assert_noop(run)


def test_aksk_via_options(tmp_path, emu):
    info = emu.info
    clear_log(info)
    run = run_playbook(tmp_path, resize_task(
        auth_type='aksk', compute_endpoint=info['compute_url'], region_name=info['region'],
        auth={'access_key': info['access_key'], 'secret_key': info['secret_key'], 'project_id': info['project_id']}))
    assert_noop(run)
    assert compute_auth_kinds(info) == ({'aksk'}, 0)


def test_aksk_from_hw_environment_with_bare_endpoint(tmp_path, emu):
    info = emu.info
    clear_log(info)
    run = run_playbook(tmp_path, resize_task(), env=aksk_env(info))
    assert_noop(run)
    assert compute_auth_kinds(info) == ({'aksk'}, 0)


def test_aksk_from_clouds_yaml(tmp_path, emu):
    info = emu.info
    write_yaml(tmp_path / 'clouds.yaml', {'clouds': {'otc': {
        'auth_type': 'aksk', 'region_name': info['region'], 'compute_endpoint_override': info['compute_url'],
        'auth': {'ak': info['access_key'], 'sk': info['secret_key'], 'project_id': info['project_id']}}}})
    run = run_playbook(tmp_path, resize_task(cloud='otc'), cwd=str(tmp_path))
    assert_noop(run)


def issued_tokens(emu):
    return emu.emulator.store.list('token')


def test_application_credential_by_id_via_options(tmp_path, emu):
    info = emu.info
    emu.admin.seed(users=[demo_user(info)])
    clear_log(info)
    run = run_playbook(tmp_path, resize_task(auth_type='application_credential', region_name=info['region'], auth={
        'auth_url': info['auth_url'], 'application_credential_id': DEMO_APPCRED_ID,
        'application_credential_secret': DEMO_APPCRED_SECRET}))
    assert_noop(run)
    assert compute_auth_kinds(info) == ({'token'}, 1)
    assert [(t['methods'], t['application_credential']['id']) for t in issued_tokens(emu)] == [
        (['application_credential'], DEMO_APPCRED_ID)]
    assert DEMO_APPCRED_SECRET not in run.stdout + run.stderr


def test_application_credential_by_name_from_clouds_yaml_and_secure_yaml(tmp_path, emu):
    info = emu.info
    emu.admin.seed(users=[demo_user(info)])
    write_yaml(tmp_path / 'clouds.yaml', {'clouds': {'emulator': {'auth_type': 'v3applicationcredential', 'auth': {
        'auth_url': info['auth_url'], 'application_credential_name': DEMO_APPCRED_NAME, 'username': info['username'],
        'user_domain_name': info['user_domain_name']}}}})
    write_yaml(tmp_path / 'secure.yaml', {'clouds': {'emulator': {'auth': {'application_credential_secret': DEMO_APPCRED_SECRET}}}})
    run = run_playbook(tmp_path, [{'name': 'info', 'ecs_ops.compute.ecs_server_info': {'server': SERVER}}],
                       env={'OS_CLOUD': 'emulator'}, cwd=str(tmp_path))
    assert run.rc == 0, run
    assert run.outcome('info') == 'ok' and run.task('info')['servers'][0]['name'] == SERVER
    assert [t['application_credential']['name'] for t in issued_tokens(emu)] == [DEMO_APPCRED_NAME]


def test_token_exchanged_at_keystone_for_the_project(tmp_path, emu):
    """auth_type token with auth_url and a project, as openstacksdk: a new token scoped to the project, the catalog's
    compute endpoint (no compute_endpoint given)."""
    info = emu.info
    token = new_token(info)
    clear_log(info)
    run = run_playbook(tmp_path, resize_task(auth_type='token', region_name=info['region'], auth={
        'auth_url': info['auth_url'], 'token': token, 'project_name': info['project_name'],
        'project_domain_name': info['project_domain_name']}))
    assert_noop(run)
    assert compute_auth_kinds(info) == ({'token'}, 1)
    exchanged = [t for t in issued_tokens(emu) if t['id'] != token]
    assert [(t['methods'], t['project']['id']) for t in exchanged] == [(['token', 'password'], info['project_id'])]
    assert token not in run.stdout + run.stderr and exchanged[0]['id'] not in run.stdout + run.stderr


def test_temporary_aksk_with_security_token_from_environment(tmp_path, emu):
    info = emu.info
    emu.admin.seed(users=[demo_user(info)])
    clear_log(info)
    env = dict(aksk_env(info), HW_ACCESS_KEY=DEMO_TEMP_AK, HW_SECRET_KEY=DEMO_TEMP_SK, HW_SECURITY_TOKEN=DEMO_SECURITY_TOKEN)
    run = run_playbook(tmp_path, resize_task(), env=env)
    assert_noop(run)
    assert compute_auth_kinds(info) == ({'aksk'}, 0)
    assert DEMO_SECURITY_TOKEN not in run.stdout + run.stderr


# ------------------------------------------------------------------ the clear errors

def test_temporary_aksk_without_its_security_token(tmp_path, emu):
    emu.admin.seed(users=[demo_user(emu.info)])
    env = dict(aksk_env(emu.info), HW_ACCESS_KEY=DEMO_TEMP_AK, HW_SECRET_KEY=DEMO_TEMP_SK)
    msg = assert_fails(run_playbook(tmp_path, resize_task(), env=env), '401', 'X-Security-Token is missing', 'security_token')
    assert DEMO_TEMP_SK not in msg


def test_wrong_application_credential_secret(tmp_path, emu):
    info = emu.info
    emu.admin.seed(users=[demo_user(info)])
    run = run_playbook(tmp_path, resize_task(auth_type='application_credential', auth={
        'auth_url': info['auth_url'], 'application_credential_id': DEMO_APPCRED_ID, 'application_credential_secret': 'wrong-Secret-99'}))
    msg = assert_fails(run, 'authentication at %s failed: check application_credential_id' % info['auth_url'], '401')
    assert 'wrong-Secret-99' not in run.stdout + run.stderr


def test_application_credential_with_a_project_is_refused_before_any_request(tmp_path, emu):
    info = emu.info
    clear_log(info)
    run = run_playbook(tmp_path, resize_task(auth_type='application_credential', auth={
        'auth_url': info['auth_url'], 'application_credential_id': DEMO_APPCRED_ID,
        'application_credential_secret': DEMO_APPCRED_SECRET, 'project_name': info['project_name']}))
    assert assert_fails(run) == ("auth.project_name (from option) cannot be used with an application credential: its token is "
                                 "scoped to the credential's project, and Keystone refuses a scope with it; remove it")
    assert request_log(info) == []


def test_wrong_secret_key(tmp_path, emu):
    wrong = 'not-the-secret-key-of-this-user-000000000'
    run = run_playbook(tmp_path, resize_task(), env=aksk_env(emu.info, secret_key=wrong))
    msg = assert_fails(run, '401')
    assert wrong not in run.stdout + run.stderr + msg


def test_expired_token(tmp_path, emu):
    info = emu.info
    token = new_token(info)
    requests.post(info['admin_url'] + '/tokens/expire', timeout=10).raise_for_status()
    run = run_playbook(tmp_path, resize_task(auth={'token': token}, compute_endpoint=info['compute_url']))
    assert_fails(run, '401')
    assert token not in run.stdout + run.stderr


def test_wrong_password(tmp_path, emu):
    env = password_env(emu.info)
    env['OS_PASSWORD'] = 'wrong-password-xyz'
    run = run_playbook(tmp_path, resize_task(), env=env)
    assert_fails(run, '401')
    assert 'wrong-password-xyz' not in run.stdout + run.stderr


def test_nothing_set(tmp_path, emu):
    run = run_playbook(tmp_path, resize_task())
    msg = assert_fails(run)
    assert msg.startswith('no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL; no username: '), msg


@pytest.mark.parametrize('drop, expected', [
    ('OS_AUTH_URL', 'no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL (auth_type password, chosen by env:OS_PASSWORD)'),
    ('OS_PROJECT_NAME', 'no project: set auth.project_id or auth.project_name, cloud, or OS_PROJECT_ID/OS_PROJECT_NAME '
                        '(auth_type password, chosen by env:OS_PASSWORD)'),
])
def test_missing_password_variable(tmp_path, emu, drop, expected):
    env = password_env(emu.info)
    del env[drop]
    assert assert_fails(run_playbook(tmp_path, resize_task(), env=env)) == expected


def test_missing_aksk_variable(tmp_path, emu):
    env = aksk_env(emu.info)
    del env['HW_PROJECT_ID']
    msg = assert_fails(run_playbook(tmp_path, resize_task(), env=env))
    assert msg == 'no project_id: set auth.project_id, cloud, OS_PROJECT_ID, or HW_PROJECT_ID (auth_type aksk, chosen by env:HW_ACCESS_KEY)'
    assert emu.info['secret_key'] not in msg


def test_unknown_cloud(tmp_path, emu):
    write_yaml(tmp_path / 'clouds.yaml', {'clouds': {'emulator': connection_vars(emu.info)}})
    msg = assert_fails(run_playbook(tmp_path, resize_task(cloud='emulatr'), cwd=str(tmp_path)))
    assert msg == "cloud 'emulatr' (from option) not found in %s (clouds there: emulator)" % (tmp_path / 'clouds.yaml'), msg


def test_a_user_name_needs_its_domain(tmp_path, emu):
    """No silent fallback to the domain "Default" (which never exists on OTC): a clear error instead of a 401."""
    env = password_env(emu.info)
    del env['OS_USER_DOMAIN_NAME']
    msg = assert_fails(run_playbook(tmp_path, resize_task(), env=env))
    assert msg.startswith("no domain for user 'demo': set auth.user_domain_name (on OTC your account name, OTC000...)"), msg


def test_named_cloud_ignores_the_environment(tmp_path, emu):
    """As in openstacksdk: OS_* variables make a cloud of their own, which a cloud chosen by name does not mix in."""
    write_yaml(tmp_path / 'clouds.yaml', {'clouds': {'emulator': connection_vars(emu.info)}})
    env = {'OS_PASSWORD': 'wrong-password-xyz', 'OS_USERNAME': 'nobody', 'OS_DOMAIN_NAME': 'NoSuchDomain'}
    run = run_playbook(tmp_path, resize_task(cloud='emulator'), env=env, cwd=str(tmp_path))
    assert_noop(run)


# ------------------------------------------------------------------ ad hoc

def test_ad_hoc_with_environment_only(tmp_path, emu):
    env = ansible_env(password_env(emu.info))
    env.pop('ANSIBLE_CALLBACKS_ENABLED', None)
    cmd = [os.path.join(BIN, 'ansible'), 'localhost', '-m', 'ecs_ops.compute.ecs_resize', '-a', 'server=%s flavor=%s' % (SERVER, FLAVOR)]
    proc = subprocess.run(cmd, env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'localhost | SUCCESS' in proc.stdout, proc.stdout
    assert '"changed": false' in proc.stdout, proc.stdout


def test_ad_hoc_with_os_domain_name_for_an_account_user(tmp_path, emu):
    """OS_DOMAIN_NAME fills the user's and the project's domain (openstacksdk's domain_name), for a user of an
    OTC-like account domain: the resize happens in that account's project."""
    from credentials_corpus import OTC_DOMAIN, OTC_PASSWORD, OTC_PROJECT, OTC_PROJECT_ID, OTC_USER, OTC_USER_ID, USERS
    emu.admin.seed(users=USERS, servers=[{'name': 'otc-web-1', 'flavor': 's6.medium.2', 'status': 'ACTIVE',
                                          'project_id': OTC_PROJECT_ID}])
    env = ansible_env({'OS_AUTH_URL': emu.info['auth_url'], 'OS_USERNAME': OTC_USER, 'OS_PASSWORD': OTC_PASSWORD,
                       'OS_PROJECT_NAME': OTC_PROJECT, 'OS_DOMAIN_NAME': OTC_DOMAIN})
    env.pop('ANSIBLE_CALLBACKS_ENABLED', None)
    cmd = [os.path.join(BIN, 'ansible'), 'localhost', '-m', 'ecs_ops.compute.ecs_resize', '-a', 'server=otc-web-1 flavor=s6.large.2']
    proc = subprocess.run(cmd, env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'localhost | CHANGED' in proc.stdout, proc.stdout
    assert OTC_PASSWORD not in proc.stdout + proc.stderr
    tokens = set((d['user_id'], d['domain_name'], d['project']['id']) for d in emu.emulator.store.list('token'))
    assert tokens == {(OTC_USER_ID, OTC_DOMAIN, OTC_PROJECT_ID)}, tokens
