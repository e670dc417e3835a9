"""The Teams app package: manifest.json (from manifest/teams/), its Swedish localization file and the
two icons, zipped at the root.

The command list in the template is a promise: ``COMMANDS`` says which intent answers each command,
and the tests hold the template, this table and the NLU to it.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "manifest" / "teams"
ICONS = {"color.png": 192, "outline.png": 32}
LOCALIZATIONS = ("sv-se.json",)
"""Teams shows the app's name, description and commands in the user's language from these."""

COMMANDS = {
    "help": "smalltalk.help",
    "order status": "order.status",
    "my orders": "order.search",
    "my invoices": "invoice.list",
    "my requests": "request.status",
    "talk to a person": "handoff.agent",
}
"""Each command the manifest offers and the intent it reaches."""

COMMANDS_SV = {
    "hjälp": "smalltalk.help",
    "status på order": "order.status",
    "mina ordrar": "order.search",
    "mina fakturor": "invoice.list",
    "mina ärenden": "request.status",
    "prata med en person": "handoff.agent",
}
"""The same commands as Swedish-speaking users see them (``sv-se.json``), in the same order."""

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DEFAULT_URL = "https://supportbot.example"


class ManifestError(ValueError):
    pass


def _fill(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, new in replacements.items():
            value = value.replace(key, new)
        return value
    if isinstance(value, list):
        return [_fill(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, replacements) for key, item in value.items()}
    return value


def build_manifest(*, app_id: str, url: str | None, template_dir: Path = TEMPLATE_DIR) -> dict[str, Any]:
    """The manifest for this bot: the template with the app id, the base URL and its valid domain."""
    if not _GUID.fullmatch(app_id):
        raise ManifestError(f"--app-id must be the bot's Microsoft app id, a GUID, not {app_id!r}")
    base = (url or DEFAULT_URL).rstrip("/")
    parts = urlsplit(base)
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(f"--url must be an https URL, not {url!r}")
    template = json.loads((template_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest = _fill(copy.deepcopy(template), {"{{APP_ID}}": app_id.lower(), "{{BASE_URL}}": base})
    manifest["validDomains"] = [parts.hostname] if url else []
    for bot in manifest.get("bots", []):
        bot["supportsFiles"] = True  # the adapter downloads files sent in a personal chat
    return dict(manifest)


def build_teams_package(*, app_id: str, out: str, url: str | None) -> int:
    """Writes the zip Teams imports (manifest.json, color.png, outline.png); the exit code."""
    try:
        manifest = build_manifest(app_id=app_id, url=url)
    except ManifestError as exc:
        print(f"supportbot: {exc}", file=sys.stderr)
        return 2
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in (*ICONS, *LOCALIZATIONS):
            package.write(TEMPLATE_DIR / name, arcname=name)
    print(f"wrote {target}")
    return 0
