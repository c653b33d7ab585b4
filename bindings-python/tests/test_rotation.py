"""Rotating every secret without logging anyone out, and media pages without a signature per URL.

Each rotation is simulated end to end: issue under the old secret, rotate, verify (Django
middleware / verifier), remove the previous secret, verify the refusal. The edge side of the SPA
token rotation runs in tests/cfunction/test/rotation.test.mjs (node vm and QuickJS).
"""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from pocket_sign import _native
from pocket_sign.cloudfront import CloudFrontSigner
from pocket_sign.django import spa_auth
from pocket_sign.django.spa_auth import (
    COOKIE_NAME,
    DEFAULT_MAX_AGE,
    MEDIA_COOKIE_NAMES,
    SpaTokenCookieMiddleware,
    generate_token,
    media_cookie_values,
    media_cookies_login,
    media_cookies_logout,
    spa_login,
    spa_logout,
    verify_token,
    verify_token_rotating,
)
from pocket_sign.errors import (
    InvalidSecretError,
    JwtInvalidSignatureError,
    JwtWithoutValidKidError,
    KidNotFoundInJwksError,
    ParameterValidationError,
)
from pocket_sign.hs_jwt import HmacJwtVerifier, sign

OLD = "11" * 32
NEW = "22" * 32
rf = RequestFactory()


def make_user(pk):
    user = User(username=f"user{pk}")
    user.pk = pk
    return user


def run_middleware(user, cookie=None):
    request = rf.get("/")
    if cookie is not None:
        request.COOKIES[COOKIE_NAME] = cookie
    request.user = user
    response = HttpResponse("ok")
    return SpaTokenCookieMiddleware(lambda req: response)(request)


# --- 1. SPA token secret ------------------------------------------------------------------


def test_spa_secret_rotation_in_django(monkeypatch):
    monkeypatch.delenv("SPA_TOKEN_SECRET_PREVIOUS", raising=False)
    monkeypatch.setenv("SPA_TOKEN_SECRET", OLD)
    old_token = generate_token("7")
    assert verify_token(old_token) == "7"

    # Rotate: new current secret, old one previous. The old token still verifies...
    monkeypatch.setenv("SPA_TOKEN_SECRET", NEW)
    monkeypatch.setenv("SPA_TOKEN_SECRET_PREVIOUS", OLD)
    assert verify_token(old_token) == "7"
    assert verify_token_rotating(old_token) == ("7", True)
    # ...new tokens use the current secret only...
    fresh = generate_token("7")
    assert verify_token_rotating(fresh) == ("7", False)
    assert verify_token(fresh, secret=OLD) is None
    # ...and the middleware re-issues the old cookie under the current secret, default max-age.
    before = int(time.time())
    response = run_middleware(make_user(7), cookie=old_token)
    morsel = response.cookies[COOKIE_NAME]
    assert morsel.value != old_token
    assert verify_token_rotating(morsel.value) == ("7", False)
    assert morsel["max-age"] == DEFAULT_MAX_AGE
    assert int(morsel.value.split(":")[1]) >= before + DEFAULT_MAX_AGE
    # A current-secret cookie is left alone; another user's old token is replaced.
    assert COOKIE_NAME not in run_middleware(make_user(7), cookie=fresh).cookies
    assert verify_token(run_middleware(make_user(8), cookie=old_token).cookies[COOKIE_NAME].value) == "8"

    # Remove the previous secret: the old token is refused, the middleware replaces it.
    monkeypatch.delenv("SPA_TOKEN_SECRET_PREVIOUS")
    assert verify_token(old_token) is None
    assert verify_token_rotating(old_token) is None
    assert verify_token(fresh) == "7"
    replaced = run_middleware(make_user(7), cookie=old_token).cookies[COOKIE_NAME].value
    assert verify_token(replaced) == "7"


