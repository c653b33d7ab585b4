"""Shared-secret (HS256/384/512) JWTs with secret rotation: the ``JWT_SECRET`` setups where a
backend and a front end share one secret.

Rotation without logging anyone out: sign new tokens with a ``kid`` naming the new secret,
verify with a keyring holding the new secret under its kid and the old one (under its own kid,
or as the default for tokens issued without ``kid``), and drop the old secret once the longest
token signed with it has expired::

    from pocket_sign.hs_jwt import HmacJwtVerifier, sign
    token = sign({"sub": "42"}, os.environ["JWT_SECRET_2026_12"], kid="2026-12", expires_in=3600)
    verifier = HmacJwtVerifier({"2026-12": os.environ["JWT_SECRET_2026_12"]},
                               default=os.environ["JWT_SECRET"])
    claims = verifier.verify(token)

The token's ``kid`` selects exactly one secret (the Rust core's ``jwt::hs::HmacKeyring``): an
unknown kid raises :class:`~pocket_sign.errors.KidNotFoundInJwksError` without trying the other
secrets; a token without ``kid`` uses ``default`` or raises
:class:`~pocket_sign.errors.JwtWithoutValidKidError`. A keyring with only a ``default`` (one
secret, no rotation yet) verifies every token with it, ``kid`` or not. Secrets given as ``str``
are their UTF-8 bytes, as ``JWT_SECRET`` is read from the environment.
"""

from __future__ import annotations

import json
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _native

Secret = Union[str, bytes]


def _bytes(secret: Secret) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)


class HmacJwtVerifier:
    """Verifies HS* JWTs against a keyring.

    :param keyring: mapping of ``kid`` to secret (``str`` or ``bytes``, at least 32/48/64 bytes
        for HS256/384/512); at most 64 secrets, kids of 1 to 256 bytes.
    :param default: the secret for tokens without ``kid`` (the pre-rotation ``JWT_SECRET``).
    :param alg: ``"HS256"`` (default), ``"HS384"`` or ``"HS512"``; a token with another ``alg``
        raises ``JwtInvalidSignatureAlgorithmError``.
    :param issuer: accepted ``iss`` value(s); unchecked when None.
    :param audience: accepted ``aud`` value(s); unchecked when None.
    :param grace_seconds: clock skew allowed on ``exp`` / ``nbf``, seconds.
    :raises ParameterValidationError: (a ``ValueError``) for a short secret, a bad kid, too many
        secrets or an unknown ``alg``.

    Immutable and safe to share between threads.
    """

    def __init__(
        self,
        keyring: Mapping[str, Secret],
        *,
        default: Optional[Secret] = None,
        alg: str = "HS256",
        issuer: Union[None, str, Iterable[str]] = None,
        audience: Union[None, str, Iterable[str]] = None,
        grace_seconds: int = 0,
    ) -> None:
        keys = [(str(kid), _bytes(secret)) for kid, secret in keyring.items()]
        self._ring = _native.HmacJwtKeyring(keys, None if default is None else _bytes(default), alg)
        self._issuers: List[str] = [] if issuer is None else ([issuer] if isinstance(issuer, str) else list(issuer))
        self._audiences: Optional[List[str]] = (
            None if audience is None else ([audience] if isinstance(audience, str) else list(audience))
        )
        self._grace = int(grace_seconds)

    @property
    def kids(self) -> List[str]:
        """The configured kids, sorted (never the secrets)."""
        return list(self._ring.kids)

    def verify(self, token: str, *, now: Optional[int] = None) -> Dict[str, Any]:
        """Verify ``token`` and return its claims.

        :param now: verification time, unix seconds (default: the clock).
        :raises KidNotFoundInJwksError: the token's ``kid`` is not in the keyring.
        :raises JwtWithoutValidKidError: the token has no ``kid`` and there is no default.
        :raises JwtInvalidSignatureError, JwtExpiredError, ...: as aws-jwt-verify names them.
        """
        return self._ring.verify(token, self._issuers, self._audiences, self._grace, now)

    def __repr__(self) -> str:
        return f"HmacJwtVerifier(kids={self.kids!r}, <redacted>)"


def sign(
    claims: Mapping[str, Any],
    secret: Secret,
    *,
    alg: str = "HS256",
    kid: Optional[str] = None,
    expires_in: Optional[int] = None,
) -> str:
    """Issue an HS* JWT for ``claims`` with ``secret``; ``kid`` goes into the header (the id of
    the secret in the verifiers' keyring). ``expires_in`` (seconds) sets ``exp`` = now +
    ``expires_in`` and ``iat`` = now when absent.

    :raises ParameterValidationError: (a ``ValueError``) for a short secret or unserializable
        claims.
    """
    body = dict(claims)
    if expires_in is not None:
        now = int(time.time())
        body["exp"] = now + int(expires_in)
        body.setdefault("iat", now)
    return _native.hs_jwt_sign(json.dumps(body), _bytes(secret), alg, kid)


__all__ = ["HmacJwtVerifier", "sign"]
