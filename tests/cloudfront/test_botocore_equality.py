"""pocket-sign's signed URLs and cookies vs botocore's CloudFrontSigner, byte for byte.

At least 200 seeded random cases: URLs with and without query strings, percent-encoded and
non-ASCII paths, wildcard resources, IP ranges, start times and expiry edge values.
"""

import json
import random

import pytest
from conftest import DEMO_KEY, KEY_ID, WEAK_KEY, CloudFrontSigner, rsa_signer_for, run, utc

SEED = 20261123
N_CASES = 240

HOSTS = ["d111111abcdef8.cloudfront.net", "media.example.org", "cdn.example.com:8443"]
SEGMENTS = [
    "media", "images", "video", "a", "demo.jpg", "file.txt", "index.html", "v1.2", "x_y-z~",
    "%20space", "caf%C3%A9", "%E6%97%A5%E6%9C%AC.png", "100%25", "a+b", "semi;colon", "q'uote",
    "dq\"uote", "back\\slash", "日本語", "café", "😀.gif", "ü", "\u00a0nbsp", "tab%09",
]
QUERIES = ["size=large", "color=red&size=medium", "a=1&b=", "x=%E2%82%AC", "lang=日本", "v=2", ""]
# Expiry edge values (unix seconds): epoch, small, 32-bit signed/unsigned limits, year 9999.
EXPIRY_EDGES = [0, 1, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 1767290400, 253402300799]


def random_url(rng):
    scheme = rng.choice(["https", "http"])
    path = "/".join(rng.choice(SEGMENTS) for _ in range(rng.randint(1, 4)))
    url = f"{scheme}://{rng.choice(HOSTS)}/{path}"
    if rng.random() < 0.45:
        url += "?" + rng.choice(QUERIES)
    return url


def random_ip(rng):
    addr = ".".join(str(rng.randint(0, 255)) for _ in range(4))
    return addr if rng.random() < 0.3 else f"{addr}/{rng.randint(0, 32)}"


def make_cases():
    rng = random.Random(SEED)
    cases = []
    for i in range(N_CASES):
        url = random_url(rng)
        expires = rng.choice(EXPIRY_EDGES) if rng.random() < 0.3 else rng.randint(1, 4102444800)
        starts = ip = resource = None
        if rng.random() < 0.3 and expires > 0:
            starts = rng.randint(0, expires - 1)
        if rng.random() < 0.3:
            ip = random_ip(rng)
        r = rng.random()
        if r < 0.15:
            # Wildcard resource: a prefix of the URL followed by `*`.
            resource = url[: rng.randint(len(url.split("/")[0]) + 2, len(url))] + "*"
        elif r < 0.22:
            # `?` wildcard replacing one ASCII character.
            ascii_positions = [j for j, c in enumerate(url) if c.isascii() and c not in "*?"]
            j = rng.choice(ascii_positions)
            resource = url[:j] + "?" + url[j + 1 :]
        elif r < 0.27:
            url = url.split("?")[0].rstrip("/") + "/*"  # a URL that itself has a wildcard
        cases.append((i, url, expires, starts, ip, resource))
    return cases


CASES = make_cases()


def is_custom(url, starts, ip, resource):
    """Custom for a signed URL: a `*` in the URL alone keeps it canned (botocore signs it literally)."""
    return starts is not None or ip is not None or (resource is not None and (resource != url or "*" in resource))


def is_custom_cookie(target, starts, ip):
    """Custom for cookies: the argument is the policy resource, so a `*` is a wildcard."""
    return starts is not None or ip is not None or "*" in target


def botocore_url(signer, url, expires, starts, ip, resource):
    if is_custom(url, starts, ip, resource):
        policy = signer.build_policy(
            resource or url, utc(expires), None if starts is None else utc(starts), ip
        )
        return signer.generate_presigned_url(url, policy=policy)
    return signer.generate_presigned_url(url, date_less_than=utc(expires))


