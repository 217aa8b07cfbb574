# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The polling strategy, driven by a fake clock: intervals, bounds, progress prediction, Retry-After."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.wait import Deadline, PhaseBook, PollPolicy

STEPS = ('resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish')
# the proportions tests/bench uses: most of the time is the copy of the disk
BENCH_20S = [('resize_prep', 2.0), ('resize_migrating', 14.5), ('resize_migrated', 1.2), ('resize_finish', 1.3)]
BENCH_5S = [('resize_prep', 0.6), ('resize_migrating', 3.2), ('resize_migrated', 0.4), ('resize_finish', 0.4)]


def nova(step):
    """Upstream Nova 34 with the fake driver sleeping `step` s per step (tests/nova/FINDINGS.md, 50 ms poller):
    the phases of a resize, and the seconds its confirmation takes (VERIFY_RESIZE with no task)."""
    return [('resize_prep', 0.45), ('resize_migrating', step + 0.05), ('resize_migrated', 0.08), ('resize_finish', step + 0.03)], step + 0.15


class FakeClock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def simulate(policy, phases, progress=None, confirm=None, rtt=0.0):
    """Drive `policy` like operation.py does, against a server going through `phases` (name, seconds).

    progress: None (the cloud reports none), 'steps' (a fixed value per phase, like the emulator and Nova:
    0/25/50/75) or 'linear' (0 to 100 over the whole resize). confirm: seconds the confirmation takes
    (VERIFY_RESIZE with no task), sent as soon as VERIFY_RESIZE is seen.
    Returns (reads, seconds between the end and the read that saw it).
    """
    total = sum(seconds for dummy, seconds in phases)
    confirm_start = [None]

    def observe(now):
        if confirm_start[0] is not None:
            return ('VERIFY_RESIZE', None, None) if now < confirm_start[0] + confirm else ('ACTIVE', None, None)
        start = 0.0
        for index, (name, seconds) in enumerate(phases):
            if now < start + seconds:
                pct = {None: None, 'steps': 25 * index, 'linear': int(100 * now / total)}[progress]
                return ('RESIZE', name, pct)
            start += seconds
        return ('VERIFY_RESIZE', None, None)

    now, reads, seen, since, polls = 0.0, 0, ('ACTIVE', None), 0.0, 0
    state = ('ACTIVE', None, None)
    while True:
        now += policy.next_delay(state[1], now - since, polls, progress=state[2]) + rtt
        reads += 1
        state = observe(now)
        if state[:2] != seen:
            seen, since, polls = state[:2], now, 0
        else:
            polls += 1
        if state[0] == 'VERIFY_RESIZE' and confirm and confirm_start[0] is None:
            confirm_start[0] = now
            late_resize = now - total
        elif state[0] == 'VERIFY_RESIZE' and not confirm:
            return reads, now - total
        elif state[0] == 'ACTIVE':
            return reads, late_resize + now - (confirm_start[0] + confirm)


def test_short_phases_poll_densely_and_grow_slowly():
    policy = PollPolicy(min_interval=0.2, growth=1.25, short_max=0.5)
    delays = [policy.next_delay('resize_finish', 0.1 * n, n) for n in range(8)]
    assert delays[0] == 0.2
    assert delays == sorted(delays)
    assert max(delays) == 0.5
    # right after a request (no task yet) and during a confirmation: the same dense reads
    assert policy.next_delay(None, 0.0, 0) == 0.2


def test_a_short_phase_that_lasts_is_not_hammered():
    # read at 20 % of its age, but every half second while it is young (it ends the operation), then less often
    policy = PollPolicy(short_max=0.35, short_fraction=0.2, max_interval=3.0, short_cap=0.5, short_cap_fraction=0.02)
    assert policy.next_delay('resize_finish', 1.0, 5) == 0.35
    assert policy.next_delay('resize_finish', 10.0, 30) == 0.5
    assert policy.next_delay('resize_finish', 50.0, 90) == pytest.approx(1.0)
    assert policy.next_delay('powering-on', 600.0, 300) == 3.0
    # without the cap: 20 % of the age, up to max_interval
    assert PollPolicy(short_cap=None).next_delay('resize_finish', 10.0, 30) == 2.0


