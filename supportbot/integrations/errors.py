"""The back ends' one exception family."""

from __future__ import annotations

from supportbot.integrations.models import Tool


class BackendError(Exception):
    """Root of everything a back end raises."""


class BackendUnavailable(BackendError):
    """The back end is down or too slow; the caller should apologise, not crash."""


class AccessDenied(BackendError):
    """The principal has no grant for the tool the call belongs to."""

    def __init__(self, tool: Tool) -> None:
        super().__init__(f"no grant for {tool.value}")
        self.tool = tool


class InvalidRequest(BackendError):
    """The call's arguments are not acceptable (a bad date range, a too large page)."""


class MailUnavailable(BackendError):
    """The mail server refused or could not be reached; the mail was not sent."""


class NotAdministrator(BackendError):
    """Only an administrator of the principal's company may do this (decide, list or revoke grants)."""


class AddressNotConfirmed(BackendError):
    """The person registered themselves and has not confirmed their e-mail address yet: until they
    have, they may ask for nothing and be granted nothing."""
