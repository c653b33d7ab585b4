"""django-storages S3 storage for media served through CloudFront with signed cookies.

With signed URLs every media URL on a page costs one RSA signature (50 images, 50 signatures).
With CloudFront signed cookies the browser carries one custom policy for the whole media
distribution, set once per session at login
(:func:`pocket_sign.django.spa_auth.media_cookies_login`), and media URLs need no signature at
all. :class:`CloudFrontCookieS3Storage` is django-storages' ``S3Storage`` that emits those plain
URLs, ``https://{custom_domain}/{key}``, and refuses a configuration under which the cookies
would not authorise them::

    STORAGES = {
        "default": {
            "BACKEND": "pocket_sign.storage.CloudFrontCookieS3Storage",
            "OPTIONS": {"bucket_name": "my-media", "custom_domain": "media.example.com"},
        },
        ...
    }
    POCKET_SIGN_MEDIA_COOKIES = {
        "resource": "https://media.example.com/*",   # the cookies' custom policy Resource
        "domain": ".example.com",                    # cookie Domain: the media subdomain gets them
        "key": "CF_MEDIA_KEY",                       # CF_MEDIA_KEY_ID / CF_MEDIA_KEY_PEM_BASE64
    }

The CloudFront behavior of the media distribution must restrict viewer access with the key
group holding the key's public key (trusted key groups), exactly as for signed URLs: CloudFront
accepts either a signed URL or the signed cookies.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from django.core.exceptions import ImproperlyConfigured  # type: ignore[import-untyped]
from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

from . import _native

#: Object name used to check that the storage's URLs fall under the cookie policy's Resource.
_PROBE_NAME = "pocket-sign-probe/x.jpg"


class CloudFrontCookieS3Storage(S3Storage):  # type: ignore[misc]
    """``S3Storage`` whose URLs are unsigned ``https://{custom_domain}/{key}``: the CloudFront
    signed cookies set at login authorise them (zero signatures per page).

    Requires ``custom_domain`` (``AWS_S3_CUSTOM_DOMAIN``: the media distribution's domain).
    Forces ``querystring_auth = False``, no ``cloudfront_signer`` and ``https:`` URLs. When the
    ``POCKET_SIGN_MEDIA_COOKIES`` setting has a ``resource``, checks with the Rust core's
    CloudFront resource matching (``*``, ``?``) that the storage's URLs fall under it.

    :raises ImproperlyConfigured: without ``custom_domain``, or when the URLs are not covered by
        the cookies' policy resource.
    """

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        if not self.custom_domain:
            raise ImproperlyConfigured(
                "CloudFrontCookieS3Storage needs custom_domain (AWS_S3_CUSTOM_DOMAIN): "
                "the domain of the media distribution that receives the signed cookies"
            )
        self.querystring_auth = False
        self.cloudfront_signer = None
        self.url_protocol = "https:"
        resource = _policy_resource()
        if resource is not None:
            probe = super().url(_PROBE_NAME)
            if not _native.cloudfront_resource_matches(resource, probe):
                raise ImproperlyConfigured(
                    f"media URLs such as {probe} are not covered by the signed cookies' "
                    f'policy resource {resource!r} (POCKET_SIGN_MEDIA_COOKIES["resource"])'
                )

    def url(
        self,
        name: str,
        parameters: Optional[Dict[str, Any]] = None,
        expire: Optional[int] = None,
        http_method: Optional[str] = None,
    ) -> str:
        """The plain ``https://{custom_domain}/{key}`` URL (no ``Expires``, ``Policy``,
        ``Signature`` or ``Key-Pair-Id``): the viewer's signed cookies authorise it."""
        return str(super().url(name, parameters=parameters, expire=expire, http_method=http_method))


def _policy_resource() -> Optional[str]:
    from django.conf import settings  # type: ignore[import-untyped]

    conf = getattr(settings, "POCKET_SIGN_MEDIA_COOKIES", None) or {}
    resource = conf.get("resource")
    return resource if isinstance(resource, str) and resource else None


__all__ = ["CloudFrontCookieS3Storage"]
