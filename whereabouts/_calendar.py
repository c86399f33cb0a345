"""Local calendar dates: a date-time written with an offset belongs to the day written in it.

``2022-07-13T03:00+05:00`` is 22:00 on 12 July in UTC, but the report, and
every reader, means the 13th. The ledger keeps instants in UTC for ordering;
questions about a calendar day (an ``as_of``, ``on`` or ``during`` written as
a date, not a date-time) compare such a claim by its local wall-clock time:
its window shifted by its offset.

>>> from whereabouts.when import When
>>> offset_seconds(When("2022-07-13T03:00+05:00")) / 3600
5.0
>>> offset_seconds(When("2022-07-13T03:00Z")), offset_seconds(When("2022-07-13"))
(0.0, 0.0)
"""

from __future__ import annotations

import re

from whereabouts._store import Store
from whereabouts.when import When

__all__ = ["is_calendar", "offset_seconds", "shifts"]

_OFFSET = re.compile(r"T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}):([0-9]{2})")


def offset_seconds(when: When) -> float:
    """The offset written in ``when``'s date-times, in seconds east of UTC (0 when
    there is none, or when its date-times were written with different offsets)."""
    if "T" not in when.text:
        return 0.0
    found = set(_OFFSET.findall(when.text))
    if len(found) != 1:
        return 0.0
    hours, minutes = found.pop()
    sign = -1 if hours[0] == "-" else 1
    return float(sign * (abs(int(hours)) * 3600 + int(minutes) * 60))


def is_calendar(when: When | None) -> bool:
    """Whether a question's date is a calendar date (a day, month, year), not a date-time."""
    return when is not None and "T" not in when.text


def shifts(store: Store) -> dict[int, float]:
    """Date codes of the store whose date-times carry an offset, with the offset
    (seconds to add to an instant to read it on the local calendar)."""
    scanned, found = store.memo.get("shifts", (0, {}))
    assert isinstance(found, dict)
    values = store.whens.values
    if scanned < len(values):
        found = dict(found)
        for code in range(scanned, len(values)):
            when = values[code]
            if when is None:
                continue
            text = when.text
            at = text.find("T")  # an offset is a sign after a time: most times have none
            if at >= 0 and ("+" in text or text.find("-", at) >= 0):
                offset = offset_seconds(when)
                if offset:
                    found[code] = offset
        store.memo["shifts"] = (len(values), found)
    shifted: dict[int, float] = found
    return shifted
