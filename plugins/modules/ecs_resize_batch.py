#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ecs_resize_batch
short_description: Change the flavor of many ECS / OpenStack servers in parallel, idempotently
version_added: 1.0.0
description:
  - Resizes, confirms or reverts a list of servers (O(servers)) in one task, O(concurrency) servers at a time.
    The servers are worked on by a sliding window of workers inside one module run; the next server starts as soon as
    any running one is done, not when a whole batch is.
  - Each server is handled exactly as M(ecs_ops.compute.ecs_resize) handles one, with the same decisions, waiting,
    messages and return values per server; see that module for what happens to one server
    (idempotency, resuming a resize under way, rollbacks by the cloud, stopped servers, allowed targets).
  - The servers of the list share one login (one token) and one pace of requests, and each has its own HTTP
    connection. Clouds throttle per project, so the workers slow down together when the cloud says so (a
    C(Retry-After), or rate-limit headers) and do not run into its limit again.
  - The servers are found in one listing of the project's servers, and while they wait they are observed through
    listings of the servers changed since the previous one (C(GET servers/detail?changes-since=...); with
    O(api=ecs) the ECS listing C(GET /v1/.../cloudservers/detail)) instead of one read per server; a listing is read
    when the first server is due for a look, and answers every server due soon after. A server the listing cannot
    answer for (deleted, a listing that failed) is read on its own; on a cloud that refuses or ignores
    C(changes-since) every server is read on its own, which is said from C(-v) on. RV(observation) tells which.
  - Servers going from the same flavor to the same target learn from each other how long each phase lasts, so that
    a server is looked at again when the others' phase ended, not before.
  - The whole list is checked before anything is sent (every item names a server, no server is listed twice,
    a flavor for every O(state=present) item, O(concurrency) at least 1); a wrong list fails naming every problem,
    and nothing is sent.
  - One failed server does not stop the others. The module fails when any server failed, with a message naming
    how many and which servers failed and why, and returns RV(results) for every server either way.
author:
  - ecs_ops maintainers (@ecs-ops)
extends_documentation_fragment:
  - ecs_ops.compute.connection
  - ecs_ops.compute.resize
seealso:
  - module: ecs_ops.compute.ecs_resize
    description: Resizes one server; what this module does for each server of the list.
  - module: ecs_ops.compute.ecs_server_info
    description: Shows the flavor a server runs on and whether a resize is pending.
attributes:
  check_mode:
    support: full
    description: Reports for each server what would be done (V(changed) as a real run would), sends nothing.
  diff_mode:
    support: full
    description: Shows the flavor of each server before and after.
options:
  servers:
    description:
      - The servers to work on, in this order. Items with the settings of one server; a setting an item leaves out
        comes from the module option of the same name.
      - A server may be listed only once (by the same name or id).
    type: list
    elements: dict
    required: true
    suboptions:
      server:
        description:
          - Name or id of the server. An id is tried first; a name must match exactly one server.
        type: str
        required: true
      flavor:
        description:
          - The flavor this server should run on (id, name or flavor URI); defaults to O(flavor).
        type: str
      state:
        description:
          - What to do with this server (see O(state)); defaults to O(state).
        type: str
        choices: [present, confirmed, reverted]
      confirm:
        description:
          - Whether to confirm this server's resize (see O(confirm)); defaults to O(confirm).
        type: bool
  concurrency:
    description:
      - How many servers are worked on at the same time (at least 1).
      - With V(1) the servers are handled one after the other.
    type: int
    default: 10
  missing:
    description:
      - What to do with a server of O(servers) that does not exist.
      - V(fail) fails that server (and so the task), as any other error does.
      - V(skip) reports it with RV(results[].outcome=missing) and does not count it as failed.
      - A flavor that does not exist fails the server either way.
    type: str
    choices: [fail, skip]
    default: fail
