"""The NLU as a component: pure, deterministic, well-formed parses, and its constructor options."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from supportbot.bot.nlu import NLU, NONE_INTENT
from supportbot.bot.spec import IntentSpec
from supportbot.intents import all_intents

TODAY = date(2026, 6, 17)


@pytest.fixture(scope="module")
def nlu() -> NLU:
    return NLU(all_intents(), site_names=("Kista", "Göteborg", "München"))


def test_parse_is_deterministic_and_well_formed(nlu: NLU) -> None:
    texts = [
        "where is order 4711 that we placed last week?",
        "visa öppna ordrar i Kista sedan 1 maj",
        "forward INV-2031 (125 000,00 SEK) to anna.berg@nordisk.example",
        "what's the weather",
    ]
    for text in texts:
        first, second = nlu.parse(text, today=TODAY), nlu.parse(text, today=TODAY)
        assert first == second
        assert 0.0 <= first.confidence <= 1.0
        assert first.text == text
        for entity in first.entities:
            assert text[entity.start : entity.end] == entity.text
        starts = [e.start for e in first.entities]
        assert starts == sorted(starts)


def test_a_fresh_instance_gives_the_same_answers(nlu: NLU) -> None:
    other = NLU(all_intents(), site_names=("Kista", "Göteborg", "München"))
    for text in ("has it shipped?", "jag vill godkänna fakturan", "book a hotel"):
        assert other.parse(text, today=TODAY) == nlu.parse(text, today=TODAY)


def test_kept_readings_never_change_an_answer(nlu: NLU) -> None:
    """A served NLU keeps the answers of the readings it classified; one that keeps none classifies
    every message anew. Messages that read alike (the same words around other numbers or dates)
    share the classifier's answer and keep their own entities."""
    anew = NLU(all_intents(), site_names=("Kista", "Göteborg", "München"), readings_kept=0)
    texts = [
        "where is my order 4711?",
        "where is my order 4712?",
        "Where is my order 4712",
        "var är order 4711?",
        "when will order 4711 arrive?",
        "invoices since 1 May",
        "invoices since 3 June",
        "what's the weather",
        "open a request about the printer in Kista",
    ]
    classifier = nlu._classifier
    before = classifier._remembered.cache_info()
    for text in texts * 2:
        kept, fresh = nlu.parse(text, today=TODAY), anew.parse(text, today=TODAY)
        assert kept == fresh
    after = classifier._remembered.cache_info()
    assert after.hits - before.hits >= len(texts)  # every second pass, and the numbers' look-alikes
    assert anew._classifier._remembered.cache_info().currsize == 0
    assert nlu.parse("where is my order 4712?", today=TODAY).entities[0].value == "4712"


@pytest.mark.parametrize(
    ("text", "topic", "alone", "in_topic"),
    [
        # Pointing at the record talked about, with words its family has: that family's.
        ("can I have it as a PDF?", "invoice", "contract.document", "invoice.get"),
        # A family's own word said again keeps to it, rather than to the examples most alike.
        ("what is the total", "statement", "invoice.get", "statement.show"),
        # Pointing at it with words that alone say the account ("how much"): read as naming it.
        ("how much is it?", "invoice", "statement.show", "invoice.get"),
        ("hur mycket är den på?", "invoice", "statement.show", "invoice.get"),
        ("when does it expire?", "order", "contract.status", "order.status"),
        ("show me the other one", "contract", "invoice.get", "contract.status"),
    ],
)
def test_a_follow_up_is_read_in_the_family_talked_about(
    nlu: NLU, text: str, topic: str, alone: str, in_topic: str
) -> None:
    assert nlu.parse(text, today=TODAY).intent == alone
    assert nlu.parse(text, today=TODAY, topic=topic).intent == in_topic


@pytest.mark.parametrize(
    ("text", "topic", "intent"),
    [
        ("the invoice for that order", "order", "invoice.get"),  # names its own kind of record
        ("fakturan för den ordern", "order", "invoice.get"),
        ("show contract C-1001", "invoice", "contract.status"),  # names its own record
        ("talk to a person", "invoice", "handoff.agent"),  # no invoice word at all
        ("thanks", "order", "smalltalk.thanks"),
        ("show my orders", "invoice", "order.search"),  # the topic's words too few to weigh
        # "It" points at the record, but the words say nothing of its family: not read as naming it.
        ("thanks, that is it", "statement", "smalltalk.thanks"),
        ("I want to talk to someone about it", "request", "handoff.agent"),
        ("who signed it?", "statement", "contract.status"),  # asked after, not signing
    ],
)
def test_the_topic_never_takes_a_message_about_something_else(
    nlu: NLU, text: str, topic: str, intent: str
) -> None:
    assert nlu.parse(text, today=TODAY, topic=topic).intent == intent


