# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identities: the Keystone token request of each kind (compared with keystoneauth, the test-only oracle, and
with the bodies of Keystone's api-ref), the login path they share, and the headers of every request (AK/SK with a
security token compared with huaweicloudsdkcore)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AuthError
from ansible_collections.ecs_ops.compute.plugins.module_utils.identity import (
    AkSkSignature, GivenToken, KeystoneApplicationCredential, KeystonePassword, KeystoneToken, identity_class, identity_for,
    may_log_in_again,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import RetryPolicy, Transport

from keystoneauth1.identity import v3 as ks_v3  # the oracle of the request bodies (pinned in requirements-dev.txt)
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # the oracle of AK/SK with a security token
from huaweicloudsdkcore.sdk_request import SdkRequest

AUTH_URL = 'https://iam.example.com/v3'

# (case id, Credentials keyword arguments, the keystoneauth plugin and its arguments, the body Keystone's api-ref shows)
KEYSTONE_CASES = [
    ('password-user-name-project-name',
     dict(auth_type='password', username='u', password='pw', user_domain_name='OTC0001', project_name='eu-de',
          project_domain_name='OTC0001'),
     (ks_v3.Password, dict(username='u', password='pw', user_domain_name='OTC0001', project_name='eu-de',
                           project_domain_name='OTC0001')),
     {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
         'name': 'u', 'domain': {'name': 'OTC0001'}, 'password': 'pw'}}},
         'scope': {'project': {'name': 'eu-de', 'domain': {'name': 'OTC0001'}}}}}),
    ('password-user-id-project-id',
     dict(auth_type='password', user_id='uid', password='pw', project_id='pid'),
     (ks_v3.Password, dict(user_id='uid', password='pw', project_id='pid')),
     {'auth': {'identity': {'methods': ['password'], 'password': {'user': {'id': 'uid', 'password': 'pw'}}},
               'scope': {'project': {'id': 'pid'}}}}),
    ('password-domain-ids',
     dict(auth_type='password', username='u', password='pw', user_domain_id='d1', project_name='p', project_domain_id='d2'),
     (ks_v3.Password, dict(username='u', password='pw', user_domain_id='d1', project_name='p', project_domain_id='d2')),
     {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
         'name': 'u', 'domain': {'id': 'd1'}, 'password': 'pw'}}},
         'scope': {'project': {'name': 'p', 'domain': {'id': 'd2'}}}}}),
    ('appcred-id',
     dict(auth_type='application_credential', application_credential_id='a7c0', application_credential_secret='s3cr3t'),
     (ks_v3.ApplicationCredential, dict(application_credential_id='a7c0', application_credential_secret='s3cr3t')),
     # api-ref/source/v3/samples/admin/auth-application-credential-id-request.json
     {'auth': {'identity': {'methods': ['application_credential'],
                            'application_credential': {'id': 'a7c0', 'secret': 's3cr3t'}}}}),
    ('appcred-name-user-id',
     dict(auth_type='application_credential', application_credential_name='monitoring', application_credential_secret='s',
          user_id='uid'),
     (ks_v3.ApplicationCredential, dict(application_credential_name='monitoring', application_credential_secret='s',
                                        user_id='uid')),
     # api-ref/source/v3/samples/admin/auth-application-credential-name-request.json
     {'auth': {'identity': {'methods': ['application_credential'], 'application_credential': {
         'name': 'monitoring', 'secret': 's', 'user': {'id': 'uid'}}}}}),
    ('appcred-name-user-name-domain-name',
     dict(auth_type='application_credential', application_credential_name='ansible', application_credential_secret='s',
          username='u', user_domain_name='OTC0001'),
     (ks_v3.ApplicationCredential, dict(application_credential_name='ansible', application_credential_secret='s',
                                        username='u', user_domain_name='OTC0001')),
     {'auth': {'identity': {'methods': ['application_credential'], 'application_credential': {
         'name': 'ansible', 'secret': 's', 'user': {'name': 'u', 'domain': {'name': 'OTC0001'}}}}}}),
    ('appcred-name-user-name-domain-id',
     dict(auth_type='application_credential', application_credential_name='ansible', application_credential_secret='s',
          username='u', user_domain_id='d1'),
     (ks_v3.ApplicationCredential, dict(application_credential_name='ansible', application_credential_secret='s',
                                        username='u', user_domain_id='d1')),
     {'auth': {'identity': {'methods': ['application_credential'], 'application_credential': {
         'name': 'ansible', 'secret': 's', 'user': {'name': 'u', 'domain': {'id': 'd1'}}}}}}),
    ('token-project-name',
     dict(auth_type='token', token='tok', project_name='eu-de', project_domain_name='OTC0001'),
     (ks_v3.Token, dict(token='tok', project_name='eu-de', project_domain_name='OTC0001')),
     # api-ref/source/v3/samples/auth/requests/project-name-token.json
     {'auth': {'identity': {'methods': ['token'], 'token': {'id': 'tok'}},
               'scope': {'project': {'name': 'eu-de', 'domain': {'name': 'OTC0001'}}}}}),
    ('token-project-id',
     dict(auth_type='token', token='tok', project_id='pid'),
     (ks_v3.Token, dict(token='tok', project_id='pid')),
     # api-ref/source/v3/samples/auth/requests/project-id-token.json
     {'auth': {'identity': {'methods': ['token'], 'token': {'id': 'tok'}}, 'scope': {'project': {'id': 'pid'}}}}),
    ('token-project-domain-id',
     dict(auth_type='token', token='tok', project_name='p', project_domain_id='d2'),
     (ks_v3.Token, dict(token='tok', project_name='p', project_domain_id='d2')),
     {'auth': {'identity': {'methods': ['token'], 'token': {'id': 'tok'}},
               'scope': {'project': {'name': 'p', 'domain': {'id': 'd2'}}}}}),
]


