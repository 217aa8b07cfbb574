# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleet.py: the schedule of the listing reads (pure), the pieces a batch shares (login, flavors), and the listing
reader itself over a scripted cloud: one listing for the servers that wait, sooner for a server that changed, per-server
reads where the listing cannot answer, and the fallback when the cloud refuses or ignores changes-since."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, EcsError, NotOfferedError
from ansible_collections.ecs_ops.compute.plugins.module_utils.fleet import (
    FULL_EVERY, LISTING, PER_SERVER, READ_ALONE, SINCE_MARGIN, BatchCompute, FleetFeed, ListingSchedule, ServerDirectory, SharedFlavors, SharedLogin,
    cloud_time, exact_name, ignores_filter, iso_utc, updated_seconds,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import anchored_name_regex, find_server


def test_the_listing_is_due_with_the_earliest_waiter_and_answers_those_due_soon_after():
    schedule = ListingSchedule(min_gap=0.2, share=0.35, max_early=1.0)
    assert schedule.next_listing(None, []) is None
    assert schedule.next_listing(None, [(12.0, 3.0), (10.5, 0.3)]) == 10.5
    # never sooner than min_gap after the previous one began
    assert schedule.next_listing(10.4, [(10.5, 0.3)]) == pytest.approx(10.6)
    # a listing at 10.5 answers a server due at 10.5, one due at 11.5 that waits 3 s (35 %: 1 s early), not one
    # due at 10.8 that waits 0.3 s (0.1 s early at most)
    assert schedule.answers(10.5, 10.5, 0.3)
    assert schedule.answers(10.5, 11.5, 3.0)
    assert not schedule.answers(10.5, 10.8, 0.3)
    assert schedule.early(10.0) == 1.0 and not schedule.answers(None, 1.0, 1.0)


@pytest.mark.parametrize('regex, name', [
    (anchored_name_regex('web-1'), 'web-1'),
    (anchored_name_regex('web.1'), 'web.1'),
    (anchored_name_regex('a(b)|c'), 'a(b)|c'),
    ('^web', None),
    ('web-1$', None),
    ('^web.*$', None),
    ('^web\\$', None),
    (None, None),
])
def test_exact_names_are_told_from_other_regular_expressions(regex, name):
    assert exact_name(regex) == name


def test_cloud_times():
    assert cloud_time('Tue, 01 Dec 2026 13:35:59 GMT') == 1796132159.0
    assert cloud_time(None) is None and cloud_time('yesterday') is None
    assert iso_utc(1796132159.7) == '2026-12-01T13:35:59Z'
    assert updated_seconds({'updated': '2026-12-01T13:35:59Z'}) == 1796132159.0
    assert updated_seconds({'updated': '2026-12-01T13:35:59.5+00:00'}) == 1796132159.5
    assert updated_seconds({'updated': 'soon'}) is None and updated_seconds({}) is None
    # a listing with changes-since lists servers updated since (the seconds of `updated` are cut, not rounded)
    since = 1796132159.0
    assert not ignores_filter([{'updated': '2026-12-01T13:35:58Z'}, {'updated': '2026-12-01T13:36:30Z'}], since)
    assert ignores_filter([{'updated': '2026-12-01T13:35:50Z'}], since)


class Identity(object):
    auth_type = 'password'
    catalog = None
    project_id = 'p1'

    def __init__(self):
        self.token = 't1'
        self.logins = 0

    def login(self):
        pass

    def headers(self, method, url, payload, microversion=None):
        return {'X-Auth-Token': self.token}

    def reauthenticate(self):
        self.logins += 1
        self.token = 't%d' % (self.logins + 1)
        return True

    def accepted(self):
        self.taken = self.token


def test_one_login_for_the_batch_renewed_once_when_several_threads_are_refused():
    identity = Identity()
    login = SharedLogin(identity)
    sent, renewed, order = {}, {}, threading.Lock()
    both_sent = threading.Barrier(2)

    def worker(name):
        sent[name] = login.headers('GET', 'u', None)['X-Auth-Token']  # both send with t1 and are refused
        both_sent.wait()
        with order:
            renewed[name] = login.reauthenticate()
        sent[name + '-again'] = login.headers('GET', 'u', None)['X-Auth-Token']

    threads = [threading.Thread(target=worker, args=(n,)) for n in ('a', 'b')]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sent['a'] == sent['b'] == 't1' and renewed == {'a': True, 'b': True}
    assert identity.logins == 1 and sent['a-again'] == sent['b-again'] == 't2'
    assert login.project_id == 'p1' and login.auth_type == 'password' and login.token == 't2'
    # refused again with the new token: a real renewal (the identity decides whether it may)
    login.headers('GET', 'u', None)
    assert login.reauthenticate() is True and identity.logins == 2


def test_only_the_token_a_thread_sent_counts_as_accepted():
    identity = Identity()
    login = SharedLogin(identity)
    login.headers('GET', 'u', None)       # sent with t1
    identity.token = 't2'                 # renewed by another thread meanwhile
    login.accepted()                      # the answer to t1 says nothing of t2
    assert getattr(identity, 'taken', None) is None
    login.headers('GET', 'u', None)       # sent with t2
    login.accepted()
    assert identity.taken == 't2'


def test_flavors_are_fetched_once_for_the_batch_and_an_answer_that_the_call_is_not_offered_is_kept():
    flavors = SharedFlavors()
    calls = []

    def fetch():
        calls.append(1)
        time.sleep(0.05)
        return {'id': 'f'}

    got = []
    threads = [threading.Thread(target=lambda: got.append(flavors.get(('flavor', 'f'), fetch))) for dummy in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == [{'id': 'f'}] * 5 and len(calls) == 1

    def not_offered():
        calls.append(2)
        raise NotOfferedError('HTTP 300')
    for dummy in range(3):
        with pytest.raises(NotOfferedError):
            flavors.get(('resize_flavors', 'f'), not_offered)
    assert calls.count(2) == 1

    def flaky():
        calls.append(3)
        raise ApiError(503, message='busy')
    for dummy in range(2):
        with pytest.raises(ApiError):
            flavors.get(('flavor', 'g'), flaky)
    assert calls.count(3) == 2  # a passing error is not kept: the next server asks again


# -- the listing reader, over a scripted cloud ------------------------------------------------------------------------

DATE = 'Tue, 01 Dec 2026 13:35:59 GMT'


def server(server_id, status='ACTIVE', task=None, flavor='s6.medium.2', updated='2026-12-01T13:35:50Z', name=None):
    return {'id': server_id, 'name': name or 'web-%s' % server_id, 'status': status, 'OS-EXT-STS:task_state': task,
            'flavor': {'id': flavor}, 'updated': updated}


class Transport(object):
    def __init__(self):
        self.sent_at = None
        self.calls = 0


class Cloud(object):
    """servers_detail answers with `listing` (a function of the query) and the Date header `date`."""

    def __init__(self, servers, date=DATE):
        self.servers = dict((s['id'], s) for s in servers)
        self.date = date
        self.queries = []
        self.transport = Transport()
        self.fail = None
        self.full = False  # a cloud that ignores changes-since

    def servers_detail(self, query=None, page_size=1000):
        self.queries.append(query)
        if len(self.queries) > 200:  # a feed that lists again and again (a broken schedule) fails at once, not after the time box
            raise AssertionError('the feed keeps listing: %d listings' % len(self.queries))
        self.transport.calls += 1
        self.transport.sent_at = time.monotonic()
        if self.fail is not None:
            error, self.fail = self.fail, None
            raise error
        docs = list(self.servers.values())
        if query and not self.full:
            docs = [d for d in docs if d.get('changed')]
            for doc in docs:
                doc.pop('changed')
        return [dict(d) for d in docs], self.date, self.transport.sent_at

    def ecs_list_servers(self, query=None, page_size=1000):
        self.queries.append(('ecs', query))
        self.transport.sent_at = time.monotonic()
        return [dict(d) for d in self.servers.values()]

    def change(self, server_id, **fields):
        doc = dict(self.servers[server_id], changed=True, updated='2026-12-01T13:36:%02dZ' % len(self.queries))
        doc.update(fields)
        self.servers[server_id] = doc


def started(cloud, api='nova'):
    notes = []
    feed = FleetFeed(cloud, api=api, note=notes.append, schedule=ListingSchedule(min_gap=0.02))
    feed.start()
    return feed, notes


def test_servers_are_found_in_the_first_listing():
    cloud = Cloud([server('a'), server('b'), server('c', status='DELETED')])
    feed, notes = started(cloud)
    assert cloud.queries == [None] and feed.listings == 1 and feed.mode == LISTING
    assert feed.known('a')['name'] == 'web-a' and feed.known('c') is None and feed.known('x') is None
    directory = ServerDirectory(feed, cloud)
    assert find_server(directory, 'web-b')['id'] == 'b'
    assert feed.named('web-c') is None  # a deleted one is not found (the cloud is asked then)
    assert feed.flavor_id_of('a') == 's6.medium.2' and notes == []


def test_the_servers_that_wait_are_answered_by_one_listing_with_changes_since():
    cloud = Cloud([server('a'), server('b')])
    feed, notes = started(cloud)
    cloud.change('a', status='RESIZE', task='resize_prep')
    got = {}

    def wait(server_id, delay):
        got[server_id] = feed.watch(server_id, delay, time.monotonic())

    threads = [threading.Thread(target=wait, args=('a', 0.1)), threading.Thread(target=wait, args=('b', 0.12))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cloud.queries) == 2 and cloud.queries[1] == {'changes-since': '2026-12-01T13:35:56Z'}  # Date - 3 s
    assert got['a'][0]['status'] == 'RESIZE' and got['b'][0]['status'] == 'ACTIVE'  # b: unchanged, as listed before
    assert feed.listings == 2 and feed.summary()['method'] == LISTING


def test_a_server_that_changed_is_answered_by_a_listing_before_its_own_read_is_due():
    cloud = Cloud([server('a'), server('b')])
    feed, notes = started(cloud)
    seen_at = time.monotonic()
    result = {}
    slow = threading.Thread(target=lambda: result.setdefault('b', feed.watch('b', 5.0, seen_at)))
    slow.start()
    time.sleep(0.05)
    cloud.change('b', status='VERIFY_RESIZE')
    feed.watch('a', 0.05, time.monotonic())  # a's read lists b's change too
    slow.join(2.0)
    assert not slow.is_alive() and result['b'][0]['status'] == 'VERIFY_RESIZE'


def test_a_server_listed_as_deleted_or_unknown_is_read_on_its_own():
    cloud = Cloud([server('a')])
    feed, notes = started(cloud)
    cloud.change('a', status='DELETED')
    assert feed.watch('a', 0.02, time.monotonic()) == (READ_ALONE, None)
    assert feed.watch('nobody', 0.02, time.monotonic()) == (READ_ALONE, None)


def test_a_failed_listing_makes_its_waiters_read_on_their_own_and_the_next_one_is_tried_again():
    cloud = Cloud([server('a')])
    feed, notes = started(cloud)
    cloud.fail = ApiError(503, message='busy')
    assert feed.watch('a', 0.02, time.monotonic()) == (READ_ALONE, None)
    assert feed.mode == LISTING
    doc, at = feed.watch('a', 0.05, time.monotonic())
    assert doc['id'] == 'a' and at is not None and notes == []


@pytest.mark.parametrize('trouble, said', [
    ('refused', 'the cloud refused the server listing with changes-since'),
    ('ignored', 'this cloud ignores the changes-since filter'),
    ('no date', 'the cloud sends no Date header'),
])
def test_a_cloud_that_cannot_answer_changes_since_gets_per_server_reads_said_once(trouble, said):
    cloud = Cloud([server('a'), server('b', updated='2026-12-01T10:00:00Z')])
    feed, notes = started(cloud)
    if trouble == 'refused':
        cloud.fail = ApiError(400, message="Invalid input for query parameters changes-since.")
    elif trouble == 'ignored':
        cloud.full = True
    else:
        cloud.date = None
    assert feed.watch('a', 0.02, time.monotonic()) == (READ_ALONE, None)
    assert feed.mode == PER_SERVER and feed.why.startswith(said)
    assert feed.watch('b', 0.0, time.monotonic()) == (READ_ALONE, None)
    assert len(notes) == 1 and notes[0].endswith('each server is read on its own')
    assert feed.known('a') is None and feed.summary()['reason'] == feed.why


def test_without_the_first_listing_servers_are_found_and_read_one_by_one():
    cloud = Cloud([server('a')])
    cloud.fail = EcsError('no answer')
    feed, notes = started(cloud)
    assert feed.mode == PER_SERVER and 'first server listing failed' in notes[0]


def test_the_ecs_listing_lists_every_server_and_one_that_is_gone_is_read_on_its_own():
    cloud = Cloud([server('a'), server('b')])
    feed, notes = started(cloud, api='ecs')
    assert cloud.queries == [('ecs', None)]
    del cloud.servers['b']
    cloud.change('a', status='SHUTOFF')
    assert feed.watch('a', 0.02, time.monotonic())[0]['status'] == 'SHUTOFF'
    assert feed.watch('b', 0.02, time.monotonic()) == (READ_ALONE, None)


def test_phase_durations_are_shared_through_the_feed():
    feed, notes = started(Cloud([server('a')]))
    feed.learn(('pair', 'resize', 'RESIZE', 'resize_migrating'), 14.0, 14.6)
    assert feed.expected(('pair', 'resize', 'RESIZE', 'resize_migrating')) == 14.0
    assert feed.summary()['learnt_phases'] == 1


class Counting(object):
    def __init__(self):
        self.asked = []


def test_resize_targets_are_asked_once_per_flavor_in_a_batch():
    from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
    cloud = Cloud([server('a'), server('b'), server('c', flavor='c7.large.2')])
    feed, notes = started(cloud)
    creds = Credentials('token', token='tok', compute_endpoint='https://ecs.example.com/v2.1/p1', project_id='p1')
    flavors = SharedFlavors()
    asked = []

    class Fake(BatchCompute):
        def request(self, method, path, body=None, params=None, safe=None, root=False, microversion=None):
            asked.append(dict(params))

            class Answer(object):
                status = 200
                body = {'flavors': [{'id': 's6.large.2'}]}
            return Answer()

    for server_id in ('a', 'b', 'c'):
        compute = Fake(creds, Identity(), 'https://ecs.example.com/v2.1/p1', flavors, feed=feed)
        assert compute.resize_flavors(server_id) == [{'id': 's6.large.2'}]
    assert sorted(a['source_flavor_id'] for a in asked) == ['c7.large.2', 's6.medium.2']
    # a server the listing does not show is asked about by its id
    Fake(creds, Identity(), 'https://ecs.example.com/v2.1/p1', flavors, feed=feed).resize_flavors('x')
    assert asked[-1]['instance_uuid'] == 'x'


class FakeClock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_every_minute_a_full_listing_puts_right_what_the_filtered_ones_missed_and_widens_the_margin():
    cloud = Cloud([server('a'), server('b')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    feed._listing_round()
    assert cloud.queries[-1] == {'changes-since': '2026-12-01T13:35:56Z'}
    # a change the filtered listing does not show (the host's clock is a minute behind the gateway's)
    cloud.servers['b'] = dict(cloud.servers['b'], status='SHUTOFF', updated='2026-12-01T13:34:59Z')
    feed._listing_round()
    assert feed.known('b')['status'] == 'ACTIVE' and feed.missed == 0
    clock.now += FULL_EVERY
    feed._listing_round()
    assert cloud.queries[-1] is None  # every server
    assert feed.known('b')['status'] == 'SHUTOFF' and feed.missed == 1 and feed.summary()['missed_changes'] == 1
    feed._listing_round()
    assert cloud.queries[-1] == {'changes-since': '2026-12-01T13:35:47Z'}  # Date - 4 x the margin
    assert SINCE_MARGIN * 4 == 12.0


# -- the pure parts whole (mutation testing) ------------------------------------------------------------------------------

from ansible_collections.ecs_ops.compute.plugins.module_utils import fleet as fleet_module  # noqa: E402


FULL_DOC = {'id': 'a', 'status': 'RESIZE', 'OS-EXT-STS:task_state': 'resize_prep', 'OS-EXT-STS:vm_state': 'active',
            'OS-EXT-STS:power_state': 1, 'updated': '2026-12-01T13:35:50Z', 'flavor': {'id': 's6.medium.2', 'original_name': 'm'},
            'locked': False, 'metadata': {'b': '2', 'a': '1'}}


@pytest.mark.parametrize('doc, expected', [
    (FULL_DOC, ('RESIZE', 'resize_prep', 'active', 1, '2026-12-01T13:35:50Z', 's6.medium.2', False, "[('a', '1'), ('b', '2')]")),
    (dict(FULL_DOC, flavor={'original_name': 's6.large.2'}, metadata='odd'),
     ('RESIZE', 'resize_prep', 'active', 1, '2026-12-01T13:35:50Z', 's6.large.2', False, None)),
    (dict(FULL_DOC, flavor='s6.medium.2', metadata={}), ('RESIZE', 'resize_prep', 'active', 1, '2026-12-01T13:35:50Z', None, False, '[]')),
    ({'metadata': None}, (None, None, None, None, None, None, None, None)),
    ('not a document', None),
])
def test_a_fingerprint_holds_every_field_that_tells_a_change(doc, expected):
    assert fleet_module.fingerprint(doc) == expected


@pytest.mark.parametrize('regex, name', [
    ('^web\\-1$', 'web-1'), ('^a\\\\b$', 'a\\b'), ('^web\\', None), ('^$', ''), ('^web[1]$', None), ('^web|db$', None),
    ('^web?$', None), ('^(web)$', None), ('^web+$', None), ('^web{2}$', None), ('^we$b$', None), ('^w^eb$', None),
])
def test_exact_names_escaped_characters_and_special_ones(regex, name):
    assert exact_name(regex) == name


def test_times_of_the_cloud_to_the_microsecond():
    assert updated_seconds({'updated': ' 2026-12-01T13:35:59.250000Z '}) == 1796132159.25
    assert updated_seconds({'updated': '2026-12-01T13:35:59+02:00'}) == 1796132159.0
    assert updated_seconds({'updated': 1796132159}) is None and updated_seconds('doc') is None
    assert cloud_time('') is None and cloud_time(DATE) == 1796132159.0
    # within the slack (2 s) a server updated before changes-since is no sign the filter is ignored
    since = 1796132159.0
    assert not ignores_filter([{'updated': '2026-12-01T13:35:57Z'}], since)
    assert ignores_filter([{'updated': '2026-12-01T13:35:56Z'}], since)
    assert not ignores_filter([{'updated': None}, {}], since)


def test_the_constants_of_the_listing():
    # docs/performance.md: the margin of changes-since, the slack, the full listing every minute, the ECS page limit
    assert (fleet_module.SINCE_MARGIN, fleet_module.IGNORED_FILTER_SLACK, fleet_module.FULL_EVERY, fleet_module.MAX_MARGIN,
            fleet_module.MAX_FULL_PAGES, fleet_module.PAGE_SIZE) == (3.0, 2.0, 60.0, 120.0, 3, 1000)
    schedule = ListingSchedule()
    assert (schedule.min_gap, schedule.share, schedule.max_early) == (0.2, 0.35, 1.0)
    assert schedule.early(-1.0) == 0.0 and schedule.early(2.0) == pytest.approx(0.7)


def test_a_new_feed_says_it_has_listed_nothing_yet():
    feed = FleetFeed(Cloud([]))
    assert feed.api == 'nova' and feed.clock is time.monotonic and feed.note('x') is None
    assert feed.summary() == dict(method=LISTING, reason=None, listings=0, per_server_reads=0, learnt_phases=0, missed_changes=0)
    assert feed.known('a') is None and feed.named('web-a') is None and feed.flavor_id_of('a') is None
    feed.read_alone()
    feed.read_alone()
    assert feed.summary()['per_server_reads'] == 2


def test_the_ecs_listing_of_a_large_project_falls_back_to_per_server_reads():
    cloud = Cloud([server('s%d' % n) for n in range(3001)])
    feed, notes = started(cloud, api='ecs')
    assert feed.mode == PER_SERVER and notes == [
        'the project has 3001 servers: listing them all costs more than reading the servers in flight: each server is read on its own']
    assert feed.why == 'the project has 3001 servers: listing them all costs more than reading the servers in flight'
    assert feed.listings == 0 and feed.known('s1') is None


def test_the_ecs_listing_of_three_pages_is_still_read():
    cloud = Cloud([server('s%d' % n) for n in range(3000)])
    feed, notes = started(cloud, api='ecs')
    assert feed.mode == LISTING and notes == [] and feed.listings == 1 and feed.known('s2999')['id'] == 's2999'


def test_the_first_listing_that_fails_says_why():
    cloud = Cloud([server('a')])
    cloud.fail = EcsError('connection refused')
    feed, notes = started(cloud)
    assert notes == ['the first server listing failed (connection refused): each server is read on its own']
    assert feed.why == 'the first server listing failed (connection refused)'


class Answer(object):
    def __init__(self, body, status=200):
        self.status, self.body, self.request_id, self.headers = status, body, 'req', {}


def recording_compute(flavors, feed=None, asked=None):
    """A BatchCompute whose requests are answered from a table and recorded (method, path, params)."""
    from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
    creds = Credentials('token', token='tok', compute_endpoint='https://ecs.example.com/v2.1/p1', project_id='p1')
    asked = asked if asked is not None else []

    class Recording(BatchCompute):
        def request(self, method, path, body=None, params=None, safe=None, root=False, microversion=None):
            asked.append((method, path, dict(params or {})))
            if path.startswith('/flavors/detail'):
                return Answer({'flavors': [{'id': 'f1'}, {'id': None}]})
            if path.startswith('/flavors/'):
                return Answer({'flavor': {'id': path.rsplit('/', 1)[1]}})
            return Answer({'flavors': [{'id': 's6.large.2'}]})
    return Recording(creds, Identity(), 'https://ecs.example.com/v2.1/p1', flavors, feed=feed), asked


def test_the_servers_of_a_batch_fetch_each_flavor_and_the_flavor_list_once():
    flavors, asked = SharedFlavors(), []
    first, dummy = recording_compute(flavors, asked=asked)
    second, dummy = recording_compute(flavors, asked=asked)
    assert first.get_flavor('s6.large.2') == {'id': 's6.large.2'} and second.get_flavor('s6.large.2') == {'id': 's6.large.2'}
    assert second.get_flavor('s6.xlarge.2') == {'id': 's6.xlarge.2'}
    assert first.list_flavors() == [{'id': 'f1'}] and second.list_flavors() == [{'id': 'f1'}]
    assert asked == [('GET', '/flavors/s6.large.2', {}), ('GET', '/flavors/s6.xlarge.2', {}), ('GET', '/flavors/detail', {})]
    assert (first.compute_url, first.flavors, first.feed) == ('https://ecs.example.com/v2.1/p1', flavors, None)
    first.connect()  # connected already: asks nothing
    assert len(asked) == 3 and first.identity.logins == 0


def test_resize_targets_by_the_flavor_given_or_else_by_the_server():
    flavors, asked = SharedFlavors(), []
    compute, dummy = recording_compute(flavors, asked=asked)
    assert compute.resize_flavors('x', source_flavor_id='s6.medium.2') == [{'id': 's6.large.2'}]
    assert compute.resize_flavors('y', source_flavor_id='s6.medium.2') == [{'id': 's6.large.2'}]
    assert compute.resize_flavors('z', page_size=5) == [{'id': 's6.large.2'}]
    assert [a[2] for a in asked] == [dict(source_flavor_id='s6.medium.2', limit=1000, marker=None), dict(instance_uuid='z', limit=5, marker=None)]


def test_the_directory_finds_what_the_listing_holds_and_asks_the_cloud_the_rest():
    cloud = Cloud([server('a', name='web'), server('b', name='web'), server('c', status='deleted', name='db')])
    feed, notes = started(cloud)
    asked = []

    class Compute(object):
        compute_url = 'https://ecs.example.com/v2.1/p1'

        def get_server(self, server_id):
            asked.append(('get', server_id))
            return {'id': server_id}

        def list_servers(self, name_regex=None, status=None):
            asked.append(('list', name_regex, status))
            return []
    directory = ServerDirectory(feed, Compute())
    assert (directory.feed, directory.compute_url) == (feed, 'https://ecs.example.com/v2.1/p1')
    assert directory.get_server('a')['name'] == 'web' and directory.get_server('c') == {'id': 'c'}
    assert [d['id'] for d in directory.list_servers('^web$')] == ['a', 'b']
    assert directory.list_servers('^web$', status='ACTIVE') == [] and directory.list_servers('^db$') == []
    assert directory.list_servers('web') == []
    assert asked == [('get', 'c'), ('list', '^web$', 'ACTIVE'), ('list', '^db$', None), ('list', 'web', None)]
    assert ServerDirectory(feed, object()).compute_url is None


class PagedCloud(Cloud):
    def __init__(self, servers, date=DATE):
        super(PagedCloud, self).__init__(servers, date)
        self.page_sizes = []

    def servers_detail(self, query=None, page_size='default'):
        self.page_sizes.append(page_size)
        return super(PagedCloud, self).servers_detail(query, page_size=page_size)


def test_a_renamed_server_is_found_by_its_new_name_only():
    cloud = PagedCloud([server('a', name='web-1'), server('b', name='web-1')])
    feed, notes = started(cloud)
    cloud.change('a', name='web-9')
    feed._listing_round()
    assert [d['id'] for d in feed.named('web-1')] == ['b'] and [d['id'] for d in feed.named('web-9')] == ['a']
    assert cloud.page_sizes == [1000, 1000]


def test_a_server_a_full_listing_no_longer_shows_is_forgotten_and_a_change_when_it_shows_again():
    cloud = Cloud([server('a', name='web-1'), server('b', name='web-2')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    gone = cloud.servers.pop('b')
    clock.now += FULL_EVERY
    feed._listing_round()
    assert cloud.queries[-1] is None and feed.known('b') is None and feed.named('web-2') is None
    assert feed.named('web-1')[0]['id'] == 'a' and feed._prints.get('b') is None
    cloud.servers['b'] = gone
    cloud.change('b')
    clock.now += 1.0
    feed._listing_round()  # filtered: b is listed again
    assert feed.known('b')['name'] == 'web-2' and feed._changed_at['b'] == clock.now and feed._changed_at['a'] == 1000.0


@pytest.mark.parametrize('updated, missed', [
    ('2026-12-01T13:35:56Z', 1),   # 3 s before the previous listing's answer: the filtered one should have shown it
    ('2026-12-01T13:35:57Z', 0),   # within the slack of 2 s
    (None, 0),                     # no time: cannot tell
])
def test_a_full_listing_counts_a_change_the_filtered_ones_missed(updated, missed):
    cloud = Cloud([server('a'), server('b')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    cloud.servers['b'] = dict(cloud.servers['b'], status='SHUTOFF', updated=updated)
    cloud.servers['c'] = server('c', updated='2026-12-01T13:30:00Z')  # new to the feed: not a missed change
    clock.now += FULL_EVERY
    feed._listing_round()
    assert (feed.missed, feed._margin) == (missed, 12.0 if missed else 3.0)
    assert feed.known('b')['status'] == 'SHUTOFF'


def test_the_margin_grows_fourfold_up_to_two_minutes():
    cloud = Cloud([server('a')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    margins = []
    for n in range(4):
        cloud.servers['a'] = dict(cloud.servers['a'], status='S%d' % n, updated='2026-12-01T13:30:00Z')
        clock.now += FULL_EVERY
        feed._listing_round()
        margins.append(feed._margin)
    assert margins == [12.0, 48.0, 120.0, 120.0] and feed.missed == 4


def test_a_listing_that_shows_servers_older_than_changes_since_is_taken_as_ignoring_it():
    cloud = Cloud([server('a', updated='2026-12-01T13:35:53Z')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0), note=lambda text: None)
    feed.start()
    cloud.full = True
    feed._listing_round()  # since 13:35:56 (Date - 3 s); a server updated 13:35:53 is 3 s before, beyond the slack
    assert feed.mode == PER_SERVER and feed.why == 'this cloud ignores the changes-since filter of the server listing'


class SigningIdentity(object):
    """An AK/SK identity: it signs each request, there is no token (and no attribute for one)."""

    auth_type = 'aksk'
    catalog = None
    project_id = 'p1'

    def __init__(self):
        self.signed = []
        self.renewals = 0

    def headers(self, method, url, payload, microversion=None):
        self.signed.append((method, url, payload, microversion))
        return {'Authorization': 'SDK-HMAC-SHA256 ...'}

    def reauthenticate(self):
        self.renewals += 1
        return False


def test_a_shared_login_passes_each_request_on_whole_and_works_without_a_token():
    identity = SigningIdentity()
    login = SharedLogin(identity)
    assert login.headers('POST', 'https://ecs.example.com/v2.1/p1/servers/a/action', b'{}', '2.1') == {'Authorization': 'SDK-HMAC-SHA256 ...'}
    assert login.headers('GET', 'u', None) == {'Authorization': 'SDK-HMAC-SHA256 ...'}
    assert identity.signed == [('POST', 'https://ecs.example.com/v2.1/p1/servers/a/action', b'{}', '2.1'), ('GET', 'u', None, None)]
    # refused: nothing renewed by another thread (no token at all): the identity decides
    assert login.reauthenticate() is False and identity.renewals == 1
    assert (login.catalog, login.auth_type, login.project_id) == (None, 'aksk', 'p1')


def test_an_answer_is_passed_on_as_accepted_without_a_token_and_from_a_thread_that_sent_nothing():
    # AK/SK: no token attribute at all, on either side of the comparison; the identity is told all the same
    identity = SigningIdentity()
    identity.accepted_calls = 0

    def accepted():
        identity.accepted_calls += 1
    identity.accepted = accepted
    login = SharedLogin(identity)
    login.headers('GET', 'u', None)
    login.accepted()
    assert identity.accepted_calls == 1
    # a thread that has sent nothing yet (no token recorded for it) does not fail either
    errors = []

    def fresh():
        try:
            login.accepted()
        except Exception as exc:  # pragma: no cover - the failure this test is for
            errors.append(exc)
    thread = threading.Thread(target=fresh)
    thread.start()
    thread.join()
    assert errors == [] and identity.accepted_calls == 2


def test_the_summary_of_a_feed_after_a_listing_and_reads_alone():
    cloud = Cloud([server('a')])
    feed, notes = started(cloud)
    feed.read_alone()
    feed.learn('k', 1.0, 2.0)
    assert feed.summary() == dict(method=LISTING, reason=None, listings=1, per_server_reads=1, learnt_phases=1, missed_changes=0)


class LateCloud(Cloud):
    """A cloud whose listing went out 5 s before it answered (paced, retried): its transport says when."""

    def servers_detail(self, query=None, page_size=1000):
        docs, date, sent_at = super(LateCloud, self).servers_detail(query, page_size)
        self.transport.sent_at = sent_at - 5.0
        return docs, date, self.transport.sent_at

    def ecs_list_servers(self, query=None, page_size=1000):
        docs = super(LateCloud, self).ecs_list_servers(query, page_size)
        self.transport.sent_at -= 5.0
        return docs


@pytest.mark.parametrize('api', ['nova', 'ecs'])
def test_a_listing_shows_the_servers_as_they_were_when_it_went_out(api):
    cloud = LateCloud([server('a')])
    feed, notes = started(cloud, api=api)
    assert feed._covered_at == cloud.transport.sent_at and feed._changed_at['a'] == cloud.transport.sent_at
    # on a clock of its own (tests), the feed takes its own time: the transport's is of another clock
    clock = FakeClock()
    own = FleetFeed(cloud, api=api, clock=clock)
    own.start()
    assert own._covered_at == 1000.0


def test_a_new_feed_has_no_listing_time_and_its_own_schedule():
    feed = FleetFeed(Cloud([]))
    assert (feed._covered_at, feed._since, feed._full_at, feed._failed_round, feed._reading) == (None, None, None, None, False)
    assert isinstance(feed.schedule, ListingSchedule) and feed.schedule.min_gap == 0.2
    schedule = ListingSchedule(min_gap=0.5)
    assert FleetFeed(Cloud([]), schedule=schedule).schedule is schedule


def test_the_first_listing_is_full_then_filtered_then_full_again_a_minute_after_the_last_full_one():
    cloud = Cloud([server('a')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    for step in (30.0, 29.0, 1.0, 59.0, 1.0):
        clock.now += step
        feed._listing_round()
    assert cloud.queries == [None, {'changes-since': '2026-12-01T13:35:56Z'}, {'changes-since': '2026-12-01T13:35:56Z'}, None,
                             {'changes-since': '2026-12-01T13:35:56Z'}, None]


@pytest.mark.parametrize('updated, ignored', [('2026-12-01T13:35:54Z', False), ('2026-12-01T13:35:53Z', True)])
def test_a_filtered_listing_is_checked_against_the_time_it_asked_for(updated, ignored):
    cloud = Cloud([server('a')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    cloud.change('a')
    cloud.servers['a']['updated'] = updated  # since 13:35:56 (Date - 3 s), less the slack of 2 s: 13:35:54
    clock.now += 1.0
    feed._listing_round()
    assert (feed.mode == PER_SERVER) is ignored


def test_a_listing_that_answers_again_clears_the_failed_round():
    cloud = Cloud([server('a')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    cloud.fail = ApiError(503, message='busy')
    clock.now += 1.0
    feed._listing_round()
    assert feed._failed_round == 1001.0
    # a server due at the failed round (or before it, within its early share) reads on its own; a later one waits
    assert feed._answer('a', 1001.0, 0.0, None) == (READ_ALONE, None)
    assert feed._answer('a', 1001.1, 0.0, None) is None
    clock.now += 1.0
    feed._listing_round()
    assert feed._failed_round is None and feed._answer('a', 1002.0, 0.0, None)[0]['id'] == 'a'


def test_a_server_is_answered_as_soon_as_a_listing_shows_it_changed_after_it_was_last_seen():
    cloud = Cloud([server('a')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()  # at 1000: a changed (first seen) then
    assert feed._answer('a', 1100.0, 5.0, 999.0) == (feed._docs['a'], 1000.0)
    assert feed._answer('a', 1100.0, 5.0, 1000.0) is None  # seen as of then: nothing new


@pytest.mark.parametrize('regex, name', [('^WEB-X1$', 'WEB-X1'), ('^X$', 'X')])
def test_exact_names_with_capital_letters(regex, name):
    assert exact_name(regex) == name


# -- the waits of watch() on the wall clock (bounds generous for a loaded machine, well below what a wrong wait takes) -----

class TimedCloud(Cloud):
    """Records when each listing went out; a listing takes `takes` seconds."""

    def __init__(self, servers, takes=0.0):
        super(TimedCloud, self).__init__(servers)
        self.takes = takes
        self.times = []

    def servers_detail(self, query=None, page_size=1000):
        self.times.append(time.monotonic())
        time.sleep(self.takes)
        return super(TimedCloud, self).servers_detail(query, page_size)


def test_a_short_delay_is_answered_soon_and_the_waiter_is_forgotten():
    cloud = TimedCloud([server('a')])
    feed = FleetFeed(cloud)  # the default schedule: at least 0.2 s between listings
    feed.start()
    time.sleep(0.25)
    started = time.monotonic()
    doc, at = feed.watch('a', 0.05, time.monotonic())
    assert doc['id'] == 'a' and time.monotonic() - started < 0.35 and feed._waiting == {}


def test_listings_are_at_least_the_minimum_gap_apart():
    cloud = TimedCloud([server('a')])
    feed = FleetFeed(cloud)
    feed.start()
    feed.watch('a', 0.0, time.monotonic())
    assert len(cloud.times) == 2 and cloud.times[1] - cloud.times[0] >= 0.19


def test_servers_that_wait_while_a_listing_is_read_are_answered_by_it_not_by_another():
    cloud = TimedCloud([server(n) for n in 'abc'], takes=0.15)
    feed = FleetFeed(cloud, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    got = {}
    threads = [threading.Thread(target=lambda n=n: got.setdefault(n, feed.watch(n, 0.0, time.monotonic()))) for n in 'abc']
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join(5.0)
    assert sorted(got) == ['a', 'b', 'c'] and len(cloud.times) == 2


def test_a_batch_compute_keeps_the_transport_it_is_given_and_connects_when_made_without_an_endpoint():
    from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import Credentials
    creds = Credentials('token', token='tok', compute_endpoint='https://ecs.example.com/v2.1/p1', project_id='p1')
    transport = Transport()
    compute = BatchCompute(creds, Identity(), 'https://ecs.example.com/v2.1/p1', SharedFlavors(), transport=transport)
    assert compute.transport is transport and compute.calls == 0
    unconnected = BatchCompute(creds, Identity(), None, SharedFlavors(), transport=transport)
    unconnected.connect()
    assert unconnected.compute_url == 'https://ecs.example.com/v2.1/p1'


def test_resize_targets_of_a_flavor_are_asked_with_the_page_size_given():
    compute, asked = recording_compute(SharedFlavors())
    compute.resize_flavors('x', page_size=5, source_flavor_id='s6.medium.2')
    assert asked == [('GET', asked[0][1], dict(source_flavor_id='s6.medium.2', limit=5, marker=None))]


def test_the_ecs_listing_is_read_in_pages_of_a_thousand():
    sizes = []

    class Sized(Cloud):
        def ecs_list_servers(self, query=None, page_size='default'):
            sizes.append(page_size)
            return super(Sized, self).ecs_list_servers(query, page_size)
    started(Sized([server('a')]), api='ecs')
    assert sizes == [1000]


def test_a_server_without_a_status_and_odd_items_of_a_listing_are_taken_in_their_stride():
    cloud = Cloud([server('a'), server('b')])
    del cloud.servers['b']['status']
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    assert feed.known('b')['id'] == 'b'
    original = cloud.servers_detail

    def with_odd_items(query=None, page_size=1000):
        docs, date, at = original(query, page_size)
        return [None, 'odd', {'name': 'no id'}] + docs, date, at
    cloud.servers_detail = with_odd_items
    clock.now += FULL_EVERY
    feed._listing_round()  # a full listing
    assert feed.mode == LISTING and sorted(feed._docs) == ['a', 'b'] and feed.missed == 0


def test_a_listing_round_that_cannot_reach_the_cloud_makes_its_waiters_read_on_their_own():
    cloud = Cloud([server('a')])
    feed, notes = started(cloud)
    cloud.fail = EcsError('connection reset')
    assert feed.watch('a', 0.02, time.monotonic()) == (READ_ALONE, None)
    assert feed.mode == LISTING and notes == []


def test_after_the_fall_back_no_server_is_found_in_the_listing():
    cloud = Cloud([server('a')])
    feed, notes = started(cloud)
    cloud.date = None
    feed._listing_round()
    assert feed.mode == PER_SERVER and feed.named('web-a') is None and feed.known('a') is None


def test_servers_of_the_same_name_keep_their_order_when_one_changes():
    cloud = Cloud([server('a', name='web'), server('b', name='web')])
    feed, notes = started(cloud)
    cloud.change('a', status='SHUTOFF')
    feed._listing_round()
    assert [d['id'] for d in feed.named('web')] == ['a', 'b']


def test_a_full_listing_counts_every_change_the_filtered_ones_missed():
    cloud = Cloud([server('a'), server('b'), server('c')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    for server_id in ('a', 'b'):
        cloud.servers[server_id] = dict(cloud.servers[server_id], status='SHUTOFF', updated='2026-12-01T13:30:00Z')
    clock.now += FULL_EVERY
    feed._listing_round()
    assert feed.missed == 2 and feed._margin == 12.0


def test_on_a_clock_that_does_not_move_a_listing_due_now_is_read_now():
    cloud = Cloud([server('a')])
    clock = FakeClock()
    feed = FleetFeed(cloud, clock=clock, schedule=ListingSchedule(min_gap=0.0))
    feed.start()
    clock.now += 1.0
    doc, at = feed.watch('a', 0.0, 1000.0)
    assert (doc['id'], at, cloud.queries[-1]) == ('a', 1001.0, {'changes-since': '2026-12-01T13:35:56Z'})


def test_after_a_failed_fetch_the_next_one_is_shared_again():
    flavors = SharedFlavors()
    calls = []

    def flaky():
        calls.append('flaky')
        raise ApiError(503, message='busy')
    with pytest.raises(ApiError):
        flavors.get(('flavor', 'f'), flaky)

    def slow():
        calls.append('slow')
        time.sleep(0.1)
        return {'id': 'f'}
    got = []
    threads = [threading.Thread(target=lambda: got.append(flavors.get(('flavor', 'f'), slow))) for dummy in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == [{'id': 'f'}] * 3 and calls == ['flaky', 'slow']
