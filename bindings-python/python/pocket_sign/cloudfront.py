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

Each signed URL, batch of URLs (:meth:`CloudFrontSigner.generate_presigned_urls`) or set of
cookies is one call into the Rust core, which builds the policy, signs it (with the GIL
released, when the signer holds a key), encodes it, checks the URL and the 8,192-byte limit and
assembles the result: the same code as ``pocket-sign url``, so this class refuses exactly what
the CLI refuses, with the same error ``kind``. With an ``rsa_signer`` callable the core calls
it for each signature and still assembles and checks the URL. ``CloudFrontSigner.backend`` is
``"native"`` (the key is held by the core) or ``"rsa_signer"``.

Differences from botocore (each one a URL botocore signs but CloudFront cannot serve, or an
input botocore would turn into a broken policy); all raise
:class:`~pocket_sign.errors.InvalidPolicyError` (a ``ValueError``) with the ``kind`` in
parentheses:

- an empty URL, or one with ASCII whitespace or control characters (``.../a b``; percent-encode
  them) (``InvalidUrl``);
- a URL with a ``#fragment`` (browsers never send it, so the signature cannot match)
  (``InvalidUrl``);
- a URL whose query already has a CloudFront signing parameter (``Expires``, ``Policy``,
  ``Signature``, ``Key-Pair-Id``, ``Hash-Algorithm``) (``InvalidUrl``);
- a signed URL longer than CloudFront's 8,192-byte limit, e.g. a 9,400-byte URL
  (``UrlTooLong``; checked before signing when the input alone is too long);
- :meth:`CloudFrontSigner.build_policy` with an IPv6 or malformed ``ip_address``
  (``Ipv6NotSupported`` / ``InvalidIpAddress``) or a start time not before the expiry
  (``StartNotBeforeExpiry``);
- a key pair id that is not 1-64 ASCII letters, digits, ``-`` and ``_`` (``InvalidKeyError``,
  ``InvalidKeyPairId``), on the key and the ``rsa_signer`` paths alike;
- times before 1970 or after 2**64 - 1 seconds (``InvalidPolicyError``).

On every other input the output is byte-identical to botocore's. A ``policy=`` string is
signed as given (its ``Resource`` is not compared with the URL, as in botocore).

