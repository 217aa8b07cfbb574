# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP for every call of the collection: one session, one retry loop, one pagination helper.

Nothing here knows Keystone, Nova or ECS: the caller passes the URL, and a function that adds the
authentication headers (identity.py); the resources are in compute.py.
"""

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
    from urllib.parse import urlsplit, quote
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore
    from urllib import quote  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import (
    AmbiguousRequestError, ApiError, EcsError, TransportError, error_in_body, parse_error_body, parse_retry_after,
)

USER_AGENT = 'ecs_ops.compute'
RETRY_STATUSES = (500, 502, 503, 504)
MAX_PAGES = 1000


class RetryPolicy(object):
    """How often and how long to retry a request that can safely be repeated.

    Transport errors and 5xx answers are retried `attempts - 1` times with jittered exponential backoff.
    Throttled answers (429, 413 with Retry-After, or a throttle code of the cloud) are retried for as long
    as `rate_limit_budget` seconds of waiting allow: a busy project throttles every client, and giving up
    after a few tries would fail a fleet resize that only had to wait its turn.
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


class Response(object):
    """The parts of an HTTP answer the callers use."""

    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers

    @property
    def request_id(self):
        return self.headers.get('x-openstack-request-id') or self.headers.get('x-compute-request-id') or self.headers.get('x-request-id')


def with_query(url, params):
    """`url` with the non-None `params` as a query string (sorted, every character but unreserved ones quoted)."""
    query = '&'.join('%s=%s' % (quote(str(k), safe=''), quote(str(v), safe=''))
                     for k, v in sorted((params or {}).items()) if v is not None)
    return '%s?%s' % (url, query) if query else url


def path_of(url):
    return urlsplit(url).path


class TlsSetupError(TransportError):
    """The TLS connection cannot be set up with these settings (the server's certificate, the client certificate, a TLS
    file): nothing was sent, and trying again cannot help."""


# What the TLS library says (OpenSSL's reason codes, alerts of the server), and what it means for the user.
_SERVER_NOT_VERIFIED = ('certificate_verify_failed', 'certificate verify failed')
_CLIENT_CERT_REQUIRED = ('certificate_required', 'certificate required')
_CLIENT_CERT_REFUSED = ('unknown_ca', 'unknown ca', 'bad_certificate', 'bad certificate', 'certificate_unknown',
                        'certificate unknown', 'certificate_expired', 'certificate expired', 'access_denied', 'access denied',
                        'unsupported_certificate', 'unsupported certificate')
_CLIENT_CERT_UNUSABLE = ('key_values_mismatch', 'key values mismatch', 'pem lib', 'pem_lib', 'no start line', 'bad decrypt')
_HANDSHAKE_CLOSED = ('eof occurred', 'unexpected eof', 'handshake_failure', 'handshake failure')


def tls_error(netloc, reason, client_cert=None):
    """The error to raise for a failed TLS connection to `netloc`: a TlsSetupError saying what to set where the reason
    tells (server not verified, client certificate required, refused or unusable), else a TransportError."""
    lowered = reason.lower()
    cert = client_cert[0] if isinstance(client_cert, (tuple, list)) else client_cert

    def has(words):
        return any(word in lowered for word in words)
    if has(_SERVER_NOT_VERIFIED):
        return TlsSetupError('TLS verification of %s failed (%s); set ca_cert, or validate_certs=false to skip it' % (netloc, reason))
    if has(_CLIENT_CERT_UNUSABLE):
        return TlsSetupError('cannot use the TLS client certificate %s (%s): check client_cert and client_key (the key must be '
                             'the certificate\'s, in PEM, without a passphrase)' % (cert, reason))
    if has(_CLIENT_CERT_REQUIRED) and not cert:
        return TlsSetupError('%s requires a TLS client certificate (%s): set client_cert (and client_key)' % (netloc, reason))
    if has(_CLIENT_CERT_REQUIRED + _CLIENT_CERT_REFUSED) and cert:
        return TlsSetupError('%s refused the TLS client certificate %s (%s): check that client_cert is valid and issued by a CA '
                             'the cloud trusts' % (netloc, cert, reason))
    if has(_HANDSHAKE_CLOSED):
        hint = ('the cloud may have refused the client certificate %s; check client_cert' % cert if cert else
                'if the cloud requires a client certificate, set client_cert (and client_key)')
        return TransportError('the TLS handshake with %s failed (%s): %s' % (netloc, reason, hint))
    return TransportError('the TLS connection to %s failed (%s)' % (netloc, reason))


