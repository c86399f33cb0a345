"""Tests for whereabouts.when: parsing, bounds, printing and comparing EDTF dates.

The ``edtf`` package serves as an oracle for the bounds. It is day-granular:
``lower_strict()`` and ``upper_strict()`` return the first and last *day* as a
``time.struct_time`` (or a float infinity for an open end), so the tests
compare the dates of ``When.earliest`` and ``When.latest`` with them.

Where the oracle is skipped, and deliberate differences from ``edtf`` 5.0.2:

* Unknown ends (``2024-12-08/``, ``/2024-12-08``): edtf guesses ten years
  either side; a When leaves the end unbounded (``None``), because nothing is
  known. :func:`test_edtf_guesses_unknown_ends_where_when_does_not` pins this.
* Date-times: edtf takes the *local* date and ignores the offset; a When
  converts to UTC. It also cannot read ``hh:mm`` without seconds, nor
  date-times inside intervals or sets. The oracle is used for date-times in
  UTC only.
* Unspecified digits beyond level 1 (``2024-1X``, ``2024-12-0X``,
  ``2024-X2``): edtf crashes; the expected bounds are written out instead.
* ``XXXX`` and other patterns that include year 0000: edtf starts at year 0;
  a When supports years 0001-9999 only and starts at 0001.
* Sets: edtf takes the same hull as a When, but it rejects one-member sets,
  qualifiers before ``..`` or ``,``, and ranges whose sides differ in
  precision, and it crashes on ``..A`` or ``A..`` beside other members. A When
  accepts all of these.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import pickle
import re
import time
from datetime import date, datetime, timedelta, timezone

import attrs
import edtf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import (
    edtf_dates,
    edtf_level1_dates,
    edtf_oracle_texts,
    edtf_texts,
    instants,
)
from whereabouts.errors import InvalidDate
from whereabouts.when import When, end_of

UTC = timezone.utc


def at(text: str) -> datetime:
    """An aware UTC datetime from an ISO text without offset ('2024-12-07' or with a time)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def seconds(text: str) -> float:
    return at(text).timestamp()


def oracle(text: str) -> tuple[tuple[int, ...] | float, tuple[int, ...] | float]:
    """edtf's strict bounds for *text*: (y, m, d) tuples, or a float infinity."""

    def day(bound: time.struct_time | float) -> tuple[int, ...] | float:
        return bound if isinstance(bound, float) else tuple(bound[:3])

    with contextlib.redirect_stdout(io.StringIO()):  # edtf prints while it backtracks
        parsed = edtf.parse_edtf(text)
        return day(parsed.lower_strict()), day(parsed.upper_strict())


def day_bounds(when: When) -> tuple[tuple[int, ...] | float, tuple[int, ...] | float]:
    """The dates of earliest and latest in the shape :func:`oracle` returns."""
    earliest, latest = when.earliest, when.latest
    return (
        -math.inf if earliest is None else earliest.timetuple()[:3],
        math.inf if latest is None else latest.timetuple()[:3],
    )


# -- every accepted form, with its bounds -------------------------------------------------

# (text, earliest, upper): upper is exclusive, None stands for an unbounded end, and
# YEAR_10000 for 10000-01-01, which datetime cannot hold.
YEAR_10000 = "10000-01-01"
# ORACLE_CASES are also checked against edtf; OTHER_CASES are those where edtf cannot
# serve as the oracle (the module docstring says why).

