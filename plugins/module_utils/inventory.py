# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the inventory plugin decides (plugins/inventory/ecs.py only wires): its options checked, the filters split
between the API and a local check, server documents (Nova or ECS /v1) turned into host records, and from those the
host names, `ansible_host`, the host variables and the default groups. Pure: no HTTP, no Ansible.

A record is a plain dict (JSON-safe: the inventory cache stores records):
    id, name, status, vm_state, task_state, power_state, locked, flavor {id, name, vcpus, ram, disk},
    availability_zone, metadata, tags (None when the cloud does not show tags), addresses [{network, addr, version,
    type, mac}], created, updated, project_id, region, cloud, api
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import hashlib
import json
import re

from ansible_collections.ecs_ops.compute.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import SECRET_KEYS
from ansible_collections.ecs_ops.compute.plugins.module_utils.documents import int_of, text_of
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import InputError
from ansible_collections.ecs_ops.compute.plugins.module_utils.flavors import server_flavor
from ansible_collections.ecs_ops.compute.plugins.module_utils.resize import ServerState

APIS = ('nova', 'ecs')
ADDRESS_KINDS = ('floating_ipv4', 'fixed_ipv4', 'floating_ipv6', 'fixed_ipv6')
HOSTNAME_PREFERENCES = ('name', 'id', 'name_id')
FILTER_KEYS = ('status', 'name', 'tags', 'metadata', 'availability_zone')
MAX_PAGE_SIZE = 1000  # both listings return at most 1,000 servers a page (OTC's reference)
# Nova's listing asks for this microversion unless one is configured: the flavor's name and sizes are in every
# server (2.47), tags (2.26) and locked (2.9) are shown.
LISTING_MICROVERSION = '2.47'
TAGS_MICROVERSION = (2, 26)
# Ansible's rule for group names (constants.INVALID_VARIABLE_NAMES): a leading digit or non-word character, and any
# non-word character, become "_" (what Constructable's keyed_groups do too).
INVALID_GROUP_CHARS = re.compile(r'^[\d\W]|[^\w]')
VARS_PREFIX_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$|^$')
# ECS /v1 matches `name` fuzzily, a period being any character: a filter made of nothing else means the same there.
REGEX_SPECIAL_BUT_DOT = set('^$*+?{}[]\\|()')
CACHE_FORMAT = 1


# -- options ---------------------------------------------------------------------------------------

def _connection_spec():
    spec = connection_argument_spec()
    aliases = {}
    for key, option in spec.items():
        for alias in option.get('aliases', ()):
            aliases[alias] = key
    return spec, aliases


CONNECTION_SPEC, CONNECTION_ALIASES = _connection_spec()
CONNECTION_KEYS = tuple(sorted(CONNECTION_SPEC))
SOURCE_KEYS = CONNECTION_KEYS + ('api',)
AUTH_KEYS = tuple(sorted(CONNECTION_SPEC['auth']['options']))


TYPE_WORDS = {'dict': 'a mapping', 'str': 'a string', 'path': 'a path (string)', 'bool': 'a boolean', 'int': 'an integer'}


def _type_ok(value, kind):
    if kind in ('str', 'path'):
        return isinstance(value, str)
    if kind == 'bool':
        return isinstance(value, bool)
    if kind == 'int':
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == 'dict':
        return isinstance(value, dict)
    return True


