# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compute API: servers, flavors and server actions (Nova, /v2.1), the native ECS calls (/v1).

One ComputeApi talks to one compute endpoint for one set of credentials, through one transport (transport.py)
as one identity (identity.py).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from urllib.parse import urlsplit, urlunsplit, quote
except ImportError:  # pragma: no cover
    from urlparse import urlsplit, urlunsplit  # type: ignore
    from urllib import quote  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, AuthError, EcsError, NotOfferedError
from ansible_collections.ecs_ops.compute.plugins.module_utils.identity import endpoint_from_catalog, identity_for, unauthorized_message
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import Transport, has_next_link, paginate, path_of

PAGE_SIZE = 1000
# Nova shows project members the events of an instance action from this microversion on.
EVENTS_MICROVERSION = (2, 51)
# Servers are read at least at this microversion when none is configured: it adds `locked` (so a locked server is
# refused before anything is sent) and changes nothing else a member sees; the flavor shape changes only at 2.47.
SERVER_READ_MICROVERSION = '2.9'


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
    url = url.rstrip('/') if url else url
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


def version_at_least(text, wanted):
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


class ComputeApi(object):
    """Servers, flavors and actions of one compute endpoint. Connects (logs in) on the first request."""

    def __init__(self, credentials, transport=None, identity=None, compute_url=None):
        """`identity` and `compute_url`: those of a ComputeApi that has connected already (the servers of a batch share
        one login: fleet.py); the transport is this object's own."""
        self.credentials = credentials
        self.transport = transport or Transport.for_credentials(credentials)
        self.identity = identity or identity_for(credentials, self.transport)
        self.compute_url = compute_url
        self._server_microversion = SERVER_READ_MICROVERSION

    @property
    def calls(self):
        """HTTP requests sent so far (authentication included)."""
        return self.transport.calls

    @property
    def project_id(self):
        return self.identity.project_id

    def close(self):
        self.transport.close()

    def connect(self):
        """Log in where the identity needs it and find the compute endpoint. Idempotent."""
        if self.compute_url:
            return
        creds = self.credentials
        self.identity.login()
        endpoint = creds.compute_endpoint
        if not endpoint:
            endpoint = endpoint_from_catalog(self.identity.catalog, 'compute', creds.interface or 'public', creds.region_name)
        self.compute_url = normalise_compute_url(endpoint, self.project_id)

    # -- requests ---------------------------------------------------------------------------------

    def request(self, method, path, body=None, params=None, safe=None, root=False, microversion=None):
        """A request to the compute API (path relative to the endpoint, or to its root with root=True); the Response.

        Retries as transport.Transport.call() does; a 401 logs in again once (password auth), then is an AuthError
        saying what to check, as is a 403."""
        self.connect()
        url = (compute_root(self.compute_url) if root else self.compute_url) + path
        microversion = microversion or self.credentials.microversion
        try:
            response = self.transport.call(method, url, body=body, params=params, safe=safe,
                                           headers=lambda m, u, p: self.identity.headers(m, u, p, microversion),
                                           reauthenticate=self.identity.reauthenticate)
        except ApiError as exc:
            if exc.status < 500 and exc.status not in (401, 429):
                self.identity.accepted()  # refused for another reason: the cloud took the credentials
            if exc.status == 401:
                raise AuthError(unauthorized_message(self.credentials.auth_type, exc.api_message), status=401, code=exc.code)
            if exc.status == 403:
                raise AuthError('not allowed: %s %s was refused (HTTP 403%s)'
                                % (method, path_of(url), ': %s' % exc.api_message if exc.api_message else ''), status=403, code=exc.code)
            raise
        self.identity.accepted()
        return response

    def get(self, path, params=None, root=False, microversion=None):
        return self.request('GET', path, params=params, root=root, microversion=microversion).body

    def _get_one(self, path, key, missing=(404,)):
        """The `key` object of GET path, or None when the cloud answers one of the `missing` statuses."""
        try:
            body = self.get(path)
        except ApiError as exc:
            if exc.status in missing:
                return None
            raise
        found = body.get(key) if isinstance(body, dict) else None
        if not isinstance(found, dict):
            raise EcsError('the cloud answered GET %s without a "%s" object' % (path, key))
        return found

    # -- Nova: servers, flavors, actions ------------------------------------------------------------

    def _read_servers(self, path, params=None):
        """GET a server path at SERVER_READ_MICROVERSION when no microversion is configured; a cloud that refuses
        it (400/406) is asked without from then on."""
        return self._read_servers_response(path, params).body

    def _read_servers_response(self, path, params=None):
        """_read_servers(), the whole Response."""
        if self.credentials.microversion or self._server_microversion is None:
            return self.request('GET', path, params=params)
        try:
            return self.request('GET', path, params=params, microversion=self._server_microversion)
        except ApiError as exc:
            if exc.status not in (400, 406):
                raise
            self._server_microversion = None
            return self.request('GET', path, params=params)

    def get_server(self, server_id):
        """The server document, or None when it does not exist."""
        path = '/servers/%s' % quote(server_id, safe='')
        try:
            body = self._read_servers(path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        found = body.get('server') if isinstance(body, dict) else None
        if not isinstance(found, dict):
            raise EcsError('the cloud answered GET %s without a "server" object' % path)
        return found

    def list_servers(self, name_regex=None, status=None):
        """Server documents (Nova filters: `name` an unanchored regex, `status`), following the next links."""
        filters = dict((k, v) for k, v in (('name', name_regex), ('status', status)) if v)

        def page(marker, limit):
            params = dict(filters, limit=limit, marker=marker) if marker else filters
            return self._read_servers('/servers/detail', params=params or None)
        return paginate(page, 'servers', PAGE_SIZE, more=has_next_link('servers'))

    def get_flavor(self, flavor_id):
        """The flavor document, or None when there is no flavor with this id."""
        return self._get_one('/flavors/%s' % quote(flavor_id, safe=''), 'flavor', missing=(400, 404))

    def list_flavors(self):
        """All flavors, following the next links."""
        def page(marker, limit):
            return self.get('/flavors/detail', params={'limit': limit, 'marker': marker} if marker else None)
        return [f for f in paginate(page, 'flavors', PAGE_SIZE, more=has_next_link('flavors')) if f.get('id') is not None]

    def server_action(self, server_id, body):
        """POST a server action; returns the request id. Never retried blindly (see Transport.call())."""
        response = self.request('POST', '/servers/%s/action' % quote(server_id, safe=''), body=body, safe=False)
        return response.request_id

    def instance_actions(self, server_id):
        """The server's instance actions (newest first), or [] when the cloud does not show them."""
        try:
            body = self.get('/servers/%s/os-instance-actions' % quote(server_id, safe=''))
        except (ApiError, AuthError) as exc:
            if exc.status in (403, 404):
                return []
            raise
        actions = body.get('instanceActions') if isinstance(body, dict) else None
        return [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []

    def instance_action(self, server_id, request_id):
        """One instance action with its events. Nova shows the events to project members only from
        microversion 2.51, so ask for it when no later one is configured, and fall back when refused."""
        path = '/servers/%s/os-instance-actions/%s' % (quote(server_id, safe=''), quote(request_id, safe=''))
        wanted = None if version_at_least(self.credentials.microversion, EVENTS_MICROVERSION) else '%d.%d' % EVENTS_MICROVERSION
        try:
            try:
                body = self.get(path, microversion=wanted)
            except ApiError as exc:
                if wanted is None or exc.status not in (400, 406):
                    raise
                body = self.get(path)
        except (ApiError, AuthError) as exc:
            if exc.status in (403, 404):
                return None
            raise
        action = body.get('instanceAction') if isinstance(body, dict) else None
        return action if isinstance(action, dict) else None

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

    def resize_flavors(self, server_id, page_size=PAGE_SIZE, source_flavor_id=None):
        """The flavors ECS allows `server_id` to be resized to (GET /v1/.../cloudservers/resize_flavors, paged); with
        `source_flavor_id`, those a server of that flavor may be resized to (the page takes instance_uuid,
        source_flavor_id or source_flavor_name to name the flavor whose targets are listed).

        Raises ApiError/AuthError as the cloud answers; NotOfferedError when the answer is no flavor list
        (plain Nova answers unknown /v1 paths with its version document, HTTP 300)."""
        path = self._ecs_path('/cloudservers/resize_flavors')
        source = {'source_flavor_id': source_flavor_id} if source_flavor_id else {'instance_uuid': server_id}

        def page(marker, limit):
            response = self.request('GET', path, params=dict(source, limit=limit, marker=marker), root=True)
            if response.status != 200 or not isinstance(response.body, dict) or not isinstance(response.body.get('flavors'), list):
                raise NotOfferedError('the cloud answered GET %s with HTTP %s and no "flavors" list' % (path, response.status))
            return response.body
        return [f for f in paginate(page, 'flavors', page_size) if f.get('id') is not None]

    def ecs_resize(self, server_id, flavor_id, dry_run=False, mode=None, dedicated_host_id=None):
        """POST the native resize (modifying_the_specifications_of_an_ecs.rst); returns (job_id, request_id).

        mode "withStopServer" (Swiss region) has the cloud stop and start a running server itself; dedicated_host_id is
        needed for a server on a dedicated host (change_history.rst, Ecs.0803). With dry_run the cloud only checks the
        request (202, no job). Never retried blindly (see Transport.call())."""
        resize = {'flavorRef': flavor_id}
        if mode:
            resize['mode'] = mode
        if dedicated_host_id:
            resize['dedicated_host_id'] = dedicated_host_id
        response = self.request('POST', self._ecs_path('/cloudservers/%s/resize' % quote(server_id, safe='')),
                                body={'resize': resize, 'dry_run': bool(dry_run)}, safe=False, root=True)
        return _job_of(response), response.request_id

    def ecs_power(self, server_id, action, stop_type='SOFT'):
        """POST os-stop or os-start for one server (stopping_ecss_in_a_batch.rst, starting_ecss_in_a_batch.rst);
        returns (job_id, request_id). Never retried blindly."""
        body = {action: {'servers': [{'id': server_id}]}}
        if action == 'os-stop':
            body[action]['type'] = stop_type
        response = self.request('POST', self._ecs_path('/cloudservers/action'), body=body, safe=False, root=True)
        return _job_of(response), response.request_id

    def set_metadata(self, server_id, key, value):
        """PUT one metadata key of the server (modifying_ecs_metadata_with_a_specified_key.rst); the request id.
        Setting a key to a value is idempotent, so it is retried like a read."""
        response = self.request('PUT', '/servers/%s/metadata/%s' % (quote(server_id, safe=''), quote(key, safe='')),
                                body={'meta': {key: value}}, safe=True)
        return response.request_id

    def delete_metadata(self, server_id, key):
        """DELETE one metadata key of the server (deleting_specified_ecs_metadata.rst); the request id, None when the key
        was not there (any more). Idempotent, so retried like a read."""
        try:
            response = self.request('DELETE', '/servers/%s/metadata/%s' % (quote(server_id, safe=''), quote(key, safe='')), safe=True)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return response.request_id

    def get_job(self, job_id):
        """The job document of GET /v1/{project_id}/jobs/{job_id}."""
        body = self.get(self._ecs_path('/jobs/%s' % quote(job_id, safe='')), root=True)
        if not isinstance(body, dict):
            raise EcsError('the cloud answered GET /jobs/%s without a job document' % job_id)
        return body

    # -- fleet listings (the inventory plugin): filters at the API, one request per page -------------

    def list_servers_paged(self, query=None, page_size=PAGE_SIZE, microversion=None):
        """Every server of Nova's GET /servers/detail with the query parameters `query` (Nova's filters: `name`
        a regular expression, `status`, `tags`...), `page_size` per page (limit/marker): one request per page,
        the next one only when the answer links to it."""
        query = dict((k, v) for k, v in (query or {}).items() if v is not None)

        def page(marker, limit):
            params = dict(query, limit=limit)
            if marker:
                params['marker'] = marker
            return self.get('/servers/detail', params=params, microversion=microversion)
        return paginate(page, 'servers', page_size, more=has_next_link('servers'))

    def servers_detail(self, query=None, page_size=PAGE_SIZE):
        """(server documents, the Date header of the first answer, when its request went out: the transport's
        `sent_at`) of Nova's GET /servers/detail with the query parameters `query`, read as get_server() reads one
        server (SERVER_READ_MICROVERSION), following the next links.

        With `changes-since` (an ISO 8601 time) the cloud lists the servers updated at or after it, deleted ones with
        status DELETED (tests/nova/FINDINGS.md, "changes-since"). The Date header is the cloud's clock when it
        answered: what the next `changes-since` is made from (fleet.py)."""
        query = dict((k, v) for k, v in (query or {}).items() if v is not None)
        firsts = []

        def page(marker, limit):
            params = dict(query, limit=limit)
            if marker:
                params['marker'] = marker
            response = self._read_servers_response('/servers/detail', params=params)
            firsts.append((response.headers.get('date'), self.transport.sent_at))
            return response.body
        servers = paginate(page, 'servers', page_size, more=has_next_link('servers'))
        date, sent_at = firsts[0] if firsts else (None, None)
        return servers, date, sent_at

    ECS_LISTING_MAX_PAGES = 10000

    def ecs_list_servers(self, query=None, page_size=PAGE_SIZE):
        """Every server of ECS's GET /v1/{project_id}/cloudservers/detail with the query parameters `query` (`name`,
        `status`, `tags`...): `offset` is the page number (from 1), `count` in every answer the number of servers
        matching, so the listing stops on the last page without asking for an empty one.

        Raises NotOfferedError when the answer is no server list (plain Nova answers /v1 paths with HTTP 300)."""
        query = dict((k, v) for k, v in (query or {}).items() if v is not None)
        path = self._ecs_path('/cloudservers/detail')
        servers = []
        for offset in range(1, self.ECS_LISTING_MAX_PAGES + 1):
            response = self.request('GET', path, params=dict(query, limit=page_size, offset=offset), root=True)
            body = response.body
            if response.status != 200 or not isinstance(body, dict) or not isinstance(body.get('servers'), list):
                raise NotOfferedError('the cloud answered GET %s with HTTP %s and no "servers" list: it has no ECS API '
                                      '(use the Nova API)' % (path, response.status))
            page = [item for item in body['servers'] if isinstance(item, dict)]
            servers.extend(page)
            total = body.get('count')
            total = total if isinstance(total, int) and not isinstance(total, bool) else None
            if not page or (total is not None and len(servers) >= total) or (total is None and len(page) < page_size):
                break
        return servers


def _job_of(response):
    """The job id of a native request's answer. An answer that is no success (plain Nova answers every /v1 path with
    its version document, HTTP 300) is an ApiError: the request was not carried out."""
    if response.status >= 300:
        raise ApiError(response.status, message='the answer is HTTP %d, not a job' % response.status)
    answer = response.body if isinstance(response.body, dict) else {}
    job_id = answer.get('job_id')
    return job_id if isinstance(job_id, str) and job_id else None
