"""Pure, time-derived server state machine.

A server document holds a settled ``state`` and at most one operation ``op``:
a list of ``[time, {field: value}]`` steps planned when the action was
accepted.  Reading a server applies every step whose time has passed, so the
state machine needs no background threads, is deterministic, and survives a
restart of the emulator (the steps are stored with absolute timestamps).
"""

# Proportions as observed on real Nova 34 (tests/nova/FINDINGS.md): resize_prep is
# scheduling (short), resize_migrating is the disk copy (the long phase on a real
# cloud), resize_migrated is a hand-over of well under 0.1 s that most pollers miss,
# resize_finish is starting the guest on the target.
DEFAULT_DURATIONS = {
    "resize_prep": 0.6,
    "resize_migrating": 3.5,
    "resize_migrated": 0.05,
    "resize_finish": 0.85,
    "confirm": 0.5,
    "revert": 2.0,
    "stop": 1.0,
    "start": 1.0,
    "rollback": 0.5,
    "action_error_lag": 0.3,
}

RESIZE_TASKS = ("resize_prep", "resize_migrating", "resize_migrated", "resize_finish")


def nova_durations(step):
    """Durations with upstream Nova 34's proportions when each fake-driver step takes ``step`` seconds
    (tests/nova/FINDINGS.md, "Timings with a step delay of 3 s and 10 s", 50 ms poller): scheduling
    (resize_prep) does not depend on the step, the copy (resize_migrating, migrate_disk_and_power_off),
    resize_finish (finish_migration) and the confirmation (confirm_migration) take one step each plus
    Nova's own bookkeeping; resize_migrated is a hand-over of well under 0.1 s."""
    step = float(step)
    if step <= 0:
        raise ValueError("the step of nova_durations must be a positive number of seconds")
    return {"resize_prep": 0.45, "resize_migrating": step + 0.05, "resize_migrated": 0.08,
            "resize_finish": step + 0.03, "confirm": step + 0.15, "revert": step + 0.3, "stop": step,
            "start": step, "rollback": 0.5, "action_error_lag": 0.3}


# The fail_reason of an ECS v1 job for a sold-out flavor (ECS text).
NO_VALID_HOST = "No valid host was found. There are not enough hosts available."
# What Nova 34 puts in the failed events of a resize nobody can host (admins only, 2.84+).
NO_VALID_HOST_RESIZE = "No valid host was found. No valid host found for resize"
DISK_DOWN = "Resize error: Unable to resize disk down."

# Statuses whose server document carries "progress" (Nova's view builder).
PROGRESS_STATUSES = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING")

POWER_RUNNING = 1
POWER_SHUTDOWN = 4

STATE_FIELDS = ("vm_state", "task_state", "power_state", "flavor_id", "old_flavor_id",
                "resized_from", "resized_at", "progress", "updated")


def server_status(vm_state, task_state):
    """Nova's (vm_state, task_state) -> status map (the part this emulator uses)."""
    if vm_state in ("active", "stopped") and task_state in RESIZE_TASKS:
        return "RESIZE"
    if vm_state == "active":
        return "REBOOT" if task_state == "rebooting" else "ACTIVE"
    if vm_state == "stopped":
        return "SHUTOFF"
    if vm_state == "resized":
        return "REVERT_RESIZE" if task_state == "resize_reverting" else "VERIFY_RESIZE"
    if vm_state == "error":
        return "ERROR"
    if vm_state == "building":
        return "BUILD"
    if vm_state == "paused":
        return "PAUSED"
    if vm_state == "suspended":
        return "SUSPENDED"
    if vm_state == "deleted":
        return "DELETED"
    return "UNKNOWN"