ORACLE_CASES = [
    # plain dates
    ("2024", "2024-01-01", "2025-01-01"),
    ("2024-12", "2024-12-01", "2025-01-01"),
    ("2024-02", "2024-02-01", "2024-03-01"),
    ("2023-02", "2023-02-01", "2023-03-01"),
    ("2024-12-07", "2024-12-07", "2024-12-08"),
    ("2024-12-31", "2024-12-31", "2025-01-01"),
    ("2024-02-29", "2024-02-29", "2024-03-01"),
    ("0001-01-01", "0001-01-01", "0001-01-02"),
    ("1970", "1970-01-01", "1971-01-01"),
    # date-times in UTC (edtf reads the date)
    ("2024-12-07T10:00:00Z", "2024-12-07T10:00:00", "2024-12-07T10:00:01"),
    ("2024-12-07T23:59:59Z", "2024-12-07T23:59:59", "2024-12-08T00:00:00"),
    ("2024-12-07T10:00:00", "2024-12-07T10:00:00", "2024-12-07T10:00:01"),
    # qualifiers leave the bounds alone
    ("2024-12?", "2024-12-01", "2025-01-01"),
    ("2024-12-07~", "2024-12-07", "2024-12-08"),
    ("2024%", "2024-01-01", "2025-01-01"),
    # unspecified digits, level 1
    ("201X", "2010-01-01", "2020-01-01"),
    ("20XX", "2000-01-01", "2100-01-01"),
    ("1XXX", "1000-01-01", "2000-01-01"),
    ("2024-XX", "2024-01-01", "2025-01-01"),
    ("2024-12-XX", "2024-12-01", "2025-01-01"),
    ("2024-02-XX", "2024-02-01", "2024-03-01"),
    ("2023-02-XX", "2023-02-01", "2023-03-01"),
    ("201X?", "2010-01-01", "2020-01-01"),
    ("2024-XX~", "2024-01-01", "2025-01-01"),
    ("2024-XX-07", "2024-01-07", "2024-12-08"),
    # intervals
    ("2024-12/2025", "2024-12-01", "2026-01-01"),
    ("2024-12-07/2024-12-08", "2024-12-07", "2024-12-09"),
    ("2024-12-07/2024-12-07", "2024-12-07", "2024-12-08"),
    ("2024-12/2024-12-05", "2024-12-01", "2024-12-06"),
    ("2024-12-07?/2025~", "2024-12-07", "2026-01-01"),
    ("201X/2020", "2010-01-01", "2021-01-01"),
    ("2024-12-08/..", "2024-12-08", None),
    ("../2024-12-07", None, "2024-12-08"),
    ("2024-12-08?/..", "2024-12-08", None),
    ("../2024-12-07~", None, "2024-12-08"),
    # sets: one of, all of
    ("[2024-12-01,2024-12-05..2024-12-07]", "2024-12-01", "2024-12-08"),
    ("[2024-12-07,2024-12-01]", "2024-12-01", "2024-12-08"),
    ("[..2024-12-07]", None, "2024-12-08"),
    ("[2024-12-07..]", "2024-12-07", None),
    ("[..2024,2026]", None, "2027-01-01"),
    ("[2024,2026..]", "2024-01-01", None),
    ("[2024?,2025~]", "2024-01-01", "2026-01-01"),
    ("{2024-12-01,2024-12-05}", "2024-12-01", "2024-12-06"),
    ("{1667,1668,1670..1672}", "1667-01-01", "1673-01-01"),
    ("{..2024}", None, "2025-01-01"),
    ("{2024..}", "2024-01-01", None),
]

OTHER_CASES = [
    # date-times with offsets (edtf ignores the offset) or without seconds (edtf refuses)
    ("2024-12-07T10:00:00+03:00", "2024-12-07T07:00:00", "2024-12-07T07:00:01"),
    ("2024-12-07T10:00:00-05:30", "2024-12-07T15:30:00", "2024-12-07T15:30:01"),
    ("2024-12-07T23:30:00-01:00", "2024-12-08T00:30:00", "2024-12-08T00:30:01"),
    ("2024-12-07T00:30:00+01:00", "2024-12-06T23:30:00", "2024-12-06T23:30:01"),
    ("2024-12-07T10:00:00+00:00", "2024-12-07T10:00:00", "2024-12-07T10:00:01"),
    ("2024-12-07T10:00:00-00:00", "2024-12-07T10:00:00", "2024-12-07T10:00:01"),
    # unspecified digits beyond level 1 (edtf crashes)
    ("2024-1X", "2024-10-01", "2025-01-01"),
    ("2024-0X", "2024-01-01", "2024-10-01"),
    ("2024-X2", "2024-02-01", "2025-01-01"),
    ("2024-12-0X", "2024-12-01", "2024-12-10"),
    ("2024-12-1X", "2024-12-10", "2024-12-20"),
    ("2024-12-3X", "2024-12-30", "2025-01-01"),
    ("2024-11-3X", "2024-11-30", "2024-12-01"),
    ("2024-02-2X", "2024-02-20", "2024-03-01"),
    ("2023-02-2X", "2023-02-20", "2023-03-01"),
    ("2024-XX-31", "2024-01-31", "2025-01-01"),
    ("2024-XX-30", "2024-01-30", "2024-12-31"),
    ("XXXX-02-29", "0004-02-29", "9996-03-01"),
    ("XXXX-12", "0001-12-01", YEAR_10000),
    ("19X5-12-2X", "1905-12-20", "1995-12-30"),
    ("X999", "0999-01-01", YEAR_10000),
    # intervals with date-times (edtf cannot read them)
    ("2024-12-07/2024-12-08T10:00:00Z", "2024-12-07", "2024-12-08T10:00:01"),
    (
        "2024-12-07T10:00:00+03:00/2024-12-07T08:00:00Z",
        "2024-12-07T07:00:00",
        "2024-12-07T08:00:01",
    ),
    ("2024-12-07T10:00:00Z/2024-12-07T10:00:00Z", "2024-12-07T10:00:00", "2024-12-07T10:00:01"),
    ("2024-12-07T10:00:00Z/..", "2024-12-07T10:00:00", None),
    # unknown ends (edtf guesses ten years; see test_edtf_guesses_unknown_ends...)
    ("2024-12-08/", "2024-12-08", None),
    ("/2024-12-08", None, "2024-12-09"),
    ("2024-12-08~/", "2024-12-08", None),
    # sets edtf refuses: one member, date-times, mixed-precision ranges, both open edges
    ("[2024]", "2024-01-01", "2025-01-01"),
    ("{2024-12-07T10:00:00Z,2025}", "2024-12-07T10:00:00", "2026-01-01"),
    ("[2024-12..2025]", "2024-12-01", "2026-01-01"),
    ("[2024-12%..2025-01?]", "2024-12-01", "2025-02-01"),
    ("[..2020,2024..]", None, None),
    ("{..2020,2022,2024..}", None, None),
    ("[2024-1X,2025-XX-31]", "2024-10-01", "2026-01-01"),
]


