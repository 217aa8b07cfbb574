# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of decide_next_step: every status of the state table, for every state asked.

Each row is a situation and the whole step it leads to: the kind, the error code, whether it is a rollback, and the
reason (the `msg` a user reads for NOOP, DONE, PENDING and FAIL, and after "not waiting:" or "would ...:" for the
others). The rows hold how to build the server and the goal, not the objects: they are built when the test runs, so
that mutation testing sees ServerState.from_api and Goal at work too (docs/testing.md, "What mutmut cannot see")."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeRequest
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    CONFIRM, DONE, FAIL, NOOP, PENDING, RESIZE, REVERT, WAIT, Goal, ServerState, Step, decide_next_step, final_status_of, outcome_of,
)

OLD = Flavor('s6.medium.2', 's6.medium.2', 1, 2048, 0)
NEW = Flavor('s6.large.2', 's6.large.2', 2, 4096, 0)
OTHER = Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0)
# how messages name them: the target with its sizes; a server's flavor as a server document shows it (its id)
NEW_TEXT = 's6.large.2 (2 vCPU, 4096 MiB)'
NEEDS = 'a resize needs it ACTIVE or SHUTOFF with no task running'


def server(status, task=None, flavor=OLD, vm_state=None, power=1, locked=None, fault=None, embedded=False, flavor_doc=None):
    """How to build the ServerState of a server document (call the result)."""
    if flavor_doc is None:
        flavor_doc = ({'original_name': flavor.name, 'vcpus': flavor.vcpus, 'ram': flavor.ram, 'disk': flavor.disk}
                      if embedded else {'id': flavor.id, 'links': []})
    doc = {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task,
           'OS-EXT-STS:vm_state': vm_state, 'OS-EXT-STS:power_state': power, 'flavor': flavor_doc}
    if locked is not None:
        doc['locked'] = locked
    if fault:
        doc['fault'] = {'message': fault, 'code': 500}
    return lambda: ServerState.from_api(doc)


def goal(state='present', target=NEW, sent=(), started=False, since=100.0, confirm=True, allow_restart=True, final='ACTIVE'):
    """How to build a Goal (call the result)."""
    return lambda: Goal(state=state, target=target, confirm=confirm, allow_restart=allow_restart, final_status=final,
                        sent=list(sent), started=started, since_request=since)


def gone():
    """The server no longer exists."""
    return lambda: None


def row(description, observed, wanted, kind, reason, error=None, rolled_back=False):
    return pytest.param(observed, wanted, kind, reason, error, rolled_back, id=description)


def decided(observed, wanted):
    return decide_next_step(observed(), wanted())


