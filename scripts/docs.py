#!/usr/bin/env python
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make docs`: the collection's documentation site, built offline with warnings as errors.

  .cache/docs/src/conf.py          antsibull-docs sphinx-init, plus our settings (conf_extra below)
  .cache/docs/src/rst/index.rst    the root page (written here)
  .cache/docs/src/rst/collection/  antsibull-docs collection: every plugin, the roles (argument specs),
                                   the environment variables; from the collection as it is on disk
  .cache/docs/src/rst/getting-started.md   README.md without its "Development" section
  .cache/docs/src/rst/guides/*.md  docs/*.md (every file, by glob), rendered by MyST
  .cache/docs/src/rst/changelog.rst   CHANGELOG.rst; before the first release a preview of what
                                   `antsibull-changelog release` would write, made in a scratch copy
  .cache/docs/html                 sphinx-build -W --keep-going (nitpicky), then the internal link check

Nothing is fetched: intersphinx reads a small local inventory (written here) that maps the few labels
of docs.ansible.com that antsibull-docs' pages refer to; an unknown reference still fails the build.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, '.cache', 'docs')
SRC = os.path.join(CACHE, 'src')
RST = os.path.join(SRC, 'rst')
HTML = os.path.join(CACHE, 'html')
DOCTREES = os.path.join(CACHE, 'doctrees')
BIN = os.path.dirname(sys.executable)
COLLECTION = 'ecs_ops.compute'
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'

# Labels of the Ansible documentation that antsibull-docs' generated pages reference, and where they
# live there. A reference to a label neither here nor in the site fails the build (nitpicky + -W).
ANSIBLE_LABELS = {
    'action_plugins': ('plugins/action.html#action-plugins', 'Action plugins'),
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values',
                             'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
    'playbooks_delegation': ('playbook_guide/playbooks_delegation.html#playbooks-delegation',
                             'Controlling where tasks run'),
    'check_mode_dry': ('playbook_guide/playbooks_checkmode.html#check-mode-dry', 'Check mode'),
    'module_defaults': ('playbook_guide/playbooks_module_defaults.html#module-defaults', 'Module defaults'),
}
# ansible.builtin plugins referenced with O()/M()-markup: ansible_collections.ansible.builtin.<name>_<type>
BUILTIN = re.compile(r'ansible_collections\.ansible\.builtin\.([a-z0-9_]+)_(module|lookup|filter|test|connection|'
                     r'callback|become|inventory|vars|cache|shell|strategy|plugin)')

CONF_EXTRA = '''
# --- ecs_ops.compute: scripts/docs.py appends this --------------------------------------------------
extensions.append('myst_parser')
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
root_doc = 'index'
# offline: no inventory is fetched; the local one maps the labels of docs.ansible.com we refer to
intersphinx_mapping = {'ansible_devel': (%(ansible_docs)r, %(inventory)r)}
myst_heading_anchors = 3
myst_enable_extensions = ['deflist']
html_theme_options = {
    'collapse_navigation': False, 'navigation_depth': 3, 'show_extranav': False, 'show_rtd_ethical_ads': False,
    'documentation_home_url': %(home)r,
    'topbar_links': {'Repository': %(repository)r, 'Issues': %(issues)r},
}
html_last_updated_fmt = None
'''

ROOT_INDEX = '''.. _docsite_root_index:

%(title)s
%(underline)s

%(description)s

Collection version %(version)s; ansible-core %(requires)s.

%(plugins)s

The pages below: how to start, the reference of every module and role, the guides, and the changelog.

.. toctree::
   :maxdepth: 1
   :caption: Getting started

   getting-started

.. toctree::
   :maxdepth: 2
   :caption: Reference

   collection/index
   collection/environment_variables

.. toctree::
   :maxdepth: 1
   :caption: Guides
   :glob:

   guides/*

.. toctree::
   :maxdepth: 1
   :caption: Changelog

   changelog
'''

PREVIEW_NOTE = '''
.. note::

   No release has been cut yet. This is what ``antsibull-changelog release`` would write for
   version %s from the fragments in ``changelogs/fragments/`` today (see the releasing guide).

'''


class BuildError(Exception):
    pass


def log(message):
    print('docs: %s' % message, flush=True)


def run(cmd, cwd=None, env=None, quiet=False):
    started = time.time()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not quiet:
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
    if proc.returncode != 0:
        raise BuildError('%s failed (exit %d)' % (' '.join(os.path.basename(c) if i == 0 else c
                                                           for i, c in enumerate(cmd[:3])), proc.returncode))
    return proc, time.time() - started


def galaxy():
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        return yaml.safe_load(handle)


def ansible_env():
    env = dict(os.environ)
    env['PATH'] = BIN + os.pathsep + env.get('PATH', '')
    env.setdefault('ANSIBLE_COLLECTIONS_PATH', os.path.join(ROOT, '.cache', 'collections'))
    env['ANSIBLE_NOCOLOR'] = '1'
    link = os.path.join(env['ANSIBLE_COLLECTIONS_PATH'].split(os.pathsep)[0], 'ansible_collections', 'ecs_ops', 'compute')
    if not os.path.isdir(link) or os.path.realpath(link) != os.path.realpath(ROOT):
        raise BuildError('%s does not point at this checkout: run `make collection` (or `make docs`)' % link)
    return env


def private_dir(path):
    """A fresh directory only its owner may write to (antsibull-docs refuses anything else)."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)
    os.chmod(path, 0o700)


# --- sources -------------------------------------------------------------------------------------

def write_inventory(path):
    """A Sphinx objects.inv (version 2) with ANSIBLE_LABELS, the ansible.builtin plugins we refer to, and the
    environment variables of ansible-core's own settings that pages name (an inventory plugin's cache options:
    ANSIBLE_CACHE_PLUGIN, ...), which the collection's environment_variables page does not define."""
    labels = dict(ANSIBLE_LABELS)
    named, defined = set(), set()
    for dirpath, _dirs, files in os.walk(os.path.join(RST, 'collection')):
        for name in files:
            with open(os.path.join(dirpath, name)) as handle:
                text = handle.read()
            for match in BUILTIN.finditer(text):
                plugin, kind = match.groups()
                uri = 'collections/ansible/builtin/%s_%s.html' % (plugin, kind)
                labels[match.group(0)] = (uri, 'ansible.builtin.%s %s' % (plugin, kind))
            named.update(v.replace('\\_', '_') for v in ENVVAR_REF.findall(text))
            defined.update(ENVVAR_DEF.findall(text))
    lines = ['%s std:label -1 %s %s' % (label, uri, title) for label, (uri, title) in sorted(labels.items())]
    lines += ['%s std:envvar -1 reference_appendices/config.html#envvar-%s -' % (var, var) for var in sorted(named - defined)]
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n').encode('utf-8')
    with open(path, 'wb') as handle:
        handle.write(header + zlib.compress(('\n'.join(lines) + '\n').encode('utf-8')))


ENVVAR_REF = re.compile(r':envvar:`([^`<]+)`')
ENVVAR_DEF = re.compile(r'^\.\. envvar:: (\S+)$', re.M)
MD_LINK = re.compile(r'(!?\[[^\]]*\]\()([^)\s]+)(\))')


def rewrite_links(text, source_rel, pages, repository):
    """Relative Markdown links of a repository file, made to work on the site: to another page of the
    site when the target is rendered there, else to the file in the repository."""
    def fix(match):
        target = match.group(2)
        if re.match(r'^[a-z][a-z0-9+.-]*:', target) or target.startswith('#'):
            return match.group(0)
        path, _sep, anchor = target.partition('#')
        rel = os.path.normpath(os.path.join(os.path.dirname(source_rel), path))
        if rel in pages:
            here = os.path.dirname(pages[source_rel])
            new = os.path.relpath(pages[rel], here) + ('#' + anchor if anchor else '')
        else:
            new = '%s/blob/main/%s%s' % (repository.rstrip('/'), rel, '#' + anchor if anchor else '')
        return match.group(1) + new + match.group(3)
    return MD_LINK.sub(fix, text)


def drop_sections(text, titles):
    """Markdown without the `## title` sections named (up to the next heading of that level or higher)."""
    out, skipping = [], False
    in_fence = False
    for line in text.splitlines(True):
        if line.startswith('```'):
            in_fence = not in_fence
        if not in_fence:
            heading = re.match(r'^(#{1,2}) (.*)$', line)
            if heading:
                skipping = len(heading.group(1)) == 2 and heading.group(2).strip() in titles
        if not skipping:
            out.append(line)
    return ''.join(out)


def write_markdown_pages(repository):
    guides = sorted(name for name in os.listdir(os.path.join(ROOT, 'docs')) if name.endswith('.md'))
    if not guides:
        raise BuildError('docs/ has no *.md guide')
    pages = {'README.md': 'getting-started.md'}
    pages.update(('docs/' + name, 'guides/' + name) for name in guides)
    os.makedirs(os.path.join(RST, 'guides'))
    for source, page in sorted(pages.items()):
        with open(os.path.join(ROOT, source)) as handle:
            text = handle.read()
        if source == 'README.md':
            text = drop_sections(text, {'Development'})
            text = re.sub(r'\A# .*', '# Getting started', text, count=1)
        text = rewrite_links(text, source, pages, repository)
        with open(os.path.join(RST, page), 'w') as handle:
            handle.write(text)
    log('pages from Markdown: getting-started (README.md), guides: %s' % ', '.join(guides))


def copy_tree(dest):
    """What git sees of the work tree (tracked + untracked, not ignored), with .git, at dest."""
    files = subprocess.run(['git', 'ls-files', '-z', '-co', '--exclude-standard'], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode('utf-8').split('\0')
    for rel in files:
        if rel and os.path.lexists(os.path.join(ROOT, rel)):
            target = os.path.join(dest, rel)
            if not os.path.isdir(os.path.dirname(target)):
                os.makedirs(os.path.dirname(target))
            shutil.copy2(os.path.join(ROOT, rel), target, follow_symlinks=False)


def write_changelog(version, env):
    target = os.path.join(RST, 'changelog.rst')
    released = os.path.join(ROOT, 'CHANGELOG.rst')
    with open(os.path.join(ROOT, 'changelogs', 'changelog.yaml')) as handle:
        releases = (yaml.safe_load(handle) or {}).get('releases') or {}
    if releases:
        if not os.path.isfile(released):
            raise BuildError('changelogs/changelog.yaml has releases but CHANGELOG.rst is missing: '
                             'run antsibull-changelog generate')
        shutil.copy(released, target)
        log('changelog: CHANGELOG.rst (releases %s)' % ', '.join(sorted(releases)))
        return
    # No release yet: release in a scratch copy laid out as ansible_collections/ecs_ops/compute.
    scratch = tempfile.mkdtemp(prefix='docs-changelog-')
    try:
        copy = os.path.join(scratch, 'ansible_collections', 'ecs_ops', 'compute')
        copy_tree(copy)
        run([os.path.join(BIN, 'antsibull-changelog'), 'release', '--version', version,
             '--date', datetime.date.today().isoformat()], cwd=copy, env=env, quiet=True)
        with open(os.path.join(copy, 'CHANGELOG.rst')) as handle:
            text = handle.read()
    finally:
        shutil.rmtree(scratch)
    title = re.search(r'^(=+\n)?(.+)\n=+\n', text, re.M)
    if not title:
        raise BuildError('antsibull-changelog wrote a CHANGELOG.rst without a title')
    text = text[:title.end()] + PREVIEW_NOTE % version + text[title.end():]
    with open(target, 'w') as handle:
        handle.write(text)
    log('changelog: preview of release %s from %d fragments' % (
        version, len([n for n in os.listdir(os.path.join(ROOT, 'changelogs', 'fragments'))
                      if n.endswith(('.yml', '.yaml'))])))


def build():
    started = time.time()
    env = ansible_env()
    meta = galaxy()
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        requires = yaml.safe_load(handle)['requires_ansible']
    version = str(meta['version'])
    title = '%s.%s' % (meta['namespace'], meta['name'])
    private_dir(SRC)
    antsibull = os.path.join(BIN, 'antsibull-docs')
    _proc, secs = run([antsibull, 'sphinx-init', '--use-current', '--squash-hierarchy', '--fail-on-error',
                       '--no-add-antsibull-docs-version', '--dest-dir', SRC,
                       '--project', title, '--copyright', ', '.join(meta['authors']),
                       '--title', '%s documentation' % title, '--html-short-title', title,
                       COLLECTION], env=env, quiet=True)
    log('antsibull-docs sphinx-init: %.1f s' % secs)
    collection_rst = os.path.join(RST, 'collection')
    private_dir(collection_rst)
    _proc, secs = run([antsibull, '--config-file', os.path.join(SRC, 'antsibull-docs.cfg'), 'collection',
                       '--use-current', '--squash-hierarchy', '--fail-on-error', '--no-add-antsibull-docs-version',
                       '--dest-dir', collection_rst, COLLECTION], env=env, quiet=True)
    pages = sorted(os.path.splitext(n)[0] for n in os.listdir(collection_rst) if n.endswith('.rst'))
    log('antsibull-docs collection: %.1f s, %d pages: %s' % (secs, len(pages), ', '.join(pages)))
    # every plugin and role, as the collection's own index lists them (name -- short description)
    with open(os.path.join(collection_rst, 'index.rst')) as handle:
        plugins = [line.rstrip() for line in handle if line.startswith('* :ansplugin:')]
    if not plugins:
        raise BuildError('the collection index of antsibull-docs lists no plugin (its format changed?)')
    with open(os.path.join(RST, 'index.rst'), 'w') as handle:
        handle.write(ROOT_INDEX % dict(title=title, underline='=' * len(title), description=meta['description'],
                                       version=version, requires=requires, plugins='\n'.join(plugins)))
    write_markdown_pages(meta['repository'])
    write_changelog(version, env)
    inventory = os.path.join(SRC, 'ansible_devel.inv')
    write_inventory(inventory)
    with open(os.path.join(SRC, 'conf.py'), 'a') as handle:
        handle.write(CONF_EXTRA % dict(ansible_docs=ANSIBLE_DOCS, inventory=inventory, home=meta['documentation'],
                                       repository=meta['repository'], issues=meta['issues']))
    if os.path.isdir(HTML):
        shutil.rmtree(HTML)
    _proc, secs = run([os.path.join(BIN, 'sphinx-build'), '-b', 'html', '-W', '--keep-going', '-q', '-n',
                       '-d', DOCTREES, '-c', SRC, RST, HTML], env=env)
    log('sphinx-build -W: %.1f s, %d HTML pages' % (
        secs, sum(len([f for f in files if f.endswith('.html')]) for _d, _s, files in os.walk(HTML))))
    log('site built in %.1f s: %s' % (time.time() - started, os.path.join(HTML, 'index.html')))


def main():
    try:
        build()
    except BuildError as error:
        print('docs: ERROR: %s' % error, file=sys.stderr)
        return 1
    sys.path.insert(0, os.path.join(ROOT, 'tests', 'docs'))
    import linkcheck  # pylint: disable=import-error,import-outside-toplevel
    return linkcheck.main([HTML])


if __name__ == '__main__':
    sys.exit(main())
