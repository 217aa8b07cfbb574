# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin's part of the progress lines: verbosity 0 always shown, 1 from -v on; secrets masked."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.utils.display import Display

from ansible_collections.ecs_ops.compute.plugins.plugin_utils import module_action


class Recorder(Display):
    """ansible-core's Display (a singleton per class: set up again for each test) that records what it would print."""

    lines = []

    def display(self, msg, *args, **kwargs):
        self.lines.append(msg)


@pytest.mark.parametrize('verbosity, shown', [
    (0, ['web-1: still RESIZE [1m00s elapsed]']),
    (1, ['web-1: RESIZE, 3 s', 'web-1: still RESIZE [1m00s elapsed]']),
])
def test_show_line_follows_the_verbosity(monkeypatch, verbosity, shown):
    recorder = Recorder()
    recorder.verbosity = verbosity
    recorder.lines = []
    monkeypatch.setattr(module_action, 'display', recorder)
    module_action.show_line('web-1: RESIZE, 3 s', 1)
    module_action.show_line('web-1: still RESIZE [1m00s elapsed]', 0)
    assert recorder.lines == shown


def test_mask_hides_every_secret():
    assert module_action.mask('token abc123 and s3cret', ['abc123', 's3cret']) == 'token ******** and ********'


# -- the traceback shown at -vvv, through the action plugin (issue 21) -------------------------------------------------

from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule  # noqa: E402

PASSWORD = 'Tr4ceback-Pa55word'


class _LeaksItsPassword(EcsModule):
    """A module with a bug: the error it raises quotes a no_log option (the password of `auth`)."""

    argument_spec = dict(server=dict(type='str', required=True))

    def execute(self):
        raise RuntimeError('login failed with password %s for server %s' % (self.params['auth']['password'], self.params['server']))


class _Stub(object):
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def _action(args, transport='local'):
    """The action plugin (ModuleAction) of a task running _LeaksItsPassword through the local connection."""
    class Action(module_action.ModuleAction):
        module_class = _LeaksItsPassword

    task = _Stub(args=args, async_val=0, check_mode=False, action='ecs_ops.compute.leaks', resolved_action='ecs_ops.compute.leaks',
                 environment=None)
    connection = _Stub(transport=transport, has_native_async=False, _shell=_Stub(tmpdir=None, env_prefix=lambda **env: ''))
    play_context = _Stub(become=False, remote_addr='localhost')
    return Action(task, connection, play_context, loader=None, templar=None)


@pytest.mark.parametrize('verbosity', [3, 4])
def test_the_traceback_shown_at_vvv_has_the_password_masked(monkeypatch, verbosity):
    recorder = Recorder()
    recorder.verbosity = verbosity
    recorder.lines = []
    monkeypatch.setattr(module_action, 'display', recorder)
    args = dict(server='web-1', auth=dict(auth_url='https://iam.example.com/v3', username='admin', password=PASSWORD))
    result = _action(args).run(task_vars={})
    assert result['failed'] is True and result['msg'].startswith('unexpected error in ecs_ops.compute.leaks: RuntimeError')
    assert PASSWORD not in repr(result)
    shown = '\n'.join(recorder.lines)
    assert 'running inside the controller' in shown
    tracebacks = [line for line in recorder.lines if 'Traceback' in line]
    # the traceback is shown (-vvv is where a bug is looked into), with the password masked where the error quotes it
    assert len(tracebacks) == 1 and 'login failed with password %s for server web-1' % module_action.MASK in tracebacks[0]
    assert PASSWORD not in shown


def test_without_vvv_no_traceback_is_shown(monkeypatch):
    recorder = Recorder()
    recorder.verbosity = 2
    recorder.lines = []
    monkeypatch.setattr(module_action, 'display', recorder)
    args = dict(server='web-1', auth=dict(auth_url='https://iam.example.com/v3', username='admin', password=PASSWORD))
    result = _action(args).run(task_vars={})
    assert result['failed'] is True and recorder.lines == []


# -- the module process path: what it is told, what it logs, what it cleans up; the debug log masked meanwhile --------

class DebugRecorder(Recorder):
    """Records the debug lines too (ansible-core's debug log, which logs a module's raw arguments)."""

    debug_lines = []

    def debug(self, msg, host=None):
        self.debug_lines.append(msg)


def _module_process_action(args, transport='ssh', async_val=0, native_async=False, become=False, module_result=None):
    """The action plugin of a task that runs as a module process; records the calls it makes to ansible-core."""
    calls = []

    class Action(module_action.ModuleAction):
        module_class = _LeaksItsPassword

        def _execute_module(self, **kwargs):
            # ansible-core logs the raw arguments while the module runs (ANSIBLE_DEBUG)
            module_action.display.debug('module args: %s' % self._task.args)
            calls.append(('execute', kwargs))
            return dict(module_result or {'changed': False, 'msg': 'done'})

        def _remove_tmp_path(self, tmp_path, force=False):
            calls.append(('remove_tmp_path', tmp_path))

    task = _Stub(args=args, async_val=async_val, check_mode=False, action='ecs_ops.compute.leaks',
                 resolved_action='ecs_ops.compute.leaks', environment=None)
    connection = _Stub(transport=transport, has_native_async=native_async, _shell=_Stub(tmpdir='/tmp/ansible-tmp-1', env_prefix=lambda **env: ''))
    play_context = _Stub(become=become, remote_addr='web-1.example.com')
    return Action(task, connection, play_context, loader=None, templar=None), calls


