"""Every sentence the bot says to a customer, in English and Swedish.

Keys are grouped by who uses them. Placeholders are ``str.format`` fields; amounts and dates arrive
already formatted for the user's locale. A sentence with a count has a form per plural category of each
language and names the count that picks it (``"plural": "count"``); the count arrives as a number.
"""

from __future__ import annotations

Forms = dict[str, str]
"""A sentence per CLDR plural category of a language (``one``, ``other``)."""
Entry = dict[str, str | Forms]
"""``{"en": ..., "sv": ...}``, each a text or ``Forms``; with forms, ``PLURAL`` names the count."""
PLURAL = "plural"

CATALOGUE: dict[str, Entry] = {
    # --- the core --------------------------------------------------------------------------------
    "input.empty": {
        "en": "I didn't get any text. What can I help you with?",
        "sv": "Jag fick ingen text. Vad kan jag hjälpa dig med?",
    },
    "input.too_long": {
        "plural": "length",
        "en": {
            "one": "That message is too long for me ({length} character; at most {limit}). "
            "Could you say it in a few sentences?",
            "other": "That message is too long for me ({length} characters; at most {limit}). "
            "Could you say it in a few sentences?",
        },
        "sv": {
            "one": "Meddelandet är för långt för mig ({length} tecken; högst {limit}). "
            "Kan du säga det med några meningar?",
            "other": "Meddelandet är för långt för mig ({length} tecken; högst {limit}). "
            "Kan du säga det med några meningar?",
        },
    },
    "input.unreadable": {
        "en": "I couldn't read that message. Please write it as plain text.",
        "sv": "Jag kunde inte läsa meddelandet. Skriv det gärna som vanlig text.",
    },
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment, "
        "or ask to talk to a person.",
        "sv": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person.",
    },
    "error.backend_unavailable": {
        "en": "Sorry, I can't reach our systems right now, so I can't answer that at the moment. "
        "Please try again in a few minutes, or ask to talk to a person.",
        "sv": "Förlåt, jag når inte våra system just nu och kan därför inte svara på det. "
        "Försök igen om några minuter, eller be att få prata med en person.",
    },
    "download.links": {
        "plural": "minutes",
        "en": {
            "one": " The links work for {minutes} minute.",
            "other": " The links work for {minutes} minutes.",
        },
        "sv": {
            "one": " Länkarna fungerar i {minutes} minut.",
            "other": " Länkarna fungerar i {minutes} minuter.",
        },
    },
    "none": {
        "en": "I'm not sure I understood that, and I'd rather not guess. I can help with orders, "
        "invoices, account statements, contracts, installed equipment and support requests — "
        "or put you in touch with a person.",
        "sv": "Jag är inte säker på att jag förstod, och jag vill inte gissa. Jag kan hjälpa till med "
        "ordrar, fakturor, kontoutdrag, avtal, installerad utrustning och ärenden — "
        "eller koppla dig till en person.",
    },
    "dialog.cancelled": {
        "en": "OK, I've dropped that. What else can I do for you?",
        "sv": "Okej, jag släpper det. Vad mer kan jag hjälpa dig med?",
    },
    "dialog.nothing_to_cancel": {
        "en": "There's nothing to cancel. What can I help you with?",
        "sv": "Det finns inget att avbryta. Vad kan jag hjälpa dig med?",
    },
    "dialog.reask": {
        "en": '{question} (Or say "cancel" to drop it.)',
        "sv": '{question} (Eller skriv "avbryt" för att släppa det.)',
    },
    "dialog.form_unknown": {
        "en": "Sorry, that form is no longer in use, so nothing was sent. What can I help you with?",
        "sv": "Tyvärr används inte det formuläret längre, så inget skickades. Vad kan jag hjälpa dig med?",
    },
    "dialog.files_not_taken": {
        "plural": "count",
        "en": {
            "one": "I can't take files here, so I haven't kept it. Ask to talk to a person and they can "
            "help.",
            "other": "I can't take files here, so I haven't kept them. Ask to talk to a person and they can "
            "help.",
        },
        "sv": {
            "one": "Jag kan inte ta emot filer här, så jag har inte sparat den. Be att få prata med en "
            "person så hjälper de dig.",
            "other": "Jag kan inte ta emot filer här, så jag har inte sparat dem. Be att få prata med en "
            "person så hjälper de dig.",
        },
    },
    "auth.sign_in_needed": {
        "en": "Please sign in to see that. As a guest I can tell you the status of an order "
        "if you give me the order number and your customer number.",
        "sv": "Logga in för att se det. Som gäst kan jag berätta status för en order "
        "om du anger ordernumret och ert kundnummer.",
    },
    "auth.tool_needed": {
        "en": "You don't have access to {tool} yet. Your company's administrator can grant it.",
        "sv": "Du har inte behörighet till {tool} ännu. Ert företags administratör kan ge dig den.",
    },
    "tool.orders": {"en": "orders", "sv": "ordrar"},
    "tool.invoices": {"en": "invoices", "sv": "fakturor"},
    "tool.statements": {"en": "account statements", "sv": "kontoutdrag"},
    "tool.contracts": {"en": "contracts", "sv": "avtal"},
    "tool.inventory": {"en": "installed equipment", "sv": "installerad utrustning"},
    "tool.requests": {"en": "support requests", "sv": "ärenden"},
    "tool.not_connected": {
        "en": "I understand what you're asking, but that tool isn't connected to me yet. "
        "I can open a support request for it, or put you in touch with a person.",
        "sv": "Jag förstår vad du frågar efter, men det verktyget är inte kopplat till mig ännu. "
        "Jag kan öppna ett ärende om det, eller koppla dig till en person.",
    },
    "handoff.not_connected": {
        "en": "Our support team isn't connected to this chat yet. You can reach them by e-mail at "
        "{email}; mention your customer number and I'm sure they'll help.",
        "sv": "Vår supportavdelning är inte kopplad till den här chatten ännu. Du når dem på "
        "{email}; ange ert kundnummer så hjälper de dig.",
    },
    "button.open_request": {"en": "Open a request", "sv": "Öppna ett ärende"},
    "button.open_request.value": {"en": "open a request", "sv": "öppna ett ärende"},
    "button.talk_to_person": {"en": "Talk to a person", "sv": "Prata med en person"},
    "button.talk_to_person.value": {"en": "talk to a person", "sv": "prata med en person"},
    # --- account: sign-in and registration
    "account.login.signed_in": {
        "en": "You're signed in as {user}.",
        "sv": "Du är inloggad som {user}.",
    },
    "account.login.how": {
        "en": 'To sign in here, press "Sign in" at the top of the chat and enter your user ID (your '
        'e-mail address) and your password. New here? Choose "Create an account" in the same place. '
        "In Slack and Microsoft Teams you don't sign in at all: I recognise you by your e-mail address.",
        "sv": 'För att logga in här trycker du på "Logga in" högst upp i chatten och anger ditt användar-id '
        '(din e-postadress) och ditt lösenord. Ny här? Välj "Skapa ett konto" på samma ställe. '
        "I Slack och Microsoft Teams loggar du inte in alls: där känner jag igen dig på din e-postadress.",
    },
    "account.login.password": {
        "en": 'You can choose a new password yourself: press "Sign in" at the top of the chat and choose '
        '"Forgot your password?". Enter your e-mail address and we\'ll send you a link for choosing a new '
        "password. The link works once, for 30 minutes; if it has expired, simply ask for a new one. "
        "In Slack and Microsoft Teams you need no password. If the mail doesn't arrive, a person from our "
        "support team can help.",
        "sv": 'Du kan själv välja ett nytt lösenord: tryck på "Logga in" högst upp i chatten och välj '
        '"Glömt lösenordet?". Ange din e-postadress så skickar vi en länk där du väljer ett nytt lösenord. '
        "Länken fungerar en gång, i 30 minuter; har den gått ut ber du bara om en ny. I Slack och "
        "Microsoft Teams behöver du inget lösenord. Om mejlet inte kommer kan en person från vår support "
        "hjälpa dig.",
    },
    "account.login.locked": {
        "en": "After several wrong passwords, signing in is paused for a while (at most 15 minutes) "
        "from where they were typed. Please wait a little and try again. If you've forgotten your "
        'password, choose "Forgot your password?" where you sign in, and we\'ll e-mail you a link for '
        "choosing a new one.",
        "sv": "Efter flera felaktiga lösenord pausas inloggningen en stund (högst 15 minuter) därifrån de "
        'skrevs. Vänta lite och försök igen. Om du har glömt lösenordet, välj "Glömt lösenordet?" där '
        "du loggar in, så mejlar vi en länk där du väljer ett nytt.",
    },
    "account.login.logout": {
        "en": 'To sign out, press "Sign out" at the top of the chat. A new, empty conversation starts.',
        "sv": 'För att logga ut trycker du på "Logga ut" högst upp i chatten. Då börjar en ny, tom '
        "konversation.",
    },
    "account.login.channels": {
        "en": "In Slack and Microsoft Teams I recognise you by the e-mail address of your Slack or Teams "
        "account. When it's the same as your user ID here, you're the same user everywhere, with the "
        "same access; otherwise you chat with me there as a guest.",
        "sv": "I Slack och Microsoft Teams känner jag igen dig på e-postadressen i ditt Slack- eller "
        "Teams-konto. Är den samma som ditt användar-id här är du samma användare överallt, med samma "
        "behörigheter; annars chattar du med mig där som gäst.",
    },
    "account.login.register": {
        "en": 'To create an account, press "Sign in" at the top of the chat and choose "Create an '
        "account\". You need your name, your work e-mail address, your company's customer number (on "
        "invoices and order confirmations) and a password of at least 10 characters. We then mail you a "
        "link to confirm your address; once you have opened it you can sign in, and your company's "
        "administrator gives you access to orders, invoices and the other tools.",
        "sv": 'För att skapa ett konto trycker du på "Logga in" högst upp i chatten och väljer "Skapa ett '
        'konto". Du behöver ditt namn, din e-postadress på jobbet, ert kundnummer (finns på fakturor och '
        "orderbekräftelser) och ett lösenord på minst 10 tecken. Sedan mejlar vi en länk för att bekräfta "
        "adressen; när du har öppnat den kan du logga in, och ert företags administratör ger dig "
        "behörighet till ordrar, fakturor och de andra verktygen.",
    },
    "account.login.confirmation": {
        "en": "The mail with the confirmation link usually arrives within a few minutes; please look in "
        "your spam folder too. The link works for 48 hours; you can sign in once you have opened it. If it "
        "has expired, register again with the same address for a new one; if it doesn't work, a person "
        "from our support team can help.",
        "sv": "Mejlet med bekräftelselänken brukar komma inom några minuter; titta gärna i skräpposten "
        "också. Länken fungerar i 48 timmar; du kan logga in när du har öppnat den. Har den gått ut, "
        "registrera dig igen med samma adress så får du en ny; fungerar den inte kan en person från vår "
        "support hjälpa dig.",
    },
    # --- small talk ------------------------------------------------------------------------------
    "smalltalk.greeting": {
        "en": "Hello{name}! I can help with your orders, invoices, statements, contracts, installed "
        "equipment and support requests. What would you like to do?",
        "sv": "Hej{name}! Jag kan hjälpa till med ordrar, fakturor, kontoutdrag, avtal, installerad "
        "utrustning och ärenden. Vad vill du göra?",
    },
    "smalltalk.thanks": {
        "en": "You're welcome! Anything else I can do?",
        "sv": "Varsågod! Något mer jag kan hjälpa till med?",
    },
    "smalltalk.goodbye": {
        "en": "Goodbye, and thanks for getting in touch!",
        "sv": "Hej då, och tack för att du hörde av dig!",
    },
    "smalltalk.help": {
        "en": "Here's what I can do:\n"
        "• Orders: status and tracking by order or PO number, searches by status and period, reports\n"
        "• Invoices and account statements\n"
        "• Contracts and installed equipment\n"
        "• Support requests, and a person whenever you want one\n"
        'Try "where is order 4711?" or "my orders from last month".',
        "sv": "Det här kan jag hjälpa till med:\n"
        "• Ordrar: status och spårning på order- eller inköpsordernummer, sökning på status och period, "
        "rapporter\n"
        "• Fakturor och kontoutdrag\n"
        "• Avtal och installerad utrustning\n"
        "• Ärenden, och en person närhelst du vill\n"
        'Prova "var är order 4711?" eller "mina ordrar från förra månaden".',
    },
    "smalltalk.help.guest": {
        "en": "As a guest I can tell you the status of an order: give me the order number and your "
        "customer number. Sign in to see everything else: orders, invoices, statements, contracts, "
        "equipment and requests.",
        "sv": "Som gäst kan jag berätta status för en order: ange ordernumret och ert kundnummer. "
        "Logga in för att se allt annat: ordrar, fakturor, kontoutdrag, avtal, utrustning och ärenden.",
    },
    "button.help.order_status": {"en": "Where is my latest order?", "sv": "Var är min senaste order?"},
    "button.help.order_search": {"en": "My open orders", "sv": "Mina öppna ordrar"},
    "button.help.order_report": {"en": "Order report for last month", "sv": "Orderrapport för förra månaden"},
    # --- account: access to tools ------------------------------------------------------------------
    "access.and": {"en": " and ", "sv": " och "},
    "access.button.request": {"en": "Request access to {tool}", "sv": "Begär behörighet till {tool}"},
    "access.button.request.value": {"en": "request access to {tool}", "sv": "begär behörighet till {tool}"},
    "access.sign_in": {
        "en": "Please sign in first. Then I can ask your company's administrator to give you access "
        "to the tools you need.",
        "sv": "Logga in först. Sedan kan jag be ert företags administratör att ge dig behörighet "
        "till de verktyg du behöver.",
    },
    "access.ask_tool": {
        "en": "You have access to {tools}. Which tool would you like access to?",
        "sv": "Du har behörighet till {tools}. Vilket verktyg vill du ha behörighet till?",
    },
    "access.ask_tool.none": {
        "en": "You don't have access to any tool yet. Which one would you like access to?",
        "sv": "Du har inte behörighet till något verktyg ännu. Vilket vill du ha behörighet till?",
    },
    "access.ask_tool.short": {
        "en": "Which tool would you like access to?",
        "sv": "Vilket verktyg vill du ha behörighet till?",
    },
    "access.has_all": {
        "en": "You already have access to every tool: orders, invoices, account statements, contracts, "
        "installed equipment and support requests.",
        "sv": "Du har redan behörighet till alla verktyg: ordrar, fakturor, kontoutdrag, avtal, "
        "installerad utrustning och ärenden.",
    },
    "access.already": {
        "en": "You already have access to {tools}.",
        "sv": "Du har redan behörighet till {tools}.",
    },
    "access.requested": {
        "en": "I've asked your company's administrator ({admins}) to give you access to {tools} "
        "(request {number}). I'll let you know here and by e-mail when they have decided.",
        "sv": "Jag har bett ert företags administratör ({admins}) att ge dig behörighet till {tools} "
        "(begäran {number}). Jag hör av mig här och via e-post när de har bestämt sig.",
    },
    "access.already_requested": {
        "en": "You've already asked for access to {tools} (request {number}); it's waiting for {admins}. "
        "I'll let you know when they have decided.",
        "sv": "Du har redan begärt behörighet till {tools} (begäran {number}); den väntar på {admins}. "
        "Jag hör av mig när de har bestämt sig.",
    },
    "access.no_admin": {
        "en": "Your company has no administrator registered with us who could grant access, so there is "
        "no one I can ask. Please contact our support at {email}.",
        "sv": "Ert företag har ingen administratör registrerad hos oss som kan ge behörighet, så det finns "
        "ingen jag kan fråga. Kontakta vår support på {email}.",
    },
    "access.for_other": {
        "en": "I can only ask for access for you yourself. {user} can ask me for access, and the "
        "administrator then approves it here.",
        "sv": "Jag kan bara begära behörighet åt dig själv. {user} kan be mig om behörighet, och "
        "administratören godkänner den sedan här.",
    },
    "access.admin_only": {
        "en": "Only your company's administrator can do that. I can ask them for access for you, if you "
        "need it.",
        "sv": "Det kan bara ert företags administratör göra. Jag kan be dem om behörighet åt dig om du "
        "behöver det.",
    },
    "access.notice.request": {
        "en": "{name} ({email}) asks for access to {tools} (request {number}).\n{verified}",
        "sv": "{name} ({email}) ber om behörighet till {tools} (begäran {number}).\n{verified}",
    },
    "access.unconfirmed": {
        "en": "Before I can ask your administrator for access, please confirm your e-mail address: open "
        "the link in the mail we sent you when you registered. Then ask me again.",
        "sv": "Innan jag kan be er administratör om behörighet behöver du bekräfta din e-postadress: öppna "
        "länken i mejlet vi skickade när du registrerade dig. Fråga mig sedan igen.",
    },
    "access.unconfirmed_requester": {
        "en": "{name} has not confirmed their e-mail address, so I cannot grant request {number}. You can "
        "deny it, or approve it once they have confirmed the address.",
        "sv": "{name} har inte bekräftat sin e-postadress, så jag kan inte bevilja begäran {number}. Du kan "
        "avslå den, eller godkänna den när adressen är bekräftad.",
    },
    "access.verified.directory": {
        "en": "Verified: the address is in our customer records.",
        "sv": "Verifierad: adressen finns i vårt kundregister.",
    },
    "access.verified.email": {
        "en": "Verified: they confirmed their e-mail address on {date}.",
        "sv": "Verifierad: e-postadressen bekräftades den {date}.",
    },
    "access.verified.slack": {
        "en": "Verified: their e-mail address was confirmed by their Slack workspace on {date}.",
        "sv": "Verifierad: e-postadressen bekräftades av er Slack-arbetsyta den {date}.",
    },
    "access.verified.teams": {
        "en": "Verified: their e-mail address was confirmed by their Microsoft Teams sign-in on {date}.",
        "sv": "Verifierad: e-postadressen bekräftades av inloggningen i Microsoft Teams den {date}.",
    },
    "access.verified.none": {
        "en": "Not verified: the e-mail address has not been confirmed.",
        "sv": "Inte verifierad: e-postadressen är inte bekräftad.",
    },
    "access.field.verified": {"en": "Verified", "sv": "Verifierad"},
    "access.button.approve": {"en": "Approve", "sv": "Godkänn"},
    "access.button.approve.value": {
        "en": "approve access request {number}",
        "sv": "godkänn behörighetsbegäran {number}",
    },
    "access.button.deny": {"en": "Deny", "sv": "Avslå"},
    "access.button.deny.value": {
        "en": "deny access request {number}",
        "sv": "avslå behörighetsbegäran {number}",
    },
    "access.mail.request.subject": {
        "en": "Access request {number} from {name}",
        "sv": "Behörighetsbegäran {number} från {name}",
    },
    "access.mail.request.body": {
        "en": "Hello {admin},\n\n{name} ({email}) asks for access to {tools} (request {number}).\n"
        "{verified}\n\n"
        'Open the support chat to approve or deny it: {url}\nThere, say "approve access request {number}" '
        'or "deny access request {number}", or press the button in the notice.\n\n'
        "Best regards,\nCustomer support",
        "sv": "Hej {admin},\n\n{name} ({email}) ber om behörighet till {tools} (begäran {number}).\n"
        "{verified}\n\n"
        'Öppna supportchatten för att godkänna eller avslå: {url}\nSkriv där "godkänn behörighetsbegäran '
        '{number}" eller "avslå behörighetsbegäran {number}", eller tryck på knappen i meddelandet.\n\n'
        "Vänliga hälsningar,\nKundsupport",
    },
    "access.approved": {
        "en": "Done: {name} now has access to {tools} (request {number}). I've let them know.",
        "sv": "Klart: {name} har nu behörighet till {tools} (begäran {number}). Jag har meddelat dem.",
    },
    "access.denied": {
        "en": "Done: I've denied request {number} from {name} for access to {tools}, and let them know.",
        "sv": "Klart: jag har avslagit begäran {number} från {name} om behörighet till {tools} och "
        "meddelat dem.",
    },
    "access.already_decided": {
        "en": "Request {number} was already {status} on {when}; nothing has changed.",
        "sv": "Begäran {number} var redan {status} {when}; ingenting har ändrats.",
    },
    "access.status": {
        "en": "Request {number} from {name} for access to {tools} is {status}.",
        "sv": "Begäran {number} från {name} om behörighet till {tools} är {status}.",
    },
    "access.status.pending": {"en": "waiting for a decision", "sv": "väntande"},
    "access.status.approved": {"en": "approved", "sv": "godkänd"},
    "access.status.denied": {"en": "denied", "sv": "avslagen"},
    "access.not_found": {
        "en": "I can't find access request {number}. Please check the number.",
        "sv": "Jag hittar inte behörighetsbegäran {number}. Kontrollera gärna numret.",
    },
    "access.notice.approved": {
        "en": "Good news: {admin} approved your request {number}. You now have access to {tools}.",
        "sv": "Goda nyheter: {admin} har godkänt din begäran {number}. Du har nu behörighet till {tools}.",
    },
    "access.notice.denied": {
        "en": "{admin} denied your request {number} for access to {tools}. Ask them if you'd like to know "
        "why.",
        "sv": "{admin} har avslagit din begäran {number} om behörighet till {tools}. Fråga dem gärna om "
        "du vill veta varför.",
    },
    "access.notice.revoked": {
        "en": "{admin} has removed your access to {tools}.",
        "sv": "{admin} har tagit bort din behörighet till {tools}.",
    },
    "access.mail.outcome.subject": {
        "en": "Your access request {number} was {status}",
        "sv": "Din behörighetsbegäran {number} har blivit {status}",
    },
    "access.mail.outcome.body": {
        "en": "Hello {name},\n\n{notice}\n\nThe support chat: {url}\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\n{notice}\n\nSupportchatten: {url}\n\nVänliga hälsningar,\nKundsupport",
    },
    "access.pending.none": {
        "en": "There are no access requests waiting for your decision.",
        "sv": "Det finns inga behörighetsbegäranden som väntar på ditt beslut.",
    },
    "access.pending.list": {
        "en": "These access requests are waiting for your decision:",
        "sv": "Dessa behörighetsbegäranden väntar på ditt beslut:",
    },
    "access.pending.card": {"en": "{number}: {name}", "sv": "{number}: {name}"},
    "access.field.tools": {"en": "Access to", "sv": "Behörighet till"},
    "access.field.asked": {"en": "Asked", "sv": "Begärd"},
    "access.grants.title": {
        "en": "The users of {company} and their access:",
        "sv": "Användarna på {company} och deras behörigheter:",
    },
    "access.col.user": {"en": "User", "sv": "Användare"},
    "access.col.email": {"en": "E-mail", "sv": "E-post"},
    "access.col.role": {"en": "Role", "sv": "Roll"},
    "access.col.tools": {"en": "Access to", "sv": "Behörighet till"},
    "access.role.company_admin": {"en": "administrator", "sv": "administratör"},
    "access.role.user": {"en": "user", "sv": "användare"},
    "access.tools.none": {"en": "nothing yet", "sv": "inget ännu"},
    "access.revoke.ask_user": {
        "en": "Whose access should I revoke, and to which tool? For example \"revoke erik.lund@nordisk.example's "
        'access to invoices".',
        "sv": 'Vems behörighet ska jag återkalla, och till vilket verktyg? Till exempel "återkalla behörighet '
        'till fakturor för erik.lund@nordisk.example".',
    },
    "access.revoke.unknown_user": {
        "en": "I can't find that user in your company. Please give their e-mail address.",
        "sv": "Jag hittar inte den användaren i ert företag. Ange gärna e-postadressen.",
    },
    "access.revoke.ambiguous": {
        "en": "That matches several users: {names}. Please give the e-mail address.",
        "sv": "Det passar in på flera användare: {names}. Ange gärna e-postadressen.",
    },
    "access.revoke.ask_tool": {
        "en": "{name} has access to {tools}. Which should I revoke?",
        "sv": "{name} har behörighet till {tools}. Vilken ska jag återkalla?",
    },
    "access.revoke.nothing": {
        "en": "{name} doesn't have access to {tools}, so there is nothing to revoke.",
        "sv": "{name} har inte behörighet till {tools}, så det finns inget att återkalla.",
    },
    "access.revoke.confirm": {
        "en": "Revoke {name}'s access to {tools}? It takes effect at once.",
        "sv": "Återkalla {name}s behörighet till {tools}? Det gäller omedelbart.",
    },
    "access.revoke.confirm.short": {
        "en": "Shall I revoke the access?",
        "sv": "Ska jag återkalla behörigheten?",
    },
    "access.button.revoke": {"en": "Revoke {tool}", "sv": "Återkalla {tool}"},
    "access.button.revoke.value": {
        "en": "revoke access to {tools} for {user}",
        "sv": "återkalla behörighet till {tools} för {user}",
    },
    "access.button.confirm_revoke": {"en": "Yes, revoke", "sv": "Ja, återkalla"},
    "access.button.confirm_revoke.value": {
        "en": "confirm: revoke access to {tools} for {user}",
        "sv": "bekräfta: återkalla behörighet till {tools} för {user}",
    },
    "access.button.keep": {"en": "No, keep it", "sv": "Nej, behåll"},
    "access.button.keep.value": {"en": "cancel", "sv": "avbryt"},
    "access.revoked": {
        "en": "Done: {name} no longer has access to {tools}.",
        "sv": "Klart: {name} har inte längre behörighet till {tools}.",
    },
    "access.button.who_has_access": {"en": "Who has access?", "sv": "Vem har behörighet?"},
    "access.button.who_has_access.value": {"en": "who has access?", "sv": "vem har behörighet?"},
    # --- invoices and statements
    "invoice.ask_number": {
        "en": "Which invoice do you mean? Give me the invoice number (like INV-2031) or the order number.",
        "sv": "Vilken faktura menar du? Ange fakturanumret (t.ex. INV-2031) eller ordernumret.",
    },
    "invoice.ask_email": {
        "en": "Which e-mail address should I send the invoice to?",
        "sv": "Till vilken e-postadress ska jag skicka fakturan?",
    },
    "invoice.bad_email": {
        "en": "{email} doesn't look like an e-mail address. Which address should I send the invoice to?",
        "sv": "{email} ser inte ut som en e-postadress. Till vilken adress ska jag skicka fakturan?",
    },
    "invoice.not_found": {
        "en": "I can't find invoice {number} among your company's invoices. Please check the number.",
        "sv": "Jag hittar inte faktura {number} bland ert företags fakturor. Kontrollera gärna numret.",
    },
    "invoice.credit_not_found": {
        "en": "I can't find credit note {number} among your company's credit notes. Please check the number.",
        "sv": "Jag hittar inte kreditnota {number} bland ert företags kreditnotor. Kontrollera gärna numret.",
    },
    "invoice.order_not_found": {
        "en": "I can't find an invoice for order {number} among your company's invoices.",
        "sv": "Jag hittar ingen faktura för order {number} bland ert företags fakturor.",
    },
    "invoice.none_yet": {
        "en": "I can't find any invoices for your company yet.",
        "sv": "Jag hittar inga fakturor för ert företag ännu.",
    },
    "invoice.title": {"en": "Invoice {number}", "sv": "Faktura {number}"},
    "invoice.summary": {
        "en": "Invoice {number} of {date}: {total} including VAT, due {due}. Status: {status}.",
        "sv": "Faktura {number} från {date}: {total} inklusive moms, förfaller {due}. Status: {status}.",
    },
    "invoice.summary.order": {"en": " It bills order {order}.", "sv": " Den gäller order {order}."},
    "invoice.summary.copy": {
        "plural": "minutes",
        "en": {
            "one": " Here is a PDF copy (the link works for {minutes} minute).",
            "other": " Here is a PDF copy (the link works for {minutes} minutes).",
        },
        "sv": {
            "one": " Här är en pdf-kopia (länken fungerar i {minutes} minut).",
            "other": " Här är en pdf-kopia (länken fungerar i {minutes} minuter).",
        },
    },
    "invoice.status.awaiting_approval": {"en": "awaiting approval", "sv": "väntar på attest"},
    "invoice.status.open": {"en": "open", "sv": "öppen"},
    "invoice.status.overdue": {"en": "overdue", "sv": "förfallen"},
    "invoice.status.paid": {"en": "paid", "sv": "betald"},
    "invoice.status.cancelled": {"en": "cancelled", "sv": "makulerad"},
    "invoice.field.date": {"en": "Invoice date", "sv": "Fakturadatum"},
    "invoice.field.due": {"en": "Due date", "sv": "Förfallodag"},
    "invoice.field.net": {"en": "Net", "sv": "Netto"},
    "invoice.field.vat": {"en": "VAT", "sv": "Moms"},
    "invoice.field.total": {"en": "Total incl. VAT", "sv": "Totalt inkl. moms"},
    "invoice.field.open": {"en": "Left to pay", "sv": "Kvar att betala"},
    "invoice.field.currency": {"en": "Currency", "sv": "Valuta"},
    "invoice.field.order": {"en": "Order", "sv": "Order"},
    "invoice.field.approved": {"en": "Approved", "sv": "Attesterad"},
    "invoice.field.line": {"en": "Description", "sv": "Beskrivning"},
    "invoice.field.quantity": {"en": "Qty", "sv": "Antal"},
    "invoice.field.status": {"en": "Status", "sv": "Status"},
    "invoice.approved_by": {"en": "{who}, {when}", "sv": "{who}, {when}"},
    "invoice.credit.title": {"en": "Credit note {number}", "sv": "Kreditnota {number}"},
    "invoice.credit.summary": {
        "en": "Credit note {number} of {date}: {total}{invoice}.",
        "sv": "Kreditnota {number} från {date}: {total}{invoice}.",
    },
    "invoice.credit.for": {"en": ", against invoice {number}", "sv": ", mot faktura {number}"},
    "invoice.button.pdf": {"en": "Copy of {number}", "sv": "Kopia av {number}"},
    "invoice.button.pdf.value": {"en": "show invoice {number}", "sv": "visa faktura {number}"},
    "invoice.button.approve": {"en": "Approve {number}", "sv": "Attestera {number}"},
    "invoice.button.approve.value": {"en": "approve invoice {number}", "sv": "attestera faktura {number}"},
    "invoice.button.forward": {"en": "Forward by e-mail", "sv": "Skicka vidare med e-post"},
    "invoice.button.forward.value": {
        "en": "forward invoice {number}",
        "sv": "vidarebefordra faktura {number}",
    },
    "invoice.button.more": {"en": "Show more", "sv": "Visa fler"},
    "invoice.button.more.value": {"en": "more invoices", "sv": "fler fakturor"},
    "invoice.button.download": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "invoice.button.download.value": {
        "en": "download these invoices as a spreadsheet",
        "sv": "ladda ner fakturorna som kalkylark",
    },
    "invoice.list.found": {
        "plural": "count",
        "en": {
            "one": "One more of your company's invoices{filters}, number {first}:",
            "other": "Your company's invoices{filters}, {first}–{last}, newest first:",
        },
        "sv": {
            "one": "En till av ert företags fakturor{filters}, nummer {first}:",
            "other": "Ert företags fakturor{filters}, {first}–{last}, nyaste först:",
        },
    },
    "invoice.list.found.all": {
        "plural": "count",
        "en": {
            "one": "I found {count} invoice{filters}:",
            "other": "I found {count} invoices{filters}, newest first:",
        },
        "sv": {
            "one": "Jag hittade {count} faktura{filters}:",
            "other": "Jag hittade {count} fakturor{filters}, nyaste först:",
        },
    },
    "invoice.list.none": {
        "en": "I found no invoices{filters}.",
        "sv": "Jag hittade inga fakturor{filters}.",
    },
    "invoice.list.no_more": {
        "en": "There are no more invoices{filters}.",
        "sv": "Det finns inga fler fakturor{filters}.",
    },
    "invoice.filter.status": {"en": " with status {status}", "sv": " med status {status}"},
    "invoice.filter.period": {"en": " issued {start} – {end}", "sv": " med fakturadatum {start} – {end}"},
    "invoice.list.sheet": {"en": "Invoices", "sv": "Fakturor"},
    "invoice.list.ready": {
        "plural": "count",
        "en": {
            "one": "Here is {count} invoice{filters} as XLSX and CSV.",
            "other": "Here are your {count} invoices{filters} as XLSX and CSV.",
        },
        "sv": {
            "one": "Här är {count} faktura{filters} som XLSX och CSV.",
            "other": "Här är era {count} fakturor{filters} som XLSX och CSV.",
        },
    },
    "invoice.list.too_large": {
        "plural": "limit",
        "en": {
            "one": "That is more than {limit} invoice. Please choose a shorter period.",
            "other": "That is more than {limit} invoices. Please choose a shorter period.",
        },
        "sv": {
            "one": "Det är fler än {limit} faktura. Välj en kortare period.",
            "other": "Det är fler än {limit} fakturor. Välj en kortare period.",
        },
    },
    "invoice.col.number": {"en": "Invoice", "sv": "Faktura"},
    "invoice.col.date": {"en": "Date", "sv": "Datum"},
    "invoice.col.due": {"en": "Due", "sv": "Förfaller"},
    "invoice.col.status": {"en": "Status", "sv": "Status"},
    "invoice.col.order": {"en": "Order", "sv": "Order"},
    "invoice.col.net": {"en": "Net", "sv": "Netto"},
    "invoice.col.vat": {"en": "VAT", "sv": "Moms"},
    "invoice.col.total": {"en": "Total incl. VAT", "sv": "Totalt inkl. moms"},
    "invoice.col.open": {"en": "Left to pay", "sv": "Kvar att betala"},
    "invoice.col.currency": {"en": "Currency", "sv": "Valuta"},
    "invoice.forward.sent": {
        "en": "I've e-mailed invoice {number} as a PDF to {email}, and noted it in the invoice's history.",
        "sv": "Jag har mejlat faktura {number} som pdf till {email} och antecknat det i fakturans historik.",
    },
    "invoice.forward.queued": {
        "en": "I've put invoice {number} as a PDF in the outbox for {email}. It goes out as soon as our "
        "mail server accepts it, usually within a minute. I've noted the forward in the invoice's "
        "history, which shows it as sent once it has gone.",
        "sv": "Jag har lagt faktura {number} som pdf i utkorgen till {email}. Den skickas så snart vår "
        "e-postserver tar emot den, oftast inom en minut. Jag har antecknat vidarebefordran i fakturans "
        "historik, där den visas som skickad när den har gått iväg.",
    },
    "invoice.forward.gave_up": {
        "en": "I'm sorry: invoice {number} could not be delivered to {email}. I kept trying, but the mail "
        "never got through, so I've stopped and marked the forward as failed in the invoice's history. "
        "Please check the address and try again, or ask to talk to a person.",
        "sv": "Tyvärr kunde faktura {number} inte levereras till {email}. Jag försökte flera gånger men "
        "mejlet gick aldrig fram, så jag har slutat och markerat vidarebefordran som misslyckad i fakturans "
        "historik. Kontrollera adressen och försök igen, eller be att få prata med en person.",
    },
    "invoice.button.forward_again": {"en": "Try again", "sv": "Försök igen"},
    "invoice.button.forward_again.value": {
        "en": "forward invoice {number} to {email}",
        "sv": "skicka faktura {number} till {email}",
    },
    "invoice.forward.failed": {
        "en": "I couldn't send the e-mail just now, so invoice {number} has not been forwarded. "
        "Please try again in a while; meanwhile you can download the PDF here.",
        "sv": "Jag kunde inte skicka mejlet just nu, så faktura {number} har inte vidarebefordrats. "
        "Försök igen om en stund; under tiden kan du ladda ner pdf:en här.",
    },
    "invoice.forward.subject": {
        "en": "Invoice {number} from {seller}",
        "sv": "Faktura {number} från {seller}",
    },
    "invoice.forward.body": {
        "en": "Hello,\n\n{name} ({sender}) at {company} asked us to send you invoice {number} "
        "({total}, due {due}). The PDF is attached.\n\nKind regards,\nCustomer support",
        "sv": "Hej!\n\n{name} ({sender}) på {company} bad oss skicka faktura {number} till dig "
        "({total}, förfaller {due}). Pdf:en är bifogad.\n\nVänliga hälsningar\nKundsupport",
    },
    "invoice.approve.done": {
        "en": "Invoice {number} ({total}) is approved. Recorded: approved by {who} on {when}.",
        "sv": "Faktura {number} ({total}) är attesterad. Registrerat: attesterad av {who} {when}.",
    },
    "invoice.approve.already": {
        "en": "Invoice {number} was already approved by {who} on {when}, so nothing has changed.",
        "sv": "Faktura {number} var redan attesterad av {who} {when}, så inget har ändrats.",
    },
    "invoice.approve.not_needed": {
        "en": "Invoice {number} isn't awaiting approval (it is {status}), so there is nothing to approve.",
        "sv": "Faktura {number} väntar inte på attest (den är {status}), så det finns inget att attestera.",
    },
    "invoice.question.created": {
        "en": "I've opened request {request} about invoice {number}; our team will answer by {due}. "
        "A confirmation is on its way to {email}.",
        "sv": "Jag har öppnat ärende {request} om faktura {number}; vi svarar senast {due}. "
        "En bekräftelse är på väg till {email}.",
    },
    "invoice.question.created_no_mail": {
        "en": "I've opened request {request} about invoice {number}; our team will answer by {due}. "
        "I couldn't send the e-mail confirmation just now, so please note the number.",
        "sv": "Jag har öppnat ärende {request} om faktura {number}; vi svarar senast {due}. "
        "Jag kunde inte skicka e-postbekräftelsen just nu, så notera gärna numret.",
    },
    "invoice.question.subject": {
        "en": "Question about invoice {number}",
        "sv": "Fråga om faktura {number}",
    },
    "invoice.question.mail_subject": {
        "en": "Your request {request} about invoice {number}",
        "sv": "Ditt ärende {request} om faktura {number}",
    },
    "invoice.question.mail_body": {
        "en": "Hello {name},\n\nWe have received your question about invoice {number}:\n\n{text}\n\n"
        "Your request number is {request}; we will answer by {due}.\n\nKind regards,\nCustomer support",
        "sv": "Hej {name}!\n\nVi har tagit emot din fråga om faktura {number}:\n\n{text}\n\n"
        "Ditt ärendenummer är {request}; vi svarar senast {due}.\n\nVänliga hälsningar\nKundsupport",
    },
    "invoice.pdf.title": {"en": "Invoice {number}", "sv": "Faktura {number}"},
    "invoice.pdf.buyer": {"en": "Bill to", "sv": "Faktureras till"},
    "invoice.pdf.customer_number": {"en": "Customer number", "sv": "Kundnummer"},
    "invoice.pdf.number": {"en": "Invoice number", "sv": "Fakturanummer"},
    "invoice.pdf.issued": {"en": "Invoice date", "sv": "Fakturadatum"},
    "invoice.pdf.due": {"en": "Due date", "sv": "Förfallodag"},
    "invoice.pdf.order": {"en": "Order", "sv": "Order"},
    "invoice.pdf.description": {"en": "Description", "sv": "Beskrivning"},
    "invoice.pdf.quantity": {"en": "Qty", "sv": "Antal"},
    "invoice.pdf.unit_price": {"en": "Unit price", "sv": "À-pris"},
    "invoice.pdf.vat_rate": {"en": "VAT", "sv": "Moms"},
    "invoice.pdf.net": {"en": "Net", "sv": "Netto"},
    "invoice.pdf.total_net": {"en": "Total excl. VAT", "sv": "Summa exkl. moms"},
    "invoice.pdf.total_vat": {"en": "VAT", "sv": "Moms"},
    "invoice.pdf.total": {"en": "Total incl. VAT", "sv": "Att betala inkl. moms"},
    "invoice.pdf.paid": {"en": "Paid", "sv": "Betalt"},
    "invoice.pdf.terms": {"en": "Payment terms", "sv": "Betalningsvillkor"},
    "invoice.pdf.terms_text": {
        "plural": "days",
        "en": {
            "one": "{days} day net. Please pay {amount} by {due} to Bankgiro {bankgiro}, "
            "quoting invoice number {number}. Interest on late payment according to law.",
            "other": "{days} days net. Please pay {amount} by {due} to Bankgiro {bankgiro}, "
            "quoting invoice number {number}. Interest on late payment according to law.",
        },
        "sv": {
            "one": "{days} dag netto. Betala {amount} senast {due} till bankgiro {bankgiro} och ange "
            "fakturanummer {number}. Dröjsmålsränta enligt räntelagen.",
            "other": "{days} dagar netto. Betala {amount} senast {due} till bankgiro {bankgiro} och ange "
            "fakturanummer {number}. Dröjsmålsränta enligt räntelagen.",
        },
    },
    "invoice.pdf.vat_number": {"en": "VAT no.", "sv": "Momsreg.nr"},
    "invoice.pdf.org_number": {"en": "Reg. no.", "sv": "Org.nr"},
    "credit.pdf.title": {"en": "Credit note {number}", "sv": "Kreditnota {number}"},
    "credit.pdf.buyer": {"en": "Credited to", "sv": "Krediteras till"},
    "credit.pdf.number": {"en": "Credit note number", "sv": "Kreditnotanummer"},
    "credit.pdf.date": {"en": "Date", "sv": "Datum"},
    "credit.pdf.invoice": {"en": "Credited invoice", "sv": "Krediterad faktura"},
    "credit.pdf.reason": {"en": "Reason", "sv": "Orsak"},
    "credit.pdf.amount": {"en": "Amount", "sv": "Belopp"},
    "statement.summary": {
        "en": "Your account {start} – {end}: balance {balance}, of which {overdue} overdue.",
        "sv": "Ert konto {start} – {end}: saldo {balance}, varav {overdue} förfallet.",
    },
    "statement.shown": {
        "plural": "count",
        "en": {"one": " Item {first}{filters}:", "other": " Items {first}–{last}{filters}:"},
        "sv": {"one": " Post {first}{filters}:", "other": " Poster {first}–{last}{filters}:"},
    },
    "statement.shown.all": {
        "plural": "count",
        "en": {"one": " {count} item{filters}:", "other": " {count} items{filters}:"},
        "sv": {"one": " {count} post{filters}:", "other": " {count} poster{filters}:"},
    },
    "statement.none": {
        "en": " No items{filters} in the period.",
        "sv": " Inga poster{filters} under perioden.",
    },
    "statement.filter.overdue": {"en": ", overdue only", "sv": ", bara förfallna"},
    "statement.filter.open": {"en": ", open only", "sv": ", bara öppna"},
    "statement.filter.largest": {"en": ", largest first", "sv": ", största först"},
    "statement.filter.newest": {"en": ", newest first", "sv": ", nyaste först"},
    "statement.filter.kinds": {"en": ", {kinds}", "sv": ", {kinds}"},
    "statement.kind.invoice": {"en": "invoice", "sv": "faktura"},
    "statement.kind.credit_note": {"en": "credit note", "sv": "kreditnota"},
    "statement.kind.payment": {"en": "payment", "sv": "betalning"},
    "statement.kinds.invoice": {"en": "invoices", "sv": "fakturor"},
    "statement.kinds.credit_note": {"en": "credit notes", "sv": "kreditnotor"},
    "statement.kinds.payment": {"en": "payments", "sv": "betalningar"},
    "statement.col.kind": {"en": "Type", "sv": "Typ"},
    "statement.col.number": {"en": "Number", "sv": "Nummer"},
    "statement.col.date": {"en": "Date", "sv": "Datum"},
    "statement.col.due": {"en": "Due", "sv": "Förfaller"},
    "statement.col.amount": {"en": "Amount", "sv": "Belopp"},
    "statement.col.open": {"en": "Open", "sv": "Öppet"},
    "statement.col.overdue": {"en": "Overdue", "sv": "Förfallen"},
    "statement.col.currency": {"en": "Currency", "sv": "Valuta"},
    "statement.col.copy": {"en": "Copy", "sv": "Kopia"},
    "statement.copy": {"en": "Copy of {number}", "sv": "Kopia av {number}"},
    "statement.yes": {"en": "yes", "sv": "ja"},
    "statement.button.more": {"en": "Show more", "sv": "Visa fler"},
    "statement.button.more.value": {"en": "more statement items", "sv": "fler poster i kontoutdraget"},
    "statement.button.download": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "statement.button.download.value": {
        "en": "download the statement as a spreadsheet",
        "sv": "ladda ner kontoutdraget som kalkylark",
    },
    "statement.sheet": {"en": "Statement", "sv": "Kontoutdrag"},
    "statement.ready": {
        "plural": "count",
        "en": {
            "one": "Here is your account statement {start} – {end} ({count} item{filters}; balance "
            "{balance}) as XLSX and CSV.",
            "other": "Here is your account statement {start} – {end} ({count} items{filters}; balance "
            "{balance}) as XLSX and CSV.",
        },
        "sv": {
            "one": "Här är ert kontoutdrag {start} – {end} ({count} post{filters}; saldo {balance}) "
            "som XLSX och CSV.",
            "other": "Här är ert kontoutdrag {start} – {end} ({count} poster{filters}; saldo {balance}) "
            "som XLSX och CSV.",
        },
    },
    "statement.empty": {
        "en": "There are no statement items{filters} from {start} to {end}.",
        "sv": "Det finns inga poster{filters} från {start} till {end}.",
    },
    "statement.too_large": {
        "plural": "limit",
        "en": {
            "one": "That is more than {limit} item. Please choose a shorter period.",
            "other": "That is more than {limit} items. Please choose a shorter period.",
        },
        "sv": {
            "one": "Det är fler än {limit} post. Välj en kortare period.",
            "other": "Det är fler än {limit} poster. Välj en kortare period.",
        },
    },
    # --- handoff to agents
    "handoff.queued": {
        "en": "I've passed you to our support team. Your tracking number is {number}, and you're "
        "number {position} in the queue. A person will answer here and will see this whole "
        'conversation; write on meanwhile. (Say "cancel" to withdraw.)',
        "sv": "Jag har lämnat över dig till vår supportavdelning. Ditt ärendenummer är {number}, och du är "
        "nummer {position} i kön. En person svarar här och ser hela konversationen; skriv gärna "
        'under tiden. (Skriv "avbryt" för att ta tillbaka det.)',
    },
    "handoff.outside_hours": {
        "en": "No one from our support team is available in the chat right now (office hours are "
        "{office_hours}, Monday to Friday). I've opened request {number} with this conversation, and you'll "
        "get an answer within one business day.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten just nu (kontorstid är "
        "{office_hours}, måndag till fredag). Jag har öppnat ärende {number} med den här konversationen, "
        "och du får svar inom en arbetsdag.",
    },
    "handoff.holiday": {
        "en": "No one from our support team is available in the chat today, as it's a public holiday. "
        "I've opened request {number} with this conversation, and you'll get an answer within one "
        "business day.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten i dag, eftersom det är helgdag. "
        "Jag har öppnat ärende {number} med den här konversationen, och du får svar inom en arbetsdag.",
    },
    "handoff.outside_hours.guest": {
        "en": "No one from our support team is available in the chat for you right now. Please write to "
        "{email} with your customer number and you'll get an answer within one business day — or "
        "sign in and ask again, and I'll open a request for you.",
        "sv": "Ingen från vår supportavdelning är tillgänglig i chatten för dig just nu. Skriv till "
        "{email} med ert kundnummer så får du svar inom en arbetsdag — eller logga in och fråga "
        "igen, så öppnar jag ett ärende åt dig.",
    },
    "handoff.cancelled": {
        "en": "OK, I've withdrawn your request to talk to a person. What else can I do for you?",
        "sv": "Okej, jag har tagit tillbaka din begäran om att prata med en person. Vad mer kan jag hjälpa "
        "dig med?",
    },
    "handoff.taken": {
        "en": "Hi, I'm from the support team and I've taken over your conversation. I can see everything "
        "you've written so far.",
        "sv": "Hej, jag är från supportavdelningen och har tagit över din konversation. Jag ser allt du har "
        "skrivit hittills.",
    },
    "handoff.back": {
        "en": "I'm back: our support agent has handed the conversation back to me. What else can I help "
        "you with?",
        "sv": "Jag är tillbaka: vår supporthandläggare har lämnat tillbaka konversationen till mig. Vad mer "
        "kan jag hjälpa dig med?",
    },
    "handoff.closed": {
        "en": "Our support agent has closed this conversation, and I'm back. What else can I help you with?",
        "sv": "Vår supporthandläggare har avslutat konversationen, och jag är tillbaka. Vad mer kan jag "
        "hjälpa dig med?",
    },
    "handoff.file_refused": {
        "en": "I couldn't pass {name} on to our team: that kind of file isn't accepted, or what it contains "
        "doesn't match its name.",
        "sv": "Jag kunde inte skicka {name} vidare till vårt team: den sortens fil tas inte emot, eller så "
        "stämmer innehållet inte med filnamnet.",
    },
    "handoff.offer": {
        "en": "Sorry, I still don't understand, and I'd rather not guess. Shall I put you in touch with "
        "a person? They'll see this conversation.",
        "sv": "Förlåt, jag förstår fortfarande inte, och jag vill inte gissa. Ska jag koppla dig till en "
        "person? Hen ser den här konversationen.",
    },
    # --- requests
    "request.category.technical": {"en": "technical", "sv": "teknisk"},
    "request.category.order": {"en": "order", "sv": "order"},
    "request.category.invoice": {"en": "invoice", "sv": "faktura"},
    "request.category.contract": {"en": "contract", "sv": "avtal"},
    "request.category.inventory": {"en": "inventory", "sv": "utrustning"},
    "request.category.access": {"en": "access", "sv": "behörighet"},
    "request.category.other": {"en": "other", "sv": "annat"},
    "request.priority.low": {"en": "low", "sv": "låg"},
    "request.priority.normal": {"en": "normal", "sv": "normal"},
    "request.priority.high": {"en": "high", "sv": "hög"},
    "request.priority.urgent": {"en": "urgent", "sv": "brådskande"},
    "request.status.open": {"en": "open", "sv": "öppet"},
    "request.status.in_progress": {"en": "in progress", "sv": "under arbete"},
    "request.status.waiting_for_customer": {"en": "waiting for you", "sv": "väntar på dig"},
    "request.status.answered": {"en": "answered", "sv": "besvarat"},
    "request.status.closed": {"en": "closed", "sv": "stängt"},
    "request.event.created": {"en": "opened", "sv": "öppnat"},
    "request.event.comment": {"en": "comment", "sv": "kommentar"},
    "request.event.status": {"en": "status", "sv": "status"},
    "request.event.answer": {"en": "answer", "sv": "svar"},
    "request.event.attachment": {"en": "document", "sv": "dokument"},
    "request.event.closed": {"en": "closed", "sv": "stängt"},
    "request.ask_category": {
        "en": "Let's open a support request. What is it about?",
        "sv": "Då öppnar vi ett ärende. Vad gäller det?",
    },
    "request.ask_subject": {
        "en": "What's the subject, in a few words?",
        "sv": "Vad är rubriken, med några ord?",
    },
    "request.subject_too_long": {
        "plural": "limit",
        "en": {
            "one": "That subject is too long (at most {limit} character). Could you say it shorter?",
            "other": "That subject is too long (at most {limit} characters). Could you say it shorter?",
        },
        "sv": {
            "one": "Rubriken är för lång (högst {limit} tecken). Kan du skriva den kortare?",
            "other": "Rubriken är för lång (högst {limit} tecken). Kan du skriva den kortare?",
        },
    },
    "request.ask_description": {
        "en": "Please describe the problem or question: what happened, where, and anything you've tried.",
        "sv": "Beskriv problemet eller frågan: vad som hände, var, och vad ni redan har provat.",
    },
    "request.description_too_long": {
        "plural": "limit",
        "en": {
            "one": "That text is too long (at most {limit} character). Could you shorten it?",
            "other": "That text is too long (at most {limit} characters). Could you shorten it?",
        },
        "sv": {
            "one": "Texten är för lång (högst {limit} tecken). Kan du korta den?",
            "other": "Texten är för lång (högst {limit} tecken). Kan du korta den?",
        },
    },
    "request.ask_priority": {
        "en": "How urgent is it? Normal is the default.",
        "sv": "Hur brådskande är det? Normal är standard.",
    },
    "request.confirm": {
        "en": "Open this request?",
        "sv": "Ska jag öppna det här ärendet?",
    },
    "request.form.title": {"en": "New support request", "sv": "Nytt ärende"},
    "request.field.name": {"en": "Name", "sv": "Namn"},
    "request.field.company": {"en": "Company", "sv": "Företag"},
    "request.field.customer_number": {"en": "Customer number", "sv": "Kundnummer"},
    "request.field.email": {"en": "E-mail", "sv": "E-post"},
    "request.field.phone": {"en": "Phone", "sv": "Telefon"},
    "request.field.category": {"en": "Category", "sv": "Kategori"},
    "request.field.subject": {"en": "Subject", "sv": "Rubrik"},
    "request.field.description": {"en": "Description", "sv": "Beskrivning"},
    "request.field.priority": {"en": "Priority", "sv": "Prioritet"},
    "request.field.status": {"en": "Status", "sv": "Status"},
    "request.field.opened": {"en": "Opened", "sv": "Öppnat"},
    "request.field.due": {"en": "Answer due by", "sv": "Svar senast"},
    "request.button.open": {"en": "Open", "sv": "Öppna"},
    "request.button.open.value": {"en": "open", "sv": "öppna"},
    "request.button.cancel": {"en": "Cancel", "sv": "Avbryt"},
    "request.button.cancel.value": {"en": "cancel", "sv": "avbryt"},
    "request.button.comment": {"en": "Add a comment", "sv": "Lägg till en kommentar"},
    "request.button.comment.value": {
        "en": "add a comment to {number}",
        "sv": "lägg till en kommentar på {number}",
    },
    "request.button.show.value": {"en": "status of {number}", "sv": "status för {number}"},
    "request.button.history": {"en": "Show the history", "sv": "Visa historiken"},
    "request.open.refused": {
        "en": "Sorry, I couldn't open that request. Please check the details, or ask to talk to a person.",
        "sv": "Förlåt, jag kunde inte öppna ärendet. Kontrollera uppgifterna, eller be att få prata med en person.",
    },
    "request.opened": {
        "en": "I've opened request {number}: {subject}. Our team will answer by {due}. "
        "I've sent a confirmation to {email}.",
        "sv": "Jag har öppnat ärende {number}: {subject}. Vi svarar senast {due}. "
        "Jag har skickat en bekräftelse till {email}.",
    },
    "request.open.not_saved": {
        "en": "Sorry, I couldn't open your request just now, so nothing was saved. "
        "Please send it again in a moment, or ask to talk to a person.",
        "sv": "Förlåt, jag kunde inte öppna ditt ärende just nu, så inget har sparats. "
        "Skicka det igen om en stund, eller be att få prata med en person.",
    },
    "request.opened_no_mail": {
        "en": "I've opened request {number}: {subject}. Our team will answer by {due}.",
        "sv": "Jag har öppnat ärende {number}: {subject}. Vi svarar senast {due}.",
    },
    "request.mail.opened.subject": {
        "en": "Your request {number}: {subject}",
        "sv": "Ditt ärende {number}: {subject}",
    },
    "request.mail.opened.body": {
        "en": "Hello {name},\n\nwe have received your request.\n\nTracking number: {number}\n"
        "Subject: {subject}\nCategory: {category}\nPriority: {priority}\nAnswer due by: {due}\n\n"
        "{description}\n\nFollow your request here: {link}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\nvi har tagit emot ditt ärende.\n\nÄrendenummer: {number}\n"
        "Rubrik: {subject}\nKategori: {category}\nPrioritet: {priority}\nSvar senast: {due}\n\n"
        "{description}\n\nFölj ärendet här: {link}\n\nVänliga hälsningar\nKundsupport",
    },
    "request.ask_number": {
        "en": "Which request? Give me its number, like RQ-2026-000123.",
        "sv": "Vilket ärende? Ange numret, till exempel RQ-2026-000123.",
    },
    "request.not_found": {
        "en": 'I can\'t find request {number}. Please check the number, or say "my requests" to see yours.',
        "sv": 'Jag hittar inte ärende {number}. Kontrollera numret, eller skriv "mina ärenden" för att se dina.',
    },
    "request.none_yet": {
        "en": 'You have no requests yet. Say "open a request" to start one.',
        "sv": 'Du har inga ärenden än. Skriv "öppna ett ärende" för att starta ett.',
    },
    "request.summary": {
        "en": "Request {number} ({subject}) is {status}; answer due by {due}. Its history:",
        "sv": "Ärende {number} ({subject}) är {status}; svar senast {due}. Historik:",
    },
    "request.col.when": {"en": "When", "sv": "När"},
    "request.col.what": {"en": "What", "sv": "Vad"},
    "request.col.who": {"en": "Who", "sv": "Vem"},
    "request.col.text": {"en": "Text", "sv": "Text"},
    "request.col.number": {"en": "Request", "sv": "Ärende"},
    "request.col.opened": {"en": "Opened", "sv": "Öppnat"},
    "request.col.subject": {"en": "Subject", "sv": "Rubrik"},
    "request.col.status": {"en": "Status", "sv": "Status"},
    "request.col.due": {"en": "Answer due", "sv": "Svar senast"},
    "request.list.found.all": {
        "plural": "count",
        "en": {"one": "You have {count} request:", "other": "Your requests ({count}):"},
        "sv": {"one": "Du har {count} ärende:", "other": "Dina ärenden ({count}):"},
    },
    "request.list.found.open": {
        "plural": "count",
        "en": {"one": "You have {count} open request:", "other": "Your open requests ({count}):"},
        "sv": {"one": "Du har {count} öppet ärende:", "other": "Dina öppna ärenden ({count}):"},
    },
    "request.list.found.closed": {
        "plural": "count",
        "en": {"one": "You have {count} closed request:", "other": "Your closed requests ({count}):"},
        "sv": {"one": "Du har {count} stängt ärende:", "other": "Dina stängda ärenden ({count}):"},
    },
    "request.list.found.answered": {
        "plural": "count",
        "en": {"one": "You have {count} answered request:", "other": "Your answered requests ({count}):"},
        "sv": {"one": "Du har {count} besvarat ärende:", "other": "Dina besvarade ärenden ({count}):"},
    },
    "request.list.none.all": {
        "en": 'You have no requests. Say "open a request" to start one.',
        "sv": 'Du har inga ärenden. Skriv "öppna ett ärende" för att starta ett.',
    },
    "request.list.none.open": {"en": "You have no open requests.", "sv": "Du har inga öppna ärenden."},
    "request.list.none.closed": {"en": "You have no closed requests.", "sv": "Du har inga stängda ärenden."},
    "request.list.none.answered": {
        "en": "You have no answered requests.",
        "sv": "Du har inga besvarade ärenden.",
    },
    "request.ask_comment": {
        "en": "What should I add to request {number}?",
        "sv": "Vad ska jag lägga till i ärende {number}?",
    },
    "request.ask_comment_no_files": {
        "en": "I can't take files in this chat, but I can add a written comment to request {number}. "
        "What should I add?",
        "sv": "Jag kan inte ta emot filer i den här chatten, men jag kan lägga till en skriftlig kommentar i "
        "ärende {number}. Vad ska jag lägga till?",
    },
    "request.ask_comment_or_file": {
        "en": "What should I add to request {number}? Write it here, or send a file (a photo, a log, a PDF).",
        "sv": "Vad ska jag lägga till i ärende {number}? Skriv det här eller skicka en fil (ett foto, en "
        "logg, en PDF).",
    },
    "request.ask_number_for_files": {
        "en": "Which request should I add the file to? Tell me its number, like RQ-2026-000123.",
        "sv": "Vilket ärende ska jag lägga till filen i? Ange numret, till exempel RQ-2026-000123.",
    },
    "request.files.added": {
        "plural": "count",
        "en": {
            "one": "I've added {names} to request {number}; our team will see it.",
            "other": "I've added {names} to request {number}; our team will see them.",
        },
        "sv": {
            "one": "Jag har lagt till {names} i ärende {number}; vårt team ser det.",
            "other": "Jag har lagt till {names} i ärende {number}; vårt team ser dem.",
        },
    },
    "request.file.too_large": {
        "en": "{name} is too large: files can be at most {limit} MB.",
        "sv": "{name} är för stor: filer får vara högst {limit} MB.",
    },
    "request.file.refused_type": {
        "en": "I can't add {name}: that kind of file isn't accepted.",
        "sv": "Jag kan inte lägga till {name}: den sortens fil tas inte emot.",
    },
    "request.file.mismatch": {
        "en": "I can't add {name}: what it contains doesn't match its name. Please check the file and send "
        "it again.",
        "sv": "Jag kan inte lägga till {name}: innehållet stämmer inte med filnamnet. Kontrollera filen och "
        "skicka den igen.",
    },
    "request.file.accepted_types": {
        "en": "You can send PDFs, pictures (PNG, JPEG, GIF, WebP), text and CSV files, Word and Excel "
        "documents and ZIP archives.",
        "sv": "Du kan skicka PDF:er, bilder (PNG, JPEG, GIF, WebP), text- och CSV-filer, Word- och "
        "Excel-dokument och ZIP-arkiv.",
    },
    "request.form.intro": {
        "en": "Here is the request form. Your details are filled in from your profile; tell us what it's "
        "about and send it.",
        "sv": "Här är ärendeformuläret. Dina uppgifter är ifyllda från din profil; berätta vad det gäller "
        "och skicka det.",
    },
    "request.form.fix": {
        "en": "Please check the marked fields and send the form again.",
        "sv": "Kontrollera de markerade fälten och skicka formuläret igen.",
    },
    "request.form.error.required": {"en": "Please fill this in.", "sv": "Fyll i det här."},
    "request.form.error.choose": {"en": "Please choose one.", "sv": "Välj ett alternativ."},
    "request.form.error.too_long": {
        "plural": "limit",
        "en": {"one": "At most {limit} character, please.", "other": "At most {limit} characters, please."},
        "sv": {"one": "Högst {limit} tecken, tack.", "other": "Högst {limit} tecken, tack."},
    },
    "request.button.send": {"en": "Send request", "sv": "Skicka ärendet"},
    "request.button.fill_in": {"en": "Fill in the request form", "sv": "Fyll i ärendeformuläret"},
    "request.ask_comment_plain": {
        "en": "What should I add to the request?",
        "sv": "Vad ska jag lägga till i ärendet?",
    },
    "request.comment.added": {
        "en": "I've added your comment to request {number}; our team will see it.",
        "sv": "Jag har lagt till din kommentar i ärende {number}; vårt team ser den.",
    },
    "request.agent": {"en": "Our support team", "sv": "Vårt supportteam"},
    "request.answer.notice": {
        "en": "{agent} has answered your request {number} ({subject}):\n\n{text}\n\nDetails: {link}",
        "sv": "{agent} har svarat på ditt ärende {number} ({subject}):\n\n{text}\n\nDetaljer: {link}",
    },
    "request.closed.notice": {
        "en": "{agent} has closed your request {number} ({subject}):\n\n{text}\n\nDetails: {link}",
        "sv": "{agent} har stängt ditt ärende {number} ({subject}):\n\n{text}\n\nDetaljer: {link}",
    },
    "request.mail.closed.subject": {
        "en": "Your request {number} is closed: {subject}",
        "sv": "Ditt ärende {number} är stängt: {subject}",
    },
    "request.mail.closed.body": {
        "en": "Hello {name},\n\n{agent} has closed your request {number} ({subject}):\n\n{text}\n\n"
        "See the request and its history: {link}\n\nIf something is still wrong, open a new request "
        "or ask to talk to a person.\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\n{agent} har stängt ditt ärende {number} ({subject}):\n\n{text}\n\n"
        "Se ärendet och dess historik: {link}\n\nOm något fortfarande inte stämmer kan du öppna ett nytt "
        "ärende eller be att få prata med en person.\n\nVänliga hälsningar\nKundsupport",
    },
    "request.mail.answer.subject": {
        "en": "Answer to your request {number}: {subject}",
        "sv": "Svar på ditt ärende {number}: {subject}",
    },
    "request.mail.answer.body": {
        "en": "Hello {name},\n\n{agent} has answered your request {number} ({subject}):\n\n{text}\n\n"
        "See the request and its history, or reply: {link}\n\nKind regards,\nCustomer support",
        "sv": "Hej {name},\n\n{agent} har svarat på ditt ärende {number} ({subject}):\n\n{text}\n\n"
        "Se ärendet och dess historik, eller svara: {link}\n\nVänliga hälsningar\nKundsupport",
    },
    # --- orders ----------------------------------------------------------------------------------
    "order.ask_number": {
        "en": "Which order do you mean? Give me the order number (like 4711) or your PO number.",
        "sv": "Vilken order menar du? Ange ordernumret (t.ex. 4711) eller ert inköpsordernummer.",
    },
    "order.ask_period": {
        "en": 'Which period should the report cover? For example "last month", "this year" or "since 1 May".',
        "sv": 'Vilken period ska rapporten gälla? Till exempel "förra månaden", "i år" eller "sedan 1 maj".',
    },
    "order.ask_customer_number": {
        "en": "To look up an order as a guest I also need your customer number (7 digits, on your "
        "invoices and order confirmations).",
        "sv": "För att slå upp en order som gäst behöver jag också ert kundnummer (7 siffror, finns på "
        "fakturor och orderbekräftelser).",
    },
    "order.not_found": {
        "en": "I can't find order {number} among your company's orders. Please check the number.",
        "sv": "Jag hittar inte order {number} bland ert företags ordrar. Kontrollera gärna numret.",
    },
    "order.po_not_found": {
        "en": "I can't find any order with PO number {number} among your company's orders.",
        "sv": "Jag hittar ingen order med inköpsordernummer {number} bland ert företags ordrar.",
    },
    "order.none_yet": {
        "en": "I can't find any orders for your company yet.",
        "sv": "Jag hittar inga ordrar för ert företag ännu.",
    },
    "order.guest_not_found": {
        "en": "I can't find an order {number} for customer number {customer}. Please check both numbers, "
        "or sign in to see all your orders.",
        "sv": "Jag hittar ingen order {number} för kundnummer {customer}. Kontrollera båda numren, "
        "eller logga in för att se alla era ordrar.",
    },
    "order.po_many": {
        "plural": "count",
        "en": {
            "one": "PO number {number} covers {count} order:",
            "other": "PO number {number} covers {count} orders:",
        },
        "sv": {
            "one": "Inköpsordernummer {number} gäller {count} order:",
            "other": "Inköpsordernummer {number} gäller {count} ordrar:",
        },
    },
    "order.status.received": {"en": "received", "sv": "mottagen"},
    "order.status.confirmed": {"en": "confirmed", "sv": "bekräftad"},
    "order.status.in_production": {"en": "in production", "sv": "i produktion"},
    "order.status.shipped": {"en": "shipped", "sv": "skickad"},
    "order.status.delivered": {"en": "delivered", "sv": "levererad"},
    "order.status.cancelled": {"en": "cancelled", "sv": "makulerad"},
    "order.summary.shipped": {
        "en": "Order {number} has shipped with {carrier} and is expected on {expected}.",
        "sv": "Order {number} är skickad med {carrier} och väntas fram {expected}.",
    },
    "order.summary.delivered": {
        "en": "Order {number} was delivered on {delivered}.",
        "sv": "Order {number} levererades {delivered}.",
    },
    "order.summary.pending": {
        "en": "Order {number} is {status}. Expected delivery: {expected}.",
        "sv": "Order {number} är {status}. Beräknad leverans: {expected}.",
    },
    "order.summary.pending_no_date": {
        "en": "Order {number} is {status}. We don't have a delivery date for it yet.",
        "sv": "Order {number} är {status}. Vi har inget leveransdatum för den ännu.",
    },
    "order.summary.cancelled": {
        "en": "Order {number} has been cancelled.",
        "sv": "Order {number} är makulerad.",
    },
    "order.guest_note": {
        "en": "Sign in to see lines, amounts and tracking.",
        "sv": "Logga in för att se orderrader, belopp och spårning.",
    },
    "order.field.status": {"en": "Status", "sv": "Status"},
    "order.field.po": {"en": "PO number", "sv": "Inköpsordernr"},
    "order.field.ordered": {"en": "Ordered", "sv": "Beställd"},
    "order.field.expected": {"en": "Expected delivery", "sv": "Beräknad leverans"},
    "order.field.delivered": {"en": "Delivered", "sv": "Levererad"},
    "order.field.total": {"en": "Total excl. VAT", "sv": "Summa exkl. moms"},
    "order.field.quantity": {"en": "Qty", "sv": "Antal"},
    "order.field.product": {"en": "Product", "sv": "Produkt"},
    "order.field.site": {"en": "Site", "sv": "Plats"},
    "order.field.carrier": {"en": "Carrier", "sv": "Transportör"},
    "order.field.tracking": {"en": "Tracking number", "sv": "Kollinummer"},
    "order.field.lines": {"en": "Lines", "sv": "Rader"},
    "order.title": {"en": "Order {number}", "sv": "Order {number}"},
    "order.track": {"en": "Track the shipment", "sv": "Spåra försändelsen"},
    "order.button.details": {"en": "Order {number}", "sv": "Order {number}"},
    "order.button.details.value": {"en": "status of order {number}", "sv": "status för order {number}"},
    "order.button.more": {"en": "Show more", "sv": "Visa fler"},
    "order.button.more.value": {"en": "show more orders", "sv": "visa fler ordrar"},
    "order.button.report": {"en": "Download as spreadsheet", "sv": "Ladda ner som kalkylark"},
    "order.button.report.value": {"en": "order report", "sv": "orderrapport"},
    "order.search.found": {
        "plural": "count",
        "en": {
            "one": "Here is one more of your orders{filters} (number {first}):",
            "other": "Here are your orders{filters} (showing {first}–{last}):",
        },
        "sv": {
            "one": "Här är en order till{filters} (nummer {first}):",
            "other": "Här är era ordrar{filters} (visar {first}–{last}):",
        },
    },
    "order.search.found.all": {
        "plural": "count",
        "en": {"one": "I found {count} order{filters}:", "other": "I found {count} orders{filters}:"},
        "sv": {"one": "Jag hittade {count} order{filters}:", "other": "Jag hittade {count} ordrar{filters}:"},
    },
    "order.search.none": {
        "en": "I found no orders{filters}.",
        "sv": "Jag hittade inga ordrar{filters}.",
    },
    "order.search.no_more": {
        "en": "That was all of them.",
        "sv": "Det var alla.",
    },
    "order.filter.status": {"en": " with status {status}", "sv": " med status {status}"},
    "order.filter.period": {"en": " from {start} to {end}", "sv": " från {start} till {end}"},
    "order.filter.site": {"en": " for {site}", "sv": " för {site}"},
    "order.col.number": {"en": "Order", "sv": "Order"},
    "order.col.po": {"en": "PO", "sv": "Inköpsorder"},
    "order.col.date": {"en": "Ordered", "sv": "Beställd"},
    "order.col.status": {"en": "Status", "sv": "Status"},
    "order.col.expected": {"en": "Expected", "sv": "Beräknad"},
    "order.col.delivered": {"en": "Delivered", "sv": "Levererad"},
    "order.col.total": {"en": "Total excl. VAT", "sv": "Summa exkl. moms"},
    "order.col.currency": {"en": "Currency", "sv": "Valuta"},
    "order.col.site": {"en": "Site", "sv": "Plats"},
    "order.report.ready": {
        "plural": "count",
        "en": {
            "one": "Your order report{filters} is ready: {count} order.",
            "other": "Your order report{filters} is ready: {count} orders.",
        },
        "sv": {
            "one": "Er orderrapport{filters} är klar: {count} order.",
            "other": "Er orderrapport{filters} är klar: {count} ordrar.",
        },
    },
    "order.report.empty": {
        "en": "There are no orders{filters}, so there's nothing to put in a report.",
        "sv": "Det finns inga ordrar{filters}, så det finns inget att ta med i en rapport.",
    },
    "order.report.mailed": {
        "plural": "count",
        "en": {
            "one": "I've e-mailed your order report{filters} ({count} order) to {email}.",
            "other": "I've e-mailed your order report{filters} ({count} orders) to {email}.",
        },
        "sv": {
            "one": "Jag har mejlat er orderrapport{filters} ({count} order) till {email}.",
            "other": "Jag har mejlat er orderrapport{filters} ({count} ordrar) till {email}.",
        },
    },
    "order.report.mail_failed": {
        "en": "I couldn't send the e-mail just now, so here are download links instead.",
        "sv": "Jag kunde inte skicka mejlet just nu, så här är länkar att ladda ner i stället.",
    },
    "order.report.too_large": {
        "plural": "limit",
        "en": {
            "one": "That report would have more than {limit} order. Please choose a shorter period.",
            "other": "That report would have more than {limit} orders. Please choose a shorter period.",
        },
        "sv": {
            "one": "Rapporten skulle få fler än {limit} order. Välj en kortare period.",
            "other": "Rapporten skulle få fler än {limit} ordrar. Välj en kortare period.",
        },
    },
    "order.report.mail_subject": {
        "en": "Your order report{filters}",
        "sv": "Er orderrapport{filters}",
    },
    "order.report.mail_body": {
        "plural": "count",
        "en": {
            "one": "Hello {name},\n\nAttached is the order report you asked for{filters}: {count} order, "
            "as an Excel workbook and as CSV.\n\nBest regards,\nCustomer support",
            "other": "Hello {name},\n\nAttached is the order report you asked for{filters}: {count} orders, "
            "as an Excel workbook and as CSV.\n\nBest regards,\nCustomer support",
        },
        "sv": {
            "one": "Hej {name},\n\nBifogat är orderrapporten du bad om{filters}: {count} order, "
            "som Excel-arbetsbok och som CSV.\n\nVänliga hälsningar,\nKundsupport",
            "other": "Hej {name},\n\nBifogat är orderrapporten du bad om{filters}: {count} ordrar, "
            "som Excel-arbetsbok och som CSV.\n\nVänliga hälsningar,\nKundsupport",
        },
    },
    "order.report.sheet": {"en": "Orders", "sv": "Ordrar"},
}
