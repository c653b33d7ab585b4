"""Refuse requests that bypass CloudFront, for Starlette / FastAPI (any ASGI application).

The ASGI twin of :class:`pocket_sign.django.origin_verify.OriginVerifyMiddleware`, with the same
environment variable, headers and decision (one call into the Rust core,
``pocket_sign_core::origin_verify::verify_origin``)::

    from fastapi import FastAPI
    from pocket_sign.starlette import OriginVerifyMiddleware

    app = FastAPI()
    app.add_middleware(OriginVerifyMiddleware)   # add it last, so it runs first

For each ``http`` and ``websocket`` connection:

- ``POCKET_ORIGIN_VERIFY_SECRET`` unset or empty: passes through unchanged;
- ``X-Pocket-Origin-Verify`` missing or different: HTTP 403 ``origin direct access is not
  allowed`` (a WebSocket handshake is closed with code 1008 before it is accepted); the
  application never sees the request;
- header matches: ``scope["client"]`` (Starlette's ``request.client``) becomes
  ``(viewer_ip, port)`` from ``X-Pocket-Viewer-Ip``, or stays when that header is absent or not an
  address.

The secret is read from the environment on each connection. Header values are compared as the
raw bytes the server received. Do not let a proxy-headers middleware (uvicorn's
``--proxy-headers`` / ``ProxyHeadersMiddleware``) rewrite the client from ``X-Forwarded-For``
after this one.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, Dict, MutableMapping, Optional

from . import _native
from .django.origin_verify import _secret_bytes

ORIGIN_VERIFY_SECRET_ENV = "POCKET_ORIGIN_VERIFY_SECRET"  # noqa: S105 (a name, not a value)
ORIGIN_VERIFY_HEADER = b"x-pocket-origin-verify"
VIEWER_IP_HEADER = b"x-pocket-viewer-ip"
FORBIDDEN_BODY = b"origin direct access is not allowed"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]

__all__ = ["OriginVerifyMiddleware"]


def _header(scope: Scope, name: bytes) -> Optional[bytes]:
    for key, value in scope.get("headers") or ():
        if bytes(key).lower() == name:
            return bytes(value)
    return None


class OriginVerifyMiddleware:
    """Pure ASGI middleware: 403 without the CloudFront origin secret, viewer IP as the client
    when it matches, no-op when ``POCKET_ORIGIN_VERIFY_SECRET`` is unset."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        secret = os.environ.get(ORIGIN_VERIFY_SECRET_ENV)
        if not secret:
            await self.app(scope, receive, send)
            return
        decision, ip = _native.verify_origin(
            _secret_bytes(secret),
            _header(scope, ORIGIN_VERIFY_HEADER),
            _header(scope, VIEWER_IP_HEADER),
        )
        if decision == "forbidden":
            await self._forbidden(scope, send)
            return
        if decision == "verified" and ip:
            client = scope.get("client")
            port = client[1] if client and len(client) > 1 else 0
            scope = dict(scope)
            scope["client"] = (ip, port)
        await self.app(scope, receive, send)

    @staticmethod
    async def _forbidden(scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(FORBIDDEN_BODY)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": FORBIDDEN_BODY})