def botocore_cookies(signer, url, expires, starts, ip, resource):
    """The cookies AWS documents, built from botocore's own policy and signature."""
    target = resource or url
    if is_custom_cookie(target, starts, ip):
        policy = signer.build_policy(
            target, utc(expires), None if starts is None else utc(starts), ip
        ).encode()
        first = ("CloudFront-Policy", signer._url_b64encode(policy).decode())
    else:
        policy = signer.build_policy(target, utc(expires)).encode()
        first = ("CloudFront-Expires", str(expires))
    return {
        first[0]: first[1],
        "CloudFront-Signature": signer._url_b64encode(signer.rsa_signer(policy)).decode(),
        "CloudFront-Key-Pair-Id": signer.key_id,
    }


def cli_args(expires, starts, ip, key=DEMO_KEY):
    args = ["--key-pair-id", KEY_ID, "--private-key", str(key), "--expires-at", str(expires)]
    if starts is not None:
        args += ["--starts-at", str(starts)]
    if ip is not None:
        args += ["--ip", ip]
    return args


def test_star_in_url_is_canned_like_botocore(bin_path, boto_signer):
    """A canned request for a URL containing `*` signs that URL literally (Expires=, no Policy=),
    byte-identical to botocore; it must not be widened into a wildcard custom policy."""
    for url in ["https://media.example.com/u/*", "https://media.example.com/u/a*b.jpg?x=*"]:
        expected = boto_signer.generate_presigned_url(url, date_less_than=utc(1767290400))
        got = run(bin_path, "url", url, *cli_args(1767290400, None, None)).stdout
        assert got == expected + "\n"
        assert "Expires=1767290400" in got and "Policy=" not in got
    # Wildcards only from an explicit --resource.
    url = "https://media.example.com/u/*"
    policy = boto_signer.build_policy(url, utc(1767290400))
    got = run(bin_path, "url", url, "--resource", url, *cli_args(1767290400, None, None)).stdout
    assert got == boto_signer.generate_presigned_url(url, policy=policy) + "\n"


def test_cookies_help_says_resource_is_a_wildcard_pattern(bin_path):
    text = run(bin_path, "cookies", "--help").stdout
    assert "policy resource" in text and "wildcard" in text


def test_enough_cases_and_coverage():
    assert len(CASES) >= 200
    urls = [c[1] for c in CASES]
    assert any("?" in u.split("://")[1] and "*" not in u for u in urls)
    assert any("%" in u for u in urls)
    assert any(not u.isascii() for u in urls)
    assert sum(1 for c in CASES if c[5] and c[5].endswith("*")) >= 20
    assert sum(1 for c in CASES if c[4]) >= 40
    assert sum(1 for c in CASES if c[3] is not None) >= 40
    assert {0, 2**32, 253402300799} <= {c[2] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"case{c[0]}" for c in CASES])
def test_signed_url_matches_botocore(bin_path, boto_signer, case):
    _, url, expires, starts, ip, resource = case
    expected = botocore_url(boto_signer, url, expires, starts, ip, resource)
    args = ["url", url, *cli_args(expires, starts, ip)]
    if resource is not None:
        args += ["--resource", resource]
    got = run(bin_path, *args).stdout
    assert got == expected + "\n"


@pytest.mark.parametrize("case", CASES[:120], ids=[f"case{c[0]}" for c in CASES[:120]])
def test_signed_cookies_match_botocore(bin_path, boto_signer, case):
    _, url, expires, starts, ip, resource = case
    target = resource or url
    expected = botocore_cookies(boto_signer, url, expires, starts, ip, resource)
    got = json.loads(run(bin_path, "cookies", target, *cli_args(expires, starts, ip)).stdout)
    assert got == expected


