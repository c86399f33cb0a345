"""``whereabouts export --parquet DIR`` and ``whereabouts import --parquet DIR``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from whereabouts.cli import BAD_INPUT, FOUND, main
from whereabouts.examples import assad_2024
from whereabouts.io import SqliteLedger, load

pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A native ledger file in an empty working folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--jsonl", "-o", "case.jsonl"]) == FOUND
    return tmp_path / "case.jsonl"


def error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``argv``, expect exit code 2 and one error line, and return the line."""
    capsys.readouterr()
    assert main(argv) == BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_exported_then_imported_gives_the_same_ledger(case: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--ledger", "case.jsonl", "--parquet", "ds"]) == FOUND
    assert capsys.readouterr().err == "wrote ds\n"
    assert main(["import", "--parquet", "ds", "--ledger", "again.jsonl"]) == FOUND
    assert capsys.readouterr().out == (
        "imported 23 entries and 14 people and groups from ds into again.jsonl\n")
    assert load("again.jsonl") == load(case) == assad_2024()
    assert (case.parent / "again.jsonl").read_bytes() == case.read_bytes()


def test_imported_into_sqlite(case: Path) -> None:
    assert main(["export", "--parquet", "ds"]) == FOUND
    assert main(["import", "--parquet", "ds", "--ledger", "case.db", "--json"]) == FOUND
    with SqliteLedger.open("case.db") as ledger:
        assert ledger == assad_2024()


def test_a_folder_that_is_not_empty_needs_force(case: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (case.parent / "ds").mkdir()
    (case.parent / "ds" / "notes.txt").write_text("mine")
    assert error(["export", "--parquet", "ds"], capsys) == (
        "whereabouts: error: output: 'ds': a folder that is not empty: give --force to "
        "replace it")
    assert (case.parent / "ds" / "notes.txt").read_text() == "mine"
    assert main(["export", "--parquet", "ds", "--force"]) == FOUND
    assert not (case.parent / "ds" / "notes.txt").exists()
    assert not [p for p in case.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("folder", [".", "case.jsonl"])
def test_never_over_the_ledger_being_read(folder: str, case: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = case.read_bytes()
    line = error(["export", "--ledger", "case.jsonl", "--parquet", folder, "--force"], capsys)
    assert "holds the ledger being read (case.jsonl)" in line
    assert case.read_bytes() == before


@pytest.mark.parametrize(("argv", "message"), [
    (["-o", "x"], "--parquet names the folder to write: -o does not apply"),
    (["--known-at", "2024-12-09"], "--known-at does not apply to --parquet"),
])
def test_options_that_do_not_apply_are_refused(argv: list[str], message: str, case: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert message in error(["export", "--parquet", "ds", *argv], capsys)
    assert not (case.parent / "ds").exists()


def test_a_missing_folder_for_the_dataset(case: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such folder: nodir" in error(["export", "--parquet", "nodir/ds"], capsys)


def test_a_bad_dataset_imports_nothing(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--parquet", "ds"]) == FOUND
    (case.parent / "ds" / "relations.parquet").unlink()
    assert error(["import", "--parquet", "ds", "--ledger", "new.jsonl"], capsys) == (
        "whereabouts: error: ds/relations.parquet: missing: the relations table of the "
        "dataset")
    assert not (case.parent / "new.jsonl").exists()


def test_a_dataset_that_does_not_fit_the_ledger_adds_nothing(
        case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--parquet", "ds"]) == FOUND
    before = case.read_bytes()
    assert error(["import", "--parquet", "ds", "--ledger", "case.jsonl"], capsys) == (
        "whereabouts: error: ds: cannot be added to case.jsonl, nothing was; id: 'bashar': "
        "id already in the ledger")
    assert case.read_bytes() == before
    assert main(["import", "--parquet", "ds", "--ledger", "case.db"]) == FOUND
    assert error(["import", "--parquet", "ds", "--ledger", "case.db"], capsys).startswith(
        "whereabouts: error: ds: cannot be added to case.db, nothing was; ")
    with SqliteLedger.open("case.db") as ledger:
        assert ledger == assad_2024()


def test_keep_valid_and_standard_input_do_not_apply(case: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert "adds nothing" in error(["import", "--parquet", "ds", "--keep-valid", "--ledger",
                                    "new.jsonl"], capsys)
    assert "a Parquet dataset is a folder: name it" in error(
        ["import", "--parquet", "-", "--ledger", "new.jsonl"], capsys)


def test_without_pyarrow_the_extra_is_named_before_anything_is_read(
        case: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert error(["export", "--parquet", "ds"], capsys) == (
        "whereabouts: error: pyarrow: needs pyarrow: pip install 'whereabouts[parquet]'")
    assert not (case.parent / "ds").exists()
