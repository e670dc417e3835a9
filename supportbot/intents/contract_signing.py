"""Contract approvals and electronic signatures: contract.approve and contract.sign.

Before anything is recorded the user sees exactly what they approve or sign (the contract, the
version and its date, its summary, the full SHA-256 of its text, the document) and confirms it.
The facts shown wait with the question as its slots, so what is signed is what was shown: the back
end signs only the current version, only if its hash is still the one shown. In the web chat, whose
users sign in there with a password, a signature also takes the password once more, in a password
field whose value no transcript, state, log or bus ever holds (``FormSubmission.secrets``); Slack
and Teams vouch for their users themselves, so the confirmation is enough there. What a signature
records, and what kind of signature it is, is told in docs/contract-signatures.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from supportbot.bot.i18n import Entry, words
from supportbot.bot.limits import Rule
from supportbot.bot.messages import Button, Card, Field, Form, FormField, Reply
from supportbot.bot.spec import IntentSpec, Slot, TurnContext, said_undenied
from supportbot.bot.state import SlotValue
from supportbot.integrations.models import Contract, ContractStep, ContractStepOutcome, ContractVersion, Tool
from supportbot.intents.common import APPROVING, ASKED_AFTER

log = logging.getLogger(__name__)

APPROVE_EXAMPLES = {
    "en": [
        "approve contract C-1001",
        "I approve the new version of C-1001",
        "approve the contract renewal",
        "mark contract C-2001 as approved",
        "can I approve the agreement",
        "give internal approval to the maintenance contract",
        "share the contract with my colleague for review",
        "accept the updated contract terms",
        "approve the agreement",
        "the new contract version is ok, approve it",
        "how do I approve a contract",
        "I want to approve the renewal of C-1001",
        "record my approval of contract C-2001",
        "please register my approval",
        "we accept the new terms in C-1001",
        "please approve C-2001 for us",
        "I'm fine with the new contract, approve it",
        "give the go-ahead on contract C-1001",
        "ask my manager to approve the agreement",
        "get internal sign-off on the renewal",
    ],
    "sv": [
        "godkänn avtal C-1001",
        "jag godkänner den nya versionen av C-1001",
        "godkänn förnyelsen av avtalet",
        "markera avtal C-2001 som godkänt",
        "kan jag godkänna avtalet",
        "ge internt godkännande till underhållsavtalet",
        "dela avtalet med min kollega för granskning",
        "acceptera de uppdaterade avtalsvillkoren",
        "godkänn kontraktet",
        "den nya avtalsversionen är ok, godkänn den",
        "hur godkänner jag ett avtal",
        "jag vill godkänna förnyelsen av C-1001",
        "godkän avtal C-1001",
        "registrera mitt godkännande av avtal C-2001",
        "vi accepterar de nya villkoren i C-1001",
        "godkänn C-2001 åt oss",
        "jag är nöjd med det nya avtalet, godkänn det",
        "ge klartecken till avtal C-1001",
        "be min chef godkänna avtalet",
        "få internt godkännande av förnyelsen",
    ],
}

SIGN_EXAMPLES = {
    "en": [
        "sign contract C-1001",
        "I want to sign the contract electronically",
        "e-sign the new version",
        "sign the renewal",
        "where do I sign the agreement",
        "can I sign C-2001 digitally",
        "add my signature to contract C-1001",
        "sign it electronically",
        "ready to sign the maintenance contract",
        "digitally sign the updated agreement",
        "how do I e-sign a contract",
        "sign the latest version of C-1001",
        "I'd like to sign",
        "sign",
        "put my e-signature on the contract",
        "can I sign the renewal online",
        "sing the contract",
        "Please let me sign the new version of our service agreement.",
        "who has signed C-1001",
        "has the contract been signed",
        "sign the contract for Contoso",
        "I need to sign the agreement today",
        "electronic signature for contract C-2001",
        "can I sign the contract with BankID",
        "send me the contract to sign",
    ],
    "sv": [
        "signera avtal C-1001",
        "jag vill signera avtalet elektroniskt",
        "e-signera den nya versionen",
        "signera förnyelsen",
        "var skriver jag under avtalet",
        "kan jag signera C-2001 digitalt",
        "lägg till min signatur på avtal C-1001",
        "signera det elektroniskt",
        "redo att skriva under underhållsavtalet",
        "signera det uppdaterade avtalet digitalt",
        "hur e-signerar jag ett avtal",
        "signera senaste versionen av C-1001",
        "jag vill skriva under",
        "signera",
        "sätt min e-signatur på avtalet",
        "kan jag skriva under förnyelsen online",
        "sigera avtalet",
        "Låt mig signera den nya versionen av vårt serviceavtal.",
        "vem har signerat C-1001",
        "har avtalet undertecknats",
        "underteckna avtalet",
        "jag behöver skriva under avtalet idag",
        "elektronisk signatur för avtal C-2001",
        "kan jag signera kontraktet med BankID",
        "skicka avtalet till mig för signering",
    ],
}


WORDS: dict[str, Entry] = {
    # --- shared by both: which contract, the facts shown -----------------------------------------------
    "contract.sign.not_found": {
        "en": "I can't find contract {number} among your company's contracts. Please check the number.",
        "sv": "Jag hittar inte avtal {number} bland ert företags avtal. Kontrollera gärna numret.",
    },
    "contract.sign.no_version": {
        "en": "Contract {number} has no version {version}; its current version is {current}.",
        "sv": "Avtal {number} har ingen version {version}; den gällande versionen är {current}.",
    },
    "contract.sign.field.contract": {"en": "Contract", "sv": "Avtal"},
    "contract.sign.field.version": {"en": "Version", "sv": "Version"},
    "contract.sign.field.version.value": {"en": "{version}, dated {date}", "sv": "{version}, daterad {date}"},
    "contract.sign.field.summary": {"en": "What it says", "sv": "Innehåll"},
    "contract.sign.field.sha256": {"en": "SHA-256 of the text", "sv": "SHA-256 för texten"},
    "contract.sign.field.signed": {"en": "Signed", "sv": "Signerat"},
    "contract.sign.field.approved": {"en": "Approved", "sv": "Godkänt"},
    "contract.sign.field.by": {"en": "{who}, {when}", "sv": "{who}, {when}"},
    "contract.sign.pdf": {
        "en": "Contract {number} version {version} (PDF)",
        "sv": "Avtal {number} version {version} (PDF)",
    },
    "contract.sign.channel.web": {"en": "web chat", "sv": "webbchatten"},
    "contract.sign.channel.slack": {"en": "Slack", "sv": "Slack"},
    "contract.sign.channel.teams": {"en": "Microsoft Teams", "sv": "Microsoft Teams"},
    "contract.sign.channel.console": {"en": "console", "sv": "konsolen"},
    "contract.sign.channel.other": {"en": "chat", "sv": "chatten"},
    # --- contract.sign ---------------------------------------------------------------------------------
    "contract.sign.none_waiting": {
        "en": "None of your company's contracts has a version waiting for a signature right now.",
        "sv": "Inget av ert företags avtal har just nu en version som väntar på underskrift.",
    },
    "contract.sign.choose": {
        "en": "These contracts have a version waiting for a signature: {numbers}. Which one do you want to sign?",
        "sv": "De här avtalen har en version som väntar på underskrift: {numbers}. Vilket vill du signera?",
    },
    "contract.sign.button.choose": {"en": "Sign {number}", "sv": "Signera {number}"},
    "contract.sign.button.choose.value": {"en": "sign contract {number}", "sv": "signera avtal {number}"},
    "contract.sign.superseded": {
        "en": "Version {version} of contract {number} has been replaced by version {current}, so it can't "
        "be signed any more. Only the current version, {current}, can be signed.",
        "sv": "Version {version} av avtal {number} har ersatts av version {current}, så den kan inte "
        "signeras längre. Bara den gällande versionen, {current}, kan signeras.",
    },
    "contract.sign.already": {
        "en": "Version {version} of contract {number} was already signed by {who} on {when}, so nothing has "
        "changed.",
        "sv": "Version {version} av avtal {number} signerades redan av {who} den {when}, så inget har ändrats.",
    },
    "contract.sign.awaits_approval": {
        "en": "Version {version} of contract {number} is waiting for approval, not for a signature. Say "
        '"approve contract {number}" to approve it.',
        "sv": "Version {version} av avtal {number} väntar på godkännande, inte på underskrift. Skriv "
        '"godkänn avtal {number}" för att godkänna den.',
    },
    "contract.sign.not_awaiting": {
        "en": "Version {version} of contract {number} isn't waiting for a signature, so there is nothing to sign.",
        "sv": "Version {version} av avtal {number} väntar inte på någon underskrift, så det finns inget att "
        "signera.",
    },
    "contract.sign.offer": {
        "en": "Please check what you are about to sign: version {version} of contract {number}, {title}. "
        "Signing records your name, the time, the channel and the SHA-256 below, which identifies exactly "
        "this text. Do you want to sign it?",
        "sv": "Kontrollera vad du är på väg att signera: version {version} av avtal {number}, {title}. "
        "Underskriften registrerar ditt namn, tidpunkten, kanalen och SHA-256-värdet nedan, som pekar ut "
        "exakt den här texten. Vill du signera?",
    },
    "contract.sign.offer.password": {
        "en": " When you confirm, I'll ask for your password once more.",
        "sv": " När du bekräftar ber jag dig ange ditt lösenord en gång till.",
    },
    "contract.sign.ask_confirm": {
        "en": 'Shall I sign it? Press "Sign" or say "yes, sign".',
        "sv": 'Ska jag signera? Tryck på "Signera" eller skriv "ja, signera".',
    },
    "contract.sign.button.sign": {"en": "Sign", "sv": "Signera"},
    "contract.sign.button.sign.value": {"en": "yes, sign", "sv": "ja, signera"},
    "contract.sign.button.cancel": {"en": "Cancel", "sv": "Avbryt"},
    "contract.sign.button.cancel.value": {"en": "don't sign", "sv": "signera inte"},
    "contract.sign.cancelled": {
        "en": "All right, I haven't signed contract {number}; nothing was recorded. Just ask when you want "
        "to sign it.",
        "sv": "Okej, jag har inte signerat avtal {number}; inget har registrerats. Säg till när du vill "
        "signera det.",
    },
    "contract.sign.expired": {
        "en": "That confirmation is no longer open, so nothing was signed. Ask me to sign the contract again "
        "and I'll show you what it says now.",
        "sv": "Den bekräftelsen är inte längre öppen, så inget har signerats. Be mig signera avtalet igen så "
        "visar jag vad det säger nu.",
    },
    "contract.sign.password.intro": {
        "en": "To sign version {version} of contract {number}, please enter your password once more.",
        "sv": "För att signera version {version} av avtal {number}, ange ditt lösenord en gång till.",
    },
    "contract.sign.password.title": {"en": "Confirm your signature", "sv": "Bekräfta din underskrift"},
    "contract.sign.password.label": {"en": "Your password", "sv": "Ditt lösenord"},
    "contract.sign.password.wrong": {
        "en": "That password isn't right. Please try again.",
        "sv": "Lösenordet stämmer inte. Försök igen.",
    },
    "contract.sign.password.wrong_text": {
        "en": "That password isn't right, so nothing was signed yet. Please enter it again.",
        "sv": "Lösenordet stämmer inte, så inget har signerats ännu. Ange det igen.",
    },
    "contract.sign.password.locked": {
        "en": "That password wasn't right, and there have been too many attempts, so for your security I "
        "haven't signed anything. Please try again in a while.",
        "sv": "Lösenordet stämde inte, och det har varit för många försök, så för din säkerhet har jag inte "
        "signerat något. Försök igen om en stund.",
    },
    "contract.sign.password.unavailable": {
        "en": "I can't check passwords here, so I can't sign in this chat. Please sign the contract in the "
        "web chat, Slack or Teams.",
        "sv": "Jag kan inte kontrollera lösenord här, så jag kan inte signera i den här chatten. Signera "
        "avtalet i webbchatten, Slack eller Teams.",
    },
    "contract.sign.ask_password": {
        "en": "Please enter your password in the form above to sign.",
        "sv": "Ange ditt lösenord i formuläret ovan för att signera.",
    },
    "contract.sign.password.open": {"en": "Enter password", "sv": "Ange lösenord"},
    "contract.sign.changed": {
        "en": "Version {version} of contract {number} is no longer the text you were shown, so I haven't "
        "signed it. Ask me to sign it again and I'll show you what it says now.",
        "sv": "Version {version} av avtal {number} är inte längre den text du fick se, så jag har inte "
        "signerat den. Be mig signera igen så visar jag vad den säger nu.",
    },
    "contract.sign.done": {
        "en": "Signed. Version {version} of contract {number} is signed electronically by {who} on {when} "
        "through {channel}. The signature is recorded with the SHA-256 of the text: {sha256}.",
        "sv": "Signerat. Version {version} av avtal {number} är elektroniskt signerad av {who} den {when} "
        "via {channel}. Underskriften är registrerad med textens SHA-256: {sha256}.",
    },
    # --- contract.approve ------------------------------------------------------------------------------
    "contract.approve.none_waiting": {
        "en": "None of your company's contracts has a version waiting for approval right now.",
        "sv": "Inget av ert företags avtal har just nu en version som väntar på godkännande.",
    },
    "contract.approve.choose": {
        "en": "These contracts have a version waiting for approval: {numbers}. Which one do you want to approve?",
        "sv": "De här avtalen har en version som väntar på godkännande: {numbers}. Vilket vill du godkänna?",
    },
    "contract.approve.button.choose": {"en": "Approve {number}", "sv": "Godkänn {number}"},
    "contract.approve.button.choose.value": {
        "en": "approve contract {number}",
        "sv": "godkänn avtal {number}",
    },
    "contract.approve.nothing": {
        "en": "Contract {number} has no version waiting for approval, so there is nothing to approve. Its "
        "current version is {current}.",
        "sv": "Avtal {number} har ingen version som väntar på godkännande, så det finns inget att godkänna. "
        "Den gällande versionen är {current}.",
    },
    "contract.approve.not_awaiting": {
        "en": "Version {version} of contract {number} isn't waiting for approval, so there is nothing to "
        "approve.",
        "sv": "Version {version} av avtal {number} väntar inte på godkännande, så det finns inget att godkänna.",
    },
    "contract.approve.already": {
        "en": "Version {version} of contract {number} was already approved by {who} on {when}, so nothing has "
        "changed.",
        "sv": "Version {version} av avtal {number} godkändes redan av {who} den {when}, så inget har ändrats.",
    },
    "contract.approve.offer": {
        "en": "Version {version} of contract {number}, {title}, is waiting for your approval. Approving "
        "records your name, the time and the SHA-256 below. Do you want to approve it?",
        "sv": "Version {version} av avtal {number}, {title}, väntar på ert godkännande. Godkännandet "
        "registrerar ditt namn, tidpunkten och SHA-256-värdet nedan. Vill du godkänna den?",
    },
    "contract.approve.ask_confirm": {
        "en": 'Shall I approve it? Press "Approve" or say "yes, approve".',
        "sv": 'Ska jag godkänna? Tryck på "Godkänn" eller skriv "ja, godkänn".',
    },
    "contract.approve.button.approve": {"en": "Approve", "sv": "Godkänn"},
    "contract.approve.button.approve.value": {"en": "yes, approve", "sv": "ja, godkänn"},
    "contract.approve.button.cancel": {"en": "Cancel", "sv": "Avbryt"},
    "contract.approve.button.cancel.value": {"en": "don't approve", "sv": "godkänn inte"},
    "contract.approve.cancelled": {
        "en": "All right, I haven't approved contract {number}; nothing was recorded.",
        "sv": "Okej, jag har inte godkänt avtal {number}; inget har registrerats.",
    },
    "contract.approve.done": {
        "en": "Approved. Version {version} of contract {number} is approved by {who} on {when}. Recorded with "
        "the SHA-256 of the text: {sha256}.",
        "sv": "Godkänt. Version {version} av avtal {number} är godkänd av {who} den {when}. Registrerat med "
        "textens SHA-256: {sha256}.",
    },
}
words(WORDS)


SIGNATURE_ATTEMPTS = 5
"""Wrong passwords per user in ``SIGNATURE_WINDOW`` seconds before a signature is refused outright."""
SIGNATURE_WINDOW = 900.0
PASSWORD_FIELD = "password"  # noqa: S105 (the name of the form field, not a password)

_GO_AHEAD = (
    r"(?i)\s*(?:(?:yes|yeah|yep|yup|sure|absolutely|of\s+course|ja|japp|jepp|visst|absolut|självklart)\b"
    r"[\s,.!]*(?:(?:please|thanks|thank\s+you|tack|gärna)\b[\s,.!]*)?"
    r"|(?:ok|okay|okej)\b[\s,.!]*(?:(?:please|gärna)\b[\s,.!]*)?|(?:please|gärna)\b[\s,.!]*)?"
    r"(?:(?:go\s+ahead|do\s+it|please\s+do|kör|gör\s+det)\b(?:\s+and\b|\s+och\b)?[\s,.!]*)?"
)
"""A yes said before the act, or instead of it: "yes please", "ja tack", "sure, go ahead and", "kör";
not "ok thanks", which may be a polite no."""
_YES_SIGN = re.compile(
    _GO_AHEAD + r"(?:(?:(?:please\s+)?sign(?:\s+it)?(?:\s+now)?|i\s+sign|signera(?:\s+det)?|jag\s+signerar"
    r"|skriv\s+under)(?:[\s,.!]+(?:please|thanks|tack))?)?[\s.!]*"
)
_YES_APPROVE = re.compile(
    _GO_AHEAD
    + r"(?:(?:(?:please\s+)?approve(?:\s+it)?|i\s+approve|godkänn(?:\s+den|\s+det)?|jag\s+godkänner)"
    r"(?:[\s,.!]+(?:please|thanks|tack))?)?[\s.!]*"
)
_VERSION = re.compile(r"(?i)\b(?:version|versionen|ver\.?|v\.?)\s*(\d{1,3})\b")


def _yes(pattern: re.Pattern[str], said: str) -> bool:
    """An explicit yes: the pattern's words, not nothing at all."""
    return bool(said.strip(" .!,")) and pattern.fullmatch(said) is not None


