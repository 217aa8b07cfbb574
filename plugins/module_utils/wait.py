# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When to look at the server again. Pure: it is given the observations and the elapsed times.

Nothing here reads a clock or sleeps; docs/performance.md explains the numbers.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# The copy of the disk and the revert are the long phases: the end is far, look sparsely.
LONG_TASKS = ('resize_migrating', 'resize_reverting')
# The start of a resize: it is followed by the long copy, so there is no hurry to see it end.
EARLY_TASKS = ('resize_prep',)
# Everything else (resize_migrated, resize_finish, powering-off/on, no task right after a request, the
# VERIFY_RESIZE of a running confirm) either ends the operation or comes right before its end: look densely.
SHORT_TASKS = ('resize_migrated', 'resize_finish', 'powering-off', 'powering-on')


class PollPolicy(object):
    """Interval between two status reads, driven by what the server reports.

    - short phases (and right after a request): `min_interval`, growing by `growth` per read up to `short_max`,
      so a state change near the end is seen within a fraction of a second; a short phase that lasts
      is read at `short_fraction` of its age, but at least every `short_cap` seconds (these phases end the
      operation: on real Nova they last seconds, and 20 % of that is wall time lost), until the cap grows with the
      phase's age (`short_cap_fraction`, up to `max_interval`), so slow clouds are not hammered;
    - the start of a resize (resize_prep): like a long phase but capped at `early_max`, because the copy
      that follows must still be seen early enough to pace it;
    - long phases: a fraction (`long_fraction`) of the time already spent in the phase, between
      `long_min` and `max_interval` (a phase that has lasted long is likely to last a while more);
      `max_interval` stays below the usual length of the short phases that follow the copy
      (resize_migrated + resize_finish), so the copy's end is seen before the resize ends; a copy that
      has lasted very long raises that cap to `long_max_fraction` of its age (at most `long_max`): on a
      resize of minutes, seeing the end a few seconds late costs ~1 % of the wait and saves most reads;
    - when the cloud's `progress` moves within a phase, its rate predicts when it reaches 100: sleep
      `predicted_share` of that predicted rest minus `lead` (at most `predicted_max`), then predict again,
      so the reads close in on the end (an estimate from integer percentages can be off by a few percent);
      a progress that does not move (clouds that report a fixed value per phase) is ignored;
    - when the servers of the same flavor pair showed how long this phase lasts (PhaseBook, in a batch), there is
      nothing to see before the earliest end they showed (`expected_in` seconds away): no read before it; once it has
      passed, reads are dense again, `min_interval` plus `past_expected_fraction` of the time since;
    - never sooner than a `Retry-After` the cloud asked for.

    One instance follows one operation (it remembers the progress seen in the current phase).
    """

    def __init__(self, min_interval=0.2, growth=1.15, short_max=0.35, short_fraction=0.2, long_min=1.5,
                 long_fraction=0.5, max_interval=3.0, early_max=1.5, lead=0.2, predicted_share=0.75, predicted_max=30.0,
                 long_max_fraction=0.05, long_max=8.0, past_expected_fraction=0.25, short_cap=0.5, short_cap_fraction=0.02):
        self.min_interval = min_interval
        self.growth = growth
        self.short_max = short_max
        self.short_fraction = short_fraction
        self.long_min = long_min
        self.long_fraction = long_fraction
        self.max_interval = max_interval
        self.early_max = early_max
        self.lead = lead
        self.predicted_share = predicted_share
        self.predicted_max = predicted_max
        self.long_max_fraction = long_max_fraction
        self.long_max = long_max
        self.past_expected_fraction = past_expected_fraction
        self.short_cap = short_cap
        self.short_cap_fraction = short_cap_fraction
        self._progress_mark = None  # (task_state, progress, phase_elapsed) first seen in this phase

    @staticmethod
    def _clamp(value, lower, upper):
        return max(lower, min(upper, value))

    def next_delay(self, task_state, phase_elapsed, polls_in_phase, progress=None, retry_after=None, expected_in=None):
        """Seconds to sleep before the next read.

        task_state: the task the server reports (None when idle or between phases);
        phase_elapsed: seconds since this run first saw the current (status, task_state);
        polls_in_phase: reads already made in that phase (0 for the first);
        progress: the server's progress (0-100) if the cloud reports it;
        retry_after: seconds the cloud asked to wait (429/503), if any;
        expected_in: seconds until the earliest end of this phase that servers of the same flavor pair showed
        (negative once it has passed), or None when nothing was learnt.
        """
        predicted = self._predicted_delay(task_state, phase_elapsed, progress)
        if predicted is not None:
            delay = predicted
        elif expected_in is not None and expected_in > 0:
            delay = max(self.min_interval, expected_in)  # nothing to see before then, and the end may come right then
        elif expected_in is not None:
            # past the end the peers showed: dense again, never sparser than without them
            delay = min(self._unaided(task_state, phase_elapsed, polls_in_phase),
                        self._clamp(self.min_interval - expected_in * self.past_expected_fraction, self.min_interval, self.max_interval))
        else:
            delay = self._unaided(task_state, phase_elapsed, polls_in_phase)
        if retry_after:
            delay = max(delay, float(retry_after))
        return delay

    def _unaided(self, task_state, phase_elapsed, polls_in_phase):
        """The delay from the phase and its age alone."""
        if task_state in LONG_TASKS:
            cap = self._clamp(phase_elapsed * self.long_max_fraction, self.max_interval, self.long_max)
            return self._clamp(phase_elapsed * self.long_fraction, self.long_min, cap)
        if task_state in EARLY_TASKS:
            return self._clamp(phase_elapsed * self.long_fraction, self.long_min, self.early_max)
        # dense, but a "short" phase that lasts (a slow cloud) is read no more often than a long one
        dense = min(self.short_max, self.min_interval * self.growth ** polls_in_phase)
        cap = self.max_interval
        if self.short_cap is not None:
            cap = self._clamp(phase_elapsed * self.short_cap_fraction, self.short_cap, self.max_interval)
        return self._clamp(max(dense, phase_elapsed * self.short_fraction), self.min_interval, cap)

    def _predicted_delay(self, task_state, phase_elapsed, progress):
        """From a progress that moves: seconds until `lead` before it reaches 100, else None."""
        if task_state is None or progress is None or isinstance(progress, bool) or not 0 <= progress < 100:
            self._progress_mark = None
            return None
        mark = self._progress_mark
        if mark is None or mark[0] != task_state or phase_elapsed < mark[2] or progress < mark[1]:
            self._progress_mark = (task_state, progress, phase_elapsed)
            return None
        moved, took = progress - mark[1], phase_elapsed - mark[2]
        if moved <= 0 or took <= 0:
            return None
        remaining = (100.0 - progress) * took / moved
        # cover only part of the predicted rest (the rate is an estimate), then predict again: closes in on the end
        return self._clamp(remaining * self.predicted_share - self.lead, self.min_interval, self.predicted_max)


