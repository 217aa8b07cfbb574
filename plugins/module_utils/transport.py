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
import threading
import time
from collections import deque

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
# Pacers shared by the transports of one project in this process: (endpoint host, project id) -> ProjectPacer.
_PACERS = {}
_PACERS_LOCK = threading.Lock()


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


class ProjectPacer(object):
    """The pace of the requests of one project, shared by every transport (every thread of a batch) that sends them.

    Clouds throttle per project (OTC: 429 Common.1503, 202 Common.0024), so the threads of a batch must slow down
    together, and before they are throttled again. The pacer lets everything through until the cloud says how fast it
    may be asked:

    - a throttled answer pauses every request of the project until its Retry-After (a request already waiting for
      its slot waits for the pause too), and sets the pace to what got through of the requests sent in the `window`
      seconds before it (times `margin`; the answers still on their way then raise it);
    - the pace is a token bucket of one `window`: a slot every 1/pace seconds, and after a pause up to a window's
      worth at once, as the cloud let through before it throttled (a limiter refills while nobody sends);
    - the pace grows only while it is what holds the batch back (requests wait for their slots): a pace nobody
      needs is never tested. A pace that went `recover_after` seconds without a throttle is `proven`, and once it
      holds requests back the pace probes above it: `recover` times the first time, then in steps that double (1.1,
      1.2, 1.4 ...) up to `regain` for as long as the probes get through, so a throttle that is over (another
      client's burst, a limit lifted) does not hold the batch back for long;
    - a throttle of a probe (a pace above the proven one) takes the pace back to the proven one, and the next probe
      waits twice as long (up to `probe_max` seconds; a probe that gets through halves the wait again): a steady
      limit is probed ever more rarely. A throttle at the proven pace or below lowers the pace (times `decrease`):
      the limit itself is lower now;
    - rate-limit headers set the pace directly (`RateLimit-Policy: 10;w=1`, or `RateLimit-Limit`/`X-RateLimit-Limit`
      with a window), and a `RateLimit-Remaining`/`X-RateLimit-Remaining` of 0 pauses until `...-Reset` (seconds);
      an announced pace is kept, not probed.

    `wait_turn()` blocks until a request may be sent; `answered()` is told what came back. Thread-safe; `clock` and
    `sleep` are given (tests drive it without waiting)."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep, window=1.0, margin=0.9, decrease=0.7, min_rate=0.2,
                 recover_after=1.0, recover=1.1, regain=1.5, probe_max=120.0):
        self.clock = clock
        self.sleep = sleep
        self.window = window
        self.margin = margin
        self.decrease = decrease
        self.min_rate = min_rate
        self.recover_after = recover_after
        self.recover = recover
        self.regain = regain
        self.probe_max = probe_max
        self._step = recover               # the next probe: the pace times this
        self._probe_after = recover_after  # seconds without a throttle before the pace is probed
        self.proven = None       # the pace before the last probe: it went `recover_after` s or more without a throttle
        self.announced = False   # the pace is the one the cloud's rate-limit headers give: it is not probed
        self.rate = None         # requests per second; None: no pace known, nothing is held back
        self.resume_at = None    # nobody sends before this (Retry-After, Reset)
        self.throttled = 0       # throttled answers seen
        self.waited = 0.0        # seconds requests were held back
        self._lock = threading.Lock()
        self._next_slot = None   # the bucket: the slot after the last one given (empty when it is a window ahead)
        self._ok_sent = deque()  # send times of the requests that got through, for a few windows
        self._measured = None    # (from, to): the window the pace was measured in
        self._paced_at = None    # when the pace was last set by a throttle
        self._calm_since = None  # since when the pace has neither been throttled nor changed
        self._held_at = None     # when the pace last held a request back
        self._pauses = 0         # pauses begun (Retry-After, Reset)

    def wait_turn(self):
        """Block until a request may be sent (a Retry-After has passed, and the pace leaves a slot); the send time."""
        while True:
            with self._lock:
                now = self.clock()
                paused = self.resume_at is not None and self.resume_at > now
                at = self.resume_at if paused else self._slot(now)
                pauses = self._pauses
            if at > now:
                self.waited += at - now
                self.sleep(at - now)
            if paused:
                continue  # the slots are given when the pause is over, at the pace known then
            with self._lock:
                if self._pauses == pauses:
                    return at
            # a pause began while this request waited for its slot: it waits for the pause too

    def _slot(self, now):
        """Under the lock: the time of the next slot from `now` (a token bucket holding one window), taken."""
        self._grow_back(now)
        if not self.rate:
            return now
        interval = 1.0 / self.rate
        due = self._next_slot if self._next_slot is not None else now
        at = max(now, due - max(0.0, self.window - interval))
        if at > now:
            self._held_at = now
        self._next_slot = max(due, at) + interval
        return at

    def answered(self, sent_at, throttled=False, retry_after=None, headers=None):
        """What came back for a request sent at `sent_at` (wait_turn's time): learn the pace from it."""
        with self._lock:
            now = self.clock()
            sent_at = now if sent_at is None else sent_at
            self._from_headers(now, headers or {})
            if not throttled:
                self._ok_sent.append(sent_at)
                while self._ok_sent and self._ok_sent[0] < now - 4 * self.window:
                    self._ok_sent.popleft()
                if self._measured is not None and self._measured[0] <= sent_at <= self._measured[1]:
                    # an answer to a request sent in the window the pace was measured in: it got through too
                    self.rate = max(self.rate, self._through(*self._measured))
                return
            self.throttled += 1
            if retry_after:
                self._pause_until(now, now + retry_after)
            if self._paced_at is not None and sent_at < self._paced_at:
                return  # sent before the pace was last set: says nothing about the pace
            self._calm_since = self._paced_at = now
            self._step = self.recover
            if self.rate is None:
                self._measured = (now - self.window, now)
                self.rate = self._through(*self._measured)
            elif self.proven is not None and self.rate > self.proven:
                self._measured = None
                self.rate = self.proven  # a probe: back to the proven pace, and the next probe waits twice as long
                self._probe_after = min(self.probe_max, self._probe_after * 2)
            else:
                self._measured = None
                self.rate = max(self.min_rate, self.rate * self.decrease)
                self.proven = None  # the limit is lower than the pace that was proven

    def binding(self):
        """The pace while it holds requests back (it is what limits them), else None."""
        with self._lock:
            return self.rate if self._holding(self.clock()) else None

    def _holding(self, now):
        """Whether the pace holds requests back: it held one back a window ago at most (or two slots, if longer)."""
        return bool(self.rate) and self._held_at is not None and now - self._held_at <= max(self.window, 2.0 / self.rate)

    def _pause_until(self, now, until):
        """Nobody sends before `until`; after it, a window's worth at once. The requests waiting for a slot when a
        pause begins wait for it too (and take new slots after it); the further answers of the same burst only make
        the pause in force longer."""
        if self.resume_at is None or self.resume_at <= now:
            self._pauses += 1
            self.resume_at = until
        else:
            self.resume_at = max(self.resume_at, until)
        self._next_slot = self.resume_at

    def _through(self, start, end):
        """The pace that got through between `start` and `end` (send times), less the margin."""
        got = len([t for t in self._ok_sent if start <= t <= end])
        return max(self.min_rate, got * self.margin / self.window)

    def _grow_back(self, now):
        if not self.rate or self._calm_since is None or self.announced:
            return
        if not self._holding(now):
            return  # the pace holds nothing back: nothing says it may grow
        if now - max(self._calm_since, self.resume_at or 0.0) >= self._probe_after:
            # a pace that went that long without a throttle is fine, and it is too slow now: probe above it; a probe
            # that got through makes the next step bigger (up to `regain`) and come sooner
            if self.proven is not None and self.rate > self.proven:
                self._step = min(self.regain, 1.0 + 2.0 * (self._step - 1.0))
                self._probe_after = max(self.recover_after, self._probe_after / 2.0)
            self.proven = self.rate
            self.rate *= self._step
            self._calm_since = now

    def _from_headers(self, now, headers):
        policy = rate_limit_policy(headers)
        if policy is not None:
            self.rate = max(self.min_rate, policy * self.margin)
            self.announced = True
            self._calm_since = now
        remaining, reset = rate_limit_remaining(headers)
        if remaining == 0 and reset:
            self._pause_until(now, now + reset)


def _header_number(value):
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def rate_limit_policy(headers):
    """Requests per second a cloud announces in its rate-limit headers, or None. `headers`: lower-case names.

    `RateLimit-Policy: 10;w=1` (IETF draft httpapi-ratelimit-headers; several policies: the strictest), or
    `RateLimit-Limit`/`X-RateLimit-Limit` with a window in `...-Window`/`...-Policy`; a limit without a window says
    nothing about a rate."""
    rates = []
    for item in str(headers.get('ratelimit-policy') or '').split(','):
        quota, dummy, params = item.strip().partition(';')
        window = None
        for param in params.split(';'):
            key, dummy, value = param.strip().partition('=')
            if key.strip() == 'w':
                window = _header_number(value)
        quota = _header_number(quota.split('=')[-1]) if quota else None
        if quota and window:
            rates.append(quota / window)
    for prefix in ('ratelimit-', 'x-ratelimit-'):
        limit, window = _header_number(headers.get(prefix + 'limit')), _header_number(headers.get(prefix + 'window'))
        if limit and window:
            rates.append(limit / window)
    return min(rates) if rates else None


def rate_limit_remaining(headers):
    """(requests left, seconds until the window resets) from `RateLimit-Remaining`/`-Reset` or the `X-` forms."""
    for prefix in ('ratelimit-', 'x-ratelimit-'):
        remaining = _header_number(headers.get(prefix + 'remaining'))
        if remaining is not None:
            reset = _header_number(headers.get(prefix + 'reset'))
            # a reset far in the future is an epoch time (some gateways), not a delta
            if reset is not None and reset > 86400:
                reset = None
            return int(remaining), reset
    return None, None


def pacer_for(host, project_id):
    """The ProjectPacer of (compute endpoint host, project id) in this process: every batch thread gets the same."""
    key = (str(host or '').lower(), str(project_id or ''))
    with _PACERS_LOCK:
        pacer = _PACERS.get(key)
        if pacer is None:
            pacer = _PACERS[key] = ProjectPacer()
        return pacer


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

    def __init__(self, verify=True, cert=None, timeout=30, session=None, sleep=time.sleep, retry=None, pacer=None):
        if not HAS_REQUESTS and session is None:
            raise EcsError('the python library requests is required')
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        self.verify = verify
        self.cert = cert
        self.timeout = timeout
        self.sleep = sleep
        self.retry = retry or RetryPolicy()
        self.pacer = pacer  # a ProjectPacer shared with the other transports of the project, or None
        self.calls = 0
        self.retries = 0
        self.throttled = 0
        self.sent_at = None  # time.monotonic() when the last request went out (after any pacing)

    def close(self):
        self.session.close()

    def send(self, method, url, payload=None, headers=None):
        """One HTTP exchange. Raises TransportError without an answer, ApiError on an error answer."""
        pacer = self.pacer
        sent_at = pacer.wait_turn() if pacer is not None else None
        self.calls += 1
        self.sent_at = time.monotonic()
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
        try:
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
        except ApiError as exc:
            if exc.throttled:
                self.throttled += 1
            if pacer is not None:
                pacer.answered(sent_at, throttled=exc.throttled, retry_after=exc.retry_after, headers=headers)
            raise
        if pacer is not None:
            pacer.answered(sent_at, headers=headers)
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
