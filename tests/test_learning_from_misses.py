"""Learning from misses through the real pipeline: what a turn keeps for the agents' review list (a
message not understood, one answered with low confidence, one rephrased, one followed by "talk to a
person"; never a turn understood well), masked and without the user, and the story: a miss assigned
an intent becomes this deployment's example and, after the reload, the same kind of message is
understood, with the application still running.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, text

from supportbot.adapters.app import Application
from supportbot.bot.learning import LOW_CONFIDENCE_MARGIN, LearnedNLU, fingerprint, mask, teachable
from supportbot.bot.nlu import NLU
from supportbot.bot.store.misses import (
    ASSIGNED,
    DISMISSED,
    OPEN_LIST,
    OUT_OF_SCOPE,
    Miss,
    MissRows,
    by_intent,
)
from supportbot.bot.store.writer import Statement
from supportbot.integrations.sql.state import learned_examples, nlu_misses
from supportbot.intents import all_intents
from tests.conftest import BotDriver, Conversation

ANNA = "anna.berg@nordisk.example"
NOT_UNDERSTOOD = "has the courier picked up my crate"
SAME_KIND = "did the courier pick up my crate yet"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def kept(app: Application) -> list[Miss]:
    return await app.store.misses.open_list()


async def rows(app: Application) -> list[dict[str, object]]:
    async with app.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(select(nlu_misses).order_by(nlu_misses.c.at))]


# --- masking -------------------------------------------------------------------------------------


def test_personal_data_is_masked_and_record_numbers_stay() -> None:
    said = (
        "mail anna.berg@nordisk.example or call 070-123 45 67 / +46 8 123 456 78 about order 4711, "
        "invoice INV-2031, RQ-2026-000001, serial 2024-ABC-12345 from 2026-01-15, pnr 850101-1234"
    )
    assert mask(said) == (
        "mail [e-mail] or call [phone] / [phone] about order 4711, "
        "invoice INV-2031, RQ-2026-000001, serial 2024-ABC-12345 from 2026-01-15, pnr [personal number]"
    )
    kept = "orders 4711 4712 4713 between 2026-01-01 - 2026-01-31, 12 500 000 kr, 01.02.2026 - 08.02.2026"
    assert mask(kept) == kept
    assert mask("ring 0049 89 1234567 or 46701234567, order 4711") == "ring [phone] or [phone], order 4711"


def test_the_nlu_learns_a_deployments_examples_of_an_intent_and_of_out_of_scope() -> None:
    intents = all_intents()
    today = NOW.date()
    plain = NLU(intents)
    assert plain.parse(SAME_KIND, today=today).intent == "none"
    assert plain.parse("the parcel never turned up", today=today).intent == "order.status"
    taught = NLU(
        intents, extra_examples={"order.status": [NOT_UNDERSTOOD], "none": ["parcel never turned up"]}
    )
    assert taught.parse(SAME_KIND, today=today).intent == "order.status"
    assert taught.parse("the parcel never turned up", today=today).intent == "none"
    assert taught.parse("where is my order 4711", today=today).intent == "order.status"


def test_the_masks_placeholders_are_not_taught() -> None:
    assert teachable({"order.status": ["call me on [phone] about my crate", "[e-mail]"]}) == {
        "order.status": ["call me on about my crate"]
    }


# --- the store -----------------------------------------------------------------------------------


def _kept(miss_id: str, text: str, *, at: datetime = NOW, reason: str = "not_understood") -> Statement:
    return MissRows.kept(
        id=miss_id,
        at=at,
        conversation_key=f"test:{miss_id}",
        channel="test",
        language="en",
        text=text,
        fingerprint=fingerprint(text),
        intent="none",
        confidence=0.7,
        reason=reason,
    )


async def test_the_store_lists_open_misses_newest_first_and_resolves_repeats_together(
    application: Application,
) -> None:
    misses = application.store.misses
    await application.store.write(
        [
            _kept("a1", "crate please", at=NOW.replace(minute=1)),
            _kept("b1", "weather tomorrow", at=NOW.replace(minute=2)),
            _kept("a2", "Crate   please", at=NOW.replace(minute=3)),
            _kept("c1", "hmm", at=NOW.replace(minute=4)),
        ]
    )
    listed = await misses.open_list()
    assert [(m.id, m.repeats) for m in listed] == [("c1", 1), ("a2", 2), ("b1", 1)]
    assert await misses.version() == 0

    resolved = await misses.resolve("a2", status=ASSIGNED, intent="order.status", by="sara", at=NOW)
    assert resolved is not None and resolved.assigned == "order.status"
    assert [m.id for m in await misses.open_list()] == ["c1", "b1"]  # both repeats left the list
    assert (
        await misses.resolve("a1", status=DISMISSED, intent=None, by="olle", at=NOW) is None
    )  # done already
    assert await misses.resolve("b1", status=OUT_OF_SCOPE, intent="none", by="sara", at=NOW) is not None
    assert await misses.resolve("c1", status=DISMISSED, intent=None, by="sara", at=NOW) is not None
    assert await misses.open_list() == []
    assert await misses.version() == 2  # a dismissal teaches nothing
    assert by_intent(await misses.examples()) == {
        "order.status": ["Crate   please"],
        "none": ["weather tomorrow"],
    }
    async with application.engine.connect() as conn:
        (learned,) = (
            await conn.execute(select(learned_examples).where(learned_examples.c.intent == "order.status"))
        ).all()
    assert (learned.miss_id, learned.added_by, learned.language) == ("a2", "sara", "en")


async def test_the_review_list_reads_its_index_not_the_table(application: Application) -> None:
    await application.store.write(
        [_kept(f"m{i}", f"miss number {i}", at=NOW.replace(second=i % 60)) for i in range(300)]
    )
    await application.store.misses.resolve("m7", status=DISMISSED, intent=None, by="sara", at=NOW)
    query = OPEN_LIST.compile(application.engine, compile_kwargs={"literal_binds": True})
    async with application.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in await conn.execute(text(f"EXPLAIN QUERY PLAN {query}")))
    assert "USING INDEX ix_nlu_misses_status_at_id" in plan and "TEMP B-TREE" not in plan, plan


# --- the pipeline --------------------------------------------------------------------------------


async def test_a_message_not_understood_is_kept_masked_without_the_user(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    reply = await chat.say(f"{NOT_UNDERSTOOD}, call me on 070-123 45 67")
    assert reply.intent == "none"
    (miss,) = await kept(bot.app)
    assert miss.text == f"{NOT_UNDERSTOOD}, call me on [phone]"
    assert (miss.reason, miss.intent, miss.language, miss.channel) == ("not_understood", "none", "en", "test")
    assert miss.conversation_key == chat.ref.key and miss.followed_by is None
    (row,) = await rows(bot.app)
    assert ANNA not in {str(value) for value in row.values()}  # the conversation's key, never the user


async def test_a_turn_understood_well_is_not_kept(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    for said in ("hello", "where is my order 4711", "4711", "show me orders", "thanks"):
        await chat.say(said)
    assert await rows(bot.app) == []


async def test_an_answer_with_low_confidence_is_kept(bot: BotDriver) -> None:
    nlu = bot.app.nlu
    today = date.today()
    low = nlu.threshold + LOW_CONFIDENCE_MARGIN
    candidates = [
        "parcel never turned up",
        "my parcel never turned up",
        "courier crate pickup",
        "fetch my bills",
    ]
    parsed = [nlu.parse(text, today=today) for text in candidates]
    guessed = next(p for p in parsed if p.intent != "none" and p.confidence < low)
    reply = await bot.as_user(ANNA).say(guessed.text)
    assert reply.intent == guessed.intent  # answered, but unsure
    (miss,) = await kept(bot.app)
    assert (miss.text, miss.reason, miss.intent) == (guessed.text, "low_confidence", guessed.intent)
    assert miss.confidence < low


async def test_a_miss_rephrased_is_kept_with_what_the_rephrase_meant(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    assert (await chat.say(NOT_UNDERSTOOD)).intent == "none"
    assert (await chat.say("where is my order 4711")).intent == "order.status"
    (miss,) = await kept(bot.app)
    assert (miss.text, miss.reason) == (NOT_UNDERSTOOD, "not_understood")
    assert (miss.followed_by, miss.suggestion) == ("rephrased", "order.status")


async def test_nearly_the_same_words_understood_otherwise_keep_the_first(bot: BotDriver) -> None:
    """The first message was answered, well enough for the NLU, but the customer said it again in
    nearly the same words and meant something else: the first answer was wrong."""
    chat = bot.as_user(ANNA)
    first = await chat.say("my open orders")
    again = await chat.say("status of my open orders")
    assert first.intent == "order.search" and again.intent == "order.status"
    (miss,) = await kept(bot.app)
    assert (miss.text, miss.intent, miss.reason) == ("my open orders", "order.search", "rephrased")
    assert miss.suggestion == "order.status"


async def test_talk_to_a_person_after_a_miss_is_kept(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    assert (await chat.say(NOT_UNDERSTOOD)).intent == "none"
    await chat.press("person")  # the button the not-understood answer offers
    assert chat.last.intent == "handoff.agent"
    (miss,) = await kept(bot.app)
    assert (miss.text, miss.reason, miss.followed_by) == (NOT_UNDERSTOOD, "not_understood", "handoff")


async def test_talk_to_a_person_after_an_answer_keeps_the_question_but_not_a_greeting(bot: BotDriver) -> None:
    chat = bot.as_user(ANNA)
    await chat.say("hello")
    await chat.say("talk to a person")
    assert await rows(bot.app) == []  # "hello" was understood; nothing to learn from it
    await chat.say("cancel")
    other = bot.as_user(ANNA)
    assert (await other.say("my open orders")).intent == "order.search"
    assert (await other.say("talk to a person")).intent == "handoff.agent"
    (miss,) = await kept(bot.app)
    assert (miss.text, miss.reason, miss.followed_by) == ("my open orders", "handoff", "handoff")


async def test_swedish_misses_keep_their_language(bot: BotDriver) -> None:
    chat = Conversation(bot.app, ANNA)
    await chat.say("har budet hämtat min låda")
    (miss,) = await kept(bot.app)
    assert (miss.language, miss.reason) == ("sv", "not_understood")


# --- the story -----------------------------------------------------------------------------------


async def test_a_miss_assigned_an_intent_is_understood_after_the_reload(bot: BotDriver) -> None:
    app = bot.app
    chat = bot.as_user(ANNA)
    assert (await chat.say(NOT_UNDERSTOOD)).intent == "none"
    (miss,) = await kept(app)
    assert await app.store.misses.resolve(miss.id, status=ASSIGNED, intent="order.status", by="sara", at=NOW)

    later = bot.as_user(ANNA)
    assert (await later.say(SAME_KIND)).intent == "none"  # not before the reload
    version = await app.nlu.reload()
    assert version == app.nlu.version == 1
    reply = await later.say(SAME_KIND)
    assert reply.intent == "order.status"
    assert "4711" in reply.plain_text() or "order" in reply.plain_text().lower()


async def test_another_worker_picks_the_examples_up_on_its_next_check(bot: BotDriver) -> None:
    """A second NLU on the same database (another worker) compares the version on a turn once its
    check interval has passed, reloads in the background, and understands what it learned."""
    app = bot.app
    ticks = [0.0]
    other = LearnedNLU(app.nlu.current, build=app.nlu._build, rows=app.store.misses, clock=lambda: ticks[0])
    await app.store.write([_kept("w1", NOT_UNDERSTOOD)])
    await app.store.misses.resolve("w1", status=ASSIGNED, intent="order.status", by="sara", at=NOW)
    other.tick()  # within the interval: no query, nothing changes
    assert other.version == 0 and other.parse(SAME_KIND, today=NOW.date()).intent == "none"
    ticks[0] = 31.0
    other.tick()
    await other.close()  # waits for the background check and its reload
    assert other.version == 1
    assert other.parse(SAME_KIND, today=NOW.date()).intent == "order.status"
