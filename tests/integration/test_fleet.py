# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_resize_batch observes a fleet with listings (issue 18), through ansible-playbook against the emulator's request
log: one login, the servers found in one listing and watched through listings with changes-since (the ECS v1 listing
with api=ecs), per-server reads where the cloud refuses the filter (said at -v), a project-wide rate limit paced by all
the threads together, and the role's per-host serial batches through one batch call each."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from helpers import connection_vars, count_actions, flavor_id, run_playbook
from test_role import role_auth, role_play, write_inventory

FLEET = ['fl-%d' % n for n in range(1, 7)]


def batch_task(info, servers, name='batch', **options):
    args = dict(connection_vars(info), servers=[{'server': s} for s in servers], flavor='s6.large.2', concurrency=len(servers))
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize_batch': args, 'register': 'out', 'ignore_errors': True}


def seed_fleet(emu, names=FLEET, status='ACTIVE'):
    created = emu.admin.seed(servers=[{'name': n, 'flavor': 's6.medium.2', 'status': status} for n in names])
    emu.admin.clear_requests()
    return dict((s['id'], s['name']) for s in created)


def reads_of_one_server(log, ids):
    return [r for r in log if r['method'] == 'GET' and r.get('server_id') in ids and re.search(r'/servers/[^/]+$', r['path'])]


def listings(log, since=None):
    found = [r for r in log if r['method'] == 'GET' and r['path'].endswith('/servers/detail')]
    if since is not None:
        found = [r for r in found if ('changes-since=' in r['query']) is since]
    return found


def test_a_batch_logs_in_once_finds_its_servers_in_one_listing_and_watches_them_through_listings(emu, cloud, tmp_path):
    ids = seed_fleet(emu)
    emu.admin.config(durations={'resize_migrating': 10.0})
    run = run_playbook(tmp_path, [batch_task(emu.info, FLEET)])
    result = run.task('batch')
    log = emu.admin.requests()  # before the test's own reads
    assert run.outcome('batch') == 'ok', run
    assert [cloud.server(n)['status'] for n in FLEET] == ['ACTIVE'] * 6
    assert all(flavor_id(cloud.server(n)) == 's6.large.2' for n in FLEET)
    assert len([r for r in log if r['path'].endswith('/auth/tokens')]) == 1
    # found in the first listing (no search by name per server), watched through listings since the previous one
    assert len(listings(log, since=False)) == 1 and not [r for r in log if 'name=' in r['query']]
    assert len(listings(log, since=True)) >= 3
    assert reads_of_one_server(log, ids) == []
    # the resize targets asked once for the flavor, not once per server; the flavors once
    assert len([r for r in log if r['path'].endswith('/resize_flavors')]) == 1
    assert len([r for r in log if '/flavors/' in r['path']]) <= 2
    assert count_actions(log, 'resize') == 6 and count_actions(log, 'confirmResize') == 6
    observed = result['observation']
    assert observed['method'] == 'listing' and observed['reason'] is None and observed['per_server_reads'] == 0
    assert observed['listings'] == len(listings(log)) and observed['learnt_phases'] > 0
    assert result['api_calls'] == len(log)
    assert len(log) <= 6 * 3 + 1 + 2 + len(listings(log))


def test_a_cloud_that_refuses_changes_since_gets_per_server_reads_and_says_so_at_v(emu, cloud, tmp_path):
    ids = seed_fleet(emu, FLEET[:3])
    refused = ('{"badRequest": {"code": 400, "message": "Invalid input for query parameters changes-since. '
               'Value: x. \'x\' is not a \'date-time\'"}}')
    emu.admin.fault(route=r'/servers/detail$', query='changes-since', kind='body', status=400, body=refused, count=50)
    run = run_playbook(tmp_path, [batch_task(emu.info, FLEET[:3])], args=['-v'])
    result = run.task('batch')
    log = emu.admin.requests()
    assert run.outcome('batch') == 'ok', run
    assert all(flavor_id(cloud.server(n)) == 's6.large.2' and cloud.server(n)['status'] == 'ACTIVE' for n in FLEET[:3])
    observed = result['observation']
    assert observed['method'] == 'per_server' and 'refused the server listing with changes-since' in observed['reason']
    assert 'each server is read on its own' in run.stdout
    # asked once (and once more without the microversion, as every server read after a 400), then no more
    assert len(listings(log, since=True)) == 2
    assert len(reads_of_one_server(log, ids)) >= 3 * 2


def test_under_a_project_rate_limit_the_threads_slow_down_together_and_nothing_fails(emu, cloud, tmp_path):
    seed_fleet(emu)
    emu.admin.rate_limit(4, per='project')
    run = run_playbook(tmp_path, [batch_task(emu.info, FLEET)])
    result = run.task('batch')
    log = emu.admin.requests()
    emu.admin.rate_limit(None)  # for the test's own reads
    assert run.outcome('batch') == 'ok', run
    assert all(flavor_id(cloud.server(n)) == 's6.large.2' for n in FLEET)
    throttled = [r for r in log if r['status'] == 429]
    observed = result['observation']
    assert observed['throttled'] == len(throttled) and observed['paced_rate'] is not None
    # the first burst (login, listing, flavors, six resizes) is throttled; once told, the batch keeps to the pace:
    # the throttled requests all went out in that burst, none later
    assert throttled
    first = min(r['ts'] for r in throttled)
    assert max(r['ts'] for r in throttled) - first < 1.5, [(r['ts'] - first, r['path']) for r in throttled]


def test_a_native_batch_is_watched_through_the_v1_listing(emu, cloud, tmp_path):
    ids = seed_fleet(emu, FLEET[:3], status='SHUTOFF')
    run = run_playbook(tmp_path, [batch_task(emu.info, FLEET[:3], api='ecs')])
    result = run.task('batch')
    log = emu.admin.requests()
    assert run.outcome('batch') == 'ok', run
    assert all(flavor_id(cloud.server(n)) == 's6.large.2' and cloud.server(n)['status'] == 'SHUTOFF' for n in FLEET[:3])
    v1 = [r for r in log if r['method'] == 'GET' and r['path'].endswith('/cloudservers/detail')]
    jobs = [r for r in log if '/jobs/' in r['path']]
    assert result['observation']['method'] == 'listing' and len(v1) >= 2
    assert reads_of_one_server(log, ids) == []
    # each job read when the listing showed its server at rest again: about once per job
    assert len(jobs) <= 2 * 3, [r['path'] for r in jobs]


def test_the_role_per_host_runs_each_serial_batch_through_one_batch_call(emu, cloud, tmp_path):
    fleet = ['web-%d' % n for n in range(1, 5)]
    emu.admin.seed(servers=[{'name': name, 'flavor': 's6.medium.2'} for name in fleet[2:]])
    emu.admin.clear_requests()
    inventory = write_inventory(tmp_path, {'web': {'vars': dict(ecs_resize_flavor='s6.large.2', **role_auth(emu.info)),
                                                   'hosts': dict((name, {}) for name in fleet)}})
    run = run_playbook(tmp_path, playbook=[dict(role_play(hosts='web'), serial=2)], inventory=inventory)
    log = emu.admin.requests()
    assert run.rc == 0, run
    assert all(flavor_id(cloud.server(n)) == 's6.large.2' for n in fleet)
    # two serial batches, each a preflight and a resize: four module runs, four logins (one per host would be eight)
    assert len([r for r in log if r['path'].endswith('/auth/tokens')]) == 4
    assert len(listings(log, since=False)) == 4
    ids = dict((cloud.server(n)['id'], n) for n in fleet)
    assert reads_of_one_server(log, ids) == []
