# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resize role's chain: the items, the plan, and what each step's result means for each server."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.resize_chain import (
    FAILING, OUTCOMES, TABLE_HEADER, resize_items, resize_plan, resize_update, table,
)

DEFAULTS = dict(flavor='s6.large.2', health_check='none', health_check_host='', health_check_port=22, health_check_url='',
                health_check_status=[200], health_check_tasks='')


def items_of(raw, per_host=False, wait=True, host='localhost', **defaults):
    found = resize_items(raw, dict(DEFAULTS, **defaults), host=host, per_host=per_host, wait=wait)
    assert found['problem'] is None, found['problem']
    return found['items']


# -- resize_items -----------------------------------------------------------------------------------

def test_items_take_the_role_defaults_and_keep_their_own():
    db1 = {'server': 'db-1', 'flavor': 's6.xlarge.2', 'health_check': 'tcp', 'health_check_port': 5432, 'health_check_host': '10.0.0.5'}
    found = items_of([{'server': ' web-1 '}, db1])
    assert found[0] == dict(server='web-1', flavor='s6.large.2', host='localhost', health_check='none', health_check_host='web-1',
                            health_check_port=22, health_check_url='http://web-1/', health_check_status=[200], health_check_tasks='')
    assert (found[1]['flavor'], found[1]['health_check'], found[1]['health_check_port'], found[1]['health_check_url']) == \
        ('s6.xlarge.2', 'tcp', 5432, 'http://10.0.0.5/')


def test_an_empty_value_in_an_item_means_the_default():
    found = items_of([{'server': 'web-1', 'flavor': '', 'health_check': None}], health_check='http',
                     health_check_url='https://x/health')
    assert (found[0]['flavor'], found[0]['health_check'], found[0]['health_check_url']) == ('s6.large.2', 'http', 'https://x/health')


@pytest.mark.parametrize('raw, options, defaults, words', [
    ([{'server': 'a'}, {'server': ''}], {}, {}, ['ecs_resize_servers[1] has no server']),
    ([{'server': 'a'}, {'server': 'a'}], {}, {}, ['ecs_resize_servers[1] (a): server a is listed twice (also ecs_resize_servers[0])']),
    ([{'server': 'a'}], {}, {'flavor': ''}, ["ecs_resize_servers[0] (a): no target flavor: set ecs_resize_flavor, or the item's flavor"]),
    ([{'server': 'a'}], {'per_host': True, 'host': 'web-1'}, {'flavor': ''}, ['host web-1 (a): no target flavor: set ecs_resize_flavor']),
    ([{'server': 'a', 'health_check': 'ping'}], {}, {}, ['health_check must be none, tcp, http or tasks, got ping']),
    ([{'server': 'a', 'health_check': 'tasks'}], {}, {}, ['health_check tasks needs a tasks file']),
    ([{'server': 'a', 'health_check': 'tcp', 'health_check_port': 0}], {}, {}, ['tcp needs a port from 1 to 65535, got 0']),
    ([{'server': 'a', 'health_check': 'http', 'health_check_status': ['ok']}], {}, {}, ['health_check_status must be a list']),
    ([{'server': 'a', 'health_check': 'http'}], {'wait': False}, {},
     ['a http health check needs the resize to be done, but ecs_resize_wait is false']),
    ([{'server': ''}, {'server': 'b', 'health_check': 'tasks'}], {}, {'flavor': ''},
     ['ecs_resize_servers[0] has no server', 'ecs_resize_servers[1] (b): no target flavor', 'ecs_resize_servers[1] (b): health_check tasks']),
])
def test_every_problem_of_the_list_is_named(raw, options, defaults, words):
    options = dict(dict(host='localhost', per_host=False, wait=True), **options)
    problem = resize_items(raw, dict(DEFAULTS, **defaults), **options)['problem']
    for word in words:
        assert word in problem


# -- the records as the module results make them ----------------------------------------------------

def entry(server, outcome, status='ACTIVE', flavor='s6.large.2', previous='s6.medium.2', target='s6.large.2', failed=False,
          task_state=None, msg='', error=None, pending=False, changed=False):
    """An entry of ecs_resize_batch's results."""
    found = dict(item=dict(server=server), outcome=outcome, failed=failed, changed=changed, msg=msg, pending_confirmation=pending,
                 previous_flavor=dict(id=previous, name=previous), flavor=dict(id=target, name=target),
                 server=dict(id='id-' + server, name=server, status=status, task_state=task_state, flavor=dict(id=flavor, name=flavor)))
    if error:
        found['error'] = error
    if status is None:
        found['server'] = {}
    return found