PRESENT_CASES = [
    row('idle on old flavor -> resize', server('ACTIVE'), goal(), RESIZE, 'server runs on s6.medium.2, not on %s' % NEW_TEXT),
    row('stopped on old flavor -> resize', server('SHUTOFF', power=4), goal(final='SHUTOFF'), RESIZE,
        'server runs on s6.medium.2, not on %s' % NEW_TEXT),
    row('already on target -> noop', server('ACTIVE', flavor=NEW), goal(), NOOP, 'server already runs on %s' % NEW_TEXT),
    # the idempotent no-op comes before every precondition of a resize (issue 21): a rerun never fails on them
    row('locked, already on target -> noop', server('ACTIVE', flavor=NEW, locked=True), goal(), NOOP,
        'server already runs on %s' % NEW_TEXT),
    row('running on target, allow_restart false -> noop', server('ACTIVE', flavor=NEW), goal(allow_restart=False), NOOP,
        'server already runs on %s' % NEW_TEXT),
    row('locked and stopped on target, allow_restart false -> noop', server('SHUTOFF', flavor=NEW, power=4, locked=True),
        goal(allow_restart=False, final='SHUTOFF'), NOOP, 'server already runs on %s' % NEW_TEXT),
    row('locked on target after the resize -> done', server('ACTIVE', flavor=NEW, locked=True),
        goal(sent=['resize', 'confirmResize'], allow_restart=False), DONE, 'server runs on %s' % NEW_TEXT),
    row('already on target, 2.47 embedded -> noop', server('ACTIVE', flavor=NEW, embedded=True), goal(), NOOP,
        'server already runs on %s' % NEW_TEXT),
    row('embedded name equal but sizes differ -> resize', server('ACTIVE', flavor=Flavor(None, 's6.large.2', 4, 4096, 0), embedded=True),
        goal(), RESIZE, 'server runs on s6.large.2 (4 vCPU, 4096 MiB), not on %s' % NEW_TEXT),
    row('running, allow_restart false -> fail', server('ACTIVE'), goal(allow_restart=False), FAIL,
        'server web-1 is running and a resize restarts it; set allow_restart=true or stop it first', 'restart_refused'),
    row('stopped, allow_restart false -> resize', server('SHUTOFF', power=4), goal(allow_restart=False, final='SHUTOFF'), RESIZE,
        'server runs on s6.medium.2, not on %s' % NEW_TEXT),
    row('locked -> fail', server('ACTIVE', locked=True), goal(), FAIL, 'server web-1 is locked; unlock it before resizing', 'locked'),
    row('busy powering-on -> wait', server('SHUTOFF', task='powering-on'), goal(), WAIT, 'server is busy: SHUTOFF/powering-on'),
    row('resize_prep -> wait', server('RESIZE', task='resize_prep'), goal(sent=['resize'], started=True), WAIT,
        'server is RESIZE/resize_prep'),
    row('resize_migrating -> wait', server('RESIZE', task='resize_migrating'), goal(sent=['resize'], started=True), WAIT,
        'server is RESIZE/resize_migrating'),
    row('resize_migrated -> wait', server('RESIZE', task='resize_migrated'), goal(sent=['resize'], started=True), WAIT,
        'server is RESIZE/resize_migrated'),
    row('resize_finish -> wait', server('RESIZE', task='resize_finish'), goal(sent=['resize'], started=True), WAIT,
        'server is RESIZE/resize_finish'),
    row('found mid-resize, nothing sent -> wait', server('RESIZE', task='resize_migrating'), goal(), WAIT,
        'server is RESIZE/resize_migrating'),
    row('verify on target -> confirm', server('VERIFY_RESIZE', flavor=NEW, vm_state='resized'), goal(sent=['resize']), CONFIRM,
        'resize to %s is pending confirmation' % NEW_TEXT),
    row('verify on target, found at start -> confirm', server('VERIFY_RESIZE', flavor=NEW, vm_state='resized'), goal(), CONFIRM,
        'resize to %s is pending confirmation' % NEW_TEXT),
    row('verify on target, confirm=false -> pending', server('VERIFY_RESIZE', flavor=NEW), goal(confirm=False), PENDING,
        'resize to %s is pending confirmation' % NEW_TEXT),
    row('verify with task -> wait', server('VERIFY_RESIZE', task='powering-off', flavor=NEW), goal(), WAIT,
        'resize pending confirmation, task powering-off running'),
    row('verify on another flavor -> fail', server('VERIFY_RESIZE', flavor=OTHER), goal(), FAIL,
        'server web-1 has a resize to c7.large.2 pending confirmation, not to %s; confirm it (state=confirmed) '
        'or revert it (state=reverted) first' % NEW_TEXT, 'pending_other'),
    row('verify after confirm sent -> wait', server('VERIFY_RESIZE', flavor=NEW), goal(sent=['resize', 'confirmResize']), WAIT,
        'confirmation accepted, server still VERIFY_RESIZE'),
    row('active on target after confirm -> done', server('ACTIVE', flavor=NEW), goal(sent=['resize', 'confirmResize']), DONE,
        'server runs on %s' % NEW_TEXT),
    row('stopped on target after confirm, was stopped -> done', server('SHUTOFF', flavor=NEW, power=4),
        goal(sent=['resize', 'confirmResize'], final='SHUTOFF'), DONE, 'server runs on %s' % NEW_TEXT),
    row('shutoff on target but was running -> wait for power state', server('SHUTOFF', flavor=NEW, power=4),
        goal(sent=['resize', 'confirmResize'], final='ACTIVE'), WAIT,
        'server runs on %s; waiting for the server to be ACTIVE again (now SHUTOFF)' % NEW_TEXT),
    row('on target after confirm, power state not known -> done', server('SHUTOFF', flavor=NEW, power=4),
        goal(sent=['resize', 'confirmResize'], final=None), DONE, 'server runs on %s' % NEW_TEXT),
    row('auto-confirmed by the cloud -> done', server('ACTIVE', flavor=NEW), goal(sent=['resize'], started=True), DONE,
        'server runs on %s' % NEW_TEXT),
    row('old flavor after resize seen started -> rolled back', server('ACTIVE'), goal(sent=['resize'], started=True), FAIL,
        'the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2, not on %s' % NEW_TEXT,
        'rolled_back', True),
    row('old flavor right after the request -> wait (not started yet)', server('ACTIVE'), goal(sent=['resize'], since=0.3), WAIT,
        'resize accepted, not started yet'),
    # the grace is for a resize not seen yet: once it was seen under way, the old flavor is a rollback at once (issue 21)
    row('old flavor right after the request, resize seen started -> rolled back at once', server('ACTIVE'),
        goal(sent=['resize'], started=True, since=0.3), FAIL,
        'the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2, not on %s' % NEW_TEXT,
        'rolled_back', True),
    row('old flavor just before the grace ends -> wait', server('ACTIVE'), goal(sent=['resize'], since=9.9), WAIT,
        'resize accepted, not started yet'),
    row('old flavor when the grace ends -> rolled back', server('ACTIVE'), goal(sent=['resize'], since=10.0), FAIL,
        'the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2, not on %s' % NEW_TEXT,
        'rolled_back', True),
    row('old flavor long after the request -> rolled back', server('ACTIVE'), goal(sent=['resize'], since=30.0), FAIL,
        'the cloud rolled the resize of server web-1 back: it is ACTIVE on its old flavor s6.medium.2, not on %s' % NEW_TEXT,
        'rolled_back', True),
    row('stopped, old flavor after resize -> rolled back', server('SHUTOFF', power=4), goal(sent=['resize'], started=True, final='SHUTOFF'),
        FAIL, 'the cloud rolled the resize of server web-1 back: it is SHUTOFF on its old flavor s6.medium.2, not on %s' % NEW_TEXT,
        'rolled_back', True),
    # after a confirmation or a revert (of a resize found pending) the server must be on the target
    row('old flavor after a confirm -> unexpected', server('ACTIVE'), goal(sent=['confirmResize']), FAIL,
        'server web-1 is ACTIVE on s6.medium.2 after confirmResize', 'unexpected'),
    row('old flavor after a confirm and a revert -> unexpected', server('SHUTOFF', power=4), goal(sent=['confirmResize', 'revertResize']),
        FAIL, 'server web-1 is SHUTOFF on s6.medium.2 after confirmResize, revertResize', 'unexpected'),
    row('error before anything -> fail', server('ERROR', fault='disk broke'), goal(), FAIL, 'server web-1 is in ERROR: disk broke',
        'error_state'),
    row('error with no fault shown -> fail', server('ERROR'), goal(), FAIL, 'server web-1 is in ERROR', 'error_state'),
    row('error after resize -> fail rolled back', server('ERROR', fault='No valid host'), goal(sent=['resize'], started=True), FAIL,
        'server web-1 is in ERROR: No valid host', 'error_state', True),
    row('revert running -> wait', server('REVERT_RESIZE', task='resize_reverting', vm_state='resized'), goal(), WAIT,
        'server is REVERT_RESIZE/resize_reverting'),
    row('build -> fail wrong state', server('BUILD', task='spawning'), goal(), FAIL, 'server web-1 is BUILD/spawning; %s' % NEEDS,
        'wrong_state'),
    row('unknown status -> fail wrong state', server('UNKNOWN'), goal(), FAIL, 'server web-1 is UNKNOWN; %s' % NEEDS, 'wrong_state'),
    row('shelved -> fail wrong state', server('SHELVED_OFFLOADED'), goal(), FAIL, 'server web-1 is SHELVED_OFFLOADED; %s' % NEEDS,
        'wrong_state'),
    row('deleted -> fail', gone(), goal(sent=['resize']), FAIL, 'the server no longer exists (deleted during the operation)', 'not_found'),
    # a server document with no usable flavor: no decision on it where the flavor matters
    row('no flavor, active -> malformed', server('ACTIVE', flavor_doc='weird'), goal(), FAIL,
        'the cloud did not say which flavor server web-1 runs on (no usable "flavor" field)', 'malformed'),
    row('no flavor, pending confirmation -> malformed', server('VERIFY_RESIZE', flavor_doc={'links': []}), goal(), FAIL,
        'the cloud did not say which flavor server web-1 runs on (no usable "flavor" field)', 'malformed'),
    row('no flavor, resizing -> malformed', server('RESIZE', task='resize_prep', flavor_doc={}), goal(sent=['resize']), FAIL,
        'the cloud did not say which flavor server web-1 runs on (no usable "flavor" field)', 'malformed'),
    row('no flavor, building -> wrong state', server('BUILD', flavor_doc='weird'), goal(), FAIL, 'server web-1 is BUILD; %s' % NEEDS,
        'wrong_state'),
]


