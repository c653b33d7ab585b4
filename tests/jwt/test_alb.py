"""`pocket-sign alb verify` with ES256 ALB data built here and the public key served by a local
HTTP server in ALB's format (a SubjectPublicKeyInfo PEM at `{keys_url}/{kid}`)."""
import json
import time
import uuid

import pytest

from conftest import run_cli
from tokens import EcKey, alb_data, b64u

REGION = "eu-west-1"
ARN = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188"
OTHER_ARN = f"arn:aws:elasticloadbalancing:{REGION}:999999999999:loadbalancer/app/evil/1111111111111111"
CLIENT = "oidc-client-1"
ISS = "https://idp.example.com"


@pytest.fixture
def alb(server):
    key = EcKey(str(uuid.uuid4()))
    server.set(f"/{key.kid}", key.public_pem(), content_type="application/octet-stream")
    return server, key


def data(key, signer=ARN, client=CLIENT, exp_delta=120, claims=None, **kw):
    exp = int(time.time()) + exp_delta
    header = {"typ": "JWT", "kid": key.kid, "alg": "ES256", "iss": ISS, "client": client, "signer": signer,
              "exp": exp}
    payload = {"sub": "user-9", "email": "u@example.com", "exp": exp, "iss": ISS}
    payload.update(claims or {})
    return alb_data(key, header, payload, **kw)


def verify(server, d, *extra):
    return run_cli("alb", "verify", d, "--region", REGION, "--alb-arn", ARN, "--keys-url", server.base,
                   "--client-id", CLIENT, *extra)


@pytest.mark.parametrize("pad,std", [(True, False), (False, False), (True, True)],
                         ids=["padded base64url", "unpadded", "standard alphabet"])
def test_valid(alb, pad, std):
    server, key = alb
    d = data(key, pad=pad, std_alphabet=std)
    if std:
        # Only a value that really contains '+' or '/' tests the standard alphabet: the claim
        # bytes \xff\xfe make them likely, the random ECDSA signature does the rest.
        for _ in range(100):
            d = data(key, pad=pad, std_alphabet=std, claims={"name": "\u00ff\u00fe\u00ff" * 5})
            if any(c in d for c in "+/"):
                break
        assert any(c in d for c in "+/"), d
    r = verify(server, d, "--issuer", ISS)
    assert r.code == 0, r
    assert json.loads(r.out)["email"] == "u@example.com"
    assert server.count(f"/{key.kid}") == 1


def test_padding_is_signed(alb):
    server, key = alb
    for i in range(3):  # one of three payload lengths needs '=' padding
        d = data(key, claims={"name": "x" * i})
        if "=." in d:
            break
    assert "=." in d
    r = verify(server, d.replace("=.", ".", 1))
    assert r.code == 1 and "pocket-sign: InvalidSignature: " in r.err, r


def test_wrong_signer_rejected_before_fetch(alb):
    server, key = alb
    r = verify(server, data(key, signer=OTHER_ARN))
    assert r.code == 1 and "pocket-sign: InvalidSigner: " in r.err, r
    assert server.count(f"/{key.kid}") == 0


def test_wrong_client_rejected_before_fetch(alb):
    server, key = alb
    r = verify(server, data(key, client="other-client"))
    assert r.code == 1 and "pocket-sign: InvalidClientId: " in r.err, r
    assert server.count(f"/{key.kid}") == 0


def test_expired(alb):
    server, key = alb
    r = verify(server, data(key, exp_delta=-60))
    assert r.code == 1 and "pocket-sign: Expired: " in r.err, r
    assert verify(server, data(key, exp_delta=-60), "--grace", "300").code == 0


def test_tampered(alb):
    server, key = alb
    h, p, s = data(key).split(".")
    evil = b64u(json.dumps({"sub": "admin", "exp": int(time.time()) + 100, "iss": ISS}).encode(), pad=True)
    r = verify(server, f"{h}.{evil}.{s}")
    assert r.code == 1 and "pocket-sign: InvalidSignature: " in r.err, r


def test_other_key(alb):
    server, key = alb
    impostor = EcKey(key.kid)
    r = verify(server, data(impostor))
    assert r.code == 1 and "pocket-sign: InvalidSignature: " in r.err, r


def test_wrong_issuer(alb):
    server, key = alb
    r = verify(server, data(key), "--issuer", "https://other-idp")
    assert r.code == 1 and "pocket-sign: InvalidIssuer: " in r.err, r


def test_unknown_kid_and_bad_kid(alb):
    server, key = alb
    unknown = EcKey(str(uuid.uuid4()))
    r = verify(server, data(unknown))
    assert r.code == 1 and "pocket-sign: KeyNotFound: " in r.err, r
    bad = EcKey("../../admin")
    r = verify(server, data(bad))
    assert r.code == 1 and "pocket-sign: InvalidKid: " in r.err, r
    assert server.count("/../../admin") == 0


