"""Writes the comparison's test material into one JSON file (run once at the start of compare.sh).

Everything here is test material of no value: the RSA-2048 and P-256 keys are the public bench keys
committed in benches/data/, the JWKS is built from the RSA key's public half (plus a decoy key, as
a Cognito user pool publishes two), and the tokens are signed with that key. Every peer and every
pocket-sign front end reads the same file, so all rows sign and verify the same bytes.

Usage: python fixtures.py ROOT OUT_JSON
"""

import base64
import json
import secrets
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

REGION = "us-east-1"
USER_POOL_ID = "us-east-1_BenchPool1"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{USER_POOL_ID}"
CLIENT_ID = "3h5bench0client0id0000000a"
KID = "bench-rsa-2048-kid-1"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"
ALB_KID = "5b8f3a1e-9c2d-4e6f-8a7b-1c2d3e4f5a6b"
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/bench/50dc6c495c0c9188"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_b64url(n: int) -> str:
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


def rsa_jwk(pub: rsa.RSAPublicKey, kid: str) -> dict:
    nums = pub.public_numbers()
    return {"alg": "RS256", "e": int_b64url(nums.e), "kid": kid, "kty": "RSA",
            "n": int_b64url(nums.n), "use": "sig"}


def jws(header: dict, claims: dict, sign) -> str:
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(claims, separators=(",", ":")).encode()))
    return signing_input + "." + b64url(sign(signing_input.encode()))


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2])
    rsa_pem = (root / "benches/data/bench-rsa-2048.pem").read_text()
    ec_pem = (root / "benches/data/bench-ec-p256.pem").read_text()
    rsa_key = serialization.load_pem_private_key(rsa_pem.encode(), password=None)
    ec_key = serialization.load_pem_private_key(ec_pem.encode(), password=None)
    assert isinstance(rsa_key, rsa.RSAPrivateKey) and rsa_key.key_size == 2048
    assert isinstance(ec_key, ec.EllipticCurvePrivateKey)

    decoy = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = {"keys": [rsa_jwk(decoy.public_key(), "bench-decoy-kid-0"),
                     rsa_jwk(rsa_key.public_key(), KID)]}

    now = int(time.time())
    exp = now + 30 * 86400  # valid for the whole run (and a month after)
    access_claims = {
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "cognito:groups": ["admin"],
        "iss": ISSUER,
        "version": 2,
        "client_id": CLIENT_ID,
        "origin_jti": "bbbbbbbb-cccc-dddd-eeee-ffffffffffff",
        "event_id": "cccccccc-dddd-eeee-ffff-000000000000",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now,
        "exp": exp,
        "iat": now,
        "jti": "dddddddd-eeee-ffff-0000-111111111111",
        "username": "bench-user",
    }
    access_token = jws({"kid": KID, "alg": "RS256"}, access_claims,
                       lambda m: rsa_key.sign(m, padding.PKCS1v15(), hashes.SHA256()))

    # ALB x-amzn-oidc-data: ES256, header carries signer/iss/client/exp; ALB pads base64url.
    def es256(m: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
        r, s = decode_dss_signature(ec_key.sign(m, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    alb_token = jws({"alg": "ES256", "kid": ALB_KID, "signer": ALB_ARN, "iss": ISSUER,
                     "client": CLIENT_ID, "exp": exp},
                    {"sub": access_claims["sub"], "email": "bench@example.com",
                     "username": "bench-user", "exp": exp, "iss": ISSUER}, es256)

    fixtures = {
        "now": now,
        "rsa_private_pem": rsa_pem,
        "rsa_private_pkcs8_pem": rsa_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode(),
        "rsa_public_pem": rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
        "ec_private_pem": ec_pem,
        "ec_public_pem": ec_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
        "key_pair_id": KEY_PAIR_ID,
        "url": "https://d111111abcdef8.cloudfront.net/media/2026/11/photo-0001.jpg",
        "custom_resource": "https://d111111abcdef8.cloudfront.net/media/2026/11/*",
        "custom_ip": "192.0.2.0/24",
        "page_urls": [f"https://d111111abcdef8.cloudfront.net/media/2026/11/photo-{i:04d}.jpg"
                      for i in range(50)],
        "expires": exp,
        "spa_secret_hex": secrets.token_hex(32),
        "spa_user_id": "12345",
        "region": REGION,
        "user_pool_id": USER_POOL_ID,
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "kid": KID,
        "jwks": jwks,
        "access_token": access_token,
        "alb_kid": ALB_KID,
        "alb_arn": ALB_ARN,
        "alb_token": alb_token,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixtures, indent=1))


if __name__ == "__main__":
    main()
