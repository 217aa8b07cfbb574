# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_resize with api=ecs (the job-based /v1 resize) as Open Telekom Cloud documents it, and the validate_target
preflight, through ansible-playbook against the emulator's otc profiles.

OTC's reference: "You can modify the ECS specifications only when the ECS is stopped" (eu-de; the emulator's `otc`
profile refuses a native resize of a running server with Ecs.0100); the Swiss region offers resize.mode
"withStopServer" (`otc-swiss`). So the request log of every case below shows that no native resize ever reached
a running server: the emulator would have refused it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess

import pytest

from helpers import BIN, CloudView, ansible_env, connection_vars, count_actions, flavor_id, kill_tree, run_playbook
from plain_openstack import plain_openstack

V1_RESIZE = r'^/v1/[^/]+/cloudservers/[^/]+/resize$'
V1_ACTION = r'^/v1/[^/]+/cloudservers/action$'
RESIZE_FLAVORS = r'/resize_flavors$'
MARKER = 'ecs_ops.compute:restart_after_resize'
STOP_START_ACTIONS = ['metadata:set', 'ecs:stop', 'ecs:resize', 'ecs:start', 'metadata:delete']


def resize_task(info, name='resize', **options):
    args = dict(connection_vars(info))
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}


def v1_posts(emu):
    return emu.admin.count('POST', V1_RESIZE)


def nova_resizes(log):
    return len([r for r in log if r.get('action') == 'resize' and r['method'] == 'POST' and r['path'].endswith('/action')])


def steps(log):
    """The requests that change something, in order: (what, HTTP status)."""
    found = []
    for entry in log:
        path, method = entry.get('path') or '', entry.get('method')
        if '/metadata/' in path and method in ('PUT', 'DELETE'):
            found.append(('metadata %s' % method, entry.get('status')))
        elif method == 'POST' and path.endswith('/cloudservers/action'):
            found.append((entry.get('action') or 'action', entry.get('status')))
        elif method == 'POST' and path.endswith('/resize') and '/v1/' in path:
            found.append(('v1 resize', entry.get('status')))
        elif method == 'POST' and path.endswith('/action'):
            found.append((entry.get('action'), entry.get('status')))
    return found


def metadata(emu, cloud, name):
    return emu.admin.server(cloud.server(name)['id'])['metadata']


