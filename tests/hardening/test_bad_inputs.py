"""The bad-input catalogue (tests/vectors/bad_inputs.json) against the `pocket-sign` binary.

For every case the CLI has a way to receive (argv, stdin, a file or an environment variable):
the documented exit code (README: 1 failed verification, 2 usage or input error), nothing at
all on stdout (no partial output), one line `pocket-sign: <sentence>` on stderr (clap's own
usage errors start with `error:`), never a panic (exit 101 / "panicked"). JWT and ALB errors
name their stable kind on stderr (`Parse: ...`, `Malformed: ...`: the core's `kind()`).

Cases the CLI cannot receive are skipped with the reason: a NUL byte in argv or the
environment (impossible for any program), argv / environment strings over Linux's 128 KiB
MAX_ARG_STRLEN, ops without a CLI command (cloudfront_b64_decode).
"""
import json
import os
import sys
import subprocess
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VECTORS = os.path.join(ROOT, "tests", "vectors")
BIN = os.environ.get("POCKET_SIGN_BIN", os.path.join(ROOT, "target", "debug", "pocket-sign"))
sys.path.insert(0, os.path.join(VECTORS, "bad_inputs"))
import catalogue  # noqa: E402  (tests/vectors/bad_inputs/catalogue.py)
from catalogue import CATALOGUE, materialise  # noqa: E402

D = catalogue.DEFAULTS
ARG_MAX = 100_000


class Skip(Exception):
    pass


def argv_ok(data):
    if b"\0" in data:
        raise Skip("argv and the environment cannot carry a NUL byte")
    if len(data) > ARG_MAX:
        raise Skip("argv / environment strings are limited to 128 KiB (MAX_ARG_STRLEN)")
    return data


@pytest.fixture(scope="module")
def jwks_server():
    with catalogue.jwks_server() as srv:
        yield srv


def base_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPA_TOKEN", "CFK_", "POCKET_BAD"))}
    env["RUST_BACKTRACE"] = "0"
    return env


def run(args, env=None, stdin=b""):
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, env=env or base_env(), timeout=60)
    return p.returncode, p.stdout, p.stderr


def param(case, key):
    return case.get("params", {}).get(key, D.get(key))


def invoke(case, data, tmp, server):
    op = case["op"]
    env = base_env()
    num = lambda k: str(param(case, k))  # noqa: E731
    if op == "spa_secret":
        path = os.path.join(tmp, "secret")
        open(path, "wb").write(data)
        return run(["token", "issue", "42", "--now", num("now"), "--secret-file", path], env)
    if op == "spa_verify":
        env["SPA_TOKEN_SECRET"] = D["spa_secret"]
        return run(["token", "verify", "-", "--now", num("now")], env, stdin=data)
    if op == "spa_issue":
        env["SPA_TOKEN_SECRET"] = D["spa_secret"]
        r = run(["token", "issue", "--now=" + num("now"), "--max-age=" + num("max_age"), "--", argv_ok(data)], env)
        if r[0] == 0:  # round trip: the issued token verifies to the same user id
            v = run(["token", "verify", "-", "--now", num("now")], env, stdin=r[1].rstrip(b"\n"))
            assert v[0] == 0 and v[1] == data + b"\n", v
        return r
    if op == "jwt_decode":
        return run(["jwt", "decode", "--", argv_ok(data)])
    if op in ("jwt_verify_jwks", "jwk_parse", "jwks_parse"):
        if op == "jwt_verify_jwks":
            if case["expect"].get("ok"):
                raise Skip("the CLI verifies at the system clock and the catalogue token expired in 2023")
            token, body = data, json.dumps(D["jwks"]).encode()
        elif op == "jwk_parse":
            token, body = D["jwk_probe_token"].encode(), b'{"keys":[' + data + b"]}"
        else:
            token, body = D["jwk_probe_token"].encode(), data
        server.RequestHandlerClass.body = body
        url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
        return run(["jwt", "verify", "--issuer", D["issuer"], "--jwks-url", url, "--any-client-id", "--",
                    argv_ok(token)])
    if op == "alb_decode":
        return run(["alb", "verify", "--region", D["alb_region"], "--alb-arn", D["alb_arn"], "--", argv_ok(data)])
    if op == "key_load":
        path = os.path.join(tmp, "key.pem")
        open(path, "wb").write(data)
        return run(["url", D["url"], "--key-pair-id", D["key_pair_id"], "--private-key", path,
                    "--expires-at", D["expires"]])
    if op == "key_load_base64":
        env = {k.encode(): v.encode() for k, v in env.items()}
        env[b"CFK_PEM_BASE64"] = argv_ok(data)
        env[b"CFK_ID"] = D["key_pair_id"].encode()
        return run(["url", D["url"], "--key", "CFK", "--expires-at", D["expires"]], env)
    if op == "signed_url":
        key = os.path.join(VECTORS, D["private_key_file"])
        return run(["url", "--key-pair-id", D["key_pair_id"], "--private-key", key,
                    "--expires-at", num("expires"), "--", argv_ok(data)])
    if op == "policy_ip":
        return run(["policy", D["resource"], "--expires-at", num("expires"), b"--ip=" + argv_ok(data)])
    if op == "policy_times":
        args = ["policy", D["resource"], "--expires-at=" + num("expires")]
        if "starts" in case.get("params", {}):
            args.append("--starts-at=" + num("starts"))
        return run(args)
    if op == "toml_codegen":
        path = os.path.join(tmp, "pocket.toml")
        open(path, "wb").write(data)
        return run(["cf-function", "--config", path, "--distribution", D["distribution"]])
    if op in ("hmac_secret", "secret_hash"):
        env = {k.encode(): v.encode() for k, v in env.items()}
        env[b"POCKET_BAD_SECRET"] = argv_ok(data)
        if op == "hmac_secret":
            return run(["jwt", "sign", "--alg", D["hmac_alg"], "--secret-env", "POCKET_BAD_SECRET", "--claims", "{}"], env)
        return run(["secret-hash", D["username"], "--client-id", D["client_id"],
                    "--client-secret-env", "POCKET_BAD_SECRET"], env)
    if op == "password":
        args = ["keygen", "password", "--length=" + num("length")]
        if data:
            args.append(b"--chars=" + argv_ok(data))
        return run(args)
    raise Skip(f"no CLI command for {op}")


@pytest.mark.parametrize("case", CATALOGUE["cases"], ids=[c["id"] for c in CATALOGUE["cases"]])
def test_bad_input(case, jwks_server):
    data = materialise(case["input"])
    expect = case["expect"]
    if case["op"] in ("jwt_verify_jwks", "jwk_parse", "jwks_parse"):
        expect = expect.get("http", expect)
    expect = expect.get("cli", expect)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            code, out, err = invoke(case, data, tmp, jwks_server)
        except Skip as s:
            pytest.skip(str(s))
    text = err.decode("utf-8", "replace")
    assert code != 101 and "panicked" not in text, text
    if expect.get("ok"):
        assert code == 0, text
        assert out, "no output"
        return
    assert code == expect["exit"], (code, text)
    assert out == b"", f"partial output on stdout: {out[:200]!r}"
    if text.startswith("error:"):  # clap usage error (a value the argument type cannot hold)
        assert expect["error"] == "boundary", text
        return
    assert text.startswith("pocket-sign: ") and text.endswith("\n") and text.count("\n") == 1, text
    if expect["error"].split("::")[0] in ("JwtError", "AlbError"):
        assert text.startswith(f"pocket-sign: {expect['kind']}: "), text
