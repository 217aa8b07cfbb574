#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ecs_resize
short_description: Change the flavor of an ECS / OpenStack server, idempotently
version_added: 1.0.0
description:
  - Makes a server run on the given flavor through the Nova-compatible action API of
    Open Telekom Cloud / Huawei Cloud ECS or any OpenStack cloud.
  - Compares the server's flavor with the target first and does nothing when they match,
    by id when the server shows one and by name and size when it embeds the flavor (microversion 2.47 and later).
  - Waits for the cloud, then confirms the resize, or leaves it pending with O(confirm=false) so that
    the service can be checked first; O(state=confirmed) and O(state=reverted) finish such a resize.
  - Notices when the cloud rolls a resize back by itself (for example when the target flavor is sold out)
    and fails with RV(rolled_back=true) instead of reporting success.
  - A resize already under way, or pending confirmation on the target flavor, is resumed rather than repeated.
  - With O(api=ecs) the resize goes through the native, job-based ECS API of Open Telekom Cloud / Huawei Cloud
    instead of the Nova server action; idempotency, check mode, diff and return values are the same.
  - Before sending a resize, checks that the cloud allows the target for this server (see O(validate_target)).
author:
  - ecs_ops maintainers (@ecs-ops)
extends_documentation_fragment:
  - ecs_ops.compute.connection
  - ecs_ops.compute.resize
seealso:
  - module: ecs_ops.compute.ecs_server_info
    description: Shows the flavor a server runs on and whether a resize is pending.
  - module: ecs_ops.compute.ecs_flavor_info
    description: Lists flavors, and those a server may be resized to.
attributes:
  check_mode:
    support: full
    description: Reports what would be done (V(changed) as a real run would), sends nothing.
  diff_mode:
    support: full
    description: Shows the flavor (name, vCPUs, RAM, disk) before and after.
options:
  server:
    description:
      - Name or id of the server. An id is tried first; a name must match exactly one server.
    type: str
    required: true
'''

EXAMPLES = r'''
- name: Resize web-1 to s6.large.2 and confirm
  ecs_ops.compute.ecs_resize:
    server: web-1
    flavor: s6.large.2
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: "{{ otc_user }}"
      password: "{{ otc_password }}"
      user_domain_name: OTC00000000001000000001
      project_name: eu-de
    region_name: eu-de

- name: Resize, leave it pending, check the service, then confirm
  module_defaults:
    group/ecs_ops.compute.ecs:
      cloud: otc
  block:
    - name: Resize web-2 without confirming
      ecs_ops.compute.ecs_resize:
        server: web-2
        flavor: s6.xlarge.2
        confirm: false
      register: resize

    - name: Check the service
      ansible.builtin.uri:
        url: "http://{{ resize.server.name }}.example.com/health"
      when: resize.pending_confirmation

    - name: Confirm the resize
      ecs_ops.compute.ecs_resize:
        server: web-2
        state: confirmed

- name: Put a server back on its old flavor
  ecs_ops.compute.ecs_resize:
    cloud: otc
    server: web-2
    state: reverted

- name: Resize through the native ECS API (a running server is stopped, resized and started again)
  ecs_ops.compute.ecs_resize:
    cloud: otc
    server: db-1
    flavor: c7.xlarge.2
    api: ecs
  register: resize

- name: Show the job that did it
  ansible.builtin.debug:
    msg: "job {{ resize.job_id }} took {{ resize.elapsed }} s"

- name: Resize only if the server is stopped (never restart a running one)
  ecs_ops.compute.ecs_resize:
    cloud: otc
    server: db-1
    flavor: s6.xlarge.2
    allow_restart: false
'''

RETURN = r'''
server:
  description: The server as last seen.
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
  returned: always
  type: dict
  sample: {id: s6.medium.2, name: s6.medium.2, vcpus: 1, ram: 2048, disk: 0}
flavor:
  description: The target flavor (id, name, vcpus, ram, disk); without O(flavor), the server's current flavor.
  returned: always
  type: dict
  sample: {id: s6.large.2, name: s6.large.2, vcpus: 2, ram: 4096, disk: 0}
actions:
  description:
    - The API actions this run sent, in order.
    - With O(api=nova) the server actions C(resize), C(confirmResize), C(revertResize);
      with O(api=ecs) V(ecs:resize) for the native resize request, V(ecs:stop) and V(ecs:start) for the stop and start
      around it, V(metadata:set) and V(metadata:delete) for the restart note (O(restart_mode)).
  returned: always
  type: list
  elements: str
  sample: [resize, confirmResize]
request_ids:
  description: The cloud's request id of each action sent (for support tickets and the instance-action log), by RV(actions) entry.
  returned: always
  type: dict
  sample: {resize: req-0d2b6f7e-2c55-4a4f-9b1d-3c7d0b0f8e11, confirmResize: req-6c1f2a9e-7f3d-4d7e-8e0c-1b2a3c4d5e6f}
job_id:
  description: The id of the ECS resize job this run started with O(api=ecs); V(null) otherwise.
  returned: always
  type: str
  sample: ff808082739334d80173a2a5a6b4045f
jobs:
  description: Every ECS job this run started and followed to its end (O(api=ecs)), in order, as RV(job) shows one.
  returned: with O(api=ecs)
  type: list
  elements: dict
  sample: [{id: ff80808273933, action: stop, status: SUCCESS}, {id: ff80808273934, action: resize, status: SUCCESS}]
job:
  description: The ECS resize job as last seen (O(api=ecs)).
  returned: when a job was started and polled
  type: dict
  contains:
    id:
      description: The job id.
      returned: success
      type: str
      sample: ff808082739334d80173a2a5a6b4045f
    status:
      description: V(INIT), V(RUNNING), V(SUCCESS) or V(FAIL).
      returned: success
      type: str
      sample: SUCCESS
    error_code:
      description: The cloud's error code of a failed job.
      returned: success
      type: str
      sample: Ecs.1000
    fail_reason:
      description: Why the job failed, as the cloud says it.
      returned: success
      type: str
      sample: "No valid host was found. There are not enough hosts available."
    begin_time:
      description: When the job began, as the cloud wrote it.
      returned: success
      type: str
      sample: "2026-02-03T10:11:12.345Z"
    end_time:
      description: When the job ended, as the cloud wrote it (empty while it runs).
      returned: success
      type: str
      sample: "2026-02-03T10:14:02.120Z"
    action:
      description: Which step started the job (V(stop), V(resize) or V(start)).
      returned: success
      type: str
      sample: resize
target_validation:
  description:
    - What came of the check of the target against the flavors the cloud allows (O(validate_target)).
    - V(passed) the cloud lists the target; V(unavailable) the cloud offers no such list (skipped with O(validate_target=auto));
      V(off) O(validate_target=never); V(not_needed) no resize was to be sent; V(failed) the target is not allowed (the module fails).
  returned: always
  type: str
  sample: passed
allowed_flavors:
  description: The names of the flavors the cloud allows as resize targets of this server, when the target is not one of them.
  returned: when RV(error=target_not_allowed)
  type: list
  elements: str
  sample: [s6.large.2, s6.xlarge.2]
rolled_back:
  description: Whether the cloud rolled the resize back by itself (the module then fails).
  returned: always
  type: bool
  sample: false
pending_confirmation:
  description: Whether a resize is left pending confirmation (status VERIFY_RESIZE).
  returned: always
  type: bool
  sample: false
outcome:
  description:
    - What the run came to, derived from what it sent and what the server showed at the end.
    - V(unchanged) nothing to do; V(resized) the server runs on the target now (resized, or a resize found under way or
      pending was finished); V(pending) a resize to the target waits for confirmation; V(confirmed) a pending resize was
      confirmed (O(state=confirmed)); V(reverted) a pending resize was reverted (O(state=reverted)); V(accepted) the cloud
      accepted the request and the run did not wait (O(wait=false)); V(would_resize), V(would_confirm), V(would_revert)
      in check mode; V(rolled_back) the cloud rolled the resize back; V(failed) any other failure.
  returned: always
  type: str
  sample: resized
elapsed:
  description: Seconds this run took.
  returned: always
  type: float
  sample: 42.137
api_calls:
  description: Number of HTTP requests this run sent to the cloud (authentication included).
  returned: always
  type: int
  sample: 14
events:
  description:
    - The failed events of the resize instance action, when the cloud rolled the resize back.
    - Nova shows project members the events from microversion 2.51 and the reason text only to admins, so the C(message) of an event is often empty.
  returned: when rolled_back
  type: list
  elements: dict
  sample: [{event: cold_migrate, result: Error, message: null, start_time: '2026-11-26T10:00:01.000000', finish_time: '2026-11-26T10:00:02.000000'}]
error:
  description:
    - A short code for why the module failed (for example V(rolled_back), V(timeout), V(locked), V(pending_other),
      V(already_confirmed), V(target_not_allowed), V(validation_unavailable)).
    - With O(api=ecs) also V(job_failed) (a job ended in C(FAIL)), V(not_applied) (the job succeeded but the server is not on the target),
      V(pending_confirmation) (a Nova resize is pending confirmation), V(wait_needed) (O(wait=false) for a running server
      with O(restart_mode=stop_start)) and, in check mode, V(dry_run_refused) (the cloud refused a dry run of the resize).
  returned: on failure
  type: str
  sample: rolled_back
'''

from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import RESIZE_OPTIONS, ResizeOperation, ResizeRequest


class EcsResizeModule(EcsModule):
    argument_spec = dict(RESIZE_OPTIONS, server=dict(type='str', required=True))
    module_kwargs = dict(required_if=[('state', 'present', ['flavor'])])

    def execute(self):
        request = ResizeRequest.from_params(self.params, check_mode=self.module.check_mode)
        return ResizeOperation(self.compute, request, warn=self.module.warn, progress=self.progress_hook()).execute()


def main():
    EcsResizeModule().run()


if __name__ == '__main__':
    main()
