"""The by-entity index (whereabouts._by_entity): where runs stop, kept as small offsets.

The answers it gives are held to the one-by-one rules in ``test_columnar``; here, the
type its offsets are kept in, and a run too long for the smallest one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from whereabouts import Ledger, _by_entity
from whereabouts._by_entity import ByEntity, _cuts, _fronts, _sorted, offset_type, stable_order


@pytest.mark.parametrize(("longest", "expected"), [
    (0, np.uint8), (1, np.uint8), (255, np.uint8), (256, np.uint16), (65_535, np.uint16),
    (65_536, np.uint32), (70_000, np.uint32), (2**32 - 1, np.uint32)])
def test_the_offsets_type_is_the_smallest_that_holds_the_longest_run(
        longest: int, expected: type) -> None:
    kind = offset_type(longest)
    assert kind is expected
    assert int(np.array([longest]).astype(kind)[0]) == longest  # one past its last claim
    smaller = {np.uint16: np.uint8, np.uint32: np.uint16}.get(kind)
    if smaller is not None:
        assert int(np.array([longest]).astype(smaller)[0]) != longest


def test_a_run_past_uint32_is_refused() -> None:
    with pytest.raises(ValueError, match="a run of 4294967296 claims"):
        offset_type(2**32)


def test_a_run_too_long_for_uint8_is_answered_as_one_by_one() -> None:
    """300 claims about one person between the runs of others, dated so that most dates
    asked about fall between the index's marks: answers as ``last_known`` gives."""
    ledger = Ledger()
    names = ("Basma", "Amal", "Chadi", "Dima")  # Amal's run starts after Basma's
    for name in names:
        ledger.add_person(name, id=name.lower())
    places = ["Beirut", "Damascus", "Aleppo", "Homs"]
    for day in range(300):
        ledger.observe("amal", "seen at", place=places[day % 4], source="wire",
                       when=f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}")
    for number, name in enumerate(("basma", "chadi", "dima")):
        for day in range(1 + number, 29, 3):
            ledger.observe(name, "seen at", place=places[(day + number) % 4], source="wire",
                           when=f"2024-{3 + 3 * number:02d}-{day:02d}")
    asked = ["2023-12-31", "2024-01-05", "2024-03-10", "2024-03-11", "2024-03-20",
             "2024-06-07", "2024-06-08", "2024-09-14", "2024-09-27", "2024-11-02", "2025"]
    expected = {as_of: [ledger.last_known(e, as_of=as_of) for e in ledger.people]
                for as_of in asked}  # claim by claim: no whole-ledger question asked yet
    assert "by_entity" not in ledger._store.memo
    for as_of in asked:  # statuses and places read from the index (an answer in full
        roll = ledger.everyone(as_of=as_of)  # is worked out again when read)
        assert roll.statuses == tuple(answer.status for answer in expected[as_of])
        assert roll.places == tuple(answer.place for answer in expected[as_of])
        assert list(roll) == expected[as_of]
    index = ledger._store.memo["by_entity"][1][0]
    assert index.cuts.dtype == np.uint16
    assert int(np.diff(index.first).max()) == 300


@pytest.mark.parametrize("limit", [1, 2, 300, 65_536, 65_537, 200_000, 2**31 - 1])
def test_the_radix_order_is_numpys_stable_order(limit: int) -> None:
    rng = np.random.default_rng(limit)
    values = rng.integers(0, limit, 5_000)
    values[rng.integers(0, 5_000, 2_000)] = values[:2_000]  # many ties, spread about
    values[:3] = limit - 1
    for kind in (np.int32, np.int64):
        order = stable_order(values.astype(kind), limit)
        assert order.tolist() == np.argsort(values, kind="stable").tolist()


def test_no_values_have_no_order() -> None:
    for limit in (0, 1):
        assert stable_order(np.zeros(0, dtype=np.int32), limit).tolist() == []


