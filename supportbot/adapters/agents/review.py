"""The console's review list: the messages the NLU missed (``bot.learning``), and what agents make of
them. An intent assigned (or "out of scope") becomes an example of this deployment and this worker's
NLU is rebuilt with it before the agent is answered; the other workers follow within
``Settings.nlu_check_seconds``. Every console sees a line leave the list (``review_changed``).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from supportbot.bot.bus import MessageBus
from supportbot.bot.learning import LearnedNLU
from supportbot.bot.store.misses import ASSIGNED, DISMISSED, NONE, OUT_OF_SCOPE, Example, MissRows

log = logging.getLogger(__name__)

REVIEW_TOPIC = "agents:review"
"""A line of the review list was resolved: every console drops it."""
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class Review:
    def __init__(
        self,
        rows: MissRows,
        nlu: LearnedNLU,
        *,
        intents: Sequence[str],
        bus: MessageBus,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.rows = rows
        self.nlu = nlu
        self.intents = sorted(set(intents) - {NONE})
        """The catalogue: what an agent may assign."""
        self.bus = bus
        self._clock = clock or (lambda: datetime.now(UTC))

    async def act(self, kind: str, frame: dict[str, Any], *, agent: str) -> list[dict[str, Any]]:
        """Answers one review frame of the console (docs/agent-console.md): the frames to send back."""
        if kind == "review":
            return [await self.listing()]
        if kind == "review_reload":
            version = await self.nlu.reload()
            return [{"type": "result", "action": kind, "ok": True, "version": version}]
        miss_id = frame.get("id")
        if not isinstance(miss_id, str) or not miss_id or len(miss_id) > 32:
            return [{"type": "error", "code": "bad_frame"}]
        if kind == "review_assign":
            intent = frame.get("intent")
            if not isinstance(intent, str) or intent not in self.intents:
                return [{"type": "error", "code": "bad_frame", "id": miss_id}]
            status, learned = ASSIGNED, intent
        elif kind == "review_out_of_scope":
            status, learned = OUT_OF_SCOPE, NONE
        elif kind == "review_dismiss":
            status, learned = DISMISSED, None
        else:
            return [{"type": "error", "code": "bad_frame"}]
        resolved = await self.rows.resolve(miss_id, status=status, intent=learned, by=agent, at=self._clock())
        if resolved is None:
            return [{"type": "result", "action": kind, "id": miss_id, "ok": False}]
        log.info("agents: %s resolved a miss as %s%s", agent, status, f" ({learned})" if learned else "")
        version = await self.nlu.reload() if learned is not None else self.nlu.version
        await self.bus.publish(
            REVIEW_TOPIC, {"type": "review_changed", "id": miss_id, "status": status, "assigned": learned}
        )
        return [{"type": "result", "action": kind, "id": miss_id, "ok": True, "version": version}]

    async def listing(self) -> dict[str, Any]:
        items = await self.rows.open_list()
        return {
            "type": "review",
            "items": [item.to_json() for item in items],
            "intents": self.intents,
            "version": self.nlu.version,
        }

    async def csv(self) -> str:
        """This deployment's examples as CSV (``text,intent,language``), for the project's example files."""
        return examples_csv(await self.rows.examples())


def examples_csv(examples: Sequence[Example]) -> str:
    """A cell that a spreadsheet would run as a formula starts with an apostrophe, as spreadsheets
    show text; drop it when copying such a line into an example file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["text", "intent", "language"])
    for example in examples:
        text = "'" + example.text if example.text.startswith(_FORMULA) else example.text
        writer.writerow([text, example.intent, example.language])
    return out.getvalue()
