# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ResizeOperation with api=ecs and validate_target, over a fake compute API that follows Open Telekom Cloud's
documented rules (the native resize only for a stopped server; stop and start are jobs; metadata), and a fake clock."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import RESTART_MARKER
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, InputError, ResizeError
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


class FakeOtc(object):
    """web-1 and its jobs. A job runs for `job_reads` reads of it, then ends: a stop job leaves the server SHUTOFF,
    a start job ACTIVE, a resize job on the target (or, with `fail`, FAIL and the server back on its old flavor).
    `refuse` maps a call name to an ApiError raised once; `drop` maps a call name to an unclear answer raised once
    (after the cloud acted when `drop_after`)."""

    def __init__(self, status='ACTIVE', flavor='s6.medium.2', job_reads=2, fail=None, allowed=('s6.large.2',),
                 resize_flavors_error=None, refuse=None, drop=None, drop_after=False, metadata=None, swiss=False, fail_power=()):
        self.server = {'id': SERVER_ID, 'name': 'web-1', 'status': status, 'flavor': {'id': flavor},
                       'OS-EXT-STS:task_state': None, 'metadata': dict(metadata or {})}
        self.job_reads = job_reads
        self.fail = fail
        self.allowed = allowed
        self.resize_flavors_error = resize_flavors_error
        self.refuse = dict(refuse or {})
        self.drop = dict(drop or {})
        self.drop_after = drop_after
        self.swiss = swiss
        self.fail_power = fail_power  # os-stop / os-start jobs that fail, leaving the server as it was
        self.jobs = {}
        self.calls = 0
        self.log = []
        self.compute_url = 'https://ecs.example.com/v2.1/p1'

    def _call(self, name, *args):
        self.calls += 1
        self.log.append((name,) + args)
        if name in self.refuse:
            raise self.refuse.pop(name)

    def _dropped(self, name):
        """An unclear answer: raised before the cloud acts, or (drop_after) after."""
        if name in self.drop and not self.drop_after:
            raise self.drop.pop(name)

    def _dropped_after(self, name):
        if name in self.drop and self.drop_after:
            raise self.drop.pop(name)

    def get_server(self, server_id):
        assert server_id == SERVER_ID, server_id
        self._call('get_server')
        self._tick()
        return dict(self.server, metadata=dict(self.server['metadata']))

    def list_servers(self, name_regex=None, status=None):
        self._call('list_servers')
        return [self.get_server(SERVER_ID)]

    def get_flavor(self, flavor_id):
        self._call('get_flavor', flavor_id)
        return FLAVORS.get(flavor_id)

    def list_flavors(self):
        self._call('list_flavors')
        return list(FLAVORS.values())

    def ecs_project_id(self):
        return 'p1'

    def resize_flavors(self, server_id):
        assert server_id == SERVER_ID, server_id
        self._call('resize_flavors')
        if self.resize_flavors_error:
            raise self.resize_flavors_error
        return [FLAVORS[f] for f in self.allowed]

    def instance_actions(self, server_id):
        assert server_id == SERVER_ID, server_id
        self._call('instance_actions')
        return []

    def instance_action(self, server_id, request_id):
        assert server_id == SERVER_ID, server_id
        self._call('instance_action')
        return None

    def server_action(self, server_id, body):  # pragma: no cover - api=ecs never sends Nova actions
        raise AssertionError('Nova action sent with api=ecs: %r' % body)

    def set_metadata(self, server_id, key, value):
        assert server_id == SERVER_ID, server_id
        assert value == 'true', value  # what a rerun, and a user looking at the metadata, finds
        self._call('set_metadata', key)
        self.server['metadata'][key] = value
        return 'req-meta'

    def delete_metadata(self, server_id, key):
        assert server_id == SERVER_ID, server_id
        self._call('delete_metadata', key)
        self.server['metadata'].pop(key, None)
        return 'req-unmeta'

    def _job(self, action, effect):
        job_id = 'job-%d' % (len(self.jobs) + 1)
        self.jobs[job_id] = dict(action=action, reads=0, effect=effect)
        return job_id

    def ecs_power(self, server_id, action):
        assert server_id == SERVER_ID, server_id
        self._call('ecs_power', action)
        self._dropped(action)
        wanted, task = ('SHUTOFF', 'powering-off') if action == 'os-stop' else ('ACTIVE', 'powering-on')
        self.server['OS-EXT-STS:task_state'] = task
        effect = dict(status=wanted, task=None)
        if action in self.fail_power:
            effect = dict(status=self.server['status'], task=None, fail='Ecs.0001', message='the job of %s failed' % action)
        job_id = self._job(action, effect)
        self._dropped_after(action)
        return job_id, 'req-%s' % action

    def ecs_resize(self, server_id, flavor_id, dry_run=False, mode=None, dedicated_host_id=None):
        assert server_id == SERVER_ID, server_id
        self._call('ecs_resize', flavor_id, dry_run, mode)
        self._dropped('resize')
        running = self.server['status'] == 'ACTIVE'
        if running and not (self.swiss and mode == 'withStopServer'):
            raise ApiError(400, code='Ecs.0100', message='The ECS status does not meet the requirements.')
        if dry_run:
            return None, 'req-dry'
        old = self.server['flavor']['id']
        self.server.update(status='RESIZE', **{'OS-EXT-STS:task_state': 'resize_prep'})
        end_status = 'ACTIVE' if running else 'SHUTOFF'
        effect = dict(status=end_status, task=None, flavor=old if self.fail else flavor_id, fail=self.fail)
        job_id = self._job('resize', effect)
        self._dropped_after('resize')
        return job_id, 'req-resize'

    def _tick(self):
        """Every job that has not ended gets one step further (the cloud works whether anyone looks or not)."""
        for job in self.jobs.values():
            if job['reads'] >= self.job_reads:
                continue
            job['reads'] += 1
            if job['reads'] < self.job_reads:
                continue
            effect = job['effect']
            self.server.update(status=effect['status'], **{'OS-EXT-STS:task_state': None})
            if effect.get('flavor'):
                self.server['flavor'] = {'id': effect['flavor']}

    def get_job(self, job_id):
        self._call('get_job', job_id)
        self._tick()
        job = self.jobs[job_id]
        if job['reads'] < self.job_reads:
            return {'status': 'RUNNING', 'job_id': job_id}
        effect = job['effect']
        if effect.get('fail'):
            return {'status': 'FAIL', 'job_id': job_id, 'error_code': None, 'fail_reason': None,
                    'entities': {'sub_jobs': [{'status': 'FAIL', 'error_code': effect['fail'],
                                               'entities': {'server_id': SERVER_ID,
                                                            'errorcode_message': effect.get('message', 'insufficient capacity')}}]}}
        return {'status': 'SUCCESS', 'job_id': job_id}


def operation(compute, clock=None, warn=None, **options):
    clock = clock or Clock()
    options.setdefault('api', 'ecs')
    request = ResizeRequest(server='web-1', flavor='s6.large.2', **options)
    return ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, warn=warn)


def sent(compute):
    """The requests that change something, in order."""
    names = []
    for entry in compute.log:
        if entry[0] == 'ecs_power':
            names.append(entry[1])
        elif entry[0] in ('set_metadata', 'delete_metadata'):
            names.append(entry[0])
        elif entry[0] == 'ecs_resize':
            names.append('dry_run' if entry[2] else 'resize' + ('/' + entry[3] if entry[3] else ''))
    return names