def test_language_hint_is_used_only_for_neutral_text(nlu: NLU) -> None:
    assert nlu.parse("4711", today=TODAY, language_hint="sv").language == "sv"
    assert nlu.parse("4711", today=TODAY).language == "en"
    assert nlu.parse("where is my order", today=TODAY, language_hint="sv").language == "en"


def test_threshold_one_rejects_everything_but_entities_stay() -> None:
    strict = NLU(all_intents(), threshold=1.01)
    parse = strict.parse("where is order 4711", today=TODAY)
    assert parse.intent == NONE_INTENT
    assert parse.values("order_number") == ["4711"]


def test_works_with_a_small_catalogue() -> None:
    specs = [
        IntentSpec(
            name="order.status",
            examples={
                "en": ["where is my order", "status of order 4711", "has my order shipped"],
                "sv": ["var är min order", "status på order 4711", "har ordern skickats"],
            },
        ),
        IntentSpec(name="smalltalk.greeting", examples={"en": ["hello"], "sv": ["hej"]}),
    ]
    small = NLU(specs)
    assert small.intents == ["order.status", "smalltalk.greeting"]
    assert small.parse("where is my order 4711", today=TODAY).intent == "order.status"
    assert small.parse("hej", today=TODAY).intent == "smalltalk.greeting"


def test_a_question_asked_in_its_own_words_goes_to_its_intent_however_it_was_read() -> None:
    """``IntentSpec.asked_by``: words the classifier reads as another intent, or as none, ask this one's
    question (a person named stays a person's: below, with the catalogue)."""
    specs = [
        IntentSpec(
            name="statement.show",
            examples={"en": ["show my statement", "my account statement"], "sv": ["visa mitt kontoutdrag"]},
        ),
        IntentSpec(
            name="invoice.question",
            examples={"en": ["a question about an invoice"], "sv": ["en fråga om en faktura"]},
            asked_by=lambda text: "bankgiro" in text,
        ),
    ]
    small = NLU(specs)
    for text in ("show the statement with your bankgiro", "vad är ert bankgiro?", "bankgiro"):
        read = small.parse(text, today=TODAY)
        assert (read.intent, read.confidence) == ("invoice.question", 1.0), text
    assert small.parse("show my statement", today=TODAY).intent == "statement.show"


