# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sign_request() against huaweicloudsdkcore's Signer (test-only oracle) and the ecs-api.md recipe."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.ecs_ops.compute.plugins.module_utils import signer as signer_mod
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.identity import AkSkSignature
from ansible_collections.ecs_ops.compute.plugins.module_utils.signer import (
    canonical_query_string, canonical_uri, format_sdk_date, sign_request,
)

sdk_signer = pytest.importorskip('huaweicloudsdkcore.signer.signer')
sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request')

AK = 'QTWAOYTTINDUT2QVKYUC'
SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'
DATE = datetime(2026, 3, 14, 15, 9, 26)
DATE_STR = '20260314T150926Z'
HOST = 'ecs.eu-de.otc.t-systems.com'
PROJECT = '0123456789abcdef0123456789abcdef'


class _SdkCredentials(object):
    ak = AK
    sk = SK


def sdk_sign(method, url, headers, body):
    """Headers as huaweicloudsdkcore's Signer would send them for the same request."""
    parts = urlsplit(url)
    header_params = dict(headers)
    header_params['X-Sdk-Date'] = DATE_STR
    request = sdk_request.SdkRequest(
        method=method, schema=parts.scheme, host=parts.netloc, resource_path=parts.path or '/',
        query_params=parse_qsl(parts.query, keep_blank_values=True), header_params=header_params, body=body,
    )
    return sdk_signer.Signer(_SdkCredentials()).sign(request).header_params


def ours(method, url, headers, body):
    return sign_request(method, url, headers, body, AK, SK, sdk_date=DATE)


BASE = 'https://%s' % HOST
JSON = {'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': PROJECT}
CASES = [
    ('GET', BASE + '/v2.1/%s/servers/detail' % PROJECT, {'X-Project-Id': PROJECT}, None),
    ('GET', BASE + '/v2.1/%s/servers/detail?name=web-1&limit=10' % PROJECT, {'X-Project-Id': PROJECT}, None),
    ('GET', BASE + '/v2.1/%s/flavors/detail/' % PROJECT, {}, None),
    ('GET', BASE, {}, None),
    ('GET', BASE + '/', {}, None),
    ('GET', BASE + '/v1/%s/cloudservers/detail?status=ACTIVE&status=SHUTOFF&flavor=s2.large.2' % PROJECT, {}, None),
    ('GET', BASE + '/v1/p/x?b=2&a=1&a=0&a=10&c=', {}, None),
    ('GET', BASE + '/v1/p/x?empty=&flag&z=%20', {}, None),
    ('GET', BASE + '/v1/p/x?name=a+b&q=%2B%26%3D%2F~*!\'()', {}, None),
    ('GET', BASE + '/v1/p/x?name=%C3%A9t%C3%A9&k%C3%A9y=%E2%9C%93', {}, None),
    ('GET', BASE + '/v1/p/my server/détail', {}, None),
    ('GET', BASE + '/v1/p/my%20server/d%C3%A9tail', {}, None),
    ('GET', BASE + '/v1/p/a%2Fb/c%25d/e+f/~g/(h)/', {}, None),
    ('GET', BASE + '/v1/p/servers/', {'X-Project-Id': PROJECT, 'X-Custom_Under': 'not signed'}, None),
    ('GET', 'http://127.0.0.1:8774/v2.1/%s/servers' % PROJECT, {'X-Project-Id': PROJECT}, None),
    ('POST', BASE + '/v2.1/%s/servers/abc/action' % PROJECT, JSON, '{"resize": {"flavorRef": "s2.large.4"}}'),
    ('POST', BASE + '/v2.1/%s/servers/abc/action' % PROJECT, JSON, b'{"confirmResize": null}'),
    ('POST', BASE + '/v1/%s/cloudservers/abc/resize' % PROJECT, JSON, '{"resize": {"flavorRef": "ünïcødé ✓"}}'),
    ('POST', BASE + '/v1/p/x', JSON, ''),
    ('POST', BASE + '/v1/p/x', JSON, b''),
    ('POST', BASE + '/v1/p/x', {'Content-Type': 'text/plain'}, 'plain text body'),
    ('POST', BASE + '/v1/p/x', {'Content-Type': 'application/octet-stream'}, b'\x00\x01\xff'),
    ('POST', BASE + '/v1/p/x', {'Content-Type': 'application/bson'}, b'\x05\x00\x00\x00\x00'),
    ('PUT', BASE + '/v1/p/x?force=true', JSON, '{}'),
    ('PATCH', BASE + '/v1/p/x', JSON, '{"a": 1}'),
    ('DELETE', BASE + '/v2.1/%s/servers/abc' % PROJECT, {'X-Project-Id': PROJECT}, None),
    ('delete', BASE + '/v2.1/%s/servers/abc' % PROJECT, {'x-project-id': PROJECT}, None),
    ('GET', BASE + '/v1/p/x', {'X-Project-Id': '  %s  ' % PROJECT, 'Accept': 'application/json', 'User-Agent': 'ecs_ops/1.0'}, None),
    ('GET', BASE + '/v1/p/x', {'Host': 'other.example.com:8443'}, None),
    ('GET', BASE + '/v1/p/x', {'host': 'lower.example.com'}, None),
    ('GET', BASE + '/v1/p/x', {'X-Language': 'ünïcødé'}, None),
    ('GET', BASE + '/v1/p/x', {'X-Number': 42}, None),
]


