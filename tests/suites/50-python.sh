#!/usr/bin/env bash
# Python package `pocket-sign` (bindings-python/, PyO3 + maturin, abi3-py39): builds and installs
# it with `pip install ./bindings-python` (maturin from PyPI, as on a user's machine), then runs
# its pytest suite against real Django, django-ninja, django-storages/botocore, FastAPI and moto,
# and checks the .pyi stubs against the compiled module with mypy.stubtest.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"
ensure_venv
pip_install "maturin>=1.7,<2"
# Builds the wheel (release profile) in the workspace target/ and installs it with the test extras.
pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings-python
pip_install "./bindings-python[test]"
cd "$ROOT/bindings-python"
python -m pytest -q -p no:cacheprovider tests
python -m mypy.stubtest pocket_sign._native --ignore-missing-stub --allowlist stubtest-allowlist.txt