def test_long_phase_backs_off_within_bounds():
    policy = PollPolicy(long_min=1.0, long_fraction=0.5, max_interval=3.0, long_max_fraction=0.05, long_max=8.0)
    assert policy.next_delay('resize_migrating', 0.0, 0) == 1.0
    assert policy.next_delay('resize_migrating', 4.0, 3) == 2.0
    # the cap stays at max_interval for the first minute of a copy, then grows with its age, up to long_max
    assert policy.next_delay('resize_migrating', 40.0, 9) == 3.0
    assert policy.next_delay('resize_migrating', 100.0, 20) == pytest.approx(5.0)
    assert policy.next_delay('resize_reverting', 100.0, 20) == pytest.approx(5.0)
    assert policy.next_delay('resize_migrating', 1000.0, 200) == 8.0
    # only the long phases: a short phase that lasts keeps max_interval
    assert policy.next_delay('resize_finish', 1000.0, 200) == 3.0


def test_the_start_of_a_resize_is_capped_lower():
    policy = PollPolicy(long_min=1.0, long_fraction=0.5, max_interval=3.0, early_max=2.0)
    assert policy.next_delay('resize_prep', 0.0, 0) == 1.0
    assert policy.next_delay('resize_prep', 30.0, 10) == 2.0


def test_a_progress_that_does_not_move_is_ignored():
    # the emulator and Nova report one fixed value per phase (25 while migrating): no prediction from it
    with_steps, without = PollPolicy(), PollPolicy()
    for elapsed in (0.0, 1.0, 2.5, 5.0, 8.0):
        assert with_steps.next_delay('resize_migrating', elapsed, 0, progress=25) == without.next_delay('resize_migrating', elapsed, 0)


def test_a_moving_progress_closes_in_on_the_predicted_end():
    policy = PollPolicy(min_interval=0.2, lead=0.2, predicted_share=0.75, predicted_max=30.0, long_min=1.0)
    assert policy.next_delay('resize_migrating', 0.0, 0, progress=20) == 1.0  # first sight: nothing to predict yet
    # 20 -> 40 % in 4 s: 12 s left; sleep 3/4 of it minus the lead
    assert abs(policy.next_delay('resize_migrating', 4.0, 1, progress=40) - (12 * 0.75 - 0.2)) < 1e-9
    # 95 % after 15 s: 1 s left
    assert abs(policy.next_delay('resize_migrating', 15.0, 2, progress=95) - 0.55) < 1e-9
    assert policy.next_delay('resize_migrating', 15.8, 3, progress=99) == 0.2


def test_progress_prediction_is_bounded_and_resets_per_phase():
    policy = PollPolicy(predicted_max=10.0)
    policy.next_delay('resize_migrating', 0.0, 0, progress=1)
    assert policy.next_delay('resize_migrating', 1.0, 1, progress=2) == 10.0
    # a new phase (or a progress going back) starts a new estimate
    assert policy.next_delay('resize_finish', 0.0, 0, progress=80) == policy.min_interval
    assert policy.next_delay('resize_finish', 0.5, 1, progress=10) == PollPolicy().next_delay('resize_finish', 0.5, 1)


@pytest.mark.parametrize('progress', [None, True, -5, 100, 250])
def test_odd_progress_values_fall_back(progress):
    policy = PollPolicy()
    for elapsed in (0.0, 2.0, 4.0):
        assert policy.next_delay('resize_migrating', elapsed, 0, progress=progress) == PollPolicy().next_delay('resize_migrating', elapsed, 0)


def test_retry_after_is_honoured():
    policy = PollPolicy()
    assert policy.next_delay('resize_prep', 0.0, 0, retry_after=7) == 7
    assert policy.next_delay('resize_migrating', 40.0, 9, retry_after='4') == 4.0
    assert policy.next_delay('resize_migrating', 40.0, 9, retry_after=1) == policy.max_interval


@pytest.mark.parametrize('phases', [BENCH_5S, BENCH_20S])
def test_simulated_resize_and_confirm_end_is_seen_promptly(phases):
    reads, late = simulate(PollPolicy(), phases, confirm=1.0)
    # two ends to see (VERIFY_RESIZE, then ACTIVE): each within a few tenths of a second
    assert late <= 0.7
    # fewer reads than a fixed 0.4 s interval would make
    assert reads <= (sum(s for dummy, s in phases) + 1.0) / 0.4


