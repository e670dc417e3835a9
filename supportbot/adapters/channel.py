"""The contract every channel keeps, so the server builds, mounts and reaches them all the same way.

A channel is one way people talk to the assistant (the web chat, Slack, Teams, the terminal console)
or one way agents serve them (the agent console, the Slack agents' channel). Each one:

- has a ``name``, the ``ConversationRef.channel`` of its conversations (what handoffs and notices
  route by);
- declares its ``capabilities``: what it can show and send beyond text and buttons (``Capability``);
- ``mount``\\ s itself on the server: its routes and its start-up and clean-up work (nothing for the
  console, which has no server);
- ``deliver``\\ s a notice (a proactive ``Reply``) to a user, answering ``False`` when it cannot reach
  them; a channel whose open chats already get notices over the bus answers ``False`` too.

A channel people chat in (``ConversationChannel``) also turns what arrived into the bot's ``Message``
and renders a ``Reply`` in its wire format; ``rendering.walk`` is the one walk through a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from supportbot.bot.messages import Capability, InboundFile, Message, Reply

if TYPE_CHECKING:
    from aiohttp import web

InboundT_contra = TypeVar("InboundT_contra", contravariant=True)
WireT_co = TypeVar("WireT_co", covariant=True)


@dataclass(frozen=True)
class Arrival:
    """What a channel knows of a message beyond its wire format: who sent it (the user id the channel
    verified, ``None`` for a guest), when (``None``: the store's own clock stamps it), and the files
    it fetched for it."""

    user_id: str | None
    received_at: datetime | None = None
    files: tuple[InboundFile, ...] = ()


@runtime_checkable
class Channel(Protocol):
    """A channel the server hosts (see the module's docstring)."""

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> frozenset[Capability]: ...

    def mount(self, web_app: web.Application) -> None:
        """Add the channel's routes and its start-up and clean-up work to the server."""

    async def deliver(self, user_id: str, reply: Reply) -> bool:
        """Send a notice to ``user_id``; ``False`` when the channel cannot reach them."""
        ...


@runtime_checkable
class ConversationChannel(Channel, Protocol[InboundT_contra, WireT_co]):
    """A channel people chat with the bot in: a message in, a reply out."""

    def to_message(self, inbound: InboundT_contra, arrival: Arrival) -> Message:
        """The bot's ``Message`` for what arrived (``InboundT_contra`` is the channel's own shape of it)."""
        ...

    def render(self, reply: Reply) -> WireT_co:
        """The reply in the channel's wire format."""
        ...