def test_running_server_is_stopped_resized_started_and_a_rerun_is_a_noop(emu, cloud, tmp_path):
    tasks = [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')]
    first = run_playbook(tmp_path, tasks)
    result = first.task('resize')
    assert first.outcome('resize') == 'ok', first
    assert result['changed'] is True and result['outcome'] == 'resized' and result['actions'] == STOP_START_ACTIONS, result
    assert [job['action'] for job in result['jobs']] == ['stop', 'resize', 'start'] and all(j['status'] == 'SUCCESS' for j in result['jobs'])
    assert result['job_id'] and result['job']['status'] == 'SUCCESS' and result['job']['id'] == result['job_id']
    assert result['target_validation'] == 'passed' and result['previous_flavor']['id'] == 's6.medium.2'
    assert result['server']['status'] == 'ACTIVE' and result['server']['flavor']['id'] == 's6.large.2'
    log = emu.admin.requests()
    # every step accepted, in order; the native resize accepted, so the server was stopped (otc refuses a running one)
    assert [what for what, status in steps(log)] == ['metadata PUT', 'os-stop', 'v1 resize', 'os-start', 'metadata DELETE'], steps(log)
    assert all(status < 300 for what, status in steps(log)), steps(log)
    assert nova_resizes(log) == 0
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.large.2') and MARKER not in metadata(emu, cloud, 'web-1')

    emu.admin.clear_requests()
    again = run_playbook(tmp_path, tasks).task('resize')
    assert again['changed'] is False and again['actions'] == [] and again['job_id'] is None and again['outcome'] == 'unchanged'
    assert again['target_validation'] == 'not_needed'
    # no-op: token, server lookup, flavor lookup; no resize_flavors, no POST
    assert again['api_calls'] <= 3 and len(emu.admin.requests()) <= 3
    assert emu.admin.count('GET', RESIZE_FLAVORS) == 0 and v1_posts(emu) == 0


def test_stopped_server_is_resized_only_and_stays_stopped(emu, cloud, tmp_path):
    run = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.xlarge.2', api='ecs')])
    result = run.task('resize')
    assert result['changed'] is True and result['server']['status'] == 'SHUTOFF' and result['actions'] == ['ecs:resize'], run
    assert [what for what, status in steps(emu.admin.requests())] == ['v1 resize']
    server = cloud.server('db-1')
    assert (server['status'], flavor_id(server)) == ('SHUTOFF', 's6.xlarge.2')


def test_check_mode_asks_the_cloud_with_a_dry_run_and_changes_nothing(emu, cloud, tmp_path):
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-2', flavor='c7.large.2', api='ecs')], args=['--check', '--diff'])
    result = run.task('resize')
    assert result['changed'] is True and result['actions'] == [] and result['job_id'] is None, run
    assert result['outcome'] == 'would_resize' and result['msg'].startswith('would stop server web-2, resize it to c7.large.2')
    assert result['diff']['after']['flavor']['id'] == 'c7.large.2' and result['diff']['before']['flavor']['id'] == 's6.medium.2'
    log = emu.admin.requests()
    # one native request: the dry run (a running server: the cloud's state refusal does not count, the stop would come first)
    assert v1_posts(emu) == 1 and emu.admin.count('POST', V1_ACTION) == 0 and not [s for s in steps(log) if 'metadata' in s[0]]
    assert flavor_id(cloud.server('web-2')) == 's6.medium.2' and cloud.server('web-2')['status'] == 'ACTIVE'


def test_check_mode_reports_what_the_cloud_would_refuse(emu, cloud, tmp_path):
    emu.admin.seed(servers=[{'name': 'deh-1', 'flavor': 's6.medium.2', 'status': 'SHUTOFF',
                             'dedicated_host_id': '459a2b9d-804a-4745-ab19-a113bb1b4ddc'}])
    run = run_playbook(tmp_path, [
        dict(resize_task(emu.info, name='wrong host', server='deh-1', flavor='s6.large.2', api='ecs',
                         dedicated_host_id='00000000-0000-0000-0000-000000000000'), check_mode=True),
        dict(resize_task(emu.info, name='its host', server='deh-1', flavor='s6.large.2', api='ecs'), check_mode=True),
        resize_task(emu.info, name='resize', server='deh-1', flavor='s6.large.2', api='ecs'),
    ])
    wrong = run.task('wrong host')
    assert run.outcome('wrong host') == 'ignored' and wrong['error'] == 'dry_run_refused' and wrong['changed'] is False, run
    assert 'the cloud would refuse to resize server deh-1' in wrong['msg'], wrong
    assert 'dry run' in wrong['msg'] and wrong['outcome'] == 'failed'
    # the dedicated host the server shows is sent (OTC refuses a DeH server's resize without it: Ecs.0803)
    assert run.task('its host')['outcome'] == 'would_resize'
    assert run.task('resize')['changed'] is True and flavor_id(cloud.server('deh-1')) == 's6.large.2', run
    assert [status for what, status in steps(emu.admin.requests())] == [400, 202, 200]  # refused, dry run, the resize


def test_failed_job_restarts_the_server_and_names_the_cause(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.2xlarge.2', True)
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.2xlarge.2', api='ecs')])
    result = run.task('resize')
    assert run.outcome('resize') == 'ignored', run
    assert result['error'] == 'job_failed' and result['rolled_back'] is True and result['outcome'] == 'rolled_back', result
    assert 'Ecs.0319' in result['msg'] and result['job_id'] in result['msg'] and 's6.medium.2' in result['msg']
    assert 'another flavor or availability zone' in result['msg']
    assert result['job']['status'] == 'FAIL' and result['job']['error_code'] == 'Ecs.0319'
    assert result['actions'] == STOP_START_ACTIONS  # started again and the note removed before the failure
    assert any('sold out' in w for w in result.get('warnings', [])), result
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.medium.2') and MARKER not in metadata(emu, cloud, 'web-1')


def test_sold_out_in_the_servers_availability_zone_is_warned_about(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.2xlarge.2', True, az='eu-de-01')
    run = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.2xlarge.2', api='ecs')])
    result = run.task('resize')
    assert any('sold out in availability zone eu-de-01' in w for w in result.get('warnings', [])), result
    assert result['rolled_back'] is True and flavor_id(cloud.server('db-1')) == 's6.large.2'


@pytest.mark.parametrize('status, flavor, expected', [
    ('SHUTOFF', 's6.medium.2', ['v1 resize', 'os-start', 'metadata DELETE']),   # stopped by the earlier run
    ('SHUTOFF', 's6.large.2', ['os-start', 'metadata DELETE']),                 # resized, not started again
    ('ACTIVE', 's6.large.2', ['metadata DELETE']),                               # started, the note left
    ('ACTIVE', 's6.medium.2', ['os-stop', 'v1 resize', 'os-start', 'metadata DELETE']),  # noted, not stopped yet
])
def test_a_rerun_finishes_what_an_interrupted_run_left(emu, cloud, tmp_path, status, flavor, expected):
    server_id = cloud.server('web-1')['id']
    emu.admin.set_server(server_id, status=status, flavor=flavor, metadata={MARKER: 'true'})
    emu.admin.clear_requests()
    result = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')]).task('resize')
    assert result['changed'] is True and result['outcome'] == 'resized', result
    assert [what for what, dummy in steps(emu.admin.requests())] == expected
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.large.2') and MARKER not in metadata(emu, cloud, 'web-1')


@pytest.mark.parametrize('kill_when', ['stopped', 'resizing'])
def test_killed_controller_then_rerun_ends_running_on_the_target(emu, cloud, tmp_path, kill_when):
    emu.admin.config(time_scale=1.0, durations={'resize_migrating': 30, 'stop': 1})
    book = tmp_path / 'book'
    book.mkdir()
    run_playbook(book, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')], args=['--syntax-check'])
    env = ansible_env({'ECS_TEST_RESULTS': str(tmp_path / 'killed.json')})
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), str(book / 'playbook.yml'), '-i', 'localhost,', '-c', 'local'],
                            env=env, cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    watcher = CloudView(emu.info)
    try:
        if kill_when == 'stopped':
            watcher.wait_for('web-1', 'SHUTOFF', timeout=60)
        else:
            watcher.wait_for('web-1', 'RESIZE', timeout=60, task_state='resize_migrating')
    finally:
        kill_tree(proc)
    assert MARKER in metadata(emu, cloud, 'web-1')
    emu.admin.config(time_scale=0.1)
    result = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')]).task('resize')
    assert result['changed'] is True and result['outcome'] == 'resized', result
    assert result['actions'][-2:] == ['ecs:start', 'metadata:delete']
    log = emu.admin.requests()
    accepted_resizes = [s for s in steps(log) if s[0] == 'v1 resize' and s[1] < 300]
    assert len(accepted_resizes) == 1 and not [s for s in steps(log) if s[1] and s[1] >= 400], steps(log)
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.large.2') and MARKER not in metadata(emu, cloud, 'web-1')


def test_a_throttled_202_is_waited_out_never_taken_for_accepted(emu, cloud, tmp_path):
    # OTC answers a throttled job request with HTTP 202 and {"error": {"code": "Common.0024"}} and no job
    emu.admin.fault(route=V1_RESIZE, method='POST', kind='throttle_202', count=2)
    emu.admin.fault(route=V1_ACTION, method='POST', kind='throttle_202', count=1)
    result = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')]).task('resize')
    assert result['changed'] is True and result['outcome'] == 'resized' and result['rolled_back'] is False, result
    assert 'rolled' not in result['msg']
    log = emu.admin.requests()
    throttled = [entry for entry in log if entry.get('fault')]
    assert len(throttled) == 3 and all(entry['status'] == 202 for entry in throttled), throttled
    # the throttled requests (202, no job) were sent again; every other step once
    assert steps(log) == [('metadata PUT', 200), ('action', 202), ('os-stop', 200), ('v1 resize', 202), ('v1 resize', 202),
                          ('v1 resize', 200), ('os-start', 200), ('metadata DELETE', 204)], steps(log)
    assert flavor_id(cloud.server('web-1')) == 's6.large.2' and cloud.server('web-1')['status'] == 'ACTIVE'


def test_the_clouds_with_stop_server_mode_in_the_swiss_region(emu, cloud, tmp_path):
    emu.admin.config(profile='otc-swiss')
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs', restart_mode='with_stop_server')])
    result = run.task('resize')
    assert result['changed'] is True and result['actions'] == ['ecs:resize'] and result['server']['status'] == 'ACTIVE', run
    assert [what for what, status in steps(emu.admin.requests())] == ['v1 resize']
    # eu-de does not offer the mode: a clear refusal, nothing changed
    emu.admin.config(profile='otc')
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-2', flavor='s6.large.2', api='ecs', restart_mode='with_stop_server')])
    refused = run.task('resize')
    assert run.outcome('resize') == 'ignored' and 'the cloud refused to resize server web-2' in refused['msg'], run
    assert flavor_id(cloud.server('web-2')) == 's6.medium.2' and cloud.server('web-2')['status'] == 'ACTIVE'


@pytest.mark.parametrize('code, status, words', [
    ('Ecs.0319', 400, ['another flavor or availability zone']),
    ('Ecs.0605', 400, ['unlock it first']),
    ('Ecs.0603', 501, ['retry later']),
    ('Ecs.0029', 400, ['ecs_flavor_info']),
    ('Ecs.0114', 404, ['does not exist']),
    ('Ecs.0100', 400, ['ecs_server_info']),
    ('Ecs.0803', 400, ['set dedicated_host_id']),
])
def test_documented_error_codes_say_what_to_do(emu, cloud, tmp_path, code, status, words):
    body = '{"error": {"code": "%s", "message": "refused by the test", "details": []}}' % code
    emu.admin.fault(route=V1_RESIZE, method='POST', kind='body', status=status, body=body, content_type='application/json')
    run = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.xlarge.2', api='ecs')])
    result = run.task('resize')
    assert run.outcome('resize') == 'ignored' and result['error'] == 'api_error' and result['outcome'] == 'failed', run
    assert 'the cloud refused to resize server db-1: refused by the test' in result['msg']
    for word in words:
        assert word in result['msg'], (word, result['msg'])
    assert flavor_id(cloud.server('db-1')) == 's6.large.2'


def test_a_429_with_common_1503_is_waited_out(emu, cloud, tmp_path):
    body = '{"error": {"code": "Common.1503", "message": "Too many requests.", "details": []}}'
    emu.admin.fault(route=V1_RESIZE, method='POST', kind='body', status=429, body=body, content_type='application/json', count=2)
    result = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.xlarge.2', api='ecs')]).task('resize')
    assert result['changed'] is True and result['outcome'] == 'resized', result
    assert v1_posts(emu) == 3 and flavor_id(cloud.server('db-1')) == 's6.xlarge.2'


def test_ecs_api_refuses_confirm_options_and_pending_resizes(emu, cloud, tmp_path):
    assert cloud.action('web-2', {'resize': {'flavorRef': 'c7.large.2'}}).status_code == 202
    cloud.wait_for('web-2', 'VERIFY_RESIZE')
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='confirmed', server='web-1', state='confirmed', api='ecs'),
        resize_task(emu.info, name='no confirm', server='web-1', flavor='s6.large.2', confirm=False, api='ecs'),
        resize_task(emu.info, name='pending', server='web-2', flavor='c7.large.2', api='ecs'),
        resize_task(emu.info, name='no wait', server='web-1', flavor='s6.large.2', api='ecs', wait=False),
    ])
    assert 'state=confirmed does not apply to api=ecs' in run.task('confirmed')['msg'], run
    assert 'confirm=false does not apply to api=ecs' in run.task('no confirm')['msg']
    pending = run.task('pending')
    assert pending['error'] == 'pending_confirmation' and 'api=nova' in pending['msg'], pending
    assert run.task('no wait')['error'] == 'wait_needed' and 'wait=false cannot be used' in run.task('no wait')['msg']
    assert v1_posts(emu) == 0 and cloud.server('web-2')['status'] == 'VERIFY_RESIZE'
    assert not [s for s in steps(emu.admin.requests()) if s[0] != 'resize']


