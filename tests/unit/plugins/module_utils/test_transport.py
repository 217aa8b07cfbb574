# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry loop and backoff policy of the transport, driven by a scripted session (no HTTP), through the compute API;
the client certificate on every request, and what a TLS failure means."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, AuthError, TransportError
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import (
    ProjectPacer, RetryPolicy, TlsSetupError, Transport, pacer_for, rate_limit_policy, rate_limit_remaining, tls_error,
)


class Answer(object):
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self.text = json.dumps(body) if isinstance(body, (dict, list)) else (body or '')
        self.headers = headers or {}


class ScriptedSession(object):
    """Plays back answers (or raises exceptions) in order and records the requests made."""

    def __init__(self, script):
        self.script = list(script)
        self.headers = {}
        self.sent = []

    def request(self, method, url, **kwargs):
        self.sent.append((method, url))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def client(script, rand=lambda: 0.5, **policy):
    creds = Credentials('token', token='tok', compute_endpoint='https://ecs.example.com/v2.1/p1', project_id='p1')
    slept = []
    session = ScriptedSession(script)
    return ComputeApi(creds, Transport(session=session, sleep=slept.append, retry=RetryPolicy(rand=rand, **policy))), session, slept


SERVER = {'server': {'id': 's1', 'status': 'ACTIVE'}}


def test_backoff_grows_is_capped_and_jittered():
    policy = RetryPolicy(base=0.5, factor=2.0, cap=4.0, jitter=0.25, rand=lambda: 0.5)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    low, high = RetryPolicy(jitter=0.25, rand=lambda: 0.0), RetryPolicy(jitter=0.25, rand=lambda: 1.0)
    assert low.delay(2) == 0.75 and high.delay(2) == 1.25


def test_retry_after_is_a_floor_and_spreads_clients():
    policy = RetryPolicy(base=0.5, jitter=0.25, rand=lambda: 0.0)
    assert policy.delay(1, retry_after=3) == 3
    assert RetryPolicy(jitter=0.25, rand=lambda: 1.0).delay(1, retry_after=3) == 3.75
    # a long backoff beats a short Retry-After
    assert policy.delay(5, retry_after=1) == 8.0


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_gets_are_retried_on_server_errors(status):
    http, session, slept = client([Answer(status, '<html>busy</html>'), Answer(status), Answer(200, SERVER)])
    assert http.get_server('s1')['status'] == 'ACTIVE'
    assert len(session.sent) == 3 and len(slept) == 2 and slept[0] < slept[1]


def test_gets_are_retried_on_connection_errors_then_give_up():
    http, session, slept = client([requests.exceptions.ConnectionError('refused')] * 3, attempts=3)
    with pytest.raises(Exception) as caught:
        http.get_server('s1')
    assert 'cannot reach ecs.example.com' in str(caught.value)
    assert len(session.sent) == 3 and len(slept) == 2


def test_rate_limits_are_waited_out_beyond_the_attempts_within_a_budget():
    limited = Answer(429, {'overLimit': {'message': 'slow down'}}, {'Retry-After': '2'})
    http, session, slept = client([limited] * 8 + [Answer(200, SERVER)], attempts=3)
    assert http.get_server('s1')['status'] == 'ACTIVE'
    assert len(slept) == 8 and all(s >= 2 for s in slept)
    http, session, slept = client([limited] * 50, attempts=3, rate_limit_budget=10)
    with pytest.raises(ApiError) as caught:
        http.get_server('s1')
    assert caught.value.status == 429 and 10 <= sum(slept) < 10 + 2 * 1.25 * 10


def test_a_rate_limited_post_is_sent_again_but_a_failed_one_never_blindly():
    limited = Answer(429, {'overLimit': {'message': 'slow down'}}, {'Retry-After': '1'})
    http, session, slept = client([limited, Answer(202, None, {'x-openstack-request-id': 'req-1'})])
    assert http.server_action('s1', {'resize': {'flavorRef': 'f'}}) == 'req-1'
    assert len(session.sent) == 2
    for failure in (Answer(502, 'bad gateway'), Answer(500, {'computeFault': {'message': 'oops'}}),
                    requests.exceptions.ConnectionError('reset by peer'), requests.exceptions.ReadTimeout('slow')):
        http, session, slept = client([failure, Answer(202)])
        with pytest.raises(AmbiguousRequestError):
            http.server_action('s1', {'resize': {'flavorRef': 'f'}})
        assert len(session.sent) == 1 and slept == []


