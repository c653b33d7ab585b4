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

try:
    from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
except ImportError:  # pragma: no cover - Django (and asgiref) absent: only the token functions are used
    from inspect import iscoroutinefunction

    markcoroutinefunction = sync_to_async = None  # type: ignore[assignment]

from .. import _native
from ..errors import InvalidSecretError, InvalidUserIdError

#: Name of the cookie carrying the token (read by the CloudFront token gate).
COOKIE_NAME = "pocket-spa-token"

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
    """Set the token cookie on a Django ``response`` (Max-Age, HttpOnly, Secure, SameSite=Lax, Path=/)."""
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
    return response


def spa_logout(response: Any) -> Any:
    """Delete the token cookie on a Django ``response`` (Path=/)."""
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


class SpaTokenCookieMiddleware:
    """Keeps the SPA token cookie in step with the Django session.

    Place it after ``AuthenticationMiddleware``. Without ``SPA_TOKEN_SECRET`` it does nothing.
    For an authenticated user it (re)issues the cookie when it is missing, expired, invalid, or
    belongs to another user (compared with ``str(request.user.pk)``); for an anonymous request
    carrying the cookie it deletes it. This breaks the redirect loop between a 14-day Django
    session and a 7-day token. Subclasses may override :meth:`_should_issue` and :meth:`_max_age`.
    """

    #: Django uses the middleware as is in both WSGI (sync) and ASGI (async) stacks.
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            # Django's documented pattern: the instance is awaited like an async middleware.
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        response = self.get_response(request)
        if not os.environ.get(_ENV_NAME):
            return response
        return self._update_cookie(request, response, getattr(request, "user", None))

    async def __acall__(self, request: Any) -> Any:
        """The async stack: the same decisions; the user is loaded with ``request.auser()``
        (no synchronous database access on the event loop)."""
        response = await self.get_response(request)
        if not os.environ.get(_ENV_NAME):
            return response
        auser = getattr(request, "auser", None)
        user = await auser() if auser is not None else getattr(request, "user", None)
        issue = None
        if user is not None and user.is_authenticated and self._overrides_should_issue():
            # A subclass's _should_issue may touch request.user (lazy, database): run it in a
            # thread as Django does for sync code.
            issue = await sync_to_async(self._should_issue)(request)
        return self._update_cookie(request, response, user, issue)

    def _overrides_should_issue(self) -> bool:
        return type(self)._should_issue is not SpaTokenCookieMiddleware._should_issue

    def _update_cookie(self, request: Any, response: Any, user: Any, issue: Optional[bool] = None) -> Any:
        if user is not None and user.is_authenticated:
            if issue is None:
                issue = self._should_issue(request) if self._overrides_should_issue() else self._token_stale(request, user)
            if issue:
                spa_login(response, str(user.pk), max_age=self._max_age())
        elif COOKIE_NAME in request.COOKIES:
            spa_logout(response)
        return response

    @staticmethod
    def _token_stale(request: Any, user: Any) -> bool:
        token = request.COOKIES.get(COOKIE_NAME)
        if not token:
            return True
        return verify_token(token) != str(user.pk)

    def _should_issue(self, request: Any) -> bool:
        """Whether to (re)issue the cookie for the authenticated ``request``."""
        return self._token_stale(request, request.user)

    def _max_age(self) -> int:
        """Lifetime in seconds of an issued token (default :data:`DEFAULT_MAX_AGE`)."""
        return DEFAULT_MAX_AGE


__all__ = [
    "COOKIE_NAME",
    "DEFAULT_MAX_AGE",
    "SpaTokenCookieMiddleware",
    "generate_token",
    "spa_login",
    "spa_logout",
    "verify_token",
]
