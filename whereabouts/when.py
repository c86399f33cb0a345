"""When something happened, read from and written back to EDTF.

A :class:`When` is an immutable value parsed from EDTF (the Library of
Congress *Extended Date/Time Format*). It keeps the text it was read from,
in a canonical form, and the span of time that the text allows: ``lower``
is the earliest possible instant and ``upper`` the first instant *after*
the latest possible one, both in POSIX seconds (UTC). The span is
half-open, ``[lower, upper)``.

A date without a time covers whole UTC days:

>>> from whereabouts.when import When
>>> day = When.parse("2024-12-07")
>>> day
When('2024-12-07')
>>> str(day)
'2024-12-07'
>>> day.earliest
datetime.datetime(2024, 12, 7, 0, 0, tzinfo=datetime.timezone.utc)
>>> day.latest
datetime.datetime(2024, 12, 7, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc)
>>> day.upper - day.lower
86400.0

A month covers the whole month, a year the whole year:

>>> When.parse("2024-02").latest.date()
datetime.date(2024, 2, 29)
>>> When.parse("2024").earliest.date(), When.parse("2024").latest.date()
(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))

A date-time covers one second. Its offset is kept in the text and applied
to the bounds; a date-time without an offset is read as UTC. Minutes without
seconds are accepted and written back with ``:00`` seconds:

>>> moment = When.parse("2024-12-07T10:00+03:00")
>>> moment
When('2024-12-07T10:00:00+03:00')
>>> moment.earliest
datetime.datetime(2024, 12, 7, 7, 0, tzinfo=datetime.timezone.utc)

Qualifiers at the end mark a date as uncertain (``?``), approximate (``~``)
or both (``%``). They are kept, but they do not widen the bounds:

>>> guess = When.parse("2024-12?")
>>> guess.uncertain, guess.approximate
(True, False)
>>> guess.earliest == When.parse("2024-12").earliest
True

Unspecified digits are written ``X``; the bounds are the widest range that
fits them:

>>> decade = When.parse("201X")
>>> decade.earliest.year, decade.latest.year
(2010, 2019)

An interval ``A/B`` runs from the start of ``A`` to the end of ``B``. An end
written ``..`` is open, an end left empty is unknown; either way it has no
bound, and ``earliest`` or ``latest`` is ``None``:

>>> stay = When.parse("2024-12/2025")
>>> stay.earliest.date(), stay.latest.date()
(datetime.date(2024, 12, 1), datetime.date(2025, 12, 31))
>>> since = When.parse("2024-12-08/..")
>>> since.latest is None, since.upper
(True, inf)
>>> When.parse("/2024-12-08").earliest is None
True
>>> When.parse("2024-12-08/2024-12-01")
Traceback (most recent call last):
...
whereabouts.errors.InvalidDate: when: '2024-12-08/2024-12-01': interval ends before it starts

A set ``[A,B,...]`` means *one of* its members, ``{A,B,...}`` means *all of*
them; members may be ranges ``A..B``, and ``[..A]`` or ``[A..]`` mean "A or
earlier" and "A or later". The bounds of a set are those of the smallest
span that holds every member:

>>> one_of = When.parse("[2024-12-01,2024-12-05..2024-12-07]")
>>> one_of.earliest.date(), one_of.latest.date()
(datetime.date(2024, 12, 1), datetime.date(2024, 12, 7))
>>> When.parse("[..2024-12-07]").earliest is None
True

Comparisons say what is certain and what is merely possible:

>>> a, b = When.parse("2024-12-07"), When.parse("2024-12-08")
>>> a.certainly_before(b), b.certainly_before(a)
(True, False)
>>> month = When.parse("2024-12")
>>> month.certainly_before(b), month.possibly_before(b), month.contains(b)
(False, True, True)

Values sort: ``<``, ``<=``, ``>``, ``>=`` and :func:`sorted` order them by
earliest instant, then latest, then canonical text (:attr:`When.sort_key`), a
total order that agrees with ``==``. It is an order for listing, not a claim
about what happened first: an open start (``/2024-12-08``) sorts before any
bounded date, the 1st before the month it begins (both start together, the day
ends first), and the month before the 8th (it starts earlier):

>>> sorted(When(t) for t in ["2024-12-08", "2024-12", "/2024-12-08", "2024-12-01"])
[When('/2024-12-08'), When('2024-12-01'), When('2024-12'), When('2024-12-08')]
>>> When("2024-12") < When("2024-12-08"), month.certainly_before(When("2024-12-08"))
(True, False)

Python dates and date-times convert too; a naive date-time is read as UTC
and an aware one is converted to UTC:

>>> from datetime import date, datetime
>>> When.of(date(2024, 12, 7))
When('2024-12-07')
>>> When.of(datetime(2024, 12, 7, 10, 30))
When('2024-12-07T10:30:00Z')

Anything else raises :class:`~whereabouts.errors.InvalidDate`, naming the
field and the value:

>>> When.parse("2024-02-30", field="seen")
Traceback (most recent call last):
...
whereabouts.errors.InvalidDate: seen: '2024-02-30': day 30 does not exist in 2024-02
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Final, Literal, NamedTuple

import attrs

from whereabouts.errors import InvalidDate

__all__ = ["When", "end_of"]

_DAY: Final = 86400
_EPOCH_ORDINAL: Final = 719163  # date(1970, 1, 1).toordinal()
_EPOCH_SECONDS: Final = _EPOCH_ORDINAL * 86400.0  # so that ordinal * 86400.0 - it = POSIX
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MIN_SECONDS: Final = (1 - _EPOCH_ORDINAL) * _DAY  # 0001-01-01T00:00:00Z
_MAX_SECONDS: Final = (date(9999, 12, 31).toordinal() + 1 - _EPOCH_ORDINAL) * _DAY  # year 10000
_INF: Final = math.inf

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SEASONS: Final = range(21, 42)  # EDTF month codes for seasons

Kind = Literal["date", "datetime", "interval", "one_of", "all_of"]


@attrs.frozen(init=False, repr=False)
class When:
    """When something happened: an EDTF text and the span of time it allows.

    Build one with :meth:`parse`, :meth:`of` or :meth:`coerce` (or
    ``When(text)``, the same as ``When.parse(text)``). Two values are equal
    when their canonical texts are equal, so ``2024-12-07T10:00:00Z`` and
    ``2024-12-07T10:00:00+00:00`` are different values with the same bounds.

    The comparison methods work on the bounds only: a set counts as the
    smallest span holding all its members, and qualifiers are ignored.

    ``<``, ``<=``, ``>`` and ``>=`` sort values by :attr:`sort_key`: earliest
    instant, then latest, then canonical text. The order is total and agrees
    with ``==`` (equal texts have equal bounds, and the text breaks every tie),
    so :func:`sorted`, :func:`min` and :func:`max` work on any mix of dates. It
    lists dates; it does not say which happened first (see
    :meth:`certainly_before`). Comparing with anything but a When returns
    ``NotImplemented``, so ``When("2024") < "2025"`` raises ``TypeError``.
    """

    text: str
    """The canonical EDTF text; ``str(when)`` returns it."""
    lower: float = attrs.field(eq=False)
    """POSIX seconds (UTC) of the earliest possible instant, inclusive; ``-inf`` if unbounded."""
    upper: float = attrs.field(eq=False)
    """POSIX seconds of the first instant after the latest possible one; ``+inf`` if unbounded."""
    uncertain: bool = attrs.field(eq=False)
    """True when the text carries a ``?`` or ``%`` qualifier anywhere."""
    approximate: bool = attrs.field(eq=False)
    """True when the text carries a ``~`` or ``%`` qualifier anywhere."""

    def __init__(self, text: str) -> None:
        parsed = When.parse(text)
        _set_text(self, parsed.text)
        _set_lower(self, parsed.lower)
        _set_upper(self, parsed.upper)
        _set_uncertain(self, parsed.uncertain)
        _set_approximate(self, parsed.approximate)

    # -- construction -------------------------------------------------------

    @classmethod
    def parse(cls, text: str, *, field: str = "when") -> When:
        """Read an EDTF text; raise :class:`InvalidDate` naming *field* if it is not one."""
        if not isinstance(text, str):
            raise InvalidDate(
                f"expected an EDTF string, got {type(text).__name__}", field=field, value=text
            )
        try:
            return _parse(text)
        except _Rejected as rejected:
            raise InvalidDate(rejected.reason, field=field, value=text) from None

    @classmethod
    def of(cls, value: date | datetime, *, field: str = "when") -> When:
        """The day of a :class:`~datetime.date`, or the second of a :class:`~datetime.datetime`.

        A naive date-time is read as UTC; an aware one is converted to UTC.
        Microseconds are dropped: the result covers the whole second. The value is
        built from the numbers, not by writing and reading text, and equals
        ``When.parse`` of its text.
        """
        if isinstance(value, datetime):
            if value.utcoffset() is not None:
                try:
                    value = value.astimezone(timezone.utc)
                except OverflowError:
                    raise InvalidDate(
                        "date-time falls outside years 0001-9999 in UTC", field=field, value=value
                    ) from None
            year, month, day = value.year, value.month, value.day
            hour, minute, second = value.hour, value.minute, value.second
            lower = ((value.toordinal() - _EPOCH_ORDINAL) * _DAY
                     + hour * 3600 + minute * 60 + second)
            text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"
            return _make(text, float(lower), float(lower + 1), False, False)
        if isinstance(value, date):
            lower = (value.toordinal() - _EPOCH_ORDINAL) * _DAY
            return _make(value.isoformat(), float(lower), float(lower + _DAY), False, False)
        raise InvalidDate(
            f"expected a date or datetime, got {type(value).__name__}", field=field, value=value
        )

    @classmethod
    def coerce(cls, value: object, *, field: str = "when") -> When:
        """Return *value* as a :class:`When`: a When as is, a string parsed, a date converted."""
        if isinstance(value, When):
            return value
        if isinstance(value, str):
            return cls.parse(value, field=field)
        if isinstance(value, date):  # datetime is a subclass of date
            return cls.of(value, field=field)
        raise InvalidDate(
            f"expected a date, datetime, When or EDTF string, got {type(value).__name__}",
            field=field,
            value=value,
        )

    # -- views ----------------------------------------------------------------

    @property
    def earliest(self) -> datetime | None:
        """The earliest possible instant as an aware UTC datetime; None when unbounded."""
        if self.lower == -_INF:
            return None
        return _EPOCH + timedelta(seconds=int(self.lower))

    @property
    def latest(self) -> datetime | None:
        """The last possible microsecond as an aware UTC datetime; None when unbounded."""
        if self.upper == _INF:
            return None
        return _EPOCH + timedelta(seconds=int(self.upper) - 1, microseconds=999_999)

    @property
    def kind(self) -> Kind:
        """``"date"``, ``"datetime"``, ``"interval"``, ``"one_of"`` or ``"all_of"``."""
        first = self.text[0]
        if first == "[":
            return "one_of"
        if first == "{":
            return "all_of"
        if "/" in self.text:
            return "interval"
        return "datetime" if "T" in self.text else "date"

    @property
    def is_interval(self) -> bool:
        """True for an interval ``A/B`` (including open and unknown ends)."""
        return self.kind == "interval"

    @property
    def is_set(self) -> bool:
        """True for a set, ``[...]`` (one of) or ``{...}`` (all of)."""
        return self.text[0] in "[{"

    @property
    def is_bounded(self) -> bool:
        """True when both the earliest and the latest instant are known."""
        return self.lower != -_INF and self.upper != _INF

    @property
    def sort_key(self) -> tuple[float, float, str]:
        """A key that sorts by earliest instant, then latest, then text: the order of ``<``."""
        return (self.lower, self.upper, self.text)

    # -- order ----------------------------------------------------------------

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return self.sort_key >= other.sort_key

    # -- comparisons ----------------------------------------------------------

    def certainly_before(self, other: When) -> bool:
        """True when every instant of *self* comes before every instant of *other*."""
        return self.upper <= other.lower

    def possibly_before(self, other: When) -> bool:
        """True when some instant of *self* comes before some instant of *other*."""
        return self.lower < other.upper

    def certainly_after(self, other: When) -> bool:
        """True when every instant of *self* comes after every instant of *other*."""
        return self.lower >= other.upper

    def possibly_after(self, other: When) -> bool:
        """True when some instant of *self* comes after some instant of *other*."""
        return self.upper > other.lower

    def overlaps(self, other: When) -> bool:
        """True when *self* and *other* share at least one possible instant."""
        return self.lower < other.upper and other.lower < self.upper

    def contains(self, other: When) -> bool:
        """True when every possible instant of *other* is a possible instant of *self*."""
        return self.lower <= other.lower and other.upper <= self.upper

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"When({self.text!r})"


def end_of(value: object, *, field: str) -> float:
    """The POSIX seconds just after *value* ends: ``When.coerce(value, field=field).upper``.

    >>> end_of("2024-12-07", field="as_of") == When.parse("2024-12-08").lower
    True
    """
    return When.coerce(value, field=field).upper


# -- parsing ---------------------------------------------------------------------


class _Rejected(Exception):
    """Why a text is not accepted; :meth:`When.parse` turns it into InvalidDate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Span(NamedTuple):
    """One parsed piece: its canonical text, bounds (POSIX seconds) and qualifiers."""

    text: str
    lower: float
    upper: float
    uncertain: bool
    approximate: bool


