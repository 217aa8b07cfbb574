# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How ecs_resize_batch observes a fleet: one listing read for every server in flight instead of one read per server.

- `FleetFeed` reads the servers of the project with one listing (Nova's GET /servers/detail?changes-since=..., paged;
  the ECS v1 GET /cloudservers/detail for api=ecs) whenever the earliest of the reads the servers' polling policies ask
  for is due (`ListingSchedule`), and hands each waiting server the document it would have read. A server the listing
  cannot answer for (deleted, missing, a listing that failed) is read on its own; a cloud that refuses or ignores the
  filter (a 400, an old cloud) gets per-server reads for the rest of the batch.
- `SharedLogin` lets the servers of a batch use one login (one token), `BatchCompute` one flavor cache, and
  `ServerDirectory` finds the servers in the first listing instead of one search each.

The schedule and the phase durations (wait.PhaseBook) are pure; the feed holds the threads' shared state under one lock.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import threading
import time
from datetime import datetime, timedelta

try:
    from email.utils import parsedate_tz, mktime_tz
except ImportError:  # pragma: no cover
    parsedate_tz = mktime_tz = None

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, EcsError, NotOfferedError
from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import PhaseBook

LISTING = 'listing'
PER_SERVER = 'per_server'
# What a waiting server gets when the listing cannot answer for it: read it on its own.
READ_ALONE = object()
# The next changes-since is the cloud's time of the previous answer (its Date header, whole seconds) less this margin:
# it covers the time between the cloud's query and its answer, and clocks of a cloud's hosts that differ a little.
SINCE_MARGIN = 3.0
# A listing that shows a server last updated this long before changes-since has ignored the filter.
IGNORED_FILTER_SLACK = 2.0
# Every so often the listing lists every server (no changes-since): it corrects what the filtered ones may have
# missed, and a change they missed (the clocks of the cloud's hosts apart by more than the margin) widens the margin.
FULL_EVERY = 60.0
MAX_MARGIN = 120.0
# The ECS v1 listing has no changes-since: it lists every server of the project. Beyond this many pages it costs
# more than reading the servers in flight one by one.
MAX_FULL_PAGES = 3
PAGE_SIZE = 1000


class ListingSchedule(object):
    """When the next listing is due, and which waiting servers it answers. Pure.

    Every waiting server asks for a read `delay` seconds after it registered (its PollPolicy's delay), due at `due`.
    The listing is read when the earliest is due, never sooner than `min_gap` after the previous one began; it
    answers every server due within `share` of its own delay (at most `max_early` seconds) after it: a server is read
    a little early rather than the fleet reading twice in a row."""

    def __init__(self, min_gap=0.2, share=0.35, max_early=1.0):
        self.min_gap = min_gap
        self.share = share
        self.max_early = max_early

    def early(self, delay):
        return min(self.max_early, self.share * max(0.0, delay))

    def next_listing(self, last_listing, waiters):
        """The time the next listing is due (None without waiters). `waiters`: (due, delay) pairs."""
        dues = [due for due, dummy in waiters]
        if not dues:
            return None
        at = min(dues)
        if last_listing is not None:
            at = max(at, last_listing + self.min_gap)
        return at

    def answers(self, listing_at, due, delay):
        """Whether a listing that began at `listing_at` answers a server due at `due` (asked `delay` before)."""
        return listing_at is not None and listing_at >= due - self.early(delay)


def cloud_time(date_header):
    """Seconds since the epoch of an HTTP Date header (`Tue, 01 Dec 2026 13:35:59 GMT`), or None."""
    if not date_header or parsedate_tz is None:
        return None
    parsed = parsedate_tz(str(date_header))
    return float(mktime_tz(parsed)) if parsed else None


def iso_utc(seconds):
    """`2026-12-01T13:35:56Z` for seconds since the epoch (changes-since)."""
    return (datetime(1970, 1, 1) + timedelta(seconds=int(seconds))).strftime('%Y-%m-%dT%H:%M:%SZ')


