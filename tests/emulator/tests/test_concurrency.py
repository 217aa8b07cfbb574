"""Many threads hammering the same server: no corruption, no 500."""

import threading

import requests

from emulator_helpers import WEB1, settled


def test_parallel_actions_on_one_server(api, emu):
    emu.admin.config(time_scale=0.2)
    token = api.token
    results = []
    lock = threading.Lock()

    def worker(i):
        session = requests.Session()
        headers = {"X-Auth-Token": token}
        mine = []
        for j in range(10):
            if (i + j) % 3 == 0:
                resp = session.post(api.compute + "/servers/%s/action" % WEB1,
                                    json={"resize": {"flavorRef": "s6.large.2" if i % 2 else "c7.large.2"}},
                                    headers=headers, timeout=30)
            else:
                resp = session.get(api.compute + "/servers/" + WEB1, headers=headers, timeout=30)
                assert resp.json()["server"]["id"] == WEB1
            mine.append(resp.status_code)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 200
    assert all(code in (200, 202, 409) for code in results), sorted(set(results))
    assert results.count(202) == 1
    emu.admin.config(time_scale=0.01)
    _seen, srv = api.wait(WEB1, settled("VERIFY_RESIZE"))
    assert srv["flavor"]["original_name"] in ("s6.large.2", "c7.large.2")
    actions = api.get("/servers/%s/os-instance-actions" % WEB1).json()["instanceActions"]
    assert [a["action"] for a in actions] == ["resize", "create"]
