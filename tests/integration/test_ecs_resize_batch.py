# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_resize_batch through ansible-playbook against the emulator over HTTP: many servers in one task."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from helpers import connection_vars, count_actions, flavor_id, run_playbook


def batch_task(info, name='batch', **options):
    args = dict(connection_vars(info))
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize_batch': args, 'register': 'out', 'ignore_errors': True}


def state(cloud, name):
    server = cloud.server(name)
    return server['status'], flavor_id(server)


def by_server(result):
    return dict((r['item']['server'], r) for r in result['results'])


def peak_in_flight(log):
    """The largest number of servers with a resize accepted but not yet confirmed, over the request log."""
    in_flight, peak = set(), 0
    for entry in sorted(log, key=lambda r: r['seq']):
        if entry.get('method') != 'POST' or (entry.get('status') or 0) >= 400:
            continue
        if entry.get('action') == 'resize':
            in_flight.add(entry['server_id'])
        elif entry.get('action') == 'confirmResize':
            in_flight.discard(entry['server_id'])
        peak = max(peak, len(in_flight))
    return peak


def test_servers_to_different_flavors_then_a_rerun_changes_nothing(emu, cloud, tmp_path):
    servers = [{'server': 'web-1'}, {'server': 'web-2', 'flavor': 'c7.large.2'}, {'server': 'db-1', 'flavor': 's6.xlarge.2'}]
    tasks = [batch_task(emu.info, servers=servers, flavor='s6.large.2', concurrency=3)]
    first = run_playbook(tmp_path, tasks)
    assert first.outcome('batch') == 'ok', first
    result = first.task('batch')
    assert result['changed'] is True and result['failed_servers'] == []
    assert result['msg'] == '3 of 3 servers changed'
    assert [r['item'] for r in result['results']] == servers  # input order, items as given
    for entry in result['results']:
        assert entry['changed'] is True and entry['failed'] is False
        assert entry['actions'] == ['resize', 'confirmResize'] and entry['rolled_back'] is False
        assert entry['previous_flavor']['id'] == ('s6.large.2' if entry['item']['server'] == 'db-1' else 's6.medium.2')
        assert entry['api_calls'] > 0 and entry['elapsed'] > 0
    assert by_server(result)['web-2']['server']['flavor']['name'] == 'c7.large.2'
    # the servers' own requests, and the batch's: one login, the listings all servers are found in and observed through
    observed = result['observation']
    assert observed['method'] == 'listing' and observed['listings'] >= 1 and observed['api_calls'] >= 2
    assert result['api_calls'] == sum(r['api_calls'] for r in result['results']) + observed['api_calls']
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 'c7.large.2')
    assert state(cloud, 'db-1') == ('SHUTOFF', 's6.xlarge.2')  # stopped before, stopped after
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 3 and count_actions(log, 'confirmResize') == 3

    emu.admin.clear_requests()
    second = run_playbook(tmp_path, tasks)
    again = second.task('batch')
    assert second.outcome('batch') == 'ok', second
    assert again['changed'] is False and again['msg'] == '0 of 3 servers changed'
    assert all(r['actions'] == [] and r['changed'] is False for r in again['results'])
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 0
    # token, server, flavor per server: nothing more for a no-op
    assert len(log) <= 3 * len(servers), [(r['method'], r['path']) for r in log]


def test_unknown_server_fails_the_task_naming_it_and_the_others_are_resized(emu, cloud, tmp_path):
    servers = [{'server': 'web-1'}, {'server': 'no-such-server'}, {'server': 'web-2'}]
    run = run_playbook(tmp_path, [batch_task(emu.info, servers=servers, flavor='s6.large.2')])
    assert run.outcome('batch') == 'ignored', run
    result = run.task('batch')
    assert result['msg'].startswith('1 of 3 servers failed: no-such-server: ')
    assert 'not found' in result['msg'] and '\n' not in result['msg'] and 'Traceback' not in result['msg']
    assert result['failed_servers'] == ['no-such-server']
    assert result['changed'] is True  # the others were resized
    outcome = by_server(result)
    assert outcome['no-such-server']['failed'] is True and 'not found' in outcome['no-such-server']['msg']
    assert outcome['no-such-server']['server'] == {} and outcome['no-such-server']['actions'] == []
    assert outcome['web-1']['failed'] is False and outcome['web-2']['failed'] is False
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')


