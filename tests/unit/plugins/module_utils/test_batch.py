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
    BatchInputError, check_settings, first_line, normalise_items, prefixed, run_parallel, summarise,
)


# -- normalise_items --------------------------------------------------------------------------------

def test_items_take_the_module_defaults_and_keep_their_own():
    items = normalise_items([{'server': 'web-1'}, {'server': 'db-1', 'flavor': 's6.xlarge.2', 'confirm': False},
                             {'server': 'web-2', 'state': 'reverted'}], flavor='s6.large.2')
    assert [(i['server'], i['flavor'], i['state'], i['confirm']) for i in items] == [
        ('web-1', 's6.large.2', 'present', True),
        ('db-1', 's6.xlarge.2', 'present', False),
        ('web-2', 's6.large.2', 'reverted', True),
    ]
    assert items[1]['item'] == {'server': 'db-1', 'flavor': 's6.xlarge.2', 'confirm': False}


def test_keys_given_as_none_count_as_not_given():
    # AnsibleModule fills the suboptions an item leaves out with None
    items = normalise_items([{'server': 'web-1', 'flavor': None, 'state': None, 'confirm': None}],
                            flavor='s6.large.2', state='present', confirm=False)
    assert (items[0]['flavor'], items[0]['state'], items[0]['confirm']) == ('s6.large.2', 'present', False)
    assert items[0]['item'] == {'server': 'web-1'}


def test_confirmed_and_reverted_need_no_flavor():
    items = normalise_items([{'server': 'web-1'}], state='confirmed')
    assert items[0]['flavor'] is None and items[0]['state'] == 'confirmed'


def test_confirm_words_and_numeric_names():
    items = normalise_items([{'server': 101, 'confirm': 'no'}, {'server': ' web-1 ', 'confirm': 'yes'}], flavor='f')
    assert [(i['server'], i['confirm']) for i in items] == [('101', False), ('web-1', True)]


def test_empty_list_is_nothing_to_do():
    assert normalise_items([], flavor='f') == []
    assert normalise_items(None, flavor='f') == []


@pytest.mark.parametrize('servers, kwargs, words', [
    ([{'server': 'web-1'}, {'server': 'web-1'}], {'flavor': 'f'}, ['servers[1] (web-1)', 'listed twice', 'servers[0]']),
    ([{'flavor': 'f'}], {}, ['servers[0] has no server']),
    ([{'server': ''}], {'flavor': 'f'}, ['servers[0] has no server']),
    ([{'server': ['web-1']}], {'flavor': 'f'}, ['servers[0] has no server']),
    (['web-1'], {'flavor': 'f'}, ['servers[0] is not a dict', "'web-1'"]),
    ([{'server': 'web-1', 'colour': 'blue'}], {'flavor': 'f'}, ['servers[0] (web-1)', 'unknown key colour']),
    ([{'server': 'web-1'}], {}, ['servers[0] (web-1)', 'no flavor', 'state=present']),
    ([{'server': 'web-1', 'flavor': ''}], {'flavor': 'f'}, ['servers[0] (web-1)', 'flavor must be']),
    ([{'server': 'web-1', 'state': 'gone'}], {'flavor': 'f'}, ['state must be one of', "'gone'"]),
    ([{'server': 'web-1', 'confirm': 'maybe'}], {'flavor': 'f'}, ['confirm must be a boolean', "'maybe'"]),
    ([{'server': 'web-1', 'state': 'confirmed'}], {'api': 'ecs'}, ['servers[0] (web-1)', 'api=ecs']),
    ('web-1', {'flavor': 'f'}, ['servers must be a list']),
])
def test_wrong_items_fail_naming_the_problem(servers, kwargs, words):
    with pytest.raises(BatchInputError) as caught:
        normalise_items(servers, **kwargs)
    message = caught.value.message
    assert message.startswith('nothing was changed') or 'servers must be a list' in message
    assert '\n' not in message
    for word in words:
        assert word in message, (word, message)


def test_every_problem_is_named_at_once():
    with pytest.raises(BatchInputError) as caught:
        normalise_items([{'server': 'a'}, {'server': 'a'}, {}, {'server': 'b', 'x': 1}], flavor='f')
    message = caught.value.message
    assert message.startswith('nothing was changed, the list of servers has 3 problems: ')
    assert 'servers[1] (a)' in message and 'servers[2] has no server' in message and 'servers[3] (b)' in message


def test_many_problems_are_cut_short():
    with pytest.raises(BatchInputError) as caught:
        normalise_items([{}] * 15, flavor='f')
    assert caught.value.message.endswith('; and 5 more')


# -- check_settings ---------------------------------------------------------------------------------

@pytest.mark.parametrize('concurrency, timeout, api_timeout, word', [
    (0, 10, 30, 'concurrency must be at least 1'),
    (-2, 10, 30, 'concurrency must be at least 1'),
    (1, 0, 30, 'timeout must be a positive'),
    (1, 10, 0, 'api_timeout must be a positive'),
])
def test_settings_out_of_range(concurrency, timeout, api_timeout, word):
    assert word in check_settings(concurrency, timeout, api_timeout)


def test_settings_in_range():
    assert check_settings(1, 1, 1) is None
    assert check_settings(25, 1800, None) is None


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
    text = summarise(results)
    assert text.startswith('12 of 12 servers failed: s0: x; ') and text.endswith('; and 2 more')


def test_first_line_and_prefix():
    assert first_line('\n  one\ntwo') == 'one'
    assert first_line('') == 'unknown error'
    assert prefixed('web-1', 'TLS is off') == 'web-1: TLS is off'
