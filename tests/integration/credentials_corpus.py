# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The corpus of credential settings that test_credentials_oracle.py resolves with the collection and with
openstacksdk, compares field by field, and then authenticates with against the emulator.

A case is a dict:
  files:   {path under the case's directory: mapping (written as YAML) or text}; `cwd/` is the working
           directory, `home/` is HOME, `xdg/` is XDG_CONFIG_HOME, `site/` is XDG_CONFIG_DIRS
  awx:     the inputs of AWX's built-in OpenStack credential; the test injects them as AWX does
           (clouds.yaml in <case>/pdd/env/tmpXXXX, OS_CLIENT_CONFIG_FILE)
  env:     environment variables (on top of HOME, XDG_CONFIG_HOME, XDG_CONFIG_DIRS)
  options: module options (the connection options of every module)
  user:    the seeded user the case authenticates as ('otc', the default: a user of an OTC-like account
           domain; 'demo': the emulator's default user in domain Default)
  auth:    how the authentication step proves itself: 'keystone' (default: a token from /v3/auth/tokens
           for that user and project, by the method the auth type implies), 'token' (the token given is
           used as it is), 'aksk' (signed calls)
  tls:     True: the case authenticates against an HTTPS emulator that requires a client certificate of
           the test CA (its files are written with the markers below)
  sdk:     'validate' (default: openstacksdk loads the auth plugin too) or 'config' (validate=False: for
           aksk, which openstacksdk does not know; only transport fields are compared)
  expect:  values of this collection's own settings (AK/SK), which openstacksdk does not resolve
  ours_only: fields set only by this collection's own variables (HW_*), left out of the comparison (see expect)

Markers replaced in every string: <AUTH_URL> (the emulator's Keystone, .../v3), <BASE> (its base URL),
<OTC_COMPUTE> (its compute URL for the OTC project), <TOKEN> (a token of the case's user, scoped to its
project), <DIR> (the case's directory), <OTC_DOMAIN_ID> (the emulator's id of the OTC account domain),
<CA_PEM> (the test CA that signed the HTTPS emulator's certificate), <CLIENT_CERT_PEM> and <CLIENT_KEY_PEM>
(a client certificate of that CA and its key), <CLIENT_PEM> (both in one file).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import uuid

OTC_DOMAIN = 'OTC00000000001000000501'
OTC_DOMAIN_ID = uuid.uuid5(uuid.NAMESPACE_DNS, OTC_DOMAIN).hex  # how the emulator names a seeded domain
OTC_USER = 'ops-admin'
OTC_USER_ID = '7e1c0b6f2a3d4e5f8091a2b3c4d5e6f7'
OTC_PASSWORD = 'otc-Secret-pw-501'
OTC_PROJECT = 'eu-de_ops'
OTC_PROJECT_ID = '3f9a8b7c6d5e4f30a1b2c3d4e5f60718'
OTC_AK = 'OTCAK0000000000000501'
OTC_SK = 'otc-secret-key-501-0000000000000000000000'
# Same user and project names in another account: only the domain tells them apart.
OTHER_DOMAIN = 'OTC00000000001000000777'
OTHER_PASSWORD = 'other-Secret-pw-777'
OTHER_PROJECT_ID = '9c8b7a6f5e4d4c3b2a1908f7e6d5c4b3'

# Application credentials of the OTC user (Keystone scopes their tokens to the user's project): one used by id,
# one by name with the user; the namesake in the other domain has one of the same name.
APPCRED_ID = 'a7c0e1d2b3f44a5b9c8d7e6f5a4b3c2d'
APPCRED_SECRET = 'appcred-Secret-1'
APPCRED_NAME = 'ansible'
APPCRED_NAME_SECRET = 'appcred-Secret-2'
# A temporary access key of the OTC user (IAM's temporary AK/SK): requests need its security token, signed.
OTC_TEMP_AK = 'OTCTEMPAK00000000501'
OTC_TEMP_SK = 'otc-temporary-sk-501-000000000000000000000'
OTC_SECURITY_TOKEN = 'gAAAAABsts-security-token-501-0123456789abcdef'

USERS = [
    {'id': OTC_USER_ID, 'name': OTC_USER, 'password': OTC_PASSWORD, 'domain_name': OTC_DOMAIN,
     'project_id': OTC_PROJECT_ID, 'project_name': OTC_PROJECT, 'access_key': OTC_AK, 'secret_key': OTC_SK,
     'application_credentials': [{'id': APPCRED_ID, 'name': 'ci', 'secret': APPCRED_SECRET},
                                 {'name': APPCRED_NAME, 'secret': APPCRED_NAME_SECRET}],
     'temporary_credentials': [{'access_key': OTC_TEMP_AK, 'secret_key': OTC_TEMP_SK, 'security_token': OTC_SECURITY_TOKEN}]},
    {'id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'name': OTC_USER, 'password': OTHER_PASSWORD, 'domain_name': OTHER_DOMAIN,
     'project_id': OTHER_PROJECT_ID, 'project_name': OTC_PROJECT,
     'application_credentials': [{'name': APPCRED_NAME, 'secret': 'other-appcred-Secret'}]},
]

OTC_AUTH = {'auth_url': '<AUTH_URL>', 'username': OTC_USER, 'password': OTC_PASSWORD,
            'user_domain_name': OTC_DOMAIN, 'project_name': OTC_PROJECT, 'project_domain_name': OTC_DOMAIN}
OTC_ENV = {'OS_AUTH_URL': '<AUTH_URL>', 'OS_USERNAME': OTC_USER, 'OS_PASSWORD': OTC_PASSWORD, 'OS_PROJECT_NAME': OTC_PROJECT}
AWX_INPUTS = {'host': '<AUTH_URL>', 'username': OTC_USER, 'password': OTC_PASSWORD, 'project': OTC_PROJECT}
HOME_CLOUDS = 'home/.config/openstack/clouds.yaml'
HOME_SECURE = 'home/.config/openstack/secure.yaml'
CWD_CLOUDS = 'cwd/clouds.yaml'


def clouds(**entries):
    return {'clouds': entries}


def auth(**changes):
    """OTC_AUTH with changes (None removes a key)."""
    result = dict(OTC_AUTH)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


CASES = {
    # ---------------------------------------------------------------- AWX's built-in OpenStack credential
    'awx-domain-only': dict(awx=dict(AWX_INPUTS, domain=OTC_DOMAIN), options={'cloud': 'devstack'}),
    'awx-domain-and-project-domain-and-region': dict(
        awx=dict(AWX_INPUTS, domain=OTC_DOMAIN, project_domain_name=OTC_DOMAIN, region='eu-de'), options={'cloud': 'devstack'}),
    'awx-verify-false-region': dict(
        awx=dict(AWX_INPUTS, domain=OTC_DOMAIN, verify_ssl=False, region='eu-de'), options={'cloud': 'devstack'}),
    'awx-no-cloud-option-only-cloud': dict(awx=dict(AWX_INPUTS, domain=OTC_DOMAIN, region='eu-de'), options={}),
    'awx-host-without-v3': dict(awx=dict(AWX_INPUTS, host='<BASE>', domain=OTC_DOMAIN), options={'cloud': 'devstack'}),
    'awx-default-domain-user': dict(
        awx={'host': '<AUTH_URL>', 'username': 'demo', 'password': 'demo-secret-pw', 'project': 'demo-project',
             'domain': 'Default'},
        options={'cloud': 'devstack'}, user='demo'),

    # ---------------------------------------------------------------- domains of OTC account users
    'clouds-user-and-project-domain': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'region_name': 'eu-de'})},
                                           options={'cloud': 'otc'}),
    'clouds-domain-name-in-auth': dict(files={CWD_CLOUDS: clouds(otc={'auth': auth(user_domain_name=None, project_domain_name=None,
                                                                                   domain_name=OTC_DOMAIN)})},
                                       options={'cloud': 'otc'}),
    'clouds-domain-name-top-level': dict(files={CWD_CLOUDS: clouds(otc={'auth': auth(user_domain_name=None, project_domain_name=None),
                                                                        'domain_name': OTC_DOMAIN})},
                                         options={'cloud': 'otc'}),
    'clouds-domain-id-with-explicit-user-domain-name': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': auth(project_domain_name=None, domain_id='<OTC_DOMAIN_ID>')})},
        options={'cloud': 'otc'}),
    'clouds-user-domain-id-project-id': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': auth(user_domain_name=None, user_domain_id='<OTC_DOMAIN_ID>', project_name=None,
                                                    project_domain_name=None, project_id=OTC_PROJECT_ID)})},
        options={'cloud': 'otc'}),
    'clouds-user-id-project-id': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': {'auth_url': '<AUTH_URL>', 'user_id': OTC_USER_ID, 'password': OTC_PASSWORD,
                                                'project_id': OTC_PROJECT_ID}})},
        options={'cloud': 'otc'}),
    'clouds-default-domain-name': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': auth(user_domain_name=None, project_domain_name=None,
                                                    default_domain_name=OTC_DOMAIN)})},
        options={'cloud': 'otc'}),
    'clouds-default-domain-id': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': auth(user_domain_name=None, project_domain_name=None,
                                                    default_domain_id='<OTC_DOMAIN_ID>')})},
        options={'cloud': 'otc'}),
    'clouds-project-domain-from-user-domain': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': auth(project_domain_name=None)})}, options={'cloud': 'otc'}),
    'clouds-v3password': dict(files={CWD_CLOUDS: clouds(otc={'auth_type': 'v3password', 'auth': OTC_AUTH})},
                              options={'cloud': 'otc'}),
    'clouds-top-level-auth-settings': dict(
        files={CWD_CLOUDS: clouds(otc=dict(OTC_AUTH, region_name='eu-de'))}, options={'cloud': 'otc'}),

    # ---------------------------------------------------------------- the environment
    'env-os-domain-name': dict(env=dict(OTC_ENV, OS_DOMAIN_NAME=OTC_DOMAIN, OS_REGION_NAME='eu-de')),
    'env-os-domain-id': dict(env=dict(OTC_ENV, OS_DOMAIN_ID='<OTC_DOMAIN_ID>')),
    'env-user-and-project-domain-tenant-name': dict(
        env={'OS_AUTH_URL': '<AUTH_URL>', 'OS_USERNAME': OTC_USER, 'OS_PASSWORD': OTC_PASSWORD, 'OS_TENANT_NAME': OTC_PROJECT,
             'OS_USER_DOMAIN_NAME': OTC_DOMAIN, 'OS_PROJECT_DOMAIN_NAME': OTC_DOMAIN, 'OS_INTERFACE': 'internal'}),
    'env-default-domain-name-and-options': dict(
        env={'OS_AUTH_URL': '<AUTH_URL>', 'OS_DEFAULT_DOMAIN_NAME': OTC_DOMAIN, 'OS_PROJECT_NAME': OTC_PROJECT},
        options={'auth': {'username': OTC_USER, 'password': OTC_PASSWORD}, 'region_name': 'eu-de'}),
    'env-os-cloud-wins-over-other-variables': dict(
        files={HOME_CLOUDS: clouds(otc={'auth': OTC_AUTH})},
        env={'OS_CLOUD': 'otc', 'OS_USERNAME': 'someone-else', 'OS_DOMAIN_NAME': OTHER_DOMAIN, 'OS_PASSWORD': 'not-this-one'}),
    'env-os-client-config-file-without-suffix': dict(
        files={'elsewhere/awx-style': clouds(other={'auth': {'auth_url': 'http://127.0.0.1:9/v3'}}, otc={'auth': OTC_AUTH})},
        env={'OS_CLIENT_CONFIG_FILE': '<DIR>/elsewhere/awx-style', 'OS_CLOUD': 'otc'}),
    'env-os-client-secure-file': dict(
        files={HOME_CLOUDS: clouds(otc={'auth': auth(password=None)}),
               'elsewhere/secure.yaml': clouds(otc={'auth': {'password': OTC_PASSWORD}})},
        env={'OS_CLIENT_SECURE_FILE': '<DIR>/elsewhere/secure.yaml'}, options={'cloud': 'otc'}),
    'env-os-cloud-name': dict(env=dict(OTC_ENV, OS_CLOUD_NAME='from-env', OS_USER_DOMAIN_NAME=OTC_DOMAIN,
                                       OS_PROJECT_DOMAIN_NAME=OTC_DOMAIN)),

    # ---------------------------------------------------------------- files and their search
    'secure-yaml-in-home-over-clouds-in-cwd': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': auth(password=None), 'region_name': 'eu-de'}),
               HOME_SECURE: clouds(otc={'auth': {'password': OTC_PASSWORD}})},
        options={'cloud': 'otc'}),
    'clouds-in-xdg-config-home': dict(files={'xdg/openstack/clouds.yml': clouds(otc={'auth': OTC_AUTH})}, options={'cloud': 'otc'}),
    'clouds-json-in-xdg-config-dirs': dict(files={'site/openstack/clouds.json': clouds(otc={'auth': OTC_AUTH})},
                                           options={'cloud': 'otc'}),
    'secure-adds-a-cloud': dict(
        files={HOME_CLOUDS: clouds(unrelated={'auth': {'auth_url': 'http://127.0.0.1:9/v3'}}),
               HOME_SECURE: clouds(otc={'auth': OTC_AUTH})},
        options={'cloud': 'otc'}),

    # ---------------------------------------------------------------- hyphens, old names, module options
    'hyphenated-keys': dict(
        files={CWD_CLOUDS: 'clouds:\n  otc:\n    auth:\n      auth-url: <AUTH_URL>\n      username: %s\n      password: %s\n'
                           '      user-domain-name: %s\n      project-name: %s\n      project-domain-name: %s\n'
                           '    region-name: eu-de\n    api-timeout: 45\n' % (OTC_USER, OTC_PASSWORD, OTC_DOMAIN, OTC_PROJECT, OTC_DOMAIN)},
        options={'cloud': 'otc'}),
    'tenant-id-and-auth-plugin': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_plugin': 'password', 'auth': {
            'auth_url': '<AUTH_URL>', 'user_id': OTC_USER_ID, 'password': OTC_PASSWORD, 'tenant-id': OTC_PROJECT_ID}})},
        options={'cloud': 'otc'}),
    'options-override-cloud': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': dict(OTC_AUTH, password='stale-password'), 'region_name': 'eu-de',
                                       'interface': 'admin'})},
        options={'cloud': 'otc', 'auth': {'password': OTC_PASSWORD}, 'interface': 'public', 'api_timeout': 12}),
    'options-only': dict(options={'auth': dict(OTC_AUTH), 'region_name': 'eu-de', 'auth_type': 'v3password'}),
    'endpoint-type-and-compute-interface': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'endpoint_type': 'adminURL', 'compute_interface': 'internal'})},
        options={'cloud': 'otc'}),

    # ---------------------------------------------------------------- regions and profiles
    'regions-list-first': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'regions': ['eu-de', 'eu-nl']})},
                               options={'cloud': 'otc'}),
    'regions-list-option-picks-one-with-values': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'regions': [
            'eu-de', {'name': 'eu-nl', 'values': {'compute_endpoint_override': '<OTC_COMPUTE>', 'interface': 'internal'}}]})},
        options={'cloud': 'otc', 'region_name': 'eu-nl'}),
    'profile-otc': dict(files={CWD_CLOUDS: clouds(otc={'profile': 'otc', 'auth': auth(auth_url=None)})}, options={'cloud': 'otc'}),
    'profile-otc-second-region-with-endpoint': dict(
        files={CWD_CLOUDS: clouds(otc={'profile': 'otc', 'auth': auth(auth_url=None), 'compute_endpoint_override': '<OTC_COMPUTE>'})},
        options={'cloud': 'otc', 'region_name': 'eu-nl'}),
    'profile-from-clouds-public-yaml': dict(
        files={CWD_CLOUDS: clouds(otc={'profile': 'mycloud', 'auth': auth(auth_url=None)}),
               'home/.config/openstack/clouds-public.yaml': {'public-clouds': {'mycloud': {
                   'auth': {'auth_url': '<AUTH_URL>'}, 'regions': ['eu-de'], 'interface': 'public'}}}},
        options={'cloud': 'otc'}),
    'old-cloud-key-as-profile': dict(files={CWD_CLOUDS: clouds(otc={'cloud': 'otc', 'auth': auth(auth_url=None),
                                                                    'region_name': 'eu-de'})},
                                     options={'cloud': 'otc'}),
    'compute-endpoint-override-with-region-placeholder': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'region_name': 'eu-de',
                                       'compute_endpoint_override': '<BASE>/v2.1/%s?r={region_name}' % OTC_PROJECT_ID})},
        options={'cloud': 'otc'}),

    # ---------------------------------------------------------------- TLS and API version
    'verify-false': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'verify': False})}, options={'cloud': 'otc'}),
    'cacert-with-tilde': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'cacert': '~/ca/otc.pem'})}, options={'cloud': 'otc'}),
    'os-insecure-wins-over-cacert': dict(env=dict(OTC_ENV, OS_DOMAIN_NAME=OTC_DOMAIN, OS_INSECURE='true', OS_CACERT='/etc/ca.pem')),
    'option-ca-cert-over-cloud-verify-false': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'verify': False})},
                                                   options={'cloud': 'otc', 'ca_cert': '/opt/ca/bundle.pem'}),
    'option-validate-certs-false': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'cacert': '/opt/ca/bundle.pem'})},
                                        options={'cloud': 'otc', 'validate_certs': False}),
    'client-cert-and-key': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'cert': '~/tls/client.crt', 'key': '~/tls/client.key',
                                       'cacert': '~/tls/ca.pem'}),
               'home/tls/client.crt': '<CLIENT_CERT_PEM>', 'home/tls/client.key': '<CLIENT_KEY_PEM>', 'home/tls/ca.pem': '<CA_PEM>'},
        options={'cloud': 'otc'}, tls=True),
    'env-os-cert': dict(env=dict(OTC_ENV, OS_DOMAIN_NAME=OTC_DOMAIN, OS_CERT='<DIR>/tls/client.pem', OS_CACERT='<DIR>/tls/ca.pem'),
                        files={'tls/client.pem': '<CLIENT_PEM>', 'tls/ca.pem': '<CA_PEM>'}, tls=True),
    'options-client-cert-over-cloud': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'cert': '/nonexistent/old.crt', 'cacert': '<DIR>/tls/ca.pem'}),
               'tls/client.crt': '<CLIENT_CERT_PEM>', 'tls/client.key': '<CLIENT_KEY_PEM>', 'tls/ca.pem': '<CA_PEM>'},
        options={'cloud': 'otc', 'client_cert': '<DIR>/tls/client.crt', 'client_key': '<DIR>/tls/client.key'}, tls=True),
    'compute-api-version-microversion': dict(files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'compute_api_version': '2.60'})},
                                             options={'cloud': 'otc'}),
    'compute-default-microversion-and-api-version-2': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'compute_api_version': '2', 'compute_default_microversion': '2.47'})},
        options={'cloud': 'otc'}),

    # ---------------------------------------------------------------- tokens
    'admin-token-with-endpoint': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'admin_token', 'auth': {'token': '<TOKEN>', 'endpoint': '<OTC_COMPUTE>'}})},
        options={'cloud': 'otc'}, auth='token'),
    'token-endpoint-alias-and-override': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'token_endpoint', 'auth': {'token': '<TOKEN>', 'url': 'http://127.0.0.1:9/unused'},
                                       'compute_endpoint_override': '<OTC_COMPUTE>'})},
        options={'cloud': 'otc'}, auth='token'),
    'options-admin-token': dict(options={'auth_type': 'admin_token', 'auth': {'token': '<TOKEN>', 'endpoint': '<OTC_COMPUTE>'}},
                                auth='token'),
    'v3token-rescoped-by-project': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'v3token', 'auth': {'auth_url': '<AUTH_URL>', 'token': '<TOKEN>',
                                                                        'project_name': OTC_PROJECT, 'project_domain_name': OTC_DOMAIN}})},
        options={'cloud': 'otc'}),
    'env-token-project-domain': dict(
        env={'OS_AUTH_TYPE': 'token', 'OS_AUTH_URL': '<AUTH_URL>', 'OS_TOKEN': '<TOKEN>', 'OS_PROJECT_NAME': OTC_PROJECT,
             'OS_PROJECT_DOMAIN_ID': '<OTC_DOMAIN_ID>'}),
    'token-default-domain-name': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'token', 'auth': {'auth_url': '<AUTH_URL>', 'token': '<TOKEN>',
                                                                      'project_name': OTC_PROJECT, 'default_domain_name': OTC_DOMAIN}})},
        options={'cloud': 'otc'}),
    # openstacksdk exchanges the token even when the compute endpoint is given
    'token-rescoped-with-compute-endpoint': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'token', 'auth': {'auth_url': '<AUTH_URL>', 'token': '<TOKEN>',
                                                                      'project_id': OTC_PROJECT_ID},
                                       'compute_endpoint_override': '<OTC_COMPUTE>'})},
        options={'cloud': 'otc'}),

    # ---------------------------------------------------------------- application credentials
    'appcred-id': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'v3applicationcredential', 'auth': {
            'auth_url': '<AUTH_URL>', 'application_credential_id': APPCRED_ID,
            'application_credential_secret': APPCRED_SECRET}, 'region_name': 'eu-de'})},
        options={'cloud': 'otc'}),
    'appcred-name-with-user': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'v3applicationcredential', 'auth': {
            'auth_url': '<AUTH_URL>', 'application_credential_name': APPCRED_NAME, 'application_credential_secret': APPCRED_NAME_SECRET,
            'username': OTC_USER, 'user_domain_name': OTC_DOMAIN}})},
        options={'cloud': 'otc'}),
    'env-appcred': dict(
        env={'OS_AUTH_TYPE': 'v3applicationcredential', 'OS_AUTH_URL': '<AUTH_URL>',
             'OS_APPLICATION_CREDENTIAL_ID': APPCRED_ID, 'OS_APPLICATION_CREDENTIAL_SECRET': APPCRED_SECRET,
             'OS_REGION_NAME': 'eu-de'}),
    'appcred-secret-in-secure-yaml': dict(
        files={HOME_CLOUDS: clouds(otc={'auth_type': 'v3applicationcredential', 'region_name': 'eu-de',
                                        'auth': {'auth_url': '<AUTH_URL>', 'application_credential_id': APPCRED_ID}}),
               HOME_SECURE: clouds(otc={'auth': {'application_credential_secret': APPCRED_SECRET}})},
        env={'OS_CLOUD': 'otc'}),
    'options-appcred-user-id': dict(
        options={'auth_type': 'application_credential', 'auth': {
            'auth_url': '<AUTH_URL>', 'application_credential_name': APPCRED_NAME, 'application_credential_secret': APPCRED_NAME_SECRET,
            'user_id': OTC_USER_ID}}),

    # ---------------------------------------------------------------- AK/SK (this collection's own; openstacksdk checks the rest)
    'aksk-clouds-ak-sk-override': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'aksk', 'auth': {'ak': OTC_AK, 'sk': OTC_SK, 'project_id': OTC_PROJECT_ID},
                                       'region_name': 'eu-de', 'compute_endpoint_override': '<BASE>'})},
        options={'cloud': 'otc'}, auth='aksk', sdk='config',
        expect={'access_key': OTC_AK, 'secret_key': OTC_SK, 'project_id': OTC_PROJECT_ID, 'compute_endpoint': '<BASE>'}),
    'aksk-hw-environment-derived-endpoint': dict(
        env={'HW_ACCESS_KEY': OTC_AK, 'HW_SECRET_KEY': OTC_SK, 'HW_PROJECT_ID': OTC_PROJECT_ID, 'HW_REGION_NAME': 'eu-de',
             'HW_CLOUD_DOMAIN': 'otc.t-systems.com'},
        auth='aksk', sdk='config', ours_only=('region_name',),
        expect={'access_key': OTC_AK, 'project_id': OTC_PROJECT_ID, 'region_name': 'eu-de',
                'compute_endpoint': 'https://ecs.eu-de.otc.t-systems.com'}),
    'aksk-os-environment-and-profile': dict(
        env={'OS_AUTH_TYPE': 'aksk', 'OS_ACCESS_KEY': OTC_AK, 'OS_SECRET_KEY': OTC_SK, 'OS_PROJECT_ID': OTC_PROJECT_ID,
             'OS_PROFILE': 'otc', 'OS_CLOUD_DOMAIN': 'otc.t-systems.com'},
        auth='aksk', sdk='config',
        expect={'access_key': OTC_AK, 'compute_endpoint': 'https://ecs.eu-de.otc.t-systems.com', 'region_name': 'eu-de'}),
    'aksk-security-token': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'aksk', 'auth': {
            'access_key': OTC_TEMP_AK, 'secret_key': OTC_TEMP_SK, 'security_token': OTC_SECURITY_TOKEN, 'project_id': OTC_PROJECT_ID},
            'compute_endpoint': '<BASE>'})},
        options={'cloud': 'otc'}, auth='aksk', sdk='config',
        expect={'access_key': OTC_TEMP_AK, 'security_token': OTC_SECURITY_TOKEN, 'compute_endpoint': '<BASE>'}),
    'aksk-hw-security-token': dict(
        env={'HW_ACCESS_KEY': OTC_TEMP_AK, 'HW_SECRET_KEY': OTC_TEMP_SK, 'HW_SECURITY_TOKEN': OTC_SECURITY_TOKEN,
             'HW_PROJECT_ID': OTC_PROJECT_ID, 'OS_COMPUTE_ENDPOINT': '<BASE>'},
        auth='aksk', sdk='config', expect={'security_token': OTC_SECURITY_TOKEN}),
    'aksk-os-security-token-over-hw': dict(
        env={'OS_AUTH_TYPE': 'aksk', 'OS_ACCESS_KEY': OTC_TEMP_AK, 'OS_SECRET_KEY': OTC_TEMP_SK, 'OS_SECURITY_TOKEN': OTC_SECURITY_TOKEN,
             'HW_SECURITY_TOKEN': 'not-this-one', 'OS_PROJECT_ID': OTC_PROJECT_ID, 'OS_COMPUTE_ENDPOINT': '<OTC_COMPUTE>'},
        auth='aksk', sdk='config', expect={'security_token': OTC_SECURITY_TOKEN, 'access_key': OTC_TEMP_AK}),
}

