"""What an extractor finds, and the bookkeeping that stops two extractors claiming the same text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Found:
    """One entity found in the message: cheaper than a pydantic model while extractors work."""

    type: str
    value: Any
    start: int
    end: int


class Claims:
    """The character spans already taken; extractors run in priority order and skip taken text."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found: list[Found] = []

    def free(self, start: int, end: int) -> bool:
        found = self.found
        if len(found) <= 1:  # most messages claim nothing or one span: no generator for them
            return not found or end <= found[0].start or start >= found[0].end
        return all(end <= f.start or start >= f.end for f in found)

    def add(self, found: Found) -> bool:
        """Keep ``found`` unless it overlaps something claimed before; say whether it was kept."""
        if not self.free(found.start, found.end):
            return False
        self.found.append(found)
        return True

    def beside(self, found: Found) -> None:
        """Keep ``found`` whatever it overlaps: another reading of words already claimed, for the dialog
        (a type without a placeholder, so the classifier reads the words as before)."""
        self.found.append(found)

    def remove(self, found: Found) -> None:
        self.found.remove(found)


class WordTest:
    """Whether any of a message's words passes a test, each word's answer remembered: most messages are
    made of words seen before, and a set operation answers for them at once."""

    __slots__ = ("_no", "_test", "_yes")

    _LIMIT = 100_000

    def __init__(self, test: Callable[[str], bool]) -> None:
        self._test = test
        self._yes: set[str] = set()
        self._no: set[str] = set()

    def any(self, words: frozenset[str]) -> bool:
        if not self._yes.isdisjoint(words):
            return True
        new = words - self._no
        if not new:
            return False
        if len(self._yes) + len(self._no) > self._LIMIT:
            self._yes.clear()
            self._no.clear()
        found = False
        for word in new:
            if self._test(word):
                self._yes.add(word)
                found = True
            else:
                self._no.add(word)
        return found
