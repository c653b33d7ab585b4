"""Reading the bad-input catalogue (tests/vectors/bad_inputs.json) for the Python runners.

Shared by the CLI runner (tests/hardening/test_bad_inputs.py) and the Python package's runner
(bindings-python/tests/test_bad_inputs.py): the catalogue itself, the bytes of a case input, and
a loopback HTTP server that serves whatever JWKS body a case sets (for the ops whose document
arrives through the JWKS fetcher).
"""
import base64
import contextlib
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VECTORS = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CATALOGUE = json.load(open(os.path.join(VECTORS, "bad_inputs.json")))
DEFAULTS = CATALOGUE["defaults"]


def materialise(inp):
    """The bytes of a case input (`utf8`, `base64`, `repeat` x `count`, `concat`, `file`)."""
    if "utf8" in inp:
        return inp["utf8"].encode()
    if "base64" in inp:
        return base64.b64decode(inp["base64"])
    if "repeat" in inp:
        return (inp["repeat"] * inp["count"]).encode()
    if "concat" in inp:
        return b"".join(materialise(p) for p in inp["concat"])
    if "file" in inp:
        return open(os.path.join(VECTORS, inp["file"]), "rb").read()
    raise ValueError(f"unknown catalogue input encoding: {inp}")


class _Jwks(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = b"{}"

    def log_message(self, *a):
        pass

    def do_GET(self):  # noqa: N802
        body = type(self).body
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def jwks_server():
    """A loopback server answering every GET with `server.RequestHandlerClass.body` (JSON)."""
    handler = type("Jwks", (_Jwks,), {})  # a class of its own: `body` is per server
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # The client may hang up early (e.g. after the 256 KiB body limit): not a test failure.
    srv.handle_error = lambda request, client_address: None
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
