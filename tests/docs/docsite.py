# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the docs site tests: the built site, a local HTTP server that records what a browser
asked for, headless Chromium (Debian's package), and reading its screenshots."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import functools
import os
import shutil
import struct
import subprocess
import tempfile
import threading
import zlib

from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DOCS_CACHE = os.path.join(REPO, '.cache', 'docs')
SITE = os.path.join(DOCS_CACHE, 'html')

# Headless, as root, and with nothing that reaches for the (closed) network on its own.
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync',
                  '--disable-default-apps', '--disable-extensions', '--hide-scrollbars', '--mute-audio']


def chromium_binary():
    found = os.environ.get('CHROMIUM') or shutil.which('chromium')
    if not found:
        raise AssertionError("no chromium on PATH: install Debian's package (apt-get install -y chromium; "
                             ".ci/run does) or point CHROMIUM at the binary")
    return found


def chromium(url, *args, **kwargs):
    """Run headless Chromium once on `url` with a new empty profile; returns its stdout."""
    profile = tempfile.mkdtemp(prefix='chromium-profile-')
    try:
        proc = subprocess.run([chromium_binary()] + CHROMIUM_FLAGS + ['--user-data-dir=' + profile] + list(args) + [url],
                              capture_output=True, text=True, timeout=kwargs.get('timeout', 90), check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0:
        raise AssertionError('chromium exited %d on %s:\n%s' % (proc.returncode, url, proc.stderr[-3000:]))
    return proc.stdout


class RecordingServer(object):
    """Serves a directory on 127.0.0.1 (a free port) and records (path, status) of every request."""

    def __init__(self, directory):
        self.requests = []
        self.lock = threading.Lock()
        owner = self

        class Handler(SimpleHTTPRequestHandler):
            def log_request(self, code='-', size='-'):
                with owner.lock:
                    owner.requests.append((self.path, int(getattr(code, 'value', code))))

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Handler, directory=directory))
        self.url = 'http://127.0.0.1:%d/' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def take(self):
        """The requests recorded since the last call."""
        with self.lock:
            found, self.requests = self.requests, []
        return found


class Dom(HTMLParser):
    """What the tests read of a page: ids (with the classes of the element), stylesheets, scripts,
    links, headings and the text of tables, sections and code blocks."""

    VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}

    def __init__(self, text):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.ids = {}
        self.stylesheets = []
        self.scripts = []
        self.links = []
        self.headings = []
        self.tables = []      # text of every <table>, with the ids inside it
        self.sections = {}    # id of a <section> -> its text
        self.pre = []         # text of every <pre>
        self._stack = []
        self._open = []       # [kind, key, text parts, ids]
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get('class') or '').split()
        if attrs.get('id'):
            self.ids[attrs['id']] = classes
            for entry in self._open:
                entry[3].add(attrs['id'])
        if tag == 'link' and 'stylesheet' in (attrs.get('rel') or '').split():
            self.stylesheets.append(attrs.get('href'))
        if tag == 'script' and attrs.get('src'):
            self.scripts.append(attrs['src'])
        if tag == 'a' and attrs.get('href'):
            self.links.append(attrs['href'])
        if tag in self.VOID:
            return
        self._stack.append(tag)
        if tag == 'table':
            self._open.append(['table', tag, [], set(), len(self._stack)])
        elif tag == 'section' and attrs.get('id'):
            self._open.append(['section', attrs['id'], [], set(), len(self._stack)])
        elif tag == 'pre':
            self._open.append(['pre', tag, [], set(), len(self._stack)])
        elif tag in ('h1', 'h2'):
            self._open.append([tag, tag, [], set(), len(self._stack)])

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in self._stack:
            return
        while self._stack:
            depth = len(self._stack)
            while self._open and self._open[-1][4] == depth:
                kind, key, parts, ids, _depth = self._open.pop()
                text = ''.join(parts)
                if kind == 'table':
                    self.tables.append((text, ids))
                elif kind == 'section':
                    self.sections[key] = text
                elif kind == 'pre':
                    self.pre.append(text)
                else:
                    # without the permalink glyph the theme puts after a heading
                    self.headings.append((kind, ' '.join(text.replace(u'\uf0c1', '').replace(u'\xb6', '').split())))
            if self._stack.pop() == tag:
                break

    def handle_data(self, data):
        for entry in self._open:
            entry[2].append(data)

    def anchors(self, prefix):
        """ids of antsibull-docs' option / return value anchors starting with prefix."""
        return {i for i, classes in self.ids.items() if i.startswith(prefix) and 'ansibleOptionAnchor' in classes}


def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    with open(path, 'rb') as handle:
        data = handle.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise AssertionError('%s is not a PNG' % path)
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _comp, _filter, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise AssertionError('%s: unsupported PNG (depth %d, colour type %d, interlace %d)' % (path, depth, colour, interlace))
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(b''.join(idat))
    stride = width * bpp
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        previous = line
    return width, height, rows
