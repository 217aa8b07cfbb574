# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of ecs_resize_batch: the list of servers checked and completed, the sliding window, the summary."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.batch import (
    MISSING, batch_requests, explained, first_line, left_unconfirmed, missing_result, prefixed, run_parallel, summarise,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import InputError

MODULE_DEFAULTS = dict(flavor=None, state='present', confirm=True, wait=True, timeout=1800, allow_restart=True,
                       api='nova', validate_target='auto', concurrency=10)


def item(server, **given):
    """An item as the argument spec hands it over: every suboption present, None when not given."""
    return dict(dict(server=server, flavor=None, state=None, confirm=None), **given)


def requests_of(servers, **params):
    return batch_requests(dict(MODULE_DEFAULTS, servers=servers, **params))


# -- batch_requests ---------------------------------------------------------------------------------

def test_items_take_the_module_settings_and_keep_their_own():
    found = requests_of([item('web-1'), item('db-1', flavor='s6.xlarge.2', confirm=False), item('web-2', state='reverted')],
                        flavor='s6.large.2', timeout=600)
    assert [(r.server, r.flavor, r.state, r.confirm, r.timeout) for r in found] == [
        ('web-1', 's6.large.2', 'present', True, 600),
        ('db-1', 's6.xlarge.2', 'present', False, 600),
        ('web-2', 's6.large.2', 'reverted', True, 600),
    ]


def test_confirmed_and_reverted_need_no_flavor():
    found = requests_of([item('web-1')], state='confirmed')
    assert found[0].flavor is None and found[0].state == 'confirmed'


def test_names_are_stripped_and_check_mode_passed_on():
    found = batch_requests(dict(MODULE_DEFAULTS, servers=[item(' web-1 ')], flavor='f'), check_mode=True)
    assert found[0].server == 'web-1' and found[0].check_mode is True


def test_empty_list_is_nothing_to_do():
    assert requests_of([], flavor='f') == []


@pytest.mark.parametrize('servers, params, words', [
    ([item('web-1'), item('web-1')], {'flavor': 'f'}, ['servers[1] (web-1)', 'listed twice', 'servers[0]']),
    ([item('')], {'flavor': 'f'}, ['servers[0] has no server']),
    ([item('web-1')], {}, ['servers[0] (web-1)', 'no flavor', 'state=present']),
    ([item('web-1', flavor=' ')], {'flavor': 'f'}, ['servers[0] (web-1)', 'no flavor']),
    ([item('web-1', state='confirmed')], {'api': 'ecs'}, ['servers[0] (web-1)', 'api=ecs']),
    ([item('web-1', confirm=False)], {'api': 'ecs', 'flavor': 'f'}, ['servers[0] (web-1)', 'confirm=false']),
])
def test_wrong_items_fail_naming_the_problem(servers, params, words):
    with pytest.raises(InputError) as caught:
        requests_of(servers, **params)
    message = caught.value.message
    assert message.startswith('nothing was changed') and '\n' not in message
    for word in words:
        assert word in message, (word, message)


def test_every_problem_is_named_at_once():
    with pytest.raises(InputError) as caught:
        requests_of([item('a'), item('a'), item(''), item('b', state='confirmed')], flavor='f', api='ecs')
    message = caught.value.message
    assert message.startswith('nothing was changed, the list of servers has 3 problems: ')
    assert 'servers[1] (a)' in message and 'servers[2] has no server' in message and 'servers[3] (b)' in message


def test_many_problems_are_cut_short():
    with pytest.raises(InputError) as caught:
        requests_of([item('')] * 15, flavor='f')
    assert caught.value.message.endswith('; and 5 more')


@pytest.mark.parametrize('params, word', [
    ({'concurrency': 0}, 'concurrency must be at least 1'),
    ({'concurrency': -2}, 'concurrency must be at least 1'),
    ({'timeout': 0}, 'timeout must be a positive'),
])
def test_module_settings_out_of_range_are_named_once(params, word):
    with pytest.raises(InputError) as caught:
        requests_of([item('web-1'), item('web-2')], flavor='f', **params)
    assert word in caught.value.message and 'servers[' not in caught.value.message


# -- run_parallel -----------------------------------------------------------------------------------

def test_results_come_back_in_input_order():
    def work(n):
        time.sleep(0.001 * (10 - n))
        return n * n
    assert run_parallel(work, list(range(10)), 4) == [n * n for n in range(10)]


