# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the smoke playbook that scripts/package.sh runs from the installed tarball.

usage: python package_smoke.py READY_FILE PLAYBOOK_OUT
A no-op ecs_ecs_resize (web-1 already runs on s6.medium.2 in the emulator's default seed), with the
connection given once through module_defaults for the action group, so that the group, the
doc fragment, module_utils and the module all come from the built tarball.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import sys

import yaml


def main():
    ready_file, out = sys.argv[1:3]
    with open(ready_file) as handle:
        info = json.load(handle)
    connection = dict(
        auth=dict(auth_url=info['auth_url'], username=info['username'], password=info['password'],
                  user_domain_name=info['user_domain_name'], project_name=info['project_name']),
        region_name=info['region'],
    )
    play = dict(
        name='Smoke test of the installed collection',
        hosts='localhost',
        gather_facts=False,
        module_defaults={'group/ecs_ops.compute.ecs': connection},
        tasks=[
            dict(name='Resize web-1 to the flavor it already has', register='smoke',
                 **{'ecs_ops.compute.ecs_resize': dict(server='web-1', flavor='s6.medium.2')}),
            dict(name='It was a no-op', **{'ansible.builtin.assert': dict(that=[
                'smoke is not changed', 'smoke.flavor.name == "s6.medium.2"'])}),
        ],
    )
    with open(out, 'w') as handle:
        yaml.safe_dump([play], handle, sort_keys=False)


if __name__ == '__main__':
    main()