class Transport(object):
    """One requests session for one set of TLS settings, and the retry loop every request goes through.

    `verify` is what requests takes (True, False or a CA bundle path), `cert` a client certificate (a path, or a
    (cert, key) pair) or None; it is presented on every request, Keystone's included. `calls` counts the HTTP requests
    sent, `retries` the pauses before a retry.
    """

    @classmethod
    def for_credentials(cls, credentials, **kwargs):
        """The transport for the credentials' TLS settings (verify, client certificate) and api_timeout."""
        return cls(verify=credentials.verify, cert=credentials.client_certificate, timeout=credentials.api_timeout, **kwargs)

    def __init__(self, verify=True, cert=None, timeout=30, session=None, sleep=time.sleep, retry=None):
        if not HAS_REQUESTS and session is None:
            raise EcsError('the python library requests is required')
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        self.verify = verify
        self.cert = cert
        self.timeout = timeout
        self.sleep = sleep
        self.retry = retry or RetryPolicy()
        self.calls = 0
        self.retries = 0

    def close(self):
        self.session.close()

    def send(self, method, url, payload=None, headers=None):
        """One HTTP exchange. Raises TransportError without an answer, ApiError on an error answer."""
        self.calls += 1
        options = dict(data=payload, headers=headers, timeout=self.timeout, verify=self.verify)
        if self.cert:
            options['cert'] = self.cert
        try:
            answer = self.session.request(method, url, **options)
        except requests.exceptions.SSLError as exc:
            raise tls_error(urlsplit(url).netloc, _reason(exc), self.cert)
        except requests.exceptions.Timeout:
            raise TransportError('no answer from %s within %s s (api_timeout)' % (urlsplit(url).netloc, self.timeout))
        except requests.exceptions.RequestException as exc:
            raise TransportError('cannot reach %s: %s' % (urlsplit(url).netloc, _reason(exc)))
        except (IOError, OSError) as exc:  # requests looks for the CA bundle and the client certificate files first
            raise TlsSetupError('cannot use the TLS settings for %s: %s; check ca_cert, client_cert and client_key'
                                % (urlsplit(url).netloc, exc))
        headers = dict((k.lower(), v) for k, v in answer.headers.items())
        text = answer.text
        request_id = headers.get('x-openstack-request-id')
        if answer.status_code >= 400:
            code, message = parse_error_body(answer.status_code, text, headers.get('content-type'))
            raise ApiError(answer.status_code, code=code, message=message, request_id=request_id,
                           retry_after=parse_retry_after(headers.get('retry-after')), method=method, url=path_of(url))
        parsed = None
        if text.strip():
            try:
                parsed = json.loads(text)
            except ValueError:
                raise ApiError(answer.status_code, message='the answer is not JSON: %s' % parse_error_body(answer.status_code, text, 'text/html')[1],
                               method=method, url=path_of(url))
        error = error_in_body(parsed)
        if error is not None:
            raise ApiError(answer.status_code, code=error[0], message=error[1], request_id=request_id,
                           retry_after=parse_retry_after(headers.get('retry-after')), method=method, url=path_of(url))
        return Response(answer.status_code, parsed, headers)

    def call(self, method, url, body=None, params=None, headers=None, safe=None, reauthenticate=None):
        """A request, retried as far as it safely can be; returns the Response.

        headers: a function of (method, url, payload) giving the request's headers (called for every attempt:
        a signature carries the time, a token may be renewed); reauthenticate: a function called after a 401,
        returning True when it got new credentials (the request is then sent once more).
        Safe requests (GET by default) are retried on transport errors and 5xx answers. Every request, safe or
        not, is retried when the cloud throttled it (it did not act then). An unsafe one that got no answer or a
        5xx raises AmbiguousRequestError: it may or may not have been carried out, and only the caller can look.
        """
        safe = method in ('GET', 'HEAD') if safe is None else safe
        url = with_query(url, params)
        payload = json.dumps(body) if body is not None else None
        attempt, throttled_for = 0, 0.0
        while True:
            attempt += 1
            try:
                return self.send(method, url, payload, headers(method, url, payload) if headers else None)
            except ApiError as exc:
                if exc.status == 401 and reauthenticate is not None and reauthenticate():
                    continue
                if exc.throttled and throttled_for < self.retry.rate_limit_budget:
                    throttled_for += self._pause(attempt, exc.retry_after)
                    continue
                if safe and exc.status in RETRY_STATUSES and attempt < self.retry.attempts:
                    self._pause(attempt, exc.retry_after)
                    continue
                if not safe and exc.status >= 500 and exc.status != 501:  # 501: not carried out (OTC: Ecs.0603, busy)
                    raise AmbiguousRequestError('%s %s may or may not have been carried out: %s' % (method, path_of(url), exc.message),
                                                status=exc.status, code=exc.code)
                raise
            except TlsSetupError:
                raise  # nothing was sent, and the same settings fail the same way again
            except TransportError as exc:
                if safe and attempt < self.retry.attempts:
                    self._pause(attempt, None)
                    continue
                if not safe:
                    raise AmbiguousRequestError('%s %s may or may not have been carried out: %s' % (method, path_of(url), exc.message))
                raise

    def _pause(self, attempt, retry_after):
        """Sleep before a retry; returns the seconds slept."""
        self.retries += 1
        delay = self.retry.delay(attempt, retry_after)
        self.sleep(delay)
        return delay


def paginate(fetch, key, page_size=None, more=None):
    """Every item of a listing that pages with limit/marker, in order.

    fetch(marker, limit) returns the answer body of one page (marker None for the first); `key` names its list.
    The next page is asked when `more(body, page)` says so (default: a full page of `page_size`), with the id
    of the last item as marker. Raises EcsError when an answer has no such list."""
    items, marker = [], None
    for dummy in range(MAX_PAGES):
        body = fetch(marker, page_size)
        page = body.get(key) if isinstance(body, dict) else None
        if not isinstance(page, list):
            raise EcsError('the cloud answered without a "%s" list' % key)
        page = [item for item in page if isinstance(item, dict)]
        items.extend(page)
        if not page or page[-1].get('id') is None:
            break
        if not (more(body, page) if more is not None else page_size and len(page) >= page_size):
            break
        marker = page[-1]['id']
    return items


def has_next_link(key):
    """A `more` test for paginate(): the answer lists a `<key>_links` entry with rel=next (Nova's servers and flavors)."""
    def more(body, page):
        links = body.get('%s_links' % key) or []
        return any(isinstance(link, dict) and link.get('rel') == 'next' for link in links)
    return more


def _reason(exc):
    text = str(exc)
    # requests wraps urllib3 errors in long reprs; the last part says what happened
    for marker in ('Caused by ', 'Failed to establish a new connection: '):
        if marker in text:
            text = text.rsplit(marker, maxsplit=1)[-1]
    return text.strip('()\'" ')[:200]
