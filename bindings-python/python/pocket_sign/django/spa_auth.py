"""SPA token cookie for Django: a drop-in for magic-pocket's ``pocket.django.spa_auth``.

The token is ``f"{user_id}:{expiry}:{signature}"`` where ``expiry`` is unix seconds and
``signature`` is the lowercase hex HMAC-SHA256 of ``f"{user_id}:{expiry}"`` keyed with the
*decoded bytes* of the 64-hex-character secret (env ``SPA_TOKEN_SECRET``). It is stored in the
``pocket-spa-token`` cookie, which a CloudFront Function checks before serving the SPA.

Same names, signatures, defaults and behaviour as the original; signing and verification run in
the Rust core (``pocket_sign._native.SpaTokenKey``), with the key (HMAC inner/outer state)
prepared once per secret and cached.

Deviation: the secret must decode to exactly 32 bytes (the managed ``spa_token_secret`` always
does); other lengths raise :class:`pocket_sign.errors.InvalidSecretError` (a ``ValueError``).
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any, Callable, Optional

from .. import _native
from ..errors import InvalidSecretError, InvalidUserIdError

#: Name of the cookie carrying the token (read by the CloudFront token gate).
COOKIE_NAME = "pocket-spa-token"

#: Name of the companion cookie the SPA reads (user id and expiry, NOT secret, NOT HttpOnly,
#: not signed: display and renewal timing only). Set and deleted next to the token cookie.
SESSION_COOKIE_NAME = "pocket-spa-session"

#: Default token lifetime in seconds (7 days).
DEFAULT_MAX_AGE = 604800

_ENV_NAME = "SPA_TOKEN_SECRET"


@functools.lru_cache(maxsize=16)
def _key_for(secret: str) -> _native.SpaTokenKey:
    try:
        raw = bytes.fromhex(secret)
    except ValueError:
        raise InvalidSecretError(f"{_ENV_NAME} must be a hex string") from None
    return _native.SpaTokenKey(raw)


def _key(secret: Optional[str]) -> _native.SpaTokenKey:
    if secret is None:
        secret = os.environ.get(_ENV_NAME)
    if not secret:
        raise InvalidSecretError(f"{_ENV_NAME} is not set")
    return _key_for(secret)


def generate_token(user_id: Any, *, secret: Optional[str] = None, max_age: int = DEFAULT_MAX_AGE) -> str:
    """Return a token for ``user_id`` valid for ``max_age`` seconds from now.

    ``user_id`` is formatted with ``str()``; one containing ``:`` raises
    :class:`~pocket_sign.errors.InvalidUserIdError` (a ``ValueError``), as does a missing or
    invalid secret (:class:`~pocket_sign.errors.InvalidSecretError`).
    """
    uid = str(user_id)
    if ":" in uid:
        raise InvalidUserIdError("user_id must not contain ':'")
    key = _key(secret)
    expiry = int(time.time()) + max_age
    return key.sign(uid, expiry)


def verify_token(token: str, *, secret: Optional[str] = None) -> Optional[str]:
    """Return the token's user id, or ``None`` when it is malformed, expired or forged.

    A token whose expiry equals the current second is still valid (``now > expiry`` expires).
    A missing secret raises :class:`~pocket_sign.errors.InvalidSecretError` (``ValueError``).
    """
    key = _key(secret)
    if not isinstance(token, str):
        return None
    return key.verify_user_id(token, int(time.time()))


def spa_login(response: Any, user_id: Any, *, secret: Optional[str] = None, max_age: int = DEFAULT_MAX_AGE) -> Any:
    """Set the token cookie on a Django ``response`` (Max-Age, HttpOnly, Secure, SameSite=Lax, Path=/).

    Also sets the companion :data:`SESSION_COOKIE_NAME` cookie (``{user id}:{expiry}``, same
    attributes but readable by scripts) so that the SPA can show who is logged in and when the
    token expires (``session()`` in the ``pocket-sign/spa`` npm entry) without the token itself
    ever being readable by JavaScript.
    """
    token = generate_token(user_id, secret=secret, max_age=max_age)
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=max_age,
        httponly=True,
        secure=True,
        samesite="Lax",
        path="/",
    )
    response.set_cookie(
        SESSION_COOKIE_NAME,
        _native.spa_session_cookie_value(token),
        max_age=max_age,
        httponly=False,
        secure=True,
        samesite="Lax",
        path="/",
    )
    return response


def spa_logout(response: Any) -> Any:
    """Delete the token cookie and its companion session cookie on a Django ``response`` (Path=/)."""
    response.delete_cookie(COOKIE_NAME, path="/")
    response.delete_cookie(SESSION_COOKIE_NAME, path="/")
    return response


class SpaTokenCookieMiddleware:
    """Keeps the SPA token cookie in step with the Django session.

    Place it after ``AuthenticationMiddleware``. Without ``SPA_TOKEN_SECRET`` it does nothing.
    For an authenticated user it (re)issues the cookie when it is missing, expired, invalid, or
    belongs to another user (compared with ``str(request.user.pk)``); for an anonymous request
    carrying the cookie it deletes it. This breaks the redirect loop between a 14-day Django
    session and a 7-day token. Subclasses may override :meth:`_should_issue` and :meth:`_max_age`.
    """

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if not os.environ.get(_ENV_NAME):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if self._should_issue(request):
                spa_login(response, str(user.pk), max_age=self._max_age())
        elif COOKIE_NAME in request.COOKIES:
            spa_logout(response)
        return response

    def _should_issue(self, request: Any) -> bool:
        """Whether to (re)issue the cookie for the authenticated ``request``."""
        token = request.COOKIES.get(COOKIE_NAME)
        if not token:
            return True
        return verify_token(token) != str(request.user.pk)

    def _max_age(self) -> int:
        """Lifetime in seconds of an issued token (default :data:`DEFAULT_MAX_AGE`)."""
        return DEFAULT_MAX_AGE


__all__ = [
    "COOKIE_NAME",
    "DEFAULT_MAX_AGE",
    "SESSION_COOKIE_NAME",
    "SpaTokenCookieMiddleware",
    "generate_token",
    "spa_login",
    "spa_logout",
    "verify_token",
]
