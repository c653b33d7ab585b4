"""Runs magic-pocket's own test file tests/test_origin_verify.py against pocket-sign's drop-in.

The file comes from magic-pocket's source distribution on PyPI (pinned below; fetched with
``pip download`` into .cache/upstream/, once). Its imports of ``pocket.django.client_ip`` and
``pocket.django.origin_verify`` are swapped for ``pocket_sign.django.client_ip`` and
``pocket_sign.django.origin_verify``. The file also tests magic-pocket's deploy tool
(``pocket.toml`` schema, managed-secret injection, CloudFormation template), which pocket-sign
does not replace: every top-level statement that uses a name imported from anything other than
the swapped modules, pytest, unittest and ``__future__`` is left out (transitively), and the run
fails unless the parser and middleware tests listed in REQUIRED are among those kept, so an
upstream reshuffle cannot silently leave nothing to run. The kept tests run unmodified.

Usage: python run_upstream_tests.py [pytest args...] (from the project's virtualenv, with
pocket-sign, Django and pytest installed).
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys
import tarfile
import tempfile

UPSTREAM = "magic-pocket"
VERSION = "0.46.1"
TEST_FILE = "tests/test_origin_verify.py"
SWAP = {
    "pocket.django.client_ip": "pocket_sign.django.client_ip",
    "pocket.django.origin_verify": "pocket_sign.django.origin_verify",
}
KEEP_MODULES = {"__future__", "pytest", "unittest", "unittest.mock"}
REQUIRED = {
    "test_parse_viewer_ip",
    "test_mw_noop_when_disabled",
    "test_mw_normalizes_remote_addr_when_secret_matches",
    "test_mw_forbids_when_secret_missing",
    "test_mw_forbids_when_secret_mismatch",
    "test_mw_passthrough_when_match_but_no_viewer_ip",
}
ROOT = pathlib.Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "upstream"


def sdist() -> pathlib.Path:
    found = sorted(CACHE.glob(f"magic_pocket-{VERSION}.tar.gz"))
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    # hatchling is magic-pocket's build backend; with it installed, --no-build-isolation keeps
    # pip from building an isolated environment just to read the metadata.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "hatchling"],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
         "--no-binary", ":all:", "--no-build-isolation", "-d", str(CACHE), f"{UPSTREAM}=={VERSION}"],
        check=True,
    )
    return next(CACHE.glob(f"magic_pocket-{VERSION}.tar.gz"))


def upstream_source() -> str:
    with tarfile.open(sdist()) as tar:
        member = tar.getmember(f"magic_pocket-{VERSION}/{TEST_FILE}")
        f = tar.extractfile(member)
        assert f is not None
        return f.read().decode("utf-8")


def names_used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def defined(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def transform(src: str) -> tuple[str, list[str], list[str]]:
    tree = ast.parse(src)
    lines = src.splitlines(keepends=True)
    dropped_names: set[str] = set()
    kept: list[tuple[int, int, str]] = []
    kept_tests: list[str] = []
    left_out: list[str] = []
    # Imports first: swapped, kept or dropped.
    body = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mod = node.module if isinstance(node, ast.ImportFrom) else None
            aliases = [a.asname or a.name.split(".")[0] for a in node.names]
            if isinstance(node, ast.ImportFrom) and mod in SWAP:
                text = "".join(lines[node.lineno - 1 : node.end_lineno])
                kept.append((node.lineno, node.end_lineno, text.replace(f"from {mod} import", f"from {SWAP[mod]} import", 1)))
            elif (mod in KEEP_MODULES) or (
                isinstance(node, ast.Import) and all(a.name in KEEP_MODULES for a in node.names)
            ):
                kept.append((node.lineno, node.end_lineno, "".join(lines[node.lineno - 1 : node.end_lineno])))
            else:
                dropped_names.update(aliases)
        else:
            body.append(node)
    # Then every other statement, until no more depend on a dropped name.
    remaining = body
    while True:
        out = [n for n in remaining if names_used(n) & dropped_names]
        if not out:
            break
        for n in out:
            dropped_names |= defined(n)
            left_out.extend(sorted(defined(n)) or [f"line {n.lineno}"])
        remaining = [n for n in remaining if n not in out]
    for n in remaining:
        start = min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])])
        kept.append((start, n.end_lineno, "".join(lines[start - 1 : n.end_lineno])))
        if isinstance(n, ast.FunctionDef) and n.name.startswith("test_"):
            kept_tests.append(n.name)
    kept.sort()
    header = f"# magic-pocket {VERSION} {TEST_FILE}, imports swapped to pocket_sign (generated).\n"
    return header + "\n\n".join(t.rstrip("\n") for _, _, t in kept) + "\n", kept_tests, left_out


def main() -> int:
    code, kept_tests, left_out = transform(upstream_source())
    missing = REQUIRED - set(kept_tests)
    if missing:
        print(f"upstream {TEST_FILE}: expected tests not kept: {sorted(missing)}", file=sys.stderr)
        return 1
    print(f"upstream {TEST_FILE} ({UPSTREAM} {VERSION}): running {len(kept_tests)} test functions "
          f"against pocket_sign; left out (deploy tool, not replaced): {', '.join(left_out)}")
    with tempfile.TemporaryDirectory(prefix="pocket-sign-upstream-") as d:
        path = pathlib.Path(d) / "test_upstream_origin_verify.py"
        path.write_text(code, encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", d, str(path), *sys.argv[1:]],
            cwd=d,
        ).returncode


if __name__ == "__main__":
    sys.exit(main())