def test_concurrency_is_honoured_with_a_sliding_window(emu, cloud, tmp_path):
    fleet = ['win-%d' % n for n in range(1, 5)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2'} for name in fleet])
    # resizes long enough (about 1.5 s here) that the four would overlap if nothing held them back
    emu.admin.config(durations={'resize_migrating': 15.0})
    emu.admin.clear_requests()
    run = run_playbook(tmp_path, [batch_task(emu.info, servers=[{'server': n} for n in fleet], flavor='s6.large.2',
                                             concurrency=2)])
    assert run.outcome('batch') == 'ok', run
    assert [state(cloud, name) for name in fleet] == [('ACTIVE', 's6.large.2')] * 4
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 4 and count_actions(log, 'confirmResize') == 4
    assert peak_in_flight(log) == 2
    # the window slides: the third resize is sent right after the first server is confirmed
    ids = dict((cloud.server(name)['id'], name) for name in fleet)
    order = [(r['action'], ids[r['server_id']]) for r in sorted(log, key=lambda r: r['seq'])
             if r.get('method') == 'POST' and r.get('action') and r.get('server_id') in ids]
    assert order[:2] in ([('resize', 'win-1'), ('resize', 'win-2')], [('resize', 'win-2'), ('resize', 'win-1')]), order


def test_cloud_rollback_is_reported_for_that_server(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.2xlarge.2', True)
    servers = [{'server': 'web-1', 'flavor': 's6.2xlarge.2'}, {'server': 'web-2'}]
    run = run_playbook(tmp_path, [batch_task(emu.info, servers=servers, flavor='s6.large.2')])
    assert run.outcome('batch') == 'ignored', run
    result = run.task('batch')
    outcome = by_server(result)
    assert outcome['web-1']['rolled_back'] is True and outcome['web-1']['failed'] is True
    assert outcome['web-1']['error'] == 'rolled_back' and 'rolled the resize' in outcome['web-1']['msg']
    assert outcome['web-2']['rolled_back'] is False and outcome['web-2']['failed'] is False
    assert result['msg'].startswith('1 of 2 servers failed: web-1: ') and 'rolled the resize' in result['msg']
    # a warning about one server names it
    assert any(w.startswith('web-1: ') and 'sold out' in w for w in result.get('warnings', [])), result.get('warnings')
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')


def test_confirm_false_then_confirmed_per_item(emu, cloud, tmp_path):
    servers = [{'server': 'web-1'}, {'server': 'web-2', 'confirm': True}]
    run = run_playbook(tmp_path, [
        batch_task(emu.info, name='resize', servers=servers, flavor='s6.large.2', confirm=False),
        batch_task(emu.info, name='confirm', servers=[{'server': 'web-1'}, {'server': 'web-2'}], state='confirmed'),
    ])
    pending = by_server(run.task('resize'))
    assert run.outcome('resize') == 'ok', run
    assert pending['web-1']['pending_confirmation'] is True and pending['web-1']['actions'] == ['resize']
    assert pending['web-2']['pending_confirmation'] is False and pending['web-2']['actions'] == ['resize', 'confirmResize']
    assert run.task('resize')['msg'] == '2 of 2 servers changed, 1 left pending confirmation'
    confirmed = by_server(run.task('confirm'))
    assert confirmed['web-1']['changed'] is True and confirmed['web-1']['actions'] == ['confirmResize']
    assert confirmed['web-2']['changed'] is False and confirmed['web-2']['actions'] == []
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')


def test_check_mode_changes_nothing(emu, cloud, tmp_path):
    servers = [{'server': 'web-1'}, {'server': 'web-2', 'flavor': 's6.medium.2'}]
    run = run_playbook(tmp_path, [batch_task(emu.info, servers=servers, flavor='s6.large.2')], args=['--check', '--diff'])
    assert run.outcome('batch') == 'ok', run
    result = run.task('batch')
    outcome = by_server(result)
    assert result['changed'] is True
    assert outcome['web-1']['changed'] is True and outcome['web-1']['actions'] == []
    assert outcome['web-1']['msg'].startswith('would resize')
    assert outcome['web-2']['changed'] is False
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 0
    assert [r for r in log if r['method'] == 'POST' and r.get('action')] == []
    # the diff shows the flavor of each server before and after
    assert result['diff']['before']['web-1']['name'] == 's6.medium.2'
    assert result['diff']['after']['web-1']['name'] == 's6.large.2'


BAD_INPUT = [
    # (task name, options, words the message must contain)
    ('duplicate servers', {'servers': [{'server': 'web-1'}, {'server': 'web-2'}, {'server': 'web-1'}], 'flavor': 's6.large.2'},
     ['servers[2] (web-1)', 'listed twice']),
    ('concurrency zero', {'servers': [{'server': 'web-1'}], 'flavor': 's6.large.2', 'concurrency': 0},
     ['concurrency must be at least 1', 'got 0']),
    ('item without server', {'servers': [{'server': 'web-1'}, {'flavor': 's6.large.2'}], 'flavor': 's6.large.2'},
     ['server', 'servers']),
    ('item with an unknown key', {'servers': [{'server': 'web-1', 'colour': 'blue'}], 'flavor': 's6.large.2'},
     ['colour']),
    ('no flavor for state present', {'servers': [{'server': 'web-1'}, {'server': 'web-2', 'flavor': 's6.large.2'}]},
     ['servers[0] (web-1)', 'no flavor']),
    ('state of an item unknown', {'servers': [{'server': 'web-1', 'state': 'gone'}], 'flavor': 's6.large.2'},
     ['state', 'gone']),
    # ansible-core's own message for an element that is not a dict does not name the option
    ('servers not a list of dicts', {'servers': ['web-1'], 'flavor': 's6.large.2'}, ['dictionary']),
    ('api ecs with confirm false', {'servers': [{'server': 'web-1', 'confirm': False}], 'flavor': 's6.large.2', 'api': 'ecs'},
     ['servers[0] (web-1)', 'confirm=false']),
]


def test_bad_input_fails_with_one_sentence_and_sends_nothing(emu, cloud, tmp_path):
    tasks = [batch_task(emu.info, name=name, **options) for name, options, dummy in BAD_INPUT]
    emu.admin.clear_requests()  # the cloud fixture has logged in
    run = run_playbook(tmp_path, tasks)
    for name, dummy, words in BAD_INPUT:
        assert run.outcome(name) == 'ignored', (name, run.task(name))
        message = run.task(name)['msg']
        assert 'Traceback' not in message and '\n' not in message.strip() and 'unexpected error' not in message, (name, message)
        for word in words:
            assert word in message, (name, word, message)
    # not even a token was asked for
    assert emu.admin.requests() == []
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')


def test_the_password_never_shows(emu, cloud, tmp_path):
    password = emu.info['password']
    servers = [{'server': 'web-1'}, {'server': 'no-such-server'}]
    run = run_playbook(tmp_path, [batch_task(emu.info, servers=servers, flavor='s6.large.2')], args=['-vvv'])
    assert run.outcome('batch') == 'ignored', run
    assert password not in run.stdout and password not in run.stderr
    assert password not in repr(run.results)
    # and the same when the password is wrong: the failure names the servers, not the secret
    info = dict(emu.info, password='wrong-' + password)
    run = run_playbook(tmp_path, [batch_task(info, servers=servers, flavor='s6.large.2')], args=['-vvv'])
    assert run.outcome('batch') == 'ignored', run
    assert 'wrong-' + password not in run.stdout + run.stderr + repr(run.results)
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
