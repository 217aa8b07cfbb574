# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who the requests are sent as: a Keystone token (got with a password, an application credential, or by exchanging a
token given for one scoped to the project), a token given by the user and sent as it is, or AK/SK signing.

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
                '(signatures older than 15 minutes are refused); a temporary access key also needs its security_token, '
                'and expires' % said)
    return 'the cloud refused the credentials (HTTP 401%s)' % said


def _base_headers(payload, microversion):
    headers = {'Accept': 'application/json'}
    if payload is not None:
        headers['Content-Type'] = 'application/json'
    if microversion:
        headers['X-OpenStack-Nova-API-Version'] = microversion
        headers['OpenStack-API-Version'] = 'compute %s' % microversion
    return headers


def project_scope(creds):
    """The Keystone scope for the credentials' project: by id, or by name with its domain (as keystoneauth builds it)."""
    if creds.project_id:
        return {'project': {'id': creds.project_id}}
    if creds.project_domain_id:
        domain = {'id': creds.project_domain_id}
    elif creds.project_domain_name:
        domain = {'name': creds.project_domain_name}
    elif creds.user_domain_id:
        domain = {'id': creds.user_domain_id}
    else:
        domain = {'name': creds.user_domain_name or 'Default'}
    return {'project': {'name': creds.project_name, 'domain': domain}}


def user_reference(creds):
    """The user as Keystone takes it: by id, or by name with its domain."""
    if creds.user_id:
        return {'id': creds.user_id}
    domain = {'id': creds.user_domain_id} if creds.user_domain_id else {'name': creds.user_domain_name or 'Default'}
    return {'name': creds.username, 'domain': domain}


def may_log_in_again(renewals, accepted):
    """Whether a 401 may be answered by logging in again. Pure.

    The first time, yes (the token expired or was revoked). After that only when the token of the last login was
    accepted by the cloud at least once: it has expired in its turn (a run longer than the token's lifetime, Keystone's
    default is one hour). A token refused from its first request on would be refused again: the 401 stands."""
    return renewals == 0 or bool(accepted)


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

    def accepted(self):
        """The cloud answered a request sent with the current credentials (not with a 401)."""


class GivenToken(Identity):
    """A token the user already has (auth_type token without auth_url and project, admin_token): sent as it is,
    never renewed."""

    auth_type = 'token'

    @property
    def token(self):
        return self.credentials.token

    def headers(self, method, url, payload, microversion=None):
        headers = _base_headers(payload, microversion)
        headers['X-Auth-Token'] = self.token
        return headers


class AkSkSignature(Identity):
    """Huawei Cloud / OTC access keys: every request signed (SDK-HMAC-SHA256), no token call.

    A temporary access key sends its security token as X-Security-Token, added before signing so that it is a signed
    header (as huaweicloudsdkcore's Credentials.sign_request does it)."""

    auth_type = 'aksk'

    def headers(self, method, url, payload, microversion=None):
        headers = _base_headers(payload, microversion)
        if self.project_id:
            headers['X-Project-Id'] = self.project_id
        if self.credentials.security_token:
            headers['X-Security-Token'] = self.credentials.security_token
        return sign_request(method, url, headers, payload, self.credentials.access_key, self.credentials.secret_key)


class KeystoneIdentity(Identity):
    """A Keystone v3 token, asked for at {auth_url}/v3/auth/tokens; logged in again once after a 401.

    One login path for every kind (the request, its errors, the token, project and catalog of the answer); the
    kinds differ in the body (auth_body) and in what a refusal asks the user to check (what_to_check)."""

    what_to_check = 'the credentials'

    def __init__(self, credentials, transport):
        super(KeystoneIdentity, self).__init__(credentials, transport)
        self.token = None
        self.reauthentications = 0
        self.token_accepted = False  # whether the cloud took a request with the current token

    def auth_body(self):
        """The body of POST /v3/auth/tokens."""
        raise NotImplementedError

    def login_headers(self):
        """Headers of the token request besides Accept and Content-Type."""
        return {}

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

        def login_headers(method, url, payload):
            headers = _base_headers(payload, None)
            headers.update(self.login_headers())
            return headers
        try:
            # asking for a token changes nothing: safe to repeat on rate limits and gateway errors
            response = self.transport.call('POST', url + '/auth/tokens', body=self.auth_body(), safe=True, headers=login_headers)
        except ApiError as exc:
            if exc.status in (400, 401, 403, 404):
                raise AuthError('authentication at %s failed: check %s (%s)' % (creds.auth_url, self.what_to_check, exc.message),
                                status=exc.status, code=exc.code)
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

    def accepted(self):
        self.token_accepted = True

    def reauthenticate(self):
        if not may_log_in_again(self.reauthentications, self.token_accepted):
            return False
        self.reauthentications += 1
        self.token = None
        self.token_accepted = False
        self.login()
        return True


class KeystonePassword(KeystoneIdentity):
    """A token for a user and password, scoped to the project."""

    auth_type = 'password'
    what_to_check = 'the user, password, domain and project'

    def auth_body(self):
        user = user_reference(self.credentials)
        user['password'] = self.credentials.password
        return {'auth': {'identity': {'methods': ['password'], 'password': {'user': user}},
                         'scope': project_scope(self.credentials)}}


class KeystoneApplicationCredential(KeystoneIdentity):
    """A token for an application credential (by id, or by name with its user); never a scope: Keystone scopes the token
    to the credential's project and refuses a scope."""

    auth_type = 'application_credential'
    what_to_check = 'application_credential_id (or application_credential_name and its user) and application_credential_secret'

    def auth_body(self):
        creds = self.credentials
        credential = {'secret': creds.application_credential_secret}
        if creds.application_credential_id:
            credential['id'] = creds.application_credential_id
        else:
            credential['name'] = creds.application_credential_name
            credential['user'] = user_reference(creds)
        return {'auth': {'identity': {'methods': ['application_credential'], 'application_credential': credential}}}


class KeystoneToken(KeystoneIdentity):
    """A token the user has, exchanged at Keystone for one scoped to the project (openstacksdk's token and v3token
    with auth_url and a project). The new token expires with the given one."""

    auth_type = 'token'
    what_to_check = 'the token (expired or revoked?) and the project'

    def login_headers(self):
        return {'X-Auth-Token': self.credentials.token}  # as keystoneauth sends it

    def auth_body(self):
        return {'auth': {'identity': {'methods': ['token'], 'token': {'id': self.credentials.token}},
                         'scope': project_scope(self.credentials)}}


IDENTITIES = dict((cls.auth_type, cls) for cls in (KeystonePassword, KeystoneApplicationCredential, GivenToken, AkSkSignature))


def identity_class(credentials):
    """The Identity class for the credentials: a token is exchanged at Keystone when there is one to ask (rescope_token)."""
    if credentials.auth_type == 'token' and credentials.rescope_token:
        return KeystoneToken
    return IDENTITIES[credentials.auth_type]


def identity_for(credentials, transport):
    """The identity for the credentials' auth type."""
    return identity_class(credentials)(credentials, transport)


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
