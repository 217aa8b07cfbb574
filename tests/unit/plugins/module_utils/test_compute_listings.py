# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet listings of the compute API (Nova's limit/marker pages, ECS's offset pages), over a fake HTTP session:
one request per page, the filters on every page, where each listing stops."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import NotOfferedError
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import Transport
from ansible_collections.ecs_ops.compute.tests.unit.plugins.module_utils.fake_http import Answer, FakeSession


SERVERS = [{'id': 's%02d' % i, 'name': 'web-%d' % i} for i in range(7)]


def client(answer):
    creds = Credentials('token', compute_endpoint='https://ecs.example.com/v2.1/p1', token='tok', project_id='p1')
    return ComputeApi(creds, Transport(session=FakeSession(answer), sleep=lambda s: None))


def nova_pages(link_full_pages):
    """Nova's listing: a next link when more remain, or (as real Nova does) whenever the page is full."""
    def answer(method, path, query, body=None):
        assert path == '/v2.1/p1/servers/detail' and query['status'] == 'ACTIVE' and query['name'] == '^web'
        start = [s['id'] for s in SERVERS].index(query['marker']) + 1 if 'marker' in query else 0
        limit = int(query['limit'])
        page = SERVERS[start:start + limit]
        more = len(page) == limit if link_full_pages else start + limit < len(SERVERS)
        return Answer(200, dict(servers=page, servers_links=[{'rel': 'next', 'href': 'x'}] if more else []))
    return answer


@pytest.mark.parametrize('page_size, link_full_pages, markers', [
    (3, False, [None, 's02', 's05']),
    (7, False, [None]),
    (7, True, [None, 's06']),  # a full last page: one more request, answered empty
    (1000, True, [None]),
])
def test_nova_listing_pages_by_marker_one_request_each(page_size, link_full_pages, markers):
    api = client(nova_pages(link_full_pages))
    servers = api.list_servers_paged({'status': 'ACTIVE', 'name': '^web', 'tags': None}, page_size, '2.47')
    assert servers == SERVERS
    sent = api.transport.session.sent
    assert [q.get('marker') for m, p, q, b, h in sent] == markers
    assert all(q['limit'] == str(page_size) and 'tags' not in q for m, p, q, b, h in sent)
    assert all(h.get('X-OpenStack-Nova-API-Version') == '2.47' for m, p, q, b, h in sent)


def ecs_pages(with_count=True):
    def answer(method, path, query, body=None):
        assert path == '/v1/p1/cloudservers/detail' and query['tags'] == 'env=prod'
        limit, offset = int(query['limit']), int(query['offset'])
        body = dict(servers=SERVERS[(offset - 1) * limit:offset * limit])
        if with_count:
            body['count'] = len(SERVERS)
        return Answer(200, body)
    return answer


@pytest.mark.parametrize('page_size, with_count, offsets', [
    (3, True, ['1', '2', '3']),
    (7, True, ['1']),  # the count says it was the last page: no empty page asked for
    (1000, True, ['1']),
    (7, False, ['1', '2']),  # without a count, a full page may not be the last
    (3, False, ['1', '2', '3']),
])
def test_ecs_listing_pages_by_offset_and_stops_at_the_count(page_size, with_count, offsets):
    api = client(ecs_pages(with_count))
    assert api.ecs_list_servers({'tags': 'env=prod', 'name': None}, page_size) == SERVERS
    sent = api.transport.session.sent
    assert [q['offset'] for m, p, q, b, h in sent] == offsets
    assert all(q['limit'] == str(page_size) and 'name' not in q for m, p, q, b, h in sent)


@pytest.mark.parametrize('status, body', [(300, {'choices': []}), (200, {'flavors': []}), (200, {'servers': 'x'})])
def test_ecs_listing_without_a_server_list_is_not_offered(status, body):
    api = client(lambda *request: Answer(status, body))
    with pytest.raises(NotOfferedError) as caught:
        api.ecs_list_servers()
    assert 'no "servers" list: it has no ECS API (use the Nova API)' in caught.value.message


def test_the_fleet_listing_reads_as_a_server_read_with_changes_since_on_every_page_and_the_clouds_time():
    """servers_detail (fleet.py's listing): SERVER_READ_MICROVERSION as get_server, changes-since on every page, the Date
    header of the first answer and when its request went out."""
    def answer(method, path, query, body=None):
        assert path == '/v2.1/p1/servers/detail' and query['changes-since'] == '2026-12-01T13:35:56Z'
        start = [s['id'] for s in SERVERS].index(query['marker']) + 1 if 'marker' in query else 0
        page = SERVERS[start:start + int(query['limit'])]
        reply = Answer(200, dict(servers=page, servers_links=[{'rel': 'next', 'href': 'x'}] if start + 3 < len(SERVERS) else []))
        reply.headers['Date'] = 'Tue, 01 Dec 2026 13:35:5%d GMT' % (9 if start == 0 else 0)
        return reply
    api = client(answer)
    servers, date, sent_at = api.servers_detail({'changes-since': '2026-12-01T13:35:56Z', 'name': None}, page_size=3)
    assert servers == SERVERS and date == 'Tue, 01 Dec 2026 13:35:59 GMT' and sent_at is not None
    sent = api.transport.session.sent
    assert [q.get('marker') for m, p, q, b, h in sent] == [None, 's02', 's05'] and all('name' not in q for m, p, q, b, h in sent)
    assert all(h.get('X-OpenStack-Nova-API-Version') == '2.9' for m, p, q, b, h in sent)


def test_resize_targets_by_instance_or_by_source_flavor():
    asked = []

    def answer(method, path, query, body=None):
        asked.append(query)
        return Answer(200, {'flavors': [{'id': 's6.large.2'}]})
    api = client(answer)
    assert api.resize_flavors('srv-1') == [{'id': 's6.large.2'}]
    assert api.resize_flavors('srv-1', source_flavor_id='s6.medium.2') == [{'id': 's6.large.2'}]
    assert asked[0]['instance_uuid'] == 'srv-1' and 'source_flavor_id' not in asked[0]
    assert asked[1]['source_flavor_id'] == 's6.medium.2' and 'instance_uuid' not in asked[1]
