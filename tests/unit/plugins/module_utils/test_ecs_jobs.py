# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of the native ECS decision: server state x restart marker x job -> next step.

Each row is a situation and the whole step: kind, error code, rollback, and the reason a user reads (the `msg` of a
failure or of the end; after "would ...:" in check mode). The rows hold how to build the server, the goal and the job;
they are built when the test runs, so that mutation testing sees ServerState.from_api, Goal and JobState at work
(docs/testing.md, "What mutmut cannot see")."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import (
    RESTART_MARKER, JobState, decide_native_step, native_final_status,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    DONE, FAIL, MARK, NOOP, RESIZE, START, STOP, UNMARK, WAIT, Goal, ServerState,
)

OLD = Flavor('s6.medium.2', 's6.medium.2', 1, 2048, 0)
NEW = Flavor('s6.large.2', 's6.large.2', 2, 4096, 0)
OTHER = Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0)
NEW_TEXT = 's6.large.2 (2 vCPU, 4096 MiB)'
# the reasons of the steps of a native resize, as a user reads them
MARKING = 'server web-1 runs; the native resize needs it stopped: noting in its metadata that it must be started again'
STOPPING = 'server web-1 runs on s6.medium.2; the native resize needs it stopped'
RESIZING = 'server runs on s6.medium.2, not on %s' % NEW_TEXT
STARTING = 'server web-1 was stopped for the resize and runs on %s: starting it again'
UNMARKING = 'server web-1 runs again: removing the marker from its metadata'
ON_TARGET = 'server runs on %s' % NEW_TEXT
NO_CAPACITY = 'Ecs.0319 (the cloud has no capacity for this flavor now: choose another flavor or availability zone, or retry later)'


def server(status, task=None, flavor=OLD, fault=None, marked=False, locked=None):
    """How to build the ServerState of a server document (call the result)."""
    doc = {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': {'id': flavor.id},
           'metadata': {RESTART_MARKER: 'true'} if marked else {'owner': 'ops'}}
    if fault:
        doc['fault'] = {'message': fault}
    if locked is not None:
        doc['locked'] = locked
    return lambda: ServerState.from_api(doc)


def gone():
    return lambda: None


def job(status, action='resize', error_code=None, fail_reason=None):
    """How to build the JobState of the last job (call the result)."""
    return lambda: JobState(job_id='job-1', status=status, error_code=error_code, fail_reason=fail_reason, action=action)


def no_job():
    return lambda: None


def goal(final='ACTIVE', sent=(), mode=None, wait=True, allow_restart=True, started=True, target=NEW):
    """How to build a Goal (call the result)."""
    return lambda: Goal(target=target, final_status=final, sent=list(sent), previous_flavor=OLD, restart_mode=mode, wait=wait,
                        allow_restart=allow_restart, started=started, since_request=100.0)


def row(description, the_server, the_goal, the_job, kind, reason, error=None, rolled_back=False):
    return pytest.param(the_server, the_goal, the_job, kind, reason, error, rolled_back, id=description)


