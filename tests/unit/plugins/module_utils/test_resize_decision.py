# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven tests of decide_next_step: every status of the state table, for every state asked."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    CONFIRM, DONE, FAIL, NOOP, PENDING, RESIZE, REVERT, WAIT, Goal, ServerState, decide_next_step, final_status_of, outcome_of,
)

OLD = Flavor('s6.medium.2', 's6.medium.2', 1, 2048, 0)
NEW = Flavor('s6.large.2', 's6.large.2', 2, 4096, 0)
OTHER = Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0)


def server(status, task=None, flavor=OLD, vm_state=None, power=1, locked=None, fault=None, embedded=False):
    flavor_doc = ({'original_name': flavor.name, 'vcpus': flavor.vcpus, 'ram': flavor.ram, 'disk': flavor.disk}
                  if embedded else {'id': flavor.id, 'links': []})
    doc = {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task,
           'OS-EXT-STS:vm_state': vm_state, 'OS-EXT-STS:power_state': power, 'flavor': flavor_doc}
    if locked is not None:
        doc['locked'] = locked
    if fault:
        doc['fault'] = {'message': fault, 'code': 500}
    return ServerState.from_api(doc)


def goal(state='present', target=NEW, sent=(), started=False, since=100.0, confirm=True, allow_restart=True, final='ACTIVE'):
    return Goal(state=state, target=target, confirm=confirm, allow_restart=allow_restart, final_status=final,
                sent=sent, started=started, since_request=since)


PRESENT_CASES = [
    # (description, server, goal, expected kind, expected error)
    ('idle on old flavor -> resize', server('ACTIVE'), goal(), RESIZE, None),
    ('stopped on old flavor -> resize', server('SHUTOFF', power=4), goal(final='SHUTOFF'), RESIZE, None),
    ('already on target -> noop', server('ACTIVE', flavor=NEW), goal(), NOOP, None),
    # the idempotent no-op comes before every precondition of a resize (issue 21): a rerun never fails on them
    ('locked, already on target -> noop', server('ACTIVE', flavor=NEW, locked=True), goal(), NOOP, None),
    ('running on target, allow_restart false -> noop', server('ACTIVE', flavor=NEW), goal(allow_restart=False), NOOP, None),
    ('locked and stopped on target, allow_restart false -> noop', server('SHUTOFF', flavor=NEW, power=4, locked=True),
     goal(allow_restart=False, final='SHUTOFF'), NOOP, None),
    ('locked on target after the resize -> done', server('ACTIVE', flavor=NEW, locked=True),
     goal(sent=['resize', 'confirmResize'], allow_restart=False), DONE, None),
    ('already on target, 2.47 embedded -> noop', server('ACTIVE', flavor=NEW, embedded=True), goal(), NOOP, None),
    ('embedded name equal but sizes differ -> resize', server('ACTIVE', flavor=Flavor(None, 's6.large.2', 4, 4096, 0), embedded=True),
     goal(), RESIZE, None),
    ('running, allow_restart false -> fail', server('ACTIVE'), goal(allow_restart=False), FAIL, 'restart_refused'),
    ('stopped, allow_restart false -> resize', server('SHUTOFF', power=4), goal(allow_restart=False, final='SHUTOFF'), RESIZE, None),
    ('locked -> fail', server('ACTIVE', locked=True), goal(), FAIL, 'locked'),
    ('busy powering-on -> wait', server('SHUTOFF', task='powering-on'), goal(), WAIT, None),
    ('resize_prep -> wait', server('RESIZE', task='resize_prep'), goal(sent=['resize'], started=True), WAIT, None),
    ('resize_migrating -> wait', server('RESIZE', task='resize_migrating'), goal(sent=['resize'], started=True), WAIT, None),
    ('resize_migrated -> wait', server('RESIZE', task='resize_migrated'), goal(sent=['resize'], started=True), WAIT, None),
    ('resize_finish -> wait', server('RESIZE', task='resize_finish'), goal(sent=['resize'], started=True), WAIT, None),
    ('found mid-resize, nothing sent -> wait', server('RESIZE', task='resize_migrating'), goal(), WAIT, None),
    ('verify on target -> confirm', server('VERIFY_RESIZE', flavor=NEW, vm_state='resized'), goal(sent=['resize']), CONFIRM, None),
    ('verify on target, found at start -> confirm', server('VERIFY_RESIZE', flavor=NEW, vm_state='resized'), goal(), CONFIRM, None),
    ('verify on target, confirm=false -> pending', server('VERIFY_RESIZE', flavor=NEW), goal(confirm=False), PENDING, None),
    ('verify with task -> wait', server('VERIFY_RESIZE', task='powering-off', flavor=NEW), goal(), WAIT, None),
    ('verify on another flavor -> fail', server('VERIFY_RESIZE', flavor=OTHER), goal(), FAIL, 'pending_other'),
    ('verify after confirm sent -> wait', server('VERIFY_RESIZE', flavor=NEW), goal(sent=['resize', 'confirmResize']), WAIT, None),
    ('active on target after confirm -> done', server('ACTIVE', flavor=NEW), goal(sent=['resize', 'confirmResize']), DONE, None),
    ('stopped on target after confirm, was stopped -> done', server('SHUTOFF', flavor=NEW, power=4),
     goal(sent=['resize', 'confirmResize'], final='SHUTOFF'), DONE, None),
    ('shutoff on target but was running -> wait for power state', server('SHUTOFF', flavor=NEW, power=4),
     goal(sent=['resize', 'confirmResize'], final='ACTIVE'), WAIT, None),
    ('auto-confirmed by the cloud -> done', server('ACTIVE', flavor=NEW), goal(sent=['resize'], started=True), DONE, None),
    ('old flavor after resize seen started -> rolled back', server('ACTIVE'), goal(sent=['resize'], started=True), FAIL, 'rolled_back'),
    ('old flavor right after the request -> wait (not started yet)', server('ACTIVE'), goal(sent=['resize'], since=0.3), WAIT, None),
    # the grace is for a resize not seen yet: once it was seen under way, the old flavor is a rollback at once (issue 21)
    ('old flavor right after the request, resize seen started -> rolled back at once', server('ACTIVE'),
     goal(sent=['resize'], started=True, since=0.3), FAIL, 'rolled_back'),
    ('old flavor just before the grace ends -> wait', server('ACTIVE'), goal(sent=['resize'], since=9.9), WAIT, None),
    ('old flavor when the grace ends -> rolled back', server('ACTIVE'), goal(sent=['resize'], since=10.0), FAIL, 'rolled_back'),
    ('old flavor long after the request -> rolled back', server('ACTIVE'), goal(sent=['resize'], since=30.0), FAIL, 'rolled_back'),
    ('stopped, old flavor after resize -> rolled back', server('SHUTOFF', power=4), goal(sent=['resize'], started=True, final='SHUTOFF'),
     FAIL, 'rolled_back'),
    ('error before anything -> fail', server('ERROR', fault='disk broke'), goal(), FAIL, 'error_state'),
    ('error after resize -> fail rolled back', server('ERROR', fault='No valid host'), goal(sent=['resize'], started=True), FAIL, 'error_state'),
    ('revert running -> wait', server('REVERT_RESIZE', task='resize_reverting', vm_state='resized'), goal(), WAIT, None),
    ('build -> fail wrong state', server('BUILD', task='spawning'), goal(), FAIL, 'wrong_state'),
    ('unknown status -> fail wrong state', server('UNKNOWN'), goal(), FAIL, 'wrong_state'),
    ('shelved -> fail wrong state', server('SHELVED_OFFLOADED'), goal(), FAIL, 'wrong_state'),
    ('deleted -> fail', None, goal(sent=['resize']), FAIL, 'not_found'),
]


