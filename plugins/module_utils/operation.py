# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One resize, confirm or revert of one server: observe, decide, act, wait, until done."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from datetime import datetime, timedelta

try:
    from datetime import timezone
    UTC = timezone.utc
except ImportError:  # pragma: no cover
    UTC = None

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import AmbiguousRequestError, ApiError, ResizeError
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    CONFIRM, DONE, FAIL, NOOP, PENDING, RESIZE, REVERT, WAIT, Goal, ServerState, decide_next_step, final_status_of,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import describe_server_flavor, find_server, resolve_flavor
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
                 allow_restart=True, check_mode=False, clock=time.monotonic, sleep=time.sleep, policy=None, warn=None):
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
        while True:
            server = self.observer.state
            self._update_goal(server)
            step = decide_next_step(server, self.goal)
            if step.kind == NOOP:
                return self._result(changed=False, message=step.reason)
            if step.kind == DONE:
                return self._result(changed=True, message=step.reason)
            if step.kind == PENDING:
                return self._result(changed=True, message=step.reason, pending=True)
            if step.kind == FAIL:
                raise self._failure(step)
            if step.action:
                if self.check_mode:
                    return self._result(changed=True, message='would %s: %s' % (step.action, step.reason), predicted=step.kind)
                self._send(step)
                if not self.wait:
                    return self._result(changed=True, message='%s accepted; not waiting (wait=false)' % step.action, accepted_only=True)
            elif step.kind == WAIT and (self.check_mode or not self.wait) and not self.goal.sent:
                return self._result(changed=False, message='not waiting: %s' % step.reason)
            self._pause()
            self.observer.read()

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
        self.goal.sent.append(step.action)
        self.last_request_at = self.clock()
        self.goal.since_request = 0.0
        if request_id:
            self.request_ids[step.action] = request_id

    def _settle_ambiguous(self, step, exc, sent_at):
        """After a POST whose outcome is unknown, look at the server before deciding to send it again."""
        state = self.observer.read()
        if state is not None and step.kind == RESIZE:
            if state.status in ('RESIZE', 'VERIFY_RESIZE') or state.busy or self._action_started(step.action, sent_at):
                self.warn('the resize request got no clear answer (%s), but the cloud has started it; carrying on' % exc.message)
                return None
        elif state is not None and state.status != 'VERIFY_RESIZE':
            return None
        self.warn('the %s request got no clear answer (%s) and the server shows no sign of it; sending it once more' % (step.action, exc.message))
        try:
            return self.client.server_action(self.observer.server_id, ACTION_BODIES[step.kind](self.target))
        except ApiError as again:
            if again.status == 409 and step.kind in (CONFIRM, REVERT):
                return None
            raise self._api_failure(step, again)

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
        return dict(
            changed=changed,
            msg=message,
            server=server,
            previous_flavor=before,
            flavor=self.target.as_dict() if self.target else server.get('flavor', {}),
            actions=list(self.goal.sent),
            request_ids=dict(self.request_ids),
            rolled_back=False,
            pending_confirmation=bool(pending),
            elapsed=round(self.deadline.elapsed, 3),
            api_calls=self.client.calls,
            diff=dict(before=dict(flavor=before), after=dict(flavor=after)),
        )

    def _failure(self, step):
        result = self._result(changed=bool(self.goal.sent), message=step.reason)
        result['rolled_back'] = step.rolled_back
        result['error'] = step.error
        message = step.reason
        if step.rolled_back and self.observer.state is not None:
            events = self._failed_events()
            result['events'] = events
            reasons = sorted(set(e['message'] for e in events if e.get('message')))
            if self.observer.state.fault:
                reasons.insert(0, self.observer.state.fault)
            if reasons:
                message += '. The cloud said: %s' % '; '.join(reasons)
        return ResizeError(message, result=result)

    def _failed_events(self):
        request_id = self.request_ids.get('resize')
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
        return ResizeError(text, result=result)

    def _timeout(self):
        state = self.observer.state
        last = '%s on %s' % (state.label, self.observer.state.flavor.describe()) if state else 'gone'
        result = self._result(changed=bool(self.goal.sent), message='timeout')
        result['error'] = 'timeout'
        return ResizeError('timed out after %d s waiting for server %s (last seen: %s); nothing was reverted'
                           % (self.timeout, state.name if state else self.server_ref, last), result=result)


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