CASES = [
    # a running server: mark, stop, resize, start, unmark, done
    row('running, old flavor -> mark', server('ACTIVE'), goal(), no_job(), MARK, MARKING),
    row('running, marked -> stop', server('ACTIVE', marked=True), goal(sent=['mark']), no_job(), STOP, STOPPING),
    row('stopping -> wait', server('ACTIVE', 'powering-off', marked=True), goal(sent=['mark', 'stop']), job('SUCCESS', 'stop'), WAIT,
        'server is busy: ACTIVE/powering-off'),
    row('stopped by us, old flavor -> resize', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop']), job('SUCCESS', 'stop'),
        RESIZE, RESIZING),
    row('resize job running -> wait', server('RESIZE', 'resize_migrating', marked=True), goal(sent=['mark', 'stop', 'resize']),
        job('RUNNING'), WAIT, 'server is RESIZE/resize_migrating'),
    row('resized, still stopped, marked -> start', server('SHUTOFF', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize']),
        job('SUCCESS'), START, STARTING % 's6.large.2'),
    row('resize job ended, server still in RESIZE -> wait', server('RESIZE', 'resize_finish', flavor=NEW, marked=True),
        goal(sent=['mark', 'stop', 'resize']), job('SUCCESS'), WAIT, 'server is RESIZE/resize_finish'),
    row('starting, marked -> wait', server('SHUTOFF', 'powering-on', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
        job('SUCCESS', 'start'), WAIT, 'server is busy: SHUTOFF/powering-on'),
    row('started again, marked -> unmark', server('ACTIVE', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
        job('SUCCESS', 'start'), UNMARK, UNMARKING),
    row('started, unmarked -> done', server('ACTIVE', flavor=NEW), goal(sent=['mark', 'stop', 'resize', 'start', 'unmark']),
        job('SUCCESS', 'start'), DONE, ON_TARGET),
    # a stopped server: resize only, and it stays stopped
    row('stopped by its owner -> resize', server('SHUTOFF'), goal('SHUTOFF'), no_job(), RESIZE, RESIZING),
    row('stopped, resized -> done, still stopped', server('SHUTOFF', flavor=NEW), goal('SHUTOFF', sent=['resize']), job('SUCCESS'),
        DONE, ON_TARGET),
    # reruns after an interruption (nothing sent by this run; the marker says a run stopped the server)
    row('rerun: marked, still running -> stop', server('ACTIVE', marked=True), goal(), no_job(), STOP, STOPPING),
    row('rerun: stopped by the earlier run -> resize', server('SHUTOFF', marked=True), goal(), no_job(), RESIZE, RESIZING),
    row('rerun: found resizing -> wait', server('RESIZE', 'resize_migrating', marked=True), goal(final=None), no_job(), WAIT,
        'server is RESIZE/resize_migrating'),
    row('rerun: resized, not started -> start', server('SHUTOFF', flavor=NEW, marked=True), goal(), no_job(), START,
        STARTING % 's6.large.2'),
    row('rerun: started, marker left -> unmark', server('ACTIVE', flavor=NEW, marked=True), goal(), no_job(), UNMARK, UNMARKING),
    row('rerun: nothing left to do -> noop', server('ACTIVE', flavor=NEW), goal(), no_job(), NOOP, 'server already runs on %s' % NEW_TEXT),
    row('rerun: marked, running, locked -> fail, the marker stays for the run after the unlock', server('ACTIVE', marked=True, locked=True),
        goal(), no_job(), FAIL, 'server web-1 is locked; unlock it before resizing', 'locked'),
    # the cloud's own withStopServer mode: one job, no marker
    row('with_stop_server, running -> resize', server('ACTIVE'), goal(mode='with_stop_server'), no_job(), RESIZE, RESIZING),
    row('with_stop_server, job done, not started yet -> wait', server('SHUTOFF', flavor=NEW), goal(mode='with_stop_server', sent=['resize']),
        job('SUCCESS'), WAIT, '%s; waiting for the server to be ACTIVE again (now SHUTOFF)' % ON_TARGET),
    row('with_stop_server, running again -> done', server('ACTIVE', flavor=NEW), goal(mode='with_stop_server', sent=['resize']),
        job('SUCCESS'), DONE, ON_TARGET),
    # refusals before anything is sent
    row('running, allow_restart false -> fail', server('ACTIVE'), goal(allow_restart=False), no_job(), FAIL,
        'server web-1 is running and a resize restarts it; set allow_restart=true or stop it first', 'restart_refused'),
    row('locked -> fail', server('ACTIVE', locked=True), goal(), no_job(), FAIL, 'server web-1 is locked; unlock it before resizing', 'locked'),
    row('running, wait=false -> fail', server('ACTIVE'), goal(wait=False), no_job(), FAIL,
        'server web-1 runs, and the native resize of a running server takes a stop, the resize and a start, each waited for: '
        'wait=false cannot be used here; set wait=true (or restart_mode=with_stop_server where the cloud offers it)', 'wait_needed'),
    row('stopped, wait=false -> resize', server('SHUTOFF'), goal('SHUTOFF', wait=False), no_job(), RESIZE, RESIZING),
    row('running, wait=false, with_stop_server -> resize', server('ACTIVE'), goal(wait=False, mode='with_stop_server'), no_job(), RESIZE,
        RESIZING),
    row('pending confirmation -> fail', server('VERIFY_RESIZE', flavor=NEW), goal(), no_job(), FAIL,
        'server web-1 has a resize to s6.large.2 pending confirmation (VERIFY_RESIZE), which the native ECS API cannot finish; '
        'confirm or revert it with api=nova (state=confirmed or state=reverted)', 'pending_confirmation'),
    row('pending confirmation, a task running -> wait', server('VERIFY_RESIZE', 'resize_confirming', flavor=NEW), goal(), no_job(), WAIT,
        'resize pending confirmation, task resize_confirming running'),
    # a failed resize job: start the server again and remove the marker, then fail, rolled back
    row('resize job failed, stopped by us -> start', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop', 'resize']),
        job('FAIL', error_code='Ecs.0319', fail_reason='insufficient capacity'), START, STARTING % 's6.medium.2'),
    row('resize job failed, started again -> unmark', server('ACTIVE', marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
        job('FAIL', error_code='Ecs.0319'), UNMARK, UNMARKING),
    row('resize job failed, restored -> fail, rolled back', server('ACTIVE'), goal(sent=['mark', 'stop', 'resize', 'start', 'unmark']),
        job('FAIL', error_code='Ecs.0319'), FAIL,
        'the cloud failed the resize of server web-1 to %s (job job-1: %s); it is ACTIVE on its old flavor s6.medium.2' % (NEW_TEXT, NO_CAPACITY),
        'job_failed', True),
    row('resize job failed, server still resizing -> fail, not rolled back', server('RESIZE', 'resize_reverting'),
        goal('SHUTOFF', sent=['resize']), job('FAIL'), FAIL,
        'the cloud failed the resize of server web-1 to %s (job job-1: no reason given); it is RESIZE/resize_reverting on s6.medium.2'
        % NEW_TEXT, 'job_failed', False),
    row('resize job failed, on target anyway -> fail, not rolled back', server('SHUTOFF', flavor=NEW), goal('SHUTOFF', sent=['resize']),
        job('FAIL', fail_reason='disk copy failed'), FAIL,
        'the cloud failed the resize of server web-1 to %s (job job-1: disk copy failed); it is SHUTOFF on s6.large.2' % NEW_TEXT,
        'job_failed', False),
    row('resize job failed, server in ERROR -> fail, not rolled back', server('ERROR', fault='boom'), goal('SHUTOFF', sent=['resize']),
        job('FAIL'), FAIL, 'the cloud failed the resize of server web-1 to %s (job job-1: no reason given); it is ERROR on s6.medium.2'
        % NEW_TEXT, 'job_failed', False),
    row('resize job failed, no target known -> fail naming none', server('ACTIVE'), goal(sent=['resize'], target=None), job('FAIL'), FAIL,
        'the cloud failed the resize of server web-1 to its target (job job-1: no reason given); it is ACTIVE on its old flavor s6.medium.2',
        'job_failed', True),
    row('stop job failed -> remove the marker, then fail', server('ACTIVE', marked=True), goal(sent=['mark', 'stop']),
        job('FAIL', 'stop', 'Ecs.0603'), UNMARK, UNMARKING),
    row('stop job failed, unmarked -> fail', server('ACTIVE'), goal(sent=['mark', 'stop', 'unmark']), job('FAIL', 'stop', 'Ecs.0603'),
        FAIL, 'the cloud failed to stop server web-1 (job job-1: Ecs.0603 (the server is busy with another operation: retry later)); '
        'it is ACTIVE on its old flavor s6.medium.2', 'job_failed'),
    row('start job failed -> fail (no second start)', server('SHUTOFF', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
        job('FAIL', 'start'), FAIL, 'the cloud failed to start server web-1 (job job-1: no reason given); it is SHUTOFF on s6.large.2',
        'job_failed'),
    # a job that reported SUCCESS while the server is not on the target
    row('resize SUCCESS, old flavor, marked -> start first', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop', 'resize']),
        job('SUCCESS'), START, STARTING % 's6.medium.2'),
    row('resize SUCCESS, old flavor -> not applied, rolled back', server('SHUTOFF'), goal('SHUTOFF', sent=['resize']), job('SUCCESS'),
        FAIL, 'resize job job-1 reported SUCCESS but server web-1 is SHUTOFF on s6.medium.2, not on %s' % NEW_TEXT, 'not_applied', True),
    row('resize SUCCESS, another flavor -> not applied', server('ACTIVE', flavor=OTHER), goal(sent=['resize']), job('SUCCESS'),
        FAIL, 'resize job job-1 reported SUCCESS but server web-1 is ACTIVE on c7.large.2, not on %s' % NEW_TEXT, 'not_applied', False),
    # the Nova decision's rollback (no job to follow): the server is started again before the failure is reported
    row('rolled back, stopped by us -> start', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop', 'resize']), no_job(), START,
        STARTING % 's6.medium.2'),
    row('rolled back, restored -> fail, rolled back', server('ACTIVE'), goal(sent=['mark', 'stop', 'resize', 'start', 'unmark']), no_job(),
        FAIL, 'the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2, not on %s' % NEW_TEXT,
        'rolled_back', True),
    row('server in ERROR -> fail', server('ERROR', fault='boom'), goal(sent=['resize']), job('SUCCESS'), FAIL, 'server web-1 is in ERROR: boom',
        'error_state', True),
    row('server in ERROR, marked -> fail, nothing to restore', server('ERROR', marked=True), goal(sent=['mark', 'stop', 'resize']), no_job(),
        FAIL, 'server web-1 is in ERROR', 'error_state', True),
    row('server gone during a job -> fail naming the job', gone(), goal(sent=['resize']), job('SUCCESS'), FAIL,
        'the server no longer exists (deleted during the resize job job-1)', 'not_found'),
    row('server gone during a stop -> fail naming the job', gone(), goal(sent=['mark', 'stop']), job('RUNNING', 'stop'), FAIL,
        'the server no longer exists (deleted during the stop job job-1)', 'not_found'),
    row('server gone, no job -> fail', gone(), goal(), no_job(), FAIL, 'the server no longer exists (deleted during the operation)', 'not_found'),
]


@pytest.mark.parametrize('the_server, the_goal, the_job, kind, reason, error, rolled_back', CASES)
def test_decide_native_step(the_server, the_goal, the_job, kind, reason, error, rolled_back):
    step = decide_native_step(the_server(), the_goal(), the_job())
    assert (step.kind, step.error, step.rolled_back, step.reason) == (kind, error, rolled_back, reason), step


# A failed job, and the server a run stopped is not idle yet (the cloud still tidies up after its failed resize).
STILL_BUSY = [
    pytest.param(server('SHUTOFF', 'powering-on', marked=True), id='SHUTOFF/powering-on'),
    pytest.param(server('RESIZE', 'resize_reverting', marked=True), id='RESIZE/resize_reverting'),
    pytest.param(server('VERIFY_RESIZE', marked=True), id='VERIFY_RESIZE'),
]


@pytest.mark.parametrize('the_server', STILL_BUSY)
def test_a_server_still_busy_after_a_failed_job_is_not_started_or_unmarked_yet(the_server):
    step = decide_native_step(the_server(), goal(sent=['mark', 'stop', 'resize'])(), job('FAIL', error_code='Ecs.0319')())
    assert step.kind not in (START, UNMARK), step  # the cloud refuses to start a server while a task runs on it


@pytest.mark.parametrize('the_server', STILL_BUSY)
def test_a_server_a_run_stopped_is_waited_for_after_a_failed_job_then_started_again(the_server):
    observed = the_server()
    step = decide_native_step(observed, goal(sent=['mark', 'stop', 'resize'])(), job('FAIL', error_code='Ecs.0319')())
    assert (step.kind, step.error) == (WAIT, None), step
    assert step.reason == ('the resize job job-1 failed; waiting for server web-1 to settle (now %s) to start it again' % observed.label)
    # once it is idle: started again, then the note removed, then the failure
    settled = decide_native_step(server('SHUTOFF', marked=True)(), goal(sent=['mark', 'stop', 'resize'])(), job('FAIL', error_code='Ecs.0319')())
    assert settled.kind == START


def test_a_marked_server_ends_running_whatever_it_shows_now():
    assert native_final_status(server('SHUTOFF', marked=True)(), 'SHUTOFF') == 'ACTIVE'
    assert native_final_status(server('SHUTOFF')(), 'SHUTOFF') == 'SHUTOFF'
    assert native_final_status(None, 'SHUTOFF') == 'SHUTOFF'


# -- JobState: what GET /v1/{project_id}/jobs/{job_id} shows (querying_job_execution_status.rst) ------------------------

def test_job_state_from_api_reads_every_field_of_a_job_document():
    doc = {'status': 'success', 'job_id': 'j-9', 'job_type': 'resizeServer', 'begin_time': '2026-01-01T10:00:00.000Z',
           'end_time': '2026-01-01T10:04:00.000Z', 'error_code': 'Ecs.0319', 'fail_reason': 'no capacity'}
    state = JobState.from_api(doc, job_id='ignored', action='resize')
    assert state.as_dict() == dict(id='j-9', status='SUCCESS', error_code='Ecs.0319', fail_reason='no capacity',
                                   begin_time='2026-01-01T10:00:00.000Z', end_time='2026-01-01T10:04:00.000Z', action='resize')
    assert state.ended and not state.failed


def test_job_state_made_without_an_action_is_a_resize_job():
    assert JobState(status='INIT').poll_task == 'resize_prep'
    assert JobState(status='RUNNING').as_dict() == dict(id=None, status='RUNNING', error_code=None, fail_reason=None, begin_time=None,
                                                        end_time=None, action='resize')


@pytest.mark.parametrize('doc, expected', [
    # the job's own cause comes first; its sub-jobs fill in what it does not give
    ({'error_code': 'Ecs.0001', 'fail_reason': 'top', 'entities': {'sub_jobs': [{'error_code': 'Ecs.0002', 'fail_reason': 'sub'}]}},
     ('Ecs.0001', 'top')),
    ({'error_code': 'Ecs.0001', 'entities': {'sub_jobs': [{'error_code': 'Ecs.0002', 'fail_reason': 'sub'}]}}, ('Ecs.0001', 'sub')),
    ({'fail_reason': 'top', 'entities': {'sub_jobs': [{'error_code': 'Ecs.0002', 'fail_reason': 'sub'}]}}, ('Ecs.0002', 'top')),
    ({'entities': {'sub_jobs': [{'error_code': 'Ecs.0002'}, {'error_code': 'Ecs.0003', 'fail_reason': 'second'}]}}, ('Ecs.0002', 'second')),
    ({'entities': {'sub_jobs': ['junk', None, {'error_code': 'Ecs.0605'}]}}, ('Ecs.0605', None)),
    ({'entities': {'sub_jobs': [{'fail_reason': 'sub', 'entities': {'errorcode_message': 'message'}}]}}, (None, 'sub')),
    ({'entities': {'sub_jobs': [{'entities': {'errorcode_message': 'the ECS is locked'}}]}}, (None, 'the ECS is locked')),
    ({'entities': {'sub_jobs': [{'error_code': 'Ecs.0605', 'entities': 'odd'}]}}, ('Ecs.0605', None)),
    ({'entities': {'sub_jobs': 'odd'}}, (None, None)),
    ({'entities': ['odd']}, (None, None)),
    ({'error_code': 7, 'fail_reason': '  '}, ('7', None)),
])
def test_job_state_takes_the_cause_from_the_job_then_its_sub_jobs(doc, expected):
    state = JobState.from_api(dict(doc, status='FAIL'))
    assert (state.error_code, state.fail_reason) == expected


def test_job_state_from_api_reads_sub_jobs_and_odd_fields():
    doc = {'status': 'fail', 'job_id': 'j-9', 'error_code': None, 'fail_reason': '',
           'entities': {'sub_jobs': [{'status': 'FAIL', 'error_code': 'Ecs.0605', 'fail_reason': None,
                                      'entities': {'server_id': 's', 'errorcode_message': 'the ECS is locked'}}]}}
    state = JobState.from_api(doc, action='stop')
    assert (state.status, state.job_id, state.error_code, state.fail_reason) == ('FAIL', 'j-9', 'Ecs.0605', 'the ECS is locked')
    assert state.ended and state.failed and state.reason() == 'Ecs.0605: the ECS is locked (the server is locked: unlock it first)'
    assert state.as_dict()['action'] == 'stop' and state.poll_task == 'powering-off'
    empty = JobState.from_api(None, job_id='j-1')
    assert empty.job_id == 'j-1' and empty.status is None and not empty.ended and empty.reason() == 'no reason given'
    assert JobState.from_api({'status': 'INIT'}).poll_task == 'resize_prep'
    assert JobState.from_api({'status': 'RUNNING'}).poll_task == 'resize_migrating'


@pytest.mark.parametrize('error_code, fail_reason, expected', [
    ('Ecs.0319', 'no capacity', 'Ecs.0319: no capacity (the cloud has no capacity for this flavor now: choose another flavor or '
                                'availability zone, or retry later)'),
    ('Ecs.9999', 'odd', 'Ecs.9999: odd'),
    (None, 'only a reason', 'only a reason'),
    ('Ecs.0603', None, 'Ecs.0603 (the server is busy with another operation: retry later)'),
    (None, None, 'no reason given'),
])
def test_the_reason_of_a_job_names_code_cause_and_advice(error_code, fail_reason, expected):
    assert JobState(status='FAIL', error_code=error_code, fail_reason=fail_reason).reason() == expected
