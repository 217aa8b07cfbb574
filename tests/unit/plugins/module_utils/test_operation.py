# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""operation.py: what a request may ask (ResizeRequest)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeOperation, ResizeRequest, interrupted_message


@pytest.mark.parametrize('api, state, confirm, problem', [
    ('nova', 'reverted', False, None),
    ('ecs', 'present', True, None),
    ('ecs', 'confirmed', True, 'state=confirmed does not apply'),
    ('ecs', 'reverted', True, 'state=reverted does not apply'),
    ('ecs', 'present', False, 'confirm=false does not apply'),
])
def test_options_that_do_not_fit_the_api(api, state, confirm, problem):
    message = ResizeRequest('web-1', flavor='f', api=api, state=state, confirm=confirm).problem()
    if problem is None:
        assert message is None
    else:
        assert problem in message and 'api=nova' in message


@pytest.mark.parametrize('options, problem', [
    (dict(flavor=''), 'no flavor: state=present needs the target flavor'),
    (dict(flavor='  '), 'no flavor'),
    (dict(flavor=None, state='confirmed'), None),
    (dict(flavor='f', timeout=0), 'timeout must be a positive number of seconds, got 0'),
    (dict(flavor='f', timeout=-5), 'got -5'),
])
def test_flavor_and_timeout(options, problem):
    message = ResizeRequest('web-1', **options).problem()
    assert message is None if problem is None else problem in message


def test_from_params_takes_the_item_over_the_module_options():
    params = dict(server=None, flavor='s6.large.2', state='present', confirm=True, wait=True, timeout=1800,
                  allow_restart=True, api='nova', validate_target='auto', unrelated='x')
    request = ResizeRequest.from_params(params, check_mode=True, item=dict(server='web-1', confirm=False, flavor=None))
    assert (request.server, request.flavor, request.confirm, request.check_mode) == ('web-1', 's6.large.2', False, True)


# -- the loop with api=nova, over a scripted compute API and a fake clock ------------------------------

class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


FLAVORS = {'s6.medium.2': {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0},
           's6.large.2': {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}}


class ScriptedNova(object):
    """web-1 on s6.medium.2; after the resize POST each read shows the next (status, task, flavor) of `script`
    (the last one repeats); confirmResize moves it to `after_confirm`."""

    def __init__(self, script, after_confirm=('ACTIVE', None, 's6.large.2'), clock=None):
        self.phase = ('ACTIVE', None, 's6.medium.2')
        self.script = list(script)
        self.after_confirm = after_confirm
        self.posts = []
        self.calls = 0
        self.clock = clock
        self.compute_url = 'https://ecs.example.com/v2.1/p1'

    def doc(self):
        status, task, flavor = self.phase
        return {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': {'id': flavor}}

    def get_server(self, server_id):
        self.calls += 1
        if self.posts and self.script:
            self.phase = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return self.doc()

    def list_servers(self, name_regex=None, status=None):
        self.calls += 1
        return [self.doc()]

    def get_flavor(self, flavor_id):
        self.calls += 1
        return FLAVORS.get(flavor_id)

    def ecs_project_id(self):
        return None

    def server_action(self, server_id, body):
        self.calls += 1
        self.posts.append(sorted(body)[0])
        if 'confirmResize' in body:
            self.script = [self.after_confirm]
        return 'req-%d' % len(self.posts)

    def instance_actions(self, server_id):
        return []

    def instance_action(self, server_id, request_id):
        return None


def nova_operation(compute, clock, **options):
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never', **options)
    reports = []
    operation = ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, progress=reports.append)
    return operation, reports


RESIZE_SCRIPT = [('RESIZE', 'resize_prep', 's6.medium.2')] * 3 + [('RESIZE', 'resize_migrating', 's6.medium.2')] * 200 + [
    ('RESIZE', 'resize_finish', 's6.large.2'), ('VERIFY_RESIZE', None, 's6.large.2')]


def test_nova_resize_and_confirm_reports_each_phase_and_a_lasting_one_every_minute():
    clock = Clock()
    compute = ScriptedNova(RESIZE_SCRIPT)
    operation, reports = nova_operation(compute, clock)
    result = operation.run()
    assert compute.posts == ['resize', 'confirmResize'] and result['outcome'] == 'resized' and result['changed'] is True
    phases = [r['phase'] for r in reports if not r['still']]
    assert phases == ['ACTIVE', 'RESIZE/resize_prep', 'RESIZE/resize_migrating', 'RESIZE/resize_finish', 'VERIFY_RESIZE', 'ACTIVE']
    still = [r for r in reports if r['still']]
    assert still and all(r['phase'] == 'RESIZE/resize_migrating' for r in still)
    times = [r['elapsed'] for r in reports if r['phase'] == 'RESIZE/resize_migrating']
    assert all(60.0 <= b - a < 70.0 for a, b in zip(times, times[1:]))
    assert all(r['server'] == 'web-1' for r in reports)


def test_nova_confirm_false_leaves_it_pending_with_that_outcome():
    clock = Clock()
    operation, reports = nova_operation(ScriptedNova(RESIZE_SCRIPT[:3] + RESIZE_SCRIPT[-2:]), clock, confirm=False)
    result = operation.run()
    assert result['outcome'] == 'pending' and result['pending_confirmation'] is True


# -- unclear answers and refusals on the Nova path: every POST counted ------------------------------------

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, ResizeError  # noqa: E402


