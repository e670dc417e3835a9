"""What a server holds from start-up: the libraries only some deployments or some requests need are
imported where they are first used, so a server that never needs them does not carry their megabytes."""

from __future__ import annotations

import subprocess
import sys

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
