"""The ``supportbot`` command as an operator runs it: a real process, real stdin and stdout."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET


def run(
    data_dir: Path, *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SUPPORTBOT_DATA_DIR=str(data_dir), SUPPORTBOT_SECRET_KEY=TEST_SECRET)
    return subprocess.run(
        [sys.executable, "-m", "supportbot.adapters.cli", "--log-level", "WARNING", *args],
        input=stdin,
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_nlu_prints_one_json_object_for_text(data_dir: Path) -> None:
    result = run(data_dir, "nlu", "where", "is", "my", "order", "4711?")
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert set(parsed) == {"text", "intent", "confidence", "entities", "language"}
    assert parsed["intent"] == "order.status" and parsed["language"] == "en"
    assert {"type": "order_number", "value": "4711"}.items() <= parsed["entities"][0].items()


def test_nlu_reads_every_stdin_line(data_dir: Path) -> None:
    result = run(data_dir, "nlu", stdin="var är min faktura INV-2031?\nwhat's the weather in Paris?\nhej\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["language"] for line in lines] == ["sv", "en", "sv"]
    assert lines[0]["intent"] == "invoice.get" and lines[1]["intent"] == "none"
    assert lines[2]["intent"] == "smalltalk.greeting"


def test_chat_json_answers_one_line_per_message(data_dir: Path) -> None:
    result = run(
        data_dir,
        "chat",
        "--user",
        "anna.berg@nordisk.example",
        "--json",
        stdin="where is my order 4711?\nand when will it arrive?\n\nvar är order 4712?\n",
    )
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 4
    assert "PostNord" in replies[0]["text"] and replies[0]["cards"][0]["title"] == "Order 4711"
    assert "4711" in replies[1]["text"]
    assert replies[2]["intent"] == "input.empty"
    assert replies[3]["language"] == "sv" and "i produktion" in replies[3]["text"]


def test_chat_in_plain_text_numbers_the_buttons(data_dir: Path) -> None:
    result = run(data_dir, "chat", "--user", "anna.berg@nordisk.example", stdin="show my open orders\n1\n")
    assert result.returncode == 0, result.stderr
    assert "1) Order 4712" in result.stdout
    assert "Order 4712 is in production" in result.stdout, "typing 1 pressed the first button"


def test_chat_refuses_an_unknown_user(data_dir: Path) -> None:
    result = run(data_dir, "chat", "--user", "nobody@nowhere.example", "--json", stdin="hello\n")
    assert result.returncode == 2
    assert "no user" in result.stderr and result.stdout == ""


def test_chat_as_guest(data_dir: Path) -> None:
    result = run(data_dir, "chat", "--json", stdin="where is order 4711?\n1000123\n")
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert "customer number" in replies[0]["text"]
    assert "Order 4711 is shipped" in replies[1]["text"] and "SEK" not in replies[1]["text"]


def test_seed_adds_generated_orders_with_progress(tmp_path: Path) -> None:
    result = run(tmp_path, "seed", "--orders", "3000", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "demo data added" in result.stderr and "3000/3000" in result.stderr
    with sqlite3.connect(tmp_path / "supportbot.sqlite3") as db:
        (count,) = db.execute("SELECT count(*) FROM orders").fetchone()
    assert count >= 3000
    again = run(tmp_path, "seed")
    assert "already present" in again.stderr


def test_seed_adds_generated_installed_items(tmp_path: Path) -> None:
    result = run(tmp_path, "seed", "--items", "400", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "items: 400/400" in result.stderr
    with sqlite3.connect(tmp_path / "supportbot.sqlite3") as db:
        per_company = dict(db.execute("SELECT company_id, count(*) FROM inventory_items GROUP BY company_id"))
    assert sorted(per_company.values()) == [203, 208], "200 each beside the demo's own"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_migrate_adopts_a_database_made_before_migrations_and_says_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    dump = Path(__file__).parent / "data" / "sqlite_before_migrations.sql"
    with sqlite3.connect(data_dir / "supportbot.sqlite3") as conn:
        conn.executescript(dump.read_text(encoding="utf-8"))
    first = run(data_dir, "migrate")
    assert first.returncode == 0, first.stderr
    # Adopted at the baseline, then upgraded by the later revisions there are.
    assert first.stdout.startswith("database made before migrations adopted at revision 0001")
    again = run(data_dir, "migrate")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("database already at the newest revision")
    with sqlite3.connect(data_dir / "supportbot.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM turns").fetchone() == (2,)


def test_migrate_creates_an_empty_database(tmp_path: Path) -> None:
    result = run(tmp_path / "var", "migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("database created at revision ")
    assert "(ran 0001" in result.stdout


def test_serve_starts_on_the_embedded_default(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, SUPPORTBOT_DATA_DIR=str(tmp_path / "var"))
    env.pop("SUPPORTBOT_SECRET_KEY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "supportbot.adapters.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert json.loads(response.read()) == {"ok": True}
                    break
            except OSError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert b"/webchat/widget.js" in response.read()
        assert (tmp_path / "var" / "supportbot.sqlite3").exists()
        key = tmp_path / "var" / "secret.key"
        assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert server.returncode in (0, -15)
    assert key.read_text().strip() not in output, "the secret key is never logged"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_readme_names_the_two_setup_commands() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "scripts/start" in readme and "scripts/test" in readme
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_version_and_a_log_level_that_does_not_exist(tmp_path: Path) -> None:
    from supportbot import __version__

    shown = run(tmp_path / "var", "--version")
    assert shown.returncode == 0 and shown.stdout.strip() == f"supportbot {__version__}"
    assert __version__.count(".") == 2

    wrong = subprocess.run(
        [sys.executable, "-m", "supportbot.adapters.cli", "--log-level", "LOUD", "migrate"],
        env=dict(os.environ, SUPPORTBOT_DATA_DIR=str(tmp_path / "var")),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert wrong.returncode == 2
    assert "invalid choice: 'LOUD'" in wrong.stderr
    assert not (tmp_path / "var").exists()  # refused before anything was done
    lower = run(tmp_path / "var", "--log-level", "debug", "migrate")  # case does not matter
    assert lower.returncode == 0, lower.stderr
