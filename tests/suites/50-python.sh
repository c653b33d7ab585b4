#!/usr/bin/env bash
# Python package `pocket-sign` (bindings-python/, PyO3 + maturin, abi3-py39): builds and installs
# it with `pip install ./bindings-python` (maturin fetched from PyPI by pip's build isolation, as
# on a user's machine), runs its pytest suite against real Django, django-ninja,
# django-storages/botocore, FastAPI and moto's Cognito server, then checks the .pyi stubs against
# the compiled module with mypy.stubtest.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
ensure_venv
pip_install -r bindings-python/tests/requirements.txt
# One build (release profile, workspace target/) and install of the package itself.
pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings-python
cd "$ROOT/bindings-python"
python -m pytest -q -p no:cacheprovider tests
# magic-pocket's own tests/test_origin_verify.py (its PyPI sdist, pinned) against the drop-in,
# imports swapped; its deploy-tool tests are left out (see the script).
python "$ROOT/tests/python/upstream/run_upstream_tests.py"
python -m mypy.stubtest pocket_sign._native --allowlist stubtest-allowlist.txt
python -m mypy --strict python/pocket_sign
# botocore's own TestCloudfrontSigner and django-storages' own CloudFront tests (from their PyPI
# sdists, cached in .venv/upstream-sdists) with pocket_sign's CloudFrontSigner swapped in.
bash tests/upstream/run.sh
