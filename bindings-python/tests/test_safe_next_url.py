"""pocket_sign.django.spa_auth.safe_next_url: the login view's redirect target, with real Django
requests. magic-pocket's example login view did ``HttpResponseRedirect(request.GET.get("next",
"/"))`` and so followed any ``next`` (open redirect); every case marked "refused" below is one it
followed."""

from __future__ import annotations

import pytest
from django.http import HttpResponseRedirect
from django.test import RequestFactory

from pocket_sign.django.spa_auth import safe_next_url

HOST = "app.example.com"

REFUSED = [
    "https://evil.example",
    "https://evil.example/path?x=1",
    "http://evil.example",
    "//evil.example",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:///evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\x01javascript:alert(1)",
    "/\t/evil.example",  # browsers drop tabs and newlines: this is //evil.example
    "/\n/evil.example",
    "https://app.example.com.evil.example/",
    "https://app.example.com@evil.example/",
    "ftp://app.example.com/x",
    "",
]

KEPT = [
    "/",
    "/app",
    "/admin/users?page=2&q=a%20b",
    "/docs/#section",
    "page?x=1",
    "/%2F%2Fevil.example",  # percent-encoded: a path on this site, not a host
    f"https://{HOST}/app",
]


def _request(next_value, *, secure=False, host=HOST):
    data = {} if next_value is None else {"next": next_value}
    return RequestFactory().get("/login", data, HTTP_HOST=host, secure=secure)


@pytest.mark.parametrize("target", REFUSED)
def test_refused_targets_fall_back_to_default(target):
    assert safe_next_url(_request(target)) == "/"
    assert safe_next_url(_request(target), default="/home") == "/home"


@pytest.mark.parametrize("target", KEPT)
def test_same_site_targets_are_kept(target):
    assert safe_next_url(_request(target, secure=target.startswith("https:"))) == target


def test_missing_next_gives_default():
    assert safe_next_url(_request(None)) == "/"
    assert safe_next_url(_request(None), default="/dash") == "/dash"


def test_https_request_refuses_plain_http_on_same_host():
    """``require_https=request.is_secure()``: no downgrade from an HTTPS login page."""
    target = f"http://{HOST}/app"
    assert safe_next_url(_request(target, secure=True)) == "/"
    assert safe_next_url(_request(target, secure=False)) == target
    assert safe_next_url(_request(f"https://{HOST}/app", secure=True)) == f"https://{HOST}/app"


def test_host_is_the_requests_own_host():
    """Another host of ALLOWED_HOSTS ("*" in these tests) is still another site."""
    assert safe_next_url(_request(f"https://{HOST}/x", secure=True, host="other.example.com")) == "/"
    assert safe_next_url(_request("https://other.example.com/x", secure=True, host="other.example.com")) == (
        "https://other.example.com/x"
    )


def test_redirect_location_in_a_login_view():
    """The documented login view: the Location header never leaves the site."""

    def login_view(request):
        return HttpResponseRedirect(safe_next_url(request, default="/"))

    for target in REFUSED[:12]:
        assert login_view(_request(target))["Location"] == "/"
    assert login_view(_request("/admin/x?y=1"))["Location"] == "/admin/x?y=1"