def _slot_setter(name: str) -> Callable[[When, object], None]:
    """The raw setter of one slot of When, which bypasses the frozen ``__setattr__``."""
    setter: Callable[[When, object], None] = vars(When)[name].__set__
    return setter


_new = object.__new__
_set_text = _slot_setter("text")
_set_lower = _slot_setter("lower")
_set_upper = _slot_setter("upper")
_set_uncertain = _slot_setter("uncertain")
_set_approximate = _slot_setter("approximate")


def _make(text: str, lower: float, upper: float, uncertain: bool, approximate: bool) -> When:
    """Build a When without ``__init__``; slot setters take half the time of object.__setattr__."""
    when: When = _new(When)
    _set_text(when, text)
    _set_lower(when, lower)
    _set_upper(when, upper)
    _set_uncertain(when, uncertain)
    _set_approximate(when, approximate)
    return when


@functools.lru_cache(maxsize=4096)  # repeated texts (a few thousand days); distinct
def _parse(text: str) -> When:  # date-times must not pin an object each
    # Fast path for a plain day, YYYY-MM-DD: no regex, no attrs validators. For this shape
    # (ASCII, length 10, '-' at 4 and 7) date.fromisoformat accepts exactly YYYY-MM-DD with
    # a real day; anything it refuses goes to the general parser for a precise reason.
    # Measured with `python -m timeit` (CPython 3.11.7 on a shared 2-core VM, best of 5;
    # figures move by up to 2x with load): this path, uncached, 0.8-1.5 µs; When.parse
    # 0.14-0.26 µs on a cache hit and 1.0-1.5 µs on a miss (200,000 distinct days);
    # edtf.parse_edtf 4-10 ms. The general parser, uncached: '2024-12?' 4.6 µs,
    # '2024-12-07T10:00:00+03:00' 4.7 µs, '2024-12-07/2024-12-08T10:00Z' 8.7 µs.
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:
            ordinal = date.fromisoformat(text).toordinal()
        except ValueError:
            pass  # fall through to the general parser, which says precisely what is wrong
        else:
            lower = ordinal * 86400.0 - _EPOCH_SECONDS  # exact: integers far below 2**53
            when: When = _new(When)  # _make, inlined: the call alone costs ~10% of this path
            _set_text(when, text)
            _set_lower(when, lower)
            _set_upper(when, lower + 86400.0)
            _set_uncertain(when, False)
            _set_approximate(when, False)
            return when
    span = _parse_general(text)
    return _make(span.text, span.lower, span.upper, span.uncertain, span.approximate)


