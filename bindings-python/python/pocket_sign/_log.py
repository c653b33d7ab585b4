"""The package logger, ``logging.getLogger("pocket_sign")`` (internal).

What is logged, and at which level:

- key fetches (JWKS, ALB public keys), from the Rust core where the fetch happens: INFO
  ``key fetch <url>: ok in <ms> ms``, WARNING ``key fetch <url>: failed in <ms> ms: <reason>``;
- lookups refused without fetching because the endpoint's refetch cool-down is running (an
  unknown ``kid``): DEBUG;
- verification failures: DEBUG, with the error class and kind only (``JwtExpiredError (Expired)``).

Never a token, a claim value, a secret or a key. Like every library, pocket-sign adds no
handler: configure ``logging`` (or Django's ``LOGGING``) to see these records.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("pocket_sign")


def verification_failed(what: str, exc: BaseException) -> None:
    """Logs a failed verification at DEBUG by its error class and kind, never its input."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s verification failed: %s (%s)", what, type(exc).__name__, getattr(exc, "kind", None))
