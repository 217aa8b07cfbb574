"""Helpers for pytest: run the emulator in-process and drive its admin API.

    from ecs_emulator.testing import run_emulator

    with run_emulator(time_scale=0.01) as emu:
        emu.info["auth_url"], emu.admin.fault(route="/action$", kind="503")
"""

import contextlib
import re

import requests

from . import auth
from .app import create_app, info_for
from .server import EmulatorServer


class AdminClient:
    """Small client for the ``/__emulator`` admin API."""

    def __init__(self, admin_url, session=None):
        self.url = admin_url.rstrip("/")
        self.session = session or requests.Session()

    def _call(self, method, path, body=None):
        # verify passed per request: a REQUESTS_CA_BUNDLE in the environment would override session.verify
        resp = self.session.request(method, self.url + path, json=body, timeout=30, verify=self.session.verify)
        if resp.status_code >= 400:
            raise AssertionError("admin %s %s failed: %s %s" % (method, path, resp.status_code, resp.text))
        return resp.json() if resp.content else None

    def info(self):
        return self._call("GET", "/info")

    def reset(self, seed="default"):
        return self._call("POST", "/reset", {"seed": seed})

    def seed(self, flavors=None, servers=None, users=None):
        return self._call("POST", "/seed", {"flavors": flavors or [], "servers": servers or [],
                                            "users": users or []})["servers"]

    def config(self, **kw):
        if not kw:
            return self._call("GET", "/config")
        return self._call("POST", "/config", kw)

    def servers(self):
        return self._call("GET", "/servers")["servers"]

    def server(self, server_id):
        return self._call("GET", "/servers/%s" % server_id)

    def set_server(self, server_id, **fields):
        return self._call("PATCH", "/servers/%s" % server_id, fields)

    def delete_server(self, server_id):
        return self._call("DELETE", "/servers/%s" % server_id)

    def sold_out(self, flavor_id, sold_out=True, az=None):
        """Region-wide (``az`` None, also clears per-AZ entries) or in one availability zone."""
        return self._call("POST", "/flavors/%s/sold_out" % flavor_id, {"sold_out": sold_out, "az": az})

    def fault(self, route=".*", method=None, kind="500", count=1, retry_after=None, delay=None, status=None, body=None,
              content_type=None, query=None, rate=None, seed=None, kinds=None):
        """Inject a fault on the next `count` matching requests (`query`: a regex the query string must match too);
        kind "body" answers `status` with `body` as it is; kind "random" faults each matching request with
        probability `rate` (a kind drawn from `kinds`), reproducibly for a `seed`, `count` faults in all."""
        return self._call("POST", "/faults", {"route": route, "method": method, "kind": kind, "count": count,
                                              "retry_after": retry_after, "delay": delay, "status": status,
                                              "body": body, "content_type": content_type, "query": query,
                                              "rate": rate, "seed": seed, "kinds": kinds})

    def faults(self):
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self):
        return self._call("DELETE", "/faults")

    def rate_limit(self, rps, per="token", answer="429", retry_after=True):
        """A token bucket of `rps` requests per second (None: off) per token or access key (`per="token"`) or per
        project (`per="project"`); `answer` "202" throttles /v1 with Common.0024 (otc profiles)."""
        return self._call("POST", "/rate_limit", {"rps": rps, "per": per, "answer": answer, "retry_after": retry_after})

    def requests(self):
        return self._call("GET", "/requests")["requests"]

    def actions(self, server_id=None):
        """The instance actions as stored: epoch times, every event with its start and finish."""
        return self._call("GET", "/actions" + ("?server_id=%s" % server_id if server_id else ""))["actions"]

    def clear_requests(self):
        return self._call("DELETE", "/requests")

    def expire_tokens(self):
        return self._call("POST", "/tokens/expire")

    def change_password(self, user, password):
        """Change a user's password (name or id); the user's tokens are revoked (Keystone's change_password)."""
        return self._call("POST", "/users/%s/password" % user, {"password": password})

    def stats(self):
        return self._call("GET", "/stats")["stats"]

    def count(self, method=None, path_regex=".*", action=None):
        """Number of logged requests with this method (None = any) whose path matches the regex."""
        pattern = re.compile(path_regex)
        return sum(1 for r in self.requests()
                   if (method is None or r["method"] == method.upper()) and pattern.search(r["path"])
                   and (action is None or r.get("action") == action))


