# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: resize_update
short_description: The state of the resize role's chain after one step
version_added: 1.0.0
author:
  - ecs_ops maintainers (@ecs-ops)
description:
  - A step of the role C(ecs_ops.compute.resize) (module_utils/resize_chain.py); the role's tasks only wire it.
  - Records what the step came to for each server, from what the module's result says the server showed at the end
    of it, and says what each server needs next (the state's C(batches), C(check), C(check_tasks), C(confirm),
    C(revert) and C(look)); recomputes the report (C(report), C(failed_hosts), C(table)).
positional: step, result, given
options:
  _input:
    description: The state (from P(ecs_ops.compute.resize_plan#filter) or an earlier update).
    type: dict
    required: true
  step:
    description:
      - The step that ran - V(preflight), V(resize) (M(ecs_ops.compute.ecs_resize_batch)), V(check)
        (M(ecs_ops.compute.health_check)), V(check_tasks) (the checks by a tasks file), V(confirm), V(revert) or V(look)
        (the check-mode look at servers left pending).
    type: str
    required: true
    choices: [preflight, resize, check, check_tasks, confirm, revert, look]
  result:
    description:
      - The registered result of the step's task; for V(check_tasks) the list of C(name), C(healthy), C(msg).
    type: raw
    required: true
  given:
    description:
      - What the step was run on (items with C(server), or targets with C(name)). A server given without an entry in
        O(result) failed with the task's message (the module failed before it got to the servers).
    type: list
    elements: raw
'''

EXAMPLES = r'''
- name: Record what the resize did
  ansible.builtin.set_fact:
    resize_state: "{{ resize_state | ecs_ops.compute.resize_update('resize', resized, resize_state.batches[0]) }}"
'''

RETURN = r'''
_value:
  description: The state of the chain after the step.
  type: dict
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.ecs_ops.compute.plugins.module_utils.resize_chain import STEPS, resize_update


def update_filter(state, step, result, given=None):
    if not isinstance(state, dict) or 'servers' not in state:
        raise AnsibleFilterError('resize_update expects the state of resize_plan')
    if step not in STEPS:
        raise AnsibleFilterError('resize_update: unknown step %s (one of %s)' % (step, ', '.join(sorted(STEPS))))
    return resize_update(state, step, result, given=given)


class FilterModule(object):
    def filters(self):
        return {'resize_update': update_filter}
