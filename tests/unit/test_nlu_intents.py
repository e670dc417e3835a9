"""Intent classification through the public NLU: clear requests in both languages, and rejection."""

from __future__ import annotations

from datetime import date

import pytest

from supportbot.bot.nlu import NLU, NONE_INTENT
from supportbot.intents import all_intents

TODAY = date(2026, 6, 17)


@pytest.fixture(scope="module")
def nlu() -> NLU:
    return NLU(all_intents(), site_names=("Kista", "Göteborg", "München"))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where is my order 4711?", "order.status"),
        ("has order 4712 been shipped yet", "order.status"),
        ("how long does it take to deliver order 4711", "order.status"),  # "deliver" is ours too
        ("what's the tracking number for PO NV-PO-889", "order.status"),
        ("when will my latest order arrive", "order.status"),
        ("show my open orders", "order.search"),
        ("which orders did we get delivered in May", "order.search"),
        ("email me an xlsx report of all orders from last month", "order.report"),
        ("I need a copy of invoice INV-2031", "invoice.get"),
        ("list all unpaid invoices", "invoice.list"),
        ("forward INV-2031 to erik.lund@nordisk.example", "invoice.forward"),
        ("please approve invoice INV-2031", "invoice.approve"),
        ("the VAT on INV-2031 is wrong", "invoice.question"),
        ("what is our outstanding balance", "statement.show"),
        ("download our account statement as excel", "statement.download"),
        ("when does contract C-1001 expire", "contract.status"),
        ("send me the pdf of contract C-1001", "contract.document"),
        ("what changed between the versions of C-1001", "contract.history"),
        ("approve the renewal of contract C-1001", "contract.approve"),
        ("I want to e-sign the new contract version", "contract.sign"),
        ("what equipment do we have installed at Kista", "inventory.show"),
        ("please move the Power server to gothenburg", "inventory.change"),
        ("is the FlashSystem still covered by maintenance", "inventory.question"),
        ("our server is down, please open a ticket", "request.open"),
        ("new request: wrong items delivered on 4711", "request.open"),  # a request headed as one
        ("any news on request RQ-2026-000123", "request.status"),
        ("attach a screenshot to my ticket", "request.comment"),
        ("I want to talk to a human", "handoff.agent"),
        ("I need access to the invoices tool", "account.access"),
        ("I forgot my password", "account.login"),
        ("hi there", "smalltalk.greeting"),
        ("thanks a lot!", "smalltalk.thanks"),
        ("what can you do?", "smalltalk.help"),
        ("bye, have a nice day", "smalltalk.goodbye"),
    ],
)
def test_english(nlu: NLU, text: str, intent: str) -> None:
    parse = nlu.parse(text, today=TODAY)
    assert (parse.intent, parse.language) == (intent, "en")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("var är order 4711?", "order.status"),
        ("vad har vi för ordrar?", "order.search"),
        ("vad har vi för avtal då?", "contract.status"),
        ("jag öppnade ett ärende igår, hur går det med det?", "request.status"),
        ("när levereras vår senaste beställning", "order.status"),
        ("visa levererade ordrar i maj", "order.search"),
        ("mejla mig en rapport över förra månadens ordrar som excel", "order.report"),
        ("visa faktura INV-2031", "invoice.get"),
        ("lista alla obetalda fakturor", "invoice.list"),
        ("skicka vidare INV-2031 till min kollega", "invoice.forward"),
        ("attestera faktura INV-2031", "invoice.approve"),
        ("beloppet på fakturan är fel", "invoice.question"),
        ("vad är vårt saldo hos er", "statement.show"),
        ("ladda ner kontoutdraget som csv", "statement.download"),
        ("när går avtal C-1001 ut", "contract.status"),
        ("jag vill ha avtalet som pdf", "contract.document"),
        ("visa versionshistoriken för C-1001", "contract.history"),
        ("godkänn förnyelsen av avtalet", "contract.approve"),
        ("jag vill signera avtalet elektroniskt", "contract.sign"),
        ("vilken utrustning har vi i Göteborg", "inventory.show"),
        ("vi vill flytta servern till Kista", "inventory.change"),
        ("har servern i Kista fortfarande garanti?", "inventory.question"),
        ("jag vill anmäla ett fel", "request.open"),
        ("ny supportförfrågan", "request.open"),  # "new", not "news" ("något nytt om …?")
        ("nytt ärende: fel varor levererade på 4711", "request.open"),  # a request headed as one
        ("lista alla öppna order för Göteborg", "order.search"),  # open orders, not open items
        ("visa öppna poster på kontoutdraget", "statement.show"),
        ("har inbetalningen kommit in?", "statement.show"),
        ("är serviceavtalet giltigt?", "contract.status"),
        ("något nytt om min supportförfrågan?", "request.status"),
        ("har någon svarat på mitt ärende", "request.status"),
        ("bifoga en fil till mitt ärende", "request.comment"),
        ("jag vill prata med en människa", "handoff.agent"),
        ("jag behöver behörighet till fakturor", "account.access"),
        ("jag har glömt mitt lösenord", "account.login"),
        ("hejsan", "smalltalk.greeting"),
        ("tack så mycket", "smalltalk.thanks"),
        ("vad kan du hjälpa mig med?", "smalltalk.help"),
        ("hej då", "smalltalk.goodbye"),
        ("ok ok. tack ändå", "smalltalk.thanks"),
        ("kan du ta fram alla ordrar som är i produktion", "order.search"),
    ],
)
def test_swedish(nlu: NLU, text: str, intent: str) -> None:
    parse = nlu.parse(text, today=TODAY)
    assert (parse.intent, parse.language) == (intent, "sv")


