# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """The options of one resize, shared by ecs_resize and ecs_resize_batch (module_utils/operation.py RESIZE_OPTIONS)."""

    DOCUMENTATION = r'''
options:
  flavor:
    description:
      - The flavor the server should run on, as id, name, or flavor URI (C(https://.../flavors/<id>)).
      - Required with O(state=present). With O(state=confirmed) it is optional and, when given,
        only a pending resize to this flavor is confirmed.
      - With O(state=reverted) it is optional and, when given, only a pending resize to this flavor is reverted;
        when the server already runs on it with nothing pending (the resize was confirmed, for example by the
        cloud after its confirmation window), the run fails with C(error=already_confirmed) instead of reporting
        nothing to do.
      - In M(ecs_ops.compute.ecs_resize_batch), the flavor of every item that names none.
    type: str
  state:
    description:
      - V(present) makes the server run on O(flavor) (resizing when needed).
      - V(confirmed) confirms a pending resize; when nothing is pending nothing changes.
      - V(reverted) reverts a pending resize and waits until the server is back on its old flavor;
        when nothing is pending nothing changes.
      - In M(ecs_ops.compute.ecs_resize_batch), the state of every item that sets none.
    type: str
    choices: [present, confirmed, reverted]
    default: present
  confirm:
    description:
      - With O(state=present), confirm the resize once the cloud has done it.
      - When V(false), the run stops when the resize is pending confirmation (status C(VERIFY_RESIZE)) and returns
        C(pending_confirmation=true), so that a playbook can check the service before O(state=confirmed)
        or O(state=reverted).
      - In M(ecs_ops.compute.ecs_resize_batch), the setting of every item that sets none.
    type: bool
    default: true
  wait:
    description:
      - Wait until the cloud has finished. When V(false), the run ends right after the cloud accepted the request.
    type: bool
    default: true
  timeout:
    description:
      - How many seconds to wait for one server in total (in M(ecs_ops.compute.ecs_resize_batch), counted from when that
        server's own run starts). On timeout the server fails naming the last status seen; nothing is reverted.
    type: int
    default: 1800
  allow_restart:
    description:
      - A resize stops and restarts a running server. With V(false) a running server is refused (and left unchanged);
        stopped servers are resized either way.
    type: bool
    default: true
  api:
    description:
      - Which API sends the resize.
      - V(nova) uses the Nova-compatible server actions (C(POST /v2.1/{project_id}/servers/{id}/action) with C(resize),
        then C(confirmResize)); works on every OpenStack cloud.
      - V(ecs) uses the native ECS API of Open Telekom Cloud / Huawei Cloud (C(POST /v1/{project_id}/cloudservers/{id}/resize)),
        waits for its job (C(GET /v1/{project_id}/jobs/{job_id})), then reads the server. That API finishes
        without a confirmation step, so it only works with O(state=present) and O(confirm=true). A failed job makes
        the run fail with the job's C(error_code) and C(fail_reason) (or the failed sub-job's C(errorcode_message)),
        and C(rolled_back=true) when the server is back on its old flavor.
      - The native API resizes only a stopped server ("You can modify the ECS specifications only when the ECS is
        stopped", Open Telekom Cloud's API reference). So with V(ecs) a running server is stopped, resized and started
        again, as O(restart_mode) says; a stopped server is resized and stays stopped.
      - With V(ecs), a server found mid-resize is waited for as with V(nova); a server found with a resize pending
        confirmation (C(VERIFY_RESIZE)) fails, since only V(nova) can confirm or revert it.
    type: str
    choices: [nova, ecs]
    default: nova
  validate_target:
    description:
      - Whether to check, before a resize is sent, that the target flavor is one the cloud allows for this server,
        as listed by C(GET /v1/{project_id}/cloudservers/resize_flavors?instance_uuid=<id>) (ECS only).
        When it is not, the run fails naming the allowed flavors (C(allowed_flavors)) and sends nothing.
      - V(auto) checks when the cloud offers that list and skips the check when the call is refused as unknown
        (HTTP 400, 403, 404, 405 or 501, as on plain OpenStack).
      - V(always) fails when the cloud does not offer the list.
      - V(never) does not ask.
      - The list is asked only when a resize would be sent (also in check mode), never when the server already
        runs on the target. Either O(api) is checked.
    type: str
    choices: [auto, always, never]
    default: auto
  restart_mode:
    description:
      - With O(api=ecs), how a running server is stopped and started again around the native resize
        (O(allow_restart=false) refuses a running server instead). Only for O(api=ecs); with V(nova) the cloud
        does it itself.
      - V(stop_start) (the default with O(api=ecs)) sends each step itself, waiting for each job. It notes in the
        server's metadata (key C(ecs_ops.compute:restart_after_resize)) that the server must be started again,
        stops it (C(POST /v1/{project_id}/cloudservers/action) with C(os-stop)), resizes it, starts it
        (C(os-start)) and removes the note. A run interrupted at any step (the controller killed, a timeout) is
        finished by the next run with the same options, which reads where the server is and ends it running on
        the target. Works in every region. Needs O(wait=true).
      - V(with_stop_server) asks the cloud to do all three in one job (C(resize.mode=withStopServer)), where the
        cloud offers it (Open Telekom Cloud's Swiss region).
      - A failed resize job leaves the server as it was (started again, note removed) before the run fails.
    type: str
    choices: [stop_start, with_stop_server]
  dedicated_host_id:
    description:
      - The id of the dedicated host (DeH) the server runs on. Open Telekom Cloud refuses to resize a server on a
        dedicated host without it (C(Ecs.0803)); it is sent in the resize request of either O(api).
      - When not set, the dedicated host the server shows (C(os:scheduler_hints.dedicated_host_id)) is sent; set it
        where the cloud does not show it.
    type: str
notes:
  - The cloud stops a running server during the resize and starts it again; a stopped server stays stopped.
    The module waits for the power state the server had before.
  - Status reads are spaced by what the server reports (sparse while the disk is copied, dense near the end),
    transient errors (connection failures, 429, 5xx) on reads are retried with backoff honouring C(Retry-After),
    and the resize request itself is never sent twice blindly.
'''
