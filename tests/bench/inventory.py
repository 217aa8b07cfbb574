# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory of a fleet (issue 17): ecs_ops.compute.ecs against openstack.cloud.openstack, on the emulator, in one run.

    .venv/bin/python tests/bench/inventory.py [--servers 1000] [--runs 3] [--json FILE] [--smoke]

The emulator runs in a subprocess (its CPU stays out of the numbers) with N servers (addresses, tags, two AZs, two
flavors). Each inventory is parsed by a fresh Python process that loads it through Ansible's InventoryManager (as
ansible-inventory and ansible-playbook do): `parse` is the wall time of that load and `cpu` the CPU seconds the process
spent in it (the plugin's own time: the cloud's time to answer is not in it), `requests` what the emulator saw. `cli` is
the wall time of a whole `ansible-inventory --list` (Python start, Ansible's imports, the JSON output). Medians of --runs.

openstack.cloud.openstack (expand_hostvars false, its default; show_all, so that servers without an address are hosts
too, as in ours) runs from the bench venv (.cache/bench-venv, built by
tests/bench/run.py from requirements-bench.txt). Targets for ecs_ops.compute.ecs with 1000 servers: at most 11 requests
and under 2 s of its own time (cpu); the script exits 1 when one is missed (not with --smoke), 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'emulator'))

import run as bench  # noqa: E402  (tests/bench/run.py: the emulator subprocess, the peers' venv)

TARGET_REQUESTS = 11
TARGET_SECONDS = 2.0

# Loads one inventory source in a fresh process and prints what it took (the collection loader comes from
# ANSIBLE_COLLECTIONS_PATH; the bench venv's Ansible carries openstack.cloud in its own site-packages).
PARSE = r'''
import json, sys, time
from ansible.plugins.loader import init_plugin_loader
init_plugin_loader()
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
from ansible.utils.display import Display
warnings = []
Display.warning = lambda self, msg, *a, **k: warnings.append(str(msg))
wall, cpu = time.perf_counter(), time.process_time()
inventory = InventoryManager(loader=DataLoader(), sources=[sys.argv[1]])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
# the flavor group by either naming: flavor_s6_medium_2 (ours) or flavor-s6.medium.2 (openstack.cloud's legacy groups)
groups = dict((name.replace('-', '_').replace('.', '_'), len(group.get_hosts())) for name, group in inventory.groups.items())
print(json.dumps(dict(wall=wall, cpu=cpu, hosts=len(inventory.hosts), groups=groups, warnings=warnings)))
'''


def fleet(count):
    from ecs_emulator.seed import fleet as make
    return make(count, prefix='node', flavors=('s6.medium.2', 's6.large.2'), zones=('eu-de-01', 'eu-de-02'),
                shutoff_every=10, floating_every=4, tags=['env=prod'], metadata={'tier': 'web'})


def write(path, data):
    with open(path, 'w') as handle:
        yaml.safe_dump(data, handle, sort_keys=False)
    return path


def sources(workdir, info):
    """The inventory sources compared: {label: (path, python, ansible-inventory, env)}."""
    conn = bench.connection(info)
    clouds = write(os.path.join(workdir, 'clouds.yaml'), {'clouds': {'emulator': dict(
        auth=dict(conn['auth'], project_domain_name=info['project_domain_name']), region_name=info['region'],
        identity_api_version=3)}})
    ours = dict(plugin='ecs_ops.compute.ecs', **conn)
    cache = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=os.path.join(workdir, 'cache'))
    env = bench.ansible_env(extra={'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true', 'OS_CLIENT_CONFIG_FILE': clouds})
    venv = os.path.join(bench.BENCH_VENV, 'bin')
    return {
        'ecs_ops.compute.ecs (api nova)': (write(os.path.join(workdir, 'nova.ecs.yml'), ours), sys.executable,
                                           os.path.join(bench.BIN, 'ansible-inventory'), env),
        'ecs_ops.compute.ecs (api ecs)': (write(os.path.join(workdir, 'native.ecs.yml'), dict(ours, api='ecs')),
                                          sys.executable, os.path.join(bench.BIN, 'ansible-inventory'), env),
        'ecs_ops.compute.ecs (cached)': (write(os.path.join(workdir, 'cached.ecs.yml'), dict(ours, **cache)),
                                         sys.executable, os.path.join(bench.BIN, 'ansible-inventory'), env),
        'openstack.cloud.openstack': (write(os.path.join(workdir, 'emulator.openstack.yml'), dict(
            plugin='openstack.cloud.openstack', only_clouds=['emulator'], fail_on_errors=True, show_all=True)),
            os.path.join(venv, 'python'), os.path.join(venv, 'ansible-inventory'),
            dict(env, PATH=venv + os.pathsep + env['PATH'])),
    }


