"""Shared fixtures: the pocket-sign binary, the keys, botocore's CloudFrontSigner."""

import datetime
import os
import pathlib
import subprocess

import pytest
from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO_KEY = ROOT / "examples" / "demo-cloudfront-key.pem"
VECTOR_DIR = ROOT / "tests" / "vectors" / "cloudfront"
WEAK_KEY = VECTOR_DIR / "test-rsa-key.pem"
EC_KEY = VECTOR_DIR / "test-ecdsa-key.pem"
KEY_ID = "K2JCJMDEHXQW5F"


@pytest.fixture(scope="session")
def bin_path():
    path = os.environ.get("POCKET_SIGN_BIN")
    if not path:
        subprocess.run(["cargo", "build", "-q", "-p", "pocket-sign-cli"], cwd=ROOT, check=True)
        path = str(ROOT / "target" / "debug" / "pocket-sign")
    return path


def rsa_signer_for(path):
    """botocore's documented rsa_signer: PKCS#1 v1.5 over SHA-1 with `cryptography`."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)

    def rsa_signer(message):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA1())

    return rsa_signer


@pytest.fixture(scope="session")
def boto_signer():
    return CloudFrontSigner(KEY_ID, rsa_signer_for(DEMO_KEY))


def utc(unix):
    return datetime.datetime.fromtimestamp(unix, tz=datetime.timezone.utc)


def run(bin_path, *args, check=True):
    proc = subprocess.run([bin_path, *args], capture_output=True, text=True, encoding="utf-8")
    if check and proc.returncode != 0:
        raise AssertionError(f"pocket-sign {args!r} failed ({proc.returncode}): {proc.stderr}")
    return proc