def test_client_errors_are_not_retried():
    http, session, slept = client([Answer(409, {'conflictingRequest': {'message': 'locked'}})])
    with pytest.raises(ApiError) as caught:
        http.server_action('s1', {'resize': {'flavorRef': 'f'}})
    assert caught.value.status == 409 and caught.value.api_message == 'locked' and len(session.sent) == 1
    http, session, slept = client([Answer(403, {'forbidden': {'message': 'policy'}})])
    with pytest.raises(AuthError):
        http.get_server('s1')
    assert len(session.sent) == 1


def test_a_token_is_not_logged_in_again_and_a_401_says_what_to_check():
    http, session, slept = client([Answer(401, {'error': {'message': 'expired'}})])
    with pytest.raises(AuthError) as caught:
        http.get_server('s1')
    assert 'token' in caught.value.message and len(session.sent) == 1


def test_password_login_retries_rate_limits_and_relogs_once_on_401():
    creds = Credentials('password', auth_url='https://iam.example.com/v3', username='u', password='pw', project_name='p',
                        user_domain_name='Default')
    catalog = {'token': {'project': {'id': 'p1'}, 'catalog': [{'type': 'compute', 'endpoints': [
        {'interface': 'public', 'region_id': 'eu-de', 'url': 'https://ecs.example.com/v2.1/p1'}]}]}}
    script = [Answer(429, {'error': {'message': 'busy'}}, {'Retry-After': '1'}),
              Answer(201, catalog, {'X-Subject-Token': 't1'}),
              Answer(401, {'error': {'message': 'expired'}}),
              Answer(201, catalog, {'X-Subject-Token': 't2'}),
              Answer(200, SERVER)]
    slept = []
    session = ScriptedSession(script)
    http = ComputeApi(creds, Transport(session=session, sleep=slept.append, retry=RetryPolicy(rand=lambda: 0.0)))
    assert http.get_server('s1')['status'] == 'ACTIVE'
    assert http.identity.token == 't2' and http.identity.reauthentications == 1 and slept == [1.0]
    assert [m for m, u in session.sent] == ['POST', 'POST', 'GET', 'POST', 'GET']


THROTTLED_202 = Answer(202, {'error': {'code': 'Common.0024', 'message': 'Flow limit exceeded.', 'details': []}})


def test_a_2xx_answer_with_an_error_body_is_an_error_never_accepted():
    http, session, slept = client([THROTTLED_202] * 3, rate_limit_budget=1.0)
    with pytest.raises(ApiError) as caught:
        http.ecs_resize('s1', 'f')
    assert caught.value.status == 202 and caught.value.code == 'Common.0024' and caught.value.throttled
    assert 'Flow limit exceeded' in caught.value.message


def test_a_throttled_202_is_waited_out_like_a_429_even_for_a_post():
    http, session, slept = client([THROTTLED_202, THROTTLED_202, Answer(202, {'job_id': 'job-1'})])
    assert http.ecs_resize('s1', 'f')[0] == 'job-1'
    assert len(session.sent) == 3 and len(slept) == 2 and all(m == 'POST' for m, u in session.sent)


def test_a_failed_job_document_is_not_an_error_of_the_request():
    job = {'status': 'FAIL', 'job_id': 'j', 'error_code': 'Ecs.0319', 'fail_reason': 'no capacity'}
    http, session, slept = client([Answer(200, job)])
    assert http.get_job('j')['error_code'] == 'Ecs.0319'


def test_paginate_follows_markers_and_stops_on_a_short_or_empty_page():
    from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import paginate
    items = [{'id': str(n)} for n in range(7)]
    asked = []

    def fetch(marker, limit):
        asked.append(marker)
        start = int(marker) + 1 if marker is not None else 0
        return {'things': items[start:start + limit]}
    assert paginate(fetch, 'things', page_size=3) == items and asked == [None, '2', '5']
    asked[:] = []
    assert paginate(fetch, 'things', page_size=7) == items and asked == [None, '6']
    with pytest.raises(Exception, match='"things" list'):
        paginate(lambda marker, limit: {'other': []}, 'things', page_size=3)


