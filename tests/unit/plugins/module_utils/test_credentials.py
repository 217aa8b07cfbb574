# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""resolve_credentials(): module options, then clouds.yaml, then the environment, per setting."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import textwrap

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.ecs_ops.compute.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import (
    AUTH_KEYS, Credentials, CredentialsError, default_config_files, default_secure_files, resolve_credentials,
)

PASSWORD_ENV = {
    'OS_AUTH_URL': 'https://iam.example.com/v3',
    'OS_USERNAME': 'env-user',
    'OS_PASSWORD': 'env-secret-pw',
    'OS_PROJECT_NAME': 'eu-de_env',
}
AKSK_ENV = {
    'HW_ACCESS_KEY': 'AKENV',
    'HW_SECRET_KEY': 'env-secret-sk',
    'HW_PROJECT_ID': 'p-env',
    'HW_REGION_NAME': 'eu-de',
    'HW_CLOUD_DOMAIN': 'otc.t-systems.com',
}


def params(**kwargs):
    """Module params as Ansible hands them over: every option present, unset ones None, argspec defaults filled."""
    spec = connection_argument_spec()
    result = dict((name, opt.get('default')) for name, opt in spec.items())
    auth = kwargs.pop('auth', None)
    if auth is not None:
        result['auth'] = dict((key, auth.get(key)) for key in spec['auth']['options'])
    result.update(kwargs)
    return result


def resolve(module_params=None, environ=None, files=None, secure=None):
    return resolve_credentials(module_params or params(), environ=environ or {},
                               config_files=files if files is not None else [],
                               secure_files=secure if secure is not None else [])


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


CLOUDS = """\
clouds:
  otc:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: yaml-user
      password: yaml-secret-pw
      project_name: eu-de_yaml
      user_domain_name: OTC00000000001000000001
    region_name: eu-de
    interface: internal
  keys:
    auth_type: aksk
    auth:
      ak: AKYAML
      sk: yaml-secret-sk
      tenant_id: 12345
      domain: otc.t-systems.com
    regions: [eu-nl, eu-de]
"""


# ------------------------------------------------------------------ password

def test_password_from_options_with_keystone_defaults():
    creds = resolve(params(auth={'auth_url': 'https://iam/v3', 'username': 'u', 'password': 'pw', 'project_name': 'p'}))
    assert (creds.auth_type, creds.auth_url, creds.username, creds.password, creds.project_name) == ('password', 'https://iam/v3', 'u', 'pw', 'p')
    assert (creds.user_domain_name, creds.project_domain_name) == ('Default', 'Default')
    assert (creds.interface, creds.verify, creds.api_timeout, creds.region_name) == ('public', True, 30, None)
    assert creds.sources['auth_url'] == 'option'
    assert creds.sources['user_domain_name'] == 'default'
    assert creds.sources['auth_type'] == 'option'


def test_password_from_environment_only():
    creds = resolve(environ=dict(PASSWORD_ENV, OS_USER_DOMAIN_NAME='dom', OS_REGION_NAME='eu-de', OS_INTERFACE='internal'))
    assert (creds.username, creds.password, creds.project_name, creds.region_name) == ('env-user', 'env-secret-pw', 'eu-de_env', 'eu-de')
    assert (creds.user_domain_name, creds.project_domain_name, creds.interface) == ('dom', 'dom', 'internal')
    assert creds.sources['password'] == 'env:OS_PASSWORD'
    assert creds.sources['project_domain_name'] == 'default'
    assert creds.sources['auth_type'] == 'env:OS_PASSWORD'


def test_project_domain_follows_user_domain_id():
    creds = resolve(environ=dict(PASSWORD_ENV, OS_USER_DOMAIN_ID='d-1'))
    assert (creds.user_domain_id, creds.project_domain_id, creds.user_domain_name, creds.project_domain_name) == ('d-1', 'd-1', None, None)


