"""The Teams app package: its manifest, its icons, and commands the bot really answers."""

from __future__ import annotations

import json
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest

from supportbot.adapters.app import Application
from supportbot.adapters.cli import main
from supportbot.adapters.teams.manifest import COMMANDS, COMMANDS_SV, TEMPLATE_DIR, build_teams_package

APP_ID = "0b6c6a3e-1d2f-4a5b-8c7d-9e0f1a2b3c4d"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def build(tmp_path: Path, url: str | None = "https://support.vendor.example") -> dict[str, object]:
    out = tmp_path / "app.zip"
    assert build_teams_package(app_id=APP_ID, out=str(out), url=url) == 0
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png", "sv-se.json"]
        manifest: dict[str, object] = json.loads(package.read("manifest.json"))
        manifest["_sv"] = json.loads(package.read("sv-se.json"))
        assert png_size(package.read("color.png")) == (192, 192)
        assert png_size(package.read("outline.png")) == (32, 32)
    return manifest


def test_package(tmp_path: Path) -> None:
    manifest = build(tmp_path)
    assert manifest["manifestVersion"] == "1.17"
    assert "v1.17" in str(manifest["$schema"])
    assert manifest["id"] == APP_ID
    bots = manifest["bots"]
    assert isinstance(bots, list) and len(bots) == 1
    bot = bots[0]
    assert bot["botId"] == APP_ID
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["supportsFiles"] is True  # files sent in a personal chat reach the bot
    assert manifest["validDomains"] == ["support.vendor.example"]
    assert "{{" not in json.dumps(manifest)
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en-us",
        "additionalLanguages": [{"languageTag": "sv-se", "file": "sv-se.json"}],
    }


def test_outline_icon_is_white_on_transparent() -> None:
    import zlib

    data = (TEMPLATE_DIR / "outline.png").read_bytes()
    assert data[25] == 6  # colour type RGBA
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    raw = zlib.decompress(data[idat + 4 : idat + 4 + length])
    pixels = [raw[row * 129 + 1 + i * 4 : row * 129 + 5 + i * 4] for row in range(32) for i in range(32)]
    assert all(p[3] == 0 or p[:3] == b"\xff\xff\xff" for p in pixels)
    assert any(p[3] == 255 for p in pixels)


def test_the_template_itself_says_the_bot_takes_files() -> None:
    template = json.loads((TEMPLATE_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert [bot["supportsFiles"] for bot in template["bots"]] == [True]


def test_without_url_there_are_no_valid_domains(tmp_path: Path) -> None:
    assert build(tmp_path, url=None)["validDomains"] == []


@pytest.mark.parametrize(
    "args", [["--app-id", "not-a-guid"], ["--app-id", APP_ID, "--url", "http://insecure.example"]]
)
def test_bad_arguments_are_refused(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "app.zip"
    assert main(["manifest", "teams", *args, "--out", str(out)]) == 2
    assert not out.exists()
    assert "supportbot:" in capsys.readouterr().err


def test_cli_builds_the_package(tmp_path: Path) -> None:
    out = tmp_path / "pkg" / "app.zip"
    assert main(["manifest", "teams", "--app-id", APP_ID, "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)


def test_declared_commands_are_the_ones_the_adapter_answers(tmp_path: Path, application: Application) -> None:
    manifest = build(tmp_path)
    bot = manifest["bots"][0]  # type: ignore[index]
    lists = bot["commandLists"]
    assert len(lists) == 1
    assert sorted(lists[0]["scopes"]) == ["groupChat", "personal", "team"]
    titles = [c["title"] for c in lists[0]["commands"]]
    assert titles == list(COMMANDS)
    for command in lists[0]["commands"]:
        assert len(command["title"]) <= 32 and len(command["description"]) <= 128
        parse = application.nlu.parse(command["title"], today=date.today())
        assert parse.intent == COMMANDS[command["title"]], command["title"]


def test_swedish_commands_are_the_same_commands_in_swedish(tmp_path: Path, application: Application) -> None:
    manifest = build(tmp_path)
    swedish = manifest["_sv"]
    assert isinstance(swedish, dict) and "Localization.schema.json" in swedish["$schema"]
    commands = manifest["bots"][0]["commandLists"][0]["commands"]  # type: ignore[index]
    titles = [swedish[f"bots[0].commandLists[0].commands[{i}].title"] for i in range(len(commands))]
    assert titles == list(COMMANDS_SV)
    assert list(COMMANDS_SV.values()) == list(COMMANDS.values())  # the same intents, in the same order
    for i, title in enumerate(titles):
        description = swedish[f"bots[0].commandLists[0].commands[{i}].description"]
        assert len(title) <= 32 and len(description) <= 128
        parse = application.nlu.parse(title, today=date.today())
        assert (parse.intent, parse.language) == (COMMANDS_SV[title], "sv"), title
    keys = {k for k in swedish if not k.startswith("$")}
    assert {"name.short", "name.full", "description.short", "description.full"} <= keys
    assert len(swedish["description.short"]) <= 80 and len(swedish["description.full"]) <= 4000
