"""The ``supportbot`` command: serve, migrate, seed, chat, nlu and notices."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from supportbot import __version__
from supportbot.adapters.logs import configure_logging
from supportbot.adapters.settings import Settings
from supportbot.bot.errors import ConfigurationError

if TYPE_CHECKING:
    from tqdm import tqdm

    from supportbot.adapters.app import Application


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
PRIVATE_DATA_COMMANDS = frozenset({"serve", "migrate", "seed", "chat", "nlu", "notices"})
"""The commands that open the data folder: their files are the server's own user's only."""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every option's help ends with its default (unless it names its default itself), and the
    epilog's example keeps its lines."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if (
            "(default" in text
            or not action.option_strings
            or action.default is None
            or action.default is False
            or action.default is argparse.SUPPRESS
        ):
            return text
        return f"{text} (default: %(default)s)"


def _example(*lines: str) -> str:
    return "Example:\n" + "\n".join(f"  {line}" for line in lines)


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str, *examples: str
) -> argparse.ArgumentParser:
    """A sub-command whose help shows every default and an example."""
    return sub.add_parser(
        name,
        help=help,
        description=help[:1].upper() + help[1:] + ".",
        epilog=_example(*examples),
        formatter_class=_HelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supportbot",
        description="A customer-support assistant.",
        epilog=_example(
            "supportbot serve --port 8080",
            "supportbot --log-level DEBUG chat --user anna.berg@nordisk.example",
        ),
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"supportbot {__version__}")
    parser.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=LOG_LEVELS,
        help="DEBUG, INFO, WARNING or ERROR",
    )
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        help="text lines, or one JSON object a line (default: SUPPORTBOT_LOG_FORMAT, else text)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = _command(
        sub,
        "serve",
        "run the assistant: web chat and every configured channel",
        "supportbot serve --host 0.0.0.0 --port 8080",
    )
    serve.add_argument("--host", help="address to listen on (default: SUPPORTBOT_HOST, else 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: SUPPORTBOT_PORT, else 8080)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes serving the port; more than one needs SUPPORTBOT_REDIS_URL and PostgreSQL",
    )
    serve.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)  # a worker of --workers
    serve.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)  # see _prepare_apart

    _command(
        sub,
        "migrate",
        "upgrade the database to the newest schema and say what was done",
        "SUPPORTBOT_DATABASE_URL=postgresql+asyncpg://supportbot@db/supportbot supportbot migrate",
    )

    seed = _command(
        sub,
        "seed",
        "add the demo data, and generated volume",
        "supportbot seed --orders 10000 --invoices 5000 --company 1000123",
    )
    seed.add_argument("--orders", type=int, default=0, help="generated orders to add")
    seed.add_argument("--invoices", type=int, default=0, help="generated invoices to add")
    seed.add_argument("--items", type=int, default=0, help="generated installed items to add")
    seed.add_argument("--seed", type=int, default=42, help="random seed: the same seed gives the same data")
    seed.add_argument(
        "--company", help="customer number to put the volume on (default: spread over all companies)"
    )

    chat = _command(
        sub,
        "chat",
        "talk to the assistant in this terminal",
        "supportbot chat --user anna.berg@nordisk.example",
        'echo "where is my order 4711?" | supportbot chat --json',
    )
    chat.add_argument("--user", help="the user id (e-mail) to talk as (default: none, you talk as a guest)")
    chat.add_argument(
        "--json",
        action="store_true",
        help="one message a stdin line, one JSON reply a line (default: lines of text, as a person reads them)",
    )

    manifest = _command(
        sub,
        "manifest",
        "write the Slack app manifest or build the Teams app package",
        "supportbot manifest slack --url https://support.vendor.example",
        "supportbot manifest teams --app-id 00000000-0000-0000-0000-000000000000 --out app.zip",
    )
    manifest_sub = manifest.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    slack = _command(
        manifest_sub,
        "slack",
        "print the Slack app manifest (YAML) for this server",
        "supportbot manifest slack --url https://support.vendor.example --out slack-manifest.yaml",
    )
    slack.add_argument("--url", required=True, help="the public https base URL of this server")
    slack.add_argument("--out", help="write to this file (default: standard output)")
    teams = _command(
        manifest_sub,
        "teams",
        "build the Teams app package (a zip)",
        "supportbot manifest teams --app-id 00000000-0000-0000-0000-000000000000 "
        "--url https://support.vendor.example",
    )
    teams.add_argument("--app-id", required=True, help="the bot's Microsoft app id")
    teams.add_argument("--out", default="app.zip", help="where to write the package")
    teams.add_argument(
        "--url", help="the public https base URL of this server, for valid domains (default: none listed)"
    )

    notices = _command(
        sub,
        "notices",
        "send the contract notices that are due (for cron)",
        "supportbot notices --run-once",
    )
    notices.add_argument(
        "--run-once",
        action="store_true",
        required=True,
        help="one pass, then exit; print how many were sent (required: the server sends them itself)",
    )

    nlu = _command(
        sub,
        "nlu",
        "show what the NLU makes of TEXT (or of every stdin line), as JSON",
        'supportbot nlu "where is my order 4711?"',
        "supportbot nlu < utterances.txt",
    )
    nlu.add_argument("text", nargs="*", help="the utterance (default: every line of standard input)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(args.log_level, args.log_format or "text")
    if args.command in PRIVATE_DATA_COMMANDS:
        os.umask(0o077)  # whatever else is written (a library's temporary file) is private as well
    try:
        settings = Settings()
        if args.log_format is None and settings.log_format != "text":
            configure_logging(args.log_level, settings.log_format)
        if args.command == "serve":
            if args.prepare_only:
                return asyncio.run(_prepare_only(settings))
            if args.workers != 1 and args.listen_fd is None:
                return _serve_workers(settings, args)
            return _serve(
                settings,
                host=args.host,
                port=args.port,
                listen_fd=args.listen_fd,
                log_options=_log_options(args),
            )
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "seed":
            return asyncio.run(
                _seed(settings, args.orders, args.invoices, args.items, args.seed, args.company)
            )
        if args.command == "chat":
            return asyncio.run(_chat(settings, args.user, args.json))
        if args.command == "manifest":
            return _manifest(args)
        if args.command == "nlu":
            return asyncio.run(_nlu(settings, " ".join(args.text)))
        if args.command == "notices":
            return asyncio.run(_notices(settings))
    except ConfigurationError as exc:
        print(f"supportbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def _log_options(args: argparse.Namespace) -> list[str]:
    """The command-line options a process ``serve`` starts is given to log as it does."""
    return ["--log-level", args.log_level, *(["--log-format", args.log_format] if args.log_format else [])]


def _serve_workers(settings: Settings, args: argparse.Namespace) -> int:
    from supportbot.adapters import teams
    from supportbot.adapters.workers import check_several_workers, serve_workers

    settings = settings.model_copy(
        update={"host": args.host or settings.host, "port": settings.port if args.port is None else args.port}
    )
    teams.check(settings)
    check_several_workers(settings, args.workers)
    options = _log_options(args)
    # Once, before any worker starts; asked in the process that does it, so this one, which stays for as
    # long as the workers serve, never opens the database (7 MB of its modules).
    if (code := _prepare_apart(settings, options, ask_here=False)) != 0:
        return code
    return serve_workers(settings, workers=args.workers, worker_args=options)


def _prepare_apart(settings: Settings, log_options: Sequence[str], *, ask_here: bool = True) -> int:
    """The database's first-start work, migrations and the demo data, done in a process of its own
    (``serve --prepare-only``) before the server builds anything; its exit code, 0 when done.

    Alembic, the seeding code and the holiday calendars the demo's dates are counted in would otherwise
    stay in a server's memory for as long as it runs (some 20 MB), although only its first start (or
    the first after an upgrade) used them. Whether there is anything to do is told without them (the
    database's revision, one row of the demo data), so every other start goes on at once (``ask_here``:
    asked in this process, before any other is started)."""
    if ask_here and not asyncio.run(start_up_work(settings)):
        return 0
    command = [sys.executable, "-m", "supportbot.adapters.cli", *log_options, "serve", "--prepare-only"]
    code = subprocess.run(command, check=False).returncode  # noqa: S603 (this program, as it was started)
    if code == 0:
        return 0
    how = f"exit code {code}" if code > 0 else f"signal {-code}"
    print(
        f"supportbot: the database could not be prepared for serving (the process preparing it ended with "
        f"{how}, its message above); nothing was started",
        file=sys.stderr,
    )
    return code if code > 0 else 1


async def start_up_work(settings: Settings) -> bool:
    """Whether the database has work for the start-up: migrations to run (where the server runs them)
    or the demo data to add. Asked with the database's modules alone, not the composition root's. A
    database not at the newest revision that the server must not migrate is left to
    ``app.prepare_database`` to refuse, and an in-memory SQLite database, one process's own, to its
    server to prepare."""
    from supportbot.integrations.private import private_folder
    from supportbot.integrations.sql.database import open_database
    from supportbot.integrations.sql.demo import demo_present
    from supportbot.integrations.sql.migrate import is_current

    if not settings.data_dir.exists():  # the SQLite file's folder; made private with all in it later
        private_folder(settings.data_dir)
    database = open_database(settings.resolved_database_url())
    try:
        if database.sqlite and database.engine.url.database in (None, "", ":memory:"):
            return False
        if not await is_current(database.engine):
            return database.sqlite or settings.migrate_on_start
        return settings.seed_demo and not await demo_present(database.engine)
    finally:
        await database.close()


async def _prepare_only(settings: Settings) -> int:
    """``serve --prepare-only``: what ``serve`` does to the database before it builds anything, when
    there is anything to do."""
    if await start_up_work(settings):
        from supportbot.adapters.app import prepare_data

        await prepare_data(settings)
    return 0


YOUNG_COLLECTION_THRESHOLD = 50_000
"""The collector's first threshold while serving (Python's default is 700): how many more container
objects allocated than freed before the youngest generation is collected. A turn's objects live for
the milliseconds it takes, longer than a few hundred allocations: at 700 many of them were moved to the
oldest generation before they died, which then filled up quickly enough for a full collection every
few seconds under load, each stopping the event loop for tens of milliseconds (100 ms on a busy
machine) with some hundred thousand objects to walk. At 50 000 they die young: 400 users asking every
2 s caused 3 full collections in a minute instead of 14, and a quarter of the collector's time."""


