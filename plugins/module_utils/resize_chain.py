# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chain of the resize role, decided here: preflight -> resize (not confirming where a health check follows) ->
health check -> confirm, or revert -> report. Pure.

The role's tasks only wire: a task runs one step over some servers (a module), and its registered result goes to
`update`, which records what the step came to for each server, from what the module says the server showed at the end,
and names what each server needs next. The collection's filters resize_items, resize_plan and resize_update are
these functions.

The state is a plain dict the role keeps as a fact:
  options   what the role was asked (per_host, check_mode, wait, revert_on_failure, missing, concurrency, ...)
  servers   one record per server, in input order (RECORD_FIELDS, plus `next`: the step it waits for, and the item)
  batches   the servers of each pass of the chain (items of ecs_resize_batch), in order
  check, check_tasks, confirm, revert, look
            what the current pass does next: targets of the health_check module, checks by a tasks file, items of
            ecs_resize_batch for state=confirmed, for state=reverted, and for a check-mode look at servers left pending
  report    the records by inventory host (`ecs_resize_report`); failed_hosts: why each host fails; changed_hosts: the
            hosts with a server that changed; table: the report as lines
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

CHECK_KINDS = ('none', 'tcp', 'http', 'tasks')
MISSING_CHOICES = ('fail', 'skip')
STABLE = ('ACTIVE', 'SHUTOFF')

# The outcome of each server in the role's report.
UNCHANGED = 'unchanged'          # already on the target, nothing sent
RESIZED = 'resized'              # runs on the target now, resize confirmed (by the role or by the cloud itself)
ACCEPTED = 'accepted'            # ecs_resize_wait=false: the request was accepted and not waited for
PENDING = 'pending'              # a resize to the target waits for confirmation (left so after a failed health check)
REVERTED = 'reverted'            # back on the old flavor after a failed health check
ROLLED_BACK = 'rolled_back'      # the cloud rolled the resize back by itself
FAILED = 'failed'                # anything else that went wrong (the message says what the server shows)
MISSING = 'missing'              # the server does not exist and ecs_resize_missing=skip
SKIPPED = 'skipped'              # list mode: not started, because the preflight of another server failed
NOT_STARTED = 'not_started'      # the role stopped before this server's turn
WOULD = ('would_resize', 'would_confirm')  # check mode (--check): the preflight's own outcome
OUTCOMES = (UNCHANGED, RESIZED, ACCEPTED, PENDING, REVERTED, ROLLED_BACK, FAILED, MISSING, SKIPPED, NOT_STARTED) + WOULD
# Outcomes that fail the host of the server (the role fails for it).
FAILING = (PENDING, REVERTED, ROLLED_BACK, FAILED)

# The settings of an item that are text (the others: health_check_port, health_check_status).
TEXT_SETTINGS = ('flavor', 'health_check', 'health_check_host', 'health_check_url', 'health_check_tasks')

RECORD_FIELDS = ('server', 'id', 'target_flavor', 'flavor_before', 'status_before', 'flavor_after', 'status_after',
                 'outcome', 'changed', 'failed', 'msg')
TABLE_HEADER = ('server', 'before', 'after', 'outcome', 'message')


# -- the servers asked for --------------------------------------------------------------------------

