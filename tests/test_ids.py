"""Ids of their own kept as numbers (whereabouts._ids), and the ledger's ids through them."""

from __future__ import annotations

import random
import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whereabouts import Ledger, Place, Source
from whereabouts._ids import Ids
from whereabouts.batch import Batch
from whereabouts.errors import DuplicateId, UnknownObservation
from whereabouts.io import native

_SHAPES = st.one_of(
    st.builds(lambda n: f"o{n}", st.integers(1, 10**6)),
    st.builds(lambda p, n, w: f"{p}{n:0{w}d}", st.sampled_from(["obs-", "x", "A.", "o"]),
              st.integers(0, 999), st.integers(1, 5)),
    st.from_regex(r"[A-Za-z][A-Za-z._:-]{0,6}", fullmatch=True),  # no digits at the end
    st.builds(lambda n: f"n{n}", st.integers(10**17, 10**22)),  # more than 17 digits
    st.builds(lambda p, n, w: f"{p}{n:0{w}d}", st.sampled_from(["obs-", "o", "n1"]),
              st.integers(2**32 - 2, 2**32 + 1), st.integers(1, 17)),  # about 32 bits
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SHAPES, unique=True, max_size=40), st.data())
def test_ids_give_back_what_was_added(ids: list[str], data: st.DataObject) -> None:
    table = Ids()
    rows = sorted(data.draw(st.lists(st.integers(0, 200), min_size=len(ids),
                                     max_size=len(ids), unique=True)))
    for count, (row, oid) in enumerate(zip(rows, ids, strict=True)):
        table.add(row, oid)
        if data.draw(st.booleans()):  # lookups between additions: the index and its tail
            looked = data.draw(st.sampled_from(ids[: count + 1]))
            assert table.row_of(looked) == rows[ids.index(looked)]
    for row, oid in zip(rows, ids, strict=True):
        assert table.id_of(row) == oid
        assert table.row_of(oid) == row
        assert table.has(row)
    for row in set(range(201)) - set(rows):
        assert table.id_of(row) is None
        assert not table.has(row)
    absent = data.draw(_SHAPES.filter(lambda oid: oid not in ids))
    assert table.row_of(absent) is None
    assert sorted(table) == sorted(ids)
    assert len(table) == len(ids)
    expected = {int(oid[1:]) for oid in ids if oid[:1] == "o" and oid[1:].isdigit()
                and oid[1] != "0"}
    assert set(table.default_numbers()) == expected
    assert table.held([absent]) == set()
    assert table.held({absent, *ids[:1]}) == set(ids[:1])
    many = [f"{absent}x{n}" for n in range(100)]
    assert table.held(many) == set()
    assert table.held([*many, *ids[-1:]]) == set(ids[-1:])
    mixed = [*many, *ids[::2], absent, *(f"{oid}0" for oid in ids)]
    for asked_ids in (mixed, mixed[-30:]):
        assert table.held(asked_ids) == {oid for oid in asked_ids
                                         if table.row_of(oid) is not None}
    asked = np.array(sorted(set(range(201)) - set(rows))[:5] + rows[:5], dtype=np.int64)
    assert table.have(asked).tolist() == [table.has(int(r)) for r in asked]


def test_leading_zeros_and_widths_are_kept_apart() -> None:
    table = Ids()
    for row, oid in enumerate(["a7", "a07", "a007", "a0", "a00", "7", "07"]):
        table.add(row, oid)
    assert [table.row_of(oid) for oid in ["a7", "a07", "a007", "a0", "a00", "7", "07"]] == list(
        range(7))
    assert table.row_of("a0007") is None
    assert [table.id_of(row) for row in range(7)] == ["a7", "a07", "a007", "a0", "a00", "7", "07"]


def test_many_ids_added_one_by_one_with_lookups_between() -> None:
    table = Ids()
    numbers = random.Random(7).sample(range(10**6), 20_000)
    for row, number in enumerate(numbers):
        table.add(row, f"obs-{number:07d}")
        if row % 97 == 0:  # the index is built, grows a tail, and is built again
            assert table.row_of(f"obs-{numbers[row // 2]:07d}") == row // 2
            assert table.row_of(f"obs-{number:06d}") is None or number >= 10**6
    assert all(table.row_of(f"obs-{n:07d}") == row for row, n in enumerate(numbers))
    table.update({20_000 + n: f"new{n}" for n in range(5000)})
    assert table.row_of("new4999") == 24_999
    assert table.row_of(f"obs-{numbers[0]:07d}") == 0


# -- through the ledger ------------------------------------------------------------


