"""The emulated cloud: identity, flavors, servers, actions, jobs (no HTTP here)."""

import copy
import threading
import time
import uuid
from collections import Counter, deque
from datetime import datetime, timezone

from . import flavor_rules
from . import profiles
from . import seed as seeds
from . import statemachine as sm
from .errors import ECS_ERRORS, ApiError, ecs_error
from .faults import FaultInjector, RateLimiter
from .store import Store

DEFAULT_CONFIG = {
    "time_scale": 1.0,
    "durations": dict(sm.DEFAULT_DURATIONS),
    "token_ttl": 86400.0,
    "confirm_window": None,
    "max_body_bytes": 65536,
    "quota": {"cores": None, "ram": None},
    "profile": profiles.DEFAULT_PROFILE,
}

GIB = 1024 ** 3
ZERO_DISK = "Server disk was unable to be resized because: Resize to zero disk flavor is not allowed."

ACTION_METHODS = {"resize": "resize", "confirmResize": "confirmResize", "revertResize": "revertResize",
                  "os-stop": "stop", "os-start": "start"}

# ECS error codes used on the /v1 routes (appendix/error_codes.rst; README.md cites each).
ECS_BAD_REQUEST = "Ecs.0005"
ECS_FLAVOR_NOT_FOUND = "Ecs.0029"
ECS_SERVER_NOT_FOUND = "Ecs.0114"
ECS_SAME_FLAVOR = "Ecs.0810"
ECS_STATE = "Ecs.0100"
ECS_LOCKED = "Ecs.0605"
ECS_BUSY = "Ecs.0603"
ECS_CAPACITY = "Ecs.0319"
ECS_DEH_REQUIRED = "Ecs.0803"
ECS_PROJECT_MISMATCH = "Ecs.0023"
ECS_EMPTY_BODY = "Common.0002"
ECS_JOB_NOT_FOUND = "Common.0011"

# Nova's metadata_items quota default (nova/conf/quota.py); over it: 403 (MetadataLimitExceeded).
METADATA_ITEMS = 128
# Nova's check_instance_state for metadata writes (nova/compute/api.py update_instance_metadata):
# these vm_states, any task_state.
METADATA_VM_STATES = ("active", "paused", "suspended", "stopped")


def iso_z(ts):
    """Nova server timestamps: 2024-01-31T12:00:00Z."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_us(ts):
    """Nova instance action timestamps: 2024-01-31T12:00:00.000000."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def iso_keystone(ts):
    return iso_us(ts) + "Z"


def iso_ms(ts):
    """ECS job timestamps: 2024-01-31T12:00:00.000Z."""
    return iso_us(ts)[:-3] + "Z"


def new_request_id():
    return "req-" + str(uuid.uuid4())


class RequestLog:
    """The request log and per-route statistics (never holds credentials)."""

    def __init__(self, maxlen=100000):
        self._lock = threading.Lock()
        self._entries = deque(maxlen=maxlen)
        self._seq = 0
        self._stats = Counter()

    def add(self, entry, route=None):
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
            self._stats[(entry["method"], route or entry["path"], entry["status"])] += 1

    def entries(self):
        with self._lock:
            return [dict(e) for e in self._entries]

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._stats.clear()

    def stats(self):
        with self._lock:
            return [{"method": m, "route": r, "status": s, "count": c}
                    for (m, r, s), c in sorted(self._stats.items(), key=lambda kv: (kv[0][1], kv[0][0], str(kv[0][2])))]


