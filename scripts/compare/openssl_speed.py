"""The physical floor: `openssl speed -seconds N rsa2048 ecdsap256` (single thread), parsed.

Signing a CloudFront URL is one RSA-2048 private-key operation and verifying an RS256 JWT is one
RSA-2048 public-key operation, so OpenSSL's sign/s and verify/s bound what any implementation can
reach on this machine; P-256 sign/s bounds the ECDSA page mode.

Usage: python openssl_speed.py SECONDS OUT_JSON
"""

import json
import re
import subprocess
import sys


def parse(text: str) -> dict:
    """Returns {"rsa2048": {"sign/s": x, "verify/s": y}, "ecdsap256": {...}} from speed output.

    Column names are read from the header line that precedes each result line, so newer OpenSSL
    versions that add columns (encaps/s, ...) still parse.
    """
    out = {}
    header = None
    for line in text.splitlines():
        if "sign/s" in line and "verify/s" in line:
            header = line.split()
            continue
        if header is None:
            continue
        m = re.match(r"\s*rsa\s+2048 bits\s+(.*)$", line)
        name = "rsa2048"
        if not m:
            m = re.match(r"\s*256 bits ecdsa \(nistp256\)\s+(.*)$", line)
            name = "ecdsap256"
        if not m:
            continue
        values = m.group(1).split()
        # The header names every column; the result line has the same count of values.
        cols = header[-len(values):]
        parsed = {}
        for col, val in zip(cols, values):
            try:
                parsed[col] = float(val.rstrip("s"))
            except ValueError:
                pass
        if "sign/s" in parsed and "verify/s" in parsed:
            out[name] = parsed
    return out


def main() -> None:
    seconds = sys.argv[1]
    proc = subprocess.run(["openssl", "speed", "-seconds", seconds, "rsa2048", "ecdsap256"],
                          capture_output=True, text=True, check=True)
    speeds = parse(proc.stdout)
    if "rsa2048" not in speeds:
        raise SystemExit("could not parse `openssl speed` output:\n" + proc.stdout[-2000:])
    version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    label = " ".join(version.split()[:2])  # "OpenSSL 3.0.19"
    rows = [
        {"id": "url.canned", "key": "openssl", "impl": f"{label}: RSA-2048 sign (floor)",
         "ops_per_sec": speeds["rsa2048"]["sign/s"], "unit": "op", "source": "openssl"},
        {"id": "jwt.verify", "key": "openssl", "impl": f"{label}: RSA-2048 verify (floor)",
         "ops_per_sec": speeds["rsa2048"]["verify/s"], "unit": "op", "source": "openssl"},
    ]
    if "ecdsap256" in speeds:
        rows.append({"id": "page50.ecdsa", "key": "openssl",
                     "impl": f"{label}: P-256 sign (floor)",
                     "ops_per_sec": speeds["ecdsap256"]["sign/s"], "unit": "url",
                     "source": "openssl"})
        rows.append({"id": "url.ecdsa", "key": "openssl",
                     "impl": f"{label}: P-256 sign (floor)",
                     "ops_per_sec": speeds["ecdsap256"]["sign/s"], "unit": "op",
                     "source": "openssl"})
        rows.append({"id": "alb.verify", "key": "openssl",
                     "impl": f"{label}: P-256 verify (floor)",
                     "ops_per_sec": speeds["ecdsap256"]["verify/s"], "unit": "op",
                     "source": "openssl"})
    for r in rows:
        print(f"  {r['id']:<22} {r['impl']:<44} {r['ops_per_sec']:>14,.0f} {r['unit']}/s",
              file=sys.stderr)
    with open(sys.argv[2], "w") as f:
        json.dump({"source": "openssl", "rows": rows, "samples": {"openssl_version": version},
                   "errors": []}, f, indent=1)


if __name__ == "__main__":
    main()
