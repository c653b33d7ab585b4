"""CloudFront signed URLs and signed cookies: a drop-in for botocore's ``CloudFrontSigner``.

``CloudFrontSigner(key_id, private_key)`` has botocore's interface
(``generate_presigned_url(url, date_less_than=None, policy=None)`` and
``build_policy(resource, date_less_than, date_greater_than=None, ip_address=None)``) and gives
byte-identical results for the same key, so it can be passed wherever botocore's signer is
used, for example as django-storages' ``cloudfront_signer``. ``private_key`` may be:

- a PEM private key (``str`` or ``bytes``; PKCS#1 ``RSA PRIVATE KEY``, PKCS#8 RSA or EC P-256),
- the PEM base64-encoded again (magic-pocket's ``{NAME}_PEM_BASE64`` env format),
- a botocore-style ``rsa_signer`` callable ``(message: bytes) -> bytes``.

With a key, the policy JSON, CloudFront base64 and validation run in the Rust core (the
signature is RSA PKCS#1 v1.5 + SHA-1 by default, per
https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-canned-policy.html);
URL and cookie assembly follow botocore's code here, so results are byte-identical to it.
Times are ``datetime`` objects (naive ones are taken as UTC, like botocore) or unix seconds
(``int``/``float``); they are truncated to whole seconds.

Signing back end (``CloudFrontSigner.backend``):

- ``"cryptography"``: chosen by default (``backend="auto"``) for RSA keys when the optional
  ``cryptography`` package is importable. Only the RSA private-key operation (PKCS#1 v1.5 with
  SHA-1 or SHA-256) is done by ``cryptography`` (OpenSSL: constant-time, blinded, what
  botocore users already run); the Rust core's SHA-1 RSA (RustCrypto ``rsa``) is ≈ 15-20x slower,
  because ring only verifies SHA-1. The key is parsed once, when the signer is built, and is
  checked to be the very key the Rust core parsed (same public key). PKCS#1 v1.5 is
  deterministic, so the output is byte-identical to the native back end and to botocore. This
  path holds the GIL while signing (also in :meth:`CloudFrontSigner.generate_presigned_urls`).
- ``"native"``: the Rust core signs, with the GIL released. Used for ECDSA P-256 keys, when
  ``cryptography`` is not installed, or when asked for with ``backend="native"``.
- ``"rsa_signer"``: a botocore-style callable was given; it is called for every signature.
"""

from __future__ import annotations

import base64
import datetime as _dt
import os
from typing import Callable, Dict, Iterable, List, Optional, Union

from . import _native
from .errors import InvalidKeyError, InvalidPolicyError

TimeLike = Union[_dt.datetime, int, float]
PrivateKey = Union[str, bytes, Callable[[bytes], bytes]]

_BACKENDS = ("auto", "cryptography", "native")

_EPOCH = _dt.datetime(1970, 1, 1)


def _epoch_seconds(value: TimeLike, name: str) -> int:
    """botocore's ``int(datetime2timestamp(dt))`` (naive datetimes are UTC)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            seconds = (value - _EPOCH).total_seconds()
        else:
            offset = value.utcoffset() or _dt.timedelta(0)
            seconds = (value.replace(tzinfo=None) - offset - _EPOCH).total_seconds()
        result = int(seconds)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = int(value)
    else:
        raise InvalidPolicyError(f"{name} must be a datetime or unix seconds, not {type(value).__name__}")
    if result < 0:
        raise InvalidPolicyError(f"{name} is before 1970-01-01")
    return result


def _check_one_of(date_less_than: object, policy: object) -> None:
    if (date_less_than is None) == (policy is None):
        raise InvalidPolicyError("Need to provide either date_less_than or policy, but not both")


def _policy_bytes(policy: object) -> bytes:
    if isinstance(policy, str):
        return policy.encode("utf8")
    if isinstance(policy, (bytes, bytearray, memoryview)):
        return bytes(policy)
    raise InvalidPolicyError(f"policy must be str or bytes, not {type(policy).__name__}")


def _append(url: str, params: List[str]) -> str:
    """botocore's ``_build_url``: ``?`` or ``&`` then the parameters joined by ``&``."""
    return url + ("&" if "?" in url else "?") + "&".join(params)


def _cryptography_rsa_signer(native: "_native.CloudFrontKey", pem: str) -> Optional[Callable[[bytes], bytes]]:
    """An ``rsa_signer`` doing PKCS#1 v1.5 with ``cryptography`` (OpenSSL) for the RSA key
    ``native`` holds, or ``None`` when ``cryptography`` is missing or cannot use the key.

    ``pem`` is the PEM text the Rust core already accepted; it is parsed once here and the
    resulting key object is kept by the returned closure. The key must have the same public key
    as ``native`` (so the signatures are the ones the core would make); errors never carry
    key material.
    """
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
    except ImportError:
        return None
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except Exception:  # noqa: BLE001 - any parse failure: fall back to the core, say nothing of the key
        return None
    if not isinstance(key, rsa.RSAPrivateKey):
        return None
    spki = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    if spki.decode("ascii").strip() != native.public_key_pem.strip():
        return None
    algorithm = hashes.SHA256() if native.hash_algorithm == "SHA256" else hashes.SHA1()
    pkcs1v15 = padding.PKCS1v15()
    sign = key.sign

    def rsa_signer(message: bytes) -> bytes:
        return sign(message, pkcs1v15, algorithm)

    return rsa_signer


