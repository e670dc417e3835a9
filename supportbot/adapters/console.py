"""The console channel: an operator's tool on the server itself, plain text or one JSON line a reply."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from typing import IO, Any

from supportbot.adapters.rendering import ReplyParts, aligned_table, walk
from supportbot.bot.messages import Attachment, Card, ConversationRef, Message, Reply, Table
from supportbot.bot.pipeline import Pipeline


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


async def run_console(
    pipeline: Pipeline,
    *,
    user_id: str | None,
    json_mode: bool,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
) -> int:
    """Read one message a line until end of input; answer each before reading the next."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    ref = ConversationRef(channel="console", conversation_id=uuid.uuid4().hex)
    interactive = not json_mode and stdin.isatty()
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
        if not json_mode and text.strip().isdigit() and 0 < int(text.strip()) <= len(last_buttons):
            text, is_button = last_buttons[int(text.strip()) - 1][1], True
        reply = await pipeline.handle(
            Message(
                conversation=ref,
                text=text,
                user_id=user_id,
                delivery_id=uuid.uuid4().hex,
                is_button=is_button,
            )
        )
        last_buttons = _buttons(reply)
        if reply.silent and not json_mode:  # an agent has the conversation: nothing to show
            continue
        if json_mode:
            stdout.write(json.dumps(reply_json(reply), ensure_ascii=False) + "\n")
        else:
            stdout.write(("bot> " if interactive else "") + render_text(reply) + "\n\n")
        stdout.flush()