# --- what the turn is about -----------------------------------------------------------------------------


def _said_number(ctx: TurnContext) -> str | None:
    said = ctx.slot("contract")
    return str(said.value).upper() if said is not None else None


def _said_version(ctx: TurnContext) -> int | None:
    said = ctx.slot("version")
    if said is not None:
        try:
            return int(said.value)
        except (TypeError, ValueError):
            return None
    found = _VERSION.search(ctx.parse.text)
    return int(found.group(1)) if found else None


def _keep_offer(ctx: TurnContext, contract: Contract, version: ContractVersion) -> None:
    """What was shown waits with the confirmation: the contract, the version and its hash."""
    ctx.slots["contract"] = SlotValue("contract_number", contract.number)
    ctx.slots["version"] = SlotValue("version", version.version)
    ctx.slots["shown"] = SlotValue("sha256", version.sha256)
    ctx.set_current("contract", "contract_number", contract.number)


def _offered(ctx: TurnContext) -> tuple[str, int, str] | None:
    """The contract, version and hash the user was shown and is answering about."""
    number, version, shown = ctx.slot("contract"), ctx.slot("version"), ctx.slot("shown")
    if number is None or version is None or shown is None:
        return None
    return str(number.value), int(version.value), str(shown.value)


async def _waiting(ctx: TurnContext, awaiting: str) -> list[Contract]:
    """The company's contracts with a version waiting for this step."""
    contracts = await ctx.backends.contracts.list_contracts(ctx.principal)
    return [c for c in contracts if any(v.awaiting == awaiting for v in c.versions)]