@pytest.mark.parametrize('description, observed, wanted, kind, error', PRESENT_CASES, ids=[c[0] for c in PRESENT_CASES])
def test_present(description, observed, wanted, kind, error):
    step = decide_next_step(observed, wanted)
    assert step.kind == kind, step
    assert step.error == error
    assert step.reason


def test_rollback_flags():
    step = decide_next_step(server('ACTIVE'), goal(sent=['resize'], started=True))
    assert step.rolled_back is True
    assert 'rolled the resize' in step.reason and 's6.medium.2' in step.reason
    step = decide_next_step(server('ERROR', fault='No valid host'), goal(sent=['resize'], started=True))
    assert step.rolled_back is True and 'No valid host' in step.reason
    step = decide_next_step(server('ERROR'), goal())
    assert step.rolled_back is False


def test_pending_other_message_names_both_flavors_and_the_way_out():
    step = decide_next_step(server('VERIFY_RESIZE', flavor=OTHER), goal())
    assert 'c7.large.2' in step.reason and 's6.large.2' in step.reason
    assert 'state=confirmed' in step.reason and 'state=reverted' in step.reason


CONFIRMED_CASES = [
    ('pending -> confirm', server('VERIFY_RESIZE', flavor=NEW), goal('confirmed', target=None), CONFIRM, None),
    ('pending on the given flavor -> confirm', server('VERIFY_RESIZE', flavor=NEW), goal('confirmed'), CONFIRM, None),
    ('pending on another flavor than given -> fail', server('VERIFY_RESIZE', flavor=OTHER), goal('confirmed'), FAIL, 'pending_other'),
    ('nothing pending -> noop', server('ACTIVE'), goal('confirmed', target=None), NOOP, None),
    ('nothing pending, stopped -> noop', server('SHUTOFF', power=4), goal('confirmed', target=None), NOOP, None),
    ('after confirm still verify -> wait', server('VERIFY_RESIZE', flavor=NEW), goal('confirmed', sent=['confirmResize']), WAIT, None),
    ('after confirm active -> done', server('ACTIVE', flavor=NEW), goal('confirmed', sent=['confirmResize']), DONE, None),
    ('resize running -> wait', server('RESIZE', task='resize_migrating'), goal('confirmed', target=None), WAIT, None),
    ('revert running -> wait', server('REVERT_RESIZE', task='resize_reverting'), goal('confirmed', target=None), WAIT, None),
    ('error -> fail', server('ERROR'), goal('confirmed', target=None), FAIL, 'error_state'),
    ('build -> fail', server('BUILD'), goal('confirmed', target=None), FAIL, 'wrong_state'),
]


