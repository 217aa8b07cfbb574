# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the health_check module; inside the controller when it can; see plugin_utils/module_action.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.modules.health_check import HealthCheckModule
from ansible_collections.ecs_ops.compute.plugins.plugin_utils.module_action import ModuleAction


class ActionModule(ModuleAction):
    module_class = HealthCheckModule
