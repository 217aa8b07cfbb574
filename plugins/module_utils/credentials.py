# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn module options, a clouds.yaml entry and the environment into one Credentials object.

Every setting is resolved on its own, in this order: module options, then the
entry of the selected cloud (option ``cloud``, else ``OS_CLOUD``) in clouds.yaml
with secure.yaml merged in, then environment variables. Nothing here talks to
the network; environment and files are passed in so that tests need neither.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

try:
    import yaml
    HAS_YAML = True
    YAML_IMPORT_ERROR = None
except ImportError as yaml_import_exc:  # PyYAML ships with ansible-core; only a broken install lacks it
    HAS_YAML = False
    YAML_IMPORT_ERROR = str(yaml_import_exc)

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import CredentialsError


AUTH_KEYS = (
    'auth_url', 'username', 'user_id', 'password', 'user_domain_name', 'user_domain_id',
    'project_id', 'project_name', 'project_domain_name', 'project_domain_id',
    'token', 'access_key', 'secret_key', 'domain',
)
SECRET_KEYS = ('password', 'token', 'secret_key')
AUTH_TYPES = ('password', 'token', 'aksk')
INTERFACES = ('public', 'internal', 'admin')
DEFAULT_API_TIMEOUT = 30
DEFAULT_DOMAIN = 'Default'

# openstacksdk/keystoneauth plugin names -> ours
AUTH_TYPE_ALIASES = {
    'password': 'password', 'v3password': 'password',
    'token': 'token', 'v3token': 'token',
    'aksk': 'aksk',
}

# Keys of a clouds.yaml `auth:` mapping, per setting, first match wins.
CLOUD_AUTH_ALIASES = {
    'project_id': ('project_id', 'tenant_id'),
    'project_name': ('project_name', 'tenant_name'),
    'access_key': ('access_key', 'ak'),
    'secret_key': ('secret_key', 'sk'),
}

# Environment variables, per setting, first one set wins.
# OS_CLOUD_DOMAIN/HW_CLOUD_DOMAIN and OS_COMPUTE_ENDPOINT are this collection's own names.
ENV_VARS = (
    ('auth_url', ('OS_AUTH_URL',)),
    ('username', ('OS_USERNAME',)),
    ('user_id', ('OS_USER_ID',)),
    ('password', ('OS_PASSWORD',)),
    ('user_domain_name', ('OS_USER_DOMAIN_NAME',)),
    ('user_domain_id', ('OS_USER_DOMAIN_ID',)),
    ('project_id', ('OS_PROJECT_ID', 'OS_TENANT_ID', 'HW_PROJECT_ID')),
    ('project_name', ('OS_PROJECT_NAME', 'OS_TENANT_NAME')),
    ('project_domain_name', ('OS_PROJECT_DOMAIN_NAME',)),
    ('project_domain_id', ('OS_PROJECT_DOMAIN_ID',)),
    ('token', ('OS_TOKEN',)),
    ('access_key', ('OS_ACCESS_KEY', 'HW_ACCESS_KEY')),
    ('secret_key', ('OS_SECRET_KEY', 'HW_SECRET_KEY')),
    ('domain', ('OS_CLOUD_DOMAIN', 'HW_CLOUD_DOMAIN')),
    ('auth_type', ('OS_AUTH_TYPE',)),
    ('region_name', ('OS_REGION_NAME', 'HW_REGION_NAME')),
    ('interface', ('OS_INTERFACE',)),
    ('compute_endpoint', ('OS_COMPUTE_ENDPOINT',)),
    ('tls', ('OS_CACERT',)),
)

CONFIG_DIRS = ('.', '~/.config/openstack', '/etc/openstack')
YAML_SUFFIXES = ('.yaml', '.yml')


class Credentials(object):
    """Everything needed to reach the compute API, whatever it was read from.

    ``verify`` is what requests takes: True, False, or the path of a CA bundle.
    ``compute_endpoint`` may be a bare host URL (``https://ecs.eu-de.example.com``),
    one ending in ``/v2.1`` or the full ``/v2.1/<project_id>`` URL; the client normalises it.
    ``sources`` maps each resolved setting to where it came from
    (``option``, ``clouds.yaml:<path>``, ``env:<VAR>``, ``default`` or ``derived``), never its value.
    """

    def __init__(self, auth_type, region_name=None, interface='public', compute_endpoint=None,
                 verify=True, api_timeout=30, microversion=None, sources=None, cloud=None, **auth):
        self.auth_type = auth_type
        self.region_name = region_name
        self.interface = interface or 'public'
        self.compute_endpoint = compute_endpoint
        self.verify = verify
        self.ca_cert = verify if isinstance(verify, str) else None
        self.api_timeout = api_timeout
        self.microversion = microversion
        self.sources = dict(sources or {})
        self.cloud = cloud
        for key in AUTH_KEYS:
            setattr(self, key, auth.get(key))

    def __repr__(self):
        shown = dict((k, getattr(self, k)) for k in AUTH_KEYS if getattr(self, k) and k not in SECRET_KEYS)
        return 'Credentials(auth_type=%r, %r)' % (self.auth_type, shown)


