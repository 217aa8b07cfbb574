#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: health_check
short_description: Wait until many TCP ports and HTTP URLs answer, checking them in parallel
version_added: 1.0.0
description:
  - Checks a list of targets (O(targets)) at the same time, O(concurrency) at a time, each until it is healthy or
    O(timeout) seconds have passed, O(interval) seconds between two attempts.
  - A V(tcp) target is healthy when its port accepts a connection (as M(ansible.builtin.wait_for) with C(port)),
    an V(http) target when a GET of its URL answers with one of its expected status codes (as M(ansible.builtin.uri)
    with C(status_code) in an C(until) loop); a redirect of the GET is followed.
  - Twenty-five targets that each take a minute to come up take about a minute, not twenty-five.
  - The role C(ecs_ops.compute.resize) checks the servers it resized with it, all of a batch at once, before it confirms
    their resizes.
  - The module fails when any target is unhealthy, naming each with what its last attempt showed, and returns
    RV(results) for every target either way.
  - It talks to no cloud API, so it is not in the action group C(group/ecs_ops.compute.ecs) and takes no connection options.
author:
  - ecs_ops maintainers (@ecs-ops)
seealso:
  - module: ansible.builtin.wait_for
    description: Waits for one port.
  - module: ansible.builtin.uri
    description: Calls one URL.
attributes:
  check_mode:
    support: full
    description: The checks only read (connect, GET), so they run in check mode too.
  diff_mode:
    support: none
    description: A check changes nothing, so there is no diff.