class FakeNova(object):
    """web-1 as Nova shows it: a resize runs for `phase_reads` reads in RESIZE, then VERIFY_RESIZE on the target;
    confirmResize/revertResize take `phase_reads` reads (the server still shows VERIFY_RESIZE meanwhile, as Nova
    does after its 204). `faults` is a list of (action, kind) consumed in order: kind 'before' (no answer, nothing
    done), 'after' (done, then no answer), 'refuse' (409, nothing done), or 'rollback' (accepted, rolled back at once).
    `actions` are the instance actions the cloud shows (newest first)."""

    def __init__(self, faults=(), phase_reads=3, status='ACTIVE', flavor='s6.medium.2', locked=False):
        self.status, self.task, self.flavor, self.locked = status, None, flavor, locked
        self.faults = list(faults)
        self.phase_reads = phase_reads
        self.pending = None  # (reads left, the state it ends in)
        self.posts = []      # every POST that reached the cloud: (action, answered)
        self.actions = []
        self.calls = 0
        self.compute_url = 'https://ecs.example.com/v2.1/p1'

    def doc(self):
        return {'id': 'srv-1', 'name': 'web-1', 'status': self.status, 'OS-EXT-STS:task_state': self.task,
                'flavor': {'id': self.flavor}, 'locked': self.locked}

    def _tick(self):
        if self.pending:
            left, end = self.pending
            if left <= 1:
                self.status, self.task, self.flavor = end
                self.pending = None
            else:
                self.pending = (left - 1, end)

    def get_server(self, server_id):
        assert server_id == 'srv-1', server_id
        self.calls += 1
        self._tick()
        return self.doc()

    def list_servers(self, name_regex=None, status=None):
        self.calls += 1
        return [self.doc()]

    def get_flavor(self, flavor_id):
        self.calls += 1
        return FLAVORS.get(flavor_id)

    def ecs_project_id(self):
        return None

    def instance_actions(self, server_id):
        assert server_id == 'srv-1', server_id
        self.calls += 1
        return list(self.actions)

    def instance_action(self, server_id, request_id):
        assert server_id == 'srv-1', server_id
        return None

    def act(self, action, rollback=False):
        """What the cloud does when it accepts `action`."""
        import datetime
        self.actions.insert(0, {'action': action, 'request_id': 'req-%d' % len(self.posts),
                                'start_time': datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%f')})
        if action == 'resize':
            self.status, self.task = 'RESIZE', 'resize_prep'
            end = ('ACTIVE', None, 's6.medium.2') if rollback else ('VERIFY_RESIZE', None, 's6.large.2')
            self.pending = (self.phase_reads, end)
        elif action == 'confirmResize':
            self.pending = (self.phase_reads, ('ACTIVE', None, self.flavor))
        elif action == 'revertResize':
            self.status, self.task = 'REVERT_RESIZE', 'resize_reverting'
            self.pending = (self.phase_reads, ('ACTIVE', None, 's6.medium.2'))

    def server_action(self, server_id, body):
        assert server_id == 'srv-1', server_id
        self.calls += 1
        action = sorted(body)[0]
        fault = self.faults.pop(0)[1] if self.faults and self.faults[0][0] == action else None
        if fault == 'before':
            self.posts.append((action, False))
            raise AmbiguousRequestError('POST /servers/srv-1/action may or may not have been carried out: HTTP 502')
        if fault == 'refuse' or (action == 'resize' and self.status != 'ACTIVE') or (
                action in ('confirmResize', 'revertResize') and (self.status != 'VERIFY_RESIZE' or self.pending)):
            self.posts.append((action, False))
            raise ApiError(409 if fault == 'refuse' or action == 'resize' else 400, code='conflictingRequest',
                           message='Instance has not been resized.' if action != 'resize' else 'Cannot resize while it is in task_state resize_prep')
        self.posts.append((action, True))
        self.act(action, rollback=fault == 'rollback')
        if fault == 'after':
            raise AmbiguousRequestError('POST /servers/srv-1/action may or may not have been carried out: no answer')
        return 'req-%d' % len(self.posts)


def run_nova(compute, **options):
    clock = Clock()
    warnings = []
    options.setdefault('flavor', 's6.large.2')
    options.setdefault('validate_target', 'never')
    request = ResizeRequest(server='web-1', **options)
    operation = ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, warn=warnings.append)
    return operation.run(), warnings


def accepted(compute, action):
    return len([p for p in compute.posts if p == (action, True)])


@pytest.mark.parametrize('fault, resize_posts', [('before', 2), ('after', 1)])
def test_unclear_resize_is_sent_again_only_when_the_cloud_did_not_act(fault, resize_posts):
    compute = FakeNova(faults=[('resize', fault)])
    result, warnings = run_nova(compute)
    assert result['outcome'] == 'resized' and compute.flavor == 's6.large.2'
    assert accepted(compute, 'resize') == 1 and len([p for p in compute.posts if p[0] == 'resize']) == resize_posts
    assert accepted(compute, 'confirmResize') == 1


def test_two_unclear_answers_in_a_row_are_sent_a_third_time_not_given_up():
    compute = FakeNova(faults=[('resize', 'before'), ('resize', 'before')])
    result, warnings = run_nova(compute)
    assert result['outcome'] == 'resized' and accepted(compute, 'resize') == 1
    assert len([w for w in warnings if 'sending it once more' in w]) == 2


def test_unclear_answers_without_end_fail_after_the_limit_having_changed_nothing():
    compute = FakeNova(faults=[('resize', 'before')] * 10)
    with pytest.raises(ResizeError) as caught:
        run_nova(compute)
    assert caught.value.result['error'] == 'no_clear_answer' and 'nothing was changed' in caught.value.message
    assert accepted(compute, 'resize') == 0 and len(compute.posts) == 4


def test_a_rollback_right_after_an_unclear_answer_is_reported_not_resized_again():
    compute = FakeNova(faults=[('resize', 'rollback')], phase_reads=1)
    compute.faults = [('resize', 'rollback')]
    original = compute.server_action

    def unclear_rollback(server_id, body):
        try:
            original(server_id, body)
        finally:
            pass
        raise AmbiguousRequestError('no answer')
    compute.server_action = unclear_rollback
    with pytest.raises(ResizeError) as caught:
        run_nova(compute)
    assert caught.value.result['rolled_back'] is True and len(compute.posts) == 1


@pytest.mark.parametrize('action, fault, state', [
    ('confirmResize', 'before', 'present'), ('confirmResize', 'after', 'present'),
    ('revertResize', 'before', 'reverted'), ('revertResize', 'after', 'reverted'),
])
def test_unclear_confirm_and_revert(action, fault, state):
    compute = FakeNova(faults=[(action, fault)], status='VERIFY_RESIZE', flavor='s6.large.2')
    result, warnings = run_nova(compute, state=state, flavor=None if state == 'reverted' else 's6.large.2')
    assert accepted(compute, action) == 1 and compute.status == 'ACTIVE'
    assert result['outcome'] == ('reverted' if state == 'reverted' else 'resized')


def test_a_confirm_refused_while_another_confirm_runs_is_waited_for():
    # the killed earlier run confirmed; Nova still shows VERIFY_RESIZE and refuses a second confirmation with 400
    compute = FakeNova(status='VERIFY_RESIZE', flavor='s6.large.2')
    compute.act('confirmResize')
    result, warnings = run_nova(compute)
    assert compute.status == 'ACTIVE' and result['outcome'] == 'resized' and result['actions'] == []
    assert accepted(compute, 'confirmResize') == 0 and any('waiting for it' in w or 'following the server' in w for w in warnings)


def test_a_resize_refused_because_another_job_started_one_is_followed():
    compute = FakeNova()
    original = compute.server_action

    def overlapping(server_id, body):
        if 'resize' in body and not compute.posts:
            compute.act('resize')  # the other job's resize lands first
        return original(server_id, body)
    compute.server_action = overlapping
    result, warnings = run_nova(compute)
    assert result['outcome'] == 'resized' and compute.flavor == 's6.large.2' and compute.status == 'ACTIVE'
    assert accepted(compute, 'resize') == 0 and 'resize' not in result['actions']
    assert any('following the server' in w for w in warnings)


def test_a_real_refusal_fails_with_the_clouds_words():
    compute = FakeNova(faults=[('resize', 'refuse')])
    with pytest.raises(ResizeError) as caught:
        run_nova(compute)
    assert 'the cloud refused to resize server web-1' in caught.value.message and caught.value.result['outcome'] == 'failed'


def test_the_idempotent_noop_comes_before_every_precondition():
    for compute in (FakeNova(flavor='s6.large.2', locked=True), FakeNova(flavor='s6.large.2')):
        result, warnings = run_nova(compute, allow_restart=False)
        assert result['changed'] is False and result['outcome'] == 'unchanged' and compute.posts == []


# -- issue 21: the rollback fast path, and the no-op ahead of every precondition, through the loop ------------------

from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import START_GRACE_SECONDS  # noqa: E402


def test_a_rollback_seen_after_the_resize_started_fails_at_once_not_after_the_grace():
    # accepted, RESIZE for 3 reads, then ACTIVE on the old flavor: the cloud rolled it back
    compute = FakeNova(faults=[('resize', 'rollback')])
    with pytest.raises(ResizeError) as caught:
        run_nova(compute)
    result = caught.value.result
    assert result['rolled_back'] is True and result['outcome'] == 'rolled_back' and result['error'] == 'rolled_back'
    assert compute.posts == [('resize', True)] and result['actions'] == ['resize']
    # the grace (a resize not seen yet) does not apply to one seen under way: the first read that shows the old flavor ends it
    assert result['elapsed'] < START_GRACE_SECONDS / 2, result['elapsed']


def resize_accepted_unclearly_then_rolled_back(compute):
    """The resize POST is carried out but its answer is lost, and the cloud rolls the resize back."""
    original = compute.server_action

    def unclear_rollback(server_id, body):
        compute.faults = [('resize', 'rollback')]
        original(server_id, body)
        raise AmbiguousRequestError('no answer')
    compute.server_action = unclear_rollback


def test_a_rollback_never_seen_under_way_is_reported_once_the_grace_has_passed():
    # the unclear answer hides the accepted POST and the server is back on the old flavor before the first read:
    # only the instance actions tell; the run waits out the grace (the resize may not have started), then fails, never resending
    compute = FakeNova(phase_reads=1)
    resize_accepted_unclearly_then_rolled_back(compute)
    with pytest.raises(ResizeError) as caught:
        run_nova(compute)
    result = caught.value.result
    assert result['rolled_back'] is True and compute.posts == [('resize', True)]
    assert START_GRACE_SECONDS <= result['elapsed'] < START_GRACE_SECONDS + 2, result['elapsed']


@pytest.mark.parametrize('status, options', [
    ('ACTIVE', dict(allow_restart=False)),
    ('SHUTOFF', dict(allow_restart=False)),
    ('ACTIVE', dict(validate_target='always')),
])
def test_the_noop_on_a_locked_server_sends_nothing_and_asks_nothing(status, options):
    compute = FakeNova(flavor='s6.large.2', locked=True, status=status)
    calls = []
    compute.instance_actions = lambda server_id: calls.append('instance_actions') or []
    result, warnings = run_nova(compute, **options)
    assert (result['changed'], result['outcome'], compute.posts, calls) == (False, 'unchanged', [], [])
    assert result['target_validation'] == 'not_needed' and 'already runs on s6.large.2' in result['msg']


# -- the times of instance actions, and the reasons of failed events ------------------------------------------------------

import datetime  # noqa: E402

from ansible_collections.ecs_ops.compute.plugins.module_utils import operation as operation_module  # noqa: E402


@pytest.mark.parametrize('text, expected', [
    ('2026-03-01T10:20:30.123456', datetime.datetime(2026, 3, 1, 10, 20, 30, 123456)),
    ('2026-03-01T10:20:30Z', datetime.datetime(2026, 3, 1, 10, 20, 30)),
    ('2026-03-01T10:20:30.5+00:00', datetime.datetime(2026, 3, 1, 10, 20, 30, 500000)),
    ('2026-03-01 10:20:30.000001', datetime.datetime(2026, 3, 1, 10, 20, 30, 1)),
    (' 2026-03-01 10:20:30 ', datetime.datetime(2026, 3, 1, 10, 20, 30)),
    ('2026-03-01', None),
    ('yesterday', None),
    (None, None),
    (1767225600, None),
])
def test_instance_action_times_as_nova_and_otc_write_them(text, expected):
    assert operation_module._parse_time(text) == expected


@pytest.mark.parametrize('event, expected', [
    ({'event': 'compute_resize_instance', 'message': ' No valid host was found. '}, 'No valid host was found.'),
    ({'event': 'compute_resize_instance', 'message': 'Error'}, 'step compute_resize_instance failed'),
    ({'event': 'compute_prep_resize', 'message': ''}, 'step compute_prep_resize failed'),
    ({'message': None}, 'step unknown failed'),
])
def test_a_failed_event_says_why_or_names_its_step(event, expected):
    assert operation_module._event_reason(event) == expected


def test_utcnow_is_naive_utc():
    now = operation_module._utcnow()
    assert now.tzinfo is None
    assert abs((datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - now).total_seconds()) < 5


def rolled_back_with(action_doc, fault=None):
    """A resize the cloud rolls back; the instance action of its request shows `action_doc`; the server shows `fault`."""
    compute = FakeNova(faults=[('resize', 'rollback')])
    asked = []
    compute.instance_action = lambda server_id, request_id: asked.append(request_id) or action_doc
    if fault:
        original = compute.doc
        compute.doc = lambda: dict(original(), fault={'message': fault}) if compute.status == 'ACTIVE' and compute.actions else original()
    with pytest.raises(ResizeError) as caught:
        run_nova(compute)
    return caught.value, asked


def test_a_rollback_names_the_failed_steps_of_the_instance_action():
    events = [{'event': 'compute_prep_resize', 'result': 'Success', 'start_time': 't0', 'finish_time': 't1'},
              {'event': 'compute_resize_instance', 'result': 'Error', 'start_time': 't1', 'finish_time': 't2',
               'details': 'No valid host was found', 'message': 'ignored when details are given'},
              {'event': 'compute_finish_resize', 'result': 'Error', 'message': 'Error'},
              'not an event']
    error, asked = rolled_back_with({'action': 'resize', 'events': events, 'message': 'Error'})
    assert asked == ['req-1']
    assert error.result['events'] == [
        dict(event='compute_resize_instance', result='Error', start_time='t1', finish_time='t2', message='No valid host was found'),
        dict(event='compute_finish_resize', result='Error', start_time=None, finish_time=None, message='Error')]
    assert error.message.endswith('. The cloud said: No valid host was found; step compute_finish_resize failed')
    assert error.result['outcome'] == 'rolled_back' and error.result['rolled_back'] is True


def test_a_rollback_without_failed_events_names_the_actions_message_and_the_fault():
    error, asked = rolled_back_with({'action': 'resize', 'events': [{'event': 'e', 'result': 'Success'}], 'message': 'Quota exceeded'},
                                    fault='Insufficient capacity')
    assert error.result['events'] == [dict(event='resize', result='Error', message='Quota exceeded')]
    assert error.message.endswith('. The cloud said: Insufficient capacity; Quota exceeded')


def test_a_rollback_with_nothing_to_say_adds_nothing():
    error, asked = rolled_back_with(None)
    assert error.result['events'] == [] and 'The cloud said' not in error.message
    assert error.message == ('the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor '
                             's6.medium.2 (1 vCPU, 2048 MiB), not on s6.large.2 (2 vCPU, 4096 MiB)')


# -- in a batch: the loop looks through the batch's listing (fleet.FleetFeed), over a cloud on a fake clock --------

from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import PhaseBook  # noqa: E402

TIMELINE = [(0.0, 'RESIZE', 'resize_prep'), (2.0, 'RESIZE', 'resize_migrating'), (16.5, 'RESIZE', 'resize_migrated'),
            (17.7, 'RESIZE', 'resize_finish'), (19.0, 'VERIFY_RESIZE', None)]
CONFIRM_SECONDS = 1.0


class TimedNova(FakeNova):
    """web-1 going through the bench's 20 s resize on `clock`: the phases follow from the time of the requests."""

    def __init__(self, clock):
        super(TimedNova, self).__init__()
        self.clock = clock
        self.resized_at = self.confirmed_at = None
        self.gets = 0

    def doc(self):
        now = self.clock()
        if self.confirmed_at is not None:
            if now >= self.confirmed_at + CONFIRM_SECONDS:
                self.status, self.task = 'ACTIVE', None
        elif self.resized_at is not None:
            for start, status, task in TIMELINE:
                if now >= self.resized_at + start:
                    self.status, self.task = status, task
                    self.flavor = 's6.large.2' if start >= 17.7 else self.flavor
        return super(TimedNova, self).doc()

    def get_server(self, server_id):
        self.gets += 1
        self.calls += 1
        return self.doc()

    def server_action(self, server_id, body):
        self.calls += 1
        action = sorted(body)[0]
        self.posts.append((action, True))
        if action == 'resize':
            self.resized_at = self.clock()
        else:
            self.confirmed_at = self.clock()
        return 'req-%d' % len(self.posts)


class FakeFeed(object):
    """A listing reader on the fake clock: each watch() waits its delay and hands over the document; `alone` rounds
    answer READ_ALONE (the server is then read on its own)."""

    READ_ALONE = object()

    def __init__(self, cloud, clock, alone=()):
        self.cloud, self.clock = cloud, clock
        self.book = PhaseBook()
        self.delays = []
        self.alone = list(alone)
        self.alone_reads = 0

    def watch(self, server_id, delay, seen_at):
        self.delays.append(delay)
        if self.alone and self.alone.pop(0):
            return self.READ_ALONE, None
        self.clock.sleep(delay)
        return self.cloud.doc(), self.clock()

    def learn(self, key, shortest, longest):
        self.book.learn(key, shortest, longest)

    def expected(self, key):
        return self.book.expected(key)

    def read_alone(self):
        self.alone_reads += 1


def run_in_batch(feed_book=None, alone=()):
    clock = Clock()
    cloud = TimedNova(clock)
    feed = FakeFeed(cloud, clock, alone=alone)
    if feed_book is not None:
        feed.book = feed_book
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never')
    result = ResizeOperation(cloud, request, clock=clock, sleep=clock.sleep, feed=feed).run()
    return result, cloud, feed


def test_in_a_batch_the_loop_looks_through_the_listing_and_teaches_the_phases():
    result, cloud, feed = run_in_batch()
    assert result['outcome'] == 'resized' and cloud.posts == [('resize', True), ('confirmResize', True)]
    assert cloud.gets == 0 and feed.delays  # no read of the server on its own
    keys = set(key for key in feed.book._spans)
    pair = ('s6.medium.2', 's6.large.2')
    assert (pair, 'resize', 'RESIZE', 'resize_migrating') in keys
    assert (pair, 'confirmResize', 'VERIFY_RESIZE', None) in keys
    # what the server showed: the copy lasted 14.5 s, at least the time between its first and last sighting
    assert 10.0 <= feed.book.expected((pair, 'resize', 'RESIZE', 'resize_migrating')) <= 14.5
    assert feed.book.expected((pair, 'confirmResize', 'VERIFY_RESIZE', None)) <= CONFIRM_SECONDS


def test_a_server_that_learnt_from_its_peers_skips_the_copy_and_sees_the_end_no_later():
    first, dummy, taught = run_in_batch()
    second, cloud, feed = run_in_batch(feed_book=taught.book)
    assert second['outcome'] == 'resized'
    # the copy is not looked at every 1.5 to 3 s: one wait until the earliest end the peer showed, dense looks after
    assert len([d for d in taught.delays if d >= 1.5]) >= 8
    assert len([d for d in feed.delays if d >= 1.5]) == 1 and max(feed.delays) >= 10.0
    assert second['elapsed'] <= first['elapsed'] + 0.1


def test_a_server_the_listing_cannot_answer_for_is_read_on_its_own_after_the_rest_of_its_delay():
    result, cloud, feed = run_in_batch(alone=[False, True])
    assert result['outcome'] == 'resized' and cloud.gets == 1 and feed.alone_reads == 1


# -- an error that ends the run half-way (issue 20) ----------------------------------------------------------

class CredentialsRevokedAfter(FakeNova):
    """FakeNova whose reads are refused (401) from the `after`th read on: the password changed mid-run."""

    def __init__(self, after, **kwargs):
        super(CredentialsRevokedAfter, self).__init__(**kwargs)
        self.reads_left = after

    def get_server(self, server_id):
        self.reads_left -= 1
        if self.reads_left < 0:
            raise ApiError(401, message='The request you have made requires authentication.')
        return super(CredentialsRevokedAfter, self).get_server(server_id)


def execute_nova(compute, **options):
    clock = Clock()
    options.setdefault('flavor', 's6.large.2')
    options.setdefault('validate_target', 'never')
    return ResizeOperation(compute, ResizeRequest(server='web-1', **options), clock=clock, sleep=clock.sleep).execute()


def test_an_error_mid_run_returns_what_was_sent_and_the_server_as_last_seen():
    compute = CredentialsRevokedAfter(after=5, phase_reads=3)
    with pytest.raises(ApiError) as caught:
        execute_nova(compute)
    result = caught.value.result
    # the cloud confirmed the resize; the run saw it only in VERIFY_RESIZE before its credentials were refused
    assert accepted(compute, 'resize') == 1 and accepted(compute, 'confirmResize') == 1
    assert result['actions'] == ['resize', 'confirmResize'] and result['changed'] is True
    assert result['outcome'] == 'failed' and result['server']['status'] == 'VERIFY_RESIZE' and result['pending_confirmation'] is True
    assert result['msg'] == caught.value.message
    assert caught.value.message == ('HTTP 401: The request you have made requires authentication.; this run had sent '
                                    'resize, confirmResize; the server was last seen VERIFY_RESIZE on s6.large.2 (2 vCPU, 4096 MiB)')


def test_an_error_before_the_server_was_seen_is_left_as_it_is():
    compute = CredentialsRevokedAfter(after=0)

    def refused(name_regex=None, status=None):
        raise ApiError(401, message='refused')
    compute.list_servers = refused
    with pytest.raises(ApiError) as caught:
        execute_nova(compute)
    assert caught.value.message == 'HTTP 401: refused' and caught.value.result is None and compute.posts == []


def test_a_run_that_ends_as_asked_is_returned_by_execute_as_by_run():
    result = execute_nova(FakeNova())
    assert result['outcome'] == 'resized' and result['actions'] == ['resize', 'confirmResize']


def test_a_failure_with_its_own_result_is_left_as_it_is():
    compute = FakeNova(faults=[('resize', 'refuse')])
    with pytest.raises(ResizeError) as caught:
        execute_nova(compute)
    assert 'this run had sent' not in caught.value.message and caught.value.result['outcome'] == 'failed'


@pytest.mark.parametrize('sent, expected', [
    ([], 'boom; this run had sent nothing; the server was last seen ACTIVE on a'),
    (['resize'], 'boom; this run had sent resize; the server was last seen ACTIVE on a'),
    (['resize', 'confirmResize'], 'boom; this run had sent resize, confirmResize; the server was last seen ACTIVE on a'),
])
def test_interrupted_message(sent, expected):
    assert interrupted_message('boom', sent, 'ACTIVE on a') == expected


# -- the whole result, message and warnings of each way a Nova run ends (mutation testing: every field asserted) -----

MEDIUM = {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0}
LARGE = {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}
UNCLEAR_502 = 'POST /servers/srv-1/action may or may not have been carried out: HTTP 502'


def server_dict(status, flavor, task=None):
    return {'id': 'srv-1', 'name': 'web-1', 'status': status, 'task_state': task, 'vm_state': None, 'power_state': None,
            'locked': False, 'flavor': flavor}


def whole_run(compute, **options):
    """(result, error message or None, warnings, progress reports, clock) of one run on the fake clock."""
    clock = Clock()
    warnings, reports = [], []
    options.setdefault('flavor', 's6.large.2')
    options.setdefault('validate_target', 'never')
    request = ResizeRequest(server='web-1', **options)
    operation = ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, warn=warnings.append, progress=reports.append)
    try:
        return operation.run(), None, warnings, reports, clock
    except ResizeError as error:
        return error.result, error.message, warnings, reports, clock