def test_ecs_api_waits_for_a_resize_found_under_way(emu, cloud, tmp_path):
    emu.admin.config(time_scale=2.0)  # the resize takes 10 s: still under way when the module starts
    server_id = cloud.server('db-1')['id']
    answer = cloud.http.post('%s/cloudservers/%s/resize' % (emu.info['ecs_url'], server_id),
                             json={'resize': {'flavorRef': 's6.xlarge.2'}, 'dry_run': False}, timeout=10)
    assert answer.status_code in (200, 202), answer.text
    assert cloud.server('db-1')['status'] == 'RESIZE'
    run = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.xlarge.2', api='ecs')])
    result = run.task('resize')
    assert result['changed'] is True and result['actions'] == [] and result['outcome'] == 'resized', result
    assert 'found under way' in result['msg'] and result['previous_flavor']['id'] == 's6.large.2'
    assert v1_posts(emu) == 1  # only ours above
    assert flavor_id(cloud.server('db-1')) == 's6.xlarge.2' and cloud.server('db-1')['status'] == 'SHUTOFF'


def test_ecs_api_with_aksk(emu, cloud, tmp_path):
    info = emu.info
    emu.admin.clear_requests()
    args = dict(auth=dict(access_key=info['access_key'], secret_key=info['secret_key'], project_id=info['project_id']),
                compute_endpoint=info['compute_url'], server='web-2', flavor='s6.large.2', api='ecs')
    run = run_playbook(tmp_path, [{'name': 'resize', 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}])
    result = run.task('resize')
    assert result['changed'] is True and result['target_validation'] == 'passed' and result['actions'] == STOP_START_ACTIONS, run
    assert all(r['auth'] == 'aksk' for r in emu.admin.requests())
    assert flavor_id(cloud.server('web-2')) == 's6.large.2' and cloud.server('web-2')['status'] == 'ACTIVE'


