"""The Flask application: Keystone v3, Nova v2/v2.1, ECS v1 and the /__emulator admin API.

One module per API area (``api_identity``, ``api_compute``, ``api_ecs``, ``api_admin``); the
shared HTTP helpers are in ``httputil``, ``reqauth``, ``views`` and ``middleware``; the cloud
itself (state, rules, state machine) in ``core`` and ``statemachine``.
"""

from flask import Flask

from . import middleware
from .api_admin import admin, info_for
from .api_compute import ProjectIdConverter, compute, versions
from .api_ecs import ecs
from .api_identity import identity
from .core import Emulator

__all__ = ["create_app", "info_for"]


def create_app(emu=None, **kwargs):
    """Build the Flask app; ``kwargs`` go to :class:`Emulator` when ``emu`` is None."""
    emu = emu if emu is not None else Emulator(**kwargs)
    app = Flask("ecs_emulator")
    app.extensions["ecs_emulator"] = emu
    app.emulator = emu
    app.url_map.strict_slashes = False
    app.url_map.converters["nova_project"] = ProjectIdConverter
    for blueprint in (versions, identity, compute, ecs, admin):
        app.register_blueprint(blueprint)
    # Nova also serves every compute URL without the project id (the token's project is used)
    app.register_blueprint(compute, url_prefix='/<any(v2, "v2.1"):api>', name="compute_no_project")
    middleware.install(app, emu)
    return app
