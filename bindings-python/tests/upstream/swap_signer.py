"""pytest plugin: botocore's ``CloudFrontSigner`` replaced by pocket-sign's, before the
upstream test modules (botocore's ``tests/unit/test_signers.py``, django-storages'
``tests/test_s3.py``) import it. Loaded with ``-p swap_signer``."""

import os

import botocore.signers
import pytest

if os.environ.get("DJANGO_SETTINGS_MODULE"):
    import django
    import moto

    # django-storages 1.14's tests import moto 4's `mock_s3` (moto 5 renamed it `mock_aws`).
    if not hasattr(moto, "mock_s3"):
        moto.mock_s3 = moto.mock_aws
    django.setup()

from pocket_sign.cloudfront import CloudFrontSigner

botocore.signers.CloudFrontSigner = CloudFrontSigner  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _the_swap_is_in_effect():
    import sys

    for name in ("tests.unit.test_signers", "storages.backends.s3"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "CloudFrontSigner"):
            assert module.CloudFrontSigner is CloudFrontSigner, name
    yield
