# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Raw HTTP against real upstream Nova: the resize behaviour the emulator and the module must match.

Each test pins one behaviour and records what it saw (``record``); the run writes
them to .cache/nova-observations.json. FINDINGS.md is the prose version.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import time

import pytest

REQ_ID = re.compile(r'^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
RESIZE_TASKS = ['resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish']
MISSING = '00000000-0000-0000-0000-000000000000'


def settled(server):
    return server['OS-EXT-STS:task_state'] is None and server['status'] in ('ACTIVE', 'SHUTOFF', 'VERIFY_RESIZE', 'ERROR')


def left_verify_resize(server):
    return server['OS-EXT-STS:task_state'] is None and server['status'] in ('ACTIVE', 'SHUTOFF', 'ERROR')


def nova_error(resp, code, key):
    """The message of a Nova error body {key: {code, message}} (asserting its shape)."""
    assert resp.status_code == code, (resp.status_code, resp.text)
    assert resp.headers['Content-Type'] == 'application/json; charset=UTF-8'
    body = resp.json()
    assert list(body) == [key], body
    assert body[key]['code'] == code
    assert set(body[key]) == {'code', 'message'}
    return body[key]['message']


def resize(api, server_id, flavor):
    resp = api.action(server_id, {'resize': {'flavorRef': flavor}})
    assert resp.status_code == 202, resp.text
    assert resp.content == b''
    return resp


def resized(api, server_id, flavor):
    """Resize and wait for VERIFY_RESIZE; the states seen."""
    resize(api, server_id, flavor)
    seen = api.trace(server_id, settled)
    assert seen[-1][1:3] == ('VERIFY_RESIZE', None), seen
    return seen


# --------------------------------------------------------------------------
# the happy paths
# --------------------------------------------------------------------------

def test_resize_passes_resize_states_and_shows_new_flavor_in_verify_resize(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resp = resize(nova_api, sid, 's6.large.2')
    assert resp.headers['Content-Type'] == 'application/json' and resp.headers['Content-Length'] == '0'
    seen = nova_api.trace(sid, settled)
    record('states', seen)
    statuses = [s[1] for s in seen]
    tasks = [s[2] for s in seen if s[1] == 'RESIZE']
    assert statuses[0] == 'RESIZE' and seen[0][2] == 'resize_prep', seen
    assert set(statuses) == {'RESIZE', 'VERIFY_RESIZE'}, seen
    assert tasks == [t for t in RESIZE_TASKS if t in tasks], 'task_state order: %r' % seen
    assert {'resize_prep', 'resize_migrating', 'resize_finish'} <= set(tasks), seen
    # vm_state stays "active" during RESIZE; the flavor switches to the new one at resize_finish
    assert all(s[3] == 'active' for s in seen if s[1] == 'RESIZE')
    for state in seen:
        if state[2] == 'resize_migrated':
            # the hand-over (well under 100 ms): a read can catch the flavor already switched (seen once in CI)
            assert state[5] in ('s6.medium.2', 's6.large.2'), seen
            continue
        expected = 's6.large.2' if state[2] in ('resize_finish', None) else 's6.medium.2'
        assert state[5] == expected, seen
    final = seen[-1]
    assert final[1:] == ('VERIFY_RESIZE', None, 'resized', 1, 's6.large.2'), seen


def test_confirm_answers_204_then_leaves_verify_resize(nova, nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resized(nova_api, sid, 's6.large.2')
    resp = nova_api.action(sid, {'confirmResize': None})
    assert resp.status_code == 204, resp.text
    assert resp.content == b''
    seen = nova_api.trace(sid, left_verify_resize)
    record('states', seen)
    if nova['step_delay'] >= 0.2:
        # right after the 204 the server still shows VERIFY_RESIZE (task_state None!)
        assert seen[0][1:3] == ('VERIFY_RESIZE', None), seen
    assert seen[-1][1:] == ('ACTIVE', None, 'active', 1, 's6.large.2'), seen
    assert {s[1] for s in seen} <= {'VERIFY_RESIZE', 'ACTIVE'}, seen


def test_revert_answers_202_and_returns_to_old_flavor(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resized(nova_api, sid, 's6.xlarge.2')
    resp = nova_api.action(sid, {'revertResize': None})
    assert resp.status_code == 202, resp.text
    assert resp.content == b''
    seen = nova_api.trace(sid, left_verify_resize)
    record('states', seen)
    assert seen[0][1:4] == ('REVERT_RESIZE', 'resize_reverting', 'resized'), seen
    assert [s[1] for s in seen[:-1]] == ['REVERT_RESIZE'] * (len(seen) - 1), seen
    # the old flavor shows already while REVERT_RESIZE
    assert any(s[1] == 'REVERT_RESIZE' and s[5] == 's6.medium.2' for s in seen), seen
    assert seen[-1][1:] == ('ACTIVE', None, 'active', 1, 's6.medium.2'), seen


def test_stopped_server_resize_and_confirm_stays_shutoff(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2', stopped=True)
    seen = resized(nova_api, sid, 's6.large.2')
    assert all(s[3] == 'stopped' and s[4] == 4 for s in seen if s[1] == 'RESIZE'), seen
    assert seen[-1][1:] == ('VERIFY_RESIZE', None, 'resized', 4, 's6.large.2'), seen
    assert nova_api.action(sid, {'confirmResize': None}).status_code == 204
    after = nova_api.trace(sid, left_verify_resize)
    record('states', seen + after)
    assert after[-1][1:] == ('SHUTOFF', None, 'stopped', 4, 's6.large.2'), after


def test_revert_of_stopped_server_passes_verify_resize_powering_off(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2', stopped=True)
    resized(nova_api, sid, 's6.large.2')
    assert nova_api.action(sid, {'revertResize': None}).status_code == 202
    seen = nova_api.trace(sid, left_verify_resize)
    record('states', seen)
    assert seen[0][1:3] == ('REVERT_RESIZE', 'resize_reverting'), seen
    # after REVERT_RESIZE, VERIFY_RESIZE again with task_state powering-off, vm_state still resized
    assert ('VERIFY_RESIZE', 'powering-off', 'resized') in [s[1:4] for s in seen], seen
    assert seen[-1][1:] == ('SHUTOFF', None, 'stopped', 4, 's6.medium.2'), seen


# --------------------------------------------------------------------------
# refusals
# --------------------------------------------------------------------------

def test_confirm_or_revert_with_nothing_pending_is_409(nova_api, seeded, record):
    sid = seeded['web-1']
    for action in ('confirmResize', 'revertResize'):
        message = nova_error(nova_api.action(sid, {action: None}), 409, 'conflictingRequest')
        record(action, message)
        assert message == "Cannot '%s' instance %s while it is in vm_state active" % (action, sid)
    sid = seeded['db-1']
    message = nova_error(nova_api.action(sid, {'confirmResize': None}), 409, 'conflictingRequest')
    assert message == "Cannot 'confirmResize' instance %s while it is in vm_state stopped" % sid


def test_second_confirm_or_revert_while_confirming_is_400(nova, nova_api, make_server, record):
    # right after the 204 the server is still VERIFY_RESIZE with task_state None, but the migration is
    # already being confirmed: another confirmResize or a revertResize now is a 400, not a 409
    if nova['step_delay'] < 0.2:
        pytest.skip('needs a step delay to catch the confirm in progress')
    _name, sid = make_server('s6.medium.2')
    resized(nova_api, sid, 's6.large.2')
    assert nova_api.action(sid, {'confirmResize': None}).status_code == 204
    assert nova_api.state(nova_api.server(sid))[:2] == ('VERIFY_RESIZE', None)
    again = nova_error(nova_api.action(sid, {'confirmResize': None}), 400, 'badRequest')
    revert = nova_error(nova_api.action(sid, {'revertResize': None}), 400, 'badRequest')
    record({'confirm again': again, 'revert': revert})
    assert again == revert == 'Instance has not been resized.'
    assert nova_api.trace(sid, left_verify_resize)[-1][1:3] == ('ACTIVE', None)
    # while a revert runs (REVERT_RESIZE/resize_reverting) both are 409s naming the task state
    resized(nova_api, sid, 's6.xlarge.2')
    assert nova_api.action(sid, {'revertResize': None}).status_code == 202
    for action in ('revertResize', 'confirmResize'):
        message = nova_error(nova_api.action(sid, {action: None}), 409, 'conflictingRequest')
        assert message == "Cannot '%s' instance %s while it is in task_state resize_reverting" % (action, sid)
    nova_api.trace(sid, left_verify_resize)


def test_resize_to_same_flavor_is_400(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    message = nova_error(nova_api.action(sid, {'resize': {'flavorRef': 's6.medium.2'}}), 400, 'badRequest')
    record(message)
    assert message == 'When resizing, instances must change flavor!'


def test_unknown_flavor_is_400_and_flavor_ref_is_an_id_only(nova, nova_api, seeded, record):
    sid = seeded['app-1']
    seen = {}
    for ref in ('nope.flavor', 'm1.large',  # a flavor *name*: not accepted, ids only
                '%s/flavors/m1.large' % nova['compute_url'],  # a flavor URI: not accepted by resize
                '%s/flavors/4' % nova['compute_url']):
        message = nova_error(nova_api.action(sid, {'resize': {'flavorRef': ref}}), 400, 'badRequest')
        seen[ref] = message
        assert message == 'Flavor %s could not be found.' % ref
    record(seen)
    # an integer id is accepted by the schema
    resp = nova_api.action(sid, {'resize': {'flavorRef': 2}})
    assert nova_error(resp, 400, 'badRequest') == 'When resizing, instances must change flavor!' \
        or resp.status_code == 202


def test_unknown_server_is_404(nova_api, record):
    for ref in (MISSING, 'not-a-uuid'):
        for body in ({'resize': {'flavorRef': 's6.large.2'}}, {'confirmResize': None}, {'revertResize': None}):
            message = nova_error(nova_api.action(ref, body), 404, 'itemNotFound')
            assert message == 'Instance %s could not be found.' % ref
        message = nova_error(nova_api.get('/servers/%s' % ref), 404, 'itemNotFound')
        assert message == 'Instance %s could not be found.' % ref
    record(message)


def test_resize_while_verify_resize_is_409(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resized(nova_api, sid, 's6.large.2')
    messages = {}
    for body in ({'resize': {'flavorRef': 's6.xlarge.2'}}, {'resize': {'flavorRef': 's6.large.2'}},
                 {'os-stop': None}):
        message = nova_error(nova_api.action(sid, body), 409, 'conflictingRequest')
        messages[str(body)] = message
    record(messages)
    assert messages[str({'resize': {'flavorRef': 's6.xlarge.2'}})] == \
        "Cannot 'resize' instance %s while it is in vm_state resized" % sid
    # the same flavor again: also the state error, not "must change flavor"
    assert messages[str({'resize': {'flavorRef': 's6.large.2'}})] == \
        "Cannot 'resize' instance %s while it is in vm_state resized" % sid
    assert messages[str({'os-stop': None})] == "Cannot 'stop' instance %s while it is in vm_state resized" % sid


def test_actions_while_resizing_are_409_naming_the_task_state(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resize(nova_api, sid, 's6.large.2')
    messages = {}
    for body in ({'resize': {'flavorRef': 's6.xlarge.2'}}, {'confirmResize': None}, {'revertResize': None},
                 {'os-stop': None}):
        messages[list(body)[0]] = nova_error(nova_api.action(sid, body), 409, 'conflictingRequest')
    record(messages)
    assert re.match(r"^Cannot 'resize' instance %s while it is in task_state resize_(prep|migrating)$" % sid,
                    messages['resize']), messages
    # confirm/revert check vm_state first, which is still "active" while RESIZE
    assert messages['confirmResize'] == "Cannot 'confirmResize' instance %s while it is in vm_state active" % sid
    assert messages['revertResize'] == "Cannot 'revertResize' instance %s while it is in vm_state active" % sid
    assert re.match(r"^Cannot 'stop' instance %s while it is in task_state resize_\w+$" % sid, messages['os-stop'])
    nova_api.trace(sid, settled)


def test_locked_server_resize_is_409(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    assert nova_api.action(sid, {'lock': None}).status_code == 202
    message = nova_error(nova_api.action(sid, {'resize': {'flavorRef': 's6.large.2'}}), 409, 'conflictingRequest')
    record(message)
    assert message == 'Instance %s is locked' % sid
    assert nova_api.server(sid, microversion='2.9')['locked'] is True
    assert 'locked' not in nova_api.server(sid)  # only from 2.9
    assert nova_api.action(sid, {'unlock': None}).status_code == 202


def test_disk_rules(nova_api, make_server, record):
    # zero-disk flavor (the way ECS shows flavors) for an image-backed server: refused by the API
    _name, sid = make_server('3')  # m1.medium, 40 GiB
    zero = nova_error(nova_api.action(sid, {'resize': {'flavorRef': 's6.small.1'}}), 400, 'badRequest')
    assert zero == 'Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.'
    # below the disk the server was booted with (Nova keeps it as the image's min_disk): refused by the API
    smaller = nova_error(nova_api.action(sid, {'resize': {'flavorRef': '2'}}), 400, 'badRequest')
    assert smaller == ("Flavor's disk is smaller than the minimum size specified in image metadata. "
                       "Flavor disk is 21474836480 bytes, minimum size is 42949672960 bytes.")
    record({'zero_disk': zero, 'below_boot_disk': smaller})


def test_schema_errors_are_400(nova_api, seeded, record):
    sid = seeded['web-2']
    cases = {
        'empty flavorRef': {'resize': {'flavorRef': ''}},
        'no flavorRef': {'resize': {}},
        'extra key': {'resize': {'flavorRef': 's6.large.2', 'foo': 1}},
        'unknown action': {'bogusAction': None},
    }
    messages = {k: nova_error(nova_api.action(sid, body), 400, 'badRequest') for k, body in cases.items()}
    record(messages)
    assert messages['empty flavorRef'] == "Invalid input for field/attribute flavorRef. Value: . '' should be non-empty"
    assert messages['no flavorRef'] == "Invalid input for field/attribute resize. Value: {}. 'flavorRef' is a required property"
    assert messages['extra key'].startswith('Invalid input for field/attribute resize.')
    assert messages['unknown action'] == 'There is no such action: bogusAction'
    resp = nova_api.http.post(nova_api.base + '/servers/%s/action' % sid, data='not json', timeout=10)
    assert nova_error(resp, 400, 'badRequest') == 'Malformed request body'


# --------------------------------------------------------------------------
# cloud-side rollbacks: 202, then back to the old flavor, never VERIFY_RESIZE
# --------------------------------------------------------------------------

def _failed_events(api, admin, sid, request_id):
    # the action's message turns to "Error" a moment after the server is back to ACTIVE/SHUTOFF, as soon as the first
    # event fails (cold_migrate); the event around it (conductor_migrate_server) gets its result a moment later still,
    # which a slow machine shows: wait for both, up to 10 s
    for _attempt in range(200):
        action = admin.instance_action(sid, request_id, microversion='2.84')
        if action['message'] == 'Error' and all(e.get('result') for e in action['events']):
            return action
        time.sleep(0.05)
    raise AssertionError('action never marked Error with every event finished: %r' % action)


def test_no_valid_host_rolls_back_by_itself(nova_api, nova_admin, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resp = resize(nova_api, sid, 's6.giant.2')
    request_id = resp.headers['x-openstack-request-id']
    seen = nova_api.trace(sid, lambda s: s['status'] != 'RESIZE' and s['OS-EXT-STS:task_state'] is None)
    record('states', seen)
    assert seen[0][1:3] == ('RESIZE', 'resize_prep'), seen
    assert 'VERIFY_RESIZE' not in [s[1] for s in seen]
    assert seen[-1][1:] == ('ACTIVE', None, 'active', 1, 's6.medium.2'), seen
    assert 'fault' not in nova_api.server(sid)
    action = _failed_events(nova_api, nova_admin, sid, request_id)
    record('action', action)
    assert action['action'] == 'resize' and action['request_id'] == request_id
    events = {e['event']: e for e in action['events']}
    assert events['cold_migrate']['result'] == 'Error'
    assert events['conductor_migrate_server']['result'] == 'Error'
    assert events['cold_migrate']['details'] == 'No valid host was found. No valid host found for resize'
    # a member sees the events from 2.51 on, without traceback or details
    member = nova_api.instance_action(sid, request_id, microversion='2.84')
    assert {e['event'] for e in member['events']} == set(events)
    assert all('traceback' not in e and 'details' not in e for e in member['events'])
    assert 'events' not in nova_api.instance_action(sid, request_id)  # 2.1, member: no events at all


def test_no_valid_host_for_stopped_server_rolls_back_to_shutoff(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2', stopped=True)
    resize(nova_api, sid, 's6.giant.2')
    seen = nova_api.trace(sid, lambda s: s['status'] != 'RESIZE' and s['OS-EXT-STS:task_state'] is None)
    record('states', seen)
    assert seen[-1][1:] == ('SHUTOFF', None, 'stopped', 4, 's6.medium.2'), seen
    assert 'VERIFY_RESIZE' not in [s[1] for s in seen]


def test_disk_shrink_below_current_rolls_back_on_the_compute(nova_api, nova_admin, make_server, record):
    # booted on m1.small (20 GiB), up to m1.large (80) and confirmed, then down to m1.medium (40):
    # the API accepts it (not below the boot disk); the compute refuses it like libvirt does.
    _name, sid = make_server('2')
    resized(nova_api, sid, '4')
    assert nova_api.action(sid, {'confirmResize': None}).status_code == 204
    nova_api.trace(sid, left_verify_resize)
    resp = resize(nova_api, sid, '3')
    seen = nova_api.trace(sid, lambda s: s['status'] != 'RESIZE' and s['OS-EXT-STS:task_state'] is None)
    record('states', seen)
    assert [s[2] for s in seen[:-1]] == ['resize_prep', 'resize_migrating'], seen
    assert seen[-1][1:] == ('ACTIVE', None, 'active', 1, '4'), seen
    action = _failed_events(nova_api, nova_admin, sid, resp.headers['x-openstack-request-id'])
    record('action', action)
    events = {e['event']: e for e in action['events']}
    assert events['compute_resize_instance']['result'] == 'Error'
    assert events['compute_resize_instance']['details'] == 'Resize error: Unable to resize disk down.'
    assert events['compute_prep_resize']['result'] == 'Success'


# --------------------------------------------------------------------------
# microversions, headers, URLs
# --------------------------------------------------------------------------

def test_microversion_2_47_embeds_the_flavor(nova, nova_api, seeded, record):
    sid = seeded['web-2']
    old = nova_api.get('/servers/%s' % sid)
    assert set(old.json()['server']['flavor']) == {'id', 'links'}
    assert old.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    assert old.headers['OpenStack-API-Version'] == 'compute 2.1'
    link = old.json()['server']['flavor']['links'][0]
    assert link['rel'] == 'bookmark'
    # the bookmark link has the project id but no version: http://host:port/<project_id>/flavors/<id>
    assert link['href'] == '%s/%s/flavors/%s' % (nova['base_url'], nova['project_id'], old.json()['server']['flavor']['id'])
    new = nova_api.get('/servers/%s' % sid, microversion='2.47')
    flavor = new.json()['server']['flavor']
    record({'2.1': old.json()['server']['flavor'], '2.47': flavor})
    assert new.headers['X-OpenStack-Nova-API-Version'] == '2.47'
    assert new.headers['OpenStack-API-Version'] == 'compute 2.47'
    assert new.headers['Vary'] == 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'
    assert set(flavor) == {'original_name', 'vcpus', 'ram', 'disk', 'ephemeral', 'swap', 'extra_specs'}
    assert flavor['original_name'] == old.json()['server']['flavor']['id']  # ids equal names for s6.*
    assert flavor['swap'] == 0 and flavor['extra_specs'] == {}
    # the new-style header alone works too
    alt = nova_api.http.get(nova_api.base + '/servers/%s' % sid, headers={'OpenStack-API-Version': 'compute 2.47'}, timeout=10)
    assert 'original_name' in alt.json()['server']['flavor']
    # m1.* flavors: original_name is the name, not the id
    assert nova_api.server(seeded['app-1'], microversion='2.47')['flavor']['original_name'].startswith('m1.')
    latest = nova_api.get('/servers/%s' % sid, microversion='latest')
    assert latest.headers['X-OpenStack-Nova-API-Version'] == '2.104'


def test_microversion_out_of_range_is_406_and_bad_format_400(nova_api, seeded, record):
    sid = seeded['web-1']
    seen = {}
    for version in ('2.0', '2.105', '3.0'):
        resp = nova_api.get('/servers/%s' % sid, microversion=version)
        seen[version] = nova_error(resp, 406, 'computeFault')
        assert seen[version] == 'Version %s is not supported by the API. Minimum is 2.1 and maximum is 2.104.' % version
        assert resp.headers['X-OpenStack-Nova-API-Version'] == version  # echoed even when refused
    resp = nova_api.get('/servers/%s' % sid, microversion='2.x')
    seen['2.x'] = nova_error(resp, 400, 'badRequest')
    assert seen['2.x'] == 'API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.'
    record(seen)


def test_request_id_headers(nova_api, nova_admin, make_server, record):
    _name, sid = make_server('s6.medium.2')
    responses = {
        'GET': nova_api.get('/servers/%s' % sid),
        'resize 202': nova_api.action(sid, {'resize': {'flavorRef': 's6.large.2'}}),
        'error 409': nova_api.action(sid, {'confirmResize': None}),
        'error 404': nova_api.get('/servers/%s' % MISSING),
    }
    seen = {}
    for what, resp in responses.items():
        rid = resp.headers.get('x-openstack-request-id')
        seen[what] = rid
        assert rid and REQ_ID.match(rid), (what, resp.headers)
        assert resp.headers.get('x-compute-request-id') == rid, (what, resp.headers)
    record(seen)
    assert len(set(seen.values())) == len(seen)  # one per request
    nova_api.trace(sid, settled)
    # the request id of the resize response is the request_id of the instance action
    actions = nova_api.actions(sid)
    assert actions[0]['action'] == 'resize' and actions[0]['request_id'] == seen['resize 202']


def test_instance_actions_and_events_after_resize_confirm_revert(nova_api, nova_admin, make_server, record):
    _name, sid = make_server('s6.medium.2')
    resized(nova_api, sid, 's6.large.2')
    assert nova_api.action(sid, {'confirmResize': None}).status_code == 204
    nova_api.trace(sid, left_verify_resize)
    resized(nova_api, sid, 's6.xlarge.2')
    assert nova_api.action(sid, {'revertResize': None}).status_code == 202
    nova_api.trace(sid, left_verify_resize)
    actions = nova_api.actions(sid)
    assert [a['action'] for a in actions] == ['revertResize', 'resize', 'confirmResize', 'resize', 'create']
    assert set(actions[0]) == {'action', 'instance_uuid', 'request_id', 'user_id', 'project_id', 'start_time', 'message'}
    assert all(a['message'] is None for a in actions)
    events = {}
    for action in actions[:4]:
        detail = nova_admin.instance_action(sid, action['request_id'])
        events.setdefault(action['action'], []).append(
            sorted((e['event'], e['result']) for e in detail['events']))
    record({'actions': [a['action'] for a in actions], 'events': events})
    ok = 'Success'
    assert events['resize'][0] == sorted([('cold_migrate', ok), ('compute_finish_resize', ok), ('compute_prep_resize', ok),
                                          ('compute_resize_instance', ok), ('conductor_migrate_server', ok)])
    assert events['confirmResize'] == [[('compute_confirm_resize', ok)]]
    assert events['revertResize'] == [sorted([('compute_finish_revert_resize', ok), ('compute_revert_resize', ok)])]
    # newest first; 2.58+ adds updated_at, 2.62+ adds hostId (and host for admins) to events
    detail = nova_api.instance_action(sid, actions[1]['request_id'], microversion='2.62')
    assert 'updated_at' in detail and all('hostId' in e and 'host' not in e for e in detail['events'])


def test_urls_with_and_without_project_id_and_v2(nova, nova_api, seeded, record):
    sid = seeded['web-1']
    base = nova['base_url']
    pid = nova['project_id']
    forms = {
        'v2.1/<project_id>': '%s/v2.1/%s/servers/%s' % (base, pid, sid),
        'v2.1': '%s/v2.1/servers/%s' % (base, sid),
        'v2/<project_id>': '%s/v2/%s/servers/%s' % (base, pid, sid),
    }
    for form, url in forms.items():
        resp = nova_api.http.get(url, timeout=10)
        assert resp.status_code == 200, (form, resp.text)
        self_link = resp.json()['server']['links'][0]['href']
        assert self_link == url, (form, self_link)  # links follow the URL form used
    # /v2/ (the legacy-v2-compatible API) ignores microversions: no version headers in the answer
    resp = nova_api.http.get(forms['v2/<project_id>'], headers={'X-OpenStack-Nova-API-Version': '2.47'}, timeout=10)
    assert 'X-OpenStack-Nova-API-Version' not in resp.headers and 'id' in resp.json()['server']['flavor']
    # a project id in the URL that is not the token's: 400
    other = nova_api.http.get('%s/v2.1/%s/servers/%s' % (base, 'ab' * 16, sid), timeout=10)
    msg = nova_error(other, 400, 'badRequest')
    assert msg == "Malformed request URL: URL's project_id '%s' doesn't match Context's project_id '%s'" % ('ab' * 16, pid)
    # a project id segment that is not hex does not match Nova's routes at all: an HTML 404
    html = nova_api.http.get('%s/v2.1/not-a-project/servers/%s' % (base, sid), timeout=10)
    assert html.status_code == 404 and html.headers['Content-Type'].startswith('text/html')
    record({'other project': msg, 'non-hex project id': html.text})


def test_server_name_filter_is_a_regex(nova_api, seeded, record):
    def names(query):
        resp = nova_api.get('/servers/detail?name=%s' % query)
        assert resp.status_code == 200
        return sorted(s['name'] for s in resp.json()['servers'])
    assert {'web-1', 'web-2'} <= set(names('web-'))
    assert names('^web.1$') == ['web-1']
    assert names('^web-1$') == ['web-1']
    assert names('WEB-1') == []  # case-sensitive on sqlite (MySQL collations may differ)
    record({'web-': names('web-'), '^web.1$': names('^web.1$')})


def test_missing_or_bad_token_is_401(nova, nova_api):
    # This 401 comes from the harness's stand-in for keystonemiddleware, not from Nova.
    for token in (None, 'garbage', 'demo:'):
        resp = nova_api.http.get(nova['compute_url'] + '/servers', headers={'X-Auth-Token': token}, timeout=10)
        assert resp.status_code == 401
        assert resp.json()['error']['code'] == 401


def test_member_cannot_create_flavors_and_reads_them_by_id_only(nova_api, record):
    resp = nova_api.post('/flavors', {'flavor': {'name': 'x', 'ram': 1, 'vcpus': 1, 'disk': 1}})
    forbidden = nova_error(resp, 403, 'forbidden')
    assert forbidden == "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed."
    assert nova_api.get('/flavors/s6.large.2').status_code == 200
    by_name = nova_error(nova_api.get('/flavors/m1.small'), 404, 'itemNotFound')
    assert by_name == 'Flavor m1.small could not be found.'
    flavor = nova_api.get('/flavors/2').json()['flavor']
    assert flavor['name'] == 'm1.small' and flavor['swap'] == ''  # "" when there is no swap, not 0
    record({'403': forbidden, 'by name': by_name, 'swap': flavor['swap']})


# --------------------------------------------------------------------------
# server metadata (the emulator's metadata API, all profiles)
# --------------------------------------------------------------------------

def test_server_metadata_api(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    base = '/servers/%s/metadata' % sid

    def call(method, path='', body=None):
        return nova_api.request(method, base + path, json=body)

    assert call('GET').json() == {'metadata': {}}
    resp = call('POST', body={'metadata': {'ecs_ops:restart': 'yes'}})
    assert resp.status_code == 200 and resp.json() == {'metadata': {'ecs_ops:restart': 'yes'}}
    assert call('POST', body={'metadata': {'b': '2'}}).json() == {'metadata': {'ecs_ops:restart': 'yes', 'b': '2'}}
    assert call('GET', '/b').json() == {'meta': {'b': '2'}}
    assert nova_api.server(sid)['metadata'] == {'ecs_ops:restart': 'yes', 'b': '2'}
    resp = call('PUT', '/c', {'meta': {'c': '3'}})
    assert resp.status_code == 200 and resp.json() == {'meta': {'c': '3'}}
    mismatch = nova_error(call('PUT', '/c', {'meta': {'d': '4'}}), 400, 'badRequest')
    resp = call('DELETE', '/b')
    assert resp.status_code == 204 and resp.content == b''
    missing = nova_error(call('GET', '/b'), 404, 'itemNotFound')
    assert nova_error(call('DELETE', '/b'), 404, 'itemNotFound') == missing == 'Metadata item was not found'
    assert mismatch == 'Request body and URI mismatch'
    resp = call('PUT', body={'metadata': {'only': 'this', 'with space': 'ok'}})
    assert resp.status_code == 200 and call('GET').json()['metadata'] == {'only': 'this', 'with space': 'ok'}
    bad_key = nova_error(call('POST', body={'metadata': {'bad key!': 'v'}}), 400, 'badRequest')
    assert bad_key == ("Invalid input for field/attribute metadata. Value: {'bad key!': 'v'}. 'bad key!' does not "
                       "match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'")
    # the '-' in '9-_' is a literal hyphen, not a range: '@' (between '9' and '_') is refused
    assert call('POST', body={'metadata': {'a@b': 'v'}}).status_code == 400
    too_long = nova_error(call('POST', body={'metadata': {'k': 'v' * 256}}), 400, 'badRequest')
    assert too_long == "Invalid input for field/attribute k. Value: %s. '%s' is too long" % ('v' * 256, 'v' * 256)
    many = nova_error(call('PUT', '/a', {'meta': {'a': '1', 'b': '2'}}), 400, 'badRequest')
    assert many.endswith("has too many properties")
    over = nova_error(call('PUT', body={'metadata': dict(('k%03d' % i, 'v') for i in range(129))}), 403, 'forbidden')
    assert over == 'Maximum number of metadata items exceeds 128'
    # writes need a settled, unlocked server (reads do not)
    assert nova_api.action(sid, {'lock': None}).status_code == 202
    locked = nova_error(call('POST', body={'metadata': {'x': '1'}}), 409, 'conflictingRequest')
    assert locked == 'Instance %s is locked' % sid
    assert nova_api.action(sid, {'unlock': None}).status_code == 202
    # any task_state is fine (check_instance_state(..., task_state=None)): writable during RESIZE
    resize(nova_api, sid, 's6.large.2')
    resp = call('POST', body={'metadata': {'x': '1'}})
    during = nova_api.server(sid)['status']
    assert resp.status_code == 200 and during == 'RESIZE', (resp.text, during)
    assert call('GET', '/only').json() == {'meta': {'only': 'this'}}
    nova_api.trace(sid, settled)
    verify = nova_error(call('DELETE', '/only'), 409, 'conflictingRequest')
    assert verify == "Cannot 'delete metadata' instance %s while it is in vm_state resized" % sid
    record({'mismatch': mismatch, 'missing': missing, 'bad key': bad_key, 'over quota': over, 'locked': locked,
            'during resize': during, 'verify_resize': verify})


# --------------------------------------------------------------------------
# changes-since on the listing (what ecs_resize_batch observes a fleet with)
# --------------------------------------------------------------------------

def iso(seconds, fraction=False):
    text = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds))
    return text + ('.%06d' % int(round((seconds % 1) * 1e6)) if fraction else '')


def listed(api, since, **params):
    params['changes-since'] = since
    resp = api.get('/servers/detail', params=params)
    assert resp.status_code == 200, resp.text
    return dict((s['id'], s) for s in resp.json()['servers'])


def epoch(updated):
    import calendar
    return calendar.timegm(time.strptime(updated, '%Y-%m-%dT%H:%M:%SZ'))


def test_changes_since_lists_servers_updated_at_or_after_it(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    updated = nova_api.server(sid)['updated']
    # `updated` is whole seconds, cut (utils.isotime): a listing since that second lists the server (updated_at >=)
    assert sid in listed(nova_api, updated)
    assert sid in listed(nova_api, updated.rstrip('Z'))  # no zone: UTC
    assert sid not in listed(nova_api, iso(epoch(updated) + 1))
    assert listed(nova_api, iso(time.time() + 5)) == {}
    assert sid in listed(nova_api, '2000-01-01')  # a date alone
    assert sid in listed(nova_api, '2000-01-01T01:00:00+01:00')
    # fractions of a second count
    since = time.time()
    assert sid not in listed(nova_api, iso(since + 0.5, fraction=True))
    record('updated', updated)


@pytest.mark.parametrize('value', ['garbage', '1600000000'])
def test_changes_since_that_is_no_time_is_400(nova_api, seeded, record, value):
    message = nova_error(nova_api.get('/servers/detail', params={'changes-since': value}), 400, 'badRequest')
    assert message == "Invalid input for query parameters changes-since. Value: %s. '%s' is not a 'date-time'" % (value, value)
    record(value, message)


def test_every_phase_of_a_resize_is_in_the_next_listing_since_the_previous_one(nova_api, make_server, record):
    """Each task_state change updates the server, so a client that lists with changes-since = when it last listed sees
    every state a read of the server would."""
    _name, sid = make_server('s6.medium.2')
    since = iso(time.time() - 1, fraction=True)
    resize(nova_api, sid, 's6.large.2')
    phases, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        began = time.time()
        doc = listed(nova_api, since).get(sid)
        if doc is not None:
            phase = (doc['status'], doc['OS-EXT-STS:task_state'])
            if not phases or phases[-1] != phase:
                phases.append(phase)
            if phase == ('VERIFY_RESIZE', None):
                break
        since = iso(began - 0.05, fraction=True)
        time.sleep(0.05)
    record('phases', phases)
    assert phases[0][0] == 'RESIZE' and phases[-1] == ('VERIFY_RESIZE', None), phases
    assert ('RESIZE', 'resize_migrating') in phases and ('RESIZE', 'resize_finish') in phases, phases
    nova_api.settle(sid)


def test_changes_since_lists_a_deleted_server_as_deleted(nova_api, make_server, record):
    _name, sid = make_server('s6.medium.2')
    since = iso(time.time() - 1)
    resp = nova_api.delete(sid)
    assert resp.status_code == 204, resp.text
    deadline, doc = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        doc = listed(nova_api, since).get(sid)
        if doc is not None and doc['status'] == 'DELETED':
            break
        time.sleep(0.2)
    record('deleted', doc)
    assert doc['status'] == 'DELETED' and doc['OS-EXT-STS:vm_state'] == 'deleted'
    assert doc['OS-EXT-STS:task_state'] is None and doc['OS-EXT-STS:power_state'] == 0
    # Nova sets vm_state "deleted" (what changes-since shows) a moment before it marks the instance's row deleted
    # (compute/manager.py _delete_instance: instance.save() with vm_state deleted, _complete_deletion, then
    # instance.destroy()): the plain listing may show it for that moment (seen once in make test, 2026-12-01)
    deadline = time.monotonic() + 10
    while sid in [s['id'] for s in nova_api.get('/servers/detail').json()['servers']] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sid not in [s['id'] for s in nova_api.get('/servers/detail').json()['servers']]
    assert nova_api.get('/servers/%s' % sid).status_code == 404
    # with limit and marker, the next link keeps the filter
    page = nova_api.get('/servers/detail', params={'changes-since': since, 'limit': 1}).json()
    assert len(page['servers']) == 1 and 'changes-since=' in page['servers_links'][0]['href']