_WHITESPACE: Final = re.compile(r"\s")


def _parse_general(text: str) -> _Span:
    if not text:
        raise _Rejected("empty text is not a date")
    if text.isspace():
        raise _Rejected("blank text is not a date")
    if _WHITESPACE.search(text):
        raise _Rejected("whitespace is not allowed in an EDTF date")
    if text[0] in "[{":
        return _parse_set(text)
    if "/" in text:
        return _parse_interval(text)
    return _parse_point(text)


# -- single dates and date-times ----------------------------------------------------

_DATE: Final = re.compile(r"([0-9X]{4})(?:-([0-9X]{2})(?:-([0-9X]{2}))?)?([?~%])?")
_DATETIME: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"  # date
    r"T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"  # time, seconds optional
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"  # offset, optional (none means UTC)
)
_LOOSE_DATE: Final = re.compile(r"[0-9]+(?:-[0-9]+){0,2}")
_QUALIFIERS: Final = "?~%"


def _parse_point(text: str) -> _Span:
    """A single date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, maybe with X and a qualifier)
    or a single date-time."""
    if text[10:11] == "T":
        return _parse_datetime(text)
    match = _DATE.fullmatch(text)
    if match is None:
        raise _Rejected(_why_not_a_date(text))
    year, month, day, qualifier = match.groups()
    if "X" in text:
        first, after = _unspecified_ordinals(year, month, day)
    else:
        first, after = _ordinals(year, month, day)
    return _Span(
        text,
        float((first - _EPOCH_ORDINAL) * _DAY),
        float((after - _EPOCH_ORDINAL) * _DAY),
        qualifier in ("?", "%"),
        qualifier in ("~", "%"),
    )