_REBUILD = ("rebuilding", "rebuild_block_device_mapping", "rebuild_spawning")
# OTC's status table (appendix/ecs_statuses.rst, Table 4 "Mapping between statuses"): RESIZE is
# listed only under vm_state stopped; "If the status is not included in Table 4, the status is UNKNOWN."
OTC_STATUS_TABLE = {
    "building": {t: "BUILD" for t in ("scheduling", "block_device_mapping", "networking", "spawning", None)},
    "active": dict([(t, "REBOOT") for t in ("rebooting", "reboot_pending", "reboot_started")]
                   + [(t, "HARD_REBOOT") for t in ("rebooting_hard", "reboot_pending_hard", "reboot_started_hard")]
                   + [(t, "REBUILD") for t in _REBUILD] + [("migrating", "MIGRATING")]
                   + [(t, "ACTIVE") for t in ("powering-off", "deleting", None)]),
    "stopped": dict([(t, "RESIZE") for t in RESIZE_TASKS] + [(t, "REBUILD") for t in _REBUILD]
                    + [(t, "SHUTOFF") for t in ("powering-on", "deleting", None)]),
    "resized": {"resize_reverting": "REVERT_RESIZE", None: "VERIFY_RESIZE"},
    "error": dict([(t, "REBUILD") for t in _REBUILD] + [(t, "ERROR") for t in ("deleting", None)]),
    "deleted": {None: "DELETED"},
    "shelved": {t: "SHELVED" for t in ("shelving", "shelving_image_pending_upload", "shelving_image_uploading",
                                       "unshelving", None)},
    "shelved_offloaded": {t: "SHELVED_OFFLOADED" for t in ("shelving_offloading", "unshelving", None)},
}


def otc_server_status(vm_state, task_state):
    """OTC's documented (vm_state, task_state) -> status map; anything not listed is UNKNOWN."""
    return OTC_STATUS_TABLE.get(vm_state, {}).get(task_state, "UNKNOWN")


STATUS_MAPS = {"nova": server_status, "otc": otc_server_status}


def power_for(vm_state):
    return POWER_RUNNING if vm_state == "active" else POWER_SHUTDOWN


def initial_state(vm_state, flavor_id, now):
    return {
        "vm_state": vm_state,
        "task_state": None,
        "power_state": power_for(vm_state),
        "flavor_id": flavor_id,
        "old_flavor_id": None,
        "resized_from": None,
        "resized_at": None,
        "progress": 0,
        "updated": now,
    }


def _confirm_fields(state):
    orig = state.get("resized_from") or "active"
    return {"vm_state": orig, "task_state": None, "power_state": power_for(orig),
            "old_flavor_id": None, "resized_from": None, "resized_at": None, "progress": 0}


def derive(doc, now, confirm_window=None, status_map=server_status):
    """The server's effective state at ``now`` (a new dict; ``doc`` is not changed).

    ``status_map`` turns (vm_state, task_state) into the status (Nova's or OTC's table).

    Extra keys: ``status``, ``busy`` (an operation is still in progress),
    ``op_kind`` and ``new_flavor_id`` (target of a resize in progress).
    """
    state = dict(doc["state"])
    op = doc.get("op")
    busy = False
    if op:
        for when, fields in op["steps"]:
            if when > now:
                busy = True
                break
            state.update(fields)
            state["updated"] = max(state.get("updated") or 0, when)
    if (not busy and confirm_window is not None and state["vm_state"] == "resized"
            and state.get("task_state") is None and state.get("resized_at") is not None):
        due = state["resized_at"] + confirm_window
        if due <= now:
            state.update(_confirm_fields(state))
            state["updated"] = max(state.get("updated") or 0, due)
    state["status"] = status_map(state["vm_state"], state.get("task_state"))
    state["busy"] = busy
    state["op_kind"] = op["kind"] if (op and busy) else None
    state["new_flavor_id"] = op.get("new_flavor_id") if (op and busy) else None
    return state


def settle(doc, now, confirm_window=None, force=False):
    """Fold a finished operation (and a due auto-confirm) into the settled state.

    With ``force`` an operation still in progress is cut short where it is.
    Returns the (modified) document.
    """
    state = derive(doc, now, confirm_window)
    if state["busy"] and not force:
        return doc
    doc["state"] = dict((k, state.get(k)) for k in STATE_FIELDS)
    doc["op"] = None
    return doc


def new_event(name, start, finish, result="Success", details=None):
    return {"event": name, "start": start, "finish": finish, "result": result, "details": details}


def _scheduling_events(now, prep, result="Success", details=None, finish=None):
    """The conductor's events of a resize: conductor_migrate_server wrapping cold_migrate."""
    done = now + prep * 0.5 if finish is None else finish
    return [new_event("conductor_migrate_server", now, done, result, details),
            new_event("cold_migrate", now + prep * 0.02, done - prep * 0.01, result, details)]