@pytest.mark.parametrize(
    ("text", "earliest", "upper"),
    ORACLE_CASES + OTHER_CASES,
    ids=[case[0] for case in ORACLE_CASES + OTHER_CASES],
)
def test_bounds(text: str, earliest: str | None, upper: str | None) -> None:
    when = When.parse(text)
    if upper == YEAR_10000:
        assert when.upper == seconds("9999-12-31") + 86400
        assert when.latest == at("9999-12-31T23:59:59.999999")
    else:
        assert when.upper == (math.inf if upper is None else seconds(upper))
        assert when.latest == (None if upper is None else at(upper) - timedelta(microseconds=1))
    assert when.lower == (-math.inf if earliest is None else seconds(earliest))
    assert when.earliest == (None if earliest is None else at(earliest))
    assert when.lower < when.upper


@pytest.mark.parametrize(
    ("text", "earliest", "upper"), ORACLE_CASES, ids=[case[0] for case in ORACLE_CASES]
)
def test_bounds_agree_with_edtf(text: str, earliest: str | None, upper: str | None) -> None:
    assert day_bounds(When.parse(text)) == oracle(text)


def test_edtf_guesses_unknown_ends_where_when_does_not() -> None:
    # edtf 5.0.2 puts an unknown end ten years from the known one; a When leaves it open,
    # because an unknown end bounds nothing. This is deliberate.
    assert oracle("2024-12-08/")[1] == (2034, 12, 8)
    assert oracle("/2024-12-08")[0] == (2014, 12, 8)
    assert When.parse("2024-12-08/").latest is None
    assert When.parse("/2024-12-08").earliest is None


def test_edtf_starts_xxxx_at_year_zero_where_when_starts_at_one() -> None:
    # Deliberate: years run 0001-9999 here, so the widest range for XXXX starts at 0001.
    assert oracle("XXXX")[0] == (0, 1, 1)
    assert When.parse("XXXX").earliest == at("0001-01-01")
    assert When.parse("XXXX").latest == at("9999-12-31T23:59:59.999999")


def test_edtf_takes_the_local_date_of_a_datetime() -> None:
    # Deliberate: a When converts to UTC, edtf keeps the date as written.
    assert oracle("2024-12-07T00:30:00+01:00")[0] == (2024, 12, 7)
    assert When.parse("2024-12-07T00:30:00+01:00").earliest == at("2024-12-06T23:30")


def test_edges_of_the_supported_range() -> None:
    first = When.parse("0001-01-01")
    assert first.earliest == datetime(1, 1, 1, tzinfo=UTC)
    last = When.parse("9999-12-31")
    assert last.latest == datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert last.upper - last.lower == 86400
    assert When.parse("9999").latest == last.latest
    assert When.parse("9999-12-31T23:59:59Z").latest == last.latest


