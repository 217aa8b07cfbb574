# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: any server or job document a cloud could send never makes the decisions or the matching raise,
and every step keeps its promise: a resize only when the user allowed it and the cloud can take it, on the target
only waiting, confirming or ending, never waiting for nothing, and a running server stopped for the native resize
only to be started again.

Two kinds of documents: odd ones (any JSON, fields of any type: nothing may raise) and plausible ones (the statuses,
tasks and flavors a cloud shows, and targets that often match), on which the decisions reach every kind of step."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from hypothesis import given, settings, strategies as st

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import RESTART_MARKER, JobState, decide_native_step
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import parse_error_body
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, same_flavor, server_flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    CONFIRM, DONE, FAIL, MARK, NOOP, PENDING, RESIZE, REVERT, STABLE, START, STOP, UNMARK, WAIT, Goal, ServerState, decide_next_step,
)

STATUSES = ['ACTIVE', 'SHUTOFF', 'RESIZE', 'VERIFY_RESIZE', 'REVERT_RESIZE', 'ERROR', 'BUILD', 'UNKNOWN', 'MIGRATING',
            'REBOOT', 'HARD_REBOOT', 'SHELVED', 'PAUSED', 'SUSPENDED', 'DELETED', 'active', '']
TASKS = [None, '', 'resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish', 'resize_reverting',
         'resize_confirming', 'powering-off', 'powering-on', 'spawning', 'deleting']
NOVA_ACTIONS = ['resize', 'confirmResize', 'revertResize']
NATIVE_ACTIONS = ['mark', 'stop', 'resize', 'start', 'unmark']

# -- odd documents ---------------------------------------------------------------------------------------------------
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10 ** 6), st.floats(allow_nan=True), st.text(max_size=12))
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)
flavor_names = st.sampled_from(['s6.medium.2', 's6.large.2', 'm1.small', '42', ''])
sizes = st.one_of(st.none(), st.integers(0, 65536), st.sampled_from(['2', '4096', 'x', '']))
flavor_docs = st.one_of(
    anything,
    st.fixed_dictionaries({'id': st.one_of(flavor_names, st.integers(0, 99), st.none()), 'links': anything},
                          optional={'name': flavor_names, 'vcpus': sizes, 'ram': sizes, 'disk': sizes}),
    st.fixed_dictionaries({'original_name': flavor_names, 'vcpus': sizes, 'ram': sizes, 'disk': sizes},
                          optional={'extra_specs': anything, 'ephemeral': sizes, 'swap': sizes}),
)
server_docs = st.one_of(
    anything,
    st.fixed_dictionaries(
        {'status': st.one_of(st.sampled_from(STATUSES), anything)},
        optional={
            'id': st.one_of(st.text(max_size=36), anything), 'name': st.one_of(st.text(max_size=10), anything),
            'OS-EXT-STS:task_state': st.one_of(st.sampled_from(TASKS), anything),
            'OS-EXT-STS:vm_state': st.one_of(st.sampled_from(['active', 'stopped', 'resized', 'error']), anything),
            'OS-EXT-STS:power_state': st.one_of(st.sampled_from([0, 1, 4]), anything),
            'flavor': flavor_docs, 'locked': anything, 'fault': anything, 'progress': anything, 'updated': anything,
            'metadata': anything,
        }),
)
targets = st.builds(Flavor, st.one_of(st.none(), flavor_names), st.one_of(st.none(), flavor_names),
                    st.one_of(st.none(), st.integers(0, 64)), st.one_of(st.none(), st.integers(0, 65536)),
                    st.one_of(st.none(), st.integers(0, 100)))

# -- plausible documents ---------------------------------------------------------------------------------------------
KNOWN = [Flavor('s6.medium.2', 's6.medium.2', 1, 2048, 0), Flavor('s6.large.2', 's6.large.2', 2, 4096, 0),
         Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0)]
known_flavors = st.sampled_from(KNOWN)
plausible_flavor_docs = st.builds(
    lambda flavor, embedded: ({'original_name': flavor.name, 'vcpus': flavor.vcpus, 'ram': flavor.ram, 'disk': flavor.disk}
                              if embedded else {'id': flavor.id, 'links': []}),
    known_flavors, st.booleans())