def test_running_server_is_stopped_resized_and_started_again():
    compute = FakeOtc()
    result = operation(compute).run()
    assert sent(compute) == ['set_metadata', 'os-stop', 'resize', 'os-start', 'delete_metadata']
    assert result['changed'] is True and result['outcome'] == 'resized'
    assert result['actions'] == ['metadata:set', 'ecs:stop', 'ecs:resize', 'ecs:start', 'metadata:delete']
    assert result['server']['status'] == 'ACTIVE' and result['server']['flavor']['id'] == 's6.large.2'
    assert RESTART_MARKER not in compute.server['metadata']
    assert result['job_id'] == 'job-2' and result['job']['status'] == 'SUCCESS' and result['target_validation'] == 'passed'
    assert [j['action'] for j in result['jobs']] == ['stop', 'resize', 'start']
    assert result['request_ids']['ecs:resize'] == 'req-resize'


def test_stopped_server_is_resized_and_stays_stopped():
    compute = FakeOtc(status='SHUTOFF')
    result = operation(compute).run()
    assert sent(compute) == ['resize'] and result['server']['status'] == 'SHUTOFF' and result['outcome'] == 'resized'


def test_with_stop_server_sends_one_resize_in_the_clouds_mode():
    compute = FakeOtc(swiss=True)
    result = operation(compute, restart_mode='with_stop_server').run()
    assert sent(compute) == ['resize/withStopServer'] and result['server']['status'] == 'ACTIVE'
    assert result['actions'] == ['ecs:resize']


@pytest.mark.parametrize('status, flavor, marked, expected', [
    ('ACTIVE', 's6.medium.2', True, ['os-stop', 'resize', 'os-start', 'delete_metadata']),
    ('SHUTOFF', 's6.medium.2', True, ['resize', 'os-start', 'delete_metadata']),
    ('SHUTOFF', 's6.large.2', True, ['os-start', 'delete_metadata']),
    ('ACTIVE', 's6.large.2', True, ['delete_metadata']),
])
def test_a_rerun_finishes_what_an_interrupted_run_began(status, flavor, marked, expected):
    compute = FakeOtc(status=status, flavor=flavor, metadata={RESTART_MARKER: 'true'} if marked else None)
    result = operation(compute).run()
    assert sent(compute) == expected
    assert result['server']['status'] == 'ACTIVE' and result['server']['flavor']['id'] == 's6.large.2'
    assert result['changed'] is True and result['outcome'] == 'resized' and RESTART_MARKER not in compute.server['metadata']


def test_noop_sends_nothing_and_asks_no_resize_flavors():
    compute = FakeOtc(flavor='s6.large.2')
    result = operation(compute).run()
    assert result['changed'] is False and result['actions'] == [] and result['target_validation'] == 'not_needed'
    assert sent(compute) == [] and result['outcome'] == 'unchanged'


def test_check_mode_asks_the_cloud_with_a_dry_run_and_changes_nothing():
    compute = FakeOtc()
    result = operation(compute, check_mode=True).run()
    assert sent(compute) == ['dry_run'] and result['changed'] is True and result['outcome'] == 'would_resize'
    assert result['msg'].startswith('would stop server web-1, resize it to s6.large.2') and 'start it again' in result['msg']
    assert compute.server['status'] == 'ACTIVE' and compute.server['metadata'] == {}


def test_check_mode_reports_what_the_cloud_would_refuse():
    refusal = ApiError(400, code='Ecs.0803', message='When modifying the specifications of an ECS created on a DeH, specify the DeH.')
    compute = FakeOtc(status='SHUTOFF', refuse={'ecs_resize': refusal})
    with pytest.raises(ResizeError) as caught:
        operation(compute, check_mode=True).run()
    assert 'the cloud would refuse to resize server web-1 to s6.large.2' in caught.value.message and '(dry run)' in caught.value.message
    assert 'set dedicated_host_id' in caught.value.message
    assert caught.value.result['error'] == 'dry_run_refused' and caught.value.result['changed'] is False
    assert caught.value.result['outcome'] == 'failed'


def test_failed_resize_job_restores_the_server_then_fails_naming_the_cause():
    compute = FakeOtc(fail='Ecs.0319')
    with pytest.raises(ResizeError) as caught:
        operation(compute).run()
    assert sent(compute) == ['set_metadata', 'os-stop', 'resize', 'os-start', 'delete_metadata']
    result = caught.value.result
    assert result['error'] == 'job_failed' and result['rolled_back'] is True and result['outcome'] == 'rolled_back'
    assert 'Ecs.0319: insufficient capacity' in caught.value.message and 'another flavor or availability zone' in caught.value.message
    assert compute.server['status'] == 'ACTIVE' and compute.server['flavor']['id'] == 's6.medium.2'
    assert RESTART_MARKER not in compute.server['metadata']


def test_job_wait_is_bounded_by_the_timeout_and_spaced_by_the_policy():
    clock = Clock()
    compute = FakeOtc(status='SHUTOFF', job_reads=10 ** 6)
    with pytest.raises(ResizeError) as caught:
        operation(compute, clock=clock, timeout=60).run()
    assert caught.value.result['error'] == 'timeout'
    assert 'resize job job-1' in caught.value.message and 'RUNNING' in caught.value.message
    assert 60 <= clock.now <= 60.001
    gets = len([e for e in compute.log if e[0] == 'get_job'])
    assert max(clock.sleeps) <= PollPolicy().max_interval and gets < 60


def test_wait_false_returns_after_the_post_of_a_stopped_server():
    compute = FakeOtc(status='SHUTOFF')
    result = operation(compute, wait=False).run()
    assert result['changed'] is True and result['job_id'] == 'job-1' and result['outcome'] == 'accepted'
    assert not [e for e in compute.log if e[0] == 'get_job']


def test_wait_false_is_refused_for_a_running_server_before_anything_is_sent():
    compute = FakeOtc()
    with pytest.raises(ResizeError) as caught:
        operation(compute, wait=False).run()
    assert caught.value.result['error'] == 'wait_needed' and sent(compute) == []


def test_restart_mode_needs_api_ecs():
    with pytest.raises(InputError, match='restart_mode applies to api=ecs only'):
        operation(FakeOtc(), api='nova', restart_mode='stop_start').run()


@pytest.mark.parametrize('mode, error, outcome', [
    ('auto', ApiError(404, message='not found'), 'unavailable'),
    ('always', ApiError(404, message='not found'), 'validation_unavailable'),
    ('never', None, 'off'),
])
def test_validate_target_modes(mode, error, outcome):
    compute = FakeOtc(status='SHUTOFF', resize_flavors_error=error)
    if outcome == 'validation_unavailable':
        with pytest.raises(ResizeError) as caught:
            operation(compute, validate_target=mode).run()
        assert caught.value.result['error'] == outcome and sent(compute) == []
        return
    result = operation(compute, validate_target=mode).run()
    assert result['target_validation'] == outcome and result['changed'] is True
    assert any(e[0] == 'resize_flavors' for e in compute.log) is (mode != 'never')


