"""What a server holds from start-up: the libraries only some deployments or some requests need are
imported where they are first used, so a server that never needs them does not carry their megabytes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from supportbot.integrations.sql.demo import DEMO_CUSTOMER_NUMBERS
from supportbot.integrations.sql.migrate import head_revision

LOADED_ON_FIRST_USE = ("fpdf", "openpyxl", "holidays", "redis", "alembic", "slack_bolt", "botbuilder")


def test_the_server_and_its_composition_root_import_none_of_the_libraries_loaded_on_first_use() -> None:
    code = (
        "import sys\n"
        "import supportbot.adapters.cli, supportbot.adapters.server, supportbot.adapters.app\n"
        f"print(' '.join(m for m in {LOADED_ON_FIRST_USE!r} if m in sys.modules))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.split() == []


def test_the_libraries_are_there_when_they_are_used() -> None:
    code = (
        "import sys\n"
        "from supportbot.services.spreadsheets import Column, to_xlsx\n"
        "data = to_xlsx('Orders', [Column('Order')], [['4711']])\n"
        "print(data[:2].decode(), 'openpyxl' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["PK", "True"]


FIRST_START_ONLY = ("alembic", "holidays", "supportbot.integrations.sql.seed")
"""What the first start on a fresh data folder (migrations, the demo data) takes, done apart from the
server's process."""

SERVE_AND_LIST = """
import asyncio, sys
from aiohttp import web

def run_app(app, **options):
    async def up():
        runner = web.AppRunner(await app)
        await runner.setup()
        await runner.cleanup()
    asyncio.run(up())
    print("HELD", *(m for m in FIRST_START_ONLY if m in sys.modules))

FIRST_START_ONLY = sys.argv[1].split()
web.run_app = run_app  # the server built as `serve` builds it, and not left listening
from supportbot.adapters.cli import main
raise SystemExit(main(["--log-level", "WARNING", "serve", "--port", "0"]))
"""


def _serve_once(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SUPPORTBOT_DATA_DIR": str(data_dir)}
    env.pop("SUPPORTBOT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", SERVE_AND_LIST, " ".join(FIRST_START_ONLY)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_first_start_migrates_and_seeds_outside_the_server_process(tmp_path: Path) -> None:
    first = _serve_once(tmp_path / "var")
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["HELD"]  # neither Alembic nor the seeding code in the server
    database = sqlite3.connect(tmp_path / "var" / "supportbot.sqlite3")
    try:
        (revision,) = database.execute("SELECT version_num FROM alembic_version").fetchone()
        (demo,) = database.execute("SELECT count(*) FROM companies").fetchone()
    finally:
        database.close()
    assert revision == head_revision() and demo == len(DEMO_CUSTOMER_NUMBERS)

    again = _serve_once(tmp_path / "var")  # nothing left to do: no process started for it
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["HELD"]


def test_a_start_whose_preparation_fails_says_so_and_starts_nothing(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    database = sqlite3.connect(tmp_path / "var" / "supportbot.sqlite3")  # from a newer version
    try:
        database.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        database.execute("INSERT INTO alembic_version VALUES ('9999')")
        database.commit()
    finally:
        database.close()
    failed = _serve_once(tmp_path / "var")
    assert failed.returncode == 1
    assert "Can't locate revision identified by '9999'" in failed.stderr  # the preparing process's own
    assert "supportbot: the database could not be prepared for serving" in failed.stderr
    assert "HELD" not in failed.stdout