plausible_server_docs = st.fixed_dictionaries(
    # mostly the idle statuses a decision acts on (a repeated entry is drawn more often), each other one now and then
    {'id': st.just('srv-1'), 'name': st.sampled_from(['web-1', '']),
     'status': st.sampled_from(['ACTIVE'] * 6 + ['SHUTOFF'] * 5 + ['VERIFY_RESIZE'] * 3 + STATUSES[2:8]),
     'OS-EXT-STS:task_state': st.sampled_from([None] * 16 + TASKS), 'OS-EXT-STS:power_state': st.sampled_from([1, 4]),
     'flavor': plausible_flavor_docs, 'metadata': st.sampled_from([{}, {RESTART_MARKER: 'true'}, {'owner': 'ops'}])},
    optional={'locked': st.booleans(), 'fault': st.fixed_dictionaries({'message': st.sampled_from(['No valid host', ''])})})


# seconds since the last request: within the start grace of a resize, at its end, long after (and any now and then)
since_request = st.one_of(st.sampled_from([0.0, 9.9, 10.0, 60.0]), st.floats(0, 100))


def goals(target, actions):
    return st.builds(
        Goal, state=st.sampled_from(['present', 'confirmed', 'reverted']), target=target, confirm=st.booleans(),
        allow_restart=st.booleans(), final_status=st.sampled_from([None, 'ACTIVE', 'SHUTOFF']),
        sent=st.lists(st.sampled_from(actions), max_size=3), started=st.booleans(), since_request=since_request)


def _idle_and_stable(server):
    return server.status in STABLE and not server.busy


def _check_nova_step(server, goal):
    """What every step of decide_next_step promises, whatever the server shows."""
    step = decide_next_step(server, goal)
    assert step.kind in (NOOP, RESIZE, CONFIRM, REVERT, WAIT, DONE, PENDING, FAIL)
    assert isinstance(step.reason, str) and step.reason
    on_target = same_flavor(server.flavor, goal.target)
    requests = set(goal.sent) & set(NOVA_ACTIONS)
    if step.kind == FAIL:
        assert step.error
        assert not step.rolled_back or 'resize' in goal.sent  # only a resize this run sent can have been rolled back
    else:
        assert (step.error, step.rolled_back) == (None, False)
    if step.kind == RESIZE:  # only what was asked and allowed, only when the cloud can take it, never twice
        assert goal.state == 'present' and server.flavor.known and not on_target and not requests
        assert _idle_and_stable(server) and not server.locked and (server.status == 'SHUTOFF' or goal.allow_restart)
    if step.kind in (CONFIRM, PENDING, REVERT):  # a resize pending confirmation, nothing running on it
        assert server.status == 'VERIFY_RESIZE' and not server.busy and server.flavor.known
    if step.kind == CONFIRM:
        assert 'confirmResize' not in goal.sent
        assert goal.state == 'confirmed' or (goal.state == 'present' and goal.confirm and on_target)
        assert goal.state != 'confirmed' or goal.target is None or on_target
    if step.kind == PENDING:
        assert goal.state == 'present' and not goal.confirm and on_target
    if step.kind == REVERT:
        assert goal.state == 'reverted' and 'revertResize' not in goal.sent and (goal.target is None or on_target)
    if step.kind in (NOOP, DONE):  # the end: the server is idle
        assert _idle_and_stable(server)
    if step.kind == DONE:  # after what this run sent, in the power state it had
        assert requests and goal.final_status in (None, server.status)
    if step.kind == NOOP and goal.state == 'present':
        assert on_target and not goal.sent and step.reason == 'server already runs on %s' % goal.target.describe()
    if _idle_and_stable(server) and not goal.sent:
        assert step.kind != WAIT  # nothing sent, nothing running: nothing to wait for
    if goal.state == 'present' and _idle_and_stable(server) and server.flavor.known and on_target and not goal.sent:
        assert step.kind == NOOP  # idempotent: a rerun on the target changes nothing, whatever else holds
    return step


