# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault suite: the cloud misbehaves during a resize; the module survives or fails clearly, never repeats a resize.

Every case asserts the final server state, the state-changing requests the emulator received, and the
message the user sees. `make reliability-report` runs this file and writes docs/reliability.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import subprocess
import sys
import threading
import time

import pytest

import reliability
from helpers import (BIN, CloudView, ansible_env, connection_vars, count_actions, flavor_id, free_port, kill_tree, run_playbook,
                     start_emulator)

# the report of `make reliability-report` is written once the module's tests ran (an autouse fixture)
reliability_report = reliability.reliability_report


def resize_task(info, name='resize', **options):
    args = dict(connection_vars(info))
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}


def run_resize(emu, tmp_path, server='web-1', flavor='s6.large.2', **options):
    started = time.time()
    run = run_playbook(tmp_path, [resize_task(emu.info, server=server, flavor=flavor, **options)])
    return run, run.task('resize'), time.time() - started


def assert_resized_once(emu, cloud, run, result, server='web-1', flavor='s6.large.2', status='ACTIVE'):
    assert run.outcome('resize') == 'ok', run
    assert result['changed'] is True
    live = cloud.server(server)
    assert (live['status'], flavor_id(live)) == (status, flavor)
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 1
    assert count_actions(log, 'confirmResize') == 1
    assert count_actions(log, 'revertResize', accepted_only=False) == 0
    return log


@pytest.mark.parametrize('kind', ['500', '502', '503', '504', 'drop'])
def test_transient_errors_on_status_reads_are_survived(emu, cloud, tmp_path, kind):
    # the first reads of the server during the wait fail; lookups by name (servers/detail) are not hit
    emu.admin.fault(route=r'/servers/[0-9a-f-]{36}$', method='GET', kind=kind, count=3)
    run, result, seconds = run_resize(emu, tmp_path)
    log = assert_resized_once(emu, cloud, run, result)
    # the fault fired on exactly the 3 status reads it was set for: a dropped connection is logged with
    # no status (the emulator never answered), an HTTP error with its status; nothing else failed
    fired = [e for e in log if e.get('fault') == kind]
    assert len(fired) == 3, log
    assert all(e['method'] == 'GET' and re.search(r'/servers/[0-9a-f-]{36}$', e['path']) for e in fired), fired
    assert [e['status'] for e in fired] == [None if kind == 'drop' else int(kind)] * 3, fired
    others = [e for e in log if e.get('fault') != kind]
    assert not [e for e in others if e.get('status') is None or e['status'] >= 500], log
    reliability.record('%s on 3 status reads' % ('dropped connection' if kind == 'drop' else 'HTTP ' + kind),
                       'survived, resized and confirmed once', 'changed, %s on %s' % (result['server']['status'], result['server']['flavor']['id']),
                       log, seconds)


def test_429_with_retry_after_on_every_route_is_honoured(emu, cloud, tmp_path):
    for route in (r'/auth/tokens$', r'/servers/detail$', r'/flavors/', r'/servers/[0-9a-f-]{36}$', r'/action$'):
        emu.admin.fault(route=route, kind='429', count=1, retry_after=1)
    run, result, seconds = run_resize(emu, tmp_path)
    log = assert_resized_once(emu, cloud, run, result)
    limited = [e for e in log if e.get('status') == 429]
    assert len(limited) == 5
    for entry in limited:
        following = [e for e in log if e['ts'] > entry['ts'] and e['path'] == entry['path']]
        assert following and following[0]['ts'] - entry['ts'] >= 0.95, (entry, following[:1])
    reliability.record('HTTP 429 with Retry-After: 1 once on every route (token, lookup, flavor, status, action)',
                       'survived; each retry waits the Retry-After', 'changed; 5 x 429, each retried after >= 1 s', log, seconds)


def test_ambiguous_resize_post_is_not_sent_twice(emu, cloud, tmp_path):
    emu.admin.fault(route=r'/action$', method='POST', kind='drop_after', count=1)
    run, result, seconds = run_resize(emu, tmp_path)
    log = assert_resized_once(emu, cloud, run, result)
    assert any('no clear answer' in w for w in run.task('resize').get('warnings', [])) or 'no clear answer' in run.stdout
    reliability.record('connection dropped after the cloud accepted the resize POST', 'no second resize; finds it in progress, carries on',
                       'changed; one resize request, warning shown', log, seconds)