def _ledger() -> Ledger:
    ledger = Ledger()
    ledger.add_person("Amal", id="amal")
    return ledger


def _batch(ids: list[str | None], after: dict[int, tuple[str, ...]] | None = None) -> Batch:
    count = len(ids)
    return Batch(
        subjects=[0] * count, subject_table=[("amal",)], kinds=[0] * count,
        kind_table=["seen at"],  # type: ignore[list-item]  # coerced as observe does
        places=[0] * count, place_table=[Place.from_country("LB")],
        whens=[0] * count, when_table=["2024-12-01"],  # type: ignore[list-item]
        reported=[0] * count, reported_table=[None], sources=[0] * count,
        source_table=[Source("wire")], ids=ids, after=after or {},
    )


def _shuffled_ids(count: int) -> list[str | None]:
    numbers = list(range(1, count + 1))
    random.Random(3).shuffle(numbers)
    shapes = [lambda n: f"o{n}", lambda n: f"obs-{n:06d}", lambda n: f"id{n}x"]
    return [shapes[n % 3](n) for n in numbers]


def test_random_order_ids_find_their_rows(tmp_path: Path) -> None:
    ids = _shuffled_ids(3000)
    ledger = _ledger()
    ledger.extend(_batch(ids, after={2999: (str(ids[5]), str(ids[17]))}))
    for row in (0, 1, 2, 1500, 2999):
        oid = str(ids[row])
        assert ledger.observation(oid).id == oid
        assert ledger.observations[row].id == oid
    assert ledger.observations[2999].after == (ids[5], ids[17])
    assert f"o{ids.index('o3') + 1}" != "o3"  # a default-looking id on another row
    assert ledger.observation("o3").id == "o3"
    corrected = ledger.correct(str(ids[10]), when="2024-12-02", source=Source("wire"))
    assert corrected.corrects == ids[10]
    native.save(ledger, tmp_path / "ledger.json")
    again = native.load(tmp_path / "ledger.json")
    assert again == ledger
    assert again.observation(str(ids[2000])) == ledger.observation(str(ids[2000]))


def test_a_row_whose_default_id_was_taken_moves_on() -> None:
    ledger = _ledger()
    ledger.extend(_batch(["o2", None, "o00"]))
    assert [o.id for o in ledger.observations] == ["o2", "o3", "o00"]
    assert ledger.observation("o2") == ledger.observations[0]
    with pytest.raises(UnknownObservation, match="observation: 'o1': no such observation"):
        ledger.observation("o1")  # row 0's default, but row 0 has an id of its own


@pytest.mark.parametrize("ids", [["a1", "a01", "a1"], ["obs-7", "o1", "obs-7"],
                                 ["memo", "memo2", "memo"]])
def test_an_id_given_twice_is_refused_as_before(ids: list[str | None]) -> None:
    ledger = _ledger()
    with pytest.raises(DuplicateId) as raised:
        ledger.extend(_batch(ids))
    assert str(raised.value) == f"row 2, id: {ids[2]!r}: id already in the ledger"
    assert len(ledger) == 0
    ledger.extend(_batch(ids[:2]))
    with pytest.raises(DuplicateId) as again:
        ledger.observe("amal", "seen at", place="Lebanon", source="wire", id=ids[2])
    assert str(again.value) == f"id: {ids[2]!r}: id already in the ledger"
    with pytest.raises(DuplicateId):
        ledger.extend(_batch([None, ids[0]]))


def _split_both_ways(ids: dict[int, str]) -> Ids:
    """``ids`` added one by one and all at once (numpy): the two tables must hold the
    same rows, prefixes, numbers, widths and other ids. Returns the one made at once."""
    one_by_one, at_once = Ids(), Ids()
    for row, oid in ids.items():
        one_by_one.add(row, oid)
    at_once.update(ids)
    assert list(at_once.rows) == list(one_by_one.rows)
    assert list(at_once.number) == list(one_by_one.number)
    assert list(at_once.width) == list(one_by_one.width)
    assert [at_once.prefixes[p] for p in at_once.prefix] == [
        one_by_one.prefixes[p] for p in one_by_one.prefix]
    assert at_once._other_ids == one_by_one._other_ids
    return at_once


@settings(max_examples=30, deadline=None)
@given(st.lists(_SHAPES | st.text(min_size=1, max_size=6), unique=True, min_size=1,
                max_size=40), st.integers(0, 3))
