# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A sliced job template over the inventory source, as AWX / AAP runs it (docs/awx.md): the inventory is synced once,
each slice is a per-host run of the role on its own part of the hosts, all slices at the same time.

AWX's partition (awx/main/models/inventory.py, Inventory.get_script_data): the inventory's hosts ordered by name,
slice k of n gets hosts[k-1::n]; here each slice is an ansible-playbook with --limit of its hosts."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import yaml

from ecs_emulator.seed import fleet

from helpers import BIN, ansible_env, connection_vars, count_actions
from test_inventory import hosts_of, inventory, listing_requests, write_source

SLICES = 2


def awx_slices(hostnames, count):
    """The hosts of each slice as AWX cuts them: sorted by name, every count-th from offset slice-1."""
    ordered = sorted(hostnames)
    return [ordered[number - 1::count] for number in range(1, count + 1)]


def start_slice(tmp_path, number, source, playbook, hosts):
    """ansible-playbook for one slice, started in the background; returns (process, results file)."""
    results = os.path.join(str(tmp_path), 'slice-%d-%d.json' % (number, len(os.listdir(str(tmp_path)))))
    env = ansible_env(dict(ECS_TEST_RESULTS=results, ANSIBLE_INVENTORY_UNPARSED_FAILED='true'))
    cmd = [os.path.join(BIN, 'ansible-playbook'), playbook, '-i', source, '--limit', ','.join(hosts)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, results


def run_slices(tmp_path, source, playbook, slices):
    """Every slice at once; returns [(rc, output, recorded results)] when all are done."""
    started = [start_slice(tmp_path, number, source, playbook, hosts) for number, hosts in enumerate(slices, 1)]
    done = []
    for proc, results_file in started:
        output, dummy = proc.communicate(timeout=600)
        results = []
        if os.path.exists(results_file):
            with open(results_file) as handle:
                results = json.load(handle)
        done.append((proc.returncode, output, results))
    return done


def test_two_slices_at_once_resize_every_server_exactly_once_then_nothing(emu, cloud, tmp_path):
    emu.admin.seed(servers=fleet(8, prefix='app', flavors=('s6.medium.2',), shutoff_every=4)
                   + fleet(3, prefix='db', flavors=('s6.large.2',)))
    cache_dir = os.path.join(str(tmp_path), 'inventory-cache')
    source = write_source(tmp_path, emu.info, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=cache_dir)
    conn = connection_vars(emu.info)
    playbook = os.path.join(str(tmp_path), 'resize.yml')
    with open(playbook, 'w') as handle:
        yaml.safe_dump([{'name': 'Resize every s6.medium.2 server', 'hosts': 'flavor_s6_medium_2', 'gather_facts': False,
                         'roles': [{'role': 'ecs_ops.compute.resize', 'vars': dict(
                             ecs_resize_flavor='s6.large.2', ecs_resize_timeout=120,
                             ecs_resize_auth=conn['auth'], ecs_resize_region_name=conn['region_name'])}]}], handle)

    # the inventory update (AWX syncs the source once; the jobs read what it stored)
    synced = inventory(source)
    group = hosts_of(synced, 'flavor_s6_medium_2')
    assert len(group) == 10  # web-1, web-2 and app-0001..0008
    slices = awx_slices(synced['_meta']['hostvars'], SLICES)
    assert sorted(sum(slices, [])) == sorted(synced['_meta']['hostvars']) and not set(slices[0]) & set(slices[1])
    assert all(set(part) & set(group) for part in slices)  # both slices have servers to resize

    # what a job reads is the stored inventory: read from the cache, it asks the cloud nothing
    emu.admin.clear_requests()
    assert hosts_of(inventory(source), 'flavor_s6_medium_2') == group and emu.admin.requests() == []
    runs = run_slices(tmp_path, source, playbook, slices)
    for rc, output, _results in runs:
        assert rc == 0, output
    log = emu.admin.requests()
    ids = dict((s['name'], s['id']) for s in cloud.servers())
    for name, server_id in ids.items():
        assert count_actions(log, 'resize', server_id) == (1 if name in group else 0), name
    for name in group:
        server = cloud.server(name)
        assert server['flavor']['id'] == 's6.large.2' and server['status'] in ('ACTIVE', 'SHUTOFF'), name
    assert cloud.server('app-0004')['status'] == 'SHUTOFF'  # a stopped server stays stopped
    for (rc, output, results), part in zip(runs, slices):
        touched = set(r['host'] for r in results if r['host'] != 'localhost')
        assert touched == set(part) & set(group), (touched, part)  # each slice worked on its own hosts only
    # the listings are the role's own: each slice finds its servers in one listing for the preflight and one for the
    # resize (the stored inventory reads none); every other listing asks only for what changed
    full = [r['query'] for r in listing_requests(log) if 'changes-since=' not in r['query']]
    assert full == ['limit=1000'] * (2 * SLICES), full

    # the same job again: every server is on its target, nothing is sent
    emu.admin.clear_requests()
    again = run_slices(tmp_path, source, playbook, slices)
    for rc, output, results in again:
        assert rc == 0, output
        assert [r['task'] for r in results if r['result'].get('changed')] == []
    assert count_actions(emu.admin.requests(), 'resize') == 0

    # synced again, the group is empty
    fresh = inventory(source, '--list', '--flush-cache')
    assert hosts_of(fresh, 'flavor_s6_medium_2') == [] and set(group) <= set(hosts_of(fresh, 'flavor_s6_large_2'))