async def _contract_asked_for(ctx: TurnContext, step: str, awaiting: str) -> Contract | Reply:
    """The contract named, or without a number the one whose current version waits for this step (a
    choice when several do); another company's reads like one that does not exist."""
    number = _said_number(ctx)
    if number is None:
        waiting = [c for c in await _waiting(ctx, awaiting) if c.versions[-1].awaiting == awaiting]
        if not waiting:
            return ctx.reply(ctx.t(f"contract.{step}.none_waiting"))
        if len(waiting) > 1:
            return _choice(ctx, waiting, step)
        return waiting[0]
    contract = await ctx.backends.contracts.get_contract(ctx.principal, number)
    if contract is None or not contract.versions:
        return _not_found(ctx, number)
    # The contract talked about now, whatever is said of it ("nothing waits"): "och signera det"
    # after it is this one, not another that waits.
    ctx.set_current("contract", "contract_number", contract.number)
    return contract


def _choice(ctx: TurnContext, contracts: Sequence[Contract], step: str) -> Reply:
    numbers = [c.number for c in contracts]
    buttons = tuple(
        Button(
            label=ctx.t(f"contract.{step}.button.choose", number=number),
            value=ctx.t(f"contract.{step}.button.choose.value", number=number),
        )
        for number in numbers[:5]
    )
    ctx.set_shown("contract", numbers)
    return ctx.reply(ctx.t(f"contract.{step}.choose", numbers=", ".join(numbers)), buttons=buttons)


