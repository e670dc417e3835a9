"""What adapters and intents both need, beside the core: telling customers about their requests,
listening to the outcomes of mail, and rendering documents (PDF copies, spreadsheets).

The layer sits between intents and the core (adapters → intents → services → bot → integrations): it
may use ``bot`` and ``integrations``, never ``intents`` or ``adapters``, and ``bot`` never uses it.
Sentences come from the catalogue by key, as every other customer-facing text does.
"""
