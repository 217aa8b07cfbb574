# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input and malformed cloud answers: one clear sentence, never a traceback, the server left as it was."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from helpers import connection_vars, count_actions, flavor_id, run_playbook

CLEAN_ENV = dict((name, '') for name in (
    'OS_CLOUD', 'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_ID', 'OS_PROJECT_NAME', 'OS_TOKEN',
    'OS_ACCESS_KEY', 'OS_SECRET_KEY', 'HW_ACCESS_KEY', 'HW_SECRET_KEY', 'OS_CLIENT_CONFIG_FILE'))


def check_one_sentence(run, name):
    assert run.outcome(name) in ('ignored', 'failed'), (name, run.task(name))
    message = run.task(name)['msg']
    assert message and 'Traceback' not in message and '\n' not in message.strip(), (name, message)
    assert 'unexpected error' not in message, (name, message)
    return message


# (task name, module options over the defaults, words the message must contain)
BAD_OPTIONS = [
    ('server is a list', {'server': ['web-1']}, ['server']),
    ('server is empty', {'server': ''}, ['server']),
    ('flavor is empty', {'flavor': ''}, ['flavor']),
    ('flavor is a dict', {'flavor': {'id': 'x'}}, ['flavor']),
    ('state unknown', {'state': 'gone'}, ['state']),
    ('confirm not a bool', {'confirm': 'maybe'}, ['confirm']),
    ('timeout not a number', {'timeout': 'soon'}, ['timeout']),
    ('timeout zero', {'timeout': 0}, ['timeout']),
    ('timeout negative', {'timeout': -5}, ['timeout']),
    ('api_timeout negative', {'api_timeout': -1}, ['api_timeout']),
    ('unknown option', {'colour': 'blue'}, ['colour']),
    # ansible-core's own message for a dict option that is not one does not name the option
    ('auth not a dict', {'auth': 'user:pass'}, ['dictionary']),
    ('auth_type unknown', {'auth_type': 'kerberos'}, ['auth_type']),
    ('interface unknown', {'interface': 'private'}, ['interface']),
    ('validate_certs not a bool', {'validate_certs': 'perhaps'}, ['validate_certs']),
    ('unknown server', {'server': 'no-such-server'}, ['not found']),
    ('unknown flavor', {'flavor': 'nope.large.9'}, ['not found']),
    ('regex server name', {'server': 'web-.*'}, ['not found']),
    ('foreign flavor uri', {'flavor': 'https://ecs.other.example.com/v2.1/p/flavors/s6.large.2'}, ['ecs.other.example.com']),
    ('flavor uri without flavor', {'flavor': 'https://host/v2.1/p/servers/x'}, ['flavors']),
    ('microversion out of range', {'microversion': '9.99'}, ['406']),
    ('microversion malformed', {'microversion': 'latest-ish'}, ['400', 'latest-ish']),
    ('unreachable endpoint', {'compute_endpoint': 'http://127.0.0.1:9/v2.1/x'}, ['cannot reach']),
    ('wrong project in endpoint', {'compute_endpoint': 'COMPUTE/../v2.1/ffffffffffffffffffffffffffffffff'}, ['HTTP 4']),
]


def test_bad_options_fail_with_one_sentence(emu, cloud, tmp_path):
    tasks = []
    for name, override, dummy in BAD_OPTIONS:
        args = dict(connection_vars(emu.info), server='web-1', flavor='s6.large.2')
        for key, value in override.items():
            if isinstance(value, str) and value.startswith('COMPUTE/../'):
                value = emu.info['base_url'] + value[len('COMPUTE/..'):]
            args[key] = value
        tasks.append({'name': name, 'ecs_ops.compute.ecs_resize': args, 'ignore_errors': True})
    run = run_playbook(tmp_path, tasks, env=CLEAN_ENV)
    for name, dummy, words in BAD_OPTIONS:
        message = check_one_sentence(run, name)
        for word in words:
            assert word in message, (name, message)
    assert 'Traceback' not in run.stdout + run.stderr
    assert count_actions(emu.admin.requests(), 'resize', accepted_only=False) == 0
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'


def test_missing_credentials_say_what_is_missing(emu, tmp_path):
    run = run_playbook(tmp_path, [
        {'name': 'nothing', 'ecs_ops.compute.ecs_resize': {'server': 'web-1', 'flavor': 's6.large.2'}, 'ignore_errors': True},
        {'name': 'no password', 'ignore_errors': True, 'ecs_ops.compute.ecs_resize': {
            'server': 'web-1', 'flavor': 's6.large.2', 'auth': {'auth_url': emu.info['auth_url'], 'username': 'demo', 'project_name': 'x'}}},
        {'name': 'token without endpoint', 'ignore_errors': True, 'ecs_ops.compute.ecs_resize': {
            'server': 'web-1', 'flavor': 's6.large.2', 'auth_type': 'token', 'auth': {'token': 'abc'}}},
        {'name': 'aksk without secret', 'ignore_errors': True, 'ecs_ops.compute.ecs_resize': {
            'server': 'web-1', 'flavor': 's6.large.2', 'auth_type': 'aksk', 'auth': {'access_key': 'AK', 'project_id': 'p'},
            'compute_endpoint': emu.info['compute_url']}},
    ], env=CLEAN_ENV)
    assert 'auth_url' in check_one_sentence(run, 'nothing')
    assert 'password' in check_one_sentence(run, 'no password')
    assert 'compute_endpoint' in check_one_sentence(run, 'token without endpoint')
    assert 'secret_key' in check_one_sentence(run, 'aksk without secret')


MALFORMED = [
    # (case, route regex, method, status, body, content type, words in the message)
    ('html error page on the lookup', r'/servers/detail$', 'GET', 500, '<html><title>Internal Server Error</title><body>oops</body></html>',
     'text/html', ['Internal Server Error']),
    ('empty body on the lookup', r'/servers/detail$', 'GET', 200, '', 'application/json', ['servers']),
    ('json without servers', r'/servers/detail$', 'GET', 200, '{"items": []}', 'application/json', ['servers']),
    ('not json at all', r'/servers/detail$', 'GET', 200, 'hello', 'text/plain', ['not JSON']),
    ('flavor field of unknown shape', r'/servers/detail$', 'GET', 200,
     '{"servers": [{"id": "3f2b8c1e-5a7d-4e9f-8b6a-1c2d3e4f5a01", "name": "web-1", "status": "ACTIVE", "flavor": "s6.medium.2"}]}',
     'application/json', ['flavor']),
    ('token answer without token', r'/auth/tokens$', 'POST', 201, '{"token": {}}', 'application/json', ['token']),
    ('flavor lookup answers a list', r'/flavors/s6\.large\.2$', 'GET', 200, '[1, 2, 3]', 'application/json', ['flavor']),
]


@pytest.mark.parametrize('case, route, method, status, body, content_type, words', MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_cloud_answers_are_clear_errors(emu, cloud, tmp_path, case, route, method, status, body, content_type, words):
    emu.admin.fault(route=route, method=method, kind='body', status=status, body=body, content_type=content_type, count=20)
    task = {'name': case, 'ignore_errors': True,
            'ecs_ops.compute.ecs_resize': dict(connection_vars(emu.info), server='web-1', flavor='s6.large.2')}
    run = run_playbook(tmp_path, [task])
    message = check_one_sentence(run, case)
    for word in words:
        assert word in message, (case, message)
    emu.admin.clear_faults()
    assert count_actions(emu.admin.requests(), 'resize', accepted_only=False) == 0
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'