@pytest.fixture
def recorder(monkeypatch):
    recorder = DebugRecorder()
    recorder.verbosity = 3
    recorder.lines = []
    recorder.debug_lines = []
    monkeypatch.setattr(module_action, 'display', recorder)
    return recorder


AUTH = dict(auth_url='https://iam.example.com/v3', username='admin', password=PASSWORD)


@pytest.mark.parametrize('transport, become, task_vars, reason', [
    ('ssh', False, {}, 'the connection is ssh, not local'),
    ('local', True, {}, 'become is set (the module must run as another user)'),
    ('local', False, {'ecs_ops_run_in_controller': False}, 'ecs_ops_run_in_controller is false'),
    ('local', False, {'ecs_ops_run_in_controller': 'no'}, 'ecs_ops_run_in_controller is false'),
])
def test_a_module_process_is_run_with_the_task_vars_its_tmp_path_removed_and_the_debug_log_masked(recorder, transport, become, task_vars, reason):
    action, calls = _module_process_action(dict(server='web-1', auth=AUTH), transport=transport, become=become)
    original = recorder.debug
    result = action.run(task_vars=task_vars)
    assert result == {'changed': False, 'msg': 'done'}
    assert calls == [('execute', dict(module_name='ecs_ops.compute.leaks', task_vars=task_vars, wrap_async=False)),
                     ('remove_tmp_path', '/tmp/ansible-tmp-1')]
    assert recorder.lines == ['<web-1.example.com> ecs_ops.compute.leaks: running as a module process: %s' % reason]
    assert len(recorder.debug_lines) == 1 and PASSWORD not in recorder.debug_lines[0] and module_action.MASK in recorder.debug_lines[0]
    assert recorder.debug == original  # put back after the run


def test_an_async_task_is_wrapped_and_its_tmp_path_left_to_the_async_wrapper(recorder):
    action, calls = _module_process_action(dict(server='web-1', auth=AUTH), transport='local', async_val=30)
    assert action.run(task_vars=None) == {'changed': False, 'msg': 'done'}
    assert calls == [('execute', dict(module_name='ecs_ops.compute.leaks', task_vars={}, wrap_async=True))]
    assert recorder.lines == ['<web-1.example.com> ecs_ops.compute.leaks: running as a module process: the task is async']


def test_a_connection_with_its_own_async_is_not_wrapped(recorder):
    action, calls = _module_process_action(dict(server='web-1'), async_val=30, native_async=True)
    action.run(task_vars={})
    assert calls == [('execute', dict(module_name='ecs_ops.compute.leaks', task_vars={}, wrap_async=False)),
                     ('remove_tmp_path', '/tmp/ansible-tmp-1')]


def test_without_secrets_the_debug_log_is_left_alone(recorder):
    action, calls = _module_process_action(dict(server='web-1', auth=dict(AUTH, password='pw')))
    original = recorder.debug
    action.run(task_vars={})
    # a secret shorter than MIN_MASKED_LENGTH is not masked in free text (it would garble it): nothing to mask, debug untouched
    assert recorder.debug_lines == ["module args: {'server': 'web-1', 'auth': {'auth_url': 'https://iam.example.com/v3', "
                                    "'username': 'admin', 'password': 'pw'}}"]
    assert recorder.debug == original


def test_the_longer_secret_is_masked_first_and_three_characters_are_enough(recorder):
    # 'abc' is part of the longer password: masked first, the password leaves no tail behind
    action, calls = _module_process_action(dict(server='web-1', auth=dict(AUTH, password='abcdef', token='abc')))
    action.run(task_vars={})
    assert "'password': '********', 'token': '********'" in recorder.debug_lines[0] and 'abc' not in recorder.debug_lines[0]


@pytest.mark.parametrize('value, expected', [(True, True), (False, False)])
def test_invocation_is_injected_as_ansible_core_decides(monkeypatch, value, expected):
    seen = []

    def get_config_value(name, variables=None):
        seen.append((name, variables))
        return value
    monkeypatch.setattr(module_action.C.config, 'get_config_value', get_config_value)
    assert module_action.inject_invocation({'x': 1}) is expected and seen == [('INJECT_INVOCATION', {'x': 1})]


@pytest.mark.parametrize('error', [KeyError('INJECT_INVOCATION'), module_action.AnsibleError('no such setting')])
def test_invocation_is_injected_before_ansible_core_knew_the_setting(monkeypatch, error):
    def get_config_value(name, variables=None):
        raise error
    monkeypatch.setattr(module_action.C.config, 'get_config_value', get_config_value)
    assert module_action.inject_invocation({}) is True


