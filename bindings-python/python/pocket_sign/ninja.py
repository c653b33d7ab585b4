"""Django Ninja authentication for Cognito JWTs: magic-pocket's ``CognitoAuth`` on the Rust core.

```python
from pocket_sign.ninja import CognitoAuth

@router.get("/", auth=CognitoAuth())        # access token (COGNITO_PREFERRED_TOKEN_USE)
@router.get("/me", auth=CognitoAuth("id"))  # id token
def view(request):
    request.auth  # {"sub", "username", "email", "scope", "tenant_id", "claims"}

@router.get("/async", auth=CognitoAuth())   # async operations too: the JWKS fetch never
async def async_view(request):              # blocks the event loop
    return request.auth["sub"]
```

Settings (as in magic-pocket's Django Ninja + Cognito example): ``COGNITO_USER_POOL_ID``,
``COGNITO_APP_CLIENT_ID``, ``AWS_REGION`` (or ``COGNITO_ISSUER``), optional ``COGNITO_JWKS_URL``,
``COGNITO_PREFERRED_TOKEN_USE`` (default ``"access"``), and for tenants ``MULTI_TENANT_ENABLED``,
``TENANT_MODE`` (``header`` | ``subdomain`` | ``claim``), ``TENANT_HEADER``, ``TENANT_STRICT``,
``TENANT_MAIN_DOMAIN``, ``COGNITO_TENANT_CLAIM``, ``TENANT_TRUST_REQUEST_WITHOUT_CLAIM``.
Missing tenant settings take the example's defaults (enabled, header ``X-Tenant-Id``, strict,
claim ``custom:tenant_id``; trust off).

**The token decides the tenant** (safe default, different from magic-pocket's Django Ninja
example): in ``header`` / ``subdomain`` mode the request's tenant is granted only when the
token's tenant claim is present and equal to it. A different claim answers 403 ``Tenant
mismatch (header vs token)`` (``TENANT_STRICT=False``: the claim wins instead; the example let
the header override it), and **no claim at all** answers 403 ``Tenant mismatch (header vs
token: no custom:tenant_id claim)``, whatever ``TENANT_STRICT`` says. The example granted any
header when the token had no claim, and Cognito *access* tokens (the default
``COGNITO_PREFERRED_TOKEN_USE``) carry no ``custom:*`` attribute, so any user of the pool could
pick any tenant. To put ``custom:tenant_id`` into access tokens, add a Cognito pre token
generation Lambda trigger (event version V2_0 or later, which needs the Essentials or Plus
feature plan) that copies the user's attribute with
``claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride``; or protect the
API with id tokens (``CognitoAuth("id")``), which carry custom attributes. The example's
permissive behaviour is available only by setting ``TENANT_TRUST_REQUEST_WITHOUT_CLAIM = True``
(a warning is logged once when the first ``CognitoAuth`` is built); a present claim still wins.

Outcomes: 401 for any invalid token (messages as in the example: ``Wrong token use: expected X,
got Y``, ``Invalid audience``, ``Invalid client_id``, ``Unknown signing key``, ``Invalid token
header``, else ``Unauthorized``); 403 ``Tenant mismatch (header vs token)`` /
``(subdomain vs token)`` when the token's claim differs or is missing (see above); 400 ``Tenant
not provided`` when multi-tenancy is on and no tenant resolves; 500 ``Invalid TENANT_MODE``.

Client id: ``COGNITO_APP_CLIENT_ID`` is required. Unset, ``None`` or empty raises
``django.core.exceptions.ImproperlyConfigured`` (when ``CognitoAuth()`` is built in a project
with ``COGNITO_USER_POOL_ID`` set, and on every request), where the example silently accepted
tokens of every app client of the pool. ``COGNITO_ANY_CLIENT_ID = True`` is the explicit,
documented opt-in for that (see :func:`pocket_sign.cognito.settings_client_id`).

One deviation, on purpose: with ``TENANT_MAIN_DOMAIN`` set, a host only yields a tenant when it
is a subdomain of exactly that domain (``a.example.com``), not of a look-alike
(``a.evilexample.com``), which the example's bare ``endswith`` accepted.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, Optional

from django.conf import settings  # type: ignore[import-untyped]
from django.core.exceptions import ImproperlyConfigured  # type: ignore[import-untyped]
from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import _native, errors
from .cognito import settings_client_id, verify_cognito_jwt, verify_cognito_jwt_async

__all__ = ["CognitoAuth", "resolve_tenant_id", "tenant_from_subdomain", "verify_cognito_jwt"]


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


_logger = logging.getLogger("pocket_sign.ninja")
_trust_warned = False


def _warn_if_trusting_request() -> None:
    """Logs one warning per process when ``TENANT_TRUST_REQUEST_WITHOUT_CLAIM`` is on."""
    global _trust_warned
    if _trust_warned or not _setting("TENANT_TRUST_REQUEST_WITHOUT_CLAIM", False):
        return
    _trust_warned = True
    _logger.warning(
        "TENANT_TRUST_REQUEST_WITHOUT_CLAIM is on: a token without a %s claim may choose any "
        "tenant through the %s; add the claim to the tokens (Cognito pre token generation "
        "trigger) and turn this setting off",
        _setting("COGNITO_TENANT_CLAIM", "custom:tenant_id"),
        "subdomain" if _setting("TENANT_MODE", "header") == "subdomain" else "request header",
    )


def tenant_from_subdomain(host: str, main_domain: str) -> Optional[str]:
    """First label of ``host`` when it is a subdomain of ``main_domain`` (port ignored); without
    ``main_domain``, the first label of a host with 3 or more labels (``tenant.api.local``)."""
    # The core's subdomain extraction alone: no claims, and the request value taken as is.
    return _native.resolve_tenant("subdomain", False, main_domain, "", None, host, "{}", True)


def resolve_tenant_id(request: Any, claims: Dict[str, Any]) -> Optional[str]:
    """The Django Ninja example's ``_resolve_tenant_id``, safe by default (rules in the Rust
    core's ``cognito::resolve_tenant``): the request's tenant is granted only when the token's
    tenant claim is present and equal; 403 ``Tenant mismatch (...)`` when the claim differs
    (strict) or is missing (unless ``TENANT_TRUST_REQUEST_WITHOUT_CLAIM``); the claim wins when
    not strict. ``None`` when multi-tenancy is off or nothing was found."""
    if not _setting("MULTI_TENANT_ENABLED", True):
        return None
    mode = _setting("TENANT_MODE", "header")
    if mode not in ("header", "subdomain", "claim"):
        raise HttpError(500, "Invalid TENANT_MODE")
    header_value = request.headers.get(_setting("TENANT_HEADER", "X-Tenant-Id")) if mode == "header" else None
    host = request.get_host() if mode == "subdomain" else None
    try:
        return _native.resolve_tenant(
            mode,
            bool(_setting("TENANT_STRICT", True)),
            _setting("TENANT_MAIN_DOMAIN", "") or "",
            _setting("COGNITO_TENANT_CLAIM", "custom:tenant_id"),
            header_value,
            host,
            json.dumps(claims),
            bool(_setting("TENANT_TRUST_REQUEST_WITHOUT_CLAIM", False)),
        )
    except errors.TenantError as exc:
        if exc.kind == "Mismatch":
            raise HttpError(403, f"Tenant mismatch ({mode} vs token)") from None
        if exc.kind == "ClaimMissing":
            claim = _setting("COGNITO_TENANT_CLAIM", "custom:tenant_id")
            raise HttpError(403, f"Tenant mismatch ({mode} vs token: no {claim} claim)") from None
        raise HttpError(401, "Unauthorized") from None


def _http_error(exc: errors.JwtBaseError, token_use: str, token: str) -> HttpError:
    """The example's 401 messages for the checks it names; ``Unauthorized`` for everything else."""
    if isinstance(exc, errors.CognitoJwtInvalidTokenUseError):
        got = getattr(exc, "actual", None)
        if got is None:
            got = _unverified_claim(token, "token_use")
        return HttpError(401, f"Wrong token use: expected {token_use}, got {got}")
    if isinstance(exc, errors.CognitoJwtInvalidClientIdError):
        return HttpError(401, "Invalid audience" if token_use == "id" else "Invalid client_id")
    if isinstance(exc, (errors.KidNotFoundInJwksError, errors.WaitPeriodNotYetEndedJwkError)):
        return HttpError(401, "Unknown signing key")
    if isinstance(exc, errors.JwtWithoutValidKidError):
        return HttpError(401, "Invalid token header")
    return HttpError(401, "Unauthorized")