# Settings both openstacksdk and this collection refuse: (files, env, options, a fragment of our message).
REFUSED = {
    'cloud-not-in-first-file': dict(
        files={CWD_CLOUDS: clouds(unrelated={'auth': {'auth_url': 'http://127.0.0.1:9/v3'}}), HOME_CLOUDS: clouds(otc={'auth': OTC_AUTH})},
        options={'cloud': 'otc'}, message="cloud 'otc' (from option) not found in <DIR>/cwd/clouds.yaml (clouds there: unrelated)"),
    'region-not-in-regions': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'regions': ['eu-de', 'eu-nl']})},
        options={'cloud': 'otc', 'region_name': 'eu-ch2'},
        message="region_name 'eu-ch2' (from option) is not a region of cloud 'otc', whose regions are eu-de, eu-nl"),
    'v3password-user-without-domain': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'v3password', 'auth': auth(user_domain_name=None)})},
        options={'cloud': 'otc'}, message="no domain for user 'ops-admin'"),
    'key-of-another-auth-type': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': dict(OTC_AUTH, access_key=OTC_AK)})},
        options={'cloud': 'otc'}, message='auth.access_key (from clouds.yaml:<DIR>/cwd/clouds.yaml) is not a setting of auth_type password'),
    'unknown-auth-type': dict(env=dict(OTC_ENV, OS_AUTH_TYPE='v3passwort'),
                              message="unsupported auth_type 'v3passwort' (from env:OS_AUTH_TYPE)"),
    'shutdown-profile': dict(files={CWD_CLOUDS: clouds(old={'profile': 'betacloud', 'auth': auth(auth_url=None)})},
                             options={'cloud': 'old'}, message="profile 'betacloud' (from clouds.yaml:<DIR>/cwd/clouds.yaml) references "
                                                               "a cloud that no longer exists"),
    'os-cloud-name-collision': dict(files={CWD_CLOUDS: clouds(envvars={'auth': OTC_AUTH})}, env=dict(OTC_ENV),
                                    message="defines a cloud named 'envvars'"),
    'appcred-without-id-or-name': dict(
        files={CWD_CLOUDS: clouds(otc={'auth_type': 'v3applicationcredential', 'auth': {
            'auth_url': '<AUTH_URL>', 'application_credential_secret': 'appcred-Secret-1'}})},
        options={'cloud': 'otc'}, message='no application credential: set auth.application_credential_id'),
    'microversion-conflict': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'compute_api_version': '2.60', 'compute_default_microversion': '2.47'})},
        options={'cloud': 'otc'}, message='compute_default_microversion 2.47 (from clouds.yaml:<DIR>/cwd/clouds.yaml) and '
                                          'compute_api_version 2.60'),
    'region-entry-with-unknown-key': dict(
        files={CWD_CLOUDS: clouds(otc={'auth': OTC_AUTH, 'regions': [{'name': 'eu-de', 'endpoint': 'x'}]})},
        options={'cloud': 'otc'}, message="invalid region entry ['endpoint', 'name'] in regions"),
    # openstacksdk expands domain_name into user_domain_name, which its token plugins do not take
    'token-with-domain-name': dict(
        env={'OS_AUTH_TYPE': 'token', 'OS_AUTH_URL': '<AUTH_URL>', 'OS_TOKEN': 'a-token', 'OS_PROJECT_NAME': OTC_PROJECT,
             'OS_DOMAIN_NAME': OTC_DOMAIN},
        message='auth.user_domain_name (from env:OS_DOMAIN_NAME (domain_name)) is not a setting of auth_type token'),
    'admin-token-without-endpoint': dict(options={'auth_type': 'admin_token', 'auth': {'token': 'a-token'},
                                                  'compute_endpoint': '<BASE>'},
                                         message='no endpoint: admin_token sends every request to auth.endpoint'),
    'clouds-yaml-is-a-list': dict(files={CWD_CLOUDS: '- otc\n- other\n'}, options={'cloud': 'otc'},
                                  message='cannot use <DIR>/cwd/clouds.yaml: it is not a mapping'),
}


