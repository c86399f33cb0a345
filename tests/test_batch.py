"""Ledger.extend: a Batch appended at once equals its rows appended one by one,
and a bad row refuses the whole batch with the error appending it would give."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from whereabouts import Grading, Kind, Ledger, Place, Source, When
from whereabouts.batch import Batch
from whereabouts.errors import (
    DuplicateId,
    InvalidDate,
    InvalidObservation,
    InvalidOrder,
    UnknownEntity,
    UnknownKind,
    UnknownObservation,
    WhereaboutsError,
)

LB, SY, RU = (Place.from_country(c) for c in ("LB", "SY", "RU"))
WIRE = Source("a wire")
_WHENS = [None, "2024-12-01", "2024-12-08", "2024-12", "2024", "2024-12-05/2024-12-09",
          "{2024-12-01..2024-12-06}", "2024-12-02/2025-01-20", "2024-12-01/..",
          "{2024-12-01,2024-12-04}"]
_REPORTS = ["2024-12-10", "2024-12-31", "2025-01-15", None]


def _ledger() -> Ledger:
    ledger = Ledger()
    for name in ("amal", "badr", "dana"):
        ledger.add_person(name.title(), id=name)
    ledger.add_group("Family", id="family", members=["amal", "badr"])
    return ledger


def _batch(rows: list[dict[str, Any]]) -> Batch:
    """A batch of rows given as observe() keywords, each value coded into its table."""
    tables: dict[str, list[Any]] = {k: [] for k in
                                    ("subjects", "kind", "place", "when", "reported", "source",
                                     "grading")}
    codes: dict[str, list[int]] = {k: [] for k in tables}

    def code(column: str, value: Any) -> int:
        table = tables[column]
        for n, known in enumerate(table):
            if known == value and type(known) is type(value):
                return n
        table.append(value)
        return len(table) - 1

    for row in rows:
        subjects = row["subjects"]
        values = {
            "subjects": (subjects,) if isinstance(subjects, str) else tuple(subjects),
            "kind": row["kind"], "place": row.get("place"),
            "when": None if row.get("when") is None else When.parse(row["when"]),
            "reported": None if row["reported"] is None else When.parse(row["reported"]),
            "source": row.get("source", WIRE),
            "grading": Grading.parse(row.get("grading", "F6")),
        }
        for column, value in values.items():
            codes[column].append(code(column, value))
    ids = [row.get("id") for row in rows]
    return Batch(
        subjects=codes["subjects"], subject_table=tables["subjects"],
        kinds=codes["kind"], kind_table=tables["kind"],
        places=codes["place"], place_table=tables["place"],
        whens=codes["when"], when_table=tables["when"],
        reported=codes["reported"], reported_table=tables["reported"],
        sources=codes["source"], source_table=tables["source"],
        gradings=codes["grading"], grading_table=tables["grading"],
        ids=ids if any(i is not None for i in ids) else None,
        notes={n: row["note"] for n, row in enumerate(rows) if row.get("note")},
        after={n: tuple(row["after"]) for n, row in enumerate(rows) if row.get("after")},
        throughout={n: row["throughout"] for n, row in enumerate(rows)
                    if row.get("throughout") is not None},
    )


def _one_by_one(ledger: Ledger, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        ledger.observe(row["subjects"], row["kind"], place=row.get("place"),
                       when=row.get("when"), source=row.get("source", WIRE),
                       reported=row["reported"], grading=row.get("grading", "F6"),
                       note=row.get("note", ""), after=row.get("after", ()), id=row.get("id"),
                       throughout=row.get("throughout"))


@st.composite
def _rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    ids: list[str] = []
    for n in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from([Kind.SEEN_AT, Kind.DEPARTED, Kind.HEADING_TO,
                                     Kind.WHEREABOUTS_UNKNOWN, Kind.DIED, Kind.INJURED,
                                     Kind.DETAINED, Kind.REFUSED_ENTRY]))
        place = None
        if kind.needs_place or (kind.allows_place and draw(st.booleans())):
            place = draw(st.sampled_from([LB, SY, RU, [LB, SY]]))
        row_id = draw(st.sampled_from([None, None, f"x{n}", f"o{n + 2}", f"o{n + 1}"]))
        row = {
            "subjects": draw(st.sampled_from(["amal", "badr", "family", ["amal", "dana"]])),
            "kind": kind, "place": place, "when": draw(st.sampled_from(_WHENS)),
            "reported": draw(st.sampled_from(_REPORTS)),
            "grading": draw(st.sampled_from(["F6", "B2", "A1"])),
            "note": draw(st.sampled_from(["", "by road"])), "id": row_id,
            "throughout": draw(st.sampled_from([None, None, None, True, False, "yes"])),
            "after": draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids
            else [],
        }
        if isinstance(place, list):
            row["place"] = place
        rows.append(row)
        ids.append(row_id or f"o{n + 1}")
    return rows


def _place_values(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from whereabouts import Alternatives

    return [{**r, "place": Alternatives(tuple(r["place"])) if isinstance(r["place"], list)
             else r["place"]} for r in rows]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_rows(), before=st.integers(0, 3))
def test_a_batch_equals_its_rows_appended_one_by_one(rows: list[dict[str, Any]],
                                                     before: int) -> None:
    rows = _place_values(rows)
    expected, actual = _ledger(), _ledger()
    for ledger in (expected, actual):  # some claims already there
        for n in range(before):
            ledger.observe("dana", "seen at", place=LB, when=f"2024-11-0{n + 1}",
                           source=WIRE, reported="2024-11-20", id=f"o{n + 3}" if n == 1 else None)
    refused: WhereaboutsError | None = None
    try:
        _one_by_one(expected, rows)
    except WhereaboutsError as err:
        refused = err
    if refused is not None:
        bad_row = len(expected) - before  # the rows before it went in
        with pytest.raises(type(refused)) as raised:
            actual.extend(_batch(rows))
        assert (raised.value.reason, raised.value.value) == (refused.reason, refused.value)
        assert raised.value.field == f"row {bad_row}, {refused.field}"
        assert len(actual) == before  # nothing appended
        return
    appended = actual.extend(_batch(rows))
    assert actual == expected
    assert list(appended) == list(expected.observations[before:])
    assert [str(a) for a in actual.everyone()] == [str(a) for a in expected.everyone()]


def _valid() -> list[dict[str, Any]]:
    return [
        {"subjects": "amal", "kind": "seen at", "place": LB, "when": "2024-12-01",
         "reported": "2024-12-10"},
        {"subjects": ["badr", "dana"], "kind": "departed", "place": SY, "when": "2024-12",
         "reported": "2024-12-31", "after": ["o1"], "note": "by road"},
        {"subjects": "family", "kind": "whereabouts unknown", "reported": "2025-01-15",
         "id": "family-1"},
    ]


def test_extend_returns_the_observations_appended() -> None:
    ledger = _ledger()
    appended = ledger.extend(_batch(_valid()))
    assert len(appended) == 3
    assert [o.id for o in appended] == ["o1", "o2", "family-1"]
    assert appended[1].after == ("o1",)
    assert appended[1:].__len__() == 2
    assert "Rows 0-2" in repr(appended)
    assert ledger.observation("family-1").subjects == ("family",)


@pytest.mark.parametrize(("change", "error", "field", "reason"), [
    ({"kind": "seen at", "place": None}, InvalidObservation, "row 1, place", "needs a place"),
    ({"kind": "whereabouts unknown"}, InvalidObservation, "row 1, place", "takes no place"),
    ({"when": "2025-02"}, InvalidObservation, "row 1, when", "after it was reported"),
    ({"id": "o1", "after": []}, DuplicateId, "row 1, id", "id already in the ledger"),
    ({"id": "amal"}, DuplicateId, "row 1, id", "id already in the ledger"),
    ({"id": "-bad"}, InvalidObservation, "row 1, id", "an id is"),
    ({"after": ["o9"]}, UnknownObservation, "row 1, after", "no such observation"),
    ({"after": ["o3"]}, UnknownObservation, "row 1, after", "no such observation"),
    ({"id": "x", "after": ["x"]}, InvalidOrder, "row 1, after", "cannot come after itself"),
    ({"when": "2024-11", "after": ["o1"]}, InvalidOrder, "row 1, after", "later than"),
])
def test_a_bad_row_refuses_the_whole_batch(change: dict[str, Any], error: type[Exception],
                                           field: str, reason: str) -> None:
    ledger = _ledger()
    before = _ledger()
    rows = _valid()
    rows[1] = {**rows[1], **change}
    with pytest.raises(error) as raised:
        ledger.extend(_batch(rows))
    assert isinstance(raised.value, WhereaboutsError)
    assert raised.value.field == field
    assert reason in raised.value.reason
    assert ledger == before
    assert len(ledger) == 0
    ledger.extend(_batch(_valid()))  # and the ledger still takes a good batch
    assert len(ledger) == 3


def test_the_first_bad_row_is_reported() -> None:
    rows = _valid()
    rows[2] = {**rows[2], "id": "o1"}
    rows[1] = {**rows[1], "place": None}
    with pytest.raises(InvalidObservation, match="row 1, place"):
        _ledger().extend(_batch(rows))


@pytest.mark.parametrize(("table", "value", "error", "field"), [
    ("kind_table", ["flew to"], UnknownKind, "row 0, kind"),
    ("place_table", ["Beirut"], InvalidObservation, "row 0, place"),
    ("when_table", ["2024-13"], InvalidDate, "row 0, when"),
    ("reported_table", ["2024/.."], InvalidObservation, "row 0, reported"),
    ("source_table", ["a wire"], InvalidObservation, "row 0, source"),
    ("grading_table", ["Z9"], WhereaboutsError, "row 0, grading"),
    ("subject_table", [("nobody",)], UnknownEntity, "row 0, subjects"),
    ("subject_table", [("amal", "amal")], InvalidObservation, "row 0, subjects"),
    ("subject_table", ["amal"], InvalidObservation, "row 0, subjects"),
    ("subject_table", [()], InvalidObservation, "row 0, subjects"),
    ("subject_table", [(7,)], UnknownEntity, "row 0, subjects"),
])
def test_bad_table_values_are_named(table: str, value: list[Any], error: type[Exception],
                                    field: str) -> None:
    rows = [_valid()[0]]
    good = _batch(rows)
    import attrs

    batch = attrs.evolve(good, **{table: value})
    ledger = _ledger()
    with pytest.raises(error) as raised:
        ledger.extend(batch)
    assert isinstance(raised.value, WhereaboutsError)
    assert raised.value.field == field
    assert len(ledger) == 0


def test_codes_outside_their_table_and_columns_of_other_lengths() -> None:
    import attrs

    good = _batch(_valid())
    with pytest.raises(InvalidObservation, match=r"row 2, places: .*outside its table"):
        _ledger().extend(attrs.evolve(good, places=[0, 1, 7]))
    with pytest.raises(InvalidObservation, match="kinds: has 2 codes for 3 rows"):
        attrs.evolve(good, kinds=[0, 1])
    with pytest.raises(InvalidObservation, match="notes"):
        _ledger().extend(attrs.evolve(good, notes={5: "x"}))
    with pytest.raises(InvalidObservation, match="batch"):
        _ledger().extend("rows")  # type: ignore[arg-type]


def test_default_ids_move_past_taken_ones_as_one_by_one() -> None:
    rows = _valid()
    rows[0] = {**rows[0], "id": "o2"}  # the second row's default is taken: it becomes o3
    expected = _ledger()
    _one_by_one(expected, [{**r, "after": ["o2"] if r.get("after") else []} for r in rows])
    actual = _ledger()
    actual.extend(_batch([{**r, "after": ["o2"] if r.get("after") else []} for r in rows]))
    assert actual == expected
    assert [o.id for o in actual.observations] == ["o2", "o3", "family-1"]


@pytest.mark.parametrize("ids", [
    ["o2", "o3", "o4"],  # every row its own id, none its default
    ["o1", "x-7", "o9"],
    ["o1", "o1", "o3"],  # twice
    ["o1", "bad id", "o3"],  # not an id
    ["o1", "amal", "o3"],  # an entity's
])
def test_rows_that_all_bring_ids_are_checked_as_one_by_one(ids: list[str]) -> None:
    rows = [{**row, "id": oid, "after": []} for row, oid in zip(_valid(), ids, strict=True)]
    expected, actual = _ledger(), _ledger()
    expected.observe("dana", "seen at", place=LB, when="2024-11-01", source=WIRE,
                     reported="2024-11-20")
    actual.observe("dana", "seen at", place=LB, when="2024-11-01", source=WIRE,
                   reported="2024-11-20")
    refused: WhereaboutsError | None = None
    try:
        _one_by_one(expected, rows)
    except WhereaboutsError as err:
        refused = err
    if refused is None:
        actual.extend(_batch(rows))
        assert actual == expected
    else:
        with pytest.raises(type(refused), match="row"):
            actual.extend(_batch(rows))
        assert len(actual) == 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_rows(), cuts=st.lists(st.integers(0, 12), max_size=3), retract=st.booleans())
def test_the_subject_index_of_batches_equals_one_built_row_by_row(
        rows: list[dict[str, Any]], cuts: list[int], retract: bool) -> None:
    """Batches index their subjects when first asked for (Timeline.by_subject), all
    at once; with claims observed and retracted between the batches, the index holds
    what indexing every row as it came does."""
    from whereabouts._timeline import Timeline

    rows = [{**row, "id": None, "after": [], "throughout": None}
            for row in _place_values(rows)]
    ledger = _ledger()
    try:
        _one_by_one(_ledger(), rows)
    except WhereaboutsError:
        assume(False)  # a refused batch: see the test above
    start = 0
    with ledger._one_load():  # as a file read in parts: no standing worked out in between
        for number, cut in enumerate([*sorted(min(c, len(rows)) for c in cuts), len(rows)]):
            if cut > start:
                ledger.extend(_batch(rows[start:cut]))
                start = cut
            if number % 2:  # else the next batch follows at once: one index built for both
                seen = ledger.observe("dana", "seen at", place=SY, when="2024-12-03",
                                      source=WIRE, reported="2024-12-04",
                                      id=f"between{number}")
                if retract:
                    ledger.retract(seen.id, reported="2024-12-05", source=WIRE)
    built = {e: sorted(rows) for e, rows in ledger._timeline.by_subject.items() if rows}
    fresh = {e: sorted(rows) for e, rows in Timeline(ledger._store).by_subject.items()
             if rows}
    assert built == fresh


def test_ids_found_free_by_planning_are_trusted_only_while_the_store_has_not_grown() -> None:
    """An import checks a part's ids when it plans it, keeping those found free
    (stored_ids(keep=True)); the batch's own check then takes them. Once a row has
    been stored since, they are looked up again."""
    from whereabouts._bulk import stored_ids

    ledger = _ledger()
    ledger.observe("amal", "seen at", place=LB, when="2024-12-01", source=WIRE, id="x1")
    store = ledger._store
    assert stored_ids(store, {"x1", "x2", "o2", "o1"}, keep=True) == {"x1"}
    free = store.memo.pop("free ids")
    assert free == (1, {"x2", "o2", "o1"})  # o1 is not row 1's id: x1 is
    assert stored_ids(store, {"x2"}, free=free) == set()  # trusted: the store is as it was
    ledger.observe("amal", "seen at", place=LB, when="2024-12-02", source=WIRE, id="x2")
    assert stored_ids(store, {"x2"}, free=free) == {"x2"}  # grown: looked up again
    assert stored_ids(store, {"o2"}, free=free) == set()  # o2 is x2's default, not its id
    ledger.observe("amal", "seen at", place=LB, when="2024-12-03", source=WIRE)
    assert stored_ids(store, {"o3", "o2"}, free=free) == {"o3"}  # row 3 keeps its default


def test_a_part_appended_after_its_plan_refuses_an_id_stored_in_between() -> None:
    """Ledger.extend checks a batch's ids itself, whatever planning found: an id stored
    between the plan and the append is refused."""
    from whereabouts.io._plan import plan

    ledger = _ledger()
    cells = {"id": ["x1"], "subjects": ["amal"], "kind": ["seen at"], "place": ["Beirut"],
             "when": ["2024-12-01"], "source": ["a wire"], "reported": [""],
             "reliability": [""], "credibility": [""], "note": [""], "after": [""]}
    planned = plan(cells, [2], ledger)
    assert not planned.problems
    assert "free ids" in ledger._store.memo
    ledger.observe("badr", "seen at", place=LB, when="2024-12-01", source=WIRE, id="x1")
    with pytest.raises(DuplicateId):
        ledger.extend(planned.batch)
    assert len(ledger) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_rows(), retract=st.booleans())
def test_small_batches_after_a_large_one_are_indexed_apart(
        rows: list[dict[str, Any]], retract: bool) -> None:
    """After a large batch is grouped by entity, batches of under an eighth of the
    ledger go to small arrays per entity (SubjectIndex.extend); the index still holds
    what indexing every row as it came does, groups' and several subjects' rows too."""
    from whereabouts._timeline import Timeline

    rows = [{**row, "id": None, "after": [], "throughout": None}
            for row in _place_values(rows)]
    try:
        _one_by_one(_ledger(), rows)
    except WhereaboutsError:
        assume(False)
    ledger = _ledger()
    large = [{**rows[0], "subjects": ["amal", "dana"] if n % 3 else "family"}
             for n in range(16 * len(rows) + 16)]  # the rest stay under an eighth
    ledger.extend(_batch(large))
    grouped = ledger._timeline.by_subject  # read: the large batch is grouped now
    for row in rows:
        ledger.extend(_batch([row]))
        if retract:
            ledger.retract(ledger.observations[-1].id, reported="2025-02-01", source=WIRE)
    built = dict(ledger._timeline.by_subject.items())  # read: the small batches indexed
    assert grouped._more  # in small arrays, apart from the grouped rows
    fresh = dict(Timeline(ledger._store).by_subject.items())
    assert {e: sorted(r) for e, r in built.items()} == {e: sorted(r) for e, r in fresh.items()}