@pytest.mark.parametrize('observed, wanted, kind, reason, error, rolled_back', PRESENT_CASES)
def test_present(observed, wanted, kind, reason, error, rolled_back):
    step = decided(observed, wanted)
    assert (step.kind, step.error, step.rolled_back, step.reason) == (kind, error, rolled_back, reason), step


CONFIRMED_CASES = [
    row('pending -> confirm', server('VERIFY_RESIZE', flavor=NEW), goal('confirmed', target=None), CONFIRM,
        'a resize to s6.large.2 is pending confirmation'),
    row('pending on the given flavor -> confirm', server('VERIFY_RESIZE', flavor=NEW), goal('confirmed'), CONFIRM,
        'a resize to s6.large.2 is pending confirmation'),
    row('pending on another flavor than given -> fail', server('VERIFY_RESIZE', flavor=OTHER), goal('confirmed'), FAIL,
        'server web-1 has a resize to c7.large.2 pending, not to %s; not confirming it' % NEW_TEXT, 'pending_other'),
    row('pending, a task running -> wait', server('VERIFY_RESIZE', task='resize_confirming', flavor=NEW), goal('confirmed', target=None),
        WAIT, 'resize pending confirmation, task resize_confirming running'),
    row('nothing pending -> noop', server('ACTIVE'), goal('confirmed', target=None), NOOP, 'no resize is pending confirmation'),
    row('nothing pending, stopped -> noop', server('SHUTOFF', power=4), goal('confirmed', target=None), NOOP,
        'no resize is pending confirmation'),
    row('after confirm still verify -> wait', server('VERIFY_RESIZE', flavor=NEW), goal('confirmed', sent=['confirmResize']), WAIT,
        'confirmation accepted, server still VERIFY_RESIZE'),
    row('after confirm active -> done', server('ACTIVE', flavor=NEW), goal('confirmed', sent=['confirmResize']), DONE,
        'resize confirmed; server runs on s6.large.2'),
    row('after confirm stopped, was running -> wait for the power state', server('SHUTOFF', flavor=NEW, power=4),
        goal('confirmed', sent=['confirmResize']), WAIT,
        'resize confirmed; server runs on s6.large.2; waiting for the server to be ACTIVE again (now SHUTOFF)'),
    row('resize running -> wait', server('RESIZE', task='resize_migrating'), goal('confirmed', target=None), WAIT,
        'server is RESIZE/resize_migrating'),
    row('revert running -> wait', server('REVERT_RESIZE', task='resize_reverting'), goal('confirmed', target=None), WAIT,
        'server is REVERT_RESIZE/resize_reverting'),
    row('busy -> wait', server('ACTIVE', task='powering-off'), goal('confirmed', target=None), WAIT, 'server is busy: ACTIVE/powering-off'),
    row('error -> fail', server('ERROR'), goal('confirmed', target=None), FAIL, 'server web-1 is in ERROR', 'error_state'),
    row('build -> fail', server('BUILD'), goal('confirmed', target=None), FAIL, 'server web-1 is BUILD; %s' % NEEDS, 'wrong_state'),
]


