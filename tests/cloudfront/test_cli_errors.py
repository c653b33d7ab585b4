"""Every CloudFront error kind through the CLI: exit code 2, one clear sentence on stderr,
nothing on stdout, and no key material. Also the Set-Cookie output formats."""

import subprocess

import pytest
from conftest import DEMO_KEY, KEY_ID, run

KEY = ["--key-pair-id", KEY_ID, "--private-key", str(DEMO_KEY)]
URL = "https://d111111abcdef8.cloudfront.net/a.jpg"


@pytest.mark.parametrize(
    "args, needle",
    [
        (["url", URL, *KEY], "expiration time is required"),
        (["url", URL, *KEY, "--expires-at", "100", "--starts-at", "200"], "must be before the expiration"),
        (["url", URL, *KEY, "--expires-at", "100", "--starts-at", "100"], "must be before the expiration"),
        (["url", URL + "?x=" + "a" * 8000, *KEY, "--expires-at", "100"], "over CloudFront's limit of 8192"),
        (["url", URL, "--key-pair-id", "K2&Evil=1", "--private-key", str(DEMO_KEY), "--expires-at", "1"],
         "invalid CloudFront key pair id"),
        (["url", URL, *KEY, "--expires-at", "1", "--ip", "2001:db8::/32"], "only IPv4"),
        (["url", URL, *KEY, "--expires-at", "1", "--ip", "10.0.0.256"], "invalid IP address"),
        (["url", URL, *KEY, "--expires-at", "1", "--ip", '1.2.3.4/32","x":"'], "invalid IP address"),
        (["url", "https://d/a b.jpg", *KEY, "--expires-at", "1"], "whitespace"),
        (["url", "https://d/a.jpg#top", *KEY, "--expires-at", "1"], "fragment"),
        (["url", "https://d/a.jpg?Signature=x", *KEY, "--expires-at", "1"], "signing parameter Signature"),
        (["url", URL, *KEY, "--expires-at", "1", "--resource", "https://d/other/*"], "not matched by the policy resource"),
        (["url", URL, *KEY, "--expires-at", "yesterday"], "RFC 3339"),
        (["url", URL, "--key-pair-id", KEY_ID, "--private-key", "/nonexistent.pem", "--expires-at", "1"],
         "cannot read the private key file"),
        (["url", URL, "--key", "PS_SURELY_UNSET_KEY", "--expires-at", "1"], "PS_SURELY_UNSET_KEY_PEM_BASE64"),
        (["cookies", URL, *KEY, "--expires-at", "1", "--format", "header", "--domain", "a;b"],
         "invalid cookie attribute"),
        (["policy", URL], "expiration time is required"),
    ],
)
def test_errors_exit_2_with_one_sentence(bin_path, args, needle):
    proc = run(bin_path, *args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert needle in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert "MII" not in proc.stderr


def test_unsupported_keys(bin_path, tmp_path):
    p384 = tmp_path / "p384.pem"
    subprocess.run(["openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", str(p384)], check=True)
    ed = tmp_path / "ed.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(ed)], check=True)
    pub = tmp_path / "pub.pem"
    subprocess.run(["openssl", "pkey", "-in", str(DEMO_KEY), "-pubout", "-out", str(pub)], check=True)
    for path, needle in [(p384, "P-256"), (ed, "only RSA and ECDSA P-256"), (pub, "public key")]:
        proc = run(bin_path, "url", URL, "--key-pair-id", KEY_ID, "--private-key", str(path),
                   "--expires-at", "1", check=False)
        assert proc.returncode == 2 and needle in proc.stderr, proc.stderr


def test_usage_error_is_exit_2(bin_path):
    proc = run(bin_path, "url", URL, "--expires-at", "1", "--expires-in", "5", *KEY, check=False)
    assert proc.returncode == 2
    proc = run(bin_path, "url", URL, "--key", "X", "--private-key", str(DEMO_KEY), "--expires-at", "1", check=False)
    assert proc.returncode == 2


def test_set_cookie_formats(bin_path):
    base = ["cookies", URL, *KEY, "--expires-at", "1767290400"]
    header = run(bin_path, *base, "--format", "header", "--domain", "example.org", "--path", "/media/").stdout
    lines = header.splitlines()
    assert [l.split("=", 1)[0] for l in lines] == [
        "Set-Cookie: CloudFront-Expires", "Set-Cookie: CloudFront-Signature", "Set-Cookie: CloudFront-Key-Pair-Id",
    ]
    assert lines[0] == "Set-Cookie: CloudFront-Expires=1767290400; Domain=example.org; Path=/media/; Secure; HttpOnly"
    values = run(bin_path, *base, "--format", "set-cookie", "--no-secure", "--no-http-only").stdout.splitlines()
    assert values[2] == f"CloudFront-Key-Pair-Id={KEY_ID}; Path=/"
    assert [v.split(";")[0] for v in values] == [l[len("Set-Cookie: "):].split(";")[0] for l in lines]


def test_batch_of_urls_one_shared_signature_or_nothing(bin_path):
    """`url` with several URLs and one --resource signs the policy once (the core's batch
    API); one bad URL among them prints nothing and exits 2."""
    urls = [f"https://d/m/{i}.jpg" for i in range(3)]
    proc = run(bin_path, "url", *urls, *KEY, "--expires-at", "1767290400", "--resource", "https://d/m/*")
    lines = proc.stdout.splitlines()
    assert [line.split("?")[0] for line in lines] == urls
    assert len({line.split("?", 1)[1] for line in lines}) == 1
    bad = run(bin_path, "url", *urls, "https://d/m/a b", *KEY, "--expires-at", "1", "--resource", "https://d/m/*",
              check=False)
    assert bad.returncode == 2 and bad.stdout == "" and "whitespace" in bad.stderr
    canned = run(bin_path, "url", *urls, *KEY, "--expires-at", "1767290400").stdout.splitlines()
    assert len({line.split("Signature=")[1] for line in canned}) == 3 and all("Expires=" in c for c in canned)
