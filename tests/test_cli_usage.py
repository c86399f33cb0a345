"""The command line as people use it (issue 11, part 8, and the CLI half of part 1).

Standard input as ``-``, ``--version``, ``who --country``, the exit codes of
``docs/cli.md`` each tested, a cap on listed problems, ``template``, log lines and
progress, and no traceback ever: an internal error is one line and exit code 70.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import _log, cli
from whereabouts.cli import (
    BAD_INPUT,
    BROKEN_PIPE,
    EXIT_CODES,
    FOUND,
    INTERNAL_ERROR,
    INTERRUPTED,
    NOT_FOUND,
    main,
)

DOCS = Path(__file__).parent.parent / "docs" / "cli.md"
HEADER = "id,subjects,kind,place,when,source,reported,reliability,credibility,note,after\n"
ROW = "beirut,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,\n"


def run(*argv: str, stdin: bytes = b"", cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "whereabouts", *argv], input=stdin,
                          capture_output=True, check=False, timeout=120, cwd=cwd, env=env)


class Stdin(io.TextIOWrapper):
    """Standard input holding ``data``."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- standard input ---------------------------------------------------------------------


def test_import_reads_standard_input(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin((HEADER + ROW).encode()))
    assert main(["import", "-", "--ledger", "case.jsonl"]) == FOUND
    assert capsys.readouterr().out == ("imported 1 observations from <stdin> into case.jsonl "
                                       "(1 new person)\n")
    assert main(["last", "Nour Khalil", "--ledger", "case.jsonl"]) == FOUND


def test_import_from_standard_input_names_it_in_problems(
        folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin((HEADER + ROW.replace("-07", "-32")).encode()))
    assert main(["import", "-", "--ledger", "case.jsonl"]) == BAD_INPUT
    assert capsys.readouterr().err.startswith("whereabouts: error: <stdin>:2:5: when: ")
    assert not (folder / "case.jsonl").exists()


def test_a_shell_pipe_into_import_and_validate(folder: Path) -> None:
    """The reproducer as typed: ``cat x.csv | whereabouts import - ...``."""
    done = run("import", "-", "--ledger", "case.db", stdin=(HEADER + ROW).encode(), cwd=folder)
    assert done.returncode == FOUND, done.stderr
    done = run("validate", "-", stdin=(HEADER + ROW).encode(), cwd=folder)
    assert done.returncode == FOUND, done.stderr
    assert done.stdout.decode().startswith("<stdin>: csv, 1 rows read, 0 problems")
    done = run("validate", "-", stdin=b"{not json", cwd=folder)
    assert done.returncode == BAD_INPUT
    assert b"<stdin>" in done.stdout


@pytest.mark.parametrize("kind", ["native", "sqlite"])
def test_the_ledger_from_standard_input(kind: str, folder: Path) -> None:
    from whereabouts.examples import assad_2024
    from whereabouts.io import SqliteLedger, save

    if kind == "native":
        save(assad_2024(), folder / "case.jsonl")
        data = (folder / "case.jsonl").read_bytes()
    else:
        with SqliteLedger.open(folder / "case.db") as store:
            assad_2024(store)
        data = (folder / "case.db").read_bytes()
    done = run("--ledger", "-", "last", "Bashar al-Assad", stdin=data, cwd=folder)
    assert done.returncode == FOUND, done.stderr
    assert done.stdout.decode().startswith("Bashar al-Assad: in Moscow (RU)")
    suffix = "jsonl" if kind == "native" else "db"
    assert sorted(p.name for p in folder.iterdir()) == [f"case.{suffix}"]


