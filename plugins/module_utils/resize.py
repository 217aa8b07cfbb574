# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resize decision: given what the server shows and what was asked, what to do next. Pure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.module_utils.documents import text_of
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, same_flavor, server_flavor

STABLE = ('ACTIVE', 'SHUTOFF')
IN_RESIZE = ('RESIZE', 'REVERT_RESIZE')
POWER_SHUTDOWN = 4
# A resize the cloud accepted may take a moment to show; before that, "old flavor, idle" is not yet a rollback.
START_GRACE_SECONDS = 10.0

# Kinds of step
NOOP = 'noop'          # nothing to do, nothing was done
RESIZE = 'resize'      # send resize
CONFIRM = 'confirm'    # send confirmResize
REVERT = 'revert'      # send revertResize
WAIT = 'wait'          # the cloud is busy: observe again later
DONE = 'done'          # finished after what this run sent
PENDING = 'pending'    # a resize to the target waits for confirmation, as asked (confirm=false)
FAIL = 'fail'
# Kinds of step of the native ECS resize only (ecs_jobs.decide_native_step)
MARK = 'mark'          # note in the server's metadata that it must be started again
STOP = 'stop'          # stop the server (the native resize needs it stopped)
START = 'start'        # start it again
UNMARK = 'unmark'      # remove the note

ACTION_OF = {RESIZE: 'resize', CONFIRM: 'confirmResize', REVERT: 'revertResize',
             MARK: 'mark', STOP: 'stop', START: 'start', UNMARK: 'unmark'}
# Actions after which the server must show the result of a confirmation or a revert
PENDING_ACTIONS = ('confirmResize', 'revertResize')


class ServerState(object):
    """What one GET of the server showed, reduced to the fields the decision needs."""

    def __init__(self, id=None, name=None, status=None, vm_state=None, task_state=None, power_state=None,
                 flavor=None, locked=None, fault=None, progress=None, updated=None, metadata=None, availability_zone=None,
                 dedicated_host_id=None):
        self.id = id
        self.name = name
        self.status = status
        self.vm_state = vm_state
        self.task_state = task_state
        self.power_state = power_state
        self.flavor = flavor if flavor is not None else Flavor()
        self.locked = locked
        self.fault = fault
        self.progress = progress
        self.updated = updated
        self.metadata = metadata or {}
        self.availability_zone = availability_zone
        self.dedicated_host_id = dedicated_host_id

    @classmethod
    def from_api(cls, doc):
        """From a server document ({"server": {...}} already unwrapped); tolerant of missing or odd fields."""
        doc = doc if isinstance(doc, dict) else {}
        fault = doc.get('fault')
        if isinstance(fault, dict):
            fault = fault.get('message') or fault.get('details') or None
        elif not isinstance(fault, str):
            fault = None
        status = doc.get('status')
        progress = doc.get('progress')
        metadata = doc.get('metadata') if isinstance(doc.get('metadata'), dict) else {}
        # OTC shows the dedicated host of a server on one (querying_details_about_an_ecs.rst, Table 11)
        hints = doc.get('os:scheduler_hints') if isinstance(doc.get('os:scheduler_hints'), dict) else {}
        hosts = hints.get('dedicated_host_id')
        host = hosts[0] if isinstance(hosts, list) and hosts else hosts
        return cls(
            id=text_of(doc.get('id')),
            name=text_of(doc.get('name')),
            status=status.upper() if isinstance(status, str) else None,
            vm_state=text_of(doc.get('OS-EXT-STS:vm_state')),
            task_state=text_of(doc.get('OS-EXT-STS:task_state')),
            power_state=doc.get('OS-EXT-STS:power_state') if isinstance(doc.get('OS-EXT-STS:power_state'), int) else None,
            flavor=server_flavor(doc),
            locked=doc.get('locked') if isinstance(doc.get('locked'), bool) else None,
            fault=fault,
            progress=progress if isinstance(progress, (int, float)) and not isinstance(progress, bool) else None,
            updated=text_of(doc.get('updated')),
            metadata=dict((str(k), v) for k, v in metadata.items()),
            availability_zone=text_of(doc.get('OS-EXT-AZ:availability_zone')),
            dedicated_host_id=text_of(host),
        )

    @property
    def label(self):
        """STATUS or STATUS/task_state, as users see it in messages."""
        status = self.status or 'UNKNOWN'
        return '%s/%s' % (status, self.task_state) if self.task_state else status

    @property
    def busy(self):
        return bool(self.task_state)

    @property
    def display_name(self):
        """How messages name the server: its name, else its id."""
        return self.name or self.id or 'the server'

    def as_dict(self):
        return dict(id=self.id, name=self.name, status=self.status, vm_state=self.vm_state,
                    task_state=self.task_state, power_state=self.power_state, locked=self.locked,
                    flavor=self.flavor.as_dict())


