# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, parse_error_body, parse_retry_after


@pytest.mark.parametrize('status, text, content_type, code, message', [
    (400, '{"badRequest": {"code": 400, "message": "When resizing, instances must change flavor!"}}', 'application/json',
     'badRequest', 'When resizing, instances must change flavor!'),
    (404, '{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}', 'application/json',
     'itemNotFound', 'Instance x could not be found.'),
    (409, '{"conflictingRequest": {"code": 409, "message": "Cannot \'resize\' instance x while it is in vm_state resized"}}', None,
     'conflictingRequest', "Cannot 'resize' instance x while it is in vm_state resized"),
    (429, '{"overLimit": {"code": 429, "message": "Rate limit exceeded", "retryAfter": "3"}}', None, 'overLimit', 'Rate limit exceeded'),
    (400, '{"error": {"code": "Ecs.0009", "message": "flavor not found", "details": []}}', None, 'Ecs.0009', 'flavor not found'),
    (401, '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}', None,
     401, 'The request you have made requires authentication.'),
    (400, '{"error_code": "Ecs.0005", "error_msg": "bad param"}', None, 'Ecs.0005', 'bad param'),
    (502, '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>', 'text/html', None, '502 Bad Gateway'),
    (503, '<h1>Service   Unavailable</h1>', None, None, 'Service Unavailable'),
    (504, 'upstream request timeout', 'text/plain', None, 'upstream request timeout'),
    (500, '', None, None, None),
    (500, '   ', 'application/json', None, None),
    (500, '{"broken": ', 'application/json', None, '{"broken":'),
    (400, '{"message": "plain message"}', None, None, 'plain message'),
    (400, '[1, 2]', None, None, '[1, 2]'),
    (400, b'{"badRequest": {"message": "bytes body"}}', None, 'badRequest', 'bytes body'),
])
def test_parse_error_body(status, text, content_type, code, message):
    assert parse_error_body(status, text, content_type) == (code, message)


def test_parse_error_body_clips_long_text():
    code, message = parse_error_body(500, 'x' * 5000, 'text/plain')
    assert code is None and len(message) == 300 and message.endswith('...')


@pytest.mark.parametrize('value, expected', [('3', 3.0), (' 1.5 ', 1.5), (None, None), ('Wed, 21 Oct 2015 07:28:00 GMT', None), ('-4', 0.0)])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_api_error_message():
    exc = ApiError(409, code='conflictingRequest', message='Instance x is locked', method='POST', url='/v2.1/p/servers/x/action')
    assert exc.message == 'HTTP 409 conflictingRequest: Instance x is locked (POST /v2.1/p/servers/x/action)'
    assert ApiError(500).message == 'HTTP 500'
