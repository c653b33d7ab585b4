"""Shared fixtures: the pocket-sign binary (POCKET_SIGN_BIN, built by tests/suites/25-spa.sh)."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _bin() -> str:
    path = os.environ.get("POCKET_SIGN_BIN") or str(ROOT / "target" / "debug" / "pocket-sign")
    if not os.access(path, os.X_OK):
        pytest.fail(f"pocket-sign binary not found at {path}; run tests/suites/25-spa.sh")
    return path


class Cli:
    def __init__(self, path: str):
        self.path = path

    def run(self, *args: str, env=None, input=None) -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if k != "SPA_TOKEN_SECRET"}
        full_env.update(env or {})
        return subprocess.run(
            [self.path, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=full_env,
            input=input,
            timeout=60,
        )


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli(_bin())


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT
