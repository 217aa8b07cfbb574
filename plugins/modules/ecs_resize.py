#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ecs_resize
short_description: Change the flavor of an ECS / OpenStack server, idempotently
version_added: 0.1.0
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
author:
  - ecs_ops maintainers
extends_documentation_fragment:
  - ecs_ops.compute.connection
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
  flavor:
    description:
      - The flavor the server should run on, as id, name, or flavor URI (C(https://.../flavors/<id>)).
      - Required with O(state=present). With O(state=confirmed) it is optional and, when given,
        only a pending resize to this flavor is confirmed.
    type: str
  state:
    description:
      - V(present) makes the server run on O(flavor) (resizing when needed).
      - V(confirmed) confirms a pending resize; when nothing is pending nothing changes.
      - V(reverted) reverts a pending resize and waits until the server is back on its old flavor;
        when nothing is pending nothing changes.
    type: str
    choices: [present, confirmed, reverted]
    default: present
  confirm:
    description:
      - With O(state=present), confirm the resize once the cloud has done it.
      - When V(false), the module stops when the resize is pending confirmation (status C(VERIFY_RESIZE)) and returns
        RV(pending_confirmation=true), so that a playbook can check the service before O(state=confirmed)
        or O(state=reverted).
    type: bool
    default: true
  wait:
    description:
      - Wait until the cloud has finished. When V(false), the module returns right after the cloud accepted the request.
    type: bool
    default: true
  timeout:
    description:
      - How many seconds to wait in total. On timeout the module fails naming the last status seen;
        nothing is reverted.
    type: int
    default: 1800
  allow_restart:
    description:
      - A resize stops and restarts a running server. With V(false) the module refuses to resize a running
        server (and changes nothing); stopped servers are resized either way.
    type: bool
    default: true
notes:
  - The cloud stops a running server during the resize and starts it again; a stopped server stays stopped.
    The module waits for the power state the server had before.
  - Status reads are spaced by what the server reports (sparse while the disk is copied, dense near the end),
    transient errors (connection failures, 429, 5xx) on reads are retried with backoff honouring C(Retry-After),
    and the resize request itself is never sent twice blindly.
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
  description: The API actions this run sent, in order.
  returned: always
  type: list
  elements: str
  sample: [resize, confirmResize]
request_ids:
  description: The cloud's request id of each action sent (for support tickets and the instance-action log).
  returned: always
  type: dict
  sample: {resize: req-0d2b6f7e-2c55-4a4f-9b1d-3c7d0b0f8e11, confirmResize: req-6c1f2a9e-7f3d-4d7e-8e0c-1b2a3c4d5e6f}
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
  description: The failed events of the resize instance action, when the cloud rolled the resize back.
  returned: when rolled_back
  type: list
  elements: dict
  sample: [{event: compute_prep_resize, result: Error, message: No valid host was found.}]
error:
  description: A short code for why the module failed (for example V(rolled_back), V(timeout), V(locked), V(pending_other)).
  returned: on failure
  type: str
  sample: rolled_back
'''

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError
from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeOperation


class EcsResizeModule(EcsModule):
    argument_spec = dict(
        server=dict(type='str', required=True),
        flavor=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'confirmed', 'reverted']),
        confirm=dict(type='bool', default=True),
        wait=dict(type='bool', default=True),
        timeout=dict(type='int', default=1800),
        allow_restart=dict(type='bool', default=True),
    )
    module_kwargs = dict(required_if=[('state', 'present', ['flavor'])])

    def execute(self):
        params = self.params
        if params['timeout'] <= 0:
            raise EcsError('timeout must be a positive number of seconds, got %s' % params['timeout'])
        if params['api_timeout'] <= 0:
            raise EcsError('api_timeout must be a positive number of seconds, got %s' % params['api_timeout'])
        operation = ResizeOperation(
            self.client,
            server=params['server'],
            flavor=params['flavor'],
            state=params['state'],
            confirm=params['confirm'],
            wait=params['wait'],
            timeout=params['timeout'],
            allow_restart=params['allow_restart'],
            check_mode=self.module.check_mode,
            warn=self.module.warn,
        )
        return operation.run()


def main():
    EcsResizeModule().run()


if __name__ == '__main__':
    main()
