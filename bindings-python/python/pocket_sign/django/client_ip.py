"""Viewer IP parsing: a drop-in for magic-pocket's ``pocket.django.client_ip``.

``parse_viewer_ip(value)`` takes the ``X-Pocket-Viewer-Ip`` header value that pocket-sign's (and
magic-pocket's) generated viewer-request function sets from CloudFront's ``event.viewer.ip`` and
returns the address as canonical text (RFC 5952 for IPv6), or ``None``:

- ``'198.51.100.10'`` and ``'198.51.100.10:443'`` -> ``'198.51.100.10'``
- ``'2001:db8::1'``, ``'[2001:db8::1]:8080'`` and CloudFront's unbracketed
  ``'2001:db8::1:60776'`` -> ``'2001:db8::1'``
- ``''``, ``'not-an-ip'``, ``'999.999.999.999'`` -> ``None``

The parsing runs in the Rust core (``pocket_sign_core::origin_verify::parse_viewer_ip``).
Differences from the original, which used Python's :mod:`ipaddress`: IPv6 zone ids
(``fe80::1%eth0``) and values longer than 128 bytes give ``None``; it accepts ``bytes`` too; it
never raises, whatever the input.
"""

from __future__ import annotations

from typing import Optional, Union

from .. import _native

__all__ = ["parse_viewer_ip"]


def _as_bytes(value: Union[str, bytes, None]) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return None


def parse_viewer_ip(value: Union[str, bytes]) -> Optional[str]:
    """The IP address in a viewer-IP header value as canonical text, or ``None``."""
    raw = _as_bytes(value)
    if raw is None:
        return None
    return _native.parse_viewer_ip(raw)
