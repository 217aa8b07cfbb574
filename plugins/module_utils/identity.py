# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who the requests are sent as: a Keystone token got with a password, a token given by the user, or AK/SK signing.

Each identity adds its headers to a request (`headers`), may log in again after a 401 (`reauthenticate`), and
says what the login learnt (`project_id`, `catalog`). The HTTP itself is transport.py's.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, AuthError, EcsError, TransportError
from ansible_collections.ecs_ops.compute.plugins.module_utils.signer import sign_request


def unauthorized_message(auth_type, api_message=None):
    """What a 401 means for this auth type, and what to check."""
    said = ': %s' % api_message if api_message else ''
    if auth_type == 'token':
        return 'the cloud refused the token (HTTP 401%s): the token was refused (expired or revoked?); get a new one' % said
    if auth_type == 'aksk':
        return ('the cloud refused the request signature (HTTP 401%s): check access_key/secret_key and the system clock '
                '(signatures older than 15 minutes are refused)' % said)
    return 'the cloud refused the credentials (HTTP 401%s)' % said


def _base_headers(payload, microversion):
    headers = {'Accept': 'application/json'}
    if payload is not None:
        headers['Content-Type'] = 'application/json'
    if microversion:
        headers['X-OpenStack-Nova-API-Version'] = microversion
        headers['OpenStack-API-Version'] = 'compute %s' % microversion
    return headers


class Identity(object):
    """Base: requests sent with no credentials at all (the Keystone login itself)."""

    auth_type = None
    catalog = None
    token = None  # the token the requests carry, where there is one

    def __init__(self, credentials, transport):
        self.credentials = credentials
        self.transport = transport
        self.project_id = credentials.project_id

    def login(self):
        """Get what the requests need (a token); idempotent."""

    def headers(self, method, url, payload, microversion=None):
        return _base_headers(payload, microversion)

    def reauthenticate(self):
        """After a 401: True when new credentials were obtained and the request may be sent once more."""
        return False


class GivenToken(Identity):
    """A token the user already has (auth_type token): sent as it is, never renewed."""

    auth_type = 'token'

    @property
    def token(self):
        return self.credentials.token

    def headers(self, method, url, payload, microversion=None):
        headers = _base_headers(payload, microversion)
        headers['X-Auth-Token'] = self.token
        return headers


class AkSkSignature(Identity):
    """Huawei Cloud / OTC access keys: every request signed (SDK-HMAC-SHA256), no token call."""

    auth_type = 'aksk'

    def headers(self, method, url, payload, microversion=None):
        headers = _base_headers(payload, microversion)
        if self.project_id:
            headers['X-Project-Id'] = self.project_id
        return sign_request(method, url, headers, payload, self.credentials.access_key, self.credentials.secret_key)


class KeystonePassword(Identity):
    """A Keystone v3 token got with a password, scoped to the project; logged in again once after a 401."""

    auth_type = 'password'

    def __init__(self, credentials, transport):
        super(KeystonePassword, self).__init__(credentials, transport)
        self.token = None
        self.reauthentications = 0

    def headers(self, method, url, payload, microversion=None):
        headers = _base_headers(payload, microversion)
        headers['X-Auth-Token'] = self.token
        return headers

    def login(self):
        if self.token:
            return
        creds = self.credentials
        url = creds.auth_url.rstrip('/')
        if not url.endswith('/v3'):
            url += '/v3'
        try:
            # asking for a token changes nothing: safe to repeat on rate limits and gateway errors
            response = self.transport.call('POST', url + '/auth/tokens', body=self.auth_body(), safe=True,
                                           headers=lambda method, url, payload: _base_headers(payload, None))
        except ApiError as exc:
            if exc.status in (400, 401, 403, 404):
                raise AuthError('authentication at %s failed: check the user, password, domain and project (%s)'
                                % (creds.auth_url, exc.message), status=exc.status, code=exc.code)
            raise
        except TransportError as exc:
            raise AuthError('cannot reach the identity service at %s: %s' % (creds.auth_url, exc.message))
        token = response.headers.get('x-subject-token')
        body = response.body if isinstance(response.body, dict) else {}
        info = body.get('token') if isinstance(body.get('token'), dict) else {}
        if not token:
            raise AuthError('the identity service at %s answered without a token (no X-Subject-Token header)' % creds.auth_url)
        self.token = token
        project = info.get('project') if isinstance(info.get('project'), dict) else {}
        self.project_id = project.get('id') or self.project_id
        self.catalog = info.get('catalog')

    def reauthenticate(self):
        if self.reauthentications:
            return False
        self.reauthentications += 1
        self.token = None
        self.login()
        return True

    def auth_body(self):
        creds = self.credentials
        user = {'password': creds.password}
        if creds.user_id:
            user['id'] = creds.user_id
        else:
            user['name'] = creds.username
            user['domain'] = {'id': creds.user_domain_id} if creds.user_domain_id else {'name': creds.user_domain_name or 'Default'}
        if creds.project_id:
            project = {'id': creds.project_id}
        else:
            if creds.project_domain_id:
                domain = {'id': creds.project_domain_id}
            elif creds.project_domain_name:
                domain = {'name': creds.project_domain_name}
            elif creds.user_domain_id:
                domain = {'id': creds.user_domain_id}
            else:
                domain = {'name': creds.user_domain_name or 'Default'}
            project = {'name': creds.project_name, 'domain': domain}
        return {'auth': {'identity': {'methods': ['password'], 'password': {'user': user}}, 'scope': {'project': project}}}


IDENTITIES = dict((cls.auth_type, cls) for cls in (KeystonePassword, GivenToken, AkSkSignature))


def identity_for(credentials, transport):
    """The identity for the credentials' auth type."""
    return IDENTITIES[credentials.auth_type](credentials, transport)


def endpoint_from_catalog(catalog, service_type, interface='public', region=None):
    """The URL of the first `service_type` endpoint of `interface` (in `region`, when given) in a Keystone catalog."""
    for service in catalog if isinstance(catalog, list) else []:
        if not isinstance(service, dict) or service.get('type') != service_type:
            continue
        for endpoint in service.get('endpoints') or []:
            if not isinstance(endpoint, dict) or endpoint.get('interface') != interface:
                continue
            if region and (endpoint.get('region_id') or endpoint.get('region')) != region:
                continue
            if endpoint.get('url'):
                return endpoint['url']
    raise EcsError('the catalog has no %s %s endpoint%s; set compute_endpoint'
                   % (interface, service_type, ' in region %s' % region if region else ''))
