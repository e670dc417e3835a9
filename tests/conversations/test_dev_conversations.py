"""Conversations people wrote on the demo data, played through the real pipeline as `supportbot chat --json`
sees them: corrections, typos, answers to the bot's own questions, context, language switches.

Each line of ``tests/data/conversations_dev.jsonl`` is one conversation, on freshly seeded data:
``{"name", "user": e-mail or "-" for a guest, "turns": [[text, expectations], ...]}``. A turn's expectations
(all optional) are ``intent`` (the reply's intent, ``|``-separated alternatives), ``re`` (a regular expression
that must match the reply's JSON), ``not_re`` (one that must not) and ``lang``. Our own conversations for
each dialog rule live beside it in ``tests/data/conversations_*.jsonl``, in the same format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.conversations.player import DATA, conversation_files, load, play

# Conversations the assistant does not hold yet, by name: each must fail (strict), so a fix removes it here.
NOT_YET: set[str] = set()

CONVERSATIONS = [
    pytest.param(
        conv,
        id=f"{path.stem}:{conv['name']}",
        marks=[pytest.mark.xfail(strict=True, reason="not held yet")] if conv["name"] in NOT_YET else [],
    )
    for path in conversation_files()
    for conv in load(path)
]


@pytest.mark.parametrize("conversation", CONVERSATIONS)
async def test_conversation(data_dir: Path, conversation: dict[str, Any]) -> None:
    played = await play(make_settings(data_dir), conversation)
    assert played.turns == len(conversation["turns"])
    assert not played.problems, "\n".join(played.problems)


def test_the_conversation_files_are_here() -> None:
    assert len(load(DATA / "conversations_dev.jsonl")) >= 26
