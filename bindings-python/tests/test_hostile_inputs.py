"""Random and hostile inputs to every native entry point: either a result or a PocketSignError
(never a pyo3 PanicException, never another exception type)."""

from __future__ import annotations

import base64
import json
import random

import pytest

from pocket_sign import _native
from pocket_sign.errors import PocketSignError

RNG = random.Random(1234)
SECRET = "ab" * 32


def samples(n=300):
    alphabet = "abc:.-_=~+/0123456789 \x00\n\"\\é漢😀"
    out = ["", ":", "::", ".", "..", "...", "a" * 70000, "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]
    for _ in range(n):
        out.append("".join(RNG.choice(alphabet) for _ in range(RNG.randint(0, 120))))
    header = base64.urlsafe_b64encode(json.dumps({"alg": "RS256", "kid": "k"}).encode()).decode().rstrip("=")
    payload = base64.urlsafe_b64encode(json.dumps({"iss": "https://evil.example/x", "exp": 1e30}).encode()).decode()
    out += [f"{header}.{payload}.AAAA", f"{header}.{payload}", f"{header}..", "e30.e30.e30"]
    return out


def check(fn, *args):
    try:
        fn(*args)
    except BaseException as exc:  # noqa: BLE001 - the point is to see everything
        assert isinstance(exc, PocketSignError), f"{type(exc).__name__}: {exc}"


def test_spa_key_hostile():
    key = _native.SpaTokenKey(SECRET)
    for s in samples():
        assert key.verify_user_id(s, 1_700_000_000) in (None,) or isinstance(key.verify_user_id(s, 1_700_000_000), str)
        check(key.verify, s, 1_700_000_000)
        check(key.sign, s, 2**64 - 1)
        check(key.issue, s, 2**64 - 1, 2**64 - 1)
        check(_native.SpaTokenKey, s)


def test_cloudfront_hostile():
    for s in samples(100):
        check(_native.CloudFrontKey, "K1", s)
        check(lambda v: _native.CloudFrontKey("K1", v, base64=True), s)
        check(_native.custom_policy_json, s, 2**64 - 1, 0, s)
        assert isinstance(_native.canned_policy_json(s, 0), str)
        try:
            _native.cloudfront_b64_decode(s)
        except ValueError:
            pass
    for kid in ["", "K 1", "K\n", "x" * 10000]:
        check(_native.CloudFrontKey, kid, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n")


@pytest.mark.parametrize("token_use", ["access", "id", None])
def test_cognito_hostile(token_use):
    verifier = _native.CognitoVerifier(
        [{"user_pool_id": "eu-west-1_abc", "client_id": ["c"], "token_use": token_use, "jwks_uri": "http://127.0.0.1:9/jwks"}]
    )
    for s in samples(150):
        check(verifier.verify, s)
        check(verifier.verify_cached, s)


def test_cognito_config_hostile():
    for cfg in [
        [],
        [{}],
        [{"user_pool_id": 5}],
        [{"user_pool_id": "nope"}],
        [{"user_pool_id": "eu-west-1_abc", "client_id": "notalist"}],
        [{"user_pool_id": "eu-west-1_abc", "token_use": "refresh"}],
        [{"user_pool_id": "eu-west-1_abc", "grace_seconds": -1}],
        [{"user_pool_id": "eu-west-1_abc", "jwks_uri": "ftp://x"}],
    ]:
        check(_native.CognitoVerifier, cfg)


def test_alb_hostile():
    arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1"
    verifier = _native.AlbVerifier([arn], keys_url="http://127.0.0.1:9")
    for s in samples(150):
        check(verifier.verify, s)
        check(verifier.add_key, s, s)
    for arns in [[], ["x"], [arn, arn.replace("eu-west-1", "us-east-1")]]:
        check(_native.AlbVerifier, arns)