options:
  targets:
    description:
      - The targets to check; each needs a unique O(targets[].name).
      - The whole list is checked first; a wrong item fails the task naming every problem, and nothing is checked.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: How the results name this target (a server name, for example).
        type: str
        required: true
      kind:
        description: V(tcp) connect to O(targets[].host) and O(targets[].port); V(http) GET O(targets[].url).
        type: str
        required: true
        choices: [tcp, http]
      host:
        description: Host name or address, for V(tcp).
        type: str
      port:
        description: TCP port, for V(tcp).
        type: int
      url:
        description: The URL to GET, for V(http) (C(http://) or C(https://)).
        type: str
      status:
        description: HTTP status codes that mean healthy, for V(http).
        type: list
        elements: int
        default: [200]
      validate_certs:
        description: Verify the TLS certificate of an C(https://) URL.
        type: bool
        default: true
  timeout:
    description: Seconds each target may take to become healthy before it counts as unhealthy.
    type: int
    default: 300
  interval:
    description: Seconds between two attempts on one target.
    type: float
    default: 5
  concurrency:
    description: How many targets are checked at the same time (at least 1).
    type: int
    default: 25
notes:
  - Each attempt waits at most 10 seconds (or O(interval), when longer) for an answer, never much past O(timeout).
  - When the module runs inside the controller (the local connection), each target's end is shown from C(-v) on as it happens.
'''

EXAMPLES = r'''
- name: Wait until the web servers answer on HTTP and the databases on their port, all at once
  ecs_ops.compute.health_check:
    timeout: 120
    interval: 2
    targets:
      - {name: web-1, kind: http, url: "http://10.0.0.11/health"}
      - {name: web-2, kind: http, url: "https://web-2.example.com/health", status: [200, 204]}
      - {name: db-1, kind: tcp, host: 10.0.0.21, port: 5432}
  register: checked

- name: Check two ports, carry on even when one is down
  ecs_ops.compute.health_check:
    timeout: 30
    targets:
      - {name: app-1, kind: tcp, host: 10.0.0.31, port: 8080}
      - {name: app-2, kind: tcp, host: 10.0.0.32, port: 8080}
  register: checked
  ignore_errors: true

- name: Show the targets that are not healthy
  ansible.builtin.debug:
    msg: "{{ checked.unhealthy }}"
'''

RETURN = r'''
results:
  description: One entry per target, in the order of O(targets).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The target's O(targets[].name).
      returned: always
      type: str
      sample: web-1
    kind:
      description: V(tcp) or V(http).
      returned: always
      type: str
      sample: http
    healthy:
      description: Whether an attempt succeeded within O(timeout).
      returned: always
      type: bool
      sample: true
    msg:
      description: What the successful attempt showed, or the last one when none succeeded.
      returned: always
      type: str
      sample: "http check: http://10.0.0.11/health answered 503, expected 200 (12 attempts in 60 s)"
    attempts:
      description: How many attempts were made.
      returned: always
      type: int
      sample: 3
    elapsed:
      description: Seconds the check of this target took.
      returned: always
      type: float
      sample: 10.042
healthy:
  description: The names of the healthy targets.
  returned: always
  type: list
  elements: str
  sample: [web-1, db-1]
unhealthy:
  description: The names of the unhealthy targets.
  returned: always
  type: list
  elements: str
  sample: [web-2]
elapsed:
  description: Seconds the whole task took.
  returned: always
  type: float
  sample: 61.3
'''

import time
import traceback

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ecs_ops.compute.plugins.module_utils.batch import run_parallel
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError
from ansible_collections.ecs_ops.compute.plugins.module_utils.health import KINDS, PROBES, run_check, summary, targets_of

TARGET_OPTIONS = dict(
    name=dict(type='str', required=True),
    kind=dict(type='str', required=True, choices=list(KINDS)),
    host=dict(type='str'),
    port=dict(type='int'),
    url=dict(type='str'),
    status=dict(type='list', elements='int', default=[200]),
    validate_certs=dict(type='bool', default=True),
)


class HealthCheckModule(object):
    """The module; `module` is the AnsibleModule (or the controller's stand-in, plugin_utils/in_controller.py)."""

    argument_spec = dict(
        targets=dict(type='list', elements='dict', required=True, options=TARGET_OPTIONS),
        timeout=dict(type='int', default=300),
        interval=dict(type='float', default=5.0),
        concurrency=dict(type='int', default=25),
    )
    module_kwargs = {}

    @classmethod
    def full_argument_spec(cls):
        return dict(cls.argument_spec)

    def __init__(self, module=None):
        self.module = module or AnsibleModule(argument_spec=self.full_argument_spec(), supports_check_mode=True)

    def execute(self):
        params = self.module.params
        started = time.monotonic()
        targets = targets_of(params['targets'], params['timeout'], params['interval'], params['concurrency'])
        show = getattr(self.module, 'show_progress', None)

        def check(target):
            result = run_check(target, PROBES[target.kind], params['timeout'], params['interval'])
            if show is not None:
                show('%s: %s' % (target.name, result['msg']), 1)
            return result

        results = run_parallel(check, targets, params['concurrency'])
        for index, result in enumerate(results):
            if isinstance(result, Exception):  # only when the check itself has a bug
                target = targets[index]
                results[index] = dict(name=target.name, kind=target.kind, healthy=False, attempts=0, elapsed=0.0,
                                      msg='%s check: unexpected error: %s: %s' % (target.kind, type(result).__name__, result))
        return dict(
            changed=False,
            results=results,
            healthy=[r['name'] for r in results if r['healthy']],
            unhealthy=[r['name'] for r in results if not r['healthy']],
            elapsed=round(time.monotonic() - started, 3),
            msg=summary(results),
        )

    def run(self):
        try:
            result = self.execute()
        except EcsError as exc:
            self.module.fail_json(msg=exc.message)
        except Exception as exc:  # pylint: disable=broad-except
            self.module.fail_json(msg='unexpected error in health_check: %s: %s' % (type(exc).__name__, exc),
                                  exception=traceback.format_exc())
        else:
            if result['unhealthy']:
                message = result.pop('msg')
                self.module.fail_json(msg=message, **result)
            self.module.exit_json(**result)


def main():
    HealthCheckModule().run()


if __name__ == '__main__':
    main()
