"""A second, independent reader of tests/vectors/alb/alb-vectors.json.

core/tests/alb_vectors.rs writes the vectors and checks the core against them; this file checks
the vectors themselves with another implementation (`cryptography`'s ECDSA P-256 verification
over the raw `header.payload` text, as AWS documents for `x-amzn-oidc-data`), so that a vector
whose decision would come from the wrong fault (e.g. an "Expired" case whose signature is also
broken) is caught: every case that must fail on a claim carries a valid signature, every
"InvalidSignature" case carries an invalid one.
"""

import base64
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "alb" / "alb-vectors.json").read_text())
KEY = serialization.load_pem_public_key(VECTORS["public_key_pem"].encode())

# Decisions that come from a claim or header check: the signature itself is valid.
CLAIM_FAULTS = {"ok", "InvalidSigner", "InvalidClientId", "Expired", "MissingExp", "NotBefore",
                "InvalidIssuer", "InvalidKid"}
# Decisions made before any signature check (not a P-256 signature at all).
NO_SIGNATURE = {"InvalidSignatureAlgorithm", "Malformed"}


def b64_any(seg: str) -> bytes:
    """ALB's base64: URL-safe or standard alphabet, padded or not."""
    seg = seg.rstrip("=")
    seg += "=" * (-len(seg) % 4)
    return base64.b64decode(seg.replace("-", "+").replace("_", "/"), validate=True)


def signature_verifies(data: str) -> bool:
    signing_input, _, sig_seg = data.rpartition(".")
    raw = b64_any(sig_seg)
    assert len(raw) == 64, f"raw r||s signature expected, got {len(raw)} bytes"
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        KEY.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def test_the_vectors_cover_every_decision():
    decisions = {c["expected"] for c in VECTORS["cases"]}
    assert decisions >= CLAIM_FAULTS | {"InvalidSignature"} | NO_SIGNATURE, decisions


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_each_vector_fails_for_its_own_reason(case):
    expected, data = case["expected"], case["data"]
    if expected in NO_SIGNATURE:
        header = json.loads(b64_any(data.split(".")[0])) if data.count(".") == 2 else None
        assert header is None or header.get("alg") != "ES256", header
        return
    assert data.count(".") == 2
    if expected in CLAIM_FAULTS:
        assert signature_verifies(data), "the signature is valid, so only the claim check can refuse it"
    else:
        assert expected == "InvalidSignature", expected
        assert not signature_verifies(data)


def test_standard_alphabet_vector_uses_it():
    case = next(c for c in VECTORS["cases"] if "standard base64 alphabet" in c["name"])
    assert any(ch in case["data"] for ch in "+/"), "the vector must really contain '+' or '/'"
