"""The compact date table and the bulk parser (whereabouts._whens), and When.of."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_batch
from tests.strategies import edtf_datetimes, edtf_texts, instants
from whereabouts._whens import DAY, MONTH, OBJECT, SECOND_OFFSET, YEAR, Dates, parse_many
from whereabouts.batch import Batch
from whereabouts.errors import InvalidDate, InvalidObservation, WhereaboutsError
from whereabouts.when import When


def _same(found: When | None, expected: When | None) -> None:
    """Equal, and equal in every slot (== compares texts only)."""
    assert found == expected
    if expected is not None:
        assert found is not None
        assert (found.text, found.lower, found.upper, found.uncertain, found.approximate) == (
            expected.text, expected.lower, expected.upper, expected.uncertain,
            expected.approximate)


# -- When.of ------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                    timezones=st.one_of(st.none(), st.timezones())))
def test_of_a_datetime_equals_parsing_its_text(value: datetime) -> None:
    when = When.of(value)
    _same(when, When.parse(when.text))
    moment = value if value.tzinfo is None else value.astimezone(timezone.utc)
    assert when.text == moment.strftime("%Y-%m-%dT%H:%M:%SZ").rjust(20, "0")


@given(st.dates())
def test_of_a_date_equals_parsing_its_text(value: date) -> None:
    when = When.of(value)
    _same(when, When.parse(value.isoformat()))


def test_of_keeps_its_errors() -> None:
    late = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-3)))
    with pytest.raises(InvalidDate, match=r"seen: .*outside years 0001-9999 in UTC"):
        When.of(late, field="seen")
    with pytest.raises(InvalidDate, match="expected a date or datetime, got str"):
        When.of("2024-01-01")  # type: ignore[arg-type]


def test_of_drops_microseconds() -> None:
    assert When.of(datetime(2024, 1, 1, 0, 0, 0, 999_999)) == When("2024-01-01T00:00:00Z")


# -- the table -----------------------------------------------------------------------


@settings(max_examples=300)
@given(st.lists(st.none() | edtf_texts().map(When.parse), max_size=8))
def test_a_table_gives_back_what_was_added(values: list[When | None]) -> None:
    table = Dates()
    codes = [table.code(v) for v in values]
    for code, value in zip(codes, values, strict=True):
        _same(table[code], value)
    copy = Dates()
    first = copy.extend(table)
    assert list(copy) == list(table)
    assert first == 0
    listed = Dates()
    listed.code(None)
    assert listed.extend(values) == 1
    assert listed[1:] == values


@settings(max_examples=200)
@given(st.lists(st.none() | edtf_texts().map(When.parse), max_size=8))
def test_bounds_are_those_of_the_values(values: list[When | None]) -> None:
    table = Dates()
    table.extend(values)
    starts, ends = table.bounds()
    assert list(starts) == [-float("inf") if v is None else v.lower for v in values]
    assert list(ends) == [float("inf") if v is None else v.upper for v in values]
    if values:
        assert list(table.bounds(len(values) - 1)[0]) == list(starts[-1:])


@given(st.lists(st.none() | edtf_texts().map(When.parse), min_size=1, max_size=8),
       st.lists(st.integers(0, 7), max_size=12))
def test_bounds_of_some_codes_are_those_of_the_whole_table(
        values: list[When | None], picks: list[int]) -> None:
    """A batch's dates are read alone (fewer codes than dates) or from the whole
    table's bounds (as many or more): the same numbers either way."""
    import numpy as np

    from whereabouts._arrays import bounds_of
    from whereabouts._store import Store

    store = Store()
    store.whens.extend(values)
    codes = np.array([pick % len(store.whens) for pick in picks], dtype=np.int32)
    starts, ends = store.whens.bounds()
    found = bounds_of(store, codes)
    assert (list(found[0]), list(found[1])) == (list(starts[codes]), list(ends[codes]))