# -- validate_target -------------------------------------------------------------------------------

def seed_local_disk_server(emu):
    """A server on a flavor with a 40 GiB local disk: ECS allows no disk-0 (EVS) flavor as its target."""
    emu.admin.seed(flavors=[{'id': 'd6.large.4', 'name': 'd6.large.4', 'vcpus': 2, 'ram': 8192, 'disk': 40},
                            {'id': 'd6.xlarge.4', 'name': 'd6.xlarge.4', 'vcpus': 4, 'ram': 16384, 'disk': 80}],
                   servers=[{'name': 'local-1', 'flavor': 'd6.large.4', 'status': 'ACTIVE'}])


def test_target_not_allowed_fails_before_sending(emu, cloud, tmp_path):
    seed_local_disk_server(emu)
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='nova', server='local-1', flavor='s6.large.2'),
        resize_task(emu.info, name='ecs', server='local-1', flavor='s6.large.2', api='ecs'),
        dict(resize_task(emu.info, name='check mode', server='local-1', flavor='s6.large.2'), check_mode=True),
        resize_task(emu.info, name='allowed', server='local-1', flavor='d6.xlarge.4', api='ecs'),
    ])
    for name in ('nova', 'ecs', 'check mode'):
        result = run.task(name)
        assert run.outcome(name) == 'ignored' and result['error'] == 'target_not_allowed', (name, result)
        assert result['allowed_flavors'] == ['d6.xlarge.4', 'm1.large', 'm1.medium'] and result['target_validation'] == 'failed'
        assert 'not a resize target the cloud allows' in result['msg'] and 'allowed: d6.xlarge.4, m1.large, m1.medium' in result['msg']
        assert result['actions'] == [] and result['changed'] is False
    assert run.task('allowed')['changed'] is True, run
    log = emu.admin.requests()
    assert nova_resizes(log) == 0 and v1_posts(emu) == 1
    assert flavor_id(cloud.server('local-1')) == 'd6.xlarge.4' and cloud.server('local-1')['status'] == 'ACTIVE'