def test_an_intents_own_words_are_looked_for_once_per_text() -> None:
    """The ``asked_by`` patterns of a text repeated are not run again: customers ask the same things in
    the same words, and the patterns cost more than the rest of reading a repeated question."""
    looked: list[str] = []

    def bankgiro(text: str) -> bool:
        looked.append(text)
        return "bankgiro" in text

    small = NLU(
        [
            IntentSpec(name="statement.show", examples={"en": ["show my statement", "my account statement"]}),
            IntentSpec(
                name="invoice.question", examples={"en": ["a question about an invoice"]}, asked_by=bankgiro
            ),
        ]
    )
    looked.clear()  # (the NLU reads a few questions once as it is built)
    for _ in range(3):
        assert small.parse("what is your bankgiro", today=TODAY).intent == "invoice.question"
        assert small.parse("show my statement", today=TODAY).intent == "statement.show"
    assert looked == ["what is your bankgiro"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("nice to speak with you", "smalltalk.goodbye"),  # words of talking, no person named
        ("lovely chatting with you, bye", "smalltalk.goodbye"),
        ("it was good to talk to you today", "smalltalk.goodbye"),
        ("great talk, take care", "smalltalk.goodbye"),
        ("talk again soon", "smalltalk.goodbye"),
        ("kul att snacka med dig", "smalltalk.goodbye"),
        ("have a good day", "smalltalk.goodbye"),  # a good day wished, or leaving said
        ("ok thanks, have a great weekend", "smalltalk.goodbye"),
        ("ha en bra dag", "smalltalk.goodbye"),
        ("I need to go now", "smalltalk.goodbye"),
        ("jag måste dra nu", "smalltalk.goodbye"),
        ("how ya doin", "smalltalk.greeting"),  # how the bot is, asked in greeting
        ("what's happening", "smalltalk.greeting"),
        ("läget?", "smalltalk.greeting"),
        ("hur går det med order 4711?", "order.status"),  # how a record is going is its question
        ("can I see at what time I can call customer assistance?", "handoff.agent"),  # support's hours
        ("när kan jag ringa er?", "handoff.agent"),
        ("when can I call my doctor", NONE_INTENT),
        ("have a question about the lost PIN code", "account.login"),  # sign-in trouble in its words
        ("I need help to report errors with a signup", "account.login"),
        ("I lost the key to the server rack", NONE_INTENT),
        ("how can I notify of an error with payment?", "request.open"),  # trouble to report
        ("how do I make a customer reclamation against your business", "request.open"),
        ("the payment of INV-2031 failed", "invoice.question"),  # an invoice named: its question
        ("what kinds of things would you be able to help me with", "smalltalk.help"),  # what it does
        ("how can i use you", "smalltalk.help"),
        ("vad kan du hjälpa mig med?", "smalltalk.help"),
        ("help me", "smalltalk.help"),
        ("hur fungerar den här tjänsten", "smalltalk.help"),
        ("help me with my invoice", "invoice.get"),  # help with something: that something
        ("hej vad har jag för ärenden öppna?", "request.status"),  # greeted, then asked
        ("Hi, I'm new to this chat. What kinds of things can you help me with?", "smalltalk.help"),
        ("> please approve INV-2031\nwhat's the amount?", "invoice.get"),  # a quote is not the request
        ("> approve INV-2031", "invoice.approve"),  # (nothing but the quote: it is what was said)
        ("nice, now let me speak to an agent", "handoff.agent"),  # a person named
        ("I want to talk to a human", "handoff.agent"),
        ("vad är ert bankgiro?", "invoice.question"),  # how to pay
        ("can I pay by credit card?", "invoice.question"),
        ("I want a person, not your bankgiro", "handoff.agent"),
        ("I want help talking to someone", "handoff.agent"),  # talking, to a person
        ("could you help me chatting with one of your agents", "handoff.agent"),
        ("kan jag snacka med en riktig människa", "handoff.agent"),
    ],
)
def test_goodbyes_a_person_and_how_to_pay_in_their_own_words(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "good, can I talk to you about my invoice?",  # a talk that goes on
        "nice talking to you but where is my order 4711",
        "good morning, I'd like to speak with you about my contract",
        "have a look at order 4711",
        "I need to go to Kista, where is our server?",
    ],
)
def test_what_only_looks_like_a_goodbye(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent != "smalltalk.goodbye"


def test_someone_talked_to_before_is_no_person_asked_for(nlu: NLU) -> None:
    read = nlu.parse("I talked to someone yesterday about order 4711, where is it?", today=TODAY)
    assert read.intent == "order.status"


def test_the_customers_own_bank_is_not_how_to_pay(nlu: NLU) -> None:
    read = nlu.parse("set a warning for when my bank account runs low", today=TODAY)
    assert read.intent != "invoice.question"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("fakturan INV-2031 stämmer inte", "invoice.question"),
        ("momsen på faktura INV-2032 ser konstig ut", "invoice.question"),
        ("faktura för order 4711", "invoice.get"),
        ("the invoice looks fine, approve it", "invoice.approve"),
        ("contract for 78ABC12", "contract.status"),
        (
            "I'm writing on behalf of our finance department regarding invoice INV-2031: the amount seems"
            " higher than what we were quoted. Could someone please look into it?",
            "invoice.question",
        ),
        ("please show me invoice 2031, our accounts team asked for the details", "invoice.get"),
        ("forward invoice INV-2031 to our finance department", "invoice.forward"),
        ("jag vill inte godkänna den, bara se fakturan 2031", "invoice.get"),
        ("I don't want to sign contract C-1001 yet, when does it expire?", "contract.status"),
        ("never mind, approve INV-2031", "invoice.approve"),
    ],
)
def test_an_intent_without_the_words_it_requires_is_the_next_of_its_family(
    nlu: NLU, text: str, intent: str
) -> None:
    """Words that lean to approving ("ser … ut" of "fakturan ser bra ut, godkänn den") without a word
    of approving, or to forwarding ("our finance department") without a word of sending, are the
    family's next reading that needs no words it lacks: a complaint stays a question about the invoice."""
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent", "number"),
    [("whre is ord 4711 pls", "order.status", "4711"), ("inv list pls", "invoice.list", None)],
)
def test_a_message_typed_in_shorthand_is_understood(
    nlu: NLU, text: str, intent: str, number: str | None
) -> None:
    read = nlu.parse(text, today=TODAY)
    assert read.intent == intent
    assert [e.value for e in read.entities if e.type == "order_number"] == ([number] if number else [])


def test_the_question_after_a_colon_in_a_long_story_is_what_is_asked(nlu: NLU) -> None:
    """A story told first, then "anyway: …": the sentence after the colon asks."""
    text = (
        "Good morning! Quick one before I board, our controller here in Munich has been chasing me since "
        "Monday for an overview, apparently the auditors want it by Friday, anyway: can you give me a "
        "spreadsheet of our orders from this year?"
    )
    assert nlu.parse(text, today=TODAY).intent == "order.report"
    assert nlu.parse("new request: wrong items delivered on 4711", today=TODAY).intent == "request.open"


