# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Through the local connection the modules run inside the controller; elsewhere (or when told) as a module process.
Both ways must give the same results and the same messages."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from helpers import connection_vars, count_actions, flavor_id, run_playbook

IN_CONTROLLER = 'running inside the controller'
AS_PROCESS = 'running as a module process'


def task(name, module, args, in_controller, **extra):
    found = {'name': name, module: args, 'ignore_errors': True, 'vars': {'ecs_ops_run_in_controller': in_controller}}
    found.update(extra)
    return found


# keys whose values differ between two runs by nature
VOLATILE = {'elapsed', 'request_ids', 'api_calls', 'invocation', 'server', '_task', '_outcome'}


def test_both_ways_resize_alike_and_say_which_way_they_ran(emu, cloud, tmp_path):
    info = emu.info
    args = dict(connection_vars(info), flavor='s6.large.2')
    tasks = [task('inside', 'ecs_ops.compute.ecs_resize', dict(args, server='web-1'), True),
             task('process', 'ecs_ops.compute.ecs_resize', dict(args, server='web-2'), False),
             task('info inside', 'ecs_ops.compute.ecs_server_info', dict(connection_vars(info), server='web-1'), True),
             task('info process', 'ecs_ops.compute.ecs_server_info', dict(connection_vars(info), server='web-2'), False)]
    run = run_playbook(tmp_path, tasks, args=['-vvv'])
    assert run.rc == 0, run
    inside, process = run.task('inside'), run.task('process')
    assert run.outcome('inside') == run.outcome('process') == 'ok', run
    assert inside['actions'] == process['actions'] == ['resize', 'confirmResize']
    assert dict((k, v) for k, v in inside.items() if k not in VOLATILE) == \
        dict((k, v) for k, v in process.items() if k not in VOLATILE)
    assert set(inside) == set(process)
    if 'invocation' in process:  # always before ansible-core 2.21, by its INJECT_INVOCATION setting from then on
        assert inside['invocation'] == dict(process['invocation'], module_args=dict(process['invocation']['module_args'], server='web-1'))
    for name in ('web-1', 'web-2'):
        server = cloud.server(name)
        assert (server['status'], flavor_id(server)) == ('ACTIVE', 's6.large.2')
        assert count_actions(emu.admin.requests(), 'resize', server['id']) == 1
    assert run.stdout.count(IN_CONTROLLER) == 2 and run.stdout.count(AS_PROCESS) == 2, run.stdout
    info_inside, info_process = run.task('info inside'), run.task('info process')
    assert info_inside['servers'][0]['flavor'] == info_process['servers'][0]['flavor']
    assert set(info_inside) == set(info_process)


# options over a valid resize of web-1; each is run both ways and must fail with the same message
BAD = [
    {'colour': 'blue'},
    {'state': 'gone'},
    {'timeout': 'soon'},
    {'timeout': 0},
    {'flavor': ''},
    {'auth': 'user:pass'},
    {'server': 'no-such-server'},
    {'auth_type': 'aksk', 'auth': {'access_key': 'AK'}},
    {'flavor': None, 'state': 'present'},
]


def test_bad_input_fails_with_the_same_message_both_ways(emu, cloud, tmp_path):
    info = emu.info
    tasks = []
    for number, override in enumerate(BAD):
        args = dict(connection_vars(info), server='web-1', flavor='s6.large.2')
        args.update(override)
        args = dict((k, v) for k, v in args.items() if v is not None)
        for in_controller in (True, False):
            tasks.append(task('bad %d %s' % (number, in_controller), 'ecs_ops.compute.ecs_resize', args, in_controller))
    tasks.append(task('exclusive True', 'ecs_ops.compute.ecs_server_info',
                      dict(connection_vars(info), server='web-1', name='web'), True))
    tasks.append(task('exclusive False', 'ecs_ops.compute.ecs_server_info',
                      dict(connection_vars(info), server='web-1', name='web'), False))
    run = run_playbook(tmp_path, tasks)
    assert run.rc == 0, run
    names = ['bad %d' % number for number in range(len(BAD))] + ['exclusive']
    for name in names:
        inside, process = run.task(name + ' True'), run.task(name + ' False')
        assert run.outcome(name + ' True') == run.outcome(name + ' False') == 'ignored', (name, inside, process)
        assert inside['msg'] == process['msg'], name
        assert 'Traceback' not in inside['msg'] and 'unexpected error' not in inside['msg']
    assert run.task('bad 0 True')['msg'].startswith('Unsupported parameters for (ecs_ops.compute.ecs_resize) module: colour')
    assert count_actions(emu.admin.requests(), 'resize', accepted_only=False) == 0
    assert flavor_id(cloud.server('web-1')) == 's6.medium.2'


