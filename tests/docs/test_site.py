# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The built docs site (`make docs`, .cache/docs/html) as a reader gets it: headless Chromium opens the
index and the ecs_resize page from a local HTTP server, the rendered DOM shows what a reader needs, every
stylesheet and script the pages use loads, and screenshots are kept in .cache/docs/. Then the site is
compared with what `ansible-doc` says from the built and installed tarball."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest
import yaml

from docsite import DOCS_CACHE, REPO, SITE, Dom, RecordingServer, chromium, png_pixels

BIN = os.path.dirname(sys.executable)
MODULE_PAGE = 'collection/ecs_resize_module.html'


def galaxy():
    with open(os.path.join(REPO, 'galaxy.yml')) as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope='module')
def site():
    if not os.path.isfile(os.path.join(SITE, 'index.html')):
        pytest.fail('no built site in %s: run `make docs` first' % SITE)
    return SITE


@pytest.fixture(scope='module')
def server(site):
    with RecordingServer(site) as running:
        yield running


def open_page(server, page, budget_ms=3000):
    """The DOM Chromium rendered for `page` and the requests it made to load it."""
    server.take()
    dom = chromium(server.url + page, '--dump-dom', '--virtual-time-budget=%d' % budget_ms)
    return Dom(dom), server.take()


def assert_resources_loaded(dom, requests, page):
    """Every stylesheet and script of the rendered page is served by the site, was fetched by the
    browser and answered 200; nothing the browser asked for (fonts, images, ...) was missing."""
    failed = [(path, status) for path, status in requests if status >= 400]
    assert not failed, 'the browser could not load %r on %s' % (failed, page)
    fetched = {path.split('?')[0] for path, status in requests if status == 200}
    base = os.path.dirname(page)
    assert dom.stylesheets and dom.scripts, 'no stylesheet or script on %s: %r %r' % (page, dom.stylesheets, dom.scripts)
    for url in dom.stylesheets + dom.scripts:
        assert '://' not in url and not url.startswith('//'), '%s loads %s from another host' % (page, url)
        path = '/' + os.path.normpath(os.path.join(base, url.split('?')[0])).lstrip('/')
        assert path in fetched, '%s references %s, which the browser did not load (%r)' % (page, path, sorted(fetched))


def test_index_as_a_reader_sees_it(server):
    meta = galaxy()
    dom, requests = open_page(server, 'index.html')
    assert ('h1', '%s.%s' % (meta['namespace'], meta['name'])) in dom.headings, dom.headings
    # the page and its navigation reach every part of the site
    linked = {link.split('#')[0] for link in dom.links}
    for target in ('getting-started.html', 'collection/index.html', 'collection/ecs_resize_module.html',
                   'collection/resize_role.html', 'changelog.html'):
        assert target in linked, '%s not linked from the index: %r' % (target, sorted(linked))
    guides = sorted(n[:-3] + '.html' for n in os.listdir(os.path.join(REPO, 'docs')) if n.endswith('.md'))
    for guide in guides:
        assert 'guides/' + guide in linked, 'docs/%s.md is not on the site' % guide[:-5]
    assert 'Collection version %s' % meta['version'] in ' '.join(dom.sections.values())
    assert_resources_loaded(dom, requests, 'index.html')


