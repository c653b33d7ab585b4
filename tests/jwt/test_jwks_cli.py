"""`pocket-sign jwt verify` against a local JWKS server: every rejection the issue lists, the
issuer chosen before any fetch, endpoint faults with bounded waits, and shared-secret mode."""
import json
import time

import jwt as pyjwt
import pytest

from conftest import run_cli
from tokens import (CLIENT, ISSUER, POOL, EcKey, RsaKey, access_claims, hs_with_public_key, id_claims, jwks,
                    tamper, unsigned)

JWKS_PATH = "/eu-west-1_TestPool1/.well-known/jwks.json"


@pytest.fixture(scope="module")
def keys():
    return {"rsa": RsaKey("rsa-kid-1"), "ec": EcKey("ec-kid-1"), "foreign": RsaKey("rsa-kid-1"),
            "other": RsaKey("not-in-jwks")}


@pytest.fixture
def jwks_server(server, keys):
    server.set(JWKS_PATH, jwks(keys["rsa"], keys["ec"]))
    return server


def verify(server, token, use="access", client=CLIENT, *extra):
    return run_cli("jwt", "verify", token, "--user-pool-id", POOL, "--client-id", client, "--token-use", use,
                   "--jwks-url", server.url(JWKS_PATH), *extra)


def test_valid_access_and_id_tokens(jwks_server, keys):
    r = verify(jwks_server, keys["rsa"].sign(access_claims()))
    assert r.code == 0, r
    assert json.loads(r.out)["username"] == "alice"
    r = verify(jwks_server, keys["ec"].sign(id_claims()), "id")
    assert r.code == 0, r
    assert json.loads(r.out)["email"] == "a@example.com"


NOW = int(time.time())

CASES = [
    # (name, token builder, token_use, expected error class)
    ("tampered payload", lambda k: tamper(k["rsa"].sign(access_claims()), username="admin"), "access",
     "InvalidSignature"),
    ("signed by a foreign key with a known kid", lambda k: k["foreign"].sign(access_claims()), "access",
     "InvalidSignature"),
    ("signed by a key not in the JWKS", lambda k: k["other"].sign(access_claims()), "access",
     "KidNotFoundInJwks"),
    ("wrong client", lambda k: k["rsa"].sign(access_claims(client_id="evil-client")), "access",
     "InvalidClientId"),
    ("wrong client in id token", lambda k: k["rsa"].sign(id_claims(aud="evil-client")), "id",
     "InvalidClientId"),
    ("id token used as access token", lambda k: k["rsa"].sign(id_claims()), "access",
     "InvalidTokenUse"),
    ("access token used as id token", lambda k: k["rsa"].sign(access_claims()), "id",
     "InvalidTokenUse"),
    ("wrong issuer", lambda k: k["rsa"].sign(access_claims(iss=ISSUER + "x")), "access", "InvalidIssuer"),
    ("expired", lambda k: k["rsa"].sign(access_claims(exp=NOW - 60)), "access", "Expired"),
    ("not yet valid", lambda k: k["rsa"].sign(access_claims(nbf=NOW + 600)), "access", "NotBefore"),
    ("no exp (stricter than aws-jwt-verify)", lambda k: k["rsa"].sign(access_claims(exp=None)), "access",
     "InvalidClaim"),
    ("alg none, empty signature", lambda k: unsigned(access_claims(), "rsa-kid-1"), "access",
     "Parse|InvalidSignatureAlgorithm"),
    ("alg none with a signature", lambda k: unsigned(access_claims(), "rsa-kid-1") + "AAAA", "access",
     "InvalidSignatureAlgorithm"),
    ("alg confusion: HS256 keyed with the RSA public key", lambda k: hs_with_public_key(k["rsa"], access_claims()),
     "access", "InvalidSignatureAlgorithm"),
    ("alg confusion: RS256 header on the EC key's kid",
     lambda k: k["rsa"].sign(access_claims(), headers={"kid": "ec-kid-1"}), "access",
     "InvalidSignatureAlgorithm"),
    ("no kid", lambda k: pyjwt.encode(access_claims(), k["rsa"].private, algorithm="RS256"), "access", "WithoutValidKid"),
]


