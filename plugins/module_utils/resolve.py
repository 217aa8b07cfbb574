# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find the server and the flavor the user named, through the compute API (compute.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError, InputError, NotFoundError, NotOfferedError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import (
    Flavor, FlavorRef, closest_names, same_flavor, server_flavor, with_known_details,
)

UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$')
REGEX_SPECIAL = set('.^$*+?{}[]\\|()')
# Answers that mean "this cloud has no resize_flavors call" (plain OpenStack), not "something broke".
UNAVAILABLE_STATUSES = (400, 403, 404, 405, 501)
SOLD_OUT_STATUSES = ('sellout', 'abandon', 'obt_sellout')


def anchored_name_regex(name):
    """A regular expression matching exactly `name` (Nova filters names by regex, unanchored)."""
    return '^%s$' % ''.join('\\' + c if c in REGEX_SPECIAL else c for c in name)


def looks_like_id(text):
    return bool(UUID_RE.match(text or ''))


def find_server(compute, ref):
    """The server document for a name or id; errors name the problem (none, or several, found)."""
    ref = (ref or '').strip()
    if not ref:
        raise InputError('server is empty: give a server name or id')
    if looks_like_id(ref):
        doc = compute.get_server(ref)
        if doc is not None:
            return doc
    matches = [s for s in compute.list_servers(anchored_name_regex(ref)) if s.get('name') == ref]
    if len(matches) > 1:
        raise EcsError('%d servers are named %r (ids %s): give the id instead'
                       % (len(matches), ref, ', '.join(sorted(str(s.get('id')) for s in matches))))
    if matches:
        return matches[0]
    if not looks_like_id(ref):
        # some clouds use ids that are not UUIDs
        doc = compute.get_server(ref)
        if doc is not None:
            return doc
    raise NotFoundError('server %r not found: no server has this name or id' % ref)


def resolve_flavor(compute, text):
    """The flavor the user named by id, name or flavor URI, as a Flavor with id, name and sizes."""
    try:
        ref = FlavorRef.parse(text)
    except ValueError as exc:
        raise InputError(str(exc))
    if not ref.value:
        raise InputError('flavor is empty: give a flavor name, id or URI')
    if ref.is_uri:
        ours = urlsplit(compute.compute_url).netloc.lower()
        if ref.uri_host != ours:
            raise EcsError('flavor URI %r points at %s, not at this cloud (%s): give the flavor name or id' % (text, ref.uri_host, ours))
    doc = compute.get_flavor(ref.value)
    if doc is not None:
        return Flavor.from_api(doc)
    flavors = compute.list_flavors()
    named = [f for f in flavors if f.get('name') == ref.value]
    if len(named) > 1:
        raise EcsError('%d flavors are named %r (ids %s): give the id instead'
                       % (len(named), ref.value, ', '.join(sorted(str(f.get('id')) for f in named))))
    if named and not ref.is_uri:
        return Flavor.from_api(named[0])
    close = closest_names(ref.value, [f.get('name') for f in flavors])
    hint = '; did you mean %s?' % ', '.join(close) if close else ''
    raise NotFoundError('flavor %r not found: no flavor has this id or name%s' % (ref.value, hint))


def describe_server_flavor(compute, server_doc, known=()):
    """The server's flavor with name and sizes, looked up only when the server shows just an id."""
    flavor = with_known_details(server_flavor(server_doc), [k for k in known if k is not None])
    if flavor.name is not None and flavor.vcpus is not None:
        return flavor
    if flavor.id and (flavor.name is None or flavor.vcpus is None):
        doc = compute.get_flavor(flavor.id)
        if doc is not None:
            return flavor.merged_with(Flavor.from_api(doc))
    return flavor


# -- allowed resize targets ------------------------------------------------------------------------

def allowed_targets(compute, server_id):
    """(flavor documents the server may be resized to, None), or (None, why the cloud offers no such list)."""
    if not compute.ecs_project_id():
        return None, 'the project id is unknown, so the ECS /v1 API cannot be asked'
    try:
        return compute.resize_flavors(server_id), None
    except NotOfferedError as exc:
        return None, exc.message
    except EcsError as exc:
        if exc.status in UNAVAILABLE_STATUSES:
            return None, exc.message
        raise


def flavor_status(doc, availability_zone=None):
    """What an ECS flavor document says about buying it, in `availability_zone` when given. Pure.

    extra_specs "cond:operation:az" ("az0(normal), az1(sellout)") wins for the AZs it lists, else the region-wide
    "cond:operation:status"; neither set means normal (data_structure_for_querying_details_about_specifications.rst)."""
    specs = doc.get('extra_specs') if isinstance(doc, dict) and isinstance(doc.get('extra_specs'), dict) else {}
    if availability_zone:
        for entry in str(specs.get('cond:operation:az') or '').split(','):
            zone, dummy, status = entry.strip().partition('(')
            if zone.strip() == availability_zone and status.endswith(')'):
                return status[:-1].strip().lower() or 'normal'
    return str(specs.get('cond:operation:status') or 'normal').strip().lower()