@pytest.mark.parametrize('observed, wanted, kind, reason, error, rolled_back', CONFIRMED_CASES)
def test_confirmed(observed, wanted, kind, reason, error, rolled_back):
    step = decided(observed, wanted)
    assert (step.kind, step.error, step.rolled_back, step.reason) == (kind, error, rolled_back, reason), step


REVERTED_CASES = [
    row('pending -> revert', server('VERIFY_RESIZE', flavor=NEW), goal('reverted', target=None), REVERT,
        'a resize to s6.large.2 is pending confirmation'),
    row('nothing pending -> noop', server('ACTIVE'), goal('reverted', target=None), NOOP, 'no resize is pending'),
    row('reverting -> wait', server('REVERT_RESIZE', task='resize_reverting'), goal('reverted', target=None, sent=['revertResize']), WAIT,
        'server is REVERT_RESIZE/resize_reverting'),
    row('stopped server passes verify/powering-off -> wait', server('VERIFY_RESIZE', task='powering-off', power=4),
        goal('reverted', target=None, sent=['revertResize'], final='SHUTOFF'), WAIT, 'revert under way, server is VERIFY_RESIZE/powering-off'),
    row('verify with a task, nothing sent -> wait', server('VERIFY_RESIZE', task='resize_reverting', flavor=NEW), goal('reverted'), WAIT,
        'revert under way, server is VERIFY_RESIZE/resize_reverting'),
    row('verify right after revert sent -> wait', server('VERIFY_RESIZE', flavor=NEW), goal('reverted', target=None, sent=['revertResize']),
        WAIT, 'revert under way, server is VERIFY_RESIZE'),
    row('back to active -> done', server('ACTIVE'), goal('reverted', target=None, sent=['revertResize']), DONE,
        'resize reverted; server runs on s6.medium.2'),
    row('back to shutoff -> done', server('SHUTOFF', power=4), goal('reverted', target=None, sent=['revertResize'], final='SHUTOFF'), DONE,
        'resize reverted; server runs on s6.medium.2'),
    row('back, stopped, was running -> wait for the power state', server('SHUTOFF', power=4),
        goal('reverted', target=None, sent=['revertResize']), WAIT,
        'resize reverted; server runs on s6.medium.2; waiting for the server to be ACTIVE again (now SHUTOFF)'),
    row('resize running -> wait', server('RESIZE', task='resize_prep'), goal('reverted', target=None), WAIT, 'server is RESIZE/resize_prep'),
    row('error -> fail', server('ERROR'), goal('reverted', target=None), FAIL, 'server web-1 is in ERROR', 'error_state'),
    # with a flavor: only a pending resize to that flavor is reverted
    row('pending to the flavor -> revert', server('VERIFY_RESIZE', flavor=NEW), goal('reverted'), REVERT,
        'a resize to s6.large.2 is pending confirmation'),
    row('pending to another flavor -> fail', server('VERIFY_RESIZE', flavor=OTHER), goal('reverted'), FAIL,
        'server web-1 has a resize to c7.large.2 pending, not to %s; not reverting it' % NEW_TEXT, 'pending_other'),
    row('on the flavor, nothing pending (confirmed already) -> fail', server('ACTIVE', flavor=NEW), goal('reverted'), FAIL,
        'server web-1 runs on %s with nothing pending: the resize to it was confirmed already (by the cloud after its confirmation '
        'window, or by someone else) and cannot be reverted any more' % NEW_TEXT, 'already_confirmed'),
    row('stopped on the flavor, nothing pending -> fail', server('SHUTOFF', flavor=NEW, power=4), goal('reverted', final='SHUTOFF'), FAIL,
        'server web-1 runs on %s with nothing pending: the resize to it was confirmed already (by the cloud after its confirmation '
        'window, or by someone else) and cannot be reverted any more' % NEW_TEXT, 'already_confirmed'),
    row('on the flavor, busy -> wait', server('ACTIVE', task='powering-off', flavor=NEW), goal('reverted'), WAIT,
        'server is busy: ACTIVE/powering-off'),
    row('on another flavor, nothing pending -> noop', server('ACTIVE', flavor=OLD), goal('reverted'), NOOP, 'no resize is pending'),
    row('back on the old flavor after the revert -> done', server('ACTIVE', flavor=OLD), goal('reverted', sent=['revertResize']), DONE,
        'resize reverted; server runs on s6.medium.2'),
]


