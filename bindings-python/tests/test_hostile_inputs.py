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


def outcome(fn, *args):
    """Runs ``fn``: its result, or the PocketSignError it raised. Any other exception (a pyo3
    PanicException, a TypeError from inside the binding) fails the test."""
    try:
        return fn(*args)
    except BaseException as exc:  # noqa: BLE001 - the point is to see everything
        assert isinstance(exc, PocketSignError), f"{type(exc).__name__}: {exc}"
        return exc


def refused(fn, *args):
    """``fn`` must refuse the input with a PocketSignError (random text is never a valid token,
    key or signature): accepting it is a failure."""
    r = outcome(fn, *args)
    assert isinstance(r, PocketSignError), f"accepted hostile input {args!r:.80}: {r!r:.80}"


def test_spa_key_hostile():
    key = _native.SpaTokenKey(SECRET)
    for s in samples():
        # verify_user_id is verify without the exception: the same decision on every input.
        r = outcome(key.verify, s, 1_700_000_000)
        assert key.verify_user_id(s, 1_700_000_000) == (None if isinstance(r, PocketSignError) else r[0])
        refused(key.verify, s, 1_700_000_000)
        # An expiry at the top of the range either signs or reports its error; a token that is
        # made must verify under the same key.
        token = outcome(key.sign, s, 2**64 - 1)
        if not isinstance(token, PocketSignError):
            assert key.verify(token, 1_700_000_000)[0] == s
        assert isinstance(outcome(key.issue, s, 2**64 - 1, 2**64 - 1), PocketSignError)
        outcome(_native.SpaTokenKey, s)


def test_cloudfront_hostile():
    for s in samples(100):
        refused(_native.CloudFrontKey, "K1", s)
        refused(lambda v: _native.CloudFrontKey("K1", v, base64=True), s)
        policy = outcome(_native.custom_policy_json, s, 2**64 - 1, 0, s)
        if not isinstance(policy, PocketSignError):
            assert json.loads(policy)["Statement"][0]["Resource"] == s
        assert json.loads(_native.canned_policy_json(s, 0))["Statement"][0]["Resource"] == s
        decoded = outcome(_native.cloudfront_b64_decode, s)
        if not isinstance(decoded, PocketSignError):
            assert _native.cloudfront_b64_encode(decoded) == s, "decoding is canonical"
    for kid in ["", "K 1", "K\n", "x" * 10000]:
        refused(_native.CloudFrontKey, kid, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n")


@pytest.mark.parametrize("token_use", ["access", "id", None])
def test_cognito_hostile(token_use):
    verifier = _native.CognitoVerifier(
        [{"user_pool_id": "eu-west-1_abc", "client_id": ["c"], "token_use": token_use, "jwks_uri": "http://127.0.0.1:9/jwks"}]
    )
    for s in samples(150):
        refused(verifier.verify, s)
        refused(verifier.verify_cached, s)


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
        refused(_native.CognitoVerifier, cfg)


def test_alb_hostile():
    arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1"
    verifier = _native.AlbVerifier([arn], keys_url="http://127.0.0.1:9")
    for s in samples(150):
        refused(verifier.verify, s)
        refused(verifier.add_key, s, s)
    for arns in [[], ["x"], [arn, arn.replace("eu-west-1", "us-east-1")]]:
        refused(_native.AlbVerifier, arns)
