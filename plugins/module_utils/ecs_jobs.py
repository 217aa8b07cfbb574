# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The native ECS resize (job-based /v1 API): job documents and what a job's end means for the server. Pure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.module_utils.documents import text_of
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import same_flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import DONE, FAIL, IN_RESIZE, STABLE, WAIT, Step

# The name this collection gives the native resize in `actions` and `request_ids`.
ECS_RESIZE_ACTION = 'ecs:resize'
JOB_SUCCESS = 'SUCCESS'
JOB_FAIL = 'FAIL'
JOB_ENDED = (JOB_SUCCESS, JOB_FAIL)
# The poll policy is driven by task states; a job that is queued is short, a running one is the long disk copy.
JOB_PHASE_AS_TASK = {'INIT': 'resize_prep', 'RUNNING': 'resize_migrating'}


class JobState(object):
    """What one GET /v1/{project_id}/jobs/{job_id} showed."""

    def __init__(self, job_id=None, status=None, error_code=None, fail_reason=None, begin_time=None, end_time=None):
        self.job_id = job_id
        self.status = status
        self.error_code = error_code
        self.fail_reason = fail_reason
        self.begin_time = begin_time
        self.end_time = end_time

    @classmethod
    def from_api(cls, doc, job_id=None):
        """From a job document; the reason of a failed sub-job is used when the job itself gives none."""
        doc = doc if isinstance(doc, dict) else {}
        status = doc.get('status')
        error_code, fail_reason = text_of(doc.get('error_code')), text_of(doc.get('fail_reason'))
        entities = doc.get('entities') if isinstance(doc.get('entities'), dict) else {}
        for sub in entities.get('sub_jobs') or []:
            if isinstance(sub, dict) and (error_code is None or fail_reason is None):
                error_code = error_code or text_of(sub.get('error_code'))
                fail_reason = fail_reason or text_of(sub.get('fail_reason'))
        return cls(job_id=text_of(doc.get('job_id')) or job_id,
                   status=status.upper() if isinstance(status, str) else None,
                   error_code=error_code, fail_reason=fail_reason,
                   begin_time=text_of(doc.get('begin_time')), end_time=text_of(doc.get('end_time')))

    @property
    def ended(self):
        return self.status in JOB_ENDED

    @property
    def poll_task(self):
        """The task state whose poll spacing suits this job phase (see wait.PollPolicy)."""
        return JOB_PHASE_AS_TASK.get(self.status, 'resize_migrating')

    def reason(self):
        """'Ecs.1000: No valid host ...' or whatever part of it the cloud gave."""
        parts = [p for p in (self.error_code, self.fail_reason) if p]
        return ': '.join(parts) if parts else 'no reason given'

    def as_dict(self):
        return dict(id=self.job_id, status=self.status, error_code=self.error_code, fail_reason=self.fail_reason,
                    begin_time=self.begin_time, end_time=self.end_time)


def decide_after_job(job, server, goal):
    """Next step once the resize job is known: WAIT, DONE or FAIL (a Step of resize.py).

    job: JobState of the job this run started; server: ServerState read after it (None when gone);
    goal: the resize.Goal (its target, previous flavor and the power state to end in).
    """
    if job is None or not job.ended:
        return Step(WAIT, 'resize job %s is %s' % (job.job_id if job else '?', job.status if job and job.status else 'not ended'))
    if server is None:
        return Step(FAIL, 'the server no longer exists (deleted during the resize job %s)' % job.job_id, error='not_found')
    target = goal.target
    on_target = same_flavor(server.flavor, target)
    on_previous = goal.previous_flavor is not None and same_flavor(server.flavor, goal.previous_flavor)
    if job.status == JOB_FAIL:
        back = server.status in STABLE and not server.busy and not on_target
        where = ('it is %s on its old flavor %s' % (server.status, server.flavor.describe()) if back
                 else 'it is %s on %s' % (server.label, server.flavor.describe()))
        return Step(FAIL, 'the cloud failed the resize of server %s to %s (job %s: %s); %s'
                    % (server.display_name, target.describe(), job.job_id, job.reason(), where),
                    error='job_failed', rolled_back=back)
    if server.status == 'ERROR':
        detail = ': %s' % server.fault if server.fault else ''
        return Step(FAIL, 'resize job %s succeeded but server %s is in ERROR%s' % (job.job_id, server.display_name, detail), error='error_state')
    if server.status in IN_RESIZE + ('VERIFY_RESIZE',) or server.busy:
        return Step(WAIT, 'resize job %s succeeded, server is still %s' % (job.job_id, server.label))
    if server.status not in STABLE:
        return Step(FAIL, 'resize job %s succeeded but server %s is %s' % (job.job_id, server.display_name, server.label), error='unexpected')
    if not on_target:
        return Step(FAIL, 'resize job %s reported SUCCESS but server %s is %s on %s, not on %s'
                    % (job.job_id, server.display_name, server.status, server.flavor.describe(), target.describe()),
                    error='not_applied', rolled_back=on_previous)
    if goal.final_status and server.status != goal.final_status:
        return Step(WAIT, 'server runs on %s; waiting for it to be %s again (now %s)' % (target.describe(), goal.final_status, server.label))
    return Step(DONE, 'server runs on %s (resize job %s)' % (target.describe(), job.job_id))
