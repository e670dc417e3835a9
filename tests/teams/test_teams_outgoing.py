"""Retrying and pacing of connector calls, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from supportbot.adapters.teams.outgoing import ConversationPacer, RetryPolicy, retry_after, with_retries


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Response:
    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.status_code = status
        self.headers = headers or {}


class HttpError(Exception):
    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.response = Response(status, headers)


def failing(*errors: Exception) -> Any:
    queue = list(errors)
    calls: list[int] = []

    async def call() -> str:
        calls.append(1)
        if queue:
            raise queue.pop(0)
        return "ok"

    call.calls = calls  # type: ignore[attr-defined]
    return call


@pytest.mark.parametrize("status", [429, 412, 502, 504])
async def test_retryable_statuses_are_retried(status: int) -> None:
    time = FakeTime()
    call = failing(HttpError(status), HttpError(status))
    assert await with_retries(call, sleep=time.sleep, clock=time.clock) == "ok"
    assert len(call.calls) == 3
    assert time.sleeps[1] > time.sleeps[0]  # exponential


async def test_retry_after_is_honoured() -> None:
    time = FakeTime()
    call = failing(HttpError(429, {"Retry-After": "7"}))
    assert await with_retries(call, sleep=time.sleep, clock=time.clock) == "ok"
    assert time.sleeps == [7.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
async def test_other_errors_are_not_retried(status: int) -> None:
    time = FakeTime()
    call = failing(HttpError(status))
    with pytest.raises(HttpError):
        await with_retries(call, sleep=time.sleep, clock=time.clock)
    assert len(call.calls) == 1


async def test_total_time_is_bounded() -> None:
    time = FakeTime()
    call = failing(HttpError(429, {"Retry-After": "20"}), HttpError(429, {"Retry-After": "20"}))
    with pytest.raises(HttpError):
        await with_retries(call, policy=RetryPolicy(total=30.0), sleep=time.sleep, clock=time.clock)
    assert time.sleeps == [20.0]


async def test_attempts_are_bounded() -> None:
    time = FakeTime()
    call = failing(*(HttpError(502) for _ in range(10)))
    with pytest.raises(HttpError):
        await with_retries(call, policy=RetryPolicy(attempts=3), sleep=time.sleep, clock=time.clock)
    assert len(call.calls) == 3


def test_retry_after_forms() -> None:
    now = datetime(2024, 5, 14, 9, 0, tzinfo=UTC)
    assert retry_after({"Retry-After": "3"}) == 3.0
    assert (
        retry_after({"Retry-After": format_datetime(now + timedelta(seconds=12), usegmt=True)}, now=now)
        == 12.0
    )
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({}) is None


async def test_pacer_keeps_to_seven_a_second_and_sixty_in_thirty_seconds() -> None:
    time = FakeTime()
    pacer = ConversationPacer(clock=time.clock, sleep=time.sleep)
    sent: list[float] = []
    for _ in range(61):
        await pacer.wait("a:conversation")
        sent.append(time.now)
    for i in range(7, len(sent)):
        assert sent[i] - sent[i - 7] >= 1.0
    for i in range(60, len(sent)):
        assert sent[i] - sent[i - 60] >= 30.0
    assert sent[6] == 0.0  # the first seven go at once


async def test_pacer_counts_each_conversation_alone() -> None:
    time = FakeTime()
    pacer = ConversationPacer(clock=time.clock, sleep=time.sleep)
    for i in range(7):
        await pacer.wait("a")
        await pacer.wait(f"other-{i}")
    await pacer.wait("b")
    assert time.sleeps == []