def test_target_not_allowed_fails_naming_the_allowed_flavors():
    compute = FakeOtc(allowed=('s6.medium.2',))
    with pytest.raises(ResizeError) as caught:
        operation(compute, api='nova').run()
    assert caught.value.result['allowed_flavors'] == ['s6.medium.2']
    assert 'allowed: s6.medium.2' in caught.value.message


@pytest.mark.parametrize('step', ['resize', 'os-stop', 'os-start'])
def test_unclear_answer_before_the_cloud_acted_is_sent_once_more(step):
    compute = FakeOtc(drop={step: AmbiguousRequestError('no answer')})
    warnings = []
    result = operation(compute, warn=warnings.append).run()
    assert result['outcome'] == 'resized' and compute.server['status'] == 'ACTIVE'
    assert sent(compute).count(step) == 2
    assert any('sending it once more' in w for w in warnings)


@pytest.mark.parametrize('step', ['resize', 'os-stop', 'os-start'])
def test_unclear_answer_after_the_cloud_acted_is_not_sent_again(step):
    compute = FakeOtc(drop={step: AmbiguousRequestError('no answer')}, drop_after=True)
    warnings = []
    result = operation(compute, warn=warnings.append).run()
    assert result['outcome'] == 'resized' and compute.server['status'] == 'ACTIVE'
    assert compute.server['flavor']['id'] == 's6.large.2' and sent(compute).count(step) == 1
    assert any('the cloud has started it' in w for w in warnings)


def test_resize_found_under_way_is_waited_for_then_reported_as_changed():
    compute = FakeOtc()
    compute.server.update(status='RESIZE', **{'OS-EXT-STS:task_state': 'resize_migrating'})
    reads = {'n': 0}
    original = compute.get_server

    def get_server(server_id):
        reads['n'] += 1
        if reads['n'] >= 2:
            compute.server.update(status='ACTIVE', flavor={'id': 's6.large.2'}, **{'OS-EXT-STS:task_state': None})
        return original(server_id)
    compute.get_server = get_server
    result = operation(compute).run()
    assert result['changed'] is True and result['actions'] == [] and 'found under way' in result['msg']
    assert sent(compute) == [] and result['outcome'] == 'resized'


# -- every call, every pause, every field of a native run (mutation testing: the whole run asserted) ----------------

MARKER_CALLS = ('set_metadata', RESTART_MARKER)
MEDIUM = {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0}
LARGE = {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}
STOP_START_CALLS = [
    ('list_servers',), ('get_server',), ('get_flavor', 's6.large.2'), ('get_flavor', 's6.medium.2'), ('resize_flavors',),
    ('set_metadata', RESTART_MARKER), ('get_server',),
    ('ecs_power', 'os-stop'), ('get_job', 'job-1'), ('get_job', 'job-1'), ('get_server',),
    ('ecs_resize', 's6.large.2', False, None), ('get_job', 'job-2'), ('get_job', 'job-2'), ('get_server',),
    ('ecs_power', 'os-start'), ('get_job', 'job-3'), ('get_job', 'job-3'), ('get_server',),
    ('delete_metadata', RESTART_MARKER), ('get_server',)]


def job_dict(job_id, action, status='SUCCESS', error_code=None, fail_reason=None):
    return dict(id=job_id, action=action, status=status, error_code=error_code, fail_reason=fail_reason, begin_time=None, end_time=None)


def whole_native_run(compute, **options):
    clock = Clock()
    warnings = []
    try:
        return operation(compute, clock=clock, warn=warnings.append, **options).run(), None, warnings, clock
    except ResizeError as error:
        return error.result, error.message, warnings, clock


def test_a_native_resize_of_a_running_server_makes_these_calls_and_returns_every_field():
    compute = FakeOtc()
    result, error, warnings, clock = whole_native_run(compute)
    assert (error, warnings, compute.log, clock.sleeps) == (None, [], STOP_START_CALLS, [0.2, 0.2, 1.5, 0.2, 0.2])
    assert result == dict(
        changed=True, msg='server runs on s6.large.2 (2 vCPU, 4096 MiB)', outcome='resized', rolled_back=False, pending_confirmation=False,
        server={'id': SERVER_ID, 'name': 'web-1', 'status': 'ACTIVE', 'task_state': None, 'vm_state': None, 'power_state': None,
                'locked': None, 'flavor': LARGE},
        previous_flavor=MEDIUM, flavor=LARGE, diff=dict(before=dict(flavor=MEDIUM), after=dict(flavor=LARGE)),
        actions=['metadata:set', 'ecs:stop', 'ecs:resize', 'ecs:start', 'metadata:delete'],
        request_ids={'metadata:set': 'req-meta', 'ecs:stop': 'req-os-stop', 'ecs:resize': 'req-resize', 'ecs:start': 'req-os-start',
                     'metadata:delete': 'req-unmeta'},
        target_validation='passed', elapsed=2.3, api_calls=21, job_id='job-2', job=job_dict('job-2', 'resize'),
        jobs=[job_dict('job-1', 'stop'), job_dict('job-2', 'resize'), job_dict('job-3', 'start')])


def test_a_failed_native_resize_restores_the_server_with_these_calls_and_says_why():
    compute = FakeOtc(fail='Ecs.0319')
    result, error, warnings, clock = whole_native_run(compute)
    assert error == ('the cloud failed the resize of server web-1 to s6.large.2 (2 vCPU, 4096 MiB) (job job-2: Ecs.0319: insufficient '
                     'capacity (the cloud has no capacity for this flavor now: choose another flavor or availability zone, or retry '
                     'later)); it is ACTIVE on its old flavor s6.medium.2 (1 vCPU, 2048 MiB)')
    assert (warnings, compute.log, clock.sleeps) == ([], STOP_START_CALLS + [('instance_action',)], [0.2, 0.2, 1.5, 0.2, 0.2])
    failed = job_dict('job-2', 'resize', status='FAIL', error_code='Ecs.0319', fail_reason='insufficient capacity')
    assert (result['job'], result['jobs']) == (failed, [job_dict('job-1', 'stop'), failed, job_dict('job-3', 'start')])
    assert (result['msg'], result['outcome'], result['error'], result['rolled_back'], result['changed'], result['api_calls']) == (
        error, 'rolled_back', 'job_failed', True, True, 21)
    assert result['server']['flavor'] == MEDIUM and result['diff'] == dict(before=dict(flavor=MEDIUM), after=dict(flavor=MEDIUM))


@pytest.mark.parametrize('options, calls', [
    (dict(validate_target='always'), [('ecs_resize', 's6.large.2', False, None), ('get_job', 'job-1'), ('get_job', 'job-1'), ('get_server',)]),
    (dict(validate_target='never', wait=False), [('ecs_resize', 's6.large.2', False, None)]),
])
def test_a_native_resize_of_a_stopped_server_is_one_job(options, calls):
    compute = FakeOtc(status='SHUTOFF')
    result, error, warnings, clock = whole_native_run(compute, **options)
    checked = [('resize_flavors',)] if options['validate_target'] == 'always' else []
    assert compute.log == [('list_servers',), ('get_server',), ('get_flavor', 's6.large.2'), ('get_flavor', 's6.medium.2')] + checked + calls
    assert (error, warnings, result['actions'], result['request_ids']) == (None, [], ['ecs:resize'], {'ecs:resize': 'req-resize'})
    assert result['job_id'] == 'job-1'
    if options.get('wait') is False:
        assert (result['msg'], result['outcome'], result['jobs'], 'job' in result) == (
            'ecs:resize accepted (job job-1); not waiting (wait=false)', 'accepted', [], False)
        assert result['diff']['after'] == dict(flavor={}) and result['target_validation'] == 'off'
    else:
        assert (result['msg'], result['outcome'], result['jobs'], result['job']) == (
            'server runs on s6.large.2 (2 vCPU, 4096 MiB)', 'resized', [job_dict('job-1', 'resize')], job_dict('job-1', 'resize'))
        assert clock.sleeps == [1.5] and result['server']['status'] == 'SHUTOFF' and result['target_validation'] == 'passed'


