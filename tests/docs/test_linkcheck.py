# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The internal link check (tests/docs/linkcheck.py) on small sites written here: it finds what is broken
and passes what is not. Then on the built site (`make docs`)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

import linkcheck
from docsite import SITE

GOOD = {
    'index.html': '<html><head><link rel="stylesheet" href="_static/a.css?v=1"><script src="_static/b.js"></script>'
                  '</head><body><a href="#top" id="top">t</a><a href="guide/page.html#part">p</a>'
                  '<a href="guide/">dir</a><a href="https://example.com/x.html#nothere">ext</a>'
                  '<a href="mailto:a@example.com">m</a><img src="img/logo%20one.png"></body></html>',
    'guide/index.html': '<html><body><a href="../index.html">up</a></body></html>',
    'guide/page.html': '<html><body><h2 id="part">Part</h2><a name="old"></a><a href="../index.html#top">i</a>'
                       '<a href="#old">o</a><a href="/index.html">root</a></body></html>',
    '_static/a.css': 'body {}',
    '_static/b.js': '',
    'img/logo one.png': '',
}


def write(root, files):
    for rel, text in files.items():
        path = os.path.join(str(root), rel)
        if not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
        with open(path, 'w') as handle:
            handle.write(text)
    return str(root)


def test_a_sound_site_passes(tmp_path):
    pages, checked, problems = linkcheck.check_site(write(tmp_path, GOOD))
    assert (pages, problems) == (3, [])
    assert checked == 10  # the two links to other hosts are not counted


@pytest.mark.parametrize('change, expected', [
    ({'_static/a.css': None}, 'index.html: <link> _static/a.css?v=1: no such file _static/a.css'),
    ({'_static/b.js': None}, 'index.html: <script> _static/b.js: no such file'),
    ({'img/logo one.png': None}, 'index.html: <img> img/logo%20one.png: no such file img/logo one.png'),
    ({'guide/index.html': None}, 'index.html: <a> guide/: no such file guide/index.html'),
    ({'guide/page.html': '<html><body><h2 id="other">x</h2></body></html>'},
     'index.html: <a> guide/page.html#part: guide/page.html has no anchor #part'),
    ({'index.html': GOOD['index.html'].replace('id="top"', '')}, 'index.html: <a> #top: index.html has no anchor #top'),
    ({'guide/index.html': '<a href="../../outside.html">x</a>'}, 'guide/index.html: <a> ../../outside.html: points outside the site'),
])
def test_broken_links_are_found(tmp_path, change, expected):
    files = dict(GOOD)
    for rel, text in change.items():
        if text is None:
            del files[rel]
        else:
            files[rel] = text
    _pages, _checked, problems = linkcheck.check_site(write(tmp_path, files))
    assert expected in '\n'.join(problems), problems


def test_main_exit_codes(tmp_path, capsys):
    assert linkcheck.main([write(tmp_path / 'good', GOOD)]) == 0
    broken = dict(GOOD, **{'index.html': GOOD['index.html'] + '<a href="missing.html">x</a>'})
    assert linkcheck.main([write(tmp_path / 'bad', broken)]) == 1
    assert 'BROKEN index.html: <a> missing.html: no such file' in capsys.readouterr().err
    os.makedirs(str(tmp_path / 'empty'))
    assert linkcheck.main([str(tmp_path / 'empty')]) == 1
    assert linkcheck.main([str(tmp_path / 'nowhere')]) == 2


def test_built_site_has_no_broken_internal_link():
    if not os.path.isfile(os.path.join(SITE, 'index.html')):
        pytest.fail('no built site in %s: run `make docs` first' % SITE)
    pages, checked, problems = linkcheck.check_site(SITE)
    assert pages >= 10 and checked > 100
    assert not problems, '\n'.join(problems)
