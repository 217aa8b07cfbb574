# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resize role and playbooks/resize.yml through ansible-playbook against the emulator."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import socket

import yaml

from helpers import connection_vars, count_actions, flavor_id, run_playbook

ROLE = 'ecs_ops.compute.resize'
# Give up fast: the emulator's resizes take well under a second here.
FAST = dict(ecs_resize_timeout=120,
            ecs_resize_health_check_timeout=2, ecs_resize_health_check_interval=1)


def role_auth(info):
    conn = connection_vars(info)
    return dict(ecs_resize_auth=conn['auth'], ecs_resize_region_name=conn['region_name'])


def role_play(hosts='localhost', module_defaults=None, **role_vars):
    play = {'name': 'resize', 'hosts': hosts, 'gather_facts': False,
            'roles': [{'role': ROLE, 'vars': dict(FAST, **role_vars)}]}
    if module_defaults:
        play['module_defaults'] = module_defaults
    return play


def role_results(run, name, host=None):
    """Results of the role task called `name` (recorded as 'ecs_ops.compute.resize : name')."""
    return [r for r in run.results
            if r['task'].split(' : ')[-1] == name and (host is None or r['host'] == host)]


def report(run, host='localhost'):
    """The fact ecs_resize_report of `host`, by server."""
    found = role_results(run, 'Publish what happened to the servers of this host', host)
    assert found, run
    return {r['server']: r for r in found[-1]['result']['ansible_facts']['ecs_resize_report']}


def failure_message(run, host='localhost'):
    found = [r for r in role_results(run, 'Fail for the servers of this host that did not end as asked', host)
             if r['outcome'] == 'failed']
    assert found, run
    return found[-1]['result']['msg']


def table(run):
    """The lines of the last report table the role printed (the Report task, at the default verbosity)."""
    found = role_results(run, 'Report')
    assert found, run
    return found[-1]['result']['msg']


def table_row(lines, server):
    """The cells of a server's row in the printed table (columns separated by two spaces or more)."""
    import re
    rows = [re.split(r'\s{2,}', line) for line in lines[2:]]
    found = [row for row in rows if row[0] == server]
    assert len(found) == 1, lines
    return found[0]


def changed_tasks(run):
    return [(r['host'], r['task']) for r in run.results if r['result'].get('changed')]


def write_inventory(tmp_path, groups):
    """An inventory file; every host runs locally (the role delegates its API calls to localhost anyway)."""
    data = {'all': {'vars': {'ansible_connection': 'local'}, 'children': groups}}
    path = os.path.join(str(tmp_path), 'inventory.yml')
    with open(path, 'w') as handle:
        yaml.safe_dump(data, handle)
    return path


def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def state(cloud, name):
    server = cloud.server(name)
    return server['status'], flavor_id(server)


def max_pending(log, actions=('resize', 'confirmResize', 'revertResize')):
    """The largest number of servers with a resize sent but not yet confirmed/reverted, over the request log."""
    pending, peak = set(), 0
    for entry in sorted(log, key=lambda r: r['seq']):
        if entry.get('method') != 'POST' or entry.get('action') not in actions or (entry.get('status') or 0) >= 400:
            continue
        if entry['action'] == 'resize':
            pending.add(entry['server_id'])
        else:
            pending.discard(entry['server_id'])
        peak = max(peak, len(pending))
    return peak


