# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of the native ECS job decision: job status x server state -> step."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import JobState, decide_after_job
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import DONE, FAIL, WAIT, Goal, ServerState

OLD = Flavor('s6.medium.2', 's6.medium.2', 1, 2048, 0)
NEW = Flavor('s6.large.2', 's6.large.2', 2, 4096, 0)
OTHER = Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0)


def server(status, task=None, flavor=OLD, fault=None):
    doc = {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': {'id': flavor.id}}
    if fault:
        doc['fault'] = {'message': fault}
    return ServerState.from_api(doc)


def job(status, error_code=None, fail_reason=None):
    return JobState(job_id='job-1', status=status, error_code=error_code, fail_reason=fail_reason)


def goal(final='ACTIVE'):
    return Goal(target=NEW, final_status=final, sent=['resize'], previous_flavor=OLD)


CASES = [
    # (description, job, server, goal, kind, error, rolled_back)
    ('job queued -> wait', job('INIT'), server('ACTIVE'), goal(), WAIT, None, False),
    ('job running -> wait', job('RUNNING'), server('RESIZE', 'resize_migrating'), goal(), WAIT, None, False),
    ('job of unknown status -> wait', job(None), server('RESIZE'), goal(), WAIT, None, False),
    ('success, on target, active -> done', job('SUCCESS'), server('ACTIVE', flavor=NEW), goal(), DONE, None, False),
    ('success, on target, stopped as before -> done', job('SUCCESS'), server('SHUTOFF', flavor=NEW), goal('SHUTOFF'), DONE, None, False),
    ('success, on target, not yet started again -> wait', job('SUCCESS'), server('SHUTOFF', flavor=NEW), goal('ACTIVE'), WAIT, None, False),
    ('success, server still resizing -> wait', job('SUCCESS'), server('RESIZE', 'resize_finish', flavor=NEW), goal(), WAIT, None, False),
    ('success, server busy -> wait', job('SUCCESS'), server('ACTIVE', 'powering-on', flavor=NEW), goal(), WAIT, None, False),
    ('success, old flavor -> fail not_applied, rolled back', job('SUCCESS'), server('ACTIVE'), goal(), FAIL, 'not_applied', True),
    ('success, another flavor -> fail not_applied', job('SUCCESS'), server('ACTIVE', flavor=OTHER), goal(), FAIL, 'not_applied', False),
    ('success, server in ERROR -> fail', job('SUCCESS'), server('ERROR', fault='boom'), goal(), FAIL, 'error_state', False),
    ('success, server gone -> fail', job('SUCCESS'), None, goal(), FAIL, 'not_found', False),
    ('fail, back on old flavor -> rolled back', job('FAIL', 'Ecs.1000', 'No valid host'), server('ACTIVE'), goal(), FAIL, 'job_failed', True),
    ('fail, still resizing -> not (yet) rolled back', job('FAIL', 'Ecs.1000'), server('RESIZE', 'resize_reverting'), goal(), FAIL, 'job_failed', False),
    ('fail, on target anyway -> not rolled back', job('FAIL'), server('ACTIVE', flavor=NEW), goal(), FAIL, 'job_failed', False),
]


@pytest.mark.parametrize('description, the_job, the_server, the_goal, kind, error, rolled_back', CASES, ids=[c[0] for c in CASES])
def test_decide_after_job(description, the_job, the_server, the_goal, kind, error, rolled_back):
    step = decide_after_job(the_job, the_server, the_goal)
    assert step.kind == kind, step
    assert step.error == error
    assert step.rolled_back is rolled_back


def test_failed_job_message_names_code_reason_and_flavors():
    step = decide_after_job(job('FAIL', 'Ecs.1000', 'No valid host was found.'), server('ACTIVE'), goal())
    assert 'Ecs.1000: No valid host was found.' in step.reason and 'job-1' in step.reason
    assert 's6.large.2' in step.reason and 'old flavor s6.medium.2' in step.reason


def test_job_state_from_api_reads_sub_jobs_and_odd_fields():
    doc = {'status': 'fail', 'job_id': 'j-9', 'error_code': None, 'fail_reason': '',
           'entities': {'sub_jobs': [{'status': 'FAIL', 'error_code': 'Ecs.0013', 'fail_reason': 'locked'}]}}
    state = JobState.from_api(doc)
    assert (state.status, state.job_id, state.error_code, state.fail_reason) == ('FAIL', 'j-9', 'Ecs.0013', 'locked')
    assert state.ended and state.reason() == 'Ecs.0013: locked'
    empty = JobState.from_api(None, job_id='j-1')
    assert empty.job_id == 'j-1' and empty.status is None and not empty.ended and empty.reason() == 'no reason given'
    assert JobState.from_api({'status': 'INIT'}).poll_task == 'resize_prep'
    assert JobState.from_api({'status': 'RUNNING'}).poll_task == 'resize_migrating'