def plan_resize(state, now, new_flavor_id, durations, scale, failure=None, verify=True, stop_first=False,
                restart=False):
    """Plan a resize. Returns ``(op, events, end, failed)``; ``end`` is when the server settles.

    ``failure`` is None, ``"no_valid_host"`` (nothing can host the flavor: the
    scheduler refuses it during resize_prep) or ``"disk_down"`` (the compute
    refuses to shrink a local disk during resize_migrating, like libvirt).
    Both roll back to the old flavor and status without VERIFY_RESIZE; the
    failed events (and the action's "Error" message) finish ``action_error_lag``
    after the server is back, as in Nova.  ``verify`` False is the ECS v1
    behaviour: no VERIFY_RESIZE step, the server keeps the new flavor in its
    original status.

    ``stop_first`` (OTC, appendix/ecs_statuses.rst: RESIZE only under vm_state stopped): a
    running server shows vm_state ``stopped`` and power_state 4 during RESIZE, and is running
    again in VERIFY_RESIZE (or back ACTIVE after a rollback).  ``restart`` (the Swiss native
    resize with ``mode: withStopServer``): the cloud stops the running server (ACTIVE/powering-off,
    ``stop``), resizes it stopped, then starts it (SHUTOFF/powering-on, ``start``): it ends ACTIVE,
    on the new flavor or, after a rollback, on the old one.
    """
    orig = state["vm_state"]
    old_flavor = state["flavor_id"]
    prep = durations["resize_prep"] * scale
    migrating = durations["resize_migrating"] * scale
    migrated = durations["resize_migrated"] * scale
    finish = durations["resize_finish"] * scale
    lag = durations.get("action_error_lag", 0.0) * scale
    restart = restart and orig == "active"
    held = (stop_first or restart) and orig == "active"
    steps = []
    events = []
    start_at = now
    if restart:
        start_at = now + durations["stop"] * scale
        steps.append([now, {"task_state": "powering-off"}])
        events.append(new_event("compute_stop_instance", now, start_at))
    first = {"task_state": "resize_prep", "progress": 0}
    if held:
        first.update({"vm_state": "stopped", "power_state": POWER_SHUTDOWN})
    steps.append([start_at, first])
    op = {"kind": "resize", "new_flavor_id": new_flavor_id, "old_flavor_id": old_flavor, "steps": steps,
          "failed": failure is not None}

    def power_on(at, flavor_id):
        """The restart of a withStopServer resize: SHUTOFF/powering-on, then ACTIVE."""
        steps.append([at, {"task_state": "powering-on", "vm_state": "stopped", "power_state": POWER_SHUTDOWN,
                           "flavor_id": flavor_id, "old_flavor_id": None, "progress": 0}])
        done = at + durations["start"] * scale
        steps.append([done, {"vm_state": "active", "task_state": None, "power_state": POWER_RUNNING}])
        events.append(new_event("compute_start_instance", at, done))
        return done

    def roll_back(at):
        if restart:
            return power_on(at, old_flavor)
        steps.append([at, {"task_state": None, "progress": 0, "vm_state": orig, "flavor_id": old_flavor,
                           "old_flavor_id": None, "power_state": state["power_state"]}])
        return at

    if failure == "no_valid_host":
        back = start_at + durations["rollback"] * scale
        end = roll_back(back)
        events += _scheduling_events(start_at, prep, "Error", NO_VALID_HOST_RESIZE, finish=back + lag)
        return op, events, end, True
    t1 = start_at + prep
    steps.append([t1, {"task_state": "resize_migrating"}])
    events += _scheduling_events(start_at, prep) + [new_event("compute_prep_resize", start_at + prep * 0.55, t1)]
    if failure == "disk_down":
        back = t1 + durations["rollback"] * scale
        end = roll_back(back)
        events.append(new_event("compute_resize_instance", t1, back + lag, "Error", DISK_DOWN))
        return op, events, end, True
    t2 = t1 + migrating
    t3 = t2 + migrated
    end = t3 + finish
    steps.append([t2, {"task_state": "resize_migrated"}])
    # Nova switches the flavor at resize_finish (finish_resize on the target), still in RESIZE.
    steps.append([t3, {"task_state": "resize_finish", "flavor_id": new_flavor_id, "old_flavor_id": old_flavor}])
    events += [new_event("compute_resize_instance", t1, t3), new_event("compute_finish_resize", t3, end)]
    if verify:
        steps.append([end, {"vm_state": "resized", "task_state": None, "resized_from": orig, "resized_at": end,
                            "power_state": power_for(orig)}])
    elif restart:
        end = power_on(end, new_flavor_id)
    else:
        steps.append([end, {"task_state": None, "old_flavor_id": None, "vm_state": orig,
                            "power_state": power_for(orig)}])
    return op, events, end, False