def test_tenant_and_user_id_env_aliases():
    environ = {'OS_AUTH_URL': 'a', 'OS_USER_ID': 'uid', 'OS_PASSWORD': 'x', 'OS_TENANT_ID': 't1', 'OS_TENANT_NAME': 'tn'}
    creds = resolve(environ=environ)
    assert (creds.user_id, creds.project_id, creds.project_name) == ('uid', 't1', 'tn')
    assert creds.sources['project_id'] == 'env:OS_TENANT_ID'


def test_options_win_over_environment_per_setting():
    creds = resolve(params(auth={'username': 'opt-user'}, region_name='eu-nl'), environ=dict(PASSWORD_ENV, OS_REGION_NAME='eu-de'))
    assert (creds.username, creds.password, creds.region_name) == ('opt-user', 'env-secret-pw', 'eu-nl')
    assert creds.sources['username'] == 'option' and creds.sources['password'] == 'env:OS_PASSWORD'


def test_empty_strings_count_as_unset():
    creds = resolve(params(auth={'username': ''}, region_name=''), environ=dict(PASSWORD_ENV, OS_REGION_NAME='eu-de'))
    assert (creds.username, creds.region_name) == ('env-user', 'eu-de')


# ------------------------------------------------------------------ clouds.yaml

def test_cloud_entry_used_between_options_and_environment(tmp_path):
    path = write(tmp_path, 'clouds.yaml', CLOUDS)
    creds = resolve(params(cloud='otc', auth={'username': 'opt-user'}), environ=dict(PASSWORD_ENV, OS_REGION_NAME='xx'), files=[path])
    assert creds.username == 'opt-user'
    assert (creds.password, creds.project_name, creds.region_name, creds.interface) == ('yaml-secret-pw', 'eu-de_yaml', 'eu-de', 'internal')
    assert creds.user_domain_name == creds.project_domain_name == 'OTC00000000001000000001'
    assert creds.sources['password'] == 'clouds.yaml:%s' % path
    assert creds.sources['cloud'] == 'option'
    assert creds.cloud == 'otc'


def test_os_cloud_env_selects_cloud_and_option_overrides_it(tmp_path):
    path = write(tmp_path, 'clouds.yaml', CLOUDS + '  other:\n    auth: {auth_url: o, username: o, password: o, project_id: o}\n')
    assert resolve(environ={'OS_CLOUD': 'otc'}, files=[path]).username == 'yaml-user'
    assert resolve(environ={'OS_CLOUD': 'otc'}, files=[path]).sources['cloud'] == 'env:OS_CLOUD'
    assert resolve(params(cloud='other'), environ={'OS_CLOUD': 'otc'}, files=[path]).username == 'o'


def test_first_file_that_has_the_cloud_wins(tmp_path):
    first = write(tmp_path, 'a/clouds.yaml', 'clouds:\n  unrelated: {}\n')
    second = write(tmp_path, 'b/clouds.yaml', CLOUDS)
    third = write(tmp_path, 'c/clouds.yaml', CLOUDS.replace('yaml-user', 'third-user'))
    creds = resolve(params(cloud='otc'), files=[str(tmp_path / 'missing.yaml'), first, second, third])
    assert creds.username == 'yaml-user'
    assert creds.sources['username'] == 'clouds.yaml:%s' % second


def test_secure_yaml_is_merged_over_clouds_yaml(tmp_path):
    clouds = write(tmp_path, 'clouds.yaml', 'clouds:\n  otc:\n    auth: {auth_url: u, username: n, project_id: p}\n    region_name: eu-de\n')
    secure = write(tmp_path, 'secure.yaml', 'clouds:\n  otc:\n    auth: {password: from-secure}\n')
    creds = resolve(params(cloud='otc'), files=[clouds], secure=[secure])
    assert (creds.username, creds.password, creds.region_name) == ('n', 'from-secure', 'eu-de')
    assert creds.sources['password'] == 'clouds.yaml:%s' % secure


def test_aksk_cloud_with_aliases_numbers_and_regions_list(tmp_path):
    path = write(tmp_path, 'clouds.yaml', CLOUDS)
    creds = resolve(params(cloud='keys'), files=[path])
    assert (creds.auth_type, creds.access_key, creds.secret_key, creds.project_id) == ('aksk', 'AKYAML', 'yaml-secret-sk', '12345')
    assert creds.region_name == 'eu-nl'
    assert creds.compute_endpoint == 'https://ecs.eu-nl.otc.t-systems.com'
    assert creds.sources['compute_endpoint'] == 'derived'


@pytest.mark.parametrize('auth_type, expected', [('v3password', 'password'), ('password', 'password'), ('v3token', 'token'), ('token', 'token')])
def test_openstacksdk_auth_type_names(tmp_path, auth_type, expected):
    path = write(tmp_path, 'clouds.yaml', """\
        clouds:
          c:
            auth_type: %s
            auth: {auth_url: a, username: u, password: p, project_id: x, token: t}
            compute_endpoint_override: https://ecs.example.com/v2.1/x
        """ % auth_type)
    assert resolve(params(cloud='c'), files=[path]).auth_type == expected


def test_unsupported_auth_type_names_its_source(tmp_path):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  c:\n    auth_type: v3applicationcredential\n')
    with pytest.raises(CredentialsError, match=r"unsupported auth_type 'v3applicationcredential' \(from clouds.yaml:.*clouds.yaml\)"):
        resolve(params(cloud='c'), files=[path])
    with pytest.raises(CredentialsError, match=r'from env:OS_AUTH_TYPE'):
        resolve(environ={'OS_AUTH_TYPE': 'oidc'})


def test_cloud_not_found_lists_files_and_clouds(tmp_path):
    path = write(tmp_path, 'clouds.yaml', CLOUDS)
    missing = str(tmp_path / 'nope' / 'clouds.yaml')
    with pytest.raises(CredentialsError) as err:
        resolve(params(cloud='otcc'), files=[missing, path])
    assert str(err.value) == "cloud 'otcc' not found in %s, %s (clouds there: keys, otc)" % (missing, path)


def test_cloud_not_found_when_no_file_exists(tmp_path):
    missing = str(tmp_path / 'clouds.yaml')
    with pytest.raises(CredentialsError, match=r"cloud 'x' not found in .*clouds.yaml \(none of these files exists\)"):
        resolve(params(cloud='x'), files=[missing])