@pytest.mark.parametrize('observed, wanted, kind, reason, error, rolled_back', REVERTED_CASES)
def test_reverted(observed, wanted, kind, reason, error, rolled_back):
    step = decided(observed, wanted)
    assert (step.kind, step.error, step.rolled_back, step.reason) == (kind, error, rolled_back, reason), step


def test_a_step_shows_its_kind_and_reason():
    """What a failing assertion (and a debugger) shows of a step."""
    assert repr(decided(server('ACTIVE', locked=True), goal())) == 'Step(fail: server web-1 is locked; unlock it before resizing)'
    assert repr(Step(WAIT, 'server is RESIZE')) == 'Step(wait: server is RESIZE)'
    assert (Step(RESIZE, 'x').action, Step(CONFIRM, 'x').action, Step(REVERT, 'x').action, Step(WAIT, 'x').action) == (
        'resize', 'confirmResize', 'revertResize', None)


@pytest.mark.parametrize('observed, expected', [
    (server('ACTIVE'), 'ACTIVE'),
    (server('SHUTOFF', power=4), 'SHUTOFF'),
    # during RESIZE nothing tells (OTC shows vm_state stopped for every resize): learnt at VERIFY_RESIZE, or any idle end
    (server('RESIZE', task='resize_prep', vm_state='stopped', power=4), None),
    (server('RESIZE', task='resize_prep', vm_state='active'), None),
    (server('VERIFY_RESIZE', vm_state='resized', power=4), 'SHUTOFF'),
    (server('VERIFY_RESIZE', vm_state='resized', power=1), 'ACTIVE'),
])
def test_final_status_is_the_power_state_before(observed, expected):
    assert final_status_of(observed()) == expected