def check_connection(params, where):
    """The connection options in `params` (a dict, `where` names it in errors) checked against the modules' argument
    spec: known keys (aliases turned into their option), types, choices, `auth` keys. Returns a new dict."""
    if not isinstance(params, dict):
        raise InputError('%s must be a mapping of connection options (cloud, auth, region_name, ...)' % where)
    out = {}
    for key, value in params.items():
        name = CONNECTION_ALIASES.get(key, key)
        if name not in CONNECTION_SPEC:
            raise InputError('%s: unknown option %r; the connection options are %s' % (where, key, ', '.join(CONNECTION_KEYS)))
        if value is None:
            continue
        spec = CONNECTION_SPEC[name]
        if not _type_ok(value, spec.get('type', 'str')):
            raise InputError('%s: %s must be %s' % (where, key, TYPE_WORDS[spec['type']]))
        if spec.get('choices') and value not in spec['choices']:
            raise InputError('%s: %s must be one of %s, not %r' % (where, key, ', '.join(spec['choices']), value))
        if name == 'auth':
            unknown = sorted(k for k in value if k not in AUTH_KEYS)
            if unknown:
                raise InputError('%s: unknown auth key %r; the auth keys are %s' % (where, unknown[0], ', '.join(AUTH_KEYS)))
            bad = sorted(k for k, v in value.items() if v is not None and not isinstance(v, str))
            if bad:
                raise InputError('%s: auth.%s must be a string' % (where, bad[0]))
            value = dict((k, v) for k, v in value.items() if v is not None)
        out[name] = value
    return out


def source_params(base, entry, index):
    """The connection options of one entry of `sources`: the entry's options over the plugin's (`auth` key by key),
    and the entry's `api`. Returns (params, api or None)."""
    where = 'sources[%d]' % index
    if not isinstance(entry, dict):
        raise InputError('%s must be a mapping of connection options (cloud, region_name, auth, ...) and api' % where)
    entry = dict(entry)
    api = entry.pop('api', None)
    if api is not None and api not in APIS:
        raise InputError('%s: api must be one of %s, not %r' % (where, ', '.join(APIS), api))
    own = check_connection(entry, where)
    params = copy.deepcopy(base)
    for key, value in own.items():
        if key == 'auth':
            params['auth'] = dict(params.get('auth') or {}, **value)
        else:
            params[key] = value
    return params, api


class Filters(object):
    """The `filters` option: which servers become hosts. Every one given must match (and each list: any of it,
    except `tags`: all of them)."""

    def __init__(self, statuses=(), name=None, tags=(), metadata=None, zones=()):
        self.statuses = tuple(statuses)
        self.name = name
        self.tags = tuple(tags)
        self.metadata = dict(metadata or {})
        self.zones = tuple(zones)

    @property
    def name_regex(self):
        return self.name.pattern if self.name is not None else None

    def as_dict(self):
        return dict(status=list(self.statuses), name=self.name_regex, tags=list(self.tags), metadata=self.metadata,
                    availability_zone=list(self.zones))


def _text_list(value, key):
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise InputError('filters.%s must be a non-empty string or a list of them' % key)
    return [item.strip() for item in items]


def _metadata_value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float, str)):
        return str(value)
    raise InputError('filters.metadata values must be strings (or numbers), not %r' % (value,))


def parse_filters(raw):
    """The `filters` option as Filters; an InputError names what is wrong."""
    if raw is None:
        return Filters()
    if not isinstance(raw, dict):
        raise InputError('filters must be a mapping with any of %s' % ', '.join(FILTER_KEYS))
    unknown = sorted(k for k in raw if k not in FILTER_KEYS)
    if unknown:
        raise InputError('filters: unknown key %r; the filters are %s' % (unknown[0], ', '.join(FILTER_KEYS)))
    statuses = [s.upper() for s in _text_list(raw['status'], 'status')] if raw.get('status') is not None else []
    name = None
    if raw.get('name') is not None:
        if not isinstance(raw['name'], str) or not raw['name']:
            raise InputError('filters.name must be a regular expression (a non-empty string)')
        try:
            name = re.compile(raw['name'])
        except re.error as exc:
            raise InputError('filters.name %r is not a valid regular expression: %s' % (raw['name'], exc))
    tags = _text_list(raw['tags'], 'tags') if raw.get('tags') is not None else []
    metadata = raw.get('metadata')
    if metadata is not None:
        if not isinstance(metadata, dict) or not metadata:
            raise InputError('filters.metadata must be a mapping of metadata keys to the values they must have')
        metadata = dict((str(k), _metadata_value(v)) for k, v in metadata.items())
    zones = _text_list(raw['availability_zone'], 'availability_zone') if raw.get('availability_zone') is not None else []
    return Filters(statuses, name, tags, metadata, zones)


