# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the ecs_flavor_info module; see plugin_utils/secret_safe_action.py for why an action plugin exists."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.plugin_utils.secret_safe_action import SecretSafeAction


class ActionModule(SecretSafeAction):
    pass