def test_many_ids_at_once_are_split_as_one_by_one(shapes: list[str], seed: int) -> None:
    chance = random.Random(seed)
    ids = {row: f"{chance.choice(shapes)}{row}" if row % 3 else chance.choice(shapes) + "-"
           + str(row) for row in range(0, 3 * 5000, 3)}  # over the one-by-one limit
    first = {oid: row for row, oid in reversed(ids.items())}
    ids = {row: oid for row, oid in ids.items() if first[oid] == row}  # each id once
    at_once = _split_both_ways(ids)
    for row, oid in list(ids.items())[::97]:
        assert at_once.row_of(oid) == row
        assert at_once.id_of(row) == oid


def test_later_batches_with_ids_of_their_own() -> None:
    ledger = _ledger()
    ledger.extend(_batch(["o5", "o9", "o2"] + [f"o{n}" for n in range(100, 200)]))
    ledger.extend(_batch(["o1", "o7"] + [f"o{n}" for n in range(300, 400)]))  # o1: row 0 has o5
    assert ledger.observation("o1").id == "o1"
    assert ledger.observations[103].id == "o1"
    with pytest.raises(DuplicateId, match="row 70, id: 'o150': id already in the ledger"):
        ledger.extend(_batch([f"o{n}" for n in range(1000, 1070)] + ["o150"]))
    plain = _ledger()
    plain.extend(_batch([None] * 3))  # rows keeping their defaults o1-o3
    with pytest.raises(DuplicateId, match="row 80, id: 'o2': id already in the ledger"):
        plain.extend(_batch([f"x{n}" for n in range(80)] + ["o2"]))
    plain.extend(_batch([f"x{n}" for n in range(80)] + ["o5"]))
    assert plain.observation("o5") == plain.observations[-1]


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), parts=st.integers(2, 4))
def test_an_index_extended_part_by_part_is_the_index_built_whole(seed: int, parts: int) -> None:
    """Ids added a part at a time (as a file read in parts adds them), looked up between
    parts, are merged into the index kept: the same index as one built from scratch,
    new prefixes, leading zeros, ids of other shapes and single additions included."""
    rng = random.Random(seed)
    prefixes = ["o", "obs-", "x", "A."]
    table, row, given = Ids(), 0, {}
    used: set[str] = set()
    for part in range(parts):
        batch: dict[int, str] = {}
        for offset in range(rng.randint(4096, 6000)):
            shape = rng.random()
            if shape < 0.02:
                oid = f"memo-{part}-{offset}-z"  # no digits at the end: a dict entry
            else:
                prefix = rng.choice(prefixes[: 2 + part])  # later parts bring new prefixes
                oid = f"{prefix}{rng.randrange(10**6):0{rng.randint(1, 8)}d}"
            if oid not in used:
                batch[offset] = oid
                used.add(oid)
        table.update(batch, row)
        given.update({row + offset: oid for offset, oid in batch.items()})
        row += 6001
        if rng.random() < 0.5:  # one by one too, into the index's tail
            table.add(row, f"late{part}")
            given[row] = f"late{part}"
            used.add(f"late{part}")
            row += 1
        asked = rng.sample(sorted(given.values()), 50)
        assert table.held([*asked, "nothing1"] * 2) == set(asked)  # builds or extends it
    table._extend_index()  # the single additions since, from its tail
    runs = table._sorted()
    sizes = [len(run.keys) for run in runs]
    assert all(2 * newer < older for older, newer in pairwise(sizes))
    assert len(runs) <= parts  # merged as a binary counter carries
    table._drop_index()
    (whole,) = table._sorted()
    assert sum(sizes) == len(whole.keys)
    for code in range(len(whole.bounds) - 1):  # each prefix: the runs together hold its keys
        held = sorted((key, entry) for run in runs if code + 1 < len(run.bounds) for key, entry
                      in zip(run.keys[run.bounds[code]:run.bounds[code + 1]],
                             run.entries[run.bounds[code]:run.bounds[code + 1]], strict=True))
        low, high = whole.bounds[code], whole.bounds[code + 1]
        assert held == list(zip(whole.keys[low:high], whole.entries[low:high], strict=True))
    for found_row, oid in rng.sample(sorted(given.items()), 200):
        assert table.row_of(oid) == found_row


# -- numbers at the edge of 32 bits ---------------------------------------------------

_EDGES = {  # id: whether its number is kept as one (uint32), else the id is in the dict
    "obs-4294967295": True,  # 2**32 - 1
    "obs-4294967296": False,  # 2**32
    "o4294967295": True,
    "o4294967296": False,
    "obs-0000000000042": True,  # leading zeros: 13 digits, 42
    "obs-00000000000000042": True,  # 17 digits, 42
    "obs-12345678901234567": False,  # 17 digits, past 32 bits
    "obs-004294967296": False,  # 2**32 with a leading zero
    "n1234567890123456789": False,  # more than 17 digits: the last 17 past 32 bits
}
_NEAR = ["obs-4294967297", "obs-04294967295", "obs-42", "o42949672950", "n4294967296",
         "obs-0000000000000042"]  # given to no row


