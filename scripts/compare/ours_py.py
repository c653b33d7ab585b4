"""pocket-sign's Python package (`pocket_sign`) on the same inputs as peers_py.py.

Each call is checked for a correct result before it is timed (the SPA token must verify with the
pure-Python original, signed URLs must equal botocore's byte for byte — RSA PKCS#1 v1.5 is
deterministic — and the JWT must verify and reject a tampered signature). Optional APIs (shared
policy, batch, ECDSA) are timed when the package has them and listed as not measured otherwise.

Usage: python ours_py.py FIXTURES_JSON OUT_JSON SECONDS
"""

import datetime
import hashlib
import hmac
import json
import os
import sys
import time

from harness import Results


def main():
    fx = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    seconds = float(sys.argv[3])
    res = Results("pocket_sign-python")
    try:
        import pocket_sign  # noqa: F401
    except ImportError as exc:
        res.errors.append(f"pocket_sign (Python): not installed ({exc})")
        res.emit(out)
        return
    try:
        from importlib import metadata
        res.sample("pocket_sign_version", metadata.version("pocket_sign"))
    except Exception:
        pass

    run_spa(fx, res, seconds)
    run_cloudfront(fx, res, seconds)
    run_cookie_mode(fx, res, seconds)
    run_cognito(fx, res, seconds)
    res.emit(out)


def guarded(res, what):
    """Decorator: a missing or broken API is listed in the report instead of killing the run."""
    def wrap(fn):
        def inner(*a, **kw):
            try:
                return fn(*a, **kw)
            except Exception as exc:
                res.errors.append(f"pocket_sign {what}: {type(exc).__name__}: {exc}")
        return inner
    return wrap


def configure_django():
    """Minimal Django settings, as every Django app that uses pocket_sign.django has."""
    import django
    from django.conf import settings
    if not settings.configured:
        settings.configure(POCKET_SIGN_MEDIA_COOKIES={"resource": "https://d111111abcdef8.cloudfront.net/*"})
        django.setup()


def run_spa(fx, res, seconds):
    @guarded(res, "django.spa_auth")
    def go():
        configure_django()
        from pocket_sign.django import spa_auth
        os.environ["SPA_TOKEN_SECRET"] = fx["spa_secret_hex"]
        uid = fx["spa_user_id"]
        token = spa_auth.generate_token(uid)
        # Interoperates with the original algorithm (stdlib hmac) in both directions.
        msg, sig = token.rsplit(":", 1)
        expected = hmac.new(bytes.fromhex(fx["spa_secret_hex"]), msg.encode(),
                            hashlib.sha256).hexdigest()
        assert hmac.compare_digest(sig, expected), "token differs from the original algorithm"
        expiry = int(time.time()) + 3600
        orig = f"{uid}:{expiry}:" + hmac.new(bytes.fromhex(fx["spa_secret_hex"]),
                                            f"{uid}:{expiry}".encode(), hashlib.sha256).hexdigest()
        assert spa_auth.verify_token(orig) == uid
        assert spa_auth.verify_token(orig[:-1] + ("0" if orig[-1] != "0" else "1")) is None
        res.add("spa.verify", "py", "pocket_sign.django.spa_auth (Python)",
                lambda: spa_auth.verify_token(orig), seconds)
        res.add("spa.generate", "py", "pocket_sign.django.spa_auth (Python)",
                lambda: spa_auth.generate_token(uid), seconds)
    go()


def run_cloudfront(fx, res, seconds):
    @guarded(res, "cloudfront")
    def go():
        from pocket_sign.cloudfront import CloudFrontSigner
        signer = CloudFrontSigner(fx["key_pair_id"], fx["rsa_private_pem"])
        expires = datetime.datetime.fromtimestamp(fx["expires"], datetime.timezone.utc).replace(
            tzinfo=None)
        url = fx["url"]
        canned = signer.generate_presigned_url(url, date_less_than=expires)
        res.sample("url_canned_pocket_sign_python", canned)
        # "Through the core alone": this process imports nothing else, so `cryptography` in
        # sys.modules means the package signed with it instead of the Rust core.
        res.sample("py_cloudfront_uses_cryptography",
                   any(m.split(".")[0] == "cryptography" for m in sys.modules))
        policy = signer.build_policy(fx["custom_resource"], expires, ip_address=fx["custom_ip"])
        res.sample("url_custom_pocket_sign_python", signer.generate_presigned_url(url,
                                                                                 policy=policy))
        res.add("url.canned", "py", "pocket_sign.cloudfront.CloudFrontSigner (Python)",
                lambda: signer.generate_presigned_url(url, date_less_than=expires), seconds)

        def custom_url():
            p = signer.build_policy(fx["custom_resource"], expires, ip_address=fx["custom_ip"])
            return signer.generate_presigned_url(url, policy=p)
        res.add("url.custom", "py", "pocket_sign.cloudfront.CloudFrontSigner (Python)",
                custom_url, seconds)

        page = fx["page_urls"]
        res.add("page50.per_url", "py", "pocket_sign (Python): 50 x generate_presigned_url",
                lambda: [signer.generate_presigned_url(u, date_less_than=expires) for u in page],
                seconds, per_call=len(page), unit="url")
        page_modes(fx, res, seconds, signer, expires, page)
    go()