def batch(*entries, **top):
    return dict(dict(results=list(entries), changed=any(e['changed'] for e in entries), failed=any(e['failed'] for e in entries)), **top)


def planned(raw, per_host=False, **options):
    hosts = options.pop('hosts', None)
    if hosts:  # per host: one item per host
        items = []
        for host, item in zip(hosts, raw):
            items.extend(items_of([item], per_host=True, host=host))
    else:
        items = items_of(raw)
    return resize_plan(items, per_host=per_host, **options)


def by_server(state):
    return dict((r['server'], r) for r in state['servers'])


def after_preflight(state, *entries):
    return resize_update(state, 'preflight', batch(*entries), state['preflight'])


def test_the_plan_starts_every_server_and_preflights_them():
    state = planned([{'server': 'web-1'}, {'server': 'db-1'}])
    assert [(r['server'], r['outcome'], r['msg']) for r in state['servers']] == [
        ('web-1', 'not_started', 'not started'), ('db-1', 'not_started', 'not started')]
    assert state['preflight'] == [dict(server='web-1', flavor='s6.large.2'), dict(server='db-1', flavor='s6.large.2')]
    assert state['concurrency'] == 5 and state['batches'] == []


def test_per_host_two_hosts_naming_one_server_fail_and_are_not_preflighted():
    state = planned([{'server': 'web-1'}, {'server': 'web-1'}, {'server': 'web-2'}], per_host=True, hosts=['a', 'b', 'c'])
    assert [r['server'] for r in state['preflight']] == ['web-2']
    assert state['concurrency'] == 3  # per host: the whole serial batch at once (no more than forks)
    assert state['failed_hosts'] == dict(
        a='web-1: hosts a, b all name server web-1: each server may be resized by one host only; nothing was sent for it',
        b='web-1: hosts a, b all name server web-1: each server may be resized by one host only; nothing was sent for it')


@pytest.mark.parametrize('found, check_mode, outcome, next_step, words', [
    (entry('s', 'would_resize', flavor='s6.medium.2'), False, 'not_started', 'resize', 'waiting for its turn'),
    (entry('s', 'would_confirm', status='VERIFY_RESIZE'), False, 'not_started', 'resize', 'waiting for its turn'),
    # found mid-resize: check mode does not wait, the chain resumes it
    (entry('s', 'unchanged', status='RESIZE', task_state='resize_migrating'), False, 'not_started', 'resize', 'waiting'),
    (entry('s', 'unchanged', task_state='powering-on'), False, 'not_started', 'resize', 'waiting'),
    (entry('s', 'unchanged', previous='s6.large.2'), False, 'unchanged', None, 'already on s6.large.2'),
    (entry('s', 'unchanged', status='SHUTOFF', previous='s6.large.2'), False, 'unchanged', None, 'already on s6.large.2'),
    (entry('s', 'failed', status=None, failed=True, msg="server 's' not found"), False, 'failed', None,
     "preflight failed: server 's' not found"),
    (entry('s', 'missing', status=None), False, 'missing', None, 'server s does not exist: skipped (ecs_resize_missing is skip)'),
    (entry('s', 'would_resize', flavor='s6.medium.2', changed=True), True, 'would_resize', None,
     'would be resized from s6.medium.2 to s6.large.2'),
    (entry('s', 'would_confirm', status='VERIFY_RESIZE', changed=True), True, 'would_confirm', None, 'would be health-checked and confirmed'),
    (entry('s', 'unchanged', status='RESIZE', task_state='resize_prep'), True, 'unchanged', None,
     'a task runs on it (RESIZE/resize_prep): the role would wait for it'),
    (entry('s', 'unchanged', previous='s6.large.2'), True, 'unchanged', None, 'already on s6.large.2'),
])
def test_preflight(found, check_mode, outcome, next_step, words):
    record = by_server(after_preflight(planned([{'server': 's'}], check_mode=check_mode), found))['s']
    assert (record['outcome'], record['next']) == (outcome, next_step)
    assert words in record['msg']
    assert record['failed'] is (outcome in FAILING)
    if found['server']:
        assert (record['id'], record['flavor_before'], record['status_before']) == \
            ('id-s', found['previous_flavor']['name'], found['server']['status'])