@pytest.mark.parametrize('mode, status, error, message, validation, extra', [
    ('always', 'SHUTOFF', 'validation_unavailable',
     'validate_target=always, but the cloud offers no list of allowed resize targets (HTTP 404: not found); use validate_target=auto '
     'or never on this cloud', 'unavailable', dict(msg='HTTP 404: not found')),
    ('auto', 'ACTIVE', 'target_not_allowed',
     'flavor s6.large.2 (2 vCPU, 4096 MiB) is not a resize target the cloud allows for server web-1 (resize_flavors); allowed: '
     's6.medium.2', 'failed', dict(msg='target not allowed', allowed_flavors=['s6.medium.2'])),
])
def test_a_target_the_cloud_does_not_list_fails_before_anything_is_sent(mode, status, error, message, validation, extra):
    compute = FakeOtc(status=status, allowed=('s6.medium.2',),
                      resize_flavors_error=ApiError(404, message='not found') if mode == 'always' else None)
    result, said, warnings, clock = whole_native_run(compute, validate_target=mode)
    assert (said, warnings, sent(compute)) == (message, [], [])
    expected = dict(changed=False, error=error, outcome='failed', target_validation=validation, actions=[], request_ids={}, jobs=[],
                    job_id=None, rolled_back=False, pending_confirmation=False, api_calls=5, elapsed=0.0, previous_flavor=MEDIUM,
                    flavor=LARGE, diff=dict(before=dict(flavor=MEDIUM), after=dict(flavor=MEDIUM)), **extra)
    assert dict((key, result[key]) for key in expected) == expected and set(result) == set(expected) | {'server'}


@pytest.mark.parametrize('zone, specs, warning', [
    ('eu-de-01', {'cond:operation:status': 'sellout'},
     'the cloud lists flavor s6.large.2 (2 vCPU, 4096 MiB) as sold out in availability zone eu-de-01; the resize will likely be rolled back'),
    (None, {'cond:operation:status': 'sellout'},
     'the cloud lists flavor s6.large.2 (2 vCPU, 4096 MiB) as sold out in this region; the resize will likely be rolled back'),
    ('eu-de-01', {'cond:operation:az': 'eu-de-01(normal)', 'cond:operation:status': 'sellout'}, None),
    (None, {}, None),
])
def test_a_target_listed_as_sold_out_is_tried_with_a_warning(zone, specs, warning):
    compute = FakeOtc(status='SHUTOFF')
    if zone:
        compute.server['OS-EXT-AZ:availability_zone'] = zone
    compute.resize_flavors = lambda server_id: [dict(FLAVORS['s6.large.2'], extra_specs=specs)]
    result, error, warnings, clock = whole_native_run(compute)
    assert (error, warnings, result['target_validation'], sent(compute)) == (None, [warning] if warning else [], 'passed', ['resize'])


def test_a_server_on_a_dedicated_host_is_resized_on_it():
    compute = FakeOtc(status='SHUTOFF')
    compute.server['os:scheduler_hints'] = {'dedicated_host_id': ['dh-7']}
    hosts = []
    original = compute.ecs_resize

    def ecs_resize(server_id, flavor_id, dry_run=False, mode=None, dedicated_host_id=None):
        hosts.append(dedicated_host_id)
        return original(server_id, flavor_id, dry_run=dry_run, mode=mode, dedicated_host_id=dedicated_host_id)
    compute.ecs_resize = ecs_resize
    operation(compute, check_mode=True).run()
    operation(compute).run()
    operation(FakeOtc(status='SHUTOFF'), dedicated_host_id='dh-9').run()  # its own ecs_resize: not recorded
    compute.server['os:scheduler_hints'] = {}
    compute.server['flavor'] = {'id': 's6.medium.2'}
    operation(compute, dedicated_host_id='dh-9').run()
    assert hosts == ['dh-7', 'dh-7', 'dh-9']


# -- in a batch: the jobs are followed through the batch's listing -----------------------------------------------------

from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import PhaseBook  # noqa: E402


class OtcFeed(object):
    """The batch's listing over FakeOtc on the fake clock: each watch() waits its delay, then lists (the cloud's jobs go
    one step further, as with a read) and hands over the server's document."""

    READ_ALONE = object()

    def __init__(self, compute, clock):
        self.compute, self.clock, self.book, self.delays = compute, clock, PhaseBook(), []

    def watch(self, server_id, delay, seen_at):
        self.delays.append(delay)
        self.clock.sleep(delay)
        self.compute.log.append(('listing',))
        self.compute._tick()
        return dict(self.compute.server, metadata=dict(self.compute.server['metadata'])), self.clock()

    def learn(self, key, shortest, longest):
        self.book.learn(key, shortest, longest)

    def expected(self, key):
        return self.book.expected(key)

    def read_alone(self):  # pragma: no cover - this listing answers for every server
        raise AssertionError('read alone')


def batch_native_run(compute, **options):
    clock = Clock()
    feed = OtcFeed(compute, clock)
    reports, job_reads = [], []
    original = compute.get_job
    compute.get_job = lambda job_id: job_reads.append(round(clock.now, 3)) or original(job_id)
    request = ResizeRequest(server='web-1', flavor='s6.large.2', api='ecs', **options)
    operation = ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, feed=feed, progress=reports.append)
    try:
        result, error = operation.run(), None
    except ResizeError as exc:
        result, error = exc.result, exc.message
    return result, error, feed, [(r['phase'], r['elapsed']) for r in reports], job_reads


def test_in_a_batch_each_job_is_read_once_the_listing_shows_its_server_at_rest():
    compute = FakeOtc()
    result, error, feed, reports, job_reads = batch_native_run(compute)
    assert (error, result['outcome'], result['elapsed'], result['job_id']) == (None, 'resized', 2.9, 'job-2')
    assert compute.log[5:] == [
        MARKER_CALLS, ('listing',), ('ecs_power', 'os-stop'), ('listing',), ('listing',), ('get_job', 'job-1'),
        ('ecs_resize', 's6.large.2', False, None), ('listing',), ('listing',), ('get_job', 'job-2'),
        ('ecs_power', 'os-start'), ('listing',), ('listing',), ('get_job', 'job-3'), ('delete_metadata', RESTART_MARKER), ('listing',)]
    assert feed.delays == [0.2, 0.2, 0.2, 0.2, 1.5, 0.2, 0.2, 0.2] and job_reads == [0.6, 2.3, 2.7]
    assert reports == [('ACTIVE', 0.0), ('stop job job-1 SUCCESS', 0.6), ('SHUTOFF', 0.6), ('resize job job-2 SUCCESS', 2.3),
                       ('SHUTOFF', 2.3), ('start job job-3 SUCCESS', 2.7), ('ACTIVE', 2.7)]
    assert [j['action'] for j in result['jobs']] == ['stop', 'resize', 'start']


