# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""operation.py: what a request may ask (ResizeRequest)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeRequest


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