def _edge_rows() -> dict[int, str]:
    return {3 * number + 7: oid for number, oid in enumerate(_EDGES)}


@pytest.mark.parametrize("at_once", [False, True], ids=["add", "update"])
def test_numbers_past_32_bits_go_to_the_dict(at_once: bool) -> None:
    """Each id finds its row and is given back on both paths of adding (one by one, and
    numpy's past 4096 ids), and ``held`` finds it."""
    given = _edge_rows()
    if at_once:
        given.update({row: f"fill-{row}" for row in range(100, 4200)})
    table = Ids()
    if at_once:
        table.update(given)
    else:
        for row, oid in given.items():
            table.add(row, oid)
    kept = {table._text(entry) for entry in range(len(table.rows))}
    assert {oid for oid in _EDGES if oid in kept} == {o for o, compact in _EDGES.items()
                                                      if compact}
    assert set(_EDGES) - kept <= table._other_rows.keys()
    assert max(table.number) == 2**32 - 1
    for row, oid in given.items():
        assert table.id_of(row) == oid
        assert table.row_of(oid) == row
        assert table.has(row)
    for oid in _NEAR:
        assert table.row_of(oid) is None
    assert table.held([*_EDGES, *_NEAR]) == set(_EDGES)
    assert table.held([*_EDGES, *_NEAR, *(f"fill-{n}" for n in range(4200, 4300))]) == set(
        _EDGES)
    assert {4294967295, 4294967296} <= set(table.default_numbers())
    assert sorted(table) == sorted(given.values())


def test_numbers_past_32_bits_are_split_as_one_by_one() -> None:
    """The numpy split of many ids (``update``) keeps in the dict exactly the ids that
    ``add`` keeps there: those whose last digits (17 at most) make 2**32 or more."""
    texts = [*_EDGES, *_NEAR, *(f"num-{2**32 - 2000 + n}" for n in range(4096))]
    at_once = _split_both_ways(dict(enumerate(texts)))
    past = {oid for oid in texts if int(re.search(r"[0-9]{1,17}$", oid)[0]) >= 2**32}
    assert set(at_once._other_rows) == past
    assert len(past) == 5 + 3 + 2096


def _edge_ledger(at_once: bool) -> Ledger:
    ledger = _ledger()
    ids: list[str | None] = [*_EDGES, *(None if n % 2 else f"fill-{n}" for n in range(
        4200 if at_once else 20))]
    if at_once:
        ledger.extend(_batch(ids, after={len(ids) - 1: tuple(_EDGES)[:3]}))
    else:
        for oid in ids:
            ledger.observe("amal", "seen at", place="Lebanon", when="2024-12-01",
                           source="wire", id=oid)
    return ledger


def _ids_kept(ledger: Ledger) -> None:
    for oid in _EDGES:
        assert ledger.observation(oid).id == oid
    assert [o.id for o in ledger.observations[: len(_EDGES)]] == list(_EDGES)
    for oid in _NEAR:
        with pytest.raises(UnknownObservation):
            ledger.observation(oid)


@pytest.mark.parametrize("at_once", [False, True], ids=["observe", "extend"])
def test_ids_at_the_edge_of_32_bits_are_saved_and_loaded(at_once: bool,
                                                        tmp_path: Path) -> None:
    """Native JSON, SQLite and Parquet give back a ledger holding the same ids."""
    from whereabouts.io import SqliteLedger, copy_into

    ledger = _edge_ledger(at_once)
    _ids_kept(ledger)
    native.save(ledger, tmp_path / "ledger.json")
    again = native.load(tmp_path / "ledger.json")
    assert again == ledger
    _ids_kept(again)
    with SqliteLedger.open(tmp_path / "ledger.db") as store:
        copy_into(ledger, store)
    with SqliteLedger.open(tmp_path / "ledger.db", create=False) as reopened:
        assert reopened == ledger
        _ids_kept(reopened)
    pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
    from whereabouts.io import read_parquet, write_parquet

    write_parquet(ledger, tmp_path / "parquet", rows=1000)
    from_parquet = read_parquet(tmp_path / "parquet", rows=1000)
    assert from_parquet == ledger
    _ids_kept(from_parquet)

