"""A ``Reply`` out as Block Kit: pure functions, so every rule is unit-tested without Slack.

Slack's limits are kept here (3000 characters a section, 10 fields, 25 buttons an actions block,
50 blocks a message); what does not fit is cut with an ellipsis rather than rejected by Slack.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from supportbot.adapters.rendering import ReplyParts, aligned_table, walk
from supportbot.adapters.slack import wording  # noqa: F401 (registers the slack.* words rendered here)
from supportbot.adapters.slack.surface import (
    ASK_ACTION,
    ASK_BLOCK,
    ASK_INPUT,
    ASK_VIEW,
    BUTTON_ACTION,
    FORM_ACTION,
    FORM_INPUT,
    FORM_VIEW,
    LINK_ACTION,
)
from supportbot.bot.i18n import translate
from supportbot.bot.messages import Attachment, Button, Card, Form, FormField, Reply, Table

Block = dict[str, Any]

MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_BUTTONS = 25
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_TABLE_ROWS = 30
MAX_QUESTION = 3000
"""The longest a ``plain_text_input`` may be."""
MAX_VIEW_TITLE = 24
"""A modal's title and its submit and close labels."""
MAX_LABEL = 2000
MAX_OPTIONS = 100
MAX_OPTION_LABEL = 75
MAX_OPTION_VALUE = 150


def escape(text: str) -> str:
    """Slack's three control characters, so user and back-end text never becomes a link or mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_url(url: str | None) -> str | None:
    """Only absolute http(s) URLs Slack can link; anything else (``javascript:``, a bare path) is dropped."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.netloc or any(c in url for c in "<>| \n"):
        return None
    return url


def link(url: str, label: str) -> str:
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(_cut(text, MAX_SECTION))}


def _text_sections(text: str) -> list[Block]:
    """Long text split on line breaks into sections that each fit."""
    blocks: list[Block] = []
    chunk = ""
    for line in escape(text).split("\n"):
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) > MAX_SECTION and chunk:
            blocks.append(_section(chunk))
            chunk = line
        else:
            chunk = candidate
    if chunk.strip():
        blocks.append(_section(chunk))
    return blocks


def _button(button: Button, index: int) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(button.label, MAX_BUTTON_LABEL) or "…", "emoji": True},
        "action_id": f"{BUTTON_ACTION}_{index}",
        "value": button.value[:MAX_BUTTON_VALUE],
    }


def _link_button(url: str, label: str, index: int) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(label, MAX_BUTTON_LABEL) or "…", "emoji": True},
        "action_id": f"{LINK_ACTION}_{index}",
        "url": url,
    }


class _Counter:
    """Unique action ids within one message, as Slack requires."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _actions(elements: list[Block]) -> list[Block]:
    return [
        {"type": "actions", "elements": elements[i : i + MAX_BUTTONS]}
        for i in range(0, len(elements), MAX_BUTTONS)
    ]


def _card(card: Card, ids: _Counter) -> list[Block]:
    title = f"*{escape(card.title)}*"
    if card.subtitle:
        title += f"\n{escape(card.subtitle)}"
    blocks: list[Block] = [_section(title)]
    fields = [_mrkdwn(_cut(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD)) for f in card.fields]
    for start in range(0, len(fields), MAX_FIELDS):
        blocks.append({"type": "section", "fields": fields[start : start + MAX_FIELDS]})
    elements = [_button(b, ids.next()) for b in card.buttons]
    url = slack_url(card.url)
    if url:
        elements.append(_link_button(url, card.url_label or url, ids.next()))
    blocks.extend(_actions(elements))
    return blocks


def table_text(table: Table) -> str:
    """A table as aligned monospace text; rows beyond ``MAX_TABLE_ROWS`` are counted, not shown."""
    rows = [
        tuple(c.replace("```", "'''").replace("\n", " ") for c in row) for row in table.rows[:MAX_TABLE_ROWS]
    ]
    lines = aligned_table(table.columns, rows)
    more = len(table.rows) - len(rows)
    if more > 0:
        lines.append(f"… +{more}")
    return "\n".join(lines)


def _table(table: Table) -> Block:
    body = escape(table_text(table))
    return _section(f"```{_cut(body, MAX_SECTION - 6)}```")


def _attachments(attachments: tuple[Attachment, ...]) -> list[Block]:
    lines = []
    for attachment in attachments:
        url = slack_url(attachment.url)
        if url:
            lines.append(f":page_facing_up: {link(url, attachment.name)}")
    return [_section("\n".join(lines))] if lines else []


def _form_button(form: Form) -> Block:
    """The button that opens the form as a modal (a modal needs the fresh trigger of a press)."""
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(form.open_label, MAX_BUTTON_LABEL) or "…", "emoji": True},
        "action_id": FORM_ACTION,
        "value": form.open_value[:MAX_BUTTON_VALUE],
        "style": "primary",
    }


def _form_errors(form: Form) -> list[Block]:
    """A refused form's marked fields, each with why, above the button that opens it again."""
    lines = [f":warning: *{escape(f.label)}*: {escape(f.error)}" for f in form.fields if f.error]
    return [_section("\n".join(lines))] if lines else []