# -- printing ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [case[0] for case in ORACLE_CASES + OTHER_CASES])
def test_canonical_text_round_trips(text: str) -> None:
    when = When.parse(text)
    assert str(when) == text
    assert When.parse(str(when)) == when
    assert repr(when) == f"When({text!r})"
    assert eval(repr(when)) == when  # When(text) parses too


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2024-12-07T10:00Z", "2024-12-07T10:00:00Z"),
        ("2024-12-07T10:00", "2024-12-07T10:00:00"),
        ("2024-12-07T10:00+03:00", "2024-12-07T10:00:00+03:00"),
        ("2024-12-07/2024-12-08T10:00Z", "2024-12-07/2024-12-08T10:00:00Z"),
        ("[2024-12-07T10:00Z..2024-12-08]", "[2024-12-07T10:00:00Z..2024-12-08]"),
    ],
)
def test_minutes_without_seconds_are_printed_with_seconds(text: str, canonical: str) -> None:
    when = When.parse(text)
    assert str(when) == canonical
    assert When.parse(canonical) == when
    assert (when.lower, when.upper) == (When.parse(canonical).lower, When.parse(canonical).upper)


@pytest.mark.parametrize(
    ("text", "uncertain", "approximate"),
    [
        ("2024-12-07", False, False),
        ("2024-12?", True, False),
        ("2024-12-07~", False, True),
        ("2024%", True, True),
        ("201X?", True, False),
        ("2024-12-07?/2025", True, False),
        ("2024-12-07/2025~", False, True),
        ("2024?/2025~", True, True),
        ("../2024%", True, True),
        ("[2024,2025?]", True, False),
        ("{2024~,2025}", False, True),
        ("[2024..2025%]", True, True),
        ("2024-12-07T10:00:00Z", False, False),
    ],
)
def test_qualifiers_are_kept_as_flags(text: str, uncertain: bool, approximate: bool) -> None:
    when = When.parse(text)
    assert (when.uncertain, when.approximate) == (uncertain, approximate)
    assert str(when) == text


def test_qualifiers_do_not_change_bounds() -> None:
    plain = When.parse("2024-12")
    for qualifier in "?~%":
        qualified = When.parse("2024-12" + qualifier)
        assert (qualified.lower, qualified.upper) == (plain.lower, plain.upper)
        assert qualified != plain  # different texts are different values


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2024", "date"),
        ("2024-12-XX", "date"),
        ("2024-12-07T10:00:00Z", "datetime"),
        ("2024/2025", "interval"),
        ("2024/..", "interval"),
        ("/2024", "interval"),
        ("[2024,2025]", "one_of"),
        ("{2024,2025}", "all_of"),
    ],
)
def test_kind(text: str, kind: str) -> None:
    when = When.parse(text)
    assert when.kind == kind
    assert when.is_interval == (kind == "interval")
    assert when.is_set == (kind in ("one_of", "all_of"))


@pytest.mark.parametrize(
    ("text", "bounded"),
    [
        ("2024", True),
        ("2024/2025", True),
        ("2024/..", False),
        ("/2024", False),
        ("[..2024]", False),
    ],
)
def test_is_bounded(text: str, bounded: bool) -> None:
    assert When.parse(text).is_bounded is bounded


# -- errors ---------------------------------------------------------------------------

