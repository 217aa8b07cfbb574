# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""resolve_settings()/resolve_credentials(): module options, clouds.yaml and the environment, as openstacksdk
resolves them (the field-by-field comparison with openstacksdk itself is tests/integration/test_credentials_oracle.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import textwrap

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.ecs_ops.compute.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import (
    AUTH_KEYS, AUTH_TYPE_CHOICES, PLUGINS, VENDOR_PROFILES, Credentials, CredentialsError, client_gap, config_search_path,
    default_config_files, default_secure_files, environment_cloud, resolve_credentials, resolve_settings,
)

PASSWORD_ENV = {
    'OS_AUTH_URL': 'https://iam.example.com/v3',
    'OS_USERNAME': 'env-user',
    'OS_PASSWORD': 'env-secret-pw',
    'OS_PROJECT_NAME': 'eu-de_env',
    'OS_USER_DOMAIN_NAME': 'env-domain',
}
AKSK_ENV = {
    'HW_ACCESS_KEY': 'AKENV',
    'HW_SECRET_KEY': 'env-secret-sk',
    'HW_PROJECT_ID': 'p-env',
    'HW_REGION_NAME': 'eu-de',
    'HW_CLOUD_DOMAIN': 'otc.t-systems.com',
}
OTC_AUTH = {'auth_url': 'https://iam.eu-de.otc.t-systems.com/v3', 'username': 'yaml-user', 'password': 'yaml-secret-pw',
            'project_name': 'eu-de_yaml', 'user_domain_name': 'OTC00000000001000000001'}


def params(**kwargs):
    """Module params as Ansible hands them over: every option present, unset ones None, argspec defaults filled."""
    spec = connection_argument_spec()
    result = dict((name, opt.get('default')) for name, opt in spec.items())
    auth = kwargs.pop('auth', None)
    if auth is not None:
        result['auth'] = dict((key, auth.get(key)) for key in spec['auth']['options'])
    result.update(kwargs)
    return result


def resolve(module_params=None, environ=None, files=None, secure=None, vendor=None, guarded=False):
    function = resolve_credentials if guarded else resolve_settings
    return function(module_params or params(), environ=environ or {},
                    config_files=files if files is not None else [],
                    secure_files=secure if secure is not None else [],
                    vendor_files=vendor if vendor is not None else [])


def write(tmp_path, name, content):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def cloud_file(tmp_path, name='clouds.yaml', **clouds):
    return write(tmp_path, name, {'clouds': clouds})


def refused(*args, **kwargs):
    with pytest.raises(CredentialsError) as err:
        resolve(*args, **kwargs)
    return str(err.value)


# ------------------------------------------------------------------ password and domains

def test_password_from_options_project_domain_follows_user_domain():
    creds = resolve(params(auth={'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw', 'project_name': 'p',
                                 'user_domain_name': 'OTC-1'}))
    assert (creds.auth_type, creds.auth_plugin, creds.auth_url, creds.username, creds.password) == (
        'password', 'password', 'https://iam/v3', 'u', 'pw')
    assert (creds.user_domain_name, creds.project_domain_name) == ('OTC-1', 'OTC-1')
    assert (creds.interface, creds.verify, creds.api_timeout, creds.region_name, creds.cloud) == ('public', True, 30, None, None)
    assert creds.sources['auth_url'] == 'option'
    assert creds.sources['project_domain_name'] == "option (the user's domain)"
    assert creds.sources['auth_type'] == 'option'  # implied by the password given as option


def test_no_default_domain_any_more():
    """No silent 'Default': a user name needs its domain (on OTC the account name, never Default)."""
    message = refused(params(auth={'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw', 'project_name': 'p'}))
    assert message.startswith("no domain for user 'u': set auth.user_domain_name (on OTC your account name, OTC000...), "
                              "auth.domain_name, auth.default_domain_name (Default on most private clouds)"), message
    assert "no domain for project 'p'" in message


@pytest.mark.parametrize('auth, expected', [
    # domain_name/domain_id fill the user and project domains that are not set (project-scoped only)
    ({'domain_name': 'D'}, {'user_domain_name': 'D', 'project_domain_name': 'D'}),
    ({'domain_id': 'd1'}, {'user_domain_id': 'd1', 'project_domain_id': 'd1'}),
    ({'domain_name': 'D', 'user_domain_name': 'U'}, {'user_domain_name': 'U', 'project_domain_name': 'D'}),
    ({'domain_name': 'D', 'project_domain_id': 'p1'}, {'user_domain_name': 'D', 'project_domain_id': 'p1', 'project_domain_name': 'D'}),
    ({'domain_id': 'd1', 'user_domain_name': 'U'}, {'user_domain_name': 'U', 'user_domain_id': 'd1', 'project_domain_id': 'd1'}),
    # the generic plugin's default domain
    ({'default_domain_name': 'DD'}, {'user_domain_name': 'DD', 'project_domain_name': 'DD'}),
    ({'default_domain_id': 'dd', 'user_domain_name': 'U'}, {'user_domain_name': 'U', 'user_domain_id': 'dd', 'project_domain_id': 'dd'}),
    # the project's domain falls back to the user's (this collection's choice)
    ({'user_domain_id': 'u1'}, {'user_domain_id': 'u1', 'project_domain_id': 'u1'}),
])
def test_domains(auth, expected):
    base = {'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw', 'project_name': 'p'}
    creds = resolve(params(auth=dict(base, **auth)))
    for key in ('user_domain_name', 'user_domain_id', 'project_domain_name', 'project_domain_id'):
        assert getattr(creds, key) == expected.get(key), key


def test_domain_name_sources_say_they_were_expanded():
    creds = resolve(environ=dict(PASSWORD_ENV, OS_USER_DOMAIN_NAME='', OS_DOMAIN_NAME='OTC-9'))
    assert (creds.user_domain_name, creds.project_domain_name) == ('OTC-9', 'OTC-9')
    assert creds.sources['user_domain_name'] == creds.sources['project_domain_name'] == 'env:OS_DOMAIN_NAME (domain_name)'


def test_domain_without_project_is_a_domain_scope_and_refused():
    message = refused(params(auth={'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw', 'domain_name': 'D'}))
    assert 'no project: set auth.project_id or auth.project_name' in message
    assert "no domain for user 'u'" in message  # unscoped: domain_name stays a scope, as in openstacksdk


def test_v3password_takes_no_default_domain():
    message = refused(params(auth_type='v3password', auth={'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw',
                                                           'project_id': 'p', 'default_domain_name': 'DD'}))
    assert message.startswith('auth.default_domain_name (from option) is not a setting of auth_type v3password'), message


def test_user_id_and_project_id_need_no_domain():
    creds = resolve(params(auth={'auth_url': 'https://iam/v3', 'user_id': 'uid', 'password': 'pw', 'project_id': 'pid'}))
    assert (creds.user_id, creds.project_id, creds.user_domain_name, creds.project_domain_name) == ('uid', 'pid', None, None)


def test_tenant_aliases_from_environment():
    environ = {'OS_AUTH_URL': 'https://a/v3', 'OS_USER_ID': 'uid', 'OS_PASSWORD': 'x', 'OS_TENANT_ID': 't1', 'OS_TENANT_NAME': 'tn',
               'OS_PROJECT_DOMAIN_ID': 'pd'}
    creds = resolve(environ=environ)
    assert (creds.user_id, creds.project_id, creds.project_name) == ('uid', 't1', 'tn')
    assert creds.sources['project_id'] == 'env:OS_TENANT_ID'


# ------------------------------------------------------------------ where settings come from

def test_environment_is_one_cloud_and_options_lie_over_it():
    creds = resolve(params(auth={'username': 'opt-user'}), environ=PASSWORD_ENV)
    assert (creds.username, creds.password) == ('opt-user', 'env-secret-pw')
    assert creds.sources['username'] == 'option' and creds.sources['password'] == 'env:OS_PASSWORD'
    assert creds.sources['cloud'] == 'environment (OS_* variables)' and creds.cloud is None


def test_environment_project_and_domain_win_over_options_like_openstacksdk():
    """openstacksdk prefers project, domain and token settings given outside `auth` (the OS_* cloud puts them there)."""
    creds = resolve(params(auth={'project_name': 'opt-project', 'user_domain_name': 'opt-dom'}), environ=PASSWORD_ENV)
    assert (creds.project_name, creds.user_domain_name) == ('eu-de_env', 'env-domain')


def test_region_option_must_be_one_of_the_clouds_regions():
    message = refused(params(region_name='eu-nl'), environ=dict(PASSWORD_ENV, OS_REGION_NAME='eu-de'))
    assert message == ("region_name 'eu-nl' (from option) is not a region of cloud 'envvars', whose regions are eu-de "
                       "(region names are case sensitive)")
    assert resolve(params(region_name=''), environ=dict(PASSWORD_ENV, OS_REGION_NAME='eu-de')).region_name == 'eu-de'


def test_empty_option_strings_count_as_unset():
    assert resolve(params(auth={'username': ''}), environ=PASSWORD_ENV).username == 'env-user'


def test_empty_variables_count_as_unset():
    """Unlike openstacksdk, where OS_PROJECT_NAME='' would still make the OS_* cloud and wipe the option's project."""
    creds = resolve(params(auth={'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw', 'project_name': 'p',
                                 'user_domain_name': 'D'}), environ={'OS_PROJECT_NAME': '', 'OS_USER_DOMAIN_NAME': '', 'OS_CLOUD': ''})
    assert (creds.project_name, creds.user_domain_name, creds.cloud) == ('p', 'D', None)
    assert 'cloud' not in creds.sources
    assert environment_cloud({'OS_USERNAME': '', 'HW_ACCESS_KEY': ''}) is None


def test_selectors_alone_make_no_environment_cloud(tmp_path):
    assert environment_cloud({'OS_CLOUD': 'x', 'OS_REGION_NAME': 'r', 'HW_REGION_NAME': 'r', 'OS_TEST_X': '1'}) is None
    assert environment_cloud({'HW_ACCESS_KEY': 'AK'})['access_key'].source == 'env:HW_ACCESS_KEY'
    assert environment_cloud({'OS_STDOUT_CAPTURE': '1', 'OS_LOG_CAPTURE': '1'}) is None
    # the only cloud of the file is used when nothing selects one
    path = cloud_file(tmp_path, only={'auth': dict(OTC_AUTH)})
    creds = resolve(environ={'OS_REGION_NAME': 'ignored-selector'}, files=[path])
    assert (creds.cloud, creds.username) == ('only', 'yaml-user')
    assert creds.sources['cloud'] == 'the only cloud in %s' % path


def test_named_cloud_ignores_the_environment(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH, 'region_name': 'eu-de'})
    creds = resolve(params(cloud='otc', auth={'username': 'opt-user'}), environ=dict(PASSWORD_ENV, OS_REGION_NAME='xx'), files=[path])
    assert (creds.username, creds.password, creds.project_name, creds.region_name) == ('opt-user', 'yaml-secret-pw', 'eu-de_yaml', 'eu-de')
    assert creds.sources['password'] == 'clouds.yaml:%s' % path
    assert creds.sources['region_name'] == 'clouds.yaml:%s' % path
    assert (creds.cloud, creds.sources['cloud']) == ('otc', 'option')


