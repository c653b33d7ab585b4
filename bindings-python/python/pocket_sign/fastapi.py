"""FastAPI dependency for apps behind an ALB with Cognito authentication (the
FastAPI-behind-ALB layout: ECS Fargate, nginx, ``x-amzn-oidc-data``).

The ALB authenticates the user with Cognito and forwards the request with
``x-amzn-oidc-accesstoken`` (the Cognito access token), ``x-amzn-oidc-identity`` (the user's
``sub``) and ``x-amzn-oidc-data`` (user claims signed by the ALB with ES256). Intermediate
proxies (the layout's nginx pass-through) do not check anything, so the app verifies:

- the access token with :class:`pocket_sign.cognito.CognitoJwtVerifier` (``token_use``
  ``access``, ``client_id`` = the ALB's app client), and
- when ``alb_arn`` is configured, the ``x-amzn-oidc-data`` header (ALB ``signer`` ARN, ``client``,
  ES256 signature with the ALB public key, ``exp``), whose ``sub`` must be the token's ``sub``.

```python
from fastapi import Depends, FastAPI
from pocket_sign.fastapi import AlbCognitoAuth

auth = AlbCognitoAuth()              # COGNITO_USER_POOL_ID / COGNITO_APP_CLIENT_ID / COGNITO_REGION
app = FastAPI()

@app.get("/me")
async def me(user: dict = Depends(auth)):
    return {"sub": user["sub"], "email": user["email"]}
```

Any failure is ``HTTPException(401)`` with ``WWW-Authenticate: Bearer``. The dependency is an
``async def``: with the keys cached it verifies on the event loop thread (no thread-pool hop,
microseconds); a key fetch (first request, key rotation) runs on pocket-sign's fetch thread pool
with the GIL released, so the event loop keeps serving other requests meanwhile. Synchronous code
can call :meth:`AlbCognitoAuth.verify_headers`.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from fastapi import HTTPException, Request

from .alb import AlbVerifier
from .cognito import CognitoJwtVerifier
from .errors import PocketSignError

ACCESS_TOKEN_HEADER = "x-amzn-oidc-accesstoken"
IDENTITY_HEADER = "x-amzn-oidc-identity"
DATA_HEADER = "x-amzn-oidc-data"

__all__ = ["ACCESS_TOKEN_HEADER", "DATA_HEADER", "IDENTITY_HEADER", "AlbCognitoAuth"]


class AlbCognitoAuth:
    """A FastAPI dependency returning ``{"sub", "username", "email", "scope", "claims", "data"}``.

    :param user_pool_id: default env ``COGNITO_USER_POOL_ID``.
    :param client_id: the ALB's Cognito app client id; default env ``COGNITO_APP_CLIENT_ID``.
    :param region: unused except to validate the pool id (the region comes from the pool id);
        default env ``COGNITO_REGION``.
    :param alb_arn: the ALB ARN(s) allowed as ``signer`` of ``x-amzn-oidc-data``; when set, the
        data header is required and verified. Default env ``ALB_ARN`` (optional).
    :param verify_data: force data verification on/off (default: on when ``alb_arn`` is set).
    :param jwks_uri, issuer: overrides for the Cognito verifier (tests, private endpoints).
    :param alb_keys_url: override of the ALB public key endpoint (``{url}/{kid}``).
    :param grace_seconds: clock skew allowed on ``exp``/``nbf``.
    """

    def __init__(
        self,
        *,
        user_pool_id: Optional[str] = None,
        client_id: Optional[str] = None,
        region: Optional[str] = None,
        alb_arn: Optional[Union[str, Sequence[str]]] = None,
        verify_data: Optional[bool] = None,
        jwks_uri: Optional[str] = None,
        issuer: Optional[str] = None,
        alb_keys_url: Optional[str] = None,
        grace_seconds: int = 0,
    ) -> None:
        self._user_pool_id = user_pool_id
        self._client_id = client_id
        self._region = region
        self._alb_arn = alb_arn
        self._verify_data_opt = verify_data
        self._jwks_uri = jwks_uri
        self._issuer = issuer
        self._alb_keys_url = alb_keys_url
        self._grace_seconds = grace_seconds
        self._lock = threading.Lock()
        self._verifier: Optional[CognitoJwtVerifier] = None
        self._alb: Optional[AlbVerifier] = None
        self._verify_data = False

    def _setup(self) -> CognitoJwtVerifier:
        with self._lock:
            if self._verifier is not None:
                return self._verifier
            pool = self._user_pool_id or os.environ.get("COGNITO_USER_POOL_ID")
            client = self._client_id or os.environ.get("COGNITO_APP_CLIENT_ID")
            region = self._region or os.environ.get("COGNITO_REGION")
            if not pool or not client:
                raise RuntimeError("COGNITO_USER_POOL_ID and COGNITO_APP_CLIENT_ID must be configured")
            if region and not pool.startswith(region + "_"):
                raise RuntimeError(f"COGNITO_USER_POOL_ID {pool!r} is not in region {region!r}")
            arns: Optional[List[str]]
            arn = self._alb_arn or os.environ.get("ALB_ARN")
            arns = [arn] if isinstance(arn, str) else (list(arn) if arn else None)
            verify_data = self._verify_data_opt if self._verify_data_opt is not None else bool(arns)
            if verify_data:
                if not arns:
                    raise RuntimeError("verify_data needs alb_arn (the ALB's ARN)")
                self._alb = AlbVerifier(
                    arns,
                    client_ids=[client],
                    grace_seconds=self._grace_seconds,
                    keys_url=self._alb_keys_url,
                )
            self._verify_data = verify_data
            self._verifier = CognitoJwtVerifier(
                pool,
                client,
                "access",
                grace_seconds=self._grace_seconds,
                jwks_uri=self._jwks_uri,
                issuer=self._issuer,
            )
            return self._verifier

    def _tokens(self, headers: Any) -> Tuple[CognitoJwtVerifier, str, Optional[str]]:
        verifier = self._verifier or self._setup()
        token = headers.get(ACCESS_TOKEN_HEADER)
        if not token:
            raise LookupError(f"missing {ACCESS_TOKEN_HEADER} header")
        raw: Optional[str] = None
        if self._verify_data:
            raw = headers.get(DATA_HEADER)
            if not raw:
                raise LookupError(f"missing {DATA_HEADER} header")
        return verifier, token, raw

    def _result(self, headers: Any, claims: Dict[str, Any], data: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        if data is not None and data.get("sub") != claims.get("sub"):
            raise LookupError("x-amzn-oidc-data is for another user than the access token")
        identity = headers.get(IDENTITY_HEADER)
        if identity is not None and identity != claims.get("sub"):
            raise LookupError("x-amzn-oidc-identity does not match the access token")
        return {
            "sub": claims.get("sub"),
            "username": claims.get("username") or claims.get("cognito:username"),
            "email": (data or {}).get("email") or claims.get("email"),
            "scope": claims.get("scope"),
            "claims": claims,
            "data": data,
        }

    def verify_headers(self, headers: Any) -> Dict[str, Any]:
        """Verifies the ALB headers (a mapping with case-insensitive ``get``), blocking; raises
        :class:`~pocket_sign.errors.PocketSignError` subclasses or ``LookupError``."""
        verifier, token, raw = self._tokens(headers)
        claims = verifier.verify(token)
        data = None
        if raw is not None:
            assert self._alb is not None
            data = self._alb.verify(raw)
        return self._result(headers, claims, data)

    async def verify_headers_async(self, headers: Any) -> Dict[str, Any]:
        """:meth:`verify_headers` without blocking the event loop (same checks and errors)."""
        verifier, token, raw = self._tokens(headers)
        claims = await verifier.verify_async(token)
        data = None
        if raw is not None:
            assert self._alb is not None
            data = await self._alb.verify_async(raw)
        return self._result(headers, claims, data)

    async def __call__(self, request: Request) -> Dict[str, Any]:
        try:
            return await self.verify_headers_async(request.headers)
        except (PocketSignError, LookupError) as exc:
            raise HTTPException(
                status_code=401,
                detail=f"Unauthorized: {type(exc).__name__}",
                headers={"WWW-Authenticate": "Bearer"},
            ) from None
