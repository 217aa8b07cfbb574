# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result to the JSON file named by ECS_TEST_RESULTS."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: record_results
type: aggregate
short_description: record task results as JSON for the integration tests
description:
  - Writes a list of task results to the file named by the environment variable E(ECS_TEST_RESULTS).
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._results = []

    def _record(self, outcome, result):
        self._results.append(dict(
            task=result._task.get_name(),
            host=result._host.get_name(),
            outcome=outcome,
            result=result._result,
        ))
        self._flush()

    def _flush(self):
        path = os.environ.get('ECS_TEST_RESULTS')
        if path:
            with open(path, 'w') as handle:
                json.dump(self._results, handle, default=str)

    def v2_runner_on_ok(self, result, *args, **kwargs):
        self._record('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record('ignored' if ignore_errors else 'failed', result)

    def v2_runner_on_skipped(self, result, *args, **kwargs):
        self._record('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._record('unreachable', result)
