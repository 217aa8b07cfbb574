# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One resize, confirm or revert of one server: what was asked (ResizeRequest), and the loop that gets it done
(ResizeOperation: observe the server, decide the next step, act, wait, until done).

The decision is resize.py's. How a step is sent and waited for depends on the API: NovaActions (the Nova server
actions: resize, then confirmResize) or EcsJobs (the native ECS resize job), one strategy object each.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from datetime import datetime, timedelta

try:
    from datetime import timezone
    UTC = timezone.utc
except ImportError:  # pragma: no cover
    UTC = None

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import (
    NATIVE_LABELS, RESTART_MARKER, RESTART_MODES, JobState, decide_native_step, native_final_status, restart_marked,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, EcsError, InputError, ResizeError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, same_flavor, with_known_details
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    CONFIRM, DONE, FAIL, MARK, NOOP, PENDING, RESIZE, REVERT, START, STOP, UNMARK, WAIT, Goal, ServerState, decide_next_step,
    final_status_of, outcome_of,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import (
    allowed_targets, describe_server_flavor, find_allowed, find_server, not_allowed_message, resolve_flavor, sold_out,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import Deadline, PollPolicy

STATES = ('present', 'confirmed', 'reverted')
APIS = ('nova', 'ecs')

# The options of one resize, shared by ecs_resize and ecs_resize_batch (documented once: doc_fragments/resize.py).
RESIZE_OPTIONS = dict(
    flavor=dict(type='str'),
    state=dict(type='str', default='present', choices=list(STATES)),
    confirm=dict(type='bool', default=True),
    wait=dict(type='bool', default=True),
    timeout=dict(type='int', default=1800),
    allow_restart=dict(type='bool', default=True),
    api=dict(type='str', default='nova', choices=list(APIS)),
    validate_target=dict(type='str', default='auto', choices=['auto', 'always', 'never']),
    restart_mode=dict(type='str', choices=list(RESTART_MODES)),
    dedicated_host_id=dict(type='str'),
)

# An instance action counts as "ours" after an unclear answer to a POST when it started this close to our request.
ACTION_CLOCK_SKEW = timedelta(seconds=120)
# A phase that lasts is reported again ("still ...") this often.
PROGRESS_EVERY = 60.0
# A request that got no clear answer and left no sign is sent again at most this often, after a growing pause.
RESEND_LIMIT = 3
RESEND_PAUSE = 1.0
RESEND_PAUSE_MAX = 8.0
# In a batch, a native job is read when the listing shows its server at rest after a change; a job whose server does
# not change is read this long after it was sent, then at half the time since, at most every JOB_READ_MAX seconds.
JOB_READ_FIRST = 2.0
JOB_READ_MAX = 30.0


class ResizeRequest(object):
    """What was asked for one server: the module options of ecs_resize, or one item of ecs_resize_batch."""

    FIELDS = ('server', 'flavor', 'state', 'confirm', 'wait', 'timeout', 'allow_restart', 'api', 'validate_target',
              'restart_mode', 'dedicated_host_id')

    def __init__(self, server=None, flavor=None, state='present', confirm=True, wait=True, timeout=1800, allow_restart=True,
                 api='nova', validate_target='auto', restart_mode=None, dedicated_host_id=None, check_mode=False):
        self.server = server
        self.flavor = flavor
        self.state = state
        self.confirm = confirm
        self.wait = wait
        self.timeout = timeout
        self.allow_restart = allow_restart
        self.api = api
        self.validate_target = validate_target
        self.restart_mode = restart_mode
        self.dedicated_host_id = dedicated_host_id
        self.check_mode = check_mode

    @classmethod
    def from_params(cls, params, check_mode=False, item=None):
        """From validated module params; the non-None values of `item` (a batch item) take precedence."""
        values = dict((key, params.get(key)) for key in cls.FIELDS if params.get(key) is not None)
        values.update((key, value) for key, value in (item or {}).items() if key in cls.FIELDS and value is not None)
        return cls(check_mode=check_mode, **values)

    def problem(self):
        """One sentence when the request cannot work as given (nothing is sent then), else None."""
        return self.settings_problem() or self.target_problem()

    def settings_problem(self):
        """What is wrong with the settings that apply to every server (a batch checks them once)."""
        if self.timeout is None or self.timeout <= 0:
            return 'timeout must be a positive number of seconds, got %s' % self.timeout
        if self.restart_mode and self.api != 'ecs':
            return ('restart_mode applies to api=ecs only (with api=nova the cloud stops and starts a running server itself); '
                    'leave it out or set api=ecs')
        return None

    def target_problem(self):
        """What is wrong with what is asked for this server."""
        if self.state == 'present' and not (self.flavor or '').strip():
            return 'no flavor: state=present needs the target flavor (name, id or URI)'
        if self.api == 'ecs' and self.state != 'present':
            return ('state=%s does not apply to api=ecs: the native ECS resize has no confirmation step; '
                    'use api=nova to confirm or revert a pending resize' % self.state)
        if self.api == 'ecs' and not self.confirm:
            return ('confirm=false does not apply to api=ecs: the native ECS resize finishes without a confirmation step; '
                    'use api=nova to leave a resize pending confirmation')
        return None


class Observer(object):
    """Reads the server and remembers what it showed (`server`, a ServerState), since when, how often.

    In a batch (`feed`, a fleet.FleetFeed) the loop's looks at the server (`next`) come from the batch's listing,
    which hands over the document a read of the server would have given; the phases this server went through teach
    the other servers of the same flavor pair how long they last (`pair`, set once the flavors are known), and what
    they went through tells this one (`expected_in`). A look after an unclear answer or a refusal (`read`) always asks
    the cloud for this one server."""

    def __init__(self, compute, server_id, clock, feed=None):
        self.compute = compute
        self.server_id = server_id
        self.clock = clock
        self.feed = feed
        self.doc = None
        self.server = None
        self.phase = None
        self.phase_since = clock()
        self.polls_in_phase = 0
        self.reads = 0
        self.context = None     # the last request sent: what follows it is another phase than what preceded it
        self.pair = None        # (flavor before, target flavor): servers with the same pair go through the same phases
        self.seen_at = self.phase_since      # when the current document was current
        self.began_after = self.phase_since  # the current phase began after this
        self.first_seen = self.phase_since   # ... and was first seen then

    def restart_phase(self, context=None):
        """After a request the cloud starts something new: look again soon, whatever the status still says."""
        now = self.clock()
        self.phase_since = now
        self.polls_in_phase = 0
        self.context = context
        self.seen_at = self.began_after = self.first_seen = now

    def see(self, doc, at=None):
        """Take in a server document that was current at `at` (clock; default now)."""
        at = self.clock() if at is None else at
        self.doc = doc
        self.server = ServerState.from_api(doc) if doc is not None else None
        phase = (self.server.status, self.server.task_state) if self.server else None
        if phase != self.phase:
            self._learn(ended_by=at)
            self.phase = phase
            self.phase_since = at
            self.polls_in_phase = 0
            self.began_after, self.first_seen = self.seen_at, at
        else:
            self.polls_in_phase += 1
        self.seen_at = max(self.seen_at, at)
        return self.server

    def phase_key(self):
        return (self.pair, self.context) + tuple(self.phase or (None, None))

    def _learn(self, ended_by):
        """The phase that just ended lasted at least from its first to its last sighting, at most from the sighting
        before it to the one after it: what the other servers of the batch learn from."""
        if self.feed is None or self.pair is None or self.phase is None:
            return
        self.feed.learn(self.phase_key(), self.seen_at - self.first_seen, ended_by - self.began_after)

    def expected_in(self):
        """Seconds until the earliest end of the current phase that servers of the same flavor pair showed (negative
        once passed); None outside a batch or before any of them went through it."""
        if self.feed is None or self.pair is None:
            return None
        lasts = self.feed.expected(self.phase_key())
        if lasts is None:
            return None
        return self.began_after + lasts - self.clock()

    def read(self):
        """A read of this server on its own (GET of the server)."""
        self.reads += 1
        return self.see(self.compute.get_server(self.server_id))

    def next(self, delay, sleep):
        """The loop's next look at the server, `delay` seconds from now: from the batch's listing (sooner when the
        listing shows the server changed), else, or when the listing cannot answer for it, a read on its own."""
        if self.feed is not None:
            started = self.clock()
            doc, at = self.feed.watch(self.server_id, delay, self.seen_at)
            if doc is not self.feed.READ_ALONE:
                return self.see(doc, at)
            self.feed.read_alone()
            delay -= self.clock() - started
        if delay > 0:
            sleep(delay)
        return self.read()

    @property
    def phase_elapsed(self):
        return self.clock() - self.phase_since


class ResizeOperation(object):
    """Drives one server to what `request` asks. `run()` returns the result dict or raises an EcsError."""

    def __init__(self, compute, request, clock=time.monotonic, sleep=time.sleep, policy=None, warn=None, progress=None,
                 feed=None, finder=None):
        """`feed` (fleet.FleetFeed) and `finder` (fleet.ServerDirectory): what a batch passes in, so that the server is
        found in, and observed through, the batch's listing."""
        self.compute = compute
        self.request = request
        self.feed = feed
        self.finder = finder or compute
        self.clock = clock
        self.sleep = sleep
        self.policy = policy or PollPolicy()
        self.warn = warn or (lambda message: None)
        self.progress = progress
        self.reported = (None, None)  # (phase, clock) of the last progress report
        self.via = STRATEGIES[request.api](self)
        self.deadline = None
        self.observer = None
        self.target = None
        self.previous = None
        self.goal = None
        self.request_ids = {}
        self.last_request_at = None
        self.target_validation = 'not_needed'
        self.resumed = False
        self.own_actions = []

    # -- the loop ---------------------------------------------------------------------------------

    def execute(self):
        """run(); an error that ends it half-way (credentials refused, the cloud out of reach, ...) then says what this
        run had sent and how the server was last seen, and carries the result with them."""
        try:
            return self.run()
        except EcsError as exc:
            if exc.result is None and self.goal is not None:
                exc.message = interrupted_message(exc.message, [self.via.label(a) for a in self.own_actions],
                                                  self.via.last_seen())
                exc.result = self._result(changed=bool(self.goal.sent), message=exc.message)
                exc.result['outcome'] = 'failed'
            raise

    def run(self):
        request = self.request
        problem = request.problem()
        if problem:
            raise InputError(problem)
        self.deadline = Deadline(request.timeout, self.clock)
        doc = find_server(self.finder, request.server)
        self.target = resolve_flavor(self.compute, request.flavor) if request.flavor else None
        self.observer = Observer(self.compute, doc.get('id'), self.clock, feed=self.feed)
        first = self.observer.see(doc)
        self.previous = describe_server_flavor(self.compute, doc, known=[self.target])
        self.observer.pair = (_flavor_key(self.previous), _flavor_key(self.target))
        self.goal = Goal.for_request(request, target=self.target, final_status=self.via.final_status(first), previous_flavor=self.previous)
        self.resumed = first.status == 'RESIZE'
        while True:
            server = self.observer.server
            if server is not None:  # name the flavors in messages, not just their ids
                server.flavor = with_known_details(server.flavor, [f for f in (self.target, self.previous) if f is not None])
            self.update_goal(server)
            self.report_progress(server.label if server else 'gone')
            step = self.via.decide(server)
            if step.kind == NOOP:
                if self._finished_resize_found_under_way():
                    return self._result(changed=True, message='the resize found under way has finished; %s' % step.reason,
                                        found_under_way=True)
                return self._result(changed=False, message=step.reason)
            if step.kind == DONE:
                return self._result(changed=True, message=step.reason)
            if step.kind == PENDING:
                return self._result(changed=True, message=step.reason, pending=True)
            if step.kind == FAIL:
                raise self._failure(step)
            if step.action:
                if step.kind in (RESIZE, MARK, STOP) and self.target_validation == 'not_needed':  # before the first step of a resize
                    self._check_target_allowed()
                if request.check_mode:
                    return self._result(changed=True, message=self.via.predict(step), predicted=step.kind)
                self.via.send(step)
                if not request.wait:
                    return self._result(changed=True, message='%s; not waiting (wait=false)' % self.via.accepted(step), accepted_only=True)
            elif step.kind == WAIT and (request.check_mode or not request.wait) and not self.goal.sent:
                return self._result(changed=False, message='not waiting: %s' % step.reason)
            self.via.wait()

    def _finished_resize_found_under_way(self):
        """The server was found mid-resize and this run sent nothing: it ended on the target while we watched."""
        return (self.resumed and not self.goal.sent and self.target is not None
                and self.previous is not None and not same_flavor(self.previous, self.target))

    def update_goal(self, server):
        if self.last_request_at is not None:
            self.goal.since_request = self.clock() - self.last_request_at
        if server is not None and 'resize' in self.goal.sent and (
                server.status in ('RESIZE', 'VERIFY_RESIZE') or server.busy):
            self.goal.started = True
        if server is not None and self.goal.final_status is None and server.status == 'VERIFY_RESIZE':
            # a resize found under way: its power state tells once it waits for confirmation
            self.goal.final_status = final_status_of(server)

    def report_progress(self, phase):
        """Tell `progress` (if given) about a new phase, or that a phase still lasts (every PROGRESS_EVERY seconds)."""
        if self.progress is None:
            return
        last_phase, last_at = self.reported
        now = self.clock()
        if phase == last_phase and now - last_at < PROGRESS_EVERY:
            return
        self.progress(dict(server=self.observer.server.display_name if self.observer.server else self.request.server,
                           phase=phase, elapsed=round(self.deadline.elapsed, 1), still=phase == last_phase))
        self.reported = (phase, now)

    def pause(self):
        """Seconds until the next look is due (wait.PollPolicy, with what the batch learnt about this phase), within
        the timeout; fails when the timeout has passed."""
        server = self.observer.server
        delay = self.policy.next_delay(
            server.task_state if server else None,
            self.observer.phase_elapsed,
            self.observer.polls_in_phase,
            progress=server.progress if server else None,
            expected_in=self.observer.expected_in(),
        )
        if self.deadline.remaining <= 0:
            raise self._timeout()
        return self.deadline.clip(delay)

    def look_again(self):
        """Wait until the next look is due, and look: through the batch's listing, or a read of the server."""
        return self.observer.next(self.pause(), self.sleep)

    def mark_sent(self, action, request_id, own=True):
        """Remember a request the cloud accepted (or may have): what, when, and its request id. `own` is False for a
        request of someone else this run follows (it counts for the decision, not among the `actions` sent)."""
        self.goal.sent.append(action)
        if own:
            self.own_actions.append(action)
        self.last_request_at = self.clock()
        self.goal.since_request = 0.0
        self.observer.restart_phase(action)
        if request_id:
            self.request_ids[self.via.label(action)] = request_id

    def _check_target_allowed(self):
        """Preflight: fail, sending nothing, when the cloud lists the resize targets of this server and the target is not one."""
        if self.request.validate_target == 'never':
            self.target_validation = 'off'
            return
        allowed, why = allowed_targets(self.compute, self.observer.server_id)
        if allowed is None:
            self.target_validation = 'unavailable'
            if self.request.validate_target == 'always':
                result = self._result(changed=False, message=why, failure=True)
                result['error'] = 'validation_unavailable'
                raise ResizeError('validate_target=always, but the cloud offers no list of allowed resize targets (%s); '
                                  'use validate_target=auto or never on this cloud' % why, result=result)
            return
        doc = find_allowed(self.target, allowed)
        if doc is None:
            self.target_validation = 'failed'
            result = self._result(changed=False, message='target not allowed', failure=True)
            result['error'] = 'target_not_allowed'
            result['allowed_flavors'] = sorted(set(Flavor.from_api(d).name or Flavor.from_api(d).id for d in allowed))
            raise ResizeError(not_allowed_message(self.observer.server.display_name, self.target, allowed), result=result)
        self.target_validation = 'passed'
        zone = self.observer.server.availability_zone if self.observer.server else None
        if sold_out(doc, zone):
            self.warn('the cloud lists flavor %s as sold out in %s; the resize will likely be rolled back'
                      % (self.target.describe(), 'availability zone %s' % zone if zone else 'this region'))

    # -- unclear answers ----------------------------------------------------------------------------

    def took_effect(self, step, server, sent_at):
        """After an unclear answer to `step`'s request: whether the server (or its instance actions) shows that the cloud acted."""
        if server is None:
            return False
        if step.kind == RESIZE:
            return server.status in ('RESIZE', 'VERIFY_RESIZE') or server.busy or self.action_started('resize', sent_at)
        # right after a confirmation the server may still show VERIFY_RESIZE: the instance actions tell
        return server.status != 'VERIFY_RESIZE' or server.busy or self.action_started(step.action, sent_at)

    def action_started(self, action, sent_at):
        for item in self.compute.instance_actions(self.observer.server_id):
            started = _parse_time(item.get('start_time'))
            if item.get('action') == action and started is not None and started >= sent_at - ACTION_CLOCK_SKEW:
                return True
        return False

    # -- results ------------------------------------------------------------------------------------

    def _flavor_now(self):
        known = [self.target, self.previous]
        return describe_server_flavor(self.compute, self.observer.doc, known=known) if self.observer.doc else None

    def _result(self, changed, message, pending=False, predicted=None, accepted_only=False, failure=None, found_under_way=False):
        server_state = self.observer.server
        server = server_state.as_dict() if server_state else {}
        now = self._flavor_now()
        if now is not None:
            server['flavor'] = now.as_dict()
        before = self.previous.as_dict() if self.previous else {}
        if predicted in (RESIZE, MARK, STOP):
            after = self.target.as_dict()
        elif predicted == REVERT or accepted_only:
            after = {}
        else:
            after = server.get('flavor', {})
        if pending is False and server_state is not None and server_state.status == 'VERIFY_RESIZE' and not predicted:
            pending = True
        result = dict(
            changed=changed,
            msg=message,
            server=server,
            previous_flavor=before,
            flavor=self.target.as_dict() if self.target else server.get('flavor', {}),
            actions=[self.via.label(a) for a in self.own_actions],
            request_ids=dict(self.request_ids),
            target_validation=self.target_validation,
            rolled_back=False,
            pending_confirmation=bool(pending),
            outcome=outcome_of(self.goal, server_state, predicted=predicted, accepted=accepted_only, failure=failure,
                               found_under_way=found_under_way),
            elapsed=round(self.deadline.elapsed, 3),
            api_calls=self.compute.calls,
            diff=dict(before=dict(flavor=before), after=dict(flavor=after)),
        )
        result.update(self.via.result_fields())
        return result

    def _failure(self, step):
        result = self._result(changed=bool(self.goal.sent), message=step.reason, failure=step)
        result['rolled_back'] = step.rolled_back
        result['error'] = step.error
        message = step.reason
        if step.rolled_back and self.observer.server is not None:
            events = self._failed_events()
            result['events'] = events
            reasons = sorted(set(_event_reason(e) for e in events))
            if self.observer.server.fault:
                reasons.insert(0, self.observer.server.fault)
            if reasons and not self.via.failure_explained():
                message += '. The cloud said: %s' % '; '.join(reasons)
        return ResizeError(message, result=result)

    def _failed_events(self):
        request_id = self.request_ids.get(self.via.label('resize'))
        server_id = self.observer.server_id
        if not request_id:
            actions = [a for a in self.compute.instance_actions(server_id) if a.get('action') == 'resize']
            request_id = actions[0].get('request_id') if actions else None
        action = self.compute.instance_action(server_id, request_id) if request_id else None
        events = []
        for event in (action or {}).get('events') or []:
            if isinstance(event, dict) and event.get('result') not in ('Success', None):
                events.append(dict(event=event.get('event'), result=event.get('result'), start_time=event.get('start_time'),
                                   finish_time=event.get('finish_time'), message=event.get('details') or event.get('message')))
        if action and action.get('message') and not events:
            events.append(dict(event=action.get('action'), result='Error', message=action.get('message')))
        return events

    def api_failure(self, step, exc):
        """The error to raise when the cloud refused the request of `step`."""
        result = self._result(changed=bool(self.goal.sent), message=exc.message, failure=True)
        result['error'] = 'api_error'
        verb = {RESIZE: 'resize', CONFIRM: 'confirm the resize of', REVERT: 'revert the resize of', STOP: 'stop', START: 'start',
                MARK: 'write the restart marker into the metadata of', UNMARK: 'remove the restart marker from the metadata of'}[step.kind]
        name = self.observer.server.name if self.observer.server else self.request.server
        text = 'the cloud refused to %s server %s: %s' % (verb, name, exc.api_message or exc.message)
        if exc.advice:
            text += ' (%s)' % exc.advice
        elif exc.status == 409:
            text += ' (the server is locked or busy, or its state does not allow it)'
        return ResizeError(text + self.via.refusal_hint(step, exc), result=result)

    def unclear_failure(self, step, exc, attempts):
        """The error to raise when `attempts` requests of `step` got no clear answer and the server shows none of them."""
        result = self._result(changed=bool(self.goal.sent), message=exc.message, failure=True)
        result['error'] = 'no_clear_answer'
        name = self.observer.server.display_name if self.observer.server else self.request.server
        return ResizeError('the cloud gave no clear answer to %d %s requests for server %s, and the server shows none of them was '
                           'carried out (last: %s); nothing was changed: run again later' % (attempts, self.via.label(step.action), name, exc.message),
                           result=result)

    def dedicated_host_id(self):
        """The dedicated host to name in a resize request: the one asked for, else the one the server shows."""
        server = self.observer.server
        return self.request.dedicated_host_id or (server.dedicated_host_id if server is not None else None)

    def dry_run_refusal(self, exc):
        """Check mode: the error to raise when the cloud said, to a dry run, that it would refuse the resize."""
        result = self._result(changed=False, message=exc.message, failure=True)
        result['error'] = 'dry_run_refused'
        text = 'the cloud would refuse to resize server %s to %s (dry run): %s' % (
            self.observer.server.display_name, self.target.describe(), exc.api_message or exc.message)
        if exc.advice:
            text += ' (%s)' % exc.advice
        return ResizeError(text, result=result)

    def timeout_error(self, what):
        result = self._result(changed=bool(self.goal.sent), message='timeout', failure=True)
        result['error'] = 'timeout'
        return ResizeError('timed out after %d s waiting for %s (last seen: %s); nothing was reverted'
                           % (self.request.timeout, what, self.via.last_seen()), result=result)

    def _timeout(self):
        server = self.observer.server
        return self.timeout_error('server %s' % (server.name if server else self.request.server))


class NovaActions(object):
    """The Nova server actions: POST .../servers/{id}/action with resize, confirmResize or revertResize (202);
    the server's status and task say how far the cloud got."""

    def __init__(self, operation):
        self.op = operation

    def label(self, action):
        """The name of an action in `actions` and `request_ids`."""
        return action

    def final_status(self, first):
        """The status the run ends in, from the server as first seen."""
        return final_status_of(first)

    def decide(self, server):
        return decide_next_step(server, self.op.goal)

    def body(self, step):
        if step.kind == RESIZE:
            resize = {'flavorRef': self.op.target.id}
            if self.op.dedicated_host_id():
                resize['dedicated_host_id'] = self.op.dedicated_host_id()  # OTC: servers on a dedicated host
            return {'resize': resize}
        return {step.action: None}

    def post(self, step):
        """Send the request of `step` once; the request id."""
        return self.op.compute.server_action(self.op.observer.server_id, self.body(step))

    def send(self, step):
        """Send the request of `step` and record it, looking at the server whenever the answer leaves a doubt.

        An unclear answer (no answer, a gateway error): when the server shows the request took effect, carry on;
        else send it again, at most RESEND_LIMIT times. A refusal (400/409): someone else may have done it (an
        overlapping job, an earlier run that was killed): when the server, or its instance actions, show that the
        step is no longer to be done, follow the server instead of failing."""
        op = self.op
        sent_at = _utcnow()
        unclear = 0
        while True:
            try:
                request_id = self.post(step)
                break
            except AmbiguousRequestError as exc:
                server = op.observer.read()
                label = self.label(step.action)
                if self.took_effect(step, server, sent_at):
                    op.warn('the %s request got no clear answer (%s), but the cloud has started it; carrying on' % (label, exc.message))
                    request_id = None
                    break
                unclear += 1
                if unclear > RESEND_LIMIT:
                    raise op.unclear_failure(step, exc, unclear)
                op.warn('the %s request got no clear answer (%s) and the server shows no sign of it; sending it once more' % (label, exc.message))
                op.sleep(op.deadline.clip(min(RESEND_PAUSE_MAX, RESEND_PAUSE * 2 ** (unclear - 1))))
            except ApiError as exc:
                verdict = self.after_refusal(step, exc, sent_at)
                if verdict is None:
                    raise op.api_failure(step, exc)
                if verdict == 'follow':
                    # an earlier unclear answer may have been ours; else someone else's request is carried out
                    op.mark_sent(step.action, None, own=bool(unclear))
                return
        op.mark_sent(step.action, request_id)

    def after_refusal(self, step, exc, sent_at):
        """What a 400/409 to `step` means, from a fresh look at the server: None (a real refusal: fail), 'follow' (the
        step is being carried out, by someone: wait for it), 'reconsider' (the step is no longer to be done: decide again)."""
        op = self.op
        if exc.status not in (400, 409):
            return None
        server = op.observer.read()
        op.update_goal(server)
        again = self.decide(server)
        if again.kind == step.kind:
            if step.kind in (CONFIRM, REVERT) and server is not None and op.action_started(step.action, sent_at):
                # Nova still shows VERIFY_RESIZE for a moment after a confirmation ("Instance has not been resized")
                op.warn('the cloud refused to %s (%s) while one started moments ago is carried out; waiting for it'
                        % (self.label(step.action), exc.api_message or exc.message))
                return 'follow'
            return None
        if again.kind == FAIL:
            return 'reconsider'  # the decision says why, in its own words (locked, deleted, ...)
        op.warn('the cloud refused to %s (%s), but the server shows it is %s; following the server'
                % (self.label(step.action), exc.api_message or exc.message, server.label if server else 'gone'))
        op.resumed = True
        return 'follow' if again.kind == WAIT else 'reconsider'

    def took_effect(self, step, server, sent_at):
        return self.op.took_effect(step, server, sent_at)

    def predict(self, step):
        """Check mode: the message saying what would be sent (and raise when the cloud says it would refuse it)."""
        return 'would %s: %s' % (self.label(step.action), step.reason)

    def accepted(self, step):
        return '%s accepted' % self.label(step.action)

    def wait(self):
        self.op.look_again()

    def result_fields(self):
        return dict(job_id=None)

    def failure_explained(self):
        """Whether the failure message already says why the cloud failed (then the instance-action events are not added)."""
        return False

    def refusal_hint(self, step, exc):
        return ''

    def last_seen(self):
        server = self.op.observer.server
        return '%s on %s' % (server.label, server.flavor.describe()) if server else 'gone'


class EcsJobs(NovaActions):
    """The native ECS resize (ecs_jobs.py): a running server is stopped, resized and started again, each step a job
    of the /v1 API (or, with restart_mode=with_stop_server, one job that does all three); the server's metadata keeps
    a marker while the run's own stop is in force, so that a rerun finishes what an interrupted run began. The job
    says when the cloud is done and whether it failed; the server is read once the job has ended. No confirmation step."""

    def __init__(self, operation):
        super(EcsJobs, self).__init__(operation)
        self.job_id = None      # the job being followed
        self.job = None         # ... as last seen
        self.jobs = []          # every job this run started and followed, as last seen
        self.failed_job = None  # the resize (or stop) job that failed: reported once the server is restored
        self.resize_job_id = None

    def label(self, action):
        return NATIVE_LABELS.get(action, action)

    def final_status(self, first):
        return native_final_status(first, final_status_of(first))

    def decide(self, server):
        return decide_native_step(server, self.op.goal, self.failed_job or self.job)

    def post(self, step):
        op = self.op
        server_id = op.observer.server_id
        self.job_id, self.job = None, None
        if step.kind == MARK:
            return op.compute.set_metadata(server_id, RESTART_MARKER, 'true')
        if step.kind == UNMARK:
            return op.compute.delete_metadata(server_id, RESTART_MARKER)
        if step.kind in (STOP, START):
            self.job_id, request_id = op.compute.ecs_power(server_id, 'os-%s' % step.kind)
            return request_id
        self.job_id, request_id = op.compute.ecs_resize(server_id, op.target.id, mode=self._mode(), dedicated_host_id=op.dedicated_host_id())
        self.resize_job_id = self.job_id or self.resize_job_id
        return request_id

    def _mode(self):
        server = self.op.observer.server
        if self.op.request.restart_mode == 'with_stop_server' and server is not None and server.status == 'ACTIVE':
            return 'withStopServer'
        return None

    def took_effect(self, step, server, sent_at):
        if server is None or step.kind == RESIZE:
            return self.op.took_effect(step, server, sent_at)
        if step.kind == STOP:
            return server.status == 'SHUTOFF' or server.busy or self.op.action_started('stop', sent_at)
        if step.kind == START:
            return server.status == 'ACTIVE' or server.busy or self.op.action_started('start', sent_at)
        return restart_marked(server) is (step.kind == MARK)

    def predict(self, step):
        """Check mode: ask the cloud whether it would accept the resize (dry_run: true), changing nothing."""
        op = self.op
        if step.kind not in (MARK, STOP, RESIZE):
            return 'would finish the resize an earlier run began: %s' % step.reason
        try:
            op.compute.ecs_resize(op.observer.server_id, op.target.id, dry_run=True, mode=self._mode(),
                                  dedicated_host_id=op.dedicated_host_id())
        except ApiError as exc:
            # the server is running now; the run would stop it before the real request, so a state refusal does not count
            if not (step.kind in (MARK, STOP) and exc.code == 'Ecs.0100'):
                raise op.dry_run_refusal(exc)
        if step.kind in (MARK, STOP):
            return ('would stop server %s, resize it to %s and start it again (the cloud accepted a dry run of the resize)'
                    % (op.observer.server.display_name, op.target.describe()))
        return 'would resize: %s (the cloud accepted a dry run)' % step.reason

    def accepted(self, step):
        return '%s accepted (job %s)' % (self.label(step.action), self.job_id)

    def wait(self):
        if self.job_id and (self.job is None or not self.job.ended):
            if self.op.feed is not None:
                if not self._wait_for_job_through_listing(self.op.goal.sent[-1]):
                    self.op.observer.next(0.0, self.op.sleep)
                return
            self._wait_for_job(self.op.goal.sent[-1])
            self.op.observer.read()
            return
        super(EcsJobs, self).wait()

    def _read_job(self, action):
        """Read the job; True when it has ended (then it is kept among the run's jobs)."""
        self.job = JobState.from_api(self.op.compute.get_job(self.job_id), job_id=self.job_id, action=action)
        if not self.job.ended:
            return False
        self.jobs.append(self.job)
        if self.job.failed and self.failed_job is None and action != 'start':
            self.failed_job = self.job
        return True

    def _wait_for_job_through_listing(self, action):
        """In a batch: watch the server through the batch's listing, and read the job when the server has changed
        since the job was sent and come to rest (no task), or, should it not change, at growing intervals (2 s, then
        half the time since the job was sent, at most JOB_READ_MAX): the job then says whether it ended, and how.
        Returns whether the server as last seen shows the end (else it is looked at once more)."""
        op = self.op
        observer = op.observer
        sent_at = op.clock()
        before = _signature(observer.server)
        changed = False
        next_job_read = sent_at + JOB_READ_FIRST
        while True:
            now = op.clock()
            server = observer.server
            settled = changed and (server is None or not server.busy)
            if settled or now >= next_job_read:
                ended = self._read_job(action)
                op.report_progress('%s job %s %s' % (action, self.job_id, self.job.status or 'without status'))
                if ended:
                    return settled
                next_job_read = op.clock() + min(JOB_READ_MAX, max(JOB_READ_FIRST, (op.clock() - sent_at) / 2.0))
                changed = False if settled else changed  # at rest but the job goes on: wait for the next change
                before = _signature(server) if settled else before
            if op.deadline.remaining <= 0:
                raise op.timeout_error('%s job %s of server %s' % (action, self.job_id, server.name if server else op.request.server))
            delay = min(op.pause(), max(0.0, next_job_read - op.clock()))
            server = observer.next(delay, op.sleep)
            if _signature(server) != before:
                changed = True

    def _wait_for_job(self, action):
        """Poll the job until it ends, spaced by the same PollPolicy as server reads; bounded by the timeout."""
        op = self.op
        phase, since, polls = None, op.clock(), 0
        while True:
            self.job = JobState.from_api(op.compute.get_job(self.job_id), job_id=self.job_id, action=action)
            if self.job.ended:
                self.jobs.append(self.job)
                if self.job.failed and self.failed_job is None and action != 'start':
                    self.failed_job = self.job
                return
            if self.job.status != phase:
                phase, since, polls = self.job.status, op.clock(), 0
            else:
                polls += 1
            op.report_progress('%s job %s %s' % (action, self.job_id, self.job.status or 'without status'))
            delay = op.policy.next_delay(self.job.poll_task, op.clock() - since, polls)
            if op.deadline.remaining <= 0:
                raise op.timeout_error('%s job %s of server %s' % (action, self.job_id, op.observer.server.name if op.observer.server else op.request.server))
            op.sleep(op.deadline.clip(delay))

    def result_fields(self):
        fields = dict(job_id=self.resize_job_id, jobs=[job.as_dict() for job in self.jobs])
        resize_jobs = [job for job in self.jobs if job.action == 'resize']
        if resize_jobs:
            fields['job'] = resize_jobs[-1].as_dict()
        return fields

    def failure_explained(self):
        return (self.failed_job or self.job) is not None and bool((self.failed_job or self.job).fail_reason)

    def refusal_hint(self, step, exc):
        if exc.status in (300, 404) and step.kind in (RESIZE, STOP, START) and not exc.advice:
            return ' (does this cloud offer the native ECS API? use api=nova on plain OpenStack)'
        return ''

    def last_seen(self):
        if self.job is not None and not self.job.ended:
            return self.job.status or 'no status'
        return super(EcsJobs, self).last_seen()


STRATEGIES = {'nova': NovaActions, 'ecs': EcsJobs}


def interrupted_message(message, sent, last_seen):
    """The message of a run an error ended half-way: the error, what the run had sent, the server as last seen. Pure."""
    done = 'this run had sent %s' % ', '.join(sent) if sent else 'this run had sent nothing'
    return '%s; %s; the server was last seen %s' % (message, done, last_seen)


def _signature(server):
    """What tells that a server changed: its status and task, its flavor, when it was last updated."""
    if server is None:
        return None
    return (server.label, server.flavor.id or server.flavor.name, server.updated)


def _flavor_key(flavor):
    """A flavor as part of the key of learnt phase durations: its id, else its name (2.47+ shows no id)."""
    return (flavor.id or flavor.name) if flavor is not None else None


def _event_reason(event):
    """What a failed instance-action event says; Nova shows members just "Error", so then name the failed step."""
    message = (event.get('message') or '').strip()
    if message and message.lower() != 'error':
        return message
    return 'step %s failed' % (event.get('event') or 'unknown')


def _utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def _parse_time(text):
    if not isinstance(text, str):
        return None
    text = text.strip().replace('Z', '')
    if '+' in text[10:]:
        text = text[:10] + text[10:].split('+')[0]
    for fmt in ('%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S'):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