class RunningEmulator:
    """What :func:`run_emulator` yields."""

    def __init__(self, app, server, ca_file=None, client_cert=None):
        self.app = app
        self.server = server
        self.emulator = app.emulator
        self.base_url = server.base_url
        self.info = info_for(app.emulator, server.base_url)
        session = requests.Session()
        if ca_file:
            session.verify = ca_file
        if client_cert:
            session.cert = client_cert
        self.admin = AdminClient(self.info["admin_url"], session=session)

    @property
    def compute_url(self):
        return self.info["compute_url"]

    @property
    def project_id(self):
        return self.info["project_id"]

    def token(self, username=None, password=None, project_id=None):
        """A fresh token for the default user (or the given one)."""
        info = self.info
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": username or info["username"], "domain": {"name": info["user_domain_name"]},
            "password": password or info["password"]}}},
            "scope": {"project": {"id": project_id or info["project_id"]}}}}
        resp = requests.post(info["auth_url"] + "/auth/tokens", json=body, timeout=30)
        resp.raise_for_status()
        return resp.headers["X-Subject-Token"]

    def signed_headers(self, method, url, body=b"", headers=None):
        """Headers of an AK/SK-signed request with the default credentials."""
        extra = {"X-Project-Id": self.info["project_id"]}
        if body:
            extra["Content-Type"] = "application/json"
        extra.update(headers or {})
        return auth.sign(self.info["access_key"], self.info["secret_key"], method, url, extra, body)


@contextlib.contextmanager
def run_emulator(time_scale=None, state_file=None, token_ttl=None, seed="default", confirm_window=None,
                 host="127.0.0.1", port=0, tls_cert=None, tls_key=None, profile=None, tls_client_ca=None,
                 ca_file=None, client_cert=None):
    """Start an emulator on a free port in a thread; yields a :class:`RunningEmulator`.

    With tls_cert/tls_key (PEM files) it serves HTTPS; the admin client then trusts ``ca_file`` (default: that
    certificate). With ``tls_client_ca`` it requires client certificates this CA verifies; the admin client
    presents ``client_cert`` (a path, or a (cert, key) pair).
    ``profile``: ``nova``, ``otc`` (the default) or ``otc-swiss``.
    """
    app = create_app(state_file=state_file, seed=seed, time_scale=time_scale, token_ttl=token_ttl,
                     confirm_window=confirm_window, profile=profile)
    server = EmulatorServer(app, host, port, tls_cert=tls_cert, tls_key=tls_key, tls_client_ca=tls_client_ca).start()
    try:
        yield RunningEmulator(app, server, ca_file=ca_file or tls_cert, client_cert=client_cert)
    finally:
        server.stop()
        app.emulator.close()


def write_test_pki(directory, host="127.0.0.1"):
    """A throw-away PKI for TLS tests, written into ``directory`` as PEM files; returns their paths.

    ``ca`` (a CA certificate), ``server_cert``/``server_key`` (for ``host``, signed by the CA), ``client_cert``/
    ``client_key`` (a client certificate signed by the CA), ``client_pem`` (client certificate and key in one
    file), ``other_ca``, ``other_client_cert``/``other_client_key`` (a client certificate of another CA, which
    the emulator must refuse). Needs the ``cryptography`` package (ansible-core's dependency).
    """
    import datetime  # pylint: disable=import-outside-toplevel
    import ipaddress  # pylint: disable=import-outside-toplevel
    import os  # pylint: disable=import-outside-toplevel

    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # pylint: disable=import-outside-toplevel

    now = datetime.datetime.now(datetime.timezone.utc)

    def name(common_name):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    def certificate(subject, key, issuer, issuer_key, ca=False, usage=None, san=None):
        builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if usage:
            builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def pem(cert=None, key=None):
        out = b""
        if cert is not None:
            out += cert.public_bytes(serialization.Encoding.PEM)
        if key is not None:
            out += key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return out

    try:
        san = [x509.IPAddress(ipaddress.ip_address(host))]
    except ValueError:
        san = [x509.DNSName(host)]
    ca_key, other_ca_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("ecs-emulator test CA", ca_key, "ecs-emulator test CA", ca_key, ca=True)
    other_ca = certificate("another CA", other_ca_key, "another CA", other_ca_key, ca=True)
    server_key, client_key, other_key = (ec.generate_private_key(ec.SECP256R1()) for dummy in range(3))
    server = certificate(host, server_key, "ecs-emulator test CA", ca_key, usage=ExtendedKeyUsageOID.SERVER_AUTH, san=san)
    client = certificate("ecs-emulator test client", client_key, "ecs-emulator test CA", ca_key,
                         usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    other = certificate("a client of another CA", other_key, "another CA", other_ca_key, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    files = {"ca": pem(ca), "server_cert": pem(server), "server_key": pem(key=server_key), "client_cert": pem(client),
             "client_key": pem(key=client_key), "client_pem": pem(client, client_key), "other_ca": pem(other_ca),
             "other_client_cert": pem(other), "other_client_key": pem(key=other_key)}
    os.makedirs(directory, exist_ok=True)
    paths = {}
    for label, data in files.items():
        paths[label] = os.path.join(str(directory), label.replace("_", "-") + ".pem")
        with open(paths[label], "wb") as handle:
            handle.write(data)
        os.chmod(paths[label], 0o600)
    return paths
