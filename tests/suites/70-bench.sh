#!/usr/bin/env bash
# Benchmarks in quick mode: every criterion bench runs (short warm-up/measurement) and
# the comparison script runs end to end in its short mode, writing its table to
# target/compare/out/ (docs/benchmarks.md is only rewritten by a full run). Fails when a bench
# panics (every bench checks its result), when a peer or our implementation produces a wrong
# result, when implementations disagree on a signed URL, or when the table is not written.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"

# Unit tests of the bench fixtures and of the report's parsers.
cargo test -q -p pocket-sign-benches
ensure_venv
python -m unittest discover -s scripts/compare -p "test_*.py" -q

OUT="$ROOT/target/compare/out"
rm -rf "$OUT"
bash scripts/compare.sh --quick --out-dir "$OUT"

HAVE_PY=0
python -c "import pocket_sign" 2>/dev/null && HAVE_PY=1
python - "$OUT" "$HAVE_PY" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
md = (out / "benchmarks.md").read_text()
doc = json.loads((out / "benchmarks.json").read_text())
fails = []
for needle in ("## Targets", "## Head to head", "Machine:", "Command: `bash scripts/compare.sh --quick`"):
    if needle not in md:
        fails.append(f"benchmarks.md lacks {needle!r}")
have = {(r["id"], r["key"]) for r in doc["rows"]}
# Rows that must be there on every machine: the peers, the floor, and the Rust core.
for want in [("url.canned", "openssl"), ("jwt.verify", "openssl"), ("spa.verify", "pure_python"),
             ("url.canned", "botocore"), ("jwt.verify", "python_jose"), ("jwt.verify", "pyjwt"),
             ("jwt.verify", "aws_jwt_verify"), ("url.canned", "aws_sdk_js"),
             ("spa.verify", "rust"), ("url.canned", "rust"), ("page50.shared_policy", "rust")]:
    if want not in have:
        fails.append(f"missing row {want}")
# With the Python package installed (suite 50-python builds it), its rows and its byte-for-byte
# agreement with botocore are required too.
if sys.argv[2] == "1":
    for want in [("spa.verify", "py"), ("url.canned", "py"), ("jwt.verify", "py")]:
        if want not in have:
            fails.append(f"missing row {want}")
    if not any(c["check"].startswith("url_canned_pocket_sign_python") for c in doc["cross_checks"]):
        fails.append("no cross-check of pocket_sign's signed URL against botocore")
# Every error the benchmark programs report fails the suite (a wrong result, a missing export,
# a crashed row): the only expected one is the Python package being absent when this suite
# runs without suite 50-python before it.
for e in doc["errors"]:
    if sys.argv[2] != "1" and e.startswith("pocket_sign (Python): not installed"):
        continue
    fails.append(f"benchmark error: {e}")
for r in doc["rows"]:
    if not r["ops_per_sec"] > 0:
        fails.append(f"non-positive rate in {r}")
for c in doc["cross_checks"]:
    if not c["ok"]:
        fails.append(f"cross-check failed: {c['check']}")
passed = 1 + len(doc["rows"]) - len(fails)
print(f"bench report: {len(doc['rows'])} rows, {len(doc['targets'])} targets, "
      f"{len(doc['cross_checks'])} cross-checks")
for f in fails:
    print("FAIL:", f)
print(f"{max(passed, 0)} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
PY