def _pem_text(private_key: str, is_pem: bool) -> Optional[str]:
    """The PEM text of ``private_key`` (decoding the base64-of-PEM form), or ``None``."""
    if is_pem:
        return private_key
    try:
        return base64.b64decode("".join(private_key.split()), validate=True).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None


def _b64(data: bytes) -> str:
    """CloudFront's URL-safe base64 (``+`` -> ``-``, ``=`` -> ``_``, ``/`` -> ``~``)."""
    return _native.cloudfront_b64_encode(data)


class CloudFrontSigner:
    """Signs CloudFront URLs and cookies with one key pair.

    :param key_id: the CloudFront public key ID (or legacy key pair ID), used as ``Key-Pair-Id``.
    :param private_key: PEM (``str``/``bytes``), base64-of-PEM, or an ``rsa_signer`` callable.
    :param hash_algorithm: ``"sha1"`` (CloudFront's default, botocore's) or ``"sha256"``
        (CloudFront's ``Hash-Algorithm=SHA256`` mode, keys only).
    :param allow_weak_rsa: accept RSA keys shorter than 2048 bits (test keys only).
    :param backend: ``"auto"`` (default: ``cryptography`` for RSA keys when it is installed,
        else the Rust core), ``"native"`` (always the Rust core) or ``"cryptography"`` (RSA keys
        only; ``InvalidKeyError`` when the package is missing or the key is not RSA). The choice
        is in :attr:`backend` (see the module docstring); the output is the same bytes.
    :raises InvalidKeyError: (a ``ValueError``) when the key cannot be read.

    Instances are immutable and safe to share between threads.
    """

    #: ``"cryptography"``, ``"native"`` or ``"rsa_signer"``: who makes the signatures.
    backend: str

    def __init__(
        self,
        key_id: str,
        private_key: PrivateKey,
        *,
        hash_algorithm: str = "sha1",
        allow_weak_rsa: bool = False,
        backend: str = "auto",
    ) -> None:
        if not isinstance(key_id, str) or not key_id:
            raise InvalidKeyError("key_id must be a non-empty str")
        if backend not in _BACKENDS:
            raise InvalidKeyError('backend must be "auto", "cryptography" or "native"')
        self.key_id = key_id
        self._native: Optional[_native.CloudFrontKey] = None
        self._sha256 = False
        if callable(private_key):
            if hash_algorithm.lower() != "sha1":
                raise InvalidKeyError("hash_algorithm can only be set with a private key, not an rsa_signer")
            if backend != "auto":
                raise InvalidKeyError("backend can only be set with a private key, not an rsa_signer")
            self.rsa_signer: Callable[[bytes], bytes] = private_key
            self.backend = "rsa_signer"
            return
        if isinstance(private_key, (bytes, bytearray, memoryview)):
            try:
                private_key = bytes(private_key).decode("ascii")
            except UnicodeDecodeError:
                raise InvalidKeyError("private_key bytes must be ASCII PEM or base64 text") from None
        if not isinstance(private_key, str):
            raise InvalidKeyError("private_key must be a PEM str/bytes, base64-of-PEM, or a callable")
        is_pem = "-----BEGIN" in private_key
        self._native = _native.CloudFrontKey(
            key_id,
            private_key,
            base64=not is_pem,
            hash_algorithm=hash_algorithm,
            allow_weak_rsa=allow_weak_rsa,
        )
        self._sha256 = self._native.hash_algorithm == "SHA256"
        self.rsa_signer = self._native.sign
        self.backend = "native"
        if backend != "native" and self._native.key_type == "RSA":
            pem = _pem_text(private_key, is_pem)
            fast = None if pem is None else _cryptography_rsa_signer(self._native, pem)
            if fast is not None:
                self.rsa_signer = fast
                self.backend = "cryptography"
        if backend == "cryptography" and self.backend != "cryptography":
            raise InvalidKeyError('backend="cryptography" needs an RSA key and the cryptography package')

    @classmethod
    def from_env(cls, name: str, *, environ: Optional[Dict[str, str]] = None, **kwargs: object) -> "CloudFrontSigner":
        """Signer from magic-pocket's managed secret env vars: ``{name}_ID`` (key id) and
        ``{name}_PEM_BASE64`` (base64 of the private key PEM), e.g. ``from_env("CF_MEDIA_KEY")``.

        :raises InvalidKeyError: when a variable is missing or the key is invalid.
        """
        env = os.environ if environ is None else environ
        key_id = env.get(f"{name}_ID")
        pem_b64 = env.get(f"{name}_PEM_BASE64")
        if not key_id:
            raise InvalidKeyError(f"environment variable {name}_ID is not set")
        if not pem_b64:
            raise InvalidKeyError(f"environment variable {name}_PEM_BASE64 is not set")
        return cls(key_id, pem_b64, **kwargs)  # type: ignore[arg-type]

    # --- botocore interface -----------------------------------------------------------------

    def build_policy(
        self,
        resource: str,
        date_less_than: TimeLike,
        date_greater_than: Optional[TimeLike] = None,
        ip_address: Optional[str] = None,
    ) -> str:
        """The custom policy JSON, byte-identical to botocore's ``build_policy``.

        ``ip_address`` without ``/`` gets ``/32`` appended (as botocore does).
        """
        less = _epoch_seconds(date_less_than, "date_less_than")
        greater = None if date_greater_than is None else _epoch_seconds(date_greater_than, "date_greater_than")
        if ip_address:
            if "/" not in ip_address:
                ip_address += "/32"
        else:
            ip_address = None
        return _native.custom_policy_json(resource, less, greater, ip_address)

    def generate_presigned_url(
        self,
        url: str,
        date_less_than: Optional[TimeLike] = None,
        policy: Optional[Union[str, bytes]] = None,
    ) -> str:
        """Signed URL with a canned policy (``date_less_than``) or the given policy (JSON).

        Exactly one of ``date_less_than`` and ``policy`` must be given, else ``ValueError``
        (botocore's message).
        """
        _check_one_of(date_less_than, policy)
        if date_less_than is not None:
            expires = _epoch_seconds(date_less_than, "date_less_than")
            message = _native.canned_policy_json(url, expires).encode("utf8")
            params = [f"Expires={expires}"]
        else:
            message = _policy_bytes(policy)
            params = [f"Policy={_b64(message)}"]
        params.extend(self._signature_params(self._sign(message)))
        return _append(url, params)

    # --- extensions -------------------------------------------------------------------------

    def generate_presigned_urls(
        self,
        urls: Iterable[str],
        date_less_than: Optional[TimeLike] = None,
        policy: Optional[Union[str, bytes]] = None,
    ) -> List[str]:
        """Batch :meth:`generate_presigned_url`: same results, one call. The native back end
        signs all URLs with the GIL released; the ``cryptography`` back end signs them one by
        one holding the GIL (still faster per URL).

        With ``policy`` the policy is signed once and the signature is applied to every URL.
        """
        urls = list(urls)
        _check_one_of(date_less_than, policy)
        if date_less_than is not None:
            expires = _epoch_seconds(date_less_than, "date_less_than")
            messages = [_native.canned_policy_json(u, expires).encode("utf8") for u in urls]
            signatures = self._sign_many(messages)
            return [
                _append(u, [f"Expires={expires}", *self._signature_params(sig)]) for u, sig in zip(urls, signatures)
            ]
        message = _policy_bytes(policy)
        params = [f"Policy={_b64(message)}", *self._signature_params(self._sign(message))]
        return [_append(u, params) for u in urls]

    def generate_signed_cookies(
        self,
        resource: str,
        date_less_than: Optional[TimeLike] = None,
        policy: Optional[Union[str, bytes]] = None,
    ) -> Dict[str, str]:
        """CloudFront signed cookies (name -> value) for a canned policy (``date_less_than``,
        ``resource`` is the exact URL) or a custom ``policy`` (JSON, e.g. from
        :meth:`build_policy` with a wildcard resource).

        Canned: ``CloudFront-Expires``, ``CloudFront-Signature``, ``CloudFront-Key-Pair-Id``;
        custom: ``CloudFront-Policy``, ``CloudFront-Signature``, ``CloudFront-Key-Pair-Id``
        (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-canned-policy.html).
        """
        _check_one_of(date_less_than, policy)
        cookies: Dict[str, str] = {}
        if date_less_than is not None:
            expires = _epoch_seconds(date_less_than, "date_less_than")
            message = _native.canned_policy_json(resource, expires).encode("utf8")
            cookies["CloudFront-Expires"] = str(expires)
        else:
            message = _policy_bytes(policy)
            cookies["CloudFront-Policy"] = _b64(message)
        cookies["CloudFront-Signature"] = _b64(self._sign(message))
        cookies["CloudFront-Key-Pair-Id"] = self.key_id
        if self._sha256:
            cookies["CloudFront-Hash-Algorithm"] = "SHA256"
        return cookies

    # --- internals --------------------------------------------------------------------------

    def _sign(self, message: bytes) -> bytes:
        if self.backend == "native" and self._native is not None:
            return self._native.sign(message)
        return bytes(self.rsa_signer(message))

    def _sign_many(self, messages: List[bytes]) -> List[bytes]:
        if self.backend == "native" and self._native is not None:
            return self._native.sign_many(messages)
        return [bytes(self.rsa_signer(m)) for m in messages]

    def _signature_params(self, signature: bytes) -> List[str]:
        params = [f"Signature={_b64(signature)}", f"Key-Pair-Id={self.key_id}"]
        if self._sha256:
            params.append("Hash-Algorithm=SHA256")
        return params

    def __repr__(self) -> str:
        return f"CloudFrontSigner(key_id={self.key_id!r}, private_key=<redacted>, backend={self.backend!r})"


__all__ = ["CloudFrontSigner"]
