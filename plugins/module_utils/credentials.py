# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn module options, clouds.yaml/secure.yaml and the environment into one Credentials object,
exactly as openstacksdk's ``openstack.config.OpenStackConfig().get_one()`` does (4.14.0, the
version the tests use as an oracle), without importing it.

What openstacksdk does, and so what happens here:

- Files: the first *existing* file of ``OS_CLIENT_CONFIG_FILE``, ``./clouds.{yaml,yml,json}``,
  ``$XDG_CONFIG_HOME/openstack`` (or ``~/.config/openstack``), ``~/.config/openstack``,
  ``$XDG_CONFIG_DIRS/openstack`` (``/etc/xdg/openstack``), ``/etc/openstack`` is read (one file only;
  an unparsable one is skipped); the first existing ``secure.*`` (``OS_CLIENT_SECURE_FILE`` first) is
  merged over it.
- Environment: every ``OS_*`` variable (``OS_AUTH_URL`` -> ``auth_url``, ``OS_DOMAIN_NAME`` ->
  ``domain_name``, ...) makes one more cloud called ``envvars`` (``OS_CLOUD_NAME``), unless only
  selectors (``OS_CLOUD``, ``OS_REGION_NAME``, ``OS_CLIENT_CONFIG_FILE``, ``OS_CLIENT_SECURE_FILE``,
  ``OS_CLOUD_NAME``) are set. It is *not* mixed into a cloud selected by name.
- Selection: option ``cloud``, else ``OS_CLOUD``, else the ``envvars`` cloud, else the only cloud of
  the file, else none (module options alone).