@pytest.mark.parametrize("name,build,use,error", CASES, ids=[c[0] for c in CASES])
def test_rejections(jwks_server, keys, name, build, use, error):
    r = verify(jwks_server, build(keys), use)
    assert r.code == 1, r
    assert r.out == ""
    assert any(f"pocket-sign: {e}: " in r.err for e in error.split("|")), r


def test_grace_allows_recently_expired(jwks_server, keys):
    t = keys["rsa"].sign(access_claims(exp=NOW - 30))
    assert verify(jwks_server, t).code == 1
    assert verify(jwks_server, t, "access", CLIENT, "--grace", "120").code == 0


def test_unknown_issuer_is_rejected_before_any_fetch(jwks_server, keys):
    t = keys["rsa"].sign(access_claims(iss="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Attacker"))
    r = verify(jwks_server, t)
    assert r.code == 1 and "pocket-sign: InvalidIssuer: " in r.err, r
    assert jwks_server.count(JWKS_PATH) == 0


def test_hs_token_rejected_before_any_fetch(jwks_server, keys):
    r = verify(jwks_server, hs_with_public_key(keys["rsa"], access_claims()))
    assert r.code == 1
    assert jwks_server.count(JWKS_PATH) == 0


def test_region_flag_and_invalid_pool_id(jwks_server, keys):
    t = keys["rsa"].sign(access_claims())
    r = verify(jwks_server, t, "access", CLIENT, "--region", "us-east-1")
    assert r.code == 1 and "pocket-sign: InvalidIssuer: " in r.err, r
    r = run_cli("jwt", "verify", t, "--user-pool-id", "not/a_pool", "--client-id", CLIENT, "--token-use", "access")
    assert r.code == 2 and "pocket-sign: ParameterValidation: " in r.err, r


def test_client_id_check_is_never_silently_off(jwks_server, keys):
    """JWKS mode without --client-id is a usage error (exit 2, nothing fetched); accepting
    every app client needs the explicit --any-client-id (aws-jwt-verify's clientId: null)."""
    other_client = keys["rsa"].sign(access_claims(client_id="some-other-app-client"))
    url = jwks_server.url(JWKS_PATH)
    for mode in (["--user-pool-id", POOL, "--token-use", "access", "--jwks-url", url],
                 ["--issuer", ISSUER, "--jwks-url", url]):
        before = jwks_server.count(JWKS_PATH)
        r = run_cli("jwt", "verify", other_client, *mode)
        assert r.code == 2 and "--client-id is required" in r.err and "--any-client-id" in r.err, r
        r = run_cli("jwt", "verify", other_client, *mode, "--client-id", "")
        assert r.code == 2 and "must not be empty" in r.err, r
        assert jwks_server.count(JWKS_PATH) == before  # refused before any fetch
        if "--issuer" in mode:
            # A generic issuer: which claim holds the client id (client_id or aud) depends on the
            # token use, so --client-id without --token-use is a usage error, before any fetch.
            r = run_cli("jwt", "verify", other_client, *mode, "--client-id", CLIENT)
            assert r.code == 2 and "token use" in r.err, r
            assert jwks_server.count(JWKS_PATH) == before
            r = run_cli("jwt", "verify", other_client, *mode, "--client-id", CLIENT, "--token-use", "access")
        else:
            r = run_cli("jwt", "verify", other_client, *mode, "--client-id", CLIENT)
        assert r.code == 1 and "pocket-sign: InvalidClientId: " in r.err, r
        r = run_cli("jwt", "verify", other_client, *mode, "--any-client-id")
        assert r.code == 0, r
        assert json.loads(r.out)["client_id"] == "some-other-app-client"
    r = run_cli("jwt", "verify", other_client, "--user-pool-id", POOL, "--token-use", "access",
                "--jwks-url", url, "--any-client-id", "--client-id", CLIENT)
    assert r.code == 2, r


# --- JWKS endpoint faults: a clear error, exit 1, never an unbounded wait -------------------------

FAULTS = [
    ("timeout", dict(body=b"{}", delay=10), "timed out"),
    ("status 500", dict(body=b"oops", status=500), "status 500"),
    ("slow body", dict(body=b'{"keys": []}' + b" " * 200, drip=0.05), "timed out"),
    ("oversized body", dict(body=b'{"keys": [' + b" " * (2 * 1024 * 1024) + b"]}"), "limit"),
    ("invalid JSON", dict(body=b'{"keys": [}'), "not a valid key document"),
    ("not JSON content type", dict(body=b"<html></html>", content_type="text/html"), "unexpected content"),
    ("JSON without keys", dict(body=b'{"hello": 1}'), "not a valid key document"),
]


