"""What a turn keeps of the conversation's state: the cache holds the dialog's state alive between turns
(the document beside it is what is stored), and a turn that fails keeps none of its changes."""

from __future__ import annotations

from typing import Any

import pytest

from supportbot.adapters.app import Application
from supportbot.bot.state import DialogState
from supportbot.bot.store import ConversationState
from tests.conftest import BotDriver

ANNA = "anna.berg@nordisk.example"


async def test_the_state_a_turn_leaves_is_kept_alive_as_it_is_stored(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.say("where's my order")
    conv = await application.store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)
    live = conv.live
    assert isinstance(live, DialogState)
    assert live.pending is not None and live.pending.intent == "order.status"
    assert live.dump() == DialogState.load(conv.state).dump()  # the live state is the stored one
    await anna.transcript("""
        user: 4712
        bot:  ~ in production
    """)
    again = await application.store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)
    assert again.live is live  # the same object, carried on from turn to turn
    assert live.pending is None and live.dump() == DialogState.load(again.state).dump()


async def test_a_turn_that_fails_keeps_none_of_its_state(
    bot: BotDriver, application: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = bot.as_user(ANNA)
    await anna.transcript("""
        user: where's my order
        bot:  ~ which order
    """)

    async def fail(statements: list[Any]) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(application.store._writer, "submit", fail)
        with pytest.raises(RuntimeError):
            await anna.say("cancel")  # the question dropped, but the turn is not stored
    conv = await application.store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)
    for state in (conv.live, DialogState.load(conv.state)):
        assert state is None or (state.pending is not None and state.pending.intent == "order.status")
    await anna.transcript("""
        user: 4712
        bot:  ~ in production
    """)
    history = await application.store.history(anna.ref.key)
    assert [t.text for t in history if t.role == "user"] == ["where's my order", "4712"]


async def test_a_document_replaced_by_another_part_is_not_shadowed_by_the_live_state(
    bot: BotDriver, application: Application
) -> None:
    anna = bot.as_user(ANNA)
    await anna.say("where's my order")
    store = application.store
    conv = await store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)
    old = conv.live
    assert isinstance(old, DialogState) and old.pending is not None
    conv.state = {"version": 1, "misses": 1}  # as the handoffs do when they hand a conversation back
    assert conv.live is None
    await store.save_turn(conv)
    assert (await store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)).live is None
    reply = await anna.say("what is the weather like in Paris?")
    assert reply.intent == "none"
    after = (await store.load(anna.ref.key, channel=anna.channel, user_id=ANNA)).live
    assert isinstance(after, DialogState) and after is not old
    assert after.pending is None and after.misses == 2  # the turn went on from the replaced document


def test_the_live_form_is_the_documents_only_while_the_document_stays() -> None:
    conv = ConversationState("web:c1", "web", None, "en", {}, 0, exists=False)
    assert conv.live is None
    state = DialogState()
    conv.keep_live(state)
    assert conv.live is state
    conv.state["misses"] = 1  # changed in place: still the same document
    assert conv.live is state
    conv.state = {}
    assert conv.live is None
