# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The polling strategy, driven by a fake clock: intervals, bounds, progress prediction, Retry-After."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import Deadline, PollPolicy


class FakeClock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def simulate(policy, phases, progress=False):
    """Poll a server whose phases last the given seconds; return (reads, lateness after the last phase)."""
    ends, t = [], 0.0
    for name, seconds in phases:
        t += seconds
        ends.append((name, t))
    total = t
    now, reads, seen, since, polls = 0.0, 0, None, 0.0, 0
    while True:
        phase = next((name for name, end in ends if now < end), None)
        reads += 1
        if phase is None:
            return reads, now - total
        if phase != seen:
            seen, since, polls = phase, now, 0
        else:
            polls += 1
        start = [end for name, end in ends if name == phase][0] - dict(phases)[phase]
        pct = None
        if progress and phase == 'resize_migrating':
            pct = int(100 * (now - start) / dict(phases)[phase])
        now += policy.next_delay(phase, now - since, polls, progress=pct)


def test_short_phases_poll_densely_and_grow_slowly():
    policy = PollPolicy(min_interval=0.25, short_max=1.0)
    delays = [policy.next_delay('resize_prep', 0.0, n) for n in range(6)]
    assert delays[0] == 0.25
    assert delays == sorted(delays)
    assert max(delays) == 1.0


def test_long_phase_backs_off_within_bounds():
    policy = PollPolicy(min_interval=0.25, max_interval=5.0, long_fraction=0.3)
    assert policy.next_delay('resize_migrating', 0.0, 0) == 0.25
    assert policy.next_delay('resize_migrating', 10.0, 3) == 3.0
    assert policy.next_delay('resize_migrating', 100.0, 9) == 5.0
    assert PollPolicy().next_delay('resize_reverting', 100.0, 9) == 2.0


def test_progress_aims_just_before_the_predicted_end():
    policy = PollPolicy(min_interval=0.25, max_interval=2.0, lead=0.2, predicted_max=5.0)
    # 40 % done after 4 s: 6 s left, look again 0.2 s before, capped at predicted_max
    assert policy.next_delay('resize_migrating', 4.0, 1, progress=40) == 5.0
    assert abs(policy.next_delay('resize_migrating', 4.0, 1, progress=50) - 3.8) < 1e-9
    assert abs(policy.next_delay('resize_migrating', 4.0, 1, progress=80) - 0.8) < 1e-9
    assert policy.next_delay('resize_migrating', 4.0, 1, progress=99) == 0.25
    assert policy.next_delay('resize_migrating', 0.0, 0, progress=0) == 0.25


def test_retry_after_is_honoured():
    policy = PollPolicy()
    assert policy.next_delay('resize_prep', 0.0, 0, retry_after=7) == 7


def test_simulated_resize_reads_and_lateness():
    phases = [('resize_prep', 1.0), ('resize_migrating', 14.0), ('resize_migrated', 1.0), ('resize_finish', 1.0)]
    policy = PollPolicy()
    reads, late = simulate(policy, phases)
    # without progress: at most about one read a second, never later than the longest interval
    assert reads <= 25
    assert late <= policy.max_interval
    # with progress the end is predicted: fewer reads, and the end is seen sooner
    reads_p, late_p = simulate(policy, phases, progress=True)
    assert reads_p <= reads
    assert late_p <= 0.6


def test_deadline_clips_to_the_time_left():
    clock = FakeClock()
    deadline = Deadline(10, clock)
    clock.now += 8
    assert abs(deadline.elapsed - 8) < 1e-9
    assert deadline.clip(5) == 2
    clock.now += 5
    assert deadline.clip(5) == 0.0
    assert deadline.remaining < 0
