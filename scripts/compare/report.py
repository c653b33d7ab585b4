"""Merges every source of compare.sh into docs/benchmarks.md and docs/benchmarks.json.

Sources: the JSON files written by peers_py.py, ours_py.py, node/bench.mjs and openssl_speed.py,
plus criterion's estimates (target/criterion/<group>/<function>/new/estimates.json) for the Rust
core. Every row of the head-to-head table is (operation, ours, alternative, ratio = ours/alt);
the performance targets are evaluated on the same run and listed as met / missed / not measured.

Usage: python report.py --criterion DIR --out-dir DIR --command CMD --mode MODE SOURCE.json...
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

# Criterion bench (group, function) -> (row id, key, label, operations per iteration, unit).
CRITERION = {
    ("spa_token", "verify_precomputed"):
        ("spa.verify", "rust", "pocket-sign Rust core (precomputed key)", 1, "op"),
    ("spa_token", "verify_from_hex"):
        ("spa.verify", "rust_from_hex", "pocket-sign Rust core (key from hex per call)", 1, "op"),
    ("spa_token", "generate_precomputed"):
        ("spa.generate", "rust", "pocket-sign Rust core (precomputed key)", 1, "op"),
    ("spa_token", "generate_from_hex"):
        ("spa.generate", "rust_from_hex", "pocket-sign Rust core (key from hex per call)", 1,
         "op"),
    ("cloudfront", "signed_url_canned"):
        ("url.canned", "rust", "pocket-sign Rust core", 1, "op"),
    ("cloudfront", "signed_url_custom"):
        ("url.custom", "rust", "pocket-sign Rust core", 1, "op"),
    ("cloudfront", "signed_url_canned_sha256"):
        ("url.canned", "rust_sha256", "pocket-sign Rust core, SHA-256 mode (Hash-Algorithm=SHA256)",
         1, "op"),
    ("cloudfront", "signed_url_canned_ecdsa"):
        ("url.ecdsa", "rust", "pocket-sign Rust core (SHA-1 mode)", 1, "op"),
    ("cloudfront", "signed_url_canned_ecdsa_sha256"):
        ("url.ecdsa", "rust_sha256", "pocket-sign Rust core, SHA-256 mode", 1, "op"),
    ("cloudfront", "signed_cookies_custom"):
        ("cookies.custom", "rust", "pocket-sign Rust core", 1, "op"),
    ("page50", "per_url_rsa"):
        ("page50.per_url", "rust", "pocket-sign Rust core: 50 x signed_url (RSA)", 50, "url"),
    ("page50", "shared_wildcard_policy"):
        ("page50.shared_policy", "rust",
         "pocket-sign Rust core: 1 sign_policy + 50 x apply", 50, "url"),
    ("page50", "per_url_ecdsa"):
        ("page50.ecdsa", "rust", "pocket-sign Rust core: 50 x signed_url (ECDSA P-256)", 50,
         "url"),
    ("page50", "batch_rsa"):
        ("page50.batch", "rust", "pocket-sign Rust core: signed_urls batch (RSA)", 50, "url"),
    ("jwt", "rs256_verify_cache_hit"):
        ("jwt.verify", "rust", "pocket-sign Rust core (warm JWKS cache)", 1, "op"),
    ("alb", "es256_verify"):
        ("alb.verify", "rust", "pocket-sign Rust core", 1, "op"),
    ("jwks", "parse"):
        ("jwks.parse", "rust", "pocket-sign Rust core (2-key Cognito JWKS)", 1, "op"),
    ("codegen", "generate"):
        ("codegen.generate", "rust", "pocket-sign Rust core (best-practice pocket.toml)", 1, "op"),
    ("floor", "hmac_sha256_precomputed"):
        ("spa.verify", "floor_hmac", "floor: one HMAC-SHA256 (RustCrypto, precomputed key)", 1,
         "op"),
    ("floor", "rsa2048_sign_sha1_rustcrypto"):
        ("url.canned", "floor_rsa_rustcrypto",
         "floor: RSA-2048 sign SHA-1 (RustCrypto rsa, portable back end)", 1, "op"),
    ("floor", "rsa2048_sign_sha1_openssl"):
        ("url.canned", "floor_rsa_openssl",
         "floor: RSA-2048 sign SHA-1 (openssl crate, native back end)", 1, "op"),
    ("floor", "rsa2048_verify_sha256_openssl"):
        ("jwt.verify", "floor_rsa_openssl",
         "floor: RSA-2048 verify SHA-256 (openssl crate, native back end)", 1, "op"),
    ("floor", "p256_sign_sha256_openssl"):
        ("url.ecdsa", "floor_p256_openssl",
         "floor: P-256 sign (openssl crate, native back end)", 1, "op"),
    ("floor", "p256_verify_sha256_openssl"):
        ("alb.verify", "floor_p256_openssl",
         "floor: P-256 verify (openssl crate, native back end)", 1, "op"),
    ("floor", "rsa2048_sign_sha256_ring"):
        ("url.canned", "floor_rsa_ring", "floor: RSA-2048 sign SHA-256 (ring)", 1, "op"),
    ("floor", "rsa2048_verify_sha256_ring"):
        ("jwt.verify", "floor_rsa_ring", "floor: RSA-2048 verify SHA-256 (ring)", 1, "op"),
    ("floor", "p256_sign_sha256_ring"):
        ("url.ecdsa", "floor_p256_ring", "floor: P-256 sign (ring)", 1, "op"),
    ("floor", "p256_sign_sha256_rustcrypto"):
        ("url.ecdsa", "floor_p256_rustcrypto",
         "floor: P-256 sign (RustCrypto p256, portable back end)", 1, "op"),
    ("floor", "p256_verify_sha256_ring"):
        ("alb.verify", "floor_p256_ring", "floor: P-256 verify (ring)", 1, "op"),
    ("floor", "p256_verify_sha256_rustcrypto"):
        ("alb.verify", "floor_p256_rustcrypto",
         "floor: P-256 verify (RustCrypto p256, portable back end)", 1, "op"),
}

OPERATIONS = [
    ("spa.verify", "SPA token verify (`user:expiry:hmac`)"),
    ("spa.generate", "SPA token generate"),
    ("url.canned", "CloudFront signed URL, canned policy (RSA-2048, SHA-1)"),
    ("url.custom", "CloudFront signed URL, custom policy (wildcard + IP)"),
    ("url.ecdsa", "CloudFront signed URL, canned policy (ECDSA P-256)"),
    ("cookies.custom", "CloudFront signed cookies, custom policy"),
    ("page50.per_url", "Page of 50 URLs: one RSA signature per URL (per URL)"),
    ("page50.shared_policy", "Page of 50 URLs: one shared wildcard policy (per URL)"),
    ("page50.ecdsa", "Page of 50 URLs: ECDSA P-256 key (per URL)"),
    ("page50.batch", "Page of 50 URLs: batch API (per URL)"),
    ("page50.cookie_mode", "Page of 50 URLs: CloudFront signed cookies, unsigned URLs (per URL)"),
    ("jwt.verify", "Cognito access token RS256 verify, warm JWKS cache"),
    ("alb.verify", "ALB `x-amzn-oidc-data` ES256 verify, warm key cache"),
    ("jwks.parse", "JWKS parse (2 RSA keys)"),
    ("codegen.generate", "CloudFront Function generation from pocket.toml"),
]

# (operation, ours key, alternative key) pairs of the head-to-head table, in order.
PAIRS = [
    ("spa.verify", "py", "pure_python"),
    ("spa.verify", "rust", "pure_python"),
    ("spa.verify", "rust_from_hex", "pure_python"),
    ("spa.verify", "wasm", "node_crypto"),
    ("spa.verify", "wasm_kept_key", "node_crypto"),
    ("spa.generate", "py", "pure_python"),
    ("spa.generate", "rust", "pure_python"),
    ("url.canned", "rust", "openssl"),
    ("url.canned", "rust", "botocore"),
    ("url.canned", "py", "botocore"),
    ("url.canned", "rust", "aws_sdk_js"),
    ("url.canned", "rust_sha256", "openssl"),
    ("url.ecdsa", "rust", "openssl"),
    ("url.ecdsa", "rust_sha256", "openssl"),
    ("url.custom", "rust", "botocore"),
    ("url.custom", "py", "botocore"),
    ("page50.per_url", "rust", "botocore"),
    ("page50.per_url", "py", "botocore"),
    ("page50.shared_policy", "rust", "botocore"),
    ("page50.shared_policy", "py", "botocore"),
    ("page50.ecdsa", "rust", "botocore"),
    ("page50.ecdsa", "py", "botocore"),
    ("page50.batch", "rust", "botocore"),
    ("page50.batch", "py", "botocore"),
    ("page50.cookie_mode", "py", "botocore"),
    ("jwt.verify", "py", "python_jose"),
    ("jwt.verify", "py", "pyjwt"),
    ("jwt.verify", "py_async", "py"),  # warm verify_async vs warm sync verify
    ("jwt.verify", "rust", "aws_jwt_verify"),
    ("jwt.verify", "rust", "openssl"),
    ("jwt.verify", "wasm", "aws_jwt_verify"),
    ("jwt.verify", "wasm_kept_keys", "aws_jwt_verify"),
    ("alb.verify", "rust", "openssl"),
]
# The page rows compare against botocore's per-URL page (the way users sign a page today).
ALT_ROW = {"page50.shared_policy": "page50.per_url", "page50.ecdsa": "page50.per_url",
           "page50.batch": "page50.per_url", "page50.cookie_mode": "page50.per_url"}

# The targets: (description, ours (op, key), alt (op, key) or None, min ratio, or max_ns for an
# absolute latency target, why a miss happens when the report cannot say it from a floor).
# First the goals of "one core at the hardware floor, every front end a thin call into it".
TARGETS = [
    ("core: CloudFront URL, RSA-2048 SHA-1 >= 0.8x OpenSSL sign (`openssl speed rsa2048`)",
     ("url.canned", "rust"), ("url.canned", "openssl"), 0.8, None, None),
    ("core: CloudFront URL, RSA-2048 SHA-256 mode >= 0.8x OpenSSL sign",
     ("url.canned", "rust_sha256"), ("url.canned", "openssl"), 0.8, None, None),
    ("core: URL with ECDSA P-256, SHA-1 mode >= 0.7x OpenSSL ecdsap256 sign",
     ("url.ecdsa", "rust"), ("url.ecdsa", "openssl"), 0.7, None, None),
    ("core: URL with ECDSA P-256, SHA-256 mode >= 0.7x OpenSSL ecdsap256 sign",
     ("url.ecdsa", "rust_sha256"), ("url.ecdsa", "openssl"), 0.7, None, None),
    ("core: ALB ES256 verify, warm >= 0.8x OpenSSL P-256 verify",
     ("alb.verify", "rust"), ("alb.verify", "openssl"), 0.8, None, None),
    ("core: Cognito RS256 verify, warm >= 2x aws-jwt-verify",
     ("jwt.verify", "rust"), ("jwt.verify", "aws_jwt_verify"), 2.0, None, None),
    ("core: Cognito RS256 verify, warm >= 0.8x OpenSSL RSA-2048 verify",
     ("jwt.verify", "rust"), ("jwt.verify", "openssl"), 0.8, None, None),
    ("Python: generate_presigned_url, RSA SHA-1 >= 1.1x botocore, through the core alone",
     ("url.canned", "py"), ("url.canned", "botocore"), 1.1, None, "py_core_alone"),
    ("Python: 50-URL page, one signature per URL >= 1.1x botocore, through the core",
     ("page50.per_url", "py"), ("page50.per_url", "botocore"), 1.1, None, "py_core_alone"),
    ("Python: SPA verify_token >= 5x pure Python",
     ("spa.verify", "py"), ("spa.verify", "pure_python"), 5.0, None,
     "magic-pocket's contract reads SPA_TOKEN_SECRET (and, for rotation, "
     "SPA_TOKEN_SECRET_PREVIOUS) from the process environment on every call, so a changed secret "
     "applies at once: two getenv scans and one PyO3 call cost more than the HMAC itself (the "
     "native call with the secret passed in is the floor)"),
    ("WASM (node): JWT verify with keys kept across calls >= 0.2x aws-jwt-verify",
     ("jwt.verify", "wasm_kept_keys"), ("jwt.verify", "aws_jwt_verify"), 0.2, None,
     "the RSA-2048 signature check runs the portable RustCrypto back end compiled to wasm32 "
     "(bignum modular exponentiation without native code or SIMD; WebCrypto would make the API "
     "asynchronous), while aws-jwt-verify calls node's native OpenSSL: that one modular "
     "exponentiation bounds the row"),
    ("WASM (node): SPA verify >= 1x node crypto JS",
     ("spa.verify", "wasm"), ("spa.verify", "node_crypto"), 1.0, None,
     "each call crosses the JS/WASM boundary and copies strings into linear memory"),
    ("WASM (node): SPA verify, key kept (SpaTokenVerifier) >= 1x node crypto JS",
     ("spa.verify", "wasm_kept_key"), ("spa.verify", "node_crypto"), 1.0, None,
     "each call crosses the JS/WASM boundary and copies strings into linear memory"),
]
# Earlier goals still tracked.
EARLIER_TARGETS = [
    ("SPA verify via Rust core <= 200 ns", ("spa.verify", "rust"), None, None, 200.0, None),
    ("JWT verify via Python >= 5x magic-pocket's python-jose path",
     ("jwt.verify", "py"), ("jwt.verify", "python_jose"), 5.0, None, None),
    ("JWT verify via Python >= PyJWT",
     ("jwt.verify", "py"), ("jwt.verify", "pyjwt"), 1.0, None, None),
]

# What bounds each Rust row: (operation, ours key, floor key, what the floor is, best floor key
# with another library on the same machine or None).
BOUNDS = [
    ("spa.verify", "rust", "floor_hmac", "one HMAC-SHA256 from a precomputed key", None),
    ("url.canned", "rust", "floor_rsa_openssl",
     "one RSA-2048 PKCS#1 v1.5 SHA-1 signature with the openssl crate", "openssl"),
    ("url.canned", "rust_sha256", "floor_rsa_openssl",
     "one RSA-2048 PKCS#1 v1.5 signature with the openssl crate", "openssl"),
    ("url.ecdsa", "rust", "floor_p256_openssl",
     "one P-256 ECDSA signature with the openssl crate", "floor_p256_ring"),
    ("url.ecdsa", "rust_sha256", "floor_p256_openssl",
     "one P-256 ECDSA signature with the openssl crate", "floor_p256_ring"),
    ("jwt.verify", "rust", "floor_rsa_openssl",
     "one RSA-2048 verification with the openssl crate", "openssl"),
    ("alb.verify", "rust", "floor_p256_openssl",
     "one P-256 ECDSA verification with the openssl crate", "floor_p256_ring"),
]

OURS_LABEL = {"rust": "pocket-sign Rust core", "rust_from_hex": "pocket-sign Rust core (from hex)",
              "rust_sha256": "pocket-sign Rust core, SHA-256 mode",
              "py": "pocket_sign (Python)", "wasm": "pocket-sign WASM (node)",
              "wasm_kept_key": "pocket-sign WASM SpaTokenVerifier (node, key kept)",
              "wasm_kept_keys": "pocket-sign WASM JwksVerifier (node, JWKS kept)"}


def read_criterion(root: Path, since: float) -> list:
    """Criterion medians written by this run (files older than `since` are stale: skipped)."""
    rows = []
    for (group, func), (row_id, key, label, per_iter, unit) in CRITERION.items():
        est = root / group / func / "new" / "estimates.json"
        if not est.is_file() or est.stat().st_mtime < since:
            continue
        data = json.loads(est.read_text())
        ns = data["median"]["point_estimate"]
        if ns <= 0:
            continue
        rows.append({"id": row_id, "key": key, "impl": label,
                     "ops_per_sec": 1e9 / ns * per_iter, "unit": unit, "source": "criterion",
                     "criterion": f"{group}/{func}"})
    return rows


def machine() -> dict:
    model, cores = platform.processor() or platform.machine(), os.cpu_count()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
        sha = "sha_ni" in out
    except OSError:
        sha = False
    return {"cpu": model, "cores": cores, "sha_ni": sha, "arch": platform.machine(),
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version()}


def fmt_rate(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_time(ops):
    ns = 1e9 / ops
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--criterion", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--mode", default="full")
    ap.add_argument("--since", type=float, default=0.0,
                    help="unix time the run started: older criterion results are ignored")
    ap.add_argument("--versions", default="{}")
    ap.add_argument("sources", nargs="*")
    args = ap.parse_args()

    rows, samples, errors = [], {}, []
    for src in args.sources:
        p = Path(src)
        if not p.is_file():
            errors.append(f"{p.name}: not produced")
            continue
        data = json.loads(p.read_text())
        rows += data["rows"]
        samples.update(data.get("samples", {}))
        errors += data.get("errors", [])
    rows += read_criterion(Path(args.criterion), args.since)
    index = {(r["id"], r["key"]): r for r in rows}

    # Cross-check: RSA PKCS#1 v1.5 is deterministic, so every implementation must produce the
    # same signed URL for the same inputs (compared as path + sorted query parameters, since
    # the SDKs order Key-Pair-Id and Signature differently).
    def canon(url):
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query)))

    checks = []
    for kind in ("canned", "custom"):
        ref = samples.get(f"url_{kind}_botocore")
        for k, v in sorted(samples.items()):
            if k.startswith(f"url_{kind}_") and k != f"url_{kind}_botocore" and "policy" not in k:
                if ref:
                    checks.append({"check": f"{k} == url_{kind}_botocore",
                                   "ok": canon(v) == canon(ref)})
    comparisons = []
    for op, ours, alt in PAIRS:
        o = index.get((op, ours))
        a = index.get((ALT_ROW.get(op, op) if alt == "botocore" else op, alt))
        comparisons.append({
            "operation": op, "ours": ours, "alternative": alt,
            "ours_impl": o["impl"] if o else OURS_LABEL.get(ours, ours),
            "alt_impl": a["impl"] if a else alt,
            "ours_ops_per_sec": o["ops_per_sec"] if o else None,
            "alt_ops_per_sec": a["ops_per_sec"] if a else None,
            "ratio": (o["ops_per_sec"] / a["ops_per_sec"]) if o and a else None,
        })

    bound_of = {(op, ours): (floor, what) for op, ours, floor, what, _ in BOUNDS}

    def why_missed(ours, note):
        """A missed target's cause: the floor share that bounds a Rust row, or the note."""
        if note == "py_core_alone":
            if samples.get("py_cloudfront_uses_cryptography"):
                return ("pocket_sign.cloudfront still signs through the `cryptography` package "
                        "and assembles URLs in Python, not through the core")
            return "one PyO3 call per URL on top of the core's signature"
        if note:
            return note
        fb = bound_of.get(ours)
        f = index.get((ours[0], fb[0])) if fb else None
        o = index.get(ours)
        if f and o:
            share = o["ops_per_sec"] and (1 / f["ops_per_sec"]) / (1 / o["ops_per_sec"])
            return (f"bounded by {fb[1]}: {fmt_time(f['ops_per_sec'])}, {share * 100:.0f}% of "
                    f"the row's {fmt_time(o['ops_per_sec'])}")
        return ""

    def evaluate(spec):
        out = []
        for desc, ours, alt, min_ratio, max_ns, note in spec:
            o = index.get(ours)
            a = index.get(alt) if alt else None
            if o is None or (alt and a is None):
                missing = [f"{k[1]} ({k[0]})" for k, r in ((ours, o), (alt, a))
                           if k and r is None]
                out.append({"target": desc, "status": "not measured",
                            "measured": "missing: " + ", ".join(missing), "value": None,
                            "why": ""})
                continue
            if max_ns is not None:
                ns = 1e9 / o["ops_per_sec"]
                ok, measured, value = ns <= max_ns, f"{ns:.0f} ns", ns
            else:
                ratio = o["ops_per_sec"] / a["ops_per_sec"]
                ok, measured, value = ratio >= min_ratio, f"{ratio:.2f}x", ratio
            out.append({"target": desc, "status": "met" if ok else "missed",
                        "measured": measured, "value": value,
                        "why": "" if ok else why_missed(ours, note)})
        return out

    targets = evaluate(TARGETS)
    earlier_targets = evaluate(EARLIER_TARGETS)

    m = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {"generated": now, "commit": commit, "mode": args.mode, "command": args.command,
           "machine": m, "versions": json.loads(args.versions), "rows": rows,
           "comparisons": comparisons, "targets": targets,
           "earlier_targets": earlier_targets, "cross_checks": checks,
           "errors": errors}
    (out_dir / "benchmarks.json").write_text(json.dumps(doc, indent=1) + "\n")

    md = []
    md.append("# Benchmarks\n")
    md.append("Generated by `scripts/compare.sh` (do not edit by hand). One run, one machine, "
              "single-threaded; ratio = ours / alternative (higher is better for ours).\n")
    md.append(f"- Machine: {m['cpu']}, {m['cores']} cores ({m['arch']}, {m['os']}"
              f"{', SHA-NI' if m['sha_ni'] else ''}); Python {m['python']}.")
    md.append(f"- Command: `{args.command}` (mode: {args.mode}), {now}, commit `{commit}`.")
    if samples.get("rust_crypto_backend"):
        md.append(f"- Rust core crypto back end: {samples['rust_crypto_backend']} "
                  "(docs/crypto-backends.md).")
    vers = doc["versions"]
    if vers:
        md.append("- Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(vers.items())) + ".")
    md.append("- Clock: CPU time of the measuring thread/process, so that other load on a shared "
              "machine does not count (`openssl speed` divides by CPU user time too). Rust rows "
              "are criterion medians (`cargo bench -p pocket-sign-benches`, custom thread-CPU "
              "measurement); Python rows are medians of 5 batches timed with "
              "`time.thread_time`; node rows use `process.cpuUsage`. Page rows are per URL.\n")
    md.append("## Targets\n")
    md.append("| target | measured | status | why it misses |")
    md.append("| --- | --- | --- | --- |")
    for t in targets:
        md.append(f"| {t['target']} | {t['measured']} | **{t['status']}** | {t['why']} |")
    md.append("\nEarlier targets:\n")
    md.append("| target | measured | status | why it misses |")
    md.append("| --- | --- | --- | --- |")
    for t in earlier_targets:
        md.append(f"| {t['target']} | {t['measured']} | **{t['status']}** | {t['why']} |")
    md.append("\n## Head to head\n")
    md.append("| operation | ours | ops/s | alternative | ops/s | ratio |")
    md.append("| --- | --- | ---: | --- | ---: | ---: |")
    titles = dict(OPERATIONS)
    for c in comparisons:
        ours_rate = fmt_rate(c["ours_ops_per_sec"]) if c["ours_ops_per_sec"] else "n/a"
        alt_rate = fmt_rate(c["alt_ops_per_sec"]) if c["alt_ops_per_sec"] else "n/a"
        ratio = f"{c['ratio']:.2f}x" if c["ratio"] is not None else "n/a"
        md.append(f"| {titles[c['operation']]} | {c['ours_impl']} | {ours_rate} | "
                  f"{c['alt_impl']} | {alt_rate} | {ratio} |")
    md.append("\n## Every measurement\n")
    md.append("| operation | implementation | ops/s | time per op |")
    md.append("| --- | --- | ---: | ---: |")
    for op, title in OPERATIONS:
        for r in sorted((r for r in rows if r["id"] == op), key=lambda r: -r["ops_per_sec"]):
            md.append(f"| {title} | {r['impl']} | {fmt_rate(r['ops_per_sec'])} "
                      f"{r['unit']}/s | {fmt_time(r['ops_per_sec'])} |")
    bounds = []
    for op, ours, floor, what, best in BOUNDS:
        o, f = index.get((op, ours)), index.get((op, floor))
        if not (o and f):
            continue
        share = o["ops_per_sec"] and f["ops_per_sec"] and (1 / f["ops_per_sec"]) / (
            1 / o["ops_per_sec"])
        line = (f"- {titles[op]}, {o['impl']}: {fmt_time(o['ops_per_sec'])}, of which "
                f"{what} takes {fmt_time(f['ops_per_sec'])} ({share * 100:.0f}%).")
        b = index.get((op, best)) if best else None
        if b:
            line += (f" Best primitive measured on this machine: {b['impl']}, "
                     f"{fmt_time(b['ops_per_sec'])}.")
        bounds.append(line)
    if bounds:
        md.append("\n## What bounds the Rust rows\n")
        md.extend(bounds)
    if checks:
        md.append("\n## Cross-checks\n")
        for ch in checks:
            md.append(f"- {'ok' if ch['ok'] else 'MISMATCH'}: {ch['check']}")
    if errors:
        md.append("\n## Not measured in this run\n")
        for e in errors:
            md.append(f"- {e}")
    md.append("")
    (out_dir / "benchmarks.md").write_text("\n".join(md))
    print(f"wrote {out_dir / 'benchmarks.md'} and {out_dir / 'benchmarks.json'}")
    if any(not ch["ok"] for ch in checks):
        raise SystemExit("cross-check failed: implementations disagree on a signed URL")


if __name__ == "__main__":
    main()
