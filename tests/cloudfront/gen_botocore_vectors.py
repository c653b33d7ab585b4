"""Writes tests/vectors/cloudfront/botocore-demo-key.json: signed URLs and cookies produced by
botocore's CloudFrontSigner with the demo key (examples/demo-cloudfront-key.pem) for the first
80 seeded cases of test_botocore_equality.py. The Rust core reads it (both RSA back ends, std
and no_std); test_vectors_current.py checks the file is what this script produces.

    python tests/cloudfront/gen_botocore_vectors.py   # rewrite the file
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from conftest import DEMO_KEY, KEY_ID, ROOT, CloudFrontSigner, rsa_signer_for  # noqa: E402
from test_botocore_equality import CASES, botocore_cookies, botocore_url, is_custom  # noqa: E402

OUT = ROOT / "tests" / "vectors" / "cloudfront" / "botocore-demo-key.json"
COUNT = 80


def build():
    signer = CloudFrontSigner(KEY_ID, rsa_signer_for(DEMO_KEY))
    cases = []
    for i, url, expires, starts, ip, resource in CASES[:COUNT]:
        cases.append({
            "id": f"case{i}",
            "url": url,
            "expires": expires,
            "starts": starts,
            "ip": ip,
            "resource": resource,
            "custom": is_custom(url, starts, ip, resource),
            "signedUrl": botocore_url(signer, url, expires, starts, ip, resource),
            "cookiesResource": resource or url,
            "cookies": botocore_cookies(signer, url, expires, starts, ip, resource),
        })
    doc = {
        "generator": "tests/cloudfront/gen_botocore_vectors.py",
        "keyFile": "examples/demo-cloudfront-key.pem",
        "keyPairId": KEY_ID,
        "cases": cases,
    }
    return json.dumps(doc, indent=1, ensure_ascii=True) + "\n"


if __name__ == "__main__":
    OUT.write_text(build(), encoding="ascii")
    print(f"wrote {OUT} ({COUNT} cases)")
