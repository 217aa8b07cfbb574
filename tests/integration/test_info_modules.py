# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_server_info and ecs_flavor_info through ansible-playbook against the emulator."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ecs_emulator import seed

from helpers import connection_vars, run_playbook
from plain_openstack import plain_openstack


def info_task(info, module, title, **options):
    args = dict(connection_vars(info))
    args.update(options)
    return {'name': title, 'ecs_ops.compute.' + module: args, 'register': 'out', 'ignore_errors': True}


def test_server_info_one_many_and_filters(emu, cloud, tmp_path):
    web1 = cloud.server('web-1')['id']
    assert cloud.action('web-2', {'resize': {'flavorRef': 'c7.large.2'}}).status_code == 202
    cloud.wait_for('web-2', 'VERIFY_RESIZE')
    emu.admin.clear_requests()
    run = run_playbook(tmp_path, [
        info_task(emu.info, 'ecs_server_info', 'by name', server='web-1'),
        info_task(emu.info, 'ecs_server_info', 'by id', server=web1),
        info_task(emu.info, 'ecs_server_info', 'all'),
        info_task(emu.info, 'ecs_server_info', 'regex', name='^web-'),
        info_task(emu.info, 'ecs_server_info', 'status', status='shutoff'),
        info_task(emu.info, 'ecs_server_info', 'pending', status='VERIFY_RESIZE'),
        info_task(emu.info, 'ecs_server_info', 'absent', server='nope-1'),
        info_task(emu.info, 'ecs_server_info', 'both', server='web-1', name='web'),
    ], args=['--check'])
    one = run.task('by name')
    assert run.outcome('by name') == 'ok' and one['changed'] is False, run
    assert len(one['servers']) == 1
    server = one['servers'][0]
    assert server['id'] == web1 and server['name'] == 'web-1' and server['status'] == 'ACTIVE'
    assert server['flavor'] == {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0}
    assert server['resize_pending'] is False and server['task_state'] is None and server['vm_state'] == 'active'
    assert set(server) >= {'id', 'name', 'status', 'vm_state', 'task_state', 'flavor', 'resize_pending', 'locked'}
    assert run.task('by id')['servers'][0]['name'] == 'web-1'
    assert one['api_calls'] <= 3
    everything = run.task('all')
    assert sorted(s['name'] for s in everything['servers']) == ['app-1', 'db-1', 'web-1', 'web-2']
    # one token, one server listing, one flavor listing for servers on several flavors
    assert everything['api_calls'] == 3
    app = [s for s in everything['servers'] if s['name'] == 'app-1'][0]
    assert app['flavor']['name'] == 'm1.small' and app['flavor']['disk'] == 20
    assert sorted(s['name'] for s in run.task('regex')['servers']) == ['web-1', 'web-2']
    assert [s['name'] for s in run.task('status')['servers']] == ['db-1']
    pending = run.task('pending')['servers']
    assert [s['name'] for s in pending] == ['web-2'] and pending[0]['resize_pending'] is True
    assert pending[0]['flavor']['id'] == 'c7.large.2'
    assert run.task('absent')['servers'] == [] and run.outcome('absent') == 'ok'
    assert run.outcome('both') == 'ignored' and 'mutually exclusive' in run.task('both')['msg']
    assert not [r for r in emu.admin.requests() if r['method'] not in ('GET',) and r['path'] != '/v3/auth/tokens']


def test_server_info_with_embedded_flavors(emu, tmp_path):
    run = run_playbook(tmp_path, [info_task(emu.info, 'ecs_server_info', 'all', microversion='2.47')])
    servers = dict((s['name'], s) for s in run.task('all')['servers'])
    assert servers['web-1']['flavor'] == {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0}, run
    assert servers['app-1']['flavor']['id'] == 'a3c1e5f7-0b2d-4c6e-8a9f-1b2c3d4e5f62'
    assert servers['web-1']['locked'] is False


