"""``supportbot manifest slack --url https://host``: the app manifest with this server's request URLs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from supportbot.adapters.slack.surface import EVENTS_PATH

TEMPLATE = Path(__file__).resolve().parents[3] / "manifest" / "slack.yaml"
"""``manifest/slack.yaml`` at the repository root (the project runs from its checkout)."""


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a manifest")
    return data


def base_url_error(url: str) -> str | None:
    """Why ``url`` cannot be the public base URL Slack calls, or ``None`` when it can."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "not a URL"
    if parts.scheme != "https":
        return "Slack calls only https:// URLs"
    if not parts.hostname:
        return "no host name"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "give only the base URL, like https://support.example.com"
    return None


def build_manifest(url: str, template: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest with every request URL (events, interactivity, the command) pointing at ``url``."""
    manifest = template if template is not None else load_template()
    request_url = url.strip().rstrip("/") + EVENTS_PATH
    settings = manifest.setdefault("settings", {})
    settings.setdefault("event_subscriptions", {})["request_url"] = request_url
    settings.setdefault("interactivity", {})["request_url"] = request_url
    for command in manifest.get("features", {}).get("slash_commands", []):
        command["url"] = request_url
    return manifest


def write_slack_manifest(*, url: str, out: str | None) -> int:
    """Print the manifest (or write it to ``out``); 2 for a URL Slack would not accept."""
    problem = base_url_error(url)
    if problem is not None:
        print(f"supportbot: --url {url!r}: {problem}", file=sys.stderr)
        return 2
    try:
        manifest = build_manifest(url)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"supportbot: cannot read the manifest template: {exc}", file=sys.stderr)
        return 1
    text = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
    if out is None:
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0
