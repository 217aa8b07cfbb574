"""The ecs-emulator CLI as a real subprocess: ready file, SIGTERM, restart with --state."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import requests

from emulator_helpers import WEB1


def command():
    script = os.path.join(os.path.dirname(sys.executable), "ecs-emulator")
    if os.path.exists(script):
        return [script]
    found = shutil.which("ecs-emulator")
    return [found] if found else [sys.executable, "-m", "ecs_emulator"]


def start(tmp_path, *extra):
    ready = tmp_path / "ready.json"
    if ready.exists():
        ready.unlink()
    proc = subprocess.Popen(command() + ["serve", "--host", "127.0.0.1", "--port", "0", "--ready-file", str(ready)]
                            + list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("ecs-emulator listening on http://127.0.0.1:"), (line, proc.stderr.read())
    info = json.loads(ready.read_text())
    assert info["base_url"] == line.split()[-1]
    return proc, info


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    proc.stdout.close()
    proc.stderr.close()


def token(info):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": info["username"], "domain": {"name": info["user_domain_name"]}, "password": info["password"]}}},
        "scope": {"project": {"name": info["project_name"], "domain": {"name": info["project_domain_name"]}}}}}
    resp = requests.post(info["auth_url"] + "/auth/tokens", json=body, timeout=10)
    assert resp.status_code == 201
    return resp.headers["X-Subject-Token"], resp.json()


def test_cli_serve_ready_file_and_sigterm(tmp_path):
    proc, info = start(tmp_path, "--time-scale", "0.01", "--profile", "otc-swiss")
    try:
        base = info["base_url"]
        assert info["profile"] == "otc-swiss"
        assert requests.get(info["admin_url"] + "/config", timeout=10).json()["profile"] == "otc-swiss"
        assert info["auth_url"] == base + "/v3"
        assert info["compute_url"] == base + "/v2.1/" + info["project_id"]
        assert info["admin_url"] == base + "/__emulator"
        assert info["username"] == "demo" and info["password"] == "demo-secret-pw"
        assert info["user_domain_name"] == "Default" and info["project_name"] == "demo-project"
        assert info["access_key"] == "EMULATORAK0000000000" and info["region"] == "eu-de"
        assert info["secret_key"] == "emulator-secret-key-0000000000000000000000"
        assert len(info["project_id"]) == 32
        tok, body = token(info)
        compute = [s for s in body["token"]["catalog"] if s["type"] == "compute"][0]
        assert compute["endpoints"][0]["url"] == info["compute_url"]
        resp = requests.get(info["compute_url"] + "/servers", headers={"X-Auth-Token": tok}, timeout=10)
        assert resp.status_code == 200 and len(resp.json()["servers"]) == 4
        assert requests.get(info["admin_url"] + "/config", timeout=10).json()["time_scale"] == 0.01
    finally:
        stop(proc)


def test_restart_with_state_file_continues_resize(tmp_path):
    state = str(tmp_path / "state.sqlite")
    proc, info = start(tmp_path, "--state", state, "--time-scale", "0.4")
    try:
        tok, _body = token(info)
        headers = {"X-Auth-Token": tok, "X-OpenStack-Nova-API-Version": "2.60"}
        # a metadata item is a durable marker: it survives the restart
        resp = requests.post(info["compute_url"] + "/servers/%s/metadata" % WEB1, headers=headers,
                             json={"metadata": {"ecs_ops:restart": "yes"}}, timeout=10)
        assert resp.status_code == 200
        resp = requests.post(info["compute_url"] + "/servers/%s/action" % WEB1, headers=headers,
                             json={"resize": {"flavorRef": "s6.large.2"}}, timeout=10)
        assert resp.status_code == 202
    finally:
        stop(proc)
    proc, info2 = start(tmp_path, "--state", state)
    try:
        url = info2["compute_url"] + "/servers/" + WEB1
        srv = requests.get(url, headers=headers, timeout=10).json()["server"]
        assert srv["status"] == "RESIZE"
        deadline = time.monotonic() + 10
        while srv["status"] != "VERIFY_RESIZE":
            assert time.monotonic() < deadline
            time.sleep(0.05)
            srv = requests.get(url, headers=headers, timeout=10).json()["server"]
        assert srv["flavor"]["original_name"] == "s6.large.2" and srv["metadata"] == {"ecs_ops:restart": "yes"}
        assert requests.get(info2["admin_url"] + "/config", timeout=10).json()["time_scale"] == 0.4
    finally:
        stop(proc)


def test_pytest_plugin_fixture(tmp_path):
    (tmp_path / "test_uses_plugin.py").write_text(
        'import requests\n'
        'pytest_plugins = ["ecs_emulator.pytest_plugin"]\n\n\n'
        'def test_emulator_fixture(emulator):\n'
        '    resp = requests.get(emulator.info["compute_url"] + "/servers",\n'
        '                        headers={"X-Auth-Token": emulator.token()}, timeout=10)\n'
        '    assert len(resp.json()["servers"]) == 4\n'
        '    emulator.admin.seed(servers=[{"name": "extra", "flavor": "s6.small.1", "status": "ACTIVE"}])\n\n\n'
        'def test_emulator_fixture_is_fresh(emulator):\n'
        '    assert len(emulator.admin.servers()) == 4\n')
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                            cwd=str(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
