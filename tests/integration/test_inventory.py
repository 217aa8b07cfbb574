# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin ecs_ops.compute.ecs through ansible-inventory and ansible-playbook against the emulator:
groups, host variables, filters (at the API and locally), compose / keyed_groups / groups / strict, the cache,
pagination, several sources, repeated names, bad input; and the role's per-host mode on a flavor group."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import yaml

from ecs_emulator.seed import fleet
from ecs_emulator.testing import run_emulator

from helpers import BIN, ansible_env, connection_vars, count_actions, run_playbook

ROLE = 'ecs_ops.compute.resize'


def write_source(tmp_path, info, name='fleet.ecs.yml', **options):
    """An inventory source of the plugin reaching the emulator with password auth (options lie over it)."""
    config = dict(plugin='ecs_ops.compute.ecs', **connection_vars(info))
    config.update(options)
    path = os.path.join(str(tmp_path), name)
    with open(path, 'w') as handle:
        yaml.safe_dump(config, handle, sort_keys=False)
    return path


def plain(value):
    """ansible-inventory's JSON with its untrusted strings ({"__ansible_unsafe": text}, ansible-core 2.19+) as text."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((k, plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def inventory(source, *args, env=None, check=True):
    """ansible-inventory -i source ARGS; the parsed JSON for --list, else the process."""
    run_env = ansible_env(dict({'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}, **(env or {})))
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', source] + list(args or ['--list']),
                          env=run_env, capture_output=True, text=True, timeout=300, check=False,
                          cwd=os.path.dirname(source))
    if not check:
        return proc
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return plain(json.loads(proc.stdout)) if '--list' in (args or ['--list']) else proc


def hosts_of(data, group):
    return sorted(data.get(group, {}).get('hosts', []))


def hostvars(data, host):
    return data['_meta']['hostvars'][host]


def listing_requests(log):
    return [r for r in log if r['method'] == 'GET' and r['path'].endswith(('/servers/detail', '/cloudservers/detail'))]


def seed_fleet(emu):
    """web-1, web-2 (s6.medium.2), db-1 (SHUTOFF, s6.large.2), app-1 (m1.small) of the default seed, and:"""
    emu.admin.seed(servers=[
        dict(name='shop-1', flavor='s6.medium.2', availability_zone='eu-de-02', tags=['env=prod', 'role=shop'],
             metadata={'tier': 'web'}, addresses=[{'addr': '192.168.1.11'}, {'addr': '80.158.1.11', 'type': 'floating'}]),
        dict(name='shop-2', flavor='s6.medium.2', status='SHUTOFF', availability_zone='eu-de-02', tags=['env=prod', 'role=shop'],
             metadata={'tier': 'web'}, addresses=[{'addr': '192.168.1.12'}, {'addr': 'fd00::12'}]),
        dict(name='shop-db', flavor='c7.large.2', tags=['env=prod', 'role=db'], metadata={'tier': 'db'},
             addresses=[{'addr': '192.168.1.20'}]),
        dict(name='test-1', flavor='s6.medium.2', tags=['env=test'], addresses=[{'addr': 'fd00::31'}]),
    ])


def test_graph_shows_the_default_groups_and_host_variables(emu, tmp_path):
    seed_fleet(emu)
    source = write_source(tmp_path, emu.info)
    emu.admin.clear_requests()
    data = inventory(source)
    assert hosts_of(data, 'flavor_s6_medium_2') == ['shop-1', 'shop-2', 'test-1', 'web-1', 'web-2']
    assert hosts_of(data, 'flavor_s6_large_2') == ['db-1']
    assert hosts_of(data, 'flavor_c7_large_2') == ['shop-db']
    assert hosts_of(data, 'flavor_m1_small') == ['app-1']  # a UUID flavor id, grouped by its name
    assert hosts_of(data, 'status_shutoff') == ['db-1', 'shop-2']
    assert hosts_of(data, 'az_eu_de_02') == ['shop-1', 'shop-2']
    assert len(hosts_of(data, 'region_eu_de')) == 8 and len(hosts_of(data, 'status_active')) == 6
    shop1 = hostvars(data, 'shop-1')
    assert shop1['ansible_host'] == '80.158.1.11'  # floating first
    assert shop1['ecs_flavor'] == dict(id='s6.medium.2', name='s6.medium.2', vcpus=1, ram=2048, disk=0)
    assert (shop1['ecs_status'], shop1['ecs_vm_state'], shop1['ecs_power_state'], shop1['ecs_locked']) == ('ACTIVE', 'active', 1, False)
    assert shop1['ecs_tags'] == ['env=prod', 'role=shop'] and shop1['ecs_tags_dict'] == {'env': 'prod', 'role': 'shop'}
    assert shop1['ecs_metadata'] == {'tier': 'web'} and shop1['ecs_availability_zone'] == 'eu-de-02'
    assert shop1['ecs_region'] == 'eu-de' and shop1['ecs_project_id'] == emu.info['project_id']
    assert hostvars(data, 'shop-2')['ansible_host'] == '192.168.1.12'  # fixed IPv4 before IPv6
    assert hostvars(data, 'test-1')['ansible_host'] == 'fd00::31'
    assert 'ansible_host' not in hostvars(data, 'web-1')  # no address: Ansible uses the name
    assert hostvars(data, 'app-1')['ecs_flavor']['id'] == 'a3c1e5f7-0b2d-4c6e-8a9f-1b2c3d4e5f62'
    # one login, one page of servers, one list of flavors (for the ids: 2.47 shows names and sizes)
    log = emu.admin.requests()
    assert [(r['method'], r['path'].rsplit('/', 2)[-2:]) for r in log] == [
        ('POST', ['auth', 'tokens']), ('GET', ['servers', 'detail']), ('GET', ['flavors', 'detail'])]
    graph = inventory(source, '--graph').stdout
    assert '@flavor_s6_medium_2:\n  |  |--' in graph and '@az_eu_de_02:' in graph


def test_per_host_role_on_a_flavor_group_resizes_exactly_those_then_changes_nothing(emu, cloud, tmp_path):
    seed_fleet(emu)
    cache_dir = os.path.join(str(tmp_path), 'cache')
    source = write_source(tmp_path, emu.info, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=cache_dir)
    conn = connection_vars(emu.info)
    play = {'name': 'resize the s6.medium.2 servers', 'hosts': 'flavor_s6_medium_2', 'gather_facts': False,
            'roles': [{'role': ROLE, 'vars': dict(ecs_resize_flavor='s6.large.2', ecs_resize_timeout=120,
                                                  ecs_resize_auth=conn['auth'], ecs_resize_region_name=conn['region_name'])}]}
    medium = ['shop-1', 'shop-2', 'test-1', 'web-1', 'web-2']
    ids = dict((s['name'], s['id']) for s in cloud.servers())

    first = run_playbook(tmp_path, playbook=[play], inventory=source)
    assert first.rc == 0, first
    log = emu.admin.requests()
    for name, server_id in ids.items():
        assert count_actions(log, 'resize', server_id) == (1 if name in medium else 0), name
    for name in medium:
        server = cloud.server(name)
        assert server['flavor']['id'] == 's6.large.2', name
        assert server['status'] == ('SHUTOFF' if name == 'shop-2' else 'ACTIVE'), name
    assert cloud.server('shop-db')['flavor']['id'] == 'c7.large.2'

    # the same hosts again (the inventory from the cache: it asks the cloud nothing), the role finds them on the target
    emu.admin.clear_requests()
    cached = inventory(source, '--list')
    assert set(medium) <= set(hosts_of(cached, 'flavor_s6_medium_2'))  # as cached before the resize
    assert emu.admin.requests() == []
    second = run_playbook(tmp_path, playbook=[play], inventory=source)
    assert second.rc == 0, second
    assert [r for r in second.results if r['result'].get('changed')] == []
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 0
    # the role's one lookup of the servers (its preflight finds them in one listing); the inventory read nothing
    assert len(listing_requests(log)) == 1, listing_requests(log)

    # listed again, the group is empty and the servers are in flavor_s6_large_2
    data = inventory(source, '--list', '--flush-cache')
    assert hosts_of(data, 'flavor_s6_medium_2') == []
    assert set(medium) <= set(hosts_of(data, 'flavor_s6_large_2'))


def test_filters_narrow_the_listing_at_the_cloud_and_are_checked_on_every_server(emu, tmp_path):
    seed_fleet(emu)
    source = write_source(tmp_path, emu.info, filters=dict(status='ACTIVE', name='^shop', tags=['env=prod', 'role=shop'],
                                                           metadata={'tier': 'web'}))
    emu.admin.clear_requests()
    data = inventory(source)
    assert sorted(data['_meta']['hostvars']) == ['shop-1']
    (listing,) = listing_requests(emu.admin.requests())
    assert 'status=ACTIVE' in listing['query'] and 'name=%5Eshop' in listing['query'] and 'tags=env%3Dprod' in listing['query']

    source = write_source(tmp_path, emu.info, filters=dict(availability_zone=['eu-de-02'], status=['ACTIVE', 'SHUTOFF']))
    assert sorted(inventory(source)['_meta']['hostvars']) == ['shop-1', 'shop-2']


def test_ecs_listing_drops_what_the_cloud_adds_to_a_status(emu, tmp_path):
    """ECS lists a server in RESIZE under status=ACTIVE (and SHUTOFF): the local check keeps only ACTIVE ones."""
    seed_fleet(emu)
    shop1 = [s for s in emu.admin.servers() if s['name'] == 'shop-1'][0]
    emu.admin.set_server(shop1['id'], vm_state='stopped', task_state='resize_migrating')
    source = write_source(tmp_path, emu.info, api='ecs', filters={'status': 'ACTIVE', 'name': 'shop'})
    emu.admin.clear_requests()
    data = inventory(source)
    assert sorted(data['_meta']['hostvars']) == ['shop-db']
    (listing,) = listing_requests(emu.admin.requests())
    assert listing['path'].endswith('/v1/%s/cloudservers/detail' % emu.info['project_id'])
    assert 'status=ACTIVE' in listing['query'] and 'name=shop' in listing['query']
    seen = emu.admin.requests()
    assert len(seen) == 2  # the login and one page: ECS's documents carry the flavor
    all_hosts = inventory(write_source(tmp_path, emu.info, api='ecs'))
    assert hostvars(all_hosts, 'shop-1')['ecs_status'] == 'RESIZE' and hosts_of(all_hosts, 'status_resize') == ['shop-1']
    assert hostvars(all_hosts, 'shop-db')['ecs_flavor'] == dict(id='c7.large.2', name='c7.large.2', vcpus=2, ram=4096, disk=0)
    assert hostvars(all_hosts, 'shop-db')['ecs_api'] == 'ecs'


def test_compose_keyed_groups_groups_and_strict(emu, tmp_path):
    seed_fleet(emu)
    source = write_source(
        tmp_path, emu.info, default_groups=False, vars_prefix='srv_',
        compose={'ecs_resize_server': 'srv_id', 'cores': 'srv_flavor.vcpus * 2'},
        keyed_groups=[{'key': 'srv_tags_dict.role | default("none")', 'prefix': 'role'},
                      {'key': 'srv_metadata.tier', 'prefix': 'tier'}],
        groups={'big': 'srv_flavor.vcpus >= 2', 'public': 'ansible_host is defined and ansible_host.startswith("80.")'})
    data = inventory(source)
    assert not [g for g in data if g.startswith(('flavor_', 'status_', 'az_', 'region_'))]
    assert hosts_of(data, 'role_shop') == ['shop-1', 'shop-2'] and hosts_of(data, 'role_db') == ['shop-db']
    assert 'web-1' in hosts_of(data, 'role_none')
    assert hosts_of(data, 'tier_web') == ['shop-1', 'shop-2']
    assert hosts_of(data, 'big') == ['db-1', 'shop-db'] and hosts_of(data, 'public') == ['shop-1']
    shop1 = hostvars(data, 'shop-1')
    assert shop1['ecs_resize_server'] == shop1['srv_id'] and shop1['cores'] == 2 and 'ecs_id' not in shop1

    strict = write_source(tmp_path, emu.info, name='strict.ecs.yml', strict=True, compose={'x': 'srv_nothing.here'})
    proc = inventory(strict, check=False)
    assert proc.returncode != 0 and 'Could not set x for host' in proc.stderr


def test_cache_second_run_sends_no_request(emu, tmp_path):
    seed_fleet(emu)
    cache_dir = os.path.join(str(tmp_path), 'cache')
    source = write_source(tmp_path, emu.info, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=cache_dir,
                          filters={'metadata': {'tier': 'web'}})
    emu.admin.clear_requests()
    first = inventory(source)
    assert len(emu.admin.requests()) == 3
    emu.admin.clear_requests()
    second = inventory(source)
    assert emu.admin.requests() == [] and second == first
    cached = ''.join(open(os.path.join(cache_dir, name)).read() for name in os.listdir(cache_dir))
    assert 'shop-1' in cached and emu.info['password'] not in cached and 'X-Auth-Token' not in cached

    # a local filter changed: the cached listing serves; a filter the cloud applies changed: listed again
    write_source(tmp_path, emu.info, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=cache_dir,
                 filters={'metadata': {'tier': 'db'}})
    assert sorted(inventory(source)['_meta']['hostvars']) == ['shop-db'] and emu.admin.requests() == []
    write_source(tmp_path, emu.info, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=cache_dir,
                 filters={'status': 'SHUTOFF'})
    assert sorted(inventory(source)['_meta']['hostvars']) == ['db-1', 'shop-2'] and len(listing_requests(emu.admin.requests())) == 1
    emu.admin.clear_requests()
    inventory(source, '--list', '--flush-cache')
    assert len(listing_requests(emu.admin.requests())) == 1


def test_more_servers_than_a_page_one_request_per_page(emu, tmp_path):
    emu.admin.seed(servers=fleet(31, prefix='node', flavors=('s6.medium.2', 's6.large.2')))
    for api, pages in (('nova', 5), ('ecs', 5)):  # 35 servers, 8 a page
        emu.admin.clear_requests()
        data = inventory(write_source(tmp_path, emu.info, name='%s.ecs.yml' % api, api=api, page_size=8))
        assert len(data['_meta']['hostvars']) == 35
        assert len(hosts_of(data, 'flavor_s6_medium_2')) == 16 + 2 and len(hosts_of(data, 'flavor_s6_large_2')) == 15 + 1
        listings = listing_requests(emu.admin.requests())
        assert len(listings) == pages, (api, listings)
        assert all('limit=8' in r['query'] for r in listings)
        if api == 'ecs':
            assert ['offset=%d' % n in r['query'] for n, r in enumerate(listings, 1)] == [True] * pages
        else:
            assert sum('marker=' in r['query'] for r in listings) == pages - 1


def test_two_clouds_in_one_source_and_repeated_names(emu, tmp_path):
    """Two clouds of one clouds.yaml (the second a cloud of its own, region eu-nl), each host with its cloud and
    region; a name in both is named by id, with a warning."""
    with run_emulator(time_scale=0.1) as other:
        for server in other.admin.servers():
            other.admin.delete_server(server['id'])
        other.admin.seed(servers=[dict(name='web-1', flavor='s6.small.1', addresses=['10.1.0.1']),
                                  dict(name='nl-1', flavor='s6.small.1')])
        clouds = {'clouds': {
            'de': {'auth': connection_vars(emu.info)['auth'], 'region_name': 'eu-de'},
            'nl': {'auth': connection_vars(other.info)['auth'], 'region_name': 'eu-nl',
                   'compute_endpoint': other.info['compute_url']}}}
        clouds_file = os.path.join(str(tmp_path), 'clouds.yaml')
        with open(clouds_file, 'w') as handle:
            yaml.safe_dump(clouds, handle)
        source = os.path.join(str(tmp_path), 'two.ecs.yml')
        with open(source, 'w') as handle:
            yaml.safe_dump({'plugin': 'ecs_ops.compute.ecs', 'sources': [{'cloud': 'de'}, {'cloud': 'nl'}],
                            'compose': {'ecs_resize_cloud': 'ecs_cloud'}}, handle)
        proc = inventory(source, '--list', env={'OS_CLIENT_CONFIG_FILE': clouds_file}, check=False)
        assert proc.returncode == 0, proc.stderr
        data = plain(json.loads(proc.stdout))
        nl_web1 = [s['id'] for s in other.admin.servers() if s['name'] == 'web-1'][0]
        de_web1 = '3f2b8c1e-5a7d-4e9f-8b6a-1c2d3e4f5a01'
        assert hosts_of(data, 'cloud_nl') == sorted(['nl-1', nl_web1]) and hosts_of(data, 'region_eu_nl') == hosts_of(data, 'cloud_nl')
        assert de_web1 in hosts_of(data, 'cloud_de') and 'web-2' in hosts_of(data, 'region_eu_de')
        assert 'web-1' not in data['_meta']['hostvars']
        assert hostvars(data, nl_web1)['ecs_name'] == 'web-1' and hostvars(data, nl_web1)['ecs_region'] == 'eu-nl'
        assert hostvars(data, nl_web1)['ecs_resize_cloud'] == 'nl' and hostvars(data, 'web-2')['ecs_cloud'] == 'de'
        warning = ' '.join(proc.stderr.split())
        assert "2 servers are named 'web-1' (ids %s in de/eu-de, %s in nl/eu-nl): their hosts are named by id" % (de_web1, nl_web1) in warning

        # hostname_preference: id names every host by its id, without a warning
        with open(source, 'w') as handle:
            yaml.safe_dump({'plugin': 'ecs_ops.compute.ecs', 'hostname_preference': 'id',
                            'sources': [{'cloud': 'de'}, {'cloud': 'nl'}]}, handle)
        proc = inventory(source, '--list', env={'OS_CLIENT_CONFIG_FILE': clouds_file}, check=False)
        assert proc.returncode == 0 and 'named' not in proc.stderr, proc.stderr
        assert len(json.loads(proc.stdout)['_meta']['hostvars']) == 6


def test_connects_as_the_modules_do_aksk_from_the_environment_and_a_templated_password(emu, tmp_path):
    info = emu.info
    source = os.path.join(str(tmp_path), 'aksk.ecs.yml')
    with open(source, 'w') as handle:
        yaml.safe_dump({'plugin': 'ecs_ops.compute.ecs', 'auth_type': 'aksk', 'api': 'ecs'}, handle)
    aksk = {'HW_ACCESS_KEY': info['access_key'], 'HW_SECRET_KEY': info['secret_key'], 'HW_PROJECT_ID': info['project_id'],
            'OS_COMPUTE_ENDPOINT': info['compute_url']}
    emu.admin.clear_requests()
    data = inventory(source, env=aksk)
    assert hosts_of(data, 'flavor_s6_medium_2') == ['web-1', 'web-2']
    assert [(r['method'], r['auth']) for r in emu.admin.requests()] == [('GET', 'aksk')]  # signed, no token asked for

    templated = write_source(tmp_path, info, name='templated.ecs.yml',
                             auth=dict(connection_vars(info)['auth'], password="{{ lookup('ansible.builtin.env', 'EMU_PW') }}"))
    assert len(inventory(templated, env={'EMU_PW': info['password']})['_meta']['hostvars']) == 4


def test_a_cloud_without_microversion_2_47_is_listed_without_one(emu, tmp_path):
    refused = json.dumps({'computeFault': {'code': 406, 'message': 'Version 2.47 is not supported by the API.'}})
    emu.admin.fault(route=r'/servers/detail$', method='GET', kind='body', status=406, body=refused,
                    content_type='application/json', count=1)
    emu.admin.clear_requests()
    data = inventory(write_source(tmp_path, emu.info))
    assert hostvars(data, 'web-1')['ecs_flavor'] == dict(id='s6.medium.2', name='s6.medium.2', vcpus=1, ram=2048, disk=0)
    assert hostvars(data, 'web-1')['ecs_tags'] == [] and hosts_of(data, 'flavor_m1_small') == ['app-1']
    assert len(listing_requests(emu.admin.requests())) == 2  # refused, then without a microversion
    emu.admin.fault(route=r'/servers/detail$', method='GET', kind='body', status=406, body=refused,
                    content_type='application/json', count=1)
    proc = inventory(write_source(tmp_path, emu.info, filters={'tags': 'env=prod'}), check=False)
    assert proc.returncode != 0 and 'the cloud refused microversion 2.47 (HTTP 406), and before 2.26 it neither shows nor ' \
        'filters tags' in ' '.join(proc.stderr.split())


def test_bad_input_fails_in_one_sentence_without_secrets(emu, tmp_path):
    info = emu.info
    cases = [
        (dict(page_size=5000), 'page_size must be an integer from 1 to 1000 (the most a page of the listing holds), not 5000'),
        (dict(filters={'state': 'ACTIVE'}), "filters: unknown key 'state'; the filters are status, name, tags, metadata"),
        (dict(sources=[{'region': 'eu-nl'}]), "sources[0]: unknown option 'region'; the connection options are"),
        (dict(auth=dict(connection_vars(info)['auth'], password='Wr0ng-Pa55word')),
         'failed: check the user, password, domain and project (HTTP 401'),
        (dict(microversion='2.20', filters={'tags': 'env=prod'}), 'filters.tags needs microversion 2.26 or later'),
    ]
    for options, message in cases:
        proc = inventory(write_source(tmp_path, info, **options), check=False)
        text = ' '.join(proc.stderr.split())
        assert proc.returncode != 0 and message in text, (options, proc.stderr)
        assert 'Traceback' not in proc.stderr and 'Wr0ng-Pa55word' not in proc.stderr + proc.stdout
        assert info['password'] not in proc.stderr + proc.stdout

    emu.admin.config(profile='nova')
    proc = inventory(write_source(tmp_path, info, api='ecs'), check=False)
    assert proc.returncode != 0 and 'no "servers" list: it has no ECS API (use the Nova API)' in ' '.join(proc.stderr.split())


def test_ansible_doc_shows_the_plugin(tmp_path):
    proc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '-t', 'inventory', 'ecs_ops.compute.ecs'], env=ansible_env(),
                          capture_output=True, text=True, timeout=120, check=False, cwd=str(tmp_path))
    assert proc.returncode == 0 and proc.stderr == '', proc.stderr
    for text in ('hostname_preference', 'address_preference', 'keyed_groups', 'cache_plugin', 'compute_endpoint',
                 'plugin: ecs_ops.compute.ecs'):
        assert text in proc.stdout, text