def test_region_mismatch_is_usage_error(alb):
    server, key = alb
    r = run_cli("alb", "verify", data(key), "--region", "us-east-1", "--alb-arn", ARN)
    assert r.code == 2, r


def test_key_endpoint_serving_garbage(alb):
    server, key = alb
    server.set(f"/{key.kid}", b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    r = verify(server, data(key))
    assert r.code == 1 and "pocket-sign: KeyFetch: " in r.err, r


# --- differential against aws-jwt-verify's AlbJwtVerifier -------------------------------------

# Deliberate differences: case -> (pocket-sign decision, aws-jwt-verify decision).
ALB_DIFFERENCES = {
    # Older ALBs used the standard base64 alphabet; we accept it, aws-jwt-verify does not.
    "standard alphabet": (True, False),
    # exp is required here; aws-jwt-verify lets data without exp pass.
    "no exp": (False, True),
}


def test_alb_differential(alb):
    import os
    import shutil
    import subprocess
    server, key = alb
    now = int(time.time())
    other = EcKey(key.kid)

    def mk(header_over=None, payload_over=None, k=key, **kw):
        header = {"typ": "JWT", "kid": key.kid, "alg": "ES256", "iss": ISS, "client": CLIENT, "signer": ARN,
                  "exp": now + 120}
        payload = {"sub": "user-9", "email": "u@example.com", "exp": now + 120, "iss": ISS}
        header.update(header_over or {})
        payload.update(payload_over or {})
        header = {k2: v for k2, v in header.items() if v is not None}
        payload = {k2: v for k2, v in payload.items() if v is not None}
        return alb_data(k, header, payload, **kw)

    # The standard-alphabet case must really contain '+' or '/': the JSON is ASCII, so only the
    # (random) ECDSA signature can supply them; re-sign until it does (P(miss) ~ 6% per try).
    for _ in range(100):
        std_alphabet_case = mk(payload_over={"name": "\u00ff\u00fe\u00ff" * 5}, std_alphabet=True)
        if any(c in std_alphabet_case for c in "+/"):
            break
    h, p, s = mk().split(".")
    tampered = f"{h}.{b64u(json.dumps({'sub': 'admin', 'exp': now + 100, 'iss': ISS}).encode(), pad=True)}.{s}"
    cases = [
        ("valid padded", mk()),
        ("valid unpadded", mk(pad=False)),
        ("standard alphabet", std_alphabet_case),
        ("wrong signer", mk({"signer": OTHER_ARN})),
        ("wrong client", mk({"client": "nope"})),
        ("expired", mk(payload_over={"exp": now - 100})),
        ("not yet valid", mk(payload_over={"nbf": now + 1000})),
        ("wrong issuer", mk(payload_over={"iss": "https://evil"})),
        ("tampered", tampered),
        ("other key", mk(k=other)),
        ("no exp", mk({"exp": None}, {"exp": None})),
        ("alg ES384", mk({"alg": "ES384"})),
        ("kid not a uuid", mk({"kid": "abc"})),
    ]
    # Make sure the standard-alphabet case really uses '+' or '/'.
    assert any(c in cases[2][1] for c in "+/"), cases[2][1]
    pub = key.public.public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "kid": key.kid, "use": "sig", "alg": "ES256",
           "x": b64u(pub.x.to_bytes(32, "big")), "y": b64u(pub.y.to_bytes(32, "big"))}
    node_dir = os.path.join(os.path.dirname(__file__), "node")
    payload = {"albArn": ARN, "issuer": ISS, "clientId": CLIENT, "jwk": jwk, "cases": [t for _, t in cases]}
    p = subprocess.run([shutil.which("node"), os.path.join(node_dir, "verify-alb.mjs")], input=json.dumps(payload),
                       capture_output=True, text=True, cwd=node_dir, timeout=120)
    assert p.returncode == 0, p.stderr
    theirs = json.loads(p.stdout)
    mismatches = []
    for (name, token), t in zip(cases, theirs):
        r = verify(server, token, "--issuer", ISS)
        ours = r.code == 0
        expected = ALB_DIFFERENCES.get(name)
        if expected is not None:
            if (ours, t["ok"]) != expected:
                mismatches.append((name, "documented difference did not hold", ours, r.err, t))
        elif ours != t["ok"]:
            mismatches.append((name, ours, r.err, t))
    assert not mismatches, json.dumps(mismatches, indent=1)
    assert sum(t["ok"] for t in theirs) >= 2
