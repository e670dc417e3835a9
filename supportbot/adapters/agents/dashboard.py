"""The support managers' dashboard at /agents/dashboard: figures over a period, charts, a table, CSV.

Only a support administrator (``Principal.is_support_admin``) reads the figures, signed in with the
agent console's cookie and checked the console's way on every request: no session 401, an agent
without the role 403. The page itself is plain files like the console's; its script asks
``/agents/api/dashboard`` for the figures and the words of the page, in the agent's language
(``lang``, else the browser's, else English), and draws its charts as inline SVG itself.

Days run from midnight to midnight in ``SUPPORTBOT_TIMEZONE`` (the office hours' zone); weeks from
Monday. The figures come from ``bot.store.stats``, which says where each is kept.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from supportbot.adapters.app import Application
from supportbot.adapters.web.handlers import asset, page
from supportbot.adapters.web.security import NO_STORE, json_response
from supportbot.adapters.webchat.wording import accept_language, pick_language
from supportbot.bot.i18n import LANGUAGES, Entry, translate, words
from supportbot.bot.store.stats import ALL, MAX_DAYS, DayFigures, Figures, Period, StatsRows, percentile
from supportbot.integrations.models import Principal

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
DEFAULT_DAYS = 28
"""The period shown first: the last four weeks, today included."""
TOP_INTENTS = 10
_ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula: such a cell gets a leading apostrophe."""

COLUMNS = (
    "conversations",
    "contained",
    "containment",
    "handed_off",
    "handoff_rate",
    "handoffs",
    "taken",
    "wait_median",
    "wait_p90",
    "requests",
    "answered_in_time",
    "answered_late",
    "unanswered",
    "in_time_rate",
    "misses",
    "not_understood",
)
"""The figures of a row, in the table's and the CSV's order."""

WORDS: dict[str, Entry] = {
    "title": {"en": "Support dashboard", "sv": "Supportöversikt"},
    "signed_in": {"en": "Signed in as {name}", "sv": "Inloggad som {name}"},
    "console": {"en": "Agent console", "sv": "Agentkonsolen"},
    "language": {"en": "Language", "sv": "Språk"},
    "from": {"en": "From", "sv": "Från"},
    "to": {"en": "To", "sv": "Till"},
    "by": {"en": "Per", "sv": "Per"},
    "day": {"en": "Day", "sv": "Dag"},
    "week": {"en": "Week", "sv": "Vecka"},
    "channel": {"en": "Channel", "sv": "Kanal"},
    "all_channels": {"en": "All channels", "sv": "Alla kanaler"},
    "channel.web": {"en": "Web chat", "sv": "Webbchatt"},
    "channel.slack": {"en": "Slack", "sv": "Slack"},
    "channel.teams": {"en": "Microsoft Teams", "sv": "Microsoft Teams"},
    "channel.directline": {"en": "Direct Line", "sv": "Direct Line"},
    "show": {"en": "Show", "sv": "Visa"},
    "export": {"en": "Download CSV", "sv": "Ladda ner CSV"},
    "zone_note": {
        "en": "Days run from midnight to midnight in {zone}; weeks begin on Monday.",
        "sv": "Dagarna räknas från midnatt till midnatt i {zone}; veckorna börjar på måndag.",
    },
    "requests_note": {
        "en": "Requests carry no channel: they are counted under all channels only.",
        "sv": "Ärenden har ingen kanal: de räknas bara under alla kanaler.",
    },
    "wait_note": {
        "en": "Waiting time: from joining the queue until an agent took the conversation.",
        "sv": "Väntetid: från att kunden ställdes i kön tills en agent tog samtalet.",
    },
    "totals": {"en": "The period in figures", "sv": "Perioden i siffror"},
    "table": {"en": "Figures per period and channel", "sv": "Siffror per period och kanal"},
    "start": {"en": "Period", "sv": "Period"},
    "week_of": {"en": "Week of {date}", "sv": "Veckan från {date}"},
    "conversations": {"en": "Conversations", "sv": "Samtal"},
    "contained": {"en": "Without a person", "sv": "Utan person"},
    "containment": {"en": "Containment", "sv": "Andel utan person"},
    "handed_off": {"en": "Handed to a person", "sv": "Till en person"},
    "handoff_rate": {"en": "Handoff rate", "sv": "Andel till person"},
    "handoffs": {"en": "Handoffs", "sv": "Överlämningar"},
    "taken": {"en": "Taken by an agent", "sv": "Tagna av en agent"},
    "wait_median": {"en": "Median wait", "sv": "Väntetid, median"},
    "wait_p90": {"en": "90th percentile wait", "sv": "Väntetid, 90:e percentilen"},
    "requests": {"en": "Requests", "sv": "Ärenden"},
    "answered_in_time": {"en": "Answered within the business day", "sv": "Besvarade inom arbetsdagen"},
    "answered_late": {"en": "Answered later", "sv": "Besvarade senare"},
    "unanswered": {"en": "Not answered yet", "sv": "Ännu inte besvarade"},
    "in_time_rate": {"en": "Within the business day", "sv": "Inom arbetsdagen"},
    "misses": {"en": "Messages missed", "sv": "Missade meddelanden"},
    "not_understood": {"en": "Not understood", "sv": "Inte förstådda"},
    "other_misses": {"en": "Understood with doubt", "sv": "Förstådda med tvekan"},
    "chart.conversations": {"en": "Conversations", "sv": "Samtal"},
    "chart.waits": {"en": "Waiting time for an agent", "sv": "Väntetid på en agent"},
    "chart.requests": {"en": "Requests by when they were answered", "sv": "Ärenden efter när de besvarades"},
    "chart.misses": {"en": "Messages the assistant missed", "sv": "Meddelanden som assistenten missade"},
    "chart.intents": {"en": "Top intents", "sv": "Vanligaste avsikterna"},
    "intent": {"en": "Intent", "sv": "Avsikt"},
    "answers": {"en": "Answers", "sv": "Svar"},
    "intent.none": {"en": "Not understood", "sv": "Inte förstått"},
    "seconds": {"en": "{n} s", "sv": "{n} s"},
    "minutes": {"en": "{n} min", "sv": "{n} min"},
    "nothing": {"en": "Nothing in this period.", "sv": "Inget under perioden."},
    "loading": {"en": "Loading the figures…", "sv": "Hämtar siffrorna…"},
    "sign_in_first": {
        "en": "Sign in to the agent console first.",
        "sv": "Logga in i agentkonsolen först.",
    },
    "admins_only": {
        "en": "Only support administrators see the dashboard.",
        "sv": "Bara supportadministratörer ser översikten.",
    },
    "bad_period": {
        "en": "Choose a period of 1 to 366 days, the first day before the last.",
        "sv": "Välj en period på 1 till 366 dagar, den första dagen före den sista.",
    },
    "unavailable": {
        "en": "The figures could not be read just now. Try again in a moment.",
        "sv": "Siffrorna gick inte att läsa just nu. Försök igen om en stund.",
    },
}
words(WORDS, prefix="dashboard.")


