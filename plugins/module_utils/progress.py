# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module shows while it waits: one line per progress event of operation.ResizeOperation. Pure.

An event is dict(server, phase, elapsed, still): a new phase (still=False) is shown at -v, a phase that still lasts
(still=True, every minute) at the default verbosity, the way Terraform prints "Still modifying... [1m0s elapsed]".
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# verbosity at which a line is shown: 0 = always, 1 = -v
SHOWN_AT = {False: 1, True: 0}


def elapsed_text(seconds):
    """`35 s` under a minute, `1m05s` from a minute on."""
    seconds = int(max(0, seconds or 0))
    if seconds < 60:
        return '%d s' % seconds
    return '%dm%02ds' % (seconds // 60, seconds % 60)


def progress_line(event):
    """The line for one progress event: `web-1: RESIZE/resize_migrating, 35 s`, or for a phase that lasts
    `web-1: still RESIZE/resize_migrating [2m00s elapsed]`."""
    server = event.get('server') or '?'
    phase = event.get('phase') or 'unknown'
    if event.get('still'):
        return '%s: still %s [%s elapsed]' % (server, phase, elapsed_text(event.get('elapsed')))
    return '%s: %s, %s' % (server, phase, elapsed_text(event.get('elapsed')))


def shown_at(event):
    """The verbosity from which the line of `event` is shown (0: always, 1: from -v on)."""
    return SHOWN_AT[bool(event.get('still'))]
