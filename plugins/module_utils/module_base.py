# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: the argument spec, the client, the error handling."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.ecs_ops.compute.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ComputeClient
from ansible_collections.ecs_ops.compute.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import CredentialsError, resolve_credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError


class EcsModule(object):
    """Base of the modules: subclasses set `argument_spec` and implement `execute()` returning the result dict.

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
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        self._client = None

    @property
    def params(self):
        return self.module.params

    @property
    def client(self):
        if self._client is None:
            try:
                credentials = resolve_credentials(self.params)
            except CredentialsError as exc:
                self.module.fail_json(msg='%s' % exc)
            if credentials.verify is False:
                self.module.warn('TLS certificate verification is off (validate_certs=false): '
                                 'the connection to the cloud can be intercepted')
            self._client = ComputeClient(credentials)
        return self._client

    def execute(self):
        raise NotImplementedError

    def run(self):
        try:
            result = self.execute()
        except EcsError as exc:
            result = dict(exc.details.get('result') or {})
            result.setdefault('changed', False)
            result.pop('msg', None)
            self.module.fail_json(msg=exc.message, **result)
        except Exception as exc:  # pylint: disable=broad-except
            # a bug of ours: one sentence for the user, the traceback for -vvv
            self.module.fail_json(msg='unexpected error in %s: %s: %s' % (self.module._name, type(exc).__name__, exc),
                                  exception=traceback.format_exc())
        self.module.exit_json(**result)