def test_in_a_batch_a_long_job_is_read_at_growing_intervals_until_its_server_comes_to_rest():
    compute = FakeOtc(status='SHUTOFF', job_reads=40)
    result, error, feed, reports, job_reads = batch_native_run(compute)
    assert (error, result['outcome'], result['elapsed']) == (None, 'resized', 43.875)
    # 2 s after the request, then half the time since (at least 2 s), until the listing shows the server at rest
    assert job_reads == [2.0, 4.0, 6.0, 9.0, 13.5, 20.25, 30.375, 43.875]
    assert reports == [('SHUTOFF', 0.0), ('resize job job-1 RUNNING', 2.0), ('resize job job-1 SUCCESS', 43.9), ('SHUTOFF', 43.9)]
    assert max(feed.delays) == 1.5 and len(feed.delays) == 33


def test_in_a_batch_a_job_that_does_not_end_times_out_naming_it():
    compute = FakeOtc(status='SHUTOFF', job_reads=10 ** 6)
    result, error, feed, reports, job_reads = batch_native_run(compute, timeout=20)
    assert error == 'timed out after 20 s waiting for resize job job-1 of server web-1 (last seen: RUNNING); nothing was reverted'
    assert (result['error'], result['elapsed'], job_reads) == ('timeout', 20.0, [2.0, 4.0, 6.0, 9.0, 13.5])
    assert feed.delays[-1] == 0.5  # the last wait ends right at the timeout


def test_a_job_is_polled_as_a_long_phase_and_reported_once_until_it_ends():
    compute, clock, reports = FakeOtc(status='SHUTOFF', job_reads=12), Clock(), []
    request = ResizeRequest(server='web-1', flavor='s6.large.2', api='ecs')
    result = ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, progress=reports.append).run()
    # half the job's age, between 1.5 s and 3 s: the PollPolicy of a long phase, its age counted from the first look
    assert clock.sleeps == [1.5, 1.5, 1.5, 2.25, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0] and result['elapsed'] == 27.75
    assert [(r['phase'], r['elapsed'], r['still']) for r in reports] == [
        ('SHUTOFF', 0.0, False), ('resize job job-1 RUNNING', 0.0, False), ('SHUTOFF', 27.8, False)]
    assert result['jobs'] == [job_dict('job-1', 'resize')] and result['job'] == job_dict('job-1', 'resize')


def test_a_job_that_does_not_end_times_out_naming_it_whole():
    compute, clock = FakeOtc(status='SHUTOFF', job_reads=10 ** 6), Clock()
    with pytest.raises(ResizeError) as caught:
        operation(compute, clock=clock, timeout=30).run()
    assert caught.value.message == ('timed out after 30 s waiting for resize job job-1 of server web-1 (last seen: RUNNING); '
                                    'nothing was reverted')
    assert clock.sleeps == [1.5, 1.5, 1.5, 2.25, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 2.25] and clock.now == 30.0
    assert caught.value.result['jobs'] == [] and caught.value.result['job_id'] == 'job-1'


def test_a_job_without_status_is_reported_so():
    compute, clock, reports = FakeOtc(status='SHUTOFF', job_reads=3), Clock(), []
    original = compute.get_job

    def get_job(job_id):
        doc = original(job_id)
        return dict(doc, status=None) if doc['status'] == 'RUNNING' else doc
    compute.get_job = get_job
    ResizeOperation(compute, ResizeRequest(server='web-1', flavor='s6.large.2', api='ecs'), clock=clock, sleep=clock.sleep,
                    progress=reports.append).run()
    assert [r['phase'] for r in reports] == ['SHUTOFF', 'resize job job-1 without status', 'SHUTOFF']


NO_ECS_HINT = ' (does this cloud offer the native ECS API? use api=nova on plain OpenStack)'


@pytest.mark.parametrize('status, refused, error, message', [
    ('SHUTOFF', 'ecs_resize', ApiError(404, message='not found'), 'the cloud refused to resize server web-1: not found' + NO_ECS_HINT),
    ('ACTIVE', 'ecs_power', ApiError(300, message='version document'), 'the cloud refused to stop server web-1: version document' + NO_ECS_HINT),
    ('ACTIVE', 'ecs_power', ApiError(405, message='no'), 'the cloud refused to stop server web-1: no'),
    ('SHUTOFF', 'ecs_resize', ApiError(409, code='Ecs.0319', message='no capacity'),
     'the cloud refused to resize server web-1: no capacity (the cloud has no capacity for this flavor now: choose another flavor or '
     'availability zone, or retry later)'),
    ('SHUTOFF', 'ecs_resize', ApiError(404, code='Ecs.0319', message='no capacity'),
     'the cloud refused to resize server web-1: no capacity (the cloud has no capacity for this flavor now: choose another flavor or '
     'availability zone, or retry later)'),
    ('ACTIVE', 'set_metadata', ApiError(404, message='gone'), 'the cloud refused to write the restart marker into the metadata of server web-1: gone'),
    ('ACTIVE', 'set_metadata', ApiError(409, message='busy'),
     'the cloud refused to write the restart marker into the metadata of server web-1: busy (the server is locked or busy, or its state '
     'does not allow it)'),
])
def test_a_native_request_the_cloud_refuses_fails_in_its_words_with_a_hint_where_one_helps(status, refused, error, message):
    compute = FakeOtc(status=status, refuse={refused: error})
    result, said, warnings, clock = whole_native_run(compute, validate_target='never')
    assert (said, warnings, result['error'], result['msg'], result['outcome']) == (message, [], 'api_error', error.message, 'failed')


@pytest.mark.parametrize('compute, options, message, dry_run', [
    (lambda: FakeOtc(status='SHUTOFF'), {},
     'would resize: server runs on s6.medium.2 (1 vCPU, 2048 MiB), not on s6.large.2 (2 vCPU, 4096 MiB) (the cloud accepted a dry run)',
     ('ecs_resize', 's6.large.2', True, None)),
    (lambda: FakeOtc(swiss=True), dict(restart_mode='with_stop_server'),
     'would resize: server runs on s6.medium.2 (1 vCPU, 2048 MiB), not on s6.large.2 (2 vCPU, 4096 MiB) (the cloud accepted a dry run)',
     ('ecs_resize', 's6.large.2', True, 'withStopServer')),
    (lambda: FakeOtc(status='SHUTOFF'), dict(restart_mode='with_stop_server'),
     'would resize: server runs on s6.medium.2 (1 vCPU, 2048 MiB), not on s6.large.2 (2 vCPU, 4096 MiB) (the cloud accepted a dry run)',
     ('ecs_resize', 's6.large.2', True, None)),
    (lambda: FakeOtc(refuse={'ecs_resize': ApiError(400, code='Ecs.0100', message='state')}), {},
     'would stop server web-1, resize it to s6.large.2 (2 vCPU, 4096 MiB) and start it again (the cloud accepted a dry run of the resize)',
     ('ecs_resize', 's6.large.2', True, None)),
    (lambda: FakeOtc(status='SHUTOFF', flavor='s6.large.2', metadata={RESTART_MARKER: 'true'}), {},
     'would finish the resize an earlier run began: server web-1 was stopped for the resize and runs on s6.large.2 (2 vCPU, 4096 MiB): '
     'starting it again', None),
])
def test_check_mode_says_what_it_would_do_in_whole(compute, options, message, dry_run):
    compute = compute()
    result, error, warnings, clock = whole_native_run(compute, check_mode=True, **options)
    assert (error, warnings, result['msg'], result['changed']) == (None, [], message, True)
    assert [entry for entry in compute.log if entry[0] == 'ecs_resize'] == ([dry_run] if dry_run else [])


