"""pocket_sign.keygen: formats checked with cryptography, keys used with CloudFrontSigner and botocore."""

from __future__ import annotations

import base64
import datetime as dt
import string

import pytest
from botocore.signers import CloudFrontSigner as BotoSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from pocket_sign.cloudfront import CloudFrontSigner
from pocket_sign.django.spa_auth import generate_token, verify_token
from pocket_sign.errors import ParameterValidationError
from pocket_sign.keygen import cloudfront_key_pair, password, spa_token_secret

DJANGO_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def test_spa_token_secret():
    secrets = {spa_token_secret() for _ in range(20)}
    assert len(secrets) == 20
    for s in secrets:
        assert len(s) == 64 and set(s) <= set(string.hexdigits.lower())
    s = secrets.pop()
    assert verify_token(generate_token("7", secret=s), secret=s) == "7"


def test_password():
    p = password()
    assert len(p) == 16 and set(p) <= set(DJANGO_CHARS)
    assert len(password(50)) == 50
    assert set(password(200, chars="ab")) == {"a", "b"}
    with pytest.raises(ParameterValidationError):
        password(0)
    with pytest.raises(ValueError):
        password(10, chars="a")


def test_rsa_key_pair_works_with_botocore_and_our_signer():
    pair = cloudfront_key_pair()
    assert pair["private_key_pem"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert pair["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert base64.b64decode(pair["private_key_pem_base64"]).decode() == pair["private_key_pem"]
    assert base64.b64decode(pair["public_key_pem_base64"]).decode() == pair["public_key_pem"]
    key = serialization.load_pem_private_key(pair["private_key_pem"].encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    public = serialization.load_pem_public_key(pair["public_key_pem"].encode())
    assert public.public_numbers() == key.public_key().public_numbers()
    boto = BotoSigner("K1", lambda m: key.sign(m, padding.PKCS1v15(), hashes.SHA1()))
    ours = CloudFrontSigner("K1", pair["private_key_pem_base64"])
    when = dt.datetime(2031, 1, 1)
    url = "https://d111111abcdef8.cloudfront.net/x.png"
    assert ours.generate_presigned_url(url, date_less_than=when) == boto.generate_presigned_url(url, date_less_than=when)


def test_ecdsa_key_pair():
    pair = cloudfront_key_pair("ecdsa")
    key = serialization.load_pem_private_key(pair["private_key_pem"].encode(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    signer = CloudFrontSigner("K2", pair["private_key_pem"])
    sig = signer.rsa_signer(b"policy")
    key.public_key().verify(sig, b"policy", ec.ECDSA(hashes.SHA1()))
    with pytest.raises(ValueError):
        cloudfront_key_pair("dsa")
