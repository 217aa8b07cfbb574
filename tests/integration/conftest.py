# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the integration tests: one emulator per session, reset before every test."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ecs_emulator.testing import run_emulator

from helpers import CloudView

# Server-side durations of the emulator, scaled down so a resize takes well under a second.
FAST = dict(time_scale=0.1)
# The clouds the emulator plays (tests/emulator/README.md, "Cloud profiles"); `otc` is its default.
PROFILES = ('nova', 'otc', 'otc-swiss')


@pytest.fixture(scope='session')
def emulator_session():
    with run_emulator(time_scale=FAST['time_scale']) as emu:
        yield emu


@pytest.fixture
def emu(emulator_session):
    """A running emulator with the default seed, fast durations and an empty request log."""
    emulator_session.admin.reset(seed='default')
    emulator_session.admin.config(**FAST)
    return emulator_session


@pytest.fixture
def cloud(emu):
    """The emulator seen through its public API."""
    return CloudView(emu.info)


@pytest.fixture(params=PROFILES)
def each_profile(request, emu):
    """Runs the test once per cloud profile of the emulator; the profile's name."""
    emu.admin.config(profile=request.param)
    return request.param
