# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets never leak (not with -vvvv, not with ANSIBLE_DEBUG); TLS is verified by default."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json

import pytest

from ecs_emulator.testing import run_emulator, write_test_pki
from credentials_corpus import DEMO_APPCRED_ID, DEMO_APPCRED_SECRET, DEMO_SECURITY_TOKEN, DEMO_TEMP_AK, DEMO_TEMP_SK, demo_user
from helpers import connection_vars, count_actions, run_playbook


def issued_tokens(emu):
    return [doc['id'] for doc in emu.emulator.store.list('token')]


def all_output(run, tmp_path):
    text = run.stdout + run.stderr + json.dumps(run.results)
    for path in tmp_path.rglob('*'):
        if path.is_file() and path.suffix != '.yml' and 'extra-vars' not in path.name:
            text += path.read_text(errors='replace')
    return text


@pytest.mark.parametrize('verbosity,in_controller', [(['-vvvv'], True), (['-vvvv', '--diff'], True), (['-vvvv'], False)],
                         ids=['vvvv-in-controller', 'vvvv-diff-in-controller', 'vvvv-module-process'])
def test_no_secret_in_verbose_or_debug_output(emu, tmp_path, verbosity, in_controller):
    info = emu.info
    password_task = {'name': 'password', 'ecs_ops.compute.ecs_resize': dict(connection_vars(info), server='web-1', flavor='s6.large.2')}
    aksk_task = {'name': 'aksk', 'ecs_ops.compute.ecs_resize': {
        'auth_type': 'aksk', 'compute_endpoint': info['compute_url'],
        'auth': {'access_key': info['access_key'], 'secret_key': info['secret_key'], 'project_id': info['project_id']},
        'server': 'web-2', 'flavor': 's6.large.2'}}
    failing_task = {'name': 'wrong password', 'ignore_errors': True, 'ecs_ops.compute.ecs_resize': dict(
        connection_vars(info), server='web-1', flavor='s6.large.2')}
    failing_task['ecs_ops.compute.ecs_resize']['auth'] = dict(failing_task['ecs_ops.compute.ecs_resize']['auth'], password='Wr0ng-Secret-Pass')
    emu.admin.seed(users=[demo_user(info)])
    appcred_task = {'name': 'application credential', 'ecs_ops.compute.ecs_resize': {
        'auth_type': 'application_credential', 'region_name': info['region'], 'server': 'app-1', 'flavor': 'm1.medium',
        'auth': {'auth_url': info['auth_url'], 'application_credential_id': DEMO_APPCRED_ID,
                 'application_credential_secret': DEMO_APPCRED_SECRET}}}
    temporary_task = {'name': 'temporary aksk', 'ecs_ops.compute.ecs_resize': {
        'auth_type': 'aksk', 'compute_endpoint': info['compute_url'], 'server': 'db-1', 'flavor': 's6.xlarge.2',
        'auth': {'access_key': DEMO_TEMP_AK, 'secret_key': DEMO_TEMP_SK, 'security_token': DEMO_SECURITY_TOKEN,
                 'project_id': info['project_id']}}}
    token_task = {'name': 'token exchanged', 'ecs_ops.compute.ecs_server_info': {
        'auth_type': 'token', 'region_name': info['region'], 'server': 'web-1',
        'auth': {'auth_url': info['auth_url'], 'token': '{{ given_token }}', 'project_id': info['project_id']}}}
    given_token = emu.token()
    run = run_playbook(tmp_path, [password_task, aksk_task, failing_task, appcred_task, temporary_task, token_task], args=verbosity,
                       env={'ANSIBLE_DEBUG': '1'}, extra_vars={'ecs_ops_run_in_controller': in_controller, 'given_token': given_token})
    assert run.rc == 0, run
    assert ('running inside the controller' in run.stdout) is in_controller
    assert run.task('password')['changed'] and run.task('aksk')['changed']
    assert run.task('application credential')['changed'] and run.task('temporary aksk')['changed']
    assert run.outcome('token exchanged') == 'ok'
    text = all_output(run, tmp_path)
    secrets = [info['password'], info['secret_key'], 'Wr0ng-Secret-Pass', DEMO_APPCRED_SECRET, DEMO_TEMP_SK,
               DEMO_SECURITY_TOKEN] + issued_tokens(emu)
    assert given_token in secrets and len(secrets) >= 8  # the given token, the password's, the credential's and the exchanged
    for secret in secrets:
        assert secret not in text, 'a secret leaked into the output'
    assert 'Signature=' not in text
    # the emulator's own request log holds no credentials either
    log_text = json.dumps(emu.admin.requests())
    for secret in secrets + [info['access_key'], DEMO_TEMP_AK]:
        assert secret not in log_text


