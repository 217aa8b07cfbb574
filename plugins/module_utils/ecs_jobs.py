# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The native ECS resize (job-based /v1 API): job documents, and the decision of the next step. Pure.

Open Telekom Cloud's reference (apis_recommended/status_management/modifying_the_specifications_of_an_ecs.rst):
"You can modify the ECS specifications only when the ECS is stopped." So a running server is resized in steps,
each a request the cloud answers with a job (or a metadata write), each waited for:

    mark  -> the server's metadata gets RESTART_MARKER: "start me again after the resize" survives an interrupted run
    stop  -> POST /v1/{project_id}/cloudservers/action {"os-stop": ...}
    resize-> POST /v1/{project_id}/cloudservers/{id}/resize
    start -> POST /v1/{project_id}/cloudservers/action {"os-start": ...}
    unmark-> the marker is removed

A rerun after an interruption at any step sees the server (status, flavor, marker) and carries on from there.
Where the cloud offers it (the Swiss region: resize.mode "withStopServer"), restart_mode=with_stop_server has
the cloud stop, resize and start the server in one job instead.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.module_utils.documents import text_of
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import CODE_ADVICE
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import same_flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import (
    DONE, FAIL, IN_RESIZE, MARK, NOOP, RESIZE, STABLE, START, STOP, UNMARK, WAIT, Step, decide_next_step,
)

# Server metadata key (Nova metadata API; keys may hold letters, digits, '-', '_', ':' and '.', up to 255 characters:
# native_openstack_nova_apis/metadata_management/modifying_ecs_metadata_with_a_specified_key.rst).
RESTART_MARKER = 'ecs_ops.compute:restart_after_resize'
RESTART_MODES = ('stop_start', 'with_stop_server')
# How `actions` and `request_ids` name what this collection sends on the native path.
NATIVE_LABELS = {'resize': 'ecs:resize', 'stop': 'ecs:stop', 'start': 'ecs:start', 'mark': 'metadata:set', 'unmark': 'metadata:delete'}
JOB_SUCCESS = 'SUCCESS'
JOB_FAIL = 'FAIL'
JOB_ENDED = (JOB_SUCCESS, JOB_FAIL)
# The poll policy is driven by task states; a job that is queued is short, a running one is the long disk copy.
JOB_PHASE_AS_TASK = {'INIT': 'resize_prep', 'RUNNING': 'resize_migrating'}


class JobState(object):
    """What one GET /v1/{project_id}/jobs/{job_id} showed, and which step (`action`) started the job."""

    def __init__(self, job_id=None, status=None, error_code=None, fail_reason=None, begin_time=None, end_time=None, action='resize'):
        self.job_id = job_id
        self.status = status
        self.error_code = error_code
        self.fail_reason = fail_reason
        self.begin_time = begin_time
        self.end_time = end_time
        self.action = action

    @classmethod
    def from_api(cls, doc, job_id=None, action='resize'):
        """From a job document. A failed sub-job's cause (its error_code, fail_reason, or entities.errorcode_message,
        querying_job_execution_status.rst) is used where the job itself gives none."""
        doc = doc if isinstance(doc, dict) else {}
        status = doc.get('status')
        error_code, fail_reason = text_of(doc.get('error_code')), text_of(doc.get('fail_reason'))
        entities = doc.get('entities') if isinstance(doc.get('entities'), dict) else {}
        for sub in entities.get('sub_jobs') or []:
            if not isinstance(sub, dict) or (error_code is not None and fail_reason is not None):
                continue
            sub_entities = sub.get('entities') if isinstance(sub.get('entities'), dict) else {}
            error_code = error_code or text_of(sub.get('error_code'))
            fail_reason = fail_reason or text_of(sub.get('fail_reason')) or text_of(sub_entities.get('errorcode_message'))
        return cls(job_id=text_of(doc.get('job_id')) or job_id,
                   status=status.upper() if isinstance(status, str) else None,
                   error_code=error_code, fail_reason=fail_reason,
                   begin_time=text_of(doc.get('begin_time')), end_time=text_of(doc.get('end_time')), action=action)

    @property
    def ended(self):
        return self.status in JOB_ENDED

    @property
    def failed(self):
        return self.status == JOB_FAIL

    @property
    def poll_task(self):
        """The task state whose poll spacing suits this job phase (see wait.PollPolicy)."""
        if self.action != 'resize':
            return 'powering-off'  # a stop or start takes seconds: look densely
        return JOB_PHASE_AS_TASK.get(self.status, 'resize_migrating')

    def reason(self):
        """'Ecs.0319: ... (what to do)' or whatever part of it the cloud gave."""
        parts = [p for p in (self.error_code, self.fail_reason) if p]
        text = ': '.join(parts) if parts else 'no reason given'
        advice = CODE_ADVICE.get(self.error_code or '')
        return '%s (%s)' % (text, advice) if advice else text

    def as_dict(self):
        return dict(id=self.job_id, status=self.status, error_code=self.error_code, fail_reason=self.fail_reason,
                    begin_time=self.begin_time, end_time=self.end_time, action=self.action)


