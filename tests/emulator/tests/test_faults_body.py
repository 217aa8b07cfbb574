"""The `body` fault kind: any status and body, for clients' malformed-answer tests."""

import requests

from ecs_emulator.testing import run_emulator


def test_body_fault_answers_as_told_then_normal():
    with run_emulator(time_scale=0.01) as emu:
        token = emu.token()
        url = emu.compute_url + "/flavors/detail"
        emu.admin.fault(route=r"/flavors/detail$", kind="body", status=200, body='{"unexpected": 1}', count=1)
        first = requests.get(url, headers={"X-Auth-Token": token}, timeout=10)
        assert (first.status_code, first.json()) == (200, {"unexpected": 1})
        second = requests.get(url, headers={"X-Auth-Token": token}, timeout=10)
        assert second.status_code == 200 and "flavors" in second.json()


def test_body_fault_needs_status_and_body():
    with run_emulator(time_scale=0.01) as emu:
        resp = requests.post(emu.info["admin_url"] + "/faults", json={"kind": "body", "status": "x"}, timeout=10)
        assert resp.status_code == 400