MALFORMED = [
    ("yesterday", "not an EDTF date"),
    ("2024-13-01", "month 13 does not exist"),
    ("2024-13", "month 13 does not exist"),
    ("2024-00", "month 00 does not exist"),
    ("2024-21", r"month 21 does not exist \(EDTF seasons, 21-41, are not supported\)"),
    ("2024-2X", "month 2X does not exist"),
    ("201X-13", "month 13 does not exist"),
    ("2024-02-30", "day 30 does not exist in 2024-02"),
    ("2023-02-29", "day 29 does not exist in 2023-02"),
    ("2024-12-32", "day 32 does not exist in 2024-12"),
    ("2024-12-00", "day 00 does not exist in 2024-12"),
    ("2024-11-31", "day 31 does not exist in 2024-11"),
    ("2024-02-3X", "day 3X does not exist in 2024-02"),
    ("2023-02-29~", "day 29 does not exist in 2023-02"),
    ("XXX1-02-29", "day 29 does not exist in XXX1-02"),
    ("0000", r"year 0000 is not supported \(years run from 0001 to 9999\)"),
    ("0000-XX", r"year 0000 is not supported"),
    ("-2024", "negative years are not supported"),
    ("Y12345", "years outside 0001-9999 are not supported"),
    ("", "empty text is not a date"),
    ("   ", "blank text is not a date"),
    ("2024 -12", "whitespace is not allowed in an EDTF date"),
    (" 2024", "whitespace is not allowed in an EDTF date"),
    ("2024-12-07\n", "whitespace is not allowed in an EDTF date"),
    ("[2024, 2025]", "whitespace is not allowed in an EDTF date"),
    ("2024-12-07T25:00Z", "hour 25 does not exist"),
    ("2024-12-07T24:00:00Z", "hour 24 does not exist"),
    ("2024-12-07T10:60:00Z", "minute 60 does not exist"),
    ("2024-12-07T10:00:60Z", "second 60 does not exist"),
    ("2024-12-07T10:00:00+24:00", r"offset \+24:00 is out of range"),
    ("2024-12-07T10:00:00+03:60", r"offset \+03:60 is out of range"),
    ("2024-12-07T10:00:00+0300", "not an EDTF date-time"),
    ("2024-12-07T10:00:00.5Z", "fractional seconds are not supported"),
    ("2024-12-07T10:00:00Z?", "qualifiers .* apply to dates, not date-times"),
    ("2024-12-XXT10:00:00Z", r"unspecified digits \(X\) are not supported in a date-time"),
    ("2024-02-30T10:00:00Z", "day 30 does not exist in 2024-02"),
    ("0001-01-01T00:30:00+01:00", "date-time falls outside years 0001-9999 in UTC"),
    ("2024-12-07T10", "not an EDTF date-time"),
    ("2024-1-5", "expected YYYY, YYYY-MM or YYYY-MM-DD with zero-padded numbers"),
    ("24-12-07", "expected YYYY, YYYY-MM or YYYY-MM-DD with zero-padded numbers"),
    ("20241207", "expected YYYY, YYYY-MM or YYYY-MM-DD with zero-padded numbers"),
    ("2024-12-0٧", "not an EDTF date"),  # a non-ASCII digit
    ("2024/12/07", "an interval has exactly one '/'"),
    ("201x", "unspecified digits are written with an upper-case X"),
    ("2024-uu", "unspecified digits are written with an upper-case X"),
    ("Thursday", "not an EDTF date$"),
    ("Today", "not an EDTF date$"),
    ("2024-12T10:00:00Z", "expected a date-time as YYYY-MM-DDThh:mm:ss with Z or ±hh:mm"),
    ("2024-12-07T", "not an EDTF date-time"),
    ("2024?~", "a date takes one qualifier at its end; write % for uncertain and approximate"),
    ("2024?-12", r"qualifiers \(\?, ~, %\) are only supported at the end of a date"),
    ("?2024", r"qualifiers \(\?, ~, %\) are only supported at the end of a date"),
    ("..", r"'\.\.' \(open\) is only allowed"),
    ("2024-12-08/2024-12-01", "interval ends before it starts"),
    ("2024-12-08/2024-12-07", "interval ends before it starts"),
    ("2025/2024-12", "interval ends before it starts"),
    ("2024-12-07T10:00:01Z/2024-12-07T10:00:00Z", "interval ends before it starts"),
    ("2024-12-07T10:00:00+03:00/2024-12-07T06:59:59Z", "interval ends before it starts"),
    ("../..", "an interval needs at least one known end"),
    ("/", "an interval needs at least one known end"),
    ("../", "an interval needs at least one known end"),
    ("2024-12-08/2024-13", "end '2024-13': month 13 does not exist"),
    ("tomorrow/2024", "start 'tomorrow': not an EDTF date"),
    ("[]", "a set needs at least one member"),
    ("{}", "a set needs at least one member"),
    ("[2024", "a set that opens with '\\[' must close with '\\]'"),
    ("{2024]", "a set that opens with '{' must close with '}'"),
    ("[2024,,2025]", "a set member is empty"),
    ("[2024,]", "a set member is empty"),
    ("[..]", "'\\.\\.' in a set needs a date on at least one side"),
    ("[2024..2023]", "range '2024..2023' ends before it starts"),
    ("[2024,..2025]", r"'\.\.A' \(A or earlier\) must be the first member"),
    ("[2024..,2025]", r"'A\.\.' \(A or later\) must be the last member"),
    ("[2024..2025..2026]", r"member '2024\.\.2025\.\.2026' has more than one '\.\.'"),
    ("[2024-13]", "member '2024-13': month 13 does not exist"),
    ("[2024/2025]", "member '2024/2025': not an EDTF date"),
    ("2024]", "not an EDTF date"),
]


@pytest.mark.parametrize(("text", "reason"), MALFORMED, ids=[repr(m[0]) for m in MALFORMED])
def test_malformed_text_raises_naming_field_and_value(text: str, reason: str) -> None:
    with pytest.raises(InvalidDate, match="^" + re.escape(f"when: {text!r}: ") + reason) as info:
        When.parse(text)
    assert info.value.field == "when"
    assert info.value.value == text
    assert isinstance(info.value, ValueError)


