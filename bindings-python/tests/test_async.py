"""Async verification never blocks the event loop, coalesces cold misses, and returns the same
results as the blocking path; claims and headers come back as native Python objects; library
logging reports fetches and failures without a token or key.

The key endpoints are real HTTP servers on 127.0.0.1 that answer after a configurable delay."""

from __future__ import annotations

import asyncio
import base64
import http.server
import json
import logging
import threading
import time
import uuid
from typing import Any, Dict, List

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from pocket_sign import errors
from pocket_sign.alb import AlbVerifier
from pocket_sign.cognito import CognitoJwtVerifier
from pocket_sign.jwt import JwtVerifier

ISSUER = "https://issuer.example"
POOL_ID = "ap-northeast-1_AsyncPool1"
ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/front-alb/50dc6c495c0c9188"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_uint(n: int) -> str:
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class SlowServer:
    """Serves ``routes`` (path -> bytes) after ``delay`` seconds; counts requests per path."""

    def __init__(self, routes: Dict[str, bytes], delay: float = 0.0, status: int = 200) -> None:
        self.routes, self.delay, self.status = routes, delay, status
        self.requests: List[str] = []
        srv = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                srv.requests.append(self.path)
                time.sleep(srv.delay)
                body = srv.routes.get(self.path)
                status = srv.status if body is not None else 404
                body = body or b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RsaIssuer:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "k1"
        pub = self.key.public_key().public_numbers()
        self.jwks = json.dumps(
            {"keys": [{"kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig", "n": b64url_uint(pub.n), "e": b64url_uint(pub.e)}]}
        ).encode()

    def token(self, claims: Dict[str, Any], **header: Any) -> str:
        h = {"alg": "RS256", "kid": self.kid, "typ": "JWT", **header}
        signing_input = f"{b64url(json.dumps(h).encode())}.{b64url(json.dumps(claims).encode())}"
        sig = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(sig)}"

    def claims(self, **extra: Any) -> Dict[str, Any]:
        now = int(time.time())
        return {"iss": ISSUER, "sub": str(uuid.uuid4()), "aud": "my-api", "iat": now, "exp": now + 600, **extra}


@pytest.fixture
def issuer() -> RsaIssuer:
    return RsaIssuer()


def serve_jwks(issuer: RsaIssuer, delay: float) -> SlowServer:
    return SlowServer({"/jwks.json": issuer.jwks}, delay=delay)


