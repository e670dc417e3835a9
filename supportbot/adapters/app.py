"""The composition root: builds the whole assistant from settings and hands each part what it needs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from supportbot.adapters.agents.requests import announced
from supportbot.adapters.agents.review import REVIEW_TOPIC
from supportbot.adapters.ops import Metrics
from supportbot.adapters.settings import Settings
from supportbot.bot.bus import PRINCIPALS_TOPIC, InProcessBus, MessageBus
from supportbot.bot.dialog import DialogEngine
from supportbot.bot.errors import ConfigurationError
from supportbot.bot.files import FileService
from supportbot.bot.handoff import Handoffs, OfficeHours
from supportbot.bot.identity import IdentityResolver
from supportbot.bot.learning import LearnedNLU, Learning
from supportbot.bot.limits import Limits
from supportbot.bot.locks import ConversationLocks, KeyedLocks
from supportbot.bot.nlu import NLU
from supportbot.bot.notify import Notifier
from supportbot.bot.pipeline import Pipeline
from supportbot.bot.sessions import Lifetime, Sessions
from supportbot.bot.spec import IntentSpec, Mailer
from supportbot.bot.store import SqlLimits, SqlSessionStore, Store
from supportbot.integrations.mail import OutboxMailer, SmtpMailer
from supportbot.integrations.outbox import MailTransport, QueuedMailer
from supportbot.integrations.private import private_folder, private_tree
from supportbot.integrations.protocols import Backends
from supportbot.integrations.sql.backend import sql_backends
from supportbot.integrations.sql.database import AsyncEngine, Database, open_database
from supportbot.integrations.sql.demo import demo_present, demo_today
from supportbot.integrations.sql.migrate import Migration, is_current, migrate
from supportbot.integrations.sql.outbox import MailOutbox
from supportbot.intents import all_intents
from supportbot.services.notices import ContractNotices
from supportbot.services.outcomes import forward_outcomes

log = logging.getLogger(__name__)


def _no_backends(backends: Backends, readers: AsyncEngine) -> None:
    """A family that works with the built-in back ends only."""


@dataclass(frozen=True)
class Family:
    """An intent family added to the built-in ones (``build_application(families=...)``).

    ``backends`` adds the family's own back ends (``Backends.extend``), given the engine the SQL back
    ends read through, before any intent is asked.
    """

    intents: Sequence[IntentSpec]
    backends: Callable[[Backends, AsyncEngine], None] = _no_backends


@dataclass
class Application:
    settings: Settings
    database: Database
    store: Store
    backends: Backends
    intents: list[IntentSpec]
    nlu: LearnedNLU
    """The NLU with this deployment's own examples; ``nlu.reload()`` swaps in a new one."""
    pipeline: Pipeline
    files: FileService
    mailer: Mailer
    secret_key: bytes
    bus: MessageBus
    notifier: Notifier
    identity: IdentityResolver
    """Links a Slack or Teams person to the one user id (by the e-mail the channel verified)."""
    handoffs: Handoffs
    """The queue of conversations handed to agents (``bot.handoff``)."""
    sessions: Sessions
    """Signed-in sessions of the web chat and the agent console, kept in the database."""
    limits: Limits
    """Rate limits every worker shares (sign-in, registration, resets, uploads, chat messages)."""
    outbox: QueuedMailer | None = None
    """The persisted mail queue behind ``mailer``; its delivery task stops in ``close``."""
    metrics: Metrics = field(default_factory=Metrics)
    """This worker's Prometheus metrics (``adapters.ops``), fed by the pipeline's turns."""
    shared_ready: Callable[[], Awaitable[bool]] | None = None
    """With Redis (``redis_url``): whether it answers, for ``/readyz``. ``None`` in one process."""
    closing: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Closed last by ``close``: the bus and the Redis connections."""
    contract_notices: ContractNotices | None = None
    """Tells users of contracts that end soon or wait for them (``services.notices``): one pass per
    ``run_once``, run by ``serve`` on an interval and by ``supportbot notices --run-once``."""

    @property
    def engine(self) -> AsyncEngine:
        """The database's engine, for writes."""
        return self.database.engine

    @property
    def readers(self) -> AsyncEngine:
        """What the back end and the store read through (see ``Database``)."""
        return self.database.readers

    async def close(self) -> None:
        if self.outbox is not None:
            await self.outbox.close()
        await self.nlu.close()
        if isinstance(self.limits, SqlLimits):
            await self.limits.settled()  # the events of its last second, before the store closes
        await self.store.close()
        await self.database.close()
        for close in self.closing:
            await close()


