"""Exception hierarchy of pocket-sign.

Every exception raised by the package derives from :class:`PocketSignError`. Where the original
Python code pocket-sign replaces raised :class:`ValueError` (magic-pocket's ``spa_auth``, bad
keys given to botocore's signer, invalid parameters), the pocket-sign class also derives from
:class:`ValueError`, so existing ``except ValueError`` blocks keep working.

The JWT classes mirror aws-jwt-verify's error classes (``aws-jwt-verify/error``) by name and
hierarchy, so code written against that library reads the same in Python.

Every exception raised from the Rust core has a ``kind`` attribute: the core error's stable
kind, its variant name (``"Expired"``, ``"InvalidUrl"``, ``"Malformed"``), the same string the
``pocket-sign`` CLI prints and the npm package's ``PocketSignError.kind`` carries. The class
says the domain (``JwtExpiredError`` vs ``TokenExpiredError``); the kind says which check.
"""

from __future__ import annotations


class PocketSignError(Exception):
    """Base class of every pocket-sign exception."""

    #: Stable machine-readable kind (the Rust core's error kind), or the class name.
    kind: str = "PocketSignError"


# --- SPA tokens (magic-pocket's pocket.django.spa_auth) ---------------------------------------


class SpaTokenError(PocketSignError):
    """An SPA token could not be made or did not verify."""


class InvalidSecretError(SpaTokenError, ValueError):
    """The SPA token secret is missing or is not 64 hex characters (32 bytes)."""


class InvalidUserIdError(SpaTokenError, ValueError):
    """The user id cannot be put in a token (for example it contains ``:``)."""


class MalformedTokenError(SpaTokenError, ValueError):
    """The token is not ``{user_id}:{expiry}:{hex signature}``."""


class TokenExpiredError(SpaTokenError):
    """The token's expiry (unix seconds) is in the past."""


class BadSignatureError(SpaTokenError):
    """The token's HMAC-SHA256 signature does not match."""


# --- CloudFront signing ----------------------------------------------------------------------


class SigningError(PocketSignError):
    """A CloudFront signed URL, signed cookie or signature could not be produced."""


class InvalidKeyError(SigningError, ValueError):
    """The private key could not be read (not PEM / base64-of-PEM, wrong type, too weak)."""


class InvalidPolicyError(SigningError, ValueError):
    """The policy or its parameters are invalid (bad URL, IP range, times)."""


# --- Multi-tenancy (magic-pocket's Django Ninja example) ---------------------------------------


class TenantError(PocketSignError):
    """The tenant could not be resolved; ``kind`` is ``"Mismatch"`` (strict mode: the request's
    tenant differs from the token's claim), ``"InvalidMode"``, ``"ClaimNotString"`` or
    ``"NotProvided"``."""


# --- JWT (mirrors aws-jwt-verify) --------------------------------------------------------------


class JwtBaseError(PocketSignError):
    """Base class of the JWT verification errors (aws-jwt-verify ``JwtBaseError``)."""


class ParameterValidationError(JwtBaseError, ValueError):
    """The verifier was given invalid parameters."""


class JwtParseError(JwtBaseError, ValueError):
    """The token is not a well-formed compact JWS with JSON header and payload."""


class JwtInvalidSignatureError(JwtBaseError):
    """The token's signature does not verify with the selected JWK."""


class FailedAssertionError(JwtBaseError):
    """A value in the token did not match what was expected."""


class JwtInvalidSignatureAlgorithmError(FailedAssertionError):
    """The ``alg`` header is not allowed for the key (or is ``none``)."""


class JwtInvalidClaimError(FailedAssertionError):
    """A claim of the token is invalid."""


class JwtExpiredError(JwtInvalidClaimError):
    """The token's ``exp`` (plus grace seconds) is in the past."""


class JwtNotBeforeError(JwtInvalidClaimError):
    """The token's ``nbf`` is in the future."""


class JwtInvalidIssuerError(JwtInvalidClaimError):
    """The ``iss`` claim is not the expected issuer."""


class JwtInvalidAudienceError(JwtInvalidClaimError):
    """The ``aud`` claim is not an expected audience."""


class JwtInvalidScopeError(JwtInvalidClaimError):
    """The ``scope`` claim lacks every expected scope."""


class CognitoJwtInvalidGroupError(JwtInvalidClaimError):
    """The ``cognito:groups`` claim lacks every expected group."""


class CognitoJwtInvalidTokenUseError(JwtInvalidClaimError):
    """The ``token_use`` claim is not the expected one (``access`` / ``id``)."""


class CognitoJwtInvalidClientIdError(JwtInvalidClaimError):
    """The ``client_id`` (access) / ``aud`` (id) claim is not an expected client id."""


class JwtCustomCheckError(JwtInvalidClaimError):
    """The ``custom_jwt_check`` hook refused the token."""


class AlbJwtInvalidSignerError(JwtInvalidClaimError):
    """The ALB ``signer`` header is not the expected load balancer ARN."""


class AlbJwtInvalidClientIdError(JwtInvalidClaimError):
    """The ALB ``client`` header is not an expected client id."""


class JwtWithoutValidKidError(JwtBaseError):
    """The token header has no usable ``kid``."""


class JwkValidationError(JwtBaseError):
    """A JWK is malformed."""


class JwkInvalidUseError(JwkValidationError):
    """The JWK's ``use`` is not ``sig``."""


class JwkInvalidKtyError(JwkValidationError):
    """The JWK's ``kty`` does not match the token's algorithm."""


class JwksValidationError(JwtBaseError):
    """The JWKS document is malformed."""


class KidNotFoundInJwksError(JwtBaseError):
    """No JWK in the (refreshed) JWKS has the token's ``kid``."""


class WaitPeriodNotYetEndedJwkError(JwtBaseError):
    """The ``kid`` was just missed; the JWKS is not refetched again before the wait period ends."""


class JwksNotAvailableInCacheError(JwtBaseError):
    """The JWKS is not cached yet (``verify_cached`` / ``verify_sync`` without ``hydrate()``)."""


class FetchError(JwtBaseError):
    """Fetching the JWKS (or the ALB public key) failed."""


class NonRetryableFetchError(FetchError):
    """Fetching failed in a way that retrying will not fix (4xx, oversized response)."""


__all__ = [name for name, obj in list(globals().items()) if isinstance(obj, type) and issubclass(obj, Exception)]
