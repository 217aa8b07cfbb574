# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_resize with api=ecs (the job-based /v1 resize) and the validate_target preflight, through ansible-playbook."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from helpers import connection_vars, count_actions, flavor_id, run_playbook
from plain_openstack import plain_openstack

V1_RESIZE = r'^/v1/[^/]+/cloudservers/[^/]+/resize$'
RESIZE_FLAVORS = r'/resize_flavors$'


def resize_task(info, name='resize', **options):
    args = dict(connection_vars(info))
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}


def v1_posts(emu):
    return emu.admin.count('POST', V1_RESIZE)


def nova_resizes(log):
    return len([r for r in log if r.get('action') == 'resize' and r['method'] == 'POST' and r['path'].endswith('/action')])


def test_ecs_api_resizes_then_is_idempotent(emu, cloud, tmp_path):
    tasks = [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')]
    first = run_playbook(tmp_path, tasks)
    result = first.task('resize')
    assert first.outcome('resize') == 'ok', first
    assert result['changed'] is True and result['actions'] == ['ecs:resize'], result
    assert result['job_id'] and result['job']['status'] == 'SUCCESS' and result['job']['id'] == result['job_id']
    assert set(result['request_ids']) == {'ecs:resize'}
    assert result['target_validation'] == 'passed'
    assert result['previous_flavor']['id'] == 's6.medium.2'
    assert result['server']['status'] == 'ACTIVE' and result['server']['flavor']['id'] == 's6.large.2'
    assert result['pending_confirmation'] is False and result['rolled_back'] is False
    assert v1_posts(emu) == 1 and nova_resizes(emu.admin.requests()) == 0
    assert emu.admin.count('GET', r'^/v1/[^/]+/jobs/') >= 1
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.large.2')

    emu.admin.clear_requests()
    second = run_playbook(tmp_path, tasks)
    again = second.task('resize')
    assert again['changed'] is False and again['actions'] == [] and again['job_id'] is None, second
    assert again['target_validation'] == 'not_needed'
    # no-op: token, server lookup, flavor lookup; no resize_flavors, no POST
    assert again['api_calls'] <= 3 and len(emu.admin.requests()) <= 3
    assert emu.admin.count('GET', RESIZE_FLAVORS) == 0 and v1_posts(emu) == 0


def test_ecs_api_check_mode_and_diff_send_nothing(emu, cloud, tmp_path):
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-2', flavor='c7.large.2', api='ecs')], args=['--check', '--diff'])
    result = run.task('resize')
    assert result['changed'] is True and result['actions'] == [] and result['job_id'] is None, run
    assert result['diff']['after']['flavor']['id'] == 'c7.large.2' and result['diff']['before']['flavor']['id'] == 's6.medium.2'
    assert 'would ecs:resize' in result['msg']
    assert v1_posts(emu) == 0 and flavor_id(cloud.server('web-2')) == 's6.medium.2'


def test_ecs_api_stopped_server_stays_stopped(emu, cloud, tmp_path):
    run = run_playbook(tmp_path, [resize_task(emu.info, server='db-1', flavor='s6.xlarge.2', api='ecs')])
    result = run.task('resize')
    assert result['changed'] is True and result['server']['status'] == 'SHUTOFF', run
    server = cloud.server('db-1')
    assert (server['status'], flavor_id(server)) == ('SHUTOFF', 's6.xlarge.2')


def test_ecs_api_failed_job_reports_code_and_reason(emu, cloud, tmp_path):
    emu.admin.sold_out('s6.2xlarge.2', True)
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.2xlarge.2', api='ecs')])
    result = run.task('resize')
    assert run.outcome('resize') == 'ignored', run
    assert result['error'] == 'job_failed' and result['rolled_back'] is True, result
    assert 'Ecs.1000' in result['msg'] and 'No valid host' in result['msg'] and result['job_id'] in result['msg']
    assert 's6.medium.2' in result['msg']
    assert result['job']['status'] == 'FAIL' and result['job']['error_code'] == 'Ecs.1000'
    assert result['actions'] == ['ecs:resize']
    assert any('sold out' in w for w in run.task('resize').get('warnings', [])), result
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.medium.2')


def test_ecs_api_refuses_confirm_options_and_pending_resizes(emu, cloud, tmp_path):
    assert cloud.action('web-2', {'resize': {'flavorRef': 'c7.large.2'}}).status_code == 202
    cloud.wait_for('web-2', 'VERIFY_RESIZE')
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='confirmed', server='web-1', state='confirmed', api='ecs'),
        resize_task(emu.info, name='no confirm', server='web-1', flavor='s6.large.2', confirm=False, api='ecs'),
        resize_task(emu.info, name='pending', server='web-2', flavor='c7.large.2', api='ecs'),
    ])
    assert 'state=confirmed does not apply to api=ecs' in run.task('confirmed')['msg'], run
    assert 'confirm=false does not apply to api=ecs' in run.task('no confirm')['msg']
    pending = run.task('pending')
    assert pending['error'] == 'pending_confirmation' and 'api=nova' in pending['msg'], pending
    assert v1_posts(emu) == 0 and cloud.server('web-2')['status'] == 'VERIFY_RESIZE'


def test_ecs_api_waits_for_a_resize_found_under_way(emu, cloud, tmp_path):
    emu.admin.config(time_scale=2.0)  # the resize takes 10 s: still under way when the module starts
    server_id = cloud.server('web-1')['id']
    answer = cloud.http.post('%s/cloudservers/%s/resize' % (emu.info['ecs_url'], server_id),
                             json={'resize': {'flavorRef': 's6.large.2'}, 'dry_run': False}, timeout=10)
    assert answer.status_code in (200, 202), answer.text
    assert cloud.server('web-1')['status'] == 'RESIZE'
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')])
    result = run.task('resize')
    assert result['changed'] is True and result['actions'] == [], result
    assert 'found under way' in result['msg'] and result['previous_flavor']['id'] == 's6.medium.2'
    assert v1_posts(emu) == 1  # only ours above
    assert flavor_id(cloud.server('web-1')) == 's6.large.2'


def test_ecs_api_with_aksk(emu, cloud, tmp_path):
    info = emu.info
    emu.admin.clear_requests()
    args = dict(auth=dict(access_key=info['access_key'], secret_key=info['secret_key'], project_id=info['project_id']),
                compute_endpoint=info['compute_url'], server='web-2', flavor='s6.large.2', api='ecs')
    run = run_playbook(tmp_path, [{'name': 'resize', 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}])
    result = run.task('resize')
    assert result['changed'] is True and result['target_validation'] == 'passed', run
    assert all(r['auth'] == 'aksk' for r in emu.admin.requests())
    assert flavor_id(cloud.server('web-2')) == 's6.large.2'


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
    assert flavor_id(cloud.server('local-1')) == 'd6.xlarge.4'


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
    """The same through the emulator's fault injection (kind "body"), where the emulator offers it."""
    import pytest
    body = '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
    try:
        emu.admin.fault(route=RESIZE_FLAVORS, method='GET', kind='body', status=404, body=body)
    except (AssertionError, TypeError) as exc:
        pytest.skip('this emulator cannot answer a route with 404: %s' % exc)
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', api='ecs')])
    result = run.task('resize')
    assert result['changed'] is True and result['target_validation'] == 'unavailable', run
    assert v1_posts(emu) == 1 and flavor_id(cloud.server('web-1')) == 's6.large.2'