@pytest.mark.parametrize(
    "text",
    [
        # same domain, not offered
        "cancel my order",
        "I want to cancel order 4711",
        "change my shipping address",
        "delete my account",
        "close my account",
        "I want a refund",
        "what is your return policy",
        "I'd like to buy a new laptop",
        "subscribe me to the newsletter",
        "avbeställ min order",
        "ändra leveransadressen",
        "radera mitt konto",
        "stäng mitt konto",
        "jag vill ha pengarna tillbaka",
        "kan ni leverera till Åland",
        # other topics
        "what's the weather like in Stockholm tomorrow",
        "book me a flight to Berlin",
        "how long do I cook pasta",
        "my car makes a strange noise",
        "play some jazz",
        "tell me a joke",
        "hur blir vädret i helgen",
        "ge mig ett recept på kanelbullar",
        "min bil har fått punktering",
        "vad blir det för väder i Göteborg i morgon?",
        "hey, what's the weather in Kista tomorrow?",
        "hey, I'm waiting for a private package from Zalando, can you tell me where it is?",
        "Jag väntar på ett privat paket med PostNord, alltså mitt eget, inte jobbets. Kan du spåra det?",
        "var e mitt amazon-paket? privat",
    ],
)
def test_out_of_scope_is_none(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    "text", ["hi, how are you?", "hello! I need help", "hej, hoppas allt är bra med dig och familjen"]
)
def test_a_greeting_with_small_talk_after_it_is_still_a_greeting(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "smalltalk.greeting"


@pytest.mark.parametrize(
    "text",
    [
        "I want to file a complaint",
        "I want to make a complaint",
        "I'm unhappy with the service",
        "the engineer was rude, I want to complain about him",
        "jag vill klaga på leveransen",
        "jag vill lämna ett klagomål om installationen",
        "vi är missnöjda med supporten",
    ],
)
def test_a_complaint_is_a_support_request(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "request.open"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("talk to you later", "smalltalk.goodbye"),
        ("speak to you soon", "smalltalk.goodbye"),
        ("it was nice talking to you, bye", "smalltalk.goodbye"),
        ("det var trevligt att prata med dig", "smalltalk.goodbye"),
        ("stort tack till dig", "smalltalk.thanks"),
        ("thanks a lot to you", "smalltalk.thanks"),
    ],
)
def test_small_talk_about_talking_to_the_bot_is_no_handoff(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    "text",
    ["are you a bot", "are you a human", "är du en människa", "är du en robot", "am I talking to a machine"],
)
def test_asking_whether_the_bot_is_human_is_no_business_intent(nlu: NLU, text: str) -> None:
    intent = nlu.parse(text, today=TODAY).intent
    assert intent in (NONE_INTENT, "smalltalk.help")


@pytest.mark.parametrize(
    "text",
    ["I want to talk to a human", "human please", "jag vill prata med en människa", "människa tack"],
)
def test_asking_for_a_human_is_still_a_handoff(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "handoff.agent"


@pytest.mark.parametrize(
    "text",
    [
        "can you deliver to Reykjavik",
        "do you have an office in Oulu",
        "kan ni leverera till Åland",
        "finns det parkering vid ert kontor i Solna",
    ],
)
def test_unknown_names_do_not_make_off_topic_text_in_scope(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "entity_type", "value"),
    [
        ("4711", "order_number", "4711"),
        ("#4712", "order_number", "4712"),
        ("INV-2031", "invoice_number", "INV-2031"),
        ("NV-PO-889", "po_number", "NV-PO-889"),
        ("C-1001", "contract_number", "C-1001"),
        ("last month", "date_range", {"start": "2026-05-01", "end": "2026-05-31"}),
        ("tja! läget med 4712?", "order_number", "4712"),  # a record greeted is asked about
        ("läget med 4711", "order_number", "4711"),
    ],
)
def test_a_bare_entity_is_none_with_the_entity(nlu: NLU, text: str, entity_type: str, value: object) -> None:
    parse = nlu.parse(text, today=TODAY)
    assert parse.intent == NONE_INTENT
    assert parse.values(entity_type) == [value]