def test_simulated_resize_reads_are_sparse_while_the_disk_is_copied():
    reads, late = simulate(PollPolicy(), BENCH_20S)
    assert reads <= 22
    assert late <= 0.5
    # a fixed step per phase (emulator, Nova) gives the same schedule as no progress at all
    assert simulate(PollPolicy(), BENCH_20S, progress='steps') == (reads, late)


def test_simulated_resize_with_linear_progress_needs_fewer_reads():
    reads, late = simulate(PollPolicy(), BENCH_20S)
    reads_p, late_p = simulate(PollPolicy(), BENCH_20S, progress='linear')
    assert reads_p < reads
    assert late_p <= 0.6


def test_simulated_long_resize_reads_at_most_one_every_two_seconds():
    phases = [('resize_prep', 20.0), ('resize_migrating', 240.0), ('resize_migrated', 20.0), ('resize_finish', 20.0)]
    reads, late = simulate(PollPolicy(), phases)
    assert reads <= 300 / 2.0
    assert late <= PollPolicy().long_max


def mean(values):
    return sum(values) / float(len(values))


@pytest.mark.parametrize('copy_seconds', [300.0, 900.0])
def test_simulated_resize_of_minutes_saves_reads_for_a_little_lateness(copy_seconds):
    """Over many alignments of reads and phase ends (seeded), a copy of minutes costs far fewer reads than with
    the cap fixed at max_interval (and than openstacksdk's fixed 2 s), and is seen late by ~1 % of the wait."""
    rng = random.Random(7)
    fixed, grown = [], []
    for dummy in range(100):
        phases = [('resize_prep', 3.0), ('resize_migrating', copy_seconds + rng.uniform(0, 20)), ('resize_migrated', 0.1),
                  ('resize_finish', rng.uniform(2, 8))]
        fixed.append(simulate(PollPolicy(long_max_fraction=0.0), phases, confirm=3.0))
        grown.append(simulate(PollPolicy(), phases, confirm=3.0))
    reads_fixed, reads_grown = mean([r for r, dummy in fixed]), mean([r for r, dummy in grown])
    late_grown = mean([late for dummy, late in grown])
    assert reads_grown <= 0.65 * reads_fixed
    assert reads_grown <= 0.6 * (copy_seconds + 20) / 2.0  # openstacksdk: one read every 2 s
    assert late_grown <= 0.01 * copy_seconds
    assert max(late for dummy, late in grown) <= 2 * PollPolicy().long_max


def test_deadline_clips_to_the_time_left():
    clock = FakeClock()
    deadline = Deadline(10, clock)
    clock.now += 8
    assert abs(deadline.elapsed - 8) < 1e-9
    assert deadline.clip(5) == 2
    clock.now += 5
    assert deadline.clip(5) == 0.0
    assert deadline.remaining < 0


@pytest.mark.parametrize('step, lateness', [(3.0, 0.4), (10.0, 0.65)])
def test_simulated_real_nova_reads_at_most_twice_a_second_and_sees_both_ends_promptly(step, lateness):
    """Real Nova's phases before an end last a step (3 s, 10 s: far longer than the emulator's 20 s profile's 1 s):
    reading them at 20 % of their age let the lateness grow with them; the half-second cap keeps both ends within a
    few tenths of a second, at no more than two reads a second over the whole resize + confirm (issue 18)."""
    rng = random.Random(11)
    phases, confirm = nova(step)
    runs = []
    for dummy in range(60):
        jittered = [(name, seconds * rng.uniform(0.95, 1.05)) for name, seconds in phases]
        runs.append(simulate(PollPolicy(), jittered, confirm=confirm * rng.uniform(0.97, 1.03), rtt=0.03))
    total = sum(seconds for dummy, seconds in phases) + confirm
    assert mean([reads for reads, dummy in runs]) / total <= 2.0
    assert mean([late for dummy, late in runs]) <= lateness
    # the policy before the cap: later on the 10 s steps
    if step == 10.0:
        old = mean([simulate(PollPolicy(short_cap=None, long_min=1.0), phases, confirm=confirm, rtt=0.03)[1] for dummy in range(3)])
        assert old > lateness + 0.5


