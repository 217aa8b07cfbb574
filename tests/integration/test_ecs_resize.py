# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_resize through ansible-playbook against the emulator over HTTP: check mode, change, idempotence.

The cases of resize, confirm, revert, resume and rollback run under each cloud profile of the emulator
(`each_profile`: real Nova's behaviour, Open Telekom Cloud's, its Swiss region's)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import time

from helpers import BIN, ansible_env, connection_vars, count_actions, flavor_id, kill_tree, run_playbook


def resize_task(info, name='resize', **options):
    args = dict(connection_vars(info))
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}


def test_resize_confirm_then_idempotent(emu, cloud, tmp_path, each_profile):
    tasks = [resize_task(emu.info, server='web-1', flavor='s6.large.2')]
    first = run_playbook(tmp_path, tasks)
    result = first.task('resize')
    assert first.outcome('resize') == 'ok', first
    assert result['changed'] is True
    assert result['actions'] == ['resize', 'confirmResize']
    assert result['previous_flavor']['id'] == 's6.medium.2'
    assert result['server']['flavor'] == {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}
    assert result['server']['status'] == 'ACTIVE'
    assert result['pending_confirmation'] is False and result['rolled_back'] is False
    assert set(result['request_ids']) == {'resize', 'confirmResize'}
    assert all(v.startswith('req-') for v in result['request_ids'].values())
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.large.2')

    second = run_playbook(tmp_path, tasks)
    again = second.task('resize')
    assert second.outcome('resize') == 'ok', second
    assert again['changed'] is False and again['actions'] == []
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 1 and count_actions(log, 'confirmResize') == 1


def test_check_mode_sends_nothing_and_predicts_change(emu, cloud, tmp_path):
    tasks = [resize_task(emu.info, server='web-1', flavor='s6.large.2')]
    run = run_playbook(tmp_path, tasks, args=['--check', '--diff'])
    result = run.task('resize')
    assert run.outcome('resize') == 'ok', run
    assert result['changed'] is True and result['actions'] == []
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'
    assert count_actions(emu.admin.requests(), 'resize') == 0
    assert 's6.medium.2' in run.stdout and 's6.large.2' in run.stdout  # the diff shows before and after
    # on the target already: check mode says unchanged
    tasks = [resize_task(emu.info, server='web-1', flavor='s6.medium.2')]
    run = run_playbook(tmp_path, tasks, args=['--check'])
    assert run.task('resize')['changed'] is False


def test_diff_mode_shows_flavor_before_and_after(emu, tmp_path):
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-2', flavor='c7.large.2')], args=['--diff'])
    result = run.task('resize')
    assert result['diff']['before']['flavor']['name'] == 's6.medium.2'
    assert result['diff']['after']['flavor'] == {'id': 'c7.large.2', 'name': 'c7.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}
    assert '-' in run.stdout and 'c7.large.2' in run.stdout


def test_confirm_false_then_confirmed(emu, cloud, tmp_path, each_profile):
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='resize', server='web-1', flavor='s6.xlarge.2', confirm=False),
        resize_task(emu.info, name='resize again', server='web-1', flavor='s6.xlarge.2', confirm=False),
        resize_task(emu.info, name='confirm', server='web-1', state='confirmed'),
        resize_task(emu.info, name='confirm again', server='web-1', state='confirmed'),
    ])
    pending = run.task('resize')
    assert pending['changed'] is True and pending['pending_confirmation'] is True, run
    assert pending['actions'] == ['resize'] and pending['server']['status'] == 'VERIFY_RESIZE'
    # a second run finds the resize pending on the target: nothing sent, still pending
    assert run.task('resize again')['actions'] == [] and run.task('resize again')['pending_confirmation'] is True
    confirmed = run.task('confirm')
    assert confirmed['changed'] is True and confirmed['actions'] == ['confirmResize'], run
    assert confirmed['server']['status'] == 'ACTIVE'
    assert run.task('confirm again')['changed'] is False
    assert flavor_id(cloud.server('web-1')) == 's6.xlarge.2'


def test_reverted_puts_the_old_flavor_back(emu, cloud, tmp_path, each_profile):
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='resize', server='web-2', flavor='s6.large.2', confirm=False),
        resize_task(emu.info, name='revert', server='web-2', state='reverted'),
        resize_task(emu.info, name='revert again', server='web-2', state='reverted'),
    ])
    reverted = run.task('revert')
    assert reverted['changed'] is True and reverted['actions'] == ['revertResize'], run
    assert reverted['server']['status'] == 'ACTIVE'
    assert reverted['server']['flavor']['id'] == 's6.medium.2'
    assert run.task('revert again')['changed'] is False
    assert flavor_id(cloud.server('web-2')) == 's6.medium.2'