def test_os_cloud_selects_and_option_overrides_it(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH}, other={'auth': dict(OTC_AUTH, username='o')})
    assert resolve(environ={'OS_CLOUD': 'otc'}, files=[path]).username == 'yaml-user'
    assert resolve(environ={'OS_CLOUD': 'otc'}, files=[path]).sources['cloud'] == 'env:OS_CLOUD'
    assert resolve(params(cloud='other'), environ={'OS_CLOUD': 'otc'}, files=[path]).username == 'o'


def test_os_cloud_name_renames_the_environment_cloud(tmp_path):
    path = cloud_file(tmp_path, envvars={'auth': OTC_AUTH})
    assert "defines a cloud named 'envvars'" in refused(files=[path])
    creds = resolve(environ=dict(PASSWORD_ENV, OS_CLOUD_NAME='mine'), files=[path])
    assert creds.username == 'env-user'


# ------------------------------------------------------------------ files

def test_only_the_first_existing_file_is_read(tmp_path):
    first = cloud_file(tmp_path, 'a/clouds.yaml', unrelated={})
    second = cloud_file(tmp_path, 'b/clouds.yaml', otc={'auth': OTC_AUTH})
    message = refused(params(cloud='otc'), files=[str(tmp_path / 'missing.yaml'), first, second])
    assert message == "cloud 'otc' (from option) not found in %s (clouds there: unrelated)" % first


