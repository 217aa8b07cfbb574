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