def freeze_long_lived() -> None:
    """What the process built to keep (at start-up: the NLU model, the libraries, the tables; after a
    reload: the new NLU) moved out of the collector's reach, so a full collection no longer walks it on
    every turn's way. Collected first: garbage is not frozen with it, to stay for good."""
    gc.collect()
    gc.freeze()


def collect_as_served(application: Application) -> None:
    """The collector as ``serve`` runs it: start-up's build frozen, and each NLU a reload swaps in too
    (tens of thousands of objects, which every later full collection walked again: 420 ms once), with
    the young generation's larger threshold."""
    freeze_long_lived()
    application.nlu.on_swap(freeze_long_lived)
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter: blocks at least this large get a mapping of their own."""
MMAP_THRESHOLD = 128 * 1024


def _give_back_large_blocks() -> None:
    """Large blocks (a sign-in's password hash takes 16 MB, on a worker thread) get a mapping of their own,
    returned to the system once freed. Left to itself glibc raises that threshold after the first such
    block, and then keeps every later one in a thread's heap for good: about 120 KB of a worker's memory
    per sign-in that never comes back. Elsewhere than glibc this does nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        return


def _serve(
    settings: Settings,
    *,
    host: str | None,
    port: int | None,
    listen_fd: int | None = None,
    log_options: Sequence[str] = (),
) -> int:
    """One worker: on its own port, or (``listen_fd``) on the socket its ``--workers`` parent bound, which
    prepared the database before it started any."""
    import socket

    from aiohttp import web

    from supportbot.adapters import teams
    from supportbot.adapters.app import build_application
    from supportbot.adapters.logs import install_request_data_redaction
    from supportbot.adapters.server import create_web_app

    # The address given here is the one every channel's checks see (Teams' emulator mode needs loopback).
    settings = settings.model_copy(
        update={"host": host or settings.host, "port": settings.port if port is None else port}
    )
    teams.check(settings)
    install_request_data_redaction()  # before anything listens: a bad request's headers never reach the log
    _give_back_large_blocks()

    async def make() -> web.Application:
        application = await build_application(settings)
        web_app = create_web_app(application)
        collect_as_served(application)
        return web_app

    settings.resolved_secret_key()  # a missing-strength key stops the start before anything listens
    if listen_fd is not None:
        from supportbot.adapters.workers import PARENT, watch_parent

        watching: list[asyncio.Task[None]] = []

        async def worker() -> web.Application:
            web_app = await make()

            async def serving(app: web.Application) -> None:
                logging.getLogger(__name__).info("worker pid %d serving", os.getpid())
                if (parent := os.environ.get(PARENT)) is not None:
                    watching.append(asyncio.get_running_loop().create_task(watch_parent(int(parent))))

            web_app.on_startup.append(serving)
            return web_app

        web.run_app(worker(), sock=socket.socket(fileno=listen_fd), print=None, access_log=None)
        return 0
    if (code := _prepare_apart(settings, log_options)) != 0:
        return code
    logging.getLogger(__name__).info("web chat on http://%s:%d/", settings.host, settings.port)
    web.run_app(make(), host=settings.host, port=settings.port, print=None, access_log=None)
    return 0


async def _migrate(settings: Settings) -> int:
    """Whatever ``migrate_on_start`` says: this is the step that runs the migrations."""
    from supportbot.integrations.sql.database import open_database
    from supportbot.integrations.sql.migrate import migrate

    database = open_database(settings.resolved_database_url())
    try:
        async with database.migrating() as engine:
            print((await migrate(engine)).describe())
    finally:
        await database.close()
    return 0


async def _seed(
    settings: Settings, orders: int, invoices: int, items: int, seed: int, company: str | None
) -> int:
    from tqdm import tqdm

    from supportbot.adapters.app import prepare_database
    from supportbot.integrations.sql.database import open_database
    from supportbot.integrations.sql.demo import demo_today
    from supportbot.integrations.sql.seed import seed_demo, seed_volume

    database = open_database(settings.resolved_database_url())
    engine = database.engine
    try:
        await prepare_database(database, settings)
        added = await seed_demo(engine, today=demo_today())
        print("demo data added" if added else "demo data already present", file=sys.stderr)
        for label, count, n_orders, n_invoices, n_items in (
            ("orders", orders, orders, 0, 0),
            ("invoices", invoices, 0, invoices, 0),
            ("items", items, 0, 0, items),
        ):
            if count <= 0:
                continue
            with contextlib.ExitStack() as stack:
                if sys.stderr.isatty():
                    bar = stack.enter_context(
                        tqdm(total=count, unit=f" {label}", desc=label, file=sys.stderr)
                    )
                    progress = _bar_progress(bar)
                else:
                    progress = _line_progress(label, count)
                await seed_volume(
                    engine,
                    orders=n_orders,
                    invoices=n_invoices,
                    items=n_items,
                    seed=seed,
                    company=company,
                    progress=progress,
                )
    finally:
        await database.close()
    return 0


def _bar_progress(bar: tqdm[Any]) -> Callable[[int], None]:
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        bar.update(n - done)
        done = n

    return progress


def _line_progress(label: str, total: int) -> Callable[[int], None]:
    """Without a terminal (a log, CI): a line at every tenth of the way, and at the end."""
    next_mark = 0

    def progress(n: int) -> None:
        nonlocal next_mark
        if n >= next_mark or n >= total:
            print(f"{label}: {n}/{total}", file=sys.stderr, flush=True)
            next_mark = n + max(1, total // 10)

    return progress


async def _chat(settings: Settings, user: str | None, json_mode: bool) -> int:
    from supportbot.adapters.app import build_application
    from supportbot.adapters.console import ConsoleChannel

    app = await build_application(settings)
    try:
        user_id = None
        if user:
            principal = await app.backends.directory.principal_for(user)
            if principal is None:
                print(f"supportbot: no user {user!r}", file=sys.stderr)
                return 2
            user_id = principal.user_id
        return await ConsoleChannel(app.pipeline, json_mode=json_mode).run(user_id=user_id)
    finally:
        await app.close()


def _manifest(args: argparse.Namespace) -> int:
    """The app manifests live with their channels' adapters."""
    if args.platform == "slack":
        from supportbot.adapters.slack.manifest import write_slack_manifest

        return write_slack_manifest(url=args.url, out=args.out)
    from supportbot.adapters.teams.manifest import build_teams_package

    return build_teams_package(app_id=args.app_id, out=args.out, url=args.url)


async def _nlu(settings: Settings, text: str) -> int:
    from supportbot.adapters.app import build_application

    app = await build_application(settings)
    try:
        today = date.today()
        lines = [text] if text else (line.rstrip("\r\n") for line in sys.stdin)
        for line in lines:
            parse = app.nlu.parse(line, today=today)
            print(json.dumps(parse.as_json(), ensure_ascii=False), flush=True)
    finally:
        await app.close()
    return 0


async def _notices(settings: Settings) -> int:
    """One pass over the contract notices, reaching people in every configured channel as ``serve``
    does; the mail is queued and delivered before the command exits."""
    from supportbot.adapters.app import build_application
    from supportbot.adapters.channels import build_channels
    from supportbot.integrations.errors import BackendError

    app = await build_application(settings)
    try:
        for channel in build_channels(app):
            app.notifier.add_channel(channel.name, channel.deliver)
        assert app.contract_notices is not None
        try:
            done = await app.contract_notices.run_once()
        except BackendError as exc:
            print(
                f"supportbot: the directory could not be read ({type(exc).__name__}); nothing was sent",
                file=sys.stderr,
            )
            return 1
        print(f"{done.sent} contract notices sent, {done.mailed} mailed")
        if done.failed:
            print(
                f"supportbot: {done.failed} users' contracts could not be read; the next pass tries again",
                file=sys.stderr,
            )
    finally:
        await app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