# -- Goal: what the loop builds from the request ---------------------------------------------------------------------

def test_the_goal_of_a_request_before_anything_was_sent():
    request = ResizeRequest(server='web-1', flavor='s6.large.2', state='confirmed', confirm=False, allow_restart=False, wait=False,
                            api='ecs', restart_mode='with_stop_server')
    made = Goal.for_request(request, target=NEW, final_status='SHUTOFF', previous_flavor=OLD)
    assert vars(made) == dict(state='confirmed', target=NEW, confirm=False, allow_restart=False, final_status='SHUTOFF', sent=[],
                              started=False, since_request=0.0, previous_flavor=OLD, restart_mode='with_stop_server', wait=False)


def test_a_goal_left_to_its_defaults_is_what_a_request_left_to_its_defaults_asks():
    """The tables here (and the property tests) lean on Goal's defaults: they are the module's defaults."""
    request = ResizeRequest(server='web-1', flavor='s6.large.2')
    assert vars(Goal(target=NEW)) == vars(Goal.for_request(request, target=NEW, final_status=None, previous_flavor=None))


def test_a_server_state_made_without_a_flavor_has_an_unknown_one():
    state = ServerState(id='srv-1', name='web-1', status='ACTIVE')
    assert state.flavor.known is False and state.metadata == {}
    assert state.as_dict()['flavor'] == dict(id=None, name=None, vcpus=None, ram=None, disk=None)
    step = decide_next_step(state, Goal(target=NEW))
    assert (step.kind, step.error) == (FAIL, 'malformed')


OUTCOME_CASES = [
    # (description, goal, server at the end, keywords of outcome_of, outcome)
    ('nothing sent, on target', goal(), server('ACTIVE', flavor=NEW), {}, 'unchanged'),
    ('resized and confirmed', goal(sent=['resize', 'confirmResize']), server('ACTIVE', flavor=NEW), {}, 'resized'),
    ('found pending, confirmed', goal(sent=['confirmResize']), server('ACTIVE', flavor=NEW), {}, 'resized'),
    ('resized, left pending', goal(sent=['resize'], confirm=False), server('VERIFY_RESIZE', flavor=NEW), {}, 'pending'),
    ('found pending, left pending', goal(confirm=False), server('VERIFY_RESIZE', flavor=NEW), {}, 'pending'),
    ('confirmed as asked', goal('confirmed', sent=['confirmResize']), server('ACTIVE', flavor=NEW), {}, 'confirmed'),
    ('reverted as asked', goal('reverted', sent=['revertResize']), server('ACTIVE'), {}, 'reverted'),
    ('nothing to revert', goal('reverted'), server('ACTIVE'), {}, 'unchanged'),
    ('wait=false', goal(sent=['resize']), server('RESIZE', task='resize_prep'), {'accepted': True}, 'accepted'),
    ('check mode', goal(), server('ACTIVE'), {'predicted': RESIZE}, 'would_resize'),
    ('check mode, revert', goal('reverted'), server('VERIFY_RESIZE', flavor=NEW), {'predicted': REVERT}, 'would_revert'),
    ('rolled back', goal(sent=['resize']), server('ACTIVE'),
     {'failure': lambda: decide_next_step(server('ACTIVE')(), goal(sent=['resize'], started=True)())}, 'rolled_back'),
    ('refused', goal(), server('ACTIVE'), {'failure': True}, 'failed'),
    ('resize found under way ended', goal(), server('ACTIVE', flavor=NEW), {'found_under_way': True}, 'resized'),
]


