"""The core's one root exception."""

from __future__ import annotations


class SupportbotError(Exception):
    """Root of every error the assistant raises on purpose."""


class ConfigurationError(SupportbotError):
    """Settings that cannot work (a bad database URL, a missing secret)."""


class InvalidLink(SupportbotError):
    """A download link that is tampered with, expired or not the caller's."""
