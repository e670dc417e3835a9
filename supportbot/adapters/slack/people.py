"""Who a Slack person is to us: the one rule for the e-mail Slack vouches for, which links them to a
user (``bot.identity``). The customers' channel and the agents' channel both link people by it."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


async def verified_email(client: AsyncWebClient, slack_user: str) -> str | None:
    """The e-mail Slack has verified for the person, or ``None`` (bots, deleted, unconfirmed)."""
    try:
        response = await client.users_info(user=slack_user)
    except SlackApiError as exc:
        log.warning("slack: users.info failed for %s: %s", slack_user, exc.response.get("error"))
        return None
    user = response.get("user") or {}
    if user.get("deleted") or user.get("is_bot") or user.get("is_email_confirmed") is False:
        return None
    email = (user.get("profile") or {}).get("email")
    return email if isinstance(email, str) and "@" in email else None