@pytest.mark.parametrize('description, wanted, observed, keywords, expected', OUTCOME_CASES, ids=[c[0] for c in OUTCOME_CASES])
def test_outcome(description, wanted, observed, keywords, expected):
    keywords = dict((key, value() if callable(value) else value) for key, value in keywords.items())
    assert outcome_of(wanted(), observed(), **keywords) == expected


# -- ServerState.from_api at run time (the rows above are built when the module is imported, so mutation testing
# cannot see them parse): every field, as the decision and the results read it ---------------------------------------

FULL_DOC = {
    'id': 'srv-1', 'name': ' web-1 ', 'status': 'verify_resize', 'OS-EXT-STS:vm_state': 'resized',
    'OS-EXT-STS:task_state': 'resize_finish', 'OS-EXT-STS:power_state': 4, 'locked': True, 'progress': 42,
    'updated': '2026-01-01T10:00:00Z', 'metadata': {'ecs_ops.compute:restart_after_resize': 'true', 7: 'x'},
    'OS-EXT-AZ:availability_zone': 'eu-de-01', 'os:scheduler_hints': {'dedicated_host_id': ['dh-1', 'dh-2']},
    'flavor': {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': '2', 'ram': 4096, 'disk': 0},
    'fault': {'message': 'No valid host was found', 'details': 'trace', 'code': 500},
}


def test_from_api_reads_every_field_of_a_server_document():
    state = ServerState.from_api(dict(FULL_DOC))
    assert state.as_dict() == dict(id='srv-1', name='web-1', status='VERIFY_RESIZE', vm_state='resized', task_state='resize_finish',
                                   power_state=4, locked=True,
                                   flavor=dict(id='s6.large.2', name='s6.large.2', vcpus=2, ram=4096, disk=0))
    assert (state.fault, state.progress, state.updated, state.availability_zone, state.dedicated_host_id) == (
        'No valid host was found', 42, '2026-01-01T10:00:00Z', 'eu-de-01', 'dh-1')
    assert state.metadata == {'ecs_ops.compute:restart_after_resize': 'true', '7': 'x'}
    assert (state.label, state.busy, state.display_name) == ('VERIFY_RESIZE/resize_finish', True, 'web-1')


@pytest.mark.parametrize('changes, field, expected', [
    ({'fault': {'details': 'only details'}}, 'fault', 'only details'),
    ({'fault': {'code': 500}}, 'fault', None),
    ({'fault': 'a plain fault'}, 'fault', 'a plain fault'),
    ({'fault': 42}, 'fault', None),
    ({'progress': True}, 'progress', None),
    ({'progress': 12.5}, 'progress', 12.5),
    ({'progress': '50'}, 'progress', None),
    ({'locked': 'yes'}, 'locked', None),
    ({'locked': False}, 'locked', False),
    ({'OS-EXT-STS:power_state': '4'}, 'power_state', None),
    ({'status': 3}, 'status', None),
    ({'metadata': ['not', 'a', 'dict']}, 'metadata', {}),
    ({'os:scheduler_hints': {'dedicated_host_id': 'dh-9'}}, 'dedicated_host_id', 'dh-9'),
    ({'os:scheduler_hints': {'dedicated_host_id': []}}, 'dedicated_host_id', None),
    ({'os:scheduler_hints': 'dh-9'}, 'dedicated_host_id', None),
    ({'id': 17}, 'id', '17'),
    ({'name': '  '}, 'name', None),
])
def test_from_api_takes_only_what_has_the_documented_type(changes, field, expected):
    doc = dict(FULL_DOC)
    doc.update(changes)
    assert getattr(ServerState.from_api(doc), field) == expected


def test_from_api_of_no_document_and_the_labels_of_an_idle_server():
    state = ServerState.from_api(None)
    assert (state.id, state.status, state.flavor.known, state.metadata, state.locked) == (None, None, False, {}, None)
    assert (state.label, state.busy, state.display_name) == ('UNKNOWN', False, 'the server')
    state = ServerState.from_api({'id': 'srv-2', 'status': 'ACTIVE', 'OS-EXT-STS:task_state': ''})
    assert (state.label, state.busy, state.display_name) == ('ACTIVE', False, 'srv-2')
