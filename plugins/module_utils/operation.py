# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One resize, confirm or revert of one server: observe, decide, act, wait, until done.

Two APIs send the resize: Nova's server action (api=nova: resize, then confirmResize), or the native
ECS job (api=ecs: POST /v1/.../resize, wait for the job, then read the server once).
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

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import ECS_RESIZE_ACTION, JobState, decide_after_job
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, ResizeError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, same_flavor, with_known_details
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    CONFIRM, DONE, FAIL, NOOP, PENDING, RESIZE, REVERT, WAIT, Goal, ServerState, Step, decide_next_step, final_status_of,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import (
    allowed_targets, describe_server_flavor, find_allowed, find_server, not_allowed_message, resolve_flavor, sold_out,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import Deadline, PollPolicy

ACTION_BODIES = {
    RESIZE: lambda target: {'resize': {'flavorRef': target.id}},
    CONFIRM: lambda target: {'confirmResize': None},
    REVERT: lambda target: {'revertResize': None},
}
# An instance action counts as "ours" after an ambiguous POST when it started this close to our request.
ACTION_CLOCK_SKEW = timedelta(seconds=120)


class Observer(object):
    """Reads the server and remembers what was seen: the current phase, since when, how often."""

    def __init__(self, client, server_id, clock):
        self.client = client
        self.server_id = server_id
        self.clock = clock
        self.doc = None
        self.state = None
        self.phase = None
        self.phase_since = clock()
        self.polls_in_phase = 0
        self.reads = 0

    def restart_phase(self):
        """After a request the cloud starts something new: look again soon, whatever the status still says."""
        self.phase_since = self.clock()
        self.polls_in_phase = 0

    def see(self, doc):
        self.doc = doc
        self.state = ServerState.from_api(doc) if doc is not None else None
        phase = (self.state.status, self.state.task_state) if self.state else None
        if phase != self.phase:
            self.phase = phase
            self.phase_since = self.clock()
            self.polls_in_phase = 0
        else:
            self.polls_in_phase += 1
        return self.state

    def read(self):
        self.reads += 1
        return self.see(self.client.get_server(self.server_id))

    @property
    def phase_elapsed(self):
        return self.clock() - self.phase_since


class ResizeOperation(object):
    """Drives one server to the asked state. `run()` returns the result dict or raises ResizeError/EcsError."""

    def __init__(self, client, server, flavor=None, state='present', confirm=True, wait=True, timeout=1800,
                 allow_restart=True, check_mode=False, clock=time.monotonic, sleep=time.sleep, policy=None, warn=None,
                 api='nova', validate_target='auto'):
        self.client = client
        self.server_ref = server
        self.flavor_ref = flavor
        self.state = state
        self.confirm = confirm
        self.wait = wait
        self.timeout = timeout
        self.allow_restart = allow_restart
        self.check_mode = check_mode
        self.clock = clock
        self.sleep = sleep
        self.policy = policy or PollPolicy()
        self.warn = warn or (lambda message: None)
        self.deadline = None
        self.observer = None
        self.target = None
        self.previous = None
        self.goal = None
        self.request_ids = {}
        self.last_request_at = None
        self.api = api
        self.validate_target = validate_target
        self.target_validation = 'not_needed'
        self.labels = {'resize': ECS_RESIZE_ACTION} if api == 'ecs' else {}
        self.job_id = None
        self.job = None
        self.resumed = False

    # -- the loop ---------------------------------------------------------------------------------

    def run(self):
        self.deadline = Deadline(self.timeout, self.clock)
        doc = find_server(self.client, self.server_ref)
        self.target = resolve_flavor(self.client, self.flavor_ref) if self.flavor_ref else None
        self.observer = Observer(self.client, doc.get('id'), self.clock)
        first = self.observer.see(doc)
        self.previous = describe_server_flavor(self.client, doc, known=[self.target])
        self.goal = Goal(state=self.state, target=self.target, confirm=self.confirm, allow_restart=self.allow_restart,
                         final_status=final_status_of(first), previous_flavor=self.previous)
        self.resumed = first.status == 'RESIZE'
        while True:
            server = self.observer.state
            if server is not None:  # name the flavors in messages, not just their ids
                server.flavor = with_known_details(server.flavor, [f for f in (self.target, self.previous) if f is not None])
            self._update_goal(server)
            step = self._decide(server)
            if step.kind == NOOP:
                if self._finished_earlier_resize():
                    return self._result(changed=True, message='the resize found under way has finished; %s' % step.reason)
                return self._result(changed=False, message=step.reason)
            if step.kind == DONE:
                return self._result(changed=True, message=step.reason)
            if step.kind == PENDING:
                return self._result(changed=True, message=step.reason, pending=True)
            if step.kind == FAIL:
                raise self._failure(step)
            if step.action:
                if step.kind == RESIZE and self.target_validation == 'not_needed':
                    self._check_target_allowed()
                if self.check_mode:
                    return self._result(changed=True, message='would %s: %s' % (self._label(step.action), step.reason), predicted=step.kind)
                if self.api == 'ecs' and step.kind == RESIZE:
                    self._send_ecs_resize(step)
                    if not self.wait:
                        return self._result(changed=True, message='%s accepted (job %s); not waiting (wait=false)'
                                            % (ECS_RESIZE_ACTION, self.job_id), accepted_only=True)
                    if self.job_id:
                        self._wait_for_job()
                        self.observer.read()
                        continue
                    self._pause()
                    self.observer.read()
                    continue
                self._send(step)
                if not self.wait:
                    return self._result(changed=True, message='%s accepted; not waiting (wait=false)' % step.action, accepted_only=True)
            elif step.kind == WAIT and (self.check_mode or not self.wait) and not self.goal.sent:
                return self._result(changed=False, message='not waiting: %s' % step.reason)
            self._pause()
            self.observer.read()

    def _decide(self, server):
        """The next step: after an ended ECS job from what the job said, else from the server alone."""
        if self.job is not None and self.job.ended:
            return decide_after_job(self.job, server, self.goal)
        step = decide_next_step(server, self.goal)
        if self.api == 'ecs' and step.kind in (CONFIRM, PENDING):
            return Step(FAIL, 'server %s has a resize to %s pending confirmation (VERIFY_RESIZE), which the native ECS API cannot finish; '
                        'confirm or revert it with api=nova (state=confirmed or state=reverted)'
                        % (server.name or server.id, server.flavor.describe()), error='pending_confirmation')
        return step

    def _finished_earlier_resize(self):
        """api=ecs found the server mid-resize and waited: the resize someone started has brought it to the target."""
        return (self.api == 'ecs' and self.resumed and not self.goal.sent and self.target is not None
                and self.previous is not None and not same_flavor(self.previous, self.target))

    def _label(self, action):
        return self.labels.get(action, action)

    def _update_goal(self, server):
        if self.last_request_at is not None:
            self.goal.since_request = self.clock() - self.last_request_at
        if server is not None and 'resize' in self.goal.sent and (
                server.status in ('RESIZE', 'VERIFY_RESIZE') or server.busy):
            self.goal.started = True

    def _pause(self):
        state = self.observer.state
        delay = self.policy.next_delay(
            state.task_state if state else None,
            self.observer.phase_elapsed,
            self.observer.polls_in_phase,
            progress=state.progress if state else None,
        )
        if self.deadline.remaining <= 0:
            raise self._timeout()
        self.sleep(self.deadline.clip(delay))

    # -- acting -------------------------------------------------------------------------------------

    def _send(self, step):
        body = ACTION_BODIES[step.kind](self.target)
        sent_at = _utcnow()
        try:
            request_id = self.client.server_action(self.observer.server_id, body)
        except AmbiguousRequestError as exc:
            request_id = self._settle_ambiguous(step, exc, sent_at)
        except ApiError as exc:
            raise self._api_failure(step, exc)
        self._mark_sent(step.action, request_id)

    def _mark_sent(self, action, request_id, label=None):
        """Remember a request the cloud accepted (or may have): what, when, and its request id."""
        self.goal.sent.append(action)
        self.last_request_at = self.clock()
        self.goal.since_request = 0.0
        self.observer.restart_phase()
        if request_id:
            self.request_ids[label or action] = request_id

    def _check_target_allowed(self):
        """Preflight: fail, sending nothing, when the cloud lists the resize targets of this server and the target is not one."""
        if self.validate_target == 'never':
            self.target_validation = 'off'
            return
        allowed, why = allowed_targets(self.client, self.observer.server_id)
        if allowed is None:
            self.target_validation = 'unavailable'
            if self.validate_target == 'always':
                result = self._result(changed=False, message=why)
                result['error'] = 'validation_unavailable'
                raise ResizeError('validate_target=always, but the cloud offers no list of allowed resize targets (%s); '
                                  'use validate_target=auto or never on this cloud' % why, result=result)
            return
        doc = find_allowed(self.target, allowed)
        if doc is None:
            self.target_validation = 'failed'
            name = self.observer.state.name or self.observer.server_id
            result = self._result(changed=False, message='target not allowed')
            result['error'] = 'target_not_allowed'
            result['allowed_flavors'] = sorted(set(Flavor.from_api(d).name or Flavor.from_api(d).id for d in allowed))
            raise ResizeError(not_allowed_message(name, self.target, allowed), result=result)
        self.target_validation = 'passed'
        if sold_out(doc):
            self.warn('the cloud lists flavor %s as sold out in this region; the resize will likely be rolled back' % self.target.describe())

    def _send_ecs_resize(self, step):
        sent_at = _utcnow()
        try:
            job_id, request_id = self.client.ecs_resize(self.observer.server_id, self.target.id)
        except AmbiguousRequestError as exc:
            job_id, request_id = self._settle_ambiguous_ecs(step, exc, sent_at)
        except ApiError as exc:
            raise self._api_failure(step, exc)
        self._mark_sent(step.action, request_id, label=ECS_RESIZE_ACTION)
        self.job_id = job_id

    def _settle_ambiguous_ecs(self, step, exc, sent_at):
        """The native resize got no clear answer: without its job id, follow the server if the cloud started it, else send it once more."""
        state = self.observer.read()
        if state is not None and (state.status in ('RESIZE', 'VERIFY_RESIZE') or state.busy or self._action_started('resize', sent_at)):
            self.warn('the %s request got no clear answer (%s), but the cloud has started it; following the server instead of the job'
                      % (ECS_RESIZE_ACTION, exc.message))
            return None, None
        self.warn('the %s request got no clear answer (%s) and the server shows no sign of it; sending it once more'
                  % (ECS_RESIZE_ACTION, exc.message))
        try:
            return self.client.ecs_resize(self.observer.server_id, self.target.id)
        except ApiError as again:
            raise self._api_failure(step, again)

    def _wait_for_job(self):
        """Poll the job until it ends, spaced by the same PollPolicy as server reads; bounded by the timeout."""
        phase, since, polls = None, self.clock(), 0
        while True:
            self.job = JobState.from_api(self.client.get_job(self.job_id), job_id=self.job_id)
            if self.job.ended:
                return self.job
            if self.job.status != phase:
                phase, since, polls = self.job.status, self.clock(), 0
            else:
                polls += 1
            delay = self.policy.next_delay(self.job.poll_task, self.clock() - since, polls)
            if self.deadline.remaining <= 0:
                raise self._job_timeout()
            self.sleep(self.deadline.clip(delay))

    def _job_timeout(self):
        result = self._result(changed=True, message='timeout')
        result['error'] = 'timeout'
        name = self.observer.state.name if self.observer.state else self.server_ref
        return ResizeError('timed out after %d s waiting for resize job %s of server %s (last seen: %s); nothing was reverted'
                           % (self.timeout, self.job_id, name, self.job.status or 'no status'), result=result)

    def _settle_ambiguous(self, step, exc, sent_at):
        """After a POST whose outcome is unknown, look at the server before deciding to send it again."""
        state = self.observer.read()
        if state is not None and self._took_effect(step, state, sent_at):
            self.warn('the %s request got no clear answer (%s), but the cloud has started it; carrying on' % (step.action, exc.message))
            return None
        self.warn('the %s request got no clear answer (%s) and the server shows no sign of it; sending it once more' % (step.action, exc.message))
        try:
            return self.client.server_action(self.observer.server_id, ACTION_BODIES[step.kind](self.target))
        except ApiError as again:
            if again.status in (400, 409) and step.kind in (CONFIRM, REVERT):
                # Nova refuses a second confirm/revert while the first is carried out ("Instance has not been resized")
                return None
            raise self._api_failure(step, again)

    def _took_effect(self, step, state, sent_at):
        if step.kind == RESIZE:
            return state.status in ('RESIZE', 'VERIFY_RESIZE') or state.busy or self._action_started(step.action, sent_at)
        # right after a confirmation the server may still show VERIFY_RESIZE: the instance actions tell
        return state.status != 'VERIFY_RESIZE' or state.busy or self._action_started(step.action, sent_at)

    def _action_started(self, action, sent_at):
        for item in self.client.instance_actions(self.observer.server_id):
            started = _parse_time(item.get('start_time'))
            if item.get('action') == action and started is not None and started >= sent_at - ACTION_CLOCK_SKEW:
                return True
        return False

    # -- results ------------------------------------------------------------------------------------

    def _flavor_now(self):
        known = [self.target, self.previous]
        return describe_server_flavor(self.client, self.observer.doc, known=known) if self.observer.doc else None

    def _result(self, changed, message, pending=False, predicted=None, accepted_only=False):
        state = self.observer.state
        server = state.as_dict() if state else {}
        now = self._flavor_now()
        if now is not None:
            server['flavor'] = now.as_dict()
        before = self.previous.as_dict() if self.previous else {}
        if predicted == RESIZE:
            after = self.target.as_dict()
        elif predicted == REVERT or accepted_only:
            after = {}
        else:
            after = server.get('flavor', {})
        if pending is False and state is not None and state.status == 'VERIFY_RESIZE' and not predicted:
            pending = True
        result = dict(
            changed=changed,
            msg=message,
            server=server,
            previous_flavor=before,
            flavor=self.target.as_dict() if self.target else server.get('flavor', {}),
            actions=[self._label(a) for a in self.goal.sent],
            request_ids=dict(self.request_ids),
            job_id=self.job_id,
            target_validation=self.target_validation,
            rolled_back=False,
            pending_confirmation=bool(pending),
            elapsed=round(self.deadline.elapsed, 3),
            api_calls=self.client.calls,
            diff=dict(before=dict(flavor=before), after=dict(flavor=after)),
        )
        if self.job is not None:
            result['job'] = self.job.as_dict()
        return result

    def _failure(self, step):
        result = self._result(changed=bool(self.goal.sent), message=step.reason)
        result['rolled_back'] = step.rolled_back
        result['error'] = step.error
        message = step.reason
        if step.rolled_back and self.observer.state is not None:
            events = self._failed_events()
            result['events'] = events
            reasons = sorted(set(_event_reason(e) for e in events))
            if self.observer.state.fault:
                reasons.insert(0, self.observer.state.fault)
            if reasons and not (self.job is not None and self.job.fail_reason):
                message += '. The cloud said: %s' % '; '.join(reasons)
        return ResizeError(message, result=result)

    def _failed_events(self):
        request_id = self.request_ids.get(self._label('resize'))
        server_id = self.observer.server_id
        if not request_id:
            actions = [a for a in self.client.instance_actions(server_id) if a.get('action') == 'resize']
            request_id = actions[0].get('request_id') if actions else None
        action = self.client.instance_action(server_id, request_id) if request_id else None
        events = []
        for event in (action or {}).get('events') or []:
            if isinstance(event, dict) and event.get('result') not in ('Success', None):
                events.append(dict(event=event.get('event'), result=event.get('result'), start_time=event.get('start_time'),
                                   finish_time=event.get('finish_time'), message=event.get('details') or event.get('message')))
        if action and action.get('message') and not events:
            events.append(dict(event=action.get('action'), result='Error', message=action.get('message')))
        return events

    def _api_failure(self, step, exc):
        result = self._result(changed=bool(self.goal.sent), message=exc.message)
        result['error'] = 'api_error'
        verb = {RESIZE: 'resize', CONFIRM: 'confirm the resize of', REVERT: 'revert the resize of'}[step.kind]
        name = self.observer.state.name if self.observer.state else self.server_ref
        text = 'the cloud refused to %s server %s: %s' % (verb, name, exc.api_message or exc.message)
        if exc.status == 409:
            text += ' (the server is locked or busy, or its state does not allow it)'
        elif exc.status == 404 and self.api == 'ecs' and step.kind == RESIZE:
            text += ' (does this cloud offer the native ECS API? use api=nova on plain OpenStack)'
        return ResizeError(text, result=result)

    def _timeout(self):
        state = self.observer.state
        last = '%s on %s' % (state.label, self.observer.state.flavor.describe()) if state else 'gone'
        result = self._result(changed=bool(self.goal.sent), message='timeout')
        result['error'] = 'timeout'
        return ResizeError('timed out after %d s waiting for server %s (last seen: %s); nothing was reverted'
                           % (self.timeout, state.name if state else self.server_ref, last), result=result)


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
