# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When to look at the server again. Pure: it is given the observations and the elapsed times."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Phases that usually last a moment: look again soon. The copy of the disk (resize_migrating) and
# the revert are the long ones: look sparsely, unless the cloud reports progress to predict the end.
SHORT_TASKS = ('resize_prep', 'resize_migrated', 'resize_finish', 'powering-off', 'powering-on')
LONG_TASKS = ('resize_migrating', 'resize_reverting')


class PollPolicy(object):
    """Interval between two status reads, driven by what the server reports.

    - right after a request, and in short phases: `min_interval`, growing slowly up to `short_max`;
    - in long phases: a fraction of the time already spent in the phase (a phase that has lasted
      long is likely to last a while more), between `min_interval` and `max_interval`;
    - when the cloud reports `progress` in a long phase, aim just before the predicted end
      (up to `predicted_max` ahead);
    - never sooner than a `Retry-After` the cloud asked for.
    """

    def __init__(self, min_interval=0.25, short_max=1.0, max_interval=2.0, long_fraction=0.3, growth=1.5, lead=0.2,
                 predicted_max=15.0):
        self.min_interval = min_interval
        self.predicted_max = predicted_max
        self.short_max = short_max
        self.max_interval = max_interval
        self.long_fraction = long_fraction
        self.growth = growth
        self.lead = lead

    def _bounded(self, value, upper):
        return max(self.min_interval, min(upper, value))

    def next_delay(self, task_state, phase_elapsed, polls_in_phase, progress=None, retry_after=None):
        """Seconds to sleep before the next read.

        task_state: the task the server reports (None when idle or between phases);
        phase_elapsed: seconds since this run first saw the current (status, task_state);
        polls_in_phase: reads already made in that phase (0 for the first);
        progress: the server's progress (0-100) if the cloud reports it;
        retry_after: seconds the cloud asked to wait (429/503), if any.
        """
        if task_state in LONG_TASKS:
            delay = self._long_phase_delay(phase_elapsed, progress)
        else:
            delay = self._bounded(self.min_interval * self.growth ** polls_in_phase, self.short_max)
        if retry_after:
            delay = max(delay, retry_after)
        return delay

    def _long_phase_delay(self, phase_elapsed, progress):
        if progress is not None and 0 < progress < 100 and phase_elapsed > 0:
            remaining = phase_elapsed * (100.0 - progress) / progress
            # aim a little before the predicted end, then close in
            return self._bounded(remaining - self.lead, self.predicted_max)
        return self._bounded(phase_elapsed * self.long_fraction, self.max_interval)


class Deadline(object):
    """The overall timeout of one module run, on a clock it is given."""

    def __init__(self, timeout, clock):
        self.clock = clock
        self.start = clock()
        self.timeout = timeout

    @property
    def elapsed(self):
        return self.clock() - self.start

    @property
    def remaining(self):
        return self.timeout - self.elapsed

    def clip(self, delay):
        """A delay no longer than the time left (so the last read happens right at the deadline)."""
        return max(0.0, min(delay, self.remaining))
