"""keygen output checked with independent tools: Python `cryptography` and `openssl`."""
import base64
import json
import re
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

DJANGO_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def keygen_json(cli, *args):
    r = cli.run("keygen", *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_rsa_key_pair(cli, tmp_path):
    kp = keygen_json(cli, "cloudfront")
    assert kp["algorithm"] == "RSA-2048"
    priv_pem = kp["private_key_pem"].encode()
    pub_pem = kp["public_key_pem"].encode()
    assert priv_pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----\n")
    assert pub_pem.startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert base64.b64decode(kp["private_key_pem_base64"], validate=True) == priv_pem
    assert base64.b64decode(kp["public_key_pem_base64"], validate=True) == pub_pem

    private = serialization.load_pem_private_key(priv_pem, password=None)
    public = serialization.load_pem_public_key(pub_pem)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert private.key_size == 2048
    assert private.public_key().public_numbers() == public.public_numbers()
    assert public.public_numbers().e == 65537
    # Same bytes as magic-pocket's own serialization of the key (TraditionalOpenSSL / SPKI).
    assert private.private_bytes(serialization.Encoding.PEM,
                                 serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.NoEncryption()) == priv_pem
    assert public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo) == pub_pem
    # A CloudFront-style signature (PKCS#1 v1.5, SHA-1) made with the private key verifies.
    sig = private.sign(b"policy", padding.PKCS1v15(), hashes.SHA1())
    public.verify(sig, b"policy", padding.PKCS1v15(), hashes.SHA1())

    key_file = tmp_path / "key.pem"
    key_file.write_bytes(priv_pem)
    r = subprocess.run(["openssl", "rsa", "-check", "-noout", "-in", str(key_file)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "RSA key ok" in r.stdout, r.stdout + r.stderr
    pub_file = tmp_path / "pub.pem"
    pub_file.write_bytes(pub_pem)
    r = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(pub_file), "-noout", "-text"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "2048 bit" in r.stdout, r.stdout + r.stderr


def test_rsa_keys_differ(cli):
    a = keygen_json(cli, "cloudfront")
    b = keygen_json(cli, "cloudfront")
    assert a["public_key_pem"] != b["public_key_pem"]


def test_ecdsa_key_pair(cli, tmp_path):
    kp = keygen_json(cli, "cloudfront", "--ecdsa")
    assert kp["algorithm"] == "ECDSA-P256"
    priv_pem = kp["private_key_pem"].encode()
    pub_pem = kp["public_key_pem"].encode()
    assert priv_pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert base64.b64decode(kp["private_key_pem_base64"]) == priv_pem
    assert base64.b64decode(kp["public_key_pem_base64"]) == pub_pem
    private = serialization.load_pem_private_key(priv_pem, password=None)
    public = serialization.load_pem_public_key(pub_pem)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    assert isinstance(private.curve, ec.SECP256R1)
    assert private.public_key().public_numbers() == public.public_numbers()
    sig = private.sign(b"policy", ec.ECDSA(hashes.SHA256()))
    public.verify(sig, b"policy", ec.ECDSA(hashes.SHA256()))
    key_file = tmp_path / "ec.pem"
    key_file.write_bytes(priv_pem)
    r = subprocess.run(["openssl", "ec", "-check", "-noout", "-in", str(key_file)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_env_name_output(cli):
    r = cli.run("keygen", "cloudfront", "--env-name", "CF_MEDIA_KEY")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == ["CF_MEDIA_KEY_PEM_BASE64",
                                                          "CF_MEDIA_KEY_PUB_BASE64"]
    pem = base64.b64decode(lines[0].split("=", 1)[1])
    key = serialization.load_pem_private_key(pem, password=None)
    pub = serialization.load_pem_public_key(base64.b64decode(lines[1].split("=", 1)[1]))
    assert key.public_key().public_numbers() == pub.public_numbers()
    assert cli.run("keygen", "cloudfront", "--env-name", "bad name").returncode == 2


def test_plain_pem_output(cli):
    r = cli.run("keygen", "cloudfront", "--ecdsa")
    assert r.returncode == 0
    blocks = re.findall(r"-----BEGIN ([A-Z ]+)-----\n.*?-----END \1-----\n", r.stdout, re.S)
    assert blocks == ["PRIVATE KEY", "PUBLIC KEY"]


def five_distinct_hex_secrets(cli, kind):
    """Runs `keygen KIND` five times: each prints 64 lowercase hex characters and nothing on
    stderr, and no two runs print the same secret."""
    seen = set()
    for _ in range(5):
        r = cli.run("keygen", kind)
        assert r.returncode == 0 and r.stderr == "", r
        secret = r.stdout.rstrip("\n")
        assert re.fullmatch(r"[0-9a-f]{64}", secret)
        seen.add(secret)
    assert len(seen) == 5


def test_spa_secret(cli):
    five_distinct_hex_secrets(cli, "spa-secret")
    j = keygen_json(cli, "spa-secret")
    assert re.fullmatch(r"[0-9a-f]{64}", j["spa_token_secret"])
    # The secret is usable: a token made with it verifies.
    r = cli.run("token", "issue", "1", env={"SPA_TOKEN_SECRET": j["spa_token_secret"]})
    assert r.returncode == 0


def test_password_default(cli):
    counts = {c: 0 for c in DJANGO_CHARS}
    for _ in range(40):
        r = cli.run("keygen", "password", "--length", "200")
        assert r.returncode == 0
        pw = r.stdout.rstrip("\n")
        assert len(pw) == 200
        for c in pw:
            counts[c] += 1  # KeyError if outside the charset
    # 8000 draws over 50 symbols: 160 expected each; 5 sigma ~ 63.
    assert all(abs(n - 160) < 65 for n in counts.values()), counts
    r = cli.run("keygen", "password")
    assert len(r.stdout.rstrip("\n")) == 16
    assert set(r.stdout.rstrip("\n")) <= set(DJANGO_CHARS)


@pytest.mark.parametrize("chars,length", [("ab", 50), ("0123456789", 8), ("あいうえお", 30)])
def test_password_custom(cli, chars, length):
    j = keygen_json(cli, "password", "--chars", chars, "--length", str(length))
    assert len(j["password"]) == length and set(j["password"]) <= set(chars)


@pytest.mark.parametrize("args", [("--length", "0"), ("--length", "100000"), ("--chars", "a"),
                                  ("--chars", "")])
def test_password_errors(cli, args):
    r = cli.run("keygen", "password", *args)
    assert r.returncode == 2 and r.stdout == "" and r.stderr.startswith("pocket-sign: ")


def test_origin_secret(cli):
    """`keygen origin-secret`: magic-pocket's origin_verify_secret format (token_hex(32))."""
    five_distinct_hex_secrets(cli, "origin-secret")
    j = keygen_json(cli, "origin-secret")
    assert list(j) == ["origin_verify_secret"]
    assert re.fullmatch(r"[0-9a-f]{64}", j["origin_verify_secret"])
