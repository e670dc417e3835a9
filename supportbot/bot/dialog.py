"""The dialog engine: which intent a turn is about, its slots, and whether the user may have it.

Rules, in order: "cancel" leaves a pending question; an answer to a pending question fills its slot;
a confident new intent replaces the pending one; a bare entity ("4712", "the other one") continues
the last intent; missing slots come from the conversation's context or are asked for; the tool
grant is checked before any handler runs. Handlers never see a turn they may not answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from supportbot.bot.handoff import Handoffs
from supportbot.bot.i18n import Formatter
from supportbot.bot.messages import Button, Capability, ConversationRef, FormSubmission, InboundFile, Reply
from supportbot.bot.nlu.types import NONE_INTENT, Parse
from supportbot.bot.spec import Files, IntentSpec, Mailer, Notices, Slot, SlotValue, TurnContext
from supportbot.integrations.models import Principal, Tool
from supportbot.integrations.protocols import Backends

CANCEL_WORDS = frozenset(
    {
        "cancel",
        "abort",
        "stop",
        "never mind",
        "nevermind",
        "forget it",
        "cancel that",
        "avbryt",
        "glöm det",
        "strunt i det",
        "skit samma",
        "avbryt det",
    }
)
_TRAILING = re.compile(r"[\s.!?,]+$")

# "first"/"second"/... index into the list shown last; "last" is its end.
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}


@dataclass
class Turn:
    """What the engine decided for one turn, before the handler ran."""

    spec: IntentSpec | None
    slots: dict[str, Any]


class DialogEngine:
    def __init__(
        self,
        intents: Sequence[IntentSpec],
        *,
        backends: Backends,
        files: Files,
        mailer: Mailer,
        public_url: str,
        support_email: str,
        handoffs: Handoffs | None = None,
        notices: Notices | None = None,
    ) -> None:
        self.intents = {spec.name: spec for spec in intents}
        self._files_intent = next((spec for spec in intents if spec.files), None)
        self._claims: dict[str, IntentSpec] = {}
        for spec in intents:
            for entity_type in spec.claims:
                self._claims.setdefault(entity_type, spec)
        self.backends = backends
        self.files = files
        self.mailer = mailer
        self.public_url = public_url
        self.support_email = support_email
        self.handoffs = handoffs
        self.notices = notices

    async def step(
        self,
        *,
        parse: Parse,
        principal: Principal,
        state: dict[str, Any],
        now: datetime,
        conversation: ConversationRef | None = None,
        form: FormSubmission | None = None,
        files: tuple[InboundFile, ...] = (),
        capabilities: frozenset[Capability] = frozenset(),
        action_key: str | None = None,
    ) -> Reply:
        """Answer one parsed message; ``state`` is the conversation's and is updated in place.

        ``action_key`` names the message for the back end, so an action it does is done once however
        often the message arrives (``TurnContext.action``).

        A submitted ``form`` goes to the intent it belongs to, whatever was pending; ``files`` go
        to the intent that takes files (a request comment) unless the turn is about it already.
        """
        language = parse.language
        fmt = Formatter(language, country=principal.country)
        memory: dict[str, Any] = state.setdefault("memory", {})
        pending: dict[str, Any] | None = state.get("pending")

        if form is None and not files and _is_cancel(parse.text):
            state.pop("pending", None)
            key = "dialog.cancelled" if pending else "dialog.nothing_to_cancel"
            return Reply(text=fmt.t(key), language=language, intent="dialog.cancel")

        if form is not None:
            turn = self._submitted(form, principal)
            if turn.spec is None:
                return Reply(text=fmt.t("dialog.form_unknown"), language=language, intent=NONE_INTENT)
        else:
            turn = self._resolve(parse, principal, pending, memory)
            if files:
                turn = self._for_files(turn, parse, principal, pending, memory)
                if turn.spec is None:
                    text = fmt.t("dialog.files_not_taken", count=len(files))
                    return Reply(text=text, language=language, intent=NONE_INTENT)
        if turn.spec is None:
            if pending is not None:
                return self._reask(pending, principal, fmt, language)
            state["misses"] = int(state.get("misses", 0)) + 1
            return self.not_understood(fmt, language, misses=state["misses"])

        spec = turn.spec
        state["misses"] = 0
        state.pop("pending", None)

        ctx = TurnContext(
            principal=principal,
            parse=parse,
            slots=turn.slots,
            language=language,
            fmt=fmt,
            backends=self.backends,
            files=self.files,
            mailer=self.mailer,
            memory=memory,
            now=now,
            public_url=self.public_url,
            support_email=self.support_email,
            handoffs=self.handoffs,
            notices=self.notices,
            conversation=conversation,
            submitted=form,
            uploads=files,
            capabilities=capabilities,
            action_key=action_key,
        )

        refusal = self._refusal(spec, principal, fmt, language)
        if refusal is not None:
            return refusal

        for slot in self._slots_for(spec, principal):
            if slot.required and slot.name not in turn.slots:
                state["pending"] = {
                    "intent": spec.name,
                    "slots": _dump_slots(turn.slots),
                    "asking": slot.name,
                }
                question = fmt.t(slot.question) if slot.question else fmt.t("none")
                return Reply(text=question, language=language, intent=spec.name)

        assert spec.handler is not None, f"intent {spec.name} has no handler"
        reply = await spec.handler(ctx)
        memory["last_intent"] = spec.name
        if ctx.asking is not None:
            state["pending"] = {"intent": spec.name, "slots": _dump_slots(turn.slots), "asking": ctx.asking}
        return reply

    def not_understood(self, fmt: Formatter, language: str, *, misses: int = 1) -> Reply:
        """Says so and offers a person; after two misses in a row, offers the handoff outright."""
        return Reply(
            text=fmt.t("handoff.offer") if misses >= 2 else fmt.t("none"),
            buttons=(
                Button(label=fmt.t("button.talk_to_person"), value=fmt.t("button.talk_to_person.value")),
            ),
            language=language,
            intent=NONE_INTENT,
        )

    # --- deciding the intent and its slots ----------------------------------------------------------

    def _resolve(
        self, parse: Parse, principal: Principal, pending: dict[str, Any] | None, memory: dict[str, Any]
    ) -> Turn:
        if pending is not None and pending.get("intent") in self.intents:
            spec = self.intents[pending["intent"]]
            slots = _load_slots(pending.get("slots", {}))
            asking = next(
                (s for s in self._slots_for(spec, principal) if s.name == pending.get("asking")), None
            )
            if asking is not None:
                value = _fill(asking, parse, memory, answering=True)
                if value is not None:
                    slots[asking.name] = value
                    self._fill_all(spec, principal, parse, memory, slots, carry=False)
                    return Turn(spec, slots)
            if parse.intent != NONE_INTENT and parse.intent in self.intents and parse.intent != spec.name:
                return self._fresh(self.intents[parse.intent], principal, parse, memory)
            if parse.intent == spec.name:
                self._fill_all(spec, principal, parse, memory, slots, carry=False)
                return Turn(spec, slots)
            return Turn(None, {})

        if parse.intent != NONE_INTENT and parse.intent in self.intents:
            return self._fresh(self.intents[parse.intent], principal, parse, memory)

        # A bare entity or reference continues the conversation: "4712", "the other one".
        if any(e.type == "reference" for e in parse.entities):
            # "the first one": the last intent if it takes references, else the one claiming what was shown.
            last = self.intents.get(memory.get("last_intent", ""))
            for candidate in (last, *self._claims.values()):
                if candidate is not None and any(
                    "reference" in s.entities for s in self._slots_for(candidate, principal)
                ):
                    turn = self._fresh(candidate, principal, parse, memory)
                    if turn.slots:
                        return turn
        for entity in parse.entities:
            claimed = self._claims.get(entity.type)
            if claimed is not None:
                return self._fresh(claimed, principal, parse, memory)
        return Turn(None, {})

    def _submitted(self, form: FormSubmission, principal: Principal) -> Turn:
        """A form's values fill its intent's slots by name; a form no intent shows is refused."""
        spec = self.intents.get(form.id)
        if spec is None or not spec.form:
            return Turn(None, {})
        names = {slot.name for slot in self._slots_for(spec, principal)}
        slots: dict[str, Any] = {
            name: SlotValue("form", str(value)) for name, value in form.values.items() if name in names
        }
        return Turn(spec, slots)

    def _for_files(
        self,
        turn: Turn,
        parse: Parse,
        principal: Principal,
        pending: dict[str, Any] | None,
        memory: dict[str, Any],
    ) -> Turn:
        """Files sent with a message are for the intent that takes files, whatever else was said.

        What the turn resolved to still counts: "RQ-2026-000123" with a file attaches it there, and a
        question the files intent was waiting on keeps its answers.
        """
        spec = self._files_intent
        if spec is None or turn.spec is spec:
            return turn if spec is not None else Turn(None, {})
        slots: dict[str, Any] = {}
        if pending is not None and pending.get("intent") == spec.name:
            slots = _load_slots(pending.get("slots", {}))
        names = {slot.name for slot in self._slots_for(spec, principal)}
        slots.update({k: v for k, v in turn.slots.items() if k in names})
        self._fill_all(spec, principal, parse, memory, slots, carry=True)
        return Turn(spec, slots)

    def _fresh(self, spec: IntentSpec, principal: Principal, parse: Parse, memory: dict[str, Any]) -> Turn:
        slots: dict[str, Any] = {}
        self._fill_all(spec, principal, parse, memory, slots, carry=True)
        return Turn(spec, slots)

    def _fill_all(
        self,
        spec: IntentSpec,
        principal: Principal,
        parse: Parse,
        memory: dict[str, Any],
        slots: dict[str, Any],
        *,
        carry: bool,
    ) -> None:
        for slot in self._slots_for(spec, principal):
            if slot.name in slots:
                continue
            value = _fill(slot, parse, memory, answering=False)
            if value is None and carry and slot.carry and not principal.is_guest:
                current = memory.get("current", {}).get(slot.name)
                if current is not None and current.get("type") in slot.entities:
                    value = SlotValue(current["type"], current["value"])
            if value is not None:
                slots[slot.name] = value

    @staticmethod
    def _slots_for(spec: IntentSpec, principal: Principal) -> tuple[Slot, ...]:
        if principal.is_guest and spec.guest_slots is not None:
            return spec.guest_slots
        return spec.slots

    # --- access ----------------------------------------------------------------------------------

    def _refusal(self, spec: IntentSpec, principal: Principal, fmt: Formatter, language: str) -> Reply | None:
        if spec.tool is None:
            return None
        if principal.is_guest:
            if spec.guest_slots is not None or spec.guest_ok:
                return None
            return Reply(text=fmt.t("auth.sign_in_needed"), language=language, intent=spec.name)
        if principal.may(spec.tool):
            return None
        return tool_refusal(spec.tool, fmt, language=language, intent=spec.name)

    def _reask(self, pending: dict[str, Any], principal: Principal, fmt: Formatter, language: str) -> Reply:
        spec = self.intents[pending["intent"]]
        slot = next((s for s in self._slots_for(spec, principal) if s.name == pending.get("asking")), None)
        question = fmt.t(slot.question) if slot is not None and slot.question else fmt.t("none")
        return Reply(text=fmt.t("dialog.reask", question=question), language=language, intent=spec.name)


def tool_refusal(tool: Tool, fmt: Formatter, *, language: str, intent: str | None) -> Reply:
    """Which access is missing, and a button to ask the administrator for it; nothing of the data."""
    tool_name = fmt.t(f"tool.{tool.value}")
    return Reply(
        text=fmt.t("auth.tool_needed", tool=tool_name),
        buttons=(
            Button(
                label=fmt.t("access.button.request", tool=tool_name),
                value=fmt.t("access.button.request.value", tool=tool_name),
            ),
        ),
        language=language,
        intent=intent,
    )


def is_cancel(text: str) -> bool:
    """ "cancel", "avbryt" and the like, said on their own."""
    return _is_cancel(text)


def _is_cancel(text: str) -> bool:
    return _TRAILING.sub("", text.strip().lower()) in CANCEL_WORDS


def _fill(slot: Slot, parse: Parse, memory: dict[str, Any], *, answering: bool) -> SlotValue | None:
    for entity_type in slot.entities:
        entity = parse.first(entity_type)
        if entity is None:
            continue
        if entity_type == "reference":
            resolved = _resolve_reference(slot, str(entity.value), memory)
            if resolved is not None:
                return resolved
            continue
        return SlotValue(entity_type, entity.value)
    if answering and slot.pattern and re.fullmatch(slot.pattern, parse.text.strip()):
        return SlotValue(slot.entities[0], parse.text.strip().lstrip("#"))
    return None


def _resolve_reference(slot: Slot, reference: str, memory: dict[str, Any]) -> SlotValue | None:
    """ "latest" goes to the handler; "it", "the other one", "the first" come from the context."""
    if reference == "latest":
        return SlotValue("reference", "latest")
    current = memory.get("current", {}).get(slot.name)
    shown: list[Any] = memory.get("shown", {}).get(slot.name, [])
    if reference == "it":
        return SlotValue(current["type"], current["value"]) if current else None
    if reference == "other":
        # Of a list just shown, the one not talked about; else the one talked about before this one.
        current_value = current["value"] if current else None
        if len(shown) == 2 and current_value in shown:
            return SlotValue(slot.entities[0], next(v for v in shown if v != current_value))
        recent = [r for r in memory.get("recent", {}).get(slot.name, []) if r["value"] != current_value]
        return SlotValue(recent[-1]["type"], recent[-1]["value"]) if recent else None
    if reference in _ORDINALS and shown:
        index = _ORDINALS[reference]
        if -len(shown) <= index < len(shown):
            return SlotValue(slot.entities[0], shown[index])
    return None


def _dump_slots(slots: dict[str, Any]) -> dict[str, Any]:
    return {k: {"type": v.type, "value": v.value} for k, v in slots.items() if isinstance(v, SlotValue)}


def _load_slots(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: SlotValue(v["type"], v["value"]) for k, v in raw.items()}