def test_an_unparsable_file_is_skipped_and_named(tmp_path):
    broken = write(tmp_path, 'a/clouds.yaml', 'clouds:\n  otc:\n    auth: {password: "hunter2-secret\n')
    good = cloud_file(tmp_path, 'b/clouds.yaml', otc={'auth': OTC_AUTH})
    assert resolve(params(cloud='otc'), files=[broken, good]).username == 'yaml-user'
    message = refused(params(cloud='otc'), files=[broken])
    assert message.startswith("cloud 'otc' (from option) not found: none of %s exists; skipped %s: cannot parse it: " % (broken, broken))
    assert 'line' in message and 'hunter2' not in message


def test_an_empty_file_ends_the_search(tmp_path):
    empty = write(tmp_path, 'a/clouds.yaml', '')
    later = cloud_file(tmp_path, 'b/clouds.yaml', otc={'auth': OTC_AUTH})
    assert "not found in %s (no clouds there)" % empty in refused(params(cloud='otc'), files=[empty, later])


def test_cloud_not_found_when_no_file_exists(tmp_path):
    missing = str(tmp_path / 'clouds.yaml')
    assert refused(params(cloud='x'), files=[missing]) == "cloud 'x' (from option) not found: none of %s exists" % missing


@pytest.mark.parametrize('text, fragment', [
    ('- a\n- b\n', 'it is not a mapping'),
    ('clouds: [a, b]\n', '"clouds" must be a mapping'),
    ('clouds:\n  otc: [1]\n', "cloud 'otc' must be a mapping"),
    ('clouds:\n  otc:\n    auth: [x]\n', "auth of cloud 'otc' must be a mapping"),
    ('clouds:\n  otc:\n', "cloud 'otc' in {path} has no settings"),
])
def test_wrong_shapes_name_the_path(tmp_path, text, fragment):
    path = write(tmp_path, 'clouds.yaml', text)
    message = refused(params(cloud='otc'), files=[path])
    assert path in message and fragment.format(path=path) in message, message


def test_unreadable_file_names_the_path(tmp_path):
    path = tmp_path / 'clouds.yaml'
    path.mkdir()  # a directory cannot be read as a file, even by root
    assert refused(params(cloud='otc'), files=[str(path)]).startswith('cannot read %s: ' % path)


def test_secure_yaml_is_merged_over_clouds_yaml(tmp_path):
    clouds = cloud_file(tmp_path, otc={'auth': dict((k, v) for k, v in OTC_AUTH.items() if k != 'password'), 'region_name': 'eu-de'})
    secure = cloud_file(tmp_path, 'secure.yaml', otc={'auth': {'password': 'from-secure'}}, extra={'auth': OTC_AUTH})
    creds = resolve(params(cloud='otc'), files=[clouds], secure=[secure])
    assert (creds.username, creds.password, creds.region_name) == ('yaml-user', 'from-secure', 'eu-de')
    assert creds.sources['password'] == 'secure.yaml:%s' % secure
    assert resolve(params(cloud='extra'), files=[clouds], secure=[secure]).username == 'yaml-user'  # a cloud of secure.yaml alone


def test_override_variables_come_first(tmp_path):
    home = cloud_file(tmp_path, 'home/clouds.yaml', otc={'auth': OTC_AUTH})
    override = cloud_file(tmp_path, 'elsewhere', otc={'auth': dict(OTC_AUTH, username='override-user')})
    secure = cloud_file(tmp_path, 'secure-elsewhere', otc={'auth': {'password': 'from-override'}})
    environ = {'OS_CLIENT_CONFIG_FILE': override, 'OS_CLIENT_SECURE_FILE': secure}
    creds = resolve(params(cloud='otc'), environ=environ, files=[home])
    assert (creds.username, creds.password) == ('override-user', 'from-override')
    environ['OS_CLIENT_CONFIG_FILE'] = str(tmp_path / 'does-not-exist.yaml')  # then the usual files
    assert resolve(params(cloud='otc'), environ=environ, files=[home]).username == 'yaml-user'


def test_search_path_follows_openstacksdk():
    environ = {'HOME': '/home/u'}
    assert config_search_path(environ, cwd='/work') == [
        '/work', '/home/u/.config/openstack', '/home/u/.config/openstack', '/etc/xdg/openstack', '/etc/openstack']
    environ = {'HOME': '/home/u', 'XDG_CONFIG_HOME': '/x', 'XDG_CONFIG_DIRS': '/a:relative:/b', 'SNAP_REAL_HOME': '/real'}
    assert config_search_path(environ, cwd='/work') == [
        '/work', '/x/openstack', '/real/.config/openstack', '/a/openstack:/b/openstack', '/etc/openstack']
    files = default_config_files({'HOME': '/home/u'}, cwd='/work')
    assert files[:3] == ['/work/clouds.yaml', '/work/clouds.yml', '/work/clouds.json']
    assert files[-1] == '/etc/openstack/clouds.json' and len(files) == 15
    assert default_secure_files({'HOME': '/home/u'}, cwd='/work')[0] == '/work/secure.yaml'


def test_default_search_uses_cwd_and_home(tmp_path):
    cwd, home = tmp_path / 'cwd', tmp_path / 'home'
    cloud_file(tmp_path, 'home/.config/openstack/clouds.yaml', otc={'auth': dict(OTC_AUTH, username='home-user')})
    cloud_file(tmp_path, 'home/.config/openstack/secure.yaml', otc={'auth': {'password': 'home-secure'}})
    cwd.mkdir()
    environ = {'HOME': str(home), 'OS_CLOUD': 'otc', 'XDG_CONFIG_DIRS': str(tmp_path / 'site')}
    creds = resolve_settings(params(), environ=environ, cwd=str(cwd))
    assert (creds.username, creds.password) == ('home-user', 'home-secure')
    cloud_file(tmp_path, 'cwd/clouds.yaml', otc={'auth': dict(OTC_AUTH, username='cwd-user')})
    assert resolve_settings(params(), environ=environ, cwd=str(cwd)).username == 'cwd-user'


