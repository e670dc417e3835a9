"""Named crash points, for the tests that kill a real server at a chosen moment.

``crash_point("turn.before_save")`` does nothing unless the environment variable
``SUPPORTBOT_CRASH_AT`` names that point when the process starts: ``name`` kills at its first pass,
``name:N`` at its N-th (the second turn of a conversation, say); several may be given, comma-separated. The process then
kills itself with SIGKILL right there, exactly as a power cut or an OOM kill would, with no clean-up.
It lets a test prove that a write, its idempotency key, its queued mail and the stored turn survive a
crash at every step in between. Never set the variable on a real deployment.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

CRASH_AT = "SUPPORTBOT_CRASH_AT"

POINTS = (
    "action.committed",  # a back end's write (with its idempotency key and queued mail) has committed
    "mail.delivered",  # the transport took a queued mail; its row does not say so yet
    "turn.before_save",  # the reply is decided; the turn is not stored yet
    "reply.before_send",  # the turn is stored; the reply is not sent yet
)

_passes: Counter[str] = Counter()
"""How often each point was passed in this process (only counted while the variable is set)."""


def _wanted(value: str) -> dict[str, frozenset[int]]:
    """The points ``SUPPORTBOT_CRASH_AT`` names, each with the passes to kill at."""
    wanted: dict[str, set[int]] = {}
    for part in value.split(","):
        point, _, nth = part.strip().partition(":")
        if point:
            wanted.setdefault(point, set()).add(int(nth) if nth.isdigit() else 1)
    return {point: frozenset(passes) for point, passes in wanted.items()}


_WANTED = _wanted(os.environ.get(CRASH_AT, ""))
"""Read once, when the process starts (the tests set it for the server they start): a turn passes two
points, and looking a variable that is not set up in the environment costs a raised ``KeyError``."""


def crash_point(name: str) -> None:
    """Kills this process when ``SUPPORTBOT_CRASH_AT`` names ``name`` (at this pass); inert otherwise."""
    if not _WANTED:
        return
    _passes[name] += 1
    if _passes[name] in _WANTED.get(name, ()):
        os.kill(os.getpid(), signal.SIGKILL)
