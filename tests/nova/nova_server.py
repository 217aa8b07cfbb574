# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Serve real upstream OpenStack Nova (from PyPI) on a real socket.

Run with the Python of the Nova venv (scripts/nova.sh builds it from
tests/nova/requirements.txt):

    python nova_server.py --port 0 --ready-file FILE [--step-delay SECONDS]

The process is put together the way Nova's own functional tests do it
(``nova.tests.functional.integrated_helpers._IntegratedTestBase`` and the
fixtures in ``nova.tests.fixtures``): native threads instead of eventlet,
sqlite databases, the ``fake://`` oslo.messaging transport with casts left
asynchronous, Nova's fake Glance/Neutron/Cinder, the Placement fixture, one
conductor, one scheduler and two nova-compute services with the fake virt
driver (each RPC server with a pool of 8 workers instead of 64, see
``_setup_services``). The difference is the API: instead of wsgi-intercept, Nova's own
``osapi_compute`` paste application (the real middleware pipeline:
request ids, fault wrapper, microversions, policy) is served over HTTP on
127.0.0.1, with Keystone's auth_token middleware replaced by a tiny filter
that accepts ``X-Auth-Token: <user>:<project_id>``.

When everything is up, flavors are created and servers booted *through the
API*, and a JSON ready file is written atomically:

    {"compute_url": "http://127.0.0.1:PORT/v2.1/<project_id>",
     "base_url": "http://127.0.0.1:PORT", "token": "demo:<project_id>",
     "admin_token": "admin:<project_id>", "project_id": ...,
     "servers": {name: id}, "flavors": {name: id}, "pid": ..., ...}

SIGTERM (or SIGINT) stops it cleanly.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import logging as std_logging
import os
import signal
import socketserver
import sys
import tempfile
import threading
import time
from wsgiref import simple_server

# Native threads, never eventlet: must be set before anything imports nova.
os.environ['OS_NOVA_DISABLE_EVENTLET_PATCHING'] = '1'
# Nova's test logging fixture keeps INFO logs in memory; DEBUG only on demand.
os.environ.setdefault('OS_DEBUG', '0')

# This package's __init__ runs nova.monkey_patch.patch() (poisons eventlet
# and selects the threading backend of oslo.service). It has to be the first
# nova import: importing nova.tests.fixtures first pulls oslo.service's
# eventlet backend in and patch() then refuses to run.
import nova.tests.functional  # noqa: E402,F401  isort:skip

import fixtures  # noqa: E402
import requests  # noqa: E402

from nova.api.openstack import wsgi_app  # noqa: E402
from nova.api import wsgi as nova_wsgi  # noqa: E402
import nova.conf  # noqa: E402
from oslo_messaging import opts as messaging_opts  # noqa: E402
from nova.tests import fixtures as nova_fixtures  # noqa: E402
from nova.tests.functional import integrated_helpers  # noqa: E402
from nova.virt import fake as fake_virt  # noqa: E402

CONF = nova.conf.CONF
LOG = std_logging.getLogger('ecs_nova_server')

PROJECT_ID = nova_fixtures.PROJECT_ID
ADMIN_USER = 'admin'
COMPUTE_HOSTS = ('host1', 'host2')
IMAGE_ID = nova_fixtures.GlanceFixture.image1['id']
NETWORK_ID = nova_fixtures.NeutronFixture.network_1['id']

# name, id, vcpus, ram MiB, disk GiB
FLAVORS = (
    # OpenStack style: numeric ids, m1.* names (as in devstack / Nova's own
    # DefaultFlavorsFixture).
    ('m1.small', '2', 1, 2048, 20),
    ('m1.medium', '3', 2, 4096, 40),
    ('m1.large', '4', 4, 8192, 80),
    # ECS style: the id is the name. Real ECS shows disk 0 (the root disk is
    # an EVS volume); Nova refuses image-backed servers on zero-disk flavors
    # for non-admins and refuses resizes to a smaller disk, so all ECS-style
    # flavors get the same 40 GiB disk: resizes between them work both ways.
    ('s6.medium.2', 's6.medium.2', 1, 2048, 40),
    ('s6.large.2', 's6.large.2', 2, 4096, 40),
    ('s6.xlarge.2', 's6.xlarge.2', 4, 8192, 40),
    # Probes for two refusals, not for the happy path:
    # - zero disk, the way ECS shows its flavors: Nova refuses to resize an
    #   image-backed server to it (400 at the API);
    ('s6.small.1', 's6.small.1', 1, 1024, 0),
    # - 4 TiB of RAM fits on no fake host: the scheduler finds no valid
    #   host and Nova rolls the resize back by itself (202, then the server
    #   returns to ACTIVE/SHUTOFF on its old flavor, never VERIFY_RESIZE).
    ('s6.giant.2', 's6.giant.2', 4, 4194304, 40),
)

