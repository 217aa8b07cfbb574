"""Fixtures: one in-process emulator per session, reset before every test."""

import pytest

from ecs_emulator.testing import run_emulator
from emulator_helpers import Api


@pytest.fixture(scope="session")
def emu_session():
    with run_emulator(time_scale=0.01) as emu:
        yield emu


def pytest_configure(config):
    config.addinivalue_line("markers", "profile(name): run the test against this cloud profile "
                                       "(nova, otc, otc-swiss; default: the emulator's default, otc)")


@pytest.fixture
def emu(emu_session, request):
    """The session emulator reset to the default seed and startup config; a ``profile`` marker
    switches the cloud profile for the test (reset restores the startup profile)."""
    emu_session.admin.reset()
    marker = request.node.get_closest_marker("profile")
    if marker is not None:
        emu_session.admin.config(profile=marker.args[0])
    return emu_session


@pytest.fixture
def api(emu):
    return Api(emu)