# ------------------------------------------------------------------ keys: hyphens, old names, unknown ones

def test_hyphenated_keys_and_top_level_auth_settings(tmp_path):
    path = write(tmp_path, 'clouds.yaml', textwrap.dedent("""\
        clouds:
          otc:
            auth-url: https://iam/v3
            username: u
            password: pw
            user-domain-name: D
            tenant-name: p
            region-name: eu-de
            endpoint_type: internalURL
            compute-api-version: '2.60'
            nova_timeout: 42
        """))
    creds = resolve(params(cloud='otc'), files=[path])
    assert (creds.auth_url, creds.username, creds.user_domain_name, creds.project_name, creds.project_domain_name) == (
        'https://iam/v3', 'u', 'D', 'p', 'D')
    assert (creds.region_name, creds.interface, creds.microversion, creds.api_timeout) == ('eu-de', 'internal', '2.60', 42)


def test_unknown_top_level_keys_are_ignored_unknown_auth_keys_refused(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH, 'image_format': 'raw', 'whatever': 1},
                      bad={'auth': dict(OTC_AUTH, passwrd='typo')})
    assert resolve(params(cloud='otc'), files=[path]).username == 'yaml-user'
    assert refused(params(cloud='bad'), files=[path]) == (
        'auth.passwrd (from clouds.yaml:%s) is not a setting of auth_type password: remove it, or set the auth_type it '
        'belongs to (openstacksdk refuses it too)' % path)


@pytest.mark.parametrize('auth_type, auth, expected', [
    ('v3password', {'auth_url': 'https://a/v3', 'username': 'u', 'password': 'p', 'project_id': 'x', 'user_domain_id': 'd'},
     ('password', 'v3password')),
    ('token', {'auth_url': 'https://a/v3', 'token': 't', 'project_id': 'x'}, ('token', 'token')),
    ('v3token', {'auth_url': 'https://a/v3', 'token': 't', 'project_id': 'x'}, ('token', 'v3token')),
    ('admin_token', {'token': 't', 'endpoint': 'https://ecs/v2.1'}, ('token', 'admin_token')),
    ('token_endpoint', {'token': 't', 'url': 'https://ecs/v2.1'}, ('token', 'admin_token')),
    ('v3applicationcredential', {'auth_url': 'https://a/v3', 'application_credential_id': 'i', 'application_credential_secret': 's'},
     ('application_credential', 'v3applicationcredential')),
    ('application_credential', {'auth_url': 'https://a/v3', 'application_credential_name': 'n', 'application_credential_secret': 's',
                                'user_id': 'u'}, ('application_credential', 'v3applicationcredential')),
    ('aksk', {'access_key': 'a', 'secret_key': 's', 'project_id': 'x', 'domain': 'example.com'}, ('aksk', 'aksk')),
])
def test_auth_type_names(tmp_path, auth_type, auth, expected):
    path = cloud_file(tmp_path, c={'auth_type': auth_type, 'auth': auth, 'region_name': 'r'})
    creds = resolve(params(cloud='c'), files=[path])
    assert (creds.auth_type, creds.auth_plugin) == expected
    assert set(AUTH_TYPE_CHOICES) == set(connection_argument_spec()['auth_type']['choices'])


def test_admin_token_endpoint_is_the_compute_endpoint():
    creds = resolve(params(auth_type='admin_token', auth={'token': 't', 'endpoint': 'https://ecs/v2.1/p'}))
    assert (creds.compute_endpoint, creds.sources['compute_endpoint']) == ('https://ecs/v2.1/p', 'option')
    assert refused(params(auth_type='admin_token', auth={'token': 't'}, compute_endpoint='https://e')).startswith(
        'no endpoint: admin_token sends every request to auth.endpoint')


@pytest.mark.parametrize('value, source', [('v3oidcpassword', 'clouds'), ('oidc', 'env')])
def test_unsupported_auth_type_names_its_source(tmp_path, value, source):
    path = cloud_file(tmp_path, c={'auth_type': value})
    if source == 'clouds':
        message = refused(params(cloud='c'), files=[path])
        assert message.startswith("unsupported auth_type %r (from clouds.yaml:%s): use one of password, v3password" % (value, path))
    else:
        assert refused(environ={'OS_AUTH_TYPE': value}).startswith("unsupported auth_type 'oidc' (from env:OS_AUTH_TYPE)")


def test_auth_type_none_is_refused(tmp_path):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  c:\n    auth_type:\n')
    assert 'openstacksdk would use the "none" plugin' in refused(params(cloud='c'), files=[path])


@pytest.mark.parametrize('key', ['trust_id', 'system_scope'])
def test_scopes_the_compute_api_cannot_use(key):
    environ = {'OS_AUTH_URL': 'https://a/v3', 'OS_USER_ID': 'u', 'OS_PASSWORD': 'p', 'OS_PROJECT_ID': 'x', 'OS_' + key.upper(): 'v'}
    assert refused(environ=environ).startswith('auth.%s (from env:OS_%s) is not supported by this collection' % (key, key.upper()))


# ------------------------------------------------------------------ profiles and regions

def test_profile_otc_fills_auth_url_and_regions(tmp_path):
    path = cloud_file(tmp_path, otc={'profile': 'otc', 'auth': dict((k, v) for k, v in OTC_AUTH.items() if k != 'auth_url')})
    creds = resolve(params(cloud='otc'), files=[path])
    assert (creds.auth_url, creds.region_name, creds.interface) == ('https://iam.eu-de.otc.t-systems.com/v3', 'eu-de', 'public')
    assert creds.sources['auth_url'] == creds.sources['region_name'] == 'profile:otc'
    assert resolve(params(cloud='otc', region_name='eu-nl'), files=[path]).auth_url == 'https://iam.eu-nl.otc.t-systems.com/v3'


