# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: the argument spec, the connection to the cloud, the one exit."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import resolve_credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError
from ansible_collections.ecs_ops.compute.plugins.module_utils.progress import progress_line, shown_at
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


class EcsModule(object):
    """Base of the modules: subclasses set `argument_spec` (and `module_kwargs`) and implement `execute()`, which
    returns the result dict or raises an EcsError. `run()` is the entry point and the only place that exits.

    `module` is the AnsibleModule to use; the action plugins pass a stand-in with the same interface when they
    run the module inside the controller (plugin_utils/in_controller.py).
    """

    argument_spec = {}
    module_kwargs = {}

    @classmethod
    def full_argument_spec(cls):
        spec = connection_argument_spec()
        spec.update(cls.argument_spec)
        return spec

    def __init__(self, module=None):
        self.module = module or AnsibleModule(argument_spec=self.full_argument_spec(), supports_check_mode=True,
                                              **self.module_kwargs)
        self._compute = None

    @property
    def params(self):
        return self.module.params

    def connect(self):
        """A new ComputeApi for the module's connection options (raises CredentialsError when they do not work)."""
        credentials = resolve_credentials(self.params)
        if credentials.verify is False and self._compute is None:
            self.module.warn('TLS certificate verification is off (validate_certs=false): '
                             'the connection to the cloud can be intercepted')
        return ComputeApi(credentials)

    @property
    def compute(self):
        """The module's ComputeApi, made on first use."""
        if self._compute is None:
            self._compute = self.connect()
        return self._compute

    def progress_hook(self):
        """The `progress` callback for operation.ResizeOperation: None in check mode (nothing is waited for).

        Inside the controller each line goes to the module's stand-in (`show_progress`, which the action plugin
        turns into a display line while the task runs). A module process cannot show anything while it runs
        (Ansible reads its output once, when it ends), so there the lines go to the target's system log
        (AnsibleModule.log: journal or syslog, unless no_target_syslog)."""
        if self.module.check_mode:
            return None
        show = getattr(self.module, 'show_progress', None)

        def progress(event):
            line = progress_line(event)
            if show is not None:
                show(line, shown_at(event))
            else:
                self.module.log(line)
        return progress

    def execute(self):
        raise NotImplementedError

    def run(self):
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        try:
            result = self.execute()
        except EcsError as exc:
            result = dict(exc.result or {})
            result.setdefault('changed', False)
            result.pop('msg', None)
            self.module.fail_json(msg=exc.message, **result)
        except Exception as exc:  # pylint: disable=broad-except
            # a bug of ours: one sentence for the user, the traceback for -vvv
            self.module.fail_json(msg='unexpected error in %s: %s: %s' % (self.module._name, type(exc).__name__, exc),
                                  exception=traceback.format_exc())
        finally:
            if self._compute is not None:
                self._compute.close()
        self.module.exit_json(**result)