def _channel(ctx: TurnContext, channel: str | None) -> str:
    known = {"web", "slack", "teams", "console"}
    return ctx.t(f"contract.sign.channel.{channel if channel in known else 'other'}")


def _document_link(ctx: TurnContext, contract: Contract, version: ContractVersion) -> str | None:
    """A signed link to the version's PDF, for its reader only (made from the data when opened, so a
    version signed meanwhile has its signature page)."""
    owner = ctx.principal.user_id
    if owner is None:
        return None
    return ctx.files.document_link(
        owner=owner, kind="contract", number=contract.number, version=version.version
    )


def _facts_card(ctx: TurnContext, contract: Contract, version: ContractVersion) -> Card:
    """Exactly what is approved or signed: the contract, the version and its date, what it says, its
    full SHA-256 and, once signed or approved, by whom and when."""
    fields = [
        Field(label=ctx.t("contract.sign.field.contract"), value=f"{contract.number} – {contract.title}"),
        Field(
            label=ctx.t("contract.sign.field.version"),
            value=ctx.t(
                "contract.sign.field.version.value",
                version=version.version,
                date=ctx.fmt.date(version.created_at),
            ),
        ),
        Field(label=ctx.t("contract.sign.field.summary"), value=version.summary),
        Field(label=ctx.t("contract.sign.field.sha256"), value=version.sha256),
    ]
    if version.approved_at is not None:
        fields.append(
            Field(
                label=ctx.t("contract.sign.field.approved"),
                value=ctx.t(
                    "contract.sign.field.by",
                    who=version.approved_name or version.approved_by or "",
                    when=ctx.fmt.datetime(version.approved_at),
                ),
            )
        )
    if version.signed_at is not None:
        fields.append(
            Field(
                label=ctx.t("contract.sign.field.signed"),
                value=ctx.t(
                    "contract.sign.field.by",
                    who=version.signed_name or version.signed_by or "",
                    when=ctx.fmt.datetime(version.signed_at),
                )
                + (f", {_channel(ctx, version.signed_channel)}" if version.signed_channel else ""),
            )
        )
    link = _document_link(ctx, contract, version)
    return Card(
        title=f"{contract.number} · {ctx.t('contract.sign.field.version')} {version.version}",
        subtitle=contract.title,
        fields=tuple(fields),
        url=link,
        url_label=ctx.t("contract.sign.pdf", number=contract.number, version=version.version)
        if link
        else None,
    )


