# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: resize_plan
short_description: The state of the resize role's chain before the preflight
version_added: 1.0.0
author:
  - ecs_ops maintainers (@ecs-ops)
description:
  - A step of the role C(ecs_ops.compute.resize) (module_utils/resize_chain.py); the role's tasks only wire it.
  - Makes a record (outcome C(not_started)) for each item of P(ecs_ops.compute.resize_items#filter) and lists the
    servers of the preflight. In per-host mode, hosts that name the same server fail (nothing is sent for it).
  - The state is what M(ecs_ops.compute.ecs_resize_batch) and M(ecs_ops.compute.health_check) get next, and the report;
    P(ecs_ops.compute.resize_update#filter) takes it from there. Its layout belongs to the role and may change.
options:
  _input:
    description: The items of every host of the batch (the C(items) of P(ecs_ops.compute.resize_items#filter)).
    type: list
    elements: dict
    required: true
  per_host:
    description: Per-host mode (one pass over all servers of the serial batch) or list mode.
    type: bool
    default: false
  check_mode:
    description: The role runs in check mode (the preflight is all it does).
    type: bool
    default: false
  wait:
    description: C(ecs_resize_wait).
    type: bool
    default: true
  revert_on_failure:
    description: C(ecs_resize_revert_on_failure).
    type: bool
    default: true
  missing:
    description: C(ecs_resize_missing).
    type: str
    default: fail
    choices: [fail, skip]
  concurrency:
    description: C(ecs_resize_concurrency), the size of a list-mode pass of servers with a health check.
    type: int
    default: 5
  validate_certs:
    description: C(ecs_resize_health_check_validate_certs).
    type: bool
    default: true
  forks:
    description: Per-host mode, how many servers of a serial batch are worked on at once at most (C(ansible_forks)).
    type: int
'''

EXAMPLES = r'''
- name: Plan the chain over the servers of every host of this serial batch
  ansible.builtin.set_fact:
    resize_state: "{{ all_items | ecs_ops.compute.resize_plan(per_host=true, check_mode=ansible_check_mode) }}"
  run_once: true
'''

RETURN = r'''
_value:
  description: The state of the chain (C(servers), C(preflight), C(report), C(table), ...; see module_utils/resize_chain.py).
  type: dict
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.ecs_ops.compute.plugins.module_utils.resize_chain import resize_plan


def plan_filter(items, per_host=False, check_mode=False, wait=True, revert_on_failure=True, missing='fail', concurrency=5,
                validate_certs=True, forks=None):
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get('server') for i in items):
        raise AnsibleFilterError('resize_plan expects the items of resize_items (dicts with a server)')
    return resize_plan(items, per_host=per_host, check_mode=check_mode, wait=wait, revert_on_failure=revert_on_failure,
                       missing=missing, concurrency=concurrency, validate_certs=validate_certs, forks=forks)


class FilterModule(object):
    def filters(self):
        return {'resize_plan': plan_filter}