@pytest.mark.parametrize('profile, message', [
    ('otc-swiss', "auth_url 'iam-pub.eu-ch2.sc.otc.t-systems.com/v3' (from profile:otc-swiss) cannot work: it must start with https://"),
    ('betacloud', "profile 'betacloud' (from clouds.yaml:{path}) references a cloud that no longer exists: betacloud.de has ceased"),
    ('ovh', "profile 'ovh' (from clouds.yaml:{path}) points to the remote profile https://ovhcloud.com, which this collection"),
    ('https://cloud.example.com', "profile 'https://cloud.example.com' (from clouds.yaml:{path}) is a remote profile"),
])
def test_profiles_that_cannot_work(tmp_path, profile, message):
    path = cloud_file(tmp_path, c={'profile': profile, 'auth': dict((k, v) for k, v in OTC_AUTH.items() if k != 'auth_url')})
    assert message.format(path=path) in refused(params(cloud='c'), files=[path])


def test_unknown_profile_is_ignored(tmp_path):
    path = cloud_file(tmp_path, c={'profile': 'nonesuch', 'auth': OTC_AUTH})
    assert resolve(params(cloud='c'), files=[path]).auth_url == OTC_AUTH['auth_url']


def test_vendor_profiles_match_openstacksdk():
    """The embedded table is openstacksdk's vendor profiles (the keys that matter here); it fails when the pin moves them."""
    import glob
    import yaml
    from openstack.config import vendors
    theirs = {}
    for path in glob.glob(os.path.join(os.path.dirname(vendors.__file__), '*.*')):
        if path.endswith(('.json', '.yaml')):
            with open(path) as handle:
                data = yaml.safe_load(handle)
            theirs[data['name']] = data['profile']
    assert sorted(theirs) == sorted(VENDOR_PROFILES)
    kept = ('auth', 'regions', 'region_name', 'region-name', 'interface', 'status', 'message', 'profile')
    for name, profile in theirs.items():
        expected = dict((k, v) for k, v in profile.items() if k in kept)
        if isinstance(expected.get('regions'), list):
            expected['regions'] = [dict(r, values={}) if isinstance(r, dict) else r for r in expected['regions']]
        assert VENDOR_PROFILES[name] == expected, name


def test_regions_list_values_and_comma_list(tmp_path):
    path = cloud_file(tmp_path, r={'auth': OTC_AUTH, 'regions': ['a', {'name': 'b', 'values': {'interface': 'internal'}}]},
                      c={'auth': OTC_AUTH, 'region_name': 'x,y'})
    assert resolve(params(cloud='r'), files=[path]).region_name == 'a'
    creds = resolve(params(cloud='r', region_name='b'), files=[path])
    assert (creds.region_name, creds.interface, creds.sources['interface']) == ('b', 'internal', 'clouds.yaml:%s (region b)' % path)
    assert resolve(params(cloud='c'), files=[path]).region_name == 'x'
    assert resolve(params(cloud='c', region_name='y'), files=[path]).region_name == 'y'


def test_region_placeholder_in_other_settings(tmp_path):
    path = cloud_file(tmp_path, c={'auth': OTC_AUTH, 'region_name': 'eu-nl',
                                   'compute_endpoint_override': 'https://ecs.{region_name}.example.com'},
                      bad={'auth': OTC_AUTH, 'compute_endpoint_override': 'https://ecs.{regoin}.example.com'})
    assert resolve(params(cloud='c'), files=[path]).compute_endpoint == 'https://ecs.eu-nl.example.com'
    assert refused(params(cloud='bad'), files=[path]).startswith(
        'cannot expand compute_endpoint_override (from clouds.yaml:%s): its braces name no setting' % path)


# ------------------------------------------------------------------ TLS, interface, timeout, microversion

@pytest.mark.parametrize('validate_certs, ca_cert, cloud, verify, source', [
    (True, None, {}, True, 'default'),
    (False, None, {'cacert': '/yaml/ca.pem'}, False, 'option'),
    (True, None, {'verify': False, 'cacert': '/yaml/ca.pem'}, False, 'clouds.yaml'),
    (True, '/opt/ca.pem', {'verify': False}, '/opt/ca.pem', 'option'),
    (True, None, {'cacert': '~/ca.pem'}, '/home/u/ca.pem', 'clouds.yaml'),
    (True, None, {'insecure': 'True', 'cacert': '/yaml/ca.pem'}, False, 'clouds.yaml'),
    (True, None, {'verify': '/yaml/bundle.pem'}, '/yaml/bundle.pem', 'clouds.yaml'),
    (False, '/opt/ca.pem', {}, False, 'option'),
])
def test_verify(tmp_path, validate_certs, ca_cert, cloud, verify, source):
    path = cloud_file(tmp_path, otc=dict(cloud, auth=OTC_AUTH))
    creds = resolve(params(cloud='otc', validate_certs=validate_certs, ca_cert=ca_cert), environ={'HOME': '/home/u'}, files=[path])
    assert creds.verify == verify
    assert creds.ca_cert == (verify if isinstance(verify, str) else None)
    assert creds.sources['verify'].startswith(source)


def test_verify_from_environment_and_string_booleans(tmp_path):
    creds = resolve(environ=dict(PASSWORD_ENV, OS_CACERT='/env/ca.pem'))
    assert (creds.verify, creds.sources['verify']) == ('/env/ca.pem', 'env:OS_CACERT')
    assert resolve(environ=dict(PASSWORD_ENV, OS_CACERT='/env/ca.pem', OS_INSECURE='true')).verify is False
    assert resolve(environ=dict(PASSWORD_ENV, OS_INSECURE='yes')).verify is True  # openstacksdk: only "true" is true
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH, 'verify': 'false'})
    assert refused(params(cloud='otc'), files=[path]).startswith(
        "verify 'false' (from clouds.yaml:%s) is a string, which requests would take as the path of a CA bundle" % path)


def test_client_certificate(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH, 'cert': '~/c.pem', 'key': '/k.pem'})
    creds = resolve(params(cloud='otc'), environ={'HOME': '/h'}, files=[path])
    assert (creds.client_cert, creds.client_key, creds.sources['client_cert']) == ('/h/c.pem', '/k.pem', 'clouds.yaml:%s' % path)
    creds = resolve(params(client_cert='/o/c.pem'), environ=PASSWORD_ENV)
    assert (creds.client_cert, creds.client_key) == ('/o/c.pem', None)


@pytest.mark.parametrize('value, expected', [('public', 'public'), ('publicURL', 'public'), ('INTERNAL', 'internal'), ('adminURL', 'admin')])
def test_interface_normalised(value, expected):
    assert resolve(environ=dict(PASSWORD_ENV, OS_INTERFACE=value)).interface == expected


