# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_ops.compute.ecs_resize (and ecs_resize_batch) through ansible-playbook against real upstream Nova.

Token auth with an explicit compute endpoint (auth_type: token, the ``user:project``
tokens of tests/nova/nova_server.py). Each test boots its own servers, so the
tests do not depend on each other's leftovers; what the module reports is checked
against what Nova shows afterwards through the raw API.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from helpers import run_playbook


def connection(nova, endpoint=None):
    return dict(auth_type='token', auth=dict(token=nova['token']),
                compute_endpoint=endpoint or nova['compute_url'])


def resize_task(nova, name='resize', endpoint=None, **options):
    args = connection(nova, endpoint)
    args.update(options)
    return {'name': name, 'ecs_ops.compute.ecs_resize': args, 'register': 'out', 'ignore_errors': True}


def ok(run, name):
    """The result of task `name`, asserting it succeeded."""
    result = run.task(name)
    assert run.outcome(name) == 'ok', '%s: %s\n%r' % (name, result.get('msg'), run)
    return result


def shape(api, server_id):
    server = api.server(server_id)
    return (server['status'], server['OS-EXT-STS:task_state'], server['flavor']['id'])


def test_resize_by_flavor_name_and_by_id_then_idempotent(nova, nova_api, make_server, record, tmp_path):
    by_name, id1 = make_server('2', prefix='mod-name')   # m1.small
    by_id, id2 = make_server('2', prefix='mod-id')
    ecs, id3 = make_server('s6.medium.2', prefix='mod-ecs')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='by name', server=by_name, flavor='m1.medium'),
        resize_task(nova, name='by id', server=by_id, flavor='4'),
        resize_task(nova, name='ecs style', server=ecs, flavor='s6.large.2'),
        resize_task(nova, name='by name again', server=by_name, flavor='m1.medium'),
        resize_task(nova, name='by id again, given by name', server=by_id, flavor='m1.large'),
        resize_task(nova, name='by name again, given by id', server=by_name, flavor='3'),
        resize_task(nova, name='by server id', server=id3, flavor='s6.large.2'),
    ])
    record({n: {k: r['result'].get(k) for k in ('changed', 'actions', 'elapsed', 'api_calls', 'msg')}
            for n, r in ((r['task'], r) for r in run.results)})
    first = ok(run, 'by name')
    assert first['changed'] is True and first['actions'] == ['resize', 'confirmResize'], first
    assert first['server']['flavor']['id'] == '3' and first['server']['flavor']['name'] == 'm1.medium'
    assert first['previous_flavor']['id'] == '2'
    assert first['server']['status'] == 'ACTIVE' and first['pending_confirmation'] is False
    assert set(first['request_ids']) == {'resize', 'confirmResize'}
    # the module reports Nova's request ids: they are the request_id of the instance actions
    actions = {a['action']: a['request_id'] for a in nova_api.actions(id1)}
    assert first['request_ids'] == {'resize': actions['resize'], 'confirmResize': actions['confirmResize']}
    assert ok(run, 'by id')['server']['flavor']['name'] == 'm1.large'
    assert ok(run, 'ecs style')['actions'] == ['resize', 'confirmResize']
    for name in ('by name again', 'by id again, given by name', 'by name again, given by id', 'by server id'):
        again = ok(run, name)
        assert again['changed'] is False and again['actions'] == [], (name, again)
    assert shape(nova_api, id1) == ('ACTIVE', None, '3')
    assert shape(nova_api, id2) == ('ACTIVE', None, '4')
    assert shape(nova_api, id3) == ('ACTIVE', None, 's6.large.2')


def test_confirm_false_then_confirmed(nova, nova_api, make_server, record, tmp_path):
    name, sid = make_server('s6.medium.2', prefix='mod-confirm')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='pending', server=name, flavor='s6.xlarge.2', confirm=False),
        resize_task(nova, name='pending again', server=name, flavor='s6.xlarge.2', confirm=False),
        resize_task(nova, name='confirm', server=name, state='confirmed'),
        resize_task(nova, name='confirm again', server=name, state='confirmed'),
    ])
    pending = ok(run, 'pending')
    assert pending['changed'] is True and pending['actions'] == ['resize'], pending
    assert pending['pending_confirmation'] is True and pending['server']['status'] == 'VERIFY_RESIZE'
    # Nova shows the new flavor while VERIFY_RESIZE
    assert pending['server']['flavor']['id'] == 's6.xlarge.2'
    # a second run finds the resize pending on the target: nothing sent, still pending
    again = ok(run, 'pending again')
    assert again['actions'] == [] and again['pending_confirmation'] is True, again
    confirmed = ok(run, 'confirm')
    assert confirmed['changed'] is True and confirmed['actions'] == ['confirmResize'], confirmed
    # confirmResize answers 204 and the server shows VERIFY_RESIZE for a moment: the module waits it out
    assert confirmed['server']['status'] == 'ACTIVE' and confirmed['server']['task_state'] is None
    assert ok(run, 'confirm again')['changed'] is False
    assert shape(nova_api, sid) == ('ACTIVE', None, 's6.xlarge.2')
    record({n: run.task(n)['msg'] for n in ('pending', 'confirm', 'confirm again')})