def plan_confirm(state, now, durations, scale):
    end = now + durations["confirm"] * scale
    steps = [[now, {}], [end, _confirm_fields(state)]]
    events = [new_event("compute_confirm_resize", now, end)]
    return {"kind": "confirmResize", "steps": steps}, events, end


def plan_revert(state, now, durations, scale, powering_off=True):
    """Revert: REVERT_RESIZE, the old flavor shows again early (after compute_revert_resize on the
    target, about a tenth of the time), then the source host brings the server back.

    ``powering_off`` (Nova): a stopped server passes VERIFY_RESIZE/powering-off before SHUTOFF;
    without it (OTC, whose status table has no such row) it goes from REVERT_RESIZE to SHUTOFF."""
    orig = state.get("resized_from") or "active"
    revert = durations["revert"] * scale
    mid = now + revert * 0.1
    end = now + revert
    steps = [[now, {"task_state": "resize_reverting"}],
             [mid, {"flavor_id": state.get("old_flavor_id") or state["flavor_id"]}]]
    events = [new_event("compute_revert_resize", now, mid),
              new_event("compute_finish_revert_resize", mid, end)]
    back = {"task_state": None, "old_flavor_id": None, "progress": 0}
    if orig == "stopped" and powering_off:
        # Real Nova: finish_revert_resize leaves a stopped server powered off (power_state 4) and
        # then stops it once more: VERIFY_RESIZE/powering-off for a moment, then SHUTOFF.
        back.update({"task_state": "powering-off", "power_state": POWER_SHUTDOWN})
        steps.append([end, back])
        final = end + durations["stop"] * scale
        steps.append([final, {"vm_state": "stopped", "task_state": None, "power_state": POWER_SHUTDOWN,
                              "resized_from": None, "resized_at": None}])
        end = final
    else:
        back.update({"vm_state": orig, "power_state": power_for(orig),
                     "resized_from": None, "resized_at": None})
        steps.append([end, back])
    return {"kind": "revertResize", "steps": steps}, events, end


def plan_power(state, now, durations, scale, start):
    if start:
        end = now + durations["start"] * scale
        steps = [[now, {"task_state": "powering-on"}],
                 [end, {"vm_state": "active", "task_state": None, "power_state": POWER_RUNNING}]]
        return {"kind": "start", "steps": steps}, [new_event("compute_start_instance", now, end)], end
    end = now + durations["stop"] * scale
    steps = [[now, {"task_state": "powering-off"}],
             [end, {"vm_state": "stopped", "task_state": None, "power_state": POWER_SHUTDOWN}]]
    return {"kind": "stop", "steps": steps}, [new_event("compute_stop_instance", now, end)], end


def visible_events(events, now):
    """Events of an instance action as seen at ``now``, newest first (as Nova lists them)."""
    out = []
    for ev in sorted(events, key=lambda e: e["start"], reverse=True):
        if ev["start"] > now:
            continue
        done = ev["finish"] <= now
        out.append({"event": ev["event"], "start": ev["start"],
                    "finish": ev["finish"] if done else None,
                    "result": ev["result"] if done else None,
                    "details": ev.get("details") if done else None})
    return out


def job_status(job, now):
    """Status of an ECS v1 job at ``now``: INIT, RUNNING, SUCCESS or FAIL."""
    if now >= job["end"]:
        return "FAIL" if job.get("failed") else "SUCCESS"
    if now < job["begin"] + min(0.2, (job["end"] - job["begin"]) * 0.05):
        return "INIT"
    return "RUNNING"


def job_overall(statuses):
    """A job's status from its sub-jobs': running while one runs (INIT while all are), then FAIL if
    one failed, else SUCCESS."""
    if any(s in ("INIT", "RUNNING") for s in statuses):
        return "INIT" if all(s == "INIT" for s in statuses) else "RUNNING"
    return "FAIL" if "FAIL" in statuses else "SUCCESS"
