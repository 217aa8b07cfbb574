# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The progress lines a module shows while it waits, and where they go (module_base.EcsModule.progress_hook)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.module_base import EcsModule
from ansible_collections.ecs_ops.compute.plugins.module_utils.progress import elapsed_text, progress_line, shown_at


@pytest.mark.parametrize('seconds, text', [
    (0, '0 s'), (0.4, '0 s'), (35.7, '35 s'), (59.9, '59 s'), (60, '1m00s'), (65.2, '1m05s'), (3600, '60m00s'),
    (None, '0 s'), (-3, '0 s'),
])
def test_elapsed_text(seconds, text):
    assert elapsed_text(seconds) == text


@pytest.mark.parametrize('event, line, verbosity', [
    (dict(server='web-1', phase='RESIZE/resize_migrating', elapsed=35.2, still=False), 'web-1: RESIZE/resize_migrating, 35 s', 1),
    (dict(server='web-1', phase='RESIZE/resize_migrating', elapsed=120.0, still=True),
     'web-1: still RESIZE/resize_migrating [2m00s elapsed]', 0),
    (dict(server='db-1', phase='job 0a1b RUNNING', elapsed=61, still=True), 'db-1: still job 0a1b RUNNING [1m01s elapsed]', 0),
    (dict(server=None, phase=None, elapsed=None, still=False), '?: unknown, 0 s', 1),
])
def test_a_new_phase_is_shown_at_v_and_a_lasting_one_always(event, line, verbosity):
    assert progress_line(event) == line
    assert shown_at(event) == verbosity


class FakeModule(object):
    def __init__(self, check_mode=False, show=True):
        self.check_mode = check_mode
        self.shown, self.logged = [], []
        if show:
            self.show_progress = lambda line, verbosity: self.shown.append((line, verbosity))

    def log(self, line):
        self.logged.append(line)


EVENTS = [dict(server='web-1', phase='RESIZE/resize_prep', elapsed=1, still=False),
          dict(server='web-1', phase='RESIZE/resize_prep', elapsed=61, still=True)]


def test_inside_the_controller_lines_go_to_the_stand_in_with_their_verbosity():
    module = FakeModule()
    hook = EcsModule(module=module).progress_hook()
    for event in EVENTS:
        hook(event)
    assert module.shown == [('web-1: RESIZE/resize_prep, 1 s', 1), ('web-1: still RESIZE/resize_prep [1m01s elapsed]', 0)]
    assert module.logged == []


def test_a_module_process_writes_the_lines_to_the_system_log():
    module = FakeModule(show=False)
    hook = EcsModule(module=module).progress_hook()
    for event in EVENTS:
        hook(event)
    assert module.logged == ['web-1: RESIZE/resize_prep, 1 s', 'web-1: still RESIZE/resize_prep [1m01s elapsed]']


def test_check_mode_waits_for_nothing_and_shows_nothing():
    assert EcsModule(module=FakeModule(check_mode=True)).progress_hook() is None