def test_spa_previous_secret_from_django_settings(monkeypatch, dj_settings):
    monkeypatch.delenv("SPA_TOKEN_SECRET_PREVIOUS", raising=False)
    monkeypatch.setenv("SPA_TOKEN_SECRET", NEW)
    old_token = generate_token("5", secret=OLD)
    assert verify_token(old_token) is None
    dj_settings.SPA_TOKEN_SECRET_PREVIOUS = OLD
    assert verify_token(old_token) == "5"


def test_spa_rotation_errors_and_forgeries(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", NEW)
    monkeypatch.setenv("SPA_TOKEN_SECRET_PREVIOUS", "not-hex")
    with pytest.raises(InvalidSecretError) as e:
        verify_token("7:1:" + "0" * 64)
    assert "previous" in str(e.value) and "not-hex" not in str(e.value)
    monkeypatch.setenv("SPA_TOKEN_SECRET_PREVIOUS", OLD)
    third = generate_token("7", secret="33" * 32)
    assert verify_token(third) is None
    old = generate_token("7", secret=OLD)
    assert verify_token(old.replace("7:", "8:", 1)) is None
    assert verify_token_rotating(12345) is None  # type: ignore[arg-type]
    ring = _native.SpaTokenKeyring(NEW, OLD)
    assert ring.has_previous and "1111" not in repr(ring)
    now = int(time.time())
    assert ring.verify(ring.issue("9", now, 60), now)[2] is False
    assert ring.verify(old, now)[2] is True


# --- 2. shared-secret JWT (JWT_SECRET) ----------------------------------------------------


def test_jwt_secret_rotation_with_kid():
    old_secret, new_secret = "o" * 32, "n" * 32
    legacy = sign({"sub": "42"}, old_secret, expires_in=600)  # issued before the rotation
    single = HmacJwtVerifier({}, default=old_secret)
    assert single.verify(legacy)["sub"] == "42"

    fresh = sign({"sub": "42"}, new_secret, kid="2026-12", expires_in=600)
    during = HmacJwtVerifier({"2026-12": new_secret}, default=old_secret)
    assert during.verify(legacy)["sub"] == "42"
    assert during.verify(fresh)["sub"] == "42"
    assert during.kids == ["2026-12"] and "nnnn" not in repr(during)
    with pytest.raises(KidNotFoundInJwksError):
        during.verify(sign({"sub": "42"}, new_secret, kid="2027-06", expires_in=600))
    with pytest.raises(JwtInvalidSignatureError):
        during.verify(sign({"sub": "42"}, old_secret, kid="2026-12", expires_in=600))

    after = HmacJwtVerifier({"2026-12": new_secret})
    with pytest.raises(JwtWithoutValidKidError):
        after.verify(legacy)
    assert after.verify(fresh)["sub"] == "42"
    # PyJWT agrees on the tokens.
    jwt = pytest.importorskip("jwt")
    assert jwt.get_unverified_header(fresh)["kid"] == "2026-12"
    assert jwt.decode(fresh, new_secret, algorithms=["HS256"])["sub"] == "42"
    with pytest.raises(ParameterValidationError):
        HmacJwtVerifier({"k": "short"})


# --- 3. CloudFront key pair ---------------------------------------------------------------


def _key_pair():
    kp = _native.cloudfront_key_pair("rsa")
    return kp


def test_cloudfront_key_rotation_with_from_env(monkeypatch):
    old, new = _key_pair(), _key_pair()
    key_group = {}  # key id -> public key: what the distribution's trusted key group holds

    def edge_allows(url):
        base, query = url.split("?", 1)
        params = dict(p.split("=", 1) for p in query.split("&"))
        key = key_group.get(params["Key-Pair-Id"])
        if key is None:
            return False
        policy = _native.canned_policy_json(base, int(params["Expires"])).encode()
        try:
            key.verify(_native.cloudfront_b64_decode(params["Signature"]), policy, padding.PKCS1v15(), hashes.SHA1())
        except InvalidSignature:
            return False
        return True

    exp = datetime.now(timezone.utc) + timedelta(hours=1)
    url = "https://media.example.com/a.jpg"
    monkeypatch.setenv("CF_MEDIA_KEY_ID", "KOLD")
    monkeypatch.setenv("CF_MEDIA_KEY_PEM_BASE64", old["private_key_pem_base64"])
    key_group["KOLD"] = serialization.load_pem_public_key(old["public_key_pem"].encode())
    before = CloudFrontSigner.from_env("CF_MEDIA_KEY").generate_presigned_url(url, date_less_than=exp)
    assert edge_allows(before)
    key_group["KNEW"] = serialization.load_pem_public_key(new["public_key_pem"].encode())
    monkeypatch.setenv("CF_MEDIA_KEY_ID", "KNEW")
    monkeypatch.setenv("CF_MEDIA_KEY_PEM_BASE64", new["private_key_pem_base64"])
    after = CloudFrontSigner.from_env("CF_MEDIA_KEY").generate_presigned_url(url, date_less_than=exp)
    assert "Key-Pair-Id=KNEW" in after
    assert edge_allows(before) and edge_allows(after)
    del key_group["KOLD"]
    assert not edge_allows(before) and edge_allows(after)


# --- 4. media pages with CloudFront signed cookies ----------------------------------------


@pytest.fixture
def media_key(monkeypatch, dj_settings):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    monkeypatch.setenv("CF_MEDIA_KEY_ID", "KMEDIA123")
    monkeypatch.setenv("CF_MEDIA_KEY_PEM_BASE64", base64.b64encode(pem).decode())
    dj_settings.SESSION_COOKIE_AGE = 86400
    dj_settings.POCKET_SIGN_MEDIA_COOKIES = {
        "resource": "https://media.example.com/*",
        "domain": ".example.com",
        "key": "CF_MEDIA_KEY",
    }
    return private.public_key()


def edge_allows_cookies(public_key, cookies, url, now):
    """CloudFront's check of a custom-policy signed-cookie request (simulated): key id, the
    signature over the policy, the Resource match (the Rust core's `*` / `?` rules), the dates."""
    if cookies.get("CloudFront-Key-Pair-Id") != "KMEDIA123":
        return False
    policy = _native.cloudfront_b64_decode(cookies["CloudFront-Policy"])
    try:
        public_key.verify(
            _native.cloudfront_b64_decode(cookies["CloudFront-Signature"]), policy, padding.PKCS1v15(), hashes.SHA1()
        )
    except InvalidSignature:
        return False
    (statement,) = json.loads(policy)["Statement"]
    if not _native.cloudfront_resource_matches(statement["Resource"], url):
        return False
    return now < statement["Condition"]["DateLessThan"]["AWS:EpochTime"]


def test_media_cookies_login_and_logout(media_key):
    now = int(time.time())
    response = HttpResponse("ok")
    spa_login(response, "7", secret=NEW)
    media_cookies_login(response)
    cookies = {name: response.cookies[name].value for name in MEDIA_COOKIE_NAMES}
    for name in MEDIA_COOKIE_NAMES:
        m = response.cookies[name]
        assert m["domain"] == ".example.com" and m["path"] == "/"
        assert m["secure"] is True and m["httponly"] is True
        assert m["max-age"] == 86400
    header = response.cookies["CloudFront-Policy"].output(header="").strip()
    assert "Domain=.example.com" in header and "Secure" in header and "HttpOnly" in header
    policy = json.loads(_native.cloudfront_b64_decode(cookies["CloudFront-Policy"]))
    (statement,) = policy["Statement"]
    assert statement["Resource"] == "https://media.example.com/*"
    expiry = statement["Condition"]["DateLessThan"]["AWS:EpochTime"]
    assert now + 86400 <= expiry <= int(time.time()) + 86400  # expiry = session length
    # The policy JSON is botocore's byte for byte (same builder the URL signer uses).
    assert _native.cloudfront_b64_decode(cookies["CloudFront-Policy"]).decode() == _native.custom_policy_json(
        "https://media.example.com/*", expiry, None, None
    )

    for url in ["https://media.example.com/a.jpg", "https://media.example.com/users/7/p?.webp"]:
        assert edge_allows_cookies(media_key, cookies, url, now)
    for url in ["https://media.example.org/a.jpg", "https://www.example.com/a.jpg", "http://media.example.com/a"]:
        assert not edge_allows_cookies(media_key, cookies, url, now)
    assert not edge_allows_cookies(media_key, cookies, "https://media.example.com/a.jpg", expiry)
    wider = _native.cloudfront_b64_decode(cookies["CloudFront-Policy"]).replace(b"https://media.example.com/*", b"*")
    tampered = dict(cookies, **{"CloudFront-Policy": _native.cloudfront_b64_encode(wider)})
    assert not edge_allows_cookies(media_key, tampered, "https://media.example.com/a.jpg", now)

    # Logout clears the SPA token and the three media cookies, on the same domain.
    out = spa_logout(HttpResponse("bye"))
    for name in (COOKIE_NAME, *MEDIA_COOKIE_NAMES):
        assert out.cookies[name].value == "" and out.cookies[name]["max-age"] == 0
    for name in MEDIA_COOKIE_NAMES:
        assert out.cookies[name]["domain"] == ".example.com"


def test_media_cookie_configuration_errors(media_key, dj_settings):
    with pytest.raises(ImproperlyConfigured):
        media_cookie_values(resource="http://media.example.com/*")
    with pytest.raises(ImproperlyConfigured):
        media_cookies_login(HttpResponse(), domain="")
    values = media_cookie_values(max_age=60, now=1_900_000_000)
    statement = json.loads(_native.cloudfront_b64_decode(values["CloudFront-Policy"]))["Statement"][0]
    assert statement["Condition"]["DateLessThan"]["AWS:EpochTime"] == 1_900_000_060
    assert media_cookies_logout(HttpResponse(), domain=".example.net").cookies["CloudFront-Signature"]["domain"] == (
        ".example.net"
    )


def _storage(**options):
    from pocket_sign.storage import CloudFrontCookieS3Storage

    common = dict(bucket_name="media-bucket", access_key="AKIDEXAMPLE", secret_key="secret", region_name="ap-northeast-1")
    common.update(options)
    return CloudFrontCookieS3Storage(**common)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_storage_emits_unsigned_urls_the_cookies_authorise(media_key):
    storage = _storage(custom_domain="media.example.com", querystring_auth=True)
    now = int(time.time())
    cookies = media_cookie_values()
    page = [storage.url(f"photos/{i}/image {i}.jpg") for i in range(50)]
    for url in page:
        assert url.startswith("https://media.example.com/photos/")
        assert "Signature=" not in url and "Expires=" not in url and "Key-Pair-Id" not in url
        assert edge_allows_cookies(media_key, cookies, url, now)
    assert page[3] == "https://media.example.com/photos/3/image%203.jpg"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_storage_refuses_urls_outside_the_cookie_policy(media_key, dj_settings):
    with pytest.raises(ImproperlyConfigured):
        _storage()  # no custom_domain: S3 URLs would not carry the cookies
    with pytest.raises(ImproperlyConfigured):
        _storage(custom_domain="cdn.example.com")
    dj_settings.POCKET_SIGN_MEDIA_COOKIES = {"resource": "https://media.example.com/private/*", "domain": ".example.com"}
    with pytest.raises(ImproperlyConfigured):
        _storage(custom_domain="media.example.com")
    assert _storage(custom_domain="media.example.com", location="private").url("a.jpg") == (
        "https://media.example.com/private/a.jpg"
    )


def test_anonymous_request_untouched_by_media_helpers(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", NEW)
    request = rf.get("/")
    request.user = AnonymousUser()
    response = HttpResponse("ok")
    out = SpaTokenCookieMiddleware(lambda req: response)(request)
    assert not any(name in out.cookies for name in MEDIA_COOKIE_NAMES)
    assert spa_auth.MEDIA_COOKIE_NAMES == ("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id")