def final_status_of(server):
    """The status a resize of this server should end in: the power state it had before the resize.

    None for a server found in RESIZE: what it shows then does not tell (Open Telekom Cloud shows vm_state
    "stopped" during every resize, appendix/ecs_statuses.rst); it is learnt at VERIFY_RESIZE, or any idle
    status it settles in is taken."""
    if server.status in STABLE:
        return server.status
    if server.status == 'RESIZE':
        return None
    if server.power_state == POWER_SHUTDOWN:
        return 'SHUTOFF'
    return 'ACTIVE'


class Goal(object):
    """What was asked, and what this run has done and seen so far."""

    def __init__(self, state='present', target=None, confirm=True, allow_restart=True, final_status=None,
                 sent=(), started=False, since_request=0.0, previous_flavor=None, restart_mode=None, wait=True):
        self.state = state
        self.target = target
        self.confirm = confirm
        self.allow_restart = allow_restart
        self.final_status = final_status
        self.sent = list(sent)
        self.started = started
        self.since_request = since_request
        self.previous_flavor = previous_flavor
        self.restart_mode = restart_mode
        self.wait = wait

    @classmethod
    def for_request(cls, request, target, final_status, previous_flavor):
        """The goal of an operation.ResizeRequest, before anything was sent."""
        return cls(state=request.state, target=target, confirm=request.confirm, allow_restart=request.allow_restart,
                   final_status=final_status, previous_flavor=previous_flavor, restart_mode=request.restart_mode, wait=request.wait)


class Step(object):
    """The decision: a kind (see the constants above), why, and what the user should be told."""

    def __init__(self, kind, reason, error=None, rolled_back=False):
        self.kind = kind
        self.reason = reason
        self.error = error
        self.rolled_back = rolled_back

    @property
    def action(self):
        return ACTION_OF.get(self.kind)

    def __repr__(self):
        return 'Step(%s: %s)' % (self.kind, self.reason)


def _fail(error, reason, rolled_back=False):
    return Step(FAIL, reason, error=error, rolled_back=rolled_back)


def decide_next_step(server, goal):
    """Next step for `server` (a ServerState, or None when it no longer exists) towards `goal`."""
    if server is None:
        return _fail('not_found', 'the server no longer exists (deleted during the operation)')
    if server.status == 'ERROR':
        detail = ': %s' % server.fault if server.fault else ''
        return _fail('error_state', 'server %s is in ERROR%s' % (server.display_name, detail), rolled_back='resize' in goal.sent)
    if server.status in STABLE + IN_RESIZE + ('VERIFY_RESIZE',) and not server.flavor.known:
        return _fail('malformed', 'the cloud did not say which flavor server %s runs on (no usable "flavor" field)' % server.display_name)
    if goal.state == 'confirmed':
        return _decide_confirmed(server, goal)
    if goal.state == 'reverted':
        return _decide_reverted(server, goal)
    return _decide_present(server, goal)


def _wrong_state(server):
    return _fail('wrong_state', 'server %s is %s; a resize needs it ACTIVE or SHUTOFF with no task running' % (server.display_name, server.label))


def _unsettled(server):
    """WAIT while a resize, revert or other task runs, FAIL when the status allows no resize; None when idle and stable."""
    if server.status in IN_RESIZE:
        return Step(WAIT, 'server is %s' % server.label)
    if server.status not in STABLE:
        return _wrong_state(server)
    if server.busy:
        return Step(WAIT, 'server is busy: %s' % server.label)
    return None


def _finished(server, goal, what):
    """The server is idle again after what this run sent: done once it has its former power state."""
    if goal.final_status and server.status != goal.final_status:
        return Step(WAIT, '%s; waiting for the server to be %s again (now %s)' % (what, goal.final_status, server.label))
    return Step(DONE, what)