def test_list_mode_changes_nothing_when_one_preflight_failed():
    state = after_preflight(planned([{'server': 'a'}, {'server': 'b'}, {'server': 'c'}], missing='skip'),
                            entry('a', 'would_resize', flavor='s6.medium.2'),
                            entry('b', 'failed', status=None, failed=True, msg='locked'), entry('c', 'missing', status=None))
    records = by_server(state)
    assert [records[n]['outcome'] for n in 'abc'] == ['skipped', 'failed', 'missing']
    assert records['a']['msg'] == 'not started: the preflight of b failed, and nothing is changed unless every server passes it'
    assert state['batches'] == [] and records['a']['failed'] is False
    assert state['failed_hosts'] == {'localhost': 'b: preflight failed: locked'}


def test_per_host_mode_goes_on_with_the_hosts_that_passed():
    state = after_preflight(planned([{'server': 'a'}, {'server': 'b'}], per_host=True, hosts=['a', 'b']),
                            entry('a', 'would_resize', flavor='s6.medium.2'), entry('b', 'failed', status=None, failed=True, msg='locked'))
    assert state['batches'] == [[dict(server='a', flavor='s6.large.2', confirm=True)]]
    assert state['failed_hosts'] == {'b': 'b: preflight failed: locked'}


def test_a_preflight_that_failed_as_a_whole_fails_every_server_with_its_message():
    state = planned([{'server': 'a'}, {'server': 'b'}])
    state = resize_update(state, 'preflight', dict(failed=True, msg='nothing was changed, the list of servers has a problem'),
                          state['preflight'])
    assert [(r['outcome'], r['msg']) for r in state['servers']] == [
        ('failed', 'preflight failed: no result for this server (preflight step): nothing was changed, the list of servers has a problem')] * 2


def test_list_mode_passes_without_health_check_first_then_checked_ones_by_concurrency():
    raw = [{'server': 'p1'}, {'server': 'c1', 'health_check': 'tcp'}, {'server': 'p2'}, {'server': 'c2', 'health_check': 'http'},
           {'server': 'c3', 'health_check': 'tcp'}, {'server': 'done'}]
    state = planned(raw, concurrency=2)
    state = after_preflight(state, *[entry(r['server'], 'would_resize', flavor='s6.medium.2') for r in raw[:-1]] +
                            [entry('done', 'unchanged', previous='s6.large.2')])
    assert [[(i['server'], i['confirm']) for i in b] for b in state['batches']] == [
        [('p1', True), ('p2', True)], [('c1', False), ('c2', False)], [('c3', False)]]


@pytest.mark.parametrize('forks, concurrency, passes', [
    # a serial batch no larger than forks: one pass, all at once (ecs_resize_concurrency is list mode's)
    (5, 1, [['a', 'b', 'c']]),
    (None, 1, [['a', 'b', 'c']]),
    (3, 1, [['a', 'b', 'c']]),
    # more hosts than forks (a play without serial): at most forks at a time, as Ansible runs hosts
    (2, 9, [['b'], ['a', 'c']]),
    (1, 9, [['b'], ['a'], ['c']]),
])
def test_per_host_mode_works_on_the_serial_batch_at_most_forks_at_once(forks, concurrency, passes):
    raw = [{'server': 'a', 'health_check': 'tcp'}, {'server': 'b'}, {'server': 'c', 'health_check': 'http'}]
    state = planned(raw, per_host=True, hosts=['a', 'b', 'c'], concurrency=concurrency, forks=forks)
    assert state['concurrency'] == min(3, forks or 3)
    state = after_preflight(state, *[entry(n, 'would_resize', flavor='s6.medium.2') for n in 'abc'])
    assert [[i['server'] for i in b] for b in state['batches']] == passes
    assert [i['confirm'] for b in state['batches'] for i in b if i['server'] == 'b'] == [True]


# -- resize, check, confirm, revert, look -----------------------------------------------------------

def to_resize(kind='none', revert_on_failure=True, **item):
    state = planned([dict(dict(server='s', health_check=kind), **item)], revert_on_failure=revert_on_failure)
    return after_preflight(state, entry('s', 'would_resize', flavor='s6.medium.2'))


