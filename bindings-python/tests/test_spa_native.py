"""verify_token as one native call (secret from the argument or env, cached key state), the
middleware's start-up check of SPA_TOKEN_SECRET, and keygen argument errors."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from pocket_sign import _native
from pocket_sign.django.spa_auth import SpaTokenCookieMiddleware, generate_token, verify_token
from pocket_sign.errors import InvalidSecretError, ParameterValidationError, PocketSignError
from pocket_sign.keygen import password

SECRET = "0123456789abcdef" * 4
OTHER = "fedcba9876543210" * 4


def reference(user_id: str, expiry: int, secret_hex: str) -> str:
    sig = hmac.new(bytes.fromhex(secret_hex), f"{user_id}:{expiry}".encode(), hashlib.sha256).hexdigest()
    return f"{user_id}:{expiry}:{sig}"


def test_env_secret_change_takes_effect_on_the_next_call(monkeypatch):
    """The native key cache is keyed by the secret text: a rotated env secret applies at once."""
    exp = int(time.time()) + 60
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    token = reference("u1", exp, SECRET)
    assert verify_token(token) == "u1"
    monkeypatch.setenv("SPA_TOKEN_SECRET", OTHER)
    assert verify_token(token) is None
    assert verify_token(reference("u1", exp, OTHER)) == "u1"
    assert verify_token(token, secret=SECRET) == "u1"
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET.upper())
    assert verify_token(token) == "u1"


def test_native_verify_matches_the_reference_at_the_given_clock(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    token = reference("42", 2_000_000_000, SECRET)
    assert _native.spa_verify_token(token, 2_000_000_000.9) == "42"
    assert _native.spa_verify_token(token, 2_000_000_001.0) is None
    assert _native.spa_verify_token(token, float("nan")) == "42"
    assert _native.spa_verify_token(token[:-1] + ("0" if token[-1] != "0" else "1"), 1.0) is None
    assert _native.spa_verify_token(b"bytes", 1.0) is None
    assert _native.spa_verify_token(None, 1.0) is None


@pytest.mark.parametrize("bad", ["00" * 16, "nothex" * 11, "0" * 63])
def test_invalid_secret_raises_invalid_secret_error(monkeypatch, bad):
    monkeypatch.setenv("SPA_TOKEN_SECRET", bad)
    with pytest.raises(InvalidSecretError):
        verify_token("u:1:00")
    with pytest.raises(InvalidSecretError):
        verify_token(None)
    with pytest.raises(InvalidSecretError):
        verify_token("u:1:00", secret=bad)


def test_missing_secret(monkeypatch):
    monkeypatch.delenv("SPA_TOKEN_SECRET", raising=False)
    with pytest.raises(InvalidSecretError, match="SPA_TOKEN_SECRET is not set"):
        verify_token("u:1:00")
    monkeypatch.setenv("SPA_TOKEN_SECRET", "")
    with pytest.raises(InvalidSecretError, match="SPA_TOKEN_SECRET is not set"):
        verify_token("u:1:00")


def test_middleware_refuses_a_16_byte_secret_at_startup(monkeypatch):
    """A 16-byte secret (upstream accepted any hex) is a start-up error, not a 500 per request."""
    monkeypatch.setenv("SPA_TOKEN_SECRET", "00" * 16)
    with pytest.raises(ImproperlyConfigured, match="SPA_TOKEN_SECRET"):
        SpaTokenCookieMiddleware(lambda request: HttpResponse())
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    SpaTokenCookieMiddleware(lambda request: HttpResponse())
    monkeypatch.delenv("SPA_TOKEN_SECRET")
    SpaTokenCookieMiddleware(lambda request: HttpResponse())  # unset: the middleware does nothing


def test_check_secret():
    assert _native.spa_check_secret(SECRET) is True
    with pytest.raises(InvalidSecretError):
        _native.spa_check_secret("00" * 16)


def test_generate_then_verify_with_native_path(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    assert verify_token(generate_token(12345)) == "12345"


@pytest.mark.parametrize("bad", [-1, 2**70, -(2**70), "3", 1.5, None])
def test_password_bad_length_is_a_pocket_sign_error(bad):
    with pytest.raises(ParameterValidationError) as info:
        password(bad)  # type: ignore[arg-type]
    assert isinstance(info.value, PocketSignError) and isinstance(info.value, ValueError)


def test_password_bad_chars_is_a_pocket_sign_error():
    with pytest.raises(PocketSignError):
        password(8, chars="ab\udc80")
    with pytest.raises(PocketSignError):
        password(8, chars=b"ab")  # type: ignore[arg-type]
