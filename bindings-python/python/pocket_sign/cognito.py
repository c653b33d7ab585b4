"""Cognito JWT verification: aws-jwt-verify's ``CognitoJwtVerifier`` in snake_case.

```python
from pocket_sign.cognito import CognitoJwtVerifier

verifier = CognitoJwtVerifier(
    user_pool_id="ap-northeast-1_XXXXXXXXX",
    client_id="yyyyyyyy",          # str or list of str (required), or ANY_CLIENT_ID
    token_use="access",            # "access", "id" or None (either)
)
claims = verifier.verify(token)    # dict of claims, or raises a JwtBaseError subclass
claims = await verifier.verify_async(token)   # in async code: never blocks the event loop
```

Checks (in aws-jwt-verify's order): compact JWS structure and size, ``kid`` present, JWK found
in the pool's JWKS (fetched from ``{issuer}/.well-known/jwks.json`` and cached by the Rust
core with bounded, flood-proof refetching on an unknown ``kid``), algorithm allowed for the
JWK, signature, ``exp`` (with ``grace_seconds``), ``nbf``, ``iss``, ``token_use``,
``client_id`` (access tokens) / ``aud`` (id tokens), ``cognito:groups``, ``scope``, then
``custom_jwt_check(header=..., payload=..., jwk=None)``. The JWKS fetch and the signature check
run with the GIL released. Errors are the classes of :mod:`pocket_sign.errors`, mirroring
aws-jwt-verify's (``JwtExpiredError``, ``CognitoJwtInvalidTokenUseError``, ...).

The client id check is never silently off. ``client_id`` is required; ``None``, ``""`` or an
empty list raise :class:`~pocket_sign.errors.ParameterValidationError` at construction (a
``None`` from an unset setting or environment variable would otherwise accept tokens of every
app client of the pool). Accepting every app client is the explicit
``client_id=ANY_CLIENT_ID`` (aws-jwt-verify's ``clientId: null``).

Also: :func:`secret_hash` (Cognito ``SECRET_HASH``) and :func:`verify_cognito_jwt`, the
drop-in for magic-pocket's Django Ninja example function that reads Django settings.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from . import _native
from .errors import ParameterValidationError
from .jwt import _as_list, _JwksVerifying



class _AnyClientId:
    """The type of :data:`ANY_CLIENT_ID`."""

    _instance: Optional["_AnyClientId"] = None

    def __new__(cls) -> "_AnyClientId":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ANY_CLIENT_ID"

    def __reduce__(self) -> str:
        return "ANY_CLIENT_ID"


#: Pass as ``client_id`` to accept tokens of every app client of the pool (no ``client_id`` /
#: ``aud`` check): the explicit form of aws-jwt-verify's ``clientId: null``.
ANY_CLIENT_ID = _AnyClientId()

ClientId = Union[str, Sequence[str], _AnyClientId]
CustomJwtCheck = Callable[..., Any]

_UNSET: Any = object()


def _client_ids(value: Any) -> Optional[List[str]]:
    """``client_id`` as the list the core checks; ``None`` only for :data:`ANY_CLIENT_ID`."""
    if value is ANY_CLIENT_ID:
        return None
    if value is None:
        raise ParameterValidationError(
            "client_id is required: give the app client id(s), or pass "
            "pocket_sign.cognito.ANY_CLIENT_ID to accept every app client of the pool explicitly"
        )
    ids = _as_list(value, "client_id") or []
    if not ids or not all(ids):
        raise ParameterValidationError("client_id must not be empty (an app client id, or a list of them)")
    return ids


def _pool_config(
    user_pool_id: str,
    client_id: ClientId,
    token_use: Optional[str],
    groups: Optional[Union[str, Sequence[str]]],
    scope: Optional[Union[str, Sequence[str]]],
    grace_seconds: int,
    jwks_uri: Optional[str],
    issuer: Optional[str],
) -> Dict[str, Any]:
    if not isinstance(user_pool_id, str) or not user_pool_id:
        raise ParameterValidationError("user_pool_id must be a non-empty str such as 'eu-west-1_AbCdEf123'")
    if token_use not in (None, "access", "id"):
        raise ParameterValidationError("token_use must be 'access', 'id' or None")
    if not isinstance(grace_seconds, int) or isinstance(grace_seconds, bool) or grace_seconds < 0:
        raise ParameterValidationError("grace_seconds must be a non-negative int")
    client_ids = _client_ids(client_id)
    return {
        "user_pool_id": user_pool_id,
        "client_id": client_ids,
        "any_client_id": client_ids is None,
        "token_use": token_use,
        "groups": _as_list(groups, "groups"),
        "scope": _as_list(scope, "scope"),
        "grace_seconds": grace_seconds,
        "jwks_uri": jwks_uri,
        "issuer": issuer,
    }


class CognitoJwtVerifier(_JwksVerifying):
    """Verifies Cognito user pool JWTs (access and/or id tokens) against one or more pools.

    :param user_pool_id: e.g. ``"ap-northeast-1_AbCdEf123"`` (the region is taken from it).
    :param client_id: expected app client id(s): ``client_id`` claim of access tokens, ``aud``
        of id tokens. Required: ``None``, ``""`` and ``[]`` raise ``ParameterValidationError``.
        :data:`ANY_CLIENT_ID` disables the check explicitly (aws-jwt-verify's ``clientId: null``).
    :param token_use: ``"access"``, ``"id"`` or ``None`` (either).
    :param groups: required ``cognito:groups`` (any one of them).
    :param scope: required scopes (any one of them, access tokens).
    :param grace_seconds: clock skew allowed on ``exp`` / ``nbf``, seconds.
    :param custom_jwt_check: called as ``custom_jwt_check(header=..., payload=..., jwk=None)``
        after every other check passed (header and payload as dicts); raise to reject (the
        exception propagates). Unlike aws-jwt-verify, ``jwk`` is always ``None``: the core keeps
        only parsed keys.
    :param jwks_uri: JWKS URL (default ``{issuer}/.well-known/jwks.json``).
    :param issuer: expected ``iss`` (default
        ``https://cognito-idp.{region}.amazonaws.com/{user_pool_id}``).
    :raises ParameterValidationError: (a ``ValueError``) for invalid parameters.

    Instances are safe to share between threads; keep one per process so the JWKS cache is reused.

    Methods (from the shared JWKS verifier): ``verify(token)`` (blocking), ``await
    verify_async(token)`` (never blocks the event loop: answers at once from cached keys, else
    fetches on pocket-sign's thread pool with the GIL released), ``verify_cached(token)`` /
    ``verify_sync`` (no I/O), ``hydrate()`` / ``await hydrate_async()``.
    """

    _kind = "Cognito JWT"

    def __init__(
        self,
        user_pool_id: str,
        client_id: ClientId,
        token_use: Optional[str],
        *,
        groups: Optional[Union[str, Sequence[str]]] = None,
        scope: Optional[Union[str, Sequence[str]]] = None,
        grace_seconds: int = 0,
        custom_jwt_check: Optional[CustomJwtCheck] = None,
        jwks_uri: Optional[str] = None,
        issuer: Optional[str] = None,
    ) -> None:
        config = _pool_config(user_pool_id, client_id, token_use, groups, scope, grace_seconds, jwks_uri, issuer)
        self._init([config], [custom_jwt_check])

    def _init(self, configs: List[Dict[str, Any]], checks: List[Optional[CustomJwtCheck]]) -> None:
        self._configs = configs
        self._native = _native.CognitoVerifier(configs)
        self._checks = {self._native.issuer(i): check for i, check in enumerate(checks)}

    @classmethod
    def create(cls, pools: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]], **defaults: Any) -> "CognitoJwtVerifier":
        """aws-jwt-verify's ``CognitoJwtVerifier.create``: one pool (a mapping of the
        constructor's keyword arguments) or several (a list of mappings). With several pools
        the token's ``iss`` selects the pool. ``defaults`` apply to every pool.
        """
        if isinstance(pools, Mapping):
            pools = [pools]
        pools = list(pools)
        if not pools:
            raise ParameterValidationError("at least one user pool is required")
        configs: List[Dict[str, Any]] = []
        checks: List[Optional[CustomJwtCheck]] = []
        for pool in pools:
            props = {**defaults, **pool}
            try:
                user_pool_id = props.pop("user_pool_id")
                client_id = props.pop("client_id")
                token_use = props.pop("token_use")
            except KeyError as e:
                raise ParameterValidationError(f"missing pool property {e.args[0]!r}") from None
            check = props.pop("custom_jwt_check", None)
            unknown = set(props) - {"groups", "scope", "grace_seconds", "jwks_uri", "issuer"}
            if unknown:
                raise ParameterValidationError(f"unknown pool properties: {sorted(unknown)}")
            configs.append(
                _pool_config(
                    user_pool_id,
                    client_id,
                    token_use,
                    props.get("groups"),
                    props.get("scope"),
                    props.get("grace_seconds", 0),
                    props.get("jwks_uri"),
                    props.get("issuer"),
                )
            )
            checks.append(check)
        issuers = [c["issuer"] or c["user_pool_id"] for c in configs]
        if len(set(issuers)) != len(issuers):
            raise ParameterValidationError("the same user pool (issuer) is configured twice")
        self = cls.__new__(cls)
        self._init(configs, checks)
        return self

    def __repr__(self) -> str:
        pools = ", ".join(c["user_pool_id"] for c in self._configs)
        return f"CognitoJwtVerifier({pools})"


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """Cognito ``SECRET_HASH``: base64(HMAC-SHA256(key=client_secret, msg=username + client_id)).

    https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
    """
    return _native.secret_hash(username, client_id, client_secret)


# --- Django settings (as in magic-pocket's Django Ninja example) ----------------------------


@functools.lru_cache(maxsize=32)
def _settings_verifier(
    user_pool_id: str, client_id: Any, token_use: str, issuer: str, jwks_uri: Optional[str]
) -> CognitoJwtVerifier:
    return CognitoJwtVerifier(user_pool_id, client_id, token_use, issuer=issuer, jwks_uri=jwks_uri)


def settings_issuer() -> str:
    """``settings.COGNITO_ISSUER``, else ``https://cognito-idp.{AWS_REGION}.amazonaws.com/{COGNITO_USER_POOL_ID}``."""
    from django.conf import settings  # type: ignore[import-untyped]

    issuer = getattr(settings, "COGNITO_ISSUER", None)
    if issuer:
        return str(issuer)
    region = getattr(settings, "AWS_REGION", None) or "ap-northeast-1"
    return f"https://cognito-idp.{region}.amazonaws.com/{settings.COGNITO_USER_POOL_ID}"


def settings_client_id() -> Any:
    """The client id check configured in Django settings: ``COGNITO_APP_CLIENT_ID`` (a str, or
    a list/tuple of str), or :data:`ANY_CLIENT_ID` when ``COGNITO_ANY_CLIENT_ID = True`` (the
    explicit, documented choice to accept every app client of the pool).

    :raises django.core.exceptions.ImproperlyConfigured: when ``COGNITO_APP_CLIENT_ID`` is
        missing, ``None`` or empty and ``COGNITO_ANY_CLIENT_ID`` is not ``True``, or when both
        are set. The check is never silently off (magic-pocket's Django Ninja example accepted
        every app client when the setting was unset).
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured  # type: ignore[import-untyped]

    value = getattr(settings, "COGNITO_APP_CLIENT_ID", None)
    any_client = getattr(settings, "COGNITO_ANY_CLIENT_ID", False) is True
    blank = value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and all(isinstance(v, str) and not v.strip() for v in value)
    )
    if any_client:
        if not blank:
            raise ImproperlyConfigured(
                "COGNITO_APP_CLIENT_ID and COGNITO_ANY_CLIENT_ID = True are mutually exclusive"
            )
        return ANY_CLIENT_ID
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    raise ImproperlyConfigured(
        "COGNITO_APP_CLIENT_ID must be the app client id (or a list of them); set "
        "COGNITO_ANY_CLIENT_ID = True instead to accept tokens of every app client of the pool"
    )


def settings_verifier(token_use: str = "access") -> CognitoJwtVerifier:
    """The process-wide :class:`CognitoJwtVerifier` for the Django settings
    ``COGNITO_USER_POOL_ID``, ``COGNITO_APP_CLIENT_ID``, ``AWS_REGION`` (or ``COGNITO_ISSUER``)
    and optionally ``COGNITO_JWKS_URL``, for ``token_use`` tokens (cached: one JWKS cache per
    configuration)."""
    from django.conf import settings

    return _settings_verifier(
        settings.COGNITO_USER_POOL_ID,
        settings_client_id(),
        token_use,
        settings_issuer(),
        getattr(settings, "COGNITO_JWKS_URL", None) or None,
    )


def verify_cognito_jwt(token: str, token_use: str = "access") -> Dict[str, Any]:
    """Magic-pocket's Django Ninja example ``verify_cognito_jwt`` on the Rust core: verifies a
    Cognito JWT with the Django settings ``COGNITO_USER_POOL_ID``, ``COGNITO_APP_CLIENT_ID``,
    ``AWS_REGION`` (or ``COGNITO_ISSUER``) and optionally ``COGNITO_JWKS_URL``, and returns the
    claims.

    ``token_use`` is ``"access"`` (checks ``client_id``) or ``"id"`` (checks ``aud``).
    Raises :class:`~pocket_sign.errors.JwtBaseError` subclasses (``pocket_sign.ninja`` turns
    them into 401 responses).

    Deviation from the example, on purpose: an unset or empty ``COGNITO_APP_CLIENT_ID`` raises
    ``ImproperlyConfigured`` instead of accepting tokens of every app client of the pool;
    ``COGNITO_ANY_CLIENT_ID = True`` is the explicit opt-in (see :func:`settings_client_id`).
    """
    return settings_verifier(token_use).verify(token)


async def verify_cognito_jwt_async(token: str, token_use: str = "access") -> Dict[str, Any]:
    """:func:`verify_cognito_jwt` for async views: never blocks the event loop (see
    :meth:`CognitoJwtVerifier.verify_async`)."""
    return await settings_verifier(token_use).verify_async(token)


__all__ = [
    "ANY_CLIENT_ID",
    "CognitoJwtVerifier",
    "secret_hash",
    "settings_client_id",
    "settings_issuer",
    "settings_verifier",
    "verify_cognito_jwt",
    "verify_cognito_jwt_async",
]