async def run_with_ticker(coro: Any) -> tuple[Any, float]:
    """Runs ``coro`` while a coroutine on the same loop ticks every 10 ms; returns the result
    and the largest gap between two ticks (seconds)."""
    gaps: List[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    try:
        result = await coro
    finally:
        done.set()
        await tick
    return result, max(gaps)


def test_cold_jwks_fetch_does_not_block_the_event_loop(issuer: RsaIssuer) -> None:
    server = serve_jwks(issuer, delay=1.0)
    try:
        v = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{server.url}/jwks.json")
        claims = issuer.claims()
        start = time.perf_counter()
        got, gap = asyncio.run(run_with_ticker(v.verify_async(issuer.token(claims))))
        assert time.perf_counter() - start >= 1.0, "the fetch really waited for the slow server"
        assert got == claims
        assert gap < 0.05, f"event loop stalled {gap * 1000:.0f} ms"
        assert server.requests == ["/jwks.json"]
    finally:
        server.close()


def test_blocking_verify_on_the_loop_would_stall_it(issuer: RsaIssuer) -> None:
    # The ticker measures what it claims to: the sync call inside a coroutine stalls the loop.
    server = serve_jwks(issuer, delay=0.3)
    try:
        v = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{server.url}/jwks.json")

        async def sync_in_coroutine() -> Dict[str, Any]:
            await asyncio.sleep(0.02)
            return v.verify(issuer.token(issuer.claims()))

        _, gap = asyncio.run(run_with_ticker(sync_in_coroutine()))
        assert gap >= 0.25
    finally:
        server.close()


def test_100_concurrent_cold_verifies_make_one_fetch(issuer: RsaIssuer) -> None:
    server = serve_jwks(issuer, delay=1.0)
    try:
        v = CognitoJwtVerifier(POOL_ID, "c", "access", issuer=ISSUER, jwks_uri=f"{server.url}/jwks.json")
        tokens = [issuer.token(issuer.claims(token_use="access", client_id="c", n=i)) for i in range(100)]

        async def main() -> List[Dict[str, Any]]:
            return await asyncio.gather(*(v.verify_async(t) for t in tokens))

        results = asyncio.run(main())
        assert [r["n"] for r in results] == list(range(100))
        assert server.requests == ["/jwks.json"]
        assert v._native.fetch_count(f"{server.url}/jwks.json") == 1
    finally:
        server.close()


def test_warm_verify_async_stays_on_the_loop_thread(issuer: RsaIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve_jwks(issuer, delay=0.0)
    try:
        v = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{server.url}/jwks.json")
        asyncio.run(v.hydrate_async())
        assert server.requests == ["/jwks.json"]

        import pocket_sign.jwt as jwt_mod

        async def no_thread(*args: Any) -> Any:
            raise AssertionError("warm path went to the thread pool")

        monkeypatch.setattr(jwt_mod, "run_blocking", no_thread)
        claims = issuer.claims()
        assert asyncio.run(v.verify_async(issuer.token(claims))) == claims
        # Errors decided without I/O come from the warm path too, with the sync path's class.
        expired = issuer.token(issuer.claims(exp=int(time.time()) - 100))
        with pytest.raises(errors.JwtExpiredError):
            asyncio.run(v.verify_async(expired))
        with pytest.raises(errors.JwtExpiredError):
            v.verify(expired)
        # An unknown kid inside the cool-down: refused without a fetch, on the loop.
        with pytest.raises(errors.WaitPeriodNotYetEndedJwkError):
            asyncio.run(v.verify_async(issuer.token(claims, kid="unknown")))
        assert server.requests == ["/jwks.json"]
    finally:
        server.close()


def test_async_and_sync_agree_on_failures(issuer: RsaIssuer) -> None:
    server = serve_jwks(issuer, delay=0.0)
    try:
        v = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{server.url}/jwks.json")
        other = RsaIssuer()
        cases = [
            "not-a-jwt",
            issuer.token(issuer.claims(aud="other")),
            issuer.token(issuer.claims(iss="https://evil.example")),
            other.token(issuer.claims()),  # same kid, other key: bad signature
        ]
        for token in cases:
            with pytest.raises(errors.JwtBaseError) as sync_err:
                v.verify(token)
            with pytest.raises(errors.JwtBaseError) as async_err:
                asyncio.run(v.verify_async(token))
            assert type(async_err.value) is type(sync_err.value), token
    finally:
        server.close()


class AlbIssuer:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.kid = str(uuid.uuid4())
        self.pem = self.key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def data(self, claims: Dict[str, Any]) -> str:
        def b64(d: bytes) -> str:
            return base64.urlsafe_b64encode(d).decode()

        exp = int(time.time()) + 120
        header = {"alg": "ES256", "kid": self.kid, "signer": ALB_ARN, "iss": ISSUER, "client": "c", "exp": exp}
        body = dict(claims, exp=exp, iss=ISSUER)
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
        r, s = decode_dss_signature(self.key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return f"{signing_input}.{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def test_alb_verify_async_cold_and_warm() -> None:
    alb = AlbIssuer()
    server = SlowServer({f"/{alb.kid}": alb.pem}, delay=1.0)
    try:
        v = AlbVerifier([ALB_ARN], client_ids=["c"], keys_url=server.url)
        data = alb.data({"sub": "u1", "email": "u1@example.com"})
        got, gap = asyncio.run(run_with_ticker(v.verify_async(data)))
        assert got["sub"] == "u1" and got["email"] == "u1@example.com"
        assert gap < 0.05, f"event loop stalled {gap * 1000:.0f} ms"
        assert v.fetch_count == 1

        async def many() -> List[Dict[str, Any]]:
            return await asyncio.gather(*(v.verify_async(data) for _ in range(50)))

        assert all(r == got for r in asyncio.run(many()))
        assert v.verify(data) == got
        assert server.requests == [f"/{alb.kid}"]
    finally:
        server.close()


def test_claims_and_header_are_native_python_objects(issuer: RsaIssuer) -> None:
    server = serve_jwks(issuer, delay=0.0)
    try:
        seen: Dict[str, Any] = {}

        def check(*, header: Dict[str, Any], payload: Dict[str, Any], jwk: Any) -> None:
            seen["header"], seen["payload"] = header, payload

        v = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{server.url}/jwks.json", custom_jwt_check=check)
        claims = issuer.claims(
            big=2**63 + 5,
            neg=-(2**62),
            ratio=0.25,
            whole_float=3.0,
            flags=[True, False, None],
            nested={"a": [1, {"b": "é☃"}], "empty": {}},
            roles=["admin", "user"],
        )
        token = issuer.token(claims, x5t="abc", custom={"n": 1})
        for got in (v.verify(token), asyncio.run(v.verify_async(token)), v.verify_cached(token)):
            assert got == claims
            assert type(got["big"]) is int and type(got["ratio"]) is float and type(got["whole_float"]) is float
            assert type(got["roles"]) is list and type(got["nested"]) is dict
        assert seen["header"] == {"alg": "RS256", "kid": issuer.kid, "typ": "JWT", "x5t": "abc", "custom": {"n": 1}}
        assert seen["payload"] == claims
    finally:
        server.close()


def test_logging_reports_fetches_and_failures_without_secrets(issuer: RsaIssuer, caplog: pytest.LogCaptureFixture) -> None:
    server = serve_jwks(issuer, delay=0.0)
    failing = SlowServer({"/jwks.json": b"{}"}, status=500)
    try:
        caplog.set_level(logging.DEBUG, logger="pocket_sign")
        v = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{server.url}/jwks.json")
        token = issuer.token(issuer.claims())
        v.verify(token)
        fetch = [r for r in caplog.records if r.name == "pocket_sign" and "key fetch" in r.getMessage()]
        assert len(fetch) == 1 and fetch[0].levelno == logging.INFO
        assert f"{server.url}/jwks.json" in fetch[0].getMessage() and " ok in " in fetch[0].getMessage()

        expired = issuer.token(issuer.claims(exp=int(time.time()) - 100))
        with pytest.raises(errors.JwtExpiredError):
            asyncio.run(v.verify_async(expired))
        unknown = issuer.token(issuer.claims(), kid="nope")
        with pytest.raises(errors.WaitPeriodNotYetEndedJwkError):
            v.verify(unknown)
        msgs = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "pocket_sign"]
        assert (logging.DEBUG, "JWT verification failed: JwtExpiredError (Expired)") in msgs
        assert any(level == logging.DEBUG and "cool-down" in m and server.url in m for level, m in msgs)

        bad = JwtVerifier(ISSUER, "my-api", jwks_uri=f"{failing.url}/jwks.json")
        with pytest.raises(errors.FetchError):
            bad.verify(token)
        failed = [r for r in caplog.records if "failed in" in r.getMessage()]
        assert failed and failed[0].levelno == logging.WARNING and "500" in failed[0].getMessage()

        key_pem = issuer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
        text = "\n".join(r.getMessage() for r in caplog.records)
        for secret in (token, expired, unknown):
            for part in secret.split("."):
                assert part not in text
        for line in key_pem.splitlines()[1:-1]:
            assert line not in text
    finally:
        server.close()
        failing.close()