def _word(key: str, language: str, **params: Any) -> str:
    return translate(f"dashboard.{key}", language, **params)


class Dashboard:
    """The dashboard's page, its figures as JSON and as CSV; ``agent`` is the console's check."""

    def __init__(
        self,
        stats: StatsRows,
        *,
        timezone: str,
        agent: Callable[[web.Request], Awaitable[Principal | None]],
        today: Callable[[ZoneInfo], date] | None = None,
    ) -> None:
        self.stats = stats
        self.zone = ZoneInfo(timezone)
        self.agent = agent
        self._today = today or (lambda zone: datetime.now(zone).date())

    @classmethod
    def of(
        cls, app: Application, *, agent: Callable[[web.Request], Awaitable[Principal | None]]
    ) -> Dashboard:
        """The application's dashboard: its database, days in its office hours' time zone."""
        return cls(StatsRows(app.engine), timezone=app.settings.timezone, agent=agent)

    async def _admin(self, request: web.Request) -> Principal | web.Response:
        """The signed-in support administrator, or the refusal: 401 signed out, 403 any other agent."""
        agent = await self.agent(request)
        language = self._language(request, None)
        if agent is None:
            return _problem(401, "sign_in", _word("sign_in_first", language))
        if not agent.is_support_admin:
            log.info("dashboard: refused agent %s without the support administrator role", agent.user_id)
            return _problem(403, "forbidden", _word("admins_only", language))
        return agent

    def _language(self, request: web.Request, agent: Principal | None) -> str:
        asked = request.query.get("lang", "")
        if asked in LANGUAGES:
            return asked
        header = request.headers.get("Accept-Language")
        if header:
            return pick_language(accept_language(header))
        return agent.locale if agent is not None and agent.locale in LANGUAGES else LANGUAGES[0]

    def _period(self, request: web.Request) -> Period | None:
        """``from`` and ``to`` (ISO dates, both included), by default the last ``DEFAULT_DAYS`` days."""
        today = self._today(self.zone)
        try:
            last = date.fromisoformat(request.query["to"]) if "to" in request.query else today
            first = (
                date.fromisoformat(request.query["from"])
                if "from" in request.query
                else last - timedelta(days=DEFAULT_DAYS - 1)
            )
            return Period(first, last, self.zone)
        except ValueError:
            return None

    async def _figures(self, request: web.Request) -> tuple[Principal, str, Figures] | web.Response:
        admin = await self._admin(request)
        if isinstance(admin, web.Response):
            return admin
        language = self._language(request, admin)
        period = self._period(request)
        if period is None:
            return _problem(400, "bad_period", _word("bad_period", language))
        try:
            figures = await self.stats.figures(period)
        except Exception:
            log.exception("dashboard: the figures could not be read")
            return _problem(503, "unavailable", _word("unavailable", language))
        return admin, language, figures

    async def figures(self, request: web.Request) -> web.Response:
        """The figures per day and per week, each for every channel and per channel, with the top
        intents and the page's words in the agent's language."""
        found = await self._figures(request)
        if isinstance(found, web.Response):
            return found
        admin, language, figures = found
        period = figures.period
        totals = DayFigures(period.first, ALL)
        for f in figures.days:
            if f.channel == ALL:
                totals.add(f)
        return json_response(
            {
                "admin": {"id": admin.user_id, "name": admin.name},
                "language": language,
                "zone": period.zone.key,
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
                "max_days": MAX_DAYS,
                "channels": figures.channels,
                "totals": _row(totals),
                "day": [_row(f) for f in figures.days],
                "week": [_row(f) for f in figures.by_week()],
                "intents": [
                    {"intent": name, "count": counts[ALL], "channels": {c: n for c, n in counts.items() if c}}
                    for name, counts in list(figures.intents.items())[:TOP_INTENTS]
                ],
                "words": {key: str(WORDS[key][language]) for key in WORDS},  # the page fills in {…}
            }
        )

    async def csv(self, request: web.Request) -> web.StreamResponse:
        """The table as CSV: a row per day (or week, ``by=week``) and channel, all channels first;
        waits in seconds, rates as fractions. A download with a fixed, safe file name."""
        found = await self._figures(request)
        if isinstance(found, web.Response):
            return found
        _, language, figures = found
        by = "week" if request.query.get("by") == "week" else "day"
        rows = figures.by_week() if by == "week" else figures.days
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [_word("start", language), _word("channel", language)]
            + [_word(c, language) + (" (s)" if c.startswith("wait_") else "") for c in COLUMNS]
        )
        for f in rows:
            values = _row(f)
            channel = _word("all_channels", language) if f.channel == ALL else f.channel
            writer.writerow(
                [safe_cell(f.day.isoformat()), safe_cell(channel)]
                + [safe_cell("" if values[c] is None else str(values[c])) for c in COLUMNS]
            )
        name = f"supportbot-dashboard-{by}-{figures.period.first:%Y%m%d}-{figures.period.last:%Y%m%d}.csv"
        return web.Response(
            body=out.getvalue().encode("utf-8-sig"),
            headers={
                **NO_STORE,
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{name}"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    def mount(self, web_app: web.Application, *, policy: str) -> None:
        router = web_app.router
        for name, content_type in _ASSETS.items():
            router.add_get(f"/agents/{name}", asset(STATIC / name, content_type))
        router.add_get("/agents/dashboard", page(STATIC / "dashboard.html", policy=policy))
        router.add_get("/agents/api/dashboard", self.figures)
        router.add_get("/agents/api/dashboard.csv", self.csv)


def safe_cell(value: str) -> str:
    """A cell no spreadsheet runs as a formula: one that begins like one gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _row(f: DayFigures) -> dict[str, Any]:
    median, p90 = percentile(f.waits, 0.5), percentile(f.waits, 0.9)
    return {
        "start": f.day.isoformat(),
        "channel": f.channel,
        "conversations": f.conversations,
        "contained": f.contained,
        "containment": _rate(f.contained, f.conversations),
        "handed_off": f.handed_off,
        "handoff_rate": _rate(f.handed_off, f.conversations),
        "handoffs": f.handoffs,
        "taken": f.taken,
        "wait_median": None if median is None else round(median),
        "wait_p90": None if p90 is None else round(p90),
        "requests": f.requests,
        "answered_in_time": f.answered_in_time,
        "answered_late": f.answered_late,
        "unanswered": f.unanswered,
        "in_time_rate": _rate(f.answered_in_time, f.requests),
        "misses": f.misses,
        "not_understood": f.not_understood,
    }


def _problem(status: int, error: str, message: str) -> web.Response:
    return json_response({"error": error, "message": message}, status=status)
