"""SPA token cookie for Django: a drop-in for magic-pocket's ``pocket.django.spa_auth``.

The token is ``f"{user_id}:{expiry}:{signature}"`` where ``expiry`` is unix seconds and
``signature`` is the lowercase hex HMAC-SHA256 of ``f"{user_id}:{expiry}"`` keyed with the
*decoded bytes* of the 64-hex-character secret (env ``SPA_TOKEN_SECRET``). It is stored in the
``pocket-spa-token`` cookie, which a CloudFront Function checks before serving the SPA.

Same names, signatures, defaults and behaviour as the original; signing and verification run in
the Rust core (``pocket_sign._native.SpaTokenKey``), with the key (HMAC inner/outer state)
prepared once per secret and cached.

A login view that sets the cookie and returns to the page the CloudFront token gate sent the
user from (``?next=``) must only follow a same-site ``next``; use :func:`safe_next_url`
(magic-pocket's example view redirected to any ``next``: an open redirect)::

    from django.contrib.auth import login
    from django.http import HttpResponseRedirect
    from pocket_sign.django.spa_auth import safe_next_url, spa_login

    def login_view(request):
        ...  # authenticate, then login(request, user)
        response = HttpResponseRedirect(safe_next_url(request, default="/"))
        return spa_login(response, request.user.pk)
Secret rotation (a pocket-sign extension): while ``SPA_TOKEN_SECRET_PREVIOUS`` (environment, or
Django setting of that name) holds the previous 64-hex secret, :func:`verify_token` also accepts
tokens signed with it, and :class:`SpaTokenCookieMiddleware` re-issues such a cookie under the
current secret. Tokens are always issued with ``SPA_TOKEN_SECRET``. See the README's "Rotating
secrets" runbook.

CloudFront signed cookies for media (a pocket-sign extension): :func:`media_cookies_login` /
:func:`media_cookies_logout` set and clear ``CloudFront-Policy``, ``CloudFront-Signature`` and
``CloudFront-Key-Pair-Id`` for a custom policy over the media distribution, so media URLs need no
signature each (see :mod:`pocket_sign.storage`).

Deviation: the secret must decode to exactly 32 bytes (the managed ``spa_token_secret`` always
does); other lengths raise :class:`pocket_sign.errors.InvalidSecretError` (a ``ValueError``).
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any, Callable, Dict, Optional, Tuple

try:
    from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
except ImportError:  # pragma: no cover - Django (and asgiref) absent: only the token functions are used
    from inspect import iscoroutinefunction

    markcoroutinefunction = sync_to_async = None  # type: ignore[assignment]

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
_PREVIOUS_ENV_NAME = "SPA_TOKEN_SECRET_PREVIOUS"


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
    Without an explicit ``secret``, a token signed with ``SPA_TOKEN_SECRET_PREVIOUS`` (when set)
    is accepted too (see :func:`verify_token_rotating`).
    """
    previous = _settings_previous if _settings_read else _previous_from_settings()
    # One native call: secrets (argument, else env and the cached Django setting), cached HMAC
    # key state and verification (both secrets during a rotation).
    return _native.spa_verify_token(token, time.time(), secret, previous)


#: ``SPA_TOKEN_SECRET_PREVIOUS`` as read from Django settings, valid while ``_settings_read``:
#: read once, and again after Django's ``setting_changed`` signal names it
#: (``override_settings``), so :func:`verify_token` does not pay a settings lookup per call.
_settings_read = False
_settings_previous: Optional[str] = None
#: ``django.conf.settings`` once imported (``None`` before; ``False`` without Django).
_django_settings: Any = None


def _forget_settings_previous(*, setting: str = "", **_kwargs: Any) -> None:
    global _settings_read
    if setting == _PREVIOUS_ENV_NAME:
        _settings_read = False


