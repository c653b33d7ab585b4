import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from keyserver import KeyServer  # noqa: E402

BIN = os.environ.get("POCKET_SIGN_BIN", os.path.join(os.path.dirname(__file__), "../../target/debug/pocket-sign"))


class Result:
    def __init__(self, p: subprocess.CompletedProcess):
        self.code = p.returncode
        self.out = p.stdout
        self.err = p.stderr

    def __repr__(self):
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def run_cli(*args, env=None, timeout=30) -> Result:
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env=e, timeout=timeout)
    return Result(p)


@pytest.fixture
def server():
    s = KeyServer()
    yield s
    s.close()