# ---------------------------------------------------------------- the emulator's default user, for the playbook tests
# (its project holds the default servers): an application credential and a temporary access key of its own.
DEMO_APPCRED_ID = 'd3a0c1b2e4f54a6b8c7d9e0f1a2b3c4d'
DEMO_APPCRED_NAME = 'playbooks'
DEMO_APPCRED_SECRET = 'demo-appcred-Secret-42'
DEMO_TEMP_AK = 'DEMOTEMPAK0000000042'
DEMO_TEMP_SK = 'demo-temporary-sk-42-00000000000000000000'
DEMO_SECURITY_TOKEN = 'gAAAAABdemo-security-token-42-fedcba9876543210'


def demo_user(info):
    """The emulator's default user (from its ready-file dict), re-seeded with an application credential and a temporary
    access key."""
    from ecs_emulator import seed  # pylint: disable=import-outside-toplevel
    return {'id': seed.DEFAULT_USER_ID, 'name': info['username'], 'password': info['password'],
            'project_id': info['project_id'], 'access_key': info['access_key'], 'secret_key': info['secret_key'],
            'application_credentials': [{'id': DEMO_APPCRED_ID, 'name': DEMO_APPCRED_NAME, 'secret': DEMO_APPCRED_SECRET}],
            'temporary_credentials': [{'access_key': DEMO_TEMP_AK, 'secret_key': DEMO_TEMP_SK,
                                       'security_token': DEMO_SECURITY_TOKEN}]}
