# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health checks: which targets, what an attempt means, how long to keep trying; the probes against local servers."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import threading

import pytest

from ansible.module_utils.six.moves import BaseHTTPServer

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import InputError
from ansible_collections.ecs_ops.compute.plugins.module_utils.health import (
    Target, attempt_timeout, http_probe, judge, run_check, summary, targets_of, tcp_probe,
)


def tcp(name='web-1', host='10.0.0.1', port=443):
    return Target(name, 'tcp', host=host, port=port)


def http(name='web-1', url='http://10.0.0.1/health', status=None):
    return Target(name, 'http', url=url, status=status)


# -- what is checked --------------------------------------------------------------------------------

@pytest.mark.parametrize('target, problem', [
    (tcp(), None),
    (http(), None),
    (http(url='https://x/'), None),
    (Target('', 'tcp', host='h', port=1), 'no name'),
    (Target('a', 'icmp'), 'kind must be one of tcp, http, got icmp'),
    (tcp(host=''), 'a tcp check needs a host'),
    (tcp(port=None), 'needs a port from 1 to 65535, got None'),
    (tcp(port=70000), 'needs a port from 1 to 65535, got 70000'),
    (http(url=None), 'an http check needs an http:// or https:// url, got none'),
    (http(url='ftp://x/'), 'got ftp://x/'),
])
def test_target_problems(target, problem):
    found = target.problem()
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_a_wrong_list_names_every_problem_and_checks_nothing():
    items = [dict(name='a', kind='tcp', host='h', port=1), dict(name='a', kind='tcp', host='h', port=2),
             dict(name='b', kind='http', url=None)]
    with pytest.raises(InputError) as caught:
        targets_of(items, timeout=0, interval=1, concurrency=0)
    text = caught.value.message
    for words in ('nothing was checked', 'timeout must be a positive number', 'concurrency must be at least 1',
                  'targets[1] (a): the name a is given twice (also targets[0])', 'targets[2] (b): an http check needs'):
        assert words in text


def test_items_keep_their_settings_and_get_the_defaults():
    found = targets_of([dict(name='a', kind='http', url='http://x/', status=None, validate_certs=None, host=None, port=None)],
                       timeout=5, interval=1, concurrency=1)
    assert (found[0].status, found[0].validate_certs) == ([200], True)


# -- what an attempt means --------------------------------------------------------------------------

@pytest.mark.parametrize('target, observed, healthy, detail', [
    (tcp(), dict(connected=True), True, '10.0.0.1:443 accepts connections'),
    (tcp(), dict(error='Connection refused'), False, '10.0.0.1:443 accepts no connection (Connection refused)'),
    (http(), dict(status=200), True, 'http://10.0.0.1/health answered 200'),
    (http(status=[200, 204]), dict(status=204), True, 'answered 204'),
    (http(), dict(status=503), False, 'http://10.0.0.1/health answered 503, expected 200'),
    (http(status=[200, 204]), dict(status=404), False, 'answered 404, expected 200 or 204'),
    (http(status=[300]), dict(status=300), True, 'answered 300'),
    (http(), dict(error='timed out'), False, 'http://10.0.0.1/health gave no answer (timed out)'),
])
def test_judge(target, observed, healthy, detail):
    found = judge(target, observed)
    assert found[0] is healthy and detail in found[1]


@pytest.mark.parametrize('interval, remaining, expected', [
    (5, 300, 10.0), (30, 300, 30), (5, 4, 4), (5, 0.2, 1.0), (5, -3, 1.0),
])
def test_attempt_timeout(interval, remaining, expected):
    assert attempt_timeout(interval, remaining) == expected


# -- the loop ---------------------------------------------------------------------------------------

class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def scripted(*observations, **kwargs):
    """A probe that answers the given observations in turn (the last one from then on), each taking `takes` seconds."""
    clock, takes = kwargs['clock'], kwargs.get('takes', 0.0)
    given = []

    def probe(target, seconds):
        given.append(seconds)
        clock.now += takes
        return observations[min(len(given) - 1, len(observations) - 1)]
    probe.given = given
    return probe


def test_healthy_at_the_first_attempt_sleeps_not_at_all():
    clock = Clock()
    result = run_check(http(), scripted(dict(status=200), clock=clock), timeout=60, interval=5, clock=clock, sleep=clock.sleep)
    assert result == dict(name='web-1', kind='http', healthy=True, attempts=1, elapsed=0.0,
                          msg='http check passed: http://10.0.0.1/health answered 200')
    assert clock.sleeps == []


def test_a_service_that_comes_up_late_is_tried_every_interval_until_it_answers():
    clock = Clock()
    probe = scripted(dict(error='Connection refused'), dict(error='Connection refused'), dict(connected=True), clock=clock)
    result = run_check(tcp(), probe, timeout=60, interval=5, clock=clock, sleep=clock.sleep)
    assert result['healthy'] is True and result['attempts'] == 3 and result['elapsed'] == 10.0
    assert clock.sleeps == [5, 5]


def test_gives_up_at_the_timeout_with_what_the_last_attempt_showed():
    clock = Clock()
    probe = scripted(dict(status=502), dict(status=404), clock=clock, takes=1.0)
    result = run_check(http(), probe, timeout=10, interval=3, clock=clock, sleep=clock.sleep)
    assert result['healthy'] is False
    assert result['msg'] == 'http check: http://10.0.0.1/health answered 404, expected 200 (4 attempts in 11 s)'
    # the last sleep is cut to what is left, and one last attempt made at the timeout (waiting a second at most);
    # each attempt waits at most what is left
    assert clock.sleeps == [3, 3, 1.0] and clock.now == 11.0
    assert probe.given == [10.0, 6.0, 2.0, 1.0]


def test_summary():
    good = dict(name='a', healthy=True, msg='ok')
    bad = dict(name='b', healthy=False, msg='tcp check: h:1 accepts no connection (refused) (3 attempts in 2 s)')
    assert summary([good]) == '1 of 1 target healthy'
    assert summary([good, bad]) == '1 of 2 targets unhealthy: b: tcp check: h:1 accepts no connection (refused) (3 attempts in 2 s)'
    many = [dict(bad, name='s%d' % n) for n in range(12)]
    assert summary(many).endswith('; and 2 more')


# -- the probes, against servers on this machine ----------------------------------------------------

def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_tcp_probe_connects_or_says_why_not():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(4)
    try:
        assert tcp_probe(tcp(host='127.0.0.1', port=listener.getsockname()[1]), 2) == dict(connected=True)
    finally:
        listener.close()
    refused = tcp_probe(tcp(host='127.0.0.1', port=closed_port()), 2)
    assert 'refused' in refused['error'].lower()


@pytest.fixture
def web():
    """A local HTTP server: /ok answers 200, /redirect redirects to /ok, anything else 503."""
    class Handler(BaseHTTPServer.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            if self.path == '/redirect':
                self.send_response(302)
                self.send_header('Location', '/ok')
            else:
                self.send_response(200 if self.path == '/ok' else 503)
            self.send_header('Content-Length', '0')
            self.end_headers()

        def log_message(self, *args):
            pass

    server = BaseHTTPServer.HTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_http_probe_reads_the_status_follows_a_redirect_and_says_why_there_was_no_answer(web):
    assert http_probe(http(url=web + '/ok'), 5) == dict(status=200)
    assert http_probe(http(url=web + '/down'), 5) == dict(status=503)
    assert http_probe(http(url=web + '/redirect'), 5) == dict(status=200)
    refused = http_probe(http(url='http://127.0.0.1:%d/' % closed_port()), 5)
    assert 'refused' in refused['error'].lower()
