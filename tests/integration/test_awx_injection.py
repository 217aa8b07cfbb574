# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX injection the runner tests rely on behaves as AWX's (awx_injection.py cites the code it follows)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

import pytest
import yaml

from awx_injection import inject_custom, inject_openstack


def test_builtin_openstack_file_is_awx_output(tmp_path):
    env, path = inject_openstack({'host': 'https://iam.example.com/v3', 'username': 'u', 'password': 'p: w', 'project': 'eu-de',
                                  'domain': 'OTC-1', 'project_domain_name': '', 'region': 'eu-de'}, str(tmp_path))
    assert env == {'OS_CLIENT_CONFIG_FILE': path}
    assert os.path.dirname(path) == str(tmp_path / 'env') and '.' not in os.path.basename(path)  # mkstemp: no suffix
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        text = handle.read()
    # yaml.safe_dump sorts keys; an empty project_domain_name is left out (has_input); verify defaults to true
    assert text == ('clouds:\n  devstack:\n    auth:\n      auth_url: https://iam.example.com/v3\n      domain_name: OTC-1\n'
                    "      password: 'p: w'\n      project_name: eu-de\n      username: u\n    region_name: eu-de\n    verify: true\n")


def test_custom_injectors_file_env_and_extra_vars(tmp_path):
    ctype = {
        'inputs': {'fields': [{'id': 'name', 'type': 'string'}, {'id': 'secret', 'type': 'string', 'secret': True},
                              {'id': 'flag', 'type': 'boolean'}, {'id': 'empty', 'type': 'string'}]},
        'injectors': {
            'file': {'template.one': 'one {{ name }}', 'template.two': 'two {{ secret }} {{ flag }}'},
            'env': {'ONE_FILE': '{{ tower.filename.one }}', 'EMPTY': '{{ empty | default("none") }}'},
            'extra_vars': {'two_file': '{{ tower.filename.two }}', '{{ name }}_key': ['{{ flag }}']},
        },
    }
    env, args = inject_custom(ctype, {'name': 'n', 'secret': 's', 'empty': ''}, str(tmp_path))
    with open(env['ONE_FILE']) as handle:
        assert handle.read() == 'one n'
    assert env['EMPTY'] == 'none'  # an empty input is not in the namespace
    assert args[0] == '-e' and args[1].startswith('@')
    with open(args[1][1:]) as handle:
        text = handle.read()
    assert '!unsafe' in text  # AWX marks every string of the extra vars file
    extra = yaml.load(text.replace('!unsafe ', ''), Loader=yaml.SafeLoader)
    with open(extra['two_file']) as handle:
        assert handle.read() == 'two s False'  # a boolean left out is false
    assert extra['n_key'] == ['False']


def test_single_file_template_and_refused_variables(tmp_path):
    env, dummy = inject_custom({'injectors': {'file': {'template': 'x'}, 'env': {'CFG': '{{ tower.filename }}'}}}, {}, str(tmp_path))
    assert os.path.isfile(env['CFG'])
    for name in ('ANSIBLE_CONFIG', 'PATH', 'JOB_ID'):
        with pytest.raises(ValueError, match=name):
            inject_custom({'injectors': {'env': {name: 'x'}}}, {}, str(tmp_path))