def test_a_refund_about_an_invoice_is_an_invoice_question(nlu: NLU) -> None:
    parse = nlu.parse("can I get a refund for INV-2031, the price is wrong", today=TODAY)
    assert parse.intent == "invoice.question"
    assert nlu.parse("I want a refund", today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "reference"),
    [("the other one", "other"), ("den andra", "other"), ("the first one", "first"), ("den första", "first")],
)
def test_a_bare_reference_is_none_with_the_reference(nlu: NLU, text: str, reference: str) -> None:
    parse = nlu.parse(text, today=TODAY)
    assert parse.intent == NONE_INTENT
    assert parse.values("reference") == [reference]


def test_follow_ups_keep_their_reference(nlu: NLU) -> None:
    parse = nlu.parse("and the invoice for it?", today=TODAY)
    assert parse.intent == "invoice.get"
    assert parse.values("reference") == ["it"]
    assert nlu.parse("has it shipped?", today=TODAY).intent == "order.status"


def test_out_of_scope_keeps_no_context_entities(nlu: NLU) -> None:
    """A weather question mentioning Göteborg must not continue an inventory conversation."""
    parse = nlu.parse("what's the weather in Gothenburg, is it raining", today=TODAY)
    assert parse.intent == NONE_INTENT
    assert parse.values("site") == [] and parse.values("reference") == []


def test_gibberish_and_empty_text_are_none(nlu: NLU) -> None:
    for text in ("", "   ", "asdfgh qwerty", "???", "ok"):
        assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A request that names the machine it is about is still a request, not an inventory question.
        ("Please open a technical request: the disk in server 78ABC12 reports read errors", "request.open"),
        ("öppna ett ärende: nätaggregatet i server 78ABC12 har gått sönder", "request.open"),
        # Invoices as a spreadsheet are an invoice list, not the account statement.
        ("export invoices to a spreadsheet", "invoice.list"),
        ("download my invoices as excel", "invoice.list"),
        ("ladda ner mina fakturor som excel", "invoice.list"),
        # How long delivery takes is a question about one's order, not the shipping offer.
        ("how long will the delivery of my order take", "order.status"),
        # A problem signing up is a sign-in matter, even when "reported", and however "signup" is spelled.
        ("I want to report a problem with the registration", "account.login"),
        ("the signup keeps failing", "account.login"),
    ],
)
def test_what_a_message_is_about_decides_over_its_verb(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "what shipping methods can I choose between",
        "can I order your products from Norway",
        "in which cases do I get my money back",
        "vilka fraktsätt erbjuder ni",
    ],
)
def test_what_we_do_not_offer_stays_out_of_scope(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # "receive" points at statements, "newsletter" out of scope, "arrive" at orders, "flight" out of
        # scope: when what we do not offer weighs nearly as much, no record is shown.
        ("I want to receive the monthly newsletter", NONE_INTENT),
        ("please help me receive the newsletter", NONE_INTENT),
        ("when will my flight arrive", NONE_INTENT),
        # With nothing out of scope said, the same verbs still find the record.
        ("I never received my account statement", "statement.show"),
        ("when will my delivery arrive", "order.status"),
    ],
)
def test_a_near_tie_with_what_we_do_not_offer_is_out_of_scope(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("exportera fakturorna till excel", "invoice.list"),
        ("exportera förra månadens fakturor till excel", "invoice.list"),
        ("export my invoices to a spreadsheet", "invoice.list"),
        ("export the account statement to excel", "statement.download"),
        ("exportera kontoutdraget till excel", "statement.download"),
        ("export our orders to excel", "order.report"),
    ],
)
def test_a_spreadsheet_is_of_the_records_the_message_names(nlu: NLU, text: str, intent: str) -> None:
    """Export and spreadsheet words go with every family that has a spreadsheet: they choose the
    spreadsheet intent within the family the record word names, never the family."""
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent", "entity"),
    [
        ("show me the invocie INV-2032", "invoice.get", "INV-2032"),
        ("show me the invioce INV-2032", "invoice.get", "INV-2032"),
        ("visa fakutran INV-2032", "invoice.get", "INV-2032"),
    ],
)
def test_a_typo_in_the_record_word_keeps_the_record(nlu: NLU, text: str, intent: str, entity: str) -> None:
    parsed = nlu.parse(text, today=TODAY)
    assert (parsed.intent, parsed.values("invoice_number")) == (intent, [entity])


