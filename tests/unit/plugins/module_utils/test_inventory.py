# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's decisions: options, filters (at the API and locally), records, host names, addresses,
variables, groups and the cache, table by table."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible.inventory.group import to_safe_group_name

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import InputError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.inventory import (
    ADDRESS_KINDS, Filters, api_query, build_hosts, cache_entry, cache_fingerprint, cached_records, check_connection,
    check_settings, choose_address, default_groups, host_names, host_vars, listing_microversion, matches,
    parse_addresses, parse_filters, safe_group_name, server_record, source_params, tag_dict, unique_records,
)

NOVA_247 = {
    'id': 'id-1', 'name': 'web-1', 'status': 'ACTIVE', 'tenant_id': 'p1', 'OS-EXT-STS:vm_state': 'active',
    'OS-EXT-STS:task_state': None, 'OS-EXT-STS:power_state': 1, 'locked': False,
    'flavor': {'original_name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0, 'ephemeral': 0, 'swap': 0},
    'OS-EXT-AZ:availability_zone': 'eu-de-01', 'metadata': {'tier': 'web'}, 'tags': ['env=prod', 'backup'],
    'addresses': {'net-b': [{'addr': '10.0.0.5', 'version': 4, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:05'},
                            {'addr': '80.158.0.5', 'version': 4, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:05'}],
                  'net-a': [{'addr': 'fd00::5', 'version': 6, 'OS-EXT-IPS:type': 'fixed'}]},
    'created': '2026-01-01T00:00:00Z', 'updated': '2026-01-02T00:00:00Z',
}
NOVA_21 = {'id': 'id-2', 'name': 'db-1', 'status': 'SHUTOFF', 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:power_state': 4,
           'flavor': {'id': 's6.large.2', 'links': []}, 'addresses': {}, 'metadata': {}}
ECS_V1 = {'id': 'id-3', 'name': 'app-1', 'status': 'RESIZE', 'OS-EXT-STS:vm_state': 'stopped',
          'OS-EXT-STS:task_state': 'resize_prep', 'OS-EXT-STS:power_state': 4, 'locked': True,
          'flavor': {'id': 'c7.large.2', 'name': 'c7.large.2', 'vcpus': '2', 'ram': '4096', 'disk': '0'},
          'tags': ['role=app'], 'OS-EXT-AZ:availability_zone': 'eu-de-02',
          'addresses': {'vpc': [{'addr': '192.168.0.9', 'version': '4', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS:port_id': 'p'}]}}


def record(**kw):
    base = dict(id='id-x', name='x', status='ACTIVE', flavor={'id': 'f', 'name': 's6.medium.2'}, availability_zone='eu-de-01',
                metadata={}, tags=[], addresses=[], region='eu-de', cloud=None)
    base.update(kw)
    return base


# -- options ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('raw, expected', [
    (None, dict(status=[], name=None, tags=[], metadata={}, availability_zone=[])),
    ({'status': 'active'}, dict(status=['ACTIVE'], name=None, tags=[], metadata={}, availability_zone=[])),
    ({'status': ['ACTIVE', 'shutoff'], 'name': '^web-', 'tags': 'env=prod', 'metadata': {'tier': 'web', 'n': 3, 'on': True},
      'availability_zone': ['eu-de-01']},
     dict(status=['ACTIVE', 'SHUTOFF'], name='^web-', tags=['env=prod'], metadata={'tier': 'web', 'n': '3', 'on': 'true'},
          availability_zone=['eu-de-01'])),
])
def test_parse_filters(raw, expected):
    assert parse_filters(raw).as_dict() == expected


@pytest.mark.parametrize('raw, message', [
    ('ACTIVE', 'filters must be a mapping'),
    ({'state': 'ACTIVE'}, "filters: unknown key 'state'; the filters are status, name, tags, metadata, availability_zone"),
    ({'status': ''}, 'filters.status must be a non-empty string or a list of them'),
    ({'status': []}, 'filters.status must be a non-empty string or a list of them'),
    ({'tags': [1]}, 'filters.tags must be a non-empty string or a list of them'),
    ({'name': '(web'}, "filters.name '(web' is not a valid regular expression"),
    ({'name': 5}, 'filters.name must be a regular expression'),
    ({'metadata': ['a']}, 'filters.metadata must be a mapping'),
    ({'metadata': {'a': [1]}}, 'filters.metadata values must be strings'),
])
def test_parse_filters_refuses(raw, message):
    with pytest.raises(InputError) as caught:
        parse_filters(raw)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize('args, message', [
    ((0, 'name', [], 'ecs_'), 'page_size must be an integer from 1 to 1000'),
    ((1001, 'name', [], 'ecs_'), 'page_size must be an integer from 1 to 1000'),
    ((True, 'name', [], 'ecs_'), 'page_size must be an integer from 1 to 1000'),
    ((10, 'uuid', [], 'ecs_'), "hostname_preference must be one of name, id, name_id, not 'uuid'"),
    ((10, 'name', ['public_ipv4'], 'ecs_'), 'address_preference must be a list of floating_ipv4, fixed_ipv4'),
    ((10, 'name', [], '1x'), "vars_prefix must start a variable name"),
    ((10, 'name', [], 'ecs-'), "vars_prefix must start a variable name"),
])
def test_check_settings_refuses(args, message):
    with pytest.raises(InputError) as caught:
        check_settings(*args)
    assert caught.value.message.startswith(message)


def test_check_settings_accepts_the_defaults_and_edges():
    check_settings(1000, 'name', list(ADDRESS_KINDS), 'ecs_')
    check_settings(1, 'name_id', [], '')


@pytest.mark.parametrize('params, expected', [
    ({'cloud': 'otc', 'cacert': '/ca.pem', 'validate_certs': True, 'api_timeout': None},
     {'cloud': 'otc', 'ca_cert': '/ca.pem', 'validate_certs': True}),
    ({'auth': {'username': 'u', 'password': 'p', 'project_id': None}, 'auth_type': 'password'},
     {'auth': {'username': 'u', 'password': 'p'}, 'auth_type': 'password'}),
])
def test_check_connection(params, expected):
    assert check_connection(params, 'x') == expected


@pytest.mark.parametrize('params, message', [
    ('otc', 'x must be a mapping of connection options'),
    ({'clouds': 'otc'}, "x: unknown option 'clouds'; the connection options are api_timeout, auth, auth_type"),
    ({'auth': 'S3cr3t-value'}, 'x: auth must be a mapping'),
    ({'validate_certs': 'no'}, 'x: validate_certs must be a boolean'),
    ({'api_timeout': '30'}, 'x: api_timeout must be an integer'),
    ({'interface': 'private'}, 'x: interface must be one of public, internal, admin'),
    ({'auth_type': 'oauth'}, 'x: auth_type must be one of password'),
    ({'auth': {'pasword': 'p'}}, "x: unknown auth key 'pasword'; the auth keys are"),
    ({'auth': {'password': 4242}}, 'x: auth.password must be a string'),
])
def test_check_connection_refuses(params, message):
    with pytest.raises(InputError) as caught:
        check_connection(params, 'x')
    assert caught.value.message.startswith(message)
    assert 'S3cr3t' not in caught.value.message and '4242' not in caught.value.message


def test_source_params_lie_over_the_plugins_auth_key_by_key():
    base = {'cloud': 'otc', 'region_name': 'eu-de', 'auth': {'username': 'u', 'password': 'p', 'project_name': 'eu-de'}}
    params, api = source_params(base, {'region_name': 'eu-nl', 'auth': {'project_name': 'eu-nl'}, 'api': 'ecs'}, 0)
    assert params == {'cloud': 'otc', 'region_name': 'eu-nl', 'auth': {'username': 'u', 'password': 'p', 'project_name': 'eu-nl'}}
    assert api == 'ecs'
    assert base['auth']['project_name'] == 'eu-de'  # the plugin's own options are not changed
    assert source_params(base, {}, 1) == (base, None)


@pytest.mark.parametrize('entry, message', [
    ('eu-de', 'sources[2] must be a mapping'),
    ({'api': 'rest'}, "sources[2]: api must be one of nova, ecs, not 'rest'"),
    ({'regions': ['eu-de']}, "sources[2]: unknown option 'regions'"),
])
def test_source_params_refuses(entry, message):
    with pytest.raises(InputError) as caught:
        source_params({}, entry, 2)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize('configured, tags, expected', [
    (None, [], '2.47'),
    ('', ['env=prod'], '2.47'),
    ('2.1', [], '2.1'),
    ('2.26', ['env=prod'], '2.26'),
    ('2.60', ['env=prod'], '2.60'),
    ('latest', ['env=prod'], 'latest'),
])
def test_listing_microversion(configured, tags, expected):
    assert listing_microversion(configured, Filters(tags=tags)) == expected


@pytest.mark.parametrize('configured', ['2.25', '2.1', 'two'])
def test_listing_microversion_refuses_tags_before_2_26(configured):
    with pytest.raises(InputError) as caught:
        listing_microversion(configured, Filters(tags=['env=prod']))
    assert caught.value.message.startswith('filters.tags needs microversion 2.26 or later')


# -- filters ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('raw, api, expected', [
    ({}, 'nova', {}),
    ({'status': 'ACTIVE', 'name': '^web-\\d+$', 'tags': ['env=prod', 'role=web']}, 'nova',
     {'status': 'ACTIVE', 'name': '^web-\\d+$', 'tags': 'env=prod'}),
    ({'status': ['ACTIVE', 'SHUTOFF']}, 'nova', {}),  # two statuses: the cloud filters one only
    ({'name': '^web-\\d+$'}, 'ecs', {}),  # a regular expression ECS's fuzzy match does not read the same way
    ({'name': 'web-1.prod'}, 'ecs', {'name': 'web-1.prod'}),
    ({'tags': 'a,b'}, 'nova', {}),
    ({'metadata': {'tier': 'web'}, 'availability_zone': 'eu-de-01'}, 'ecs', {}),
])
def test_api_query(raw, api, expected):
    assert api_query(parse_filters(raw), api) == expected


@pytest.mark.parametrize('raw, rec, expected', [
    ({}, record(), True),
    ({'status': 'ACTIVE'}, record(status='RESIZE'), False),  # ECS lists RESIZE under ACTIVE: not kept here
    ({'status': ['ACTIVE', 'SHUTOFF']}, record(status='SHUTOFF'), True),
    ({'name': 'web'}, record(name='myweb-1'), True),
    ({'name': '^web'}, record(name='myweb-1'), False),
    ({'tags': ['env=prod', 'role=web']}, record(tags=['role=web', 'env=prod', 'x']), True),
    ({'tags': ['env=prod', 'role=web']}, record(tags=['env=prod']), False),
    ({'tags': 'env'}, record(tags=['env=prod']), False),  # a whole tag
    ({'tags': 'env=prod'}, record(tags=None), False),
    ({'metadata': {'tier': 'web', 'n': 3}}, record(metadata={'tier': 'web', 'n': '3', 'other': 'x'}), True),
    ({'metadata': {'tier': 'web'}}, record(metadata={'tier': 'db'}), False),
    ({'metadata': {'tier': 'web'}}, record(metadata={}), False),
    ({'availability_zone': ['eu-de-02', 'eu-de-03']}, record(availability_zone='eu-de-01'), False),
])
def test_matches(raw, rec, expected):
    assert matches(rec, parse_filters(raw)) is expected


# -- records ---------------------------------------------------------------------------------------

def test_record_of_a_nova_247_document():
    rec = server_record(NOVA_247, 'nova', 'eu-de', 'otc', Flavor('s6.medium.2', 's6.medium.2', 1, 2048, 0))
    assert rec == dict(
        id='id-1', name='web-1', status='ACTIVE', vm_state='active', task_state=None, power_state=1, locked=False,
        flavor=dict(id='s6.medium.2', name='s6.medium.2', vcpus=1, ram=2048, disk=0), availability_zone='eu-de-01',
        metadata={'tier': 'web'}, tags=['env=prod', 'backup'],
        addresses=[dict(network='net-a', addr='fd00::5', version=6, type='fixed', mac=None),
                   dict(network='net-b', addr='10.0.0.5', version=4, type='fixed', mac='fa:16:3e:00:00:05'),
                   dict(network='net-b', addr='80.158.0.5', version=4, type='floating', mac='fa:16:3e:00:00:05')],
        created='2026-01-01T00:00:00Z', updated='2026-01-02T00:00:00Z', project_id='p1', region='eu-de', cloud='otc',
        api='nova')
    json.dumps(rec)  # the cache stores records


def test_record_without_a_looked_up_flavor_reads_the_document():
    assert server_record(NOVA_247, 'nova')['flavor'] == dict(id=None, name='s6.medium.2', vcpus=1, ram=2048, disk=0)
    rec = server_record(NOVA_21, 'nova')
    assert rec['flavor'] == dict(id='s6.large.2', name=None, vcpus=None, ram=None, disk=None)
    assert (rec['tags'], rec['locked'], rec['availability_zone'], rec['addresses']) == (None, None, None, [])


def test_record_of_an_ecs_v1_document():
    rec = server_record(ECS_V1, 'ecs', 'eu-nl')
    assert rec['flavor'] == dict(id='c7.large.2', name='c7.large.2', vcpus=2, ram=4096, disk=0)
    assert (rec['status'], rec['task_state'], rec['locked'], rec['tags']) == ('RESIZE', 'resize_prep', True, ['role=app'])
    assert rec['addresses'] == [dict(network='vpc', addr='192.168.0.9', version=4, type='fixed', mac=None)]
    assert (rec['region'], rec['api']) == ('eu-nl', 'ecs')


@pytest.mark.parametrize('doc, expected', [
    ({}, []),
    ({'addresses': None}, []),
    ({'addresses': {'n': 'x'}}, []),
    ({'addresses': {'n': [{'addr': ''}, 'x', {'addr': '10.0.0.1'}]}},
     [dict(network='n', addr='10.0.0.1', version=4, type='fixed', mac=None)]),
    ({'addresses': {'n': [{'addr': '2001:db8::1', 'OS-EXT-IPS:type': 'FLOATING'}]}},
     [dict(network='n', addr='2001:db8::1', version=6, type='floating', mac=None)]),
])
def test_parse_addresses(doc, expected):
    assert parse_addresses(doc) == expected


@pytest.mark.parametrize('tags, expected', [
    ([], {}), (None, {}), (['env=prod', 'backup', 'a=b=c', 'empty='], {'env': 'prod', 'backup': '', 'a': 'b=c', 'empty': ''}),
])
def test_tag_dict(tags, expected):
    assert tag_dict(tags) == expected


# -- hosts -----------------------------------------------------------------------------------------

ADDRESSES = [dict(addr='fd00::5', version=6, type='fixed'), dict(addr='10.0.0.5', version=4, type='fixed'),
             dict(addr='10.0.0.6', version=4, type='fixed'), dict(addr='80.158.0.5', version=4, type='floating')]


@pytest.mark.parametrize('addresses, preference, expected', [
    (ADDRESSES, ADDRESS_KINDS, '80.158.0.5'),
    (ADDRESSES, ['fixed_ipv4'], '10.0.0.5'),  # the first the cloud lists
    (ADDRESSES, ['fixed_ipv6', 'fixed_ipv4'], 'fd00::5'),
    (ADDRESSES, ['floating_ipv6'], None),
    (ADDRESSES, [], None),
    ([], ADDRESS_KINDS, None),
    (None, ADDRESS_KINDS, None),
])
def test_choose_address(addresses, preference, expected):
    assert choose_address(addresses, preference) == expected


def test_host_names_fall_back_to_the_id_for_repeated_names_with_a_warning():
    records = [record(id='a', name='web-1', region='eu-de'), record(id='b', name='web-2'),
               record(id='c', name='web-1', region='eu-nl', cloud='otc'), record(id='d', name=None)]
    names, warnings = host_names(records, 'name')
    assert names == ['a', 'web-2', 'c', 'd']
    assert warnings == ["2 servers are named 'web-1' (ids a in eu-de, c in otc/eu-nl): their hosts are named by id; "
                        "set hostname_preference to id or name_id to name every host the same way"]
    assert host_names(records, 'id') == (['a', 'b', 'c', 'd'], [])
    assert host_names(records, 'name_id') == (['web-1_a', 'web-2_b', 'web-1_c', 'd'], [])


def test_unique_records_keep_the_first_of_a_server_listed_twice():
    first = [record(id='a', region='eu-de'), record(id='b')]
    second = [record(id='a', region='eu-nl'), record(id=None), record(id='c')]
    records, warnings = unique_records([first, second])
    assert [(r['id'], r['region']) for r in records] == [('a', 'eu-de'), ('b', 'eu-de'), ('c', 'eu-de')]
    assert warnings == ['server a (x) is listed by more than one source (eu-de and eu-nl): it is one host']


def test_host_vars_with_prefix_and_address():
    rec = server_record(NOVA_247, 'nova', 'eu-de', None)
    out = host_vars(rec, 'srv_', '80.158.0.5')
    assert out['ansible_host'] == '80.158.0.5'
    assert out['srv_flavor']['name'] == 's6.medium.2' and out['srv_tags_dict'] == {'env': 'prod', 'backup': ''}
    assert sorted(k for k in out if k != 'ansible_host') == sorted('srv_' + k for k in (
        'id', 'name', 'status', 'vm_state', 'task_state', 'power_state', 'locked', 'flavor', 'availability_zone',
        'metadata', 'tags', 'tags_dict', 'addresses', 'created', 'updated', 'project_id', 'region', 'cloud', 'api'))
    assert 'ansible_host' not in host_vars(rec, '', None) and host_vars(rec, '', None)['tags'] == ['env=prod', 'backup']
    out['srv_metadata']['x'] = 'changed'
    assert 'x' not in rec['metadata']  # copies: the cache's records are not changed through host variables


@pytest.mark.parametrize('name', ['s6.medium.2', 'eu-de-01', '2xlarge', 'flavor_m1.small', 'a b/c', 'ü-x', 'ACTIVE'])
def test_safe_group_name_is_ansibles(name):
    assert safe_group_name(name) == to_safe_group_name(name, force=True, silent=True)


@pytest.mark.parametrize('rec, expected', [
    (record(cloud='otc'), ['flavor_s6_medium_2', 'status_active', 'az_eu_de_01', 'region_eu_de', 'cloud_otc']),
    (record(flavor={'id': '7d5b1f3a-2c4e'}, status='SHUTOFF', availability_zone=None, region=None),
     ['flavor_7d5b1f3a_2c4e', 'status_shutoff']),
    (record(flavor={}, status=None, availability_zone='', region='eu-nl'), ['region_eu_nl']),
])
def test_default_groups(rec, expected):
    assert default_groups(rec) == expected


def test_build_hosts_filters_names_and_groups():
    sources = [[record(id='a', name='web-1', addresses=ADDRESSES), record(id='b', name='db-1', status='SHUTOFF')],
               [record(id='c', name='web-1', region='eu-nl')]]
    hosts, warnings = build_hosts(sources, parse_filters({'name': '^web'}), 'name', ['fixed_ipv4'], 'ecs_', True)
    assert [(h.name, h.variables.get('ansible_host'), h.groups[-1]) for h in hosts] == [
        ('a', '10.0.0.5', 'region_eu_de'), ('c', None, 'region_eu_nl')]
    assert len(warnings) == 1 and "named 'web-1'" in warnings[0]
    hosts, warnings = build_hosts(sources, Filters(), 'id', [], 'ecs_', False)
    assert [(h.name, h.groups, 'ansible_host' in h.variables) for h in hosts] == [('a', [], False), ('b', [], False), ('c', [], False)]


# -- cache -----------------------------------------------------------------------------------------

SOURCE = ({'cloud': 'otc', 'auth': {'username': 'u', 'password': 'secret-1', 'project_name': 'eu-de'}}, 'nova')


def test_cache_fingerprint_ignores_secrets_and_local_filters_only():
    base = cache_fingerprint([SOURCE], parse_filters({}), 1000)
    other_password = ({'cloud': 'otc', 'auth': {'username': 'u', 'password': 'secret-2', 'project_name': 'eu-de'}}, 'nova')
    assert cache_fingerprint([other_password], parse_filters({'metadata': {'a': 'b'}}), 1000) == base
    assert 'secret' not in base
    for changed in (cache_fingerprint([SOURCE], parse_filters({'status': 'ACTIVE'}), 1000),
                    cache_fingerprint([SOURCE], parse_filters({}), 500),
                    cache_fingerprint([(SOURCE[0], 'ecs')], parse_filters({}), 1000),
                    cache_fingerprint([({'cloud': 'otc', 'region_name': 'eu-nl'}, 'nova')], parse_filters({}), 1000),
                    cache_fingerprint([SOURCE, SOURCE], parse_filters({}), 1000)):
        assert changed != base


def test_cache_entry_round_trip_and_misses():
    records = [[record(id='a')], []]
    entry = json.loads(json.dumps(cache_entry('fp', records)))
    assert 'secret' not in json.dumps(entry)
    assert cached_records(entry, 'fp') == records
    assert cached_records(entry, 'other') is None
    assert cached_records(dict(entry, format=0), 'fp') is None
    assert cached_records(dict(entry, sources={'a': 1}), 'fp') is None
    assert cached_records('garbage', 'fp') is None
