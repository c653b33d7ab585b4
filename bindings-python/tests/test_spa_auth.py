"""pocket_sign.django.spa_auth against magic-pocket's behaviour, with real Django objects."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

import pytest
from conftest import load_vector
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpResponse
from django.test import RequestFactory

from pocket_sign.django import spa_auth
from pocket_sign.django.spa_auth import (
    COOKIE_NAME,
    DEFAULT_MAX_AGE,
    SpaTokenCookieMiddleware,
    generate_token,
    spa_login,
    spa_logout,
    verify_token,
)
from pocket_sign.errors import InvalidSecretError, InvalidUserIdError, PocketSignError

SECRET = "0123456789abcdef" * 4
OTHER_SECRET = "fedcba9876543210" * 4


def reference_token(user_id: str, expiry: int, secret_hex: str) -> str:
    """The original algorithm, with the standard library only."""
    msg = f"{user_id}:{expiry}".encode()
    sig = hmac.new(bytes.fromhex(secret_hex), msg, hashlib.sha256).hexdigest()
    return f"{user_id}:{expiry}:{sig}"


def reference_verify(token: str, secret_hex: str) -> "str | None":
    parts = token.split(":")
    if len(parts) != 3:
        return None
    user_id, expiry_s, sig = parts
    try:
        expiry = int(expiry_s)
    except ValueError:
        return None
    if int(time.time()) > expiry:
        return None
    expected = hmac.new(bytes.fromhex(secret_hex), f"{user_id}:{expiry_s}".encode(), hashlib.sha256).hexdigest()
    return user_id if hmac.compare_digest(sig, expected) else None


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("SPA_TOKEN_SECRET", SECRET)
    return SECRET


@pytest.fixture
def no_secret_env(monkeypatch):
    monkeypatch.delenv("SPA_TOKEN_SECRET", raising=False)


# --- constants ---------------------------------------------------------------------------


def test_constants():
    assert COOKIE_NAME == "pocket-spa-token"
    assert DEFAULT_MAX_AGE == 604800 == 7 * 24 * 3600


# --- token ------------------------------------------------------------------------------


def test_generate_token_format(secret_env):
    before = int(time.time())
    token = generate_token("42")
    after = int(time.time())
    user_id, expiry, sig = token.split(":")
    assert user_id == "42"
    assert before + DEFAULT_MAX_AGE <= int(expiry) <= after + DEFAULT_MAX_AGE
    assert len(sig) == 64 and sig == sig.lower()
    int(sig, 16)


def test_generate_and_verify_roundtrip(secret_env):
    assert verify_token(generate_token("alice")) == "alice"


def test_non_string_user_id_is_formatted_with_str(secret_env):
    token = generate_token(42)
    assert token.startswith("42:")
    assert verify_token(token) == "42"


def test_explicit_secret_overrides_env(secret_env):
    token = generate_token("u1", secret=OTHER_SECRET)
    assert verify_token(token, secret=OTHER_SECRET) == "u1"
    assert verify_token(token) is None


def test_custom_max_age(secret_env):
    token = generate_token("u1", max_age=60)
    expiry = int(token.split(":")[1])
    assert abs(expiry - (int(time.time()) + 60)) <= 1


def test_same_as_stdlib_reference(secret_env, monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.9)
    token = generate_token("user-7", max_age=3600)
    assert token == reference_token("user-7", 1_700_003_600, SECRET)


@pytest.mark.parametrize("user_id", ["1", "42", "alice", "user@example.com", "ユーザー", "a b", "x" * 300])
def test_interop_with_reference_tokens(secret_env, user_id):
    expiry = int(time.time()) + 300
    ref = reference_token(user_id, expiry, SECRET)
    # Tokens made by the original algorithm verify here ...
    assert verify_token(ref) == user_id
    # ... and ours verify with the original algorithm.
    ours = generate_token(user_id, max_age=300)
    assert reference_verify(ours, SECRET) == user_id


def test_interop_random_secrets():
    for _ in range(20):
        secret = secrets.token_hex(32)
        uid = secrets.token_urlsafe(8).replace(":", "")
        exp = int(time.time()) + 100
        assert verify_token(reference_token(uid, exp, secret), secret=secret) == uid
        assert reference_verify(generate_token(uid, secret=secret, max_age=100), secret) == uid


def test_shared_vector():
    v = load_vector("spa_auth_vectors.json")
    assert v["cookie_name"] == COOKIE_NAME
    assert reference_token(v["user_id"], v["expiry"], v["secret_hex"]) == v["token"]
    assert verify_token(v["token"], secret=v["secret_hex"]) == v["user_id"]
    assert verify_token(v["token"], secret=OTHER_SECRET) is None


# --- expiry ------------------------------------------------------------------------------


def test_expired_token_rejected(secret_env):
    token = reference_token("u1", int(time.time()) - 1, SECRET)
    assert verify_token(token) is None


def test_negative_max_age_gives_expired_token(secret_env):
    assert verify_token(generate_token("u1", max_age=-10)) is None


def test_expiry_boundary(secret_env, monkeypatch):
    now = 1_800_000_000
    token = reference_token("u1", now, SECRET)
    monkeypatch.setattr(time, "time", lambda: float(now))
    assert verify_token(token) == "u1"  # now == expiry is still valid
    monkeypatch.setattr(time, "time", lambda: float(now + 1))
    assert verify_token(token) is None  # now > expiry


# --- tamper ------------------------------------------------------------------------------


def test_tampered_user_id(secret_env):
    token = generate_token("alice")
    _, exp, sig = token.split(":")
    assert verify_token(f"mallory:{exp}:{sig}") is None


def test_tampered_expiry(secret_env):
    token = generate_token("alice", max_age=10)
    uid, exp, sig = token.split(":")
    assert verify_token(f"{uid}:{int(exp) + 100000}:{sig}") is None


@pytest.mark.parametrize("pos", [0, 31, 63])
def test_tampered_signature(secret_env, pos):
    token = generate_token("alice")
    uid, exp, sig = token.split(":")
    flipped = sig[:pos] + ("0" if sig[pos] != "0" else "1") + sig[pos + 1 :]
    assert verify_token(f"{uid}:{exp}:{flipped}") is None


def test_uppercase_signature_rejected(secret_env):
    token = generate_token("alice")
    uid, exp, sig = token.split(":")
    if sig.upper() != sig:
        assert verify_token(f"{uid}:{exp}:{sig.upper()}") is None


def test_wrong_secret(secret_env):
    assert verify_token(generate_token("alice"), secret=OTHER_SECRET) is None


# --- malformed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a:b",
        "a:b:c:d",
        "u1:notanint:" + "0" * 64,
        "u1::" + "0" * 64,
        "u1:99999999999999999999999999999:" + "0" * 64,
        ":::",
        "\x00:1:2",
        "u1:9999999999:zz",
    ],
)
def test_malformed_tokens(secret_env, token):
    assert verify_token(token) is None


def test_non_string_token(secret_env):
    assert verify_token(None) is None  # type: ignore[arg-type]


def test_user_id_with_colon_raises_value_error(secret_env):
    with pytest.raises(ValueError):
        generate_token("a:b")
    with pytest.raises(InvalidUserIdError):
        generate_token("a:b")


def test_missing_secret_raises_value_error(no_secret_env):
    with pytest.raises(ValueError):
        generate_token("u1")
    with pytest.raises(ValueError):
        verify_token("u1:1:00")
    with pytest.raises(InvalidSecretError) as info:
        generate_token("u1")
    assert isinstance(info.value, PocketSignError)


@pytest.mark.parametrize("bad", ["nothex", "0" * 63, "00" * 16, "00" * 33])
def test_invalid_secret_raises_value_error(bad):
    with pytest.raises(ValueError):
        generate_token("u1", secret=bad)


def test_key_is_cached_per_secret(secret_env):
    spa_auth._key_for.cache_clear()
    generate_token("a")
    verify_token(generate_token("b"))
    info = spa_auth._key_for.cache_info()
    assert info.misses == 1 and info.hits >= 1  # verify_token caches its key natively


def test_thread_safety(secret_env):
    errors = []

    def work(i):
        for j in range(200):
            uid = f"t{i}-{j}"
            if verify_token(generate_token(uid)) != uid:
                errors.append(uid)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# --- cookie attributes -------------------------------------------------------------------


def test_spa_login_cookie_attributes(secret_env):
    response = HttpResponse()
    spa_login(response, 42)
    morsel = response.cookies[COOKIE_NAME]
    assert verify_token(morsel.value) == "42"
    assert morsel["max-age"] == DEFAULT_MAX_AGE
    assert morsel["httponly"] is True
    assert morsel["secure"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    header = morsel.output(header="").strip()
    assert "HttpOnly" in header and "Secure" in header and "SameSite=Lax" in header and "Path=/" in header


def test_spa_login_custom_max_age_and_secret(no_secret_env):
    response = HttpResponse()
    spa_login(response, "u9", secret=OTHER_SECRET, max_age=120)
    morsel = response.cookies[COOKIE_NAME]
    assert morsel["max-age"] == 120
    assert verify_token(morsel.value, secret=OTHER_SECRET) == "u9"


def test_spa_login_without_secret_raises(no_secret_env):
    with pytest.raises(ValueError):
        spa_login(HttpResponse(), "u1")


def test_spa_logout_deletes_cookie():
    response = HttpResponse()
    spa_logout(response)
    morsel = response.cookies[COOKIE_NAME]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert morsel["path"] == "/"
    assert "1970" in morsel["expires"]


# --- middleware ---------------------------------------------------------------------------

rf = RequestFactory()


def make_user(pk):
    user = User(username=f"user{pk}")
    user.pk = pk
    return user


def run_middleware(user, cookie=None, middleware_cls=SpaTokenCookieMiddleware):
    request = rf.get("/")
    if cookie is not None:
        request.COOKIES[COOKIE_NAME] = cookie
    request.user = user
    response = HttpResponse("ok")
    mw = middleware_cls(lambda req: response)
    out = mw(request)
    assert out is response
    return out


def test_middleware_issues_cookie_for_authenticated_user(secret_env):
    response = run_middleware(make_user(7))
    morsel = response.cookies[COOKIE_NAME]
    assert verify_token(morsel.value) == "7"
    assert morsel["max-age"] == DEFAULT_MAX_AGE
    assert morsel["httponly"] is True and morsel["secure"] is True and morsel["samesite"] == "Lax"


def test_middleware_keeps_valid_cookie(secret_env):
    response = run_middleware(make_user(7), cookie=generate_token("7"))
    assert COOKIE_NAME not in response.cookies


def test_middleware_reissues_expired_cookie(secret_env):
    expired = reference_token("7", int(time.time()) - 5, SECRET)
    response = run_middleware(make_user(7), cookie=expired)
    assert verify_token(response.cookies[COOKIE_NAME].value) == "7"


def test_middleware_reissues_invalid_cookie(secret_env):
    response = run_middleware(make_user(7), cookie="garbage")
    assert verify_token(response.cookies[COOKIE_NAME].value) == "7"


def test_middleware_reissues_cookie_signed_with_other_secret(secret_env):
    response = run_middleware(make_user(7), cookie=generate_token("7", secret=OTHER_SECRET))
    assert verify_token(response.cookies[COOKIE_NAME].value) == "7"


def test_middleware_reissues_on_user_switch(secret_env):
    response = run_middleware(make_user(8), cookie=generate_token("7"))
    assert verify_token(response.cookies[COOKIE_NAME].value) == "8"


def test_middleware_deletes_cookie_for_anonymous(secret_env):
    response = run_middleware(AnonymousUser(), cookie=generate_token("7"))
    morsel = response.cookies[COOKIE_NAME]
    assert morsel.value == "" and morsel["max-age"] == 0


def test_middleware_anonymous_without_cookie_untouched(secret_env):
    response = run_middleware(AnonymousUser())
    assert COOKIE_NAME not in response.cookies


def test_middleware_without_user_attribute(secret_env):
    request = rf.get("/")
    response = HttpResponse()
    assert SpaTokenCookieMiddleware(lambda r: response)(request) is response
    assert COOKIE_NAME not in response.cookies


def test_middleware_noop_without_secret(no_secret_env):
    assert COOKIE_NAME not in run_middleware(make_user(7)).cookies
    assert COOKIE_NAME not in run_middleware(AnonymousUser(), cookie="7:1:00").cookies


def test_middleware_subclass_hooks(secret_env):
    calls = []

    class Custom(SpaTokenCookieMiddleware):
        def _should_issue(self, request):
            calls.append(request.path)
            return request.path == "/"

        def _max_age(self):
            return 3600

    response = run_middleware(make_user(5), cookie=generate_token("5"), middleware_cls=Custom)
    assert calls == ["/"]
    morsel = response.cookies[COOKIE_NAME]
    assert morsel["max-age"] == 3600
    expiry = int(morsel.value.split(":")[1])
    assert abs(expiry - (int(time.time()) + 3600)) <= 1


def test_middleware_subclass_can_suppress_issue(secret_env):
    class Never(SpaTokenCookieMiddleware):
        def _should_issue(self, request):
            return False

    assert COOKIE_NAME not in run_middleware(make_user(5), middleware_cls=Never).cookies



# --- companion session cookie (read by the SPA; the token cookie stays HttpOnly) ----------


def test_spa_login_sets_readable_companion_cookie(secret_env):
    from pocket_sign.django.spa_auth import SESSION_COOKIE_NAME

    response = HttpResponse()
    spa_login(response, "al ice", max_age=300)
    token = response.cookies[COOKIE_NAME].value
    companion = response.cookies[SESSION_COOKIE_NAME]
    user, expiry, _sig = token.split(":")
    assert companion.value == f"al%20ice:{expiry}"
    assert companion["httponly"] in ("", False)
    assert companion["max-age"] == 300
    assert companion["secure"] is True
    assert companion["samesite"] == "Lax"
    assert companion["path"] == "/"
    assert response.cookies[COOKIE_NAME]["httponly"] is True
    # Cookie-safe: Django writes it unquoted.
    assert f"{SESSION_COOKIE_NAME}=al%20ice:{expiry};" in companion.output(header="")


def test_spa_logout_deletes_companion_cookie():
    from pocket_sign.django.spa_auth import SESSION_COOKIE_NAME

    response = HttpResponse()
    spa_logout(response)
    morsel = response.cookies[SESSION_COOKIE_NAME]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert morsel["path"] == "/"