@pytest.mark.parametrize(
    "text",
    [
        "what is an invoice?",
        "What's a service contract exactly?",
        "what does overdue mean?",
        "define credit note",
        "vad är en faktura?",
        "vad innebär ett serviceavtal",
        "vad betyder förfallodatum?",
        "vad står SLA för?",
        "what does VAT stand for",
        "explain what a purchase order is",
        "förklara vad leasing är",
        "what is a service level agreement in general",
        "what's the difference between an invoice and a receipt",
        "vad är skillnaden mellan kreditnota och faktura",
        "hi, quick one: what's the general difference between a purchase order and a sales order?",
        "what's the difference between a lease and a rental in accounting terms?",
    ],
)
def test_what_a_word_means_is_no_look_up(nlu: NLU, text: str) -> None:
    """A question of language, however much the word is one of ours: nothing of theirs is looked up."""
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what is my balance", "statement.show"),
        ("vad är saldot?", "statement.show"),  # the definite form is their own
        ("what is the status of order 4711", "order.status"),
        ("vad är status på faktura 2031", "invoice.get"),
        ("what is the difference between INV-2031 and INV-2032", "invoice.get"),
    ],
)
def test_a_question_about_their_own_record_is_no_definition(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "my Telia phone bill is way too high this month",
        "my electricity bill from Vattenfall is wrong",
        "min mobilfaktura från Telia är för hög",
        "my netflix subscription renewed without asking me",
        "where do I find my spotify receipt",
        "my jira ticket is stuck in review, how do I move it",
        "mitt jira-ärende har fastnat i backloggen",
        "mitt kontoutdrag från Swedbank ser konstigt ut, varför?",
        "how do I download my bank statement from SEB",
    ],
)
def test_a_bill_or_a_ticket_held_with_another_company_is_none(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I cannot find my invoice from David Miller", "invoice.get"),  # a person is no company
        ("see bill from Mr. Smith", "invoice.get"),
        ("can you check the request from Johan", "request.status"),
        ("show me the Nordisk invoices", "invoice.list"),  # the customer's own name
        ("invoices from four purchases ago", "invoice.list"),
        ("can you tell me what the status of my last amazon order is", "order.status"),  # asked all the same
        ("where is my invoice INV-2031 from Telia", "invoice.get"),  # a number is looked up
    ],
)
def test_a_name_beside_a_record_of_ours_keeps_it_ours(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize("text", ["ok tack", "ok, tack!", "alright thanks", "jaha, tack så mycket", "ok thx"])
def test_thanks_after_a_word_of_having_understood(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "smalltalk.thanks"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hey where is 4711", "order.status"),
        ("hej! var är 4711?", "order.status"),
        ("hey, i just put in my order and i was wondering what the status of it", "order.status"),
        ("hi there", "smalltalk.greeting"),
        ("hello, how are you?", "smalltalk.greeting"),
        ("hi, I need help", "smalltalk.greeting"),  # the greeting offers help
        ("hey there fellow", "smalltalk.greeting"),
    ],
)
def test_a_greeting_before_a_question_is_the_question(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        ("kan vi ta det på svenska? när blir den klar?", "order.status", "order"),
        ("Hi. I have a question. Where is my order 4711?", "order.status", None),
        (
            "so my boss is on my back about the servers. can you check order 4711 for me? sorry",
            "order.status",
            None,
        ),
        ("thanks. bye.", "smalltalk.goodbye", None),
        (
            "Hello, this is Max from Contoso in München. Our accounting department told me this morning that we "
            "received a payment reminder, and I'm a bit confused because I thought everything was paid. Could "
            "you check which invoices are overdue?",
            "invoice.list",
            None,
        ),
    ],
)
def test_the_one_sentence_that_asks_is_read(nlu: NLU, text: str, intent: str, topic: str | None) -> None:
    assert nlu.parse(text, today=TODAY, topic=topic).intent == intent


def test_an_out_of_scope_example_with_a_word_the_message_lacks_is_not_its_twin(nlu: NLU) -> None:
    """ "what's my bank account balance" is out of scope; the account balance with us is not."""
    assert nlu.parse("what is our account balance", today=TODAY).intent == "statement.show"
    assert nlu.parse("whats our account balance", today=TODAY).intent == "statement.show"
    assert nlu.parse("what's my bank account balance", today=TODAY).intent == NONE_INTENT
    assert nlu.parse("avbeställ min order", today=TODAY).intent == NONE_INTENT  # its own word for it


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I don't want to open a ticket, just tell me the status of 4711", "order.status"),
        ("jag vill inte skapa något ärende, säg bara var ordern 4712 är", "order.status"),
        ("don't open a case for this, where is 4711", "order.status"),
        ("no ticket please, just show me INV-2031", "invoice.get"),
        (
            "I don't want to talk to anyone, just open a request: the FlashSystem 5200 in Göteborg is showing "
            "a disk warning.",
            "request.open",
        ),
        ("jag vill inte prata med någon, visa bara faktura INV-2031", "invoice.get"),
        ("open a ticket", "request.open"),
        ("skapa ett ärende, fläkten på 78ABC12 låter", "request.open"),
    ],
)
def test_what_else_a_message_refusing_a_request_asks_is_read(nlu: NLU, text: str, intent: str) -> None:
    """Opening a request writes it for a person to answer: what else the message asks is read without
    the words that refuse one."""
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("I don't want a ticket", "request.open"),
        ("I don't want to open a ticket", "request.open"),
        ("vi behöver inget ärende", "request.open"),
        ("no ticket please", "request.open"),
        ("I don't want to talk to anyone", "handoff.agent"),
        ("jag vill inte prata med en människa", "handoff.agent"),
    ],
)
def test_what_is_refused_is_not_done(nlu: NLU, text: str, refused: str) -> None:
    assert nlu.parse(text, today=TODAY).intent != refused


