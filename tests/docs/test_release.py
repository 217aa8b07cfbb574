# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make release VERSION=x.y.z` (scripts/release.sh, docs/releasing.md) on a throw-away clone of this
repository: what it refuses, what a release leaves behind, and the fragment rule keyed on it afterwards."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from docsite import REPO

BIN = os.path.dirname(sys.executable)
GIT_ENV = dict(GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@example.invalid', GIT_COMMITTER_NAME='t',
               GIT_COMMITTER_EMAIL='t@example.invalid', GIT_CONFIG_NOSYSTEM='1')
CHANGE = 'ecs_resize - a change described for the release test.'
SUMMARY = 'The next release, as the release test cuts it.'


def _released():
    """The releases recorded on this work tree's changelogs/changelog.yaml, oldest first."""
    with open(os.path.join(REPO, 'changelogs', 'changelog.yaml')) as handle:
        releases = (yaml.safe_load(handle) or {}).get('releases') or {}
    return sorted(map(str, releases), key=lambda v: tuple(int(part) for part in v.split('-')[0].split('.')))


RELEASED = _released()
# the version the test cuts: the first release, or the minor release after the last one
NEXT = '1.0.0' if not RELEASED else '%s.%d.0' % (RELEASED[-1].split('.')[0], int(RELEASED[-1].split('.')[1]) + 1)


class Clone(object):
    def __init__(self, path):
        self.path = str(path)
        subprocess.run(['git', 'clone', '-q', '--no-hardlinks', REPO, self.path], check=True, env=self.env())
        # work on the files as they are now in the work tree (committed or not), with the history of HEAD
        listed = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'], cwd=REPO, capture_output=True,
                                check=True).stdout.decode('utf-8').split('\0')
        for rel in filter(None, listed):
            source = os.path.join(REPO, rel)
            if os.path.isfile(source) and not os.path.islink(source):
                target = os.path.join(self.path, rel)
                if not os.path.isdir(os.path.dirname(target)):
                    os.makedirs(os.path.dirname(target))
                shutil.copy2(source, target)
        for rel in subprocess.run(['git', 'ls-files', '--deleted'], cwd=REPO, capture_output=True, text=True,
                                  check=True).stdout.split():
            if os.path.exists(os.path.join(self.path, rel)):
                os.remove(os.path.join(self.path, rel))
        self.commit('the work tree as it is')

    def env(self, **extra):
        env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get('PATH', ''), **GIT_ENV)
        env.pop('ANSIBLE_COLLECTIONS_PATH', None)
        env.update(extra)
        return env

    def git(self, *args):
        return subprocess.run(['git'] + list(args), cwd=self.path, env=self.env(), capture_output=True, text=True,
                              check=True).stdout

    def commit(self, message):
        self.git('add', '-A')
        self.git('commit', '-q', '--allow-empty', '-m', message)

    def write(self, rel, text):
        with open(os.path.join(self.path, rel), 'w') as handle:
            handle.write(text)

    def read(self, rel):
        with open(os.path.join(self.path, rel)) as handle:
            return handle.read()

    def fragments(self, **files):
        """Replace every fragment by `files` (name -> YAML text)."""
        base = os.path.join(self.path, 'changelogs', 'fragments')
        for name in os.listdir(base):
            os.remove(os.path.join(base, name))
        for name, text in files.items():
            self.write('changelogs/fragments/' + name, text)

    def set_version_added(self, version):
        """Every plugin's DOCUMENTATION says version_added: `version`."""
        base = os.path.join(self.path, 'plugins')
        for kind in os.listdir(base):
            for name in os.listdir(os.path.join(base, kind)) if os.path.isdir(os.path.join(base, kind)) else []:
                rel = os.path.join('plugins', kind, name)
                if name.endswith('.py') and 'DOCUMENTATION' in self.read(rel):
                    self.write(rel, re.sub(r'^version_added: .*$', 'version_added: %s' % version, self.read(rel),
                                           count=1, flags=re.M))

    def release(self, version):
        # the collection's own venv tools, this clone's files
        return subprocess.run(['bash', 'scripts/release.sh', version], cwd=self.path, capture_output=True, text=True,
                              env=self.env(VENV_BIN=BIN), check=False)

    def fragment_rule(self):
        return subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                               'tests/unit/test_collection_meta.py', '-k', 'fragment_when_content_changed'],
                              cwd=self.path, capture_output=True, text=True, env=self.env(), check=False)