def test_stopped_server_stays_stopped(emu, cloud, tmp_path, each_profile):
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='resize', server='db-1', flavor='s6.xlarge.2'),
        resize_task(emu.info, name='resize pending', server='db-1', flavor='s6.2xlarge.2', confirm=False),
        resize_task(emu.info, name='revert', server='db-1', state='reverted'),
    ])
    result = run.task('resize')
    assert result['changed'] is True and result['server']['status'] == 'SHUTOFF', run
    assert result['actions'] == ['resize', 'confirmResize']
    # a stopped server in VERIFY_RESIZE is reverted through VERIFY_RESIZE/powering-off back to SHUTOFF
    reverted = run.task('revert')
    assert reverted['server']['status'] == 'SHUTOFF' and reverted['server']['flavor']['id'] == 's6.xlarge.2', run
    server = cloud.server('db-1')
    assert (server['status'], flavor_id(server)) == ('SHUTOFF', 's6.xlarge.2')


def test_cloud_rollback_is_reported(emu, cloud, tmp_path, each_profile):
    emu.admin.sold_out('s6.2xlarge.2', True)
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.2xlarge.2')])
    result = run.task('resize')
    assert run.outcome('resize') == 'ignored', run
    assert result['rolled_back'] is True and result['error'] == 'rolled_back'
    assert 'rolled the resize' in result['msg'] and 's6.medium.2' in result['msg']
    # a project member is not shown the reason (Nova keeps it for admins), only which steps failed
    assert 'step cold_migrate failed' in result['msg'] or 'step conductor_migrate_server failed' in result['msg']
    assert result['events'] and all(e['result'] == 'Error' for e in result['events'])
    assert result['actions'] == ['resize']
    server = cloud.server('web-1')
    assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.medium.2')


def test_resume_after_the_controller_was_killed(emu, cloud, tmp_path, each_profile):
    emu.admin.config(time_scale=1.0, durations={'resize_migrating': 30})
    book = tmp_path / 'book'
    book.mkdir()
    run_playbook(book, [resize_task(emu.info, server='web-1', flavor='s6.large.2')], args=['--syntax-check'])
    env = ansible_env({'ECS_TEST_RESULTS': str(tmp_path / 'killed.json')})
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), str(book / 'playbook.yml'), '-i', 'localhost,', '-c', 'local'],
                            env=env, cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        cloud.wait_for('web-1', 'RESIZE', timeout=60, task_state='resize_migrating')
    finally:
        kill_tree(proc)
    assert cloud.server('web-1')['status'] == 'RESIZE'
    emu.admin.config(time_scale=0.1)
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2')])
    result = run.task('resize')
    assert result['changed'] is True, result
    assert result['actions'] == ['confirmResize']
    assert count_actions(emu.admin.requests(), 'resize') == 1
    assert flavor_id(cloud.server('web-1')) == 's6.large.2'


def test_v2_path_and_microversion_2_47(emu, cloud, tmp_path):
    v2 = emu.info['compute_url'].replace('/v2.1/', '/v2/')
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='v2', server='web-1', flavor='s6.large.2', compute_endpoint=v2),
        resize_task(emu.info, name='2.47', server='web-2', flavor='s6.large.2', microversion='2.47'),
        resize_task(emu.info, name='2.47 again', server='web-2', flavor='s6.large.2', microversion='2.47'),
        resize_task(emu.info, name='2.47 by uuid flavor', server='app-1', flavor='m1.medium', microversion='2.60'),
    ])
    assert run.task('v2')['changed'] is True and run.task('v2')['server']['flavor']['id'] == 's6.large.2', run
    assert any('/v2/' in r['path'] and r.get('action') == 'resize' for r in emu.admin.requests())
    embedded = run.task('2.47')
    assert embedded['changed'] is True, run
    assert embedded['server']['flavor']['name'] == 's6.large.2' and embedded['server']['flavor']['vcpus'] == 2
    assert run.task('2.47 again')['changed'] is False
    assert run.task('2.47 by uuid flavor')['changed'] is True
    assert cloud.server('app-1')['flavor']['id'] != cloud.server('web-1')['flavor']['id']


def test_flavor_by_uri_and_by_name_of_uuid_flavor(emu, cloud, tmp_path):
    uri = emu.info['compute_url'] + '/flavors/s6.large.2'
    run = run_playbook(tmp_path, [
        resize_task(emu.info, name='uri', server='web-1', flavor=uri),
        resize_task(emu.info, name='by name', server='app-1', flavor='m1.large'),
        resize_task(emu.info, name='foreign uri', server='web-2', flavor='https://elsewhere.example.com/v2.1/p/flavors/s6.large.2'),
    ])
    assert run.task('uri')['changed'] is True, run
    assert run.task('by name')['server']['flavor']['name'] == 'm1.large'
    foreign = run.task('foreign uri')
    assert run.outcome('foreign uri') == 'ignored' and 'elsewhere.example.com' in foreign['msg'], foreign
    assert flavor_id(cloud.server('web-2')) == 's6.medium.2'


