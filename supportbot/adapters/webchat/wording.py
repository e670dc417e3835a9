"""What the web chat's server side says to a customer, in English and Swedish, in one place."""

from __future__ import annotations

from supportbot.bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Entry, words

WORDS: dict[str, Entry] = {
    "error.bad_json": {
        "en": "Sorry, I couldn't read that message. Please try sending it again.",
        "sv": "Förlåt, jag kunde inte läsa meddelandet. Försök gärna skicka det igen.",
    },
    "error.bad_frame": {
        "en": "Sorry, that message wasn't in a form I understand. Please try sending it again.",
        "sv": "Förlåt, meddelandet hade en form som jag inte förstår. Försök gärna skicka det igen.",
    },
    "error.too_large": {
        "en": "That message is too large to send. Could you shorten it to a few sentences?",
        "sv": "Meddelandet är för stort för att skickas. Kan du korta ner det till några meningar?",
    },
    "error.rate_limited": {
        "en": "You're sending messages faster than I can keep up with. Please wait a few seconds and try again.",
        "sv": "Du skickar meddelanden snabbare än jag hinner med. Vänta några sekunder och försök igen.",
    },
    "error.internal": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment, or ask to talk to a person.",
        "sv": "Förlåt, något gick fel hos mig. Försök igen om en stund, eller be att få prata med en person.",
    },
    "error.unavailable": {
        "en": "Sorry, I can't reach our systems right now, so I couldn't answer that. "
        "Please send it again in a minute.",
        "sv": "Förlåt, jag når inte våra system just nu och kunde därför inte svara på det. "
        "Skicka det gärna igen om en minut.",
    },
    "error.files_missing": {
        "en": "Sorry, I no longer have the file you attached: uploads are kept for an hour, for the person "
        "who sent them. Please attach it again.",
        "sv": "Förlåt, jag har inte längre filen du bifogade: uppladdningar sparas i en timme, för den som "
        "skickade dem. Bifoga den gärna igen.",
    },
    "warning.files_missing": {
        "plural": "count",
        "en": {
            "one": "Sorry, {count} of the files you attached could no longer be found (uploads are kept for "
            "an hour), so I've gone on without it. Please attach it again if you still need it.",
            "other": "Sorry, {count} of the files you attached could no longer be found (uploads are kept "
            "for an hour), so I've gone on without them. Please attach them again if you still need them.",
        },
        "sv": {
            "one": "Förlåt, {count} av filerna du bifogade fanns inte längre kvar (uppladdningar sparas i en "
            "timme), så jag har fortsatt utan den. Bifoga den gärna igen om du fortfarande behöver den.",
            "other": "Förlåt, {count} av filerna du bifogade fanns inte längre kvar (uppladdningar sparas i "
            "en timme), så jag har fortsatt utan dem. Bifoga dem gärna igen om du fortfarande behöver dem.",
        },
    },
    # --- uploads (POST /webchat/upload) ------------------------------------------------------------
    "upload.sign_in": {
        "en": "Please sign in to send files.",
        "sv": "Logga in för att skicka filer.",
    },
    "upload.bad_request": {
        "en": "Sorry, that upload wasn't in a form I understand. Please choose the file again.",
        "sv": "Förlåt, uppladdningen hade en form som jag inte förstår. Välj filen igen.",
    },
    "upload.empty": {
        "en": "That file is empty. Please choose another one.",
        "sv": "Filen är tom. Välj en annan fil.",
    },
    "upload.too_large": {
        "en": "That file is too large: files can be at most {limit} MB.",
        "sv": "Filen är för stor: filer får vara högst {limit} MB.",
    },
    "upload.refused_type": {
        "en": "Sorry, I can't take {name}: that kind of file isn't accepted.",
        "sv": "Förlåt, jag kan inte ta emot {name}: den sortens fil accepteras inte.",
    },
    "upload.mismatch": {
        "en": "Sorry, I can't take {name}: what it contains doesn't match its name. Please check the file "
        "and choose it again.",
        "sv": "Förlåt, jag kan inte ta emot {name}: innehållet stämmer inte med filnamnet. Kontrollera filen "
        "och välj den igen.",
    },
    "upload.rate_limited": {
        "en": "You're sending files faster than I can keep up with. Please wait a moment and try again.",
        "sv": "Du skickar filer snabbare än jag hinner med. Vänta en stund och försök igen.",
    },
    "login.failed": {
        "en": "That user ID and password don't match. Please check them and try again.",
        "sv": "Användar-id och lösenord stämmer inte. Kontrollera dem och försök igen.",
    },
    "login.bad_request": {
        "en": "Please enter your user ID (your e-mail address) and your password.",
        "sv": "Ange ditt användar-id (din e-postadress) och ditt lösenord.",
    },
    "login.rate_limited": {
        "en": "Too many sign-in attempts. Please wait a few minutes and try again.",
        "sv": "För många inloggningsförsök. Vänta några minuter och försök igen.",
    },
    "login.unconfirmed": {
        "en": "Please confirm your e-mail address first: open the link in the mail we sent you when you "
        "registered. If the link has expired, register again with the same address for a new one.",
        "sv": "Bekräfta din e-postadress först: öppna länken i mejlet vi skickade när du registrerade dig. "
        "Om länken har gått ut, registrera dig igen med samma adress så får du en ny.",
    },
    # --- registration and e-mail confirmation ------------------------------------------------------
    "register.bad_request": {
        "en": "Please fill in your name, e-mail address, customer number and a password.",
        "sv": "Fyll i ditt namn, din e-postadress, ert kundnummer och ett lösenord.",
    },
    "register.invalid": {
        "en": "Please check the marked fields.",
        "sv": "Kontrollera de markerade fälten.",
    },
    "register.name": {
        "en": "Please enter your name (at most 200 characters).",
        "sv": "Ange ditt namn (högst 200 tecken).",
    },
    "register.email": {
        "en": "Please enter a valid e-mail address, like name@company.com.",
        "sv": "Ange en giltig e-postadress, till exempel namn@foretag.se.",
    },
    "register.customer_number": {
        "en": "Please enter your customer number. You'll find it on your invoices and order confirmations.",
        "sv": "Ange ert kundnummer. Det finns på era fakturor och orderbekräftelser.",
    },
    "register.password": {
        "plural": "min",
        "en": {
            "one": "Please choose a password of at least {min} character.",
            "other": "Please choose a password of at least {min} characters.",
        },
        "sv": {
            "one": "Välj ett lösenord med minst {min} tecken.",
            "other": "Välj ett lösenord med minst {min} tecken.",
        },
    },
    "register.check_email": {
        "en": "Thank you! We've sent a message to the e-mail address you gave, saying what happens next. "
        "Please open it (look in your spam folder too): the account can be used once you've confirmed "
        "the address.",
        "sv": "Tack! Vi har skickat ett meddelande till e-postadressen du angav om vad som händer härnäst. "
        "Öppna det (titta gärna i skräpposten också): kontot kan användas när du har bekräftat adressen.",
    },
    "register.rate_limited": {
        "en": "Too many registrations from here. Please try again later.",
        "sv": "För många registreringar härifrån. Försök igen senare.",
    },
    "mail.confirm.subject": {
        "en": "Confirm your e-mail address",
        "sv": "Bekräfta din e-postadress",
    },
    "mail.confirm.body": {
        "en": "Hello {name},\n\nWelcome to customer support online. Your user ID is {email}, and your "
        "account is linked to {company} (customer number {customer_number}).\n\nPlease confirm your "
        "e-mail address by opening this link within 48 hours:\n{link}\n\nThen sign in to our web chat "
        "with your user ID and password. To see your company's orders, invoices and other records, your "
        "company's administrator needs to give you access; until then I can help you with everything "
        "else.\n\nIf you didn't create this account, or {company} is not your company, please don't open "
        "the link: without it the account can't be used. You can tell us at {support}.\n\n"
        "Best regards,\nCustomer support",
        "sv": "Hej {name},\n\nVälkommen till kundsupport online. Ditt användar-id är {email}, och ditt "
        "konto är kopplat till {company} (kundnummer {customer_number}).\n\nBekräfta din e-postadress "
        "genom att öppna den här länken inom 48 timmar:\n{link}\n\nLogga sedan in i vår webbchatt med "
        "ditt användar-id och lösenord. För att se ert företags ordrar, fakturor och andra uppgifter "
        "behöver ert företags administratör ge dig behörighet; till dess hjälper jag dig gärna med allt "
        "annat.\n\nOm det inte var du som skapade kontot, eller om {company} inte är ditt företag, öppna "
        "inte länken: utan den kan kontot inte användas. Du kan höra av dig till oss på {support}.\n\n"
        "Vänliga hälsningar,\nKundsupport",
    },
    "mail.taken.subject": {
        "en": "Someone tried to register with your e-mail address",
        "sv": "Någon försökte registrera sig med din e-postadress",
    },
    "mail.taken.body": {
        "en": "Hello,\n\nSomeone just tried to create a new account in our support chat with this e-mail "
        "address ({email}). It already has an account, so nothing was changed.\n\nIf it was you, simply "
        "sign in with your user ID {email} and your password. If you've forgotten your password, choose "
        '"Forgot your password?" where you sign in to the chat: we\'ll send you a link to choose a new '
        "one. If you need help, write to {support}.\n\nIf it wasn't you, you can ignore this message: your "
        "account is unchanged.\n\nBest regards,\nCustomer support",
        "sv": "Hej,\n\nNågon försökte nyss skapa ett nytt konto i vår supportchatt med den här "
        "e-postadressen ({email}). Den har redan ett konto, så ingenting ändrades.\n\nOm det var du, logga "
        "bara in med ditt användar-id {email} och ditt lösenord. Om du har glömt lösenordet, välj "
        '"Glömt lösenordet?" där du loggar in i chatten: då skickar vi en länk där du väljer ett nytt. '
        "Behöver du hjälp, skriv till {support}.\n\nOm det inte var du kan du bortse från det här "
        "meddelandet: ditt konto är oförändrat.\n\nVänliga hälsningar,\nKundsupport",
    },
    "mail.unknown_number.subject": {
        "en": "Your registration: customer number not found",
        "sv": "Din registrering: kundnumret hittades inte",
    },
    "mail.unknown_number.body": {
        "en": "Hello,\n\nSomeone, probably you, just tried to create an account in our support chat with "
        "this e-mail address ({email}), but we have no customer with that number, so no account was "
        "created.\n\nPlease check the customer number: you'll find it on your invoices and order "
        "confirmations. Then register again. If you need help, write to {support}.\n\nIf it wasn't you, "
        "you can ignore this message.\n\nBest regards,\nCustomer support",
        "sv": "Hej,\n\nNågon, förmodligen du, försökte nyss skapa ett konto i vår supportchatt med den "
        "här e-postadressen ({email}), men vi har ingen kund med det kundnumret, så inget konto skapades."
        "\n\nKontrollera kundnumret: det finns på era fakturor och orderbekräftelser. Registrera dig "
        "sedan igen. Behöver du hjälp, skriv till {support}.\n\nOm det inte var du kan du bortse från "
        "det här meddelandet.\n\nVänliga hälsningar,\nKundsupport",
    },
    "confirm.title": {
        "en": "E-mail address confirmed",
        "sv": "E-postadressen är bekräftad",
    },
    "confirm.done": {
        "en": "Thank you! Your e-mail address is confirmed. You can now sign in to the support chat.",
        "sv": "Tack! Din e-postadress är bekräftad. Nu kan du logga in i supportchatten.",
    },
    "confirm.failed.title": {
        "en": "This link doesn't work",
        "sv": "Länken fungerar inte",
    },
    "confirm.failed": {
        "en": "Sorry, this confirmation link doesn't work. It may have expired (links work for 48 hours) "
        "or been copied incompletely. For a new link, register again with the same e-mail address; if "
        "you need help, ask the chat to talk to a person.",
        "sv": "Tyvärr fungerar inte den här bekräftelselänken. Den kan ha gått ut (länkar fungerar i 48 "
        "timmar) eller kopierats ofullständigt. För en ny länk, registrera dig igen med samma "
        "e-postadress; behöver du hjälp, be chatten att få prata med en person.",
    },
    "confirm.unavailable": {
        "en": "Sorry, we can't confirm your address just now. Please open the link again in a few minutes.",
        "sv": "Tyvärr kan vi inte bekräfta adressen just nu. Öppna länken igen om några minuter.",
    },
    "confirm.back": {
        "en": "Back to the support chat",
        "sv": "Tillbaka till supportchatten",
    },
    # --- password reset ----------------------------------------------------------------------------
    "reset.bad_request": {
        "en": "Please enter the e-mail address of your account.",
        "sv": "Ange e-postadressen till ditt konto.",
    },
    "reset.check_email": {
        "plural": "minutes",
        "en": {
            "one": "If {email} has an account with us, we've sent a link to it for choosing a new password. "
            "The link works for {minutes} minute; please look in your spam folder too.",
            "other": "If {email} has an account with us, we've sent a link to it for choosing a new "
            "password. The link works for {minutes} minutes; please look in your spam folder too.",
        },
        "sv": {
            "one": "Om {email} har ett konto hos oss har vi skickat en länk dit där du väljer ett nytt "
            "lösenord. Länken fungerar i {minutes} minut; titta gärna i skräpposten också.",
            "other": "Om {email} har ett konto hos oss har vi skickat en länk dit där du väljer ett nytt "
            "lösenord. Länken fungerar i {minutes} minuter; titta gärna i skräpposten också.",
        },
    },
    "reset.rate_limited": {
        "en": "Too many password resets from here. Please wait a few minutes and try again.",
        "sv": "För många lösenordsbyten härifrån. Vänta några minuter och försök igen.",
    },
    "mail.reset.subject": {
        "en": "Choose a new password",
        "sv": "Välj ett nytt lösenord",
    },
    "mail.reset.body": {
        "plural": "minutes",
        "en": {
            "one": "Hello {name},\n\nSomeone, hopefully you, asked for a new password for your user ID "
            "{email} in our support chat. To choose one, open this link within {minutes} minute:\n{link}\n\n"
            "The link works once. If you didn't ask for it, you can ignore this message: your password stays "
            "as it is. If you get such mails without asking, please tell us at {support}.\n\n"
            "Best regards,\nCustomer support",
            "other": "Hello {name},\n\nSomeone, hopefully you, asked for a new password for your user ID "
            "{email} in our support chat. To choose one, open this link within {minutes} minutes:\n{link}\n\n"
            "The link works once. If you didn't ask for it, you can ignore this message: your password stays "
            "as it is. If you get such mails without asking, please tell us at {support}.\n\n"
            "Best regards,\nCustomer support",
        },
        "sv": {
            "one": "Hej {name},\n\nNågon, förhoppningsvis du, har bett om ett nytt lösenord för ditt "
            "användar-id {email} i vår supportchatt. Öppna den här länken inom {minutes} minut för att välja "
            "ett:\n{link}\n\nLänken fungerar en gång. Om det inte var du som bad om den kan du bortse från "
            "det här meddelandet: ditt lösenord är oförändrat. Om du får sådana mejl utan att ha bett om "
            "dem, hör av dig till oss på {support}.\n\nVänliga hälsningar,\nKundsupport",
            "other": "Hej {name},\n\nNågon, förhoppningsvis du, har bett om ett nytt lösenord för ditt "
            "användar-id {email} i vår supportchatt. Öppna den här länken inom {minutes} minuter för att "
            "välja ett:\n{link}\n\nLänken fungerar en gång. Om det inte var du som bad om den kan du bortse "
            "från det här meddelandet: ditt lösenord är oförändrat. Om du får sådana mejl utan att ha bett "
            "om dem, hör av dig till oss på {support}.\n\nVänliga hälsningar,\nKundsupport",
        },
    },
    "mail.changed.subject": {
        "en": "Your password was changed",
        "sv": "Ditt lösenord har ändrats",
    },
    "mail.changed.body": {
        "en": "Hello {name},\n\nThe password of your user ID {email} in our support chat was just changed "
        "with a reset link, and everywhere you were signed in with the old password you have been signed "
        "out.\n\nIf it was you, there is nothing more to do. If it wasn't, please tell us at once at "
        "{support}.\n\nBest regards,\nCustomer support",
        "sv": "Hej {name},\n\nLösenordet för ditt användar-id {email} i vår supportchatt har nyss ändrats "
        "med en återställningslänk, och överallt där du var inloggad med det gamla lösenordet har du "
        "loggats ut.\n\nOm det var du behöver du inte göra något mer. Om det inte var du, hör genast av "
        "dig till oss på {support}.\n\nVänliga hälsningar,\nKundsupport",
    },
    "reset.title": {
        "en": "Choose a new password",
        "sv": "Välj ett nytt lösenord",
    },
    "reset.intro": {
        "en": "Choose a new password for this user ID:",
        "sv": "Välj ett nytt lösenord för det här användar-id:t:",
    },
    "reset.script": {
        "en": "This page needs JavaScript to read the link safely. Please allow it for this site and open "
        "the link again.",
        "sv": "Den här sidan behöver JavaScript för att läsa länken säkert. Tillåt det för den här "
        "webbplatsen och öppna länken igen.",
    },
    "reset.password": {
        "en": "New password",
        "sv": "Nytt lösenord",
    },
    "reset.repeat": {
        "en": "New password again",
        "sv": "Nytt lösenord igen",
    },
    "reset.hint": {
        "plural": "min",
        "en": {"one": "At least {min} character.", "other": "At least {min} characters."},
        "sv": {"one": "Minst {min} tecken.", "other": "Minst {min} tecken."},
    },
    "reset.submit": {
        "en": "Save the new password",
        "sv": "Spara det nya lösenordet",
    },
    "reset.invalid": {
        "en": "Please check the marked field.",
        "sv": "Kontrollera det markerade fältet.",
    },
    "reset.mismatch": {
        "en": "The two passwords are not the same. Please type the new password twice.",
        "sv": "Lösenorden är inte likadana. Skriv det nya lösenordet två gånger.",
    },
    "reset.done.title": {
        "en": "Your password is changed",
        "sv": "Ditt lösenord är ändrat",
    },
    "reset.done": {
        "en": "Thank you! Your new password works from now on, and wherever you were signed in with the old "
        "one you have been signed out. Sign in to the support chat with your new password.",
        "sv": "Tack! Ditt nya lösenord gäller från och med nu, och överallt där du var inloggad med det "
        "gamla har du loggats ut. Logga in i supportchatten med ditt nya lösenord.",
    },
    "reset.failed.title": {
        "en": "This link doesn't work",
        "sv": "Länken fungerar inte",
    },
    "reset.failed": {
        "plural": "minutes",
        "en": {
            "one": "Sorry, this link for choosing a new password doesn't work. It may have expired (links "
            "work for {minutes} minute), have been used already, or have been copied incompletely. You can "
            'ask for a new one under "Forgot your password?" where you sign in to the support chat.',
            "other": "Sorry, this link for choosing a new password doesn't work. It may have expired (links "
            "work for {minutes} minutes), have been used already, or have been copied incompletely. You can "
            'ask for a new one under "Forgot your password?" where you sign in to the support chat.',
        },
        "sv": {
            "one": "Tyvärr fungerar inte den här länken för att välja ett nytt lösenord. Den kan ha gått ut "
            "(länkar fungerar i {minutes} minut), redan ha använts eller ha kopierats ofullständigt. Du kan "
            'be om en ny under "Glömt lösenordet?" där du loggar in i supportchatten.',
            "other": "Tyvärr fungerar inte den här länken för att välja ett nytt lösenord. Den kan ha gått "
            "ut (länkar fungerar i {minutes} minuter), redan ha använts eller ha kopierats ofullständigt. Du "
            'kan be om en ny under "Glömt lösenordet?" där du loggar in i supportchatten.',
        },
    },
    "reset.unavailable": {
        "en": "Sorry, we can't change your password just now. Please open the link again in a few minutes.",
        "sv": "Tyvärr kan vi inte byta ditt lösenord just nu. Öppna länken igen om några minuter.",
    },
    "reset.too_many": {
        "en": "Too many attempts from here. Please wait a few minutes and try again.",
        "sv": "För många försök härifrån. Vänta några minuter och försök igen.",
    },
    "request.forbidden": {
        "en": "This request isn't allowed from another site.",
        "sv": "Den här begäran är inte tillåten från en annan webbplats.",
    },
}
words(WORDS, prefix="webchat.")


def pick_language(*candidates: str | None) -> str:
    """The first candidate we speak (``sv-SE`` counts as ``sv``), else the default."""
    for candidate in candidates:
        if candidate:
            short = candidate.strip().lower()[:2]
            if short in LANGUAGES:
                return short
    return DEFAULT_LANGUAGE


def accept_language(header: str | None) -> str | None:
    """The client's most preferred language we speak, from an ``Accept-Language`` header."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        short = tag.strip().lower()[:2]
        if short in LANGUAGES and quality > 0:
            ranked.append((-quality, index, short))
    return min(ranked)[2] if ranked else None