def test_never_more_than_concurrency_at_once_and_the_window_slides():
    lock = threading.Lock()
    state = dict(running=0, peak=0)
    started = {}
    t0 = time.monotonic()

    def work(seconds):
        with lock:
            state['running'] += 1
            state['peak'] = max(state['peak'], state['running'])
            started[seconds] = time.monotonic() - t0
        time.sleep(seconds)
        with lock:
            state['running'] -= 1
        return seconds

    # two slots: the long one (0.4 s) keeps one busy while the short ones pass through the other
    durations = [0.4, 0.05, 0.051, 0.052, 0.053]
    assert run_parallel(work, durations, 2) == durations
    assert state['peak'] == 2
    # the last short item started long before the long one ended: no waiting for a whole batch
    assert started[0.053] < 0.35


def test_concurrency_one_runs_in_order_in_this_thread():
    seen = []
    run_parallel(lambda n: seen.append((n, threading.current_thread().name)), [1, 2, 3], 1)
    assert [n for n, dummy in seen] == [1, 2, 3]
    assert {name for dummy, name in seen} == {threading.current_thread().name}


def test_an_exception_of_work_takes_the_items_place():
    def work(n):
        if n == 2:
            raise ValueError('boom')
        return n
    results = run_parallel(work, [1, 2, 3], 3)
    assert results[0] == 1 and results[2] == 3
    assert isinstance(results[1], ValueError)


def test_nothing_to_run():
    assert run_parallel(lambda n: n, [], 5) == []


# -- summary and messages ---------------------------------------------------------------------------

def result(server, failed=False, changed=False, msg='', pending=False):
    return dict(item={'server': server}, failed=failed, changed=changed, msg=msg, pending_confirmation=pending)


def test_summary_names_the_failed_servers_with_the_first_line_of_each():
    results = [result('web-1', changed=True), result('web-2', failed=True, msg='server not found\nmore detail'),
               result('web-3', failed=True, changed=True, msg='the cloud rolled the resize back')]
    assert summarise(results) == ('2 of 3 servers failed: web-2: server not found; '
                                  'web-3: the cloud rolled the resize back')


def test_summary_of_a_success():
    assert summarise([result('a', changed=True), result('b')]) == '1 of 2 servers changed'
    assert summarise([result('a', changed=True, pending=True)]) == '1 of 1 server changed, 1 left pending confirmation'


def test_summary_cuts_a_long_list_of_failures_short():
    results = [result('s%d' % n, failed=True, msg='x') for n in range(12)]
    results[11]['server'] = {'status': 'VERIFY_RESIZE'}
    text = summarise(results)
    # the first ten with their reason, every other one by name with its status as last seen (issue 20)
    assert text.startswith('12 of 12 servers failed: s0: x; ') and text.endswith('; s9: x; and 2 more: s10 (not seen), s11 (VERIFY_RESIZE)')


def test_first_line_and_prefix():
    assert first_line('\n  one\ntwo') == 'one'
    assert first_line('') == 'unknown error'
    assert prefixed('web-1', 'TLS is off') == 'web-1: TLS is off'


# -- wait=false and missing=skip -------------------------------------------------------------------

@pytest.mark.parametrize('outcome, actions, unconfirmed', [
    ('accepted', ['resize'], True),             # a Nova resize sent, not waited for: nobody confirms it
    ('accepted', ['confirmResize'], False),     # a confirmation sent, not waited for: nothing left to confirm
    ('accepted', ['ecs:resize'], False),        # the native ECS resize has no confirmation step
    ('resized', ['resize', 'confirmResize'], False),
    ('pending', ['resize'], False),             # waited for: pending_confirmation says it
    ('unchanged', [], False),
])
def test_left_unconfirmed_only_after_a_nova_resize_not_waited_for(outcome, actions, unconfirmed):
    found = dict(outcome=outcome, actions=actions, msg='resize accepted; not waiting (wait=false)')
    assert left_unconfirmed(found) is unconfirmed
    text = explained(dict(found))['msg']
    assert ('the resize is left unconfirmed' in text) is unconfirmed
    assert text.startswith('resize accepted; not waiting (wait=false)')


def test_summary_says_what_wait_false_and_missing_skip_left():
    results = [dict(result('a', changed=True), outcome='accepted', actions=['resize']),
               dict(result('b', changed=True), outcome='accepted', actions=['resize']),
               dict(result('c'), outcome=MISSING)]
    assert summarise(results) == ('2 of 3 servers changed, 2 resizes sent and not waited for (left unconfirmed), '
                                  '1 not found and skipped')


def test_a_missing_server_is_no_failure():
    found = missing_result('web-9')
    assert found['outcome'] == MISSING and found['failed'] is False and found['changed'] is False
    assert found['msg'] == 'server web-9 does not exist: skipped (missing=skip)'
