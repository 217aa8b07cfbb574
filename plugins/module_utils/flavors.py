# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Flavor references and flavor comparison. Pure: no HTTP here."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from urllib.parse import urlsplit, unquote
except ImportError:  # pragma: no cover - Python 2 is not supported, but keep the import test quiet
    from urlparse import urlsplit  # type: ignore
    from urllib import unquote  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.documents import int_of, text_of


class FlavorRef(object):
    """What the user asked for: an id or name, or a flavor URI (reduced to its last path segment)."""

    def __init__(self, value, uri_host=None, is_uri=False):
        self.value = value
        self.uri_host = uri_host
        self.is_uri = is_uri

    @classmethod
    def parse(cls, text):
        text = (text or '').strip()
        if '://' in text:
            parts = urlsplit(text)
            segments = [s for s in parts.path.split('/') if s]
            if not parts.netloc or len(segments) < 2 or segments[-2] != 'flavors':
                raise ValueError('flavor URI %r does not end in /flavors/<id>' % text)
            return cls(unquote(segments[-1]), uri_host=parts.netloc.lower(), is_uri=True)
        return cls(text)

    def __repr__(self):
        return 'FlavorRef(%r)' % self.value


class Flavor(object):
    """A flavor as the flavors API describes it (id known) or as a server embeds it (2.47+: no id)."""

    def __init__(self, id=None, name=None, vcpus=None, ram=None, disk=None):
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.ram = ram
        self.disk = disk

    @classmethod
    def from_api(cls, doc):
        """From a flavors API document ({"id", "name", "vcpus", "ram", "disk"})."""
        doc = doc if isinstance(doc, dict) else {}
        return cls(text_of(doc.get('id')), text_of(doc.get('name')),
                   int_of(doc.get('vcpus')), int_of(doc.get('ram')), int_of(doc.get('disk')))

    @property
    def known(self):
        return bool(self.id or self.name)

    def as_dict(self):
        return dict(id=self.id, name=self.name, vcpus=self.vcpus, ram=self.ram, disk=self.disk)

    def describe(self):
        label = self.name or self.id or 'unknown flavor'
        if self.vcpus is not None and self.ram is not None:
            label += ' (%s vCPU, %s MiB)' % (self.vcpus, self.ram)
        return label

    def merged_with(self, other):
        """This flavor with the blanks filled from `other` (for example an id from the flavors API)."""
        if other is None:
            return self
        return Flavor(*[getattr(self, k) if getattr(self, k) is not None else getattr(other, k)
                        for k in ('id', 'name', 'vcpus', 'ram', 'disk')])

    def __eq__(self, other):
        return isinstance(other, Flavor) and self.as_dict() == other.as_dict()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(tuple(sorted(self.as_dict().items())))

    def __repr__(self):
        return 'Flavor(%r)' % self.as_dict()


def server_flavor(server_doc):
    """The flavor a server document shows, whatever the microversion; Flavor() (unknown) if it shows none."""
    doc = server_doc.get('flavor') if isinstance(server_doc, dict) else None
    if not isinstance(doc, dict):
        return Flavor()
    if doc.get('id') is not None:
        # before 2.47; ECS adds name and sizes (sometimes as strings)
        return Flavor(text_of(doc.get('id')), text_of(doc.get('name')),
                      int_of(doc.get('vcpus')), int_of(doc.get('ram')), int_of(doc.get('disk')))
    if doc.get('original_name') is not None:
        return Flavor(None, text_of(doc.get('original_name')),
                      int_of(doc.get('vcpus')), int_of(doc.get('ram')), int_of(doc.get('disk')))
    return Flavor()


def _sizes_agree(a, b):
    for key in ('vcpus', 'ram', 'disk'):
        left, right = getattr(a, key), getattr(b, key)
        if left is not None and right is not None and left != right:
            return False
    return True


def same_flavor(a, b):
    """Whether two flavors are the same: by id when both have one, else by name and sizes."""
    if a is None or b is None or not a.known or not b.known:
        return False
    if a.id is not None and b.id is not None:
        return a.id == b.id
    if a.name is not None and b.name is not None:
        return a.name == b.name and _sizes_agree(a, b)
    return False


def with_known_details(flavor, known):
    """`flavor` with name and sizes filled in from the first of the `known` flavors that is the same one."""
    for candidate in known:
        if same_flavor(flavor, candidate):
            return flavor.merged_with(candidate)
    return flavor


def closest_names(name, names, limit=5):
    """Flavor names that look like `name`, best first, for 'did you mean' messages."""
    import difflib
    name = name or ''
    names = sorted(set(n for n in names if n))
    close = difflib.get_close_matches(name, names, n=limit, cutoff=0.5)
    if not close:
        prefix = name.split('.')[0]
        close = [n for n in names if prefix and n.startswith(prefix)][:limit]
    return close
