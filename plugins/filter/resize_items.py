# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: resize_items
short_description: The servers the resize role is asked to resize, each with all its settings, and what is wrong with them
version_added: 1.0.0
author:
  - ecs_ops maintainers (@ecs-ops)
description:
  - The first step of the role C(ecs_ops.compute.resize) (module_utils/resize_chain.py); the role's tasks only wire it.
  - Completes each item with the role's defaults (flavor, health check settings) and checks the list before anything is
    sent - an item without a server or a flavor, a server listed twice, an unknown health check, a C(tasks) check
    without a tasks file, a health check with O(wait=false).
positional: defaults
options:
  _input:
    description: The items (list mode, C(ecs_resize_servers)), or the one item of the host (per-host mode).
    type: list
    elements: dict
    required: true
  defaults:
    description:
      - The role's values of C(flavor), C(health_check), C(health_check_host), C(health_check_port), C(health_check_url),
        C(health_check_status) and C(health_check_tasks), for what an item leaves out.
    type: dict
    required: true
  host:
    description: The inventory host these servers belong to (the report groups them by host).
    type: str
  per_host:
    description: Whether the items come from per-host mode (the messages name the host then).
    type: bool
    default: false
  wait:
    description: Whether the role waits for the resizes (C(ecs_resize_wait)); a health check needs it.
    type: bool
    default: true
'''

EXAMPLES = r'''
- name: The servers to resize, or why they cannot be
  ansible.builtin.set_fact:
    resize_items: "{{ [{'server': 'web-1'}, {'server': 'db-1', 'flavor': 's6.xlarge.2'}]
                      | ecs_ops.compute.resize_items({'flavor': 's6.large.2', 'health_check': 'none'}, host=inventory_hostname) }}"
'''

RETURN = r'''
_value:
  description:
    - C(items), the complete items (C(server), C(flavor), C(host), C(health_check), C(health_check_host),
      C(health_check_port), C(health_check_url), C(health_check_status), C(health_check_tasks)), and C(problem),
      one sentence naming every problem, or C(none).
  type: dict
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.ecs_ops.compute.plugins.module_utils.resize_chain import resize_items


def items_filter(raw, defaults, host=None, per_host=False, wait=True):
    if not isinstance(raw, list):
        raise AnsibleFilterError('resize_items expects a list of servers, got %s' % type(raw).__name__)
    if not isinstance(defaults, dict):
        raise AnsibleFilterError('resize_items expects the defaults as a dict, got %s' % type(defaults).__name__)
    return resize_items(raw, defaults, host=host, per_host=per_host, wait=wait)


class FilterModule(object):
    def filters(self):
        return {'resize_items': items_filter}