def expected_result(server, before, flavor, after, **fields):
    result = dict(changed=True, server=server, previous_flavor=before, flavor=flavor, actions=[], request_ids={},
                  target_validation='off', rolled_back=False, pending_confirmation=False, job_id=None,
                  diff=dict(before=dict(flavor=before), after=dict(flavor=after)))
    result.update(fields)
    return result


def test_a_resize_and_confirm_returns_every_field_and_reports_each_phase_once():
    result, error, warnings, reports, clock = whole_run(FakeNova())
    assert (error, warnings) == (None, [])
    assert result == expected_result(
        server_dict('ACTIVE', LARGE), MEDIUM, LARGE, LARGE, msg='server runs on s6.large.2 (2 vCPU, 4096 MiB)', outcome='resized',
        actions=['resize', 'confirmResize'], request_ids={'resize': 'req-1', 'confirmResize': 'req-2'}, elapsed=3.895, api_calls=11)
    assert reports == [dict(server='web-1', phase='ACTIVE', elapsed=0.0, still=False),
                       dict(server='web-1', phase='RESIZE/resize_prep', elapsed=0.2, still=False),
                       dict(server='web-1', phase='VERIFY_RESIZE', elapsed=3.2, still=False),
                       dict(server='web-1', phase='ACTIVE', elapsed=3.9, still=False)]


