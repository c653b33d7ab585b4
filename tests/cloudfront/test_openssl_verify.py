"""Signatures from pocket-sign verify under the public key with an independent tool:
`openssl dgst -sha1|-sha256 -verify pub.pem -signature sig.bin policy`, for RSA and ECDSA
P-256 keys in every PEM form we load, in SHA-1 and SHA-256 modes, for URLs and cookies."""

import base64
import json
import subprocess
import urllib.parse

import pytest
from conftest import DEMO_KEY, EC_KEY, KEY_ID, run, utc
from botocore.signers import CloudFrontSigner

EXPIRES = 1767290400


def cf_b64decode(text):
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"), validate=True)


def openssl(*args, check=True):
    proc = subprocess.run(["openssl", *args], capture_output=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"openssl {args} failed: {proc.stderr.decode()}")
    return proc


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    d = tmp_path_factory.mktemp("keys")
    out = {"rsa-pkcs1": DEMO_KEY, "ec-pkcs8-vector": EC_KEY}
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(d / "rsa8.pem"))
    out["rsa-pkcs8"] = d / "rsa8.pem"
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(d / "ec1.pem"))
    out["ec-sec1"] = d / "ec1.pem"
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(d / "ec8.pem"))
    out["ec-pkcs8"] = d / "ec8.pem"
    return out


def params_of(url):
    return dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))


def verify(tmp_path, key_path, digest, policy: bytes, sig: bytes):
    pub = tmp_path / "pub.pem"
    openssl("pkey", "-in", str(key_path), "-pubout", "-out", str(pub))
    (tmp_path / "policy").write_bytes(policy)
    (tmp_path / "sig.bin").write_bytes(sig)
    ok = openssl("dgst", f"-{digest}", "-verify", str(pub), "-signature", str(tmp_path / "sig.bin"),
                 str(tmp_path / "policy"), check=False)
    return ok.returncode == 0 and b"Verified OK" in ok.stdout


def canned_policy(url):
    # botocore's build_policy gives the canned policy bytes independently of pocket-sign.
    return CloudFrontSigner(KEY_ID, None).build_policy(url, utc(EXPIRES)).encode()


@pytest.mark.parametrize("digest", ["sha1", "sha256"])
@pytest.mark.parametrize("kind", ["rsa-pkcs1", "rsa-pkcs8", "ec-pkcs8-vector", "ec-sec1", "ec-pkcs8"])
def test_url_signatures_verify_with_openssl(bin_path, keys, tmp_path, kind, digest):
    key = keys[kind]
    base = ["--key-pair-id", KEY_ID, "--private-key", str(key), "--expires-at", str(EXPIRES),
            "--hash-algorithm", digest]
    # Canned policy.
    url = "https://d111111abcdef8.cloudfront.net/media/clip.mp4?q=1"
    signed = run(bin_path, "url", url, *base).stdout.strip()
    p = params_of(signed)
    assert (p.get("Hash-Algorithm") == "SHA256") == (digest == "sha256")
    assert signed.endswith("&Hash-Algorithm=SHA256") == (digest == "sha256")
    sig = cf_b64decode(p["Signature"])
    if kind.startswith("rsa"):
        assert len(sig) == 256
    else:
        assert sig[0] == 0x30 and 8 <= len(sig) <= 72  # DER SEQUENCE
    policy = canned_policy(url)
    assert verify(tmp_path, key, digest, policy, sig)
    assert not verify(tmp_path, key, digest, policy.replace(b"clip", b"clap"), sig)
    assert not verify(tmp_path, key, "sha256" if digest == "sha1" else "sha1", policy, sig)

    # Custom policy with a wildcard, start time and IP range.
    signed = run(bin_path, "url", url, *base, "--resource", "https://d111111abcdef8.cloudfront.net/media/*",
                 "--starts-at", str(EXPIRES - 3600), "--ip", "192.0.2.0/24").stdout.strip()
    p = params_of(signed)
    policy = cf_b64decode(p["Policy"])
    assert json.loads(policy)["Statement"][0]["Condition"]["IpAddress"] == {"AWS:SourceIp": "192.0.2.0/24"}
    assert verify(tmp_path, key, digest, policy, cf_b64decode(p["Signature"]))


@pytest.mark.parametrize("digest", ["sha1", "sha256"])
@pytest.mark.parametrize("kind", ["rsa-pkcs1", "ec-sec1"])
def test_cookie_signatures_verify_with_openssl(bin_path, keys, tmp_path, kind, digest):
    key = keys[kind]
    resource = "https://d111111abcdef8.cloudfront.net/private/*"
    cookies = json.loads(run(bin_path, "cookies", resource, "--key-pair-id", KEY_ID, "--private-key", str(key),
                             "--expires-at", str(EXPIRES), "--hash-algorithm", digest).stdout)
    expected_names = {"CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"}
    if digest == "sha256":
        expected_names.add("CloudFront-Hash-Algorithm")
        assert cookies["CloudFront-Hash-Algorithm"] == "SHA256"
    assert set(cookies) == expected_names
    policy = cf_b64decode(cookies["CloudFront-Policy"])
    assert verify(tmp_path, key, digest, policy, cf_b64decode(cookies["CloudFront-Signature"]))


def test_percent_encoding_is_left_alone(bin_path, tmp_path):
    # The URL is signed exactly as given: no decoding or re-encoding of %XX or non-ASCII.
    url = "https://d111111abcdef8.cloudfront.net/caf%C3%A9/日本.png"
    signed = run(bin_path, "url", url, "--key-pair-id", KEY_ID, "--private-key", str(DEMO_KEY),
                 "--expires-at", str(EXPIRES)).stdout.strip()
    assert signed.startswith(url + "?Expires=")
    # The signature covers the policy of the URL exactly as given, not of its decoded form.
    sig = cf_b64decode(params_of(signed)["Signature"])
    assert verify(tmp_path, DEMO_KEY, "sha1", canned_policy(url), sig)
    assert not verify(tmp_path, DEMO_KEY, "sha1", canned_policy(urllib.parse.unquote(url)), sig)
