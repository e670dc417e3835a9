"""The console channel: an operator's tool on the server itself, plain text or one JSON line a reply."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from supportbot.adapters.channel import Arrival
from supportbot.adapters.rendering import ReplyParts, aligned_table, walk
from supportbot.bot.messages import Attachment, Capability, Card, ConversationRef, Message, Reply, Table
from supportbot.bot.pipeline import Pipeline

if TYPE_CHECKING:
    from aiohttp import web


class _Lines(ReplyParts[str]):
    """A reply's pieces as plain text lines; a form is not shown (the console declares no forms)."""

    def text(self, text: str) -> list[str]:
        return [text]

    def card(self, card: Card) -> list[str]:
        lines = ["", card.title + (f" — {card.subtitle}" if card.subtitle else "")]
        width = max((len(f.label) for f in card.fields), default=0)
        lines.extend(f"  {f.label.ljust(width)}  {f.value}" for f in card.fields)
        if card.url:
            lines.append(f"  {card.url_label or 'Link'}: {card.url}")
        return lines

    def table(self, table: Table) -> list[str]:
        return ["", *(f"  {line}" for line in aligned_table(table.columns, table.rows))]

    def attachments(self, attachments: tuple[Attachment, ...]) -> list[str]:
        return [f"  ⤓ {attachment.name}: {attachment.url}" for attachment in attachments]

    def buttons(self, reply: Reply) -> list[str]:
        buttons = _buttons(reply)
        if not buttons:
            return []
        return ["", *(f"  {i}) {label}" for i, (label, _) in enumerate(buttons, start=1))]


def render_text(reply: Reply) -> str:
    """Plain text; buttons (the cards' and the reply's) become a numbered list, answered by typing the number."""
    return "\n".join(walk(reply, _Lines()))


def _buttons(reply: Reply) -> list[tuple[str, str]]:
    found = [(b.label, b.value) for card in reply.cards for b in card.buttons]
    found.extend((b.label, b.value) for b in reply.buttons)
    return found


def reply_json(reply: Reply) -> dict[str, Any]:
    return reply.model_dump(mode="json")


@dataclass(frozen=True)
class ConsoleLine:
    """One line the operator typed: its words, or the value of the button whose number was typed."""

    conversation_id: str
    text: str
    is_button: bool = False


class ConsoleChannel:
    """The console as a channel: no server, no forms or files, plain text (or one JSON line) a reply."""

    name = "console"
    capabilities: frozenset[Capability] = frozenset()

    def __init__(self, pipeline: Pipeline, *, json_mode: bool) -> None:
        self.pipeline = pipeline
        self.json_mode = json_mode

    def mount(self, web_app: web.Application) -> None:
        """The console runs in a terminal, beside no server: nothing to add."""

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """A notice waits in the user's inbox: the console shows only the replies to what is typed."""
        return False

    def to_message(self, inbound: ConsoleLine, arrival: Arrival) -> Message:
        return Message(
            conversation=ConversationRef(channel=self.name, conversation_id=inbound.conversation_id),
            text=inbound.text,
            user_id=arrival.user_id,
            delivery_id=uuid.uuid4().hex,
            is_button=inbound.is_button,
        )

    def render(self, reply: Reply) -> str:
        return json.dumps(reply_json(reply), ensure_ascii=False) if self.json_mode else render_text(reply)

    async def run(
        self, *, user_id: str | None, stdin: IO[str] | None = None, stdout: IO[str] | None = None
    ) -> int:
        """Read one message a line until end of input; answer each before reading the next."""
        stdin = stdin or sys.stdin
        stdout = stdout or sys.stdout
        conversation_id = uuid.uuid4().hex
        interactive = not self.json_mode and stdin.isatty()
        last_buttons: list[tuple[str, str]] = []
        loop = asyncio.get_running_loop()
        while True:
            if interactive:
                stdout.write("you> ")
                stdout.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                return 0
            text = line.rstrip("\r\n")
            is_button = False
            if not self.json_mode and text.strip().isdigit() and 0 < int(text.strip()) <= len(last_buttons):
                text, is_button = last_buttons[int(text.strip()) - 1][1], True
            arrival = Arrival(user_id=user_id)
            reply = await self.pipeline.handle(
                self.to_message(ConsoleLine(conversation_id, text, is_button), arrival)
            )
            last_buttons = _buttons(reply)
            if reply.silent and not self.json_mode:  # an agent has the conversation: nothing to show
                continue
            if self.json_mode:
                stdout.write(self.render(reply) + "\n")
            else:
                stdout.write(("bot> " if interactive else "") + self.render(reply) + "\n\n")
            stdout.flush()