class Answer(object):
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self.text = json.dumps(body) if body is not None else ''
        self.headers = dict({'Content-Type': 'application/json'}, **(headers or {}))

    def json(self):
        return json.loads(self.text)


TOKEN_ANSWER = {'token': {'methods': ['x'], 'project': {'id': 'p-from-keystone'}, 'catalog': [{'type': 'compute', 'endpoints': [
    {'interface': 'public', 'region_id': 'eu-de', 'url': 'https://ecs.example.com/v2.1/p-from-keystone'}]}]}}


class KeystoneauthSession(object):
    """What keystoneauth's plugin posts (it calls session.post(url, json=..., headers=...))."""

    def __init__(self):
        self.sent = None

    def post(self, url, json=None, headers=None, **kwargs):  # pylint: disable=redefined-outer-name
        self.sent = (url, json, dict(headers or {}))
        return Answer(201, TOKEN_ANSWER, {'X-Subject-Token': 'ks-token'})


class RecordingSession(object):
    """The requests session of our transport: records every request with its headers and TLS settings."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.headers = {}
        self.sent = []

    def request(self, method, url, data=None, headers=None, timeout=None, verify=None, cert=None):
        self.sent.append(dict(method=method, url=url, body=json.loads(data) if data else None, headers=dict(headers or {}),
                              verify=verify, cert=cert))
        answer = self.answers.pop(0)
        return answer(method, url) if callable(answer) else answer


def credentials(**kwargs):
    kwargs.setdefault('auth_url', AUTH_URL)
    return Credentials(kwargs.pop('auth_type'), **kwargs)


def login(creds, answers=None):
    session = RecordingSession(answers or [Answer(201, TOKEN_ANSWER, {'X-Subject-Token': 'new-token'})])
    identity = identity_for(creds, Transport(session=session, sleep=lambda s: None, retry=RetryPolicy(rand=lambda: 0.0)))
    identity.login()
    return identity, session


@pytest.mark.parametrize('case_id, kwargs, plugin, documented', KEYSTONE_CASES, ids=[c[0] for c in KEYSTONE_CASES])
def test_token_request_is_keystoneauths(case_id, kwargs, plugin, documented):
    identity, session = login(credentials(**kwargs))
    sent = session.sent[0]
    assert (sent['method'], sent['url']) == ('POST', AUTH_URL + '/auth/tokens')
    assert sent['body'] == documented
    oracle = KeystoneauthSession()
    cls, arguments = plugin
    cls(auth_url=AUTH_URL, **arguments).get_auth_ref(oracle)
    url, body, headers = oracle.sent
    assert (sent['url'], sent['body']) == (url, body), case_id
    # the headers keystoneauth sets (a token request carries the token being exchanged too)
    for name, value in headers.items():
        assert sent['headers'].get(name) == value, (name, sent['headers'])
    assert ('X-Auth-Token' in sent['headers']) is (kwargs['auth_type'] == 'token')
    # what the login learnt: the token of the answer, its project and catalog
    assert identity.token == 'new-token' and identity.project_id == 'p-from-keystone'
    assert identity.catalog == TOKEN_ANSWER['token']['catalog']


@pytest.mark.parametrize('kwargs, expected', [
    (dict(auth_type='password', username='u', password='p', user_domain_name='D', project_name='x'), KeystonePassword),
    (dict(auth_type='application_credential', application_credential_id='i', application_credential_secret='s'),
     KeystoneApplicationCredential),
    (dict(auth_type='token', token='t', project_id='p'), KeystoneToken),                           # auth_url and a project
    (dict(auth_type='token', token='t', project_id='p', compute_endpoint='https://e/v2.1/p'), KeystoneToken),
    (dict(auth_type='token', token='t', compute_endpoint='https://e/v2.1/p'), GivenToken),         # no project
    (dict(auth_type='token', token='t', project_id='p', auth_url=None, compute_endpoint='https://e'), GivenToken),
    (dict(auth_type='token', auth_plugin='admin_token', token='t', project_id='p', compute_endpoint='https://e'), GivenToken),
    (dict(auth_type='aksk', access_key='a', secret_key='s', project_id='p'), AkSkSignature),
], ids=['password', 'appcred', 'token-rescoped', 'token-rescoped-with-endpoint', 'token-without-project',
        'token-without-auth-url', 'admin-token', 'aksk'])
def test_identity_per_credentials(kwargs, expected):
    assert identity_class(credentials(**kwargs)) is expected


@pytest.mark.parametrize('kwargs, check', [
    (dict(auth_type='password', username='u', password='pw', user_domain_name='D', project_name='x'),
     'check the user, password, domain and project'),
    (dict(auth_type='application_credential', application_credential_id='i', application_credential_secret='s3cr3t-value'),
     'check application_credential_id (or application_credential_name and its user) and application_credential_secret'),
    (dict(auth_type='token', token='tok-s3cr3t', project_id='p'), 'check the token (expired or revoked?) and the project'),
])
def test_a_refused_login_says_what_to_check_and_no_secret(kwargs, check):
    refusal = Answer(401, {'error': {'code': 401, 'title': 'Unauthorized',
                                     'message': 'The request you have made requires authentication.'}})
    with pytest.raises(AuthError) as caught:
        login(credentials(**kwargs), [refusal])
    message = caught.value.message
    assert message.startswith('authentication at %s failed: %s (' % (AUTH_URL, check)), message
    assert caught.value.status == 401
    for secret in ('pw', 's3cr3t-value', 'tok-s3cr3t'):
        assert secret not in message.replace('password', '')


@pytest.mark.parametrize('kwargs', [
    dict(auth_type='application_credential', application_credential_id='i', application_credential_secret='s'),
    dict(auth_type='token', token='given', project_id='p'),
], ids=['appcred', 'token-rescoped'])
def test_keystone_identities_log_in_again_once_after_a_401(kwargs):
    answers = [Answer(201, TOKEN_ANSWER, {'X-Subject-Token': 't1'}), Answer(201, TOKEN_ANSWER, {'X-Subject-Token': 't2'})]
    identity, session = login(credentials(**kwargs), answers)
    assert identity.headers('GET', 'https://e', None)['X-Auth-Token'] == 't1'
    assert identity.reauthenticate() is True
    assert identity.headers('GET', 'https://e', None)['X-Auth-Token'] == 't2'
    assert identity.reauthenticate() is False
    assert [s['body'] for s in session.sent][0] == [s['body'] for s in session.sent][1]


def test_a_token_the_cloud_took_is_renewed_again_when_it_expires_in_its_turn():
    # a batch longer than the token's lifetime (Keystone's default: one hour) meets one expiry after another
    answers = [Answer(201, TOKEN_ANSWER, {'X-Subject-Token': 't%d' % n}) for n in (1, 2, 3)]
    identity, session = login(credentials(auth_type='application_credential', application_credential_id='i',
                                          application_credential_secret='s'), answers)
    assert identity.reauthenticate() is True and identity.token == 't2'
    identity.accepted()  # t2 worked for a while
    assert identity.reauthenticate() is True and identity.token == 't3'
    assert identity.reauthenticate() is False  # t3 refused from its first request on: the 401 stands
    assert len(session.sent) == 3


@pytest.mark.parametrize('renewals, accepted, expected', [
    (0, False, True), (0, True, True), (1, False, False), (1, True, True), (5, True, True), (5, False, False),
])
def test_may_log_in_again(renewals, accepted, expected):
    assert may_log_in_again(renewals, accepted) is expected


def test_a_given_token_is_sent_as_it_is():
    identity = identity_for(credentials(auth_type='token', token='given', auth_url=None, compute_endpoint='https://e'), None)
    identity.login()
    assert identity.headers('GET', 'https://e', None, '2.60') == {
        'Accept': 'application/json', 'X-Auth-Token': 'given', 'X-OpenStack-Nova-API-Version': '2.60',
        'OpenStack-API-Version': 'compute 2.60'}
    assert identity.reauthenticate() is False


# ------------------------------------------------------------------ AK/SK

AK, SK, PROJECT = 'QTWAOYTTINDUT2QVKYUC', 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc', '0123456789abcdef0123456789abcdef'
URL = 'https://ecs.eu-de.otc.t-systems.com/v2.1/%s/servers/detail?name=web' % PROJECT
DATE = '20260314T150926Z'


def sdk_headers(security_token=None, body=b''):
    """huaweicloudsdkcore's BasicCredentials(ak, sk, project_id)[.with_security_token()].sign_request() of the request."""
    parts = urlsplit(URL)
    header_params = {'X-Sdk-Date': DATE, 'Accept': 'application/json'}
    if body:
        header_params['Content-Type'] = 'application/json'
    request = SdkRequest(method='POST' if body else 'GET', schema=parts.scheme, host=parts.netloc, resource_path=parts.path,
                         query_params=[('name', 'web')], header_params=header_params, body=body)
    creds = BasicCredentials(AK, SK, PROJECT)
    if security_token is not None:
        creds = creds.with_security_token(security_token)
    return creds.sign_request(request).header_params