class _ShowsProgress(EcsModule):
    """A module that shows two progress lines while it runs, one quoting the password (masked before it is shown)."""

    argument_spec = dict(server=dict(type='str', required=True))

    def execute(self):
        self.module.show_progress('%s: RESIZE, 3 s (login %s)' % (self.params['server'], self.params['auth']['password']), 1)
        self.module.show_progress('%s: still RESIZE [1m00s elapsed]' % self.params['server'], 0)
        return dict(changed=True, msg='shown')


@pytest.mark.parametrize('verbosity, shown', [
    (0, ['web-1: still RESIZE [1m00s elapsed]']),
    (1, ['web-1: RESIZE, 3 s (login ********)', 'web-1: still RESIZE [1m00s elapsed]']),
])
def test_inside_the_controller_the_progress_lines_are_shown_as_the_verbosity_asks(recorder, verbosity, shown):
    recorder.verbosity = verbosity
    action = _action(dict(server='web-1', auth=AUTH))
    action.module_class = _ShowsProgress
    result = action.run(task_vars={})
    assert (result['changed'], result['msg'], recorder.lines) == (True, 'shown', shown)


@pytest.mark.parametrize('inject', [True, False])
def test_inside_the_controller_invocation_is_injected_as_the_task_vars_say(recorder, monkeypatch, inject):
    recorder.verbosity = 0
    monkeypatch.setattr(module_action.C.config, 'get_config_value', lambda name, variables=None: variables['inject'])
    action = _action(dict(server='web-1', auth=AUTH))
    action.module_class = _ShowsProgress
    result = action.run(task_vars={'inject': inject})
    assert ('invocation' in result) is inject
    assert PASSWORD not in repr(result)


def test_the_masked_debug_log_passes_on_what_ansible_core_gives_it(recorder, monkeypatch):
    given = []
    monkeypatch.setattr(recorder, 'debug', lambda msg, *args, **kwargs: given.append((msg, args, kwargs)))
    action, calls = _module_process_action(dict(server='web-1', auth=AUTH))

    def execute(**kwargs):
        module_action.display.debug('password %s' % PASSWORD, 'web-1', host='web-1')
        module_action.display.debug(42)
        return {}
    action._execute_module = execute
    action.run(task_vars={})
    assert given == [('password ********', ('web-1',), {'host': 'web-1'}), ('42', (), {})]


class _ReportsItsRun(EcsModule):
    """A module that returns what it ran with: check mode, and an environment variable the task sets."""

    argument_spec = dict(server=dict(type='str', required=True))

    def execute(self):
        import os
        return dict(changed=False, check_mode=self.module.check_mode, proxy=os.environ.get('ECS_OPS_TEST_PROXY'))


class _Templar(object):
    def template(self, value):
        return value


@pytest.mark.parametrize('check_mode', [True, False])
def test_inside_the_controller_the_module_gets_the_tasks_check_mode_and_environment(recorder, check_mode):
    action = _action(dict(server='web-1'))
    action.module_class = _ReportsItsRun
    action._task.check_mode = check_mode
    action._task.environment = [{'ECS_OPS_TEST_PROXY': 'http://proxy.example.com:3128'}]
    action._templar = _Templar()
    result = action.run(task_vars={})
    assert (result['check_mode'], result['proxy']) == (check_mode, 'http://proxy.example.com:3128')
    assert recorder.lines == ['<localhost> ecs_ops.compute.leaks: running inside the controller']


@pytest.mark.parametrize('switch, inside', [(True, True), ('yes', True), ('maybe', False), (None, False)])
def test_the_switch_variable_is_read_as_ansible_reads_a_boolean(recorder, switch, inside):
    action, calls = _module_process_action(dict(server='web-1'), transport='local')
    action.module_class = _ReportsItsRun
    action.run(task_vars={'ecs_ops_run_in_controller': switch})
    assert bool(calls) is not inside
    assert recorder.lines[0].endswith('running inside the controller' if inside else 'ecs_ops_run_in_controller is false')


class StyleRecorder(Display):
    """Records each line with how it is shown (a verbose line is coloured as such)."""

    shown = []

    def display(self, msg, *args, **kwargs):
        self.shown.append((msg, kwargs.get('color')))


def test_a_progress_line_of_verbosity_0_is_shown_as_a_plain_line_not_a_verbose_one(monkeypatch):
    recorder = StyleRecorder()
    recorder.verbosity = 1
    recorder.shown = []
    monkeypatch.setattr(module_action, 'display', recorder)
    module_action.show_line('web-1: still RESIZE [1m00s elapsed]', 0)
    module_action.show_line('web-1: RESIZE, 3 s', 1)
    from ansible import constants as C
    assert recorder.shown == [('web-1: still RESIZE [1m00s elapsed]', None), ('web-1: RESIZE, 3 s', C.COLOR_VERBOSE)]


def test_a_secret_inside_a_longer_one_is_masked_after_it_whatever_their_order_of_letters(recorder):
    action, calls = _module_process_action(dict(server='web-1', auth=dict(AUTH, password='azzz', token='zzz')))
    action.run(task_vars={})
    assert "'password': '********', 'token': '********'" in recorder.debug_lines[0]
