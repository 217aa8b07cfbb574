# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Allowed resize targets and the helpers of the info modules (resolve.py), with a fake client."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, AuthError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import (
    allowed_targets, complete_flavor, filter_flavors, find_allowed, flavor_facts, lookup_servers, not_allowed_message,
    nova_resize_targets, server_flavors, sold_out,
)

S6L = {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': '2', 'ram': 4096, 'disk': '0', 'swap': '',
       'OS-FLV-EXT-DATA:ephemeral': 0, 'os-flavor-access:is_public': True,
       'extra_specs': {'cond:operation:status': 'normal'}}
S6XL = dict(S6L, id='s6.xlarge.2', name='s6.xlarge.2', vcpus='4', ram=8192, extra_specs={'cond:operation:status': 'sellout'})
M1S = {'id': 'uuid-small', 'name': 'm1.small', 'vcpus': 1, 'ram': 2048, 'disk': 20, 'swap': 512}
M1M = {'id': 'uuid-medium', 'name': 'm1.medium', 'vcpus': 2, 'ram': 4096, 'disk': 40}
M1T = {'id': 'uuid-tiny', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512, 'disk': 1}
EVS = {'id': 'evs', 'name': 'evs.1', 'vcpus': 1, 'ram': 1024, 'disk': 0}


class FakeClient(object):
    def __init__(self, resize_flavors=None, error=None, project_id='p1', servers=(), flavors=()):
        self._resize_flavors = resize_flavors
        self.error = error
        self.project_id = project_id
        self.servers = list(servers)
        self.flavors = list(flavors)
        self.calls = []

    def ecs_project_id(self):
        return self.project_id

    def resize_flavors(self, server_id):
        self.calls.append(('resize_flavors', server_id))
        if self.error:
            raise self.error
        return self._resize_flavors

    def get_server(self, server_id):
        self.calls.append(('get_server', server_id))
        return next((s for s in self.servers if s['id'] == server_id), None)

    def list_servers(self, name_regex=None, status=None):
        import re
        self.calls.append(('list_servers', name_regex, status))
        return [s for s in self.servers if (not name_regex or re.search(name_regex, s['name'])) and (not status or s['status'] == status)]

    def get_flavor(self, flavor_id):
        self.calls.append(('get_flavor', flavor_id))
        return next((f for f in self.flavors if f['id'] == flavor_id), None)

    def list_flavors(self):
        self.calls.append(('list_flavors',))
        return list(self.flavors)


@pytest.mark.parametrize('error', [
    ApiError(404, code='itemNotFound', message='The resource could not be found.'),
    ApiError(400, code='Ecs.0005', message='bad'),
    ApiError(405),
    AuthError('not allowed', status=403),
])
def test_allowed_targets_unavailable(error):
    allowed, why = allowed_targets(FakeClient(error=error), 'srv-1')
    assert allowed is None and why


@pytest.mark.parametrize('error', [ApiError(500, message='boom'), AuthError('refused', status=401)])
def test_allowed_targets_other_errors_propagate(error):
    with pytest.raises(type(error)):
        allowed_targets(FakeClient(error=error), 'srv-1')


def test_allowed_targets_without_project_id_does_not_ask():
    client = FakeClient(resize_flavors=[S6L], project_id=None)
    allowed, why = allowed_targets(client, 'srv-1')
    assert allowed is None and 'project id' in why and client.calls == []


def test_find_allowed_by_id_or_name_and_sold_out():
    assert find_allowed(Flavor('s6.large.2', 's6.large.2', 2, 4096, 0), [S6L, S6XL]) is S6L
    assert find_allowed(Flavor(None, 's6.xlarge.2', 4, 8192, 0), [S6L, S6XL]) is S6XL
    assert find_allowed(Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0), [S6L, S6XL]) is None
    assert sold_out(S6XL) and not sold_out(S6L) and not sold_out(M1S)


def test_not_allowed_message_lists_names_and_cuts_long_lists():
    target = Flavor('c7.large.2', 'c7.large.2', 2, 4096, 0)
    message = not_allowed_message('web-1', target, [S6XL, S6L])
    assert message.endswith('allowed: s6.large.2, s6.xlarge.2') and 'c7.large.2' in message and 'web-1' in message
    many = [dict(S6L, id='f%03d' % i, name='f%03d' % i) for i in range(60)]
    assert 'and 10 more' in not_allowed_message('web-1', target, many)
    assert 'allows no resize target' in not_allowed_message('web-1', target, [])


