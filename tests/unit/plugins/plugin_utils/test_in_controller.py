# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module inside the controller: when, and what stands in for AnsibleModule."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError
from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.modules.ecs_resize import EcsResizeModule
from ansible_collections.ecs_ops.compute.plugins.plugin_utils.in_controller import (
    ControllerModule, ModuleExit, run_in_controller, task_environment, why_not_in_controller)

NAME = 'ecs_ops.compute.test'
AUTH = dict(auth_url='http://127.0.0.1:9/v3', username='u', password='s3cret-pass', project_name='p')


@pytest.mark.parametrize('transport,become,async_val,switch,has_requests,reason', [
    ('local', False, 0, True, True, None),
    ('ssh', False, 0, True, True, 'the connection is ssh, not local'),
    ('local', True, 0, True, True, 'become is set'),
    ('local', False, 600, True, True, 'the task is async'),
    ('local', False, 0, False, True, 'ecs_ops_run_in_controller is false'),
    ('local', False, 0, True, False, 'no requests library'),
])
def test_when_a_task_runs_inside_the_controller(transport, become, async_val, switch, has_requests, reason):
    found = why_not_in_controller(transport, become, async_val, switch, has_requests)
    if reason is None:
        assert found is None
    else:
        assert reason in found


def exit_of(call, *args, **kwargs):
    with pytest.raises(ModuleExit) as caught:
        call(*args, **kwargs)
    return caught.value.result


def test_validation_fills_defaults_and_masks_no_log_values():
    module = ControllerModule(NAME, EcsResizeModule.full_argument_spec(), dict(server='web-1', flavor='f', auth=AUTH))
    assert module.params['state'] == 'present' and module.params['timeout'] == 1800
    assert module.params['auth']['password'] == 's3cret-pass'  # the module sees the real value
    module.warn('the password s3cret-pass is weak')
    result = exit_of(module.exit_json, msg='done with s3cret-pass', changed=True, pending_confirmation=False)
    text = repr(result)
    assert 's3cret-pass' not in text
    assert result['changed'] is True and result['pending_confirmation'] is False
    assert result['warnings'] == ['the password ******** is weak']
    assert result['invocation']['module_args']['auth']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


@pytest.mark.parametrize('args,words', [
    (dict(flavor='f'), ['missing required arguments: server']),
    (dict(server='web-1', flavor='f', colour='blue'), ['Unsupported parameters for (%s) module: colour' % NAME]),
    (dict(server='web-1', flavor='f', state='gone'), ['state', 'present, confirmed, reverted', 'gone']),
    (dict(server='web-1', flavor='f', timeout='soon'), ['timeout', 'int']),
    (dict(server='web-1'), ['state is present but all of the following are missing: flavor']),
])
def test_bad_arguments_fail_like_ansible_module(args, words):
    result = exit_of(ControllerModule, NAME, EcsResizeModule.full_argument_spec(), args, **EcsResizeModule.module_kwargs)
    assert result['failed'] is True
    for word in words:
        assert word in result['msg']


def test_fail_json_is_not_caught_by_except_exception():
    module = ControllerModule(NAME, {}, {})
    with pytest.raises(ModuleExit):
        try:
            module.fail_json(msg='stop')
        except Exception:  # pylint: disable=broad-except
            pytest.fail('fail_json must end the run like sys.exit does')


def test_task_environment_is_applied_then_undone(monkeypatch):
    monkeypatch.setenv('ECS_OPS_TEST_KEPT', 'before')
    monkeypatch.delenv('ECS_OPS_TEST_NEW', raising=False)
    with task_environment({'ECS_OPS_TEST_KEPT': 'during', 'ECS_OPS_TEST_NEW': 42}):
        assert os.environ['ECS_OPS_TEST_KEPT'] == 'during'
        assert os.environ['ECS_OPS_TEST_NEW'] == '42'
    assert os.environ['ECS_OPS_TEST_KEPT'] == 'before'
    assert 'ECS_OPS_TEST_NEW' not in os.environ


class _Broken(EcsModule):
    argument_spec = dict(server=dict(type='str', required=True))

    def execute(self):
        raise KeyError('oops')


class _Refuses(EcsModule):
    argument_spec = dict(server=dict(type='str', required=True))

    def execute(self):
        raise EcsError('server %s is locked' % self.params['server'], result=dict(error='locked'))


class _Reads(EcsModule):
    argument_spec = dict(key=dict(type='str', required=True))

    def execute(self):
        return dict(changed=False, value=os.environ.get(self.params['key']), check_mode=self.module.check_mode)


def test_run_in_controller_returns_what_the_module_would_print():
    seen = []
    result = run_in_controller(_Broken, NAME, dict(server='x'), check_mode=False, debug=seen.append)
    assert result['failed'] is True
    assert result['msg'] == 'unexpected error in %s: KeyError: %r' % (NAME, 'oops')
    assert 'exception' not in result
    assert seen and 'Traceback' in seen[0]  # the traceback goes to -vvv only

    result = run_in_controller(_Refuses, NAME, dict(server='web-1'), check_mode=False)
    assert result['failed'] is True and result['msg'] == 'server web-1 is locked' and result['error'] == 'locked'
    assert result['changed'] is False

    result = run_in_controller(_Reads, NAME, dict(key='ECS_OPS_TEST_ENV'), check_mode=True,
                               environment={'ECS_OPS_TEST_ENV': 'from the task'})
    assert result['value'] == 'from the task' and result['check_mode'] is True
    assert 'ECS_OPS_TEST_ENV' not in os.environ

    result = run_in_controller(_Reads, NAME, {}, check_mode=False)
    assert result['failed'] is True and 'missing required arguments: key' in result['msg']


def test_no_log_values_are_found_in_suboptions_and_list_elements():
    from ansible_collections.ecs_ops.compute.plugins.plugin_utils.in_controller import no_log_values
    spec = dict(
        auth=dict(type='dict', options=dict(password=dict(type='str', no_log=True), username=dict(type='str'))),
        items=dict(type='list', elements='dict', options=dict(secret=dict(type='str', no_log=True))),
        token=dict(type='str', no_log=True),
    )
    params = dict(auth=dict(password='pw-1', username='u'), items=[dict(secret='s-1'), dict(secret=None), 'odd'], token=42)
    assert no_log_values(spec, params) == {'pw-1', 's-1', '42'}
    assert no_log_values(spec, dict(auth=None)) == set()


def test_progress_lines_reach_the_show_callback_with_no_log_values_masked():
    shown = []
    module = ControllerModule(NAME, EcsResizeModule.full_argument_spec(), dict(server='web-1', flavor='f', auth=AUTH),
                              show=lambda line, verbosity: shown.append((line, verbosity)))
    module.show_progress('web-1: RESIZE, 3 s', 1)
    module.show_progress('s3cret-pass: still RESIZE [1m00s elapsed]', 0)
    assert shown == [('web-1: RESIZE, 3 s', 1), ('********: still RESIZE [1m00s elapsed]', 0)]


def test_progress_lines_without_a_show_callback_are_dropped():
    module = ControllerModule(NAME, EcsResizeModule.full_argument_spec(), dict(server='web-1', flavor='f', auth=AUTH))
    module.show_progress('web-1: RESIZE, 3 s', 1)  # nothing to show it: no error