class _Blocks(ReplyParts[Block]):
    """A reply's pieces as Block Kit; a form is not shown in the message: a button opens it as a modal
    (``form_view``), above which a refused form's marked fields are listed."""

    def __init__(self, *, link_attachments: bool) -> None:
        self.ids = _Counter()
        self.link_attachments = link_attachments

    def text(self, text: str) -> list[Block]:
        return _text_sections(text)

    def card(self, card: Card) -> list[Block]:
        return _card(card, self.ids)

    def table(self, table: Table) -> list[Block]:
        return [_table(table)] if table.columns else []

    def attachments(self, attachments: tuple[Attachment, ...]) -> list[Block]:
        return _attachments(attachments) if self.link_attachments else []

    def form(self, form: Form) -> list[Block]:
        return _form_errors(form)

    def buttons(self, reply: Reply) -> list[Block]:
        elements = [_button(b, self.ids.next()) for b in reply.buttons]
        if reply.form is not None:
            elements.insert(0, _form_button(reply.form))
        return _actions(elements)


def to_blocks(reply: Reply, *, link_attachments: bool = True) -> list[Block]:
    """The reply as Block Kit. ``link_attachments=False`` when the host uploads the files instead."""
    blocks = walk(reply, _Blocks(link_attachments=link_attachments))
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], _section("…")]
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification and screen-reader text Slack shows where blocks are not rendered."""
    return _cut(escape(reply.text) or "…", MAX_TEXT)


def pressed(blocks: list[Block], label: str) -> list[Block]:
    """A message's blocks once one of its reply buttons was pressed: those buttons go (a second
    press would ask again) and a line says which was chosen; link buttons stay, they still open."""
    kept: list[Block] = []
    marked = False
    for block in blocks:
        if block.get("type") != "actions":
            kept.append(block)
            continue
        elements = [
            e for e in block.get("elements", []) if not str(e.get("action_id", "")).startswith(BUTTON_ACTION)
        ]
        if elements:
            kept.append({**block, "elements": elements})
        if len(elements) < len(block.get("elements", [])) and not marked:
            kept.append({"type": "context", "elements": [_mrkdwn(f"\u2713 *{escape(label)}*")]})
            marked = True
    return kept


def button_values(blocks: list[Block]) -> list[str]:
    """The values of the reply buttons in rendered blocks (what pressing each one types)."""
    return [
        element["value"]
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if "value" in element
    ]


def home_view(language: str, *, name: str | None, guest: bool) -> Block:
    """The Home tab: who the bot is and how to ask it (``views.publish``)."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": translate("slack.home.title", language)}},
        _section(escape(translate("slack.home.intro", language, name=f" {name}" if name else ""))),
        _section(translate("slack.home.how", language)),
    ]
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": _plain(translate("slack.home.ask", language)),
                    "action_id": ASK_ACTION,
                    "style": "primary",
                }
            ],
        }
    )
    if guest:
        blocks.append(
            {"type": "context", "elements": [_mrkdwn(escape(translate("slack.home.guest", language)))]}
        )
    return {"type": "home", "blocks": blocks}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def ask_view(language: str) -> Block:
    """The question modal (``views.open``): one multiline input; the language rides along for its errors."""
    return {
        "type": "modal",
        "callback_id": ASK_VIEW,
        "private_metadata": json.dumps({"language": language}),
        "title": _plain(translate("slack.modal.title", language)),
        "submit": _plain(translate("slack.modal.submit", language)),
        "close": _plain(translate("slack.modal.cancel", language)),
        "blocks": [
            {
                "type": "input",
                "block_id": ASK_BLOCK,
                "label": _plain(translate("slack.modal.label", language)),
                "hint": _plain(translate("slack.modal.hint", language)),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ASK_INPUT,
                    "multiline": True,
                    "max_length": MAX_QUESTION,
                    "placeholder": _plain(translate("slack.modal.placeholder", language)),
                },
            }
        ],
    }