# ---------------------------------------------------------------- layers
# A layer is (values, sources): setting -> value and setting -> label, for one origin.

def _put(layer, key, value, label):
    if value is None or value == '' or key in layer[0]:
        return
    if not isinstance(value, (bool, str)):
        value = str(value)  # YAML turns numeric ids and passwords into ints
    layer[0][key] = value
    layer[1][key] = label


def options_layer(params):
    """The settings given as module options (unset suboptions are None and ignored)."""
    layer = ({}, {})
    auth = params.get('auth') or {}
    for key in AUTH_KEYS:
        _put(layer, key, auth.get(key), 'option')
    for key in ('auth_type', 'region_name', 'interface', 'compute_endpoint'):
        _put(layer, key, params.get(key), 'option')
    _put(layer, 'api_timeout', params.get('api_timeout'), 'option')
    if params.get('validate_certs') is False:
        _put(layer, 'tls', False, 'option')
    else:
        _put(layer, 'tls', params.get('ca_cert'), 'option')
    return layer


def environment_layer(environ):
    """The settings found in environment variables."""
    layer = ({}, {})
    for key, names in ENV_VARS:
        for name in names:
            _put(layer, key, environ.get(name), 'env:%s' % name)
    return layer


def cloud_entry_layer(entry, path):
    """The settings of one clouds.yaml (or secure.yaml) cloud entry read from path."""
    label = 'clouds.yaml:%s' % path
    layer = ({}, {})
    auth = entry.get('auth') or {}
    if not isinstance(auth, dict):
        raise CredentialsError('%s: auth of the cloud entry must be a mapping' % path)
    for key in AUTH_KEYS:
        for alias in CLOUD_AUTH_ALIASES.get(key, (key,)):
            _put(layer, key, auth.get(alias), label)
    for key in ('auth_type', 'region_name', 'interface', 'api_timeout'):
        _put(layer, key, entry.get(key), label)
    regions = entry.get('regions')
    if isinstance(regions, list) and regions:
        first = regions[0]
        _put(layer, 'region_name', first.get('name') if isinstance(first, dict) else first, label)
    _put(layer, 'compute_endpoint', entry.get('compute_endpoint') or entry.get('compute_endpoint_override'), label)
    if 'verify' in entry and not _as_bool(entry['verify'], 'verify', path):
        _put(layer, 'tls', False, label)
    elif entry.get('cacert'):
        _put(layer, 'tls', os.path.expanduser(str(entry['cacert'])), label)
    return layer


def merge_layers(layers):
    """Per setting, the value of the first layer that has it."""
    merged = ({}, {})
    for values, sources in layers:
        for key, value in values.items():
            _put(merged, key, value, sources[key])
    return merged


def _as_bool(value, key, path):
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise CredentialsError('%s: %s must be true or false' % (path, key))


# ---------------------------------------------------------------- clouds.yaml

def default_config_files(environ, cwd=None, basename='clouds', override_var='OS_CLIENT_CONFIG_FILE'):
    """The files searched for clouds (basename 'clouds') or secrets (basename 'secure'), in order."""
    override = environ.get(override_var)
    if override:
        return [os.path.expanduser(override)]
    home = environ.get('HOME') or os.path.expanduser('~')
    files = []
    for directory in CONFIG_DIRS:
        if directory == '.':
            directory = cwd or os.getcwd()
        elif directory.startswith('~'):
            directory = home + directory[1:]
        files.extend(os.path.join(directory, basename + suffix) for suffix in YAML_SUFFIXES)
    return files


def default_secure_files(environ, cwd=None):
    """The secure.yaml files searched, in order (OS_CLIENT_SECURE_FILE alone when set)."""
    return default_config_files(environ, cwd, basename='secure', override_var='OS_CLIENT_SECURE_FILE')


def _yaml_problem(exc):
    # Never str(exc): PyYAML quotes the offending line, which may hold a password.
    mark = getattr(exc, 'problem_mark', None)
    problem = getattr(exc, 'problem', None) or 'invalid YAML'
    if mark is not None:
        return '%s at line %d, column %d' % (problem, mark.line + 1, mark.column + 1)
    return problem


