# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP access to the compute API: one session, authentication, error parsing, retries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import random
import time

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module with missing_required_lib
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

try:
    from urllib.parse import urlsplit, urlunsplit, quote
except ImportError:  # pragma: no cover
    from urlparse import urlsplit, urlunsplit  # type: ignore
    from urllib import quote  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import (
    AmbiguousRequestError,
    ApiError,
    AuthError,
    EcsError,
    NotOfferedError,
    TransportError,
    parse_error_body,
    parse_retry_after,
)

USER_AGENT = 'ecs_ops.compute'
RETRY_STATUSES = (429, 500, 502, 503, 504)


class RetryPolicy(object):
    """How often and how long to retry a request that can safely be repeated.

    Transport errors and 5xx answers are retried `attempts - 1` times with jittered exponential backoff.
    Rate limits (429, or 413 with Retry-After) are retried for as long as `rate_limit_budget` seconds of
    waiting allow: a busy project throttles every client, and giving up after a few tries would fail a
    fleet resize that only had to wait its turn.
    """

    def __init__(self, attempts=6, base=0.5, factor=2.0, cap=10.0, jitter=0.25, rate_limit_budget=300.0, rand=None):
        self.attempts = attempts
        self.base = base
        self.factor = factor
        self.cap = cap
        self.jitter = jitter
        self.rate_limit_budget = rate_limit_budget
        self.rand = rand or random.random

    def delay(self, attempt, retry_after=None):
        """Seconds before retry number `attempt` (1 = first retry): jittered backoff, never less than Retry-After."""
        backoff = min(self.cap, self.base * self.factor ** (attempt - 1))
        if retry_after is not None:
            # spread the clients that were told the same Retry-After, so they do not all come back at once
            return max(retry_after, backoff) * (1.0 + self.jitter * self.rand())
        return backoff * (1.0 + self.jitter * (self.rand() * 2.0 - 1.0))


def is_rate_limited(exc):
    """Whether an error answer says "not now" (the cloud did not act on the request)."""
    return exc.status == 429 or (exc.status == 413 and exc.retry_after is not None)


def _strip_slash(url):
    return url.rstrip('/') if url else url