def test_revert_of_a_running_server(nova, nova_api, make_server, record, tmp_path):
    name, sid = make_server('s6.medium.2', prefix='mod-revert')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='pending', server=name, flavor='s6.large.2', confirm=False),
        resize_task(nova, name='revert', server=name, state='reverted'),
        resize_task(nova, name='revert again', server=name, state='reverted'),
    ])
    assert ok(run, 'pending')['pending_confirmation'] is True
    reverted = ok(run, 'revert')
    assert reverted['changed'] is True and reverted['actions'] == ['revertResize'], reverted
    assert reverted['server']['status'] == 'ACTIVE' and reverted['server']['flavor']['id'] == 's6.medium.2'
    assert ok(run, 'revert again')['changed'] is False
    assert shape(nova_api, sid) == ('ACTIVE', None, 's6.medium.2')
    record(reverted['msg'])


def test_revert_of_a_stopped_server_waits_through_verify_resize_powering_off(nova, nova_api, make_server, record, tmp_path):
    name, sid = make_server('s6.medium.2', stopped=True, prefix='mod-revert-stopped')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='pending', server=name, flavor='s6.xlarge.2', confirm=False),
        resize_task(nova, name='revert', server=name, state='reverted'),
    ])
    pending = ok(run, 'pending')
    assert pending['server']['status'] == 'VERIFY_RESIZE' and pending['server']['power_state'] == 4, pending
    reverted = ok(run, 'revert')
    assert reverted['changed'] is True and reverted['actions'] == ['revertResize'], reverted
    # Nova passes VERIFY_RESIZE/powering-off on the way back; the module must not stop there
    assert reverted['server']['status'] == 'SHUTOFF' and reverted['server']['task_state'] is None, reverted
    assert reverted['server']['flavor']['id'] == 's6.medium.2'
    assert shape(nova_api, sid) == ('SHUTOFF', None, 's6.medium.2')
    record(reverted['msg'])


def test_stopped_server_stays_stopped(nova, nova_api, make_server, tmp_path):
    name, sid = make_server('s6.medium.2', stopped=True, prefix='mod-stopped')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='resize', server=name, flavor='s6.large.2'),
        resize_task(nova, name='no restart needed', server=name, flavor='s6.xlarge.2', allow_restart=False),
    ])
    result = ok(run, 'resize')
    assert result['changed'] is True and result['actions'] == ['resize', 'confirmResize'], result
    assert result['server']['status'] == 'SHUTOFF' and result['server']['power_state'] == 4
    assert ok(run, 'no restart needed')['server']['status'] == 'SHUTOFF'
    assert shape(nova_api, sid) == ('SHUTOFF', None, 's6.xlarge.2')


def test_microversion_2_47(nova, nova_api, make_server, record, tmp_path):
    ecs, ecs_id = make_server('s6.medium.2', prefix='mod-mv-ecs')
    m1, m1_id = make_server('2', prefix='mod-mv-m1')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='2.47', server=ecs, flavor='s6.large.2', microversion='2.47'),
        resize_task(nova, name='2.47 again', server=ecs, flavor='s6.large.2', microversion='2.47'),
        resize_task(nova, name='2.47 m1 by name', server=m1, flavor='m1.medium', microversion='2.47'),
        # the server embeds {original_name: m1.medium, ...}, the target is given by id: still the same flavor
        resize_task(nova, name='2.47 m1 again by id', server=m1, flavor='3', microversion='2.47'),
        resize_task(nova, name='2.60 m1 pending', server=m1, flavor='4', microversion='2.60', confirm=False),
        resize_task(nova, name='2.60 m1 pending again', server=m1, flavor='m1.large', microversion='2.60', confirm=False),
        resize_task(nova, name='2.60 confirm', server=m1, state='confirmed', microversion='2.60'),
    ])
    first = ok(run, '2.47')
    assert first['changed'] is True and first['server']['flavor']['name'] == 's6.large.2', first
    assert first['server']['flavor']['vcpus'] == 2 and first['server']['flavor']['ram'] == 4096
    assert ok(run, '2.47 again')['changed'] is False
    assert ok(run, '2.47 m1 by name')['changed'] is True
    assert ok(run, '2.47 m1 again by id')['changed'] is False
    assert ok(run, '2.60 m1 pending')['pending_confirmation'] is True
    again = ok(run, '2.60 m1 pending again')
    assert again['actions'] == [] and again['pending_confirmation'] is True, again
    assert ok(run, '2.60 confirm')['actions'] == ['confirmResize']
    assert shape(nova_api, ecs_id) == ('ACTIVE', None, 's6.large.2')
    assert shape(nova_api, m1_id) == ('ACTIVE', None, '4')
    record({'server.flavor at 2.47': first['server']['flavor']})


