"""HTTPS, and client certificates required and verified in the TLS handshake (``--tls-client-ca``)."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
import requests

from ecs_emulator.testing import run_emulator, write_test_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return write_test_pki(str(tmp_path_factory.mktemp("pki")))


def get(url, pki, cert):
    return requests.get(url, verify=pki["ca"], cert=cert, timeout=10)


def test_client_certificate_required_and_verified(pki):
    with run_emulator(tls_cert=pki["server_cert"], tls_key=pki["server_key"], tls_client_ca=pki["ca"], ca_file=pki["ca"],
                      client_cert=(pki["client_cert"], pki["client_key"])) as emu:
        url = emu.info["auth_url"]
        assert url.startswith("https://")
        assert get(url, pki, (pki["client_cert"], pki["client_key"])).status_code == 200
        assert get(url, pki, pki["client_pem"]).status_code == 200  # certificate and key in one file
        # refused in the handshake: the client sees the server's alert (certificate required, unknown ca) or, when
        # the server closed the connection before the alert was read, an EOF; never an HTTP answer
        with pytest.raises(requests.exceptions.SSLError):
            get(url, pki, None)
        with pytest.raises(requests.exceptions.SSLError):
            get(url, pki, (pki["other_client_cert"], pki["other_client_key"]))
        # refused handshakes leave the server serving; the admin client presents the client certificate too
        token = requests.post(url + "/auth/tokens", verify=pki["ca"], cert=pki["client_pem"], timeout=10, json={
            "auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": "demo", "domain": {"name": "Default"}, "password": "demo-secret-pw"}}}}})
        assert token.status_code == 201
        assert emu.admin.info()["base_url"] == emu.base_url
        assert [r["path"] for r in emu.admin.requests()] == ["/v3", "/v3", "/v3/auth/tokens"]


def test_without_client_ca_no_client_certificate_is_asked(pki):
    with run_emulator(tls_cert=pki["server_cert"], tls_key=pki["server_key"], ca_file=pki["ca"]) as emu:
        assert get(emu.info["auth_url"], pki, None).status_code == 200
        assert get(emu.info["auth_url"], pki, pki["client_pem"]).status_code == 200


def command():
    script = os.path.join(os.path.dirname(sys.executable), "ecs-emulator")
    return [script] if os.path.exists(script) else [shutil.which("ecs-emulator") or sys.executable, "-m", "ecs_emulator"]


def test_cli_tls_client_ca(pki, tmp_path):
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(command() + ["serve", "--port", "0", "--ready-file", str(ready), "--tls-cert", pki["server_cert"],
                                         "--tls-key", pki["server_key"], "--tls-client-ca", pki["ca"]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("ecs-emulator listening on https://127.0.0.1:"), (line, proc.stderr.read())
        info = json.loads(ready.read_text())
        assert get(info["auth_url"], pki, pki["client_pem"]).status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            get(info["auth_url"], pki, None)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
        proc.stderr.close()


def test_cli_refuses_a_client_ca_without_tls(pki):
    proc = subprocess.run(command() + ["serve", "--port", "0", "--tls-client-ca", pki["ca"]], capture_output=True, text=True,
                          timeout=30, check=False)
    assert proc.returncode == 2
    assert "--tls-client-ca needs --tls-cert and --tls-key" in proc.stderr
    assert "Traceback" not in proc.stderr