def check_settings(page_size, hostname_preference, address_preference, vars_prefix):
    """The plugin's own options; raises InputError naming the first that cannot work."""
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InputError('page_size must be an integer from 1 to %d (the most a page of the listing holds), not %r'
                         % (MAX_PAGE_SIZE, page_size))
    if hostname_preference not in HOSTNAME_PREFERENCES:
        raise InputError('hostname_preference must be one of %s, not %r' % (', '.join(HOSTNAME_PREFERENCES), hostname_preference))
    if not isinstance(address_preference, list) or any(kind not in ADDRESS_KINDS for kind in address_preference):
        raise InputError('address_preference must be a list of %s (an empty list sets no ansible_host), not %r'
                         % (', '.join(ADDRESS_KINDS), address_preference))
    if not isinstance(vars_prefix, str) or not VARS_PREFIX_RE.match(vars_prefix):
        raise InputError('vars_prefix must start a variable name (letters, digits, "_"; not a digit first), not %r' % (vars_prefix,))


def version_tuple(text):
    """(major, minor) of a microversion such as '2.60'; None for anything else ('latest' is high enough for anything)."""
    text = str(text or '').strip().lower()
    if text == 'latest':
        return (99, 99)
    match = re.match(r'^(\d+)\.(\d+)$', text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def listing_microversion(configured, filters):
    """The microversion of Nova's listing: the one configured, else LISTING_MICROVERSION. A tag filter needs 2.26+
    (the cloud neither filters by tags nor shows them before): InputError when the configured one is older."""
    if configured:
        version = version_tuple(configured)
        if filters.tags and (version is None or version < TAGS_MICROVERSION):
            raise InputError('filters.tags needs microversion 2.26 or later (before it the cloud neither shows nor filters '
                             'tags), and microversion is %s: remove the microversion option or set 2.26 or later' % configured)
        return configured
    return LISTING_MICROVERSION


# -- the filters: at the API where it can, always checked again here --------------------------------

def api_query(filters, api):
    """Query parameters that narrow the listing at the cloud, in a way that never drops a server the local check
    (matches()) would keep: one status; the name regex (Nova: a regular expression; ECS: only when it is made of
    literal characters and periods, which its fuzzy match reads the same way); the first tag (clouds differ on how
    several combine). Metadata and availability zones are checked locally only."""
    query = {}
    if len(filters.statuses) == 1:
        query['status'] = filters.statuses[0]
    if filters.name is not None:
        pattern = filters.name.pattern
        if api == 'nova' or not (set(pattern) & REGEX_SPECIAL_BUT_DOT):
            query['name'] = pattern
    if filters.tags and ',' not in filters.tags[0]:
        query['tags'] = filters.tags[0]
    return query


def matches(record, filters):
    """Whether a record passes every filter (the local check, after the API's)."""
    if filters.statuses and record.get('status') not in filters.statuses:
        return False
    if filters.name is not None and not filters.name.search(record.get('name') or ''):
        return False
    if filters.tags and not set(filters.tags) <= set(record.get('tags') or ()):
        return False
    metadata = record.get('metadata') or {}
    for key, value in filters.metadata.items():
        if key not in metadata or str(metadata[key]) != value:
            return False
    if filters.zones and record.get('availability_zone') not in filters.zones:
        return False
    return True


# -- server documents -> records --------------------------------------------------------------------

def parse_addresses(doc):
    """`addresses` of a server document ({network: [{addr, version, OS-EXT-IPS:type, OS-EXT-IPS-MAC:mac_addr}]}) as a
    list of {network, addr, version, type, mac}, networks in name order. `version` may be a string (ECS /v1) or absent
    (then read from the address); a missing type is "fixed"."""
    found = []
    addresses = doc.get('addresses') if isinstance(doc, dict) else None
    if not isinstance(addresses, dict):
        return found
    for network in sorted(addresses, key=str):
        items = addresses[network]
        for item in items if isinstance(items, list) else []:
            addr = text_of(item.get('addr')) if isinstance(item, dict) else None
            if not addr:
                continue
            version = int_of(item.get('version')) or (6 if ':' in addr else 4)
            kind = text_of(item.get('OS-EXT-IPS:type')) or 'fixed'
            found.append(dict(network=str(network), addr=addr, version=version, type=kind.lower(),
                              mac=text_of(item.get('OS-EXT-IPS-MAC:mac_addr'))))
    return found


def parse_tags(doc):
    """The server's tags (strings), or None when the document has no `tags` (Nova before 2.26)."""
    tags = doc.get('tags') if isinstance(doc, dict) else None
    if not isinstance(tags, list):
        return None
    return [t for t in (text_of(tag) for tag in tags) if t]


def tag_dict(tags):
    """Tags as OTC writes them (`key=value`, or `key` when the value is empty) as a mapping."""
    out = {}
    for tag in tags or ():
        key, _sep, value = tag.partition('=')
        out[key] = value
    return out


def server_record(doc, api, region=None, cloud=None, flavor=None):
    """A record (see the module's docstring) of a server document of Nova (any microversion) or of ECS /v1. `flavor`:
    the server's Flavor with the blanks filled in from the flavors API (resolve.server_flavors), if looked up."""
    state = ServerState.from_api(doc)
    flavor = flavor if flavor is not None else server_flavor(doc)
    metadata = doc.get('metadata')
    return dict(
        id=state.id, name=state.name, status=state.status, vm_state=state.vm_state, task_state=state.task_state,
        power_state=state.power_state, locked=state.locked, flavor=flavor.as_dict(),
        availability_zone=text_of(doc.get('OS-EXT-AZ:availability_zone')),
        metadata=dict((str(k), v) for k, v in metadata.items()) if isinstance(metadata, dict) else {},
        tags=parse_tags(doc), addresses=parse_addresses(doc),
        created=text_of(doc.get('created')), updated=text_of(doc.get('updated')),
        project_id=text_of(doc.get('tenant_id')), region=region, cloud=cloud, api=api,
    )


# -- hosts ------------------------------------------------------------------------------------------

def choose_address(addresses, preference):
    """The address for ansible_host: the first of the record's addresses of the first kind in `preference`
    (floating_ipv4, fixed_ipv4, floating_ipv6, fixed_ipv6), in the order the cloud lists them; None if none fits."""
    for kind in preference:
        wanted_type, version = kind.rsplit('_ipv', 1)
        for address in addresses or ():
            if address.get('type') == wanted_type and address.get('version') == int(version):
                return address['addr']
    return None


def unique_records(record_lists):
    """The records of every source in order, each server once (by id; two sources may reach one project), and
    warnings for the repeats."""
    seen, out, warnings = {}, [], []
    for records in record_lists:
        for record in records:
            if record.get('id') is None:
                continue
            if record['id'] in seen:
                first = seen[record['id']]
                warnings.append('server %s (%s) is listed by more than one source (%s and %s): it is one host'
                                % (record['id'], record.get('name'), _where(first), _where(record)))
                continue
            seen[record['id']] = record
            out.append(record)
    return out, warnings


def _where(record):
    parts = [p for p in (record.get('cloud'), record.get('region')) if p]
    return '/'.join(parts) or 'the same cloud'


def host_names(records, preference):
    """A host name for every record (same order), and warnings. `name`: the server's name, except where several
    servers share it: those are named by their id, and a warning names them; `id`: the id; `name_id`: name_id."""
    warnings = []
    if preference == 'id':
        return [r['id'] for r in records], warnings
    if preference == 'name_id':
        return ['%s_%s' % (r['name'], r['id']) if r.get('name') else r['id'] for r in records], warnings
    by_name = {}
    for record in records:
        if record.get('name'):
            by_name.setdefault(record['name'], []).append(record)
    repeated = dict((name, group) for name, group in by_name.items() if len(group) > 1)
    for name in sorted(repeated):
        group = repeated[name]
        warnings.append('%d servers are named %r (ids %s): their hosts are named by id; set hostname_preference to id or '
                        'name_id to name every host the same way'
                        % (len(group), name, ', '.join('%s in %s' % (r['id'], _where(r)) for r in group)))
    return [r['id'] if not r.get('name') or r['name'] in repeated else r['name'] for r in records], warnings


def host_vars(record, prefix, address=None):
    """The host variables of a record, each name with `prefix`; `ansible_host` when an address was chosen."""
    tags = record.get('tags') or []
    values = dict(
        id=record.get('id'), name=record.get('name'), status=record.get('status'), vm_state=record.get('vm_state'),
        task_state=record.get('task_state'), power_state=record.get('power_state'), locked=record.get('locked'),
        flavor=dict(record.get('flavor') or {}), availability_zone=record.get('availability_zone'),
        metadata=dict(record.get('metadata') or {}), tags=list(tags), tags_dict=tag_dict(tags),
        addresses=[dict(a) for a in record.get('addresses') or ()], created=record.get('created'),
        updated=record.get('updated'), project_id=record.get('project_id'), region=record.get('region'),
        cloud=record.get('cloud'), api=record.get('api'),
    )
    out = dict((prefix + key, value) for key, value in values.items())
    if address:
        out['ansible_host'] = address
    return out


def safe_group_name(text):
    """A group name as Ansible sanitises it (keyed_groups do the same)."""
    return INVALID_GROUP_CHARS.sub('_', text)


def default_groups(record):
    """flavor_<name> (the id when the name is unknown), status_<status> (lower case), az_<zone>, region_<region>,
    cloud_<cloud>: each only when the record knows it."""
    flavor = record.get('flavor') or {}
    groups = []
    for prefix, value in (('flavor_', flavor.get('name') or flavor.get('id')),
                          ('status_', (record.get('status') or '').lower()),
                          ('az_', record.get('availability_zone')), ('region_', record.get('region')),
                          ('cloud_', record.get('cloud'))):
        if value:
            groups.append(safe_group_name(prefix + value))
    return groups


class Host(object):
    """One inventory host: its name, variables and the default groups it belongs to."""

    def __init__(self, name, variables, groups):
        self.name = name
        self.variables = variables
        self.groups = groups

    def __repr__(self):
        return 'Host(%r)' % self.name


def build_hosts(record_lists, filters, hostname_preference='name', address_preference=ADDRESS_KINDS, prefix='ecs_',
                with_default_groups=True):
    """Hosts from the records of every source: each server once, the local filters applied, named, with their
    variables and default groups. Returns (hosts, warnings)."""
    records, warnings = unique_records(record_lists)
    records = [r for r in records if matches(r, filters)]
    names, name_warnings = host_names(records, hostname_preference)
    hosts = []
    for name, record in zip(names, records):
        address = choose_address(record.get('addresses'), address_preference)
        hosts.append(Host(name, host_vars(record, prefix, address), default_groups(record) if with_default_groups else []))
    return hosts, warnings + name_warnings


# -- the cache --------------------------------------------------------------------------------------

def _without_secrets(params):
    params = copy.deepcopy(params)
    auth = params.get('auth') or {}
    for key in SECRET_KEYS:
        auth.pop(key, None)
    return params


def cache_fingerprint(sources, filters, page_size):
    """A digest of what decides which servers the cloud lists (each source's connection options but the secrets, its
    API, the API query, the page size): a cached listing made with other settings is not used. Holds no secret."""
    material = dict(sources=[dict(params=_without_secrets(params), api=api) for params, api in sources],
                    query=dict((api, api_query(filters, api)) for api in APIS), page_size=page_size)
    text = json.dumps(material, sort_keys=True, default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def cache_entry(fingerprint, record_lists):
    """What the inventory cache stores: the records of each source (no credentials)."""
    return dict(format=CACHE_FORMAT, fingerprint=fingerprint, sources=record_lists)


def cached_records(entry, fingerprint):
    """The record lists of a cache entry made with the same settings, else None (a miss)."""
    if not isinstance(entry, dict) or entry.get('format') != CACHE_FORMAT or entry.get('fingerprint') != fingerprint:
        return None
    sources = entry.get('sources')
    if not isinstance(sources, list) or not all(isinstance(s, list) for s in sources):
        return None
    return sources