@pytest.mark.parametrize('method, url, headers, body', CASES)
def test_same_headers_as_huaweicloudsdkcore(method, url, headers, body):
    expected = sdk_sign(method, url, headers, body)
    got = ours(method, url, headers, body)
    assert got['Authorization'] == expected['Authorization']
    assert got == expected


def test_recipe_from_ecs_api_doc():
    """Worked by hand from ecs-api.md section 5, independent of both implementations."""
    body = b'{"resize": {"flavorRef": "s3.large.2"}}'
    url = BASE + '/v2.1/%s/servers/a b/action?z=1&a=x y' % PROJECT
    headers = {'Content-Type': 'application/json', 'X-Project-Id': PROJECT}
    canonical = '\n'.join([
        'POST',
        '/v2.1/%s/servers/a%%20b/action/' % PROJECT,
        'a=x%20y&z=1',
        'content-type:application/json\nhost:%s\nx-project-id:%s\nx-sdk-date:%s\n' % (HOST, PROJECT, DATE_STR),
        'content-type;host;x-project-id;x-sdk-date',
        hashlib.sha256(body).hexdigest(),
    ])
    to_sign = 'SDK-HMAC-SHA256\n%s\n%s' % (DATE_STR, hashlib.sha256(canonical.encode()).hexdigest())
    signature = hmac.new(SK.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    got = sign_request('POST', url, headers, body, AK, SK, sdk_date=DATE)
    assert got['Authorization'] == (
        'SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=%s' % (AK, signature))
    assert got['X-Sdk-Date'] == DATE_STR
    assert got['Host'] == HOST


def test_returns_new_dict_and_keeps_input():
    headers = {'X-Project-Id': PROJECT}
    got = ours('GET', BASE + '/v1/x', headers, None)
    assert headers == {'X-Project-Id': PROJECT}
    assert set(got) == {'X-Project-Id', 'X-Sdk-Date', 'Host', 'Authorization'}


def test_none_headers_and_str_vs_bytes_body():
    assert ours('POST', BASE + '/x', None, 'é') == ours('POST', BASE + '/x', {}, 'é'.encode('utf-8'))


def test_existing_authorization_is_replaced_not_signed():
    got = ours('GET', BASE + '/x', {'authorization': 'Bearer old'}, None)
    assert 'authorization' not in got
    assert 'SignedHeaders=host;x-sdk-date,' in got['Authorization']


def test_date_default_is_now_utc():
    before = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    got = sign_request('GET', BASE + '/x', {}, None, AK, SK)
    signed_at = datetime.strptime(got['X-Sdk-Date'], '%Y%m%dT%H%M%SZ')
    assert before - timedelta(seconds=1) <= signed_at <= before + timedelta(seconds=5)


def test_aware_date_converted_to_utc():
    cet = timezone(timedelta(hours=1))
    assert format_sdk_date(datetime(2026, 3, 14, 16, 9, 26, tzinfo=cet)) == DATE_STR
    assert format_sdk_date(DATE) == DATE_STR


def test_given_x_sdk_date_header_is_used():
    got = sign_request('GET', BASE + '/x', {'x-sdk-date': DATE_STR}, None, AK, SK)
    assert got == ours('GET', BASE + '/x', {'x-sdk-date': DATE_STR}, None)
    assert got['x-sdk-date'] == DATE_STR and 'X-Sdk-Date' not in got


def test_secret_and_body_change_the_signature():
    first = ours('POST', BASE + '/x', JSON, '{}')['Authorization']
    assert first != sign_request('POST', BASE + '/x', JSON, '{}', AK, SK + 'x', sdk_date=DATE)['Authorization']
    assert first != ours('POST', BASE + '/x', JSON, '{"a": 1}')['Authorization']
    assert SK not in first


@pytest.mark.parametrize('ak, sk', [('', SK), (AK, ''), (None, SK), (AK, None)])
def test_missing_keys_raise(ak, sk):
    with pytest.raises(ValueError, match='access key and a secret key'):
        sign_request('GET', BASE + '/x', {}, None, ak, sk)


@pytest.mark.parametrize('path, expected', [
    ('', '/'), ('/', '/'), ('/a', '/a/'), ('/a/', '/a/'), ('/a b', '/a%20b/'), ('/a%20b', '/a%20b/'),
    ('/é', '/%C3%A9/'), ('/a~b*c', '/a~b%2Ac/'), ('/a%2Fb', '/a/b/'),
])
def test_canonical_uri(path, expected):
    assert canonical_uri(path) == expected


@pytest.mark.parametrize('query, expected', [
    ('', ''), ('b=2&a=1', 'a=1&b=2'), ('a=2&a=10&a=1', 'a=1&a=10&a=2'), ('a=&b', 'a=&b='),
    ('q=a+b', 'q=a%20b'), ('q=~%2F', 'q=~%2F'),
])
def test_canonical_query_string(query, expected):
    assert canonical_query_string(query) == expected


# --------------------------------------------------------------- property test

SEGMENT = st.text(alphabet=st.characters(blacklist_categories=('Cs',), blacklist_characters='/?#'), max_size=12)
QUERY_TEXT = st.text(alphabet=st.characters(blacklist_categories=('Cs',)), max_size=10)
HEADER_NAME = st.from_regex(r'\AX-[A-Za-z0-9-]{1,12}\Z')
HEADER_VALUE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']),
    segments=st.lists(SEGMENT, max_size=5),
    trailing=st.booleans(),
    query=st.lists(st.tuples(QUERY_TEXT, QUERY_TEXT), max_size=5),
    headers=st.dictionaries(HEADER_NAME, HEADER_VALUE, max_size=3),
    body=st.one_of(st.none(), st.binary(max_size=64), st.text(max_size=32)),
)
def test_property_same_as_huaweicloudsdkcore(method, segments, trailing, query, headers, body):
    from urllib.parse import quote, urlencode
    path = '/' + '/'.join(quote(s, safe='') for s in segments) + ('/' if trailing and segments else '')
    url = BASE + path + ('?' + urlencode(query) if query else '')
    headers = dict((k, v) for k, v in headers.items() if k.lower() not in ('x-sdk-date', 'x-sdk-content-sha256'))
    assert ours(method, url, headers, body) == sdk_sign(method, url, headers, body)


# --------------------------------------------------------------- the identity that signs every request

def test_aksk_identity_signs_with_the_project_header(monkeypatch):
    monkeypatch.setattr(signer_mod, 'format_sdk_date', lambda moment=None: DATE_STR)
    creds = Credentials('aksk', access_key=AK, secret_key=SK, project_id=PROJECT, compute_endpoint='https://' + HOST)
    url = BASE + '/v1/%s/cloudservers/abc/resize?a=x%%20y' % PROJECT
    body = '{"resize": {"flavorRef": "s3.large.2"}}'
    headers = AkSkSignature(creds, transport=None).headers('POST', url, body)
    assert headers['X-Project-Id'] == PROJECT and SK not in repr(headers)
    to_sign = dict((k, v) for k, v in headers.items() if k.lower() not in ('authorization',))
    assert headers['Authorization'] == sdk_sign('POST', url, to_sign, body)['Authorization']