def _previous_from_settings() -> Optional[str]:
    global _settings_read, _settings_previous, _django_settings
    if _settings_read:
        return _settings_previous
    settings = _django_settings
    if settings is None:
        try:
            from django.conf import settings as imported  # type: ignore[import-untyped]
            from django.core.signals import setting_changed  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - Django is optional for the token functions
            _django_settings = False
            _settings_previous, _settings_read = None, True
            return None
        setting_changed.connect(_forget_settings_previous, dispatch_uid="pocket_sign.spa_auth.previous")
        _django_settings = settings = imported
    if not settings.configured:
        return None  # not cached: settings may be configured later (one property read per call)
    value = getattr(settings, _PREVIOUS_ENV_NAME, None)
    _settings_previous = None if value is None else str(value)
    _settings_read = True
    return _settings_previous


def _previous_secret() -> Optional[str]:
    """``SPA_TOKEN_SECRET_PREVIOUS`` from the environment, else from Django settings, else None.

    The environment is read on every call (tests and rotation scripts change it); the Django
    setting once, until ``setting_changed`` names it.
    """
    value = os.environ.get(_PREVIOUS_ENV_NAME)
    if value is None:
        value = _previous_from_settings()
    value = (value or "").strip()
    return value or None


@functools.lru_cache(maxsize=16)
def _keyring_for(current: str, previous: Optional[str]) -> _native.SpaTokenKeyring:
    return _native.SpaTokenKeyring(current.strip(), previous)


def verify_token_rotating(
    token: str, *, secret: Optional[str] = None, previous_secret: Optional[str] = None
) -> Optional[Tuple[str, bool]]:
    """Verify ``token`` under the current secret and, during a rotation, the previous one.

    :param secret: the current 64-hex secret (default ``SPA_TOKEN_SECRET``).
    :param previous_secret: the previous 64-hex secret (default ``SPA_TOKEN_SECRET_PREVIOUS``
        from the environment or Django settings; unset or empty means no rotation).
    :returns: ``(user_id, used_previous)``, ``used_previous`` being True when only the previous
        secret matched, or ``None`` when the token is malformed, expired or forged.
    :raises InvalidSecretError: (a ``ValueError``) when a secret is missing or not 64 hex
        characters (the message says which, never the secret).

    Both HMACs are computed and compared in constant time in the Rust core
    (``SpaTokenKeyring``); nothing tells an attacker which secret a forged token was closer to.
    """
    if secret is None:
        secret = os.environ.get(_ENV_NAME)
    if not secret:
        raise InvalidSecretError(f"{_ENV_NAME} is not set")
    if previous_secret is None:
        previous_secret = _previous_secret()
    ring = _keyring_for(secret, previous_secret)
    if not isinstance(token, str):
        return None
    result = ring.verify_or_none(token, int(time.time()))
    if result is None:
        return None
    user_id, _expiry, used_previous = result
    return user_id, used_previous


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
    """Delete the token cookie and its companion session cookie on a Django ``response`` (Path=/).

    When the ``POCKET_SIGN_MEDIA_COOKIES`` setting is present, also deletes the CloudFront
    media cookies (:func:`media_cookies_logout`).
    """
    response.delete_cookie(COOKIE_NAME, path="/")
    response.delete_cookie(SESSION_COOKIE_NAME, path="/")
    if _media_settings() is not None:
        media_cookies_logout(response)
    return response


# --- CloudFront signed cookies for the media distribution ------------------------------------

#: The cookies :func:`media_cookies_login` sets (custom policy), in AWS's documented order.
MEDIA_COOKIE_NAMES = ("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id")

#: Set only in CloudFront's SHA-256 mode; cleared with the others.
_MEDIA_HASH_COOKIE = "CloudFront-Hash-Algorithm"

#: Django's default ``SESSION_COOKIE_AGE`` (two weeks), used when settings are not configured.
_DJANGO_SESSION_COOKIE_AGE = 1209600


def _media_settings() -> Optional[Dict[str, Any]]:
    """The ``POCKET_SIGN_MEDIA_COOKIES`` setting, or None (Django not configured / not set)."""
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover
        return None
    if not settings.configured:
        return None
    value = getattr(settings, "POCKET_SIGN_MEDIA_COOKIES", None)
    return dict(value) if value is not None else None


