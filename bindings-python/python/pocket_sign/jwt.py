"""JWT verification against any issuer's JWKS: aws-jwt-verify's ``JwtVerifier`` in snake_case.

```python
from pocket_sign.jwt import JwtVerifier

verifier = JwtVerifier(
    issuer="https://login.example.com",
    audience="my-api",                 # str, list of str, or None (then not checked)
    jwks_uri="https://login.example.com/.well-known/jwks.json",
)
claims = verifier.verify(token)            # blocking (fetches the JWKS when needed)
claims = await verifier.verify_async(token)  # never blocks the event loop
```

Checks: compact JWS structure and size, algorithm (HS* never accepted with a JWKS), ``kid``,
``iss`` among the configured issuers (before any fetch), the JWK from the issuer's JWKS (fetched
and cached by the Rust core: TTL, refetch cool-down, coalesced concurrent misses), signature,
``exp`` / ``nbf`` (with ``grace_seconds``), ``aud``, ``scope``, then ``custom_jwt_check``.
Claims come back as ``dict`` objects built by the native module (no JSON round trip).

Async: ``verify_async`` / ``hydrate_async`` answer on the event loop thread when no fetch is
needed (a warm verify costs the sync one plus about a microsecond), and otherwise run the fetch
and verification on pocket-sign's fetch thread pool with the GIL released.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._async import run_blocking
from ._log import verification_failed
from .errors import JwtBaseError, ParameterValidationError

CustomJwtCheck = Callable[..., Any]
Verified = Tuple[Dict[str, Any], Optional[Dict[str, Any]]]

__all__ = ["JwtVerifier"]


class _JwksVerifying:
    """Verification methods shared by :class:`JwtVerifier` and ``CognitoJwtVerifier``.

    Needs ``self._native`` (a ``_native.JwtVerifier``) and ``self._checks`` (issuer ->
    ``custom_jwt_check`` or ``None``).
    """

    _native: _native.JwtVerifier
    _checks: Dict[Optional[str], Optional[CustomJwtCheck]]
    _kind: str = "JWT"

    @property
    def _with_header(self) -> bool:
        # The header is decoded for Python only when a custom_jwt_check needs it.
        want: Optional[bool] = self.__dict__.get("_want_header")
        if want is None:
            want = self.__dict__["_want_header"] = any(c is not None for c in self._checks.values())
        return want

    def verify(self, token: str) -> Dict[str, Any]:
        """Verifies ``token`` and returns its claims; fetches the JWKS if needed (blocking, GIL
        released during the fetch and the signature check).

        :raises JwtBaseError: a subclass naming the failed check.
        """
        try:
            return self._finish(self._native.verify(token, self._with_header))
        except JwtBaseError as exc:
            verification_failed(self._kind, exc)
            raise

    async def verify_async(self, token: str) -> Dict[str, Any]:
        """:meth:`verify` for async code: answers at once when no key fetch is needed, else
        awaits the fetch and verification on pocket-sign's fetch thread pool (the event loop keeps
        running; concurrent calls share one fetch)."""
        try:
            with_header = self._with_header
            warm = self._native.verify_warm(token, with_header)
            if warm is None:
                warm = await run_blocking(self._native.verify, token, with_header)
            return self._finish(warm)
        except JwtBaseError as exc:
            verification_failed(self._kind, exc)
            raise

    def verify_cached(self, token: str) -> Dict[str, Any]:
        """Like :meth:`verify` without any I/O (aws-jwt-verify's ``verifySync``): the JWKS must be
        cached already (see :meth:`hydrate`), else :class:`JwksNotAvailableInCacheError`."""
        try:
            return self._finish(self._native.verify_cached(token, self._with_header))
        except JwtBaseError as exc:
            verification_failed(self._kind, exc)
            raise

    verify_sync = verify_cached

    def hydrate(self) -> None:
        """Fetches and caches the JWKS of every issuer now (e.g. at startup; blocking)."""
        self._native.hydrate()

    async def hydrate_async(self) -> None:
        """:meth:`hydrate` for async code (runs on pocket-sign's fetch thread pool)."""
        await run_blocking(self._native.hydrate)

    def _finish(self, verified: Verified) -> Dict[str, Any]:
        payload, header = verified
        if header is not None:
            check = self._checks.get(payload.get("iss"))
            if check is not None:
                check(header=header, payload=payload, jwk=None)
        return payload


def _as_list(value: Optional[Union[str, Sequence[str]]], name: str) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    try:
        items = list(value)
    except TypeError:
        raise ParameterValidationError(f"{name} must be a str, a list of str, or None") from None
    if not all(isinstance(v, str) for v in items):
        raise ParameterValidationError(f"{name} must be a str, a list of str, or None")
    return items


class JwtVerifier(_JwksVerifying):
    """Verifies JWTs signed with a key of the issuer's JWKS (RS256/384/512, PS*, ES*, EdDSA).

    :param issuer: the exact expected ``iss``.
    :param audience: expected ``aud`` value(s); ``None`` disables the check (aws-jwt-verify's
        ``audience: null``).
    :param jwks_uri: the issuer's JWKS URL (``https://``; ``http://`` only to loopback).
    :param scope: required scopes (any one of them).
    :param grace_seconds: clock skew allowed on ``exp`` / ``nbf``, seconds.
    :param custom_jwt_check: called as ``custom_jwt_check(header=..., payload=..., jwk=None)``
        after every other check passed; raise to reject.
    :raises ParameterValidationError: (a ``ValueError``) for invalid parameters.

    Instances are safe to share between threads and event loops; keep one per process so the
    JWKS cache is reused. :meth:`create` accepts several issuers (the token's ``iss`` selects).
    """

    def __init__(
        self,
        issuer: str,
        audience: Optional[Union[str, Sequence[str]]],
        *,
        jwks_uri: str,
        scope: Optional[Union[str, Sequence[str]]] = None,
        grace_seconds: int = 0,
        custom_jwt_check: Optional[CustomJwtCheck] = None,
    ) -> None:
        self._init([self._config(issuer, audience, jwks_uri, scope, grace_seconds)], [custom_jwt_check])

    @staticmethod
    def _config(
        issuer: str,
        audience: Optional[Union[str, Sequence[str]]],
        jwks_uri: str,
        scope: Optional[Union[str, Sequence[str]]],
        grace_seconds: int,
    ) -> Dict[str, Any]:
        if not isinstance(issuer, str) or not issuer:
            raise ParameterValidationError("issuer must be a non-empty str")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise ParameterValidationError("jwks_uri must be a non-empty str")
        if not isinstance(grace_seconds, int) or isinstance(grace_seconds, bool) or grace_seconds < 0:
            raise ParameterValidationError("grace_seconds must be a non-negative int")
        return {
            "issuer": issuer,
            "audience": _as_list(audience, "audience"),
            "jwks_uri": jwks_uri,
            "scope": _as_list(scope, "scope"),
            "grace_seconds": grace_seconds,
        }

    def _init(self, configs: List[Dict[str, Any]], checks: List[Optional[CustomJwtCheck]]) -> None:
        self._configs = configs
        self._native = _native.JwtVerifier(configs)
        self._checks = {self._native.issuer(i): check for i, check in enumerate(checks)}

    @classmethod
    def create(cls, issuers: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]], **defaults: Any) -> "JwtVerifier":
        """aws-jwt-verify's ``JwtVerifier.create``: one issuer (a mapping of the constructor's
        arguments) or several (a list of mappings); ``defaults`` apply to every one."""
        if isinstance(issuers, Mapping):
            issuers = [issuers]
        configs: List[Dict[str, Any]] = []
        checks: List[Optional[CustomJwtCheck]] = []
        for item in issuers:
            props = {**defaults, **item}
            try:
                issuer = props.pop("issuer")
                audience = props.pop("audience")
                jwks_uri = props.pop("jwks_uri")
            except KeyError as e:
                raise ParameterValidationError(f"missing issuer property {e.args[0]!r}") from None
            checks.append(props.pop("custom_jwt_check", None))
            unknown = set(props) - {"scope", "grace_seconds"}
            if unknown:
                raise ParameterValidationError(f"unknown issuer properties: {sorted(unknown)}")
            configs.append(cls._config(issuer, audience, jwks_uri, props.get("scope"), props.get("grace_seconds", 0)))
        if not configs:
            raise ParameterValidationError("at least one issuer is required")
        self = cls.__new__(cls)
        self._init(configs, checks)
        return self

    def __repr__(self) -> str:
        return f"JwtVerifier({', '.join(c['issuer'] for c in self._configs)})"
