"""The two ends of a stay: when it began and when it ended, each as a window.

A stay (an observation with ``throughout=True``) says its subjects were at the
place at *every* instant of a span, not at one instant somewhere in it. Its
``when`` is read in one of three ways (see ``docs/semantics.md``, "Stays"):

* an interval ``A/B``: the stay began at some instant of ``A`` and ended at
  some instant of ``B``; ``A/..`` has not ended as far as the report knows,
  so it held at least until the report; ``A/`` ended at a time not known;
* an "all of" set with one range, ``{A..B}``: every instant from the start of
  ``A`` to the end of ``B`` (so each end is exact);
* a single date or date-time: the whole of it.

>>> from datetime import datetime, timezone
>>> from whereabouts.when import When
>>> bounds = stay_bounds(When("2024-11-19/2025-03-06"), When("2025-03-10"))
>>> [When.of(datetime.fromtimestamp(b, timezone.utc)).text[:10] for b in bounds]
['2024-11-19', '2024-11-20', '2025-03-06', '2025-03-07']
"""

from __future__ import annotations

import math

from whereabouts.errors import InvalidObservation
from whereabouts.when import When

__all__ = ["is_span_set", "stay_bounds", "stay_end", "stay_start"]

StayBounds = tuple[float, float, float, float]
"""``(start_lower, start_upper, end_lower, end_upper)`` in POSIX seconds."""


def is_span_set(when: When) -> bool:
    """Whether ``when`` is an "all of" set of one closed range, ``{A..B}``."""
    text = when.text
    return (text[0] == "{" and "," not in text and ".." in text
            and not text.startswith("{..") and not text.endswith("..}"))


def stay_bounds(when: When, reported: When | None) -> StayBounds:
    """When a stay dated ``when`` began and ended, each as ``[lower, upper)``.

    Raises :class:`InvalidObservation` (field ``when``) for dates that name no
    single span: "one of" sets, and "all of" sets other than one range.
    """
    text = when.text
    if when.kind == "interval":
        start_text, _, end_text = text.partition("/")
        if start_text in ("", ".."):
            raise InvalidObservation("a stay needs a known start (write the earliest date it "
                                     "can have begun)", field="when", value=text)
        start = When.parse(start_text)
        if end_text == "..":  # not over when reported: it held at least until then
            held = start.upper if reported is None else max(start.upper, reported.lower)
            return start.lower, start.upper, held, math.inf
        if end_text == "":
            return start.lower, start.upper, start.lower, math.inf
        end = When.parse(end_text)
        return start.lower, start.upper, max(end.lower, start.lower), end.upper
    if is_span_set(when):
        return when.lower, when.lower, when.upper, when.upper
    if when.kind in ("date", "datetime"):
        return when.lower, when.lower, when.upper, when.upper
    raise InvalidObservation(
        "a stay needs one span: an interval A/B, a set {A..B}, or a single date",
        field="when", value=text,
    )


def stay_start(when: When) -> When:
    """The date a stay began: ``2024-11-19`` of ``2024-11-19/2025-03-06`` or of
    ``{2024-11-19..2025-03-06}``."""
    if when.kind == "interval":
        return When.parse(when.text.partition("/")[0])
    if is_span_set(when):
        return When.parse(when.text[1:-1].partition("..")[0])
    return when


def stay_end(when: When) -> When:
    """The date a stay ended (itself for a stay with no known end)."""
    if when.kind == "interval":
        end = when.text.partition("/")[2]
        return when if end in ("", "..") else When.parse(end)
    if is_span_set(when):
        return When.parse(when.text[1:-1].partition("..")[2])
    return when
