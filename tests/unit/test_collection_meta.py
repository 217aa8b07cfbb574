# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Consistency of the collection's metadata: action group, galaxy.yml, runtime.yml, module docs,
role README vs argument specs, and the changelog fragment rule. No network, no ansible run."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import re
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES_DIR = os.path.join(ROOT, 'plugins', 'modules')
ROLES_DIR = os.path.join(ROOT, 'roles')
FRAGMENTS_DIR = os.path.join(ROOT, 'changelogs', 'fragments')
# Galaxy's fixed tag list, of which ansible-lint's production profile wants at least one.
GALAXY_STANDARD_TAGS = {'application', 'cloud', 'database', 'infrastructure', 'linux', 'monitoring',
                        'networking', 'security', 'storage', 'tools', 'windows'}
SEMVER = re.compile(r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$')


def load_yaml(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return yaml.safe_load(handle)


def module_names():
    return sorted(os.path.splitext(name)[0] for name in os.listdir(MODULES_DIR)
                  if name.endswith('.py') and name != '__init__.py') if os.path.isdir(MODULES_DIR) else []


def module_doc(name, variable):
    """The YAML of DOCUMENTATION / EXAMPLES / RETURN of a module, read without importing it."""
    with open(os.path.join(MODULES_DIR, name + '.py')) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == variable for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError('%s has no %s' % (name, variable))


def role_names():
    return sorted(name for name in os.listdir(ROLES_DIR)
                  if os.path.isdir(os.path.join(ROLES_DIR, name))) if os.path.isdir(ROLES_DIR) else []


# --- meta/runtime.yml ---------------------------------------------------------------------------

# Modules that talk to no cloud: outside the action group, whose module_defaults carry connection options they do not take.
NOT_IN_ACTION_GROUP = {'health_check'}


def test_action_group_matches_modules():
    runtime = load_yaml('meta', 'runtime.yml')
    group = (runtime.get('action_groups') or {}).get('ecs') or []
    entries = [e for e in group if isinstance(e, str)]  # a {metadata: ...} entry may extend other groups
    assert len(entries) == len(set(entries)), 'duplicate entries in action_groups.ecs: %r' % entries
    modules = [name for name in module_names() if name not in NOT_IN_ACTION_GROUP]
    missing = sorted(set(modules) - set(entries))
    unknown = sorted(set(entries) - set(modules))
    assert not missing, 'modules not in meta/runtime.yml action_groups.ecs: %r' % missing
    assert not unknown, 'action_groups.ecs entries without plugins/modules/<name>.py: %r' % unknown


@pytest.mark.parametrize('name', sorted(NOT_IN_ACTION_GROUP))
def test_modules_outside_the_action_group_take_no_connection_options(name):
    doc = module_doc(name, 'DOCUMENTATION')
    assert 'ecs_ops.compute.connection' not in (doc.get('extends_documentation_fragment') or [])
    assert not {'auth', 'cloud', 'region_name'} & set(doc.get('options') or {})


def test_requires_ansible_is_the_oldest_tested_core():
    runtime = load_yaml('meta', 'runtime.yml')
    # 2.19 is the ansible-core that `make sanity` (and every other stage) runs with on Python 3.11.
    assert runtime['requires_ansible'] == '>=2.19.0'


# --- galaxy.yml -----------------------------------------------------------------------------------

def test_galaxy_metadata():
    galaxy = load_yaml('galaxy.yml')
    assert galaxy['namespace'] == 'ecs_ops'
    assert galaxy['name'] == 'compute'
    assert SEMVER.match(str(galaxy['version'])), galaxy['version']
    assert galaxy['license'] == ['GPL-3.0-or-later']
    assert not galaxy.get('license_file'), 'license and license_file exclude each other'
    tags = galaxy['tags']
    assert {'cloud', 'infrastructure'} <= set(tags)
    assert set(tags) & GALAXY_STANDARD_TAGS
    for tag in tags:
        assert re.match(r'^[a-z][a-z0-9_]{0,63}$', tag), 'Galaxy rejects the tag %r' % tag
    for key in ('repository', 'documentation', 'issues', 'homepage'):
        assert str(galaxy.get(key, '')).startswith('https://'), key
    assert galaxy['readme'] == 'README.md'


def test_galaxy_build_ignores_what_is_not_content():
    ignored = set(load_yaml('galaxy.yml')['build_ignore'])
    for pattern in ('.venv', '.cache', '.ci', 'tests/output', 'bench-results.json', 'scripts', 'Makefile'):
        assert pattern in ignored, pattern
    # content that users (and ansible-builder's introspection) need must not be ignored
    for path in ('requirements.txt', 'bindep.txt', 'meta', 'plugins', 'roles', 'tests', 'changelogs'):
        assert path not in ignored, path


def test_execution_environment_dependencies_exist():
    ee = load_yaml('meta', 'execution-environment.yml')
    assert ee['version'] == 3
    # relative to the collection root, as ansible-builder's introspection reads them
    for key in ('python', 'system'):
        assert os.path.isfile(os.path.join(ROOT, ee['dependencies'][key])), ee['dependencies'][key]


# --- module documentation -------------------------------------------------------------------------

@pytest.mark.parametrize('name', module_names())
def test_module_docs_complete(name):
    doc = module_doc(name, 'DOCUMENTATION')
    assert doc['module'] == name
    assert 'version_added' in doc, '%s: DOCUMENTATION needs version_added' % name
    examples = module_doc(name, 'EXAMPLES')
    assert isinstance(examples, list) and examples, '%s: EXAMPLES must be a non-empty task list' % name

    def walk(returns, prefix):
        for key, spec in (returns or {}).items():
            path = prefix + key
            assert 'description' in spec, '%s: RETURN %s has no description' % (name, path)
            assert 'returned' in spec, '%s: RETURN %s has no returned' % (name, path)
            if 'contains' in spec:
                walk(spec['contains'], path + '.')
            else:
                assert 'sample' in spec, '%s: RETURN %s has no sample' % (name, path)

    walk(module_doc(name, 'RETURN'), '')


# --- roles: README.md and meta/argument_specs.yml in sync -----------------------------------------

def _role_options(role):
    specs = load_yaml('roles', role, 'meta', 'argument_specs.yml')['argument_specs']
    options = {}
    for entry_point in specs.values():
        options.update(entry_point.get('options') or {})
    return options


def _role_task_text(role):
    text = []
    for sub in ('tasks', 'handlers', 'vars', 'templates'):
        base = os.path.join(ROLES_DIR, role, sub)
        for dirpath, _dirnames, filenames in os.walk(base):
            for filename in filenames:
                with open(os.path.join(dirpath, filename)) as handle:
                    text.append(handle.read())
    return '\n'.join(text)


@pytest.mark.parametrize('role', role_names())
def test_role_readme_and_argument_specs_in_sync(role):
    readme_path = os.path.join(ROLES_DIR, role, 'README.md')
    specs_path = os.path.join(ROLES_DIR, role, 'meta', 'argument_specs.yml')
    assert os.path.isfile(specs_path), 'roles/%s needs meta/argument_specs.yml' % role
    assert os.path.isfile(readme_path), 'roles/%s needs README.md (Galaxy rejects a role without one)' % role
    with open(readme_path) as handle:
        readme = handle.read()
    options = _role_options(role)
    undocumented = sorted(name for name in options if not re.search(r'\b%s\b' % re.escape(name), readme))
    assert not undocumented, 'roles/%s/README.md does not describe: %r' % (role, undocumented)
    for name, spec in options.items():
        for sub in (spec.get('options') or {}):
            assert re.search(r'\b%s\b' % re.escape(sub), readme), \
                'roles/%s/README.md does not describe %s.%s' % (role, name, sub)
    # Every role variable the README names is declared, or is something the role sets (a fact).
    prefix = 'ecs_%s_' % role
    named = set(re.findall(r'\b(%s[a-z0-9_]+)\b' % re.escape(prefix), readme))
    set_by_role = set(re.findall(r'\b(%s[a-z0-9_]+)\b' % re.escape(prefix), _role_task_text(role)))
    unknown = sorted(named - set(options) - set_by_role)
    assert not unknown, 'roles/%s/README.md names variables that do not exist: %r' % (role, unknown)


@pytest.mark.parametrize('role', role_names())
def test_role_defaults_declared_in_argument_specs(role):
    defaults_path = os.path.join(ROLES_DIR, role, 'defaults', 'main.yml')
    if not os.path.isfile(defaults_path):
        pytest.skip('roles/%s has no defaults' % role)
    defaults = load_yaml('roles', role, 'defaults', 'main.yml') or {}
    options = _role_options(role)
    undeclared = sorted(set(defaults) - set(options))
    assert not undeclared, 'roles/%s/defaults/main.yml variables not in argument_specs: %r' % (role, undeclared)
    differ = sorted(name for name, value in defaults.items()
                    if 'default' in options[name] and options[name]['default'] != value)
    assert not differ, 'roles/%s: defaults/main.yml and argument_specs defaults differ for %r' % (role, differ)


# --- changelog fragments --------------------------------------------------------------------------

def _git(*args):
    return subprocess.run(['git'] + list(args), cwd=ROOT, capture_output=True, text=True, check=True).stdout


def last_release_tag():
    """The newest tag that names a version (1.2.3 or v1.2.3), or None."""
    try:
        tags = _git('tag', '--list', '--merged', 'HEAD', '--sort=-v:refname').split()
    except subprocess.CalledProcessError:  # no commit yet
        return None
    for tag in tags:
        if SEMVER.match(tag[1:] if tag.startswith('v') else tag):
            return tag
    return None


def test_changelog_fragment_when_content_changed_since_last_release():
    """The rule (README, docs/releasing.md): a change to plugins/ or roles/ after the last release
    tag comes with a fragment in changelogs/fragments/. Before the first tag, everything is new
    and the 0.1.0 release summary covers it, so the rule starts with the first release."""
    if not os.path.isdir(os.path.join(ROOT, '.git')):
        pytest.skip('not a git work tree (installed collection)')
    tag = last_release_tag()
    if tag is None:
        return
    changed = set(_git('diff', '--name-only', tag, '--', 'plugins', 'roles').split())
    changed |= set(_git('ls-files', '--others', '--exclude-standard', '--', 'plugins', 'roles').split())
    if not changed:
        return
    fragments = [f for f in os.listdir(FRAGMENTS_DIR) if f.endswith(('.yml', '.yaml'))] \
        if os.path.isdir(FRAGMENTS_DIR) else []
    assert fragments, ('plugins/ or roles/ changed since %s (%s) but changelogs/fragments/ is empty: '
                       'add a fragment (docs/releasing.md)' % (tag, ', '.join(sorted(changed)[:5])))


def test_changelog_fragments_are_well_formed():
    """Each fragment is a mapping of known sections to lists of strings (antsibull-changelog lint
    checks the RST too; this gives the same answer without the tool)."""
    config = load_yaml('changelogs', 'config.yaml')
    sections = {s[0] for s in config['sections']} | {config['prelude_section_name'], config['trivial_section_name']}
    if not os.path.isdir(FRAGMENTS_DIR):
        return
    for name in sorted(os.listdir(FRAGMENTS_DIR)):
        if not name.endswith(('.yml', '.yaml')):
            continue
        fragment = load_yaml('changelogs', 'fragments', name)
        assert isinstance(fragment, dict) and fragment, '%s: not a mapping' % name
        for section, entries in fragment.items():
            assert section in sections, '%s: unknown section %r' % (name, section)
            if section == config['prelude_section_name']:
                assert isinstance(entries, str), '%s: %s must be a string' % (name, section)
            else:
                assert isinstance(entries, list) and all(isinstance(e, str) for e in entries), \
                    '%s: %s must be a list of strings' % (name, section)
