"""Rough timings of pocket-sign's Python API against the pure-Python originals.

    python benches/bench.py      (after `pip install ./bindings-python` or `maturin develop -r`)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import threading
import time
import timeit

from botocore.signers import CloudFrontSigner as BotoSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from pocket_sign.cloudfront import CloudFrontSigner
from pocket_sign.django.spa_auth import generate_token, verify_token

SECRET = "0123456789abcdef" * 4
os.environ["SPA_TOKEN_SECRET"] = SECRET


def ref_verify(token: str) -> "str | None":
    user_id, expiry, sig = token.split(":")
    if int(time.time()) > int(expiry):
        return None
    expected = hmac.new(bytes.fromhex(SECRET), f"{user_id}:{expiry}".encode(), hashlib.sha256).hexdigest()
    return user_id if hmac.compare_digest(sig, expected) else None


def per_op(fn, n):
    return min(timeit.repeat(fn, number=n, repeat=3)) / n * 1e6


token = generate_token("12345")
print(f"spa verify_token   pocket-sign {per_op(lambda: verify_token(token), 20000):7.2f} us   stdlib hmac {per_op(lambda: ref_verify(token), 20000):7.2f} us")

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()
boto = BotoSigner("KID", lambda m: key.sign(m, padding.PKCS1v15(), hashes.SHA1()))
ours = CloudFrontSigner("KID", pem)  # one core call per URL, GIL released
url = "https://d111111abcdef8.cloudfront.net/media/photo.jpg"
exp = dt.datetime(2030, 1, 1)
print(
    f"cloudfront url     pocket-sign[{ours.backend}] {per_op(lambda: ours.generate_presigned_url(url, date_less_than=exp), 100):7.1f} us   "
    f"botocore+cryptography {per_op(lambda: boto.generate_presigned_url(url, date_less_than=exp), 300):7.1f} us"
)
urls = [f"{url}?i={i}" for i in range(400)]
for signer in (ours,):
    t = time.perf_counter()
    signer.generate_presigned_urls(urls, date_less_than=exp)
    print(f"cloudfront batch   {len(urls) / (time.perf_counter() - t):7.0f} URLs/s (one call, {signer.backend})")


def threaded(fn, threads=2, each=200):
    def work():
        for u in urls[:each]:
            fn(u)

    ts = [threading.Thread(target=work) for _ in range(threads)]
    t = time.perf_counter()
    for x in ts:
        x.start()
    for x in ts:
        x.join()
    return threads * each / (time.perf_counter() - t)


for signer in (ours,):
    rate = threaded(lambda u: signer.generate_presigned_url(u, date_less_than=exp))
    print(f"cloudfront 2 threads  pocket-sign[{signer.backend}] {rate:7.0f} URLs/s")
rate = threaded(lambda u: boto.generate_presigned_url(u, date_less_than=exp))
print(f"cloudfront 2 threads  botocore+cryptography {rate:7.0f} URLs/s")