def test_flavor_info_filters(emu, tmp_path):
    run = run_playbook(tmp_path, [
        info_task(emu.info, 'ecs_flavor_info', 'all'),
        info_task(emu.info, 'ecs_flavor_info', 'glob', name='s6.*'),
        info_task(emu.info, 'ecs_flavor_info', 'exact', name='s6.large.2'),
        info_task(emu.info, 'ecs_flavor_info', 'sizes', min_vcpus=4, min_ram=8192),
    ], args=['--check'])
    everything = run.task('all')
    seeded = len(seed.ECS_FLAVORS) + len(seed.SPECIAL_FLAVORS) + len(seed.OPENSTACK_FLAVORS)
    assert everything['source'] == 'flavors' and len(everything['flavors']) == seeded, run
    large = [f for f in everything['flavors'] if f['name'] == 's6.large.2'][0]
    assert large == {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0,
                     'ephemeral': 0, 'swap': 0, 'is_public': True}
    order = [(f['vcpus'], f['ram'], f['name']) for f in everything['flavors']]
    assert order == sorted(order)
    assert [f['name'] for f in run.task('glob')['flavors']] == ['s6.small.1', 's6.medium.2', 's6.large.2', 's6.xlarge.2', 's6.2xlarge.2']
    assert [f['name'] for f in run.task('exact')['flavors']] == ['s6.large.2']
    assert all(f['vcpus'] >= 4 and f['ram'] >= 8192 for f in run.task('sizes')['flavors'])
    assert 'm1.large' in [f['name'] for f in run.task('sizes')['flavors']]


def test_flavor_info_resize_targets_ecs_and_plain_openstack(emu, tmp_path):
    emu.admin.seed(flavors=[{'id': 'd6.large.4', 'name': 'd6.large.4', 'vcpus': 2, 'ram': 8192, 'disk': 40}],
                   servers=[{'name': 'local-1', 'flavor': 'd6.large.4', 'status': 'ACTIVE'}])
    with plain_openstack(emu.info) as proxy:
        run = run_playbook(tmp_path, [
            info_task(emu.info, 'ecs_flavor_info', 'ecs', server='web-1'),
            info_task(emu.info, 'ecs_flavor_info', 'ecs local', server='local-1', min_vcpus=4),
            info_task(emu.info, 'ecs_flavor_info', 'plain', server='local-1', compute_endpoint=proxy.compute_url),
            info_task(emu.info, 'ecs_flavor_info', 'missing', server='nope-1'),
        ])
    ecs = run.task('ecs')
    assert ecs['source'] == 'resize_flavors', run
    names = [f['name'] for f in ecs['flavors']]
    assert 's6.medium.2' not in names and 's6.large.2' in names and len(names) == 12  # all but its own
    assert ecs['server']['name'] == 'web-1' and ecs['server']['flavor']['name'] == 's6.medium.2'
    assert isinstance(ecs['flavors'][0]['vcpus'], int)  # ECS sends sizes as strings
    assert [f['name'] for f in run.task('ecs local')['flavors']] == ['m1.large']
    plain = run.task('plain')
    assert plain['source'] == 'flavors_by_disk', plain
    assert sorted(f['name'] for f in plain['flavors']) == ['m1.large', 'm1.medium']
    assert plain['server']['flavor']['disk'] == 40
    assert "server 'nope-1' not found" in run.task('missing')['msg']


def test_module_defaults_group_sets_connection_once(emu, tmp_path):
    run = run_playbook(tmp_path, [
        {'name': 'servers', 'ecs_ops.compute.ecs_server_info': {'server': 'db-1'}, 'register': 'out'},
        {'name': 'flavors', 'ecs_ops.compute.ecs_flavor_info': {'name': 'c7.*'}, 'register': 'out'},
    ], module_defaults={'group/ecs_ops.compute.ecs': connection_vars(emu.info)})
    assert run.task('servers')['servers'][0]['status'] == 'SHUTOFF', run
    assert [f['name'] for f in run.task('flavors')['flavors']] == ['c7.large.2', 'c7.xlarge.2']
