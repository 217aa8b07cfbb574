# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import (
    Flavor, FlavorRef, closest_names, same_flavor, server_flavor, with_known_details,
)

TARGET = Flavor('s6.large.2', 's6.large.2', 2, 4096, 0)
UUID_TARGET = Flavor('7d8a6c1e-0000-4000-8000-000000000002', 'm1.medium', 2, 4096, 40)


@pytest.mark.parametrize('text, value, host, is_uri', [
    ('s6.large.2', 's6.large.2', None, False),
    ('  m1.small ', 'm1.small', None, False),
    ('https://ecs.eu-de.otc.t-systems.com/v2.1/abc/flavors/s6.large.2', 's6.large.2', 'ecs.eu-de.otc.t-systems.com', True),
    ('http://127.0.0.1:8774/abc/flavors/7d8a6c1e-0000-4000-8000-000000000002/', '7d8a6c1e-0000-4000-8000-000000000002', '127.0.0.1:8774', True),
    ('https://HOST/flavors/a%20b', 'a b', 'host', True),
])
def test_flavor_ref_parse(text, value, host, is_uri):
    ref = FlavorRef.parse(text)
    assert (ref.value, ref.uri_host, ref.is_uri) == (value, host, is_uri)


@pytest.mark.parametrize('text', ['https://host/v2.1/servers/x', 'https:///flavors/x', 'http://host/'])
def test_flavor_ref_rejects_uri_without_flavor(text):
    with pytest.raises(ValueError):
        FlavorRef.parse(text)


@pytest.mark.parametrize('doc, expected', [
    ({'flavor': {'id': 's6.large.2', 'links': []}}, Flavor('s6.large.2')),
    ({'flavor': {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': '2', 'ram': '4096', 'disk': '0'}}, TARGET),
    ({'flavor': {'original_name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0, 'ephemeral': 0, 'swap': 0, 'extra_specs': {}}},
     Flavor(None, 's6.large.2', 2, 4096, 0)),
    ({'flavor': None}, Flavor()),
    ({'flavor': 'x'}, Flavor()),
    ({}, Flavor()),
    ('not a dict', Flavor()),
    ({'flavor': {'id': 42}}, Flavor('42')),
    ({'flavor': {'id': True}}, Flavor()),
])
def test_server_flavor_reads_every_shape(doc, expected):
    assert server_flavor(doc) == expected


@pytest.mark.parametrize('doc, target, expected', [
    ({'flavor': {'id': 's6.large.2'}}, TARGET, True),
    ({'flavor': {'id': 's6.medium.2'}}, TARGET, False),
    ({'flavor': {'id': UUID_TARGET.id}}, UUID_TARGET, True),
    ({'flavor': {'id': 'm1.medium'}}, UUID_TARGET, False),  # a name where an id is shown is not trusted
    ({'flavor': {'original_name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}}, TARGET, True),
    ({'flavor': {'original_name': 'm1.medium', 'vcpus': 2, 'ram': 4096, 'disk': 40}}, UUID_TARGET, True),
    # a flavor renamed or re-created with other sizes under the same name does not match
    ({'flavor': {'original_name': 's6.large.2', 'vcpus': 4, 'ram': 8192, 'disk': 0}}, TARGET, False),
    ({'flavor': {'original_name': 's6.xlarge.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}}, TARGET, False),
    ({'flavor': {}}, TARGET, False),
    ({'flavor': {'id': 's6.large.2'}}, Flavor(), False),
    ({'flavor': {'id': 's6.large.2'}}, None, False),
])
def test_flavor_matches(doc, target, expected):
    assert same_flavor(server_flavor(doc), target) is expected


def test_same_flavor_and_merge():
    shown = Flavor('s6.large.2')
    assert same_flavor(shown, TARGET)
    merged = shown.merged_with(TARGET)
    assert merged == TARGET
    assert merged.describe() == 's6.large.2 (2 vCPU, 4096 MiB)'
    assert Flavor().describe() == 'unknown flavor'


def test_closest_names():
    names = ['s6.small.1', 's6.medium.2', 's6.large.2', 'c7.large.2', 'm1.small']
    assert closest_names('s6.large.3', names)[0] == 's6.large.2'
    assert 's6.small.1' in closest_names('s6.smal.1', names)
    assert closest_names('zzz', names) == []


def test_with_known_details_fills_only_the_same_flavor():
    old = Flavor('4', 'm1.large', 4, 8192, 80)
    assert with_known_details(Flavor('4'), [TARGET, old]) == old
    assert with_known_details(Flavor('5'), [TARGET, old]) == Flavor('5')
    embedded = Flavor(None, 's6.large.2', 2, 4096, 0)
    assert with_known_details(embedded, [TARGET]).id == 's6.large.2'
