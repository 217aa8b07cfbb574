# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's documentation parses (Ansible reads its options from it: a YAML slip breaks every inventory
source of the plugin), documents what the plugin reads, and its examples are inventory sources of the plugin."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os

import yaml

from ansible_collections.ecs_ops.compute.plugins.module_utils.inventory import ADDRESS_KINDS, APIS, HOSTNAME_PREFERENCES

PLUGIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'plugins', 'inventory', 'ecs.py')


def doc_strings():
    with open(PLUGIN) as handle:
        tree = ast.parse(handle.read())
    return dict((node.targets[0].id, node.value.value) for node in tree.body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) in ('DOCUMENTATION', 'EXAMPLES'))


def test_documentation_parses_and_every_text_is_a_string():
    doc = yaml.safe_load(doc_strings()['DOCUMENTATION'])
    assert doc['name'] == 'ecs' and doc['version_added'] == '1.0.0'
    texts = doc['description'] + doc['notes'] + [line for option in doc['options'].values() for line in option['description']]
    assert texts and all(isinstance(text, str) for text in texts), [t for t in texts if not isinstance(t, str)]
    assert {'ansible.builtin.constructed', 'ansible.builtin.inventory_cache', 'ecs_ops.compute.connection'} \
        <= set(doc['extends_documentation_fragment'])


def test_documented_choices_are_the_ones_checked():
    options = yaml.safe_load(doc_strings()['DOCUMENTATION'])['options']
    assert options['plugin']['required'] is True and options['plugin']['choices'] == ['ecs_ops.compute.ecs']
    assert tuple(options['api']['choices']) == APIS
    assert tuple(options['hostname_preference']['choices']) == HOSTNAME_PREFERENCES
    assert tuple(options['address_preference']['choices']) == ADDRESS_KINDS == tuple(options['address_preference']['default'])
    assert options['page_size']['default'] == 1000 and options['vars_prefix']['default'] == 'ecs_'


def test_examples_are_sources_of_this_plugin():
    examples = [e for e in yaml.safe_load_all(doc_strings()['EXAMPLES']) if e]
    assert len(examples) >= 4
    for example in examples:
        assert example['plugin'] == 'ecs_ops.compute.ecs', example
