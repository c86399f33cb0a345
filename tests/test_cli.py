"""The command line: exit codes, help, errors, and that every command is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from whereabouts.cli import _parser, main

DOCS = Path(__file__).parent.parent / "docs" / "cli.md"


def commands() -> list[str]:
    parser = _parser()
    (action,) = [a for a in parser._actions if a.dest == "==SUPPRESS==" and a.choices]
    return sorted(action.choices)  # type: ignore[arg-type]


def test_python_dash_m_runs_the_main_job() -> None:
    done = subprocess.run([sys.executable, "-m", "whereabouts"], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Bashar al-Assad - in Moscow (RU)" in done.stdout
    assert done.stdout.startswith("Whereabouts: 14")


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example(command: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "example: whereabouts " + command in capsys.readouterr().out


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented(command: str) -> None:
    assert f"## {command}" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["last", "Assad"], "fits 5 entities"),
        (["last", "Nobody Known"], "no person or group"),
        (["where", "bashar", "--on", "2024-13-01"], "on: '2024-13-01'"),
        (["who", "Xyzzyland"], "place: 'Xyzzyland'"),
        (["everyone", "--known-at", "last week"], "known_at: 'last week'"),
        (["unaccounted", "--as-of", "2024-02-30"], "as_of: '2024-02-30'"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv: list[str], message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("whereabouts: error: ")
    assert message in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["where", "bashar"])  # --on is required
    assert info.value.code == 2
    assert "--on" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["last", "bashar"], 0), (["last", "rami"], 1),
     (["last", "bashar", "--known-at", "2024-12-01"], 1),
     (["who", "Libya"], 0), (["who", "Japan"], 1), (["conflicts", "bashar"], 1),
     (["itinerary", "bashar", "--as-of", "2024-12-06"], 1), (["companions", "rami"], 1)],
)
def test_exit_codes(argv: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code
    assert capsys.readouterr().out