def resize_items(raw, defaults, host=None, per_host=False, wait=True):
    """The servers to resize, each with every setting (an item's own, else the role default), and the problems that
    keep the list from being worked on (one sentence, or None).

    raw: list mode, the items of ecs_resize_servers; per-host mode, one item (server, health_check_host) built from
    the host's variables. defaults: flavor, health_check, health_check_host, health_check_port, health_check_url,
    health_check_status, health_check_tasks (the role variables). host: the inventory host that owns these servers.
    """
    items, problems, seen = [], [], {}
    for index, given in enumerate(raw or []):
        given = given if isinstance(given, dict) else {'server': given}
        item = dict((key, _text(defaults.get(key))) for key in TEXT_SETTINGS)
        item['health_check_port'] = defaults.get('health_check_port')
        item['health_check_status'] = defaults.get('health_check_status')
        item.update((key, value) for key, value in given.items() if value is not None and value != '')
        item['server'] = _text(item.get('server'))
        item['host'] = host
        name = item['server']
        label = ('host %s' % host if per_host else 'ecs_resize_servers[%d]' % index) + (' (%s)' % name if name else '')
        if not name:
            problems.append('%s has no server: give the name or id of the server' % label)
        elif name in seen:
            problems.append('%s: server %s is listed twice (also %s)' % (label, name, seen[name]))
        else:
            seen[name] = 'ecs_resize_servers[%d]' % index
        problems.extend('%s: %s' % (label, problem) for problem in _item_problems(item, per_host, wait))
        item['health_check_host'] = item['health_check_host'] or name
        item['health_check_url'] = item['health_check_url'] or 'http://%s/' % item['health_check_host']
        items.append(item)
    return dict(items=items, problem='; '.join(problems) if problems else None)


def _item_problems(item, per_host, wait):
    where = 'ecs_resize_flavor' if per_host else "ecs_resize_flavor, or the item's flavor"
    if not _text(item.get('flavor')):
        yield 'no target flavor: set %s' % where
    check = item.get('health_check')
    if check not in CHECK_KINDS:
        yield 'health_check must be none, tcp, http or tasks, got %s' % check
    elif check == 'tasks' and not _text(item.get('health_check_tasks')):
        yield "health_check tasks needs a tasks file: set ecs_resize_health_check_tasks%s" % ('' if per_host else " or the item's health_check_tasks")
    elif check == 'tcp' and not _port(item.get('health_check_port')):
        yield 'health_check tcp needs a port from 1 to 65535, got %s' % item.get('health_check_port')
    if check not in ('none', None) and check in CHECK_KINDS and not wait:
        yield ('a %s health check needs the resize to be done, but ecs_resize_wait is false (the role does not wait): '
               'set ecs_resize_wait to true, or health_check to none' % check)
    status = item.get('health_check_status')
    if check == 'http' and not (isinstance(status, list) and status and all(_port(s, 100, 599) for s in status)):
        yield 'health_check_status must be a list of HTTP status codes, got %s' % status


# -- the plan ---------------------------------------------------------------------------------------

def resize_plan(items, per_host=False, check_mode=False, wait=True, revert_on_failure=True, missing='fail', concurrency=5,
                validate_certs=True, forks=None):
    """The state before the preflight: a record for each server (not started yet), and the items of the preflight.

    items: every host's items (per-host mode: the servers of the hosts of one serial batch; list mode: the list).
    In per-host mode two hosts that name one server both fail (nothing is sent for it); in list mode resize_items
    has found that already.

    How many servers are worked on at once (`concurrency` of the state): list mode, `concurrency`; per host, the
    serial batch, but at most `forks` (ansible_forks), as many as Ansible would run hosts at once."""
    if per_host:
        concurrency = min(len(items), _int(forks, len(items)) or len(items))
    options = dict(per_host=bool(per_host), check_mode=bool(check_mode), wait=bool(wait), revert_on_failure=bool(revert_on_failure),
                   missing=missing if missing in MISSING_CHOICES else 'fail', concurrency=max(1, _int(concurrency, 1)),
                   validate_certs=bool(validate_certs))
    owners = {}
    for item in items:
        owners.setdefault(item['server'], []).append(item.get('host'))
    servers = []
    for item in items:
        record = _record(item)
        hosts = owners[item['server']]
        if len(hosts) > 1:
            _finish(record, FAILED, 'hosts %s all name server %s: each server may be resized by one host only; nothing was sent for it'
                    % (', '.join(str(h) for h in hosts), item['server']))
        else:
            record['next'] = 'preflight'
        servers.append(record)
    preflight = [dict(server=r['server'], flavor=r['target_flavor']) for r in servers if r['next'] == 'preflight']
    state = dict(options=options, servers=servers, batches=[], concurrency=options['concurrency'], preflight=preflight)
    return _derived(state)


