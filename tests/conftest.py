"""Shared fixtures: a fresh assistant on a throw-away SQLite database, and transcripts that read like chats.

The demo data is seeded once per test session into a template file; every test gets its own copy,
so tests stay independent and fast.
"""

from __future__ import annotations

import asyncio
import email
import re
import shutil
import textwrap
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from supportbot.adapters.app import Application, build_application
from supportbot.adapters.settings import Settings
from supportbot.bot.messages import Capability, ConversationRef, FormSubmission, InboundFile, Message, Reply
from supportbot.integrations.sql.database import open_engine
from supportbot.integrations.sql.demo import demo_today
from supportbot.integrations.sql.migrate import migrate
from supportbot.integrations.sql.seed import seed_demo

TEST_SECRET = "test-secret-key-not-for-production-0123456789"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo data, seeded once for the whole run."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "supportbot.sqlite3"

    async def seed() -> None:
        engine = open_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await migrate(engine)
            await seed_demo(engine, today=demo_today())
        finally:
            await engine.dispose()

    asyncio.run(seed())
    return path


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "public_url": "http://127.0.0.1:8080",
        "secret_key": TEST_SECRET,
        "notice_interval_minutes": 0,  # a test that wants the scheduled contract notices turns them on
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def data_dir(tmp_path: Path, seeded_template: Path) -> Path:
    folder = tmp_path / "var"
    folder.mkdir()
    shutil.copy(seeded_template, folder / "supportbot.sqlite3")
    return folder


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return make_settings(data_dir)


@pytest.fixture
async def application(settings: Settings) -> AsyncIterator[Application]:
    app = await build_application(settings)
    try:
        yield app
    finally:
        await app.close()


# --- transcripts ---------------------------------------------------------------------------------

_LINE = re.compile(r"^(user|bot|press)\s*:\s?(.*)$")


@dataclass
class Conversation:
    """One chat with the assistant; ``transcript`` plays a script and checks every bot line."""

    app: Application
    user_id: str | None
    channel: str = "test"
    conversation_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    replies: list[Reply] = field(default_factory=list)
    capabilities: frozenset[Capability] = frozenset()
    """What the pretend channel can do: ``{"forms", "files"}`` plays a web chat, Slack or Teams."""

    @property
    def ref(self) -> ConversationRef:
        return ConversationRef(channel=self.channel, conversation_id=self.conversation_id)

    async def say(
        self,
        text: str,
        *,
        button: bool = False,
        delivery_id: str | None = None,
        files: tuple[InboundFile, ...] = (),
        form: FormSubmission | None = None,
    ) -> Reply:
        reply = await self.app.pipeline.handle(
            Message(
                conversation=self.ref,
                text=text,
                user_id=self.user_id,
                is_button=button,
                delivery_id=delivery_id or uuid.uuid4().hex,
                files=files,
                form=form,
                capabilities=self.capabilities,
            )
        )
        self.replies.append(reply)
        return reply

    async def submit(self, delivery_id: str | None = None, **values: str) -> Reply:
        """Send the last reply's form with its pre-filled values, changed by ``values``."""
        form = self.last.form
        assert form is not None, f"the last reply has no form:\n{self.last.plain_text()}"
        sent = {f.name: f.value for f in form.fields if f.kind != "info"} | values
        return await self.say("", form=FormSubmission(id=form.id, values=sent), delivery_id=delivery_id)

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    async def press(self, label: str) -> Reply:
        """Press a button of the last reply by (part of) its label."""
        buttons = [*self.last.buttons, *(b for card in self.last.cards for b in card.buttons)]
        matches = [b for b in buttons if label.lower() in b.label.lower()]
        assert matches, f"no button {label!r} in {[b.label for b in buttons]}"
        return await self.say(matches[0].value, button=True)

    async def transcript(self, script: str) -> None:
        """Lines ``user: text``, ``press: label`` and checks on the reply to the last of them:

        ``bot: ~ words`` the reply contains them (case-insensitive); ``bot: !~ words`` it does not;
        ``bot: = text`` its text is exactly this; ``bot: [intent.name]`` it came from that intent;
        ``bot: (sv)`` it is in that language.
        """
        for raw in textwrap.dedent(script).strip().splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = _LINE.match(line)
            assert match, f"bad transcript line: {line!r}"
            who, body = match.group(1), match.group(2).strip()
            if who == "user":
                await self.say(body)
            elif who == "press":
                await self.press(body)
            else:
                check_reply(self.last, body, context=self.replies[-1].text)


def check_reply(reply: Reply, check: str, *, context: str = "") -> None:
    shown = reply.plain_text().replace("\u00a0", " ")
    where = f"\n--- reply ---\n{shown}\n-------------"
    if check.startswith("!~"):
        needle = check[2:].strip()
        assert needle.lower() not in shown.lower(), f"reply must not contain {needle!r}{where}"
    elif check.startswith("~"):
        needle = check[1:].strip()
        assert needle.lower() in shown.lower(), f"reply should contain {needle!r}{where}"
    elif check.startswith("="):
        assert reply.text == check[1:].strip(), f"reply text differs{where}"
    elif check.startswith("[") and check.endswith("]"):
        assert reply.intent == check[1:-1], f"reply came from {reply.intent!r}, not {check[1:-1]!r}{where}"
    elif check.startswith("(") and check.endswith(")"):
        assert reply.language == check[1:-1], f"reply is in {reply.language!r}, not {check[1:-1]!r}{where}"
    else:
        raise AssertionError(f"unknown check {check!r}")


class BotDriver:
    def __init__(self, app: Application) -> None:
        self.app = app

    def as_user(self, user_id: str) -> Conversation:
        return Conversation(self.app, user_id)

    def as_guest(self) -> Conversation:
        return Conversation(self.app, None)


@pytest.fixture
def bot(application: Application) -> BotDriver:
    return BotDriver(application)


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Inbox:
    """A local SMTP server's mailbox: keeps every message the server accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content) for e in self.envelopes if isinstance(e.content, bytes)]


@pytest.fixture
def smtp_server(free_port: int) -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server (aiosmtpd) on a free port: its inbox and the port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port)
    controller.start()
    try:
        yield inbox, free_port
    finally:
        controller.stop()
