#!/usr/bin/env python3
"""Writes libFuzzer seed corpora for every fuzz target from the shared vectors in tests/vectors/
and the pocket.toml fixtures (run from the repository root; output: fuzz/corpus/TARGET/)."""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
VEC = ROOT / "tests" / "vectors"
OUT = ROOT / "fuzz" / "corpus"


def put(target: str, data) -> None:
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


spa = json.loads((VEC / "spa_auth_vectors.json").read_text())
put("spa_token_verify", spa["token"])
put("spa_token_verify", spa["secret_hex"])

jwt = json.loads((VEC / "jwt" / "jwt_vectors.json").read_text())
for case in jwt["cases"]:
    put("jwt_verify", case["token"])
put("jwks_parse", json.dumps(jwt["jwks"]))
for key in jwt["jwks"].get("keys", []):
    put("jwks_parse", json.dumps({"keys": [key]}))
for case in jwt.get("jwk_cases", []):
    put("jwks_parse", json.dumps(case.get("jwk", case)))

for path in (VEC / "alb").glob("*.json"):
    data = json.loads(path.read_text())
    for case in data.get("cases", []) if isinstance(data, dict) else []:
        for field in ("data", "token"):
            if isinstance(case.get(field), str):
                put("alb_data", case[field])

for pem in (VEC / "cloudfront").glob("*.pem"):
    text = pem.read_text()
    put("key_load", text)
    import base64
    put("key_load", base64.b64encode(text.encode()).decode())

cases = json.loads((VEC / "cloudfront" / "test-cases.json").read_text())
for case in cases:
    put("signed_url", case["input"]["resource"].encode() + b"\x00" * 16)
    sig = case.get("expected", {}).get("signature")
    if sig:
        put("cloudfront_b64", sig)

for toml in (ROOT / "tests" / "fixtures" / "pocket-toml").glob("*.toml"):
    put("codegen", toml.read_text())
for v in ["198.51.100.10", "198.51.100.10:443", "2001:db8::1", "[2001:db8::1]:8080",
          "2001:db8::1:60776", "::ffff:192.0.2.1", "0123456789abcdef" * 4]:
    put("origin_verify", v)
print(f"seed corpora written to {OUT}")