# ------------------------------------------------------------------ TLS: client certificates and what a failure means

CERT = ('/tls/client.crt', '/tls/client.key')


@pytest.mark.parametrize('reason, cert, cls, expected', [
    ("SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed", None,
     TlsSetupError, 'TLS verification of iam:443 failed ('),
    ("SSLError(SSLError(1, '[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required", None,
     TlsSetupError, 'iam:443 requires a TLS client certificate ('),
    ("SSLError(SSLError(1, '[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca", CERT,
     TlsSetupError, 'iam:443 refused the TLS client certificate /tls/client.crt ('),
    ("SSLError(SSLError(1, '[SSL: SSLV3_ALERT_BAD_CERTIFICATE] sslv3 alert bad certificate", '/tls/both.pem',
     TlsSetupError, 'iam:443 refused the TLS client certificate /tls/both.pem ('),
    ("SSLError(SSLError(1, '[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required", CERT,
     TlsSetupError, 'iam:443 refused the TLS client certificate /tls/client.crt ('),
    ("SSLError(SSLError(116, '[X509: KEY_VALUES_MISMATCH] key values mismatch", CERT,
     TlsSetupError, 'cannot use the TLS client certificate /tls/client.crt ('),
    ("SSLError(SSLError(9, '[SSL] PEM lib", CERT, TlsSetupError, 'cannot use the TLS client certificate /tls/client.crt ('),
    ("SSLError(SSLEOFError(8, 'EOF occurred in violation of protocol", None,
     TransportError, 'if the cloud requires a client certificate, set client_cert (and client_key)'),
    ("SSLError(SSLEOFError(8, 'EOF occurred in violation of protocol", CERT,
     TransportError, 'the cloud may have refused the client certificate /tls/client.crt; check client_cert'),
    ("SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number", None,
     TransportError, 'the TLS connection to iam:443 failed ('),
], ids=['server-not-verified', 'cert-required', 'unknown-ca', 'bad-certificate', 'required-although-given', 'key-mismatch',
        'pem-lib', 'eof-without-cert', 'eof-with-cert', 'other'])
def test_what_a_tls_failure_means(reason, cert, cls, expected):
    error = tls_error('iam:443', reason, cert)
    assert type(error) is cls  # pylint: disable=unidiomatic-typecheck
    assert expected in error.message, error.message


def test_the_client_certificate_goes_with_every_request_keystone_included():
    creds = Credentials('password', auth_url='https://iam.example.com/v3', username='u', password='pw', project_id='p1',
                        user_domain_name='D', client_cert='/tls/c.pem', client_key='/tls/k.pem', verify='/tls/ca.pem')
    catalog = {'token': {'project': {'id': 'p1'}, 'catalog': [{'type': 'compute', 'endpoints': [
        {'interface': 'public', 'region_id': 'eu-de', 'url': 'https://ecs.example.com/v2.1/p1'}]}]}}
    options = []

    class Session(ScriptedSession):
        def request(self, method, url, **kwargs):
            options.append((method, kwargs.get('cert'), kwargs.get('verify')))
            return super(Session, self).request(method, url, **kwargs)
    session = Session([Answer(201, catalog, {'X-Subject-Token': 't1'}), Answer(200, SERVER)])
    http = ComputeApi(creds, Transport.for_credentials(creds, session=session))
    assert http.get_server('s1')['status'] == 'ACTIVE'
    assert options == [('POST', CERT_PAIR, '/tls/ca.pem'), ('GET', CERT_PAIR, '/tls/ca.pem')]
    # without a client certificate, requests gets none
    creds.client_cert = creds.client_key = None
    assert Transport.for_credentials(creds, session=ScriptedSession([])).cert is None


CERT_PAIR = ('/tls/c.pem', '/tls/k.pem')