@pytest.mark.parametrize("case", CASES[:40], ids=[f"case{c[0]}" for c in CASES[:40]])
def test_policy_command_prints_botocores_policy(bin_path, boto_signer, case):
    _, url, expires, starts, ip, resource = case
    target = resource or url
    expected = boto_signer.build_policy(target, utc(expires), None if starts is None else utc(starts), ip)
    args = ["policy", target, "--expires-at", str(expires)]
    if starts is not None:
        args += ["--starts-at", str(starts)]
    if ip is not None:
        args += ["--ip", ip]
    assert run(bin_path, *args).stdout == expected + "\n"


def test_weak_test_key_with_opt_in_matches_botocore(bin_path):
    signer = CloudFrontSigner("K1TESTKEY", rsa_signer_for(WEAK_KEY))
    url = "https://d111111abcdef8.cloudfront.net/image.jpg?size=large"
    expected = signer.generate_presigned_url(url, date_less_than=utc(1767290400))
    args = ["url", url, "--key-pair-id", "K1TESTKEY", "--private-key", str(WEAK_KEY), "--expires-at", "1767290400"]
    refused = run(bin_path, *args, check=False)
    assert refused.returncode == 2 and "2048" in refused.stderr
    assert run(bin_path, *args, "--allow-weak-key").stdout == expected + "\n"


def test_batch_one_signature_for_many_urls(bin_path, boto_signer):
    resource = "https://d111111abcdef8.cloudfront.net/media/*"
    urls = [f"https://d111111abcdef8.cloudfront.net/media/{i}.jpg" for i in range(5)] + [
        "https://d111111abcdef8.cloudfront.net/media/x/日本.png?w=1"
    ]
    policy = boto_signer.build_policy(resource, utc(1767290400), utc(1767200000), "10.1.0.0/16")
    expected = "".join(boto_signer.generate_presigned_url(u, policy=policy) + "\n" for u in urls)
    got = run(
        bin_path, "url", *urls, "--resource", resource,
        *cli_args(1767290400, 1767200000, "10.1.0.0/16"),
    ).stdout
    assert got == expected


def test_rfc3339_and_unix_expiry_agree(bin_path, boto_signer):
    url = "https://d111111abcdef8.cloudfront.net/a.jpg"
    a = run(bin_path, "url", url, *cli_args(1767290400, None, None)).stdout
    b = run(bin_path, "url", url, "--key-pair-id", KEY_ID, "--private-key", str(DEMO_KEY),
            "--expires-at", "2026-01-01T18:00:00Z").stdout
    c = run(bin_path, "url", url, "--key-pair-id", KEY_ID, "--private-key", str(DEMO_KEY),
            "--expires-at", "2026-01-01T19:00:00.9+01:00").stdout
    assert a == b == c == boto_signer.generate_presigned_url(url, date_less_than=utc(1767290400)) + "\n"


def test_key_from_environment(bin_path, boto_signer):
    import base64
    import os
    import subprocess

    url = "https://d111111abcdef8.cloudfront.net/env.jpg"
    env = dict(os.environ)
    env["CF_MEDIA_KEY_PEM_BASE64"] = base64.b64encode(DEMO_KEY.read_bytes()).decode()
    env["CF_MEDIA_KEY_ID"] = KEY_ID
    proc = subprocess.run(
        [bin_path, "url", url, "--key", "CF_MEDIA_KEY", "--expires-at", "1767290400"],
        capture_output=True, text=True, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == boto_signer.generate_presigned_url(url, date_less_than=utc(1767290400)) + "\n"
    # The secret never appears in an error message.
    env["CF_MEDIA_KEY_PEM_BASE64"] = env["CF_MEDIA_KEY_PEM_BASE64"][:-8]
    proc = subprocess.run(
        [bin_path, "url", url, "--key", "CF_MEDIA_KEY", "--expires-at", "1767290400"],
        capture_output=True, text=True, env=env,
    )
    assert proc.returncode == 2
    assert env["CF_MEDIA_KEY_PEM_BASE64"][:20] not in proc.stderr