def test_invalid_yaml_names_path_and_position_but_no_content(tmp_path):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  otc:\n    auth: {password: "hunter2-secret\n')
    with pytest.raises(CredentialsError) as err:
        resolve(params(cloud='otc'), files=[path])
    assert str(err.value).startswith('cannot parse %s: ' % path)
    assert 'line' in str(err.value)
    assert 'hunter2' not in str(err.value)


@pytest.mark.parametrize('text', ['- a\n- b\n', 'clouds: [a, b]\n', 'clouds:\n  otc: [1]\n', 'clouds:\n  otc:\n    auth: [x]\n'])
def test_wrong_shapes_name_the_path(tmp_path, text):
    path = write(tmp_path, 'clouds.yaml', text)
    with pytest.raises(CredentialsError, match=path.replace('.', r'\.')):
        resolve(params(cloud='otc'), files=[path])


def test_unreadable_file_names_the_path(tmp_path):
    path = tmp_path / 'clouds.yaml'
    path.mkdir()  # a directory cannot be read as a file, even by root
    with pytest.raises(CredentialsError, match=r'cannot read %s: ' % str(path).replace('.', r'\.')):
        resolve(params(cloud='otc'), files=[str(path)])


def test_empty_file_and_empty_entry(tmp_path):
    empty = write(tmp_path, 'a.yaml', '')
    entry = write(tmp_path, 'b.yaml', 'clouds:\n  otc:\n')
    creds = resolve(params(cloud='otc'), environ=PASSWORD_ENV, files=[empty, entry])
    assert creds.username == 'env-user'


def test_invalid_verify_value(tmp_path):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  otc:\n    verify: maybe\n')
    with pytest.raises(CredentialsError, match='verify must be true or false'):
        resolve(params(cloud='otc'), environ=PASSWORD_ENV, files=[path])


def test_default_config_files(tmp_path):
    files = default_config_files({'HOME': '/home/u'}, cwd='/work')
    assert files == [
        '/work/clouds.yaml', '/work/clouds.yml',
        '/home/u/.config/openstack/clouds.yaml', '/home/u/.config/openstack/clouds.yml',
        '/etc/openstack/clouds.yaml', '/etc/openstack/clouds.yml',
    ]
    assert default_secure_files({'HOME': '/home/u'}, cwd='/work')[0] == '/work/secure.yaml'
    assert default_config_files({'OS_CLIENT_CONFIG_FILE': '/x/c.yaml'}) == ['/x/c.yaml']
    assert default_secure_files({'OS_CLIENT_SECURE_FILE': '/x/s.yaml'}) == ['/x/s.yaml']


def test_default_search_uses_cwd_home_and_override(tmp_path):
    cwd, home = tmp_path / 'cwd', tmp_path / 'home'
    write(tmp_path, 'home/.config/openstack/clouds.yaml', CLOUDS.replace('yaml-user', 'home-user'))
    write(tmp_path, 'home/.config/openstack/secure.yaml', 'clouds:\n  otc:\n    auth: {password: home-secure}\n')
    cwd.mkdir()
    environ = {'HOME': str(home), 'OS_CLOUD': 'otc'}
    creds = resolve_credentials(params(), environ=environ, cwd=str(cwd))
    assert (creds.username, creds.password) == ('home-user', 'home-secure')
    write(tmp_path, 'cwd/clouds.yaml', CLOUDS.replace('yaml-user', 'cwd-user'))
    assert resolve_credentials(params(), environ=environ, cwd=str(cwd)).username == 'cwd-user'
    override = write(tmp_path, 'elsewhere.yaml', CLOUDS.replace('yaml-user', 'override-user'))
    environ['OS_CLIENT_CONFIG_FILE'] = override
    assert resolve_credentials(params(), environ=environ, cwd=str(cwd)).username == 'override-user'


# ------------------------------------------------------------------ TLS, interface, timeout

@pytest.mark.parametrize('validate_certs, ca_cert, cloud_extra, environ, verify, source', [
    (True, None, '', {}, True, None),
    (False, None, '', {'OS_CACERT': '/env/ca.pem'}, False, 'option'),
    (True, None, '    verify: false\n', {'OS_CACERT': '/env/ca.pem'}, False, 'clouds.yaml'),
    (True, '/opt/ca.pem', '    verify: false\n', {}, '/opt/ca.pem', 'option'),
    (True, None, '    cacert: /yaml/ca.pem\n', {'OS_CACERT': '/env/ca.pem'}, '/yaml/ca.pem', 'clouds.yaml'),
    (True, None, '    verify: true\n', {'OS_CACERT': '/env/ca.pem'}, '/env/ca.pem', 'env:OS_CACERT'),
    (False, '/opt/ca.pem', '', {}, False, 'option'),
])
def test_verify(tmp_path, validate_certs, ca_cert, cloud_extra, environ, verify, source):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  otc:\n    region_name: r\n' + cloud_extra)
    creds = resolve(params(cloud='otc', validate_certs=validate_certs, ca_cert=ca_cert), environ=dict(PASSWORD_ENV, **environ), files=[path])
    assert creds.verify == verify
    assert creds.ca_cert == (verify if isinstance(verify, str) else None)
    assert (creds.sources.get('verify') or '').startswith(source or '')
    assert 'tls' not in creds.sources


@pytest.mark.parametrize('value, expected', [('public', 'public'), ('publicURL', 'public'), ('INTERNAL', 'internal'), ('adminURL', 'admin')])
def test_interface_normalised(value, expected):
    assert resolve(environ=dict(PASSWORD_ENV, OS_INTERFACE=value)).interface == expected


def test_invalid_interface():
    with pytest.raises(CredentialsError, match=r"invalid interface 'private' \(from env:OS_INTERFACE\)"):
        resolve(environ=dict(PASSWORD_ENV, OS_INTERFACE='private'))


def test_api_timeout_from_cloud_only_when_option_left_at_default(tmp_path):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  otc:\n    api_timeout: 90\n')
    assert resolve(params(cloud='otc'), environ=PASSWORD_ENV, files=[path]).api_timeout == 90
    assert resolve(params(cloud='otc', api_timeout=15), environ=PASSWORD_ENV, files=[path]).api_timeout == 15
    assert resolve(params(api_timeout=None), environ=PASSWORD_ENV).api_timeout == 30
    with pytest.raises(CredentialsError, match='invalid api_timeout'):
        resolve(params(api_timeout=0), environ=PASSWORD_ENV)


# ------------------------------------------------------------------ token and AK/SK

def test_token_with_endpoint():
    creds = resolve(params(auth={'token': 'tok-secret'}, compute_endpoint='https://ecs.example.com/v2.1/p'))
    assert (creds.auth_type, creds.token, creds.compute_endpoint) == ('token', 'tok-secret', 'https://ecs.example.com/v2.1/p')


def test_token_from_env_with_our_endpoint_variable():
    creds = resolve(environ={'OS_TOKEN': 't', 'OS_COMPUTE_ENDPOINT': 'https://ecs.example.com'})
    assert (creds.auth_type, creds.compute_endpoint) == ('token', 'https://ecs.example.com')
    assert creds.sources['compute_endpoint'] == 'env:OS_COMPUTE_ENDPOINT'


def test_token_without_endpoint():
    with pytest.raises(CredentialsError) as err:
        resolve(environ={'OS_TOKEN': 'tok-secret'})
    assert str(err.value) == ('no compute_endpoint (a token needs the compute API URL): set compute_endpoint, cloud, or OS_COMPUTE_ENDPOINT '
                              '(auth_type token, chosen by env:OS_TOKEN)')


def test_aksk_from_hw_environment():
    creds = resolve(environ=AKSK_ENV)
    assert (creds.auth_type, creds.access_key, creds.secret_key, creds.project_id, creds.region_name, creds.domain) == (
        'aksk', 'AKENV', 'env-secret-sk', 'p-env', 'eu-de', 'otc.t-systems.com')
    assert creds.compute_endpoint == 'https://ecs.eu-de.otc.t-systems.com'
    assert creds.sources['access_key'] == 'env:HW_ACCESS_KEY'


def test_os_names_win_over_hw_names():
    environ = dict(AKSK_ENV, OS_ACCESS_KEY='AKOS', OS_SECRET_KEY='s', OS_PROJECT_ID='p-os', OS_REGION_NAME='eu-nl', OS_CLOUD_DOMAIN='d.example')
    creds = resolve(environ=environ)
    assert (creds.access_key, creds.project_id, creds.compute_endpoint) == ('AKOS', 'p-os', 'https://ecs.eu-nl.d.example')


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
    with pytest.raises(CredentialsError) as err:
        resolve(environ=environ)
    assert str(err.value) == message


def test_aksk_without_region_and_domain():
    with pytest.raises(CredentialsError, match=r'^no compute_endpoint: set compute_endpoint, cloud, or OS_COMPUTE_ENDPOINT, or region_name'):
        resolve(environ={'OS_ACCESS_KEY': 'a', 'OS_SECRET_KEY': 'b', 'OS_PROJECT_ID': 'c'})


def test_first_source_that_implies_a_type_decides():
    # a password given as option is not turned into AK/SK by stray keys in the environment
    creds = resolve(params(auth={'password': 'pw'}), environ=dict(PASSWORD_ENV, **AKSK_ENV))
    assert creds.auth_type == 'password'
    assert resolve(environ=dict(PASSWORD_ENV, **AKSK_ENV)).auth_type == 'aksk'
    assert resolve(params(auth_type='password'), environ=dict(PASSWORD_ENV, **AKSK_ENV)).auth_type == 'password'


# ------------------------------------------------------------------ errors and secrets

def test_nothing_at_all_names_every_missing_setting():
    with pytest.raises(CredentialsError) as err:
        resolve()
    assert str(err.value) == (
        'no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL; '
        'no username: set auth.username (or auth.user_id), cloud, or OS_USERNAME (or OS_USER_ID); '
        'no password: set auth.password, cloud, or OS_PASSWORD; '
        'no project: set auth.project_id or auth.project_name, cloud, or OS_PROJECT_ID/OS_PROJECT_NAME')


def test_only_auth_url_missing_is_the_issue_sentence():
    environ = dict(PASSWORD_ENV)
    del environ['OS_AUTH_URL']
    with pytest.raises(CredentialsError) as err:
        resolve(environ=environ)
    assert str(err.value) == 'no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL (auth_type password, chosen by env:OS_PASSWORD)'


def test_missing_with_cloud_names_the_cloud_file(tmp_path):
    path = write(tmp_path, 'clouds.yaml', 'clouds:\n  otc:\n    auth: {username: u, password: p, project_id: x}\n')
    with pytest.raises(CredentialsError) as err:
        resolve(params(cloud='otc'), files=[path])
    assert str(err.value) == ("no auth_url: set auth.auth_url, cloud, or OS_AUTH_URL "
                              "(auth_type password, chosen by clouds.yaml:%s; cloud 'otc' read from %s)" % (path, path))


SECRET = st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789', min_size=12, max_size=24)


@settings(max_examples=60, deadline=None)
@given(password=SECRET, token=SECRET, secret_key=SECRET)
def test_secrets_never_in_messages_or_repr(password, token, secret_key):
    attempts = [
        {'OS_PASSWORD': password},
        {'OS_TOKEN': token},
        {'OS_SECRET_KEY': secret_key, 'OS_ACCESS_KEY': 'AK'},
        {'OS_SECRET_KEY': secret_key, 'OS_INTERFACE': 'bogus', 'OS_PASSWORD': password},
    ]
    for environ in attempts:
        with pytest.raises(CredentialsError) as err:
            resolve(environ=environ)
        for secret in (password, token, secret_key):
            assert secret not in str(err.value)
    creds = resolve(environ=dict(PASSWORD_ENV, OS_PASSWORD=password, OS_TOKEN=token, OS_SECRET_KEY=secret_key, OS_ACCESS_KEY='AK',
                                 OS_PROJECT_ID='p', OS_COMPUTE_ENDPOINT='https://e'))
    text = repr(creds) + repr(creds.sources)
    for secret in (password, token, secret_key):
        assert secret not in text


def test_credentials_constructor_stays_compatible():
    creds = Credentials('password', region_name='eu-de', auth_url='a', username='u', password='p')
    assert (creds.interface, creds.verify, creds.api_timeout, creds.sources, creds.cloud) == ('public', True, 30, {}, None)
    assert all(hasattr(creds, key) for key in AUTH_KEYS)
    assert "'p'" not in repr(creds)


def test_microversion_passed_through():
    assert resolve(params(microversion='2.60'), environ=PASSWORD_ENV).microversion == '2.60'


def test_uses_os_environ_by_default(monkeypatch):
    for key in list(os.environ):
        if key.startswith(('OS_', 'HW_')):
            monkeypatch.delenv(key)
    for key, value in AKSK_ENV.items():
        monkeypatch.setenv(key, value)
    assert resolve_credentials(params()).access_key == 'AKENV'
