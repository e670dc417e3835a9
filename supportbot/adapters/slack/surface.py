"""What the Slack adapter handles, in one place: the manifest and the bolt app are both built from it."""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "message.im": "a direct message to the bot (its text, and files shared in it)",
    "app_mention": "@supportbot in a channel (answered only to the person who asked)",
    "app_home_opened": "the bot's Home tab: a short introduction",
    "message.channels": "agents' replies in a handoff's thread of the agents' channel (SLACK_AGENT_CHANNEL)",
    "message.groups": "the same when the agents' channel is private",
}
"""Bot events as the manifest names them (``message.im`` is the ``message`` event in a DM)."""

COMMAND = "/support"
COMMAND_DESCRIPTION = "Ask the support assistant"
COMMAND_HINT = "where is my order 4711?"

SCOPES: dict[str, str] = {
    "app_mentions:read": "app_mention events",
    "channels:history": "message.channels events: replies in the agents' channel's threads",
    "chat:write": "chat.postMessage, chat.postEphemeral, chat.update (the agents' channel's threads)",
    "commands": "the /support command",
    "files:read": "url_private_download (and files.info) of the files a person sends the bot in a DM",
    "files:write": "files_upload_v2 of reports into the DM",
    "groups:history": "message.groups events: the same in a private agents' channel",
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

FORM_ACTION = "supportbot_form"
"""``action_id`` of the button that opens a reply's form: pressing it types the form's ``open_value``, and
the answer (the form again) opens as a modal with that press's ``trigger_id``."""
FORM_VIEW = "supportbot_form"
"""``callback_id`` of a form modal; ``private_metadata`` names the form and the DM its answer goes to."""
FORM_INPUT = "value"
"""``action_id`` of every input of a form modal; the input's ``block_id`` is the field's name."""

EVENTS_PATH = "/slack/events"
"""One request URL for events, interactivity and the slash command."""