class Emulator:
    """All emulator state and behaviour; the Flask app is a thin layer over it."""

    def __init__(self, state_file=None, seed="default", time_scale=None, token_ttl=None,
                 confirm_window=None, max_body_bytes=None, clock=None, profile=None):
        self.store = Store(state_file)
        self.faults = FaultInjector()
        self.rate = RateLimiter()
        self.log = RequestLog()
        self.clock = clock or time.time
        self._tokens = {}
        self._token_lock = threading.Lock()
        self.config = copy.deepcopy(DEFAULT_CONFIG)
        self.features = profiles.features(self.config["profile"])
        if self.store.kv_get("initialized"):
            self.config.update(self.store.kv_get("config", {}))
            self.features = profiles.features(self.config["profile"])
        else:
            self.reset(seed)
        overrides = {}
        for key, value in (("time_scale", time_scale), ("token_ttl", token_ttl),
                           ("max_body_bytes", max_body_bytes), ("profile", profile)):
            if value is not None:
                overrides[key] = value
        if confirm_window is not None:
            overrides["confirm_window"] = confirm_window if confirm_window > 0 else None
        if overrides:
            self.set_config(overrides)
        self.startup_config = copy.deepcopy(self.config)

    def now(self):
        return self.clock()

    @property
    def profile(self):
        """The cloud the emulator plays: ``nova``, ``otc`` or ``otc-swiss`` (see profiles.py)."""
        return self.config["profile"]

    def close(self):
        self.store.close()

    # ------------------------------------------------------------ config
    def set_config(self, values):
        new = copy.deepcopy(self.config)
        for key, value in values.items():
            if key == "durations":
                if not isinstance(value, dict):
                    raise ValueError("durations must be an object")
                for name, seconds in value.items():
                    if name not in sm.DEFAULT_DURATIONS:
                        raise ValueError("unknown duration %r" % name)
                    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
                        raise ValueError("duration %s must be a number >= 0" % name)
                    new["durations"][name] = float(seconds)
            elif key in ("time_scale", "token_ttl"):
                if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                    raise ValueError("%s must be a number >= 0" % key)
                new[key] = float(value)
            elif key == "confirm_window":
                if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
                    raise ValueError("confirm_window must be a number >= 0 or null")
                new[key] = None if value is None else float(value)
            elif key == "quota":
                if not isinstance(value, dict):
                    raise ValueError("quota must be an object")
                for name, limit in value.items():
                    if name not in ("cores", "ram"):
                        raise ValueError("unknown quota %r" % name)
                    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
                        raise ValueError("quota %s must be an integer >= 0 or null" % name)
                    new["quota"][name] = limit
            elif key == "max_body_bytes":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise ValueError("max_body_bytes must be a positive integer")
                new[key] = value
            elif key == "profile":
                if value not in profiles.PROFILES:
                    raise ValueError("profile must be one of %s" % ", ".join(profiles.PROFILES))
                new[key] = value
            else:
                raise ValueError("unknown config key %r" % key)
        self.config = new
        self.features = profiles.features(new["profile"])
        self.store.kv_set("config", new)
        return copy.deepcopy(new)

    # ------------------------------------------------------------ reset / seed
    def reset(self, seed="default", config=None):
        if seed not in ("default", "empty"):
            raise ValueError("seed must be 'default' or 'empty'")
        with self.store.tx():
            self.store.wipe()
            self.store.kv_set("initialized", True)
            self.config = copy.deepcopy(config if config is not None else DEFAULT_CONFIG)
            self.features = profiles.features(self.config["profile"])
            self.store.kv_set("config", self.config)
            self._put_project(seeds.default_project())
            self._put_user(seeds.default_user())
            if seed == "default":
                for flavor in seeds.default_flavors():
                    self.put_flavor(flavor)
                base = self.now() - 3600
                for i, server in enumerate(seeds.default_servers()):
                    self.put_server(server, created=base + i * 60)
        with self._token_lock:
            self._tokens = {}
        self.faults.clear()
        self.rate.set(None)
        self.log.clear()

    def seed(self, flavors=None, servers=None, users=None):
        created = []
        with self.store.tx():
            for flavor in flavors or []:
                self.put_flavor(flavor)
            for user in users or []:
                self.put_user(user)
            for server in servers or []:
                created.append(self.put_server(server))
        return [self.admin_view(s["id"]) for s in created]

    def put_flavor(self, spec):
        if not isinstance(spec, dict) or not spec.get("id") and not spec.get("name"):
            raise ValueError("a flavor needs an id or a name")
        fid = str(spec.get("id") or spec["name"])
        extra_specs = dict(spec.get("extra_specs") or {})
        # availability is kept in sold_out / az_status and rendered back into these two extra_specs
        region_status = extra_specs.pop("cond:operation:status", None)
        az_status = flavor_rules.parse_az_status(extra_specs.pop("cond:operation:az", None))
        az_status.update(spec.get("az_status") or {})
        flavor = {
            "id": fid,
            "name": str(spec.get("name") or fid),
            "vcpus": int(spec.get("vcpus", 1)),
            "ram": int(spec.get("ram", 1024)),
            "disk": int(spec.get("disk", 0)),
            "ephemeral": int(spec.get("ephemeral", 0)),
            "swap": int(spec.get("swap", 0)),
            "is_public": bool(spec.get("is_public", True)),
            "sold_out": bool(spec.get("sold_out", region_status in flavor_rules.SOLD_OUT_STATUSES)),
            "az_status": az_status,
            "extra_specs": extra_specs,
        }
        self.store.put("flavor", fid, flavor)
        return flavor

    def _put_project(self, project):
        self.store.put("project", project["id"], project)

    def put_user(self, spec):
        if not isinstance(spec, dict) or not spec.get("name") or not spec.get("password"):
            raise ValueError("a user needs a name and a password")
        domain_name = spec.get("domain_name") or seeds.DEFAULT_DOMAIN_NAME
        domain_id = spec.get("domain_id") or (seeds.DEFAULT_DOMAIN_ID if domain_name == seeds.DEFAULT_DOMAIN_NAME
                                              else uuid.uuid5(uuid.NAMESPACE_DNS, domain_name).hex)
        project_id = spec.get("project_id")
        project_name = spec.get("project_name")
        if project_name and not project_id:
            found = self.find_project(project_name, domain_id=domain_id)
            project_id = found["id"] if found else uuid.uuid4().hex
        project_id = project_id or seeds.DEFAULT_PROJECT_ID
        if not self.store.get("project", project_id):
            self._put_project({"id": project_id, "name": project_name or "project-" + project_id[:8],
                               "domain_id": domain_id, "domain_name": domain_name})
        user = {"id": spec.get("id") or uuid.uuid4().hex, "name": spec["name"], "password": spec["password"],
                "domain_id": domain_id, "domain_name": domain_name, "project_id": project_id,
                "access_key": spec.get("access_key"), "secret_key": spec.get("secret_key"),
                "admin": bool(spec.get("admin", False))}
        self._put_user(user)
        for cred in spec.get("application_credentials") or []:
            self.put_application_credential(user, cred)
        for cred in spec.get("temporary_credentials") or []:
            self.put_temporary_credential(user, cred)
        return user

    @staticmethod
    def _expiry(spec, what):
        value = spec.get("expires_at")
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise ValueError("expires_at of %s must be epoch seconds or null" % what)
        return None if value is None else float(value)

    def put_application_credential(self, user, spec):
        """A Keystone application credential of ``user`` (keystone api-ref ``v3/application-credentials.inc``):
        ``{name, secret, id?, project_id? (default: the user's project), expires_at? (epoch seconds, null =
        never), description?, unrestricted?}``. A name is unique per user (an older one of that name is replaced)."""
        if not isinstance(spec, dict) or not spec.get("name") or not spec.get("secret"):
            raise ValueError("an application credential needs a name and a secret")
        project_id = str(spec.get("project_id") or user["project_id"])
        if not self.get_project(project_id):
            raise ValueError("unknown project %r for application credential %r" % (project_id, spec["name"]))
        doc = {"id": str(spec.get("id") or uuid.uuid4().hex), "name": str(spec["name"]), "secret": str(spec["secret"]),
               "user_id": user["id"], "project_id": project_id, "description": spec.get("description"),
               "expires_at": self._expiry(spec, "application credential %r" % spec["name"]),
               "unrestricted": bool(spec.get("unrestricted", False))}
        for old in self.application_credentials(user["id"]):
            if old["name"] == doc["name"] and old["id"] != doc["id"]:
                self.store.delete("application_credential", old["id"])
        self.store.put("application_credential", doc["id"], doc, parent=user["id"])
        return doc

    def application_credentials(self, user_id):
        return self.store.list("application_credential", parent=user_id)

    def application_credential(self, credential_id):
        return self.store.get("application_credential", credential_id)

    def put_temporary_credential(self, user, spec):
        """A temporary access key of ``user`` (IAM ``apis/access_key_management/obtaining_a_temporary_ak_sk.rst``):
        ``{access_key, secret_key, security_token, expires_at? (epoch seconds, null = never)}``. Requests signed with
        it must carry the security token in a signed ``X-Security-Token`` header (reqauth.py)."""
        if not isinstance(spec, dict) or not all(spec.get(k) for k in ("access_key", "secret_key", "security_token")):
            raise ValueError("a temporary credential needs an access_key, a secret_key and a security_token")
        doc = {"access_key": str(spec["access_key"]), "secret_key": str(spec["secret_key"]), "user_id": user["id"],
               "security_token": str(spec["security_token"]),
               "expires_at": self._expiry(spec, "temporary credential %r" % spec["access_key"])}
        self.store.put("credential", doc["access_key"], doc)
        return doc

    def _put_user(self, user):
        self.store.put("user", user["id"], user)
        if user.get("access_key") and user.get("secret_key"):
            self.store.put("credential", user["access_key"],
                           {"access_key": user["access_key"], "secret_key": user["secret_key"], "user_id": user["id"]})

    def put_server(self, spec, created=None):
        if not isinstance(spec, dict) or not spec.get("name"):
            raise ValueError("a server needs a name")
        flavor_id = spec.get("flavor") or spec.get("flavor_id")
        if not flavor_id or not self.store.get("flavor", str(flavor_id)):
            raise ValueError("unknown flavor %r" % flavor_id)
        status = str(spec.get("status", "ACTIVE")).upper()
        vm_state = {"ACTIVE": "active", "SHUTOFF": "stopped", "ERROR": "error"}.get(status)
        if vm_state is None:
            raise ValueError("status must be ACTIVE, SHUTOFF or ERROR")
        now = self.now()
        created = now if created is None else created
        doc = {
            "id": str(spec.get("id") or uuid.uuid4()),
            "name": str(spec["name"]),
            "project_id": spec.get("project_id") or seeds.DEFAULT_PROJECT_ID,
            "user_id": spec.get("user_id") or seeds.DEFAULT_USER_ID,
            "created": created,
            "metadata": dict(spec.get("metadata") or {}),
            "locked": bool(spec.get("locked", False)),
            "fault": None,
            "state": sm.initial_state(vm_state, str(flavor_id), created),
            "op": None,
            # Nova keeps max(image min_disk, boot flavor disk) as the image's min_disk: a resize
            # below it is refused at the API; a server with no local disk (disk 0) has none.
            "boot_disk": int(spec.get("boot_disk", self.store.get("flavor", str(flavor_id))["disk"])),
            "availability_zone": str(spec.get("availability_zone") or seeds.AVAILABILITY_ZONE),
            # a server on a dedicated host (DeH): OTC shows it in os:scheduler_hints
            "dedicated_host_id": spec.get("dedicated_host_id") or None,
        }
        doc["addresses"] = seeds.server_addresses(doc["id"], spec.get("addresses"))
        doc["tags"] = seeds.server_tags(spec.get("tags"))
        if vm_state == "error":
            doc["fault"] = {"code": 500, "message": spec.get("fault") or "Emulated failure", "created": iso_z(now)}
        self.store.put("server", doc["id"], doc, parent=doc["project_id"])
        build = sm.new_event("compute__do_build_and_run_instance", created + 0.5, created + 5.0)
        self._record_action(doc, "create", new_request_id(), {"user_id": doc["user_id"], "project_id": doc["project_id"]},
                            created, [build])
        return doc

    # ------------------------------------------------------------ identity
    def _find_named(self, kind, name, domain_id=None, domain_name=None):
        """The first stored `kind` (project, user) with this name, in the given domain if one is given."""
        for item in self.store.list(kind):
            if item["name"] != name:
                continue
            if domain_id is not None and item["domain_id"] != domain_id:
                continue
            if domain_name is not None and item["domain_name"] != domain_name:
                continue
            return item
        return None

    def find_project(self, name, domain_id=None, domain_name=None):
        return self._find_named("project", name, domain_id, domain_name)

    def get_project(self, project_id):
        return self.store.get("project", project_id)

    def find_user(self, user_id=None, name=None, domain_id=None, domain_name=None):
        if user_id:
            return self.store.get("user", user_id)
        return self._find_named("user", name, domain_id, domain_name)

    def issue_token(self, user, project, methods, token_id, expires_at=None, application_credential=None):
        """A new token; ``expires_at`` caps its lifetime (a rescoped token keeps the expiry of the token it was
        made from, a token of an application credential ends with the credential: keystone's token provider)."""
        now = self.now()
        expires = now + self.config["token_ttl"]
        if expires_at is not None:
            expires = min(expires, expires_at)
        doc = {"id": token_id, "user_id": user["id"], "user_name": user["name"], "admin": bool(user.get("admin")),
               "domain_id": user["domain_id"], "domain_name": user["domain_name"],
               "project": project, "methods": methods, "issued_at": now,
               "expires_at": expires}
        if application_credential is not None:
            doc["application_credential"] = {"id": application_credential["id"], "name": application_credential["name"],
                                             "restricted": not application_credential.get("unrestricted")}
        self.store.put("token", token_id, doc)
        with self._token_lock:
            self._tokens[token_id] = doc
        return doc

    def validate_token(self, token_id):
        """The token document if the token is known and not expired, else None."""
        doc = self._tokens.get(token_id)
        if doc is None:
            doc = self.store.get("token", token_id)
            if doc is None:
                return None
            with self._token_lock:
                self._tokens[token_id] = doc
        if doc["expires_at"] <= self.now():
            return None
        return doc

    def expire_tokens(self):
        now = self.now() - 1

        def expire(doc):
            doc["expires_at"] = min(doc["expires_at"], now)
            return doc

        self.store.update_all("token", expire)
        with self._token_lock:
            self._tokens = {}

    def change_password(self, user, password):
        """A new password for the user (name or id); every token of the user is revoked (keystone
        identity/core.py change_password persists a revocation event for the user). KeyError: no such user."""
        found = self.find_user(user_id=user) or self.find_user(name=user)
        if found is None:
            raise KeyError(user)
        found = dict(found, password=password)
        self._put_user(found)
        now = self.now() - 1
        revoked = []

        def revoke(doc):
            if doc.get("user_id") == found["id"] and doc["expires_at"] > now:
                revoked.append(doc["id"])
                doc["expires_at"] = now
            return doc

        self.store.update_all("token", revoke)
        with self._token_lock:
            self._tokens = {}
        return {"name": found["name"], "revoked_tokens": len(revoked)}

    def credential(self, access_key):
        return self.store.get("credential", access_key)

    # ------------------------------------------------------------ flavors
    def flavors(self):
        return sorted(self.store.list("flavor"), key=lambda f: f["id"])

    def flavor(self, flavor_id):
        return self.store.get("flavor", flavor_id)

    def set_sold_out(self, flavor_id, sold_out, az=None):
        """Region-wide (``az`` None: also clears the per-AZ entries) or in one AZ (its
        ``cond:operation:az`` entry becomes ``sellout`` or ``normal``)."""
        with self.store.tx():
            flavor = self.flavor(flavor_id)
            if flavor is None:
                raise ApiError(404, "Flavor %s could not be found." % flavor_id, style="plain")
            if az is None:
                flavor["sold_out"] = bool(sold_out)
                flavor["az_status"] = {}
            else:
                flavor.setdefault("az_status", {})[str(az)] = "sellout" if sold_out else "normal"
            self.store.put("flavor", flavor_id, flavor)
        return flavor

    RESIZE_SORT_KEYS = {"flavorid": "id", "id": "id", "name": "name", "memory_mb": "ram", "ram": "ram",
                        "vcpus": "vcpus", "root_gb": "disk", "disk": "disk"}

    def resize_flavors(self, project_id, instance_uuid=None, source_flavor_id=None, source_flavor_name=None,
                       sort_key="flavorid", sort_dir="asc"):
        """The target flavors of a server or a flavor (ECS resize_flavors), sorted; not paginated.

        Disk rules (servers with a local disk only) and the user guide's family rules
        (flavor_rules.py): a D2 / ultra-high I/O source has no targets, a GPU or large-memory
        flavor only its own family."""
        if instance_uuid:
            doc = self.server_doc(instance_uuid)
            if doc is None or doc["project_id"] != project_id:
                raise ecs_error(ECS_SERVER_NOT_FOUND)
            source = self.flavor(self.state_of(doc)["flavor_id"])
        elif source_flavor_id:
            source = self.flavor(source_flavor_id)
        elif source_flavor_name:
            source = next((f for f in self.flavors() if f["name"] == source_flavor_name), None)
        else:
            raise ecs_error(ECS_BAD_REQUEST, "Invalid parameter: one of instance_uuid, source_flavor_id and "
                                             "source_flavor_name is required.")
        if source is None:
            raise ecs_error(ECS_FLAVOR_NOT_FOUND)
        if sort_key not in self.RESIZE_SORT_KEYS or sort_dir not in ("asc", "desc"):
            raise ecs_error(ECS_BAD_REQUEST, "Invalid parameter: sort_key must be one of flavorid, name, memory_mb, "
                                             "vcpus, root_gb and sort_dir asc or desc.")
        field = self.RESIZE_SORT_KEYS[sort_key]
        rules = self.features["flavor_family_rules"]
        targets = [f for f in self.flavors()
                   if f["id"] != source["id"] and f["disk"] >= source["disk"]
                   and not (source["disk"] > 0 and f["disk"] == 0)
                   and not (rules and flavor_rules.family_violation(source, f))]
        targets.sort(key=lambda f: (f[field], f["id"]), reverse=sort_dir == "desc")
        return targets

    # ------------------------------------------------------------ servers
    def server_doc(self, server_id):
        return self.store.get("server", server_id)

    def state_of(self, doc, now=None):
        return sm.derive(doc, self.now() if now is None else now, self.config["confirm_window"],
                         sm.STATUS_MAPS[self.features["status_table"]])

    def servers(self, project_id):
        return self.store.list("server", parent=project_id)

    def list_servers(self, project_id, name=None, statuses=None, tags=(), now=None, changes_since=None):
        """``(doc, state)`` of the project's servers, newest first (Nova's default sort, created_at
        descending, then id), that match: ``name`` a predicate on the name, ``statuses`` a set of
        statuses (None: any), ``tags`` every one of them among the server's tags, ``changes_since``
        (epoch seconds) updated at or after it, deleted servers included (status DELETED), as Nova
        34 does (tests/nova/FINDINGS.md, "changes-since")."""
        now = self.now() if now is None else now
        docs = self.servers(project_id)
        if changes_since is not None:
            docs = docs + self.store.list("deleted_server", parent=project_id)
        found = []
        for doc in sorted(docs, key=lambda d: (d["created"], d["id"]), reverse=True):
            if name is not None and not name(doc["name"]):
                continue
            if tags and not set(tags) <= set(doc.get("tags") or []):
                continue
            state = self.deleted_state(doc) if "deleted_at" in doc else self.state_of(doc, now)
            if changes_since is not None and state["updated"] < changes_since:
                continue
            if statuses is not None and state["status"] not in statuses:
                continue
            found.append((doc, state))
        return found

    @staticmethod
    def deleted_state(doc):
        """What Nova shows of a deleted server (ComputeManager._delete_instance): vm_state deleted, no task,
        power_state 0 (NOSTATE), status DELETED, updated when it was deleted; the flavor it had."""
        state = dict(doc["state"], vm_state="deleted", task_state=None, power_state=0, updated=doc["deleted_at"])
        state.update(status="DELETED", busy=False, op_kind=None, new_flavor_id=None)
        return state

    def _settled(self, server_id, now):
        doc = self.server_doc(server_id)
        if doc is None:
            return None
        return sm.settle(doc, now, self.config["confirm_window"])

    def _save_server(self, doc):
        self.store.put("server", doc["id"], doc, parent=doc["project_id"])

    def _record_action(self, doc, action, request_id, principal, now, events, failed=False):
        end = max([now] + [e["finish"] for e in events])
        record = {"request_id": request_id, "server_id": doc["id"], "action": action,
                  "user_id": principal["user_id"], "project_id": principal["project_id"],
                  "start": now, "end": end, "failed": failed, "events": events}
        self.store.put("action", request_id, record, parent=doc["id"])

    @staticmethod
    def _check_state(doc, state, method, vm_states):
        if doc.get("locked"):
            raise ApiError(409, "Instance %s is locked" % doc["id"])
        if state["vm_state"] not in vm_states:
            raise ApiError(409, "Cannot '%s' instance %s while it is in vm_state %s"
                           % (method, doc["id"], state["vm_state"]))
        if state["task_state"] is not None:
            raise ApiError(409, "Cannot '%s' instance %s while it is in task_state %s"
                           % (method, doc["id"], state["task_state"]))

    def _check_quota(self, doc, state, flavor):
        """Nova's upsize quota check (cores, ram): 403, not 413."""
        quota = self.config.get("quota") or {}
        current = self.flavor(state["flavor_id"]) or {"vcpus": 0, "ram": 0}
        deltas = {"cores": flavor["vcpus"] - current["vcpus"], "ram": flavor["ram"] - current["ram"]}
        used = {"cores": 0, "ram": 0}
        for other in self.servers(doc["project_id"]):
            other_flavor = self.flavor(self.state_of(other)["flavor_id"]) or {"vcpus": 0, "ram": 0}
            used["cores"] += other_flavor["vcpus"]
            used["ram"] += other_flavor["ram"]
        overs = [name for name in ("cores", "ram")
                 if quota.get(name) is not None and deltas[name] > 0 and used[name] + deltas[name] > quota[name]]
        if overs:
            def join(values):
                return ", ".join(str(v) for v in values)
            raise ApiError(403, "Quota exceeded for %s: Requested %s, but already used %s of %s %s"
                           % (join(overs), join(deltas[o] for o in overs), join(used[o] for o in overs),
                              join(quota[o] for o in overs), join(overs)))

    def _check_family(self, source, target, style):
        """OTC: the user guide's flavor family rules (flavor_rules.py); Nova has none."""
        if not self.features["flavor_family_rules"] or source is None:
            return
        violation = flavor_rules.family_violation(source, target)
        if violation is None:
            return
        reason, message = violation
        if style == "nova":
            raise ApiError(400, message)
        raise ecs_error(self.features["family_codes"].get(reason, ECS_BAD_REQUEST), message)

    def _check_dedicated_host(self, doc, given, style):
        """OTC (change_history.rst 2018-03-30, Swiss appendix Ecs.0803): resizing a server on a
        dedicated host needs that host's id; another id is refused (Ecs.0005, a choice)."""
        if not self.features["dedicated_hosts"]:
            return
        host = doc.get("dedicated_host_id")
        if given is None:
            if host:
                if style == "nova":
                    raise ApiError(400, ECS_ERRORS[ECS_DEH_REQUIRED][1])
                raise ecs_error(ECS_DEH_REQUIRED)
            return
        if given != host:
            message = "Invalid parameter: dedicated_host_id %s is not the dedicated host of ECS %s." % (given, doc["id"])
            if style == "nova":
                raise ApiError(400, message)
            raise ecs_error(ECS_BAD_REQUEST, message)

    def _nova_resize_target(self, doc, state, flavor_ref):
        """The target flavor and the planned failure (None or "disk_down"), in Nova's order of checks.

        Nova: unknown flavor, zero-disk target of a server with a local disk, same flavor,
        quota (403), below the boot disk (the image's min_disk) at the API; below the current
        disk but not the boot disk is accepted and refused by the compute (libvirt), a rollback.
        OTC adds the flavor family rules.
        """
        flavor = self.flavor(flavor_ref)
        if flavor is None:
            raise ApiError(400, "Flavor %s could not be found." % flavor_ref)
        source = self.flavor(state["flavor_id"])
        current = source or {"disk": 0}
        if current["disk"] > 0 and flavor["disk"] == 0:
            raise ApiError(400, ZERO_DISK)
        if flavor["id"] == state["flavor_id"]:
            raise ApiError(400, "When resizing, instances must change flavor!")
        self._check_quota(doc, state, flavor)
        boot_disk = doc.get("boot_disk", current["disk"])
        if 0 < flavor["disk"] < boot_disk:
            raise ApiError(400, "Flavor's disk is smaller than the minimum size specified in image metadata. "
                           "Flavor disk is %d bytes, minimum size is %d bytes." % (flavor["disk"] * GIB, boot_disk * GIB))
        self._check_family(source, flavor, "nova")
        return flavor, ("disk_down" if flavor["disk"] < current["disk"] else None)

    def _ecs_resize_target(self, state, flavor_ref):
        """The native resize's flavor checks: unknown (Ecs.0029), the same (Ecs.0810), the family
        rules, and for a server with a local disk a smaller or zero disk (the ECS rule)."""
        flavor = self.flavor(flavor_ref)
        if flavor is None:
            raise ecs_error(ECS_FLAVOR_NOT_FOUND)
        if flavor["id"] == state["flavor_id"]:
            raise ecs_error(ECS_SAME_FLAVOR)
        source = self.flavor(state["flavor_id"])
        self._check_family(source, flavor, "ecs")
        current = source or {"disk": 0}
        if current["disk"] > 0 and (flavor["disk"] == 0 or flavor["disk"] < current["disk"]):
            problem = ("Resize to zero disk flavor is not allowed." if flavor["disk"] == 0
                       else "Resizing to a smaller disk flavor is not allowed.")
            raise ecs_error(self.features["family_codes"].get("disk", ECS_BAD_REQUEST),
                            "Server disk was unable to be resized because: " + problem)
        return flavor

    def _sold_out_for(self, doc, flavor):
        return flavor_rules.sold_out_in(flavor, doc.get("availability_zone") or seeds.AVAILABILITY_ZONE)

    def server_action(self, project_id, server_id, action, arg, principal, request_id):
        """Run a Nova server action (already parsed and schema-checked); the ``arg`` of a resize is
        ``{"flavorRef": <id>, "dedicated_host_id": <id or None>}``."""
        method = ACTION_METHODS[action]
        durations = self.config["durations"]
        scale = self.config["time_scale"]
        with self.store.tx():
            now = self.now()
            doc = self._settled(server_id, now)
            if doc is None or doc["project_id"] != project_id:
                raise ApiError(404, "Instance %s could not be found." % server_id)
            state = self.state_of(doc, now)
            failed = False
            if action == "resize":
                self._check_state(doc, state, method, ("active", "stopped"))
                flavor, failure = self._nova_resize_target(doc, state, arg["flavorRef"])
                self._check_dedicated_host(doc, arg.get("dedicated_host_id"), "nova")
                if self._sold_out_for(doc, flavor):
                    failure = "no_valid_host"
                op, events, _end, failed = sm.plan_resize(state, now, flavor["id"], durations, scale, failure=failure,
                                                          stop_first=self.features["stop_for_resize"])
            elif action in ("confirmResize", "revertResize"):
                self._check_state(doc, state, method, ("resized",))
                if state["busy"]:
                    # a confirm is under way: Nova's migration is no longer "finished"
                    raise ApiError(400, "Instance has not been resized.")
                if action == "confirmResize":
                    op, events, _end = sm.plan_confirm(state, now, durations, scale)
                else:
                    op, events, _end = sm.plan_revert(state, now, durations, scale,
                                                      powering_off=self.features["revert_powering_off"])
            elif action == "os-stop":
                self._check_state(doc, state, method, ("active", "error"))
                op, events, _end = sm.plan_power(state, now, durations, scale, start=False)
            else:
                self._check_state(doc, state, method, ("stopped",))
                op, events, _end = sm.plan_power(state, now, durations, scale, start=True)
            doc["op"] = op
            self._save_server(doc)
            self._record_action(doc, action if action in ("resize", "confirmResize", "revertResize") else method,
                                request_id, principal, now, events, failed)

    # ------------------------------------------------------------ ECS native API and jobs
    def _ecs_server(self, project_id, server_id, now):
        doc = self._settled(server_id, now)
        if doc is None or doc["project_id"] != project_id:
            raise ecs_error(ECS_SERVER_NOT_FOUND)
        return doc

    def v1_resize(self, project_id, server_id, flavor_ref, dry_run, principal, request_id, mode=None,
                  dedicated_host_id=None):
        """The native resize (apis_recommended/status_management/modifying_the_specifications_of_an_ecs.rst).

        Returns the job id; None for a dry run that would be accepted (nothing changes).
        Checks in this order: server (Ecs.0114), lock (Ecs.0605), an operation in progress
        (Ecs.0603), state (Ecs.0100: stopped only, a running one too with mode withStopServer),
        flavor (Ecs.0029, Ecs.0810, family rules, disk), dedicated host (Ecs.0803). A flavor sold
        out in the server's AZ is accepted and the job fails (Ecs.0319), the server back as it was.
        """
        durations = self.config["durations"]
        scale = self.config["time_scale"]
        with self.store.tx():
            now = self.now()
            doc = self._ecs_server(project_id, server_id, now)
            state = self.state_of(doc, now)
            if doc.get("locked"):
                raise ecs_error(ECS_LOCKED)
            if state["task_state"] is not None or state["busy"]:
                raise ecs_error(ECS_BUSY)
            allowed = ("stopped", "active") if mode == "withStopServer" else ("stopped",)
            if state["vm_state"] not in allowed:
                raise ecs_error(ECS_STATE)
            flavor = self._ecs_resize_target(state, flavor_ref)
            self._check_dedicated_host(doc, dedicated_host_id, "ecs")
            if dry_run:
                return None
            failure = "no_valid_host" if self._sold_out_for(doc, flavor) else None
            op, events, end, failed = sm.plan_resize(state, now, flavor["id"], durations, scale, failure=failure,
                                                     verify=False, restart=mode == "withStopServer")
            doc["op"] = op
            self._save_server(doc)
            self._record_action(doc, "resize", request_id, principal, now, events, failed)
            error = (ECS_CAPACITY, ECS_ERRORS[ECS_CAPACITY][1]) if failed else None
            sub = self._sub_job("resizeServer", doc["id"], now, end, error)
            return self._put_job(project_id, "resizeServer", now, [sub], server_id=doc["id"])

    def v1_batch_power(self, project_id, action, server_ids, principal, request_id):
        """Batch stop / start (apis_recommended/batch_operations/stopping_ecss_in_a_batch.rst,
        starting_ecss_in_a_batch.rst): one job, one sub-job per server.

        An unknown server refuses the whole request (404 Ecs.0114, nothing changes); a server
        that cannot be stopped or started (locked Ecs.0605, busy Ecs.0603, wrong state Ecs.0100,
        also one already stopped/started) gets a failed sub-job, the others go on.
        """
        start = action == "os-start"
        allowed = ("stopped",) if start else ("active", "error")
        sub_type = "startServer" if start else "stopServer"
        durations = self.config["durations"]
        scale = self.config["time_scale"]
        with self.store.tx():
            now = self.now()
            docs = []
            for server_id in dict.fromkeys(server_ids):
                doc = self._settled(server_id, now)
                if doc is None or doc["project_id"] != project_id:
                    raise ecs_error(ECS_SERVER_NOT_FOUND, "The ECS does not exist: %s." % server_id)
                docs.append(doc)
            subs = []
            for i, doc in enumerate(docs):
                state = self.state_of(doc, now)
                code = None
                if doc.get("locked"):
                    code = ECS_LOCKED
                elif state["task_state"] is not None or state["busy"]:
                    code = ECS_BUSY
                elif state["vm_state"] not in allowed:
                    code = ECS_STATE
                if code is not None:
                    end = now + durations["action_error_lag"] * scale
                    subs.append(self._sub_job(sub_type, doc["id"], now, end, (code, ECS_ERRORS[code][1])))
                    continue
                op, events, end = sm.plan_power(state, now, durations, scale, start=start)
                doc["op"] = op
                self._save_server(doc)
                self._record_action(doc, "start" if start else "stop", request_id if i == 0 else new_request_id(),
                                    principal, now, events)
                subs.append(self._sub_job(sub_type, doc["id"], now, end))
            return self._put_job(project_id, "batchStartServer" if start else "batchStopServer", now, subs)

    @staticmethod
    def _sub_job(job_type, server_id, begin, end, error=None):
        return {"job_id": uuid.uuid4().hex, "job_type": job_type, "server_id": server_id, "begin": begin,
                "end": end, "failed": error is not None, "error_code": error[0] if error else None,
                "fail_reason": error[1] if error else None}

    def _put_job(self, project_id, job_type, now, subs, server_id=None):
        job_id = uuid.uuid4().hex
        job = {"job_id": job_id, "project_id": project_id, "job_type": job_type, "begin": now,
               "server_id": server_id, "subs": subs}
        self.store.put("job", job_id, job, parent=project_id)
        return job_id

    @staticmethod
    def _upgrade_job(job):
        """A job stored by an older emulator (one resize, no sub-job list) in today's form."""
        if "subs" in job:
            return job
        sub = {"job_id": job["sub_job_id"], "job_type": "resizeServer", "server_id": job["server_id"],
               "begin": job["begin"], "end": job["end"], "failed": bool(job.get("failed")),
               "error_code": job.get("error_code"), "fail_reason": job.get("fail_reason")}
        return {"job_id": job["job_id"], "project_id": job["project_id"], "job_type": "resizeServer",
                "begin": job["begin"], "server_id": job["server_id"], "subs": [sub]}

    def job_view(self, project_id, job_id):
        """A job as seen now (querying_job_execution_status.rst): statuses, end times and failure
        causes of the job and its sub-jobs; an unknown job id is 400 Common.0011."""
        job = self.store.get("job", job_id)
        if job is None or job["project_id"] != project_id:
            raise ecs_error(ECS_JOB_NOT_FOUND)
        job = self._upgrade_job(job)
        now = self.now()
        subs = []
        for sub in job["subs"]:
            status = sm.job_status(sub, now)
            error_code = fail_reason = None
            if status in ("INIT", "RUNNING") and self.server_doc(sub["server_id"]) is None:
                status, error_code, fail_reason = "FAIL", ECS_SERVER_NOT_FOUND, ECS_ERRORS[ECS_SERVER_NOT_FOUND][1]
            elif status == "FAIL":
                error_code, fail_reason = sub["error_code"], sub["fail_reason"]
            done = status in ("SUCCESS", "FAIL")
            subs.append(dict(sub, status=status, error_code=error_code, fail_reason=fail_reason,
                             end=min(now, sub["end"]) if done else None))
        status = sm.job_overall([sub["status"] for sub in subs])
        failed = next((sub for sub in subs if sub["status"] == "FAIL"), None)
        return {"job_id": job["job_id"], "job_type": job["job_type"], "status": status, "begin": job["begin"],
                "end": max(sub["end"] for sub in subs) if status in ("SUCCESS", "FAIL") else None,
                "error_code": failed["error_code"] if status == "FAIL" else None,
                "fail_reason": failed["fail_reason"] if status == "FAIL" else None,
                "server_id": job.get("server_id"), "subs": subs}

    # ------------------------------------------------------------ server metadata
    def _metadata_doc(self, project_id, server_id, now, style):
        doc = self._settled(server_id, now)
        if doc is None or doc["project_id"] != project_id:
            if style == "ecs":
                raise ecs_error(ECS_SERVER_NOT_FOUND)
            raise ApiError(404, "Instance %s could not be found." % server_id)
        return doc

    def _check_metadata_state(self, doc, state, action, style):
        """Nova's update/delete_instance_metadata (check_instance_lock, check_instance_state with
        task_state=None): not locked (409), vm_state active, paused, suspended or stopped (409);
        any task_state is fine (a resize in progress too, tests/nova). OTC's pages state the same
        vm_states."""
        if doc.get("locked"):
            if style == "ecs":
                raise ecs_error(ECS_LOCKED)
            raise ApiError(409, "Instance %s is locked" % doc["id"])
        if state["vm_state"] in METADATA_VM_STATES:
            return
        if style == "ecs":
            raise ecs_error(ECS_STATE)
        raise ApiError(409, "Cannot '%s' instance %s while it is in vm_state %s" % (action, doc["id"], state["vm_state"]))

    def metadata(self, project_id, server_id, key=None):
        """The server's metadata, or ``{key: value}`` of one item (404 "Metadata item was not found")."""
        doc = self._metadata_doc(project_id, server_id, self.now(), "nova")
        items = dict(doc.get("metadata") or {})
        if key is None:
            return items
        if key not in items:
            raise ApiError(404, "Metadata item was not found")
        return {key: items[key]}

    def set_metadata(self, project_id, server_id, items, replace=False, style="nova"):
        """Merge ``items`` into the metadata (``replace``: they become the metadata); returns the
        new metadata. Over Nova's metadata_items quota (128): 403."""
        with self.store.tx():
            now = self.now()
            doc = self._metadata_doc(project_id, server_id, now, style)
            state = self.state_of(doc, now)
            self._check_metadata_state(doc, state, "update metadata", style)
            new = dict(items) if replace else dict(doc.get("metadata") or {}, **items)
            if len(new) > METADATA_ITEMS:
                message = "Maximum number of metadata items exceeds %d" % METADATA_ITEMS
                if style == "ecs":
                    raise ecs_error(ECS_BAD_REQUEST, message)
                raise ApiError(403, message)
            doc["metadata"] = new
            doc["state"]["updated"] = now
            self._save_server(doc)
            return dict(new)

    def delete_metadata(self, project_id, server_id, key):
        with self.store.tx():
            now = self.now()
            doc = self._metadata_doc(project_id, server_id, now, "nova")
            items = dict(doc.get("metadata") or {})
            if key not in items:
                raise ApiError(404, "Metadata item was not found")
            self._check_metadata_state(doc, self.state_of(doc, now), "delete metadata", "nova")
            del items[key]
            doc["metadata"] = items
            doc["state"]["updated"] = now
            self._save_server(doc)

    def actions(self, server_id):
        return self.store.list("action", parent=server_id)

    def action(self, request_id):
        return self.store.get("action", request_id)

    # ------------------------------------------------------------ admin views
    def admin_view(self, server_id):
        doc = self.server_doc(server_id)
        if doc is None:
            return None
        now = self.now()
        state = self.state_of(doc, now)
        return {
            "id": doc["id"], "name": doc["name"], "project_id": doc["project_id"], "user_id": doc["user_id"],
            "status": state["status"], "vm_state": state["vm_state"], "task_state": state["task_state"],
            "power_state": state["power_state"], "phase": state["task_state"] or state["status"],
            "flavor": state["flavor_id"], "old_flavor": state.get("old_flavor_id"),
            "new_flavor": state.get("new_flavor_id"), "locked": doc.get("locked", False),
            "fault": doc.get("fault") if state["vm_state"] == "error" else None,
            "busy": state["busy"], "op": state["op_kind"], "progress": state.get("progress"),
            "resized_from": state.get("resized_from"), "resized_at": state.get("resized_at"),
            "created": doc["created"], "updated": state["updated"], "now": now,
            "metadata": doc.get("metadata", {}), "availability_zone": doc.get("availability_zone"),
            "dedicated_host_id": doc.get("dedicated_host_id"), "addresses": doc.get("addresses") or [],
            "tags": doc.get("tags") or [], "doc": doc,
        }

    def patch_server(self, server_id, fields):
        with self.store.tx():
            now = self.now()
            doc = self.server_doc(server_id)
            if doc is None:
                return None
            doc = sm.settle(doc, now, self.config["confirm_window"], force=True)
            state = doc["state"]
            for key, value in fields.items():
                if key == "locked":
                    doc["locked"] = bool(value)
                elif key in ("name", "metadata", "availability_zone", "dedicated_host_id"):
                    doc[key] = value
                elif key == "addresses":
                    doc[key] = seeds.server_addresses(doc["id"], value)
                elif key == "tags":
                    doc[key] = seeds.server_tags(value)
                elif key == "status":
                    status = str(value).upper()
                    vm_state = {"ACTIVE": "active", "SHUTOFF": "stopped", "ERROR": "error"}.get(status)
                    if vm_state is None:
                        raise ValueError("status must be ACTIVE, SHUTOFF or ERROR")
                    state.update({"vm_state": vm_state, "task_state": None, "old_flavor_id": None,
                                  "resized_from": None, "resized_at": None,
                                  "power_state": sm.power_for(vm_state)})
                    if vm_state == "error":
                        state["power_state"] = int(fields.get("power_state", 4))
                elif key in ("vm_state", "task_state", "power_state", "flavor", "flavor_id", "progress"):
                    state["flavor_id" if key == "flavor" else key] = value
                elif key != "fault":
                    raise ValueError("unknown server field %r" % key)
            if state["vm_state"] == "error":
                message = fields.get("fault") or (doc.get("fault") or {}).get("message") or "Emulated failure"
                if isinstance(message, dict):
                    message = message.get("message", "Emulated failure")
                doc["fault"] = {"code": 500, "message": str(message), "created": iso_z(now)}
            else:
                doc["fault"] = None
            state["updated"] = now
            self._save_server(doc)
        return self.admin_view(server_id)

    def delete_server(self, server_id):
        """The server is gone (404 everywhere); a listing with changes-since still shows it, as DELETED, like Nova."""
        with self.store.tx():
            now = self.now()
            doc = self.server_doc(server_id)
            if doc is None:
                return False
            doc = sm.settle(doc, now, self.config["confirm_window"], force=True)
            doc["deleted_at"] = now
            self.store.put("deleted_server", doc["id"], doc, parent=doc["project_id"])
            return self.store.delete("server", server_id)