def test_endpoint_forms_and_flavor_uri(nova, nova_api, make_server, tmp_path):
    a, a_id = make_server('s6.medium.2', prefix='mod-noproj')
    b, b_id = make_server('s6.medium.2', prefix='mod-v2')
    c, c_id = make_server('s6.medium.2', prefix='mod-uri')
    v2 = nova['compute_url'].replace('/v2.1/', '/v2/')
    run = run_playbook(tmp_path, [
        resize_task(nova, name='no project id', endpoint=nova['compute_url_no_project'], server=a, flavor='s6.large.2'),
        resize_task(nova, name='v2', endpoint=v2, server=b, flavor='s6.large.2'),
        # Nova's resize takes flavor ids only ("Flavor <uri> could not be found."): the module must resolve a URI
        resize_task(nova, name='uri', server=c, flavor=nova['compute_url'] + '/flavors/s6.large.2'),
    ])
    for name in ('no project id', 'v2', 'uri'):
        assert ok(run, name)['changed'] is True
    for sid in (a_id, b_id, c_id):
        assert shape(nova_api, sid) == ('ACTIVE', None, 's6.large.2')


def test_cloud_rollbacks_are_reported(nova, nova_api, make_server, record, tmp_path):
    giant, giant_id = make_server('s6.medium.2', prefix='mod-novalidhost')
    disk, disk_id = make_server('2', prefix='mod-diskdown')
    assert nova_api.action(disk_id, {'resize': {'flavorRef': '4'}}).status_code == 202
    nova_api.wait(disk_id, 'VERIFY_RESIZE')
    run = run_playbook(tmp_path, [
        # no host has 4 TiB of RAM: the scheduler fails, Nova puts the server back by itself
        resize_task(nova, name='no valid host', server=giant, flavor='s6.giant.2'),
        resize_task(nova, name='confirm the upsize', server=disk, state='confirmed'),
        # 80 GiB -> 40 GiB root disk: the compute refuses (as libvirt does) and Nova rolls back
        resize_task(nova, name='disk down', server=disk, flavor='m1.medium'),
    ])
    record({name: {k: run.task(name).get(k) for k in ('msg', 'events', 'elapsed', 'api_calls')}
            for name in ('no valid host', 'disk down')})
    for name, old in (('no valid host', ('s6.medium.2',)), ('disk down', ('m1.large', '4'))):
        result = run.task(name)
        assert run.outcome(name) == 'ignored', (name, result)
        assert result['rolled_back'] is True and result['error'] == 'rolled_back', (name, result)
        assert result['actions'] == ['resize'], (name, result)
        assert any(o in result['msg'] for o in old), (name, result['msg'])
        assert 'Traceback' not in result['msg'] and '\n' not in result['msg'].strip()
    assert shape(nova_api, giant_id) == ('ACTIVE', None, 's6.medium.2')
    assert shape(nova_api, disk_id) == ('ACTIVE', None, '4')