def test_the_task_environment_reaches_a_run_inside_the_controller(emu, cloud, tmp_path):
    """Credentials given only through `environment:` work inside the controller as they do in a module process,
    and do not stay behind for the next task."""
    info = emu.info
    environment = {'OS_AUTH_URL': info['auth_url'], 'OS_USERNAME': info['username'], 'OS_PASSWORD': info['password'],
                   'OS_USER_DOMAIN_NAME': info['user_domain_name'], 'OS_PROJECT_NAME': info['project_name'],
                   'OS_PROJECT_DOMAIN_NAME': info['project_domain_name'], 'OS_REGION_NAME': info['region']}
    clean = dict((name, '') for name in environment)
    clean.update(OS_CLOUD='', OS_CLIENT_CONFIG_FILE='/nonexistent/clouds.yaml')
    tasks = [task('with environment', 'ecs_ops.compute.ecs_resize', {'server': 'web-1', 'flavor': 's6.large.2'}, True,
                  environment=environment),
             task('without', 'ecs_ops.compute.ecs_resize', {'server': 'web-2', 'flavor': 's6.large.2'}, True)]
    run = run_playbook(tmp_path, tasks, env=clean, args=['-vvv'])
    assert run.outcome('with environment') == 'ok', run
    assert run.task('with environment')['changed'] is True
    assert run.outcome('without') == 'ignored'
    assert 'credentials' in run.task('without')['msg'] or 'auth' in run.task('without')['msg'], run.task('without')
    assert run.stdout.count(IN_CONTROLLER) == 2
    assert flavor_id(cloud.server('web-1')) == 's6.large.2'
    assert flavor_id(cloud.server('web-2')) == 's6.medium.2'


def test_the_batch_module_runs_its_threads_either_way(emu, cloud, tmp_path):
    """ecs_resize_batch's sliding window works in the task's worker process and in a module process alike."""
    info = emu.info
    tasks = [task('inside', 'ecs_ops.compute.ecs_resize_batch',
                  dict(connection_vars(info), servers=[{'server': 'web-1'}, {'server': 'no-such-server'}],
                       flavor='s6.large.2', concurrency=2), True),
             task('process', 'ecs_ops.compute.ecs_resize_batch',
                  dict(connection_vars(info), servers=[{'server': 'web-2'}, {'server': 'no-such-server'}],
                       flavor='s6.large.2', concurrency=2), False)]
    run = run_playbook(tmp_path, tasks, args=['-vvv'])
    assert run.rc == 0, run
    inside, process = run.task('inside'), run.task('process')
    assert run.outcome('inside') == run.outcome('process') == 'ignored'
    assert inside['failed_servers'] == process['failed_servers'] == ['no-such-server']
    assert inside['msg'] == process['msg'] and 'no-such-server' in inside['msg']
    assert [r['actions'] for r in inside['results']] == [r['actions'] for r in process['results']] == [['resize', 'confirmResize'], []]
    assert run.stdout.count(IN_CONTROLLER) == 1 and run.stdout.count(AS_PROCESS) == 1
    for name in ('web-1', 'web-2'):
        assert flavor_id(cloud.server(name)) == 's6.large.2'