def measure(emu, label, path, python, cli, env, workdir):
    """One parse in a fresh process and one ansible-inventory --list: times, requests, hosts, groups."""
    emu.clear_requests()
    proc = subprocess.run([python, '-c', PARSE, path], env=env, cwd=workdir, capture_output=True, text=True, timeout=600,
                          check=False)
    if proc.returncode != 0:
        raise bench.BenchError('%s: loading %s failed:\n%s' % (label, path, (proc.stdout + proc.stderr)[-2000:]))
    parsed = json.loads(proc.stdout.strip().splitlines()[-1])
    log = emu.requests()
    start = time.monotonic()
    listed = subprocess.run([cli, '-i', path, '--list'], env=env, cwd=workdir, capture_output=True, text=True, timeout=600,
                            check=False)
    cli_wall = time.monotonic() - start
    if listed.returncode != 0:
        raise bench.BenchError('%s: ansible-inventory failed:\n%s' % (label, listed.stderr[-2000:]))
    kinds = {}
    for entry in log:
        kind = '%s %s' % (entry['method'], '/'.join(entry['path'].rstrip('/').split('/')[-2:]))
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(parse=parsed['wall'], cpu=parsed['cpu'], cli=cli_wall, requests=len(log), kinds=kinds,
                hosts=parsed['hosts'], medium=parsed['groups'].get('flavor_s6_medium_2'), warnings=parsed['warnings'])


def median(rows, key):
    return round(statistics.median(r[key] for r in rows), 3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--servers', type=int, default=1000)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--json', help='write the results to this file')
    parser.add_argument('--smoke', action='store_true', help='50 servers, one run, no targets checked')
    args = parser.parse_args(argv)
    if args.smoke:
        args.servers, args.runs = 50, 1
    if not os.path.isdir(bench.COLLECTIONS):
        bench.say('the collection is not linked: run make collection')
        return 2
    bench.ensure_venv(bench.BENCH_VENV, bench.bench_requirements())
    workdir = tempfile.mkdtemp(prefix='bench-inventory-')
    emu = bench.Emulator(workdir)
    results = {}
    try:
        emu.admin('POST', '/seed', {'servers': fleet(args.servers - 4)})  # + the 4 servers of the default seed
        compared = sources(workdir, emu.info)
        rows = dict((label, []) for label in compared)
        for dummy in range(args.runs):
            for label, (path, python, cli, env) in compared.items():  # interleaved: a noisy moment hits each alike
                rows[label].append(measure(emu, label, path, python, cli, env, workdir))
        for label, runs in rows.items():
            last = runs[-1]
            if last['hosts'] != args.servers:
                raise bench.BenchError('%s found %d hosts, not %d' % (label, last['hosts'], args.servers))
            results[label] = dict(servers=last['hosts'], parse=median(runs, 'parse'), cpu=median(runs, 'cpu'),
                                  cli=median(runs, 'cli'), requests=last['requests'], kinds=last['kinds'],
                                  flavor_group=last['medium'], warnings=len(last['warnings']))
    except bench.BenchError as exc:
        bench.say('ERROR: %s' % exc)
        return 2
    finally:
        emu.stop()

    bench.say('\nInventory of %d servers on the emulator (%d run(s): medians of the times, the requests of the last run)\n'
              % (args.servers, args.runs))
    bench.say('| inventory plugin | requests | parse (s) | own CPU (s) | ansible-inventory --list (s) | flavor_s6_medium_2 | requests by kind |')
    bench.say('|---|---|---|---|---|---|---|')
    for label, res in results.items():
        kinds = ', '.join('%s %s' % (k, n) for k, n in sorted(res['kinds'].items())) or 'none'
        group = res['flavor_group'] if res['flavor_group'] is not None else '(no such group)'
        bench.say('| %s | %d | %.2f | %.2f | %.2f | %s | %s |'
                  % (label, res['requests'], res['parse'], res['cpu'], res['cli'], group, kinds))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump(results, handle, indent=2)
    ours = results['ecs_ops.compute.ecs (api nova)']
    missed = []
    if ours['requests'] > TARGET_REQUESTS:
        missed.append('%d requests (target: at most %d)' % (ours['requests'], TARGET_REQUESTS))
    if ours['cpu'] >= TARGET_SECONDS:
        missed.append('%.2f s of own time (target: under %.1f s)' % (ours['cpu'], TARGET_SECONDS))
    if results['ecs_ops.compute.ecs (cached)']['requests'] != 0 and args.runs > 1:
        missed.append('the cached inventory sent requests after the first run')
    bench.say('\ntargets (ecs_ops.compute.ecs, api nova): at most %d requests, under %.1f s of its own time: %s'
              % (TARGET_REQUESTS, TARGET_SECONDS, 'missed: ' + '; '.join(missed) if missed else 'met'))
    return 1 if missed and not args.smoke else 0


if __name__ == '__main__':
    sys.exit(main())