def test_flavor_facts_normalises_ecs_strings():
    assert flavor_facts(S6L) == {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0,
                                 'ephemeral': 0, 'swap': 0, 'is_public': True}
    assert flavor_facts(M1S)['swap'] == 512 and flavor_facts(M1S)['is_public'] is None


def test_filter_flavors_glob_minimums_and_order():
    facts = [flavor_facts(f) for f in (S6XL, M1M, S6L, M1S, M1T)]
    assert [f['name'] for f in filter_flavors(facts)] == ['m1.tiny', 'm1.small', 'm1.medium', 's6.large.2', 's6.xlarge.2']
    assert [f['name'] for f in filter_flavors(facts, name='s6.*')] == ['s6.large.2', 's6.xlarge.2']
    assert [f['name'] for f in filter_flavors(facts, name='m1.small')] == ['m1.small']
    assert [f['name'] for f in filter_flavors(facts, name='M1.*')] == []  # case-sensitive
    assert [f['name'] for f in filter_flavors(facts, min_vcpus=2, min_ram=4096)] == ['m1.medium', 's6.large.2', 's6.xlarge.2']


@pytest.mark.parametrize('current, expected', [
    (Flavor('uuid-small', 'm1.small', 1, 2048, 20), ['m1.medium']),
    (Flavor('evs', 'evs.1', 1, 1024, 0), ['m1.tiny', 'm1.small', 'm1.medium']),
    (Flavor('uuid-tiny', 'm1.tiny', 1, 512, 1), ['m1.small', 'm1.medium']),
])
def test_nova_resize_targets_by_disk(current, expected):
    facts = [flavor_facts(f) for f in (M1T, M1S, M1M, EVS)]
    assert [f['name'] for f in nova_resize_targets(facts, current)] == expected


def test_server_flavors_one_request_for_all():
    servers = [{'id': 'a', 'name': 'a', 'flavor': {'id': 'uuid-small'}}, {'id': 'b', 'name': 'b', 'flavor': {'id': 'uuid-medium'}},
               {'id': 'c', 'name': 'c', 'flavor': {'original_name': 'm1.tiny', 'vcpus': 1, 'ram': 512, 'disk': 1}}]
    client = FakeClient(flavors=[M1S, M1M, M1T])
    flavors = server_flavors(client, servers)
    assert [f.as_dict() for f in flavors] == [Flavor.from_api(M1S).as_dict(), Flavor.from_api(M1M).as_dict(), Flavor.from_api(M1T).as_dict()]
    assert client.calls == [('list_flavors',)]
    single = FakeClient(flavors=[M1S])
    assert server_flavors(single, servers[:1])[0].name == 'm1.small' and single.calls == [('get_flavor', 'uuid-small')]
    complete = FakeClient()
    server_flavors(complete, [{'flavor': {'id': 'x', 'name': 'x', 'vcpus': 1, 'ram': 1, 'disk': 0}}])
    assert complete.calls == []


def test_complete_flavor_by_name_and_sizes():
    embedded = Flavor(None, 'm1.tiny', 1, 512, 1)
    assert complete_flavor(embedded, [M1S, M1T]).id == 'uuid-tiny'
    assert complete_flavor(Flavor(None, 'm1.tiny', 2, 512, 1), [M1T]).id is None


def test_lookup_servers_by_id_name_filters_and_absent():
    servers = [{'id': '7d5b1f3a-2c4e-4a6b-9f1d-0e2c3a4b5d61', 'name': 'web-1', 'status': 'ACTIVE'},
               {'id': 'x2', 'name': 'web-2', 'status': 'SHUTOFF'}, {'id': 'x3', 'name': 'web.1', 'status': 'ACTIVE'}]
    client = FakeClient(servers=servers)
    assert [s['name'] for s in lookup_servers(client, ref='7d5b1f3a-2c4e-4a6b-9f1d-0e2c3a4b5d61')] == ['web-1']
    assert [s['name'] for s in lookup_servers(client, ref='web.1')] == ['web.1']
    assert [s['name'] for s in lookup_servers(client, ref='x2')] == ['web-2']
    assert lookup_servers(client, ref='web-1', status='SHUTOFF') == []
    assert lookup_servers(client, ref='nope') == []
    assert [s['name'] for s in lookup_servers(client, name_regex='^web-')] == ['web-1', 'web-2']
    assert [s['name'] for s in lookup_servers(client, status='ACTIVE')] == ['web-1', 'web.1']