def test_errors_are_one_clear_sentence(emu, cloud, tmp_path):
    info = emu.info
    web2 = cloud.server('web-2')['id']
    emu.admin.set_server(web2, locked=True)
    bad_password = connection_vars(info)
    bad_password['auth']['password'] = 'wrong-password-123'
    run = run_playbook(tmp_path, [
        resize_task(info, name='unknown server', server='nope-1', flavor='s6.large.2'),
        resize_task(info, name='unknown flavor', server='web-1', flavor='s6.larg.2'),
        resize_task(info, name='locked', server='web-2', flavor='s6.large.2'),
        resize_task(info, name='no restart', server='web-1', flavor='s6.large.2', allow_restart=False),
        {'name': 'bad password', 'ecs_ops.compute.ecs_resize': dict(bad_password, server='web-1', flavor='s6.large.2'),
         'ignore_errors': True},
        resize_task(info, name='no flavor', server='web-1'),
        resize_task(info, name='zero timeout', server='web-1', flavor='s6.large.2', timeout=0),
    ])
    messages = dict((name, run.task(name)['msg']) for name in (
        'unknown server', 'unknown flavor', 'locked', 'no restart', 'bad password', 'no flavor', 'zero timeout'))
    assert "server 'nope-1' not found" in messages['unknown server']
    assert "flavor 's6.larg.2' not found" in messages['unknown flavor'] and 's6.large.2' in messages['unknown flavor']
    assert 'locked' in messages['locked']
    assert 'allow_restart' in messages['no restart']
    assert 'authentication' in messages['bad password'] and 'wrong-password-123' not in run.stdout + run.stderr
    assert 'flavor' in messages['no flavor']
    assert 'timeout' in messages['zero timeout']
    for name, message in messages.items():
        assert 'Traceback' not in message, (name, message)
        assert '\n' not in message.strip(), (name, message)
    assert 'Traceback' not in run.stdout + run.stderr
    log = emu.admin.requests()
    assert count_actions(log, 'resize') == 0
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'


def test_error_state_and_pending_other_and_ambiguous_name(emu, cloud, tmp_path):
    info = emu.info
    emu.admin.seed(servers=[{'name': 'twin', 'flavor': 's6.medium.2', 'status': 'ACTIVE'},
                            {'name': 'twin', 'flavor': 's6.medium.2', 'status': 'ACTIVE'},
                            {'name': 'web.1', 'flavor': 's6.medium.2', 'status': 'ACTIVE'}])
    emu.admin.set_server(cloud.server('app-1')['id'], status='ERROR', fault='disk controller failed')
    assert cloud.action('web-2', {'resize': {'flavorRef': 'c7.large.2'}}).status_code == 202
    cloud.wait_for('web-2', 'VERIFY_RESIZE')
    run = run_playbook(tmp_path, [
        resize_task(info, name='error', server='app-1', flavor='m1.large'),
        resize_task(info, name='pending other', server='web-2', flavor='s6.large.2'),
        resize_task(info, name='twins', server='twin', flavor='s6.large.2'),
        resize_task(info, name='regex name', server='web.1', flavor='s6.large.2', wait=False),
    ])
    assert 'ERROR' in run.task('error')['msg'] and 'disk controller failed' in run.task('error')['msg']
    pending = run.task('pending other')['msg']
    assert 'c7.large.2' in pending and 'state=confirmed' in pending
    twins = run.task('twins')['msg']
    assert '2 servers are named' in twins
    regex = run.task('regex name')
    assert regex['changed'] is True and regex['server']['name'] == 'web.1', run
    # web-1 matched "web.1" as a regex but must not have been touched
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'
    assert count_actions(emu.admin.requests(), 'resize') == 2  # ours above, and the one to web.1


def test_timeout_names_the_last_status_and_reverts_nothing(emu, cloud, tmp_path):
    emu.admin.config(time_scale=1.0, durations={'resize_migrating': 60})
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', timeout=2)])
    result = run.task('resize')
    assert run.outcome('resize') == 'ignored' and result['error'] == 'timeout', run
    assert 'timed out after 2 s' in result['msg'] and 'RESIZE/resize_migrating' in result['msg']
    assert cloud.server('web-1')['status'] == 'RESIZE'
    log = emu.admin.requests()
    assert count_actions(log, 'revertResize') == 0 and count_actions(log, 'resize') == 1


def test_wait_false_returns_right_after_the_request(emu, cloud, tmp_path):
    emu.admin.config(time_scale=1.0)
    started = time.time()
    run = run_playbook(tmp_path, [resize_task(emu.info, server='web-1', flavor='s6.large.2', wait=False)])
    result = run.task('resize')
    assert result['changed'] is True and result['actions'] == ['resize'], run
    assert time.time() - started < 20
    assert cloud.server('web-1')['status'] == 'RESIZE'