@pytest.mark.parametrize("name,route,message", FAULTS, ids=[f[0] for f in FAULTS])
def test_endpoint_faults(server, keys, name, route, message):
    server.set(JWKS_PATH, **route)
    t0 = time.monotonic()
    r = verify(server, keys["rsa"].sign(access_claims()), "access", CLIENT, "--timeout-ms", "1500")
    elapsed = time.monotonic() - t0
    assert r.code == 1, r
    assert "pocket-sign: Fetch: " in r.err and message in r.err, r
    assert elapsed < 6, f"waited {elapsed:.1f}s"


# --- shared-secret mode (HS256 with an app's JWT_SECRET, e.g. from Secrets Manager) -------------

SECRET = {"JWT_SECRET": "s" * 32}


def test_hs256_sign_and_verify_round_trip():
    r = run_cli("jwt", "sign", "--alg", "HS256", "--secret-env", "JWT_SECRET", "--claims",
                '{"sub":"42","iss":"backend","aud":"web"}', "--expires-in", "60", env=SECRET)
    assert r.code == 0, r
    token = r.out.strip()
    r = run_cli("jwt", "verify", token, "--secret-env", "JWT_SECRET", "--issuer", "backend", "--audience", "web",
                env=SECRET)
    assert r.code == 0, r
    claims = json.loads(r.out)
    assert claims["sub"] == "42" and claims["exp"] - claims["iat"] == 60
    # PyJWT agrees.
    import jwt as pyjwt
    assert pyjwt.decode(token, "s" * 32, algorithms=["HS256"], audience="web")["sub"] == "42"


def test_hs_rejections():
    r = run_cli("jwt", "sign", "--secret-env", "JWT_SECRET", "--claims", '{"sub":"1"}', "--expires-in", "60",
                env=SECRET)
    token = r.out.strip()
    assert run_cli("jwt", "verify", token, "--secret-env", "JWT_SECRET", env={"JWT_SECRET": "t" * 32}).code == 1
    r = run_cli("jwt", "verify", token, "--secret-env", "JWT_SECRET", "--issuer", "x", env=SECRET)
    assert r.code == 1 and "pocket-sign: InvalidIssuer: " in r.err, r
    r = run_cli("jwt", "verify", token, "--secret-env", "JWT_SECRET", "--alg", "HS512", env={"JWT_SECRET": "s" * 64})
    assert r.code == 1 and "pocket-sign: InvalidSignatureAlgorithm: " in r.err, r
    # Secret shorter than the hash output is refused (usage error).
    r = run_cli("jwt", "sign", "--secret-env", "JWT_SECRET", "--claims", "{}", env={"JWT_SECRET": "short"})
    assert r.code == 2, r
    r = run_cli("jwt", "sign", "--secret-env", "MISSING_VAR_XYZ", "--claims", "{}")
    assert r.code == 2 and "MISSING_VAR_XYZ" in r.err, r
    # An expired HS token.
    import jwt as pyjwt
    old = pyjwt.encode({"sub": "1", "exp": int(time.time()) - 10}, "s" * 32, algorithm="HS256")
    r = run_cli("jwt", "verify", old, "--secret-env", "JWT_SECRET", env=SECRET)
    assert r.code == 1 and "pocket-sign: Expired: " in r.err, r


def test_https_proxy_is_honoured(server, keys):
    """With HTTPS_PROXY set, the JWKS request for the real Cognito URL goes through the proxy
    (here a local server that records the CONNECT and refuses it): no direct connection."""
    t = keys["rsa"].sign(access_claims())
    env = {"HTTPS_PROXY": server.base, "https_proxy": server.base, "NO_PROXY": "", "no_proxy": ""}
    r = run_cli("jwt", "verify", t, "--user-pool-id", POOL, "--client-id", CLIENT, "--token-use", "access",
                "--timeout-ms", "3000", env=env)
    assert r.code == 1 and "pocket-sign: Fetch: " in r.err, r
    assert server.count("CONNECT cognito-idp.eu-west-1.amazonaws.com:443") == 1, server.counts
