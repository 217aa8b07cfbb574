# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials are resolved exactly as openstacksdk resolves them, and then work.

For every case of credentials_corpus.py (clouds.yaml, secure.yaml, clouds-public.yaml, environment,
module options, AWX's injected file):
- test_resolves_like_openstacksdk: the collection's resolve_settings() and openstacksdk's
  OpenStackConfig().get_one() (the pinned test-only oracle, in a process of its own with exactly the
  case's environment, HOME and working directory) give the same auth type, auth_url, user and user
  domain, project and project domain, secrets, region, interface, TLS settings, compute endpoint,
  microversion and timeout;
- test_authenticates: the same settings, through resolve_credentials() and the collection's compute API,
  authenticate against the emulator (a user of an OTC-like account domain, with a namesake in another
  domain) and make a compute call: a token from its Keystone by the method the settings imply (password,
  application credential, token exchanged for one scoped to the project) that belongs to the expected user
  and project, a token used as it is, or AK/SK signatures (a temporary key with its security token); the
  cases with a client certificate against an HTTPS emulator that requires one. Every case, no exception.
Where the collection deliberately differs from openstacksdk, the comparison says so (see _expected).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import yaml

from helpers import COLLECTIONS, HERE

if COLLECTIONS not in sys.path:  # the collection's own code runs in this process (make collection links it there)
    sys.path.insert(0, COLLECTIONS)

from ecs_emulator.testing import run_emulator, write_test_pki

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import Transport
from ansible_collections.ecs_ops.compute.plugins.module_utils.connection import connection_argument_spec
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import (
    CredentialsError, resolve_credentials, resolve_settings,
)

from awx_injection import inject_openstack
from credentials_corpus import (
    CASES, OTC_DOMAIN, OTC_DOMAIN_ID, OTC_PASSWORD, OTC_PROJECT_ID, OTC_TEMP_AK, OTC_USER, OTC_USER_ID, REFUSED, USERS,
)

SITE_FILES = ('/etc/openstack',)  # openstacksdk reads it whatever HOME is; so does the collection
COMPARED = ('auth_type', 'auth_url', 'username', 'user_id', 'user_domain_id', 'user_domain_name', 'project_id',
            'project_name', 'project_domain_id', 'project_domain_name', 'password', 'token', 'application_credential_id',
            'application_credential_name', 'application_credential_secret', 'region_name', 'interface', 'verify', 'cert',
            'compute_endpoint', 'microversion', 'api_timeout', 'cloud')
TRANSPORT = ('region_name', 'interface', 'verify', 'cert', 'compute_endpoint', 'microversion', 'api_timeout')


def test_corpus_is_big_enough():
    assert len(CASES) >= 40, len(CASES)


# ------------------------------------------------------------------ the oracle

class Oracle(object):
    """openstacksdk in a process of its own (tests/integration/sdk_oracle.py), one request per line."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, 'sdk_oracle.py')], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env={'PATH': os.environ.get('PATH', '')})

    def get_one(self, env, cwd, kwargs, validate=True):
        self.proc.stdin.write(json.dumps({'env': env, 'cwd': cwd, 'kwargs': kwargs, 'validate': validate}) + '\n')
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError('the openstacksdk oracle process died (exit %s)' % self.proc.poll())
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    """A test CA, the HTTPS emulator's certificate, a client certificate of that CA (tls cases)."""
    return write_test_pki(str(tmp_path_factory.mktemp('pki')))


@pytest.fixture(scope='module')
def tls_emulator(pki):
    """An HTTPS emulator that requires a client certificate of the test CA (the tls cases)."""
    with run_emulator(time_scale=0.1, tls_cert=pki['server_cert'], tls_key=pki['server_key'], tls_client_ca=pki['ca'],
                      ca_file=pki['ca'], client_cert=pki['client_pem']) as emu:
        yield emu


@pytest.fixture
def emulator_for(request, emu):
    """The emulator a case runs against: the session's plain HTTP one, or the HTTPS one requiring a client certificate."""
    def pick(case):
        if not case.get('tls'):
            return emu
        tls = request.getfixturevalue('tls_emulator')
        tls.admin.reset()
        return tls
    return pick


@pytest.fixture(scope='module')
def oracle():
    for directory in SITE_FILES:
        found = [name for name in ('clouds.yaml', 'clouds.yml', 'clouds.json', 'secure.yaml', 'secure.yml', 'secure.json',
                                   'clouds-public.yaml') if os.path.exists(os.path.join(directory, name))]
        if found:
            pytest.fail('%s holds %s, which openstacksdk and the collection both read whatever the environment: '
                        'the corpus cannot run isolated on this machine' % (directory, ', '.join(found)))
    proc = Oracle()
    yield proc
    proc.close()


# ------------------------------------------------------------------ building a case

def fill(value, markers):
    if isinstance(value, str):
        for marker, text in markers.items():
            value = value.replace(marker, text)
        return value
    if isinstance(value, dict):
        return dict((fill(k, markers), fill(v, markers)) for k, v in value.items())
    if isinstance(value, list):
        return [fill(v, markers) for v in value]
    return value


def module_params(options):
    """Module params as Ansible hands them over: every connection option present, unset ones None, defaults filled."""
    spec = connection_argument_spec()
    params = dict((name, opt.get('default')) for name, opt in spec.items())
    options = dict(options)
    auth = options.pop('auth', None)
    if auth is not None:
        params['auth'] = dict((key, auth.get(key)) for key in spec['auth']['options'])
    params.update(options)
    return params


def sdk_kwargs(options):
    """The module options as openstack.cloud hands them to openstack.connect()/get_one(), with this collection's
    two additions: compute_endpoint is compute_endpoint_override, and an explicit ca_cert means verify."""
    kwargs = {}
    for ours, theirs in (('cloud', 'cloud'), ('auth_type', 'auth_type'), ('region_name', 'region_name'),
                         ('interface', 'interface'), ('compute_endpoint', 'compute_endpoint_override'),
                         ('client_cert', 'cert'), ('client_key', 'key'), ('api_timeout', 'api_timeout')):
        if options.get(ours) is not None:
            kwargs[theirs] = options[ours]
    if kwargs.get('auth_type') == 'application_credential':
        kwargs['auth_type'] = 'v3applicationcredential'  # this collection's name for it
    if options.get('auth'):
        kwargs['auth'] = dict((k, v) for k, v in options['auth'].items() if v is not None)
    if options.get('ca_cert'):
        kwargs['cacert'] = options['ca_cert']
        kwargs['verify'] = True
    if options.get('validate_certs') is False:
        kwargs['verify'] = False
    return kwargs


class Built(object):
    """One case laid out on disk: its environment, working directory and module options."""

    def __init__(self, case, tmp_path, emu, token=None, pki=None):
        info = emu.info
        base = str(tmp_path)
        self.cwd = os.path.join(base, 'cwd')
        self.markers = {
            '<AUTH_URL>': info['auth_url'], '<BASE>': info['base_url'], '<DIR>': base,
            '<OTC_COMPUTE>': '%s/v2.1/%s' % (info['base_url'], OTC_PROJECT_ID), '<OTC_DOMAIN_ID>': OTC_DOMAIN_ID,
            '<TOKEN>': token or 'no-token-in-this-case',
        }
        for marker, label in (('<CA_PEM>', 'ca'), ('<CLIENT_CERT_PEM>', 'client_cert'), ('<CLIENT_KEY_PEM>', 'client_key'),
                              ('<CLIENT_PEM>', 'client_pem')):
            if pki:
                with open(pki[label]) as handle:
                    self.markers[marker] = handle.read()
        for name in ('cwd', 'home', 'xdg', 'site'):
            os.makedirs(os.path.join(base, name), exist_ok=True)
        self.env = {'HOME': os.path.join(base, 'home'), 'XDG_CONFIG_HOME': os.path.join(base, 'xdg'),
                    'XDG_CONFIG_DIRS': os.path.join(base, 'site')}
        for path, content in (case.get('files') or {}).items():
            full = os.path.join(base, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            content = fill(content, self.markers)
            with open(full, 'w') as handle:
                if isinstance(content, str):
                    handle.write(content)
                elif path.endswith('.json'):
                    json.dump(content, handle)
                else:
                    yaml.safe_dump(content, handle, default_flow_style=False)
        if case.get('awx'):
            awx_env, self.awx_file = inject_openstack(fill(case['awx'], self.markers), os.path.join(base, 'pdd'))
            self.env.update(awx_env)
        self.env.update(fill(case.get('env') or {}, self.markers))
        self.options = fill(case.get('options') or {}, self.markers)
        self.expect = fill(case.get('expect') or {}, self.markers)


def build(case_id, tmp_path, emulator_for, pki):
    case = CASES[case_id]
    emu = emulator_for(case)
    emu.admin.seed(users=USERS)
    text = json.dumps(case)
    token = new_token(emu) if '<TOKEN>' in text else None
    return case, Built(case, tmp_path, emu, token, pki if '_PEM>' in text else None), emu


def new_token(emu, username=OTC_USER, password=OTC_PASSWORD, domain_id=OTC_DOMAIN_ID, project_id=OTC_PROJECT_ID):
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': username, 'password': password, 'domain': {'id': domain_id}}}},
        'scope': {'project': {'id': project_id}}}}
    # the admin session trusts the HTTPS emulator and presents its client certificate
    answer = emu.admin.session.post(emu.info['auth_url'] + '/auth/tokens', json=body, timeout=10, verify=emu.admin.session.verify)
    answer.raise_for_status()
    return answer.headers['X-Subject-Token']


# ------------------------------------------------------------------ comparing

def _norm_interface(value):
    if not isinstance(value, str):
        return value
    value = value.strip().lower()
    return value[:-3] if value.endswith('url') else value


def ours_fields(creds):
    fields = dict((key, getattr(creds, key, None)) for key in COMPARED)
    fields['auth_type'] = creds.auth_plugin
    fields['cert'] = [creds.client_cert, creds.client_key] if creds.client_key else creds.client_cert
    return fields


def _expected(sdk, case):
    """What the collection must resolve, from what openstacksdk resolved; each difference is a documented choice."""
    expected = dict((key, sdk.get(key)) for key in COMPARED)
    expected['region_name'] = sdk.get('region_name') or None  # openstacksdk says '' for no region
    expected['interface'] = _norm_interface(sdk.get('interface')) or 'public'  # publicURL and the like are accepted
    timeout = sdk.get('api_timeout')
    expected['api_timeout'] = int(timeout) if timeout is not None else 30  # this collection's default
    if sdk.get('cloud') in ('envvars', 'defaults', '') or sdk.get('cloud') == case.env.get('OS_CLOUD_NAME'):
        expected['cloud'] = None  # the cloud of OS_* variables (or none at all) has no name here
    # Where openstacksdk leaves the project's domain unset (Keystone would refuse a project name without it),
    # the collection uses the user's domain.
    if expected['project_name'] and not expected['project_id'] \
            and not expected['project_domain_id'] and not expected['project_domain_name']:
        expected['project_domain_id'] = expected['user_domain_id']
        expected['project_domain_name'] = expected['user_domain_name']
    return expected


@pytest.mark.parametrize('case_id', sorted(CASES))
def test_resolves_like_openstacksdk(case_id, tmp_path, emulator_for, pki, oracle):
    case, built, dummy = build(case_id, tmp_path, emulator_for, pki)
    validate = case.get('sdk', 'validate') == 'validate'
    answer = oracle.get_one(built.env, built.cwd, sdk_kwargs(built.options), validate=validate)
    assert 'ok' in answer, 'openstacksdk refuses case %s: %s' % (case_id, answer)
    sdk = answer['ok']
    creds = resolve_settings(module_params(built.options), environ=built.env, cwd=built.cwd)
    ours = ours_fields(creds)
    expected = _expected(sdk, built)
    fields = [f for f in (COMPARED if validate else TRANSPORT) if f not in case.get('ours_only', ())]
    mismatches = dict((key, {'collection': ours[key], 'openstacksdk': expected[key]}) for key in fields
                      if not (key == 'compute_endpoint' and not validate and expected[key] is None)
                      and ours[key] != expected[key])
    assert not mismatches, 'case %s differs from openstacksdk: %s' % (case_id, mismatches)
    for key, value in built.expect.items():
        assert getattr(creds, key) == value, (case_id, key, getattr(creds, key), value)
    # every setting resolved says where it came from, and no source shows a secret
    assert creds.sources.get('auth_type'), creds.sources
    for secret in (OTC_PASSWORD, creds.password, creds.secret_key, creds.token, creds.application_credential_secret,
                   creds.security_token):
        if secret:
            assert secret not in json.dumps(creds.sources), creds.sources


@pytest.mark.parametrize('case_id', sorted(REFUSED))
def test_refused_like_openstacksdk(case_id, tmp_path, emu, oracle):
    case = REFUSED[case_id]
    built = Built(case, tmp_path, emu)
    answer = oracle.get_one(built.env, built.cwd, sdk_kwargs(built.options))
    assert 'error' in answer, 'openstacksdk accepts case %s: %s' % (case_id, answer)
    with pytest.raises(CredentialsError) as err:
        resolve_settings(module_params(built.options), environ=built.env, cwd=built.cwd)
    assert fill(case['message'], built.markers) in str(err.value), (str(err.value), answer)
    assert OTC_PASSWORD not in str(err.value)


# ------------------------------------------------------------------ authenticating

class ToEmulator(requests.adapters.HTTPAdapter):
    """Sends every request to the emulator, whatever host the URL names (OTC's IAM or ECS host from a profile
    or a built endpoint), keeping the path; remembers the hosts it redirected."""

    def __init__(self, base_url):
        super(ToEmulator, self).__init__()
        self.base = urlsplit(base_url)
        self.redirected = []

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        if parts.netloc != self.base.netloc:
            self.redirected.append(parts.netloc)
            request.url = urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, parts.fragment))
        return super(ToEmulator, self).send(request, **kwargs)


@pytest.mark.parametrize('case_id', sorted(CASES))
def test_authenticates(case_id, tmp_path, emulator_for, pki):
    case, built, emu = build(case_id, tmp_path, emulator_for, pki)
    creds = resolve_credentials(module_params(built.options), environ=built.env, cwd=built.cwd)
    session = requests.Session()
    adapter = ToEmulator(emu.info['base_url'])
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    emu.admin.clear_requests()
    client = ComputeApi(creds, Transport.for_credentials(creds, session=session))  # the TLS settings as the modules use them
    client.connect()
    flavors = client.list_flavors()
    assert flavors, 'no flavors listed'
    log = [r for r in emu.admin.requests() if r.get('path', '').startswith('/v2')]
    if case.get('tls'):
        # the emulator refuses a TLS handshake without a client certificate of its CA: every request presented one
        assert emu.base_url.startswith('https://') and creds.client_cert and log
    kind = case.get('auth', 'keystone')
    if kind == 'aksk':
        assert set(r.get('auth') for r in log) == {'aksk'}, log
        assert creds.project_id == OTC_PROJECT_ID
        # the temporary key is refused without its security token (emulator), so these calls carried it, signed
        assert (creds.access_key == OTC_TEMP_AK) is bool(creds.security_token)
        return
    assert set(r.get('auth') for r in log) == {'token'}, log
    issued = emu.emulator.store.get('token', client.identity.token)
    assert issued is not None, 'the emulator never issued the token used'
    if case.get('user', 'otc') == 'otc':
        # the user of the OTC-like account, not its namesake in the other domain
        assert (issued['user_id'], issued['domain_name'], issued['project']['id']) == (OTC_USER_ID, OTC_DOMAIN, OTC_PROJECT_ID)
    else:
        assert (issued['user_name'], issued['domain_name'], issued['project']['name']) == ('demo', 'Default', 'demo-project')
    if kind == 'token':
        assert client.identity.token == built.markers['<TOKEN>']  # sent as it is, no call to Keystone
    elif creds.auth_type == 'application_credential':
        assert issued['methods'] == ['application_credential']
        cred = issued['application_credential']
        assert cred['id'] == creds.application_credential_id if creds.application_credential_id \
            else cred['name'] == creds.application_credential_name
    elif creds.auth_type == 'token':
        # exchanged at Keystone for a new token scoped to the project
        assert creds.rescope_token and client.identity.token != built.markers['<TOKEN>']
        assert issued['methods'] == ['token', 'password']
    else:
        assert issued['methods'] == ['password']
    if any('otc.t-systems.com' in json.dumps(v) for v in (creds.auth_url, creds.compute_endpoint)):
        assert adapter.redirected, 'the OTC host resolved was never asked'