def test_errors_are_clear(nova, nova_api, seeded, make_server, record, tmp_path):
    locked, locked_id = make_server('s6.medium.2', prefix='mod-locked')
    assert nova_api.action(locked_id, {'lock': None}).status_code == 202
    other, other_id = make_server('s6.medium.2', prefix='mod-other')
    zero, zero_id = make_server('s6.medium.2', prefix='mod-zero')
    assert nova_api.action(other_id, {'resize': {'flavorRef': 's6.xlarge.2'}}).status_code == 202
    nova_api.wait(other_id, 'VERIFY_RESIZE')
    web1_before = shape(nova_api, seeded['web-1'])
    bad_token = dict(connection(nova), auth=dict(token='not-a-token'))
    run = run_playbook(tmp_path, [
        resize_task(nova, name='unknown flavor', server='web-1', flavor='s6.larg.2'),
        resize_task(nova, name='unknown server', server='nope-1', flavor='s6.large.2'),
        resize_task(nova, name='zero disk', server=zero, flavor='s6.small.1'),
        resize_task(nova, name='locked', server=locked, flavor='s6.large.2'),
        resize_task(nova, name='pending other', server=other, flavor='s6.large.2'),
        {'name': 'bad token', 'ecs_ops.compute.ecs_resize': dict(bad_token, server='web-1', flavor='s6.large.2'),
         'ignore_errors': True},
    ])
    names = ('unknown flavor', 'unknown server', 'zero disk', 'locked', 'pending other', 'bad token')
    results = dict((name, run.task(name)) for name in names)
    messages = dict((name, results[name].get('msg', '')) for name in names)
    record(messages)
    for name in names:
        assert run.outcome(name) == 'ignored', (name, results[name])
        assert messages[name] and 'Traceback' not in messages[name], (name, messages[name])
        assert '\n' not in messages[name].strip(), (name, messages[name])
    assert 's6.larg.2' in messages['unknown flavor'] and 'not found' in messages['unknown flavor']
    assert 'nope-1' in messages['unknown server'] and 'not found' in messages['unknown server']
    # Nova's 400: "Server disk was unable to be resized because: Resize to zero disk flavor is not allowed."
    assert 'zero disk' in messages['zero disk'], messages['zero disk']
    assert 'locked' in messages['locked']
    assert 's6.xlarge.2' in messages['pending other']
    assert 'not-a-token' not in run.stdout + run.stderr
    assert 'Traceback' not in run.stdout + run.stderr
    # nothing was changed by any of them
    assert shape(nova_api, seeded['web-1']) == web1_before
    assert shape(nova_api, locked_id) == ('ACTIVE', None, 's6.medium.2')
    assert shape(nova_api, zero_id) == ('ACTIVE', None, 's6.medium.2')
    assert shape(nova_api, other_id) == ('VERIFY_RESIZE', None, 's6.xlarge.2')
    assert [a['action'] for a in nova_api.actions(locked_id)] == ['lock', 'create']


def test_batch_of_servers_in_parallel_then_idempotent_the_other_way(nova, nova_api, make_server, record, tmp_path):
    """ecs_resize_batch: two running servers and a stopped one, two at a time, one unknown name among them;
    inside the controller first, then again as a module process (nothing left to do)."""
    web1, id1 = make_server('2', prefix='batch-a')   # m1.small
    web2, id2 = make_server('2', prefix='batch-b')
    db, id3 = make_server('2', stopped=True, prefix='batch-c')
    args = dict(connection(nova), flavor='m1.medium', concurrency=2,
                servers=[{'server': web1}, {'server': web2, 'flavor': 'm1.large'}, {'server': db}, {'server': 'batch-nowhere'}])
    task = {'name': 'batch', 'ecs_ops.compute.ecs_resize_batch': args, 'ignore_errors': True}
    again = dict(task, name='again', vars={'ecs_ops_run_in_controller': False})
    again['ecs_ops.compute.ecs_resize_batch'] = dict(args, servers=args['servers'][:3])
    run = run_playbook(tmp_path, [task, again])
    first = run.task('batch')
    record({'batch': {k: first.get(k) for k in ('changed', 'failed_servers', 'elapsed', 'api_calls', 'msg')}})
    assert run.outcome('batch') == 'ignored', run
    assert first['failed_servers'] == ['batch-nowhere'] and 'batch-nowhere' in first['msg']
    results = dict((r['item']['server'], r) for r in first['results'])
    for name in (web1, web2, db):
        assert results[name]['changed'] is True and results[name]['actions'] == ['resize', 'confirmResize'], results[name]
    assert results['batch-nowhere']['failed'] is True and results['batch-nowhere']['actions'] == []
    assert shape(nova_api, id1) == ('ACTIVE', None, '3')
    assert shape(nova_api, id2) == ('ACTIVE', None, '4')
    assert shape(nova_api, id3) == ('SHUTOFF', None, '3')
    # real Nova honours changes-since: the servers were observed through the listing, none read on its own
    observed = first['observation']
    record({'observation': observed})
    assert observed['method'] == 'listing' and observed['listings'] >= 2 and observed['per_server_reads'] == 0, observed
    second = ok(run, 'again')
    assert second['changed'] is False and [r['actions'] for r in second['results']] == [[], [], []]