def _why_not_a_date(text: str) -> str:
    """The most specific reason that *text* does not match ``_DATE``."""
    if text.startswith("-") and _DATE.fullmatch(text[1:]):
        return "negative years are not supported (years run from 0001 to 9999)"
    if text.startswith("Y"):
        return "years outside 0001-9999 are not supported"
    if text == "..":
        return "'..' (open) is only allowed as an end of an interval or inside a set"
    bare = text.rstrip(_QUALIFIERS)
    if len(text) - len(bare) > 1 and _DATE.fullmatch(bare):
        return "a date takes one qualifier at its end; write % for uncertain and approximate"
    if any(q in bare for q in _QUALIFIERS):
        return "qualifiers (?, ~, %) are only supported at the end of a date"
    if _DATE.fullmatch(text.replace("x", "X").replace("u", "X")):
        return "unspecified digits are written with an upper-case X"
    if "T" in text and text[:1].isdigit():
        return "expected a date-time as YYYY-MM-DDThh:mm:ss with Z or ±hh:mm"
    if _LOOSE_DATE.fullmatch(bare):
        return "expected YYYY, YYYY-MM or YYYY-MM-DD with zero-padded numbers"
    return "not an EDTF date"


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _check_year(year: int, text: str) -> None:
    if year == 0:
        raise _Rejected(f"year {text} is not supported (years run from 0001 to 9999)")


