"""The Set-Cookie values pocket-sign renders for the SPA token, compared with what Django
itself renders for magic-pocket's spa_login (set_cookie with max_age, HttpOnly, Secure,
SameSite=Lax, Path=/) and spa_logout (delete_cookie with Path=/)."""
import secrets

import pytest

import django  # noqa: E402  (installed by tests/suites/25-spa.sh)

from django.conf import settings  # noqa: E402

if not settings.configured:
    settings.configure(DEFAULT_CHARSET="utf-8")
    django.setup()

import django.http.response as django_response  # noqa: E402
from django.http import HttpResponse  # noqa: E402

import upstream_spa_auth as upstream  # noqa: E402


class _FixedClock:
    def __init__(self, now):
        self.now = now

    def time(self):
        return float(self.now)


def django_login_cookie(monkeypatch, token: str, max_age: int, now: int) -> str:
    monkeypatch.setattr(django_response, "time", _FixedClock(now))
    response = HttpResponse()
    response.set_cookie(upstream.COOKIE_NAME, token, max_age=max_age, httponly=True,
                        secure=True, samesite="Lax", path="/")
    return response.cookies[upstream.COOKIE_NAME].OutputString()


@pytest.mark.parametrize("user_id,now,max_age", [
    ("42", 1_700_000_000, 604_800),
    ("vector-user", 0, 0),
    ("a.b-c_d@example.com", 1_234_567_890, 59),
    ("user!#$%&'*+^`|~", 951_782_399, 1),        # all cookie-safe punctuation
    ("ユーザー", 1_700_000_000, 3600),             # quoted by Python's http.cookies
    ("sp ace;semi\"quote\\back", 1_700_000_000, 3600),
    ("é", 4_107_542_399, 86_400),
])
def test_login_cookie_equals_django(cli, monkeypatch, user_id, now, max_age):
    secret = secrets.token_hex(32)
    r = cli.run("token", "issue", "--now", str(now), "--max-age", str(max_age), "--set-cookie",
                "--", user_id, env={"SPA_TOKEN_SECRET": secret})
    assert r.returncode == 0, r.stderr
    token = upstream.generate_token(user_id, secret=secret, max_age=max_age, now=now)
    assert r.stdout == django_login_cookie(monkeypatch, token, max_age, now) + "\n"


def test_logout_cookie_equals_django(cli):
    response = HttpResponse()
    response.delete_cookie(upstream.COOKIE_NAME, path="/")
    expected = response.cookies[upstream.COOKIE_NAME].OutputString()
    r = cli.run("token", "logout-cookie")
    assert (r.returncode, r.stdout) == (0, expected + "\n")
