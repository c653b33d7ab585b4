"""A minimal Django site for the SPA end-to-end test (bindings-wasm/test/spa_django.test.mjs).

``python django_app.py STATIC_DIR`` serves, on 127.0.0.1 and a free port printed as
``PORT <n>`` on stdout:

- ``GET /login?user=U&max_age=S``: ``pocket_sign.django.spa_auth.spa_login`` (the HttpOnly
  token cookie plus the readable companion session cookie), then a redirect to ``/app/``;
- ``GET /logout``: ``spa_logout``, then a redirect to ``/app/``;
- ``GET /app/`` and ``/app/<file>``: the SPA (index.html and its bundle) from STATIC_DIR.
"""

from __future__ import annotations

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django
from django.conf import settings

STATIC_DIR = os.path.abspath(sys.argv[1])
SECRET = "0123456789abcdef" * 4

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="end-to-end-test-only",
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import Http404, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.urls import path  # noqa: E402

from pocket_sign.django.spa_auth import spa_login, spa_logout  # noqa: E402

TYPES = {".html": "text/html", ".js": "text/javascript"}


def login(request):
    response = HttpResponseRedirect("/app/")
    return spa_login(response, request.GET["user"], secret=SECRET, max_age=int(request.GET.get("max_age", "600")))


def logout(request):
    return spa_logout(HttpResponseRedirect("/app/"))


def app(request, name="index.html"):
    file = os.path.join(STATIC_DIR, os.path.basename(name))
    if not os.path.isfile(file):
        raise Http404(name)
    with open(file, "rb") as f:
        return HttpResponse(f.read(), content_type=TYPES.get(os.path.splitext(file)[1], "application/octet-stream"))


urlpatterns = [
    path("login", login),
    path("logout", logout),
    path("app/", app),
    path("app/<str:name>", app),
]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()