@pytest.mark.parametrize('kind, found, outcome, next_step, words', [
    ('none', entry('s', 'resized', changed=True), 'resized', None, 'resized from s6.medium.2 to s6.large.2 and confirmed'),
    ('none', entry('s', 'rolled_back', flavor='s6.medium.2', failed=True, changed=True, msg='the cloud rolled the resize back'),
     'rolled_back', None, 'the cloud rolled the resize back'),
    ('none', entry('s', 'failed', failed=True, msg='timed out after 10 s'), 'failed', None, 'timed out after 10 s'),
    ('none', entry('s', 'accepted', status='ACTIVE', flavor='s6.medium.2', msg='resize accepted: the resize is left unconfirmed'),
     'accepted', None, 'left unconfirmed (ecs_resize_wait is false)'),
    ('none', entry('s', 'unchanged'), 'unchanged', None, 'already on s6.large.2'),
    ('tcp', entry('s', 'pending', status='VERIFY_RESIZE', pending=True, changed=True), 'pending', 'check', 'waiting for its tcp check'),
    # the cloud confirmed it by itself before the module saw VERIFY_RESIZE: still checked (and not revertable)
    ('http', entry('s', 'resized', changed=True), 'resized', 'check', 'waiting for its http check'),
    ('tcp', entry('s', 'rolled_back', flavor='s6.medium.2', failed=True, msg='rolled back'), 'rolled_back', None, 'rolled back'),
    ('tcp', entry('s', 'unchanged'), 'unchanged', None, 'already on'),
])
def test_resize(kind, found, outcome, next_step, words):
    state = resize_update(to_resize(kind, health_check_port=80), 'resize', batch(found), [dict(server='s')])
    record = by_server(state)['s']
    assert (record['outcome'], record['next']) == (outcome, next_step)
    assert words in record['msg']
    assert record['flavor_after'] == found['server']['flavor']['name']


def test_a_resize_that_failed_as_a_whole_fails_every_server_of_the_pass():
    state = to_resize()
    state = resize_update(state, 'resize', dict(failed=True, msg='credentials: auth_url missing'), state['batches'][0])
    assert by_server(state)['s']['msg'] == 'no result for this server (resize step): credentials: auth_url missing'


def test_a_skipped_step_changes_nothing():
    state = to_resize()
    assert resize_update(state, 'resize', dict(skipped=True, changed=False), state['batches'][0]) == state


def checked(kind='http', healthy=True, revert_on_failure=True, **item):
    state = to_resize(kind, revert_on_failure=revert_on_failure, health_check_port=80, **item)
    state = resize_update(state, 'resize', batch(entry('s', 'pending', status='VERIFY_RESIZE', pending=True, changed=True)), state['batches'][0])
    msg = 'http check passed: http://s/ answered 200' if healthy else 'http check: http://s/ answered 503, expected 200 (3 attempts in 2 s)'
    return resize_update(state, 'check', dict(results=[dict(name='s', kind=kind, healthy=healthy, msg=msg)]), state['check'])


def test_the_targets_of_the_health_checks():
    state = to_resize('http', health_check_url='https://s/health', health_check_status=[200, 204])
    state = resize_update(state, 'resize', batch(entry('s', 'pending', status='VERIFY_RESIZE', pending=True)), state['batches'][0])
    assert state['check'] == [dict(name='s', kind='http', url='https://s/health', status=[200, 204], validate_certs=True)]
    state = to_resize('tcp', health_check_port='5432', health_check_host='10.0.0.5')
    state = resize_update(state, 'resize', batch(entry('s', 'pending', status='VERIFY_RESIZE', pending=True)), state['batches'][0])
    assert state['check'] == [dict(name='s', kind='tcp', host='10.0.0.5', port=5432)]
    assert state['check_tasks'] == []


def test_a_check_by_tasks_file_gets_the_server_its_flavors_and_where_to_look():
    state = to_resize('tasks', health_check_tasks='/x/check.yml')
    state = resize_update(state, 'resize', batch(entry('s', 'pending', status='VERIFY_RESIZE', pending=True)), state['batches'][0])
    assert state['check'] == []
    assert state['check_tasks'] == [dict(name='s', host='localhost', file='/x/check.yml', check=dict(
        server='s', flavor='s6.large.2', previous_flavor='s6.medium.2', host='s', port=22, url='http://s/'))]
    assert state['check_tasks_by_host'] == {'localhost': state['check_tasks'][0]}
    state = resize_update(state, 'check_tasks', [dict(name='s', healthy=False, msg='tasks check: service is down')], state['check_tasks'])
    assert state['revert'] == [dict(server='s', flavor='s6.large.2')]


