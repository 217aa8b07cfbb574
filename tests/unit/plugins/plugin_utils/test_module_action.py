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
