# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ResizeOperation with api=ecs and validate_target, over a scripted fake compute API and a fake clock."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, ResizeError
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeOperation, ResizeRequest
from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import PollPolicy

SERVER_ID = '7d5b1f3a-2c4e-4a6b-9f1d-0e2c3a4b5d61'
FLAVORS = {
    's6.medium.2': {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0},
    's6.large.2': {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0},
}


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class FakeClient(object):
    """A server that switches to the target flavor when the job ends; jobs follow a scripted status list."""

    def __init__(self, flavor='s6.medium.2', status='ACTIVE', jobs=('RUNNING', 'RUNNING', 'SUCCESS'), allowed=('s6.large.2',),
                 resize_flavors_error=None, post_error=None, fail_to='s6.medium.2'):
        self.server = {'id': SERVER_ID, 'name': 'web-1', 'status': status, 'flavor': {'id': flavor}, 'OS-EXT-STS:task_state': None}
        self.jobs = list(jobs)
        self.allowed = allowed
        self.resize_flavors_error = resize_flavors_error
        self.post_error = post_error
        self.fail_to = fail_to
        self.target = None
        self.calls = 0
        self.log = []
        self.compute_url = 'https://ecs.example.com/v2.1/p1'

    def _call(self, *entry):
        self.calls += 1
        self.log.append(entry)

    def get_server(self, server_id):
        self._call('get_server')
        return dict(self.server)

    def list_servers(self, name_regex=None, status=None):
        self._call('list_servers')
        return [dict(self.server)]

    def get_flavor(self, flavor_id):
        self._call('get_flavor', flavor_id)
        return FLAVORS.get(flavor_id)

    def list_flavors(self):
        self._call('list_flavors')
        return list(FLAVORS.values())

    def ecs_project_id(self):
        return 'p1'

    def resize_flavors(self, server_id):
        self._call('resize_flavors')
        if self.resize_flavors_error:
            raise self.resize_flavors_error
        return [FLAVORS[f] for f in self.allowed]

    def ecs_resize(self, server_id, flavor_id):
        self._call('ecs_resize', flavor_id)
        if self.post_error:
            error, self.post_error = self.post_error, None
            raise error
        self.target = flavor_id
        self.server.update(status='RESIZE', **{'OS-EXT-STS:task_state': 'resize_prep'})
        return 'job-1', 'req-1'

    def get_job(self, job_id):
        self._call('get_job')
        status = self.jobs.pop(0) if len(self.jobs) > 1 else self.jobs[0]
        if status == 'SUCCESS':
            self.server.update(status='ACTIVE', flavor={'id': self.target}, **{'OS-EXT-STS:task_state': None})
        elif status == 'FAIL':
            self.server.update(status='ACTIVE', flavor={'id': self.fail_to}, **{'OS-EXT-STS:task_state': None})
            return {'status': 'FAIL', 'job_id': job_id, 'error_code': 'Ecs.1000', 'fail_reason': 'No valid host was found.'}
        return {'status': status, 'job_id': job_id}

    def instance_actions(self, server_id):
        self._call('instance_actions')
        return []

    def instance_action(self, server_id, request_id):
        self._call('instance_action')
        return None

    def server_action(self, server_id, body):  # pragma: no cover - api=ecs never sends Nova actions
        raise AssertionError('Nova action sent with api=ecs: %r' % body)


def operation(client, clock=None, warn=None, **options):
    clock = clock or Clock()
    options.setdefault('api', 'ecs')
    request = ResizeRequest(server='web-1', flavor='s6.large.2', **options)
    return ResizeOperation(client, request, clock=clock, sleep=clock.sleep, warn=warn)


def names(client):
    return [entry[0] for entry in client.log]


def test_job_success_is_a_change_with_job_and_actions():
    client = FakeClient()
    result = operation(client).run()
    assert result['changed'] is True and result['actions'] == ['ecs:resize'] and result['request_ids'] == {'ecs:resize': 'req-1'}
    assert result['job_id'] == 'job-1' and result['job']['status'] == 'SUCCESS' and result['target_validation'] == 'passed'
    assert result['server']['flavor']['id'] == 's6.large.2'
    assert names(client) == ['list_servers', 'get_flavor', 'get_flavor', 'resize_flavors', 'ecs_resize',
                             'get_job', 'get_job', 'get_job', 'get_server']