def test_custom_field_is_named() -> None:
    with pytest.raises(InvalidDate, match=r"^seen: '2024-13': month 13 does not exist$"):
        When.parse("2024-13", field="seen")
    with pytest.raises(InvalidDate, match=r"^as_of: 'soon': not an EDTF date$"):
        When.coerce("soon", field="as_of")
    with pytest.raises(InvalidDate, match=r"^known_at: 'soon': not an EDTF date$"):
        end_of("soon", field="known_at")


@pytest.mark.parametrize(
    ("value", "type_name"),
    [(20241207, "int"), (None, "NoneType"), (b"2024", "bytes"), (date(2024, 12, 7), "date")],
)
def test_parse_refuses_non_strings(value: object, type_name: str) -> None:
    with pytest.raises(InvalidDate, match=f"^seen: .*expected an EDTF string, got {type_name}$"):
        When.parse(value, field="seen")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (20241207, "int"),
        (2024.5, "float"),
        (None, "NoneType"),
        (True, "bool"),
        (b"2024-12-07", "bytes"),
        (["2024"], "list"),
        (time.gmtime(0), "struct_time"),
    ],
)
def test_coerce_refuses_other_types(value: object, type_name: str) -> None:
    expected = f"expected a date, datetime, When or EDTF string, got {type_name}"
    with pytest.raises(InvalidDate, match=f"^as_of: .*{expected}$") as info:
        When.coerce(value, field="as_of")
    assert info.value.field == "as_of"
    with pytest.raises(InvalidDate, match=f"^known_at: .*{expected}$"):
        end_of(value, field="known_at")


def test_of_refuses_other_types() -> None:
    with pytest.raises(
        InvalidDate, match=r"^when: '2024-12-07': expected a date or datetime, got str$"
    ):
        When.of("2024-12-07")  # type: ignore[arg-type]


def test_of_refuses_datetimes_outside_the_years_in_utc() -> None:
    early = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(InvalidDate, match=r"^seen: .*outside years 0001-9999 in UTC$"):
        When.of(early, field="seen")


def test_fast_path_and_general_path_agree_on_rejections() -> None:
    # Ten characters with '-' at 4 and 7 take the fast path first; refusals fall through.
    for text, reason in [
        ("2024-02-30", "day 30 does not exist in 2024-02"),
        ("2024-13-01", "month 13 does not exist"),
        ("0000-01-01", "year 0000 is not supported"),
        ("+024-12-07", "not an EDTF date"),
        ("2024-12- 7", "whitespace is not allowed"),
    ]:
        with pytest.raises(InvalidDate, match=re.escape(reason)):
            When.parse(text)
    assert When.parse("2024-1X-07").earliest == at("2024-10-07")


# -- construction from Python values ----------------------------------------------------


def test_of_date_is_the_whole_day() -> None:
    assert When.of(date(2024, 12, 7)) == When.parse("2024-12-07")
    assert When.of(date(1, 1, 1)) == When.parse("0001-01-01")


def test_of_naive_datetime_is_utc() -> None:
    when = When.of(datetime(2024, 12, 7, 10, 30, 5))
    assert str(when) == "2024-12-07T10:30:05Z"
    assert when.earliest == at("2024-12-07T10:30:05")


def test_of_aware_datetime_is_converted_to_utc() -> None:
    moment = datetime(2024, 12, 7, 10, 0, tzinfo=timezone(timedelta(hours=3)))
    when = When.of(moment)
    assert str(when) == "2024-12-07T07:00:00Z"
    assert when.lower == moment.timestamp()


def test_of_datetime_covers_its_whole_second() -> None:
    when = When.of(datetime(2024, 12, 7, 10, 0, 0, 654321))
    assert when.earliest == at("2024-12-07T10:00:00")
    assert when.latest == at("2024-12-07T10:00:00.999999")


@given(instants(), st.integers(0, 999_999))
def test_of_datetime_holds_the_instant(moment: datetime, microsecond: int) -> None:
    moment = moment.replace(microsecond=microsecond)
    when = When.of(moment)
    whole_seconds = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1)
    assert when.lower == whole_seconds  # float timestamps round near the end of a second
    assert when.upper - when.lower == 1


def test_coerce_accepts_when_str_date_datetime() -> None:
    when = When.parse("2024-12-07")
    assert When.coerce(when) is when
    assert When.coerce("2024-12-07") == when
    assert When.coerce(date(2024, 12, 7)) == when
    assert When.coerce(datetime(2024, 12, 7, 10, 0)) == When.parse("2024-12-07T10:00:00Z")


