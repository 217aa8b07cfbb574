# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health checks of the health_check module: which targets, what an answer means, how long to keep trying.

A target is healthy as soon as one attempt succeeds (TCP: the port accepts a connection; HTTP: a GET answers with one of
the expected status codes), unhealthy when none did within the timeout. `run_check` is the loop, given the probe, a
clock and a sleep, so that it is tested without a network; `tcp_probe` and `http_probe` are the probes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import time

from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.urls import open_url

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import InputError

KINDS = ('tcp', 'http')
# One attempt waits this long for an answer at most (and never less than a second), within the check's timeout.
ATTEMPT_TIMEOUT = 10.0
# how many problems one message names before it says "and N more"
MAX_NAMED = 10


class Target(object):
    """One thing to check: `name` (how results name it), `kind` (tcp or http) and where."""

    def __init__(self, name, kind, host=None, port=None, url=None, status=None, validate_certs=True):
        self.name = name
        self.kind = kind
        self.host = host
        self.port = port
        self.url = url
        self.status = list(status) if status else [200]
        self.validate_certs = validate_certs

    @classmethod
    def from_item(cls, item):
        return cls(**dict((key, value) for key, value in item.items() if value is not None))

    def problem(self):
        """What keeps this target from being checked, in one sentence; None when it can be."""
        if not (self.name or '').strip():
            return 'no name: give each target a name'
        if self.kind not in KINDS:
            return 'kind must be one of %s, got %s' % (', '.join(KINDS), self.kind)
        if self.kind == 'tcp':
            if not (self.host or '').strip():
                return 'a tcp check needs a host'
            if not isinstance(self.port, int) or not 0 < self.port < 65536:
                return 'a tcp check needs a port from 1 to 65535, got %s' % self.port
        if self.kind == 'http' and not (self.url or '').strip().lower().startswith(('http://', 'https://')):
            return 'an http check needs an http:// or https:// url, got %s' % (self.url or 'none')
        return None

    @property
    def where(self):
        return self.url if self.kind == 'http' else '%s:%s' % (self.host, self.port)


def targets_of(items, timeout, interval, concurrency):
    """The Targets of the module's `targets` option; raises InputError naming every problem (nothing is checked then)."""
    problems = []
    if timeout is None or timeout <= 0:
        problems.append('timeout must be a positive number of seconds, got %s' % timeout)
    if interval is None or interval <= 0:
        problems.append('interval must be a positive number of seconds, got %s' % interval)
    if concurrency is None or concurrency < 1:
        problems.append('concurrency must be at least 1, got %s' % concurrency)
    targets, seen = [], {}
    for index, item in enumerate(items or []):
        target = Target.from_item(item)
        label = 'targets[%d] (%s)' % (index, target.name) if target.name else 'targets[%d]' % index
        problem = target.problem()
        if problem:
            problems.append('%s: %s' % (label, problem))
        elif target.name in seen:
            problems.append('%s: the name %s is given twice (also targets[%d])' % (label, target.name, seen[target.name]))
        else:
            seen[target.name] = index
        targets.append(target)
    if problems:
        more = len(problems) - MAX_NAMED
        raise InputError('nothing was checked: %s%s' % ('; '.join(problems[:MAX_NAMED]), '; and %d more' % more if more > 0 else ''))
    return targets


def judge(target, observed):
    """(healthy, what the attempt showed) for one attempt's observation: dict(status=<HTTP status>) or dict(error=text),
    for tcp dict(connected=True) or dict(error=text)."""
    error = observed.get('error')
    if target.kind == 'tcp':
        if observed.get('connected'):
            return True, '%s accepts connections' % target.where
        return False, '%s accepts no connection (%s)' % (target.where, error or 'no answer')
    status = observed.get('status')
    if status is None:
        return False, '%s gave no answer (%s)' % (target.where, error or 'no answer')
    if status in target.status:
        return True, '%s answered %s' % (target.where, status)
    return False, '%s answered %s, expected %s' % (target.where, status, ' or '.join(str(s) for s in target.status))


def attempt_timeout(interval, remaining):
    """How long one attempt may wait for an answer: at least a second, at most ATTEMPT_TIMEOUT (or the interval if
    longer), never past the check's timeout by more than that second."""
    return max(1.0, min(max(ATTEMPT_TIMEOUT, interval), remaining))


def run_check(target, probe, timeout, interval, clock=time.monotonic, sleep=time.sleep):
    """Try `target` until an attempt succeeds or `timeout` seconds have passed, `interval` seconds apart.
    probe(target, seconds) -> observation (see judge). Returns the target's result."""
    started = clock()
    attempts = 0
    while True:
        attempts += 1
        healthy, detail = judge(target, probe(target, attempt_timeout(interval, timeout - (clock() - started))))
        elapsed = clock() - started
        if healthy:
            return _result(target, True, '%s check passed: %s' % (target.kind, detail), attempts, elapsed)
        remaining = timeout - elapsed
        if remaining <= 0:
            return _result(target, False, '%s check: %s (%d attempt%s in %d s)'
                           % (target.kind, detail, attempts, '' if attempts == 1 else 's', round(elapsed)), attempts, elapsed)
        sleep(min(interval, remaining))


def _result(target, healthy, msg, attempts, elapsed):
    return dict(name=target.name, kind=target.kind, healthy=healthy, msg=msg, attempts=attempts, elapsed=round(elapsed, 3))


def summary(results):
    """One line about all the targets: which ones are unhealthy and why, or that all are healthy."""
    bad = [r for r in results if not r['healthy']]
    if not bad:
        return '%d of %d target%s healthy' % (len(results), len(results), '' if len(results) == 1 else 's')
    named = ['%s: %s' % (r['name'], r['msg']) for r in bad[:MAX_NAMED]]
    more = len(bad) - len(named)
    noun = 'target' if len(results) == 1 else 'targets'
    return '%d of %d %s unhealthy: %s%s' % (len(bad), len(results), noun, '; '.join(named), '; and %d more' % more if more else '')


# -- the probes (network) ---------------------------------------------------------------------------

def tcp_probe(target, seconds):
    """Open and close a TCP connection to the target."""
    try:
        connection = socket.create_connection((target.host, target.port), timeout=seconds)
    except (OSError, socket.error) as exc:
        return dict(error=_reason(exc))
    connection.close()
    return dict(connected=True)


def http_probe(target, seconds):
    """GET the target's url (redirects of a GET followed); the status it answered, or why there was no answer."""
    try:
        response = open_url(target.url, method='GET', timeout=seconds, validate_certs=target.validate_certs,
                            follow_redirects='safe', http_agent='ecs_ops.compute health_check')
    except HTTPError as exc:
        status = exc.code
        exc.close()
        return dict(status=status)
    except URLError as exc:
        return dict(error=_reason(exc.reason if exc.reason is not None else exc))
    except Exception as exc:  # pylint: disable=broad-except
        # timeouts, TLS and connection errors surface as several types depending on where they happen
        return dict(error=_reason(exc))
    try:
        return dict(status=response.getcode())
    finally:
        response.close()


PROBES = {'tcp': tcp_probe, 'http': http_probe}


def _reason(exc):
    text = str(getattr(exc, 'strerror', None) or exc or '').strip()
    return text or type(exc).__name__