def _not_found(ctx: TurnContext, number: str) -> Reply:
    """The same words for a number no contract has and for another company's contract."""
    return ctx.reply(ctx.t("contract.sign.not_found", number=number))


# --- contract.sign ------------------------------------------------------------------------------------


async def contract_sign(ctx: TurnContext) -> Reply:
    """Shows the version and asks; on "yes" (and, in the web chat, the password) signs what was shown."""
    if ctx.submitted is not None:
        return await _password_sent(ctx)
    confirm = ctx.slot("confirm")
    if confirm is None:
        return await _offer_signature(ctx)
    offered = _offered(ctx)
    if offered is None:
        return ctx.reply(ctx.t("contract.sign.expired"))
    number, version, shown = offered
    if not _yes(_YES_SIGN, str(confirm.value)):
        return ctx.reply(ctx.t("contract.sign.cancelled", number=number))
    if ctx.can("password"):
        return _ask_password(ctx, number, version)
    return await _sign(ctx, number, version, shown)


async def _offer_signature(ctx: TurnContext) -> Reply:
    found = await _contract_asked_for(ctx, "sign", "signature")
    if isinstance(found, Reply):
        return found
    contract, current = found, found.versions[-1]
    asked = _said_version(ctx)
    version = next((v for v in contract.versions if v.version == asked), None) if asked else current
    facts = {"number": contract.number, "version": asked or current.version, "current": current.version}
    if version is None:
        return ctx.reply(ctx.t("contract.sign.no_version", **facts))
    if version is not current:
        return ctx.reply(
            ctx.t("contract.sign.superseded", **facts), cards=(_facts_card(ctx, contract, current),)
        )
    if version.signed_at is not None:
        return _already_signed(ctx, contract, version)
    if version.awaiting != "signature":
        key = (
            "contract.sign.awaits_approval"
            if version.awaiting == "approval"
            else "contract.sign.not_awaiting"
        )
        return ctx.reply(ctx.t(key, **facts))
    _keep_offer(ctx, contract, version)
    ctx.ask("confirm")
    text = ctx.t("contract.sign.offer", number=contract.number, version=version.version, title=contract.title)
    if ctx.can("password"):
        text += ctx.t("contract.sign.offer.password")
    return ctx.reply(
        text,
        cards=(_facts_card(ctx, contract, version),),
        buttons=_sign_buttons(ctx),
    )


