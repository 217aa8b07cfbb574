# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin base: runs the module (inside the controller when it can), masking its secrets in ansible-core's
own debug log."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.ecs_ops.compute.plugins.module_utils.client import HAS_REQUESTS
from ansible_collections.ecs_ops.compute.plugins.plugin_utils.in_controller import SWITCH_VAR, run_in_controller, why_not_in_controller

display = Display()

SECRET_KEYS = ('password', 'token', 'secret_key')
MASK = '********'


def secret_values(args):
    """The values of the secret options among the module's arguments (auth.password, auth.token, auth.secret_key)."""
    found = []
    auth = args.get('auth') if isinstance(args, dict) else None
    for source in (auth, args):
        if not isinstance(source, dict):
            continue
        for key in SECRET_KEYS:
            value = source.get(key)
            if isinstance(value, str) and len(value) >= 3:
                found.append(str(value))
    return sorted(set(found), key=len, reverse=True)


def mask(text, secrets):
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


class SecretSafeAction(ActionBase):
    """Runs the module `module_class` (a module_base.EcsModule) inside the controller when the task runs through
    the local connection (plugin_utils/in_controller.py), else as a module process.

    With ANSIBLE_DEBUG, ansible-core logs a module's raw arguments after running it; no_log does not cover
    that line. This action masks the secret option values in every debug line written while the module runs."""

    _supports_check_mode = True
    _supports_async = True
    module_class = None  # set by each action plugin

    def run(self, tmp=None, task_vars=None):
        result = super(SecretSafeAction, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        secrets = secret_values(self._task.args)
        original = display.debug

        def masked_debug(msg, *args, **kwargs):
            return original(mask(str(msg), secrets), *args, **kwargs)

        if secrets:
            display.debug = masked_debug
        try:
            reason = why_not_in_controller(self._connection.transport, self._play_context.become, self._task.async_val,
                                           boolean(task_vars.get(SWITCH_VAR, True), strict=False),
                                           HAS_REQUESTS and self.module_class is not None)
            if reason is None:
                display.vvv('%s: running inside the controller' % self._task.resolved_action, host=self._play_context.remote_addr)
                environment = {}
                self._compute_environment_string(environment)
                result.update(run_in_controller(self.module_class, self._task.resolved_action, self._task.args,
                                                check_mode=self._task.check_mode, environment=environment,
                                                debug=lambda text: display.vvv(mask(text, secrets))))
                return result
            display.vvv('%s: running as a module process: %s' % (self._task.resolved_action, reason), host=self._play_context.remote_addr)
            result.update(self._execute_module(module_name=self._task.resolved_action, task_vars=task_vars, wrap_async=wrap_async))
        finally:
            if secrets:
                display.debug = original
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