def _session_age() -> int:
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, "SESSION_COOKIE_AGE", _DJANGO_SESSION_COOKIE_AGE))
    except ImportError:  # pragma: no cover
        pass
    return _DJANGO_SESSION_COOKIE_AGE


def media_cookie_values(
    *,
    signer: Any = None,
    resource: Optional[str] = None,
    max_age: Optional[int] = None,
    now: Optional[int] = None,
) -> Dict[str, str]:
    """The CloudFront signed-cookie values (name -> value) for a custom policy over ``resource``.

    :param signer: a :class:`pocket_sign.cloudfront.CloudFrontSigner`; default
        ``CloudFrontSigner.from_env(key)`` with ``key`` = ``POCKET_SIGN_MEDIA_COOKIES["key"]``
        (default ``"CF_MEDIA_KEY"``: ``CF_MEDIA_KEY_ID`` / ``CF_MEDIA_KEY_PEM_BASE64``).
    :param resource: the policy ``Resource``, e.g. ``"https://media.example.com/*"`` (``*`` any
        run of characters, ``?`` one character; default ``POCKET_SIGN_MEDIA_COOKIES["resource"]``).
    :param max_age: lifetime in seconds (default ``SESSION_COOKIE_AGE``: the policy expires with
        the Django session).
    :param now: issue time, unix seconds (default: the clock).
    :returns: ``CloudFront-Policy``, ``CloudFront-Signature``, ``CloudFront-Key-Pair-Id`` (plus
        ``CloudFront-Hash-Algorithm`` in SHA-256 mode). The policy JSON and its CloudFront
        base64 come from the Rust core; one RSA/ECDSA signature per call.
    :raises ImproperlyConfigured: when no resource is configured or it is not an ``https://`` URL.
    :raises InvalidKeyError: when the signing key is missing or unusable.
    """
    from django.core.exceptions import ImproperlyConfigured  # type: ignore[import-untyped]

    from ..cloudfront import CloudFrontSigner

    conf = _media_settings() or {}
    resource = resource if resource is not None else conf.get("resource")
    if not resource or not isinstance(resource, str) or not resource.startswith("https://"):
        raise ImproperlyConfigured(
            'POCKET_SIGN_MEDIA_COOKIES["resource"] must be an https:// URL pattern such as '
            '"https://media.example.com/*"'
        )
    if signer is None:
        signer = CloudFrontSigner.from_env(conf.get("key", "CF_MEDIA_KEY"))
    age = _session_age() if max_age is None else int(max_age)
    issued = int(time.time()) if now is None else int(now)
    policy = signer.build_policy(resource, date_less_than=issued + age)
    return dict(signer.generate_signed_cookies(resource, policy=policy))


def media_cookies_login(
    response: Any,
    *,
    signer: Any = None,
    resource: Optional[str] = None,
    domain: Optional[str] = None,
    max_age: Optional[int] = None,
) -> Any:
    """Set the CloudFront signed cookies for the media distribution on a Django ``response``.

    Call it at login, next to :func:`spa_login`. The cookies carry a custom policy over
    ``resource`` (e.g. ``https://media.example.com/*``) that expires with the session
    (``max_age``, default ``SESSION_COOKIE_AGE``), and are set with ``Domain`` (default
    ``POCKET_SIGN_MEDIA_COOKIES["domain"]``, e.g. ``".example.com"`` so that the media
    subdomain receives them), ``Path=/``, ``Secure``, ``HttpOnly``, ``SameSite=Lax`` and the same
    ``Max-Age``. Media URLs can then be served without a signature each
    (:class:`pocket_sign.storage.CloudFrontCookieS3Storage`).

    Arguments and errors as :func:`media_cookie_values`; ``ImproperlyConfigured`` also when no
    domain is configured.
    """
    from django.core.exceptions import ImproperlyConfigured

    conf = _media_settings() or {}
    domain = domain if domain is not None else conf.get("domain")
    if not domain or not isinstance(domain, str):
        raise ImproperlyConfigured('POCKET_SIGN_MEDIA_COOKIES["domain"] must be set, e.g. ".example.com"')
    age = _session_age() if max_age is None else int(max_age)
    for name, value in media_cookie_values(signer=signer, resource=resource, max_age=age).items():
        response.set_cookie(
            name, value, max_age=age, domain=domain, path="/", secure=True, httponly=True, samesite="Lax"
        )
    return response