@pytest.mark.parametrize('compute, options, error, warnings, expected', [
    (FakeNova, dict(confirm=False), None, [], dict(
        server=server_dict('VERIFY_RESIZE', LARGE), after=LARGE, msg='resize to s6.large.2 (2 vCPU, 4096 MiB) is pending confirmation',
        outcome='pending', pending_confirmation=True, actions=['resize'], request_ids={'resize': 'req-1'}, elapsed=3.2, api_calls=7)),
    (FakeNova, dict(check_mode=True), None, [], dict(
        server=server_dict('ACTIVE', MEDIUM), after=LARGE, outcome='would_resize', elapsed=0.0, api_calls=3,
        msg='would resize: server runs on s6.medium.2 (1 vCPU, 2048 MiB), not on s6.large.2 (2 vCPU, 4096 MiB)')),
    (FakeNova, dict(wait=False), None, [], dict(
        server=server_dict('ACTIVE', MEDIUM), after={}, msg='resize accepted; not waiting (wait=false)', outcome='accepted',
        actions=['resize'], request_ids={'resize': 'req-1'}, elapsed=0.0, api_calls=4)),
    (lambda: FakeNova(faults=[('resize', 'refuse')]), {},
     'the cloud refused to resize server web-1: Cannot resize while it is in task_state resize_prep '
     '(the server is locked or busy, or its state does not allow it)', [], dict(
         server=server_dict('ACTIVE', MEDIUM), after=MEDIUM, changed=False, error='api_error', outcome='failed', elapsed=0.0,
         api_calls=5, msg='HTTP 409 conflictingRequest: Cannot resize while it is in task_state resize_prep')),
    (lambda: FakeNova(faults=[('resize', 'before')] * 10), {},
     'the cloud gave no clear answer to 4 resize requests for server web-1, and the server shows none of them was carried '
     'out (last: %s); nothing was changed: run again later' % UNCLEAR_502,
     ['the resize request got no clear answer (%s) and the server shows no sign of it; sending it once more' % UNCLEAR_502] * 3,
     dict(server=server_dict('ACTIVE', MEDIUM), after=MEDIUM, changed=False, error='no_clear_answer', outcome='failed',
          elapsed=7.0, api_calls=15, msg=UNCLEAR_502)),
    (lambda: FakeNova(faults=[('resize', 'after')]), {}, None,
     ['the resize request got no clear answer (POST /servers/srv-1/action may or may not have been carried out: no answer), '
      'but the cloud has started it; carrying on'],
     dict(server=server_dict('ACTIVE', LARGE), after=LARGE, msg='server runs on s6.large.2 (2 vCPU, 4096 MiB)', outcome='resized',
          actions=['resize', 'confirmResize'], request_ids={'confirmResize': 'req-2'}, elapsed=3.695, api_calls=11)),
    (lambda: FakeNova(phase_reads=10 ** 6), dict(timeout=30),
     'timed out after 30 s waiting for server web-1 (last seen: RESIZE/resize_prep on s6.medium.2 (1 vCPU, 2048 MiB)); '
     'nothing was reverted', [], dict(
         server=server_dict('RESIZE', MEDIUM, 'resize_prep'), after=MEDIUM, msg='timeout', error='timeout', outcome='failed',
         actions=['resize'], request_ids={'resize': 'req-1'}, elapsed=30.0, api_calls=25)),
], ids=['confirm=false', 'check mode', 'wait=false', 'refused', 'no clear answer', 'unclear but done', 'timeout'])
def test_each_way_a_resize_ends_returns_every_field(compute, options, error, warnings, expected):
    result, message, said, reports, clock = whole_run(compute(), **options)
    expected = dict(expected)
    server, after = expected.pop('server'), expected.pop('after')
    assert (message, said) == (error, warnings)
    assert result == expected_result(server, MEDIUM, LARGE, after, **expected)