def test_the_ledger_from_standard_input_is_read_only(
        folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "case.csv").write_text(HEADER + ROW, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", Stdin(b""))
    assert main(["import", "case.csv", "--ledger", "-"]) == BAD_INPUT
    assert "standard input is read only" in capsys.readouterr().err


def test_standard_input_that_is_not_a_ledger(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(HEADER.encode()))
    assert main(["--ledger", "-", "everyone"]) == BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("whereabouts: error: <stdin>:1: not a whereabouts ledger")


@pytest.mark.skipif(os.name != "posix", reason="FIFOs")
def test_a_fifo_ledger_is_read_once_whole(folder: Path) -> None:
    """``--ledger <(zcat case.jsonl.gz)``: the file is a pipe, read once."""
    from whereabouts.examples import assad_2024
    from whereabouts.io import save

    save(assad_2024(), folder / "case.jsonl")
    os.mkfifo(folder / "pipe")
    writer = subprocess.Popen(["sh", "-c", "cat case.jsonl > pipe"], cwd=folder)
    done = run("--ledger", "pipe", "who", "Russia", "--known-at", "2024-12-09", cwd=folder)
    writer.wait(timeout=60)
    assert done.returncode == FOUND, done.stderr
    assert done.stdout.decode().startswith("In Russia: 4 definite")


# -- version, who --country, template ----------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"whereabouts {version('whereabouts')}\n"


@pytest.mark.parametrize(("country", "label"),
                         [("US", "Georgia (US)"), ("United States", "Georgia (US)"),
                          ("GE", "Georgia"), ("Georgia", "Georgia")])
def test_who_country_settles_a_shared_name(country: str, label: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["who", "Georgia", "--country", country, "--json"]) == NOT_FOUND
    assert json.loads(capsys.readouterr().out)["place"]["label"] == label


def test_who_country_narrows_a_known_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["who", "Moscow", "--country", "RU", "--known-at", "2024-12-09"]) == FOUND
    assert capsys.readouterr().out.startswith("In Moscow (RU): 4 definite")


@pytest.mark.parametrize(("argv", "message"),
                         [(["who", "Georgia"], "place: 'Georgia': ambiguous: Georgia; "
                                               "Georgia (US); give --country to choose"),
                          (["who", "Georgia", "--country", "Narnia"], "country: 'Narnia'"),
                          (["who", "Xyzzyland", "--country", "SY"], "place: 'Xyzzyland'")])
