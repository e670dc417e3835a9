"""One sign-in for every door (the web chat's and the agent console's): one set of limits per user ID
and per client address, kept in the database for every worker, and one answer for every failure.

A door may admit only some users (the agent console only agents). Someone it does not admit fails
like a wrong password, and counts like one, so the door tells nobody whether a password was right.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from supportbot.bot.limits import Limits, Rule
from supportbot.integrations.errors import BackendUnavailable
from supportbot.integrations.models import Principal
from supportbot.integrations.protocols import DirectoryBackend

log = logging.getLogger(__name__)

LOGIN_ATTEMPTS = 10
"""Failed sign-ins per user ID in ``LOGIN_WINDOW`` seconds, at any door, before further attempts are refused."""
LOGIN_WINDOW = 300.0
ADDRESS_ATTEMPTS = 30
"""Failed sign-ins per client address in ``ADDRESS_WINDOW`` seconds before it may not try at all."""
ADDRESS_WINDOW = 900.0

Result = Literal["ok", "failed", "rate_limited", "unavailable", "internal"]


@dataclass(frozen=True)
class Outcome:
    result: Result
    principal: Principal | None = None
    stamp: str | None = None
    """The password's stamp, read before the password was checked (a session is bound to it)."""


class SignIn:
    def __init__(self, directory: DirectoryBackend, limits: Limits, *, secret_key: bytes) -> None:
        self.directory = directory
        self.limits = limits
        self._tag_key = hashlib.sha256(b"supportbot-sign-in-log\x00" + secret_key).digest()

    def _tag(self, user: str) -> str:
        """What the log says of a typed user ID: a keyed hash, the same for every attempt at one ID (so
        attempts at one account can be seen together), but not the text, which may be a password."""
        return hmac.new(self._tag_key, user.encode(), hashlib.sha256).hexdigest()[:12]

    async def attempt(
        self,
        user: str,
        password: str,
        *,
        address: str,
        door: str,
        admits: Callable[[Principal], bool] = lambda principal: True,
    ) -> Outcome:
        """Check a user ID and password at ``door`` ("webchat", "agents") for someone at ``address``."""
        typed = user.casefold()
        per_user = Rule(f"signin:user:{typed}", LOGIN_ATTEMPTS, LOGIN_WINDOW)
        per_address = Rule(f"signin:address:{address}", ADDRESS_ATTEMPTS, ADDRESS_WINDOW)
        # Two limits. An address that failed too often may not try at all. A user ID that failed too
        # often is locked only for addresses that have failed recently: a stranger guessing Anna's
        # password locks themselves out, not Anna, who signs in from an address that has not failed.
        # The trade-off: an attacker with many addresses gets one guess per fresh address per window
        # at a locked user ID (and 30 per address across user IDs); a lock that shut out Anna as well
        # would let anyone lock any user out at will.
        # Fails closed: with the limits out of reach (the database, or Redis with several workers), no
        # password is checked, so none can be guessed unlimited meanwhile.
        try:
            user_locked = await self.limits.full(per_user)
            refused = await self.limits.full(per_address) or (
                user_locked and await self.limits.seen(per_address)
            )
        except BackendUnavailable as exc:
            log.warning("%s: sign-in limits unavailable (%s); the sign-in is refused", door, exc)
            return Outcome("unavailable")
        if refused:
            log.warning(
                "%s: sign-in refused for #%s from %s, too many failed attempts",
                door,
                self._tag(typed),
                address,
            )
            return Outcome("rate_limited")
        try:
            # Read before the password is checked: if it changes in between, this session is born stale.
            stamp = await self.directory.credential_stamp(user)
            principal = await self.directory.authenticate(user, password)
        except BackendUnavailable:
            log.warning("%s: directory unavailable at sign-in", door)
            return Outcome("unavailable")
        except Exception as exc:
            log.error("%s: sign-in failed with %s", door, type(exc).__name__)
            return Outcome("internal")
        if principal is None or principal.user_id is None or not admits(principal):
            try:
                await self.limits.hit(per_user)
                await self.limits.hit(per_address)
            except BackendUnavailable as exc:  # refused all the same; the next attempt is refused too
                log.warning("%s: a failed sign-in was not counted (%s)", door, exc)
            reason = "wrong user ID or password" if principal is None else "not admitted at this door"
            log.warning("%s: sign-in failed for #%s from %s: %s", door, self._tag(typed), address, reason)
            return Outcome("rate_limited" if user_locked else "failed")
        return Outcome("ok", principal, stamp)