def test_list_mode_resizes_twelve_servers_in_parallel_batches_then_changes_nothing(emu, cloud, tmp_path):
    fleet = ['fleet-%02d' % n for n in range(1, 13)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2', 'status': 'SHUTOFF' if n % 6 == 0 else 'ACTIVE'}
                            for n, name in enumerate(fleet, 1)])
    items = [{'server': name} for name in fleet[:-1]] + [{'server': fleet[-1], 'flavor': 's6.xlarge.2'}]
    play = role_play(ecs_resize_servers=items, ecs_resize_flavor='s6.large.2', ecs_resize_concurrency=6,
                     **role_auth(emu.info))
    # Without a health check each job resizes and confirms in one go: a resize that lasts longer than
    # starting a whole batch (~6 s instead of ~0.5 s) shows how many servers are in flight at once.
    emu.admin.config(durations={'resize_migrating': 60.0})

    first = run_playbook(tmp_path, playbook=[play])
    assert first.rc == 0, first
    outcome = report(first)
    assert {name: outcome[name]['outcome'] for name in fleet} == {name: 'resized' for name in fleet}
    for n, name in enumerate(fleet, 1):
        expected = 's6.xlarge.2' if name == fleet[-1] else 's6.large.2'
        assert state(cloud, name) == ('SHUTOFF' if n % 6 == 0 else 'ACTIVE', expected)
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 12 and count_actions(log, 'confirmResize') == 12
    # in parallel: a whole batch is in flight (resize sent, not yet confirmed) at once, never more than the concurrency
    assert max_pending(log) == 6

    emu.admin.clear_requests()
    second = run_playbook(tmp_path, playbook=[play])
    assert second.rc == 0, second
    assert changed_tasks(second) == []
    assert {r['outcome'] for r in report(second).values()} == {'unchanged'}
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 0 and count_actions(log, 'confirmResize') == 0


def test_check_mode_changes_nothing_and_says_what_would_be_resized(emu, cloud, tmp_path):
    play = role_play(ecs_resize_servers=[{'server': 'web-1'}, {'server': 'db-1', 'flavor': 's6.large.2'}],
                     ecs_resize_flavor='s6.large.2', **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play], args=['--check'])
    assert run.rc == 0, run
    outcome = report(run)
    assert outcome['web-1']['outcome'] == 'would_resize'
    assert outcome['db-1']['outcome'] == 'unchanged'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    assert count_actions(emu.admin.requests(), 'resize') == 0


def test_per_host_mode_resizes_each_inventory_host_and_keeps_stopped_ones_stopped(emu, cloud, tmp_path):
    inventory = write_inventory(tmp_path, {'ecs_servers': {
        'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
        'hosts': {'web-1': {}, 'web-2': {}, 'db-1': {'ecs_resize_flavor': 's6.xlarge.2'}}}})
    play = role_play(hosts='ecs_servers')
    first = run_playbook(tmp_path, playbook=[play], inventory=inventory)
    assert first.rc == 0, first
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'db-1') == ('SHUTOFF', 's6.xlarge.2')
    for host in ('web-1', 'web-2', 'db-1'):
        assert report(first, host)[host]['outcome'] == 'resized'

    second = run_playbook(tmp_path, playbook=[play], inventory=inventory)
    assert second.rc == 0, second
    assert changed_tasks(second) == []
    assert count_actions(emu.admin.requests(), 'resize') == 3


def test_failed_health_check_reverts_and_fails_only_that_host(emu, cloud, tmp_path):
    inventory = write_inventory(tmp_path, {'ecs_servers': {
        'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
        'hosts': {
            'web-1': {'ecs_resize_health_check': 'tcp', 'ecs_resize_health_check_host': '127.0.0.1',
                      'ecs_resize_health_check_port': closed_port()},
            'web-2': {}}}})
    run = run_playbook(tmp_path, playbook=[role_play(hosts='ecs_servers')], inventory=inventory)
    assert run.rc != 0, run
    message = failure_message(run, 'web-1')
    assert message.startswith('web-1: the resize to s6.large.2 was reverted because its health check failed: tcp check:')
    assert report(run, 'web-1')['web-1']['outcome'] == 'reverted'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')
    web1 = cloud.server('web-1')['id']
    log = emu.admin.requests()
    assert count_actions(log, 'revertResize', web1) == 1 and count_actions(log, 'confirmResize', web1) == 0
    # the revert ran as a handler
    assert any(r['task'].endswith('Revert the resizes that failed their health check') for r in run.results)