def test_noop_sends_nothing_and_asks_no_resize_flavors():
    client = FakeClient(flavor='s6.large.2')
    result = operation(client).run()
    assert result['changed'] is False and result['actions'] == [] and result['target_validation'] == 'not_needed'
    assert 'resize_flavors' not in names(client) and 'ecs_resize' not in names(client)


def test_check_mode_validates_but_sends_nothing():
    client = FakeClient()
    result = operation(client, check_mode=True).run()
    assert result['changed'] is True and result['actions'] == [] and result['target_validation'] == 'passed'
    assert 'ecs_resize' not in names(client)


def test_failed_job_raises_with_code_reason_and_rollback():
    client = FakeClient(jobs=('RUNNING', 'FAIL'))
    with pytest.raises(ResizeError) as caught:
        operation(client).run()
    result = caught.value.result
    assert result['error'] == 'job_failed' and result['rolled_back'] is True
    assert 'Ecs.1000: No valid host was found.' in caught.value.message
    assert result['job']['error_code'] == 'Ecs.1000'


def test_job_wait_is_bounded_by_the_timeout_and_spaced_by_the_policy():
    clock = Clock()
    client = FakeClient(jobs=('RUNNING',))
    with pytest.raises(ResizeError) as caught:
        operation(client, clock=clock, timeout=60).run()
    assert caught.value.result['error'] == 'timeout'
    assert 'job job-1' in caught.value.message and 'RUNNING' in caught.value.message
    assert 60 <= clock.now <= 60.001
    assert max(clock.sleeps) <= PollPolicy().max_interval and names(client).count('get_job') < 60


def test_wait_false_returns_after_the_post():
    client = FakeClient()
    result = operation(client, wait=False).run()
    assert result['changed'] is True and result['job_id'] == 'job-1' and 'get_job' not in names(client)


@pytest.mark.parametrize('mode, error, outcome', [
    ('auto', ApiError(404, message='not found'), 'unavailable'),
    ('always', ApiError(404, message='not found'), 'validation_unavailable'),
    ('never', None, 'off'),
])
def test_validate_target_modes(mode, error, outcome):
    client = FakeClient(resize_flavors_error=error)
    if outcome == 'validation_unavailable':
        with pytest.raises(ResizeError) as caught:
            operation(client, validate_target=mode).run()
        assert caught.value.result['error'] == outcome and 'ecs_resize' not in names(client)
        return
    result = operation(client, validate_target=mode).run()
    assert result['target_validation'] == outcome and result['changed'] is True
    assert ('resize_flavors' in names(client)) is (mode != 'never')


def test_target_not_allowed_fails_naming_the_allowed_flavors():
    client = FakeClient(allowed=('s6.medium.2',))
    with pytest.raises(ResizeError) as caught:
        operation(client, api='nova').run()
    assert caught.value.result['allowed_flavors'] == ['s6.medium.2']
    assert 'allowed: s6.medium.2' in caught.value.message


def test_ambiguous_post_without_sign_is_sent_once_more():
    client = FakeClient(post_error=AmbiguousRequestError('no answer'))
    warnings = []
    result = operation(client, warn=warnings.append).run()
    assert result['changed'] is True and names(client).count('ecs_resize') == 2
    assert any('sending it once more' in w for w in warnings)


def test_resize_found_under_way_is_waited_for_then_reported_as_changed():
    client = FakeClient()
    client.server.update(status='RESIZE', **{'OS-EXT-STS:task_state': 'resize_migrating'})
    reads = {'n': 0}
    original = client.get_server

    def get_server(server_id):
        reads['n'] += 1
        if reads['n'] >= 2:
            client.server.update(status='ACTIVE', flavor={'id': 's6.large.2'}, **{'OS-EXT-STS:task_state': None})
        return original(server_id)
    client.get_server = get_server
    result = operation(client).run()
    assert result['changed'] is True and result['actions'] == [] and 'found under way' in result['msg']
    assert 'ecs_resize' not in names(client)
