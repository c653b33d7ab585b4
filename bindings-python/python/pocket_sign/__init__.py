"""pocket-sign: SPA tokens, CloudFront signed URLs/cookies and Cognito/ALB JWT verification.

A Rust core (``pocket_sign._native``) with thin Python layers that are drop-ins for the code
deployments in the magic-pocket style already use:

- :mod:`pocket_sign.django.spa_auth`: magic-pocket's ``pocket.django.spa_auth``.
- :mod:`pocket_sign.cloudfront`: botocore's ``CloudFrontSigner`` interface.
- :mod:`pocket_sign.cognito`: aws-jwt-verify's ``CognitoJwtVerifier`` in snake_case.
- :mod:`pocket_sign.jwt` / :mod:`pocket_sign.alb`: ``JwtVerifier`` (any issuer + JWKS URI) and
  ``AlbVerifier`` (``x-amzn-oidc-data``); every verifier has ``await verify_async(...)``.
- :mod:`pocket_sign.django.checks`: Django system checks (app ``pocket_sign.django``).
- :mod:`pocket_sign.ninja`: a Django Ninja ``HttpBearer`` for Cognito with tenant resolution.
- :mod:`pocket_sign.fastapi`: a FastAPI dependency for ALB ``x-amzn-oidc-*`` headers.
- :mod:`pocket_sign.keygen`: magic-pocket's managed secrets (SPA secret, password, CloudFront keys).

Every exception derives from :class:`pocket_sign.errors.PocketSignError`. The package logs to
``logging.getLogger("pocket_sign")`` (key fetches, cool-down refusals, verification failures by
kind; never a token, secret or key).
"""

from __future__ import annotations

from . import errors
from ._native import __version__
from .errors import PocketSignError

__all__ = ["PocketSignError", "__version__", "errors"]