def test_revert_on_failure_false_leaves_the_resize_pending_then_a_rerun_resumes_it(emu, cloud, tmp_path):
    items = [{'server': 'web-1', 'health_check': 'http', 'health_check_url': emu.info['admin_url'] + '/no-such-page'},
             {'server': 'web-2'}]
    play = role_play(ecs_resize_servers=items, ecs_resize_flavor='s6.large.2', ecs_resize_revert_on_failure=False,
                     **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc != 0, run
    message = failure_message(run)
    assert message.startswith('web-1: its health check failed: http check: %s/no-such-page answered 404, expected 200'
                              % emu.info['admin_url'])
    assert 'The resize to s6.large.2 is left pending confirmation (ecs_resize_revert_on_failure is false)' in message
    assert 'web-2' not in message
    assert report(run)['web-1']['outcome'] == 'pending'
    assert state(cloud, 'web-1') == ('VERIFY_RESIZE', 's6.large.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')
    log = emu.admin.requests()
    assert count_actions(log, 'revertResize') == 0 and count_actions(log, 'confirmResize') == 1

    # once a human has looked: the same run without the failing check confirms the pending resize
    items[0] = {'server': 'web-1'}
    resumed = run_playbook(tmp_path, playbook=[play])
    assert resumed.rc == 0, resumed
    assert report(resumed)['web-1']['outcome'] == 'resized'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 2 and count_actions(log, 'confirmResize') == 2


def test_health_check_tasks_file_gets_the_server_and_decides(emu, cloud, tmp_path):
    check = os.path.join(str(tmp_path), 'check.yml')
    with open(check, 'w') as handle:
        yaml.safe_dump([
            {'name': 'The check sees the server and its flavors',
             'ansible.builtin.assert': {'that': ["ecs_resize_check.flavor == 's6.large.2'",
                                                 "ecs_resize_check.previous_flavor == 's6.medium.2'"]}},
            {'name': 'web-2 is unhealthy', 'ansible.builtin.fail': {'msg': 'service on {{ ecs_resize_check.server }} is down'},
             'when': "ecs_resize_check.server == 'web-2'"},
        ], handle)
    play = role_play(ecs_resize_servers=[{'server': 'web-1'}, {'server': 'web-2'}], ecs_resize_flavor='s6.large.2',
                     ecs_resize_health_check='tasks', ecs_resize_health_check_tasks=check, **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc != 0, run
    assert failure_message(run) == ('web-2: the resize to s6.large.2 was reverted because its health check failed: '
                                    'tasks check: service on web-2 is down')
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.medium.2')


def test_cloud_rollback_is_reported_and_fails(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.xlarge.2')
    play = role_play(ecs_resize_servers=[{'server': 'web-1', 'flavor': 's6.xlarge.2'}, {'server': 'web-2'}],
                     ecs_resize_flavor='s6.large.2', **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc != 0, run
    outcome = report(run)
    assert outcome['web-1']['outcome'] == 'rolled_back'
    assert outcome['web-2']['outcome'] == 'resized'
    assert failure_message(run).startswith('web-1: the cloud rolled the resize')
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    # the role failed, and printed the table first (list mode)
    lines = table(run)
    assert lines[0].split() == ['server', 'before', 'after', 'outcome', 'message']
    assert table_row(lines, 'web-1')[1:4] == ['s6.medium.2 ACTIVE', 's6.medium.2 ACTIVE', 'rolled_back']
    assert table_row(lines, 'web-2')[1:4] == ['s6.medium.2 ACTIVE', 's6.large.2 ACTIVE', 'resized']
    assert '\n'.join(lines) in run.stdout.replace('",\n        "', '\n')


def test_preflight_error_stops_before_any_resize(emu, cloud, tmp_path):
    play = role_play(ecs_resize_servers=[{'server': 'web-1'}, {'server': 'no-such-server'}],
                     ecs_resize_flavor='s6.large.2', **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc != 0, run
    assert failure_message(run) == ("no-such-server: preflight failed: server 'no-such-server' not found: "
                                    "no server has this name or id")
    outcome = report(run)
    assert outcome['no-such-server']['outcome'] == 'failed'
    assert outcome['web-1']['outcome'] == 'skipped'
    assert outcome['web-1']['msg'] == ('not started: the preflight of no-such-server failed, and nothing is changed '
                                       'unless every server passes it')
    assert count_actions(emu.admin.requests(), 'resize') == 0
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')


def test_missing_servers_can_be_skipped(emu, cloud, tmp_path):
    play = role_play(ecs_resize_servers=[{'server': 'web-1'}, {'server': 'no-such-server'}],
                     ecs_resize_flavor='s6.large.2', ecs_resize_missing='skip', **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc == 0, run
    outcome = report(run)
    assert outcome['no-such-server']['outcome'] == 'missing'
    assert outcome['no-such-server']['msg'] == 'server no-such-server does not exist: skipped (ecs_resize_missing is skip)'
    assert outcome['no-such-server']['failed'] is False
    assert outcome['web-1']['outcome'] == 'resized'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert table_row(table(run), 'no-such-server')[1:4] == ['-', '-', 'missing']


def test_wait_false_sends_the_resizes_and_says_they_are_left_unconfirmed(emu, cloud, tmp_path):
    play = role_play(ecs_resize_servers=[{'server': 'web-1'}, {'server': 'db-1', 'flavor': 's6.xlarge.2'}],
                     ecs_resize_flavor='s6.large.2', ecs_resize_wait=False, **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc == 0, run
    outcome = report(run)
    for name in ('web-1', 'db-1'):
        assert outcome[name]['outcome'] == 'accepted'
        assert 'the resize is left unconfirmed' in outcome[name]['msg'], outcome[name]
        assert outcome[name]['msg'].endswith('(ecs_resize_wait is false)')
    # nothing confirms them: each ends waiting for its confirmation
    cloud.wait_for('web-1', 'VERIFY_RESIZE')
    cloud.wait_for('db-1', 'VERIFY_RESIZE')
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 2 and count_actions(log, 'confirmResize') == 0


def test_wait_false_with_a_health_check_fails_before_anything_is_sent(emu, tmp_path):
    play = role_play(ecs_resize_servers=[{'server': 'web-1', 'health_check': 'tcp'}], ecs_resize_flavor='s6.large.2',
                     ecs_resize_wait=False, **role_auth(emu.info))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc != 0, run
    found = [r for r in role_results(run, 'Stop when the servers cannot be worked on as given (nothing was sent)')
             if r['outcome'] == 'failed']
    assert found and found[0]['result']['msg'] == (
        'ecs_resize_servers[0] (web-1): a tcp health check needs the resize to be done, but ecs_resize_wait is false '
        '(the role does not wait): set ecs_resize_wait to true, or health_check to none'), run
    assert emu.admin.requests() == []


def test_connection_from_module_defaults_of_the_action_group(emu, cloud, tmp_path):
    conn = connection_vars(emu.info)
    # all of it from module_defaults
    play = role_play(module_defaults={'group/ecs_ops.compute.ecs': conn},
                     ecs_resize_servers=[{'server': 'web-1'}], ecs_resize_flavor='s6.large.2')
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc == 0, run
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    # auth from module_defaults, the region from the role: merged option by option
    play = role_play(module_defaults={'group/ecs_ops.compute.ecs': {'auth': conn['auth'], 'region_name': 'nowhere'}},
                     ecs_resize_servers=[{'server': 'web-2'}], ecs_resize_flavor='s6.large.2',
                     ecs_resize_region_name=conn['region_name'])
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc == 0, run
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')


def test_resize_playbook_rolls_through_the_group_in_serial_batches(emu, cloud, tmp_path):
    fleet = ['srv-%d' % n for n in range(1, 5)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2'} for name in fleet])
    inventory = write_inventory(tmp_path, {'web': {
        'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
        'hosts': {name: {} for name in fleet}}})
    extra = dict(FAST, ecs_resize_group='web', ecs_resize_serial=2)
    run = run_playbook(tmp_path, playbook=[{'import_playbook': 'ecs_ops.compute.resize'}],
                       inventory=inventory, extra_vars=extra)
    assert run.rc == 0, run
    assert [state(cloud, name) for name in fleet] == [('ACTIVE', 's6.large.2')] * 4
    ids = {cloud.server(name)['id']: name for name in fleet}
    log = sorted(emu.admin.requests(), key=lambda r: r['seq'])
    order = [(r['action'], ids[r['server_id']]) for r in log if r.get('action') and r.get('method') == 'POST']
    first_batch_done = max(n for n, (action, name) in enumerate(order) if action == 'confirmResize' and name in fleet[:2])
    second_batch_start = min(n for n, (action, name) in enumerate(order) if action == 'resize' and name in fleet[2:])
    assert first_batch_done < second_batch_start, order


def test_resize_playbook_stops_the_rollout_after_a_failed_batch(emu, cloud, tmp_path):
    fleet = ['srv-%d' % n for n in range(1, 5)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2'} for name in fleet])
    emu.admin.sold_out('s6.xlarge.2')
    inventory = write_inventory(tmp_path, {'web': {
        'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
        'hosts': {'srv-1': {'ecs_resize_flavor': 's6.xlarge.2'}, 'srv-2': {}, 'srv-3': {}, 'srv-4': {}}}})
    extra = dict(FAST, ecs_resize_group='web', ecs_resize_serial=2, ecs_resize_max_fail_percentage=0)
    run = run_playbook(tmp_path, playbook=[{'import_playbook': 'ecs_ops.compute.resize'}],
                       inventory=inventory, extra_vars=extra)
    assert run.rc != 0, run
    assert state(cloud, 'srv-1') == ('ACTIVE', 's6.medium.2')  # rolled back by the cloud
    assert state(cloud, 'srv-2') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'srv-3') == ('ACTIVE', 's6.medium.2')  # never started
    assert state(cloud, 'srv-4') == ('ACTIVE', 's6.medium.2')


# -- a serial batch goes through the chain together; checks in parallel; the report tells the truth -----

def post_times(log, action, ids):
    """{server name: time} of the accepted POSTs of `action`, for the servers of `ids` (id -> name)."""
    return {ids[r['server_id']]: r['ts'] for r in log
            if r.get('action') == action and r.get('method') == 'POST' and (r.get('status') or 0) < 400 and r['server_id'] in ids}


def test_per_host_mode_resizes_checks_and_confirms_a_serial_batch_together(emu, cloud, tmp_path):
    fleet = ['web-%d' % n for n in range(1, 5)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2'} for name in fleet[2:]])
    inventory = write_inventory(tmp_path, {'web': {
        'vars': dict(ecs_resize_flavor='s6.large.2', ecs_resize_health_check='http',
                     ecs_resize_health_check_url=emu.info['base_url'] + '/health/{{ inventory_hostname }}',
                     ecs_resize_health_check_status=[300], **role_auth(emu.info)),
        'hosts': {name: {} for name in fleet}}})
    play = dict(role_play(hosts='web'), serial=2)
    run = run_playbook(tmp_path, playbook=[play], inventory=inventory)
    assert run.rc == 0, run
    assert [state(cloud, name) for name in fleet] == [('ACTIVE', 's6.large.2')] * 4
    ids = {cloud.server(name)['id']: name for name in fleet}
    log = emu.admin.requests()
    resized, confirmed = post_times(log, 'resize', ids), post_times(log, 'confirmResize', ids)
    checked = {r['path'].rsplit('/', 1)[-1]: r['ts'] for r in log if r['path'].startswith('/health/')}
    for batch in (fleet[:2], fleet[2:]):
        first, second = batch
        # both resizes of the batch go out together, before either server is checked or confirmed
        assert abs(resized[first] - resized[second]) < 1.0, (resized, log)
        assert max(resized[first], resized[second]) < min(checked[first], checked[second])
        assert max(checked[first], checked[second]) < min(confirmed[first], confirmed[second])
    # the second batch starts when the first one is done (serial)
    assert max(confirmed[n] for n in fleet[:2]) < min(resized[n] for n in fleet[2:])
    # each host reports its own server and shows it changed; each batch printed its table
    for name in fleet:
        assert report(run, name)[name]['outcome'] == 'resized'
    assert sorted(host for host, task in changed_tasks(run) if task.endswith('Publish what happened to the servers of this host')) == fleet
    tables = [r['result']['msg'] for r in role_results(run, 'Report')]
    assert [sorted(table_row(lines, name)[0] for name in batch) for lines, batch in zip(tables, (fleet[:2], fleet[2:]))] == \
        [fleet[:2], fleet[2:]]
    assert table_row(tables[0], 'web-1')[3] == 'resized'
    assert 'http check passed' in table_row(tables[0], 'web-1')[4]


def test_per_host_mode_prints_the_table_when_a_host_fails(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.xlarge.2')
    inventory = write_inventory(tmp_path, {'ecs_servers': {
        'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
        'hosts': {'web-1': {'ecs_resize_flavor': 's6.xlarge.2'}, 'web-2': {}}}})
    run = run_playbook(tmp_path, playbook=[role_play(hosts='ecs_servers')], inventory=inventory)
    assert run.rc != 0, run
    assert failure_message(run, 'web-1').startswith('web-1: the cloud rolled the resize of server web-1 back')
    assert not role_results(run, 'Fail for the servers of this host that did not end as asked', 'web-2')[0]['outcome'] == 'failed'
    lines = table(run)
    assert table_row(lines, 'web-1')[1:4] == ['s6.medium.2 ACTIVE', 's6.medium.2 ACTIVE', 'rolled_back']
    assert table_row(lines, 'web-2')[1:4] == ['s6.medium.2 ACTIVE', 's6.large.2 ACTIVE', 'resized']
    stdout = run.stdout.replace('",\n        "', '\n')
    assert '\n'.join(lines) in stdout
    # printed before the host failed
    assert stdout.index(lines[-1]) < stdout.index('Fail for the servers of this host that did not end as asked')


def test_per_host_mode_two_hosts_naming_one_server_both_fail_and_the_others_go_on(emu, cloud, tmp_path):
    inventory = write_inventory(tmp_path, {'ecs_servers': {
        'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
        'hosts': {'a': {'ecs_resize_server': 'web-1'}, 'b': {'ecs_resize_server': 'web-1'}, 'web-2': {}}}})
    run = run_playbook(tmp_path, playbook=[role_play(hosts='ecs_servers')], inventory=inventory)
    assert run.rc != 0, run
    for host in ('a', 'b'):
        assert failure_message(run, host) == ('web-1: hosts a, b all name server web-1: each server may be resized by one '
                                              'host only; nothing was sent for it')
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')


def test_a_revert_that_finds_the_resize_confirmed_by_the_cloud_says_so_and_fails(emu, cloud, tmp_path):
    # The cloud confirms a resize left pending for a second by itself; the health check takes longer than that to fail.
    emu.admin.config(confirm_window=1)
    items = [{'server': 'web-1', 'health_check': 'http', 'health_check_url': emu.info['admin_url'] + '/no-such-page'},
             {'server': 'web-2'}]
    play = role_play(ecs_resize_servers=items, ecs_resize_flavor='s6.large.2', **dict(
        role_auth(emu.info), ecs_resize_health_check_timeout=3))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc != 0, run
    web1 = report(run)['web-1']
    assert web1['outcome'] == 'failed' and web1['failed'] is True
    assert (web1['flavor_after'], web1['status_after']) == ('s6.large.2', 'ACTIVE')
    assert web1['msg'].startswith('its health check failed: http check: ')
    assert web1['msg'].endswith('the resize to s6.large.2 cannot be reverted: the cloud had confirmed it by itself already, '
                                'the server runs on s6.large.2')
    assert failure_message(run) == 'web-1: ' + web1['msg']
    assert report(run)['web-2']['outcome'] == 'resized'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert count_actions(emu.admin.requests(), 'revertResize', cloud.server('web-1')['id']) == 0
    assert table_row(table(run), 'web-1')[1:4] == ['s6.medium.2 ACTIVE', 's6.large.2 ACTIVE', 'failed']


def test_the_health_checks_of_a_pass_of_25_servers_overlap(emu, cloud, tmp_path):
    fleet = ['app-%02d' % n for n in range(1, 26)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2'} for name in fleet])
    # every health check answers after 2 s: one after the other they would take 50 s
    delay = 2.0
    emu.admin.fault(route=r'^/health/', kind='delay', delay=delay, count=len(fleet))
    items = [{'server': name, 'health_check': 'http', 'health_check_url': '%s/health/%s' % (emu.info['base_url'], name),
              'health_check_status': [300]} for name in fleet]
    play = role_play(ecs_resize_servers=items, ecs_resize_flavor='s6.large.2', ecs_resize_concurrency=25,
                     **dict(role_auth(emu.info), ecs_resize_health_check_timeout=30))
    run = run_playbook(tmp_path, playbook=[play])
    assert run.rc == 0, run
    assert {r['outcome'] for r in report(run).values()} == {'resized'}
    checks = sorted(r['ts'] for r in emu.admin.requests() if r['path'].startswith('/health/'))
    assert len(checks) == len(fleet)
    # each check is logged when its answer leaves, `delay` after it arrived: all of them arrived before the first one was answered
    assert checks[-1] - checks[0] < delay, checks


def test_per_host_health_check_by_tasks_file_runs_on_each_host(emu, cloud, tmp_path):
    check = os.path.join(str(tmp_path), 'check.yml')
    with open(check, 'w') as handle:
        yaml.safe_dump([
            {'name': 'The check runs on the host of the server', 'ansible.builtin.assert': {
                'that': ['ecs_resize_check.server == inventory_hostname', "ecs_resize_check.previous_flavor == 's6.medium.2'"]}},
            {'name': 'web-2 is unhealthy', 'ansible.builtin.fail': {'msg': 'service on {{ inventory_hostname }} is down'},
             'when': "inventory_hostname == 'web-2'"},
        ], handle)
    inventory = write_inventory(tmp_path, {'ecs_servers': {
        'vars': dict(ecs_resize_flavor='s6.large.2', ecs_resize_health_check='tasks', ecs_resize_health_check_tasks=check,
                     **role_auth(emu.info)),
        'hosts': {'web-1': {}, 'web-2': {}}}})
    run = run_playbook(tmp_path, playbook=[role_play(hosts='ecs_servers')], inventory=inventory)
    assert run.rc != 0, run
    assert failure_message(run, 'web-2') == ('web-2: the resize to s6.large.2 was reverted because its health check failed: '
                                             'tasks check: service on web-2 is down')
    assert report(run, 'web-1')['web-1']['outcome'] == 'resized'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.large.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.medium.2')
    # one include for both hosts (run side by side), not one per host
    assert len([r for r in run.results if r['task'].endswith('The check runs on the host of the server')]) == 2
    assert run.stdout.count('check_tasks.yml for ') == 1, run.stdout


# -- bad input: a clear message, before anything is sent --------------------------------------------------

def compute_requests(emu):
    return [r for r in emu.admin.requests() if not r['path'].startswith('/v3')]


def stop_message(run, host='localhost'):
    found = [r for r in role_results(run, 'Stop when the servers cannot be worked on as given (nothing was sent)', host)
             if r['outcome'] == 'failed']
    assert found, run
    return found[0]['result']['msg']


def test_list_mode_bad_items_fail_naming_every_problem_before_anything_is_sent(emu, tmp_path):
    items = [{'server': 'web-1'}, {'server': 'web-1'}, {'server': 'web-2', 'health_check': 'tasks'}]
    run = run_playbook(tmp_path, playbook=[role_play(ecs_resize_servers=items, **role_auth(emu.info))])
    assert run.rc != 0, run
    assert stop_message(run) == (
        "ecs_resize_servers[0] (web-1): no target flavor: set ecs_resize_flavor, or the item's flavor; "
        "ecs_resize_servers[1] (web-1): server web-1 is listed twice (also ecs_resize_servers[0]); "
        "ecs_resize_servers[1] (web-1): no target flavor: set ecs_resize_flavor, or the item's flavor; "
        "ecs_resize_servers[2] (web-2): no target flavor: set ecs_resize_flavor, or the item's flavor; "
        "ecs_resize_servers[2] (web-2): health_check tasks needs a tasks file: set ecs_resize_health_check_tasks "
        "or the item's health_check_tasks")
    assert compute_requests(emu) == []


def test_an_unknown_health_check_is_refused_by_the_argument_spec(emu, tmp_path):
    run = run_playbook(tmp_path, playbook=[role_play(ecs_resize_servers=[{'server': 'web-1', 'health_check': 'ping'}],
                                                     ecs_resize_flavor='s6.large.2', **role_auth(emu.info))])
    assert run.rc != 0, run
    found = [r for r in run.results if 'Validating arguments against arg spec' in r['task'] and r['outcome'] == 'failed']
    assert found and 'ping' in found[0]['result']['msg'] and 'health_check' in found[0]['result']['msg'], run
    assert compute_requests(emu) == []


def test_per_host_mode_a_host_without_flavor_fails_alone(emu, cloud, tmp_path):
    inventory = write_inventory(tmp_path, {'ecs_servers': {
        'vars': role_auth(emu.info),
        'hosts': {'web-1': {}, 'web-2': {'ecs_resize_flavor': 's6.large.2'}}}})
    run = run_playbook(tmp_path, playbook=[role_play(hosts='ecs_servers')], inventory=inventory)
    assert run.rc != 0, run
    assert stop_message(run, 'web-1') == 'host web-1 (web-1): no target flavor: set ecs_resize_flavor'
    assert state(cloud, 'web-1') == ('ACTIVE', 's6.medium.2')
    assert state(cloud, 'web-2') == ('ACTIVE', 's6.large.2')
    assert report(run, 'web-2')['web-2']['outcome'] == 'resized'


def test_per_host_mode_without_serial_works_on_at_most_forks_servers_at_once(emu, cloud, tmp_path):
    fleet = ['web-1', 'web-2', 'api-1']
    emu.admin.seed(servers=[{'name': 'api-1', 'flavor': 's6.medium.2'}])
    inventory = write_inventory(tmp_path, {'web': {
        'vars': dict(ecs_resize_flavor='s6.large.2', ecs_resize_health_check='tcp', ecs_resize_health_check_host='127.0.0.1',
                     ecs_resize_health_check_port=int(emu.info['base_url'].rsplit(':', 1)[1]), **role_auth(emu.info)),
        'hosts': {name: {} for name in fleet}}})
    run = run_playbook(tmp_path, playbook=[role_play(hosts='web')], inventory=inventory, args=['--forks', '2'])
    assert run.rc == 0, run
    assert [state(cloud, name) for name in fleet] == [('ACTIVE', 's6.large.2')] * 3
    # two passes: never more than two resizes waiting for their health check and confirmation
    assert max_pending(emu.admin.requests()) == 2
