"""Refuse requests that bypass CloudFront: a drop-in for magic-pocket's
``pocket.django.origin_verify``.

With ``enable_origin_verify = true`` on a ``[cloudfront.NAME]`` distribution, CloudFront adds the
origin custom header ``X-Pocket-Origin-Verify`` (a secret) to every request it forwards to the
API origin, the application has the same secret in ``POCKET_ORIGIN_VERIFY_SECRET``
(``pocket-sign keygen origin-secret`` makes one), and the viewer-request function of each API
route sets ``X-Pocket-Viewer-Ip`` from ``event.viewer.ip``, overwriting whatever the client sent.
:class:`OriginVerifyMiddleware` then, for every request:

- ``POCKET_ORIGIN_VERIFY_SECRET`` unset or empty (local development, no CloudFront): does
  nothing, ``REMOTE_ADDR`` stays;
- header missing or different (a direct call to API Gateway / the ALB / the function URL):
  403 ``origin direct access is not allowed``, the view never runs;
- header matches: ``REMOTE_ADDR`` becomes the parsed ``X-Pocket-Viewer-Ip``
  (:func:`pocket_sign.django.client_ip.parse_viewer_ip`), or stays when that header is absent or
  not an address.

Put it **first** in ``MIDDLEWARE``, before anything that reads ``REMOTE_ADDR`` (django-axes,
DRF throttling, rate limits, logging)::

    MIDDLEWARE = [
        "pocket_sign.django.origin_verify.OriginVerifyMiddleware",
        "django.middleware.security.SecurityMiddleware",
        ...
    ]

Same names, environment variable, headers and behaviour as the original; the decision (a
constant-time comparison on the header's bytes, and the IP parsing) is one call into the Rust
core (``pocket_sign_core::origin_verify::verify_origin``). The secret is read from the
environment on every request, as the original does, so it is never cached in the process.
Do not also trust ``X-Forwarded-For``: after this middleware ``REMOTE_ADDR`` is the viewer.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

from .. import _native

#: Environment variable holding the secret (= magic-pocket's managed secret key).
ORIGIN_VERIFY_SECRET_ENV = "POCKET_ORIGIN_VERIFY_SECRET"  # noqa: S105 (a name, not a value)

#: ``request.META`` key of the ``X-Pocket-Origin-Verify`` origin custom header.
ORIGIN_VERIFY_HEADER_META = "HTTP_X_POCKET_ORIGIN_VERIFY"

#: ``request.META`` key of the ``X-Pocket-Viewer-Ip`` header set by the viewer-request function.
VIEWER_IP_HEADER_META = "HTTP_X_POCKET_VIEWER_IP"

__all__ = [
    "ORIGIN_VERIFY_HEADER_META",
    "ORIGIN_VERIFY_SECRET_ENV",
    "OriginVerifyMiddleware",
    "VIEWER_IP_HEADER_META",
]


def _header_bytes(value: Any) -> Optional[bytes]:
    """The raw bytes of a ``request.META`` header value. WSGI (PEP 3333) and Django's ASGI
    handler give each header as the latin-1 decoding of its bytes, so latin-1 gives them back
    exactly; a ``str`` that is not latin-1 (set by hand) is taken as UTF-8, surrogates included.
    Never raises."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if not isinstance(value, str):
        return None
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _secret_bytes(secret: str) -> bytes:
    """The environment value's bytes (UTF-8; undecodable environment bytes as they were)."""
    try:
        return secret.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return secret.encode("utf-8", "surrogatepass")


class OriginVerifyMiddleware:
    """Refuses requests without the CloudFront origin secret (403) and sets ``REMOTE_ADDR`` from
    ``X-Pocket-Viewer-Ip`` when the secret matches; a no-op when ``POCKET_ORIGIN_VERIFY_SECRET``
    is unset. See the module documentation."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        secret = os.environ.get(ORIGIN_VERIFY_SECRET_ENV)
        if not secret:
            return self.get_response(request)
        decision, ip = _native.verify_origin(
            _secret_bytes(secret),
            _header_bytes(request.META.get(ORIGIN_VERIFY_HEADER_META)),
            _header_bytes(request.META.get(VIEWER_IP_HEADER_META)),
        )
        if decision == "forbidden":
            return self._forbidden()
        if decision == "verified" and ip:
            request.META["REMOTE_ADDR"] = ip
        return self.get_response(request)

    @staticmethod
    def _forbidden() -> Any:
        from django.http import HttpResponseForbidden  # type: ignore[import-untyped]

        return HttpResponseForbidden(b"origin direct access is not allowed")
