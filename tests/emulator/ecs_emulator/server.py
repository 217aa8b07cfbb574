"""A threaded Werkzeug HTTP server that can run in-process (in a thread) or in the CLI."""

import logging
import ssl
import threading

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    """No per-request access log (it costs time and nobody reads it)."""

    def log_request(self, code="-", size="-"):
        pass

    def log(self, type, message, *args):  # pylint: disable=redefined-builtin
        if type == "error":
            super().log(type, message, *args)


def tls_context(cert, key, client_ca=None):
    """The server's TLS context; with ``client_ca`` every client must present a certificate that this CA bundle
    verifies (the handshake fails otherwise, before any HTTP)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=client_ca)
    return context


class EmulatorServer:
    """Serve a WSGI app on host:port (0 = a free port)."""

    def __init__(self, app, host="127.0.0.1", port=0, tls_cert=None, tls_key=None, tls_client_ca=None):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.app = app
        self.scheme = "https" if tls_cert else "http"
        ssl_context = tls_context(tls_cert, tls_key, tls_client_ca) if tls_cert else None
        if tls_client_ca and not tls_cert:
            raise ValueError("tls_client_ca needs tls_cert and tls_key (client certificates are a TLS matter)")
        self.httpd = make_server(host, port, app, threaded=True, request_handler=QuietHandler, ssl_context=ssl_context)
        self.host = host
        self.port = self.httpd.socket.getsockname()[1]
        self._thread = None

    @property
    def base_url(self):
        host = self.host if ":" not in self.host else "[%s]" % self.host
        if host in ("0.0.0.0", "::", "[::]"):
            host = "127.0.0.1"
        return "%s://%s:%d" % (self.scheme, host, self.port)

    def serve_forever(self):
        self.httpd.serve_forever(poll_interval=0.1)

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, name="ecs-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
