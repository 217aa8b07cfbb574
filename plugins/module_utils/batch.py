# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of ecs_resize_batch: the list of servers checked and completed, a sliding window of
workers over it, and the one-line summary of what happened."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import InputError
from ansible_collections.ecs_ops.compute.plugins.module_utils.operation import ResizeRequest

# how many problems, and how many failed servers, one message names before it says "and N more"
MAX_NAMED = 10


def batch_requests(params, check_mode=False):
    """One operation.ResizeRequest per item of params['servers'] (validated by the argument spec), the settings an item
    leaves out taken from the module's options, in input order.

    Raises InputError naming every problem (index and server) when any item cannot work, or a server is listed twice,
    so that nothing is sent unless the whole list is right.
    """
    if params.get('concurrency') is None or params['concurrency'] < 1:
        raise InputError('concurrency must be at least 1 (servers worked on at the same time), got %s' % params.get('concurrency'))
    problem = ResizeRequest.from_params(params).settings_problem()
    if problem:
        raise InputError(problem)
    problems, requests, seen = [], [], {}
    for index, item in enumerate(params.get('servers') or []):
        name = (item.get('server') or '').strip()
        label = 'servers[%d] (%s)' % (index, name) if name else 'servers[%d]' % index
        if not name:
            problems.append('%s has no server: give the name or id of the server' % label)
        elif name in seen:
            problems.append('%s: server %s is listed twice (also servers[%d])' % (label, name, seen[name]))
        else:
            seen[name] = index
        request = ResizeRequest.from_params(params, check_mode=check_mode, item=dict(item, server=name))
        problem = request.target_problem()
        if problem:
            problems.append('%s: %s' % (label, problem))
        requests.append(request)
    if problems:
        shown = problems[:MAX_NAMED]
        more = len(problems) - len(shown)
        raise InputError('nothing was changed, the list of servers has %s: %s%s'
                         % ('a problem' if len(problems) == 1 else '%d problems' % len(problems), '; '.join(shown),
                            '; and %d more' % more if more else ''))
    return requests


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
        rest = failed[MAX_NAMED:]
        # past the first ones, every other failed server is still named, with its status as last seen
        others = ', '.join('%s (%s)' % (_name(r), (r.get('server') or {}).get('status') or 'not seen') for r in rest)
        return '%d of %d %s failed: %s%s' % (len(failed), total, noun, '; '.join(named),
                                             '; and %d more: %s' % (len(rest), others) if rest else '')
    changed = len([r for r in results if r.get('changed')])
    pending = len([r for r in results if r.get('pending_confirmation')])
    unconfirmed = len([r for r in results if left_unconfirmed(r)])
    missing = len([r for r in results if r.get('outcome') == MISSING])
    text = '%d of %d %s changed' % (changed, total, noun)
    if pending:
        text += ', %d left pending confirmation' % pending
    if unconfirmed:
        text += ', %d resize%s sent and not waited for (left unconfirmed)' % (unconfirmed, '' if unconfirmed == 1 else 's')
    if missing:
        text += ', %d not found and skipped' % missing
    return text


# The outcome of a server that does not exist, with missing=skip (ecs_resize_batch's own; operation.py's are the others).
MISSING = 'missing'
MISSING_CHOICES = ('fail', 'skip')


def missing_result(server):
    """The result of a server that does not exist, when the batch was told to skip such servers (missing=skip)."""
    return dict(changed=False, failed=False, outcome=MISSING,
                msg='server %s does not exist: skipped (missing=skip)' % server)


def left_unconfirmed(result):
    """Whether the run sent a Nova resize and returned without waiting (wait=false): nobody confirms that resize."""
    return result.get('outcome') == 'accepted' and (result.get('actions') or [None])[-1] == 'resize'


def explained(result):
    """`result` with a message that says plainly what it leaves behind, where the operation's own is terse."""
    if left_unconfirmed(result):
        result['msg'] = ('%s: the resize is left unconfirmed - when the cloud has done it, the server waits in VERIFY_RESIZE '
                         'for a confirmation this run does not send; confirm it (state=confirmed) or revert it (state=reverted) later'
                         % result.get('msg', 'resize accepted'))
    return result


def _name(result):
    item = result.get('item') or {}
    return item.get('server') or (result.get('server') or {}).get('name') or '?'
