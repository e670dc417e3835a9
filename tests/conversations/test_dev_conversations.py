"""Conversations people wrote on the demo data, played through the real pipeline as `supportbot chat --json`
sees them: corrections, typos, answers to the bot's own questions, context, language switches.

Each line of ``tests/data/conversations_dev.jsonl`` is one conversation, on freshly seeded data:
``{"name", "user": e-mail or "-" for a guest, "turns": [[text, expectations], ...]}``. A turn's expectations
(all optional) are ``intent`` (the reply's intent, ``|``-separated alternatives), ``re`` (a regular expression
that must match the reply's JSON), ``not_re`` (one that must not) and ``lang``. Our own conversations for
each dialog rule live beside it in ``tests/data/conversations_*.jsonl``, in the same format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from supportbot.adapters.app import build_application
from supportbot.adapters.channel import Arrival
from supportbot.adapters.console import ConsoleChannel, ConsoleLine
from tests.conftest import make_settings

DATA = Path(__file__).resolve().parents[1] / "data"


def _load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Conversations the assistant does not hold yet, by name: each must fail (strict), so a fix removes it here.
NOT_YET: set[str] = {
    "send me invoice: the user's own copy",
    "mail me the invoice: own address, no question",
}

CONVERSATIONS = [
    pytest.param(
        conv,
        id=f"{path.stem}:{conv['name']}",
        marks=[pytest.mark.xfail(strict=True, reason="not held yet")] if conv["name"] in NOT_YET else [],
    )
    for path in sorted(DATA.glob("conversations_*.jsonl"))
    for conv in _load(path.name)
]


async def play(data_dir: Path, conversation: dict[str, Any]) -> list[str]:
    """Plays every turn and returns what went wrong, one line a broken expectation (empty: all held)."""
    app = await build_application(make_settings(data_dir))
    problems: list[str] = []
    try:
        console = ConsoleChannel(app.pipeline, json_mode=True)
        user = None if conversation["user"] == "-" else conversation["user"]
        conversation_id = "dev-" + re.sub(r"\W+", "-", conversation["name"])[:40]
        for number, (text, expect) in enumerate(conversation["turns"], start=1):
            reply = await app.pipeline.handle(
                console.to_message(ConsoleLine(conversation_id, text), Arrival(user_id=user))
            )
            shown = console.render(reply)
            said = json.loads(shown)
            where = f"turn {number} {text!r}"
            if "intent" in expect and said.get("intent") not in expect["intent"].split("|"):
                problems.append(f"{where}: intent {said.get('intent')!r}, wanted {expect['intent']!r}")
            if "re" in expect and not re.search(expect["re"], shown):
                problems.append(f"{where}: /{expect['re']}/ not in {shown[:600]}")
            if "not_re" in expect and re.search(expect["not_re"], shown):
                problems.append(f"{where}: /{expect['not_re']}/ found in {shown[:600]}")
            if "lang" in expect and said.get("language") != expect["lang"]:
                problems.append(f"{where}: language {said.get('language')!r}, wanted {expect['lang']!r}")
    finally:
        await app.close()
    return problems


@pytest.mark.parametrize("conversation", CONVERSATIONS)
async def test_conversation(data_dir: Path, conversation: dict[str, Any]) -> None:
    problems = await play(data_dir, conversation)
    assert not problems, "\n".join(problems)


def test_the_conversation_files_are_here() -> None:
    assert len(_load("conversations_dev.jsonl")) >= 26
