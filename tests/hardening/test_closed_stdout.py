"""Regression: no command panics when its stdout is closed (`pocket-sign ... | head -0`).

`println!` panics on EPIPE (exit 101, "failed printing to stdout"); every command now writes
through cli/src/cmd/out.rs, which treats a closed pipe as "nobody reads the output".
"""
import json
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("POCKET_SIGN_BIN", os.path.join(ROOT, "target", "debug", "pocket-sign"))
KEY = os.path.join(ROOT, "examples", "demo-cloudfront-key.pem")
JWT = json.load(open(os.path.join(ROOT, "tests", "vectors", "jwt", "jwt_vectors.json")))["cases"][0]["token"]
TOML = os.path.join(ROOT, "tests", "fixtures", "pocket-toml")
SECRET = "0123456789abcdef" * 4
ENV = {"SPA_TOKEN_SECRET": SECRET, "POCKET_S": "s" * 40}
URL = "https://d111111abcdef8.cloudfront.net/media/demo.jpg"

COMMANDS = [
    ["url", URL, "--key-pair-id", "K2JCJMDEHXQW5F", "--private-key", KEY, "--expires-in", "60"],
    ["cookies", "https://d111111abcdef8.cloudfront.net/media/*", "--key-pair-id", "K2JCJMDEHXQW5F",
     "--private-key", KEY, "--expires-in", "60"],
    ["policy", URL, "--expires-in", "60"],
    ["token", "issue", "42"],
    ["token", "logout-cookie"],
    ["keygen", "spa-secret"],
    ["keygen", "password"],
    ["jwt", "decode", JWT],
    ["jwt", "sign", "--secret-env", "POCKET_S", "--claims", "{}"],
    ["secret-hash", "alice", "--client-id", "c", "--client-secret-env", "POCKET_S"],
    ["--help"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_closed_stdout_is_not_a_panic(args):
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the command writes
    try:
        p = subprocess.run([BIN, *args], stdout=w, stderr=subprocess.PIPE, env={**os.environ, **ENV}, timeout=60)
    finally:
        os.close(w)
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode != 101 and "panicked" not in err, err
    assert p.returncode == 0, err
