"""Fixtures: one in-process emulator per session, reset before every test."""

import pytest

from ecs_emulator.testing import run_emulator
from emulator_helpers import Api


@pytest.fixture(scope="session")
def emu_session():
    with run_emulator(time_scale=0.01) as emu:
        yield emu


@pytest.fixture
def emu(emu_session):
    emu_session.admin.reset()
    return emu_session


@pytest.fixture
def api(emu):
    return Api(emu)
