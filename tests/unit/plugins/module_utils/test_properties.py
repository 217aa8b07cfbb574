# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: any server document a cloud could send never makes the decision or the matching raise,
and a server already on the target is never resized."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from hypothesis import given, settings, strategies as st

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import parse_error_body
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, same_flavor, server_flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    FAIL, RESIZE, Goal, ServerState, decide_next_step,
)

STATUSES = ['ACTIVE', 'SHUTOFF', 'RESIZE', 'VERIFY_RESIZE', 'REVERT_RESIZE', 'ERROR', 'BUILD', 'UNKNOWN', 'MIGRATING',
            'REBOOT', 'HARD_REBOOT', 'SHELVED', 'PAUSED', 'SUSPENDED', 'DELETED', 'active', '']
TASKS = [None, '', 'resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish', 'resize_reverting',
         'resize_confirming', 'powering-off', 'powering-on', 'spawning', 'deleting']
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
        }),
)
targets = st.builds(Flavor, st.one_of(st.none(), flavor_names), st.one_of(st.none(), flavor_names),
                    st.one_of(st.none(), st.integers(0, 64)), st.one_of(st.none(), st.integers(0, 65536)),
                    st.one_of(st.none(), st.integers(0, 100)))
goals = st.builds(
    Goal,
    state=st.sampled_from(['present', 'confirmed', 'reverted']),
    target=targets,
    confirm=st.booleans(),
    allow_restart=st.booleans(),
    final_status=st.sampled_from([None, 'ACTIVE', 'SHUTOFF']),
    sent=st.lists(st.sampled_from(['resize', 'confirmResize', 'revertResize']), max_size=3),
    started=st.booleans(),
    since_request=st.floats(0, 100),
)


@settings(max_examples=400, deadline=None)
@given(server_docs, goals)
def test_decision_never_raises_and_never_resizes_a_server_on_its_target(doc, goal):
    server = ServerState.from_api(doc)
    step = decide_next_step(server, goal)
    assert step.kind and step.reason
    if goal.state == 'present' and same_flavor(server_flavor(doc), goal.target):
        assert step.kind != RESIZE
    if step.kind == FAIL:
        assert step.error


@settings(max_examples=300, deadline=None)
@given(server_docs, targets)
def test_flavor_matching_never_raises(doc, target):
    assert same_flavor(server_flavor(doc), target) in (True, False)
    flavor = server_flavor(doc)
    assert isinstance(flavor.describe(), str)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(STATUSES[:5]), st.sampled_from(TASKS), flavor_names)
def test_server_on_the_target_is_never_resized_whatever_its_phase(status, task, name):
    target = Flavor(name or 'x', name or 'x', 2, 4096, 0)
    for doc_flavor in ({'id': target.id}, {'original_name': target.name, 'vcpus': 2, 'ram': 4096, 'disk': 0}):
        doc = {'id': 'a', 'name': 'n', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': doc_flavor}
        for sent in ([], ['resize'], ['resize', 'confirmResize']):
            step = decide_next_step(ServerState.from_api(doc), Goal(target=target, sent=sent, started=True))
            assert step.kind != RESIZE


@settings(max_examples=200, deadline=None)
@given(st.integers(100, 599), st.one_of(st.text(max_size=200), st.binary(max_size=200)), st.one_of(st.none(), st.text(max_size=20)))
def test_error_body_parsing_never_raises(status, text, content_type):
    code, message = parse_error_body(status, text, content_type)
    assert message is None or isinstance(message, str)