def load_clouds(path):
    """The `clouds:` mapping of a clouds.yaml/secure.yaml file; None when the file does not exist."""
    if not os.path.exists(path):
        return None
    if not HAS_YAML:
        raise CredentialsError('cannot read %s: the PyYAML library cannot be imported (%s)' % (path, YAML_IMPORT_ERROR))
    try:
        with open(path, 'rb') as stream:
            data = yaml.safe_load(stream)
    except (IOError, OSError) as exc:
        raise CredentialsError('cannot read %s: %s' % (path, exc.strerror or exc.__class__.__name__))
    except yaml.YAMLError as exc:
        raise CredentialsError('cannot parse %s: %s' % (path, _yaml_problem(exc)))
    if data is None:
        return {}
    clouds = data.get('clouds') if isinstance(data, dict) else None
    if clouds is None and isinstance(data, dict):
        return {}
    if not isinstance(clouds, dict):
        raise CredentialsError('cannot use %s: expected a mapping with a "clouds:" mapping at the top' % path)
    return clouds


def _first_entry(name, files):
    """(path, entry) of the first file that has the cloud, or (None, None); also the cloud names seen."""
    seen = []
    for path in files:
        clouds = load_clouds(path)
        if clouds is None:
            continue
        if name in clouds:
            entry = clouds[name] or {}
            if not isinstance(entry, dict):
                raise CredentialsError('cannot use %s: cloud %r must be a mapping' % (path, name))
            return path, entry, seen
        seen.extend(str(k) for k in clouds)
    return None, None, seen


def find_cloud(name, config_files, secure_files=()):
    """The layer of cloud `name`: its clouds.yaml entry with its secure.yaml entry merged over it."""
    path, entry, seen = _first_entry(name, config_files)
    secure_path, secure_entry, dummy = _first_entry(name, secure_files)
    if entry is None and secure_entry is None:
        existing = [p for p in config_files if os.path.exists(p)]
        msg = 'cloud %r not found in %s' % (name, ', '.join(config_files) or 'no files')
        if not existing:
            msg += ' (none of these files exists)'
        elif seen:
            msg += ' (clouds there: %s)' % ', '.join(sorted(set(seen)))
        raise CredentialsError(msg)
    layers = []
    if secure_entry is not None:
        layers.append(cloud_entry_layer(secure_entry, secure_path))
    if entry is not None:
        layers.append(cloud_entry_layer(entry, path))
    return merge_layers(layers), path or secure_path


# ---------------------------------------------------------------- decisions

def normalize_auth_type(value, source):
    """Our auth type for an openstacksdk/keystoneauth plugin name, or CredentialsError."""
    name = str(value).strip().lower()
    if name not in AUTH_TYPE_ALIASES:
        raise CredentialsError('unsupported auth_type %r (from %s): use password, token, or aksk' % (value, source))
    return AUTH_TYPE_ALIASES[name]


def _layer_auth_type(layer):
    """The auth type a layer asks for or implies, with the source that decided it; None if it says nothing."""
    values, sources = layer
    if values.get('auth_type'):
        return normalize_auth_type(values['auth_type'], sources['auth_type']), sources['auth_type']
    for key in ('access_key', 'secret_key'):
        if values.get(key):
            return 'aksk', sources[key]
    if values.get('token') and not values.get('password'):
        return 'token', sources['token']
    if values.get('password'):
        return 'password', sources['password']
    return None


def decide_auth_type(layers):
    """The first layer that asks for or implies an auth type decides; password when none does."""
    for layer in layers:
        decided = _layer_auth_type(layer)
        if decided:
            return decided
    return 'password', 'default'


def normalize_interface(value, source):
    """public/internal/admin (also accepting keystone v2 names such as publicURL)."""
    name = str(value).strip().lower()
    if name.endswith('url'):
        name = name[:-3]
    if name not in INTERFACES:
        raise CredentialsError('invalid interface %r (from %s): use public, internal, or admin' % (value, source))
    return name


def _either(values, *keys):
    return any(values.get(k) for k in keys)


def missing_settings(auth_type, values):
    """One 'no X: set ...' phrase per missing setting for this auth type (empty when complete)."""
    missing = []
    if auth_type == 'password':
        if not values.get('auth_url'):
            missing.append('no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL')
        if not _either(values, 'username', 'user_id'):
            missing.append('no username: set auth.username (or auth.user_id), cloud, or OS_USERNAME (or OS_USER_ID)')
        if not values.get('password'):
            missing.append('no password: set auth.password, cloud, or OS_PASSWORD')
        if not _either(values, 'project_id', 'project_name'):
            missing.append('no project: set auth.project_id or auth.project_name, cloud, or OS_PROJECT_ID/OS_PROJECT_NAME')
    elif auth_type == 'token':
        if not values.get('token'):
            missing.append('no token: set auth.token, cloud, or OS_TOKEN')
        if not values.get('compute_endpoint'):
            missing.append('no compute_endpoint (a token needs the compute API URL): set compute_endpoint, cloud, or OS_COMPUTE_ENDPOINT')
    else:
        if not values.get('access_key'):
            missing.append('no access_key: set auth.access_key, cloud, OS_ACCESS_KEY, or HW_ACCESS_KEY')
        if not values.get('secret_key'):
            missing.append('no secret_key: set auth.secret_key, cloud, OS_SECRET_KEY, or HW_SECRET_KEY')
        if not values.get('project_id'):
            missing.append('no project_id: set auth.project_id, cloud, OS_PROJECT_ID, or HW_PROJECT_ID')
        missing.extend(_missing_aksk_endpoint(values))
    return missing