@pytest.mark.parametrize('failure', [
    requests.exceptions.SSLError("HTTPSConnectionPool(host='ecs.example.com', port=443): Max retries exceeded (Caused by "
                                 "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')))"),
    IOError('Could not find the TLS certificate file, invalid path: /tls/missing.pem'),
], ids=['not-verified', 'missing-file'])
def test_a_tls_setup_failure_is_not_retried_and_never_ambiguous(failure):
    http, session, slept = client([failure])
    with pytest.raises(TlsSetupError) as caught:
        http.get_server('s1')
    assert len(session.sent) == 1 and slept == []
    assert 'Traceback' not in caught.value.message
    http, session, slept = client([failure])
    with pytest.raises(TlsSetupError):  # a POST that could not even connect was not carried out
        http.server_action('s1', {'os-stop': None})
    assert len(session.sent) == 1
    if isinstance(failure, IOError) and not isinstance(failure, requests.exceptions.RequestException):
        assert caught.value.message == ('cannot use the TLS settings for ecs.example.com: Could not find the TLS certificate file, '
                                        'invalid path: /tls/missing.pem; check ca_cert, client_cert and client_key')


# -- the pace of a project, shared by the threads of a batch ----------------------------------------------------

class PacerClock(object):
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def pacer_with_clock(**options):
    clock = PacerClock()
    return ProjectPacer(clock=clock, sleep=clock.sleep, **options), clock


def test_a_pacer_holds_nothing_back_until_the_cloud_throttles():
    pacer, clock = pacer_with_clock()
    for dummy in range(50):
        sent = pacer.wait_turn()
        pacer.answered(sent)
    assert clock.slept == [] and pacer.rate is None and pacer.throttled == 0


def test_a_throttle_sets_the_pace_to_what_got_through_and_pauses_until_retry_after():
    pacer, clock = pacer_with_clock(margin=0.9, window=1.0)
    burst = [pacer.wait_turn() for dummy in range(20)]  # 20 requests at once
    for sent in burst[:8]:
        pacer.answered(sent)
    clock.now += 0.05
    pacer.answered(burst[8], throttled=True, retry_after=1.0)
    assert pacer.rate == pytest.approx(8 * 0.9) and pacer.throttled == 1
    # the other answers of the burst: two more got through (the pace goes up), the rest were throttled too, but
    # they were sent before the pace was set, so it does not go down again
    pacer.answered(burst[9])
    pacer.answered(burst[10])
    for sent in burst[11:]:
        pacer.answered(sent, throttled=True, retry_after=1.0)
    assert pacer.rate == pytest.approx(10 * 0.9) and pacer.throttled == 10
    # nobody sends before the Retry-After; then a window's worth at once (the cloud's limiter refilled during the
    # pause), then one request every 1/rate seconds
    start = clock.now
    times = [pacer.wait_turn() for dummy in range(12)]
    assert times[0] == pytest.approx(start + 1.0, abs=0.01)
    assert times[:9] == [pytest.approx(times[0])] * 9
    assert [round(b - a, 3) for a, b in zip(times[8:], times[9:])] == [round(1 / 9.0, 3)] * 3


def test_the_answers_of_one_burst_make_one_pause_and_the_slots_are_given_after_it():
    pacer, clock = pacer_with_clock(margin=1.0, window=1.0)
    burst = [pacer.wait_turn() for dummy in range(12)]
    for sent in burst[:4]:
        pacer.answered(sent)
    clock.now += 0.01
    pacer.answered(burst[4], throttled=True, retry_after=1.0)
    clock.now += 0.01
    pacer.answered(burst[5], throttled=True, retry_after=1.0)  # the same pause, told again 10 ms later
    assert pacer.resume_at == pytest.approx(clock.now + 1.0)
    # more answers of the burst that got through: the pace the slots are given at is the one known after the pause
    for sent in burst[6:10]:
        pacer.answered(sent)
    assert pacer.rate == pytest.approx(8.0)
    start = clock.now
    times = [pacer.wait_turn() for dummy in range(10)]
    assert times[:8] == [pytest.approx(start + 1.0)] * 8
    assert times[8] == pytest.approx(start + 1.0 + 1 / 8.0)


class InterruptingClock(PacerClock):
    """A clock whose sleep lets `during(clock)` happen while a request waits (another thread's answer)."""

    def __init__(self, during):
        super(InterruptingClock, self).__init__()
        self.during = during

    def sleep(self, seconds):
        PacerClock.sleep(self, seconds)
        during, self.during = self.during, None
        if during is not None:
            during(self)