def _check_month(month: int, text: str) -> None:
    if month in _SEASONS:
        raise _Rejected(f"month {text} does not exist (EDTF seasons, 21-41, are not supported)")
    if not 1 <= month <= 12:
        raise _Rejected(f"month {text} does not exist")


def _ordinals(year_text: str, month_text: str | None, day_text: str | None) -> tuple[int, int]:
    """Ordinal of the first day and of the day after the last, for a date without X."""
    year = int(year_text)
    _check_year(year, year_text)
    if month_text is None:
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1
    month = int(month_text)
    _check_month(month, month_text)
    days = _days_in_month(year, month)
    first_of_month = date(year, month, 1).toordinal()
    if day_text is None:
        return first_of_month, first_of_month + days
    day = int(day_text)
    if not 1 <= day <= days:
        raise _Rejected(f"day {day_text} does not exist in {year_text}-{month_text}")
    return first_of_month + day - 1, first_of_month + day


def _completions(pattern: str, *, descending: bool) -> Iterator[int]:
    """The numbers that *pattern* (digits and X) can stand for, in order."""
    digits = range(9, -1, -1) if descending else range(10)
    options = [digits if char == "X" else (int(char),) for char in pattern]
    for combination in itertools.product(*options):
        number = 0
        for digit in combination:
            number = number * 10 + digit
        yield number


