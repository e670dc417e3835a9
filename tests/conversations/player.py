"""Plays a written conversation through the real pipeline, as `supportbot chat --json` sees it, and says
which of its expectations did not hold. Used by the conversation tests and by the conversation benchmark.

A conversation is ``{"name", "user": e-mail or "-" for a guest, "turns": [[text, expectations], ...]}``; a
turn's expectations (all optional) are ``intent`` (the reply's intent, ``|``-separated alternatives), ``re``
(a regular expression that must match the reply's JSON), ``not_re`` (one that must not) and ``lang``.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportbot.adapters.app import build_application
from supportbot.adapters.channel import Arrival
from supportbot.adapters.console import ConsoleChannel, ConsoleLine
from supportbot.adapters.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data"


def load(path: Path) -> list[dict[str, Any]]:
    """The conversations of one ``.jsonl`` file (none when it is not there)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def conversation_files() -> list[Path]:
    """The people-written conversations and ours, one file a topic."""
    return sorted(DATA.glob("conversations_*.jsonl"))


@dataclass
class Played:
    problems: list[str] = field(default_factory=list)
    turns: int = 0
    cpu_seconds: float = 0.0
    """The process's CPU time spent in the turns themselves (not in starting the application)."""


def broken(text: str, expect: dict[str, Any], shown: str, number: int) -> list[str]:
    """The expectations of one turn that the reply (its JSON) does not meet."""
    said = json.loads(shown)
    where = f"turn {number} {text!r}"
    problems = []
    if "intent" in expect and said.get("intent") not in expect["intent"].split("|"):
        problems.append(f"{where}: intent {said.get('intent')!r}, wanted {expect['intent']!r}")
    if "re" in expect and not re.search(expect["re"], shown):
        problems.append(f"{where}: /{expect['re']}/ not in {shown[:600]}")
    if "not_re" in expect and re.search(expect["not_re"], shown):
        problems.append(f"{where}: /{expect['not_re']}/ found in {shown[:600]}")
    if "lang" in expect and said.get("language") != expect["lang"]:
        problems.append(f"{where}: language {said.get('language')!r}, wanted {expect['lang']!r}")
    return problems


async def play(settings: Settings, conversation: dict[str, Any]) -> Played:
    """Plays every turn on the application ``settings`` make (its data freshly seeded)."""
    app = await build_application(settings)
    played = Played()
    try:
        console = ConsoleChannel(app.pipeline, json_mode=True)
        user = None if conversation["user"] == "-" else conversation["user"]
        conversation_id = "dev-" + re.sub(r"\W+", "-", conversation["name"])[:40]
        for number, (text, expect) in enumerate(conversation["turns"], start=1):
            started = time.process_time()
            reply = await app.pipeline.handle(
                console.to_message(ConsoleLine(conversation_id, text), Arrival(user_id=user))
            )
            shown = console.render(reply)
            played.cpu_seconds += time.process_time() - started
            played.turns += 1
            played.problems.extend(broken(text, expect, shown, number))
    finally:
        await app.close()
    return played
