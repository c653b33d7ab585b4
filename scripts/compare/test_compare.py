"""Unit tests of compare.sh's parsers and report logic (run by tests/suites/70-bench.sh)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import openssl_speed  # noqa: E402

HERE = Path(__file__).parent

OPENSSL_30 = """\
                  sign    verify    sign/s verify/s
rsa 2048 bits 0.000246s 0.000016s   4072.3  60845.8
                              sign    verify    sign/s verify/s
 256 bits ecdsa (nistp256)   0.0000s   0.0001s  49794.0  16052.9
"""
# OpenSSL 3.2+ adds encapsulation columns after sign/verify.
OPENSSL_32 = """\
                   sign    verify    encrypt   decrypt   sign/s verify/s  encr./s  decr./s
rsa  2048 bits 0.000556s 0.000016s 0.000017s 0.000559s   1798.6  61371.9  57813.0   1788.6
"""


class OpensslParse(unittest.TestCase):
    def test_openssl_30(self):
        s = openssl_speed.parse(OPENSSL_30)
        self.assertEqual(s["rsa2048"]["sign/s"], 4072.3)
        self.assertEqual(s["rsa2048"]["verify/s"], 60845.8)
        self.assertEqual(s["ecdsap256"]["sign/s"], 49794.0)

    def test_openssl_32_columns(self):
        s = openssl_speed.parse(OPENSSL_32)
        self.assertEqual(s["rsa2048"]["sign/s"], 1798.6)
        self.assertEqual(s["rsa2048"]["verify/s"], 61371.9)

    def test_garbage(self):
        self.assertEqual(openssl_speed.parse("nothing here\n"), {})


class Report(unittest.TestCase):
    def run_report(self, sources, criterion=None):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for i, src in enumerate(sources):
                p = Path(d) / f"s{i}.json"
                p.write_text(json.dumps(src))
                paths.append(str(p))
            crit = Path(d) / "criterion"
            for (group, func), ns in (criterion or {}).items():
                est = crit / group / func / "new"
                est.mkdir(parents=True)
                (est / "estimates.json").write_text(
                    json.dumps({"median": {"point_estimate": ns}}))
            proc = subprocess.run(
                [sys.executable, str(HERE / "report.py"), "--criterion", str(crit),
                 "--out-dir", d, "--command", "bash scripts/compare.sh", *paths],
                capture_output=True, text=True)
            doc = json.loads((Path(d) / "benchmarks.json").read_text())
            md = (Path(d) / "benchmarks.md").read_text()
            return proc.returncode, doc, md

    @staticmethod
    def row(i, key, ops):
        return {"id": i, "key": key, "impl": key, "ops_per_sec": ops, "unit": "op"}

    def test_ratios_targets_and_criterion(self):
        src = {"rows": [self.row("spa.verify", "pure_python", 100_000.0),
                        self.row("spa.verify", "py", 600_000.0),
                        self.row("url.canned", "openssl", 4000.0),
                        self.row("url.ecdsa", "openssl", 50_000.0),
                        self.row("jwt.verify", "aws_jwt_verify", 10_000.0)],
               "samples": {}, "errors": []}
        # Rust: SPA verify 150 ns (met), canned URL 1 ms (1000/s < 0.8 x 4000: missed, bounded
        # by a 0.9 ms signature), ECDSA URL 25 us (40,000/s >= 0.7 x 50,000: met).
        code, doc, md = self.run_report([src], {("spa_token", "verify_precomputed"): 150.0,
                                               ("cloudfront", "signed_url_canned"): 1e6,
                                               ("floor", "rsa2048_sign_sha1_openssl"): 9e5,
                                               ("cloudfront", "signed_url_canned_ecdsa"): 25e3})
        self.assertEqual(code, 0)
        t = {x["target"]: x for x in doc["targets"] + doc["earlier_targets"]}
        spa = t["Python: SPA verify_token >= 5x pure Python"]
        self.assertEqual(spa["status"], "met")
        self.assertAlmostEqual(spa["value"], 6.0)
        self.assertEqual(t["SPA verify via Rust core <= 200 ns"]["status"], "met")
        rsa = t["core: CloudFront URL, RSA-2048 SHA-1 >= 0.8x OpenSSL sign (`openssl speed "
                "rsa2048`)"]
        self.assertEqual(rsa["status"], "missed")
        self.assertIn("900.00 µs, 90% of the row's 1.00 ms", rsa["why"])
        self.assertEqual(
            t["core: URL with ECDSA P-256, SHA-1 mode >= 0.7x OpenSSL ecdsap256 sign"]["status"],
            "met")
        self.assertEqual(
            t["core: URL with ECDSA P-256, SHA-256 mode >= 0.7x OpenSSL ecdsap256 sign"]
            ["status"], "not measured")
        self.assertEqual(t["JWT verify via Python >= PyJWT"]["status"], "not measured")
        c = [x for x in doc["comparisons"] if x["operation"] == "spa.verify"
             and x["ours"] == "rust"][0]
        self.assertAlmostEqual(c["ratio"], (1e9 / 150.0) / 100_000.0)
        self.assertIn("| SPA verify via Rust core <= 200 ns | 150 ns | **met** |  |", md)
        # Every goal of the table is listed, measured or not.
        self.assertEqual(len(doc["targets"]), 13)

    def test_python_through_cryptography_is_named(self):
        src = {"rows": [self.row("url.canned", "py", 3000.0),
                        self.row("url.canned", "botocore", 3000.0)],
               "samples": {"py_cloudfront_uses_cryptography": True}, "errors": []}
        _, doc, _ = self.run_report([src])
        t = [x for x in doc["targets"] if x["target"].startswith("Python: generate_presigned")][0]
        self.assertEqual(t["status"], "missed")
        self.assertIn("cryptography", t["why"])

    def test_url_mismatch_fails(self):
        base = "https://d.example/a.jpg?Expires=1&Signature=AAA&Key-Pair-Id=K"
        same_other_order = "https://d.example/a.jpg?Expires=1&Key-Pair-Id=K&Signature=AAA"
        ok = {"rows": [], "errors": [], "samples": {"url_canned_botocore": base,
                                                    "url_canned_x": same_other_order}}
        code, doc, _ = self.run_report([ok])
        self.assertEqual(code, 0)
        self.assertTrue(all(c["ok"] for c in doc["cross_checks"]))
        bad = {"rows": [], "errors": [], "samples": {
            "url_canned_botocore": base, "url_canned_x": base.replace("AAA", "AAB")}}
        code, doc, md = self.run_report([bad])
        self.assertNotEqual(code, 0)
        self.assertIn("MISMATCH", md)


if __name__ == "__main__":
    unittest.main()