def test_plain_dates_are_numbers_and_the_others_objects() -> None:
    table = Dates()
    table.extend([When(t) for t in ("2024", "2024-02", "2024-02-29", "2024-02-29T10:00-05:30",
                                    "2024-02-29T10:00-00:00", "2024?", "2024/2025")])
    assert list(table.shape) == [YEAR, MONTH, DAY, SECOND_OFFSET, OBJECT, OBJECT, OBJECT]
    assert table.offsets().tolist()[3] == -330
    assert table.objects == 3
    assert [c for c, _ in table.object_codes()] == [4, 5, 6]
    assert table[4] == When("2024-02-29T10:00:00-00:00")


def test_only_the_value_added_just_before_shares_a_code() -> None:
    table = Dates()
    day, other = When("2024-01-01"), When("2024-01-02")
    assert [table.code(day), table.code(day), table.code(other), table.code(day)] == [0, 0, 1, 2]
    interval = When("2024/2025")
    table.code(interval)
    table.code(other)
    table.code(interval)
    assert table.objects == 1  # an object is kept once, whatever its codes


def test_a_slice_and_the_end_of_the_calendar() -> None:
    table = Dates()
    table.extend([When("9999"), When("9999-12"), When("9999-12-31T23:59:59+14:00")])
    assert table[0:2] == [When("9999"), When("9999-12")]
    assert table[0].upper == table[1].upper == When("9999-12-31").upper  # type: ignore[union-attr]


# -- parse_many ----------------------------------------------------------------------

_TWEAKS = st.sampled_from([
    "2024-02-30", "2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "2024-13",
    "2024-00", "0000", "0000-01-01", "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z",
    "2024-01-01T23:59:60Z", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+01:60",
    "2024-01-01T10:00:00-00:00", "2024-01-01T10:00:00.5Z", "2024-01-01 10:00:00",
    "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "2024-1-01", "2024-01-01t10:00Z",
    "2024-01-01T10:00:00z", "2024-01-01T10:00:00*01:00", "２０２４", "2024-01-0١", "", " ",
    "2024-01-01T10:00", "2024-01-01T10:00Z", "2024-01-01T10:00+05:45", "2024-01-01T10:00:00",
    "abcd", "ab-cd-ef", "2024-01-01T10:00:00+0100", "2024-21", "20XX", "2024~",
])


def _texts() -> st.SearchStrategy[list[str]]:
    return st.lists(edtf_texts() | edtf_datetimes() | _TWEAKS | st.text(max_size=25),
                    max_size=30)


def _one_by_one(text: object, field: str) -> When | InvalidDate:
    try:
        return When.parse(text, field=field)  # type: ignore[arg-type]
    except InvalidDate as err:
        return err


@settings(max_examples=400)
@given(_texts(), st.booleans())
def test_parse_many_reads_as_parse_does(texts: list[str], blank_is_none: bool) -> None:
    dates, failures = parse_many(texts, field="seen", blank_is_none=blank_is_none)
    assert len(dates) == len(texts)
    for index, text in enumerate(texts):
        if blank_is_none and not text.strip():
            assert dates[index] is None
            assert index not in failures
            continue
        expected = _one_by_one(text, "seen")
        if isinstance(expected, InvalidDate):
            assert dates[index] is None
            assert str(failures[index]) == str(expected)
            assert (failures[index].field, failures[index].value) == ("seen", text)
        else:
            assert index not in failures
            _same(dates[index], expected)
    starts, _ = dates.bounds()
    assert len(starts) == len(texts)


@given(st.lists(instants(), max_size=20))
def test_parse_many_reads_instants_as_numbers(moments: list[datetime]) -> None:
    texts = [When.of(m).text for m in moments]
    dates, failures = parse_many(texts)
    assert not failures
    assert dates.objects == 0
    assert [d.text for d in dates if d is not None] == texts


def test_parse_many_refuses_what_is_not_text() -> None:
    dates, failures = parse_many(["2024", 2024, None])
    assert dates[0] == When("2024")
    assert dates[1] is None
    assert dates[2] is None
    assert str(failures[1]) == "when: 2024: expected an EDTF string, got int"
    assert str(failures[2]) == "when: expected an EDTF string, got NoneType"


