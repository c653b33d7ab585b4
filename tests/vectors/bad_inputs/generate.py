#!/usr/bin/env python3
"""Generates tests/vectors/bad_inputs.json, the language-neutral bad-input catalogue.

Deterministic: run `python3 tests/vectors/bad_inputs/generate.py` and `git diff --exit-code`
(suite 85-hardening does). Needs only the standard library plus `cryptography` (to read the
checked-in keys of tests/vectors/bad_inputs/keys/ and tests/vectors/jwt/keys/ and derive JWKs
from them; the keys themselves were made once with openssl and are test material only).

Schema of the output (one object):

- `defaults`: the fixed parameters every runner uses (SPA secret, `now`, key pair id, JWKS and
  issuer for `jwt_verify_jwks`, ALB ARN, ...).
- `operations`: for each `op`, what it calls in each front end and how the input is passed.
- `cases`: `{id, op, input, params?, expect, note?}`.
  - `input` is one of `{"utf8": STR}` (a JSON string; may contain NUL as \\u0000),
    `{"base64": STR}` (raw bytes, e.g. non-UTF-8), `{"repeat": STR, "count": N}` (STR*N, UTF-8;
    for the 1 MiB inputs), `{"concat": [INPUT, ...]}` (the parts' bytes in order) or
    `{"file": PATH}` (bytes of a file, PATH relative to tests/vectors/).
  - `params` are op parameters overriding `defaults`; integers are given as decimal *strings*
    (exact in every language): a runner that cannot represent one in its API type (negative,
    over 2^64-1, over 2^53-1 in JavaScript) must report a boundary error.
  - `expect` is `{"ok": true}` or `{"error": "Enum::Variant", "kind": K, "exit": 1|2}`:
    `error` is the Rust core error, `kind` the stable kind string every front end reports (the
    core's `kind()`: the variant name, core/src/error_kind.rs), `exit` the CLI exit code (README: 1 failed verification, 2 usage or input
    error). `"error": "boundary"` means the input cannot be represented in the API's types
    (non-UTF-8 where a string is required, a negative or overflowing integer): Rust proves it
    does not convert, the CLI exits 2, Python raises TypeError/ValueError/OverflowError
    (UnicodeError is a ValueError), WASM throws kind `InvalidArgument`.
    `expect.cli` / `expect.python` / `expect.wasm` override per front end where the front end
    legitimately differs (documented in `note`); `expect.http` overrides for front ends that
    get the JWKS over HTTP through the fetcher (CLI, Python verifiers).
"""

import base64
import json
import os
import sys

from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.dirname(HERE)
OUT = os.path.join(VECTORS, "bad_inputs.json")
MIB = 1024 * 1024


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_json(obj):
    return b64u(json.dumps(obj, separators=(",", ":")).encode())


def u(text):
    return {"utf8": text}


def raw(data):
    return {"base64": base64.b64encode(data).decode()}


def rep(s, count, prefix="", suffix=""):
    d = {"repeat": s, "count": count}
    if prefix or suffix:
        return cat(u(prefix), d, u(suffix))
    return d


def cat(*parts):
    return {"concat": list(parts)}


def f(path):
    return {"file": path}


def err(error, exit_code, kind=None, **over):
    e = {"error": error, "kind": kind or error.split("::")[-1], "exit": exit_code}
    e.update(over)
    return e


OK = {"ok": True}
BOUNDARY = {"error": "boundary", "kind": "InvalidArgument", "exit": 2}


def load_private(path):
    with open(os.path.join(VECTORS, path), "rb") as fh:
        return serialization.load_pem_private_key(fh.read(), password=None)


def int_b64u(n, length=None):
    length = length or (n.bit_length() + 7) // 8
    return b64u(n.to_bytes(length, "big"))