def _record(item):
    record = dict((key, '') for key in RECORD_FIELDS)
    record.update(server=item['server'], target_flavor=item['flavor'], outcome=NOT_STARTED, changed=False, failed=False,
                  msg='not started', host=item.get('host'), item=item, next=None, check=None)
    return record


# -- each step --------------------------------------------------------------------------------------

def resize_update(state, step, result, given=None):
    """The state after `step` ran: `result` is the step's registered result (ecs_resize_batch, health_check), or for
    check_tasks the list of dict(name, healthy, msg) of the checks by a tasks file. `given`: what the step was run on
    (items with `server`, or targets with `name`); a server given without a result in `result` failed with the
    step's message (the module failed before it got to the servers)."""
    if step not in STEPS:
        raise ValueError('unknown step %s: one of %s' % (step, ', '.join(sorted(STEPS))))
    state = _copy(state)
    if isinstance(result, dict) and result.get('skipped'):
        return _derived(state)
    entries = _entries(step, result)
    by_name = dict((r['server'], r) for r in state['servers'])
    names = [_given_name(g) for g in (given or [])] or list(entries)
    for name in names:
        record = by_name.get(name)
        if record is None or record['next'] != NEXT_OF[step]:
            continue
        entry = entries.get(name)
        if entry is None:
            entry = dict(failed=True, changed=False, msg=_step_failure(step, result))
        STEPS[step](state, record, entry)
    return _derived(state)


def _preflight(state, record, entry):
    options = state['options']
    _observe(record, entry, before=True)
    # a check-mode run's `changed` is what a real run would do: only check mode reports it
    record['changed'] = bool(entry.get('changed')) and options['check_mode']
    if entry.get('failed'):
        _finish(record, FAILED, 'preflight failed: %s' % entry.get('msg', 'no message'))
    elif entry.get('outcome') == MISSING:
        _finish(record, MISSING, 'server %s does not exist: skipped (ecs_resize_missing is skip)' % record['server'])
    elif options['check_mode']:
        outcome = entry.get('outcome') or UNCHANGED
        _finish(record, outcome, _would(record, entry, outcome))
    elif not _needs_work(entry):
        _finish(record, UNCHANGED, 'already on %s' % (record['flavor_after'] or record['target_flavor']))
    else:
        record['next'] = 'resize'
        record['msg'] = 'waiting for its turn'
    if all(r['next'] != 'preflight' for r in state['servers']):
        _plan_batches(state)


def _needs_work(entry):
    """After a check-mode run: whether the server needs a resize, a confirmation, or waiting for something under way."""
    server = entry.get('server') or {}
    return (str(entry.get('outcome')).startswith('would_') or server.get('status') not in STABLE or bool(server.get('task_state')))


def _would(record, entry, outcome):
    if outcome == 'would_resize':
        return 'would be resized from %s to %s' % (record['flavor_before'] or '?', record['target_flavor'])
    if outcome == 'would_confirm':
        return 'a resize to %s is pending confirmation: it would be health-checked and confirmed' % record['target_flavor']
    if outcome == UNCHANGED and _needs_work(entry):
        return 'a task runs on it (%s): the role would wait for it and go on from there' % _label(entry.get('server') or {})
    return 'already on %s' % (record['flavor_after'] or record['target_flavor'])


