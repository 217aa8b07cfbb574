"""pytest plugin: ``pytest_plugins = ["ecs_emulator.pytest_plugin"]``.

Fixtures:
- ``emulator_session``: one emulator per test session (time_scale 0.01).
- ``emulator``: function-scoped; the session emulator reset to the default
  seed before each test (fresh state, tokens, faults, rate limit, log).
"""

import pytest

from .testing import run_emulator


@pytest.fixture(scope="session")
def emulator_session():
    with run_emulator(time_scale=0.01) as emu:
        yield emu


@pytest.fixture
def emulator(emulator_session):  # pylint: disable=redefined-outer-name
    emulator_session.admin.reset()
    return emulator_session