def sold_out(doc, availability_zone=None):
    """Whether an ECS flavor document says it cannot be bought now (in the server's availability zone, when known)."""
    return flavor_status(doc, availability_zone) in SOLD_OUT_STATUSES


def find_allowed(target, allowed_docs):
    """The document of `target` among the allowed flavors, or None. Pure."""
    for doc in allowed_docs:
        flavor = Flavor.from_api(doc)
        if same_flavor(flavor, target) or (target.id is not None and flavor.id == target.id):
            return doc
    return None


def not_allowed_message(server_name, target, allowed_docs, limit=50):
    """The failure message naming the flavors the server may be resized to. Pure."""
    names = sorted(set(Flavor.from_api(d).name or Flavor.from_api(d).id for d in allowed_docs))
    if not names:
        listed = 'the cloud allows no resize target for it'
    else:
        listed = 'allowed: %s' % ', '.join(names[:limit])
        if len(names) > limit:
            listed += ' and %d more' % (len(names) - limit)
    return 'flavor %s is not a resize target the cloud allows for server %s (resize_flavors); %s' % (target.describe(), server_name, listed)


# -- info: servers and flavors ---------------------------------------------------------------------

def lookup_servers(compute, ref=None, name_regex=None, status=None):
    """Server documents: the one(s) named or with id `ref` (none when absent), else all matching the filters."""
    if ref is not None:
        ref = ref.strip()
        if looks_like_id(ref):
            doc = compute.get_server(ref)
            if doc is not None:
                found = [doc]
                return [d for d in found if not status or str(d.get('status', '')).upper() == status.upper()]
        found = [s for s in compute.list_servers(anchored_name_regex(ref), status=status) if s.get('name') == ref]
        if not found and not looks_like_id(ref):
            doc = compute.get_server(ref)
            found = [doc] if doc is not None and (not status or str(doc.get('status', '')).upper() == status.upper()) else []
        return found
    return compute.list_servers(name_regex, status=status)


def flavor_facts(doc):
    """A flavor document as the info modules return it (sizes as numbers, swap '' as 0). Pure."""
    flavor = Flavor.from_api(doc)
    facts = flavor.as_dict()
    ephemeral = doc.get('OS-FLV-EXT-DATA:ephemeral', doc.get('ephemeral'))
    swap = doc.get('swap')
    facts['ephemeral'] = Flavor.from_api({'disk': ephemeral}).disk or 0
    facts['swap'] = Flavor.from_api({'disk': swap}).disk or 0
    public = doc.get('os-flavor-access:is_public', doc.get('is_public'))
    facts['is_public'] = public if isinstance(public, bool) else None
    return facts


def _needs_lookup(flavor):
    return flavor.id is None or flavor.name is None or flavor.vcpus is None or flavor.ram is None or flavor.disk is None


def complete_flavor(flavor, flavor_docs):
    """`flavor` (as a server shows it) with the blanks filled from the flavors listing. Pure."""
    for doc in flavor_docs:
        known = Flavor.from_api(doc)
        if flavor.id is not None and known.id == flavor.id:
            return flavor.merged_with(known)
    for doc in flavor_docs:
        known = Flavor.from_api(doc)
        if flavor.id is None and same_flavor(flavor, Flavor(None, known.name, known.vcpus, known.ram, known.disk)):
            return flavor.merged_with(known)
    return flavor


def server_flavors(compute, server_docs):
    """The flavor of each server, with id, name and sizes, in at most one flavor request for them all."""
    flavors = [server_flavor(doc) for doc in server_docs]
    missing = [f for f in flavors if f.known and _needs_lookup(f)]
    if not missing:
        return flavors
    ids = set(f.id for f in missing)
    if len(ids) == 1 and None not in ids:
        doc = compute.get_flavor(missing[0].id)
        docs = [doc] if doc is not None else []
    else:
        docs = compute.list_flavors()
    return [complete_flavor(f, docs) if f.known and _needs_lookup(f) else f for f in flavors]


def filter_flavors(facts, name=None, min_vcpus=None, min_ram=None):
    """Flavor facts matching a name glob (fnmatchcase: *, ?, [..]) and minimum sizes, sorted by vCPUs, RAM, name. Pure."""
    chosen = []
    for flavor in facts:
        if name is not None and not fnmatch.fnmatchcase(flavor.get('name') or '', name):
            continue
        if min_vcpus is not None and (flavor.get('vcpus') or 0) < min_vcpus:
            continue
        if min_ram is not None and (flavor.get('ram') or 0) < min_ram:
            continue
        chosen.append(flavor)
    return sorted(chosen, key=lambda f: (f.get('vcpus') or 0, f.get('ram') or 0, f.get('name') or '', f.get('id') or ''))


def nova_resize_targets(facts, current):
    """Without resize_flavors: every other flavor whose root disk is not smaller (and not 0 when the server has a local disk). Pure."""
    disk = current.disk or 0
    chosen = []
    for flavor in facts:
        if same_flavor(Flavor(flavor['id'], flavor['name'], flavor['vcpus'], flavor['ram'], flavor['disk']), current) or flavor['id'] == current.id:
            continue
        size = flavor.get('disk') or 0
        if size < disk or (disk > 0 and size == 0):
            continue
        chosen.append(flavor)
    return chosen