def page_modes(fx, res, seconds, signer, expires, page):
    from pocket_sign import cloudfront as cf

    # Batch: many URLs in one call (releases the GIL).
    batch = getattr(signer, "generate_presigned_urls", None)
    if batch is None:
        res.errors.append("pocket_sign (Python): no CloudFrontSigner.generate_presigned_urls "
                          "(batch) found")
    else:
        urls = batch(page, date_less_than=expires)
        assert urls[0] == signer.generate_presigned_url(page[0], date_less_than=expires)
        res.add("page50.batch", "py", "pocket_sign (Python): generate_presigned_urls batch",
                lambda: batch(page, date_less_than=expires), seconds, per_call=len(page),
                unit="url")

    # Shared wildcard policy: one signature applied to every URL under the prefix. The package
    # offers it as sign_policy(...).apply(url) or as the batch call with policy=.
    sign_policy = getattr(signer, "sign_policy", None)
    policy = signer.build_policy(fx["custom_resource"], expires)
    if sign_policy is not None:
        def shared():
            sp = sign_policy(signer.build_policy(fx["custom_resource"], expires))
            return [sp.apply(u) for u in page]
        label = "pocket_sign (Python): 1 sign_policy + 50 x apply"
    elif batch is not None:
        def shared():
            return batch(page, policy=signer.build_policy(fx["custom_resource"], expires))
        label = "pocket_sign (Python): generate_presigned_urls(policy=wildcard)"
    else:
        shared = None
        res.errors.append("pocket_sign (Python): no shared-policy API found")
    if shared is not None:
        first = shared()[0]
        assert first == signer.generate_presigned_url(page[0], policy=policy), first
        res.add("page50.shared_policy", "py", label, shared, seconds, per_call=len(page),
                unit="url")

    # ECDSA P-256 key.
    try:
        ec_signer = cf.CloudFrontSigner(fx["key_pair_id"], fx["ec_private_pem"])
        ec_signer.generate_presigned_url(page[0], date_less_than=expires)
    except Exception as exc:
        res.errors.append(f"pocket_sign (Python): ECDSA key not accepted ({exc})")
    else:
        res.add("page50.ecdsa", "py", "pocket_sign (Python): 50 x URL with ECDSA P-256",
                lambda: [ec_signer.generate_presigned_url(u, date_less_than=expires)
                         for u in page], seconds, per_call=len(page), unit="url")


def serve_jwks(jwks):
    """Serves the test JWKS on 127.0.0.1 (ephemeral port) for a verifier that takes a jwks_uri."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/jwks.json"


def run_cookie_mode(fx, res, seconds):
    """Media page in signed-cookie mode: CloudFront signed cookies set once per session at login
    (one signature), then 50 unsigned URLs from pocket_sign.storage.CloudFrontCookieS3Storage:
    zero signatures per page. Compared with botocore signing the same 50 URLs."""
    @guarded(res, "storage.CloudFrontCookieS3Storage")
    def go():
        configure_django()
        from pocket_sign.storage import CloudFrontCookieS3Storage

        storage = CloudFrontCookieS3Storage(
            bucket_name="media-bucket", custom_domain="d111111abcdef8.cloudfront.net",
            access_key="AKIDEXAMPLE", secret_key="secret", region_name="us-east-1")
        base = "https://d111111abcdef8.cloudfront.net/"
        names = [u[len(base):] if u.startswith(base) else u.rsplit("/", 1)[-1] for u in fx["page_urls"]]
        page = [storage.url(n) for n in names]
        assert all("Signature=" not in u and u.startswith("https://") for u in page), page[0]
        res.add("page50.cookie_mode", "py",
                "pocket_sign (Python): signed cookies, 50 x CloudFrontCookieS3Storage.url (0 signatures)",
                lambda: [storage.url(n) for n in names], seconds, per_call=len(names), unit="url")
    go()


def run_cognito(fx, res, seconds):
    @guarded(res, "cognito")
    def go():
        from pocket_sign.cognito import CognitoJwtVerifier
        server, uri = serve_jwks(fx["jwks"])
        try:
            verifier = CognitoJwtVerifier(fx["user_pool_id"], client_id=fx["client_id"],
                                          token_use="access", jwks_uri=uri)
            verifier.hydrate()  # one fetch; every verify below is a cache hit
        finally:
            server.shutdown()
        verify = getattr(verifier, "verify_cached", verifier.verify)
        tok = fx["access_token"]
        assert verify(tok)["username"] == "bench-user"
        bad = tok[:-4] + ("AAAA" if not tok.endswith("AAAA") else "BBBB")
        try:
            verify(bad)
        except Exception:
            pass
        else:
            raise AssertionError("pocket_sign accepted a bad signature")
        res.add("jwt.verify", "py", "pocket_sign.cognito.CognitoJwtVerifier (Python)",
                lambda: verify(tok), seconds)
        if hasattr(verifier, "verify_async"):
            res.add("jwt.verify", "py_async",
                    "pocket_sign.cognito.CognitoJwtVerifier.verify_async (awaited, warm)",
                    lambda: await_warm(verifier.verify_async(tok)), seconds)
    go()


def await_warm(coro):
    """Drives a coroutine the way `await` does inside a running coroutine; a warm verify_async
    completes without suspending (no I/O, no thread), which is what is measured."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise AssertionError("warm verify_async suspended (went to the thread pool)")


if __name__ == "__main__":
    main()