def test_an_expected_end_skips_the_reads_before_it_and_reads_densely_after():
    policy = PollPolicy()
    # 12 s before the end the peers showed: one read, then
    assert policy.next_delay('resize_migrating', 2.0, 1, expected_in=12.0) == 12.0
    assert policy.next_delay('resize_finish', 0.0, 0, expected_in=0.05) == policy.min_interval
    # past it: dense, denser the sooner after it, never sparser than without the peers
    assert policy.next_delay('resize_migrating', 14.5, 3, expected_in=0.0) == policy.min_interval
    assert policy.next_delay('resize_migrating', 16.5, 6, expected_in=-2.0) == pytest.approx(0.7)
    assert policy.next_delay('resize_finish', 0.3, 1, expected_in=-8.0) == policy.next_delay('resize_finish', 0.3, 1)
    # a Retry-After still wins; a moving progress still predicts
    assert policy.next_delay('resize_migrating', 2.0, 1, expected_in=0.5, retry_after=2) == 2.0


def test_phase_book_expects_what_every_server_lasted_at_least():
    book = PhaseBook()
    assert book.expected('k') is None
    # servers whose bounds agree (each lasted between its shortest and longest): the largest shortest
    for shortest, longest in ((12.2, 15.9), (13.9, 14.8), (11.0, 16.0)):
        book.learn('k', shortest, longest)
    assert book.expected('k') == 13.9
    assert len(book) == 3
    # durations that differ (a shortest above another's longest): the quickest quarter's shortest
    spread = PhaseBook()
    for shortest, longest in ((1.0, 1.4), (5.0, 5.6), (5.1, 5.5), (4.9, 5.9), (5.2, 6.0)):
        spread.learn('k', shortest, longest)
    assert spread.expected('k') == 4.9
    # a span without a length is no lesson; a shortest above the longest is cut to it
    book.learn('other', 3.0, 0.0)
    assert book.expected('other') is None
    book.learn('other', 5.0, 4.0)
    assert book.expected('other') == 4.0
    # only the last spans are kept
    small = PhaseBook(max_spans=2)
    for shortest, longest in ((1.0, 1.1), (2.5, 3.6), (3.0, 3.4)):
        small.learn('k', shortest, longest)
    assert len(small) == 2 and small.expected('k') == 3.0


# -- the numbers themselves (mutation testing): the defaults, and the prediction step by step -------------------------

def test_the_defaults_are_the_ones_tuned_on_real_nova():
    # docs/performance.md: tuned against real Nova and the bench; a change of one of them is a change of the strategy
    policy = PollPolicy()
    assert dict((key, value) for key, value in vars(policy).items() if not key.startswith('_')) == dict(
        min_interval=0.2, growth=1.15, short_max=0.35, short_fraction=0.2, long_min=1.5, long_fraction=0.5, max_interval=3.0,
        early_max=1.5, lead=0.2, predicted_share=0.75, predicted_max=30.0, long_max_fraction=0.05, long_max=8.0,
        past_expected_fraction=0.25, short_cap=0.5, short_cap_fraction=0.02)
    assert policy._progress_mark is None


