#!/usr/bin/env bash
# botocore's own `TestCloudfrontSigner` and django-storages' own CloudFront tests, run from
# their PyPI sdists (the versions installed in the venv) with botocore's CloudFrontSigner
# replaced by pocket_sign.cloudfront.CloudFrontSigner (swap_signer.py). Run inside the
# project's venv with pocket_sign installed; downloads the two sdists once into $CACHE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CACHE="${UPSTREAM_SDIST_CACHE:-$here/../../../.venv/upstream-sdists}"
mkdir -p "$CACHE"
cd "$CACHE"
boto_v="$(python -c 'import botocore; print(botocore.__version__)')"
storages_v="$(python -c 'import importlib.metadata as m; print(m.version("django-storages"))')"
[ -d "botocore-$boto_v" ] || {
  pip download -q --disable-pip-version-check --no-deps --no-binary :all: "botocore==$boto_v" -d .
  tar xzf "botocore-$boto_v.tar.gz" "botocore-$boto_v/tests/__init__.py" \
    "botocore-$boto_v/tests/unit/__init__.py" "botocore-$boto_v/tests/unit/test_signers.py"
}
[ -d "django_storages-$storages_v" ] || {
  pip download -q --disable-pip-version-check --no-deps --no-binary :all: "django-storages==$storages_v" -d .
  tar xzf "django_storages-$storages_v.tar.gz" "django_storages-$storages_v/tests"
}
# django-storages' CloudFront test builds its reference signers with `cryptography` and `rsa`.
python -c 'import rsa' 2>/dev/null || pip install -q --disable-pip-version-check 'rsa>=4.9'
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
# Only the test files: the installed botocore / storages packages are the ones under test.
(cd "botocore-$boto_v" && python -m pytest -q -p no:cacheprovider -p swap_signer \
  tests/unit/test_signers.py -k TestCloudfrontSigner)
(cd "django_storages-$storages_v" && DJANGO_SETTINGS_MODULE=tests.settings python -m pytest -q \
  -p no:cacheprovider -p swap_signer tests/test_s3.py -k "cloudfront or custom_domain_signed")