@pytest.mark.parametrize('state, action, flavor, msg, elapsed, calls', [
    ('reverted', 'revertResize', MEDIUM, 'resize reverted; server runs on s6.medium.2', 3.2, 7),
    ('confirmed', 'confirmResize', LARGE, 'resize confirmed; server runs on s6.large.2 (2 vCPU, 4096 MiB)', 0.694, 6),
])
def test_a_confirm_or_revert_of_a_pending_resize_returns_every_field(state, action, flavor, msg, elapsed, calls):
    result, error, warnings, reports, clock = whole_run(FakeNova(status='VERIFY_RESIZE', flavor='s6.large.2'), state=state, flavor=None)
    assert (error, warnings) == (None, [])
    assert result == expected_result(server_dict('ACTIVE', flavor), LARGE, flavor, flavor, msg=msg, outcome=state,
                                     actions=[action], request_ids={action: 'req-1'}, target_validation='not_needed',
                                     elapsed=elapsed, api_calls=calls)


def _resize_refused(compute, then):
    """The cloud refuses the resize POST (409); `then(compute)` is what the server shows afterwards."""
    def server_action(server_id, body):
        compute.calls += 1
        compute.posts.append((sorted(body)[0], False))
        then(compute)
        raise ApiError(409, code='conflictingRequest', message='conflict')
    compute.server_action = server_action
    return compute


@pytest.mark.parametrize('then, error, warnings, fields', [
    # locked meanwhile: the decision says so, in its words (not the cloud's 409)
    (lambda c: setattr(c, 'locked', True), 'server web-1 is locked; unlock it before resizing', [],
     dict(outcome='failed', error='locked', changed=False, elapsed=0.23, api_calls=6)),
    # resized meanwhile by someone else: followed, reported as a resize found under way
    (lambda c: setattr(c, 'flavor', 's6.large.2'), None,
     ['the cloud refused to resize (conflict), but the server shows it is ACTIVE; following the server'],
     dict(outcome='resized', changed=True, elapsed=0.23, api_calls=6,
          msg='the resize found under way has finished; server already runs on s6.large.2 (2 vCPU, 4096 MiB)')),
])
def test_a_refused_resize_is_decided_again_from_what_the_server_shows(then, error, warnings, fields):
    result, message, said, reports, clock = whole_run(_resize_refused(FakeNova(), then))
    assert (message, said) == (error, warnings)
    assert dict((key, result[key]) for key in fields) == fields and result['actions'] == [] and result['request_ids'] == {}
    if error:
        assert result['msg'] == error


def test_a_refused_confirm_while_another_runs_is_waited_for_and_said_whole():
    compute = FakeNova(status='VERIFY_RESIZE', flavor='s6.large.2')
    compute.act('confirmResize')
    result, error, warnings, reports, clock = whole_run(compute)
    assert (error, compute.posts, result['actions'], result['request_ids'], result['outcome']) == (
        None, [('confirmResize', False)], [], {}, 'resized')
    assert warnings == ['the cloud refused to confirmResize (Instance has not been resized.) while one started moments ago is '
                        'carried out; waiting for it']
    assert (result['elapsed'], result['api_calls'], result['msg']) == (0.43, 7, 'server runs on s6.large.2 (2 vCPU, 4096 MiB)')


def test_a_resize_refused_because_another_job_started_one_is_followed_and_said_whole():
    compute = FakeNova()
    original = compute.server_action

    def overlapping(server_id, body):
        if 'resize' in body and not compute.posts:
            compute.act('resize')
        return original(server_id, body)
    compute.server_action = overlapping
    result, error, warnings, reports, clock = whole_run(compute)
    assert warnings == ['the cloud refused to resize (Cannot resize while it is in task_state resize_prep), but the server shows it '
                        'is RESIZE/resize_prep; following the server']
    assert (error, result['actions'], result['request_ids'], result['elapsed'], result['api_calls']) == (
        None, ['confirmResize'], {'confirmResize': 'req-2'}, 3.695, 11)
    assert result['msg'] == 'server runs on s6.large.2 (2 vCPU, 4096 MiB)' and result['outcome'] == 'resized'


@pytest.mark.parametrize('options, hints, bodies', [
    ({}, None, [{'resize': {'flavorRef': 's6.large.2'}}, {'confirmResize': None}]),
    (dict(dedicated_host_id='dh-9'), None, [{'resize': {'flavorRef': 's6.large.2', 'dedicated_host_id': 'dh-9'}}, {'confirmResize': None}]),
    ({}, {'dedicated_host_id': ['dh-7']}, [{'resize': {'flavorRef': 's6.large.2', 'dedicated_host_id': 'dh-7'}}, {'confirmResize': None}]),
    ({}, {'dedicated_host_id': []}, [{'resize': {'flavorRef': 's6.large.2'}}, {'confirmResize': None}]),
])
def test_the_bodies_of_the_nova_actions(options, hints, bodies):
    compute = FakeNova()
    if hints is not None:
        original_doc = compute.doc
        compute.doc = lambda: dict(original_doc(), **{'os:scheduler_hints': hints})
    sent = []
    original = compute.server_action
    compute.server_action = lambda server_id, body: sent.append((server_id, body)) or original(server_id, body)
    whole_run(compute, **options)
    assert sent == [('srv-1', body) for body in bodies]


def test_a_revert_is_sent_without_a_body():
    compute = FakeNova(status='VERIFY_RESIZE', flavor='s6.large.2')
    sent = []
    original = compute.server_action
    compute.server_action = lambda server_id, body: sent.append(body) or original(server_id, body)
    whole_run(compute, state='reverted', flavor=None)
    assert sent == [{'revertResize': None}]


# -- what a request may ask, each message whole; the defaults ---------------------------------------------------------

@pytest.mark.parametrize('options, message', [
    (dict(flavor=None), 'no flavor: state=present needs the target flavor (name, id or URI)'),
    (dict(flavor='f', timeout=None), 'timeout must be a positive number of seconds, got None'),
    (dict(flavor='f', restart_mode='stop_start'),
     'restart_mode applies to api=ecs only (with api=nova the cloud stops and starts a running server itself); leave it out or set api=ecs'),
    (dict(flavor='f', api='ecs', state='confirmed'),
     'state=confirmed does not apply to api=ecs: the native ECS resize has no confirmation step; use api=nova to confirm or revert a '
     'pending resize'),
    (dict(flavor='f', api='ecs', confirm=False),
     'confirm=false does not apply to api=ecs: the native ECS resize finishes without a confirmation step; use api=nova to leave a '
     'resize pending confirmation'),
    (dict(flavor='f', api='ecs', restart_mode='stop_start'), None),
    (dict(flavor='f', timeout=1), None),
])
def test_each_problem_of_a_request_whole(options, message):
    assert ResizeRequest('web-1', **options).problem() == message


def test_the_defaults_of_a_request_are_the_modules():
    request = ResizeRequest()
    assert dict((key, getattr(request, key)) for key in ResizeRequest.FIELDS + ('check_mode',)) == dict(
        server=None, flavor=None, state='present', confirm=True, wait=True, timeout=1800, allow_restart=True, api='nova',
        validate_target='auto', restart_mode=None, dedicated_host_id=None, check_mode=False)
    from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import RESIZE_OPTIONS
    assert dict((key, spec.get('default')) for key, spec in RESIZE_OPTIONS.items() if key in ResizeRequest.FIELDS) == dict(
        (key, getattr(request, key)) for key in RESIZE_OPTIONS)


def test_from_params_without_an_item_takes_the_module_options():
    request = ResizeRequest.from_params(dict(server='web-1', flavor='f', timeout=None, restart_mode='stop_start'))
    assert (request.server, request.flavor, request.timeout, request.restart_mode, request.check_mode) == ('web-1', 'f', 1800, 'stop_start', False)


def test_in_a_batch_each_phase_is_learnt_within_the_bounds_of_its_sightings():
    result, cloud, feed = run_in_batch()
    pair = ('s6.medium.2', 's6.large.2')
    spans = dict((key, [tuple(round(v, 4) for v in span) for span in value]) for key, value in feed.book._spans.items())
    # each phase lasted at least from its first to its last sighting, at most from the sighting before to the one after;
    # the bench's durations (TIMELINE: prep 2 s, copy 14.5 s, finish 1.3 s, confirmation 1 s) lie within
    assert spans == {
        (pair, 'resize', 'ACTIVE', None): [(0.0, 0.2)],
        (pair, 'resize', 'RESIZE', 'resize_prep'): [(1.5, 3.2)],
        (pair, 'resize', 'RESIZE', 'resize_migrating'): [(12.75, 17.25)],
        (pair, 'resize', 'RESIZE', 'resize_finish'): [(0.0, 3.2)],
        (pair, 'confirmResize', 'VERIFY_RESIZE', None): [(0.9987, 1.3485)],
    }
    assert [round(d, 4) for d in feed.delays] == [0.2, 1.5, 1.5, 1.5, 1.5, 1.5, 2.25, 3.0, 3.0, 3.0, 0.2, 0.2, 0.23, 0.2645, 0.3042, 0.3498]
    assert (result['elapsed'], result['api_calls'], cloud.gets) == (20.498, 5, 0)


