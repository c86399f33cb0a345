"""Fuzzing in the suite: damaged native, SQLite and CSV files give LedgerFileError or load.

The mutators are those of ``scripts/fuzz.py`` (``tests/fuzzing.py``), driven by
Hypothesis's random generator so that a failure shrinks to few, small changes.
A few hundred inputs per reader keep the suite fast; the script runs 10^5.
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import TARGETS, Target, discard, mutate, prepare
from whereabouts.io import LedgerFileError, check, read

ROOT = Path(__file__).resolve().parent.parent
_numbers = itertools.count()


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="whereabouts-fuzz-") as name:
        yield Path(name)


def damaged(target: Target, rng: random.Random, folder: Path) -> tuple[Path, list[str]]:
    path = prepare(target, rng, folder, name=f"input-{next(_numbers)}")
    return path, mutate(target, rng, path)


def only_library_errors(target: Target, path: Path, done: list[str]) -> None:
    error: LedgerFileError | None = None
    try:
        target.read(path)
    except LedgerFileError as err:  # anything else propagates, failing the test
        error = err
    if error is not None:
        assert error.problems, done
        assert str(error).startswith(str(path)), done
    report = check(path)  # the report never raises either, and agrees
    assert report.format in ("native", "sqlite", "csv")


@pytest.mark.parametrize("name", ["native", "sqlite", "csv"])
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_damaged_files_give_library_errors(name: str, rng: random.Random, folder: Path) -> None:
    target = TARGETS[name]
    path, done = damaged(target, rng, folder)
    try:
        only_library_errors(target, path, done)
    finally:
        discard(target, path)


@pytest.mark.parametrize("name", ["native", "sqlite", "csv"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_each_mutator_alone(name: str, data: st.DataObject, folder: Path) -> None:
    target = TARGETS[name]
    mutator = data.draw(st.sampled_from(sorted(target.mutators)), label="mutator")
    rng = data.draw(st.randoms(use_true_random=False), label="rng")
    path = prepare(target, rng, folder, name=f"input-{next(_numbers)}")
    done = [target.mutators[mutator](rng, path)]
    try:
        only_library_errors(target, path, done)
    finally:
        discard(target, path)


@settings(max_examples=100, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_native_read_never_raises(rng: random.Random, folder: Path) -> None:
    target = TARGETS["native"]
    path, done = damaged(target, rng, folder)
    try:
        report = read(path)
        assert report.ok == (not report.problems), done
        str(report)
    finally:
        discard(target, path)


@pytest.mark.parametrize("name", ["native", "sqlite", "csv"])
def test_the_fuzz_script(name: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--reader", name, "--n", "60",
         "--jobs", "1", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{name}: 60 inputs (seed 0)" in result.stdout
    assert "0 other exceptions, 0 over 5 s" in result.stdout
    assert (tmp_path / f"summary-{name}.json").exists()