def _plan_batches(state):
    """Once every server passed its preflight: the passes of the chain. The servers without a health check in one pass
    (the module confirms them itself, `concurrency` at a time), then those with one in passes of `concurrency`, so that
    at most that many resizes wait for confirmation at once. Per host, a serial batch no larger than forks is one pass.
    List mode changes nothing when the preflight of any server failed."""
    options = state['options']
    todo = [r for r in state['servers'] if r['next'] == 'resize']
    broken = [r for r in state['servers'] if r['outcome'] == FAILED]
    if broken and not options['per_host']:
        names = ', '.join(r['server'] for r in broken)
        for record in todo:
            _finish(record, SKIPPED, 'not started: the preflight of %s failed, and nothing is changed unless every server passes it' % names)
        return
    plain = [r for r in todo if r['item']['health_check'] == 'none']
    checked = [r for r in todo if r['item']['health_check'] != 'none']
    size = options['concurrency']
    if options['per_host'] and len(todo) <= size:
        passes = [todo] if todo else []
    else:
        passes = ([plain] if plain else []) + [checked[n:n + size] for n in range(0, len(checked), size)]
    state['batches'] = [[dict(server=r['server'], flavor=r['target_flavor'], confirm=r['item']['health_check'] == 'none')
                         for r in batch] for batch in passes]


def _resize(state, record, entry):
    _observe(record, entry)
    record['changed'] = record['changed'] or bool(entry.get('changed'))
    outcome = entry.get('outcome')
    kind = record['item']['health_check']
    if entry.get('failed'):
        _finish(record, ROLLED_BACK if outcome == ROLLED_BACK else FAILED, entry.get('msg', 'the resize failed'))
    elif outcome == ACCEPTED:
        _finish(record, ACCEPTED, '%s (ecs_resize_wait is false)' % entry.get('msg', 'accepted, not waited for'))
    elif outcome == UNCHANGED:
        _finish(record, UNCHANGED, 'already on %s' % (record['flavor_after'] or record['target_flavor']))
    elif kind == 'none' and outcome in (RESIZED, 'confirmed'):
        _finish(record, RESIZED, '%s and confirmed' % _resized(record))
    elif kind != 'none' and outcome in (PENDING, RESIZED):
        record['outcome'] = outcome
        record['msg'] = 'resized to %s, waiting for its %s check' % (record['target_flavor'], kind)
        record['next'] = 'check'
    else:
        _finish(record, FAILED, 'the resize ended as %s: %s' % (outcome, entry.get('msg', '')))


def _resized(record):
    """How a resize to the target is told: from which flavor, or that it was found pending (resumed)."""
    if record['flavor_before'] and record['flavor_before'] != record['flavor_after']:
        return 'resized from %s to %s' % (record['flavor_before'], record['flavor_after'])
    found = 'pending confirmation' if record['status_before'] == 'VERIFY_RESIZE' else 'under way'
    return 'resized to %s (the resize was found %s)' % (record['flavor_after'] or record['target_flavor'], found)


def _check(state, record, entry):
    healthy = bool(entry.get('healthy')) and not entry.get('failed')
    record['check'] = dict(healthy=healthy, msg=entry.get('msg') or ('passed' if healthy else 'failed'))
    if healthy:
        record['next'] = 'confirm'
    elif state['options']['revert_on_failure']:
        record['next'] = 'revert'
    else:
        record['next'] = 'look'
    record['msg'] = 'its health check %s: %s' % ('passed' if healthy else 'failed', record['check']['msg'])


def _confirm(state, record, entry):
    _observe(record, entry)
    record['changed'] = record['changed'] or bool(entry.get('changed'))
    passed = record['check']['msg']
    if entry.get('failed'):
        _finish(record, FAILED, 'its health check passed (%s), but confirming the resize to %s failed: %s'
                % (passed, record['target_flavor'], entry.get('msg', '')))
    elif entry.get('outcome') == 'confirmed':
        _finish(record, RESIZED, '%s: %s; resize confirmed' % (_resized(record), passed))
    elif _on_target(entry) and not entry.get('pending_confirmation'):
        _finish(record, RESIZED, '%s: %s; the cloud had confirmed the resize by itself already' % (_resized(record), passed))
    else:
        _finish(record, FAILED, 'its health check passed (%s), but the resize to %s is no longer pending: the server is %s on %s'
                % (passed, record['target_flavor'], record['status_after'] or '?', record['flavor_after'] or '?'))