def test_a_request_waiting_for_its_slot_waits_for_a_pause_that_began_meanwhile():
    pacer = None

    def throttled_meanwhile(clock):
        pacer.answered(clock.now - 0.01, throttled=True, retry_after=2.0)

    clock = InterruptingClock(throttled_meanwhile)
    pacer = ProjectPacer(clock=clock, sleep=clock.sleep, window=1.0)
    pacer.rate, pacer.proven = 2.0, 2.0
    pacer._paced_at = pacer._throttled_at = pacer._calm_since = clock.now
    for dummy in range(2):
        pacer.wait_turn()  # the bucket: two slots at once
    start = clock.now
    sent = pacer.wait_turn()  # its slot is 0.5 s ahead; a throttle 2 s long begins while it waits
    assert sent >= start + 0.5 + 2.0 - 0.01
    assert pacer.rate == pytest.approx(2.0 * 0.7)  # the throttled request was sent at the proven pace


def test_with_no_pace_nothing_is_held_back_and_the_slots_of_a_pace_come_in_a_bucket_of_one_window():
    pacer, clock = pacer_with_clock(window=2.0)
    assert [pacer.wait_turn() for dummy in range(5)] == [clock.now] * 5 and pacer.binding() is None
    pacer.rate = 2.0
    clock.now += 10.0
    start = clock.now
    times = [pacer.wait_turn() for dummy in range(6)]
    assert [round(t - start, 3) for t in times] == [0.0, 0.0, 0.0, 0.0, 0.5, 1.0]  # 2 s at 2 a second, then one per 0.5 s
    assert pacer.binding() == 2.0  # the pace held requests back
    clock.now += 2.0
    assert pacer.binding() is None  # and no longer does


def test_a_throttle_at_the_pace_slows_it_down_and_a_busy_calm_lets_it_probe_upwards():
    pacer, clock = pacer_with_clock(decrease=0.5, recover_after=10.0, recover=1.1)
    sent = [pacer.wait_turn() for dummy in range(5)]
    for at in sent[:4]:
        pacer.answered(at)
    pacer.answered(sent[4], throttled=True)
    first = pacer.rate
    paced = pacer.wait_turn()
    pacer.answered(paced, throttled=True)  # sent at the pace and still throttled
    assert pacer.rate == pytest.approx(first * 0.5) and pacer.proven is None
    clock.now += 10.0
    pacer.wait_turn()
    assert pacer.rate == pytest.approx(first * 0.5)  # nothing was held back: an idle pace is not known to be fine
    busy(pacer, clock, 0.5)  # the batch needs more than the pace now, and it went 10 s without a throttle
    assert pacer.rate == pytest.approx(first * 0.5 * 1.1) and pacer.proven == pytest.approx(first * 0.5)
    busy(pacer, clock, 9.0)
    assert pacer.rate == pytest.approx(first * 0.5 * 1.1)  # the next probe 10 s after this one
    busy(pacer, clock, 1.5)
    assert pacer.rate == pytest.approx(first * 0.5 * 1.1 * 1.2)  # that one got through: a bigger step


def busy(pacer, clock, seconds, step=0.1):
    """`seconds` of a batch that asks for more than the pace: three requests every `step` seconds, all answered."""
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        for dummy in range(3):
            pacer.answered(pacer.wait_turn())
        clock.now = max(clock.now, min(end, clock.now + step))


def throttled_at_pace(pacer, clock, through=10):
    """A burst of which `through` requests got through, then the throttle: the pace is what got through."""
    sent = [pacer.wait_turn() for dummy in range(through + 1)]
    for at in sent[:through]:
        pacer.answered(at)
    pacer.answered(sent[through], throttled=True, retry_after=1.0)
    return pacer.rate


