"""The CLI never echoes a secret it was given.

Every command that takes a secret (--secret-file, SPA_TOKEN_SECRET, --private-key,
--key NAME, --secret-env, --client-secret-env) runs with a good and with several bad values
(near misses of the real secret, corrupted keys, wrong alphabets), and with clap usage errors
around it. Neither stdout nor stderr may contain the secret, any 12-character window of it,
or of the private key's PEM body or its base64 form. `keygen` is not tested here: printing a
fresh secret is its purpose (and it is given none).
"""
import base64
import os
import subprocess
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("POCKET_SIGN_BIN", os.path.join(ROOT, "target", "debug", "pocket-sign"))
SPA = "5f2b9c0e7a1d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
DEMO_PEM = open(os.path.join(ROOT, "examples", "demo-cloudfront-key.pem")).read()
JWT_SECRET = "Jq7wX2mZ9vL4kT8rB3nY6cH1fP5dS0gAuE"
CLIENT_SECRET = "Zq8vN3pL7xR2mK9wT4yB6cF1hJ5dG0sEa1b2c3"
URL = "https://d111111abcdef8.cloudfront.net/media/demo.jpg"


def windows(text, w=12):
    t = "".join(text.split())
    return {t} | {t[i:i + w] for i in range(0, max(len(t) - w + 1, 0))}


def pem_fragments(pem):
    body = "".join(l for l in pem.splitlines() if not l.startswith("-----"))
    b64 = base64.b64encode(pem.encode()).decode()
    return windows(body) | windows(b64[48:-48])


def run(args, env=None, stdin=b""):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("SPA_TOKEN", "CFK_", "POCKET_"))}
    e.update(env or {})
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, env=e, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def assert_no_leak(result, fragments, what):
    code, out, err = result
    assert code != 101 and "panicked" not in err, err
    for f in fragments:
        assert f not in out, f"{what}: stdout echoes {f!r}"
        assert f not in err, f"{what}: stderr echoes {f!r}"


def near_misses(secret):
    return [secret[:-1], secret + "0", secret[:-1] + "g", " " + secret[1:], secret.upper().replace("F", "\u0661")]


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory() as d:
        yield d


def test_secret_on_the_command_line_is_refused(tmp):
    """`token ... --secret HEX` (visible in `ps` and shell history) is refused with exit 2 and a
    pointer to --secret-file / SPA_TOKEN_SECRET, even when the secret is valid; nothing is issued."""
    for args in (["token", "issue", "42", "--secret", SPA], ["token", "verify", "42:1:" + "0" * 64, "--secret", SPA],
                 ["token", "issue", "42", f"--secret={SPA}"]):
        code, out, err = run(args, {"SPA_TOKEN_SECRET": SPA})
        assert (code, out) == (2, ""), (args, code, out, err)
        assert "--secret-file" in err and "SPA_TOKEN_SECRET" in err, err
        assert_no_leak((code, out, err), windows(SPA), "refused --secret")
    code, out, _ = run(["token", "issue", "--help"])
    assert code == 0 and "--secret-file" in out and "--secret <" not in out and "--secret " not in out


def test_spa_secret_env_and_file(tmp):
    token = run(["token", "issue", "42", "--now", "1700000000"], {"SPA_TOKEN_SECRET": SPA})[1].strip()
    assert token.startswith("42:1700604800:")
    for secret in [SPA, *near_misses(SPA)]:
        frags = windows(SPA) | windows(secret)
        path = os.path.join(tmp, "s")
        open(path, "w").write(secret)
        for how in (["--secret", secret], ["--secret-file", path]):  # --secret: refused, never echoed
            assert_no_leak(run(["token", "issue", "42", *how]), frags, f"issue {how[0]}")
            assert_no_leak(run(["token", "issue", "42", "--set-cookie", *how]), frags, f"issue cookie {how[0]}")
            assert_no_leak(run(["token", "verify", token, *how]), frags, f"verify {how[0]}")
            assert_no_leak(run(["token", "verify", "-", *how], stdin=b"43:1:" + b"0" * 64), frags, "verify stdin")
        env = {"SPA_TOKEN_SECRET": secret}
        assert_no_leak(run(["token", "issue", "42"], env), frags, "issue env")
        assert_no_leak(run(["token", "verify", token], env), frags, "verify env")
        # clap usage errors with the secret on the command line, and --help with it in env.
        assert_no_leak(run(["token", "issue", "--secret", secret]), frags, "missing user id")
        assert_no_leak(run(["token", "issue", "42", "--secret", secret, "--bogus"]), frags, "unknown flag")
        assert_no_leak(run(["token", "issue", "42", "--secret", secret, "--secret", secret]), frags, "twice")
        assert_no_leak(run(["token", "issue", "--help"], env), frags, "help with env")
        assert_no_leak(run(["token", "verify", "--help"], env), frags, "verify help with env")