def _missing_aksk_endpoint(values):
    if values.get('compute_endpoint') or (values.get('region_name') and values.get('domain')):
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


def apply_defaults(auth_type, layer):
    """Keystone domain defaults for password auth, and the AK/SK endpoint built from region and domain."""
    values, sources = layer
    if auth_type == 'password':
        if not _either(values, 'user_domain_name', 'user_domain_id'):
            _put(layer, 'user_domain_name', DEFAULT_DOMAIN, 'default')
        if not _either(values, 'project_domain_name', 'project_domain_id'):
            if values.get('user_domain_id'):
                _put(layer, 'project_domain_id', values['user_domain_id'], 'default')
            else:
                _put(layer, 'project_domain_name', values['user_domain_name'], 'default')
    if auth_type == 'aksk' and not values.get('compute_endpoint'):
        _put(layer, 'compute_endpoint', 'https://ecs.%s.%s' % (values['region_name'], values['domain'].strip('.')), 'derived')
    return layer


def _api_timeout(layer):
    values, sources = layer
    value = values.get('api_timeout')
    try:
        timeout = int(value) if value is not None else DEFAULT_API_TIMEOUT
    except (TypeError, ValueError):
        timeout = 0
    if timeout <= 0:
        raise CredentialsError('invalid api_timeout %r (from %s): use a positive number of seconds'
                               % (value, sources.get('api_timeout', 'option')))
    return timeout


# ---------------------------------------------------------------- entry point

def resolve_credentials(params, environ=None, config_files=None, secure_files=None, cwd=None):
    """Build Credentials from module parameters, the selected clouds.yaml entry and the environment.

    params: the module's params (the shared connection options).
    environ: mapping of environment variables (default os.environ).
    config_files/secure_files: clouds.yaml/secure.yaml paths to search (default: the usual places).
    cwd: directory of ./clouds.yaml (default: the current directory).
    Raises CredentialsError naming what is missing and where it can be set; never a secret.
    """
    environ = os.environ if environ is None else environ
    layers = [options_layer(params)]
    cloud, cloud_source = params.get('cloud'), 'option'
    if not cloud and environ.get('OS_CLOUD'):
        cloud, cloud_source = environ['OS_CLOUD'], 'env:OS_CLOUD'
    cloud_path = None
    if cloud:
        if config_files is None:
            config_files = default_config_files(environ, cwd)
        if secure_files is None:
            secure_files = default_secure_files(environ, cwd)
        cloud_layer, cloud_path = find_cloud(cloud, config_files, secure_files)
        layers.append(cloud_layer)
    layers.append(environment_layer(environ))

    auth_type, type_source = decide_auth_type(layers)
    merged = merge_layers(layers)
    values, sources = merged
    values['auth_type'], sources['auth_type'] = auth_type, type_source
    if cloud:
        sources['cloud'] = cloud_source
    if values.get('interface'):
        values['interface'] = normalize_interface(values['interface'], sources['interface'])

    missing = missing_settings(auth_type, values)
    if missing:
        raise CredentialsError(_missing_message(missing, auth_type, type_source, cloud, cloud_path))
    apply_defaults(auth_type, merged)

    tls = values.pop('tls', None)
    if 'tls' in sources:
        sources['verify'] = sources.pop('tls')
    auth = dict((k, values[k]) for k in AUTH_KEYS if k in values)
    return Credentials(
        auth_type,
        region_name=values.get('region_name'),
        interface=values.get('interface') or 'public',
        compute_endpoint=values.get('compute_endpoint'),
        verify=False if tls is False else (tls or True),
        api_timeout=_api_timeout(merged),
        microversion=params.get('microversion'),
        sources=sources,
        cloud=cloud,
        **auth
    )


def _missing_message(missing, auth_type, type_source, cloud, cloud_path):
    message = '; '.join(missing)
    notes = []
    if type_source != 'default':
        notes.append('auth_type %s, chosen by %s' % (auth_type, type_source))
    if cloud:
        notes.append('cloud %r read from %s' % (cloud, cloud_path))
    if notes:
        message += ' (%s)' % '; '.join(notes)
    return message
