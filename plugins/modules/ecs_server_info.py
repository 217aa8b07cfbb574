#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ecs_server_info
short_description: Show ECS / OpenStack servers with their flavor and resize state
version_added: 1.0.0
description:
  - Lists one server (by name or id) or the servers matching filters, with status, task state, the flavor
    they run on (id, name, vCPUs, RAM, disk) and whether a resize is pending confirmation.
  - Flavor details the servers do not embed are looked up with one request for all servers
    (one flavor when they all run on the same one, else one flavor listing).
author:
  - ecs_ops maintainers (@ecs-ops)
extends_documentation_fragment:
  - ecs_ops.compute.connection
  - ecs_ops.compute.info
options:
  server:
    description:
      - Name or id of one server. An id is tried first; a name is matched exactly (several servers with the
        same name are all returned).
      - When no server has this name or id, RV(servers) is empty (the module does not fail).
    type: str
  name:
    description:
      - Only servers whose name matches this regular expression, as the Nova C(name) filter does it,
        unanchored (V(web) matches C(web-1) and C(myweb)); use V(^web-[0-9]+$) for whole names.
      - Mutually exclusive with O(server).
    type: str
  status:
    description:
      - Only servers with this status, for example V(ACTIVE), V(SHUTOFF), V(RESIZE), V(VERIFY_RESIZE) or V(ERROR).
    type: str
notes:
  - Without O(server) and O(name) every server of the project is listed (following pagination).
seealso:
  - module: ecs_ops.compute.ecs_resize
    description: Changes the flavor of a server.
  - module: ecs_ops.compute.ecs_flavor_info
    description: Lists flavors, and those a server may be resized to.
'''

EXAMPLES = r'''
- name: Show one server
  ecs_ops.compute.ecs_server_info:
    cloud: otc
    server: web-1
  register: info

- name: Print its flavor
  ansible.builtin.debug:
    msg: "{{ info.servers[0].name }} runs on {{ info.servers[0].flavor.name }} ({{ info.servers[0].flavor.vcpus }} vCPU)"
  when: info.servers | length == 1

- name: Servers with a resize waiting for confirmation
  ecs_ops.compute.ecs_server_info:
    cloud: otc
    status: VERIFY_RESIZE
  register: pending

- name: All web servers
  ecs_ops.compute.ecs_server_info:
    cloud: otc
    name: "^web-[0-9]+$"
  register: web
'''

RETURN = r'''
servers:
  description: The servers found, in the order the cloud listed them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Server id.
      returned: success
      type: str
      sample: 1f0e7b3c-5a41-4a8e-9a55-6d1c1c6f1a01
    name:
      description: Server name.
      returned: success
      type: str
      sample: web-1
    status:
      description: Server status, for example V(ACTIVE), V(SHUTOFF), V(RESIZE) or V(VERIFY_RESIZE).
      returned: success
      type: str
      sample: ACTIVE
    vm_state:
      description: The C(OS-EXT-STS:vm_state), when the cloud shows it.
      returned: success
      type: str
      sample: active
    task_state:
      description: The task running on the server (C(OS-EXT-STS:task_state)), V(null) when idle.
      returned: success
      type: str
      sample: null
    power_state:
      description: The C(OS-EXT-STS:power_state) (1 running, 4 shut down), when the cloud shows it.
      returned: success
      type: int
      sample: 1
    locked:
      description: Whether the server is locked; V(null) when the cloud does not say (microversions before 2.9).
      returned: success
      type: bool
      sample: false
    flavor:
      description:
        - The flavor the server runs on (id, name, vcpus, ram in MiB, disk in GiB).
        - During a pending resize (C(VERIFY_RESIZE)) this is the new flavor.
      returned: success
      type: dict
      sample: {id: s6.medium.2, name: s6.medium.2, vcpus: 1, ram: 2048, disk: 0}
    resize_pending:
      description: Whether a resize waits for confirmation (status C(VERIFY_RESIZE)).
      returned: success
      type: bool
      sample: false
api_calls:
  description: Number of HTTP requests this run sent to the cloud (authentication included).
  returned: always
  type: int
  sample: 3
'''

from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import ServerState
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import lookup_servers, server_flavors


def server_facts(doc, flavor):
    """One entry of `servers`: the server document reduced, with its completed flavor."""
    state = ServerState.from_api(doc)
    facts = state.as_dict()
    facts['flavor'] = flavor.as_dict()
    facts['resize_pending'] = state.status == 'VERIFY_RESIZE'
    return facts


class EcsServerInfoModule(EcsModule):
    argument_spec = dict(
        server=dict(type='str'),
        name=dict(type='str'),
        status=dict(type='str'),
    )
    module_kwargs = dict(mutually_exclusive=[('server', 'name')])

    def execute(self):
        params = self.params
        status = params['status'].strip().upper() if params['status'] else None
        docs = lookup_servers(self.compute, ref=params['server'], name_regex=params['name'], status=status)
        flavors = server_flavors(self.compute, docs)
        servers = [server_facts(doc, flavor) for doc, flavor in zip(docs, flavors)]
        return dict(changed=False, servers=servers, api_calls=self.compute.calls)


def main():
    EcsServerInfoModule().run()


if __name__ == '__main__':
    main()
