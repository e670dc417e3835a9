"""What the Slack adapter handles, in one place: the manifest and the bolt app are both built from it."""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "message.im": "a direct message to the bot",
    "app_mention": "@supportbot in a channel (answered only to the person who asked)",
    "app_home_opened": "the bot's Home tab: a short introduction",
}
"""Bot events as the manifest names them (``message.im`` is the ``message`` event in a DM)."""

COMMAND = "/support"
COMMAND_DESCRIPTION = "Ask the support assistant"
COMMAND_HINT = "where is my order 4711?"

SCOPES: dict[str, str] = {
    "app_mentions:read": "app_mention events",
    "chat:write": "chat.postMessage, chat.postEphemeral",
    "commands": "the /support command",
    "files:write": "files_upload_v2 of reports into the DM",
    "im:history": "message.im events",
    "im:read": "the Messages tab: direct messages with the bot",
    "im:write": "conversations.open: the DM a notice or a modal's answer is posted in",
    "users:read": "users.info",
    "users:read.email": "the verified e-mail in users.info that links a Slack user to a user id",
}
"""Bot token scopes, each with the call or event that needs it."""

BUTTON_ACTION = "supportbot_button"
"""``action_id`` prefix of reply buttons: pressing one types its ``value``."""
LINK_ACTION = "supportbot_link"
"""``action_id`` prefix of link buttons: Slack opens the URL and tells us, which needs only an ack."""

ASK_ACTION = "supportbot_ask"
"""``action_id`` of the Home tab's "Ask a question" button: it opens the question modal."""
ASK_VIEW = "supportbot_ask"
"""``callback_id`` of the question modal (``views.open``); its ``view_submission`` is the question."""
ASK_BLOCK = "question"
ASK_INPUT = "text"
"""``block_id`` and ``action_id`` of the modal's one multiline text input."""

EVENTS_PATH = "/slack/events"
"""One request URL for events, interactivity and the slash command."""