def media_cookies_logout(response: Any, *, domain: Optional[str] = None) -> Any:
    """Delete the CloudFront media cookies on a Django ``response`` (same ``Domain`` and path as
    :func:`media_cookies_login`; default domain ``POCKET_SIGN_MEDIA_COOKIES["domain"]``)."""
    conf = _media_settings() or {}
    domain = domain if domain is not None else conf.get("domain")
    for name in (*MEDIA_COOKIE_NAMES, _MEDIA_HASH_COOKIE):
        response.delete_cookie(name, path="/", domain=domain, samesite="Lax")
    return response


def _check_secret_at_startup() -> None:
    """A set but invalid ``SPA_TOKEN_SECRET`` (e.g. 16 bytes of hex) stops the server at start-up
    with ``ImproperlyConfigured`` instead of failing every authenticated request with HTTP 500."""
    try:
        _native.spa_check_secret()
    except InvalidSecretError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{_ENV_NAME} is invalid: {exc}") from None


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
        _check_secret_at_startup()
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
        """Whether ``request``'s token cookie is missing, invalid, for another user than
        ``user``, or valid only under ``SPA_TOKEN_SECRET_PREVIOUS``."""
        token = request.COOKIES.get(COOKIE_NAME)
        if not token:
            return True
        if _previous_secret():
            result = verify_token_rotating(token)
            return result is None or result[0] != str(user.pk) or result[1]
        return verify_token(token) != str(user.pk)

    def _should_issue(self, request: Any) -> bool:
        """Whether to (re)issue the cookie for the authenticated ``request``.

        Also True when the token is valid for this user but verified only under
        ``SPA_TOKEN_SECRET_PREVIOUS`` (secret rotation): the cookie is then re-issued under the
        current secret with the default lifetime (:meth:`_max_age`), not the old token's
        remaining lifetime. The Django session is what authenticates the user here, and this is
        exactly what the middleware already does for a missing or expired cookie, so a fresh
        lifetime grants nothing the session does not; keeping the old expiry would instead send
        every user back through an extra re-issue (or, at the edge, a login redirect) as soon as
        the old token runs out.
        """
        return self._token_stale(request, request.user)

    def _max_age(self) -> int:
        """Lifetime in seconds of an issued token (default :data:`DEFAULT_MAX_AGE`)."""
        return DEFAULT_MAX_AGE


def safe_next_url(request: Any, default: str = "/") -> str:
    """The ``next`` query parameter of ``request`` when it is safe to redirect to, else ``default``.

    Safe means Django's ``url_has_allowed_host_and_scheme(next, allowed_hosts={request.get_host()},
    require_https=request.is_secure())``: a relative path (``/app?x=1``) or an absolute URL on the
    request's own host (and ``https`` when the request is). Refused (``default`` returned):
    other hosts (``https://evil.example``), scheme-relative ``//evil.example``, ``/\\evil.example``
    and other backslash forms browsers read as a host, ``javascript:`` / ``data:`` URLs, control
    characters, an empty or missing ``next``. ``request.get_host()`` itself raises Django's
    ``DisallowedHost`` for a host outside ``ALLOWED_HOSTS``, as any Django view would.
    """
    from django.utils.http import url_has_allowed_host_and_scheme  # type: ignore[import-untyped]

    target = request.GET.get("next")
    if isinstance(target, str) and target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


__all__ = [
    "COOKIE_NAME",
    "DEFAULT_MAX_AGE",
    "MEDIA_COOKIE_NAMES",
    "SESSION_COOKIE_NAME",
    "media_cookie_values",
    "media_cookies_login",
    "media_cookies_logout",
    "verify_token_rotating",
    "SpaTokenCookieMiddleware",
    "generate_token",
    "safe_next_url",
    "spa_login",
    "spa_logout",
    "verify_token",
]
