# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal link check of a built HTML site, offline: every href/src of every page that does not name
another host resolves to a file of the site, and its #fragment to an id (or <a name>) in that file.
Links to other hosts (http:, https:, mailto:, ...) are not followed.
Usage: python tests/docs/linkcheck.py SITE_DIR"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

try:
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit
except ImportError:  # pragma: no cover (Python 2 is not a controller Python)
    raise

# (tag, attribute) pairs that load or point at a resource
LINK_ATTRIBUTES = {('a', 'href'), ('link', 'href'), ('script', 'src'), ('img', 'src'), ('iframe', 'src'),
                   ('source', 'src'), ('video', 'src'), ('audio', 'src'), ('embed', 'src'), ('object', 'data'),
                   ('area', 'href')}


class _Page(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.anchors = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get('id'):
            self.anchors.add(attrs['id'])
        if tag == 'a' and attrs.get('name'):
            self.anchors.add(attrs['name'])
        for name, value in attrs.items():
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, value.strip()))

    handle_startendtag = handle_starttag


def parse(path):
    page = _Page()
    with open(path, encoding='utf-8') as handle:
        page.feed(handle.read())
    page.close()
    return page


def check_site(site):
    """Returns (pages, links checked, problems)."""
    site = os.path.realpath(site)
    pages = {}
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            if name.endswith(('.html', '.htm')):
                path = os.path.join(dirpath, name)
                pages[path] = parse(path)
    problems, checked = [], 0
    for path, page in sorted(pages.items()):
        rel_page = os.path.relpath(path, site)
        for tag, url in page.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith('//'):
                continue  # another host, or mailto:/javascript:/data:
            checked += 1
            if parts.path:
                base = site if parts.path.startswith('/') else os.path.dirname(path)
                target = os.path.realpath(os.path.join(base, unquote(parts.path).lstrip('/')))
            else:
                target = path
            if os.path.isdir(target):
                target = os.path.join(target, 'index.html')
            where = '%s: <%s> %s' % (rel_page, tag, url)
            if target != site and not target.startswith(site + os.sep):
                problems.append('%s: points outside the site' % where)
                continue
            if not os.path.isfile(target):
                problems.append('%s: no such file %s' % (where, os.path.relpath(target, site)))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in pages and fragment not in pages[target].anchors:
                problems.append('%s: %s has no anchor #%s' % (where, os.path.relpath(target, site), fragment))
    return len(pages), checked, problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print('usage: linkcheck.py SITE_DIR (an existing directory)', file=sys.stderr)
        return 2
    pages, checked, problems = check_site(argv[0])
    if not pages:
        print('linkcheck: ERROR: no HTML page in %s' % argv[0], file=sys.stderr)
        return 1
    for problem in problems:
        print('linkcheck: BROKEN %s' % problem, file=sys.stderr)
    print('linkcheck: %d pages, %d internal links and resources checked, %d broken' % (pages, checked, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