class PhaseBook(object):
    """How long phases lasted on the servers of a batch, by key (the flavor pair, the request the phase follows, the
    status and task): what a server still in that phase can expect. Pure: the durations are given.

    A server that was seen in a phase from `first_seen` to `last_seen`, and first seen out of it at `ended_by`, having
    been seen before it at `began_after`, was in it at least `last_seen - first_seen` and at most
    `ended_by - began_after` seconds: `learn(key, shortest, longest)`.

    What a server can expect is a duration it lasts at least: when the servers' bounds agree (every shortest is below
    every longest: they all last about as long), the largest shortest; when they do not (durations differ), the
    shortest of the quickest quarter, so that few servers end before it."""

    def __init__(self, max_spans=50):
        self.max_spans = max_spans
        self._spans = {}

    def learn(self, key, shortest, longest):
        if longest is None or longest <= 0:
            return
        shortest = max(0.0, min(shortest or 0.0, longest))
        spans = self._spans.setdefault(key, [])
        spans.append((shortest, longest))
        if len(spans) > self.max_spans:
            del spans[0]

    def expected(self, key):
        """Seconds the phase `key` lasts at least, as learnt; None when no server went through it yet."""
        spans = self._spans.get(key)
        if not spans:
            return None
        lows = sorted(low for low, dummy in spans)
        if lows[-1] <= min(high for dummy, high in spans):
            return lows[-1]
        return lows[len(lows) // 4]

    def __len__(self):
        return sum(len(spans) for spans in self._spans.values())


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
