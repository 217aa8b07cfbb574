# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find the server and the flavor the user named, through the client."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import Flavor, FlavorRef, closest_names, server_flavor

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$')
REGEX_SPECIAL = set('.^$*+?{}[]\\|()')


class NotFoundError(EcsError):
    """The server or flavor the user named does not exist."""


def anchored_name_regex(name):
    """A regular expression matching exactly `name` (Nova filters names by regex, unanchored)."""
    return '^%s$' % ''.join('\\' + c if c in REGEX_SPECIAL else c for c in name)


def looks_like_id(text):
    return bool(UUID_RE.match(text or ''))


def find_server(client, ref):
    """The server document for a name or id; errors name the problem (none, or several, found)."""
    ref = (ref or '').strip()
    if not ref:
        raise EcsError('server is empty: give a server name or id')
    if looks_like_id(ref):
        doc = client.get_server(ref)
        if doc is not None:
            return doc
    matches = [s for s in client.list_servers(anchored_name_regex(ref)) if s.get('name') == ref]
    if len(matches) > 1:
        raise EcsError('%d servers are named %r (ids %s): give the id instead'
                       % (len(matches), ref, ', '.join(sorted(str(s.get('id')) for s in matches))))
    if matches:
        return matches[0]
    if not looks_like_id(ref):
        # some clouds use ids that are not UUIDs
        doc = client.get_server(ref)
        if doc is not None:
            return doc
    raise NotFoundError('server %r not found: no server has this name or id' % ref)


def resolve_flavor(client, text):
    """The flavor the user named by id, name or flavor URI, as a Flavor with id, name and sizes."""
    try:
        ref = FlavorRef.parse(text)
    except ValueError as exc:
        raise EcsError(str(exc))
    if not ref.value:
        raise EcsError('flavor is empty: give a flavor name, id or URI')
    if ref.is_uri:
        ours = urlsplit(client.compute_url).netloc.lower()
        if ref.uri_host != ours:
            raise EcsError('flavor URI %r points at %s, not at this cloud (%s): give the flavor name or id' % (text, ref.uri_host, ours))
    doc = client.get_flavor(ref.value)
    if doc is not None:
        return Flavor.from_api(doc)
    flavors = client.list_flavors()
    named = [f for f in flavors if f.get('name') == ref.value]
    if len(named) > 1:
        raise EcsError('%d flavors are named %r (ids %s): give the id instead'
                       % (len(named), ref.value, ', '.join(sorted(str(f.get('id')) for f in named))))
    if named and not ref.is_uri:
        return Flavor.from_api(named[0])
    close = closest_names(ref.value, [f.get('name') for f in flavors])
    hint = '; did you mean %s?' % ', '.join(close) if close else ''
    raise NotFoundError('flavor %r not found: no flavor has this id or name%s' % (ref.value, hint))


def describe_server_flavor(client, server_doc, known=()):
    """The server's flavor with name and sizes, looked up only when the server shows just an id."""
    flavor = server_flavor(server_doc)
    for candidate in known:
        if candidate is not None and candidate.known and (
                (flavor.id and flavor.id == candidate.id) or (not flavor.id and flavor.name == candidate.name and flavor.vcpus == candidate.vcpus)):
            return flavor.merged_with(candidate)
    if flavor.id and (flavor.name is None or flavor.vcpus is None):
        doc = client.get_flavor(flavor.id)
        if doc is not None:
            return flavor.merged_with(Flavor.from_api(doc))
    return flavor
