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


def _core_pin(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        found = re.findall(r'^\s*ansible-core==([0-9][0-9.]*)', handle.read(), re.M)
    assert len(found) == 1, '%s must pin ansible-core==X.Y.Z once' % os.path.join(*parts)
    return found[0]


@pytest.mark.parametrize('name', sorted(NOT_IN_ACTION_GROUP))
def test_modules_outside_the_action_group_take_no_connection_options(name):
    doc = module_doc(name, 'DOCUMENTATION')
    assert 'ecs_ops.compute.connection' not in (doc.get('extends_documentation_fragment') or [])
    assert not {'auth', 'cloud', 'region_name'} & set(doc.get('options') or {})


def test_requires_ansible_is_the_oldest_tested_core():
    runtime = load_yaml('meta', 'runtime.yml')
    # the ansible-core of .venv, on which every stage of `make test` runs
    core = _core_pin('requirements-dev.txt')
    assert runtime['requires_ansible'] == '>=%s.0' % '.'.join(core.split('.')[:2])


def test_readme_support_matrix_names_the_pinned_cores():
    """The full check (scripts/support_matrix.py, stage support-matrix) compares the table with what the
    stages recorded; this one catches a pin bumped without the README at `make units` time."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        readme = handle.read()
    start = readme.index('<!-- support-matrix:')
    rows = [line for line in readme[start:readme.index('<!-- /support-matrix -->')].splitlines() if line.startswith('| ')]
    assert len(rows) == 4, rows
    requires = load_yaml('meta', 'runtime.yml')['requires_ansible']
    expected = [(_core_pin('requirements-dev.txt'), requires),
                (_core_pin('tests', 'sanity', 'requirements-core-latest.txt'), 'the newest'),
                (_core_pin('tests', 'sanity', 'requirements-core-older.txt'), 'older than `requires_ansible`')]
    for row, (core, words) in zip(rows[1:], expected):
        assert row.startswith('| %s' % core) and words in row, (row, core, words)


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
# The rule (README "Development", docs/releasing.md): a change to plugins/ or roles/ since the last
# release comes with a fragment in changelogs/fragments/. "The last release" is the newest version in
# changelogs/changelog.yaml (`releases:`), and "since" means since the commit that added that version
# there (found through git, so the clone needs its history). Before any release every file under
# plugins/ and roles/ is unreleased, so the rule asks for at least one fragment then too.

class FragmentRuleError(Exception):
    """The rule cannot be checked in this clone (a shallow clone without the release commit)."""


def _git_in(root, *args):
    return subprocess.run(['git'] + list(args), cwd=root, capture_output=True, text=True, check=True).stdout


def _version_key(version):
    match = SEMVER.match(str(version))
    if not match:
        raise FragmentRuleError('changelogs/changelog.yaml has a release %r that is not a semantic version' % version)
    # a pre-release sorts before its release
    return tuple(int(match.group(i)) for i in (1, 2, 3)) + (match.group(4) is None, match.group(4) or '')


def _releases(text):
    data = yaml.safe_load(text) or {}
    return set(str(v) for v in (data.get('releases') or {}))


def last_released_version(root):
    """The newest version in changelogs/changelog.yaml of the work tree at `root`, or None."""
    path = os.path.join(root, 'changelogs', 'changelog.yaml')
    if not os.path.isfile(path):
        return None
    with open(path) as handle:
        versions = _releases(handle.read())
    return max(versions, key=_version_key) if versions else None


def _shallow_boundary(root):
    """The commits a shallow clone cut the history at (their parents are missing); empty when not shallow."""
    path = _git_in(root, 'rev-parse', '--git-path', 'shallow').strip()
    path = path if os.path.isabs(path) else os.path.join(root, path)
    if not os.path.isfile(path):
        return set()
    with open(path) as handle:
        return set(handle.read().split())


def release_commit(root, version):
    """The first commit whose changelogs/changelog.yaml records `version`, or None (also when the first
    commit seen is where a shallow clone cut the history: the real one may lie before it)."""
    boundary = _shallow_boundary(root)
    for commit in _git_in(root, 'log', '--reverse', '--format=%H', '--', 'changelogs/changelog.yaml').split():
        if commit in boundary:
            continue
        try:
            text = _git_in(root, 'show', '%s:changelogs/changelog.yaml' % commit)
        except subprocess.CalledProcessError:  # the commit deleted the file
            continue
        if version in _releases(text):
            return commit
    return None


def valid_fragment_problems(root, name, sections):
    """Why the fragment `name` is not a usable fragment ([] when it is)."""
    try:
        with open(os.path.join(root, 'changelogs', 'fragments', name)) as handle:
            fragment = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        return ['%s: not valid YAML (%s)' % (name, str(error).splitlines()[0])]
    if not isinstance(fragment, dict) or not fragment:
        return ['%s: empty, or not a mapping of sections to entries' % name]
    problems = []
    for section, entries in fragment.items():
        if section not in sections:
            problems.append('%s: unknown section %r (known: %s)' % (name, section, ', '.join(sorted(sections))))
        elif section == 'release_summary':
            if not isinstance(entries, str) or not entries.strip():
                problems.append('%s: release_summary must be a non-empty string' % name)
        elif not isinstance(entries, list) or not entries or \
                not all(isinstance(e, str) and e.strip() for e in entries):
            problems.append('%s: %s must be a non-empty list of non-empty strings' % (name, section))
    return problems


def fragment_rule(root):
    """Check the fragment rule in the git work tree at `root`.
    Returns (since, changed, problems): what "since" means, the files under plugins/ and roles/ changed
    since then, and every problem found (an empty list when the rule holds)."""
    config_path = os.path.join(root, 'changelogs', 'config.yaml')
    with open(config_path) as handle:
        config = yaml.safe_load(handle)
    sections = {s[0] for s in config['sections']} | {config['prelude_section_name'], config['trivial_section_name']}
    version = last_released_version(root)
    if version is None:
        since = 'the start (no release in changelogs/changelog.yaml yet)'
        changed = set(_git_in(root, 'ls-files', '-co', '--exclude-standard', '--', 'plugins', 'roles').split())
    else:
        commit = release_commit(root, version)
        if commit is None:
            if _shallow_boundary(root):
                raise FragmentRuleError(
                    'changelogs/changelog.yaml records release %s, but the commit that recorded it is not in this '
                    'shallow clone: fetch the whole history (git fetch --unshallow) to check the changelog '
                    'fragment rule' % version)
            try:
                committed = _releases(_git_in(root, 'show', 'HEAD:changelogs/changelog.yaml'))
            except subprocess.CalledProcessError:
                committed = set()
            if version in committed:
                raise FragmentRuleError('release %s is in HEAD\'s changelogs/changelog.yaml, yet no commit adds it' % version)
            commit = 'HEAD'  # the release is being cut in this work tree and is not committed yet
        since = 'release %s (commit %s)' % (version, commit[:12])
        changed = set(_git_in(root, 'diff', '--name-only', commit, '--', 'plugins', 'roles').split())
        changed |= set(_git_in(root, 'ls-files', '--others', '--exclude-standard', '--', 'plugins', 'roles').split())
    fragments_dir = os.path.join(root, 'changelogs', 'fragments')
    names = sorted(n for n in os.listdir(fragments_dir) if n.endswith(('.yml', '.yaml'))) \
        if os.path.isdir(fragments_dir) else []
    problems, usable = [], []
    for name in names:
        found = valid_fragment_problems(root, name, sections)
        problems.extend(found)
        if not found:
            with open(os.path.join(fragments_dir, name)) as handle:
                if set(yaml.safe_load(handle)) - {'release_summary'}:
                    usable.append(name)
    if changed and not usable:
        problems.append('plugins/ or roles/ changed since %s (%s%s) but changelogs/fragments/ holds no fragment '
                        'describing a change: add changelogs/fragments/<short-name>.yml (docs/releasing.md)'
                        % (since, ', '.join(sorted(changed)[:5]), ', ...' if len(changed) > 5 else ''))
    return since, changed, problems


def _in_git_work_tree(root):
    try:
        return _git_in(root, 'rev-parse', '--show-toplevel').strip() == os.path.realpath(root)
    except (subprocess.CalledProcessError, OSError):
        return False


def test_changelog_fragment_when_content_changed_since_last_release():
    """The rule on this repository (docs/releasing.md)."""
    if not _in_git_work_tree(ROOT):
        # An installed collection (tests/ ships in the tarball) has no history to compare with;
        # anywhere else a missing work tree is an error, not a reason to pass.
        assert os.path.isfile(os.path.join(ROOT, 'MANIFEST.json')), \
            '%s is neither a git work tree nor an installed collection: cannot check the fragment rule' % ROOT
        pytest.skip('installed collection: no git history to check the changelog fragment rule against')
    try:
        _since, _changed, problems = fragment_rule(ROOT)
    except FragmentRuleError as error:
        pytest.fail(str(error))
    assert not problems, '\n'.join(problems)


def test_changelog_fragments_are_well_formed():
    """Each fragment is a non-empty mapping of known sections to non-empty lists of strings
    (antsibull-changelog lint checks the RST too; this gives the same answer without the tool)."""
    config = load_yaml('changelogs', 'config.yaml')
    sections = {s[0] for s in config['sections']} | {config['prelude_section_name'], config['trivial_section_name']}
    names = sorted(n for n in os.listdir(FRAGMENTS_DIR) if n.endswith(('.yml', '.yaml'))) \
        if os.path.isdir(FRAGMENTS_DIR) else []
    problems = [p for name in names for p in valid_fragment_problems(ROOT, name, sections)]
    assert not problems, '\n'.join(problems)


# --- the fragment rule itself, on small throw-away repositories -----------------------------------

GIT_ENV = dict(GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@example.invalid', GIT_COMMITTER_NAME='t',
               GIT_COMMITTER_EMAIL='t@example.invalid', GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM='1')


class Repo(object):
    """A tiny collection in a git repository: changelogs/config.yaml (the real one), a module, a role."""

    def __init__(self, path):
        self.path = str(path)
        os.makedirs(os.path.join(self.path, 'changelogs', 'fragments'))
        with open(os.path.join(ROOT, 'changelogs', 'config.yaml')) as handle:
            self.write('changelogs/config.yaml', handle.read())
        self.write('changelogs/changelog.yaml', 'ancestor: null\nreleases: {}\n')
        self.write('plugins/modules/thing.py', '# a module\n')
        self.write('roles/r/tasks/main.yml', '---\n[]\n')
        self.write('docs/guide.md', '# Guide\n')
        self.git('init', '-q', '-b', 'main')
        self.commit('start')

    def write(self, rel, text):
        path = os.path.join(self.path, rel)
        if not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
        with open(path, 'w') as handle:
            handle.write(text)

    def remove(self, rel):
        os.remove(os.path.join(self.path, rel))

    def git(self, *args):
        env = dict(os.environ, **GIT_ENV)
        return subprocess.run(['git'] + list(args), cwd=self.path, env=env, capture_output=True, text=True,
                              check=True).stdout

    def commit(self, message):
        self.git('add', '-A')
        self.git('commit', '-q', '--allow-empty', '-m', message)

    def release(self, version, consume_fragments=True):
        """What antsibull-changelog release leaves behind: the version in changelog.yaml, fragments gone."""
        self.write('changelogs/changelog.yaml', 'ancestor: null\nreleases:\n  %s:\n    changes:\n      '
                   'release_summary: First.\n    release_date: "2026-01-01"\n' % version)
        if consume_fragments:
            for name in os.listdir(os.path.join(self.path, 'changelogs', 'fragments')):
                self.remove('changelogs/fragments/' + name)

    def rule(self):
        return fragment_rule(self.path)


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path / 'collection')


def test_rule_before_any_release_needs_a_fragment(repo):
    since, changed, problems = repo.rule()
    assert 'no release' in since
    assert changed == {'plugins/modules/thing.py', 'roles/r/tasks/main.yml'}
    assert len(problems) == 1 and 'holds no fragment' in problems[0], problems
    repo.write('changelogs/fragments/summary.yml', 'release_summary: Hello.\n')
    assert repo.rule()[2], 'a release_summary alone describes no change'
    repo.write('changelogs/fragments/thing.yml', 'minor_changes:\n  - thing - new.\n')
    assert repo.rule()[2] == []


def test_rule_after_a_release_with_and_without_fragment(repo):
    repo.write('changelogs/fragments/thing.yml', 'minor_changes:\n  - thing - new.\n')
    repo.commit('work')
    repo.release('1.0.0')
    repo.commit('Release 1.0.0')
    release = repo.git('rev-parse', 'HEAD').strip()
    since, changed, problems = repo.rule()
    assert since == 'release 1.0.0 (commit %s)' % release[:12]
    assert (changed, problems) == (set(), [])
    # a change outside plugins/ and roles/ needs no fragment
    repo.write('docs/guide.md', '# Guide\n\nMore.\n')
    repo.commit('docs')
    assert repo.rule()[1:] == (set(), [])
    # a committed plugin change without a fragment breaks the rule
    repo.write('plugins/modules/thing.py', '# a module, changed\n')
    repo.commit('change')
    since, changed, problems = repo.rule()
    assert changed == {'plugins/modules/thing.py'}
    assert len(problems) == 1 and 'since release 1.0.0' in problems[0] and 'plugins/modules/thing.py' in problems[0]
    # ... and a fragment mends it
    repo.write('changelogs/fragments/change.yml', 'bugfixes:\n  - thing - fixed.\n')
    assert repo.rule()[2] == []


@pytest.mark.parametrize('text, expected', [
    ('', 'empty'),
    ('bugfixes: []\n', 'non-empty list'),
    ('bugfixes:\n  - ""\n', 'non-empty list'),
    ('bugfixes: fixed it\n', 'non-empty list'),
    ('fixes:\n  - thing - fixed.\n', "unknown section 'fixes'"),
    ('bugfixes:\n  - [unclosed\n', 'not valid YAML'),
])
def test_rule_rejects_bad_fragments(repo, text, expected):
    repo.release('1.0.0')
    repo.commit('Release 1.0.0')
    repo.write('roles/r/tasks/main.yml', '---\n- name: New\n  ansible.builtin.debug:\n')
    repo.write('changelogs/fragments/bad.yml', text)
    problems = repo.rule()[2]
    assert any(expected in p for p in problems), problems
    assert any('holds no fragment' in p for p in problems), problems


def test_rule_counts_uncommitted_and_untracked_changes(repo):
    repo.release('1.0.0')
    repo.commit('Release 1.0.0')
    repo.write('plugins/modules/other.py', '# new, not added to git\n')
    assert repo.rule()[1] == {'plugins/modules/other.py'}
    repo.remove('plugins/modules/other.py')
    repo.remove('plugins/modules/thing.py')  # a deletion is a change too
    assert repo.rule()[1] == {'plugins/modules/thing.py'}


def test_rule_keys_on_the_newest_release_in_changelog_yaml(repo):
    repo.release('1.0.0')
    repo.commit('Release 1.0.0')
    repo.write('plugins/modules/thing.py', '# changed after 1.0.0\n')
    repo.write('changelogs/fragments/change.yml', 'bugfixes:\n  - thing - fixed.\n')
    repo.commit('fix')
    # 1.0.1 is recorded but not committed yet (a release being cut): compared with HEAD, nothing changed
    repo.write('changelogs/changelog.yaml', 'ancestor: null\nreleases:\n  1.0.0: {release_date: "2026-01-01"}\n'
               '  1.0.1: {release_date: "2026-02-01"}\n  1.0.0-rc1: {release_date: "2025-12-01"}\n')
    repo.remove('changelogs/fragments/change.yml')
    assert last_released_version(repo.path) == '1.0.1'
    since, changed, problems = repo.rule()
    assert (since, changed, problems) == ('release 1.0.1 (commit HEAD)', set(), [])
    repo.commit('Release 1.0.1')
    repo.write('roles/r/tasks/main.yml', '---\n- name: After 1.0.1\n  ansible.builtin.debug:\n')
    since, changed, problems = repo.rule()
    assert since.startswith('release 1.0.1 (commit ') and 'HEAD' not in since
    assert changed == {'roles/r/tasks/main.yml'} and problems


def test_rule_in_a_shallow_clone_without_the_release_commit_fails_clearly(repo, tmp_path):
    repo.release('1.0.0')
    repo.commit('Release 1.0.0')
    repo.write('plugins/modules/thing.py', '# changed\n')
    repo.commit('change 1')
    repo.write('changelogs/fragments/change.yml', 'bugfixes:\n  - thing - fixed.\n')
    repo.commit('change 2')
    shallow = str(tmp_path / 'shallow')
    subprocess.run(['git', 'clone', '-q', '--depth', '1', 'file://' + repo.path, shallow], check=True,
                   env=dict(os.environ, **GIT_ENV))
    with pytest.raises(FragmentRuleError, match=r'release 1\.0\.0.*shallow clone.*git fetch --unshallow'):
        fragment_rule(shallow)
    # the full clone answers
    full = str(tmp_path / 'full')
    subprocess.run(['git', 'clone', '-q', 'file://' + repo.path, full], check=True, env=dict(os.environ, **GIT_ENV))
    assert fragment_rule(full)[1:] == ({'plugins/modules/thing.py'}, [])
