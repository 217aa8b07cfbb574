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
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeRequest

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


# -- every message whole (mutation testing: a user reads each word) -------------------------------------------------

@pytest.mark.parametrize('servers, params, message', [
    ([item('web-1'), item(' web-1 ')], {'flavor': 'f'},
     'nothing was changed, the list of servers has a problem: servers[1] (web-1): server web-1 is listed twice (also servers[0])'),
    ([item(None)], {'flavor': 'f'}, 'nothing was changed, the list of servers has a problem: servers[0] has no server: give the name '
                                    'or id of the server'),
    ([item('a'), item('b'), item('a', flavor=''), item(' ')], {},
     'nothing was changed, the list of servers has 6 problems: servers[0] (a): no flavor: state=present needs the target flavor '
     '(name, id or URI); servers[1] (b): no flavor: state=present needs the target flavor (name, id or URI); servers[2] (a): server a '
     'is listed twice (also servers[0]); servers[2] (a): no flavor: state=present needs the target flavor (name, id or URI); '
     'servers[3] has no server: give the name or id of the server; servers[3]: no flavor: state=present needs the target flavor '
     '(name, id or URI)'),
])
def test_the_problems_of_a_list_are_named_in_one_sentence(servers, params, message):
    with pytest.raises(InputError) as caught:
        requests_of(servers, **params)
    assert caught.value.message == message


def test_eleven_problems_name_ten_and_count_the_rest():
    with pytest.raises(InputError) as caught:
        requests_of([item('')] * 11, flavor='f')
    shown = '; '.join('servers[%d] has no server: give the name or id of the server' % n for n in range(10))
    assert caught.value.message == 'nothing was changed, the list of servers has 11 problems: %s; and 1 more' % shown


def test_ten_problems_are_all_named():
    with pytest.raises(InputError) as caught:
        requests_of([item('')] * 10, flavor='f')
    assert caught.value.message.endswith('servers[9] has no server: give the name or id of the server')


@pytest.mark.parametrize('params, message', [
    ({'concurrency': 0}, 'concurrency must be at least 1 (servers worked on at the same time), got 0'),
    ({'concurrency': None}, 'concurrency must be at least 1 (servers worked on at the same time), got None'),
    ({'timeout': 0}, 'timeout must be a positive number of seconds, got 0'),
])
def test_module_settings_out_of_range_whole_message(params, message):
    with pytest.raises(InputError) as caught:
        requests_of([item('web-1')], flavor='f', **params)
    assert caught.value.message == message


def test_concurrency_one_is_enough():
    assert [r.server for r in requests_of([item('web-1')], flavor='f', concurrency=1)] == ['web-1']


def test_every_setting_of_an_item_and_of_the_module_reaches_its_request():
    params = dict(MODULE_DEFAULTS, flavor='f', state='present', confirm=True, wait=False, timeout=600, allow_restart=False, api='ecs',
                  validate_target='never', restart_mode='stop_start', dedicated_host_id='dh-1')
    found = batch_requests(dict(params, servers=[item('web-1', flavor='g')]), check_mode=True)
    assert [dict((key, getattr(r, key)) for key in ResizeRequest.FIELDS + ('check_mode',)) for r in found] == [dict(
        server='web-1', flavor='g', state='present', confirm=True, wait=False, timeout=600, allow_restart=False, api='ecs',
        validate_target='never', restart_mode='stop_start', dedicated_host_id='dh-1', check_mode=True)]
    assert batch_requests(dict(params, servers=[item('web-1')]))[0].check_mode is False


def test_a_long_list_keeps_at_most_concurrency_at_work_in_named_threads():
    names = set()
    lock = threading.Lock()

    def work(n):
        with lock:
            names.add(threading.current_thread().name)
        time.sleep(0.002)
        return n
    assert run_parallel(work, list(range(12)), 3) == list(range(12))
    assert names <= {'ecs-batch-0', 'ecs-batch-1', 'ecs-batch-2'} and len(names) >= 2
    assert all(not t.name.startswith('ecs-batch-') for t in threading.enumerate())


def test_more_workers_than_items_start_one_per_item():
    names = []
    run_parallel(lambda n: names.append(threading.current_thread().name), [1, 2], '8')
    assert sorted(set(names)) <= ['ecs-batch-0', 'ecs-batch-1'] and len(names) == 2


def test_an_exception_of_the_only_worker_takes_the_items_place_too():
    results = run_parallel(lambda n: 1 // (n - 2), [1, 2, 3], 1)
    assert results[0] == -1 and isinstance(results[1], ZeroDivisionError) and results[2] == 1


@pytest.mark.parametrize('found, name', [
    (dict(item={'server': 'web-1'}, server={'name': 'other'}), 'web-1'),
    (dict(item={}, server={'name': 'web-2'}), 'web-2'),
    (dict(item=None, server=None), '?'),
    (dict(), '?'),
])
def test_a_failed_server_is_named_by_its_item_else_by_the_cloud(found, name):
    assert summarise([dict(found, failed=True, msg='boom')]) == '1 of 1 server failed: %s: boom' % name


def test_one_resize_not_waited_for_is_one_resize():
    results = [dict(result('a', changed=True), outcome='accepted', actions=['resize'])]
    assert summarise(results) == '1 of 1 server changed, 1 resize sent and not waited for (left unconfirmed)'


def test_a_resize_left_unconfirmed_says_what_to_do():
    found = explained(dict(outcome='accepted', actions=['resize'], msg='resize accepted; not waiting (wait=false)'))
    assert found['msg'] == ('resize accepted; not waiting (wait=false): the resize is left unconfirmed - when the cloud has done it, '
                            'the server waits in VERIFY_RESIZE for a confirmation this run does not send; confirm it (state=confirmed) '
                            'or revert it (state=reverted) later')
    assert explained(dict(outcome='accepted', actions=['resize']))['msg'].startswith('resize accepted: the resize is left unconfirmed')
    assert left_unconfirmed(dict(outcome='accepted', actions=[])) is False
    assert left_unconfirmed(dict(outcome='accepted')) is False


def test_the_workers_are_daemon_threads_so_an_interrupted_run_does_not_hang_on_them():
    seen = []
    run_parallel(lambda n: seen.append(threading.current_thread().daemon), [1, 2, 3], 3)
    assert seen == [True, True, True]