def test_in_a_batch_a_server_that_learnt_waits_for_the_earliest_end_its_peers_showed():
    first, dummy, taught = run_in_batch()
    second, cloud, feed = run_in_batch(feed_book=taught.book)
    assert [round(d, 4) for d in feed.delays] == [0.2, 1.3, 0.2, 0.25, 0.3125, 12.4375, 0.2, 0.25, 0.3125, 0.3906, 0.4883, 0.6104, 0.2,
                                                  0.23, 0.2645, 0.3042, 0.2, 0.23, 0.2645, 0.3042, 0.3498, 0.9987, 0.2]
    assert second['elapsed'] == 20.498


def test_a_rollback_after_an_unclear_answer_finds_its_request_among_the_instance_actions():
    compute = FakeNova(phase_reads=1)
    compute.actions = [{'action': 'stop', 'request_id': 'req-stop', 'start_time': '2020-01-01T00:00:00'}]
    original = compute.server_action
    asked = []

    def unclear_rollback(server_id, body):
        compute.faults = [('resize', 'rollback')]
        original(server_id, body)
        raise AmbiguousRequestError('no answer')
    compute.server_action = unclear_rollback
    compute.instance_action = lambda server_id, request_id: asked.append((server_id, request_id)) or {
        'action': 'resize', 'message': 'No valid host was found', 'events': []}
    result, error, warnings, reports, clock = whole_run(compute)
    assert asked == [('srv-1', 'req-1')] and result['request_ids'] == {}
    assert result['events'] == [dict(event='resize', result='Error', message='No valid host was found')]
    assert error.endswith('. The cloud said: No valid host was found')
    assert warnings == ['the resize request got no clear answer (no answer), but the cloud has started it; carrying on']


@pytest.mark.parametrize('action, phase_reads, resent', [
    ('resize', 1, False),         # the first look shows VERIFY_RESIZE: the resize was done
    ('resize', 3, False),         # ... RESIZE: under way
    ('confirmResize', 1, False),  # ACTIVE: confirmed
])
def test_an_unclear_answer_is_judged_by_the_server_alone_when_the_cloud_shows_no_instance_actions(action, phase_reads, resent):
    status, flavor = ('VERIFY_RESIZE', 's6.large.2') if action == 'confirmResize' else ('ACTIVE', 's6.medium.2')
    compute = FakeNova(faults=[(action, 'after')], phase_reads=phase_reads, status=status, flavor=flavor)
    compute.instance_actions = lambda server_id: []
    result, error, warnings, reports, clock = whole_run(compute)
    assert (error, result['outcome'], accepted(compute, action)) == (None, 'resized', 1)
    assert len([p for p in compute.posts if p[0] == action]) == (2 if resent else 1)
    assert warnings == ['the %s request got no clear answer (POST /servers/srv-1/action may or may not have been carried out: no '
                        'answer), but the cloud has started it; carrying on' % action]


@pytest.mark.parametrize('seconds_before, ours', [(119, True), (121, False)])
def test_an_instance_action_counts_as_ours_when_it_started_at_most_two_minutes_before_the_request(seconds_before, ours):
    compute = FakeNova(faults=[('resize', 'before')])
    started = (datetime.datetime.utcnow() - datetime.timedelta(seconds=seconds_before)).strftime('%Y-%m-%dT%H:%M:%S.%f')
    compute.instance_actions = lambda server_id: [{'action': 'migrate', 'start_time': started},
                                                  {'action': 'resize', 'start_time': started},
                                                  {'action': 'resize', 'start_time': None}]
    result, error, warnings, reports, clock = whole_run(compute, confirm=False)
    # taken as ours: the run carries on and waits for a resize that never comes (the server stays ACTIVE on the old flavor)
    assert len(compute.posts) == (1 if ours else 2)
    assert ('the cloud has started it' in warnings[0]) is ours


@pytest.mark.parametrize('options', [dict(wait=False), dict(check_mode=True)])
def test_a_resize_under_way_is_not_waited_for_when_the_run_may_not_wait(options):
    compute = FakeNova(status='RESIZE')
    compute.task = 'resize_migrating'
    result, error, warnings, reports, clock = whole_run(compute, **options)
    assert (error, warnings, compute.posts, clock.now) == (None, [], [], 0.0)
    assert (result['msg'], result['changed'], result['outcome']) == ('not waiting: server is RESIZE/resize_migrating', False, 'unchanged')


def test_a_server_deleted_during_the_resize_is_reported_gone():
    class Deleted(FakeNova):
        def get_server(self, server_id):
            doc = FakeNova.get_server(self, server_id)
            return None if self.posts and self.status == 'VERIFY_RESIZE' else doc
    result, error, warnings, reports, clock = whole_run(Deleted())
    assert error == 'the server no longer exists (deleted during the operation)'
    assert (result['outcome'], result['error'], result['server']) == ('failed', 'not_found', {})
    assert [r['phase'] for r in reports] == ['ACTIVE', 'RESIZE/resize_prep', 'gone']


def test_in_a_batch_the_phases_of_a_resize_found_under_way_are_learnt_apart_from_those_after_a_request():
    clock = Clock()
    cloud = TimedNova(clock)
    cloud.resized_at = -5.0  # an earlier run's resize, 5 s in
    feed = FakeFeed(cloud, clock)
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never')
    result = ResizeOperation(cloud, request, clock=clock, sleep=clock.sleep, feed=feed).run()
    assert (result['outcome'], result['actions'], cloud.posts) == ('resized', ['confirmResize'], [('confirmResize', True)])
    pair = ('s6.medium.2', 's6.large.2')
    assert sorted(feed.book._spans, key=repr) == sorted([(pair, None, 'RESIZE', 'resize_migrating'), (pair, None, 'RESIZE', 'resize_finish'),
                                                         (pair, 'confirmResize', 'VERIFY_RESIZE', None)], key=repr)


class SequenceNova(FakeNova):
    """web-1 showing `looks` one after the other (status, task, flavor, power state), the last one repeated; the first is
    what the search finds. POSTs are accepted and recorded; they change nothing by themselves."""

    def __init__(self, looks):
        super(SequenceNova, self).__init__()
        self.looks = list(looks)

    def doc(self):
        status, task, flavor, power = self.looks[0][:4]
        return {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': {'id': flavor},
                'OS-EXT-STS:power_state': power, 'locked': False}

    def get_server(self, server_id):
        assert server_id == 'srv-1', server_id
        self.calls += 1
        if len(self.looks) > 1:
            self.looks.pop(0)
        return self.doc()

    def server_action(self, server_id, body):
        assert server_id == 'srv-1', server_id
        self.calls += 1
        self.posts.append((sorted(body)[0], True))
        return 'req-%d' % len(self.posts)


def test_a_resize_found_under_way_ends_in_the_power_state_it_shows_when_it_waits_for_confirmation():
    compute = SequenceNova([('RESIZE', 'resize_migrating', 's6.medium.2', 1), ('RESIZE', 'resize_finish', 's6.large.2', 1),
                            ('VERIFY_RESIZE', None, 's6.large.2', 1), ('SHUTOFF', None, 's6.large.2', 4),
                            ('ACTIVE', None, 's6.large.2', 1)])
    result, error, warnings, reports, clock = whole_run(compute)
    # running when it waited for confirmation: running again is the end, not the moment it shows SHUTOFF
    assert (error, compute.posts, result['server']['status']) == (None, [('confirmResize', True)], 'ACTIVE')
    assert [r['phase'] for r in reports] == ['RESIZE/resize_migrating', 'RESIZE/resize_finish', 'VERIFY_RESIZE', 'SHUTOFF', 'ACTIVE']


def test_a_resize_that_shows_resize_without_a_task_has_started_and_its_rollback_is_seen_at_once():
    compute = SequenceNova([('ACTIVE', None, 's6.medium.2', 1), ('ACTIVE', None, 's6.medium.2', 1), ('RESIZE', None, 's6.medium.2', 1),
                            ('ACTIVE', None, 's6.medium.2', 1)])
    original = compute.server_action

    def server_action(server_id, body):
        compute.looks.pop(0)
        return original(server_id, body)
    compute.server_action = server_action
    result, error, warnings, reports, clock = whole_run(compute)
    assert (result['outcome'], result['error'], compute.posts) == ('rolled_back', 'rolled_back', [('resize', True)])
    assert clock.now < 5.0  # not the grace a resize not seen under way gets


