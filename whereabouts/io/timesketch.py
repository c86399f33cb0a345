"""The ledger as a Timesketch timeline: JSON Lines, one event a line.

Timesketch wants one instant per event (``datetime``, ISO 8601) and says what
that instant is in ``timestamp_desc``. A claim's date is a *window*, so each
event takes the window's earliest instant (``Earliest possible time``), or its
latest when the window has no start (``Latest possible time``: "by 8 December",
or an undated claim capped by its report date), and carries the whole window
as fields: ``when`` (the EDTF text), ``when_meaning``, ``earliest``,
``latest`` (``null`` for an open end), ``window_days`` and ``precision``.
A stay gives two events, ``Stay began`` and ``Stay ended`` (when its end is
known). A retraction or denial is an event of its own at its report date, and
the claim it withdrew is tagged ``denied`` or ``retracted``.

>>> from whereabouts.examples import assad_2024
>>> events = list(to_timesketch(assad_2024()))
>>> moscow = next(e for e in events if e["observation"] == "moscow")
>>> moscow["datetime"], moscow["timestamp_desc"]
('2024-12-08T00:00:00+00:00', 'Earliest possible time')
>>> moscow["when"], moscow["earliest"], moscow["latest"], moscow["precision"]
('2024-12-08/..', '2024-12-08T00:00:00+00:00', '2024-12-08T23:59:59+00:00', 'interval')
>>> print(moscow["message"])  # doctest: +NORMALIZE_WHITESPACE
Bashar al-Assad, Assad family: arrived at Moscow; 2024-12-08/.. (EDTF): from 2024-12-08 on
(open end) (a Kremlin source → Caliber.Az, reported 2024-12-08, C2)
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from typing import Any

from whereabouts._stays import stay_bounds
from whereabouts.io._atomic import write_atomic
from whereabouts.io._claims import Claim, claims, iso, meaning, precision, withdrawals, written
from whereabouts.ledger import DateRef, Ledger
from whereabouts.observations import Denial, Family
from whereabouts.places import Place

__all__ = ["to_timesketch", "write_timesketch"]

DATA_TYPE = "whereabouts:claim"
"""The ``data_type`` of a claim's events (``whereabouts:withdrawal`` for the others)."""


def to_timesketch(ledger: Ledger, *, known_at: DateRef | None = None) -> Iterator[dict[str, Any]]:
    """Timesketch events for every claim with a bounded window, then every retraction and
    denial, each a dict ready for one JSON line.

    ``known_at`` keeps what had been reported by the end of that day (a claim or
    withdrawal whose report date is not known counts only without it). A claim
    with neither a date nor a report date has no instant at all and is left out.
    """
    for claim in claims(ledger, known_at=known_at):
        yield from _claim_events(claim)
    for entry in withdrawals(ledger, known_at=known_at):
        verb = "denied" if isinstance(entry, Denial) else "retracted"
        seconds = entry.reported.lower
        yield {
            "message": f"{entry}",
            "datetime": iso(seconds),
            "timestamp": int(seconds) * 1_000_000,
            "timestamp_desc": "Reported",
            "data_type": "whereabouts:withdrawal",
            "observation": entry.id,
            "target": entry.target,
            "names": [],
            "when": str(entry.reported),
            "when_meaning": meaning(entry.reported),
            "earliest": iso(entry.reported.lower),
            "latest": iso(entry.reported.upper - 1),
            "precision": precision(entry.reported),
            "source": str(entry.source),
            "reason": entry.reason,
            "tag": [verb],
        }


def write_timesketch(ledger: Ledger, path: str | os.PathLike[str], *,
                     known_at: DateRef | None = None) -> int:
    """Write :func:`to_timesketch` as JSON Lines (UTF-8), atomically; return the number of
    events written. Name the file ``*.jsonl``: Timesketch goes by the extension."""
    lines = [json.dumps(event, ensure_ascii=False) for event in
             to_timesketch(ledger, known_at=known_at)]
    write_atomic(path, "".join(line + "\n" for line in lines).encode("utf-8"))
    return len(lines)


def _claim_events(claim: Claim) -> Iterator[dict[str, Any]]:
    obs = claim.obs
    base = _fields(claim)
    if obs.throughout:
        assert obs.when is not None
        start_lower, _, end_lower, end_upper = stay_bounds(obs.when, obs.reported)
        yield _event(base, start_lower, "Stay began")
        if not math.isinf(end_upper):  # the earliest it can have ended; for an exact end
            # (a single date, an "all of" range) the last instant it held
            ended = end_lower if end_lower < end_upper else end_upper - 1
            yield _event(base, ended, "Stay ended")
        return
    if not math.isinf(obs.lower):
        yield _event(base, obs.lower, "Earliest possible time")
    elif not math.isinf(obs.upper):
        yield _event(base, obs.upper - 1, "Latest possible time")


def _event(base: dict[str, Any], seconds: float, desc: str) -> dict[str, Any]:
    return {"message": base["message"], "datetime": iso(seconds),
            "timestamp": int(seconds) * 1_000_000, "timestamp_desc": desc, **base}


def _fields(claim: Claim) -> dict[str, Any]:
    obs = claim.obs
    when, place = obs.when, obs.place
    lower, upper = obs.lower, obs.upper
    if obs.throughout:  # a stay's window is the span it held over
        assert when is not None
        lower, upper = when.lower, when.upper
    tags = [t for t in (
        "stay" if obs.throughout else "",
        "attempt" if obs.family is Family.ATTEMPT else "",
        "one of several places" if place is not None and len(place.options) > 1 else "",
        claim.status,
    ) if t]
    point = (place.options[0].point if isinstance(place, Place) else None)
    said = written(obs)
    message = f"{', '.join(claim.names)}: {obs.describe()}; {said} ({obs.citation()})"
    if claim.status:
        message += f"; {claim.withdrawn}"
    return {
        "message": message,
        "data_type": DATA_TYPE,
        "observation": obs.id,
        "subjects": list(obs.subjects),
        "names": list(claim.names),
        "kind": obs.kind.value,
        "family": obs.family.value,
        "place": None if place is None else place.name,
        "place_key": None if place is None else place.key,
        "country": None if place is None else place.country,
        "countries": [] if place is None else sorted(place.countries),
        "latitude": None if point is None else point[0],
        "longitude": None if point is None else point[1],
        "when": None if when is None else str(when),
        "when_meaning": meaning(when),
        "earliest": None if math.isinf(lower) else iso(lower),
        "latest": None if math.isinf(upper) else iso(upper - 1),
        "window_days": None if math.isinf(upper - lower) else (upper - lower) / 86400,
        "precision": precision(when),
        "uncertain": bool(when is not None and when.uncertain),
        "approximate": bool(when is not None and when.approximate),
        "stay": obs.throughout,
        "reported": None if obs.reported is None else str(obs.reported),
        "source": str(obs.source),
        "origin": obs.source.origin.name,
        "grading": obs.grading.code,
        "grading_meaning": obs.grading.describe(),
        "note": obs.note,
        "after": list(obs.after),
        "corrects": obs.corrects,
        "status": claim.status or "standing",
        "withdrawn_by": None if claim.by is None else claim.by.id,
        "tag": tags,
    }