def updated_seconds(doc):
    """Seconds since the epoch of a server document's `updated` (`2026-12-01T13:35:57Z`), or None."""
    text = doc.get('updated') if isinstance(doc, dict) else None
    if not isinstance(text, str):
        return None
    text = text.strip().replace('Z', '')
    if '+' in text[10:]:
        text = text[:10] + text[10:].split('+')[0]
    for fmt in ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f'):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return calendar.timegm(parsed.timetuple()) + parsed.microsecond / 1e6
    return None


def ignores_filter(docs, since):
    """Whether a changes-since listing (`since`: seconds) listed servers not updated since then: the filter is ignored."""
    for doc in docs:
        updated = updated_seconds(doc)
        if updated is not None and updated < since - IGNORED_FILTER_SLACK:
            return True
    return False


def fingerprint(doc):
    """What of a server document tells that it changed (a listing lists again what changed within SINCE_MARGIN)."""
    if not isinstance(doc, dict):
        return None
    flavor = doc.get('flavor') if isinstance(doc.get('flavor'), dict) else {}
    return (doc.get('status'), doc.get('OS-EXT-STS:task_state'), doc.get('OS-EXT-STS:vm_state'),
            doc.get('OS-EXT-STS:power_state'), doc.get('updated'), flavor.get('id') or flavor.get('original_name'),
            doc.get('locked'), repr(sorted((doc.get('metadata') or {}).items())) if isinstance(doc.get('metadata'), dict) else None)


class SharedLogin(object):
    """One identity (identity.py) for the servers of a batch: one token, renewed once for all after a 401.

    A thread whose request was refused with a token another thread has renewed since sends it again with the new one
    instead of logging in a second time."""

    def __init__(self, identity):
        self.identity = identity
        self._lock = threading.Lock()
        self._sent = threading.local()

    @property
    def project_id(self):
        return self.identity.project_id

    @property
    def catalog(self):
        return self.identity.catalog

    @property
    def auth_type(self):
        return self.identity.auth_type

    @property
    def token(self):
        return self.identity.token

    def login(self):
        with self._lock:
            self.identity.login()

    def headers(self, method, url, payload, microversion=None):
        self._sent.token = getattr(self.identity, 'token', None)
        return self.identity.headers(method, url, payload, microversion)

    def accepted(self):
        with self._lock:
            # only the token this thread sent counts: another thread may have renewed it since
            if getattr(self._sent, 'token', None) == getattr(self.identity, 'token', None):
                self.identity.accepted()

    def reauthenticate(self):
        with self._lock:
            current = getattr(self.identity, 'token', None)
            if current is not None and current != getattr(self._sent, 'token', None):
                return True  # renewed by another thread since this one sent its request
            return self.identity.reauthenticate()


# Answers that say the same to every server of the batch: the cloud does not offer the call (plain Nova: 300 on /v1).
LASTING_STATUSES = (300, 400, 403, 404, 405, 501)