def test_ecs_resize_page_as_a_reader_sees_it(server):
    dom, requests = open_page(server, MODULE_PAGE)
    assert any(kind == 'h1' and text.startswith('ecs_ops.compute.ecs_resize module') for kind, text in dom.headings), \
        dom.headings
    # the options table, with the two options every task has
    options = [(text, ids) for text, ids in dom.tables if 'parameter-server' in ids]
    assert len(options) == 1, 'no single table holds the server option'
    text, ids = options[0]
    assert {'parameter-server', 'parameter-flavor', 'parameter-state'} <= ids
    assert 'Parameter' in text and 'Comments' in text and 'required' in text
    # examples: YAML tasks calling the module
    assert 'examples' in dom.sections, sorted(dom.sections)
    assert 'ecs_ops.compute.ecs_resize:' in dom.sections['examples'] and 'flavor:' in dom.sections['examples']
    assert any('ecs_ops.compute.ecs_resize:' in block for block in dom.pre)
    # return values, in their own table
    returns = [(text, ids) for text, ids in dom.tables if 'return-server' in ids]
    assert len(returns) == 1, 'no single table holds the return values'
    assert {'return-server', 'return-flavor', 'return-previous_flavor', 'return-rolled_back'} <= returns[0][1]
    assert 'Returned' in returns[0][0] or 'returned' in returns[0][0]
    assert_resources_loaded(dom, requests, MODULE_PAGE)


@pytest.mark.parametrize('page, name', [('index.html', 'index'), (MODULE_PAGE, 'ecs_resize')])
def test_screenshots_show_a_styled_page(server, page, name):
    """Screenshots for people (.cache/docs/<name>.png, 1280x1600) and a small one this test reads: with
    the theme's styles applied the navigation column is dark and the content is light."""
    shot = os.path.join(DOCS_CACHE, '%s.png' % name)
    if os.path.exists(shot):
        os.remove(shot)
    chromium(server.url + page, '--screenshot=' + shot, '--window-size=1280,1600', '--virtual-time-budget=3000')
    width, height = png_size(shot)
    assert (width, height) == (1280, 1600)
    small = os.path.join(DOCS_CACHE, '%s-check.png' % name)
    chromium(server.url + page, '--screenshot=' + small, '--window-size=1024,300', '--virtual-time-budget=3000')
    width, height, rows = png_pixels(small)
    assert (width, height) == (1024, 300)

    def share(x0, x1, y0, y1, test):
        pixels = [rows[y][x] for y in range(y0, y1, 3) for x in range(x0, x1, 3)]
        return sum(1 for p in pixels if test(p)) / float(len(pixels))

    def dark(p):
        return sum(p) < 3 * 110

    def light(p):
        return sum(p) > 3 * 200
    # below the top bar: the navigation column (left, 300 px wide in this theme) and the content (right)
    assert share(5, 290, 150, 295, dark) > 0.6, 'the navigation column is not dark: styles missing?'
    assert share(400, 1000, 150, 295, light) > 0.6, 'the content is not light'


def png_size(path):
    with open(path, 'rb') as handle:
        head = handle.read(24)
    assert head[:8] == b'\x89PNG\r\n\x1a\n', '%s is not a PNG' % path
    return int.from_bytes(head[16:20], 'big'), int.from_bytes(head[20:24], 'big')


# --- the installed tarball, ansible-doc and the site agree ------------------------------------------

@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """The collection built into a tarball and installed from it, as users get it."""
    tmp = tmp_path_factory.mktemp('tarball')
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--force', '--output-path', str(tmp), REPO],
                   check=True, capture_output=True, env=env)
    tarball = [str(tmp / n) for n in os.listdir(str(tmp)) if n.endswith('.tar.gz')]
    assert len(tarball) == 1, tarball
    dest = str(tmp / 'collections')
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--force', '-p', dest, tarball[0]],
                   check=True, capture_output=True, env=env)
    env['ANSIBLE_COLLECTIONS_PATH'] = dest
    return dict(env=env, path=dest, tarball=tarball[0])


def test_installed_tarball_shows_the_version_of_galaxy_yml_and_the_site(installed, site):
    version = str(galaxy()['version'])
    assert installed['tarball'].endswith('ecs_ops-compute-%s.tar.gz' % version)
    out = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', 'ecs_ops.compute', '-p', installed['path'],
                          '--format', 'json'], check=True, capture_output=True, text=True, env=installed['env']).stdout
    listed = {name: info['version'] for paths in json.loads(out).values() for name, info in paths.items()}
    assert listed == {'ecs_ops.compute': version}, listed
    with open(os.path.join(site, 'collection', 'index.html')) as handle:
        assert 'Collection version %s' % version in handle.read()
    with open(os.path.join(site, MODULE_PAGE)) as handle:
        assert '(version %s)' % version in handle.read()


