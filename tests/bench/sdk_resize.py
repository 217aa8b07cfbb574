# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openstacksdk peer: resize + confirm one server the way the SDK's docs show, with its defaults.

Run by tests/bench/run.py with the bench venv's interpreter:
    python sdk_resize.py CONNECTION.json SERVER FLAVOR
CONNECTION.json: the emulator's ready file (password auth), or {"auth_type": "admin_token", "token", "endpoint"}
(real Nova's harness, tests/bench/real_nova.py).
Prints one JSON line: {"inside": seconds from the first SDK call to the end}.
"""

import json
import sys
import time


def main():
    info_file, server_name, flavor_name = sys.argv[1:4]
    with open(info_file) as handle:
        info = json.load(handle)
    import openstack
    start = time.monotonic()
    if info.get('auth_type') == 'admin_token':  # real Nova's harness: a token and the compute endpoint
        conn = openstack.connect(auth_type='admin_token', auth=dict(token=info['token'], endpoint=info['endpoint']))
    else:
        conn = openstack.connect(
            auth_url=info['auth_url'], username=info['username'], password=info['password'],
            user_domain_name=info['user_domain_name'], project_name=info['project_name'],
            project_domain_name=info['project_domain_name'], region_name=info['region'],
        )
    server = conn.compute.find_server(server_name, ignore_missing=False)
    flavor = conn.compute.find_flavor(flavor_name, ignore_missing=False)
    conn.compute.resize_server(server, flavor.id)
    server = conn.compute.wait_for_server(server, status='VERIFY_RESIZE')  # interval=2, wait=120
    conn.compute.confirm_server_resize(server)
    conn.compute.wait_for_server(server, status='ACTIVE')
    print(json.dumps({'inside': time.monotonic() - start}))


if __name__ == '__main__':
    main()
