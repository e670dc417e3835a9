"""Who a person in another channel is: one supportbot user id across Slack, Teams and web chat.

A channel names people by its own ids. The first time one talks to the bot, the channel's verified
e-mail (Slack's users.info, the Teams user principal name) is matched to a user and the link is
stored; later messages find the link without asking the channel again. Nobody matched is a guest.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from supportbot.integrations.protocols import DirectoryBackend

EmailLookup = Callable[[], Awaitable[str | None]]


class IdentityResolver:
    def __init__(
        self,
        directory: DirectoryBackend,
        *,
        guest_ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._links: dict[tuple[str, str], str] = {}
        self._guests: dict[tuple[str, str], float] = {}
        self._guest_ttl = guest_ttl
        self._clock = clock

    async def resolve(
        self, channel: str, external_id: str, *, email: EmailLookup, matched_by: str
    ) -> str | None:
        """The user id for the channel's person, or ``None`` for a guest.

        ``email`` is only called when no link exists yet (it may cost the channel an API call), and a
        person who matched nobody is not looked up again for ``guest_ttl`` seconds.
        """
        key = (channel, external_id)
        if key in self._links:
            return self._links[key]
        since = self._guests.get(key)
        if since is not None and self._clock() - since < self._guest_ttl:
            return None
        user_id = await self._directory.linked_user(channel, external_id)
        if user_id is None:
            address = await email()
            if address:
                user_id = await self._directory.link_identity(
                    channel, external_id, email=address, matched_by=matched_by
                )
        if user_id is None:
            if len(self._guests) > 10_000:
                self._guests.clear()
            self._guests[key] = self._clock()
            return None
        self._guests.pop(key, None)
        self._links[key] = user_id
        return user_id
