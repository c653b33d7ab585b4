"""Shared-secret JWT rotation through the CLI (`JWT_SECRET`, the manual-deploy guide's setup):
sign with `--kid`, verify with a keyring from `--secret-env KID=ENV` / `--keyring-file`, drop the
old secret, check the refusal. PyJWT is the independent peer for the signatures."""

import json

import jwt as pyjwt

from conftest import run_cli

OLD = "old-secret-" + "o" * 24
NEW = "new-secret-" + "n" * 24
ENV = {"JWT_SECRET": OLD, "JWT_SECRET_2026_12": NEW}


def sign(*extra, env=ENV, claims='{"sub":"42","iss":"backend"}'):
    r = run_cli("jwt", "sign", "--claims", claims, "--expires-in", "600", *extra, env=env)
    assert r.code == 0, r
    return r.out.strip()


def verify(token, *extra, env=ENV):
    return run_cli("jwt", "verify", token, "--issuer", "backend", *extra, env=env)


def test_rotation_with_secret_env_keyring():
    legacy = sign("--secret-env", "JWT_SECRET")
    assert "kid" not in pyjwt.get_unverified_header(legacy)
    # Before: one secret. A bare --secret-env is the default secret, as it always was.
    assert verify(legacy, "--secret-env", "JWT_SECRET").code == 0

    fresh = sign("--secret-env", "JWT_SECRET_2026_12", "--kid", "2026-12")
    assert pyjwt.get_unverified_header(fresh)["kid"] == "2026-12"
    assert pyjwt.decode(fresh, NEW, algorithms=["HS256"])["sub"] == "42"

    during = ("--secret-env", "2026-12=JWT_SECRET_2026_12", "--secret-env", "JWT_SECRET")
    for token in (legacy, fresh):
        r = verify(token, *during)
        assert r.code == 0, r
        assert json.loads(r.out)["sub"] == "42"
    # Unknown kid: refused by kid lookup, not by trying every secret.
    other = sign("--secret-env", "JWT_SECRET_2026_12", "--kid", "2027-06")
    r = verify(other, *during)
    assert r.code == 1 and "pocket-sign: KidNotFound:" in r.err, r
    # A kid naming the new secret on a token signed with the old one: bad signature.
    mislabeled = sign("--secret-env", "JWT_SECRET", "--kid", "2026-12")
    r = verify(mislabeled, *during)
    assert r.code == 1 and "pocket-sign: InvalidSignature:" in r.err, r

    # After: the old secret is gone; tokens without kid are refused.
    after = ("--secret-env", "2026-12=JWT_SECRET_2026_12")
    r = verify(legacy, *after)
    assert r.code == 1 and "pocket-sign: WithoutValidKid:" in r.err, r
    assert verify(fresh, *after).code == 0


def test_keyring_file(tmp_path):
    ring = tmp_path / "keyring.json"
    ring.write_text(json.dumps({"keys": {"2026-12": NEW}, "default": OLD}))
    legacy = sign("--secret-env", "JWT_SECRET")
    fresh = sign("--secret-env", "JWT_SECRET_2026_12", "--kid", "2026-12")
    assert verify(legacy, "--keyring-file", str(ring), env={}).code == 0
    assert verify(fresh, "--keyring-file", str(ring), env={}).code == 0
    ring.write_text(json.dumps({"keys": {"2026-12": NEW}}))
    assert verify(legacy, "--keyring-file", str(ring), env={}).code == 1
    # Malformed keyrings and short secrets are usage errors that never echo a secret.
    ring.write_text(json.dumps({"keys": {"k": "short-secret-value"}}))
    r = verify(fresh, "--keyring-file", str(ring), env={})
    assert r.code == 2 and "short-secret-value" not in r.err and r.out == "", r
    ring.write_text("[1, 2]")
    assert verify(fresh, "--keyring-file", str(ring), env={}).code == 2
    r = verify(fresh, "--keyring-file", str(ring), "--secret-env", "JWT_SECRET")
    assert r.code == 2, r