def _decide_present(server, goal):
    target = goal.target
    on_target = same_flavor(server.flavor, target)
    if server.status == 'VERIFY_RESIZE':
        if server.busy:
            return Step(WAIT, 'resize pending confirmation, task %s running' % server.task_state)
        if not on_target:
            return _fail('pending_other', 'server %s has a resize to %s pending confirmation, not to %s; confirm it (state=confirmed) '
                         'or revert it (state=reverted) first' % (server.display_name, server.flavor.describe(), target.describe()))
        if 'confirmResize' in goal.sent:
            return Step(WAIT, 'confirmation accepted, server still VERIFY_RESIZE')
        if goal.confirm:
            return Step(CONFIRM, 'resize to %s is pending confirmation' % target.describe())
        return Step(PENDING, 'resize to %s is pending confirmation' % target.describe())
    unsettled = _unsettled(server)
    if unsettled:
        return unsettled
    if on_target:
        if goal.sent:
            return _finished(server, goal, 'server runs on %s' % target.describe())
        return Step(NOOP, 'server already runs on %s' % target.describe())
    if 'resize' in goal.sent:
        if not goal.started and goal.since_request < START_GRACE_SECONDS:
            return Step(WAIT, 'resize accepted, not started yet')
        return _fail('rolled_back', 'the cloud rolled the resize of server %s back: it is %s on its old flavor %s, not on %s'
                     % (server.display_name, server.status, server.flavor.describe(), target.describe()), rolled_back=True)
    if any(action in PENDING_ACTIONS for action in goal.sent):
        return _fail('unexpected', 'server %s is %s on %s after %s' % (server.display_name, server.status, server.flavor.describe(), ', '.join(goal.sent)))
    if server.locked:
        return _fail('locked', 'server %s is locked; unlock it before resizing' % server.display_name)
    if server.status == 'ACTIVE' and not goal.allow_restart:
        return _fail('restart_refused', 'server %s is running and a resize restarts it; set allow_restart=true or stop it first' % server.display_name)
    return Step(RESIZE, 'server runs on %s, not on %s' % (server.flavor.describe(), target.describe()))


def _decide_confirmed(server, goal):
    if server.status == 'VERIFY_RESIZE':
        if server.busy:
            return Step(WAIT, 'resize pending confirmation, task %s running' % server.task_state)
        if goal.target is not None and not same_flavor(server.flavor, goal.target):
            return _fail('pending_other', 'server %s has a resize to %s pending, not to %s; not confirming it'
                         % (server.display_name, server.flavor.describe(), goal.target.describe()))
        if 'confirmResize' in goal.sent:
            return Step(WAIT, 'confirmation accepted, server still VERIFY_RESIZE')
        return Step(CONFIRM, 'a resize to %s is pending confirmation' % server.flavor.describe())
    return _nothing_pending(server, goal, 'confirmResize', 'resize confirmed', 'no resize is pending confirmation')


def _decide_reverted(server, goal):
    if server.status == 'VERIFY_RESIZE':
        # a stopped server passes through VERIFY_RESIZE/powering-off while it is reverted
        if server.busy or 'revertResize' in goal.sent:
            return Step(WAIT, 'revert under way, server is %s' % server.label)
        if goal.target is not None and not same_flavor(server.flavor, goal.target):
            return _fail('pending_other', 'server %s has a resize to %s pending, not to %s; not reverting it'
                         % (server.display_name, server.flavor.describe(), goal.target.describe()))
        return Step(REVERT, 'a resize to %s is pending confirmation' % server.flavor.describe())
    if (goal.target is not None and not goal.sent and server.status in STABLE and not server.busy
            and same_flavor(server.flavor, goal.target)):
        return _fail('already_confirmed', 'server %s runs on %s with nothing pending: the resize to it was confirmed already '
                     '(by the cloud after its confirmation window, or by someone else) and cannot be reverted any more'
                     % (server.display_name, goal.target.describe()))
    return _nothing_pending(server, goal, 'revertResize', 'resize reverted', 'no resize is pending')


def _nothing_pending(server, goal, action, done, nothing):
    """No resize pending (any more): wait out one under way, finish after `action`, or there is nothing to do."""
    unsettled = _unsettled(server)
    if unsettled:
        return unsettled
    if action in goal.sent:
        return _finished(server, goal, '%s; server runs on %s' % (done, server.flavor.describe()))
    return Step(NOOP, nothing)


# What a run came to, as reports name it (ecs_resize's and ecs_resize_batch's `outcome`).
OUTCOME_OF_PREDICTION = {RESIZE: 'would_resize', CONFIRM: 'would_confirm', REVERT: 'would_revert',
                         MARK: 'would_resize', STOP: 'would_resize', START: 'would_resize', UNMARK: 'would_resize'}


def outcome_of(goal, server, predicted=None, accepted=False, failure=None, found_under_way=False):
    """The outcome of a run, from what it sent and what the server showed at the end. Pure.

    predicted: the step kind a check-mode run would have sent; accepted: wait=false returned right after a request;
    failure: the FAIL Step (or an error code) the run ended with; found_under_way: a resize found in progress ended on
    the target while the run watched.
    """
    if failure is not None:
        return 'rolled_back' if getattr(failure, 'rolled_back', False) else 'failed'
    if predicted:
        return OUTCOME_OF_PREDICTION[predicted]
    if accepted:
        return 'accepted'
    if server is not None and server.status == 'VERIFY_RESIZE' and not server.busy:
        return 'pending'
    if 'revertResize' in goal.sent:
        return 'reverted'
    if 'confirmResize' in goal.sent and goal.state == 'confirmed':
        return 'confirmed'
    if goal.sent or found_under_way:
        return 'resized'  # resized, or a resize found under way, pending, or half-done by an earlier run finished
    return 'unchanged'