def ask_errors(language: str) -> dict[str, str]:
    """``response_action: errors`` for an empty question: a message on the input block."""
    return {ASK_BLOCK: translate("slack.modal.empty", language)}


# --- forms as modals ---------------------------------------------------------------------------------


def _info(fields: list[FormField], language: str) -> list[Block]:
    """Read-only profile values (name, company, customer number…) as section fields."""
    shown = [
        _mrkdwn(
            _cut(
                f"*{escape(f.label)}*\n{escape(f.value) or translate('slack.form.none', language)}", MAX_FIELD
            )
        )
        for f in fields
    ]
    return [
        {"type": "section", "fields": shown[i : i + MAX_FIELDS]} for i in range(0, len(shown), MAX_FIELDS)
    ]


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _plain(_cut(label, MAX_OPTION_LABEL) or "…"), "value": value[:MAX_OPTION_VALUE]}


def _input(field: FormField, language: str) -> Block:
    """One editable field: a select for choices, a (multiline) text input otherwise, pre-filled."""
    element: dict[str, Any]
    if field.kind == "choice" and field.choices:
        options = [_option(c.label, c.value) for c in field.choices[:MAX_OPTIONS]]
        element = {
            "type": "static_select",
            "action_id": FORM_INPUT,
            "placeholder": _plain(translate("slack.form.choose", language)),
            "options": options,
        }
        chosen = next((o for o in options if o["value"] == field.value), None)
        if chosen is not None:
            element["initial_option"] = chosen
    else:
        limit = min(field.max_length or MAX_QUESTION, MAX_QUESTION)
        element = {
            "type": "plain_text_input",
            "action_id": FORM_INPUT,
            "multiline": field.kind == "textarea",
            "max_length": limit,
        }
        if field.value:
            element["initial_value"] = field.value[:limit]
    block: Block = {
        "type": "input",
        "block_id": field.name,
        "label": _plain(_cut(field.label, MAX_LABEL) or field.name),
        "optional": not field.required,
        "element": element,
    }
    if field.error:
        block["hint"] = _plain(_cut(f"⚠ {field.error}", MAX_LABEL))
    return block


def form_view(form: Form, *, language: str, reply_to: str | None) -> Block:
    """A reply's form as a modal (``views.open``): the profile shown, the rest as inputs.

    ``private_metadata`` carries the form's id and the DM the answer goes to (``None``: look it up
    when sent); sending the modal is a ``view_submission`` with callback ``FORM_VIEW``.
    """
    info = [f for f in form.fields if f.kind == "info"]
    blocks: list[Block] = _info(info, language) if info else []
    blocks.extend(_input(f, language) for f in form.fields if f.kind != "info")
    blocks.append({"type": "context", "elements": [_mrkdwn(escape(translate("slack.modal.hint", language)))]})
    metadata = {"form": form.id, "channel": reply_to}
    return {
        "type": "modal",
        "callback_id": FORM_VIEW,
        "private_metadata": json.dumps(metadata),
        "title": _plain(_cut(form.title, MAX_VIEW_TITLE)),
        "submit": _plain(_cut(form.submit_label, MAX_VIEW_TITLE)),
        "close": _plain(_cut(form.cancel_label or translate("slack.modal.cancel", language), MAX_VIEW_TITLE)),
        "blocks": blocks[:MAX_BLOCKS],
    }