def test_validate_target_on_plain_openstack(emu, cloud, tmp_path):
    with plain_openstack(emu.info) as proxy:
        args = dict(compute_endpoint=proxy.compute_url)
        run = run_playbook(tmp_path, [
            resize_task(emu.info, name='auto', server='web-1', flavor='s6.large.2', **args),
            resize_task(emu.info, name='always', server='web-2', flavor='s6.large.2', validate_target='always', **args),
            resize_task(emu.info, name='never', server='web-2', flavor='s6.large.2', validate_target='never', **args),
            resize_task(emu.info, name='ecs api', server='db-1', flavor='s6.xlarge.2', api='ecs', validate_target='never', **args),
        ])
        seen = list(proxy.seen)
    auto = run.task('auto')
    assert auto['changed'] is True and auto['target_validation'] == 'unavailable', run
    assert 'warnings' not in auto or not any('resize_flavors' in w for w in auto['warnings'])
    always = run.task('always')
    assert always['error'] == 'validation_unavailable' and 'validate_target=always' in always['msg'], always
    assert always['actions'] == []
    never = run.task('never')
    assert never['changed'] is True and never['target_validation'] == 'off'
    ecs = run.task('ecs api')
    assert ecs['error'] == 'api_error' and 'api=nova' in ecs['msg'], ecs
    # resize_flavors was asked by auto and always only; never sent nothing to it
    assert len([p for m, p in seen if 'resize_flavors' in p]) == 2
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 2  # auto and never
    assert flavor_id(cloud.server('web-1')) == 's6.large.2' and flavor_id(cloud.server('web-2')) == 's6.large.2'


def test_validate_target_auto_skips_a_404_fault(emu, cloud, tmp_path):
    """The same through the emulator's fault injection (kind "body"): the list is unavailable, the resize goes on."""
    body = '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
    emu.admin.fault(route=RESIZE_FLAVORS, method='GET', kind='body', status=404, body=body)
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')])
    result = run.task('resize')
    assert result['changed'] is True and result['target_validation'] == 'unavailable', run
    assert v1_posts(emu) == 1 and flavor_id(cloud.server('web-1')) == 's6.large.2'


def test_nova_profile_has_no_native_api(emu, cloud, tmp_path):
    emu.admin.config(profile='nova')
    run = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.xlarge.2', api='ecs', validate_target='never')])
    result = run.task('resize')
    assert run.outcome('resize') == 'ignored' and result['error'] == 'api_error', run
    assert 'HTTP 300' in result['msg'] and 'use api=nova' in result['msg'], result['msg']
    assert flavor_id(cloud.server('db-1')) == 's6.large.2'