def test_a_ledger_with_no_one_has_no_standing() -> None:
    """No entities: the index is empty, and every whole-ledger answer too."""
    ledger = Ledger()
    assert list(ledger.everyone()) == list(ledger.everyone(as_of="2024")) == []
    index = ledger._store.memo["by_entity"][1][0]
    assert index.first.tolist() == [0]
    assert index.cuts.shape == (1, 0)


def _pairs(seed: int, entity_count: int, size: int) -> tuple[Any, Any, Any, Any]:
    """Rows (some twice, for several entities), their entities (int32), and windows
    whose ends tie often, within an entity too, and run to +inf."""
    rng = np.random.default_rng(seed)
    store = size // 2
    upper = rng.choice(np.array([*range(0, 40, 3), np.inf]), store).astype(np.float64)
    lower = np.where(rng.random(store) < 0.3, -np.inf, upper - rng.integers(0, 20, store))
    lower = np.minimum(lower, upper)
    rows = np.concatenate([np.arange(store), rng.integers(0, store, size - store)])
    entity = rng.integers(0, entity_count, size).astype(np.int32)
    entity[rng.integers(0, size, size // 2)] = entity_count - 1  # one long run
    return rows.astype(np.int64), entity, lower, upper


@pytest.mark.parametrize(("entity_count", "size"), [(1, 50), (7, 400), (70_000, 3_000)])
def test_the_pairs_are_sorted_as_lexsort_and_ranked_as_unique(entity_count: int,
                                                               size: int) -> None:
    """By entity, then end, then as given; ranks of the ends and of the starts as the
    sorts of ``np.unique`` give them (70,000 entities: a second radix pass)."""
    rows, entity, lower, upper = _pairs(entity_count, entity_count, size)
    got_rows, distinct, rank, before = _sorted(rows, entity, (lower, upper), entity_count)
    order = np.lexsort((upper[rows], entity))
    assert got_rows.tolist() == rows[order].tolist()
    expected_distinct, expected_rank = np.unique(upper[rows], return_inverse=True)
    assert distinct.tolist() == expected_distinct.tolist()
    assert rank.dtype == before.dtype == np.int32
    assert rank.tolist() == expected_rank[order].tolist()
    assert before.tolist() == [int((distinct <= lower[row]).sum()) for row in got_rows]


def test_each_front_is_where_the_run_passes_its_latest_start() -> None:
    rows, entity, lower, upper = _pairs(5, 9, 600)
    rows, distinct, rank, before = _sorted(rows, entity, (lower, upper), 9)
    entity = np.sort(entity)
    fronts = _fronts(entity, rank, before, len(distinct))
    assert fronts.dtype == np.int32
    for position in range(len(rows)):
        run = np.flatnonzero(entity == entity[position])  # (sorted by rank)
        latest = before[run[0]:position + 1].max()
        assert fronts[position] == min(run[rank[run] >= latest], default=run[-1] + 1)


@pytest.mark.parametrize("block", [1, 3, 1 << 16])
def test_the_cuts_are_where_each_run_stops_at_each_mark(
        block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted a block of entities at a time: blocks of one, blocks that do not divide
    the entities, and all in one."""
    monkeypatch.setattr(_by_entity, "_CUT_BLOCK", block)
    rows, entity, lower, upper = _pairs(8, 10, 500)
    index = ByEntity()
    _, index.ends, index.end_rank, _ = _sorted(rows, entity, (lower, upper), 10)
    entity = np.sort(entity)
    index.first = np.searchsorted(entity, np.arange(11))
    index.marks = np.array([-1.0, 0.0, 4.0, 5.0, 20.5, 39.0, np.inf])
    cuts = _cuts(index, entity, np.uint16)
    assert cuts.dtype == np.uint16
    assert cuts.flags.c_contiguous
    ends = index.ends[index.end_rank]
    assert cuts.tolist() == [
        [int((ends[index.first[e]:index.first[e + 1]] <= mark).sum()) for e in range(10)]
        for mark in index.marks]