notes:
  - All servers are worked on within the one module run, so the task lasts as long as the slowest window of servers;
    with O(wait=true) and many servers, set O(timeout) per server and O(concurrency) accordingly.
  - A cloud rate limit is waited out as by M(ecs_ops.compute.ecs_resize), and the pace it leads to is kept by every
    server of the list (RV(observation.throttled), RV(observation.paced_rate)).
  - The resize targets a cloud allows (O(validate_target)) are asked once per source flavor
    (C(resize_flavors?source_flavor_id=...)), not once per server, when the listing shows the servers' flavor ids.
  - Warnings about one server are shown prefixed with its name.
  - "While the servers wait for the cloud, each new phase of a server (C(web-1: RESIZE/resize_migrating, 35 s)) is shown
    from C(-v) on, and a phase that lasts is shown again every minute at the default verbosity
    (C(web-1: still RESIZE/resize_migrating [2m00s elapsed])), as the lines arrive. This works when the module runs
    inside the controller (the local connection, see the collection's README). A module process cannot show anything
    while it runs, as Ansible reads its output once it has ended; there the lines go to the system log of the host it
    runs on (journal or syslog, unless C(no_target_syslog))."
'''

EXAMPLES = r'''
- name: Resize three servers, two at a time, and confirm
  ecs_ops.compute.ecs_resize_batch:
    cloud: otc
    flavor: s6.large.2
    concurrency: 2
    servers:
      - server: web-1
      - server: web-2
      - server: db-1
        flavor: s6.xlarge.2
  register: fleet

- name: Show what happened to each server
  ansible.builtin.debug:
    msg: "{{ item.item.server }}: {{ item.previous_flavor.name | default('?') }} -> {{ item.server.flavor.name | default('?') }}"
  loop: "{{ fleet.results }}"
  loop_control:
    label: "{{ item.item.server }}"

- name: Resize without confirming, check the services, then confirm all at once
  module_defaults:
    group/ecs_ops.compute.ecs:
      cloud: otc
  block:
    - name: Resize, leaving the resizes pending confirmation
      ecs_ops.compute.ecs_resize_batch:
        flavor: s6.xlarge.2
        confirm: false
        servers:
          - server: web-1
          - server: web-2
      register: resized

    - name: Check the services
      ansible.builtin.uri:
        url: "http://{{ item.item.server }}.example.com/health"
      loop: "{{ resized.results }}"
      loop_control:
        label: "{{ item.item.server }}"

    - name: Confirm the resizes
      ecs_ops.compute.ecs_resize_batch:
        state: confirmed
        servers:
          - server: web-1
          - server: web-2

- name: Carry on with the other tasks even when a server failed
  ecs_ops.compute.ecs_resize_batch:
    cloud: otc
    flavor: s6.large.2
    servers:
      - server: web-1
      - server: web-2
      - server: db-1
  register: fleet
  ignore_errors: true

- name: List the servers that failed
  ansible.builtin.debug:
    msg: "{{ fleet.results | selectattr('failed') | map(attribute='item.server') | list }}"
'''

RETURN = r'''
results:
  description:
    - One entry per item of O(servers), in the same order, with what M(ecs_ops.compute.ecs_resize) returns for one server
      plus RV(results[].item), RV(results[].failed) and RV(results[].msg).
  returned: always
  type: list
  elements: dict
  contains:
    item:
      description: The item of O(servers) as given.
      returned: always
      type: dict
      sample: {server: web-1, flavor: s6.large.2}
    failed:
      description: Whether this server failed.
      returned: always
      type: bool
      sample: false
    msg:
      description:
        - What happened to this server, or why it failed.
        - A resize sent with O(wait=false) says that it is left unconfirmed.
      returned: always
      type: str
      sample: resized to s6.large.2 and confirmed
    changed:
      description: Whether this server was changed (or would be, in check mode).
      returned: always
      type: bool
      sample: true
    server:
      description: The server as last seen (empty when it was not found).
      returned: always
      type: dict
      sample:
        id: 1f0e7b3c-5a41-4a8e-9a55-6d1c1c6f1a01
        name: web-1
        status: ACTIVE
        vm_state: active
        task_state: null
        power_state: 1
        locked: null
        flavor: {id: s6.large.2, name: s6.large.2, vcpus: 2, ram: 4096, disk: 0}
    previous_flavor:
      description: The flavor the server ran on before this run (id, name, vcpus, ram, disk).
      returned: when the server was found
      type: dict
      sample: {id: s6.medium.2, name: s6.medium.2, vcpus: 1, ram: 2048, disk: 0}
    flavor:
      description: The target flavor (id, name, vcpus, ram, disk); without a flavor, the server's current flavor.
      returned: when the server was found
      type: dict
      sample: {id: s6.large.2, name: s6.large.2, vcpus: 2, ram: 4096, disk: 0}
    actions:
      description: The API actions sent for this server, in order (C(resize), C(confirmResize), C(revertResize), V(ecs:resize)).
      returned: always
      type: list
      elements: str
      sample: [resize, confirmResize]
    request_ids:
      description: The cloud's request id of each action sent, by RV(results[].actions) entry.
      returned: when the server was found
      type: dict
      sample: {resize: req-0d2b6f7e-2c55-4a4f-9b1d-3c7d0b0f8e11}
    job_id:
      description: The id of the ECS job started for this server with O(api=ecs); V(null) otherwise.
      returned: when the server was found
      type: str
      sample: ff808082739334d80173a2a5a6b4045f
    job:
      description: The ECS job as last seen (O(api=ecs)), as RV(ecs_ops.compute.ecs_resize#module:job) of M(ecs_ops.compute.ecs_resize).
      returned: when a job was started and polled
      type: dict
      sample: {id: ff808082739334d80173a2a5a6b4045f, status: SUCCESS, error_code: null, fail_reason: null}
    target_validation:
      description: What came of the check of the target against the flavors the cloud allows (O(validate_target)).
      returned: when the server was found
      type: str
      sample: passed
    allowed_flavors:
      description: The names of the flavors the cloud allows as resize targets of this server, when the target is not one of them.
      returned: when RV(results[].error=target_not_allowed)
      type: list
      elements: str
      sample: [s6.large.2, s6.xlarge.2]
    rolled_back:
      description: Whether the cloud rolled this server's resize back by itself (the server then failed).
      returned: always
      type: bool
      sample: false
    pending_confirmation:
      description: Whether a resize of this server is left pending confirmation (status VERIFY_RESIZE).
      returned: always
      type: bool
      sample: false
    outcome:
      description:
        - What this server's run came to, derived from what it sent and what the server showed at the end, as
          RV(ecs_ops.compute.ecs_resize#module:outcome) of M(ecs_ops.compute.ecs_resize).
        - Also V(missing) - the server does not exist and O(missing=skip) (not a failure).
      returned: always
      type: str
      sample: resized
    events:
      description: The failed events of the resize instance action, when the cloud rolled the resize back.
      returned: when rolled_back
      type: list
      elements: dict
      sample: [{event: cold_migrate, result: Error, message: null}]
    error:
      description: A short code for why this server failed, as RV(ecs_ops.compute.ecs_resize#module:error) of M(ecs_ops.compute.ecs_resize).
      returned: when this server failed
      type: str
      sample: rolled_back
    elapsed:
      description: Seconds this server's run took.
      returned: always
      type: float
      sample: 42.137
    api_calls:
      description: Number of HTTP requests this server's run sent to the cloud (authentication included).
      returned: always
      type: int
      sample: 9
elapsed:
  description: Seconds the whole task took.
  returned: always
  type: float
  sample: 61.024
api_calls:
  description:
    - Number of HTTP requests sent for all servers together, those of the whole batch (the login, the listings)
      included; RV(results[].api_calls) counts each server's own.
  returned: always
  type: int
  sample: 120
observation:
  description: How the servers were found and observed while they waited.
  returned: when servers were given and the credentials worked
  type: dict
  contains:
    method:
      description:
        - V(listing) - through listings of the project's servers, one for all the servers waiting.
        - V(per_server) - each server read on its own (a single server, or a cloud that cannot answer the listing;
          RV(observation.reason) says why).
      type: str
      returned: always
      sample: listing
    reason:
      description: Why the servers were read one by one, or V(null).
      type: str
      returned: always
      sample: null
    listings:
      description: Listings read (a listing of several pages counts once).
      type: int
      returned: always
      sample: 36
    per_server_reads:
      description: Reads of one server the listings could not spare.
      type: int
      returned: always
      sample: 0
    learnt_phases:
      description: Phase durations the servers learnt from one another.
      type: int
      returned: always
      sample: 250
    missed_changes:
      description:
        - Changes the listing of every server, read once a minute, found that the listings of what changed had not
          shown (the clocks of the cloud's hosts apart; the margin of C(changes-since) then grows). Normally V(0).
      type: int
      returned: always
      sample: 0
    api_calls:
      description: Requests of the batch as a whole (the login, the listings), not counted in any server's.
      type: int
      returned: always
      sample: 38
    throttled:
      description: Answers in which the cloud throttled the project (429, C(Common.1503), C(Common.0024)).
      type: int
      returned: always
      sample: 0
    paced_rate:
      description: Requests per second the batch kept to after the cloud throttled it, or V(null).
      type: float
      returned: always
      sample: null
  sample: {method: listing, reason: null, listings: 36, per_server_reads: 0, learnt_phases: 250, missed_changes: 0,
           api_calls: 38, throttled: 0, paced_rate: null}
failed_servers:
  description: The servers (as given in O(servers)) that failed, in input order.
  returned: always
  type: list
  elements: str
  sample: [web-3]
'''

import threading
import time
import traceback

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.batch import (
    MISSING_CHOICES, batch_requests, explained, missing_result, prefixed, run_parallel, summarise,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError, NotFoundError
from ansible_collections.ecs_ops.compute.plugins.module_utils.fleet import (
    BatchCompute, FleetFeed, ServerDirectory, SharedFlavors, SharedLogin,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import RESIZE_OPTIONS, ResizeOperation
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import find_server
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import Transport, pacer_for

ITEM_OPTIONS = dict(
    server=dict(type='str', required=True),
    flavor=dict(type='str'),
    state=dict(type='str', choices=RESIZE_OPTIONS['state']['choices']),
    confirm=dict(type='bool'),
)


class EcsResizeBatchModule(EcsModule):
    argument_spec = dict(
        RESIZE_OPTIONS,
        servers=dict(type='list', elements='dict', required=True, options=ITEM_OPTIONS),
        concurrency=dict(type='int', default=10),
        missing=dict(type='str', default='fail', choices=list(MISSING_CHOICES)),
    )

    def execute(self):
        started = time.monotonic()
        requests = batch_requests(self.params, check_mode=self.module.check_mode)
        items = self.params['servers']
        if not requests:
            return dict(changed=False, msg='no servers given: nothing to do', results=[], failed_servers=[],
                        elapsed=0.0, api_calls=0)
        # Credentials are resolved (and reported when wrong) once, and tried once: a wrong password fails the
        # task with one message instead of one failed login per server.
        first = self.compute
        try:
            first.connect()
        except EcsError as exc:
            results = [_completed(dict(changed=False, failed=True, msg=exc.message), item, None, started) for item in items]
            summary = self._summary(results, started, api_calls=first.calls)
            raise EcsError('%s (nothing was sent for any of the %d servers)' % (exc.message, len(items)), result=summary)
        # One login, one flavor cache and one pace for the whole batch: the cloud throttles per project. Each server
        # keeps its own HTTP session (its requests count as its own).
        login = SharedLogin(first.identity)
        pacer = pacer_for(urlsplit(first.compute_url).netloc, first.project_id or first.compute_url)
        first.transport.pacer = pacer
        flavors = SharedFlavors()
        feed = None
        if len(requests) > 1:
            # the servers are found in one listing and, while they wait, observed through one listing
            feed = FleetFeed(first, api=self.params['api'], note=self._note)
            feed.start()
        spare = [] if feed is not None else [first]
        lock = threading.Lock()

        def connection():
            with lock:
                if spare:
                    return spare.pop()
            return BatchCompute(first.credentials, login, first.compute_url, flavors,
                                transport=Transport.for_credentials(first.credentials, pacer=pacer), feed=feed)

        work = list(zip(requests, items))
        progress = self.progress_hook()
        outcomes = run_parallel(lambda pair: self._run_one(pair[0], pair[1], connection, progress, feed), work,
                                self.params['concurrency'])
        results, crashes = [], []
        for (request, item), outcome in zip(work, outcomes):
            if isinstance(outcome, Exception):  # only when _run_one itself has a bug
                outcome = (_completed(dict(changed=False, failed=True, msg='unexpected error: %s: %s' % (type(outcome).__name__, outcome)),
                                      item, None, started), [], None)
            result, warnings, crash = outcome
            for warning in warnings:
                self.module.warn(prefixed(request.server, warning))
            if crash:
                crashes.append(crash)
            results.append(result)
        summary = self._summary(results, started)
        shared = first.calls if feed is not None else 0
        summary['api_calls'] += shared
        summary['observation'] = _observation(feed, shared, pacer)
        if crashes:
            summary['exception'] = crashes[0]
        if summary['failed_servers']:
            raise EcsError(summarise(results), result=summary)
        summary['msg'] = summarise(results)
        return summary

    @staticmethod
    def _summary(results, started, api_calls=None):
        return dict(
            changed=any(r.get('changed') for r in results),
            results=results,
            failed_servers=[r['item']['server'] for r in results if r.get('failed')],
            elapsed=round(time.monotonic() - started, 3),
            api_calls=sum(r.get('api_calls') or 0 for r in results) if api_calls is None else api_calls,
            diff=dict(before=dict((r['item']['server'], r.pop('_before')) for r in results),
                      after=dict((r['item']['server'], r.pop('_after')) for r in results)),
        )

    def _note(self, text):
        """A line about the whole batch, shown from -v on (in the controller; a module process logs it)."""
        show = getattr(self.module, 'show_progress', None)
        if show is not None:
            show(text, 1)
        else:
            self.module.log(text)

    def _run_one(self, request, item, connection, progress=None, feed=None):
        """One server: (result, warnings, traceback of an unexpected error or None). Never raises."""
        warnings = []
        compute = None
        started = time.monotonic()
        crash = None
        try:
            compute = connection()
            finder = ServerDirectory(feed, compute) if feed is not None else None
            result = explained(ResizeOperation(compute, request, warn=warnings.append, progress=progress, feed=feed,
                                               finder=finder).execute())
            result['failed'] = False
        except EcsError as exc:
            if isinstance(exc, NotFoundError) and self.params['missing'] == 'skip' and not _exists(compute, request.server):
                result = missing_result(request.server)
            else:
                result = dict(exc.result or {})
                result.setdefault('changed', False)
                result['failed'] = True
                result['msg'] = exc.message
        except Exception as exc:  # pylint: disable=broad-except
            # a bug of ours: one sentence for this server, the traceback for -vvv
            result = dict(changed=False, failed=True, msg='unexpected error: %s: %s' % (type(exc).__name__, exc))
            crash = traceback.format_exc()
        finally:
            if compute is not None:
                compute.close()
        return _completed(result, item, compute, started), warnings, crash


def _observation(feed, shared_calls, pacer):
    """How the servers were observed: one listing for all (and how many), or each on its own (and why)."""
    if feed is None:
        observed = dict(method='per_server', reason='a single server', listings=0, per_server_reads=None, learnt_phases=0,
                        missed_changes=0)
    else:
        observed = feed.summary()
    observed['api_calls'] = shared_calls
    observed['throttled'] = pacer.throttled
    observed['paced_rate'] = round(pacer.rate, 2) if pacer.rate else None
    return observed


def _exists(compute, server):
    """After a "not found": whether it was the server that was not found (rather than the flavor)."""
    try:
        find_server(compute, server)
    except NotFoundError:
        return False
    except EcsError:  # ambiguous name, cloud error: it is not a missing server
        return True
    return True


def _completed(result, item, compute, started):
    """A server's result with the keys every entry of `results` has; its diff kept aside for the module's."""
    diff = result.pop('diff', None) or {}
    result['_before'] = (diff.get('before') or {}).get('flavor') or {}
    result['_after'] = (diff.get('after') or {}).get('flavor') or {}
    result['item'] = dict((k, v) for k, v in item.items() if v is not None)
    result.setdefault('server', {})
    result.setdefault('actions', [])
    result.setdefault('rolled_back', False)
    result.setdefault('pending_confirmation', False)
    result.setdefault('outcome', 'failed' if result.get('failed') else 'unchanged')
    result.setdefault('elapsed', round(time.monotonic() - started, 3))
    result['api_calls'] = compute.calls if compute is not None else result.get('api_calls', 0)
    return result


def main():
    EcsResizeBatchModule().run()


if __name__ == '__main__':
    main()
