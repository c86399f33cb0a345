"""Dates as numbers: a table of :class:`~whereabouts.when.When` values without an object each.

Most dates a ledger holds are plain: a year, a month, a day, or a second written
in UTC or with an offset. Each of those is rebuilt exactly from three numbers:
its first instant (POSIX seconds), a shape code and, for a date-time, the offset
written in it (minutes east of UTC). A :class:`Dates` table keeps them in
arrays, 11 bytes an entry; any other date (an interval, a set, a qualifier,
unspecified digits) keeps its When object. Reading an entry builds its When,
equal to the one stored:

>>> from whereabouts.when import When
>>> table = Dates()
>>> [table.code(When(t)) for t in ("2024-12-07T10:00:00+03:00", "2024-12?")]
[0, 1]
>>> table[0], table[1], table.objects
(When('2024-12-07T10:00:00+03:00'), When('2024-12?'), 1)

A code is only an indirection: the table does not look for an equal entry, so
equal dates may have different codes.

:func:`parse_many` reads many EDTF texts at once, the common shapes with numpy
and any other text with :meth:`When.parse <whereabouts.when.When.parse>`; a text
that is not a date is reported with its position and the error ``When.parse``
raises for it, and holds ``None`` in the table:

>>> dates, failures = parse_many(["2024-12-07", "2024-02-30", "2024-12-07T10:00Z", "201X"])
>>> list(dates)
[When('2024-12-07'), None, When('2024-12-07T10:00:00Z'), When('201X')]
>>> failures
{1: InvalidDate("when: '2024-02-30': day 30 does not exist in 2024-02")}

:meth:`Dates.bounds` gives every entry's bounds as arrays, without building
a When:

>>> starts, ends = dates.bounds()
>>> [float(e - s) for s, e in zip(starts, ends)]
[86400.0, inf, 1.0, 315532800.0]
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, Final, overload

from whereabouts.errors import InvalidDate
from whereabouts.when import When, _make

__all__ = ["Dates", "parse_many"]

NONE: Final = 0
"""Shape code of an entry that holds no date (``None``)."""
OBJECT: Final = 1
"""Shape code of an entry kept as a When object: its number is a position in the objects."""
YEAR: Final = 2
MONTH: Final = 3
DAY: Final = 4
SECOND: Final = 5
"""A date-time written without an offset (read as UTC)."""
SECOND_Z: Final = 6
"""A date-time written with ``Z``."""
SECOND_OFFSET: Final = 7
"""A date-time written with ``±hh:mm`` (never ``-00:00``, kept as an object)."""

_DAY: Final = 86400
_EPOCH_ORDINAL: Final = 719163  # date(1970, 1, 1).toordinal()
_MIN_SECONDS: Final = (1 - _EPOCH_ORDINAL) * _DAY
_MAX_SECONDS: Final = (date(9999, 12, 31).toordinal() + 1 - _EPOCH_ORDINAL) * _DAY
_COMPACT: Final = re.compile(
    r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?")
_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _np() -> Any:
    import numpy

    return numpy


def _compact(when: When) -> tuple[int, int, int] | None:
    """``(shape, first second, offset minutes)`` of a When that numbers rebuild exactly."""
    text = when.text
    match = _COMPACT.fullmatch(text)
    if match is None:
        return None
    length = len(text)
    lower = int(when.lower)
    if length == 4:
        return YEAR, lower, 0
    if length == 7:
        return MONTH, lower, 0
    if length == 10:
        return DAY, lower, 0
    suffix = match.group(1)
    if suffix is None:
        return SECOND, lower, 0
    if suffix == "Z":
        return SECOND_Z, lower, 0
    if suffix == "-00:00":
        return None
    minutes = int(suffix[1:3]) * 60 + int(suffix[4:6])
    return SECOND_OFFSET, lower, -minutes if suffix[0] == "-" else minutes


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _build(shape: int, lower: int, offset: int) -> When:
    """The When that ``(shape, lower, offset)`` stands for (a shape other than NONE, OBJECT)."""
    if shape >= SECOND:
        local = lower + offset * 60
        days, seconds = divmod(local, _DAY)
        day = date.fromordinal(days + _EPOCH_ORDINAL)
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        if shape == SECOND:
            suffix = ""
        elif shape == SECOND_Z:
            suffix = "Z"
        else:
            east = abs(offset)
            suffix = f"{'-' if offset < 0 else '+'}{east // 60:02d}:{east % 60:02d}"
        text = (f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
                f"T{hours:02d}:{minutes:02d}:{seconds:02d}{suffix}")
        return _make(text, float(lower), float(lower + 1), False, False)
    day = date.fromordinal(lower // _DAY + _EPOCH_ORDINAL)
    if shape == DAY:
        return _make(day.isoformat(), float(lower), float(lower + _DAY), False, False)
    if shape == MONTH:
        upper = lower + _days_in_month(day.year, day.month) * _DAY
        return _make(f"{day.year:04d}-{day.month:02d}", float(lower), float(upper), False, False)
    after = date(day.year, 12, 31).toordinal() + 1 - _EPOCH_ORDINAL
    return _make(f"{day.year:04d}", float(lower), float(after * _DAY), False, False)


class Dates(Sequence["When | None"]):
    """A table of dates (or ``None``), in order of addition; each entry's code is its
    position. Plain dates are held as numbers, the others as When objects (see the
    module documentation). Reading an entry builds its When."""

    __slots__ = ("_last", "_object_at", "_objects", "lower", "offset", "shape")

    def __init__(self) -> None:
        self.shape = array("b")
        """Each entry's shape code (NONE, OBJECT, YEAR, ...)."""
        self.lower = array("q")
        """Each entry's first second (POSIX); for an OBJECT entry, its position in the objects."""
        self.offset = array("h")
        """Each entry's offset in minutes east of UTC (SECOND_OFFSET entries; 0 otherwise)."""
        self._objects: list[When] = []
        self._object_at: dict[When, int] = {}  # objects only: equal ones are kept once
        self._last: tuple[When | None, int] | None = None  # the value code() added last

    # -- reading --------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.shape)

    @overload
    def __getitem__(self, code: int) -> When | None: ...
    @overload
    def __getitem__(self, code: slice) -> list[When | None]: ...

    def __getitem__(self, code: int | slice) -> When | list[When | None] | None:
        if isinstance(code, slice):
            return [self[c] for c in range(*code.indices(len(self)))]
        shape = self.shape[code]
        if shape == OBJECT:
            return self._objects[self.lower[code]]
        if shape == NONE:
            return None
        return _build(shape, self.lower[code], self.offset[code])

    def __iter__(self) -> Iterator[When | None]:
        return map(self.__getitem__, range(len(self)))

    @property
    def values(self) -> Dates:
        """The table itself: ``values[code]`` is the date of a code, as for a ``Table``."""
        return self

    @property
    def objects(self) -> int:
        """How many entries are kept as When objects."""
        return len(self._objects)

    def object_codes(self) -> Iterator[tuple[int, When]]:
        """The entries kept as When objects, with their codes: the only ones that can be
        intervals, sets, or carry qualifiers or unspecified digits."""
        if not self._objects:
            return iter(())
        np = _np()
        codes = np.flatnonzero(np.frombuffer(self.shape, dtype=np.int8) == OBJECT)
        return ((int(c), self._objects[self.lower[int(c)]]) for c in codes)

    def bounds(self, start: int = 0, *, codes: Any = None) -> tuple[Any, Any]:
        """The first instant and the instant just after the last of every entry from
        ``start`` on (or of the entries ``codes``, an integer array), as float arrays
        (POSIX seconds; ``None``: ``-inf`` and ``inf``)."""
        np = _np()
        shape = np.frombuffer(self.shape, dtype=np.int8)
        lower = np.frombuffer(self.lower, dtype=np.int64)
        shape, lower = (shape[start:], lower[start:]) if codes is None else (
            shape[codes], lower[codes])
        starts = lower.astype(np.float64)
        ends = starts + 1.0
        ends[shape == DAY] += _DAY - 1
        for code in (MONTH, YEAR):
            rows = np.flatnonzero(shape == code)
            if len(rows):
                year, month = _civil(np, lower[rows] // _DAY)
                if code == YEAR:
                    after = _days_from_civil(np, year + 1, 1, 1)
                else:
                    after = _days_from_civil(np, year + (month == 12), month % 12 + 1, 1)
                ends[rows] = after * float(_DAY)
        none = shape == NONE
        starts[none] = -math.inf
        ends[none] = math.inf
        for row in np.flatnonzero(shape == OBJECT).tolist():
            when = self._objects[lower[row]]
            starts[row], ends[row] = when.lower, when.upper
        return starts, ends

    def offsets(self) -> Any:
        """Minutes east of UTC written in each entry (0 for all but SECOND_OFFSET), int16."""
        np = _np()
        return np.frombuffer(self.offset, dtype=np.int16)

    # -- adding ---------------------------------------------------------------

    def code(self, value: When | None) -> int:
        """Add ``value`` (a When or None) and return its code. Only a value equal to
        the one added just before shares its code; the others get a new entry."""
        last = self._last
        if last is not None and last[0] == value and last[1] < len(self.shape):
            return last[1]
        code = len(self.shape)
        self._add_value(value)
        self._last = (value, code)
        return code

    def _add_value(self, value: When | None) -> None:
        if value is None:
            self._add(NONE, 0, 0)
            return
        compact = _compact(value)
        if compact is not None:
            self._add(*compact)
            return
        position = self._object_at.get(value)
        if position is None:
            position = self._object_at[value] = len(self._objects)
            self._objects.append(value)
        self._add(OBJECT, position, 0)

    def _add(self, shape: int, lower: int, offset: int) -> None:
        self.shape.append(shape)
        self.lower.append(lower)
        self.offset.append(offset)

    def truncate(self, size: int) -> None:
        """Forget the entries from code ``size`` on (objects they held are kept)."""
        for column in (self.shape, self.lower, self.offset):
            del column[size:]
        self._last = None

    def extend(self, other: Sequence[When | None]) -> int:
        """Add every entry of ``other`` in order, one entry each; return the code the
        first one took (so ``other``'s code ``c`` is this table's ``returned + c``).
        Another Dates table is copied as numbers, without building its dates."""
        start = len(self.shape)
        if not isinstance(other, Dates):
            for value in other:
                self._add_value(value)
            return start
        np = _np()
        shapes = np.frombuffer(other.shape, dtype=np.int8)
        lower = np.frombuffer(other.lower, dtype=np.int64)
        if other._objects:
            positions = np.array([self._object_position(v) for v in other._objects],
                                 dtype=np.int64)
            lower = lower.copy()
            objects = shapes == OBJECT
            lower[objects] = positions[lower[objects]]
        self.shape.frombytes(shapes.tobytes())
        self.lower.frombytes(lower.tobytes())
        self.offset.frombytes(other.offset.tobytes())
        return start

    def _object_position(self, value: When) -> int:
        position = self._object_at.get(value)
        if position is None:
            position = self._object_at[value] = len(self._objects)
            self._objects.append(value)
        return position

    def __repr__(self) -> str:
        return f"<Dates: {len(self)} entries, {len(self._objects)} objects>"


# -- reading many texts ---------------------------------------------------------

# Text length -> (has seconds, suffix length) for the date-time shapes read with numpy.
_DATETIMES: Final = {16: (False, 0), 17: (False, 1), 22: (False, 6),
                     19: (True, 0), 20: (True, 1), 25: (True, 6)}
_DATE_SHAPES: Final = {4: YEAR, 7: MONTH, 10: DAY}


def parse_many(texts: Sequence[object], *, field: str = "when", blank_is_none: bool = False,
               ) -> tuple[Dates, dict[int, InvalidDate]]:
    """Read every text as :meth:`When.parse <whereabouts.when.When.parse>` would: a table
    with one entry per text, in order, and the errors by position (their entries hold
    None). ``blank_is_none``: an empty or blank text is None rather than an error.

    >>> dates, failures = parse_many(["2024", "", "2024-01-01T24:00:00Z"], field="seen",
    ...                              blank_is_none=True)
    >>> dates[0], dates[1], failures[2]
    (When('2024'), None, InvalidDate("seen: '2024-01-01T24:00:00Z': hour 24 does not exist"))
    """
    np = _np()
    count = len(texts)
    shape = np.zeros(count, dtype=np.int8)  # NONE: not read yet
    lower = np.zeros(count, dtype=np.int64)
    offset = np.zeros(count, dtype=np.int16)
    try:
        lengths = np.fromiter(map(len, texts), np.int64, count)  # type: ignore[arg-type]
    except TypeError:  # not every one is a text: When.parse says what each other one is
        lengths = np.fromiter((len(t) if isinstance(t, str) else -1 for t in texts), np.int64,
                              count)
    shapes_read = (*_DATE_SHAPES, *_DATETIMES)
    for length in shapes_read:
        if count and lengths[0] == length and (lengths == length).all():
            rows, picked = np.arange(count), texts  # one shape (the usual file): no picking
        else:
            rows = np.flatnonzero(lengths == length)
            if not len(rows):
                continue
            picked = [texts[r] for r in rows.tolist()]
        joined = "".join(picked)  # type: ignore[arg-type]  # each is a str of this length
        chars = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8)
        ok, shapes, firsts, minutes = _read_shape(np, chars.reshape(len(rows), length))
        shape[rows[ok]] = shapes[ok]
        lower[rows[ok]] = firsts[ok]
        offset[rows[ok]] = minutes[ok]
    dates = Dates()
    objects: list[When] = []
    failures: dict[int, InvalidDate] = {}
    by_text: dict[str, tuple[int, int, int] | InvalidDate | None] = {}
    object_at: dict[When, int] = {}
    for row in np.flatnonzero(shape == NONE).tolist():
        text = texts[row]
        if isinstance(text, str) and text in by_text:
            found = by_text[text]
        else:
            found = _read_one(text, field, blank_is_none, objects, object_at)
            if isinstance(text, str):
                by_text[text] = found
        if isinstance(found, InvalidDate):  # a new error per row: callers name the row in it
            failures[row] = InvalidDate(found.reason, field=found.field, value=found.value)
        elif found is not None:
            shape[row], lower[row], offset[row] = found
    dates.shape.frombytes(shape.tobytes())
    dates.lower.frombytes(lower.tobytes())
    dates.offset.frombytes(offset.tobytes())
    dates._objects = objects
    dates._object_at = object_at
    return dates, failures


