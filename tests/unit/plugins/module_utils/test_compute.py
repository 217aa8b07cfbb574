# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compute API's ECS /v1 calls, server paging and 401 messages, over a fake HTTP session."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.identity import unauthorized_message
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, AuthError
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import Transport
from ansible_collections.ecs_ops.compute.tests.unit.plugins.module_utils.fake_http import Answer, FakeSession


def token_client(answer, endpoint='https://ecs.example.com/v2.1/p1', project_id=None):
    creds = Credentials('token', compute_endpoint=endpoint, token='tok', project_id=project_id)
    return ComputeApi(creds, Transport(session=FakeSession(answer), sleep=lambda s: None))


FLAVORS = [{'id': 'f%02d' % i, 'name': 'f%02d' % i, 'vcpus': '1', 'ram': 1024, 'disk': '0'} for i in range(7)]


def paged_resize_flavors(method, path, query, body):
    assert path == '/v1/p1/cloudservers/resize_flavors' and query['instance_uuid'] == 'srv-1'
    limit = int(query['limit'])
    start = [f['id'] for f in FLAVORS].index(query['marker']) + 1 if 'marker' in query else 0
    return Answer(200, {'flavors': FLAVORS[start:start + limit]})


def test_resize_flavors_follows_marker_paging_and_project_from_url():
    client = token_client(paged_resize_flavors)
    flavors = client.resize_flavors('srv-1', page_size=3)
    assert [f['id'] for f in flavors] == [f['id'] for f in FLAVORS]
    assert [q.get('marker') for m, p, q, b, h in client.transport.session.sent] == [None, 'f02', 'f05']


def test_resize_flavors_full_last_page_ends_on_empty_page():
    client = token_client(paged_resize_flavors)
    assert len(client.resize_flavors('srv-1', page_size=7)) == 7
    assert len(client.transport.session.sent) == 2


def test_resize_flavors_404_is_an_api_error_not_retried():
    client = token_client(lambda *a: Answer(404, {'itemNotFound': {'code': 404, 'message': 'The resource could not be found.'}}))
    with pytest.raises(ApiError) as caught:
        client.resize_flavors('srv-1')
    assert caught.value.status == 404 and len(client.transport.session.sent) == 1


def test_ecs_resize_and_job_paths_use_the_root_and_project():
    def answer(method, path, query, body):
        if method == 'POST':
            assert path == '/prefix/v1/p9/cloudservers/srv-1/resize'
            assert body == {'resize': {'flavorRef': 's6.large.2'}, 'dry_run': False}
            return Answer(200, {'job_id': 'job-1'}, headers={'x-openstack-request-id': 'req-9'})
        assert path == '/prefix/v1/p9/jobs/job-1'
        return Answer(200, {'status': 'RUNNING', 'job_id': 'job-1'})
    client = token_client(answer, endpoint='https://ecs.example.com/prefix/v2.1/p0', project_id='p9')
    assert client.ecs_resize('srv-1', 's6.large.2') == ('job-1', 'req-9')
    assert client.get_job('job-1')['status'] == 'RUNNING'
    assert len(client.transport.session.sent) == 2  # the POST is not retried


def test_ecs_project_id_from_the_compute_url_or_none():
    assert token_client(None, endpoint='https://ecs.example.com/v2.1/abc').ecs_project_id() == 'abc'
    assert token_client(None, endpoint='https://ecs.example.com/v2.1').ecs_project_id() is None


def test_list_servers_follows_next_links_and_passes_filters():
    pages = {None: ([{'id': 'a'}, {'id': 'b'}], True), 'b': ([{'id': 'c'}], False)}

    def answer(method, path, query, body):
        assert query.get('status') == 'ACTIVE' and query.get('name') == '^web'
        page, more = pages[query.get('marker')]
        links = [{'rel': 'next', 'href': 'x'}] if more else []
        return Answer(200, {'servers': page, 'servers_links': links})
    client = token_client(answer)
    assert [s['id'] for s in client.list_servers('^web', status='ACTIVE')] == ['a', 'b', 'c']


@pytest.mark.parametrize('auth_type, expected', [
    ('token', 'the token was refused (expired or revoked?)'),
    ('aksk', 'check access_key/secret_key and the system clock'),
    ('password', 'the cloud refused the credentials (HTTP 401: nope)'),
])
def test_unauthorized_message_per_auth_type(auth_type, expected):
    assert expected in unauthorized_message(auth_type, 'nope')


def test_token_401_says_the_token_was_refused():
    client = token_client(lambda *a: Answer(401, {'error': {'code': 401, 'message': 'The request you have made requires authentication.'}}))
    with pytest.raises(AuthError) as caught:
        client.get_server('srv-1')
    assert 'expired or revoked' in caught.value.message and len(client.transport.session.sent) == 1


def test_servers_are_read_at_2_9_unless_configured_and_without_it_where_refused():
    seen = []

    def answer(method, path, query, body):
        return Answer(200, {'server': {'id': 'srv-1', 'locked': True}})
    client = token_client(answer)
    original = client.transport.session.request

    def request(method, url, data=None, headers=None, **kwargs):
        seen.append(headers.get('X-OpenStack-Nova-API-Version'))
        if headers.get('X-OpenStack-Nova-API-Version') == '2.9' and len(seen) > 1:
            return Answer(406, {'computeFault': {'message': 'Version 2.9 is not supported by the API.'}})
        return original(method, url, data=data, headers=headers, **kwargs)
    client.transport.session.request = request
    assert client.get_server('srv-1')['locked'] is True
    assert client.get_server('srv-1')['locked'] is True  # refused at 2.9 this time: asked again without
    assert client.get_server('srv-1')['locked'] is True
    assert seen == ['2.9', '2.9', None, None]
    configured = ComputeApi(Credentials('token', compute_endpoint='https://ecs.example.com/v2.1/p1', token='t', microversion='2.1'),
                            Transport(session=FakeSession(answer), sleep=lambda s: None))
    configured.get_server('srv-1')
    assert configured.transport.session.sent  # asked, at the configured version only
