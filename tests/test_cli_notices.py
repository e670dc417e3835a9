"""``supportbot notices --run-once`` as cron runs it: one pass, a count on stdout, exit 0; several at once
(one SQLite file, or one PostgreSQL database) send each notice exactly once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from supportbot.adapters.app import build_application
from tests.conftest import TEST_SECRET, make_settings
from tests.conversations.test_postgres import database_url  # noqa: F401  (a fixture)

NOTICES = 5
"""At seeding day: Anna's three (C-1001's 30 days, C-1003 to sign, C-1004 to approve), Max's and Lena's
(C-2002's 60 days)."""


def start(data_dir: Path, **env: str) -> subprocess.Popen[str]:
    environment = dict(
        os.environ, SUPPORTBOT_DATA_DIR=str(data_dir), SUPPORTBOT_SECRET_KEY=TEST_SECRET, **env
    )
    return subprocess.Popen(
        [sys.executable, "-m", "supportbot.adapters.cli", "--log-level", "WARNING", "notices", "--run-once"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def finish(process: subprocess.Popen[str]) -> int:
    """The number of notices the process says it sent; it must have exited 0."""
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    sent, _, rest = out.strip().partition(" contract notices sent, ")
    assert rest.endswith(" mailed"), out
    return int(sent)


def inbox_lines(data_dir: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data_dir / "supportbot.sqlite3") as db:
        return db.execute(
            "SELECT conversation_key, delivery_id FROM turns WHERE conversation_key LIKE 'inbox:%' ORDER BY id"
        ).fetchall()


def test_run_once_prints_what_it_sent_and_a_second_run_sends_nothing(data_dir: Path) -> None:
    assert finish(start(data_dir)) == NOTICES
    mails = list((data_dir / "outbox").glob("*.eml"))
    assert len(mails) == NOTICES, "each notice mailed, before the command exits"
    assert finish(start(data_dir)) == 0
    assert len(list((data_dir / "outbox").glob("*.eml"))) == NOTICES
    assert len(inbox_lines(data_dir)) == NOTICES


def test_passes_racing_on_one_sqlite_file_send_each_notice_once(data_dir: Path) -> None:
    processes = [start(data_dir) for _ in range(3)]
    assert sum(finish(p) for p in processes) == NOTICES
    lines = inbox_lines(data_dir)
    assert len(lines) == len(set(lines)) == NOTICES
    assert len(list((data_dir / "outbox").glob("*.eml"))) == NOTICES
    with sqlite3.connect(data_dir / "supportbot.sqlite3") as db:
        unfinished = db.execute(
            "SELECT count(*) FROM notices WHERE delivered_at IS NULL OR mailed_at IS NULL"
        )
        assert unfinished.fetchone() == (0,)


@pytest.mark.postgres
async def test_passes_racing_on_one_postgres_database_send_each_notice_once(
    database_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = await build_application(make_settings(tmp_path, database_url=database_url))  # migrated, seeded
    await app.close()
    processes = [start(tmp_path, SUPPORTBOT_DATABASE_URL=database_url) for _ in range(3)]
    assert sum(finish(p) for p in processes) == NOTICES
    app = await build_application(make_settings(tmp_path, database_url=database_url))
    try:
        told = [turn for user in ("anna.berg@nordisk.example", "max.muller@contoso.example",
                                  "lena.wagner@contoso.example") for turn in await app.notifier.inbox(user)]  # fmt: skip
        assert len(told) == NOTICES
        assert app.contract_notices is not None
        assert (await app.contract_notices.run_once()).sent == 0
    finally:
        await app.close()
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == NOTICES
