"""The test folders are packages, and a test module imports its helpers by their package's name: any
choice of test files collects in one run, whatever folders they come from. With plain names, the
first folder's ``conftest`` (or helper) was the one every later folder got."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def _modules() -> list[Path]:
    return [path for path in TESTS.rglob("*.py") if "node_modules" not in path.parts]


def test_every_folder_of_test_modules_is_a_package() -> None:
    folders = {path.parent for path in _modules()}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists()) == []


def test_no_test_module_imports_another_by_its_plain_name() -> None:
    names = {path.stem for path in _modules()}
    plain = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported = [node.module]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            plain += [f"{path.relative_to(ROOT)}: {name}" for name in imported if name.split(".")[0] in names]
    assert plain == []


def test_files_of_two_folders_with_a_conftest_each_collect_in_one_run() -> None:
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/slack/test_slack_manifest.py",
            "tests/faults/test_redis_outage.py",
            "tests/web/test_contract_notices_web.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collected.returncode == 0, collected.stdout[-2000:]