@pytest.mark.parametrize('healthy, revert_on_failure, confirm, revert, look', [
    (True, True, [dict(server='s', flavor='s6.large.2')], [], []),
    (False, True, [], [dict(server='s', flavor='s6.large.2')], []),
    (False, False, [], [], [dict(server='s', flavor='s6.large.2', confirm=False)]),
])
def test_after_the_health_check(healthy, revert_on_failure, confirm, revert, look):
    state = checked(healthy=healthy, revert_on_failure=revert_on_failure)
    assert (state['confirm'], state['revert'], state['look'], state['check']) == (confirm, revert, look, [])


def test_a_check_without_a_result_failed():
    state = to_resize('tcp', health_check_port=80)
    state = resize_update(state, 'resize', batch(entry('s', 'pending', status='VERIFY_RESIZE', pending=True)), state['batches'][0])
    state = resize_update(state, 'check', dict(failed=True, msg='targets[0] (s): a tcp check needs a host'), state['check'])
    assert state['revert'] == [dict(server='s', flavor='s6.large.2')]
    assert by_server(state)['s']['msg'] == ('its health check failed: no result for this server (check step): '
                                            'targets[0] (s): a tcp check needs a host')


@pytest.mark.parametrize('found, outcome, words', [
    (entry('s', 'confirmed', changed=True), 'resized',
     'resized from s6.medium.2 to s6.large.2: http check passed: http://s/ answered 200; resize confirmed'),
    # nothing pending any more, on the target: the cloud confirmed it
    (entry('s', 'unchanged'), 'resized', 'http check passed: http://s/ answered 200; the cloud had confirmed the resize by itself already'),
    (entry('s', 'unchanged', flavor='s6.medium.2'), 'failed', 'the resize to s6.large.2 is no longer pending: the server is ACTIVE on s6.medium.2'),
    (entry('s', 'failed', status='VERIFY_RESIZE', failed=True, msg='HTTP 409'), 'failed',
     'its health check passed (http check passed: http://s/ answered 200), but confirming the resize to s6.large.2 failed: HTTP 409'),
])
def test_confirm(found, outcome, words):
    state = checked(healthy=True)
    record = by_server(resize_update(state, 'confirm', batch(found), state['confirm']))['s']
    assert (record['outcome'], record['next'], record['failed']) == (outcome, None, outcome in FAILING)
    assert words in record['msg']


WHY = 'its health check failed: http check: http://s/ answered 503, expected 200 (3 attempts in 2 s)'


@pytest.mark.parametrize('found, outcome, msg', [
    (entry('s', 'reverted', flavor='s6.medium.2', changed=True), 'reverted', 'the resize to s6.large.2 was reverted because ' + WHY),
    # the cloud confirmed the resize while the check ran: the revert says so, and it is no "reverted"
    (entry('s', 'failed', failed=True, error='already_confirmed', msg='server s runs on s6.large.2 with nothing pending'), 'failed',
     WHY + '; the resize to s6.large.2 cannot be reverted: the cloud had confirmed it by itself already, the server runs on s6.large.2'),
    (entry('s', 'failed', status='VERIFY_RESIZE', failed=True, error='api_error', msg='HTTP 409'), 'failed',
     WHY + '; reverting the resize to s6.large.2 failed too: HTTP 409'),
    (entry('s', 'unchanged', flavor='s6.medium.2'), 'reverted',
     WHY + '; the resize to s6.large.2 is no longer pending (reverted by someone else): the server is ACTIVE on s6.medium.2'),
])
def test_revert(found, outcome, msg):
    state = checked(healthy=False)
    record = by_server(resize_update(state, 'revert', batch(found), state['revert']))['s']
    assert (record['outcome'], record['msg'], record['failed']) == (outcome, msg, True)
    assert record['flavor_after'] == found['server']['flavor']['name']


@pytest.mark.parametrize('found, outcome, words', [
    (entry('s', 'pending', status='VERIFY_RESIZE', pending=True), 'pending',
     WHY + '. The resize to s6.large.2 is left pending confirmation (ecs_resize_revert_on_failure is false): confirm or revert it yourself'),
    (entry('s', 'unchanged'), 'failed', WHY + '; the cloud had confirmed the resize to s6.large.2 by itself already: it cannot be reverted'),
    (entry('s', 'would_resize', flavor='s6.medium.2'), 'reverted', 'is no longer pending (reverted by someone else)'),
])
def test_look_at_a_server_left_pending(found, outcome, words):
    state = checked(healthy=False, revert_on_failure=False)
    record = by_server(resize_update(state, 'look', batch(found), state['look']))['s']
    assert (record['outcome'], record['failed']) == (outcome, True)
    assert words in record['msg']


def test_updates_leave_the_given_state_as_it_was():
    state = to_resize()
    before = repr(state)
    resize_update(state, 'resize', batch(entry('s', 'resized', changed=True)), state['batches'][0])
    assert repr(state) == before


def test_unknown_step():
    with pytest.raises(ValueError):
        resize_update(to_resize(), 'reboot', {}, [])


# -- the report -------------------------------------------------------------------------------------

def test_report_by_host_failures_changed_hosts_and_the_table():
    state = planned([{'server': 'web-1'}, {'server': 'db-1'}, {'server': 'ghost'}], per_host=True, hosts=['web-1', 'db-1', 'ghost'],
                    missing='skip')
    state = after_preflight(state, entry('web-1', 'would_resize', flavor='s6.medium.2'), entry('db-1', 'would_resize', flavor='s6.medium.2'),
                            entry('ghost', 'missing', status=None))
    state = resize_update(state, 'resize', batch(entry('web-1', 'resized', changed=True),
                                                 entry('db-1', 'rolled_back', flavor='s6.medium.2', failed=True, changed=True,
                                                       msg='the cloud rolled the resize of server db-1 back')), state['batches'][0])
    assert sorted(state['report']) == ['db-1', 'ghost', 'web-1']
    assert [r['outcome'] for r in state['report']['web-1']] == ['resized']
    assert sorted(state['report']['web-1'][0]) == sorted(['server', 'id', 'target_flavor', 'flavor_before', 'status_before', 'flavor_after',
                                                          'status_after', 'outcome', 'changed', 'failed', 'msg'])
    assert state['failed_hosts'] == {'db-1': 'db-1: the cloud rolled the resize of server db-1 back'}
    assert state['changed_hosts'] == ['db-1', 'web-1']
    assert state['table'] == [
        'server  before              after               outcome      message',
        '------  ------------------  ------------------  -----------  -------',
        'web-1   s6.medium.2 ACTIVE  s6.large.2 ACTIVE   resized      resized from s6.medium.2 to s6.large.2 and confirmed',
        'db-1    s6.medium.2 ACTIVE  s6.medium.2 ACTIVE  rolled_back  the cloud rolled the resize of server db-1 back',
        'ghost   -                   -                   missing      server ghost does not exist: skipped (ecs_resize_missing is skip)',
    ]


def test_table_of_nothing_is_its_header():
    assert table([]) == ['  '.join(TABLE_HEADER), '  '.join('-' * len(h) for h in TABLE_HEADER)]


def test_every_outcome_is_documented_in_the_role_readme():
    import os
    readme = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'resize', 'README.md')
    with open(readme) as handle:
        text = handle.read()
    missing = [o for o in OUTCOMES if '`%s`' % o not in text]
    assert not missing, missing


def test_a_resize_found_pending_is_told_as_resumed_and_the_preflight_changes_nothing():
    state = planned([{'server': 's'}])
    state = after_preflight(state, entry('s', 'would_confirm', status='VERIFY_RESIZE', previous='s6.large.2', changed=True))
    assert by_server(state)['s']['changed'] is False  # a real run: only what the resize does counts
    state = resize_update(state, 'resize', batch(entry('s', 'resized', previous='s6.large.2', changed=True)), state['batches'][0])
    record = by_server(state)['s']
    assert (record['outcome'], record['changed']) == ('resized', True)
    assert record['msg'] == 'resized to s6.large.2 (the resize was found pending confirmation) and confirmed'


def test_check_mode_reports_what_would_change():
    state = after_preflight(planned([{'server': 's'}], check_mode=True), entry('s', 'would_resize', flavor='s6.medium.2', changed=True))
    assert by_server(state)['s']['changed'] is True and state['changed_hosts'] == ['localhost']