@pytest.fixture(scope='module')
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (made with cryptography, which ansible-core needs anyway)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'ecs-emulator test CA')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u'127.0.0.1'))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp('tls')
    cert_file, key_file = folder / 'cert.pem', folder / 'key.pem'
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_tls_is_verified_by_default_and_ca_cert_is_honoured(certificate, tmp_path):
    cert_file, key_file = certificate
    with run_emulator(time_scale=0.1, tls_cert=cert_file, tls_key=key_file) as emu:
        info = emu.info
        assert info['auth_url'].startswith('https://')

        def task(name, **extra):
            args = dict(connection_vars(info), server='web-1', flavor='s6.large.2')
            args.update(extra)
            return {'name': name, 'ignore_errors': True, 'ecs_ops.compute.ecs_resize': args}

        run = run_playbook(tmp_path, [
            task('default verification'),
            task('with ca_cert', ca_cert=cert_file),
            task('without verification', validate_certs=False, flavor='s6.xlarge.2'),
        ])
        refused = run.task('default verification')
        assert run.outcome('default verification') == 'ignored'
        assert 'TLS verification' in refused['msg'] and 'ca_cert' in refused['msg'], refused['msg']
        assert 'Traceback' not in refused['msg']
        assert run.outcome('with ca_cert') == 'ok' and run.task('with ca_cert')['changed'] is True, run
        unverified = run.task('without verification')
        assert run.outcome('without verification') == 'ok' and unverified['changed'] is True
        assert any('validate_certs=false' in w for w in unverified.get('warnings', []))
        log = emu.admin.requests()
        assert count_actions(log, 'resize') == 2


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return write_test_pki(str(tmp_path_factory.mktemp('pki')))


def test_client_certificate_is_presented_and_its_failures_are_clear(pki, tmp_path):
    """An HTTPS cloud that requires a client certificate of its CA: the modules present client_cert/client_key (or one
    PEM with both) on every request, Keystone's included; without one, with another CA's, or with a missing file
    they fail with a sentence saying what to set."""
    with run_emulator(time_scale=0.1, tls_cert=pki['server_cert'], tls_key=pki['server_key'], tls_client_ca=pki['ca'],
                      ca_file=pki['ca'], client_cert=pki['client_pem']) as emu:
        info = emu.info

        def task(name, **extra):
            args = dict(connection_vars(info), server='web-1', flavor='s6.medium.2', ca_cert=pki['ca'])
            args.update(extra)
            return {'name': name, 'ignore_errors': True, 'ecs_ops.compute.ecs_resize': args}

        run = run_playbook(tmp_path, [
            task('cert and key', client_cert=pki['client_cert'], client_key=pki['client_key']),
            task('one pem', client_cert=pki['client_pem']),
            task('no certificate'),
            task('another CA', client_cert=pki['other_client_cert'], client_key=pki['other_client_key']),
            task('missing file', client_cert=str(tmp_path / 'nowhere.pem')),
        ], env={'OS_CERT': '', 'OS_KEY': ''})
        for name in ('cert and key', 'one pem'):
            assert run.outcome(name) == 'ok' and run.task(name)['changed'] is False, run
        messages = dict((name, run.task(name)['msg']) for name in ('no certificate', 'another CA', 'missing file'))
        assert all(run.outcome(name) == 'ignored' for name in messages), run
        assert 'set client_cert' in messages['no certificate'], messages
        assert 'refused the TLS client certificate %s' % pki['other_client_cert'] in messages['another CA'] \
            or 'may have refused the client certificate %s' % pki['other_client_cert'] in messages['another CA'], messages
        assert messages['missing file'].endswith('nowhere.pem; check ca_cert, client_cert and client_key'), messages
        assert not any('Traceback' in m for m in messages.values())
        # the two that worked logged in at Keystone (through TLS with their certificate) and read the server
        log = emu.admin.requests()
        assert len([r for r in log if r['path'] == '/v3/auth/tokens' and r['status'] == 201]) == 2
