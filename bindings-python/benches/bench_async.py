"""Warm ``verify_async`` against warm ``verify`` (same verifier, JWKS cached).

    python benches/bench_async.py   (with the package installed)

Prints microseconds per call: the sync ``verify``, ``await verify_async`` inside a running
coroutine (no suspension on the warm path), and the same inside an asyncio event loop with a
task per call (what a web framework does), plus the difference.
"""

from __future__ import annotations

import asyncio
import base64
import http.server
import json
import threading
import time
import timeit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from pocket_sign.jwt import JwtVerifier


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n: int) -> str:
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pub = key.public_key().public_numbers()
jwks = json.dumps({"keys": [{"kty": "RSA", "kid": "k", "alg": "RS256", "n": uint(pub.n), "e": uint(pub.e)}]}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(jwks)))
        self.end_headers()
        self.wfile.write(jwks)

    def log_message(self, *args: object) -> None:
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
claims = {"iss": "https://issuer.example", "sub": "u", "aud": "api", "exp": int(time.time()) + 3600, "scope": "a b"}
header = {"alg": "RS256", "kid": "k", "typ": "JWT"}
signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
token = f"{signing_input}.{b64url(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))}"
v = JwtVerifier("https://issuer.example", "api", jwks_uri=f"http://127.0.0.1:{server.server_address[1]}/jwks.json")
v.hydrate()
server.shutdown()
N = 20000


def per_op(fn) -> float:
    return min(timeit.repeat(fn, number=N, repeat=5)) / N * 1e6


sync_us = per_op(lambda: v.verify(token))


async def awaited_loop() -> float:
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(N):
            await v.verify_async(token)
        best = min(best, (time.perf_counter() - t) / N * 1e6)
    return best


async def sync_loop() -> float:
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(N):
            v.verify(token)
        best = min(best, (time.perf_counter() - t) / N * 1e6)
    return best


sync_in_loop_us = asyncio.run(sync_loop())
async_us = asyncio.run(awaited_loop())
print(f"warm verify                  {sync_us:7.2f} us")
print(f"warm verify (in a coroutine) {sync_in_loop_us:7.2f} us")
print(f"warm await verify_async      {async_us:7.2f} us   (+{async_us - sync_in_loop_us:.2f} us)")