def _read_one(text: object, field: str, blank_is_none: bool, objects: list[When],
              object_at: dict[When, int]) -> tuple[int, int, int] | InvalidDate | None:
    """One text read by When.parse: its entry's numbers (an object's position added to
    ``objects``), its error, or None for a blank when ``blank_is_none``."""
    if blank_is_none and isinstance(text, str) and (not text or text.isspace()):
        return None
    try:
        when = When.parse(text, field=field)  # type: ignore[arg-type]  # it says what is wrong
    except InvalidDate as err:
        return err
    compact = _compact(when)
    if compact is not None:
        return compact
    position = object_at.get(when)
    if position is None:
        position = object_at[when] = len(objects)
        objects.append(when)
    return OBJECT, position, 0


_TEMPLATE: Final = "dddd-dd-ddTdd:dd:dd"  # d: a digit; cut to the length of the shape


def _read_shape(np: Any, chars: Any) -> tuple[Any, Any, Any, Any]:
    """Rows of one length read as a year, month, day or date-time (the length says
    which): which rows are valid, and their shapes, first seconds and offsets."""
    length = chars.shape[1]
    rows = len(chars)
    if length in _DATE_SHAPES:
        base, has_seconds, suffix = length, False, 0
    else:
        has_seconds, suffix = _DATETIMES[length]
        base = 19 if has_seconds else 16
    digits = chars - np.uint8(48)  # a byte that is not a digit wraps above 9
    ok = np.ones(rows, dtype=bool)
    for column, separator in enumerate(_TEMPLATE[:base]):
        if separator == "d":
            ok &= digits[:, column] <= 9
        else:
            ok &= chars[:, column] == ord(separator)

    def number(first: int) -> Any:
        return digits[:, first].astype(np.int32) * 10 + digits[:, first + 1]

    year = number(0) * 100 + number(2)
    ok &= year >= 1
    month = number(5) if length >= 7 else np.ones(rows, dtype=np.int32)
    day = number(8) if length >= 10 else np.ones(rows, dtype=np.int32)
    ok &= (month >= 1) & (month <= 12)
    if length >= 10:
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        table = np.array((0, *_DAYS_IN_MONTH), dtype=np.int32)
        longest = table[np.clip(month, 0, 12)] + ((month == 2) & leap)
        ok &= (day >= 1) & (day <= longest)
    firsts = _days_from_civil(np, year.astype(np.int64), month, day) * _DAY
    minutes = np.zeros(rows, dtype=np.int64)
    if length in _DATE_SHAPES:
        return ok, np.full(rows, _DATE_SHAPES[length], dtype=np.int8), firsts, minutes
    hour, minute = number(11), number(14)
    ok &= (hour <= 23) & (minute <= 59)
    second = number(17) if has_seconds else 0
    if has_seconds:
        ok &= second <= 59
    shapes = np.full(rows, SECOND, dtype=np.int8)
    if suffix == 1:
        ok &= chars[:, base] == ord("Z")
        shapes[:] = SECOND_Z
    elif suffix == 6:
        sign = chars[:, base]
        for column in (1, 2, 4, 5):
            ok &= digits[:, base + column] <= 9
        hours, mins = number(base + 1), number(base + 4)
        ok &= (chars[:, base + 3] == ord(":")) & (hours <= 23) & (mins <= 59)
        ok &= (sign == ord("+")) | (sign == ord("-"))
        minutes = np.where(sign == ord("-"), -1, 1) * (hours * 60 + mins).astype(np.int64)
        ok &= ~((sign == ord("-")) & (minutes == 0))  # -00:00 is kept as an object
        shapes[:] = SECOND_OFFSET
    firsts = firsts + hour * 3600 + minute * 60 + second - minutes * 60
    ok &= (firsts >= _MIN_SECONDS) & (firsts < _MAX_SECONDS)
    return ok, shapes, firsts, minutes


def _days_from_civil(np: Any, year: Any, month: Any, day: Any) -> Any:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil(np: Any, days: Any) -> tuple[Any, Any]:
    """Year and month of days since 1970-01-01 (H. Hinnant's algorithm, inverted)."""
    shifted = days + 719468
    era = shifted // 146097
    day_of_era = shifted - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524
                   - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    month = np.where(month_index < 10, month_index + 3, month_index - 9)
    return year_of_era + era * 400 + (month <= 2), month