def test_each_failure_is_its_own_error() -> None:
    _, failures = parse_many(["2024-02-30", "2024-02-30"])
    assert failures[0] is not failures[1]
    assert str(failures[0]) == str(failures[1])


def test_parse_many_of_nothing() -> None:
    dates, failures = parse_many([])
    assert len(dates) == 0
    assert failures == {}


# -- a batch that carries its dates as a table of numbers ----------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=test_batch._rows(), before=st.integers(0, 3), shared=st.booleans())
def test_a_batch_of_dates_read_by_parse_many_equals_its_rows_one_by_one(
        rows: list[dict[str, Any]], before: int, shared: bool) -> None:
    rows = test_batch._place_values(rows)
    expected, actual = test_batch._ledger(), test_batch._ledger()
    for ledger in (expected, actual):
        for n in range(before):
            ledger.observe("dana", "seen at", place=test_batch.LB, when=f"2024-11-0{n + 1}",
                           source=test_batch.WIRE, reported="2024-11-20")
    refused: WhereaboutsError | None = None
    try:
        test_batch._one_by_one(expected, rows)
    except WhereaboutsError as err:
        refused = err
    batch = _as_dates(test_batch._batch(rows), shared=shared)
    dates_before = len(actual._store.whens)
    if refused is not None:
        with pytest.raises(type(refused)) as raised:
            actual.extend(batch)
        assert (raised.value.reason, raised.value.value) == (refused.reason, refused.value)
        assert raised.value.field == f"row {len(expected) - before}, {refused.field}"
        assert len(actual) == before
        assert len(actual._store.whens) == dates_before  # none of its dates kept
        return
    actual.extend(batch)
    assert actual == expected
    assert [str(a) for a in actual.everyone()] == [str(a) for a in expected.everyone()]
    assert [str(a) for a in actual.everyone(as_of="2024-12-05")] == [
        str(a) for a in expected.everyone(as_of="2024-12-05")]


def _as_dates(batch: Batch, *, shared: bool) -> Batch:
    """The batch with its two date tables read by parse_many (one table for both, if
    ``shared``)."""
    def texts(table: Sequence[When | None]) -> list[str]:
        return ["" if w is None else w.text for w in table]

    if not shared:
        whens, _ = parse_many(texts(batch.when_table), blank_is_none=True)
        reported, _ = parse_many(texts(batch.reported_table), blank_is_none=True)
        return attrs.evolve(batch, when_table=whens, reported_table=reported)
    both, _ = parse_many(texts(batch.when_table) + texts(batch.reported_table),
                         blank_is_none=True)
    offset = len(batch.when_table)
    return attrs.evolve(batch, when_table=both, reported_table=both,
                        reported=[c + offset for c in batch.reported])


def test_an_unbounded_report_in_a_table_of_dates_is_refused() -> None:
    ledger = test_batch._ledger()
    dates, _ = parse_many(["2024-12-01", "2024-12-01/.."])
    batch = test_batch._batch([{"subjects": "amal", "kind": "seen at", "place": test_batch.LB,
                                "when": "2024-12-01", "reported": "2024-12-02"}])
    batch = attrs.evolve(batch, when_table=dates, reported_table=dates, whens=[0], reported=[1])
    with pytest.raises(InvalidObservation, match=r"row 0, reported: .*must have an end"):
        ledger.extend(batch)
    assert len(ledger._store.whens) == 1


def test_a_notebook_shows_the_span_of_the_claims_dates() -> None:
    from whereabouts import Ledger

    ledger = test_batch._ledger()
    texts = ["2024-12", "/2023-05-01", "2025-01-05T23:59:59-03:00", "2024-12-08/.."]
    for text in texts:
        ledger.observe("amal", "seen at", place=test_batch.LB, when=text,
                       source=test_batch.WIRE)
    dates = [When(t) for t in texts]
    first = min(d.earliest for d in dates if d.earliest is not None)
    last = max(d.latest for d in dates if d.latest is not None)
    assert f"claims dated between {first.date()} and {last.date()}" in ledger._repr_html_()
    assert "claims dated" not in Ledger()._repr_html_()
