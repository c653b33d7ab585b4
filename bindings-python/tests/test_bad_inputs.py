"""The bad-input catalogue (tests/vectors/bad_inputs.json) against the Python package.

Every case the package has an API for must raise a `pocket_sign.errors.PocketSignError`
subclass whose `kind` is the catalogue's stable kind (or succeed for `ok` cases); "boundary"
cases (non-UTF-8 text, negative or overflowing integers) must raise TypeError / ValueError /
OverflowError (UnicodeError is a ValueError) at the argument conversion. Non-UTF-8 input for a
`str` parameter is passed as the str Python gets from `bytes.decode("utf-8",
"surrogateescape")`, i.e. with lone surrogates, which cannot cross into Rust.

The JWT cases go through `CognitoVerifier` with a local JWKS server (`expect.http`: the
document arrives through the fetcher), verified at the catalogue's `now` so that the success
controls do not depend on the wall clock. Signed URLs go through
`pocket_sign.cloudfront.CloudFrontSigner`, passwords through `pocket_sign.keygen.password`, the
Cognito SECRET_HASH through `pocket_sign.cognito.secret_hash`, shared-secret JWT secrets through
`pocket_sign.hs_jwt.sign`. The two ops the package does not expose are skipped with that reason:
`jwt_decode` (unverified decoding is left to PyJWT / the npm package) and `toml_codegen`
(CloudFront Function generation is the CLI's and the npm package's job).
"""
import json
import os
import sys

import pytest

from pocket_sign import _native
from pocket_sign.errors import PocketSignError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VECTORS = os.path.join(ROOT, "tests", "vectors")
sys.path.insert(0, os.path.join(VECTORS, "bad_inputs"))
import catalogue  # noqa: E402  (tests/vectors/bad_inputs/catalogue.py)
from catalogue import CATALOGUE, materialise  # noqa: E402

D = catalogue.DEFAULTS
HTTP_OPS = ("jwt_verify_jwks", "jwk_parse", "jwks_parse")


def text(data):
    return data.decode("utf-8", "surrogateescape")


@pytest.fixture(scope="module")
def jwks_server():
    with catalogue.jwks_server() as srv:
        yield srv


def param(case, key):
    return int(case.get("params", {}).get(key, D.get(key)))


def invoke(case, data, server):
    op = case["op"]
    if op == "spa_secret":
        # A str is the hex secret; bytes would mean the 32 raw key bytes, another API.
        return _native.SpaTokenKey(text(data))
    key = _native.SpaTokenKey(D["spa_secret"])
    if op == "spa_verify":
        return key.verify(text(data), param(case, "now"))
    if op == "spa_issue":
        uid = text(data)
        token = key.issue(uid, param(case, "now"), param(case, "max_age"))
        assert key.verify(token, param(case, "now"))[0] == uid
        return token
    if op == "key_load":
        return _native.CloudFrontKey(D["key_pair_id"], text(data))
    if op == "key_load_base64":
        return _native.CloudFrontKey(D["key_pair_id"], text(data), base64=True)
    if op == "policy_ip":
        return _native.custom_policy_json(D["resource"], param(case, "expires"), None, text(data))
    if op == "policy_times":
        starts = case.get("params", {}).get("starts")
        return _native.custom_policy_json(D["resource"], param(case, "expires"),
                                          int(starts) if starts is not None else None)
    if op == "cloudfront_b64_decode":
        return _native.cloudfront_b64_decode(text(data))
    if op == "alb_decode":
        return _native.AlbVerifier([D["alb_arn"]], keys_url="http://127.0.0.1:9/unused").verify(text(data))
    if op == "signed_url":
        from pocket_sign.cloudfront import CloudFrontSigner

        pem = open(os.path.join(VECTORS, D["private_key_file"])).read()
        return CloudFrontSigner(D["key_pair_id"], pem).generate_presigned_url(
            text(data), date_less_than=param(case, "expires"))
    if op == "password":
        from pocket_sign.keygen import password

        return password(param(case, "length"), chars=text(data) if data else None)
    if op == "secret_hash":
        from pocket_sign.cognito import secret_hash

        return secret_hash(D["username"], D["client_id"], text(data))
    if op == "hmac_secret":
        from pocket_sign.hs_jwt import sign

        return sign({}, data, alg=D["hmac_alg"])
    if op in HTTP_OPS:
        if op == "jwt_verify_jwks":
            token, body = text(data), json.dumps(D["jwks"]).encode()
        elif op == "jwk_parse":
            token, body = D["jwk_probe_token"], b'{"keys":[' + data + b"]}"
        else:
            token, body = D["jwk_probe_token"], data
        server.RequestHandlerClass.body = body
        v = _native.CognitoVerifier([{
            "user_pool_id": D["cognito_user_pool_id"],
            "token_use": "access",
            "client_id": [D["cognito_client_id"]],
            "issuer": D["issuer"],
            "jwks_uri": f"http://127.0.0.1:{server.server_address[1]}/jwks.json",
        }])
        return v.verify(token, now=param(case, "now"))
    if op in ("jwt_decode", "toml_codegen"):
        pytest.skip(f"the Python package has no API for {op} (see the module docstring)")
    raise AssertionError(f"unknown catalogue op {op}: add it to this runner")


# Known gaps of the Python package (by op or case id), reported rather than hidden; strict, so
# the fix is noticed and the entry removed. Empty: every catalogue case the package has an API
# for gives the catalogue's kind. GAP_RAISES names the exception a gap is known to raise.
KNOWN: dict = {}
GAP_RAISES: dict = {}


@pytest.mark.parametrize("case", CATALOGUE["cases"], ids=[c["id"] for c in CATALOGUE["cases"]])
def test_bad_input(case, jwks_server, request):
    expect = case["expect"]
    if case["op"] in HTTP_OPS:
        expect = expect.get("http", expect)
    expect = expect.get("python", expect)
    gap = KNOWN.get(case["id"]) or KNOWN.get(case["op"])
    if gap and not expect.get("ok"):
        # raises=: only the documented wrong exception counts as the known gap; an input that is
        # accepted (no exception at all) fails the test.
        request.applymarker(pytest.mark.xfail(reason=gap, strict=True, raises=GAP_RAISES.get(gap, AssertionError)))
    data = materialise(case["input"])
    if expect.get("ok"):
        invoke(case, data, jwks_server)
        return
    if expect["error"] == "boundary":
        with pytest.raises((TypeError, ValueError, OverflowError)) as info:
            invoke(case, data, jwks_server)
        assert not isinstance(info.value, PocketSignError) or info.value.kind in ("InvalidArgument",), info.value
        return
    with pytest.raises(PocketSignError) as info:
        invoke(case, data, jwks_server)
    e = info.value
    assert e.kind == expect["kind"], (type(e).__name__, e.kind, str(e))
    msg = str(e)
    assert msg and "\n" not in msg, msg