def test_a_throttled_probe_goes_back_to_the_proven_pace_and_the_next_probe_waits_twice_as_long():
    pacer, clock = pacer_with_clock(margin=0.9, decrease=0.7, recover_after=1.0, recover=1.1, probe_max=8.0)
    start = throttled_at_pace(pacer, clock)
    assert start == pytest.approx(9.0) and pacer.proven is None
    busy(pacer, clock, 1.9)  # the pause (1 s), 9 at once (the bucket), then held back at 9 a second
    assert (pacer.rate, pacer.proven) == (pytest.approx(9.0), None)
    busy(pacer, clock, 0.2)  # 1 s after the pause: probed
    assert (pacer.rate, pacer.proven) == (pytest.approx(9.9), pytest.approx(9.0))
    gaps = []
    for dummy in range(5):
        pacer.answered(pacer.wait_turn(), throttled=True, retry_after=1.0)  # the probe is too fast
        assert (pacer.rate, pacer.proven) == (pytest.approx(9.0), pytest.approx(9.0))  # back to it, not 0.7 x
        throttled = clock.now
        while pacer.rate <= 9.0:
            busy(pacer, clock, 0.1)
        assert pacer.rate == pytest.approx(9.9)  # the first step after a throttle is the small one again
        gaps.append(round(clock.now - throttled))
    # the pause (1 s), then 2, 4, 8, 8 (probe_max) s at the pace before the next probe
    assert gaps == [3, 5, 9, 9, 9]
    # probes that get through: bigger steps (1.2, 1.4, 1.5), each sooner than the last (8 s, then 4, 2, 1 s)
    changes = [(clock.now, pacer.rate)]
    while len(changes) < 6:
        busy(pacer, clock, 0.1, step=0.01)
        if pacer.rate != changes[-1][1]:
            changes.append((clock.now, pacer.rate))
    steps = [round(b[1] / a[1], 2) for a, b in zip(changes, changes[1:])]
    waits = [round(b[0] - a[0]) for a, b in zip(changes[1:], changes[2:])]
    assert steps == [1.2, 1.4, 1.5, 1.5, 1.5] and waits == [4, 2, 1, 1]
    pacer.answered(pacer.wait_turn(), throttled=True, retry_after=1.0)  # a probe too fast again
    proven = pacer.proven
    assert pacer.rate == pytest.approx(proven)
    while pacer.rate <= proven:
        busy(pacer, clock, 0.1, step=0.01)
    assert pacer.rate == pytest.approx(proven * 1.1)  # the small step again


def test_a_throttle_at_the_proven_pace_lowers_it_the_limit_is_lower_now():
    pacer, clock = pacer_with_clock(margin=0.9, decrease=0.7)
    throttled_at_pace(pacer, clock)
    busy(pacer, clock, 2.2)
    assert (pacer.rate, pacer.proven) == (pytest.approx(9.9), pytest.approx(9.0))
    pacer.answered(pacer.wait_turn(), throttled=True, retry_after=1.0)
    assert (pacer.rate, pacer.proven) == (pytest.approx(9.0), pytest.approx(9.0))
    pacer.answered(pacer.wait_turn(), throttled=True, retry_after=1.0)  # at the proven pace: it is not fine
    assert (pacer.rate, pacer.proven) == (pytest.approx(9.0 * 0.7), None)


def test_slots_given_beyond_a_pause_that_begins_are_given_again_from_its_end():
    pacer, clock = pacer_with_clock(window=1.0, margin=0.5)
    throttled_at_pace(pacer, clock, through=1)
    assert pacer.rate == 0.5  # a slot every 2 s
    first = pacer.wait_turn()  # after the pause
    assert pacer.wait_turn() - first == pytest.approx(2.0)
    pacer.answered(first - 1.5, throttled=True, retry_after=1.0)  # an old request: a pause, the pace stays
    assert pacer.rate == 0.5
    assert pacer.wait_turn() - first == pytest.approx(3.0)  # at the end of the pause, not at the next slot (4 s)


