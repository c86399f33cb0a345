"""The planner's fast paths, each held to what the general path gives.

A CSV import plans each part of a file (``io/_plan.py``): it checks the columns a
distinct value at a time (``io/_checks.py``), reading what earlier parts found from
a memo, and replays the rows tied to earlier ones (``io/_replay.py``). The usual
cells take C-speed passes; these tests give each such path cells that the general
path would treat otherwise, so that a broken fast path shows.
"""

from __future__ import annotations

import pytest

from tests.test_io_bulk import row, sheet_ledger
from whereabouts import Ledger, Place
from whereabouts.errors import WhereaboutsError
from whereabouts.io import COLUMNS
from whereabouts.io._checks import Memo, Subjects, _code
from whereabouts.io._plan import Plan, plan


def planned(rows: list[list[str]], ledger: Ledger, memo: Memo | None = None) -> Plan:
    cells = {c: [r[n] for r in rows] for n, c in enumerate(COLUMNS)}
    return plan(cells, range(2, len(rows) + 2), ledger, memo=memo)


def subjects_of(result: Plan) -> list[tuple[str, ...]]:
    batch = result.batch
    return [batch.subject_table[code] for code in batch.subjects]


def test_plain_subjects_cells_are_their_own_names_and_only_the_others_are_split() -> None:
    column = ["amal", " amal", "amal", "a; b", "", "Sami Nasser", "amal ", "Sami Nasser"]
    subjects = Subjects.of(column)
    assert subjects.cells == ["amal", " amal", "a; b", "", "Sami Nasser", "amal "]
    assert [subjects.cells[r] for r in subjects.rows] == column
    assert subjects.others == {" amal": ("amal",), "a; b": ("a", "b"), "": (),
                               "amal ": ("amal",)}
    assert [subjects.names_in(raw) for raw in subjects.cells] == [
        ("amal",), ("amal",), ("a", "b"), (), ("Sami Nasser",), ("amal",)]


def test_a_later_part_reads_the_names_the_memo_holds_and_looks_up_the_rest(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = sheet_ledger()
    memo = Memo()
    first = planned([row(subjects="Amal Haddad"), row(subjects="amal-n"),
                     row(subjects="the crew")], ledger, memo)
    assert not first.problems
    assert memo.names == {"Amal Haddad": "amal", "amal-n": "amal-n", "the crew": "crew"}
    asked: list[str] = []
    real = Ledger.entity

    def counted(self: Ledger, ref: str, **options: str) -> object:
        asked.append(ref)
        return real(self, ref, **options)

    monkeypatch.setattr(Ledger, "entity", counted)
    # Plain cells held, a plain cell not held, a cell to split, a name that fits no one
    # (a new person) and one that fits two (an error), between plain cells held.
    second = planned([row(subjects="the crew"), row(subjects="Sami Nasser"),
                      row(subjects="Amal Haddad; the crew"), row(subjects="Nobody Known"),
                      row(subjects="Amal Haddad"), row(subjects="Nasser"),
                      row(subjects="amal-n"), row(subjects="Amal Haddad"),
                      row(subjects="amal")], ledger, memo)
    assert sorted(asked) == ["Nasser", "Nobody Known", "Sami Nasser", "amal"]
    assert [str(p) for p in second.problems] == [
        "7:2: subjects: 'Nasser': fits 2 entities: Amal Nasser (amal-n), Sami Nasser (sami)"]
    assert subjects_of(second) == [("crew",), ("sami",), ("amal", "crew"), ("nobody-known",),
                                   ("amal",), ("amal-n",), ("amal",), ("amal",)]
    table = second.batch.subject_table  # two cells of one person: one code
    assert len(set(table)) == len(table)
    assert [p.id for p in second.people] == ["nobody-known"]


def test_a_name_the_memo_holds_as_an_error_is_a_problem_in_every_part() -> None:
    ledger = sheet_ledger()
    ledger.add_person("Amal Haddad", id="amal-2")  # two people of one whole name
    memo = Memo()
    for _ in range(2):
        result = planned([row(subjects="sami"), row(subjects="Amal Haddad"),
                          row(subjects="sami")], ledger, memo)
        assert [str(p) for p in result.problems] == [
            "3:2: subjects: 'Amal Haddad': fits 2 entities: "
            "Amal Haddad (amal), Amal Haddad (amal-2)"]
        assert subjects_of(result) == [("sami",), ("sami",)]
    assert isinstance(memo.names["Amal Haddad"], WhereaboutsError)


def test_cells_the_memo_holds_are_read_from_it_and_equal_values_share_a_code() -> None:
    beirut = Place.city("Beirut", country="LB")
    wrong = WhereaboutsError("no such place", field="place")
    kept: dict[str, Place | WhereaboutsError] = {"Beirut": beirut, " Beirut": beirut,
                                                 "Nowhere": wrong}

    def never(raw: str) -> Place:
        raise AssertionError(f"checked again: {raw!r}")

    coded = _code(["Beirut", "Nowhere", " Beirut", "Beirut"], never, kept)
    assert (coded.codes, list(coded.table), coded.errors) == (
        [0, -1, 0, 0], [beirut], {"Nowhere": wrong})
    coded = _code([" Beirut", "Beirut"], never, kept)  # no bad cell
    assert (coded.codes, list(coded.table)) == ([0, 0], [beirut])
    doha = Place.city("Doha", country="QA")
    coded = _code(["Doha", "Beirut", "Doha"], lambda raw: doha, kept)  # one cell not held
    assert (coded.codes, list(coded.table), coded.errors) == ([0, 1, 0], [doha, beirut], {})
    assert kept["Doha"] is doha


def test_rows_whose_kind_needs_a_place_or_takes_none_are_refused() -> None:
    result = planned([row(kind="seen at", place=""), row(kind="died", place=""),
                      row(kind="whereabouts unknown", place="Beirut"),
                      row(kind="whereabouts unknown", place=""), row()], sheet_ledger())
    assert [str(p) for p in result.problems] == [
        "2:4: place: 'seen at' needs a place",
        "4:4: place: 'Beirut': 'whereabouts unknown' takes no place"]
    assert len(result.batch) == 3


def test_an_after_link_to_a_retraction_names_no_observation() -> None:
    result = planned([row(after="withdrawn"), row(after="earlier")], sheet_ledger())
    assert [str(p) for p in result.problems] == [
        "2:11: after: 'withdrawn': no such observation on an earlier row or in the ledger"]
    assert len(result.batch) == 1