def _unspecified_ordinals(
    year_text: str, month_text: str | None, day_text: str | None
) -> tuple[int, int]:
    """Like :func:`_ordinals` for a date with X digits: the widest consistent range.

    A missing month or day counts as ``XX``. Year 0000 is left out, so ``XXXX``
    starts at 0001.
    """
    month_pattern = month_text or "XX"
    day_pattern = day_text or "XX"
    if year_text == "0000":
        _check_year(0, year_text)
    months = [m for m in _completions(month_pattern, descending=False) if 1 <= m <= 12]
    if not months:
        if "X" not in month_pattern:
            _check_month(int(month_pattern), month_pattern)
        raise _Rejected(f"month {month_pattern} does not exist")  # e.g. 2X
    days = [d for d in _completions(day_pattern, descending=False) if 1 <= d <= 31]
    longest = {m: 29 if m == 2 else _DAYS_IN_MONTH[m - 1] for m in months}
    if not any(d <= longest[m] for m in months for d in days):
        raise _Rejected(f"day {day_pattern} does not exist in {year_text}-{month_pattern}")
    first = _extreme_day(year_text, month_pattern, day_pattern, last=False)
    last = _extreme_day(year_text, month_pattern, day_pattern, last=True)
    if first is None or last is None:  # e.g. 2023-XX-29 in February only, never leap
        raise _Rejected(f"day {day_pattern} does not exist in {year_text}-{month_pattern}")
    return first.toordinal(), last.toordinal() + 1


def _extreme_day(year: str, month: str, day: str, *, last: bool) -> date | None:
    """The earliest (or latest) real day that the three patterns can stand for."""
    for y in _completions(year, descending=last):
        if y == 0:
            continue
        for m in _completions(month, descending=last):
            if not 1 <= m <= 12:
                continue
            days = _days_in_month(y, m)
            for d in _completions(day, descending=last):
                if 1 <= d <= days:
                    return date(y, m, d)
    return None


def _parse_datetime(text: str) -> _Span:
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise _Rejected(_why_not_a_datetime(text))
    year_text, month_text, day_text, hour_text, minute_text, second_text, offset = match.groups()
    first, _ = _ordinals(year_text, month_text, day_text)
    hour, minute, second = int(hour_text), int(minute_text), int(second_text or "0")
    if hour > 23:
        raise _Rejected(f"hour {hour_text} does not exist")
    if minute > 59:
        raise _Rejected(f"minute {minute_text} does not exist")
    if second > 59:
        raise _Rejected(f"second {second_text} does not exist")
    shift = 0
    if offset and offset != "Z":
        offset_hours, offset_minutes = int(offset[1:3]), int(offset[4:6])
        if offset_hours > 23 or offset_minutes > 59:
            raise _Rejected(f"offset {offset} is out of range")
        shift = (offset_hours * 3600 + offset_minutes * 60) * (1 if offset[0] == "+" else -1)
    lower = (first - _EPOCH_ORDINAL) * _DAY + hour * 3600 + minute * 60 + second - shift
    if not _MIN_SECONDS <= lower < _MAX_SECONDS:
        raise _Rejected("date-time falls outside years 0001-9999 in UTC")
    canonical = (
        f"{year_text}-{month_text}-{day_text}T{hour_text}:{minute_text}:{second_text or '00'}"
        f"{offset or ''}"
    )
    return _Span(canonical, float(lower), float(lower + 1), False, False)