def _already_signed(ctx: TurnContext, contract: Contract, version: ContractVersion) -> Reply:
    text = ctx.t(
        "contract.sign.already",
        number=contract.number,
        version=version.version,
        who=version.signed_name or version.signed_by or "",
        when=ctx.fmt.datetime(version.signed_at),
    )
    return ctx.reply(text, cards=(_facts_card(ctx, contract, version),))


def _ask_password(ctx: TurnContext, number: str, version: int, *, wrong: bool = False) -> Reply:
    """The password form; the question waits with what was shown, for the form to answer."""
    ctx.ask("reauth")
    shown = ctx.slot("shown")
    form = Form(
        id="contract.sign",
        title=ctx.t("contract.sign.password.title"),
        fields=(
            FormField(
                name="contract",
                label=ctx.t("contract.sign.field.contract"),
                kind="info",
                value=f"{number}, {ctx.t('contract.sign.field.version')} {version}",
            ),
            FormField(
                name="sha256",
                label=ctx.t("contract.sign.field.sha256"),
                kind="info",
                value=str(shown.value) if shown is not None else "",
            ),
            FormField(
                name=PASSWORD_FIELD,
                label=ctx.t("contract.sign.password.label"),
                kind="password",
                required=True,
                error=ctx.t("contract.sign.password.wrong") if wrong else None,
            ),
        ),
        submit_label=ctx.t("contract.sign.button.sign"),
        cancel_label=ctx.t("contract.sign.button.cancel"),
        open_label=ctx.t("contract.sign.password.open"),
        open_value=ctx.t("contract.sign.button.sign.value"),
    )
    key = "contract.sign.password.wrong_text" if wrong else "contract.sign.password.intro"
    return ctx.reply(ctx.t(key, number=number, version=version), form=form)


async def _password_sent(ctx: TurnContext) -> Reply:
    """The password form came back: the password checked (and then forgotten), then the signature."""
    assert ctx.submitted is not None
    offered = _offered(ctx)
    if offered is None or ctx.slot("confirm") is None or not ctx.can("password"):
        return ctx.reply(ctx.t("contract.sign.expired"))
    number, version, shown = offered
    user_id = ctx.principal.user_id
    if ctx.limits is None or user_id is None:
        return ctx.reply(ctx.t("contract.sign.password.unavailable"))
    attempts = Rule(f"contract.sign:user:{user_id.casefold()}", SIGNATURE_ATTEMPTS, SIGNATURE_WINDOW)
    if await ctx.limits.full(attempts):
        log.warning("a contract signature refused after too many wrong passwords")
        return ctx.reply(ctx.t("contract.sign.password.locked"))
    password = ctx.submitted.secret(PASSWORD_FIELD) or ""
    checked = await ctx.backends.directory.authenticate(user_id, password) if password else None
    if checked is None or checked.user_id != user_id:
        await ctx.limits.hit(attempts)
        if await ctx.limits.full(attempts):
            log.warning("a contract signature refused after too many wrong passwords")
            return ctx.reply(ctx.t("contract.sign.password.locked"))
        return _ask_password(ctx, number, version, wrong=True)
    return await _sign(ctx, number, version, shown)


