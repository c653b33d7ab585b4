"""Django system checks of pocket-sign's configuration (registered by the ``pocket_sign.django``
app, see :mod:`pocket_sign.django.apps`).

Each problem is a ``django.core.checks.Error`` with a stable id and a hint:

- ``pocket_sign.E001``: ``SPA_TOKEN_SECRET`` (environment) is not set while
  ``SpaTokenCookieMiddleware`` is in ``MIDDLEWARE`` (the middleware would silently do nothing).
- ``pocket_sign.E002``: ``SPA_TOKEN_SECRET`` is set but is not 64 hex characters (32 bytes).
- ``pocket_sign.E003``: a CloudFront key pair in the environment, ``{NAME}_PEM_BASE64``, has no
  ``{NAME}_ID`` (the CloudFront public key / key pair ID).
- ``pocket_sign.E004``: a CloudFront key ``{NAME}_PEM_BASE64`` does not parse as a private key
  (base64 of a PEM), or a name listed in ``settings.POCKET_SIGN_CLOUDFRONT_KEYS`` is missing.
- ``pocket_sign.E005``: ``settings.COGNITO_USER_POOL_ID`` is missing or not a user pool id
  (``{region}_{id}``) while ``pocket_sign.ninja`` (``CognitoAuth``) is in use.
- ``pocket_sign.E006``: ``settings.COGNITO_APP_CLIENT_ID`` is missing while
  ``pocket_sign.ninja`` is in use.
- ``pocket_sign.E007``: ``settings.TENANT_MODE`` is not ``header``, ``subdomain`` or ``claim``.

CloudFront key pairs are the names listed in ``settings.POCKET_SIGN_CLOUDFRONT_KEYS`` (e.g.
``["CF_MEDIA_KEY"]``) when that setting exists, else every ``*_PEM_BASE64`` environment variable
(magic-pocket's managed secrets ``{NAME}_ID`` / ``{NAME}_PEM_BASE64``). Messages name the
variable, never its value.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, List, Mapping, Optional

from django.conf import settings  # type: ignore[import-untyped]
from django.core.checks import Error  # type: ignore[import-untyped]

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_PEM_SUFFIX = "_PEM_BASE64"
_MIDDLEWARE = "pocket_sign.django.spa_auth.SpaTokenCookieMiddleware"
_TENANT_MODES = ("header", "subdomain", "claim")


def check_configuration(app_configs: Any = None, **kwargs: Any) -> List[Error]:
    """Runs every pocket-sign check against ``os.environ`` and the Django settings."""
    return (
        check_spa_secret(os.environ)
        + check_cloudfront_keys(os.environ)
        + check_cognito_settings()
        + check_tenant_mode()
    )


def _middleware_installed() -> bool:
    return any(str(m) == _MIDDLEWARE or str(m).endswith(".SpaTokenCookieMiddleware") for m in getattr(settings, "MIDDLEWARE", None) or ())


def check_spa_secret(environ: Mapping[str, str]) -> List[Error]:
    """E001 / E002: the SPA token secret."""
    secret = environ.get("SPA_TOKEN_SECRET")
    if not secret:
        if _middleware_installed():
            return [
                Error(
                    "SPA_TOKEN_SECRET is not set, so SpaTokenCookieMiddleware issues no SPA token cookie.",
                    hint="Set the environment variable SPA_TOKEN_SECRET to 64 hex characters "
                    "(e.g. `pocket-sign keygen spa-secret`), or remove the middleware.",
                    id="pocket_sign.E001",
                )
            ]
        return []
    if not _HEX64.fullmatch(secret):
        return [
            Error(
                f"SPA_TOKEN_SECRET is not 64 hex characters (it has {len(secret)} characters); "
                "every token operation would fail.",
                hint="Use a 32-byte secret written as 64 hex characters "
                "(e.g. `pocket-sign keygen spa-secret`); the CloudFront Function must use the same one.",
                id="pocket_sign.E002",
            )
        ]
    return []


def _cloudfront_names(environ: Mapping[str, str]) -> tuple[List[str], bool]:
    listed: Optional[Any] = getattr(settings, "POCKET_SIGN_CLOUDFRONT_KEYS", None)
    if listed is not None:
        return [str(n) for n in listed], True
    return sorted(k[: -len(_PEM_SUFFIX)] for k in environ if k.endswith(_PEM_SUFFIX) and len(k) > len(_PEM_SUFFIX)), False


def check_cloudfront_keys(environ: Mapping[str, str]) -> List[Error]:
    """E003 / E004: CloudFront key pairs ``{NAME}_ID`` + ``{NAME}_PEM_BASE64``."""
    from ..cloudfront import CloudFrontSigner
    from ..errors import PocketSignError

    errors: List[Error] = []
    names, explicit = _cloudfront_names(environ)
    for name in names:
        pem_var, id_var = f"{name}{_PEM_SUFFIX}", f"{name}_ID"
        if not environ.get(pem_var):
            if explicit:
                errors.append(
                    Error(
                        f"{pem_var} is not set (listed in POCKET_SIGN_CLOUDFRONT_KEYS).",
                        hint=f"Set {pem_var} to the base64 of the CloudFront private key PEM, "
                        "or remove the name from POCKET_SIGN_CLOUDFRONT_KEYS.",
                        id="pocket_sign.E004",
                    )
                )
            continue
        if not environ.get(id_var):
            errors.append(
                Error(
                    f"{pem_var} is set but {id_var} is not.",
                    hint=f"Set {id_var} to the CloudFront public key ID (key pair ID) of this key, e.g. K2JCJMDEHXQW5F.",
                    id="pocket_sign.E003",
                )
            )
            continue
        try:
            CloudFrontSigner.from_env(name, environ=dict(environ))
        except PocketSignError as exc:
            errors.append(
                Error(
                    f"{pem_var} / {id_var} do not make a CloudFront signing key: {type(exc).__name__}.",
                    hint=f"{pem_var} must be the base64 of a PEM private key (RSA 2048+ or ECDSA P-256) "
                    f"and {id_var} its CloudFront key ID; regenerate with `pocket-sign keygen cloudfront`.",
                    id="pocket_sign.E004",
                )
            )
    return errors


def _ninja_auth_in_use() -> bool:
    if "pocket_sign.ninja" in sys.modules:
        return True
    try:  # the URLconf imports the Ninja APIs (as Django's own URL checks do)
        from django.urls import get_resolver  # type: ignore[import-untyped]

        get_resolver().url_patterns
    except Exception:
        return False
    return "pocket_sign.ninja" in sys.modules


def _valid_pool_id(pool: Any) -> bool:
    # The core's rule (region, "_", 1-55 letters or digits), through the verifier's validation.
    from ..cognito import CognitoJwtVerifier
    from ..errors import ParameterValidationError

    try:
        CognitoJwtVerifier(str(pool), "check", "access")
    except ParameterValidationError:
        return False
    return True


def check_cognito_settings() -> List[Error]:
    """E005 / E006: Cognito settings needed by ``pocket_sign.ninja.CognitoAuth``."""
    if not _ninja_auth_in_use():
        return []
    errors: List[Error] = []
    pool = getattr(settings, "COGNITO_USER_POOL_ID", None)
    if not pool:
        errors.append(
            Error(
                "COGNITO_USER_POOL_ID is not set; pocket_sign.ninja.CognitoAuth cannot verify any token.",
                hint="Set COGNITO_USER_POOL_ID to the user pool id, e.g. 'ap-northeast-1_AbCdEf123'.",
                id="pocket_sign.E005",
            )
        )
    elif not _valid_pool_id(pool):
        errors.append(
            Error(
                f"COGNITO_USER_POOL_ID {str(pool)[:64]!r} is not a user pool id.",
                hint="A user pool id is '{region}_{id}', e.g. 'ap-northeast-1_AbCdEf123'.",
                id="pocket_sign.E005",
            )
        )
    if not getattr(settings, "COGNITO_APP_CLIENT_ID", None):
        errors.append(
            Error(
                "COGNITO_APP_CLIENT_ID is not set; pocket_sign.ninja.CognitoAuth cannot check the token's app client.",
                hint="Set COGNITO_APP_CLIENT_ID to the Cognito app client id the tokens are issued for.",
                id="pocket_sign.E006",
            )
        )
    return errors


def check_tenant_mode() -> List[Error]:
    """E007: ``TENANT_MODE``."""
    mode = getattr(settings, "TENANT_MODE", None)
    if mode is None or mode in _TENANT_MODES:
        return []
    return [
        Error(
            f"TENANT_MODE {str(mode)[:64]!r} is not one of {', '.join(_TENANT_MODES)}; every authenticated request would fail with 500.",
            hint="Set TENANT_MODE to 'header', 'subdomain' or 'claim' (or MULTI_TENANT_ENABLED = False).",
            id="pocket_sign.E007",
        )
    ]


__all__ = [
    "check_cloudfront_keys",
    "check_cognito_settings",
    "check_configuration",
    "check_spa_secret",
    "check_tenant_mode",
]