@settings(max_examples=400, deadline=None)
@given(plausible_server_docs, goals(st.one_of(known_flavors, st.none()), NOVA_ACTIONS))
def test_every_step_of_the_decision_keeps_its_promise(doc, goal):
    if goal.state == 'present' and goal.target is None:
        goal.target = KNOWN[1]  # state=present always has a target (ResizeRequest.problem)
    _check_nova_step(ServerState.from_api(doc), goal)


@settings(max_examples=300, deadline=None)
@given(server_docs, goals(targets, NOVA_ACTIONS))
def test_the_decision_never_raises_on_odd_documents_and_keeps_its_promise(doc, goal):
    server = ServerState.from_api(doc)
    step = _check_nova_step(server, goal)
    if goal.state == 'present' and same_flavor(server_flavor(doc), goal.target):
        assert step.kind != RESIZE


@settings(max_examples=300, deadline=None)
@given(server_docs, targets)
def test_flavor_matching_never_raises(doc, target):
    assert same_flavor(server_flavor(doc), target) in (True, False)
    flavor = server_flavor(doc)
    assert isinstance(flavor.describe(), str)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STATUSES[:5]), st.sampled_from(TASKS), flavor_names, st.sampled_from([[], ['resize'], ['resize', 'confirmResize']]),
       st.booleans())