@pytest.mark.parametrize('security_token', [None, 'gAAAAABtemporary-security-token'], ids=['permanent', 'temporary'])
@pytest.mark.parametrize('body', [b'', b'{"os-stop": null}'], ids=['get', 'post'])
def test_aksk_headers_are_huaweicloudsdkcores(security_token, body, monkeypatch):
    from ansible_collections.ecs_ops.compute.plugins.module_utils import signer
    monkeypatch.setattr(signer, 'format_sdk_date', lambda moment=None: DATE)
    creds = Credentials('aksk', access_key=AK, secret_key=SK, project_id=PROJECT, security_token=security_token,
                        compute_endpoint='https://ecs.eu-de.otc.t-systems.com')
    ours = AkSkSignature(creds, None).headers('POST' if body else 'GET', URL, body.decode() or None)
    expected = sdk_headers(security_token, body)
    assert ours['Authorization'] == expected['Authorization']
    assert ours.get('X-Security-Token') == expected.get('X-Security-Token') == security_token
    signed = ours['Authorization'].split('SignedHeaders=')[1].split(',')[0].split(';')
    assert ('x-security-token' in signed) is bool(security_token)
    assert ours['X-Project-Id'] == PROJECT


def test_aksk_without_security_token_sends_none():
    creds = Credentials('aksk', access_key=AK, secret_key=SK, project_id=PROJECT, compute_endpoint='https://e')
    headers = AkSkSignature(creds, None).headers('GET', URL, None)
    assert not any(name.lower() == 'x-security-token' for name in headers)
    assert datetime.strptime(headers['X-Sdk-Date'], '%Y%m%dT%H%M%SZ')
