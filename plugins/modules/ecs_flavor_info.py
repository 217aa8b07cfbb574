#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ecs_flavor_info
short_description: List ECS / OpenStack flavors, or those a server may be resized to
version_added: 1.0.0
description:
  - Lists the flavors of the cloud with their sizes, optionally filtered by name and minimum vCPUs and RAM.
  - With O(server), lists the flavors that server may be resized to. On Open Telekom Cloud / Huawei Cloud the cloud
    says so itself (C(GET /v1/{project_id}/cloudservers/resize_flavors)); on plain OpenStack, where that call does not
    exist, the module lists every other flavor whose root disk is not smaller than the server's (and not zero when
    the server has a local root disk). RV(source) says which of the two was used.
author:
  - ecs_ops maintainers (@ecs-ops)
extends_documentation_fragment:
  - ecs_ops.compute.connection
  - ecs_ops.compute.info
options:
  name:
    description:
      - Only flavors whose name matches this shell-style pattern, case-sensitive (V(*) any characters,
        V(?) one character, V([...]) one of a set). Without wildcards the name must match exactly,
        so V(s6.large.2) selects one flavor and V(s6.*) a family.
    type: str
  min_vcpus:
    description:
      - Only flavors with at least this many vCPUs.
    type: int
  min_ram:
    description:
      - Only flavors with at least this much RAM, in MiB.
    type: int
  server:
    description:
      - Name or id of a server; then only the flavors this server may be resized to are listed (its current flavor is not one).
      - The server must exist; a name must match exactly one server.
    type: str
notes:
  - The flavors are sorted by vCPUs, RAM and name.
seealso:
  - module: ecs_ops.compute.ecs_resize
    description: Changes the flavor of a server.
  - module: ecs_ops.compute.ecs_server_info
    description: Shows the flavor a server runs on.
'''

EXAMPLES = r'''
- name: Flavors of the s6 family with at least 4 GiB RAM
  ecs_ops.compute.ecs_flavor_info:
    cloud: otc
    name: "s6.*"
    min_ram: 4096
  register: s6

- name: What web-1 may be resized to, with at least 4 vCPUs
  ecs_ops.compute.ecs_flavor_info:
    cloud: otc
    server: web-1
    min_vcpus: 4
  register: targets

- name: Resize web-1 to the smallest of them
  ecs_ops.compute.ecs_resize:
    cloud: otc
    server: web-1
    flavor: "{{ targets.flavors[0].id }}"
  when: targets.flavors | length > 0
'''

RETURN = r'''
flavors:
  description: The flavors found, sorted by vCPUs, RAM and name.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Flavor id (on ECS the same as the name).
      returned: success
      type: str
      sample: s6.large.2
    name:
      description: Flavor name.
      returned: success
      type: str
      sample: s6.large.2
    vcpus:
      description: Number of vCPUs.
      returned: success
      type: int
      sample: 2
    ram:
      description: RAM in MiB.
      returned: success
      type: int
      sample: 4096
    disk:
      description: Root disk in GiB (V(0) when the root disk is a volume, as on ECS).
      returned: success
      type: int
      sample: 0
    ephemeral:
      description: Ephemeral disk in GiB.
      returned: success
      type: int
      sample: 0
    swap:
      description: Swap in MiB.
      returned: success
      type: int
      sample: 0
    is_public:
      description: Whether every project may use the flavor; V(null) when the cloud does not say.
      returned: success
      type: bool
      sample: true
source:
  description:
    - Where the list comes from. V(flavors) the flavors API (without O(server)); V(resize_flavors) the cloud's list of
      allowed resize targets of O(server); V(flavors_by_disk) all flavors with a root disk at least as large as the
      server's, because the cloud offers no such list (plain OpenStack).
  returned: always
  type: str
  sample: resize_flavors
server:
  description: The server of O(server) (id, name, and its current flavor).
  returned: when O(server) is given
  type: dict
  sample: {id: 1f0e7b3c-5a41-4a8e-9a55-6d1c1c6f1a01, name: web-1, flavor: {id: s6.medium.2, name: s6.medium.2, vcpus: 1, ram: 2048, disk: 0}}
api_calls:
  description: Number of HTTP requests this run sent to the cloud (authentication included).
  returned: always
  type: int
  sample: 3
'''

from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, server_flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import (
    allowed_targets, complete_flavor, filter_flavors, find_server, flavor_facts, nova_resize_targets,
)


class EcsFlavorInfoModule(EcsModule):
    argument_spec = dict(
        name=dict(type='str'),
        min_vcpus=dict(type='int'),
        min_ram=dict(type='int'),
        server=dict(type='str'),
    )

    def execute(self):
        params = self.params
        result = dict(changed=False)
        if params['server']:
            facts, source, result['server'] = self._targets_of(params['server'])
        else:
            facts, source = [flavor_facts(doc) for doc in self.compute.list_flavors()], 'flavors'
        result['flavors'] = filter_flavors(facts, name=params['name'], min_vcpus=params['min_vcpus'], min_ram=params['min_ram'])
        result['source'] = source
        result['api_calls'] = self.compute.calls
        return result

    def _targets_of(self, ref):
        doc = find_server(self.compute, ref)
        current = server_flavor(doc)
        allowed, dummy = allowed_targets(self.compute, doc.get('id'))
        if allowed is not None:
            facts, source = [flavor_facts(d) for d in allowed], 'resize_flavors'
        else:
            every = self.compute.list_flavors()
            current = complete_flavor(current, every)
            facts, source = nova_resize_targets([flavor_facts(d) for d in every], current), 'flavors_by_disk'
        if current.id and (current.name is None or current.vcpus is None):
            looked_up = self.compute.get_flavor(current.id)
            current = current.merged_with(Flavor.from_api(looked_up)) if looked_up else current
        return facts, source, dict(id=doc.get('id'), name=doc.get('name'), flavor=current.as_dict())


def main():
    EcsFlavorInfoModule().run()


if __name__ == '__main__':
    main()
