"""Two workers built in one test process, on one PostgreSQL database and one Redis: what one worker
changes, the other knows at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from supportbot.adapters.app import Application, build_application
from supportbot.integrations.sql.schema import users
from tests.conftest import make_settings
from tests.scale.conftest import fresh_database

pytestmark = [pytest.mark.scale, pytest.mark.postgres]

ERIK = "erik.lund@nordisk.example"


@pytest.fixture
def database_url() -> Iterator[str]:
    yield from fresh_database()


@pytest.fixture
async def workers(
    database_url: str, redis_url: str, prefix: str, tmp_path: Path
) -> AsyncIterator[tuple[Application, Application]]:
    made: list[Application] = []
    try:
        for name in ("a", "b"):
            settings = make_settings(
                tmp_path / name, database_url=database_url, redis_url=redis_url, redis_prefix=prefix
            )
            made.append(await build_application(settings))
        yield made[0], made[1]
    finally:
        for app in made:
            await app.close()


async def test_changed_grants_on_one_worker_drop_the_principal_cached_on_the_other(
    workers: tuple[Application, Application],
) -> None:
    a, b = workers
    assert (await b.pipeline.principal(ERIK)).name == "Erik Lund"  # cached on B for a few seconds
    async with a.engine.begin() as conn:
        await conn.execute(update(users).where(users.c.user_id == ERIK).values(name="Erik Lund-Berg"))

    forgotten = asyncio.Event()
    forget = b.pipeline.forget_principal

    def watched(user_id: str | None = None) -> None:
        forget(user_id)
        forgotten.set()

    b.pipeline.forget_principal = watched  # type: ignore[method-assign]
    await a.notifier.principal_changed(ERIK)  # what a change of grants or role tells every worker
    await asyncio.wait_for(forgotten.wait(), 10)
    assert (await b.pipeline.principal(ERIK)).name == "Erik Lund-Berg"
