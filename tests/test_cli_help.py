"""Every sub-command's --help, as an operator reads it: each option with a default says it, and an
example shows how the command is typed."""

from __future__ import annotations

import argparse

import pytest

from supportbot.adapters.cli import _parser, main


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path (``()`` is the program itself), sub-commands of sub-commands included."""
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found.extend(_commands(child, (*path, name)))
    return found


def _parser_of(path: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = _parser()
    for name in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return parser


COMMANDS = _commands(_parser())


def test_every_command_is_walked() -> None:
    assert {path[0] for path in COMMANDS if path} == {
        "serve",
        "migrate",
        "seed",
        "chat",
        "manifest",
        "notices",
        "nlu",
    }
    assert ("manifest", "teams") in COMMANDS and ("manifest", "slack") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "supportbot")
def test_help_shows_every_default_and_an_example(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "Example:" in shown
    example = shown.split("Example:", 1)[1]
    assert f"supportbot {' '.join(path)}".strip() in example
    for action in _parser_of(path)._actions:
        if not action.option_strings or action.help in (None, argparse.SUPPRESS):
            continue
        if action.dest in ("help", "version"):
            continue
        if action.default is not None and action.default is not False:
            assert f"(default: {action.default})" in shown, (path, action.dest)
        else:
            # No value of its own: it says what happens without it, or that it must be given.
            assert "(default:" in action.help or action.required, (path, action.dest)
