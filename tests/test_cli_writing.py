"""Writing never destroys: ``export -o``, the ledger being read, odd paths, stray temp files.

The reproducers of issue 11 (part 2): odd ``-o`` paths gave tracebacks with exit code 1,
and ``export -o case.jsonl`` replaced the ledger being read, symbolic links and FIFOs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from whereabouts.cli import BAD_INPUT, FOUND, main
from whereabouts.errors import WhereaboutsError
from whereabouts.io._atomic import STRAY_AGE, check_output, clean_strays, write_atomic

posix = pytest.mark.skipif(os.name != "posix", reason="links, FIFOs and pids as on POSIX")


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A native ledger file in an empty working folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--jsonl", "-o", "case.jsonl"]) == FOUND
    return tmp_path / "case.jsonl"


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``argv``, expect exit code 2 and one error line, and return the line."""
    assert main(argv) == BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("whereabouts: error: output: ")
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize(
    ("output", "message"),
    [("nodir/x.csv", "no such folder: nodir"),
     ("adir", "is a folder, not a file"),
     ("", "an empty file name"),
     ("afile/x.csv", "afile is not a folder")],
)
def test_odd_output_paths_are_one_line_and_bad_input(
        output: str, message: str, case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (case.parent / "adir").mkdir()
    (case.parent / "afile").write_text("x", encoding="utf-8")
    capsys.readouterr()
    assert message in refused(["export", "--csv", "-o", output], capsys)
    assert message in refused(["export", "--csv", "-o", output, "--force"], capsys)


def test_an_existing_file_is_replaced_only_with_force(
        case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = case.parent / "out.csv"
    out.write_text("keep me", encoding="utf-8")
    capsys.readouterr()
    assert "already exists: give --force to replace it" in refused(
        ["export", "--csv", "-o", str(out)], capsys)
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["export", "--csv", "-o", str(out), "--force"]) == FOUND
    assert out.read_text(encoding="utf-8").startswith("id,subjects,")
    assert capsys.readouterr().err.endswith(f"wrote {out}\n")


def test_the_ledger_being_read_is_never_replaced(
        case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = case.read_bytes()
    capsys.readouterr()
    for argv in (["--ledger", "case.jsonl", "export", "--csv", "-o", "case.jsonl"],
                 ["--ledger", "case.jsonl", "export", "--csv", "-o", "case.jsonl", "--force"],
                 ["export", "--csv", "--ledger", "./case.jsonl", "-o", str(case), "--force"]):
        assert "is the ledger being read" in refused(argv, capsys)
    assert case.read_bytes() == before
    assert main(["--ledger", "case.jsonl", "last", "bashar"]) == FOUND


def test_the_ledger_from_the_environment_is_protected_too(
        case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WHEREABOUTS_LEDGER", str(case))
    capsys.readouterr()
    assert "is the ledger being read" in refused(
        ["export", "--csv", "-o", "case.jsonl", "--force"], capsys)


def test_a_sqlite_ledger_and_its_journal_files_are_protected(
        case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from whereabouts.examples import assad_2024
    from whereabouts.io import SqliteLedger

    with SqliteLedger.open(case.parent / "case.db") as store:
        assad_2024(store)
    before = (case.parent / "case.db").read_bytes()
    capsys.readouterr()
    assert "is the ledger being read" in refused(
        ["export", "--jsonl", "--ledger", "case.db", "-o", "case.db", "--force"], capsys)
    assert "journal file of the ledger" in refused(
        ["export", "--jsonl", "--ledger", "case.db", "-o", "case.db-wal", "--force"], capsys)
    assert (case.parent / "case.db").read_bytes() == before


@posix
def test_links_to_the_ledger_are_the_ledger(case: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = case.read_bytes()
    os.symlink("case.jsonl", case.parent / "soft.jsonl")
    os.link(case, case.parent / "hard.jsonl")
    capsys.readouterr()
    for argv in (["--ledger", "case.jsonl", "export", "--csv", "-o", "soft.jsonl", "--force"],
                 ["--ledger", "soft.jsonl", "export", "--csv", "-o", "case.jsonl", "--force"],
                 ["--ledger", "case.jsonl", "export", "--csv", "-o", "hard.jsonl", "--force"],
                 ["--ledger", "hard.jsonl", "export", "--csv", "-o", "case.jsonl", "--force"]):
        assert "is the ledger being read" in refused(argv, capsys)
    assert case.read_bytes() == before
    assert (case.parent / "soft.jsonl").is_symlink()


@posix
def test_a_symbolic_link_is_written_through_with_force(
        case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = case.parent / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = case.parent / "link.csv"
    os.symlink("real.csv", link)
    os.symlink("nowhere.csv", case.parent / "dangling.csv")
    capsys.readouterr()
    assert "symbolic link to a file that exists: give --force" in refused(
        ["export", "--csv", "-o", "link.csv"], capsys)
    assert main(["export", "--csv", "-o", "link.csv", "--force"]) == FOUND
    assert link.is_symlink()
    assert os.readlink(link) == "real.csv"
    assert target.read_text(encoding="utf-8").startswith("id,subjects,")
    capsys.readouterr()
    assert "leads nowhere" in refused(["export", "--csv", "-o", "dangling.csv", "--force"],
                                      capsys)
    assert not (case.parent / "nowhere.csv").exists()


@posix
def test_a_fifo_is_written_in_place_not_replaced(case: Path) -> None:
    fifo = case.parent / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["export", "--csv", "-o", str(fifo)]) == FOUND
    reader.join(timeout=30)
    assert received
    assert received[0].startswith(b"id,subjects,")
    assert fifo.is_fifo()


@posix
def test_a_character_device_is_written_in_place(case: Path) -> None:
    assert main(["export", "--jsonl", "-o", os.devnull]) == FOUND
    assert Path(os.devnull).is_char_device()


def test_check_output_is_the_library_side() -> None:
    with pytest.raises(WhereaboutsError) as info:
        check_output("")
    assert info.value.field == "output"


# -- temporary files left by killed saves ----------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def stray(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"half a ledger")
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return path


@posix
def test_a_killed_save_leaves_a_temporary_file_the_next_save_removes(tmp_path: Path) -> None:
    """A real kill: a child writes a large file slowly and is killed mid-write."""
    target = tmp_path / "case.jsonl"
    script = (
        "import os, sys\n"
        "from whereabouts.io import _atomic\n"
        "def stall(fd):\n"
        "    print('writing', flush=True)\n"
        "    import time; time.sleep(60)\n"
        "_atomic.os.fsync = stall\n"
        f"_atomic.write_atomic({str(target)!r}, b'x' * 100000)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    child.kill()
    child.wait()
    child.stdout.close()
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1
    assert left[0].name.startswith(f".case.jsonl.{child.pid}.")
    old = time.time() - 10
    os.utime(left[0], (old, old))
    write_atomic(target, b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.jsonl"]


@posix
def test_only_clear_leftovers_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "case.jsonl"
    gone = dead_pid()
    removed = [
        stray(tmp_path, f".case.jsonl.{gone}.abcdefgh.tmp", age=10),  # writer gone
        stray(tmp_path, ".case.jsonl.abc_1234.tmp", age=STRAY_AGE + 10),  # old, no pid
        stray(tmp_path, f".case.jsonl.{os.getpid()}.zzzzzzzz.tmp", age=STRAY_AGE + 10),
    ]
    kept = [
        stray(tmp_path, f".case.jsonl.{os.getpid()}.abcdefgh.tmp", age=10),  # we run
        stray(tmp_path, f".case.jsonl.{os.getppid()}.abcdefgh.tmp", age=10),  # it runs
        stray(tmp_path, f".case.jsonl.{gone}.abcdefg1.tmp", age=0),  # too fresh to judge
        stray(tmp_path, ".case.jsonl.abc_1234.tmp.bak", age=STRAY_AGE + 10),  # not our name
        stray(tmp_path, ".other.jsonl.abc_1234.tmp", age=STRAY_AGE + 10),  # another file's
        stray(tmp_path, f".case.jsonl.{gone}.ABCDEFGH.tmp", age=10),  # not mkstemp's letters
    ]
    os.symlink(tmp_path / "case.jsonl", tmp_path / f".case.jsonl.{gone}.linklink.tmp")
    kept.append(tmp_path / f".case.jsonl.{gone}.linklink.tmp")
    assert sorted(clean_strays(target)) == sorted(removed)
    assert all(os.path.lexists(p) for p in kept)
    assert not any(p.exists() for p in removed)


@posix
def test_the_cli_save_cleans_and_says_so(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    left = stray(case.parent, f".out.csv.{dead_pid()}.abcdefgh.tmp", age=10)
    capsys.readouterr()
    assert main(["export", "--csv", "-o", "out.csv"]) == FOUND
    assert not left.exists()
    err = capsys.readouterr().err
    assert "whereabouts: warning: removed " in err
    assert f"{left.name}, left by a save of out.csv that did not finish\n" in err
    assert main(["export", "--csv", "-o", "out.csv", "--force", "--quiet"]) == FOUND
    assert capsys.readouterr().err == ""
