# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/mutation.py (make mutation, docs/testing.md): how survivors are named and where they are looked up."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import mutation  # noqa: E402  pylint: disable=wrong-import-position
sys.path.pop(0)

PREFIX = 'ansible_collections.ecs_ops.compute.plugins.module_utils.'


@pytest.mark.parametrize('mutant, short, path', [
    (PREFIX + u'resize.x__decide_present__mutmut_12', 'resize._decide_present', 'plugins/module_utils/resize.py'),
    (PREFIX + u'operation.x\u01c1NovaActions\u01c1send__mutmut_3', 'operation.NovaActions.send', 'plugins/module_utils/operation.py'),
    (PREFIX + u'wait.x\u01c1PollPolicy\u01c1__init____mutmut_2', 'wait.PollPolicy.__init__', 'plugins/module_utils/wait.py'),
    ('ansible_collections.ecs_ops.compute.plugins.plugin_utils.module_action.x_mask__mutmut_1', 'module_action.mask',
     'plugins/plugin_utils/module_action.py'),
])
def test_a_survivor_is_named_by_module_and_function_and_found_in_its_file(mutant, short, path):
    assert mutation.short_name(mutant) == short
    assert mutation.file_of(short + ':0123456789') == path


def test_every_gated_file_exists_and_the_data_files_are_valid():
    for path in mutation.GATED:
        assert os.path.isfile(os.path.join(ROOT, path)), path
    equivalent, gaps = mutation.known_survivors()
    for key in list(equivalent) + sorted(gaps):
        assert mutation.file_of(key) in mutation.GATED, key
    for entry in mutation.load_yaml('hand_mutants.yml'):
        with open(os.path.join(ROOT, entry['file'])) as handle:
            assert handle.read().count(entry['original']) == 1, entry['name']
        for test in entry['killed_by']:
            assert os.path.isfile(os.path.join(ROOT, test.split('::')[0])), test
    for test in mutation.integration_subset():
        assert os.path.isfile(os.path.join(ROOT, test.split('::')[0])), test


def test_update_gaps_rewrites_only_the_gaps(tmp_path, monkeypatch):
    data = tmp_path / 'survivors.yml'
    data.write_text(u'# head\n\nequivalent:\n  wait.f:1111111111: no input tells them apart\n\ngaps:\n  - resize.g:2222222222\n\n# tail\n')
    monkeypatch.setattr(mutation, 'DATA', str(tmp_path))
    mutation.write_gaps({'resize.h:3333333333', 'batch.k:4444444444'})
    assert mutation.known_survivors() == ({'wait.f:1111111111': 'no input tells them apart'},
                                          {'resize.h:3333333333', 'batch.k:4444444444'})
    assert data.read_text().startswith(u'# head\n') and data.read_text().endswith(u'# tail\n')
    mutation.write_gaps(set())
    assert mutation.known_survivors()[1] == set()


def test_an_equivalent_mutant_needs_its_argument(tmp_path, monkeypatch):
    (tmp_path / 'survivors.yml').write_text(u'equivalent:\n  wait.f:1111111111: ""\ngaps: []\n')
    monkeypatch.setattr(mutation, 'DATA', str(tmp_path))
    with pytest.raises(mutation.MutationError, match='one-line reason'):
        mutation.known_survivors()


def test_a_new_survivor_and_a_stale_entry_fail_the_run():
    survivor = dict(file='plugins/module_utils/wait.py', key='wait.f:1111111111', status='survived', diff='- a\n+ b')
    files = ['plugins/module_utils/wait.py']
    assert mutation.check(files, [survivor], {}, {'wait.f:1111111111'}, [], sampled=False) == []
    problems = mutation.check(files, [survivor], {}, set(), [], sampled=False)
    assert len(problems) == 1 and problems[0].startswith('new surviving mutant wait.f:1111111111')
    problems = mutation.check(files, [], {}, {'wait.f:1111111111'}, [], sampled=False)
    assert len(problems) == 1 and 'no longer survives' in problems[0]
    # a sample does not see every mutant: a listed one it did not run is not stale
    assert mutation.check(files, [], {}, {'wait.f:1111111111'}, [], sampled=True) == []
    # a file that was not run says nothing about its entries
    assert mutation.check(['plugins/module_utils/batch.py'], [], {}, {'wait.f:1111111111'}, [], sampled=False) == []


def test_a_gated_file_below_the_minimum_score_fails_the_full_run_not_a_sample():
    files = ['plugins/module_utils/wait.py', 'plugins/module_utils/fleet.py']
    summary = {'plugins/module_utils/wait.py': {'killed': 89, 'survived': 11},
               'plugins/module_utils/fleet.py': {'killed': 88, 'timeout': 1, 'killed by integration': 1, 'survived': 10}}
    problems = mutation.check(files, [], {}, set(), [], sampled=False, summary=summary)
    assert problems == ['plugins/module_utils/wait.py scores 89.0 %, below the 90 % each gated file must reach: kill its surviving '
                        'mutants with tests (tests/mutation/survivors.yml lists them)']
    assert mutation.check(files, [], {}, set(), [], sampled=True, summary=summary) == []
    # a file that is not gated is reported, not held to the score
    assert mutation.check(['plugins/module_utils/resolve.py'], [], {}, set(), [], sampled=False,
                          summary={'plugins/module_utils/resolve.py': {'killed': 1, 'survived': 9}}) == []
    assert 'plugins/module_utils/fleet.py' in mutation.GATED and mutation.MIN_SCORE == 90.0


def test_changed_files_come_from_the_release_rule_of_test_collection_meta():
    since, changed = mutation.changed_since_release()
    assert since.startswith(('the start', 'release '))
    assert all(path.startswith('plugins/') for path in changed)
