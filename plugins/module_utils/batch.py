# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of ecs_resize_batch: the list of servers checked and completed, a sliding window of
workers over it, and the one-line summary of what happened."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

from ansible_collections.ecs_ops.compute.plugins.module_utils.ecs_jobs import check_api_options
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import EcsError

ITEM_KEYS = ('server', 'flavor', 'confirm', 'state')
STATES = ('present', 'confirmed', 'reverted')
TRUE_WORDS = ('yes', 'on', '1', 'true', 'y', 't')
FALSE_WORDS = ('no', 'off', '0', 'false', 'n', 'f')
# how many problems, and how many failed servers, one message names before it says "and N more"
MAX_NAMED = 10


class BatchInputError(EcsError):
    """The list of servers cannot be worked on as given; nothing was sent."""


def _as_bool(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(value)


def _text(value):
    """A scalar given for a name (a server, a flavor) as text; None when missing or not a scalar."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return None


def check_settings(concurrency, timeout, api_timeout=None):
    """One sentence when a module-wide setting is out of range, else None."""
    if concurrency is None or concurrency < 1:
        return 'concurrency must be at least 1 (servers worked on at the same time), got %s' % concurrency
    if timeout is None or timeout <= 0:
        return 'timeout must be a positive number of seconds, got %s' % timeout
    if api_timeout is not None and api_timeout <= 0:
        return 'api_timeout must be a positive number of seconds, got %s' % api_timeout
    return None


def normalise_items(servers, flavor=None, state='present', confirm=True, api='nova'):
    """Every item of `servers` with its settings completed from the module-wide defaults.

    Returns a list of dicts (server, flavor, state, confirm, item: the item as given), in input order.
    Raises BatchInputError naming every problem (index and server) when any item is wrong, so that
    nothing is sent unless the whole list is right.
    """
    if servers is None:
        servers = []
    if not isinstance(servers, list):
        raise BatchInputError('servers must be a list of items like {server: web-1, flavor: s6.large.2}')
    problems, items, seen = [], [], {}
    for index, raw in enumerate(servers):
        where = 'servers[%d]' % index
        if not isinstance(raw, dict):
            problems.append('%s is not a dict with a server key (got %r)' % (where, raw))
            continue
        given = dict((k, v) for k, v in raw.items() if v is not None)
        name = _text(given.get('server'))
        label = '%s (%s)' % (where, name) if name else where
        unknown = sorted(set(given) - set(ITEM_KEYS), key=str)
        if unknown:
            problems.append('%s: unknown key%s %s (an item takes %s)'
                            % (label, 's' if len(unknown) > 1 else '', ', '.join(str(k) for k in unknown), ', '.join(ITEM_KEYS)))
        if not name:
            problems.append('%s has no server: give the name or id of the server' % where)
        elif name in seen:
            problems.append('%s: server %s is listed twice (also servers[%d])' % (label, name, seen[name]))
        else:
            seen[name] = index
        item_state = given.get('state', state)
        if item_state not in STATES:
            problems.append('%s: state must be one of %s, got %r' % (label, ', '.join(STATES), item_state))
        try:
            item_confirm = _as_bool(given.get('confirm', confirm))
        except ValueError:
            problems.append('%s: confirm must be a boolean, got %r' % (label, given.get('confirm')))
            item_confirm = True
        item_flavor = _text(given.get('flavor', flavor))
        if 'flavor' in given and not item_flavor:
            problems.append('%s: flavor must be a flavor name, id or URI, got %r' % (label, given.get('flavor')))
        elif item_state == 'present' and not item_flavor:
            problems.append('%s: no flavor: state=present needs the target flavor (set flavor on the item or for the module)' % label)
        if item_state in STATES:
            problem = check_api_options(api, item_state, item_confirm)
            if problem:
                problems.append('%s: %s' % (label, problem))
        items.append(dict(server=name, flavor=item_flavor or None, state=item_state, confirm=item_confirm, item=given))
    if problems:
        shown = problems[:MAX_NAMED]
        more = len(problems) - len(shown)
        raise BatchInputError('nothing was changed, the list of servers has %s: %s%s'
                              % ('a problem' if len(problems) == 1 else '%d problems' % len(problems), '; '.join(shown),
                                 '; and %d more' % more if more else ''))
    return items


def run_parallel(work, items, concurrency):
    """work(item) for every item, at most `concurrency` at a time: a sliding window, where the next item
    starts as soon as any running one ends. Returns the results in input order. `work` must not raise
    (an exception it lets through is returned in the item's place, for the caller to report)."""
    results = [None] * len(items)
    queue = list(enumerate(items))
    queue.reverse()
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                index, item = queue.pop()
            try:
                results[index] = work(item)
            except Exception as exc:  # pylint: disable=broad-except
                results[index] = exc

    count = max(1, min(int(concurrency), len(items)))
    if count == 1:
        worker()
        return results
    threads = [threading.Thread(target=worker, name='ecs-batch-%d' % n) for n in range(count)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join()
    return results


def first_line(text):
    lines = [line.strip() for line in str(text or '').strip().splitlines() if line.strip()]
    return lines[0] if lines else 'unknown error'


def prefixed(server, message):
    """A message of one server's run, as the module shows it among the others'."""
    return '%s: %s' % (server, message)


def summarise(results):
    """One line about the whole batch: how many failed and why (first line of each), or what changed."""
    total = len(results)
    failed = [r for r in results if r.get('failed')]
    noun = 'server' if total == 1 else 'servers'
    if failed:
        named = ['%s: %s' % (_name(r), first_line(r.get('msg'))) for r in failed[:MAX_NAMED]]
        more = len(failed) - len(named)
        return '%d of %d %s failed: %s%s' % (len(failed), total, noun, '; '.join(named), '; and %d more' % more if more else '')
    changed = len([r for r in results if r.get('changed')])
    pending = len([r for r in results if r.get('pending_confirmation')])
    text = '%d of %d %s changed' % (changed, total, noun)
    if pending:
        text += ', %d left pending confirmation' % pending
    return text


def _name(result):
    item = result.get('item') or {}
    return item.get('server') or (result.get('server') or {}).get('name') or '?'
