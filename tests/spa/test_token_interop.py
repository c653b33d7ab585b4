"""pocket-sign's SPA tokens against the Python stdlib reimplementation of magic-pocket's
``pocket.django.spa_auth`` (both directions), the shared vector, and error exit codes."""
import json
import random
import secrets

import pytest

import upstream_spa_auth as upstream

# Deterministic case generation so a failure can be reproduced.
RNG = random.Random(20251123)

ALPHABETS = [
    "0123456789",
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.@+",
    "ユーザー日本語テスト",
    "éèàüöß ñç",
    "😀🎉🚀",
    "!#$%&'()*,/;<=>?[]^`{|}~\"\\ \t",
]


def random_user_id() -> str:
    n = RNG.randint(1, 40)
    alphabet = "".join(RNG.sample(ALPHABETS, RNG.randint(1, 3)))
    uid = "".join(RNG.choice(alphabet) for _ in range(n))
    return uid


def random_expiry_pair():
    """(now, max_age) with edge values: 0, small, default, large, near u64 limits."""
    now = RNG.choice([0, 1, 1_700_000_000, RNG.randint(0, 2**40), 2**63, 2**64 - 10**6])
    max_age = RNG.choice([0, 1, 59, upstream.DEFAULT_MAX_AGE, RNG.randint(0, 10**9)])
    if now + max_age >= 2**64:
        max_age = 0
    return now, max_age


CASES = [(random_user_id(), *random_expiry_pair(), secrets.token_hex(32)) for _ in range(120)]
CASES += [("42", 1_700_000_000, 604_800, secrets.token_hex(32)), ("-starts-with-dash", 5, 5, "ab" * 32)]


@pytest.mark.parametrize("user_id,now,max_age,secret", CASES)
def test_cli_issued_token_verifies_upstream(cli, user_id, now, max_age, secret):
    r = cli.run("token", "issue", "--max-age", str(max_age), "--now", str(now), "--", user_id,
                env={"SPA_TOKEN_SECRET": secret})
    assert r.returncode == 0, r.stderr
    token = r.stdout[:-1] if r.stdout.endswith("\n") else r.stdout
    expiry = now + max_age
    assert token == upstream.generate_token(user_id, secret=secret, max_age=max_age, now=now)
    assert upstream.verify_token(token, secret=secret, now=expiry) == user_id
    assert upstream.verify_token(token, secret=secret, now=now) == user_id
    if expiry < 2**64 - 1:
        assert upstream.verify_token(token, secret=secret, now=expiry + 1) is None
    other = secrets.token_hex(32)
    assert upstream.verify_token(token, secret=other, now=now) is None


@pytest.mark.parametrize("user_id,now,max_age,secret", CASES)
def test_upstream_token_verifies_with_cli(cli, user_id, now, max_age, secret):
    token = upstream.generate_token(user_id, secret=secret, max_age=max_age, now=now)
    expiry = now + max_age
    env = {"SPA_TOKEN_SECRET": secret}
    # Through stdin ("-") so tokens with odd characters need no quoting.
    r = cli.run("token", "verify", "--now", str(expiry), "--json", "-", env=env, input=token + "\n")
    assert r.returncode == 0, r.stderr
    # "secret" says which secret matched (rotation): always the current one here.
    assert json.loads(r.stdout) == {"user_id": user_id, "expiry": expiry, "secret": "current"}
    # As an argument, plain output: the user id and a newline.
    r = cli.run("token", "verify", "--now", str(now), "--", token, env=env)
    assert (r.returncode, r.stdout) == (0, user_id + "\n"), r.stderr
    if expiry < 2**64 - 1:
        r = cli.run("token", "verify", "--now", str(expiry + 1), "--", token, env=env)
        assert r.returncode == 1 and r.stdout == ""
        assert "expired" in r.stderr
    r = cli.run("token", "verify", "--now", str(now), "--", token,
                env={"SPA_TOKEN_SECRET": secrets.token_hex(32)})
    assert r.returncode == 1 and "signature" in r.stderr


def test_shared_vector(cli, root):
    v = json.loads((root / "tests" / "vectors" / "spa_auth_vectors.json").read_text())
    assert v["cookie_name"] == upstream.COOKIE_NAME
    # The stdlib reimplementation agrees with the vector (guards the reference itself).
    assert upstream.verify_token(v["token"], secret=v["secret_hex"], now=v["expiry"]) == v["user_id"]
    assert upstream.generate_token(v["user_id"], secret=v["secret_hex"], max_age=0,
                                   now=v["expiry"]) == v["token"]
    env = {"SPA_TOKEN_SECRET": v["secret_hex"]}
    r = cli.run("token", "verify", v["token"], env=env)  # real clock: 9999999999 is far ahead
    assert (r.returncode, r.stdout) == (0, v["user_id"] + "\n"), r.stderr
    r = cli.run("token", "issue", v["user_id"], "--now", str(v["expiry"]), "--max-age", "0", env=env)
    assert (r.returncode, r.stdout) == (0, v["token"] + "\n"), r.stderr
    r = cli.run("token", "verify", v["token"], "--now", str(v["expiry"] + 1), env=env)
    assert r.returncode == 1 and "expired" in r.stderr