def test_a_throttle_that_is_over_no_longer_holds_the_batch_back():
    # another client's burst, or a limit lifted: throttled down to 0.9 a second, the pace grows in steps that double
    # for as long as the batch needs more and the probes get through (before: 10 % every 15 s)
    pacer, clock = pacer_with_clock(margin=0.9, decrease=0.5, recover_after=1.0, recover=1.1, regain=1.5)
    throttled_at_pace(pacer, clock, through=2)
    pacer.answered(pacer.wait_turn(), throttled=True, retry_after=1.0)
    assert pacer.rate == pytest.approx(0.9)
    last = clock.now
    changes = [(0.0, pacer.rate)]
    while clock.now - last < 20:
        pacer.answered(pacer.wait_turn())
        clock.now += 0.01  # the batch asks for 100 a second
        if pacer.rate != changes[-1][1]:
            changes.append((round(clock.now - last, 1), pacer.rate))
    rates = [rate for age, rate in changes]
    steps = [round(b / a, 3) for a, b in zip(rates, rates[1:])]
    assert steps[:4] == [1.1, 1.2, 1.4, 1.5] and set(steps[4:]) == {1.5}
    assert rates[-1] > 40 and pacer.throttled == 2
    ages = [age for age, rate in changes]
    # the pause (1 s), a slot, 1 s held back, the first probe; then one every 1 s held back (plus a slot at most)
    assert ages[1] < 3.5 and all(b - a < 1.5 for a, b in zip(ages[1:], ages[2:]))


def test_a_pace_nobody_needs_does_not_grow():
    pacer, clock = pacer_with_clock(margin=0.9)
    throttled_at_pace(pacer, clock)
    for dummy in range(30):  # a minute of one request every 2 s: the pace of 9 a second never holds anything back
        clock.now += 2.0
        pacer.answered(pacer.wait_turn())
    assert pacer.rate == pytest.approx(9.0) and pacer.binding() is None


def test_a_pace_the_cloud_announces_is_kept_not_probed():
    pacer, clock = pacer_with_clock(margin=0.9)
    pacer.answered(pacer.wait_turn(), headers={'ratelimit-policy': '5;w=1'})
    busy(pacer, clock, 30.0)  # held back for 30 s, never throttled
    assert pacer.rate == pytest.approx(4.5) and pacer.binding() == pytest.approx(4.5)


@pytest.mark.parametrize('headers, rate', [
    ({'ratelimit-policy': '10;w=1'}, 10.0),
    ({'ratelimit-policy': '100;w=60, 10;w=1'}, 100 / 60.0),
    ({'x-ratelimit-limit': '30', 'x-ratelimit-window': '10'}, 3.0),
    ({'x-ratelimit-limit': '30'}, None),  # a limit without a window says nothing about a rate
    ({'ratelimit-policy': 'garbage'}, None),
    ({}, None),
])
def test_rate_limit_headers_give_the_pace(headers, rate):
    assert rate_limit_policy(headers) == (pytest.approx(rate) if rate is not None else None)


def test_a_cloud_that_says_its_pace_is_followed_and_an_empty_window_waited_out():
    pacer, clock = pacer_with_clock(margin=0.9)
    pacer.answered(pacer.wait_turn(), headers={'ratelimit-policy': '5;w=1'})
    assert pacer.rate == pytest.approx(4.5)
    pacer.answered(pacer.wait_turn(), headers={'ratelimit-remaining': '0', 'ratelimit-reset': '3'})
    assert rate_limit_remaining({'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3'}) == (0, 3.0)
    assert rate_limit_remaining({'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000'}) == (0, None)
    before = clock.now
    assert pacer.wait_turn() >= before + 3.0


def test_the_transports_of_a_project_share_one_pacer_and_tell_it_what_came_back():
    assert pacer_for('ecs.example.com', 'p1') is pacer_for('ECS.example.com', 'p1')
    assert pacer_for('ecs.example.com', 'p1') is not pacer_for('ecs.example.com', 'p2')
    pacer, clock = pacer_with_clock()
    limited = Answer(429, {'overLimit': {'message': 'slow down'}}, {'Retry-After': '1'})
    creds = Credentials('token', token='tok', compute_endpoint='https://ecs.example.com/v2.1/p1', project_id='p1')
    session = ScriptedSession([Answer(200, SERVER), limited, Answer(200, SERVER)])
    transport = Transport(session=session, sleep=clock.sleep, retry=RetryPolicy(rand=lambda: 0.0), pacer=pacer)
    http = ComputeApi(creds, transport)
    http.get_server('s1')
    http.get_server('s1')
    assert pacer.throttled == 1 and transport.throttled == 1 and pacer.rate is not None
    assert transport.sent_at is not None and len(session.sent) == 3
