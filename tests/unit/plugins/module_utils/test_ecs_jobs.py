# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of the native ECS decision: server state x restart marker x job -> next step."""

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


def server(status, task=None, flavor=OLD, fault=None, marked=False, locked=None):
    doc = {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': {'id': flavor.id},
           'metadata': {RESTART_MARKER: 'true'} if marked else {'owner': 'ops'}}
    if fault:
        doc['fault'] = {'message': fault}
    if locked is not None:
        doc['locked'] = locked
    return ServerState.from_api(doc)


def job(status, action='resize', error_code=None, fail_reason=None):
    return JobState(job_id='job-1', status=status, error_code=error_code, fail_reason=fail_reason, action=action)


def goal(final='ACTIVE', sent=(), mode=None, wait=True, allow_restart=True, started=True):
    return Goal(target=NEW, final_status=final, sent=list(sent), previous_flavor=OLD, restart_mode=mode, wait=wait,
                allow_restart=allow_restart, started=started, since_request=100.0)


CASES = [
    # (description, server, goal, job, expected kind, error, rolled_back)
    # a running server: mark, stop, resize, start, unmark, done
    ('running, old flavor -> mark', server('ACTIVE'), goal(), None, MARK, None, False),
    ('running, marked -> stop', server('ACTIVE', marked=True), goal(sent=['mark']), None, STOP, None, False),
    ('stopping -> wait', server('ACTIVE', 'powering-off', marked=True), goal(sent=['mark', 'stop']), job('SUCCESS', 'stop'), WAIT, None, False),
    ('stopped by us, old flavor -> resize', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop']), job('SUCCESS', 'stop'),
     RESIZE, None, False),
    ('resize job running -> wait', server('RESIZE', 'resize_migrating', marked=True), goal(sent=['mark', 'stop', 'resize']),
     job('RUNNING'), WAIT, None, False),
    ('resized, still stopped, marked -> start', server('SHUTOFF', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize']),
     job('SUCCESS'), START, None, False),
    ('resize job ended, server still in RESIZE -> wait', server('RESIZE', 'resize_finish', flavor=NEW, marked=True),
     goal(sent=['mark', 'stop', 'resize']), job('SUCCESS'), WAIT, None, False),
    ('started again, marked -> unmark', server('ACTIVE', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
     job('SUCCESS', 'start'), UNMARK, None, False),
    ('started, unmarked -> done', server('ACTIVE', flavor=NEW), goal(sent=['mark', 'stop', 'resize', 'start', 'unmark']),
     job('SUCCESS', 'start'), DONE, None, False),
    # a stopped server: resize only, and it stays stopped
    ('stopped by its owner -> resize', server('SHUTOFF'), goal('SHUTOFF'), None, RESIZE, None, False),
    ('stopped, resized -> done, still stopped', server('SHUTOFF', flavor=NEW), goal('SHUTOFF', sent=['resize']), job('SUCCESS'),
     DONE, None, False),
    # reruns after an interruption (nothing sent by this run; the marker says a run stopped the server)
    ('rerun: marked, still running -> stop', server('ACTIVE', marked=True), goal(), None, STOP, None, False),
    ('rerun: stopped by the earlier run -> resize', server('SHUTOFF', marked=True), goal(), None, RESIZE, None, False),
    ('rerun: found resizing -> wait', server('RESIZE', 'resize_migrating', marked=True), goal(final=None), None, WAIT, None, False),
    ('rerun: resized, not started -> start', server('SHUTOFF', flavor=NEW, marked=True), goal(), None, START, None, False),
    ('rerun: started, marker left -> unmark', server('ACTIVE', flavor=NEW, marked=True), goal(), None, UNMARK, None, False),
    ('rerun: nothing left to do -> noop', server('ACTIVE', flavor=NEW), goal(), None, NOOP, None, False),
    # the cloud's own withStopServer mode: one job, no marker
    ('with_stop_server, running -> resize', server('ACTIVE'), goal(mode='with_stop_server'), None, RESIZE, None, False),
    ('with_stop_server, job done, not started yet -> wait', server('SHUTOFF', flavor=NEW), goal(mode='with_stop_server', sent=['resize']),
     job('SUCCESS'), WAIT, None, False),
    ('with_stop_server, running again -> done', server('ACTIVE', flavor=NEW), goal(mode='with_stop_server', sent=['resize']),
     job('SUCCESS'), DONE, None, False),
    # refusals before anything is sent
    ('running, allow_restart false -> fail', server('ACTIVE'), goal(allow_restart=False), None, FAIL, 'restart_refused', False),
    ('locked -> fail', server('ACTIVE', locked=True), goal(), None, FAIL, 'locked', False),
    ('running, wait=false -> fail', server('ACTIVE'), goal(wait=False), None, FAIL, 'wait_needed', False),
    ('stopped, wait=false -> resize', server('SHUTOFF'), goal('SHUTOFF', wait=False), None, RESIZE, None, False),
    ('pending confirmation -> fail', server('VERIFY_RESIZE', flavor=NEW), goal(), None, FAIL, 'pending_confirmation', False),
    # a failed resize job: start the server again and remove the marker, then fail, rolled back
    ('resize job failed, stopped by us -> start', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop', 'resize']),
     job('FAIL', error_code='Ecs.0319', fail_reason='insufficient capacity'), START, None, False),
    ('resize job failed, started again -> unmark', server('ACTIVE', marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
     job('FAIL', error_code='Ecs.0319'), UNMARK, None, False),
    ('resize job failed, restored -> fail, rolled back', server('ACTIVE'), goal(sent=['mark', 'stop', 'resize', 'start', 'unmark']),
     job('FAIL', error_code='Ecs.0319'), FAIL, 'job_failed', True),
    ('resize job failed, server still resizing -> fail, not rolled back', server('RESIZE', 'resize_reverting'),
     goal('SHUTOFF', sent=['resize']), job('FAIL'), FAIL, 'job_failed', False),
    ('resize job failed, on target anyway -> fail, not rolled back', server('SHUTOFF', flavor=NEW), goal('SHUTOFF', sent=['resize']),
     job('FAIL'), FAIL, 'job_failed', False),
    ('stop job failed -> remove the marker, then fail', server('ACTIVE', marked=True), goal(sent=['mark', 'stop']),
     job('FAIL', 'stop', 'Ecs.0603'), UNMARK, None, False),
    ('stop job failed, unmarked -> fail', server('ACTIVE'), goal(sent=['mark', 'stop', 'unmark']), job('FAIL', 'stop', 'Ecs.0603'),
     FAIL, 'job_failed', False),
    ('start job failed -> fail (no second start)', server('SHUTOFF', flavor=NEW, marked=True), goal(sent=['mark', 'stop', 'resize', 'start']),
     job('FAIL', 'start'), FAIL, 'job_failed', False),
    # a job that reported SUCCESS while the server is not on the target
    ('resize SUCCESS, old flavor, marked -> start first', server('SHUTOFF', marked=True), goal(sent=['mark', 'stop', 'resize']),
     job('SUCCESS'), START, None, False),
    ('resize SUCCESS, old flavor -> not applied, rolled back', server('SHUTOFF'), goal('SHUTOFF', sent=['resize']), job('SUCCESS'),
     FAIL, 'not_applied', True),
    ('resize SUCCESS, another flavor -> not applied', server('ACTIVE', flavor=OTHER), goal(sent=['resize']), job('SUCCESS'),
     FAIL, 'not_applied', False),
    ('server in ERROR -> fail', server('ERROR', fault='boom'), goal(sent=['resize']), job('SUCCESS'), FAIL, 'error_state', True),
    ('server gone -> fail', None, goal(sent=['resize']), job('SUCCESS'), FAIL, 'not_found', False),
]


@pytest.mark.parametrize('description, the_server, the_goal, the_job, kind, error, rolled_back', CASES, ids=[c[0] for c in CASES])
def test_decide_native_step(description, the_server, the_goal, the_job, kind, error, rolled_back):
    step = decide_native_step(the_server, the_goal, the_job)
    assert (step.kind, step.error, step.rolled_back) == (kind, error, rolled_back), step


def test_failed_job_message_names_code_reason_advice_and_flavors():
    step = decide_native_step(server('ACTIVE'), goal(sent=['resize']), job('FAIL', error_code='Ecs.0319', fail_reason='no capacity'))
    assert 'Ecs.0319: no capacity' in step.reason and 'job-1' in step.reason
    assert 'another flavor or availability zone' in step.reason
    assert 's6.large.2' in step.reason and 'old flavor s6.medium.2' in step.reason


def test_a_marked_server_ends_running_whatever_it_shows_now():
    assert native_final_status(server('SHUTOFF', marked=True), 'SHUTOFF') == 'ACTIVE'
    assert native_final_status(server('SHUTOFF'), 'SHUTOFF') == 'SHUTOFF'


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