def restart_marked(server):
    """Whether a run of this collection stopped the server for a native resize and must start it again."""
    return server is not None and RESTART_MARKER in server.metadata


def native_final_status(server, final_status):
    """The status a native resize ends in: running again when the marker says a run stopped it."""
    return 'ACTIVE' if restart_marked(server) else final_status


def decide_native_step(server, goal, job=None):
    """The next step of a native resize (api=ecs) of `server` (a ServerState, None when gone) towards `goal`.

    job: the JobState of the last job this run started and followed, or None. Returns a resize.Step: MARK, STOP,
    RESIZE, START, UNMARK (send it), WAIT, NOOP, DONE or FAIL. A failed job leaves the server as it was before the
    run (started again, marker removed) before the failure is reported.
    """
    if server is None:
        where = 'the %s job %s' % (job.action, job.job_id) if job is not None else 'the operation'
        return Step(FAIL, 'the server no longer exists (deleted during %s)' % where, error='not_found')
    marked = restart_marked(server)
    if job is not None and job.ended and job.failed:
        if job.action == 'start':
            return _job_failed(job, server, goal)  # starting it again is what failed: never loop on it
        if marked and (server.busy or server.status in IN_RESIZE + ('VERIFY_RESIZE',)):
            # the cloud still tidies up after the failed job: the server this run stopped is started again once it is idle
            return Step(WAIT, 'the %s job %s failed; waiting for server %s to settle (now %s) to start it again'
                        % (job.action, job.job_id, server.display_name, server.label))
        return _restore(server, marked) or _job_failed(job, server, goal)
    if server.status == 'VERIFY_RESIZE' and not server.busy:
        return Step(FAIL, 'server %s has a resize to %s pending confirmation (VERIFY_RESIZE), which the native ECS API cannot finish; '
                    'confirm or revert it with api=nova (state=confirmed or state=reverted)'
                    % (server.display_name, server.flavor.describe()), error='pending_confirmation')
    if (job is not None and job.action == 'resize' and job.ended and server.status in STABLE and not server.busy
            and not same_flavor(server.flavor, goal.target)):
        return _restore(server, marked) or Step(
            FAIL, 'resize job %s reported SUCCESS but server %s is %s on %s, not on %s'
            % (job.job_id, server.display_name, server.status, server.flavor.describe(), goal.target.describe()),
            error='not_applied', rolled_back=same_flavor(server.flavor, goal.previous_flavor))
    step = decide_next_step(server, goal)
    if step.kind == FAIL:
        return (_restore(server, marked) if step.rolled_back else None) or step
    if step.kind in (NOOP, DONE):
        # on the target: start it again and remove the marker first if a run stopped it
        return _restore(server, marked) or step
    if step.kind == WAIT and marked and server.status in STABLE and not server.busy and same_flavor(server.flavor, goal.target):
        return _restore(server, marked)  # waiting for the power state it had: it is ours to start
    if step.kind == RESIZE and server.status == 'ACTIVE' and goal.restart_mode != 'with_stop_server':
        if not goal.wait:
            return Step(FAIL, 'server %s runs, and the native resize of a running server takes a stop, the resize and a start, '
                        'each waited for: wait=false cannot be used here; set wait=true (or restart_mode=with_stop_server where '
                        'the cloud offers it)' % server.display_name, error='wait_needed')
        if not marked:
            return Step(MARK, 'server %s runs; the native resize needs it stopped: noting in its metadata that it must be started again'
                        % server.display_name)
        return Step(STOP, 'server %s runs on %s; the native resize needs it stopped' % (server.display_name, server.flavor.describe()))
    return step


def _restore(server, marked):
    """START (stopped by a run) or UNMARK (started again) a marked server that is idle; None when there is nothing to restore."""
    if not marked or server.status not in STABLE or server.busy:
        return None
    if server.status == 'SHUTOFF':
        return Step(START, 'server %s was stopped for the resize and runs on %s: starting it again' % (server.display_name, server.flavor.describe()))
    return Step(UNMARK, 'server %s runs again: removing the marker from its metadata' % server.display_name)


def _job_failed(job, server, goal):
    target = goal.target.describe() if goal.target is not None else 'its target'
    back = server.status in STABLE and not server.busy and not same_flavor(server.flavor, goal.target)
    where = ('it is %s on its old flavor %s' % (server.status, server.flavor.describe()) if back
             else 'it is %s on %s' % (server.label, server.flavor.describe()))
    if job.action != 'resize':
        return Step(FAIL, 'the cloud failed to %s server %s (job %s: %s); %s'
                    % (job.action, server.display_name, job.job_id, job.reason(), where), error='job_failed')
    return Step(FAIL, 'the cloud failed the resize of server %s to %s (job %s: %s); %s'
                % (server.display_name, target, job.job_id, job.reason(), where),
                error='job_failed', rolled_back=back)
