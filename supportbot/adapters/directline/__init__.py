"""Microsoft's WebChat talks to the assistant: a Direct Line 3.0 subset (docs/directline.md).

``tokens`` signs the bearer tokens (bound to one conversation and one user, short-lived) and the
stream tokens of a WebSocket's URL; ``activities`` holds the pure translation both ways (an activity
in becomes a ``Message``, a transcript line an activity); ``routes`` the REST endpoints and the
stream. A token is given only to a browser with a web chat session, on the web chat's own origin:
the same sign-in, the same cookie and the same rules.

Direct Line is off unless ``SUPPORTBOT_DIRECTLINE_ENABLED`` is true, so nothing of it is served
unconfigured.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supportbot.adapters.app import Application
    from supportbot.adapters.directline.routes import DirectLineChannel

log = logging.getLogger(__name__)


def build(app: Application) -> DirectLineChannel | None:
    """The Direct Line channel when it is switched on; says at start-up that it is off otherwise."""
    if not app.settings.directline_enabled:
        log.info("directline: off: SUPPORTBOT_DIRECTLINE_ENABLED is false; /v3/directline is not served")
        return None
    from supportbot.adapters.directline.routes import DirectLineChannel

    return DirectLineChannel(app)
