"""The key that signs sessions and links: strong enough or no start, and written whole or not at all."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from supportbot.adapters.app import build_application
from supportbot.adapters.settings import Settings
from supportbot.bot.errors import ConfigurationError
from tests.conftest import TEST_SECRET


def settings_in(folder: Path, **values: object) -> Settings:
    return Settings(data_dir=folder, seed_demo=False, **values)  # type: ignore[arg-type]


def test_a_generated_key_is_kept_and_read_back(tmp_path: Path) -> None:
    first = settings_in(tmp_path / "var").resolved_secret_key()
    assert len(first) >= 32
    assert settings_in(tmp_path / "var").resolved_secret_key() == first
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret.key"], "no temporary file is left"


@pytest.mark.parametrize("content", ["", "\n", "short-but-not-empty\n", "x" * 31 + "\n"])
def test_an_empty_or_short_key_file_stops_the_start(tmp_path: Path, content: str) -> None:
    folder = tmp_path / "var"
    folder.mkdir()
    (folder / "secret.key").write_text(content)
    with pytest.raises(ConfigurationError) as refused:
        settings_in(folder).resolved_secret_key()
    assert "secret.key" in str(refused.value) and "32" in str(refused.value)
    assert (folder / "secret.key").read_text() == content, "the operator's file is left as it was"


async def test_the_application_does_not_start_on_an_empty_key(tmp_path: Path) -> None:
    """Links and sessions signed with an empty key would be forgeable by anyone: no start at all."""
    folder = tmp_path / "var"
    folder.mkdir()
    (folder / "secret.key").write_text("")
    with pytest.raises(ConfigurationError):
        await build_application(settings_in(folder))


@pytest.mark.parametrize("value", ["", "sixteen-chars-ok", "a-key-of-thirty-one-characters!"])
def test_a_short_key_from_the_environment_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SUPPORTBOT_SECRET_KEY", value)
    with pytest.raises(ConfigurationError) as refused:
        Settings(data_dir=tmp_path).resolved_secret_key()
    assert "SUPPORTBOT_SECRET_KEY" in str(refused.value) and "32" in str(refused.value)


def test_a_key_of_32_characters_or_more_from_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_SECRET_KEY", TEST_SECRET)
    assert Settings(data_dir=tmp_path).resolved_secret_key() == TEST_SECRET.encode()
    monkeypatch.setenv("SUPPORTBOT_SECRET_KEY", "k" * 32)
    assert Settings(data_dir=tmp_path).resolved_secret_key() == b"k" * 32
    assert not (tmp_path / "secret.key").exists()


def test_a_first_start_that_cannot_write_the_key_leaves_no_key_file(tmp_path: Path) -> None:
    """A full disk (here: a file size limit of zero) while the key is written leaves nothing that a
    later start would read as the key; that later start then makes a whole one."""
    folder = tmp_path / "var"
    script = textwrap.dedent(f"""
        import resource, signal
        from pathlib import Path
        from supportbot.adapters.settings import Settings
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
        try:
            Settings(data_dir=Path({str(folder)!r})).resolved_secret_key()
        except OSError as exc:
            print("failed:", type(exc).__name__)
        else:
            print("written")
    """)
    env = {k: v for k, v in os.environ.items() if k != "SUPPORTBOT_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.stdout.strip() == "failed: OSError", result.stdout + result.stderr
    assert not (folder / "secret.key").exists()
    assert [p.name for p in folder.iterdir()] == [], "no temporary file is left either"
    key = settings_in(folder).resolved_secret_key()
    assert len(key) >= 32 and (folder / "secret.key").read_bytes().strip() == key


def test_serve_refuses_to_start_with_an_empty_key_file(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    folder.mkdir()
    (folder / "secret.key").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "SUPPORTBOT_SECRET_KEY"}
    env["SUPPORTBOT_DATA_DIR"] = str(folder)
    server = subprocess.Popen(
        [sys.executable, "-m", "supportbot.adapters.cli", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        pytest.fail("the server started on an empty key")
    assert server.returncode == 2
    assert "secret.key" in output and "32" in output
    assert "Traceback" not in output