async def prepare_database(database: Database, settings: Settings) -> Migration | None:
    """Brings the database to the newest schema before anything uses it.

    SQLite, the embedded default, always migrates itself. PostgreSQL does too unless
    ``migrate_on_start`` is off (migrations then run as their own step, ``supportbot migrate``):
    a database not at the newest revision then stops the start instead of being used half-made.
    """
    if database.sqlite or settings.migrate_on_start:
        async with database.migrating() as engine:
            migration = await migrate(engine)
        log.log(
            logging.INFO if migration.applied or migration.adopted else logging.DEBUG, migration.describe()
        )
        return migration
    if not await is_current(database.engine):
        raise ConfigurationError(
            "the database is not at the newest schema revision: run `supportbot migrate` first "
            "(or set SUPPORTBOT_MIGRATE_ON_START=true)"
        )
    return None


async def seed_demo_if_missing(engine: AsyncEngine, settings: Settings, today: date | None = None) -> None:
    """The demo data, when ``seed_demo`` is on and they are not there yet. What writes them (and the
    holiday calendars their dates are counted in) is loaded only then."""
    if not settings.seed_demo or await demo_present(engine):
        return
    from supportbot.integrations.sql.seed import seed_demo

    if await seed_demo(engine, today=today or demo_today()):
        log.info("seeded the demo data")


async def prepare_data(settings: Settings) -> None:
    """What ``build_application`` does to the database before it builds anything: the data folder made
    private, the database migrated (``prepare_database``), the demo data added when missing. ``serve``
    has it done in a process of its own when there is anything to do (``cli.start_up_work``)."""
    await asyncio.to_thread(_private_data_dir, settings)
    database = open_database(settings.resolved_database_url())
    try:
        await prepare_database(database, settings)
        await seed_demo_if_missing(database.engine, settings)
    finally:
        await database.close()


def _private_data_dir(settings: Settings) -> None:
    """The data folder 0700 and everything in it 0600, whatever an earlier version or umask left."""
    tightened = private_tree(settings.data_dir)
    if not tightened:
        private_folder(settings.data_dir)  # created if missing
        return
    log.warning(
        "%d folder(s) and file(s) in %s could be read by other users of this machine; now the folders are "
        "0700 and the files 0600",
        len(tightened),
        settings.data_dir,
    )


def office_hours(settings: Settings) -> OfficeHours:
    """When agents take chats: the configured hours, or every hour of every day (holidays too) when
    ``agents_around_the_clock`` is set, as the demo runs."""
    if settings.agents_around_the_clock:
        return OfficeHours.parse("", zone=settings.timezone)
    return OfficeHours.parse(settings.office_hours, days=settings.office_days, zone=settings.timezone)


def _mailer(settings: Settings) -> MailTransport:
    """The transport queued mail goes out through: SMTP when configured, else .eml files."""
    if settings.smtp_url is not None:
        return SmtpMailer(settings.smtp_url.get_secret_value(), sender=settings.mail_from)
    return OutboxMailer(settings.data_dir / "outbox", sender=settings.mail_from)


@dataclass
class Shared:
    """What the workers of one deployment share: in one process's memory (and the database's limits),
    or in Redis when ``redis_url`` is set."""

    bus: MessageBus
    locks: ConversationLocks
    limits: Limits
    ready: Callable[[], Awaitable[bool]] | None = None
    closing: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


async def _shared(settings: Settings, store: Store, readers: AsyncEngine) -> Shared:
    if settings.redis_url is None:
        return Shared(InProcessBus(), KeyedLocks(), SqlLimits(readers, write=store.write))
    # Only a deployment that shares its workers through Redis loads its client (megabytes of modules).
    from supportbot.bot.redis import Outage, RedisBus, RedisLimits, RedisLocks, reachable
    from supportbot.bot.redis import connect as connect_redis

    client = connect_redis(settings.redis_url.get_secret_value())
    if not await reachable(client):
        await client.aclose()
        raise ConfigurationError(
            "Redis (SUPPORTBOT_REDIS_URL) does not answer: start it, or check the address and password"
        )
    prefix = settings.redis_prefix
    bus = RedisBus(client, prefix=prefix)

    async def ready() -> bool:
        return await reachable(client)

    async def close_client() -> None:
        await client.aclose()

    outage = Outage()  # one warning when Redis stops answering the locks and limits, one when it is back
    locks = RedisLocks(client, prefix=prefix, outage=outage)
    return Shared(
        bus,
        locks,
        RedisLimits(client, prefix=prefix, outage=outage),
        ready=ready,
        closing=[bus.close, locks.close, close_client],
    )