def _revert(state, record, entry):
    _observe(record, entry)
    record['changed'] = record['changed'] or bool(entry.get('changed'))
    why = 'its health check failed: %s' % record['check']['msg']
    if entry.get('failed') and entry.get('error') == 'already_confirmed':
        _finish(record, FAILED, '%s; the resize to %s cannot be reverted: the cloud had confirmed it by itself already, '
                'the server runs on %s' % (why, record['target_flavor'], record['flavor_after'] or record['target_flavor']))
    elif entry.get('failed'):
        _finish(record, FAILED, '%s; reverting the resize to %s failed too: %s' % (why, record['target_flavor'], entry.get('msg', '')))
    elif entry.get('outcome') == REVERTED:
        _finish(record, REVERTED, 'the resize to %s was reverted because %s' % (record['target_flavor'], why))
    elif _on_target(entry):
        _finish(record, FAILED, '%s; the resize to %s was not reverted: the server is %s on it' % (why, record['target_flavor'], record['status_after']))
    else:
        _finish(record, REVERTED, '%s; the resize to %s is no longer pending (reverted by someone else): the server is %s on %s'
                % (why, record['target_flavor'], record['status_after'] or '?', record['flavor_after'] or '?'))


def _look(state, record, entry):
    """ecs_resize_revert_on_failure=false: a check-mode look at the server after its failed health check."""
    _observe(record, entry)
    why = 'its health check failed: %s' % record['check']['msg']
    outcome = entry.get('outcome')
    if entry.get('failed'):
        _finish(record, FAILED, '%s; then the server could not be read: %s' % (why, entry.get('msg', '')))
    elif outcome in (PENDING, 'would_confirm') or entry.get('pending_confirmation'):
        _finish(record, PENDING, '%s. The resize to %s is left pending confirmation (ecs_resize_revert_on_failure is false): '
                'confirm or revert it yourself' % (why, record['target_flavor']))
    elif outcome == UNCHANGED:
        _finish(record, FAILED, '%s; the cloud had confirmed the resize to %s by itself already: it cannot be reverted'
                % (why, record['target_flavor']))
    else:
        _finish(record, REVERTED, '%s; the resize to %s is no longer pending (reverted by someone else): the server is %s on %s'
                % (why, record['target_flavor'], record['status_after'] or '?', record['flavor_after'] or '?'))


STEPS = dict(preflight=_preflight, resize=_resize, check=_check, check_tasks=_check, confirm=_confirm, revert=_revert, look=_look)
NEXT_OF = dict(preflight='preflight', resize='resize', check='check', check_tasks='check', confirm='confirm', revert='revert', look='look')


# -- what the state says next, and the report -------------------------------------------------------

def _derived(state):
    """The lists of the next steps, and the report, from the records."""
    options = state['options']
    servers = state['servers']
    waiting = [r for r in servers if r['next'] == 'check']
    state['check'] = [_target(r, options) for r in waiting if r['item']['health_check'] in ('tcp', 'http')]
    state['check_tasks'] = [dict(name=r['server'], host=r['host'], file=r['item']['health_check_tasks'],
                                 check=dict(server=r['server'], flavor=r['target_flavor'], previous_flavor=r['flavor_before'],
                                            host=r['item']['health_check_host'], port=r['item']['health_check_port'],
                                            url=r['item']['health_check_url']))
                            for r in waiting if r['item']['health_check'] == 'tasks']
    state['check_tasks_by_host'] = dict((c['host'], c) for c in state['check_tasks'])
    state['confirm'] = [dict(server=r['server'], flavor=r['target_flavor']) for r in servers if r['next'] == 'confirm']
    state['revert'] = [dict(server=r['server'], flavor=r['target_flavor']) for r in servers if r['next'] == 'revert']
    state['look'] = [dict(server=r['server'], flavor=r['target_flavor'], confirm=False) for r in servers if r['next'] == 'look']
    report = {}
    for record in servers:
        report.setdefault(record['host'], []).append(dict((key, record[key]) for key in RECORD_FIELDS))
    state['report'] = report
    failed = {}
    for record in servers:
        if record['failed']:
            failed.setdefault(record['host'], []).append('%s: %s' % (record['server'], record['msg']))
    state['failed_hosts'] = dict((host, '; '.join(messages)) for host, messages in failed.items())
    state['changed_hosts'] = sorted(set(r['host'] for r in servers if r['changed']), key=str)
    state['table'] = table(servers)
    return state