@pytest.mark.parametrize('status, error, message', [
    ('SHUTOFF', ApiError(400, code='Ecs.0100', message='state'),
     'the cloud would refuse to resize server web-1 to s6.large.2 (2 vCPU, 4096 MiB) (dry run): state (the server is not in a state that '
     'allows this: see its status with ecs_ops.compute.ecs_server_info)'),
    ('ACTIVE', ApiError(400, code='Ecs.0000', message='bad'),
     'the cloud would refuse to resize server web-1 to s6.large.2 (2 vCPU, 4096 MiB) (dry run): bad'),
])
def test_check_mode_fails_when_the_dry_run_is_refused_for_another_reason_than_the_running_server(status, error, message):
    compute = FakeOtc(status=status, refuse={'ecs_resize': error})
    result, said, warnings, clock = whole_native_run(compute, check_mode=True)
    assert (said, result['error'], result['msg'], result['changed']) == (message, 'dry_run_refused', error.message, False)


@pytest.mark.parametrize('call, after, count, warning', [
    ('set_metadata', False, 2, 'the metadata:set request got no clear answer (no answer) and the server shows no sign of it; sending it once more'),
    ('set_metadata', True, 1, 'the metadata:set request got no clear answer (no answer), but the cloud has started it; carrying on'),
    ('delete_metadata', False, 2,
     'the metadata:delete request got no clear answer (no answer) and the server shows no sign of it; sending it once more'),
    ('delete_metadata', True, 1, 'the metadata:delete request got no clear answer (no answer), but the cloud has started it; carrying on'),
])
def test_an_unclear_answer_to_the_marker_is_checked_in_the_metadata(call, after, count, warning):
    compute = FakeOtc()
    original = getattr(compute, call)
    dropped, attempts = [], []

    def unclear(server_id, key, *value):
        attempts.append(key)
        if not dropped:
            dropped.append(1)
            if after:
                original(server_id, key, *value)
            raise AmbiguousRequestError('no answer')
        return original(server_id, key, *value)
    setattr(compute, call, unclear)
    result, error, warnings, clock = whole_native_run(compute)
    assert (error, warnings, result['outcome']) == (None, [warning], 'resized')
    assert attempts == [RESTART_MARKER] * count and RESTART_MARKER not in compute.server['metadata']
    assert result['actions'] == ['metadata:set', 'ecs:stop', 'ecs:resize', 'ecs:start', 'metadata:delete']


def test_in_a_batch_a_job_that_ended_before_the_listing_showed_it_is_followed_by_a_listing_at_once():
    compute = FakeOtc(status='SHUTOFF', job_reads=7)
    result, error, feed, reports, job_reads = batch_native_run(compute)
    # the job read at 4 s says it ended; the listing had not shown the server at rest: it is listed again right away
    assert (error, result['outcome'], result['elapsed'], job_reads) == (None, 'resized', 4.0, [2.0, 4.0])
    assert feed.delays == pytest.approx([0.2, 1.5, 0.3, 1.5, 0.5, 0.0])
    assert reports == [('SHUTOFF', 0.0), ('resize job job-1 RUNNING', 2.0), ('resize job job-1 SUCCESS', 4.0), ('SHUTOFF', 4.0)]


def test_a_native_run_stopped_by_a_refusal_leaves_the_marker_that_a_rerun_reads():
    compute = FakeOtc(refuse={'ecs_power': ApiError(409, message='busy')})
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert error.startswith('the cloud refused to stop server web-1: busy')
    assert compute.server['metadata'] == {RESTART_MARKER: 'true'} and result['changed'] is True
    assert result['actions'] == ['metadata:set'] and result['request_ids'] == {'metadata:set': 'req-meta'}


@pytest.mark.parametrize('status, refused, message', [
    ('SHUTOFF', 'ecs_power', 'the cloud refused to start server web-1: busy (the server is locked or busy, or its state does not allow it)'),
    ('SHUTOFF', 'delete_metadata',
     'the cloud refused to remove the restart marker from the metadata of server web-1: busy (the server is locked or busy, or its state '
     'does not allow it)'),
])
def test_a_refusal_of_the_last_steps_of_a_rerun_is_named(status, refused, message):
    compute = FakeOtc(status=status, flavor='s6.large.2', metadata={RESTART_MARKER: 'true'}, refuse={refused: ApiError(409, message='busy')})
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert error == message


def test_a_server_found_mid_resize_that_never_ends_times_out_naming_what_it_shows():
    compute = FakeOtc()
    compute.server.update(status='RESIZE', **{'OS-EXT-STS:task_state': 'resize_migrating'})
    result, error, warnings, clock = whole_native_run(compute, timeout=10)
    assert error == ('timed out after 10 s waiting for server web-1 (last seen: RESIZE/resize_migrating on s6.medium.2 (1 vCPU, '
                     '2048 MiB)); nothing was reverted')
    assert (result['error'], result['changed'], clock.now) == ('timeout', False, 10.0)


def test_a_job_without_status_that_does_not_end_times_out_saying_so():
    compute = FakeOtc(status='SHUTOFF', job_reads=10 ** 6)
    original = compute.get_job
    compute.get_job = lambda job_id: dict(original(job_id), status=None)
    result, error, warnings, clock = whole_native_run(compute, timeout=10)
    assert error == 'timed out after 10 s waiting for resize job job-1 of server web-1 (last seen: no status); nothing was reverted'


@pytest.mark.parametrize('batch', [False, True])
@pytest.mark.parametrize('failed, message, calls, jobs', [
    ('os-stop', 'the cloud failed to stop server web-1 (job job-1: Ecs.0001: the job of os-stop failed); it is ACTIVE on its old flavor '
     's6.medium.2 (1 vCPU, 2048 MiB)', ['set_metadata', 'os-stop', 'delete_metadata'], [('stop', 'FAIL')]),
    # a failed start is no failed resize: the resize is done, the server is left stopped with the marker (a rerun starts it)
    ('os-start', 'the cloud failed to start server web-1 (job job-3: Ecs.0001: the job of os-start failed); it is SHUTOFF on s6.large.2 '
     '(2 vCPU, 4096 MiB)', ['set_metadata', 'os-stop', 'resize', 'os-start'], [('stop', 'SUCCESS'), ('resize', 'SUCCESS'), ('start', 'FAIL')]),
])
def test_a_failed_stop_or_start_job_is_named(batch, failed, message, calls, jobs):
    compute = FakeOtc(fail_power=(failed,))
    if batch:
        result, error, feed, reports, job_reads = batch_native_run(compute)
    else:
        result, error, warnings, clock = whole_native_run(compute)
    assert (error, sent(compute), [(j['action'], j['status']) for j in result['jobs']]) == (message, calls, jobs)
    assert (result['outcome'], result['error']) == ('failed', 'job_failed')