def test_ambiguous_confirm_post_is_settled(emu, cloud, tmp_path):
    emu.admin.fault(route=r'/action$', method='POST', kind='drop_after', count=2)
    # the first drop_after hits the resize, the second the confirmation
    run, result, seconds = run_resize(emu, tmp_path)
    assert run.outcome('resize') == 'ok', run
    live = cloud.server('web-1')
    assert (live['status'], flavor_id(live)) == ('ACTIVE', 's6.large.2')
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 1
    assert count_actions(log, 'revertResize', accepted_only=False) == 0
    reliability.record('connection dropped after both the resize and the confirm POST were accepted',
                       'no second resize; confirmation settled by re-reading', 'changed; ACTIVE on target', log, seconds)


def test_token_expiry_mid_wait_reauthenticates_once(emu, cloud, tmp_path):
    emu.admin.config(time_scale=1.0, durations={'resize_prep': 0.5, 'resize_migrating': 3, 'resize_migrated': 0.3,
                                                'resize_finish': 0.3, 'confirm': 0.3})

    def expire_when_migrating():
        CloudView(emu.info).wait_for('web-1', 'RESIZE', timeout=30, task_state='resize_migrating')
        # clear first, then expire: a poll landing in between is answered with the still valid token and
        # only adds a 200, whereas the other order could erase the very 401 counted below
        emu.admin.clear_requests()
        emu.admin.expire_tokens()

    helper = threading.Thread(target=expire_when_migrating)
    helper.start()
    run, result, seconds = run_resize(emu, tmp_path)
    helper.join()
    after_expiry = emu.admin.requests()  # the module's requests since just before the tokens expired
    assert len([e for e in after_expiry if e.get('status') == 401]) == 1
    assert len([e for e in after_expiry if e['path'].endswith('/auth/tokens') and e.get('status') == 201]) == 1
    assert run.outcome('resize') == 'ok' and result['actions'] == ['resize', 'confirmResize'], run
    live = cloud.server('web-1')
    assert (live['status'], flavor_id(live)) == ('ACTIVE', 's6.large.2')
    reliability.record('all tokens expire in the middle of the wait', 're-authenticates once, finishes',
                       'changed; one 401, one new login', emu.admin.requests(), seconds)


def test_emulator_restart_mid_resize_is_ridden_through(tmp_path):
    from ecs_emulator.testing import AdminClient
    port, state, ready = free_port(), str(tmp_path / 'state.sqlite'), str(tmp_path / 'ready.json')
    proc, info = start_emulator(port, state, ready)
    try:
        admin = AdminClient(info['admin_url'])
        admin.config(durations={'resize_prep': 0.5, 'resize_migrating': 4, 'resize_migrated': 0.3, 'resize_finish': 0.3, 'confirm': 0.3})
        book = tmp_path / 'book'
        book.mkdir()

        def restart_when_migrating():
            CloudView(info).wait_for('web-1', 'RESIZE', timeout=30, task_state='resize_migrating')
            # the request log lives in memory: keep what the first process received (the resize POST)
            before_restart.extend(admin.requests())
            proc.terminate()
            proc.wait()
            time.sleep(1.0)
            holder.append(start_emulator(port, state, ready)[0])

        holder, before_restart = [], []
        helper = threading.Thread(target=restart_when_migrating)
        helper.start()
        started = time.time()
        run = run_playbook(book, [resize_task(info, server='web-1', flavor='s6.large.2')])
        helper.join()
        seconds = time.time() - started
        result = run.task('resize')
        assert run.outcome('resize') == 'ok', run
        assert result['actions'] == ['resize', 'confirmResize']
        view = CloudView(info)
        live = view.server('web-1')
        assert (live['status'], flavor_id(live)) == ('ACTIVE', 's6.large.2')
        log = before_restart + AdminClient(info['admin_url']).requests()
        # one resize POST and one confirmation in both processes' logs together: no duplicate, not even a
        # refused one; and the cloud's own record (kept in the state file across the restart) agrees
        assert count_actions(log, 'resize', accepted_only=False) == 1, log
        assert count_actions(log, 'resize') == 1 and count_actions(log, 'confirmResize', accepted_only=False) == 1, log
        recorded = view.get('%s/servers/%s/os-instance-actions' % (info['compute_url'], live['id']))['instanceActions']
        assert sorted(a['action'] for a in recorded if a['action'] != 'create') == ['confirmResize', 'resize'], recorded
        reliability.record('the cloud API restarts in the middle of the resize (state kept)', 'rides through; resize completes',
                           'changed; resize + confirm, %s' % live['status'], log, seconds)
    finally:
        for running in [proc] + holder:
            if running.poll() is None:
                running.terminate()
                running.wait()