def main():
    jwt_vectors = json.load(open(os.path.join(VECTORS, "jwt", "jwt_vectors.json")))
    issuer = jwt_vectors["issuer"]
    rsa_jwk = next(k for k in jwt_vectors["jwks"]["keys"] if k["kid"] == "rsa-1")
    jwks = {"keys": [rsa_jwk]}
    good_jwt = jwt_vectors["cases"][0]["token"]
    assert good_jwt.split(".")[0] and jwt_vectors["cases"][0]["expected"] == "valid"
    h, p, s = good_jwt.split(".")
    # One bit flipped in the middle of the signature (still valid base64url).
    mid = len(s) // 2
    flipped = s[:mid] + ("A" if s[mid] != "A" else "B") + s[mid + 1:]

    rsa2047 = load_private("bad_inputs/keys/rsa2047_pkcs8.pem").public_key().public_numbers()
    assert rsa2047.n.bit_length() == 2047
    p256 = load_private("jwt/keys/ec_p256.pem").public_key().public_numbers()
    p256_x, p256_y = p256.x.to_bytes(32, "big"), p256.y.to_bytes(32, "big")
    ed = load_private("jwt/keys/ed25519.pem").public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def jwk_ec(x, y, crv="P-256", **extra):
        k = {"kty": "EC", "kid": "probe", "crv": crv, "x": x, "y": y}
        k.update(extra)
        return json.dumps(k)

    alb_header = {"alg": "ES256", "kid": "7f6c3a2e-1d4b-4c8a-9e0f-123456789abc",
                  "signer": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188",
                  "client": "oidc-client", "exp": 1700000120}
    alb_payload = {"sub": "user-1", "exp": 1700000120}

    demo_b64 = base64.b64encode(open(os.path.join(VECTORS, "..", "..", "examples",
                                                  "demo-cloudfront-key.pem"), "rb").read()).decode()

    cases = []

    def case(id_, op, input_, expect, params=None, note=None):
        c = {"id": id_, "op": op, "input": input_}
        if params:
            c["params"] = params
        c["expect"] = expect
        if note:
            c["note"] = note
        cases.append(c)

    # --- spa_secret: SpaTokenKey::from_hex --------------------------------------------------
    E = lambda: err("SpaTokenError::InvalidSecret", 2)  # noqa: E731
    case("spa_secret/empty", "spa_secret", u(""), E())
    case("spa_secret/huge_1mib", "spa_secret", rep("a", MIB), E())
    case("spa_secret/63_hex", "spa_secret", u("0" * 63), E(), note="one hex digit (4 bits) short")
    case("spa_secret/65_hex", "spa_secret", u("0" * 65), E())
    case("spa_secret/not_hex", "spa_secret", u("g" * 64), E())
    case("spa_secret/nul_inside", "spa_secret", u("0" * 31 + "\u0000" + "0" * 32), E())
    case("spa_secret/non_utf8", "spa_secret", raw(b"\xff" * 64), BOUNDARY,
         note="64 bytes that are not UTF-8; the CLI reads the secret file as UTF-8 and exits 2")
    case("spa_secret/base64_of_32_bytes", "spa_secret", u(base64.b64encode(b"k" * 32).decode()), E(),
         note="the right 32 bytes in the wrong encoding (44 base64 chars)")
    case("spa_secret/unicode_digits", "spa_secret", u("\u0661" * 32), E(),
         note="Arabic-Indic digits: 64 bytes of UTF-8 that are not ASCII hex")
    case("spa_secret/uppercase_ok", "spa_secret", u("0123456789ABCDEF" * 4), OK,
         note="upper-case hex is accepted (control case)")

    # --- spa_verify: SpaTokenKey::verify with defaults.spa_secret at defaults.now -------------
    M = lambda: err("SpaTokenError::Malformed", 1)  # noqa: E731
    B = lambda: err("SpaTokenError::BadSignature", 1)  # noqa: E731
    sig0 = "0" * 64
    case("spa_verify/empty", "spa_verify", u(""), M())
    case("spa_verify/huge_1mib", "spa_verify", rep("a", MIB, prefix="42:1700003600:"), M())
    case("spa_verify/non_utf8", "spa_verify", raw(b"\xff\xfe:1700003600:" + b"0" * 64), BOUNDARY)
    case("spa_verify/nul_in_user_id", "spa_verify", u("4\u00002:1700003600:" + sig0), B())
    case("spa_verify/two_parts", "spa_verify", u("42:1700003600"), M())
    case("spa_verify/four_parts", "spa_verify", u("42:x:1700003600:" + sig0), M())
    case("spa_verify/negative_expiry", "spa_verify", u("42:-1:" + sig0), M())
    case("spa_verify/plus_expiry", "spa_verify", u("42:+1700003600:" + sig0), M())
    case("spa_verify/leading_zero_expiry", "spa_verify", u("42:01700003600:" + sig0), M())
    case("spa_verify/overflow_expiry", "spa_verify", u("42:18446744073709551616:" + sig0), M(),
         note="2^64: one past u64::MAX")
    case("spa_verify/huge_expiry_digits", "spa_verify", u("42:" + "9" * 400 + ":" + sig0), M())
    case("spa_verify/unicode_digit_expiry", "spa_verify", u("42:\u0661\u0662:" + sig0), M(),
         note="Python's int() accepts these; the core does not")
    case("spa_verify/empty_user_id", "spa_verify", u(":1700003600:" + sig0), M())
    case("spa_verify/uppercase_signature", "spa_verify", u("42:1700003600:" + "A" * 64), B())
    case("spa_verify/base64_signature", "spa_verify",
         u("42:1700003600:" + base64.b64encode(b"\x00" * 32).decode()), B(),
         note="a 32-byte MAC in base64 instead of hex")
    case("spa_verify/short_signature", "spa_verify", u("42:1700003600:" + "0" * 63), B())
    case("spa_verify/wrong_signature", "spa_verify", u("42:1700003600:" + sig0), B())

    # --- spa_issue: SpaTokenKey::issue(input, now, max_age), then verify (round trip) ------
    IU = lambda: err("SpaTokenError::InvalidUserId", 2)  # noqa: E731
    case("spa_issue/empty_user_id", "spa_issue", u(""), IU())
    case("spa_issue/colon_user_id", "spa_issue", u("a:b"), IU())
    case("spa_issue/huge_user_id", "spa_issue", rep("u", MIB), IU(),
         note="the token would exceed 4096 bytes")
    case("spa_issue/user_id_4000_bytes_ok", "spa_issue", rep("u", 4000), OK)
    case("spa_issue/unicode_user_id", "spa_issue", u("ユーザー42"), OK)
    case("spa_issue/emoji_user_id", "spa_issue", u("\U0001F600\u200d\U0001F4BB"), OK)
    case("spa_issue/rtl_override_user_id", "spa_issue", u("abc\u202edef"), OK)
    case("spa_issue/combining_user_id", "spa_issue", u("e\u0301"), OK,
         note="not normalised: 'e'+U+0301 stays distinct from U+00E9")
    case("spa_issue/nul_user_id", "spa_issue", u("4\u00002"), OK,
         note="NUL is a valid user id character for the core; argv cannot carry it (CLI skips)")
    case("spa_issue/non_utf8_user_id", "spa_issue", raw(b"\xc3\x28"), BOUNDARY)
    case("spa_issue/max_age_overflow", "spa_issue", u("42"),
         err("SpaTokenError::ExpiryOverflow", 2, wasm=BOUNDARY),
         params={"max_age": "18446744073709551615"},
         note="now + u64::MAX overflows; JavaScript numbers stop at 2^53-1 (WASM: InvalidArgument)")
    case("spa_issue/max_age_negative", "spa_issue", u("42"), BOUNDARY, params={"max_age": "-1"})
    case("spa_issue/max_age_2_64", "spa_issue", u("42"), BOUNDARY,
         params={"max_age": "18446744073709551616"})
    case("spa_issue/now_negative", "spa_issue", u("42"), BOUNDARY, params={"now": "-1700000000"})

    # --- jwt_decode: jwt::decode ------------------------------------------------------------
    P = lambda: err("JwtError::Parse", 1)  # noqa: E731
    hdr = b64u_json({"alg": "RS256", "kid": "rsa-1"})
    case("jwt_decode/empty", "jwt_decode", u(""), P())
    case("jwt_decode/huge_1mib", "jwt_decode", rep("A", MIB, prefix=hdr + ".", suffix=".AA"),
         err("JwtError::TooLarge", 1))
    case("jwt_decode/non_utf8", "jwt_decode", raw(b"\xff." + p.encode() + b"." + s.encode()), BOUNDARY)
    case("jwt_decode/nul", "jwt_decode", u(h + ".\u0000." + s), P())
    case("jwt_decode/two_segments", "jwt_decode", u(h + "." + p), P())
    case("jwt_decode/standard_alphabet", "jwt_decode",
         u(base64.b64encode(b'{"alg":"RS256","kid":"rsa-1??>"}').decode().rstrip("=") + "." + p + "." + s), P(),
         note="'+' and '/' of standard base64 are not base64url")
    case("jwt_decode/padded_segment", "jwt_decode", u(h + "=." + p + "." + s), P(),
         note="RFC 7515 §2: base64url without padding")
    case("jwt_decode/non_canonical_trailing_bits", "jwt_decode",
         u(b64u_json({"alg": "RS256"})[:-1] + "_." + p + "." + s), P())
    case("jwt_decode/header_not_object", "jwt_decode", u(b64u(b"[1]") + "." + p + "." + s), P())
    case("jwt_decode/alg_none", "jwt_decode", u(b64u_json({"alg": "none"}) + "." + p + "."),
         err("JwtError::Parse", 1),
         note="empty signature segment is malformed before alg is looked at")
    case("jwt_decode/exp_negative", "jwt_decode", u(hdr + "." + b64u_json({"exp": -1}) + "." + s), P())
    case("jwt_decode/exp_overflow", "jwt_decode", u(hdr + "." + b64u(b'{"exp":1e400}') + "." + s), P())
    case("jwt_decode/exp_string", "jwt_decode", u(hdr + "." + b64u_json({"exp": "1700000000"}) + "." + s), P())
    case("jwt_decode/unicode_sub_ok", "jwt_decode",
         u(hdr + "." + b64u(json.dumps({"sub": "ユーザー"}).encode()) + "." + s), OK)

    # --- jwt_verify_jwks: jwt::verify_with_jwks(defaults.jwks, issuer, now) ---------------
    case("jwt_verify_jwks/valid_control", "jwt_verify_jwks", u(good_jwt), OK)
    case("jwt_verify_jwks/flipped_signature", "jwt_verify_jwks", u(h + "." + p + "." + flipped),
         err("JwtError::InvalidSignature", 1))
    case("jwt_verify_jwks/truncated_signature", "jwt_verify_jwks", u(h + "." + p + "." + b64u(base64.urlsafe_b64decode(s + "==")[:-1])),
         err("JwtError::InvalidSignature", 1))
    case("jwt_verify_jwks/hs256_confusion", "jwt_verify_jwks",
         u(b64u_json({"alg": "HS256", "kid": "rsa-1"}) + "." + p + "." + s),
         err("JwtError::InvalidSignatureAlgorithm", 1),
         note="RSA public key used as an HMAC secret")
    case("jwt_verify_jwks/no_kid", "jwt_verify_jwks", u(b64u_json({"alg": "RS256"}) + "." + p + "." + s),
         err("JwtError::WithoutValidKid", 1))
    case("jwt_verify_jwks/unknown_kid", "jwt_verify_jwks",
         u(b64u_json({"alg": "RS256", "kid": "nope"}) + "." + p + "." + s),
         err("JwtError::KidNotFoundInJwks", 1))
    case("jwt_verify_jwks/es256_with_rsa_key", "jwt_verify_jwks",
         u(b64u_json({"alg": "ES256", "kid": "rsa-1"}) + "." + p + "." + s),
         err("JwtError::InvalidSignatureAlgorithm", 1),
         note="wrong key type: EC algorithm where the JWK is RSA")
    case("jwt_verify_jwks/unicode_kid", "jwt_verify_jwks",
         u(b64u(json.dumps({"alg": "RS256", "kid": "\u0440sa-1"}).encode()) + "." + p + "." + s),
         err("JwtError::KidNotFoundInJwks", 1),
         note="Cyrillic 'р' homoglyph of kid rsa-1")

    # --- jwk_parse: the input is the only key of a JWKS; a token with kid "probe" is verified
    JI = lambda: err("JwtError::JwkInvalid", 1)  # noqa: E731
    JK = lambda: err("JwtError::JwkInvalidKty", 1)  # noqa: E731
    n2047 = int_b64u(rsa2047.n)
    case("jwk_parse/rsa_2047_bits", "jwk_parse",
         u(json.dumps({"kty": "RSA", "kid": "probe", "n": n2047, "e": "AQAB"})), JI(),
         note="1 bit short of the 2048-bit minimum (real 2047-bit key)")
    case("jwk_parse/rsa_n_padded", "jwk_parse",
         u(json.dumps({"kty": "RSA", "kid": "probe", "n": rsa_jwk["n"] + "==", "e": "AQAB"})), JI())
    case("jwk_parse/rsa_n_standard_alphabet", "jwk_parse",
         u(json.dumps({"kty": "RSA", "kid": "probe",
                       "n": rsa_jwk["n"].replace("-", "+").replace("_", "/"), "e": "AQAB"})), JI())
    case("jwk_parse/rsa_e_even", "jwk_parse",
         u(json.dumps({"kty": "RSA", "kid": "probe", "n": rsa_jwk["n"], "e": "AAI"})), JI())
    case("jwk_parse/rsa_private_member", "jwk_parse",
         u(json.dumps({"kty": "RSA", "kid": "probe", "n": rsa_jwk["n"], "e": "AQAB", "d": "AQAB"})), JI(),
         note="private where public expected")
    case("jwk_parse/p256_x_one_byte_short", "jwk_parse", u(jwk_ec(b64u(p256_x[1:]), b64u(p256_y))), JI())
    case("jwk_parse/p256_y_one_byte_short", "jwk_parse", u(jwk_ec(b64u(p256_x), b64u(p256_y[1:]))), JI())
    case("jwk_parse/p256_not_on_curve", "jwk_parse",
         u(jwk_ec(b64u(p256_x), b64u(p256_y[:-1] + bytes([p256_y[-1] ^ 1])))), JI())
    case("jwk_parse/p256_coords_as_p384", "jwk_parse",
         u(jwk_ec(b64u(p256_x), b64u(p256_y), crv="P-384")), JI())
    case("jwk_parse/ec_secp256k1", "jwk_parse", u(jwk_ec(b64u(p256_x), b64u(p256_y), crv="secp256k1")), JK())
    case("jwk_parse/kty_oct", "jwk_parse", u(json.dumps({"kty": "oct", "kid": "probe", "k": "AAAA"})), JI(),
         note="a symmetric key member is refused before kty is looked at")
    case("jwk_parse/kty_unknown", "jwk_parse", u(json.dumps({"kty": "DSA", "kid": "probe"})), JK())
    case("jwk_parse/okp_x448", "jwk_parse",
         u(json.dumps({"kty": "OKP", "kid": "probe", "crv": "X448", "x": b64u(ed)})), JK())
    case("jwk_parse/ed25519_x_short", "jwk_parse",
         u(json.dumps({"kty": "OKP", "kid": "probe", "crv": "Ed25519", "x": b64u(ed[1:])})), JI())
    case("jwk_parse/kty_not_string", "jwk_parse", u(json.dumps({"kty": 1, "kid": "probe"})), JI())

    # --- jwks_parse: JwkSet::from_json ----------------------------------------------------
    # Over HTTP (CLI, live verifiers) the document comes through the fetcher, which reports
    # every unusable body as FetchError (aws-jwt-verify: FetchError for non-JSON, but
    # JwksValidationError for a JSON body of the wrong shape; a documented difference).
    FETCH = {"error": "JwtError::Fetch", "kind": "Fetch", "exit": 1}
    JS = lambda: err("JwtError::JwksInvalid", 1, http=FETCH)  # noqa: E731
    case("jwks_parse/empty", "jwks_parse", u(""), JS())
    case("jwks_parse/huge_1mib", "jwks_parse", rep(" ", MIB, prefix='{"keys":[]', suffix="}"), JS())
    case("jwks_parse/non_utf8", "jwks_parse", raw(b'{"keys":["\xff"]}'), JS(),
         note="the JWKS is bytes (an HTTP body): invalid UTF-8 is a JSON error, not a boundary")
    case("jwks_parse/nul", "jwks_parse", u('{"keys":[]}\u0000'), JS())
    case("jwks_parse/keys_not_array", "jwks_parse", u('{"keys":{}}'), JS())
    case("jwks_parse/key_not_object", "jwks_parse", u('{"keys":[1]}'), JS())
    case("jwks_parse/too_many_keys", "jwks_parse", cat(u('{"keys":['), rep('{"kty":"RSA"},', 100), u('{"kty":"RSA"}]}')), JS())
    case("jwks_parse/deep_nesting", "jwks_parse", cat(u('{"keys":'), rep("[", 100000), rep("]", 100000), u("}")), JS(),
         note="100,000 nested arrays: must not overflow the stack")

    # --- alb_decode: alb::decode_alb_data --------------------------------------------------
    AM = lambda: err("AlbError::Malformed", 1)  # noqa: E731
    ah, ap = b64u_json(alb_header), b64u_json(alb_payload)
    case("alb_decode/empty", "alb_decode", u(""), AM())
    case("alb_decode/huge_1mib", "alb_decode", rep("A", MIB, prefix=ah + ".", suffix=".AA"),
         err("AlbError::TooLarge", 1))
    case("alb_decode/non_utf8", "alb_decode", raw(b"\xff." + ap.encode() + b".AA"), BOUNDARY)
    case("alb_decode/nul", "alb_decode", u(ah + ".\u0000.AA"), AM())
    case("alb_decode/two_segments", "alb_decode", u(ah + "." + ap), AM())
    case("alb_decode/bad_base64", "alb_decode", u(ah + "." + ap + ".!!!!"), AM())
    case("alb_decode/wrong_padding", "alb_decode", u(ah + "=." + ap + "=.AA=="), AM(),
         note="one '=' where the length needs none or two")
    case("alb_decode/exp_negative", "alb_decode",
         u(b64u_json(dict(alb_header, exp=-1)) + "." + ap + ".AA"), AM())
    case("alb_decode/exp_overflow", "alb_decode",
         u(b64u_json(dict(alb_header, exp=18446744073709551616)) + "." + ap + ".AA"), AM())
    case("alb_decode/header_array", "alb_decode", u(b64u(b"[]") + "." + ap + ".AA"), AM())

    # --- key_load: cloudfront::SigningKey::from_pem ------------------------------------------
    IK = lambda: err("SigningError::InvalidKey", 2)  # noqa: E731
    UK = lambda: err("SigningError::UnsupportedKey", 2)  # noqa: E731
    case("key_load/empty", "key_load", u(""), IK())
    case("key_load/huge_1mib", "key_load", rep("A", MIB, prefix="-----BEGIN PRIVATE KEY-----\n",
                                                    suffix="\n-----END PRIVATE KEY-----\n"), IK())
    case("key_load/non_utf8", "key_load", raw(b"-----BEGIN PRIVATE KEY-----\n\xff\xfe\n-----END PRIVATE KEY-----\n"),
         BOUNDARY)
    case("key_load/nul", "key_load", u("-----BEGIN PRIVATE KEY-----\nAAAA\u0000\n-----END PRIVATE KEY-----\n"), IK())
    case("key_load/rsa_2047_pkcs8", "key_load", f("bad_inputs/keys/rsa2047_pkcs8.pem"),
         err("SigningError::WeakRsaKey", 2), note="1 bit short of 2048")
    case("key_load/rsa_2047_pkcs1", "key_load", f("bad_inputs/keys/rsa2047_pkcs1.pem"),
         err("SigningError::WeakRsaKey", 2))
    case("key_load/public_key", "key_load", f("bad_inputs/keys/demo_public.pem"), IK(),
         note="public where private expected")
    case("key_load/ed25519", "key_load", f("bad_inputs/keys/ed25519.pem"), UK())
    case("key_load/ec_p384_sec1", "key_load", f("bad_inputs/keys/ec_p384_sec1.pem"), UK())
    case("key_load/ec_secp256k1_sec1", "key_load", f("bad_inputs/keys/ec_secp256k1_sec1.pem"), UK())
    case("key_load/ec_p384_pkcs8", "key_load", f("jwt/keys/ec_p384.pem"), UK())
    case("key_load/encrypted", "key_load", f("bad_inputs/keys/demo_encrypted_pkcs8.pem"), IK())
    case("key_load/unknown_label", "key_load",
         u("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"), IK())
    case("key_load/truncated_der", "key_load",
         u("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"), IK())
    case("key_load/demo_key_ok", "key_load", f("../../examples/demo-cloudfront-key.pem"), OK)

    # --- key_load_base64: SigningKey::from_pem_base64 ({NAME}_PEM_BASE64) --------------------
    case("key_load_base64/empty", "key_load_base64", u(""), IK())
    demo_pem = open(os.path.join(VECTORS, "..", "..", "examples", "demo-cloudfront-key.pem"), "rb").read()
    # Base64 of ASCII PEM text only uses '+' or '/' for '>', '?', '~' bytes: prefix a comment
    # line of '?' (text before -----BEGIN is ignored) so base64url differs from base64.
    url_safe = base64.urlsafe_b64encode(b"???\n" + demo_pem).decode()
    assert "_" in url_safe
    case("key_load_base64/url_safe_alphabet", "key_load_base64", u(url_safe), IK(),
         note="base64url instead of standard base64")
    case("key_load_base64/missing_padding", "key_load_base64", u(demo_b64.rstrip("=") + "A"), IK())
    case("key_load_base64/extra_padding", "key_load_base64", u(demo_b64 + "=="), IK())
    case("key_load_base64/non_utf8_pem", "key_load_base64", u(base64.b64encode(b"\xff\xfe\xfd").decode()), IK())
    case("key_load_base64/huge_1mib", "key_load_base64", rep("QUFB", MIB // 4), IK())
    case("key_load_base64/demo_ok", "key_load_base64", u(demo_b64), OK)

    # --- signed_url: CloudFrontSigner::signed_url(input, canned, defaults.expires) -----------
    IU2 = lambda: err("SigningError::InvalidUrl", 2)  # noqa: E731
    case("signed_url/empty", "signed_url", u(""), IU2())
    case("signed_url/huge_1mib", "signed_url", rep("a", MIB, prefix="https://example.org/"),
         err("SigningError::UrlTooLong", 2))
    case("signed_url/nul", "signed_url", u("https://example.org/a\u0000b"), IU2())
    case("signed_url/space", "signed_url", u("https://example.org/a b"), IU2())
    case("signed_url/fragment", "signed_url", u("https://example.org/a#frag"), IU2())
    case("signed_url/already_signed", "signed_url", u("https://example.org/a?Signature=x"), IU2())
    case("signed_url/non_utf8", "signed_url", raw(b"https://example.org/\xff"), BOUNDARY)
    case("signed_url/unicode_ok", "signed_url", u("https://example.org/ユーザー.jpg"), OK,
         note="signed exactly as given, as botocore does")

    # --- policy_ip: CustomPolicy(defaults.resource, defaults.expires).from_ip(input) ---------
    IP = lambda: err("SigningError::InvalidIpAddress", 2)  # noqa: E731
    case("policy_ip/empty", "policy_ip", u(""), IP())
    case("policy_ip/huge_1mib", "policy_ip", rep("1", MIB), IP())
    case("policy_ip/nul", "policy_ip", u("192.0.2.1\u0000"), IP())
    case("policy_ip/octet_256", "policy_ip", u("256.0.0.1"), IP())
    case("policy_ip/negative_octet", "policy_ip", u("-1.0.0.1"), IP())
    case("policy_ip/prefix_33", "policy_ip", u("192.0.2.0/33"), IP())
    case("policy_ip/prefix_negative", "policy_ip", u("192.0.2.0/-1"), IP())
    case("policy_ip/prefix_overflow", "policy_ip", u("192.0.2.0/18446744073709551648"), IP())
    case("policy_ip/unicode_digits", "policy_ip", u("\u0661\u0669\u0662.0.2.1"), IP())
    case("policy_ip/ipv6", "policy_ip", u("2001:db8::1"), err("SigningError::Ipv6NotSupported", 2))
    case("policy_ip/cidr_ok", "policy_ip", u("192.0.2.0/24"), OK)

    # --- policy_times: CustomPolicy(defaults.resource, expires).starting_at(starts) ----------
    case("policy_times/start_equals_expiry", "policy_times", u(""),
         err("SigningError::StartNotBeforeExpiry", 2), params={"expires": "1767290400", "starts": "1767290400"})
    case("policy_times/expires_negative", "policy_times", u(""), BOUNDARY, params={"expires": "-1"})
    case("policy_times/expires_2_64", "policy_times", u(""), BOUNDARY,
         params={"expires": "18446744073709551616"})
    case("policy_times/starts_negative", "policy_times", u(""), BOUNDARY,
         params={"expires": "1767290400", "starts": "-5"})

    # --- cloudfront_b64_decode: encoding::cloudfront_b64_decode --------------------------------
    CB = lambda: err("EncodingError::InvalidCloudFrontBase64", 2)  # noqa: E731
    case("cloudfront_b64_decode/standard_alphabet", "cloudfront_b64_decode", u("+/8="), CB())
    case("cloudfront_b64_decode/url_safe_alphabet", "cloudfront_b64_decode", u("-_8A"), CB(),
         note="'_' is CloudFront padding, so base64url data is refused")
    case("cloudfront_b64_decode/missing_padding", "cloudfront_b64_decode", u("-~8"), CB())
    case("cloudfront_b64_decode/nul", "cloudfront_b64_decode", u("AA\u0000A"), CB())
    case("cloudfront_b64_decode/non_canonical", "cloudfront_b64_decode", u("-~9_"), CB())
    case("cloudfront_b64_decode/huge_1mib_ok", "cloudfront_b64_decode", rep("QUFB", MIB // 4), OK)

    # --- toml_codegen: PocketConfig::from_toml_str + codegen::generate(defaults.distribution) -
    case("toml_codegen/empty", "toml_codegen", u(""),
         err("CodegenError::UnknownDistribution", 2))
    case("toml_codegen/not_toml", "toml_codegen", u("[cloudfront.web\n"), err("ConfigError::Toml", 2))
    case("toml_codegen/nul", "toml_codegen", u("[cloudfront.web]\u0000\n"), err("ConfigError::Toml", 2))
    case("toml_codegen/non_utf8", "toml_codegen", raw(b"[cloudfront.web]\nx = \"\xff\"\n"), BOUNDARY)
    case("toml_codegen/huge_1mib", "toml_codegen", rep("#", MIB, prefix="[cloudfront.web]\n", suffix="\nroutes = 1\n"),
         err("ConfigError::Schema", 2))
    case("toml_codegen/routes_not_array", "toml_codegen", u("[cloudfront.web]\nroutes = 1\n"),
         err("ConfigError::Schema", 2))
    case("toml_codegen/deep_nesting", "toml_codegen", cat(u("x = "), rep("[", 100000), rep("]", 100000), u("\n")),
         err("ConfigError::Toml", 2), note="must not overflow the stack")
    case("toml_codegen/integer_overflow", "toml_codegen", u("x = 9223372036854775808\n"),
         err("ConfigError::Toml", 2))

    # --- hmac_secret: jwt::hs::HmacSecret::new(HS256, input bytes) ---------------------------
    PV = lambda: err("JwtError::ParameterValidation", 2)  # noqa: E731
    case("hmac_secret/empty", "hmac_secret", u(""),
         err("JwtError::ParameterValidation", 2,
             cli={"error": "CliError::Input", "kind": "Input", "exit": 2}),
         note="the CLI reports an empty variable as unset (exit 2)")
    case("hmac_secret/31_bytes", "hmac_secret", u("s" * 31), PV(), note="one byte short of HS256's 32")
    case("hmac_secret/non_utf8_32_bytes_ok", "hmac_secret", raw(b"\xff" * 32), OK,
         note="an HMAC secret is bytes: non-UTF-8 is fine")
    case("hmac_secret/huge_1mib_ok", "hmac_secret", rep("s", MIB), OK)

    # --- secret_hash: cognito::secret_hash(defaults.username, defaults.client_id, input) -----
    case("secret_hash/unicode_secret_ok", "secret_hash", u("sécret-ユーザー"), OK)
    case("secret_hash/empty_secret", "secret_hash", u(""), OK,
         note="the core computes it; the CLI refuses an empty variable (exit 2)",
         )
    cases[-1]["expect"] = {"ok": True, "cli": {"error": "CliError::Input", "kind": "Input", "exit": 2}}
    case("secret_hash/non_utf8_secret", "secret_hash", raw(b"\xff\xfe"), BOUNDARY)

    # --- password: keygen::generate_password(length, chars) ----------------------------------
    case("password/length_zero", "password", u(""), err("KeygenError::InvalidLength", 2), params={"length": "0"})
    case("password/length_huge", "password", u(""), err("KeygenError::InvalidLength", 2),
         params={"length": "1048576"})
    case("password/length_negative", "password", u(""), BOUNDARY, params={"length": "-1"})
    case("password/one_char_charset", "password", u("aaaa"), err("KeygenError::InvalidCharset", 2),
         params={"length": "16"}, note="input = charset; fewer than 2 distinct characters")
    case("password/unicode_charset_ok", "password", u("αβγδ"), OK, params={"length": "16"})

    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"

    doc = {
        "description": "Bad-input catalogue: every front end (Rust core/tests/bad_inputs.rs, CLI "
                       "tests/hardening/test_bad_inputs.py, Python bindings-python/tests/test_bad_inputs.py, "
                       "WASM bindings-wasm/test/bad_inputs.test.mjs) runs every case it has an API for "
                       "and must give the expected typed error, never panic, never print partial output. "
                       "Generated by tests/vectors/bad_inputs/generate.py; do not edit by hand.",
        "defaults": {
            "spa_secret": "0123456789abcdef" * 4,
            "now": "1700000000",
            "max_age": "3600",
            "key_pair_id": "K2JCJMDEHXQW5F",
            "private_key_file": "../../examples/demo-cloudfront-key.pem",
            "expires": "1767290400",
            "resource": "https://d111111abcdef8.cloudfront.net/media/*",
            "url": "https://d111111abcdef8.cloudfront.net/media/demo.jpg",
            "issuer": issuer,
            "jwks": jwks,
            "jwk_probe_token": b64u_json({"alg": "RS256", "kid": "probe"}) + "." + p + "." + s,
            "alb_arn": alb_header["signer"],
            "alb_region": "eu-west-1",
            "distribution": "web",
            "cognito_user_pool_id": "ap-northeast-1_VECTORS1",
            "cognito_client_id": jwt_vectors["client_id"],
            "username": "alice",
            "client_id": "client123",
            "hmac_alg": "HS256",
        },
        "operations": {
            "spa_secret": "SpaTokenKey::from_hex(input). CLI: token issue 42 --secret-file FILE(input).",
            "spa_verify": "SpaTokenKey(defaults.spa_secret).verify(input, now). CLI: token verify - (stdin = input).",
            "spa_issue": "SpaTokenKey(defaults.spa_secret).issue(input, now, max_age), then verify the token "
                         "and compare the user id. CLI: token issue INPUT --now --max-age.",
            "jwt_decode": "jwt::decode(input). CLI: jwt decode INPUT.",
            "jwt_verify_jwks": "jwt::verify_with_jwks(input, defaults.jwks, issuers=[defaults.issuer], now). "
                               "CLI: jwt verify INPUT --issuer --jwks-url (local server).",
            "jwk_parse": "JWKS {\"keys\": [input]} then verify defaults.jwk_probe_token (kid 'probe'): the "
                         "error is the JWK's own (JwkSet::find reports why the key is unusable).",
            "jwks_parse": "JwkSet::from_json(input bytes).",
            "alb_decode": "alb::decode_alb_data(input). CLI: alb verify INPUT --region --alb-arn (fails before any fetch).",
            "key_load": "SigningKey::from_pem(input). CLI: url defaults.url --key-pair-id --private-key FILE(input).",
            "key_load_base64": "SigningKey::from_pem_base64(input). CLI: url --key NAME with NAME_PEM_BASE64=input.",
            "signed_url": "CloudFrontSigner(demo key).signed_url(input, Canned{expires}). CLI: url INPUT --private-key demo.",
            "policy_ip": "CustomPolicy::new(resource, expires).from_ip(input). CLI: policy RESOURCE --expires-at --ip INPUT.",
            "policy_times": "CustomPolicy::new(resource, params.expires).starting_at(params.starts), validate(). "
                            "CLI: policy RESOURCE --expires-at --starts-at.",
            "cloudfront_b64_decode": "encoding::cloudfront_b64_decode(input).",
            "toml_codegen": "PocketConfig::from_toml_str(input, None) then codegen::generate(config, defaults.distribution, None). "
                            "CLI: cf-function --config FILE(input) --distribution web.",
            "hmac_secret": "jwt::hs::HmacSecret::new(HS256, input bytes). CLI: jwt sign --secret-env VAR(input) --claims {}.",
            "secret_hash": "cognito::secret_hash(defaults.username, defaults.client_id, input). "
                           "CLI: secret-hash USER --client-id --client-secret-env VAR(input).",
            "password": "keygen::generate_password(params.length, Some(input) unless empty). CLI: keygen password --length [--chars].",
        },
        "cases": cases,
    }
    text = json.dumps(doc, indent=1, ensure_ascii=True) + "\n"
    if "--check" in sys.argv:
        sys.exit(0 if open(OUT).read() == text else 1)
    with open(OUT, "w") as fh:
        fh.write(text)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