@pytest.mark.parametrize('power', ['os-stop', 'os-start'])
@pytest.mark.parametrize('sign', ['status', 'instance action'])
def test_an_unclear_stop_or_start_is_taken_as_done_when_the_server_or_its_instance_actions_show_it(power, sign):
    import datetime
    status = 'ACTIVE' if power == 'os-stop' else 'SHUTOFF'
    marker = None if power == 'os-stop' else {RESTART_MARKER: 'true'}
    compute = FakeOtc(status=status, flavor='s6.medium.2' if power == 'os-stop' else 's6.large.2', metadata=marker, job_reads=1)
    original = compute.ecs_power
    shown = []

    def ecs_power(server_id, action):
        answer = original(server_id, action)
        if action == power and not shown:
            shown.append(action)
            if sign == 'instance action':  # the cloud took it, the server does not show it yet
                compute.server['OS-EXT-STS:task_state'] = None
                compute.jobs[answer[0]]['reads'] = -1
                started = datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%f')
                compute.instance_actions = lambda server_id: [{'action': 'reboot', 'start_time': started},
                                                              {'action': power[3:], 'start_time': started}]
            raise AmbiguousRequestError('no answer')
        return answer
    compute.ecs_power = ecs_power
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert (error, sent(compute).count(power), result['outcome']) == (None, 1, 'resized')
    assert warnings == ['the ecs:%s request got no clear answer (no answer), but the cloud has started it; carrying on' % power[3:]]


@pytest.mark.parametrize('batch', [False, True])
def test_a_job_timeout_names_the_server_by_its_name_when_asked_for_by_id(batch):
    compute, clock = FakeOtc(status='SHUTOFF', job_reads=10 ** 6), Clock()
    request = ResizeRequest(server=SERVER_ID, flavor='s6.large.2', api='ecs', timeout=10)
    feed = OtcFeed(compute, clock) if batch else None
    with pytest.raises(ResizeError) as caught:
        ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, feed=feed).run()
    assert caught.value.message == ('timed out after 10 s waiting for resize job job-1 of server web-1 (last seen: RUNNING); '
                                    'nothing was reverted')


@pytest.mark.parametrize('batch', [False, True])
def test_jobs_whose_documents_do_not_repeat_their_id_are_named_by_the_id_the_request_gave(batch):
    compute = FakeOtc(job_reads=5)
    original = compute.get_job
    compute.get_job = lambda job_id: dict((k, v) for k, v in original(job_id).items() if k != 'job_id')
    if batch:
        result, error, feed, reports, job_reads = batch_native_run(compute)
    else:
        result, error, warnings, clock = whole_native_run(compute, validate_target='never')
        # a stop or start job is short: read densely, a little less often each time; the resize job as a long phase
        assert [round(s, 4) for s in clock.sleeps] == [0.2, 0.2, 0.23, 0.2645, 0.3042, 1.5, 1.5, 1.5, 2.25, 0.2, 0.23, 0.2645, 0.3042, 0.2]
    assert (error, result['job']['id'], [j['id'] for j in result['jobs']]) == (None, 'job-2', ['job-1', 'job-2', 'job-3'])


def test_a_job_wait_ends_at_the_timeout_not_before():
    compute, clock = FakeOtc(status='SHUTOFF', job_reads=10 ** 6), Clock()
    with pytest.raises(ResizeError) as caught:
        operation(compute, clock=clock, timeout=28).run()
    assert clock.now == 28.0 and caught.value.message.startswith('timed out after 28 s waiting for resize job job-1')


def test_in_a_batch_a_server_at_rest_whose_job_goes_on_is_read_again_on_the_timer_not_on_every_listing():
    compute = FakeOtc(status='SHUTOFF', job_reads=30)
    original = compute.ecs_resize

    def ecs_resize(server_id, flavor_id, dry_run=False, mode=None, dedicated_host_id=None):
        answer = original(server_id, flavor_id, dry_run=dry_run, mode=mode, dedicated_host_id=dedicated_host_id)
        # the server shows the new flavor and rests at once; the job goes on
        compute.server.update(status='SHUTOFF', flavor={'id': flavor_id}, **{'OS-EXT-STS:task_state': None})
        return answer
    compute.ecs_resize = ecs_resize
    result, error, feed, reports, job_reads = batch_native_run(compute)
    # read when the listing shows the change (0.2 s), then 2 s later, then at half the time since the request
    assert (error, result['elapsed'], job_reads) == (None, 9.45, [0.2, 2.2, 4.2, 6.3, 9.45])
    assert reports == [('SHUTOFF', 0.0), ('resize job job-1 RUNNING', 0.2), ('resize job job-1 SUCCESS', 9.5), ('SHUTOFF', 9.5)]
    assert len(feed.delays) == 26 and feed.delays[-1] == 0.0


def test_a_running_server_resized_in_one_job_is_done_once_it_runs_again():
    # with_stop_server: the cloud stops, resizes and starts the server in one job; it may show SHUTOFF a moment after
    compute = FakeOtc(swiss=True)
    original = compute.get_server
    shown = []

    def get_server(server_id):
        doc = original(server_id)
        if doc['flavor']['id'] == 's6.large.2' and not shown:
            shown.append(1)
            return dict(doc, status='SHUTOFF')
        return doc
    compute.get_server = get_server
    result, error, warnings, clock = whole_native_run(compute, restart_mode='with_stop_server')
    assert (error, result['server']['status'], result['outcome'], shown) == (None, 'ACTIVE', 'resized', [1])


def resize_jobs_succeed_without_resizing(compute):
    """Every resize job `compute` is sent ends in SUCCESS, and the server keeps its flavor s6.medium.2."""
    original = compute.ecs_resize

    def ecs_resize(server_id, flavor_id, dry_run=False, mode=None, dedicated_host_id=None):
        answer = original(server_id, flavor_id, dry_run=dry_run, mode=mode, dedicated_host_id=dedicated_host_id)
        compute.jobs[answer[0]]['effect']['flavor'] = 's6.medium.2'
        return answer
    compute.ecs_resize = ecs_resize


@pytest.mark.parametrize('batch', [False, True])
def test_a_resize_job_that_succeeds_without_resizing_is_reported_as_rolled_back_after_the_restart(batch):
    compute = FakeOtc()
    resize_jobs_succeed_without_resizing(compute)
    if batch:
        result, error, feed, reports, job_reads = batch_native_run(compute)
    else:
        result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert error == ('the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2 (1 vCPU, 2048 MiB), '
                     'not on s6.large.2 (2 vCPU, 4096 MiB)')
    assert sent(compute) == ['set_metadata', 'os-stop', 'resize', 'os-start', 'delete_metadata']
    assert [(j['action'], j['status']) for j in result['jobs']] == [('stop', 'SUCCESS'), ('resize', 'SUCCESS'), ('start', 'SUCCESS')]
    assert result['job'] == job_dict('job-2', 'resize')


