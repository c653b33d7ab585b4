"""pocket_sign.ninja.CognitoAuth in the API of magic-pocket's Django Ninja example, with moto-issued
tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from pocket_sign.ninja import tenant_from_subdomain


@pytest.fixture
def api(cognito, dj_settings):
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
    return pool, dj_settings


def get(path, token=None, host="api.example.com", **headers):
    extra = {"HTTP_HOST": host}
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for k, v in headers.items():
        extra["HTTP_" + k.upper().replace("-", "_")] = v
    return Client().get(path, **extra)


def tok(pool, who, use):
    return pool.tokens[f"{who}@example.com"][use]


# --- authentication ----------------------------------------------------------------------


def test_access_token_authenticates_and_returns_the_example_dict(api):
    pool, s = api
    s.MULTI_TENANT_ENABLED = False  # moto's access tokens carry no tenant claim (see the tenant tests)
    r = get("/api/items/me", tok(pool, "alice", "access"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["token_use"] == "access"
    assert body["username"] == body["sub"]  # moto: username attribute is email -> username = sub
    assert body["email"] is None
    assert body["scope"] == "aws.cognito.signin.user.admin"


def test_id_token_route(api):
    pool, _ = api
    r = get("/api/items/me-id", tok(pool, "alice", "id"))
    assert r.status_code == 200, r.content
    assert r.json()["email"] == "alice@example.com"
    assert r.json()["tenant_id"] == "acme"
    assert r.json()["token_use"] == "id"


@pytest.mark.parametrize(
    "auth",
    [None, "Bearer", "Basic abc", "Bearer not-a-jwt", "Bearer a.b.c"],
)
def test_missing_or_invalid_token_is_401(api, auth):
    extra = {"HTTP_HOST": "api.example.com", "HTTP_X_TENANT_ID": "acme"}
    if auth is not None:
        extra["HTTP_AUTHORIZATION"] = auth
    r = Client().get("/api/items/", **extra)
    assert r.status_code == 401


def test_wrong_token_use_message(api):
    pool, _ = api
    r = get("/api/items/me", tok(pool, "alice", "id"), **{"X-Tenant-Id": "acme"})
    assert r.status_code == 401
    assert r.json() == {"detail": "Wrong token use: expected access, got id"}
    r = get("/api/items/me-id", tok(pool, "alice", "access"))
    assert r.status_code == 401
    assert r.json() == {"detail": "Wrong token use: expected id, got access"}


def test_client_id_messages(api, cognito):
    pool, s = api
    s.COGNITO_APP_CLIENT_ID = "another-client"
    r = get("/api/items/me", tok(pool, "alice", "access"), **{"X-Tenant-Id": "acme"})
    assert (r.status_code, r.json()) == (401, {"detail": "Invalid client_id"})
    r = get("/api/items/me-id", tok(pool, "alice", "id"))
    assert (r.status_code, r.json()) == (401, {"detail": "Invalid audience"})


@pytest.mark.parametrize("unset", [None, "", []])
def test_unset_client_id_is_a_configuration_error(api, unset):
    """The example accepted tokens of every app client when COGNITO_APP_CLIENT_ID was unset; the
    drop-in refuses to run (ImproperlyConfigured at construction and per request: a 500 for the
    operator, not a 401 and never an accept) until it is set or COGNITO_ANY_CLIENT_ID = True."""
    from django.core.exceptions import ImproperlyConfigured

    from pocket_sign.ninja import CognitoAuth

    pool, s = api
    token = tok(pool, "alice", "access")
    s.MULTI_TENANT_ENABLED = False  # only the client id matters here
    s.COGNITO_APP_CLIENT_ID = unset
    with pytest.raises(ImproperlyConfigured):
        CognitoAuth()
    try:
        r = get("/api/items/me", token)
    except ImproperlyConfigured:
        pass
    else:
        assert r.status_code == 500, (r.status_code, r.content)
    s.COGNITO_ANY_CLIENT_ID = True
    assert CognitoAuth().token_use == "access"
    r = get("/api/items/me", token)
    assert r.status_code == 200, r.content


def test_unknown_kid_and_expired(api, cognito):
    pool, _ = api
    minted = cognito.mint(cognito.access_claims(pool), kid="rotated-away")
    r = get("/api/items/me", minted, **{"X-Tenant-Id": "acme"})
    assert (r.status_code, r.json()) == (401, {"detail": "Unknown signing key"})
    expired = cognito.mint(cognito.access_claims(pool, exp=1))
    r = get("/api/items/me", expired, **{"X-Tenant-Id": "acme"})
    assert (r.status_code, r.json()) == (401, {"detail": "Unauthorized"})


def test_token_from_other_pool_is_401(api, cognito):
    r = get("/api/items/", cognito.pools["other"].tokens["carol@example.com"]["access"], **{"X-Tenant-Id": "zeta"})
    assert r.status_code == 401


# --- tenant: header mode ------------------------------------------------------------------


NO_CLAIM_403 = {"detail": "Tenant mismatch (header vs token: no custom:tenant_id claim)"}


def test_header_mode_access_token_without_claim_cannot_pick_a_tenant(api):
    """Cognito access tokens carry no custom:tenant_id: the header alone grants nothing (the
    Django Ninja example granted any X-Tenant-Id here, so any user could read any tenant)."""
    pool, s = api
    for tenant in ("tenant_a", "acme", "someone-elses-tenant"):
        r = get("/api/items/", tok(pool, "bob", "access"), **{"X-Tenant-Id": tenant})
        assert (r.status_code, r.json()) == (403, NO_CLAIM_403)
        r = get("/api/alerts/", tok(pool, "bob", "access"), **{"X-Tenant-Id": tenant})
        assert r.status_code == 403
    s.TENANT_STRICT = False  # not strict is not "trust the header"
    r = get("/api/items/", tok(pool, "bob", "access"), **{"X-Tenant-Id": "tenant_a"})
    assert (r.status_code, r.json()) == (403, NO_CLAIM_403)


def test_header_mode_access_token_with_claim(api, cognito):
    """An access token that carries the claim (as a pre token generation trigger adds it)."""
    pool, _ = api
    minted = cognito.mint(cognito.access_claims(pool, **{"custom:tenant_id": "tenant_a"}))
    r = get("/api/items/", minted, **{"X-Tenant-Id": "tenant_a"})
    assert r.status_code == 200
    assert [i["tenant_id"] for i in r.json()] == ["tenant_a", "tenant_a"]
    r = get("/api/alerts/", minted)
    assert r.status_code == 200
    assert {a["tenant_id"] for a in r.json()} == {"tenant_a"}
    assert r.json()[0]["owner_sub"] == r.json()[1]["owner_sub"] != ""
    r = get("/api/items/", minted, **{"X-Tenant-Id": "tenant_b"})
    assert (r.status_code, r.json()) == (403, {"detail": "Tenant mismatch (header vs token)"})


def test_trust_request_without_claim_is_explicit_and_warns_once(api, cognito, caplog, monkeypatch):
    import logging

    import pocket_sign.ninja as ninja_mod

    pool, s = api
    s.TENANT_TRUST_REQUEST_WITHOUT_CLAIM = True
    r = get("/api/items/", tok(pool, "bob", "access"), **{"X-Tenant-Id": "tenant_a"})
    assert r.status_code == 200
    assert [i["tenant_id"] for i in r.json()] == ["tenant_a", "tenant_a"]
    # A present claim still wins over the request.
    minted = cognito.mint(cognito.access_claims(pool, **{"custom:tenant_id": "tenant_a"}))
    assert get("/api/items/", minted, **{"X-Tenant-Id": "tenant_b"}).status_code == 403
    s.TENANT_STRICT = False
    r = get("/api/items/", minted, **{"X-Tenant-Id": "tenant_b"})
    assert r.status_code == 200 and r.json()[0]["tenant_id"] == "tenant_a"
    # One warning per process, when CognitoAuth is built (at URLconf import, i.e. startup).
    monkeypatch.setattr(ninja_mod, "_trust_warned", False)
    with caplog.at_level(logging.WARNING, logger="pocket_sign.ninja"):
        ninja_mod.CognitoAuth()
        ninja_mod.CognitoAuth("id")
    warnings = [r for r in caplog.records if "TENANT_TRUST_REQUEST_WITHOUT_CLAIM" in r.getMessage()]
    assert len(warnings) == 1
    s.TENANT_TRUST_REQUEST_WITHOUT_CLAIM = False
    monkeypatch.setattr(ninja_mod, "_trust_warned", False)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pocket_sign.ninja"):
        ninja_mod.CognitoAuth()
    assert not caplog.records


def test_header_mode_without_tenant_is_400(api):
    pool, _ = api
    r = get("/api/items/", tok(pool, "bob", "access"))
    assert (r.status_code, r.json()) == (400, {"detail": "Tenant not provided"})


def test_header_mode_id_token_claim_fallback(api):
    pool, _ = api
    r = get("/api/alerts/7", tok(pool, "alice", "id"))
    assert r.status_code == 200
    assert r.json()["tenant_id"] == "acme" and r.json()["id"] == 7


def test_header_mode_strict_mismatch_is_403(api):
    pool, _ = api
    r = get("/api/alerts/7", tok(pool, "alice", "id"), **{"X-Tenant-Id": "other"})
    assert (r.status_code, r.json()) == (403, {"detail": "Tenant mismatch (header vs token)"})
    r = get("/api/alerts/7", tok(pool, "alice", "id"), **{"X-Tenant-Id": "acme"})
    assert r.status_code == 200


def test_header_mode_non_strict_claim_wins(api):
    """TENANT_STRICT=False no longer lets the header override the claim (the example did)."""
    pool, s = api
    s.TENANT_STRICT = False
    r = get("/api/alerts/7", tok(pool, "alice", "id"), **{"X-Tenant-Id": "other"})
    assert r.status_code == 200 and r.json()["tenant_id"] == "acme"


def test_custom_tenant_header_name(api, cognito):
    pool, s = api
    s.TENANT_HEADER = "X-Org"
    minted = cognito.mint(cognito.access_claims(pool, **{"custom:tenant_id": "org1"}))
    r = get("/api/items/tenant", minted, **{"X-Org": "org1"})
    assert r.json() == {"tenant_id": "org1", "token_use": "access", "mode": "header"}
    r = get("/api/items/tenant", minted, **{"X-Org": "org2", "X-Tenant-Id": "org1"})
    assert r.status_code == 403
    r = get("/api/items/tenant", tok(pool, "bob", "access"), **{"X-Org": "org1"})
    assert r.status_code == 403


# --- tenant: subdomain mode ---------------------------------------------------------------


def test_subdomain_mode(api, cognito):
    pool, s = api
    s.TENANT_MODE = "subdomain"
    s.TENANT_MAIN_DOMAIN = "example.com"
    minted = cognito.mint(cognito.access_claims(pool, **{"custom:tenant_id": "globex"}))
    r = get("/api/items/tenant", minted, host="globex.example.com:8443")
    assert r.json() == {"tenant_id": "globex", "token_use": "access", "mode": "subdomain"}
    # a token without the claim cannot pick a tenant by host name
    r = get("/api/items/tenant", tok(pool, "bob", "access"), host="globex.example.com:8443")
    assert (r.status_code, r.json()) == (
        403,
        {"detail": "Tenant mismatch (subdomain vs token: no custom:tenant_id claim)"},
    )
    # strict: subdomain vs the id token's claim
    r = get("/api/alerts/1", tok(pool, "alice", "id"), host="globex.example.com")
    assert (r.status_code, r.json()) == (403, {"detail": "Tenant mismatch (subdomain vs token)"})
    r = get("/api/alerts/1", tok(pool, "alice", "id"), host="acme.example.com")
    assert r.status_code == 200 and r.json()["tenant_id"] == "acme"
    # no subdomain: falls back to the claim, or 400 without one
    r = get("/api/alerts/1", tok(pool, "alice", "id"), host="example.com")
    assert r.status_code == 200 and r.json()["tenant_id"] == "acme"
    r = get("/api/items/", tok(pool, "bob", "access"), host="example.com")
    assert r.status_code == 400
    # look-alike domain does not yield a tenant (documented deviation from magic-pocket's example)
    r = get("/api/items/", tok(pool, "bob", "access"), host="acme.evilexample.com")
    assert r.status_code == 400


def test_subdomain_mode_without_main_domain(api):
    pool, s = api
    s.TENANT_MODE = "subdomain"
    r = get("/api/items/tenant", tok(pool, "bob", "access"), host="initech.api.local")
    assert r.status_code == 403
    s.TENANT_TRUST_REQUEST_WITHOUT_CLAIM = True
    r = get("/api/items/tenant", tok(pool, "bob", "access"), host="initech.api.local")
    assert r.json()["tenant_id"] == "initech"
    r = get("/api/items/tenant", tok(pool, "bob", "access"), host="api.local")
    assert r.status_code == 400


def test_subdomain_helper():
    assert tenant_from_subdomain("a.example.com:80", "example.com") == "a"
    assert tenant_from_subdomain("example.com", "example.com") is None
    assert tenant_from_subdomain("a.evilexample.com", "example.com") is None
    assert tenant_from_subdomain("t.api.local", "") == "t"
    assert tenant_from_subdomain("", "") is None


# --- tenant: claim mode, disabled, invalid ------------------------------------------------


def test_claim_mode(api):
    pool, s = api
    s.TENANT_MODE = "claim"
    r = get("/api/alerts/3", tok(pool, "alice", "id"), **{"X-Tenant-Id": "ignored"})
    assert r.status_code == 200 and r.json()["tenant_id"] == "acme"
    r = get("/api/items/", tok(pool, "alice", "access"), **{"X-Tenant-Id": "ignored"})
    assert (r.status_code, r.json()) == (400, {"detail": "Tenant not provided"})


def test_custom_tenant_claim_name(api, cognito):
    pool, s = api
    s.TENANT_MODE = "claim"
    s.COGNITO_TENANT_CLAIM = "org"
    minted = cognito.mint(cognito.access_claims(pool, org="o-1"))
    r = get("/api/items/tenant", minted)
    assert r.json()["tenant_id"] == "o-1"


def test_multi_tenant_disabled(api):
    pool, s = api
    s.MULTI_TENANT_ENABLED = False
    r = get("/api/items/", tok(pool, "bob", "access"))
    assert r.status_code == 200 and r.json()[0]["tenant_id"] == "public"
    r = get("/api/items/tenant", tok(pool, "bob", "access"), **{"X-Tenant-Id": "x"})
    assert r.json()["tenant_id"] is None


def test_invalid_tenant_mode_is_500(api):
    pool, s = api
    s.TENANT_MODE = "cookie"
    r = get("/api/items/", tok(pool, "bob", "access"))
    assert (r.status_code, r.json()) == (500, {"detail": "Invalid TENANT_MODE"})


def test_preferred_token_use_setting(api):
    pool, s = api
    s.COGNITO_PREFERRED_TOKEN_USE = "id"
    from pocket_sign.ninja import CognitoAuth

    assert CognitoAuth().token_use == "id"
    assert CognitoAuth("access").token_use == "access"


def test_non_string_tenant_claim_is_401(api, cognito):
    pool, s = api
    s.TENANT_MODE = "claim"
    minted = cognito.mint(cognito.access_claims(pool, **{"custom:tenant_id": ["a", "b"]}))
    assert get("/api/items/tenant", minted).status_code == 401


def _tenant_cases():
    import json as _json

    from conftest import VECTORS

    return _json.loads((VECTORS / "jwt" / "jwt_vectors.json").read_text(encoding="utf-8"))["tenant_cases"]


@pytest.mark.parametrize("case", _tenant_cases(), ids=lambda c: c["name"])
def test_shared_tenant_vectors(case, dj_settings):
    """tests/vectors/jwt/jwt_vectors.json tenant_cases through resolve_tenant_id with a real request."""
    from django.test import RequestFactory
    from ninja.errors import HttpError

    from pocket_sign.ninja import resolve_tenant_id

    cfg = case["config"]
    dj_settings.MULTI_TENANT_ENABLED = cfg["enabled"]
    dj_settings.TENANT_MODE = cfg["mode"]
    dj_settings.TENANT_HEADER = cfg["header_name"]
    dj_settings.TENANT_STRICT = cfg["strict"]
    dj_settings.TENANT_MAIN_DOMAIN = cfg["main_domain"]
    dj_settings.COGNITO_TENANT_CLAIM = cfg["claim_name"]
    dj_settings.TENANT_TRUST_REQUEST_WITHOUT_CLAIM = cfg["trust_request_without_claim"]
    extra = {"HTTP_HOST": case["host"] or "api.example.com"}
    if case["header"] is not None:
        extra["HTTP_" + cfg["header_name"].upper().replace("-", "_")] = case["header"]
    request = RequestFactory().get("/", **extra)
    expected = case["expected"]
    if "tenant" in expected:
        assert resolve_tenant_id(request, case["claims"]) == expected["tenant"]
    elif expected["error"] == "NotProvided":
        assert resolve_tenant_id(request, case["claims"]) is None  # CognitoAuth answers 400
    else:
        with pytest.raises(HttpError) as info:
            resolve_tenant_id(request, case["claims"])
        assert info.value.status_code == {"Mismatch": 403, "ClaimMissing": 403, "ClaimNotString": 401}[expected["error"]]