- The cloud's ``profile`` (vendor profile) lies under the entry; the entry's ``regions`` (or
  ``region_name``, or the profile's regions) give the region, whose ``values`` lie over it; module
  options lie over everything (``auth`` key by key).
- Then openstacksdk's fixes: hyphenated keys, ``tenant_*`` -> ``project_*``, ``auth_token`` -> ``token``,
  ``*endpoint_type`` -> ``*interface``, ``*_timeout`` -> ``api_timeout``, ``domain_id``/``domain_name``
  fill the user and project domains not set (when a project is given), ``{region_name}`` in
  ``auth_url``; the auth plugin's options move from the top level of the entry into ``auth``; a key in
  ``auth`` that the plugin does not take is refused.

What this collection adds, each documented: AK/SK (``auth_type: aksk``; ``HW_*`` variables), a
token sent as it is to ``compute_endpoint`` (no ``auth_url`` needed), the auth type inferred from
the keys given when none is set, and the project's domain defaulting to the user's domain (where
openstacksdk leaves it unset and Keystone would refuse the request). Settings that cannot work get a
CredentialsError naming the key and where it came from (``sources``), never its value.

Nothing here talks to the network; environment and files are passed in so that tests need neither.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import re

try:
    import yaml
    HAS_YAML = True
    YAML_IMPORT_ERROR = None
except ImportError as yaml_import_exc:  # PyYAML ships with ansible-core; only a broken install lacks it
    HAS_YAML = False
    YAML_IMPORT_ERROR = str(yaml_import_exc)

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import CredentialsError


AUTH_KEYS = (
    'auth_url', 'username', 'user_id', 'password', 'user_domain_name', 'user_domain_id',
    'project_id', 'project_name', 'project_domain_name', 'project_domain_id',
    'token', 'access_key', 'secret_key', 'domain',
    'application_credential_id', 'application_credential_name', 'application_credential_secret',
    'security_token',
)
SECRET_KEYS = ('password', 'token', 'secret_key', 'application_credential_secret', 'security_token')
AUTH_TYPES = ('password', 'token', 'application_credential', 'aksk')
INTERFACES = ('public', 'internal', 'admin')
DEFAULT_API_TIMEOUT = 30

# openstacksdk's defaults.json, the two keys of it that matter here.
SDK_DEFAULTS = (('auth_type', 'password'), ('interface', 'public'))

# ---------------------------------------------------------------- auth plugins
# keystoneauth plugin name -> (our auth type, its options, deprecated names per option, other
# constructor arguments it accepts). openstacksdk moves these options from the top level of the
# cloud entry into `auth` and hands `auth` to the plugin, which refuses any other key.
_SCOPE = ('auth_url', 'system_scope', 'domain_id', 'domain_name', 'project_id', 'project_name',
          'project_domain_id', 'project_domain_name', 'trust_id')
_DEFAULT_DOMAIN = ('default_domain_id', 'default_domain_name')
_USER = ('user_id', 'username', 'user_domain_id', 'user_domain_name')
_APPCRED = ('application_credential_secret', 'application_credential_id', 'application_credential_name')
_GENERIC_DEPRECATED = {'project_id': ('tenant_id',), 'project_name': ('tenant_name',)}
_AKSK = ('access_key', 'secret_key', 'security_token', 'project_id', 'domain')

PLUGINS = {
    'password': ('password', _SCOPE + _DEFAULT_DOMAIN + _USER + ('password',),
                 dict(_GENERIC_DEPRECATED, username=('user_name',)), ('reauthenticate',)),
    'v3password': ('password', _SCOPE + _USER + ('password',), {'username': ('user_name',)},
                   ('reauthenticate', 'include_catalog')),
    'token': ('token', _SCOPE + _DEFAULT_DOMAIN + ('token',), _GENERIC_DEPRECATED, ('reauthenticate',)),
    'v3token': ('token', _SCOPE + ('token',), {}, ('reauthenticate', 'include_catalog')),
    'v3applicationcredential': ('application_credential', _SCOPE + _USER + _APPCRED, {'username': ('user_name',)},
                                ('reauthenticate', 'include_catalog')),
    'admin_token': ('token', ('endpoint', 'token'), {'endpoint': ('url',)}, ()),
    # this collection's own: signed requests, no Keystone; identity keys left over are ignored
    'aksk': ('aksk', _AKSK, {'access_key': ('ak',), 'secret_key': ('sk',), 'domain': ('cloud_domain',)},
             _SCOPE + _DEFAULT_DOMAIN + _USER + ('password', 'token')),
}
# The generic plugins fall back to default_domain_id/default_domain_name for the user and project domain.
GENERIC_PLUGINS = ('password', 'token')
# auth_type spellings -> keystoneauth plugin name (openstacksdk's own renames included)
AUTH_TYPE_ALIASES = {
    'password': 'password', 'v3password': 'v3password',
    'token': 'token', 'v3token': 'v3token',
    'admin_token': 'admin_token', 'token_endpoint': 'admin_token',
    'application_credential': 'v3applicationcredential', 'v3applicationcredential': 'v3applicationcredential',
    'aksk': 'aksk',
}
AUTH_TYPE_CHOICES = ('password', 'v3password', 'token', 'v3token', 'admin_token', 'token_endpoint',
                     'application_credential', 'v3applicationcredential', 'aksk')

# ---------------------------------------------------------------- vendor profiles
# openstacksdk's openstack/config/vendors/*.json (4.14.0), the keys that matter to authentication and
# endpoint choice. tests/unit checks this table against the installed openstacksdk.
VENDOR_PROFILES = {
    'auro': {'auth': {'auth_url': 'https://api.van2.auro.io:5000/v3', 'user_domain_name': 'Default',
                      'project_domain_name': 'Default'}, 'region_name': 'RegionOne'},
    'betacloud': {'auth': {'auth_url': 'https://api-1.betacloud.de:5000'}, 'regions': ['betacloud-1'],
                  'status': 'shutdown', 'message': 'betacloud.de has ceased business'},
    'binero': {'auth': {'auth_url': 'https://auth.binero.cloud:5000/v3'}, 'regions': ['europe-se-1']},
    'bluebox': {'region_name': 'RegionOne'},
    'catalyst': {'auth': {'auth_url': 'https://api.cloud.catalyst.net.nz:5000/v2.0'}, 'regions': ['nz-por-1', 'nz_wlg_2']},
    'citycloud': {'auth': {'auth_url': 'https://{region_name}.citycloud.com:5000/v3/'},
                  'regions': ['Buf1', 'Fra1', 'Sto2', 'Kna1', 'dx1', 'tky1']},
    'conoha': {'auth': {'auth_url': 'https://identity.{region_name}.conoha.io'}, 'regions': ['sin1', 'sjc1', 'tyo1']},
    'dreamcompute': {'auth': {'auth_url': 'https://iad2.dream.io:5000'}, 'region_name': 'RegionOne'},
    'elastx': {'auth': {'auth_url': 'https://ops.elastx.cloud:5000/v3'}, 'region_name': 'se-sto'},
    'entercloudsuite': {'auth': {'auth_url': 'https://api.entercloudsuite.com/'}, 'regions': ['it-mil1', 'nl-ams1', 'de-fra1']},
    'fuga': {'auth': {'auth_url': 'https://identity.api.fuga.io:5000', 'user_domain_name': 'Default',
                      'project_domain_name': 'Default'}, 'regions': ['cystack'],
             'status': 'deprecated', 'message': 'the API Endpoint is no longer responsive'},
    'ibmcloud': {'auth': {'auth_url': 'https://identity.open.softlayer.com'}, 'regions': ['london'],
                 'status': 'shutdown', 'message': 'the API Endpoint is no longer responsive'},
    'internap': {'auth': {'auth_url': 'https://identity.api.cloud.inap.com'},
                 'regions': ['ams01', 'da01', 'nyj01', 'sin01', 'sjc01'],
                 'status': 'shutdown', 'message': 'Internap have been rebranded as HorizonIQ'},
    'limestonenetworks': {'auth': {'auth_url': 'https://auth.cloud.lstn.net:5000/v3'},
                          'regions': [{'name': 'us-dfw-1', 'values': {}}, {'name': 'us-slc', 'values': {}}]},
    'otc': {'auth': {'auth_url': 'https://iam.{region_name}.otc.t-systems.com/v3'}, 'regions': ['eu-de', 'eu-nl'],
            'interface': 'public'},
    'otc-swiss': {'auth': {'auth_url': 'iam-pub.eu-ch2.sc.otc.t-systems.com/v3'}, 'regions': ['eu-ch2'],
                  'interface': 'public'},
    'ovh': {'profile': 'https://ovhcloud.com'},
    'ovh-us': {'auth': {'auth_url': 'https://auth.cloud.ovh.us/', 'user_domain_name': 'Default',
                        'project_domain_name': 'Default'},
               'regions': ['US-EAST-VA-1', 'US-WEST-OR-1', 'US-EAST-VA', 'US-WEST-OR']},
    'rackspace': {'auth': {'auth_url': 'https://identity.api.rackspacecloud.com/v2.0/'},
                  'regions': ['DFW', 'HKG', 'IAD', 'ORD', 'SYD', 'LON']},
    'switchengines': {'auth': {'auth_url': 'https://keystone.cloud.switch.ch:5000/v3'}, 'regions': ['LS', 'ZH']},
    'ultimum': {'auth': {'auth_url': 'https://console.ultimum-cloud.com:5000/'}, 'region-name': 'RegionOne',
                'status': 'shutdown', 'message': 'ultimum-cloud.com has ceased business'},
    'unitedstack': {'auth': {'auth_url': 'https://identity.api.ustack.com/v3'}, 'regions': ['bj1', 'gd1'],
                    'status': 'shutdown', 'message': 'the API Endpoint is no longer responsive'},
    'vexxhost': {'profile': 'https://vexxhost.com'},
    'zetta': {'auth': {'auth_url': 'https://identity.api.zetta.io/v3'}, 'regions': ['no-osl1']},
}

# Settings outside `auth` that this collection uses (the rest of a cloud entry is openstacksdk's business).
USED_SETTINGS = ('region_name', 'compute_region_name', 'interface', 'compute_interface', 'compute_endpoint',
                 'compute_endpoint_override', 'cacert', 'cert', 'key', 'verify', 'insecure', 'api_timeout',
                 'compute_api_version', 'compute_default_microversion')

# ---------------------------------------------------------------- environment
ENV_SELECTORS = ('OS_CLOUD', 'OS_REGION_NAME', 'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_CLOUD_NAME')
ENV_IGNORED_PREFIXES = ('OS_TEST', 'OS_STD', 'OS_LOG')  # openstacksdk skips these (CI and oslotest variables)
# This collection's own variables (openstacksdk does not read them); the OS_ name wins when both are set.
HW_ENV = (
    ('HW_ACCESS_KEY', 'access_key'), ('HW_SECRET_KEY', 'secret_key'), ('HW_SECURITY_TOKEN', 'security_token'),
    ('HW_PROJECT_ID', 'project_id'), ('HW_CLOUD_DOMAIN', 'cloud_domain'), ('HW_REGION_NAME', 'region_name'),
)
HW_SELECTORS = ('HW_REGION_NAME',)

YAML_SUFFIXES = ('.yaml', '.yml')
JSON_SUFFIXES = ('.json',)
UNIX_SITE_CONFIG_HOME = '/etc/openstack'


class Credentials(object):
    """Everything needed to reach the compute API, whatever it was read from.

    ``auth_type`` is one of AUTH_TYPES; ``auth_plugin`` the openstacksdk/keystoneauth plugin name it
    came from (``password``, ``v3password``, ``token``, ``v3token``, ``admin_token``,
    ``v3applicationcredential``) or ``aksk``.
    ``verify`` is what requests takes: True, False, or the path of a CA bundle; ``client_cert`` and
    ``client_key`` the client certificate for the TLS connection (the key may be inside the cert file).
    ``compute_endpoint`` may be a bare host URL (``https://ecs.eu-de.example.com``), one ending in
    ``/v2.1`` or the full ``/v2.1/<project_id>`` URL; the client normalises it.
    User and project domains are the effective ones (``domain_*`` and ``default_domain_*`` applied).
    ``sources`` maps each resolved setting to where it came from (``option``,
    ``clouds.yaml:<path>``, ``secure.yaml:<path>``, ``profile:<name>``, ``env:<VAR>``, ``default``,
    ``derived``, ...), never its value.
    """

    def __init__(self, auth_type, region_name=None, interface='public', compute_endpoint=None,
                 verify=True, api_timeout=30, microversion=None, sources=None, cloud=None,
                 auth_plugin=None, client_cert=None, client_key=None, **auth):
        self.auth_type = auth_type
        self.auth_plugin = auth_plugin or auth_type
        self.region_name = region_name
        self.interface = interface or 'public'
        self.compute_endpoint = compute_endpoint
        self.verify = verify
        self.ca_cert = verify if isinstance(verify, str) else None
        self.client_cert = client_cert
        self.client_key = client_key
        self.api_timeout = api_timeout
        self.microversion = microversion
        self.sources = dict(sources or {})
        self.cloud = cloud
        for key in AUTH_KEYS:
            setattr(self, key, auth.get(key))

    @property
    def rescope_token(self):
        """A token to exchange at Keystone for one scoped to the project (openstacksdk's token/v3token with auth_url and
        a project, whether compute_endpoint is set or not); otherwise a token is sent as it is."""
        return (self.auth_type == 'token' and self.auth_plugin != 'admin_token' and bool(self.auth_url)
                and bool(self.project_id or self.project_name))

    @property
    def client_certificate(self):
        """The client certificate as requests takes it: the (cert, key) pair, the cert alone (its key inside), or None.
        A key without a certificate is ignored, as openstacksdk ignores it."""
        if not self.client_cert:
            return None
        return (self.client_cert, self.client_key) if self.client_key else self.client_cert

    def __repr__(self):
        shown = dict((k, getattr(self, k)) for k in AUTH_KEYS if getattr(self, k) and k not in SECRET_KEYS)
        return 'Credentials(auth_type=%r, %r)' % (self.auth_type, shown)


# ---------------------------------------------------------------- sourced values
# Every setting is kept as _V(value, source) while it moves through openstacksdk's steps, so that
# errors can say where a setting came from. A cloud config is a dict of _V, with `auth` a dict of _V.

class _V(object):
    __slots__ = ('value', 'source')

    def __init__(self, value, source):
        self.value = value
        self.source = source

    def __repr__(self):  # never the value: it may be a secret
        return '_V(<%s>, %r)' % (type(self.value).__name__, self.source)


def _tag_entry(entry, label, what):
    """A clouds.yaml entry (or profile, or region values) as a config of _V."""
    if not isinstance(entry, dict):
        raise CredentialsError('%s: %s must be a mapping' % (label, what))
    tagged = {}
    for key, value in entry.items():
        key = str(key)
        if key == 'auth':
            if value is None:
                value = {}
            if not isinstance(value, dict):
                raise CredentialsError('%s: auth of %s must be a mapping' % (label, what))
            tagged['auth'] = dict((str(k), _V(v, label)) for k, v in value.items())
        else:
            tagged[key] = _V(value, label)
    return tagged


def _auth_update(old, new):
    """openstacksdk's _auth_update: like dict.update, but `auth` is updated key by key."""
    for key, value in new.items():
        if key == 'auth':
            old.setdefault('auth', {}).update(value)
        else:
            old[key] = value
    return old


def _raw(config):
    """The plain values of a config of _V (for str.format and the like)."""
    plain = {}
    for key, item in config.items():
        if key == 'auth':
            plain['auth'] = dict((k, v.value) for k, v in item.items())
        else:
            plain[key] = item.value
    return plain


# ---------------------------------------------------------------- files

def config_search_path(environ, cwd=None):
    """openstacksdk's CONFIG_SEARCH_PATH (Linux): cwd, the user's and the site's openstack config directories."""
    home = environ.get('HOME') or ''
    if not os.path.isabs(home):
        home = os.path.expanduser('~')
    xdg_home = environ.get('XDG_CONFIG_HOME', '')
    user_config = os.path.join(xdg_home if os.path.isabs(xdg_home) else os.path.join(home, '.config'), 'openstack')
    snap_home = environ.get('SNAP_REAL_HOME')
    unix_config = os.path.join(snap_home or home, '.config', 'openstack')
    site_dirs = [d for d in environ.get('XDG_CONFIG_DIRS', '').split(os.pathsep) if os.path.isabs(d)] or ['/etc/xdg']
    site_config = os.pathsep.join(os.path.join(d, 'openstack') for d in site_dirs)
    return [cwd or os.getcwd(), user_config, unix_config, site_config, UNIX_SITE_CONFIG_HOME]


def _search(environ, cwd, basename):
    return [os.path.join(d, basename + s) for d in config_search_path(environ, cwd) for s in YAML_SUFFIXES + JSON_SUFFIXES]


def default_config_files(environ, cwd=None):
    """The clouds.yaml files openstacksdk searches, in order (OS_CLIENT_CONFIG_FILE is put first by resolve)."""
    return _search(environ, cwd, 'clouds')


def default_secure_files(environ, cwd=None):
    """The secure.yaml files searched, in order (OS_CLIENT_SECURE_FILE is put first by resolve)."""
    return _search(environ, cwd, 'secure')


def default_vendor_files(environ, cwd=None):
    """The clouds-public.yaml files searched for vendor profiles, in order."""
    return _search(environ, cwd, 'clouds-public')


def _yaml_problem(exc):
    # Never str(exc): PyYAML quotes the offending line, which may hold a password.
    mark = getattr(exc, 'problem_mark', None)
    problem = getattr(exc, 'problem', None) or 'invalid YAML'
    if mark is not None:
        return '%s at line %d, column %d' % (problem, mark.line + 1, mark.column + 1)
    return problem


def load_first_file(files):
    """openstacksdk's _load_yaml_json_file: (path, data) of the first existing, readable, parsable file.

    Also returns the files skipped on the way with the reason (unreadable or unparsable), as
    openstacksdk skips them (with a log warning) and goes on to the next one.
    """
    skipped = []
    for path in files:
        if not os.path.exists(path):
            continue
        if not HAS_YAML:
            raise CredentialsError('cannot read %s: the PyYAML library cannot be imported (%s)' % (path, YAML_IMPORT_ERROR))
        try:
            with open(path) as stream:
                if path.endswith('json'):
                    return path, json.load(stream), skipped
                return path, yaml.safe_load(stream), skipped
        except (IOError, OSError) as exc:
            if exc.errno == 13:  # EACCES: openstacksdk goes on to the next file
                skipped.append((path, 'permission denied'))
                continue
            raise CredentialsError('cannot read %s: %s' % (path, exc.strerror or exc.__class__.__name__))
        except ValueError as exc:  # json (never str(exc) of YAML, see _yaml_problem)
            skipped.append((path, 'cannot parse it: %s' % exc.__class__.__name__))
        except yaml.YAMLError as exc:
            skipped.append((path, 'cannot parse it: %s' % _yaml_problem(exc)))
    return None, None, skipped


def _clouds_of(path, data, kind):
    """The `clouds:` mapping of a loaded clouds/secure file, checked as openstacksdk checks it."""
    if path is None or not data:  # no file, or an empty one: no clouds (an empty file still stops the search)
        return {}
    if not isinstance(data, dict):
        raise CredentialsError('cannot use %s: it is not a mapping (expected "clouds:" at the top)' % path)
    clouds = data.get('clouds')
    if clouds is None:
        return {}
    if not isinstance(clouds, dict):
        raise CredentialsError('cannot use %s: "clouds" must be a mapping of cloud names to settings' % path)
    label = '%s:%s' % (kind, path)
    return dict((str(name), _tag_entry(entry, label, 'cloud %r' % str(name)) if entry is not None else None)
                for name, entry in clouds.items())


def _merge_secure(clouds, secure):
    """openstacksdk's merge_clouds of secure.yaml over clouds.yaml (nested mappings merged)."""
    merged = dict(clouds)
    for name, entry in secure.items():
        if entry is None:
            continue
        base = copy.copy(merged.get(name) or {})
        for key, value in entry.items():
            if key == 'auth':
                base['auth'] = dict(base.get('auth') or {}, **value)
            elif isinstance(value.value, dict) and key in base and isinstance(base[key].value, dict):
                combined = dict(base[key].value)
                combined.update(value.value)
                base[key] = _V(combined, value.source)
            else:
                base[key] = value
        merged[name] = base
    return merged


# ---------------------------------------------------------------- environment

def environment_cloud(environ):
    """openstacksdk's _get_os_environ: the `envvars` cloud made of OS_* variables (and our HW_* ones), or None.

    An empty variable counts as unset here (Ansible's way to clear one is `environment: {OS_X: ''}`); openstacksdk
    would still make the cloud of it, and an empty OS_PROJECT_NAME or OS_*DOMAIN* would wipe the module option.
    """
    names = [k for k in environ if k.startswith('OS_') and not k.startswith(ENV_IGNORED_PREFIXES) and environ[k] != '']
    entry = dict((key, _V(value, 'default')) for key, value in SDK_DEFAULTS)
    for name in sorted(names):
        key = name.split('_', 1)[-1].lower()
        if key == 'auth':
            continue  # OS_AUTH would replace the auth mapping itself; openstacksdk breaks on it
        entry[key] = _V(environ[name], 'env:%s' % name)
    hw_names = []
    for name, key in HW_ENV:
        if environ.get(name) not in (None, '') and key not in entry:
            entry[key] = _V(environ[name], 'env:%s' % name)
            hw_names.append(name)
    if set(names) - set(ENV_SELECTORS) or set(hw_names) - set(HW_SELECTORS):
        return entry
    return None


# ---------------------------------------------------------------- regions and profiles

def _expand_regions(regions, source):
    expanded = []
    for region in regions:
        if isinstance(region, dict):
            if 'name' not in region or not set(region) <= set(('name', 'values')):
                raise CredentialsError('invalid region entry %r in regions (from %s): give a name, or a mapping with '
                                       'only "name" and "values"' % (sorted(region), source))
            values = region.get('values') or {}
            expanded.append((str(region['name']), _tag_entry(values, '%s (region %s)' % (source, region['name']),
                                                             'the values of region %r' % region['name'])))
        else:
            expanded.append((str(region), {}))
    return expanded


def _normalized_key(entry, key):
    """entry[key] with hyphenated spellings accepted (openstacksdk normalizes the keys first; the last one wins)."""
    found = None
    for name, value in entry.items():
        if name.replace('-', '_') == key:
            found = value
    return found


def known_regions(entry, profile):
    """openstacksdk's _get_known_regions: (name, values) of the entry's regions, region_name, or its profile's regions."""
    regions = _normalized_key(entry, 'regions')
    if regions is not None:
        if not isinstance(regions.value, list):
            raise CredentialsError('regions (from %s) must be a list' % regions.source)
        return _expand_regions(regions.value, regions.source)
    region_name = _normalized_key(entry, 'region_name')
    if region_name is not None:
        names = region_name.value if isinstance(region_name.value, list) else str(region_name.value).split(',')
        return _expand_regions(names, region_name.source)
    if profile:
        regions = profile.get('regions')
        if regions and regions.value:
            return _expand_regions(regions.value, regions.source)
        region_name = profile.get('region_name')
        if region_name and region_name.value:
            return [(str(region_name.value), {})]
    return []


def vendor_profile(entry, vendor_files, envvar_key):
    """The vendor profile the entry names (`profile`, or the old `cloud`), as a config of _V; None if none applies."""
    named = entry.get('profile', entry.get('cloud'))
    if named is None or not named.value or named.value == envvar_key:
        return None
    name = str(named.value)
    path, data, dummy = load_first_file(vendor_files)
    public = data.get('public-clouds') if isinstance(data, dict) else None
    if isinstance(public, dict) and name in public:
        return _tag_entry(public[name], 'clouds-public:%s (profile %s)' % (path, name), 'profile %r' % name)
    profile = copy.deepcopy(VENDOR_PROFILES.get(name))
    if profile is None:
        if re.match(r'^[a-z][a-z0-9+.-]*://', name):
            raise CredentialsError('profile %r (from %s) is a remote profile, which this collection does not fetch: '
                                   'put its settings (auth_url, regions) into the cloud entry' % (name, named.source))
        return None  # openstacksdk warns about an unknown profile and goes on without it
    nested = profile.pop('profile', None)
    if nested:
        raise CredentialsError('profile %r (from %s) points to the remote profile %s, which this collection does not '
                               'fetch: put its settings (auth_url, regions) into the cloud entry' % (name, named.source, nested))
    status = profile.pop('status', 'active')
    message = profile.pop('message', '')
    if status == 'shutdown':
        raise CredentialsError('profile %r (from %s) references a cloud that no longer exists: %s' % (name, named.source, message))
    return _tag_entry(profile, 'profile:%s' % name, 'profile %r' % name)


# ---------------------------------------------------------------- openstacksdk's magic fixes

def _fix_api_timeout(config):
    fixed, service_timeout = {}, None
    for key, value in config.items():
        if key.endswith('timeout') and key not in ('timeout', 'api_timeout'):
            service_timeout = value
        else:
            fixed[key] = value
    if service_timeout is not None:
        fixed['api_timeout'] = service_timeout
    return fixed


def _fix_auth_plugin(config):
    target = None
    for key in ('auth_plugin', 'auth_type'):
        if key in config:
            target = config.pop(key)
    config['auth_type'] = target if target is not None else _V(None, 'default')
    return config


def _fix_auth(config):
    """Old and hyphenated names of domain, project and token keys; values outside `auth` win (openstacksdk)."""
    auth = config['auth']
    mappings = (
        ('domain_id', ('domain_id', 'domain-id')),
        ('domain_name', ('domain_name', 'domain-name')),
        ('user_domain_id', ('user_domain_id', 'user-domain-id')),
        ('user_domain_name', ('user_domain_name', 'user-domain-name')),
        ('project_domain_id', ('project_domain_id', 'project-domain-id')),
        ('project_domain_name', ('project_domain_name', 'project-domain-name')),
        ('token', ('auth-token', 'auth_token', 'token')),
        ('passcode', ('passcode',)),
        ('project_id', ('tenant_id', 'tenant-id', 'project_id', 'project-id')),
        ('project_name', ('tenant_name', 'tenant-name', 'project_name', 'project-name')),
    )
    for target_key, names in mappings:
        target = None
        for key in names:
            if key in auth:
                item = auth.pop(key)
                target = _V(str(item.value), item.source)
            if key in config:
                item = config.pop(key)
                target = _V(str(item.value), item.source)
        if target is not None and target.value:
            auth[target_key] = target
    return config


def _fix_interface(config):
    return dict((key.replace('endpoint_type', 'interface') if key.endswith('endpoint_type') else key, value)
                for key, value in config.items())


def _project_scoped(config):
    auth = config['auth']
    return 'project_id' in config or 'project_name' in config or 'project_id' in auth or 'project_name' in auth


def _handle_domain_id(config):
    """domain_id/domain_name fill the user and project domains that are not set (openstacksdk's _handle_domain_id)."""
    auth = config['auth']
    for target_key, keys in (('domain_id', ('user_domain_id', 'project_domain_id')),
                             ('domain_name', ('user_domain_name', 'project_domain_name'))):
        if not _project_scoped(config):
            if target_key in config and target_key not in auth:
                auth[target_key] = config.pop(target_key)
            continue
        for key in keys:
            if target_key in auth and key not in auth:
                item = auth[target_key]
                auth[key] = _V(item.value, '%s (%s)' % (item.source, target_key))
        config.pop(target_key, None)
        auth.pop(target_key, None)
    return config


def _handle_value_types(config):
    if 'insecure' in config and not isinstance(config['insecure'].value, bool):
        value = config['insecure'].value
        config['insecure'] = _V(value is not None and str(value).lower() == 'true', config['insecure'].source)
    return config


def _format(value, config, key, source):
    """str.format with the cloud's settings, as openstacksdk expands {region_name} and the like."""
    try:
        return value.format(**config)
    except (KeyError, IndexError, ValueError, AttributeError):
        # never the exception's text: it quotes part of the value, which may be a secret
        raise CredentialsError('cannot expand %s (from %s): its braces name no setting of the cloud; openstacksdk expands '
                               'settings such as {region_name} in it, so write other braces doubled ({{ }})' % (key, source))


def magic_fixes(config):
    config = _fix_api_timeout(config)
    config = _fix_auth_plugin(config)
    config = _fix_auth(config)
    config = _fix_interface(config)
    config = _handle_domain_id(config)
    config = _handle_value_types(config)
    auth_url = config['auth'].get('auth_url')
    if auth_url is not None and isinstance(auth_url.value, str):
        config['auth']['auth_url'] = _V(_format(auth_url.value, _raw(config), 'auth_url', auth_url.source), auth_url.source)
    return config


def _normalize_value(key, value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and key not in ('verbose_level', 'api_timeout'):
        return str(value)
    if isinstance(value, float):
        return str(value)
    return value


def normalize_keys(config):
    """openstacksdk's normalize_keys: hyphens to underscores, numbers to strings (except api_timeout)."""
    normal = {}
    for key, item in config.items():
        key = key.replace('-', '_')
        if key == 'auth':
            normal['auth'] = dict((k.replace('-', '_'), _V(_normalize_value(k, v.value), v.source)) for k, v in item.items())
        else:
            normal[key] = _V(_normalize_value(key, item.value), item.source)
    return normal


# ---------------------------------------------------------------- the auth plugin

def plugin_name(auth_type):
    """The keystoneauth plugin name for an auth_type value (openstacksdk's renames included), or CredentialsError."""
    name = auth_type.value
    if name in (None, 'None', ''):
        raise CredentialsError('auth_type is empty (from %s): openstacksdk would use the "none" plugin, which this '
                               'collection does not support; use one of %s' % (auth_type.source, ', '.join(AUTH_TYPE_CHOICES)))
    key = str(name).strip().lower()
    if key not in AUTH_TYPE_ALIASES:
        raise CredentialsError('unsupported auth_type %r (from %s): use one of %s'
                               % (name, auth_type.source, ', '.join(AUTH_TYPE_CHOICES)))
    return AUTH_TYPE_ALIASES[key]


def infer_plugin(config):
    """No auth_type was set anywhere: the keys given imply one (this collection's addition), else openstacksdk's password.

    A password keeps openstacksdk's default (password); otherwise access keys mean aksk, an application
    credential v3applicationcredential, a token token (sent as it is when there is no auth_url).
    """
    auth = config['auth']

    def given(*keys):
        for key in keys:
            for where in (auth, config):
                if key in where and where[key].value not in (None, ''):
                    return where[key]
        return None

    for keys, plugin in ((('password',), 'password'),
                         (('access_key', 'secret_key', 'ak', 'sk'), 'aksk'),
                         (('application_credential_secret', 'application_credential_id', 'application_credential_name'),
                          'v3applicationcredential'),
                         (('token',), 'token')):
        found = given(*keys)
        if found:
            return plugin, found.source
    return 'password', 'default'


def validate_auth(config, plugin):
    """openstacksdk's _validate_auth: every option of the plugin moves into `auth` (auth wins, then the top level,
    the current name before its deprecated ones); empty values are dropped. Then keys the plugin refuses."""
    auth = config['auth']
    dummy, options, deprecated, extras = PLUGINS[plugin]
    for option in options:
        names = (option,) + deprecated.get(option, ())
        winner = None
        for where in (auth, config):
            for name in names:
                if name in where:
                    winner = where[name]
                    break
            if winner is not None and winner.value:
                break
            winner = None
        for name in names:
            config.pop(name, None)
            auth.pop(name, None)
        if winner is not None:
            auth[option] = winner
    unknown = sorted(key for key in auth if key not in options and key not in extras)
    if unknown:
        key = unknown[0]
        raise CredentialsError('auth.%s (from %s) is not a setting of auth_type %s: remove it, or set the auth_type it '
                               'belongs to (openstacksdk refuses it too)' % (key, auth[key].source, plugin))
    return config


# ---------------------------------------------------------------- the whole resolution

def _cloud_selection(params, environ, clouds, envvar_key, config_path):
    """openstacksdk's choice of cloud: (name or None, source)."""
    if params.get('cloud'):
        return str(params['cloud']), 'option'
    if environ.get('OS_CLOUD'):
        return environ['OS_CLOUD'], 'env:OS_CLOUD'
    if envvar_key in clouds:
        return envvar_key, 'environment (OS_* variables)'
    if len(clouds) == 1:
        name = list(clouds)[0]
        return name, 'the only cloud in %s' % config_path
    return None, None


def options_args(params):
    """The module options as the keyword arguments of openstacksdk's get_one (the way openstack.cloud hands them over).

    validate_certs=false -> verify False; ca_cert -> cacert and verify True (an explicit CA bundle wins over a cloud's
    verify: false); compute_endpoint -> compute_endpoint_override; api_timeout when given.
    """
    args = {}
    auth = dict((k, v) for k, v in (params.get('auth') or {}).items() if v is not None)
    if auth:
        args['auth'] = dict((k, _V(v, 'option')) for k, v in auth.items())
    for key, target in (('auth_type', 'auth_type'), ('region_name', 'region_name'), ('interface', 'interface'),
                        ('compute_endpoint', 'compute_endpoint_override'), ('client_cert', 'cert'), ('client_key', 'key')):
        if params.get(key) is not None:
            args[target] = _V(params[key], 'option')
    if params.get('ca_cert'):
        args['cacert'] = _V(params['ca_cert'], 'option')
        args['verify'] = _V(True, 'option')
    if params.get('validate_certs') is False:
        args['verify'] = _V(False, 'option')
    if params.get('api_timeout') is not None:
        args['api_timeout'] = _V(params['api_timeout'], 'option')
    return args


def sdk_config(params, environ, config_files=None, secure_files=None, vendor_files=None, cwd=None):
    """openstacksdk's OpenStackConfig(...).get_one(**options) up to the auth plugin, as a config of _V.

    Returns (config, plugin, plugin_source, cloud, cloud_source, config_path).
    """
    if config_files is None:
        config_files = default_config_files(environ, cwd)
    if secure_files is None:
        secure_files = default_secure_files(environ, cwd)
    if vendor_files is None:
        vendor_files = default_vendor_files(environ, cwd)
    config_files, secure_files = list(config_files), list(secure_files)
    if environ.get('OS_CLIENT_CONFIG_FILE'):
        config_files.insert(0, environ['OS_CLIENT_CONFIG_FILE'])
    if environ.get('OS_CLIENT_SECURE_FILE'):
        secure_files.insert(0, environ['OS_CLIENT_SECURE_FILE'])

    config_path, data, skipped = load_first_file(config_files)
    clouds = _clouds_of(config_path, data, 'clouds.yaml')
    secure_path, secure_data, secure_skipped = load_first_file(secure_files)
    clouds = _merge_secure(clouds, _clouds_of(secure_path, secure_data, 'secure.yaml'))

    envvar_key = environ.get('OS_CLOUD_NAME') or 'envvars'
    if envvar_key in clouds:
        raise CredentialsError('%s defines a cloud named %r, and OS_CLOUD_NAME names the cloud of the OS_* variables %r too: '
                               'rename one of them' % (config_path, envvar_key, envvar_key))
    env_entry = environment_cloud(environ)
    if env_entry is not None:
        clouds[envvar_key] = env_entry

    cloud, cloud_source = _cloud_selection(params, environ, clouds, envvar_key, config_path)
    if cloud is not None and cloud not in clouds:
        raise CredentialsError(_cloud_not_found(cloud, cloud_source, config_files, config_path, clouds, skipped))
    entry = clouds.get(cloud) if cloud is not None else {}
    if entry is None:
        raise CredentialsError('cloud %r in %s has no settings: give it auth, region_name and the rest' % (cloud, config_path))

    config = dict((key, _V(value, 'default')) for key, value in SDK_DEFAULTS)
    profile = vendor_profile(entry, vendor_files, envvar_key)
    if profile:
        _auth_update(config, copy.copy(profile))
    config.setdefault('auth', {})
    _auth_update(config, copy.copy(entry))
    config.pop('cloud', None)

    args = options_args(params)
    wanted = args.pop('region_name', None)
    if wanted is not None and not wanted.value:
        wanted = None  # openstacksdk: an empty region_name means the cloud's first region
    regions = known_regions(entry, profile) if cloud is not None else []
    region_values = {}
    if not regions:
        region_name = wanted.value if wanted else ''
        region_source = wanted.source if wanted else 'default'
    elif not wanted:
        region_name, region_values = regions[0]
        region_source = _region_source(entry, profile)
    else:
        matching = [r for r in regions if r[0] == wanted.value]
        if not matching:
            raise CredentialsError('region_name %r (from %s) is not a region of cloud %r, whose regions are %s (region names '
                                   'are case sensitive)' % (wanted.value, wanted.source, cloud, ', '.join(r[0] for r in regions)))
        region_name, region_values = matching[0]
        region_source = wanted.source
    config.pop('regions', None)
    for arg_list in (region_values, args):
        for key, item in arg_list.items():
            if key == 'auth':
                config['auth'].update(item)
            elif item.value is not None:
                config[key] = item
    config['region_name'] = _V(region_name, region_source)

    config = magic_fixes(config)
    config = normalize_keys(config)
    if config['auth_type'].source == 'default' and config['auth_type'].value == 'password':
        plugin, plugin_source = infer_plugin(config)
    else:
        plugin, plugin_source = plugin_name(config['auth_type']), config['auth_type'].source
    config = validate_auth(config, plugin)
    for key, item in list(config.items()):
        if key not in ('auth', 'password') and isinstance(item.value, str):
            try:
                config[key] = _V(_format(item.value, _raw(config), key, item.source), item.source)
            except CredentialsError:
                if key in USED_SETTINGS:
                    raise
                # openstacksdk breaks on it too, but nothing here uses that setting: left as it is
    return config, plugin, plugin_source, cloud, cloud_source, config_path


def _region_source(entry, profile):
    for where in (entry, profile or {}):
        for key in ('regions', 'region_name'):
            item = _normalized_key(where, key)
            if item is not None:
                return item.source
    return 'default'


def _cloud_not_found(cloud, cloud_source, config_files, config_path, clouds, skipped):
    if config_path:
        message = 'cloud %r (from %s) not found in %s' % (cloud, cloud_source, config_path)
        names = sorted(c for c in clouds if c)
        message += ' (clouds there: %s)' % ', '.join(names) if names else ' (no clouds there)'
    else:
        message = 'cloud %r (from %s) not found: none of %s exists' % (cloud, cloud_source, ', '.join(config_files))
    for path, reason in skipped:
        message += '; skipped %s: %s' % (path, reason)
    return message


# ---------------------------------------------------------------- from the config to Credentials

def _expanduser(path, environ):
    """os.path.expanduser with the HOME of the environment given (the process's own for ~user)."""
    path = str(path)
    home = environ.get('HOME')
    if home and (path == '~' or path.startswith('~/')):
        return home.rstrip('/') + path[1:] if path != '~' else home
    return os.path.expanduser(path)


def _get(config, key):
    item = config.get(key)
    return item if item is not None and item.value not in (None, '') else None


def _verify(config, environ):
    """openstacksdk's get_requests_verify_args: (verify, cert, key) with their sources."""
    insecure, verify, cacert = config.get('insecure'), config.get('verify'), _get(config, 'cacert')
    value, source = True, 'default'
    if verify is not None:
        value, source = verify.value, verify.source
        if isinstance(value, str) and value.strip().lower() in ('true', 'false', 'yes', 'no', 'on', 'off', '1', '0', ''):
            raise CredentialsError('verify %r (from %s) is a string, which requests would take as the path of a CA bundle: '
                                   'write verify: true or false without quotes, or set insecure (OS_INSECURE=true)'
                                   % (value, source))
    if insecure is not None and insecure.value:
        value, source = False, insecure.source
    if value and cacert is not None:
        value, source = _expanduser(cacert.value, environ), cacert.source
    cert, key = _get(config, 'cert'), _get(config, 'key')
    return value, source, cert, key


def _interface(config):
    item = _get(config, 'compute_interface') or _get(config, 'interface')
    if item is None:
        return 'public', 'default'
    name = str(item.value).strip().lower()
    if name.endswith('url'):
        name = name[:-3]
    if name not in INTERFACES:
        raise CredentialsError('invalid interface %r (from %s): use public, internal, or admin' % (item.value, item.source))
    return name, item.source


def _microversion(config, params):
    if params.get('microversion'):
        return params['microversion'], 'option'
    default = _get(config, 'compute_default_microversion')
    version = _get(config, 'compute_api_version')
    implied = None
    if version is not None:
        text = str(version.value)
        if not re.match(r'^2(\.\d+)?$', text):
            raise CredentialsError('compute_api_version %r (from %s) cannot work: the compute API is version 2 '
                                   '(2, or a microversion such as 2.60)' % (text, version.source))
        if '.' in text and text.split('.')[1] != '0':
            implied = text
    if implied and default and implied != str(default.value):
        raise CredentialsError('compute_default_microversion %s (from %s) and compute_api_version %s (from %s) disagree: '
                               'set one of them (openstacksdk refuses both)' % (default.value, default.source, implied, version.source))
    if implied:
        return implied, version.source
    if default:
        return str(default.value), default.source
    return None, None


def _api_timeout(config):
    item = config.get('api_timeout')
    if item is None or item.value is None:
        return DEFAULT_API_TIMEOUT, None
    try:
        timeout = int(item.value)
    except (TypeError, ValueError):
        timeout = 0
    if timeout <= 0:
        raise CredentialsError('invalid api_timeout %r (from %s): use a positive number of seconds' % (item.value, item.source))
    return timeout, item.source


def _effective_domains(auth, plugin):
    """The user's and the project's domain as Keystone will see them.

    openstacksdk's generic plugins (password, token) fall back to default_domain_id/default_domain_name;
    where the project's domain is still unset, this collection uses the user's.
    """
    values = dict((k, v) for k, v in auth.items())
    if plugin in GENERIC_PLUGINS:
        for part in ('user', 'project'):
            for kind in ('id', 'name'):
                key, default = '%s_domain_%s' % (part, kind), 'default_domain_%s' % kind
                if key not in values and default in values:
                    values[key] = _V(values[default].value, '%s (%s)' % (values[default].source, default))
    if values.get('project_name') and not (values.get('project_domain_id') or values.get('project_domain_name')):
        for kind in ('id', 'name'):
            user_domain = values.get('user_domain_%s' % kind)
            if user_domain is not None:
                values['project_domain_%s' % kind] = _V(user_domain.value, '%s (the user\'s domain)' % user_domain.source)
    return values


def _check_auth_url(item):
    if item is None:
        return
    url = str(item.value)
    if not re.match(r'^https?://[^/]', url):
        raise CredentialsError('auth_url %r (from %s) cannot work: it must start with https:// (or http://)' % (url, item.source))
    if '{' in url or '}' in url:
        raise CredentialsError('auth_url %r (from %s) still holds a placeholder in braces: write the URL out, or use the key '
                               'auth_url (not auth-url), which is the one openstacksdk expands' % (url, item.source))


def _missing(auth_type, plugin, values, endpoint):
    """One 'no X: set ...' phrase per missing or unusable setting for this auth type (empty when complete)."""
    missing = []

    def has(*keys):
        return any(values.get(k) for k in keys)

    if auth_type in ('password', 'application_credential') and not has('auth_url'):
        missing.append('no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL')
    if auth_type == 'password':
        if not has('username', 'user_id'):
            missing.append('no username: set auth.username (or auth.user_id), cloud, or OS_USERNAME (or OS_USER_ID)')
        if not has('password'):
            missing.append('no password: set auth.password, cloud, or OS_PASSWORD')
    if auth_type == 'application_credential':
        if not has('application_credential_secret'):
            missing.append('no application_credential_secret: set auth.application_credential_secret, cloud, or '
                           'OS_APPLICATION_CREDENTIAL_SECRET')
        if not has('application_credential_id', 'application_credential_name'):
            missing.append('no application credential: set auth.application_credential_id (or auth.application_credential_name '
                           'with the user), cloud, or OS_APPLICATION_CREDENTIAL_ID')
        elif not has('application_credential_id') and not has('username', 'user_id'):
            missing.append('no user for application_credential_name: set auth.username (or auth.user_id), cloud, or OS_USERNAME')
    if auth_type == 'token':
        if not has('token'):
            missing.append('no token: set auth.token, cloud, or OS_TOKEN')
        if plugin == 'admin_token' and not has('endpoint'):
            missing.append('no endpoint: admin_token sends every request to auth.endpoint; set auth.endpoint, cloud, or '
                           'OS_ENDPOINT (or use auth_type token with compute_endpoint)')
        elif not endpoint and not has('auth_url'):
            missing.append('no compute_endpoint (a token needs the compute API URL): set compute_endpoint, cloud, or '
                           'OS_COMPUTE_ENDPOINT')
    # a token with auth_url is exchanged for one scoped to the project; with compute_endpoint and no project it is sent
    # as it is (this collection's addition), without compute_endpoint the project is needed
    rescoping = auth_type == 'token' and plugin != 'admin_token' and has('auth_url') and (
        not endpoint or has('project_id', 'project_name'))
    if (auth_type == 'password' or rescoping) and not has('project_id', 'project_name'):
        missing.append('no project: set auth.project_id or auth.project_name, cloud, or OS_PROJECT_ID/OS_PROJECT_NAME')
    if auth_type in ('password', 'application_credential') and has('username') and not has('user_id') \
            and not has('user_domain_id', 'user_domain_name'):
        missing.append('no domain for user %r: set auth.user_domain_name (on OTC your account name, OTC000...), '
                       'auth.domain_name, auth.default_domain_name (Default on most private clouds), cloud, or '
                       'OS_USER_DOMAIN_NAME/OS_DOMAIN_NAME' % values['username'])
    # (an application credential takes no project at all: client_gap says so)
    if (auth_type == 'password' or rescoping) and has('project_name') and not has('project_id') \
            and not has('project_domain_id', 'project_domain_name'):
        missing.append('no domain for project %r: set auth.project_domain_name (or the user\'s domain, or auth.domain_name), '
                       'cloud, or OS_PROJECT_DOMAIN_NAME/OS_DOMAIN_NAME' % values['project_name'])
    if auth_type == 'aksk':
        if not has('access_key'):
            missing.append('no access_key: set auth.access_key, cloud, OS_ACCESS_KEY, or HW_ACCESS_KEY')
        if not has('secret_key'):
            missing.append('no secret_key: set auth.secret_key, cloud, OS_SECRET_KEY, or HW_SECRET_KEY')
        if not has('project_id'):
            missing.append('no project_id: set auth.project_id, cloud, OS_PROJECT_ID, or HW_PROJECT_ID')
        missing.extend(_missing_aksk_endpoint(values, endpoint))
    return missing


def _missing_aksk_endpoint(values, endpoint):
    if endpoint or (values.get('region_name') and values.get('domain')):
        return []
    built = 'https://ecs.<region_name>.<domain>'
    if values.get('region_name') and not values.get('domain'):
        return ['no domain to build the compute endpoint %s: set compute_endpoint, or auth.domain, cloud, '
                'OS_CLOUD_DOMAIN, or HW_CLOUD_DOMAIN' % built]
    if values.get('domain') and not values.get('region_name'):
        return ['no region_name to build the compute endpoint %s: set compute_endpoint, or region_name, cloud, '
                'OS_REGION_NAME, or HW_REGION_NAME' % built]
    return ['no compute_endpoint: set compute_endpoint, cloud, or OS_COMPUTE_ENDPOINT, or region_name (OS_REGION_NAME/HW_REGION_NAME) '
            'and auth.domain (OS_CLOUD_DOMAIN/HW_CLOUD_DOMAIN) to build %s' % built]


def _unsupported(values):
    for key in ('trust_id', 'system_scope', 'passcode'):
        if values.get(key):
            item = values[key]
            raise CredentialsError('auth.%s (from %s) is not supported by this collection: the compute API needs a token '
                                   'scoped to a project' % (key, item.source))


def resolve_settings(params, environ=None, config_files=None, secure_files=None, cwd=None, vendor_files=None):
    """Credentials from module parameters, clouds.yaml/secure.yaml and the environment, as openstacksdk resolves them.

    params: the module's params (the shared connection options).
    environ: mapping of environment variables (default os.environ).
    config_files/secure_files/vendor_files: the clouds.yaml/secure.yaml/clouds-public.yaml paths to search
    (default: openstacksdk's search path; OS_CLIENT_CONFIG_FILE/OS_CLIENT_SECURE_FILE are put first either way).
    cwd: directory of ./clouds.yaml (default: the current directory).
    Raises CredentialsError naming what is wrong and where it was set; never a secret.
    """
    environ = os.environ if environ is None else environ
    config, plugin, plugin_source, cloud, cloud_source, config_path = sdk_config(
        params, environ, config_files, secure_files, vendor_files, cwd)
    auth_type = PLUGINS[plugin][0]
    sources = {}
    if cloud is not None:
        sources['cloud'] = cloud_source
    sources['auth_type'] = plugin_source

    auth = _effective_domains(config['auth'], plugin)
    _unsupported(auth)
    values = dict((k, v.value) for k, v in auth.items() if v.value not in (None, ''))
    for key, item in auth.items():
        if item.value not in (None, ''):
            sources[key] = item.source

    endpoint = _get(config, 'compute_endpoint_override') or _get(config, 'compute_endpoint')
    if endpoint is None and plugin == 'admin_token' and auth.get('endpoint'):
        endpoint = auth['endpoint']
    region = _get(config, 'compute_region_name') or _get(config, 'region_name')
    if region is not None:
        values['region_name'] = str(region.value)
        sources['region_name'] = region.source

    missing = _missing(auth_type, plugin, values, endpoint)
    if missing:
        raise CredentialsError(_missing_message(missing, auth_type, plugin_source, cloud, cloud_source, config_path))
    if auth_type != 'aksk' and (auth_type != 'token' or values.get('auth_url')):
        _check_auth_url(auth.get('auth_url'))
    if endpoint is not None:
        values['compute_endpoint'] = str(endpoint.value)
        sources['compute_endpoint'] = endpoint.source
    elif auth_type == 'aksk':
        values['compute_endpoint'] = 'https://ecs.%s.%s' % (values['region_name'], values['domain'].strip('.'))
        sources['compute_endpoint'] = 'derived'

    interface, sources['interface'] = _interface(config)
    verify, sources['verify'], cert, key = _verify(config, environ)
    if cert is not None:
        sources['client_cert'] = cert.source
    if key is not None:
        sources['client_key'] = key.source
    microversion, microversion_source = _microversion(config, params)
    if microversion_source:
        sources['microversion'] = microversion_source
    api_timeout, timeout_source = _api_timeout(config)
    if timeout_source:
        sources['api_timeout'] = timeout_source
    return Credentials(
        auth_type,
        auth_plugin=plugin,
        region_name=values.get('region_name'),
        interface=interface,
        compute_endpoint=values.get('compute_endpoint'),
        verify=verify,
        client_cert=_expanduser(cert.value, environ) if cert is not None else None,
        client_key=_expanduser(key.value, environ) if key is not None else None,
        api_timeout=api_timeout,
        microversion=microversion,
        sources=sources,
        cloud=cloud if cloud_source != 'environment (OS_* variables)' else None,
        **dict((k, values[k]) for k in AUTH_KEYS if k in values)
    )


def _missing_message(missing, auth_type, type_source, cloud, cloud_source, cloud_path):
    message = '; '.join(missing)
    notes = []
    if type_source != 'default':
        notes.append('auth_type %s, chosen by %s' % (auth_type, type_source))
    if cloud is not None and cloud_source != 'environment (OS_* variables)':
        notes.append('cloud %r read from %s' % (cloud, cloud_path))
    if notes:
        message += ' (%s)' % '; '.join(notes)
    return message


# ---------------------------------------------------------------- what the client does not do

def client_gap(creds):
    """What the client will not do with these credentials (a sentence), or None.

    Resolution accepts these settings as openstacksdk does; they cannot work, so they are refused before any request.
    """
    if creds.auth_type == 'application_credential':
        # keystoneauth would send the project as a scope (a domain alone makes none)
        scope = [key for key in ('project_id', 'project_name') if getattr(creds, key)]
        if scope:
            return ('auth.%s (from %s) cannot be used with an application credential: its token is scoped to the '
                    'credential\'s project, and Keystone refuses a scope with it; remove it'
                    % (scope[0], creds.sources.get(scope[0])))
    return None


def resolve_credentials(params, environ=None, config_files=None, secure_files=None, cwd=None, vendor_files=None):
    """resolve_settings(), refused with a CredentialsError when the client will not use the result (client_gap)."""
    creds = resolve_settings(params, environ, config_files, secure_files, cwd, vendor_files)
    gap = client_gap(creds)
    if gap:
        raise CredentialsError(gap)
    return creds