def test_invalid_interface():
    assert refused(environ=dict(PASSWORD_ENV, OS_INTERFACE='private')) == (
        "invalid interface 'private' (from env:OS_INTERFACE): use public, internal, or admin")


def test_api_timeout(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH, 'api_timeout': 90})
    assert resolve(params(cloud='otc'), files=[path]).api_timeout == 90
    assert resolve(params(cloud='otc', api_timeout=15), files=[path]).api_timeout == 15
    assert resolve(params(api_timeout=None), environ=PASSWORD_ENV).api_timeout == 30
    assert refused(params(api_timeout=0), environ=PASSWORD_ENV).startswith('invalid api_timeout 0 (from option)')


@pytest.mark.parametrize('cloud, option, expected', [
    ({'compute_api_version': '2.60'}, None, '2.60'),
    ({'compute_api_version': '2'}, None, None),
    ({'compute_api_version': '2.0'}, None, None),
    ({'compute_api_version': 2, 'compute_default_microversion': '2.47'}, None, '2.47'),
    ({'compute_api_version': '2.60'}, '2.30', '2.30'),
])
def test_microversion(tmp_path, cloud, option, expected):
    path = cloud_file(tmp_path, otc=dict(cloud, auth=OTC_AUTH))
    assert resolve(params(cloud='otc', microversion=option), files=[path]).microversion == expected