def _target(record, options):
    """The health_check module's target for a server (only the keys of its kind)."""
    item = record['item']
    target = dict(name=record['server'], kind=item['health_check'])
    if item['health_check'] == 'tcp':
        target.update(host=item['health_check_host'], port=_int(item['health_check_port'], None))
    else:
        target.update(url=item['health_check_url'], status=[_int(s, s) for s in item['health_check_status']],
                      validate_certs=options['validate_certs'])
    return target


def table(records):
    """The report as lines of aligned columns: server, before, after, outcome, message."""
    rows = [TABLE_HEADER]
    for r in records:
        rows.append((r['server'], _state_text(r['flavor_before'], r['status_before']), _state_text(r['flavor_after'], r['status_after']),
                     r['outcome'], r['msg']))
    widths = [max(len(row[n]) for row in rows) for n in range(len(TABLE_HEADER) - 1)]
    lines = []
    for index, row in enumerate(rows):
        lines.append('  '.join([cell.ljust(widths[n]) for n, cell in enumerate(row[:-1])] + [row[-1]]).rstrip())
        if index == 0:
            lines.append('  '.join(['-' * w for w in widths] + ['-' * len(TABLE_HEADER[-1])]))
    return lines


# -- helpers ----------------------------------------------------------------------------------------

def _finish(record, outcome, msg):
    record['outcome'] = outcome
    record['msg'] = msg
    record['failed'] = outcome in FAILING
    record['next'] = None


def _observe(record, entry, before=False):
    """Take what the module says the server showed at the end of the step."""
    server = entry.get('server') or {}
    if not server.get('status'):
        return
    flavor = (server.get('flavor') or {}).get('name') or (server.get('flavor') or {}).get('id') or ''
    record['id'] = server.get('id') or record['id']
    record['flavor_after'] = flavor
    record['status_after'] = server.get('status')
    if before:
        previous = entry.get('previous_flavor') or {}
        record['flavor_before'] = previous.get('name') or previous.get('id') or flavor
        record['status_before'] = server.get('status')


def _on_target(entry):
    server_flavor = (entry.get('server') or {}).get('flavor') or {}
    target = entry.get('flavor') or {}
    return bool(server_flavor.get('id')) and server_flavor.get('id') == target.get('id')


def _entries(step, result):
    """The per-server entries of a step's result, by server name."""
    if step == 'check_tasks':
        return dict((e.get('name'), e) for e in (result or []) if isinstance(e, dict))
    entries = (result or {}).get('results') if isinstance(result, dict) else None
    found = {}
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        name = entry.get('name') if step == 'check' else (entry.get('item') or {}).get('server')
        found[_text(name)] = entry
    return found


def _step_failure(step, result):
    message = (result or {}).get('msg') if isinstance(result, dict) else None
    return 'no result for this server (%s step): %s' % (step.replace('_', ' '), message or 'the task did not run')


def _given_name(given):
    if isinstance(given, dict):
        return _text(given.get('server') or given.get('name'))
    return _text(given)


def _state_text(flavor, status):
    text = ' '.join(part for part in (flavor, status) if part)
    return text or '-'


def _label(server):
    status = server.get('status') or 'UNKNOWN'
    return '%s/%s' % (status, server['task_state']) if server.get('task_state') else status


def _text(value):
    return ('%s' % value).strip() if value is not None else ''


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _port(value, low=1, high=65535):
    number = _int(value, None)
    return number is not None and not isinstance(value, bool) and low <= number <= high


def _copy(state):
    """A copy deep enough that updating it leaves the given state as it was (facts are shared between tasks)."""
    copied = dict(state)
    copied['options'] = dict(state['options'])
    copied['servers'] = [dict(r) for r in state['servers']]
    return copied
