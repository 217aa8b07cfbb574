# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every module of the collection: runs the module inside the controller when the task runs
through the local connection (in_controller.py), else as a module process; either way it keeps the module's
secrets out of ansible-core's debug log and the traceback shown at -vvv."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.ecs_ops.compute.plugins.plugin_utils.in_controller import (
    SWITCH_VAR, no_log_values, run_in_controller, why_not_in_controller,
)

display = Display()

MASK = '********'


def inject_invocation(task_vars):
    """Whether module results carry `invocation`, as ansible-core decides for a module process: always before 2.21,
    by the INJECT_INVOCATION setting from 2.21 on."""
    try:
        return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars))
    except (AnsibleError, KeyError):
        return True


# shorter values are not masked in free text (they would garble it); the result masks every no_log value
MIN_MASKED_LENGTH = 3


def mask(text, secrets):
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def show_line(line, verbosity):
    """Show a line of a module running inside the controller, now (the worker process hands it to the main process,
    which prints it and, under ansible-runner, makes a job event of it): verbosity 0 always, 1 from -v on."""
    if verbosity <= 0:
        display.display(line)
    else:
        display.verbose(line, caplevel=verbosity - 1)


class ModuleAction(ActionBase):
    """Runs `module_class` (a module_base.EcsModule subclass, set by each action plugin).

    With ANSIBLE_DEBUG, ansible-core logs a module's raw arguments after running it; no_log does not cover that
    line. So while the module runs, every debug line is written with the no_log option values masked."""

    _supports_check_mode = True
    _supports_async = True
    module_class = None  # set by each action plugin

    def run(self, tmp=None, task_vars=None):
        result = super(ModuleAction, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        secrets = sorted((s for s in no_log_values(self.module_class.full_argument_spec(), self._task.args)
                          if len(s) >= MIN_MASKED_LENGTH), key=len, reverse=True)
        original = display.debug

        def masked_debug(msg, *args, **kwargs):
            return original(mask(str(msg), secrets), *args, **kwargs)

        if secrets:
            display.debug = masked_debug
        try:
            reason = why_not_in_controller(self._connection.transport, self._play_context.become, self._task.async_val,
                                           boolean(task_vars.get(SWITCH_VAR, True), strict=False), HAS_REQUESTS)
            if reason is None:
                display.vvv('%s: running inside the controller' % self._task.resolved_action, host=self._play_context.remote_addr)
                environment = {}
                self._compute_environment_string(environment)
                result.update(run_in_controller(self.module_class, self._task.resolved_action, self._task.args,
                                                check_mode=self._task.check_mode, environment=environment,
                                                debug=lambda text: display.vvv(mask(text, secrets)),
                                                show=lambda line, verbosity: show_line(mask(line, secrets), verbosity),
                                                inject_invocation=inject_invocation(task_vars)))
                return result
            display.vvv('%s: running as a module process: %s' % (self._task.resolved_action, reason), host=self._play_context.remote_addr)
            result.update(self._execute_module(module_name=self._task.resolved_action, task_vars=task_vars, wrap_async=wrap_async))
        finally:
            if secrets:
                display.debug = original
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
