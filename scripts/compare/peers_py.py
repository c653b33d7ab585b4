"""Python peers: what users run today (pure-Python SPA token, botocore, python-jose, PyJWT).

Each peer is written the way its users write it (the pure-Python SPA token follows magic-pocket's
`pocket.django.spa_auth`; the python-jose path is `user/auth.py` of magic-pocket's Django Ninja +
Cognito example), run on warm state, and checked for a correct result before it is timed.

Usage: python peers_py.py FIXTURES_JSON OUT_JSON SECONDS
"""

import datetime
import hashlib
import hmac
import json
import os
import sys
import time

from harness import Results

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


# ---- magic-pocket's SPA token algorithm, pure Python (pocket.django.spa_auth) -------------------
def _mp_secret(secret):
    value = secret or os.environ.get("SPA_TOKEN_SECRET")
    if not value:
        raise ValueError("SPA_TOKEN_SECRET is not set")
    return bytes.fromhex(value)


def mp_generate_token(user_id, *, secret=None, max_age=604800):
    if ":" in user_id:
        raise ValueError("user_id must not contain ':'")
    key = _mp_secret(secret)
    expiry = int(time.time()) + max_age
    message = f"{user_id}:{expiry}"
    sig = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
    return f"{message}:{sig}"


def mp_verify_token(token, *, secret=None):
    parts = token.split(":")
    if len(parts) != 3:
        return None
    user_id, expiry_s, sig = parts
    try:
        expiry = int(expiry_s)
    except ValueError:
        return None
    if time.time() > expiry:
        return None
    key = _mp_secret(secret)
    expected = hmac.new(key, f"{user_id}:{expiry_s}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig):
        return None
    return user_id


def main():
    fx = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    seconds = float(sys.argv[3])
    res = Results("python-peers")

    # ---- SPA token ------------------------------------------------------------------------------
    os.environ["SPA_TOKEN_SECRET"] = fx["spa_secret_hex"]
    uid = fx["spa_user_id"]
    token = mp_generate_token(uid)
    assert mp_verify_token(token) == uid
    assert mp_verify_token(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    res.sample("spa_token_python", token)
    res.add("spa.verify", "pure_python", "magic-pocket spa_auth (pure Python)", lambda: mp_verify_token(token),
            seconds)
    res.add("spa.generate", "pure_python", "magic-pocket spa_auth (pure Python)", lambda: mp_generate_token(uid),
            seconds)

    # ---- CloudFront signed URL: botocore CloudFrontSigner + cryptography RSA-SHA1 ---------------
    key = serialization.load_pem_private_key(fx["rsa_private_pem"].encode(), password=None)

    def rsa_signer(message):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA1())

    signer = CloudFrontSigner(fx["key_pair_id"], rsa_signer)
    expires = datetime.datetime.fromtimestamp(fx["expires"], datetime.timezone.utc).replace(
        tzinfo=None)
    url = fx["url"]
    canned = signer.generate_presigned_url(url, date_less_than=expires)
    res.sample("url_canned_botocore", canned)
    policy = signer.build_policy(fx["custom_resource"], expires, ip_address=fx["custom_ip"])
    custom = signer.generate_presigned_url(url, policy=policy)
    res.sample("url_custom_botocore", custom)
    res.sample("url_custom_policy_botocore", policy)

    def custom_url():
        p = signer.build_policy(fx["custom_resource"], expires, ip_address=fx["custom_ip"])
        return signer.generate_presigned_url(url, policy=p)

    res.add("url.canned", "botocore", "botocore CloudFrontSigner", lambda: signer.generate_presigned_url(
        url, date_less_than=expires), seconds)
    res.add("url.custom", "botocore", "botocore CloudFrontSigner", custom_url, seconds)

    page = fx["page_urls"]

    def page_botocore():
        return [signer.generate_presigned_url(u, date_less_than=expires) for u in page]

    res.add("page50.per_url", "botocore", "botocore CloudFrontSigner", page_botocore, seconds,
            per_call=len(page), unit="url")

    # ---- Cognito JWT verify: the Ninja example's python-jose path on a warm JWKS dict ------------
    from jose import jwt as jose_jwt
    from jose.utils import base64url_decode
    from cryptography.hazmat.primitives.asymmetric import rsa

    jwks_cache = {"keys": fx["jwks"]["keys"], "exp": time.time() + 3600}
    issuer = fx["issuer"]
    client_id = fx["client_id"]

    def get_jwks():
        if not jwks_cache["keys"] or time.time() >= jwks_cache["exp"]:
            raise RuntimeError("the benchmark never refetches")
        return jwks_cache["keys"]

    def rsa_pem_from_jwk(jwk):
        n = int.from_bytes(base64url_decode(jwk["n"].encode()), "big")
        e = int.from_bytes(base64url_decode(jwk["e"].encode()), "big")
        return rsa.RSAPublicNumbers(e, n).public_key().public_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PublicFormat.SubjectPublicKeyInfo)

    def verify_ninja_example(tok, token_use="access"):
        kid = jose_jwt.get_unverified_header(tok).get("kid")
        if not kid:
            raise ValueError("Invalid token header")
        jwk = next((k for k in get_jwks() if k["kid"] == kid), None)
        if jwk is None:
            raise ValueError("Unknown signing key")
        claims = jose_jwt.decode(tok, rsa_pem_from_jwk(jwk), algorithms=["RS256"],
                                 issuer=issuer, options={"verify_aud": False})
        if claims.get("token_use") != token_use:
            raise ValueError("Wrong token use")
        if claims.get("client_id") != client_id:
            raise ValueError("Invalid client_id")
        return claims

    tok = fx["access_token"]
    assert verify_ninja_example(tok)["username"] == "bench-user"
    bad = tok[:-4] + ("AAAA" if not tok.endswith("AAAA") else "BBBB")
    try:
        verify_ninja_example(bad)
        raise AssertionError("python-jose accepted a bad signature")
    except jose_jwt.JWTError:
        pass
    res.add("jwt.verify", "python_jose", "python-jose (magic-pocket's Ninja example: JWK->PEM per call)",
            lambda: verify_ninja_example(tok), seconds)

    # ---- PyJWT with PyJWKClient (warm JWK Set and signing-key caches, no network) ---------------
    import jwt as pyjwt
    from jwt import PyJWKClient

    class WarmJWKClient(PyJWKClient):
        def fetch_data(self):
            data = fx["jwks"]
            if self.jwk_set_cache is not None:
                self.jwk_set_cache.put(data)
            return data

    client = WarmJWKClient(issuer + "/.well-known/jwks.json", cache_keys=True)

    def verify_pyjwt(t, token_use="access"):
        signing_key = client.get_signing_key_from_jwt(t)
        claims = pyjwt.decode(t, signing_key.key, algorithms=["RS256"], issuer=issuer,
                              options={"verify_aud": False})
        if claims.get("token_use") != token_use:
            raise ValueError("Wrong token use")
        if claims.get("client_id") != client_id:
            raise ValueError("Invalid client_id")
        return claims

    assert verify_pyjwt(tok)["username"] == "bench-user"
    try:
        verify_pyjwt(bad)
        raise AssertionError("PyJWT accepted a bad signature")
    except pyjwt.InvalidSignatureError:
        pass
    res.add("jwt.verify", "pyjwt", "PyJWT + PyJWKClient (cached key)", lambda: verify_pyjwt(tok), seconds)

    res.emit(out)


if __name__ == "__main__":
    main()
