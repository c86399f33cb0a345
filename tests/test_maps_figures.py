"""The figures the issue asks of the maps: sizes exactly, times in CPU seconds of this
process (so a busy machine does not fail them; docs/pictures.md has wall-clock times)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from whereabouts import Ledger
from whereabouts.examples import assad_2024
from whereabouts.pictures import maps

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402  (benchmarks/ is not installed)
from benchmarks.ours import Whereabouts  # noqa: E402


def _cpu(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """1,000 people's claims (20,000 of them) from the benchmark generator."""
    files = generate.write(generate.generate(20_000, seed=generate.DEFAULT_SEED),
                           tmp_path_factory.mktemp("thousand"))
    tool = Whereabouts()
    tool.load(files)
    assert len(tool.ledger.people) == 1000
    return tool.ledger


@pytest.mark.parametrize("suffix", [".html", ".png"])
def test_the_example_is_drawn_in_under_two_seconds(tmp_path: Path, suffix: str) -> None:
    ledger = assad_2024()
    seconds, report = _cpu(lambda: maps.save_route_map(ledger, tmp_path / f"case{suffix}"))
    assert seconds < 2.0
    if suffix == ".html":
        assert report.size < 1_000_000


@pytest.mark.parametrize("suffix", [".html", ".png"])
def test_a_thousand_routes_in_under_five_seconds_and_five_megabytes(
        thousand: Ledger, tmp_path: Path, suffix: str) -> None:
    people = thousand.people
    seconds, report = _cpu(lambda: maps.save_route_map(
        thousand, tmp_path / f"thousand{suffix}", people=people, as_of="2024-12-31"))
    assert len(report.people) == 1000
    assert report.marks > 15_000
    assert seconds < 5.0
    assert report.size < 5_000_000