def test_sites_come_from_the_constructor() -> None:
    plain = NLU(all_intents())
    assert plain.parse("equipment at Kista", today=TODAY).values("site") == []


def test_importing_the_nlu_pulls_in_no_io_libraries() -> None:
    code = (
        "import sys, supportbot.bot.nlu; "
        "bad = [m for m in ('aiohttp', 'sqlalchemy', 'asyncpg', 'aiosqlite') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


LEARNED = {
    "request.open": [
        "the status lamp on the array blinks amber",
        "an amber lamp is blinking on our storage",
        "den gula lampan på lagringen blinkar",
    ],
    "none": ["order office chairs for the new staff", "beställ kontorsstolar till de nyanställda"],
}


def test_examples_learned_by_a_deployment_count_like_the_catalogues(nlu: NLU) -> None:
    learned = NLU(all_intents(), site_names=("Kista", "Göteborg", "München"), extra_examples=LEARNED)
    # A warning lamp is a fault to report, not a change to the inventory: learned, in both languages.
    assert nlu.parse("the lamp on our storage array blinks amber", today=TODAY).intent != "request.open"
    assert learned.parse("the lamp on our storage array blinks amber", today=TODAY).intent == "request.open"
    assert nlu.parse("en lampa blinkar gult på lagringen", today=TODAY).intent == NONE_INTENT
    assert learned.parse("en lampa blinkar gult på lagringen", today=TODAY).intent == "request.open"
    # Marked out of scope: ordering furniture is no order question, but an order number still is one.
    assert nlu.parse("order new office chairs", today=TODAY).intent == "order.status"
    assert learned.parse("order new office chairs", today=TODAY).intent == NONE_INTENT
    assert learned.parse("where is order 4711", today=TODAY).intent == "order.status"


def test_learned_examples_of_an_intent_that_is_gone_are_left_out(nlu: NLU) -> None:
    learned = NLU(all_intents(), extra_examples={"invoice.gone": ["where is my parcel"], "none": []})
    assert "invoice.gone" not in learned.intents
    assert learned.intents == nlu.intents


def test_an_nlu_does_not_change_once_built(nlu: NLU) -> None:
    before = nlu.parse("the lamp on our storage array blinks amber", today=TODAY)
    NLU(all_intents(), site_names=("Kista", "Göteborg", "München"), extra_examples=LEARNED)
    assert nlu.parse("the lamp on our storage array blinks amber", today=TODAY) == before
    with pytest.raises(AttributeError):
        nlu._classifier = None  # type: ignore[misc]
    with pytest.raises(AttributeError):
        nlu.anything = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("help", "smalltalk.help"),
        ("Help!", "smalltalk.help"),
        ("hjälp", "smalltalk.help"),
        ("I need help", "smalltalk.help"),
    ],
)
def test_a_message_that_says_an_example_means_what_the_example_means(
    nlu: NLU, said: str, intent: str
) -> None:
    # "help" is spread over many families' examples ("help me pay…", "help me reach a person"); said
    # alone it is still the example it is.
    parsed = nlu.parse(said, today=date(2026, 6, 17))
    assert (parsed.intent, parsed.confidence) == (intent, 1.0)


def test_words_two_intents_share_as_an_example_are_left_to_the_classifier() -> None:
    shared = "what about the thing over there"
    day = date(2026, 6, 17)

    def taught(*names: str) -> NLU:
        return NLU(
            [
                replace(s, examples={**s.examples, "en": [*s.examples["en"], shared]})
                if s.name in names
                else s
                for s in all_intents()
            ]
        )

    one = taught("order.search").parse(shared, today=day)
    assert (one.intent, one.confidence) == ("order.search", 1.0)
    both = taught("order.search", "invoice.list").parse(shared, today=day)
    assert both.confidence < 1.0


def test_a_record_of_the_users_own_words_goes_before_one_of_the_same_kind_quoted(nlu: NLU) -> None:
    """A quoted record is talked about, unless the user names one of its kind themselves."""
    parse = nlu.parse("> Your order 4711 has shipped.\n\nThanks, but what about 4712?", today=TODAY)
    assert [e.value for e in parse.entities if e.type == "order_number"] == ["4712"]
    parse = nlu.parse("> please approve INV-2031\nwhat's the amount?", today=TODAY)
    assert [e.value for e in parse.entities if e.type == "invoice_number"] == ["INV-2031"]
    parse = nlu.parse("> about order 4711\nand INV-2031?", today=TODAY)
    assert {e.type for e in parse.entities} >= {"order_number", "invoice_number"}