def ansible_doc(installed, kind, name):
    proc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '-t', kind, '--json', name], capture_output=True, text=True,
                          env=installed['env'], check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), (proc.returncode, proc.stderr)
    return json.loads(proc.stdout)[name]


def option_anchors(prefix, options, parents=()):
    """The anchors antsibull-docs gives every option / return value (and alias) of a spec."""
    found = set()
    for key, spec in (options or {}).items():
        for alias in [key] + list(spec.get('aliases') or []):
            found.add(prefix + '/'.join(parents + (alias,)))
        found |= option_anchors(prefix, spec.get('suboptions') or spec.get('options') or spec.get('contains'),
                                parents + (key,))
    return found


def installed_modules(installed):
    base = os.path.join(installed['path'], 'ansible_collections', 'ecs_ops', 'compute', 'plugins', 'modules')
    return sorted(n[:-3] for n in os.listdir(base) if n.endswith('.py') and n != '__init__.py')


def test_module_pages_agree_with_ansible_doc_of_the_installed_tarball(installed, site):
    modules = installed_modules(installed)
    assert 'ecs_resize' in modules, modules
    pages = sorted(n[:-len('_module.html')] for n in os.listdir(os.path.join(site, 'collection')) if n.endswith('_module.html'))
    assert pages == modules, 'site pages %r, installed modules %r: rebuild the site (make docs)' % (pages, modules)
    for module in modules:
        doc = ansible_doc(installed, 'module', 'ecs_ops.compute.' + module)
        with open(os.path.join(site, 'collection', module + '_module.html')) as handle:
            dom = Dom(handle.read())
        title = ' '.join(doc['doc']['short_description'].split())
        assert any(kind == 'h1' and text.endswith(title) for kind, text in dom.headings), (module, title, dom.headings)
        expected = option_anchors('parameter-', doc['doc'].get('options'))
        assert dom.anchors('parameter-') == expected, \
            '%s options, site vs ansible-doc: only on the site %r, only in ansible-doc %r' % (
                module, sorted(dom.anchors('parameter-') - expected), sorted(expected - dom.anchors('parameter-')))
        expected = option_anchors('return-', doc.get('return'))
        assert dom.anchors('return-') == expected, \
            '%s return values, site vs ansible-doc: only on the site %r, only in ansible-doc %r' % (
                module, sorted(dom.anchors('return-') - expected), sorted(expected - dom.anchors('return-')))
        examples = [line.strip() for line in (doc.get('examples') or '').splitlines() if line.strip().startswith('- name:')]
        assert examples and all(example in ' '.join(dom.pre) for example in examples), module


def test_role_page_agrees_with_ansible_doc_of_the_installed_tarball(installed, site):
    roles_dir = os.path.join(installed['path'], 'ansible_collections', 'ecs_ops', 'compute', 'roles')
    roles = sorted(os.listdir(roles_dir))
    assert roles, 'no role installed'
    for role in roles:
        doc = ansible_doc(installed, 'role', 'ecs_ops.compute.' + role)
        with open(os.path.join(site, 'collection', role + '_role.html')) as handle:
            dom = Dom(handle.read())
        expected = set()
        for entry, spec in doc['entry_points'].items():
            expected |= option_anchors('parameter-%s--' % entry, spec.get('options'))
        assert expected and dom.anchors('parameter-') == expected, \
            'role %s, site vs ansible-doc: only on the site %r, only in ansible-doc %r' % (
                role, sorted(dom.anchors('parameter-') - expected), sorted(expected - dom.anchors('parameter-')))