def _why_not_a_datetime(text: str) -> str:
    if text[-1] in _QUALIFIERS:
        return "qualifiers (?, ~, %) apply to dates, not date-times"
    if "X" in text:
        return "unspecified digits (X) are not supported in a date-time"
    if "." in text or "," in text:
        return "fractional seconds are not supported"
    return "not an EDTF date-time (expected YYYY-MM-DDThh:mm:ss with Z or ±hh:mm)"


# -- intervals and sets -------------------------------------------------------------

_OPEN: Final = ".."
_UNKNOWN: Final = ""


def _point_in(text: str, role: str) -> _Span:
    """Parse one end of an interval or one member of a set, naming it in errors."""
    try:
        return _parse_point(text)
    except _Rejected as rejected:
        raise _Rejected(f"{role} {text!r}: {rejected.reason}") from None


def _parse_interval(text: str) -> _Span:
    start_text, _, end_text = text.partition("/")
    if "/" in end_text:
        raise _Rejected("an interval has exactly one '/'")
    no_start = start_text in (_OPEN, _UNKNOWN)
    no_end = end_text in (_OPEN, _UNKNOWN)
    if no_start and no_end:
        raise _Rejected("an interval needs at least one known end")
    start = None if no_start else _point_in(start_text, "start")
    end = None if no_end else _point_in(end_text, "end")
    if start is not None and end is not None and end.upper <= start.lower:
        raise _Rejected("interval ends before it starts")
    return _Span(
        f"{start.text if start else start_text}/{end.text if end else end_text}",
        start.lower if start else -_INF,
        end.upper if end else _INF,
        any(p is not None and p.uncertain for p in (start, end)),
        any(p is not None and p.approximate for p in (start, end)),
    )


def _parse_set(text: str) -> _Span:
    opener = text[0]
    closer = "]" if opener == "[" else "}"
    if len(text) < 2 or text[-1] != closer:
        raise _Rejected(f"a set that opens with {opener!r} must close with {closer!r}")
    inner = text[1:-1]
    if not inner:
        raise _Rejected("a set needs at least one member")
    texts = inner.split(",")
    members = [
        _parse_member(member, first=i == 0, last=i == len(texts) - 1)
        for i, member in enumerate(texts)
    ]
    return _Span(
        opener + ",".join(m.text for m in members) + closer,
        min(m.lower for m in members),
        max(m.upper for m in members),
        any(m.uncertain for m in members),
        any(m.approximate for m in members),
    )


def _parse_member(text: str, *, first: bool, last: bool) -> _Span:
    """One member of a set: a date, a range ``A..B``, or ``..A`` / ``A..`` at the edges."""
    if not text:
        raise _Rejected("a set member is empty")
    if _OPEN not in text:
        return _point_in(text, "member")
    start_text, _, end_text = text.partition(_OPEN)
    if _OPEN in end_text:
        raise _Rejected(f"member {text!r} has more than one '..'")
    if not start_text and not end_text:
        raise _Rejected("'..' in a set needs a date on at least one side")
    if not start_text:
        if not first:
            raise _Rejected(f"'..A' (A or earlier) must be the first member, not {text!r}")
        end = _point_in(end_text, "member")
        return _Span(_OPEN + end.text, -_INF, end.upper, end.uncertain, end.approximate)
    if not end_text:
        if not last:
            raise _Rejected(f"'A..' (A or later) must be the last member, not {text!r}")
        start = _point_in(start_text, "member")
        return _Span(start.text + _OPEN, start.lower, _INF, start.uncertain, start.approximate)
    start = _point_in(start_text, "member")
    end = _point_in(end_text, "member")
    if end.upper <= start.lower:
        raise _Rejected(f"range {text!r} ends before it starts")
    return _Span(
        start.text + _OPEN + end.text,
        start.lower,
        end.upper,
        start.uncertain or end.uncertain,
        start.approximate or end.approximate,
    )