@pytest.mark.parametrize('options, pending', [(dict(wait=False), True), (dict(check_mode=True), False)])
def test_a_confirmation_not_waited_for_leaves_the_resize_pending_as_the_server_last_showed(options, pending):
    compute = FakeNova(status='VERIFY_RESIZE', flavor='s6.large.2')
    result, error, warnings, reports, clock = whole_run(compute, state='confirmed', flavor=None, **options)
    assert (error, result['pending_confirmation'], result['server']['status']) == (None, pending, 'VERIFY_RESIZE')
    assert result['outcome'] == ('accepted' if options.get('wait') is False else 'would_confirm')


@pytest.mark.parametrize('compute, options, message, changed', [
    (lambda: FakeNova(faults=[('confirmResize', 'refuse')]), {},
     'the cloud refused to confirm the resize of server web-1: Instance has not been resized. (the server is locked or busy, or its '
     'state does not allow it)', True),
    (lambda: FakeNova(faults=[('revertResize', 'refuse')], status='VERIFY_RESIZE', flavor='s6.large.2'), dict(state='reverted', flavor=None),
     'the cloud refused to revert the resize of server web-1: Instance has not been resized. (the server is locked or busy, or its '
     'state does not allow it)', False),
])
def test_a_refused_confirm_or_revert_fails_naming_it_and_says_whether_the_run_changed_something(compute, options, message, changed):
    result, error, warnings, reports, clock = whole_run(compute(), **options)
    assert (error, warnings, result['changed'], result['error'], result['outcome']) == (message, [], changed, 'api_error', 'failed')
    assert result['msg'] == 'HTTP 409 conflictingRequest: Instance has not been resized.'


class LaggingFeed(FakeFeed):
    """A listing that began 0.05 s before it answered; a server it cannot answer for is told so after a quarter of its
    delay. Records what each watch() is given."""

    def __init__(self, cloud, clock, alone=()):
        super(LaggingFeed, self).__init__(cloud, clock, alone=alone)
        self.given = []
        self.answered = []

    def watch(self, server_id, delay, seen_at):
        self.given.append((server_id, seen_at))
        self.delays.append(delay)
        if self.alone and self.alone.pop(0):
            self.clock.sleep(delay / 4.0)
            return self.READ_ALONE, None
        self.clock.sleep(delay)
        at = self.clock() - 0.05
        self.answered.append(at)
        return self.cloud.doc(), at


def test_the_observer_tells_the_listing_which_server_and_as_of_when_it_saw_it():
    clock = Clock()
    cloud = TimedNova(clock)
    feed = LaggingFeed(cloud, clock)
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never')
    ResizeOperation(cloud, request, clock=clock, sleep=clock.sleep, feed=feed).run()
    assert set(server_id for server_id, seen_at in feed.given) == {'srv-1'}
    # the next look asks for what changed since the time the listing that answered the last one began (not when it
    # answered), unless a request was sent in between (then since the request)
    seen = [seen_at for server_id, seen_at in feed.given]
    assert len([1 for answer, later in zip(feed.answered, seen[1:]) if later == answer]) >= 10


def test_a_server_the_listing_cannot_answer_for_waits_out_the_rest_of_its_delay_only():
    clock = Clock()
    cloud = TimedNova(clock)
    feed = LaggingFeed(cloud, clock, alone=[False, True])
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never')
    slept = []
    original = clock.sleep
    clock.sleep = lambda seconds: slept.append(round(seconds, 4)) or original(seconds)
    ResizeOperation(cloud, request, clock=clock, sleep=clock.sleep, feed=feed).run()
    # the second look: the listing took a quarter of the 1.5 s, the read on its own waits the other three quarters
    assert feed.delays[1] == 1.5 and slept[1:3] == [0.375, 1.125] and cloud.gets == 1 and feed.alone_reads == 1


@pytest.mark.parametrize('faults, options, message', [
    ([('resize', 'refuse')], {}, 'the cloud refused to resize server web-1: Cannot resize while it is in task_state resize_prep (the server '
                                 'is locked or busy, or its state does not allow it)'),
    ([('resize', 'before')] * 10, {}, 'the cloud gave no clear answer to 4 resize requests for server web-1, and the server shows none of them '
                                      'was carried out (last: %s); nothing was changed: run again later' % UNCLEAR_502),
    ([], dict(timeout=5), 'timed out after 5 s waiting for server web-1 (last seen: RESIZE/resize_prep on s6.medium.2 (1 vCPU, 2048 MiB)); '
                          'nothing was reverted'),
])
def test_a_server_asked_for_by_its_id_is_named_by_its_name(faults, options, message):
    compute = FakeNova(faults=faults, phase_reads=3 if faults else 10 ** 6)
    clock, reports = Clock(), []
    request = ResizeRequest(server='srv-1', flavor='s6.large.2', validate_target='never', **options)
    with pytest.raises(ResizeError) as caught:
        ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, progress=reports.append).run()
    assert caught.value.message == message and set(r['server'] for r in reports) == {'web-1'}


def test_utcnow_is_utc_whatever_the_local_time_zone(monkeypatch):
    import time as time_module
    monkeypatch.setenv('TZ', 'Asia/Tokyo')
    time_module.tzset()
    try:
        now = operation_module._utcnow()
        assert abs((datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - now).total_seconds()) < 5
    finally:
        monkeypatch.undo()
        time_module.tzset()


def test_what_tells_a_server_changed_and_the_key_of_a_flavor():
    from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
    from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import ServerState
    by_id = ServerState.from_api({'status': 'ACTIVE', 'flavor': {'id': 'f1', 'original_name': 's6.large.2'}, 'updated': 't1'})
    by_name = ServerState.from_api({'status': 'RESIZE', 'OS-EXT-STS:task_state': 'resize_prep', 'flavor': {'original_name': 's6.large.2'},
                                    'updated': 't2'})
    assert operation_module._signature(by_id) == ('ACTIVE', 'f1', 't1')
    assert operation_module._signature(by_name) == ('RESIZE/resize_prep', 's6.large.2', 't2')
    assert operation_module._signature(None) is None
    assert operation_module._flavor_key(Flavor(id='f1', name='s6.large.2')) == 'f1'
    assert operation_module._flavor_key(Flavor(id=None, name='s6.large.2')) == 's6.large.2'
    assert operation_module._flavor_key(None) is None


@pytest.mark.parametrize('looks, options, msg, changed, outcome', [
    # state=confirmed: a resize found under way that the cloud confirms by itself leaves nothing to confirm
    ([('RESIZE', 'resize_migrating', 's6.medium.2', 1), ('RESIZE', 'resize_finish', 's6.large.2', 1), ('ACTIVE', None, 's6.large.2', 1)],
     dict(state='confirmed', flavor=None), 'no resize is pending confirmation', False, 'unchanged'),
    # found while it copies: the flavor changes while the run watches, a change it reports
    ([('RESIZE', 'resize_migrating', 's6.medium.2', 1), ('ACTIVE', None, 's6.large.2', 1)], {},
     'the resize found under way has finished; server already runs on s6.large.2 (2 vCPU, 4096 MiB)', True, 'resized'),
    # found when it already shows the target flavor (resize_finish): the flavor it showed first is the target, so the run
    # reports no change of its own (the current rule; see the report of issue 21's last part)
    ([('RESIZE', 'resize_finish', 's6.large.2', 1), ('ACTIVE', None, 's6.large.2', 1)], {},
     'server already runs on s6.large.2 (2 vCPU, 4096 MiB)', False, 'unchanged'),
])
def test_a_resize_found_under_way_that_the_cloud_ends_by_itself(looks, options, msg, changed, outcome):
    compute = SequenceNova(looks)
    result, error, warnings, reports, clock = whole_run(compute, **options)
    assert (error, compute.posts, result['msg'], result['changed'], result['outcome']) == (None, [], msg, changed, outcome)


class EveryTenSeconds(object):
    def next_delay(self, task_state, phase_elapsed, polls_in_phase, progress=None, retry_after=None, expected_in=None):
        return 10.0


def test_a_phase_that_lasts_is_reported_again_every_sixty_seconds_to_the_second():
    clock = Clock()
    compute = ScriptedNova([('RESIZE', 'resize_migrating', 's6.medium.2')] * 14 + [('VERIFY_RESIZE', None, 's6.large.2')])
    reports = []
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never')
    ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, progress=reports.append, policy=EveryTenSeconds()).run()
    assert [(r['phase'], r['elapsed'], r['still']) for r in reports if r['phase'].startswith('RESIZE')] == [
        ('RESIZE/resize_migrating', 10.0, False), ('RESIZE/resize_migrating', 70.0, True), ('RESIZE/resize_migrating', 130.0, True)]


