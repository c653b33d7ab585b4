"""A loopback HTTP server for JWKS / ALB key tests: configurable routes, faults, request counts.

Every route is served from memory. Faults: `delay` (seconds before the status line: connect
succeeds, response never comes in time), `drip` (headers at once, then the body one byte per
`drip` seconds), any status, any content type, any body (oversized, invalid JSON, ...).
"""
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0
    drip: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_CONNECT(self):  # noqa: N802: acting as an HTTPS proxy that records and refuses tunnels
        srv = self.server.owner
        with srv.lock:
            srv.counts["CONNECT " + self.path] = srv.counts.get("CONNECT " + self.path, 0) + 1
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802 (http.server naming)
        srv = self.server.owner
        with srv.lock:
            srv.counts[self.path] = srv.counts.get(self.path, 0) + 1
            route = srv.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not found")
            return
        if route.delay:
            time.sleep(route.delay)
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.drip:
                for i in range(len(route.body)):
                    self.wfile.write(route.body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(route.drip)
            else:
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class KeyServer:
    """Serves routes on 127.0.0.1 on a free port from a daemon thread."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body, **kw) -> None:
        if isinstance(body, str):
            body = body.encode()
        with self.lock:
            self.routes[path] = Route(body=body, **kw)

    def count(self, path: str) -> int:
        with self.lock:
            return self.counts.get(path, 0)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