def _unverified_claim(token: str, name: str) -> Any:
    import base64
    import json

    try:
        seg = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4))).get(name)
    except Exception:
        return None


class CognitoAuth(HttpBearer):
    """Ninja Bearer authentication with Cognito JWT verification and tenant resolution.

    ``CognitoAuth()`` verifies ``settings.COGNITO_PREFERRED_TOKEN_USE`` tokens (default
    ``"access"``); ``CognitoAuth("id")`` verifies id tokens. ``request.auth`` becomes
    ``{"sub", "username", "email", "scope", "tenant_id", "claims"}``.

    Raises ``ImproperlyConfigured`` at construction when ``COGNITO_USER_POOL_ID`` is set but
    the client id is not (see :func:`pocket_sign.cognito.settings_client_id`).
    """

    def __init__(self, token_use: Optional[str] = None) -> None:
        super().__init__()
        self.token_use = token_use or _setting("COGNITO_PREFERRED_TOKEN_USE", "access")
        if settings.configured and _setting("COGNITO_USER_POOL_ID", None):
            settings_client_id()  # the client id check is never silently off
        _warn_if_trusting_request()
        # Ninja awaits what an async auth returns on async operations and uses a plain result
        # on sync ones: __call__ returns a coroutine only when an event loop runs here.
        self.is_async = True

    def __call__(self, request: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return super().__call__(request)
        token = self._bearer_token(request)
        if token is None:
            return None  # Ninja's async path accepts None as "not authenticated"
        return self.authenticate_async(request, token)

    def _bearer_token(self, request: Any) -> Optional[str]:
        """HttpBearer's header parsing: the token of ``Authorization: Bearer <token>``."""
        headers = request.headers
        auth_value = headers.get(self.header)
        if not auth_value:
            return None
        parts = auth_value.split(" ")
        if parts[0].lower() != self.openapi_scheme:
            return None
        return " ".join(parts[1:])

    def authenticate(self, request: Any, token: str) -> Dict[str, Any]:
        try:
            claims = verify_cognito_jwt(token, token_use=self.token_use)
        except Exception as exc:
            raise self._refusal(exc, token) from None
        return self._auth_from_claims(request, claims)

    async def authenticate_async(self, request: Any, token: str) -> Dict[str, Any]:
        """:meth:`authenticate` for async operations: the JWKS fetch (first request, key
        rotation) never blocks the event loop; the same checks, outcomes and ``request.auth``."""
        try:
            claims = await verify_cognito_jwt_async(token, token_use=self.token_use)
        except Exception as exc:
            raise self._refusal(exc, token) from None
        return self._auth_from_claims(request, claims)

    def _refusal(self, exc: Exception, token: str) -> Exception:
        """What a failed verification raises: a configuration error stays itself (a 500 for
        the operator, not a 401 for the client); a JWT error becomes its 401 with the
        ``WWW-Authenticate`` detail; anything else a plain 401."""
        if isinstance(exc, (HttpError, ImproperlyConfigured)):
            return exc
        if isinstance(exc, errors.JwtBaseError):
            return _http_error(exc, self.token_use, token)
        return HttpError(401, "Unauthorized")

    def _auth_from_claims(self, request: Any, claims: Dict[str, Any]) -> Dict[str, Any]:
        try:
            tenant_id = resolve_tenant_id(request, claims)
        except (HttpError, ImproperlyConfigured):
            raise
        except Exception:
            raise HttpError(401, "Unauthorized") from None
        if _setting("MULTI_TENANT_ENABLED", True) and not tenant_id:
            raise HttpError(400, "Tenant not provided")
        return {
            "sub": claims.get("sub"),
            "username": claims.get("cognito:username") or claims.get("username"),
            "email": claims.get("email"),
            "scope": claims.get("scope"),
            "tenant_id": tenant_id,
            "claims": claims,
        }