async def build_application(
    settings: Settings,
    *,
    today: date | None = None,
    clock: Any = None,
    families: Sequence[Family] = (),
) -> Application:
    """The whole assistant; ``families`` adds intent families, with their own back ends, to the built-in ones."""
    url = settings.resolved_database_url()
    await asyncio.to_thread(_private_data_dir, settings)
    secret_key = settings.resolved_secret_key()
    database = open_database(url)
    await prepare_database(database, settings)
    engine, readers = database.engine, database.readers
    store = Store(
        engine,
        # Several workers: another may have answered the conversation's last turn, so it is read each time.
        cache_size=0 if settings.redis_url is not None else settings.state_cache_size,
        reader=readers,
    )
    await seed_demo_if_missing(engine, settings, today)
    transport = _mailer(settings)
    outbox = QueuedMailer(
        MailOutbox(engine),
        transport,
        retry_seconds=settings.mail_retry_seconds,
        give_up=timedelta(hours=settings.mail_give_up_hours),
        immediate=isinstance(transport, OutboxMailer),  # a file write: done before the reply
    )
    # An action's mail (a request's confirmation) is queued in the back end's own transaction.
    # The back ends count "today" on the clock the turns are answered by, so they agree on the day.
    backends = sql_backends(readers, clock=clock, outbox=outbox)
    for family in families:
        family.backends(backends, readers)
    intents = all_intents([spec for family in families for spec in family.intents])
    directory = backends.directory

    async def build_nlu(examples: Mapping[str, Sequence[str]]) -> NLU:
        """An NLU with the deployment's examples, built on a thread: a turn never waits for it."""
        sites = await directory.all_site_names()
        return await asyncio.to_thread(lambda: NLU(intents, site_names=sites, extra_examples=examples))

    nlu = await LearnedNLU.start(build=build_nlu, rows=store.misses, check_seconds=settings.nlu_check_seconds)
    files = FileService(
        store,
        secret_key=secret_key,
        public_url=settings.public_url,
        ttl=timedelta(minutes=settings.link_ttl_minutes),
    )
    mailer: Mailer = outbox
    shared = await _shared(settings, store, readers)
    bus = shared.bus
    backends.requests = announced(backends.requests, bus)  # new requests reach the agent consoles live
    notifier = Notifier(store, bus)
    # A forward's history says when it was sent; one given up on is told to who asked for it.
    outbox.on_outcome(forward_outcomes(backends.invoices, directory=backends.directory, notices=notifier))
    limits = shared.limits

    async def agent_name(user_id: str) -> str | None:
        agent = await directory.principal_for(user_id)
        return agent.name if agent is not None else None

    handoffs = Handoffs(
        store,
        bus,
        locks=shared.locks,
        office_hours=office_hours(settings),
        clock=clock,
        outside=notifier.deliver,  # agents' lines reach Slack and Teams customers
        limits=limits,  # guests' requests for a person
        names=agent_name,  # customers know an agent by their first name
    )
    dialog = DialogEngine(
        intents,
        backends=backends,
        files=files,
        mailer=mailer,
        public_url=settings.public_url,
        support_email=settings.support_email,
        handoffs=handoffs,
        notices=notifier,
        limits=limits,
    )
    pipeline = Pipeline(
        store=store,
        nlu=nlu,
        dialog=dialog,
        directory=backends.directory,
        clock=clock,
        handoffs=handoffs,
        learning=Learning(nlu),
    )

    async def forget_principal(message: dict[str, Any]) -> None:
        pipeline.forget_principal(str(message["user_id"]))

    await bus.subscribe(PRINCIPALS_TOPIC, forget_principal)  # changed grants take effect at once
    if settings.redis_url is not None:

        async def examples_changed(message: dict[str, Any]) -> None:
            if message.get("assigned") is not None:
                await nlu.refresh()  # another worker's agent taught the NLU: no wait for the next check

        await bus.subscribe(REVIEW_TOPIC, examples_changed)
    await outbox.start()  # delivers queued mail, beginning with what an earlier run left pending
    app = Application(
        settings=settings,
        database=database,
        store=store,
        backends=backends,
        intents=intents,
        nlu=nlu,
        pipeline=pipeline,
        files=files,
        mailer=mailer,
        secret_key=secret_key,
        bus=bus,
        notifier=notifier,
        identity=IdentityResolver(backends.directory),
        handoffs=handoffs,
        sessions=Sessions(
            SqlSessionStore(readers, clock=clock),
            bus,
            lifetimes={
                "web": Lifetime(
                    idle=timedelta(minutes=settings.session_idle_minutes),
                    absolute=timedelta(hours=settings.session_lifetime_hours),
                ),
                "agent": Lifetime(
                    idle=timedelta(minutes=settings.agent_session_idle_minutes),
                    absolute=timedelta(hours=settings.agent_session_lifetime_hours),
                ),
            },
            clock=clock,
        ),
        limits=limits,
        outbox=outbox,
        shared_ready=shared.ready,
        closing=shared.closing,
        contract_notices=ContractNotices(
            directory=backends.directory,
            contracts=backends.contracts,
            notices=notifier,
            claims=store.notices,
            mail=outbox,
            public_url=settings.public_url,
            days=settings.contract_notice_days,
            clock=clock,
        ),
    )
    pipeline.observers.append(app.metrics.turn)
    return app