def test_a_server_on_the_target_is_only_waited_for_confirmed_or_done_whatever_its_phase(status, task, name, sent, confirm):
    """On the target, a run never resizes again: it waits for what runs, confirms (or leaves pending) what waits for
    confirmation, and ends (NOOP when it sent nothing, DONE when it did) on an idle server."""
    target = Flavor(name or 'x', name or 'x', 2, 4096, 0)
    for doc_flavor in ({'id': target.id}, {'original_name': target.name, 'vcpus': 2, 'ram': 4096, 'disk': 0}):
        doc = {'id': 'a', 'name': 'n', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': doc_flavor}
        server = ServerState.from_api(doc)
        step = decide_next_step(server, Goal(target=target, sent=sent, started=True, confirm=confirm))
        if status in ('RESIZE', 'REVERT_RESIZE') or server.busy or (status == 'VERIFY_RESIZE' and 'confirmResize' in sent):
            assert step.kind == WAIT
        elif status == 'VERIFY_RESIZE':
            assert step.kind == (CONFIRM if confirm else PENDING)
        else:
            assert step.kind == (DONE if sent else NOOP)


native_goals = st.builds(
    Goal, target=known_flavors, final_status=st.sampled_from([None, 'ACTIVE', 'SHUTOFF']),
    # what a run sends is a prefix of mark, stop, resize, start, unmark (or resize alone); any list now and then
    sent=st.one_of(st.sampled_from([NATIVE_ACTIONS[:n] for n in range(6)] + [['resize']]), st.lists(st.sampled_from(NATIVE_ACTIONS), max_size=5)),
    started=st.booleans(), since_request=since_request,
    previous_flavor=st.one_of(st.none(), known_flavors), restart_mode=st.sampled_from([None, 'stop_start', 'with_stop_server']),
    wait=st.booleans(), allow_restart=st.booleans())
jobs = st.one_of(st.none(), st.builds(
    JobState, job_id=st.just('job-1'), status=st.sampled_from([None, 'INIT', 'RUNNING', 'SUCCESS', 'FAIL']),
    error_code=st.one_of(st.none(), st.sampled_from(['Ecs.0319', 'Ecs.0603'])), fail_reason=st.one_of(st.none(), st.text(max_size=8)),
    action=st.sampled_from(['resize', 'stop', 'start'])))


@settings(max_examples=400, deadline=None)
@given(plausible_server_docs, native_goals, jobs)
def test_the_native_decision_stops_a_server_only_to_start_it_again(doc, goal, job):
    server = ServerState.from_api(doc)
    step = decide_native_step(server, goal, job)
    assert step.kind in (MARK, STOP, RESIZE, START, UNMARK, WAIT, NOOP, DONE, FAIL)
    assert isinstance(step.reason, str) and step.reason
    assert bool(step.error) == (step.kind == FAIL)
    marked = RESTART_MARKER in server.metadata
    on_target = same_flavor(server.flavor, goal.target)
    if step.kind in (MARK, STOP):  # only a running, idle server not on the target, followed to the end (wait=true)
        assert server.status == 'ACTIVE' and not server.busy and not on_target and goal.wait
        assert goal.restart_mode != 'with_stop_server' and goal.allow_restart and not server.locked
        assert marked == (step.kind == STOP)  # the note that it must be started again is written before the stop
    if step.kind == RESIZE:  # a running server only where the cloud stops and starts it itself
        assert _idle_and_stable(server) and not on_target and not server.locked
        assert server.status == 'SHUTOFF' or goal.restart_mode == 'with_stop_server'
    if step.kind in (START, UNMARK):  # only a server a run stopped, once it is idle
        assert marked and not server.busy and server.status == ('SHUTOFF' if step.kind == START else 'ACTIVE')
    if step.kind in (NOOP, DONE):  # the end: on the target, idle, no note left behind
        assert _idle_and_stable(server) and on_target and not marked
    if job is not None and job.failed:  # after a failed job: restore what the run changed (once it is idle), then fail
        assert step.kind in (START, UNMARK, FAIL) or (step.kind == WAIT and marked and not _idle_and_stable(server))
        if job.action == 'start':
            assert step.kind == FAIL  # starting it again is what failed: never a second start
    if marked and _idle_and_stable(server) and on_target and not (job is not None and job.failed and job.action == 'start'):
        assert step.kind in (START, UNMARK)  # on the target: a server a run stopped is started again, then unmarked


@settings(max_examples=200, deadline=None)
@given(anything, st.sampled_from([None, 'job-1']), st.sampled_from(['resize', 'stop', 'start']))
def test_a_job_document_of_any_shape_gives_a_job_state(doc, job_id, action):
    job = JobState.from_api(doc, job_id=job_id, action=action)
    for value in (job.job_id, job.status, job.error_code, job.fail_reason, job.begin_time, job.end_time):
        assert value is None or (isinstance(value, str) and value == value.strip() and value)
    assert job.status is None or job.status == job.status.upper()
    assert job.action == action and isinstance(job.reason(), str) and job.reason()
    assert job.ended == (job.status in ('SUCCESS', 'FAIL')) and job.failed == (job.status == 'FAIL')


@settings(max_examples=200, deadline=None)
@given(st.integers(100, 599), st.one_of(st.text(max_size=200), st.binary(max_size=200)), st.one_of(st.none(), st.text(max_size=20)))
def test_error_body_parsing_never_raises(status, text, content_type):
    code, message = parse_error_body(status, text, content_type)
    assert message is None or isinstance(message, str)


@settings(max_examples=100, deadline=None)
@given(st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.sampled_from([None, 'stop_start', 'with_stop_server']),
       st.sampled_from([[], ['mark']]))
def test_a_running_server_off_its_target_is_marked_then_stopped_unless_refused(marked, locked, allow_restart, wait, mode, sent):
    """The native resize of a running server: refused when it is locked, when a restart is not allowed, when the run
    would not wait for the stop and the start; else the cloud's one-job mode resizes it, or it is noted, then stopped."""
    doc = {'id': 'srv-1', 'name': 'web-1', 'status': 'ACTIVE', 'flavor': {'id': KNOWN[0].id}, 'locked': locked,
           'metadata': {RESTART_MARKER: 'true'} if marked else {}}
    goal = Goal(target=KNOWN[1], final_status='ACTIVE', sent=sent, allow_restart=allow_restart, wait=wait, restart_mode=mode,
                previous_flavor=KNOWN[0])
    step = decide_native_step(ServerState.from_api(doc), goal, None)
    if locked:
        assert (step.kind, step.error) == (FAIL, 'locked')
    elif not allow_restart:
        assert (step.kind, step.error) == (FAIL, 'restart_refused')
    elif mode == 'with_stop_server':
        assert step.kind == RESIZE
    elif not wait:
        assert (step.kind, step.error) == (FAIL, 'wait_needed')
    else:
        assert step.kind == (STOP if marked else MARK)