@pytest.mark.parametrize('description, observed, wanted, kind, error', CONFIRMED_CASES, ids=[c[0] for c in CONFIRMED_CASES])
def test_confirmed(description, observed, wanted, kind, error):
    step = decide_next_step(observed, wanted)
    assert (step.kind, step.error) == (kind, error), step


REVERTED_CASES = [
    ('pending -> revert', server('VERIFY_RESIZE', flavor=NEW), goal('reverted', target=None), REVERT, None),
    ('nothing pending -> noop', server('ACTIVE'), goal('reverted', target=None), NOOP, None),
    ('reverting -> wait', server('REVERT_RESIZE', task='resize_reverting'), goal('reverted', target=None, sent=['revertResize']), WAIT, None),
    ('stopped server passes verify/powering-off -> wait', server('VERIFY_RESIZE', task='powering-off', power=4),
     goal('reverted', target=None, sent=['revertResize'], final='SHUTOFF'), WAIT, None),
    ('verify right after revert sent -> wait', server('VERIFY_RESIZE', flavor=NEW), goal('reverted', target=None, sent=['revertResize']), WAIT, None),
    ('back to active -> done', server('ACTIVE'), goal('reverted', target=None, sent=['revertResize']), DONE, None),
    ('back to shutoff -> done', server('SHUTOFF', power=4), goal('reverted', target=None, sent=['revertResize'], final='SHUTOFF'), DONE, None),
    ('resize running -> wait', server('RESIZE', task='resize_prep'), goal('reverted', target=None), WAIT, None),
    ('error -> fail', server('ERROR'), goal('reverted', target=None), FAIL, 'error_state'),
    # with a flavor: only a pending resize to that flavor is reverted
    ('pending to the flavor -> revert', server('VERIFY_RESIZE', flavor=NEW), goal('reverted'), REVERT, None),
    ('pending to another flavor -> fail', server('VERIFY_RESIZE', flavor=OTHER), goal('reverted'), FAIL, 'pending_other'),
    ('on the flavor, nothing pending (confirmed already) -> fail', server('ACTIVE', flavor=NEW), goal('reverted'), FAIL,
     'already_confirmed'),
    ('stopped on the flavor, nothing pending -> fail', server('SHUTOFF', flavor=NEW, power=4), goal('reverted', final='SHUTOFF'), FAIL,
     'already_confirmed'),
    ('on another flavor, nothing pending -> noop', server('ACTIVE', flavor=OLD), goal('reverted'), NOOP, None),
    ('back on the old flavor after the revert -> done', server('ACTIVE', flavor=OLD), goal('reverted', sent=['revertResize']), DONE, None),
]


@pytest.mark.parametrize('description, observed, wanted, kind, error', REVERTED_CASES, ids=[c[0] for c in REVERTED_CASES])
def test_reverted(description, observed, wanted, kind, error):
    step = decide_next_step(observed, wanted)
    assert (step.kind, step.error) == (kind, error), step


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
    assert final_status_of(observed) == expected


def test_unknown_flavor_shape_is_a_clear_failure():
    observed = ServerState.from_api({'id': 'x', 'name': 'web-1', 'status': 'ACTIVE', 'flavor': 'weird'})
    step = decide_next_step(observed, goal())
    assert step.kind == FAIL and step.error == 'malformed'


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
     {'failure': decide_next_step(server('ACTIVE'), goal(sent=['resize'], started=True))}, 'rolled_back'),
    ('refused', goal(), server('ACTIVE'), {'failure': True}, 'failed'),
    ('resize found under way ended', goal(), server('ACTIVE', flavor=NEW), {'found_under_way': True}, 'resized'),
]


@pytest.mark.parametrize('description, wanted, observed, keywords, expected', OUTCOME_CASES, ids=[c[0] for c in OUTCOME_CASES])
def test_outcome(description, wanted, observed, keywords, expected):
    assert outcome_of(wanted, observed, **keywords) == expected


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