def test_a_server_still_busy_after_its_job_ended_is_looked_at_again_not_its_job():
    compute = FakeOtc(status='SHUTOFF')
    original = compute.get_server
    shown = []

    def get_server(server_id):
        doc = original(server_id)
        if doc['flavor']['id'] == 's6.large.2' and not shown:
            shown.append(1)
            return dict(doc, **{'OS-EXT-STS:task_state': 'resize_finish'})
        return doc
    compute.get_server = get_server
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert (error, [j['id'] for j in result['jobs']], clock.sleeps) == (None, ['job-1'], [1.5, 0.2])
    assert [e[0] for e in compute.log].count('get_job') == 2


@pytest.mark.parametrize('batch', [False, True])
def test_a_rerun_whose_resize_job_succeeds_without_resizing_restarts_the_server_and_reports_the_rollback(batch):
    compute = FakeOtc(status='SHUTOFF', metadata={RESTART_MARKER: 'true'})
    resize_jobs_succeed_without_resizing(compute)
    if batch:
        result, error, feed, reports, job_reads = batch_native_run(compute)
    else:
        result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert (sent(compute), result['outcome']) == (['resize', 'os-start', 'delete_metadata'], 'rolled_back')
    assert error == ('the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2 (1 vCPU, 2048 MiB), '
                     'not on s6.large.2 (2 vCPU, 4096 MiB)')


def test_the_allowed_flavors_are_named_by_name_else_by_id():
    compute = FakeOtc()
    compute.resize_flavors = lambda server_id: [{'id': 'f-123', 'name': 's6.xlarge.2'}, {'id': 'f-9'}]
    result, error, warnings, clock = whole_native_run(compute)
    assert result['allowed_flavors'] == ['f-9', 's6.xlarge.2']


def test_a_resize_job_that_succeeds_without_resizing_a_stopped_server_fails_as_not_applied_and_rolled_back():
    compute = FakeOtc(status='SHUTOFF')
    resize_jobs_succeed_without_resizing(compute)
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert error == ('resize job job-1 reported SUCCESS but server web-1 is SHUTOFF on s6.medium.2 (1 vCPU, 2048 MiB), not on '
                     's6.large.2 (2 vCPU, 4096 MiB)')
    assert (result['error'], result['rolled_back'], result['outcome']) == ('not_applied', True, 'rolled_back')


@pytest.mark.parametrize('fail, said', [('Ecs.0319', False), (None, True)])
def test_the_servers_fault_is_quoted_only_when_the_job_does_not_say_why(fail, said):
    compute = FakeOtc(status='SHUTOFF', fail=fail)
    compute.server['fault'] = {'message': 'host unreachable'}
    if fail is None:
        resize_jobs_succeed_without_resizing(compute)
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert error.endswith('. The cloud said: host unreachable') is said


def test_an_unclear_native_resize_checks_the_instance_actions_too():
    import datetime
    compute = FakeOtc(status='SHUTOFF', drop={'resize': AmbiguousRequestError('no answer')})
    long_ago = (datetime.datetime.utcnow() - datetime.timedelta(hours=1)).strftime('%Y-%m-%dT%H:%M:%S.%f')
    compute.instance_actions = lambda server_id: [{'action': 'resize', 'start_time': long_ago}]
    result, error, warnings, clock = whole_native_run(compute, validate_target='never')
    assert (error, sent(compute).count('resize')) == (None, 2)


class VanishingFeed(OtcFeed):
    """After the first look the listing cannot answer for the server; read on its own, it is gone."""

    def watch(self, server_id, delay, seen_at):
        if self.delays:
            self.delays.append(delay)
            self.compute.gone = True
            return self.READ_ALONE, None
        return OtcFeed.watch(self, server_id, delay, seen_at)

    def read_alone(self):
        pass


def test_in_a_batch_a_job_whose_server_vanished_times_out_naming_the_server_asked_for():
    compute, clock = FakeOtc(status='SHUTOFF', job_reads=10 ** 6), Clock()
    compute.gone = False
    original = compute.get_server
    compute.get_server = lambda server_id: None if compute.gone else original(server_id)
    request = ResizeRequest(server='web-1', flavor='s6.large.2', api='ecs', timeout=10)
    with pytest.raises(ResizeError) as caught:
        ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, feed=VanishingFeed(compute, clock)).run()
    assert caught.value.message == 'timed out after 10 s waiting for resize job job-1 of server web-1 (last seen: RUNNING); nothing was reverted'
    assert clock.now == 10.0


def test_in_a_batch_a_job_whose_server_does_not_change_is_read_on_the_timer():
    compute = FakeOtc(status='SHUTOFF', job_reads=12)
    original = compute.ecs_resize

    def ecs_resize(server_id, flavor_id, dry_run=False, mode=None, dedicated_host_id=None):
        answer = original(server_id, flavor_id, dry_run=dry_run, mode=mode, dedicated_host_id=dedicated_host_id)
        compute.server.update(status='SHUTOFF', **{'OS-EXT-STS:task_state': None})  # the server shows nothing yet
        return answer
    compute.ecs_resize = ecs_resize
    result, error, feed, reports, job_reads = batch_native_run(compute)
    # nothing changes: read 2 s after the request, then (half the time since, at least 2 s) until the change shows the end
    assert (error, job_reads) == (None, [2.0, 3.88])


@pytest.mark.parametrize('batch', [False, True])
def test_a_stop_job_without_status_is_read_densely_and_reported_so(batch):
    compute = FakeOtc(job_reads=4)
    original = compute.get_job
    compute.get_job = lambda job_id: dict(original(job_id), status=None) if compute.jobs[job_id]['reads'] < 4 else original(job_id)
    if batch:
        result, error, feed, reports, job_reads = batch_native_run(compute)
        assert 'resize job job-2 without status' in [phase for phase, elapsed in reports]
    else:
        clock, reports = Clock(), []
        request = ResizeRequest(server='web-1', flavor='s6.large.2', api='ecs', validate_target='never')
        ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, progress=reports.append).run()
        assert [round(s, 4) for s in clock.sleeps[:4]] == [0.2, 0.23, 0.2645, 0.3042]
        assert 'stop job job-1 without status' in [r['phase'] for r in reports]


def test_in_a_batch_long_jobs_sent_after_the_first_request_are_read_at_half_their_own_age():
    compute = FakeOtc(job_reads=40)
    result, error, feed, reports, job_reads = batch_native_run(compute)
    # the stop job sent at 0.2 s: read at 2.2, 4.2, 6.2, 9.2, 13.7 s; the resize job sent at 15.2 s: at 17.2, 19.2, 21.2, 24.2 ...
    assert (error, job_reads) == (None, [2.2, 4.2, 6.2, 9.2, 13.7, 15.2, 17.2, 19.2, 21.2, 24.2, 28.7, 35.45, 45.575, 59.075, 61.075,
                                         63.075, 65.075, 68.075, 72.575, 74.075])


def test_in_a_batch_a_failed_job_whose_server_was_busy_at_a_timer_read_is_read_once_the_server_rests():
    compute = FakeOtc(status='SHUTOFF', fail='Ecs.0319', job_reads=8)
    result, error, feed, reports, job_reads = batch_native_run(compute)
    # busy at the timer reads (2 s, 4 s); back to rest (on its old flavor) at 5.5 s: read then, not at the next timer read (6 s)
    assert (result['error'], job_reads) == ('job_failed', [2.0, 4.0, 5.5])