@pytest.fixture(scope='module')
def clone(tmp_path_factory):
    return Clone(tmp_path_factory.mktemp('release') / 'compute')


def test_release_refuses_what_is_inconsistent(clone):
    assert 'no version: make release VERSION=x.y.z' in clone.release('').stderr
    assert 'is not a semantic version' in clone.release('1.0').stderr
    clone.fragments(**{'change.yml': 'minor_changes:\n  - %s\n' % CHANGE})
    clone.commit('fragments for the test')
    assert 'exactly one fragment must hold the release_summary (found 0' in clone.release(NEXT).stderr
    clone.fragments(**{'change.yml': 'minor_changes:\n  - ecs_resize - new option O(api).\n',
                       'summary.yml': 'release_summary: %s\n' % SUMMARY})
    clone.commit('markup')
    refused = clone.release(NEXT)
    assert refused.returncode != 0 and 'CHANGELOG.rst would show raw' in refused.stderr and 'O(api)' in refused.stderr
    clone.fragments(**{'summary.yml': 'release_summary: %s\n' % SUMMARY})
    clone.commit('summary only')
    assert 'describes no change: nothing to release' in clone.release(NEXT).stderr
    clone.fragments(**{'change.yml': 'minor_changes:\n  - %s\n' % CHANGE, 'summary.yml': 'release_summary: %s\n' % SUMMARY})
    clone.set_version_added('0.5.0')
    clone.commit('plugins added in a version never released')
    refused = clone.release(NEXT)
    assert "version_added names no release" in refused.stderr and "plugins/modules/ecs_resize.py: version_added '0.5.0'" \
        in refused.stderr, refused.stderr
    clone.set_version_added(NEXT)
    clone.write('galaxy.yml', clone.read('galaxy.yml') + '# not committed\n')
    assert 'have changes that are not committed' in clone.release(NEXT).stderr
    clone.commit('ready')
    # nothing was changed by the refusals
    assert clone.git('status', '--porcelain') == ''


def test_release_cuts_it_and_the_fragment_rule_keys_on_it(clone):
    done = clone.release(NEXT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'release: %s is cut in the work tree' % NEXT in done.stdout
    assert yaml.safe_load(clone.read('galaxy.yml'))['version'] == NEXT
    releases = yaml.safe_load(clone.read('changelogs/changelog.yaml'))['releases']
    assert sorted(map(str, releases)) == sorted(RELEASED + [NEXT])
    assert releases[NEXT]['changes'] == {'release_summary': SUMMARY, 'minor_changes': [CHANGE]}
    changelog = clone.read('CHANGELOG.rst')
    assert '\nv%s\n%s\n' % (NEXT, '=' * (len(NEXT) + 1)) in changelog and SUMMARY in changelog and CHANGE in changelog
    # the plugins whose version_added is the new version are listed as new in it
    assert 'New Modules' in changelog and 'ecs_ops.compute.ecs_resize - ' in changelog
    assert sorted(os.listdir(os.path.join(clone.path, 'changelogs', 'fragments'))) == ['.keep']
    clone.commit('Release ' + NEXT)
    # a second release of the same version, or an older one, is refused
    for version in (NEXT, RELEASED[-1] if RELEASED else '0.9.0'):
        refused = clone.release(version)
        assert 'is not newer than the release(s)' in refused.stderr and NEXT in refused.stderr, refused.stderr
    # the fragment rule now compares with the release commit: nothing changed since, it passes
    rule = clone.fragment_rule()
    assert rule.returncode == 0, rule.stdout
    # a plugin change without a fragment breaks it, naming the release
    clone.write('plugins/modules/ecs_resize.py', clone.read('plugins/modules/ecs_resize.py') + '\n# changed\n')
    clone.commit('a change without fragment')
    rule = clone.fragment_rule()
    assert rule.returncode == 1 and 'changed since release %s' % NEXT in rule.stdout, rule.stdout
    clone.write('changelogs/fragments/fix.yml', 'bugfixes:\n  - ecs_resize - fixed.\n')
    rule = clone.fragment_rule()
    assert rule.returncode == 0, rule.stdout


def test_released_tarball_carries_the_version(clone, tmp_path):
    out = str(tmp_path / 'build')
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', out, clone.path],
                   check=True, capture_output=True, env=clone.env())
    assert os.listdir(out) == ['ecs_ops-compute-%s.tar.gz' % NEXT]