@pytest.mark.parametrize('seconds_before, ours', [(120, True), (120.001, False)])
def test_an_instance_action_exactly_two_minutes_before_the_request_counts(monkeypatch, seconds_before, ours):
    sent_at = datetime.datetime(2026, 12, 1, 13, 0, 0)
    monkeypatch.setattr(operation_module, '_utcnow', lambda: sent_at)
    started = (sent_at - datetime.timedelta(seconds=seconds_before)).strftime('%Y-%m-%dT%H:%M:%S.%f')
    compute = FakeNova(faults=[('resize', 'before')])
    compute.instance_actions = lambda server_id: [{'action': 'resize', 'start_time': started}]
    result, error, warnings, reports, clock = whole_run(compute, confirm=False)
    assert len(compute.posts) == (1 if ours else 2)


def test_a_rollback_seen_only_by_the_status_after_an_unclear_answer_names_nothing_it_cannot_find():
    compute = FakeNova(phase_reads=3)
    compute.instance_actions = lambda server_id: []
    asked = []
    compute.instance_action = lambda server_id, request_id: asked.append(request_id)
    resize_accepted_unclearly_then_rolled_back(compute)
    result, error, warnings, reports, clock = whole_run(compute)
    assert error == ('the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2 (1 vCPU, 2048 MiB), '
                     'not on s6.large.2 (2 vCPU, 4096 MiB)')
    assert (asked, result['events'], result['rolled_back']) == ([], [], True)


def test_the_clouds_words_are_added_to_the_rollback_message_not_put_in_its_place():
    error, asked = rolled_back_with({'action': 'resize', 'events': [], 'message': 'Quota exceeded'})
    assert error.message == ('the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2 (1 vCPU, '
                             '2048 MiB), not on s6.large.2 (2 vCPU, 4096 MiB). The cloud said: Quota exceeded')


def test_a_failure_that_is_no_rollback_does_not_quote_the_server_fault():
    compute = FakeNova(locked=True)
    original = compute.doc
    compute.doc = lambda: dict(original(), fault={'message': 'an old fault'})
    asked = []
    compute.instance_actions = lambda server_id: asked.append(server_id) or []
    result, error, warnings, reports, clock = whole_run(compute)
    assert error == 'server web-1 is locked; unlock it before resizing' and asked == [] and 'events' not in result


def test_a_resend_refused_because_the_first_request_was_carried_out_late_counts_as_this_runs_own():
    compute = FakeNova()
    compute.instance_actions = lambda server_id: []
    original = compute.server_action

    def late(server_id, body):
        if not compute.posts:  # taken, no answer, and nothing shows yet
            compute.calls += 1
            compute.posts.append(('resize', True))
            raise AmbiguousRequestError('no answer')
        if len(compute.posts) == 1:  # by now the first one runs: the second is refused
            compute.status, compute.task = 'RESIZE', 'resize_prep'
            compute.pending = (3, ('VERIFY_RESIZE', None, 's6.large.2'))
        return original(server_id, body)
    compute.server_action = late
    result, error, warnings, reports, clock = whole_run(compute)
    assert (error, result['outcome'], result['actions']) == (None, 'resized', ['resize', 'confirmResize'])
    assert warnings == ['the resize request got no clear answer (no answer) and the server shows no sign of it; sending it once more',
                        'the cloud refused to resize (Cannot resize while it is in task_state resize_prep), but the server shows it is '
                        'RESIZE/resize_prep; following the server']


def test_no_clear_answer_for_a_server_that_is_gone_names_the_server_asked_for():
    class Vanishing(FakeNova):
        def get_server(self, server_id):
            doc = FakeNova.get_server(self, server_id)
            return None if self.posts else doc
    compute = Vanishing(faults=[('resize', 'before')] * 10)
    result, error, warnings, reports, clock = whole_run(compute)
    assert error == ('the cloud gave no clear answer to 4 resize requests for server web-1, and the server shows none of them was '
                     'carried out (last: %s); nothing was changed: run again later' % UNCLEAR_502)
    assert result['server'] == {} and result['error'] == 'no_clear_answer'


def test_an_unclear_confirm_taken_by_the_cloud_is_sent_once():
    compute = FakeNova(faults=[('confirmResize', 'after')], status='VERIFY_RESIZE', flavor='s6.large.2')
    result, error, warnings, reports, clock = whole_run(compute)
    assert [p for p in compute.posts if p[0] == 'confirmResize'] == [('confirmResize', True)]


def test_a_resize_shown_as_resize_without_a_task_after_an_unclear_answer_is_taken_as_started():
    compute = SequenceNova([('ACTIVE', None, 's6.medium.2', 1), ('ACTIVE', None, 's6.medium.2', 1), ('RESIZE', None, 's6.medium.2', 1),
                            ('VERIFY_RESIZE', None, 's6.large.2', 1), ('ACTIVE', None, 's6.large.2', 1)])
    original = compute.server_action

    def unclear(server_id, body):
        original(server_id, body)
        if len(compute.posts) == 1:
            compute.looks.pop(0)
            raise AmbiguousRequestError('no answer')
        return 'req-2'
    compute.server_action = unclear
    result, error, warnings, reports, clock = whole_run(compute)
    assert (error, compute.posts) == (None, [('resize', True), ('confirmResize', True)])


def test_no_clear_answer_to_a_confirm_after_the_resize_says_the_run_changed_something():
    compute = FakeNova(faults=[('confirmResize', 'before')] * 10)
    result, error, warnings, reports, clock = whole_run(compute)
    assert (result['error'], result['changed']) == ('no_clear_answer', True)


def test_the_grace_of_a_resize_not_seen_under_way_counts_from_the_request_that_was_taken():
    compute = SequenceNova([('ACTIVE', None, 's6.medium.2', 1)])
    original = compute.server_action

    def first_unclear(server_id, body):
        if not compute.posts:
            compute.posts.append(('resize', False))
            raise AmbiguousRequestError('no answer')
        return original(server_id, body)
    compute.server_action = first_unclear
    result, error, warnings, reports, clock = whole_run(compute)
    assert result['outcome'] == 'rolled_back' and len(compute.posts) == 2
    assert START_GRACE_SECONDS + 1.0 <= result['elapsed'] < START_GRACE_SECONDS + 3.0, result['elapsed']


def test_a_stopped_server_the_cloud_starts_after_its_resize_is_done_once_it_is_stopped_again():
    compute = SequenceNova([('SHUTOFF', None, 's6.medium.2', 4), ('SHUTOFF', None, 's6.medium.2', 4), ('RESIZE', 'resize_prep', 's6.medium.2', 4),
                            ('ACTIVE', None, 's6.large.2', 1), ('SHUTOFF', None, 's6.large.2', 4)])
    original = compute.server_action
    compute.server_action = lambda server_id, body: compute.looks.pop(0) and original(server_id, body)
    result, error, warnings, reports, clock = whole_run(compute)
    assert (error, result['server']['status'], [r['phase'] for r in reports][-2:]) == (None, 'SHUTOFF', ['ACTIVE', 'SHUTOFF'])


def test_a_server_that_reports_its_progress_is_read_when_the_progress_predicts_the_end():
    class Progressing(SequenceNova):
        def doc(self):
            return dict(SequenceNova.doc(self), progress=self.looks[0][4] if len(self.looks[0]) > 4 else None)
    compute = Progressing([('ACTIVE', None, 's6.medium.2', 1), ('ACTIVE', None, 's6.medium.2', 1)]
                          + [('RESIZE', 'resize_migrating', 's6.medium.2', 1, p) for p in (10, 20, 30, 40, 50, 60, 70, 80, 90)]
                          + [('VERIFY_RESIZE', None, 's6.large.2', 1), ('ACTIVE', None, 's6.large.2', 1)])
    original = compute.server_action
    compute.server_action = lambda server_id, body: (compute.looks.pop(0) if 'resize' in body else None) or original(server_id, body)
    slept = []
    clock = Clock()
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never')
    ResizeOperation(compute, request, clock=clock, sleep=lambda s: slept.append(round(s, 4)) or clock.sleep(s)).run()
    # from the second look on the progress moves: the reads follow its predicted end, not the long phase's 1.5 to 3 s
    assert slept[:4] == [0.2, 1.5, 8.8, 26.8375]


@pytest.mark.parametrize('options, flavor', [({}, LARGE), (dict(state='confirmed', flavor=None), {})])
def test_the_result_of_a_server_deleted_mid_run_shows_no_flavor_after(options, flavor):
    class Deleted(FakeNova):
        def get_server(self, server_id):
            doc = FakeNova.get_server(self, server_id)
            return None if self.posts else doc
    status = 'VERIFY_RESIZE' if options else 'ACTIVE'
    result, error, warnings, reports, clock = whole_run(Deleted(status=status, flavor='s6.large.2' if options else 's6.medium.2'), **options)
    assert (result['server'], result['flavor'], result['diff']['after']) == ({}, flavor, dict(flavor={}))
