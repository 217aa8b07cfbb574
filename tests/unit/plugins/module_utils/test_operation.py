# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""operation.py: what a request may ask (ResizeRequest)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeOperation, ResizeRequest


@pytest.mark.parametrize('api, state, confirm, problem', [
    ('nova', 'reverted', False, None),
    ('ecs', 'present', True, None),
    ('ecs', 'confirmed', True, 'state=confirmed does not apply'),
    ('ecs', 'reverted', True, 'state=reverted does not apply'),
    ('ecs', 'present', False, 'confirm=false does not apply'),
])
def test_options_that_do_not_fit_the_api(api, state, confirm, problem):
    message = ResizeRequest('web-1', flavor='f', api=api, state=state, confirm=confirm).problem()
    if problem is None:
        assert message is None
    else:
        assert problem in message and 'api=nova' in message


@pytest.mark.parametrize('options, problem', [
    (dict(flavor=''), 'no flavor: state=present needs the target flavor'),
    (dict(flavor='  '), 'no flavor'),
    (dict(flavor=None, state='confirmed'), None),
    (dict(flavor='f', timeout=0), 'timeout must be a positive number of seconds, got 0'),
    (dict(flavor='f', timeout=-5), 'got -5'),
])
def test_flavor_and_timeout(options, problem):
    message = ResizeRequest('web-1', **options).problem()
    assert message is None if problem is None else problem in message


def test_from_params_takes_the_item_over_the_module_options():
    params = dict(server=None, flavor='s6.large.2', state='present', confirm=True, wait=True, timeout=1800,
                  allow_restart=True, api='nova', validate_target='auto', unrelated='x')
    request = ResizeRequest.from_params(params, check_mode=True, item=dict(server='web-1', confirm=False, flavor=None))
    assert (request.server, request.flavor, request.confirm, request.check_mode) == ('web-1', 's6.large.2', False, True)


# -- the loop with api=nova, over a scripted compute API and a fake clock ------------------------------

class Clock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


FLAVORS = {'s6.medium.2': {'id': 's6.medium.2', 'name': 's6.medium.2', 'vcpus': 1, 'ram': 2048, 'disk': 0},
           's6.large.2': {'id': 's6.large.2', 'name': 's6.large.2', 'vcpus': 2, 'ram': 4096, 'disk': 0}}


class ScriptedNova(object):
    """web-1 on s6.medium.2; after the resize POST each read shows the next (status, task, flavor) of `script`
    (the last one repeats); confirmResize moves it to `after_confirm`."""

    def __init__(self, script, after_confirm=('ACTIVE', None, 's6.large.2'), clock=None):
        self.phase = ('ACTIVE', None, 's6.medium.2')
        self.script = list(script)
        self.after_confirm = after_confirm
        self.posts = []
        self.calls = 0
        self.clock = clock
        self.compute_url = 'https://ecs.example.com/v2.1/p1'

    def doc(self):
        status, task, flavor = self.phase
        return {'id': 'srv-1', 'name': 'web-1', 'status': status, 'OS-EXT-STS:task_state': task, 'flavor': {'id': flavor}}

    def get_server(self, server_id):
        self.calls += 1
        if self.posts and self.script:
            self.phase = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return self.doc()

    def list_servers(self, name_regex=None, status=None):
        self.calls += 1
        return [self.doc()]

    def get_flavor(self, flavor_id):
        self.calls += 1
        return FLAVORS.get(flavor_id)

    def ecs_project_id(self):
        return None

    def server_action(self, server_id, body):
        self.calls += 1
        self.posts.append(sorted(body)[0])
        if 'confirmResize' in body:
            self.script = [self.after_confirm]
        return 'req-%d' % len(self.posts)

    def instance_actions(self, server_id):
        return []

    def instance_action(self, server_id, request_id):
        return None


def nova_operation(compute, clock, **options):
    request = ResizeRequest(server='web-1', flavor='s6.large.2', validate_target='never', **options)
    reports = []
    operation = ResizeOperation(compute, request, clock=clock, sleep=clock.sleep, progress=reports.append)
    return operation, reports


RESIZE_SCRIPT = [('RESIZE', 'resize_prep', 's6.medium.2')] * 3 + [('RESIZE', 'resize_migrating', 's6.medium.2')] * 200 + [
    ('RESIZE', 'resize_finish', 's6.large.2'), ('VERIFY_RESIZE', None, 's6.large.2')]


def test_nova_resize_and_confirm_reports_each_phase_and_a_lasting_one_every_minute():
    clock = Clock()
    compute = ScriptedNova(RESIZE_SCRIPT)
    operation, reports = nova_operation(compute, clock)
    result = operation.run()
    assert compute.posts == ['resize', 'confirmResize'] and result['outcome'] == 'resized' and result['changed'] is True
    phases = [r['phase'] for r in reports if not r['still']]
    assert phases == ['ACTIVE', 'RESIZE/resize_prep', 'RESIZE/resize_migrating', 'RESIZE/resize_finish', 'VERIFY_RESIZE', 'ACTIVE']
    still = [r for r in reports if r['still']]
    assert still and all(r['phase'] == 'RESIZE/resize_migrating' for r in still)
    times = [r['elapsed'] for r in reports if r['phase'] == 'RESIZE/resize_migrating']
    assert all(60.0 <= b - a < 70.0 for a, b in zip(times, times[1:]))
    assert all(r['server'] == 'web-1' for r in reports)


def test_nova_confirm_false_leaves_it_pending_with_that_outcome():
    clock = Clock()
    operation, reports = nova_operation(ScriptedNova(RESIZE_SCRIPT[:3] + RESIZE_SCRIPT[-2:]), clock, confirm=False)
    result = operation.run()
    assert result['outcome'] == 'pending' and result['pending_confirmation'] is True