# name, flavor name, final state
SERVERS = (
    ('web-1', 's6.medium.2', 'ACTIVE'),
    ('web-2', 's6.medium.2', 'ACTIVE'),
    ('db-1', 's6.medium.2', 'SHUTOFF'),
    ('app-1', 'm1.small', 'ACTIVE'),
)

DELAYED_DRIVER_STEPS = (
    'migrate_disk_and_power_off', 'finish_migration', 'confirm_migration',
    'finish_revert_migration', 'power_off', 'power_on',
)


# --------------------------------------------------------------------------
# Auth: stands in for keystonemiddleware.auth_token
# --------------------------------------------------------------------------

_IDENTITY_HEADERS = (
    'HTTP_X_IDENTITY_STATUS', 'HTTP_X_SERVICE_IDENTITY_STATUS',
    'HTTP_X_USER_ID', 'HTTP_X_USER', 'HTTP_X_USER_NAME',
    'HTTP_X_USER_DOMAIN_ID', 'HTTP_X_USER_DOMAIN_NAME',
    'HTTP_X_PROJECT_ID', 'HTTP_X_TENANT_ID', 'HTTP_X_TENANT',
    'HTTP_X_PROJECT_NAME', 'HTTP_X_TENANT_NAME',
    'HTTP_X_PROJECT_DOMAIN_ID', 'HTTP_X_PROJECT_DOMAIN_NAME',
    'HTTP_X_ROLES', 'HTTP_X_ROLE', 'HTTP_X_SERVICE_CATALOG',
    'HTTP_X_SERVICE_ROLES', 'HTTP_X_IS_ADMIN_PROJECT',
)