Copying and pickling: a signer is immutable, so ``copy.copy`` / ``copy.deepcopy`` (e.g.
Django's ``TestCase.setUpTestData``) return an equivalent signer sharing the same native key.
Pickling raises :class:`~pocket_sign.errors.PocketSignError`: it would write the private key
into the pickle; build the signer again in the other process (e.g. with :meth:`from_env`).
"""

from __future__ import annotations

import copy as _copy
import datetime as _dt
import os
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

from . import _native
from .errors import InvalidKeyError, InvalidPolicyError, PocketSignError

TimeLike = Union[_dt.datetime, int, float]
PrivateKey = Union[str, bytes, Callable[[bytes], bytes]]

_EPOCH = _dt.datetime(1970, 1, 1)
_MAX_SECONDS = 2**64 - 1


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
        try:
            result = int(value)
        except (OverflowError, ValueError):
            raise InvalidPolicyError(f"{name} must be a finite number of seconds") from None
    else:
        raise InvalidPolicyError(f"{name} must be a datetime or unix seconds, not {type(value).__name__}")
    if result < 0:
        raise InvalidPolicyError(f"{name} is before 1970-01-01")
    if result > _MAX_SECONDS:
        raise InvalidPolicyError(f"{name} is after 2**64 - 1 unix seconds")
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


def _url(url: object) -> str:
    if not isinstance(url, str):
        raise InvalidPolicyError(f"url must be a str, not {type(url).__name__}")
    return url


_Native = Union["_native.CloudFrontKey", "_native.CloudFrontCallbackSigner"]


class CloudFrontSigner:
    """Signs CloudFront URLs and cookies with one key pair.

    :param key_id: the CloudFront public key ID (or legacy key pair ID), used as ``Key-Pair-Id``
        (1-64 ASCII letters, digits, ``-`` and ``_``).
    :param private_key: PEM (``str``/``bytes``), base64-of-PEM, or an ``rsa_signer`` callable.
    :param rsa_signer: botocore's parameter name: a callable ``(message: bytes) -> bytes``
        (give it or ``private_key``, not both), so ``CloudFrontSigner(key_id=...,
        rsa_signer=...)`` works as with botocore.
    :param hash_algorithm: ``"sha1"`` (CloudFront's default, botocore's) or ``"sha256"``
        (CloudFront's ``Hash-Algorithm=SHA256`` mode; an ``rsa_signer`` must then sign with
        SHA-256).
    :param allow_weak_rsa: accept RSA keys shorter than 2048 bits (test keys only).
    :param backend: kept for compatibility: ``"auto"`` or ``"native"`` (the Rust core signs);
        the former ``"cryptography"`` back end was removed and raises ``InvalidKeyError``.
    :raises InvalidKeyError: (a ``ValueError``) when the key or key id cannot be used.

    A subclass overriding :meth:`build_policy` is honoured as botocore does: canned-policy
    URLs then sign the overriding method's JSON (one core call per URL still assembles and
    checks them).

    Instances are immutable and safe to share between threads.
    """

    #: ``"native"`` or ``"rsa_signer"``: who makes the signatures.
    backend: str

    def __init__(
        self,
        key_id: str,
        private_key: Optional[PrivateKey] = None,
        *,
        rsa_signer: Optional[Callable[[bytes], bytes]] = None,
        hash_algorithm: str = "sha1",
        allow_weak_rsa: bool = False,
        backend: str = "auto",
    ) -> None:
        if not isinstance(key_id, str):
            raise InvalidKeyError("key_id must be a str")
        if backend == "cryptography":
            raise InvalidKeyError('the "cryptography" back end was removed: the Rust core signs (backend="native")')
        if backend not in ("auto", "native"):
            raise InvalidKeyError('backend must be "auto" or "native"')
        if (private_key is None) == (rsa_signer is None):
            raise InvalidKeyError("give either private_key or rsa_signer")
        key = private_key if rsa_signer is None else rsa_signer
        self.key_id = key_id
        self._native: _Native
        if callable(key):
            if backend != "auto":
                raise InvalidKeyError("backend can only be set with a private key, not an rsa_signer")
            self._native = _native.CloudFrontCallbackSigner(key_id, key, hash_algorithm=hash_algorithm)
            self.rsa_signer: Callable[[bytes], bytes] = key
            self.backend = "rsa_signer"
            return
        if isinstance(key, (bytes, bytearray, memoryview)):
            try:
                key = bytes(key).decode("ascii")
            except UnicodeDecodeError:
                raise InvalidKeyError("private_key bytes must be ASCII PEM or base64 text") from None
        if not isinstance(key, str):
            raise InvalidKeyError("private_key must be a PEM str/bytes, base64-of-PEM, or a callable")
        native = _native.CloudFrontKey(
            key_id,
            key,
            base64="-----BEGIN" not in key,
            hash_algorithm=hash_algorithm,
            allow_weak_rsa=allow_weak_rsa,
        )
        self._native = native
        self.rsa_signer = native.sign
        self.backend = "native"

    @classmethod
    def from_env(cls, name: str, *, environ: Optional[Dict[str, str]] = None, **kwargs: Any) -> "CloudFrontSigner":
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
        return cls(key_id.strip(), pem_b64, **kwargs)

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
        (botocore's message). Raises :class:`~pocket_sign.errors.InvalidPolicyError` for a URL
        CloudFront would refuse (see the module docstring).
        """
        _check_one_of(date_less_than, policy)
        url = _url(url)
        if date_less_than is not None:
            expires = _epoch_seconds(date_less_than, "date_less_than")
            if self._overrides_build_policy():
                own = self.build_policy(url, date_less_than).encode("utf8")
                return self._native.signed_url(url, expires, own)
            return self._native.signed_url(url, expires)
        return self._native.signed_url(url, None, _policy_bytes(policy))

    # --- extensions -------------------------------------------------------------------------

    def generate_presigned_urls(
        self,
        urls: Iterable[str],
        date_less_than: Optional[TimeLike] = None,
        policy: Optional[Union[str, bytes]] = None,
    ) -> List[str]:
        """Batch :meth:`generate_presigned_url`: same results, one core call (the signing runs
        with the GIL released when the signer holds a key). With ``policy`` the policy is
        signed once and the signature is applied to every URL. Raises the first URL's error.
        """
        urls = [_url(u) for u in urls]
        _check_one_of(date_less_than, policy)
        if date_less_than is not None:
            expires = _epoch_seconds(date_less_than, "date_less_than")
            if self._overrides_build_policy():
                return [self.generate_presigned_url(u, date_less_than=date_less_than) for u in urls]
            return self._native.signed_urls(urls, expires)
        return self._native.signed_urls(urls, None, _policy_bytes(policy))

    def generate_signed_cookies(
        self,
        resource: str,
        date_less_than: Optional[TimeLike] = None,
        policy: Optional[Union[str, bytes]] = None,
    ) -> Dict[str, str]:
        """CloudFront signed cookies (name -> value) for a canned policy (``date_less_than``,
        ``resource`` is the exact URL; a ``resource`` with ``*`` gets the equivalent custom
        policy, the wildcard being the point of a cookie resource) or a custom ``policy``
        (JSON, e.g. from :meth:`build_policy` with a wildcard resource).

        Canned: ``CloudFront-Expires``, ``CloudFront-Signature``, ``CloudFront-Key-Pair-Id``;
        custom: ``CloudFront-Policy``, ``CloudFront-Signature``, ``CloudFront-Key-Pair-Id``;
        then ``CloudFront-Hash-Algorithm`` in SHA-256 mode
        (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-canned-policy.html).
        """
        _check_one_of(date_less_than, policy)
        if date_less_than is not None:
            expires = _epoch_seconds(date_less_than, "date_less_than")
            return self._native.signed_cookies(resource, expires)
        return self._native.signed_cookies(resource, None, _policy_bytes(policy))

    # --- copying ----------------------------------------------------------------------------

    def __copy__(self) -> "CloudFrontSigner":
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo: Dict[int, Any]) -> "CloudFrontSigner":
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        for name, value in self.__dict__.items():
            # The native key and the signing callable are shared (immutable, or holding a key
            # that must not be duplicated); any other attribute (a subclass's) is deep-copied.
            shared = name in ("_native", "rsa_signer")
            setattr(new, name, value if shared else _copy.deepcopy(value, memo))
        return new

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise PocketSignError(
            "a CloudFrontSigner cannot be pickled (it would copy the private key into the pickle); "
            "build it again in the other process, e.g. with CloudFrontSigner.from_env"
        )

    # --- internals --------------------------------------------------------------------------

    def _overrides_build_policy(self) -> bool:
        """Whether a subclass overrides :meth:`build_policy` (then botocore's canned route, which
        signs ``self.build_policy(url, date_less_than)``, is followed)."""
        return type(self).build_policy is not CloudFrontSigner.build_policy

    def __repr__(self) -> str:
        return f"CloudFrontSigner(key_id={self.key_id!r}, private_key=<redacted>, backend={self.backend!r})"


__all__ = ["CloudFrontSigner"]