def test_end_of_is_the_exclusive_upper_bound() -> None:
    assert end_of("2024-12-07", field="as_of") == seconds("2024-12-08")
    assert end_of(date(2024, 12, 7), field="as_of") == seconds("2024-12-08")
    assert end_of("2024-12", field="as_of") == seconds("2025-01-01")
    assert end_of(When.parse("2024/.."), field="as_of") == math.inf
    assert end_of(datetime(2024, 12, 7, 10, 0), field="as_of") == seconds("2024-12-07T10:00:01")


# -- value semantics ---------------------------------------------------------------------


def test_equal_when_canonical_text_equal() -> None:
    assert When.parse("2024-12-07") == When.parse("2024-12-07")
    assert hash(When.parse("2024-12")) == hash(When.parse("2024-12"))
    assert When.parse("2024-12-07T10:00Z") == When.parse("2024-12-07T10:00:00Z")
    assert When("2024-12") == When.parse("2024-12")
    # same bounds, different texts: different values
    assert When.parse("2024-12-07T10:00:00Z") != When.parse("2024-12-07T10:00:00+00:00")
    assert When.parse("2024-12-08/") != When.parse("2024-12-08/..")
    assert When.parse("[2024]") != When.parse("{2024}")
    assert len({When.parse("2024"), When.parse("2024"), When.parse("2024?")}) == 2
    text: object = "2024"
    assert When.parse("2024") != text


def test_is_immutable_and_copyable() -> None:
    when = When.parse("2024-12-07/..")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        when.lower = 0.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        when.extra = 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(when)) == when
    assert copy.deepcopy(when) == when
    assert copy.copy(when).upper == math.inf


def test_sort_key_orders_by_earliest_then_latest() -> None:
    texts = ["2025", "2024-12-07T10:00:00Z", "2024-12", "../2024", "2024-12-07", "2024"]
    ordered = sorted((When.parse(t) for t in texts), key=lambda w: w.sort_key)
    assert [str(w) for w in ordered] == [
        "../2024",
        "2024",
        "2024-12",
        "2024-12-07",
        "2024-12-07T10:00:00Z",
        "2025",
    ]


# -- comparisons ---------------------------------------------------------------------------


def w(text: str) -> When:
    return When.parse(text)


def test_consecutive_days() -> None:
    day, next_day = w("2024-12-07"), w("2024-12-08")
    assert day.certainly_before(next_day)
    assert day.possibly_before(next_day)
    assert not next_day.certainly_before(day)
    assert not next_day.possibly_before(day)
    assert next_day.certainly_after(day)
    assert next_day.possibly_after(day)
    assert not day.certainly_after(next_day)
    assert not day.possibly_after(next_day)
    assert not day.overlaps(next_day)
    assert not day.contains(next_day)


def test_a_day_is_not_before_itself() -> None:
    day = w("2024-12-07")
    assert not day.certainly_before(day)
    assert day.possibly_before(day)
    assert day.possibly_after(day)
    assert day.overlaps(day)
    assert day.contains(day)


def test_month_and_a_day_in_it() -> None:
    month, day = w("2024-12"), w("2024-12-07")
    assert month.contains(day)
    assert not day.contains(month)
    assert month.overlaps(day)
    assert day.overlaps(month)
    assert not month.certainly_before(day)
    assert month.possibly_before(day)
    assert month.possibly_after(day)
    assert w("2024-11").certainly_before(month)
    assert w("2024-11-30").certainly_before(month)
    assert w("2025-01-01").certainly_after(month)


def test_datetimes_within_a_day() -> None:
    morning, evening = w("2024-12-07T08:00:00Z"), w("2024-12-07T20:00:00Z")
    day = w("2024-12-07")
    assert morning.certainly_before(evening)
    assert day.contains(morning)
    assert day.contains(evening)
    assert not day.certainly_before(evening)
    # 01:00 at +03:00 is 22:00 UTC the day before
    assert w("2024-12-07T01:00:00+03:00").certainly_before(day)


def test_intervals() -> None:
    stay = w("2024-12-01/2024-12-10")
    assert stay.contains(w("2024-12-05"))
    assert stay.contains(w("2024-12-01/2024-12-10"))
    assert not stay.contains(w("2024-12"))
    assert stay.overlaps(w("2024-12-10/2024-12-20"))
    assert not stay.overlaps(w("2024-12-11/2024-12-20"))
    assert stay.certainly_before(w("2024-12-11/2024-12-20"))
    assert w("2024-11/2024-11-30").certainly_before(stay)