class SharedFlavors(object):
    """Flavor documents (and the resize targets of a flavor) asked for by the servers of a batch: each fetched once,
    the others wait for it. An answer that the cloud does not offer the call is kept too; other errors are not (the
    next server asks again)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._docs = {}
        self._busy = {}

    def get(self, key, fetch):
        with self._lock:
            if key in self._docs:
                return self._kept(key)
            event = self._busy.get(key)
            mine = event is None
            if mine:
                event = self._busy[key] = threading.Event()
        if not mine:
            event.wait()
            with self._lock:
                if key in self._docs:
                    return self._kept(key)
            return fetch()  # the first fetch failed: try on our own
        try:
            value = fetch()
            with self._lock:
                self._docs[key] = (value, None)
            return value
        except (NotOfferedError, ApiError) as exc:
            if isinstance(exc, NotOfferedError) or exc.status in LASTING_STATUSES:
                with self._lock:
                    self._docs[key] = (None, exc)
            raise
        finally:
            with self._lock:
                self._busy.pop(key, None)
            event.set()

    def _kept(self, key):
        value, error = self._docs[key]
        if error is not None:
            raise error
        return value


class BatchCompute(ComputeApi):
    """The compute API of one server of a batch: its own transport (its requests count as its own), the batch's login,
    endpoint and flavor cache. The resize targets of a server are asked once per flavor (by source_flavor_id) when
    the batch's listing shows the server's flavor id."""

    def __init__(self, credentials, login, compute_url, flavors, transport=None, feed=None):
        super(BatchCompute, self).__init__(credentials, transport=transport, identity=login, compute_url=compute_url)
        self.flavors = flavors
        self.feed = feed

    def resize_flavors(self, server_id, page_size=PAGE_SIZE, source_flavor_id=None):
        flavor_id = source_flavor_id or (self.feed.flavor_id_of(server_id) if self.feed is not None else None)
        if not flavor_id:
            return ComputeApi.resize_flavors(self, server_id, page_size)
        return self.flavors.get(('resize_flavors', flavor_id),
                                lambda: ComputeApi.resize_flavors(self, server_id, page_size, source_flavor_id=flavor_id))

    def connect(self):
        if not self.compute_url:  # pragma: no cover - a BatchCompute is made connected
            super(BatchCompute, self).connect()

    def get_flavor(self, flavor_id):
        return self.flavors.get(('flavor', flavor_id), lambda: ComputeApi.get_flavor(self, flavor_id))

    def list_flavors(self):
        return self.flavors.get(('flavors',), lambda: ComputeApi.list_flavors(self))


class ServerDirectory(object):
    """Finds the servers of a batch (resolve.find_server) in the feed's listing; what it does not hold is asked of the
    cloud as before (a server created since, an id that is no UUID)."""

    def __init__(self, feed, compute):
        self.feed = feed
        self.compute = compute
        self.compute_url = getattr(compute, 'compute_url', None)

    def get_server(self, server_id):
        doc = self.feed.known(server_id)
        return doc if doc is not None else self.compute.get_server(server_id)

    def list_servers(self, name_regex=None, status=None):
        name = exact_name(name_regex)
        if name is not None and status is None:
            found = self.feed.named(name)
            if found is not None:
                return found
        return self.compute.list_servers(name_regex, status=status)


def exact_name(regex):
    """The name an anchored exact-name regex (resolve.anchored_name_regex) matches, or None for any other regex."""
    if not isinstance(regex, str) or not (regex.startswith('^') and regex.endswith('$')) or regex.endswith('\\$'):
        return None
    out, escaped = [], False
    for char in regex[1:-1]:
        if escaped:
            out.append(char)
            escaped = False
        elif char == '\\':
            escaped = True
        elif char in '.^$*+?{}[]|()':
            return None
        else:
            out.append(char)
    return None if escaped else ''.join(out)


class FleetFeed(object):
    """The listing reader of a batch: the servers in flight wait on it (`watch`) instead of reading on their own.

    `compute` is the batch's own ComputeApi (its transport sends the listings), `api` "nova" (GET /servers/detail
    with changes-since) or "ecs" (GET /v1/.../cloudservers/detail, every server each time). `note(text)` is told, once,
    why the batch falls back to per-server reads."""

    READ_ALONE = READ_ALONE

    def __init__(self, compute, api='nova', clock=time.monotonic, schedule=None, note=None):
        self.compute = compute
        self.api = api
        self.clock = clock
        self.schedule = schedule or ListingSchedule()
        self.note = note or (lambda text: None)
        self.mode = LISTING
        self.why = None
        self.listings = 0          # listings read (a listing of several pages counts once)
        self.per_server_reads = 0  # reads the listings could not spare (servers read on their own)
        self.book = PhaseBook()
        self._cond = threading.Condition()
        self._docs = {}            # server id -> latest document seen in a listing
        self._prints = {}          # server id -> fingerprint of it
        self._changed_at = {}      # server id -> clock time of the listing that showed it changed
        self._by_name = {}
        self._covered_at = None    # clock time the last listing began: every document is current as of then
        self._since = None         # cloud time (seconds) of the last listing's answer
        self._margin = SINCE_MARGIN
        self._full_at = None       # clock time of the last listing without changes-since
        self.missed = 0            # changes a full listing found that the filtered ones had not shown
        self._waiting = {}         # server id -> (due, delay)
        self._reading = False
        self._failed_round = None  # clock time of a listing that failed: its waiters read on their own

    # -- the first listing, and finding servers in it ---------------------------------------------------------------

    def start(self):
        """The first listing (every server of the project): the servers are found in it. Falls back to per-server reads
        (and to finding servers one by one) when the cloud does not answer it."""
        try:
            self._read(first=True)
        except EcsError as exc:
            self._fall_back('the first server listing failed (%s)' % exc.message)

    def known(self, server_id):
        """The server's document in the listing, or None when the feed cannot tell (the cloud is asked then)."""
        with self._cond:
            doc = self._docs.get(server_id) if self.mode == LISTING else None
            return doc if doc is not None and self._status(doc) != 'DELETED' else None

    def flavor_id_of(self, server_id):
        """The flavor id the listing shows for the server (None when it shows none: 2.47+ embeds the flavor without)."""
        doc = self.known(server_id)
        flavor = doc.get('flavor') if isinstance(doc, dict) else None
        return flavor.get('id') if isinstance(flavor, dict) and isinstance(flavor.get('id'), str) else None

    def read_alone(self):
        """Count a read of one server the listings could not spare."""
        with self._cond:
            self.per_server_reads += 1

    def named(self, name):
        """The documents of the servers named `name` in the listing, or None when the feed cannot tell."""
        with self._cond:
            if self.mode != LISTING or self._covered_at is None:
                return None
            ids = self._by_name.get(name) or []
            docs = [self._docs[i] for i in ids if self._status(self._docs[i]) != 'DELETED']
            return docs or None  # not found: ask the cloud (a server created since)

    # -- the phase durations the servers learn from each other -----------------------------------------------------

    def learn(self, key, shortest, longest):
        with self._cond:
            self.book.learn(key, shortest, longest)

    def expected(self, key):
        with self._cond:
            return self.book.expected(key)

    # -- waiting -----------------------------------------------------------------------------------------------------

    def watch(self, server_id, delay, seen_at):
        """Wait for the server's next document: once a listing that began at least `delay` seconds from now has been
        read, or sooner when one shows the server changed since `seen_at` (clock). Returns (document, clock time it
        was current at), or (READ_ALONE, None) when the caller must read the server on its own (the remaining delay
        is then its to wait: None when it has passed)."""
        now = self.clock()
        due = now + max(0.0, delay)
        with self._cond:
            self._waiting[server_id] = (due, delay)
            self._cond.notify_all()
            try:
                while True:
                    answer = self._answer(server_id, due, delay, seen_at)
                    if answer is not None:
                        return answer
                    if not self._reading:
                        at = self.schedule.next_listing(self._covered_at, self._waiting.values())
                        now = self.clock()
                        if at is not None and at <= now:
                            self._reading = True
                            self._cond.release()
                            try:
                                self._listing_round()
                            finally:
                                self._cond.acquire()
                                self._reading = False
                                self._cond.notify_all()
                            continue
                        self._cond.wait(max(0.001, (at - now) if at is not None else 0.5))
                    else:
                        self._cond.wait(0.5)
            finally:
                self._waiting.pop(server_id, None)

    def _answer(self, server_id, due, delay, seen_at):
        """Under the lock: what `watch` returns now, or None to wait on."""
        if self.mode != LISTING:
            return READ_ALONE, None
        if self._failed_round is not None and self._failed_round >= due - self.schedule.early(delay):
            return READ_ALONE, None
        doc = self._docs.get(server_id)
        if doc is None:
            return READ_ALONE, None
        changed = self._changed_at.get(server_id)
        if changed is not None and seen_at is not None and changed > seen_at:
            return self._handed(server_id, doc)
        if self.schedule.answers(self._covered_at, due, delay):
            return self._handed(server_id, doc)
        return None

    def _handed(self, server_id, doc):
        if self._status(doc) == 'DELETED':
            return READ_ALONE, None  # listed as deleted: a read of its own says so (404)
        return doc, self._covered_at

    @staticmethod
    def _status(doc):
        status = doc.get('status') if isinstance(doc, dict) else None
        return status.upper() if isinstance(status, str) else None

    def _listing_round(self):
        """Read the listing (outside the lock); a failure makes this round's waiters read on their own."""
        try:
            self._read()
        except (ApiError, NotOfferedError) as exc:
            if exc.status == 400 or isinstance(exc, NotOfferedError):
                self._fall_back('the cloud refused the server listing with changes-since (%s)' % exc.message)
            else:
                with self._cond:
                    self._failed_round = self.clock()
        except EcsError:
            with self._cond:
                self._failed_round = self.clock()

    # -- reading ------------------------------------------------------------------------------------------------------

    def _read(self, first=False):
        if self.api == 'ecs':
            docs = self._read_ecs()
            sent_at = self.compute.transport.sent_at
            full = True
        else:
            full = first or self._since is None or self._full_at is None or self.clock() - self._full_at >= FULL_EVERY
            query = None if full else {'changes-since': iso_utc(self._since - self._margin)}
            docs, date, sent_at = self.compute.servers_detail(query, page_size=PAGE_SIZE)
            answered = cloud_time(date)
            if answered is None:
                self._fall_back('the cloud sends no Date header, so changes-since cannot be used')
                return
            if not full and ignores_filter(docs, self._since - self._margin):
                self._fall_back('this cloud ignores the changes-since filter of the server listing')
                return
            if full:
                self._full_at = self.clock()
                if not first and self._since is not None:
                    self._check_missed(docs, self._since)
            self._since = answered
        # the listing shows the servers as they were when its first page went out (after any pacing, and retries)
        began = sent_at if sent_at is not None and self.clock is time.monotonic else self.clock()
        with self._cond:
            self.listings += 1
            self._failed_round = None
            seen = set()
            for doc in docs:
                server_id = doc.get('id') if isinstance(doc, dict) else None
                if not server_id:
                    continue
                seen.add(server_id)
                mark = fingerprint(doc)
                if self._prints.get(server_id) != mark:
                    self._prints[server_id] = mark
                    self._changed_at[server_id] = began
                    old = self._docs.get(server_id)
                    if old is not None and old.get('name') != doc.get('name'):
                        self._forget_name(old.get('name'), server_id)
                    self._by_name.setdefault(doc.get('name'), [])
                    if server_id not in self._by_name[doc.get('name')]:
                        self._by_name[doc.get('name')].append(server_id)
                self._docs[server_id] = doc
            if full:
                for server_id in [i for i in self._docs if i not in seen]:
                    self._forget_name(self._docs[server_id].get('name'), server_id)
                    del self._docs[server_id]
                    self._prints.pop(server_id, None)
            self._covered_at = began
            self._cond.notify_all()

    def _check_missed(self, docs, previous):
        """A full listing: a server that changed before the previous (filtered) listing answered (`previous`, cloud
        time) without that listing showing it was missed: the clocks of the cloud's hosts are further apart than the
        margin, so it grows (the full listing itself puts the documents right)."""
        with self._cond:
            missed = 0
            for doc in docs:
                server_id = doc.get('id') if isinstance(doc, dict) else None
                updated = updated_seconds(doc)
                if (server_id in self._prints and self._prints[server_id] != fingerprint(doc)
                        and updated is not None and updated < previous - IGNORED_FILTER_SLACK):
                    missed += 1
            if missed:
                self.missed += missed
                self._margin = min(MAX_MARGIN, self._margin * 4)

    def _forget_name(self, name, server_id):
        ids = self._by_name.get(name) or []
        if server_id in ids:
            ids.remove(server_id)

    def _read_ecs(self):
        servers = self.compute.ecs_list_servers(page_size=PAGE_SIZE)
        if len(servers) > MAX_FULL_PAGES * PAGE_SIZE:
            self._fall_back('the project has %d servers: listing them all costs more than reading the servers in flight'
                            % len(servers))
            raise _FellBack()
        return servers

    def _fall_back(self, why):
        with self._cond:
            if self.mode == PER_SERVER:
                return
            self.mode = PER_SERVER
            self.why = why
            self._cond.notify_all()
        self.note('%s: each server is read on its own' % why)

    def summary(self):
        """What the result says about how the servers were observed."""
        return dict(method=self.mode, reason=self.why, listings=self.listings, per_server_reads=self.per_server_reads,
                    learnt_phases=len(self.book), missed_changes=self.missed)


class _FellBack(EcsError):
    def __init__(self):
        super(_FellBack, self).__init__('fell back to per-server reads')
