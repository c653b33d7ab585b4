"""magic-pocket's managed secrets, generated from OS randomness by the Rust core.

- :func:`spa_token_secret`: 64 lowercase hex characters (32 bytes), the ``SPA_TOKEN_SECRET``.
- :func:`password`: ``length`` characters (default 16) from Django's ``SECRET_KEY`` charset
  ``abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)`` or ``chars``.
- :func:`cloudfront_key_pair`: RSA-2048 (PKCS#1) or ECDSA P-256 (PKCS#8) private key PEM, the
  SubjectPublicKeyInfo public key PEM, and both base64-encoded again (the ``{NAME}_PEM_BASE64``
  / ``{NAME}_PUB_BASE64`` env values :meth:`pocket_sign.cloudfront.CloudFrontSigner.from_env` reads).
"""

from __future__ import annotations

from typing import Dict, Optional

from . import _native
from .errors import ParameterValidationError

__all__ = ["cloudfront_key_pair", "password", "spa_token_secret"]


def spa_token_secret() -> str:
    """32 random bytes as 64 lowercase hex characters."""
    return _native.spa_token_secret()


def password(length: int = 16, chars: Optional[str] = None) -> str:
    """A random password; raises ``ParameterValidationError`` (a ``ValueError``) for a bad
    ``length`` or ``chars`` (a negative, huge or non-int ``length`` included)."""
    if isinstance(length, bool) or not isinstance(length, int):
        raise _invalid_argument(f"length must be an int, not {type(length).__name__}")
    if chars is not None and not isinstance(chars, str):
        raise _invalid_argument(f"chars must be a str, not {type(chars).__name__}")
    try:
        return _native.password(length, chars)
    except OverflowError:
        raise _invalid_argument(f"length {length} is out of range") from None
    except UnicodeError:
        raise _invalid_argument("chars must be valid Unicode text (no lone surrogates)") from None


def _invalid_argument(message: str) -> ParameterValidationError:
    """An argument Python cannot hand to the core (wrong type, out of the integer range, lone
    surrogates): ``kind`` ``"InvalidArgument"``, as the other front ends report it."""
    exc = ParameterValidationError(message)
    exc.kind = "InvalidArgument"
    return exc


def cloudfront_key_pair(algorithm: str = "rsa") -> Dict[str, str]:
    """A CloudFront key pair (``"rsa"`` or ``"ecdsa"``) as a dict of PEM and base64-of-PEM strings."""
    return _native.cloudfront_key_pair(algorithm)