def test_compute_api_version_that_cannot_work(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': OTC_AUTH, 'compute_api_version': '1.1'})
    assert refused(params(cloud='otc'), files=[path]).startswith("compute_api_version '1.1' (from clouds.yaml:%s) cannot work" % path)


# ------------------------------------------------------------------ tokens, application credentials, AK/SK

def test_token_with_endpoint():
    creds = resolve(params(auth={'token': 'tok-secret'}, compute_endpoint='https://ecs.example.com/v2.1/p'))
    assert (creds.auth_type, creds.auth_plugin, creds.token, creds.compute_endpoint) == (
        'token', 'token', 'tok-secret', 'https://ecs.example.com/v2.1/p')
    assert creds.rescope_token is False


def test_token_from_env_with_our_endpoint_variable():
    creds = resolve(environ={'OS_TOKEN': 't', 'OS_COMPUTE_ENDPOINT': 'https://ecs.example.com'})
    assert (creds.auth_type, creds.compute_endpoint) == ('token', 'https://ecs.example.com')
    assert creds.sources['compute_endpoint'] == 'env:OS_COMPUTE_ENDPOINT'


def test_token_without_endpoint():
    assert refused(environ={'OS_TOKEN': 'tok-secret'}) == (
        'no compute_endpoint (a token needs the compute API URL): set compute_endpoint, cloud, or OS_COMPUTE_ENDPOINT '
        '(auth_type token, chosen by env:OS_TOKEN)')


def test_token_with_auth_url_is_rescoped_and_needs_a_project():
    environ = {'OS_AUTH_TYPE': 'v3token', 'OS_TOKEN': 't', 'OS_AUTH_URL': 'https://a/v3'}
    assert refused(environ=environ).startswith('no project: set auth.project_id or auth.project_name')
    creds = resolve(environ=dict(environ, OS_PROJECT_NAME='p', OS_PROJECT_DOMAIN_NAME='D'))
    assert (creds.rescope_token, creds.project_name, creds.project_domain_name, creds.compute_endpoint) == (True, 'p', 'D', None)


@pytest.mark.parametrize('environ, missing', [
    ({'OS_APPLICATION_CREDENTIAL_SECRET': 's'}, 'no application credential: set auth.application_credential_id'),
    ({'OS_APPLICATION_CREDENTIAL_SECRET': 's', 'OS_APPLICATION_CREDENTIAL_NAME': 'n'}, 'no user for application_credential_name'),
    ({'OS_APPLICATION_CREDENTIAL_ID': 'i'}, 'no application_credential_secret'),
])
def test_application_credential_missing_pieces(environ, missing):
    message = refused(environ=dict(environ, OS_AUTH_URL='https://a/v3', OS_AUTH_TYPE='v3applicationcredential'))
    assert missing in message, message


def test_application_credential_inferred_and_resolved():
    creds = resolve(environ={'OS_AUTH_URL': 'https://a/v3', 'OS_APPLICATION_CREDENTIAL_ID': 'i',
                             'OS_APPLICATION_CREDENTIAL_SECRET': 'app-secret'})
    assert (creds.auth_type, creds.auth_plugin, creds.application_credential_id, creds.application_credential_secret) == (
        'application_credential', 'v3applicationcredential', 'i', 'app-secret')
    assert creds.sources['auth_type'] == 'env:OS_APPLICATION_CREDENTIAL_SECRET'
    assert 'app-secret' not in repr(creds)


def test_aksk_from_hw_environment():
    creds = resolve(environ=AKSK_ENV)
    assert (creds.auth_type, creds.access_key, creds.secret_key, creds.project_id, creds.region_name, creds.domain) == (
        'aksk', 'AKENV', 'env-secret-sk', 'p-env', 'eu-de', 'otc.t-systems.com')
    assert creds.compute_endpoint == 'https://ecs.eu-de.otc.t-systems.com'
    assert (creds.sources['access_key'], creds.sources['compute_endpoint']) == ('env:HW_ACCESS_KEY', 'derived')


def test_aksk_security_token():
    creds = resolve(environ=dict(AKSK_ENV, HW_SECURITY_TOKEN='sts-secret'))
    assert (creds.security_token, creds.sources['security_token']) == ('sts-secret', 'env:HW_SECURITY_TOKEN')
    creds = resolve(environ=dict(AKSK_ENV, OS_SECURITY_TOKEN='os-sts', HW_SECURITY_TOKEN='hw-sts'))
    assert creds.security_token == 'os-sts'
    assert 'sts' not in repr(creds)


def test_os_names_win_over_hw_names():
    environ = dict(AKSK_ENV, OS_ACCESS_KEY='AKOS', OS_SECRET_KEY='s', OS_PROJECT_ID='p-os', OS_REGION_NAME='eu-nl', OS_CLOUD_DOMAIN='d.example')
    creds = resolve(environ=environ)
    assert (creds.access_key, creds.project_id, creds.compute_endpoint) == ('AKOS', 'p-os', 'https://ecs.eu-nl.d.example')


def test_aksk_in_clouds_yaml_with_aliases_numbers_and_regions(tmp_path):
    path = cloud_file(tmp_path, keys={'auth_type': 'aksk', 'auth': {'ak': 'AKYAML', 'sk': 'yaml-secret-sk', 'tenant_id': 12345,
                                                                    'domain': 'otc.t-systems.com'}, 'regions': ['eu-nl', 'eu-de']})
    creds = resolve(params(cloud='keys'), files=[path])
    assert (creds.auth_type, creds.access_key, creds.secret_key, creds.project_id) == ('aksk', 'AKYAML', 'yaml-secret-sk', '12345')
    assert (creds.region_name, creds.compute_endpoint) == ('eu-nl', 'https://ecs.eu-nl.otc.t-systems.com')


def test_aksk_explicit_endpoint_wins_over_built_one():
    creds = resolve(params(auth_type='aksk', compute_endpoint='http://127.0.0.1:8774'), environ=AKSK_ENV)
    assert creds.compute_endpoint == 'http://127.0.0.1:8774' and creds.sources['compute_endpoint'] == 'option'


@pytest.mark.parametrize('drop, message', [
    ('HW_CLOUD_DOMAIN', 'no domain to build the compute endpoint https://ecs.<region_name>.<domain>: set compute_endpoint, or auth.domain, '
                        'cloud, OS_CLOUD_DOMAIN, or HW_CLOUD_DOMAIN (auth_type aksk, chosen by env:HW_ACCESS_KEY)'),
    ('HW_REGION_NAME', 'no region_name to build the compute endpoint https://ecs.<region_name>.<domain>: set compute_endpoint, or region_name, '
                       'cloud, OS_REGION_NAME, or HW_REGION_NAME (auth_type aksk, chosen by env:HW_ACCESS_KEY)'),
    ('HW_PROJECT_ID', 'no project_id: set auth.project_id, cloud, OS_PROJECT_ID, or HW_PROJECT_ID (auth_type aksk, chosen by env:HW_ACCESS_KEY)'),
    ('HW_SECRET_KEY', 'no secret_key: set auth.secret_key, cloud, OS_SECRET_KEY, or HW_SECRET_KEY (auth_type aksk, chosen by env:HW_ACCESS_KEY)'),
])
def test_aksk_missing_pieces(drop, message):
    environ = dict(AKSK_ENV)
    del environ[drop]
    assert refused(environ=environ) == message


def test_aksk_without_region_and_domain():
    assert refused(environ={'OS_ACCESS_KEY': 'a', 'OS_SECRET_KEY': 'b', 'OS_PROJECT_ID': 'c'}).startswith(
        'no compute_endpoint: set compute_endpoint, cloud, or OS_COMPUTE_ENDPOINT, or region_name')


@pytest.mark.parametrize('module_params, environ, expected', [
    (params(), dict(PASSWORD_ENV, **AKSK_ENV), 'password'),  # a password keeps openstacksdk's default
    (params(), AKSK_ENV, 'aksk'),
    (params(auth_type='aksk'), dict(PASSWORD_ENV, **AKSK_ENV), 'aksk'),  # identity keys left over are ignored by aksk
    (params(auth={'token': 't'}, compute_endpoint='https://e'), {}, 'token'),
    (params(auth={'application_credential_id': 'i', 'application_credential_secret': 's', 'auth_url': 'https://a/v3'}), {},
     'application_credential'),
])
def test_auth_type_inferred_when_none_is_set(module_params, environ, expected):
    assert resolve(module_params, environ=environ).auth_type == expected


# ------------------------------------------------------------------ what the client does not do

APPCRED_ENV = {'OS_AUTH_URL': 'https://a/v3', 'OS_APPLICATION_CREDENTIAL_ID': 'i', 'OS_APPLICATION_CREDENTIAL_SECRET': 's'}


@pytest.mark.parametrize('environ, message', [
    (dict(APPCRED_ENV, OS_PROJECT_NAME='p', OS_PROJECT_DOMAIN_NAME='D'),
     "auth.project_name (from env:OS_PROJECT_NAME) cannot be used with an application credential: its token is scoped to "
     "the credential's project, and Keystone refuses a scope with it; remove it"),
    (dict(APPCRED_ENV, OS_PROJECT_ID='p'), 'auth.project_id (from env:OS_PROJECT_ID) cannot be used with an application credential'),
    # not "no domain for project": the project itself is what cannot work
    (dict(APPCRED_ENV, OS_PROJECT_NAME='p'), 'auth.project_name (from env:OS_PROJECT_NAME) cannot be used with an application'),
])
def test_client_gaps_refused_by_resolve_credentials(environ, message):
    creds = resolve(environ=environ)  # openstacksdk accepts it too; Keystone would refuse the scope
    assert client_gap(creds).startswith(message)
    assert refused(environ=environ, guarded=True).startswith(message)


@pytest.mark.parametrize('environ', [
    PASSWORD_ENV, AKSK_ENV, dict(AKSK_ENV, HW_SECURITY_TOKEN='s'), dict(PASSWORD_ENV, OS_CERT='/c.pem', OS_KEY='/k.pem'),
    APPCRED_ENV, dict(APPCRED_ENV, OS_PROJECT_DOMAIN_NAME='Default'),  # a project domain alone makes no scope
    {'OS_TOKEN': 't', 'OS_COMPUTE_ENDPOINT': 'https://e', 'OS_AUTH_URL': 'https://a/v3'},
    {'OS_AUTH_TYPE': 'v3token', 'OS_TOKEN': 't', 'OS_AUTH_URL': 'https://a/v3', 'OS_PROJECT_ID': 'p'},
], ids=['password', 'aksk', 'aksk-security-token', 'client-cert', 'appcred', 'appcred-project-domain', 'token-as-it-is',
        'token-rescoped'])
def test_no_gap_for_what_the_client_does(environ):
    assert client_gap(resolve(environ=environ, guarded=True)) is None


@pytest.mark.parametrize('environ, rescope', [
    ({'OS_TOKEN': 't', 'OS_COMPUTE_ENDPOINT': 'https://e'}, False),                                     # no auth_url
    ({'OS_TOKEN': 't', 'OS_COMPUTE_ENDPOINT': 'https://e', 'OS_AUTH_URL': 'https://a/v3'}, False),     # no project
    ({'OS_TOKEN': 't', 'OS_AUTH_URL': 'https://a/v3', 'OS_PROJECT_ID': 'p'}, True),
    ({'OS_TOKEN': 't', 'OS_AUTH_URL': 'https://a/v3', 'OS_PROJECT_ID': 'p', 'OS_COMPUTE_ENDPOINT': 'https://e'}, True),
    ({'OS_AUTH_TYPE': 'admin_token', 'OS_TOKEN': 't', 'OS_ENDPOINT': 'https://e'}, False),
])
def test_a_token_is_exchanged_when_there_is_a_keystone_and_a_project(environ, rescope):
    """openstacksdk's token plugins exchange the token at auth_url for one scoped to the project, with or without a
    compute endpoint; without a project (and with compute_endpoint) the token is sent as it is."""
    assert resolve(environ=environ).rescope_token is rescope


def test_a_rescoped_token_needs_the_project_domain():
    environ = {'OS_TOKEN': 't', 'OS_AUTH_URL': 'https://a/v3', 'OS_PROJECT_NAME': 'p', 'OS_COMPUTE_ENDPOINT': 'https://e'}
    assert refused(environ=environ).startswith("no domain for project 'p'")


@pytest.mark.parametrize('environ, expected', [
    (dict(PASSWORD_ENV, OS_CERT='/c.pem', OS_KEY='/k.pem'), ('/c.pem', '/k.pem')),
    (dict(PASSWORD_ENV, OS_CERT='/both.pem'), '/both.pem'),
    (dict(PASSWORD_ENV, OS_KEY='/k.pem'), None),  # a key alone is ignored, as openstacksdk ignores it
    (PASSWORD_ENV, None),
])
def test_client_certificate_as_requests_takes_it(environ, expected):
    assert resolve(environ=environ).client_certificate == expected


# ------------------------------------------------------------------ errors and secrets

def test_nothing_at_all_names_every_missing_setting():
    assert refused() == (
        'no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL; '
        'no username: set auth.username (or auth.user_id), cloud, or OS_USERNAME (or OS_USER_ID); '
        'no password: set auth.password, cloud, or OS_PASSWORD; '
        'no project: set auth.project_id or auth.project_name, cloud, or OS_PROJECT_ID/OS_PROJECT_NAME')


def test_only_auth_url_missing_is_the_issue_sentence():
    environ = dict(PASSWORD_ENV)
    del environ['OS_AUTH_URL']
    assert refused(environ=environ) == 'no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL (auth_type password, chosen by env:OS_PASSWORD)'


def test_missing_with_cloud_names_the_cloud_file(tmp_path):
    path = cloud_file(tmp_path, otc={'auth': {'username': 'u', 'password': 'p', 'project_id': 'x', 'user_domain_name': 'D'}})
    assert refused(params(cloud='otc'), files=[path]) == (
        "no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL (auth_type password, chosen by clouds.yaml:%s; cloud 'otc' read from %s)"
        % (path, path))


SECRET = st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789{}', min_size=12, max_size=24)


@settings(max_examples=60, deadline=None)
@given(password=SECRET, token=SECRET, secret_key=SECRET)
def test_secrets_never_in_messages_or_repr(password, token, secret_key):
    attempts = [
        {'OS_PASSWORD': password},
        {'OS_TOKEN': token},
        {'OS_SECRET_KEY': secret_key, 'OS_ACCESS_KEY': 'AK'},
        {'OS_SECRET_KEY': secret_key, 'OS_INTERFACE': 'bogus', 'OS_PASSWORD': password},
        # braces that name no setting (a piece of the password in them, never one that expands)
        dict(PASSWORD_ENV, OS_APPLICATION_CREDENTIAL_SECRET=secret_key,
             OS_COMPUTE_ENDPOINT='https://{unknown_%s}' % ''.join(c for c in password[:3] if c.isalnum())),
    ]
    for environ in attempts:
        with pytest.raises(CredentialsError) as err:
            resolve(environ=environ)
        for secret in (password, token, secret_key):
            assert secret not in str(err.value)
    for environ in (dict(PASSWORD_ENV, OS_PASSWORD=password, OS_SECRET_KEY=secret_key, OS_ACCESS_KEY='AK'),
                    {'OS_TOKEN': token, 'OS_COMPUTE_ENDPOINT': 'https://e'},
                    dict(AKSK_ENV, HW_SECRET_KEY=secret_key, HW_SECURITY_TOKEN=token)):
        creds = resolve(environ=environ)
        text = repr(creds) + repr(creds.sources)
        for secret in (password, token, secret_key):
            assert secret not in text


def test_credentials_constructor_stays_compatible():
    creds = Credentials('password', region_name='eu-de', auth_url='a', username='u', password='p')
    assert (creds.interface, creds.verify, creds.api_timeout, creds.sources, creds.cloud, creds.auth_plugin) == (
        'public', True, 30, {}, None, 'password')
    assert all(hasattr(creds, key) for key in AUTH_KEYS)
    assert (creds.client_cert, creds.client_key, creds.security_token, creds.application_credential_id) == (None,) * 4
    assert "'p'" not in repr(creds)


def test_every_plugin_option_is_a_module_suboption_or_an_openstacksdk_only_key():
    suboptions = set(connection_argument_spec()['auth']['options'])
    options = set(o for plugin in PLUGINS.values() for o in plugin[1])
    assert options - suboptions == {'system_scope', 'trust_id'}  # refused anyway: the compute API needs a project


def test_microversion_passed_through():
    assert resolve(params(microversion='2.60'), environ=PASSWORD_ENV).microversion == '2.60'


def test_uses_os_environ_by_default(monkeypatch):
    for key in list(os.environ):
        if key.startswith(('OS_', 'HW_')):
            monkeypatch.delenv(key)
    for key, value in AKSK_ENV.items():
        monkeypatch.setenv(key, value)
    assert resolve_settings(params(), config_files=[], secure_files=[]).access_key == 'AKENV'
