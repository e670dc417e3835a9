"""Whether a message names the user as the recipient: "send me", "mejla mig det", "to my inbox".

The dialog reads it ("mejla mig det" right after an invoice sends that invoice) and so do the intents
that send (``intents/recipients.py``: "me" is the user, never an address to ask for).
"""

from __future__ import annotations

import re

_SEND = r"(?:send|e-?mail|mail|forward|fwd|resend|share|skicka|mejla|maila|mejl|e-posta|vidarebefordra|vb)"
TO_ME = (
    rf"\b{_SEND}\s+(?:(?:it|this|that|them|den|det|dem)\s+)?(?:(?:to|till)\s+)?(?:me|mej|mig|myself)\b"
    r"|\b(?:to|till)\s+(?:me|mej|mig|myself)\b"
    r"|\bmig\s+själv\b"
    r"|\bmy\s+(?:own\s+)?(?:e-?mail(?:\s+address)?|mail|inbox|mailbox)\b"
    r"|\bmin\s+(?:egen\s+)?(?:e-?post\w*|mejl\w*|mail\w*|inkorg\w*)"
)
"""The user named as the recipient; "for me" and "åt mig" are not (they name whose errand it is)."""
_TO_ME = re.compile(TO_ME, re.IGNORECASE)


def to_me(text: str) -> bool:
    """Whether the message names the user as the recipient ("send me", "to me", "till mig")."""
    return bool(_TO_ME.search(text))


BY_MAIL = re.compile(
    r"(?i)\b(?:e-?mail\w*|mail\w*|mejl\w*|maila\w*|e-post\w*|forward\w*|fwd|vidarebefordra\w*|vb|"
    r"inbox|mailbox|inkorg\w*|(?:send|skicka)(?=\b.*\w@\w))\b"
)
"""Words that ask for a mail rather than a file here in the chat; "send"/"skicka" with an address."""


def speaks_of_mail(text: str) -> bool:
    """Whether the message has a word of mail at all (asked for, asked after or called off)."""
    return BY_MAIL.search(text) is not None
