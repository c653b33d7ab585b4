"""ALB ``x-amzn-oidc-data`` verification: aws-jwt-verify's ``AlbJwtVerifier`` in snake_case.

```python
from pocket_sign.alb import AlbVerifier

verifier = AlbVerifier(
    ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/0123456789abcdef"],
    client_ids=["my-app-client-id"],
)
claims = verifier.verify(request.headers["x-amzn-oidc-data"])           # blocking
claims = await verifier.verify_async(request.headers["x-amzn-oidc-data"])  # async
```

Checks (Rust core): ES256 only, ``kid`` shape, ``signer`` among the ALB ARNs, ``client``,
``iss`` (when set), signature with the ALB public key of the region (fetched from
``https://public-keys.auth.elb.{region}.amazonaws.com/{kid}`` and cached per kid, with a refetch
cool-down and coalesced concurrent misses), ``exp`` (with ``grace_seconds``). Claims are a
``dict`` built natively. ``verify_async`` answers at once when the key is cached and otherwise
fetches on pocket-sign's thread pool with the GIL released: the event loop never waits.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

from . import _native
from ._async import run_blocking
from ._log import verification_failed
from .errors import JwtBaseError

__all__ = ["AlbVerifier"]


class AlbVerifier:
    """Verifies the ES256 ``x-amzn-oidc-data`` header of an Application Load Balancer.

    :param alb_arns: the load balancer ARN(s) allowed as ``signer`` (all in one region).
    :param client_ids: allowed ``client`` (Cognito app client) values; ``None``: not checked.
    :param issuer: expected ``iss``; ``None``: not checked.
    :param grace_seconds: clock skew allowed on ``exp``, seconds.
    :param keys_url: key endpoint override (``{keys_url}/{kid}``: GovCloud, tests).
    :raises ParameterValidationError: no ARN, an invalid ARN, ARNs in several regions.
    """

    def __init__(
        self,
        alb_arns: Sequence[str],
        *,
        client_ids: Optional[Sequence[str]] = None,
        issuer: Optional[str] = None,
        grace_seconds: int = 0,
        keys_url: Optional[str] = None,
    ) -> None:
        self._native = _native.AlbVerifier(
            [alb_arns] if isinstance(alb_arns, str) else list(alb_arns),
            client_ids=None if client_ids is None else list(client_ids),
            issuer=issuer,
            grace_seconds=grace_seconds,
            keys_url=keys_url,
        )

    def verify(self, data: str) -> Dict[str, Any]:
        """Verifies ``data`` and returns its claims; fetches the ALB key if needed (blocking,
        GIL released). Raises a :class:`~pocket_sign.errors.JwtBaseError` subclass."""
        try:
            return self._native.verify(data)
        except JwtBaseError as exc:
            verification_failed("ALB data", exc)
            raise

    async def verify_async(self, data: str) -> Dict[str, Any]:
        """:meth:`verify` for async code: never blocks the event loop."""
        try:
            claims = self._native.verify_warm(data)
            if claims is None:
                claims = await run_blocking(self._native.verify, data)
            return claims
        except JwtBaseError as exc:
            verification_failed("ALB data", exc)
            raise

    def add_key(self, kid: str, pem: str) -> None:
        """Preloads the ALB public key PEM for ``kid`` (no I/O)."""
        self._native.add_key(kid, pem)

    @property
    def fetch_count(self) -> int:
        """How many key fetches were started."""
        return self._native.fetch_count

    def __repr__(self) -> str:
        return repr(self._native)