def test_controller_killed_mid_wait_then_rerun(emu, cloud, tmp_path):
    emu.admin.config(time_scale=1.0, durations={'resize_prep': 0.3, 'resize_migrating': 4, 'resize_migrated': 0.3, 'resize_finish': 0.3, 'confirm': 0.3})
    book = tmp_path / 'book'
    book.mkdir()
    run_playbook(book, [resize_task(emu.info, server='web-1', flavor='s6.large.2')], args=['--syntax-check'])
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), str(book / 'playbook.yml'), '-i', 'localhost,', '-c', 'local'],
                            env=ansible_env(), cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        cloud.wait_for('web-1', 'RESIZE', timeout=60, task_state='resize_migrating')
    finally:
        kill_tree(proc)
    started = time.time()
    run, result, dummy = run_resize(emu, tmp_path)
    log = assert_resized_once(emu, cloud, run, result)
    assert result['actions'] == ['confirmResize']
    reliability.record('the controller is killed (kill -9) mid-wait, then the playbook is rerun', 'resumes and confirms; one resize in total',
                       'changed; rerun sent only confirmResize', log, time.time() - started)


def test_cloud_rollback_is_a_clear_failure(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.2xlarge.2', True)
    run, result, seconds = run_resize(emu, tmp_path, flavor='s6.2xlarge.2')
    assert run.outcome('resize') == 'ignored'
    assert result['rolled_back'] is True and 'rolled the resize' in result['msg']
    live = cloud.server('web-1')
    assert (live['status'], flavor_id(live)) == ('ACTIVE', 's6.medium.2')
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 1 and count_actions(log, 'confirmResize') == 0 and count_actions(log, 'revertResize') == 0
    reliability.record('target flavor sold out: the cloud rolls the resize back by itself', 'failure, rolled_back=true, old flavor and status',
                       result['msg'], log, seconds)


LOCKED_MSG = 'server web-1 is locked; unlock it before resizing'


def test_locked_server_is_refused_before_any_resize_request(emu, cloud, tmp_path):
    # at microversion 2.9 and later the server document shows `locked: true` (ecs-api.md section 2), so the
    # module's own check refuses: no resize POST at all, its own message, nothing changed
    emu.admin.set_server(cloud.server('web-1')['id'], locked=True)
    run, result, seconds = run_resize(emu, tmp_path, microversion='2.9')
    assert run.outcome('resize') == 'ignored', run
    assert LOCKED_MSG in result['msg'] and result.get('error') == 'locked', result
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 0, log
    reliability.record('server locked (microversion 2.9)', 'clear failure before any resize request, no change',
                       result['msg'], log, seconds)


def test_locked_server_is_refused_before_any_resize_request_at_the_default_microversion(emu, cloud, tmp_path):
    # without a configured microversion the module reads servers at 2.9, so it sees `locked` itself
    emu.admin.set_server(cloud.server('web-1')['id'], locked=True)
    run, result, dummy = run_resize(emu, tmp_path)
    assert run.outcome('resize') == 'ignored', run
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'
    assert count_actions(emu.admin.requests(), 'resize', accepted_only=False) == 0
    assert LOCKED_MSG in result['msg'] and result.get('error') == 'locked', result


def test_server_in_error_fails_without_change(emu, cloud, tmp_path):
    emu.admin.set_server(cloud.server('web-1')['id'], status='ERROR', fault='host lost power')
    run, result, seconds = run_resize(emu, tmp_path)
    assert run.outcome('resize') == 'ignored' and 'ERROR' in result['msg'] and 'host lost power' in result['msg']
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 0
    reliability.record('server in ERROR', 'clear failure, no request sent', result['msg'], log, seconds)


def test_server_deleted_during_the_wait(emu, cloud, tmp_path):
    emu.admin.config(time_scale=1.0, durations={'resize_migrating': 5})
    server_id = cloud.server('web-1')['id']

    def delete_when_migrating():
        CloudView(emu.info).wait_for('web-1', 'RESIZE', timeout=30, task_state='resize_migrating')
        emu.admin.delete_server(server_id)

    helper = threading.Thread(target=delete_when_migrating)
    helper.start()
    run, result, seconds = run_resize(emu, tmp_path)
    helper.join()
    assert run.outcome('resize') == 'ignored' and 'no longer exists' in result['msg'], run
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 1 and count_actions(log, 'confirmResize', accepted_only=False) == 0
    reliability.record('server deleted during the wait', 'clear failure', result['msg'], log, seconds)


def test_other_resize_pending_fails_without_change(emu, cloud, tmp_path):
    assert cloud.action('web-1', {'resize': {'flavorRef': 'c7.large.2'}}).status_code == 202
    cloud.wait_for('web-1', 'VERIFY_RESIZE')
    emu.admin.clear_requests()
    run, result, seconds = run_resize(emu, tmp_path)
    assert run.outcome('resize') == 'ignored' and 'c7.large.2' in result['msg'] and 'pending' in result['msg']
    live = cloud.server('web-1')
    assert (live['status'], flavor_id(live)) == ('VERIFY_RESIZE', 'c7.large.2')
    log = emu.admin.requests()
    assert count_actions(log, 'resize', accepted_only=False) == 0 and count_actions(log, 'confirmResize', accepted_only=False) == 0
    reliability.record('another resize (to another flavor) already pending', 'clear failure naming it, no change', result['msg'], log, seconds)


def test_timeout_names_the_last_status_and_reverts_nothing(emu, cloud, tmp_path):
    emu.admin.config(time_scale=1.0, durations={'resize_migrating': 60})
    run, result, seconds = run_resize(emu, tmp_path, timeout=3)
    assert run.outcome('resize') == 'ignored' and result['error'] == 'timeout'
    assert 'RESIZE/resize_migrating' in result['msg'] and 'nothing was reverted' in result['msg']
    log = emu.admin.requests()
    assert count_actions(log, 'revertResize', accepted_only=False) == 0 and count_actions(log, 'resize') == 1
    assert cloud.server('web-1')['status'] == 'RESIZE'
    reliability.record('timeout (3 s) during a long resize', 'clear failure naming the last status; nothing reverted',
                       result['msg'], log, seconds)


def test_rate_limit_during_a_parallel_resize_of_20_servers(emu, cloud, tmp_path):
    servers = [{'name': 'fleet-%02d' % i, 'flavor': 's6.medium.2', 'status': 'ACTIVE'} for i in range(20)]
    emu.admin.seed(servers=servers)
    # resizes long enough that the 20 runs overlap, and one token shared by all of them, so that the limit bites
    emu.admin.config(time_scale=1.0, durations={'resize_prep': 0.5, 'resize_migrating': 5, 'resize_migrated': 0.3,
                                                'resize_finish': 0.3, 'confirm': 0.3})
    shared = dict(auth_type='token', auth={'token': emu.token()}, compute_endpoint=emu.info['compute_url'])
    emu.admin.clear_requests()
    emu.admin.rate_limit(10)
    tasks = [{
        'name': 'resize fleet',
        'ecs_ops.compute.ecs_resize': dict(shared, server='{{ item }}', flavor='s6.large.2'),
        'loop': [s['name'] for s in servers],
        'async': 300, 'poll': 0, 'register': 'jobs',
    }, {
        'name': 'wait',
        'ansible.builtin.async_status': {'jid': '{{ item.ansible_job_id }}'},
        'loop': '{{ jobs.results }}',
        'register': 'done', 'until': 'done.finished', 'retries': 300, 'delay': 1,
    }]
    started = time.time()
    run = run_playbook(tmp_path, tasks)
    seconds = time.time() - started
    emu.admin.rate_limit(None)
    failures = [item.get('msg') for r in run.results if r['task'] == 'wait' for item in r['result'].get('results', []) if item.get('failed')]
    assert run.rc == 0 and not failures, failures or run.stdout[-3000:]
    log = emu.admin.requests()
    for server in servers:
        live = cloud.server(server['name'])
        assert (live['status'], flavor_id(live)) == ('ACTIVE', 's6.large.2'), server['name']
    limited = len([e for e in log if e.get('status') == 429])
    assert limited > 0
    assert count_actions(log, 'resize') == 20 and count_actions(log, 'confirmResize') == 20
    # every refused resize POST was refused by the rate limit, before the cloud acted on it
    assert all(e.get('status') == 429 for e in log if e.get('action') == 'resize' and (e.get('status') or 0) >= 400)
    reliability.record('per-token rate limit of 10 requests/s while 20 servers are resized in parallel with one token',
                       'all 20 resized and confirmed, no duplicate', 'all 20 ACTIVE on target; %d x 429 absorbed' % limited, log, seconds)


if __name__ == '__main__':  # pragma: no cover
    sys.exit(pytest.main([__file__]))