def compute_root(url):
    """The part of a compute endpoint before /v2 or /v2.1 (where /v1 of ECS lives too)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split('/') if s]
    for index, segment in enumerate(segments):
        if segment in ('v2', 'v2.1'):
            segments = segments[:index]
            break
    return urlunsplit((parts.scheme, parts.netloc, '/' + '/'.join(segments) if segments else '', '', '')).rstrip('/')


def normalise_compute_url(url, project_id=None):
    """A compute endpoint ending in /v2.1/<project_id> (or /v2/<project_id>) when the project is known."""
    url = _strip_slash(url)
    parts = urlsplit(url)
    segments = [s for s in parts.path.split('/') if s]
    version_at = [i for i, s in enumerate(segments) if s in ('v2', 'v2.1')]
    if not version_at:
        segments.append('v2.1')
        version_at = [len(segments) - 1]
    after = segments[version_at[0] + 1:]
    if not after and project_id:
        segments.append(project_id)
    return urlunsplit((parts.scheme, parts.netloc, '/' + '/'.join(segments), '', ''))


class Response(object):
    """The parts of an HTTP answer the callers use."""

    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def request_id(self):
        return self.headers.get('x-openstack-request-id') or self.headers.get('x-compute-request-id') or self.headers.get('x-request-id')


class ComputeClient(object):
    """Talks to one compute endpoint for one set of credentials, re-using one session and one token."""

    def __init__(self, credentials, session=None, sleep=time.sleep, retry=None, signer=None):
        if not HAS_REQUESTS:
            raise EcsError('the python library requests is required')
        self.credentials = credentials
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        self.sleep = sleep
        self.retry = retry or RetryPolicy()
        self.signer = signer
        self.token = None
        self.project_id = credentials.project_id
        self.compute_url = None
        self.calls = 0
        self.retries = 0
        self.reauthentications = 0

    # -- authentication ---------------------------------------------------------------------

    def connect(self):
        """Authenticate (password) or prepare the endpoint (token, aksk). Idempotent."""
        if self.compute_url:
            return
        creds = self.credentials
        if creds.auth_type == 'password':
            self._password_login()
        elif creds.auth_type == 'token':
            self.token = creds.token
        if creds.compute_endpoint:
            # credentials always set it for token and aksk (aksk builds it from region and domain)
            self.compute_url = normalise_compute_url(creds.compute_endpoint, self.project_id)
        if not self.compute_url:
            raise EcsError('no compute endpoint: the catalog has none for region %s, interface %s; set compute_endpoint'
                           % (creds.region_name or 'any', creds.interface))

    def _auth_body(self):
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

    def _password_login(self):
        creds = self.credentials
        url = _strip_slash(creds.auth_url)
        if not url.endswith('/v3'):
            url += '/v3'
        url += '/auth/tokens'
        attempt, limited = 0, 0.0
        while True:
            # asking for a token changes nothing: safe to repeat on rate limits and gateway errors
            attempt += 1
            try:
                response = self._send('POST', url, body=self._auth_body(), authenticated=False)
                break
            except ApiError as exc:
                if is_rate_limited(exc) and limited < self.retry.rate_limit_budget:
                    limited += self._pause(attempt, exc.retry_after)
                    continue
                if exc.status in RETRY_STATUSES and attempt < self.retry.attempts:
                    self._pause(attempt, exc.retry_after)
                    continue
                if exc.status in (400, 401, 403, 404):
                    raise AuthError('authentication at %s failed: check the user, password, domain and project (%s)'
                                    % (creds.auth_url, exc.message), status=exc.status)
                raise
            except TransportError as exc:
                if attempt < self.retry.attempts:
                    self._pause(attempt, None)
                    continue
                raise AuthError('cannot reach the identity service at %s: %s' % (creds.auth_url, exc.message))
        token = response.headers.get('x-subject-token')
        body = response.body if isinstance(response.body, dict) else {}
        info = body.get('token') if isinstance(body.get('token'), dict) else {}
        if not token:
            raise AuthError('the identity service at %s answered without a token (no X-Subject-Token header)' % creds.auth_url)
        self.token = token
        project = info.get('project') if isinstance(info.get('project'), dict) else {}
        self.project_id = project.get('id') or self.project_id
        if not creds.compute_endpoint:
            self.compute_url = self._endpoint_from_catalog(info.get('catalog'))

    def _endpoint_from_catalog(self, catalog):
        creds = self.credentials
        interface = creds.interface or 'public'
        found = []
        for service in catalog if isinstance(catalog, list) else []:
            if not isinstance(service, dict) or service.get('type') != 'compute':
                continue
            for endpoint in service.get('endpoints') or []:
                if not isinstance(endpoint, dict) or endpoint.get('interface') != interface:
                    continue
                region = endpoint.get('region_id') or endpoint.get('region')
                if creds.region_name and region != creds.region_name:
                    continue
                if endpoint.get('url'):
                    found.append(endpoint['url'])
        if not found:
            raise EcsError('the catalog has no %s compute endpoint%s; set compute_endpoint'
                           % (interface, ' in region %s' % creds.region_name if creds.region_name else ''))
        return normalise_compute_url(found[0], self.project_id)

    # -- requests -------------------------------------------------------------------------------

    def _headers(self, method, url, payload, authenticated, microversion=None):
        headers = {'Accept': 'application/json'}
        if payload is not None:
            headers['Content-Type'] = 'application/json'
        microversion = microversion or self.credentials.microversion
        if microversion:
            headers['X-OpenStack-Nova-API-Version'] = microversion
            headers['OpenStack-API-Version'] = 'compute %s' % microversion
        if not authenticated:
            return headers
        if self.credentials.auth_type == 'aksk':
            if self.project_id:
                headers['X-Project-Id'] = self.project_id
            signer = self.signer
            if signer is None:
                from ansible_collections.ecs_ops.compute.plugins.module_utils.signer import sign_request as signer
            return signer(method, url, headers, payload, self.credentials.access_key, self.credentials.secret_key)
        headers['X-Auth-Token'] = self.token
        return headers

    def _send(self, method, url, body=None, params=None, authenticated=True, microversion=None):
        """One HTTP exchange. Raises TransportError without an answer, ApiError on an error status."""
        if params:
            query = '&'.join('%s=%s' % (quote(str(k), safe=''), quote(str(v), safe='')) for k, v in sorted(params.items()) if v is not None)
            if query:
                url = '%s?%s' % (url, query)
        payload = json.dumps(body) if body is not None else None
        headers = self._headers(method, url, payload, authenticated, microversion)
        self.calls += 1
        try:
            answer = self.session.request(method, url, data=payload, headers=headers,
                                          timeout=self.credentials.api_timeout, verify=self.credentials.verify)
        except requests.exceptions.SSLError as exc:
            raise TransportError('TLS verification of %s failed (%s); set ca_cert, or validate_certs=false to skip it'
                                 % (urlsplit(url).netloc, _reason(exc)))
        except requests.exceptions.Timeout:
            raise TransportError('no answer from %s within %s s (api_timeout)' % (urlsplit(url).netloc, self.credentials.api_timeout))
        except requests.exceptions.RequestException as exc:
            raise TransportError('cannot reach %s: %s' % (urlsplit(url).netloc, _reason(exc)))
        headers = dict((k.lower(), v) for k, v in answer.headers.items())
        text = answer.text
        if answer.status_code >= 400:
            code, message = parse_error_body(answer.status_code, text, headers.get('content-type'))
            raise ApiError(answer.status_code, code=code, message=message, request_id=headers.get('x-openstack-request-id'),
                           retry_after=parse_retry_after(headers.get('retry-after')), method=method, url=_path_of(url))
        parsed = None
        if text.strip():
            try:
                parsed = json.loads(text)
            except ValueError:
                raise ApiError(answer.status_code, message='the answer is not JSON: %s' % parse_error_body(answer.status_code, text, 'text/html')[1],
                               method=method, url=_path_of(url))
        return Response(answer.status_code, parsed, headers)

    def _reauthenticate(self):
        if self.credentials.auth_type != 'password' or self.reauthentications:
            return False
        self.reauthentications += 1
        self.token = None
        saved = self.compute_url
        self._password_login()
        self.compute_url = saved
        return True

    def request(self, method, path, body=None, params=None, safe=None, root=False, microversion=None):
        """A request to the compute API (path relative to the endpoint, or to its root with root=True).

        Safe requests (GET by default) are retried on transport errors and on 429/5xx answers.
        Unsafe ones are retried only when the cloud certainly did not act (429 with Retry-After,
        or a 401 followed by a new login); any other failure raises AmbiguousRequestError.
        """
        self.connect()
        safe = method == 'GET' if safe is None else safe
        url = (compute_root(self.compute_url) if root else self.compute_url) + path
        attempt, limited = 0, 0.0
        while True:
            attempt += 1
            try:
                return self._send(method, url, body=body, params=params, microversion=microversion)
            except ApiError as exc:
                if exc.status == 401 and self._reauthenticate():
                    continue
                if exc.status == 401:
                    raise AuthError(unauthorized_message(self.credentials.auth_type, exc.api_message), status=401)
                if exc.status == 403:
                    raise AuthError('not allowed: %s %s was refused (HTTP 403%s)'
                                    % (method, _path_of(url), ': %s' % exc.api_message if exc.api_message else ''), status=403)
                if is_rate_limited(exc) and limited < self.retry.rate_limit_budget:
                    limited += self._pause(attempt, exc.retry_after)
                    continue
                if safe and exc.status in RETRY_STATUSES and attempt < self.retry.attempts:
                    self._pause(attempt, exc.retry_after)
                    continue
                if not safe and exc.status >= 500:
                    raise AmbiguousRequestError('%s %s may or may not have been carried out: %s' % (method, _path_of(url), exc.message),
                                                status=exc.status)
                raise
            except TransportError as exc:
                if safe and attempt < self.retry.attempts:
                    self._pause(attempt, None)
                    continue
                if not safe:
                    raise AmbiguousRequestError('%s %s may or may not have been carried out: %s' % (method, _path_of(url), exc.message))
                raise

    def _pause(self, attempt, retry_after):
        """Sleep before a retry; returns the seconds slept."""
        self.retries += 1
        delay = self.retry.delay(attempt, retry_after)
        self.sleep(delay)
        return delay

    def get(self, path, params=None, root=False, microversion=None):
        return self.request('GET', path, params=params, root=root, microversion=microversion).body

    # -- compute calls ---------------------------------------------------------------------------

    def get_server(self, server_id):
        """The server document, or None when it does not exist."""
        try:
            body = self.get('/servers/%s' % quote(server_id, safe=''))
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        server = body.get('server') if isinstance(body, dict) else None
        if not isinstance(server, dict):
            raise EcsError('the cloud answered GET /servers/%s without a "server" object' % server_id)
        return server

    def list_servers(self, name_regex=None, status=None):
        """Server documents (Nova filters: `name` an unanchored regex, `status`), following limit/marker pagination."""
        servers, marker = [], None
        for dummy in range(100):
            params = {'name': name_regex, 'status': status}
            if marker:
                params.update(limit=1000, marker=marker)
            body = self.get('/servers/detail', params=dict((k, v) for k, v in params.items() if v) or None)
            page = body.get('servers') if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise EcsError('the cloud answered GET /servers/detail without a "servers" list')
            page = [s for s in page if isinstance(s, dict)]
            servers.extend(page)
            links = body.get('servers_links') or []
            if not page or page[-1].get('id') is None or not any(isinstance(link, dict) and link.get('rel') == 'next' for link in links):
                break
            marker = page[-1]['id']
        return servers

    def get_flavor(self, flavor_id):
        """The flavor document, or None when there is no flavor with this id."""
        try:
            body = self.get('/flavors/%s' % quote(flavor_id, safe=''))
        except ApiError as exc:
            if exc.status in (400, 404):
                return None
            raise
        flavor = body.get('flavor') if isinstance(body, dict) else None
        if not isinstance(flavor, dict):
            raise EcsError('the cloud answered GET /flavors/%s without a "flavor" object' % flavor_id)
        return flavor

    def list_flavors(self):
        """All flavors, following limit/marker pagination."""
        flavors, marker = [], None
        for dummy in range(100):
            params = {'limit': 1000, 'marker': marker} if marker else None
            body = self.get('/flavors/detail', params=params)
            page = body.get('flavors') if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise EcsError('the cloud answered GET /flavors/detail without a "flavors" list')
            page = [f for f in page if isinstance(f, dict) and f.get('id') is not None]
            flavors.extend(page)
            links = body.get('flavors_links') or []
            if not page or not any(isinstance(link, dict) and link.get('rel') == 'next' for link in links):
                break
            marker = page[-1]['id']
        return flavors

    # -- ECS native (/v1/{project_id}, next to /v2.1 on the same host) -------------------------------

    def ecs_project_id(self):
        """The project id of /v1 paths: from the login or credentials, else from the compute URL."""
        self.connect()
        if self.project_id:
            return self.project_id
        segments = [s for s in urlsplit(self.compute_url).path.split('/') if s]
        for index, segment in enumerate(segments[:-1]):
            if segment in ('v2', 'v2.1'):
                return segments[index + 1]
        return None

    def _ecs_path(self, path):
        project_id = self.ecs_project_id()
        if not project_id:
            raise EcsError('the project id is unknown (needed for the ECS /v1 API): set auth.project_id, '
                           'or a compute_endpoint ending in /v2.1/<project_id>')
        return '/v1/%s%s' % (quote(project_id, safe=''), path)

    def resize_flavors(self, server_id, page_size=1000):
        """The flavors ECS allows `server_id` to be resized to (GET /v1/.../cloudservers/resize_flavors, paged).

        Raises ApiError/AuthError as the cloud answers; plain OpenStack answers 404 (no such call).
        """
        path = self._ecs_path('/cloudservers/resize_flavors')
        flavors, marker = [], None
        for dummy in range(100):
            params = {'instance_uuid': server_id, 'limit': page_size, 'marker': marker}
            response = self.request('GET', path, params=params, root=True)
            body = response.body
            page = body.get('flavors') if isinstance(body, dict) else None
            if response.status != 200 or not isinstance(page, list):
                # plain Nova answers unknown /v1 paths with its version document (HTTP 300)
                raise NotOfferedError('the cloud answered GET %s with HTTP %s and no "flavors" list' % (path, response.status))
            page = [f for f in page if isinstance(f, dict) and f.get('id') is not None]
            flavors.extend(page)
            if len(page) < page_size:
                break
            marker = page[-1]['id']
        return flavors

    def ecs_resize(self, server_id, flavor_id, dry_run=False):
        """POST the native resize; returns (job_id, request_id). Never retried blindly (see request())."""
        body = {'resize': {'flavorRef': flavor_id}, 'dry_run': bool(dry_run)}
        response = self.request('POST', self._ecs_path('/cloudservers/%s/resize' % quote(server_id, safe='')), body=body,
                                safe=False, root=True)
        answer = response.body if isinstance(response.body, dict) else {}
        job_id = answer.get('job_id')
        return (job_id if isinstance(job_id, str) and job_id else None), response.request_id

    def get_job(self, job_id):
        """The job document of GET /v1/{project_id}/jobs/{job_id}."""
        body = self.get(self._ecs_path('/jobs/%s' % quote(job_id, safe='')), root=True)
        if not isinstance(body, dict):
            raise EcsError('the cloud answered GET /jobs/%s without a job document' % job_id)
        return body

    def server_action(self, server_id, body):
        """POST a server action; returns the request id. Never retried blindly (see request())."""
        response = self.request('POST', '/servers/%s/action' % quote(server_id, safe=''), body=body, safe=False)
        return response.request_id

    def instance_actions(self, server_id):
        try:
            body = self.get('/servers/%s/os-instance-actions' % quote(server_id, safe=''))
        except ApiError as exc:
            if exc.status in (403, 404):
                return []
            raise
        actions = body.get('instanceActions') if isinstance(body, dict) else None
        return [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []

    def instance_action(self, server_id, request_id):
        """One instance action with its events. Nova shows the events to project members only from
        microversion 2.51, so ask for it when no later one is configured, and fall back when refused."""
        path = '/servers/%s/os-instance-actions/%s' % (quote(server_id, safe=''), quote(request_id, safe=''))
        wanted = None if _version_at_least(self.credentials.microversion, (2, 51)) else '2.51'
        try:
            try:
                body = self.get(path, microversion=wanted)
            except ApiError as exc:
                if wanted is None or exc.status not in (400, 406):
                    raise
                body = self.get(path)
        except ApiError as exc:
            if exc.status in (403, 404):
                return None
            raise
        action = body.get('instanceAction') if isinstance(body, dict) else None
        return action if isinstance(action, dict) else None


def _version_at_least(text, wanted):
    """Whether a microversion string like '2.60' (or 'latest') is at least `wanted` (a (major, minor) tuple)."""
    if not text:
        return False
    if str(text).strip().lower() == 'latest':
        return True
    try:
        major, minor = (int(part) for part in str(text).strip().split('.', 1))
    except ValueError:
        return False
    return (major, minor) >= wanted


def unauthorized_message(auth_type, api_message=None):
    """What a 401 means for this auth type, and what to check."""
    said = ': %s' % api_message if api_message else ''
    if auth_type == 'token':
        return 'the cloud refused the token (HTTP 401%s): the token was refused (expired or revoked?); get a new one' % said
    if auth_type == 'aksk':
        return ('the cloud refused the request signature (HTTP 401%s): check access_key/secret_key and the system clock '
                '(signatures older than 15 minutes are refused)' % said)
    return 'the cloud refused the credentials (HTTP 401%s)' % said


def _reason(exc):
    text = str(exc)
    # requests wraps urllib3 errors in long reprs; the last part says what happened
    for marker in ('Caused by ', 'Failed to establish a new connection: '):
        if marker in text:
            text = text.rsplit(marker, maxsplit=1)[-1]
    return text.strip('()\'" ')[:200]


def _path_of(url):
    return urlsplit(url).path
