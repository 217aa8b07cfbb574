"""Fault injection rules and the per-credential rate limiter."""

import hashlib
import math
import re
import threading

# throttle_202: OTC's flow control answer, HTTP 202 with the error body Common.0024 and no job
# (appendix/error_codes.rst); the request is not carried out.
FAULT_KINDS = ("500", "502", "503", "504", "429", "drop", "drop_after", "delay", "body", "throttle_202", "random")
CANNED_KINDS = ("500", "502", "503", "504", "429", "body", "throttle_202")
# what a "random" rule may pick from (every kind that needs no further parameter, plus delay)
RANDOM_KINDS = ("500", "502", "503", "504", "429", "drop", "drop_after", "delay", "throttle_202")


def random_draw(seed, method, path, query, nth):
    """A number in [0, 1) fixed by the seed and the request's identity: the nth request of this method, path and
    query string (counted from the rule's creation). Threads may interleave requests differently from run to run,
    but a given request of a given server meets the same fate under the same seed."""
    digest = hashlib.sha256(("%s|%s|%s|%s|%d" % (seed, method, path, query, nth)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / float(1 << 64)


class FaultError(ValueError):
    """An invalid fault rule."""


class FaultInjector:
    """Rules that apply to the next N matching requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def add(self, route=".*", method=None, kind="500", count=1, retry_after=None, delay=None, status=None, body=None,
            content_type=None, query=None, rate=None, seed=None, kinds=None):
        """``query``: a regex the query string must match too (None: any).

        ``kind="random"``: each matching request gets a fault with probability ``rate``, its kind drawn from
        ``kinds`` (default every kind of RANDOM_KINDS), both decided by ``random_draw`` from ``seed``; ``count``
        is then the number of faults to inject before the rule ends. Requests the draw spares go on to the next
        rules."""
        kind = str(kind)
        if kind not in FAULT_KINDS:
            raise FaultError("kind must be one of %s" % ", ".join(FAULT_KINDS))
        try:
            pattern = re.compile(route or ".*")
            query_pattern = re.compile(query) if query is not None else None
        except re.error as exc:
            raise FaultError("bad route or query regex: %s" % exc) from exc
        try:
            count = int(1 if count is None else count)
            retry_after = None if retry_after is None else float(retry_after)
            delay = 0.0 if delay is None else float(delay)
        except (TypeError, ValueError) as exc:
            raise FaultError("count, retry_after and delay must be numbers") from exc
        if count < 1 or delay < 0:
            raise FaultError("count must be >= 1 and delay >= 0")
        if kind == "body" and (not isinstance(status, int) or not 100 <= status <= 599 or not isinstance(body, str)):
            raise FaultError("kind body needs an integer status (100-599) and a string body")
        rule = {"route": pattern.pattern, "method": method.upper() if method else None, "kind": kind,
                "count": count, "retry_after": retry_after, "delay": delay, "query": query, "_re": pattern,
                "_query": query_pattern}
        if kind == "random":
            kinds = list(kinds or RANDOM_KINDS)
            if not kinds or any(str(k) not in RANDOM_KINDS for k in kinds):
                raise FaultError("kinds of a random rule must be some of %s" % ", ".join(RANDOM_KINDS))
            try:
                rate = float(rate)
            except (TypeError, ValueError) as exc:
                raise FaultError("a random rule needs a rate between 0 and 1") from exc
            if not 0 < rate <= 1:
                raise FaultError("a random rule needs a rate between 0 and 1")
            if "delay" in kinds and delay <= 0:
                raise FaultError("a random rule that may pick delay needs a delay > 0")
            rule.update(rate=rate, seed=str(seed), kinds=[str(k) for k in kinds], injected=[], _seen={})
        if kind == "body":
            rule.update(status=status, body=body, content_type=content_type or "application/json")
        with self._lock:
            self._rules.append(rule)
        return self.public(rule)

    @staticmethod
    def public(rule):
        return dict((k, v) for k, v in rule.items() if not k.startswith("_"))

    def list(self):
        with self._lock:
            return [self.public(r) for r in self._rules]

    def clear(self):
        with self._lock:
            self._rules = []

    def take(self, method, path, query=""):
        """The first rule matching this request (its count is consumed), or None."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule["method"] and rule["method"] != method.upper():
                    continue
                if not rule["_re"].search(path):
                    continue
                if rule["_query"] is not None and not rule["_query"].search(query or ""):
                    continue
                if rule["kind"] == "random":
                    picked = self._draw(rule, method.upper(), path, query or "")
                    if picked is None:
                        continue
                    return picked
                rule["count"] -= 1
                if rule["count"] <= 0:
                    self._rules.remove(rule)
                return self.public(rule)
        return None

    def _draw(self, rule, method, path, query):
        """The concrete rule a random rule gives this request, or None (called with the lock held)."""
        key = (method, path, query)
        nth = rule["_seen"].get(key, 0)
        rule["_seen"][key] = nth + 1
        if random_draw(rule["seed"], method, path, query, nth) >= rule["rate"]:
            return None
        choice = rule["kinds"][int(random_draw(rule["seed"] + "/kind", method, path, query, nth) * len(rule["kinds"]))]
        rule["count"] -= 1
        rule["injected"].append({"kind": choice, "method": method, "path": path, "nth": nth})
        if rule["count"] <= 0:
            self._rules.remove(rule)
        picked = {"route": rule["route"], "method": method, "kind": choice, "count": 1, "query": rule["query"],
                  "retry_after": rule["retry_after"] if rule["retry_after"] is not None else (1.0 if choice == "429" else None),
                  "delay": rule["delay"], "random_seed": rule["seed"]}
        return picked


RATE_SCOPES = ("token", "project")
RATE_ANSWERS = ("429", "202")


class RateLimiter:
    """Token bucket per key; capacity = one second of requests.

    ``per``: ``token`` (a bucket per token or access key) or ``project`` (one bucket for every token and
    access key of a project); ``answer``: on ``/v1`` of the otc profiles ``429`` (Common.1503) or ``202``
    (Common.0024, the flow-control answer of appendix/error_codes.rst); ``retry_after``: whether the answer
    carries a Retry-After header."""

    def __init__(self):
        self._lock = threading.Lock()
        self.rps = None
        self.per = "token"
        self.answer = "429"
        self.retry_after = True
        self._buckets = {}

    def set(self, rps, per="token", answer="429", retry_after=True):
        if per not in RATE_SCOPES:
            raise FaultError("per must be one of %s" % ", ".join(RATE_SCOPES))
        if str(answer) not in RATE_ANSWERS:
            raise FaultError("answer must be one of %s" % ", ".join(RATE_ANSWERS))
        with self._lock:
            self.rps = None if rps is None else float(rps)
            self.per = per
            self.answer = str(answer)
            self.retry_after = bool(retry_after)
            self._buckets = {}

    def settings(self):
        return {"rps": self.rps, "per": self.per, "answer": self.answer, "retry_after": self.retry_after}

    def check(self, key, now):
        """None when allowed, else the integer seconds to put in Retry-After."""
        if self.rps is None:
            return None
        with self._lock:
            rps = self.rps
            capacity = max(1.0, rps)
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rps)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            wait = (1.0 - tokens) / rps if rps > 0 else 60.0
            return max(1, int(math.ceil(wait)))
