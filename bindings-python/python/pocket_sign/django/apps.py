"""Django app ``pocket_sign.django``: registers pocket-sign's system checks.

Add it to ``INSTALLED_APPS`` so that misconfiguration surfaces at ``manage.py check``,
``runserver`` and ``migrate`` (and ``check --deploy`` in CI), not at the first request:

```python
INSTALLED_APPS = [
    ...,
    "pocket_sign.django",
]
```

The checks are listed in :mod:`pocket_sign.django.checks`.
"""

from __future__ import annotations

from django.apps import AppConfig  # type: ignore[import-untyped]


class PocketSignConfig(AppConfig):  # type: ignore[misc]
    """The ``pocket_sign.django`` app (label ``pocket_sign``); no models."""

    name = "pocket_sign.django"
    label = "pocket_sign"
    verbose_name = "pocket-sign"

    def ready(self) -> None:
        from django.core import checks  # type: ignore[import-untyped]

        from .checks import check_configuration

        checks.register(check_configuration, "pocket_sign")