def test_open_and_unknown_ends() -> None:
    since = w("2024-12-08/..")
    until = w("../2024-12-07")
    assert until.certainly_before(since)
    assert since.certainly_after(until)
    assert since.contains(w("2099"))
    assert not since.contains(w("2024"))
    assert since.possibly_after(w("3000"))
    assert not since.certainly_before(w("9999"))
    assert until.possibly_before(w("0001"))
    assert w("2024-12-08/").contains(w("2030/2040"))
    assert w("/2024-12-08").overlaps(w("1900"))
    forever = w("[..2020,2024..]")
    assert forever.contains(since)
    assert forever.contains(until)


def test_sets_compare_by_their_hull() -> None:
    one_of = w("[2024-12-01,2024-12-05..2024-12-07]")
    assert one_of.contains(w("2024-12-03"))  # a gap, but inside the hull
    assert w("2024-11-30").certainly_before(one_of)
    assert w("2024-12-08").certainly_after(one_of)
    assert w("[..2024-12-07]").certainly_before(w("2024-12-08"))
    assert not w("[2024-12-07..]").certainly_before(w("3000"))


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=300)
@given(edtf_texts())
def test_generated_texts_round_trip(text: str) -> None:
    when = When.parse(text)
    assert str(when) == text
    assert when.lower < when.upper
    assert When.parse(str(when)) == when
    assert eval(repr(when)) == when


@settings(max_examples=500)
@given(st.text(alphabet="0123456789X-/.?~%[]{},TZ:+ ", max_size=30))
def test_any_text_parses_or_raises_invalid_date(text: str) -> None:
    # Never another exception: anything refused is an InvalidDate naming field and value.
    try:
        when = When.parse(text)
    except InvalidDate as error:
        refused: InvalidDate | None = error
    else:
        refused = None
        assert when.lower < when.upper
        assert When.parse(str(when)) == when
    if refused is not None:
        assert (refused.field, refused.value) == ("when", text)


@given(edtf_texts().map(When.parse))
def test_reparsing_printed_text_gives_the_same_when(when: When) -> None:
    again = When.parse(str(when))
    assert again == when
    assert (again.lower, again.upper) == (when.lower, when.upper)
    assert (again.uncertain, again.approximate) == (when.uncertain, when.approximate)


@given(edtf_texts().map(When.parse), edtf_texts().map(When.parse))
def test_comparisons_are_consistent(a: When, b: When) -> None:
    assert a.certainly_before(b) == b.certainly_after(a)
    assert a.possibly_before(b) == b.possibly_after(a)
    assert a.overlaps(b) == b.overlaps(a)
    if a.certainly_before(b):
        assert a.possibly_before(b)
        assert not a.overlaps(b)
        assert not a.possibly_after(b)
    if a.contains(b):
        assert a.overlaps(b)
        assert not a.certainly_before(b)
        assert not a.certainly_after(b)
    assert a.contains(a)


@given(instants(), instants())
def test_intervals_span_their_ends(first: datetime, last: datetime) -> None:
    first, last = min(first, last), max(first, last)
    start, end = When.of(first), When.of(last)
    interval = When.parse(f"{start}/{end}")
    assert (interval.lower, interval.upper) == (start.lower, end.upper)
    assert interval.contains(start)
    assert interval.contains(end)


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_day_bounds_are_ordinal_arithmetic(day: date) -> None:
    # The fast path (plain day) and the general path (the same day with a qualifier)
    # must give the same bounds.
    lower = (day.toordinal() - date(1970, 1, 1).toordinal()) * 86400
    plain, qualified = When.parse(day.isoformat()), When.parse(day.isoformat() + "?")
    assert (plain.lower, plain.upper) == (lower, lower + 86400)
    assert (qualified.lower, qualified.upper) == (plain.lower, plain.upper)
    assert When.of(day) == plain


@given(instants(), st.data())
def test_a_rendered_date_holds_its_instant(moment: datetime, data: st.DataObject) -> None:
    # edtf_dates renders the instant's day as a year, month or day, with or without X
    # digits and a qualifier; whatever the rendering, its bounds must hold the instant.
    when = When.parse(data.draw(edtf_dates(moment)))
    assert when.lower <= moment.timestamp() < when.upper


@settings(max_examples=150, deadline=None)  # edtf takes ~10 ms a parse
@given(edtf_level1_dates())
def test_day_month_year_bounds_agree_with_edtf(text: str) -> None:
    assert day_bounds(When.parse(text)) == oracle(text)


@settings(max_examples=100, deadline=None)
@given(edtf_oracle_texts())
def test_interval_and_set_bounds_agree_with_edtf(text: str) -> None:
    assert day_bounds(When.parse(text)) == oracle(text)
