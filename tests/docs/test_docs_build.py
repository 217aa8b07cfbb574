# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Markdown handling of scripts/docs.py: links between repository files made to work on the site,
README's Development section left out, and the local intersphinx inventory."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys
import zlib

import pytest

from docsite import REPO

sys.path.insert(0, os.path.join(REPO, 'scripts'))
import docs  # noqa: E402 pylint: disable=wrong-import-position,import-error

PAGES = {'README.md': 'getting-started.md', 'docs/performance.md': 'guides/performance.md',
         'docs/releasing.md': 'guides/releasing.md'}
REPOSITORY = 'https://github.com/ecs-ops/compute'


@pytest.mark.parametrize('source, text, expected', [
    ('README.md', 'see [perf](docs/performance.md).', 'see [perf](guides/performance.md).'),
    ('README.md', '[r](docs/releasing.md#cutting-a-release)', '[r](guides/releasing.md#cutting-a-release)'),
    ('docs/performance.md', '[back](../README.md)', '[back](../getting-started.md)'),
    ('docs/performance.md', '[rel](releasing.md)', '[rel](releasing.md)'),
    ('docs/performance.md', '[findings](../tests/nova/FINDINGS.md#x)',
     '[findings](https://github.com/ecs-ops/compute/blob/main/tests/nova/FINDINGS.md#x)'),
    ('README.md', '[role](roles/resize/README.md)', '[role](https://github.com/ecs-ops/compute/blob/main/roles/resize/README.md)'),
    ('README.md', '![shot](docs/shot.png)', '![shot](https://github.com/ecs-ops/compute/blob/main/docs/shot.png)'),
    ('README.md', '[ext](https://example.com/a.md) [here](#the-two-commands) [m](mailto:a@b)',
     '[ext](https://example.com/a.md) [here](#the-two-commands) [m](mailto:a@b)'),
])
def test_links_are_rewritten_for_the_site(source, text, expected):
    assert docs.rewrite_links(text, source, PAGES, REPOSITORY) == expected


def test_readme_development_section_is_left_out():
    text = ('# Title\n\nintro\n\n## Usage\n\nuse it\n\n```console\n## Development (in a code block)\n```\n\n'
            '## Development\n\nhow we work\n\n### Detail\n\nmore\n\n## After\n\nkept\n')
    out = docs.drop_sections(text, {'Development'})
    assert 'how we work' not in out and 'more' not in out
    assert '## Usage' in out and 'use it' in out and '## After' in out and 'kept' in out
    assert '## Development (in a code block)' in out


def test_local_inventory_maps_labels_and_builtin_plugins(tmp_path, monkeypatch):
    rst = tmp_path / 'rst' / 'collection'
    rst.mkdir(parents=True)
    (rst / 'x_role.rst').write_text(u':ref:`ansible.builtin.uri <ansible_collections.ansible.builtin.uri_module>`')
    monkeypatch.setattr(docs, 'RST', str(tmp_path / 'rst'))
    inventory = str(tmp_path / 'objects.inv')
    docs.write_inventory(inventory)
    with open(inventory, 'rb') as handle:
        data = handle.read()
    header, _sep, body = data.partition(b'zlib.\n')
    assert header.startswith(b'# Sphinx inventory version 2')
    lines = zlib.decompress(body).decode('utf-8').splitlines()
    assert 'ansible_collections.ansible.builtin.uri_module std:label -1 collections/ansible/builtin/uri_module.html ' \
           'ansible.builtin.uri module' in lines
    assert any(line.startswith('common_return_values std:label -1 reference_appendices/') for line in lines)


def test_local_inventory_maps_the_core_environment_variables_pages_name(tmp_path, monkeypatch):
    """An inventory plugin's cache options name ansible-core's own variables (ANSIBLE_CACHE_PLUGIN, ...), which the
    collection's environment_variables page does not define: they point to Ansible's configuration page."""
    rst = tmp_path / 'rst' / 'collection'
    rst.mkdir(parents=True)
    (rst / 'ecs_inventory.rst').write_text(u'- Environment variable: :envvar:`ANSIBLE\\_CACHE\\_PLUGIN`\n'
                                           u'- Environment variable: :envvar:`ANSIBLE\\_INVENTORY\\_CACHE`\n')
    (rst / 'environment_variables.rst').write_text(u'.. envvar:: ANSIBLE_INVENTORY_CACHE\n\n    Cache.\n')
    monkeypatch.setattr(docs, 'RST', str(tmp_path / 'rst'))
    inventory = str(tmp_path / 'objects.inv')
    docs.write_inventory(inventory)
    with open(inventory, 'rb') as handle:
        lines = zlib.decompress(handle.read().partition(b'zlib.\n')[2]).decode('utf-8').splitlines()
    assert 'ANSIBLE_CACHE_PLUGIN std:envvar -1 reference_appendices/config.html#envvar-ANSIBLE_CACHE_PLUGIN -' in lines
    assert not [line for line in lines if line.startswith('ANSIBLE_INVENTORY_CACHE ')]  # defined on the site itself
