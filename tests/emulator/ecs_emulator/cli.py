"""Command line: ``ecs-emulator serve --host 127.0.0.1 --port 0 --ready-file f.json``."""

import argparse
import copy
import json
import os
import signal
import sys
import tempfile
import threading

from .app import create_app, info_for
from .profiles import PROFILES
from .server import EmulatorServer
from .statemachine import nova_durations


def write_ready_file(path, info):
    """Write the ready file atomically (temporary file in the same directory, then rename)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".ecs-emulator-", suffix=".json", dir=directory)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(info, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build_parser():
    parser = argparse.ArgumentParser(prog="ecs-emulator", description="ECS / Nova / Keystone API emulator")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the emulator HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--state", default=None, help="SQLite file; state survives restarts (default: in memory)")
    serve.add_argument("--ready-file", default=None, help="write connection details as JSON when ready")
    serve.add_argument("--time-scale", type=float, default=None, help="multiplies all durations (0.01 = 100x faster)")
    serve.add_argument("--token-ttl", type=float, default=None, help="token lifetime in seconds (default 86400)")
    serve.add_argument("--confirm-window", type=float, default=None,
                       help="auto-confirm VERIFY_RESIZE after this many seconds (default: never)")
    serve.add_argument("--tls-cert", default=None, help="serve HTTPS with this PEM certificate (needs --tls-key)")
    serve.add_argument("--tls-key", default=None, help="PEM private key of --tls-cert")
    serve.add_argument("--tls-client-ca", default=None,
                       help="require a client certificate signed by this PEM CA bundle (needs --tls-cert)")
    serve.add_argument("--profile", choices=PROFILES, default=None,
                       help="the cloud to play: nova, otc (default) or otc-swiss (kept in --state)")
    serve.add_argument("--seed", choices=("default", "empty"), default="default",
                       help="initial data for a new state (ignored when --state already holds one)")
    serve.add_argument("--nova-step", type=float, default=None, metavar="SECONDS",
                       help="durations with real Nova's proportions, each fake-driver step taking SECONDS "
                            "(statemachine.nova_durations)")
    return parser


def serve(args):
    app = create_app(state_file=args.state, seed=args.seed, time_scale=args.time_scale,
                     token_ttl=args.token_ttl, confirm_window=args.confirm_window, profile=args.profile)
    if args.nova_step is not None:
        app.emulator.set_config({"durations": nova_durations(args.nova_step)})
        app.emulator.startup_config = copy.deepcopy(app.emulator.config)
    server = EmulatorServer(app, args.host, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key,
                            tls_client_ca=args.tls_client_ca)
    stop = threading.Event()

    def _on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    server.start()
    info = info_for(app.emulator, server.base_url)
    if args.ready_file:
        write_ready_file(args.ready_file, info)
    sys.stdout.write("ecs-emulator listening on %s\n" % server.base_url)
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.stop()
    app.emulator.close()
    return 0


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "serve":
        parser.print_help()
        return 2
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.nova_step is not None and args.nova_step <= 0:
        parser.error("--nova-step must be a positive number of seconds")
    if args.tls_client_ca and not args.tls_cert:
        parser.error("--tls-client-ca needs --tls-cert and --tls-key (client certificates are checked in the TLS handshake)")
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