async def _sign(ctx: TurnContext, number: str, version: int, shown: str) -> Reply:
    channel = ctx.conversation.channel if ctx.conversation is not None else "other"
    outcome = await ctx.backends.contracts.sign(
        ctx.principal, number, version, shown, channel, action=ctx.action()
    )
    if outcome is None:
        return _not_found(ctx, number)
    return _signed(ctx, outcome)


def _signed(ctx: TurnContext, outcome: ContractStepOutcome) -> Reply:
    contract, acted, current = outcome.contract, outcome.acted_on, outcome.current
    facts = {
        "number": contract.number,
        "version": outcome.version,
        "current": current.version if current is not None else outcome.version,
    }
    step = outcome.step
    if step is ContractStep.DONE and acted is not None and acted.signed_at is not None:
        text = ctx.t(
            "contract.sign.done",
            who=acted.signed_name or acted.signed_by or "",
            when=ctx.fmt.datetime(acted.signed_at),
            channel=_channel(ctx, acted.signed_channel),
            sha256=acted.sha256,
            **facts,
        )
        return ctx.reply(text, cards=(_facts_card(ctx, contract, acted),))
    if step is ContractStep.ALREADY and acted is not None and acted.signed_at is not None:
        return _already_signed(ctx, contract, acted)
    if step is ContractStep.SUPERSEDED:
        return ctx.reply(ctx.t("contract.sign.superseded", **facts))
    if step is ContractStep.CHANGED:
        return ctx.reply(ctx.t("contract.sign.changed", **facts))
    if step is ContractStep.NO_SUCH_VERSION:
        return ctx.reply(ctx.t("contract.sign.no_version", **facts))
    return ctx.reply(ctx.t("contract.sign.not_awaiting", **facts))


# --- contract.approve ---------------------------------------------------------------------------------


async def contract_approve(ctx: TurnContext) -> Reply:
    """Shows the version awaiting approval and asks; on "yes" records the approval."""
    confirm = ctx.slot("confirm")
    if confirm is None:
        return await _offer_approval(ctx)
    offered = _offered(ctx)
    if offered is None:
        return ctx.reply(ctx.t("contract.sign.expired"))
    number, version, _ = offered
    if not _yes(_YES_APPROVE, str(confirm.value)):
        return ctx.reply(ctx.t("contract.approve.cancelled", number=number))
    channel = ctx.conversation.channel if ctx.conversation is not None else None
    outcome = await ctx.backends.contracts.approve(
        ctx.principal, number, version, channel=channel, action=ctx.action()
    )
    if outcome is None:
        return _not_found(ctx, number)
    return _approved(ctx, outcome)


async def _offer_approval(ctx: TurnContext) -> Reply:
    found = await _contract_asked_for(ctx, "approve", "approval")
    if isinstance(found, Reply):
        return found
    contract, current = found, found.versions[-1]
    asked = _said_version(ctx)
    facts = {"number": contract.number, "version": asked or current.version, "current": current.version}
    if asked is not None:
        version = next((v for v in contract.versions if v.version == asked), None)
        if version is None:
            return ctx.reply(ctx.t("contract.sign.no_version", **facts))
    else:
        awaiting = [v for v in contract.versions if v.awaiting == "approval"]
        approved = [v for v in contract.versions if v.approved_at is not None]
        version = awaiting[-1] if awaiting else approved[-1] if approved else None
        if version is None:
            return ctx.reply(ctx.t("contract.approve.nothing", **facts))
    if version.awaiting != "approval":
        if version.approved_at is not None:
            return _already_approved(ctx, contract, version)
        return ctx.reply(ctx.t("contract.approve.not_awaiting", **{**facts, "version": version.version}))
    _keep_offer(ctx, contract, version)
    ctx.ask("confirm")
    text = ctx.t(
        "contract.approve.offer", number=contract.number, version=version.version, title=contract.title
    )
    return ctx.reply(
        text,
        cards=(_facts_card(ctx, contract, version),),
        buttons=_approve_buttons(ctx),
    )


def _already_approved(ctx: TurnContext, contract: Contract, version: ContractVersion) -> Reply:
    text = ctx.t(
        "contract.approve.already",
        number=contract.number,
        version=version.version,
        who=version.approved_name or version.approved_by or "",
        when=ctx.fmt.datetime(version.approved_at),
    )
    return ctx.reply(text, cards=(_facts_card(ctx, contract, version),))


