# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module of this collection inside the controller, without starting a module process.

The modules only talk HTTP to the cloud, and are almost always run on the controller (`hosts: localhost`,
`delegate_to: localhost`, `connection: local`). There, shipping the module and starting a Python process for it
costs ~0.25 s per task, more than a no-op run does. So when the task runs through the local connection, the action
plugin (module_action.py) runs the same module code (the module class, its `run()`) in the task's worker process,
with `ControllerModule` standing in for AnsibleModule: the same argument validation (ansible-core's
ModuleArgumentSpecValidator, which AnsibleModule uses), messages, no_log masking (ansible-core's remove_values)
and result keys.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import traceback
from contextlib import contextmanager

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

# The task variable that turns running inside the controller off (true by default).
SWITCH_VAR = 'ecs_ops_run_in_controller'


class ModuleExit(BaseException):
    """Raised by exit_json/fail_json, like SystemExit is by AnsibleModule (not an Exception: `except Exception`
    in the module code must not catch it)."""

    def __init__(self, result):
        super(ModuleExit, self).__init__('module exited')
        self.result = result


def why_not_in_controller(transport, become, async_val, switch, has_requests):
    """None when a task may run inside the controller, else the reason it runs as a module (for -vvv)."""
    if transport != 'local':
        return 'the connection is %s, not local' % transport
    if become:
        return 'become is set (the module must run as another user)'
    if async_val:
        return 'the task is async'
    if not switch:
        return '%s is false' % SWITCH_VAR
    if not has_requests:
        return "the controller's Python has no requests library"
    return None


def no_log_values(argument_spec, params):
    """The values of the options (and suboptions) the argument spec marks no_log, among `params`."""
    found = set()
    for name, spec in argument_spec.items():
        value = params.get(name) if isinstance(params, dict) else None
        if value is None:
            continue
        if spec.get('no_log'):
            found.add(str(value))
        if spec.get('options'):
            for element in value if isinstance(value, list) else [value]:
                if isinstance(element, dict):
                    found.update(no_log_values(spec['options'], element))
    return found


def plain(args):
    """The module arguments as plain JSON types, as a module process would receive them."""
    return json.loads(json.dumps(args, default=str))


class ControllerModule(object):
    """The part of AnsibleModule the collection's modules use, for a run inside the controller."""

    def __init__(self, name, argument_spec, args, check_mode=False, inject_invocation=True, show=None, **checks):
        self._name = name
        self.check_mode = bool(check_mode)
        self.inject_invocation = inject_invocation
        self._show = show
        self._warnings = []
        self.traceback = None
        self.params = plain(args)
        self.no_log_values = no_log_values(argument_spec, self.params)
        # AnsibleModule's own validator: types, defaults, choices, aliases (and their warnings), the `checks`
        # (mutually_exclusive, required_if, ...)
        validation = ModuleArgumentSpecValidator(argument_spec, **checks).validate(self.params)
        self.params = validation.validated_parameters
        if validation.errors.errors:
            msg = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                msg = 'Unsupported parameters for (%s) module: %s' % (name, msg)
            self.fail_json(msg=msg)

    def warn(self, warning):
        self._warnings.append(warning)

    def show_progress(self, line, verbosity):
        """Show a progress line while the module runs (`show(line, verbosity)` of the action plugin), no_log values
        masked; dropped when nothing shows it."""
        if self._show is not None:
            self._show(remove_values(line, self.no_log_values), verbosity)

    def _finish(self, result):
        result = dict(result)
        self.traceback = result.pop('exception', None)  # for -vvv only: run_in_controller hands it to `debug`
        if self.inject_invocation:  # AnsibleModule does the same, by ansible-core's INJECT_INVOCATION from 2.21 on
            result.setdefault('invocation', {'module_args': copy.deepcopy(self.params)})
        if self._warnings:
            result['warnings'] = list(self._warnings)
        # like AnsibleModule: hide the values of no_log options everywhere, keep booleans and None as they are
        preserved = dict((k, v) for k, v in result.items() if v is None or isinstance(v, bool))
        result = remove_values(result, self.no_log_values)
        result.update(preserved)
        raise ModuleExit(result)

    def exit_json(self, **kwargs):
        kwargs.setdefault('changed', False)
        self._finish(kwargs)

    def fail_json(self, msg, **kwargs):
        kwargs['failed'] = True
        kwargs['msg'] = msg
        self._finish(kwargs)


@contextmanager
def task_environment(environment):
    """The task's `environment:` applied to os.environ for the run (a module process would get it), then undone.

    The worker process runs this one task only, but the previous values are restored anyway."""
    saved = dict((key, os.environ.get(key)) for key in environment)
    try:
        for key, value in environment.items():
            os.environ[key] = '%s' % value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_in_controller(module_class, name, args, check_mode, environment=None, debug=None, show=None, inject_invocation=True):
    """Run one module of this collection here; returns its result dict (as the module process would print it).

    `debug` (display.vvv in the action plugin) receives the traceback of an unexpected error; `show(line, verbosity)`
    the progress lines the module shows while it runs (module_base.EcsModule.progress_hook)."""
    module = None
    try:
        with task_environment(environment or {}):
            module = ControllerModule(name, module_class.full_argument_spec(), args, check_mode=check_mode, show=show,
                                      inject_invocation=inject_invocation, **module_class.module_kwargs)
            module_class(module=module).run()
    except ModuleExit as done:
        if debug is not None and module is not None and module.traceback:
            debug(module.traceback)
        return done.result
    except Exception as exc:  # pylint: disable=broad-except
        if debug is not None:
            debug(traceback.format_exc())
        return dict(failed=True, changed=False, msg='unexpected error in %s: %s: %s' % (name, type(exc).__name__, exc))
    # run() always ends in exit_json or fail_json
    return dict(failed=True, changed=False, msg='%s ended without a result' % name)