class TokenAuth(object):
    """``X-Auth-Token: <user>:<project_id>`` → Keystone identity headers.

    Does what keystonemiddleware's auth_token does for a valid token (sets
    the X-User-Id/X-Project-Id/X-Roles headers, after dropping any the
    client sent); Nova's own NovaKeystoneContext filter, next in the
    pipeline, builds the RequestContext from them. User ``admin`` gets the
    admin role, everyone else reader+member. Any other token, or none: 401
    with the body keystonemiddleware sends.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        for key in _IDENTITY_HEADERS:
            environ.pop(key, None)
        token = environ.get('HTTP_X_AUTH_TOKEN', '')
        user, sep, project = token.partition(':')
        if not (sep and user and project) or ':' in project:
            return self._unauthorized(start_response)
        roles = ['reader', 'member']
        if user == ADMIN_USER:
            roles.append('admin')
        environ.update({
            'HTTP_X_IDENTITY_STATUS': 'Confirmed',
            'HTTP_X_USER_ID': user,
            'HTTP_X_USER_NAME': user,
            'HTTP_X_USER_DOMAIN_ID': 'default',
            'HTTP_X_USER_DOMAIN_NAME': 'Default',
            'HTTP_X_PROJECT_ID': project,
            'HTTP_X_PROJECT_NAME': project,
            'HTTP_X_PROJECT_DOMAIN_ID': 'default',
            'HTTP_X_PROJECT_DOMAIN_NAME': 'Default',
            'HTTP_X_ROLES': ','.join(roles),
        })
        return self.app(environ, start_response)

    @staticmethod
    def _unauthorized(start_response):
        body = json.dumps({'error': {
            'code': 401, 'title': 'Unauthorized',
            'message': 'The request you have made requires authentication.',
        }}).encode()
        start_response('401 Unauthorized', [
            ('Content-Type', 'application/json'),
            ('Content-Length', str(len(body))),
            ('WWW-Authenticate', 'Keystone uri="http://127.0.0.1/identity"'),
        ])
        return [body]


def token_auth_filter_factory(global_conf, **local_conf):
    return TokenAuth


# --------------------------------------------------------------------------
# HTTP server
# --------------------------------------------------------------------------

class _Handler(simple_server.WSGIRequestHandler):
    # HTTP/1.0, one request per connection: simple and robust with requests.
    def log_message(self, fmt, *args):
        if os.environ.get('ECS_NOVA_ACCESS_LOG'):  # with the time (epoch seconds): tests/bench/real_nova.py reads it
            sys.stderr.write('nova-api %.3f %s\n' % (time.time(), fmt % args))

    def address_string(self):
        return self.client_address[0]


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


# --------------------------------------------------------------------------
# Slow fake driver
# --------------------------------------------------------------------------

def _refuse_disk_shrink(orig):
    """Make the fake driver refuse a smaller root disk, as libvirt does.

    Nova's API accepts a resize to a flavor with a smaller root disk; the
    libvirt driver refuses it on the source compute, in
    migrate_disk_and_power_off (nova/virt/libvirt/driver.py: "Unable to
    resize disk down.", raised as InstanceFaultRollback), and the compute
    manager rolls the server back to its old flavor and state. The fake
    driver has no such check; this adds the libvirt one (image-backed root
    disks only, like libvirt).
    """
    from nova import block_device
    from nova import exception
    from nova.virt import driver as virt_driver

    def migrate_disk_and_power_off(self, context, instance, dest, flavor,
                                   network_info, block_device_info=None,
                                   timeout=0, retry_interval=0):
        # LibvirtDriver._is_booted_from_volume
        booted_from_volume = bool(block_device.get_root_bdm(
            virt_driver.block_device_info_get_mapping(block_device_info)))
        if (flavor.root_gb < instance.flavor.root_gb and
                not booted_from_volume):
            raise exception.InstanceFaultRollback(
                exception.ResizeError(reason='Unable to resize disk down.'))
        return orig(self, context, instance, dest, flavor, network_info,
                    block_device_info=block_device_info, timeout=timeout,
                    retry_interval=retry_interval)

    return migrate_disk_and_power_off


def _slow_down_fake_driver(delay):
    """Give the fake virt driver's resize/power steps a realistic duration.

    Patches the FakeDriver class (all drivers of both computes are
    instances of it); each step sleeps ``delay`` seconds before doing what
    the fake does. migrate_disk_and_power_off also gets libvirt's refusal
    to shrink a root disk (see _refuse_disk_shrink), with or without delay.
    """
    for name in DELAYED_DRIVER_STEPS:
        orig = getattr(fake_virt.FakeDriver, name)
        if name == 'migrate_disk_and_power_off':
            orig = _refuse_disk_shrink(orig)
        if delay <= 0:
            setattr(fake_virt.FakeDriver, name, orig)
            continue

        def slow(self, *args, _orig=orig, _name=name, **kwargs):
            LOG.info('fake driver %s: sleeping %.2fs', _name, delay)
            time.sleep(delay)
            return _orig(self, *args, **kwargs)

        slow.__name__ = name
        slow.__doc__ = orig.__doc__
        setattr(fake_virt.FakeDriver, name, slow)


# --------------------------------------------------------------------------
# The "test case" that holds all of Nova together
# --------------------------------------------------------------------------

class _NoDefaultFlavors(fixtures.Fixture):
    """Replaces DefaultFlavorsFixture: flavors are created through the API."""


class NovaServer(integrated_helpers._IntegratedTestBase):
    """_IntegratedTestBase, with real async casts and a real HTTP API.

    Run like a test (``NovaServer('test_serve').run(result)``) so that
    testtools applies every fixture in setUp and undoes them afterwards;
    ``test_serve`` blocks until SIGTERM.
    """

    # Casts stay asynchronous: status transitions are visible over time.
    CAST_AS_CALL = False
    ADMIN_API = True
    # A temporary oslo.concurrency lock_path, as for most of Nova's
    # functional tests.
    REQUIRES_LOCKING = True

    options = None  # argparse namespace, set by main()
    stop_event = None  # threading.Event, set by main()

    def _setup_services(self):
        self.flags(compute_driver='fake.FakeDriver')
        self.flags(allow_resize_to_same_host=True)
        # Production default (Nova's tests use 'error').
        self.flags(response_validation='warn', group='api')
        # Roomy default quotas (os-quota-sets PUT would ask Keystone to
        # verify the project, and there is no Keystone here).
        self.flags(instances=1000, cores=-1, ram=-1, group='quota')
        # A small pool of RPC workers per service (oslo.messaging's default is 64). The futurist pool behind each RPC
        # server adds a thread on every message until it has them all, and each idle one wakes every second: with the
        # conductor, the scheduler and two computes that is ~260 threads, and on 2 busy cores their turns at the GIL
        # made every API request slow (`make nova` took 740-790 s, 287 s with 8 workers). The pool only caps how many
        # messages a service handles at once; this harness never has more than a few in flight. ECS_NOVA_RPC_WORKERS
        # sets another size.
        for group, opts in messaging_opts.list_opts():  # registered by the first RPC server, which reads it
            if group is None:
                CONF.register_opts([opt for opt in opts if opt.dest == 'executor_thread_pool_size'])
        self.flags(executor_thread_pool_size=int(os.environ.get('ECS_NOVA_RPC_WORKERS', '8')))
        # The wheel installs the paste config under <venv>/etc/nova, not
        # next to the package where ConfFixture's default points.
        self.flags(api_paste_config=_api_paste_ini(), group='wsgi')

        if 'cell1' in self.cell_mappings:
            self.flags(transport_url=self.cell_mappings['cell1'].transport_url)
        self.conductor = self._setup_conductor_service()
        self.addCleanup(self.conductor.stop)
        self.scheduler = self._setup_scheduler_service()
        self.addCleanup(self.scheduler.stop)
        for host in COMPUTE_HOSTS:
            self._start_compute(host)
        self.compute = self.computes[COMPUTE_HOSTS[0]]
        self.addCleanup(self._stop_computes)

        # Like OSAPIFixture, minus wsgi-intercept and the keystone stubs.
        self.useFixture(nova_fixtures.ConfPatcher(debug=True))
        self.useFixture(fixtures.MonkeyPatch(
            'keystonemiddleware.auth_token.filter_factory',
            token_auth_filter_factory))
        app = nova_wsgi.Loader().load_app('osapi_compute')
        wsgi_app._setup_service(CONF.host, 'osapi_compute')
        self.wsgi_app = app

    def test_serve(self):
        opts = self.options
        started = time.monotonic()
        httpd = simple_server.make_server(
            '127.0.0.1', opts.port, self.wsgi_app,
            server_class=_ThreadingWSGIServer, handler_class=_Handler)
        port = httpd.server_address[1]
        base_url = 'http://127.0.0.1:%d' % port
        thread = threading.Thread(
            target=httpd.serve_forever, kwargs={'poll_interval': 0.2},
            name='nova-api-http', daemon=True)
        thread.start()
        self.addCleanup(httpd.server_close)
        self.addCleanup(httpd.shutdown)
        compute_url = '%s/v2.1/%s' % (base_url, PROJECT_ID)

        seed = _Seeder(compute_url, opts.boot_timeout)
        flavors = seed.flavors()
        servers = seed.servers(flavors)

        ready = {
            'compute_url': compute_url,
            'compute_url_no_project': base_url + '/v2.1',
            'base_url': base_url,
            'token': 'demo:%s' % PROJECT_ID,
            'admin_token': '%s:%s' % (ADMIN_USER, PROJECT_ID),
            'project_id': PROJECT_ID,
            'servers': servers,
            'flavors': flavors,
            'image_id': IMAGE_ID,
            'network_id': NETWORK_ID,
            'compute_hosts': list(COMPUTE_HOSTS),
            'step_delay': opts.step_delay,
            'nova_version': _nova_version(),
            'pid': os.getpid(),
            'startup_seconds': round(time.monotonic() - _T0, 2),
            'seed_seconds': round(time.monotonic() - started, 2),
        }
        _write_atomically(opts.ready_file, json.dumps(ready, indent=2))
        print('nova listening on %s' % compute_url, flush=True)
        while not self.stop_event.wait(0.5):
            pass
        LOG.info('stopping')


def _api_paste_ini():
    import nova
    candidates = [
        os.path.join(sys.prefix, 'etc', 'nova', 'api-paste.ini'),
        os.path.join(os.path.dirname(os.path.dirname(nova.__file__)),
                     'etc', 'nova', 'api-paste.ini'),
    ]
    for path in candidates:
        if os.path.exists(path):
            return path
    raise RuntimeError('api-paste.ini not found in %s' % candidates)


def _nova_version():
    try:
        from importlib import metadata
        return metadata.version('nova')
    except Exception:  # pragma: no cover
        return 'unknown'


class _Seeder(object):
    """Creates flavors and boots servers through the real API."""

    def __init__(self, compute_url, timeout):
        self.url = compute_url
        self.timeout = timeout
        self.admin = requests.Session()
        self.admin.headers.update({
            'X-Auth-Token': '%s:%s' % (ADMIN_USER, PROJECT_ID),
            'X-OpenStack-Nova-API-Version': '2.1'})
        self.demo = requests.Session()
        self.demo.headers.update({
            'X-Auth-Token': 'demo:%s' % PROJECT_ID,
            'X-OpenStack-Nova-API-Version': '2.37'})

    @staticmethod
    def _check(resp, *codes):
        if resp.status_code not in codes:
            raise RuntimeError('%s %s -> %s %s' % (
                resp.request.method, resp.request.url, resp.status_code,
                resp.text[:2000]))
        return resp

    def flavors(self):
        result = {}
        for name, fid, vcpus, ram, disk in FLAVORS:
            body = {'flavor': {'name': name, 'id': fid, 'vcpus': vcpus,
                               'ram': ram, 'disk': disk}}
            resp = self._check(self.admin.post(self.url + '/flavors',
                                               json=body), 200)
            result[name] = resp.json()['flavor']['id']
        return result

    def servers(self, flavors):
        ids = {}
        for name, flavor, _final in SERVERS:
            body = {'server': {
                'name': name, 'imageRef': IMAGE_ID,
                'flavorRef': flavors[flavor],
                'networks': [{'uuid': NETWORK_ID}]}}
            resp = self._check(self.demo.post(self.url + '/servers',
                                              json=body), 202)
            ids[name] = resp.json()['server']['id']
        for name, _flavor, _final in SERVERS:
            self._wait(ids[name], name, 'ACTIVE')
        for name, _flavor, final in SERVERS:
            if final == 'SHUTOFF':
                self._check(self.demo.post(
                    '%s/servers/%s/action' % (self.url, ids[name]),
                    json={'os-stop': None}), 202)
        for name, _flavor, final in SERVERS:
            self._wait(ids[name], name, final)
        return ids

    def _wait(self, server_id, name, status):
        deadline = time.monotonic() + self.timeout
        while True:
            resp = self._check(self.demo.get(
                '%s/servers/%s' % (self.url, server_id)), 200)
            server = resp.json()['server']
            if (server['status'] == status and
                    server['OS-EXT-STS:task_state'] is None):
                return server
            if server['status'] == 'ERROR':
                raise RuntimeError('server %s went to ERROR: %s' % (
                    name, server.get('fault')))
            if time.monotonic() > deadline:
                raise RuntimeError('server %s did not reach %s: %s/%s' % (
                    name, status, server['status'],
                    server['OS-EXT-STS:task_state']))
            time.sleep(0.05)


def _write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.nova-ready-', dir=directory)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


class _Result(object):
    """Minimal unittest result that remembers errors."""

    def __init__(self):
        self.problems = []

    def startTest(self, test):
        pass

    def stopTest(self, test):
        pass

    def addSuccess(self, test, details=None):
        pass

    def _add(self, test, err=None, details=None):
        if err is not None:
            import traceback
            self.problems.append(''.join(traceback.format_exception(*err)))
        elif details:
            self.problems.append('\n'.join(
                '%s: %s' % (k, v.as_text()) for k, v in details.items()))
        else:
            self.problems.append('unknown failure')

    addError = addFailure = addUnexpectedSuccess = _add

    def addSkip(self, test, reason=None, details=None):
        self.problems.append('skipped: %s' % reason)

    def addExpectedFailure(self, test, err=None, details=None):
        self._add(test, err, details)


_T0 = time.monotonic()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--port', type=int, default=0,
                        help='TCP port on 127.0.0.1 (0: pick a free one)')
    parser.add_argument('--ready-file', required=True,
                        help='JSON written (atomically) once servers are up')
    parser.add_argument('--step-delay', type=float, default=1.0,
                        help='seconds each fake-driver resize/power step '
                             'takes (default 1.0)')
    parser.add_argument('--boot-timeout', type=float, default=60.0,
                        help='seconds to wait for the seeded servers')
    parser.add_argument('--log-level', default='WARNING',
                        help='level of Nova log lines copied to stderr')
    opts = parser.parse_args(argv)

    _slow_down_fake_driver(opts.step_delay)

    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    NovaServer.options = opts
    NovaServer.stop_event = stop

    # Copy Nova's log lines (otherwise only kept in memory by Nova's
    # StandardLogging fixture) to stderr.
    handler = std_logging.StreamHandler(sys.stderr)
    handler.setLevel(getattr(std_logging, opts.log_level.upper()))
    handler.setFormatter(std_logging.Formatter(
        '%(asctime)s %(levelname)s [%(name)s] %(message)s'))
    std_logging.getLogger().addHandler(handler)

    test = NovaServer('test_serve')
    result = _Result()
    with fixtures.MonkeyPatch('nova.tests.fixtures.DefaultFlavorsFixture',
                              _NoDefaultFlavors):
        # Stop a stuck teardown from keeping the process alive.
        def _watchdog():
            stop.wait()
            time.sleep(20)
            sys.stderr.write('nova_server: teardown took too long, exiting\n')
            os._exit(0)
        threading.Thread(target=_watchdog, daemon=True).start()
        test.run(result)
    if result.problems:
        for problem in result.problems:
            sys.stderr.write(problem + '\n')
        sys.stderr.flush()
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
