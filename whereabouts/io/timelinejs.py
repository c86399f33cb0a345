"""The ledger as a TimelineJS 3 timeline: its JSON configuration (``timeline.json``).

TimelineJS draws *slides* on one time axis, in rows by ``group``. Each claim
becomes one slide per subject, in that subject's group (one row per person or
group). A slide's ``start_date`` and ``end_date`` come from the claim's window,
at the precision it was written in (a month stays a month); a stay runs from
its start to its end; the ``display_date`` shows the date as written (EDTF) and
what it means, since TimelineJS would otherwise show one instant. An end left
open runs to the report date (the last day the report can speak for), said so
in the display date; a window with no start (``../2024-12-08``, an undated
claim) starts on its last possible day, shown as "by". Attempts, claims about
one of several places, and claims later denied, retracted or corrected say so
in their headline; the source and grade are in the slide's text.

>>> from whereabouts.examples import assad_2024
>>> timeline = to_timelinejs(assad_2024())
>>> len(timeline["events"]), timeline["skipped"]
(34, 0)
>>> moscow = next(e for e in timeline["events"] if e["unique_id"] == "moscow--bashar")
>>> moscow["group"], moscow["start_date"], moscow["end_date"]["display_date"]
('Bashar al-Assad', {'year': 2024, 'month': 12, 'day': 8}, 'reported 2024-12-08')
>>> print(moscow["display_date"])
2024-12-08/.. (EDTF): from 2024-12-08 on (open end), as far as the report of 2024-12-08 goes
"""

from __future__ import annotations

import html
import json
import math
import os
from datetime import datetime, timedelta, timezone
from typing import Any

from whereabouts._stays import stay_bounds, stay_end, stay_start
from whereabouts.io._atomic import write_atomic
from whereabouts.io._claims import Claim, claims, written
from whereabouts.ledger import DateRef, Ledger
from whereabouts.observations import Family
from whereabouts.when import When

__all__ = ["to_timelinejs", "write_timelinejs"]

Slide = dict[str, Any]
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_timelinejs(ledger: Ledger, *, title: str = "Whereabouts",
                  known_at: DateRef | None = None) -> dict[str, Any]:
    """A TimelineJS configuration: a title slide and one slide per claim and subject.

    ``known_at`` keeps what had been reported by the end of that day (a claim
    whose report date is not known counts only without it). A claim with no
    date and no report date has no place on a time axis: it is left out and
    counted in ``skipped`` (a member TimelineJS ignores).
    """
    found = claims(ledger, known_at=known_at)
    events: list[Slide] = []
    skipped = 0
    for claim in found:
        dates = _dates(claim)
        if dates is None:
            skipped += 1
            continue
        for subject, name in zip(claim.obs.subjects, claim.names, strict=True):
            events.append({"unique_id": f"{claim.obs.id}--{subject}", "group": name,
                           **dates, "text": _text(claim)})
    people = len({e["group"] for e in events})
    return {
        "title": {"text": {
            "headline": html.escape(title),
            "text": (f"<p>{len(found) - skipped} claims about {people} people and groups, "
                     "one row each. Dates are shown as written (EDTF) with their meaning; "
                     "a span is a window or a stay, never a guess at one instant.</p>"),
        }},
        "events": events,
        "skipped": skipped,
    }


def write_timelinejs(ledger: Ledger, path: str | os.PathLike[str], *,
                     title: str = "Whereabouts", known_at: DateRef | None = None) -> None:
    """Write :func:`to_timelinejs` to a JSON file (UTF-8), atomically."""
    timeline = to_timelinejs(ledger, title=title, known_at=known_at)
    write_atomic(path, json.dumps(timeline, ensure_ascii=False, indent=1).encode("utf-8"))


def _dates(claim: Claim) -> dict[str, Any] | None:
    """``start_date``, ``end_date`` and ``display_date`` of a claim's slide, or None."""
    obs = claim.obs
    when, reported = obs.when, obs.reported
    said = written(obs)
    if obs.throughout:
        assert when is not None
        start, end = stay_start(when), stay_end(when)
        _, _, held, end_upper = stay_bounds(when, reported)
        dates: dict[str, Any] = {"start_date": _date(start, first=True)}
        if not math.isinf(end_upper):
            dates["end_date"] = _date(end, first=False)
        elif when.text.endswith("/..") and reported is not None:
            dates["end_date"] = _at(held, f"reported {reported}")
            said += f", still so when reported on {reported}"
        dates["display_date"] = said
        return dates
    lower, upper = obs.lower, obs.upper
    if math.isinf(lower):
        if math.isinf(upper):
            return None
        assert reported is not None or when is not None
        capped = when is None or (reported is not None and reported.upper < when.upper)
        last = f"reported {reported}" if capped else f"by {when}"
        return {"start_date": _at(upper - 1, last), "display_date": said}
    if when is not None and when.kind == "date" and "X" not in when.text and (
            reported is None or when.upper <= reported.upper):
        return {"start_date": _date(when, first=True), "display_date": said}
    dates = {"start_date": _at(lower, "")}
    if math.isinf(upper):
        dates["display_date"] = said
        return dates
    if when is not None and when.upper > upper and reported is not None:
        said += f", as far as the report of {reported} goes"
        dates["end_date"] = _at(upper - 1, f"reported {reported}")
    else:
        dates["end_date"] = _at(upper - 1, "")
    dates["display_date"] = said
    return dates


def _date(when: When, *, first: bool) -> dict[str, Any]:
    """A TimelineJS date at the precision ``when`` was written in: a plain ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD`` keeps only its fields; anything else gives the day of
    its first (or last) instant."""
    text = when.text.rstrip("?~%")
    if when.kind == "date" and "X" not in text:
        parts = [int(p) for p in text.split("-")]
        return dict(zip(("year", "month", "day"), parts, strict=False))
    seconds = when.lower if first else when.upper - 1
    return _at(seconds, "")


def _at(seconds: float, display: str) -> dict[str, Any]:
    """The UTC day of an instant as a TimelineJS date, with a display date if given."""
    day = (_EPOCH + timedelta(seconds=int(seconds))).date()
    date: dict[str, Any] = {"year": day.year, "month": day.month, "day": day.day}
    if display:
        date["display_date"] = display
    return date


def _text(claim: Claim) -> dict[str, str]:
    obs = claim.obs
    marks = []
    if obs.family is Family.ATTEMPT:
        marks.append("Attempt")
    if obs.place is not None and len(obs.place.options) > 1:
        marks.append("One of several places")
    if claim.status:
        marks.append(claim.status.capitalize())
    headline = obs.describe()
    if marks:
        headline = f"{' · '.join(marks)}: {headline}"
    who = ", ".join(claim.names)
    paragraphs = [f"<p>{html.escape(who)} ({html.escape(obs.id)})</p>",
                  f"<p>Source: {html.escape(str(obs.source))}; "
                  f"{'report date unknown' if obs.reported is None else 'reported '}"
                  f"{'' if obs.reported is None else html.escape(str(obs.reported))}; "
                  f"graded {html.escape(obs.grading.describe())}</p>"]
    if obs.note:
        paragraphs.append(f"<p>{html.escape(obs.note)}</p>")
    if claim.status:
        paragraphs.append(f"<p><strong>{html.escape(claim.withdrawn)}</strong></p>")
    return {"headline": html.escape(headline), "text": "".join(paragraphs)}
