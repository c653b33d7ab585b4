"""CloudFront key pair rotation, step by step as the README's "Rotating secrets" runbook says.

A key group trusts several public keys; CloudFront picks the one named by `Key-Pair-Id` and
checks the signature with it. The edge is simulated here with `cryptography`: a dict
key id -> public key (the key group), RSA PKCS#1 v1.5 / SHA-1 verification of the canned policy,
the expiry check. Keys come from `pocket-sign keygen cloudfront`, URLs from `pocket-sign url
--key CF_MEDIA_KEY` with the key in the environment (`CF_MEDIA_KEY_ID`,
`CF_MEDIA_KEY_PEM_BASE64`), exactly as the application signs them.
"""

import base64
import json
import os
import subprocess
import time
import urllib.parse

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from conftest import run

MEDIA = "https://media.example.com/photos/cat.jpg"


def cf_b64decode(text):
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def keygen(bin_path, tmp_path, name):
    config_file = tmp_path / f"{name}.json"
    r = run(bin_path, "keygen", "cloudfront", "--json", "--name", name,
            "--public-key-config-out", str(config_file))
    kp = json.loads(r.stdout)
    config = json.loads(config_file.read_text())
    return kp, config


class KeyGroup:
    """The edge's view of a CloudFront key group: key id -> public key."""

    def __init__(self):
        self.keys = {}

    def add(self, key_id, encoded_key):
        self.keys[key_id] = serialization.load_pem_public_key(encoded_key.encode())

    def remove(self, key_id):
        del self.keys[key_id]

    def allows(self, signed_url, now):
        base, query = signed_url.split("?", 1)
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        key = self.keys.get(params["Key-Pair-Id"])
        if key is None:
            return False
        expires = int(params["Expires"])
        policy = ('{"Statement":[{"Resource":"%s","Condition":{"DateLessThan":{"AWS:EpochTime":%d}}}]}'
                  % (base, expires)).encode()
        try:
            key.verify(cf_b64decode(params["Signature"]), policy, padding.PKCS1v15(), hashes.SHA1())
        except InvalidSignature:
            return False
        return now < expires


def sign_from_env(bin_path, key_id, kp, expires_in):
    env = dict(os.environ, CF_MEDIA_KEY_ID=key_id, CF_MEDIA_KEY_PEM_BASE64=kp["private_key_pem_base64"])
    r = subprocess.run([bin_path, "url", MEDIA, "--key", "CF_MEDIA_KEY", "--expires-in", str(expires_in)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    url = r.stdout.strip()
    assert f"Key-Pair-Id={key_id}" in url
    return url


def test_public_key_config_is_what_create_public_key_takes(bin_path, tmp_path):
    kp, config = keygen(bin_path, tmp_path, "media-2026-12")
    assert set(config) == {"CallerReference", "Name", "EncodedKey", "Comment"}
    assert config["Name"] == "media-2026-12"
    assert config["EncodedKey"] == kp["public_key_pem"] == kp["public_key_config"]["EncodedKey"]
    assert config["EncodedKey"].startswith("-----BEGIN PUBLIC KEY-----\n")
    # SubjectPublicKeyInfo of the private key's public half.
    private = serialization.load_pem_private_key(kp["private_key_pem"].encode(), password=None)
    spki = private.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    assert config["EncodedKey"].encode() == spki
    assert "PRIVATE" not in json.dumps(config)
    _, other = keygen(bin_path, tmp_path, "media-2027-06")
    assert other["CallerReference"] != config["CallerReference"]
    r = run(bin_path, "keygen", "cloudfront", "--name", "bad name!", check=False)
    assert r.returncode == 2 and r.stdout == ""


def test_rotation_steps(bin_path, tmp_path):
    now = int(time.time())
    lifetime = 3600  # the longest signed-URL lifetime the application issues
    old, old_cfg = keygen(bin_path, tmp_path, "media-old")
    group = KeyGroup()
    group.add("KOLD1234567890", old_cfg["EncodedKey"])
    before = sign_from_env(bin_path, "KOLD1234567890", old, lifetime)
    assert group.allows(before, now)

    # 1. New key pair; 2. its public key joins the key group next to the old one.
    new, new_cfg = keygen(bin_path, tmp_path, "media-new")
    group.add("KNEW1234567890", new_cfg["EncodedKey"])
    assert group.allows(before, now)

    # 3. Switch the signer (CF_MEDIA_KEY_ID / CF_MEDIA_KEY_PEM_BASE64 to the new pair).
    after = sign_from_env(bin_path, "KNEW1234567890", new, lifetime)
    assert group.allows(after, now)
    assert group.allows(before, now), "URLs signed before the switch keep working"

    # A URL claiming the new key id but signed with the old key is refused.
    forged = after.replace(after.split("Signature=")[1].split("&")[0],
                           before.split("Signature=")[1].split("&")[0])
    assert not group.allows(forged, now)

    # 4. After the longest URL lifetime, remove the old public key: old URLs stop working
    #    (they had expired anyway), new ones are unaffected.
    old_expiry = int(urllib.parse.parse_qs(before.split("?", 1)[1])["Expires"][0])
    assert old_expiry <= int(time.time()) + lifetime
    assert not group.allows(before, old_expiry)
    group.remove("KOLD1234567890")
    assert not group.allows(before, now)
    assert group.allows(after, now)