@pytest.mark.parametrize('looks, delays', [
    # (task, elapsed, progress) one after the other -> what each predicts (None: no prediction, the phase decides)
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 10.0, 20)], [None, 30.0]),           # 80 s left: capped
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 10.0, 90)], [None, 0.7375]),         # 1.25 s left: 75 % less the lead
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 10.0, 99)], [None, 0.2]),            # at the end: the minimum
    ([('resize_migrating', 0.0, 0), ('resize_migrating', 4.0, 50)], [None, 2.8]),              # from 0: 4 s left
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 10.0, 10)], [None, None]),           # did not move
    ([('resize_migrating', 5.0, 10), ('resize_migrating', 5.0, 50)], [None, None]),            # no time passed
    ([('resize_migrating', 5.0, 10), ('resize_migrating', 4.0, 50), ('resize_migrating', 8.0, 90)], [None, None, 0.55]),      # seen earlier: marked again
    ([('resize_migrating', 0.0, 50), ('resize_migrating', 2.0, 40), ('resize_migrating', 4.0, 60)], [None, None, 2.8]),  # went back: marked again
    ([('resize_prep', 0.0, 10), ('resize_migrating', 2.0, 50), ('resize_migrating', 4.0, 60)], [None, None, 5.8]),  # another task: marked again
    ([('resize_migrating', 0.0, 10), (None, 2.0, 50), ('resize_migrating', 4.0, 60)], [None, None, None]),
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 2.0, 100), ('resize_migrating', 4.0, 60)], [None, None, None]),
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 2.0, None), ('resize_migrating', 4.0, 60)], [None, None, None]),
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 2.0, -1), ('resize_migrating', 4.0, 60)], [None, None, None]),
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 2.0, True), ('resize_migrating', 4.0, 60)], [None, None, None]),
    ([('resize_migrating', 0.0, 0), ('resize_migrating', 2.0, 99.5)], [None, 0.2]),
])
def test_a_moving_progress_predicts_step_by_step(looks, delays):
    policy = PollPolicy()
    assert [policy._predicted_delay(*look) for look in looks] == pytest.approx(delays)


def test_a_predicted_delay_is_what_next_delay_waits():
    policy = PollPolicy()
    assert policy.next_delay('resize_migrating', 0.0, 0, progress=10) == 1.5  # first sight: the long phase's minimum
    assert policy.next_delay('resize_migrating', 10.0, 1, progress=90) == pytest.approx(0.7375)
    assert policy.next_delay('resize_migrating', 20.0, 2, progress=95, expected_in=50.0) == pytest.approx(
        (100 - 95) * 20.0 / 85 * 0.75 - 0.2)
    assert policy.next_delay('resize_migrating', 21.0, 3, progress=96, retry_after='9') == 9.0


@pytest.mark.parametrize('looks, delays', [
    # the same age with more progress is not a new mark: the rate is measured from the first sighting
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 0.0, 50), ('resize_migrating', 4.0, 60)], [None, None, 2.2]),
    # the same progress later is not a new mark either
    ([('resize_migrating', 0.0, 10), ('resize_migrating', 2.0, 10), ('resize_migrating', 4.0, 20)], [None, None, 23.8]),
])
def test_a_prediction_measures_from_the_first_sighting_of_a_progress(looks, delays):
    policy = PollPolicy()
    assert [policy._predicted_delay(*look) for look in looks] == pytest.approx(delays)


def test_the_start_of_a_resize_is_read_at_half_its_age_within_its_bounds():
    policy = PollPolicy(early_max=3.0)
    assert [policy.next_delay('resize_prep', age, 1) for age in (1.0, 4.0, 10.0)] == [1.5, 2.0, 3.0]


@pytest.mark.parametrize('expected_in, delay', [(0.5, 0.5), (1.0, 1.0), (0.1, 0.2), (-0.4, 0.2)])
def test_an_expected_end_soon_is_waited_for_exactly(expected_in, delay):
    assert PollPolicy().next_delay('resize_finish', 0.0, 0, expected_in=expected_in) == pytest.approx(delay)


def test_phase_book_bounds_whole():
    book = PhaseBook()
    book.learn('short', 0.5, 0.8)
    book.learn('none', None, 2.0)
    book.learn('zero', 1.0, 0.0)
    assert (book.expected('short'), book.expected('none'), book.expected('zero')) == (0.5, 0.0, None)
    # bounds that just touch (a shortest equal to another's longest) still agree: the largest shortest
    touching = PhaseBook()
    touching.learn('k', 2.0, 3.0)
    touching.learn('k', 3.0, 4.0)
    assert touching.expected('k') == 3.0
    # four servers whose durations differ: the shortest of the quickest quarter is the second quickest's
    four = PhaseBook()
    for span in ((1.0, 1.2), (2.0, 2.2), (3.0, 3.2), (4.0, 4.2)):
        four.learn('k', *span)
    assert four.expected('k') == 2.0
    # fifty spans are kept per phase
    many = PhaseBook()
    for n in range(51):
        many.learn('k', float(n), float(n) + 0.5)
    assert len(many) == 50 and many._spans['k'][0] == (1.0, 1.5)