@pytest.mark.parametrize(
    "text",
    [
        "sign me in please",
        "log me in",
        "logga in mig tack",
        "how do I sign in to see my company's orders?",  # what to see after it is no look-up
        "hur loggar jag in för att se våra fakturor?",
    ],
)
def test_signing_in_is_no_signing_of_a_contract(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "account.login"


@pytest.mark.parametrize(
    "text",
    [
        "kan ni kreditera en rad på INV-2031? vi fick bara hälften av leveransen",
        "can you credit a line on INV-2031",
    ],
)
def test_a_credit_asked_for_an_invoice_is_a_question_for_invoicing(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "invoice.question"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("not the invoice, the order - has 5801 been delivered yet?", "order.status"),
        ("inte fakturan, ordern - har 4711 levererats?", "order.status"),
        ("not the invoice", "invoice.get"),  # nothing else named: what it said is all there is
        ("I did not get the invoice", "invoice.get"),
        # Or no longer asked about.
        ("actually, forget the invoice, show me the contract", "contract.status"),
        ("glöm fakturan, visa avtalet", "contract.status"),
        ("I forgot my password", "account.login"),
    ],
)
def test_a_kind_of_record_said_not_to_be_meant_does_not_decide(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


def test_a_sentence_pointing_back_at_another_world_is_not_ours(nlu: NLU) -> None:
    """ "Where is it?" after pizza is about the pizza; a question that stands on its own is read."""
    assert nlu.parse("my car battery is dead. when will it arrive?", today=TODAY).intent == NONE_INTENT
    assert nlu.parse("I lost my luggage at the airport. where is it now?", today=TODAY).intent == NONE_INTENT
    assert nlu.parse("my car battery is dead. where is order 4711?", today=TODAY).intent == "order.status"


def test_a_sentence_read_only_barely_decides_nothing(nlu: NLU) -> None:
    """ "mail me at …" alone barely reads as anything: it does not make the message before it one of ours."""
    text = "has the courier picked up my crate? mail me at anna.berg@nordisk.example"
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "topic", "intent"),
    [
        # "istället" is "instead", never "installed" one slip away: the report just made, mailed
        ("kan du maila den till mig istället", "order", "order.report"),
        ("thanx", None, "smalltalk.thanks"),
        # "kan du skicka …" right after an order: its tracking, not a report to send
        ("kan du skicka spårningslänken?", "order", "order.status"),
        ("vet du när den kommer?", "order", "order.status"),
        ("do you know when it arrives?", "order", "order.status"),
        # a PDF is the document of the record talked about
        ("the pdf please", "invoice", "invoice.get"),
        ("the pdf please", "contract", "contract.document"),
    ],
)
def test_a_follow_up_is_read_as_the_record_talked_about(
    nlu: NLU, text: str, topic: str | None, intent: str
) -> None:
    assert nlu.parse(text, today=TODAY, topic=topic).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("vilka fakturor väntar på mitt godkännande?", "invoice.list"),
        ("vilka avtal väntar på godkännande", "contract.status"),
        # equipment is named by no word of a record: the contract named is not what is asked about
        ("vad händer med den leasade lagringen när avtalet går ut", "inventory.question"),
    ],
)
def test_the_kind_of_record_named_by_its_word_is_what_is_asked_about(
    nlu: NLU, text: str, intent: str
) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("skriv under avtalet C-1003", "contract.sign"),
        ("kan vi skriva under C-1003 nu?", "contract.sign"),
        ("skriv ut avtalet C-1003", "contract.document"),
    ],
)
def test_skriva_under_is_signing_and_skriva_ut_is_printing(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


def test_signing_denied_is_not_asked_for(nlu: NLU) -> None:
    assert (
        nlu.parse("vi vill inte skriva under än, visa avtalet C-1003", today=TODAY).intent != "contract.sign"
    )


@pytest.mark.parametrize(
    "text",
    [
        "how do I open a ticket in Jira?",
        "hur skapar jag ett ärende i Jira",
        "how do I sign a PDF in Adobe Reader",
        "how do I install Python on Windows",
        "how do I forward emails automatically in Outlook",
    ],
)
def test_how_to_do_something_in_another_product_is_not_ours(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how do I open a request in Teams", "request.open"),  # where customers talk to us
        ("how can I download my invoice in PDF", "invoice.get"),
        ("how do I see my orders in Göteborg", "order.search"),
    ],
)
def test_how_to_do_something_here_is_ours(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "my electricity bill is way higher this month, why?",
        "my bank statement shows a charge I don't recognise",
        "can I pay my Telia bill by card",  # how to pay, but not us
    ],
)
def test_a_bill_of_another_world_is_not_ours_whatever_it_asks(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [("can I pay by card", "invoice.question"), ("my unpaid bills", "invoice.list")],
)
def test_our_bills_stay_ours(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "topic", "intent"),
    [
        ("is it approved?", "invoice", "invoice.get"),  # asked after, not approved
        ("när går det ut då", "contract", "contract.status"),
        ("send me the doc", "contract", "contract.document"),
    ],
)
def test_a_follow_up_asks_of_the_record_talked_about(nlu: NLU, text: str, topic: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY, topic=topic).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "why is it still in production?? this is taking forever, get me a human",
        "ugh just connect me to someone",
        "koppla mig till en människa",
        "Kan någon ringa upp mig? Det gäller faktura INV-2031.",  # a call back, about a record
        "could you call me back about INV-2031",
        "ring mig istället",
        "I need help from a human about invoice INV-2031",
        "jag behöver hjälp av en människa med faktura INV-2031",
    ],
)
def test_a_person_asked_for_outright_is_a_person(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "handoff.agent"


@pytest.mark.parametrize(
    "text", ["get me the invoice", "call mark", "ring mamma", "can you call my colleague"]
)
def test_getting_a_record_or_calling_someone_else_is_no_person(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent != "handoff.agent"


@pytest.mark.parametrize(
    "text", ["is 4712 a private order", "var är paketet", "where is the package for order 4711"]
)
def test_a_parcel_of_ours_is_still_the_order_s_question(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "order.status"


def test_when_the_carrier_will_call_is_the_order_s_question(nlu: NLU) -> None:
    said = "when will you call me about the delivery of 4712"
    assert nlu.parse(said, today=TODAY).intent == "order.status"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "Hi, I've read the renewal terms for C-1001 and they're fine. Please register my approval.",
            "contract.approve",
        ),
        (
            "Hej, angående ärendet från igår: vi har märkt att felet började efter uppdateringen. "
            "Kan du lägga till det?",
            "request.comment",
        ),
        ("I ordered servers last week. Can you tell me when they arrive?", "order.status"),
    ],
)
def test_the_request_said_after_its_context_is_what_is_asked(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ok thanks, and INV-2032?", NONE_INTENT),  # the record alone, for the dialog to show
        ("tack! och fakturan?", "invoice.get"),
        (
            "Hej hej! Tack för hjälpen sist förresten. Idag undrar jag bara om C-1001 är signerat?",
            "contract.status",
        ),
        ("thanks for your response", "smalltalk.thanks"),
        ("perfekt, tack så mycket för hjälpen!", "smalltalk.thanks"),
    ],
)
def test_thanks_before_a_question_is_the_question(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("godkann kontraktet c-1001", "contract.approve"),  # typed without å ä ö
        ("Kan du markera avtalet C-1004 som godkänt?", "contract.approve"),  # a state to record
        ("give the go-ahead on contract C-1001", "contract.approve"),
    ],
)
def test_a_contract_approval_is_asked_for_in_its_words(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


@pytest.mark.parametrize("text", ["what's its status?", "and its status?"])
def test_its_points_at_the_record_talked_about(nlu: NLU, text: str) -> None:
    parse = nlu.parse(text, today=TODAY, topic="order")
    assert parse.intent == "order.status"
    assert [(e.type, e.value) for e in parse.entities] == [("reference", "it")]


@pytest.mark.parametrize(
    "text",
    [
        "ok, then open a request: we need 4712 delivered before the 20th",
        "ok då, skapa ett ärende om det",
        "so open a ticket for 4711 please",
        "kan ni skynda på den? öppna ett ärende",  # a question, then the request itself
        "kan ni skynda pa den? oppna ett arende",
    ],
)
def test_a_request_asked_for_after_a_few_words_first(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY, topic="order").intent == "request.open"


@pytest.mark.parametrize(
    "text",
    [
        "hur signerar jag min deklaration med bankid",  # signing another world's document
        "min chef godkänner inte min ledighetsansökan",
        "how do i connect my iphone to wifi",  # a thing connected, not the customer to a person
        "hur kopplar jag min mobil till wifi",
        "i need to write a statement of work for a school project",
    ],
)
def test_acting_on_what_is_not_ours_is_out_of_scope(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == NONE_INTENT


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hur signerar jag avtalet med bankid", "contract.sign"),
        ("jag vill skriva under", "contract.sign"),
        ("koppla mig till en människa", "handoff.agent"),
        ("connect me pls", "handoff.agent"),
        ("statement of account please", "statement.show"),
    ],
)
def test_acting_on_ours_is_still_asked(nlu: NLU, text: str, intent: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == intent


def test_a_dash_between_sentences_parts_them(nlu: NLU) -> None:
    """What is asked after a dash is read apart from what was said before it."""
    said = "sorry, switching to english for my colleague - can you list our open items?"
    assert nlu.parse(said, today=TODAY).intent == "statement.show"


@pytest.mark.parametrize(
    ("text", "intent", "entity"),
    [
        ("status of order 4712, no sorry, 4711", "order.status", ("order_number", "4711")),
        ("var är order 4711 eller nej förlåt 4712", "order.status", ("order_number", "4712")),
        ("faktura INV-2030 eller nej, INV-2031", "invoice.get", ("invoice_number", "INV-2031")),
    ],
)
def test_a_record_taken_back_in_the_same_message_is_not_asked_about(
    nlu: NLU, text: str, intent: str, entity: tuple[str, str]
) -> None:
    parse = nlu.parse(text, today=TODAY)
    assert parse.intent == intent
    assert [(e.type, e.value) for e in parse.entities] == [entity]


def test_two_records_without_a_correction_are_both_asked_about(nlu: NLU) -> None:
    parse = nlu.parse("status of orders 4711 and 4712", today=TODAY)
    assert [e.value for e in parse.entities if e.type == "order_number"] == ["4711", "4712"]


@pytest.mark.parametrize(
    ("text", "topic", "intent"),
    [
        ("tillbaka till fakturorna, visa INV-2031", "statement", "invoice.get"),
        ("back to the contract - does it need any action from us?", "order", "contract.status"),
        ("ok, whatever. where is 4712?", None, "order.status"),
        ("who is delivering it?", "order", "order.status"),
        ("only the overdue items", "statement", "statement.show"),
    ],
)
def test_follow_ups_in_their_own_words(nlu: NLU, text: str, topic: str | None, intent: str) -> None:
    assert nlu.parse(text, today=TODAY, topic=topic).intent == intent


@pytest.mark.parametrize(
    "text", ["kan jag prata med nån om en faktura", "kan jag få snacka med nån", "koppla mig till nån"]
)
def test_a_person_asked_for_as_swedes_write_someone(nlu: NLU, text: str) -> None:
    assert nlu.parse(text, today=TODAY).intent == "handoff.agent"


@pytest.mark.parametrize("text", ["nej förlåt, jag menade Göteborg", "sorry, I meant Göteborg"])
def test_what_a_correction_says_instead_is_kept(nlu: NLU, text: str) -> None:
    """Read as nothing of ours, a correction still carries the site it names, for the dialog to use."""
    parse = nlu.parse(text, today=TODAY)
    assert ("site", "Göteborg") in [(e.type, e.value) for e in parse.entities]


@pytest.mark.parametrize(
    ("text", "topic", "intent"),
    [
        # a question after an approval is no approval, typed with one p or two
        ("is it aproved yet?", "invoice", "invoice.get"),
        ("who aproved it and when?", "invoice", "invoice.get"),
        ("aprove it", "invoice", "invoice.approve"),
        # a kind of record named alone asks for the record of that kind talked about
        ("invoice?", "order", "invoice.get"),
        ("och fakturan?", "order", "invoice.get"),
        ("avtalet då?", "inventory", "contract.status"),
        # sending without saying where is the copy asked for; with a where, a forward
        ("skicka den som pdf", "invoice", "invoice.get"),
        ("skicka en kopia på den", "invoice", "invoice.get"),
        ("skicka den vidare till Erik", "invoice", "invoice.forward"),
        ("can you send INV-2031 to our accounting", None, "invoice.forward"),
        ("give us a 20% discount on INV-2031 or we go to another supplier", None, "invoice.question"),
        # a person who works on the machines, asked for to talk to
        ("kan jag prata med en tekniker direkt?", "request", "handoff.agent"),
        ("glom det, jag vill prata med en manniska", "request", "handoff.agent"),  # typed without ä
        (
            "kan vi förlänga leasingen på 78XYZ34",
            "inventory",
            "inventory.question",
        ),  # a lease, not a contract
        ("can I talk to a technician directly?", "request", "handoff.agent"),
        ("so who can do it then?", "order", "handoff.agent"),
        ("vem kan hjälpa mig då?", None, "handoff.agent"),
        # a request's number asked for
        ("what's the tracking number of that request?", "request", "request.status"),
        ("vad är ärendenumret?", "request", "request.status"),
        ("what's the tracking number for order 4711", "request", "order.status"),
        ("when can I expect an answer?", "request", "request.status"),
        ("is it renewed automatically?", "contract", "contract.status"),
        ("när får jag svar?", None, "request.status"),
        ("jag vill anmäla ett fel: servern i Kista blir väldigt varm", None, "request.open"),
        # a spreadsheet's file words
        ("xls of all orders last 12 months pls", None, "order.report"),
        ("vilket fraktbolag har ni?", "order", "order.status"),
        ("what's the status of c 1001?", None, "contract.status"),
        # whether the assistant is a person: a question about it, never a request for one
        ("am i speaking with a real person?", None, "smalltalk.help"),
        ("is this a bot or a human?", None, "smalltalk.help"),
        ("pratar jag med en robot?", None, "smalltalk.help"),
        ("is there a real person I can talk to?", None, "handoff.agent"),
        # an employer's questions, other makers' gadgets and household machines are not ours
        ("hur många semesterdagar har jag kvar i år?", None, NONE_INTENT),
        ("och när kommer lönen?", "order", NONE_INTENT),
        ("how do I reset my iPhone?", None, NONE_INTENT),
        ("can you help me with an Excel VLOOKUP formula?", None, NONE_INTENT),
        ("och diskmaskinen då?", None, NONE_INTENT),
        ("can I get a refund for INV-2031, the price is wrong", None, "invoice.question"),
        # Swedish typed without å, ä and ö
        ("hur mycket ar det", "invoice", "invoice.get"),
        ("nar kommer 4711", None, "order.status"),
        # a list of orders asked for by mail is the report, which mails
        ("kan du mejla mig en lista pa alla forsenade ordrar", None, "order.report"),
        ("can you email me a list of our delayed orders", "order", "order.report"),
        ("maila mig order 4711", None, "order.status"),
        # a change to the equipment is a request: its status is the request's
        ("vad är status på flytten?", "inventory", "request.status"),
        ("any news on the upgrade?", "inventory", "request.status"),
        ("move 78XYZ34 to Kista", None, "inventory.change"),
        # a question pointing at the record talked about, read unsurely as another family's, is about it
        ("what was in it?", "order", "order.status"),
        ("vilket inköpsordernummer hade den?", "order", "order.status"),
        ("what does it cost?", "order", NONE_INTENT),
        # the carrier and the contents asked of the order talked about
        ("who is carrying it?", "order", "order.status"),
        ("what is included in our maintenance contract?", None, "contract.status"),
        # how a request is doing is its status, with a number in no shape of ours too
        ("how is my support request doing?", None, "request.status"),
        ("what's the status of request 904512?", None, "request.status"),
        ("hur går det med mitt supportärende?", None, "request.status"),
        # dissatisfaction said outright is no look-up its other words resemble
        ("this is not acceptable, we needed it last week", "order", NONE_INTENT),
        ("det här är helt oacceptabelt", "order", NONE_INTENT),
        ("why is 4712 taking so long?", None, "order.status"),
        # ordering things for oneself, another maker's phone: not ours
        ("can you order me a pizza?", None, NONE_INTENT),
        # a count of machines is their listing, however the question begins
        ("How many servers do we have in Kista?", None, "inventory.show"),
        ("Hur många servrar har vi?", None, "inventory.show"),
        ("how do I reset the passcode on my iPhone?", None, NONE_INTENT),
    ],
)
def test_what_new_conversations_said(nlu: NLU, text: str, topic: str | None, intent: str) -> None:
    assert nlu.parse(text, today=TODAY, topic=topic).intent == intent


def test_our_number_is_the_customer_number(nlu: NLU) -> None:
    for text in ("sorry, our number is 2000456", "vårt nummer är 2000456"):
        entities = [(e.type, e.value) for e in nlu.parse(text, today=TODAY).entities]
        assert entities == [("customer_number", "2000456")], text
    assert [e.type for e in nlu.parse("vitamin C 1000 please", today=TODAY).entities] == []


def test_swedish_typed_without_its_letters_is_read_as_written_out(nlu: NLU) -> None:
    """The words come back with their å, ä and ö for reading ("forra veckan" is last week); a word that
    is also English ("for", "Slack"), an address and a message typed with the letters stay as typed."""
    parse = nlu.parse("visa ordrar forra veckan", today=TODAY)
    assert parse.text == "visa ordrar förra veckan"
    assert [(e.type, e.value) for e in parse.entities] == [
        ("date_range", {"start": "2026-06-08", "end": "2026-06-14"})
    ]
    assert nlu.parse("ordrar i ar", today=TODAY).text == "ordrar i år"
    assert nlu.parse("hur mycket ar det", today=TODAY).text == "hur mycket är det"
    for typed in (
        "orders for Kista since Mar 1, in Slack",
        "mejla till nar@nordisk.example",
        "förra veckan ar",
        "see you later, the fan is loud",
    ):
        assert nlu.parse(typed, today=TODAY).text == typed
    # A word that is English as typed is restored only when the rest of the message is Swedish.
    assert nlu.parse("var star den?", today=TODAY).text == "var står den?"  # Swedish by "var" and "den"
    assert nlu.parse("five star service", today=TODAY).text == "five star service"
    fault = nlu.parse("flakten i servern 78ABC12 later jattemycket, vill gora en felanmalan", today=TODAY)
    assert fault.text == "fläkten i servern 78ABC12 låter jattemycket, vill göra en felanmälan"
    assert "fault" in {e.type for e in fault.entities}