def corrupted_pems():
    lines = DEMO_PEM.splitlines()
    mid = len(lines) // 2
    changed = list(lines)
    changed[mid] = "!" + changed[mid][1:]
    return [
        DEMO_PEM,
        "\n".join(changed) + "\n",
        "\n".join(lines[:mid]) + "\n-----END RSA PRIVATE KEY-----\n",
        DEMO_PEM.replace("RSA PRIVATE KEY", "PUBLIC KEY"),
        DEMO_PEM.replace("RSA PRIVATE KEY", "OPENSSH PRIVATE KEY"),
        DEMO_PEM.replace("RSA PRIVATE KEY", "PRIVATE KEY"),
    ]


@pytest.mark.parametrize("cmd", [
    ["url", URL, "--expires-at", "1767290400"],
    ["url", URL, "--expires-at", "1767290400", "--hash-algorithm", "sha256"],
    ["cookies", "https://d111111abcdef8.cloudfront.net/media/*", "--expires-at", "1767290400"],
    ["url", URL, "--expires-at", "1767290400", "--ip", "not-an-ip"],
    ["url", "https://example.org/a b", "--expires-at", "1767290400"],
])
def test_private_key_file_and_env(cmd, tmp):
    frags = pem_fragments(DEMO_PEM)
    for i, pem in enumerate(corrupted_pems()):
        path = os.path.join(tmp, "k.pem")
        open(path, "w").write(pem)
        b64path = os.path.join(tmp, "k.b64")
        b64 = base64.b64encode(pem.encode()).decode()
        open(b64path, "w").write(b64)
        for kp in (path, b64path):
            r = run([*cmd, "--key-pair-id", "K2JCJMDEHXQW5F", "--private-key", kp])
            assert_no_leak(r, frags, f"{cmd[0]} --private-key #{i}")
            if i > 0:
                assert r[0] == 2 and r[1] == "", r
        for val in (b64, b64.replace("+", "-").replace("/", "_"), b64[:100] + "*" + b64[101:]):
            r = run([*cmd, "--key", "CFK"], {"CFK_PEM_BASE64": val, "CFK_ID": "K2JCJMDEHXQW5F"})
            assert_no_leak(r, frags | windows(val), f"{cmd[0]} --key #{i}")
    # A usage error next to a key argument.
    assert_no_leak(run([*cmd, "--key", "CFK", "--private-key", "x"],
                       {"CFK_PEM_BASE64": base64.b64encode(DEMO_PEM.encode()).decode()}), frags, "conflict")


def test_jwt_secret_env():
    frags = windows(JWT_SECRET)
    good = run(["jwt", "sign", "--secret-env", "POCKET_S", "--claims", '{"sub":"42"}', "--expires-in", "60"],
               {"POCKET_S": JWT_SECRET})
    assert good[0] == 0, good
    assert_no_leak(good, frags, "jwt sign")
    token = good[1].strip()
    for secret in [JWT_SECRET, *near_misses(JWT_SECRET), JWT_SECRET[:31]]:
        f = frags | windows(secret)
        env = {"POCKET_S": secret}
        for alg in ("HS256", "HS384", "HS512", "RS256"):
            assert_no_leak(run(["jwt", "sign", "--alg", alg, "--secret-env", "POCKET_S", "--claims", "{}"], env),
                           f, f"sign {alg}")
            assert_no_leak(run(["jwt", "verify", token, "--alg", alg, "--secret-env", "POCKET_S"], env),
                           f, f"verify {alg}")
        assert_no_leak(run(["jwt", "sign", "--secret-env", "POCKET_S", "--claims", "[not json"], env), f, "bad claims")
        assert_no_leak(run(["jwt", "verify", "garbage", "--secret-env", "POCKET_S"], env), f, "garbage token")
        assert_no_leak(run(["jwt", "verify", token, "--secret-env", "POCKET_S", "--user-pool-id", "x"], env),
                       f, "conflicting flags")


def test_cognito_client_secret_env():
    frags = windows(CLIENT_SECRET)
    good = run(["secret-hash", "alice", "--client-id", "client123", "--client-secret-env", "POCKET_C"],
               {"POCKET_C": CLIENT_SECRET})
    assert good[0] == 0 and len(good[1].strip()) == 44, good
    assert_no_leak(good, frags, "secret-hash")
    for secret in near_misses(CLIENT_SECRET) + [""]:
        env = {"POCKET_C": secret}
        f = frags | (windows(secret) if secret else set())
        assert_no_leak(run(["secret-hash", "alice", "--client-id", "client123", "--client-secret-env", "POCKET_C"], env),
                       f, "secret-hash")
        assert_no_leak(run(["secret-hash", "alice", "--client-id", "", "--client-secret-env", "POCKET_C"], env),
                       f, "secret-hash empty client")
        assert_no_leak(run(["secret-hash", "--client-secret-env", "POCKET_C"], env), f, "usage error")


def test_checker_catches_a_leak():
    with pytest.raises(AssertionError):
        assert_no_leak((0, "", "bad key near " + DEMO_PEM.splitlines()[4][5:25]), pem_fragments(DEMO_PEM), "x")