def test_who_place_errors_are_bad_input(argv: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith(f"whereabouts: error: {message}")
    assert err.count("\n") == 1


def test_template_is_the_documented_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template"]) == FOUND
    out = capsys.readouterr().out
    shipped = Path(__file__).parent.parent / "docs" / "template.csv"
    assert out == shipped.read_text(encoding="utf-8")


def test_a_template_sheet_validates_empty(folder: Path) -> None:
    done = run("template", cwd=folder)
    (folder / "case.csv").write_bytes(done.stdout)
    done = run("validate", "case.csv", cwd=folder)
    assert done.returncode == FOUND, done.stdout


# -- exit codes, each as documented ------------------------------------------------------


def documented_codes() -> set[int]:
    table = DOCS.read_text(encoding="utf-8").split("Exit codes, for scripts:")[1]
    return {int(code) for code in re.findall(r"^\| \*\*(\d+)\*\* \|", table, re.MULTILINE)}


def test_the_documented_codes_are_the_codes() -> None:
    assert documented_codes() == set(EXIT_CODES)


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["last", "bashar"], FOUND), (["last", "rami"], NOT_FOUND),
     (["resolve", "Xyzzyland"], NOT_FOUND), (["resolve", "Tripoli"], NOT_FOUND),
     (["who", "Xyzzyland"], BAD_INPUT), (["who", "Tripoli"], BAD_INPUT),
     (["last", "Assad"], BAD_INPUT), (["last", "bashar", "--as-of", "soon"], BAD_INPUT),
     (["validate", "nowhere.csv"], BAD_INPUT), (["template"], FOUND)],
)
def test_exit_codes_as_documented(argv: list[str], code: int, folder: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code


def test_a_place_in_a_csv_is_bad_input(folder: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "case.csv").write_text(HEADER + ROW.replace("Beirut", "Xyzzyland"),
                                     encoding="utf-8")
    assert main(["import", "case.csv", "--ledger", "case.jsonl"]) == BAD_INPUT
    assert "place: 'Xyzzyland'" in capsys.readouterr().err


def broken(ledger: object, args: object) -> int:
    raise RuntimeError("a bug\nover  two lines")


def test_an_internal_error_is_one_line_and_exit_code_70(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "_last", broken)
    assert main(["last", "bashar"]) == INTERNAL_ERROR
    captured = capsys.readouterr()
    assert captured.err == ("whereabouts last: internal error: RuntimeError: a bug over two "
                            "lines (please report this, with the command you ran)\n")
    assert captured.out == ""


def test_an_internal_error_in_a_file_command(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def recurse(args: object) -> int:
        return recurse(args)

    monkeypatch.setattr(cli, "_validate", recurse)
    assert main(["validate", "x.csv"]) == INTERNAL_ERROR
    err = capsys.readouterr().err
    assert err.startswith("whereabouts validate: internal error: RecursionError: ")
    assert err.count("\n") == 1


def test_an_internal_error_in_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    """Through ``python -m whereabouts``: a ledger path that makes the reader fail."""
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    (tmp_path / "sitecustomize.py").write_text(
        "import whereabouts.cli as cli\n"
        "def boom(ledger, args):\n"
        "    raise ZeroDivisionError('division by zero')\n"
        "cli._dead = boom\n", encoding="utf-8")
    done = run("dead", env=env)
    assert done.returncode == INTERNAL_ERROR
    assert done.stderr.decode() == ("whereabouts dead: internal error: ZeroDivisionError: "
                                    "division by zero (please report this, with the command "
                                    "you ran)\n")
    env["WHEREABOUTS_DEBUG"] = "1"
    assert b"Traceback" in run("dead", env=env).stderr


def test_ctrl_c_exits_130_quietly(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(ledger: object, args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_everyone", interrupted)
    assert main(["everyone"]) == INTERRUPTED
    assert capsys.readouterr() == ("", "")


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_ctrl_c_in_a_subprocess(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(
        "import signal, time, whereabouts.cli as cli\n"
        # Ctrl-C as from a terminal: a shell's background job (CI run with `&`) starts its
        # children with SIGINT ignored, and Python then installs no handler for it.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "def slow(ledger, args):\n"
        "    print('ready', flush=True); time.sleep(60)\n"
        "cli._dead = slow\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-m", "whereabouts", "dead"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == INTERRUPTED
    assert err == b""


@pytest.mark.skipif(os.name != "posix", reason="pipes")
def test_a_closed_pipe_exits_141_quietly() -> None:
    """``whereabouts export --jsonl | head -c 1``: the reader is gone before the output."""
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "wb") as out:
        done = subprocess.run([sys.executable, "-m", "whereabouts", "export", "--jsonl"],
                              stdout=out, stderr=subprocess.PIPE, check=False, timeout=120)
    assert done.returncode == BROKEN_PIPE
    assert done.stderr == b""


def test_broken_pipe_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(ledger: object, args: object) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    monkeypatch.setattr(cli, "_unaccounted", closed)
    assert main(["unaccounted"]) == BROKEN_PIPE


def test_a_file_system_error_is_bad_input_in_one_line(
        folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def full(path: object, data: bytes) -> None:
        raise OSError(28, "No space left on device", "out.csv")

    monkeypatch.setattr("whereabouts.io._atomic.write_atomic", full)
    assert main(["export", "--csv", "-o", "out.csv"]) == BAD_INPUT
    err = capsys.readouterr().err  # after the notice of what a CSV cannot carry
    assert err.endswith("whereabouts: error: out.csv: No space left on device\n")
    assert "Traceback" not in err


# -- many problems -----------------------------------------------------------------------


@pytest.fixture
def bad_sheet(folder: Path) -> Path:
    sheet = folder / "big.csv"
    sheet.write_text(HEADER + ",Nour Khalil,seen at,Beirut,2024-13-01,a wire,,B,2,,\n" * 1500,
                     encoding="utf-8")
    return sheet


def test_import_lists_20_problems_and_counts_the_rest(
        bad_sheet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "big.csv", "--ledger", "case.jsonl"]) == BAD_INPUT
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 21
    assert lines[0].startswith("whereabouts: error: big.csv:2:5: when: '2024-13-01'")
    assert lines[-1] == ("whereabouts: error: and 1,480 more problems in big.csv (1,500 in "
                         "all; --all-problems lists them all)")
    assert main(["import", "big.csv", "--ledger", "case.jsonl", "--all-problems"]) == BAD_INPUT
    assert len(capsys.readouterr().err.splitlines()) == 1500


def test_import_keep_valid_caps_too(bad_sheet: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "big.csv", "--ledger", "case.jsonl", "--keep-valid"]) == BAD_INPUT
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 22
    assert lines[0].endswith("left out the rows with problems:")
    assert lines[-1] == "and 1,480 more problems (1,500 in all; --all-problems lists them all)"


def test_validate_caps_text_but_not_json(bad_sheet: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "big.csv"]) == BAD_INPUT
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "big.csv: csv, 1500 rows read, 1500 problems"
    assert len(lines) == 22
    assert lines[-1] == "  and 1,480 more problems (1,500 in all; --all-problems lists them all)"
    assert main(["--all-problems", "validate", "big.csv"]) == BAD_INPUT
    assert len(capsys.readouterr().out.splitlines()) == 1501
    assert main(["validate", "big.csv", "--json"]) == BAD_INPUT
    assert len(json.loads(capsys.readouterr().out)["problems"]) == 1500


def test_a_broken_ledger_is_capped_on_any_command(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ['{"format": "whereabouts-ledger", "version": 1}']
    lines += ['{"type": "person"}'] * 30
    (folder / "case.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--ledger", "case.jsonl", "everyone"]) == BAD_INPUT
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 21
    assert err[-1].startswith("whereabouts: error: and 10 more problems in case.jsonl")


# -- logging and progress ----------------------------------------------------------------


def test_the_library_logs_under_whereabouts_and_configures_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from whereabouts.examples import assad_2024
    from whereabouts.io import open_ledger, save

    assert not _log.logger.handlers
    with caplog.at_level(logging.DEBUG, logger="whereabouts"):
        save(assad_2024(), tmp_path / "case.jsonl")
        open_ledger(tmp_path / "case.jsonl")
    names = {r.name for r in caplog.records}
    assert names == {"whereabouts"}
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith(f"writing {tmp_path / 'case.jsonl'}: done in ") for m in messages)
    assert any(m.startswith(f"reading {tmp_path / 'case.jsonl'}: done in ") for m in messages)
    assert not _log.logger.handlers


def test_verbose_shows_the_library_events_and_quiet_hides_notes(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--jsonl", "-o", "case.jsonl", "-v"]) == FOUND
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("whereabouts: writing case.jsonl: done in ")
    assert err[-1] == "wrote case.jsonl"
    assert main(["export", "--jsonl", "-o", "again.jsonl", "-q"]) == FOUND
    assert capsys.readouterr().err == ""
    assert not _log.logger.handlers
    assert _log.logger.propagate


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """Standard error as a terminal (set in the test: pytest's capture resets it after
    fixtures), with progress drawn at once and often."""
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(cli._Status, "DELAY", 0.0)
    monkeypatch.setattr(cli._Status, "TICK", 0.01)
    return screen


def slow_save(ledger: object, path: object) -> None:
    with _log.task(f"saving {path}", total=4) as advance:
        for _ in range(4):
            time.sleep(0.05)
            advance(1)


def test_progress_on_a_terminal(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = terminal(monkeypatch)
    (folder / "case.csv").write_text(HEADER + ROW, encoding="utf-8")
    monkeypatch.setattr("whereabouts.io.save", slow_save)
    assert main(["import", "case.csv", "--ledger", "case.jsonl"]) == FOUND
    shown = screen.getvalue()
    assert "\r\x1b[Kwhereabouts import: saving case.jsonl" in shown
    assert re.search(r"saving case\.jsonl \d+% \(\d+ s\)", shown)
    assert shown.endswith("\r\x1b[K")  # cleared at the end


def test_no_progress_with_quiet_or_off_a_terminal(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = terminal(monkeypatch)
    (folder / "case.csv").write_text(HEADER + ROW, encoding="utf-8")
    monkeypatch.setattr("whereabouts.io.save", slow_save)
    assert main(["import", "case.csv", "--ledger", "case.jsonl", "--quiet"]) == FOUND
    assert screen.getvalue() == ""
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stderr", plain)
    assert main(["import", "case.csv", "--ledger", "again.jsonl"]) == FOUND
    assert plain.getvalue() == ""


# -- fuzzing the arguments ---------------------------------------------------------------

ODD = st.sampled_from(["", "-", " ", "x", "2024-13-01", "../..", "2024-12-07", "2024-12",
                       "2024-12-08/..", "{2024-12-01..2024-12-09}", "Georgia", "Tripoli",
                       "bashar", "Assad", "B3", "G7", "F", "\udcff", "nodir/x.csv", ".", "/",
                       "case.jsonl", "case.csv", "out.csv", "a" * 300, "a in " * 20,
                       "=HYPERLINK(1)", "{}", "US", "é", "0", "-1", "1e999", "Syria"])
FLAGS = ["--json", "--ledger", "--known-at", "--as-of", "--on", "--min-grade", "--source",
         "--country", "--start", "--end", "-o", "--force", "--csv", "--jsonl", "--geojson",
         "--keep-valid", "--all-problems", "-q", "-v", "--help", "--version", "--bogus"]
TAKES_VALUE = {"--ledger", "--known-at", "--as-of", "--on", "--min-grade", "--source",
               "--country", "--start", "--end", "-o"}
SHAPES = {"everyone": 0, "last": 1, "where": 1, "during": 2, "who": 1, "unaccounted": 0,
          "dead": 0, "itinerary": 1, "companions": 1, "conflicts": 0, "resolve": 2,
          "import": 1, "validate": 1, "export": 0, "template": 0}
"""Each command and how many positional arguments it takes (at most)."""


def own_flags(command: str) -> list[str]:
    """The flags the command takes, read from the parser (not --help and --version)."""
    parser = cli._parser()
    (action,) = [a for a in parser._actions if a.dest == "==SUPPRESS==" and a.choices]
    sub = action.choices[command]  # type: ignore[index]
    return sorted(o for a in sub._actions for o in a.option_strings
                  if o.startswith("--") and o != "--help")


OWN = {command: own_flags(command) for command in SHAPES}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command with about the right number of arguments, then flags with odd values;
    now and then a word dropped, moved or made up."""
    command = draw(st.sampled_from(sorted(SHAPES)))
    argv = [command, *draw(st.lists(ODD, min_size=SHAPES[command],
                                    max_size=SHAPES[command] + 1))]
    if command == "export":
        argv.append(draw(st.sampled_from(["--csv", "--jsonl", "--geojson"])))
    if command == "where":
        argv += ["--on", draw(ODD)]
    flags = st.one_of(st.sampled_from(OWN[command]), st.sampled_from(FLAGS))
    for flag in draw(st.lists(flags, max_size=4)):
        argv.append(flag)
        if flag in TAKES_VALUE:
            argv.append(draw(ODD))
    if draw(st.integers(0, 3)) == 0 and len(argv) > 1:
        argv.insert(draw(st.integers(0, len(argv) - 1)), argv.pop())
    return argv


WORDS = st.lists(st.one_of(ODD, st.sampled_from(FLAGS)), max_size=6)
ARGV = st.one_of(command_lines(), command_lines(), command_lines(), WORDS)
"""Mostly command lines of about the right shape (which reach the commands), and some
words in any order (which mostly reach the parser's usage errors)."""


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=ARGV)
def test_fuzzed_arguments_never_give_a_traceback(argv: list[str],
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(b""))
    monkeypatch.delenv("WHEREABOUTS_LEDGER", raising=False)
    home = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            Path("case.csv").write_text(HEADER + ROW, encoding="utf-8")
            Path("case.jsonl").write_text('{"format": "whereabouts-ledger", "version": 1}\n',
                                          encoding="utf-8")
            try:
                code = main(argv)
            except SystemExit as stop:  # argparse: usage error, --help, --version
                code = stop.code if isinstance(stop.code, int) else 2
                assert code in (0, 2)
        finally:
            os.chdir(home)
    captured = capsys.readouterr()
    assert code in EXIT_CODES
    assert code != INTERNAL_ERROR, captured.err
    assert "Traceback" not in captured.err
