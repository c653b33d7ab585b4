"""Independent reimplementation of magic-pocket's ``pocket.django.spa_auth`` token algorithm
with the Python standard library only (``hmac``, ``hashlib``), written from the documented
behaviour (shared/reference/magic-pocket-notes.md), so pocket-sign can be checked against it.

- key = ``bytes.fromhex(secret_hex)`` (the decoded bytes, not the hex text)
- token = ``f"{user_id}:{expiry}:{hmac_sha256_hex(key, f'{user_id}:{expiry}')}"``
- verify: exactly 3 ``:`` parts, ``int(expiry)``, ``now > expiry`` -> None,
  ``hmac.compare_digest`` of the hex signatures -> user_id.

``now`` is injectable here (upstream reads ``time.time()``).
"""
import hashlib
import hmac
import time

COOKIE_NAME = "pocket-spa-token"
DEFAULT_MAX_AGE = 604800


def _sign(key: bytes, user_id: str, expiry: int) -> str:
    message = f"{user_id}:{expiry}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def generate_token(user_id: str, *, secret: str, max_age: int = DEFAULT_MAX_AGE, now=None) -> str:
    if ":" in user_id:
        raise ValueError("user_id must not contain ':'")
    key = bytes.fromhex(secret)
    expiry = int(time.time() if now is None else now) + max_age
    return f"{user_id}:{expiry}:{_sign(key, user_id, expiry)}"


def verify_token(token: str, *, secret: str, now=None):
    key = bytes.fromhex(secret)
    parts = token.split(":")
    if len(parts) != 3:
        return None
    user_id, expiry_str, sig = parts
    try:
        expiry = int(expiry_str)
    except ValueError:
        return None
    if int(time.time() if now is None else now) > expiry:
        return None
    expected = _sign(key, user_id, expiry)
    if not hmac.compare_digest(sig, expected):
        return None
    return user_id