def _tampered(token: str):
    user_id, expiry, sig = token.split(":")
    flip = "0" if sig[-1] != "0" else "1"
    return [
        f"{user_id}:{expiry}:{sig[:-1]}{flip}",
        f"{user_id}:{expiry}:{sig.upper()}",
        f"{user_id}:{expiry}:{sig[:-2]}",
        f"{user_id}:{expiry}:{sig}00",
        f"{user_id}x:{expiry}:{sig}",
        f"{user_id}:{int(expiry) + 1}:{sig}",
        f"{user_id}:{expiry}",
        f"{user_id}:{expiry}:{sig}:",
        f"{user_id}:{expiry}x:{sig}",
        "",
    ]


@pytest.mark.parametrize("i", range(10))
def test_tampered_tokens_rejected_by_both(cli, i):
    secret = secrets.token_hex(32)
    token = upstream.generate_token("user-7", secret=secret, max_age=100, now=1000)
    bad = _tampered(token)[i]
    assert upstream.verify_token(bad, secret=secret, now=1000) is None
    r = cli.run("token", "verify", "--now", "1000", "-", env={"SPA_TOKEN_SECRET": secret},
                input=bad)
    assert r.returncode == 1, (bad, r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.startswith("pocket-sign: invalid token: ")


def test_secret_errors_exit_2_and_never_echo_the_secret(cli):
    good = secrets.token_hex(32)
    token = upstream.generate_token("u", secret=good, now=0)
    for bad in [good[:-1], good + "0", good[:-1] + "g", "", "not hex at all"]:
        for args, env in [((), {"SPA_TOKEN_SECRET": bad}), (("--secret", bad), {"SPA_TOKEN_SECRET": good})]:
            r = cli.run("token", "verify", token, *args, env=env)
            assert r.returncode == 2, (bad, r.stderr)
            assert "secret" in r.stderr
            if bad:
                assert bad not in r.stderr and bad not in r.stdout
            r = cli.run("token", "issue", "u", *args, env=env)
            assert r.returncode == 2
            if bad:
                assert bad not in r.stderr
    r = cli.run("token", "verify", token)
    assert r.returncode == 2 and "SPA_TOKEN_SECRET" in r.stderr
    # The environment value is hidden from --help.
    r = cli.run("token", "issue", "--help", env={"SPA_TOKEN_SECRET": good})
    assert r.returncode == 0 and good not in r.stdout


def test_secret_file(cli, tmp_path):
    secret = secrets.token_hex(32)
    f = tmp_path / "secret"
    f.write_text(secret + "\n")
    r = cli.run("token", "issue", "9", "--now", "10", "--max-age", "5", "--secret-file", str(f))
    assert r.returncode == 0, r.stderr
    assert r.stdout == upstream.generate_token("9", secret=secret, max_age=5, now=10) + "\n"


def test_invalid_user_ids_and_overflow_exit_2(cli):
    env = {"SPA_TOKEN_SECRET": secrets.token_hex(32)}
    with pytest.raises(ValueError):
        upstream.generate_token("a:b", secret=env["SPA_TOKEN_SECRET"])
    for uid in ["a:b", ":", ""]:
        r = cli.run("token", "issue", "--", uid, env=env)
        assert r.returncode == 2 and "user id" in r.stderr, (uid, r.stderr)
    r = cli.run("token", "issue", "u", "--now", str(2**64 - 1), "--max-age", "1", env=env)
    assert r.returncode == 2 and "overflow" in r.stderr


def test_boundary_now_equals_expiry(cli):
    secret = secrets.token_hex(32)
    env = {"SPA_TOKEN_SECRET": secret}
    token = cli.run("token", "issue", "b", "--now", "100", "--max-age", "50", env=env).stdout.strip()
    assert token.startswith("b:150:")
    assert cli.run("token", "verify", token, "--now", "150", env=env).returncode == 0
    assert cli.run("token", "verify", token, "--now", "151", env=env).returncode == 1
    assert upstream.verify_token(token, secret=secret, now=150) == "b"
    assert upstream.verify_token(token, secret=secret, now=151) is None
