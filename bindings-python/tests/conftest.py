"""Shared pytest setup: one real Django configuration for every test module."""

from __future__ import annotations

import json
import os
import pathlib

import django
import pytest
from django.conf import settings

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="pocket-sign-tests",
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "pocket_sign.django",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        ROOT_URLCONF="ninja_urls",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()

# tests/suites/50-python.sh runs the suite against the wheel installed in a fresh virtualenv:
# make sure that is the package imported (not a source tree or another install).
if os.environ.get("POCKET_SIGN_EXPECT_PREFIX"):
    import pocket_sign

    assert pocket_sign.__file__.startswith(os.environ["POCKET_SIGN_EXPECT_PREFIX"]), pocket_sign.__file__


@pytest.fixture(scope="session")
def vectors_dir() -> pathlib.Path:
    return VECTORS


def load_vector(name: str) -> dict:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


class _SettingsProxy:
    """Minimal stand-in for pytest-django's ``settings`` fixture (override_settings based)."""

    def __init__(self) -> None:
        object.__setattr__(self, "_overrides", [])

    def __setattr__(self, name, value):
        from django.test.utils import override_settings

        o = override_settings(**{name: value})
        o.enable()
        self._overrides.append(o)

    def __getattr__(self, name):
        return getattr(settings, name)

    def _restore(self) -> None:
        for o in reversed(self._overrides):
            o.disable()
        self._overrides.clear()


@pytest.fixture
def dj_settings():
    proxy = _SettingsProxy()
    yield proxy
    proxy._restore()


@pytest.fixture(scope="session")
def cognito():
    from cognito_fixtures import start_peer

    peer = start_peer()
    yield peer
    peer.server.stop()
