"""Test keys and tokens: RSA / EC keys with JWKs, JWTs signed by PyJWT, ALB-style data."""
import base64
import json
import time

import jwt as pyjwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
from cryptography.hazmat.primitives import hashes

REGION = "eu-west-1"
POOL = "eu-west-1_TestPool1"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
CLIENT = "testclient123"


def b64u(data: bytes, pad: bool = False) -> str:
    s = base64.urlsafe_b64encode(data).decode()
    return s if pad else s.rstrip("=")


class RsaKey:
    def __init__(self, kid: str, bits: int = 2048):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        self.public = self.private.public_key()

    def jwk(self) -> dict:
        n = self.public.public_numbers()
        to = lambda i: b64u(i.to_bytes((i.bit_length() + 7) // 8, "big"))  # noqa: E731
        return {"kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig", "n": to(n.n), "e": to(n.e)}

    def public_pem(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, claims: dict, alg: str = "RS256", headers: dict | None = None) -> str:
        h = {"kid": self.kid}
        h.update(headers or {})
        return pyjwt.encode(claims, self.private, algorithm=alg, headers=h)


class EcKey:
    def __init__(self, kid: str):
        self.kid = kid
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.public = self.private.public_key()

    def jwk(self) -> dict:
        n = self.public.public_numbers()
        return {"kty": "EC", "kid": self.kid, "alg": "ES256", "use": "sig", "crv": "P-256",
                "x": b64u(n.x.to_bytes(32, "big")), "y": b64u(n.y.to_bytes(32, "big"))}

    def public_pem(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, claims: dict, headers: dict | None = None) -> str:
        h = {"kid": self.kid}
        h.update(headers or {})
        return pyjwt.encode(claims, self.private, algorithm="ES256", headers=h)

    def raw_sign(self, message: bytes) -> bytes:
        der = self.private.sign(message, ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def jwks(*keys) -> bytes:
    return json.dumps({"keys": [k.jwk() for k in keys]}).encode()


def access_claims(**over) -> dict:
    now = int(time.time())
    c = {"sub": "user-1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access",
         "scope": "aws.cognito.signin.user.admin", "auth_time": now, "iat": now, "exp": now + 3600,
         "jti": "j1", "username": "alice"}
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


def id_claims(**over) -> dict:
    now = int(time.time())
    c = {"sub": "user-1", "iss": ISSUER, "aud": CLIENT, "token_use": "id", "auth_time": now,
         "iat": now, "exp": now + 3600, "cognito:username": "alice", "email": "a@example.com"}
    c.update(over)
    return {k: v for k, v in c.items() if v is not None}


def tamper(token: str, **changes) -> str:
    """Replaces claims in the payload, keeping the original signature."""
    h, p, s = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    claims.update(changes)
    return ".".join([h, b64u(json.dumps(claims).encode()), s])


def unsigned(claims: dict, kid: str) -> str:
    """alg: none token."""
    h = b64u(json.dumps({"alg": "none", "kid": kid, "typ": "JWT"}).encode())
    return f"{h}.{b64u(json.dumps(claims).encode())}."


def hs_with_public_key(key: RsaKey, claims: dict) -> str:
    """Algorithm confusion: HS256 keyed with the RSA public key PEM, kid of the RSA key."""
    import hashlib
    import hmac
    h = b64u(json.dumps({"alg": "HS256", "kid": key.kid, "typ": "JWT"}).encode())
    p = b64u(json.dumps(claims).encode())
    mac = hmac.new(key.public_pem(), f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{b64u(mac)}"


def alb_data(key: EcKey, header: dict, claims: dict, pad: bool = True, std_alphabet: bool = False) -> str:
    """ALB x-amzn-oidc-data: padded segments, signature (raw r||s) over the padded text."""
    def enc(b: bytes) -> str:
        s = base64.b64encode(b).decode() if std_alphabet else base64.urlsafe_b64encode(b).decode()
        return s if pad else s.rstrip("=")
    signing_input = f"{enc(json.dumps(header).encode())}.{enc(json.dumps(claims).encode())}"
    return f"{signing_input}.{enc(key.raw_sign(signing_input.encode()))}"
