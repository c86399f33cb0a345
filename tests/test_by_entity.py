"""The by-entity index (whereabouts._by_entity): where runs stop, kept as small offsets.

The answers it gives are held to the one-by-one rules in ``test_columnar``; here, the
type its offsets are kept in, and a run too long for the smallest one.
"""

from __future__ import annotations

import numpy as np
import pytest

from whereabouts import Ledger
from whereabouts._by_entity import offset_type


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