def _approved(ctx: TurnContext, outcome: ContractStepOutcome) -> Reply:
    contract, acted, current = outcome.contract, outcome.acted_on, outcome.current
    facts = {
        "number": contract.number,
        "version": outcome.version,
        "current": current.version if current is not None else outcome.version,
    }
    if outcome.step is ContractStep.DONE and acted is not None and acted.approved_at is not None:
        text = ctx.t(
            "contract.approve.done",
            who=acted.approved_name or acted.approved_by or "",
            when=ctx.fmt.datetime(acted.approved_at),
            sha256=acted.sha256,
            **facts,
        )
        return ctx.reply(text, cards=(_facts_card(ctx, contract, acted),))
    if acted is not None and acted.approved_at is not None:
        return _already_approved(ctx, contract, acted)
    if outcome.step is ContractStep.NO_SUCH_VERSION:
        return ctx.reply(ctx.t("contract.sign.no_version", **facts))
    return ctx.reply(ctx.t("contract.approve.not_awaiting", **facts))


# --- the intents --------------------------------------------------------------------------------------

_CONTRACT = Slot(name="contract", entities=("contract_number",), required=False)
_VERSION_SLOT = Slot(
    name="version",
    entities=("version",),
    required=False,
    carry=False,
    inline=r"(?i).*?\b(?:version|versionen)\s*(?P<text>\d{1,3})\b",
)
_SHOWN = Slot(name="shown", entities=("sha256",), required=False, carry=False)
"""The hash of the version shown: set by the handler when it asks, never from what a user says."""


def _buttons(step: str) -> Callable[[TurnContext], tuple[Button, ...]]:
    """The confirmation's two buttons: to do the step ("Sign", "Approve") and to cancel."""

    def buttons(ctx: TurnContext) -> tuple[Button, ...]:
        return tuple(
            Button(
                label=ctx.t(f"contract.{step}.button.{key}"),
                value=ctx.t(f"contract.{step}.button.{key}.value"),
            )
            for key in (step, "cancel")
        )

    return buttons


_sign_buttons = _buttons("sign")
_approve_buttons = _buttons("approve")


def _confirm(step: str) -> Slot:
    """The answer to "shall I?" for a step ("sign", "approve"): whatever is said next (anything but yes
    cancels, a request of its own is answered and the question offered back, asked again with its
    buttons)."""
    return Slot(
        name="confirm",
        entities=("confirmation",),
        question=f"contract.{step}.ask_confirm",
        required=False,
        carry=False,
        free_text=True,
        choices=_buttons(step),
    )


_SIGNED = r"(?:(?:e-?)?signed|signerat|signerad|signerade|signerats|undertecknat|undertecknad|undertecknats)"
_SAYS_SIGN = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"(?<!been\s)(?<!blivit\s)"
    + _SIGNED
    + ASKED_AFTER
    + r"|(?!"
    + _SIGNED
    + r"(?![\w-]))(?:e-?)?sign(?!(?:ed|ing)?\s+(?:(?:me|us|him|her|them)\s+)?(?:in|on|up|out)\b)\w*"
    r"|signatur\w*|(?!" + _SIGNED + r"(?![\w-]))underteckn\w*|skriv\w*\s+(?:\w+\s+){0,2}under\b)"
)
"""Words of signing ("sign", "e-sign", "signature", "signera", "underteckna", "skriver jag under"); not
of signing in ("sign me in", "signing on", "sign up"), nor "signed" asked after ("has C-1003 been
signed?", "är avtalet signerat än?"), which is the contract's status."""

_SIGNS_UNDER = re.compile(r"(?i)(?<![\w-])skriv(?:a|er)?\s+(?:jag\s+|vi\s+)?under(?![\w-])")
"""Swedish's verb of signing in full ("skriv under avtalet", "ska vi skriva under?"): alone, "skriv"
is mostly printing ("skriv ut avtalet")."""


def _asks_to_sign(text: str) -> bool:
    """ "Skriv under avtalet C-1003": signing, however the classifier read "skriv"; not when denied
    ("vi vill inte skriva under än")."""
    return "under" in text.lower() and said_undenied(_SIGNS_UNDER, text)


_SAYS_APPROVE = re.compile(r"(?i)" + APPROVING)
"""Words of approving ("approve", "godkänn", "sign-off", "klartecken"); not "har den godkänts än?"."""

INTENTS = [
    IntentSpec(
        name="contract.approve",
        examples=APPROVE_EXAMPLES,
        requires=_SAYS_APPROVE,
        handler=contract_approve,
        tool=Tool.CONTRACTS,
        slots=(_CONTRACT, _VERSION_SLOT, _confirm("approve"), _SHOWN),
    ),
    IntentSpec(
        name="contract.sign",
        examples=SIGN_EXAMPLES,
        requires=_SAYS_SIGN,
        asked_by=_asks_to_sign,
        handler=contract_sign,
        tool=Tool.CONTRACTS,
        slots=(
            _CONTRACT,
            _VERSION_SLOT,
            _confirm("sign"),
            _SHOWN,
            # Asked while the password form is shown; only that form answers it, never typed words.
            Slot(
                name="reauth",
                entities=("reauth",),
                question="contract.sign.ask_password",
                required=False,
                carry=False,
            ),
        ),
        form=True,
    ),
]
