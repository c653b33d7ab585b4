"""Django: SpaTokenCookieMiddleware in sync and async stacks, pocket_sign.ninja.CognitoAuth on
async operations, and the ``pocket_sign.django`` system checks."""

from __future__ import annotations

import asyncio
import base64
import threading

import pytest
from asgiref.sync import iscoroutinefunction
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.http import HttpResponse
from django.test import AsyncClient, RequestFactory

from pocket_sign.django.spa_auth import COOKIE_NAME, SpaTokenCookieMiddleware, generate_token, verify_token

SECRET = "0123456789abcdef" * 4
rf = RequestFactory()


class User:
    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


# --- SpaTokenCookieMiddleware ------------------------------------------------------------


def test_middleware_is_sync_and_async_capable(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    assert SpaTokenCookieMiddleware.sync_capable and SpaTokenCookieMiddleware.async_capable
    sync_mw = SpaTokenCookieMiddleware(lambda r: HttpResponse("ok"))
    assert not iscoroutinefunction(sync_mw)

    async def get_response(request):
        return HttpResponse("ok")

    async_mw = SpaTokenCookieMiddleware(get_response)
    assert iscoroutinefunction(async_mw), "Django must see the instance as async"


def test_async_middleware_issues_with_auser_and_never_touches_request_user(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    loop_thread = []

    async def get_response(request):
        loop_thread.append(threading.get_ident())
        return HttpResponse("ok")

    async def auser():
        return User(7)

    request = rf.get("/")
    request.auser = auser
    # No request.user at all (it would hit the database synchronously on the event loop): the
    # cookie can only be issued from auser().
    assert not hasattr(request, "user")
    response = asyncio.run(SpaTokenCookieMiddleware(get_response)(request))
    assert verify_token(response.cookies[COOKIE_NAME].value) == "7"

    # Anonymous with a stale cookie: deleted; valid cookie of the same user: left alone.
    async def anon():
        return AnonymousUser()

    request = rf.get("/")
    request.auser = anon
    request.COOKIES[COOKIE_NAME] = "7:1:00"
    response = asyncio.run(SpaTokenCookieMiddleware(get_response)(request))
    assert response.cookies[COOKIE_NAME]["max-age"] == 0

    request = rf.get("/")
    request.auser = auser
    request.COOKIES[COOKIE_NAME] = generate_token("7")
    response = asyncio.run(SpaTokenCookieMiddleware(get_response)(request))
    assert COOKIE_NAME not in response.cookies


def test_async_middleware_runs_subclass_hook_off_the_loop(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    seen = []

    class Custom(SpaTokenCookieMiddleware):
        def _should_issue(self, request):
            seen.append(threading.get_ident())
            return True

    async def get_response(request):
        seen.append(threading.get_ident())
        return HttpResponse("ok")

    async def auser():
        return User(3)

    request = rf.get("/")
    request.auser = auser
    response = asyncio.run(Custom(get_response)(request))
    assert verify_token(response.cookies[COOKIE_NAME].value) == "3"
    assert len(seen) == 2 and seen[0] != seen[1], "the sync hook ran in a worker thread"


# --- Ninja CognitoAuth on an async operation ---------------------------------------------


@pytest.fixture
def ninja_settings(cognito, dj_settings):
    pool = cognito.pools["main"]
    dj_settings.AWS_REGION = "ap-northeast-1"
    dj_settings.COGNITO_USER_POOL_ID = pool.id
    dj_settings.COGNITO_APP_CLIENT_ID = pool.client_id
    dj_settings.COGNITO_JWKS_URL = pool.jwks_uri
    dj_settings.MULTI_TENANT_ENABLED = True
    dj_settings.TENANT_MODE = "header"
    dj_settings.TENANT_HEADER = "X-Tenant-Id"
    dj_settings.TENANT_STRICT = True
    dj_settings.TENANT_MAIN_DOMAIN = ""
    dj_settings.COGNITO_TENANT_CLAIM = "custom:tenant_id"
    return pool


def test_ninja_async_operation_uses_verify_async(ninja_settings, cognito, monkeypatch):
    import pocket_sign.ninja as ninja_mod

    def no_sync(*a, **k):
        raise AssertionError("the async operation used the blocking verify")

    monkeypatch.setattr(ninja_mod, "verify_cognito_jwt", no_sync)
    plain = ninja_settings.tokens["alice@example.com"]["access"]
    # An access token with the tenant claim (what a pre token generation trigger adds).
    token = cognito.mint(cognito.access_claims(ninja_settings, **{"custom:tenant_id": "acme"}))

    async def call(tok, **headers):
        return await AsyncClient().get("/api/items/me-async", headers={"Authorization": f"Bearer {tok}", **headers})

    # The header alone grants nothing on the async path either (no tenant claim: 403).
    r = asyncio.run(call(plain, **{"X-Tenant-Id": "acme"}))
    assert r.status_code == 403, r.content
    r = asyncio.run(call(token, **{"X-Tenant-Id": "acme"}))
    assert r.status_code == 200, r.content
    assert r.json()["tenant_id"] == "acme"
    sub = r.json()["sub"]
    assert sub
    assert asyncio.run(call(plain)).status_code == 400  # no claim, no header: tenant not provided
    assert asyncio.run(call(token[:-4] + "AAAA", **{"X-Tenant-Id": "acme"})).status_code == 401
    r = asyncio.run(AsyncClient().get("/api/items/me-async"))
    assert r.status_code == 401


# --- system checks ----------------------------------------------------------------------


def ids(errors):
    return sorted(e.id for e in errors)


def run_checks():
    return [e for e in checks.run_checks(tags=["pocket_sign"]) if e.id.startswith("pocket_sign.")]


@pytest.fixture
def clean_env(monkeypatch):
    import os

    for k in list(os.environ):
        if k == "SPA_TOKEN_SECRET" or k.endswith("_PEM_BASE64") or k.endswith("_ID") and k.startswith("CF_"):
            monkeypatch.delenv(k)
    return monkeypatch


def test_checks_are_registered_by_the_app(clean_env, dj_settings):
    dj_settings.TENANT_MODE = "nonsense"
    errs = run_checks()
    assert "pocket_sign.E007" in ids(errs)
    e = next(e for e in errs if e.id == "pocket_sign.E007")
    assert e.hint and "header" in e.hint


def test_spa_secret_checks(clean_env, dj_settings):
    from pocket_sign.django.checks import check_spa_secret

    dj_settings.MIDDLEWARE = ["pocket_sign.django.spa_auth.SpaTokenCookieMiddleware"]
    assert ids(check_spa_secret({})) == ["pocket_sign.E001"]
    dj_settings.MIDDLEWARE = []
    assert check_spa_secret({}) == []
    short = "ab" * 16  # 16 bytes: upstream accepted it, every request would then fail
    errs = check_spa_secret({"SPA_TOKEN_SECRET": short})
    assert ids(errs) == ["pocket_sign.E002"] and short not in errs[0].msg and errs[0].hint
    assert ids(check_spa_secret({"SPA_TOKEN_SECRET": "zz" * 32})) == ["pocket_sign.E002"]
    assert check_spa_secret({"SPA_TOKEN_SECRET": SECRET}) == []


def test_cloudfront_key_checks(clean_env, dj_settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from pocket_sign.django.checks import check_cloudfront_keys

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    good = base64.b64encode(pem).decode()
    assert check_cloudfront_keys({"CF_MEDIA_KEY_PEM_BASE64": good, "CF_MEDIA_KEY_ID": "K2JCJMDEHXQW5F"}) == []
    assert ids(check_cloudfront_keys({"CF_MEDIA_KEY_PEM_BASE64": good})) == ["pocket_sign.E003"]
    bad = base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n").decode()
    errs = check_cloudfront_keys({"CF_MEDIA_KEY_PEM_BASE64": bad, "CF_MEDIA_KEY_ID": "K2JCJMDEHXQW5F"})
    assert ids(errs) == ["pocket_sign.E004"] and bad not in errs[0].msg
    dj_settings.POCKET_SIGN_CLOUDFRONT_KEYS = ["CF_OTHER_KEY"]
    assert ids(check_cloudfront_keys({"CF_MEDIA_KEY_PEM_BASE64": bad})) == ["pocket_sign.E004"]


def test_cognito_checks(clean_env, dj_settings):
    import pocket_sign.ninja  # noqa: F401  (the Ninja auth is in use)
    from pocket_sign.django.checks import check_cognito_settings

    dj_settings.COGNITO_USER_POOL_ID = None
    dj_settings.COGNITO_APP_CLIENT_ID = None
    assert ids(check_cognito_settings()) == ["pocket_sign.E005", "pocket_sign.E006"]
    dj_settings.COGNITO_USER_POOL_ID = "not a pool"
    dj_settings.COGNITO_APP_CLIENT_ID = "client"
    assert ids(check_cognito_settings()) == ["pocket_sign.E005"]
    dj_settings.COGNITO_USER_POOL_ID = "ap-northeast-1_AbCdEf123"
    assert check_cognito_settings() == []
